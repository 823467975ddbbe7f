/* smtp-detect-page.c: finds the settings for the address, with live progress
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-detect-page"

#include "config.h"

#include "smtp-detect-page.h"

#include <glib/gi18n.h>

struct _SmtpDetectPage
{
  SmtpPage              parent_instance;

  GtkLabel             *heading_label;
  GtkLabel             *description_label;
  AdwPreferencesGroup  *sources_group;
  GtkWidget            *candidates_group;
  GtkListBox           *candidates_list;
  GtkLabel             *notes_label;

  SmtpAutoconfig       *autoconfig;
  GCancellable         *cancellable;
  SmtpAutoconfigResult *result;
  GPtrArray            *checks;        /* GtkCheckButton per candidate, in rank order */
  GHashTable           *source_rows;   /* source id -> AdwActionRow */
  char                 *detected_for;  /* the address the result belongs to */
};

G_DEFINE_FINAL_TYPE (SmtpDetectPage, smtp_detect_page, SMTP_TYPE_PAGE)

static const struct {
  const char *id;
  const char *title;
} sources[] = {
  { "providers", N_("SMTP Setup’s list of email providers") },
  { "srv", N_("Your domain’s records for email programs") },
  { "mx", N_("Who receives mail for your domain") },
  { "autoconfig", N_("Your provider’s settings file") },
  { "ispdb", N_("The public settings database") },
  { "probe", N_("Asking the likely servers directly") },
};

static SmtpSetupModel *
get_model (SmtpDetectPage *self)
{
  return smtp_page_get_model (SMTP_PAGE (self));
}

static const char *
source_description (SmtpCandidateSource source)
{
  switch (source)
    {
    case SMTP_CANDIDATE_SOURCE_PROVIDERS: return _("From SMTP Setup’s list of providers");
    case SMTP_CANDIDATE_SOURCE_SRV: return _("From your domain’s records");
    case SMTP_CANDIDATE_SOURCE_MX: return _("From the service that receives your mail");
    case SMTP_CANDIDATE_SOURCE_AUTOCONFIG: return _("From your provider’s settings file");
    case SMTP_CANDIDATE_SOURCE_ISPDB: return _("From the public settings database");
    case SMTP_CANDIDATE_SOURCE_GUESS:
    default:
      return _("A likely name");
    }
}

static GtkWidget *
source_state (AdwActionRow *row)
{
  return g_object_get_data (G_OBJECT (row), "state");
}

static void
set_source (SmtpDetectPage *self,
            const char     *id,
            const char     *state,
            const char     *subtitle)
{
  AdwActionRow *row = g_hash_table_lookup (self->source_rows, id);

  if (row == NULL)
    return;

  gtk_stack_set_visible_child_name (GTK_STACK (source_state (row)), state);
  adw_action_row_set_subtitle (row, subtitle != NULL ? subtitle : "");
}

static void
source_started_cb (SmtpAutoconfig *autoconfig,
                   const char     *source,
                   gpointer        user_data)
{
  set_source (user_data, source, "running", _("Looking…"));
}

static void
source_finished_cb (SmtpAutoconfig *autoconfig,
                    const char     *source,
                    guint           n_found,
                    gpointer        user_data)
{
  g_autofree char *text = NULL;

  if (n_found == 0)
    {
      set_source (user_data, source, "none", _("Nothing found"));
      return;
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Found %u setting",
                                       "Found %u settings", n_found), n_found);
  set_source (user_data, source, "done", text);
}

static GtkWidget *
make_state_stack (void)
{
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *done = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  GtkWidget *none = gtk_image_new_from_icon_name ("window-close-symbolic");
  GtkWidget *waiting = gtk_image_new_from_icon_name ("content-loading-symbolic");

  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_add_css_class (done, "success");
  gtk_widget_add_css_class (none, "dim-label");
  gtk_widget_add_css_class (waiting, "dim-label");
  gtk_stack_add_named (GTK_STACK (stack), waiting, "waiting");
  gtk_stack_add_named (GTK_STACK (stack), spinner, "running");
  gtk_stack_add_named (GTK_STACK (stack), done, "done");
  gtk_stack_add_named (GTK_STACK (stack), none, "none");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "waiting");

  return stack;
}

static void
clear_candidates (SmtpDetectPage *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->candidates_list))) != NULL)
    gtk_list_box_remove (self->candidates_list, row);
  g_ptr_array_set_size (self->checks, 0);
  gtk_widget_set_visible (self->candidates_group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_label), FALSE);
}

