/* smtp-cli-accounts.c: `smtp-setup accounts`, and saved accounts for `smtp-setup test`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-cli"

#include "config.h"

#include "smtp-cli-accounts.h"

#include "smtp-cli.h"
#include "smtp-core.h"
#include "smtp-json.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>


/* With a display the keyring may show a window that waits for the person:
 * give them time. Without one nothing can be asked, so fail fast. */
#define KEYRING_TIMEOUT_WITH_DISPLAY_MS (2 * 60 * 1000)

struct _SmtpCliSavedAccount
{
  SmtpAccountStore *store;
  SmtpAccount      *account;
  /* The settings the test ran with, to notice a change made meanwhile. */
  SmtpAccount      *as_loaded;
  gboolean          overridden;
};

/* Waiting for one async call, on the default main context ------------------ */

typedef struct
{
  GAsyncResult *result;
  GCancellable *cancellable;
  gboolean      said_waiting;
} Sync;

static void
sync_clear (Sync *sync)
{
  g_clear_object (&sync->result);
  g_clear_object (&sync->cancellable);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sync, sync_clear)

static void
sync_init (Sync *sync)
{
  memset (sync, 0, sizeof *sync);
  sync->cancellable = g_cancellable_new ();
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sync *sync = user_data;

  sync->result = g_object_ref (result);
}

static gboolean
interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

static void
keyring_waiting_cb (SmtpKeyring *keyring,
                    GParamSpec  *pspec,
                    gpointer     user_data)
{
  Sync *sync = user_data;

  if (!smtp_keyring_get_waiting (keyring) || sync->said_waiting)
    return;

  sync->said_waiting = TRUE;
  g_printerr ("%s\n", _("Waiting for the keyring… If it shows a window asking for a "
                        "password, answer it there. Press Ctrl+C to cancel."));
}

/* Runs the main context until the call ends; Ctrl+C cancels it. */
static GAsyncResult *
sync_wait (Sync        *sync,
           SmtpKeyring *keyring)
{
  guint sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, sync->cancellable);
  guint sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, sync->cancellable);
  gulong waiting_id = 0;

  if (keyring != NULL)
    waiting_id = g_signal_connect (keyring, "notify::waiting",
                                   G_CALLBACK (keyring_waiting_cb), sync);

  while (sync->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  if (keyring != NULL)
    g_signal_handler_disconnect (keyring, waiting_id);

  return sync->result;
}

static SmtpKeyring *
keyring_new (void)
{
  SmtpKeyring *keyring = smtp_keyring_new ();

  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    smtp_keyring_set_timeout (keyring, KEYRING_TIMEOUT_WITH_DISPLAY_MS);

  return keyring;
}

/* The store ------------------------------------------------------------------ */

static void
print_problems (SmtpAccountStore *store,
                gboolean          broken_too)
{
  GPtrArray *problems = smtp_account_store_get_problems (store);

  for (guint i = 0; i < problems->len; i++)
    {
      const GError *problem = g_ptr_array_index (problems, i);

      if (problem->domain == SMTP_ACCOUNT_STORE_ERROR && !broken_too)
        continue;

      /* Translators: a problem with the saved accounts that did not stop the command. */
      g_printerr (_("Warning: %s\n"), problem->message);
    }
}

/* Loads the saved accounts and tells what went wrong. A broken file was
 * kept aside: the store is empty and usable, and *broken says so. Returns
 * FALSE when nothing can be done with the file. */
static gboolean
load_store (SmtpAccountStore *store,
            gboolean         *broken)
{
  g_autoptr(GError) error = NULL;
  g_auto(Sync) sync = { 0 };

  sync_init (&sync);
  smtp_account_store_load_async (store, sync.cancellable, sync_cb, &sync);
  if (smtp_account_store_load_finish (store, sync_wait (&sync, NULL), &error))
    {
      print_problems (store, FALSE);
      return TRUE;
    }

  g_printerr ("%s\n", error->message);
  print_problems (store, FALSE);

  if (g_error_matches (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_CORRUPT))
    {
      if (broken != NULL)
        *broken = TRUE;
      return TRUE;
    }

  return FALSE;
}

static gboolean
save_account (SmtpAccountStore  *store,
              SmtpAccount       *account,
              GError           **error)
{
  g_auto(Sync) sync = { 0 };
  gboolean ok;

  sync_init (&sync);
  smtp_account_store_save_async (store, account, sync.cancellable, sync_cb, &sync);
  ok = smtp_account_store_save_finish (store, sync_wait (&sync, NULL), error);
  if (ok)
    print_problems (store, TRUE);
  return ok;
}

/* Another saved account than @account finds its password under the same
 * user, server and port: then that password is not this account's alone. */
static gboolean
keyring_key_shared (SmtpAccountStore *store,
                    SmtpAccount      *account)
{
  GListModel *accounts = smtp_account_store_get_accounts (store);

  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(SmtpAccount) other = g_list_model_get_item (accounts, i);

      if (!g_str_equal (smtp_account_get_name (other), smtp_account_get_name (account)) &&
          smtp_account_same_keyring_key (other, account))
        return TRUE;
    }

  return FALSE;
}

