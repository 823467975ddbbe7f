/* fuzz-reply.c: libFuzzer harness for the reply parser, whole and line by line
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any bytes go to smtp_reply_parse() and, split at LF, to the incremental
 * parser as the client feeds it; every reply either gives is checked
 * against the promises of smtp-reply.h and handed to the EHLO parser.
 * Build and run with tests/fuzz/run-fuzz.sh.
 */

#define G_LOG_DOMAIN "fuzz-reply"

#include "config.h"

#include "smtp-capabilities.h"
#include "smtp-reply.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A g_return_if_fail() reached from parsed data is a bug too. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  return 0;
}

static void
check_reply (const SmtpReply *reply)
{
  g_autofree char *text = smtp_reply_get_text (reply);
  g_autoptr(SmtpReply) copy = smtp_reply_copy (reply);
  g_autoptr(SmtpCapabilities) caps = smtp_capabilities_parse (reply);
  guint n_lines;

  g_assert_true (reply->code >= 200 && reply->code <= 599);
  g_assert_true (smtp_reply_get_class (reply) == reply->code / 100);
  g_assert_nonnull (reply->raw);
  g_assert_nonnull (reply->lines);
  n_lines = g_strv_length (reply->lines);
  g_assert_true (n_lines >= 1 && n_lines <= SMTP_REPLY_MAX_LINES);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  if (reply->enhanced != NULL)
    g_assert_true (reply->enhanced[0] - '0' == reply->code / 100);

  for (guint i = 0; i < n_lines; i++)
    {
      /* Each byte becomes at most U+FFFD, three bytes. */
      g_assert_true (strlen (reply->lines[i]) <= 3 * SMTP_REPLY_MAX_LINE);
      for (const char *p = reply->lines[i]; *p != '\0'; p++)
        g_assert_true ((guchar) *p >= 0x20 || *p == '\t');
    }

  g_assert_true (copy->code == reply->code);
  g_assert_cmpstr (copy->raw, ==, reply->raw);

  g_assert_nonnull (caps->domain);
  g_assert_true (g_strv_length (caps->auth) <= 64);
}

static gboolean
same_reply (const SmtpReply *a,
            const SmtpReply *b)
{
  return a->code == b->code &&
         g_strcmp0 (a->enhanced, b->enhanced) == 0 &&
         g_strv_equal ((const char * const *) a->lines, (const char * const *) b->lines);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SmtpReply) whole = NULL;
  g_autoptr(SmtpReply) first = NULL;
  g_autoptr(SmtpReply) terminated = NULL;
  g_autoptr(SmtpReplyParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = NULL;
  const char *p = (const char *) data;
  const char *end = p + size;
  gboolean failed = FALSE;

  whole = smtp_reply_parse ((const char *) data, size, &error);
  if (whole != NULL)
    check_reply (whole);
  else
    g_assert_true (error != NULL && error->domain == SMTP_REPLY_ERROR);
  g_clear_error (&error);

  /* The same through the NUL-terminated entry. */
  copy = g_strndup ((const char *) data, size);
  terminated = smtp_reply_parse (copy, -1, NULL);
  if (terminated != NULL)
    check_reply (terminated);

  parser = smtp_reply_parser_new ();
  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      gsize length = newline != NULL ? (gsize) (newline - p) : (gsize) (end - p);

      if (!smtp_reply_parser_feed_line (parser, p, length, &error))
        {
          g_assert_true (error != NULL && error->domain == SMTP_REPLY_ERROR);
          g_clear_error (&error);
          /* The client stops here; go on to stress the reset. */
          failed = TRUE;
        }
      else if (smtp_reply_parser_is_done (parser))
        {
          g_autoptr(SmtpReply) reply = smtp_reply_parser_steal (parser);

          check_reply (reply);
          g_assert_false (smtp_reply_parser_is_done (parser));
          if (first == NULL && !failed)
            first = g_steal_pointer (&reply);
        }

      p += length + (newline != NULL ? 1 : 0);
    }

  /* Whole or line by line, a reply reads the same (the byte bound may
   * differ: line by line counts every line end as CRLF). */
  if (whole != NULL && first != NULL)
    g_assert_true (same_reply (whole, first));

  return 0;
}
