/* test-wizard.c: the whole wizard, driven through its real widgets, against
 * the project's test server
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-address-page.h"
#include "smtp-accounts-view.h"
#include "smtp-assistant.h"
#include "smtp-detect-page.h"
#include "smtp-result-page.h"
#include "smtp-server-page.h"
#include "smtp-signin-page.h"
#include "smtp-test-page.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"
#include "smtp-window.h"

#include <adwaita.h>
#include <string.h>

#define USER "ada@example.test"
#define PASSWORD "correct horse battery staple"

static char *certs;

typedef struct
{
  SmtpWindow     *window;
  SmtpAssistant  *assistant;
  SmtpSetupModel *model;
  SmtpTestServer *server;
} Fixture;

static char *
cert_path (const char *name)
{
  return g_build_filename (certs, name, NULL);
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

static gboolean
mapped_cb (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static void
start_server (Fixture          *fixture,
              SmtpTestSecurity  security,
              const char       *cert)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = g_strdup_printf ("%s.pem", cert);
  g_autofree char *key = g_strdup_printf ("%s.key", cert);
  g_autofree char *cert_file = cert_path (pem);
  g_autofree char *key_file = cert_path (key);

  g_clear_object (&fixture->server);
  fixture->server = smtp_test_server_new (security, cert_file, key_file, &error);
  g_assert_no_error (error);
  smtp_test_server_set_credentials (fixture->server, USER, PASSWORD);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = cert_path ("ca.pem");
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca, &error);

  g_assert_no_error (error);
  g_autofree char *store_path = g_build_filename (certs, "accounts.ini", NULL);
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (store_file);

  /* Accounts go to a file of the test's own, never the person's. */
  fixture->window = g_object_new (SMTP_TYPE_WINDOW, "store", store, NULL);
  fixture->assistant = smtp_window_get_assistant (fixture->window);
  fixture->model = smtp_window_get_model (fixture->window);
  smtp_setup_model_set_ca_database (fixture->model, database);
  gtk_window_present (GTK_WINDOW (fixture->window));
  smtp_test_wait_until (mapped_cb, fixture->window, 10000, "the window to be mapped");

  start_server (fixture, SMTP_TEST_SECURITY_STARTTLS, "server");
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  if (fixture->server != NULL)
    smtp_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

typedef struct
{
  SmtpAssistant *assistant;
  GType          type;
} PageWait;

static gboolean
page_is_cb (gpointer user_data)
{
  PageWait *wait = user_data;
  SmtpPage *page = smtp_assistant_get_current_page (wait->assistant);

  return page != NULL && G_TYPE_CHECK_INSTANCE_TYPE (page, wait->type) && !smtp_page_get_busy (page);
}

static gboolean
page_type_is_cb (gpointer user_data)
{
  PageWait *wait = user_data;
  SmtpPage *page = smtp_assistant_get_current_page (wait->assistant);

  return page != NULL && G_TYPE_CHECK_INSTANCE_TYPE (page, wait->type);
}

static SmtpPage *
wait_for_page (Fixture *fixture,
               GType    type)
{
  PageWait wait = { fixture->assistant, type };

  smtp_test_wait_until (page_is_cb, &wait, 30000, g_type_name (type));
  return smtp_assistant_get_current_page (fixture->assistant);
}

/* Presses Enter's action: what a keyboard-only person does. */
static void
press_next (Fixture *fixture)
{
  SmtpPage *page = smtp_assistant_get_current_page (fixture->assistant);

  g_assert_true (smtp_page_get_complete (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "assistant.next",
                                             NULL));
}

static void
type_text (gpointer    page,
           GType       type,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (page, type, id)), text);
}

