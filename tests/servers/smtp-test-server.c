/* smtp-test-server.c: a scriptable SMTP server on loopback for the tests
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-test-server"

#include "config.h"

#include "smtp-test-server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

/*
 * Threads: smtp_test_server_new() binds the listening socket and starts one
 * accept thread; every accepted connection gets a thread of its own that
 * serves it with blocking I/O. Blocking calls take the server's cancellable
 * and delays wait on the server's condition variable, so stop() wakes every
 * thread, then joins them all. No thread ever touches the global default
 * GMainContext (each pushes a private one), so the server works whether or
 * not the test's main thread iterates that context.
 */

#define LONG_LINE_SIZE (1024 * 1024)
#define MAX_BUFFERED   (4 * 1024 * 1024)
#define READ_CHUNK     4096

typedef struct {
  char           *command;
  guint           nth;
  SmtpTestAction  action;
  char           *text;
  guint           delay_ms;
} Rule;

struct _SmtpTestServer
{
  GObject           parent_instance;

  SmtpTestSecurity  security;
  GTlsCertificate  *certificate;
  GSocket          *listen_socket;
  guint16           port;
  GCancellable     *cancellable;
  GThread          *accept_thread;

  /* Everything below is shared between threads: hold the mutex. */
  GMutex            mutex;
  GCond             cond;
  gboolean          stopping;
  GPtrArray        *connection_threads;
  GPtrArray        *rules;
  char            **before_tls;
  char            **after_tls;
  char             *user;
  char             *password;
  GPtrArray        *commands;
  GPtrArray        *plaintext_lines;
  char             *message;
  guint             n_messages;
  guint             n_connections;
  guint             n_reads;
};

G_DEFINE_FINAL_TYPE (SmtpTestServer, smtp_test_server, G_TYPE_OBJECT)

typedef enum {
  AUTH_NONE,
  AUTH_PLAIN,
  AUTH_LOGIN_USER,
  AUTH_LOGIN_PASSWORD,
  AUTH_CRAM_MD5,
  AUTH_SCRIPTED,
} AuthStep;

typedef struct {
  SmtpTestServer    *server;
  GSocketConnection *tcp;
  GIOStream         *tls;
  GByteArray        *buffer;
  gboolean           data_since_reply;
  gboolean           abortive;
  GHashTable        *counts;
  guint              n_events;

  gboolean           ehlo_done;
  gboolean           authenticated;
  gboolean           mail_given;
  guint              n_rcpt;
  GString           *body;
  AuthStep           auth_step;
  char              *auth_user;
  char              *challenge;
} Connection;

static const char *const default_before_tls[] = {
  "PIPELINING", "SIZE 10240000", "STARTTLS", "ENHANCEDSTATUSCODES", "8BITMIME", NULL
};
static const char *const default_after_tls[] = {
  "PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN CRAM-MD5", "ENHANCEDSTATUSCODES", "8BITMIME",
  "SMTPUTF8", NULL
};

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  g_free (rule->command);
  g_free (rule->text);
  g_free (rule);
}

static void
connection_free (Connection *c)
{
  g_clear_object (&c->tls);
  g_clear_object (&c->tcp);
  g_byte_array_unref (c->buffer);
  g_hash_table_unref (c->counts);
  if (c->body != NULL)
    g_string_free (c->body, TRUE);
  g_free (c->auth_user);
  g_free (c->challenge);
  g_free (c);
}

static gboolean
is_stopping (SmtpTestServer *self)
{
  gboolean stopping;

  g_mutex_lock (&self->mutex);
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  return stopping;
}

/* Waits @delay_ms, or less when the server stops. Returns FALSE if it did. */
static gboolean
wait_delay (Connection *c,
            guint       delay_ms)
{
  SmtpTestServer *self = c->server;
  gint64 end = g_get_monotonic_time () + (gint64) delay_ms * G_TIME_SPAN_MILLISECOND;
  gboolean stopping;

  g_mutex_lock (&self->mutex);
  while (!self->stopping && delay_ms > 0)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, end))
        break;
    }
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);

  return !stopping;
}

static GIOStream *
connection_stream (Connection *c)
{
  return c->tls != NULL ? c->tls : G_IO_STREAM (c->tcp);
}

/* One read from the client into the line buffer. FALSE on EOF or error. */
static gboolean
read_more (Connection *c)
{
  g_autoptr(GError) error = NULL;
  GInputStream *in = g_io_stream_get_input_stream (connection_stream (c));
  guint8 chunk[READ_CHUNK];
  gssize n;

  if (c->buffer->len > MAX_BUFFERED)
    {
      g_debug ("More than %d bytes without a line end: closing", MAX_BUFFERED);
      return FALSE;
    }

  n = g_input_stream_read (in, chunk, sizeof chunk, c->server->cancellable, &error);
  if (n < 0)
    {
      g_debug ("Read failed: %s", error->message);
      c->abortive = TRUE;
      return FALSE;
    }
  if (n == 0)
    return FALSE;

  g_byte_array_append (c->buffer, chunk, n);
  c->data_since_reply = TRUE;
  return TRUE;
}

/* Takes one line out of the buffer, without its CRLF (or bare LF). */
static char *
take_line (Connection *c)
{
  guint8 *end = c->buffer->len > 0 ? memchr (c->buffer->data, '\n', c->buffer->len) : NULL;
  gsize len;
  char *line;

  if (end == NULL)
    return NULL;

  len = end - c->buffer->data;
  line = g_strndup ((const char *) c->buffer->data, len > 0 && end[-1] == '\r' ? len - 1 : len);
  g_byte_array_remove_range (c->buffer, 0, len + 1);

  return line;
}

static char *
read_line (Connection *c)
{
  char *line;

  while ((line = take_line (c)) == NULL)
    {
      if (!read_more (c))
        return NULL;
    }

  return line;
}


static void
count_reply (Connection *c)
{
  if (!c->data_since_reply)
    return;

  c->data_since_reply = FALSE;
  g_mutex_lock (&c->server->mutex);
  c->server->n_reads++;
  g_mutex_unlock (&c->server->mutex);
}

