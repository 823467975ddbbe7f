/* test-account.c: an account's properties, checks, test options and last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"

#include <string.h>

#define PIN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static SmtpAccount *
make_account (void)
{
  SmtpAccount *account = smtp_account_new ("Work");

  smtp_account_set_address (account, "ada@example.com");
  smtp_account_set_host (account, "smtp.example.com");
  smtp_account_set_user (account, "ada");
  return account;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

static guint
count (GHashTable *counts,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_account_defaults (void)
{
  g_autoptr(SmtpAccount) account = smtp_account_new ("Home");
  g_autofree char *name = NULL;
  guint port = 0;
  SmtpSecurity security = SMTP_SECURITY_NONE;
  SmtpAuthMechanism auth = SMTP_AUTH_MECHANISM_PLAIN;
  gboolean allow = TRUE, ok = TRUE;
  GDateTime *time = (GDateTime *) 1;

  g_object_get (account, "name", &name, "port", &port, "security", &security, "auth", &auth,
                "allow-plaintext-auth", &allow, "last-test-ok", &ok, "last-test-time", &time,
                NULL);
  g_assert_cmpstr (name, ==, "Home");
  g_assert_cmpuint (port, ==, 587);
  g_assert_cmpint (security, ==, SMTP_SECURITY_STARTTLS);
  g_assert_cmpint (auth, ==, SMTP_AUTH_MECHANISM_AUTO);
  g_assert_false (allow);
  g_assert_false (ok);
  g_assert_null (time);
  g_assert_null (smtp_account_get_address (account));
  g_assert_null (smtp_account_get_user (account));
  g_assert_null (smtp_account_get_pin_sha256 (account));
  g_assert_null (smtp_account_get_ca_file (account));
  g_assert_null (smtp_account_get_last_test_category (account));
  g_assert_null (smtp_account_get_last_test_stage (account));

  /* Without an address and a server it is not an account yet. */
  g_assert_false (smtp_account_validate (account, NULL));
}

static void
test_account_properties (void)
{
  g_autoptr(SmtpAccount) account = smtp_account_new ("Work");
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *address = NULL, *host = NULL, *user = NULL, *from_name = NULL;
  g_autofree char *pin = NULL, *ca_file = NULL;
  guint port = 0;
  SmtpSecurity security;
  SmtpAuthMechanism auth;
  gboolean allow = FALSE;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), counts);

  g_object_set (account,
                "address", "ada@example.com",
                "host", "smtp.example.com",
                "port", 465,
                "security", SMTP_SECURITY_TLS,
                "auth", SMTP_AUTH_MECHANISM_LOGIN,
                "user", "ada",
                "from-name", "Ada Lovelace",
                "pin-sha256", PIN,
                "allow-plaintext-auth", TRUE,
                "ca-file", "/etc/ssl/private-ca.pem",
                NULL);

  g_object_get (account,
                "address", &address, "host", &host, "port", &port, "security", &security,
                "auth", &auth, "user", &user, "from-name", &from_name, "pin-sha256", &pin,
                "allow-plaintext-auth", &allow, "ca-file", &ca_file, NULL);
  g_assert_cmpstr (address, ==, "ada@example.com");
  g_assert_cmpstr (host, ==, "smtp.example.com");
  g_assert_cmpuint (port, ==, 465);
  g_assert_cmpint (security, ==, SMTP_SECURITY_TLS);
  g_assert_cmpint (auth, ==, SMTP_AUTH_MECHANISM_LOGIN);
  g_assert_cmpstr (user, ==, "ada");
  g_assert_cmpstr (from_name, ==, "Ada Lovelace");
  g_assert_cmpstr (pin, ==, PIN);
  g_assert_true (allow);
  g_assert_cmpstr (ca_file, ==, "/etc/ssl/private-ca.pem");

  for (const char * const *p = (const char * const[]) {
         "address", "host", "port", "security", "auth", "user", "from-name", "pin-sha256",
         "allow-plaintext-auth", "ca-file", NULL }; *p != NULL; p++)
    g_assert_cmpuint (count (counts, *p), ==, 1);

  /* The same values again: nothing changes, nothing is notified. */
  g_object_set (account,
                "address", "ada@example.com", "host", "smtp.example.com", "port", 465,
                "security", SMTP_SECURITY_TLS, "auth", SMTP_AUTH_MECHANISM_LOGIN,
                "user", "ada", "from-name", "Ada Lovelace", "pin-sha256", PIN,
                "allow-plaintext-auth", TRUE, "ca-file", "/etc/ssl/private-ca.pem", NULL);
  g_assert_cmpuint (count (counts, "host"), ==, 1);
  g_assert_cmpuint (count (counts, "port"), ==, 1);
  g_assert_cmpuint (count (counts, "allow-plaintext-auth"), ==, 1);

  /* Optional text: empty is unset. */
  smtp_account_set_from_name (account, "");
  g_assert_null (smtp_account_get_from_name (account));
  g_assert_cmpuint (count (counts, "from-name"), ==, 2);
  smtp_account_set_from_name (account, NULL);
  g_assert_cmpuint (count (counts, "from-name"), ==, 2);

  g_assert_true (smtp_account_validate (account, NULL));
}

