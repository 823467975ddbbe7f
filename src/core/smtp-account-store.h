/* smtp-account-store.h: the saved accounts, one keyfile under the XDG config directory
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-account.h"

G_BEGIN_DECLS

#define SMTP_ACCOUNT_STORE_ERROR (smtp_account_store_error_quark ())

/**
 * SmtpAccountStoreError:
 * @SMTP_ACCOUNT_STORE_ERROR_CORRUPT: the file could not be read as settings;
 *   it was kept aside under a new name, which the message gives, and the
 *   store starts empty
 * @SMTP_ACCOUNT_STORE_ERROR_UNSUPPORTED_VERSION: the file was written by a
 *   newer version of the app; it is left alone and nothing is saved over it
 * @SMTP_ACCOUNT_STORE_ERROR_NOT_FOUND: no saved account has that name
 * @SMTP_ACCOUNT_STORE_ERROR_BUSY: another program kept the file locked for
 *   too long
 */
typedef enum
{
  SMTP_ACCOUNT_STORE_ERROR_CORRUPT,
  SMTP_ACCOUNT_STORE_ERROR_UNSUPPORTED_VERSION,
  SMTP_ACCOUNT_STORE_ERROR_NOT_FOUND,
  SMTP_ACCOUNT_STORE_ERROR_BUSY,
} SmtpAccountStoreError;

/* The version written to [smtp-setup] format-version. */
#define SMTP_ACCOUNT_STORE_FORMAT_VERSION 1

#define SMTP_TYPE_ACCOUNT_STORE (smtp_account_store_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAccountStore, smtp_account_store, SMTP, ACCOUNT_STORE, GObject)

GQuark            smtp_account_store_error_quark   (void);

SmtpAccountStore *smtp_account_store_new           (void);
SmtpAccountStore *smtp_account_store_new_for_file  (GFile                *file);

GFile            *smtp_account_store_get_file      (SmtpAccountStore     *self);
GListModel       *smtp_account_store_get_accounts  (SmtpAccountStore     *self);
SmtpAccount      *smtp_account_store_lookup        (SmtpAccountStore     *self,
                                                    const char           *name);
GPtrArray        *smtp_account_store_get_problems  (SmtpAccountStore     *self);

void              smtp_account_store_load_async    (SmtpAccountStore     *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          smtp_account_store_load_finish   (SmtpAccountStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void              smtp_account_store_save_async    (SmtpAccountStore     *self,
                                                    SmtpAccount          *account,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          smtp_account_store_save_finish   (SmtpAccountStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

void              smtp_account_store_remove_async  (SmtpAccountStore     *self,
                                                    const char           *name,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean          smtp_account_store_remove_finish (SmtpAccountStore     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