/* Text ---------------------------------------------------------------------- */

static const char *
security_label (SmtpSecurity security)
{
  switch (security)
    {
    case SMTP_SECURITY_STARTTLS: return "STARTTLS";
    case SMTP_SECURITY_TLS: return "SSL/TLS";
    case SMTP_SECURITY_NONE:
    default:
      return _("none (unencrypted)");
    }
}

static char *
format_local_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
describe_last_test (SmtpAccount *account)
{
  GDateTime *time = smtp_account_get_last_test_time (account);
  g_autofree char *when = NULL;
  const char *category = smtp_account_get_last_test_category (account);
  const char *stage = smtp_account_get_last_test_stage (account);

  if (time == NULL)
    return g_strdup (_("never tested"));

  when = format_local_time (time);
  if (smtp_account_get_last_test_ok (account))
    /* Translators: %s is a date and time. */
    return g_strdup_printf (_("succeeded on %s"), when);

  /* Translators: the first %s is a date and time, the second the step that
   * failed ("auth"), the third the kind of failure ("auth-failed"). */
  return g_strdup_printf (_("failed on %s at the step “%s” (%s)"), when,
                          stage != NULL ? stage : "none",
                          category != NULL ? category : _("unknown"));
}

static void
json_account (SmtpJson    *json,
              const char  *key,
              SmtpAccount *account)
{
  GDateTime *time = smtp_account_get_last_test_time (account);

  smtp_json_begin_object (json, key);
  smtp_json_string (json, "name", smtp_account_get_name (account));
  smtp_json_string (json, "address", smtp_account_get_address (account));
  smtp_json_string (json, "from_name", smtp_account_get_from_name (account));
  smtp_json_string (json, "host", smtp_account_get_host (account));
  smtp_json_int (json, "port", smtp_account_get_port (account));
  smtp_json_string (json, "security", smtp_security_to_id (smtp_account_get_security (account)));
  smtp_json_string (json, "auth", smtp_auth_mechanism_to_id (smtp_account_get_auth (account)));
  smtp_json_string (json, "user", smtp_account_get_user (account));
  smtp_json_string (json, "pin_sha256", smtp_account_get_pin_sha256 (account));
  smtp_json_string (json, "ca_file", smtp_account_get_ca_file (account));
  smtp_json_boolean (json, "allow_plaintext_auth",
                     smtp_account_get_allow_plaintext_auth (account));
  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      smtp_json_begin_object (json, "last_test");
      smtp_json_string (json, "time", text);
      smtp_json_boolean (json, "ok", smtp_account_get_last_test_ok (account));
      smtp_json_string (json, "category", smtp_account_get_last_test_category (account));
      smtp_json_string (json, "stage", smtp_account_get_last_test_stage (account));
      smtp_json_end_object (json);
    }
  else
    {
      smtp_json_null (json, "last_test");
    }
  smtp_json_end_object (json);
}

static void
print_json_and_free (SmtpJson *json)
{
  g_autofree char *out = smtp_json_finish (json);

  g_print ("%s\n", out);
}

static void
wipe_password (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static int
usage_error (const char *message)
{
  g_printerr ("%s\n", message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return SMTP_CLI_EXIT_USAGE;
}

static GOptionContext *
command_context (const char         *parameters,
                 const char         *summary,
                 const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

static gboolean
parse (GOptionContext   *context,
       int              *argc,
       char           ***argv,
       int               n_args,
       int              *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = usage_error (error->message);
      return FALSE;
    }

  if (*argc - 1 != n_args)
    {
      *exit_status = usage_error (*argc - 1 < n_args ? _("Which account? Give its name.")
                                                     : _("Too many arguments."));
      return FALSE;
    }

  return TRUE;
}

/* accounts list ------------------------------------------------------------- */

static int
accounts_list (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SmtpAccountStore) store = NULL;
  gboolean json = FALSE, broken = FALSE;
  int exit_status = 0;
  GListModel *accounts;
  guint n;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the accounts as one JSON object"), NULL },
    { NULL }
  };

  context = command_context (NULL, _("List the saved accounts and their last test."), entries);
  if (!parse (context, &argc, &argv, 0, &exit_status))
    return exit_status;

  store = smtp_account_store_new ();
  if (!load_store (store, &broken))
    return SMTP_CLI_EXIT_FAILED;

  accounts = smtp_account_store_get_accounts (store);
  n = g_list_model_get_n_items (accounts);

  if (json)
    {
      GPtrArray *problems = smtp_account_store_get_problems (store);
      SmtpJson out;

      smtp_json_init (&out);
      smtp_json_begin_object (&out, NULL);
      smtp_json_begin_array (&out, "accounts");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SmtpAccount) account = g_list_model_get_item (accounts, i);

          json_account (&out, NULL, account);
        }
      smtp_json_end_array (&out);
      smtp_json_begin_array (&out, "problems");
      for (guint i = 0; i < problems->len; i++)
        smtp_json_string (&out, NULL, ((GError *) g_ptr_array_index (problems, i))->message);
      smtp_json_end_array (&out);
      smtp_json_end_object (&out);
      print_json_and_free (&out);
    }
  else if (n == 0)
    {
      g_print ("%s\n", _("No accounts are saved yet. Save one with "
                         "“smtp-setup accounts add NAME --host HOST --from ADDRESS "
                         "--password-stdin”."));
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SmtpAccount) account = g_list_model_get_item (accounts, i);
          g_autofree char *last = describe_last_test (account);

          g_print ("%s\n", smtp_account_get_name (account));
          /* Translators: an address, a server, a port and the security,
           * e.g. "ada@example.com via smtp.example.com:587, STARTTLS". */
          g_print (_("  %s via %s:%u, %s\n"), smtp_account_get_address (account),
                   smtp_account_get_host (account), smtp_account_get_port (account),
                   security_label (smtp_account_get_security (account)));
          /* Translators: %s says how the last test went. */
          g_print (_("  Last test: %s\n"), last);
        }
    }

  return broken ? SMTP_CLI_EXIT_FAILED : SMTP_CLI_EXIT_OK;
}

