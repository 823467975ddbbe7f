/* smtp-detect-page.h: finds the settings for the address, with live progress
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_DETECT_PAGE (smtp_detect_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpDetectPage, smtp_detect_page, SMTP, DETECT_PAGE, SmtpPage)

SmtpPage       *smtp_detect_page_new            (SmtpSetupModel *model);
SmtpAutoconfig *smtp_detect_page_get_autoconfig (SmtpDetectPage *self);

G_END_DECLS
