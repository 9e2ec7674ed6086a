/* sb-sync-coupling.c: coupling rows in the company database
 *
 * Uses the store's private statement cache (sb-store-private.h) for the sync layer's own tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <sqlite3.h>

#include "sb-store-private.h"
#include "sb-sync-coupling.h"

#define COLUMNS                                                                                    \
  "id, mapping, erp_key, dataverse_id, aux_id, pending, erp_change_no, dataverse_modifiedon,"      \
  " last_result, last_error, error_count, skipped, synced_at, dataverse_version"

void
sb_sync_coupling_free (SbSyncCoupling *c)
{
  if (c == NULL)
    return;
  g_free (c->mapping);
  g_free (c->erp_key);
  g_free (c->dataverse_id);
  g_free (c->aux_id);
  g_free (c->dataverse_modifiedon);
  g_free (c->last_error);
  g_free (c->synced_at);
  g_free (c);
}

SbSyncCoupling *
sb_sync_coupling_new (const char *mapping, const char *erp_key, const char *dataverse_id)
{
  SbSyncCoupling *c = g_new0 (SbSyncCoupling, 1);

  c->mapping = g_strdup (mapping);
  c->erp_key = g_strdup (erp_key);
  c->dataverse_id = g_strdup (dataverse_id);
  c->dataverse_modifiedon = g_strdup ("");
  c->last_error = g_strdup ("");
  c->synced_at = g_strdup ("");
  return c;
}

gboolean
sb_sync_coupling_is_coupled (const SbSyncCoupling *c)
{
  return c != NULL && c->erp_key != NULL && c->dataverse_id != NULL;
}

static char *
text_or_empty (sqlite3_stmt *stmt, int i)
{
  const char *t = (const char *) sqlite3_column_text (stmt, i);
  return g_strdup (t ? t : "");
}

/* NULL stays NULL: a coupling half without a side is not the same as an empty id. */
static char *
text_or_null (sqlite3_stmt *stmt, int i)
{
  const char *t = (const char *) sqlite3_column_text (stmt, i);
  return t != NULL ? g_strdup (t) : NULL;
}

static SbSyncCoupling *
from_row (sqlite3_stmt *stmt)
{
  SbSyncCoupling *c = g_new0 (SbSyncCoupling, 1);

  c->id = sqlite3_column_int64 (stmt, 0);
  c->mapping = text_or_empty (stmt, 1);
  c->erp_key = text_or_null (stmt, 2);
  c->dataverse_id = text_or_null (stmt, 3);
  c->aux_id = text_or_null (stmt, 4);
  c->pending = sqlite3_column_int (stmt, 5) != 0;
  c->erp_change_no = sqlite3_column_int64 (stmt, 6);
  c->dataverse_modifiedon = text_or_empty (stmt, 7);
  c->last_result = sqlite3_column_int (stmt, 8);
  c->last_error = text_or_empty (stmt, 9);
  c->error_count = sqlite3_column_int64 (stmt, 10);
  c->skipped = sqlite3_column_int (stmt, 11) != 0;
  c->synced_at = text_or_empty (stmt, 12);
  c->dataverse_version = sqlite3_column_int64 (stmt, 13);
  return c;
}

static SbSyncCoupling *
find_one (SbStore *store, const char *sql, const char *mapping, const char *value, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  SbSyncCoupling *c = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, mapping);
  sb_bind_text (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sb_store_set_error (store, error);
  return c;
}

SbSyncCoupling *
sb_sync_coupling_find_erp (SbStore *store, const char *mapping, const char *erp_key, GError **error)
{
  return find_one (store, "SELECT " COLUMNS " FROM coupling WHERE mapping = ?1 AND erp_key = ?2",
                   mapping, erp_key, error);
}

SbSyncCoupling *
sb_sync_coupling_find_dataverse (SbStore *store, const char *mapping, const char *dataverse_id,
                                 GError **error)
{
  g_autofree char *lower = g_ascii_strdown (dataverse_id, -1);

  return find_one (store,
                   "SELECT " COLUMNS " FROM coupling WHERE mapping = ?1 AND dataverse_id = ?2",
                   mapping, lower, error);
}

gboolean
sb_sync_coupling_save (SbStore *store, SbSyncCoupling *c, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *lower = c->dataverse_id ? g_ascii_strdown (c->dataverse_id, -1) : NULL;

  if (c->id == 0)
    stmt =
        sb_store_prepare (store,
                          "INSERT INTO coupling (mapping, erp_key, dataverse_id, aux_id, pending,"
                          " erp_change_no, dataverse_modifiedon, last_result, last_error,"
                          " error_count, skipped, synced_at, dataverse_version)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14)",
                          error);
  else
    stmt = sb_store_prepare (store,
                             "UPDATE coupling SET mapping = ?1, erp_key = ?2, dataverse_id = ?3,"
                             " aux_id = ?4, pending = ?5, erp_change_no = ?6,"
                             " dataverse_modifiedon = ?7, last_result = ?8, last_error = ?9,"
                             " error_count = ?10, skipped = ?11, synced_at = ?12,"
                             " dataverse_version = ?14 WHERE id = ?13",
                             error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, c->mapping);
  sb_bind_text_or_null (stmt, 2, c->erp_key);
  sb_bind_text_or_null (stmt, 3, lower);
  sb_bind_text_or_null (stmt, 4, c->aux_id);
  sqlite3_bind_int (stmt, 5, c->pending);
  sqlite3_bind_int64 (stmt, 6, c->erp_change_no);
  sb_bind_text (stmt, 7, c->dataverse_modifiedon ? c->dataverse_modifiedon : "");
  sqlite3_bind_int (stmt, 8, c->last_result);
  sb_bind_text (stmt, 9, c->last_error ? c->last_error : "");
  sqlite3_bind_int64 (stmt, 10, c->error_count);
  sqlite3_bind_int (stmt, 11, c->skipped);
  sb_bind_text (stmt, 12, c->synced_at ? c->synced_at : "");
  if (c->id != 0)
    sqlite3_bind_int64 (stmt, 13, c->id);
  sqlite3_bind_int64 (stmt, 14, c->dataverse_version);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  if (c->id == 0)
    c->id = sqlite3_last_insert_rowid (sb_store_get_db (store));
  if (lower != NULL)
    {
      g_free (c->dataverse_id);
      c->dataverse_id = g_steal_pointer (&lower);
    }
  return TRUE;
}

gboolean
sb_sync_coupling_delete (SbStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, "DELETE FROM coupling WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return sb_store_exec_stmt (store, stmt, error);
}

static GPtrArray *
list (SbStore *store, const char *sql, const char *mapping, GError **error)
{
  g_autoptr (GPtrArray) rows =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_coupling_free);
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, mapping);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
sb_sync_coupling_list (SbStore *store, const char *mapping, GError **error)
{
  return list (store,
               "SELECT " COLUMNS " FROM coupling WHERE ?1 IS NULL OR mapping = ?1 ORDER BY id",
               mapping, error);
}

GPtrArray *
sb_sync_coupling_list_to_retry (SbStore *store, const char *mapping, GError **error)
{
  return list (store,
               "SELECT " COLUMNS " FROM coupling WHERE mapping = ?1 AND last_result <> 1"
               " AND skipped = 0 ORDER BY id",
               mapping, error);
}
