/* sb-dataverse-batch.c: a $batch of requests and changesets.
 *
 * Wire format from dataverse-web-api.md "$batch" (Microsoft's "Execute batch operations using
 * the Web API", OData 4.0 Part 1 §11.7): multipart/mixed with boundary batch_<id>, each part
 * "Content-Type: application/http" and "Content-Transfer-Encoding: binary" around an HTTP/1.1
 * request; a changeset is a nested multipart/mixed with boundary changeset_<id> whose parts
 * carry Content-ID. The answer mirrors it with HTTP responses; a failed changeset answers with
 * its one error response.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-batch-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-error.h"
#include "sb-dataverse-private.h"
#include "sb-dataverse-tables.h"

typedef struct
{
  char *method;
  char *path;
  JsonObject *body;
  char *if_match;
  guint changeset; /* 0 outside changesets */
  guint content_id;
  SbDataverseBatchResult result;
  gboolean executed;
} Item;

struct _SbDataverseBatch
{
  GObject parent_instance;

  GArray *items; /* Item */
  guint n_changesets;
  guint open_changeset; /* 0 when none is open */
  guint next_content_id;
  gboolean continue_on_error;
};

G_DEFINE_FINAL_TYPE (SbDataverseBatch, sb_dataverse_batch, G_TYPE_OBJECT)

static void
result_clear (SbDataverseBatchResult *result)
{
  g_clear_pointer (&result->headers, soup_message_headers_unref);
  g_clear_pointer (&result->body, json_node_unref);
  g_clear_pointer (&result->entity_id, g_free);
  g_clear_error (&result->error);
  result->status = 0;
}

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->method);
  g_free (item->path);
  g_clear_pointer (&item->body, json_object_unref);
  g_free (item->if_match);
  result_clear (&item->result);
}

static void
sb_dataverse_batch_finalize (GObject *object)
{
  SbDataverseBatch *self = SB_DATAVERSE_BATCH (object);

  g_array_unref (self->items);
  G_OBJECT_CLASS (sb_dataverse_batch_parent_class)->finalize (object);
}

static void
sb_dataverse_batch_class_init (SbDataverseBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_dataverse_batch_finalize;
}

static void
sb_dataverse_batch_init (SbDataverseBatch *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
  self->next_content_id = 1;
}

SbDataverseBatch *
sb_dataverse_batch_new (void)
{
  return g_object_new (SB_TYPE_DATAVERSE_BATCH, NULL);
}

void
sb_dataverse_batch_set_continue_on_error (SbDataverseBatch *self, gboolean continue_on_error)
{
  g_return_if_fail (SB_IS_DATAVERSE_BATCH (self));
  self->continue_on_error = !!continue_on_error;
}

gboolean
sb_dataverse_batch_get_continue_on_error (SbDataverseBatch *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), FALSE);
  return self->continue_on_error;
}

void
sb_dataverse_batch_begin_changeset (SbDataverseBatch *self)
{
  g_return_if_fail (SB_IS_DATAVERSE_BATCH (self));
  g_return_if_fail (self->open_changeset == 0);
  self->open_changeset = ++self->n_changesets;
}

void
sb_dataverse_batch_end_changeset (SbDataverseBatch *self)
{
  g_return_if_fail (SB_IS_DATAVERSE_BATCH (self));
  g_return_if_fail (self->open_changeset != 0);
  self->open_changeset = 0;
}

guint
sb_dataverse_batch_add (SbDataverseBatch *self, const char *method, const char *path,
                        JsonObject *body, const char *if_match)
{
  Item item = { 0 };

  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), 0);
  g_return_val_if_fail (method != NULL && path != NULL && *path != '\0', 0);
  /* The request line holds the path raw: no spaces or line breaks may reach it. */
  g_return_val_if_fail (strpbrk (path, " \r\n") == NULL, 0);
  item.method = g_ascii_strup (method, -1);
  item.path = g_strdup (path);
  item.body = body != NULL ? json_object_ref (body) : NULL;
  item.if_match = g_strdup (if_match);
  item.changeset = self->open_changeset;
  if (item.changeset != 0)
    item.content_id = self->next_content_id++;
  g_array_append_val (self->items, item);
  return self->items->len - 1;
}

guint
sb_dataverse_batch_add_create (SbDataverseBatch *self, const char *entity_set, JsonObject *record)
{
  return sb_dataverse_batch_add (self, "POST", entity_set, record, NULL);
}