static void
test_account_last_test (void)
{
  g_autoptr(SmtpAccount) account = make_account ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);
  g_autoptr(GDateTime) same = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);

  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), counts);

  smtp_account_set_last_test (account, time, FALSE, "auth-failed", "auth");
  g_assert_true (g_date_time_equal (smtp_account_get_last_test_time (account), time));
  g_assert_false (smtp_account_get_last_test_ok (account));
  g_assert_cmpstr (smtp_account_get_last_test_category (account), ==, "auth-failed");
  g_assert_cmpstr (smtp_account_get_last_test_stage (account), ==, "auth");
  g_assert_cmpuint (count (counts, "last-test-time"), ==, 1);
  g_assert_cmpuint (count (counts, "last-test-ok"), ==, 0);
  g_assert_cmpuint (count (counts, "last-test-category"), ==, 1);

  smtp_account_set_last_test (account, same, FALSE, "auth-failed", "auth");
  g_assert_cmpuint (count (counts, "last-test-time"), ==, 1);
  g_assert_cmpuint (count (counts, "last-test-category"), ==, 1);

  smtp_account_set_last_test (account, same, TRUE, NULL, "done");
  g_assert_true (smtp_account_get_last_test_ok (account));
  g_assert_null (smtp_account_get_last_test_category (account));
  g_assert_cmpuint (count (counts, "last-test-ok"), ==, 1);
  g_assert_cmpuint (count (counts, "last-test-stage"), ==, 2);
  g_assert_true (smtp_account_validate (account, NULL));

  /* What the file says is checked too. */
  smtp_account_set_last_test (account, same, FALSE, "Auth Failed\n", "auth");
  g_assert_false (smtp_account_validate (account, NULL));
  smtp_account_set_last_test (account, same, FALSE, "auth-failed", "nowhere");
  g_assert_false (smtp_account_validate (account, NULL));
}

typedef void (*Breaker) (SmtpAccount *account);

