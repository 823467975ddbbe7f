/* smtp-autoconfig.c: from an email address to candidate SMTP settings
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "smtp-autoconfig"

#include "config.h"

#include "smtp-autoconfig.h"

#include "smtp-address.h"
#include "smtp-error.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

/*
 * All sources run at once on the caller's main context:
 *
 *   providers   the built-in list, by the address's domain: when it knows the
 *               domain, that is the answer at once (nothing goes on the network)
 *   srv         _submissions._tcp and _submission._tcp (RFC 6186, RFC 8314)
 *   mx          MX records matched against the list's MX patterns (hosted domains)
 *   autoconfig  https://autoconfig.DOMAIN/… and https://DOMAIN/.well-known/autoconfig/…
 *   ispdb       https://autoconfig.thunderbird.net/v1.1/DOMAIN
 *   probe       every candidate (and smtp./mail./DOMAIN × 465, 587, 25 guesses) is
 *               tried with a check-only SmtpClient session, staggered
 *
 * Each candidate has a score: its source, its security and port, and what its
 * probe proved. The search ends when nothing still running could beat the
 * best proven candidate, when everything has answered, a grace period after
 * the first proven candidate, or at the total bound, whichever comes first.
 */

#define DEFAULT_TIMEOUT_MS (10 * 1000)
#define MIN_TIMEOUT_MS     200
#define STAGGER_MS         100
#define MAX_RUNNING_PROBES 16
#define MAX_PER_SOURCE     8
#define MAX_CONFIG_BYTES   (256 * 1024)
#define READ_CHUNK         (16 * 1024)
#define ISPDB_BASE_URI     "https://autoconfig.thunderbird.net/v1.1/"

/* Scores: a source's base, plus a little for security and port, plus what a
 * probe proved. Any proven server outranks any unproven one. */
#define BASE_PROVIDERS      900
#define BASE_SRV            800
#define BASE_AUTOCONFIG     700
#define BASE_ISPDB          650
#define BASE_MX             600
#define BASE_GUESS          100
#define MAX_PORT_BONUS      30
#define SCORE_VERIFIED_AUTH 10000
#define SCORE_VERIFIED      3000
#define SCORE_PROBE_FAILED  (-5000)

G_DEFINE_FLAGS_TYPE (SmtpAutoconfigFlags, smtp_autoconfig_flags,
  G_DEFINE_ENUM_VALUE (SMTP_AUTOCONFIG_FLAGS_NONE, "none"),
  G_DEFINE_ENUM_VALUE (SMTP_AUTOCONFIG_FLAGS_NO_PROBE, "no-probe"),
  G_DEFINE_ENUM_VALUE (SMTP_AUTOCONFIG_FLAGS_NO_ONLINE, "no-online"))

G_DEFINE_ENUM_TYPE (SmtpCandidateSource, smtp_candidate_source,
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_PROVIDERS, "providers"),
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_SRV, "srv"),
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_MX, "mx"),
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_AUTOCONFIG, "autoconfig"),
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_ISPDB, "ispdb"),
  G_DEFINE_ENUM_VALUE (SMTP_CANDIDATE_SOURCE_GUESS, "guess"))

/* The sources as the progress signals name them. */
typedef enum
{
  KIND_SRV,
  KIND_MX,
  KIND_AUTOCONFIG,
  KIND_ISPDB,
  KIND_PROBE,
  N_KINDS
} SourceKind;

static const char *const kind_ids[N_KINDS] = { "srv", "mx", "autoconfig", "ispdb", "probe" };

typedef struct
{
  char    *host;
  guint16  port;
} Override;

struct _SmtpAutoconfig
{
  GObject       parent_instance;

  guint         timeout_ms;
  GResolver    *resolver;
  GTlsDatabase *ca_database;
  char         *online_base_uri;
  GHashTable   *overrides;      /* "host:port" → Override */
  SoupSession  *session;
};

G_DEFINE_FINAL_TYPE (SmtpAutoconfig, smtp_autoconfig, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_RESOLVER,
  PROP_CA_DATABASE,
  PROP_ONLINE_BASE_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SOURCE_STARTED,
  SOURCE_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  PROBE_NONE,
  PROBE_QUEUED,
  PROBE_RUNNING,
  PROBE_DONE,
} ProbeState;

typedef struct
{
  SmtpCandidate *candidate;
  int            base;
  ProbeState     probe;
  guint          order;
} Entry;

typedef struct
{
  SmtpAutoconfig      *self;
  /* The detection keeps its task alive until it returns, so that its
   * timers need no reference of their own. */
  GTask               *task;
  SmtpAutoconfigFlags  flags;
  char                *address;
  char                *domain;
  GResolver           *resolver;
  GTlsDatabase        *ca_database;

  GCancellable        *cancellable;
  GCancellable        *caller_cancellable;
  gulong               caller_cancel_id;

  SmtpProvider        *provider;
  SmtpProvider        *mx_provider;
  GPtrArray           *entries;
  GPtrArray           *ops;
  guint                running_probes;

  gboolean             started[N_KINDS];
  gboolean             finished_emitted[N_KINDS];
  guint                pending[N_KINDS];
  guint                found[N_KINDS];
  gboolean             online_used;

  guint                timeout_ms;
  guint                source_timeout_ms;
  guint                probe_step_ms;
  guint                probe_deadline_ms;
  guint                grace_ms;
  guint                bound_id;
  guint                grace_id;
  guint                stagger_id;
  gint64               start_us;
  gboolean             finished;
} Detection;

/* One DNS or HTTPS lookup. */
typedef struct
{
  GTask               *task;
  Detection           *detection;
  SourceKind           kind;
  GCancellable        *cancellable;
  guint                timeout_id;
  gboolean             tls;
  SmtpCandidateSource  source;
  SoupMessage         *message;
  GInputStream        *stream;
  GByteArray          *body;
} Op;

typedef struct
{
  GTask      *task;
  Entry      *entry;
  SmtpClient *client;
} Probe;

static void check_done   (Detection *detection);
static void pump_probes  (Detection *detection);

/* Values ------------------------------------------------------------------- */

/* g_set_str () is GLib 2.76. */
static gboolean
set_str (char       **str,
         const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;

  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

/**
 * smtp_candidate_source_to_id:
 * @source: a source
 *
 * Returns: its id as `detect --json` reports it: "providers", "srv", "mx",
 *   "autoconfig", "ispdb" or "guess"
 */
const char *
smtp_candidate_source_to_id (SmtpCandidateSource source)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (SMTP_TYPE_CANDIDATE_SOURCE);
  GEnumValue *value = g_enum_get_value (klass, source);

  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

SmtpCandidate *
smtp_candidate_copy (const SmtpCandidate *candidate)
{
  SmtpCandidate *copy;

  g_return_val_if_fail (candidate != NULL, NULL);

  copy = g_memdup2 (candidate, sizeof *candidate);
  copy->host = g_strdup (candidate->host);
  copy->username = g_strdup (candidate->username);
  copy->probe_error = candidate->probe_error ? g_error_copy (candidate->probe_error) : NULL;

  return copy;
}

void
smtp_candidate_free (SmtpCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->host);
  g_free (candidate->username);
  g_clear_error (&candidate->probe_error);
  g_free (candidate);
}

