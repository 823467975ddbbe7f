/* smtp-message.c: the test message (RFC 5322, MIME, RFC 2047), ready for DATA
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-message"

#include "config.h"

#include "smtp-message.h"
#include "smtp-address.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* RFC 5322 §2.1.1: lines SHOULD stay within 78 characters, MUST within 998. */
#define LINE_WIDTH     78
#define LINE_HARD_MAX  998
/* The body is wrapped a little narrower, so quoting in a reply fits. */
#define BODY_WIDTH     76
/* RFC 2047 §2: an encoded word is at most 75 characters, and a header line
 * that holds encoded words at most 76. */
#define ENCODED_WORD_MAX  75
#define ENCODED_LINE_MAX  76
/* "=?UTF-8?B?" and "?=" */
#define ENCODED_WORD_OVERHEAD 12
/* RFC 2045 §6.7 rule 5: encoded lines are at most 76 characters. */
#define QP_LINE_MAX    76

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p >= 0x80)
        return FALSE;
    }

  return TRUE;
}

/* ASCII text that looks like an encoded word would be decoded by the
 * reader, so it is encoded as well. */
static gboolean
needs_encoding (const char *text)
{
  return !is_ascii (text) || strstr (text, "=?") != NULL;
}

/* Appends @text as RFC 2047 "B" encoded words, each one made of whole UTF-8
 * characters. @column is where the first word starts on its line; further
 * words go on folded lines of their own. */
static void
append_encoded_words (GString    *out,
                      const char *text,
                      gsize       column)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  const char *p = valid;
  gboolean first = TRUE;

  do
    {
      const char *start;
      g_autofree char *encoded = NULL;
      gsize room, max_bytes;

      if (!first)
        {
          g_string_append (out, "\r\n ");
          column = 1;
        }
      else if (column + ENCODED_WORD_OVERHEAD + 8 > ENCODED_LINE_MAX)
        {
          g_string_append (out, "\r\n ");
          column = 1;
        }

      room = MIN (ENCODED_WORD_MAX, ENCODED_LINE_MAX - column);
      /* base64 turns every 3 bytes into 4 characters. */
      max_bytes = (room - ENCODED_WORD_OVERHEAD) / 4 * 3;

      start = p;
      while (*p != '\0')
        {
          const char *next = g_utf8_next_char (p);

          if ((gsize) (next - start) > max_bytes)
            break;
          p = next;
        }

      encoded = g_base64_encode ((const guchar *) start, p - start);
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      first = FALSE;
    }
  while (*p != '\0');
}

/**
 * smtp_message_encode_header_word:
 * @text: UTF-8 text for a header, such as a subject or a name
 *
 * Encodes @text for a header as RFC 2047 encoded words ("=?UTF-8?B?...?="),
 * each at most 75 characters and made of whole characters. When more than
 * one word is needed they are separated by a folding line break (CRLF and
 * a space), so the result can follow a header name directly. Plain ASCII
 * text is returned as it is.
 *
 * Returns: (transfer full): the header text
 */
char *
smtp_message_encode_header_word (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  if (!needs_encoding (text))
    return g_strdup (text);

  out = g_string_new (NULL);
  append_encoded_words (out, text, 0);

  return g_string_free (out, FALSE);
}

/* RFC 5322 §3.2.3: atext, and single spaces between atoms, so the name can
 * go into a phrase without quotes. */
