/* test-keyring-fixture.c: the private session runs a real gnome-keyring
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-test-util.h"

#include <libsecret/secret.h>

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *password;
  GError   *error;
} Call;

static gboolean
call_done_cb (gpointer user_data)
{
  return ((Call *) user_data)->done;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Call *call = user_data;

  call->ok = secret_password_store_finish (result, &call->error);
  call->done = TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->password = secret_password_lookup_finish (result, &call->error);
  call->done = TRUE;
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Call *call = user_data;

  call->ok = secret_password_clear_finish (result, &call->error);
  call->done = TRUE;
}

static void
test_keyring_round_trip (void)
{
  Call store = { 0 }, lookup = { 0 }, clear = { 0 }, missing = { 0 };
  g_autofree char *secret = g_uuid_string_random ();

  if (g_strcmp0 (g_getenv ("SMTP_TEST_KEYRING"), "1") != 0)
    {
      g_test_fail_printf ("This test needs the private keyring of build-aux/headless-run.sh");
      return;
    }

  secret_password_store (SECRET_SCHEMA_COMPAT_NETWORK, SECRET_COLLECTION_DEFAULT,
                         "SMTP password for tester on fixture.example.test", secret, NULL,
                         store_cb, &store,
                         "user", "tester", "server", "fixture.example.test",
                         "protocol", "smtp", "port", 587, NULL);
  smtp_test_wait_until (call_done_cb, &store, 20000, "the keyring to store");
  g_assert_no_error (store.error);
  g_assert_true (store.ok);

  secret_password_lookup (SECRET_SCHEMA_COMPAT_NETWORK, NULL, lookup_cb, &lookup,
                          "user", "tester", "server", "fixture.example.test",
                          "protocol", "smtp", "port", 587, NULL);
  smtp_test_wait_until (call_done_cb, &lookup, 20000, "the keyring to look up");
  g_assert_no_error (lookup.error);
  g_assert_cmpstr (lookup.password, ==, secret);
  secret_password_free (lookup.password);

  secret_password_clear (SECRET_SCHEMA_COMPAT_NETWORK, NULL, clear_cb, &clear,
                         "user", "tester", "server", "fixture.example.test",
                         "protocol", "smtp", "port", 587, NULL);
  smtp_test_wait_until (call_done_cb, &clear, 20000, "the keyring to clear");
  g_assert_no_error (clear.error);
  g_assert_true (clear.ok);

  secret_password_lookup (SECRET_SCHEMA_COMPAT_NETWORK, NULL, lookup_cb, &missing,
                          "user", "tester", "server", "fixture.example.test",
                          "protocol", "smtp", "port", 587, NULL);
  smtp_test_wait_until (call_done_cb, &missing, 20000, "the keyring to look up again");
  g_assert_no_error (missing.error);
  g_assert_null (missing.password);

  secret_service_disconnect ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_summary ("A password stored in the real gnome-keyring of the private session is read "
                  "back and cleared.");

  g_test_add_func ("/keyring-fixture/round-trip", test_keyring_round_trip);

  return g_test_run ();
}
