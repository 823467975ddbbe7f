/* smtp-account-store.c: the saved accounts, one keyfile under the XDG config directory
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-account-store"

#include "config.h"

#include "smtp-account-store.h"

#include "smtp-account-private.h"
#include "smtp-account.h"
#include "smtp-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/*
 * The file, $XDG_CONFIG_HOME/smtp-setup/accounts.ini:
 *
 *   [smtp-setup]
 *   format-version=1
 *
 *   [account Work]
 *   address=ada@example.com
 *   host=smtp.example.com
 *   port=587
 *   security=starttls
 *   ...
 *
 * Passwords are never in it: they live in the keyring only.
 *
 * Every change is a read-merge-write of one account's group under an
 * exclusive flock() of the directory, so two running instances (or two
 * stores in one) never lose each other's changes. The new file is written
 * beside the old one, synced, and renamed over it: a crash leaves the old
 * file or the new one. Groups and keys this version does not know, and
 * accounts that were skipped because a value was not valid, are kept as
 * they are.
 */

#define VERSION_GROUP "smtp-setup"
#define VERSION_KEY "format-version"
#define ACCOUNT_GROUP_PREFIX "account "

/* How long a change waits for another program's change to finish. */
#define LOCK_ATTEMPTS 1000
#define LOCK_WAIT_US (10 * 1000)

static const char * const account_keys[] = {
  SMTP_ACCOUNT_KEY_ADDRESS,
  SMTP_ACCOUNT_KEY_HOST,
  SMTP_ACCOUNT_KEY_PORT,
  SMTP_ACCOUNT_KEY_SECURITY,
  SMTP_ACCOUNT_KEY_AUTH,
  SMTP_ACCOUNT_KEY_USER,
  SMTP_ACCOUNT_KEY_FROM_NAME,
  SMTP_ACCOUNT_KEY_PIN_SHA256,
  SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH,
  SMTP_ACCOUNT_KEY_CA_FILE,
  SMTP_ACCOUNT_KEY_LAST_TEST_TIME,
  SMTP_ACCOUNT_KEY_LAST_TEST_OK,
  SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY,
  SMTP_ACCOUNT_KEY_LAST_TEST_STAGE,
  NULL
};

struct _SmtpAccountStore
{
  GObject     parent_instance;

  GFile      *file;
  GListStore *accounts;
  GPtrArray  *problems;
  /* The file as last read or written: the base of a change that finds the
   * file broken on disk, so what is known is not lost with it. */
  char       *snapshot;
  guint64     applied_seq;
};

G_DEFINE_FINAL_TYPE (SmtpAccountStore, smtp_account_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (smtp-account-store-error-quark, smtp_account_store_error)

enum
{
  PROP_0,
  PROP_FILE,
  PROP_ACCOUNTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Orders the results of changes made by this process: taken under the lock,
 * so a larger number always saw a newer file. */
static guint64 change_seq;
G_LOCK_DEFINE_STATIC (change_seq);

typedef enum
{
  OP_LOAD,
  OP_SAVE,
  OP_REMOVE,
} OpKind;

typedef struct
{
  OpKind       kind;
  char        *path;
  char        *group;
  GKeyFile    *change;
  char        *snapshot;
  SmtpAccount *account;

  /* Results, filled by the worker thread. */
  guint64      seq;
  GPtrArray   *parsed;
  GPtrArray   *problems;
  char        *contents;
  GError      *broken;
} Op;

static void
op_free (Op *op)
{
  g_free (op->path);
  g_free (op->group);
  g_clear_pointer (&op->change, g_key_file_unref);
  g_free (op->snapshot);
  g_clear_object (&op->account);
  g_clear_pointer (&op->parsed, g_ptr_array_unref);
  g_clear_pointer (&op->problems, g_ptr_array_unref);
  g_free (op->contents);
  g_clear_error (&op->broken);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/* Reading an account ------------------------------------------------------- */

static char *
group_for_name (const char *name)
{
  return g_strconcat (ACCOUNT_GROUP_PREFIX, name, NULL);
}

static gboolean
parse_port (const char  *text,
            guint16     *port,
            GError     **cause)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &value, NULL))
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("A port is a number from 1 to 65535."));
      return FALSE;
    }

  *port = value;
  return TRUE;
}

