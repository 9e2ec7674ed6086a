/* sb-availability-server.c: the item availability web service on its own thread
 *
 * Wire format: OData v4.0 part 1 (protocol, status codes, §9.4 error bodies), part 2 (URL
 * conventions) and the JSON format v4.0 (@odata.context, "value"); RFC 7617 Basic
 * authentication; RFC 6585 429 with Retry-After.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sb-availability-error.h"
#include "sb-availability-query.h"
#include "sb-availability-server.h"

#define JSON_TYPE "application/json;odata.metadata=minimal;charset=utf-8"
/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429
#define REALM "Basic realm=\"Salesbridge item availability\", charset=\"UTF-8\""

struct _SbAvailabilityServer
{
  GObject parent_instance;

  char *db_path;
  char *user;
  char *access_key;
  char *address;
  guint port;
  char *base_path; /* starts and ends with '/' */
  SbAvailabilityClock clock;
  gpointer clock_data;

  /* Set up by start(); the thread owns everything below until it ends. */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SbAvailabilityAuth *auth;
  SbStore *store;
  SbAvailabilityCache *cache;
  char *url;
  guint bound_port;

  /* The thread's start-up result. */
  GMutex lock;
  GCond cond;
  gboolean started;
  GError *start_error;
};

G_DEFINE_FINAL_TYPE (SbAvailabilityServer, sb_availability_server, G_TYPE_OBJECT)

/* ---- Answers -----------------------------------------------------------------------------------
 */

static void
set_body (SoupServerMessage *msg, const char *type, char *text)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "OData-Version", "4.0");
  soup_server_message_set_response (msg, type, SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
send_json (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  soup_server_message_set_status (msg, status, NULL);
  set_body (msg, JSON_TYPE, json_generator_to_data (gen, NULL));
}

/* The OData error body (part 1 §9.4): {"error": {"code", "message"}}. */
static void
send_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  send_json (msg, status, b);
}

static void
send_gerror (SoupServerMessage *msg, const GError *error)
{
  if (g_error_matches (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY))
    send_error (msg, SOUP_STATUS_BAD_REQUEST, "BadRequest", error->message);
  else if (g_error_matches (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_NOT_FOUND))
    send_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", error->message);
  else
    {
      /* The store failed (locked, corrupt): say so, Sales retries later. */
      g_warning ("Item availability: %s", error->message);
      send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "InternalError", error->message);
    }
}

static const char *const edm_types[SB_AVAILABILITY_N_PROPS] = {
  "Edm.String\" MaxLength=\"20", "Edm.String\" MaxLength=\"100", "Edm.Decimal\" Scale=\"5",
  "Edm.Decimal\" Scale=\"5",     "Edm.Decimal\" Scale=\"5",      "Edm.String\" MaxLength=\"10",
};

/* CSDL XML (OData v4.0 part 3) of the one entity type and set. */
static void
send_metadata (SoupServerMessage *msg)
{
  GString *x = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                             "<edmx:Edmx Version=\"4.0\" "
                             "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n"
                             " <edmx:DataServices>\n"
                             "  <Schema Namespace=\"Salesbridge\" "
                             "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n"
                             "   <EntityType Name=\"" SB_AVAILABILITY_ENTITY_TYPE "\">\n"
                             "    <Key><PropertyRef Name=\"No\"/></Key>\n");

  for (int i = 0; i < SB_AVAILABILITY_N_PROPS; i++)
    g_string_append_printf (x, "    <Property Name=\"%s\" Type=\"%s\" Nullable=\"false\"/>\n",
                            sb_availability_prop_name (i), edm_types[i]);
  g_string_append (x, "   </EntityType>\n"
                      "   <EntityContainer Name=\"Container\">\n"
                      "    <EntitySet Name=\"" SB_AVAILABILITY_ENTITY_SET
                      "\" EntityType=\"Salesbridge." SB_AVAILABILITY_ENTITY_TYPE "\"/>\n"
                      "   </EntityContainer>\n"
                      "  </Schema>\n"
                      " </edmx:DataServices>\n"
                      "</edmx:Edmx>\n");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  set_body (msg, "application/xml;charset=utf-8", g_string_free (x, FALSE));
}

static void
send_service_document (SbAvailabilityServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *context = g_strconcat (self->url, "$metadata", NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, SB_AVAILABILITY_ENTITY_SET);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "EntitySet");
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, SB_AVAILABILITY_ENTITY_SET);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  send_json (msg, SOUP_STATUS_OK, b);
}