static gboolean
send_bytes (Connection *c,
            const void *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (connection_stream (c));

  if (!g_output_stream_write_all (out, data, len, NULL, c->server->cancellable, &error))
    {
      g_debug ("Write failed: %s", error->message);
      c->abortive = TRUE;
      return FALSE;
    }

  return TRUE;
}

static gboolean
send_text (Connection *c,
           const char *text)
{
  g_autofree char *shown = g_utf8_make_valid (text, -1);

  count_reply (c);
  g_debug ("S: %s", shown);
  return send_bytes (c, text, strlen (text));
}

static gboolean
send_printf (Connection *c,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
send_printf (Connection *c,
             const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  return send_text (c, text);
}

static void
record_line (Connection *c,
             const char *line,
             gboolean    is_body)
{
  SmtpTestServer *self = c->server;
  /* A TLS handshake sent to a plaintext server arrives as "lines" too: the
   * debug output (TAP comments) must stay valid UTF-8. */
  g_autofree char *shown = g_utf8_make_valid (line, -1);

  g_debug ("%s: %s", c->tls != NULL ? "T" : "C", shown);

  g_mutex_lock (&self->mutex);
  if (!is_body)
    g_ptr_array_add (self->commands, g_strdup_printf ("%s: %s", c->tls != NULL ? "T" : "C", line));
  if (c->tls == NULL)
    g_ptr_array_add (self->plaintext_lines, g_strdup (line));
  g_mutex_unlock (&self->mutex);
}

/* Keeps the connection open, never answering, until the client closes it
 * or the server stops. Complete lines are still recorded when @record; a
 * stalled TLS handshake records nothing, its bytes are not lines. */
static void
discard_until_closed (Connection *c,
                      gboolean    record)
{
  do
    {
      char *line;

      while (record && (line = take_line (c)) != NULL)
        {
          record_line (c, line, c->body != NULL);
          g_free (line);
        }
      if (!record || c->buffer->len > MAX_BUFFERED)
        g_byte_array_set_size (c->buffer, 0);
    }
  while (read_more (c));
}

static void
reset_transaction (Connection *c)
{
  c->mail_given = FALSE;
  c->n_rcpt = 0;
}

static void
reset_session (Connection *c)
{
  reset_transaction (c);
  c->ehlo_done = FALSE;
  c->authenticated = FALSE;
  c->auth_step = AUTH_NONE;
  g_clear_pointer (&c->auth_user, g_free);
  g_clear_pointer (&c->challenge, g_free);
}

static gboolean
start_tls (Connection *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = NULL;

  /* RFC 3207 §5: nothing the client sent before the handshake may count
   * after it. Keep such lines in the record, but never act on them. */
  while (c->buffer->len > 0)
    {
      g_autofree char *line = take_line (c);

      if (line == NULL)
        {
          line = g_strndup ((const char *) c->buffer->data, c->buffer->len);
          g_byte_array_set_size (c->buffer, 0);
        }
      record_line (c, line, FALSE);
    }

  tls = g_tls_server_connection_new (G_IO_STREAM (c->tcp), c->server->certificate, &error);
  if (tls == NULL)
    {
      g_debug ("No TLS connection: %s", error->message);
      return FALSE;
    }

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls), c->server->cancellable, &error))
    {
      g_debug ("TLS handshake failed: %s", error->message);
      c->abortive = TRUE;
      g_socket_shutdown (g_socket_connection_get_socket (c->tcp), TRUE, TRUE, NULL);
      g_io_stream_close (tls, NULL, NULL);
      return FALSE;
    }

  c->tls = g_steal_pointer (&tls);
  reset_session (c);
  return TRUE;
}

static char **
copy_capabilities (Connection *c)
{
  SmtpTestServer *self = c->server;
  char **caps;

  g_mutex_lock (&self->mutex);
  if (self->security == SMTP_TEST_SECURITY_STARTTLS && c->tls == NULL)
    caps = g_strdupv (self->before_tls);
  else
    caps = g_strdupv (self->after_tls);
  g_mutex_unlock (&self->mutex);

  return caps;
}

/* The words of @line, without empty ones. */
static char **
split_words (const char *line)
{
  g_auto(GStrv) parts = g_strsplit (line, " ", -1);
  GPtrArray *words = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_ptr_array_add (words, g_strdup (parts[i]));
    }
  g_ptr_array_add (words, NULL);

  return (char **) g_ptr_array_free (words, FALSE);
}

static char *
decode_base64_string (const char *text)
{
  g_autofree guchar *data = NULL;
  gsize len = 0;

  if (text[0] == '\0' || g_str_equal (text, "="))
    return g_strdup ("");

  data = g_base64_decode (text, &len);
  return g_strndup ((const char *) data, len);
}

static gboolean
check_password (Connection *c,
                const char *user,
                const char *password)
{
  SmtpTestServer *self = c->server;
  gboolean ok;

  g_mutex_lock (&self->mutex);
  ok = self->user != NULL && self->password != NULL &&
       g_strcmp0 (user, self->user) == 0 && g_strcmp0 (password, self->password) == 0;
  g_mutex_unlock (&self->mutex);

  return ok;
}

/* RFC 4616: [authzid] NUL authcid NUL passwd */
static gboolean
check_plain (Connection *c,
             const char *response)
{
  g_autofree guchar *data = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  const guchar *first, *second;
  gsize len = 0;

  if (response[0] == '\0' || g_str_equal (response, "="))
    return FALSE;

  data = g_base64_decode (response, &len);
  first = memchr (data, '\0', len);
  if (first == NULL)
    return FALSE;
  second = memchr (first + 1, '\0', len - (first + 1 - data));
  if (second == NULL)
    return FALSE;

  user = g_strndup ((const char *) first + 1, second - (first + 1));
  password = g_strndup ((const char *) second + 1, len - (second + 1 - data));

  return check_password (c, user, password);
}

