/* sb-dataverse-connection.c: configuration, URL checks and the OAuth 2.0 token.
 *
 * The token follows the client credentials grant of the Microsoft identity platform
 * (dataverse-web-api.md, "Identity and auth"): POST <authority><tenant>/oauth2/v2.0/token with
 * client_id, client_secret, scope=<environment URL>/.default and grant_type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"

/* Refresh this long before the token expires, so that no request goes out with a token that
 * expires on the way (Microsoft's tokens live 60-90 minutes). */
#define REFRESH_MARGIN_US (5 * 60 * G_USEC_PER_SEC)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_API_VERSION,
  PROP_AUTHORITY,
  PROP_TENANT,
  PROP_CLIENT_ID,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (SbDataverseConnection, sb_dataverse_connection, G_TYPE_OBJECT)

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Parses and checks a URL the user typed. @what names it in messages. */
static GUri *
parse_url (const char *url, const char *what, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (url != NULL ? url : ""));
  g_autoptr (GUri) uri = NULL;
  const char *scheme, *host;

  if (*text == '\0')
    {
      sb_dataverse_error_set (
          error, SB_DATAVERSE_ERROR_INVALID_URL, 0, NULL,
          _ ("Enter a web address, such as https://contoso.crm4.dynamics.com/."));
      return NULL;
    }
  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("“%s” is not a valid web address for %s. It should look like "
                              "https://contoso.crm4.dynamics.com/."),
                           text, what);

      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_INVALID_URL, 0, NULL, message);
      return NULL;
    }
  /* Plain http would send the client secret and the token unencrypted; only a server on this
   * computer (the sandbox, a test) may use it. */
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The address for %s must start with https:// — with http:// your "
                              "credentials would travel unencrypted. Only a server on this "
                              "computer may use http://."),
                           what);

      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_INVALID_URL, 0, NULL, message);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_INVALID_URL, 0, NULL,
                              _ ("The web address must not contain a user name or password."));
      return NULL;
    }
  return g_steal_pointer (&uri);
}

gboolean
sb_dataverse_check_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = parse_url (url, _ ("the Dynamics 365 environment"), error);

  return uri != NULL;
}

/* "scheme://host[:port]/path/" with the path cut before "/api/data/" (people paste the Web API
 * endpoint from the developer resources page) and ending in "/". */
static char *
normalize (GUri *uri, gboolean strip_api)
{
  g_autofree char *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  char *api;
  int port;

  if (strip_api && (api = strstr (path, "/api/data")) != NULL)
    *api = '\0';
  if (!g_str_has_suffix (path, "/"))
    {
      char *slashed = g_strconcat (path, "/", NULL);

      g_free (path);
      path = slashed;
    }
  /* The default port is left out: the token scope is "<this URL>/.default" and Entra ID knows
   * the resource as https://org.crm4.dynamics.com, not https://org.crm4.dynamics.com:443. */
  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    port = -1;
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path, NULL, NULL);
}

static void
configure (SbDataverseConnection *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) authority = NULL;

  g_clear_error (&self->config_error);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  self->base_uri = parse_url (self->base_url, _ ("the Dynamics 365 environment"), &error);
  if (self->base_uri != NULL)
    {
      g_autofree char *normal = normalize (self->base_uri, TRUE);

      g_uri_unref (self->base_uri);
      self->base_uri = g_uri_parse (normal, SOUP_HTTP_URI_FLAGS, NULL);
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normal);
    }
  else
    {
      g_propagate_error (&self->config_error, g_steal_pointer (&error));
    }
  g_free (self->api_url);
  self->api_url =
      g_strdup_printf ("%sapi/data/v%s/", self->base_url ? self->base_url : "", self->api_version);

  authority = parse_url (self->authority, _ ("the sign-in authority"), &error);
  if (authority != NULL)
    {
      g_free (self->authority);
      self->authority = normalize (authority, FALSE);
    }
  else if (self->config_error == NULL)
    {
      g_propagate_error (&self->config_error, g_steal_pointer (&error));
    }
}

