/* test-autoconfig.c: finding settings from DNS, autoconfig files and probes, on loopback only
 *
 * Copyright 2026 The SMTP Setup authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-autoconfig.h"
#include "smtp-error.h"
#include "smtp-test-server.h"
#include "smtp-test-util.h"

#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

static char *certs;
static GTlsDatabase *ca_database;
static SoupServer *http_server;
static char *http_base;
static guint http_requests;
static GPtrArray *paused;

/* Under valgrind everything runs ten times slower: so do the budgets. */
static guint
scaled (guint ms)
{
  const char *slow = g_getenv ("SMTP_TEST_SLOW");

  /* Valgrind is about ten times slower, the sanitizers a few times. */
  if (g_getenv ("SMTP_TEST_VALGRIND") != NULL)
    return ms * 10;
  return slow != NULL ? ms * MAX (1, atoi (slow)) : ms;
}

/* A resolver with records the tests define ----------------------------------------- */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver   parent_instance;
  GHashTable *srv;      /* rrname → GPtrArray of GSrvTarget */
  GHashTable *mx;       /* domain → GPtrArray of GVariant (qs) */
  GHashTable *hang;     /* names whose lookups never answer (until cancelled) */
  guint       lookups;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static TestResolver *resolver;

static void
test_resolver_add_srv (TestResolver *self,
                       const char   *rrname,
                       const char   *host,
                       guint16       port,
                       guint16       priority)
{
  GPtrArray *targets = g_hash_table_lookup (self->srv, rrname);

  if (targets == NULL)
    {
      targets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_srv_target_free);
      g_hash_table_insert (self->srv, g_strdup (rrname), targets);
    }
  g_ptr_array_add (targets, g_srv_target_new (host, port, priority, 0));
}

static void
test_resolver_add_mx (TestResolver *self,
                      const char   *domain,
                      const char   *host,
                      guint16       preference)
{
  GPtrArray *records = g_hash_table_lookup (self->mx, domain);

  if (records == NULL)
    {
      records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_hash_table_insert (self->mx, g_strdup (domain), records);
    }
  g_ptr_array_add (records, g_variant_ref_sink (g_variant_new ("(qs)", preference, host)));
}

static gboolean
return_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

  return G_SOURCE_REMOVE;
}

/* Answers now, or never (until cancelled) for a name in the hang table. */
static gboolean
maybe_hang (TestResolver *self,
            const char   *name,
            GTask        *task,
            GCancellable *cancellable)
{
  g_autoptr(GSource) source = NULL;

  self->lookups++;
  if (!g_hash_table_contains (self->hang, name))
    return FALSE;

  g_assert_nonnull (cancellable);
  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, G_SOURCE_FUNC (return_cancelled_cb), g_object_ref (task),
                         g_object_unref);
  g_source_attach (source, g_task_get_context (task));

  return TRUE;
}

static GList *
lookup_by_name (GResolver     *resolver_,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  if (g_str_equal (hostname, "localhost"))
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));

  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "No test address for %s", hostname);
  return NULL;
}

static GList *
lookup_by_name_with_flags (GResolver                 *resolver_,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return lookup_by_name (resolver_, hostname, cancellable, error);
}

static void
lookup_by_name_with_flags_async (GResolver                *resolver_,
                                 const char               *hostname,
                                 GResolverNameLookupFlags  flags,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver_, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = lookup_by_name (resolver_, hostname, cancellable, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
lookup_by_name_async (GResolver           *resolver_,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  lookup_by_name_with_flags_async (resolver_, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                   cancellable, callback, user_data);
}

static GList *
lookup_by_name_finish (GResolver     *resolver_,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
lookup_by_address (GResolver     *resolver_,
                   GInetAddress  *address,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No test names");
  return NULL;
}

static void
lookup_by_address_async (GResolver           *resolver_,
                         GInetAddress        *address,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver_, cancellable, callback, user_data);

  g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No test names");
}

static char *
lookup_by_address_finish (GResolver     *resolver_,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
copy_srv (GPtrArray *targets)
{
  GList *list = NULL;

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    list = g_list_append (list, g_srv_target_copy (g_ptr_array_index (targets, i)));

  return list;
}

static GList *
lookup_service (GResolver     *resolver_,
                const char    *rrname,
                GCancellable  *cancellable,
                GError       **error)
{
  GList *targets = copy_srv (g_hash_table_lookup (TEST_RESOLVER (resolver_)->srv, rrname));

  if (targets == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No test SRV for %s",
                 rrname);

  return targets;
}

static void
free_srv_list (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_srv_target_free);
}

static void
lookup_service_async (GResolver           *resolver_,
                      const char          *rrname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver_);
  g_autoptr(GTask) task = g_task_new (resolver_, cancellable, callback, user_data);
  GError *error = NULL;
  GList *targets;

  if (maybe_hang (self, rrname, task, cancellable))
    return;

  targets = lookup_service (resolver_, rrname, cancellable, &error);
  if (targets == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, targets, free_srv_list);
}

static GList *
lookup_service_finish (GResolver     *resolver_,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
lookup_records (GResolver            *resolver_,
                const char           *rrname,
                GResolverRecordType   record_type,
                GCancellable         *cancellable,
                GError              **error)
{
  GPtrArray *records = NULL;
  GList *list = NULL;

  if (record_type == G_RESOLVER_RECORD_MX)
    records = g_hash_table_lookup (TEST_RESOLVER (resolver_)->mx, rrname);

  for (guint i = 0; records != NULL && i < records->len; i++)
    list = g_list_append (list, g_variant_ref (g_ptr_array_index (records, i)));

  if (list == NULL)
    g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No test records for %s",
                 rrname);

  return list;
}

static void
free_records (gpointer list)
{
  g_list_free_full (list, (GDestroyNotify) g_variant_unref);
}

static void
lookup_records_async (GResolver           *resolver_,
                      const char          *rrname,
                      GResolverRecordType  record_type,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver_);
  g_autoptr(GTask) task = g_task_new (resolver_, cancellable, callback, user_data);
  GError *error = NULL;
  GList *records;

  if (maybe_hang (self, rrname, task, cancellable))
    return;

  records = lookup_records (resolver_, rrname, record_type, cancellable, &error);
  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, free_records);
}

