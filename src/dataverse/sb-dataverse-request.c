/* sb-dataverse-request.c: the one request path of SbDataverseConnection.
 *
 * Every call to Dataverse goes through sb_dv_send() (style.md shape 3, after evolution-ews'
 * m365_connection_send_request_sync): the bearer token and OData headers
 * (dataverse-web-api.md, "Requests"), one token refresh and retry on 401, Retry-After on
 * 429/503 ("Service protection limits": wait at least that long) else exponential backoff with
 * jitter, a "not before" time shared by every request of the connection, bounded retries of
 * lost connections for idempotent requests, and JSON errors ("Errors") turned into GErrors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"

/* Codes of Dataverse errors that need their own GError code. */
/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429
#define CODE_DELTA_EXPIRED "0x80044352" /* change tracking token expired or invalid */
#define CODE_DUPLICATE "0x80040237"     /* a record with that id already exists */
#define CODE_DUPLICATE_KEY "0x80060892" /* a record with that alternate key exists */

void
sb_dv_response_clear (SbDvResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->status = 0;
}

gboolean
sb_dv_sleep (gint64 ms, GCancellable *cancellable, GError **error)
{
  GPollFD fd;

  if (ms <= 0)
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_usleep (ms * 1000);
      return TRUE;
    }
  /* Waits on the cancellable's fd: a back-off wait ends as soon as the user cancels. */
  while (ms > 0 && !g_cancellable_is_cancelled (cancellable))
    {
      gint64 start = g_get_monotonic_time ();

      g_poll (&fd, 1, (int) MIN (ms, G_MAXINT));
      ms -= (g_get_monotonic_time () - start) / 1000;
    }
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

JsonNode *
sb_dv_parse_json (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (size == 0)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dataverse sent an empty answer where data was expected."));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &local) ||
      json_parser_get_root (parser) == NULL)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("Dataverse sent an answer that is not valid JSON (cut off or damaged): %s"),
          local != NULL ? local->message : _ ("no data"));

      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL, message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

JsonObject *
sb_dv_parse_object (GBytes *body, GError **error)
{
  g_autoptr (JsonNode) node = sb_dv_parse_json (body, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dataverse sent an answer of an unexpected shape."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

void
sb_dv_error_from_response (guint status, SoupMessageHeaders *headers, GBytes *body,
                           gboolean create_only, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object = NULL, *inner;
  const char *code = NULL, *server_message = NULL;
  g_autofree char *message = NULL;
  SbDataverseError kind;
  gsize size = 0;

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      const char *data = g_bytes_get_data (body, &size);
      g_autoptr (JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, data, size, NULL))
        node = json_parser_steal_root (parser);
    }
  object = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  /* {"error": {"code": "0x80040217", "message": "…"}} (dataverse-web-api.md, "Errors"). */
  inner = sb_json_get_object (object, "error");
  code = sb_json_get_string (inner, "code", NULL);
  server_message = sb_json_get_string (inner, "message", NULL);
  if (server_message != NULL && *server_message == '\0')
    server_message = NULL;
  if (code != NULL && *code == '\0')
    code = NULL;

  if (g_strcmp0 (code, CODE_DELTA_EXPIRED) == 0 || status == SOUP_STATUS_GONE)
    kind = SB_DATAVERSE_ERROR_DELTA_EXPIRED;
  else if (g_strcmp0 (code, CODE_DUPLICATE) == 0 || g_strcmp0 (code, CODE_DUPLICATE_KEY) == 0 ||
           (status == SOUP_STATUS_PRECONDITION_FAILED && create_only))
    kind = SB_DATAVERSE_ERROR_DUPLICATE;
  else if (status == SOUP_STATUS_PRECONDITION_FAILED || status == SOUP_STATUS_CONFLICT)
    kind = SB_DATAVERSE_ERROR_CONFLICT;
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    kind = SB_DATAVERSE_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    kind = SB_DATAVERSE_ERROR_FORBIDDEN;
  else if (status == SOUP_STATUS_NOT_FOUND)
    kind = SB_DATAVERSE_ERROR_NOT_FOUND;
  else if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    kind = SB_DATAVERSE_ERROR_THROTTLED;
  else if (status >= 500)
    kind = SB_DATAVERSE_ERROR_SERVER;
  else if (status >= 400)
    kind = SB_DATAVERSE_ERROR_BAD_REQUEST;
  else
    kind = SB_DATAVERSE_ERROR_BAD_RESPONSE;

  switch (kind)
    {
      case SB_DATAVERSE_ERROR_CONFLICT:
        message = g_strdup (_ ("The record was changed by someone else since it was read. Read it "
                               "again and retry."));
        break;
      case SB_DATAVERSE_ERROR_UNAUTHORIZED:
        message = g_strdup_printf (_ ("Dataverse did not accept the sign-in: %s"),
                                   server_message ? server_message : _ ("no reason given"));
        break;
      case SB_DATAVERSE_ERROR_FORBIDDEN:
        message = g_strdup_printf (_ ("The application user lacks a privilege in Dataverse: %s"),
                                   server_message ? server_message : _ ("no reason given"));
        break;
      case SB_DATAVERSE_ERROR_THROTTLED:
        message = g_strdup_printf (_ ("Dataverse is busy and asked to slow down: %s"),
                                   server_message ? server_message : _ ("try again later"));
        break;
      default:
        if (server_message != NULL)
          message = g_strdup (server_message);
        else if (status != 0)
          message = g_strdup_printf (_ ("Dataverse answered “%u %s”."), status,
                                     soup_status_get_phrase (status));
        else
          message = g_strdup (_ ("Dataverse sent an unexpected answer."));
        break;
    }
  sb_dataverse_error_set (error, kind, status, code, message);
}

