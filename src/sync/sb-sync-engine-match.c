/* sb-sync-engine-match.c: match-based coupling (integration-behaviour.md §3)
 *
 * For each uncoupled ERP record in the mapping's filter, each priority group of match fields
 * in turn filters Dataverse; exactly one uncoupled row couples, otherwise the record is created
 * in Sales ("create new in case of no match") or logged as failed naming the criteria.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-run-private.h"

typedef struct
{
  GPtrArray *rows;
} MatchRead;

static gboolean
match_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  MatchRead *read = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    g_ptr_array_add (read->rows, json_object_ref (json_array_get_object_element (page->rows, i)));
  return FALSE; /* one page is plenty to tell one match from several */
}

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

/* The id of the single uncoupled Dataverse row matching @record, or NULL with *@out_criteria
 * describing what was tried. */
static char *
find_match (Run *run, gconstpointer record, GArray *priorities, GString *criteria, GError **error)
{
  const char *pk = sb_dataverse_primary_key (run->mapping->entity_set);

  for (guint p = 0; p < priorities->len; p++)
    {
      guint priority = g_array_index (priorities, guint, p);
      SbDataverseFilter *filter = NULL;
      g_autoptr (SbDataverseQuery) query = NULL;
      MatchRead read = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref) };
      g_autoptr (GPtrArray) rows = read.rows;
      g_autoptr (GPtrArray) exact = g_ptr_array_new ();
      gboolean any = FALSE;

      if (!sb_sync_parse_dataverse_filter (run->mapping->dataverse_filter, &filter, error))
        return NULL;
      for (guint i = 0; i < run->mapping->fields->len; i++)
        {
          const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
          const SbField *field = sb_record_type_find_field (run->type, f->erp_field);
          g_autofree char *value = NULL;

          if (f->match_priority != priority || field == NULL || *f->lookup_mapping != '\0')
            continue;
          value = sb_record_to_string (field, record);
          if (value == NULL || *value == '\0')
            continue; /* blank values are not criteria */
          any = TRUE;
          g_string_append_printf (criteria, "%s%s = “%s”", criteria->len ? ", " : "",
                                  f->dataverse_field, value);
          SbDataverseFilter *condition =
              sb_dataverse_filter_string (f->dataverse_field, SB_DATAVERSE_EQ, value);
          filter = filter ? sb_dataverse_filter_and (filter, condition, NULL) : condition;
        }
      if (!any)
        {
          if (filter != NULL)
            sb_dataverse_filter_free (filter);
          continue;
        }
      query = sb_dataverse_query_new (run->mapping->entity_set);
      sb_dataverse_query_set_filter (query, filter);
      sb_dataverse_query_set_page_size (query, 50);
      if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (run->engine), query,
                                               match_page, &read, NULL, run->cancellable, error))
        return NULL;
      /* Dataverse compares case-insensitively; case-sensitive fields are checked here. */
      for (guint r = 0; r < rows->len; r++)
        {
          JsonObject *row = rows->pdata[r];
          gboolean keep = TRUE;

          for (guint i = 0; i < run->mapping->fields->len && keep; i++)
            {
              const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
              const SbField *field = sb_record_type_find_field (run->type, f->erp_field);
              g_autofree char *value = NULL;

              if (f->match_priority != priority || !f->match_case_sensitive || field == NULL)
                continue;
              value = sb_record_to_string (field, record);
              if (value != NULL && *value != '\0' &&
                  g_strcmp0 (value, sb_json_get_string (row, f->dataverse_field, "")) != 0)
                keep = FALSE;
            }
          if (keep)
            g_ptr_array_add (exact, row);
        }
      if (exact->len == 1)
        {
          const char *id = sb_json_get_guid (exact->pdata[0], pk);
          g_autoptr (SbSyncCoupling) c =
              sb_sync_coupling_find_dataverse (run->store, run->mapping->name, id, error);

          if (c == NULL && *error != NULL)
            return NULL;
          if (sb_sync_coupling_is_coupled (c))
            return NULL; /* already coupled to another record: not matched */
          return g_strdup (id);
        }
      /* None or several: the next priority group may tell. */
    }
  return NULL;
}