/* Reads the optional string @key; a missing key is %NULL without error. */
static gboolean
read_string (GKeyFile    *keyfile,
             const char  *group,
             const char  *key,
             char       **value,
             GError     **cause)
{
  g_autoptr(GError) error = NULL;

  *value = g_key_file_get_string (keyfile, group, key, &error);
  if (*value != NULL)
    return TRUE;

  if (g_error_matches (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    return TRUE;

  g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                       _("It holds characters that could not be read."));
  return FALSE;
}

static gboolean
read_boolean (GKeyFile    *keyfile,
              const char  *group,
              const char  *key,
              gboolean    *value,
              GError     **cause)
{
  g_autofree char *text = NULL;

  if (!read_string (keyfile, group, key, &text, cause))
    return FALSE;

  if (text == NULL || g_str_equal (text, "false"))
    *value = FALSE;
  else if (g_str_equal (text, "true"))
    *value = TRUE;
  else
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("It must be true or false."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
required (const char  *value,
          GError     **cause)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY, _("It is missing."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
bad_key (const char **key,
         const char  *which)
{
  *key = which;
  return FALSE;
}

/* Reads one account's group; on failure sets @key to the first key whose
 * value cannot be used and @cause to why. */
static gboolean
read_account_values (GKeyFile     *keyfile,
                     const char   *group,
                     SmtpAccount  *account,
                     const char  **key,
                     GError      **cause)
{
  g_autofree char *address = NULL, *host = NULL, *port_text = NULL, *security_id = NULL;
  g_autofree char *auth_id = NULL, *user = NULL, *from_name = NULL, *pin = NULL;
  g_autofree char *ca_file = NULL, *time_text = NULL, *category = NULL, *stage = NULL;
  g_autoptr(GDateTime) time = NULL;
  SmtpSecurity security = SMTP_SECURITY_STARTTLS;
  SmtpAuthMechanism auth = SMTP_AUTH_MECHANISM_AUTO;
  guint16 port = 0;
  gboolean allow_plaintext = FALSE, ok = FALSE;

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_ADDRESS, &address, cause) ||
      !required (address, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_ADDRESS);

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_HOST, &host, cause) ||
      !required (host, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_HOST);

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_PORT, &port_text, cause) ||
      (port_text != NULL && !parse_port (port_text, &port, cause)))
    return bad_key (key, SMTP_ACCOUNT_KEY_PORT);

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_SECURITY, &security_id, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_SECURITY);
  if (security_id != NULL && !smtp_security_from_id (security_id, &security))
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("It must be starttls, tls or none."));
      return bad_key (key, SMTP_ACCOUNT_KEY_SECURITY);
    }

  /* RFC 8314: 465 is implicit TLS, the other ports start plain and use
   * STARTTLS; a hand-written file may give only one of the two. */
  if (security_id == NULL && port != 0)
    security = port == 465 ? SMTP_SECURITY_TLS : SMTP_SECURITY_STARTTLS;
  if (port == 0)
    port = security == SMTP_SECURITY_TLS ? 465 : security == SMTP_SECURITY_NONE ? 25 : 587;

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_AUTH, &auth_id, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_AUTH);
  if (auth_id != NULL && !smtp_auth_mechanism_from_id (auth_id, &auth))
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("It must be auto, plain, login, cram-md5 or xoauth2."));
      return bad_key (key, SMTP_ACCOUNT_KEY_AUTH);
    }

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_USER, &user, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_USER);
  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_FROM_NAME, &from_name, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_FROM_NAME);
  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_PIN_SHA256, &pin, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_PIN_SHA256);
  if (!read_boolean (keyfile, group, SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH, &allow_plaintext,
                     cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH);
  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_CA_FILE, &ca_file, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_CA_FILE);

  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_TIME, &time_text, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_TIME);
  if (time_text != NULL)
    {
      time = g_date_time_new_from_iso8601 (time_text, NULL);
      if (time == NULL)
        {
          g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                               _("It is not a date and time such as 2026-01-31T12:00:00Z."));
          return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_TIME);
        }
    }
  if (!read_boolean (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_OK, &ok, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_OK);
  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY, &category, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY);
  if (!read_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_STAGE, &stage, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_STAGE);

  smtp_account_set_address (account, address);
  smtp_account_set_host (account, host);
  smtp_account_set_port (account, port);
  smtp_account_set_security (account, security);
  smtp_account_set_auth (account, auth);
  smtp_account_set_user (account, user);
  smtp_account_set_from_name (account, from_name);
  smtp_account_set_pin_sha256 (account, pin);
  smtp_account_set_allow_plaintext_auth (account, allow_plaintext);
  smtp_account_set_ca_file (account, ca_file);
  smtp_account_set_last_test (account, time, ok, category, stage);

  /* Then the same checks as before saving: forms, and no CR, LF or NUL. */
  return _smtp_account_check (account, key, cause);
}

