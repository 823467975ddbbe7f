/* smtp-keyring.c: passwords in the Secret Service via libsecret, async
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-keyring"

#include "config.h"

#include "smtp-keyring.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

/*
 * Passwords use the well-known network password schema
 * (org.gnome.keyring.NetworkPassword) with the attributes user, server,
 * protocol "smtp" and port, so other programs (and `secret-tool lookup user
 * U server S protocol smtp port P`) find them, and Passwords and Keys shows
 * them as "SMTP password for U on S".
 *
 * Every call has a deadline and can be cancelled: a keyring that never
 * answers, or a prompt nobody answers, ends the call with TIMED_OUT or
 * CANCELLED at once, whatever libsecret does later. A call that runs longer
 * than a second sets :waiting, so the interface can say it is waiting for the
 * keyring (most likely for the person to answer one of its windows).
 */

#define PROTOCOL "smtp"

struct _SmtpKeyring
{
  GObject parent_instance;

  guint   timeout_ms;
  guint   n_waiting;
};

G_DEFINE_FINAL_TYPE (SmtpKeyring, smtp_keyring, G_TYPE_OBJECT)

G_DEFINE_QUARK (smtp-keyring-error-quark, smtp_keyring_error)

enum
{
  PROP_0,
  PROP_TIMEOUT,
  PROP_WAITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  CALL_STORE,
  CALL_LOOKUP,
  CALL_CLEAR,
  CALL_MOVE,
} CallKind;

typedef struct
{
  CallKind      kind;
  char         *user;
  char         *server;
  guint16       port;
  char         *new_user;
  char         *new_server;
  guint16       new_port;
  char         *password;

  /* Cancelled by the caller's cancellable and by the deadline. */
  GCancellable *cancellable;
  GSource      *cancel_source;
  GSource      *timeout_source;
  GSource      *waiting_source;
  gboolean      waiting;
  gboolean      timed_out;
  gboolean      done;
  gboolean      moved;
} Call;

/**
 * smtp_keyring_password_free:
 * @password: (nullable): a password from smtp_keyring_lookup_finish()
 *
 * Wipes and frees the password.
 */
