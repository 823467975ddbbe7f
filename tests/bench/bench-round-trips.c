/* bench-round-trips.c: how many network round trips one test waits for
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel here has no netem, so latency comes from a relay in this
 * program: every chunk is held for DELAY ms in each direction. A test then
 * takes about (round trips × 2 × DELAY); the TCP connect to the relay itself
 * is local, so it is added as the one round trip the relay cannot delay.
 * The client's own count of its waits is printed next to it.
 *
 * Targets: the project's test server (STARTTLS and implicit TLS, TLS 1.3,
 * AUTH PLAIN, PIPELINING) and, when SMTP_TEST_POSTFIX names the keyfile of
 * tests/scripts/postfix.sh, a real Postfix.
 */

#include "config.h"

#include "smtp-core.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define DELAY_MS 50

/* The relay ------------------------------------------------------------------ */

typedef struct
{
  gint64  due_us;
  GBytes *bytes;   /* NULL: end of stream */
} Chunk;

typedef struct
{
  GSocket     *from;
  GSocket     *to;
  GAsyncQueue *queue;
} Pump;

static gpointer
pump_reader (gpointer data)
{
  Pump *pump = data;
  char buffer[16384];

  for (;;)
    {
      gssize n = g_socket_receive (pump->from, buffer, sizeof buffer, NULL, NULL);
      Chunk *chunk = g_new0 (Chunk, 1);

      chunk->due_us = g_get_monotonic_time () + DELAY_MS * 1000;
      if (n > 0)
        chunk->bytes = g_bytes_new (buffer, n);
      g_async_queue_push (pump->queue, chunk);
      if (n <= 0)
        return NULL;
    }
}

static gpointer
pump_writer (gpointer data)
{
  Pump *pump = data;

  for (;;)
    {
      Chunk *chunk = g_async_queue_pop (pump->queue);
      gint64 wait = chunk->due_us - g_get_monotonic_time ();
      gboolean end = chunk->bytes == NULL;

      if (wait > 0)
        g_usleep (wait);

      if (!end)
        {
          gsize size;
          const char *p = g_bytes_get_data (chunk->bytes, &size);

          while (size > 0)
            {
              gssize n = g_socket_send (pump->to, p, size, NULL, NULL);

              if (n <= 0)
                break;
              p += n;
              size -= n;
            }
          g_bytes_unref (chunk->bytes);
        }
      else
        {
          g_socket_shutdown (pump->to, FALSE, TRUE, NULL);
        }
      g_free (chunk);

      if (end)
        return NULL;
    }
}

typedef struct
{
  GSocket *listener;
  guint16  target_port;
  guint16  port;
} Relay;

static void
start_pump (GSocket *from,
            GSocket *to)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->from = g_object_ref (from);
  pump->to = g_object_ref (to);
  pump->queue = g_async_queue_new ();
  g_thread_unref (g_thread_new ("relay-read", pump_reader, pump));
  g_thread_unref (g_thread_new ("relay-write", pump_writer, pump));
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;

  for (;;)
    {
      g_autoptr(GSocket) client = g_socket_accept (relay->listener, NULL, NULL);
      g_autoptr(GSocket) server = NULL;
      g_autoptr(GInetAddress) loopback = NULL;
      g_autoptr(GSocketAddress) address = NULL;

      if (client == NULL)
        return NULL;

      loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      address = g_inet_socket_address_new (loopback, relay->target_port);
      server = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                             G_SOCKET_PROTOCOL_TCP, NULL);
      g_socket_set_option (server, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
      if (!g_socket_connect (server, address, NULL, NULL))
        continue;

      start_pump (client, server);
      start_pump (server, client);
    }
}

static Relay *
relay_new (guint16 target_port)
{
  Relay *relay = g_new0 (Relay, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  relay->target_port = target_port;
  relay->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_true (g_socket_bind (relay->listener, any, TRUE, NULL));
  g_assert_true (g_socket_listen (relay->listener, NULL));
  bound = g_socket_get_local_address (relay->listener, NULL);
  relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_thread_unref (g_thread_new ("relay", relay_thread, relay));

  return relay;
}

/* Running one test ------------------------------------------------------------ */

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SmtpTestResult **out = user_data;

  *out = smtp_client_run_finish (SMTP_CLIENT (source), result);
}

static gboolean
done_cb (gpointer user_data)
{
  return *(SmtpTestResult **) user_data != NULL;
}

#define RUNS 3

/* The best of RUNS runs: the first connection to a real server also pays
 * for its process start-up, which is not a round trip. */
