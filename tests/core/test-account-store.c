/* test-account-store.c: the saved accounts file: round trip, format version,
 * broken and hand-edited files, two writers, and saves killed midway
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-core.h"
#include "smtp-test-util.h"

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PASSWORD "Sup3r-secret pässword"
#define PIN "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The program itself, run again as the child that is killed while saving. */
static const char *program;

static char *
accounts_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "smtp-setup", "accounts.ini", NULL);
}

static char *
accounts_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "smtp-setup", NULL);
}

static void
write_accounts_file (const char *contents)
{
  g_autofree char *dir = accounts_dir ();
  g_autofree char *path = accounts_path ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static gboolean
have_result_cb (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
load (SmtpAccountStore  *store,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  smtp_account_store_load_async (store, NULL, result_cb, &result);
  smtp_test_wait_until (have_result_cb, &result, 30000, "the accounts to load");
  return smtp_account_store_load_finish (store, result, error);
}

static gboolean
save (SmtpAccountStore  *store,
      SmtpAccount       *account,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  smtp_account_store_save_async (store, account, NULL, result_cb, &result);
  smtp_test_wait_until (have_result_cb, &result, 30000, "the account to save");
  return smtp_account_store_save_finish (store, result, error);
}

static gboolean
remove_account (SmtpAccountStore  *store,
                const char        *name,
                GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  smtp_account_store_remove_async (store, name, NULL, result_cb, &result);
  smtp_test_wait_until (have_result_cb, &result, 30000, "the account to be removed");
  return smtp_account_store_remove_finish (store, result, error);
}

static SmtpAccount *
make_account (const char *name,
              const char *host)
{
  SmtpAccount *account = smtp_account_new (name);

  smtp_account_set_address (account, "ada@example.com");
  smtp_account_set_host (account, host);
  smtp_account_set_user (account, "ada");
  return account;
}

static guint
n_accounts (SmtpAccountStore *store)
{
  return g_list_model_get_n_items (smtp_account_store_get_accounts (store));
}

static void
assert_same_account (SmtpAccount *a,
                     SmtpAccount *b)
{
  GDateTime *ta = smtp_account_get_last_test_time (a);
  GDateTime *tb = smtp_account_get_last_test_time (b);

  g_assert_cmpstr (smtp_account_get_name (a), ==, smtp_account_get_name (b));
  g_assert_cmpstr (smtp_account_get_address (a), ==, smtp_account_get_address (b));
  g_assert_cmpstr (smtp_account_get_host (a), ==, smtp_account_get_host (b));
  g_assert_cmpuint (smtp_account_get_port (a), ==, smtp_account_get_port (b));
  g_assert_cmpint (smtp_account_get_security (a), ==, smtp_account_get_security (b));
  g_assert_cmpint (smtp_account_get_auth (a), ==, smtp_account_get_auth (b));
  g_assert_cmpstr (smtp_account_get_user (a), ==, smtp_account_get_user (b));
  g_assert_cmpstr (smtp_account_get_from_name (a), ==, smtp_account_get_from_name (b));
  g_assert_cmpstr (smtp_account_get_pin_sha256 (a), ==, smtp_account_get_pin_sha256 (b));
  g_assert_cmpint (smtp_account_get_allow_plaintext_auth (a), ==,
                   smtp_account_get_allow_plaintext_auth (b));
  g_assert_cmpstr (smtp_account_get_ca_file (a), ==, smtp_account_get_ca_file (b));
  g_assert_true ((ta == NULL) == (tb == NULL));
  if (ta != NULL)
    g_assert_true (g_date_time_equal (ta, tb));
  g_assert_cmpint (smtp_account_get_last_test_ok (a), ==, smtp_account_get_last_test_ok (b));
  g_assert_cmpstr (smtp_account_get_last_test_category (a), ==,
                   smtp_account_get_last_test_category (b));
  g_assert_cmpstr (smtp_account_get_last_test_stage (a), ==,
                   smtp_account_get_last_test_stage (b));
}

static void
test_store_missing (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *store_path = g_file_get_path (smtp_account_store_get_file (store));

  g_assert_cmpstr (store_path, ==, path);
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, 0);
  g_assert_cmpuint (smtp_account_store_get_problems (store)->len, ==, 0);
  g_assert_null (smtp_account_store_lookup (store, "Work"));

  /* Loading never creates the file. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_store_round_trip (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) again = smtp_account_store_new ();
  g_autoptr(SmtpAccount) work = make_account ("Work", "smtp.example.com");
  g_autoptr(SmtpAccount) home = make_account ("Büro — Ada's", "mail.example.org");
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 3, 1, 12, 30, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = accounts_path ();
  g_autofree char *dir = accounts_dir ();
  g_autofree char *start = NULL;
  GStatBuf st;

  smtp_account_set_port (work, 465);
  smtp_account_set_security (work, SMTP_SECURITY_TLS);
  smtp_account_set_auth (work, SMTP_AUTH_MECHANISM_CRAM_MD5);
  smtp_account_set_from_name (work, "Ada Lovelace = \"Countess\" ; # [x]");
  smtp_account_set_pin_sha256 (work, PIN);
  smtp_account_set_ca_file (work, "/etc/ssl/private ca.pem");
  smtp_account_set_last_test (work, time, FALSE, "auth-failed", "auth");

  smtp_account_set_security (home, SMTP_SECURITY_NONE);
  smtp_account_set_port (home, 25);
  smtp_account_set_allow_plaintext_auth (home, TRUE);
  smtp_account_set_user (home, NULL);
  smtp_account_set_last_test (home, time, TRUE, NULL, "done");

  g_assert_true (load (store, &error));
  g_assert_true (save (store, work, &error));
  g_assert_no_error (error);
  g_assert_true (save (store, home, &error));
  g_assert_no_error (error);

  /* The store lists the saved objects themselves. */
  g_assert_cmpuint (n_accounts (store), ==, 2);
  g_assert_true (smtp_account_store_lookup (store, "Work") == work);
  g_assert_true (smtp_account_store_lookup (store, "Büro — Ada's") == home);

  /* Private: the folder 0700, the file 0600. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (keyfile, "smtp-setup", "format-version", NULL), ==, 1);
  g_assert_true (g_key_file_has_group (keyfile, "account Work"));
  start = g_key_file_get_start_group (keyfile);
  g_assert_cmpstr (start, ==, "smtp-setup");

  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (again), ==, 2);
  g_assert_cmpuint (smtp_account_store_get_problems (again)->len, ==, 0);
  assert_same_account (smtp_account_store_lookup (again, "Work"), work);
  assert_same_account (smtp_account_store_lookup (again, "Büro — Ada's"), home);
}

/* Grows with every byte sequence that must never be in the file. */
static void
assert_no_password (const char *contents)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  g_autofree char *plain = NULL;
  g_autofree char *plain_b64 = NULL;
  gsize len;

  plain = g_strdup_printf ("%c%s%c%s", 0, "ada", 0, PASSWORD);
  len = 1 + strlen ("ada") + 1 + strlen (PASSWORD);
  plain_b64 = g_base64_encode ((const guchar *) plain, len);

  g_assert_null (strstr (contents, PASSWORD));
  g_assert_null (strstr (contents, "Sup3r-secret"));
  g_assert_null (strstr (contents, b64));
  g_assert_null (strstr (contents, plain_b64));
  g_assert_null (strstr (contents, "password="));
}

static void
test_store_no_password (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccount) work = make_account ("Work", "smtp.example.com");
  g_autoptr(SmtpTestOptions) options = NULL;
  g_autoptr(SmtpTestResult) result = g_new0 (SmtpTestResult, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *contents = NULL;

  options = smtp_account_build_test_options (work, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (options->password, ==, PASSWORD);

  result->ok = TRUE;
  result->stage = SMTP_STAGE_DONE;
  smtp_account_record_result (work, result, options);

  g_assert_true (save (store, work, &error));
  g_assert_no_error (error);

  contents = smtp_test_read_file (path);
  g_assert_nonnull (strstr (contents, "last-test-ok=true"));
  assert_no_password (contents);
}

static void
test_store_update_remove (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) again = smtp_account_store_new ();
  g_autoptr(SmtpAccount) first = make_account ("First", "smtp.example.com");
  g_autoptr(SmtpAccount) second = make_account ("Second", "smtp.example.net");
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = accounts_path ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;

  g_assert_true (save (store, first, &error));
  g_assert_true (save (store, second, &error));
  g_assert_no_error (error);

  /* Changing the first keeps its place; unset settings leave the file. */
  smtp_account_set_port (first, 2525);
  smtp_account_set_user (first, NULL);
  g_assert_true (save (store, first, &error));
  g_assert_no_error (error);

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (keyfile, NULL);
  g_assert_cmpuint (g_strv_length (groups), ==, 3);
  g_assert_cmpstr (groups[1], ==, "account First");
  g_assert_cmpstr (groups[2], ==, "account Second");
  g_assert_cmpint (g_key_file_get_integer (keyfile, "account First", "port", NULL), ==, 2525);
  g_assert_false (g_key_file_has_key (keyfile, "account First", "user", NULL));

  g_assert_true (remove_account (store, "First", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, 1);
  g_assert_null (smtp_account_store_lookup (store, "First"));

  g_assert_false (remove_account (store, "First", &error));
  g_assert_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "First"));
  g_clear_error (&error);

  g_assert_true (load (again, &error));
  g_assert_cmpuint (n_accounts (again), ==, 1);
  assert_same_account (smtp_account_store_lookup (again, "Second"), second);

  /* An account that is not valid is never written. */
  smtp_account_set_host (second, "smtp.example.net\r\nQUIT");
  g_assert_false (save (store, second, &error));
  g_assert_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID);
  contents = smtp_test_read_file (path);
  g_assert_null (strstr (contents, "QUIT"));
}

