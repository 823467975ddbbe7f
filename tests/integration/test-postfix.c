/* test-postfix.c: checks the private Postfix test instance itself
 *
 * The instance is made by tests/scripts/postfix.sh start DIR, which writes
 * DIR/postfix.ini; its path comes in $SMTP_TEST_POSTFIX. Without it these
 * tests are skipped, unless $SMTP_TEST_REQUIRE_POSTFIX=1 (then they fail).
 *
 * Messages are sent with curl, so these tests check the fixture (ports, TLS,
 * SASL, delivery into the Maildir), not the application. The password is
 * only ever read from the instance's password file and handed to curl in a
 * 0600 config file; it never enters an environment.
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "smtp-test-util.h"

#define DELIVERY_TIMEOUT_MS 20000
#define POLL_INTERVAL_MS    25

/* curl's exit code for a refused login (CURLE_LOGIN_DENIED) */
#define CURL_EXIT_LOGIN_DENIED 67

typedef struct {
  char *host;
  int   submission_port;
  int   smtps_port;
  char *user;
  char *password_file;
  char *from;
  char *to;
  char *maildir;
  char *ca_file;
  char *log;
} PostfixInfo;

static void
postfix_info_free (PostfixInfo *info)
{
  g_free (info->host);
  g_free (info->user);
  g_free (info->password_file);
  g_free (info->from);
  g_free (info->to);
  g_free (info->maildir);
  g_free (info->ca_file);
  g_free (info->log);
  g_free (info);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PostfixInfo, postfix_info_free)

typedef enum {
  AUTH_NONE,
  AUTH_RIGHT,
  AUTH_WRONG,
} AuthMode;

typedef struct {
  int   exit_code;  /* curl's exit code, or -1 when it did not exit normally */
  char *out;
  char *err;
} CurlResult;

static void
curl_result_free (CurlResult *result)
{
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CurlResult, curl_result_free)

static char *
key_string (GKeyFile *kf, const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_string (kf, "postfix", key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  g_assert_cmpstr (value, !=, "");
  return value;
}

static int
key_port (GKeyFile *kf, const char *key)
{
  g_autoptr(GError) error = NULL;
  int port = g_key_file_get_integer (kf, "postfix", key, &error);

  g_assert_no_error (error);
  g_assert_cmpint (port, >, 0);
  g_assert_cmpint (port, <, 65536);
  return port;
}

/* Returns the instance's settings, or NULL after marking the test skipped
 * (or failed, when the instance is required). */
static PostfixInfo *
postfix_info_get (void)
{
  const char *path = g_getenv ("SMTP_TEST_POSTFIX");
  g_autoptr(GKeyFile) kf = NULL;
  g_autoptr(GError) error = NULL;
  PostfixInfo *info;

  if (path == NULL || *path == '\0')
    {
      if (g_strcmp0 (g_getenv ("SMTP_TEST_REQUIRE_POSTFIX"), "1") == 0)
        g_test_fail_printf ("SMTP_TEST_REQUIRE_POSTFIX=1 but SMTP_TEST_POSTFIX is not set; "
                            "run tests/scripts/postfix.sh start DIR and set "
                            "SMTP_TEST_POSTFIX=DIR/postfix.ini");
      else
        g_test_skip ("No Postfix test instance: run tests/scripts/postfix.sh start DIR "
                     "(as root) and set SMTP_TEST_POSTFIX=DIR/postfix.ini");
      return NULL;
    }

  kf = g_key_file_new ();
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error))
    {
      g_test_fail_printf ("Cannot read SMTP_TEST_POSTFIX=%s: %s", path, error->message);
      return NULL;
    }

  info = g_new0 (PostfixInfo, 1);
  info->host = key_string (kf, "host");
  info->submission_port = key_port (kf, "submission_port");
  info->smtps_port = key_port (kf, "smtps_port");
  info->user = key_string (kf, "user");
  info->password_file = key_string (kf, "password_file");
  info->from = key_string (kf, "from");
  info->to = key_string (kf, "to");
  info->maildir = key_string (kf, "maildir");
  info->ca_file = key_string (kf, "ca_file");
  info->log = key_string (kf, "log");

  return info;
}

/* A private directory for this test's files (message, curl config). It lies
 * under the isolated XDG cache directory, which GLib removes at the end. */