void
smtp_autoconfig_result_free (SmtpAutoconfigResult *result)
{
  if (result == NULL)
    return;

  g_free (result->address);
  g_clear_pointer (&result->provider, smtp_provider_unref);
  g_clear_pointer (&result->candidates, g_ptr_array_unref);
  g_strfreev (result->notes);
  g_free (result);
}

static int
port_bonus (SmtpSecurity security,
            guint16      port)
{
  /* RFC 8314 §3: implicit TLS is preferred; 587 is the submission port,
   * 25 the relay port that home networks often block. */
  if (security == SMTP_SECURITY_TLS)
    return port == 465 ? MAX_PORT_BONUS : 25;
  if (port == 587)
    return 20;
  if (port == 25)
    return 10;
  return 15;
}

/* Autoconfig files --------------------------------------------------------- */

typedef struct
{
  const char          *address;
  char                *local_part;
  char                *domain;
  SmtpCandidateSource  source;
  GPtrArray           *out;
  gboolean             in_smtp;
  const char          *field;
  GString             *text;
  char                *hostname;
  char                *port;
  char                *socket_type;
  char                *username;
} ConfigParse;

static char *
substitute (ConfigParse *state,
            const char  *text)
{
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "%EMAILADDRESS%", state->address, 0);
  g_string_replace (out, "%EMAILLOCALPART%", state->local_part, 0);
  g_string_replace (out, "%EMAILDOMAIN%", state->domain, 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
config_clear_server (ConfigParse *state)
{
  g_clear_pointer (&state->hostname, g_free);
  g_clear_pointer (&state->port, g_free);
  g_clear_pointer (&state->socket_type, g_free);
  g_clear_pointer (&state->username, g_free);
}

static void
config_add_server (ConfigParse *state)
{
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  SmtpCandidate *candidate;
  SmtpSecurity security;
  guint64 port = 0;

  if (state->hostname == NULL || state->port == NULL || state->socket_type == NULL ||
      state->out->len >= MAX_PER_SOURCE)
    return;

  /* Plain-text submission is never proposed. */
  if (g_ascii_strcasecmp (state->socket_type, "SSL") == 0)
    security = SMTP_SECURITY_TLS;
  else if (g_ascii_strcasecmp (state->socket_type, "STARTTLS") == 0)
    security = SMTP_SECURITY_STARTTLS;
  else
    return;

  if (!g_ascii_string_to_unsigned (state->port, 10, 1, G_MAXUINT16, &port, NULL))
    return;

  host = substitute (state, state->hostname);
  g_strstrip (host);
  if (strchr (host, '%') != NULL || !smtp_host_validate (host, NULL))
    return;

  username = state->username != NULL ? substitute (state, state->username) : NULL;
  if (username == NULL || *username == '\0' || strchr (username, '%') != NULL ||
      !smtp_text_check_wire_safe (username, NULL))
    set_str (&username, state->address);

  candidate = g_new0 (SmtpCandidate, 1);
  candidate->host = g_ascii_strdown (host, -1);
  candidate->port = (guint16) port;
  candidate->security = security;
  candidate->username = g_steal_pointer (&username);
  candidate->source = state->source;
  g_ptr_array_add (state->out, candidate);
}

static void
config_start_cb (GMarkupParseContext  *context,
                 const char           *element,
                 const char          **names,
                 const char          **values,
                 gpointer              user_data,
                 GError              **error)
{
  ConfigParse *state = user_data;
  const GSList *stack = g_markup_parse_context_get_element_stack (context);
  const char *parent = stack->next != NULL ? stack->next->data : NULL;

  if (parent == NULL && !g_str_equal (element, "clientConfig"))
    {
      g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
                   "<%s> is not an autoconfig file's root", element);
      return;
    }

  if (g_str_equal (element, "outgoingServer"))
    {
      const char *type = NULL;

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "type"))
            type = values[i];
        }
      state->in_smtp = g_strcmp0 (type, "smtp") == 0;
      config_clear_server (state);
      return;
    }

  if (state->in_smtp && g_strcmp0 (parent, "outgoingServer") == 0 &&
      (g_str_equal (element, "hostname") || g_str_equal (element, "port") ||
       g_str_equal (element, "socketType") || g_str_equal (element, "username")))
    {
      state->field = g_intern_string (element);
      g_string_truncate (state->text, 0);
    }
}

static void
config_end_cb (GMarkupParseContext  *context,
               const char           *element,
               gpointer              user_data,
               GError              **error)
{
  ConfigParse *state = user_data;

  if (state->field != NULL && g_str_equal (element, state->field))
    {
      char **slot = g_str_equal (element, "hostname") ? &state->hostname
                  : g_str_equal (element, "port") ? &state->port
                  : g_str_equal (element, "socketType") ? &state->socket_type
                  : &state->username;

      g_free (*slot);
      *slot = g_strstrip (g_strdup (state->text->str));
      state->field = NULL;
      return;
    }

  if (g_str_equal (element, "outgoingServer"))
    {
      if (state->in_smtp)
        config_add_server (state);
      state->in_smtp = FALSE;
      config_clear_server (state);
    }
}

static void
config_text_cb (GMarkupParseContext  *context,
                const char           *text,
                gsize                 text_len,
                gpointer              user_data,
                GError              **error)
{
  ConfigParse *state = user_data;

  if (state->field != NULL && state->text->len < 1024)
    g_string_append_len (state->text, text, text_len);
}

/**
 * smtp_autoconfig_parse_config:
 * @data: an autoconfig file (Thunderbird's config-v1.1.xml format)
 * @length: the length of @data, or -1 when it ends with a NUL
 * @address: the email address, for %EMAILADDRESS%, %EMAILLOCALPART% and
 *   %EMAILDOMAIN%
 * @source: the source to record in the candidates
 * @error: return location for a %G_MARKUP_ERROR
 *
 * Reads the `<outgoingServer type="smtp">` entries. Entries with plain-text
 * sockets, invalid host names or ports are left out.
 *
 * Returns: (transfer full) (element-type SmtpCandidate) (nullable): the
 *   candidates in the file's order, or %NULL when the file is not valid XML
 *   or not an autoconfig file
 */