static void
test_store_format_version (void)
{
  static const char newer[] =
    "[smtp-setup]\nformat-version=2\n\n"
    "[account Work]\naddress=ada@example.com\nhost=smtp.example.com\nport=587\n";
  static const char unversioned[] =
    "# written by hand\n"
    "[account Work]\naddress=ada@example.com\nhost=smtp.example.com\nsecurity=tls\n";
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) hand = smtp_account_store_new ();
  g_autoptr(SmtpAccount) work = make_account ("Work", "smtp.example.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *contents = NULL;
  SmtpAccount *loaded;

  write_accounts_file (newer);

  g_assert_false (load (store, &error));
  g_assert_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_UNSUPPORTED_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_clear_error (&error);

  /* Nothing is written over a newer file. */
  g_assert_false (save (store, work, &error));
  g_assert_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_UNSUPPORTED_VERSION);
  g_clear_error (&error);
  contents = smtp_test_read_file (path);
  g_assert_cmpstr (contents, ==, newer);

  /* No version is version 1; a port left out follows the security. */
  write_accounts_file (unversioned);
  g_assert_true (load (hand, &error));
  g_assert_no_error (error);
  loaded = smtp_account_store_lookup (hand, "Work");
  g_assert_nonnull (loaded);
  g_assert_cmpuint (smtp_account_get_port (loaded), ==, 465);
  g_assert_cmpint (smtp_account_get_security (loaded), ==, SMTP_SECURITY_TLS);

  g_assert_true (save (hand, loaded, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = smtp_test_read_file (path);
  g_assert_nonnull (strstr (contents, "format-version=1"));
  g_assert_nonnull (strstr (contents, "# written by hand"));
}

static char *
find_broken (char **contents)
{
  g_autofree char *dir = accounts_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      if (g_str_has_prefix (name, "accounts.ini.broken-"))
        {
          g_assert_null (found);
          found = g_build_filename (dir, name, NULL);
        }
    }

  if (found != NULL && contents != NULL)
    *contents = smtp_test_read_file (found);

  return found;
}