static gboolean
measure (const char      *name,
         SmtpTestOptions *options,
         guint16          target_port,
         guint            minimum)
{
  SmtpTestResult *best = NULL;
  Relay *relay = relay_new (target_port);
  double measured;
  gboolean ok;

  options->port = relay->port;
  options->host = g_strdup ("localhost");

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(SmtpClient) client = smtp_client_new ();
      SmtpTestResult *result = NULL;

      smtp_client_run_async (client, options, NULL, run_cb, &result);
      smtp_test_wait_until (done_cb, &result, 60000, "the test");

      if (best == NULL || (result->ok && (!best->ok || result->elapsed_ms < best->elapsed_ms)))
        {
          g_clear_pointer (&best, smtp_test_result_free);
          best = result;
        }
      else
        {
          smtp_test_result_free (result);
        }
    }

  /* +1: the relay answers the TCP handshake locally. Local processing
   * (TLS crypto on a busy machine) adds a fraction, never a whole trip. */
  measured = (double) best->elapsed_ms / (2 * DELAY_MS) + 1;
  ok = best->ok && measured < minimum + 0.75;
  g_print ("%-22s %s  %4.1f round trips measured (%" G_GINT64_FORMAT " ms at %d ms each way), "
           "%u counted by the client, minimum %u%s%s\n",
           name, best->ok ? "ok  " : "FAIL", measured, best->elapsed_ms, DELAY_MS,
           best->round_trips, minimum,
           best->tls_version ? ", " : "", best->tls_version ? best->tls_version : "");
  g_print ("  stages (ms):");
  for (int stage = SMTP_STAGE_RESOLVE; stage < SMTP_STAGE_DONE; stage++)
    {
      if (best->stage_ms[stage] > 0)
        g_print (" %s %" G_GINT64_FORMAT, smtp_stage_to_id (stage), best->stage_ms[stage]);
    }
  g_print ("\n");
  if (!best->ok)
    g_print ("  %s\n%s\n", best->error->message, best->transcript);

  smtp_test_result_free (best);
  return ok;
}

static SmtpTestOptions *
base_options (const char   *ca_file,
              const char   *user,
              const char   *password,
              const char   *from,
              const char   *to,
              SmtpSecurity  security)
{
  SmtpTestOptions *options = smtp_test_options_new ();
  g_autoptr(GError) error = NULL;

  options->security = security;
  options->user = g_strdup (user);
  options->password = g_strdup (password);
  options->from = g_strdup (from);
  options->to = g_strdup (to);
  options->ca_database = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);

  return options;
}

static gboolean
bench_test_server (void)
{
  g_autofree char *certs = smtp_test_make_certs ();
  g_autofree char *cert = g_build_filename (certs, "server.pem", NULL);
  g_autofree char *key = g_build_filename (certs, "server.key", NULL);
  g_autofree char *ca = g_build_filename (certs, "ca.pem", NULL);
  gboolean ok = TRUE;
  struct {
    const char *name;
    SmtpTestSecurity server_security;
    SmtpSecurity security;
    guint minimum;
  } cases[] = {
    { "test server, STARTTLS", SMTP_TEST_SECURITY_STARTTLS, SMTP_SECURITY_STARTTLS, 9 },
    { "test server, TLS", SMTP_TEST_SECURITY_TLS, SMTP_SECURITY_TLS, 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmtpTestServer) server = smtp_test_server_new (cases[i].server_security,
                                                               cert, key, &error);
      g_autoptr(SmtpTestOptions) options = NULL;

      g_assert_no_error (error);
      smtp_test_server_set_credentials (server, "ada@example.test", "bench-password");
      options = base_options (ca, "ada@example.test", "bench-password", "ada@example.test",
                              "bob@example.test", cases[i].security);
      ok &= measure (cases[i].name, options, smtp_test_server_get_port (server),
                     cases[i].minimum);
      smtp_test_server_stop (server);
    }

  return ok;
}

static gboolean
bench_postfix (const char *ini)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL, *from = NULL, *to = NULL, *ca = NULL, *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean ok = TRUE;
  const char *ports[] = { "submission_port", "smtps_port" };

  if (!g_key_file_load_from_file (keyfile, ini, G_KEY_FILE_NONE, &error))
    {
      g_print ("postfix: cannot read %s: %s\n", ini, error->message);
      return FALSE;
    }

  user = g_key_file_get_string (keyfile, "postfix", "user", NULL);
  from = g_key_file_get_string (keyfile, "postfix", "from", NULL);
  to = g_key_file_get_string (keyfile, "postfix", "to", NULL);
  ca = g_key_file_get_string (keyfile, "postfix", "ca_file", NULL);
  password_file = g_key_file_get_string (keyfile, "postfix", "password_file", NULL);
  password = g_strchomp (smtp_test_read_file (password_file));

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autoptr(SmtpTestOptions) options = NULL;
      guint port = g_key_file_get_integer (keyfile, "postfix", ports[i], NULL);

      options = base_options (ca, user, password, from, to,
                              i == 0 ? SMTP_SECURITY_STARTTLS : SMTP_SECURITY_TLS);
      ok &= measure (i == 0 ? "Postfix, STARTTLS" : "Postfix, TLS", options, port,
                     i == 0 ? 9 : 7);
    }

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  const char *postfix = g_getenv ("SMTP_TEST_POSTFIX");
  gboolean ok;

  g_test_init (&argc, &argv, NULL);

  ok = bench_test_server ();
  if (postfix != NULL)
    ok &= bench_postfix (postfix);
  else
    g_print ("Postfix: not measured (SMTP_TEST_POSTFIX is not set; build-aux/test.sh sets it)\n");

  return ok ? 0 : 1;
}