static GList *
lookup_records_finish (GResolver     *resolver_,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_hash_table_unref (self->srv);
  g_hash_table_unref (self->mx);
  g_hash_table_unref (self->hang);

  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->finalize = test_resolver_finalize;
  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_by_name_finish;
  resolver_class->lookup_by_address = lookup_by_address;
  resolver_class->lookup_by_address_async = lookup_by_address_async;
  resolver_class->lookup_by_address_finish = lookup_by_address_finish;
  resolver_class->lookup_service = lookup_service;
  resolver_class->lookup_service_async = lookup_service_async;
  resolver_class->lookup_service_finish = lookup_service_finish;
  resolver_class->lookup_records = lookup_records;
  resolver_class->lookup_records_async = lookup_records_async;
  resolver_class->lookup_records_finish = lookup_records_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->srv = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  self->mx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_ptr_array_unref);
  self->hang = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Autoconfig files over HTTPS --------------------------------------------------------- */

static const char good_autoconfig[] =
  "<?xml version=\"1.0\"?>\n"
  "<clientConfig version=\"1.1\">\n"
  "  <emailProvider id=\"auto.test\">\n"
  "    <domain>auto.test</domain>\n"
  "    <incomingServer type=\"imap\">\n"
  "      <hostname>imap.auto.test</hostname><port>993</port><socketType>SSL</socketType>\n"
  "      <username>%EMAILADDRESS%</username>\n"
  "    </incomingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>plain.auto.test</hostname><port>25</port><socketType>plain</socketType>\n"
  "      <username>%EMAILADDRESS%</username>\n"
  "    </outgoingServer>\n"
  "    <outgoingServer type=\"smtp\">\n"
  "      <hostname>smtp.%EMAILDOMAIN%</hostname>\n"
  "      <port>465</port>\n"
  "      <socketType>SSL</socketType>\n"
  "      <authentication>password-cleartext</authentication>\n"
  "      <username>%EMAILLOCALPART%</username>\n"
  "    </outgoingServer>\n"
  "  </emailProvider>\n"
  "</clientConfig>\n";

static const char good_ispdb[] =
  "<clientConfig version=\"1.1\"><emailProvider id=\"ispdb.test\">"
  "<outgoingServer type=\"smtp\"><hostname>smtp.ispdb.test</hostname><port>587</port>"
  "<socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>"
  "</emailProvider></clientConfig>";

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *body = NULL;

  http_requests++;
  g_test_message ("HTTP GET %s", path);
  /* One request per connection: nothing stays open between tests. */
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "Connection", "close");

  if (g_str_has_prefix (path, "/autoconfig/auto.test/"))
    body = good_autoconfig;
  else if (g_str_has_prefix (path, "/ispdb/ispdb.test"))
    body = good_ispdb;
  else if (g_str_has_prefix (path, "/autoconfig/broken.test/"))
    body = "<clientConfig><emailProvider><outgoingServer type=\"smtp\"><hostname>smtp.bro";
  else if (g_str_has_prefix (path, "/ispdb/broken.test"))
    body = "This is not XML at all.";
  else if (g_str_has_prefix (path, "/well-known/broken.test/"))
    body = "<html><body>Not an autoconfig file</body></html>";
  else if (strstr (path, "/slow.test") != NULL)
    {
      /* Never answers: the lookup's own bound must end it. */
      soup_server_message_pause (message);
      g_ptr_array_add (paused, g_object_ref (message));
      return;
    }

  if (body == NULL)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/xml", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