static SmtpAccount *
read_account (GKeyFile    *keyfile,
              const char  *group,
              const char  *file_name,
              GError     **error)
{
  g_autoptr(SmtpAccount) account = NULL;
  g_autoptr(GError) cause = NULL;
  const char *name = group + strlen (ACCOUNT_GROUP_PREFIX);
  const char *key = NULL;

  account = smtp_account_new (name);
  if (read_account_values (keyfile, group, account, &key, &cause))
    return g_steal_pointer (&account);

  /* Translators: the first %s is an account name, the second a setting
   * such as "server name", the third its key in the file ("host"), the
   * fourth the file's name, the last what is wrong with it. */
  g_set_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID,
               _("The saved account “%s” was skipped: its %s (“%s” in %s) cannot be used. %s"),
               name, _smtp_account_describe_key (key), key, file_name, cause->message);
  return NULL;
}

/* Every valid account of @keyfile into @accounts, a problem for each other. */
static void
read_accounts (GKeyFile   *keyfile,
               const char *path,
               GPtrArray  *accounts,
               GPtrArray  *problems)
{
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);
  g_autofree char *file_name = g_path_get_basename (path);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      SmtpAccount *account;

      /* Other groups, from a later version, are kept but not read. */
      if (!g_str_has_prefix (groups[i], ACCOUNT_GROUP_PREFIX))
        continue;

      account = read_account (keyfile, groups[i], file_name, &error);
      if (account != NULL)
        {
          g_ptr_array_add (accounts, account);
        }
      else
        {
          g_debug ("%s", error->message);
          g_ptr_array_add (problems, g_steal_pointer (&error));
        }
    }
}

/* Writing an account ------------------------------------------------------- */

static void
put_string (GKeyFile   *keyfile,
            const char *group,
            const char *key,
            const char *value)
{
  if (value != NULL)
    g_key_file_set_string (keyfile, group, key, value);
}

/* The account's group as it will be merged into the file: the keys that
 * are set; a key missing here is removed from the file. */
static GKeyFile *
write_account (SmtpAccount *account,
               const char  *group)
{
  GKeyFile *keyfile = g_key_file_new ();
  GDateTime *time = smtp_account_get_last_test_time (account);

  put_string (keyfile, group, SMTP_ACCOUNT_KEY_ADDRESS, smtp_account_get_address (account));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_HOST, smtp_account_get_host (account));
  g_key_file_set_integer (keyfile, group, SMTP_ACCOUNT_KEY_PORT, smtp_account_get_port (account));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_SECURITY,
              smtp_security_to_id (smtp_account_get_security (account)));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_AUTH,
              smtp_auth_mechanism_to_id (smtp_account_get_auth (account)));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_USER, smtp_account_get_user (account));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_FROM_NAME, smtp_account_get_from_name (account));
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_PIN_SHA256,
              smtp_account_get_pin_sha256 (account));
  if (smtp_account_get_allow_plaintext_auth (account))
    g_key_file_set_boolean (keyfile, group, SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH, TRUE);
  put_string (keyfile, group, SMTP_ACCOUNT_KEY_CA_FILE, smtp_account_get_ca_file (account));

  if (time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (time);

      g_key_file_set_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_TIME, text);
      g_key_file_set_boolean (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_OK,
                              smtp_account_get_last_test_ok (account));
      put_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY,
                  smtp_account_get_last_test_category (account));
      put_string (keyfile, group, SMTP_ACCOUNT_KEY_LAST_TEST_STAGE,
                  smtp_account_get_last_test_stage (account));
    }

  return keyfile;
}

/* Editing the text ----------------------------------------------------------
 *
 * A change edits the file's lines rather than re-serialising a GKeyFile, so
 * everything else in it stays byte for byte: comments, blank lines, the
 * order of keys, keys of later versions and accounts that were skipped.
 */

static GPtrArray *
split_lines (const char *text)
{
  g_auto(GStrv) split = g_strsplit (text, "\n", -1);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_strv_length (split);

  /* The newline that ends the last line does not start another one. */
  if (n > 0 && *split[n - 1] == '\0')
    n--;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (lines, g_strdup (split[i]));

  return lines;
}

static char *
join_lines (GPtrArray *lines)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      g_string_append (text, g_ptr_array_index (lines, i));
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

/* The group a header line opens ("[account Work]" → "account Work"), as
 * GKeyFile reads it, or NULL for any other line. */
static char *
line_group (const char *line)
{
  const char *end;

  while (g_ascii_isspace (*line))
    line++;
  if (*line != '[')
    return NULL;

  end = strrchr (line, ']');
  if (end == NULL)
    return NULL;

  return g_strndup (line + 1, end - line - 1);
}

/* The key a "key=value" line sets, without its [locale], or NULL. */
static char *
line_key (const char *line)
{
  const char *eq, *locale;
  g_autofree char *key = NULL;

  while (g_ascii_isspace (*line))
    line++;
  if (*line == '#' || *line == '[' || *line == '\0')
    return NULL;

  eq = strchr (line, '=');
  if (eq == NULL)
    return NULL;

  key = g_strstrip (g_strndup (line, eq - line));
  locale = strchr (key, '[');
  return locale != NULL ? g_strndup (key, locale - key) : g_steal_pointer (&key);
}

