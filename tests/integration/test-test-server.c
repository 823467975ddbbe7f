/* test-test-server.c: the SMTP test server and the test certificates work
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-test-server.h"
#include "smtp-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define USER "ada"
#define PASSWORD "s3cret pass"

static char *cert_dir;

/* A blocking client, enough to drive the server line by line. */
typedef struct {
  GSocketClient       *client;
  GSocketConnection   *tcp;
  GIOStream           *tls;
  GByteArray          *buffer;
  gboolean             accept_called;
  GTlsCertificateFlags flags;
} Client;

static void
client_free (Client *c)
{
  if (c->tls != NULL)
    g_io_stream_close (c->tls, NULL, NULL);
  if (c->tcp != NULL)
    g_io_stream_close (G_IO_STREAM (c->tcp), NULL, NULL);
  g_clear_object (&c->tls);
  g_clear_object (&c->tcp);
  g_clear_object (&c->client);
  g_byte_array_unref (c->buffer);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static char *
cert_file (const char *name,
           const char *suffix)
{
  g_autofree char *base = g_strconcat (name, suffix, NULL);

  return g_build_filename (cert_dir, base, NULL);
}

static SmtpTestServer *
start_server (SmtpTestSecurity  security,
              const char       *cert_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  SmtpTestServer *server;

  if (cert_name != NULL)
    {
      cert = cert_file (cert_name, ".pem");
      key = cert_file (cert_name, ".key");
    }

  server = smtp_test_server_new (security, cert, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);
  g_assert_cmpuint (smtp_test_server_get_port (server), >, 0);
  smtp_test_server_set_credentials (server, USER, PASSWORD);

  return server;
}

/* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, and the
 * GNOME proxy resolver aborts without them; loopback needs no proxy. */
static GSocketClient *
client_new (void)
{
  GSocketClient *client = g_socket_client_new ();

  g_socket_client_set_enable_proxy (client, FALSE);
  return client;
}

static Client *
client_connect (SmtpTestServer *server)
{
  g_autoptr(GError) error = NULL;
  Client *c = g_new0 (Client, 1);

  c->buffer = g_byte_array_new ();
  c->client = client_new ();
  c->tcp = g_socket_client_connect_to_host (c->client, "127.0.0.1",
                                            smtp_test_server_get_port (server), NULL, &error);
  g_assert_no_error (error);
  /* Only a guard: a broken server fails the test instead of hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (c->tcp), 20);

  return c;
}

static GIOStream *
client_stream (Client *c)
{
  return c->tls != NULL ? c->tls : G_IO_STREAM (c->tcp);
}

static void
client_send (Client     *c,
             const char *text)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (client_stream (c));

  g_output_stream_write_all (out, text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* One more read into the buffer; FALSE at end of file or on an error. */
static gboolean
client_fill (Client *c)
{
  g_autoptr(GError) error = NULL;
  GInputStream *in = g_io_stream_get_input_stream (client_stream (c));
  guint8 chunk[4096];
  gssize n;

  n = g_input_stream_read (in, chunk, sizeof chunk, NULL, &error);
  if (n < 0)
    g_test_message ("read: %s", error->message);
  if (n <= 0)
    return FALSE;

  g_byte_array_append (c->buffer, chunk, n);
  return TRUE;
}

/* Returns: a line without its CRLF, or NULL at end of file */
static char *
client_read_line (Client *c)
{
  guint8 *end;
  char *line;
  gsize len;

  while ((end = c->buffer->len > 0 ? memchr (c->buffer->data, '\n', c->buffer->len)
                                   : NULL) == NULL)
    {
      if (!client_fill (c))
        return NULL;
    }

  len = end - c->buffer->data;
  g_assert_cmpuint (len, >, 0);
  g_assert_cmpint (end[-1], ==, '\r');
  line = g_strndup ((const char *) c->buffer->data, len - 1);
  g_byte_array_remove_range (c->buffer, 0, len + 1);

  return line;
}

/* Returns: all lines of one reply joined with "\n", or NULL at end of file */
static char *
client_read_reply (Client *c)
{
  g_autoptr(GString) reply = g_string_new (NULL);

  for (;;)
    {
      g_autofree char *line = client_read_line (c);

      if (line == NULL)
        return NULL;
      if (reply->len > 0)
        g_string_append_c (reply, '\n');
      g_string_append (reply, line);
      if (strlen (line) < 4 || line[3] != '-')
        break;
    }

  return g_string_free (g_steal_pointer (&reply), FALSE);
}

static char *
client_command (Client     *c,
                const char *command)
{
  client_send (c, command);
  return client_read_reply (c);
}

static void
assert_reply (Client     *c,
              const char *command,
              const char *expected)
{
  g_autofree char *reply = NULL;

  if (command != NULL)
    client_send (c, command);
  reply = client_read_reply (c);
  g_assert_cmpstr (reply, ==, expected);
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Client *c = user_data;

  c->accept_called = TRUE;
  c->flags = errors;
  return FALSE;
}

static GIOStream *
client_tls_new (Client     *c,
                guint16     port,
                GError    **error)
{
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("localhost", port);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *ca = cert_file ("ca", ".pem");
  g_autoptr(GIOStream) tls = NULL;

  database = g_tls_file_database_new (ca, error);
  if (database == NULL)
    return NULL;

  tls = g_tls_client_connection_new (G_IO_STREAM (c->tcp), identity, error);
  if (tls == NULL)
    return NULL;

  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), c);

  return g_steal_pointer (&tls);
}