void
sb_dv_error_from_network (GError *network_error, const char *host, GError **error)
{
  g_autofree char *message = NULL;
  SbDataverseError kind = SB_DATAVERSE_ERROR_NETWORK;

  if (network_error->domain == G_TLS_ERROR)
    {
      kind = SB_DATAVERSE_ERROR_TLS;
      message = g_strdup_printf (_ ("The identity of %s cannot be verified (its certificate is "
                                    "not trusted), so Salesbridge did not connect: %s"),
                                 host, network_error->message);
    }
  else if (network_error->domain == G_RESOLVER_ERROR)
    {
      message = g_strdup_printf (_ ("The server %s was not found. Check the address and your "
                                    "internet connection."),
                                 host);
    }
  else if (g_error_matches (network_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      kind = SB_DATAVERSE_ERROR_BAD_RESPONSE;
      message =
          g_strdup_printf (_ ("The answer from %s was cut off: %s"), host, network_error->message);
    }
  else
    {
      message = g_strdup_printf (_ ("Cannot talk to %s: %s"), host, network_error->message);
    }
  sb_dataverse_error_set (error, kind, 0, NULL, message);
}

gboolean
sb_dv_check_link (SbDataverseConnection *self, const char *url, GError **error)
{
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_PARSE_RELAXED, NULL);
  int port, base_port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dataverse sent a link to the next data that is not a valid web "
                                 "address."));
      return FALSE;
    }
  port = g_uri_get_port (uri);
  base_port = g_uri_get_port (self->base_uri);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
  if (base_port < 0)
    base_port = g_ascii_strcasecmp (g_uri_get_scheme (self->base_uri), "https") == 0 ? 443 : 80;
  /* Same scheme, host and port as configured, or the token would go to someone else
   * (style.md shape 4, evolution-ews m365_validate_server_url). */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (self->base_uri)) != 0 ||
      g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (self->base_uri)) != 0 ||
      port != base_port)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("Dataverse sent a link to another server (%s); Salesbridge does not "
                              "follow it, so that your sign-in never goes anywhere but %s."),
                           g_uri_get_host (uri), g_uri_get_host (self->base_uri));

      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_UNSAFE_LINK, 0, NULL, message);
      return FALSE;
    }
  return TRUE;
}

char *
sb_dv_api_url (SbDataverseConnection *self, const char *path)
{
  return g_strconcat (self->api_url, path, NULL);
}

char *
sb_dv_entity_path (const char *entity_set, const char *key)
{
  g_autofree char *escaped = NULL;

  /* A GUID goes in as is; an alternate key ("accountnumber='A/1 #2'") is encoded for a path
   * segment: /, ?, #, %, spaces and non-ASCII text must not reach the URL raw. */
  escaped = g_uri_escape_string (key, "=',()$:@!*;", FALSE);
  return g_strdup_printf ("%s(%s)", entity_set, escaped);
}

