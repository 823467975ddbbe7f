/* smtp-reply.c: server replies, RFC 5321 §4.2 with RFC 3463 enhanced status codes
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-reply"

#include "config.h"

#include "smtp-reply.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (smtp-reply-error-quark, smtp_reply_error)

struct _SmtpReplyParser
{
  int        code;      /* 0 before the first line */
  char      *enhanced;
  GPtrArray *lines;     /* (element-type utf8) */
  GString   *raw;
  gsize      n_bytes;   /* line ends included */
  gboolean   done;
};

/* RFC 3463 §2: class "." subject "." detail, where class is 2, 4 or 5 and
 * subject and detail have one to three digits. Returns the length of such a
 * code at the start of @text when its class is @klass and a space, a tab or
 * the end follows it; 0 otherwise. */
static gsize
match_enhanced_code (const char *text,
                     gsize       length,
                     int         klass)
{
  gsize i = 2;

  if (klass != 2 && klass != 4 && klass != 5)
    return 0;
  if (length < 5 || text[0] != '0' + klass || text[1] != '.')
    return 0;

  for (int part = 0; part < 2; part++)
    {
      gsize start = i;

      while (i < length && i - start < 4 && g_ascii_isdigit (text[i]))
        i++;
      if (i == start || i - start > 3)
        return 0;

      if (part == 0)
        {
          if (i >= length || text[i] != '.')
            return 0;
          i++;
        }
    }

  if (i < length && text[i] != ' ' && text[i] != '\t')
    return 0;

  return i;
}

static gsize
skip_blanks (const char *text,
             gsize       length,
             gsize       i)
{
  while (i < length && (text[i] == ' ' || text[i] == '\t'))
    i++;

  return i;
}

/* The text of a line is shown to people and printed on terminals: make it
 * valid UTF-8 and replace control characters (C0 except tab, DEL, C1), which
 * could move the cursor or rewrite what a terminal shows, with U+FFFD. The
 * raw reply keeps the bytes as they came. */
static char *
make_displayable (const char *text,
                  gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (text, length);
  GString *out;

  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }

  return g_string_free (out, FALSE);
}

static void
parser_reset (SmtpReplyParser *parser)
{
  parser->code = 0;
  g_clear_pointer (&parser->enhanced, g_free);
  g_ptr_array_set_size (parser->lines, 0);
  g_string_truncate (parser->raw, 0);
  parser->n_bytes = 0;
  parser->done = FALSE;
}

/* @line_end_length is the number of bytes of the line end that followed
 * @line in the input, counted against %SMTP_REPLY_MAX_BYTES. */
static gboolean
parser_feed (SmtpReplyParser  *parser,
             const char       *line,
             gsize             length,
             gsize             line_end_length,
             GError          **error)
{
  guint line_number = parser->lines->len + 1;
  const char *text;
  gsize text_length;
  gboolean last;
  int code;

  if (length > SMTP_REPLY_MAX_LINE)
    {
      g_set_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_LINE_TOO_LONG,
                   _("Line %u of the server’s reply is longer than %u bytes."),
                   line_number, (guint) SMTP_REPLY_MAX_LINE);
      goto fail;
    }

  if (parser->lines->len >= SMTP_REPLY_MAX_LINES)
    {
      g_set_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_MANY_LINES,
                   _("The server’s reply has more than %u lines."),
                   (guint) SMTP_REPLY_MAX_LINES);
      goto fail;
    }

  if (parser->n_bytes + length + line_end_length > SMTP_REPLY_MAX_BYTES)
    {
      g_set_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_TOO_LONG,
                   _("The server’s reply is longer than %u bytes."),
                   (guint) SMTP_REPLY_MAX_BYTES);
      goto fail;
    }

  /* RFC 5321 §4.2: Reply-code [ SP textstring ] CRLF for the last line,
   * Reply-code "-" [ textstring ] CRLF for the others. */
  if (length < 3 ||
      line[0] < '2' || line[0] > '5' ||
      !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      (length > 3 && line[3] != ' ' && line[3] != '-'))
    {
      g_set_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_SYNTAX,
                   _("Line %u of the server’s reply does not start with a reply code."),
                   line_number);
      goto fail;
    }

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (parser->lines->len > 0 && code != parser->code)
    {
      g_set_error (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_CODE_MISMATCH,
                   _("Line %u of the server’s reply has the code %d, but the reply "
                     "started with %d."),
                   line_number, code, parser->code);
      goto fail;
    }

  last = (length == 3 || line[3] == ' ');
  text = length > 3 ? line + 4 : line + length;
  text_length = length > 3 ? length - 4 : 0;

  if (parser->lines->len == 0)
    {
      gsize n = match_enhanced_code (text, text_length, code / 100);

      parser->code = code;
      if (n > 0)
        {
          parser->enhanced = g_strndup (text, n);
          n = skip_blanks (text, text_length, n);
          text += n;
          text_length -= n;
        }
    }
  else if (parser->enhanced != NULL)
    {
      /* Some servers (Gmail) repeat the enhanced code on every line. */
      gsize n = strlen (parser->enhanced);

      if (text_length >= n && memcmp (text, parser->enhanced, n) == 0 &&
          (text_length == n || text[n] == ' ' || text[n] == '\t'))
        {
          n = skip_blanks (text, text_length, n);
          text += n;
          text_length -= n;
        }
    }

  g_ptr_array_add (parser->lines, make_displayable (text, text_length));
  g_string_append_len (parser->raw, line, length);
  g_string_append (parser->raw, "\r\n");
  parser->n_bytes += length + line_end_length;
  parser->done = last;

  return TRUE;

