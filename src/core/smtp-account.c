/* smtp-account.c: the settings of one saved account and its last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-account"

#include "config.h"

#include "smtp-account.h"
#include "smtp-account-private.h"

#include "smtp-address.h"
#include "smtp-error.h"
#include "smtp-explain.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Category ids are short lower-case words joined by hyphens ("auth-failed"). */
#define MAX_CATEGORY 64

struct _SmtpAccount
{
  GObject            parent_instance;

  char              *name;
  char              *address;
  char              *host;
  guint16            port;
  SmtpSecurity       security;
  SmtpAuthMechanism  auth;
  char              *user;
  char              *from_name;
  char              *pin_sha256;
  gboolean           allow_plaintext_auth;
  char              *ca_file;

  GDateTime         *last_test_time;
  gboolean           last_test_ok;
  char              *last_test_category;
  char              *last_test_stage;
};

G_DEFINE_FINAL_TYPE (SmtpAccount, smtp_account, G_TYPE_OBJECT)

G_DEFINE_QUARK (smtp-account-error-quark, smtp_account_error)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_AUTH,
  PROP_USER,
  PROP_FROM_NAME,
  PROP_PIN_SHA256,
  PROP_ALLOW_PLAINTEXT_AUTH,
  PROP_CA_FILE,
  PROP_LAST_TEST_TIME,
  PROP_LAST_TEST_OK,
  PROP_LAST_TEST_CATEGORY,
  PROP_LAST_TEST_STAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Optional text is unset when empty, so "" and NULL never differ. */