static gboolean
is_plain_phrase (const char *name)
{
  if (*name == '\0' || *name == ' ')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ' ')
        {
          if (p[1] == ' ' || p[1] == '\0')
            return FALSE;
        }
      else if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-/=?^_`{|}~", *p) == NULL)
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* Returns the number of characters on the last line of @out, which starts
 * at @line_start or after the last LF. */
static gsize
current_column (GString *out,
                gsize    line_start)
{
  for (gsize i = out->len; i > line_start; i--)
    {
      if (out->str[i - 1] == '\n')
        return out->len - i;
    }

  return out->len - line_start;
}

/* Appends "Name: text" CRLF, as encoded words when @text is not ASCII or
 * would not fit on one line. */
static void
append_text_header (GString    *out,
                    const char *name,
                    const char *text)
{
  gsize prefix = strlen (name) + 2;

  g_string_append_printf (out, "%s: ", name);
  if (needs_encoding (text) || prefix + strlen (text) > LINE_WIDTH)
    append_encoded_words (out, text, prefix);
  else
    g_string_append (out, text);
  g_string_append (out, "\r\n");
}

static void
append_from_header (GString    *out,
                    const char *name,
                    const char *address)
{
  gsize line_start = out->len;

  g_string_append (out, "From: ");

  if (name == NULL || *name == '\0')
    {
      g_string_append (out, address);
      g_string_append (out, "\r\n");
      return;
    }

  if (needs_encoding (name) || strlen ("From: \"\"") + strlen (name) > LINE_WIDTH)
    {
      append_encoded_words (out, name, out->len - line_start);
    }
  else if (is_plain_phrase (name))
    {
      g_string_append (out, name);
    }
  else
    {
      /* RFC 5322 §3.2.4: a quoted string, with DQUOTE and backslash escaped. */
      g_string_append_c (out, '"');
      for (const char *p = name; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  if (current_column (out, line_start) + strlen (" <>") + strlen (address) > LINE_WIDTH)
    g_string_append (out, "\r\n");
  g_string_append_printf (out, " <%s>\r\n", address);
}

/* RFC 5322 §3.3, with English day and month names whatever the locale. */
static char *
format_date (GDateTime *date)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  GTimeSpan offset = g_date_time_get_utc_offset (date);
  gint64 minutes = (offset < 0 ? -offset : offset) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%s, %d %s %04d %02d:%02d:%02d %c%02d%02d",
                          days[g_date_time_get_day_of_week (date) - 1],
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date),
                          g_date_time_get_hour (date),
                          g_date_time_get_minute (date),
                          g_date_time_get_second (date),
                          offset < 0 ? '-' : '+',
                          (int) (minutes / 60), (int) (minutes % 60));
}

/* The right side of the Message-ID: the sender's domain in ASCII, lower
 * case (RFC 5322 §3.6.4), or a name that cannot clash with a real one. */
static char *
message_id_domain (const char *from)
{
  const char *at = strrchr (from, '@');
  g_autofree char *ascii = NULL;

  if (at != NULL && at[1] != '\0')
    ascii = g_hostname_to_ascii (at + 1);
  if (ascii == NULL || *ascii == '\0')
    return g_strdup ("smtp-setup.invalid");

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-_[]:", *p) == NULL)
        return g_strdup ("smtp-setup.invalid");
    }

  return g_ascii_strdown (ascii, -1);
}

/* Appends @text (which may hold LFs) to @body, broken at spaces so lines
 * stay within BODY_WIDTH characters where the words allow it, and always
 * within LINE_HARD_MAX bytes, then an LF. */
static void
append_wrapped (GString    *body,
                const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit (lines[i], " ", -1);
      gsize column = 0, bytes = 0;
      gboolean line_empty = TRUE;

      for (guint j = 0; words[j] != NULL; j++)
        {
          const char *word = words[j];
          gsize width = g_utf8_strlen (word, -1);

          if (!line_empty && column + 1 + width > BODY_WIDTH)
            {
              g_string_append_c (body, '\n');
              column = bytes = 0;
              line_empty = TRUE;
            }
          if (!line_empty)
            {
              g_string_append_c (body, ' ');
              column++;
              bytes++;
            }

          for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
            {
              gsize n = g_utf8_next_char (p) - p;

              if (bytes + n > LINE_HARD_MAX)
                {
                  g_string_append_c (body, '\n');
                  column = bytes = 0;
                }
              g_string_append_len (body, p, n);
              column++;
              bytes += n;
            }
          line_empty = FALSE;
        }

      g_string_append_c (body, '\n');
    }
}

static const char *
security_to_text (const char *security)
{
  /* Translators: how the connection tested was protected, shown in the
   * test email after “Security:”. */
  if (g_strcmp0 (security, "starttls") == 0)
    return _("STARTTLS (encrypted after connecting)");
  /* Translators: see “STARTTLS (encrypted after connecting)”. */
  if (g_strcmp0 (security, "tls") == 0)
    return _("SSL/TLS (encrypted from the start)");
  /* Translators: see “STARTTLS (encrypted after connecting)”. */
  if (g_strcmp0 (security, "none") == 0)
    return _("None (not encrypted)");

  return security;
}

static void
append_setting (GString    *body,
                const char *format,
                const char *value)
{
  g_autofree char *line = NULL;

  if (value == NULL)
    return;

  line = g_strdup_printf (format, value);
  append_wrapped (body, line);
}

static char *
build_body (const SmtpMessageInfo *info,
            GDateTime             *date)
{
  GString *body = g_string_new (NULL);
  g_autofree char *port = g_strdup_printf ("%u", info->port);
  g_autofree char *sent_at = g_date_time_format (date, "%Y-%m-%d %H:%M:%S %z");

  append_wrapped (body, _("This is a test message sent by SMTP Setup to check that sending "
                          "email works. If you are reading it, the settings below work."));
  g_string_append_c (body, '\n');
  append_wrapped (body, _("These settings were tested:"));
  g_string_append_c (body, '\n');
  /* Translators: %s is a server name, such as smtp.example.com. */
  append_setting (body, _("Server: %s"), info->host);
  /* Translators: %s is a port number, such as 587. */
  append_setting (body, _("Port: %s"), port);
  /* Translators: %s is how the connection was protected, such as
   * “STARTTLS (encrypted after connecting)”. */
  append_setting (body, _("Security: %s"), security_to_text (info->security));
  /* Translators: %s is the name used to sign in to the server. */
  append_setting (body, _("User name: %s"), info->user);
  /* Translators: %s is the date and time the message was sent, such as
   * 2026-11-29 08:00:00 +0100. */
  append_setting (body, _("Sent at: %s"), sent_at);
  g_string_append_c (body, '\n');
  append_wrapped (body, _("There is no need to reply to this message."));

  return g_string_free (body, FALSE);
}

/* Replaces each LF of @text by CRLF. */
static void
append_crlf (GString    *out,
             const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\r\n");
      else
        g_string_append_c (out, *p);
    }
}

/**
 * smtp_message_encode_quoted_printable:
 * @text: text whose lines end in LF or CRLF
 *
 * Encodes @text as quoted-printable (RFC 2045 §6.7): bytes outside printable
 * ASCII and "=" become "=XX", space or tab before a line end is encoded too,
 * and soft line breaks keep every line within 76 characters without
 * splitting the bytes of one UTF-8 character.
 *
 * Returns: (transfer full): the encoded text, with CRLF line ends
 */
char *
smtp_message_encode_quoted_printable (const char *text)
{
  GString *out;
  const guchar *p;
  gsize column = 0;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + strlen (text) / 8);
  p = (const guchar *) text;

  while (*p != '\0')
    {
      const guchar *next;
      gsize n = 1, token_length, limit;
      gboolean literal, at_line_end;

      if (*p == '\n' || (*p == '\r' && p[1] == '\n'))
        {
          g_string_append (out, "\r\n");
          column = 0;
          p += *p == '\r' ? 2 : 1;
          continue;
        }

      /* Keep the bytes of one UTF-8 character on one line. */
      if (*p >= 0xc0)
        {
          gsize expected = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;

          while (n < expected && (p[n] & 0xc0) == 0x80)
            n++;
        }

      next = p + n;
      at_line_end = *next == '\0' || *next == '\n' || (*next == '\r' && next[1] == '\n');
      literal = n == 1 &&
                ((*p >= 33 && *p <= 126 && *p != '=') ||
                 ((*p == ' ' || *p == '\t') && !at_line_end));
      token_length = literal ? 1 : 3 * n;

      /* A soft line break needs one column for its "=", unless the line
       * ends right after this token. */
      limit = at_line_end ? QP_LINE_MAX : QP_LINE_MAX - 1;
      if (column > 0 && column + token_length > limit)
        {
          g_string_append (out, "=\r\n");
          column = 0;
        }

      if (literal)
        g_string_append_c (out, *p);
      else
        for (gsize i = 0; i < n; i++)
          g_string_append_printf (out, "=%02X", p[i]);

      column += token_length;
      p = next;
    }

  return g_string_free (out, FALSE);
}

/**
 * smtp_message_build:
 * @info: what the message says
 * @eight_bit_ok: whether the server announced 8BITMIME, so a body that is
 *   not ASCII may be sent as it is
 *
 * Builds the test message: RFC 5322 headers (Date, From, To, Subject,
 * Message-ID, MIME and Auto-Submitted) and a short translated text plain
 * body that names the settings tested. The body is 7bit when it is ASCII,
 * 8bit when it is not and @eight_bit_ok, and quoted-printable otherwise.
 *
 * Returns: (transfer full): the message with CRLF line ends, neither
 *   dot-stuffed nor ended by "." (see smtp_message_dot_stuff())
 */
GBytes *
smtp_message_build (const SmtpMessageInfo *info,
                    gboolean               eight_bit_ok)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *body = NULL;
  gboolean quoted_printable = FALSE;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (info->from != NULL, NULL);
  g_return_val_if_fail (info->to != NULL, NULL);
  /* What goes into a header must not be able to start another one. */
  g_return_val_if_fail (smtp_text_check_wire_safe (info->from, NULL), NULL);
  g_return_val_if_fail (smtp_text_check_wire_safe (info->to, NULL), NULL);
  g_return_val_if_fail (info->from_name == NULL ||
                        smtp_text_check_wire_safe (info->from_name, NULL), NULL);
  g_return_val_if_fail (info->unique == NULL ||
                        smtp_text_check_wire_safe (info->unique, NULL), NULL);

  date = info->date != NULL ? g_date_time_ref (info->date) : g_date_time_new_now_local ();
  date_text = format_date (date);
  unique = info->unique != NULL ? g_strdup (info->unique) : g_uuid_string_random ();
  domain = message_id_domain (info->from);
  body = build_body (info, date);

  out = g_string_new (NULL);
  g_string_append_printf (out, "Date: %s\r\n", date_text);
  append_from_header (out, info->from_name, info->from);
  g_string_append_printf (out, "To: %s\r\n", info->to);
  append_text_header (out, "Subject", _("Test email from SMTP Setup"));
  g_string_append_printf (out, "Message-ID: <%s@%s>\r\n", unique, domain);
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n");

  if (is_ascii (body))
    {
      g_string_append (out, "Content-Transfer-Encoding: 7bit\r\n");
    }
  else if (eight_bit_ok)
    {
      g_string_append (out, "Content-Transfer-Encoding: 8bit\r\n");
    }
  else
    {
      g_string_append (out, "Content-Transfer-Encoding: quoted-printable\r\n");
      quoted_printable = TRUE;
    }

  /* RFC 3834 §5: not a reply to anything, and not to be answered by
   * vacation responders. */
  g_string_append (out, "Auto-Submitted: auto-generated\r\n");
  g_string_append (out, "X-Mailer: SMTP Setup " PACKAGE_VERSION "\r\n");
  g_string_append (out, "\r\n");

  if (quoted_printable)
    {
      g_autofree char *encoded = smtp_message_encode_quoted_printable (body);

      g_string_append (out, encoded);
    }
  else
    {
      append_crlf (out, body);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/**
 * smtp_message_has_8bit:
 * @message: a message
 *
 * Returns: %TRUE when a byte of @message is not ASCII, so sending it needs
 *   8BITMIME (or SMTPUTF8, for headers)
 */
gboolean
smtp_message_has_8bit (GBytes *message)
{
  const guchar *data;
  gsize length;

  g_return_val_if_fail (message != NULL, FALSE);

  data = g_bytes_get_data (message, &length);
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] >= 0x80)
        return TRUE;
    }

  return FALSE;
}

/**
 * smtp_message_dot_stuff:
 * @message: a message
 *
 * Prepares @message for DATA (RFC 5321 §4.5.2): every line end becomes
 * CRLF (a bare LF or a bare CR too), a line that starts with "." gets
 * another one, the last line is ended when it was not, and the ".\r\n"
 * that ends the data is appended.
 *
 * Returns: (transfer full): the data to send after the 354 reply
 */
GBytes *
smtp_message_dot_stuff (GBytes *message)
{
  const guchar *data;
  gsize length;
  GByteArray *out;
  gboolean line_start = TRUE;

  g_return_val_if_fail (message != NULL, NULL);

  data = g_bytes_get_data (message, &length);
  out = g_byte_array_sized_new (length + length / 32 + 8);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (c == '\r' || c == '\n')
        {
          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          line_start = TRUE;
          continue;
        }

      if (line_start && c == '.')
        g_byte_array_append (out, (const guint8 *) ".", 1);
      g_byte_array_append (out, &c, 1);
      line_start = FALSE;
    }

  if (!line_start)
    g_byte_array_append (out, (const guint8 *) "\r\n", 2);
  g_byte_array_append (out, (const guint8 *) ".\r\n", 3);

  return g_byte_array_free_to_bytes (out);
}
