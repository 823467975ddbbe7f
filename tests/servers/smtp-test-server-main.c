/* smtp-test-server-main.c: the scriptable SMTP test server as a program
 *
 * smtp-test-server --security plain|starttls|tls [--cert FILE --key FILE]
 *                  [--user U --password-file FILE] [--script FILE]
 *
 * Prints the port it listens on (127.0.0.1, chosen by the kernel) as one
 * line on stdout, then serves until stdin reaches end of file or it gets
 * SIGTERM or SIGINT; then it stops cleanly and exits 0. Keep its stdin open
 * (a pipe) for as long as it should run.
 *
 * The script file has one rule per line, in the order they are tried:
 *   COMMAND NTH ACTION DELAY_MS TEXT
 * COMMAND is GREETING, EHLO, HELO, STARTTLS, AUTH, AUTH-RESPONSE, MAIL,
 * RCPT, DATA, MESSAGE, QUIT, RSET, NOOP or * (any); NTH is 0 for every
 * occurrence or n for the n-th in a connection; ACTION is REPLY, CLOSE,
 * SILENCE, DRIP, FLOOD, LONG_LINE or TLS_STALL; TEXT is the rest of the line
 * after one blank, where \r, \n, \t and \\ stand for CR, LF, tab and a
 * backslash. Empty lines and lines starting with # are ignored. Example:
 *   # refuse the second MAIL of a connection, slowly
 *   MAIL 2 REPLY 500 451 4.3.0 Try again later\r\n
 * See smtp_test_server_add_rule() for what each action does.
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-test-server"

#include "config.h"

#include "smtp-test-server.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[256];
  gssize n;

  n = read (fd, buffer, sizeof buffer);
  if (n > 0)
    return G_SOURCE_CONTINUE;

  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
load_script (SmtpTestServer  *server,
             const char      *path,
             GError         **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (!smtp_test_server_add_rule_from_line (server, lines[i], error))
        {
          g_prefix_error (error, "%s:%u: ", path, i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *security_name = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *script = NULL;
  SmtpTestSecurity security;
  GOptionEntry entries[] = {
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_name, "plain, starttls or tls", "MODE" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "PEM certificate", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "PEM private key", "FILE" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The user AUTH accepts", "USER" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      "File holding the password (a trailing newline is ignored)", "FILE" },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script, "Rules, one per line", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("- scriptable SMTP server for tests");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (g_strcmp0 (security_name, "plain") == 0)
    security = SMTP_TEST_SECURITY_PLAIN;
  else if (g_strcmp0 (security_name, "starttls") == 0)
    security = SMTP_TEST_SECURITY_STARTTLS;
  else if (g_strcmp0 (security_name, "tls") == 0)
    security = SMTP_TEST_SECURITY_TLS;
  else
    {
      g_printerr ("--security must be plain, starttls or tls\n");
      return 2;
    }

  if (security != SMTP_TEST_SECURITY_PLAIN && (cert == NULL || key == NULL))
    {
      g_printerr ("--cert and --key are needed with --security %s\n", security_name);
      return 2;
    }

  if (password_file != NULL)
    {
      if (!g_file_get_contents (password_file, &password, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_strchomp (password);
    }

  server = smtp_test_server_new (security, cert, key, &error);
  if (server == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  smtp_test_server_set_credentials (server, user, password);

  if (script != NULL && !load_script (server, script, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);

  g_print ("%u\n", smtp_test_server_get_port (server));
  fflush (stdout);

  g_main_loop_run (loop);

  smtp_test_server_stop (server);

  return 0;
}
