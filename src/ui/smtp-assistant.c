/* smtp-assistant.c: the wizard frame, a stack of pages with Back and Next
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-assistant"

#include "config.h"

#include "smtp-assistant.h"

#include <glib/gi18n.h>

struct _SmtpAssistant
{
  AdwBin          parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget      *back_button;
  GtkWidget      *next_button;
  GtkSpinner     *spinner;
  GtkStack       *stack;

  SmtpPage       *current;      /* unowned: the stack holds it */
  char           *home_action;  /* where Back leads from the first page, if anywhere */
  GCancellable   *cancellable;  /* of the current page's apply, if running */
};

G_DEFINE_FINAL_TYPE (SmtpAssistant, smtp_assistant, ADW_TYPE_BIN)

static SmtpPage *
sibling_page (SmtpAssistant *self,
              SmtpPage      *page,
              gboolean       forward)
{
  GtkWidget *child;

  if (page == NULL)
    return NULL;

  child = forward ? gtk_widget_get_next_sibling (GTK_WIDGET (page))
                  : gtk_widget_get_prev_sibling (GTK_WIDGET (page));
  return child != NULL ? SMTP_PAGE (child) : NULL;
}

static void
update_state (SmtpAssistant *self)
{
  SmtpPage *page = self->current;
  gboolean busy = page != NULL && (smtp_page_get_busy (page) || self->cancellable != NULL);
  gboolean complete = page != NULL && smtp_page_get_complete (page);

  adw_window_title_set_subtitle (self->window_title,
                                 page != NULL && smtp_page_get_title (page) != NULL
                                 ? smtp_page_get_title (page) : "");

  /* The first page has nowhere to go back to, unless to the saved
   * accounts: no dead button on it. */
  gtk_widget_set_visible (self->back_button,
                          sibling_page (self, page, FALSE) != NULL || self->home_action != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 sibling_page (self, page, FALSE) != NULL ||
                                 self->home_action != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 complete && !busy && sibling_page (self, page, TRUE) != NULL);

  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        page != NULL && smtp_page_get_next_label (page) != NULL
                        ? smtp_page_get_next_label (page) : _("_Next"));
  /* The last page has no Next: it offers its own actions. While a page
   * works, the spinner takes Next's place (it could not be pressed then
   * anyway), which keeps the header bar narrow enough for a phone. */
  gtk_widget_set_visible (self->next_button, sibling_page (self, page, TRUE) != NULL && !busy);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
cancel_apply (SmtpAssistant *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
on_stack_visible_child_cb (SmtpAssistant *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);

  if (self->current != NULL)
    g_signal_handlers_disconnect_by_data (self->current, self);

  self->current = child != NULL ? SMTP_PAGE (child) : NULL;

  /* The assistant listens only to the page on show. */
  if (self->current != NULL)
    {
      g_signal_connect_object (self->current, "notify::complete",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->current, "notify::busy",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->current, "notify::title",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->current, "notify::next-label",
                               G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
      smtp_page_shown (self->current);
    }

  update_state (self);
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SmtpAssistant) self = user_data;
  SmtpPage *page = SMTP_PAGE (source);
  g_autoptr(GError) error = NULL;
  SmtpPage *next;

  if (!smtp_page_apply_finish (page, result, &error))
    {
      /* Pages explain their own failures; a cancel is silence. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Page could not be applied: %s", error->message);
          g_clear_object (&self->cancellable);
          update_state (self);
        }
      return;
    }

  g_clear_object (&self->cancellable);

  if (page != self->current)
    return;

  next = sibling_page (self, page, TRUE);
  if (next != NULL)
    gtk_stack_set_visible_child (self->stack, GTK_WIDGET (next));
  else
    update_state (self);
}

static void
next_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SmtpAssistant *self = SMTP_ASSISTANT (widget);

  if (self->current == NULL || !smtp_page_get_complete (self->current) ||
      smtp_page_get_busy (self->current) || self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  update_state (self);
  smtp_page_apply_async (self->current, self->cancellable, apply_cb, g_object_ref (self));
}

static void
back_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SmtpAssistant *self = SMTP_ASSISTANT (widget);
  SmtpPage *previous = sibling_page (self, self->current, FALSE);

  /* Back always stops work in flight, even on the first page. */
  cancel_apply (self);

  if (previous != NULL)
    gtk_stack_set_visible_child (self->stack, GTK_WIDGET (previous));
  else if (self->home_action != NULL)
    gtk_widget_activate_action (widget, self->home_action, NULL);
  else
    update_state (self);
}

static void
smtp_assistant_root (GtkWidget *widget)
{
  SmtpAssistant *self = SMTP_ASSISTANT (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (smtp_assistant_parent_class)->root (widget);

  /* Enter in any field that activates the default presses Next. */
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_default_widget (GTK_WINDOW (root), self->next_button);
}

static void
smtp_assistant_dispose (GObject *object)
{
  SmtpAssistant *self = SMTP_ASSISTANT (object);

  cancel_apply (self);
  if (self->current != NULL)
    g_signal_handlers_disconnect_by_data (self->current, self);
  self->current = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), SMTP_TYPE_ASSISTANT);
  g_clear_pointer (&self->home_action, g_free);

  G_OBJECT_CLASS (smtp_assistant_parent_class)->dispose (object);
}