GPtrArray *
smtp_autoconfig_parse_config (const char           *data,
                              gssize                length,
                              const char           *address,
                              SmtpCandidateSource   source,
                              GError              **error)
{
  static const GMarkupParser parser = {
    config_start_cb, config_end_cb, config_text_cb, NULL, NULL
  };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) out = NULL;
  ConfigParse state = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) smtp_candidate_free);
  state.address = address;
  state.local_part = smtp_address_get_local_part (address);
  state.domain = smtp_address_get_domain (address);
  if (state.domain == NULL)
    state.domain = g_strdup ("");
  state.source = source;
  state.out = out;
  state.text = g_string_new (NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &state, NULL);
  ok = g_markup_parse_context_parse (context, data, length, error) &&
       g_markup_parse_context_end_parse (context, error);

  config_clear_server (&state);
  g_free (state.local_part);
  g_free (state.domain);
  g_string_free (state.text, TRUE);

  return ok ? g_steal_pointer (&out) : NULL;
}

/* Candidates ------------------------------------------------------------- */

static int
entry_score (const Entry *entry)
{
  const SmtpCandidate *candidate = entry->candidate;

  if (candidate->verified)
    return entry->base + (candidate->offers_auth ? SCORE_VERIFIED_AUTH : SCORE_VERIFIED);
  if (candidate->probed)
    return entry->base + SCORE_PROBE_FAILED;
  return entry->base;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = *(const Entry **) a;
  const Entry *eb = *(const Entry **) b;
  int sa = entry_score (ea), sb = entry_score (eb);

  if (sa != sb)
    return sa > sb ? -1 : 1;
  return ea->order < eb->order ? -1 : ea->order > eb->order;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  smtp_candidate_free (entry->candidate);
  g_free (entry);
}

static gboolean
probing (Detection *detection)
{
  return (detection->flags & SMTP_AUTOCONFIG_FLAGS_NO_PROBE) == 0;
}

/* Adds a candidate, or raises an equal one (same host, port and security) to
 * the better source. Returns TRUE when the candidate was usable. */
static gboolean
add_candidate (Detection           *detection,
               const char          *host,
               guint16              port,
               SmtpSecurity         security,
               const char          *username,
               SmtpCandidateSource  source,
               int                  base)
{
  g_autofree char *normalized = NULL;
  SmtpCandidate *candidate;
  Entry *entry;

  if (host == NULL || port == 0 || security == SMTP_SECURITY_NONE)
    return FALSE;
  normalized = smtp_providers_normalize_domain (host);
  if (normalized == NULL || !smtp_host_validate (normalized, NULL))
    return FALSE;

  for (guint i = 0; i < detection->entries->len; i++)
    {
      entry = g_ptr_array_index (detection->entries, i);
      candidate = entry->candidate;

      if (candidate->port == port && candidate->security == security &&
          g_str_equal (candidate->host, normalized))
        {
          if (base > entry->base)
            {
              entry->base = base;
              candidate->source = source;
              set_str (&candidate->username, username);
            }
          return TRUE;
        }
    }

  candidate = g_new0 (SmtpCandidate, 1);
  candidate->host = g_steal_pointer (&normalized);
  candidate->port = port;
  candidate->security = security;
  candidate->username = g_strdup (username);
  candidate->source = source;

  entry = g_new0 (Entry, 1);
  entry->candidate = candidate;
  entry->base = base;
  entry->order = detection->entries->len;
  /* A provider matched by domain is the answer without a probe. */
  entry->probe = probing (detection) && source != SMTP_CANDIDATE_SOURCE_PROVIDERS
                 ? PROBE_QUEUED : PROBE_NONE;
  g_ptr_array_add (detection->entries, entry);

  return TRUE;
}

static void
add_provider_servers (Detection           *detection,
                      const SmtpProvider  *provider,
                      SmtpCandidateSource  source,
                      int                  base)
{
  g_autofree char *username = smtp_provider_make_username (provider, detection->address);

  for (guint i = 0; i < provider->n_servers; i++)
    {
      const SmtpProviderServer *server = &provider->servers[i];

      /* The list's own order decides between its servers. */
      add_candidate (detection, server->host, server->port, server->security, username, source,
                     base + MAX_PORT_BONUS - (int) MIN (i, 9));
    }
}

/* Progress ----------------------------------------------------------------- */

static void
emit_started (Detection  *detection,
              SourceKind  kind)
{
  if (detection->started[kind])
    return;

  detection->started[kind] = TRUE;
  g_signal_emit (detection->self, signals[SOURCE_STARTED], 0, kind_ids[kind]);
}

static void
emit_finished (Detection  *detection,
               SourceKind  kind)
{
  if (!detection->started[kind] || detection->finished_emitted[kind])
    return;

  detection->finished_emitted[kind] = TRUE;
  g_signal_emit (detection->self, signals[SOURCE_FINISHED], 0, kind_ids[kind],
                 detection->found[kind]);
}

/* Finishing ---------------------------------------------------------------- */

static void G_GNUC_PRINTF (2, 3)
add_note_printf (GStrvBuilder *notes,
                 const char   *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_strv_builder_add (notes, text);
}

static SmtpAutoconfigResult *
build_result (Detection *detection,
              gboolean   timed_out)
{
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();
  g_autoptr(GPtrArray) sorted = NULL;
  SmtpAutoconfigResult *result;
  SmtpProvider *provider;
  gboolean only_guesses = TRUE;

  result = g_new0 (SmtpAutoconfigResult, 1);
  result->address = g_strdup (detection->address);
  result->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) smtp_candidate_free);
  result->timed_out = timed_out;
  result->elapsed_ms = (g_get_monotonic_time () - detection->start_us) / 1000;

  provider = detection->provider != NULL ? detection->provider : detection->mx_provider;
  if (provider != NULL)
    result->provider = smtp_provider_ref (provider);

  /* Without probes and without anything better, the usual names are at
   * least something to start from. */
  if (!probing (detection) && detection->entries->len == 0 &&
      (provider == NULL || (provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP) == 0))
    {
      g_autofree char *host = g_strconcat ("smtp.", detection->domain, NULL);

      add_candidate (detection, host, 465, SMTP_SECURITY_TLS, detection->address,
                     SMTP_CANDIDATE_SOURCE_GUESS, BASE_GUESS + MAX_PORT_BONUS);
      add_candidate (detection, host, 587, SMTP_SECURITY_STARTTLS, detection->address,
                     SMTP_CANDIDATE_SOURCE_GUESS, BASE_GUESS + 20);
    }

  /* The copy borrows the entries. */
  sorted = g_ptr_array_copy (detection->entries, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL);
  g_ptr_array_sort (sorted, compare_entries);

  for (guint i = 0; i < sorted->len; i++)
    {
      Entry *entry = g_ptr_array_index (sorted, i);
      SmtpCandidate *candidate;

      /* A guess is worth showing only once a probe proved it (or when no
       * probe was allowed). */
      if (entry->candidate->source == SMTP_CANDIDATE_SOURCE_GUESS && probing (detection) &&
          !entry->candidate->verified)
        continue;

      candidate = smtp_candidate_copy (entry->candidate);
      candidate->rank = result->candidates->len + 1;
      if (candidate->source != SMTP_CANDIDATE_SOURCE_GUESS)
        only_guesses = FALSE;
      g_ptr_array_add (result->candidates, candidate);
    }

  if (provider != NULL)
    {
      g_auto(GStrv) provider_notes = smtp_provider_get_notes (provider);

      g_strv_builder_addv (notes, (const char **) provider_notes);
    }

  if (result->candidates->len == 0)
    {
      if (provider == NULL || (provider->flags & SMTP_PROVIDER_FLAG_NO_SMTP) == 0)
        add_note_printf (notes, _("No settings were found for “%s”. Ask your email provider for "
                                  "the outgoing (SMTP) server’s name, port and security, and "
                                  "enter them yourself."), detection->domain);
    }
  else if (only_guesses && !probing (detection))
    {
      g_strv_builder_add (notes, _("These settings are only the usual names and ports; they "
                                   "were not tried. Test them before you rely on them."));
    }

  if (timed_out)
    g_strv_builder_add (notes, _("Some lookups did not answer in time; the settings shown are "
                                 "the best found until then."));

  if (detection->online_used)
    add_note_printf (notes, _("To find these settings, your address was sent to the web server "
                              "of its domain, and the domain “%s” to Thunderbird’s public "
                              "settings database (autoconfig.thunderbird.net). Online lookups "
                              "can be turned off."), detection->domain);

  result->notes = g_strv_builder_end (notes);

  return result;
}