static void
test_store_corrupt (void)
{
  static const char garbage[] =
    "[smtp-setup]\nformat-version=1\n\n[account Work]\naddress=ada@example.com\n"
    "this line is not a key\n\x01\x02\x03";
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) again = smtp_account_store_new ();
  g_autoptr(SmtpAccount) home = make_account ("Home", "smtp.example.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *broken = NULL;
  g_autofree char *kept = NULL;

  write_accounts_file (garbage);

  g_assert_false (load (store, &error));
  g_assert_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);

  /* Kept aside, byte for byte, under a name the message gives. */
  broken = find_broken (&kept);
  g_assert_nonnull (broken);
  g_assert_cmpstr (kept, ==, garbage);
  g_assert_nonnull (strstr (error->message, broken));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The store is empty and usable; the broken file stays. */
  g_assert_cmpuint (n_accounts (store), ==, 0);
  g_assert_true (save (store, home, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (broken, G_FILE_TEST_EXISTS));
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (again), ==, 1);
}

static void
test_store_corrupt_while_saving (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) again = smtp_account_store_new ();
  g_autoptr(SmtpAccount) work = make_account ("Work", "smtp.example.com");
  g_autoptr(SmtpAccount) home = make_account ("Home", "smtp.example.net");
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *kept = NULL;
  GPtrArray *problems;

  g_assert_true (save (store, work, &error));
  g_assert_no_error (error);

  /* Someone breaks the file between two changes. */
  write_accounts_file ("[smtp-setup\nformat-version=1\n");

  g_assert_true (save (store, home, &error));
  g_assert_no_error (error);

  problems = smtp_account_store_get_problems (store);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_error ((GError *) g_ptr_array_index (problems, 0), SMTP_ACCOUNT_STORE_ERROR,
                  SMTP_ACCOUNT_STORE_ERROR_CORRUPT);

  broken = find_broken (&kept);
  g_assert_cmpstr (kept, ==, "[smtp-setup\nformat-version=1\n");

  /* What this store knew is written again, with the change. */
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (again), ==, 2);
  g_assert_nonnull (smtp_account_store_lookup (again, "Work"));
  g_assert_nonnull (smtp_account_store_lookup (again, "Home"));
}

