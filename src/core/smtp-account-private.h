/* smtp-account-private.h: shared by the account and its store, not API
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-account.h"

G_BEGIN_DECLS

/* The keys of an account's group in accounts.ini, as the field checks name them. */
#define SMTP_ACCOUNT_KEY_NAME                 "name"
#define SMTP_ACCOUNT_KEY_ADDRESS              "address"
#define SMTP_ACCOUNT_KEY_HOST                 "host"
#define SMTP_ACCOUNT_KEY_PORT                 "port"
#define SMTP_ACCOUNT_KEY_SECURITY             "security"
#define SMTP_ACCOUNT_KEY_AUTH                 "auth"
#define SMTP_ACCOUNT_KEY_USER                 "user"
#define SMTP_ACCOUNT_KEY_FROM_NAME            "from-name"
#define SMTP_ACCOUNT_KEY_PIN_SHA256           "pin-sha256"
#define SMTP_ACCOUNT_KEY_ALLOW_PLAINTEXT_AUTH "allow-plaintext-auth"
#define SMTP_ACCOUNT_KEY_CA_FILE              "ca-file"
#define SMTP_ACCOUNT_KEY_LAST_TEST_TIME       "last-test-time"
#define SMTP_ACCOUNT_KEY_LAST_TEST_OK         "last-test-ok"
#define SMTP_ACCOUNT_KEY_LAST_TEST_CATEGORY   "last-test-category"
#define SMTP_ACCOUNT_KEY_LAST_TEST_STAGE      "last-test-stage"

gboolean    _smtp_account_check             (SmtpAccount  *self,
                                             const char  **key,
                                             GError      **cause);
gboolean    _smtp_account_check_category    (const char   *category,
                                             GError      **cause);
gboolean    _smtp_account_check_pin         (const char   *pin,
                                             GError      **cause);
const char *_smtp_account_describe_key      (const char   *key);

G_END_DECLS
