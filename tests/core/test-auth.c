/* test-auth.c: choosing a sign-in method and the SASL exchanges, with RFC test vectors
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

#define NO_MECHANISM ((SmtpAuthMechanism) -1)

static SmtpCapabilities *
caps_with_auth (const char *mechanisms)
{
  g_autofree char *input = NULL;
  g_autoptr(SmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (*mechanisms != '\0')
    input = g_strdup_printf ("250-mx.example.com\r\n250 AUTH %s\r\n", mechanisms);
  else
    input = g_strdup ("250-mx.example.com\r\n250 PIPELINING\r\n");
  reply = smtp_reply_parse (input, -1, &error);
  g_assert_no_error (error);

  return smtp_capabilities_parse (reply);
}

static void
test_mechanism_ids (void)
{
  static const struct {
    SmtpAuthMechanism mechanism;
    const char *id;
    const char *name;
  } cases[] = {
    { SMTP_AUTH_MECHANISM_AUTO, "auto", NULL },
    { SMTP_AUTH_MECHANISM_PLAIN, "plain", "PLAIN" },
    { SMTP_AUTH_MECHANISM_LOGIN, "login", "LOGIN" },
    { SMTP_AUTH_MECHANISM_CRAM_MD5, "cram-md5", "CRAM-MD5" },
    { SMTP_AUTH_MECHANISM_XOAUTH2, "xoauth2", "XOAUTH2" },
  };
  g_autoptr(GEnumClass) klass = g_type_class_ref (SMTP_TYPE_AUTH_MECHANISM);
  SmtpAuthMechanism mechanism;

  g_assert_true (G_TYPE_IS_ENUM (SMTP_TYPE_AUTH_MECHANISM));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GEnumValue *value = g_enum_get_value (klass, cases[i].mechanism);

      g_assert_nonnull (value);
      g_assert_cmpstr (value->value_nick, ==, cases[i].id);
      g_assert_cmpstr (smtp_auth_mechanism_to_id (cases[i].mechanism), ==, cases[i].id);
      g_assert_cmpstr (smtp_auth_mechanism_to_name (cases[i].mechanism), ==, cases[i].name);

      mechanism = NO_MECHANISM;
      g_assert_true (smtp_auth_mechanism_from_id (cases[i].id, &mechanism));
      g_assert_cmpint (mechanism, ==, cases[i].mechanism);
      if (cases[i].name != NULL)
        {
          mechanism = NO_MECHANISM;
          g_assert_true (smtp_auth_mechanism_from_id (cases[i].name, &mechanism));
          g_assert_cmpint (mechanism, ==, cases[i].mechanism);
        }
    }

  mechanism = SMTP_AUTH_MECHANISM_LOGIN;
  g_assert_false (smtp_auth_mechanism_from_id ("gssapi", &mechanism));
  g_assert_false (smtp_auth_mechanism_from_id ("", &mechanism));
  g_assert_false (smtp_auth_mechanism_from_id ("cram", &mechanism));
  g_assert_cmpint (mechanism, ==, SMTP_AUTH_MECHANISM_LOGIN);
}

static void
test_choose (void)
{
  static const struct {
    const char *offered;
    SmtpAuthMechanism wanted;
    gboolean have_token;
    SmtpAuthMechanism expected; /* NO_MECHANISM: an error */
    const char *message_has;
  } cases[] = {
    /* Automatic: PLAIN over TLS first, then LOGIN, then CRAM-MD5. */
    { "PLAIN LOGIN CRAM-MD5", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_PLAIN, NULL },
    { "CRAM-MD5 LOGIN PLAIN", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_PLAIN, NULL },
    { "LOGIN XOAUTH2", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_LOGIN, NULL },
    { "CRAM-MD5 LOGIN", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_LOGIN, NULL },
    { "DIGEST-MD5 CRAM-MD5", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_CRAM_MD5, NULL },
    { "plain", SMTP_AUTH_MECHANISM_AUTO, FALSE, SMTP_AUTH_MECHANISM_PLAIN, NULL },
    /* XOAUTH2 only with a token. */
    { "LOGIN PLAIN XOAUTH2", SMTP_AUTH_MECHANISM_AUTO, TRUE, SMTP_AUTH_MECHANISM_XOAUTH2, NULL },
    { "PLAIN LOGIN", SMTP_AUTH_MECHANISM_AUTO, TRUE, SMTP_AUTH_MECHANISM_PLAIN, NULL },
    { "XOAUTH2", SMTP_AUTH_MECHANISM_AUTO, FALSE, NO_MECHANISM, "XOAUTH2" },
    /* Nothing usable: the error names what the server offers. */
    { "GSSAPI NTLM", SMTP_AUTH_MECHANISM_AUTO, FALSE, NO_MECHANISM, "GSSAPI, NTLM" },
    { "", SMTP_AUTH_MECHANISM_AUTO, FALSE, NO_MECHANISM, NULL },
    /* Chosen by the user: offered or an error. */
    { "PLAIN LOGIN", SMTP_AUTH_MECHANISM_LOGIN, FALSE, SMTP_AUTH_MECHANISM_LOGIN, NULL },
    { "PLAIN LOGIN CRAM-MD5", SMTP_AUTH_MECHANISM_CRAM_MD5, FALSE, SMTP_AUTH_MECHANISM_CRAM_MD5,
      NULL },
    { "XOAUTH2", SMTP_AUTH_MECHANISM_XOAUTH2, FALSE, SMTP_AUTH_MECHANISM_XOAUTH2, NULL },
    { "PLAIN LOGIN", SMTP_AUTH_MECHANISM_CRAM_MD5, FALSE, NO_MECHANISM, "PLAIN, LOGIN" },
    { "LOGIN", SMTP_AUTH_MECHANISM_PLAIN, FALSE, NO_MECHANISM, "LOGIN" },
    { "", SMTP_AUTH_MECHANISM_PLAIN, FALSE, NO_MECHANISM, "PLAIN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpCapabilities) caps = caps_with_auth (cases[i].offered);
      g_autoptr(GError) error = NULL;
      SmtpAuthMechanism chosen;

      g_test_message ("offered “%s”, wanted %s, token %d", cases[i].offered,
                      smtp_auth_mechanism_to_id (cases[i].wanted), cases[i].have_token);
      chosen = smtp_auth_choose (caps, cases[i].wanted, cases[i].have_token, &error);

      if (cases[i].expected == NO_MECHANISM)
        {
          g_assert_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_MECHANISM_UNSUPPORTED);
          g_assert_cmpint (chosen, ==, SMTP_AUTH_MECHANISM_AUTO);
          if (cases[i].message_has != NULL)
            g_assert_nonnull (strstr (error->message, cases[i].message_has));
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (chosen, ==, cases[i].expected);
        }
    }
}

