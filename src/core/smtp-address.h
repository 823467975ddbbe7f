/* smtp-address.h: checks of email addresses, host names and wire-safe text
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  smtp_text_check_wire_safe   (const char  *text,
                                       GError     **error);
gboolean  smtp_address_validate       (const char  *address,
                                       GError     **error);
char     *smtp_address_get_domain     (const char  *address);
char     *smtp_address_get_local_part (const char  *address);
gboolean  smtp_address_needs_utf8     (const char  *address);
gboolean  smtp_host_validate          (const char  *host,
                                       GError     **error);

G_END_DECLS