static char *
work_dir (void)
{
  char *dir = g_build_filename (g_get_user_cache_dir (), "test-postfix", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static char *
write_message (const char *dir, const PostfixInfo *info, const char *subject)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S %z");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("message-%s.eml", id);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  text = g_strdup_printf ("From: SMTP Setup tests <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: %s\r\n"
                          "Date: %s\r\n"
                          "Message-ID: <%s@example.test>\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n"
                          "A test message from test-postfix.\r\n",
                          info->from, info->to, subject, date, id);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static char *
read_password (const PostfixInfo *info)
{
  char *password = smtp_test_read_file (info->password_file);

  g_strstrip (password);
  g_assert_cmpuint (strlen (password), >, 0);
  return password;
}

/* curl's config syntax: a quoted string with \ and " escaped. */
static void
append_quoted (GString *s, const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* Writes a 0600 curl config file holding the login; caller unlinks it. */
static char *
write_curl_config (const char *dir, const PostfixInfo *info, AuthMode auth)
{
  g_autoptr(GString) config = g_string_new ("user = ");
  g_autoptr(GString) login = g_string_new (info->user);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "curl.config", NULL);

  g_string_append_c (login, ':');
  if (auth == AUTH_RIGHT)
    {
      g_autofree char *password = read_password (info);

      g_string_append (login, password);
      memset (password, 0, strlen (password));
    }
  else
    {
      g_autofree char *wrong = g_uuid_string_random ();

      g_string_append (login, "wrong-");
      g_string_append (login, wrong);
    }

  append_quoted (config, login->str);
  g_string_append_c (config, '\n');
  memset (login->str, 0, login->len);

  g_file_set_contents_full (path, config->str, config->len,
                            G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  memset (config->str, 0, config->len);
  g_assert_no_error (error);

  return path;
}

/* VERBOSE shows the server's replies in result->err; curl then also prints
 * the AUTH command with the credentials (base64), so it is only allowed
 * with a wrong password. */
static CurlResult *
send_with_curl (const PostfixInfo *info,
                gboolean           implicit_tls,
                AuthMode           auth,
                gboolean           verbose,
                const char        *subject)
{
  g_autofree char *dir = work_dir ();
  g_autofree char *message = write_message (dir, info, subject);
  g_autofree char *config = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CurlResult *result = g_new0 (CurlResult, 1);
  int status = 0;

  /* The URL path is the EHLO name curl sends. */
  url = g_strdup_printf ("%s://%s:%d/client.example.test",
                         implicit_tls ? "smtps" : "smtp", info->host,
                         implicit_tls ? info->smtps_port : info->submission_port);

  g_ptr_array_add (argv, (char *) "curl");
  g_ptr_array_add (argv, (char *) "-q"); /* must come first: no ~/.curlrc */
  g_ptr_array_add (argv, (char *) "--silent");
  g_ptr_array_add (argv, (char *) "--show-error");
  if (verbose)
    {
      g_assert_true (auth != AUTH_RIGHT);
      g_ptr_array_add (argv, (char *) "--verbose");
    }
  g_ptr_array_add (argv, (char *) "--noproxy");
  g_ptr_array_add (argv, (char *) "*");
  g_ptr_array_add (argv, (char *) "--connect-timeout");
  g_ptr_array_add (argv, (char *) "10");
  g_ptr_array_add (argv, (char *) "--max-time");
  g_ptr_array_add (argv, (char *) "30");
  g_ptr_array_add (argv, (char *) "--url");
  g_ptr_array_add (argv, url);
  g_ptr_array_add (argv, (char *) "--ssl-reqd");
  g_ptr_array_add (argv, (char *) "--cacert");
  g_ptr_array_add (argv, info->ca_file);
  g_ptr_array_add (argv, (char *) "--mail-from");
  g_ptr_array_add (argv, info->from);
  g_ptr_array_add (argv, (char *) "--mail-rcpt");
  g_ptr_array_add (argv, info->to);
  if (auth != AUTH_NONE)
    {
      config = write_curl_config (dir, info, auth);
      g_ptr_array_add (argv, (char *) "--config");
      g_ptr_array_add (argv, config);
    }
  g_ptr_array_add (argv, (char *) "--upload-file");
  g_ptr_array_add (argv, message);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &result->out, &result->err, &status, &error);

  if (config != NULL)
    g_assert_cmpint (g_unlink (config), ==, 0);
  g_assert_cmpint (g_unlink (message), ==, 0);

  if (error != NULL)
    g_error ("Cannot run curl (is it installed?): %s", error->message);

  if (g_spawn_check_wait_status (status, &error))
    result->exit_code = 0;
  else if (error->domain == G_SPAWN_EXIT_ERROR)
    result->exit_code = error->code;
  else
    result->exit_code = -1;

  g_test_message ("curl %s (%s auth): exit %d%s%s", url,
                  auth == AUTH_NONE ? "no" : auth == AUTH_RIGHT ? "right" : "wrong",
                  result->exit_code, *result->err ? ", stderr:\n" : "",
                  g_strchomp (result->err));

  return result;
}

static char *
unique_subject (const char *what)
{
  g_autofree char *id = g_uuid_string_random ();

  return g_strdup_printf ("test-postfix %s %s", what, id);
}

/* Header fields of a delivered message, unfolded, in order. */
typedef struct {
  char *name;
  char *value;
} Header;

static void
header_free (gpointer data)
{
  Header *h = data;

  g_free (h->name);
  g_free (h->value);
  g_free (h);
}

static GPtrArray *
parse_headers (const char *text)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func (header_free);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  Header *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      const char *colon;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0)
        break; /* end of the header section */

      if ((line[0] == ' ' || line[0] == '\t') && current != NULL)
        {
          char *joined = g_strconcat (current->value, " ", g_strstrip (line), NULL);

          g_free (current->value);
          current->value = joined;
          continue;
        }

      colon = strchr (line, ':');
      g_assert_nonnull (colon);
      current = g_new0 (Header, 1);
      current->name = g_strndup (line, colon - line);
      current->value = g_strstrip (g_strdup (colon + 1));
      g_ptr_array_add (headers, current);
    }

  return headers;
}

