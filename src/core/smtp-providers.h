/* smtp-providers.h: the built-in list of email providers and their SMTP servers
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "smtp-client.h"

G_BEGIN_DECLS

/**
 * SmtpUsernameForm:
 * @SMTP_USERNAME_FORM_ADDRESS: the whole email address
 * @SMTP_USERNAME_FORM_LOCAL_PART: the part of the address before the “@”
 */
typedef enum
{
  SMTP_USERNAME_FORM_ADDRESS,
  SMTP_USERNAME_FORM_LOCAL_PART,
} SmtpUsernameForm;

/**
 * SmtpProviderFlags:
 * @SMTP_PROVIDER_FLAG_NONE: nothing special
 * @SMTP_PROVIDER_FLAG_APP_PASSWORD: the usual password never works in mail
 *   programs; an app password (or authorisation code) does
 * @SMTP_PROVIDER_FLAG_APP_PASSWORD_2FA: an app password is needed once two-step
 *   verification is on
 * @SMTP_PROVIDER_FLAG_OAUTH: sign-in through the provider's web page (XOAUTH2)
 *   is supported
 * @SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS: access for mail programs must first be
 *   switched on in the web mail settings
 * @SMTP_PROVIDER_FLAG_ADMIN_MAY_DISABLE: an organisation's administrator can turn
 *   SMTP sign-in off
 * @SMTP_PROVIDER_FLAG_BRIDGE_ONLY: mail programs can send only through a bridge
 *   app on this computer (the servers are that bridge's)
 * @SMTP_PROVIDER_FLAG_NO_SMTP: the provider has no SMTP server for its users
 */
typedef enum
{
  SMTP_PROVIDER_FLAG_NONE               = 0,
  SMTP_PROVIDER_FLAG_APP_PASSWORD       = 1 << 0,
  SMTP_PROVIDER_FLAG_APP_PASSWORD_2FA   = 1 << 1,
  SMTP_PROVIDER_FLAG_OAUTH              = 1 << 2,
  SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS = 1 << 3,
  SMTP_PROVIDER_FLAG_ADMIN_MAY_DISABLE  = 1 << 4,
  SMTP_PROVIDER_FLAG_BRIDGE_ONLY        = 1 << 5,
  SMTP_PROVIDER_FLAG_NO_SMTP            = 1 << 6,
} SmtpProviderFlags;

/**
 * SmtpProviderServer:
 * @host: the server name (or address, for a bridge)
 * @port: 1..65535
 * @security: implicit TLS or STARTTLS
 */
typedef struct
{
  char         *host;
  guint16       port;
  SmtpSecurity  security;
} SmtpProviderServer;

/**
 * SmtpProvider:
 * @id: stable identifier, such as "gmail"
 * @name: the brand name shown to people, such as "Gmail"
 * @domains: (array zero-terminated=1): address domains, lower-case ASCII
 *   (internationalised names in their “xn--” form); may be empty for a
 *   provider known only by its MX records
 * @mx_patterns: (array zero-terminated=1): MX host names or suffixes
 * @servers: (array length=n_servers): the SMTP servers, best first; empty
 *   with %SMTP_PROVIDER_FLAG_NO_SMTP
 * @n_servers: the length of @servers
 * @username_form: what the user name is made of
 * @flags: what signing in needs
 * @help_uri: (nullable): the provider's help page about signing in from
 *   mail programs
 *
 * One entry of the provider list. Reference-counted and immutable.
 */
typedef struct
{
  char                *id;
  char                *name;
  char               **domains;
  char               **mx_patterns;
  SmtpProviderServer  *servers;
  guint                n_servers;
  SmtpUsernameForm     username_form;
  SmtpProviderFlags    flags;
  char                *help_uri;
} SmtpProvider;

#define SMTP_TYPE_PROVIDER (smtp_provider_get_type ())
GType          smtp_provider_get_type          (void) G_GNUC_CONST;
SmtpProvider  *smtp_provider_ref               (SmtpProvider       *provider);
void           smtp_provider_unref             (SmtpProvider       *provider);
char          *smtp_provider_make_username     (const SmtpProvider *provider,
                                                const char         *address);
char         **smtp_provider_get_notes         (const SmtpProvider *provider);

#define SMTP_TYPE_PROVIDERS (smtp_providers_get_type ())

G_DECLARE_FINAL_TYPE (SmtpProviders, smtp_providers, SMTP, PROVIDERS, GObject)

SmtpProviders *smtp_providers_get_default      (void);
SmtpProviders *smtp_providers_new_from_data    (const char         *data,
                                                gssize              length,
                                                GError            **error);
GPtrArray     *smtp_providers_get_all          (SmtpProviders      *self);
guint          smtp_providers_get_n_domains    (SmtpProviders      *self);
SmtpProvider  *smtp_providers_lookup_domain    (SmtpProviders      *self,
                                                const char         *domain);
SmtpProvider  *smtp_providers_lookup_mx        (SmtpProviders      *self,
                                                const char         *mx_host);
char          *smtp_providers_normalize_domain (const char         *domain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SmtpProvider, smtp_provider_unref)

G_END_DECLS
