/* sb-order-outbox.c: status changes of orders from Sales, waiting to be sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-order-outbox.h"
#include "sb-store-private.h"

/* The Dataverse id of the order's origin, or NULL when it did not come from Sales. */
static char *
origin_id (SbStore *store, const char *order_no, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT dataverse_id FROM sales_document_origin WHERE doc_type = 1 AND no = ?1",
      error);
  char *id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, order_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sb_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sb_store_set_error (store, error);
  return id;
}

static gboolean
insert (SbStore *store, const char *order_no, const char *id, SbOrderOutboxKind kind,
        const char *text, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO sales_order_outbox (order_no, salesorder_id, kind, text, post_id, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      error);
  /* The post's id is chosen now: sending it again after a crash finds it exists. */
  g_autofree char *post_id = g_uuid_string_random ();

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, order_no);
  sb_bind_text (stmt, 2, id);
  sqlite3_bind_int (stmt, 3, kind);
  sb_bind_text (stmt, 4, text ? text : "");
  sb_bind_text (stmt, 5, post_id);
  sb_bind_text (stmt, 6, sb_store_get_now (store));
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_order_outbox_record (SbStore *store, const char *order_no, SbOrderOutboxKind kind,
                        const char *text, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *id = origin_id (store, order_no, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return id == NULL || insert (store, order_no, id, kind, text, error);
}

gboolean
sb_order_outbox_order_deleted (SbStore *store, const char *order_no, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *id = origin_id (store, order_no, &local_error);
  g_autofree char *erp_key = g_strdup_printf ("1\x1f%s", order_no);
  sqlite3_stmt *stmt;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (id == NULL)
    return TRUE;
  if (!insert (store, order_no, id, SB_ORDER_OUTBOX_REACTIVATE, "", error))
    return FALSE;
  /* A resubmitted Sales order makes a new ERP order. */
  stmt = sb_store_prepare (store,
                           "DELETE FROM coupling WHERE mapping = 'SALESORDER-ORDER'"
                           " AND erp_key = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, erp_key);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  stmt = sb_store_prepare (
      store, "DELETE FROM sales_document_origin WHERE doc_type = 1 AND no = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, order_no);
  return sb_store_exec_stmt (store, stmt, error);
}
