/* smtp-cli-test.h: `smtp-setup test`, one test from the terminal
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-client.h"

G_BEGIN_DECLS

int smtp_cli_test             (int                   argc,
                               char                **argv);
int smtp_cli_test_exit_status (const SmtpTestResult *result);

G_END_DECLS