start_http_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *cert = g_build_filename (certs, "server.pem", NULL);
  g_autofree char *key = g_build_filename (certs, "server.key", NULL);
  GSList *uris;

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);

  http_server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (http_server, NULL, server_cb, NULL, NULL);
  soup_server_listen_local (http_server, 0,
                            SOUP_SERVER_LISTEN_HTTPS | SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (http_server);
  g_assert_nonnull (uris);
  http_base = g_strdup_printf ("https://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

/* A port that drops connection attempts ---------------------------------------------- */

/* A listening socket with a backlog of 0 whose queue is full: the kernel
 * drops further SYNs, so a connection attempt hangs as it would towards a
 * firewalled port. Loopback only. */
typedef struct
{
  GSocket   *listener;
  GPtrArray *fillers;
  guint16    port;
} DroppedPort;

static DroppedPort *
dropped_port_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  DroppedPort *dropped = g_new0 (DroppedPort, 1);
  gboolean dropping = FALSE;

  dropped->fillers = g_ptr_array_new_with_free_func (g_object_unref);
  dropped->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (dropped->listener, 0);
  g_socket_bind (dropped->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (dropped->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (dropped->listener, &error);
  g_assert_no_error (error);
  dropped->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (guint i = 0; i < 16 && !dropping; i++)
    {
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, &error);
      g_autoptr(GError) connect_error = NULL;

      g_assert_no_error (error);
      g_socket_set_blocking (socket, FALSE);
      if (!g_socket_connect (socket, bound, NULL, &connect_error))
        {
          g_assert_error (connect_error, G_IO_ERROR, G_IO_ERROR_PENDING);
          g_clear_error (&connect_error);
          if (!g_socket_condition_timed_wait (socket, G_IO_OUT, 200 * 1000, NULL,
                                              &connect_error))
            {
              g_assert_error (connect_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
              dropping = TRUE;
            }
        }
      g_ptr_array_add (dropped->fillers, g_steal_pointer (&socket));
    }

  g_assert_true (dropping);

  return dropped;
}

static void
dropped_port_free (DroppedPort *dropped)
{
  g_ptr_array_unref (dropped->fillers);
  g_socket_close (dropped->listener, NULL);
  g_object_unref (dropped->listener);
  g_free (dropped);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DroppedPort, dropped_port_free)

/* Running a detection ---------------------------------------------------------------- */

typedef struct
{
  SmtpAutoconfig       *autoconfig;
  SmtpAutoconfigResult *result;
  GError               *error;
  gboolean              done;
  GPtrArray            *events;
  GCancellable         *cancellable;
  const char           *cancel_on;
  gint64                elapsed_ms;
} Run;

static void
source_started_cb (SmtpAutoconfig *autoconfig,
                   const char     *source,
                   gpointer        user_data)
{
  Run *run = user_data;

  g_ptr_array_add (run->events, g_strdup_printf ("%s:started", source));
  if (run->cancellable != NULL && g_strcmp0 (source, run->cancel_on) == 0)
    g_cancellable_cancel (run->cancellable);
}

static void
source_finished_cb (SmtpAutoconfig *autoconfig,
                    const char     *source,
                    guint           n_found,
                    gpointer        user_data)
{
  Run *run = user_data;

  g_ptr_array_add (run->events, g_strdup_printf ("%s:finished:%u", source, n_found));
}

static void
detect_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  run->result = smtp_autoconfig_detect_finish (SMTP_AUTOCONFIG (source), result, &run->error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer user_data)
{
  return ((Run *) user_data)->done;
}

static void
run_init (Run   *run,
          guint  timeout_ms)
{
  memset (run, 0, sizeof *run);
  run->autoconfig = g_object_new (SMTP_TYPE_AUTOCONFIG,
                                  "resolver", resolver,
                                  "ca-database", ca_database,
                                  "online-base-uri", http_base,
                                  "timeout", timeout_ms,
                                  NULL);
  run->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (run->autoconfig, "source-started", G_CALLBACK (source_started_cb), run);
  g_signal_connect (run->autoconfig, "source-finished", G_CALLBACK (source_finished_cb), run);
}

static void
run_detect (Run                 *run,
            const char          *address,
            SmtpAutoconfigFlags  flags)
{
  gint64 start = g_get_monotonic_time ();
  guint timeout = smtp_autoconfig_get_timeout (run->autoconfig);

  smtp_autoconfig_detect_async (run->autoconfig, address, flags, run->cancellable, detect_cb, run);
  /* The bound must hold: give it only a little slack for a loaded machine. */
  smtp_test_wait_until (run_done, run, timeout + scaled (1500), "the detection to end");
  run->elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_test_message ("%s: %" G_GINT64_FORMAT " ms", address, run->elapsed_ms);
  for (guint i = 0; run->result != NULL && i < run->result->candidates->len; i++)
    {
      SmtpCandidate *c = g_ptr_array_index (run->result->candidates, i);

      g_test_message ("  %d. %s:%u %s user=%s source=%s verified=%d", c->rank, c->host, c->port,
                      smtp_security_to_id (c->security), c->username,
                      smtp_candidate_source_to_id (c->source), c->verified);
    }
  for (guint i = 0; run->result != NULL && run->result->notes[i] != NULL; i++)
    g_test_message ("  note: %s", run->result->notes[i]);
}

static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
run_clear (Run *run)
{
  gpointer weak = run->autoconfig;

  /* Everything the search started winds down soon after it ended, and then
   * nothing holds the object any more. */
  g_object_add_weak_pointer (weak, &weak);
  g_clear_object (&run->autoconfig);
  smtp_test_wait_until (is_null, &weak, scaled (3000), "the autoconfig to be finalized");
  g_clear_pointer (&run->result, smtp_autoconfig_result_free);
  g_clear_error (&run->error);
  g_clear_pointer (&run->events, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
}

static SmtpCandidate *
candidate (Run   *run,
           guint  index)
{
  g_assert_nonnull (run->result);
  g_assert_cmpuint (index, <, run->result->candidates->len);

  return g_ptr_array_index (run->result->candidates, index);
}

static void
assert_candidate (const SmtpCandidate *c,
                  const char          *host,
                  guint16              port,
                  SmtpSecurity         security,
                  const char          *username,
                  SmtpCandidateSource  source)
{
  g_assert_cmpstr (c->host, ==, host);
  g_assert_cmpuint (c->port, ==, port);
  g_assert_cmpint (c->security, ==, security);
  g_assert_cmpstr (c->username, ==, username);
  g_assert_cmpstr (smtp_candidate_source_to_id (c->source), ==,
                   smtp_candidate_source_to_id (source));
}

static gboolean
has_event (Run        *run,
           const char *event)
{
  for (guint i = 0; i < run->events->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (run->events, i), event))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_note (Run        *run,
          const char *text)
{
  for (guint i = 0; run->result->notes[i] != NULL; i++)
    {
      if (strstr (run->result->notes[i], text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static SmtpTestServer *
make_server (SmtpTestSecurity security)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (certs, "server.pem", NULL);
  g_autofree char *key = g_build_filename (certs, "server.key", NULL);
  SmtpTestServer *server;

  server = smtp_test_server_new (security, cert, key, &error);
  g_assert_no_error (error);

  return server;
}

static SmtpTestServer *
make_silent_server (SmtpTestSecurity security)
{
  SmtpTestServer *server = make_server (security);

  smtp_test_server_add_rule (server, "GREETING", 0, SMTP_TEST_ACTION_SILENCE, NULL, 0);

  return server;
}

static void
stop_server (SmtpTestServer *server)
{
  smtp_test_server_stop (server);
  g_object_unref (server);
}

/* Tests ------------------------------------------------------------------------------ */

static void
test_known_provider (void)
{
  Run run;
  guint lookups = resolver->lookups, requests = http_requests;

  g_test_summary ("A domain in the built-in list is answered at once, with nothing sent "
                  "over the network, even with probes and online lookups allowed.");

  run_init (&run, scaled (3000));
  run_detect (&run, "Ada.Lovelace@GMail.com", SMTP_AUTOCONFIG_FLAGS_NONE);

  g_assert_no_error (run.error);
  g_assert_nonnull (run.result->provider);
  g_assert_cmpstr (run.result->provider->id, ==, "gmail");
  assert_candidate (candidate (&run, 0), "smtp.gmail.com", 465, SMTP_SECURITY_TLS,
                    "Ada.Lovelace@GMail.com", SMTP_CANDIDATE_SOURCE_PROVIDERS);
  assert_candidate (candidate (&run, 1), "smtp.gmail.com", 587, SMTP_SECURITY_STARTTLS,
                    "Ada.Lovelace@GMail.com", SMTP_CANDIDATE_SOURCE_PROVIDERS);
  g_assert_cmpint (candidate (&run, 0)->rank, ==, 1);
  g_assert_cmpint (candidate (&run, 1)->rank, ==, 2);
  g_assert_false (candidate (&run, 0)->probed);
  g_assert_true (has_note (&run, "app password"));
  g_assert_false (has_note (&run, "autoconfig.thunderbird.net"));
  g_assert_false (run.result->timed_out);
  g_assert_cmpuint (resolver->lookups, ==, lookups);
  g_assert_cmpuint (http_requests, ==, requests);
  g_assert_true (has_event (&run, "providers:started"));
  g_assert_true (has_event (&run, "providers:finished:2"));

  run_clear (&run);
}

static void
test_no_smtp_provider (void)
{
  Run run;

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@tutanota.com", SMTP_AUTOCONFIG_FLAGS_NO_PROBE);

  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->provider->id, ==, "tuta");
  g_assert_cmpuint (run.result->candidates->len, ==, 0);
  g_assert_true (has_note (&run, "no outgoing (SMTP) server"));
  g_assert_false (has_note (&run, "No settings were found"));

  run_clear (&run);
}

static void
test_invalid_address (void)
{
  Run run;

  run_init (&run, scaled (3000));
  run_detect (&run, "not an address", SMTP_AUTOCONFIG_FLAGS_NONE);

  g_assert_error (run.error, SMTP_INPUT_ERROR, SMTP_INPUT_ERROR_INVALID);
  g_assert_null (run.result);

  run_clear (&run);
}

static void
test_srv (void)
{
  Run run;

  g_test_summary ("SRV records give candidates, _submissions (implicit TLS) above _submission "
                  "(STARTTLS); a target of “.” means no service.");

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@srv.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                    SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);

  g_assert_no_error (run.error);
  g_assert_null (run.result->provider);
  g_assert_cmpuint (run.result->candidates->len, ==, 3);
  assert_candidate (candidate (&run, 0), "mail.srv.test", 465, SMTP_SECURITY_TLS, "ada@srv.test",
                    SMTP_CANDIDATE_SOURCE_SRV);
  assert_candidate (candidate (&run, 1), "backup.srv.test", 465, SMTP_SECURITY_TLS,
                    "ada@srv.test", SMTP_CANDIDATE_SOURCE_SRV);
  assert_candidate (candidate (&run, 2), "mail.srv.test", 587, SMTP_SECURITY_STARTTLS,
                    "ada@srv.test", SMTP_CANDIDATE_SOURCE_SRV);
  g_assert_false (run.result->timed_out);
  g_assert_true (has_event (&run, "srv:finished:3"));
  g_assert_true (has_event (&run, "mx:finished:0"));
  g_assert_false (has_event (&run, "probe:started"));
  g_assert_false (has_event (&run, "autoconfig:started"));
  g_assert_false (has_note (&run, "autoconfig.thunderbird.net"));
  run_clear (&run);

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@nosrv.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                      SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);
  g_assert_no_error (run.error);
  /* Nothing found: the usual names, marked as such. */
  g_assert_cmpuint (run.result->candidates->len, ==, 2);
  assert_candidate (candidate (&run, 0), "smtp.nosrv.test", 465, SMTP_SECURITY_TLS,
                    "ada@nosrv.test", SMTP_CANDIDATE_SOURCE_GUESS);
  assert_candidate (candidate (&run, 1), "smtp.nosrv.test", 587, SMTP_SECURITY_STARTTLS,
                    "ada@nosrv.test", SMTP_CANDIDATE_SOURCE_GUESS);
  g_assert_true (has_note (&run, "not tried"));
  run_clear (&run);
}

static void
test_mx (void)
{
  Run run;

  g_test_summary ("MX records of hosted domains name their provider (Google Workspace, "
                  "Microsoft 365) and its servers.");

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@hosted.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                       SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result->provider);
  g_assert_cmpstr (run.result->provider->id, ==, "google-workspace");
  assert_candidate (candidate (&run, 0), "smtp.gmail.com", 465, SMTP_SECURITY_TLS,
                    "ada@hosted.test", SMTP_CANDIDATE_SOURCE_MX);
  assert_candidate (candidate (&run, 1), "smtp.gmail.com", 587, SMTP_SECURITY_STARTTLS,
                    "ada@hosted.test", SMTP_CANDIDATE_SOURCE_MX);
  g_assert_true (has_note (&run, "app password"));
  g_assert_true (has_note (&run, "administrator"));
  run_clear (&run);

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@m365.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                     SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->provider->id, ==, "microsoft-365");
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  assert_candidate (candidate (&run, 0), "smtp.office365.com", 587, SMTP_SECURITY_STARTTLS,
                    "ada@m365.test", SMTP_CANDIDATE_SOURCE_MX);
  run_clear (&run);
}

static void
test_online_good (void)
{
  Run run;

  g_test_summary ("The domain's autoconfig file and the ISPDB give candidates over HTTPS; "
                  "placeholders are filled in and plain-text servers left out; the notes say "
                  "that the domain was sent.");

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@auto.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  assert_candidate (candidate (&run, 0), "smtp.auto.test", 465, SMTP_SECURITY_TLS, "ada",
                    SMTP_CANDIDATE_SOURCE_AUTOCONFIG);
  g_assert_true (has_event (&run, "autoconfig:finished:1"));
  g_assert_true (has_event (&run, "ispdb:finished:0"));
  g_assert_true (has_note (&run, "autoconfig.thunderbird.net"));
  g_assert_true (has_note (&run, "auto.test"));
  run_clear (&run);

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@ispdb.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  assert_candidate (candidate (&run, 0), "smtp.ispdb.test", 587, SMTP_SECURITY_STARTTLS,
                    "ada@ispdb.test", SMTP_CANDIDATE_SOURCE_ISPDB);
  run_clear (&run);
}

static void
test_online_broken (void)
{
  Run run;

  g_test_summary ("Broken autoconfig files are ignored; the other sources still count.");

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@broken.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  assert_candidate (candidate (&run, 0), "mail.broken.test", 587, SMTP_SECURITY_STARTTLS,
                    "ada@broken.test", SMTP_CANDIDATE_SOURCE_SRV);
  g_assert_true (has_event (&run, "autoconfig:finished:0"));
  g_assert_true (has_event (&run, "ispdb:finished:0"));
  g_assert_false (run.result->timed_out);
  run_clear (&run);
}

static void
test_online_slow (void)
{
  Run run;
  guint timeout = scaled (2000);

  g_test_summary ("A server that never answers cannot stretch the time bound.");

  run_init (&run, timeout);
  run_detect (&run, "ada@slow.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.elapsed_ms, <=, timeout + scaled (500));
  g_assert_true (has_event (&run, "autoconfig:finished:0"));
  g_assert_true (has_event (&run, "ispdb:finished:0"));
  /* Only the guesses, untried. */
  g_assert_cmpuint (run.result->candidates->len, ==, 2);
  g_assert_cmpint (candidate (&run, 0)->source, ==, SMTP_CANDIDATE_SOURCE_GUESS);
  run_clear (&run);
}

static void
test_online_off (void)
{
  Run run;
  guint requests = http_requests;

  g_test_summary ("With online lookups off, no HTTPS request is made and no note says so.");

  run_init (&run, scaled (3000));
  run_detect (&run, "ada@auto.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                     SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);
  g_assert_no_error (run.error);
  g_assert_cmpuint (http_requests, ==, requests);
  g_assert_false (has_event (&run, "autoconfig:started"));
  g_assert_false (has_event (&run, "ispdb:started"));
  g_assert_false (has_note (&run, "autoconfig.thunderbird.net"));
  run_clear (&run);
}

static void
test_dns_hangs (void)
{
  Run run;
  guint timeout = scaled (2000);

  g_test_summary ("DNS that never answers cannot stretch the time bound.");

  run_init (&run, timeout);
  run_detect (&run, "ada@hang.test", SMTP_AUTOCONFIG_FLAGS_NO_PROBE |
                                     SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.elapsed_ms, <=, timeout + scaled (500));
  g_assert_true (has_event (&run, "srv:finished:0"));
  g_assert_true (has_event (&run, "mx:finished:0"));
  run_clear (&run);
}

static void
test_probe_silent_and_answering (void)
{
  SmtpTestServer *silent = make_silent_server (SMTP_TEST_SECURITY_TLS);
  SmtpTestServer *answering = make_server (SMTP_TEST_SECURITY_STARTTLS);
  g_autoptr(DroppedPort) dropped = dropped_port_new ();
  g_autoptr(GPtrArray) commands = NULL;
  guint timeout = scaled (3000);
  SmtpCandidate *c;
  Run run;

  g_test_summary ("With the best port silent, another dropping packets and a third "
                  "answering, the answering one wins, well within the bound.");

  run_init (&run, timeout);
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.probe.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (silent));
  smtp_autoconfig_add_probe_override (run.autoconfig, "mail.probe.test", 465, "127.0.0.1",
                                      dropped->port);
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.probe.test", 587, "127.0.0.1",
                                      smtp_test_server_get_port (answering));
  run_detect (&run, "ada@probe.test", SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  c = candidate (&run, 0);
  assert_candidate (c, "smtp.probe.test", 587, SMTP_SECURITY_STARTTLS, "ada@probe.test",
                    SMTP_CANDIDATE_SOURCE_GUESS);
  g_assert_true (c->verified);
  g_assert_true (c->offers_auth);
  g_assert_cmpint (c->rank, ==, 1);
  g_assert_false (run.result->timed_out);
  g_assert_cmpint (run.elapsed_ms, <, timeout);
  g_assert_true (has_event (&run, "probe:started"));
  g_assert_true (has_event (&run, "probe:finished:1"));
  g_assert_cmpuint (smtp_test_server_get_connections (answering), >=, 1);
  /* Probes never sign in. */
  commands = smtp_test_server_get_commands (answering);
  g_assert_cmpuint (commands->len, >, 0);
  for (guint i = 0; i < commands->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (commands, i), "AUTH"));

  run_clear (&run);
  stop_server (silent);
  stop_server (answering);
}

static void
test_probe_best_wins_early (void)
{
  SmtpTestServer *best = make_server (SMTP_TEST_SECURITY_TLS);
  SmtpTestServer *silent = make_silent_server (SMTP_TEST_SECURITY_STARTTLS);
  g_autoptr(DroppedPort) dropped = dropped_port_new ();
  guint timeout = scaled (4000);
  Run run;

  g_test_summary ("When the best possible candidate answers, the search ends without "
                  "waiting for the silent and the dropping ports.");

  /* A slow greeting, so that the other probes have started by then. */
  smtp_test_server_add_rule (best, "GREETING", 0, SMTP_TEST_ACTION_REPLY,
                             "220 fast.test ESMTP\r\n", scaled (400));
  run_init (&run, timeout);
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.fast.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (best));
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.fast.test", 587, "127.0.0.1",
                                      smtp_test_server_get_port (silent));
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.fast.test", 25, "127.0.0.1",
                                      dropped->port);
  run_detect (&run, "ada@fast.test", SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 1);
  assert_candidate (candidate (&run, 0), "smtp.fast.test", 465, SMTP_SECURITY_TLS,
                    "ada@fast.test", SMTP_CANDIDATE_SOURCE_GUESS);
  g_assert_true (candidate (&run, 0)->verified);
  g_assert_false (run.result->timed_out);
  /* The silent port was being probed, yet nobody waited for it to time out
   * (one probe step). */
  g_assert_cmpuint (smtp_test_server_get_connections (silent), ==, 1);
  g_assert_cmpint (run.elapsed_ms, <, timeout * 3 / 10);

  run_clear (&run);
  stop_server (best);
  stop_server (silent);
}