/* "…/$metadata#ItemAvailabilities(No,Available)" and so on (JSON format §10). */
static char *
context_url (SbAvailabilityServer *self, guint select, const char *suffix)
{
  GString *s = g_string_new (self->url);

  g_string_append (s, "$metadata#" SB_AVAILABILITY_ENTITY_SET);
  if (select != SB_AVAILABILITY_SELECT_ALL)
    {
      g_string_append_c (s, '(');
      for (int i = 0, n = 0; i < SB_AVAILABILITY_N_PROPS; i++)
        if (select & (1u << i))
          g_string_append_printf (s, "%s%s", n++ ? "," : "", sb_availability_prop_name (i));
      g_string_append_c (s, ')');
    }
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
send_collection (SbAvailabilityServer *self, SoupServerMessage *msg, GHashTable *params)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbAvailabilityQuery) q = sb_availability_query_parse (params, FALSE, &error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autofree char *context = NULL;
  gint64 count = 0;

  if (q == NULL)
    {
      send_gerror (msg, error);
      return;
    }
  rows = sb_availability_query_run (self->store, self->cache, q, &count, &error);
  if (rows == NULL)
    {
      send_gerror (msg, error);
      return;
    }
  b = json_builder_new ();
  context = context_url (self, q->select, "");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  if (q->count)
    {
      json_builder_set_member_name (b, "@odata.count");
      json_builder_add_int_value (b, count);
    }
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      json_builder_begin_object (b);
      sb_item_availability_build_json (b, rows->pdata[i], q->select);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  send_json (msg, SOUP_STATUS_OK, b);
}

static void
send_entity (SbAvailabilityServer *self, SoupServerMessage *msg, const char *key_text,
             GHashTable *params)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbAvailabilityQuery) q = sb_availability_query_parse (params, TRUE, &error);
  g_autoptr (SbItemAvailability) a = NULL;
  g_autoptr (JsonBuilder) b = NULL;
  g_autofree char *context = NULL;
  g_autofree char *no = NULL;

  if (q == NULL || (no = sb_availability_key_parse (key_text, &error)) == NULL)
    {
      send_gerror (msg, error);
      return;
    }
  a = sb_item_availability_lookup (self->store, self->cache, no, &error);
  if (a == NULL && error == NULL)
    g_set_error (&error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_NOT_FOUND,
                 _ ("There is no item %s."), no);
  if (a == NULL)
    {
      send_gerror (msg, error);
      return;
    }
  b = json_builder_new ();
  context = context_url (self, q->select, "/$entity");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  sb_item_availability_build_json (b, a, q->select);
  json_builder_end_object (b);
  send_json (msg, SOUP_STATUS_OK, b);
}

/* Authentication, then the method, then the resource: an unauthenticated client learns
 * nothing about what exists. */
static gboolean
authorize (SbAvailabilityServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  const char *client = soup_server_message_get_remote_host (msg);
  gint64 retry_after = 0;
  g_autofree char *seconds = NULL;

  switch (sb_availability_auth_check (
      self->auth, client, soup_message_headers_get_one (req, "Authorization"), &retry_after))
    {
      case SB_AVAILABILITY_AUTH_OK:
        return TRUE;
      case SB_AVAILABILITY_AUTH_LOCKED:
        seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);
        soup_message_headers_replace (resp, "Retry-After", seconds);
        send_error (msg, STATUS_TOO_MANY_REQUESTS, "TooManyRequests",
                    _ ("Too many failed sign-ins from this address. Wait until the lockout ends "
                       "(see Retry-After) and check the user name and access key."));
        return FALSE;
      case SB_AVAILABILITY_AUTH_MISSING:
      case SB_AVAILABILITY_AUTH_DENIED:
      default:
        soup_message_headers_replace (resp, "WWW-Authenticate", REALM);
        send_error (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized",
                    _ ("Sign in with the user name and access key of the item availability web "
                       "service (Basic authentication)."));
        return FALSE;
    }
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *params,
        gpointer user_data)
{
  SbAvailabilityServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *rel;
  gsize set_len = strlen (SB_AVAILABILITY_ENTITY_SET);

  if (!authorize (self, msg))
    return;
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "MethodNotAllowed",
                  _ ("The item availability web service is read-only: only GET is allowed."));
      return;
    }
  /* The path below the base path, which ends with '/'; the root without its slash too. */
  if (g_str_has_prefix (path, self->base_path))
    rel = path + strlen (self->base_path);
  else if (strlen (path) + 1 == strlen (self->base_path) &&
           strncmp (path, self->base_path, strlen (path)) == 0)
    rel = "";
  else
    rel = NULL;

  if (rel != NULL && *rel == '\0')
    send_service_document (self, msg);
  else if (rel != NULL && g_str_equal (rel, "$metadata"))
    send_metadata (msg);
  else if (rel != NULL && g_str_equal (rel, SB_AVAILABILITY_ENTITY_SET))
    send_collection (self, msg, params);
  else if (rel != NULL && strncmp (rel, SB_AVAILABILITY_ENTITY_SET, set_len) == 0 &&
           rel[set_len] == '(' && g_str_has_suffix (rel, ")"))
    {
      g_autofree char *key = g_strndup (rel + set_len + 1, strlen (rel) - set_len - 2);

      send_entity (self, msg, key, params);
    }
  else
    {
      g_autofree char *message =
          g_strdup_printf (_ ("There is no resource “%s”. This service offers %s%s."), path,
                           self->url, SB_AVAILABILITY_ENTITY_SET);

      send_error (msg, SOUP_STATUS_NOT_FOUND, "NotFound", message);
    }
}