/* A verifying TLS handshake that trusts only the test CA and wants the
 * name localhost. */
static gboolean
client_handshake (Client          *c,
                  SmtpTestServer  *server,
                  GError         **error)
{
  g_autoptr(GIOStream) tls = NULL;

  /* Bytes after the STARTTLS reply would be an injection. */
  g_assert_cmpuint (c->buffer->len, ==, 0);

  tls = client_tls_new (c, smtp_test_server_get_port (server), error);
  if (tls == NULL)
    return FALSE;
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, error))
    return FALSE;

  c->tls = g_steal_pointer (&tls);
  return TRUE;
}

static void
assert_commands (SmtpTestServer    *server,
                 const char *const *expected)
{
  g_autoptr(GPtrArray) commands = smtp_test_server_get_commands (server);
  guint i;

  for (i = 0; i < commands->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (commands, i));

  for (i = 0; i < commands->len && expected[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (commands, i), ==, expected[i]);
  g_assert_cmpuint (commands->len, ==, g_strv_length ((char **) expected));
}

static char *
plain_response (const char *user,
                const char *password)
{
  g_autofree char *raw = g_strdup_printf ("%c%s%c%s", 0, user, 0, password);
  gsize len = strlen (user) + strlen (password) + 2;

  return g_base64_encode ((const guchar *) raw, len);
}

static char *
base64 (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

static void
test_plain_session (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);
  g_autofree char *message = NULL;
  const char *const expected[] = {
    "C: EHLO client.example",
    "C: MAIL FROM:<ada@example.com>",
    "C: RCPT TO:<bob@example.com>",
    "C: DATA",
    "C: QUIT",
    NULL
  };

  g_test_summary ("A plain session gets the default replies, and the server records every "
                  "command as plaintext and the message un-dot-stuffed.");

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  assert_reply (c, "EHLO client.example\r\n",
                "250-localhost\n250-PIPELINING\n250-SIZE 10240000\n"
                "250-AUTH PLAIN LOGIN CRAM-MD5\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n"
                "250 SMTPUTF8");
  assert_reply (c, "MAIL FROM:<ada@example.com>\r\n", "250 2.1.0 Ok");
  assert_reply (c, "RCPT TO:<bob@example.com>\r\n", "250 2.1.5 Ok");
  assert_reply (c, "DATA\r\n", "354 End data with <CR><LF>.<CR><LF>");
  assert_reply (c, "Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n",
                "250 2.0.0 Ok: queued as TEST");
  g_assert_true (smtp_test_server_wait_for_message (server, 10000));
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");
  g_assert_null (client_read_line (c));

  message = smtp_test_server_get_message (server);
  g_assert_cmpstr (message, ==, "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n");
  g_assert_cmpuint (smtp_test_server_get_messages (server), ==, 1);
  assert_commands (server, expected);
  g_assert_cmpuint (smtp_test_server_get_connections (server), ==, 1);
  g_assert_cmpuint (smtp_test_server_get_reads (server), ==, 6);
  g_assert_true (smtp_test_server_received_plaintext (server, "mail from:"));
  g_assert_true (smtp_test_server_received_plaintext (server, "..LEADING"));
  g_assert_false (smtp_test_server_received_plaintext (server, "AUTH"));
}

static void
test_pipelining (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);
  g_autofree char *message = NULL;

  g_test_summary ("Pipelined commands sent together are each answered, in order, and count "
                  "as one read.");

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  g_free (client_command (c, "EHLO client.example\r\n"));
  client_send (c, "MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
                  "RCPT TO:<c@example.com>\r\nDATA\r\n");
  assert_reply (c, NULL, "250 2.1.0 Ok");
  assert_reply (c, NULL, "250 2.1.5 Ok");
  assert_reply (c, NULL, "250 2.1.5 Ok");
  assert_reply (c, NULL, "354 End data with <CR><LF>.<CR><LF>");
  client_send (c, "x\r\n.\r\nQUIT\r\n");
  assert_reply (c, NULL, "250 2.0.0 Ok: queued as TEST");
  assert_reply (c, NULL, "221 2.0.0 Bye");

  message = smtp_test_server_get_message (server);
  g_assert_cmpstr (message, ==, "x\r\n");
  g_assert_cmpuint (smtp_test_server_get_reads (server), ==, 3);
}

