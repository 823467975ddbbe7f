/* test-reply.c: parsing of server replies and their enhanced status codes
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

#define OK (-1)

/* Replies as real servers send them, and broken ones. @text is the lines
 * joined by "\n"; @n_lines the number of lines. */
typedef struct {
  const char *name;
  const char *input;
  int error;
  int code;
  const char *enhanced;
  const char *text;
  guint n_lines;
} ReplyCase;

static const ReplyCase cases[] = {
  { "simple", "250 OK\r\n", OK, 250, NULL, "OK", 1 },
  { "multiline",
    "250-smtp.example.com Hello [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
    "250-AUTH LOGIN PLAIN XOAUTH2\r\n250 ENHANCEDSTATUSCODES\r\n", OK, 250, NULL,
    "smtp.example.com Hello [192.0.2.1]\nSIZE 35882577\n8BITMIME\nAUTH LOGIN PLAIN XOAUTH2\n"
    "ENHANCEDSTATUSCODES", 5 },
  { "queued", "250 2.0.0 Ok: queued as ABC\r\n", OK, 250, "2.0.0", "Ok: queued as ABC", 1 },
  { "multiline-gmail-bad-credentials",
    "535-5.7.8 Username and Password not accepted. Learn more at\r\n"
    "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a.. - gsmtp\r\n",
    OK, 535, "5.7.8",
    "Username and Password not accepted. Learn more at\n"
    "https://support.google.com/mail/?p=BadCredentials x1-20020a.. - gsmtp", 2 },
  { "microsoft-auth-disabled",
    "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[DM6PR11CA0012.namprd11.prod.outlook.com 2026-11-29T08:00:00.000Z 08DC]\r\n",
    OK, 535, "5.7.139",
    "Authentication unsuccessful, SmtpClientAuthentication is disabled for the "
    "Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
    "[DM6PR11CA0012.namprd11.prod.outlook.com 2026-11-29T08:00:00.000Z 08DC]", 1 },
  { "gmail-try-later", "421 4.7.0 Try again later, closing connection. (EHLO) - gsmtp\r\n",
    OK, 421, "4.7.0", "Try again later, closing connection. (EHLO) - gsmtp", 1 },
  { "greylisted",
    "450 4.2.0 <ada@example.com>: Recipient address rejected: Greylisted\r\n",
    OK, 450, "4.2.0", "<ada@example.com>: Recipient address rejected: Greylisted", 1 },
  { "no-enhanced-code", "554 Transaction failed\r\n", OK, 554, NULL, "Transaction failed", 1 },
  { "class-mismatch", "550 4.7.1 Client host rejected\r\n", OK, 550, NULL,
    "4.7.1 Client host rejected", 1 },
  { "class-three-never", "354 3.0.0 go ahead\r\n", OK, 354, NULL, "3.0.0 go ahead", 1 },
  { "enhanced-alone", "250 2.1.5\r\n", OK, 250, "2.1.5", "", 1 },
  { "enhanced-detail-too-long", "550 5.1.1000 nope\r\n", OK, 550, NULL, "5.1.1000 nope", 1 },
  { "enhanced-trailing-dot", "550 5.1.1. nope\r\n", OK, 550, NULL, "5.1.1. nope", 1 },
  { "enhanced-glued", "550 5.1.1nope\r\n", OK, 550, NULL, "5.1.1nope", 1 },
  { "enhanced-three-digits", "550 5.123.456 x\r\n", OK, 550, "5.123.456", "x", 1 },
  { "enhanced-other-code-later",
    "550-5.7.1 first\r\n550 5.7.2 second\r\n", OK, 550, "5.7.1", "first\n5.7.2 second", 2 },
  { "enhanced-only-first-line",
    "550-first\r\n550 5.7.1 second\r\n", OK, 550, NULL, "first\n5.7.1 second", 2 },
  { "data-go-ahead", "354 Start mail input; end with <CRLF>.<CRLF>\r\n", OK, 354, NULL,
    "Start mail input; end with <CRLF>.<CRLF>", 1 },
  { "auth-challenge", "334 VXNlcm5hbWU6\r\n", OK, 334, NULL, "VXNlcm5hbWU6", 1 },
  { "auth-empty-challenge", "334 \r\n", OK, 334, NULL, "", 1 },
  { "lone-code", "250\r\n", OK, 250, NULL, "", 1 },
  { "lone-code-no-crlf", "250", OK, 250, NULL, "", 1 },
  { "no-final-crlf", "220 mail.example.com ESMTP", OK, 220, NULL, "mail.example.com ESMTP", 1 },
  { "multiline-bare-lf",
    "250-mail.example.com\n250-PIPELINING\n250 8BITMIME\n", OK, 250, NULL,
    "mail.example.com\nPIPELINING\n8BITMIME", 3 },
  { "mixed-line-ends", "250-a\r\n250-b\n250 c\r\n", OK, 250, NULL, "a\nb\nc", 3 },
  { "empty-continuation", "250-\r\n250 done\r\n", OK, 250, NULL, "\ndone", 2 },
  { "two-spaces-kept", "250  two spaces\r\n", OK, 250, NULL, " two spaces", 1 },
  { "not-utf8", "550 caf\xe9 ferm\xc3\xa9\r\n", OK, 550, NULL, "caf\xef\xbf\xbd ferm\xc3\xa9", 1 },
  { "control-characters", "550 a\x1b[31mb\x7f\xc2\x9b" "c\td\r\n", OK, 550, NULL,
    "a\xef\xbf\xbd[31mb\xef\xbf\xbd\xef\xbf\xbd" "c\td", 1 },
  { "stray-cr", "250 a\rb\r\n", OK, 250, NULL, "a\xef\xbf\xbd" "b", 1 },

  { "empty", "", SMTP_REPLY_ERROR_INCOMPLETE, 0, NULL, NULL, 0 },
  { "continuation-only", "250-", SMTP_REPLY_ERROR_INCOMPLETE, 0, NULL, NULL, 0 },
  { "last-line-missing", "250-mail.example.com\r\n250-SIZE 1000\r\n",
    SMTP_REPLY_ERROR_INCOMPLETE, 0, NULL, NULL, 0 },
  { "mixed-codes", "250-a\r\n251 b\r\n", SMTP_REPLY_ERROR_CODE_MISMATCH, 0, NULL, NULL, 0 },
  { "mixed-classes", "250-a\r\n550 b\r\n", SMTP_REPLY_ERROR_CODE_MISMATCH, 0, NULL, NULL, 0 },
  { "garbage", "garbage\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "http", "HTTP/1.1 400 Bad Request\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "tls-record", "\x16\x03\x01\x02\xfc\x03\x03", SMTP_REPLY_ERROR_SYNTAX,
    0, NULL, NULL, 0 },
  { "code-600", "600 no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "code-199", "199 no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "code-two-digits", "25 no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "code-four-digits", "2500 no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "code-letters", "2x0 no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "bad-separator", "250_no\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "tab-separator", "250\tno\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "leading-space", " 250 ok\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "empty-line", "\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "empty-line-inside", "250-a\r\n\r\n250 b\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
  { "data-after-last-line", "250 ok\r\n250 again\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL,
    0 },
  { "blank-line-after-last", "250 ok\r\n\r\n", SMTP_REPLY_ERROR_SYNTAX, 0, NULL, NULL, 0 },
};

static void
test_reply_parse (gconstpointer data)
{
  const ReplyCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpReply) reply = NULL;
  g_autofree char *text = NULL;

  reply = smtp_reply_parse (c->input, -1, &error);

  if (c->error != OK)
    {
      g_assert_error (error, SMTP_REPLY_ERROR, c->error);
      g_assert_null (reply);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpint (reply->code, ==, c->code);
  g_assert_cmpstr (reply->enhanced, ==, c->enhanced);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, c->n_lines);
  text = smtp_reply_get_text (reply);
  g_assert_cmpstr (text, ==, c->text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  /* raw is the input, byte for byte. */
  g_assert_cmpstr (reply->raw, ==, c->input);
}

/* The same cases, fed line by line as the client reads them. */
static void
test_reply_feed (gconstpointer data)
{
  const ReplyCase *c = data;
  g_autoptr(SmtpReplyParser) parser = smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpReply) reply = NULL;
  g_autofree char *text = NULL;
  const char *p = c->input;
  gboolean failed = FALSE, trailing = FALSE;

  while (*p != '\0')
    {
      const char *newline = strchr (p, '\n');
      gsize length = newline != NULL ? (gsize) (newline - p) : strlen (p);

      if (smtp_reply_parser_is_done (parser))
        {
          trailing = TRUE;
          break;
        }
      if (!smtp_reply_parser_feed_line (parser, p, length, &error))
        {
          failed = TRUE;
          break;
        }
      p += length + (newline != NULL ? 1 : 0);
    }

  if (c->error == OK)
    {
      g_assert_no_error (error);
      g_assert_true (smtp_reply_parser_is_done (parser));
      reply = smtp_reply_parser_steal (parser);
      g_assert_false (smtp_reply_parser_is_done (parser));
      g_assert_cmpint (reply->code, ==, c->code);
      g_assert_cmpstr (reply->enhanced, ==, c->enhanced);
      text = smtp_reply_get_text (reply);
      g_assert_cmpstr (text, ==, c->text);
      g_assert_true (g_str_has_suffix (reply->raw, "\r\n"));
    }
  else if (c->error == SMTP_REPLY_ERROR_INCOMPLETE)
    {
      g_assert_no_error (error);
      g_assert_false (smtp_reply_parser_is_done (parser));
    }
  else if (trailing)
    {
      /* Data after the last line is the next reply, for the client. */
      g_assert_cmpint (c->error, ==, SMTP_REPLY_ERROR_SYNTAX);
    }
  else
    {
      g_assert_true (failed);
      g_assert_error (error, SMTP_REPLY_ERROR, c->error);
      /* An error empties the parser. */
      g_assert_false (smtp_reply_parser_is_done (parser));
    }
}

