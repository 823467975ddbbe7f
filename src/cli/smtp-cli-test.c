/* smtp-cli-test.c: `smtp-setup test`, one test from the terminal
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli-test.h"

#include "smtp-cli-accounts.h"
#include "smtp-cli.h"
#include "smtp-core.h"
#include "smtp-json.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>


typedef struct
{
  GMainLoop      *loop;
  SmtpTestResult *result;
  GCancellable   *cancellable;
  gboolean        quiet;
} Run;

static const char *
stage_description (SmtpStage stage)
{
  switch (stage)
    {
    case SMTP_STAGE_RESOLVE: return _("Looking up the server");
    case SMTP_STAGE_CONNECT: return _("Connecting");
    case SMTP_STAGE_TLS: return _("Securing the connection");
    case SMTP_STAGE_GREETING: return _("Waiting for the server’s greeting");
    case SMTP_STAGE_EHLO: return _("Introducing ourselves");
    case SMTP_STAGE_STARTTLS: return _("Asking for encryption");
    case SMTP_STAGE_AUTH: return _("Signing in");
    case SMTP_STAGE_MAIL: return _("Giving the sender");
    case SMTP_STAGE_RCPT: return _("Giving the recipient");
    case SMTP_STAGE_DATA: return _("Starting the message");
    case SMTP_STAGE_MESSAGE: return _("Sending the message");
    case SMTP_STAGE_DONE: return _("Done");
    case SMTP_STAGE_NONE:
    default:
      return _("Checking the settings");
    }
}

/* Exit statuses by the stage that failed: documented in --help and README. */
int
smtp_cli_test_exit_status (const SmtpTestResult *result)
{
  if (result->ok)
    return SMTP_CLI_EXIT_OK;

  if (g_error_matches (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return SMTP_CLI_EXIT_CANCELLED;

  switch (result->stage)
    {
    case SMTP_STAGE_RESOLVE: return 10;
    case SMTP_STAGE_CONNECT: return 11;
    case SMTP_STAGE_TLS: return 12;
    case SMTP_STAGE_GREETING: return 13;
    case SMTP_STAGE_EHLO: return 14;
    case SMTP_STAGE_STARTTLS: return 15;
    case SMTP_STAGE_AUTH: return 16;
    case SMTP_STAGE_MAIL: return 17;
    case SMTP_STAGE_RCPT: return 18;
    case SMTP_STAGE_DATA: return 19;
    case SMTP_STAGE_MESSAGE: return 20;
    case SMTP_STAGE_NONE:
      return SMTP_CLI_EXIT_USAGE;
    case SMTP_STAGE_DONE:
    default:
      return SMTP_CLI_EXIT_FAILED;
    }
}

static void
stage_changed_cb (SmtpClient     *client,
                  SmtpStage       stage,
                  SmtpStageState  state,
                  gint64          ms,
                  gpointer        user_data)
{
  Run *run = user_data;

  if (run->quiet || stage == SMTP_STAGE_DONE)
    return;

  switch (state)
    {
    case SMTP_STAGE_STATE_STARTED:
      g_printerr ("… %s\n", stage_description (stage));
      break;

    case SMTP_STAGE_STATE_SUCCEEDED:
      /* Translators: a finished step and how long it took, e.g. "✓ Connecting (12 ms)". */
      g_printerr (_("✓ %s (%ld ms)\n"), stage_description (stage), (long) ms);
      break;

    case SMTP_STAGE_STATE_FAILED:
    default:
      g_printerr (_("✗ %s (%ld ms)\n"), stage_description (stage), (long) ms);
      break;
    }
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->result = smtp_client_run_finish (SMTP_CLIENT (source), result);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static char *
format_time (GDateTime *time)
{
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
json_certificate (SmtpJson                  *json,
                  const SmtpCertificateInfo *info)
{
  static const struct {
    GTlsCertificateFlags flag;
    const char *id;
  } flags[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, "unknown-ca" },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, "bad-identity" },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, "not-activated" },
    { G_TLS_CERTIFICATE_EXPIRED, "expired" },
    { G_TLS_CERTIFICATE_REVOKED, "revoked" },
    { G_TLS_CERTIFICATE_INSECURE, "insecure" },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, "generic-error" },
  };
  g_autofree char *not_before = format_time (info->not_before);
  g_autofree char *not_after = format_time (info->not_after);

  smtp_json_begin_object (json, "certificate");
  smtp_json_string (json, "subject", info->subject);
  smtp_json_string (json, "issuer", info->issuer);
  smtp_json_string (json, "not_before", not_before);
  smtp_json_string (json, "not_after", not_after);
  smtp_json_string (json, "sha256", info->sha256);
  smtp_json_boolean (json, "pinned", info->pinned);
  smtp_json_boolean (json, "trusted_by_ca_file", info->trusted_by_ca_file);
  smtp_json_begin_array (json, "errors");
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      if (info->errors & flags[i].flag)
        smtp_json_string (json, NULL, flags[i].id);
    }
  smtp_json_end_array (json);
  smtp_json_end_object (json);
}