static void
test_order_enforced (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);

  g_test_summary ("AUTH and MAIL before EHLO, RCPT before MAIL, DATA before RCPT and unknown "
                  "commands are refused.");

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  assert_reply (c, "AUTH PLAIN AGFkYQBz\r\n", "503 5.5.1 Error: send HELO/EHLO first");
  assert_reply (c, "MAIL FROM:<a@example.com>\r\n", "503 5.5.1 Error: send HELO/EHLO first");
  assert_reply (c, "HELO client.example\r\n", "250 localhost");
  assert_reply (c, "RCPT TO:<b@example.com>\r\n", "503 5.5.1 Error: need MAIL command");
  assert_reply (c, "MAIL FROM:<a@example.com>\r\n", "250 2.1.0 Ok");
  assert_reply (c, "DATA\r\n", "503 5.5.1 Error: need RCPT command");
  assert_reply (c, "RSET\r\n", "250 2.0.0 Ok");
  assert_reply (c, "NOOP\r\n", "250 2.0.0 Ok");
  assert_reply (c, "VRFY ada\r\n", "500 5.5.2 Error: command not recognized");
  assert_reply (c, "STARTTLS\r\n", "502 5.5.1 Error: command not implemented");
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");
}

static void
test_starttls_session (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_STARTTLS, "server");
  g_autoptr(Client) c = client_connect (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *auth_line = NULL;
  g_autofree char *auth_record = NULL;

  g_test_summary ("STARTTLS with the test certificate passes a verifying client that trusts "
                  "the test CA; lines after the upgrade are recorded as TLS.");

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  assert_reply (c, "EHLO client.example\r\n",
                "250-localhost\n250-PIPELINING\n250-SIZE 10240000\n250-STARTTLS\n"
                "250-ENHANCEDSTATUSCODES\n250 8BITMIME");
  assert_reply (c, "STARTTLS\r\n", "220 2.0.0 Ready to start TLS");
  client_handshake (c, server, &error);
  g_assert_no_error (error);
  g_assert_false (c->accept_called);

  assert_reply (c, "EHLO client.example\r\n",
                "250-localhost\n250-PIPELINING\n250-SIZE 10240000\n"
                "250-AUTH PLAIN LOGIN CRAM-MD5\n250-ENHANCEDSTATUSCODES\n250-8BITMIME\n"
                "250 SMTPUTF8");
  auth = plain_response (USER, PASSWORD);
  auth_line = g_strdup_printf ("AUTH PLAIN %s\r\n", auth);
  assert_reply (c, auth_line, "235 2.7.0 Authentication successful");
  assert_reply (c, "STARTTLS\r\n", "554 5.5.1 Error: TLS already active");
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");

  auth_record = g_strdup_printf ("T: AUTH PLAIN %s", auth);
  {
    const char *const expected[] = {
      "C: EHLO client.example",
      "C: STARTTLS",
      "T: EHLO client.example",
      auth_record,
      "T: STARTTLS",
      "T: QUIT",
      NULL
    };

    assert_commands (server, expected);
  }
  g_assert_false (smtp_test_server_received_plaintext (server, "AUTH"));
  g_assert_true (smtp_test_server_received_plaintext (server, "starttls"));
}

