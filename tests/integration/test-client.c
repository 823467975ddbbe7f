/* test-client.c: the SMTP client against the scriptable test server
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"

#include <stdlib.h>
#include <string.h>

#define USER "ada@example.test"
#define PASSWORD "Sup3r-secret pässword"
#define FROM "ada@example.test"
#define TO "bob@example.test"

static char *certs;

/* Under valgrind everything runs ten times slower, under the sanitizers a few
 * times: so do the budgets. */
static guint
scaled (guint ms)
{
  const char *slow = g_getenv ("SMTP_TEST_SLOW");

  if (g_getenv ("SMTP_TEST_VALGRIND") != NULL)
    return ms * 10;
  return slow != NULL ? ms * MAX (1, atoi (slow)) : ms;
}

typedef struct
{
  SmtpTestServer  *server;
  SmtpTestOptions *options;
  SmtpTestResult  *result;
  GPtrArray       *events;
  GCancellable    *cancellable;
  SmtpStage        cancel_at;
} Fixture;

static char *
cert_path (const char *name)
{
  return g_build_filename (certs, name, NULL);
}

static SmtpTestServer *
make_server (SmtpTestSecurity  security,
             const char       *cert)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  SmtpTestServer *server;

  if (security != SMTP_TEST_SECURITY_PLAIN)
    {
      g_autofree char *pem = g_strdup_printf ("%s.pem", cert);
      g_autofree char *key = g_strdup_printf ("%s.key", cert);

      cert_file = cert_path (pem);
      key_file = cert_path (key);
    }

  server = smtp_test_server_new (security, cert_file, key_file, &error);
  g_assert_no_error (error);
  smtp_test_server_set_credentials (server, USER, PASSWORD);

  return server;
}

static void
setup_with (Fixture          *fixture,
            SmtpTestSecurity  security,
            const char       *cert)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = cert_path ("ca.pem");

  fixture->server = make_server (security, cert);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->options = smtp_test_options_new ();
  fixture->options->host = g_strdup ("localhost");
  fixture->options->port = smtp_test_server_get_port (fixture->server);
  fixture->options->security = security == SMTP_TEST_SECURITY_PLAIN ? SMTP_SECURITY_NONE
                               : security == SMTP_TEST_SECURITY_TLS ? SMTP_SECURITY_TLS
                               : SMTP_SECURITY_STARTTLS;
  fixture->options->user = g_strdup (USER);
  fixture->options->password = g_strdup (PASSWORD);
  fixture->options->from = g_strdup (FROM);
  fixture->options->to = g_strdup (TO);
  fixture->options->ca_database = g_tls_file_database_new (ca, &error);
  fixture->options->step_timeout_ms = scaled (5000);
  fixture->options->helo_name = g_strdup ("client.example.test");
  g_assert_no_error (error);
}

static void
setup_starttls (Fixture       *fixture,
                gconstpointer  data)
{
  setup_with (fixture, SMTP_TEST_SECURITY_STARTTLS, "server");
}

static void
setup_tls (Fixture       *fixture,
           gconstpointer  data)
{
  setup_with (fixture, SMTP_TEST_SECURITY_TLS, "server");
}

static void
setup_plain (Fixture       *fixture,
             gconstpointer  data)
{
  setup_with (fixture, SMTP_TEST_SECURITY_PLAIN, NULL);
  g_clear_pointer (&fixture->options->password, g_free);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  smtp_test_server_stop (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->options, smtp_test_options_free);
  g_clear_pointer (&fixture->result, smtp_test_result_free);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_clear_object (&fixture->cancellable);
}

static void
stage_changed_cb (SmtpClient     *client,
                  SmtpStage       stage,
                  SmtpStageState  state,
                  gint64          ms,
                  gpointer        user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GEnumClass) states = g_type_class_ref (SMTP_TYPE_STAGE_STATE);

  g_ptr_array_add (fixture->events,
                   g_strdup_printf ("%s:%s", smtp_stage_to_id (stage),
                                    g_enum_get_value (states, state)->value_nick));

  if (fixture->cancellable != NULL && stage == fixture->cancel_at &&
      state == SMTP_STAGE_STATE_STARTED)
    g_cancellable_cancel (fixture->cancellable);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *fixture = user_data;

  fixture->result = smtp_client_run_finish (SMTP_CLIENT (source), result);
}