static void
show_result (SmtpDetectPage *self)
{
  GtkCheckButton *group = NULL;
  g_autofree char *notes = NULL;

  clear_candidates (self);

  /* Sources that never started were not needed (a known provider answers
   * from the built-in list alone). */
  {
    GHashTableIter iter;
    gpointer row;

    g_hash_table_iter_init (&iter, self->source_rows);
    while (g_hash_table_iter_next (&iter, NULL, &row))
      {
        GtkStack *state = GTK_STACK (source_state (row));

        if (g_str_equal (gtk_stack_get_visible_child_name (state), "waiting"))
          {
            gtk_stack_set_visible_child_name (state, "none");
            adw_action_row_set_subtitle (row, _("Not needed"));
          }
      }
  }

  for (guint i = 0; i < self->result->candidates->len; i++)
    {
      SmtpCandidate *candidate = g_ptr_array_index (self->result->candidates, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      /* Translators: a server, its port and encryption: "smtp.example.com, port 465, SSL/TLS". */
      title = g_strdup_printf (_("%s, port %u, %s"), candidate->host, candidate->port,
                               smtp_security_get_display_name (candidate->security));
      subtitle = candidate->verified
                 /* Translators: where a setting came from, and that the server answered. */
                 ? g_strdup_printf (_("%s — the server answered"),
                                    source_description (candidate->source))
                 : g_strdup (source_description (candidate->source));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), i == 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      _smtp_page_name_by_row (check, ADW_PREFERENCES_ROW (row));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->candidates_list, row);
      g_ptr_array_add (self->checks, check);
    }

  gtk_widget_set_visible (self->candidates_group, self->result->candidates->len > 0);

  if (self->result->notes != NULL && self->result->notes[0] != NULL)
    {
      notes = g_strjoinv ("\n\n", self->result->notes);
      gtk_label_set_text (self->notes_label, notes);
      gtk_widget_set_visible (GTK_WIDGET (self->notes_label), TRUE);
    }

  if (self->result->candidates->len > 0)
    {
      g_autofree char *heading = NULL;

      if (self->result->provider != NULL)
        /* Translators: %s is a provider such as "Gmail". */
        heading = g_strdup_printf (_("Settings for %s Found"), self->result->provider->name);

      gtk_label_set_text (self->heading_label, heading != NULL ? heading : _("Settings Found"));
      gtk_label_set_text (self->description_label,
                          _("Choose Next to use them; you can check or change them on the "
                            "next page."));
    }
  else
    {
      gtk_label_set_text (self->heading_label, _("No Settings Found"));
      gtk_label_set_text (self->description_label,
                          _("Your email provider’s help pages name the outgoing (SMTP) server. "
                            "Choose Next to type it in."));
    }
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SmtpDetectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SmtpAutoconfigResult *detected;

  detected = smtp_autoconfig_detect_finish (SMTP_AUTOCONFIG (source), result, &error);
  if (detected == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Detection failed: %s", error->message);
          gtk_label_set_text (self->heading_label, _("No Settings Found"));
          gtk_label_set_text (self->description_label, error->message);
          _smtp_page_set_busy (SMTP_PAGE (self), FALSE);
        }
      return;
    }

  g_clear_pointer (&self->result, smtp_autoconfig_result_free);
  self->result = detected;
  _smtp_page_set_busy (SMTP_PAGE (self), FALSE);
  show_result (self);
}

static void
start_detection (SmtpDetectPage *self,
                 const char     *address)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  SmtpAutoconfigFlags flags = SMTP_AUTOCONFIG_FLAGS_NONE;
  GSettingsSchemaSource *schemas = g_settings_schema_source_get_default ();
  GHashTableIter iter;
  gpointer row;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, smtp_autoconfig_result_free);
  clear_candidates (self);

  g_free (self->detected_for);
  self->detected_for = g_strdup (address);

  /* Privacy: the domain goes to web servers only when the person allows it. */
  if (schemas != NULL)
    schema = g_settings_schema_source_lookup (schemas, APP_ID, TRUE);
  if (schema != NULL)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      if (!g_settings_get_boolean (settings, "online-lookups"))
        flags |= SMTP_AUTOCONFIG_FLAGS_NO_ONLINE;
    }

  g_hash_table_iter_init (&iter, self->source_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      gtk_stack_set_visible_child_name (GTK_STACK (source_state (row)), "waiting");
      adw_action_row_set_subtitle (row, "");
    }

  gtk_label_set_text (self->heading_label, _("Finding Your Settings"));
  gtk_label_set_text (self->description_label,
                      _("SMTP Setup looks in its list of email providers, in your domain’s "
                        "records, and asks the likely servers directly. This takes a few "
                        "seconds."));

  self->cancellable = g_cancellable_new ();
  _smtp_page_set_busy (SMTP_PAGE (self), TRUE);
  smtp_autoconfig_detect_async (self->autoconfig, address, flags, self->cancellable,
                                detect_cb, g_object_ref (self));
}

