/* smtp-test-page.h: runs the test, with a live checklist of its steps
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_TEST_PAGE (smtp_test_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpTestPage, smtp_test_page, SMTP, TEST_PAGE, SmtpPage)

SmtpPage *smtp_test_page_new (SmtpSetupModel *model);

G_END_DECLS