static void
sb_dataverse_connection_constructed (GObject *object)
{
  SbDataverseConnection *self = SB_DATAVERSE_CONNECTION (object);

  G_OBJECT_CLASS (sb_dataverse_connection_parent_class)->constructed (object);
  if (self->api_version == NULL || *self->api_version == '\0')
    {
      g_free (self->api_version);
      self->api_version = g_strdup (SB_DATAVERSE_DEFAULT_API_VERSION);
    }
  /* Never NULL, so that the sign-in can say which one is missing. */
  if (self->tenant == NULL)
    self->tenant = g_strdup ("");
  if (self->client_id == NULL)
    self->client_id = g_strdup ("");
  if (self->authority == NULL || *self->authority == '\0')
    {
      g_free (self->authority);
      self->authority = g_strdup (SB_DATAVERSE_DEFAULT_AUTHORITY);
    }
  configure (self);

  /* One session for every request. libsoup verifies TLS certificates against the system's
   * trust store by default; nothing here ever accepts a certificate it refused. Several
   * connections per host let the sync engine overlap requests (Dataverse allows 52 concurrent
   * ones per user). The session is configured here, before any request, because only sending
   * is safe from several threads (libsoup 3.2 "Client thread safety"). */
  self->session =
      soup_session_new_with_options ("timeout", 300, "idle-timeout", 60, "max-conns-per-host", 8,
                                     "user-agent", "Salesbridge/" PACKAGE_VERSION " ", NULL);
}

static void
sb_dataverse_connection_finalize (GObject *object)
{
  SbDataverseConnection *self = SB_DATAVERSE_CONNECTION (object);

  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->api_url);
  g_free (self->api_version);
  g_free (self->authority);
  g_free (self->tenant);
  g_free (self->client_id);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_error (&self->config_error);
  if (self->secret != NULL)
    {
      /* Do not leave the secret in freed memory. */
      memset (self->secret, 0, strlen (self->secret));
      g_free (self->secret);
    }
  g_free (self->token);
  g_clear_error (&self->refresh_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (sb_dataverse_connection_parent_class)->finalize (object);
}

