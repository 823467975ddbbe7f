/* smtp-cli-detect.c: `smtp-setup detect`, the settings for an email address
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli-detect.h"

#include "smtp-autoconfig.h"
#include "smtp-cli.h"
#include "smtp-json.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#define DEFAULT_TIMEOUT_S 10
#define MAX_TIMEOUT_S     300

typedef struct
{
  GMainLoop            *loop;
  GCancellable         *cancellable;
  SmtpAutoconfigResult *result;
  GError               *error;
  gboolean              quiet;
} Run;

static const char *
source_name (SmtpCandidateSource source)
{
  switch (source)
    {
    case SMTP_CANDIDATE_SOURCE_PROVIDERS: return _("the built-in list of providers");
    case SMTP_CANDIDATE_SOURCE_SRV: return _("the domain’s DNS (SRV) records");
    case SMTP_CANDIDATE_SOURCE_MX: return _("the domain’s mail servers (MX records)");
    case SMTP_CANDIDATE_SOURCE_AUTOCONFIG: return _("the domain’s own settings file");
    case SMTP_CANDIDATE_SOURCE_ISPDB: return _("Thunderbird’s public settings database");
    case SMTP_CANDIDATE_SOURCE_GUESS:
    default:
      return _("a usual server name and port");
    }
}

static const char *
progress_name (const char *source)
{
  if (g_str_equal (source, "providers"))
    return _("Looking in the built-in list of providers");
  if (g_str_equal (source, "srv"))
    return _("Looking up the domain’s DNS (SRV) records");
  if (g_str_equal (source, "mx"))
    return _("Looking up the domain’s mail servers (MX)");
  if (g_str_equal (source, "autoconfig"))
    return _("Asking the domain’s web server for a settings file");
  if (g_str_equal (source, "ispdb"))
    return _("Asking Thunderbird’s public settings database");
  return _("Trying the candidate servers");
}

static void
source_started_cb (SmtpAutoconfig *autoconfig,
                   const char     *source,
                   gpointer        user_data)
{
  Run *run = user_data;

  if (!run->quiet)
    g_printerr ("… %s\n", progress_name (source));
}

static void
source_finished_cb (SmtpAutoconfig *autoconfig,
                    const char     *source,
                    guint           n_found,
                    gpointer        user_data)
{
  Run *run = user_data;

  if (run->quiet)
    return;

  /* Translators: a finished step and what it found, e.g. "✓ Looking up … (2 found)". */
  g_printerr (_("✓ %s (%u found)\n"), progress_name (source), n_found);
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  run->result = smtp_autoconfig_detect_finish (SMTP_AUTOCONFIG (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  Run *run = user_data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_json (const SmtpAutoconfigResult *result)
{
  g_autofree char *out = NULL;
  SmtpJson json;

  smtp_json_init (&json);
  smtp_json_begin_object (&json, NULL);
  smtp_json_string (&json, "address", result->address);
  if (result->provider != NULL)
    {
      smtp_json_string (&json, "provider", result->provider->name);
      smtp_json_string (&json, "provider_id", result->provider->id);
      smtp_json_string (&json, "help_uri", result->provider->help_uri);
    }
  else
    {
      smtp_json_null (&json, "provider");
      smtp_json_null (&json, "provider_id");
      smtp_json_null (&json, "help_uri");
    }

  smtp_json_begin_array (&json, "candidates");
  for (guint i = 0; i < result->candidates->len; i++)
    {
      const SmtpCandidate *candidate = g_ptr_array_index (result->candidates, i);

      smtp_json_begin_object (&json, NULL);
      smtp_json_string (&json, "host", candidate->host);
      smtp_json_int (&json, "port", candidate->port);
      smtp_json_string (&json, "security", smtp_security_to_id (candidate->security));
      smtp_json_string (&json, "username", candidate->username);
      smtp_json_string (&json, "source", smtp_candidate_source_to_id (candidate->source));
      smtp_json_int (&json, "rank", candidate->rank);
      smtp_json_boolean (&json, "verified", candidate->verified);
      smtp_json_end_object (&json);
    }
  smtp_json_end_array (&json);

  smtp_json_begin_array (&json, "notes");
  for (guint i = 0; result->notes[i] != NULL; i++)
    smtp_json_string (&json, NULL, result->notes[i]);
  smtp_json_end_array (&json);

  smtp_json_boolean (&json, "timed_out", result->timed_out);
  smtp_json_int (&json, "elapsed_ms", result->elapsed_ms);
  smtp_json_end_object (&json);

  out = smtp_json_finish (&json);
  g_print ("%s\n", out);
}

static void
print_plain (const SmtpAutoconfigResult *result)
{
  if (result->provider != NULL)
    /* Translators: the first %s is an email address, the second a provider such as "Gmail". */
    g_print (_("Outgoing server settings for %s (%s):\n"), result->address,
             result->provider->name);
  else
    g_print (_("Outgoing server settings for %s:\n"), result->address);

  if (result->candidates->len == 0)
    g_print ("  %s\n", _("None found."));

  for (guint i = 0; i < result->candidates->len; i++)
    {
      const SmtpCandidate *candidate = g_ptr_array_index (result->candidates, i);

      /* Translators: one proposal, e.g. "1. smtp.example.com, port 465, SSL/TLS,
       * user name ada@example.com". */
      g_print (_("  %d. %s, port %u, %s, user name %s\n"), candidate->rank, candidate->host,
               candidate->port, smtp_security_get_display_name (candidate->security), candidate->username);
      if (candidate->verified)
        /* Translators: %s is where a proposal came from, e.g. "the built-in list of providers". */
        g_print (_("     from %s; the server answered\n"), source_name (candidate->source));
      else
        g_print (_("     from %s\n"), source_name (candidate->source));
    }

  for (guint i = 0; result->notes[i] != NULL; i++)
    g_print ("\n%s\n", result->notes[i]);

  if (result->provider != NULL && result->provider->help_uri != NULL)
    g_print ("\n%s %s\n", _("Help:"), result->provider->help_uri);
}

static gboolean
env_is_true (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' && !g_str_equal (value, "0") &&
         g_ascii_strcasecmp (value, "false") != 0 && g_ascii_strcasecmp (value, "no") != 0;
}

/**
 * smtp_cli_detect:
 * @argc: the command's argument count
 * @argv: the command's arguments, "detect" in argv[0]
 *
 * `smtp-setup detect [--json] [--no-probe] [--no-online] [--ca-file PEM]
 * [--timeout SECONDS] EMAIL`. Online lookups are also off when the
 * environment variable SMTP_SETUP_NO_ONLINE is set to 1.
 *
 * Returns: 0 when at least one candidate was found, 1 when none, 2 for a
 *   usage error or an invalid address, 130 when interrupted
 */
int
smtp_cli_detect (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpAutoconfig) autoconfig = NULL;
  g_autofree char *ca_file = NULL;
  gboolean json = FALSE, no_probe = FALSE, no_online = FALSE;
  int timeout = DEFAULT_TIMEOUT_S, exit_status;
  SmtpAutoconfigFlags flags = SMTP_AUTOCONFIG_FLAGS_NONE;
  guint sigint_id, sigterm_id;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { "no-probe", 0, 0, G_OPTION_ARG_NONE, &no_probe,
      N_("Do not connect to the candidate servers"), NULL },
    { "no-online", 0, 0, G_OPTION_ARG_NONE, &no_online,
      N_("Do not ask web servers (the domain’s own and Thunderbird’s settings database)"),
      NULL },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("The most the whole search may take (default 10)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("EMAIL"));
  g_option_context_set_summary (context,
                                _("Find the outgoing server settings for an email address."));
  g_option_context_set_description (context,
    _("Sources: the built-in list of providers, DNS (SRV and MX records), the domain’s own "
      "settings file and Thunderbird’s public settings database (online lookups: these web "
      "servers learn the address or its domain), and probes that read each server’s greeting "
      "without signing in. Online lookups are off with --no-online or when the environment "
      "variable SMTP_SETUP_NO_ONLINE is 1.\n\n"
      "Exit status: 0 settings found; 1 none found; 2 wrong options or address; "
      "130 cancelled."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (argc != 2)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           argc < 2 ? _("Give one email address.")
                                    : _("Give only one email address."));
      goto usage;
    }

  if (timeout < 1 || timeout > MAX_TIMEOUT_S)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The timeout must be between 1 and %d seconds."), MAX_TIMEOUT_S);
      goto usage;
    }

  autoconfig = smtp_autoconfig_new ();
  smtp_autoconfig_set_timeout (autoconfig, (guint) timeout * 1000);

  if (ca_file != NULL)
    {
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      if (database == NULL)
        goto usage;
      smtp_autoconfig_set_ca_database (autoconfig, database);
    }

  if (no_probe)
    flags |= SMTP_AUTOCONFIG_FLAGS_NO_PROBE;
  if (no_online || env_is_true ("SMTP_SETUP_NO_ONLINE"))
    flags |= SMTP_AUTOCONFIG_FLAGS_NO_ONLINE;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.quiet = json;
  g_signal_connect (autoconfig, "source-started", G_CALLBACK (source_started_cb), &run);
  g_signal_connect (autoconfig, "source-finished", G_CALLBACK (source_finished_cb), &run);

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, &run);

  smtp_autoconfig_detect_async (autoconfig, argv[1], flags, run.cancellable, detect_cb, &run);
  g_main_loop_run (run.loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);

  if (run.result == NULL)
    {
      g_printerr ("%s\n", run.error->message);
      exit_status = g_error_matches (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                    ? SMTP_CLI_EXIT_CANCELLED : SMTP_CLI_EXIT_USAGE;
      g_error_free (run.error);
      return exit_status;
    }

  if (json)
    print_json (run.result);
  else
    print_plain (run.result);

  exit_status = run.result->candidates->len > 0 ? SMTP_CLI_EXIT_OK : SMTP_CLI_EXIT_FAILED;
  smtp_autoconfig_result_free (run.result);

  return exit_status;

usage:
  g_printerr ("%s\n", error->message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return SMTP_CLI_EXIT_USAGE;
}