/* RFC 2195: base64 ("user" SP hex (HMAC-MD5 (password, challenge))) */
static gboolean
check_cram_md5 (Connection *c,
                const char *response)
{
  SmtpTestServer *self = c->server;
  g_autofree char *decoded = decode_base64_string (response);
  g_autofree char *user = NULL;
  g_autofree char *expected = NULL;
  const char *space = strrchr (decoded, ' ');

  if (space == NULL || c->challenge == NULL)
    return FALSE;

  user = g_strndup (decoded, space - decoded);

  g_mutex_lock (&self->mutex);
  if (self->user != NULL && self->password != NULL && g_str_equal (user, self->user))
    expected = g_compute_hmac_for_string (G_CHECKSUM_MD5,
                                          (const guchar *) self->password, strlen (self->password),
                                          c->challenge, -1);
  g_mutex_unlock (&self->mutex);

  return expected != NULL && g_ascii_strcasecmp (expected, space + 1) == 0;
}

static gboolean
finish_auth (Connection *c,
             gboolean    ok)
{
  c->auth_step = AUTH_NONE;
  g_clear_pointer (&c->auth_user, g_free);
  g_clear_pointer (&c->challenge, g_free);

  if (!ok)
    return send_text (c, "535 5.7.8 Authentication credentials invalid\r\n");

  c->authenticated = TRUE;
  return send_text (c, "235 2.7.0 Authentication successful\r\n");
}

/* Whether the current EHLO keywords offer AUTH @mech; *any says whether
 * they offer AUTH at all. */
