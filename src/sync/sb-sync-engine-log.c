/* sb-sync-engine-log.c: the engine's status, job log, conflicts and log purge
 *
 * Read-only views of what the runs wrote (sync_job, sync_error, sync_conflict, coupling), kept
 * apart from the runs themselves; they need only a store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-job-status.h"
#include "sb-store-private.h"
#include "sb-sync-engine.h"

static gint64
count (SbStore *store, const char *sql, const char *mapping, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sb_bind_text (stmt, 1, mapping);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    sb_store_set_error (store, error);
  sqlite3_reset (stmt);
  return n;
}

static const char *const job_columns[] = { "inserted", "modified", "deleted", "unchanged",
                                           "skipped",  "failed",   "coupled", "uncoupled" };

static void
add_job (JsonBuilder *b, sqlite3_stmt *stmt)
{
  /* id, mapping, direction, started_at, finished_at, counters…, message, kind */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (b, "mapping");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, sb_sync_direction_to_string (sqlite3_column_int (stmt, 2)));
  json_builder_set_member_name (b, "started_at");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 3));
  json_builder_set_member_name (b, "finished_at");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 4));
  for (guint i = 0; i < G_N_ELEMENTS (job_columns); i++)
    {
      json_builder_set_member_name (b, job_columns[i]);
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 5 + (int) i));
    }
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 13));
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 14));
  json_builder_end_object (b);
}

#define JOB_COLUMNS                                                                                \
  "id, mapping, direction, started_at, finished_at, inserted, modified, deleted, unchanged,"       \
  " skipped, failed, coupled, uncoupled, message, kind"

JsonNode *
sb_sync_engine_get_status (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) mappings = sb_sync_mapping_list (store, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (mappings == NULL)
    return NULL;
  json_builder_begin_array (b);
  for (guint i = 0; i < mappings->len; i++)
    {
      SbSyncMapping *m = mappings->pdata[i];
      static const struct
      {
        const char *name;
        const char *sql;
      } counts[] = {
        { "coupled", "SELECT count(*) FROM coupling WHERE mapping = ?1 AND erp_key IS NOT NULL"
                     " AND dataverse_id IS NOT NULL AND pending = 0" },
        { "skipped", "SELECT count(*) FROM coupling WHERE mapping = ?1 AND skipped = 1" },
        { "failed", "SELECT count(*) FROM coupling WHERE mapping = ?1 AND last_result = 2"
                    " AND skipped = 0" },
        { "conflicts", "SELECT count(*) FROM sync_conflict WHERE mapping = ?1 AND resolved = 0" },
      };
      sqlite3_stmt *stmt;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mapping");
      json_builder_add_string_value (b, m->name);
      json_builder_set_member_name (b, "direction");
      json_builder_add_string_value (b, sb_sync_direction_to_string (m->direction));
      json_builder_set_member_name (b, "implemented");
      json_builder_add_boolean_value (b, m->transfer_implemented);
      for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
        {
          gint64 n = count (store, counts[c].sql, m->name, error);

          if (n < 0)
            return NULL;
          json_builder_set_member_name (b, counts[c].name);
          json_builder_add_int_value (b, n);
        }
      stmt = sb_store_prepare (store,
                               "SELECT " JOB_COLUMNS " FROM sync_job WHERE mapping = ?1"
                               " ORDER BY id DESC LIMIT 1",
                               error);
      if (stmt == NULL)
        return NULL;
      sb_bind_text (stmt, 1, m->name);
      json_builder_set_member_name (b, "last_job");
      if (sqlite3_step (stmt) == SQLITE_ROW)
        add_job (b, stmt);
      else
        json_builder_add_null_value (b);
      sqlite3_reset (stmt);

      /* The recurring job (sb-job-queue.h) and the full synchronization line, when there are. */
      stmt = sb_store_prepare (store, "SELECT status, next_run FROM job_queue WHERE mapping = ?1",
                               error);
      if (stmt == NULL)
        return NULL;
      sb_bind_text (stmt, 1, m->name);
      json_builder_set_member_name (b, "job_status");
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr (GDateTime) next =
              g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));
          g_autofree char *text = next != NULL ? g_date_time_format_iso8601 (next) : g_strdup ("");

          json_builder_add_string_value (b, sb_job_status_to_nick (sqlite3_column_int (stmt, 0)));
          json_builder_set_member_name (b, "next_run");
          json_builder_add_string_value (b, text);
        }
      else
        {
          json_builder_add_string_value (b, "");
          json_builder_set_member_name (b, "next_run");
          json_builder_add_null_value (b);
        }
      sqlite3_reset (stmt);
      stmt =
          sb_store_prepare (store, "SELECT status FROM full_sync_review WHERE mapping = ?1", error);
      if (stmt == NULL)
        return NULL;
      sb_bind_text (stmt, 1, m->name);
      json_builder_set_member_name (b, "full_sync_status");
      json_builder_add_string_value (b, sqlite3_step (stmt) == SQLITE_ROW
                                            ? sb_job_status_to_nick (sqlite3_column_int (stmt, 0))
                                            : "");
      sqlite3_reset (stmt);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

