/* smtp-capabilities.h: the service extensions a server announces in its EHLO reply
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "smtp-reply.h"

G_BEGIN_DECLS

/**
 * SmtpCapabilities:
 * @domain: the name the server gave in the first line of its EHLO reply
 * @starttls: STARTTLS (RFC 3207)
 * @auth: (array zero-terminated=1): the SASL mechanisms of AUTH (RFC 4954),
 *   upper-cased, duplicates removed, including those of the old "AUTH=" form;
 *   empty when AUTH is not offered
 * @size: SIZE (RFC 1870) was announced
 * @size_limit: the SIZE limit in bytes, 0 when none was given
 * @pipelining: PIPELINING (RFC 2920)
 * @eightbitmime: 8BITMIME (RFC 6152)
 * @smtputf8: SMTPUTF8 (RFC 6531)
 * @enhancedstatuscodes: ENHANCEDSTATUSCODES (RFC 2034)
 * @chunking: CHUNKING (RFC 3030)
 * @dsn: DSN (RFC 3461)
 * @requiretls: REQUIRETLS (RFC 8689)
 */
typedef struct
{
  char     *domain;
  gboolean  starttls;
  char    **auth;
  gboolean  size;
  guint64   size_limit;
  gboolean  pipelining;
  gboolean  eightbitmime;
  gboolean  smtputf8;
  gboolean  enhancedstatuscodes;
  gboolean  chunking;
  gboolean  dsn;
  gboolean  requiretls;
} SmtpCapabilities;

SmtpCapabilities *smtp_capabilities_parse    (const SmtpReply        *ehlo_reply);
SmtpCapabilities *smtp_capabilities_copy     (const SmtpCapabilities *caps);
void              smtp_capabilities_free     (SmtpCapabilities       *caps);
gboolean          smtp_capabilities_has_auth (const SmtpCapabilities *caps,
                                              const char             *mechanism);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpCapabilities, smtp_capabilities_free)

G_END_DECLS
