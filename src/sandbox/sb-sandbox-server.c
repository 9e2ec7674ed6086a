/* sb-sandbox-server.c: the HTTP side of salesbridge-sandbox, on its own thread.
 *
 * Requests are handled one at a time on the server thread (SQLite serialises writes anyway, and
 * a $batch of 1,000 creates takes milliseconds); injected latency pauses the message with a
 * timeout instead of sleeping, so other clients keep being served meanwhile and concurrency
 * limits can actually be reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-server.h"

#include <string.h>

#include "sb-sandbox-auth.h"
#include "sb-sandbox-faults.h"
#include "sb-sandbox-seed.h"
#include "sb-sandbox-service.h"

#define MAX_URL_LENGTH (32 * 1024)

struct _SbSandboxServer
{
  GObject parent_instance;

  /* configuration (main thread, before start) */
  char *db_path;
  gboolean seed_demo;
  guint extra_accounts;
  char *faults_spec;
  SbSandboxLimitsConfig limits_config;
  guint token_lifetime;
  guint delta_lifetime;
  gsize max_body;
  SbSandboxAuth *auth; /* clients are configured here; used on the server thread after start */

  /* server thread */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  SbSandboxStore *store;
  SbSandboxService *service;
  SbSandboxLimits *limits;
  SbSandboxFaults *faults;

  /* start handshake */
  GMutex lock;
  GCond cond;
  gboolean started;
  GError *start_error;
  char *base_url;
  guint port;
};

G_DEFINE_TYPE (SbSandboxServer, sb_sandbox_server, G_TYPE_OBJECT)

static void
sb_sandbox_server_finalize (GObject *object)
{
  SbSandboxServer *self = SB_SANDBOX_SERVER (object);

  sb_sandbox_server_stop (self);
  g_free (self->db_path);
  g_free (self->faults_spec);
  g_free (self->base_url);
  g_clear_object (&self->auth);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (sb_sandbox_server_parent_class)->finalize (object);
}

static void
sb_sandbox_server_class_init (SbSandboxServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_sandbox_server_finalize;
}

static void
sb_sandbox_server_init (SbSandboxServer *self)
{
  SbSandboxLimitsConfig defaults = SB_SANDBOX_LIMITS_DEFAULT;

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->limits_config = defaults;
  self->token_lifetime = 3599;
  self->delta_lifetime = 7 * 24 * 3600;
  self->max_body = 32 * 1024 * 1024;
  self->auth = sb_sandbox_auth_new ();
  sb_sandbox_auth_add_client (self->auth, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET,
                              "Salesbridge Integration", TRUE);
  sb_sandbox_auth_add_client (self->auth, SB_SANDBOX_SALES_CLIENT, SB_SANDBOX_DEFAULT_SECRET,
                              "Alex Morgan", FALSE);
}

SbSandboxServer *
sb_sandbox_server_new (void)
{
  return g_object_new (SB_TYPE_SANDBOX_SERVER, NULL);
}

void
sb_sandbox_server_set_db_path (SbSandboxServer *self, const char *path)
{
  g_free (self->db_path);
  self->db_path = g_strdup (path);
}

void
sb_sandbox_server_set_seed_demo (SbSandboxServer *self, gboolean seed_demo)
{
  self->seed_demo = seed_demo;
}

void
sb_sandbox_server_set_extra_accounts (SbSandboxServer *self, guint n)
{
  self->extra_accounts = n;
}

gboolean
sb_sandbox_server_set_faults (SbSandboxServer *self, const char *spec, GError **error)
{
  g_autoptr (SbSandboxFaults) faults = NULL;

  if (spec != NULL && *spec != '\0' && (faults = sb_sandbox_faults_parse (spec, error)) == NULL)
    return FALSE;
  g_free (self->faults_spec);
  self->faults_spec = spec && *spec ? g_strdup (spec) : NULL;
  return TRUE;
}

