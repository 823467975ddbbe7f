/* test-capabilities.c: reading the EHLO keywords of real and odd servers
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

enum
{
  STARTTLS = 1 << 0,
  SIZE = 1 << 1,
  PIPELINING = 1 << 2,
  EIGHTBITMIME = 1 << 3,
  SMTPUTF8 = 1 << 4,
  ENHANCED = 1 << 5,
  CHUNKING = 1 << 6,
  DSN = 1 << 7,
  REQUIRETLS = 1 << 8,
};

typedef struct {
  const char *name;
  const char *reply;
  const char *domain;
  guint flags;
  guint64 size_limit;
  const char *auth; /* space-separated, in order */
} CapsCase;

static const CapsCase cases[] = {
  { "gmail-before-tls",
    "250-smtp.gmail.com at your service, [203.0.113.7]\r\n250-SIZE 35882577\r\n"
    "250-8BITMIME\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n"
    "250-CHUNKING\r\n250 SMTPUTF8\r\n",
    "smtp.gmail.com", SIZE | EIGHTBITMIME | STARTTLS | ENHANCED | PIPELINING | CHUNKING | SMTPUTF8,
    35882577, "" },
  { "gmail-after-tls",
    "250-smtp.gmail.com at your service, [203.0.113.7]\r\n250-SIZE 35882577\r\n"
    "250-8BITMIME\r\n250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
    "250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    "smtp.gmail.com", SIZE | EIGHTBITMIME | ENHANCED | PIPELINING | CHUNKING | SMTPUTF8,
    35882577, "LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH" },
  { "office365",
    "250-DM6PR11CA0012.outlook.office365.com Hello [203.0.113.7]\r\n250-SIZE 157286400\r\n"
    "250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-AUTH LOGIN XOAUTH2\r\n"
    "250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n",
    "DM6PR11CA0012.outlook.office365.com",
    SIZE | PIPELINING | DSN | ENHANCED | EIGHTBITMIME | CHUNKING | SMTPUTF8,
    157286400, "LOGIN XOAUTH2" },
  { "postfix-both-auth-forms",
    "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
    "250-AUTH PLAIN LOGIN\r\n250-AUTH=PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n"
    "250-8BITMIME\r\n250-DSN\r\n250 CHUNKING\r\n",
    "mail.example.org", PIPELINING | SIZE | ENHANCED | EIGHTBITMIME | DSN | CHUNKING,
    10240000, "PLAIN LOGIN" },
  { "old-auth-form-only", "250-old.example.net\r\n250-AUTH=LOGIN\r\n250 HELP\r\n",
    "old.example.net", 0, 0, "LOGIN" },
  { "auth-forms-merged",
    "250-mx\r\n250-AUTH=LOGIN CRAM-MD5\r\n250-auth plain login\r\n250 AUTH DIGEST-MD5 Plain\r\n",
    "mx", 0, 0, "LOGIN CRAM-MD5 PLAIN DIGEST-MD5" },
  { "lower-case-keywords",
    "250-mx.example.com\r\n250-starttls\r\n250-size\r\n250-8bitmime\r\n250 smtputf8\r\n",
    "mx.example.com", STARTTLS | SIZE | EIGHTBITMIME | SMTPUTF8, 0, "" },
  { "trailing-spaces",
    "250-mx.example.com   \r\n250-STARTTLS   \r\n250-AUTH PLAIN   LOGIN  \r\n250 SIZE 1000 \r\n",
    "mx.example.com", STARTTLS | SIZE, 1000, "PLAIN LOGIN" },
  { "size-without-number", "250-mx\r\n250 SIZE\r\n", "mx", SIZE, 0, "" },
  { "size-zero", "250-mx\r\n250 SIZE 0\r\n", "mx", SIZE, 0, "" },
  { "size-not-a-number", "250-mx\r\n250 SIZE big\r\n", "mx", SIZE, 0, "" },
  { "size-negative", "250-mx\r\n250 SIZE -5\r\n", "mx", SIZE, 0, "" },
  { "size-overflow", "250-mx\r\n250 SIZE 99999999999999999999999\r\n", "mx", SIZE, 0, "" },
  { "size-largest", "250-mx\r\n250 SIZE 18446744073709551615\r\n", "mx", SIZE,
    G_MAXUINT64, "" },
  { "requiretls", "250-mx\r\n250-REQUIRETLS\r\n250 DSN\r\n", "mx", REQUIRETLS | DSN, 0, "" },
  { "unknown-keywords",
    "250-mx.example.com\r\n250-XCLIENT NAME ADDR\r\n250-X-EXPS GSSAPI NTLM\r\n"
    "250-STARTTLSX\r\n250-AUTHX PLAIN\r\n250 ETRN\r\n",
    "mx.example.com", 0, 0, "" },
  { "invalid-mechanism-names",
    "250-mx\r\n250 AUTH PLAIN <script> LOGIN a-mechanism-name-longer-than-twenty "
    "caf\xc3\xa9 X_OK\r\n",
    "mx", 0, 0, "PLAIN LOGIN X_OK" },
  { "auth-without-mechanisms", "250-mx\r\n250-AUTH\r\n250 AUTH=\r\n", "mx", 0, 0, "" },
  { "helo-style-single-line", "250 mx.example.com\r\n", "mx.example.com", 0, 0, "" },
  { "empty-greeting", "250-\r\n250 STARTTLS\r\n", "", STARTTLS, 0, "" },
  { "blank-keyword-lines", "250-mx\r\n250-   \r\n250-\r\n250 PIPELINING\r\n", "mx",
    PIPELINING, 0, "" },
  { "tabs", "250-mx\tgreets you\r\n250-AUTH\tPLAIN\tLOGIN\r\n250 SIZE\t42\r\n", "mx", SIZE,
    42, "PLAIN LOGIN" },
};