static void
stop_everything (Detection *detection)
{
  detection->finished = TRUE;

  g_clear_handle_id (&detection->bound_id, g_source_remove);
  g_clear_handle_id (&detection->grace_id, g_source_remove);
  g_clear_handle_id (&detection->stagger_id, g_source_remove);

  if (detection->caller_cancel_id != 0)
    {
      g_cancellable_disconnect (detection->caller_cancellable, detection->caller_cancel_id);
      detection->caller_cancel_id = 0;
    }

  /* Late answers then come back as cancelled and change nothing. */
  g_cancellable_cancel (detection->cancellable);
  for (guint i = 0; i < detection->ops->len; i++)
    {
      Op *op = g_ptr_array_index (detection->ops, i);

      g_cancellable_cancel (op->cancellable);
    }
}

/* After this, @detection may be gone: callers return at once. */
static void
finish (Detection *detection,
        gboolean   timed_out)
{
  g_autoptr(GTask) task = NULL;
  SmtpAutoconfigResult *result;

  if (detection->finished)
    return;

  stop_everything (detection);
  for (guint kind = 0; kind < N_KINDS; kind++)
    emit_finished (detection, kind);

  result = build_result (detection, timed_out);
  g_debug ("Detection for %s ended after %" G_GINT64_FORMAT " ms with %u candidates%s",
           detection->domain, result->elapsed_ms, result->candidates->len,
           timed_out ? " (time bound)" : "");

  task = g_steal_pointer (&detection->task);
  g_task_return_pointer (task, result, (GDestroyNotify) smtp_autoconfig_result_free);
}

static void
finish_with_error (Detection *detection,
                   GError    *error)
{
  g_autoptr(GTask) task = NULL;

  if (detection->finished)
    {
      g_error_free (error);
      return;
    }

  stop_everything (detection);
  task = g_steal_pointer (&detection->task);
  g_task_return_error (task, error);
}

static gboolean
bound_cb (gpointer user_data)
{
  Detection *detection = user_data;

  detection->bound_id = 0;
  finish (detection, TRUE);

  return G_SOURCE_REMOVE;
}

static gboolean
grace_cb (gpointer user_data)
{
  Detection *detection = user_data;

  detection->grace_id = 0;
  finish (detection, FALSE);

  return G_SOURCE_REMOVE;
}

static int
source_potential (Detection  *detection,
                  SourceKind  kind)
{
  int base;

  switch (kind)
    {
    case KIND_SRV: base = BASE_SRV; break;
    case KIND_MX: base = BASE_MX; break;
    case KIND_AUTOCONFIG: base = BASE_AUTOCONFIG; break;
    case KIND_ISPDB: base = BASE_ISPDB; break;
    case KIND_PROBE:
    case N_KINDS:
    default:
      return G_MININT;
    }

  return base + MAX_PORT_BONUS + (probing (detection) ? SCORE_VERIFIED_AUTH : 0);
}

static void
check_done (Detection *detection)
{
  guint pending_sources = 0;
  gboolean probes_pending = FALSE;

  if (detection->finished)
    return;

  for (guint kind = 0; kind < KIND_PROBE; kind++)
    pending_sources += detection->pending[kind];

  for (guint i = 0; i < detection->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (detection->entries, i);

      if (entry->probe == PROBE_QUEUED || entry->probe == PROBE_RUNNING)
        probes_pending = TRUE;
    }

  if (probing (detection))
    {
      int best = G_MININT, potential = G_MININT;
      gboolean have_best = FALSE;

      for (guint i = 0; i < detection->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (detection->entries, i);

          if (entry->candidate->verified)
            {
              best = MAX (best, entry_score (entry));
              have_best = TRUE;
            }
          else if (entry->probe == PROBE_QUEUED || entry->probe == PROBE_RUNNING)
            potential = MAX (potential, entry->base + SCORE_VERIFIED_AUTH);
        }

      for (guint kind = 0; kind < KIND_PROBE; kind++)
        {
          if (detection->pending[kind] > 0)
            potential = MAX (potential, source_potential (detection, kind));
        }

      if (have_best)
        {
          /* The best possible candidate has won: nothing still running
           * could beat it. */
          if (potential <= best)
            {
              finish (detection, FALSE);
              return;
            }

          /* Something better may still answer, but a silent port must not
           * hold a good answer for long. */
          if (detection->grace_id == 0)
            detection->grace_id = g_timeout_add (detection->grace_ms, grace_cb, detection);
        }
    }

  if (pending_sources == 0 && !probes_pending)
    finish (detection, FALSE);
}

/* Lookups (DNS and HTTPS) ------------------------------------------------------ */

static gboolean
op_timeout_cb (gpointer user_data)
{
  Op *op = user_data;

  op->timeout_id = 0;
  g_debug ("The %s lookup for %s took too long", kind_ids[op->kind], op->detection->domain);
  g_cancellable_cancel (op->cancellable);

  return G_SOURCE_REMOVE;
}

static Op *
op_new (Detection  *detection,
        SourceKind  kind)
{
  Op *op = g_new0 (Op, 1);

  op->task = g_object_ref (detection->task);
  op->detection = detection;
  op->kind = kind;
  op->cancellable = g_cancellable_new ();
  op->timeout_id = g_timeout_add (detection->source_timeout_ms, op_timeout_cb, op);
  g_ptr_array_add (detection->ops, op);
  detection->pending[kind]++;

  emit_started (detection, kind);

  return op;
}

/* Ends a lookup: counts what it found, says when its source is done and
 * checks whether the search is over. */
