/* smtp-accounts-view.c: the saved accounts, each with its last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-accounts-view"

#include "config.h"

#include "smtp-accounts-view.h"

#include <glib/gi18n.h>

struct _SmtpAccountsView
{
  AdwBin            parent_instance;

  GtkListBox       *list;
  GtkLabel         *problems_label;

  SmtpAccountStore *store;
  SmtpKeyring      *keyring;
};

G_DEFINE_FINAL_TYPE (SmtpAccountsView, smtp_accounts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KEYRING,
  N_PROPS
};

enum {
  OPEN_ACCOUNT,
  TEST_ACCOUNT,
  ADD_ACCOUNT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
describe_last_test (SmtpAccount *account)
{
  GDateTime *time = smtp_account_get_last_test_time (account);
  const char *category = smtp_account_get_last_test_category (account);
  g_autofree char *when = NULL;
  g_autofree char *server = NULL;

  server = g_strdup_printf ("%s:%u", smtp_account_get_host (account) ? smtp_account_get_host (account) : "",
                            smtp_account_get_port (account));

  if (time == NULL)
    /* Translators: %s is a server and port, such as "smtp.example.com:587". */
    return g_strdup_printf (_("%s — not tested yet"), server);

  when = g_date_time_format (time, "%x %X");

  if (smtp_account_get_last_test_ok (account))
    /* Translators: a server and port, then a date and time. */
    return g_strdup_printf (_("%s — worked on %s"), server, when);

  /* Translators: a server and port, a date and time, and what went wrong. */
  return g_strdup_printf (_("%s — failed on %s: %s"), server, when,
                          category != NULL && smtp_explain_category_title (category) != NULL
                          ? smtp_explain_category_title (category) : _("unknown problem"));
}

static void
update_row (AdwActionRow *row,
            GParamSpec   *pspec,
            SmtpAccount  *account)
{
  g_autofree char *subtitle = describe_last_test (account);
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "icon");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), smtp_account_get_name (account));
  adw_action_row_set_subtitle (row, subtitle);

  if (smtp_account_get_last_test_time (account) == NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "mail-send-symbolic");
  else if (smtp_account_get_last_test_ok (account))
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "emblem-ok-symbolic");
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), "dialog-warning-symbolic");
}

static void
remove_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SmtpAccountsView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!smtp_account_store_remove_finish (SMTP_ACCOUNT_STORE (source), result, &error))
    {
      gtk_label_set_text (self->problems_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
    }
}

static void
clear_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The account is gone either way; a password left behind is logged. */
  if (!smtp_keyring_clear_finish (SMTP_KEYRING (source), result, &error))
    g_debug ("The password was not cleared: %s", error->message);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  SmtpAccountsView *self = g_object_get_data (G_OBJECT (dialog), "view");
  SmtpAccount *account = user_data;

  if (!g_str_equal (response, "remove"))
    return;

  if (smtp_account_get_user (account) != NULL && smtp_account_get_host (account) != NULL)
    smtp_keyring_clear_async (self->keyring, smtp_account_get_user (account),
                              smtp_account_get_host (account), smtp_account_get_port (account),
                              NULL, clear_done_cb, NULL);
  smtp_account_store_remove_async (self->store, smtp_account_get_name (account), NULL,
                                   remove_done_cb, g_object_ref (self));
}

static void
remove_clicked_cb (GtkButton   *button,
                   SmtpAccount *account)
{
  SmtpAccountsView *self = SMTP_ACCOUNTS_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                        SMTP_TYPE_ACCOUNTS_VIEW));
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  /* Translators: %s is the name of a saved account. */
  body = g_strdup_printf (_("The settings of “%s” and its password in the keyring will be "
                            "removed. Email programs that use them are not changed."),
                          smtp_account_get_name (account));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Remove This Account?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "view", self);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         g_object_ref (account), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
