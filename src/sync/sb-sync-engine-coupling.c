/* sb-sync-engine-coupling.c: coupling operations on single records
 *
 * Couple by hand, uncouple, restore a skipped record, create the counterpart on the other side
 * (Create account in Sales / Create customer in ERP) and "Synchronize now" with the side that
 * wins (integration-behaviour.md §4, manual actions).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-run-private.h"

gboolean
sb_sync_couple_txn (SbStore *store, gpointer user_data, GError **error)
{
  CoupleData *d = user_data;
  g_autoptr (SbSyncCoupling) by_key =
      sb_sync_coupling_find_erp (store, d->mapping, d->erp_key, error);
  g_autoptr (SbSyncCoupling) by_id = NULL;

  if (by_key == NULL && *error != NULL)
    return FALSE;
  by_id = sb_sync_coupling_find_dataverse (store, d->mapping, d->dataverse_id, error);
  if (by_id == NULL && *error != NULL)
    return FALSE;
  if (sb_sync_coupling_is_coupled (by_key) || sb_sync_coupling_is_coupled (by_id))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_ALREADY_COUPLED,
                   _ ("%s is already coupled in the %s mapping. Uncouple it first."),
                   sb_sync_coupling_is_coupled (by_key) ? d->erp_key : d->dataverse_id, d->mapping);
      return FALSE;
    }
  /* Rows that only remembered a failure make way for the coupling. */
  if (by_id != NULL && !sb_sync_coupling_delete (store, by_id->id, error))
    return FALSE;
  if (by_key == NULL)
    by_key = sb_sync_coupling_new (d->mapping, d->erp_key, NULL);
  g_free (by_key->dataverse_id);
  by_key->dataverse_id = g_strdup (d->dataverse_id);
  g_free (by_key->dataverse_modifiedon);
  by_key->dataverse_modifiedon = g_strdup (d->modifiedon ? d->modifiedon : "");
  by_key->dataverse_version = d->version;
  by_key->last_result = SB_SYNC_RESULT_NONE;
  by_key->error_count = 0;
  by_key->skipped = FALSE;
  by_key->pending = FALSE;
  by_key->erp_change_no = 0;
  return sb_sync_coupling_save (store, by_key, error) &&
         sb_sync_history_add (store, d->mapping, d->erp_key, d->dataverse_id,
                              SB_SYNC_DIRECTION_BOTH, SB_SYNC_ACTION_COUPLED, NULL, 0, NULL, error);
}

typedef struct
{
  Run *run;
  SbSyncCoupling *coupling;
  const char *message;
} UncoupleData;

static gboolean
uncouple_txn (SbStore *store, gpointer user_data, GError **error)
{
  UncoupleData *d = user_data;

  if (!sb_sync_coupling_delete (store, d->coupling->id, error))
    return FALSE;
  if (d->run == NULL)
    return sb_sync_history_add (store, d->coupling->mapping, d->coupling->erp_key,
                                d->coupling->dataverse_id, SB_SYNC_DIRECTION_BOTH,
                                SB_SYNC_ACTION_UNCOUPLED, NULL, 0, d->message, error);
  d->run->counters.uncoupled++;
  return sb_sync_run_history (d->run, d->coupling->erp_key, d->coupling->dataverse_id,
                              SB_SYNC_ACTION_UNCOUPLED, NULL, d->message, error);
}

gboolean
sb_sync_run_uncouple (Run *run, SbSyncCoupling *c, const char *message, GError **error)
{
  UncoupleData d = { run, c, message };

  return sb_store_run_in_transaction (run->store, uncouple_txn, &d, error);
}