JsonNode *
sb_sync_engine_get_log (SbStore *store, gboolean errors_only, guint limit, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (!sb_sync_mapping_ensure_defaults (store, error))
    return NULL;
  stmt = sb_store_prepare (
      store,
      errors_only ? "SELECT id, job_id, mapping, erp_key, dataverse_id, message, created_at"
                    " FROM sync_error ORDER BY id DESC LIMIT ?1"
                  : "SELECT " JOB_COLUMNS " FROM sync_job ORDER BY id DESC LIMIT ?1",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, (int) limit);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!errors_only)
        {
          add_job (b, stmt);
          continue;
        }
      static const char *const names[] = { "id",           "job_id",  "mapping",   "erp_key",
                                           "dataverse_id", "message", "created_at" };
      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          json_builder_set_member_name (b, names[i]);
          if (i < 2)
            json_builder_add_int_value (b, sqlite3_column_int64 (stmt, (int) i));
          else
            json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, (int) i));
        }
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

/* The differing fields of an update conflict, from the values stored when it was found. */
static void
add_conflict_fields (JsonBuilder *b, const SbSyncMapping *m, const char *erp_values,
                     const char *sales_values)
{
  g_autoptr (JsonNode) erp = json_from_string (erp_values, NULL);
  g_autoptr (JsonNode) sales = json_from_string (sales_values, NULL);
  const SbRecordType *type = m != NULL ? sb_sync_erp_record_type (m->erp_table) : NULL;
  JsonObject *erp_object;
  JsonObject *sales_object;
  g_autoptr (GList) names = NULL;

  json_builder_begin_array (b);
  if (erp == NULL || sales == NULL || !JSON_NODE_HOLDS_OBJECT (erp) ||
      !JSON_NODE_HOLDS_OBJECT (sales))
    {
      json_builder_end_array (b);
      return;
    }
  erp_object = json_node_get_object (erp);
  sales_object = json_node_get_object (sales);
  names = json_object_get_members (erp_object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      const SbField *field = type != NULL ? sb_record_type_find_field (type, name) : NULL;
      const char *attribute = "";

      for (guint i = 0; m != NULL && i < m->fields->len; i++)
        {
          const SbSyncFieldMapping *f = m->fields->pdata[i];

          if (g_strcmp0 (f->erp_field, name) == 0 && f->direction == SB_SYNC_DIRECTION_BOTH)
            {
              attribute = f->dataverse_field;
              break;
            }
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "attribute");
      json_builder_add_string_value (b, attribute);
      json_builder_set_member_name (b, "caption");
      json_builder_add_string_value (b, field != NULL && field->label != NULL ? _ (field->label)
                                                                              : name);
      json_builder_set_member_name (b, "erp_value");
      json_builder_add_string_value (b, sb_json_get_string (erp_object, name, ""));
      json_builder_set_member_name (b, "sales_value");
      json_builder_add_string_value (b, sb_json_get_string (sales_object, name, ""));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
sb_sync_engine_get_conflicts (SbStore *store, GError **error)
{
  static const char *const names[] = { "id",      "mapping",      "kind",
                                       "erp_key", "dataverse_id", "created_at" };
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GHashTable) mappings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) sb_sync_mapping_free);
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT id, mapping, kind, erp_key, dataverse_id, created_at, erp_values, sales_values"
      " FROM sync_conflict WHERE resolved = 0 ORDER BY id",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *mapping = (const char *) sqlite3_column_text (stmt, 1);
      SbSyncMapping *m = g_hash_table_lookup (mappings, mapping);

      if (m == NULL && !g_hash_table_contains (mappings, mapping))
        {
          /* Captions need the mapping; a mapping that cannot be read leaves them bare. */
          m = sb_sync_mapping_load (store, mapping, NULL);
          g_hash_table_insert (mappings, g_strdup (mapping), m);
        }
      json_builder_begin_object (b);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          json_builder_set_member_name (b, names[i]);
          if (i == 0)
            json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 0));
          else if (i == 2)
            json_builder_add_string_value (b, sqlite3_column_int (stmt, 2) == 0 ? "update"
                                                                                : "deletion");
          else
            json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, (int) i));
        }
      if (sqlite3_column_int (stmt, 2) == 0)
        {
          json_builder_set_member_name (b, "fields");
          add_conflict_fields (b, m, (const char *) sqlite3_column_text (stmt, 6),
                               (const char *) sqlite3_column_text (stmt, 7));
        }
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

gboolean
sb_sync_engine_purge_log (SbStore *store, guint older_than_days, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) limit = g_date_time_add_days (now, -(gint) older_than_days);
  /* 0 is all: no limit (NULL), for "now" in whole seconds with "<" would keep what started in
   * the current second. */
  g_autofree char *before =
      older_than_days > 0 ? g_date_time_format (limit, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  sqlite3_stmt *stmt;

  if (!sb_store_begin (store, error))
    return FALSE;
  /* Errors go with their jobs (ON DELETE CASCADE needs foreign keys on: delete both). */
  stmt =
      sb_store_prepare (store, "DELETE FROM sync_error WHERE ?1 IS NULL OR created_at < ?1", error);
  if (stmt == NULL)
    goto fail;
  sb_bind_text_or_null (stmt, 1, before);
  if (!sb_store_exec_stmt (store, stmt, error))
    goto fail;
  stmt = sb_store_prepare (store, "DELETE FROM sync_history WHERE ?1 IS NULL OR created_at < ?1",
                           error);
  if (stmt == NULL)
    goto fail;
  sb_bind_text_or_null (stmt, 1, before);
  if (!sb_store_exec_stmt (store, stmt, error))
    goto fail;
  stmt =
      sb_store_prepare (store, "DELETE FROM sync_job WHERE ?1 IS NULL OR started_at < ?1", error);
  if (stmt == NULL)
    goto fail;
  sb_bind_text_or_null (stmt, 1, before);
  if (!sb_store_exec_stmt (store, stmt, error))
    goto fail;
  return sb_store_commit (store, error);
fail:
  sb_store_rollback (store);
  return FALSE;
}