static void
test_capabilities_parse (gconstpointer data)
{
  const CapsCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(SmtpCapabilities) caps = NULL;
  g_autoptr(SmtpCapabilities) copy = NULL;
  g_auto(GStrv) expected_auth = NULL;

  reply = smtp_reply_parse (c->reply, -1, &error);
  g_assert_no_error (error);

  caps = smtp_capabilities_parse (reply);
  g_assert_nonnull (caps);
  g_assert_cmpstr (caps->domain, ==, c->domain);
  g_assert_cmpint (caps->starttls, ==, !!(c->flags & STARTTLS));
  g_assert_cmpint (caps->size, ==, !!(c->flags & SIZE));
  g_assert_cmpuint (caps->size_limit, ==, c->size_limit);
  g_assert_cmpint (caps->pipelining, ==, !!(c->flags & PIPELINING));
  g_assert_cmpint (caps->eightbitmime, ==, !!(c->flags & EIGHTBITMIME));
  g_assert_cmpint (caps->smtputf8, ==, !!(c->flags & SMTPUTF8));
  g_assert_cmpint (caps->enhancedstatuscodes, ==, !!(c->flags & ENHANCED));
  g_assert_cmpint (caps->chunking, ==, !!(c->flags & CHUNKING));
  g_assert_cmpint (caps->dsn, ==, !!(c->flags & DSN));
  g_assert_cmpint (caps->requiretls, ==, !!(c->flags & REQUIRETLS));

  expected_auth = g_strsplit (c->auth, " ", -1);
  if (*c->auth == '\0')
    g_clear_pointer (&expected_auth, g_strfreev);
  g_assert_nonnull (caps->auth);
  if (expected_auth != NULL)
    g_assert_cmpstrv (caps->auth, expected_auth);
  else
    g_assert_null (caps->auth[0]);

  for (guint i = 0; caps->auth[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (caps->auth[i], -1);

      g_assert_true (smtp_capabilities_has_auth (caps, caps->auth[i]));
      g_assert_true (smtp_capabilities_has_auth (caps, lower));
    }
  g_assert_false (smtp_capabilities_has_auth (caps, "GSSAPI"));

  copy = smtp_capabilities_copy (caps);
  g_assert_cmpstr (copy->domain, ==, caps->domain);
  g_assert_cmpstrv (copy->auth, caps->auth);
  g_assert_true (copy->auth != caps->auth);
  g_assert_cmpuint (copy->size_limit, ==, caps->size_limit);
  g_assert_cmpint (copy->starttls, ==, caps->starttls);
}

static void
test_capabilities_mechanism_bound (void)
{
  g_autoptr(GString) input = g_string_new ("250-mx\r\n");
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(SmtpCapabilities) caps = NULL;
  g_autoptr(GError) error = NULL;

  /* 4 lines of 50 distinct names: 200 offered, 64 kept. */
  for (guint line = 0; line < 4; line++)
    {
      g_string_append (input, "250-AUTH");
      for (guint i = 0; i < 50; i++)
        g_string_append_printf (input, " M%u", line * 50 + i);
      g_string_append (input, "\r\n");
    }
  g_string_append (input, "250 AUTH PLAIN\r\n");

  reply = smtp_reply_parse (input->str, input->len, &error);
  g_assert_no_error (error);
  caps = smtp_capabilities_parse (reply);
  g_assert_cmpuint (g_strv_length (caps->auth), ==, 64);
  g_assert_cmpstr (caps->auth[0], ==, "M0");
  g_assert_cmpstr (caps->auth[63], ==, "M63");
  g_assert_false (smtp_capabilities_has_auth (caps, "PLAIN"));
}

static void
test_capabilities_dedupe (void)
{
  g_autoptr(GString) input = g_string_new ("250-mx\r\n");
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(SmtpCapabilities) caps = NULL;

  /* Duplicates do not use up the bound. */
  for (guint i = 0; i < 90; i++)
    g_string_append (input, "250-AUTH plain Plain PLAIN\r\n");
  g_string_append (input, "250 AUTH=login\r\n");

  reply = smtp_reply_parse (input->str, input->len, NULL);
  g_assert_nonnull (reply);
  caps = smtp_capabilities_parse (reply);
  g_assert_cmpuint (g_strv_length (caps->auth), ==, 2);
  g_assert_cmpstr (caps->auth[0], ==, "PLAIN");
  g_assert_cmpstr (caps->auth[1], ==, "LOGIN");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("EHLO replies of real servers give the right extensions and sign-in "
                  "methods: both AUTH forms merged, case ignored, bounded, odd input "
                  "tolerated.");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/capabilities/parse/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_capabilities_parse);
    }
  g_test_add_func ("/capabilities/auth/bound", test_capabilities_mechanism_bound);
  g_test_add_func ("/capabilities/auth/dedupe", test_capabilities_dedupe);

  return g_test_run ();
}
