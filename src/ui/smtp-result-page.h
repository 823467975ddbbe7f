/* smtp-result-page.h: what the test found, in plain words, with the fixes to try
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_RESULT_PAGE (smtp_result_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpResultPage, smtp_result_page, SMTP, RESULT_PAGE, SmtpPage)

SmtpPage        *smtp_result_page_new             (SmtpSetupModel *model);
SmtpExplanation *smtp_result_page_get_explanation (SmtpResultPage *self);

G_END_DECLS