static void
smtp_detect_page_shown (SmtpPage *page)
{
  SmtpDetectPage *self = SMTP_DETECT_PAGE (page);
  const char *address = smtp_account_get_address (smtp_setup_model_get_account (get_model (self)));

  /* Coming back to this page keeps what was found for the same address. */
  if (address != NULL && (g_strcmp0 (address, self->detected_for) != 0 ||
                          (self->result == NULL && self->cancellable == NULL)))
    start_detection (self, address);
}

static void
apply_candidate (SmtpDetectPage *self)
{
  SmtpAccount *account = smtp_setup_model_get_account (get_model (self));

  if (self->result == NULL)
    return;

  for (guint i = 0; i < self->checks->len; i++)
    {
      SmtpCandidate *candidate = g_ptr_array_index (self->result->candidates, i);

      if (!gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
        continue;

      smtp_account_set_host (account, candidate->host);
      smtp_account_set_port (account, candidate->port);
      smtp_account_set_security (account, candidate->security);
      if (candidate->username != NULL)
        smtp_account_set_user (account, candidate->username);
      break;
    }
}

static void
smtp_detect_page_apply_async (SmtpPage            *page,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SmtpDetectPage *self = SMTP_DETECT_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, smtp_detect_page_apply_async);

  /* Next while still looking: go on with what is known (the server page
   * lets the person type the rest). */
  if (self->cancellable != NULL && self->result == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      _smtp_page_set_busy (page, FALSE);
      g_clear_pointer (&self->detected_for, g_free);
    }

  apply_candidate (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
smtp_detect_page_apply_finish (SmtpPage      *page,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
manual_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SmtpDetectPage *self = SMTP_DETECT_PAGE (widget);

  /* Nothing found is applied: the server page starts from what is there. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, smtp_autoconfig_result_free);
  g_clear_pointer (&self->detected_for, g_free);
  clear_candidates (self);
  _smtp_page_set_busy (SMTP_PAGE (self), FALSE);

  gtk_widget_activate_action (widget, "assistant.next", NULL);
}

static void
smtp_detect_page_dispose (GObject *object)
{
  SmtpDetectPage *self = SMTP_DETECT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->autoconfig);
  g_clear_pointer (&self->result, smtp_autoconfig_result_free);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->source_rows, g_hash_table_unref);
  g_clear_pointer (&self->detected_for, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_DETECT_PAGE);

  G_OBJECT_CLASS (smtp_detect_page_parent_class)->dispose (object);
}

static void
smtp_detect_page_class_init (SmtpDetectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_detect_page_dispose;
  page_class->shown = smtp_detect_page_shown;
  page_class->apply_async = smtp_detect_page_apply_async;
  page_class->apply_finish = smtp_detect_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-detect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, sources_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, candidates_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, candidates_list);
  gtk_widget_class_bind_template_child (widget_class, SmtpDetectPage, notes_label);

  gtk_widget_class_install_action (widget_class, "detect.manual", NULL, manual_action_cb);
}

static void
smtp_detect_page_init (SmtpDetectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checks = g_ptr_array_new ();
  self->source_rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->autoconfig = smtp_autoconfig_new ();
  g_signal_connect_object (self->autoconfig, "source-started",
                           G_CALLBACK (source_started_cb), self, 0);
  g_signal_connect_object (self->autoconfig, "source-finished",
                           G_CALLBACK (source_finished_cb), self, 0);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *state = make_state_stack ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(sources[i].title));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), state);
      g_object_set_data (G_OBJECT (row), "state", state);
      adw_preferences_group_add (self->sources_group, row);
      g_hash_table_insert (self->source_rows, (gpointer) sources[i].id, row);
    }
}

SmtpPage *
smtp_detect_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_DETECT_PAGE, "model", model, NULL);
}

/**
 * smtp_detect_page_get_autoconfig:
 * @self: the page
 *
 * Returns: (transfer none): the detector, for tests to point at local servers
 */
SmtpAutoconfig *
smtp_detect_page_get_autoconfig (SmtpDetectPage *self)
{
  g_return_val_if_fail (SMTP_IS_DETECT_PAGE (self), NULL);

  return self->autoconfig;
}