static gboolean
auth_offered (Connection *c,
              const char *mech,
              gboolean   *any)
{
  g_auto(GStrv) caps = copy_capabilities (c);

  *any = FALSE;
  for (guint i = 0; caps[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;

      if (g_ascii_strncasecmp (caps[i], "AUTH", 4) != 0 ||
          (caps[i][4] != ' ' && caps[i][4] != '=' && caps[i][4] != '\0'))
        continue;

      *any = TRUE;
      words = split_words (caps[i][4] != '\0' ? caps[i] + 5 : "");
      for (guint j = 0; words[j] != NULL; j++)
        {
          if (g_ascii_strcasecmp (words[j], mech) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

static gboolean
handle_auth (Connection *c,
             const char *line)
{
  g_auto(GStrv) words = split_words (line);
  g_autofree char *mech = NULL;
  const char *initial;
  gboolean any;

  if (!c->ehlo_done)
    return send_text (c, "503 5.5.1 Error: send HELO/EHLO first\r\n");
  if (c->authenticated)
    return send_text (c, "503 5.5.1 Error: already authenticated\r\n");
  if (c->mail_given)
    return send_text (c, "503 5.5.1 Error: MAIL transaction in progress\r\n");
  if (words[1] == NULL)
    return send_text (c, "501 5.5.4 Syntax: AUTH mechanism\r\n");
  if (!auth_offered (c, words[1], &any))
    {
      if (!any)
        return send_text (c, "503 5.5.1 Error: authentication not enabled\r\n");
      return send_text (c, "504 5.5.4 Unrecognized authentication type\r\n");
    }

  mech = g_ascii_strup (words[1], -1);
  initial = words[2];

  if (g_str_equal (mech, "PLAIN"))
    {
      if (initial != NULL)
        return finish_auth (c, check_plain (c, initial));
      c->auth_step = AUTH_PLAIN;
      return send_text (c, "334 \r\n");
    }

  if (g_str_equal (mech, "LOGIN"))
    {
      if (initial != NULL)
        {
          c->auth_user = decode_base64_string (initial);
          c->auth_step = AUTH_LOGIN_PASSWORD;
          return send_text (c, "334 UGFzc3dvcmQ6\r\n");
        }
      c->auth_step = AUTH_LOGIN_USER;
      return send_text (c, "334 VXNlcm5hbWU6\r\n");
    }

  if (g_str_equal (mech, "CRAM-MD5"))
    {
      g_autofree char *encoded = NULL;

      c->challenge = g_strdup_printf ("<%u.%" G_GINT64_FORMAT "@localhost>",
                                      g_random_int (), g_get_real_time ());
      encoded = g_base64_encode ((const guchar *) c->challenge, strlen (c->challenge));
      c->auth_step = AUTH_CRAM_MD5;
      return send_printf (c, "334 %s\r\n", encoded);
    }

  return send_text (c, "504 5.5.4 Mechanism not supported by the test server\r\n");
}

static gboolean
handle_auth_response (Connection *c,
                      const char *line)
{
  AuthStep step = c->auth_step;

  if (g_str_equal (line, "*"))
    {
      c->auth_step = AUTH_NONE;
      g_clear_pointer (&c->auth_user, g_free);
      g_clear_pointer (&c->challenge, g_free);
      return send_text (c, "501 5.7.0 Authentication aborted\r\n");
    }

  switch (step)
    {
    case AUTH_PLAIN:
      return finish_auth (c, check_plain (c, line));

    case AUTH_LOGIN_USER:
      c->auth_user = decode_base64_string (line);
      c->auth_step = AUTH_LOGIN_PASSWORD;
      return send_text (c, "334 UGFzc3dvcmQ6\r\n");

    case AUTH_LOGIN_PASSWORD:
      {
        g_autofree char *password = decode_base64_string (line);

        return finish_auth (c, check_password (c, c->auth_user, password));
      }

    case AUTH_CRAM_MD5:
      return finish_auth (c, check_cram_md5 (c, line));

    case AUTH_SCRIPTED:
    case AUTH_NONE:
    default:
      return finish_auth (c, FALSE);
    }
}

static const char *
command_argument (const char *line)
{
  const char *space = strchr (line, ' ');

  if (space == NULL)
    return "";
  while (*space == ' ')
    space++;

  return space;
}

static gboolean
handle_ehlo (Connection *c,
             const char *line)
{
  g_auto(GStrv) caps = NULL;
  g_autoptr(GString) reply = NULL;
  guint n;

  if (command_argument (line)[0] == '\0')
    return send_text (c, "501 5.5.4 Syntax: EHLO hostname\r\n");

  caps = copy_capabilities (c);
  n = g_strv_length (caps);
  reply = g_string_new (n > 0 ? "250-localhost\r\n" : "250 localhost\r\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (reply, "250%c%s\r\n", i + 1 < n ? '-' : ' ', caps[i]);

  c->ehlo_done = TRUE;
  reset_transaction (c);
  return send_text (c, reply->str);
}

/* Returns FALSE when the connection must end. */
static gboolean
respond_default (Connection *c,
                 const char *name,
                 const char *line)
{
  if (g_str_equal (name, "GREETING"))
    return send_text (c, "220 localhost ESMTP test server\r\n");

  if (g_str_equal (name, "AUTH-RESPONSE"))
    return handle_auth_response (c, line);

  if (g_str_equal (name, "MESSAGE"))
    {
      reset_transaction (c);
      return send_text (c, "250 2.0.0 Ok: queued as TEST\r\n");
    }

  if (g_str_equal (name, "EHLO"))
    return handle_ehlo (c, line);

  if (g_str_equal (name, "HELO"))
    {
      if (command_argument (line)[0] == '\0')
        return send_text (c, "501 5.5.4 Syntax: HELO hostname\r\n");
      c->ehlo_done = TRUE;
      reset_transaction (c);
      return send_text (c, "250 localhost\r\n");
    }

  if (g_str_equal (name, "STARTTLS"))
    {
      if (c->tls != NULL)
        return send_text (c, "554 5.5.1 Error: TLS already active\r\n");
      if (c->server->security != SMTP_TEST_SECURITY_STARTTLS)
        return send_text (c, "502 5.5.1 Error: command not implemented\r\n");
      if (!send_text (c, "220 2.0.0 Ready to start TLS\r\n"))
        return FALSE;
      return start_tls (c);
    }

  if (g_str_equal (name, "AUTH"))
    return handle_auth (c, line);

  if (g_str_equal (name, "MAIL"))
    {
      if (!c->ehlo_done)
        return send_text (c, "503 5.5.1 Error: send HELO/EHLO first\r\n");
      if (c->mail_given)
        return send_text (c, "503 5.5.1 Error: nested MAIL command\r\n");
      if (g_ascii_strncasecmp (line, "MAIL FROM:", 10) != 0)
        return send_text (c, "501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
      c->mail_given = TRUE;
      return send_text (c, "250 2.1.0 Ok\r\n");
    }

  if (g_str_equal (name, "RCPT"))
    {
      if (!c->mail_given)
        return send_text (c, "503 5.5.1 Error: need MAIL command\r\n");
      if (g_ascii_strncasecmp (line, "RCPT TO:", 8) != 0)
        return send_text (c, "501 5.5.4 Syntax: RCPT TO:<address>\r\n");
      c->n_rcpt++;
      return send_text (c, "250 2.1.5 Ok\r\n");
    }

  if (g_str_equal (name, "DATA"))
    {
      if (c->n_rcpt == 0)
        return send_text (c, "503 5.5.1 Error: need RCPT command\r\n");
      c->body = g_string_new (NULL);
      return send_text (c, "354 End data with <CR><LF>.<CR><LF>\r\n");
    }

  if (g_str_equal (name, "RSET"))
    {
      reset_transaction (c);
      return send_text (c, "250 2.0.0 Ok\r\n");
    }

  if (g_str_equal (name, "NOOP"))
    return send_text (c, "250 2.0.0 Ok\r\n");

  if (g_str_equal (name, "QUIT"))
    {
      send_text (c, "221 2.0.0 Bye\r\n");
      return FALSE;
    }

  return send_text (c, "500 5.5.2 Error: command not recognized\r\n");
}

/* After a scripted reply (REPLY or DRIP), moves the session on as far as
 * the reply's code says the command succeeded. */
static gboolean
after_scripted_reply (Connection *c,
                      const char *name,
                      const char *line,
                      const char *text)
{
  gboolean positive = text[0] == '2';

  if (g_str_equal (name, "EHLO") || g_str_equal (name, "HELO"))
    {
      if (positive)
        {
          c->ehlo_done = TRUE;
          reset_transaction (c);
        }
    }
  else if (g_str_equal (name, "STARTTLS"))
    {
      if (g_str_has_prefix (text, "220"))
        return start_tls (c);
    }
  else if (g_str_equal (name, "AUTH"))
    {
      if (g_str_has_prefix (text, "235"))
        {
          c->authenticated = TRUE;
        }
      else if (g_str_has_prefix (text, "334"))
        {
          /* The client's answer is an AUTH-RESPONSE; unless a rule takes
           * it, it continues the mechanism the client asked for. */
          g_auto(GStrv) words = split_words (line);
          const char *mech = words[1] != NULL ? words[1] : "";

          if (g_ascii_strcasecmp (mech, "PLAIN") == 0 && words[2] == NULL)
            {
              c->auth_step = AUTH_PLAIN;
            }
          else if (g_ascii_strcasecmp (mech, "LOGIN") == 0)
            {
              if (words[2] != NULL)
                c->auth_user = decode_base64_string (words[2]);
              c->auth_step = words[2] != NULL ? AUTH_LOGIN_PASSWORD : AUTH_LOGIN_USER;
            }
          else if (g_ascii_strcasecmp (mech, "CRAM-MD5") == 0)
            {
              c->auth_step = AUTH_CRAM_MD5;
            }
          else
            {
              c->auth_step = AUTH_SCRIPTED;
            }
        }
    }
  else if (g_str_equal (name, "AUTH-RESPONSE"))
    {
      if (g_str_has_prefix (text, "334"))
        {
          c->auth_step = AUTH_SCRIPTED;
        }
      else
        {
          c->authenticated = g_str_has_prefix (text, "235");
          c->auth_step = AUTH_NONE;
          g_clear_pointer (&c->auth_user, g_free);
          g_clear_pointer (&c->challenge, g_free);
        }
    }
  else if (g_str_equal (name, "MAIL"))
    {
      if (positive)
        c->mail_given = TRUE;
    }
  else if (g_str_equal (name, "RCPT"))
    {
      if (positive)
        c->n_rcpt++;
    }
  else if (g_str_equal (name, "DATA"))
    {
      if (g_str_has_prefix (text, "354"))
        c->body = g_string_new (NULL);
    }
  else if (g_str_equal (name, "MESSAGE") || (g_str_equal (name, "RSET") && positive))
    {
      reset_transaction (c);
    }
  else if (g_str_equal (name, "QUIT"))
    {
      return FALSE;
    }

  return TRUE;
}

static gboolean
drip (Connection *c,
      const char *text,
      guint       delay_ms)
{
  count_reply (c);
  for (gsize i = 0; text[i] != '\0'; i++)
    {
      if (i > 0 && !wait_delay (c, delay_ms))
        return FALSE;
      if (!send_bytes (c, text + i, 1))
        return FALSE;
    }

  return TRUE;
}

static void
flood (Connection *c)
{
  g_autoptr(GString) lines = g_string_new (NULL);

  for (guint i = 0; i < 256; i++)
    g_string_append (lines, "250-flood line\r\n");

  count_reply (c);
  c->abortive = TRUE;
  while (send_bytes (c, lines->str, lines->len))
    ;
}

static void
long_line (Connection *c,
           const char *text)
{
  g_autofree char *line = g_malloc (LONG_LINE_SIZE);
  gsize prefix = MIN (strlen (text), LONG_LINE_SIZE);

  memset (line, 'x', LONG_LINE_SIZE);
  memcpy (line, text, prefix);

  count_reply (c);
  c->abortive = TRUE;
  if (send_bytes (c, line, LONG_LINE_SIZE))
    discard_until_closed (c, TRUE);
}

/* Returns FALSE when the connection must end. */
static gboolean
respond (Connection *c,
         const char *name,
         const char *line,
         const Rule *rule)
{
  const char *text;

  if (rule == NULL)
    return respond_default (c, name, line);

  text = rule->text != NULL ? rule->text : "";
  g_debug ("Rule for %s: action %d", name, rule->action);

  switch (rule->action)
    {
    case SMTP_TEST_ACTION_REPLY:
      if (!wait_delay (c, rule->delay_ms) || !send_text (c, text))
        return FALSE;
      return after_scripted_reply (c, name, line, text);

    case SMTP_TEST_ACTION_DRIP:
      if (!drip (c, text, rule->delay_ms))
        return FALSE;
      return after_scripted_reply (c, name, line, text);

    case SMTP_TEST_ACTION_CLOSE:
      wait_delay (c, rule->delay_ms);
      return FALSE;

    case SMTP_TEST_ACTION_SILENCE:
      discard_until_closed (c, TRUE);
      return FALSE;

    case SMTP_TEST_ACTION_FLOOD:
      flood (c);
      return FALSE;

    case SMTP_TEST_ACTION_LONG_LINE:
      long_line (c, text);
      return FALSE;

    case SMTP_TEST_ACTION_TLS_STALL:
      if (g_str_equal (name, "STARTTLS") && text[0] == '\0')
        text = "220 2.0.0 Ready to start TLS\r\n";
      if (text[0] == '\0' || send_text (c, text))
        discard_until_closed (c, !g_str_equal (name, "STARTTLS"));
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

/* Counts this occurrence of @name and finds the first rule for it. */
static const Rule *
match_rule (Connection *c,
            const char *name)
{
  SmtpTestServer *self = c->server;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (c->counts, name)) + 1;
  const Rule *found = NULL;

  g_hash_table_replace (c->counts, g_strdup (name), GUINT_TO_POINTER (count));
  c->n_events++;

  /* Rules are only ever appended and live as long as the server. */
  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->rules->len && found == NULL; i++)
    {
      const Rule *rule = g_ptr_array_index (self->rules, i);
      guint n;

      if (g_str_equal (rule->command, "*"))
        n = c->n_events;
      else if (g_str_equal (rule->command, name))
        n = count;
      else
        continue;

      if (rule->nth == 0 || rule->nth == n)
        found = rule;
    }
  g_mutex_unlock (&self->mutex);

  return found;
}

static gboolean
handle_body_line (Connection *c,
                  const char *line)
{
  SmtpTestServer *self = c->server;

  if (c->tls == NULL)
    record_line (c, line, TRUE);

  if (!g_str_equal (line, "."))
    {
      /* RFC 5321 §4.5.2: a leading dot was doubled by the client. */
      g_string_append (c->body, line[0] == '.' ? line + 1 : line);
      g_string_append (c->body, "\r\n");
      return TRUE;
    }

  g_mutex_lock (&self->mutex);
  g_free (self->message);
  self->message = g_string_free (g_steal_pointer (&c->body), FALSE);
  self->n_messages++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  return respond (c, "MESSAGE", NULL, match_rule (c, "MESSAGE"));
}

static gboolean
handle_line (Connection *c,
             const char *line)
{
  g_autofree char *name = NULL;

  if (c->body != NULL)
    return handle_body_line (c, line);

  record_line (c, line, FALSE);

  if (c->auth_step != AUTH_NONE)
    {
      name = g_strdup ("AUTH-RESPONSE");
    }
  else
    {
      const char *space = strchr (line, ' ');

      name = g_ascii_strup (line, space != NULL ? space - line : -1);
    }

  return respond (c, name, line, match_rule (c, name));
}

static void
serve (Connection *c)
{
  const Rule *greeting = match_rule (c, "GREETING");

  if (c->server->security == SMTP_TEST_SECURITY_TLS)
    {
      /* Implicit TLS: the handshake comes before the greeting, so a
       * TLS_STALL rule for the greeting stalls the handshake. */
      if (greeting != NULL && greeting->action == SMTP_TEST_ACTION_TLS_STALL)
        {
          discard_until_closed (c, FALSE);
          return;
        }
      if (!start_tls (c))
        return;
    }

  if (!respond (c, "GREETING", NULL, greeting))
    return;

  for (;;)
    {
      g_autofree char *line = read_line (c);

      if (line == NULL || !handle_line (c, line))
        break;
    }
}

static gpointer
connection_thread (gpointer data)
{
  Connection *c = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);

  serve (c);

  /* Shut the socket down first when the peer may not be reading (or the
   * server is stopping), so that the TLS close alert can never block. */
  if (c->abortive || is_stopping (c->server))
    g_socket_shutdown (g_socket_connection_get_socket (c->tcp), TRUE, TRUE, NULL);
  if (c->tls != NULL)
    g_io_stream_close (c->tls, c->server->cancellable, NULL);
  g_io_stream_close (G_IO_STREAM (c->tcp), NULL, NULL);

  g_main_context_pop_thread_default (context);
  connection_free (c);

  return NULL;
}

static gpointer
accept_thread (gpointer data)
{
  SmtpTestServer *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = NULL;
      Connection *c;

      socket = g_socket_accept (self->listen_socket, self->cancellable, &error);
      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_debug ("Accept failed: %s", error->message);
          break;
        }

      /* Replies, and DRIP's single bytes, leave at once. */
      g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

      c = g_new0 (Connection, 1);
      c->server = self;
      c->tcp = g_socket_connection_factory_create_connection (socket);
      c->buffer = g_byte_array_new ();
      c->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      g_mutex_lock (&self->mutex);
      if (self->stopping)
        {
          g_mutex_unlock (&self->mutex);
          g_io_stream_close (G_IO_STREAM (c->tcp), NULL, NULL);
          connection_free (c);
          break;
        }
      self->n_connections++;
      g_ptr_array_add (self->connection_threads,
                       g_thread_new ("smtp-test-conn", connection_thread, c));
      g_mutex_unlock (&self->mutex);
    }

  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
smtp_test_server_dispose (GObject *object)
{
  SmtpTestServer *self = SMTP_TEST_SERVER (object);

  smtp_test_server_stop (self);
  g_clear_object (&self->listen_socket);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (smtp_test_server_parent_class)->dispose (object);
}

static void
smtp_test_server_finalize (GObject *object)
{
  SmtpTestServer *self = SMTP_TEST_SERVER (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->connection_threads);
  g_ptr_array_unref (self->rules);
  g_strfreev (self->before_tls);
  g_strfreev (self->after_tls);
  g_free (self->user);
  g_free (self->password);
  g_ptr_array_unref (self->commands);
  g_ptr_array_unref (self->plaintext_lines);
  g_free (self->message);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (smtp_test_server_parent_class)->finalize (object);
}

static void
smtp_test_server_class_init (SmtpTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = smtp_test_server_dispose;
  object_class->finalize = smtp_test_server_finalize;
}

static void
smtp_test_server_init (SmtpTestServer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
  self->connection_threads = g_ptr_array_new ();
  self->rules = g_ptr_array_new_with_free_func (rule_free);
  self->before_tls = g_strdupv ((char **) default_before_tls);
  self->after_tls = g_strdupv ((char **) default_after_tls);
  self->commands = g_ptr_array_new_with_free_func (g_free);
  self->plaintext_lines = g_ptr_array_new_with_free_func (g_free);
}

/**
 * smtp_test_server_new:
 * @security: plain, STARTTLS or implicit TLS
 * @cert_file: (nullable): PEM certificate (chain) for the TLS modes
 * @key_file: (nullable): its PEM private key
 * @error: a #GError from loading the certificate or from the socket
 *
 * Starts a server listening on 127.0.0.1 on a port the kernel chooses. It
 * runs in threads of its own until smtp_test_server_stop() or its last
 * reference is dropped, whatever the caller's main context does.
 *
 * Returns: (transfer full) (nullable): the running server
 */
SmtpTestServer *
smtp_test_server_new (SmtpTestSecurity   security,
                      const char        *cert_file,
                      const char        *key_file,
                      GError           **error)
{
  g_autoptr(SmtpTestServer) self = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (security == SMTP_TEST_SECURITY_PLAIN ||
                        (cert_file != NULL && key_file != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SMTP_TYPE_TEST_SERVER, NULL);
  self->security = security;

  if (cert_file != NULL)
    {
      self->certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
      if (self->certificate == NULL)
        return NULL;
    }

  self->listen_socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, error);
  if (self->listen_socket == NULL)
    return NULL;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (self->listen_socket, address, TRUE, error) ||
      !g_socket_listen (self->listen_socket, error))
    return NULL;

  local = g_socket_get_local_address (self->listen_socket, error);
  if (local == NULL)
    return NULL;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  self->accept_thread = g_thread_new ("smtp-test-accept", accept_thread, self);

  return g_steal_pointer (&self);
}

/**
 * smtp_test_server_get_port:
 *
 * Returns: the port on 127.0.0.1 the server listens on
 */
guint16
smtp_test_server_get_port (SmtpTestServer *self)
{
  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), 0);

  return self->port;
}

SmtpTestSecurity
smtp_test_server_get_security (SmtpTestServer *self)
{
  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), SMTP_TEST_SECURITY_PLAIN);

  return self->security;
}

