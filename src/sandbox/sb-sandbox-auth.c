/* sb-sandbox-auth.c: the sandbox's token endpoint and bearer token checks.
 *
 * Error texts follow what Microsoft Entra ID answers to the client credentials grant (AADSTS
 * codes), since clients show them to users and some match on the AADSTS number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-auth.h"

#include <string.h>

typedef struct
{
  char *user_id;
  char *client_id;
  gint64 expires; /* g_get_real_time () µs */
} Token;

struct _SbSandboxAuth
{
  GObject parent_instance;

  GPtrArray *clients; /* SbSandboxClient* */
  GHashTable *tokens; /* access token → Token* */
  gint64 lifetime;
};

G_DEFINE_TYPE (SbSandboxAuth, sb_sandbox_auth, G_TYPE_OBJECT)

static void
client_free (gpointer data)
{
  SbSandboxClient *c = data;

  g_free (c->id);
  g_free (c->secret);
  g_free (c->fullname);
  g_free (c->user_id);
  g_free (c);
}

static void
token_free (gpointer data)
{
  Token *t = data;

  g_free (t->user_id);
  g_free (t->client_id);
  g_free (t);
}

static void
sb_sandbox_auth_finalize (GObject *object)
{
  SbSandboxAuth *self = SB_SANDBOX_AUTH (object);

  g_ptr_array_unref (self->clients);
  g_hash_table_unref (self->tokens);
  G_OBJECT_CLASS (sb_sandbox_auth_parent_class)->finalize (object);
}

static void
sb_sandbox_auth_class_init (SbSandboxAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_sandbox_auth_finalize;
}

static void
sb_sandbox_auth_init (SbSandboxAuth *self)
{
  self->clients = g_ptr_array_new_with_free_func (client_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);
  self->lifetime = 3599;
}

SbSandboxAuth *
sb_sandbox_auth_new (void)
{
  return g_object_new (SB_TYPE_SANDBOX_AUTH, NULL);
}

void
sb_sandbox_auth_set_lifetime (SbSandboxAuth *self, gint64 seconds)
{
  self->lifetime = MAX (seconds, 1);
}

void
sb_sandbox_auth_add_client (SbSandboxAuth *self, const char *id, const char *secret,
                            const char *fullname, gboolean integration)
{
  SbSandboxClient *c = g_new0 (SbSandboxClient, 1);
  g_autofree char *name = g_strdup_printf ("systemuser/%s", id);

  c->id = g_strdup (id);
  c->secret = g_strdup (secret);
  c->fullname = g_strdup (fullname);
  c->user_id = sb_sandbox_uuid_from_name (name);
  c->integration = integration;
  /* A later --client with the same id replaces the default one. */
  for (guint i = 0; i < self->clients->len; i++)
    if (g_str_equal (((SbSandboxClient *) g_ptr_array_index (self->clients, i))->id, id))
      {
        g_ptr_array_remove_index (self->clients, i);
        break;
      }
  g_ptr_array_add (self->clients, c);
}

GPtrArray *
sb_sandbox_auth_get_clients (SbSandboxAuth *self)
{
  return self->clients;
}

static SbSandboxResponse *aad_error (guint status, const char *error, guint aadsts,
                                     const char *format, ...) G_GNUC_PRINTF (4, 5);

static SbSandboxResponse *
aad_error (guint status, const char *error, guint aadsts, const char *format, ...)
{
  SbSandboxResponse *response = sb_sandbox_response_new (status);
  g_autoptr (JsonObject) obj = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%SZ");
  g_autofree char *trace = g_uuid_string_random ();
  g_autofree char *correlation = g_uuid_string_random ();
  g_autofree char *detail = NULL;
  g_autofree char *description = NULL;
  JsonArray *codes = json_array_new ();
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  description = g_strdup_printf ("AADSTS%u: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
                                 aadsts, detail, trace, correlation, stamp);
  json_object_set_string_member (obj, "error", error);
  json_object_set_string_member (obj, "error_description", description);
  json_array_add_int_element (codes, aadsts);
  json_object_set_array_member (obj, "error_codes", codes);
  json_object_set_string_member (obj, "timestamp", stamp);
  json_object_set_string_member (obj, "trace_id", trace);
  json_object_set_string_member (obj, "correlation_id", correlation);
  json_object_set_string_member (obj, "error_uri", "https://login.microsoftonline.com/error?code=");
  node = json_node_init_object (json_node_alloc (), obj);
  sb_sandbox_response_set_json (response, node);
  soup_message_headers_replace (response->headers, "Content-Type",
                                "application/json; charset=utf-8");
  soup_message_headers_remove (response->headers, "OData-Version");
  return response;
}