gboolean
sb_sync_engine_couple_match_sync (SbSyncEngine *self, const char *mapping,
                                  SbSyncCounters *out_counters, GCancellable *cancellable,
                                  GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return sb_sync_engine_run_couple_match (self, sb_sync_engine_get_store (self), mapping, TRUE,
                                          NULL, out_counters, cancellable, error);
}

gboolean
sb_sync_engine_run_couple_match (SbSyncEngine *self, SbStore *store, const char *mapping,
                                 gboolean sync_after, GMainContext *progress_context,
                                 SbSyncCounters *out_counters, GCancellable *cancellable,
                                 GError **error)
{
  Run run;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GArray) priorities = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  g_autoptr (GError) local_error = NULL;
  gboolean ok = FALSE;
  gboolean create;

  if (!sb_sync_run_init (&run, self, store, mapping, cancellable, error))
    {
      sb_sync_run_clear (&run);
      return FALSE;
    }
  run.progress_context = progress_context;
  for (guint i = 0; i < run.mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *f = run.mapping->fields->pdata[i];
      gboolean known = FALSE;

      if (f->match_priority == 0 || !f->enabled)
        continue;
      for (guint j = 0; j < priorities->len; j++)
        known |= g_array_index (priorities, guint, j) == f->match_priority;
      if (!known)
        g_array_append_val (priorities, f->match_priority);
    }
  g_array_sort (priorities, compare_uint);
  create = run.mapping->create_if_no_match && !g_str_equal (run.mapping->name, "SALESPEOPLE") &&
           run.mapping->direction != SB_SYNC_DIRECTION_FROM_SALES;
  if (!sb_sync_run_job_start (&run, run.mapping->direction, error))
    {
      sb_sync_run_clear (&run);
      return FALSE;
    }
  records =
      sb_record_list (store, run.type, *run.mapping->erp_filter ? run.mapping->erp_filter : NULL,
                      NULL, &local_error);
  if (records == NULL)
    goto out;
  for (guint i = 0; i < records->len; i++)
    {
      gpointer record = records->pdata[i];
      g_autofree char *key = sb_sync_run_erp_key_of (&run, record);
      g_autoptr (SbSyncCoupling) c =
          sb_sync_coupling_find_erp (store, run.mapping->name, key, &local_error);
      g_autoptr (GString) criteria = g_string_new (NULL);
      g_autofree char *id = NULL;

      if (c == NULL && local_error != NULL)
        goto out;
      if (sb_sync_coupling_is_coupled (c))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto out;
      id = find_match (&run, record, priorities, criteria, &local_error);
      if (local_error != NULL)
        goto out;
      if (id != NULL)
        {
          CoupleData d = { run.mapping->name, key, id, "", 0 };

          if (!sb_store_run_in_transaction (store, sb_sync_couple_txn, &d, &local_error))
            goto out;
          run.counters.coupled++;
        }
      else if (create)
        {
          run.force_create = TRUE;
          if (!sb_sync_run_queue_record (&run, record, ops, &local_error))
            goto out;
          run.force_create = FALSE;
        }
      else
        {
          g_autofree char *message = g_strdup_printf (
              _ ("%s: no single uncoupled match for %s in Dynamics 365 Sales by %s."),
              run.mapping->name, key, criteria->len ? criteria->str : _ ("(no criteria)"));

          if (!sb_sync_run_log_error (&run, key, NULL, message, &local_error))
            goto out;
        }
    }
  if (!sb_sync_run_send_ops (&run, ops, &local_error))
    goto out;
  ok = TRUE;
out:
  if (!ok && local_error == NULL)
    g_set_error_literal (&local_error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                         _ ("The request was not executed."));
  sb_sync_run_job_finish (&run, ok ? run.last_failure : local_error->message);
  if (out_counters != NULL)
    *out_counters = run.counters;
  if (ok && sync_after && run.mapping->sync_after_coupling && run.counters.coupled > 0)
    {
      g_autofree char *name = g_strdup (run.mapping->name);
      SbSyncDirection direction = run.mapping->direction;

      sb_sync_run_clear (&run);
      return sb_sync_run_sync_mapping (self, store, name, direction, progress_context, NULL,
                                       cancellable, error);
    }
  sb_sync_run_clear (&run);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
