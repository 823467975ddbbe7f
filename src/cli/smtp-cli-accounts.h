/* smtp-cli-accounts.h: `smtp-setup accounts`, and saved accounts for `smtp-setup test`
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-client.h"

G_BEGIN_DECLS

/* `accounts add` saved the account but not its password, or `accounts
 * remove` removed the account but could not clear its password: the
 * keyring failed (documented in `smtp-setup accounts --help`). */
#define SMTP_CLI_ACCOUNTS_EXIT_KEYRING_FAILED 3

typedef struct _SmtpCliSavedAccount SmtpCliSavedAccount;

int                  smtp_cli_accounts             (int                    argc,
                                                    char                 **argv);

SmtpCliSavedAccount *smtp_cli_saved_account_load   (const char            *name,
                                                    int                   *exit_status);
void                 smtp_cli_saved_account_fill   (SmtpCliSavedAccount   *saved,
                                                    char                 **host,
                                                    char                 **port,
                                                    char                 **security,
                                                    char                 **user,
                                                    char                 **auth,
                                                    char                 **from,
                                                    char                 **ca_file,
                                                    char                 **pin_sha256,
                                                    gboolean              *allow_plaintext);
gboolean             smtp_cli_saved_account_apply  (SmtpCliSavedAccount   *saved,
                                                    SmtpTestOptions       *options,
                                                    gboolean               json,
                                                    int                   *exit_status);
void                 smtp_cli_saved_account_record (SmtpCliSavedAccount   *saved,
                                                    const SmtpTestResult  *result,
                                                    const SmtpTestOptions *options);
void                 smtp_cli_saved_account_free   (SmtpCliSavedAccount   *saved);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpCliSavedAccount, smtp_cli_saved_account_free)

G_END_DECLS