static void break_name (SmtpAccount *a) { (void) a; }
static void no_address (SmtpAccount *a) { smtp_account_set_address (a, NULL); }
static void bad_address (SmtpAccount *a) { smtp_account_set_address (a, "ada"); }
static void crlf_address (SmtpAccount *a)
{
  smtp_account_set_address (a, "ada@example.com\r\nRCPT TO:<x@example.net>");
}
static void no_host (SmtpAccount *a) { smtp_account_set_host (a, ""); }
static void crlf_host (SmtpAccount *a) { smtp_account_set_host (a, "smtp.example.com\r\nQUIT"); }
static void bad_host (SmtpAccount *a) { smtp_account_set_host (a, "smtp example com"); }
static void lf_user (SmtpAccount *a) { smtp_account_set_user (a, "ada\nAUTH PLAIN"); }
static void nul_like_user (SmtpAccount *a) { smtp_account_set_user (a, "ada\x01"); }
static void cr_from_name (SmtpAccount *a) { smtp_account_set_from_name (a, "Ada\rBcc: x@y.z"); }
static void short_pin (SmtpAccount *a) { smtp_account_set_pin_sha256 (a, "abcdef"); }
static void bad_pin (SmtpAccount *a) { smtp_account_set_pin_sha256 (a, PIN "\n"); }
static void relative_ca (SmtpAccount *a) { smtp_account_set_ca_file (a, "ca.pem"); }
static void lf_ca (SmtpAccount *a) { smtp_account_set_ca_file (a, "/tmp/ca\n.pem"); }

static void
test_account_validation (void)
{
  static const struct {
    const char *name;
    Breaker     breaker;
    const char *field;
  } cases[] = {
    { "", break_name, "name" },
    { " Work", break_name, "name" },
    { "Work [old]", break_name, "name" },
    { "Work\nhost=evil", break_name, "name" },
    { "Work", no_address, "email address" },
    { "Work", bad_address, "email address" },
    { "Work", crlf_address, "email address" },
    { "Work", no_host, "server name" },
    { "Work", crlf_host, "server name" },
    { "Work", bad_host, "server name" },
    { "Work", lf_user, "user name" },
    { "Work", nul_like_user, "user name" },
    { "Work", cr_from_name, "sender name" },
    { "Work", short_pin, "fingerprint" },
    { "Work", bad_pin, "fingerprint" },
    { "Work", relative_ca, "certificate file" },
    { "Work", lf_ca, "certificate file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SmtpAccount) account = smtp_account_new (cases[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(SmtpTestOptions) options = NULL;

      g_test_message ("case %u: %s", i, cases[i].field);
      smtp_account_set_address (account, "ada@example.com");
      smtp_account_set_host (account, "smtp.example.com");
      smtp_account_set_user (account, "ada");
      cases[i].breaker (account);

      g_assert_false (smtp_account_validate (account, &error));
      g_assert_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      if (!g_str_equal (cases[i].field, "name"))
        g_assert_nonnull (strstr (error->message, "“Work”"));
      /* A message is one line: no value with a line break is echoed. */
      g_assert_null (strpbrk (error->message, "\r\n"));

      /* An account that is not valid never becomes test options. */
      g_clear_error (&error);
      options = smtp_account_build_test_options (account, "secret", &error);
      g_assert_null (options);
      g_assert_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID);
    }
}