static const char *
header_get (GPtrArray *headers, const char *name)
{
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (h->name, name) == 0)
        return h->value;
    }
  return NULL;
}

/* The path of the message with SUBJECT in DIR (a Maildir's new/, cur/ or
 * tmp/), or NULL. */
static char *
find_message_in (const char *dir, const char *subject)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *needle = g_strdup_printf ("\nSubject: %s\n", subject);
  const char *name;

  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;

      /* A file can vanish (moved by someone else) between listing and reading. */
      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      if (strstr (text, needle) != NULL)
        return g_steal_pointer (&path);
    }

  return NULL;
}

typedef struct {
  const char *new_dir;
  const char *subject;
  char       *found;
  gboolean    expired;
} WaitData;

static gboolean
poll_cb (gpointer user_data)
{
  WaitData *data = user_data;

  if (data->found == NULL)
    data->found = find_message_in (data->new_dir, data->subject);
  return G_SOURCE_CONTINUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  WaitData *data = user_data;

  data->expired = TRUE;
  return G_SOURCE_REMOVE;
}

static void
log_maillog_tail (const PostfixInfo *info)
{
  g_autofree char *log = NULL;
  const char *start;
  int lines = 0;

  if (!g_file_get_contents (info->log, &log, NULL, NULL))
    return;
  start = log + strlen (log);
  while (start > log && lines <= 20)
    {
      start--;
      if (*start == '\n')
        lines++;
    }
  g_test_message ("Last lines of %s:\n%s", info->log, start);
}

/* Waits, bounded, until the message with SUBJECT is in the Maildir's new/;
 * returns its path. */
static char *
wait_for_message (const PostfixInfo *info, const char *subject)
{
  g_autofree char *new_dir = g_build_filename (info->maildir, "new", NULL);
  WaitData data = { new_dir, subject, NULL, FALSE };
  guint poll_id, deadline_id;
  gint64 start = g_get_monotonic_time ();

  data.found = find_message_in (new_dir, subject);
  poll_id = g_timeout_add (POLL_INTERVAL_MS, poll_cb, &data);
  deadline_id = g_timeout_add (DELIVERY_TIMEOUT_MS, deadline_cb, &data);

  while (data.found == NULL && !data.expired)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (poll_id);
  if (!data.expired)
    g_source_remove (deadline_id);

  if (data.found == NULL)
    {
      log_maillog_tail (info);
      g_error ("No message with Subject \"%s\" in %s after %d ms", subject, new_dir,
               DELIVERY_TIMEOUT_MS);
    }

  g_test_message ("Delivered after %.0f ms: %s",
                  (g_get_monotonic_time () - start) / 1000.0, data.found);
  return data.found;
}

static const char *
header_require (GPtrArray *headers, const char *name)
{
  const char *value = header_get (headers, name);

  if (value == NULL)
    g_error ("The delivered message has no %s header", name);
  return value;
}

