/* smtp-client.c: one async SMTP test session over GIO
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-client"

#include "config.h"

#include "smtp-client.h"

#include "smtp-address.h"
#include "smtp-error.h"
#include "smtp-message.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define DEFAULT_STEP_TIMEOUT_MS (30 * 1000)
#define READ_CHUNK 4096
/* The most 334 challenges one AUTH exchange may bring. */
#define MAX_AUTH_STEPS 5
#define CLOSE_TIMEOUT_MS 2000
#define HIDDEN_CREDENTIALS "<credentials hidden>"

G_DEFINE_QUARK (smtp-client-error-quark, smtp_client_error)

G_DEFINE_ENUM_TYPE (SmtpSecurity, smtp_security,
  G_DEFINE_ENUM_VALUE (SMTP_SECURITY_STARTTLS, "starttls"),
  G_DEFINE_ENUM_VALUE (SMTP_SECURITY_TLS, "tls"),
  G_DEFINE_ENUM_VALUE (SMTP_SECURITY_NONE, "none"))

G_DEFINE_ENUM_TYPE (SmtpStage, smtp_stage,
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_RESOLVE, "resolve"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_CONNECT, "connect"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_TLS, "tls"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_GREETING, "greeting"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_EHLO, "ehlo"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_STARTTLS, "starttls"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_AUTH, "auth"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_MAIL, "mail"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_RCPT, "rcpt"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_DATA, "data"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_MESSAGE, "message"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_DONE, "done"))

G_DEFINE_ENUM_TYPE (SmtpStageState, smtp_stage_state,
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_STATE_STARTED, "started"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_STATE_SUCCEEDED, "succeeded"),
  G_DEFINE_ENUM_VALUE (SMTP_STAGE_STATE_FAILED, "failed"))

struct _SmtpClient
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (SmtpClient, smtp_client, G_TYPE_OBJECT)

enum {
  STAGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  STOP_NONE,
  STOP_STEP_TIMEOUT,
  STOP_DEADLINE,
} StopReason;

typedef struct _Session Session;
typedef void (*ReplyFunc) (GTask *task, SmtpReply *reply);

struct _Session
{
  SmtpClient        *client;
  SmtpTestOptions   *options;
  SmtpTestResult    *result;

  /* Cancelled by the caller's cancellable, the step timer and the deadline. */
  GCancellable      *cancellable;
  GCancellable      *caller_cancellable;
  gulong             caller_cancel_id;
  StopReason         stop_reason;
  guint              step_timeout_id;
  guint              deadline_id;

  GSocketClient     *socket_client;
  GSocketConnection *tcp;
  GIOStream         *stream;
  GInputStream      *in;
  GOutputStream     *out;
  gboolean           tls_active;
  gboolean           pin_mismatch;  /* the certificate is not the one the person trusted */

  GByteArray        *buffer;
  guint8             chunk[READ_CHUNK];
  SmtpReplyParser   *parser;
  ReplyFunc          reply_func;
  /* Something was sent (or the connection opened) since the last wait: the
   * next wait for the network is a new round trip. */
  gboolean           flight_sent;

  GString           *transcript;
  char              *helo_name;
  GTlsDatabase      *extra_ca;

  SmtpStage          stage;
  gint64             start_us;
  gint64             stage_start_us;

  SmtpCapabilities  *caps;
  gboolean           helo_fallback;
  SmtpSasl          *sasl;
  guint              auth_steps;
  GBytes            *message;

  /* Pipelined MAIL, RCPT and DATA: which reply comes next, and the first failure. */
  SmtpStage          pipeline_stage;
  SmtpReply         *pipeline_failure;
  SmtpStage          pipeline_failure_stage;
};

/* A session is over once its result went back to the caller; late
 * callbacks (a write next to a failed read, a close) then do nothing. */
#define RETURN_IF_OVER(session) G_STMT_START { if ((session)->result == NULL) return; } G_STMT_END

static void session_fail        (GTask        *task,
                                 GError       *error);
static void session_reply_error (GTask        *task,
                                 SmtpReply    *reply);
static void read_reply          (GTask        *task,
                                 ReplyFunc     func);
static void send_ehlo           (GTask        *task);
static void start_auth          (GTask        *task);
static void start_sending       (GTask        *task);

/* Options ------------------------------------------------------------------ */

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/**
 * smtp_test_options_new:
 *
 * Returns: (transfer full): options with STARTTLS on port 587, automatic
 *   sign-in and a 30 s step timeout
 */
SmtpTestOptions *
smtp_test_options_new (void)
{
  SmtpTestOptions *options = g_new0 (SmtpTestOptions, 1);

  options->port = 587;
  options->security = SMTP_SECURITY_STARTTLS;
  options->auth = SMTP_AUTH_MECHANISM_AUTO;
  options->step_timeout_ms = DEFAULT_STEP_TIMEOUT_MS;

  return options;
}

SmtpTestOptions *
smtp_test_options_copy (const SmtpTestOptions *options)
{
  SmtpTestOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_memdup2 (options, sizeof *options);
  copy->host = g_strdup (options->host);
  copy->user = g_strdup (options->user);
  copy->password = g_strdup (options->password);
  copy->oauth_token = g_strdup (options->oauth_token);
  copy->from = g_strdup (options->from);
  copy->from_name = g_strdup (options->from_name);
  copy->to = g_strdup (options->to);
  copy->ca_database = options->ca_database ? g_object_ref (options->ca_database) : NULL;
  copy->pin_sha256 = g_strdup (options->pin_sha256);
  copy->helo_name = g_strdup (options->helo_name);

  return copy;
}

void
smtp_test_options_free (SmtpTestOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->host);
  g_free (options->user);
  wipe_string (&options->password);
  wipe_string (&options->oauth_token);
  g_free (options->from);
  g_free (options->from_name);
  g_free (options->to);
  g_clear_object (&options->ca_database);
  g_free (options->pin_sha256);
  g_free (options->helo_name);
  g_free (options);
}

/* @sentence: a whole translated sentence with one %s, for what is wrong. */
static gboolean
invalid_setting (GError     **error,
                 const char  *sentence,
                 GError      *cause)
{
  g_set_error (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
               sentence, cause->message);
  return FALSE;
}

static gboolean
is_hex_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return FALSE;
    }

  return TRUE;
}

/**
 * smtp_test_options_validate:
 * @options: the options of a test
 * @error: return location for a %SMTP_CLIENT_ERROR_INVALID_SETTINGS error
 *
 * Checks every field before anything reaches the network: required fields,
 * ranges, the form of addresses and names, and no CR, LF or NUL anywhere.
 *
 * Returns: %TRUE when a test can run with @options
 */
