/* smtp-test-page.c: runs the test, with a live checklist of its steps
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-test-page"

#include "config.h"

#include "smtp-test-page.h"

#include <glib/gi18n.h>

/* The person sees five steps; the client's stages fold into them. */
typedef enum
{
  STEP_LOOKUP,
  STEP_CONNECT,
  STEP_SECURE,
  STEP_SIGNIN,
  STEP_SEND,
  N_STEPS
} Step;

struct _SmtpTestPage
{
  SmtpPage      parent_instance;

  GtkCheckButton *send_check;
  GtkCheckButton *check_only_check;
  AdwEntryRow  *recipient_row;
  GtkLabel     *error_label;
  GtkWidget    *progress_group;
  GtkWidget    *rows[N_STEPS];
  GtkStack     *states[N_STEPS];
  GtkLabel     *status_label;
  GtkWidget    *send_row_choice;
  GtkWidget    *choice_group;
  GtkWidget    *check_only_row;

  SmtpClient   *client;
  gboolean      secured;   /* the TLS step began: later greetings and EHLOs belong to it */
};

G_DEFINE_FINAL_TYPE (SmtpTestPage, smtp_test_page, SMTP_TYPE_PAGE)

typedef struct
{
  SmtpTestOptions *options;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_clear_pointer (&run->options, smtp_test_options_free);
  g_free (run);
}

static SmtpSetupModel *
get_model (SmtpTestPage *self)
{
  return smtp_page_get_model (SMTP_PAGE (self));
}

static Step
step_of_stage (SmtpTestPage *self,
               SmtpStage     stage)
{
  switch (stage)
    {
    case SMTP_STAGE_RESOLVE:
      return STEP_LOOKUP;
    case SMTP_STAGE_GREETING:
    case SMTP_STAGE_EHLO:
      return self->secured ? STEP_SECURE : STEP_CONNECT;
    case SMTP_STAGE_CONNECT:
      return STEP_CONNECT;
    case SMTP_STAGE_TLS:
    case SMTP_STAGE_STARTTLS:
      return STEP_SECURE;
    case SMTP_STAGE_AUTH:
      return STEP_SIGNIN;
    case SMTP_STAGE_MAIL:
    case SMTP_STAGE_RCPT:
    case SMTP_STAGE_DATA:
    case SMTP_STAGE_MESSAGE:
    case SMTP_STAGE_NONE:
    case SMTP_STAGE_DONE:
    default:
      return STEP_SEND;
    }
}

static void
set_step (SmtpTestPage *self,
          Step          step,
          const char   *state)
{
  /* Steps before this one are over: whatever stage ran last in them worked. */
  for (int i = 0; i < (int) step; i++)
    {
      if (g_str_equal (gtk_stack_get_visible_child_name (self->states[i]), "running"))
        {
          gtk_stack_set_visible_child_name (self->states[i], "done");
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[i]), _("Done"));
        }
    }

  gtk_stack_set_visible_child_name (self->states[step], state);
  /* The state in words too: an icon alone says nothing to a screen reader. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[step]),
                               g_str_equal (state, "running") ? _("In progress…")
                               : g_str_equal (state, "done") ? _("Done")
                               : g_str_equal (state, "failed") ? _("Failed") : "");

  if (g_str_equal (state, "running"))
    gtk_label_set_text (self->status_label,
                        adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->rows[step])));
}

static void
stage_changed_cb (SmtpClient     *client,
                  SmtpStage       stage,
                  SmtpStageState  state,
                  gint64          ms,
                  gpointer        user_data)
{
  SmtpTestPage *self = user_data;

  if (stage == SMTP_STAGE_DONE)
    {
      for (int i = 0; i < N_STEPS; i++)
        {
          if (!g_str_equal (gtk_stack_get_visible_child_name (self->states[i]), "failed"))
            {
              gtk_stack_set_visible_child_name (self->states[i], "done");
              adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[i]), _("Done"));
            }
        }
      return;
    }

  if (stage == SMTP_STAGE_TLS || stage == SMTP_STAGE_STARTTLS)
    self->secured = TRUE;

  switch (state)
    {
    case SMTP_STAGE_STATE_STARTED:
      set_step (self, step_of_stage (self, stage), "running");
      break;

    case SMTP_STAGE_STATE_FAILED:
      set_step (self, step_of_stage (self, stage), "failed");
      break;

    case SMTP_STAGE_STATE_SUCCEEDED:
    default:
      break;
    }
}

static void
reset_steps (SmtpTestPage          *self,
             const SmtpTestOptions *options)
{
  for (int i = 0; i < N_STEPS; i++)
    {
      gtk_stack_set_visible_child_name (self->states[i], "pending");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[i]), _("Waiting"));
    }
  self->secured = FALSE;

  gtk_widget_set_visible (self->rows[STEP_SECURE], options->security != SMTP_SECURITY_NONE);
  gtk_widget_set_visible (self->rows[STEP_SIGNIN], options->password != NULL);
  gtk_widget_set_visible (self->rows[STEP_SEND], !options->check_only);
  gtk_widget_set_visible (self->progress_group, TRUE);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SmtpTestPage *self = g_task_get_source_object (task);
  RunData *run = g_task_get_task_data (task);
  SmtpTestResult *test_result;

  test_result = smtp_client_run_finish (SMTP_CLIENT (source), result);
  g_signal_handlers_disconnect_by_data (source, self);
  gtk_widget_set_sensitive (self->choice_group, TRUE);
  _smtp_page_set_busy (SMTP_PAGE (self), FALSE);

  /* Back or Cancel: stay here, quietly. */
  if (g_error_matches (test_result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_label_set_text (self->status_label, _("The test was stopped."));
      gtk_widget_set_visible (self->progress_group, FALSE);
      smtp_test_result_free (test_result);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The test was stopped."));
      return;
    }

  gtk_label_set_text (self->status_label, test_result->ok ? _("The test succeeded.")
                                                          : _("The test failed."));
  smtp_setup_model_take_result (get_model (self), g_steal_pointer (&run->options), test_result);
  g_task_return_boolean (task, TRUE);
}