/* accounts show --------------------------------------------------------------- */

static void
show_line (const char *label,
           const char *value)
{
  if (value != NULL)
    g_print ("  %-24s %s\n", label, value);
}

static int
accounts_show (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SmtpAccountStore) store = NULL;
  g_autofree char *port = NULL;
  g_autofree char *last = NULL;
  gboolean json = FALSE;
  int exit_status = 0;
  SmtpAccount *account;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the account as one JSON object"), NULL },
    { NULL }
  };

  context = command_context (_("NAME"), _("Show a saved account and its last test."), entries);
  if (!parse (context, &argc, &argv, 1, &exit_status))
    return exit_status;

  store = smtp_account_store_new ();
  if (!load_store (store, NULL))
    return SMTP_CLI_EXIT_FAILED;

  account = smtp_account_store_lookup (store, argv[1]);
  if (account == NULL)
    {
      g_printerr (_("There is no saved account named “%s”. See the saved accounts with "
                    "“smtp-setup accounts list”.\n"), argv[1]);
      return SMTP_CLI_EXIT_FAILED;
    }

  if (json)
    {
      SmtpJson out;

      smtp_json_init (&out);
      json_account (&out, NULL, account);
      print_json_and_free (&out);
      return SMTP_CLI_EXIT_OK;
    }

  port = g_strdup_printf ("%u", smtp_account_get_port (account));
  last = describe_last_test (account);

  g_print ("%s\n", smtp_account_get_name (account));
  show_line (_("Email address:"), smtp_account_get_address (account));
  show_line (_("Sender name:"), smtp_account_get_from_name (account));
  show_line (_("Server:"), smtp_account_get_host (account));
  show_line (_("Port:"), port);
  show_line (_("Security:"), security_label (smtp_account_get_security (account)));
  show_line (_("Sign-in method:"), smtp_auth_mechanism_to_id (smtp_account_get_auth (account)));
  show_line (_("User name:"), smtp_account_get_user (account) != NULL
                              ? smtp_account_get_user (account) : _("(no sign-in)"));
  show_line (_("Trusted certificate:"), smtp_account_get_pin_sha256 (account));
  show_line (_("Certificate authorities:"), smtp_account_get_ca_file (account));
  if (smtp_account_get_allow_plaintext_auth (account))
    show_line (_("Unencrypted password:"), _("allowed"));
  show_line (_("Last test:"), last);

  return SMTP_CLI_EXIT_OK;
}

/* accounts add ------------------------------------------------------------------ */

/* Stores the password; then, for an account that was saved before with
 * another user, server or port, clears the old one (unless another
 * account still uses it). */
static gboolean
store_password (SmtpAccountStore  *store,
                SmtpKeyring       *keyring,
                SmtpAccount       *account,
                SmtpAccount       *before,
                const char        *password,
                GError           **error)
{
  g_auto(Sync) sync = { 0 };

  sync_init (&sync);
  smtp_keyring_store_async (keyring, smtp_account_get_user (account),
                            smtp_account_get_host (account), smtp_account_get_port (account),
                            password, sync.cancellable, sync_cb, &sync);
  if (!smtp_keyring_store_finish (keyring, sync_wait (&sync, keyring), error))
    return FALSE;

  if (before != NULL && smtp_account_get_user (before) != NULL &&
      !smtp_account_same_keyring_key (before, account) && !keyring_key_shared (store, before))
    {
      g_autoptr(GError) clear_error = NULL;

      sync_clear (&sync);
      sync_init (&sync);
      smtp_keyring_clear_async (keyring, smtp_account_get_user (before),
                                smtp_account_get_host (before), smtp_account_get_port (before),
                                sync.cancellable, sync_cb, &sync);
      if (!smtp_keyring_clear_finish (keyring, sync_wait (&sync, keyring), &clear_error))
        g_printerr (_("Warning: the password for the old settings could not be removed "
                      "from the keyring: %s\n"), clear_error->message);
    }

  return TRUE;
}