guint
sb_dataverse_batch_add_update (SbDataverseBatch *self, const char *entity_set, const char *key,
                               JsonObject *changes, const char *etag)
{
  g_autofree char *path = sb_dv_entity_path (entity_set, key);

  return sb_dataverse_batch_add (self, "PATCH", path, changes, etag != NULL ? etag : "*");
}

guint
sb_dataverse_batch_add_delete (SbDataverseBatch *self, const char *entity_set, const char *key)
{
  g_autofree char *path = sb_dv_entity_path (entity_set, key);

  return sb_dataverse_batch_add (self, "DELETE", path, NULL, NULL);
}

guint
sb_dataverse_batch_get_content_id (SbDataverseBatch *self, guint index)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), 0);
  g_return_val_if_fail (index < self->items->len, 0);
  return g_array_index (self->items, Item, index).content_id;
}

char *
sb_dataverse_batch_dup_reference (SbDataverseBatch *self, guint index)
{
  guint id = sb_dataverse_batch_get_content_id (self, index);

  g_return_val_if_fail (id != 0, NULL);
  return g_strdup_printf ("$%u", id);
}

guint
sb_dataverse_batch_get_n_requests (SbDataverseBatch *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), 0);
  return self->items->len;
}

const SbDataverseBatchResult *
sb_dataverse_batch_get_result (SbDataverseBatch *self, guint index)
{
  Item *item;

  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  item = &g_array_index (self->items, Item, index);
  return item->executed ? &item->result : NULL;
}

guint
sb_dataverse_batch_get_n_failed (SbDataverseBatch *self)
{
  guint n = 0;

  g_return_val_if_fail (SB_IS_DATAVERSE_BATCH (self), 0);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);

      if (item->executed && item->result.error != NULL)
        n++;
    }
  return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Wire                                                                                        */

static Item *
item_at (SbDataverseBatch *self, guint index)
{
  return &g_array_index (self->items, Item, index);
}

/* The end (exclusive) of the group at @start: one request, or a whole changeset. */
static guint
group_end (SbDataverseBatch *self, guint start)
{
  guint changeset = item_at (self, start)->changeset;
  guint end = start + 1;

  if (changeset == 0)
    return end;
  while (end < self->items->len && item_at (self, end)->changeset == changeset)
    end++;
  return end;
}

gboolean
sb_dv_batch_prepare (SbDataverseBatch *self, GError **error)
{
  if (self->open_changeset != 0)
    {
      g_critical ("%s: a changeset is still open", G_STRFUNC);
      self->open_changeset = 0;
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = item_at (self, i);

      result_clear (&item->result);
      item->executed = FALSE;
    }
  for (guint start = 0; start < self->items->len;)
    {
      guint end = group_end (self, start);

      if (end - start > SB_DATAVERSE_BATCH_MAX_REQUESTS)
        {
          sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_FAILED, 0, NULL,
                                  _ ("A changeset holds more than 1,000 requests, the most "
                                     "Dataverse accepts in one batch."));
          return FALSE;
        }
      for (guint i = start; item_at (self, start)->changeset != 0 && i < end; i++)
        if (g_str_equal (item_at (self, i)->method, "GET"))
          {
            sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_FAILED, 0, NULL,
                                    _ ("A changeset cannot contain a GET request."));
            return FALSE;
          }
      start = end;
    }
  return TRUE;
}

guint
sb_dv_batch_next_split (SbDataverseBatch *self, guint start)
{
  guint end = start;

  while (end < self->items->len)
    {
      guint next = group_end (self, end);

      if (next - start > SB_DATAVERSE_BATCH_MAX_REQUESTS)
        break;
      end = next;
    }
  return end;
}

static void
append_request (GString *out, Item *item, const char *api_url)
{
  g_string_append (out, "Content-Type: application/http\r\n"
                        "Content-Transfer-Encoding: binary\r\n");
  if (item->content_id != 0)
    g_string_append_printf (out, "Content-ID: %u\r\n", item->content_id);
  g_string_append (out, "\r\n");
  /* "$1" references stay relative: the server resolves them inside the changeset. */
  g_string_append_printf (out, "%s %s%s HTTP/1.1\r\n", item->method,
                          item->path[0] == '$' ? "" : api_url, item->path);
  g_string_append (out, "Accept: application/json\r\n");
  if (item->if_match != NULL)
    g_string_append_printf (out, "If-Match: %s\r\n", item->if_match);
  if (item->body != NULL)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), item->body);
      g_autofree char *json = json_to_string (node, FALSE);

      g_string_append (out, "Content-Type: application/json; type=entry\r\n\r\n");
      g_string_append (out, json);
      g_string_append (out, "\r\n");
    }
  else
    {
      g_string_append (out, "\r\n");
    }
}

