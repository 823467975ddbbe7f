/* smtp-setup-model.c: what the wizard's pages share: the account being set up,
 * its password (in memory only), and the last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-setup-model"

#include "config.h"

#include "smtp-setup-model.h"

#include <string.h>

struct _SmtpSetupModel
{
  GObject          parent_instance;

  SmtpAccount     *account;
  char            *password;
  gboolean         check_only;
  char            *recipient;
  GTlsDatabase    *ca_database;
  SmtpTestOptions *options;
  SmtpTestResult  *result;
  SmtpAccount     *saved;    /* the saved account being edited, if any */
};

G_DEFINE_FINAL_TYPE (SmtpSetupModel, smtp_setup_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_CHECK_ONLY,
  PROP_RECIPIENT,
  PROP_HAS_PASSWORD,
  N_PROPS
};

enum {
  RESULT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_password (SmtpSetupModel *self)
{
  if (self->password != NULL)
    {
      explicit_bzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
}

static void
smtp_setup_model_finalize (GObject *object)
{
  SmtpSetupModel *self = SMTP_SETUP_MODEL (object);

  wipe_password (self);
  g_clear_object (&self->account);
  g_free (self->recipient);
  g_clear_object (&self->ca_database);
  g_clear_pointer (&self->options, smtp_test_options_free);
  g_clear_pointer (&self->result, smtp_test_result_free);
  g_clear_object (&self->saved);

  G_OBJECT_CLASS (smtp_setup_model_parent_class)->finalize (object);
}

static void
smtp_setup_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SmtpSetupModel *self = SMTP_SETUP_MODEL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;

    case PROP_CHECK_ONLY:
      g_value_set_boolean (value, self->check_only);
      break;

    case PROP_RECIPIENT:
      g_value_set_string (value, self->recipient);
      break;

    case PROP_HAS_PASSWORD:
      g_value_set_boolean (value, self->password != NULL && *self->password != '\0');
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_setup_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SmtpSetupModel *self = SMTP_SETUP_MODEL (object);

  switch (prop_id)
    {
    case PROP_CHECK_ONLY:
      smtp_setup_model_set_check_only (self, g_value_get_boolean (value));
      break;

    case PROP_RECIPIENT:
      smtp_setup_model_set_recipient (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_setup_model_class_init (SmtpSetupModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = smtp_setup_model_finalize;
  object_class->get_property = smtp_setup_model_get_property;
  object_class->set_property = smtp_setup_model_set_property;

  /**
   * SmtpSetupModel:account:
   *
   * The account being set up or tested; the pages bind to its properties.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, SMTP_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpSetupModel:check-only:
   *
   * Test only the connection and sign-in; send nothing.
   */
  properties[PROP_CHECK_ONLY] =
    g_param_spec_boolean ("check-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpSetupModel:recipient:
   *
   * Where the test email goes; %NULL or empty for the account's own address.
   */
  properties[PROP_RECIPIENT] =
    g_param_spec_string ("recipient", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpSetupModel:has-password:
   *
   * Whether a password was typed.
   */
  properties[PROP_HAS_PASSWORD] =
    g_param_spec_boolean ("has-password", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmtpSetupModel::result-changed:
   *
   * A test finished; its result and options are in the model.
   */
  signals[RESULT_CHANGED] =
    g_signal_new ("result-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
smtp_setup_model_init (SmtpSetupModel *self)
{
  /* Named when it is saved. */
  self->account = smtp_account_new ("");
}

SmtpSetupModel *
smtp_setup_model_new (void)
{
  return g_object_new (SMTP_TYPE_SETUP_MODEL, NULL);
}

/**
 * smtp_setup_model_get_account:
 * @self: the model
 *
 * Returns: (transfer none): the account being set up
 */
SmtpAccount *
smtp_setup_model_get_account (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->account;
}

const char *
smtp_setup_model_get_password (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->password;
}

/**
 * smtp_setup_model_set_password:
 * @self: the model
 * @password: (nullable): the password as typed; kept in memory only, wiped
 *   when replaced
 */
void
smtp_setup_model_set_password (SmtpSetupModel *self,
                               const char     *password)
{
  gboolean had;

  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  had = self->password != NULL && *self->password != '\0';
  wipe_password (self);
  self->password = g_strdup (password);

  if (had != (self->password != NULL && *self->password != '\0'))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_PASSWORD]);
}

gboolean
smtp_setup_model_get_check_only (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), FALSE);

  return self->check_only;
}

void
smtp_setup_model_set_check_only (SmtpSetupModel *self,
                                 gboolean        check_only)
{
  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  check_only = !!check_only;
  if (self->check_only != check_only)
    {
      self->check_only = check_only;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK_ONLY]);
    }
}

const char *
smtp_setup_model_get_recipient (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->recipient;
}

void
smtp_setup_model_set_recipient (SmtpSetupModel *self,
                                const char     *recipient)
{
  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  if (g_strcmp0 (self->recipient, recipient) == 0)
    return;

  g_free (self->recipient);
  self->recipient = g_strdup (recipient);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECIPIENT]);
}

/**
 * smtp_setup_model_get_ca_database:
 * @self: the model
 *
 * Returns: (transfer none) (nullable): extra certificate authorities to trust
 */
GTlsDatabase *
smtp_setup_model_get_ca_database (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->ca_database;
}

void
smtp_setup_model_set_ca_database (SmtpSetupModel *self,
                                  GTlsDatabase   *database)
{
  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  g_set_object (&self->ca_database, database);
}

/**
 * smtp_setup_model_get_result:
 * @self: the model
 *
 * Returns: (transfer none) (nullable): the last test's result
 */
const SmtpTestResult *
smtp_setup_model_get_result (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->result;
}

/**
 * smtp_setup_model_get_options:
 * @self: the model
 *
 * Returns: (transfer none) (nullable): the options of the last test
 */
const SmtpTestOptions *
smtp_setup_model_get_options (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->options;
}

/**
 * smtp_setup_model_take_result:
 * @self: the model
 * @options: (transfer full): what was tested
 * @result: (transfer full): what the test found
 */
void
smtp_setup_model_take_result (SmtpSetupModel  *self,
                              SmtpTestOptions *options,
                              SmtpTestResult  *result)
{
  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  g_clear_pointer (&self->options, smtp_test_options_free);
  g_clear_pointer (&self->result, smtp_test_result_free);
  self->options = options;
  self->result = result;

  smtp_account_record_result (self->account, result, options);
  g_signal_emit (self, signals[RESULT_CHANGED], 0);
}

/**
 * smtp_setup_model_build_options:
 * @self: the model
 * @error: return location for an error fit to show
 *
 * Returns: (transfer full) (nullable): the options for a test of the account
 *   with the typed password
 */
SmtpTestOptions *
smtp_setup_model_build_options (SmtpSetupModel  *self,
                                GError         **error)
{
  SmtpTestOptions *options;
  SmtpAccount *account;
  g_autoptr(SmtpAccount) named = NULL;

  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  account = self->account;

  /* An account being set up gets its name when it is saved; until then
   * its address stands in. */
  if (*smtp_account_get_name (account) == '\0' && smtp_account_get_address (account) != NULL)
    account = named = smtp_account_copy (self->account, smtp_account_get_address (account));

  options = smtp_account_build_test_options (account,
                                             self->password != NULL && *self->password != '\0'
                                             ? self->password : NULL,
                                             error);
  if (options == NULL)
    return NULL;

  options->check_only = self->check_only;
  if (self->recipient != NULL && *self->recipient != '\0')
    {
      g_free (options->to);
      options->to = g_strdup (self->recipient);
    }
  if (self->ca_database != NULL && options->ca_database == NULL)
    options->ca_database = g_object_ref (self->ca_database);

  return options;
}

/**
 * smtp_setup_model_load:
 * @self: the model
 * @saved: (nullable): a saved account to edit and test, or %NULL to start a
 *   new one
 * @password: (nullable): its password from the keyring
 *
 * Starts over: with the settings of @saved, or with nothing.
 */
void
smtp_setup_model_load (SmtpSetupModel *self,
                       SmtpAccount    *saved,
                       const char     *password)
{
  g_autoptr(SmtpAccount) blank = NULL;

  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));
  g_return_if_fail (saved == NULL || SMTP_IS_ACCOUNT (saved));

  g_set_object (&self->saved, saved);
  if (saved != NULL)
    {
      smtp_account_copy_settings (self->account, saved);
    }
  else
    {
      blank = smtp_account_new ("");
      smtp_account_copy_settings (self->account, blank);
    }

  smtp_setup_model_set_password (self, password);
  smtp_setup_model_set_recipient (self, NULL);
  smtp_setup_model_set_check_only (self, FALSE);
  g_clear_pointer (&self->options, smtp_test_options_free);
  g_clear_pointer (&self->result, smtp_test_result_free);
}

/**
 * smtp_setup_model_get_saved:
 * @self: the model
 *
 * Returns: (transfer none) (nullable): the saved account being edited
 */
SmtpAccount *
smtp_setup_model_get_saved (SmtpSetupModel *self)
{
  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  return self->saved;
}

/**
 * smtp_setup_model_dup_account_to_save:
 * @self: the model
 *
 * Returns: (transfer full): the account as it should be saved: under the
 *   name of the saved account being edited, or under its address
 */
SmtpAccount *
smtp_setup_model_dup_account_to_save (SmtpSetupModel *self)
{
  const char *name;

  g_return_val_if_fail (SMTP_IS_SETUP_MODEL (self), NULL);

  name = self->saved != NULL ? smtp_account_get_name (self->saved)
                             : smtp_account_get_address (self->account);

  return smtp_account_copy (self->account, name != NULL ? name : "");
}

/**
 * smtp_setup_model_set_saved:
 * @self: the model
 * @saved: the account as it was saved
 */
void
smtp_setup_model_set_saved (SmtpSetupModel *self,
                            SmtpAccount    *saved)
{
  g_return_if_fail (SMTP_IS_SETUP_MODEL (self));

  g_set_object (&self->saved, saved);
}