static void
test_implicit_tls_session (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_TLS, "server");
  g_autoptr(Client) c = client_connect (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *user = base64 (USER);
  g_autofree char *password = base64 (PASSWORD);
  const char *const expected[] = {
    "T: EHLO client.example",
    "T: AUTH LOGIN",
    "T: YWRh",
    "T: czNjcmV0IHBhc3M=",
    "T: QUIT",
    NULL
  };

  g_test_summary ("Implicit TLS: the handshake comes first, then a session with AUTH LOGIN, "
                  "all recorded as TLS.");

  client_handshake (c, server, &error);
  g_assert_no_error (error);
  g_assert_false (c->accept_called);

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  g_free (client_command (c, "EHLO client.example\r\n"));
  assert_reply (c, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6");
  client_send (c, user);
  assert_reply (c, "\r\n", "334 UGFzc3dvcmQ6");
  client_send (c, password);
  assert_reply (c, "\r\n", "235 2.7.0 Authentication successful");
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");

  assert_commands (server, expected);
  g_assert_false (smtp_test_server_received_plaintext (server, ""));
}

/* One connection: EHLO, then AUTH with @mech as the client would, with
 * @password. Returns the final reply. */
static char *
authenticate (SmtpTestServer *server,
              const char     *mech,
              const char     *password)
{
  g_autoptr(Client) c = client_connect (server);
  g_autofree char *reply = NULL;

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  g_free (client_command (c, "EHLO client.example\r\n"));

  if (g_str_equal (mech, "PLAIN"))
    {
      g_autofree char *response = plain_response (USER, password);
      g_autofree char *line = g_strdup_printf ("AUTH PLAIN %s\r\n", response);

      return client_command (c, line);
    }

  if (g_str_equal (mech, "PLAIN-334"))
    {
      g_autofree char *response = plain_response (USER, password);
      g_autofree char *line = g_strdup_printf ("%s\r\n", response);

      assert_reply (c, "AUTH PLAIN\r\n", "334 ");
      return client_command (c, line);
    }

  if (g_str_equal (mech, "LOGIN"))
    {
      g_autofree char *user_b64 = base64 (USER);
      g_autofree char *password_b64 = base64 (password);
      g_autofree char *first = g_strdup_printf ("AUTH LOGIN %s\r\n", user_b64);
      g_autofree char *second = g_strdup_printf ("%s\r\n", password_b64);

      assert_reply (c, first, "334 UGFzc3dvcmQ6");
      return client_command (c, second);
    }

  if (g_str_equal (mech, "CRAM-MD5"))
    {
      g_autofree guchar *challenge = NULL;
      g_autofree char *challenge_str = NULL;
      g_autofree char *digest = NULL;
      g_autofree char *answer = NULL;
      g_autofree char *answer_b64 = NULL;
      g_autofree char *line = NULL;
      gsize len = 0;

      reply = client_command (c, "AUTH CRAM-MD5\r\n");
      g_assert_true (g_str_has_prefix (reply, "334 "));
      challenge = g_base64_decode (reply + 4, &len);
      challenge_str = g_strndup ((const char *) challenge, len);
      g_assert_true (g_str_has_prefix (challenge_str, "<"));
      digest = g_compute_hmac_for_string (G_CHECKSUM_MD5, (const guchar *) password,
                                          strlen (password), challenge_str, -1);
      answer = g_strdup_printf ("%s %s", USER, digest);
      answer_b64 = base64 (answer);
      line = g_strdup_printf ("%s\r\n", answer_b64);
      return client_command (c, line);
    }

  g_assert_not_reached ();
}

static void
test_auth (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  const char *mechs[] = { "PLAIN", "PLAIN-334", "LOGIN", "CRAM-MD5" };

  g_test_summary ("AUTH PLAIN (with an initial response and after 334), LOGIN and CRAM-MD5 "
                  "accept the right password and refuse a wrong one with 535.");

  for (guint i = 0; i < G_N_ELEMENTS (mechs); i++)
    {
      g_autofree char *good = NULL;
      g_autofree char *bad = NULL;

      g_test_message ("%s", mechs[i]);
      good = authenticate (server, mechs[i], PASSWORD);
      g_assert_cmpstr (good, ==, "235 2.7.0 Authentication successful");
      bad = authenticate (server, mechs[i], "wrong");
      g_assert_cmpstr (bad, ==, "535 5.7.8 Authentication credentials invalid");
    }

  g_assert_cmpuint (smtp_test_server_get_connections (server), ==, 2 * G_N_ELEMENTS (mechs));
}

static void
test_auth_not_offered (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);
  const char *const caps[] = { "AUTH LOGIN", NULL };
  const char *const none[] = { NULL };

  g_test_summary ("Capabilities are configurable and AUTH follows them.");

  smtp_test_server_set_capabilities (server, NULL, caps);
  assert_reply (c, NULL, "220 localhost ESMTP test server");
  assert_reply (c, "EHLO client.example\r\n", "250-localhost\n250 AUTH LOGIN");
  assert_reply (c, "AUTH PLAIN\r\n", "504 5.5.4 Unrecognized authentication type");
  assert_reply (c, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6");
  assert_reply (c, "*\r\n", "501 5.7.0 Authentication aborted");

  smtp_test_server_set_capabilities (server, NULL, none);
  assert_reply (c, "EHLO client.example\r\n", "250 localhost");
  assert_reply (c, "AUTH LOGIN\r\n", "503 5.5.1 Error: authentication not enabled");
}

static void
test_script_replies (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);

  g_test_summary ("Scripted replies: multi-line, extra bytes, the n-th occurrence only, \"*\", "
                  "delays and dripping.");

  smtp_test_server_add_rule (server, "ehlo", 0, SMTP_TEST_ACTION_REPLY,
                             "250-first\r\n250-second\r\n250 last\r\n", 0);
  smtp_test_server_add_rule (server, "NOOP", 2, SMTP_TEST_ACTION_REPLY, "421 4.3.2 Busy\r\n", 5);
  smtp_test_server_add_rule (server, "*", 7, SMTP_TEST_ACTION_REPLY, "554 5.0.0 Seventh\r\n", 0);
  smtp_test_server_add_rule (server, "RSET", 0, SMTP_TEST_ACTION_REPLY,
                             "250 2.0.0 Ok\r\n250 injected\r\n", 0);
  smtp_test_server_add_rule (server, "MAIL", 0, SMTP_TEST_ACTION_DRIP, "250 dripped\r\n", 1);
  smtp_test_server_add_rule (server, "MAIL", 0, SMTP_TEST_ACTION_CLOSE, NULL, 0);

  assert_reply (c, NULL, "220 localhost ESMTP test server");                /* 1 */
  assert_reply (c, "EHLO client.example\r\n", "250-first\n250-second\n250 last");
  assert_reply (c, "NOOP\r\n", "250 2.0.0 Ok");
  assert_reply (c, "NOOP\r\n", "421 4.3.2 Busy");
  assert_reply (c, "NOOP\r\n", "250 2.0.0 Ok");                             /* 5 */
  assert_reply (c, "RSET\r\n", "250 2.0.0 Ok");
  assert_reply (c, NULL, "250 injected");
  assert_reply (c, "NOOP\r\n", "554 5.0.0 Seventh");                        /* 7 */
  assert_reply (c, "MAIL FROM:<a@example.com>\r\n", "250 dripped");
  /* The scripted 250 counts: the session goes on as after a real one. */
  assert_reply (c, "RCPT TO:<b@example.com>\r\n", "250 2.1.5 Ok");
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");
}