static gboolean
is_comment (const char *line)
{
  while (g_ascii_isspace (*line))
    line++;
  return *line == '#';
}

static gboolean
is_known_key (const char         *key,
              const char * const *keys)
{
  return key != NULL && g_strv_contains (keys, key);
}

/* The first line of the group named @group at or after @from, or -1. */
static int
find_group (GPtrArray  *lines,
            const char *group,
            guint       from)
{
  for (guint i = from; i < lines->len; i++)
    {
      g_autofree char *name = line_group (g_ptr_array_index (lines, i));

      if (name != NULL && g_str_equal (name, group))
        return i;
    }

  return -1;
}

/* The line after the group that starts at @header: the next header or the end. */
static guint
group_end (GPtrArray *lines,
           guint      header)
{
  for (guint i = header + 1; i < lines->len; i++)
    {
      g_autofree char *name = line_group (g_ptr_array_index (lines, i));

      if (name != NULL)
        return i;
    }

  return lines->len;
}

/* Sets @keys of @group to the values in @values (a GKeyFile group with the
 * escaped values; a key it lacks is removed): keys already there change in
 * place, new ones follow the group's last key. A group that is not there
 * is added at the end, or at the start when @first. */
static void
edit_group (GPtrArray          *lines,
            const char         *group,
            const char * const *keys,
            GKeyFile           *values,
            gboolean            first)
{
  g_autoptr(GHashTable) written = g_hash_table_new (g_str_hash, g_str_equal);
  int header = find_group (lines, group, 0);
  guint insert_at;

  if (header < 0)
    {
      guint at = first ? 0 : lines->len;

      if (!first && lines->len > 0 && *(char *) g_ptr_array_index (lines, lines->len - 1) != '\0')
        g_ptr_array_insert (lines, at++, g_strdup (""));
      g_ptr_array_insert (lines, at, g_strdup_printf ("[%s]", group));
      header = at;
      if (first && lines->len > (guint) header + 1)
        g_ptr_array_insert (lines, header + 1, g_strdup (""));
    }

  /* Every copy of the group (GKeyFile merges repeated groups): known keys
   * change in the first place they appear and leave the others. */
  insert_at = header + 1;
  for (int h = header; h >= 0; h = find_group (lines, group, h + 1))
    {
      for (guint i = h + 1; i < group_end (lines, h);)
        {
          g_autofree char *key = line_key (g_ptr_array_index (lines, i));
          g_autofree char *value = NULL;

          if (!is_known_key (key, keys))
            {
              if (key != NULL && h == header)
                insert_at = i + 1;
              i++;
              continue;
            }

          value = g_key_file_get_value (values, group, key, NULL);
          if (value != NULL && h == header && !g_hash_table_contains (written, key))
            {
              g_hash_table_add (written, (gpointer) g_intern_string (key));
              g_free (g_ptr_array_index (lines, i));
              g_ptr_array_index (lines, i) = g_strdup_printf ("%s=%s", key, value);
              insert_at = ++i;
            }
          else
            {
              g_ptr_array_remove_index (lines, i);
            }
        }
    }

  for (guint k = 0; keys[k] != NULL; k++)
    {
      g_autofree char *value = g_key_file_get_value (values, group, keys[k], NULL);

      if (value == NULL || g_hash_table_contains (written, keys[k]))
        continue;

      g_ptr_array_insert (lines, insert_at++, g_strdup_printf ("%s=%s", keys[k], value));
    }
}

/* Removes every copy of @group: its header, its lines, and the comment
 * right above it. Returns FALSE when there was none. */
static gboolean
remove_group (GPtrArray  *lines,
              const char *group)
{
  int header = find_group (lines, group, 0);

  if (header < 0)
    return FALSE;

  for (; header >= 0; header = find_group (lines, group, header))
    {
      guint end = group_end (lines, header);
      guint start = header;

      /* The comment block right above the header belongs to the group;
       * comments at the end of the group already belong to the next one. */
      while (start > 0 && is_comment (g_ptr_array_index (lines, start - 1)))
        start--;
      while (end > (guint) header + 1 && is_comment (g_ptr_array_index (lines, end - 1)))
        end--;

      g_ptr_array_remove_range (lines, start, end - start);
    }

  return TRUE;
}

/* The file, in the worker thread ------------------------------------------- */

