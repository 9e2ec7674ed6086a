/* sb-sync-order-status.c: the Sales Order Status job (integration-behaviour.md §2, §5)
 *
 * Sends what the ERP recorded in sales_order_outbox (src/core/sb-order-outbox.h): timeline
 * posts (source Auto, type Status) with the id chosen when they were recorded, so a post sent
 * twice after a crash exists once; Invoiced; Active / Pending after a deletion. Then keeps
 * SALESORDER-ORDER's Last Shipment Date → datefulfilled and Requested Delivery Date →
 * requestdeliveryby of the orders that came from Sales.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"

#define POST_SOURCE_AUTO 1
#define POST_TYPE_STATUS 7

static const char *const state_nicks[] = { "pending", "sent", "failed" };

JsonNode *
sb_sync_engine_get_order_posts (SbStore *store, const char *order_no, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store,
                        "SELECT text, state, created_at, sent_at, message FROM sales_order_outbox"
                        " WHERE order_no = ?1 AND kind = 0 ORDER BY id",
                        error);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, order_no);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int state = sqlite3_column_int (stmt, 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (
          b, state >= 0 && state < (int) G_N_ELEMENTS (state_nicks) ? state_nicks[state] : "");
      json_builder_set_member_name (b, "created_at");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (b, "sent_at");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 3));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 4));
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

typedef struct
{
  gint64 id;
  char *order_no;
  char *salesorder_id;
  int kind;
  char *text;
  char *post_id;
} OutboxRow;

static void
outbox_row_free (OutboxRow *r)
{
  g_free (r->order_no);
  g_free (r->salesorder_id);
  g_free (r->text);
  g_free (r->post_id);
  g_free (r);
}

static GPtrArray *
pending_rows (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_row_free);
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT id, order_no, salesorder_id, kind, text, post_id FROM sales_order_outbox"
      " WHERE state <> 1 ORDER BY id",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OutboxRow *r = g_new0 (OutboxRow, 1);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->order_no = sb_column_dup (stmt, 1);
      r->salesorder_id = sb_column_dup (stmt, 2);
      r->kind = sqlite3_column_int (stmt, 3);
      r->text = sb_column_dup (stmt, 4);
      r->post_id = sb_column_dup (stmt, 5);
      g_ptr_array_add (rows, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static gboolean
set_result (SbStore *store, gint64 id, const char *message, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "UPDATE sales_order_outbox SET state = ?2, sent_at = ?3, message = ?4 WHERE id = ?1",
      error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *sent = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, message == NULL ? SB_ORDER_OUTBOX_SENT : SB_ORDER_OUTBOX_FAILED);
  sb_bind_text (stmt, 3, message == NULL ? sent : "");
  sb_bind_text (stmt, 4, message ? message : "");
  return sb_store_exec_stmt (store, stmt, error);
}

static gboolean
send_row (SbSalesImport *ctx, OutboxRow *r, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GError) local_error = NULL;

  switch (r->kind)
    {
      case SB_ORDER_OUTBOX_POST:
        json_object_set_string_member (body, "postid", r->post_id);
        json_object_set_string_member (body, "text", r->text);
        json_object_set_int_member (body, "source", POST_SOURCE_AUTO);
        json_object_set_int_member (body, "type", POST_TYPE_STATUS);
        sb_json_set_bind (body, "regardingobjectid_salesorder", "salesorders", r->salesorder_id);
        {
          g_autofree char *id = sb_dataverse_connection_create_sync (
              ctx->cnc, "posts", body, NULL, ctx->cancellable, &local_error);

          /* Sent before a crash: the post exists under its id already. */
          if (id == NULL &&
              !g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DUPLICATE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
        return TRUE;
      case SB_ORDER_OUTBOX_INVOICED:
        json_object_set_int_member (body, "statecode", SB_DV_ORDER_INVOICED);
        json_object_set_int_member (body, "statuscode", SB_DV_ORDER_STATUS_INVOICED);
        if (*r->text != '\0')
          json_object_set_string_member (body, "datefulfilled", r->text);
        break;
      case SB_ORDER_OUTBOX_REACTIVATE:
        json_object_set_int_member (body, "statecode", SB_DV_ORDER_ACTIVE);
        json_object_set_int_member (body, "statuscode", SB_DV_ORDER_STATUS_PENDING);
        json_object_set_null_member (body, "lastbackofficesubmit");
        break;
      default:
        return TRUE;
    }
  return sb_dataverse_connection_write_sync (ctx->cnc, "salesorders", r->salesorder_id, body,
                                             SB_DATAVERSE_WRITE_UPDATE, "*", NULL, NULL,
                                             ctx->cancellable, error);
}