static void
op_done (Op    *op,
         guint  n_found)
{
  Detection *detection = op->detection;
  SourceKind kind = op->kind;
  /* Held to the end: the task owns the detection. */
  g_autoptr(GTask) task = g_steal_pointer (&op->task);

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_ptr_array_remove_fast (detection->ops, op);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->message);
  g_clear_object (&op->stream);
  g_clear_pointer (&op->body, g_byte_array_unref);
  g_free (op);

  g_assert (detection->pending[kind] > 0);
  detection->pending[kind]--;
  detection->found[kind] += n_found;

  if (detection->finished)
    return;

  if (detection->pending[kind] == 0)
    emit_finished (detection, kind);

  pump_probes (detection);
  check_done (detection);
}

static void
log_lookup_error (Op           *op,
                  const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The %s lookup for %s failed: %s", kind_ids[op->kind], op->detection->domain,
             error->message);
}

static void
srv_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Op *op = user_data;
  Detection *detection = op->detection;
  g_autoptr(GError) error = NULL;
  GList *targets;
  guint n = 0, index = 0;

  targets = g_resolver_lookup_service_finish (G_RESOLVER (source), result, &error);
  if (error != NULL)
    log_lookup_error (op, error);
  /* RFC 2782 order: priority, then weight (the system resolver sorts
   * already; another one may not). */
  targets = g_srv_target_list_sort (targets);

  for (GList *l = targets; l != NULL && !detection->finished && index < MAX_PER_SOURCE; l = l->next)
    {
      GSrvTarget *target = l->data;
      const char *host = g_srv_target_get_hostname (target);
      guint16 port = g_srv_target_get_port (target);
      SmtpSecurity security = op->tls ? SMTP_SECURITY_TLS : SMTP_SECURITY_STARTTLS;

      /* RFC 2782: a target of "." means the service is decidedly not offered. */
      if (host == NULL || *host == '\0' || g_str_equal (host, "."))
        continue;

      if (add_candidate (detection, host, port, security, detection->address,
                         SMTP_CANDIDATE_SOURCE_SRV,
                         BASE_SRV + port_bonus (security, port) - (int) index))
        n++;
      index++;
    }
  g_list_free_full (targets, (GDestroyNotify) g_srv_target_free);

  op_done (op, n);
}

static void
start_srv (Detection *detection,
           gboolean   tls)
{
  Op *op = op_new (detection, KIND_SRV);

  op->tls = tls;
  /* RFC 8314 §5.1: _submissions._tcp names the implicit-TLS service,
   * RFC 6186 §3.1: _submission._tcp the STARTTLS one. */
  g_resolver_lookup_service_async (detection->resolver, tls ? "submissions" : "submission", "tcp",
                                   detection->domain, op->cancellable, srv_cb, op);
}

static int
compare_mx (gconstpointer a,
            gconstpointer b)
{
  guint16 pa = 0, pb = 0;

  g_variant_get ((GVariant *) a, "(q&s)", &pa, NULL);
  g_variant_get ((GVariant *) b, "(q&s)", &pb, NULL);

  return (int) pa - (int) pb;
}

static void
mx_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  Op *op = user_data;
  Detection *detection = op->detection;
  g_autoptr(GError) error = NULL;
  GList *records;
  guint n = 0;

  records = g_resolver_lookup_records_finish (G_RESOLVER (source), result, &error);
  if (error != NULL)
    log_lookup_error (op, error);

  records = g_list_sort (records, compare_mx);

  /* The most preferred MX host that the list knows names the provider. */
  for (GList *l = records; l != NULL && !detection->finished; l = l->next)
    {
      g_autoptr(SmtpProvider) provider = NULL;
      const char *host = NULL;

      if (!g_variant_is_of_type (l->data, G_VARIANT_TYPE ("(qs)")))
        continue;
      g_variant_get (l->data, "(q&s)", NULL, &host);

      provider = smtp_providers_lookup_mx (smtp_providers_get_default (), host);
      if (provider == NULL)
        continue;

      g_debug ("MX host %s of %s belongs to %s", host, detection->domain, provider->id);
      detection->mx_provider = smtp_provider_ref (provider);
      add_provider_servers (detection, provider, SMTP_CANDIDATE_SOURCE_MX, BASE_MX);
      n = provider->n_servers;
      break;
    }
  g_list_free_full (records, (GDestroyNotify) g_variant_unref);

  op_done (op, n);
}

static void
start_mx (Detection *detection)
{
  Op *op = op_new (detection, KIND_MX);

  g_resolver_lookup_records_async (detection->resolver, detection->domain, G_RESOLVER_RECORD_MX,
                                   op->cancellable, mx_cb, op);
}

/* Extra authorities: only an unknown issuer may be forgiven, and only when
 * the chain verifies against them with every other check intact (as in
 * the SMTP client). */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTlsDatabase *database = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (message);
  int port;

  if (errors != G_TLS_CERTIFICATE_UNKNOWN_CA || uri == NULL)
    return FALSE;

  port = g_uri_get_port (uri);
  identity = g_network_address_new (g_uri_get_host (uri), port > 0 ? port : 443);

  return g_tls_database_verify_chain (database, certificate,
                                      G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER, identity, NULL,
                                      G_TLS_DATABASE_VERIFY_NONE, NULL, NULL) == 0;
}

static void http_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
http_read_more (Op *op)
{
  g_input_stream_read_bytes_async (op->stream, READ_CHUNK, G_PRIORITY_DEFAULT, op->cancellable,
                                   http_read_cb, op);
}

static void
http_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  Detection *detection = op->detection;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  guint n = 0;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      log_lookup_error (op, error);
      op_done (op, 0);
      return;
    }

  if (g_bytes_get_size (bytes) > 0)
    {
      if (op->body->len + g_bytes_get_size (bytes) > MAX_CONFIG_BYTES)
        {
          g_debug ("The %s file for %s is too large", kind_ids[op->kind], detection->domain);
          op_done (op, 0);
          return;
        }
      g_byte_array_append (op->body, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      http_read_more (op);
      return;
    }

  /* The end of the file; closing may still touch the connection, so it
   * must not block the main loop. */
  g_input_stream_close_async (op->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  candidates = smtp_autoconfig_parse_config ((const char *) op->body->data, op->body->len,
                                             detection->address, op->source, &error);
  if (candidates == NULL)
    {
      g_debug ("The %s file for %s is not usable: %s", kind_ids[op->kind], detection->domain,
               error->message);
      op_done (op, 0);
      return;
    }

  for (guint i = 0; i < candidates->len && !detection->finished; i++)
    {
      SmtpCandidate *candidate = g_ptr_array_index (candidates, i);
      int base = op->source == SMTP_CANDIDATE_SOURCE_ISPDB ? BASE_ISPDB : BASE_AUTOCONFIG;

      /* The file's own order, then security and port. */
      if (add_candidate (detection, candidate->host, candidate->port, candidate->security,
                         candidate->username, op->source,
                         base + port_bonus (candidate->security, candidate->port) - (int) i))
        n++;
    }

  op_done (op, n);
}

static void
http_send_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  op->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (op->stream == NULL)
    {
      log_lookup_error (op, error);
      op_done (op, 0);
      return;
    }

  status = soup_message_get_status (op->message);
  if (status != SOUP_STATUS_OK)
    {
      g_debug ("The %s lookup for %s answered HTTP %u", kind_ids[op->kind],
               op->detection->domain, status);
      op_done (op, 0);
      return;
    }

  op->body = g_byte_array_new ();
  http_read_more (op);
}