static int
lock_directory (const char  *dir,
                GError     **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the folder %s: %s"), dir, g_strerror (saved_errno));
      return -1;
    }

  for (guint i = 0; flock (fd, LOCK_EX | LOCK_NB) != 0; i++)
    {
      if (errno == EINTR)
        continue;

      if (errno != EWOULDBLOCK || i >= LOCK_ATTEMPTS)
        {
          int saved_errno = errno;

          close (fd);
          if (saved_errno == EWOULDBLOCK)
            g_set_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_BUSY,
                         _("Another program kept the saved accounts in %s busy for too long. "
                           "Please try again."), dir);
          else
            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                         _("Could not lock the folder %s: %s"), dir, g_strerror (saved_errno));
          return -1;
        }

      /* Another instance is writing: that takes milliseconds. */
      g_usleep (LOCK_WAIT_US);
    }

  return fd;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;

      data += n;
      len -= n;
    }

  return TRUE;
}

/* Writes @data beside @path, syncs it, renames it over @path and syncs the
 * directory: whatever happens, @path is the old file or the new one. */
static gboolean
write_atomically (int          dir_fd,
                  const char  *path,
                  const char  *data,
                  gsize        len,
                  GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);
  int fd, saved_errno;

  /* The lock is held, so the temporary name can be fixed: one left by a
   * program that was killed is simply written over. */
  fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    goto failed;

  if (!write_all (fd, data, len) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      errno = saved_errno;
      goto failed_unlink;
    }

  if (close (fd) != 0)
    goto failed_unlink;

  if (rename (tmp, path) != 0)
    goto failed_unlink;

  /* The rename itself is durable only once the directory is synced. */
  if (fsync (dir_fd) != 0)
    g_debug ("Could not sync the folder of %s: %s", path, g_strerror (errno));

  return TRUE;

failed_unlink:
  saved_errno = errno;
  unlink (tmp);
  errno = saved_errno;
failed:
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not save the accounts in %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* Renames a file that cannot be read as settings to
 * accounts.ini.broken-<time>, never over another one. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *aside = n == 1 ? g_strdup_printf ("%s.broken-%s", path, stamp)
                                      : g_strdup_printf ("%s.broken-%s-%u", path, stamp, n);

      if (g_file_test (aside, G_FILE_TEST_EXISTS))
        continue;

      if (g_rename (path, aside) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The saved accounts in %s cannot be read, and could not be kept "
                         "aside: %s"), path, g_strerror (saved_errno));
          return NULL;
        }

      return g_steal_pointer (&aside);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("The saved accounts in %s cannot be read, and could not be kept aside."),
               path);
  return NULL;
}

/* Parses @data as the accounts file. Returns NULL when it is not one; a
 * version newer than this app's is an error of its own. */
static GKeyFile *
parse_file (const char  *data,
            gsize        len,
            gboolean    *newer,
            GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  gint64 version;

  *newer = FALSE;

  if (!g_key_file_load_from_data (keyfile, data, len,
                                  G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS,
                                  error))
    return NULL;

  /* A hand-written file may have no version: it is read as version 1. */
  if (!g_key_file_has_key (keyfile, VERSION_GROUP, VERSION_KEY, NULL))
    return g_steal_pointer (&keyfile);

  version = g_key_file_get_int64 (keyfile, VERSION_GROUP, VERSION_KEY, &local_error);
  if (local_error != NULL || version < 1)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           _("The format version is not a positive number."));
      return NULL;
    }

  if (version > SMTP_ACCOUNT_STORE_FORMAT_VERSION)
    {
      *newer = TRUE;
      g_set_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_UNSUPPORTED_VERSION,
                   _("The saved accounts were written by a newer version of SMTP Setup "
                     "(format %" G_GINT64_FORMAT "). Please update SMTP Setup; the file "
                     "was left as it is."), version);
      return NULL;
    }

  return g_steal_pointer (&keyfile);
}

static const char new_file[] =
  "# SMTP Setup's saved accounts. Passwords are never in this file: they are\n"
  "# kept in the keyring.\n"
  "[" VERSION_GROUP "]\n"
  VERSION_KEY "=" G_STRINGIFY (SMTP_ACCOUNT_STORE_FORMAT_VERSION) "\n";

/* Reads the file under the lock, into its text. A file that is not
 * settings is moved aside and @op->broken says where to; then @fallback
 * (the file as this store last knew it) or a new file is the base. */