/**
 * smtp_test_server_stop:
 *
 * Stops accepting, ends every connection (pending delays, silences, floods
 * and stalls included), closes the sockets and joins all threads. The
 * record stays readable. Safe to call more than once; dispose calls it.
 */
void
smtp_test_server_stop (SmtpTestServer *self)
{
  g_autoptr(GPtrArray) threads = NULL;

  g_return_if_fail (SMTP_IS_TEST_SERVER (self));

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_cancellable_cancel (self->cancellable);

  /* After the accept thread is gone no connection thread can be added. */
  if (self->accept_thread != NULL)
    g_thread_join (g_steal_pointer (&self->accept_thread));

  g_mutex_lock (&self->mutex);
  threads = g_steal_pointer (&self->connection_threads);
  self->connection_threads = g_ptr_array_new ();
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  if (self->listen_socket != NULL)
    g_socket_close (self->listen_socket, NULL);
}

/**
 * smtp_test_server_set_capabilities:
 * @before_tls: (nullable): EHLO keywords before STARTTLS (STARTTLS mode
 *   only), or %NULL to keep them
 * @after_tls: (nullable): EHLO keywords after STARTTLS and in the other
 *   modes, or %NULL to keep them
 *
 * Sets the keywords the EHLO reply lists after the "250-localhost" line.
 * AUTH is accepted only when the current list has an AUTH keyword naming
 * the mechanism.
 */