static void
assert_delivered_headers (const PostfixInfo *info, const char *path, const char *subject)
{
  g_autofree char *text = smtp_test_read_file (path);
  g_autoptr(GPtrArray) headers = parse_headers (text);
  g_autofree char *authenticated = g_strdup_printf ("(Authenticated sender: %s)", info->user);
  gboolean found_received = FALSE;

  g_assert_cmpstr (header_require (headers, "Subject"), ==, subject);
  g_assert_nonnull (strstr (header_require (headers, "From"), info->from));
  g_assert_nonnull (strstr (header_require (headers, "To"), info->to));
  g_assert_nonnull (strstr (header_require (headers, "Return-Path"), info->from));
  g_assert_cmpstr (header_require (headers, "Delivered-To"), ==, info->to);

  /* The topmost Received is the instance's own: authenticated submission
   * over TLS ("ESMTPSA", RFC 3848). */
  for (guint i = 0; i < headers->len; i++)
    {
      Header *h = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (h->name, "Received") != 0)
        continue;

      g_test_message ("Received: %s", h->value);
      g_assert_nonnull (strstr (h->value, "with ESMTPSA"));
      g_assert_nonnull (strstr (h->value, authenticated));
      g_assert_nonnull (strstr (h->value, "(using TLS"));
      g_assert_nonnull (strstr (h->value, "[127.0.0.1]"));
      found_received = TRUE;
      break;
    }
  g_assert_true (found_received);
}

/* Proves that the message with SUBJECT was not accepted: a message sent
 * afterwards with the right login arrives, and the other one is nowhere in
 * the Maildir. */
static void
assert_not_delivered (const PostfixInfo *info, const char *subject)
{
  g_autofree char *marker = unique_subject ("marker");
  g_autoptr(CurlResult) result = send_with_curl (info, FALSE, AUTH_RIGHT, FALSE, marker);
  g_autofree char *marker_path = NULL;
  const char *subdirs[] = { "new", "cur", "tmp" };

  g_assert_cmpint (result->exit_code, ==, 0);
  marker_path = wait_for_message (info, marker);

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (info->maildir, subdirs[i], NULL);
      g_autofree char *found = find_message_in (dir, subject);

      g_assert_null (found);
    }
}

static void
test_send_authenticated (gboolean implicit_tls)
{
  g_autoptr(PostfixInfo) info = postfix_info_get ();
  g_autofree char *subject = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CurlResult) result = NULL;

  if (info == NULL)
    return;

  subject = unique_subject (implicit_tls ? "implicit-tls" : "submission-starttls");
  result = send_with_curl (info, implicit_tls, AUTH_RIGHT, FALSE, subject);
  g_assert_cmpint (result->exit_code, ==, 0);

  path = wait_for_message (info, subject);
  assert_delivered_headers (info, path, subject);
}

static void
test_submission_starttls (void)
{
  g_test_summary ("An authenticated message over the submission port (STARTTLS required) "
                  "reaches the recipient's Maildir with an ESMTPSA Received header.");
  test_send_authenticated (FALSE);
}

static void
test_implicit_tls (void)
{
  g_test_summary ("An authenticated message over the implicit-TLS port "
                  "reaches the recipient's Maildir with an ESMTPSA Received header.");
  test_send_authenticated (TRUE);
}

static void
test_auth_required (void)
{
  g_autoptr(PostfixInfo) info = postfix_info_get ();
  g_autofree char *subject = NULL;
  g_autoptr(CurlResult) result = NULL;

  g_test_summary ("Without AUTH the instance refuses the message, on both ports, and "
                  "delivers nothing.");
  if (info == NULL)
    return;

  subject = unique_subject ("auth-required");
  /* Refused at RCPT TO with 554 5.7.1 (smtpd_recipient_restrictions). */
  result = send_with_curl (info, FALSE, AUTH_NONE, FALSE, subject);
  g_assert_cmpint (result->exit_code, !=, 0);
  g_assert_nonnull (strstr (result->err, "554"));
  g_clear_pointer (&result, curl_result_free);

  result = send_with_curl (info, TRUE, AUTH_NONE, FALSE, subject);
  g_assert_cmpint (result->exit_code, !=, 0);
  g_assert_nonnull (strstr (result->err, "554"));

  assert_not_delivered (info, subject);
}

static void
test_wrong_password (void)
{
  g_autoptr(PostfixInfo) info = postfix_info_get ();
  g_autofree char *subject = NULL;
  g_autoptr(CurlResult) result = NULL;

  g_test_summary ("A wrong password is refused with 535 and nothing is delivered.");
  if (info == NULL)
    return;

  subject = unique_subject ("wrong-password");
  /* curl 7.88 only says "Login denied"; its verbose trace has the reply. */
  result = send_with_curl (info, FALSE, AUTH_WRONG, TRUE, subject);
  g_assert_cmpint (result->exit_code, ==, CURL_EXIT_LOGIN_DENIED);
  g_assert_nonnull (strstr (result->err, "< 535 "));

  assert_not_delivered (info, subject);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/postfix/submission-starttls", test_submission_starttls);
  g_test_add_func ("/postfix/implicit-tls", test_implicit_tls);
  g_test_add_func ("/postfix/auth-required", test_auth_required);
  g_test_add_func ("/postfix/wrong-password", test_wrong_password);

  return g_test_run ();
}
