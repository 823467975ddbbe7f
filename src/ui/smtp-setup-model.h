/* smtp-setup-model.h: what the wizard's pages share: the account being set up,
 * its password (in memory only), and the last test
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-account.h"
#include "smtp-core.h"

G_BEGIN_DECLS

#define SMTP_TYPE_SETUP_MODEL (smtp_setup_model_get_type ())

G_DECLARE_FINAL_TYPE (SmtpSetupModel, smtp_setup_model, SMTP, SETUP_MODEL, GObject)

SmtpSetupModel       *smtp_setup_model_new              (void);
SmtpAccount          *smtp_setup_model_get_account      (SmtpSetupModel       *self);
const char           *smtp_setup_model_get_password     (SmtpSetupModel       *self);
void                  smtp_setup_model_set_password     (SmtpSetupModel       *self,
                                                         const char           *password);
gboolean              smtp_setup_model_get_check_only   (SmtpSetupModel       *self);
void                  smtp_setup_model_set_check_only   (SmtpSetupModel       *self,
                                                         gboolean              check_only);
const char           *smtp_setup_model_get_recipient    (SmtpSetupModel       *self);
void                  smtp_setup_model_set_recipient    (SmtpSetupModel       *self,
                                                         const char           *recipient);
GTlsDatabase         *smtp_setup_model_get_ca_database  (SmtpSetupModel       *self);
void                  smtp_setup_model_set_ca_database  (SmtpSetupModel       *self,
                                                         GTlsDatabase         *database);
const SmtpTestResult *smtp_setup_model_get_result       (SmtpSetupModel       *self);
const SmtpTestOptions *smtp_setup_model_get_options     (SmtpSetupModel       *self);
void                  smtp_setup_model_take_result      (SmtpSetupModel       *self,
                                                         SmtpTestOptions      *options,
                                                         SmtpTestResult       *result);
SmtpTestOptions      *smtp_setup_model_build_options    (SmtpSetupModel       *self,
                                                         GError              **error);
void                  smtp_setup_model_load             (SmtpSetupModel       *self,
                                                         SmtpAccount          *saved,
                                                         const char           *password);
SmtpAccount          *smtp_setup_model_get_saved        (SmtpSetupModel       *self);
void                  smtp_setup_model_set_saved        (SmtpSetupModel       *self,
                                                         SmtpAccount          *saved);
SmtpAccount          *smtp_setup_model_dup_account_to_save (SmtpSetupModel    *self);

G_END_DECLS
