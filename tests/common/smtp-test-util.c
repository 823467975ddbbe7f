/* smtp-test-util.c: helpers shared by the test programs
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-test-util.h"

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * smtp_test_wait_until:
 * @condition: checked after every main context iteration
 * @user_data: for @condition
 * @timeout_ms: the test fails when @condition is still false by then
 * @what: said in the failure message
 *
 * Iterates the thread-default main context until @condition holds. Never
 * sleeps; the deadline only guards against a hang.
 */
void
smtp_test_wait_until (SmtpTestCondition  condition,
                      gpointer           user_data,
                      guint              timeout_ms,
                      const char        *what)
{
  gboolean expired = FALSE;
  guint id;

  id = g_timeout_add (timeout_ms, deadline_cb, &expired);

  while (!condition (user_data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);

  g_source_remove (id);
}

static char *
make_certs (gboolean hostile)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[4];

  dir = g_dir_make_tmp ("smtp-certs-XXXXXX", &error);
  g_assert_no_error (error);

  script = g_test_build_filename (G_TEST_DIST, "scripts", "make-certs.sh", NULL);
  argv[0] = script;
  argv[1] = dir;
  argv[2] = hostile ? "--hostile" : NULL;
  argv[3] = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("make-certs.sh failed: %s%s", out, err);

  return g_steal_pointer (&dir);
}

/**
 * smtp_test_make_certs:
 *
 * Makes a test CA and server certificates (valid, expired, wrong host,
 * self-signed, unknown CA) in a new temporary directory with
 * tests/scripts/make-certs.sh.
 *
 * Returns: (transfer full): the directory
 */
char *
smtp_test_make_certs (void)
{
  return make_certs (FALSE);
}

/**
 * smtp_test_make_hostile_certs:
 *
 * Like smtp_test_make_certs(), plus the certificate tricks of the hostile
 * server tests (no subjectAltName, wildcards, weak signatures, wrong key
 * usage, bad chains): `make-certs.sh DIR --hostile`.
 *
 * Returns: (transfer full): the directory
 */
char *
smtp_test_make_hostile_certs (void)
{
  return make_certs (TRUE);
}

/**
 * smtp_test_read_file:
 * @path: a file that must exist
 *
 * Returns: (transfer full): its contents
 */
char *
smtp_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}
