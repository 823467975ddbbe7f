/* make-screenshots.c: renders every page of the wizard, light and dark, to PNG
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: make-screenshots OUTDIR [WIDTH HEIGHT]
 * Run under a display (build-aux/screenshots.sh does it headless). The
 * test and result pages come from real tests against the project's test
 * server on loopback: one that succeeds and one with a wrong password.
 */

#include "config.h"

#include "smtp-assistant.h"
#include "smtp-detect-page.h"
#include "smtp-result-page.h"
#include "smtp-test-page.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"
#include "smtp-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

static const char *outdir;

static gboolean
idle_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the window lay out and draw: a few frames' worth of iterations. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, idle_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
save_png (GtkWidget  *window,
          const char *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window);
  int height = gtk_widget_get_height (window);

  /* The window's last frame; there is none between a redraw being queued
   * (a spinner queues one every frame) and the next frame: wait for it. */
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (tries > 0)
        settle (10);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  if (node == NULL)
    g_error ("The window did not draw %s", name);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (outdir, name, NULL);
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static SmtpPage *
nth_page (SmtpAssistant *assistant,
          guint          n)
{
  GtkWidget *page = GTK_WIDGET (smtp_assistant_get_current_page (assistant));

  while (gtk_widget_get_prev_sibling (page) != NULL)
    page = gtk_widget_get_prev_sibling (page);
  while (n-- > 0)
    page = gtk_widget_get_next_sibling (page);

  return SMTP_PAGE (page);
}

static gboolean
not_busy_cb (gpointer user_data)
{
  return !smtp_page_get_busy (user_data);
}

static gboolean
accounts_shown_cb (gpointer user_data)
{
  GtkStack *views = GTK_STACK (gtk_widget_get_template_child (user_data, SMTP_TYPE_WINDOW,
                                                              "views"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (views), "accounts") == 0;
}

static gboolean
result_shown_cb (gpointer user_data)
{
  return SMTP_IS_RESULT_PAGE (smtp_assistant_get_current_page (user_data));
}

static void
shoot_all (const char *scheme,
           int         width,
           int         height)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *certs = smtp_test_make_certs ();
  g_autofree char *cert = g_build_filename (certs, "server.pem", NULL);
  g_autofree char *key = g_build_filename (certs, "server.key", NULL);
  g_autofree char *ca = g_build_filename (certs, "ca.pem", NULL);
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca, &error);
  g_autoptr(SmtpTestServer) server = NULL;
  SmtpWindow *window;
  SmtpAssistant *assistant;
  SmtpSetupModel *model;
  SmtpAccount *account;
  g_autofree char *name = NULL;
  const char *pages[] = { "address", "detect", "server", "signin", "test" };

  g_assert_no_error (error);
  server = smtp_test_server_new (SMTP_TEST_SECURITY_STARTTLS, cert, key, &error);
  g_assert_no_error (error);
  smtp_test_server_set_credentials (server, "ada@example.com", "secret");

  {
    g_autofree char *path = g_build_filename (certs, "accounts.ini", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (file);

    window = g_object_new (SMTP_TYPE_WINDOW, "store", store, NULL);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  assistant = smtp_window_get_assistant (window);
  model = smtp_window_get_model (window);
  smtp_setup_model_set_ca_database (model, database);
  account = smtp_setup_model_get_account (model);
  gtk_window_present (GTK_WINDOW (window));
  settle (600);

  /* What a person would have typed by the time each page shows. */
  smtp_account_set_address (account, "ada@example.com");
  smtp_account_set_from_name (account, "Ada Lovelace");
  smtp_account_set_host (account, "localhost");
  smtp_account_set_port (account, smtp_test_server_get_port (server));
  smtp_account_set_security (account, SMTP_SECURITY_STARTTLS);
  smtp_account_set_user (account, "ada@example.com");
  smtp_setup_model_set_password (model, "secret");

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      /* Detection for a known provider: the built-in list answers; the
       * network lookups end within their bound. */
      if (SMTP_IS_DETECT_PAGE (nth_page (assistant, i)))
        smtp_account_set_address (account, "ada@gmail.com");
      smtp_assistant_show_page (assistant, nth_page (assistant, i));
      if (SMTP_IS_DETECT_PAGE (nth_page (assistant, i)))
        {
          smtp_test_wait_until (not_busy_cb, nth_page (assistant, i), 30000, "detection");
          smtp_account_set_address (account, "ada@example.com");
          smtp_account_set_host (account, "localhost");
          smtp_account_set_port (account, smtp_test_server_get_port (server));
          smtp_account_set_security (account, SMTP_SECURITY_STARTTLS);
          smtp_account_set_user (account, "ada@example.com");
        }
      settle (500);
      name = g_strdup_printf ("%02u-%s-%s.png", i + 1, pages[i], scheme);
      save_png (GTK_WIDGET (window), name);
      g_clear_pointer (&name, g_free);
    }

  /* A test that works, caught while the server takes its time with the
   * message: the live checklist. */
  smtp_test_server_add_rule (server, "MESSAGE", 1, SMTP_TEST_ACTION_REPLY,
                             "250 2.0.0 Ok: queued as DEMO\r\n", 2500);
  smtp_assistant_next (assistant);
  settle (1200);
  name = g_strdup_printf ("05-progress-%s.png", scheme);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  smtp_test_wait_until (result_shown_cb, assistant, 30000, "the result");
  settle (500);
  name = g_strdup_printf ("06-success-%s.png", scheme);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);

  /* Saved: the list of accounts with the last result. */
  gtk_widget_activate_action (GTK_WIDGET (smtp_assistant_get_current_page (assistant)),
                              "result.save", NULL);
  smtp_test_wait_until (accounts_shown_cb, window, 30000, "the saved accounts");
  settle (500);
  name = g_strdup_printf ("08-accounts-%s.png", scheme);
  save_png (GTK_WIDGET (window), name);
  g_clear_pointer (&name, g_free);
  smtp_setup_model_load (model, smtp_account_store_lookup (smtp_window_get_store (window),
                                                           "ada@example.com"), "secret");
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_template_child (
    GTK_WIDGET (window), SMTP_TYPE_WINDOW, "views")), "wizard");

  /* And one that does not. */
  smtp_setup_model_set_password (model, "not the password");
  smtp_assistant_show_page (assistant, nth_page (assistant, 4));
  settle (300);
  smtp_assistant_next (assistant);
  smtp_test_wait_until (result_shown_cb, assistant, 30000, "the result");
  settle (500);
  name = g_strdup_printf ("07-failure-%s.png", scheme);
  save_png (GTK_WIDGET (window), name);

  gtk_window_destroy (GTK_WINDOW (window));
  smtp_test_server_stop (server);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", certs);
    (void) !system (cmd);
  }
}

int
main (int   argc,
      char *argv[])
{
  int width = 640, height = 720;

  /* LANGUAGE=tr pictures: the build's translations when asked for. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SMTP_SETUP_LOCALEDIR") != NULL
                                   ? g_getenv ("SMTP_SETUP_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Test mode: G_TEST_SRCDIR finds tests/scripts/make-certs.sh. */
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Pictures of pages, not of transitions between them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* As GNOME lays out window buttons by default: only Close. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTDIR [WIDTH HEIGHT]\n", argv[0]);
      return 2;
    }
  outdir = argv[1];
  if (argc >= 4)
    {
      width = atoi (argv[2]);
      height = atoi (argv[3]);
    }
  g_mkdir_with_parents (outdir, 0755);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  shoot_all ("light", width, height);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  shoot_all ("dark", width, height);

  return 0;
}