static gboolean
has_result_cb (gpointer user_data)
{
  return ((Fixture *) user_data)->result != NULL;
}

static SmtpTestResult *
run_client (Fixture *fixture)
{
  g_autoptr(SmtpClient) client = smtp_client_new ();

  g_clear_pointer (&fixture->result, smtp_test_result_free);
  g_signal_connect (client, "stage-changed", G_CALLBACK (stage_changed_cb), fixture);
  smtp_client_run_async (client, fixture->options, fixture->cancellable, run_cb, fixture);
  smtp_test_wait_until (has_result_cb, fixture, 60000, "the test session to end");

  g_test_message ("transcript:\n%s", fixture->result->transcript);
  if (fixture->result->error != NULL)
    g_test_message ("error at %s: %s", smtp_stage_to_id (fixture->result->stage),
                    fixture->result->error->message);

  g_signal_handlers_disconnect_by_data (client, fixture);
  return fixture->result;
}

static gboolean
commands_contain (Fixture    *fixture,
                  const char *prefix)
{
  g_autoptr(GPtrArray) commands = smtp_test_server_get_commands (fixture->server);

  for (guint i = 0; i < commands->len; i++)
    {
      if (g_str_has_prefix (g_ptr_array_index (commands, i), prefix))
        return TRUE;
    }

  return FALSE;
}

/* Nothing secret may reach the transcript, nor go out unencrypted. */
static void
assert_no_secret_leaked (Fixture *fixture)
{
  g_autofree char *plain = g_strdup_printf ("%c%s%c%s", 0, USER, 0, PASSWORD);
  g_autofree char *b64 = g_base64_encode ((const guchar *) plain, 2 + strlen (USER) +
                                          strlen (PASSWORD));
  g_autofree char *b64_pass = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));

  if (fixture->result->transcript != NULL)
    {
      g_assert_null (strstr (fixture->result->transcript, PASSWORD));
      g_assert_null (strstr (fixture->result->transcript, b64));
      g_assert_null (strstr (fixture->result->transcript, b64_pass));
    }
  if (fixture->result->error != NULL)
    g_assert_null (strstr (fixture->result->error->message, PASSWORD));

  g_assert_false (smtp_test_server_received_plaintext (fixture->server, "AUTH"));
}

/* Success ------------------------------------------------------------------- */

static void
assert_delivered (Fixture *fixture)
{
  g_autofree char *message = NULL;

  g_assert_true (smtp_test_server_wait_for_message (fixture->server, 5000));
  message = smtp_test_server_get_message (fixture->server);
  g_assert_nonnull (strstr (message, "From: "));
  g_assert_nonnull (strstr (message, "To: " TO));
  g_assert_nonnull (strstr (message, "Message-ID: <"));
  g_assert_nonnull (strstr (message, "@example.test>"));
  g_assert_true (strstr (message, "\r\nDate: ") != NULL || g_str_has_prefix (message, "Date: "));
}

static void
test_starttls_success (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestResult *result = run_client (fixture);
  g_autoptr(GPtrArray) commands = NULL;

  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_DONE);
  g_assert_cmpstr (result->tls_version, !=, NULL);
  g_assert_nonnull (result->certificate);
  g_assert_true (result->certificate->trusted_by_ca_file);
  g_assert_cmpint (strlen (result->certificate->sha256), ==, 64);
  g_assert_cmpint (result->auth_mechanism, ==, SMTP_AUTH_MECHANISM_PLAIN);
  assert_delivered (fixture);
  assert_no_secret_leaked (fixture);

  /* EHLO before and after TLS; nothing but EHLO and STARTTLS in the clear. */
  commands = smtp_test_server_get_commands (fixture->server);
  g_assert_cmpstr (g_ptr_array_index (commands, 0), ==, "C: EHLO client.example.test");
  g_assert_cmpstr (g_ptr_array_index (commands, 1), ==, "C: STARTTLS");
  g_assert_cmpstr (g_ptr_array_index (commands, 2), ==, "T: EHLO client.example.test");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (commands, 3), "T: AUTH PLAIN "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (commands, 4), "T: MAIL FROM:<" FROM ">"));
  g_assert_cmpstr (g_ptr_array_index (commands, 5), ==, "T: RCPT TO:<" TO ">");
  g_assert_cmpstr (g_ptr_array_index (commands, 6), ==, "T: DATA");
  g_assert_false (smtp_test_server_received_plaintext (fixture->server, "MAIL"));

  /* The transcript keeps the mechanism and hides the credentials. */
  g_assert_nonnull (strstr (result->transcript, "C: AUTH PLAIN <credentials hidden>"));

  /* Each stage started and succeeded, in order. */
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 0), ==, "resolve:started");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, fixture->events->len - 1), ==,
                   "done:succeeded");
}