gboolean
smtp_test_options_validate (const SmtpTestOptions  *options,
                            GError                **error)
{
  g_autoptr(GError) cause = NULL;

  g_return_val_if_fail (options != NULL, FALSE);

  if (options->host == NULL || !smtp_host_validate (options->host, &cause))
    {
      if (cause == NULL)
        g_set_error_literal (&cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY,
                             _("Please type the server name."));
      return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The server name cannot be used: %s"), cause);
    }

  if (options->port == 0)
    {
      g_set_error_literal (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                           _("The port must be a number from 1 to 65535."));
      return FALSE;
    }

  if (options->user != NULL && !smtp_text_check_wire_safe (options->user, &cause))
    return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The user name cannot be used: %s"), cause);

  /* Passwords may hold any character a keyboard makes, but not those that
   * would end a protocol line. */
  if ((options->password != NULL && strpbrk (options->password, "\r\n") != NULL) ||
      (options->oauth_token != NULL && strpbrk (options->oauth_token, "\r\n") != NULL))
    {
      g_set_error_literal (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                           _("The password contains a line break. Please type it again."));
      return FALSE;
    }

  if ((options->password != NULL || options->oauth_token != NULL) &&
      (options->user == NULL || *options->user == '\0'))
    {
      g_set_error_literal (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                           _("A password was given without a user name."));
      return FALSE;
    }

  if (!options->check_only && (options->from == NULL || *options->from == '\0'))
    {
      g_set_error_literal (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                           _("A sender address is needed to send a test email."));
      return FALSE;
    }

  if (options->from != NULL && !smtp_address_validate (options->from, &cause))
    return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The sender address cannot be used: %s"), cause);

  if (options->to != NULL && !smtp_address_validate (options->to, &cause))
    return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The recipient address cannot be used: %s"), cause);

  if (options->from_name != NULL && !smtp_text_check_wire_safe (options->from_name, &cause))
    return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The sender name cannot be used: %s"), cause);

  if (options->helo_name != NULL && !smtp_text_check_wire_safe (options->helo_name, &cause))
    return invalid_setting (error,
                             /* Translators: %s says what is wrong. */
                             _("The computer name cannot be used: %s"), cause);

  if (options->pin_sha256 != NULL && !is_hex_sha256 (options->pin_sha256))
    {
      g_set_error_literal (error, SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                           _("A certificate fingerprint is 64 hexadecimal digits (SHA-256)."));
      return FALSE;
    }

  return TRUE;
}

/* Ids ---------------------------------------------------------------------- */

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v = g_enum_get_value (klass, value);

  return v != NULL ? v->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *v;

  if (nick == NULL)
    return FALSE;

  v = g_enum_get_value_by_nick (klass, nick);
  if (v == NULL)
    return FALSE;

  *value = v->value;
  return TRUE;
}

const char *
smtp_security_to_id (SmtpSecurity security)
{
  return enum_nick (SMTP_TYPE_SECURITY, security);
}

gboolean
smtp_security_from_id (const char   *id,
                       SmtpSecurity *security)
{
  int value;

  if (!enum_from_nick (SMTP_TYPE_SECURITY, id, &value))
    return FALSE;

  *security = value;
  return TRUE;
}

/**
 * smtp_security_get_display_name:
 * @security: a security mode
 *
 * Returns: its translated name, as people see it in email programs:
 *   "STARTTLS", "SSL/TLS" or "no encryption"
 */
const char *
smtp_security_get_display_name (SmtpSecurity security)
{
  switch (security)
    {
    case SMTP_SECURITY_STARTTLS: return _("STARTTLS");
    case SMTP_SECURITY_TLS: return _("SSL/TLS");
    case SMTP_SECURITY_NONE:
    default:
      return _("no encryption");
    }
}

const char *
smtp_stage_to_id (SmtpStage stage)
{
  return enum_nick (SMTP_TYPE_STAGE, stage);
}

gboolean
smtp_stage_from_id (const char *id,
                    SmtpStage  *stage)
{
  int value;

  if (!enum_from_nick (SMTP_TYPE_STAGE, id, &value))
    return FALSE;

  *stage = value;
  return TRUE;
}

/* Results ------------------------------------------------------------------ */

void
smtp_certificate_info_free (SmtpCertificateInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->subject);
  g_free (info->issuer);
  g_clear_pointer (&info->not_before, g_date_time_unref);
  g_clear_pointer (&info->not_after, g_date_time_unref);
  g_free (info->sha256);
  g_free (info);
}

void
smtp_test_result_free (SmtpTestResult *result)
{
  if (result == NULL)
    return;

  g_clear_error (&result->error);
  g_clear_pointer (&result->reply, smtp_reply_free);
  g_clear_pointer (&result->capabilities, smtp_capabilities_free);
  g_free (result->transcript);
  g_free (result->tls_version);
  g_free (result->tls_cipher);
  g_clear_pointer (&result->certificate, smtp_certificate_info_free);
  g_free (result);
}

/**
 * smtp_test_result_dup_reply_text:
 * @result: a result
 * @options: the options of the test
 *
 * The server's reply as it may be shown to a person: its words only when
 * they arrived over TLS or the person chose no encryption at all; from
 * before a STARTTLS handshake, where anyone on the path could have written
 * them, only the codes.
 *
 * Returns: (transfer full) (nullable): the reply, or %NULL without one
 */
char *
smtp_test_result_dup_reply_text (const SmtpTestResult  *result,
                                 const SmtpTestOptions *options)
{
  const SmtpReply *reply;
  g_autofree char *text = NULL;

  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  reply = result->reply;
  if (reply == NULL)
    return NULL;

  if (!result->reply_authenticated && options->security != SMTP_SECURITY_NONE)
    return g_strdup_printf ("%d%s%s", reply->code, reply->enhanced ? " " : "",
                            reply->enhanced ? reply->enhanced : "");

  text = smtp_reply_get_text (reply);
  return g_strdup_printf ("%d%s%s%s%s", reply->code, reply->enhanced ? " " : "",
                          reply->enhanced ? reply->enhanced : "",
                          *text != '\0' ? " " : "", text);
}

/* Session plumbing --------------------------------------------------------- */

static void
close_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

/* Closes the connection without holding up the result: a TLS close_notify
 * gets a short, bounded chance; anything else closes the socket at once. */
static void
session_close (Session  *session,
               gboolean  polite)
{
  if (session->stream == NULL)
    return;

  if (polite && !g_cancellable_is_cancelled (session->cancellable))
    {
      GCancellable *close_cancellable = g_cancellable_new ();

      g_timeout_add_full (G_PRIORITY_DEFAULT, CLOSE_TIMEOUT_MS, close_timeout_cb,
                          g_object_ref (close_cancellable), g_object_unref);
      g_io_stream_close_async (session->stream, G_PRIORITY_DEFAULT, close_cancellable,
                               close_done_cb, close_cancellable);
    }
  else if (session->tcp != NULL)
    {
      g_socket_close (g_socket_connection_get_socket (session->tcp), NULL);
    }

  g_clear_object (&session->in);
  g_clear_object (&session->out);
  g_clear_object (&session->stream);
  g_clear_object (&session->tcp);
}

static void
session_free (gpointer data)
{
  Session *session = data;

  g_clear_handle_id (&session->step_timeout_id, g_source_remove);
  g_clear_handle_id (&session->deadline_id, g_source_remove);
  if (session->caller_cancellable != NULL)
    g_cancellable_disconnect (session->caller_cancellable, session->caller_cancel_id);
  g_clear_object (&session->caller_cancellable);

  session_close (session, FALSE);

  g_clear_object (&session->cancellable);
  g_clear_object (&session->socket_client);
  g_clear_pointer (&session->buffer, g_byte_array_unref);
  g_clear_pointer (&session->parser, smtp_reply_parser_free);
  if (session->transcript != NULL)
    g_string_free (session->transcript, TRUE);
  g_free (session->helo_name);
  g_clear_object (&session->extra_ca);
  g_clear_pointer (&session->caps, smtp_capabilities_free);
  g_clear_pointer (&session->sasl, smtp_sasl_free);
  g_clear_pointer (&session->message, g_bytes_unref);
  g_clear_pointer (&session->pipeline_failure, smtp_reply_free);
  g_clear_pointer (&session->result, smtp_test_result_free);
  g_clear_pointer (&session->options, smtp_test_options_free);
  g_clear_object (&session->client);
  g_free (session);
}

