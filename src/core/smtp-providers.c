/* smtp-providers.c: the built-in list of email providers and their SMTP servers
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-providers"

#include "config.h"

#include "smtp-providers.h"

#include "smtp-address.h"
#include "smtp-providers-resources.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define PROVIDERS_RESOURCE "/io/github/smtpsetup/SmtpSetup/providers/providers.xml"

struct _SmtpProviders
{
  GObject     parent_instance;

  GPtrArray  *providers;   /* SmtpProvider, in file order */
  GHashTable *by_domain;   /* normalised domain → SmtpProvider (borrowed) */
  GHashTable *by_mx;       /* normalised MX pattern → SmtpProvider (borrowed) */
};

G_DEFINE_FINAL_TYPE (SmtpProviders, smtp_providers, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SmtpProvider, smtp_provider, smtp_provider_ref, smtp_provider_unref)

/* Provider ------------------------------------------------------------------ */

static void
provider_clear (gpointer data)
{
  SmtpProvider *provider = data;

  g_free (provider->id);
  g_free (provider->name);
  g_strfreev (provider->domains);
  g_strfreev (provider->mx_patterns);
  for (guint i = 0; i < provider->n_servers; i++)
    g_free (provider->servers[i].host);
  g_free (provider->servers);
  g_free (provider->help_uri);
}

/**
 * smtp_provider_ref:
 * @provider: a provider
 *
 * Returns: (transfer full): @provider
 */
SmtpProvider *
smtp_provider_ref (SmtpProvider *provider)
{
  g_return_val_if_fail (provider != NULL, NULL);

  return g_atomic_rc_box_acquire (provider);
}

void
smtp_provider_unref (SmtpProvider *provider)
{
  g_return_if_fail (provider != NULL);

  g_atomic_rc_box_release_full (provider, provider_clear);
}

/**
 * smtp_provider_make_username:
 * @provider: a provider
 * @address: the person's email address
 *
 * Returns: (transfer full): the user name this provider expects for @address
 */
char *
smtp_provider_make_username (const SmtpProvider *provider,
                             const char         *address)
{
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  if (provider->username_form == SMTP_USERNAME_FORM_LOCAL_PART)
    return smtp_address_get_local_part (address);

  return g_strdup (address);
}

static void G_GNUC_PRINTF (2, 3)
add_printf (GStrvBuilder *builder,
            const char   *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_strv_builder_add (builder, text);
}

/**
 * smtp_provider_get_notes:
 * @provider: a provider
 *
 * What a person needs to know to sign in with this provider, as translated
 * sentences: app passwords, settings to switch on, a bridge, no SMTP at all.
 *
 * Returns: (transfer full): the sentences, possibly none
 */
char **
smtp_provider_get_notes (const SmtpProvider *provider)
{
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();
  const char *name;

  g_return_val_if_fail (provider != NULL, NULL);

  name = provider->name;

  if (provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP)
    {
      /* Translators: %s is a provider's name, such as "Tuta Mail". */
      add_printf (notes, _("%s cannot send email from other programs: it has no outgoing "
                           "(SMTP) server for its users."), name);
      return g_strv_builder_end (notes);
    }

  if (provider->flags & SMTP_PROVIDER_FLAG_BRIDGE_ONLY)
    {
      /* Translators: %s is a provider's name, such as "Proton Mail". */
      add_printf (notes, _("%s works in other mail programs only through its bridge app, which "
                           "runs on this computer. Start the bridge and use the user name and "
                           "password it shows, not your usual password."), name);
    }

  if (provider->flags & SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS)
    {
      /* Translators: %s is a provider's name, such as "WEB.DE". */
      add_printf (notes, _("%s lets other mail programs send only after you switch this on in "
                           "its web mail settings (often called IMAP, POP3 or SMTP access)."),
                  name);
    }

  if (provider->flags & SMTP_PROVIDER_FLAG_APP_PASSWORD)
    {
      /* Translators: %s is a provider's name, such as "Gmail". */
      add_printf (notes, _("%s needs an app password: a separate password you make in your "
                           "account’s security settings for this program. Your usual password "
                           "will not work here."), name);
    }
  else if (provider->flags & SMTP_PROVIDER_FLAG_APP_PASSWORD_2FA)
    {
      /* Translators: %s is a provider's name, such as "Outlook.com". */
      add_printf (notes, _("If two-step verification is on for your %s account, make an app "
                           "password in its security settings and use it here instead of your "
                           "usual password."), name);
    }

  if (provider->flags & SMTP_PROVIDER_FLAG_OAUTH)
    {
      /* Translators: %s is a provider's name, such as "Gmail". */
      add_printf (notes, _("%s also lets mail programs sign in through its own web page "
                           "(OAuth)."), name);
    }

  if (provider->flags & SMTP_PROVIDER_FLAG_ADMIN_MAY_DISABLE)
    {
      g_strv_builder_add (notes, _("Your organisation may have turned off signing in from mail "
                                   "programs (SMTP AUTH). If signing in fails, ask your "
                                   "administrator."));
    }

  return g_strv_builder_end (notes);
}

