/* smtp-signin-page.c: user name, password and sign-in method
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-signin-page"

#include "config.h"

#include "smtp-signin-page.h"

#include <glib/gi18n.h>
#include <string.h>

/* The rows of method_row follow SmtpAuthMechanism: automatic, PLAIN, LOGIN, CRAM-MD5. */

struct _SmtpSigninPage
{
  SmtpPage      parent_instance;

  GtkSwitch    *needs_password_switch;
  GtkWidget    *needs_password_row;
  AdwEntryRow  *user_row;
  AdwEntryRow  *password_row;
  AdwComboRow  *method_row;
  GtkLabel     *error_label;

  gboolean      syncing;
};

G_DEFINE_FINAL_TYPE (SmtpSigninPage, smtp_signin_page, SMTP_TYPE_PAGE)

static SmtpSetupModel *
get_model (SmtpSigninPage *self)
{
  return smtp_page_get_model (SMTP_PAGE (self));
}

static void
on_changed_cb (SmtpSigninPage *self)
{
  SmtpSetupModel *model = get_model (self);
  SmtpAccount *account = smtp_setup_model_get_account (model);
  gboolean needs_password = gtk_switch_get_active (self->needs_password_switch);
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(GError) error = NULL;
  const char *message = NULL;
  gboolean ok = TRUE;

  if (self->syncing)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), needs_password);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), needs_password);
  gtk_widget_set_sensitive (GTK_WIDGET (self->method_row), needs_password);

  smtp_account_set_user (account, needs_password ? user : NULL);
  smtp_account_set_auth (account, adw_combo_row_get_selected (self->method_row));
  smtp_setup_model_set_password (model, needs_password ? password : NULL);

  if (needs_password)
    {
      if (!smtp_text_check_wire_safe (user, &error))
        message = error->message;
      else if (strpbrk (password, "\r\n") != NULL)
        message = _("The password contains a line break. Please type it again.");

      ok = message == NULL && *user != '\0' && *password != '\0';
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_label_set_text (self->error_label, message);

  smtp_page_set_complete (SMTP_PAGE (self), ok);
}

static void
smtp_signin_page_shown (SmtpPage *page)
{
  SmtpSigninPage *self = SMTP_SIGNIN_PAGE (page);
  SmtpSetupModel *model = get_model (self);
  SmtpAccount *account = smtp_setup_model_get_account (model);
  const char *user = smtp_account_get_user (account);
  const char *password = smtp_setup_model_get_password (model);

  /* Most providers want the full address as the user name. */
  if (user == NULL || *user == '\0')
    user = smtp_account_get_address (account);

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), user != NULL ? user : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
  adw_combo_row_set_selected (self->method_row, smtp_account_get_auth (account));
  self->syncing = FALSE;

  on_changed_cb (self);

  gtk_widget_grab_focus (GTK_WIDGET (*gtk_editable_get_text (GTK_EDITABLE (self->user_row)) != '\0'
                                     ? self->password_row : self->user_row));
}

static void
smtp_signin_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SMTP_TYPE_SIGNIN_PAGE);

  G_OBJECT_CLASS (smtp_signin_page_parent_class)->dispose (object);
}

static void
smtp_signin_page_class_init (SmtpSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_signin_page_dispose;
  page_class->shown = smtp_signin_page_shown;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, needs_password_switch);
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, needs_password_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, method_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpSigninPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
smtp_signin_page_init (SmtpSigninPage *self)
{
  self->syncing = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->syncing = FALSE;

  _smtp_page_name_by_row (GTK_WIDGET (self->needs_password_switch),
                          ADW_PREFERENCES_ROW (self->needs_password_row));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->user_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->password_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
}

SmtpPage *
smtp_signin_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_SIGNIN_PAGE, "model", model, NULL);
}