static void
test_reply_line_too_long (void)
{
  g_autoptr(GString) input = g_string_new ("250 ");
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* Exactly the bound, without CRLF, is fine. */
  while (input->len < SMTP_REPLY_MAX_LINE)
    g_string_append_c (input, 'x');
  g_string_append (input, "\r\n");
  reply = smtp_reply_parse (input->str, input->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (reply->lines[0]), ==, SMTP_REPLY_MAX_LINE - 4);

  g_string_insert_c (input, 4, 'y');
  g_clear_pointer (&reply, smtp_reply_free);
  reply = smtp_reply_parse (input->str, input->len, &error);
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_LINE_TOO_LONG);
  g_assert_null (reply);
}

static void
test_reply_too_many_lines (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < SMTP_REPLY_MAX_LINES - 1; i++)
    g_string_append_printf (input, "250-line %u\r\n", i);
  g_string_append (input, "250 last\r\n");
  reply = smtp_reply_parse (input->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (reply->lines), ==, SMTP_REPLY_MAX_LINES);

  /* 101 lines. */
  g_string_prepend (input, "250-one more\r\n");
  g_clear_pointer (&reply, smtp_reply_free);
  reply = smtp_reply_parse (input->str, -1, &error);
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_MANY_LINES);
  g_assert_null (reply);
}