/* Domains ------------------------------------------------------------------ */

/**
 * smtp_providers_normalize_domain:
 * @domain: a domain as a person typed it: any case, Unicode or “xn--”
 *   form, an optional final dot
 *
 * Returns: (transfer full) (nullable): the domain in lower-case ASCII
 *   (internationalised labels in their “xn--” form, RFC 5891), or %NULL
 *   when it is not a valid domain
 */
char *
smtp_providers_normalize_domain (const char *domain)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *ascii = NULL;
  gsize len;

  g_return_val_if_fail (domain != NULL, NULL);

  trimmed = g_strstrip (g_strdup (domain));
  len = strlen (trimmed);
  if (len > 0 && trimmed[len - 1] == '.')
    trimmed[--len] = '\0';
  if (len == 0 || !g_utf8_validate (trimmed, len, NULL))
    return NULL;

  ascii = g_hostname_to_ascii (trimmed);
  if (ascii == NULL || *ascii == '\0')
    return NULL;

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return NULL;
    }
  if (ascii[0] == '.' || strstr (ascii, "..") != NULL)
    return NULL;

  return g_ascii_strdown (ascii, -1);
}

/* Parsing ------------------------------------------------------------------- */

typedef struct
{
  SmtpProviders *self;
  SmtpProvider  *current;
  GStrvBuilder  *domains;
  GStrvBuilder  *mx;
  GArray        *servers;
  GString       *text;
  gboolean       in_text_element;
} ParseState;

static void G_GNUC_PRINTF (3, 4)
set_parse_error (GMarkupParseContext  *context,
                 GError              **error,
                 const char           *format,
                 ...)
{
  g_autofree char *message = NULL;
  int line = 0, column = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_markup_parse_context_get_position (context, &line, &column);
  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
               "Provider list, line %d: %s", line, message);
}