typedef struct {
  const char *challenge;
  const char *response; /* NULL: SMTP_AUTH_ERROR_BAD_CHALLENGE */
} Step;

typedef struct {
  const char *name;
  SmtpAuthMechanism mechanism;
  const char *user;
  const char *secret;
  const char *command;
  Step steps[4]; /* until a NULL challenge */
} SaslCase;

static const SaslCase sasl_cases[] = {
  /* RFC 4616 §4 style: authzid empty, user and password of RFC 2195. */
  { "plain", SMTP_AUTH_MECHANISM_PLAIN, "tim", "tanstaaftanstaaf",
    "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm",
    { { "", NULL } } },
  { "plain-utf8", SMTP_AUTH_MECHANISM_PLAIN, "jürgen", "pässwörd €",
    "AUTH PLAIN AGrDvHJnZW4AcMOkc3N3w7ZyZCDigqw=", { { NULL, NULL } } },
  { "plain-empty", SMTP_AUTH_MECHANISM_PLAIN, "", "", "AUTH PLAIN AAA=", { { NULL, NULL } } },
  { "plain-ctrl-a-allowed", SMTP_AUTH_MECHANISM_PLAIN, "a", "\001",
    "AUTH PLAIN AGEAAQ==", { { NULL, NULL } } },
  { "login", SMTP_AUTH_MECHANISM_LOGIN, "tim", "tanstaaftanstaaf", "AUTH LOGIN",
    { { "VXNlcm5hbWU6", "dGlt" },
      { "UGFzc3dvcmQ6", "dGFuc3RhYWZ0YW5zdGFhZg==" },
      { "UGFzc3dvcmQ6", NULL } } },
  /* Decided by order, not by the words: lower case, or the same words twice. */
  { "login-other-words", SMTP_AUTH_MECHANISM_LOGIN, "tim", "tanstaaftanstaaf", "AUTH LOGIN",
    { { "dXNlcm5hbWU6", "dGlt" }, { "dXNlcm5hbWU6", "dGFuc3RhYWZ0YW5zdGFhZg==" } } },
  { "login-empty-challenges", SMTP_AUTH_MECHANISM_LOGIN, "tim", "tanstaaftanstaaf",
    "AUTH LOGIN", { { "", "dGlt" }, { " ", "dGFuc3RhYWZ0YW5zdGFhZg==" } } },
  { "login-blanks-and-no-padding", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN",
    { { " VXNlcm5hbWU6 ", "dGlt" }, { "UGFzc3dvcmQ", "eA==" } } },
  { "login-not-base64", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN",
    { { "Username:", NULL } } },
  { "login-bad-padding", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN",
    { { "VXNlcm5hbWU6=", NULL } } },
  { "login-padding-inside", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN",
    { { "ab=c", NULL } } },
  { "login-one-char", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN", { { "a", NULL } } },
  { "login-three-pad", SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", "AUTH LOGIN",
    { { "a===", NULL } } },
  /* RFC 2195 §2. */
  { "cram-md5-rfc2195", SMTP_AUTH_MECHANISM_CRAM_MD5, "tim", "tanstaaftanstaaf",
    "AUTH CRAM-MD5",
    { { "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw" },
      { "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+", NULL } } },
  /* A password longer than the MD5 block is hashed first (RFC 2104). */
  { "cram-md5-long-password", SMTP_AUTH_MECHANISM_CRAM_MD5, "ada",
    "pppppppppppppppppppppppppppppppppppppppppppppppppp"
    "pppppppppppppppppppppppppppppppppppppppppppppppppp",
    "AUTH CRAM-MD5",
    { { "PDEyM0B4Pg==", "YWRhIGEyNGI1MDY2MjM0MDI2N2RiNDgyYjIyYzY0MzY3Y2Ex" } } },
  { "cram-md5-empty-challenge", SMTP_AUTH_MECHANISM_CRAM_MD5, "tim", "x", "AUTH CRAM-MD5",
    { { "", NULL } } },
  { "cram-md5-not-base64", SMTP_AUTH_MECHANISM_CRAM_MD5, "tim", "x", "AUTH CRAM-MD5",
    { { "<1896.697170952@postoffice.reston.mci.net>", NULL } } },
  /* Google's example of the XOAUTH2 initial response. */
  { "xoauth2", SMTP_AUTH_MECHANISM_XOAUTH2, "someuser@example.com",
    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
    "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
    "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==",
    { { NULL, NULL } } },
  /* A rejected token: the server's JSON comes as a 334, answered by an
   * empty line so that the final error follows. */
  { "xoauth2-error", SMTP_AUTH_MECHANISM_XOAUTH2, "someuser@example.com",
    "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg",
    "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52"
    "YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==",
    { { "eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xl"
        "LmNvbS8ifQ==", "" },
      { "", NULL } } },
  { "xoauth2-error-not-base64", SMTP_AUTH_MECHANISM_XOAUTH2, "a@example.com", "token",
    "AUTH XOAUTH2 dXNlcj1hQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHRva2VuAQE=",
    { { "{\"status\":\"400\"}", NULL } } },
};

static void
test_sasl_exchange (gconstpointer data)
{
  const SaslCase *c = data;
  g_autoptr(SmtpSasl) sasl = NULL;
  g_autoptr(GError) error = NULL;
  char *command;

  sasl = smtp_sasl_new (c->mechanism, c->user, c->secret, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sasl);
  g_assert_cmpint (smtp_sasl_get_mechanism (sasl), ==, c->mechanism);

  command = smtp_sasl_initial_command (sasl);
  g_assert_cmpstr (command, ==, c->command);
  g_assert_null (strpbrk (command, "\r\n"));
  smtp_sasl_line_free (command);

  for (guint i = 0; i < G_N_ELEMENTS (c->steps) && c->steps[i].challenge != NULL; i++)
    {
      char *response = smtp_sasl_step (sasl, c->steps[i].challenge, &error);

      g_test_message ("step %u", i);
      if (c->steps[i].response == NULL)
        {
          g_assert_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_BAD_CHALLENGE);
          g_assert_null (response);
          if (strlen (c->secret) >= 8)
            g_assert_null (strstr (error->message, c->secret));
          break;
        }

      g_assert_no_error (error);
      g_assert_cmpstr (response, ==, c->steps[i].response);
      smtp_sasl_line_free (response);
    }
}

