/* sbt-util.c: shared helpers of the sandbox tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <string.h>

void
sbt_fixture_setup (SbtFixture *fx, gconstpointer data)
{
  SbtConfigure configure = (SbtConfigure) data;
  g_autoptr (GError) error = NULL;

  fx->server = sb_sandbox_server_new ();
  if (configure != NULL)
    configure (fx->server);
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = g_strdup (sb_sandbox_server_get_base_url (fx->server));
  g_assert_true (g_str_has_prefix (fx->base, "http://127.0.0.1:"));
  fx->api = g_strconcat (fx->base, "api/data/v9.2/", NULL);
  fx->session = soup_session_new_with_options ("timeout", 60, "max-conns-per-host", 16, NULL);
  fx->token = sbt_token (fx, "salesbridge-integration", "sandbox");
  fx->user_id = sb_sandbox_server_dup_user_id (fx->server, "salesbridge-integration");
}

void
sbt_fixture_teardown (SbtFixture *fx, gconstpointer data)
{
  g_clear_object (&fx->session);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  g_clear_pointer (&fx->base, g_free);
  g_clear_pointer (&fx->api, g_free);
  g_clear_pointer (&fx->token, g_free);
  g_clear_pointer (&fx->user_id, g_free);
}

SbtResponse *
sbt_send (SbtFixture *fx, const char *token, const char *method, const char *path,
          const char *content_type, GBytes *body, const char *const *headers)
{
  g_autofree char *url =
      g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (fx->api, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *req;
  SbtResponse *r = g_new0 (SbtResponse, 1);
  const char *type;

  g_assert_nonnull (msg);
  req = soup_message_get_request_headers (msg);
  soup_message_headers_replace (req, "Accept", "application/json");
  soup_message_headers_replace (req, "OData-MaxVersion", "4.0");
  soup_message_headers_replace (req, "OData-Version", "4.0");
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (req, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_append (req, headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  r->body = soup_session_send_and_read (fx->session, msg, NULL, &error);
  if (r->body == NULL)
    {
      r->status = 0; /* connection dropped */
      r->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
      r->body = g_bytes_new (NULL, 0);
      return r;
    }
  r->status = soup_message_get_status (msg);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  type = soup_message_headers_get_content_type (r->headers, NULL);
  if (type != NULL && g_str_equal (type, "application/json") && g_bytes_get_size (r->body) > 0)
    {
      gsize len;
      const char *data = g_bytes_get_data (r->body, &len);
      g_autoptr (JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
      r->json = json_node_copy (json_parser_get_root (parser));
    }
  return r;
}

static SbtResponse *
request_valist (SbtFixture *fx, const char *token, const char *method, const char *path,
                const char *body, va_list args)
{
  g_autoptr (GPtrArray) headers = g_ptr_array_new ();
  g_autoptr (GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  const char *name;

  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (headers, (gpointer) name);
      g_ptr_array_add (headers, va_arg (args, char *));
    }
  g_ptr_array_add (headers, NULL);
  return sbt_send (fx, token, method, path, "application/json", bytes,
                   (const char *const *) headers->pdata);
}

SbtResponse *
sbt_request (SbtFixture *fx, const char *token, const char *method, const char *path,
             const char *body, ...)
{
  va_list args;
  SbtResponse *r;

  va_start (args, body);
  r = request_valist (fx, token, method, path, body, args);
  va_end (args);
  return r;
}

SbtResponse *
sbt_call (SbtFixture *fx, const char *method, const char *path, const char *body, ...)
{
  va_list args;
  SbtResponse *r;

  va_start (args, body);
  r = request_valist (fx, fx->token, method, path, body, args);
  va_end (args);
  return r;
}

void
sbt_response_free (SbtResponse *r)
{
  if (r == NULL)
    return;
  soup_message_headers_unref (r->headers);
  g_bytes_unref (r->body);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r);
}

JsonObject *
sbt_object (SbtResponse *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

const char *
sbt_error_code (SbtResponse *r)
{
  JsonObject *error = json_object_get_object_member (sbt_object (r), "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (error, "code");
}

const char *
sbt_error_message (SbtResponse *r)
{
  JsonObject *error = json_object_get_object_member (sbt_object (r), "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (error, "message");
}

char *
sbt_entity_id (SbtResponse *r)
{
  const char *url = soup_message_headers_get_one (r->headers, "OData-EntityId");
  const char *open, *close;

  g_assert_nonnull (url);
  open = strrchr (url, '(');
  close = strrchr (url, ')');
  g_assert_nonnull (open);
  g_assert_nonnull (close);
  return g_strndup (open + 1, close - open - 1);
}

char *
sbt_create (SbtFixture *fx, const char *set, const char *json)
{
  g_autoptr (SbtResponse) r = sbt_call (fx, "POST", set, json, NULL);

  if (r->status != 204)
    g_error ("create in %s failed: %u %.*s", set, r->status, (int) g_bytes_get_size (r->body),
             (const char *) g_bytes_get_data (r->body, NULL));
  return sbt_entity_id (r);
}

char *
sbt_body_text (SbtResponse *r)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (r->body, &len);

  return g_strndup (data ? data : "", len);
}

char *
sbt_token (SbtFixture *fx, const char *client_id, const char *secret)
{
  g_autofree char *url = g_strconcat (fx->base, "contoso.onmicrosoft.com/oauth2/v2.0/token", NULL);
  g_autofree char *form = g_strdup_printf (
      "grant_type=client_credentials&client_id=%s&client_secret=%s&scope=%s.default", client_id,
      secret, fx->base);
  g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr (SbtResponse) r =
      sbt_send (fx, NULL, "POST", url, "application/x-www-form-urlencoded", body, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (json_object_get_string_member (sbt_object (r), "access_token"));
}
