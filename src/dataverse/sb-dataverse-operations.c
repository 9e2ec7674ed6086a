/* sb-dataverse-operations.c: the synchronous operations of SbDataverseConnection.
 *
 * Each builds one request for the request path (sb-dataverse-request.c) following
 * dataverse-web-api.md: "Create, update, upsert, delete", "Queries" (paging) and "Change
 * tracking".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-batch-private.h"
#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"

static GBytes *
json_body (JsonNode *node)
{
  gsize length = 0;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  return g_bytes_new_take (text, length);
}

static GBytes *
object_body (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_body (node);
}

gboolean
sb_dataverse_connection_sign_in_sync (SbDataverseConnection *self, GCancellable *cancellable,
                                      GError **error)
{
  g_autofree char *token = NULL;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  if (!sb_dataverse_connection_check (self, error))
    return FALSE;
  token = sb_dv_get_token (self, TRUE, NULL, cancellable, error);
  return token != NULL;
}

JsonNode *
sb_dataverse_connection_call_sync (SbDataverseConnection *self, const char *method,
                                   const char *path, JsonNode *body, GCancellable *cancellable,
                                   GError **error)
{
  g_autofree char *url = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_auto (SbDvResponse) response = { 0 };
  SbDvRequest request = { 0 };

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  g_return_val_if_fail (method != NULL && path != NULL, NULL);
  url = sb_dv_api_url (self, path);
  if (body != NULL)
    bytes = json_body (body);
  request.method = method;
  request.url = url;
  request.body = bytes;
  request.idempotent =
      g_str_equal (method, "GET") || g_str_equal (method, "PUT") || g_str_equal (method, "DELETE");
  if (!sb_dv_send (self, &request, &response, cancellable, error))
    return NULL;
  if (response.body == NULL || g_bytes_get_size (response.body) == 0)
    return json_node_new (JSON_NODE_NULL);
  return sb_dv_parse_json (response.body, error);
}

gboolean
sb_dataverse_connection_who_am_i_sync (SbDataverseConnection *self, char **out_user_id,
                                       char **out_business_unit_id, char **out_organization_id,
                                       GCancellable *cancellable, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object;
  const char *user_id;

  node = sb_dataverse_connection_call_sync (self, "GET", "WhoAmI", NULL, cancellable, error);
  if (node == NULL)
    return FALSE;
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  user_id = sb_json_get_guid (object, "UserId");
  if (user_id == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 200, NULL,
                              _ ("Dataverse did not say who the application user is (WhoAmI "
                                 "returned no user id)."));
      return FALSE;
    }
  if (out_user_id != NULL)
    *out_user_id = g_strdup (user_id);
  if (out_business_unit_id != NULL)
    *out_business_unit_id = g_strdup (sb_json_get_guid (object, "BusinessUnitId"));
  if (out_organization_id != NULL)
    *out_organization_id = g_strdup (sb_json_get_guid (object, "OrganizationId"));
  return TRUE;
}

static gboolean
key_is_valid (const char *key)
{
  return key != NULL && *key != '\0' && g_utf8_validate (key, -1, NULL);
}

/* Microsoft's "Define alternate keys to reference rows": requests by alternate key fail when a
 * key value contains / < > * % & : \ ? or +, however well encoded. Say so plainly instead of
 * letting the server answer with a puzzling 400 or 404. */
static gboolean
check_key (const char *key, GError **error)
{
  if (sb_dataverse_is_guid (key) || strpbrk (key, "/<>*%&:\\?+") == NULL)
    return TRUE;
  sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_REQUEST, 0, NULL,
                          _ ("Dataverse cannot find a record by a key value that contains one of "
                             "/ < > * % & : \\ ? +. Use the record's id instead."));
  return FALSE;
}

JsonObject *
sb_dataverse_connection_retrieve_sync (SbDataverseConnection *self, const char *entity_set,
                                       const char *key, const char *const *select,
                                       const char *expand, GCancellable *cancellable,
                                       GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GString) options = g_string_new (NULL);
  g_auto (SbDvResponse) response = { 0 };
  SbDvRequest request = { 0 };

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  g_return_val_if_fail (entity_set != NULL && key_is_valid (key), NULL);
  if (!check_key (key, error))
    return NULL;
  path = sb_dv_entity_path (entity_set, key);
  if (select != NULL && select[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (",", (char **) select);
      g_autofree char *escaped = g_uri_escape_string (list, ",", FALSE);

      g_string_append_printf (options, "?$select=%s", escaped);
    }
  if (expand != NULL && *expand != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (expand, "$'(),/:@!*;", FALSE);

      g_string_append_printf (options, "%s$expand=%s", options->len ? "&" : "?", escaped);
    }
  url = g_strconcat (self->api_url, path, options->str, NULL);
  request.method = "GET";
  request.url = url;
  request.idempotent = TRUE;
  /* Formatted values and lookup names come with the record (dataverse-web-api.md). */
  request.prefer = "odata.include-annotations=\"*\"";
  if (!sb_dv_send (self, &request, &response, cancellable, error))
    return NULL;
  return sb_dv_parse_object (response.body, error);
}