static gboolean
parse_provider_attributes (GMarkupParseContext  *context,
                           const char          **names,
                           const char          **values,
                           SmtpProvider         *provider,
                           GError              **error)
{
  const char *id = NULL, *name = NULL, *username = NULL, *app_password = NULL;
  const char *oauth = NULL, *enable = NULL, *kind = NULL, *help = NULL;

  if (!g_markup_collect_attributes ("provider", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "id", &id,
                                    G_MARKUP_COLLECT_STRING, "name", &name,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "username", &username,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "app-password", &app_password,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "oauth", &oauth,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "enable", &enable,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "kind", &kind,
                                    G_MARKUP_COLLECT_STRING | G_MARKUP_COLLECT_OPTIONAL,
                                    "help", &help,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if (*id == '\0' || *name == '\0')
    {
      set_parse_error (context, error, "a provider needs an id and a name");
      return FALSE;
    }
  provider->id = g_strdup (id);
  provider->name = g_strdup (name);

  if (username == NULL || g_str_equal (username, "address"))
    provider->username_form = SMTP_USERNAME_FORM_ADDRESS;
  else if (g_str_equal (username, "local-part"))
    provider->username_form = SMTP_USERNAME_FORM_LOCAL_PART;
  else
    {
      set_parse_error (context, error, "unknown username form “%s”", username);
      return FALSE;
    }

  if (app_password != NULL && g_str_equal (app_password, "required"))
    provider->flags |= SMTP_PROVIDER_FLAG_APP_PASSWORD;
  else if (app_password != NULL && g_str_equal (app_password, "two-factor"))
    provider->flags |= SMTP_PROVIDER_FLAG_APP_PASSWORD_2FA;
  else if (app_password != NULL)
    {
      set_parse_error (context, error, "unknown app-password value “%s”", app_password);
      return FALSE;
    }

  if (oauth != NULL && g_str_equal (oauth, "yes"))
    provider->flags |= SMTP_PROVIDER_FLAG_OAUTH;
  else if (oauth != NULL)
    {
      set_parse_error (context, error, "unknown oauth value “%s”", oauth);
      return FALSE;
    }

  if (enable != NULL && g_str_equal (enable, "settings"))
    provider->flags |= SMTP_PROVIDER_FLAG_ENABLE_IN_SETTINGS;
  else if (enable != NULL && g_str_equal (enable, "admin"))
    provider->flags |= SMTP_PROVIDER_FLAG_ADMIN_MAY_DISABLE;
  else if (enable != NULL)
    {
      set_parse_error (context, error, "unknown enable value “%s”", enable);
      return FALSE;
    }

  if (kind != NULL && g_str_equal (kind, "bridge"))
    provider->flags |= SMTP_PROVIDER_FLAG_BRIDGE_ONLY;
  else if (kind != NULL && g_str_equal (kind, "no-smtp"))
    provider->flags |= SMTP_PROVIDER_FLAG_NO_SMTP;
  else if (kind != NULL)
    {
      set_parse_error (context, error, "unknown kind “%s”", kind);
      return FALSE;
    }

  if (help != NULL && !g_str_has_prefix (help, "https://"))
    {
      set_parse_error (context, error, "help page “%s” is not an https:// address", help);
      return FALSE;
    }
  provider->help_uri = g_strdup (help);

  return TRUE;
}

static gboolean
parse_server (GMarkupParseContext  *context,
              const char          **names,
              const char          **values,
              GArray               *servers,
              GError              **error)
{
  const char *host = NULL, *port = NULL, *security = NULL;
  SmtpProviderServer server = { 0 };
  guint64 number = 0;

  if (!g_markup_collect_attributes ("server", names, values, error,
                                    G_MARKUP_COLLECT_STRING, "host", &host,
                                    G_MARKUP_COLLECT_STRING, "port", &port,
                                    G_MARKUP_COLLECT_STRING, "security", &security,
                                    G_MARKUP_COLLECT_INVALID))
    return FALSE;

  if (!smtp_host_validate (host, NULL))
    {
      set_parse_error (context, error, "invalid server name “%s”", host);
      return FALSE;
    }
  if (!g_ascii_string_to_unsigned (port, 10, 1, G_MAXUINT16, &number, NULL))
    {
      set_parse_error (context, error, "invalid port “%s”", port);
      return FALSE;
    }
  /* The list proposes only encrypted connections. */
  if (!smtp_security_from_id (security, &server.security) || server.security == SMTP_SECURITY_NONE)
    {
      set_parse_error (context, error, "invalid security “%s”", security);
      return FALSE;
    }

  server.host = g_ascii_strdown (host, -1);
  server.port = (guint16) number;
  g_array_append_val (servers, server);

  return TRUE;
}

static void
start_element_cb (GMarkupParseContext  *context,
                  const char           *element,
                  const char          **names,
                  const char          **values,
                  gpointer              user_data,
                  GError              **error)
{
  ParseState *state = user_data;
  const char *parent = NULL;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);

  if (stack->next != NULL)
    parent = stack->next->data;

  if (g_str_equal (element, "providers") && parent == NULL)
    {
      const char *version = NULL;

      g_markup_collect_attributes (element, names, values, error,
                                   G_MARKUP_COLLECT_STRING, "version", &version,
                                   G_MARKUP_COLLECT_INVALID);
      if (version != NULL && !g_str_equal (version, "1"))
        set_parse_error (context, error, "unknown version “%s”", version);
      return;
    }

  if (g_str_equal (element, "provider") && g_strcmp0 (parent, "providers") == 0)
    {
      state->current = g_atomic_rc_box_new0 (SmtpProvider);
      state->domains = g_strv_builder_new ();
      state->mx = g_strv_builder_new ();
      state->servers = g_array_new (FALSE, TRUE, sizeof (SmtpProviderServer));
      parse_provider_attributes (context, names, values, state->current, error);
      return;
    }

  if (g_strcmp0 (parent, "provider") == 0 &&
      (g_str_equal (element, "domain") || g_str_equal (element, "mx")))
    {
      if (!g_markup_collect_attributes (element, names, values, error, G_MARKUP_COLLECT_INVALID,
                                        NULL))
        return;
      g_string_truncate (state->text, 0);
      state->in_text_element = TRUE;
      return;
    }

  if (g_strcmp0 (parent, "provider") == 0 && g_str_equal (element, "server"))
    {
      parse_server (context, names, values, state->servers, error);
      return;
    }

  set_parse_error (context, error, "unexpected element <%s>", element);
}

static gboolean
add_domain (ParseState           *state,
            GMarkupParseContext  *context,
            gboolean              mx,
            GError              **error)
{
  g_autofree char *domain = smtp_providers_normalize_domain (state->text->str);
  GHashTable *table = mx ? state->self->by_mx : state->self->by_domain;
  SmtpProvider *other;

  if (domain == NULL || !smtp_host_validate (domain, NULL) || strchr (domain, '.') == NULL)
    {
      set_parse_error (context, error, "invalid %s “%s”", mx ? "MX pattern" : "domain",
                       state->text->str);
      return FALSE;
    }

  other = g_hash_table_lookup (table, domain);
  if (other != NULL)
    {
      set_parse_error (context, error, "“%s” is listed for both “%s” and “%s”", domain,
                       other->id, state->current->id);
      return FALSE;
    }

  g_hash_table_insert (table, g_strdup (domain), state->current);
  g_strv_builder_add (mx ? state->mx : state->domains, domain);

  return TRUE;
}

static void
end_element_cb (GMarkupParseContext  *context,
                const char           *element,
                gpointer              user_data,
                GError              **error)
{
  ParseState *state = user_data;
  SmtpProvider *provider = state->current;

  if (g_str_equal (element, "domain") || g_str_equal (element, "mx"))
    {
      state->in_text_element = FALSE;
      add_domain (state, context, g_str_equal (element, "mx"), error);
      return;
    }

  if (!g_str_equal (element, "provider") || provider == NULL)
    return;

  provider->domains = g_strv_builder_end (state->domains);
  provider->mx_patterns = g_strv_builder_end (state->mx);
  provider->n_servers = state->servers->len;
  provider->servers = (SmtpProviderServer *) (void *) g_array_free (state->servers, FALSE);
  g_clear_pointer (&state->domains, g_strv_builder_unref);
  g_clear_pointer (&state->mx, g_strv_builder_unref);
  state->servers = NULL;
  /* Ownership passes to the list now, so an error below frees it too. */
  g_ptr_array_add (state->self->providers, g_steal_pointer (&state->current));

  for (guint i = 0; i < state->self->providers->len - 1; i++)
    {
      SmtpProvider *other = g_ptr_array_index (state->self->providers, i);

      if (g_str_equal (other->id, provider->id))
        {
          set_parse_error (context, error, "duplicate provider id “%s”", provider->id);
          return;
        }
    }

  if (provider->domains[0] == NULL && provider->mx_patterns[0] == NULL)
    set_parse_error (context, error, "provider “%s” has neither domains nor MX patterns",
                     provider->id);
  else if ((provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP) != 0 && provider->n_servers > 0)
    set_parse_error (context, error, "provider “%s” has no SMTP, yet lists servers", provider->id);
  else if ((provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP) == 0 && provider->n_servers == 0)
    set_parse_error (context, error, "provider “%s” lists no servers", provider->id);
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 text_len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (state->in_text_element)
    {
      g_string_append_len (state->text, text, text_len);
      return;
    }

  for (gsize i = 0; i < text_len; i++)
    {
      if (!g_ascii_isspace (text[i]))
        {
          set_parse_error (context, error, "unexpected text");
          return;
        }
    }
}

static void
parse_state_clear (ParseState *state)
{
  g_clear_pointer (&state->current, smtp_provider_unref);
  g_clear_pointer (&state->domains, g_strv_builder_unref);
  g_clear_pointer (&state->mx, g_strv_builder_unref);
  if (state->servers != NULL)
    {
      for (guint i = 0; i < state->servers->len; i++)
        g_free (g_array_index (state->servers, SmtpProviderServer, i).host);
      g_clear_pointer (&state->servers, g_array_unref);
    }
  g_string_free (state->text, TRUE);
}

/**
 * smtp_providers_new_from_data:
 * @data: a provider list in the format of data/providers/providers.xml
 * @length: the length of @data, or -1 when it ends with a NUL
 * @error: return location for a %G_MARKUP_ERROR
 *
 * Parses and checks a provider list: every server name, port and security,
 * every domain (no domain may belong to two providers).
 *
 * Returns: (transfer full) (nullable): the list, or %NULL on error
 */
SmtpProviders *
smtp_providers_new_from_data (const char  *data,
                              gssize       length,
                              GError     **error)
{
  static const GMarkupParser parser = {
    start_element_cb, end_element_cb, text_cb, NULL, NULL
  };
  g_autoptr(SmtpProviders) self = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  ParseState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SMTP_TYPE_PROVIDERS, NULL);
  state.self = self;
  state.text = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);
  parse_state_clear (&state);

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

