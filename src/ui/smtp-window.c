/* smtp-window.c: the main window: the saved accounts, and the wizard
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-window"

#include "config.h"

#include "smtp-window.h"

#include "smtp-accounts-view.h"
#include "smtp-address-page.h"
#include "smtp-detect-page.h"
#include "smtp-result-page.h"
#include "smtp-server-page.h"
#include "smtp-setup-model.h"
#include "smtp-signin-page.h"
#include "smtp-startup-probe.h"
#include "smtp-test-page.h"

#include <glib/gi18n.h>

struct _SmtpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *views;
  SmtpAssistant        *assistant;

  SmtpSetupModel       *model;
  SmtpAccountStore     *store;
  SmtpKeyring          *keyring;
  GtkWidget            *accounts_view;
  GCancellable         *cancellable;
  GKeyFile             *demo;      /* the local demo server of build-aux/run.sh --demo */
};

G_DEFINE_FINAL_TYPE (SmtpWindow, smtp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (SmtpWindow *self,
       const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* A keyring that asks the person something (a new keyring's password) can
 * take a while: say what the app is waiting for. */
static void
keyring_waiting_cb (SmtpWindow *self)
{
  if (smtp_keyring_get_waiting (self->keyring))
    toast (self, _("Waiting for the keyring… Answer its window, if one opened."));
}

static gboolean
has_accounts (SmtpWindow *self)
{
  return g_list_model_get_n_items (smtp_account_store_get_accounts (self->store)) > 0;
}

static void
show_accounts (SmtpWindow *self)
{
  gtk_stack_set_visible_child_name (self->views, "accounts");
}

static void
show_wizard_at (SmtpWindow *self,
                GType       page_type)
{
  smtp_assistant_set_home_action (self->assistant, has_accounts (self) ? "window.show-accounts"
                                                                       : NULL);
  gtk_stack_set_visible_child_name (self->views, "wizard");
  smtp_assistant_show_page (self->assistant, smtp_assistant_get_page (self->assistant, page_type));
}

static void
retest_requested_cb (SmtpWindow *self)
{
  smtp_assistant_show_page (self->assistant,
                            smtp_assistant_get_page (self->assistant, SMTP_TYPE_TEST_PAGE));
  smtp_assistant_next (self->assistant);
}

/* Saving ------------------------------------------------------------------ */

static void
keyring_store_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SmtpWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!smtp_keyring_store_finish (SMTP_KEYRING (source), result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Translators: %s says why, in a sentence. */
      text = g_strdup_printf (_("The account was saved, but not its password: %s"),
                              error->message);
      toast (self, text);
      return;
    }

  toast (self, _("Account saved"));
}

static void
store_save_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SmtpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SmtpAccount *saved;
  const char *password = smtp_setup_model_get_password (self->model);

  if (!smtp_account_store_save_finish (SMTP_ACCOUNT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  saved = g_object_get_data (G_OBJECT (self), "saving");
  smtp_setup_model_set_saved (self->model, saved);

  /* The settings are safe on disk first; then the password goes to the keyring. */
  if (password != NULL && smtp_account_get_user (saved) != NULL)
    smtp_keyring_store_async (self->keyring, smtp_account_get_user (saved),
                              smtp_account_get_host (saved), smtp_account_get_port (saved),
                              password, self->cancellable, keyring_store_cb,
                              g_object_ref (self));
  else
    toast (self, _("Account saved"));

  g_object_set_data (G_OBJECT (self), "saving", NULL);
  show_accounts (self);
}

static void
save_requested_cb (SmtpWindow *self)
{
  g_autoptr(SmtpAccount) account = smtp_setup_model_dup_account_to_save (self->model);

  g_object_set_data_full (G_OBJECT (self), "saving", g_object_ref (account), g_object_unref);
  smtp_account_store_save_async (self->store, account, self->cancellable, store_save_cb,
                                 g_object_ref (self));
}

/* Opening a saved account ---------------------------------------------------- */

typedef struct
{
  SmtpWindow  *self;
  SmtpAccount *account;
  gboolean     test;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->account);
  g_free (data);
}

static void
finish_open (OpenData   *data,
             const char *password)
{
  SmtpWindow *self = data->self;

  smtp_setup_model_load (self->model, data->account, password);

  if (data->test)
    {
      show_wizard_at (self, SMTP_TYPE_TEST_PAGE);
      smtp_assistant_next (self->assistant);
    }
  else
    {
      show_wizard_at (self, SMTP_TYPE_SERVER_PAGE);
    }

  open_data_free (data);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenData *data = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = smtp_keyring_lookup_finish (SMTP_KEYRING (source), result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      open_data_free (data);
      return;
    }

  /* Without the password the account still opens: the person can type it. */
  if (error != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s says why, in a sentence. */
      text = g_strdup_printf (_("The password could not be read from the keyring: %s"),
                              error->message);
      toast (data->self, text);
    }

  finish_open (data, password);
  if (password != NULL)
    smtp_keyring_password_free (password);
}

static void
open_account (SmtpWindow  *self,
              SmtpAccount *account,
              gboolean     test)
{
  OpenData *data = g_new0 (OpenData, 1);

  data->self = g_object_ref (self);
  data->account = g_object_ref (account);
  data->test = test;

  if (smtp_account_get_user (account) == NULL || smtp_account_get_host (account) == NULL)
    {
      finish_open (data, NULL);
      return;
    }

  smtp_keyring_lookup_async (self->keyring, smtp_account_get_user (account),
                             smtp_account_get_host (account), smtp_account_get_port (account),
                             self->cancellable, lookup_cb, data);
}

static void
open_account_cb (SmtpWindow  *self,
                 SmtpAccount *account)
{
  open_account (self, account, FALSE);
}

static void
test_account_cb (SmtpWindow  *self,
                 SmtpAccount *account)
{
  open_account (self, account, TRUE);
}

static void
add_account_cb (SmtpWindow *self)
{
  smtp_setup_model_load (self->model, NULL, NULL);
  show_wizard_at (self, SMTP_TYPE_ADDRESS_PAGE);
}

static void
show_accounts_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  show_accounts (SMTP_WINDOW (widget));
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SmtpWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A broken file was moved aside and is reported in the list. */
  if (!smtp_account_store_load_finish (SMTP_ACCOUNT_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
    }

  /* People who come back see their accounts first. */
  if (has_accounts (self) &&
      SMTP_IS_ADDRESS_PAGE (smtp_assistant_get_current_page (self->assistant)))
    show_accounts (self);
}

/* The demo ------------------------------------------------------------------------ */

static void
demo_requested_cb (SmtpWindow *self,
                   gboolean    wrong_password)
{
  SmtpAccount *account = smtp_setup_model_get_account (self->model);
  g_autofree char *host = g_key_file_get_string (self->demo, "demo", "host", NULL);
  g_autofree char *user = g_key_file_get_string (self->demo, "demo", "user", NULL);
  g_autofree char *password = g_key_file_get_string (self->demo, "demo", "password", NULL);
  g_autofree char *ca_file = g_key_file_get_string (self->demo, "demo", "ca_file", NULL);
  g_autofree char *wrong = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  int port = g_key_file_get_integer (self->demo, "demo", "port", NULL);

  if (host == NULL || user == NULL || password == NULL || ca_file == NULL || port <= 0 ||
      port > 65535)
    {
      toast (self, _("The demo server’s settings could not be read."));
      return;
    }

  database = g_tls_file_database_new (ca_file, &error);
  if (database == NULL)
    {
      toast (self, error->message);
      return;
    }

  wrong = g_strconcat ("not-", password, NULL);
  smtp_setup_model_load (self->model, NULL, wrong_password ? wrong : password);
  smtp_setup_model_set_ca_database (self->model, database);
  smtp_account_set_address (account, user);
  smtp_account_set_from_name (account, _("Demo User"));
  smtp_account_set_host (account, host);
  smtp_account_set_port (account, port);
  smtp_account_set_security (account, SMTP_SECURITY_STARTTLS);
  smtp_account_set_user (account, user);

  show_wizard_at (self, SMTP_TYPE_TEST_PAGE);
}

static void
demo_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SmtpWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No demo server: %s", error->message);
      return;
    }

  self->demo = g_key_file_new ();
  if (!g_key_file_load_from_data (self->demo, contents, length, G_KEY_FILE_NONE, &error))
    {
      g_debug ("No demo server: %s", error->message);
      g_clear_pointer (&self->demo, g_key_file_unref);
      return;
    }

  smtp_address_page_set_demo_available (
    SMTP_ADDRESS_PAGE (smtp_assistant_get_page (self->assistant, SMTP_TYPE_ADDRESS_PAGE)), TRUE);
}