static char *
base64url (const char *text)
{
  char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
  char *end;

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  end = strchr (b64, '=');
  if (end != NULL)
    *end = '\0';
  return b64;
}

/* JWT-shaped (unsigned) so that clients which peek at "exp" find it; the sandbox itself only
 * looks the token up in its table. */
static char *
make_token (SbSandboxAuth *self, SbSandboxClient *client, const char *tenant, gint64 expires)
{
  g_autofree char *header = base64url ("{\"typ\":\"JWT\",\"alg\":\"none\"}");
  g_autofree char *nonce = g_uuid_string_random ();
  g_autofree char *payload_json =
      g_strdup_printf ("{\"aud\":\"salesbridge-sandbox\",\"iss\":\"https://sts.windows.net/%s/"
                       "\",\"iat\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT
                       ",\"appid\":\"%s\",\"oid\":\"%s\",\"tid\":\"%s\","
                       "\"jti\":\"%s\"}",
                       tenant, g_get_real_time () / G_USEC_PER_SEC, expires / G_USEC_PER_SEC,
                       client->id, client->user_id, tenant, nonce);
  g_autofree char *payload = base64url (payload_json);
  g_autofree char *sig = g_compute_checksum_for_string (G_CHECKSUM_SHA256, nonce, -1);

  return g_strdup_printf ("%s.%s.%s", header, payload, sig);
}

SbSandboxResponse *
sb_sandbox_auth_token (SbSandboxAuth *self, const char *tenant, gboolean v1, const char *method,
                       SoupMessageHeaders *headers, GBytes *body)
{
  g_autoptr (GHashTable) form = NULL;
  g_autofree char *text = NULL;
  g_autofree char *basic_id = NULL;
  g_autofree char *basic_secret = NULL;
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *grant, *client_id, *secret, *scope;
  SbSandboxClient *client = NULL;
  SbSandboxResponse *response;
  g_autoptr (JsonObject) obj = NULL;
  g_autoptr (JsonNode) node = NULL;
  Token *token;
  char *access;
  gint64 expires;
  gsize len = 0;
  const char *data;

  if (!g_str_equal (method, "POST"))
    return aad_error (405, "invalid_request", 900561,
                      "The endpoint only accepts POST, OPTIONS requests. Received a %s request.",
                      method);
  data = body ? g_bytes_get_data (body, &len) : NULL;
  text = g_strndup (data ? data : "", len);
  form = soup_form_decode (text);
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Basic ", 6) == 0)
    {
      gsize raw_len = 0;
      g_autofree guchar *raw = g_base64_decode (authorization + 6, &raw_len);
      g_autofree char *pair = g_strndup ((const char *) raw, raw_len);
      char *colon = strchr (pair, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          basic_id = g_uri_unescape_string (pair, NULL);
          basic_secret = g_uri_unescape_string (colon + 1, NULL);
        }
    }
  grant = g_hash_table_lookup (form, "grant_type");
  client_id = g_hash_table_lookup (form, "client_id");
  secret = g_hash_table_lookup (form, "client_secret");
  scope = g_hash_table_lookup (form, "scope");
  if (client_id == NULL)
    client_id = basic_id;
  if (secret == NULL)
    secret = basic_secret;

  if (grant == NULL)
    return aad_error (400, "invalid_request", 900144,
                      "The request body must contain the following parameter: 'grant_type'.");
  if (!g_str_equal (grant, "client_credentials"))
    return aad_error (400, "unsupported_grant_type", 70003,
                      "The app requested an unsupported grant type '%s'.", grant);
  if (client_id == NULL || *client_id == '\0')
    return aad_error (400, "invalid_request", 900144,
                      "The request body must contain the following parameter: 'client_id'.");
  /* The v1 endpoint (ADAL-era clients) names the resource instead of a scope. */
  if (v1)
    {
      scope = g_hash_table_lookup (form, "resource");
      if (scope == NULL || *scope == '\0')
        return aad_error (400, "invalid_request", 900144,
                          "The request body must contain the following parameter: 'resource'.");
    }
  else if (scope == NULL || *scope == '\0')
    return aad_error (400, "invalid_request", 900144,
                      "The request body must contain the following parameter: 'scope'.");
  if (!v1 && !g_str_has_suffix (scope, "/.default"))
    return aad_error (400, "invalid_scope", 1002012,
                      "The provided value for scope %s is not valid. Client credential flows "
                      "must have a scope value with /.default suffixed to the resource "
                      "identifier (application ID URI).",
                      scope);
  for (guint i = 0; i < self->clients->len; i++)
    {
      SbSandboxClient *c = g_ptr_array_index (self->clients, i);

      if (g_str_equal (c->id, client_id))
        client = c;
    }
  if (client == NULL)
    return aad_error (400, "unauthorized_client", 700016,
                      "Application with identifier '%s' was not found in the directory '%s'. "
                      "This can happen if the application has not been installed by the "
                      "administrator of the tenant or consented to by any user in the tenant. "
                      "You may have sent your authentication request to the wrong tenant.",
                      client_id, tenant);
  if (secret == NULL || *secret == '\0')
    return aad_error (401, "invalid_client", 7000216,
                      "'client_assertion', 'client_secret' or 'request' is required for the "
                      "'client_credentials' grant type.");
  if (!g_str_equal (secret, client->secret))
    return aad_error (401, "invalid_client", 7000215,
                      "Invalid client secret provided. Ensure the secret being sent in the "
                      "request is the client secret value, not the client secret ID, for a "
                      "secret added to app '%s'.",
                      client->id);

  /* Forget expired tokens now and then so the table stays small. */
  if (g_hash_table_size (self->tokens) > 1024)
    {
      GHashTableIter iter;
      gpointer value;
      gint64 now = g_get_real_time ();

      g_hash_table_iter_init (&iter, self->tokens);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Token *) value)->expires < now)
          g_hash_table_iter_remove (&iter);
    }
  expires = g_get_real_time () + self->lifetime * G_USEC_PER_SEC;
  access = make_token (self, client, tenant, expires);
  token = g_new0 (Token, 1);
  token->user_id = g_strdup (client->user_id);
  token->client_id = g_strdup (client->id);
  token->expires = expires;
  g_hash_table_insert (self->tokens, g_strdup (access), token);

  obj = json_object_new ();
  json_object_set_string_member (obj, "token_type", "Bearer");
  if (v1)
    {
      /* v1 answers with numbers as strings, plus the validity window and the resource. */
      g_autofree char *lifetime = g_strdup_printf ("%" G_GINT64_FORMAT, self->lifetime);
      g_autofree char *now =
          g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *on = g_strdup_printf ("%" G_GINT64_FORMAT, expires / G_USEC_PER_SEC);

      json_object_set_string_member (obj, "expires_in", lifetime);
      json_object_set_string_member (obj, "ext_expires_in", lifetime);
      json_object_set_string_member (obj, "expires_on", on);
      json_object_set_string_member (obj, "not_before", now);
      json_object_set_string_member (obj, "resource", scope);
    }
  else
    {
      json_object_set_int_member (obj, "expires_in", self->lifetime);
      json_object_set_int_member (obj, "ext_expires_in", self->lifetime);
    }
  json_object_set_string_member (obj, "access_token", access);
  g_free (access);
  node = json_node_init_object (json_node_alloc (), obj);
  response = sb_sandbox_response_new (200);
  sb_sandbox_response_set_json (response, node);
  soup_message_headers_replace (response->headers, "Content-Type",
                                "application/json; charset=utf-8");
  soup_message_headers_replace (response->headers, "Cache-Control", "no-store, no-cache");
  soup_message_headers_remove (response->headers, "OData-Version");
  return response;
}

