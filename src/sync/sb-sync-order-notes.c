/* sb-sync-order-notes.c: the Sales Order Notes job (integration-behaviour.md §2, §5)
 *
 * The notes (annotations without attachments) of Dataverse orders that were taken into the ERP
 * and the ERP notes of those orders, both ways, coupled one to one (mapping SALESORDER-NOTE,
 * ERP key = the note's id). Per coupled pair: the ERP note changed (change number past the
 * coupling's) → Sales gets its text; else the annotation changed (row version) → the ERP note
 * gets its text. A pair whose one side is gone loses the other side too. A new ERP note gets its
 * annotation id chosen and committed (a pending coupling) before the upsert that creates it, so
 * a retry after a crash makes no second annotation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "sb-core-error.h"
#include "sb-dataverse-json.h"
#include "sb-sales-note.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"
#include "sb-sync-run-private.h"

#define NOTE_MAPPING "SALESORDER-NOTE"

typedef struct
{
  SbSalesImport *ctx;
  SbSalesImportCounters *counters;
  const char *order_no;
  const char *order_id;
} Notes;

static char *
note_key (gint64 id)
{
  return g_strdup_printf ("%" PRId64, (int64_t) id);
}

static gboolean
collect (const SbDataversePage *page, gpointer user_data, GError **error)
{
  GHashTable *rows = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *id = row != NULL ? sb_json_get_string (row, "annotationid", NULL) : NULL;

      if (id != NULL && !sb_json_get_bool (row, "isdocument", FALSE))
        g_hash_table_insert (rows, g_strdup (id), json_object_ref (row));
    }
  return TRUE;
}

/* The order's annotations without attachments, by id. */
static GHashTable *
read_annotations (Notes *n, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("annotations");
  g_autoptr (GHashTable) rows =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_object_unref);

  sb_dataverse_query_select (query, "annotationid", "subject", "notetext", "isdocument", NULL);
  /* Attachments are left out here, not in the filter: isdocument may be unset (null). */
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_guid ("_objectid_value", SB_DATAVERSE_EQ, n->order_id));
  if (!sb_dataverse_connection_query_sync (n->ctx->cnc, query, collect, rows, NULL,
                                           n->ctx->cancellable, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static const char *
annotation_text (JsonObject *row)
{
  const char *text = sb_json_get_string (row, "notetext", "");

  return *text != '\0' ? text : sb_json_get_string (row, "subject", "");
}

static gboolean
save (SbStore *store, SbSyncCoupling *c, gint64 change_no, JsonObject *row, GError **error)
{
  c->erp_change_no = change_no;
  c->dataverse_version = row != NULL ? sb_sync_row_version (row) : c->dataverse_version;
  c->last_result = SB_SYNC_RESULT_OK;
  c->pending = FALSE;
  return sb_sync_coupling_save (store, c, error);
}

/* Sends @note's text to annotation @id (an upsert: it may create it) and records the pair. */
static gboolean
send_note (Notes *n, SbSyncCoupling *c, SbSalesNote *note, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) row = NULL;

  json_object_set_string_member (body, "notetext", note->text);
  if (c->pending)
    {
      json_object_set_string_member (body, "subject", _ ("Note"));
      json_object_set_boolean_member (body, "isdocument", FALSE);
      sb_json_set_bind (body, "objectid_salesorder", "salesorders", n->order_id);
    }
  if (!sb_dataverse_connection_write_sync (
          n->ctx->cnc, "annotations", c->dataverse_id, body,
          c->pending ? SB_DATAVERSE_WRITE_UPSERT : SB_DATAVERSE_WRITE_UPDATE,
          c->pending ? NULL : "*", NULL, &row, n->ctx->cancellable, error))
    return FALSE;
  return save (n->ctx->store, c, note->change_no, row, error);
}

/* One annotation of the order: new in the ERP, or one side of a pair changed or went away. */
static gboolean
sync_annotation (Notes *n, JsonObject *row, GError **error)
{
  SbStore *store = n->ctx->store;
  const char *id = sb_json_get_string (row, "annotationid", "");
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_dataverse (store, NOTE_MAPPING, id, &local_error);
  g_autoptr (SbSalesNote) note = NULL;
  g_autofree char *key = NULL;
  gint64 note_id;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (c == NULL)
    {
      /* New in Sales: a new ERP note, coupled. */
      note_id = sb_sales_note_add (store, SB_SALES_DOC_ORDER, n->order_no, annotation_text (row),
                                   &local_error);
      if (note_id == 0 && g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID))
        return TRUE; /* an empty note: nothing to keep */
      if (note_id == 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      note = sb_sales_note_get (store, note_id, error);
      key = note_key (note_id);
      c = sb_sync_coupling_new (NOTE_MAPPING, key, id);
      n->counters->created++;
      return note != NULL && save (store, c, note->change_no, row, error);
    }
  note = sb_sales_note_get (store, g_ascii_strtoll (c->erp_key, NULL, 10), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (note == NULL)
    {
      /* Deleted in the ERP: deleted in Sales too. */
      if (!sb_dataverse_connection_delete_sync (n->ctx->cnc, "annotations", id, NULL,
                                                n->ctx->cancellable, &local_error) &&
          !g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      n->counters->updated++;
      return sb_sync_coupling_delete (store, c->id, error);
    }
  if (note->change_no > c->erp_change_no)
    {
      n->counters->updated++;
      return send_note (n, c, note, error);
    }
  if (sb_sync_row_version (row) != c->dataverse_version)
    {
      g_autoptr (SbSalesNote) updated = NULL;

      if (!sb_sales_note_update (store, note->id, annotation_text (row), error))
        return FALSE;
      updated = sb_sales_note_get (store, note->id, error);
      n->counters->updated++;
      return updated != NULL && save (store, c, updated->change_no, row, error);
    }
  return TRUE;
}

/* ERP notes of the order without an annotation: new in the ERP (sent), or deleted in Sales. */
static gboolean
sync_erp_notes (Notes *n, GHashTable *rows, GError **error)
{
  SbStore *store = n->ctx->store;
  g_autoptr (GPtrArray) notes = sb_sales_note_list (store, SB_SALES_DOC_ORDER, n->order_no, error);

  if (notes == NULL)
    return FALSE;
  for (guint i = 0; i < notes->len; i++)
    {
      SbSalesNote *note = notes->pdata[i];
      g_autofree char *key = note_key (note->id);
      g_autoptr (GError) local_error = NULL;
      g_autoptr (SbSyncCoupling) c =
          sb_sync_coupling_find_erp (store, NOTE_MAPPING, key, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (c != NULL && !c->pending && g_hash_table_contains (rows, c->dataverse_id))
        continue; /* done by sync_annotation() */
      if (c != NULL && !c->pending)
        {
          /* Deleted in Sales: deleted in the ERP too. */
          if (!sb_sales_note_delete (store, note->id, error) ||
              !sb_sync_coupling_delete (store, c->id, error))
            return FALSE;
          n->counters->updated++;
          continue;
        }
      if (c == NULL)
        {
          g_autofree char *id = g_uuid_string_random ();

          c = sb_sync_coupling_new (NOTE_MAPPING, key, id);
          c->pending = TRUE;
          if (!sb_sync_coupling_save (store, c, error))
            return FALSE;
        }
      if (!send_note (n, c, note, error))
        return FALSE;
      n->counters->created++;
    }
  return TRUE;
}

gboolean
sb_sync_engine_sync_order_notes_sync (SbSyncEngine *self, SbStore *store,
                                      SbSalesImportCounters *out_counters,
                                      GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, store, sb_sync_engine_get_connection (self), cancellable };
  SbSalesImportCounters counters = { 0 };
  g_autoptr (GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT o.no, o.dataverse_id FROM sales_document_origin o JOIN sales_header h"
      " ON h.doc_type = o.doc_type AND h.no = o.no WHERE o.doc_type = 1 AND o.marked = 1"
      " ORDER BY o.no",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GStrv pair = g_new0 (char *, 3);

      pair[0] = sb_column_dup (stmt, 0);
      pair[1] = sb_column_dup (stmt, 1);
      g_ptr_array_add (orders, pair);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  for (guint i = 0; i < orders->len; i++)
    {
      GStrv pair = orders->pdata[i];
      Notes n = { &ctx, &counters, pair[0], pair[1] };
      g_autoptr (GHashTable) rows = NULL;
      g_autoptr (GError) local_error = NULL;
      GHashTableIter iter;
      gpointer value;

      rows = read_annotations (&n, &local_error);
      if (rows != NULL)
        {
          g_hash_table_iter_init (&iter, rows);
          while (local_error == NULL && g_hash_table_iter_next (&iter, NULL, &value))
            sync_annotation (&n, value, &local_error);
          if (local_error == NULL)
            sync_erp_notes (&n, rows, &local_error);
        }
      if (local_error == NULL)
        continue;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* One order's failure does not stop the others; the next run retries it. */
      counters.failed++;
      sb_sales_import_job_error (store, 0, NOTE_MAPPING, pair[0], pair[1], local_error->message);
    }
  if (out_counters != NULL)
    *out_counters = counters;
  return TRUE;
}