/* Starting again gives the same exchange. */
static void
test_sasl_restart (void)
{
  g_autoptr(SmtpSasl) sasl = smtp_sasl_new (SMTP_AUTH_MECHANISM_LOGIN, "tim", "x", NULL);
  char *line;

  for (guint round = 0; round < 2; round++)
    {
      line = smtp_sasl_initial_command (sasl);
      g_assert_cmpstr (line, ==, "AUTH LOGIN");
      smtp_sasl_line_free (line);
      line = smtp_sasl_step (sasl, "VXNlcm5hbWU6", NULL);
      g_assert_cmpstr (line, ==, "dGlt");
      smtp_sasl_line_free (line);
      line = smtp_sasl_step (sasl, "UGFzc3dvcmQ6", NULL);
      g_assert_cmpstr (line, ==, "eA==");
      smtp_sasl_line_free (line);
    }

  smtp_sasl_line_free (NULL);
  smtp_sasl_free (NULL);
}

static void
test_sasl_invalid_credentials (void)
{
  static const struct {
    SmtpAuthMechanism mechanism;
    const char *user;
    const char *secret;
    gboolean valid;
  } cases[] = {
    { SMTP_AUTH_MECHANISM_PLAIN, "tim", "pass\r\nMAIL FROM:<x@y.z>", FALSE },
    { SMTP_AUTH_MECHANISM_PLAIN, "tim\n", "hunter2-secret", FALSE },
    { SMTP_AUTH_MECHANISM_LOGIN, "tim", "pa\rss", FALSE },
    { SMTP_AUTH_MECHANISM_CRAM_MD5, "t\nim", "pass", FALSE },
    { SMTP_AUTH_MECHANISM_XOAUTH2, "tim", "token\001auth=Bearer other", FALSE },
    { SMTP_AUTH_MECHANISM_XOAUTH2, "tim\001", "token", FALSE },
    { SMTP_AUTH_MECHANISM_XOAUTH2, "tim", "tok\nen", FALSE },
    { SMTP_AUTH_MECHANISM_LOGIN, "tim", "p\001ss", TRUE },
    { SMTP_AUTH_MECHANISM_PLAIN, "tïm", "pässwörd with spaces\t", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SmtpSasl) sasl = NULL;

      g_test_message ("case %u", i);
      sasl = smtp_sasl_new (cases[i].mechanism, cases[i].user, cases[i].secret, &error);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
          g_assert_nonnull (sasl);
        }
      else
        {
          g_assert_error (error, SMTP_AUTH_ERROR, SMTP_AUTH_ERROR_INVALID_CREDENTIALS);
          g_assert_null (sasl);
          /* The message never repeats what was typed. */
          if (strlen (cases[i].secret) >= 8)
            g_assert_null (strstr (error->message, cases[i].secret));
        }
    }
}

