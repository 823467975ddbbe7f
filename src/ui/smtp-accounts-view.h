/* smtp-accounts-view.h: the saved accounts, each with its last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "smtp-core.h"

G_BEGIN_DECLS

#define SMTP_TYPE_ACCOUNTS_VIEW (smtp_accounts_view_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAccountsView, smtp_accounts_view, SMTP, ACCOUNTS_VIEW, AdwBin)

GtkWidget *smtp_accounts_view_new (SmtpAccountStore *store,
                                   SmtpKeyring      *keyring);

G_END_DECLS
