/* smtp-cli.h: the command line front end, `smtp-setup test|explain|detect|accounts`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the command line (documented in smtp-setup --help and the README). */
typedef enum
{
  SMTP_CLI_EXIT_OK = 0,
  SMTP_CLI_EXIT_FAILED = 1,
  SMTP_CLI_EXIT_USAGE = 2,
  SMTP_CLI_EXIT_UNAVAILABLE = 69,
  SMTP_CLI_EXIT_CANCELLED = 130,
} SmtpCliExit;

/* The longest password or token read from standard input. */
#define SMTP_CLI_MAX_SECRET 4096

gboolean smtp_cli_is_command  (const char  *arg);
char    *smtp_cli_read_secret (GError     **error);
int      smtp_cli_run        (int          argc,
                              char       **argv);

G_END_DECLS