static char *
read_file (Op          *op,
           const char  *fallback,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autofree char *data = NULL;
  g_autofree char *aside = NULL;
  gboolean newer = FALSE;
  gsize len = 0;

  if (!g_file_get_contents (op->path, &data, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_strdup (new_file);

      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not read the saved accounts: "));
      return NULL;
    }

  /* A NUL byte would cut the text short when it is edited. */
  if (memchr (data, '\0', len) == NULL)
    {
      keyfile = parse_file (data, len, &newer, &local_error);
      if (keyfile != NULL)
        return g_steal_pointer (&data);
    }
  else
    {
      g_set_error_literal (&local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                           _("The file holds a NUL byte."));
    }

  if (newer)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_debug ("%s cannot be parsed: %s", op->path, local_error->message);

  aside = move_aside (op->path, error);
  if (aside == NULL)
    return NULL;

  g_set_error (&op->broken, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_CORRUPT,
               _("The saved accounts could not be read (%s). The file was kept as %s, "
                 "and the accounts in it are not shown."),
               local_error->message, aside);

  if (fallback != NULL)
    {
      g_clear_pointer (&keyfile, g_key_file_unref);
      keyfile = parse_file (fallback, strlen (fallback), &newer, NULL);
      if (keyfile != NULL)
        return g_strdup (fallback);
    }

  return g_strdup (new_file);
}

/* Applies the change to the text; the result must read back as settings
 * with the changed account as it was given, or nothing is written. */
static char *
change_text (Op          *op,
             const char  *text,
             GError     **error)
{
  static const char * const version_keys[] = { VERSION_KEY, NULL };
  g_autoptr(GPtrArray) lines = split_lines (text);
  g_autoptr(GKeyFile) version = g_key_file_new ();
  g_autoptr(GKeyFile) check = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *result = NULL;
  gboolean newer;

  if (op->kind == OP_REMOVE)
    {
      if (!remove_group (lines, op->group))
        {
          g_set_error (error, SMTP_ACCOUNT_STORE_ERROR, SMTP_ACCOUNT_STORE_ERROR_NOT_FOUND,
                       _("There is no saved account named “%s”."),
                       op->group + strlen (ACCOUNT_GROUP_PREFIX));
          return NULL;
        }
    }
  else
    {
      edit_group (lines, op->group, account_keys, op->change, FALSE);
    }

  g_key_file_set_integer (version, VERSION_GROUP, VERSION_KEY, SMTP_ACCOUNT_STORE_FORMAT_VERSION);
  edit_group (lines, VERSION_GROUP, version_keys, version, TRUE);

  result = join_lines (lines);

  check = parse_file (result, strlen (result), &newer, &local_error);
  if (check != NULL && op->kind == OP_SAVE)
    {
      for (guint i = 0; account_keys[i] != NULL; i++)
        {
          g_autofree char *want = g_key_file_get_value (op->change, op->group, account_keys[i],
                                                        NULL);
          g_autofree char *got = g_key_file_get_value (check, op->group, account_keys[i], NULL);

          if (g_strcmp0 (want, got) != 0)
            {
              g_set_error (&local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "the setting %s reads back differently", account_keys[i]);
              g_clear_pointer (&check, g_key_file_unref);
              break;
            }
        }
    }

  if (check == NULL)
    {
      /* A bug, never the person's doing: keep the file as it is. */
      g_critical ("The edited accounts file would not read back: %s", local_error->message);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The accounts could not be saved because of an error in SMTP Setup. "
                     "The file was left as it is."));
      return NULL;
    }

  return g_steal_pointer (&result);
}

static void
op_run_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autofree char *dir = g_path_get_dirname (op->path);
  g_autofree char *text = NULL;
  gboolean newer;
  int dir_fd;

  if (g_task_return_error_if_cancelled (task))
    return;

  op->parsed = g_ptr_array_new_with_free_func (g_object_unref);
  op->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  if (op->kind == OP_LOAD && !g_file_test (op->path, G_FILE_TEST_EXISTS))
    {
      /* Nothing saved yet: nothing to lock either. */
      G_LOCK (change_seq);
      op->seq = ++change_seq;
      G_UNLOCK (change_seq);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not make the folder %s: %s"), dir,
                               g_strerror (saved_errno));
      return;
    }

  dir_fd = lock_directory (dir, &error);
  if (dir_fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  G_LOCK (change_seq);
  op->seq = ++change_seq;
  G_UNLOCK (change_seq);

  text = read_file (op, op->snapshot, &error);
  if (text == NULL)
    goto out;

  if (op->kind != OP_LOAD)
    {
      char *changed = change_text (op, text, &error);

      if (changed == NULL)
        goto out;
      g_free (text);
      text = changed;

      if (!write_atomically (dir_fd, op->path, text, strlen (text), &error))
        goto out;
    }

  keyfile = parse_file (text, strlen (text), &newer, &error);
  if (keyfile == NULL)
    goto out;

  read_accounts (keyfile, op->path, op->parsed, op->problems);
  op->contents = g_steal_pointer (&text);

out:
  close (dir_fd);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Back on the main context ------------------------------------------------- */

static gboolean
find_account (SmtpAccountStore *self,
              const char       *name,
              guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SmtpAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_str_equal (smtp_account_get_name (account), name))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Makes the list what the file holds, keeping the objects of accounts that
 * are still there (so views bound to them stay) and putting @saved in. */
static void
apply_op (SmtpAccountStore *self,
          Op               *op)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  /* An older change that finished late must not undo a newer one. */
  if (op->seq <= self->applied_seq)
    return;
  self->applied_seq = op->seq;

  g_free (self->snapshot);
  self->snapshot = g_steal_pointer (&op->contents);

  g_ptr_array_set_size (self->problems, 0);
  if (op->broken != NULL)
    g_ptr_array_add (self->problems, g_error_copy (op->broken));
  for (guint i = 0; i < op->problems->len; i++)
    g_ptr_array_add (self->problems, g_error_copy (g_ptr_array_index (op->problems, i)));

  for (guint i = 0; i < op->parsed->len; i++)
    {
      SmtpAccount *parsed = g_ptr_array_index (op->parsed, i);
      const char *name = smtp_account_get_name (parsed);
      guint position;

      if (op->account != NULL && g_str_equal (smtp_account_get_name (op->account), name))
        {
          g_ptr_array_add (items, g_object_ref (op->account));
        }
      else if (find_account (self, name, &position))
        {
          SmtpAccount *existing = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);

          smtp_account_copy_settings (existing, parsed);
          g_ptr_array_add (items, existing);
        }
      else
        {
          g_ptr_array_add (items, g_object_ref (parsed));
        }
    }

  g_list_store_splice (self->accounts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->accounts)),
                       items->pdata, items->len);
}

