/* smtp-keyring.h: passwords in the Secret Service via libsecret, async
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SMTP_KEYRING_ERROR (smtp_keyring_error_quark ())

/**
 * SmtpKeyringError:
 * @SMTP_KEYRING_ERROR_UNAVAILABLE: there is no keyring service: no D-Bus
 *   session, a session bus cannot be started, or no Secret Service runs on it
 * @SMTP_KEYRING_ERROR_NO_KEYRING: the service runs but has no keyring to
 *   store in, and cannot ask the person to make one
 * @SMTP_KEYRING_ERROR_LOCKED: the keyring is locked and was not unlocked
 * @SMTP_KEYRING_ERROR_TIMED_OUT: the keyring did not answer in time (it may
 *   be waiting for the person to answer one of its windows)
 * @SMTP_KEYRING_ERROR_FAILED: the keyring reported something else; the
 *   original error is in the debug log
 *
 * Cancellation is %G_IO_ERROR_CANCELLED. Every message is fit to show; the
 * original error text goes only to the debug log (G_MESSAGES_DEBUG=smtp-keyring).
 */
typedef enum
{
  SMTP_KEYRING_ERROR_UNAVAILABLE,
  SMTP_KEYRING_ERROR_NO_KEYRING,
  SMTP_KEYRING_ERROR_LOCKED,
  SMTP_KEYRING_ERROR_TIMED_OUT,
  SMTP_KEYRING_ERROR_FAILED,
} SmtpKeyringError;

/* The most one keyring call may take by default, and how long a call runs
 * before the keyring counts as waiting (for the person, most likely). */
#define SMTP_KEYRING_DEFAULT_TIMEOUT_MS 10000
#define SMTP_KEYRING_WAITING_DELAY_MS 1000

#define SMTP_TYPE_KEYRING (smtp_keyring_get_type ())

G_DECLARE_FINAL_TYPE (SmtpKeyring, smtp_keyring, SMTP, KEYRING, GObject)

GQuark       smtp_keyring_error_quark    (void);

SmtpKeyring *smtp_keyring_new            (void);
guint        smtp_keyring_get_timeout    (SmtpKeyring          *self);
void         smtp_keyring_set_timeout    (SmtpKeyring          *self,
                                          guint                 timeout_ms);
gboolean     smtp_keyring_get_waiting    (SmtpKeyring          *self);

void         smtp_keyring_store_async    (SmtpKeyring          *self,
                                          const char           *user,
                                          const char           *server,
                                          guint16               port,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean     smtp_keyring_store_finish   (SmtpKeyring          *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void         smtp_keyring_lookup_async   (SmtpKeyring          *self,
                                          const char           *user,
                                          const char           *server,
                                          guint16               port,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char        *smtp_keyring_lookup_finish  (SmtpKeyring          *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void         smtp_keyring_clear_async    (SmtpKeyring          *self,
                                          const char           *user,
                                          const char           *server,
                                          guint16               port,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean     smtp_keyring_clear_finish   (SmtpKeyring          *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void         smtp_keyring_move_async     (SmtpKeyring          *self,
                                          const char           *old_user,
                                          const char           *old_server,
                                          guint16               old_port,
                                          const char           *new_user,
                                          const char           *new_server,
                                          guint16               new_port,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean     smtp_keyring_move_finish    (SmtpKeyring          *self,
                                          GAsyncResult         *result,
                                          gboolean             *moved,
                                          GError              **error);

void         smtp_keyring_password_free  (char                 *password);

G_END_DECLS