/* The secret is copied: the caller may wipe its own right away. */
static void
test_sasl_copies_secret (void)
{
  g_autoptr(SmtpSasl) sasl = NULL;
  char secret[] = "tanstaaftanstaaf";
  char *line;

  sasl = smtp_sasl_new (SMTP_AUTH_MECHANISM_PLAIN, "tim", secret, NULL);
  memset (secret, 'x', sizeof secret - 1);
  line = smtp_sasl_initial_command (sasl);
  g_assert_cmpstr (line, ==, "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
  smtp_sasl_line_free (line);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("The sign-in method is chosen from what the server offers (PLAIN first "
                  "over TLS, XOAUTH2 only with a token), and PLAIN, LOGIN, CRAM-MD5 and "
                  "XOAUTH2 answer as their RFCs and test vectors say, refusing bad "
                  "challenges and credentials that could break the command line.");

  g_test_add_func ("/auth/mechanism/ids", test_mechanism_ids);
  g_test_add_func ("/auth/choose", test_choose);
  for (guint i = 0; i < G_N_ELEMENTS (sasl_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/auth/sasl/%s", sasl_cases[i].name);

      g_test_add_data_func (path, &sasl_cases[i], test_sasl_exchange);
    }
  g_test_add_func ("/auth/sasl/restart", test_sasl_restart);
  g_test_add_func ("/auth/sasl/invalid-credentials", test_sasl_invalid_credentials);
  g_test_add_func ("/auth/sasl/copies-secret", test_sasl_copies_secret);

  return g_test_run ();
}