void
smtp_test_server_set_capabilities (SmtpTestServer    *self,
                                   const char *const *before_tls,
                                   const char *const *after_tls)
{
  g_return_if_fail (SMTP_IS_TEST_SERVER (self));

  g_mutex_lock (&self->mutex);
  if (before_tls != NULL)
    {
      g_strfreev (self->before_tls);
      self->before_tls = g_strdupv ((char **) before_tls);
    }
  if (after_tls != NULL)
    {
      g_strfreev (self->after_tls);
      self->after_tls = g_strdupv ((char **) after_tls);
    }
  g_mutex_unlock (&self->mutex);
}

/**
 * smtp_test_server_set_credentials:
 * @user: (nullable): the one user name AUTH accepts
 * @password: (nullable): its password
 *
 * Until both are set, every AUTH fails with 535.
 */
void
smtp_test_server_set_credentials (SmtpTestServer *self,
                                  const char     *user,
                                  const char     *password)
{
  g_return_if_fail (SMTP_IS_TEST_SERVER (self));

  g_mutex_lock (&self->mutex);
  g_free (self->user);
  self->user = g_strdup (user);
  g_free (self->password);
  self->password = g_strdup (password);
  g_mutex_unlock (&self->mutex);
}

/**
 * smtp_test_server_add_rule:
 * @command: "GREETING", "EHLO", "HELO", "STARTTLS", "AUTH", "AUTH-RESPONSE"
 *   (a client line answering a 334), "MAIL", "RCPT", "DATA", "MESSAGE" (the
 *   final "." of a message), "QUIT", "RSET", "NOOP", any other verb, or "*"
 *   for every one of these events
 * @nth: 0 for every occurrence, or n for only the n-th occurrence (from 1)
 *   of @command in one connection; for "*" the n-th event of the
 *   connection, the greeting being the first
 * @action: what to do instead of the default
 * @text: (nullable): for REPLY and DRIP the exact bytes to send (write the
 *   CRLFs yourself); for LONG_LINE the start of the line; for TLS_STALL an
 *   optional reply sent before stalling (STARTTLS sends "220 2.0.0 Ready to
 *   start TLS" when @text is empty)
 * @delay_ms: REPLY and CLOSE wait this long first; DRIP waits this long
 *   between bytes
 *
 * Rules are tried in the order they were added; the first one that matches
 * wins, and events without a rule get the default behaviour. A rule counts
 * from the moment it is added: add "GREETING" rules (and "*" rules) before
 * the client connects, since the greeting's rule is chosen on accept.
 *
 * After a REPLY or DRIP the session moves on as the reply code says: a 2xx
 * to EHLO/HELO, MAIL, RCPT or RSET counts as success, 354 to DATA starts the
 * message, 220 to STARTTLS starts the TLS handshake, 235 to AUTH or
 * AUTH-RESPONSE authenticates, 334 makes the next client line an
 * AUTH-RESPONSE (the default then carries on with the client's mechanism
 * where it can, else answers 535), and QUIT always closes afterwards.
 *
 * In implicit-TLS mode the handshake precedes the greeting: a TLS_STALL rule
 * for "GREETING" (or "*") accepts the TCP connection but never handshakes.
 */
