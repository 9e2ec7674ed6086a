/* sb-sync-item-availability.c: the Item Availability job
 *
 * State in sb_meta: "item_availability_change_no", the change number up to which every coupled
 * item was pushed, and "item_availability:<item no>", the quantity last pushed for that item.
 * A product deleted in Sales is not re-created: the update carries If-Match "*".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-dataverse.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-item-availability.h"

#define WATERMARK_KEY "item_availability_change_no"
#define VALUE_PREFIX "item_availability:"
#define PRODUCTS "products"

/* Coupled items changed since the watermark or never pushed, with the value last pushed. */
#define CANDIDATES_SQL                                                                             \
  "SELECT i.no, c.dataverse_id, i.inventory, m.value FROM coupling c"                              \
  " JOIN item i ON i.no = c.erp_key"                                                               \
  " LEFT JOIN sb_meta m ON m.key = '" VALUE_PREFIX "' || i.no"                                     \
  " WHERE c.mapping = 'ITEM-PRODUCT' AND c.pending = 0 AND c.dataverse_id IS NOT NULL"             \
  " AND (i.change_no > ?1 OR m.value IS NULL)"

typedef struct
{
  char *no;
  char *product_id;
  char *value; /* what quantityonhand becomes, in the stable decimal form */
  SbDecimal quantity;
} Push;

static void
push_free (Push *p)
{
  g_free (p->no);
  g_free (p->product_id);
  g_free (p->value);
  g_free (p);
}

static gint64
read_watermark (SbStore *store, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT CAST(value AS INTEGER) FROM sb_meta WHERE key = '" WATERMARK_KEY "'", error);
  gint64 value = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return -1;
    }
  return value;
}

static gboolean
write_meta (SbStore *store, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO sb_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET"
      " value = ?2",
      error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, key);
  sb_bind_text (stmt, 2, value);
  return sb_store_exec_stmt (store, stmt, error);
}

/* The items to push; @out_unchanged counts those whose value is what was pushed last. */
static GPtrArray *
list_pushes (SbStore *store, gint64 watermark, guint *out_unchanged, GError **error)
{
  g_autoptr (GPtrArray) pushes = g_ptr_array_new_with_free_func ((GDestroyNotify) push_free);
  sqlite3_stmt *stmt = sb_store_prepare (store, CANDIDATES_SQL, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, watermark);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      /* §1: negative inventory becomes 0 in Sales. */
      SbDecimal quantity = MAX (sqlite3_column_int64 (stmt, 2), 0);
      g_autofree char *value = sb_decimal_to_string (quantity, 0);
      const char *last = (const char *) sqlite3_column_text (stmt, 3);
      Push *p;

      if (g_strcmp0 (last, value) == 0)
        {
          (*out_unchanged)++;
          continue;
        }
      p = g_new0 (Push, 1);
      p->no = sb_column_dup (stmt, 0);
      p->product_id = sb_column_dup (stmt, 1);
      p->value = g_steal_pointer (&value);
      p->quantity = quantity;
      g_ptr_array_add (pushes, p);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&pushes);
}

/* Sends @pushes[@from..@to) in one $batch and records what went through. */
static gboolean
send_chunk (SbSyncEngine *engine, SbStore *store, GPtrArray *pushes, guint from, guint to,
            SbSyncCounters *counters, char **first_failure, GCancellable *cancellable,
            GError **error)
{
  g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();

  sb_dataverse_batch_set_continue_on_error (batch, TRUE);
  for (guint i = from; i < to; i++)
    {
      Push *p = pushes->pdata[i];
      g_autoptr (JsonObject) body = json_object_new ();

      json_object_set_double_member (body, "quantityonhand", sb_decimal_to_double (p->quantity));
      sb_dataverse_batch_add_update (batch, PRODUCTS, p->product_id, body, NULL);
    }
  if (!sb_dataverse_connection_execute_batch_sync (sb_sync_engine_get_connection (engine), batch,
                                                   cancellable, error))
    return FALSE;
  if (!sb_store_begin (store, error))
    return FALSE;
  for (guint i = from; i < to; i++)
    {
      Push *p = pushes->pdata[i];
      const SbDataverseBatchResult *r = sb_dataverse_batch_get_result (batch, i - from);
      g_autofree char *key = NULL;

      if (r->error != NULL)
        {
          counters->failed++;
          if (*first_failure == NULL)
            *first_failure =
                g_strdup_printf (_ ("Item %s: the availability could not be sent to its product "
                                    "in Dynamics 365 Sales: %s"),
                                 p->no, r->error->message);
          continue;
        }
      key = g_strconcat (VALUE_PREFIX, p->no, NULL);
      if (!write_meta (store, key, p->value, error))
        {
          sb_store_rollback (store);
          return FALSE;
        }
      counters->modified++;
    }
  return sb_store_commit (store, error);
}

gboolean
sb_sync_item_availability_push (SbSyncEngine *engine, SbStore *store, SbSyncCounters *out_counters,
                                char **out_first_failure, GCancellable *cancellable, GError **error)
{
  /* Items changed while this runs are above this number: the next run sees them. */
  gint64 change_no = sb_store_get_change_number (store);
  gint64 watermark = read_watermark (store, error);
  g_autoptr (GPtrArray) pushes = NULL;
  g_autofree char *first_failure = NULL;
  g_autofree char *mark = NULL;
  SbSyncCounters counters = { 0 };
  guint batch_size = MAX (sb_sync_engine_get_batch_size (engine), 1);

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (engine), FALSE);
  if (watermark < 0)
    return FALSE;
  pushes = list_pushes (store, watermark, &counters.unchanged, error);
  if (pushes == NULL)
    return FALSE;
  for (guint from = 0; from < pushes->len; from += batch_size)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !send_chunk (engine, store, pushes, from, MIN (from + batch_size, pushes->len), &counters,
                       &first_failure, cancellable, error))
        {
          if (out_counters != NULL)
            *out_counters = counters;
          return FALSE;
        }
    }
  if (counters.failed == 0)
    {
      mark = g_strdup_printf ("%" G_GINT64_FORMAT, change_no);
      if (!write_meta (store, WATERMARK_KEY, mark, error))
        return FALSE;
    }
  if (out_counters != NULL)
    *out_counters = counters;
  if (out_first_failure != NULL)
    *out_first_failure = g_steal_pointer (&first_failure);
  return TRUE;
}

gboolean
sb_sync_item_availability_pending (SbStore *store, gboolean *out_pending, GError **error)
{
  gint64 watermark = read_watermark (store, error);
  sqlite3_stmt *stmt;
  int rc;

  *out_pending = FALSE;
  if (watermark < 0)
    return FALSE;
  stmt = sb_store_prepare (store, "SELECT EXISTS (" CANDIDATES_SQL ")", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, watermark);
  rc = sqlite3_step (stmt);
  *out_pending = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || sb_store_set_error (store, error);
}