GBytes *
sb_dv_batch_serialize (SbDataverseBatch *self, guint start, guint end, const char *api_url,
                       char **out_content_type)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *boundary = g_strconcat ("batch_", id, NULL);
  GString *out = g_string_sized_new (256 * (end - start));

  for (guint i = start; i < end;)
    {
      guint group = group_end (self, i);

      g_string_append_printf (out, "--%s\r\n", boundary);
      if (item_at (self, i)->changeset == 0)
        {
          append_request (out, item_at (self, i), api_url);
        }
      else
        {
          g_autofree char *cs_id = g_uuid_string_random ();

          g_string_append_printf (
              out, "Content-Type: multipart/mixed; boundary=changeset_%s\r\n\r\n", cs_id);
          for (guint j = i; j < group; j++)
            {
              g_string_append_printf (out, "--changeset_%s\r\n", cs_id);
              append_request (out, item_at (self, j), api_url);
            }
          g_string_append_printf (out, "--changeset_%s--\r\n", cs_id);
        }
      i = group;
    }
  g_string_append_printf (out, "--%s--\r\n", boundary);
  *out_content_type = g_strdup_printf ("multipart/mixed; boundary=%s", boundary);
  return g_string_free_to_bytes (out);
}

static void
set_result (Item *item, guint status, SoupMessageHeaders *headers, GBytes *body)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  result_clear (&item->result);
  item->executed = TRUE;
  item->result.status = status;
  item->result.headers = soup_message_headers_ref (headers);
  item->result.entity_id =
      sb_dataverse_id_from_entity_id (soup_message_headers_get_one (headers, "OData-EntityId"));
  if (body != NULL && g_bytes_get_size (body) > 0 && type != NULL &&
      g_str_has_suffix (type, "json"))
    item->result.body = sb_dv_parse_json (body, NULL);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    sb_dv_error_from_response (status, headers, body, FALSE, &item->result.error);
}

static void
set_error (Item *item, SbDataverseError code, const char *message)
{
  result_clear (&item->result);
  item->executed = TRUE;
  sb_dataverse_error_set (&item->result.error, code, 0, NULL, message);
}

void
sb_dv_batch_mark_not_executed (SbDataverseBatch *self, guint start, guint end)
{
  for (guint i = start; i < end; i++)
    set_error (item_at (self, i), SB_DATAVERSE_ERROR_NOT_EXECUTED,
               _ ("Not attempted: an earlier request of the batch failed."));
}

/* Splits "HTTP/1.1 204 No Content\r\nHeader: v\r\n\r\nbody" of an application/http part. */
static gboolean
parse_http_part (GBytes *part, guint *out_status, SoupMessageHeaders **out_headers,
                 GBytes **out_body)
{
  gsize size;
  const char *data = g_bytes_get_data (part, &size);
  const char *end = data != NULL ? g_strstr_len (data, size, "\r\n\r\n") : NULL;
  gsize head_len, skip = 4;
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  guint status = 0;

  if (end == NULL && data != NULL && (end = g_strstr_len (data, size, "\n\n")) != NULL)
    skip = 2;
  head_len = end != NULL ? (gsize) (end - data) + skip : size;
  if (data == NULL ||
      !soup_headers_parse_response (data, (int) head_len, headers, NULL, &status, NULL))
    return FALSE;
  *out_status = status;
  *out_headers = g_steal_pointer (&headers);
  *out_body = g_bytes_new_from_bytes (part, head_len, size - head_len);
  return TRUE;
}

static guint
part_content_id (SoupMessageHeaders *part_headers, SoupMessageHeaders *inner_headers)
{
  const char *id = soup_message_headers_get_one (part_headers, "Content-ID");

  if (id == NULL && inner_headers != NULL)
    id = soup_message_headers_get_one (inner_headers, "Content-ID");
  return id != NULL ? (guint) g_ascii_strtoull (id, NULL, 10) : 0;
}

#define bad_batch(error) bad_batch_at (__LINE__, error)

static gboolean
bad_batch_at (int line, GError **error)
{
  g_debug ("Unreadable batch answer (sb-dataverse-batch.c:%d)", line);
  sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                          _ ("Dataverse answered a batch with data Salesbridge cannot read."));
  return FALSE;
}