void
smtp_keyring_password_free (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
call_free (Call *call)
{
  g_free (call->user);
  g_free (call->server);
  g_free (call->new_user);
  g_free (call->new_server);
  g_clear_pointer (&call->password, smtp_keyring_password_free);
  clear_source (&call->cancel_source);
  clear_source (&call->timeout_source);
  clear_source (&call->waiting_source);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static const char *
call_name (CallKind kind)
{
  switch (kind)
    {
    case CALL_STORE: return "store";
    case CALL_LOOKUP: return "lookup";
    case CALL_CLEAR: return "clear";
    case CALL_MOVE: return "move";
    default: return "call";
    }
}

static GError *
keyring_error (SmtpKeyringError code)
{
  switch (code)
    {
    case SMTP_KEYRING_ERROR_UNAVAILABLE:
      return g_error_new_literal (SMTP_KEYRING_ERROR, code,
                                  _("The keyring is not available: no keyring service (such "
                                    "as GNOME Keyring) is running in this session. Sign in "
                                    "to a desktop session, or start the keyring service, "
                                    "and try again."));
    case SMTP_KEYRING_ERROR_NO_KEYRING:
      return g_error_new_literal (SMTP_KEYRING_ERROR, code,
                                  _("There is no keyring to keep the password in yet. Create "
                                    "one in Passwords and Keys, or sign in to a desktop "
                                    "session once, and try again."));
    case SMTP_KEYRING_ERROR_LOCKED:
      return g_error_new_literal (SMTP_KEYRING_ERROR, code,
                                  _("The keyring is locked. Unlock it in Passwords and Keys, "
                                    "and try again."));
    case SMTP_KEYRING_ERROR_TIMED_OUT:
      return g_error_new_literal (SMTP_KEYRING_ERROR, code,
                                  _("The keyring did not answer in time. If it asked for a "
                                    "password in another window, answer it and try again."));
    case SMTP_KEYRING_ERROR_FAILED:
    default:
      return g_error_new_literal (SMTP_KEYRING_ERROR, SMTP_KEYRING_ERROR_FAILED,
                                  _("The keyring reported a problem. Try again; if it keeps "
                                    "happening, restart the keyring service or sign in "
                                    "again."));
    }
}

/* What libsecret, GDBus and the service said, in the terms of this module.
 * The original text goes to the debug log only. */
static GError *
map_error (Call         *call,
           const GError *error,
           gboolean      storing)
{
  g_debug ("Keyring %s failed: %s (%s %d)", call_name (call->kind), error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return call->timed_out ? keyring_error (SMTP_KEYRING_ERROR_TIMED_OUT) : g_error_copy (error);

  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        /* gnome-keyring without a keyring, and no display to ask for one:
         * "Object does not exist at path .../collection/login". */
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
          return keyring_error (storing ? SMTP_KEYRING_ERROR_NO_KEYRING
                                        : SMTP_KEYRING_ERROR_UNAVAILABLE);

        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
        case G_DBUS_ERROR_NO_REPLY:
          return keyring_error (SMTP_KEYRING_ERROR_TIMED_OUT);

        case G_DBUS_ERROR_ACCESS_DENIED:
        case G_DBUS_ERROR_AUTH_FAILED:
        case G_DBUS_ERROR_INVALID_ARGS:
        case G_DBUS_ERROR_NOT_SUPPORTED:
        case G_DBUS_ERROR_FAILED:
          return keyring_error (SMTP_KEYRING_ERROR_FAILED);

        /* No Secret Service on the bus (SERVICE_UNKNOWN, NAME_HAS_NO_OWNER),
         * a bus that cannot be reached or spawned, and the like. */
        default:
          return keyring_error (SMTP_KEYRING_ERROR_UNAVAILABLE);
        }
    }

  if (error->domain == SECRET_ERROR)
    {
      if (error->code == SECRET_ERROR_IS_LOCKED)
        return keyring_error (SMTP_KEYRING_ERROR_LOCKED);
      if (error->code == SECRET_ERROR_NO_SUCH_OBJECT && storing)
        return keyring_error (SMTP_KEYRING_ERROR_NO_KEYRING);
      return keyring_error (SMTP_KEYRING_ERROR_FAILED);
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
          return keyring_error (SMTP_KEYRING_ERROR_TIMED_OUT);

        /* A remote error GDBus has no mapping for: the service answered. */
        case G_IO_ERROR_DBUS_ERROR:
          return keyring_error (SMTP_KEYRING_ERROR_FAILED);

        /* "Cannot autolaunch D-Bus without X11 $DISPLAY" (FAILED), a bus
         * socket that does not exist (NOT_FOUND), refused or closed
         * connections, and other ways of not reaching a session bus. */
        default:
          return keyring_error (SMTP_KEYRING_ERROR_UNAVAILABLE);
        }
    }

  return keyring_error (SMTP_KEYRING_ERROR_FAILED);
}

/* Ends the call once: the first of libsecret's answer, the deadline and the
 * caller's cancellation wins; the others find it done. */
static gboolean
call_complete (GTask *task)
{
  SmtpKeyring *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  if (call->done)
    return FALSE;

  call->done = TRUE;
  clear_source (&call->cancel_source);
  clear_source (&call->timeout_source);
  clear_source (&call->waiting_source);

  if (call->waiting)
    {
      call->waiting = FALSE;
      g_assert (self->n_waiting > 0);
      if (--self->n_waiting == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }

  return TRUE;
}

static void
call_return_error (GTask  *task,
                   GError *error)
{
  if (call_complete (task))
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void
call_return_boolean (GTask    *task,
                     gboolean  value)
{
  if (call_complete (task))
    g_task_return_boolean (task, value);
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_debug ("Keyring %s: no answer within %u ms", call_name (call->kind),
           smtp_keyring_get_timeout (g_task_get_source_object (task)));

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  call_return_error (task, keyring_error (SMTP_KEYRING_ERROR_TIMED_OUT));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  g_cancellable_cancel (call->cancellable);
  call_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                _("The keyring call was cancelled.")));

  return G_SOURCE_REMOVE;
}

