/* sb-sandbox-batch.c: $batch for the sandbox's Web API.
 *
 * Follows Microsoft's "Execute batch operations using the Web API" and
 * ../shared/reference/dataverse-web-api.md ("$batch"): the whole batch runs in one SQLite
 * transaction, each changeset and each lone request in a savepoint, so a failing changeset is
 * rolled back while earlier parts are kept. Without Prefer: odata.continue-on-error the batch
 * stops at the first failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-service-private.h"

#include <string.h>

#include "sb-batch-codec.h"

/* "…/accounts(<id>)" in OData-EntityId → "accounts(<id>)", what $n stands for. */
static char *
entity_path (SbSandboxResponse *response)
{
  const char *url = soup_message_headers_get_one (response->headers, "OData-EntityId");
  g_autofree char *path = NULL;

  if (url == NULL || !sb_sandbox_split_url (url, &path, NULL))
    return NULL;
  return g_steal_pointer (&path);
}

static SbSandboxResponse *
run_part_request (SbSandboxService *self, const char *user_id, SbBatchRequest *part)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autoptr (SbSandboxRequest) request = NULL;
  SbSandboxResponse *denied = NULL;

  /* A part may impersonate on its own (MSCRMCallerID in its headers). */
  user_id = sb_sandbox_service_effective_user (self, user_id, part->headers, &denied);
  if (user_id == NULL)
    return denied;

  if (!sb_sandbox_split_url (part->url, &path, &query))
    return sb_sandbox_response_new_error (400, "0x80060888",
                                          "The request URL '%s' of a batch part is not within "
                                          "the service root.",
                                          part->url);
  request = sb_sandbox_request_new (part->method, path, query, part->headers, part->body);
  return sb_sandbox_service_dispatch (self, user_id, request);
}

SbSandboxResponse *
sb_sandbox_service_handle_batch (SbSandboxService *self, const char *user_id,
                                 SbSandboxRequest *request)
{
  const char *content_type = soup_message_headers_get_one (request->headers, "Content-Type");
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) parts = NULL;
  g_autoptr (SbBatchWriter) writer = NULL;
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  SbSandboxResponse *response;
  SbPrefer prefer;
  gboolean stop = FALSE;
  /* A copy: impersonating parts reuse the service's acting-user buffer. */
  g_autofree char *batch_user = g_strdup (user_id);

  if (content_type == NULL || !g_str_has_prefix (content_type, "multipart/mixed"))
    return sb_sandbox_response_new_error (400, "0x0",
                                          "The $batch request must have the Content-Type "
                                          "multipart/mixed with a boundary.");
  parts = sb_batch_parse (content_type, request->body ? request->body : empty, &local);
  if (parts == NULL)
    return sb_sandbox_response_new_error (400, "0x0", "%s", local->message);

  sb_prefer_parse (&prefer, request->headers);
  writer = sb_batch_writer_new ();
  if (!sb_sandbox_store_begin (self->store, &local))
    {
      sb_prefer_clear (&prefer);
      return sb_sandbox_response_new_error (500, "0x80040216", "%s", local->message);
    }

  for (guint i = 0; i < parts->len && !stop; i++)
    {
      SbBatchPart *part = g_ptr_array_index (parts, i);

      if (part->is_changeset)
        {
          g_autoptr (GPtrArray) responses =
              g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sandbox_response_free);
          SbSandboxResponse *failed = NULL;
          guint failed_index = 0;

          sb_sandbox_store_begin (self->store, NULL);
          self->content_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          for (guint j = 0; j < part->requests->len; j++)
            {
              SbBatchRequest *r = g_ptr_array_index (part->requests, j);
              SbSandboxResponse *res = run_part_request (self, batch_user, r);

              g_ptr_array_add (responses, res);
              if (res->status >= 400)
                {
                  failed = res;
                  failed_index = j;
                  break;
                }
              if (r->content_id != NULL)
                {
                  g_autofree char *path = entity_path (res);

                  if (path != NULL)
                    g_hash_table_insert (self->content_ids, g_strdup (r->content_id),
                                         g_steal_pointer (&path));
                }
            }
          g_clear_pointer (&self->content_ids, g_hash_table_unref);
          if (failed != NULL)
            {
              SbBatchRequest *r = g_ptr_array_index (part->requests, failed_index);

              /* A failed changeset answers with its one error, everything else undone. */
              sb_sandbox_store_rollback (self->store);
              sb_batch_writer_add_response (writer, failed->status, r->content_id, failed->headers,
                                            failed->body);
              stop = !prefer.continue_on_error;
            }
          else
            {
              sb_sandbox_store_commit (self->store, NULL);
              sb_batch_writer_begin_changeset (writer);
              for (guint j = 0; j < responses->len; j++)
                {
                  SbBatchRequest *r = g_ptr_array_index (part->requests, j);
                  SbSandboxResponse *res = g_ptr_array_index (responses, j);

                  sb_batch_writer_add_response (writer, res->status, r->content_id, res->headers,
                                                res->body);
                }
              sb_batch_writer_end_changeset (writer);
            }
        }
      else
        {
          SbBatchRequest *r = g_ptr_array_index (part->requests, 0);
          g_autoptr (SbSandboxResponse) res = NULL;

          sb_sandbox_store_begin (self->store, NULL);
          res = run_part_request (self, batch_user, r);
          if (res->status >= 400)
            {
              sb_sandbox_store_rollback (self->store);
              stop = !prefer.continue_on_error;
            }
          else
            sb_sandbox_store_commit (self->store, NULL);
          sb_batch_writer_add_response (writer, res->status, NULL, res->headers, res->body);
        }
    }

  if (!sb_sandbox_store_commit (self->store, &local))
    {
      sb_prefer_clear (&prefer);
      return sb_sandbox_response_new_error (500, "0x80040216", "%s", local->message);
    }
  response = sb_sandbox_response_new (200);
  soup_message_headers_replace (response->headers, "Content-Type",
                                sb_batch_writer_get_content_type (writer));
  if (prefer.continue_on_error)
    soup_message_headers_append (response->headers, "Preference-Applied",
                                 "odata.continue-on-error");
  response->body = sb_batch_writer_finish (writer);
  sb_prefer_clear (&prefer);
  return response;
}