static void
test_reply_too_long (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_strnfill (4000, 'x');

  /* 20 lines of 4 KB: each within bounds, too much together. */
  for (guint i = 0; i < 20; i++)
    g_string_append_printf (input, "250-%s\r\n", filler);
  g_string_append (input, "250 end\r\n");
  reply = smtp_reply_parse (input->str, input->len, &error);
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_LONG);
  g_assert_null (reply);
}

static void
test_reply_embedded_nul (void)
{
  static const char input[] = "550 a\0b\r\n";
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = smtp_reply_parse (input, sizeof input - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply->lines[0], ==, "a\xef\xbf\xbd" "b");
  g_assert_cmpstr (reply->raw, ==, "550 a");
}

static void
test_reply_incremental (void)
{
  g_autoptr(SmtpReplyParser) parser = smtp_reply_parser_new ();
  g_autoptr(SmtpReply) first = NULL;
  g_autoptr(SmtpReply) second = NULL;
  g_autoptr(GError) error = NULL;

  /* A line read up to LF keeps its CR: it is dropped. */
  g_assert_true (smtp_reply_parser_feed_line (parser, "250-mx.example.com\r", 19, &error));
  g_assert_no_error (error);
  g_assert_false (smtp_reply_parser_is_done (parser));
  /* The length counts, not the NUL. */
  g_assert_true (smtp_reply_parser_feed_line (parser, "250 2.0.0 OKgarbage", 12, &error));
  g_assert_true (smtp_reply_parser_is_done (parser));

  first = smtp_reply_parser_steal (parser);
  g_assert_cmpint (first->code, ==, 250);
  g_assert_null (first->enhanced);
  g_assert_cmpstr (first->lines[0], ==, "mx.example.com");
  g_assert_cmpstr (first->lines[1], ==, "2.0.0 OK");
  g_assert_null (first->lines[2]);
  g_assert_cmpstr (first->raw, ==, "250-mx.example.com\r\n250 2.0.0 OK\r\n");

  /* The parser is ready for the next reply, pipelined. */
  g_assert_true (smtp_reply_parser_feed_line (parser, "550 5.1.1 No such user", 22, &error));
  second = smtp_reply_parser_steal (parser);
  g_assert_cmpint (second->code, ==, 550);
  g_assert_cmpstr (second->enhanced, ==, "5.1.1");
  g_assert_cmpstr (second->lines[0], ==, "No such user");

  /* An error empties the parser; the next reply starts afresh. */
  g_assert_true (smtp_reply_parser_feed_line (parser, "250-a", 5, &error));
  g_assert_false (smtp_reply_parser_feed_line (parser, "251 b", 5, &error));
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_CODE_MISMATCH);
  g_clear_error (&error);
  g_assert_false (smtp_reply_parser_is_done (parser));
  g_assert_true (smtp_reply_parser_feed_line (parser, "221 bye", 7, &error));
  g_assert_true (smtp_reply_parser_is_done (parser));
  g_clear_pointer (&second, smtp_reply_free);
  second = smtp_reply_parser_steal (parser);
  g_assert_cmpint (second->code, ==, 221);
  g_assert_cmpuint (g_strv_length (second->lines), ==, 1);
}