static void
test_probe_srv_above_guess (void)
{
  SmtpTestServer *srv_server = make_server (SMTP_TEST_SECURITY_TLS);
  SmtpTestServer *guess_server = make_server (SMTP_TEST_SECURITY_TLS);
  Run run;

  g_test_summary ("Proven candidates keep the order of their sources: SRV above a guess.");

  run_init (&run, scaled (4000));
  smtp_autoconfig_add_probe_override (run.autoconfig, "submit.srv2.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (srv_server));
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.srv2.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (guess_server));
  run_detect (&run, "ada@srv2.test", SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);

  g_assert_no_error (run.error);
  assert_candidate (candidate (&run, 0), "submit.srv2.test", 465, SMTP_SECURITY_TLS,
                    "ada@srv2.test", SMTP_CANDIDATE_SOURCE_SRV);
  g_assert_true (candidate (&run, 0)->verified);
  g_assert_false (run.result->timed_out);

  run_clear (&run);
  stop_server (srv_server);
  stop_server (guess_server);
}

static void
test_probe_all_silent (void)
{
  SmtpTestServer *silent_tls = make_silent_server (SMTP_TEST_SECURITY_TLS);
  SmtpTestServer *silent_starttls = make_silent_server (SMTP_TEST_SECURITY_STARTTLS);
  g_autoptr(DroppedPort) dropped = dropped_port_new ();
  guint timeout = scaled (2000);
  Run run;

  g_test_summary ("When no port answers, the search still ends within the bound, with "
                  "nothing proposed.");

  run_init (&run, timeout);
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.silent.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (silent_tls));
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.silent.test", 587, "127.0.0.1",
                                      smtp_test_server_get_port (silent_starttls));
  smtp_autoconfig_add_probe_override (run.autoconfig, "mail.silent.test", 587, "127.0.0.1",
                                      dropped->port);
  run_detect (&run, "ada@silent.test", SMTP_AUTOCONFIG_FLAGS_NO_ONLINE);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.result->candidates->len, ==, 0);
  g_assert_true (has_note (&run, "No settings were found"));
  g_assert_cmpint (run.elapsed_ms, <=, timeout + scaled (500));

  run_clear (&run);
  stop_server (silent_tls);
  stop_server (silent_starttls);
}

