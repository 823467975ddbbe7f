/* main.c: a command goes to the command line front end, anything else opens the window
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-application.h"
#include "smtp-cli.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SmtpApplication) app = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");

  /* SMTP_SETUP_LOCALEDIR reads the translations from another directory, such
   * as the build's po/ (where meson writes LANG/LC_MESSAGES/smtp-setup.mo):
   * the i18n test and `meson devenv` use it. Installed, LOCALEDIR is right. */
  localedir = g_getenv ("SMTP_SETUP_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The command line never needs a display. */
  if (argc > 1 && smtp_cli_is_command (argv[1]))
    return smtp_cli_run (argc, argv);

  app = smtp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