static gint64
elapsed_ms (gint64 since_us)
{
  return (g_get_monotonic_time () - since_us) / 1000;
}

static void
emit_stage (Session        *session,
            SmtpStage       stage,
            SmtpStageState  state,
            gint64          ms)
{
  g_signal_emit (session->client, signals[STAGE_CHANGED], 0, stage, state, ms);
}

static gboolean
step_timeout_cb (gpointer user_data)
{
  Session *session = user_data;

  session->step_timeout_id = 0;
  if (session->stop_reason == STOP_NONE)
    session->stop_reason = STOP_STEP_TIMEOUT;
  g_cancellable_cancel (session->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  Session *session = user_data;

  session->deadline_id = 0;
  if (session->stop_reason == STOP_NONE)
    session->stop_reason = STOP_DEADLINE;
  g_cancellable_cancel (session->cancellable);

  return G_SOURCE_REMOVE;
}

/* Every wait gets a fresh total budget: not an inactivity timer, so a server
 * that drips a byte at a time cannot stretch a step. */
static void
restart_step_timer (Session *session)
{
  g_clear_handle_id (&session->step_timeout_id, g_source_remove);
  session->step_timeout_id = g_timeout_add (session->options->step_timeout_ms,
                                            step_timeout_cb, session);
}

static void
finish_stage (Session *session)
{
  RETURN_IF_OVER (session);

  gint64 ms;

  if (session->stage == SMTP_STAGE_NONE)
    return;

  ms = elapsed_ms (session->stage_start_us);
  session->result->stage_ms[session->stage] = ms;
  emit_stage (session, session->stage, SMTP_STAGE_STATE_SUCCEEDED, ms);
}

static void
begin_stage (Session   *session,
             SmtpStage  stage)
{
  RETURN_IF_OVER (session);

  if (session->stage != stage)
    finish_stage (session);

  session->stage = stage;
  session->stage_start_us = g_get_monotonic_time ();
  restart_step_timer (session);
  emit_stage (session, stage, SMTP_STAGE_STATE_STARTED, 0);
}

static void
transcript_add (Session    *session,
                const char *prefix,
                const char *line)
{
  g_string_append (session->transcript, prefix);
  g_string_append (session->transcript, line);
  g_string_append_c (session->transcript, '\n');
}

/* RFC 3207 §4.2 / DESIGN: words that arrived before the handshake may be
 * forged by anyone on the path. Keep the reply code and an EHLO keyword
 * that cannot carry a link; hide the rest. */
static void
transcript_add_server_line (Session    *session,
                            const char *line,
                            gsize       length)
{
  g_autofree char *text = g_utf8_make_valid (line, length);
  gboolean unauthenticated = session->options->security == SMTP_SECURITY_STARTTLS &&
                             !session->tls_active;

  if (unauthenticated && length > 4)
    {
      g_autofree char *code = g_strndup (text, 4);
      g_auto(GStrv) words = g_strsplit (text + 4, " ", 2);
      const char *keyword = words[0] != NULL ? words[0] : "";
      gboolean keyword_ok = session->stage == SMTP_STAGE_EHLO && *keyword != '\0' &&
                            strlen (keyword) <= 32;

      for (const char *p = keyword; keyword_ok && *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            keyword_ok = FALSE;
        }

      if (keyword_ok)
        g_string_append_printf (session->transcript, "S: %s%s …\n", code, keyword);
      else
        g_string_append_printf (session->transcript, "S: %s[%s]\n", code,
                                _("text hidden: it arrived before encryption started"));
      return;
    }

  transcript_add (session, "S: ", text);
}

typedef struct
{
  GTask  *task;
  GBytes *bytes;
} WriteData;

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  WriteData *data = user_data;
  g_autoptr(GTask) task = data->task;
  g_autoptr(GError) error = NULL;

  g_bytes_unref (data->bytes);
  g_free (data);

  /* The reply's read was started with the write: only failures matter. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    session_fail (task, g_steal_pointer (&error));
}

/* Sends one group of commands in one write: with TCP_NODELAY, one write is
 * one segment, and the server sees the whole group at once (RFC 2920). */
static void
send_bytes (GTask  *task,
            GBytes *bytes)
{
  Session *session = g_task_get_task_data (task);
  WriteData *data;

  /* Every reply received so far has been matched to a command: anything
   * still buffered answers nothing we asked, so the server is out of step,
   * or someone is injecting replies (a 250 ahead of the message would be a
   * false success). */
  if (session->buffer->len > 0)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL,
                                               _("The server sent an answer before it was "
                                                 "asked a question.")));
      return;
    }

  data = g_new0 (WriteData, 1);

  data->task = g_object_ref (task);
  data->bytes = g_bytes_ref (bytes);
  session->flight_sent = TRUE;
  g_output_stream_write_all_async (session->out,
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, session->cancellable,
                                   write_cb, data);
}

static void
send_commands (GTask      *task,
               const char *commands)
{
  g_autoptr(GBytes) bytes = g_bytes_new (commands, strlen (commands));

  send_bytes (task, bytes);
}

/* Translates a failure of a GIO call into the error the test reports: a
 * cancel caused by a timer becomes G_IO_ERROR_TIMED_OUT. */
static GError *
stop_error (Session *session,
            GError  *error)
{
  guint seconds;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      session->stop_reason == STOP_NONE)
    return error;

  g_error_free (error);

  if (session->stop_reason == STOP_STEP_TIMEOUT)
    {
      seconds = MAX (1, session->options->step_timeout_ms / 1000);
      return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "The server did not answer within %u second.",
                                       "The server did not answer within %u seconds.",
                                       seconds), seconds);
    }

  seconds = MAX (1, session->options->deadline_ms / 1000);
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The test did not finish within %u second.",
                                   "The test did not finish within %u seconds.",
                                   seconds), seconds);
}

static void
session_return (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  SmtpTestResult *result = session->result;

  g_clear_handle_id (&session->step_timeout_id, g_source_remove);
  g_clear_handle_id (&session->deadline_id, g_source_remove);

  result->elapsed_ms = elapsed_ms (session->start_us);
  result->transcript = g_string_free (g_steal_pointer (&session->transcript), FALSE);
  session->transcript = g_string_new (NULL);
  if (result->capabilities == NULL && session->caps != NULL)
    result->capabilities = smtp_capabilities_copy (session->caps);

  g_task_return_pointer (task, g_steal_pointer (&session->result),
                         (GDestroyNotify) smtp_test_result_free);
}

static void
session_fail (GTask  *task,
              GError *error)
{
  Session *session = g_task_get_task_data (task);
  SmtpTestResult *result = session->result;

  /* Already reported: a late failure of a write or a close. */
  if (result == NULL)
    {
      g_error_free (error);
      return;
    }

  error = stop_error (session, error);
  g_debug ("Test failed at %s: %s", smtp_stage_to_id (session->stage), error->message);

  result->ok = FALSE;
  result->stage = session->stage;
  result->error = error;
  if (session->stage != SMTP_STAGE_NONE)
    {
      gint64 ms = elapsed_ms (session->stage_start_us);

      result->stage_ms[session->stage] = ms;
      emit_stage (session, session->stage, SMTP_STAGE_STATE_FAILED, ms);
    }

  /* Stop anything still in flight (a write next to a failed read). */
  if (session->stop_reason == STOP_NONE)
    g_cancellable_cancel (session->cancellable);

  session_close (session, FALSE);
  session_return (task);
}