static void
start_http (Detection           *detection,
            SourceKind           kind,
            SmtpCandidateSource  source,
            const char          *uri)
{
  SmtpAutoconfig *self = detection->self;
  g_autoptr(SoupMessage) message = NULL;
  Op *op;

  message = soup_message_new ("GET", uri);
  if (message == NULL)
    {
      g_debug ("Not a usable address: %s", uri);
      return;
    }

  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "smtp-setup/" PACKAGE_VERSION,
                                                   NULL);

  /* A redirect could lead anywhere, even to plain HTTP: the file must be
   * where it was asked for. */
  soup_message_set_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  if (detection->ca_database != NULL)
    g_signal_connect_data (message, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                           g_object_ref (detection->ca_database),
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);

  op = op_new (detection, kind);
  op->source = source;
  op->message = g_steal_pointer (&message);
  g_debug ("Asking %s", uri);
  soup_session_send_async (self->session, op->message, G_PRIORITY_DEFAULT, op->cancellable,
                           http_send_cb, op);
}

static void
start_online (Detection *detection)
{
  SmtpAutoconfig *self = detection->self;
  g_autofree char *escaped = g_uri_escape_string (detection->address, NULL, FALSE);
  g_autofree char *provider_uri = NULL;
  g_autofree char *well_known_uri = NULL;
  g_autofree char *ispdb_uri = NULL;

  if (self->online_base_uri != NULL)
    {
      const char *base = self->online_base_uri;

      provider_uri = g_strdup_printf ("%sautoconfig/%s/mail/config-v1.1.xml?emailaddress=%s",
                                      base, detection->domain, escaped);
      well_known_uri = g_strdup_printf ("%swell-known/%s/.well-known/autoconfig/mail/"
                                        "config-v1.1.xml?emailaddress=%s",
                                        base, detection->domain, escaped);
      ispdb_uri = g_strdup_printf ("%sispdb/%s", base, detection->domain);
    }
  else
    {
      provider_uri = g_strdup_printf ("https://autoconfig.%s/mail/config-v1.1.xml?"
                                      "emailaddress=%s", detection->domain, escaped);
      well_known_uri = g_strdup_printf ("https://%s/.well-known/autoconfig/mail/"
                                        "config-v1.1.xml?emailaddress=%s",
                                        detection->domain, escaped);
      ispdb_uri = g_strdup_printf ("%s%s", ISPDB_BASE_URI, detection->domain);
    }

  detection->online_used = TRUE;
  start_http (detection, KIND_AUTOCONFIG, SMTP_CANDIDATE_SOURCE_AUTOCONFIG, provider_uri);
  start_http (detection, KIND_AUTOCONFIG, SMTP_CANDIDATE_SOURCE_AUTOCONFIG, well_known_uri);
  start_http (detection, KIND_ISPDB, SMTP_CANDIDATE_SOURCE_ISPDB, ispdb_uri);
}

/* Probes ------------------------------------------------------------------- */

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&probe->task);
  Detection *detection = g_task_get_task_data (task);
  g_autoptr(SmtpTestResult) test = NULL;
  Entry *entry = probe->entry;
  SmtpCandidate *candidate = entry->candidate;

  test = smtp_client_run_finish (SMTP_CLIENT (source), result);
  g_clear_object (&probe->client);
  g_free (probe);

  detection->running_probes--;
  entry->probe = PROBE_DONE;
  if (detection->finished)
    return;

  candidate->probed = TRUE;
  if (test->ok)
    {
      candidate->verified = TRUE;
      candidate->offers_auth = test->capabilities != NULL && test->capabilities->auth != NULL &&
                               test->capabilities->auth[0] != NULL;
      detection->found[KIND_PROBE]++;
      g_debug ("Probe of %s:%u (%s) answered%s", candidate->host, candidate->port,
               smtp_security_to_id (candidate->security),
               candidate->offers_auth ? " and offers AUTH" : " without AUTH");
    }
  else
    {
      g_clear_error (&candidate->probe_error);
      if (test->error != NULL)
        candidate->probe_error = g_error_copy (test->error);
      g_debug ("Probe of %s:%u (%s) failed at %s: %s", candidate->host, candidate->port,
               smtp_security_to_id (candidate->security), smtp_stage_to_id (test->stage),
               test->error != NULL ? test->error->message : "?");
    }

  pump_probes (detection);
  check_done (detection);
}

static void
start_probe (Detection *detection,
             Entry     *entry)
{
  SmtpAutoconfig *self = detection->self;
  SmtpCandidate *candidate = entry->candidate;
  g_autoptr(SmtpTestOptions) options = smtp_test_options_new ();
  Probe *probe;

  options->host = g_strdup (candidate->host);
  options->port = candidate->port;

  if (g_hash_table_size (self->overrides) > 0)
    {
      g_autofree char *key = g_strdup_printf ("%s:%u", candidate->host, candidate->port);
      const Override *override = g_hash_table_lookup (self->overrides, key);

      /* With overrides (tests), nothing else goes on the network. */
      if (override == NULL)
        {
          entry->probe = PROBE_DONE;
          candidate->probed = TRUE;
          candidate->probe_error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                "%s:%u has no probe override", candidate->host,
                                                candidate->port);
          return;
        }
      set_str (&options->host, override->host);
      options->port = override->port;
    }

  options->security = candidate->security;
  options->check_only = TRUE;
  /* Never sent (a check-only session stops after EHLO), but the client
   * looks at it. */
  options->from = g_strdup (detection->address);
  options->ca_database = detection->ca_database ? g_object_ref (detection->ca_database) : NULL;
  options->step_timeout_ms = detection->probe_step_ms;
  options->deadline_ms = detection->probe_deadline_ms;

  probe = g_new0 (Probe, 1);
  probe->task = g_object_ref (detection->task);
  probe->entry = entry;
  probe->client = smtp_client_new ();

  entry->probe = PROBE_RUNNING;
  detection->running_probes++;
  emit_started (detection, KIND_PROBE);

  g_debug ("Probing %s:%u (%s)", candidate->host, candidate->port,
           smtp_security_to_id (candidate->security));
  smtp_client_run_async (probe->client, options, detection->cancellable, probe_cb, probe);
}

static gboolean
stagger_cb (gpointer user_data)
{
  Detection *detection = user_data;

  detection->stagger_id = 0;
  pump_probes (detection);
  check_done (detection);

  return G_SOURCE_REMOVE;
}