void
smtp_test_server_add_rule (SmtpTestServer *self,
                           const char     *command,
                           guint           nth,
                           SmtpTestAction  action,
                           const char     *text,
                           guint           delay_ms)
{
  Rule *rule;

  g_return_if_fail (SMTP_IS_TEST_SERVER (self));
  g_return_if_fail (command != NULL);
  g_return_if_fail (action >= SMTP_TEST_ACTION_REPLY && action <= SMTP_TEST_ACTION_TLS_STALL);

  rule = g_new0 (Rule, 1);
  rule->command = g_ascii_strup (command, -1);
  rule->nth = nth;
  rule->action = action;
  rule->text = g_strdup (text);
  rule->delay_ms = delay_ms;

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->rules, rule);
  g_mutex_unlock (&self->mutex);
}

static const char *const action_names[] = {
  [SMTP_TEST_ACTION_REPLY] = "REPLY",
  [SMTP_TEST_ACTION_CLOSE] = "CLOSE",
  [SMTP_TEST_ACTION_SILENCE] = "SILENCE",
  [SMTP_TEST_ACTION_DRIP] = "DRIP",
  [SMTP_TEST_ACTION_FLOOD] = "FLOOD",
  [SMTP_TEST_ACTION_LONG_LINE] = "LONG_LINE",
  [SMTP_TEST_ACTION_TLS_STALL] = "TLS_STALL",
};

static char *
unescape_text (const char  *text,
               GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }

      switch (*++p)
        {
        case 'r':
          g_string_append_c (out, '\r');
          break;
        case 'n':
          g_string_append_c (out, '\n');
          break;
        case 't':
          g_string_append_c (out, '\t');
          break;
        case '\\':
          g_string_append_c (out, '\\');
          break;
        default:
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown escape \"\\%.1s\" in rule text", p);
          return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * smtp_test_server_add_rule_from_line:
 * @line: "COMMAND NTH ACTION DELAY_MS TEXT"
 * @error: %G_IO_ERROR_INVALID_ARGUMENT for a line that does not parse
 *
 * Adds a rule written as one line of a script file: four words separated
 * by blanks, then TEXT, which is the rest of the line after one blank and
 * may be empty. ACTION is REPLY, CLOSE, SILENCE, DRIP, FLOOD, LONG_LINE or
 * TLS_STALL. In TEXT, "\r", "\n", "\t" and "\\" stand for CR, LF, tab and a
 * backslash; any other backslash is an error. Empty lines and lines
 * starting with '#' add nothing. For example:
 *   EHLO 1 REPLY 0 250-localhost\r\n250 AUTH PLAIN\r\n
 *
 * Returns: whether @line parsed
 */