static void
op_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SmtpAccountStore *self = SMTP_ACCOUNT_STORE (source);
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("%s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply_op (self, op);

  /* Loading a broken file is reported as an error, though the store is
   * usable (and empty) afterwards; a change that found the file broken
   * still made it, and reports it through the problems. */
  if (op->kind == OP_LOAD && op->broken != NULL)
    g_task_return_error (task, g_error_copy (op->broken));
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_op (SmtpAccountStore    *self,
        Op                  *op,
        gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  op->path = g_file_get_path (self->file);
  op->snapshot = g_strdup (self->snapshot);

  worker = g_task_new (self, cancellable, op_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, run_op);
  /* Once the file is written the store must show it, cancelled or not. */
  g_task_set_check_cancellable (worker, FALSE);
  g_task_set_task_data (worker, op, (GDestroyNotify) op_free);
  g_task_run_in_thread (worker, op_run_thread);
}

/* The object --------------------------------------------------------------- */

static void
smtp_account_store_finalize (GObject *object)
{
  SmtpAccountStore *self = SMTP_ACCOUNT_STORE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->snapshot);

  G_OBJECT_CLASS (smtp_account_store_parent_class)->finalize (object);
}

static void
smtp_account_store_constructed (GObject *object)
{
  SmtpAccountStore *self = SMTP_ACCOUNT_STORE (object);

  G_OBJECT_CLASS (smtp_account_store_parent_class)->constructed (object);

  if (self->file == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_config_dir (), "smtp-setup",
                                                "accounts.ini", NULL);

      self->file = g_file_new_for_path (path);
    }
}

