/* smtp-application.h: the application, one instance per session
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SMTP_TYPE_APPLICATION (smtp_application_get_type ())

G_DECLARE_FINAL_TYPE (SmtpApplication, smtp_application, SMTP, APPLICATION, AdwApplication)

SmtpApplication *smtp_application_new (void);

G_END_DECLS
