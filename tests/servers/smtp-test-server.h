/* smtp-test-server.h: a scriptable SMTP server on loopback for the tests
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SMTP_TEST_SECURITY_PLAIN,
  SMTP_TEST_SECURITY_STARTTLS,
  SMTP_TEST_SECURITY_TLS,
} SmtpTestSecurity;

typedef enum {
  SMTP_TEST_ACTION_REPLY,
  SMTP_TEST_ACTION_CLOSE,
  SMTP_TEST_ACTION_SILENCE,
  SMTP_TEST_ACTION_DRIP,
  SMTP_TEST_ACTION_FLOOD,
  SMTP_TEST_ACTION_LONG_LINE,
  SMTP_TEST_ACTION_TLS_STALL,
} SmtpTestAction;

#define SMTP_TYPE_TEST_SERVER (smtp_test_server_get_type ())

G_DECLARE_FINAL_TYPE (SmtpTestServer, smtp_test_server, SMTP, TEST_SERVER, GObject)

SmtpTestServer  *smtp_test_server_new                (SmtpTestSecurity    security,
                                                      const char         *cert_file,
                                                      const char         *key_file,
                                                      GError            **error);
guint16          smtp_test_server_get_port           (SmtpTestServer     *self);
SmtpTestSecurity smtp_test_server_get_security       (SmtpTestServer     *self);
void             smtp_test_server_stop               (SmtpTestServer     *self);

void             smtp_test_server_set_capabilities   (SmtpTestServer     *self,
                                                      const char *const  *before_tls,
                                                      const char *const  *after_tls);
void             smtp_test_server_set_credentials    (SmtpTestServer     *self,
                                                      const char         *user,
                                                      const char         *password);
void             smtp_test_server_add_rule           (SmtpTestServer     *self,
                                                      const char         *command,
                                                      guint               nth,
                                                      SmtpTestAction      action,
                                                      const char         *text,
                                                      guint               delay_ms);
gboolean         smtp_test_server_add_rule_from_line (SmtpTestServer     *self,
                                                      const char         *line,
                                                      GError            **error);

GPtrArray       *smtp_test_server_get_commands       (SmtpTestServer     *self);
char            *smtp_test_server_get_message        (SmtpTestServer     *self);
guint            smtp_test_server_get_messages       (SmtpTestServer     *self);
guint            smtp_test_server_get_connections    (SmtpTestServer     *self);
guint            smtp_test_server_get_reads          (SmtpTestServer     *self);
gboolean         smtp_test_server_received_plaintext (SmtpTestServer     *self,
                                                      const char         *prefix);
gboolean         smtp_test_server_wait_for_message   (SmtpTestServer     *self,
                                                      guint               timeout_ms);

G_END_DECLS