static void
test_script_close (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);
  const char *const expected[] = {
    "C: EHLO client.example",
    "C: MAIL FROM:<a@example.com>",
    NULL
  };

  g_test_summary ("A scripted CLOSE drops the connection without a reply.");

  smtp_test_server_add_rule (server, "MAIL", 1, SMTP_TEST_ACTION_CLOSE, NULL, 10);

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  g_free (client_command (c, "EHLO client.example\r\n"));
  client_send (c, "MAIL FROM:<a@example.com>\r\n");
  g_assert_null (client_read_line (c));
  assert_commands (server, expected);
}

/* Wakes the main context now and then, so that smtp_test_wait_until ()
 * re-checks a condition that changes in the server's threads. */
static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
ignored_line_recorded (gpointer user_data)
{
  return smtp_test_server_received_plaintext (user_data, "more ignored");
}

static void
test_script_silence (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);
  g_autoptr(Client) d = client_connect (server);
  g_autoptr(GError) error = NULL;
  GSocket *socket;
  guint tick;

  g_test_summary ("SILENCE and a long delay keep the connection open and unanswered; stopping "
                  "the server ends both at once.");

  smtp_test_server_add_rule (server, "NOOP", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);
  smtp_test_server_add_rule (server, "RSET", 0, SMTP_TEST_ACTION_REPLY, "250 late\r\n",
                             10 * 60 * 1000);

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  assert_reply (d, NULL, "220 localhost ESMTP test server");
  client_send (c, "NOOP\r\n");
  client_send (c, "more ignored\r\n");
  client_send (d, "RSET\r\n");

  socket = g_socket_connection_get_socket (c->tcp);
  g_assert_false (g_socket_condition_timed_wait (socket, G_IO_IN, 100 * 1000, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  /* Lines are still recorded while the server stays silent. */
  tick = g_timeout_add (5, tick_cb, NULL);
  smtp_test_wait_until (ignored_line_recorded, server, 10000, "the ignored line");
  g_source_remove (tick);

  smtp_test_server_stop (server);
  g_assert_null (client_read_line (c));
  g_assert_null (client_read_line (d));
}

static void
test_script_flood (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);

  g_test_summary ("FLOOD sends continuation lines without end until the client closes.");

  smtp_test_server_add_rule (server, "EHLO", 0, SMTP_TEST_ACTION_FLOOD, NULL, 0);
  assert_reply (c, NULL, "220 localhost ESMTP test server");
  client_send (c, "EHLO client.example\r\n");
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *line = client_read_line (c);

      g_assert_cmpstr (line, ==, "250-flood line");
    }

  g_clear_pointer (&c, client_free);
  smtp_test_server_stop (server);
}