/* Without a new password: an account whose user, server or port changed
 * takes its password along. */
static gboolean
move_password (SmtpAccountStore  *store,
               SmtpKeyring       *keyring,
               SmtpAccount       *account,
               SmtpAccount       *before,
               gboolean          *moved,
               GError           **error)
{
  g_auto(Sync) sync = { 0 };

  *moved = FALSE;
  if (before == NULL || smtp_account_get_user (before) == NULL ||
      smtp_account_get_user (account) == NULL ||
      smtp_account_same_keyring_key (before, account))
    return TRUE;

  /* Another account still signs in with the old one: leave it there. */
  if (keyring_key_shared (store, before))
    return TRUE;

  sync_init (&sync);
  smtp_keyring_move_async (keyring,
                           smtp_account_get_user (before), smtp_account_get_host (before),
                           smtp_account_get_port (before),
                           smtp_account_get_user (account), smtp_account_get_host (account),
                           smtp_account_get_port (account),
                           sync.cancellable, sync_cb, &sync);
  return smtp_keyring_move_finish (keyring, sync_wait (&sync, keyring), moved, error);
}

static void
keyring_failed (const char *name,
                GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("%s\n", _("Saving the password was cancelled."));
  else
    g_printerr ("%s\n", error->message);

  g_printerr (_("The account “%s” was saved, but its password was NOT saved. When the "
                "keyring works, save it with “smtp-setup accounts add %s … --password-stdin” "
                "again, or give it to each test with “smtp-setup test --account %s "
                "--password-stdin”.\n"), name, name, name);
}