static void
test_store_bad_version_is_corrupt (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = NULL;

  write_accounts_file ("[smtp-setup]\nformat-version=one\n");
  g_assert_false (load (store, &error));
  g_assert_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_CORRUPT);
  broken = find_broken (NULL);
  g_assert_nonnull (broken);
}

static void
test_store_hand_edited (void)
{
  static const char file[] =
    "[smtp-setup]\n"
    "format-version=1\n"
    "\n"
    "# My main account\n"
    "[account Good]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\n"
    "port=587\n"
    "security=starttls\n"
    "future-setting=kept\n"
    "\n"
    "[account Escaped]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\\r\\nRSET\n"
    "\n"
    "[account Raw]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\n"
    "user=ada\rAUTH PLAIN\n"
    "\n"
    "[account Port]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\n"
    "port=70000\n"
    "\n"
    "[account Security]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\n"
    "security=ssl3\n"
    "\n"
    "[account NoHost]\n"
    "address=ada@example.com\n"
    "\n"
    "[account Address]\n"
    "address=ada\n"
    "host=smtp.example.com\n"
    "\n"
    "[account Sender]\n"
    "address=ada@example.com\n"
    "host=smtp.example.com\n"
    "from-name=Ada\\nBcc: eve@example.net\n";
  static const struct {
    const char *name;
    const char *key;
  } skipped[] = {
    { "Escaped", "host" },
    { "Raw", "user" },
    { "Port", "port" },
    { "Security", "security" },
    { "NoHost", "host" },
    { "Address", "address" },
    { "Sender", "from-name" },
  };
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *contents = NULL;
  GPtrArray *problems;
  SmtpAccount *good;

  write_accounts_file (file);

  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, 1);
  good = smtp_account_store_lookup (store, "Good");
  g_assert_nonnull (good);

  problems = smtp_account_store_get_problems (store);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (skipped));
  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    {
      const GError *problem = g_ptr_array_index (problems, i);
      g_autofree char *name = g_strdup_printf ("“%s”", skipped[i].name);
      g_autofree char *key = g_strdup_printf ("“%s”", skipped[i].key);

      g_test_message ("%s", problem->message);
      g_assert_error (problem, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID);
      g_assert_nonnull (strstr (problem->message, name));
      g_assert_nonnull (strstr (problem->message, key));
      g_assert_nonnull (strstr (problem->message, "accounts.ini"));
      g_assert_null (strpbrk (problem->message, "\r\n"));
    }

  /* Saving another change loses nothing: skipped accounts, unknown keys
   * and comments stay as they were. */
  smtp_account_set_port (good, 465);
  smtp_account_set_security (good, SMTP_SECURITY_TLS);
  g_assert_true (save (store, good, &error));
  g_assert_no_error (error);

  contents = smtp_test_read_file (path);
  g_assert_nonnull (strstr (contents, "# My main account\n[account Good]\n"));
  g_assert_nonnull (strstr (contents, "future-setting=kept"));
  g_assert_nonnull (strstr (contents, "host=smtp.example.com\\r\\nRSET"));
  g_assert_nonnull (strstr (contents, "user=ada\rAUTH PLAIN"));
  g_assert_nonnull (strstr (contents, "port=70000"));
  g_assert_nonnull (strstr (contents, "security=ssl3"));
  g_assert_nonnull (strstr (contents, "[account NoHost]"));
  g_assert_nonnull (strstr (contents, "from-name=Ada\\nBcc: eve@example.net"));
  g_assert_nonnull (strstr (contents, "port=465"));
  g_assert_cmpuint (smtp_account_store_get_problems (store)->len, ==, G_N_ELEMENTS (skipped));
}