static void
smtp_test_page_apply_async (SmtpPage            *page,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SmtpTestPage *self = SMTP_TEST_PAGE (page);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RunData *run;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smtp_test_page_apply_async);
  /* The result of a cancelled test is silence, decided in run_cb. */
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (RunData, 1);
  g_task_set_task_data (task, run, run_data_free);

  run->options = smtp_setup_model_build_options (get_model (self), &error);
  if (run->options == NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  reset_steps (self, run->options);
  /* What is being tested does not change while it runs. */
  gtk_widget_set_sensitive (self->choice_group, FALSE);
  _smtp_page_set_busy (page, TRUE);

  g_signal_connect_object (self->client, "stage-changed", G_CALLBACK (stage_changed_cb), self, 0);
  smtp_client_run_async (self->client, run->options, cancellable, run_cb, g_steal_pointer (&task));
}

static gboolean
smtp_test_page_apply_finish (SmtpPage      *page,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, page), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_choice_toggled_cb (SmtpTestPage *self)
{
  gboolean check_only = gtk_check_button_get_active (self->check_only_check);

  smtp_setup_model_set_check_only (get_model (self), check_only);
  gtk_widget_set_visible (GTK_WIDGET (self->recipient_row), !check_only);
}

static void
on_recipient_row_changed_cb (SmtpTestPage *self)
{
  g_autofree char *to = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->recipient_row))));
  gboolean ok = *to == '\0' || smtp_address_validate (to, NULL);

  smtp_setup_model_set_recipient (get_model (self), to);
  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->recipient_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->recipient_row), "error");

  smtp_page_set_complete (SMTP_PAGE (self), ok || gtk_check_button_get_active (self->check_only_check));
}

static void
smtp_test_page_shown (SmtpPage *page)
{
  SmtpTestPage *self = SMTP_TEST_PAGE (page);
  SmtpSetupModel *model = get_model (self);
  const char *address = smtp_account_get_address (smtp_setup_model_get_account (model));
  /* A copy: setting the row's text writes the model's recipient back. */
  g_autofree char *recipient = g_strdup (smtp_setup_model_get_recipient (model));

  if (recipient == NULL || *recipient == '\0')
    {
      g_free (recipient);
      recipient = g_strdup (address);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->recipient_row), recipient != NULL ? recipient : "");
  gtk_check_button_set_active (smtp_setup_model_get_check_only (model) ? self->check_only_check
                                                                       : self->send_check, TRUE);
  gtk_widget_set_visible (self->progress_group, FALSE);
  gtk_label_set_text (self->status_label, "");
  on_recipient_row_changed_cb (self);

  gtk_widget_grab_focus (GTK_WIDGET (self->send_check));
}

static void
smtp_test_page_dispose (GObject *object)
{
  SmtpTestPage *self = SMTP_TEST_PAGE (object);

  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_TEST_PAGE);

  G_OBJECT_CLASS (smtp_test_page_parent_class)->dispose (object);
}

static void
smtp_test_page_class_init (SmtpTestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SmtpPageClass *page_class = SMTP_PAGE_CLASS (klass);

  object_class->dispose = smtp_test_page_dispose;
  page_class->shown = smtp_test_page_shown;
  page_class->apply_async = smtp_test_page_apply_async;
  page_class->apply_finish = smtp_test_page_apply_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-test-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, send_check);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, check_only_check);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, recipient_row);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, progress_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, send_row_choice);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, choice_group);
  gtk_widget_class_bind_template_child (widget_class, SmtpTestPage, check_only_row);
  gtk_widget_class_bind_template_child_full (widget_class, "lookup_row", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, rows[STEP_LOOKUP]));
  gtk_widget_class_bind_template_child_full (widget_class, "connect_row", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, rows[STEP_CONNECT]));
  gtk_widget_class_bind_template_child_full (widget_class, "secure_row", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, rows[STEP_SECURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "signin_row", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, rows[STEP_SIGNIN]));
  gtk_widget_class_bind_template_child_full (widget_class, "send_row", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, rows[STEP_SEND]));
  gtk_widget_class_bind_template_child_full (widget_class, "lookup_state", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, states[STEP_LOOKUP]));
  gtk_widget_class_bind_template_child_full (widget_class, "connect_state", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, states[STEP_CONNECT]));
  gtk_widget_class_bind_template_child_full (widget_class, "secure_state", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, states[STEP_SECURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "signin_state", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, states[STEP_SIGNIN]));
  gtk_widget_class_bind_template_child_full (widget_class, "send_state", FALSE,
                                             G_STRUCT_OFFSET (SmtpTestPage, states[STEP_SEND]));
  gtk_widget_class_bind_template_callback (widget_class, on_choice_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_recipient_row_changed_cb);
}

static void
smtp_test_page_init (SmtpTestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->client = smtp_client_new ();

  /* The radio buttons are named by their rows. */
  _smtp_page_name_by_row (GTK_WIDGET (self->send_check),
                          ADW_PREFERENCES_ROW (self->send_row_choice));
  _smtp_page_name_by_row (GTK_WIDGET (self->check_only_check),
                          ADW_PREFERENCES_ROW (self->check_only_row));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->recipient_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->error_label, NULL,
                                  -1);
}

SmtpPage *
smtp_test_page_new (SmtpSetupModel *model)
{
  return g_object_new (SMTP_TYPE_TEST_PAGE, "model", model, NULL);
}
