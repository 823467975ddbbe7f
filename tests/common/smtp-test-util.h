/* smtp-test-util.h: helpers shared by the test programs
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*SmtpTestCondition) (gpointer user_data);

void      smtp_test_wait_until         (SmtpTestCondition  condition,
                                        gpointer           user_data,
                                        guint              timeout_ms,
                                        const char        *what);
char     *smtp_test_make_certs         (void);
char     *smtp_test_make_hostile_certs (void);
char     *smtp_test_read_file          (const char        *path);

G_END_DECLS