static void
session_succeed (GTask *task)
{
  Session *session = g_task_get_task_data (task);

  RETURN_IF_OVER (session);

  finish_stage (session);
  session->stage = SMTP_STAGE_DONE;
  session->result->ok = TRUE;
  session->result->stage = SMTP_STAGE_DONE;
  emit_stage (session, SMTP_STAGE_DONE, SMTP_STAGE_STATE_SUCCEEDED,
              elapsed_ms (session->start_us));

  session_close (session, TRUE);
  session_return (task);
}

static void
keep_reply (Session   *session,
            SmtpReply *reply)
{
  RETURN_IF_OVER (session);

  g_clear_pointer (&session->result->reply, smtp_reply_free);
  session->result->reply = smtp_reply_copy (reply);
  session->result->reply_authenticated = session->tls_active;
}

/* The server said no: say goodbye politely, then report the reply. */
static void
session_reply_error (GTask     *task,
                     SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);
  g_autofree char *text = NULL;

  RETURN_IF_OVER (session);

  keep_reply (session, reply);

  if (session->out != NULL && reply->code != 421)
    g_output_stream_write_all_async (session->out, "QUIT\r\n", 6, G_PRIORITY_DEFAULT,
                                     NULL, NULL, NULL);

  /* The reply's own words travel only in the result: from before the TLS
   * handshake they may be forged, so the error names just the code. */
  if (session->tls_active || session->options->security == SMTP_SECURITY_NONE)
    text = smtp_reply_get_text (reply);

  session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_REJECTED,
                                   "%d%s%s%s%s", reply->code,
                                   reply->enhanced ? " " : "",
                                   reply->enhanced ? reply->enhanced : "",
                                   text ? " " : "", text ? text : ""));
}

/* Reading replies ------------------------------------------------------------ */

static void read_more (GTask *task);
static void pipeline_done (GTask *task);

/* Takes complete lines from the buffer into the parser; TRUE when a whole
 * reply is there (or an error was reported). */
static gboolean
parse_buffered (GTask *task)
{
  Session *session = g_task_get_task_data (task);

  for (;;)
    {
      /* An empty GByteArray may have no data at all: memchr wants a pointer. */
      guint8 *nl = session->buffer->len > 0
                   ? memchr (session->buffer->data, '\n', session->buffer->len) : NULL;
      g_autoptr(GError) error = NULL;
      gsize line_len;

      if (nl == NULL)
        {
          if (session->buffer->len > SMTP_REPLY_MAX_LINE + 2)
            {
              session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_LINE_TOO_LONG,
                                               _("The server sent a line longer than %d bytes."),
                                               SMTP_REPLY_MAX_LINE));
              return TRUE;
            }
          return FALSE;
        }

      line_len = nl - session->buffer->data;
      if (line_len > 0 && session->buffer->data[line_len - 1] == '\r')
        line_len--;

      if (line_len > SMTP_REPLY_MAX_LINE)
        {
          session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_LINE_TOO_LONG,
                                           _("The server sent a line longer than %d bytes."),
                                           SMTP_REPLY_MAX_LINE));
          return TRUE;
        }

      transcript_add_server_line (session, (const char *) session->buffer->data, line_len);

      if (!smtp_reply_parser_feed_line (session->parser, (const char *) session->buffer->data,
                                        line_len, &error))
        {
          int code = SMTP_CLIENT_ERROR_PROTOCOL;

          if (g_error_matches (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_MANY_LINES) ||
              g_error_matches (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_LONG))
            code = SMTP_CLIENT_ERROR_REPLY_TOO_LONG;
          else if (g_error_matches (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_LINE_TOO_LONG))
            code = SMTP_CLIENT_ERROR_LINE_TOO_LONG;

          g_byte_array_remove_range (session->buffer, 0, (nl - session->buffer->data) + 1);
          session_fail (task, g_error_new (SMTP_CLIENT_ERROR, code,
                                           _("The server’s answer is not valid SMTP: %s"),
                                           error->message));
          return TRUE;
        }

      g_byte_array_remove_range (session->buffer, 0, (nl - session->buffer->data) + 1);

      if (smtp_reply_parser_is_done (session->parser))
        {
          g_autoptr(SmtpReply) reply = smtp_reply_parser_steal (session->parser);
          ReplyFunc func = session->reply_func;

          session->reply_func = NULL;
          func (task, reply);
          return TRUE;
        }
    }
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Session *session = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (session->result == NULL)
    return;

  /* A server may hang up after refusing part of a pipelined group: the
   * refusal explains more than the hang-up. */
  if (n <= 0 && session->pipeline_failure != NULL &&
      !g_cancellable_is_cancelled (session->cancellable))
    {
      session->reply_func = NULL;
      pipeline_done (task);
      return;
    }

  if (n < 0)
    {
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  if (n == 0)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_CONNECTION_CLOSED,
                                               _("The server closed the connection.")));
      return;
    }

  g_byte_array_append (session->buffer, session->chunk, n);

  if (!parse_buffered (task))
    read_more (task);
}

static void
read_more (GTask *task)
{
  Session *session = g_task_get_task_data (task);

  g_input_stream_read_async (session->in, session->chunk, sizeof session->chunk,
                             G_PRIORITY_DEFAULT, session->cancellable,
                             read_cb, g_object_ref (task));
}

/* Reads one reply and hands it to @func. A reply already in the buffer
 * (pipelining) costs no wait; otherwise this is one round trip. */
static void
read_reply (GTask     *task,
            ReplyFunc  func)
{
  Session *session = g_task_get_task_data (task);

  RETURN_IF_OVER (session);

  g_assert (session->reply_func == NULL);
  session->reply_func = func;

  if (parse_buffered (task))
    return;

  /* The rest of a reply (or of a pipelined group's replies) arriving in a
   * later segment is no new round trip. */
  if (session->flight_sent)
    session->result->round_trips++;
  session->flight_sent = FALSE;
  read_more (task);
}

/* The conversation ------------------------------------------------------------ */

static void
message_reply_cb (GTask     *task,
                  SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);

  keep_reply (session, reply);

  /* RFC 5321 §4.3.2: 250 is the only reply that says the message was taken.
   * Any other 2xx (a "221 Bye" instead of an answer) proves nothing, and a
   * test that reports success must have proven delivery. */
  if (reply->code != 250)
    {
      session_reply_error (task, reply);
      return;
    }

  session_succeed (task);
}

static void
send_message (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  g_autoptr(GBytes) stuffed = smtp_message_dot_stuff (session->message);
  g_autoptr(GByteArray) group = g_byte_array_new ();
  gsize size;
  const guint8 *data = g_bytes_get_data (stuffed, &size);

  RETURN_IF_OVER (session);

  begin_stage (session, SMTP_STAGE_MESSAGE);

  /* QUIT rides with the message: its reply never decides the result. */
  g_byte_array_append (group, data, size);
  g_byte_array_append (group, (const guint8 *) "QUIT\r\n", 6);
  transcript_add (session, "C: ", _("[the test message]"));
  transcript_add (session, "C: ", ".");
  transcript_add (session, "C: ", "QUIT");

  {
    g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&group));
    send_bytes (task, bytes);
  }
  read_reply (task, message_reply_cb);
}

static void pipeline_reply_cb (GTask *task, SmtpReply *reply);

static void
pipeline_done (GTask *task)
{
  Session *session = g_task_get_task_data (task);

  RETURN_IF_OVER (session);

  if (session->pipeline_failure != NULL)
    {
      g_autoptr(SmtpReply) failure = g_steal_pointer (&session->pipeline_failure);

      session->stage = session->pipeline_failure_stage;
      session_reply_error (task, failure);
      return;
    }

  send_message (task);
}