/* Retry-After: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). -1 when absent or invalid. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = headers ? soup_message_headers_get_one (headers, "Retry-After") : NULL;
  g_autoptr (GDateTime) date = NULL;
  g_autoptr (GDateTime) now = NULL;
  char *end;
  gint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoll (value, &end, 10);
      while (g_ascii_isspace (*end))
        end++;
      return *end == '\0' ? seconds * 1000 : -1;
    }
  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  /* Round up: never earlier than the server asked. */
  return MAX ((g_date_time_difference (date, now) + 999) / 1000, 0);
}

/* Exponential backoff with "equal jitter": half the step fixed, half random, so that clients
 * throttled together do not come back together. */
static gint64
backoff_ms (SbDataverseConnection *self, guint attempt)
{
  gint64 step = self->base_delay_ms;

  for (guint i = 1; i < attempt && step < self->max_delay_ms; i++)
    step *= 2;
  step = MIN (step, (gint64) self->max_delay_ms);
  if (step <= 1)
    return step;
  return step / 2 + g_random_int_range (0, (gint32) MIN (step / 2, G_MAXINT32 - 1) + 1);
}

/* Waits until the connection's shared "not before" time, re-reading it: another request may
 * push it further while this one sleeps. */
static gboolean
wait_not_before (SbDataverseConnection *self, GCancellable *cancellable, GError **error)
{
  for (;;)
    {
      gint64 wait_us;

      g_mutex_lock (&self->lock);
      wait_us = self->not_before - g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
      if (wait_us <= 0)
        return !g_cancellable_set_error_if_cancelled (cancellable, error);
      if (wait_us / 1000 > self->max_wait_ms)
        {
          guint seconds =
              (guint) MIN ((wait_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, (gint64) G_MAXUINT);
          g_autofree char *message = g_strdup_printf (
              g_dngettext (GETTEXT_PACKAGE,
                           "Dataverse is busy and asked to wait %u second before the next "
                           "request. Try again later.",
                           "Dataverse is busy and asked to wait %u seconds before the next "
                           "request. Try again later.",
                           seconds),
              seconds);

          sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_THROTTLED, 429, NULL, message);
          return FALSE;
        }
      if (!sb_dv_sleep ((wait_us + 999) / 1000, cancellable, error))
        return FALSE;
    }
}

static void
push_not_before (SbDataverseConnection *self, gint64 delay_ms)
{
  gint64 until = g_get_monotonic_time () + delay_ms * 1000;

  g_mutex_lock (&self->lock);
  self->not_before = MAX (self->not_before, until);
  g_mutex_unlock (&self->lock);
}

/* Errors where the request may not have reached the server or its answer was lost: worth
 * sending an idempotent request again. Name resolution, refused connections and TLS failures
 * are not: they do not heal in seconds and the user should hear of them at once. */
static gboolean
is_transient (const GError *error)
{
  if (error->domain == G_TLS_ERROR || error->domain == G_RESOLVER_ERROR)
    return FALSE;
  if (error->domain != G_IO_ERROR)
    return FALSE;
  switch (error->code)
    {
      case G_IO_ERROR_CONNECTION_REFUSED:
      case G_IO_ERROR_HOST_NOT_FOUND:
      case G_IO_ERROR_CANCELLED:
      case G_IO_ERROR_INVALID_ARGUMENT:
        return FALSE;
      default:
        return TRUE;
    }
}

static SoupMessage *
build_message (SbDataverseConnection *self, const SbDvRequest *request, const char *token,
               GError **error)
{
  g_autoptr (GUri) uri = NULL;
  SoupMessage *msg;
  SoupMessageHeaders *headers;
  g_autofree char *authorization = NULL;

  uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_ ("“%s” is not a valid web address."), request->url);

      sb_dataverse_error_set (error,
                              request->server_link ? SB_DATAVERSE_ERROR_BAD_RESPONSE
                                                   : SB_DATAVERSE_ERROR_INVALID_URL,
                              0, NULL, message);
      return NULL;
    }
  msg = soup_message_new_from_uri (request->method, uri);
  headers = soup_message_get_request_headers (msg);
  authorization = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "OData-MaxVersion", "4.0");
  soup_message_headers_replace (headers, "OData-Version", "4.0");
  if (request->prefer != NULL)
    soup_message_headers_replace (headers, "Prefer", request->prefer);
  if (request->if_match != NULL)
    soup_message_headers_replace (headers, "If-Match", request->if_match);
  if (request->if_none_match != NULL)
    soup_message_headers_replace (headers, "If-None-Match", request->if_none_match);
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (
        msg, request->content_type ? request->content_type : "application/json; charset=utf-8",
        request->body);
  /* A token is worth nothing to a redirect target: never follow one with it. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  /* libsoup sends a POST or PATCH on a new connection, never a kept-alive one it might have
   * to send again; a create with our own id is safe to send again, so it may reuse one. */
  if (request->idempotent)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  return msg;
}