static void
test_script_long_line (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = client_connect (server);

  g_test_summary ("LONG_LINE sends 1 MiB without a line end, then keeps the connection open.");

  smtp_test_server_add_rule (server, "EHLO", 1, SMTP_TEST_ACTION_LONG_LINE, "250-", 0);
  assert_reply (c, NULL, "220 localhost ESMTP test server");
  client_send (c, "EHLO client.example\r\n");
  while (c->buffer->len < 1024 * 1024)
    g_assert_true (client_fill (c));

  g_assert_cmpuint (c->buffer->len, ==, 1024 * 1024);
  g_assert_null (memchr (c->buffer->data, '\n', c->buffer->len));
  g_assert_cmpmem (c->buffer->data, 5, "250-x", 5);

  /* The connection stays open until the server stops. */
  smtp_test_server_stop (server);
  g_assert_false (client_fill (c));
}

typedef struct {
  gboolean done;
  gboolean timer;
  GError  *error;
} HandshakeState;

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  HandshakeState *state = user_data;

  g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &state->error);
  state->done = TRUE;
}

static gboolean
timer_cb (gpointer user_data)
{
  HandshakeState *state = user_data;

  state->timer = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
done_or_timer (gpointer user_data)
{
  HandshakeState *state = user_data;

  return state->done || state->timer;
}

static gboolean
done (gpointer user_data)
{
  HandshakeState *state = user_data;

  return state->done;
}

/* Starts an async handshake on the default main context, lets it run a
 * while, checks that it did not finish, then cancels it. */
static void
assert_handshake_stalls (Client         *c,
                         SmtpTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = client_tls_new (c, smtp_test_server_get_port (server), &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HandshakeState state = { FALSE, };

  g_assert_no_error (error);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, cancellable,
                                    handshake_cb, &state);
  g_timeout_add (200, timer_cb, &state);
  smtp_test_wait_until (done_or_timer, &state, 10000, "the stall timer");
  if (state.error != NULL)
    g_test_message ("handshake: %s", state.error->message);
  g_assert_false (state.done);

  g_cancellable_cancel (cancellable);
  smtp_test_wait_until (done, &state, 10000, "the cancelled handshake");
  g_assert_nonnull (state.error);
  g_clear_error (&state.error);
}

static void
test_script_tls_stall (void)
{
  g_autoptr(SmtpTestServer) starttls = start_server (SMTP_TEST_SECURITY_STARTTLS, "server");
  g_autoptr(SmtpTestServer) implicit = start_server (SMTP_TEST_SECURITY_TLS, "server");
  g_autoptr(Client) c = NULL;
  g_autoptr(Client) d = NULL;

  g_test_summary ("TLS_STALL accepts STARTTLS or the implicit-TLS connection but never "
                  "completes the handshake; the server works while the main context runs an "
                  "async client.");

  smtp_test_server_add_rule (starttls, "STARTTLS", 0, SMTP_TEST_ACTION_TLS_STALL, NULL, 0);
  smtp_test_server_add_rule (implicit, "GREETING", 0, SMTP_TEST_ACTION_TLS_STALL, NULL, 0);
  /* Only now: the greeting's rule is chosen as the connection is accepted. */
  c = client_connect (starttls);
  d = client_connect (implicit);

  assert_reply (c, NULL, "220 localhost ESMTP test server");
  g_free (client_command (c, "EHLO client.example\r\n"));
  assert_reply (c, "STARTTLS\r\n", "220 2.0.0 Ready to start TLS");
  assert_handshake_stalls (c, starttls);
  assert_handshake_stalls (d, implicit);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GSocketConnection **connection = user_data;
  g_autoptr(GError) error = NULL;

  *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **bytes = user_data;
  g_autoptr(GError) error = NULL;

  *bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_client (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(GSocketClient) client = client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GBytes) greeting = NULL;
  GInputStream *in;

  g_test_summary ("An async client on the default main context talks to the server.");

  smtp_test_server_add_rule (server, "GREETING", 0, SMTP_TEST_ACTION_REPLY,
                             "220 slow\r\n", 20);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", smtp_test_server_get_port (server),
                                         NULL, connect_cb, &connection);
  smtp_test_wait_until (pointer_set, &connection, 10000, "the connection");

  in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_input_stream_read_bytes_async (in, 100, G_PRIORITY_DEFAULT, NULL, read_cb, &greeting);
  smtp_test_wait_until (pointer_set, &greeting, 10000, "the greeting");
  g_assert_cmpmem (g_bytes_get_data (greeting, NULL), g_bytes_get_size (greeting),
                   "220 slow\r\n", 10);
}