/* The id a write answered with: OData-EntityId, else the representation's primary key. */
static char *
answered_id (SbDvResponse *response, const char *entity_set, JsonObject *representation)
{
  const char *entity_id =
      response->headers ? soup_message_headers_get_one (response->headers, "OData-EntityId") : NULL;
  const char *key = sb_dataverse_primary_key (entity_set);
  char *id = sb_dataverse_id_from_entity_id (entity_id);

  if (id == NULL && key != NULL)
    id = g_strdup (sb_json_get_guid (representation, key));
  return id;
}

char *
sb_dataverse_connection_create_sync (SbDataverseConnection *self, const char *entity_set,
                                     JsonObject *record, JsonObject **out_representation,
                                     GCancellable *cancellable, GError **error)
{
  g_autofree char *url = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) representation = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (SbDvResponse) response = { 0 };
  SbDvRequest request = { 0 };
  const char *key, *client_id = NULL;
  char *id;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), NULL);
  g_return_val_if_fail (entity_set != NULL && record != NULL, NULL);
  key = sb_dataverse_primary_key (entity_set);
  if (key != NULL)
    client_id = sb_json_get_guid (record, key);
  url = sb_dv_api_url (self, entity_set);
  body = object_body (record);
  request.method = "POST";
  request.url = url;
  request.body = body;
  /* With the id chosen here, sending the create again cannot make a second record. */
  request.idempotent = client_id != NULL;
  request.prefer = out_representation != NULL ? "return=representation" : NULL;
  if (!sb_dv_send (self, &request, &response, cancellable, &local))
    {
      /* The first attempt was lost but had worked: the retry finds our own record. */
      if (client_id != NULL && response.resent_after_loss &&
          g_error_matches (local, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DUPLICATE) &&
          out_representation == NULL)
        return g_ascii_strdown (client_id, -1);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (out_representation != NULL && response.status != SOUP_STATUS_NO_CONTENT)
    {
      representation = sb_dv_parse_object (response.body, error);
      if (representation == NULL)
        return NULL;
    }
  id = answered_id (&response, entity_set, representation);
  if (id == NULL && client_id != NULL)
    id = g_ascii_strdown (client_id, -1);
  if (id == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, response.status, NULL,
                              _ ("Dataverse created the record but did not say its id "
                                 "(no OData-EntityId header)."));
      return NULL;
    }
  if (out_representation != NULL)
    *out_representation = g_steal_pointer (&representation);
  return id;
}

