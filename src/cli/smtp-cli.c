/* smtp-cli.c: the command line front end, `smtp-setup test|explain|detect|accounts`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli.h"

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
  g_autoptr(GOptionContext) context = NULL;
  char *host = NULL, *security = NULL, *user = NULL, *auth = NULL, *from = NULL, *to = NULL;
  char *ca_file = NULL, *pin = NULL, *account = NULL;
  int port = 0, timeout = 30, exit_status = 0;
  gboolean password_stdin = FALSE, check_only = FALSE, transcript = FALSE, json = FALSE;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("The port (587, 465 or 25)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security, N_("starttls, tls or none"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name to sign in with"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from standard input"), NULL },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth,
      N_("auto, plain, login, cram-md5 or xoauth2"), N_("METHOD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The sender address"), N_("ADDRESS") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The recipient address"), N_("ADDRESS") },
    { "check-only", 0, 0, G_OPTION_ARG_NONE, &check_only,
      N_("Connect and sign in, send nothing"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "pin-sha256", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("Trust exactly the server certificate with this SHA-256 fingerprint"), N_("HEX") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("The most one step may take in total (default 30)"), N_("SECONDS") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("Use a saved account; other options override its settings"), N_("NAME") },
    { "transcript", 0, 0, G_OPTION_ARG_NONE, &transcript,
      N_("Print the conversation, password removed"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Send a test email, or only check the sign-in."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &exit_status))
    goto out;

  exit_status = not_available ("test");

out:
  g_free (host); g_free (security); g_free (user); g_free (auth); g_free (from); g_free (to);
  g_free (ca_file); g_free (pin); g_free (account);
  return exit_status;
}

static int
command_explain (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *stage = NULL;
  gboolean json = FALSE;
  int exit_status = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage,
      N_("The stage the reply came at: greeting, ehlo, starttls, auth, mail, rcpt, data or message"),
      N_("STAGE") },
    { NULL }
  };

  context = g_option_context_new (_("REPLY…"));
  g_option_context_set_summary (context,
                                _("Explain a mail server’s reply, such as "
                                  "“535 5.7.8 Bad credentials”, in plain words."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &exit_status))
    return exit_status;

  return not_available ("explain");
}

static int
command_detect (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE, no_probe = FALSE;
  int exit_status = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe,
      N_("Do not connect to the candidate servers"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("EMAIL"));
  g_option_context_set_summary (context,
                                _("Find the outgoing server settings for an email address."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &exit_status))
    return exit_status;

  return not_available ("detect");
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
  { "explain", command_explain },
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