static gpointer
load_default (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SmtpProviders *providers;

  /* Looked up in the core's own resource rather than the global registry: a
   * resource compiled into a static library is registered only if the
   * linker kept its object file, and calling it here is what keeps it. */
  bytes = g_resource_lookup_data (smtp_providers_get_resource (), PROVIDERS_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes != NULL)
    providers = smtp_providers_new_from_data (g_bytes_get_data (bytes, NULL),
                                              g_bytes_get_size (bytes), &error);
  else
    providers = NULL;

  if (providers == NULL)
    {
      g_critical ("The built-in provider list is broken: %s", error->message);
      providers = g_object_new (SMTP_TYPE_PROVIDERS, NULL);
    }

  return providers;
}

/**
 * smtp_providers_get_default:
 *
 * Returns: (transfer none): the built-in provider list, loaded on first use
 *   and kept for the life of the program
 */
SmtpProviders *
smtp_providers_get_default (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_default, NULL);
}

/**
 * smtp_providers_get_all:
 * @self: a provider list
 *
 * Returns: (transfer none) (element-type SmtpProvider): every provider, in
 *   the list's order
 */
GPtrArray *
smtp_providers_get_all (SmtpProviders *self)
{
  g_return_val_if_fail (SMTP_IS_PROVIDERS (self), NULL);

  return self->providers;
}

