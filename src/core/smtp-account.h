/* smtp-account.h: the settings of one saved account and its last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-auth.h"
#include "smtp-client.h"

G_BEGIN_DECLS

#define SMTP_ACCOUNT_ERROR (smtp_account_error_quark ())

/**
 * SmtpAccountError:
 * @SMTP_ACCOUNT_ERROR_INVALID: a setting of the account is missing or not
 *   valid; the message names the account and the setting
 *
 * Errors of an account's settings, found before it is saved or used, or when
 * a saved account is read back.
 */
typedef enum
{
  SMTP_ACCOUNT_ERROR_INVALID,
} SmtpAccountError;

/* The longest account name: it is shown in lists and is a keyfile group name. */
#define SMTP_ACCOUNT_NAME_MAX 64

#define SMTP_TYPE_ACCOUNT (smtp_account_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAccount, smtp_account, SMTP, ACCOUNT, GObject)

GQuark             smtp_account_error_quark            (void);

SmtpAccount       *smtp_account_new                    (const char             *name);
SmtpAccount       *smtp_account_copy                   (SmtpAccount            *self,
                                                        const char             *name);
void               smtp_account_copy_settings          (SmtpAccount            *self,
                                                        SmtpAccount            *from);

const char        *smtp_account_get_name               (SmtpAccount            *self);
const char        *smtp_account_get_address            (SmtpAccount            *self);
void               smtp_account_set_address            (SmtpAccount            *self,
                                                        const char             *address);
const char        *smtp_account_get_host               (SmtpAccount            *self);
void               smtp_account_set_host               (SmtpAccount            *self,
                                                        const char             *host);
guint16            smtp_account_get_port               (SmtpAccount            *self);
void               smtp_account_set_port               (SmtpAccount            *self,
                                                        guint16                 port);
SmtpSecurity       smtp_account_get_security           (SmtpAccount            *self);
void               smtp_account_set_security           (SmtpAccount            *self,
                                                        SmtpSecurity            security);
SmtpAuthMechanism  smtp_account_get_auth               (SmtpAccount            *self);
void               smtp_account_set_auth               (SmtpAccount            *self,
                                                        SmtpAuthMechanism       auth);
const char        *smtp_account_get_user               (SmtpAccount            *self);
void               smtp_account_set_user               (SmtpAccount            *self,
                                                        const char             *user);
const char        *smtp_account_get_from_name          (SmtpAccount            *self);
void               smtp_account_set_from_name          (SmtpAccount            *self,
                                                        const char             *from_name);
const char        *smtp_account_get_pin_sha256         (SmtpAccount            *self);
void               smtp_account_set_pin_sha256         (SmtpAccount            *self,
                                                        const char             *pin_sha256);
gboolean           smtp_account_get_allow_plaintext_auth (SmtpAccount          *self);
void               smtp_account_set_allow_plaintext_auth (SmtpAccount          *self,
                                                        gboolean                allow);
const char        *smtp_account_get_ca_file            (SmtpAccount            *self);
void               smtp_account_set_ca_file            (SmtpAccount            *self,
                                                        const char             *ca_file);

GDateTime         *smtp_account_get_last_test_time     (SmtpAccount            *self);
gboolean           smtp_account_get_last_test_ok       (SmtpAccount            *self);
const char        *smtp_account_get_last_test_category (SmtpAccount            *self);
const char        *smtp_account_get_last_test_stage    (SmtpAccount            *self);
void               smtp_account_set_last_test          (SmtpAccount            *self,
                                                        GDateTime              *time,
                                                        gboolean                ok,
                                                        const char             *category,
                                                        const char             *stage);

gboolean           smtp_account_validate_name          (const char             *name,
                                                        GError                **error);
gboolean           smtp_account_validate               (SmtpAccount            *self,
                                                        GError                **error);
gboolean           smtp_account_same_keyring_key       (SmtpAccount            *self,
                                                        SmtpAccount            *other);

SmtpTestOptions   *smtp_account_build_test_options     (SmtpAccount            *self,
                                                        const char             *password,
                                                        GError                **error);
void               smtp_account_record_result          (SmtpAccount            *self,
                                                        const SmtpTestResult   *result,
                                                        const SmtpTestOptions  *options);

G_END_DECLS
