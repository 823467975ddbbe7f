/* fuzz-capabilities.c: libFuzzer harness for the EHLO parser and the SASL steps
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is an EHLO reply. When it does not parse as a reply, its lines
 * become one ("250-line" ... "250 line"), so the fuzzer reaches the keyword
 * parser without having to learn reply syntax first. The capabilities go
 * to smtp_auth_choose(), and every line is then tried as a 334 challenge
 * for each mechanism. Build and run with tests/fuzz/run-fuzz.sh.
 */

#define G_LOG_DOMAIN "fuzz-capabilities"

#include "config.h"

#include "smtp-auth.h"
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
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  return 0;
}

static SmtpReply *
reply_from_lines (const char *data,
                  gsize       size)
{
  g_autoptr(SmtpReplyParser) parser = smtp_reply_parser_new ();
  const char *p = data;
  const char *end = data + size;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      gsize length = newline != NULL ? (gsize) (newline - p) : (gsize) (end - p);
      gboolean last = newline == NULL || newline + 1 == end;
      g_autofree char *line = NULL;

      line = g_strdup_printf ("250%c%.*s", last ? ' ' : '-', (int) length, p);
      if (!smtp_reply_parser_feed_line (parser, line, strlen (line), NULL))
        return NULL;
      if (last)
        break;
      p = newline + 1;
    }

  return smtp_reply_parser_is_done (parser) ? smtp_reply_parser_steal (parser) : NULL;
}

static void
check_capabilities (const SmtpCapabilities *caps)
{
  g_autoptr(SmtpCapabilities) copy = smtp_capabilities_copy (caps);
  guint n = g_strv_length (caps->auth);

  g_assert_nonnull (caps->domain);
  g_assert_true (n <= 64);
  g_assert_true (caps->size || caps->size_limit == 0);

  for (guint i = 0; i < n; i++)
    {
      const char *name = caps->auth[i];
      gsize length = strlen (name);

      g_assert_true (length >= 1 && length <= 20);
      for (gsize j = 0; j < length; j++)
        g_assert_true (g_ascii_isupper (name[j]) || g_ascii_isdigit (name[j]) ||
                       name[j] == '-' || name[j] == '_');
      for (guint j = i + 1; j < n; j++)
        g_assert_cmpstr (name, !=, caps->auth[j]);
      g_assert_true (smtp_capabilities_has_auth (caps, name));
    }

  g_assert_true (g_strv_equal ((const char * const *) copy->auth,
                               (const char * const *) caps->auth));
}

static void
try_choose (const SmtpCapabilities *caps)
{
  static const SmtpAuthMechanism wanted[] = {
    SMTP_AUTH_MECHANISM_AUTO, SMTP_AUTH_MECHANISM_PLAIN, SMTP_AUTH_MECHANISM_LOGIN,
    SMTP_AUTH_MECHANISM_CRAM_MD5, SMTP_AUTH_MECHANISM_XOAUTH2,
  };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      for (int token = 0; token < 2; token++)
        {
          g_autoptr(GError) error = NULL;
          SmtpAuthMechanism chosen = smtp_auth_choose (caps, wanted[i], token, &error);

          if (error != NULL)
            {
              g_assert_true (chosen == SMTP_AUTH_MECHANISM_AUTO);
              g_assert_true (g_error_matches (error, SMTP_AUTH_ERROR,
                                              SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED));
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
            }
          else
            {
              g_assert_true (chosen != SMTP_AUTH_MECHANISM_AUTO);
              g_assert_true (smtp_capabilities_has_auth (caps,
                                                         smtp_auth_mechanism_to_name (chosen)));
            }
        }
    }
}

static void
try_challenges (const SmtpReply *reply)
{
  static const SmtpAuthMechanism mechanisms[] = {
    SMTP_AUTH_MECHANISM_PLAIN, SMTP_AUTH_MECHANISM_LOGIN, SMTP_AUTH_MECHANISM_CRAM_MD5,
    SMTP_AUTH_MECHANISM_XOAUTH2,
  };

  for (guint i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      g_autoptr(SmtpSasl) sasl = smtp_sasl_new (mechanisms[i], "ada@example.com",
                                                "correct horse battery staple", NULL);
      char *line;

      g_assert_nonnull (sasl);
      line = smtp_sasl_initial_command (sasl);
      g_assert_true (strpbrk (line, "\r\n") == NULL);
      smtp_sasl_line_free (line);

      for (guint j = 0; reply->lines[j] != NULL && j < 4; j++)
        {
          g_autoptr(GError) error = NULL;

          line = smtp_sasl_step (sasl, reply->lines[j], &error);
          if (line == NULL)
            {
              g_assert_true (g_error_matches (error, SMTP_AUTH_ERROR,
                                              SMTP_AUTH_ERROR_BAD_CHALLENGE));
              break;
            }
          g_assert_true (strpbrk (line, "\r\n") == NULL);
          smtp_sasl_line_free (line);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(SmtpCapabilities) caps = NULL;

  reply = smtp_reply_parse ((const char *) data, size, NULL);
  if (reply == NULL)
    reply = reply_from_lines ((const char *) data, size);
  if (reply == NULL)
    return 0;

  caps = smtp_capabilities_parse (reply);
  check_capabilities (caps);
  try_choose (caps);
  try_challenges (reply);

  return 0;
}