static void
sb_dataverse_connection_get_property (GObject *object, guint prop_id, GValue *value,
                                      GParamSpec *pspec)
{
  SbDataverseConnection *self = SB_DATAVERSE_CONNECTION (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;
      case PROP_API_VERSION:
        g_value_set_string (value, self->api_version);
        break;
      case PROP_AUTHORITY:
        g_value_set_string (value, self->authority);
        break;
      case PROP_TENANT:
        g_value_set_string (value, self->tenant);
        break;
      case PROP_CLIENT_ID:
        g_value_set_string (value, self->client_id);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_dataverse_connection_set_property (GObject *object, guint prop_id, const GValue *value,
                                      GParamSpec *pspec)
{
  SbDataverseConnection *self = SB_DATAVERSE_CONNECTION (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_free (self->base_url);
        self->base_url = g_value_dup_string (value);
        break;
      case PROP_API_VERSION:
        g_free (self->api_version);
        self->api_version = g_value_dup_string (value);
        break;
      case PROP_AUTHORITY:
        g_free (self->authority);
        self->authority = g_value_dup_string (value);
        break;
      case PROP_TENANT:
        g_free (self->tenant);
        self->tenant = g_strstrip (g_value_dup_string (value) ?: g_strdup (""));
        break;
      case PROP_CLIENT_ID:
        g_free (self->client_id);
        self->client_id = g_strstrip (g_value_dup_string (value) ?: g_strdup (""));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_dataverse_connection_class_init (SbDataverseConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags =
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = sb_dataverse_connection_constructed;
  object_class->finalize = sb_dataverse_connection_finalize;
  object_class->get_property = sb_dataverse_connection_get_property;
  object_class->set_property = sb_dataverse_connection_set_property;

  /* Construct-only: worker threads read the configuration without locks. */
  props[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, flags);
  props[PROP_API_VERSION] =
      g_param_spec_string ("api-version", NULL, NULL, SB_DATAVERSE_DEFAULT_API_VERSION, flags);
  props[PROP_AUTHORITY] =
      g_param_spec_string ("authority", NULL, NULL, SB_DATAVERSE_DEFAULT_AUTHORITY, flags);
  props[PROP_TENANT] = g_param_spec_string ("tenant", NULL, NULL, NULL, flags);
  props[PROP_CLIENT_ID] = g_param_spec_string ("client-id", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sb_dataverse_connection_init (SbDataverseConnection *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->max_attempts = 6;
  self->base_delay_ms = 1000;
  self->max_delay_ms = 60000;
  self->max_wait_ms = 300000;
}

SbDataverseConnection *
sb_dataverse_connection_new (const char *base_url, const char *tenant, const char *client_id,
                             GError **error)
{
  g_autoptr (SbDataverseConnection) self = NULL;

  self = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "tenant", tenant,
                       "client-id", client_id, NULL);
  if (!sb_dataverse_connection_check (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
sb_dataverse_connection_check (SbDataverseConnection *self, GError **error)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  if (self->config_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->config_error));
      return FALSE;
    }
  return TRUE;
}

const char *
sb_dataverse_connection_get_base_url (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->base_url;
}

const char *
sb_dataverse_connection_get_api_url (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->api_url;
}

const char *
sb_dataverse_connection_get_api_version (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->api_version;
}

const char *
sb_dataverse_connection_get_authority (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->authority;
}

const char *
sb_dataverse_connection_get_tenant (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->tenant;
}

const char *
sb_dataverse_connection_get_client_id (SbDataverseConnection *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  return self->client_id;
}

void
sb_dataverse_connection_set_client_secret (SbDataverseConnection *self, const char *secret)
{
  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_mutex_lock (&self->lock);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  self->secret = g_strdup (secret);
  g_clear_pointer (&self->token, g_free);
  g_clear_error (&self->refresh_error);
  g_mutex_unlock (&self->lock);
}

void
sb_dataverse_connection_set_retry_policy (SbDataverseConnection *self, guint max_attempts,
                                          guint base_delay_ms, guint max_delay_ms,
                                          guint max_wait_ms)
{
  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
  self->max_wait_ms = max_wait_ms;
}

guint64
sb_dataverse_connection_get_n_sent (SbDataverseConnection *self)
{
  guint64 n;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_sent;
  g_mutex_unlock (&self->lock);
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Token                                                                                       */

/* The first sentence of an Entra ID error_description, without the "Trace ID: … Correlation
 * ID: … Timestamp: …" tail users cannot act on. */
static char *
describe_aad_error (const char *description)
{
  g_autofree char *text = g_strdup (description);
  char *tail;

  if ((tail = strstr (text, "\r\n")) != NULL || (tail = strstr (text, " Trace ID:")) != NULL)
    *tail = '\0';
  return g_strstrip (g_steal_pointer (&text));
}

static char *
fetch_token (SbDataverseConnection *self, const char *secret, gint64 *out_lifetime_us,
             GCancellable *cancellable, GError **error)
{
  g_autofree char *tenant = g_uri_escape_string (self->tenant, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s%s/oauth2/v2.0/token", self->authority, tenant);
  g_autofree char *resource = g_strndup (self->base_url, strlen (self->base_url) - 1);
  g_autofree char *scope = g_strconcat (resource, "/.default", NULL);
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object;
  const char *token;
  gint64 lifetime;
  guint status;

  if (*self->tenant == '\0' || *self->client_id == '\0' || secret == NULL || *secret == '\0')
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_AUTH, 0, NULL,
                              *self->tenant == '\0'      ? _ ("Enter the tenant (directory) ID.")
                              : *self->client_id == '\0' ? _ ("Enter the client (application) ID.")
                                                         : _ ("Enter the client secret."));
      return NULL;
    }
  msg = soup_message_new_from_encoded_form (
      "POST", url,
      soup_form_encode ("client_id", self->client_id, "client_secret", secret, "scope", scope,
                        "grant_type", "client_credentials", NULL));
  if (msg == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_INVALID_URL, 0, NULL,
                              _ ("The tenant contains characters a web address cannot hold."));
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  g_mutex_lock (&self->lock);
  self->n_sent++;
  g_mutex_unlock (&self->lock);
  body = soup_session_send_and_read (self->session, msg, cancellable, &local);
  if (body == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        sb_dv_error_from_network (local, g_uri_get_host (soup_message_get_uri (msg)), error);
      return NULL;
    }
  status = soup_message_get_status (msg);
  /* The body is not NUL-terminated: parse it with its length. */
  {
    g_autoptr (JsonParser) parser = json_parser_new_immutable ();
    gsize size;
    const char *data = g_bytes_get_data (body, &size);

    if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
      node = json_parser_steal_root (parser);
  }
  object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *aad_error = sb_json_get_string (object, "error", NULL);
      const char *description = sb_json_get_string (object, "error_description", NULL);
      g_autofree char *code = NULL;
      g_autofree char *message = NULL;

      if (description != NULL)
        {
          g_autofree char *first = describe_aad_error (description);

          /* "AADSTS7000215: Invalid client secret provided. …": the number is what Microsoft's
           * troubleshooting pages are indexed by. */
          if (g_str_has_prefix (first, "AADSTS"))
            code = g_strndup (first, strcspn (first, ":"));
          message = g_strdup_printf (_ ("Sign-in was refused: %s"), first);
        }
      else if (aad_error != NULL)
        {
          message = g_strdup_printf (_ ("Sign-in was refused: %s"), aad_error);
        }
      else
        {
          message = g_strdup_printf (_ ("The sign-in service at %s answered “%u %s”. Check the "
                                        "sign-in service address (authority) and the tenant."),
                                     self->authority, status, soup_status_get_phrase (status));
        }
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_AUTH, status,
                              code != NULL ? code : aad_error, message);
      return NULL;
    }
  token = sb_json_get_string (object, "access_token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The sign-in service at %s did not answer as expected. Check the "
                              "sign-in service address (authority)."),
                           self->authority);

      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, status, NULL, message);
      return NULL;
    }
  /* expires_in is a number in v2.0 answers; some proxies and v1 endpoints send a string. */
  lifetime = sb_json_get_int (object, "expires_in", -1);
  if (lifetime < 0)
    lifetime = g_ascii_strtoll (sb_json_get_string (object, "expires_in", "3599"), NULL, 10);
  *out_lifetime_us = MAX (lifetime, 1) * G_USEC_PER_SEC;
  return g_strdup (token);
}

