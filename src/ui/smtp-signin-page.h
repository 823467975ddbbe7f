/* smtp-signin-page.h: user name, password and sign-in method
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_SIGNIN_PAGE (smtp_signin_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpSigninPage, smtp_signin_page, SMTP, SIGNIN_PAGE, SmtpPage)

SmtpPage *smtp_signin_page_new (SmtpSetupModel *model);

G_END_DECLS