/* Address → server → sign-in → test, as far as the test page. */
static void
fill_wizard (Fixture      *fixture,
             SmtpSecurity  security,
             guint16       port,
             const char   *password)
{
  SmtpPage *page;
  g_autofree char *port_text = g_strdup_printf ("%u", port);

  page = wait_for_page (fixture, SMTP_TYPE_ADDRESS_PAGE);
  type_text (page, SMTP_TYPE_ADDRESS_PAGE, "name_row", "Ada Lovelace");
  type_text (page, SMTP_TYPE_ADDRESS_PAGE, "address_row", USER);
  press_next (fixture);

  /* Detection runs at once; this server is local, so type it in. */
  {
    PageWait wait = { fixture->assistant, SMTP_TYPE_DETECT_PAGE };

    smtp_test_wait_until (page_type_is_cb, &wait, 10000, "the detect page");
  }
  page = smtp_assistant_get_current_page (fixture->assistant);
  g_assert_true (smtp_page_get_busy (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "detect.manual", NULL));

  page = wait_for_page (fixture, SMTP_TYPE_SERVER_PAGE);
  g_assert_false (smtp_page_get_complete (page));
  type_text (page, SMTP_TYPE_SERVER_PAGE, "host_row", "localhost");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, SMTP_TYPE_SERVER_PAGE, "port_row")), 3);
  type_text (page, SMTP_TYPE_SERVER_PAGE, "custom_port_row", port_text);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (page, SMTP_TYPE_SERVER_PAGE, "security_row")),
                              security);
  press_next (fixture);

  page = wait_for_page (fixture, SMTP_TYPE_SIGNIN_PAGE);
  /* The user name is prefilled with the address. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (page, SMTP_TYPE_SIGNIN_PAGE,
                                                               "user_row"))), ==, USER);
  g_assert_false (smtp_page_get_complete (page));
  type_text (page, SMTP_TYPE_SIGNIN_PAGE, "password_row", password);
  press_next (fixture);

  page = wait_for_page (fixture, SMTP_TYPE_TEST_PAGE);
  g_assert_cmpstr (smtp_page_get_next_label (page), ==, "_Start Test");
}

static SmtpResultPage *
run_test (Fixture *fixture)
{
  press_next (fixture);
  return SMTP_RESULT_PAGE (wait_for_page (fixture, SMTP_TYPE_RESULT_PAGE));
}

static const char *
label_text (gpointer    page,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (child (page, SMTP_TYPE_RESULT_PAGE, id)));
}

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  SmtpResultPage *result;
  g_autofree char *message = NULL;

  fill_wizard (fixture, SMTP_SECURITY_STARTTLS, smtp_test_server_get_port (fixture->server),
               PASSWORD);
  result = run_test (fixture);

  g_assert_true (smtp_setup_model_get_result (fixture->model)->ok);
  g_assert_cmpstr (label_text (result, "title_label"), ==, "Your Email Is Working");
  g_assert_true (gtk_widget_get_visible (child (result, SMTP_TYPE_RESULT_PAGE, "summary_group")));
  g_assert_true (smtp_test_server_wait_for_message (fixture->server, 5000));
  message = smtp_test_server_get_message (fixture->server);
  g_assert_nonnull (strstr (message, "Ada Lovelace"));

  /* The technical details never hold the password. */
  g_assert_null (strstr (label_text (result, "details_label"), PASSWORD));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  SmtpResultPage *result;
  SmtpExplanation *explanation;

  fill_wizard (fixture, SMTP_SECURITY_STARTTLS, smtp_test_server_get_port (fixture->server),
               "wrong password");
  result = run_test (fixture);

  explanation = smtp_result_page_get_explanation (result);
  g_assert_nonnull (explanation);
  g_assert_cmpstr (explanation->category, ==, "auth-failed");
  g_assert_cmpstr (label_text (result, "title_label"), ==, explanation->title);
  g_assert_cmpstr (label_text (result, "advice_label"), ==, explanation->advice);
  g_assert_nonnull (strstr (label_text (result, "details_label"), "535"));
  g_assert_null (strstr (label_text (result, "details_label"), "wrong password"));

  /* Back to the sign-in page, the right password, and it works. */
  smtp_assistant_show_page (fixture->assistant,
                            SMTP_PAGE (gtk_widget_get_prev_sibling (
                              gtk_widget_get_prev_sibling (GTK_WIDGET (result)))));
  type_text (wait_for_page (fixture, SMTP_TYPE_SIGNIN_PAGE), SMTP_TYPE_SIGNIN_PAGE,
             "password_row", PASSWORD);
  press_next (fixture);
  wait_for_page (fixture, SMTP_TYPE_TEST_PAGE);
  run_test (fixture);
  g_assert_true (smtp_setup_model_get_result (fixture->model)->ok);
}

static gboolean
dialog_open_cb (gpointer user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **) user_data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
result_ok_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  const SmtpTestResult *result = smtp_setup_model_get_result (fixture->model);
  SmtpPage *page = smtp_assistant_get_current_page (fixture->assistant);

  return SMTP_IS_RESULT_PAGE (page) && result != NULL && result->ok;
}

static guint
find_fix (SmtpResultPage *result,
          const char     *id)
{
  SmtpExplanation *explanation = smtp_result_page_get_explanation (result);

  g_assert_nonnull (explanation);
  for (guint i = 0; i < explanation->fixes->len; i++)
    {
      SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

      if (g_str_equal (fix->id, id))
        return i;
    }

  g_error ("no fix %s for %s", id, explanation->category);
}

