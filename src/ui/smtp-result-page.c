/* smtp-result-page.c: what the test found, in plain words, with the fixes to try
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-result-page"

#include "config.h"

#include "smtp-result-page.h"

#include <glib/gi18n.h>

struct _SmtpResultPage
{
  SmtpPage         parent_instance;

  GtkImage        *icon;
  GtkLabel        *title_label;
  GtkLabel        *description_label;
  GtkWidget       *advice_box;
  GtkLabel        *advice_label;
  GtkLinkButton   *help_button;
  GtkBox          *fixes_box;
  GtkWidget       *summary_group;
  AdwActionRow    *server_row;
  AdwActionRow    *port_row;
  AdwActionRow    *user_row;
  GtkWidget       *copy_settings_button;
  GtkWidget       *save_button;
  GtkLabel        *details_label;

  SmtpExplanation *explanation;
};

G_DEFINE_FINAL_TYPE (SmtpResultPage, smtp_result_page, SMTP_TYPE_PAGE)

enum {
  RETEST_REQUESTED,
  SAVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static SmtpSetupModel *
get_model (SmtpResultPage *self)
{
  return smtp_page_get_model (SMTP_PAGE (self));
}

static char *
format_settings (const SmtpTestOptions *options)
{
  /* Translators: a summary of settings to paste into another email program. */
  return g_strdup_printf (_("Outgoing (SMTP) server: %s\n"
                            "Port: %u\n"
                            "Encryption: %s\n"
                            "User name: %s\n"),
                          options->host, options->port, smtp_security_get_display_name (options->security),
                          options->user != NULL ? options->user : _("(none)"));
}

static char *
format_details (SmtpResultPage *self)
{
  SmtpSetupModel *model = get_model (self);
  const SmtpTestResult *result = smtp_setup_model_get_result (model);
  const SmtpTestOptions *options = smtp_setup_model_get_options (model);
  g_autofree char *reply = NULL;
  g_autofree char *settings = NULL;
  GString *text;

  if (result == NULL || options == NULL)
    return g_strdup ("");

  text = g_string_new (NULL);
  settings = format_settings (options);
  g_string_append (text, settings);
  g_string_append_printf (text, _("Result: %s\n"), result->ok ? _("success") : _("failure"));
  if (self->explanation != NULL)
    g_string_append_printf (text, _("Category: %s\n"), self->explanation->category);
  g_string_append_printf (text, _("Stage: %s\n"), smtp_stage_to_id (result->stage));
  reply = smtp_test_result_dup_reply_text (result, options);
  if (reply != NULL)
    g_string_append_printf (text, _("Server reply: %s\n"), reply);
  if (result->error != NULL)
    g_string_append_printf (text, _("Error: %s\n"), result->error->message);
  if (result->tls_version != NULL)
    g_string_append_printf (text, _("Encryption: %s\n"), result->tls_version);
  if (result->certificate != NULL)
    g_string_append_printf (text, _("Certificate: %s, issued by %s, SHA-256 %s\n"),
                            result->certificate->subject, result->certificate->issuer,
                            result->certificate->sha256);
  g_string_append_printf (text, _("Time: %ld ms\n"), (long) result->elapsed_ms);
  if (result->transcript != NULL && *result->transcript != '\0')
    g_string_append_printf (text, "\n%s", result->transcript);

  return g_string_free (text, FALSE);
}

static void
clear_fixes (SmtpResultPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fixes_box))) != NULL)
    gtk_box_remove (self->fixes_box, child);
}