static gboolean
waiting_cb (gpointer user_data)
{
  GTask *task = user_data;
  SmtpKeyring *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);

  g_clear_pointer (&call->waiting_source, g_source_unref);

  if (!call->done && !call->waiting)
    {
      g_debug ("Keyring %s: waiting for the keyring", call_name (call->kind));
      call->waiting = TRUE;
      if (self->n_waiting++ == 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
    }

  return G_SOURCE_REMOVE;
}

static GSource *
attach_source (GTask       *task,
               GSource     *source,
               GSourceFunc  func)
{
  g_source_set_callback (source, func, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[smtp-keyring] call");
  g_source_attach (source, g_task_get_context (task));
  return source;
}

static GTask *
call_new (SmtpKeyring         *self,
          CallKind             kind,
          const char          *user,
          const char          *server,
          guint16              port,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;
  Call *call;

  call = g_new0 (Call, 1);
  call->kind = kind;
  call->user = g_strdup (user);
  call->server = g_strdup (server);
  call->port = port;
  call->cancellable = g_cancellable_new ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  /* A source on the task's context, not g_cancellable_connect(): the
   * caller may cancel from another thread. */
  if (cancellable != NULL)
    call->cancel_source = attach_source (task, g_cancellable_source_new (cancellable),
                                         G_SOURCE_FUNC (cancelled_cb));
  if (self->timeout_ms > 0)
    call->timeout_source = attach_source (task, g_timeout_source_new (self->timeout_ms),
                                          timeout_cb);
  call->waiting_source = attach_source (task, g_timeout_source_new (SMTP_KEYRING_WAITING_DELAY_MS),
                                        waiting_cb);

  return task;
}

/* libsecret's calls ---------------------------------------------------------- */

static void store_cb  (GObject *source, GAsyncResult *result, gpointer user_data);
static void lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void clear_cb  (GObject *source, GAsyncResult *result, gpointer user_data);

static void
secret_store (GTask      *task,
              const char *user,
              const char *server,
              guint16     port,
              const char *password)
{
  Call *call = g_task_get_task_data (task);
  /* Translators: the label of the password in Passwords and Keys; the
   * first %s is a user name, the second a server, such as
   * "SMTP password for ada@example.com on smtp.example.com". */
  g_autofree char *label = g_strdup_printf (_("SMTP password for %s on %s"), user, server);

  secret_password_store (SECRET_SCHEMA_COMPAT_NETWORK, SECRET_COLLECTION_DEFAULT, label,
                         password, call->cancellable, store_cb, g_object_ref (task),
                         "user", user, "server", server, "protocol", PROTOCOL,
                         "port", (int) port, NULL);
}

static void
secret_lookup (GTask      *task,
               const char *user,
               const char *server,
               guint16     port)
{
  Call *call = g_task_get_task_data (task);

  secret_password_lookup (SECRET_SCHEMA_COMPAT_NETWORK, call->cancellable, lookup_cb,
                          g_object_ref (task),
                          "user", user, "server", server, "protocol", PROTOCOL,
                          "port", (int) port, NULL);
}

static void
secret_clear (GTask      *task,
              const char *user,
              const char *server,
              guint16     port)
{
  Call *call = g_task_get_task_data (task);

  secret_password_clear (SECRET_SCHEMA_COMPAT_NETWORK, call->cancellable, clear_cb,
                         g_object_ref (task),
                         "user", user, "server", server, "protocol", PROTOCOL,
                         "port", (int) port, NULL);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      /* A prompt the person dismissed ends without an error. */
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The prompt was dismissed");
      if (!call->done)
        call_return_error (task, map_error (call, error, TRUE));
      return;
    }

  if (call->done)
    return;

  if (call->kind == CALL_MOVE)
    {
      /* The password is safe under its new name: now forget the old one. */
      secret_clear (task, call->user, call->server, call->port);
      return;
    }

  call_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (!call->done)
        call_return_error (task, map_error (call, error, FALSE));
      return;
    }

  if (call->done)
    {
      if (secret != NULL)
        secret_password_free (secret);
      return;
    }

  /* Our own copy, wiped when freed; libsecret's goes back at once. */
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);

  if (call->kind == CALL_MOVE)
    {
      if (copy == NULL)
        {
          call->moved = FALSE;
          call_return_boolean (task, TRUE);
          return;
        }

      call->password = copy;
      call->moved = TRUE;
      secret_store (task, call->new_user, call->new_server, call->new_port, call->password);
      return;
    }

  if (call_complete (task))
    g_task_return_pointer (task, copy, (GDestroyNotify) smtp_keyring_password_free);
  else
    smtp_keyring_password_free (copy);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (!call->done)
        call_return_error (task, map_error (call, error, FALSE));
      return;
    }

  call_return_boolean (task, TRUE);
}

