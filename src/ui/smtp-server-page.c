/* smtp-server-page.c: the outgoing server, its port and its encryption
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-server-page"

#include "config.h"

#include "smtp-server-page.h"

#include <glib/gi18n.h>

#define VALIDATE_DELAY_MS 500

/* The rows of port_row, in order. */
enum {
  PORT_587,
  PORT_465,
  PORT_25,
  PORT_OTHER,
};

/* The rows of security_row follow SmtpSecurity: STARTTLS, TLS, none. */

struct _SmtpServerPage
{
  SmtpPage      parent_instance;

  AdwEntryRow  *host_row;
  AdwComboRow  *port_row;
  AdwEntryRow  *custom_port_row;
  AdwComboRow  *security_row;
  GtkLabel     *error_label;
  GtkWidget    *plaintext_group;
  GtkSwitch    *consent_switch;
  GtkWidget    *consent_row;

  guint         validate_id;
  gboolean      syncing;
};

G_DEFINE_FINAL_TYPE (SmtpServerPage, smtp_server_page, SMTP_TYPE_PAGE)

static SmtpAccount *
get_account (SmtpServerPage *self)
{
  return smtp_setup_model_get_account (smtp_page_get_model (SMTP_PAGE (self)));
}

static guint16
chosen_port (SmtpServerPage *self,
             gboolean       *valid)
{
  guint64 value = 0;

  *valid = TRUE;
  switch (adw_combo_row_get_selected (self->port_row))
    {
    case PORT_587: return 587;
    case PORT_465: return 465;
    case PORT_25: return 25;
    default:
      break;
    }

  *valid = g_ascii_string_to_unsigned (gtk_editable_get_text (GTK_EDITABLE (self->custom_port_row)),
                                       10, 1, 65535, &value, NULL);
  return (guint16) value;
}

static gboolean
validate (SmtpServerPage *self,
          gboolean        show_errors)
{
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  gboolean port_ok;
  gboolean host_ok;
  gboolean consent_ok;

  host_ok = smtp_host_validate (host, &error);
  chosen_port (self, &port_ok);
  consent_ok = adw_combo_row_get_selected (self->security_row) != SMTP_SECURITY_NONE ||
               gtk_switch_get_active (self->consent_switch);

  if (!host_ok && *host != '\0')
    message = error->message;
  else if (!port_ok)
    message = _("The port is a number from 1 to 65535.");

  if (show_errors || (host_ok && port_ok))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
      if (message != NULL)
        gtk_label_set_text (self->error_label, message);

      if (host_ok || *host == '\0')
        gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");

      if (port_ok)
        gtk_widget_remove_css_class (GTK_WIDGET (self->custom_port_row), "error");
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->custom_port_row), "error");
    }

  return host_ok && port_ok && consent_ok;
}

static gboolean
validate_timeout_cb (gpointer user_data)
{
  SmtpServerPage *self = user_data;

  self->validate_id = 0;
  validate (self, TRUE);

  return G_SOURCE_REMOVE;
}

/* Copies the fields into the account and updates Next at once; errors show
 * once typing pauses. */
static void
changed (SmtpServerPage *self)
{
  SmtpAccount *account = get_account (self);
  g_autofree char *host = NULL;
  gboolean port_ok;
  guint16 port;

  if (self->syncing)
    return;

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  port = chosen_port (self, &port_ok);

  smtp_account_set_host (account, host);
  if (port_ok)
    smtp_account_set_port (account, port);
  smtp_account_set_security (account, adw_combo_row_get_selected (self->security_row));
  smtp_account_set_allow_plaintext_auth (account, gtk_switch_get_active (self->consent_switch));

  gtk_widget_set_visible (self->plaintext_group,
                          adw_combo_row_get_selected (self->security_row) == SMTP_SECURITY_NONE);

  smtp_page_set_complete (SMTP_PAGE (self), validate (self, FALSE));
  g_clear_handle_id (&self->validate_id, g_source_remove);
  self->validate_id = g_timeout_add (VALIDATE_DELAY_MS, validate_timeout_cb, self);
}