static void
update (SmtpResultPage *self)
{
  SmtpSetupModel *model = get_model (self);
  const SmtpTestResult *result = smtp_setup_model_get_result (model);
  const SmtpTestOptions *options = smtp_setup_model_get_options (model);
  g_autofree char *details = NULL;

  g_clear_pointer (&self->explanation, smtp_explanation_free);
  clear_fixes (self);

  if (result == NULL || options == NULL)
    return;

  if (result->ok)
    {
      g_autofree char *server = NULL;

      gtk_image_set_from_icon_name (self->icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "success");
      gtk_label_set_text (self->title_label, options->check_only
                                             ? _("Sign-in Works")
                                             : _("Your Email Is Working"));
      if (options->check_only)
        gtk_label_set_text (self->description_label,
                            _("SMTP Setup connected to the server and signed in. "
                              "Nothing was sent."));
      else
        {
          g_autofree char *text =
            /* Translators: %s is an email address. */
            g_strdup_printf (_("A test email is on its way to %s. It may take a minute to "
                               "arrive; look in the spam folder if it does not."),
                             options->to != NULL ? options->to : options->from);
          gtk_label_set_text (self->description_label, text);
        }

      server = g_strdup_printf ("%u, %s", options->port, smtp_security_get_display_name (options->security));
      adw_action_row_set_subtitle (self->server_row, options->host);
      adw_action_row_set_subtitle (self->port_row, server);
      adw_action_row_set_subtitle (self->user_row, options->user != NULL ? options->user
                                                                         : _("(none)"));
      gtk_widget_set_visible (self->advice_box, FALSE);
      gtk_widget_set_visible (self->summary_group, TRUE);
      gtk_widget_set_visible (self->copy_settings_button, TRUE);
      gtk_widget_set_visible (self->save_button, TRUE);
      gtk_widget_add_css_class (self->save_button, "suggested-action");
    }
  else
    {
      self->explanation = smtp_explain_result (result, options);

      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "error");
      gtk_label_set_text (self->title_label, self->explanation->title);
      gtk_label_set_text (self->description_label, self->explanation->explanation);
      gtk_label_set_text (self->advice_label, self->explanation->advice);
      gtk_widget_set_visible (GTK_WIDGET (self->help_button), self->explanation->help_uri != NULL);
      if (self->explanation->help_uri != NULL)
        gtk_link_button_set_uri (self->help_button, self->explanation->help_uri);
      gtk_widget_set_visible (self->advice_box, TRUE);
      gtk_widget_set_visible (self->summary_group, FALSE);
      gtk_widget_set_visible (self->copy_settings_button, FALSE);
      /* A failed account can be saved too, to come back to it later; the
       * fixes are what to do first. */
      gtk_widget_set_visible (self->save_button, TRUE);
      gtk_widget_remove_css_class (self->save_button, "suggested-action");

      /* One button per fix the app can try by itself. */
      for (guint i = 0; i < self->explanation->fixes->len; i++)
        {
          SmtpFix *fix = g_ptr_array_index (self->explanation->fixes, i);
          GtkWidget *button = gtk_button_new_with_label (fix->label);
          GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button)));

          /* Long in some languages: wrapped, so it fits a narrow window. */
          gtk_label_set_wrap (label, TRUE);
          gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "result.apply-fix");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
          gtk_widget_add_css_class (button, "pill");
          if (i == 0)
            gtk_widget_add_css_class (button, "suggested-action");
          gtk_box_append (self->fixes_box, button);
        }
    }

  details = format_details (self);
  gtk_label_set_text (self->details_label, details);
}

static void
retest (SmtpResultPage *self)
{
  g_signal_emit (self, signals[RETEST_REQUESTED], 0);
}

static void
trust_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (user_data);
  const SmtpTestResult *result = smtp_setup_model_get_result (get_model (self));

  if (g_str_equal (response, "trust") && result != NULL && result->certificate != NULL)
    {
      smtp_account_set_pin_sha256 (smtp_setup_model_get_account (get_model (self)),
                                   result->certificate->sha256);
      retest (self);
    }
}

static char *
format_date (GDateTime *time)
{
  return time != NULL ? g_date_time_format (time, "%x") : g_strdup ("?");
}

