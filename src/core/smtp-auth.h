/* smtp-auth.h: SASL mechanisms for AUTH (RFC 4954): PLAIN, LOGIN, CRAM-MD5, XOAUTH2
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "smtp-capabilities.h"

G_BEGIN_DECLS

#define SMTP_AUTH_ERROR (smtp_auth_error_quark ())

/**
 * SmtpAuthError:
 * @SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED: the server offers none of the
 *   mechanisms that may be used
 * @SMTP_AUTH_ERROR_BAD_CHALLENGE: a 334 challenge was not valid base64 or
 *   came when none was expected
 * @SMTP_AUTH_ERROR_INVALID_CREDENTIALS: the user name, password or token
 *   holds characters the mechanism cannot carry (NUL, CR, LF)
 */
typedef enum
{
  SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED,
  SMTP_AUTH_ERROR_BAD_CHALLENGE,
  SMTP_AUTH_ERROR_INVALID_CREDENTIALS,
} SmtpAuthError;

typedef enum
{
  SMTP_AUTH_MECHANISM_AUTO,
  SMTP_AUTH_MECHANISM_PLAIN,
  SMTP_AUTH_MECHANISM_LOGIN,
  SMTP_AUTH_MECHANISM_CRAM_MD5,
  SMTP_AUTH_MECHANISM_XOAUTH2,
} SmtpAuthMechanism;

GType smtp_auth_mechanism_get_type (void) G_GNUC_CONST;
#define SMTP_TYPE_AUTH_MECHANISM (smtp_auth_mechanism_get_type ())

typedef struct _SmtpSasl SmtpSasl;

GQuark             smtp_auth_error_quark        (void);

const char        *smtp_auth_mechanism_to_name   (SmtpAuthMechanism        mechanism);
const char        *smtp_auth_mechanism_to_id     (SmtpAuthMechanism        mechanism);
gboolean           smtp_auth_mechanism_from_id   (const char              *id,
                                                  SmtpAuthMechanism       *mechanism);
SmtpAuthMechanism  smtp_auth_choose              (const SmtpCapabilities  *caps,
                                                  SmtpAuthMechanism        wanted,
                                                  gboolean                 have_token,
                                                  GError                 **error);

SmtpSasl          *smtp_sasl_new                 (SmtpAuthMechanism        mechanism,
                                                  const char              *user,
                                                  const char              *secret,
                                                  GError                 **error);
void               smtp_sasl_free                (SmtpSasl                *sasl);
SmtpAuthMechanism  smtp_sasl_get_mechanism       (SmtpSasl                *sasl);
char              *smtp_sasl_initial_command     (SmtpSasl                *sasl);
char              *smtp_sasl_step                (SmtpSasl                *sasl,
                                                  const char              *challenge,
                                                  GError                 **error);
void               smtp_sasl_line_free           (char                    *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpSasl, smtp_sasl_free)

G_END_DECLS