static void
test_tls_success (Fixture       *fixture,
                  gconstpointer  data)
{
  SmtpTestResult *result = run_client (fixture);
  g_autoptr(GPtrArray) commands = NULL;

  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_nonnull (result->tls_version);
  assert_delivered (fixture);
  assert_no_secret_leaked (fixture);

  commands = smtp_test_server_get_commands (fixture->server);
  for (guint i = 0; i < commands->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (commands, i), "T: "));
}

static void
test_plain_success (Fixture       *fixture,
                    gconstpointer  data)
{
  SmtpTestResult *result = run_client (fixture);

  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_null (result->tls_version);
  assert_delivered (fixture);
}

static void
test_auth_mechanisms (Fixture       *fixture,
                      gconstpointer  data)
{
  static const SmtpAuthMechanism mechanisms[] = {
    SMTP_AUTH_MECHANISM_PLAIN, SMTP_AUTH_MECHANISM_LOGIN, SMTP_AUTH_MECHANISM_CRAM_MD5,
  };

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      SmtpTestResult *result;

      fixture->options->auth = mechanisms[i];
      fixture->options->check_only = TRUE;
      result = run_client (fixture);
      g_assert_no_error (result->error);
      g_assert_true (result->ok);
      g_assert_cmpint (result->auth_mechanism, ==, mechanisms[i]);
      assert_no_secret_leaked (fixture);
    }
}

static void
test_check_only (Fixture       *fixture,
                 gconstpointer  data)
{
  SmtpTestResult *result;

  fixture->options->check_only = TRUE;
  /* Nothing is sent, so no sender is needed. */
  g_clear_pointer (&fixture->options->from, g_free);
  g_clear_pointer (&fixture->options->to, g_free);
  result = run_client (fixture);
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_false (commands_contain (fixture, "T: MAIL"));
  g_assert_cmpuint (smtp_test_server_get_messages (fixture->server), ==, 0);
}

static void
test_no_pipelining (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char *before[] = { "STARTTLS", NULL };
  static const char *after[] = { "AUTH PLAIN LOGIN", NULL };
  SmtpTestResult *result;

  smtp_test_server_set_capabilities (fixture->server, before, after);
  result = run_client (fixture);
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  assert_delivered (fixture);
}

/* The server says no, at each stage -------------------------------------------- */

static const struct {
  const char *command;
  guint nth;
  const char *reply;
  SmtpStage stage;
  int code;
} rejections[] = {
  { "GREETING", 0, "554 5.3.2 No service here\r\n", SMTP_STAGE_GREETING, 554 },
  { "EHLO", 1, "550 5.7.1 Go away\r\n", SMTP_STAGE_EHLO, 550 },
  { "STARTTLS", 0, "454 4.7.0 TLS not available due to local problem\r\n",
    SMTP_STAGE_STARTTLS, 454 },
  { "EHLO", 2, "421 4.3.2 Shutting down\r\n", SMTP_STAGE_EHLO, 421 },
  { "AUTH", 0, "535 5.7.8 Authentication credentials invalid\r\n", SMTP_STAGE_AUTH, 535 },
  { "AUTH", 0, "534-5.7.9 Application-specific password required.\r\n"
               "534 5.7.9 Learn more at https://support.example.test\r\n", SMTP_STAGE_AUTH, 534 },
  { "MAIL", 0, "553 5.7.1 Sender address rejected: not owned by user\r\n",
    SMTP_STAGE_MAIL, 553 },
  { "RCPT", 0, "550 5.1.1 User unknown\r\n", SMTP_STAGE_RCPT, 550 },
  { "RCPT", 0, "450 4.2.0 Greylisted, try again in 5 minutes\r\n", SMTP_STAGE_RCPT, 450 },
  { "DATA", 0, "554 5.5.1 No valid recipients\r\n", SMTP_STAGE_DATA, 554 },
  { "MESSAGE", 0, "552 5.3.4 Message size exceeds fixed limit\r\n", SMTP_STAGE_MESSAGE, 552 },
  { "MESSAGE", 0, "550-5.7.1 Message rejected\r\n550 5.7.1 as spam\r\n", SMTP_STAGE_MESSAGE,
    550 },
};

