/* smtp-cli.c: the command line front end, `smtp-setup test|explain|detect|accounts`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli.h"

#include "smtp-cli-accounts.h"
#include "smtp-cli-detect.h"
#include "smtp-cli-explain.h"
#include "smtp-cli-test.h"

#include "smtp-core.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

typedef int (*CommandFunc) (int argc, char **argv);

/**
 * smtp_cli_read_secret:
 * @error: return location for a %G_IO_ERROR fit to show
 *
 * Reads the first line of standard input (a password or a token) into
 * memory that the caller wipes with explicit_bzero() before freeing. Reads
 * byte by byte, so nothing after the line is consumed.
 *
 * Returns: (transfer full) (nullable): the secret without its line end
 */
char *
smtp_cli_read_secret (GError **error)
{
  char *buffer = g_malloc0 (SMTP_CLI_MAX_SECRET + 1);
  gsize len = 0;

  while (len < SMTP_CLI_MAX_SECRET)
    {
      ssize_t n = read (STDIN_FILENO, buffer + len, 1);

      if (n < 0)
        {
          explicit_bzero (buffer, SMTP_CLI_MAX_SECRET);
          g_free (buffer);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not read the password from standard input."));
          return NULL;
        }
      if (n == 0 || buffer[len] == '\n')
        break;
      len++;
    }

  buffer[len] = '\0';
  if (len > 0 && buffer[len - 1] == '\r')
    buffer[--len] = '\0';

  if (len == 0)
    {
      g_free (buffer);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("No password arrived on standard input."));
      return NULL;
    }

  return buffer;
}

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "test", smtp_cli_test },
  { "explain", smtp_cli_explain },
  { "detect", smtp_cli_detect },
  { "accounts", smtp_cli_accounts },
};

/**
 * smtp_cli_is_command:
 * @arg: the first argument of the program
 *
 * Returns: %TRUE when @arg names a command of the command line front end
 */
gboolean
smtp_cli_is_command (const char *arg)
{
  g_return_val_if_fail (arg != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (arg, commands[i].name))
        return TRUE;
    }

  return FALSE;
}

/**
 * smtp_cli_run:
 * @argc: the program's argument count
 * @argv: the program's arguments, the command in argv[1]
 *
 * Runs one command. Never opens a display.
 *
 * Returns: the exit status, one of #SmtpCliExit or a stage-specific status
 */
int
smtp_cli_run (int    argc,
              char **argv)
{
  g_autofree char *prgname = NULL;

  g_return_val_if_fail (argc > 1, SMTP_CLI_EXIT_USAGE);

  prgname = g_strdup_printf ("smtp-setup %s", argv[1]);
  g_set_prgname (prgname);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);
    }

  g_return_val_if_reached (SMTP_CLI_EXIT_USAGE);
}