gboolean
sb_dv_send (SbDataverseConnection *self, const SbDvRequest *request, SbDvResponse *response,
            GCancellable *cancellable, GError **error)
{
  g_autofree char *token = NULL;
  gboolean refreshed = FALSE, lost = FALSE;
  guint attempt = 0;
  const char *host;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  memset (response, 0, sizeof *response);
  if (!sb_dataverse_connection_check (self, error))
    return FALSE;
  if (request->server_link && !sb_dv_check_link (self, request->url, error))
    return FALSE;
  host = g_uri_get_host (self->base_uri);

  for (;;)
    {
      g_autoptr (SoupMessage) msg = NULL;
      g_autoptr (GError) local = NULL;
      gint64 delay_ms;
      guint status;

      attempt++;
      if (!wait_not_before (self, cancellable, error))
        return FALSE;
      if (token == NULL &&
          (token = sb_dv_get_token (self, FALSE, NULL, cancellable, error)) == NULL)
        return FALSE;
      msg = build_message (self, request, token, error);
      if (msg == NULL)
        return FALSE;

      g_mutex_lock (&self->lock);
      self->n_sent++;
      g_mutex_unlock (&self->lock);
      sb_dv_response_clear (response);
      response->n_sends = attempt;
      response->resent_after_loss = lost;
      response->body = soup_session_send_and_read (self->session, msg, cancellable, &local);
      status = soup_message_get_status (msg);

      if (response->body == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_cancellable_is_cancelled (cancellable))
            {
              if (local == NULL || !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                g_cancellable_set_error_if_cancelled (cancellable, error);
              else
                g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          /* Lost connection: the server may or may not have acted on the request; only an
           * idempotent one can be sent again without doing it twice. */
          if (request->idempotent && is_transient (local) && attempt < self->max_attempts)
            {
              g_debug ("%s %s: %s; sending again", request->method, request->url, local->message);
              lost = TRUE;
              if (!sb_dv_sleep (backoff_ms (self, attempt), cancellable, error))
                return FALSE;
              continue;
            }
          sb_dv_error_from_network (local, host, error);
          return FALSE;
        }

      response->status = status;
      response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

      if (SOUP_STATUS_IS_SUCCESSFUL (status) || status == SOUP_STATUS_NOT_MODIFIED)
        return TRUE;

      /* 401: the token expired or was revoked early. Refresh once and send again. */
      if (status == SOUP_STATUS_UNAUTHORIZED && !refreshed)
        {
          g_autofree char *stale = g_steal_pointer (&token);

          refreshed = TRUE;
          attempt--;
          token = sb_dv_get_token (self, FALSE, stale, cancellable, error);
          if (token == NULL)
            return FALSE;
          continue;
        }

      /* Service protection (429) and an unavailable service (503): the server did not act on
       * the request, so any request may be sent again, after Retry-After if given. The wait
       * is the connection's: every other request waits too. */
      if (status == STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        {
          delay_ms = parse_retry_after (response->headers);
          if (delay_ms < 0)
            delay_ms = backoff_ms (self, attempt);
          if (attempt < self->max_attempts && delay_ms <= self->max_wait_ms)
            {
              g_debug ("%s %s: %u, waiting %" G_GINT64_FORMAT " ms", request->method, request->url,
                       status, delay_ms);
              push_not_before (self, delay_ms);
              continue;
            }
          push_not_before (self, delay_ms);
        }

      /* A gateway between us and Dataverse failed: worth another try when idempotent. */
      if ((status == SOUP_STATUS_BAD_GATEWAY || status == SOUP_STATUS_GATEWAY_TIMEOUT) &&
          request->idempotent && attempt < self->max_attempts)
        {
          if (!sb_dv_sleep (backoff_ms (self, attempt), cancellable, error))
            return FALSE;
          continue;
        }

      sb_dv_error_from_response (status, response->headers, response->body,
                                 request->if_none_match != NULL, error);
      return FALSE;
    }
}