static void
test_rejections (Fixture       *fixture,
                 gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (rejections); i++)
    {
      g_autoptr(SmtpTestServer) server = make_server (SMTP_TEST_SECURITY_STARTTLS, "server");
      SmtpTestResult *result;

      g_test_message ("%s → %s", rejections[i].command, rejections[i].reply);
      smtp_test_server_add_rule (server, rejections[i].command, rejections[i].nth,
                                 SMTP_TEST_ACTION_REPLY, rejections[i].reply, 0);
      fixture->options->port = smtp_test_server_get_port (server);
      result = run_client (fixture);

      g_assert_false (result->ok);
      g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_REJECTED);
      g_assert_cmpint (result->stage, ==, rejections[i].stage);
      g_assert_nonnull (result->reply);
      g_assert_cmpint (result->reply->code, ==, rejections[i].code);
      g_assert_null (strstr (result->transcript, PASSWORD));
      smtp_test_server_stop (server);
    }
}

/* A server that hangs up at each stage is a failure there, never a success. */
static void
test_disconnects (Fixture       *fixture,
                  gconstpointer  data)
{
  static const struct {
    const char *command;
    guint nth;
    SmtpStage stage;
  } cases[] = {
    { "GREETING", 0, SMTP_STAGE_GREETING },
    { "EHLO", 1, SMTP_STAGE_EHLO },
    { "STARTTLS", 0, SMTP_STAGE_STARTTLS },
    { "EHLO", 2, SMTP_STAGE_EHLO },
    { "AUTH", 0, SMTP_STAGE_AUTH },
    { "MAIL", 0, SMTP_STAGE_MAIL },
    { "RCPT", 0, SMTP_STAGE_RCPT },
    { "DATA", 0, SMTP_STAGE_DATA },
    { "MESSAGE", 0, SMTP_STAGE_MESSAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpTestServer) server = make_server (SMTP_TEST_SECURITY_STARTTLS, "server");
      SmtpTestResult *result;

      g_test_message ("close at %s", cases[i].command);
      smtp_test_server_add_rule (server, cases[i].command, cases[i].nth,
                                 SMTP_TEST_ACTION_CLOSE, NULL, 0);
      fixture->options->port = smtp_test_server_get_port (server);
      result = run_client (fixture);

      g_assert_false (result->ok);
      g_assert_cmpint (result->stage, ==, cases[i].stage);
      g_assert_nonnull (result->error);
      g_assert_false (g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
      smtp_test_server_stop (server);
    }
}

/* Bounds ------------------------------------------------------------------------ */

static void
test_silent_server (Fixture       *fixture,
                    gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "GREETING", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);
  fixture->options->step_timeout_ms = scaled (500);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_GREETING);
}

static void
test_silent_after_ehlo (Fixture       *fixture,
                        gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "AUTH", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);
  fixture->options->step_timeout_ms = scaled (500);
  result = run_client (fixture);

  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_AUTH);
}

/* A byte every 200 ms keeps a connection "active" forever; the step's total
 * budget still ends it. */
static void
test_drip_step (Fixture       *fixture,
                gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "GREETING", 0, SMTP_TEST_ACTION_DRIP,
                             "220-drip drip drip drip drip drip drip drip drip drip\r\n"
                             "220 done\r\n", scaled (200));
  fixture->options->step_timeout_ms = scaled (1000);
  result = run_client (fixture);

  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_GREETING);
}

/* Each step under its own budget, but the whole test over the deadline. */
static void
test_drip_deadline (Fixture       *fixture,
                    gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "GREETING", 0, SMTP_TEST_ACTION_DRIP,
                             "220 hello\r\n", scaled (60));
  smtp_test_server_add_rule (fixture->server, "DATA", 0, SMTP_TEST_ACTION_DRIP,
                             "354 go on\r\n", scaled (60));
  smtp_test_server_add_rule (fixture->server, "*", 0, SMTP_TEST_ACTION_DRIP,
                             "250 ok\r\n", scaled (60));
  fixture->options->security = SMTP_SECURITY_NONE;
  g_clear_pointer (&fixture->options->password, g_free);
  fixture->options->step_timeout_ms = scaled (2000);
  fixture->options->deadline_ms = scaled (1200);

  result = run_client (fixture);
  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (result->error->message, "did not finish"));
}