/* GObject ----------------------------------------------------------------------- */

static void
smtp_window_constructed (GObject *object)
{
  SmtpWindow *self = SMTP_WINDOW (object);
  SmtpPage *result_page;
  SmtpPage *address_page;
  const char *demo = g_getenv ("SMTP_SETUP_DEMO");

  G_OBJECT_CLASS (smtp_window_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = smtp_account_store_new ();
  self->keyring = smtp_keyring_new ();
  g_signal_connect_object (self->keyring, "notify::waiting", G_CALLBACK (keyring_waiting_cb),
                           self, G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  self->model = smtp_setup_model_new ();

  result_page = smtp_result_page_new (self->model);
  g_signal_connect_object (result_page, "retest-requested", G_CALLBACK (retest_requested_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (result_page, "save-requested", G_CALLBACK (save_requested_cb),
                           self, G_CONNECT_SWAPPED);

  address_page = smtp_address_page_new (self->model);
  g_signal_connect_object (address_page, "demo-requested", G_CALLBACK (demo_requested_cb),
                           self, G_CONNECT_SWAPPED);
  smtp_assistant_add_page (self->assistant, address_page);
  smtp_assistant_add_page (self->assistant, smtp_detect_page_new (self->model));
  smtp_assistant_add_page (self->assistant, smtp_server_page_new (self->model));
  smtp_assistant_add_page (self->assistant, smtp_signin_page_new (self->model));
  smtp_assistant_add_page (self->assistant, smtp_test_page_new (self->model));
  smtp_assistant_add_page (self->assistant, result_page);

  self->accounts_view = smtp_accounts_view_new (self->store, self->keyring);
  gtk_stack_add_named (self->views, self->accounts_view, "accounts");
  g_signal_connect_object (self->accounts_view, "open-account", G_CALLBACK (open_account_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts_view, "test-account", G_CALLBACK (test_account_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts_view, "add-account", G_CALLBACK (add_account_cb),
                           self, G_CONNECT_SWAPPED);

  smtp_account_store_load_async (self->store, self->cancellable, load_cb, g_object_ref (self));

  if (demo != NULL && *demo != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (demo);

      g_file_load_contents_async (file, self->cancellable, demo_loaded_cb, g_object_ref (self));
    }

  smtp_startup_probe_attach (GTK_WINDOW (self));
}

static void
smtp_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SmtpWindow *self = SMTP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_window_dispose (GObject *object)
{
  SmtpWindow *self = SMTP_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), SMTP_TYPE_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_object (&self->keyring);
  g_clear_pointer (&self->demo, g_key_file_unref);

  G_OBJECT_CLASS (smtp_window_parent_class)->dispose (object);
}

static void
smtp_window_class_init (SmtpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = smtp_window_constructed;
  object_class->set_property = smtp_window_set_property;
  object_class->dispose = smtp_window_dispose;

  /**
   * SmtpWindow:store:
   *
   * Where accounts are saved; the default store when not given.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SMTP_TYPE_ACCOUNT_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SMTP_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SmtpWindow, views);
  gtk_widget_class_bind_template_child (widget_class, SmtpWindow, assistant);

  gtk_widget_class_install_action (widget_class, "window.show-accounts", NULL,
                                   show_accounts_action_cb);
}

static void
smtp_window_init (SmtpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SmtpWindow *
smtp_window_new (GtkApplication *application)
{
  return g_object_new (SMTP_TYPE_WINDOW, "application", application, NULL);
}

/**
 * smtp_window_get_assistant:
 * @self: the window
 *
 * Returns: (transfer none): the wizard inside the window
 */
SmtpAssistant *
smtp_window_get_assistant (SmtpWindow *self)
{
  g_return_val_if_fail (SMTP_IS_WINDOW (self), NULL);

  return self->assistant;
}

/**
 * smtp_window_get_model:
 * @self: the window
 *
 * Returns: (transfer none): what the wizard's pages share
 */
SmtpSetupModel *
smtp_window_get_model (SmtpWindow *self)
{
  g_return_val_if_fail (SMTP_IS_WINDOW (self), NULL);

  return self->model;
}

/**
 * smtp_window_get_store:
 * @self: the window
 *
 * Returns: (transfer none): where the window's accounts are saved
 */
SmtpAccountStore *
smtp_window_get_store (SmtpWindow *self)
{
  g_return_val_if_fail (SMTP_IS_WINDOW (self), NULL);

  return self->store;
}