static void
test_bad_certificates (void)
{
  static const struct {
    const char          *name;
    GTlsCertificateFlags flag;
  } cases[] = {
    { "expired", G_TLS_CERTIFICATE_EXPIRED },
    { "notyetvalid", G_TLS_CERTIFICATE_NOT_ACTIVATED },
    { "wronghost", G_TLS_CERTIFICATE_BAD_IDENTITY },
    { "selfsigned", G_TLS_CERTIFICATE_UNKNOWN_CA },
    { "unknownca", G_TLS_CERTIFICATE_UNKNOWN_CA },
    { "unknownca-chain", G_TLS_CERTIFICATE_UNKNOWN_CA },
  };

  g_test_summary ("Each bad test certificate fails a verifying client with the expected "
                  "GTlsCertificateFlags; the good ones pass.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *cert = cert_file (cases[i].name, ".pem");
      g_autofree char *key = NULL;
      g_autoptr(SmtpTestServer) server = NULL;
      g_autoptr(Client) c = NULL;

      key = cert_file (g_str_equal (cases[i].name, "unknownca-chain") ? "unknownca"
                                                                       : cases[i].name, ".key");
      server = smtp_test_server_new (SMTP_TEST_SECURITY_TLS, cert, key, &error);
      g_assert_no_error (error);
      c = client_connect (server);

      g_assert_false (client_handshake (c, server, &error));
      g_test_message ("%s: flags 0x%x, %s", cases[i].name, c->flags, error->message);
      g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
      g_assert_true (c->accept_called);
      g_assert_cmphex (c->flags, ==, cases[i].flag);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *cert = cert_file (i == 0 ? "server" : "server-chain", ".pem");
      g_autofree char *key = cert_file ("server", ".key");
      g_autoptr(SmtpTestServer) server = NULL;
      g_autoptr(Client) c = NULL;

      server = smtp_test_server_new (SMTP_TEST_SECURITY_TLS, cert, key, &error);
      g_assert_no_error (error);
      c = client_connect (server);
      g_assert_true (client_handshake (c, server, &error));
      g_assert_no_error (error);
      g_assert_false (c->accept_called);
      assert_reply (c, NULL, "220 localhost ESMTP test server");
    }
}

