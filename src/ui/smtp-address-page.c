/* smtp-address-page.c: the first page, the person's name and email address
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-address-page"

#include "config.h"

#include "smtp-address-page.h"

#include "smtp-core.h"
#include "smtp-setup-model.h"

#include <glib/gi18n.h>

/* Errors appear once typing pauses, not at every key. */
#define VALIDATE_DELAY_MS 500

struct _SmtpAddressPage
{
  SmtpPage      parent_instance;

  AdwEntryRow  *name_row;
  AdwEntryRow  *address_row;
  GtkLabel     *error_label;
  GtkWidget    *demo_group;

  guint         validate_id;
};

G_DEFINE_FINAL_TYPE (SmtpAddressPage, smtp_address_page, SMTP_TYPE_PAGE)

enum {
  DEMO_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
demo_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[DEMO_REQUESTED], 0, g_variant_get_boolean (parameter));
}

/* Returns whether both fields are usable; when @show_errors, also explains
 * the first problem under the fields. Errors are always hidden as soon as
 * the input becomes valid. */
static gboolean
validate (SmtpAddressPage *self,
          gboolean         show_errors)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autoptr(GError) name_error = NULL;
  g_autoptr(GError) address_error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (address));
  gboolean name_ok;
  gboolean address_ok;

  name_ok = smtp_text_check_wire_safe (name, &name_error);
  address_ok = smtp_address_validate (trimmed, &address_error);

  if (name_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  else if (show_errors)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");

  if (address_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
  else if (show_errors && *trimmed != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");

  if (name_ok && address_ok)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
    }
  else if (show_errors)
    {
      /* An empty address is not yet a mistake: Next stays insensitive. */
      if (!name_ok)
        gtk_label_set_text (self->error_label, name_error->message);
      else if (*trimmed != '\0')
        gtk_label_set_text (self->error_label, address_error->message);

      gtk_widget_set_visible (GTK_WIDGET (self->error_label), !name_ok || *trimmed != '\0');
    }

  return name_ok && address_ok;
}

static gboolean
validate_timeout_cb (gpointer user_data)
{
  SmtpAddressPage *self = user_data;

  self->validate_id = 0;
  validate (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
schedule_validation (SmtpAddressPage *self)
{
  smtp_page_set_complete (SMTP_PAGE (self), validate (self, FALSE));

  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_timeout_cb, self);
}

static void
on_name_row_changed_cb (SmtpAddressPage *self)
{
  schedule_validation (self);
}

static void
on_address_row_changed_cb (SmtpAddressPage *self)
{
  schedule_validation (self);
}

static void
focus_leave_cb (SmtpAddressPage *self)
{
  g_clear_handle_id (&self->validate_id, g_source_remove);
  validate (self, TRUE);
}

/* Next: the address and name go into the account being set up. */
static void
smtp_address_page_apply_async (SmtpPage            *page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SmtpAddressPage *self = SMTP_ADDRESS_PAGE (page);
  SmtpSetupModel *model = smtp_page_get_model (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  g_task_set_source_tag (task, smtp_address_page_apply_async);

  if (model != NULL)
    {
      SmtpAccount *account = smtp_setup_model_get_account (model);

      /* A new address makes the old user name meaningless. */
      if (g_strcmp0 (smtp_account_get_address (account), address) != 0 &&
          g_strcmp0 (smtp_account_get_user (account), smtp_account_get_address (account)) == 0)
        smtp_account_set_user (account, NULL);

      smtp_account_set_address (account, address);
      smtp_account_set_from_name (account, *name != '\0' ? name : NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static gboolean
smtp_address_page_apply_finish (SmtpPage      *page,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
smtp_address_page_shown (SmtpPage *page)
{
  SmtpAddressPage *self = SMTP_ADDRESS_PAGE (page);

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
smtp_address_page_dispose (GObject *object)
{
  SmtpAddressPage *self = SMTP_ADDRESS_PAGE (object);

  g_clear_handle_id (&self->validate_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_ADDRESS_PAGE);

  G_OBJECT_CLASS (smtp_address_page_parent_class)->dispose (object);
}

static void
smtp_address_page_class_init (SmtpAddressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_address_page_dispose;
  page_class->shown = smtp_address_page_shown;
  page_class->apply_async = smtp_address_page_apply_async;
  page_class->apply_finish = smtp_address_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-address-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpAddressPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpAddressPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpAddressPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpAddressPage, demo_group);

  /**
   * SmtpAddressPage::demo-requested:
   * @self: the page
   * @wrong_password: show a failing test
   *
   * The person chose the local demo server.
   */
  signals[DEMO_REQUESTED] =
    g_signal_new ("demo-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  gtk_widget_class_install_action (widget_class, "address.demo", "b", demo_action_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_address_row_changed_cb);
}

static void
smtp_address_page_init (SmtpAddressPage *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->address_row), focus);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->address_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
}

/**
 * smtp_address_page_new:
 * @model: (nullable): the wizard's model, which receives the address and name
 */
SmtpPage *
smtp_address_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_ADDRESS_PAGE, "model", model, NULL);
}

/**
 * smtp_address_page_get_name:
 * @self: the page
 *
 * Returns: the name as typed, without surrounding spaces
 */
const char *
smtp_address_page_get_name (SmtpAddressPage *self)
{
  g_return_val_if_fail (SMTP_IS_ADDRESS_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->name_row));
}

/**
 * smtp_address_page_get_address:
 * @self: the page
 *
 * Returns: the address as typed
 */
const char *
smtp_address_page_get_address (SmtpAddressPage *self)
{
  g_return_val_if_fail (SMTP_IS_ADDRESS_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->address_row));
}

/**
 * smtp_address_page_set_demo_available:
 * @self: the page
 * @available: whether a local demo server runs
 */
void
smtp_address_page_set_demo_available (SmtpAddressPage *self,
                                      gboolean         available)
{
  g_return_if_fail (SMTP_IS_ADDRESS_PAGE (self));

  gtk_widget_set_visible (self->demo_group, available);
}