static gboolean
set_string (SmtpAccount  *self,
            char        **field,
            const char   *value,
            gboolean      optional,
            int           prop)
{
  if (optional && value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
smtp_account_finalize (GObject *object)
{
  SmtpAccount *self = SMTP_ACCOUNT (object);

  g_free (self->name);
  g_free (self->address);
  g_free (self->host);
  g_free (self->user);
  g_free (self->from_name);
  g_free (self->pin_sha256);
  g_free (self->ca_file);
  g_clear_pointer (&self->last_test_time, g_date_time_unref);
  g_free (self->last_test_category);
  g_free (self->last_test_stage);

  G_OBJECT_CLASS (smtp_account_parent_class)->finalize (object);
}

static void
smtp_account_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SmtpAccount *self = SMTP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;

    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_FROM_NAME:
      g_value_set_string (value, self->from_name);
      break;

    case PROP_PIN_SHA256:
      g_value_set_string (value, self->pin_sha256);
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      g_value_set_boolean (value, self->allow_plaintext_auth);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_LAST_TEST_TIME:
      g_value_set_boxed (value, self->last_test_time);
      break;

    case PROP_LAST_TEST_OK:
      g_value_set_boolean (value, self->last_test_ok);
      break;

    case PROP_LAST_TEST_CATEGORY:
      g_value_set_string (value, self->last_test_category);
      break;

    case PROP_LAST_TEST_STAGE:
      g_value_set_string (value, self->last_test_stage);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_account_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SmtpAccount *self = SMTP_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_ADDRESS:
      smtp_account_set_address (self, g_value_get_string (value));
      break;

    case PROP_HOST:
      smtp_account_set_host (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      smtp_account_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SECURITY:
      smtp_account_set_security (self, g_value_get_enum (value));
      break;

    case PROP_AUTH:
      smtp_account_set_auth (self, g_value_get_enum (value));
      break;

    case PROP_USER:
      smtp_account_set_user (self, g_value_get_string (value));
      break;

    case PROP_FROM_NAME:
      smtp_account_set_from_name (self, g_value_get_string (value));
      break;

    case PROP_PIN_SHA256:
      smtp_account_set_pin_sha256 (self, g_value_get_string (value));
      break;

    case PROP_ALLOW_PLAINTEXT_AUTH:
      smtp_account_set_allow_plaintext_auth (self, g_value_get_boolean (value));
      break;

    case PROP_CA_FILE:
      smtp_account_set_ca_file (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_account_class_init (SmtpAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = smtp_account_finalize;
  object_class->get_property = smtp_account_get_property;
  object_class->set_property = smtp_account_set_property;

  /**
   * SmtpAccount:name:
   *
   * The name the person chose for the account; it identifies the account
   * and cannot change.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:address:
   *
   * The email address, used as the sender of test messages.
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:host:
   *
   * The outgoing server's name or address.
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:port:
   *
   * The server's port.
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, 587,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:security:
   *
   * STARTTLS, implicit TLS or none.
   */
  properties[PROP_SECURITY] =
    g_param_spec_enum ("security", NULL, NULL, SMTP_TYPE_SECURITY, SMTP_SECURITY_STARTTLS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:auth:
   *
   * The sign-in method, automatic by default.
   */
  properties[PROP_AUTH] =
    g_param_spec_enum ("auth", NULL, NULL, SMTP_TYPE_AUTH_MECHANISM, SMTP_AUTH_MECHANISM_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:user:
   *
   * The user name to sign in with; %NULL signs in as nobody (no password).
   */
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:from-name:
   *
   * The person's name for the From header of test messages, or %NULL.
   */
  properties[PROP_FROM_NAME] =
    g_param_spec_string ("from-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:pin-sha256:
   *
   * The hex SHA-256 of the one server certificate the person chose to trust,
   * or %NULL.
   */
  properties[PROP_PIN_SHA256] =
    g_param_spec_string ("pin-sha256", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:allow-plaintext-auth:
   *
   * The person explicitly allowed sending the password over an unencrypted
   * connection. Off unless they chose it.
   */
  properties[PROP_ALLOW_PLAINTEXT_AUTH] =
    g_param_spec_boolean ("allow-plaintext-auth", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:ca-file:
   *
   * An absolute path to a PEM file of certificate authorities trusted in
   * addition to the system's, or %NULL.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:last-test-time:
   *
   * When the account was last tested, or %NULL if never.
   */
  properties[PROP_LAST_TEST_TIME] =
    g_param_spec_boxed ("last-test-time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:last-test-ok:
   *
   * Whether the last test succeeded.
   */
  properties[PROP_LAST_TEST_OK] =
    g_param_spec_boolean ("last-test-ok", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:last-test-category:
   *
   * The failure category of the last test ("auth-failed"), %NULL when it
   * succeeded or never ran.
   */
  properties[PROP_LAST_TEST_CATEGORY] =
    g_param_spec_string ("last-test-category", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAccount:last-test-stage:
   *
   * The stage id the last test reached ("auth", "done"), or %NULL.
   */
  properties[PROP_LAST_TEST_STAGE] =
    g_param_spec_string ("last-test-stage", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
smtp_account_init (SmtpAccount *self)
{
  self->port = 587;
  self->security = SMTP_SECURITY_STARTTLS;
  self->auth = SMTP_AUTH_MECHANISM_AUTO;
}

/**
 * smtp_account_new:
 * @name: the name the person chose for the account
 *
 * Returns: (transfer full): an account with STARTTLS on port 587 and
 *   automatic sign-in; check it with smtp_account_validate()
 */
SmtpAccount *
smtp_account_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (SMTP_TYPE_ACCOUNT, "name", name, NULL);
}

/**
 * smtp_account_copy_settings:
 * @self: an account
 * @from: the account to copy from
 *
 * Gives @self every setting and the last test of @from (not its name),
 * notifying only the properties that change.
 */
void
smtp_account_copy_settings (SmtpAccount *self,
                            SmtpAccount *from)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));
  g_return_if_fail (SMTP_IS_ACCOUNT (from));

  if (self == from)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  smtp_account_set_address (self, from->address);
  smtp_account_set_host (self, from->host);
  smtp_account_set_port (self, from->port);
  smtp_account_set_security (self, from->security);
  smtp_account_set_auth (self, from->auth);
  smtp_account_set_user (self, from->user);
  smtp_account_set_from_name (self, from->from_name);
  smtp_account_set_pin_sha256 (self, from->pin_sha256);
  smtp_account_set_allow_plaintext_auth (self, from->allow_plaintext_auth);
  smtp_account_set_ca_file (self, from->ca_file);
  smtp_account_set_last_test (self, from->last_test_time, from->last_test_ok,
                              from->last_test_category, from->last_test_stage);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * smtp_account_copy:
 * @self: an account
 * @name: (nullable): the copy's name, or %NULL for the same name
 *
 * Returns: (transfer full): a new account with the settings of @self, for
 *   editing without touching the saved one
 */
SmtpAccount *
smtp_account_copy (SmtpAccount *self,
                   const char  *name)
{
  SmtpAccount *copy;

  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  copy = smtp_account_new (name != NULL ? name : self->name);
  smtp_account_copy_settings (copy, self);

  return copy;
}

const char *
smtp_account_get_name (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->name;
}

const char *
smtp_account_get_address (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->address;
}

void
smtp_account_set_address (SmtpAccount *self,
                          const char  *address)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->address, address, FALSE, PROP_ADDRESS);
}

const char *
smtp_account_get_host (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->host;
}

void
smtp_account_set_host (SmtpAccount *self,
                       const char  *host)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->host, host, FALSE, PROP_HOST);
}

guint16
smtp_account_get_port (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), 0);

  return self->port;
}

void
smtp_account_set_port (SmtpAccount *self,
                       guint16      port)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));
  g_return_if_fail (port > 0);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

SmtpSecurity
smtp_account_get_security (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), SMTP_SECURITY_STARTTLS);

  return self->security;
}

void
smtp_account_set_security (SmtpAccount  *self,
                           SmtpSecurity  security)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));
  g_return_if_fail (security <= SMTP_SECURITY_NONE);

  if (self->security == security)
    return;

  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