static int
accounts_add (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SmtpAccountStore) store = NULL;
  g_autoptr(SmtpKeyring) keyring = NULL;
  g_autoptr(SmtpAccount) account = NULL;
  g_autoptr(SmtpAccount) before = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL, *port_text = NULL, *security = NULL, *user = NULL;
  g_autofree char *auth = NULL, *from = NULL, *from_name = NULL, *ca_file = NULL, *pin = NULL;
  g_autofree char *ca_path = NULL;
  char *password = NULL;
  gboolean password_stdin = FALSE, allow_plaintext = FALSE;
  SmtpSecurity security_mode = SMTP_SECURITY_STARTTLS;
  SmtpAuthMechanism auth_mode = SMTP_AUTH_MECHANISM_AUTO;
  guint64 port = 0;
  int exit_status = 0;
  const char *name;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The outgoing server"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_STRING, &port_text,
      N_("The port (587, 465 or 25); chosen from the security when left out"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security,
      N_("starttls, tls or none; chosen from the port when left out"), N_("MODE") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("The user name to sign in with (the sender address when left out; "
         "an empty one signs in as nobody)"), N_("USER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The email address"), N_("ADDRESS") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &from_name,
      N_("Your name, for the From line of test emails"), N_("NAME") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &auth,
      N_("auto, plain, login, cram-md5 or xoauth2"), N_("METHOD") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Also trust the certificate authorities in this PEM file"), N_("FILE") },
    { "pin-sha256", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("Trust exactly the server certificate with this SHA-256 fingerprint"), N_("HEX") },
    { "allow-plaintext-password", 0, 0, G_OPTION_ARG_NONE, &allow_plaintext,
      N_("Allow sending the password over an unencrypted connection (unsafe)"), NULL },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      N_("Read the password from the first line of standard input; it goes to the keyring"),
      NULL },
    { NULL }
  };

  context = command_context (_("NAME"),
                             _("Save an account, or change a saved one. The password goes "
                               "to the keyring only, never to the settings file."),
                             entries);
  g_option_context_set_description (context,
    _("Exit status: 0 the account and its password were saved; 1 the account could not be "
      "saved; 2 wrong options; 3 the account was saved but the keyring failed, so its "
      "password was not."));
  if (!parse (context, &argc, &argv, 1, &exit_status))
    return exit_status;

  name = argv[1];
  if (!smtp_account_validate_name (name, &error))
    return usage_error (error->message);

  if (host == NULL)
    return usage_error (_("Which server? Give it with --host."));
  if (from == NULL)
    return usage_error (_("Which email address? Give it with --from."));

  if (security != NULL && !smtp_security_from_id (security, &security_mode))
    {
      g_autofree char *message =
        g_strdup_printf (_("The security must be starttls, tls or none, not “%s”."), security);
      return usage_error (message);
    }

  if (port_text != NULL && !g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port,
                                                        NULL))
    {
      g_autofree char *message =
        g_strdup_printf (_("The port must be a number from 1 to 65535, not “%s”."), port_text);
      return usage_error (message);
    }

  /* RFC 8314: 465 is implicit TLS; 587 and 25 start plain and use STARTTLS. */
  if (port_text == NULL)
    port = security_mode == SMTP_SECURITY_TLS ? 465 : security_mode == SMTP_SECURITY_NONE ? 25
                                                                                         : 587;
  else if (security == NULL)
    security_mode = port == 465 ? SMTP_SECURITY_TLS : SMTP_SECURITY_STARTTLS;

  if (auth != NULL && !smtp_auth_mechanism_from_id (auth, &auth_mode))
    {
      g_autofree char *message =
        g_strdup_printf (_("The sign-in method must be auto, plain, login, cram-md5 or "
                           "xoauth2, not “%s”."), auth);
      return usage_error (message);
    }

  if (ca_file != NULL)
    {
      ca_path = g_canonicalize_filename (ca_file, NULL);
      database = g_tls_file_database_new (ca_path, &error);
      if (database == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("Could not read the certificate file: %s"), error->message);
          return usage_error (message);
        }
    }

  account = smtp_account_new (name);
  smtp_account_set_address (account, from);
  smtp_account_set_host (account, host);
  smtp_account_set_port (account, port);
  smtp_account_set_security (account, security_mode);
  smtp_account_set_auth (account, auth_mode);
  smtp_account_set_user (account, user != NULL ? user : from);
  smtp_account_set_from_name (account, from_name);
  smtp_account_set_pin_sha256 (account, pin);
  smtp_account_set_allow_plaintext_auth (account, allow_plaintext);
  smtp_account_set_ca_file (account, ca_path);

  if (!smtp_account_validate (account, &error))
    return usage_error (error->message);

  if (password_stdin && smtp_account_get_user (account) == NULL)
    return usage_error (_("Whose password? Give the user name with --user."));

  /* The password is read before anything is saved, so a missing one
   * changes nothing. */
  if (password_stdin)
    {
      password = smtp_cli_read_secret (&error);
      if (password == NULL)
        return usage_error (error->message);
    }

  store = smtp_account_store_new ();
  if (!load_store (store, NULL))
    {
      wipe_password (password);
      return SMTP_CLI_EXIT_FAILED;
    }

  if (smtp_account_store_lookup (store, name) != NULL)
    {
      before = smtp_account_copy (smtp_account_store_lookup (store, name), NULL);
      /* A changed account keeps the record of its last test only when the
       * connection settings stayed the same. */
      if (smtp_account_same_keyring_key (before, account) &&
          smtp_account_get_security (before) == security_mode)
        smtp_account_set_last_test (account, smtp_account_get_last_test_time (before),
                                    smtp_account_get_last_test_ok (before),
                                    smtp_account_get_last_test_category (before),
                                    smtp_account_get_last_test_stage (before));
    }

  if (!save_account (store, account, &error))
    {
      g_printerr (_("The account “%s” could not be saved: %s\n"), name, error->message);
      wipe_password (password);
      return SMTP_CLI_EXIT_FAILED;
    }

  {
    g_autofree char *path = g_file_get_path (smtp_account_store_get_file (store));

    if (before != NULL)
      g_print (_("The account “%s” was changed in %s.\n"), name, path);
    else
      g_print (_("The account “%s” was saved in %s.\n"), name, path);
  }

  keyring = keyring_new ();

  if (password != NULL)
    {
      gboolean ok = store_password (store, keyring, account, before, password, &error);

      wipe_password (password);
      if (!ok)
        {
          keyring_failed (name, error);
          return SMTP_CLI_ACCOUNTS_EXIT_KEYRING_FAILED;
        }

      g_print ("%s\n", _("Its password was saved in the keyring."));
      return SMTP_CLI_EXIT_OK;
    }

  if (before != NULL)
    {
      gboolean moved = FALSE;

      if (!move_password (store, keyring, account, before, &moved, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_printerr ("%s\n", _("Moving the password was cancelled."));
          else
            g_printerr ("%s\n", error->message);
          g_printerr ("%s\n", _("The password stays saved for the old settings. Give it again "
                                "with --password-stdin to save it for the new ones."));
          return SMTP_CLI_ACCOUNTS_EXIT_KEYRING_FAILED;
        }

      if (moved)
        g_print ("%s\n", _("Its password in the keyring now goes with the new settings."));
      return SMTP_CLI_EXIT_OK;
    }

  if (smtp_account_get_user (account) != NULL)
    g_print ("%s\n", _("No password was given, so none was saved. Add --password-stdin to "
                       "save one in the keyring."));

  return SMTP_CLI_EXIT_OK;
}

/* accounts remove ------------------------------------------------------------- */

