/* smtp-explain.h: any failure -> a category, plain words, advice and the fixes to try
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-client.h"
#include "smtp-reply.h"

G_BEGIN_DECLS

/**
 * SmtpFix:
 * @id: a stable id, such as "use-tls-465", "use-starttls-587",
 *   "use-full-address", "trust-certificate"
 * @label: a translated button label, such as "Use Port 465 with SSL/TLS"
 * @port: the port to change to, or 0 to keep it
 * @security: the security mode to change to, when @change_security
 * @change_security: whether @security applies
 * @user: (nullable): the user name to change to
 * @trust_certificate: pin the certificate the server showed
 *
 * A change the app can make by itself and test again.
 */
typedef struct
{
  char         *id;
  char         *label;
  guint16       port;
  SmtpSecurity  security;
  gboolean      change_security;
  char         *user;
  gboolean      trust_certificate;
} SmtpFix;

/**
 * SmtpExplanation:
 * @category: a stable category id from DESIGN.md, such as "auth-failed"
 * @title: a short translated title a non-technical person understands
 * @explanation: what happened, in plain translated words
 * @advice: what to try, concrete steps, translated
 * @fixes: (element-type SmtpFix): the fixes the app can try by itself
 * @help_uri: (nullable): the provider's help page for this failure
 * @provider: (nullable): the provider's display name, when known
 */
typedef struct
{
  char      *category;
  char      *title;
  char      *explanation;
  char      *advice;
  GPtrArray *fixes;
  char      *help_uri;
  char      *provider;
} SmtpExplanation;

/**
 * SmtpExplainContext:
 * @host: (nullable): the server that was tested
 * @port: the port, 0 when unknown
 * @security: the security mode
 * @user: (nullable): the user name
 * @from: (nullable): the sender address
 * @certificate: (nullable): the certificate the server showed, with its failed checks
 * @reply_authenticated: the reply arrived over TLS. Only then may its words
 *   name the provider; they are never shown either way (DESIGN.md, Security
 *   rules). %FALSE, the zero value, is the safe default.
 *
 * What is known of the test besides the failure; all of it optional. A
 * @port of 0 means the settings are unknown, and no fix that changes the
 * port or the security is offered for network failures.
 */
typedef struct
{
  const char                *host;
  guint16                    port;
  SmtpSecurity               security;
  const char                *user;
  const char                *from;
  const SmtpCertificateInfo *certificate;
  gboolean                   reply_authenticated;
} SmtpExplainContext;

void             smtp_fix_free               (SmtpFix                  *fix);
void             smtp_explanation_free       (SmtpExplanation          *explanation);

SmtpExplanation *smtp_explain                (const GError             *error,
                                              SmtpStage                 stage,
                                              const SmtpReply          *reply,
                                              const SmtpExplainContext *context);
SmtpExplanation *smtp_explain_result         (const SmtpTestResult     *result,
                                              const SmtpTestOptions    *options);
const char     **smtp_explain_list_categories (void);
const char      *smtp_explain_category_title  (const char               *category);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpExplanation, smtp_explanation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpFix, smtp_fix_free)

G_END_DECLS