static void
test_store_two_stores (void)
{
  g_autoptr(SmtpAccountStore) a = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) b = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) c = smtp_account_store_new ();
  g_autoptr(SmtpAccount) x = make_account ("X", "smtp.example.com");
  g_autoptr(SmtpAccount) y = make_account ("Y", "smtp.example.net");
  g_autoptr(GError) error = NULL;
  SmtpAccount *seen;

  /* Two instances started before either saved anything. */
  g_assert_true (load (a, &error));
  g_assert_true (load (b, &error));
  g_assert_no_error (error);

  g_assert_true (save (a, x, &error));
  g_assert_true (save (b, y, &error));
  g_assert_no_error (error);

  g_assert_true (load (c, &error));
  g_assert_cmpuint (n_accounts (c), ==, 2);
  g_assert_nonnull (smtp_account_store_lookup (c, "X"));
  g_assert_nonnull (smtp_account_store_lookup (c, "Y"));

  /* The second writer saw the first one's account on its way. */
  g_assert_cmpuint (n_accounts (b), ==, 2);

  /* A change from one is seen by the other at its next write, in place. */
  smtp_account_set_port (x, 2525);
  g_assert_true (save (a, x, &error));
  g_assert_true (remove_account (b, "Y", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (b), ==, 1);
  seen = smtp_account_store_lookup (b, "X");
  g_assert_cmpuint (smtp_account_get_port (seen), ==, 2525);

  g_assert_true (load (c, &error));
  g_assert_cmpuint (n_accounts (c), ==, 1);
  g_assert_cmpuint (smtp_account_get_port (smtp_account_store_lookup (c, "X")), ==, 2525);
  g_assert_true (load (a, &error));
  g_assert_cmpuint (n_accounts (a), ==, 1);
}

typedef struct
{
  guint pending;
  guint failed;
} Many;

static void
many_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Many *many = user_data;
  g_autoptr(GError) error = NULL;

  if (!smtp_account_store_save_finish (SMTP_ACCOUNT_STORE (source), result, &error))
    {
      g_test_message ("%s", error->message);
      many->failed++;
    }
  many->pending--;
}

