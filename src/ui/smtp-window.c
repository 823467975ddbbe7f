/* smtp-window.c: the main window
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-window"

#include "config.h"

#include "smtp-window.h"

#include "smtp-address-page.h"
#include "smtp-result-page.h"
#include "smtp-server-page.h"
#include "smtp-setup-model.h"
#include "smtp-signin-page.h"
#include "smtp-test-page.h"

struct _SmtpWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  SmtpAssistant        *assistant;

  SmtpSetupModel       *model;
  SmtpPage             *test_page;
};

G_DEFINE_FINAL_TYPE (SmtpWindow, smtp_window, ADW_TYPE_APPLICATION_WINDOW)

static void
retest_requested_cb (SmtpWindow *self)
{
  smtp_assistant_show_page (self->assistant, self->test_page);
  smtp_assistant_next (self->assistant);
}

static void
smtp_window_dispose (GObject *object)
{
  SmtpWindow *self = SMTP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SMTP_TYPE_WINDOW);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (smtp_window_parent_class)->dispose (object);
}

static void
smtp_window_class_init (SmtpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = smtp_window_dispose;

  g_type_ensure (SMTP_TYPE_ASSISTANT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SmtpWindow, assistant);
}

static void
smtp_window_init (SmtpWindow *self)
{
  SmtpPage *result_page;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = smtp_setup_model_new ();
  self->test_page = smtp_test_page_new (self->model);
  result_page = smtp_result_page_new (self->model);
  g_signal_connect_object (result_page, "retest-requested", G_CALLBACK (retest_requested_cb),
                           self, G_CONNECT_SWAPPED);

  smtp_assistant_add_page (self->assistant, smtp_address_page_new (self->model));
  smtp_assistant_add_page (self->assistant, smtp_server_page_new (self->model));
  smtp_assistant_add_page (self->assistant, smtp_signin_page_new (self->model));
  smtp_assistant_add_page (self->assistant, self->test_page);
  smtp_assistant_add_page (self->assistant, result_page);
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
