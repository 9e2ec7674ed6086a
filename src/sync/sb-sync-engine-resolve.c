/* sb-sync-engine-resolve.c: resolving recorded conflicts by hand
 *
 * With the conflict policy "none" a run records update and deletion conflicts
 * (integration-behaviour.md §4) and leaves both sides alone; here a user resolves them later:
 * an update conflict field by field (each differing field keeps the ERP or the Sales value),
 * a deletion conflict by restoring the deleted record or removing the coupling.
 *
 * Both sides are read fresh when resolving: the values that still differ are the ones that
 * need a choice. Sales is written first, with the row version just read (If-Match), so a row
 * changed meanwhile fails cleanly; then the ERP record, the coupling's markers, the conflict
 * and the history row are committed in one transaction. A resolution interrupted between the
 * two finds the Sales fields already equal the next time and writes only what is left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-store-private.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-run-private.h"

typedef struct
{
  gint64 id;
  char *mapping;
  int kind;
  char *erp_key;
  char *dataverse_id;
} ConflictRow;

static void
conflict_row_clear (ConflictRow *row)
{
  g_free (row->mapping);
  g_free (row->erp_key);
  g_free (row->dataverse_id);
}

/* Loads open conflict @id of @kind; a clear error when it is missing, resolved or another kind. */
static gboolean
load_conflict (SbStore *store, gint64 id, int kind, ConflictRow *out, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store,
                                         "SELECT mapping, kind, erp_key, dataverse_id, resolved"
                                         " FROM sync_conflict WHERE id = ?1",
                                         error);
  g_autofree char *number = g_strdup_printf ("%" PRId64, id);
  int rc;
  gboolean resolved;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                     _ ("There is no synchronization conflict %s. List the open conflicts and "
                        "use one of their numbers."),
                     number);
      else
        sb_store_set_error (store, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  out->id = id;
  out->mapping = sb_column_dup (stmt, 0);
  out->kind = sqlite3_column_int (stmt, 1);
  out->erp_key = sb_column_dup (stmt, 2);
  out->dataverse_id = sb_column_dup (stmt, 3);
  resolved = sqlite3_column_int (stmt, 4) != 0;
  sqlite3_reset (stmt);
  if (resolved)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                   _ ("Synchronization conflict %s is already resolved."), number);
      return FALSE;
    }
  if (out->kind != kind)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                   kind == 0 ? _ ("Synchronization conflict %s is a deletion conflict: restore "
                                  "the deleted record or remove the coupling.")
                             : _ ("Synchronization conflict %s is an update conflict: choose "
                                  "which value to keep for each field."),
                   number);
      return FALSE;
    }
  return TRUE;
}

/* Marks the conflict resolved with a "resolved" history row (inside a transaction). */
static gboolean
mark_resolved (Run *run, const ConflictRow *row, JsonObject *fields, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      run->store, "UPDATE sync_conflict SET resolved = 1, resolved_at = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->id);
  sb_bind_text (stmt, 2, sb_store_get_now (run->store));
  return sb_store_exec_stmt (run->store, stmt, error) &&
         sb_sync_run_history (run, row->erp_key, row->dataverse_id, SB_SYNC_ACTION_RESOLVED, fields,
                              _ ("The conflict was resolved."), error);
}

/* ---- Update conflicts --------------------------------------------------------------------------
 */

typedef struct
{
  Run *run;
  const ConflictRow *conflict;
  SbSyncCoupling *coupling;
  gpointer record;  /* the ERP record as read */
  gpointer merged;  /* with the Sales values chosen */
  JsonObject *row;  /* the Dataverse row after writing */
  JsonObject *kept; /* field → kept value, for the history */
} ResolveTxn;