static SbSandboxResponse *
unauthorized (const char *base_url, const char *error, const char *message)
{
  SbSandboxResponse *response = sb_sandbox_response_new_error (401, "0x8005F101", "%s", message);
  g_autofree char *value = NULL;

  if (error != NULL)
    value = g_strdup_printf ("Bearer error=\"%s\", error_description=\"%s\", "
                             "authorization_uri=%scommon/oauth2/authorize, resource_id=%s",
                             error, message, base_url, base_url);
  else
    value = g_strdup_printf ("Bearer authorization_uri=%scommon/oauth2/authorize, resource_id=%s",
                             base_url, base_url);
  soup_message_headers_replace (response->headers, "WWW-Authenticate", value);
  return response;
}

const char *
sb_sandbox_auth_check (SbSandboxAuth *self, SoupMessageHeaders *headers, const char *base_url,
                       SbSandboxResponse **out_response)
{
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  Token *token;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      *out_response = unauthorized (base_url, NULL,
                                    "The request requires a bearer token in the Authorization "
                                    "header.");
      return NULL;
    }
  token = g_hash_table_lookup (self->tokens, authorization + 7);
  if (token == NULL)
    {
      *out_response = unauthorized (base_url, "invalid_token", "The access token is invalid.");
      return NULL;
    }
  if (token->expires <= g_get_real_time ())
    {
      *out_response = unauthorized (base_url, "invalid_token", "The access token has expired.");
      return NULL;
    }
  return token->user_id;
}