void
sb_sandbox_server_add_client (SbSandboxServer *self, const char *client_id, const char *secret,
                              const char *fullname)
{
  sb_sandbox_auth_add_client (self->auth, client_id, secret, fullname,
                              g_str_equal (client_id, SB_SANDBOX_INTEGRATION_CLIENT));
}

void
sb_sandbox_server_set_limits (SbSandboxServer *self, const SbSandboxLimitsConfig *limits)
{
  self->limits_config = *limits;
}

void
sb_sandbox_server_set_token_lifetime (SbSandboxServer *self, guint seconds)
{
  self->token_lifetime = seconds;
}

void
sb_sandbox_server_set_delta_token_lifetime (SbSandboxServer *self, guint seconds)
{
  self->delta_lifetime = seconds;
}

void
sb_sandbox_server_set_max_body (SbSandboxServer *self, gsize bytes)
{
  self->max_body = bytes;
}

const char *
sb_sandbox_server_get_base_url (SbSandboxServer *self)
{
  return self->base_url;
}

guint
sb_sandbox_server_get_port (SbSandboxServer *self)
{
  return self->port;
}

char *
sb_sandbox_server_dup_user_id (SbSandboxServer *self, const char *client_id)
{
  g_autofree char *name = g_strdup_printf ("systemuser/%s", client_id);

  return sb_sandbox_uuid_from_name (name);
}

/* ---- request handling (server thread) ---- */

static void
apply_response (SoupServerMessage *msg, SbSandboxResponse *response)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize len = 0;
  const char *data = response->body ? g_bytes_get_data (response->body, &len) : NULL;

  soup_server_message_set_status (msg, response->status, NULL);
  soup_message_headers_iter_init (&iter, response->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      soup_message_headers_append (headers, name, value);
    }
  if (data != NULL && len > 0)
    {
      const char *type = soup_message_headers_get_one (response->headers, "Content-Type");

      soup_server_message_set_response (msg, type ? type : "application/json", SOUP_MEMORY_COPY,
                                        data, len);
    }
}

static gsize
max_body_for (SbSandboxServer *self, const char *path)
{
  return g_str_has_suffix (path, "/$batch") ? self->max_body * 4 : self->max_body;
}

static SbSandboxResponse *
too_large (gsize max)
{
  return sb_sandbox_response_new_error (
      400, "0x80048d19", "The request body is too large: the limit is %" G_GSIZE_FORMAT " bytes.",
      max);
}

typedef struct
{
  SbSandboxServer *self;
  SoupServerMessage *msg;
  char *user_id;
  SbFault fault;
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->msg);
  g_free (p->user_id);
  g_free (p);
}

static void
finish_api_request (SbSandboxServer *self, SoupServerMessage *msg, const char *user_id,
                    SbFault fault)
{
  g_autoptr (SbSandboxResponse) response = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *root = strstr (raw_path, "/api/data/v9.");
  const char *rest = root ? strchr (root + strlen ("/api/data/v9."), '/') : NULL;
  gint64 start = g_get_monotonic_time ();

  switch (fault)
    {
      case SB_FAULT_429:
        response = sb_sandbox_response_new_error (429, "0x80072322",
                                                  "Number of requests exceeded the limit of 6000 "
                                                  "over time window of 300 seconds.");
        soup_message_headers_replace (response->headers, "Retry-After", "1");
        break;
      case SB_FAULT_500:
        response = sb_sandbox_response_new_error (500, "0x80040216",
                                                  "An unexpected error occurred (injected fault).");
        break;
      case SB_FAULT_503:
        response = sb_sandbox_response_new_error (503, "0x80040216",
                                                  "The service is temporarily unavailable "
                                                  "(injected fault).");
        soup_message_headers_replace (response->headers, "Retry-After", "1");
        break;
      case SB_FAULT_DROP:
        {
          GIOStream *stream = soup_server_message_steal_connection (msg);

          if (stream != NULL)
            {
              g_io_stream_close (stream, NULL, NULL);
              g_object_unref (stream);
            }
          sb_sandbox_limits_leave (self->limits, user_id, 0);
          return;
        }
      case SB_FAULT_NONE:
      default:
        {
          SoupMessageBody *body = soup_server_message_get_request_body (msg);
          g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
          g_autofree char *path = g_uri_unescape_string (rest ? rest + 1 : "", NULL);
          g_autoptr (SbSandboxRequest) request = NULL;

          if (g_bytes_get_size (bytes) > max_body_for (self, raw_path))
            response = too_large (max_body_for (self, raw_path));
          else if (path == NULL)
            response =
                sb_sandbox_response_new_error (400, "0x80060888", "The request URL is not valid.");
          else
            {
              request = sb_sandbox_request_new (
                  soup_server_message_get_method (msg), path, g_uri_get_query (uri),
                  soup_server_message_get_request_headers (msg), bytes);
              response = sb_sandbox_service_handle (self->service, user_id, request);
            }
        }
    }
  sb_sandbox_limits_leave (self->limits, user_id, g_get_monotonic_time () - start);
  apply_response (msg, response);
}