static void
test_trust_certificate (Fixture       *fixture,
                        gconstpointer  data)
{
  SmtpResultPage *result;
  AdwMessageDialog *dialog = NULL;
  guint fix;

  start_server (fixture, SMTP_TEST_SECURITY_STARTTLS, "selfsigned");
  fill_wizard (fixture, SMTP_SECURITY_STARTTLS, smtp_test_server_get_port (fixture->server),
               PASSWORD);
  result = run_test (fixture);

  g_assert_cmpstr (smtp_result_page_get_explanation (result)->category, ==,
                   "certificate-untrusted");
  g_assert_cmpuint (smtp_test_server_get_messages (fixture->server), ==, 0);

  /* The certificate is shown before it is trusted. */
  fix = find_fix (result, "trust-certificate");
  gtk_widget_activate_action (GTK_WIDGET (result), "result.apply-fix", "u", fix);
  smtp_test_wait_until (dialog_open_cb, &dialog, 5000, "the certificate dialog");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            smtp_setup_model_get_result (fixture->model)->certificate->sha256));
  adw_message_dialog_response (dialog, "trust");
  gtk_window_destroy (GTK_WINDOW (dialog));

  smtp_test_wait_until (result_ok_cb, fixture, 30000, "the test with the pinned certificate");
  g_assert_nonnull (smtp_account_get_pin_sha256 (smtp_setup_model_get_account (fixture->model)));
  g_assert_true (smtp_setup_model_get_result (fixture->model)->certificate->pinned);
}

/* SSL/TLS chosen for a server that speaks STARTTLS: the fix switches the
 * security mode and the test then succeeds. */
static void
test_fix_switches_security (Fixture       *fixture,
                            gconstpointer  data)
{
  SmtpResultPage *result;
  guint fix;

  fill_wizard (fixture, SMTP_SECURITY_TLS, smtp_test_server_get_port (fixture->server),
               PASSWORD);
  result = run_test (fixture);

  g_assert_false (smtp_setup_model_get_result (fixture->model)->ok);
  fix = find_fix (result, "use-starttls-same-port");
  gtk_widget_activate_action (GTK_WIDGET (result), "result.apply-fix", "u", fix);

  smtp_test_wait_until (result_ok_cb, fixture, 30000, "the test after the fix");
  g_assert_cmpint (smtp_account_get_security (smtp_setup_model_get_account (fixture->model)), ==,
                   SMTP_SECURITY_STARTTLS);
  g_assert_true (smtp_test_server_wait_for_message (fixture->server, 5000));
}

/* Back while the test runs stops it and stays on the test page. */
static void
test_back_cancels (Fixture       *fixture,
                   gconstpointer  data)
{
  SmtpPage *page;

  smtp_test_server_add_rule (fixture->server, "AUTH", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);
  fill_wizard (fixture, SMTP_SECURITY_STARTTLS, smtp_test_server_get_port (fixture->server),
               PASSWORD);
  press_next (fixture);
  page = smtp_assistant_get_current_page (fixture->assistant);
  g_assert_true (SMTP_IS_TEST_PAGE (page));

  while (!smtp_page_get_busy (page))
    g_main_context_iteration (NULL, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "assistant.back", NULL);
  page = wait_for_page (fixture, SMTP_TYPE_SIGNIN_PAGE);
  g_assert_false (smtp_page_get_busy (page));
  g_assert_null (smtp_setup_model_get_result (fixture->model));
}

typedef struct
{
  gboolean  done;
  char     *password;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->password = smtp_keyring_lookup_finish (SMTP_KEYRING (source), result, NULL);
  lookup->done = TRUE;
}

static gboolean
lookup_done_cb (gpointer user_data)
{
  return ((Lookup *) user_data)->done;
}

static char *
keyring_lookup (guint16 port)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  Lookup lookup = { 0 };

  smtp_keyring_lookup_async (keyring, USER, "localhost", port, NULL, lookup_cb, &lookup);
  smtp_test_wait_until (lookup_done_cb, &lookup, 20000, "the keyring");
  return lookup.password;
}

static gboolean
accounts_shown_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkStack *views = GTK_STACK (child (fixture->window, SMTP_TYPE_WINDOW, "views"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (views), "accounts") == 0;
}

static gboolean
two_messages_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  return smtp_test_server_get_messages (fixture->server) == 2;
}

/* Save after success: the settings go to the file, the password only to the
 * keyring; the saved account then opens and tests again without retyping. */
