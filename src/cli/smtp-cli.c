/* smtp-cli.c: the command line front end, `smtp-setup test|explain|detect|accounts`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli.h"

#include "smtp-cli-detect.h"
#include "smtp-cli-explain.h"
#include "smtp-cli-test.h"

#include "smtp-core.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

typedef int (*CommandFunc) (int argc, char **argv);

static int
not_available (const char *command)
{
  g_printerr (_("smtp-setup %s is not available in this version yet.\n"), command);
  return SMTP_CLI_EXIT_UNAVAILABLE;
}

/* Parses the options of a command; returns FALSE after printing a usage
 * error, and sets *exit_status. */
static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
      *exit_status = SMTP_CLI_EXIT_USAGE;
      return FALSE;
    }

  return TRUE;
}

static int
command_test (int    argc,
              char **argv)
{
  return smtp_cli_test (argc, argv);
}

static int
command_detect (int    argc,
                char **argv)
{
  return smtp_cli_detect (argc, argv);
}

static int
command_accounts (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  int exit_status = 0;

  context = g_option_context_new (_("list | show NAME | add NAME | remove NAME"));
  g_option_context_set_summary (context, _("List, show, add or remove saved accounts."));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &exit_status))
    return exit_status;

  return not_available ("accounts");
}

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "test", command_test },
  { "explain", smtp_cli_explain },
  { "detect", command_detect },
  { "accounts", command_accounts },
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