static void
test_reply_incremental_bounds (void)
{
  g_autoptr(SmtpReplyParser) parser = smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *long_line = g_strnfill (SMTP_REPLY_MAX_LINE + 1, '5');

  for (guint i = 0; i < SMTP_REPLY_MAX_LINES; i++)
    g_assert_true (smtp_reply_parser_feed_line (parser, "250-x", 5, &error));
  g_assert_false (smtp_reply_parser_feed_line (parser, "250 x", 5, &error));
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_MANY_LINES);
  g_clear_error (&error);

  g_assert_false (smtp_reply_parser_feed_line (parser, long_line, strlen (long_line), &error));
  g_assert_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_LINE_TOO_LONG);
}

static void
test_reply_accessors (void)
{
  static const struct {
    const char *input;
    int klass;
    gboolean positive;
  } accessor_cases[] = {
    { "220 ready", 2, TRUE },
    { "250 ok", 2, TRUE },
    { "334 ", 3, TRUE },
    { "354 go", 3, TRUE },
    { "421 closing", 4, FALSE },
    { "451 4.3.0 error", 4, FALSE },
    { "535 5.7.8 no", 5, FALSE },
    { "554 no", 5, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accessor_cases); i++)
    {
      g_autoptr(SmtpReply) reply = smtp_reply_parse (accessor_cases[i].input, -1, NULL);
      g_autoptr(SmtpReply) copy = NULL;

      g_assert_nonnull (reply);
      g_assert_cmpint (smtp_reply_get_class (reply), ==, accessor_cases[i].klass);
      g_assert_cmpint (smtp_reply_is_positive (reply), ==, accessor_cases[i].positive);

      copy = smtp_reply_copy (reply);
      g_assert_cmpint (copy->code, ==, reply->code);
      g_assert_cmpstr (copy->enhanced, ==, reply->enhanced);
      g_assert_cmpstrv (copy->lines, reply->lines);
      g_assert_cmpstr (copy->raw, ==, reply->raw);
      g_assert_true (copy->lines != reply->lines);
    }

  smtp_reply_free (NULL);
  smtp_reply_parser_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("Server replies are parsed into code, enhanced status code and lines, "
                  "whole or line by line, with every read bounded and broken replies "
                  "refused with a specific error.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *parse_path = g_strdup_printf ("/reply/parse/%s", cases[i].name);
      g_autofree char *feed_path = g_strdup_printf ("/reply/feed/%s", cases[i].name);

      g_test_add_data_func (parse_path, &cases[i], test_reply_parse);
      g_test_add_data_func (feed_path, &cases[i], test_reply_feed);
    }
  g_test_add_func ("/reply/bounds/line-too-long", test_reply_line_too_long);
  g_test_add_func ("/reply/bounds/too-many-lines", test_reply_too_many_lines);
  g_test_add_func ("/reply/bounds/too-long", test_reply_too_long);
  g_test_add_func ("/reply/embedded-nul", test_reply_embedded_nul);
  g_test_add_func ("/reply/incremental", test_reply_incremental);
  g_test_add_func ("/reply/incremental-bounds", test_reply_incremental_bounds);
  g_test_add_func ("/reply/accessors", test_reply_accessors);

  return g_test_run ();
}