static void
test_endless_reply (Fixture       *fixture,
                    gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "EHLO", 0, SMTP_TEST_ACTION_FLOOD, NULL, 0);
  result = run_client (fixture);

  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_TOO_LONG);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_EHLO);
}

static void
test_long_line (Fixture       *fixture,
                gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "GREETING", 0, SMTP_TEST_ACTION_LONG_LINE, NULL, 0);
  result = run_client (fixture);

  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_LINE_TOO_LONG);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_GREETING);
}

static void
test_garbage_greeting (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "GREETING", 0, SMTP_TEST_ACTION_REPLY,
                             "HTTP/1.1 400 Bad Request\r\n", 0);
  result = run_client (fixture);

  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_GREETING);
}

/* STARTTLS ------------------------------------------------------------------------ */

static void
test_starttls_not_offered (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char *before[] = { "PIPELINING", "AUTH PLAIN LOGIN", NULL };
  SmtpTestResult *result;

  smtp_test_server_set_capabilities (fixture->server, before, NULL);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_STARTTLS);
  g_assert_false (commands_contain (fixture, "C: AUTH"));
  g_assert_false (commands_contain (fixture, "C: MAIL"));
  assert_no_secret_leaked (fixture);
}

static void
test_starttls_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "STARTTLS", 0, SMTP_TEST_ACTION_REPLY,
                             "502 5.5.1 Not implemented\r\n", 0);
  result = run_client (fixture);

  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_REJECTED);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_STARTTLS);
  g_assert_false (commands_contain (fixture, "C: MAIL"));
  assert_no_secret_leaked (fixture);
}

static void
test_starttls_garbage (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "STARTTLS", 0, SMTP_TEST_ACTION_REPLY,
                             "ready when you are\r\n", 0);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_STARTTLS);
  assert_no_secret_leaked (fixture);
}

/* CVE-2011-0411-style injection: a reply smuggled in before the handshake. */
static void
test_starttls_injection (Fixture       *fixture,
                         gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "STARTTLS", 0, SMTP_TEST_ACTION_REPLY,
                             "220 2.0.0 Ready to start TLS\r\n"
                             "250-injected\r\n250 AUTH PLAIN\r\n", 0);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_STARTTLS_INJECTION);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_STARTTLS);
  assert_no_secret_leaked (fixture);
  g_assert_false (commands_contain (fixture, "T: AUTH"));
}

/* A reply that answers nothing asked: a 250 sent ahead of the message must
 * never count as the message being accepted. */
static void
test_unsolicited_replies (Fixture       *fixture,
                          gconstpointer  data)
{
  static const struct {
    const char *command;
    const char *reply;
  } cases[] = {
    { "DATA", "354 go ahead\r\n250 2.0.0 Ok: queued as FAKE\r\n" },
    { "GREETING", "220 hello\r\n250-fake\r\n250 AUTH PLAIN\r\n" },
    { "AUTH", "235 2.7.0 ok\r\n250 2.1.0 ok\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpTestServer) server = make_server (SMTP_TEST_SECURITY_STARTTLS, "server");
      SmtpTestResult *result;

      smtp_test_server_add_rule (server, cases[i].command, 0, SMTP_TEST_ACTION_REPLY,
                                 cases[i].reply, 0);
      fixture->options->port = smtp_test_server_get_port (server);
      result = run_client (fixture);

      g_assert_false (result->ok);
      g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL);
      g_assert_cmpuint (smtp_test_server_get_messages (server), ==, 0);
      smtp_test_server_stop (server);
    }
}

static void
test_auth_missing_after_tls (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char *before[] = { "STARTTLS", "AUTH PLAIN LOGIN", NULL };
  static const char *after[] = { "PIPELINING", "8BITMIME", NULL };
  SmtpTestResult *result;

  smtp_test_server_set_capabilities (fixture->server, before, after);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_AUTH);
  g_assert_false (commands_contain (fixture, "T: MAIL"));
}

