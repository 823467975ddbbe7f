/* smtp-client.h: one async SMTP test session over GIO
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-auth.h"
#include "smtp-capabilities.h"
#include "smtp-reply.h"

G_BEGIN_DECLS

#define SMTP_CLIENT_ERROR (smtp_client_error_quark ())

/**
 * SmtpClientError:
 * @SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED: STARTTLS was chosen and the server
 *   does not offer it; the session stops (never a plaintext fallback)
 * @SMTP_CLIENT_ERROR_STARTTLS_INJECTION: the server (or someone on the path)
 *   sent bytes after the STARTTLS reply and before the TLS handshake
 * @SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED: a password would have gone over an
 *   unencrypted connection without the person's explicit consent
 * @SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED: a password was given and the server does
 *   not offer AUTH (after TLS)
 * @SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED: AUTH is offered, but with none
 *   of the mechanisms that may be used
 * @SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD: the server negotiated TLS older than 1.2
 * @SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH: the certificate is not the pinned one
 * @SMTP_CLIENT_ERROR_REPLY_REJECTED: the server answered with an error; the reply
 *   is in the result
 * @SMTP_CLIENT_ERROR_PROTOCOL: the server's answer is not SMTP (garbage, a bad
 *   multi-line reply, an unexpected code)
 * @SMTP_CLIENT_ERROR_LINE_TOO_LONG: a line without end longer than allowed
 * @SMTP_CLIENT_ERROR_REPLY_TOO_LONG: a reply with too many lines or bytes
 * @SMTP_CLIENT_ERROR_CONNECTION_CLOSED: the server closed the connection
 * @SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED: an address needs SMTPUTF8, which the
 *   server does not offer
 * @SMTP_CLIENT_ERROR_MESSAGE_TOO_LARGE: the message is larger than the server's SIZE
 * @SMTP_CLIENT_ERROR_INVALID_SETTINGS: a setting is missing or holds characters
 *   that cannot be sent
 */
typedef enum
{
  SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
  SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
  SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED,
  SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED,
  SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED,
  SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD,
  SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH,
  SMTP_CLIENT_ERROR_REPLY_REJECTED,
  SMTP_CLIENT_ERROR_PROTOCOL,
  SMTP_CLIENT_ERROR_LINE_TOO_LONG,
  SMTP_CLIENT_ERROR_REPLY_TOO_LONG,
  SMTP_CLIENT_ERROR_CONNECTION_CLOSED,
  SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED,
  SMTP_CLIENT_ERROR_MESSAGE_TOO_LARGE,
  SMTP_CLIENT_ERROR_INVALID_SETTINGS,
} SmtpClientError;

typedef enum
{
  SMTP_SECURITY_STARTTLS,
  SMTP_SECURITY_TLS,
  SMTP_SECURITY_NONE,
} SmtpSecurity;

/* The stages of a test, in order; ids as `smtp-setup test` reports them. */
typedef enum
{
  SMTP_STAGE_NONE,
  SMTP_STAGE_RESOLVE,
  SMTP_STAGE_CONNECT,
  SMTP_STAGE_TLS,
  SMTP_STAGE_GREETING,
  SMTP_STAGE_EHLO,
  SMTP_STAGE_STARTTLS,
  SMTP_STAGE_AUTH,
  SMTP_STAGE_MAIL,
  SMTP_STAGE_RCPT,
  SMTP_STAGE_DATA,
  SMTP_STAGE_MESSAGE,
  SMTP_STAGE_DONE,
} SmtpStage;

typedef enum
{
  SMTP_STAGE_STATE_STARTED,
  SMTP_STAGE_STATE_SUCCEEDED,
  SMTP_STAGE_STATE_FAILED,
} SmtpStageState;

GType smtp_security_get_type    (void) G_GNUC_CONST;
GType smtp_stage_get_type       (void) G_GNUC_CONST;
GType smtp_stage_state_get_type (void) G_GNUC_CONST;
#define SMTP_TYPE_SECURITY    (smtp_security_get_type ())
#define SMTP_TYPE_STAGE       (smtp_stage_get_type ())
#define SMTP_TYPE_STAGE_STATE (smtp_stage_state_get_type ())

/**
 * SmtpTestOptions:
 * @host: the server name or address
 * @port: the port, 1..65535
 * @security: STARTTLS, implicit TLS or none
 * @user: (nullable): the user name; with @password or @oauth_token, AUTH is required
 * @password: (nullable): the password; wiped when the options are freed
 * @oauth_token: (nullable): an OAuth 2 access token for XOAUTH2; wiped likewise
 * @auth: the SASL mechanism, or automatic
 * @allow_plaintext_auth: the person explicitly allowed a password over an
 *   unencrypted connection (only meaningful with %SMTP_SECURITY_NONE)
 * @from: (nullable): the sender address (required unless @check_only)
 * @from_name: (nullable): the sender's name for the From header
 * @to: (nullable): the recipient; %NULL sends to @from
 * @check_only: connect and sign in, send nothing
 * @ca_database: (nullable): certificate authorities trusted in addition to the system's
 * @pin_sha256: (nullable): hex SHA-256 of the one server certificate to trust
 * @step_timeout_ms: the most one step (a connection, a handshake, a reply) may
 *   take in total, not an inactivity timer
 * @deadline_ms: the most the whole test may take
 * @helo_name: (nullable): the name for EHLO; %NULL picks the machine's fully
 *   qualified name or an address literal
 */