static int
accounts_remove (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SmtpAccountStore) store = NULL;
  g_autoptr(SmtpKeyring) keyring = NULL;
  g_autoptr(SmtpAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Sync) sync = { 0 };
  int exit_status = 0;
  const char *name;

  context = command_context (_("NAME"),
                             _("Remove a saved account and its password in the keyring."),
                             NULL);
  g_option_context_set_description (context,
    _("Exit status: 0 the account and its password were removed; 1 the account could not be "
      "removed; 2 wrong options; 3 the account was removed but its password could not be "
      "removed from the keyring."));
  if (!parse (context, &argc, &argv, 1, &exit_status))
    return exit_status;
  name = argv[1];

  store = smtp_account_store_new ();
  if (!load_store (store, NULL))
    return SMTP_CLI_EXIT_FAILED;

  /* An account skipped for a setting that is not valid can be removed
   * too; only its password cannot be found then. */
  if (smtp_account_store_lookup (store, name) != NULL)
    account = g_object_ref (smtp_account_store_lookup (store, name));

  sync_init (&sync);
  smtp_account_store_remove_async (store, name, sync.cancellable, sync_cb, &sync);
  if (!smtp_account_store_remove_finish (store, sync_wait (&sync, NULL), &error))
    {
      if (g_error_matches (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_NOT_FOUND))
        g_printerr (_("There is no saved account named “%s”. See the saved accounts with "
                      "“smtp-setup accounts list”.\n"), name);
      else
        g_printerr (_("The account “%s” could not be removed: %s\n"), name, error->message);
      return SMTP_CLI_EXIT_FAILED;
    }

  g_print (_("The account “%s” was removed.\n"), name);

  if (account == NULL || smtp_account_get_user (account) == NULL)
    return SMTP_CLI_EXIT_OK;

  if (keyring_key_shared (store, account))
    {
      g_print ("%s\n", _("Its password stays in the keyring: another saved account signs in "
                         "with the same user name on the same server."));
      return SMTP_CLI_EXIT_OK;
    }

  keyring = keyring_new ();
  sync_clear (&sync);
  sync_init (&sync);
  smtp_keyring_clear_async (keyring, smtp_account_get_user (account),
                            smtp_account_get_host (account), smtp_account_get_port (account),
                            sync.cancellable, sync_cb, &sync);
  if (!smtp_keyring_clear_finish (keyring, sync_wait (&sync, keyring), &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr ("%s\n", _("The account was removed, but its password could not be removed "
                            "from the keyring. If one was saved, remove it in Passwords and "
                            "Keys."));
      return SMTP_CLI_ACCOUNTS_EXIT_KEYRING_FAILED;
    }

  g_print ("%s\n", _("Its password was removed from the keyring."));
  return SMTP_CLI_EXIT_OK;
}

/* The command ----------------------------------------------------------------- */

static const struct {
  const char *name;
  int (*func) (int argc, char **argv);
} subcommands[] = {
  { "list", accounts_list },
  { "show", accounts_show },
  { "add", accounts_add },
  { "remove", accounts_remove },
};

/**
 * smtp_cli_accounts:
 * @argc: the argument count, from the word "accounts" on
 * @argv: the arguments: "accounts", then list|show|add|remove and theirs
 *
 * Runs `smtp-setup accounts`.
 *
 * Returns: the exit status: a #SmtpCliExit, or
 *   %SMTP_CLI_ACCOUNTS_EXIT_KEYRING_FAILED
 */