static void
pipeline_reply_cb (GTask     *task,
                   SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);
  SmtpStage stage = session->pipeline_stage;
  gboolean ok;

  /* RFC 5321 §4.3.2: MAIL succeeds with 250, RCPT with 250 or 251, DATA goes
   * on with 354; any other code, 2xx included (a "221 Bye"), is a failure. */
  if (stage == SMTP_STAGE_DATA)
    ok = reply->code == 354;
  else if (stage == SMTP_STAGE_RCPT)
    ok = reply->code == 250 || reply->code == 251;
  else
    ok = reply->code == 250;

  if (session->stage != stage)
    begin_stage (session, stage);
  keep_reply (session, reply);

  if (!ok && session->pipeline_failure == NULL)
    {
      session->pipeline_failure = smtp_reply_copy (reply);
      session->pipeline_failure_stage = stage;
    }

  if (stage == SMTP_STAGE_DATA)
    {
      /* RFC 2920 §3.1: DATA may be accepted although an earlier command of
       * the group failed; end the empty message so nothing is sent. */
      if (ok && session->pipeline_failure != NULL)
        {
          send_commands (task, ".\r\n");
          transcript_add (session, "C: ", ".");
        }
      pipeline_done (task);
      return;
    }

  session->pipeline_stage = stage + 1;

  if (session->caps != NULL && session->caps->pipelining)
    {
      /* The next reply of the group is what we wait for now. */
      begin_stage (session, session->pipeline_stage);
    }
  else
    {
      /* Without PIPELINING each command waits for the previous reply. */
      if (session->pipeline_failure != NULL)
        {
          pipeline_done (task);
          return;
        }

      if (session->pipeline_stage == SMTP_STAGE_RCPT)
        {
          g_autofree char *shown = g_strdup_printf ("RCPT TO:<%s>", session->options->to
                                                    ? session->options->to
                                                    : session->options->from);
          g_autofree char *cmd = g_strdup_printf ("%s\r\n", shown);

          begin_stage (session, SMTP_STAGE_RCPT);
          transcript_add (session, "C: ", shown);
          send_commands (task, cmd);
        }
      else
        {
          begin_stage (session, SMTP_STAGE_DATA);
          transcript_add (session, "C: ", "DATA");
          send_commands (task, "DATA\r\n");
        }
    }

  read_reply (task, pipeline_reply_cb);
}

static char *
mail_command (Session *session)
{
  GString *cmd = g_string_new (NULL);
  const char *to = session->options->to ? session->options->to : session->options->from;

  g_string_append_printf (cmd, "MAIL FROM:<%s>", session->options->from);
  if (session->caps != NULL && session->caps->size)
    g_string_append_printf (cmd, " SIZE=%" G_GSIZE_FORMAT, g_bytes_get_size (session->message));
  if (session->caps != NULL && session->caps->eightbitmime &&
      smtp_message_has_8bit (session->message))
    g_string_append (cmd, " BODY=8BITMIME");
  if (smtp_address_needs_utf8 (session->options->from) || smtp_address_needs_utf8 (to))
    g_string_append (cmd, " SMTPUTF8");

  return g_string_free (cmd, FALSE);
}

static void
start_sending (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  SmtpTestOptions *options = session->options;
  const char *to = options->to ? options->to : options->from;
  gboolean utf8;
  g_autofree char *mail = NULL;
  g_autofree char *rcpt = NULL;
  SmtpMessageInfo info = { 0 };

  RETURN_IF_OVER (session);

  if (options->check_only)
    {
      /* Nothing to send: say goodbye without waiting for the answer. */
      send_commands (task, "QUIT\r\n");
      transcript_add (session, "C: ", "QUIT");
      session_succeed (task);
      return;
    }

  begin_stage (session, SMTP_STAGE_MAIL);

  utf8 = smtp_address_needs_utf8 (options->from) || smtp_address_needs_utf8 (to);
  if (utf8 && (session->caps == NULL || !session->caps->smtputf8))
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_SMTPUTF8_UNSUPPORTED,
                                               _("An address has non-English letters, and the "
                                                 "server does not accept such addresses "
                                                 "(SMTPUTF8).")));
      return;
    }

  info.from = options->from;
  info.from_name = options->from_name;
  info.to = to;
  info.host = options->host;
  info.port = options->port;
  info.security = smtp_security_to_id (options->security);
  info.user = options->user;
  session->message = smtp_message_build (&info, session->caps != NULL &&
                                                session->caps->eightbitmime);

  if (session->caps != NULL && session->caps->size_limit > 0 &&
      g_bytes_get_size (session->message) > session->caps->size_limit)
    {
      session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_MESSAGE_TOO_LARGE,
                                       _("The server accepts messages of at most %lu bytes."),
                                       (unsigned long) session->caps->size_limit));
      return;
    }

  mail = mail_command (session);
  rcpt = g_strdup_printf ("RCPT TO:<%s>", to);
  session->pipeline_stage = SMTP_STAGE_MAIL;

  if (session->caps != NULL && session->caps->pipelining)
    {
      /* RFC 2920: MAIL, RCPT and DATA in one group, one round trip. */
      g_autofree char *group = g_strdup_printf ("%s\r\n%s\r\nDATA\r\n", mail, rcpt);

      transcript_add (session, "C: ", mail);
      transcript_add (session, "C: ", rcpt);
      transcript_add (session, "C: ", "DATA");
      send_commands (task, group);
    }
  else
    {
      g_autofree char *line = g_strdup_printf ("%s\r\n", mail);

      transcript_add (session, "C: ", mail);
      send_commands (task, line);
    }

  read_reply (task, pipeline_reply_cb);
}

static void
wipe_and_free (gpointer data)
{
  char *str = data;

  explicit_bzero (str, strlen (str));
  g_free (str);
}

/* Sends a line that carries credentials; every copy is wiped once the write
 * no longer needs it. Takes @line. */
static void
send_auth_line (GTask *task,
                char  *line)
{
  gsize len = strlen (line);
  g_autoptr(GBytes) bytes = NULL;
  char *wire = g_malloc (len + 3);

  memcpy (wire, line, len);
  memcpy (wire + len, "\r\n", 3);
  wipe_and_free (line);

  bytes = g_bytes_new_with_free_func (wire, len + 2, wipe_and_free, wire);
  send_bytes (task, bytes);
}

static void
auth_reply_cb (GTask     *task,
               SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *response;

  keep_reply (session, reply);

  if (reply->code == 235)
    {
      g_clear_pointer (&session->sasl, smtp_sasl_free);
      start_sending (task);
      return;
    }

  if (reply->code != 334)
    {
      g_clear_pointer (&session->sasl, smtp_sasl_free);
      session_reply_error (task, reply);
      return;
    }

  if (++session->auth_steps > MAX_AUTH_STEPS)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL,
                                               _("The server kept asking for more sign-in "
                                                 "steps.")));
      return;
    }

  response = smtp_sasl_step (session->sasl, reply->lines[0] ? reply->lines[0] : "", &error);
  if (response == NULL)
    {
      /* RFC 4954 §4: "*" cancels the exchange. */
      send_commands (task, "*\r\n");
      session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_PROTOCOL,
                                       _("The server’s sign-in challenge is not valid: %s"),
                                       error->message));
      return;
    }

  transcript_add (session, "C: ", HIDDEN_CREDENTIALS);
  send_auth_line (task, response);
  read_reply (task, auth_reply_cb);
}

