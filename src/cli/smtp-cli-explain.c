/* smtp-cli-explain.c: `smtp-setup explain`, a server reply in plain words
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli-explain.h"

#include "smtp-cli.h"
#include "smtp-core.h"
#include "smtp-json.h"

#include <glib/gi18n.h>
#include <string.h>

/* Each argument is one line of the reply; an argument may also hold several
 * lines, as a reply pasted whole does. */
static GPtrArray *
split_lines (int    argc,
             char **argv)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < argc; i++)
    {
      g_auto(GStrv) parts = g_strsplit (argv[i], "\n", -1);
      guint n = g_strv_length (parts);

      /* A trailing line end does not start another line. */
      if (n > 1 && parts[n - 1][0] == '\0')
        n--;

      for (guint j = 0; j < n; j++)
        {
          char *line = g_strdup (parts[j]);
          gsize length = strlen (line);

          if (length > 0 && line[length - 1] == '\r')
            line[length - 1] = '\0';
          g_ptr_array_add (lines, line);
        }
    }

  return lines;
}

/* Parses the lines as an SMTP reply. What does not parse (no code, codes
 * that differ, lines without codes) is still explained by its words: the
 * explainer then looks for a code at the start of the first line, and for an
 * enhanced status code anywhere. */
static SmtpReply *
make_reply (GPtrArray *lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  SmtpReply *reply;

  g_ptr_array_add (lines, NULL);
  data = g_strjoinv ("\r\n", (char **) lines->pdata);
  g_ptr_array_remove_index (lines, lines->len - 1);

  reply = smtp_reply_parse (data, -1, &error);
  if (reply != NULL)
    return reply;

  g_debug ("not an SMTP reply, explaining its words: %s", error->message);

  reply = g_new0 (SmtpReply, 1);
  reply->code = 0;
  reply->lines = g_new0 (char *, lines->len + 1);
  for (guint i = 0; i < lines->len; i++)
    reply->lines[i] = g_utf8_make_valid (g_ptr_array_index (lines, i), -1);
  reply->raw = g_steal_pointer (&data);

  return reply;
}

static void
print_json (const SmtpExplanation *explanation,
            const SmtpReply       *reply)
{
  g_autofree char *text = NULL;
  SmtpJson json;

  smtp_json_init (&json);
  smtp_json_begin_object (&json, NULL);
  smtp_json_string (&json, "category", explanation->category);
  smtp_json_string (&json, "title", explanation->title);
  smtp_json_string (&json, "explanation", explanation->explanation);
  smtp_json_string (&json, "advice", explanation->advice);

  smtp_json_begin_array (&json, "fixes");
  for (guint i = 0; i < explanation->fixes->len; i++)
    {
      const SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

      smtp_json_begin_object (&json, NULL);
      smtp_json_string (&json, "id", fix->id);
      smtp_json_string (&json, "label", fix->label);
      if (fix->port != 0)
        smtp_json_int (&json, "port", fix->port);
      else
        smtp_json_null (&json, "port");
      smtp_json_string (&json, "security",
                        fix->change_security ? smtp_security_to_id (fix->security) : NULL);
      smtp_json_end_object (&json);
    }
  smtp_json_end_array (&json);

  smtp_json_string (&json, "help_uri", explanation->help_uri);
  smtp_json_string (&json, "provider", explanation->provider);
  if (reply->code != 0)
    smtp_json_int (&json, "code", reply->code);
  else
    smtp_json_null (&json, "code");
  smtp_json_string (&json, "enhanced", reply->enhanced);
  smtp_json_end_object (&json);

  text = smtp_json_finish (&json);
  g_print ("%s\n", text);
}

static void
print_plain (const SmtpExplanation *explanation)
{
  g_print ("%s\n\n", explanation->title);
  g_print ("%s\n\n", explanation->explanation);
  g_print ("%s\n", _("What to try:"));
  g_print ("%s\n", explanation->advice);

  if (explanation->fixes->len > 0)
    {
      g_print ("\n%s\n", _("The app can try these changes:"));
      for (guint i = 0; i < explanation->fixes->len; i++)
        {
          const SmtpFix *fix = g_ptr_array_index (explanation->fixes, i);

          /* Translators: an item of a list, such as "• Use Port 465 with SSL/TLS". */
          g_print (_("• %s\n"), fix->label);
        }
    }

  if (explanation->help_uri != NULL)
    {
      g_print ("\n");
      /* Translators: %s is the address of a web page. */
      g_print (_("More help: %s\n"), explanation->help_uri);
    }
}

/**
 * smtp_cli_explain:
 * @argc: the number of arguments
 * @argv: the arguments, "explain" in argv[0]
 *
 * `smtp-setup explain [--json] [--stage STAGE] REPLY...`: classifies a
 * server reply and prints the explanation, in words or as one JSON object.
 *
 * Returns: 0 when the reply was explained, %SMTP_CLI_EXIT_FAILED when it
 *   is no failure (2xx, 3xx), %SMTP_CLI_EXIT_USAGE on usage errors
 */
int
smtp_cli_explain (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(SmtpExplanation) explanation = NULL;
  g_autofree char *stage_id = NULL;
  SmtpExplainContext explain_context = { 0, };
  SmtpStage stage = SMTP_STAGE_NONE;
  gboolean json = FALSE;
  gboolean any_text = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as one JSON object"), NULL },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage_id,
      N_("The stage the reply came at: greeting, ehlo, starttls, auth, mail, rcpt, data or message"),
      N_("STAGE") },
    { NULL }
  };

  context = g_option_context_new (_("REPLY…"));
  g_option_context_set_summary (context,
                                _("Explain a mail server’s reply, such as "
                                  "“535 5.7.8 Bad credentials”, in plain words."));
  g_option_context_set_description (context,
                                    _("Each REPLY is one line of the reply; a line may also "
                                      "hold several, as a reply pasted whole does."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (stage_id != NULL && !smtp_stage_from_id (stage_id, &stage))
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown stage “%s”: use greeting, ehlo, starttls, auth, mail, rcpt, "
                     "data or message."),
                   stage_id);
      goto usage;
    }

  lines = split_lines (argc - 1, argv + 1);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (g_ptr_array_index (lines, i)));

      if (*line != '\0')
        any_text = TRUE;
    }

  if (!any_text)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give the server’s reply to explain, such as "
                             "“535 5.7.8 Bad credentials”."));
      goto usage;
    }

  reply = make_reply (lines);

  /* The person pasted the reply: its words may name the provider. They are
   * never printed back (DESIGN.md, Security rules). */
  explain_context.reply_authenticated = TRUE;

  explanation = smtp_explain (NULL, stage, reply, &explain_context);
  if (explanation == NULL)
    {
      g_printerr (_("This reply means that the server accepted the request: there is nothing "
                    "to explain.\n"));
      return SMTP_CLI_EXIT_FAILED;
    }

  if (json)
    print_json (explanation, reply);
  else
    print_plain (explanation);

  return SMTP_CLI_EXIT_OK;

usage:
  g_printerr ("%s\n", error->message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return SMTP_CLI_EXIT_USAGE;
}