static void
test_cancel_midway (void)
{
  SmtpTestServer *silent = make_silent_server (SMTP_TEST_SECURITY_TLS);
  guint timeout = scaled (4000);
  Run run;

  g_test_summary ("Cancelling while a probe runs ends the search at once with CANCELLED.");

  run_init (&run, timeout);
  run.cancellable = g_cancellable_new ();
  run.cancel_on = "probe";
  smtp_autoconfig_add_probe_override (run.autoconfig, "smtp.cancel.test", 465, "127.0.0.1",
                                      smtp_test_server_get_port (silent));
  run_detect (&run, "ada@cancel.test", SMTP_AUTOCONFIG_FLAGS_NONE);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);
  g_assert_cmpint (run.elapsed_ms, <, timeout * 3 / 10);

  run_clear (&run);
  stop_server (silent);
}

static void
test_cancel_before_start (void)
{
  Run run;

  run_init (&run, scaled (3000));
  run.cancellable = g_cancellable_new ();
  g_cancellable_cancel (run.cancellable);
  run_detect (&run, "ada@example.test", SMTP_AUTOCONFIG_FLAGS_NONE);

  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.result);

  run_clear (&run);
}

static void
test_parse_config (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  SmtpCandidate *c;

  g_test_summary ("The autoconfig reader keeps SMTP servers with TLS, fills placeholders and "
                  "refuses what is not an autoconfig file.");

  candidates = smtp_autoconfig_parse_config (good_autoconfig, -1, "jörg@auto.test",
                                             SMTP_CANDIDATE_SOURCE_AUTOCONFIG, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 1);
  c = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (c->host, ==, "smtp.auto.test");
  g_assert_cmpuint (c->port, ==, 465);
  g_assert_cmpint (c->security, ==, SMTP_SECURITY_TLS);
  g_assert_cmpstr (c->username, ==, "jörg");
  g_clear_pointer (&candidates, g_ptr_array_unref);

  candidates = smtp_autoconfig_parse_config ("<html/>", -1, "ada@x.test",
                                             SMTP_CANDIDATE_SOURCE_ISPDB, &error);
  g_assert_null (candidates);
  g_assert_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT);
  g_clear_error (&error);

  candidates = smtp_autoconfig_parse_config ("<clientConfig><outgoingServer", -1, "ada@x.test",
                                             SMTP_CANDIDATE_SOURCE_ISPDB, &error);
  g_assert_null (candidates);
  g_assert_nonnull (error);
  g_clear_error (&error);

  candidates = smtp_autoconfig_parse_config ("<clientConfig><emailProvider>"
                                             "<outgoingServer type=\"smtp\">"
                                             "<hostname>bad host</hostname><port>25</port>"
                                             "<socketType>STARTTLS</socketType>"
                                             "</outgoingServer>"
                                             "<outgoingServer type=\"smtp\">"
                                             "<hostname>smtp.x.test</hostname><port>99999</port>"
                                             "<socketType>STARTTLS</socketType>"
                                             "</outgoingServer>"
                                             "<outgoingServer type=\"smtp\">"
                                             "<hostname>smtp.x.test</hostname><port>587</port>"
                                             "<socketType>STARTTLS</socketType>"
                                             "<username>%REALNAME%</username>"
                                             "</outgoingServer>"
                                             "</emailProvider></clientConfig>", -1,
                                             "ada@x.test", SMTP_CANDIDATE_SOURCE_ISPDB, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 1);
  c = g_ptr_array_index (candidates, 0);
  g_assert_cmpstr (c->host, ==, "smtp.x.test");
  g_assert_cmpuint (c->port, ==, 587);
  g_assert_cmpstr (c->username, ==, "ada@x.test");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *ca = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_bug ("6");

  certs = smtp_test_make_certs ();
  ca = g_build_filename (certs, "ca.pem", NULL);
  ca_database = g_tls_file_database_new (ca, &error);
  g_assert_no_error (error);

  /* Every name lookup of this process goes to the test resolver: nothing
   * leaves the machine. */
  resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_resolver_set_default (G_RESOLVER (resolver));
  test_resolver_add_srv (resolver, "_submissions._tcp.srv.test", "mail.srv.test", 465, 0);
  test_resolver_add_srv (resolver, "_submissions._tcp.srv.test", "backup.srv.test", 465, 10);
  test_resolver_add_srv (resolver, "_submission._tcp.srv.test", "mail.srv.test", 587, 0);
  test_resolver_add_srv (resolver, "_submissions._tcp.nosrv.test", ".", 0, 0);
  test_resolver_add_srv (resolver, "_submission._tcp.broken.test", "mail.broken.test", 587, 0);
  test_resolver_add_srv (resolver, "_submissions._tcp.srv2.test", "submit.srv2.test", 465, 0);
  test_resolver_add_mx (resolver, "hosted.test", "alt1.aspmx.l.google.com", 20);
  test_resolver_add_mx (resolver, "hosted.test", "mx.other.test", 30);
  test_resolver_add_mx (resolver, "hosted.test", "aspmx.l.google.com", 10);
  test_resolver_add_mx (resolver, "m365.test", "m365-test.mail.protection.outlook.com", 0);
  g_hash_table_add (resolver->hang, g_strdup ("_submissions._tcp.hang.test"));
  g_hash_table_add (resolver->hang, g_strdup ("_submission._tcp.hang.test"));
  g_hash_table_add (resolver->hang, g_strdup ("hang.test"));

  paused = g_ptr_array_new_with_free_func (g_object_unref);
  start_http_server ();

  g_test_add_func ("/autoconfig/providers/known", test_known_provider);
  g_test_add_func ("/autoconfig/providers/no-smtp", test_no_smtp_provider);
  g_test_add_func ("/autoconfig/invalid-address", test_invalid_address);
  g_test_add_func ("/autoconfig/parse-config", test_parse_config);
  g_test_add_func ("/autoconfig/dns/srv", test_srv);
  g_test_add_func ("/autoconfig/dns/mx", test_mx);
  g_test_add_func ("/autoconfig/dns/hangs", test_dns_hangs);
  g_test_add_func ("/autoconfig/online/good", test_online_good);
  g_test_add_func ("/autoconfig/online/broken", test_online_broken);
  g_test_add_func ("/autoconfig/online/slow", test_online_slow);
  g_test_add_func ("/autoconfig/online/off", test_online_off);
  g_test_add_func ("/autoconfig/probe/silent-and-answering", test_probe_silent_and_answering);
  g_test_add_func ("/autoconfig/probe/best-wins-early", test_probe_best_wins_early);
  g_test_add_func ("/autoconfig/probe/srv-above-guess", test_probe_srv_above_guess);
  g_test_add_func ("/autoconfig/probe/all-silent", test_probe_all_silent);
  g_test_add_func ("/autoconfig/cancel/midway", test_cancel_midway);
  g_test_add_func ("/autoconfig/cancel/before-start", test_cancel_before_start);

  status = g_test_run ();

  /* Let the server finish what it holds, so that nothing leaks. */
  for (guint i = 0; i < paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (paused, i);

      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_unpause (message);
    }
  g_clear_pointer (&paused, g_ptr_array_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (http_server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&http_server);
  g_clear_object (&ca_database);
  g_free (http_base);
  g_free (certs);

  return status;
}