static gboolean
resolve_txn (SbStore *store, gpointer user_data, GError **error)
{
  ResolveTxn *t = user_data;
  Run *run = t->run;
  const SbField *change_field = sb_record_type_find_field (run->type, "change_no");
  SbSyncCoupling *c = t->coupling;

  if (!sb_sync_run_records_equal (run, t->record, t->merged) &&
      !sb_record_update (store, run->type, t->merged, error))
    return FALSE;
  /* Both markers move on: the run after this sees neither side as changed. */
  c->erp_change_no = sb_record_get_int (change_field, t->merged);
  c->dataverse_version = sb_sync_row_version (t->row);
  g_free (c->dataverse_modifiedon);
  c->dataverse_modifiedon = g_strdup (sb_json_get_string (t->row, "modifiedon", ""));
  c->last_result = SB_SYNC_RESULT_OK;
  c->error_count = 0;
  c->skipped = FALSE;
  g_free (c->last_error);
  c->last_error = g_strdup ("");
  g_free (c->synced_at);
  c->synced_at = g_strdup (sb_store_get_now (store));
  return sb_sync_coupling_save (store, c, error) &&
         mark_resolved (run, t->conflict, t->kept, error);
}

/* Keeps only the members of @body that belong to the ERP fields in @fields (a lookup's member
 * is "<navigation>@odata.bind"). */
static void
keep_attributes (Run *run, JsonObject *body, GHashTable *fields)
{
  g_autoptr (GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      gboolean keep = FALSE;

      for (guint i = 0; !keep && i < run->mapping->fields->len; i++)
        {
          const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
          gsize n = strlen (f->dataverse_field);

          keep = g_hash_table_contains (fields, f->erp_field) &&
                 strncmp (member, f->dataverse_field, n) == 0 &&
                 (member[n] == '\0' || member[n] == '@');
        }
      if (!keep)
        json_object_remove_member (body, member);
    }
}

static gboolean
resolve_update (SbSyncEngine *self, SbStore *store, gint64 conflict_id, GHashTable *choices,
                GCancellable *cancellable, GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  ConflictRow conflict = { 0 };
  Run run;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) written = NULL;
  g_autoptr (JsonObject) kept = json_object_new ();
  g_autoptr (GHashTable) to_sales = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *fields = NULL;
  g_autofree char *erp_values = NULL;
  g_autofree char *sales_values = NULL;
  gpointer record = NULL;
  gpointer theirs = NULL;
  gpointer merged = NULL;
  gboolean ok = FALSE;
  guint n_erp = 0;
  guint n_sales = 0;

  memset (&run, 0, sizeof run);
  if (!load_conflict (store, conflict_id, 0, &conflict, error) ||
      !sb_sync_run_init (&run, self, store, conflict.mapping, cancellable, error))
    goto out;
  c = sb_sync_coupling_find_erp (store, run.mapping->name, conflict.erp_key, error);
  if (c == NULL && *error != NULL)
    goto out;
  if (!sb_sync_coupling_is_coupled (c) || g_strcmp0 (c->dataverse_id, conflict.dataverse_id) != 0)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("%s is not coupled in the %s mapping."), conflict.erp_key, run.mapping->name);
      goto out;
    }
  record = sb_sync_run_erp_lookup (&run, conflict.erp_key, error);
  if (record == NULL)
    {
      if (*error == NULL)
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("There is no %s “%s”."),
                     _ (run.type->label), conflict.erp_key);
      goto out;
    }
  row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (self),
                                               run.mapping->entity_set, c->dataverse_id, NULL, NULL,
                                               cancellable, error);
  if (row == NULL)
    goto out;
  merged = sb_record_copy (run.type, record);
  if (sb_sync_run_conflicting_fields (&run, record, row, &fields, &erp_values, &sales_values,
                                      &theirs))
    {
      g_autoptr (JsonNode) node = json_from_string (erp_values, NULL);
      g_autoptr (GList) names = json_object_get_members (json_node_get_object (node));

      /* Every field that still differs needs a choice; fields that agree by now need none. */
      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          const SbField *field = sb_record_type_find_field (run.type, name);
          gpointer choice = NULL;
          g_autofree char *value = NULL;

          if (choices == NULL || !g_hash_table_lookup_extended (choices, name, NULL, &choice) ||
              (GPOINTER_TO_INT (choice) != SB_SYNC_DIRECTION_TO_SALES &&
               GPOINTER_TO_INT (choice) != SB_SYNC_DIRECTION_FROM_SALES))
            {
              g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                           _ ("Choose whether to keep the ERP or the Dynamics 365 Sales value of "
                              "%s to resolve the conflict."),
                           field->label != NULL ? _ (field->label) : field->name);
              goto out;
            }
          if (GPOINTER_TO_INT (choice) == SB_SYNC_DIRECTION_FROM_SALES)
            {
              value = sb_record_to_string (field, theirs);
              if (!sb_record_parse_field (run.type, field, merged, value, error))
                goto out;
              n_sales++;
            }
          else
            {
              value = sb_record_to_string (field, record);
              g_hash_table_add (to_sales, (gpointer) field->name);
              n_erp++;
            }
          json_object_set_string_member (kept, name, value ? value : "");
        }
    }
  run.phase = n_sales == 0 ? SB_SYNC_DIRECTION_TO_SALES
              : n_erp == 0 ? SB_SYNC_DIRECTION_FROM_SALES
                           : SB_SYNC_DIRECTION_BOTH;
  if (n_erp > 0)
    {
      g_autoptr (JsonObject) body = sb_sync_run_build_body (&run, merged, error);

      if (body == NULL)
        goto out;
      keep_attributes (&run, body, to_sales);
      if (!sb_dataverse_connection_write_sync (sb_sync_engine_get_connection (self),
                                               run.mapping->entity_set, c->dataverse_id, body,
                                               SB_DATAVERSE_WRITE_UPDATE, sb_json_get_etag (row),
                                               NULL, &written, cancellable, error))
        goto out;
    }
  {
    ResolveTxn t = { &run, &conflict, c, record, merged, written ? written : row, kept };

    ok = sb_store_run_in_transaction (store, resolve_txn, &t, error);
  }
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  if (theirs != NULL)
    sb_record_free (run.type, theirs);
  if (merged != NULL)
    sb_record_free (run.type, merged);
  sb_sync_run_clear (&run);
  conflict_row_clear (&conflict);
  return ok;
}