static gboolean
pending_fire (gpointer data)
{
  Pending *p = data;

  finish_api_request (p->self, p->msg, p->user_id, p->fault);
  if (p->fault != SB_FAULT_DROP)
    soup_server_message_unpause (p->msg);
  return G_SOURCE_REMOVE;
}

static void
handle_api (SbSandboxServer *self, SoupServerMessage *msg)
{
  g_autoptr (SbSandboxResponse) response = NULL;
  g_autofree char *limit_message = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *user_id;
  const char *code;
  guint retry_after = 0, latency = 0;
  SbFault fault = SB_FAULT_NONE;

  user_id = sb_sandbox_auth_check (self->auth, headers, self->base_url, &response);
  if (user_id == NULL)
    {
      apply_response (msg, response);
      return;
    }
  code = sb_sandbox_limits_enter (self->limits, user_id, g_get_monotonic_time (), &limit_message,
                                  &retry_after);
  if (code != NULL)
    {
      g_autofree char *retry = g_strdup_printf ("%u", retry_after);

      response = sb_sandbox_response_new_error (429, code, "%s", limit_message);
      soup_message_headers_replace (response->headers, "Retry-After", retry);
      apply_response (msg, response);
      return;
    }
  if (self->faults != NULL)
    fault = sb_sandbox_faults_next (self->faults, &latency);
  if (latency > 0)
    {
      Pending *p = g_new0 (Pending, 1);
      GSource *source = g_timeout_source_new (latency);

      p->self = self;
      p->msg = g_object_ref (msg);
      p->user_id = g_strdup (user_id);
      p->fault = fault;
      soup_server_message_pause (msg);
      g_source_set_callback (source, pending_fire, p, (GDestroyNotify) pending_free);
      g_source_attach (source, self->context);
      g_source_unref (source);
      return;
    }
  finish_api_request (self, msg, user_id, fault);
}

static void
server_callback (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                 gpointer user_data)
{
  SbSandboxServer *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_path = g_uri_get_path (uri);
  const char *method = soup_server_message_get_method (msg);
  g_auto (GStrv) parts = g_strsplit (raw_path, "/", -1);
  g_autoptr (SbSandboxResponse) response = NULL;
  gsize url_len = strlen (raw_path) + (g_uri_get_query (uri) ? strlen (g_uri_get_query (uri)) : 0);

  if (url_len > MAX_URL_LENGTH)
    {
      response = sb_sandbox_response_new_error (414, "0x80060888",
                                                "The request URL is longer than the limit of "
                                                "32,768 characters.");
      apply_response (msg, response);
      return;
    }
  /* /<tenant>/oauth2/v2.0/token, or the v1 /<tenant>/oauth2/token */
  if ((g_strv_length (parts) == 5 && *parts[1] != '\0' && g_str_equal (parts[2], "oauth2") &&
       g_str_equal (parts[3], "v2.0") && g_str_equal (parts[4], "token")) ||
      (g_strv_length (parts) == 4 && *parts[1] != '\0' && g_str_equal (parts[2], "oauth2") &&
       g_str_equal (parts[3], "token")))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *tenant = g_uri_unescape_string (parts[1], NULL);

      response =
          sb_sandbox_auth_token (self->auth, tenant ? tenant : parts[1], g_strv_length (parts) == 4,
                                 method, soup_server_message_get_request_headers (msg), bytes);
      apply_response (msg, response);
      return;
    }
  if (g_str_has_prefix (raw_path, "/api/data/v9.") && strchr (raw_path + 13, '/') != NULL)
    {
      handle_api (self, msg);
      return;
    }
  response = sb_sandbox_response_new_error (404, "",
                                            "No HTTP resource was found that matches "
                                            "the request URI '%s'.",
                                            raw_path);
  apply_response (msg, response);
}

