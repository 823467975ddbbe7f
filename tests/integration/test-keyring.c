/* test-keyring.c: passwords in the real gnome-keyring of a private session,
 * and every way the keyring can fail: not there, no keyring in it, never
 * answering
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"
#include "smtp-test-util.h"

#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#define USER "ada@example.test"
#define SERVER "smtp.example.test"
#define PASSWORD "Sup3r-secret pässword"

/* The most a subprocess may take: the keyring's own timeout, with room. */
#define SUBPROCESS_TIMEOUT_US (30 * G_USEC_PER_SEC)

typedef struct
{
  GAsyncResult *result;
} Call;

static gboolean
call_done_cb (gpointer user_data)
{
  return ((Call *) user_data)->result != NULL;
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Call *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_call (Call       *call,
           const char *what)
{
  smtp_test_wait_until (call_done_cb, call, 60000, what);
  return call->result;
}

static gboolean
store (SmtpKeyring  *keyring,
       const char   *user,
       guint16       port,
       const char   *password,
       GError      **error)
{
  Call call = { 0 };
  gboolean ok;

  smtp_keyring_store_async (keyring, user, SERVER, port, password, NULL, call_cb, &call);
  ok = smtp_keyring_store_finish (keyring, wait_call (&call, "the keyring to store"), error);
  g_object_unref (call.result);
  return ok;
}

static char *
lookup (SmtpKeyring  *keyring,
        const char   *user,
        guint16       port,
        GError      **error)
{
  Call call = { 0 };
  char *password;

  smtp_keyring_lookup_async (keyring, user, SERVER, port, NULL, call_cb, &call);
  password = smtp_keyring_lookup_finish (keyring, wait_call (&call, "the keyring to look up"),
                                         error);
  g_object_unref (call.result);
  return password;
}

static gboolean
clear (SmtpKeyring  *keyring,
       const char   *user,
       guint16       port,
       GError      **error)
{
  Call call = { 0 };
  gboolean ok;

  smtp_keyring_clear_async (keyring, user, SERVER, port, NULL, call_cb, &call);
  ok = smtp_keyring_clear_finish (keyring, wait_call (&call, "the keyring to clear"), error);
  g_object_unref (call.result);
  return ok;
}

static gboolean
move (SmtpKeyring  *keyring,
      const char   *old_user,
      guint16       old_port,
      const char   *new_user,
      guint16       new_port,
      gboolean     *moved,
      GError      **error)
{
  Call call = { 0 };
  gboolean ok;

  smtp_keyring_move_async (keyring, old_user, SERVER, old_port, new_user, SERVER, new_port,
                           NULL, call_cb, &call);
  ok = smtp_keyring_move_finish (keyring, wait_call (&call, "the keyring to move"), moved,
                                 error);
  g_object_unref (call.result);
  return ok;
}

static gboolean
have_real_keyring (void)
{
  if (g_strcmp0 (g_getenv ("SMTP_TEST_KEYRING"), "1") == 0)
    return TRUE;

  g_test_fail_printf ("This test needs the private keyring of build-aux/headless-run.sh");
  return FALSE;
}

/* The real keyring ---------------------------------------------------------- */

static void
test_keyring_round_trip (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GError) error = NULL;
  char *password;

  if (!have_real_keyring ())
    return;

  g_assert_true (store (keyring, USER, 587, PASSWORD, &error));
  g_assert_no_error (error);

  password = lookup (keyring, USER, 587, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  smtp_keyring_password_free (password);

  /* Storing again replaces it: one item, the new password. */
  g_assert_true (store (keyring, USER, 587, "the new one", &error));
  g_assert_no_error (error);
  password = lookup (keyring, USER, 587, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "the new one");
  smtp_keyring_password_free (password);

  /* Another port is another password. */
  password = lookup (keyring, USER, 465, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  g_assert_true (clear (keyring, USER, 587, &error));
  g_assert_no_error (error);
  password = lookup (keyring, USER, 587, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* Clearing what is not there is fine. */
  g_assert_true (clear (keyring, USER, 587, &error));
  g_assert_no_error (error);

  g_assert_false (smtp_keyring_get_waiting (keyring));
}

static void
test_keyring_missing (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GError) error = NULL;
  char *password;

  if (!have_real_keyring ())
    return;

  password = lookup (keyring, "nobody@example.test", 2525, &error);
  g_assert_no_error (error);
  g_assert_null (password);
}

/* The label of the one item stored for @user on SERVER, asked of the Secret
 * Service over D-Bus (libsecret's own search leaks a little under ASan). */
static char *
item_label (const char *user,
            guint16     port)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) found = NULL;
  g_autoptr(GVariant) label = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;
  GVariantBuilder attributes;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_variant_builder_init (&attributes, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&attributes, "{ss}", "user", user);
  g_variant_builder_add (&attributes, "{ss}", "server", SERVER);
  g_variant_builder_add (&attributes, "{ss}", "protocol", "smtp");
  g_variant_builder_add (&attributes, "{ss}", "port", port_text);
  found = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", &attributes),
                                       G_VARIANT_TYPE ("(aoao)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (found, "(^ao^ao)", &unlocked, &locked);
  g_assert_cmpuint (g_strv_length (unlocked), ==, 1);

  label = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", unlocked[0],
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", "org.freedesktop.Secret.Item",
                                                      "Label"),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (label, "(v)", &value);
  return g_variant_dup_string (value, NULL);
}