/* ---- The thread -------------------------------------------------------------------------------
 */

static void
report_start (SbAvailabilityServer *self, GError *error)
{
  g_mutex_lock (&self->lock);
  self->started = TRUE;
  self->start_error = error;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
listen_on (SbAvailabilityServer *self, SoupServer *server, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (self->address);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GError) local_error = NULL;
  GSList *uris;

  if (inet == NULL)
    {
      g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS,
                   _ ("“%s” is not an IP address. Give the address to listen on as numbers, "
                      "for example 127.0.0.1 (this computer only) or 0.0.0.0 (every network)."),
                   self->address);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, self->port);
  if (!soup_server_listen (server, address, 0, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS,
                     _ ("Port %u on %s is in use by another program. Stop that program or "
                        "choose another port for the item availability web service."),
                     self->port, self->address);
      else
        g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS,
                     _ ("Cannot listen on %s port %u: %s"), self->address, self->port,
                     local_error->message);
      return FALSE;
    }
  uris = soup_server_get_uris (server);
  self->bound_port = uris != NULL ? (guint) g_uri_get_port (uris->data) : self->port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (strchr (self->address, ':') != NULL)
    self->url =
        g_strdup_printf ("http://[%s]:%u%s", self->address, self->bound_port, self->base_path);
  else
    self->url =
        g_strdup_printf ("http://%s:%u%s", self->address, self->bound_port, self->base_path);
  return TRUE;
}