SmtpAuthMechanism
smtp_account_get_auth (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), SMTP_AUTH_MECHANISM_AUTO);

  return self->auth;
}

void
smtp_account_set_auth (SmtpAccount       *self,
                       SmtpAuthMechanism  auth)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));
  g_return_if_fail (auth <= SMTP_AUTH_MECHANISM_XOAUTH2);

  if (self->auth == auth)
    return;

  self->auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

const char *
smtp_account_get_user (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->user;
}

void
smtp_account_set_user (SmtpAccount *self,
                       const char  *user)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->user, user, TRUE, PROP_USER);
}

const char *
smtp_account_get_from_name (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->from_name;
}

void
smtp_account_set_from_name (SmtpAccount *self,
                            const char  *from_name)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->from_name, from_name, TRUE, PROP_FROM_NAME);
}

const char *
smtp_account_get_pin_sha256 (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->pin_sha256;
}

void
smtp_account_set_pin_sha256 (SmtpAccount *self,
                             const char  *pin_sha256)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->pin_sha256, pin_sha256, TRUE, PROP_PIN_SHA256);
}

gboolean
smtp_account_get_allow_plaintext_auth (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), FALSE);

  return self->allow_plaintext_auth;
}

void
smtp_account_set_allow_plaintext_auth (SmtpAccount *self,
                                       gboolean     allow)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  allow = !!allow;
  if (self->allow_plaintext_auth == allow)
    return;

  self->allow_plaintext_auth = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PLAINTEXT_AUTH]);
}

const char *
smtp_account_get_ca_file (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->ca_file;
}

void
smtp_account_set_ca_file (SmtpAccount *self,
                          const char  *ca_file)
{
  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  set_string (self, &self->ca_file, ca_file, TRUE, PROP_CA_FILE);
}

/**
 * smtp_account_get_last_test_time:
 * @self: an account
 *
 * Returns: (transfer none) (nullable): when the account was last tested
 */
GDateTime *
smtp_account_get_last_test_time (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->last_test_time;
}

gboolean
smtp_account_get_last_test_ok (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), FALSE);

  return self->last_test_ok;
}

const char *
smtp_account_get_last_test_category (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->last_test_category;
}

const char *
smtp_account_get_last_test_stage (SmtpAccount *self)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  return self->last_test_stage;
}

/**
 * smtp_account_set_last_test:
 * @self: an account
 * @time: (nullable): when the test ran, %NULL to forget the last test
 * @ok: whether it succeeded
 * @category: (nullable): the failure category id
 * @stage: (nullable): the stage id the test reached
 *
 * Sets the four last-test properties together, notifying those that change.
 */