static void
on_host_row_changed_cb (SmtpServerPage *self)
{
  changed (self);
}

static void
on_custom_port_row_changed_cb (SmtpServerPage *self)
{
  changed (self);
}

static void
on_port_row_selected_cb (SmtpServerPage *self)
{
  guint selected = adw_combo_row_get_selected (self->port_row);

  gtk_widget_set_visible (GTK_WIDGET (self->custom_port_row), selected == PORT_OTHER);

  /* RFC 8314: 465 is encrypted from the start; 587 and 25 use STARTTLS. */
  if (!self->syncing && selected != PORT_OTHER)
    {
      self->syncing = TRUE;
      adw_combo_row_set_selected (self->security_row,
                                  selected == PORT_465 ? SMTP_SECURITY_TLS
                                                       : SMTP_SECURITY_STARTTLS);
      self->syncing = FALSE;
    }

  changed (self);
}

static void
on_security_row_selected_cb (SmtpServerPage *self)
{
  if (adw_combo_row_get_selected (self->security_row) != SMTP_SECURITY_NONE)
    gtk_switch_set_active (self->consent_switch, FALSE);

  changed (self);
}

static void
on_consent_switch_active_cb (SmtpServerPage *self)
{
  changed (self);
}

/* Shows what the account holds (it may come from detection or a saved account). */
static void
sync_from_account (SmtpServerPage *self)
{
  SmtpAccount *account = get_account (self);
  guint16 port = smtp_account_get_port (account);
  const char *host = smtp_account_get_host (account);
  guint row;

  self->syncing = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host != NULL ? host : "");
  row = port == 587 ? PORT_587 : port == 465 ? PORT_465 : port == 25 ? PORT_25 : PORT_OTHER;
  adw_combo_row_set_selected (self->port_row, row);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_port_row), row == PORT_OTHER);
  if (row == PORT_OTHER && port != 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", port);

      gtk_editable_set_text (GTK_EDITABLE (self->custom_port_row), text);
    }
  adw_combo_row_set_selected (self->security_row, smtp_account_get_security (account));
  gtk_switch_set_active (self->consent_switch, smtp_account_get_allow_plaintext_auth (account));
  gtk_widget_set_visible (self->plaintext_group,
                          smtp_account_get_security (account) == SMTP_SECURITY_NONE);

  self->syncing = FALSE;

  smtp_page_set_complete (SMTP_PAGE (self), validate (self, FALSE));
}

static void
focus_leave_cb (SmtpServerPage *self)
{
  g_clear_handle_id (&self->validate_id, g_source_remove);
  validate (self, TRUE);
}

static void
smtp_server_page_shown (SmtpPage *page)
{
  SmtpServerPage *self = SMTP_SERVER_PAGE (page);

  sync_from_account (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
}

static void
smtp_server_page_dispose (GObject *object)
{
  SmtpServerPage *self = SMTP_SERVER_PAGE (object);

  g_clear_handle_id (&self->validate_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_SERVER_PAGE);

  G_OBJECT_CLASS (smtp_server_page_parent_class)->dispose (object);
}

static void
smtp_server_page_class_init (SmtpServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_server_page_dispose;
  page_class->shown = smtp_server_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, custom_port_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, plaintext_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, consent_switch);
  gtk_widget_class_bind_template_child (widget_class, SmtpServerPage, consent_row);
  gtk_widget_class_bind_template_callback (widget_class, on_host_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_port_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_port_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_security_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_consent_switch_active_cb);
}

static void
smtp_server_page_init (SmtpServerPage *self)
{
  GtkEventController *focus;

  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->host_row), focus);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->host_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->custom_port_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
  _smtp_page_name_by_row (GTK_WIDGET (self->consent_switch), ADW_PREFERENCES_ROW (self->consent_row));
}

SmtpPage *
smtp_server_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_SERVER_PAGE, "model", model, NULL);
}
