/* test-application.c: the application remembers the window size and shows About
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-application.h"
#include "smtp-window.h"
#include "smtp-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

typedef struct
{
  SmtpApplication *app;
  GSettings       *settings;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* GSETTINGS_BACKEND=memory: nothing reaches the person's settings. */
  fixture->settings = g_settings_new (APP_ID);
  g_settings_set_int (fixture->settings, "window-width", 777);
  g_settings_set_int (fixture->settings, "window-height", 555);

  /* An application ID of each test's own: two instances of one ID in one
   * process would meet on the session bus. */
  fixture->app = smtp_application_new ();
  g_application_set_application_id (G_APPLICATION (fixture->app), data);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (window);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->settings);
}

static gboolean
mapped_cb (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static GtkWindow *
activate (Fixture *fixture)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (fixture->app));
  window = gtk_application_get_active_window (GTK_APPLICATION (fixture->app));
  g_assert_true (SMTP_IS_WINDOW (window));
  smtp_test_wait_until (mapped_cb, window, 10000, "the window to be mapped");

  return window;
}

static void
test_window_size (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = activate (fixture);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 777);
  g_assert_cmpint (height, ==, 555);

  /* A new size is kept for the next run. */
  gtk_window_set_default_size (window, 700, 600);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 600);
}

/* About is transient for the window, not one of the application's windows:
 * look among all toplevels. */
static AdwAboutWindow *
find_about (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return ADW_ABOUT_WINDOW (window);
    }

  return NULL;
}

static gboolean
about_open_cb (gpointer user_data)
{
  AdwAboutWindow *about = find_about ();

  return about != NULL && gtk_widget_get_mapped (GTK_WIDGET (about));
}

static void
test_about (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWindow *window = activate (fixture);
  g_auto(GStrv) accels = NULL;
  AdwAboutWindow *about;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), "app.about");
  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "F1");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  smtp_test_wait_until (about_open_cb, NULL, 10000, "About to open");

  about = find_about ();
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (about)));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "SMTP Setup");
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "The SMTP Setup authors");
  g_assert_true (g_str_has_prefix (adw_about_window_get_website (about), "https://"));
  g_assert_true (g_str_has_prefix (adw_about_window_get_issue_url (about), "https://"));

  /* The application icon is in the resources too, so About shows it even
   * when the program runs uninstalled. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          APP_ID));

  gtk_window_destroy (GTK_WINDOW (about));
}

/* Removes the test's own directory and whatever the window made in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("smtp-application-XXXXXX", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  int status;

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the shared MIME database too, and
   * without it GTK cannot load the theme's SVG icons. The window's own files
   * (saved accounts) still go to a directory of this test. */
  g_assert_nonnull (home);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_summary ("The application restores and keeps the window size in GSettings, "
                  "and app.about (F1) opens an About window with the version, licence and links.");

  g_test_add ("/application/window-size", Fixture, APP_ID ".Test.WindowSize",
              fixture_set_up, test_window_size, fixture_tear_down);
  g_test_add ("/application/about", Fixture, APP_ID ".Test.About",
              fixture_set_up, test_about, fixture_tear_down);

  status = g_test_run ();
  remove_tree (home);

  return status;
}
