/* smtp-assistant.h: the wizard frame, a stack of pages with Back and Next
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-page.h"

G_BEGIN_DECLS

#define SMTP_TYPE_ASSISTANT (smtp_assistant_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAssistant, smtp_assistant, SMTP, ASSISTANT, AdwBin)

GtkWidget *smtp_assistant_new              (void);
void       smtp_assistant_add_page         (SmtpAssistant *self,
                                            SmtpPage      *page);
SmtpPage  *smtp_assistant_get_current_page (SmtpAssistant *self);
void       smtp_assistant_show_page        (SmtpAssistant *self,
                                            SmtpPage      *page);
void       smtp_assistant_next             (SmtpAssistant *self);
void       smtp_assistant_set_home_action  (SmtpAssistant *self,
                                            const char    *action);
SmtpPage  *smtp_assistant_get_page         (SmtpAssistant *self,
                                            GType          type);

G_END_DECLS