static void
start_auth (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  SmtpTestOptions *options = session->options;
  g_autoptr(GError) error = NULL;
  SmtpAuthMechanism mechanism;
  const char *secret;
  char *command;
  g_autofree char *shown = NULL;

  RETURN_IF_OVER (session);

  if (options->password == NULL && options->oauth_token == NULL)
    {
      start_sending (task);
      return;
    }

  begin_stage (session, SMTP_STAGE_AUTH);

  if (!session->tls_active && !options->allow_plaintext_auth)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_PLAINTEXT_AUTH_REFUSED,
                                               _("The connection is not encrypted, so the "
                                                 "password was not sent.")));
      return;
    }

  if (session->caps == NULL || session->caps->auth == NULL || session->caps->auth[0] == NULL)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_AUTH_NOT_OFFERED,
                                               _("The server does not offer sign-in (AUTH).")));
      return;
    }

  /* A token alone can only sign in with XOAUTH2. */
  mechanism = smtp_auth_choose (session->caps,
                                options->auth == SMTP_AUTH_MECHANISM_AUTO &&
                                options->password == NULL
                                ? SMTP_AUTH_MECHANISM_XOAUTH2 : options->auth,
                                options->oauth_token != NULL, &error);
  if (error != NULL)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED,
                                               error->message));
      return;
    }

  secret = mechanism == SMTP_AUTH_MECHANISM_XOAUTH2 ? options->oauth_token : options->password;
  if (secret == NULL)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_AUTH_MECHANISM_UNSUPPORTED,
                                               _("The chosen sign-in method needs a token, "
                                                 "not a password.")));
      return;
    }

  session->sasl = smtp_sasl_new (mechanism, options->user, secret, &error);
  if (session->sasl == NULL)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_INVALID_SETTINGS,
                                               error->message));
      return;
    }

  session->result->auth_mechanism = mechanism;
  command = smtp_sasl_initial_command (session->sasl);

  /* The transcript keeps the mechanism, never what follows it. */
  shown = g_strdup_printf ("AUTH %s%s", smtp_auth_mechanism_to_name (mechanism),
                           strchr (command + 5, ' ') != NULL ? " " HIDDEN_CREDENTIALS : "");
  transcript_add (session, "C: ", shown);
  send_auth_line (task, command);
  read_reply (task, auth_reply_cb);
}

static void handshake_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static char *
sha256_of_certificate (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static void
record_certificate (Session              *session,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors)
{
  SmtpCertificateInfo *info;

  g_clear_pointer (&session->result->certificate, smtp_certificate_info_free);
  if (certificate == NULL)
    return;

  info = g_new0 (SmtpCertificateInfo, 1);
  g_object_get (certificate,
                "subject-name", &info->subject,
                "issuer-name", &info->issuer,
                "not-valid-before", &info->not_before,
                "not-valid-after", &info->not_after,
                NULL);
  info->sha256 = sha256_of_certificate (certificate);
  info->errors = errors;
  session->result->certificate = info;
}

static gboolean
accept_certificate_cb (GTlsConnection       *connection,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Session *session = user_data;
  SmtpTestOptions *options = session->options;

  record_certificate (session, peer_cert, errors);

  /* A pin is the person's decision to trust exactly this certificate after
   * seeing it; nothing else is accepted in its place. */
  if (options->pin_sha256 != NULL)
    {
      const char *sha256 = session->result->certificate->sha256;

      if (sha256 != NULL && g_ascii_strcasecmp (sha256, options->pin_sha256) == 0)
        {
          session->result->certificate->pinned = TRUE;
          return TRUE;
        }
      session->pin_mismatch = TRUE;
      return FALSE;
    }

  /* Extra authorities: only an unknown issuer may be forgiven, and only
   * when the chain verifies against them with every other check intact. */
  if (session->extra_ca != NULL && errors == G_TLS_CERTIFICATE_UNKNOWN_CA)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (options->host, options->port);
      GTlsCertificateFlags flags;

      flags = g_tls_database_verify_chain (session->extra_ca, peer_cert,
                                           G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                           identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                           NULL, NULL);
      session->result->certificate->errors = flags;
      if (flags == 0)
        {
          session->result->certificate->trusted_by_ca_file = TRUE;
          return TRUE;
        }
    }

  return FALSE;
}

/* DER (X.690 §8.1): reads the tag and length of the element at *p, which
 * must lie wholly before @end, and moves *p past it. Only the low tag
 * numbers and definite lengths that DER allows. */
static gboolean
der_next (const guint8  **p,
          const guint8   *end,
          guint8         *tag,
          const guint8  **content,
          gsize          *length)
{
  const guint8 *q = *p;
  gsize n;

  if (end - q < 2)
    return FALSE;

  *tag = *q++;
  if ((*tag & 0x1f) == 0x1f)
    return FALSE;

  n = *q++;
  if ((n & 0x80) != 0)
    {
      guint bytes = n & 0x7f;

      if (bytes == 0 || bytes > sizeof (gsize) || (gsize) (end - q) < bytes)
        return FALSE;
      for (n = 0; bytes > 0; bytes--)
        n = (n << 8) | *q++;
    }
  if ((gsize) (end - q) < n)
    return FALSE;

  *content = q;
  *length = n;
  *p = q + n;
  return TRUE;
}

/* RFC 5280 §4.2.1.12: a certificate with an extended key usage may serve
 * only those purposes; TLS servers need id-kp-serverAuth (or the
 * anyExtendedKeyUsage). GnuTLS, through glib-networking, does not check it
 * for us, so a certificate issued for signing in as a client would pass.
 * Anything that does not parse counts as not allowed. */
static gboolean
certificate_allows_server_auth (GTlsCertificate *certificate)
{
  static const guint8 oid_eku[] = { 0x55, 0x1d, 0x25 };
  static const guint8 oid_server_auth[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
  static const guint8 oid_any[] = { 0x55, 0x1d, 0x25, 0x00 };
  g_autoptr(GByteArray) der = NULL;
  const guint8 *p, *end, *content;
  gsize length;
  guint8 tag;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return FALSE;

  /* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { ... [3] extensions } ... } */
  p = der->data;
  end = der->data + der->len;
  if (!der_next (&p, end, &tag, &content, &length) || tag != 0x30)
    return FALSE;
  p = content;
  end = content + length;
  if (!der_next (&p, end, &tag, &content, &length) || tag != 0x30)
    return FALSE;
  p = content;
  end = content + length;

  while (p < end)
    {
      const guint8 *exts, *exts_end;

      if (!der_next (&p, end, &tag, &content, &length))
        return FALSE;
      if (tag != 0xa3)
        continue;

      /* extensions [3] EXPLICIT SEQUENCE OF Extension */
      exts = content;
      if (!der_next (&exts, content + length, &tag, &content, &length) || tag != 0x30)
        return FALSE;
      exts = content;
      exts_end = content + length;

      while (exts < exts_end)
        {
          const guint8 *field, *field_end, *oid, *value;
          gsize oid_length, value_length;

          /* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
           *                          extnValue OCTET STRING } */
          if (!der_next (&exts, exts_end, &tag, &content, &length) || tag != 0x30)
            return FALSE;
          field = content;
          field_end = content + length;
          if (!der_next (&field, field_end, &tag, &oid, &oid_length) || tag != 0x06)
            return FALSE;
          if (oid_length != sizeof oid_eku || memcmp (oid, oid_eku, sizeof oid_eku) != 0)
            continue;

          do
            {
              if (!der_next (&field, field_end, &tag, &value, &value_length))
                return FALSE;
            }
          while (tag == 0x01);
          if (tag != 0x04)
            return FALSE;

          /* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
          field = value;
          if (!der_next (&field, value + value_length, &tag, &content, &length) || tag != 0x30)
            return FALSE;
          field = content;
          field_end = content + length;
          while (field < field_end)
            {
              if (!der_next (&field, field_end, &tag, &oid, &oid_length) || tag != 0x06)
                return FALSE;
              if ((oid_length == sizeof oid_server_auth &&
                   memcmp (oid, oid_server_auth, oid_length) == 0) ||
                  (oid_length == sizeof oid_any && memcmp (oid, oid_any, oid_length) == 0))
                return TRUE;
            }
          return FALSE;
        }

      /* Extensions without an extended key usage: any purpose. */
      return TRUE;
    }

  /* No extensions at all (a version 1 certificate): any purpose. */
  return TRUE;
}

/* RFC 9525 §6.3 (and RFC 6125 §6.4.4 "SHOULD NOT"): the server's name is
 * checked against the subjectAltName only. A certificate without one would
 * have GnuTLS fall back to its CN, which nothing constrains. */
static gboolean
certificate_has_alt_names (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) names = g_tls_certificate_get_dns_names (certificate);
  g_autoptr(GPtrArray) addresses = g_tls_certificate_get_ip_addresses (certificate);

  return (names != NULL && names->len > 0) || (addresses != NULL && addresses->len > 0);
}

/* The checks the TLS library leaves out; nothing was sent yet when they run.
 * A certificate the person pinned was accepted as it is. */
static GError *
check_certificate_further (Session         *session,
                           GTlsCertificate *peer)
{
  SmtpCertificateInfo *info = session->result->certificate;

  if (info != NULL && info->pinned)
    return NULL;

  if (peer == NULL)
    return g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                _("The server did not show a certificate."));

  if (!certificate_has_alt_names (peer))
    {
      if (info != NULL)
        info->errors |= G_TLS_CERTIFICATE_BAD_IDENTITY;
      return g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                  _("The server’s certificate names no server in the form "
                                    "that is required (subjectAltName)."));
    }

  if (!certificate_allows_server_auth (peer))
    {
      if (info != NULL)
        info->errors |= G_TLS_CERTIFICATE_GENERIC_ERROR;
      return g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                                  _("The server’s certificate was not issued for a server."));
    }

  return NULL;
}