static Entry *
next_queued (Detection *detection)
{
  Entry *best = NULL;

  for (guint i = 0; i < detection->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (detection->entries, i);

      if (entry->probe == PROBE_QUEUED && (best == NULL || entry->base > best->base))
        best = entry;
    }

  return best;
}

/* Starts the most promising queued probe, then the next one a moment later:
 * staggered, the best candidate's probe has a head start and a burst of
 * connections does not look like a port scan. */
static void
pump_probes (Detection *detection)
{
  Entry *entry;

  if (detection->finished || detection->stagger_id != 0)
    return;

  while (detection->running_probes < MAX_RUNNING_PROBES &&
         (entry = next_queued (detection)) != NULL)
    {
      start_probe (detection, entry);
      if (entry->probe == PROBE_RUNNING)
        break;
    }

  if (next_queued (detection) != NULL && detection->running_probes < MAX_RUNNING_PROBES)
    detection->stagger_id = g_timeout_add (STAGGER_MS, stagger_cb, detection);
}

static void
add_guesses (Detection *detection)
{
  static const struct {
    guint16      port;
    SmtpSecurity security;
  } ports[] = {
    { 465, SMTP_SECURITY_TLS },
    { 587, SMTP_SECURITY_STARTTLS },
    { 25, SMTP_SECURITY_STARTTLS },
  };
  static const char *const prefixes[] = { "smtp.", "mail.", "" };

  for (guint p = 0; p < G_N_ELEMENTS (ports); p++)
    {
      for (guint h = 0; h < G_N_ELEMENTS (prefixes); h++)
        {
          g_autofree char *host = g_strconcat (prefixes[h], detection->domain, NULL);

          /* Ranked by security and port first, then smtp. > mail. > the domain. */
          add_candidate (detection, host, ports[p].port, ports[p].security, detection->address,
                         SMTP_CANDIDATE_SOURCE_GUESS,
                         BASE_GUESS + port_bonus (ports[p].security, ports[p].port) -
                         (int) h);
        }
    }
}

/* Detection ---------------------------------------------------------------- */

static void
detection_free (gpointer data)
{
  Detection *detection = data;

  g_assert (detection->ops->len == 0);
  g_assert (detection->running_probes == 0);

  g_clear_handle_id (&detection->bound_id, g_source_remove);
  g_clear_handle_id (&detection->grace_id, g_source_remove);
  g_clear_handle_id (&detection->stagger_id, g_source_remove);
  if (detection->caller_cancel_id != 0)
    g_cancellable_disconnect (detection->caller_cancellable, detection->caller_cancel_id);
  g_clear_object (&detection->caller_cancellable);
  g_clear_object (&detection->cancellable);
  g_clear_object (&detection->resolver);
  g_clear_object (&detection->ca_database);
  g_clear_pointer (&detection->provider, smtp_provider_unref);
  g_clear_pointer (&detection->mx_provider, smtp_provider_unref);
  g_clear_pointer (&detection->entries, g_ptr_array_unref);
  g_clear_pointer (&detection->ops, g_ptr_array_unref);
  g_free (detection->address);
  g_free (detection->domain);
  g_clear_object (&detection->self);
  g_free (detection);
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  GTask *task = user_data;
  Detection *detection = g_task_get_task_data (task);

  finish_with_error (detection, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("Finding the settings was cancelled.")));

  return G_SOURCE_REMOVE;
}

/* May run in any thread: the detection itself ends on its own context. */
static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}

/**
 * smtp_autoconfig_detect_async:
 * @self: an autoconfig
 * @address: the person's email address
 * @flags: which sources to leave out
 * @cancellable: (nullable): to stop the search
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Finds candidate SMTP settings for @address from every source at once (see
 * the top of smtp-autoconfig.c), within the #SmtpAutoconfig:timeout bound.
 * Progress is reported with #SmtpAutoconfig::source-started and
 * #SmtpAutoconfig::source-finished on the caller's main context. Probes
 * read the greeting and EHLO only; they never send credentials.
 */
void
smtp_autoconfig_detect_async (SmtpAutoconfig      *self,
                              const char          *address,
                              SmtpAutoconfigFlags  flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SmtpProvider) provider = NULL;
  g_autofree char *raw_domain = NULL;
  g_autofree char *domain = NULL;
  Detection *detection;

  g_return_if_fail (SMTP_IS_AUTOCONFIG (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, smtp_autoconfig_detect_async);

  if (!smtp_address_validate (address, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  raw_domain = smtp_address_get_domain (address);
  if (raw_domain != NULL)
    domain = smtp_providers_normalize_domain (raw_domain);
  if (domain == NULL)
    {
      g_task_return_new_error (task, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID,
                               _("The part after “@” is not a valid domain."));
      return;
    }

  detection = g_new0 (Detection, 1);
  detection->self = g_object_ref (self);
  detection->task = g_object_ref (task);
  detection->flags = flags;
  detection->address = g_strdup (address);
  detection->domain = g_steal_pointer (&domain);
  detection->resolver = self->resolver != NULL ? g_object_ref (self->resolver)
                                                : g_resolver_get_default ();
  detection->ca_database = self->ca_database ? g_object_ref (self->ca_database) : NULL;
  detection->cancellable = g_cancellable_new ();
  detection->entries = g_ptr_array_new_with_free_func (entry_free);
  detection->ops = g_ptr_array_new ();
  detection->start_us = g_get_monotonic_time ();
  detection->timeout_ms = self->timeout_ms;
  /* Every part fits inside the bound, so the bound is rarely what ends it. */
  detection->source_timeout_ms = MAX (100, self->timeout_ms / 2);
  detection->probe_step_ms = MAX (100, self->timeout_ms * 3 / 10);
  detection->probe_deadline_ms = MAX (detection->probe_step_ms, self->timeout_ms / 2);
  detection->grace_ms = MAX (50, self->timeout_ms / 5);
  g_task_set_task_data (task, detection, detection_free);

  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          finish_with_error (detection, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                             _("Finding the settings was "
                                                               "cancelled.")));
          return;
        }
      detection->caller_cancellable = g_object_ref (cancellable);
      detection->caller_cancel_id = g_cancellable_connect (cancellable,
                                                           G_CALLBACK (caller_cancelled_cb),
                                                           g_object_ref (task), g_object_unref);
    }

  g_signal_emit (self, signals[SOURCE_STARTED], 0, "providers");
  provider = smtp_providers_lookup_domain (smtp_providers_get_default (), detection->domain);
  g_signal_emit (self, signals[SOURCE_FINISHED], 0, "providers",
                 provider != NULL ? provider->n_servers : 0);
  if (detection->finished)
    return;

  /* The list's entry for the domain is curated: the answer at once, and
   * nothing about the address goes on the network. */
  if (provider != NULL)
    {
      detection->provider = smtp_provider_ref (provider);
      add_provider_servers (detection, provider, SMTP_CANDIDATE_SOURCE_PROVIDERS, BASE_PROVIDERS);
      finish (detection, FALSE);
      return;
    }

  detection->bound_id = g_timeout_add (detection->timeout_ms, bound_cb, detection);

  start_srv (detection, TRUE);
  start_srv (detection, FALSE);
  start_mx (detection);
  if ((flags & SMTP_AUTOCONFIG_FLAGS_NO_ONLINE) == 0 && !detection->finished)
    start_online (detection);
  if (probing (detection) && !detection->finished)
    {
      add_guesses (detection);
      pump_probes (detection);
    }

  check_done (detection);
}