/* Refuses oversized bodies from Content-Length before they are read into memory. */
static void
early_callback (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  SbSandboxServer *self = user_data;
  goffset length =
      soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));
  gsize max = max_body_for (self, path);

  if (length > 0 && (gsize) length > max)
    {
      g_autoptr (SbSandboxResponse) response = too_large (max);

      apply_response (msg, response);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
    }
}

static void
signal_started (SbSandboxServer *self, GError *error)
{
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  self->start_error = error;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
setup (SbSandboxServer *self, guint port, GError **error)
{
  g_autoptr (GSList) uris = NULL;
  GUri *uri;

  self->store = sb_sandbox_store_new (self->db_path, error);
  if (self->store == NULL)
    return FALSE;
  self->service = sb_sandbox_service_new (self->store);
  sb_sandbox_service_set_delta_lifetime (self->service, self->delta_lifetime);
  sb_sandbox_auth_set_lifetime (self->auth, self->token_lifetime);
  self->limits = sb_sandbox_limits_new (&self->limits_config);
  if (self->faults_spec != NULL &&
      (self->faults = sb_sandbox_faults_parse (self->faults_spec, error)) == NULL)
    return FALSE;
  if (!sb_sandbox_seed_base (self->service, sb_sandbox_auth_get_clients (self->auth), error))
    return FALSE;
  if (self->seed_demo && !sb_sandbox_seed_demo (self->service, error))
    return FALSE;
  if (self->extra_accounts > 0 &&
      !sb_sandbox_seed_accounts (self->service, self->extra_accounts, error))
    return FALSE;

  self->server = soup_server_new ("server-header", "salesbridge-sandbox", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  soup_server_add_early_handler (self->server, NULL, early_callback, self, NULL);
  if (!soup_server_listen_local (self->server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  uri = uris->data;
  self->port = (guint) g_uri_get_port (uri);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u/", self->port);
  sb_sandbox_service_set_base_url (self->service, self->base_url);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

typedef struct
{
  SbSandboxServer *self;
  guint port;
} StartData;

static gpointer
server_thread (gpointer data)
{
  StartData *start = data;
  SbSandboxServer *self = start->self;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);
  if (!setup (self, start->port, &error))
    {
      signal_started (self, error);
    }
  else
    {
      signal_started (self, NULL);
      g_main_loop_run (self->loop);
    }
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  /* Let pending sources (paused messages, closing connections) go before the store. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->service);
  if (self->store != NULL)
    sb_sandbox_store_close (self->store);
  g_clear_object (&self->store);
  g_clear_pointer (&self->limits, sb_sandbox_limits_free);
  g_clear_pointer (&self->faults, sb_sandbox_faults_free);
  g_main_context_pop_thread_default (self->context);
  g_free (start);
  return NULL;
}

gboolean
sb_sandbox_server_start (SbSandboxServer *self, guint port, GError **error)
{
  StartData *start;

  g_return_val_if_fail (self->thread == NULL, FALSE);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->started = FALSE;
  start = g_new0 (StartData, 1);
  start->self = self;
  start->port = port;
  self->thread = g_thread_new ("sandbox-server", server_thread, start);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      sb_sandbox_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
sb_sandbox_server_stop (SbSandboxServer *self)
{
  if (self->thread == NULL)
    return;
  /* An idle on the server context, so a stop right after start cannot slip in before the
   * loop runs and be lost. */
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}