static void
show_certificate (SmtpResultPage *self)
{
  const SmtpTestResult *result = smtp_setup_model_get_result (get_model (self));
  const SmtpCertificateInfo *cert;
  g_autofree char *body = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  GtkWidget *dialog;

  if (result == NULL || result->certificate == NULL)
    return;

  cert = result->certificate;
  from = format_date (cert->not_before);
  until = format_date (cert->not_after);
  body = g_strdup_printf (_("%s\n\nIssued to: %s\nIssued by: %s\nValid from %s until %s\n"
                            "SHA-256 fingerprint:\n%s\n\n"
                            "Trust it only if you know this server uses its own certificate, "
                            "for example a server in your organisation. If the certificate "
                            "changes later, SMTP Setup will warn you again."),
                          self->explanation != NULL ? self->explanation->explanation : "",
                          cert->subject, cert->issuer, from, until, cert->sha256);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Trust This Certificate?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust for This Account"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (trust_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
apply_fix_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (widget);
  SmtpAccount *account = smtp_setup_model_get_account (get_model (self));
  guint index = g_variant_get_uint32 (parameter);
  SmtpFix *fix;

  if (self->explanation == NULL || index >= self->explanation->fixes->len)
    return;

  fix = g_ptr_array_index (self->explanation->fixes, index);

  /* A certificate is trusted only after the person has seen it. */
  if (fix->trust_certificate)
    {
      show_certificate (self);
      return;
    }

  if (fix->port != 0)
    smtp_account_set_port (account, fix->port);
  if (fix->change_security)
    smtp_account_set_security (account, fix->security);
  if (fix->user != NULL)
    smtp_account_set_user (account, fix->user);

  retest (self);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SAVE_REQUESTED], 0);
}

static void
retest_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  retest (SMTP_RESULT_PAGE (widget));
}

static void
copy_details_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (widget);
  g_autofree char *details = format_details (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), details);
}

static void
copy_settings_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (widget);
  const SmtpTestOptions *options = smtp_setup_model_get_options (get_model (self));
  g_autofree char *settings = NULL;

  if (options == NULL)
    return;

  settings = format_settings (options);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), settings);
}

static void
smtp_result_page_shown (SmtpPage *page)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (page);
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (self->fixes_box));

  update (self);

  /* The first thing to do: a fix to try, or saving what works. */
  first = gtk_widget_get_first_child (GTK_WIDGET (self->fixes_box));
  gtk_widget_grab_focus (first != NULL ? first : self->save_button);
}

static void
smtp_result_page_dispose (GObject *object)
{
  SmtpResultPage *self = SMTP_RESULT_PAGE (object);

  g_clear_pointer (&self->explanation, smtp_explanation_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_RESULT_PAGE);

  G_OBJECT_CLASS (smtp_result_page_parent_class)->dispose (object);
}

static void
smtp_result_page_class_init (SmtpResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_result_page_dispose;
  page_class->shown = smtp_result_page_shown;

  /**
   * SmtpResultPage::retest-requested:
   *
   * The person asked to test again (a fix was applied, a certificate
   * trusted, or "Test Again" pressed).
   */
  signals[RETEST_REQUESTED] =
    g_signal_new ("retest-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * SmtpResultPage::save-requested:
   *
   * The person asked to save the account.
   */
  signals[SAVE_REQUESTED] =
    g_signal_new ("save-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, icon);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, advice_box);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, advice_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, help_button);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, fixes_box);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, summary_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, copy_settings_button);
  gtk_widget_class_bind_template_child (widget_class, SmtpResultPage, details_label);

  gtk_widget_class_install_action (widget_class, "result.apply-fix", "u", apply_fix_action_cb);
  gtk_widget_class_install_action (widget_class, "result.retest", NULL, retest_action_cb);
  gtk_widget_class_install_action (widget_class, "result.save", NULL, save_action_cb);
  gtk_widget_class_install_action (widget_class, "result.copy-details", NULL,
                                   copy_details_action_cb);
  gtk_widget_class_install_action (widget_class, "result.copy-settings", NULL,
                                   copy_settings_action_cb);
}

static void
smtp_result_page_init (SmtpResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SmtpPage *
smtp_result_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_RESULT_PAGE, "model", model, NULL);
}

/**
 * smtp_result_page_get_explanation:
 * @self: the page
 *
 * Returns: (transfer none) (nullable): the explanation on show, for a failure
 */
SmtpExplanation *
smtp_result_page_get_explanation (SmtpResultPage *self)
{
  g_return_val_if_fail (SMTP_IS_RESULT_PAGE (self), NULL);

  return self->explanation;
}