/* SALESORDER-ORDER dates of the orders from Sales that still exist, when they changed. */
static gboolean
send_dates (SbSalesImport *ctx, SbSalesImportCounters *counters, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      ctx->store,
      "SELECT o.no, o.dataverse_id, h.requested_delivery_date, h.last_shipment_date, o.sent_dates"
      " FROM sales_document_origin o JOIN sales_header h ON h.doc_type = o.doc_type"
      " AND h.no = o.no WHERE o.doc_type = 1 AND o.marked = 1"
      " AND o.sent_dates <> h.requested_delivery_date || '|' || h.last_shipment_date",
      error);
  g_autoptr (GPtrArray) todo = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GStrv row = g_new0 (char *, 5);

      for (int i = 0; i < 4; i++)
        row[i] = sb_column_dup (stmt, i);
      g_ptr_array_add (todo, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (ctx->store, error);
  for (guint i = 0; i < todo->len; i++)
    {
      GStrv row = todo->pdata[i];
      g_autoptr (JsonObject) body = json_object_new ();
      g_autoptr (GError) local_error = NULL;
      g_autofree char *sent = g_strdup_printf ("%s|%s", row[2], row[3]);
      sqlite3_stmt *update;

      if (*row[2] != '\0')
        json_object_set_string_member (body, "requestdeliveryby", row[2]);
      else
        json_object_set_null_member (body, "requestdeliveryby");
      if (*row[3] != '\0')
        json_object_set_string_member (body, "datefulfilled", row[3]);
      else
        json_object_set_null_member (body, "datefulfilled");
      if (!sb_dataverse_connection_write_sync (ctx->cnc, "salesorders", row[1], body,
                                               SB_DATAVERSE_WRITE_UPDATE, "*", NULL, NULL,
                                               ctx->cancellable, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          counters->failed++;
          continue;
        }
      update = sb_store_prepare (ctx->store,
                                 "UPDATE sales_document_origin SET sent_dates = ?2"
                                 " WHERE doc_type = 1 AND no = ?1",
                                 error);
      if (update == NULL)
        return FALSE;
      sb_bind_text (update, 1, row[0]);
      sb_bind_text (update, 2, sent);
      if (!sb_store_exec_stmt (ctx->store, update, error))
        return FALSE;
      counters->updated++;
    }
  return TRUE;
}

gboolean
sb_sync_engine_send_order_status_sync (SbSyncEngine *self, SbStore *store,
                                       SbSalesImportCounters *out_counters,
                                       GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, store, sb_sync_engine_get_connection (self), cancellable };
  SbSalesImportCounters counters = { 0 };
  g_autoptr (GPtrArray) rows = pending_rows (store, error);
  g_autofree char *first_failure = NULL;

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      OutboxRow *r = rows->pdata[i];
      g_autoptr (GError) local_error = NULL;

      if (send_row (&ctx, r, &local_error))
        {
          if (!set_result (store, r->id, NULL, error))
            return FALSE;
          counters.created++;
          continue;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* Kept for the next run; the message says why it has not arrived yet. */
      counters.failed++;
      if (first_failure == NULL)
        first_failure = g_strdup (local_error->message);
      if (!set_result (store, r->id, local_error->message, error))
        return FALSE;
    }
  if (!send_dates (&ctx, &counters, error))
    return FALSE;
  if (out_counters != NULL)
    *out_counters = counters;
  return TRUE;
}