static void
smtp_assistant_class_init (SmtpAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = smtp_assistant_dispose;
  widget_class->root = smtp_assistant_root;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smtpsetup/SmtpSetup/ui/smtp-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, SmtpAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, SmtpAssistant, back_button);
  gtk_widget_class_bind_template_child (widget_class, SmtpAssistant, next_button);
  gtk_widget_class_bind_template_child (widget_class, SmtpAssistant, spinner);
  gtk_widget_class_bind_template_child (widget_class, SmtpAssistant, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_cb);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action_cb);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.back", NULL);
}

static void
smtp_assistant_init (SmtpAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_state (self);
}

GtkWidget *
smtp_assistant_new (void)
{
  return g_object_new (SMTP_TYPE_ASSISTANT, NULL);
}

/**
 * smtp_assistant_add_page:
 * @self: the assistant
 * @page: (transfer none): a page, appended after the others
 */
void
smtp_assistant_add_page (SmtpAssistant *self,
                         SmtpPage      *page)
{
  g_return_if_fail (SMTP_IS_ASSISTANT (self));
  g_return_if_fail (SMTP_IS_PAGE (page));

  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  update_state (self);
}

/**
 * smtp_assistant_get_current_page:
 * @self: the assistant
 *
 * Returns: (transfer none) (nullable): the page on show
 */
SmtpPage *
smtp_assistant_get_current_page (SmtpAssistant *self)
{
  g_return_val_if_fail (SMTP_IS_ASSISTANT (self), NULL);

  return self->current;
}

/**
 * smtp_assistant_show_page:
 * @self: the assistant
 * @page: one of its pages
 *
 * Goes straight to @page, stopping any work in flight.
 */
void
smtp_assistant_show_page (SmtpAssistant *self,
                          SmtpPage      *page)
{
  g_return_if_fail (SMTP_IS_ASSISTANT (self));
  g_return_if_fail (SMTP_IS_PAGE (page));
  g_return_if_fail (gtk_widget_get_parent (GTK_WIDGET (page)) == GTK_WIDGET (self->stack));

  cancel_apply (self);
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  update_state (self);
}

/**
 * smtp_assistant_next:
 * @self: the assistant
 *
 * Does what pressing Next does, when it may be pressed.
 */
void
smtp_assistant_next (SmtpAssistant *self)
{
  g_return_if_fail (SMTP_IS_ASSISTANT (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "assistant.next", NULL);
}

/**
 * smtp_assistant_set_home_action:
 * @self: the assistant
 * @action: (nullable): a detailed action name that Back on the first page
 *   activates, such as "win.show-accounts"; %NULL hides Back there
 */
void
smtp_assistant_set_home_action (SmtpAssistant *self,
                                const char    *action)
{
  g_return_if_fail (SMTP_IS_ASSISTANT (self));

  g_free (self->home_action);
  self->home_action = g_strdup (action);
  update_state (self);
}

/**
 * smtp_assistant_get_page:
 * @self: the assistant
 * @type: the type of one of its pages
 *
 * Returns: (transfer none) (nullable): the first page of @type
 */
SmtpPage *
smtp_assistant_get_page (SmtpAssistant *self,
                         GType          type)
{
  g_return_val_if_fail (SMTP_IS_ASSISTANT (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return SMTP_PAGE (child);
    }

  return NULL;
}