static void
test_account_name (void)
{
  g_autofree char *long_name = g_strnfill (SMTP_ACCOUNT_NAME_MAX + 1, 'x');
  g_autofree char *max_name = g_strnfill (SMTP_ACCOUNT_NAME_MAX, 'x');
  GError *error = NULL;

  g_assert_true (smtp_account_validate_name ("Work", NULL));
  g_assert_true (smtp_account_validate_name ("Büro — Ada's mail", NULL));
  g_assert_true (smtp_account_validate_name (max_name, NULL));

  g_assert_false (smtp_account_validate_name (long_name, &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_TOO_LONG);
  g_clear_error (&error);

  g_assert_false (smtp_account_validate_name ("", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY);
  g_clear_error (&error);

  g_assert_false (smtp_account_validate_name ("a\tb]", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (smtp_account_validate_name ("a\r\nb", &error));
  g_assert_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_CONTROL_CHARACTER);
  g_clear_error (&error);
}

static void
test_account_options (void)
{
  g_autoptr(SmtpAccount) account = make_account ();
  g_autoptr(SmtpTestOptions) options = NULL;
  g_autoptr(SmtpTestOptions) token = NULL;
  g_autoptr(SmtpTestOptions) none = NULL;
  g_autoptr(GError) error = NULL;

  smtp_account_set_port (account, 465);
  smtp_account_set_security (account, SMTP_SECURITY_TLS);
  smtp_account_set_from_name (account, "Ada Lovelace");
  smtp_account_set_pin_sha256 (account, PIN);

  options = smtp_account_build_test_options (account, "Sup3r-secret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (options->host, ==, "smtp.example.com");
  g_assert_cmpuint (options->port, ==, 465);
  g_assert_cmpint (options->security, ==, SMTP_SECURITY_TLS);
  g_assert_cmpint (options->auth, ==, SMTP_AUTH_MECHANISM_AUTO);
  g_assert_cmpstr (options->user, ==, "ada");
  g_assert_cmpstr (options->password, ==, "Sup3r-secret");
  g_assert_null (options->oauth_token);
  g_assert_cmpstr (options->from, ==, "ada@example.com");
  g_assert_cmpstr (options->from_name, ==, "Ada Lovelace");
  g_assert_null (options->to);
  g_assert_false (options->check_only);
  g_assert_false (options->allow_plaintext_auth);
  g_assert_cmpstr (options->pin_sha256, ==, PIN);
  g_assert_null (options->ca_database);
  g_assert_true (smtp_test_options_validate (options, NULL));

  /* XOAUTH2 takes a token, not a password. */
  smtp_account_set_auth (account, SMTP_AUTH_MECHANISM_XOAUTH2);
  token = smtp_account_build_test_options (account, "ya29.token", &error);
  g_assert_no_error (error);
  g_assert_null (token->password);
  g_assert_cmpstr (token->oauth_token, ==, "ya29.token");

  /* No password: a test without signing in. */
  smtp_account_set_auth (account, SMTP_AUTH_MECHANISM_AUTO);
  smtp_account_set_allow_plaintext_auth (account, TRUE);
  none = smtp_account_build_test_options (account, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none->password);
  g_assert_null (none->oauth_token);
  g_assert_true (none->allow_plaintext_auth);
}

static void
test_account_options_ca_file (void)
{
  g_autoptr(SmtpAccount) account = make_account ();
  g_autoptr(SmtpTestOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "certs", NULL);
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  const char *openssl[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
    "-nodes", "-subj", "/CN=SMTP Setup test CA", "-days", "1", "-keyout", key, "-out", ca,
    NULL
  };
  int status = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_spawn_sync (NULL, (char **) openssl, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  smtp_account_set_ca_file (account, ca);
  options = smtp_account_build_test_options (account, "secret", &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_TLS_DATABASE (options->ca_database));
  g_clear_pointer (&options, smtp_test_options_free);

  smtp_account_set_ca_file (account, missing);
  options = smtp_account_build_test_options (account, "secret", &error);
  g_assert_null (options);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Work"));
}

static SmtpTestResult *
make_result (gboolean    ok,
             SmtpStage   stage,
             const char *reply)
{
  SmtpTestResult *result = g_new0 (SmtpTestResult, 1);

  result->ok = ok;
  result->stage = stage;
  if (reply != NULL)
    {
      result->reply = smtp_reply_parse (reply, -1, NULL);
      g_assert_nonnull (result->reply);
      result->reply_authenticated = TRUE;
      result->error = g_error_new (SMTP_CLIENT_ERROR, SMTP_CLIENT_ERROR_REPLY_REJECTED,
                                   "The server refused: %s", reply);
    }

  return result;
}

static void
test_account_record (void)
{
  g_autoptr(SmtpAccount) account = make_account ();
  g_autoptr(SmtpTestOptions) options = smtp_account_build_test_options (account, "pw", NULL);
  g_autoptr(SmtpTestResult) failed = make_result (FALSE, SMTP_STAGE_AUTH,
                                                  "535 5.7.8 Authentication credentials invalid\r\n");
  g_autoptr(SmtpTestResult) passed = make_result (TRUE, SMTP_STAGE_DONE, NULL);
  g_autoptr(SmtpExplanation) explanation = smtp_explain_result (failed, options);
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  GDateTime *time;

  smtp_account_record_result (account, failed, options);
  time = smtp_account_get_last_test_time (account);
  g_assert_nonnull (time);
  g_assert_cmpint (g_date_time_difference (time, before), >, -G_USEC_PER_SEC);
  g_assert_false (smtp_account_get_last_test_ok (account));
  g_assert_cmpstr (smtp_account_get_last_test_stage (account), ==, "auth");
  g_assert_cmpstr (smtp_account_get_last_test_category (account), ==, explanation->category);
  g_assert_cmpstr (smtp_account_get_last_test_category (account), ==, "auth-failed");
  g_assert_true (smtp_account_validate (account, NULL));

  smtp_account_record_result (account, passed, options);
  g_assert_true (smtp_account_get_last_test_ok (account));
  g_assert_null (smtp_account_get_last_test_category (account));
  g_assert_cmpstr (smtp_account_get_last_test_stage (account), ==, "done");
  later = g_date_time_ref (smtp_account_get_last_test_time (account));
  g_assert_cmpint (g_date_time_compare (later, time), >=, 0);
}

static void
test_account_copy (void)
{
  g_autoptr(SmtpAccount) account = make_account ();
  g_autoptr(SmtpAccount) copy = NULL;
  g_autoptr(SmtpAccount) renamed = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 3, 1, 12, 0, 0);

  smtp_account_set_ca_file (account, "/etc/ca.pem");
  smtp_account_set_last_test (account, time, TRUE, NULL, "done");

  copy = smtp_account_copy (account, NULL);
  g_assert_true (copy != account);
  g_assert_cmpstr (smtp_account_get_name (copy), ==, "Work");
  g_assert_cmpstr (smtp_account_get_ca_file (copy), ==, "/etc/ca.pem");
  g_assert_true (smtp_account_get_last_test_ok (copy));
  g_assert_true (smtp_account_same_keyring_key (account, copy));

  renamed = smtp_account_copy (account, "Work 2");
  g_assert_cmpstr (smtp_account_get_name (renamed), ==, "Work 2");
  g_assert_true (smtp_account_same_keyring_key (account, renamed));

  /* The keyring finds a password by user, server and port. */
  smtp_account_set_port (copy, 465);
  g_assert_false (smtp_account_same_keyring_key (account, copy));
  smtp_account_set_port (copy, 587);
  smtp_account_set_user (copy, "ada@example.com");
  g_assert_false (smtp_account_same_keyring_key (account, copy));
  smtp_account_set_user (copy, "ada");
  smtp_account_set_host (copy, "mail.example.com");
  g_assert_false (smtp_account_same_keyring_key (account, copy));
  smtp_account_set_host (copy, "smtp.example.com");
  smtp_account_set_security (copy, SMTP_SECURITY_TLS);
  g_assert_true (smtp_account_same_keyring_key (account, copy));

  g_assert_finalize_object (g_steal_pointer (&copy));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("An account's properties notify only on change, every setting is checked "
                  "(CR, LF and control characters refused) with a message naming the account "
                  "and the setting, and an account becomes test options and records a result.");
  g_test_bug ("5");

  g_test_add_func ("/account/defaults", test_account_defaults);
  g_test_add_func ("/account/properties", test_account_properties);
  g_test_add_func ("/account/last-test", test_account_last_test);
  g_test_add_func ("/account/validation", test_account_validation);
  g_test_add_func ("/account/name", test_account_name);
  g_test_add_func ("/account/options", test_account_options);
  g_test_add_func ("/account/options/ca-file", test_account_options_ca_file);
  g_test_add_func ("/account/record", test_account_record);
  g_test_add_func ("/account/copy", test_account_copy);

  return g_test_run ();
}
