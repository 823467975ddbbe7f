/* smtp-message.h: the test message (RFC 5322, MIME, RFC 2047), ready for DATA
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SmtpMessageInfo:
 * @from: the sender address (required)
 * @from_name: (nullable): the sender's name for the From header
 * @to: the recipient address (required)
 * @host: the server tested, for the body
 * @port: the port tested
 * @security: "starttls", "tls" or "none", for the body
 * @user: (nullable): the user name signed in with, for the body
 * @date: (nullable): the Date; %NULL for now
 * @unique: (nullable): a unique part for the Message-ID; %NULL for a random one
 *
 * What the test message says. Every string must already have passed
 * smtp_text_check_wire_safe().
 */
typedef struct
{
  const char *from;
  const char *from_name;
  const char *to;
  const char *host;
  guint       port;
  const char *security;
  const char *user;
  GDateTime  *date;
  const char *unique;
} SmtpMessageInfo;

GBytes   *smtp_message_build                   (const SmtpMessageInfo *info,
                                               gboolean               eight_bit_ok);
gboolean  smtp_message_has_8bit                (GBytes                *message);
GBytes   *smtp_message_dot_stuff               (GBytes                *message);
char     *smtp_message_encode_header_word      (const char            *text);
char     *smtp_message_encode_quoted_printable (const char            *text);

G_END_DECLS