typedef struct
{
  char              *host;
  guint16            port;
  SmtpSecurity       security;
  char              *user;
  char              *password;
  char              *oauth_token;
  SmtpAuthMechanism  auth;
  gboolean           allow_plaintext_auth;
  char              *from;
  char              *from_name;
  char              *to;
  gboolean           check_only;
  GTlsDatabase      *ca_database;
  char              *pin_sha256;
  guint              step_timeout_ms;
  guint              deadline_ms;
  char              *helo_name;
} SmtpTestOptions;

/**
 * SmtpCertificateInfo:
 * @subject: the subject's distinguished name
 * @issuer: the issuer's distinguished name
 * @not_before: (nullable): start of validity
 * @not_after: (nullable): end of validity
 * @sha256: lower-case hex SHA-256 of the DER certificate (for pinning)
 * @errors: every check that failed (%GTlsCertificateFlags, 0 when trusted)
 * @pinned: the certificate was accepted because it matched the pin
 * @trusted_by_ca_file: accepted through the extra certificate authorities
 */
typedef struct
{
  char                 *subject;
  char                 *issuer;
  GDateTime            *not_before;
  GDateTime            *not_after;
  char                 *sha256;
  GTlsCertificateFlags  errors;
  gboolean              pinned;
  gboolean              trusted_by_ca_file;
} SmtpCertificateInfo;

/**
 * SmtpTestResult:
 * @ok: what was asked was proven
 * @stage: the stage that failed, or %SMTP_STAGE_DONE
 * @error: (nullable): why it failed
 * @reply: (nullable): the server reply the failure is about, or the last one
 * @reply_authenticated: @reply arrived over TLS (text from before the handshake
 *   may be forged by anyone on the path: use its code, never show its words)
 * @capabilities: (nullable): what the server offered (after TLS when TLS was used)
 * @transcript: the conversation, credentials replaced by a placeholder
 * @tls_version: (nullable): such as "TLS 1.3"
 * @tls_cipher: (nullable): the cipher suite's name
 * @certificate: (nullable): the server certificate and its checks
 * @auth_mechanism: the mechanism used, %SMTP_AUTH_MECHANISM_AUTO if none
 * @elapsed_ms: the whole test's duration
 * @round_trips: the times the client waited for the network
 * @stage_ms: (array fixed-size=13): the time each stage took
 */
typedef struct
{
  gboolean             ok;
  SmtpStage            stage;
  GError              *error;
  SmtpReply           *reply;
  gboolean             reply_authenticated;
  SmtpCapabilities    *capabilities;
  char                *transcript;
  char                *tls_version;
  char                *tls_cipher;
  SmtpCertificateInfo *certificate;
  SmtpAuthMechanism    auth_mechanism;
  gint64               elapsed_ms;
  guint                round_trips;
  gint64               stage_ms[SMTP_STAGE_DONE + 1];
} SmtpTestResult;

#define SMTP_TYPE_CLIENT (smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (SmtpClient, smtp_client, SMTP, CLIENT, GObject)

GQuark               smtp_client_error_quark      (void);

const char          *smtp_security_to_id          (SmtpSecurity               security);
gboolean             smtp_security_from_id        (const char                *id,
                                                   SmtpSecurity              *security);
const char          *smtp_security_get_display_name (SmtpSecurity             security);
const char          *smtp_stage_to_id             (SmtpStage                  stage);
gboolean             smtp_stage_from_id           (const char                *id,
                                                   SmtpStage                 *stage);

SmtpTestOptions     *smtp_test_options_new        (void);
SmtpTestOptions     *smtp_test_options_copy       (const SmtpTestOptions     *options);
void                 smtp_test_options_free       (SmtpTestOptions           *options);
gboolean             smtp_test_options_validate   (const SmtpTestOptions     *options,
                                                   GError                   **error);

void                 smtp_certificate_info_free   (SmtpCertificateInfo       *info);
void                 smtp_test_result_free        (SmtpTestResult            *result);
char                *smtp_test_result_dup_reply_text (const SmtpTestResult *result,
                                                      const SmtpTestOptions *options);

SmtpClient          *smtp_client_new              (void);
void                 smtp_client_run_async        (SmtpClient                *self,
                                                   const SmtpTestOptions     *options,
                                                   GCancellable              *cancellable,
                                                   GAsyncReadyCallback        callback,
                                                   gpointer                   user_data);
SmtpTestResult      *smtp_client_run_finish       (SmtpClient                *self,
                                                   GAsyncResult              *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpTestOptions, smtp_test_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpTestResult, smtp_test_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpCertificateInfo, smtp_certificate_info_free)

G_END_DECLS