static void
test_rule_from_line (void)
{
  g_autoptr(SmtpTestServer) server = start_server (SMTP_TEST_SECURITY_PLAIN, NULL);
  g_autoptr(Client) c = NULL;
  static const char *const bad[] = {
    "EHLO",
    "EHLO x REPLY 0 text",
    "EHLO 1 BOGUS 0 text",
    "EHLO 1 REPLY -5 text",
    "EHLO 1 REPLY 0 bad \\q escape",
  };

  g_test_summary ("Script lines parse, with escapes; bad lines are errors.");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (smtp_test_server_add_rule_from_line (server, bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }

  g_assert_true (smtp_test_server_add_rule_from_line (server, "", NULL));
  g_assert_true (smtp_test_server_add_rule_from_line (server, "  # comment", NULL));
  g_assert_true (smtp_test_server_add_rule_from_line (server,
      "noop 1 reply 0  two spaces\\t\\\\ \\r\\n", NULL));
  g_assert_true (smtp_test_server_add_rule_from_line (server, "QUIT 0 CLOSE 0\r\n", NULL));

  c = client_connect (server);
  assert_reply (c, NULL, "220 localhost ESMTP test server");
  client_send (c, "NOOP\r\n");
  {
    g_autofree char *line = client_read_line (c);

    g_assert_cmpstr (line, ==, " two spaces\t\\ ");
  }
  client_send (c, "QUIT\r\n");
  g_assert_null (client_read_line (c));
}

static void
test_standalone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "servers", "smtp-test-server", NULL);
  g_autofree char *script = g_build_filename (cert_dir, "script.txt", NULL);
  g_autofree char *password_file = g_build_filename (cert_dir, "password.txt", NULL);
  g_autofree char *cert = cert_file ("server", ".pem");
  g_autofree char *key = cert_file ("server", ".key");
  g_autofree char *port_line = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *auth_line = NULL;
  g_autoptr(Client) c = NULL;
  guint64 port = 0;

  g_test_summary ("The smtp-test-server program prints its port, follows its script, checks "
                  "the password from its file and exits 0 when stdin closes.");

  g_file_set_contents (script,
                       "# a scripted greeting\n"
                       "GREETING 0 REPLY 0 220 scripted greeting\\r\\n\n"
                       "\n"
                       "NOOP 1 REPLY 0 250 a\\\\b\\r\\n\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (password_file, PASSWORD "\n", -1, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, exe, "--security", "starttls", "--cert", cert,
                              "--key", key, "--user", USER, "--password-file", password_file,
                              "--script", script, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  port_line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port_line);
  g_assert_true (g_ascii_string_to_unsigned (port_line, 10, 1, 65535, &port, &error));
  g_assert_no_error (error);

  /* client_connect () wants a server; borrow only the port. */
  c = g_new0 (Client, 1);
  c->buffer = g_byte_array_new ();
  c->client = client_new ();
  c->tcp = g_socket_client_connect_to_host (c->client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);

  assert_reply (c, NULL, "220 scripted greeting");
  assert_reply (c, "EHLO client.example\r\n",
                "250-localhost\n250-PIPELINING\n250-SIZE 10240000\n250-STARTTLS\n"
                "250-ENHANCEDSTATUSCODES\n250 8BITMIME");
  assert_reply (c, "STARTTLS\r\n", "220 2.0.0 Ready to start TLS");
  {
    g_autoptr(GSocketConnectable) identity = g_network_address_new ("localhost", port);
    g_autoptr(GTlsDatabase) database = NULL;
    g_autofree char *ca = cert_file ("ca", ".pem");

    database = g_tls_file_database_new (ca, &error);
    g_assert_no_error (error);
    c->tls = g_tls_client_connection_new (G_IO_STREAM (c->tcp), identity, &error);
    g_assert_no_error (error);
    g_tls_connection_set_database (G_TLS_CONNECTION (c->tls), database);
    g_tls_connection_handshake (G_TLS_CONNECTION (c->tls), NULL, &error);
    g_assert_no_error (error);
  }
  g_free (client_command (c, "EHLO client.example\r\n"));
  assert_reply (c, "NOOP\r\n", "250 a\\b");
  auth = plain_response (USER, PASSWORD);
  auth_line = g_strdup_printf ("AUTH PLAIN %s\r\n", auth);
  assert_reply (c, auth_line, "235 2.7.0 Authentication successful");
  assert_reply (c, "QUIT\r\n", "221 2.0.0 Bye");

  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  cert_dir = smtp_test_make_certs ();

  g_test_add_func ("/test-server/plain/session", test_plain_session);
  g_test_add_func ("/test-server/plain/pipelining", test_pipelining);
  g_test_add_func ("/test-server/plain/order-enforced", test_order_enforced);
  g_test_add_func ("/test-server/starttls/session", test_starttls_session);
  g_test_add_func ("/test-server/tls/session", test_implicit_tls_session);
  g_test_add_func ("/test-server/auth/mechanisms", test_auth);
  g_test_add_func ("/test-server/auth/capabilities", test_auth_not_offered);
  g_test_add_func ("/test-server/script/replies", test_script_replies);
  g_test_add_func ("/test-server/script/close", test_script_close);
  g_test_add_func ("/test-server/script/silence", test_script_silence);
  g_test_add_func ("/test-server/script/flood", test_script_flood);
  g_test_add_func ("/test-server/script/long-line", test_script_long_line);
  g_test_add_func ("/test-server/script/tls-stall", test_script_tls_stall);
  g_test_add_func ("/test-server/script/from-line", test_rule_from_line);
  g_test_add_func ("/test-server/async-client", test_async_client);
  g_test_add_func ("/test-server/certificates", test_bad_certificates);
  g_test_add_func ("/test-server/standalone", test_standalone);

  status = g_test_run ();

  remove_tree (cert_dir);
  g_free (cert_dir);

  return status;
}