gboolean
sb_sync_run_restore_in_sales (Run *run, SbSyncCoupling *c, GError **error)
{
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  SbSyncDirection phase;
  gpointer record;
  gboolean ok;

  if (run->mapping->direction == SB_SYNC_DIRECTION_FROM_SALES)
    {
      g_autofree char *message = g_strdup_printf (
          _ ("The coupled Dynamics 365 Sales record of %s was deleted and the %s mapping does "
             "not synchronize to Dynamics 365 Sales. Remove the coupling."),
          c->erp_key, run->mapping->name);

      return sb_sync_run_fail_record (run, c->erp_key, c->dataverse_id, message, error);
    }
  record = sb_sync_run_erp_lookup (run, c->erp_key, error);
  if (record == NULL)
    return *error == NULL &&
           sb_sync_run_uncouple (run, c, _ ("The record was deleted on both sides."), error);
  /* Pending: the create below is an upsert of the same id, also when retried after a crash. */
  phase = run->phase;
  run->phase = SB_SYNC_DIRECTION_TO_SALES;
  c->pending = TRUE;
  c->skipped = FALSE;
  c->last_result = SB_SYNC_RESULT_NONE;
  ok = sb_sync_coupling_save (run->store, c, error) &&
       sb_sync_run_queue_record (run, record, ops, error);
  if (ok && ops->len > 0)
    {
      ((Op *) ops->pdata[0])->restore = TRUE;
      ok = sb_sync_run_send_ops (run, ops, error);
    }
  run->type->free_func (record);
  run->phase = phase;
  return ok;
}

gboolean
sb_sync_engine_couple_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                            const char *dataverse_id, GCancellable *cancellable, GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  Run run;
  gpointer record = NULL;
  g_autoptr (JsonObject) row = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  if (!sb_dataverse_is_guid (dataverse_id))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("“%s” is not a Dynamics 365 Sales record id."), dataverse_id);
      return FALSE;
    }
  if (!sb_sync_run_init (&run, self, sb_sync_engine_get_store (self), mapping, cancellable, error))
    goto out;
  record = sb_sync_run_erp_lookup (&run, erp_key, error);
  if (record == NULL)
    {
      if (*error == NULL)
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("There is no %s “%s”."),
                     _ (run.type->label), erp_key);
      goto out;
    }
  row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (self),
                                               run.mapping->entity_set, dataverse_id, NULL, NULL,
                                               cancellable, error);
  if (row != NULL)
    {
      g_autofree char *key = sb_sync_run_erp_key_of (&run, record);
      g_autofree char *id = g_ascii_strdown (dataverse_id, -1);
      CoupleData d = { run.mapping->name, key, id, sb_json_get_string (row, "modifiedon", ""),
                       sb_sync_row_version (row) };

      ok = sb_store_run_in_transaction (sb_sync_engine_get_store (self), sb_sync_couple_txn, &d,
                                        error);
    }
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  sb_sync_run_clear (&run);
  return ok;
}

gboolean
sb_sync_engine_uncouple_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                              GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  g_autoptr (SbSyncMapping) m =
      sb_sync_mapping_load (sb_sync_engine_get_store (self), mapping, error);
  g_autoptr (SbSyncCoupling) c = NULL;

  if (m == NULL)
    return FALSE;
  c = sb_sync_coupling_find_erp (sb_sync_engine_get_store (self), m->name, erp_key, error);
  if (c == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (!sb_sync_coupling_is_coupled (c))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("%s is not coupled in the %s mapping."), erp_key, m->name);
      return FALSE;
    }
  {
    UncoupleData d = { NULL, c, NULL };

    return sb_store_run_in_transaction (sb_sync_engine_get_store (self), uncouple_txn, &d, error);
  }
}

gboolean
sb_sync_engine_restore_sync (SbSyncEngine *self, const char *mapping, const char *key,
                             GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  g_autoptr (SbSyncMapping) m =
      sb_sync_mapping_load (sb_sync_engine_get_store (self), mapping, error);
  g_autoptr (SbSyncCoupling) c = NULL;

  if (m == NULL)
    return FALSE;
  c = sb_sync_coupling_find_erp (sb_sync_engine_get_store (self), m->name, key, error);
  if (c == NULL && *error == NULL && sb_dataverse_is_guid (key))
    c = sb_sync_coupling_find_dataverse (sb_sync_engine_get_store (self), m->name, key, error);
  if (c == NULL)
    {
      if (*error == NULL)
        g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                     _ ("%s is not coupled in the %s mapping."), key, m->name);
      return FALSE;
    }
  /* The last result stays: a failed record is retried (and counts anew towards skipping). */
  c->skipped = FALSE;
  c->error_count = 0;
  return sb_sync_coupling_save (sb_sync_engine_get_store (self), c, error);
}