void
smtp_account_set_last_test (SmtpAccount *self,
                            GDateTime   *time,
                            gboolean     ok,
                            const char  *category,
                            const char  *stage)
{
  gboolean time_changed;

  g_return_if_fail (SMTP_IS_ACCOUNT (self));

  ok = !!ok;
  if (time == NULL || self->last_test_time == NULL)
    time_changed = time != self->last_test_time;
  else
    time_changed = !g_date_time_equal (time, self->last_test_time);

  g_object_freeze_notify (G_OBJECT (self));

  if (time_changed)
    {
      g_clear_pointer (&self->last_test_time, g_date_time_unref);
      self->last_test_time = time != NULL ? g_date_time_ref (time) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_TEST_TIME]);
    }

  if (self->last_test_ok != ok)
    {
      self->last_test_ok = ok;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_TEST_OK]);
    }

  set_string (self, &self->last_test_category, category, TRUE, PROP_LAST_TEST_CATEGORY);
  set_string (self, &self->last_test_stage, stage, TRUE, PROP_LAST_TEST_STAGE);

  g_object_thaw_notify (G_OBJECT (self));
}

/* Checks ------------------------------------------------------------------- */

/**
 * smtp_account_validate_name:
 * @name: a name for an account, such as "Work"
 * @error: return location for a %SMTP_INPUT_ERROR with a message fit to show
 *
 * A name is one line of at most %SMTP_ACCOUNT_NAME_MAX characters, without
 * square brackets (it names a group of the settings file) and without
 * spaces at either end.
 *
 * Returns: %TRUE when @name can name an account
 */
gboolean
smtp_account_validate_name (const char  *name,
                            GError     **error)
{
  gsize len;

  g_return_val_if_fail (name != NULL, FALSE);

  if (*name == '\0')
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY,
                           _("Please give the account a name."));
      return FALSE;
    }

  if (!smtp_text_check_wire_safe (name, error))
    return FALSE;

  len = strlen (name);
  if (g_utf8_strlen (name, -1) > SMTP_ACCOUNT_NAME_MAX)
    {
      g_set_error (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_TOO_LONG,
                   g_dngettext (GETTEXT_PACKAGE,
                                "An account name has at most %d character.",
                                "An account name has at most %d characters.",
                                SMTP_ACCOUNT_NAME_MAX),
                   SMTP_ACCOUNT_NAME_MAX);
      return FALSE;
    }

  if (strpbrk (name, "[]") != NULL || g_ascii_isspace (name[0]) ||
      g_ascii_isspace (name[len - 1]))
    {
      g_set_error_literal (error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("An account name cannot have square brackets, nor spaces at "
                             "its start or end."));
      return FALSE;
    }

  return TRUE;
}

/**
 * _smtp_account_check_pin:
 * @pin: a certificate fingerprint
 * @cause: return location for a %SMTP_INPUT_ERROR
 *
 * Returns: %TRUE when @pin is 64 hexadecimal digits (a SHA-256)
 */
gboolean
_smtp_account_check_pin (const char  *pin,
                         GError     **cause)
{
  gboolean ok = strlen (pin) == 64;

  for (const char *p = pin; ok && *p != '\0'; p++)
    ok = g_ascii_isxdigit (*p);

  if (!ok)
    g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                         _("A certificate fingerprint is 64 hexadecimal digits (SHA-256)."));
  return ok;
}

/**
 * _smtp_account_check_category:
 * @category: a failure category id
 * @cause: return location for a %SMTP_INPUT_ERROR
 *
 * Returns: %TRUE when @category has the form of a category id
 */
gboolean
_smtp_account_check_category (const char  *category,
                              GError     **cause)
{
  gsize len = strlen (category);
  gboolean ok = len > 0 && len <= MAX_CATEGORY && category[0] != '-' &&
                category[len - 1] != '-';

  for (const char *p = category; ok && *p != '\0'; p++)
    ok = g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-';

  if (!ok)
    g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                         _("This is not a known kind of test result."));
  return ok;
}

static gboolean
bad_key (const char **key,
         const char  *which)
{
  *key = which;
  return FALSE;
}

static gboolean
check_required (const char  *value,
                GError     **cause)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_EMPTY,
                           _("It is missing."));
      return FALSE;
    }

  return TRUE;
}

