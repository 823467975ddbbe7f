/* smtp-cli-detect.h: `smtp-setup detect`, the settings for an email address
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int smtp_cli_detect (int    argc,
                     char **argv);

G_END_DECLS
