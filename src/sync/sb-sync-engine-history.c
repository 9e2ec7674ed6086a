/* sb-sync-engine-history.c: the per-record transfer history
 *
 * Every record a run transfers (or fails, couples, uncouples, restores, resolves) gets a row in
 * sync_history, written in the same transaction as the data or coupling change it records, so
 * there is never history without data nor data without history (issue 5). Reading it needs only
 * a store; the async twins read on a worker thread with a store of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-store-private.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-run-private.h"

static const char *const action_names[] = {
  "inserted", "modified", "deleted",  "coupled",  "uncoupled",
  "conflict", "failed",   "restored", "resolved",
};

const char *
sb_sync_action_to_string (SbSyncAction action)
{
  if ((guint) action >= G_N_ELEMENTS (action_names))
    return NULL;
  return action_names[action];
}

gboolean
sb_sync_history_add (SbStore *store, const char *mapping, const char *erp_key,
                     const char *dataverse_id, SbSyncDirection direction, SbSyncAction action,
                     const char *fields, gint64 job_id, const char *message, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO sync_history (mapping, erp_key, dataverse_id, direction, action, fields,"
      " job_id, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, mapping);
  sb_bind_text (stmt, 2, erp_key ? erp_key : "");
  sb_bind_text (stmt, 3, dataverse_id ? dataverse_id : "");
  sqlite3_bind_int (stmt, 4, direction);
  sqlite3_bind_int (stmt, 5, action);
  sb_bind_text (stmt, 6, fields ? fields : "{}");
  if (job_id != 0)
    sqlite3_bind_int64 (stmt, 7, job_id);
  else
    sqlite3_bind_null (stmt, 7);
  sb_bind_text (stmt, 8, message ? message : "");
  sb_bind_text (stmt, 9, sb_store_get_now (store));
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_sync_run_history (Run *run, const char *erp_key, const char *dataverse_id, SbSyncAction action,
                     JsonObject *fields, const char *message, GError **error)
{
  g_autofree char *text = NULL;

  if (fields != NULL)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), fields);

      text = json_to_string (node, FALSE);
    }
  return sb_sync_history_add (run->store, run->mapping->name, erp_key, dataverse_id, run->phase,
                              action, text, run->counters.job_id, message, error);
}

JsonObject *
sb_sync_run_changed_fields (Run *run, gconstpointer before, gconstpointer after)
{
  g_autoptr (JsonObject) fields = json_object_new ();

  for (guint i = 0; i < run->type->n_fields; i++)
    {
      const SbField *field = &run->type->fields[i];

      if (field->flags & SB_FIELD_FLAG_SYSTEM)
        continue;
      g_autofree char *b = sb_record_to_string (field, after);
      if (before == NULL)
        {
          if (b != NULL && *b != '\0')
            json_object_set_string_member (fields, field->name, b);
          continue;
        }
      g_autofree char *a = sb_record_to_string (field, before);
      if (g_strcmp0 (a, b) != 0)
        json_object_set_string_member (fields, field->name, b ? b : "");
    }
  if (json_object_get_size (fields) == 0)
    return NULL;
  return g_steal_pointer (&fields);
}

JsonNode *
sb_sync_engine_get_history (SbStore *store, const char *mapping, const char *key, guint limit,
                            GError **error)
{
  g_autoptr (SbSyncMapping) m = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *id = NULL;
  const char *erp_key = key;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (key != NULL, NULL);
  m = sb_sync_mapping_load (store, mapping, error);
  if (m == NULL)
    return NULL;
  /* A key names both sides of its coupling: rows written before the coupling existed (or after
   * it went) name only one. */
  id = g_ascii_strdown (key, -1);
  c = sb_sync_coupling_find_erp (store, m->name, key, error);
  if (c == NULL && error != NULL && *error != NULL)
    return NULL;
  if (c == NULL && sb_dataverse_is_guid (key))
    {
      c = sb_sync_coupling_find_dataverse (store, m->name, id, error);
      if (c == NULL && error != NULL && *error != NULL)
        return NULL;
    }
  if (c != NULL)
    {
      if (c->erp_key != NULL)
        erp_key = c->erp_key;
      if (c->dataverse_id != NULL)
        {
          g_free (id);
          id = g_strdup (c->dataverse_id);
        }
    }
  stmt = sb_store_prepare (store,
                           "SELECT created_at, direction, action, job_id, fields, message"
                           " FROM sync_history WHERE (mapping = ?1 AND erp_key = ?2)"
                           " OR (mapping = ?1 AND dataverse_id = ?3) ORDER BY id DESC LIMIT ?4",
                           error);
  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, m->name);
  sb_bind_text (stmt, 2, erp_key);
  sb_bind_text (stmt, 3, id);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  json_builder_begin_array (b);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *action = sb_sync_action_to_string (sqlite3_column_int (stmt, 2));
      g_autoptr (JsonNode) fields =
          json_from_string ((const char *) sqlite3_column_text (stmt, 4), NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "time");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 0));
      json_builder_set_member_name (b, "direction");
      json_builder_add_string_value (b, sb_sync_direction_to_string (sqlite3_column_int (stmt, 1)));
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, action ? action : "");
      json_builder_set_member_name (b, "job_id");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 3));
      json_builder_set_member_name (b, "fields");
      if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
        json_builder_add_value (b, g_steal_pointer (&fields));
      else
        {
          json_builder_begin_object (b);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 5));
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

/* ---- Async twins for the GUI ----------------------------------------------------------------- */

typedef struct
{
  gboolean history; /* FALSE: the conflicts */
  char *mapping;
  char *key;
  guint limit;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_free (d->mapping);
  g_free (d->key);
  g_free (d);
}

static void
read_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  ReadData *d = task_data;
  GError *error = NULL;
  /* The engine's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store = sb_store_open (sb_store_get_path (sb_sync_engine_get_store (self)),
                                             SB_STORE_OPEN_DEFAULT, &error);
  JsonNode *node;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  node = d->history ? sb_sync_engine_get_history (store, d->mapping, d->key, d->limit, &error)
                    : sb_sync_engine_get_conflicts (store, &error);
  if (node == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
start_read (SbSyncEngine *self, ReadData *d, gpointer source_tag, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, d, (GDestroyNotify) read_data_free);
  g_task_run_in_thread (task, read_thread);
}

void
sb_sync_engine_get_conflicts_async (SbSyncEngine *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  start_read (self, g_new0 (ReadData, 1), sb_sync_engine_get_conflicts_async, cancellable, callback,
              user_data);
}

JsonNode *
sb_sync_engine_get_conflicts_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sb_sync_engine_get_history_async (SbSyncEngine *self, const char *mapping, const char *key,
                                  guint limit, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  ReadData *d = g_new0 (ReadData, 1);

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  d->history = TRUE;
  d->mapping = g_strdup (mapping);
  d->key = g_strdup (key);
  d->limit = limit;
  start_read (self, d, sb_sync_engine_get_history_async, cancellable, callback, user_data);
}

JsonNode *
sb_sync_engine_get_history_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