/**
 * smtp_autoconfig_detect_finish:
 * @self: an autoconfig
 * @result: the result given to the callback
 * @error: return location for a %SMTP_INPUT_ERROR (the address is not
 *   valid) or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the candidates, best first, and notes;
 *   finding nothing is not an error
 */
SmtpAutoconfigResult *
smtp_autoconfig_detect_finish (SmtpAutoconfig  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (SMTP_IS_AUTOCONFIG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object ------------------------------------------------------------------- */

static void
override_free (gpointer data)
{
  Override *override = data;

  g_free (override->host);
  g_free (override);
}

/**
 * smtp_autoconfig_add_probe_override:
 * @self: an autoconfig
 * @host: a candidate's server name
 * @port: the candidate's port
 * @connect_host: where its probe connects instead (for tests: 127.0.0.1)
 * @connect_port: the port there
 *
 * For tests: probes of @host:@port go to @connect_host:@connect_port, and
 * as soon as one override exists, candidates without one are not probed
 * at all. The certificate is checked against @connect_host.
 */
void
smtp_autoconfig_add_probe_override (SmtpAutoconfig *self,
                                    const char     *host,
                                    guint16         port,
                                    const char     *connect_host,
                                    guint16         connect_port)
{
  Override *override;

  g_return_if_fail (SMTP_IS_AUTOCONFIG (self));
  g_return_if_fail (host != NULL && connect_host != NULL);

  override = g_new0 (Override, 1);
  override->host = g_strdup (connect_host);
  override->port = connect_port;
  g_hash_table_replace (self->overrides, g_strdup_printf ("%s:%u", host, port), override);
}

void
smtp_autoconfig_set_timeout (SmtpAutoconfig *self,
                             guint           timeout_ms)
{
  g_return_if_fail (SMTP_IS_AUTOCONFIG (self));

  timeout_ms = MAX (timeout_ms, MIN_TIMEOUT_MS);
  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
smtp_autoconfig_get_timeout (SmtpAutoconfig *self)
{
  g_return_val_if_fail (SMTP_IS_AUTOCONFIG (self), 0);

  return self->timeout_ms;
}

void
smtp_autoconfig_set_resolver (SmtpAutoconfig *self,
                              GResolver      *resolver)
{
  g_return_if_fail (SMTP_IS_AUTOCONFIG (self));
  g_return_if_fail (resolver == NULL || G_IS_RESOLVER (resolver));

  if (g_set_object (&self->resolver, resolver))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESOLVER]);
}

void
smtp_autoconfig_set_ca_database (SmtpAutoconfig *self,
                                 GTlsDatabase   *database)
{
  g_return_if_fail (SMTP_IS_AUTOCONFIG (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (g_set_object (&self->ca_database, database))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_DATABASE]);
}

static void
smtp_autoconfig_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SmtpAutoconfig *self = SMTP_AUTOCONFIG (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_RESOLVER:
      g_value_set_object (value, self->resolver);
      break;

    case PROP_CA_DATABASE:
      g_value_set_object (value, self->ca_database);
      break;

    case PROP_ONLINE_BASE_URI:
      g_value_set_string (value, self->online_base_uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_autoconfig_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SmtpAutoconfig *self = SMTP_AUTOCONFIG (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      smtp_autoconfig_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_RESOLVER:
      smtp_autoconfig_set_resolver (self, g_value_get_object (value));
      break;

    case PROP_CA_DATABASE:
      smtp_autoconfig_set_ca_database (self, g_value_get_object (value));
      break;

    case PROP_ONLINE_BASE_URI:
      if (set_str (&self->online_base_uri, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
smtp_autoconfig_dispose (GObject *object)
{
  SmtpAutoconfig *self = SMTP_AUTOCONFIG (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->resolver);
  g_clear_object (&self->ca_database);

  G_OBJECT_CLASS (smtp_autoconfig_parent_class)->dispose (object);
}

static void
smtp_autoconfig_finalize (GObject *object)
{
  SmtpAutoconfig *self = SMTP_AUTOCONFIG (object);

  g_free (self->online_base_uri);
  g_hash_table_unref (self->overrides);

  G_OBJECT_CLASS (smtp_autoconfig_parent_class)->finalize (object);
}

static void
smtp_autoconfig_class_init (SmtpAutoconfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = smtp_autoconfig_get_property;
  object_class->set_property = smtp_autoconfig_set_property;
  object_class->dispose = smtp_autoconfig_dispose;
  object_class->finalize = smtp_autoconfig_finalize;

  /**
   * SmtpAutoconfig:timeout:
   *
   * The most a whole search may take, in milliseconds; lookups, probes and
   * the wait for a better answer each get a share of it.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       MIN_TIMEOUT_MS, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAutoconfig:resolver:
   *
   * The resolver for SRV and MX records; %NULL for the default one. Probes
   * and HTTPS lookups always use the default resolver.
   */
  properties[PROP_RESOLVER] =
    g_param_spec_object ("resolver", NULL, NULL,
                         G_TYPE_RESOLVER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAutoconfig:ca-database:
   *
   * Certificate authorities trusted in addition to the system's, for
   * probes and HTTPS lookups (`detect --ca-file`).
   */
  properties[PROP_CA_DATABASE] =
    g_param_spec_object ("ca-database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SmtpAutoconfig:online-base-uri:
   *
   * For tests only: instead of the real servers, ask BASE/autoconfig/DOMAIN/…,
   * BASE/well-known/DOMAIN/… and BASE/ispdb/DOMAIN. Ends with "/".
   */
  properties[PROP_ONLINE_BASE_URI] =
    g_param_spec_string ("online-base-uri", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SmtpAutoconfig::source-started:
   * @self: the autoconfig
   * @source: "providers", "srv", "mx", "autoconfig", "ispdb" or "probe"
   *
   * A source of candidates started looking.
   */
  signals[SOURCE_STARTED] =
    g_signal_new ("source-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * SmtpAutoconfig::source-finished:
   * @self: the autoconfig
   * @source: as for #SmtpAutoconfig::source-started
   * @n_found: how many candidates it found (for "probe": how many servers answered)
   *
   * A source is done, or the search ended before it answered.
   */
  signals[SOURCE_FINISHED] =
    g_signal_new ("source-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
smtp_autoconfig_init (SmtpAutoconfig *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, override_free);
}

SmtpAutoconfig *
smtp_autoconfig_new (void)
{
  return g_object_new (SMTP_TYPE_AUTOCONFIG, NULL);
}