int
smtp_cli_accounts (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; argc > 1 && i < G_N_ELEMENTS (subcommands); i++)
    {
      if (g_str_equal (argv[1], subcommands[i].name))
        return subcommands[i].func (argc - 1, argv + 1);
    }

  context = command_context (_("list | show NAME | add NAME | remove NAME"),
                             _("List, show, add or remove saved accounts. "
                               "Run “smtp-setup accounts add --help” to see the options "
                               "of a command."), NULL);
  g_option_context_set_description (context,
    _("Exit status: 0 success; 1 failure; 2 wrong options; 3 the account was saved or "
      "removed but the keyring failed (its password was not saved or removed)."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (argc > 1)
    {
      g_autofree char *message =
        g_strdup_printf (_("Unknown command “%s”: use list, show, add or remove."), argv[1]);

      return usage_error (message);
    }

  return usage_error (_("Which command? Use list, show, add or remove."));
}

/* Saved accounts for `smtp-setup test --account` -------------------------------- */

/**
 * smtp_cli_saved_account_load:
 * @name: the account's name
 * @exit_status: (out): the exit status when it cannot be loaded
 *
 * Returns: (transfer full) (nullable): the saved account, or %NULL after
 *   saying why on standard error
 */
SmtpCliSavedAccount *
smtp_cli_saved_account_load (const char *name,
                             int        *exit_status)
{
  g_autoptr(SmtpCliSavedAccount) saved = g_new0 (SmtpCliSavedAccount, 1);
  SmtpAccount *account;

  saved->store = smtp_account_store_new ();
  if (!load_store (saved->store, NULL))
    {
      *exit_status = SMTP_CLI_EXIT_FAILED;
      return NULL;
    }

  account = smtp_account_store_lookup (saved->store, name);
  if (account == NULL)
    {
      g_printerr (_("There is no saved account named “%s”. See the saved accounts with "
                    "“smtp-setup accounts list”.\n"), name);
      *exit_status = SMTP_CLI_EXIT_USAGE;
      return NULL;
    }

  saved->account = g_object_ref (account);
  saved->as_loaded = smtp_account_copy (account, NULL);
  return g_steal_pointer (&saved);
}

static void
fill_string (char       **option,
             const char  *value,
             gboolean    *overridden)
{
  if (*option != NULL)
    *overridden = TRUE;
  else
    *option = g_strdup (value);
}

/**
 * smtp_cli_saved_account_fill:
 * @saved: a saved account
 * @host: (inout): the --host option, filled from the account when %NULL
 * @port: (inout): the --port option, likewise
 * @security: (inout): the --security option, likewise
 * @user: (inout): the --user option, likewise
 * @auth: (inout): the --auth option, likewise
 * @from: (inout): the --from option, likewise
 * @ca_file: (inout): the --ca-file option, likewise
 * @pin_sha256: (inout): the --pin-sha256 option, likewise
 * @allow_plaintext: (inout): the --allow-plaintext-password option
 *
 * Fills the options the command line did not give from the account: the
 * command line overrides the account. The port and the security go as a
 * pair: when only one of them is given, the other follows from it, as
 * without an account.
 */
void
smtp_cli_saved_account_fill (SmtpCliSavedAccount  *saved,
                             char                **host,
                             char                **port,
                             char                **security,
                             char                **user,
                             char                **auth,
                             char                **from,
                             char                **ca_file,
                             char                **pin_sha256,
                             gboolean             *allow_plaintext)
{
  SmtpAccount *account = saved->account;

  fill_string (host, smtp_account_get_host (account), &saved->overridden);
  fill_string (user, smtp_account_get_user (account), &saved->overridden);
  fill_string (auth, smtp_auth_mechanism_to_id (smtp_account_get_auth (account)),
               &saved->overridden);
  fill_string (from, smtp_account_get_address (account), &saved->overridden);
  fill_string (ca_file, smtp_account_get_ca_file (account), &saved->overridden);
  fill_string (pin_sha256, smtp_account_get_pin_sha256 (account), &saved->overridden);

  if (*port == NULL && *security == NULL)
    {
      *port = g_strdup_printf ("%u", smtp_account_get_port (account));
      *security = g_strdup (smtp_security_to_id (smtp_account_get_security (account)));
    }
  else
    {
      saved->overridden = TRUE;
    }

  if (*allow_plaintext && !smtp_account_get_allow_plaintext_auth (account))
    saved->overridden = TRUE;
  *allow_plaintext = *allow_plaintext || smtp_account_get_allow_plaintext_auth (account);
}

static void
print_keyring_json (const GError *error,
                    gboolean      explain)
{
  g_autoptr(SmtpExplanation) explanation = NULL;
  SmtpJson json;

  if (explain)
    explanation = smtp_explain (error, SMTP_STAGE_NONE, NULL, NULL);

  smtp_json_init (&json);
  smtp_json_begin_object (&json, NULL);
  smtp_json_boolean (&json, "ok", FALSE);
  smtp_json_string (&json, "stage", smtp_stage_to_id (SMTP_STAGE_NONE));
  if (explanation != NULL)
    {
      smtp_json_string (&json, "category", explanation->category);
      smtp_json_string (&json, "title", explanation->title);
      smtp_json_string (&json, "explanation", explanation->explanation);
      smtp_json_string (&json, "advice", explanation->advice);
    }
  else
    {
      smtp_json_null (&json, "category");
      smtp_json_string (&json, "title", _("No password is saved for this account"));
      smtp_json_string (&json, "advice", _("Give the password with --password-stdin, or save "
                                           "it with “smtp-setup accounts add”."));
    }
  smtp_json_null (&json, "reply");
  smtp_json_string (&json, "error", error->message);
  smtp_json_begin_array (&json, "fixes");
  smtp_json_end_array (&json);
  smtp_json_end_object (&json);
  print_json_and_free (&json);
}

/* Looks the password up under each of @keys (user, server, port) in turn. */
static char *
lookup_password (SmtpKeyring          *keyring,
                 const SmtpTestOptions *options,
                 SmtpAccount          *account,
                 GError              **error)
{
  struct {
    const char *user;
    const char *host;
    guint16     port;
  } keys[] = {
    { options->user, options->host, options->port },
    { smtp_account_get_user (account), smtp_account_get_host (account),
      smtp_account_get_port (account) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_auto(Sync) sync = { 0 };
      char *password;

      if (keys[i].user == NULL || keys[i].host == NULL ||
          (i > 0 && g_strcmp0 (keys[i].user, keys[0].user) == 0 &&
           g_strcmp0 (keys[i].host, keys[0].host) == 0 && keys[i].port == keys[0].port))
        continue;

      sync_init (&sync);
      smtp_keyring_lookup_async (keyring, keys[i].user, keys[i].host, keys[i].port,
                                 sync.cancellable, sync_cb, &sync);
      password = smtp_keyring_lookup_finish (keyring, sync_wait (&sync, keyring), error);
      if (password != NULL || (error != NULL && *error != NULL))
        return password;
    }

  return NULL;
}

/**
 * smtp_cli_saved_account_apply:
 * @saved: a saved account
 * @options: the test's options, filled from the command line
 * @json: print a failure as a JSON object on standard output
 * @exit_status: (out): the exit status when the test cannot run
 *
 * Gives the options what only the account has: the sender's name and,
 * unless the command line gave a password, the password from the keyring.
 *
 * Returns: %FALSE after saying why the test cannot run
 */
gboolean
smtp_cli_saved_account_apply (SmtpCliSavedAccount *saved,
                              SmtpTestOptions     *options,
                              gboolean             json,
                              int                 *exit_status)
{
  g_autoptr(SmtpKeyring) keyring = NULL;
  g_autoptr(GError) error = NULL;
  SmtpAccount *account = saved->account;
  char *password;

  if (options->from_name == NULL &&
      g_strcmp0 (options->from, smtp_account_get_address (account)) == 0)
    options->from_name = g_strdup (smtp_account_get_from_name (account));

  if (options->password != NULL || options->oauth_token != NULL || options->user == NULL)
    return TRUE;

  keyring = keyring_new ();
  password = lookup_password (keyring, options, account, &error);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr ("%s\n", _("Cancelled."));
          *exit_status = SMTP_CLI_EXIT_CANCELLED;
          return FALSE;
        }

      if (json)
        print_keyring_json (error, TRUE);
      g_printerr ("%s\n", error->message);
      g_printerr ("%s\n", _("The password of the account could not be read from the keyring. "
                            "To test without the keyring, give the password with "
                            "--password-stdin."));
      *exit_status = SMTP_CLI_EXIT_UNAVAILABLE;
      return FALSE;
    }

  if (password == NULL)
    {
      g_autoptr(GError) missing = NULL;

      g_set_error (&missing, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No password is saved in the keyring for the account “%s” (user %s on "
                     "%s, port %u)."), smtp_account_get_name (account), options->user,
                   options->host, options->port);
      if (json)
        print_keyring_json (missing, FALSE);
      g_printerr ("%s\n", missing->message);
      g_printerr (_("Give it with --password-stdin, or save it with “smtp-setup accounts add "
                    "%s … --password-stdin”.\n"), smtp_account_get_name (account));
      *exit_status = SMTP_CLI_EXIT_FAILED;
      return FALSE;
    }

  if (options->auth == SMTP_AUTH_MECHANISM_XOAUTH2)
    options->oauth_token = password;
  else
    options->password = password;

  return TRUE;
}