/* The object ---------------------------------------------------------------- */

static void
smtp_keyring_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmtpKeyring *self = SMTP_KEYRING (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_WAITING:
      g_value_set_boolean (value, self->n_waiting > 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_keyring_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmtpKeyring *self = SMTP_KEYRING (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      smtp_keyring_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_keyring_class_init (SmtpKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = smtp_keyring_get_property;
  object_class->set_property = smtp_keyring_set_property;

  /**
   * SmtpKeyring:timeout:
   *
   * The most one call may take, in milliseconds; 0 waits for as long as it
   * takes (only with a cancel button). Applies to calls started afterwards.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, SMTP_KEYRING_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpKeyring:waiting:
   *
   * A call has been running for longer than a second: the keyring is
   * probably waiting for the person to answer one of its windows (to unlock
   * it, or to choose a password for a new keyring). Show it, with a way to
   * cancel.
   */
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
smtp_keyring_init (SmtpKeyring *self)
{
  self->timeout_ms = SMTP_KEYRING_DEFAULT_TIMEOUT_MS;
}

/**
 * smtp_keyring_new:
 *
 * Returns: (transfer full): a keyring with the default timeout
 */
SmtpKeyring *
smtp_keyring_new (void)
{
  return g_object_new (SMTP_TYPE_KEYRING, NULL);
}

guint
smtp_keyring_get_timeout (SmtpKeyring *self)
{
  g_return_val_if_fail (SMTP_IS_KEYRING (self), 0);

  return self->timeout_ms;
}

void
smtp_keyring_set_timeout (SmtpKeyring *self,
                          guint        timeout_ms)
{
  g_return_if_fail (SMTP_IS_KEYRING (self));

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gboolean
smtp_keyring_get_waiting (SmtpKeyring *self)
{
  g_return_val_if_fail (SMTP_IS_KEYRING (self), FALSE);

  return self->n_waiting > 0;
}

/**
 * smtp_keyring_store_async:
 * @self: a keyring
 * @user: the user name
 * @server: the server's name
 * @port: the server's port
 * @password: the password, copied (and the copy wiped when done)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the password is stored
 * @user_data: for @callback
 *
 * Stores the password in the default keyring, replacing the one stored
 * for the same user, server and port.
 */
void
smtp_keyring_store_async (SmtpKeyring         *self,
                          const char          *user,
                          const char          *server,
                          guint16              port,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (SMTP_IS_KEYRING (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (server != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_STORE, user, server, port, smtp_keyring_store_async,
                   cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->password = g_strdup (password);

  secret_store (task, user, server, port, call->password);
}

/**
 * smtp_keyring_store_finish:
 * @self: a keyring
 * @result: the result given to the callback
 * @error: return location for a %SMTP_KEYRING_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when the password is stored
 */
gboolean
smtp_keyring_store_finish (SmtpKeyring   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == smtp_keyring_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * smtp_keyring_lookup_async:
 * @self: a keyring
 * @user: the user name
 * @server: the server's name
 * @port: the server's port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the password
 * @user_data: for @callback
 *
 * Looks up the password stored for the user, server and port.
 */
void
smtp_keyring_lookup_async (SmtpKeyring         *self,
                           const char          *user,
                           const char          *server,
                           guint16              port,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SMTP_IS_KEYRING (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (server != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_LOOKUP, user, server, port, smtp_keyring_lookup_async,
                   cancellable, callback, user_data);
  secret_lookup (task, user, server, port);
}

/**
 * smtp_keyring_lookup_finish:
 * @self: a keyring
 * @result: the result given to the callback
 * @error: return location for a %SMTP_KEYRING_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the password, to free with
 *   smtp_keyring_password_free(); %NULL without an error when none is stored
 */
char *
smtp_keyring_lookup_finish (SmtpKeyring   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == smtp_keyring_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * smtp_keyring_clear_async:
 * @self: a keyring
 * @user: the user name
 * @server: the server's name
 * @port: the server's port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the password is gone
 * @user_data: for @callback
 *
 * Removes the password stored for the user, server and port, if any.
 */
void
smtp_keyring_clear_async (SmtpKeyring         *self,
                          const char          *user,
                          const char          *server,
                          guint16              port,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SMTP_IS_KEYRING (self));
  g_return_if_fail (user != NULL);
  g_return_if_fail (server != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_CLEAR, user, server, port, smtp_keyring_clear_async,
                   cancellable, callback, user_data);
  secret_clear (task, user, server, port);
}

/**
 * smtp_keyring_clear_finish:
 * @self: a keyring
 * @result: the result given to the callback
 * @error: return location for a %SMTP_KEYRING_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when no password is stored for the user, server and port
 *   any more (also when there was none)
 */
gboolean
smtp_keyring_clear_finish (SmtpKeyring   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == smtp_keyring_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * smtp_keyring_move_async:
 * @self: a keyring
 * @old_user: the user name the password is stored for
 * @old_server: the server it is stored for
 * @old_port: the port it is stored for
 * @new_user: the new user name
 * @new_server: the new server
 * @new_port: the new port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the password has moved
 * @user_data: for @callback
 *
 * After an account's user name, server or port changed: stores its
 * password under the new ones, then clears the old one. The password is
 * never in only one half-done place: if storing fails, the old one stays.
 */
void
smtp_keyring_move_async (SmtpKeyring         *self,
                         const char          *old_user,
                         const char          *old_server,
                         guint16              old_port,
                         const char          *new_user,
                         const char          *new_server,
                         guint16              new_port,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (SMTP_IS_KEYRING (self));
  g_return_if_fail (old_user != NULL);
  g_return_if_fail (old_server != NULL);
  g_return_if_fail (new_user != NULL);
  g_return_if_fail (new_server != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = call_new (self, CALL_MOVE, old_user, old_server, old_port, smtp_keyring_move_async,
                   cancellable, callback, user_data);
  call = g_task_get_task_data (task);
  call->new_user = g_strdup (new_user);
  call->new_server = g_strdup (new_server);
  call->new_port = new_port;

  if (g_str_equal (old_user, new_user) && g_str_equal (old_server, new_server) &&
      old_port == new_port)
    {
      call_return_boolean (task, TRUE);
      return;
    }

  secret_lookup (task, old_user, old_server, old_port);
}

/**
 * smtp_keyring_move_finish:
 * @self: a keyring
 * @result: the result given to the callback
 * @moved: (out) (optional): whether a password was stored to move
 * @error: return location for a %SMTP_KEYRING_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when the password (if there was one) is under the new
 *   user name, server and port only
 */
gboolean
smtp_keyring_move_finish (SmtpKeyring   *self,
                          GAsyncResult  *result,
                          gboolean      *moved,
                          GError       **error)
{
  Call *call;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == smtp_keyring_move_async,
                        FALSE);

  call = g_task_get_task_data (G_TASK (result));
  if (moved != NULL)
    *moved = call->moved;

  return g_task_propagate_boolean (G_TASK (result), error);
}