static void
start_tls (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  RETURN_IF_OVER (session);

  begin_stage (session, SMTP_STAGE_TLS);

  /* The identity gives SNI and the host name the certificate must match. */
  identity = g_network_address_new (session->options->host, session->options->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (session->tcp), identity, &error);
  if (tls == NULL)
    {
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), session);

  g_clear_object (&session->in);
  g_clear_object (&session->out);
  g_clear_object (&session->stream);
  session->stream = tls;

  session->result->round_trips++;
  session->flight_sent = FALSE;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    session->cancellable, handshake_cb, g_object_ref (task));
}

static const char *
protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0: return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return NULL;
    }
}

static void greeting_cb (GTask *task, SmtpReply *reply);

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Session *session = g_task_get_task_data (task);
  GTlsConnection *tls = G_TLS_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  GTlsProtocolVersion version;
  GTlsCertificate *peer;

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      /* The handshake failed because the certificate changed since the
       * person trusted it: that is the news, not "untrusted". */
      if (session->pin_mismatch && g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          g_clear_error (&error);
          error = g_error_new_literal (SMTP_CLIENT_ERROR,
                                       SMTP_CLIENT_ERROR_CERTIFICATE_PIN_MISMATCH,
                                       _("The server’s certificate is not the one that was "
                                         "trusted for this account."));
        }
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  if (session->result == NULL)
    return;

  peer = g_tls_connection_get_peer_certificate (tls);
  if (session->result->certificate == NULL)
    record_certificate (session, peer, g_tls_connection_get_peer_certificate_errors (tls));

  error = check_certificate_further (session, peer);
  if (error != NULL)
    {
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  version = g_tls_connection_get_protocol_version (tls);
  session->result->tls_version = g_strdup (protocol_name (version));
  session->result->tls_cipher = g_tls_connection_get_ciphersuite_name (tls);
  if (version == G_TLS_PROTOCOL_VERSION_TLS_1_2)
    session->result->round_trips++;  /* a TLS 1.2 handshake takes two */

  /* DESIGN: TLS 1.2 at least, checked before anything else is said. */
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0 ||
      version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      session_fail (task, g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_TLS_VERSION_TOO_OLD,
                                       _("The server offers only %s, which is no longer safe; "
                                         "TLS 1.2 or newer is needed."),
                                       protocol_name (version)));
      return;
    }

  session->tls_active = TRUE;
  session->flight_sent = TRUE;
  session->in = g_object_ref (g_io_stream_get_input_stream (session->stream));
  session->out = g_object_ref (g_io_stream_get_output_stream (session->stream));
  g_string_append_printf (session->transcript, "-- %s --\n",
                          session->result->tls_version ? session->result->tls_version
                                                       : "TLS");

  if (session->options->security == SMTP_SECURITY_TLS)
    {
      begin_stage (session, SMTP_STAGE_GREETING);
      read_reply (task, greeting_cb);
    }
  else
    {
      /* RFC 3207 §4.2: forget everything learned before TLS; ask again. */
      g_clear_pointer (&session->caps, smtp_capabilities_free);
      send_ehlo (task);
    }
}

static void
starttls_reply_cb (GTask     *task,
                   SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);

  keep_reply (session, reply);

  if (reply->code != 220)
    {
      session_reply_error (task, reply);
      return;
    }

  /* Bytes behind the 220 were sent before the handshake: an attempt to
   * inject commands into the encrypted session (CVE-2011-0411 and kin). */
  if (session->buffer->len > 0)
    {
      session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                               SMTP_CLIENT_ERROR_STARTTLS_INJECTION,
                                               _("Unexpected data arrived right before "
                                                 "encryption started; someone may be "
                                                 "tampering with the connection.")));
      return;
    }

  start_tls (task);
}

static void
ehlo_reply_cb (GTask     *task,
               SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);

  keep_reply (session, reply);

  /* RFC 5321 §4.3.2: EHLO and HELO succeed with 250 only; a 220 or 221 in
   * its place is no list of capabilities to act on. */
  if (reply->code != 250)
    {
      /* RFC 5321 §3.2: a server that does not know EHLO gets HELO, but only
       * where no extension is needed. */
      if ((reply->code == 500 || reply->code == 502) && !session->helo_fallback &&
          session->options->security == SMTP_SECURITY_NONE &&
          session->options->password == NULL && session->options->oauth_token == NULL)
        {
          g_autofree char *helo = g_strdup_printf ("HELO %s", session->helo_name);
          g_autofree char *line = g_strdup_printf ("%s\r\n", helo);

          session->helo_fallback = TRUE;
          transcript_add (session, "C: ", helo);
          send_commands (task, line);
          read_reply (task, ehlo_reply_cb);
          return;
        }

      session_reply_error (task, reply);
      return;
    }

  g_clear_pointer (&session->caps, smtp_capabilities_free);
  session->caps = session->helo_fallback ? g_new0 (SmtpCapabilities, 1)
                                         : smtp_capabilities_parse (reply);
  if (session->caps->auth == NULL)
    session->caps->auth = g_new0 (char *, 1);

  if (session->options->security == SMTP_SECURITY_STARTTLS && !session->tls_active)
    {
      begin_stage (session, SMTP_STAGE_STARTTLS);

      if (!session->caps->starttls)
        {
          /* Never fall back to plaintext. */
          send_commands (task, "QUIT\r\n");
          session_fail (task, g_error_new_literal (SMTP_CLIENT_ERROR,
                                                   SMTP_CLIENT_ERROR_STARTTLS_NOT_OFFERED,
                                                   _("The server does not offer encryption "
                                                     "(STARTTLS) on this port.")));
          return;
        }

      transcript_add (session, "C: ", "STARTTLS");
      send_commands (task, "STARTTLS\r\n");
      read_reply (task, starttls_reply_cb);
      return;
    }

  session->result->capabilities = smtp_capabilities_copy (session->caps);
  start_auth (task);
}

