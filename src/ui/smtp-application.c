/* smtp-application.c: the application, one instance per session
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-application"

#include "config.h"

#include "smtp-application.h"

#include "smtp-window.h"

#include <glib/gi18n.h>
#include <stdio.h>

struct _SmtpApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (SmtpApplication, smtp_application, ADW_TYPE_APPLICATION)

static void
smtp_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window == NULL)
    window = GTK_WINDOW (smtp_window_new (GTK_APPLICATION (application)));

  gtk_window_present (window);
}

static int
smtp_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "smtp-setup", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
smtp_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_action_cb },
  };

  G_APPLICATION_CLASS (smtp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
smtp_application_class_init (SmtpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = smtp_application_activate;
  app_class->startup = smtp_application_startup;
  app_class->handle_local_options = smtp_application_handle_local_options;
}

static void
smtp_application_init (SmtpApplication *self)
{
  static const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COMMAND]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Set up outgoing email and prove that it works.\n"
                                              "\n"
                                              "Without a command, the setup window opens."));
  g_application_set_option_context_description (G_APPLICATION (self),
    _("Commands:\n"
      "  test       Send a test email or check a sign-in from the terminal\n"
      "  explain    Explain a mail server’s reply in plain words\n"
      "  detect     Find the outgoing server settings for an email address\n"
      "  accounts   List, show, add or remove saved accounts\n"
      "\n"
      "Run “smtp-setup COMMAND --help” for the options of a command."));
}

SmtpApplication *
smtp_application_new (void)
{
  return g_object_new (SMTP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/smtpsetup/SmtpSetup",
                       NULL);
}