char *
sb_sync_engine_create_in_sales_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                                     GCancellable *cancellable, GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  Run run;
  gpointer record = NULL;
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  g_autoptr (SbSyncCoupling) c = NULL;
  char *id = NULL;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);
  if (!sb_sync_run_init (&run, self, sb_sync_engine_get_store (self), mapping, cancellable, error))
    goto out;
  if (run.mapping->direction == SB_SYNC_DIRECTION_FROM_SALES)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                   _ ("The %s mapping only synchronizes from Dynamics 365 Sales."),
                   run.mapping->name);
      goto out;
    }
  record = sb_sync_run_erp_lookup (&run, erp_key, error);
  if (record == NULL)
    {
      if (*error == NULL)
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("There is no %s “%s”."),
                     _ (run.type->label), erp_key);
      goto out;
    }
  c = sb_sync_coupling_find_erp (sb_sync_engine_get_store (self), run.mapping->name, erp_key,
                                 error);
  if (c == NULL && *error != NULL)
    goto out;
  if (sb_sync_coupling_is_coupled (c) && !c->pending)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_ALREADY_COUPLED,
                   _ ("%s is already coupled in the %s mapping. Uncouple it first."), erp_key,
                   run.mapping->name);
      goto out;
    }
  if (!sb_sync_run_job_start (&run, SB_SYNC_DIRECTION_TO_SALES, error))
    goto out;
  run.phase = SB_SYNC_DIRECTION_TO_SALES;
  run.force_create = TRUE;
  if (c != NULL && c->skipped)
    {
      c->skipped = FALSE; /* asking for it by hand is a restore */
      if (!sb_sync_coupling_save (sb_sync_engine_get_store (self), c, error))
        goto out;
    }
  if (sb_sync_run_queue_record (&run, record, ops, error) &&
      sb_sync_run_send_ops (&run, ops, error))
    {
      if (run.counters.failed > 0)
        g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, run.last_failure);
      else
        id = g_steal_pointer (&run.last_created);
    }
  sb_sync_run_job_finish (&run, run.last_failure);
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  sb_sync_run_clear (&run);
  return id;
}

char *
sb_sync_engine_create_in_erp_sync (SbSyncEngine *self, const char *mapping,
                                   const char *dataverse_id, GCancellable *cancellable,
                                   GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  Run run;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;
  char *key = NULL;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);
  if (!sb_sync_run_init (&run, self, sb_sync_engine_get_store (self), mapping, cancellable, error))
    goto out;
  if (run.mapping->direction == SB_SYNC_DIRECTION_TO_SALES)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                   _ ("The %s mapping only synchronizes to Dynamics 365 Sales."),
                   run.mapping->name);
      goto out;
    }
  if (!sb_dataverse_is_guid (dataverse_id))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("“%s” is not a Dynamics 365 Sales record id."), dataverse_id);
      goto out;
    }
  c = sb_sync_coupling_find_dataverse (sb_sync_engine_get_store (self), run.mapping->name,
                                       dataverse_id, error);
  if (c == NULL && *error != NULL)
    goto out;
  if (sb_sync_coupling_is_coupled (c))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_ALREADY_COUPLED,
                   _ ("%s is already coupled in the %s mapping. Uncouple it first."), dataverse_id,
                   run.mapping->name);
      goto out;
    }
  row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (self),
                                               run.mapping->entity_set, dataverse_id, NULL, NULL,
                                               cancellable, error);
  if (row == NULL || !sb_sync_run_job_start (&run, SB_SYNC_DIRECTION_FROM_SALES, error))
    goto out;
  run.phase = SB_SYNC_DIRECTION_FROM_SALES;
  run.force_create = TRUE;
  if (c != NULL && c->skipped)
    {
      c->skipped = FALSE;
      if (!sb_sync_coupling_save (sb_sync_engine_get_store (self), c, error))
        goto out;
    }
  if (sb_sync_run_process_row (&run, row, error))
    {
      if (run.counters.failed > 0)
        g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, run.last_failure);
      else
        key = g_steal_pointer (&run.last_created);
    }
  sb_sync_run_job_finish (&run, run.last_failure);