/* ---- Deletion conflicts ---------------------------------------------------------------------- */

typedef struct
{
  Run *run;
  const ConflictRow *conflict;
  SbSyncCoupling *coupling; /* to remove, or NULL */
} DeletionTxn;

static gboolean
deletion_txn (SbStore *store, gpointer user_data, GError **error)
{
  DeletionTxn *t = user_data;

  if (t->coupling != NULL &&
      !sb_sync_run_uncouple (t->run, t->coupling, _ ("The coupling was removed by hand."), error))
    return FALSE;
  return mark_resolved (t->run, t->conflict, NULL, error);
}

static gboolean
resolve_deletion (SbSyncEngine *self, SbStore *store, gint64 conflict_id, gboolean restore,
                  GCancellable *cancellable, GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  ConflictRow conflict = { 0 };
  Run run;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GError) local_error = NULL;
  gpointer record = NULL;
  gboolean ok = FALSE;

  memset (&run, 0, sizeof run);
  if (!load_conflict (store, conflict_id, 1, &conflict, error) ||
      !sb_sync_run_init (&run, self, store, conflict.mapping, cancellable, error))
    goto out;
  c = sb_sync_coupling_find_erp (store, run.mapping->name, conflict.erp_key, error);
  if (c == NULL && *error != NULL)
    goto out;
  if (!sb_sync_coupling_is_coupled (c))
    g_clear_pointer (&c, sb_sync_coupling_free);
  if (!restore || c == NULL)
    {
      DeletionTxn t = { &run, &conflict, c };

      if (restore)
        {
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                       _ ("%s is not coupled in the %s mapping any more: there is nothing to "
                          "restore. Remove the coupling instead."),
                       conflict.erp_key, run.mapping->name);
          goto out;
        }
      run.phase = SB_SYNC_DIRECTION_BOTH;
      ok = sb_store_run_in_transaction (store, deletion_txn, &t, error);
      goto out;
    }
  /* Which side is gone? Read both now: the conflict may be older than the last changes. */
  record = sb_sync_run_erp_lookup (&run, c->erp_key, error);
  if (record == NULL && *error != NULL)
    goto out;
  row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (self),
                                               run.mapping->entity_set, c->dataverse_id, NULL, NULL,
                                               cancellable, &local_error);
  if (row == NULL &&
      !g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto out;
    }
  if (record == NULL && row == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                   _ ("%s was deleted in both the ERP and Dynamics 365 Sales: there is nothing "
                      "to restore. Remove the coupling instead."),
                   c->erp_key);
      goto out;
    }
  if (record == NULL)
    {
      run.phase = SB_SYNC_DIRECTION_FROM_SALES;
      if (!sb_sync_run_restore_erp (&run, row, c->erp_key, error))
        goto out;
    }
  else if (row == NULL)
    {
      run.phase = SB_SYNC_DIRECTION_TO_SALES;
      if (!sb_sync_run_restore_in_sales (&run, c, error))
        goto out;
    }
  if (run.counters.failed > 0)
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, run.last_failure);
      goto out;
    }
  {
    DeletionTxn t = { &run, &conflict, NULL };

    ok = sb_store_run_in_transaction (store, deletion_txn, &t, error);
  }
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  sb_sync_run_clear (&run);
  conflict_row_clear (&conflict);
  return ok;
}