static void
smtp_account_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SmtpAccountStore *self = SMTP_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_account_store_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SmtpAccountStore *self = SMTP_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_account_store_class_init (SmtpAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = smtp_account_store_finalize;
  object_class->constructed = smtp_account_store_constructed;
  object_class->get_property = smtp_account_store_get_property;
  object_class->set_property = smtp_account_store_set_property;

  /**
   * SmtpAccountStore:file:
   *
   * The settings file; by default accounts.ini in the smtp-setup folder of
   * the user's configuration directory. It must be a local file.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccountStore:accounts:
   *
   * The saved accounts (#SmtpAccount), in the file's order, as last loaded
   * or saved.
   */
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
smtp_account_store_init (SmtpAccountStore *self)
{
  self->accounts = g_list_store_new (SMTP_TYPE_ACCOUNT);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

/**
 * smtp_account_store_new:
 *
 * Returns: (transfer full): a store of the file
 *   $XDG_CONFIG_HOME/smtp-setup/accounts.ini, not loaded yet
 */
SmtpAccountStore *
smtp_account_store_new (void)
{
  return g_object_new (SMTP_TYPE_ACCOUNT_STORE, NULL);
}

/**
 * smtp_account_store_new_for_file:
 * @file: a local settings file
 *
 * Returns: (transfer full): a store of @file, not loaded yet
 */
SmtpAccountStore *
smtp_account_store_new_for_file (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (g_file_is_native (file), NULL);

  return g_object_new (SMTP_TYPE_ACCOUNT_STORE, "file", file, NULL);
}

/**
 * smtp_account_store_get_file:
 * @self: a store
 *
 * Returns: (transfer none): the settings file
 */
GFile *
smtp_account_store_get_file (SmtpAccountStore *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT_STORE (self), NULL);

  return self->file;
}

/**
 * smtp_account_store_get_accounts:
 * @self: a store
 *
 * Returns: (transfer none): the saved accounts, a list of #SmtpAccount
 */
GListModel *
smtp_account_store_get_accounts (SmtpAccountStore *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT_STORE (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/**
 * smtp_account_store_lookup:
 * @self: a store
 * @name: an account name
 *
 * Returns: (transfer none) (nullable): the saved account named @name
 */
SmtpAccount *
smtp_account_store_lookup (SmtpAccountStore *self,
                           const char       *name)
{
  g_autoptr(SmtpAccount) account = NULL;
  guint position;

  g_return_val_if_fail (SMTP_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!find_account (self, name, &position))
    return NULL;

  /* The list keeps its reference. */
  account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
  return account;
}

/**
 * smtp_account_store_get_problems:
 * @self: a store
 *
 * What went wrong in the last load or change without stopping it: each
 * account that was skipped (%SMTP_ACCOUNT_ERROR_INVALID, naming the account
 * and the setting; the account stays in the file as it is) and a file that
 * was moved aside (%SMTP_ACCOUNT_STORE_ERROR_CORRUPT).
 *
 * Returns: (transfer none) (element-type GError): the problems
 */
GPtrArray *
smtp_account_store_get_problems (SmtpAccountStore *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT_STORE (self), NULL);

  return self->problems;
}

/**
 * smtp_account_store_load_async:
 * @self: a store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the accounts are loaded
 * @user_data: for @callback
 *
 * Reads the file (a missing file is no accounts). Accounts whose settings
 * are not valid are skipped and listed in the problems; the others load.
 */
void
smtp_account_store_load_async (SmtpAccountStore    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Op *op;

  g_return_if_fail (SMTP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (Op, 1);
  op->kind = OP_LOAD;
  run_op (self, op, smtp_account_store_load_async, cancellable, callback, user_data);
}

/**
 * smtp_account_store_load_finish:
 * @self: a store
 * @result: the result given to the callback
 * @error: return location for a %SMTP_ACCOUNT_STORE_ERROR or a %G_IO_ERROR
 *
 * With %SMTP_ACCOUNT_STORE_ERROR_CORRUPT the file was moved aside (the
 * message says where) and the store is empty and usable.
 *
 * Returns: %TRUE when the file was read
 */
gboolean
smtp_account_store_load_finish (SmtpAccountStore  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        smtp_account_store_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * smtp_account_store_save_async:
 * @self: a store
 * @account: the account to add, or to replace the saved one of its name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Checks @account, reads the file again, puts the account in it (other
 * programs' changes are kept) and writes it atomically. Afterwards the
 * store lists what the file holds, with @account itself in it. The
 * password is not part of an account: keep it with #SmtpKeyring.
 */
void
smtp_account_store_save_async (SmtpAccountStore    *self,
                               SmtpAccount         *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  Op *op;

  g_return_if_fail (SMTP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (SMTP_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!smtp_account_validate (account, &error))
    {
      g_task_report_error (self, callback, user_data, smtp_account_store_save_async,
                           g_steal_pointer (&error));
      return;
    }

  op = g_new0 (Op, 1);
  op->kind = OP_SAVE;
  op->group = group_for_name (smtp_account_get_name (account));
  op->change = write_account (account, op->group);
  op->account = g_object_ref (account);
  run_op (self, op, smtp_account_store_save_async, cancellable, callback, user_data);
}

/**
 * smtp_account_store_save_finish:
 * @self: a store
 * @result: the result given to the callback
 * @error: return location for a %SMTP_ACCOUNT_ERROR, a
 *   %SMTP_ACCOUNT_STORE_ERROR or a %G_IO_ERROR
 *
 * Returns: %TRUE when the account is saved
 */
gboolean
smtp_account_store_save_finish (SmtpAccountStore  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * smtp_account_store_remove_async:
 * @self: a store
 * @name: the name of the account to remove
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is written
 * @user_data: for @callback
 *
 * Reads the file again, removes the account's group and writes it. The
 * password is not touched: clear it with smtp_keyring_clear_async().
 */
void
smtp_account_store_remove_async (SmtpAccountStore    *self,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Op *op;

  g_return_if_fail (SMTP_IS_ACCOUNT_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = g_new0 (Op, 1);
  op->kind = OP_REMOVE;
  op->group = group_for_name (name);
  run_op (self, op, smtp_account_store_remove_async, cancellable, callback, user_data);
}

/**
 * smtp_account_store_remove_finish:
 * @self: a store
 * @result: the result given to the callback
 * @error: return location for a %SMTP_ACCOUNT_STORE_ERROR (NOT_FOUND when
 *   no account has the name) or a %G_IO_ERROR
 *
 * Returns: %TRUE when the account is removed
 */
gboolean
smtp_account_store_remove_finish (SmtpAccountStore  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
