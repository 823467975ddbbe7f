/* test-message.c: the test message: headers, encodings, line lengths and dot-stuffing
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_null (memchr (data, '\0', length));

  return g_strndup (data, length);
}

/* The value of header @name as it is on the wire, folds included. */
static char *
get_header (const char *message,
            const char *name)
{
  g_autofree char *prefix = g_strdup_printf ("%s: ", name);
  const char *end_of_headers = strstr (message, "\r\n\r\n");
  const char *p = message;

  g_assert_nonnull (end_of_headers);

  while (p < end_of_headers)
    {
      const char *start = p;
      const char *end = p;

      /* One header: up to a CRLF that is not followed by a blank. */
      while ((end = strstr (end, "\r\n")) != NULL && (end[2] == ' ' || end[2] == '\t'))
        end += 2;
      g_assert_nonnull (end);

      if (g_str_has_prefix (start, prefix))
        return g_strndup (start + strlen (prefix), end - start - strlen (prefix));

      p = end + 2;
    }

  return NULL;
}

static const char *
get_body (const char *message)
{
  const char *end_of_headers = strstr (message, "\r\n\r\n");

  g_assert_nonnull (end_of_headers);

  return end_of_headers + 4;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

/* A strict RFC 2045 decoder: fails the test on what a careful reader
 * would refuse. */
static char *
decode_quoted_printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
        {
          p += 2;
        }
      else if (p[0] == '=')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]));
          g_assert_false (g_ascii_islower (p[1]) || g_ascii_islower (p[2]));
          g_string_append_c (out, (char) (hex_value (p[1]) * 16 + hex_value (p[2])));
          p += 2;
        }
      else if (p[0] == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          /* No whitespace before a hard line end. */
          g_assert_true (out->len == 0 || (p[-1] != ' ' && p[-1] != '\t'));
          g_string_append_c (out, '\n');
          p++;
        }
      else
        {
          g_assert_cmpint ((guchar) *p, <, 0x80);
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

/* Decodes a header value made of encoded words (folded), checking that
 * each is within RFC 2047 limits and holds whole UTF-8 characters. */
static char *
decode_encoded_words (const char *value)
{
  g_auto(GStrv) words = g_strsplit (value, "\r\n ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gsize length = strlen (word);
      g_autofree char *b64 = NULL;
      g_autofree guchar *decoded = NULL;
      gsize decoded_length;

      g_assert_cmpuint (length, <=, 75);
      g_assert_true (g_str_has_prefix (word, "=?UTF-8?B?"));
      g_assert_true (g_str_has_suffix (word, "?="));
      b64 = g_strndup (word + 10, length - 12);
      decoded = g_base64_decode (b64, &decoded_length);
      g_assert_true (g_utf8_validate ((const char *) decoded, decoded_length, NULL));
      g_string_append_len (out, (const char *) decoded, decoded_length);
    }

  return g_string_free (out, FALSE);
}

/* Every line ends in CRLF, none is longer than @max (and never than 998). */
static void
assert_lines (const char *message,
              gsize       max)
{
  const char *p = message;

  g_assert_true (g_str_has_suffix (message, "\r\n"));
  while (*p != '\0')
    {
      const char *end = strstr (p, "\r\n");

      g_assert_nonnull (end);
      g_assert_null (memchr (p, '\n', end - p));
      g_assert_null (memchr (p, '\r', end - p));
      g_assert_cmpuint (end - p, <=, MIN (max, 998));
      p = end + 2;
    }
}

static GDateTime *
fixed_date (void)
{
  return g_date_time_new_utc (2026, 11, 29, 8, 0, 0);
}

static void
test_message_headers (void)
{
  g_autoptr(GDateTime) date = fixed_date ();
  SmtpMessageInfo info = {
    .from = "ada@example.com",
    .from_name = "Ada Lovelace",
    .to = "charles@example.org",
    .host = "smtp.example.com",
    .port = 587,
    .security = "starttls",
    .user = "ada@example.com",
    .date = date,
    .unique = "20261129080000.abc123",
  };
  g_autoptr(GBytes) bytes = smtp_message_build (&info, FALSE);
  g_autofree char *message = bytes_to_string (bytes);
  const char *body = get_body (message);

  g_assert_true (g_str_has_prefix (message,
    "Date: Sun, 29 Nov 2026 08:00:00 +0000\r\n"
    "From: Ada Lovelace <ada@example.com>\r\n"
    "To: charles@example.org\r\n"
    "Subject: Test email from SMTP Setup\r\n"
    "Message-ID: <20261129080000.abc123@example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 7bit\r\n"
    "Auto-Submitted: auto-generated\r\n"
    "X-Mailer: SMTP Setup " PACKAGE_VERSION "\r\n"
    "\r\n"));

  g_assert_nonnull (strstr (body, "test message sent by SMTP Setup"));
  g_assert_nonnull (strstr (body, "Server: smtp.example.com\r\n"));
  g_assert_nonnull (strstr (body, "Port: 587\r\n"));
  g_assert_nonnull (strstr (body, "Security: STARTTLS"));
  g_assert_nonnull (strstr (body, "User name: ada@example.com\r\n"));
  g_assert_nonnull (strstr (body, "2026-11-29 08:00:00 +0000"));
  g_assert_false (smtp_message_has_8bit (bytes));
  assert_lines (message, 78);
  /* Not dot-stuffed, no terminating dot. */
  g_assert_false (g_str_has_suffix (message, "\r\n.\r\n"));
}

static void
test_message_body_optional (void)
{
  SmtpMessageInfo info = {
    .from = "ada@example.com",
    .to = "ada@example.com",
    .host = "mail.example.com",
    .port = 465,
    .security = "tls",
  };
  g_autoptr(GBytes) bytes = smtp_message_build (&info, TRUE);
  g_autofree char *message = bytes_to_string (bytes);
  g_autofree char *from = get_header (message, "From");
  g_autofree char *date = get_header (message, "Date");
  const char *body = get_body (message);

  g_assert_cmpstr (from, ==, "ada@example.com");
  g_assert_nonnull (date);
  g_assert_null (strstr (body, "User name"));
  g_assert_nonnull (strstr (body, "Security: SSL/TLS"));
  g_assert_nonnull (strstr (body, "Port: 465"));
  assert_lines (message, 78);
}

static void
test_message_date (void)
{
  static const struct {
    int year, month, day, hour, minute, second;
    int offset_minutes;
    const char *expected;
  } cases[] = {
    { 2026, 11, 29, 8, 0, 0, 0, "Sun, 29 Nov 2026 08:00:00 +0000" },
    { 2027, 1, 1, 0, 0, 5, 60, "Fri, 1 Jan 2027 00:00:05 +0100" },
    { 2026, 7, 4, 23, 59, 59, -150, "Sat, 4 Jul 2026 23:59:59 -0230" },
    { 2026, 7, 4, 12, 30, 0, 330, "Sat, 4 Jul 2026 12:30:00 +0530" },
    { 2026, 7, 4, 12, 30, 0, -720, "Sat, 4 Jul 2026 12:30:00 -1200" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset (cases[i].offset_minutes * 60);
      g_autoptr(GDateTime) date = g_date_time_new (zone, cases[i].year, cases[i].month,
                                                   cases[i].day, cases[i].hour,
                                                   cases[i].minute, cases[i].second);
      SmtpMessageInfo info = {
        .from = "ada@example.com", .to = "ada@example.com", .host = "h", .port = 25,
        .security = "none", .date = date,
      };
      g_autoptr(GBytes) bytes = smtp_message_build (&info, FALSE);
      g_autofree char *message = bytes_to_string (bytes);
      g_autofree char *header = get_header (message, "Date");

      g_assert_cmpstr (header, ==, cases[i].expected);
    }
}

static void
test_message_from (void)
{
  static const struct {
    const char *name;
    const char *expected;  /* the raw header, or NULL: encoded words */
    const char *decoded;   /* the name the encoded words must give */
  } cases[] = {
    { NULL, "ada@example.com", NULL },
    { "", "ada@example.com", NULL },
    { "Ada", "Ada <ada@example.com>", NULL },
    { "Ada Lovelace", "Ada Lovelace <ada@example.com>", NULL },
    { "O'Neil & Sons", "O'Neil & Sons <ada@example.com>", NULL },
    { "Lovelace, Ada", "\"Lovelace, Ada\" <ada@example.com>", NULL },
    { "Ada K. Lovelace", "\"Ada K. Lovelace\" <ada@example.com>", NULL },
    { "Ada \"Countess\" Lovelace", "\"Ada \\\"Countess\\\" Lovelace\" <ada@example.com>", NULL },
    { "A\\B", "\"A\\\\B\" <ada@example.com>", NULL },
    { "Ada  Lovelace", "\"Ada  Lovelace\" <ada@example.com>", NULL },
    { " Ada", "\" Ada\" <ada@example.com>", NULL },
    { "ada@example.com", "\"ada@example.com\" <ada@example.com>", NULL },
    { "Jürgen Müller", "=?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <ada@example.com>", "Jürgen Müller" },
    { "=?UTF-8?B?QQ==?=", NULL, "=?UTF-8?B?QQ==?=" },
    { "Ада Лавлейс из Лондона, графиня Лавлейс, математик и писатель", NULL,
      "Ада Лавлейс из Лондона, графиня Лавлейс, математик и писатель" },
    { "An Extremely Long Display Name That Would Not Fit On One Header Line Alone", NULL,
      "An Extremely Long Display Name That Would Not Fit On One Header Line Alone" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = fixed_date ();
      SmtpMessageInfo info = {
        .from = "ada@example.com", .from_name = cases[i].name, .to = "ada@example.com",
        .host = "h", .port = 25, .security = "none", .date = date,
      };
      g_autoptr(GBytes) bytes = smtp_message_build (&info, FALSE);
      g_autofree char *message = bytes_to_string (bytes);
      g_autofree char *from = get_header (message, "From");

      g_test_message ("name “%s”", cases[i].name);
      assert_lines (message, 78);
      if (cases[i].expected != NULL)
        g_assert_cmpstr (from, ==, cases[i].expected);

      if (cases[i].decoded != NULL)
        {
          const char *address = strstr (from, " <ada@example.com>");
          g_autofree char *words = NULL;
          g_autofree char *decoded = NULL;

          g_assert_nonnull (address);
          g_assert_cmpstr (address, ==, " <ada@example.com>");
          words = g_strndup (from, address - from);
          /* A fold before the address leaves a CRLF at the end. */
          if (g_str_has_suffix (words, "\r\n"))
            words[strlen (words) - 2] = '\0';
          decoded = decode_encoded_words (words);
          g_assert_cmpstr (decoded, ==, cases[i].decoded);
          /* RFC 2047 §2: lines with encoded words are at most 76. */
          assert_lines (message, 76);
        }
    }
}

static void
test_message_encode_header_word (void)
{
  static const struct {
    const char *text;
    const char *expected; /* NULL: check by decoding */
  } cases[] = {
    { "", "" },
    { "Test email from SMTP Setup", "Test email from SMTP Setup" },
    { "Grüße", "=?UTF-8?B?R3LDvMOfZQ==?=" },
    { "=?", NULL },
    { "Тестовое письмо от SMTP Setup — проверка отправки почты, длинная тема", NULL },
    { "测试邮件测试邮件测试邮件测试邮件测试邮件测试邮件测试邮件测试邮件测试邮件", NULL },
    { "🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", NULL },
    { "a€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *encoded = smtp_message_encode_header_word (cases[i].text);

      g_test_message ("text “%s”", cases[i].text);
      if (cases[i].expected != NULL)
        {
          g_assert_cmpstr (encoded, ==, cases[i].expected);
        }
      else
        {
          g_autofree char *decoded = decode_encoded_words (encoded);

          g_assert_cmpstr (decoded, ==, cases[i].text);
        }
    }
}

static void
test_message_subject (void)
{
  SmtpMessageInfo info = {
    .from = "ada@example.com", .to = "ada@example.com", .host = "h", .port = 25,
    .security = "none",
  };
  g_autoptr(GBytes) bytes = smtp_message_build (&info, FALSE);
  g_autofree char *message = bytes_to_string (bytes);
  g_autofree char *subject = get_header (message, "Subject");

  g_assert_cmpstr (subject, ==, "Test email from SMTP Setup");
}

static void
test_message_id (void)
{
  static const struct {
    const char *from;
    const char *unique;
    const char *expected; /* NULL: random unique part */
  } cases[] = {
    { "ada@example.com", "abc.123", "<abc.123@example.com>" },
    { "Ada@Example.COM", "x", "<x@example.com>" },
    { "ada@bücher.de", "x", "<x@xn--bcher-kva.de>" },
    { "ada@BÜCHER.de", "x", "<x@xn--bcher-kva.de>" },
    { "ada@example.com", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SmtpMessageInfo info = {
        .from = cases[i].from, .to = "ada@example.com", .host = "h", .port = 25,
        .security = "none", .unique = cases[i].unique,
      };
      g_autoptr(GBytes) first = smtp_message_build (&info, FALSE);
      g_autoptr(GBytes) second = smtp_message_build (&info, FALSE);
      g_autofree char *first_text = bytes_to_string (first);
      g_autofree char *second_text = bytes_to_string (second);
      g_autofree char *id = get_header (first_text, "Message-ID");
      g_autofree char *other_id = get_header (second_text, "Message-ID");

      if (cases[i].expected != NULL)
        {
          g_assert_cmpstr (id, ==, cases[i].expected);
        }
      else
        {
          g_assert_true (g_regex_match_simple ("^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                               "[0-9a-f]{4}-[0-9a-f]{12}@example\\.com>$",
                                               id, 0, 0));
          g_assert_cmpstr (id, !=, other_id);
        }
    }
}

static void
test_message_transfer_encoding (void)
{
  static const struct {
    const char *user;
    gboolean eight_bit_ok;
    const char *encoding;
  } cases[] = {
    { "ada", FALSE, "7bit" },
    { "ada", TRUE, "7bit" },
    { "jürgen@bücher.de", TRUE, "8bit" },
    { "jürgen@bücher.de", FALSE, "quoted-printable" },
    { "用户名", FALSE, "quoted-printable" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = fixed_date ();
      SmtpMessageInfo info = {
        .from = "ada@example.com", .to = "ada@example.com", .host = "smtp.example.com",
        .port = 587, .security = "starttls", .user = cases[i].user, .date = date,
        .unique = "u",
      };
      g_autoptr(GBytes) bytes = smtp_message_build (&info, cases[i].eight_bit_ok);
      g_autofree char *message = bytes_to_string (bytes);
      g_autofree char *encoding = get_header (message, "Content-Transfer-Encoding");
      g_autofree char *user_line = g_strdup_printf ("User name: %s\n", cases[i].user);
      g_autofree char *body = NULL;

      g_test_message ("user “%s”, 8BITMIME %d", cases[i].user, cases[i].eight_bit_ok);
      g_assert_cmpstr (encoding, ==, cases[i].encoding);
      g_assert_cmpint (smtp_message_has_8bit (bytes), ==, g_str_equal (encoding, "8bit"));

      if (g_str_equal (encoding, "quoted-printable"))
        {
          assert_lines (message, 76);
          body = decode_quoted_printable (get_body (message));
        }
      else
        {
          g_auto(GStrv) lines = g_strsplit (get_body (message), "\r\n", -1);

          assert_lines (message, 78);
          /* With LF ends, as the decoder gives. */
          body = g_strjoinv ("\n", lines);
        }

      g_assert_true (g_utf8_validate (body, -1, NULL));
      g_assert_nonnull (strstr (body, user_line));
    }
}

/* Whatever the field lengths, no line of the message exceeds 998 bytes. */
static void
test_message_long_fields (void)
{
  g_autofree char *long_user = g_strnfill (2500, 'u');
  g_autoptr(GString) long_utf8 = g_string_new (NULL);

  for (guint i = 0; i < 800; i++)
    g_string_append (long_utf8, "ü");

  for (guint eight = 0; eight < 2; eight++)
    {
      const char *users[] = { long_user, long_utf8->str };

      for (guint i = 0; i < G_N_ELEMENTS (users); i++)
        {
          SmtpMessageInfo info = {
            .from = "ada@example.com", .from_name = long_utf8->str, .to = "ada@example.com",
            .host = "smtp.example.com", .port = 587, .security = "starttls",
            .user = users[i],
          };
          g_autoptr(GBytes) bytes = smtp_message_build (&info, eight);
          g_autofree char *message = bytes_to_string (bytes);

          assert_lines (message, 998);
          g_assert_true (g_utf8_validate (message, -1, NULL));
        }
    }
}

static void
test_message_quoted_printable (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "", "" },
    { "abc\n", "abc\r\n" },
    { "a=b\n", "a=3Db\r\n" },
    { "trailing space \n", "trailing space=20\r\n" },
    { "two spaces  \nnext", "two spaces =20\r\nnext" },
    { "tab\t\n", "tab=09\r\n" },
    { "end space ", "end space=20" },
    { "café\n", "caf=C3=A9\r\n" },
    { "x\r\ny", "x\r\ny" },
    { "a\rb", "a=0Db" },
    { "\x7f~!", "=7F~!" },
    { ".dot\nFrom me\n", ".dot\r\nFrom me\r\n" },
    { "\n\n", "\r\n\r\n" },
    /* 76 characters fit on a line that ends there. */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" },
    /* 77 do not: 75 and "=". */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\naa\r\n" },
    /* An encoded character is never split, nor the bytes of one UTF-8 character. */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=b",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n=3Db" },
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaé\n",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n"
      "=C3=A9\r\n" },
    /* Trailing space on a line that also needs a soft break. */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \n",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\na=20\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *encoded = smtp_message_encode_quoted_printable (cases[i].input);

      g_test_message ("case %u", i);
      g_assert_cmpstr (encoded, ==, cases[i].expected);
    }
}

/* Round trips of text with every kind of byte, at every position around the
 * 76 column limit. */
static void
test_message_quoted_printable_round_trip (void)
{
  static const char *pieces[] = { "a", " ", "\t", "=", "é", "€", "🙂", ".", "\n" };

  for (guint seed = 0; seed < 200; seed++)
    {
      g_autoptr(GRand) rng = g_rand_new_with_seed (seed);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;
      guint n = g_rand_int_range (rng, 1, 400);

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rng, 0, G_N_ELEMENTS (pieces))]);

      encoded = smtp_message_encode_quoted_printable (text->str);
      if (*encoded != '\0')
        {
          g_autofree char *terminated = g_strconcat (encoded, "\r\n", NULL);

          assert_lines (terminated, 76);
        }
      decoded = decode_quoted_printable (encoded);
      g_assert_cmpstr (decoded, ==, text->str);
    }
}