static void
test_plaintext_auth_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  SmtpTestResult *result;

  fixture->options->password = g_strdup (PASSWORD);
  result = run_client (fixture);

  g_assert_false (result->ok);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED);
  g_assert_false (smtp_test_server_received_plaintext (fixture->server, "AUTH"));
  g_assert_false (commands_contain (fixture, "C: MAIL"));
}

static void
test_plaintext_auth_allowed (Fixture       *fixture,
                             gconstpointer  data)
{
  SmtpTestResult *result;

  fixture->options->password = g_strdup (PASSWORD);
  fixture->options->allow_plaintext_auth = TRUE;
  result = run_client (fixture);

  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_true (smtp_test_server_received_plaintext (fixture->server, "AUTH"));
}

static void
test_tls_stall (Fixture       *fixture,
                gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "STARTTLS", 0, SMTP_TEST_ACTION_TLS_STALL, NULL, 0);
  fixture->options->step_timeout_ms = scaled (700);
  result = run_client (fixture);

  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_TLS);
  assert_no_secret_leaked (fixture);
}

/* Certificates --------------------------------------------------------------------- */

static const struct {
  const char *cert;
  GTlsCertificateFlags flag;
} bad_certificates[] = {
  { "expired", G_TLS_CERTIFICATE_EXPIRED },
  { "notyetvalid", G_TLS_CERTIFICATE_NOT_ACTIVATED },
  { "wronghost", G_TLS_CERTIFICATE_BAD_IDENTITY },
  { "selfsigned", G_TLS_CERTIFICATE_UNKNOWN_CA },
  { "unknownca", G_TLS_CERTIFICATE_UNKNOWN_CA },
};

static void
test_bad_certificates (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestSecurity modes[] = { SMTP_TEST_SECURITY_STARTTLS, SMTP_TEST_SECURITY_TLS };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint i = 0; i < G_N_ELEMENTS (bad_certificates); i++)
      {
        g_autoptr(SmtpTestServer) server = make_server (modes[m], bad_certificates[i].cert);
        SmtpTestResult *result;

        g_test_message ("%s certificate, %s", bad_certificates[i].cert,
                        modes[m] == SMTP_TEST_SECURITY_TLS ? "implicit TLS" : "STARTTLS");
        fixture->options->security = modes[m] == SMTP_TEST_SECURITY_TLS ? SMTP_SECURITY_TLS
                                                                           : SMTP_SECURITY_STARTTLS;
        fixture->options->port = smtp_test_server_get_port (server);
        result = run_client (fixture);

        g_assert_false (result->ok);
        g_assert_error (result->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
        g_assert_cmpint (result->stage, ==, SMTP_STAGE_TLS);
        g_assert_nonnull (result->certificate);
        g_assert_true (result->certificate->errors & bad_certificates[i].flag);
        g_assert_nonnull (result->certificate->subject);
        g_assert_cmpint (strlen (result->certificate->sha256), ==, 64);
        g_assert_false (smtp_test_server_received_plaintext (server, "AUTH"));
        g_assert_cmpuint (smtp_test_server_get_messages (server), ==, 0);
        smtp_test_server_stop (server);
      }
}

/* Without the extra CA, the test CA is as unknown as any other. */
static void
test_untrusted_without_ca (Fixture       *fixture,
                           gconstpointer  data)
{
  SmtpTestResult *result;

  g_clear_object (&fixture->options->ca_database);
  result = run_client (fixture);

  g_assert_error (result->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (result->certificate->errors & G_TLS_CERTIFICATE_UNKNOWN_CA);
}

static void
test_pinned (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SmtpTestServer) server = make_server (SMTP_TEST_SECURITY_TLS, "selfsigned");
  g_autofree char *sha256 = NULL;
  SmtpTestResult *result;

  fixture->options->security = SMTP_SECURITY_TLS;
  fixture->options->port = smtp_test_server_get_port (server);
  g_clear_object (&fixture->options->ca_database);

  /* First without a pin: refused, and the fingerprint is shown. */
  result = run_client (fixture);
  g_assert_error (result->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  sha256 = g_strdup (result->certificate->sha256);

  /* The person trusts exactly this certificate. */
  fixture->options->pin_sha256 = g_ascii_strup (sha256, -1);
  result = run_client (fixture);
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
  g_assert_true (result->certificate->pinned);

  /* A different pin is a failure, even though the certificate did not change. */
  g_free (fixture->options->pin_sha256);
  fixture->options->pin_sha256 = g_strnfill (64, 'a');
  result = run_client (fixture);
  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH);
  g_assert_false (result->certificate->pinned);
  smtp_test_server_stop (server);
}