test_clicked_cb (GtkButton   *button,
                 SmtpAccount *account)
{
  SmtpAccountsView *self = SMTP_ACCOUNTS_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button),
                                                                        SMTP_TYPE_ACCOUNTS_VIEW));

  g_signal_emit (self, signals[TEST_ACCOUNT], 0, account);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SmtpAccount *account = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *test = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  g_autofree char *test_name = NULL;
  g_autofree char *remove_name = NULL;

  /* Translators: a button's accessible name; %s is an account. */
  test_name = g_strdup_printf (_("Test “%s” again"), smtp_account_get_name (account));
  /* Translators: a button's accessible name; %s is an account. */
  remove_name = g_strdup_printf (_("Remove “%s”"), smtp_account_get_name (account));

  gtk_widget_set_valign (test, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (test, "flat");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (test, _("Test Again"));
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (test), GTK_ACCESSIBLE_PROPERTY_LABEL, test_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_name,
                                  -1);
  g_signal_connect_object (test, "clicked", G_CALLBACK (test_clicked_cb), account, 0);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), account, 0);

  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data_full (G_OBJECT (row), "account", g_object_ref (account), g_object_unref);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), test);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  update_row (ADW_ACTION_ROW (row), NULL, account);
  g_signal_connect_object (account, "notify", G_CALLBACK (update_row), row, G_CONNECT_SWAPPED);

  return row;
}

static void
row_activated_cb (GtkListBox       *list,
                  GtkListBoxRow    *row,
                  SmtpAccountsView *self)
{
  SmtpAccount *account = g_object_get_data (G_OBJECT (row), "account");

  g_signal_emit (self, signals[OPEN_ACCOUNT], 0, account);
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[ADD_ACCOUNT], 0);
}

static void
show_problems (SmtpAccountsView *self)
{
  GPtrArray *problems = smtp_account_store_get_problems (self->store);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      const GError *error = g_ptr_array_index (problems, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, error->message);
    }

  gtk_label_set_text (self->problems_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), text->len > 0);
}

static void
smtp_accounts_view_constructed (GObject *object)
{
  SmtpAccountsView *self = SMTP_ACCOUNTS_VIEW (object);

  G_OBJECT_CLASS (smtp_accounts_view_parent_class)->constructed (object);

  gtk_list_box_bind_model (self->list, smtp_account_store_get_accounts (self->store),
                           create_row, NULL, NULL);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self, 0);
  g_signal_connect_object (smtp_account_store_get_accounts (self->store), "items-changed",
                           G_CALLBACK (show_problems), self, G_CONNECT_SWAPPED);
  show_problems (self);
}

static void
smtp_accounts_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SmtpAccountsView *self = SMTP_ACCOUNTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_KEYRING:
      self->keyring = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_accounts_view_dispose (GObject *object)
{
  SmtpAccountsView *self = SMTP_ACCOUNTS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_ACCOUNTS_VIEW);
  g_clear_object (&self->store);
  g_clear_object (&self->keyring);

  G_OBJECT_CLASS (smtp_accounts_view_parent_class)->dispose (object);
}

static void
smtp_accounts_view_class_init (SmtpAccountsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = smtp_accounts_view_constructed;
  object_class->set_property = smtp_accounts_view_set_property;
  object_class->dispose = smtp_accounts_view_dispose;

  /**
   * SmtpAccountsView:store:
   *
   * Where the accounts are saved.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SMTP_TYPE_ACCOUNT_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccountsView:keyring:
   *
   * Where their passwords are kept.
   */
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", NULL, NULL, SMTP_TYPE_KEYRING,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_ACCOUNT] =
    g_signal_new ("open-account", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SMTP_TYPE_ACCOUNT);
  signals[TEST_ACCOUNT] =
    g_signal_new ("test-account", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SMTP_TYPE_ACCOUNT);
  signals[ADD_ACCOUNT] =
    g_signal_new ("add-account", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-accounts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpAccountsView, list);
  gtk_widget_class_bind_template_child (widget_class, SmtpAccountsView, problems_label);

  gtk_widget_class_install_action (widget_class, "accounts.add", NULL, add_action_cb);
}

static void
smtp_accounts_view_init (SmtpAccountsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
smtp_accounts_view_new (SmtpAccountStore *store,
                        SmtpKeyring      *keyring)
{
  return g_object_new (SMTP_TYPE_ACCOUNTS_VIEW, "store", store, "keyring", keyring, NULL);
}