char *
sb_dv_get_token (SbDataverseConnection *self, gboolean force_refresh, const char *stale_token,
                 GCancellable *cancellable, GError **error)
{
  g_autofree char *secret = NULL;
  g_autoptr (GError) local = NULL;
  char *token;
  gint64 lifetime = 0, started;

  g_mutex_lock (&self->lock);
  /* A 401 with @stale_token: drop it unless another request already replaced it. */
  if (stale_token != NULL && g_strcmp0 (self->token, stale_token) == 0)
    g_clear_pointer (&self->token, g_free);
  if (force_refresh)
    g_clear_pointer (&self->token, g_free);
  for (;;)
    {
      if (self->token != NULL && g_get_monotonic_time () < self->token_refresh_at)
        {
          token = g_strdup (self->token);
          g_mutex_unlock (&self->lock);
          return token;
        }
      if (!self->refreshing)
        break;
      /* Another request is refreshing: wait for it and share its result, good or bad. */
      {
        guint serial = self->refresh_serial;

        while (self->refreshing && serial == self->refresh_serial)
          {
            g_cond_wait_until (&self->cond, &self->lock,
                               g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND);
            if (g_cancellable_set_error_if_cancelled (cancellable, error))
              {
                g_mutex_unlock (&self->lock);
                return NULL;
              }
          }
        if (self->token == NULL && self->refresh_error != NULL)
          {
            g_propagate_error (error, g_error_copy (self->refresh_error));
            g_mutex_unlock (&self->lock);
            return NULL;
          }
      }
    }
  self->refreshing = TRUE;
  secret = g_strdup (self->secret);
  g_mutex_unlock (&self->lock);

  started = g_get_monotonic_time ();
  token = fetch_token (self, secret, &lifetime, cancellable, &local);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));

  g_mutex_lock (&self->lock);
  self->refreshing = FALSE;
  self->refresh_serial++;
  g_clear_error (&self->refresh_error);
  g_clear_pointer (&self->token, g_free);
  if (token != NULL)
    {
      /* Refresh 5 minutes early, or halfway through short-lived tokens (tests). */
      self->token = g_strdup (token);
      self->token_expires_at = started + lifetime;
      self->token_refresh_at = started + MAX (lifetime - REFRESH_MARGIN_US, lifetime / 2);
    }
  else if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Waiters share a real failure; a cancelled refresh is only the canceller's business
       * (a waiter then refreshes itself). */
      self->refresh_error = g_error_copy (local);
    }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (token == NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return token;
}