out:
  sb_sync_run_clear (&run);
  return key;
}

typedef struct
{
  Run *run;
  const char *erp_key;
} ResolveData;

/* Synchronize Now settled the record: its open conflicts are resolved, with a history row. */
static gboolean
resolve_conflicts_txn (SbStore *store, gpointer user_data, GError **error)
{
  ResolveData *d = user_data;
  sqlite3_stmt *stmt = sb_store_prepare (store,
                                         "UPDATE sync_conflict SET resolved = 1, resolved_at = ?3"
                                         " WHERE mapping = ?1 AND erp_key = ?2 AND resolved = 0",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, d->run->mapping->name);
  sb_bind_text (stmt, 2, d->erp_key);
  sb_bind_text (stmt, 3, sb_store_get_now (store));
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sb_store_get_db (store)) == 0)
    return TRUE;
  return sb_sync_run_history (d->run, d->erp_key, NULL, SB_SYNC_ACTION_RESOLVED, NULL, NULL, error);
}

gboolean
sb_sync_engine_sync_record_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                                 SbSyncDirection winner, GCancellable *cancellable, GError **error)
{
  /* The code below tests *error: a caller passing NULL gets a local one. */
  g_autoptr (GError) ignored_error = NULL;
  error = error != NULL ? error : &ignored_error;
  Run run;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  gpointer record = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (winner != SB_SYNC_DIRECTION_BOTH, FALSE);
  if (!sb_sync_run_init (&run, self, sb_sync_engine_get_store (self), mapping, cancellable, error))
    goto out;
  if (run.mapping->direction != SB_SYNC_DIRECTION_BOTH && run.mapping->direction != winner)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                   run.mapping->direction == SB_SYNC_DIRECTION_FROM_SALES
                       ? _ ("The %s mapping only synchronizes from Dynamics 365 Sales.")
                       : _ ("The %s mapping only synchronizes to Dynamics 365 Sales."),
                   run.mapping->name);
      goto out;
    }
  c = sb_sync_coupling_find_erp (sb_sync_engine_get_store (self), run.mapping->name, erp_key,
                                 error);
  if (c == NULL && *error != NULL)
    goto out;
  if (!sb_sync_coupling_is_coupled (c))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("%s is not coupled in the %s mapping."), erp_key, run.mapping->name);
      goto out;
    }
  /* Asked for by hand: whatever the record's state, the chosen side is transferred. */
  c->skipped = FALSE;
  c->error_count = 0;
  c->last_result = SB_SYNC_RESULT_NONE;
  if (!sb_sync_coupling_save (sb_sync_engine_get_store (self), c, error) ||
      !sb_sync_run_job_start (&run, winner, error))
    goto out;
  run.phase = winner;
  if (winner == SB_SYNC_DIRECTION_TO_SALES)
    {
      record = sb_sync_run_erp_lookup (&run, erp_key, error);
      if (record == NULL)
        {
          if (*error == NULL)
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("There is no %s “%s”."),
                         _ (run.type->label), erp_key);
          goto finish;
        }
      if (!sb_sync_run_queue_record (&run, record, ops, error) ||
          !sb_sync_run_send_ops (&run, ops, error))
        goto finish;
    }
  else
    {
      g_autoptr (JsonObject) row = sb_dataverse_connection_retrieve_sync (
          sb_sync_engine_get_connection (self), run.mapping->entity_set, c->dataverse_id, NULL,
          NULL, cancellable, error);

      if (row == NULL || !sb_sync_run_process_row (&run, row, error))
        goto finish;
    }
  if (run.counters.failed > 0)
    g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, run.last_failure);
  else
    {
      ResolveData d = { &run, erp_key };

      ok = sb_store_run_in_transaction (sb_sync_engine_get_store (self), resolve_conflicts_txn, &d,
                                        error);
    }
finish:
  sb_sync_run_job_finish (&run, ok || *error == NULL ? NULL : (*error)->message);
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  sb_sync_run_clear (&run);
  return ok;
}