static void
send_ehlo (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  g_autofree char *ehlo = g_strdup_printf ("EHLO %s", session->helo_name);
  g_autofree char *line = g_strdup_printf ("%s\r\n", ehlo);

  RETURN_IF_OVER (session);

  begin_stage (session, SMTP_STAGE_EHLO);
  transcript_add (session, "C: ", ehlo);
  send_commands (task, line);
  read_reply (task, ehlo_reply_cb);
}

static void
greeting_cb (GTask     *task,
             SmtpReply *reply)
{
  Session *session = g_task_get_task_data (task);

  keep_reply (session, reply);

  if (reply->code != 220)
    {
      session_reply_error (task, reply);
      return;
    }

  send_ehlo (task);
}

/* RFC 5321 §4.1.4: the client's fully qualified name, else an address
 * literal of the local end; never "localhost". */
static char *
pick_helo_name (Session *session)
{
  const char *host_name = g_get_host_name ();
  g_autoptr(GSocketAddress) local = NULL;

  if (session->options->helo_name != NULL)
    return g_strdup (session->options->helo_name);

  if (strchr (host_name, '.') != NULL && !g_str_has_prefix (host_name, "localhost") &&
      smtp_host_validate (host_name, NULL) && !g_hostname_is_ip_address (host_name))
    return g_strdup (host_name);

  local = g_socket_connection_get_local_address (session->tcp, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      GInetAddress *address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
      g_autofree char *text = g_inet_address_to_string (address);

      if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        return g_strdup_printf ("[IPv6:%s]", text);
      return g_strdup_printf ("[%s]", text);
    }

  return g_strdup ("[127.0.0.1]");
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Session *session = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  GSocket *socket;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (connection == NULL)
    {
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  session->tcp = connection;
  session->stream = G_IO_STREAM (g_object_ref (connection));
  session->in = g_object_ref (g_io_stream_get_input_stream (session->stream));
  session->out = g_object_ref (g_io_stream_get_output_stream (session->stream));

  /* Without it, each small command can wait 40 ms or more for a delayed ACK. */
  socket = g_socket_connection_get_socket (connection);
  if (!g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, &error))
    {
      g_debug ("Could not set TCP_NODELAY: %s", error->message);
      g_clear_error (&error);
    }

  session->helo_name = pick_helo_name (session);
  session->flight_sent = TRUE;

  if (session->options->security == SMTP_SECURITY_TLS)
    {
      start_tls (task);
      return;
    }

  begin_stage (session, SMTP_STAGE_GREETING);
  read_reply (task, greeting_cb);
}

static void
socket_event_cb (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  GTask *task = user_data;
  Session *session = g_task_get_task_data (task);

  if (event == G_SOCKET_CLIENT_CONNECTING && session->stage == SMTP_STAGE_RESOLVE)
    {
      begin_stage (session, SMTP_STAGE_CONNECT);
      session->result->round_trips++;
    }
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GCancellable *internal = user_data;

  g_cancellable_cancel (internal);
}

/* Public API ------------------------------------------------------------------ */

/**
 * smtp_client_run_async:
 * @self: a client
 * @options: what to test; copied
 * @cancellable: (nullable): stops the test; the result then carries
 *   %G_IO_ERROR_CANCELLED
 * @callback: called on the caller's main context with the result
 * @user_data: data for @callback
 *
 * Runs one test session: resolve and connect, TLS (implicit or STARTTLS),
 * EHLO, AUTH, and MAIL/RCPT/DATA with the test message, as far as @options
 * ask. Progress is reported with #SmtpClient::stage-changed.
 */
void
smtp_client_run_async (SmtpClient            *self,
                       const SmtpTestOptions *options,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnectable) address = NULL;
  Session *session;

  g_return_if_fail (SMTP_IS_CLIENT (self));
  g_return_if_fail (options != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, smtp_client_run_async);

  session = g_new0 (Session, 1);
  session->client = g_object_ref (self);
  session->options = smtp_test_options_copy (options);
  session->result = g_new0 (SmtpTestResult, 1);
  session->cancellable = g_cancellable_new ();
  session->buffer = g_byte_array_new ();
  session->parser = smtp_reply_parser_new ();
  session->transcript = g_string_new (NULL);
  session->start_us = g_get_monotonic_time ();
  session->stage_start_us = session->start_us;
  if (options->ca_database != NULL)
    session->extra_ca = g_object_ref (options->ca_database);
  g_task_set_task_data (task, session, session_free);

  if (session->options->step_timeout_ms == 0)
    session->options->step_timeout_ms = DEFAULT_STEP_TIMEOUT_MS;
  /* The whole test may take two steps' worth: a server that keeps each
   * step just under its budget still cannot hold the test for long. */
  if (session->options->deadline_ms == 0)
    session->options->deadline_ms = session->options->step_timeout_ms * 2;

  if (!smtp_test_options_validate (session->options, &error))
    {
      session_fail (task, g_steal_pointer (&error));
      return;
    }

  if (cancellable != NULL)
    {
      session->caller_cancellable = g_object_ref (cancellable);
      session->caller_cancel_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (caller_cancelled_cb),
                                                         g_object_ref (session->cancellable),
                                                         g_object_unref);
      if (g_cancellable_is_cancelled (cancellable))
        {
          session_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The test was cancelled.")));
          return;
        }
    }

  session->deadline_id = g_timeout_add (session->options->deadline_ms, deadline_cb, session);

  session->socket_client = g_socket_client_new ();
  /* An inactivity bound as well; the step timer bounds the total. */
  g_socket_client_set_timeout (session->socket_client,
                               MAX (1, session->options->step_timeout_ms / 1000));
  g_signal_connect (session->socket_client, "event", G_CALLBACK (socket_event_cb), task);

  begin_stage (session, SMTP_STAGE_RESOLVE);
  address = g_network_address_new (session->options->host, session->options->port);
  g_socket_client_connect_async (session->socket_client, address, session->cancellable,
                                 connect_cb, g_object_ref (task));
}

/**
 * smtp_client_run_finish:
 * @self: a client
 * @result: the result given to the callback
 *
 * Returns: (transfer full): what the test found; never %NULL. Its @ok says
 *   whether what was asked was proven; otherwise @error and @stage say why.
 */
SmtpTestResult *
smtp_client_run_finish (SmtpClient   *self,
                        GAsyncResult *result)
{
  g_return_val_if_fail (SMTP_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), NULL);
}

static void
smtp_client_class_init (SmtpClientClass *klass)
{
  /**
   * SmtpClient::stage-changed:
   * @self: the client
   * @stage: the stage
   * @state: started, succeeded or failed
   * @elapsed_ms: how long the stage took (0 when it starts)
   *
   * Emitted on the caller's main context as a test moves through its stages.
   */
  signals[STAGE_CHANGED] =
    g_signal_new ("stage-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, SMTP_TYPE_STAGE, SMTP_TYPE_STAGE_STATE, G_TYPE_INT64);
}

static void
smtp_client_init (SmtpClient *self)
{
}

SmtpClient *
smtp_client_new (void)
{
  return g_object_new (SMTP_TYPE_CLIENT, NULL);
}