static gboolean
many_done_cb (gpointer user_data)
{
  return ((Many *) user_data)->pending == 0;
}

static void
test_store_concurrent (void)
{
  g_autoptr(SmtpAccountStore) a = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) b = smtp_account_store_new ();
  g_autoptr(SmtpAccountStore) check = smtp_account_store_new ();
  g_autoptr(GError) error = NULL;
  Many many = { 0 };

  /* Forty saves in flight at once from two stores: the lock orders them. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Account %u", i);
      g_autoptr(SmtpAccount) account = make_account (name, "smtp.example.com");

      many.pending++;
      smtp_account_store_save_async (i % 2 ? a : b, account, NULL, many_cb, &many);
    }
  smtp_test_wait_until (many_done_cb, &many, 60000, "forty saves");
  g_assert_cmpuint (many.failed, ==, 0);

  g_assert_true (load (check, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (check), ==, 40);
}

/* A save killed at any moment ---------------------------------------------- */

#define KILL_BASE_ACCOUNTS 1500
#define KILL_RUNS 20

static int
kill_child_main (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("SMTP_TEST_KILL_FILE"));
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (file);
  g_autoptr(GError) error = NULL;
  const char *run = g_getenv ("SMTP_TEST_KILL_RUN");

  if (!load (store, &error))
    g_error ("%s", error->message);

  for (guint i = 1; i < 100000; i++)
    {
      g_autofree char *name = g_strdup_printf ("run%s-%u", run, i);
      g_autoptr(SmtpAccount) account = make_account (name, "new.example.com");

      if (!save (store, account, &error))
        g_error ("%s", error->message);

      /* Tell the parent a save is done, so its kill lands among saves. */
      if (write (3, "s", 1) != 1)
        return 1;
    }

  return 0;
}

static void
byte_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gssize *n = user_data;

  *n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
}

static gboolean
read_done_cb (gpointer user_data)
{
  return *(gssize *) user_data != -2;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_set_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static gboolean
exited_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* The file parses as a whole, holds every base account unchanged and, of
 * each run, the accounts 1..k without a gap. */
static guint
check_after_kill (const char *path,
                  guint       runs)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new_for_file (file);
  guint total = 0;

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (keyfile, "smtp-setup", "format-version", NULL), ==, 1);

  for (guint i = 0; i < KILL_BASE_ACCOUNTS; i++)
    {
      g_autofree char *group = g_strdup_printf ("account base-%u", i);
      g_autofree char *host = g_key_file_get_string (keyfile, group, "host", NULL);

      g_assert_cmpstr (host, ==, "base.example.com");
    }

  for (guint r = 0; r <= runs; r++)
    {
      guint k = 0;

      for (;; k++)
        {
          g_autofree char *group = g_strdup_printf ("account run%u-%u", r, k + 1);

          if (!g_key_file_has_group (keyfile, group))
            break;
        }
      for (guint gap = k + 2; gap < k + 5; gap++)
        {
          g_autofree char *group = g_strdup_printf ("account run%u-%u", r, gap);

          g_assert_false (g_key_file_has_group (keyfile, group));
        }
      total += k;
    }

  /* And the store reads every account of it. */
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (smtp_account_store_get_problems (store)->len, ==, 0);
  g_assert_cmpuint (n_accounts (store), ==, KILL_BASE_ACCOUNTS + total);

  return total;
}