/**
 * smtp_providers_get_n_domains:
 * @self: a provider list
 *
 * Returns: how many address domains the list knows
 */
guint
smtp_providers_get_n_domains (SmtpProviders *self)
{
  g_return_val_if_fail (SMTP_IS_PROVIDERS (self), 0);

  return g_hash_table_size (self->by_domain);
}

/**
 * smtp_providers_lookup_domain:
 * @self: a provider list
 * @domain: the domain of an address, in any case, Unicode or ASCII form
 *
 * Returns: (transfer full) (nullable): the provider of @domain
 */
SmtpProvider *
smtp_providers_lookup_domain (SmtpProviders *self,
                              const char    *domain)
{
  g_autofree char *normalized = NULL;
  SmtpProvider *provider;

  g_return_val_if_fail (SMTP_IS_PROVIDERS (self), NULL);
  g_return_val_if_fail (domain != NULL, NULL);

  normalized = smtp_providers_normalize_domain (domain);
  if (normalized == NULL)
    return NULL;

  provider = g_hash_table_lookup (self->by_domain, normalized);

  return provider != NULL ? smtp_provider_ref (provider) : NULL;
}

/**
 * smtp_providers_lookup_mx:
 * @self: a provider list
 * @mx_host: the host name of an MX record
 *
 * Finds the provider whose MX pattern is @mx_host itself or its longest
 * suffix at a label boundary: "alt1.aspmx.l.google.com" matches
 * "google.com", "notgoogle.com" does not.
 *
 * Returns: (transfer full) (nullable): the provider hosting the domain
 */
SmtpProvider *
smtp_providers_lookup_mx (SmtpProviders *self,
                          const char    *mx_host)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (SMTP_IS_PROVIDERS (self), NULL);
  g_return_val_if_fail (mx_host != NULL, NULL);

  normalized = smtp_providers_normalize_domain (mx_host);
  if (normalized == NULL)
    return NULL;

  /* From the whole name to ever shorter suffixes: the first hit is the longest. */
  for (const char *suffix = normalized; suffix != NULL; )
    {
      SmtpProvider *provider = g_hash_table_lookup (self->by_mx, suffix);
      const char *dot;

      if (provider != NULL)
        return smtp_provider_ref (provider);

      dot = strchr (suffix, '.');
      suffix = dot != NULL ? dot + 1 : NULL;
    }

  return NULL;
}

static void
smtp_providers_finalize (GObject *object)
{
  SmtpProviders *self = SMTP_PROVIDERS (object);

  g_clear_pointer (&self->by_domain, g_hash_table_unref);
  g_clear_pointer (&self->by_mx, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (smtp_providers_parent_class)->finalize (object);
}

static void
smtp_providers_class_init (SmtpProvidersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = smtp_providers_finalize;
}

static void
smtp_providers_init (SmtpProviders *self)
{
  self->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) smtp_provider_unref);
  self->by_domain = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_mx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
