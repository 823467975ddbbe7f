/* smtp-cli-explain.h: `smtp-setup explain`, a server reply in plain words
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int smtp_cli_explain (int    argc,
                      char **argv);

G_END_DECLS
