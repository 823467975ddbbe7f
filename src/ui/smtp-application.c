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

/* Remembers the window's size between runs. Without the installed schema
 * (a program run from a build directory without GSETTINGS_SCHEMA_DIR),
 * g_settings_new() would abort, so the size is then simply not kept. */
static void
bind_window_size (GtkWindow *window)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("The settings schema %s is not installed: the window size is not kept", APP_ID);
      return;
    }

  /* The bindings hold the settings object for as long as the window lives. */
  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_bind (settings, "window-width", window, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", window, "default-height", G_SETTINGS_BIND_DEFAULT);
}

static void
smtp_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window == NULL)
    {
      window = GTK_WINDOW (smtp_window_new (GTK_APPLICATION (application)));
      bind_window_size (window);
    }

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
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  static const char *developers[] = { "The SMTP Setup authors", NULL };
  GtkApplication *application = GTK_APPLICATION (user_data);
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("SMTP Setup"),
                        "developer-name", "The SMTP Setup authors",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Set up outgoing email and prove that it works."),
                        "website", "https://github.com/smtpsetup/smtp-setup",
                        "issue-url", "https://github.com/smtpsetup/smtp-setup/issues",
                        "copyright", "© 2026 The SMTP Setup authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name and email address, one translator a line,
                         * e.g. "Ada Lovelace <ada@example.com>"; they are shown in About. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (about);
}

static void
smtp_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *about_accels[] = { "F1", NULL };
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_action_cb },
    { .name = "about", .activate = about_action_cb },
  };

  G_APPLICATION_CLASS (smtp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.about", about_accels);
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