static void
print_json (const SmtpTestResult  *result,
            const SmtpTestOptions *options,
            const SmtpExplanation *explanation,
            gboolean               transcript)
{
  g_autofree char *reply = smtp_test_result_dup_reply_text (result, options);
  g_autofree char *out = NULL;
  SmtpJson json;

  smtp_json_init (&json);
  smtp_json_begin_object (&json, NULL);
  smtp_json_boolean (&json, "ok", result->ok);
  smtp_json_string (&json, "stage", smtp_stage_to_id (result->stage));
  if (explanation != NULL)
    {
      smtp_json_string (&json, "category", explanation->category);
      smtp_json_string (&json, "title", explanation->title);
      smtp_json_string (&json, "explanation", explanation->explanation);
      smtp_json_string (&json, "advice", explanation->advice);
    }
  else
    {
      smtp_json_null (&json, "category");
      smtp_json_string (&json, "title", options->check_only
                                        ? _("The connection and sign-in work")
                                        : _("The test email was sent"));
      smtp_json_null (&json, "advice");
    }
  smtp_json_string (&json, "reply", reply);
  if (result->reply != NULL)
    {
      smtp_json_int (&json, "code", result->reply->code);
      smtp_json_string (&json, "enhanced", result->reply->enhanced);
    }
  smtp_json_string (&json, "error", result->error ? result->error->message : NULL);

  smtp_json_begin_array (&json, "fixes");
  for (guint i = 0; explanation != NULL && i < explanation->fixes->len; i++)
    {
      SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

      smtp_json_begin_object (&json, NULL);
      smtp_json_string (&json, "id", fix->id);
      smtp_json_string (&json, "label", fix->label);
      if (fix->port != 0)
        smtp_json_int (&json, "port", fix->port);
      else
        smtp_json_null (&json, "port");
      smtp_json_string (&json, "security",
                        fix->change_security ? smtp_security_to_id (fix->security) : NULL);
      smtp_json_string (&json, "user", fix->user);
      smtp_json_end_object (&json);
    }
  smtp_json_end_array (&json);
  if (explanation != NULL)
    {
      smtp_json_string (&json, "help_uri", explanation->help_uri);
      smtp_json_string (&json, "provider", explanation->provider);
    }

  smtp_json_int (&json, "elapsed_ms", result->elapsed_ms);
  smtp_json_int (&json, "round_trips", result->round_trips);
  smtp_json_string (&json, "auth_mechanism",
                    result->auth_mechanism != SMTP_AUTH_MECHANISM_AUTO
                    ? smtp_auth_mechanism_to_name (result->auth_mechanism) : NULL);

  smtp_json_begin_object (&json, "stages");
  for (int s = SMTP_STAGE_RESOLVE; s < SMTP_STAGE_DONE; s++)
    {
      if (result->stage_ms[s] > 0 || s <= (int) result->stage)
        smtp_json_int (&json, smtp_stage_to_id (s), result->stage_ms[s]);
    }
  smtp_json_end_object (&json);

  if (result->tls_version != NULL || result->certificate != NULL)
    {
      smtp_json_begin_object (&json, "tls");
      smtp_json_string (&json, "version", result->tls_version);
      smtp_json_string (&json, "cipher", result->tls_cipher);
      if (result->certificate != NULL)
        json_certificate (&json, result->certificate);
      smtp_json_end_object (&json);
    }
  else
    {
      smtp_json_null (&json, "tls");
    }

  if (transcript)
    smtp_json_string (&json, "transcript", result->transcript);

  smtp_json_end_object (&json);
  out = smtp_json_finish (&json);
  g_print ("%s\n", out);
}