gboolean
sb_dataverse_connection_write_sync (SbDataverseConnection *self, const char *entity_set,
                                    const char *key, JsonObject *record, SbDataverseWriteMode mode,
                                    const char *etag, char **out_id,
                                    JsonObject **out_representation, GCancellable *cancellable,
                                    GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonObject) representation = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (SbDvResponse) response = { 0 };
  SbDvRequest request = { 0 };

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  g_return_val_if_fail (entity_set != NULL && key_is_valid (key) && record != NULL, FALSE);
  if (!check_key (key, error))
    return FALSE;
  path = sb_dv_entity_path (entity_set, key);
  url = sb_dv_api_url (self, path);
  body = object_body (record);
  request.method = "PATCH";
  request.url = url;
  request.body = body;
  request.prefer = out_representation != NULL ? "return=representation" : NULL;
  /* dataverse-web-api.md: If-Match * = update only, no condition = upsert, If-None-Match * =
   * create only. Each is safe to send again: the same PATCH twice leaves the same record (a
   * lost first attempt shows up as a 412 of our own making, handled below for create-only). */
  request.idempotent = TRUE;
  switch (mode)
    {
      case SB_DATAVERSE_WRITE_UPDATE:
        request.if_match = etag != NULL ? etag : "*";
        break;
      case SB_DATAVERSE_WRITE_UPSERT:
        break;
      case SB_DATAVERSE_WRITE_CREATE_ONLY:
        request.if_none_match = "*";
        break;
    }
  if (!sb_dv_send (self, &request, &response, cancellable, &local))
    {
      if (mode == SB_DATAVERSE_WRITE_CREATE_ONLY && response.resent_after_loss &&
          out_representation == NULL &&
          g_error_matches (local, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DUPLICATE))
        {
          if (out_id != NULL)
            *out_id = sb_dataverse_is_guid (key) ? g_ascii_strdown (key, -1) : NULL;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (out_representation != NULL && response.status != SOUP_STATUS_NO_CONTENT)
    {
      representation = sb_dv_parse_object (response.body, error);
      if (representation == NULL)
        return FALSE;
    }
  if (out_id != NULL)
    {
      *out_id = answered_id (&response, entity_set, representation);
      if (*out_id == NULL && sb_dataverse_is_guid (key))
        *out_id = g_ascii_strdown (key, -1);
    }
  if (out_representation != NULL)
    *out_representation = g_steal_pointer (&representation);
  return TRUE;
}

gboolean
sb_dataverse_connection_delete_sync (SbDataverseConnection *self, const char *entity_set,
                                     const char *key, const char *etag, GCancellable *cancellable,
                                     GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (SbDvResponse) response = { 0 };
  SbDvRequest request = { 0 };

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  g_return_val_if_fail (entity_set != NULL && key_is_valid (key), FALSE);
  if (!check_key (key, error))
    return FALSE;
  path = sb_dv_entity_path (entity_set, key);
  url = sb_dv_api_url (self, path);
  request.method = "DELETE";
  request.url = url;
  request.if_match = etag;
  request.idempotent = TRUE;
  if (!sb_dv_send (self, &request, &response, cancellable, &local))
    {
      /* Sent again after a lost connection: the first attempt deleted it. */
      if (response.resent_after_loss &&
          g_error_matches (local, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading pages                                                                               */

/* A deleted row in a delta answer: {"@odata.context": "…#accounts/$deletedEntity", "id": …}. */
static const char *
removed_id (JsonObject *row)
{
  const char *context = sb_json_get_string (row, "@odata.context", NULL);

  if (context == NULL || !g_str_has_suffix (context, "/$deletedEntity"))
    return NULL;
  return sb_json_get_string (row, "id", "");
}

/* Reads @first_url and the pages it links to. Every page is parsed, handed to @func and freed
 * before the next one is requested, so memory holds one page whatever the table's size. */
static gboolean
read_pages (SbDataverseConnection *self, const char *first_url, gboolean first_from_server,
            const char *prefer, gboolean full_read, SbDataversePageFunc func, gpointer user_data,
            char **out_delta_link, GCancellable *cancellable, GError **error)
{
  g_autofree char *url = g_strdup (first_url);
  gboolean from_server = first_from_server;
  guint index = 0;

  while (url != NULL)
    {
      g_auto (SbDvResponse) response = { 0 };
      g_autoptr (JsonObject) object = NULL;
      g_autoptr (GPtrArray) removed = g_ptr_array_new ();
      g_autoptr (JsonArray) rows = NULL;
      g_autoptr (GError) local = NULL;
      SbDvRequest request = { 0 };
      SbDataversePage page = { 0 };
      JsonArray *value;
      const char *next, *delta;
      guint n, n_deleted = 0;

      request.method = "GET";
      request.url = url;
      request.prefer = prefer;
      request.idempotent = TRUE;
      request.server_link = from_server;
      if (!sb_dv_send (self, &request, &response, cancellable, error))
        return FALSE;
      object = sb_dv_parse_object (response.body, error);
      if (object == NULL)
        return FALSE;
      value = sb_json_get_array (object, "value");
      if (value == NULL)
        {
          sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, response.status, NULL,
                                  _ ("Dataverse answered a query without a list of records."));
          return FALSE;
        }
      n = json_array_get_length (value);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (value, i);
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            {
              sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, response.status, NULL,
                                      _ ("Dataverse sent a record that is not an object."));
              return FALSE;
            }
          id = removed_id (json_node_get_object (element));
          if (id != NULL)
            n_deleted++;
          /* A deletion without an id says nothing the caller can act on. */
          if (id != NULL && *id != '\0')
            g_ptr_array_add (removed, (gpointer) id);
        }
      /* Delta answers mix changed and deleted rows; a plain page is passed as it came. */
      if (n_deleted == 0)
        rows = json_array_ref (value);
      else
        {
          rows = json_array_sized_new (n - n_deleted);
          for (guint i = 0; i < n; i++)
            {
              JsonNode *element = json_array_get_element (value, i);

              if (removed_id (json_node_get_object (element)) == NULL)
                json_array_add_element (rows, json_node_ref (element));
            }
        }
      g_ptr_array_add (removed, NULL);

      next = sb_json_get_string (object, "@odata.nextLink", NULL);
      delta = sb_json_get_string (object, "@odata.deltaLink", NULL);
      page.rows = rows;
      page.removed = (const char *const *) removed->pdata;
      page.index = index++;
      page.full_read = full_read;
      if (!func (&page, user_data, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          return TRUE; /* stopped by the caller */
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (next != NULL && *next != '\0')
        {
          if (g_strcmp0 (next, url) == 0)
            {
              sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, response.status, NULL,
                                      _ ("Dataverse sent the same page link twice; reading stopped "
                                         "to avoid an endless loop."));
              return FALSE;
            }
          /* Followed unchanged (dataverse-web-api.md, "Paging"), but only to our own host:
           * sb_dv_send() checks server links. */
          g_free (url);
          url = g_strdup (next);
          from_server = TRUE;
        }
      else
        {
          if (out_delta_link != NULL && delta != NULL && *delta != '\0')
            {
              if (!sb_dv_check_link (self, delta, error))
                return FALSE;
              *out_delta_link = g_strdup (delta);
            }
          g_clear_pointer (&url, g_free);
        }
    }
  return TRUE;
}

gboolean
sb_dataverse_connection_query_sync (SbDataverseConnection *self, SbDataverseQuery *query,
                                    SbDataversePageFunc func, gpointer user_data,
                                    char **out_delta_link, GCancellable *cancellable,
                                    GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *prefer = NULL;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (query), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  if (out_delta_link != NULL)
    *out_delta_link = NULL;
  path = sb_dataverse_query_to_path (query);
  url = sb_dv_api_url (self, path);
  prefer = sb_dataverse_query_to_prefer (query);
  return read_pages (self, url, FALSE, prefer, TRUE, func, user_data, out_delta_link, cancellable,
                     error);
}

gboolean
sb_dataverse_connection_read_changes_sync (SbDataverseConnection *self, const char *delta_link,
                                           SbDataverseQuery *full_query, SbDataversePageFunc func,
                                           gpointer user_data, char **out_delta_link,
                                           GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *prefer = NULL;
  g_autofree char *delta = NULL;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  g_return_val_if_fail (delta_link != NULL, FALSE);
  g_return_val_if_fail (full_query == NULL || SB_IS_DATAVERSE_QUERY (full_query), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  if (out_delta_link != NULL)
    *out_delta_link = NULL;
  /* The delta link is the server's: followed unchanged, with the same preferences as the
   * tracking query that produced it. */
  if (full_query != NULL && sb_dataverse_query_get_page_size (full_query) > 0)
    prefer = g_strdup_printf ("odata.maxpagesize=%u,odata.track-changes",
                              sb_dataverse_query_get_page_size (full_query));
  else
    prefer = g_strdup ("odata.track-changes");
  if (read_pages (self, delta_link, TRUE, prefer, FALSE, func, user_data, &delta, cancellable,
                  &local))
    {
      if (out_delta_link != NULL)
        *out_delta_link = g_steal_pointer (&delta);
      return TRUE;
    }
  if (!g_error_matches (local, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DELTA_EXPIRED) ||
      full_query == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* An expired or invalid token means: start over with a full read (style.md shape 5). The
   * pages say full_read so that the caller reconciles deletions itself. */
  g_debug ("Delta link refused (%s); reading %s in full", local->message,
           sb_dataverse_query_get_entity_set (full_query));
  return sb_dataverse_connection_query_sync (self, full_query, func, user_data, out_delta_link,
                                             cancellable, error);
}

gboolean
sb_dataverse_connection_execute_batch_sync (SbDataverseConnection *self, SbDataverseBatch *batch,
                                            GCancellable *cancellable, GError **error)
{
  guint n, start = 0;
  gboolean stopped = FALSE;

  g_return_val_if_fail (SB_IS_DATAVERSE_CONNECTION (self), FALSE);
  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (batch), FALSE);
  if (!sb_dv_batch_prepare (batch, error))
    return FALSE;
  n = sb_dataverse_batch_get_n_requests (batch);
  while (start < n)
    {
      g_autofree char *url = sb_dv_api_url (self, "$batch");
      g_autofree char *content_type = NULL;
      g_autoptr (GBytes) body = NULL;
      g_auto (SbDvResponse) response = { 0 };
      SbDvRequest request = { 0 };
      guint end;

      if (stopped)
        {
          sb_dv_batch_mark_not_executed (batch, start, n);
          break;
        }
      end = sb_dv_batch_next_split (batch, start);
      body = sb_dv_batch_serialize (batch, start, end, self->api_url, &content_type);
      request.method = "POST";
      request.url = url;
      request.body = body;
      request.content_type = content_type;
      request.prefer =
          sb_dataverse_batch_get_continue_on_error (batch) ? "odata.continue-on-error" : NULL;
      /* A $batch may create records: never sent again after a lost connection. 429/503 are
       * still retried (the server did not act on the request). */
      request.idempotent = FALSE;
      if (!sb_dv_send (self, &request, &response, cancellable, error))
        return FALSE;
      if (!sb_dv_batch_parse_response (batch, start, end, response.headers, response.body, &stopped,
                                       error))
        return FALSE;
      start = end;
    }
  return TRUE;
}