gboolean
sb_dv_batch_parse_response (SbDataverseBatch *self, guint start, guint end,
                            SoupMessageHeaders *headers, GBytes *body, gboolean *out_stopped,
                            GError **error)
{
  g_autoptr (SoupMultipart) multipart = NULL;
  g_autoptr (GByteArray) padded = g_byte_array_new ();
  g_autoptr (GBytes) whole = NULL;
  gboolean failed = FALSE;
  int n_parts, p = 0;
  guint i = start;

  *out_stopped = FALSE;
  if (headers == NULL || body == NULL)
    return bad_batch (error);
  /* Servers may end the body right after the closing delimiter; libsoup 3.2 then misses it. */
  g_byte_array_append (padded, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_byte_array_append (padded, (const guint8 *) "\r\n", 2);
  whole = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
  multipart = soup_multipart_new_from_message (headers, whole);
  if (multipart == NULL)
    return bad_batch (error);
  n_parts = soup_multipart_get_length (multipart);

  while (i < end)
    {
      guint group = group_end (self, i);
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      const char *type;

      if (p >= n_parts)
        break;
      if (!soup_multipart_get_part (multipart, p++, &part_headers, &part_body))
        return bad_batch (error);
      type = soup_message_headers_get_content_type (part_headers, NULL);

      if (type != NULL && g_ascii_strcasecmp (type, "multipart/mixed") == 0)
        {
          /* A changeset that succeeded: one response per request, matched by Content-ID. */
          g_autoptr (SoupMultipart) inner = NULL;
          g_autoptr (GByteArray) padded = g_byte_array_new ();
          g_autoptr (GBytes) nested = NULL;
          int n_inner;

          /* The outer parser hands the changeset over without the CRLF after its closing
           * delimiter, and libsoup 3.2's parser only sees a delimiter followed by more bytes. */
          g_byte_array_append (padded, g_bytes_get_data (part_body, NULL),
                               g_bytes_get_size (part_body));
          g_byte_array_append (padded, (const guint8 *) "\r\n", 2);
          nested = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
          inner = soup_multipart_new_from_message (part_headers, nested);

          if (inner == NULL || item_at (self, i)->changeset == 0)
            return bad_batch (error);
          n_inner = soup_multipart_get_length (inner);
          for (int k = 0; k < n_inner; k++)
            {
              SoupMessageHeaders *h;
              GBytes *b;
              g_autoptr (SoupMessageHeaders) response_headers = NULL;
              g_autoptr (GBytes) response_body = NULL;
              guint status, content_id, target = i + (guint) k;

              if (!soup_multipart_get_part (inner, k, &h, &b) ||
                  !parse_http_part (b, &status, &response_headers, &response_body))
                return bad_batch (error);
              content_id = part_content_id (h, response_headers);
              for (guint j = i; content_id != 0 && j < group; j++)
                if (item_at (self, j)->content_id == content_id)
                  target = j;
              if (target >= group)
                return bad_batch (error);
              set_result (item_at (self, target), status, response_headers, response_body);
              if (!SOUP_STATUS_IS_SUCCESSFUL (status))
                failed = TRUE;
            }
          for (guint j = i; j < group; j++)
            if (!item_at (self, j)->executed)
              set_error (item_at (self, j), SB_DATAVERSE_ERROR_BAD_RESPONSE,
                         _ ("Dataverse did not answer this request of the batch."));
        }
      else
        {
          g_autoptr (SoupMessageHeaders) response_headers = NULL;
          g_autoptr (GBytes) response_body = NULL;
          guint status, content_id;

          if (!parse_http_part (part_body, &status, &response_headers, &response_body))
            return bad_batch (error);
          if (item_at (self, i)->changeset == 0)
            {
              set_result (item_at (self, i), status, response_headers, response_body);
            }
          else
            {
              /* A failed changeset answers with its one error; everything in it was undone. */
              content_id = part_content_id (part_headers, response_headers);
              for (guint j = i; j < group; j++)
                {
                  Item *item = item_at (self, j);

                  if (content_id == 0 || item->content_id == content_id ||
                      SOUP_STATUS_IS_SUCCESSFUL (status))
                    set_result (item, status, response_headers, response_body);
                  else
                    set_error (item, SB_DATAVERSE_ERROR_ROLLED_BACK,
                               _ ("Undone: another request of the same changeset failed."));
                }
            }
          if (!SOUP_STATUS_IS_SUCCESSFUL (status))
            failed = TRUE;
        }
      i = group;
    }
  if (i < end)
    {
      /* The server stopped at a failure (no odata.continue-on-error). */
      if (!failed)
        return bad_batch (error);
      sb_dv_batch_mark_not_executed (self, i, end);
      *out_stopped = TRUE;
    }
  else if (failed && !self->continue_on_error)
    {
      *out_stopped = TRUE;
    }
  return TRUE;
}