static void
print_plain (const SmtpTestResult  *result,
             const SmtpTestOptions *options,
             const SmtpExplanation *explanation,
             gboolean               transcript)
{
  g_autofree char *reply = smtp_test_result_dup_reply_text (result, options);

  if (transcript && result->transcript != NULL)
    g_print ("%s\n", result->transcript);

  if (result->ok)
    {
      if (options->check_only)
        g_print ("%s\n", _("The connection and sign-in work."));
      else
        g_print (_("The test email was sent to %s.\n"),
                 options->to != NULL ? options->to : options->from);
      if (result->tls_version != NULL)
        /* Translators: %s is a protocol version such as "TLS 1.3". */
        g_print (_("The connection was encrypted with %s.\n"), result->tls_version);
      else
        g_print ("%s\n", _("The connection was not encrypted."));
      g_print (_("It took %ld ms.\n"), (long) result->elapsed_ms);
      return;
    }

  if (explanation != NULL)
    {
      g_print ("%s\n\n%s\n\n", explanation->title, explanation->explanation);
      g_print ("%s\n%s\n", _("What to try:"), explanation->advice);
      for (guint i = 0; i < explanation->fixes->len; i++)
        {
          SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

          g_print ("  • %s\n", fix->label);
        }
      if (explanation->help_uri != NULL)
        g_print (_("More help: %s\n"), explanation->help_uri);
    }

  g_print ("\n%s\n", _("Technical details:"));
  g_print (_("  Stage: %s\n"), smtp_stage_to_id (result->stage));
  if (reply != NULL)
    g_print (_("  Server reply: %s\n"), reply);
  if (result->error != NULL)
    g_print (_("  Error: %s\n"), result->error->message);
}

static gboolean
parse_port (const char  *text,
            guint16     *port,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The port must be a number from 1 to 65535, not “%s”."), text);
      return FALSE;
    }

  *port = value;
  return TRUE;
}

