/* smtp-autoconfig.h: from an email address to candidate SMTP settings
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-client.h"
#include "smtp-providers.h"

G_BEGIN_DECLS

/**
 * SmtpAutoconfigFlags:
 * @SMTP_AUTOCONFIG_FLAGS_NONE: use every source
 * @SMTP_AUTOCONFIG_FLAGS_NO_PROBE: never connect to a candidate server
 * @SMTP_AUTOCONFIG_FLAGS_NO_ONLINE: no HTTPS lookups (the domain's own
 *   autoconfig files and the public ISPDB); the UI binds this to the
 *   GSettings key `online-lookups`
 */
typedef enum /*< flags >*/
{
  SMTP_AUTOCONFIG_FLAGS_NONE      = 0,
  SMTP_AUTOCONFIG_FLAGS_NO_PROBE  = 1 << 0,
  SMTP_AUTOCONFIG_FLAGS_NO_ONLINE = 1 << 1,
} SmtpAutoconfigFlags;

/**
 * SmtpCandidateSource:
 * @SMTP_CANDIDATE_SOURCE_PROVIDERS: the built-in provider list, by the address's domain
 * @SMTP_CANDIDATE_SOURCE_SRV: a DNS SRV record (RFC 6186, RFC 8314)
 * @SMTP_CANDIDATE_SOURCE_MX: the provider list, by the domain's MX records
 * @SMTP_CANDIDATE_SOURCE_AUTOCONFIG: the domain's own autoconfig file
 * @SMTP_CANDIDATE_SOURCE_ISPDB: Thunderbird's public settings database
 * @SMTP_CANDIDATE_SOURCE_GUESS: a common name and port (smtp., mail., the domain)
 */
typedef enum
{
  SMTP_CANDIDATE_SOURCE_PROVIDERS,
  SMTP_CANDIDATE_SOURCE_SRV,
  SMTP_CANDIDATE_SOURCE_MX,
  SMTP_CANDIDATE_SOURCE_AUTOCONFIG,
  SMTP_CANDIDATE_SOURCE_ISPDB,
  SMTP_CANDIDATE_SOURCE_GUESS,
} SmtpCandidateSource;

/**
 * SmtpCandidate:
 * @host: the server name
 * @port: 1..65535
 * @security: implicit TLS or STARTTLS (detection never proposes plain text)
 * @username: the user name to sign in with
 * @source: where the candidate came from
 * @rank: its place in the result, 1 being the best
 * @probed: a probe ran to its end (successfully or not)
 * @verified: a probe connected, secured the connection with a trusted
 *   certificate and read the greeting and EHLO
 * @offers_auth: the verified server offered AUTH after TLS
 * @probe_error: (nullable): why the probe failed
 */
typedef struct
{
  char                *host;
  guint16              port;
  SmtpSecurity         security;
  char                *username;
  SmtpCandidateSource  source;
  int                  rank;
  gboolean             probed;
  gboolean             verified;
  gboolean             offers_auth;
  GError              *probe_error;
} SmtpCandidate;

/**
 * SmtpAutoconfigResult:
 * @address: the address the settings are for
 * @provider: (nullable): the provider, known by the domain or its MX records
 * @candidates: (element-type SmtpCandidate): best first
 * @notes: (array zero-terminated=1): sentences for the person, translated
 * @timed_out: the time bound ended the search before every source answered
 * @elapsed_ms: how long the search took
 */
typedef struct
{
  char          *address;
  SmtpProvider  *provider;
  GPtrArray     *candidates;
  char         **notes;
  gboolean       timed_out;
  gint64         elapsed_ms;
} SmtpAutoconfigResult;

#define SMTP_TYPE_AUTOCONFIG_FLAGS (smtp_autoconfig_flags_get_type ())
#define SMTP_TYPE_CANDIDATE_SOURCE (smtp_candidate_source_get_type ())
GType smtp_autoconfig_flags_get_type  (void) G_GNUC_CONST;
GType smtp_candidate_source_get_type  (void) G_GNUC_CONST;

#define SMTP_TYPE_AUTOCONFIG (smtp_autoconfig_get_type ())

G_DECLARE_FINAL_TYPE (SmtpAutoconfig, smtp_autoconfig, SMTP, AUTOCONFIG, GObject)

const char           *smtp_candidate_source_to_id          (SmtpCandidateSource         source);
SmtpCandidate        *smtp_candidate_copy                  (const SmtpCandidate        *candidate);
void                  smtp_candidate_free                  (SmtpCandidate              *candidate);
void                  smtp_autoconfig_result_free          (SmtpAutoconfigResult       *result);

GPtrArray            *smtp_autoconfig_parse_config         (const char                 *data,
                                                            gssize                      length,
                                                            const char                 *address,
                                                            SmtpCandidateSource         source,
                                                            GError                    **error);

SmtpAutoconfig       *smtp_autoconfig_new                  (void);
void                  smtp_autoconfig_set_timeout          (SmtpAutoconfig             *self,
                                                            guint                       timeout_ms);
guint                 smtp_autoconfig_get_timeout          (SmtpAutoconfig             *self);
void                  smtp_autoconfig_set_resolver         (SmtpAutoconfig             *self,
                                                            GResolver                  *resolver);
void                  smtp_autoconfig_set_ca_database      (SmtpAutoconfig             *self,
                                                            GTlsDatabase               *database);
void                  smtp_autoconfig_add_probe_override   (SmtpAutoconfig             *self,
                                                            const char                 *host,
                                                            guint16                     port,
                                                            const char                 *connect_host,
                                                            guint16                     connect_port);
void                  smtp_autoconfig_detect_async         (SmtpAutoconfig             *self,
                                                            const char                 *address,
                                                            SmtpAutoconfigFlags         flags,
                                                            GCancellable               *cancellable,
                                                            GAsyncReadyCallback         callback,
                                                            gpointer                    user_data);
SmtpAutoconfigResult *smtp_autoconfig_detect_finish        (SmtpAutoconfig             *self,
                                                            GAsyncResult               *result,
                                                            GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpCandidate, smtp_candidate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpAutoconfigResult, smtp_autoconfig_result_free)

G_END_DECLS