static void
test_save_and_test_again (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (certs, "accounts.ini", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *stored = NULL;
  guint16 port = smtp_test_server_get_port (fixture->server);
  SmtpResultPage *result;
  GtkStack *views = GTK_STACK (child (fixture->window, SMTP_TYPE_WINDOW, "views"));
  GtkWidget *accounts;
  gint64 deadline;

  fill_wizard (fixture, SMTP_SECURITY_STARTTLS, port, PASSWORD);
  result = run_test (fixture);
  g_assert_true (smtp_setup_model_get_result (fixture->model)->ok);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (result), "result.save", NULL));
  smtp_test_wait_until (accounts_shown_cb, fixture, 20000, "the saved accounts");

  contents = smtp_test_read_file (path);
  g_assert_nonnull (strstr (contents, "localhost"));
  g_assert_null (strstr (contents, PASSWORD));

  /* The keyring gets the password just after the file is written. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((stored = keyring_lookup (port)) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (stored, ==, PASSWORD);

  /* Test again from the list, with the password from the keyring. */
  smtp_setup_model_set_password (fixture->model, NULL);
  accounts = gtk_stack_get_child_by_name (views, "accounts");
  {
    GListModel *list = smtp_account_store_get_accounts (smtp_window_get_store (fixture->window));
    g_autoptr(SmtpAccount) saved = g_list_model_get_item (list, 0);

    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
    g_assert_cmpstr (smtp_account_get_name (saved), ==, USER);
    g_assert_true (smtp_account_get_last_test_ok (saved));
    g_signal_emit_by_name (accounts, "test-account", saved);
  }

  smtp_test_wait_until (two_messages_cb, fixture, 30000, "the test of the saved account");
  smtp_test_wait_until (result_ok_cb, fixture, 30000, "its result");
  g_assert_cmpstr (smtp_setup_model_get_password (fixture->model), ==, PASSWORD);
  g_assert_cmpuint (smtp_test_server_get_messages (fixture->server), ==, 2);
}

static gboolean
demo_visible_cb (gpointer user_data)
{
  return gtk_widget_get_visible (GTK_WIDGET (user_data));
}

/* build-aux/run.sh --demo: a local server, and the first page offers it. */
static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *ini = g_build_filename (certs, "demo.ini", NULL);
  g_autofree char *ca = cert_path ("ca.pem");
  g_autofree char *contents = NULL;
  g_autofree char *store_path = g_build_filename (certs, "demo-accounts.ini", NULL);
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (store_file);
  g_autoptr(GError) error = NULL;
  SmtpPage *address;
  GtkWidget *demo_group;
  SmtpResultPage *result;

  smtp_test_server_set_credentials (fixture->server, "demo@example.test", "demo-password");
  contents = g_strdup_printf ("[demo]\nhost=localhost\nport=%u\nsecurity=starttls\n"
                              "user=demo@example.test\npassword=demo-password\nca_file=%s\n",
                              smtp_test_server_get_port (fixture->server), ca);
  g_file_set_contents (ini, contents, -1, &error);
  g_assert_no_error (error);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_setenv ("SMTP_SETUP_DEMO", ini, TRUE);
  fixture->window = g_object_new (SMTP_TYPE_WINDOW, "store", store, NULL);
  g_unsetenv ("SMTP_SETUP_DEMO");
  fixture->assistant = smtp_window_get_assistant (fixture->window);
  fixture->model = smtp_window_get_model (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));

  address = wait_for_page (fixture, SMTP_TYPE_ADDRESS_PAGE);
  demo_group = child (address, SMTP_TYPE_ADDRESS_PAGE, "demo_group");
  smtp_test_wait_until (demo_visible_cb, demo_group, 10000, "the demo offer");

  /* A whole test that succeeds… */
  gtk_widget_activate_action (GTK_WIDGET (address), "address.demo", "b", FALSE);
  wait_for_page (fixture, SMTP_TYPE_TEST_PAGE);
  result = run_test (fixture);
  g_assert_true (smtp_setup_model_get_result (fixture->model)->ok);

  /* …and one that fails with a wrong password, explained. */
  smtp_assistant_show_page (fixture->assistant, address);
  gtk_widget_activate_action (GTK_WIDGET (address), "address.demo", "b", TRUE);
  wait_for_page (fixture, SMTP_TYPE_TEST_PAGE);
  result = run_test (fixture);
  g_assert_false (smtp_setup_model_get_result (fixture->model)->ok);
  g_assert_cmpstr (smtp_result_page_get_explanation (result)->category, ==, "auth-failed");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_summary ("The wizard, driven through its widgets from the first page to the result, "
                  "against the scriptable test server: success, a wrong password explained, an "
                  "untrusted certificate inspected and trusted, a fix that switches the "
                  "security mode, and Back cancelling a running test.");

  certs = smtp_test_make_certs ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/wizard/success", test_success);
  ADD ("/wizard/wrong-password", test_wrong_password);
  ADD ("/wizard/trust-certificate", test_trust_certificate);
  ADD ("/wizard/fix-switches-security", test_fix_switches_security);
  ADD ("/wizard/back-cancels", test_back_cancels);
  ADD ("/wizard/save-and-test-again", test_save_and_test_again);
  ADD ("/wizard/demo", test_demo);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", certs);
    (void) !system (cmd);
  }
  g_free (certs);

  return status;
}
