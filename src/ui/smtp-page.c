/* smtp-page.c: one page of the setup assistant
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-page"

#include "config.h"

#include "smtp-page.h"

typedef struct
{
  char     *title;
  char     *next_label;
  GObject  *model;
  gboolean  complete;
  gboolean  busy;
} SmtpPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SmtpPage, smtp_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_BUSY,
  PROP_NEXT_LABEL,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
smtp_page_real_apply_async (SmtpPage            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smtp_page_real_apply_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
smtp_page_real_apply_finish (SmtpPage      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
smtp_page_dispose (GObject *object)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (SMTP_PAGE (object));

  g_clear_object (&priv->model);

  G_OBJECT_CLASS (smtp_page_parent_class)->dispose (object);
}

static void
smtp_page_finalize (GObject *object)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (SMTP_PAGE (object));

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->next_label, g_free);

  G_OBJECT_CLASS (smtp_page_parent_class)->finalize (object);
}

static void
smtp_page_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SmtpPage *self = SMTP_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, smtp_page_get_title (self));
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, smtp_page_get_complete (self));
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, smtp_page_get_busy (self));
      break;

    case PROP_NEXT_LABEL:
      g_value_set_string (value, smtp_page_get_next_label (self));
      break;

    case PROP_MODEL:
      g_value_set_object (value, smtp_page_get_model (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_page_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SmtpPage *self = SMTP_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      smtp_page_set_title (self, g_value_get_string (value));
      break;

    case PROP_COMPLETE:
      smtp_page_set_complete (self, g_value_get_boolean (value));
      break;

    case PROP_NEXT_LABEL:
      smtp_page_set_next_label (self, g_value_get_string (value));
      break;

    case PROP_MODEL:
      {
        SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

        priv->model = g_value_dup_object (value);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_page_class_init (SmtpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = smtp_page_dispose;
  object_class->finalize = smtp_page_finalize;
  object_class->get_property = smtp_page_get_property;
  object_class->set_property = smtp_page_set_property;

  klass->apply_async = smtp_page_real_apply_async;
  klass->apply_finish = smtp_page_real_apply_finish;

  /**
   * SmtpPage:title:
   *
   * The page's title, shown in the header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpPage:complete:
   *
   * Whether everything the page asks for is filled in and valid, so Next
   * may be pressed.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpPage:busy:
   *
   * Whether the page is working (a lookup, a test) and shows progress.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpPage:next-label:
   *
   * The label of the Next button on this page (with a mnemonic), or %NULL
   * for "Next".
   */
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpPage:model:
   *
   * What the pages of the wizard share (a #SmtpSetupModel), or %NULL.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
smtp_page_init (SmtpPage *self)
{
}

const char *
smtp_page_get_title (SmtpPage *self)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_val_if_fail (SMTP_IS_PAGE (self), NULL);

  return priv->title;
}

void
smtp_page_set_title (SmtpPage   *self,
                     const char *title)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_if_fail (SMTP_IS_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;

  g_free (priv->title);
  priv->title = g_strdup (title);
  /* A screen reader names the page by its title. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title != NULL ? title : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * smtp_page_get_model:
 * @self: a page
 *
 * Returns: (transfer none) (nullable): the wizard's shared model
 */
gpointer
smtp_page_get_model (SmtpPage *self)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_val_if_fail (SMTP_IS_PAGE (self), NULL);

  return priv->model;
}

/**
 * _smtp_page_name_by_row:
 * @control: a switch or check button inside @row
 * @row: the row whose title names it
 *
 * Gives @control the row's title, without mnemonic underscores, as its
 * accessible name. (With GTK 4.8 a labelled-by relation to the row leaves
 * such controls nameless.)
 */
void
_smtp_page_name_by_row (GtkWidget         *control,
                        AdwPreferencesRow *row)
{
  const char *title = adw_preferences_row_get_title (row);
  GString *name = g_string_new (NULL);

  for (const char *p = title; p != NULL && *p != '\0'; p++)
    {
      /* "_x" marks a mnemonic; "__" is a real underscore. */
      if (*p == '_' && adw_preferences_row_get_use_underline (row))
        {
          if (p[1] == '_')
            g_string_append_c (name, *++p);
          continue;
        }
      g_string_append_c (name, *p);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name->str, -1);
  g_string_free (name, TRUE);
}

const char *
smtp_page_get_next_label (SmtpPage *self)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_val_if_fail (SMTP_IS_PAGE (self), NULL);

  return priv->next_label;
}

void
smtp_page_set_next_label (SmtpPage   *self,
                          const char *next_label)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_if_fail (SMTP_IS_PAGE (self));

  if (g_strcmp0 (priv->next_label, next_label) == 0)
    return;

  g_free (priv->next_label);
  priv->next_label = g_strdup (next_label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
smtp_page_get_complete (SmtpPage *self)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_val_if_fail (SMTP_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
smtp_page_set_complete (SmtpPage *self,
                        gboolean  complete)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_if_fail (SMTP_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete != complete)
    {
      priv->complete = complete;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
}

gboolean
smtp_page_get_busy (SmtpPage *self)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_val_if_fail (SMTP_IS_PAGE (self), FALSE);

  return priv->busy;
}

void
_smtp_page_set_busy (SmtpPage *self,
                     gboolean  busy)
{
  SmtpPagePrivate *priv = smtp_page_get_instance_private (self);

  g_return_if_fail (SMTP_IS_PAGE (self));

  busy = !!busy;
  if (priv->busy != busy)
    {
      priv->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/**
 * smtp_page_shown:
 * @self: a page
 *
 * Called by the assistant when the page becomes the current one; pages
 * move the focus to their first field.
 */
void
smtp_page_shown (SmtpPage *self)
{
  g_return_if_fail (SMTP_IS_PAGE (self));

  if (SMTP_PAGE_GET_CLASS (self)->shown != NULL)
    SMTP_PAGE_GET_CLASS (self)->shown (self);
}

/**
 * smtp_page_apply_async:
 * @self: a page
 * @cancellable: (nullable): cancels the work when Back or Cancel is pressed
 * @callback: called when the page is ready to be left
 * @user_data: data for @callback
 *
 * Runs the page's work when Next is pressed. The default completes at once.
 */
void
smtp_page_apply_async (SmtpPage            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (SMTP_IS_PAGE (self));

  SMTP_PAGE_GET_CLASS (self)->apply_async (self, cancellable, callback, user_data);
}

gboolean
smtp_page_apply_finish (SmtpPage      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (SMTP_IS_PAGE (self), FALSE);

  return SMTP_PAGE_GET_CLASS (self)->apply_finish (self, result, error);
}
