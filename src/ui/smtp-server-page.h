/* smtp-server-page.h: the outgoing server, its port and its encryption
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_SERVER_PAGE (smtp_server_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpServerPage, smtp_server_page, SMTP, SERVER_PAGE, SmtpPage)

SmtpPage *smtp_server_page_new (SmtpSetupModel *model);

G_END_DECLS
