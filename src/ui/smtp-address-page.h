/* smtp-address-page.h: the first page, the person's name and email address
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_ADDRESS_PAGE (smtp_address_page_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAddressPage, smtp_address_page, SMTP, ADDRESS_PAGE, SmtpPage)

SmtpPage   *smtp_address_page_new         (SmtpSetupModel  *model);
const char *smtp_address_page_get_name    (SmtpAddressPage *self);
const char *smtp_address_page_get_address (SmtpAddressPage *self);
void        smtp_address_page_set_demo_available (SmtpAddressPage *self,
                                                  gboolean         available);

G_END_DECLS