int
smtp_cli_test (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpTestOptions) options = smtp_test_options_new ();
  g_autoptr(SmtpClient) client = NULL;
  g_autoptr(SmtpExplanation) explanation = NULL;
  g_autofree char *host = NULL, *port_text = NULL, *security = NULL, *user = NULL;
  g_autofree char *auth = NULL, *from = NULL, *to = NULL, *ca_file = NULL, *pin = NULL;
  g_autofree char *account = NULL, *helo = NULL;
  g_autoptr(SmtpCliSavedAccount) saved = NULL;
  int timeout = 30, exit_status;
  gboolean password_stdin = FALSE, check_only = FALSE, transcript = FALSE, json = FALSE;
  gboolean allow_plaintext = FALSE;
  Run run = { 0 };
  guint sigint_id, sigterm_id;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port_text,
      N_("The port (587, 465 or 25); chosen from the security when left out"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security,
      N_("starttls, tls or none; chosen from the port when left out"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The user name to sign in with (the sender address when left out)"), N_("USER") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input"), NULL },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth,
      N_("auto, plain, login, cram-md5 or xoauth2 (the token on standard input)"),
      N_("METHOD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The sender address"), N_("ADDRESS") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to,
      N_("The recipient address (the sender when left out)"), N_("ADDRESS") },
    { "check-only", 0, 0, G_OPTION_ARG_NONE, &check_only,
      N_("Connect and sign in, send nothing"), NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "pin-sha256", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("Trust exactly the server certificate with this SHA-256 fingerprint"), N_("HEX") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("The most one step may take in total (default 30)"), N_("SECONDS") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      N_("Use a saved account; other options override its settings"), N_("NAME") },
    { "transcript", 0, 0, G_OPTION_ARG_NONE, &transcript,
      N_("Print the conversation, password removed"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { "allow-plaintext-password", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
      N_("Allow sending the password over an unencrypted connection (unsafe)"), NULL },
    { "helo", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &helo, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Send a test email, or only check the sign-in."));
  g_option_context_set_description (context,
    _("Exit status: 0 success; 2 wrong options; 10 looking up the server failed; "
      "11 connecting; 12 securing the connection; 13 greeting; 14 EHLO; 15 STARTTLS; "
      "16 signing in; 17 sender; 18 recipient; 19 DATA; 20 the message; 1 anything else; "
      "130 cancelled."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (argc > 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”."), argv[1]);
      goto usage;
    }

  /* A saved account fills the options the command line left out. */
  if (account != NULL)
    {
      saved = smtp_cli_saved_account_load (account, &exit_status);
      if (saved == NULL)
        return exit_status;
      smtp_cli_saved_account_fill (saved, &host, &port_text, &security, &user, &auth, &from,
                                   &ca_file, &pin, &allow_plaintext);
    }

  if (host == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Which server? Give it with --host."));
      goto usage;
    }

  if (security != NULL && !smtp_security_from_id (security, &options->security))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The security must be starttls, tls or none, not “%s”."), security);
      goto usage;
    }

  if (port_text != NULL && !parse_port (port_text, &options->port, &error))
    goto usage;

  /* RFC 8314: 465 is implicit TLS; 587 and 25 start plain and use STARTTLS. */
  if (port_text == NULL)
    options->port = options->security == SMTP_SECURITY_TLS ? 465
                    : options->security == SMTP_SECURITY_NONE ? 25 : 587;
  else if (security == NULL)
    options->security = options->port == 465 ? SMTP_SECURITY_TLS : SMTP_SECURITY_STARTTLS;

  if (auth != NULL && !smtp_auth_mechanism_from_id (auth, &options->auth))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The sign-in method must be auto, plain, login, cram-md5 or xoauth2, "
                     "not “%s”."), auth);
      goto usage;
    }

  if (timeout < 1 || timeout > 3600)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The timeout must be from 1 to 3600 seconds."));
      goto usage;
    }

  if (!check_only && from == NULL)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Who sends the test email? Give the sender with --from, or "
                             "use --check-only."));
      goto usage;
    }

  if (ca_file != NULL)
    {
      options->ca_database = g_tls_file_database_new (ca_file, &error);
      if (options->ca_database == NULL)
        {
          g_prefix_error (&error, _("Could not read the certificate file: "));
          goto usage;
        }
    }

  options->host = g_steal_pointer (&host);
  options->from = g_steal_pointer (&from);
  options->to = g_steal_pointer (&to);
  options->user = user != NULL ? g_steal_pointer (&user) : g_strdup (options->from);
  options->check_only = check_only;
  options->pin_sha256 = g_steal_pointer (&pin);
  options->allow_plaintext_auth = allow_plaintext;
  options->helo_name = g_steal_pointer (&helo);
  options->step_timeout_ms = timeout * 1000;

  if (password_stdin)
    {
      char *secret = smtp_cli_read_secret (&error);

      if (secret == NULL)
        goto usage;

      if (options->auth == SMTP_AUTH_MECHANISM_XOAUTH2)
        options->oauth_token = secret;
      else
        options->password = secret;
    }

  /* The saved account's password comes from the keyring. */
  if (saved != NULL && !smtp_cli_saved_account_apply (saved, options, json, &exit_status))
    return exit_status;

  if (options->user == NULL && (options->password != NULL || options->oauth_token != NULL))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Whose password? Give the user name with --user."));
      goto usage;
    }

  if (!smtp_test_options_validate (options, &error))
    goto usage;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.quiet = FALSE;

  client = smtp_client_new ();
  g_signal_connect (client, "stage-changed", G_CALLBACK (stage_changed_cb), &run);

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  smtp_client_run_async (client, options, run.cancellable, run_cb, &run);
  g_main_loop_run (run.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (saved != NULL)
    smtp_cli_saved_account_record (saved, run.result, options);

  if (!run.result->ok)
    explanation = smtp_explain_result (run.result, options);

  if (json)
    print_json (run.result, options, explanation, transcript);
  else
    print_plain (run.result, options, explanation, transcript);

  exit_status = smtp_cli_test_exit_status (run.result);

  smtp_test_result_free (run.result);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);

  return exit_status;

usage:
  g_printerr ("%s\n", error->message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return SMTP_CLI_EXIT_USAGE;
}