static gpointer
server_thread (gpointer data)
{
  SbAvailabilityServer *self = data;
  g_autoptr (SoupServer) server = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);
  self->store = sb_store_open (self->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  self->cache = sb_availability_cache_new ();
  if (self->store != NULL)
    {
      server = soup_server_new ("server-header", "Salesbridge-Availability ", NULL);
      soup_server_add_handler (server, NULL, handle, self, NULL);
      if (!listen_on (self, server, &error))
        g_clear_object (&server);
    }
  if (server == NULL)
    {
      g_clear_object (&self->store);
      g_clear_pointer (&self->cache, sb_availability_cache_free);
      g_main_context_pop_thread_default (self->context);
      report_start (self, error);
      return NULL;
    }
  report_start (self, NULL);
  g_main_loop_run (self->loop);
  soup_server_disconnect (server);
  g_clear_object (&server);
  g_clear_object (&self->store);
  g_clear_pointer (&self->cache, sb_availability_cache_free);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

gboolean
sb_availability_server_start (SbAvailabilityServer *self, GError **error)
{
  GError *start_error;

  g_return_val_if_fail (SB_IS_AVAILABILITY_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);
  if (self->user == NULL || *self->user == '\0')
    {
      g_set_error_literal (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_NOT_CONFIGURED,
                           _ ("The item availability web service has no user name. Enter one "
                              "in the connection setup."));
      return FALSE;
    }
  if (self->access_key == NULL || *self->access_key == '\0')
    {
      g_set_error_literal (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_NOT_CONFIGURED,
                           _ ("The item availability web service has no access key. Set one in "
                              "the connection setup; it is kept in your keyring."));
      return FALSE;
    }
  self->auth = sb_availability_auth_new (self->user, self->access_key);
  sb_availability_auth_set_clock (self->auth, self->clock, self->clock_data);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->started = FALSE;
  self->thread = g_thread_new ("sb-availability", server_thread, self);

  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  start_error = g_steal_pointer (&self->start_error);
  g_mutex_unlock (&self->lock);
  if (start_error != NULL)
    {
      g_propagate_error (error, start_error);
      sb_availability_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
sb_availability_server_stop (SbAvailabilityServer *self)
{
  g_return_if_fail (SB_IS_AVAILABILITY_SERVER (self));
  if (self->thread == NULL)
    return;
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->auth);
  g_clear_pointer (&self->url, g_free);
  self->bound_port = 0;
}

gboolean
sb_availability_server_is_running (SbAvailabilityServer *self)
{
  g_return_val_if_fail (SB_IS_AVAILABILITY_SERVER (self), FALSE);
  return self->thread != NULL;
}

const char *
sb_availability_server_get_url (SbAvailabilityServer *self)
{
  g_return_val_if_fail (SB_IS_AVAILABILITY_SERVER (self), NULL);
  return self->url;
}

guint
sb_availability_server_get_port (SbAvailabilityServer *self)
{
  g_return_val_if_fail (SB_IS_AVAILABILITY_SERVER (self), 0);
  return self->bound_port;
}

/* ---- Object ------------------------------------------------------------------------------------
 */

static void
sb_availability_server_finalize (GObject *object)
{
  SbAvailabilityServer *self = SB_AVAILABILITY_SERVER (object);

  sb_availability_server_stop (self);
  g_free (self->db_path);
  g_free (self->user);
  if (self->access_key != NULL)
    memset (self->access_key, 0, strlen (self->access_key));
  g_free (self->access_key);
  g_free (self->address);
  g_free (self->base_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (sb_availability_server_parent_class)->finalize (object);
}

static void
sb_availability_server_class_init (SbAvailabilityServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_availability_server_finalize;
}

static void
sb_availability_server_init (SbAvailabilityServer *self)
{
  self->address = g_strdup (SB_AVAILABILITY_DEFAULT_ADDRESS);
  self->port = SB_AVAILABILITY_DEFAULT_PORT;
  self->base_path = g_strdup ("/");
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

SbAvailabilityServer *
sb_availability_server_new (const char *db_path, const char *user, const char *access_key)
{
  SbAvailabilityServer *self = g_object_new (SB_TYPE_AVAILABILITY_SERVER, NULL);

  self->db_path = g_strdup (db_path);
  self->user = g_strdup (user);
  self->access_key = g_strdup (access_key);
  return self;
}

void
sb_availability_server_set_address (SbAvailabilityServer *self, const char *address)
{
  g_return_if_fail (SB_IS_AVAILABILITY_SERVER (self));
  g_free (self->address);
  self->address =
      g_strdup (address != NULL && *address != '\0' ? address : SB_AVAILABILITY_DEFAULT_ADDRESS);
}

void
sb_availability_server_set_port (SbAvailabilityServer *self, guint port)
{
  g_return_if_fail (SB_IS_AVAILABILITY_SERVER (self));
  self->port = port;
}

void
sb_availability_server_set_base_path (SbAvailabilityServer *self, const char *path)
{
  g_return_if_fail (SB_IS_AVAILABILITY_SERVER (self));
  g_free (self->base_path);
  if (path == NULL || *path == '\0')
    path = "/";
  self->base_path =
      g_strconcat (*path == '/' ? "" : "/", path, g_str_has_suffix (path, "/") ? "" : "/", NULL);
}

void
sb_availability_server_set_clock (SbAvailabilityServer *self, SbAvailabilityClock clock,
                                  gpointer user_data)
{
  g_return_if_fail (SB_IS_AVAILABILITY_SERVER (self));
  self->clock = clock;
  self->clock_data = user_data;
}

gboolean
sb_availability_parse_url (const char *url, char **out_base_path, guint *out_port, GError **error)
{
  g_autoptr (GUri) uri = NULL;

  if (url == NULL || *url == '\0')
    {
      *out_base_path = g_strdup ("/");
      *out_port = SB_AVAILABILITY_DEFAULT_PORT;
      return TRUE;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    {
      g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS,
                   _ ("The item availability URL “%s” is not a valid http:// URL, such as "
                      "http://127.0.0.1:7048/. Correct it in the connection setup."),
                   url);
      return FALSE;
    }
  *out_base_path = g_strdup (*g_uri_get_path (uri) != '\0' ? g_uri_get_path (uri) : "/");
  *out_port =
      g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : SB_AVAILABILITY_DEFAULT_PORT;
  return TRUE;
}