static void
test_message_dot_stuff (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "", ".\r\n" },
    { "a\r\n", "a\r\n.\r\n" },
    { "a", "a\r\n.\r\n" },
    { "\r\n", "\r\n.\r\n" },
    { ".\r\n", "..\r\n.\r\n" },
    { ".", "..\r\n.\r\n" },
    { ".a", "..a\r\n.\r\n" },
    { "a.\r\n", "a.\r\n.\r\n" },
    { "a\r\n.b\r\n..c\r\n", "a\r\n..b\r\n...c\r\n.\r\n" },
    { "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n" },
    { "a\nb\n", "a\r\nb\r\n.\r\n" },
    { "a\rb", "a\r\nb\r\n.\r\n" },
    { "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n" },
    { "\n.\r.x", "\r\n..\r\n..x\r\n.\r\n" },
    { "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n" },
    { "a\n\rb", "a\r\n\r\nb\r\n.\r\n" },
    { "\xc3\xa9.\r\n.\xc3\xa9", "\xc3\xa9.\r\n..\xc3\xa9\r\n.\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) input = g_bytes_new_static (cases[i].input, strlen (cases[i].input));
      g_autoptr(GBytes) stuffed = smtp_message_dot_stuff (input);
      g_autofree char *output = bytes_to_string (stuffed);

      g_test_message ("case %u", i);
      g_assert_cmpstr (output, ==, cases[i].expected);
    }
}