fail:
  parser_reset (parser);
  return FALSE;
}

/**
 * smtp_reply_parser_new:
 *
 * Creates a parser that takes a reply one line at a time, as the lines
 * arrive from the server.
 *
 * Returns: (transfer full): a new parser
 */
SmtpReplyParser *
smtp_reply_parser_new (void)
{
  SmtpReplyParser *parser = g_new0 (SmtpReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  parser->raw = g_string_new (NULL);

  return parser;
}

/**
 * smtp_reply_parser_free:
 * @parser: (nullable): a parser
 */
void
smtp_reply_parser_free (SmtpReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_clear_pointer (&parser->enhanced, g_free);
  g_ptr_array_unref (parser->lines);
  g_string_free (parser->raw, TRUE);
  g_free (parser);
}

/**
 * smtp_reply_parser_feed_line:
 * @parser: a parser that is not done
 * @line: one line of the reply, without its line end; it need not be
 *   NUL-terminated
 * @length: the length of @line in bytes. One trailing CR is removed, so a
 *   line read up to LF may be passed as it is
 * @error: return location for a #SMTP_REPLY_ERROR
 *
 * Adds one line to the reply being read. After an error the parser is
 * empty again, but the connection should be treated as broken: the server
 * does not speak SMTP as expected.
 *
 * Returns: %FALSE with @error set when the line is not valid or the reply
 *   exceeds a bound
 */
gboolean
smtp_reply_parser_feed_line (SmtpReplyParser  *parser,
                             const char       *line,
                             gsize             length,
                             GError          **error)
{
  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (!parser->done, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length > 0 && line[length - 1] == '\r')
    length--;

  return parser_feed (parser, line != NULL ? line : "", length, 2, error);
}

/**
 * smtp_reply_parser_is_done:
 * @parser: a parser
 *
 * Returns: %TRUE when the last line of the reply has been fed, and
 *   smtp_reply_parser_steal() may be called
 */
gboolean
smtp_reply_parser_is_done (SmtpReplyParser *parser)
{
  g_return_val_if_fail (parser != NULL, FALSE);

  return parser->done;
}

/**
 * smtp_reply_parser_steal:
 * @parser: a parser that is done
 *
 * Takes the complete reply and empties @parser for the next one. Its @raw
 * has a CRLF after every line, whichever line end the server used.
 *
 * Returns: (transfer full): the reply
 */
SmtpReply *
smtp_reply_parser_steal (SmtpReplyParser *parser)
{
  SmtpReply *reply;

  g_return_val_if_fail (parser != NULL, NULL);
  g_return_val_if_fail (parser->done, NULL);

  reply = g_new0 (SmtpReply, 1);
  reply->code = parser->code;
  reply->enhanced = g_steal_pointer (&parser->enhanced);
  g_ptr_array_add (parser->lines, NULL);
  reply->lines = (char **) g_ptr_array_free (parser->lines, FALSE);
  reply->raw = g_string_free (parser->raw, FALSE);

  parser->lines = g_ptr_array_new_with_free_func (g_free);
  parser->raw = g_string_new (NULL);
  parser_reset (parser);

  return reply;
}

/**
 * smtp_reply_parse:
 * @data: one complete reply
 * @length: the length of @data in bytes, or -1 when it is NUL-terminated
 * @error: return location for a #SMTP_REPLY_ERROR
 *
 * Parses a whole reply. Lines may end in CRLF or a bare LF; the line end
 * of the last line may be missing. Data after the last line is an error
 * (%SMTP_REPLY_ERROR_SYNTAX), and so is data that ends before it
 * (%SMTP_REPLY_ERROR_INCOMPLETE, also for empty @data).
 *
 * The @raw member of the result is @data as it is, up to its first NUL
 * byte if it has one; it need not be valid UTF-8. The @lines are.
 *
 * Returns: (transfer full) (nullable): the reply, or %NULL with @error set
 */
SmtpReply *
smtp_reply_parse (const char  *data,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(SmtpReplyParser) parser = NULL;
  SmtpReply *reply;
  gsize size, pos = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;
  parser = smtp_reply_parser_new ();

  while (pos < size)
    {
      const char *line = data + pos;
      const char *newline = memchr (line, '\n', size - pos);
      gsize line_length, end_length;

      if (parser->done)
        {
          g_set_error_literal (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_SYNTAX,
                               _("The server sent more after the last line of its reply."));
          return NULL;
        }

      if (newline != NULL)
        {
          line_length = newline - line;
          end_length = 1;
        }
      else
        {
          line_length = size - pos;
          end_length = 0;
        }

      if (line_length > 0 && line[line_length - 1] == '\r')
        {
          line_length--;
          end_length++;
        }

      if (!parser_feed (parser, line, line_length, end_length, error))
        return NULL;

      pos += line_length + end_length;
    }

  if (!parser->done)
    {
      g_set_error_literal (error, SMTP_REPLY_ERROR, SMTP_REPLY_ERROR_INCOMPLETE,
                           _("The server’s reply ended before its last line."));
      return NULL;
    }

  reply = smtp_reply_parser_steal (parser);
  g_free (reply->raw);
  reply->raw = g_strndup (data, size);

  return reply;
}

/**
 * smtp_reply_copy:
 * @reply: a reply
 *
 * Returns: (transfer full): a copy of @reply
 */
SmtpReply *
smtp_reply_copy (const SmtpReply *reply)
{
  SmtpReply *copy;

  g_return_val_if_fail (reply != NULL, NULL);

  copy = g_new0 (SmtpReply, 1);
  copy->code = reply->code;
  copy->enhanced = g_strdup (reply->enhanced);
  copy->lines = g_strdupv (reply->lines);
  copy->raw = g_strdup (reply->raw);

  return copy;
}

/**
 * smtp_reply_free:
 * @reply: (nullable): a reply
 */
void
smtp_reply_free (SmtpReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->enhanced);
  g_strfreev (reply->lines);
  g_free (reply->raw);
  g_free (reply);
}

/**
 * smtp_reply_get_text:
 * @reply: a reply
 *
 * Returns: (transfer full): the text of all lines, joined by "\n", without
 *   codes; valid UTF-8
 */
char *
smtp_reply_get_text (const SmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  if (reply->lines == NULL)
    return g_strdup ("");

  return g_strjoinv ("\n", reply->lines);
}

/**
 * smtp_reply_get_class:
 * @reply: a reply
 *
 * Returns: the first digit of the code: 2 success, 3 more is expected,
 *   4 temporary failure, 5 permanent failure
 */
int
smtp_reply_get_class (const SmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);

  return reply->code / 100;
}

/**
 * smtp_reply_is_positive:
 * @reply: a reply
 *
 * Returns: %TRUE for 2xx (done) and 3xx (go on) replies
 */
gboolean
smtp_reply_is_positive (const SmtpReply *reply)
{
  int klass;

  g_return_val_if_fail (reply != NULL, FALSE);

  klass = smtp_reply_get_class (reply);

  return klass == 2 || klass == 3;
}