static void
test_store_killed (void)
{
  g_autoptr(SmtpAccountStore) store = smtp_account_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autoptr(GString) contents = g_string_new ("[smtp-setup]\nformat-version=1\n");
  guint saved = 0;

  if (program == NULL)
    {
      g_test_skip ("The test program's path is unknown");
      return;
    }

  for (guint i = 0; i < KILL_BASE_ACCOUNTS; i++)
    g_string_append_printf (contents,
                            "\n[account base-%u]\naddress=base%u@example.com\n"
                            "host=base.example.com\nport=587\nsecurity=starttls\nauth=auto\n"
                            "user=base%u@example.com\nfrom-name=Base account number %u\n",
                            i, i, i, i);
  write_accounts_file (contents->str);

  for (guint run = 1; run <= KILL_RUNS; run++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GInputStream) ready = NULL;
      g_autofree char *run_text = g_strdup_printf ("%u", run);
      const char *argv[] = { program, NULL };
      int fds[2];
      gssize n = -2;
      char byte;
      gboolean fired = FALSE, exited = FALSE;
      guint delay_ms, before, after;

      before = check_after_kill (path, run);
      g_assert_cmpint (pipe (fds), ==, 0);
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      g_subprocess_launcher_setenv (launcher, "SMTP_TEST_KILL_FILE", path, TRUE);
      g_subprocess_launcher_setenv (launcher, "SMTP_TEST_KILL_RUN", run_text, TRUE);
      g_subprocess_launcher_take_fd (launcher, fds[1], 3);
      child = g_subprocess_launcher_spawnv (launcher, argv, &error);
      g_assert_no_error (error);
      g_clear_object (&launcher);
      ready = g_unix_input_stream_new (fds[0], TRUE);

      /* Half the runs are killed before the first save ends, half at a
       * random moment among later ones. */
      if (run % 2 == 0)
        {
          g_input_stream_read_async (ready, &byte, 1, G_PRIORITY_DEFAULT, NULL, byte_read_cb, &n);
          smtp_test_wait_until (read_done_cb, &n, 60000, "the child's first save");
          g_assert_cmpint (n, ==, 1);
        }
      delay_ms = g_test_rand_int_range (0, 120);
      g_timeout_add (delay_ms, flag_cb, &fired);
      smtp_test_wait_until (flag_set_cb, &fired, 60000, "the moment to kill");

      g_subprocess_force_exit (child);
      g_subprocess_wait_async (child, NULL, wait_cb, &exited);
      smtp_test_wait_until (exited_cb, &exited, 30000, "the child to die");
      g_assert_true (g_subprocess_get_if_signaled (child));
      g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

      after = check_after_kill (path, run);
      g_assert_cmpuint (after, >=, before);
      g_test_message ("run %u: killed after %u ms, %u saves had finished", run, delay_ms,
                      after - before);
      saved += after - before;
    }

  g_test_message ("%u saves completed across %u kills", saved, KILL_RUNS);

  /* Whatever the kills left beside the file is harmless to the next save. */
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_accounts (store), ==, KILL_BASE_ACCOUNTS + saved);
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("SMTP_TEST_KILL_FILE") != NULL)
    return kill_child_main ();

  program = argv[0];

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_summary ("The accounts file round-trips every setting, has a format version, keeps "
                  "a broken file aside and reports it, skips hand-edited accounts that are "
                  "not valid (naming them) without losing them, never holds a password, keeps "
                  "the changes of two writers, and is never broken by a killed save.");
  g_test_bug ("5");

  g_test_add_func ("/account-store/missing", test_store_missing);
  g_test_add_func ("/account-store/round-trip", test_store_round_trip);
  g_test_add_func ("/account-store/no-password", test_store_no_password);
  g_test_add_func ("/account-store/update-remove", test_store_update_remove);
  g_test_add_func ("/account-store/format-version", test_store_format_version);
  g_test_add_func ("/account-store/corrupt", test_store_corrupt);
  g_test_add_func ("/account-store/corrupt/while-saving", test_store_corrupt_while_saving);
  g_test_add_func ("/account-store/corrupt/bad-version", test_store_bad_version_is_corrupt);
  g_test_add_func ("/account-store/hand-edited", test_store_hand_edited);
  g_test_add_func ("/account-store/two-stores", test_store_two_stores);
  g_test_add_func ("/account-store/concurrent", test_store_concurrent);
  g_test_add_func ("/account-store/killed", test_store_killed);

  return g_test_run ();
}