/**
 * _smtp_account_check:
 * @self: an account
 * @key: (out): the key of the first setting that is not valid
 * @cause: return location for what is wrong with it, fit to show
 *
 * Checks every setting: required ones are present, addresses and names have
 * their form, and no text holds CR, LF, NUL or another control character.
 *
 * Returns: %TRUE when every setting is valid
 */
gboolean
_smtp_account_check (SmtpAccount  *self,
                     const char  **key,
                     GError      **cause)
{
  SmtpStage stage;

  if (!smtp_account_validate_name (self->name, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_NAME);

  if (!check_required (self->address, cause) || !smtp_address_validate (self->address, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_ADDRESS);

  if (!check_required (self->host, cause) || !smtp_host_validate (self->host, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_HOST);

  if (self->user != NULL && !smtp_text_check_wire_safe (self->user, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_USER);

  if (self->from_name != NULL && !smtp_text_check_wire_safe (self->from_name, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_FROM_NAME);

  if (self->pin_sha256 != NULL && !_smtp_account_check_pin (self->pin_sha256, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_PIN_SHA256);

  if (self->ca_file != NULL)
    {
      if (!smtp_text_check_wire_safe (self->ca_file, cause))
        return bad_key (key, SMTP_ACCOUNT_KEY_CA_FILE);
      if (!g_path_is_absolute (self->ca_file))
        {
          g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                               _("The certificate file needs its full path, starting with “/”."));
          return bad_key (key, SMTP_ACCOUNT_KEY_CA_FILE);
        }
    }

  if (self->last_test_category != NULL &&
      !_smtp_account_check_category (self->last_test_category, cause))
    return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY);

  if (self->last_test_stage != NULL && !smtp_stage_from_id (self->last_test_stage, &stage))
    {
      g_set_error_literal (cause, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                           _("This is not a known step of a test."));
      return bad_key (key, SMTP_ACCOUNT_KEY_LAST_TEST_STAGE);
    }

  return TRUE;
}

/**
 * _smtp_account_describe_key:
 * @key: a key of an account's group
 *
 * Returns: the setting's name in plain words, translated
 */
const char *
_smtp_account_describe_key (const char *key)
{
  static const struct {
    const char *key;
    const char *label;
  } labels[] = {
    { SMTP_ACCOUNT_KEY_NAME, N_("name") },
    { SMTP_ACCOUNT_KEY_ADDRESS, N_("email address") },
    { SMTP_ACCOUNT_KEY_HOST, N_("server name") },
    { SMTP_ACCOUNT_KEY_PORT, N_("port") },
    { SMTP_ACCOUNT_KEY_SECURITY, N_("security") },
    { SMTP_ACCOUNT_KEY_AUTH, N_("sign-in method") },
    { SMTP_ACCOUNT_KEY_USER, N_("user name") },
    { SMTP_ACCOUNT_KEY_FROM_NAME, N_("sender name") },
    { SMTP_ACCOUNT_KEY_PIN_SHA256, N_("trusted certificate fingerprint") },
    { SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH, N_("unencrypted password permission") },
    { SMTP_ACCOUNT_KEY_CA_FILE, N_("certificate file") },
    { SMTP_ACCOUNT_KEY_LAST_TEST_TIME, N_("last test time") },
    { SMTP_ACCOUNT_KEY_LAST_TEST_OK, N_("last test result") },
    { SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY, N_("last test result") },
    { SMTP_ACCOUNT_KEY_LAST_TEST_STAGE, N_("last test step") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (g_str_equal (labels[i].key, key))
        return g_dgettext (GETTEXT_PACKAGE, labels[i].label);
    }

  return key;
}

/**
 * smtp_account_validate:
 * @self: an account
 * @error: return location for a %SMTP_ACCOUNT_ERROR_INVALID error whose
 *   message names the account and the setting
 *
 * Checks every setting before the account is saved or used.
 *
 * Returns: %TRUE when the account is valid
 */
gboolean
smtp_account_validate (SmtpAccount  *self,
                       GError      **error)
{
  g_autoptr(GError) cause = NULL;
  const char *key = NULL;

  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), FALSE);

  if (_smtp_account_check (self, &key, &cause))
    return TRUE;

  /* A name that is not valid is not repeated: it may hold a line break. */
  if (g_str_equal (key, SMTP_ACCOUNT_KEY_NAME))
    {
      g_set_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID,
                   _("This account name cannot be used: %s"), cause->message);
      return FALSE;
    }

  /* Translators: the first %s is an account name, the second a setting
   * such as "server name", the third what is wrong with it. */
  g_set_error (error, SMTP_ACCOUNT_ERROR, SMTP_ACCOUNT_ERROR_INVALID,
               _("The account “%s” has a %s that cannot be used: %s"),
               self->name, _smtp_account_describe_key (key), cause->message);
  return FALSE;
}

/**
 * smtp_account_same_keyring_key:
 * @self: an account
 * @other: another account, often the same account before an edit
 *
 * The keyring finds a password by user name, server and port: when those
 * differ, an edited account's password has to move.
 *
 * Returns: %TRUE when both accounts find the same password in the keyring
 */
gboolean
smtp_account_same_keyring_key (SmtpAccount *self,
                               SmtpAccount *other)
{
  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (SMTP_IS_ACCOUNT (other), FALSE);

  return g_strcmp0 (self->user, other->user) == 0 &&
         g_strcmp0 (self->host, other->host) == 0 &&
         self->port == other->port;
}

/**
 * smtp_account_build_test_options:
 * @self: a valid account
 * @password: (nullable): the password (or the OAuth 2 token for XOAUTH2),
 *   copied; %NULL tests without signing in
 * @error: return location for a %SMTP_ACCOUNT_ERROR_INVALID error, or the
 *   %G_TLS_ERROR / %G_IO_ERROR of an unreadable certificate file
 *
 * Builds the options of a test of this account that sends a message to its
 * own address.
 *
 * Returns: (transfer full) (nullable): the options, or %NULL
 */
SmtpTestOptions *
smtp_account_build_test_options (SmtpAccount  *self,
                                 const char   *password,
                                 GError      **error)
{
  g_autoptr(SmtpTestOptions) options = NULL;

  g_return_val_if_fail (SMTP_IS_ACCOUNT (self), NULL);

  if (!smtp_account_validate (self, error))
    return NULL;

  options = smtp_test_options_new ();
  options->host = g_strdup (self->host);
  options->port = self->port;
  options->security = self->security;
  options->auth = self->auth;
  options->user = g_strdup (self->user);
  options->allow_plaintext_auth = self->allow_plaintext_auth;
  options->from = g_strdup (self->address);
  options->from_name = g_strdup (self->from_name);
  options->pin_sha256 = g_strdup (self->pin_sha256);

  if (password != NULL && self->auth == SMTP_AUTH_MECHANISM_XOAUTH2)
    options->oauth_token = g_strdup (password);
  else if (password != NULL)
    options->password = g_strdup (password);

  if (self->ca_file != NULL)
    {
      options->ca_database = g_tls_file_database_new (self->ca_file, error);
      if (options->ca_database == NULL)
        {
          g_prefix_error (error, _("The certificate file of the account “%s” cannot be read: "),
                          self->name);
          return NULL;
        }
    }

  return g_steal_pointer (&options);
}

/**
 * smtp_account_record_result:
 * @self: an account
 * @result: the result of a test of this account
 * @options: the options the test ran with
 *
 * Remembers the test as the account's last one: now, whether it succeeded,
 * the stage it reached and, when it failed, the category of the failure
 * from smtp_explain_result(). Save the account to keep it.
 */
void
smtp_account_record_result (SmtpAccount           *self,
                            const SmtpTestResult  *result,
                            const SmtpTestOptions *options)
{
  g_autoptr(SmtpExplanation) explanation = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (SMTP_IS_ACCOUNT (self));
  g_return_if_fail (result != NULL);
  g_return_if_fail (options != NULL);

  /* Whole seconds: the settings file keeps no more. */
  now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);

  if (!result->ok)
    explanation = smtp_explain_result (result, options);

  smtp_account_set_last_test (self, now, result->ok,
                              explanation != NULL ? explanation->category : NULL,
                              smtp_stage_to_id (result->stage));
}