static gboolean
same_settings (SmtpAccount *a,
               SmtpAccount *b)
{
  return smtp_account_same_keyring_key (a, b) &&
         smtp_account_get_security (a) == smtp_account_get_security (b) &&
         smtp_account_get_auth (a) == smtp_account_get_auth (b) &&
         g_strcmp0 (smtp_account_get_address (a), smtp_account_get_address (b)) == 0 &&
         g_strcmp0 (smtp_account_get_pin_sha256 (a), smtp_account_get_pin_sha256 (b)) == 0 &&
         g_strcmp0 (smtp_account_get_ca_file (a), smtp_account_get_ca_file (b)) == 0 &&
         smtp_account_get_allow_plaintext_auth (a) == smtp_account_get_allow_plaintext_auth (b);
}

/**
 * smtp_cli_saved_account_record:
 * @saved: a saved account
 * @result: the test's result
 * @options: the options it ran with
 *
 * Records the result as the account's last test and saves it, unless the
 * command line changed the account's settings for this test or someone
 * changed the account meanwhile. Says what it did not do on standard error.
 */
void
smtp_cli_saved_account_record (SmtpCliSavedAccount   *saved,
                               const SmtpTestResult  *result,
                               const SmtpTestOptions *options)
{
  g_autoptr(GError) error = NULL;
  const char *name = smtp_account_get_name (saved->account);
  SmtpAccount *now;

  if (saved->overridden)
    {
      g_printerr (_("The result was not recorded in the account “%s”: options on the command "
                    "line changed its settings for this test.\n"), name);
      return;
    }

  /* Read the file again: another program may have changed it meanwhile. */
  if (!load_store (saved->store, NULL))
    return;

  now = smtp_account_store_lookup (saved->store, name);
  if (now == NULL || !same_settings (now, saved->as_loaded))
    {
      g_printerr (_("The result was not recorded in the account “%s”: it was changed or "
                    "removed while the test ran.\n"), name);
      return;
    }

  smtp_account_record_result (now, result, options);
  if (!save_account (saved->store, now, &error))
    g_printerr (_("The result could not be recorded in the account “%s”: %s\n"), name,
                error->message);
}

void
smtp_cli_saved_account_free (SmtpCliSavedAccount *saved)
{
  if (saved == NULL)
    return;

  g_clear_object (&saved->store);
  g_clear_object (&saved->account);
  g_clear_object (&saved->as_loaded);
  g_free (saved);
}