/* Cancellation ----------------------------------------------------------------------- */

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  SmtpTestResult *result;

  fixture->cancellable = g_cancellable_new ();
  g_cancellable_cancel (fixture->cancellable);
  result = run_client (fixture);

  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (smtp_test_server_get_connections (fixture->server), ==, 0);
}

static void
test_cancel_midway (Fixture       *fixture,
                    gconstpointer  data)
{
  SmtpTestResult *result;

  smtp_test_server_add_rule (fixture->server, "AUTH", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);
  fixture->cancellable = g_cancellable_new ();
  fixture->cancel_at = SMTP_STAGE_AUTH;
  result = run_client (fixture);

  g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (result->stage, ==, SMTP_STAGE_AUTH);
}

static void
test_invalid_settings (Fixture       *fixture,
                       gconstpointer  data)
{
  SmtpTestResult *result;

  g_free (fixture->options->to);
  fixture->options->to = g_strdup ("bob@example.test>\r\nRCPT TO:<evil@example.test");
  result = run_client (fixture);

  g_assert_error (result->error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS);
  g_assert_cmpuint (smtp_test_server_get_connections (fixture->server), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("The SMTP client runs a whole test against the scriptable server: every "
                  "security mode, every stage failing, hostile servers, certificates, bounds "
                  "and cancellation.");

  certs = smtp_test_make_certs ();

#define ADD(path, setup, func) \
  g_test_add (path, Fixture, NULL, setup, func, teardown)

  ADD ("/client/starttls/success", setup_starttls, test_starttls_success);
  ADD ("/client/tls/success", setup_tls, test_tls_success);
  ADD ("/client/plain/success", setup_plain, test_plain_success);
  ADD ("/client/auth/mechanisms", setup_starttls, test_auth_mechanisms);
  ADD ("/client/check-only", setup_starttls, test_check_only);
  ADD ("/client/no-pipelining", setup_starttls, test_no_pipelining);
  ADD ("/client/rejections", setup_starttls, test_rejections);
  ADD ("/client/disconnects", setup_starttls, test_disconnects);
  ADD ("/client/bounds/silent-greeting", setup_starttls, test_silent_server);
  ADD ("/client/bounds/silent-auth", setup_starttls, test_silent_after_ehlo);
  ADD ("/client/bounds/drip-step", setup_starttls, test_drip_step);
  ADD ("/client/bounds/drip-deadline", setup_plain, test_drip_deadline);
  ADD ("/client/bounds/endless-reply", setup_starttls, test_endless_reply);
  ADD ("/client/bounds/long-line", setup_starttls, test_long_line);
  ADD ("/client/bounds/garbage", setup_starttls, test_garbage_greeting);
  ADD ("/client/starttls/not-offered", setup_starttls, test_starttls_not_offered);
  ADD ("/client/starttls/refused", setup_starttls, test_starttls_refused);
  ADD ("/client/starttls/garbage", setup_starttls, test_starttls_garbage);
  ADD ("/client/starttls/injection", setup_starttls, test_starttls_injection);
  ADD ("/client/starttls/stall", setup_starttls, test_tls_stall);
  ADD ("/client/unsolicited-replies", setup_starttls, test_unsolicited_replies);
  ADD ("/client/auth/missing-after-tls", setup_starttls, test_auth_missing_after_tls);
  ADD ("/client/auth/plaintext-refused", setup_plain, test_plaintext_auth_refused);
  ADD ("/client/auth/plaintext-allowed", setup_plain, test_plaintext_auth_allowed);
  ADD ("/client/certificate/bad", setup_starttls, test_bad_certificates);
  ADD ("/client/certificate/untrusted-without-ca", setup_starttls, test_untrusted_without_ca);
  ADD ("/client/certificate/pinned", setup_starttls, test_pinned);
  ADD ("/client/cancel/before-start", setup_starttls, test_cancel_before_start);
  ADD ("/client/cancel/midway", setup_starttls, test_cancel_midway);
  ADD ("/client/invalid-settings", setup_starttls, test_invalid_settings);

  status = g_test_run ();

  if (certs != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", certs);
      (void) !system (cmd);
      g_free (certs);
    }

  return status;
}