/* A built message, stuffed, ends the DATA exactly once. */
static void
test_message_dot_stuff_built (void)
{
  SmtpMessageInfo info = {
    .from = "ada@example.com", .to = "ada@example.com", .host = "h", .port = 25,
    .security = "none",
  };
  g_autoptr(GBytes) bytes = smtp_message_build (&info, FALSE);
  g_autoptr(GBytes) stuffed = smtp_message_dot_stuff (bytes);
  g_autofree char *output = bytes_to_string (stuffed);
  const char *end = strstr (output, "\r\n.\r\n");

  g_assert_nonnull (end);
  g_assert_cmpstr (end, ==, "\r\n.\r\n");
  g_assert_cmpuint (g_bytes_get_size (stuffed), ==, g_bytes_get_size (bytes) + 3);
}

static void
test_message_has_8bit (void)
{
  static const struct {
    const char *input;
    gboolean expected;
  } cases[] = {
    { "", FALSE },
    { "plain ASCII\r\n\x7f", FALSE },
    { "caf\xc3\xa9", TRUE },
    { "\x80", TRUE },
    { "\xff", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].input, strlen (cases[i].input));

      g_assert_cmpint (smtp_message_has_8bit (bytes), ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("The test message has correct RFC 5322 headers (Date, From, Subject, "
                  "Message-ID), RFC 2047 and quoted-printable encodings, lines within "
                  "limits, and is dot-stuffed correctly for DATA.");

  g_test_add_func ("/message/headers", test_message_headers);
  g_test_add_func ("/message/body-optional", test_message_body_optional);
  g_test_add_func ("/message/date", test_message_date);
  g_test_add_func ("/message/from", test_message_from);
  g_test_add_func ("/message/subject", test_message_subject);
  g_test_add_func ("/message/message-id", test_message_id);
  g_test_add_func ("/message/encode-header-word", test_message_encode_header_word);
  g_test_add_func ("/message/transfer-encoding", test_message_transfer_encoding);
  g_test_add_func ("/message/long-fields", test_message_long_fields);
  g_test_add_func ("/message/quoted-printable", test_message_quoted_printable);
  g_test_add_func ("/message/quoted-printable-round-trip",
                   test_message_quoted_printable_round_trip);
  g_test_add_func ("/message/dot-stuff", test_message_dot_stuff);
  g_test_add_func ("/message/dot-stuff-built", test_message_dot_stuff_built);
  g_test_add_func ("/message/has-8bit", test_message_has_8bit);

  return g_test_run ();
}
