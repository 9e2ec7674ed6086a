/* sb-dataverse-batch.h: a $batch of requests and changesets, and its per-request results.
 *
 * Follows dataverse-web-api.md "$batch" (Microsoft's "Execute batch operations using the Web
 * API"): requests outside changesets run one by one; a changeset is atomic, holds no GET, and
 * its requests carry a Content-ID so that later ones can reference an earlier one as "$n" (in a
 * URL or an "@odata.bind" value). sb_dataverse_connection_execute_batch_sync() sends it, split
 * into HTTP requests of at most 1,000 parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Dataverse's limit of requests in one $batch. */
#define SB_DATAVERSE_BATCH_MAX_REQUESTS 1000

#define SB_TYPE_DATAVERSE_BATCH (sb_dataverse_batch_get_type ())
G_DECLARE_FINAL_TYPE (SbDataverseBatch, sb_dataverse_batch, SB, DATAVERSE_BATCH, GObject)

SbDataverseBatch *sb_dataverse_batch_new (void);

/* Prefer: odata.continue-on-error: attempt every request even after a failure. */
void sb_dataverse_batch_set_continue_on_error (SbDataverseBatch *self, gboolean continue_on_error);
gboolean sb_dataverse_batch_get_continue_on_error (SbDataverseBatch *self);

/* Requests added until the matching end go into one atomic changeset (at most 1,000). */
void sb_dataverse_batch_begin_changeset (SbDataverseBatch *self);
void sb_dataverse_batch_end_changeset (SbDataverseBatch *self);

/* Adds a request. @path: below the API root ("accounts", "accounts(<id>)") or "$n" (a
 * reference inside the changeset). @body may be NULL (a reference is kept). @if_match: an etag
 * or "*" or NULL. Returns the request's index in the results; inside a changeset, its
 * Content-ID is the value of sb_dataverse_batch_get_content_id() (reference it as "$<id>"). */
guint sb_dataverse_batch_add (SbDataverseBatch *self, const char *method, const char *path,
                              JsonObject *body, const char *if_match);
/* Shorthands: POST (create), PATCH (update with If-Match "*" or @etag), DELETE. */
guint sb_dataverse_batch_add_create (SbDataverseBatch *self, const char *entity_set,
                                     JsonObject *record);
guint sb_dataverse_batch_add_update (SbDataverseBatch *self, const char *entity_set,
                                     const char *key, JsonObject *changes, const char *etag);
guint sb_dataverse_batch_add_delete (SbDataverseBatch *self, const char *entity_set,
                                     const char *key);

/* Content-ID of request @index (0 outside changesets). "$" + it is the reference. */
guint sb_dataverse_batch_get_content_id (SbDataverseBatch *self, guint index);
/* "$<content id>" of request @index; free with g_free(). */
char *sb_dataverse_batch_dup_reference (SbDataverseBatch *self, guint index);

guint sb_dataverse_batch_get_n_requests (SbDataverseBatch *self);

/* The result of one request, after execution. */
typedef struct
{
  guint status;                /* HTTP status; 0 when not executed */
  SoupMessageHeaders *headers; /* NULL when not executed */
  JsonNode *body;              /* JSON body or NULL */
  char *entity_id;             /* id from OData-EntityId, or NULL */
  GError *error;               /* NULL on success (SB_DATAVERSE_ERROR otherwise) */
} SbDataverseBatchResult;

/* NULL before execution. Owned by the batch. */
const SbDataverseBatchResult *sb_dataverse_batch_get_result (SbDataverseBatch *self, guint index);
/* Requests that failed (including rolled back and not executed). */
guint sb_dataverse_batch_get_n_failed (SbDataverseBatch *self);

G_END_DECLS