/* ---- Public API ------------------------------------------------------------------------------ */

gboolean
sb_sync_engine_resolve_conflict_sync (SbSyncEngine *self, gint64 conflict_id, GHashTable *choices,
                                      GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return resolve_update (self, sb_sync_engine_get_store (self), conflict_id, choices, cancellable,
                         error);
}

gboolean
sb_sync_engine_resolve_deletion_sync (SbSyncEngine *self, gint64 conflict_id, gboolean restore,
                                      GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return resolve_deletion (self, sb_sync_engine_get_store (self), conflict_id, restore, cancellable,
                           error);
}

typedef struct
{
  gint64 conflict_id;
  GHashTable *choices; /* a copy owned by the task: NULL for a deletion conflict */
  gboolean restore;
} ResolveData;

static void
resolve_data_free (ResolveData *d)
{
  g_clear_pointer (&d->choices, g_hash_table_unref);
  g_free (d);
}

static void
resolve_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  ResolveData *d = task_data;
  GError *error = NULL;
  /* The engine's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store = sb_store_open (sb_store_get_path (sb_sync_engine_get_store (self)),
                                             SB_STORE_OPEN_DEFAULT, &error);
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (d->choices != NULL)
    ok = resolve_update (self, store, d->conflict_id, d->choices, cancellable, &error);
  else
    ok = resolve_deletion (self, store, d->conflict_id, d->restore, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sb_sync_engine_resolve_conflict_async (SbSyncEngine *self, gint64 conflict_id, GHashTable *choices,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ResolveData *d = g_new0 (ResolveData, 1);
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  d->conflict_id = conflict_id;
  /* The worker reads its own copy: the caller may change or free its table meanwhile. */
  d->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (choices != NULL)
    {
      g_hash_table_iter_init (&iter, choices);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (d->choices, g_strdup (key), value);
    }
  g_task_set_source_tag (task, sb_sync_engine_resolve_conflict_async);
  g_task_set_task_data (task, d, (GDestroyNotify) resolve_data_free);
  g_task_run_in_thread (task, resolve_thread);
}

gboolean
sb_sync_engine_resolve_conflict_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sb_sync_engine_resolve_deletion_async (SbSyncEngine *self, gint64 conflict_id, gboolean restore,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ResolveData *d = g_new0 (ResolveData, 1);

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  d->conflict_id = conflict_id;
  d->restore = restore;
  g_task_set_source_tag (task, sb_sync_engine_resolve_deletion_async);
  g_task_set_task_data (task, d, (GDestroyNotify) resolve_data_free);
  g_task_run_in_thread (task, resolve_thread);
}

gboolean
sb_sync_engine_resolve_deletion_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
