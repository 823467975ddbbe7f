/* smtp-window.h: the main window
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "smtp-assistant.h"
#include "smtp-setup-model.h"

G_BEGIN_DECLS

#define SMTP_TYPE_WINDOW (smtp_window_get_type ())

G_DECLARE_FINAL_TYPE (SmtpWindow, smtp_window, SMTP, WINDOW, AdwApplicationWindow)

SmtpWindow    *smtp_window_new           (GtkApplication *application);
SmtpAssistant *smtp_window_get_assistant (SmtpWindow     *self);
SmtpSetupModel *smtp_window_get_model    (SmtpWindow     *self);
SmtpAccountStore *smtp_window_get_store  (SmtpWindow     *self);

G_END_DECLS