gboolean
smtp_test_server_add_rule_from_line (SmtpTestServer  *self,
                                     const char      *line,
                                     GError         **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *text = NULL;
  char *fields[4] = { NULL, };
  guint64 nth, delay;
  int action = -1;
  char *p;
  gsize len;
  gboolean ok = FALSE;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  copy = g_strdup (line);
  len = strlen (copy);
  while (len > 0 && (copy[len - 1] == '\n' || copy[len - 1] == '\r'))
    copy[--len] = '\0';

  p = copy;
  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || *p == '#')
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      char *start;

      while (*p == ' ' || *p == '\t')
        p++;
      start = p;
      while (*p != '\0' && *p != ' ' && *p != '\t')
        p++;
      if (p == start)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Rule \"%s\" needs COMMAND NTH ACTION DELAY_MS [TEXT]", line);
          goto out;
        }
      fields[i] = g_strndup (start, p - start);
    }
  if (*p == ' ' || *p == '\t')
    p++;

  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    {
      if (g_ascii_strcasecmp (fields[2], action_names[i]) == 0)
        action = i;
    }
  if (action < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown action \"%s\" in rule \"%s\"", fields[2], line);
      goto out;
    }

  if (!g_ascii_string_to_unsigned (fields[1], 10, 0, G_MAXUINT, &nth, NULL) ||
      !g_ascii_string_to_unsigned (fields[3], 10, 0, G_MAXUINT, &delay, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "NTH and DELAY_MS must be unsigned numbers in rule \"%s\"", line);
      goto out;
    }

  text = unescape_text (p, error);
  if (text == NULL)
    goto out;

  smtp_test_server_add_rule (self, fields[0], nth, action, text, delay);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (fields[i]);

  return ok;
}

/**
 * smtp_test_server_get_commands:
 *
 * Every line the client sent outside a message body, in order, as "C: LINE"
 * when it came in plaintext and "T: LINE" when it came over TLS. Lines sent
 * after STARTTLS but before the handshake appear as "C:" but were never
 * acted on. AUTH lines are recorded as sent.
 *
 * Returns: (transfer full) (element-type utf8): a copy; it frees its strings
 */
GPtrArray *
smtp_test_server_get_commands (SmtpTestServer *self)
{
  GPtrArray *commands;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), NULL);

  g_mutex_lock (&self->mutex);
  commands = g_ptr_array_new_full (self->commands->len, g_free);
  for (guint i = 0; i < self->commands->len; i++)
    g_ptr_array_add (commands, g_strdup (g_ptr_array_index (self->commands, i)));
  g_mutex_unlock (&self->mutex);

  return commands;
}

/**
 * smtp_test_server_get_message:
 *
 * Returns: (transfer full) (nullable): the body of the last message
 *   received, with leading dots un-doubled and CRLF line ends, without the
 *   final "."; %NULL if none came yet
 */
char *
smtp_test_server_get_message (SmtpTestServer *self)
{
  char *message;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), NULL);

  g_mutex_lock (&self->mutex);
  message = g_strdup (self->message);
  g_mutex_unlock (&self->mutex);

  return message;
}

/**
 * smtp_test_server_get_messages:
 *
 * Returns: how many messages were received (their final "." seen)
 */
guint
smtp_test_server_get_messages (SmtpTestServer *self)
{
  guint n;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_messages;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * smtp_test_server_get_connections:
 *
 * Returns: how many TCP connections were accepted
 */
guint
smtp_test_server_get_connections (SmtpTestServer *self)
{
  guint n;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_connections;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * smtp_test_server_get_reads:
 *
 * The round trips as the server sees them: how many times it received data
 * and then sent a reply. Pipelined commands that arrive together count once;
 * the greeting, sent before anything was received, does not count.
 *
 * Returns: the count, over all connections
 */
guint
smtp_test_server_get_reads (SmtpTestServer *self)
{
  guint n;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_reads;
  g_mutex_unlock (&self->mutex);

  return n;
}

/**
 * smtp_test_server_received_plaintext:
 * @prefix: compared case-insensitively
 *
 * Returns: whether any line the client sent without TLS, message body lines
 *   included, starts with @prefix
 */
gboolean
smtp_test_server_received_plaintext (SmtpTestServer *self,
                                     const char     *prefix)
{
  gsize len;
  gboolean found = FALSE;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), FALSE);
  g_return_val_if_fail (prefix != NULL, FALSE);

  len = strlen (prefix);

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->plaintext_lines->len && !found; i++)
    {
      const char *line = g_ptr_array_index (self->plaintext_lines, i);

      found = strlen (line) >= len && g_ascii_strncasecmp (line, prefix, len) == 0;
    }
  g_mutex_unlock (&self->mutex);

  return found;
}

/**
 * smtp_test_server_wait_for_message:
 * @timeout_ms: how long to wait at most
 *
 * BLOCKS the calling thread, without iterating any main context, until the
 * server has received at least one message or @timeout_ms passed. Use it
 * only when the client does not need the calling thread's main context
 * (a blocking client, or one running in another thread); with an async
 * client on the default context, iterate that context instead (see
 * smtp_test_wait_until()) and check smtp_test_server_get_messages().
 *
 * Returns: whether a message has arrived
 */
gboolean
smtp_test_server_wait_for_message (SmtpTestServer *self,
                                   guint           timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean arrived;

  g_return_val_if_fail (SMTP_IS_TEST_SERVER (self), FALSE);

  g_mutex_lock (&self->mutex);
  while (self->n_messages == 0)
    {
      if (!g_cond_wait_until (&self->cond, &self->mutex, end))
        break;
    }
  arrived = self->n_messages > 0;
  g_mutex_unlock (&self->mutex);

  return arrived;
}
