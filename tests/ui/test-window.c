/* test-window.c: the window opens on the address page, which validates input
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-address-page.h"
#include "smtp-page.h"
#include "smtp-assistant.h"
#include "smtp-window.h"
#include "smtp-test-util.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

static gboolean
label_visible_cb (gpointer user_data)
{
  return gtk_widget_get_visible (GTK_WIDGET (user_data));
}

static gboolean
mapped_cb (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, id);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
test_window_opens (void)
{
  g_autofree char *dir = g_dir_make_tmp ("smtp-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (file);
  SmtpWindow *window = g_object_new (SMTP_TYPE_WINDOW, "store", store, NULL);
  SmtpAssistant *assistant = smtp_window_get_assistant (window);
  SmtpPage *page;

  gtk_window_present (GTK_WINDOW (window));
  smtp_test_wait_until (mapped_cb, window, 10000, "the window to be mapped");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SMTP Setup");
  page = smtp_assistant_get_current_page (assistant);
  g_assert_true (SMTP_IS_ADDRESS_PAGE (page));
  g_assert_cmpstr (smtp_page_get_title (page), ==, "Your Email Address");
  g_assert_false (smtp_page_get_complete (page));

  /* Next is the default widget: Enter in a field presses it. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) ==
                 child (assistant, SMTP_TYPE_ASSISTANT, "next_button"));
  g_assert_false (gtk_widget_is_sensitive (child (assistant, SMTP_TYPE_ASSISTANT, "next_button")));
  g_assert_false (gtk_widget_get_visible (child (assistant, SMTP_TYPE_ASSISTANT, "back_button")));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* GNOME's narrowest window (a phone held upright) is 360 pixels: every page
 * of the wizard, and the saved accounts, fit in it, at rest and while a page
 * works (the header bar then shows a spinner), in English and in the
 * translations, whose words are often longer (the build's catalogues). */
static void
test_window_fits_narrow (gconstpointer data)
{
  const char *language = data;
  g_autofree char *dir = g_dir_make_tmp ("smtp-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "accounts.ini", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (file);
  SmtpWindow *window;
  SmtpAssistant *assistant;
  GtkWidget *views;
  GtkWidget *content;
  GtkWidget *page;
  guint pages = 0;

  if (*language != '\0')
    {
      g_autofree char *po = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
      g_autofree char *mo = g_build_filename (po, language, "LC_MESSAGES",
                                              GETTEXT_PACKAGE ".mo", NULL);

      g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
      bindtextdomain (GETTEXT_PACKAGE, po);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  g_setenv ("LANGUAGE", *language != '\0' ? language : "C", TRUE);
  setlocale (LC_ALL, "");  /* so that gettext reads LANGUAGE again */
  g_assert_cmpstr (_("_Back"), !=, *language != '\0' ? "_Back" : "");

  /* As GNOME lays out window buttons by default: only Close. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  window = g_object_new (SMTP_TYPE_WINDOW, "store", store, NULL);
  assistant = smtp_window_get_assistant (window);
  views = child (window, SMTP_TYPE_WINDOW, "views");
  /* What the window shows, without the frame and shadow around it. */
  content = adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  smtp_test_wait_until (mapped_cb, window, 10000, "the window to be mapped");

  page = GTK_WIDGET (smtp_assistant_get_current_page (assistant));
  while (gtk_widget_get_prev_sibling (page) != NULL)
    page = gtk_widget_get_prev_sibling (page);
  for (; page != NULL; page = gtk_widget_get_next_sibling (page), pages++)
    {
      smtp_assistant_show_page (assistant, SMTP_PAGE (page));
      for (int busy = 0; busy <= 1; busy++)
        {
          int minimum = 0;

          _smtp_page_set_busy (SMTP_PAGE (page), busy);
          gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1,
                              &minimum, NULL, NULL, NULL);
          g_test_message ("%s%s: at least %d pixels wide", G_OBJECT_TYPE_NAME (page),
                          busy ? " (working)" : "", minimum);
          g_assert_cmpint (minimum, <=, 360);
        }
      _smtp_page_set_busy (SMTP_PAGE (page), FALSE);
    }
  g_assert_cmpuint (pages, >=, 6);

  gtk_stack_set_visible_child_name (GTK_STACK (views), "accounts");
  {
    int minimum = 0;

    gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1,
                        &minimum, NULL, NULL, NULL);
    g_test_message ("saved accounts: at least %d pixels wide", minimum);
    g_assert_cmpint (minimum, <=, 360);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

static void
test_address_validation (void)
{
  GtkWidget *window = gtk_window_new ();
  SmtpPage *page = smtp_address_page_new (NULL);
  GtkWidget *address_row = child (page, SMTP_TYPE_ADDRESS_PAGE, "address_row");
  GtkWidget *name_row = child (page, SMTP_TYPE_ADDRESS_PAGE, "name_row");
  GtkLabel *error_label = GTK_LABEL (child (page, SMTP_TYPE_ADDRESS_PAGE, "error_label"));

  g_object_ref_sink (page);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));

  gtk_editable_set_text (GTK_EDITABLE (name_row), "Ada Lovelace");
  gtk_editable_set_text (GTK_EDITABLE (address_row), "ada.example.com");
  g_assert_false (smtp_page_get_complete (page));

  /* The error appears once typing pauses, under the field. */
  smtp_test_wait_until (label_visible_cb, error_label, 5000, "the address error");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (error_label), "An email address has an"));
  g_assert_true (gtk_widget_has_css_class (address_row, "error"));

  /* A valid address clears it at once and makes the page complete. */
  gtk_editable_set_text (GTK_EDITABLE (address_row), "ada@example.com");
  g_assert_true (smtp_page_get_complete (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_false (gtk_widget_has_css_class (address_row, "error"));
  g_assert_cmpstr (smtp_address_page_get_address (SMTP_ADDRESS_PAGE (page)), ==, "ada@example.com");

  /* A line break in the name would reach the From header: refused. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Ada\nBcc: x@y.z");
  g_assert_false (smtp_page_get_complete (page));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_summary ("The window opens with the wizard frame on the address page; the page "
                  "validates the address and explains mistakes under the field.");

  g_test_add_func ("/window/opens", test_window_opens);
  g_test_add_data_func ("/window/fits-narrow/en", "", test_window_fits_narrow);
  g_test_add_data_func ("/window/fits-narrow/de", "de", test_window_fits_narrow);
  g_test_add_data_func ("/window/fits-narrow/tr", "tr", test_window_fits_narrow);
  g_test_add_func ("/address-page/validation", test_address_validation);

  return g_test_run ();
}