/* Other programs find the password by the well-known schema, with a label
 * people recognise. */
static void
test_keyring_schema (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  char *password;

  if (!have_real_keyring ())
    return;

  g_assert_true (store (keyring, "grace@example.test", 465, PASSWORD, &error));
  g_assert_no_error (error);

  password = secret_password_lookup_sync (SECRET_SCHEMA_COMPAT_NETWORK, NULL, &error,
                                          "user", "grace@example.test", "server", SERVER,
                                          "protocol", "smtp", "port", 465, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  secret_password_free (password);

  label = item_label ("grace@example.test", 465);
  g_assert_cmpstr (label, ==, "SMTP password for grace@example.test on " SERVER);

  g_assert_true (clear (keyring, "grace@example.test", 465, &error));
  g_assert_no_error (error);
}

static void
test_keyring_move (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GError) error = NULL;
  gboolean moved = FALSE;
  char *password;

  if (!have_real_keyring ())
    return;

  g_assert_true (store (keyring, "old@example.test", 587, PASSWORD, &error));
  g_assert_no_error (error);

  /* The user name and the port changed. */
  g_assert_true (move (keyring, "old@example.test", 587, "new@example.test", 465, &moved,
                       &error));
  g_assert_no_error (error);
  g_assert_true (moved);

  password = lookup (keyring, "new@example.test", 465, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  smtp_keyring_password_free (password);

  password = lookup (keyring, "old@example.test", 587, &error);
  g_assert_no_error (error);
  g_assert_null (password);

  /* Nothing to move, and nothing that changed. */
  g_assert_true (move (keyring, "old@example.test", 587, "other@example.test", 587, &moved,
                       &error));
  g_assert_no_error (error);
  g_assert_false (moved);
  g_assert_true (move (keyring, "new@example.test", 465, "new@example.test", 465, &moved,
                       &error));
  g_assert_no_error (error);
  g_assert_false (moved);
  password = lookup (keyring, "new@example.test", 465, &error);
  g_assert_cmpstr (password, ==, PASSWORD);
  smtp_keyring_password_free (password);

  g_assert_true (clear (keyring, "new@example.test", 465, &error));
  g_assert_no_error (error);
}

static void
test_keyring_cancelled_before (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Call call = { 0 };
  char *password;

  if (!have_real_keyring ())
    return;

  g_cancellable_cancel (cancellable);
  smtp_keyring_lookup_async (keyring, USER, SERVER, 587, cancellable, call_cb, &call);
  password = smtp_keyring_lookup_finish (keyring, wait_call (&call, "a cancelled lookup"),
                                         &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (call.result);
}

/* No keyring service at all -------------------------------------------------- */

static void
assert_unavailable (void)
{
  g_autoptr(SmtpKeyring) keyring = smtp_keyring_new ();
  g_autoptr(GError) error = NULL;
  char *password;

  password = lookup (keyring, USER, 587, &error);
  g_assert_null (password);
  g_assert_error (error, SMTP_KEYRING_ERROR, SMTP_KEYRING_ERROR_UNAVAILABLE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (store (keyring, USER, 587, PASSWORD, &error));
  g_assert_error (error, SMTP_KEYRING_ERROR, SMTP_KEYRING_ERROR_UNAVAILABLE);
  /* The message is for people; never the password. */
  g_assert_null (strstr (error->message, PASSWORD));
}

static char *
make_runtime_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("smtp-keyring-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* A bus address whose socket does not exist, and no display to autolaunch. */
static void
test_keyring_unavailable_no_socket (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *runtime = make_runtime_dir ();
      g_autofree char *address = g_strdup_printf ("unix:path=%s/no-such-bus", runtime);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      g_unsetenv ("DISPLAY");
      assert_unavailable ();
      g_rmdir (runtime);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* No bus address at all: GDBus would autolaunch one through X11. */
static void
test_keyring_unavailable_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *runtime = make_runtime_dir ();

      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
      assert_unavailable ();
      g_rmdir (runtime);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* A session bus without a Secret Service on it. */
static void
test_keyring_unavailable_no_service (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);

      g_test_dbus_up (bus);
      assert_unavailable ();
      /* Not g_test_dbus_down(): it waits for libsecret's connection to go,
       * which it never does. The process ends here anyway. */
      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* gnome-keyring without any keyring, and no display to ask for one ---------- */

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
test_keyring_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GDBusConnection) connection = NULL;
      g_autoptr(SmtpKeyring) keyring = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *home = make_runtime_dir ();
      g_autofree char *data = g_build_filename (home, "data", NULL);
      g_autofree char *config = g_build_filename (home, "config", NULL);
      g_autofree char *runtime = g_build_filename (home, "runtime", NULL);
      const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--components=secrets",
                             NULL };
      gboolean started = FALSE;
      char *password;
      guint watch;

      g_test_dbus_up (bus);
      g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

      /* A keyring daemon of its own, with an empty home: no keyring yet. */
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                            G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
      /* The daemon's own warnings are not this test's business. */
      g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
      daemon = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);

      connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      watch = g_bus_watch_name_on_connection (connection, "org.freedesktop.secrets",
                                              G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared_cb,
                                              NULL, &started, NULL);
      smtp_test_wait_until (flag_cb, &started, 20000, "gnome-keyring to start");
      g_bus_unwatch_name (watch);

      keyring = smtp_keyring_new ();
      g_assert_false (store (keyring, USER, 587, PASSWORD, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, SMTP_KEYRING_ERROR, SMTP_KEYRING_ERROR_NO_KEYRING);
      g_clear_error (&error);

      /* Looking up finds nothing, without an error. */
      password = lookup (keyring, USER, 587, &error);
      g_assert_no_error (error);
      g_assert_null (password);

      g_subprocess_force_exit (daemon);
      g_test_dbus_stop (bus);
      return;
    }

  if (!g_file_test ("/usr/bin/gnome-keyring-daemon", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A keyring that never answers (as when it waits for the person) ----------- */

static GDBusMessage *
drop_calls_filter (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         user_data)
{
  /* Swallow every call to the "service": it never answers. */
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }

  return message;
}

static GDBusConnection *
start_silent_service (GTestDBus *bus)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (connection, drop_calls_filter, NULL, NULL);

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);

  return g_steal_pointer (&connection);
}

typedef struct
{
  guint         became_waiting;
  guint         stopped_waiting;
  GCancellable *cancel_when_waiting;
} Waiting;

static void
waiting_cb (SmtpKeyring *keyring,
            GParamSpec  *pspec,
            gpointer     user_data)
{
  Waiting *waiting = user_data;

  if (smtp_keyring_get_waiting (keyring))
    {
      waiting->became_waiting++;
      if (waiting->cancel_when_waiting != NULL)
        g_cancellable_cancel (waiting->cancel_when_waiting);
    }
  else
    {
      waiting->stopped_waiting++;
    }
}

static void
test_keyring_never_answers (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GDBusConnection) service = NULL;
      g_autoptr(SmtpKeyring) keyring = NULL;
      g_autoptr(GError) error = NULL;
      Waiting waiting = { 0 };
      char *password;

      g_test_dbus_up (bus);
      service = start_silent_service (bus);

      keyring = smtp_keyring_new ();
      smtp_keyring_set_timeout (keyring, SMTP_KEYRING_WAITING_DELAY_MS * 3);
      g_signal_connect (keyring, "notify::waiting", G_CALLBACK (waiting_cb), &waiting);

      password = lookup (keyring, USER, 587, &error);
      g_assert_null (password);
      g_assert_error (error, SMTP_KEYRING_ERROR, SMTP_KEYRING_ERROR_TIMED_OUT);
      g_test_message ("%s", error->message);

      /* It said it was waiting, then stopped when the call ended. */
      g_assert_cmpuint (waiting.became_waiting, ==, 1);
      g_assert_cmpuint (waiting.stopped_waiting, ==, 1);
      g_assert_false (smtp_keyring_get_waiting (keyring));

      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_keyring_waiting_cancelled (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GDBusConnection) service = NULL;
      g_autoptr(SmtpKeyring) keyring = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      Waiting waiting = { 0 };
      Call call = { 0 };

      g_test_dbus_up (bus);
      service = start_silent_service (bus);

      /* No deadline at all: only the person's Cancel ends the wait. */
      keyring = smtp_keyring_new ();
      smtp_keyring_set_timeout (keyring, 0);
      waiting.cancel_when_waiting = cancellable;
      g_signal_connect (keyring, "notify::waiting", G_CALLBACK (waiting_cb), &waiting);

      smtp_keyring_store_async (keyring, USER, SERVER, 587, PASSWORD, cancellable, call_cb,
                                &call);
      g_assert_false (smtp_keyring_store_finish (keyring, wait_call (&call, "the cancel"),
                                                 &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (waiting.became_waiting, ==, 1);
      g_assert_cmpuint (waiting.stopped_waiting, ==, 1);
      g_object_unref (call.result);

      g_test_dbus_stop (bus);
      return;
    }

  g_test_trap_subprocess (NULL, SUBPROCESS_TIMEOUT_US, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_summary ("SmtpKeyring stores, looks up, replaces, clears and moves passwords in the "
                  "real gnome-keyring under the network password schema, and a keyring that "
                  "is not there, has no keyring, or never answers ends every call with a "
                  "clear error within its timeout, saying meanwhile that it waits.");
  g_test_bug ("5");

  g_test_add_func ("/keyring/round-trip", test_keyring_round_trip);
  g_test_add_func ("/keyring/missing", test_keyring_missing);
  g_test_add_func ("/keyring/schema", test_keyring_schema);
  g_test_add_func ("/keyring/move", test_keyring_move);
  g_test_add_func ("/keyring/cancelled-before", test_keyring_cancelled_before);
  g_test_add_func ("/keyring/unavailable/no-socket", test_keyring_unavailable_no_socket);
  g_test_add_func ("/keyring/unavailable/no-bus", test_keyring_unavailable_no_bus);
  g_test_add_func ("/keyring/unavailable/no-service", test_keyring_unavailable_no_service);
  g_test_add_func ("/keyring/no-keyring", test_keyring_no_keyring);
  g_test_add_func ("/keyring/never-answers", test_keyring_never_answers);
  g_test_add_func ("/keyring/waiting-cancelled", test_keyring_waiting_cancelled);

  status = g_test_run ();
  secret_service_disconnect ();
  return status;
}
