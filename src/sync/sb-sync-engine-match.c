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

/* One priority group of match fields, with its Dataverse side read once per run: the group's
 * values of every row → the ids of the rows carrying them.  Asking Dataverse once per ERP
 * record would send thousands of requests and run into the service protection limits
 * (6,000 requests in five minutes) after a few thousand records; one paged read does not. */
typedef struct
{
  guint priority;
  GPtrArray *fields; /* const SbSyncFieldMapping * of the group */
  /* Blank values are not criteria (§3), so a record with some of the group's values blank
   * matches on the others: one index per set of filled-in fields (a bit mask), read when
   * first needed. */
  GHashTable *indexes; /* mask → (key → GPtrArray of ids) */
} MatchGroup;

static void
match_group_free (MatchGroup *group)
{
  g_ptr_array_unref (group->fields);
  g_hash_table_unref (group->indexes);
  g_free (group);
}

/* The comparable form of a value: Dataverse compares strings case-insensitively, so unless the
 * field is case-sensitive the value is case-folded and normalized. */
static char *
match_value (const SbSyncFieldMapping *f, const char *value)
{
  g_autofree char *folded = NULL;

  if (f->match_case_sensitive)
    return g_strdup (value);
  folded = g_utf8_casefold (value, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_DEFAULT);
}

/* A row's value of @attribute as text: strings as they are, whole numbers written out. */
static char *
row_value (JsonObject *row, const char *attribute)
{
  JsonNode *node = json_object_get_member (row, attribute);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* The mask of the filled-in values. */
static guint
filled_mask (MatchGroup *group, char **values)
{
  guint mask = 0;

  for (guint i = 0; i < group->fields->len; i++)
    if (values[i] != NULL && *values[i] != '\0')
      mask |= 1u << i;
  return mask;
}

/* The key of @values over the fields in @mask, or NULL when one of those is blank. */
static char *
group_key (MatchGroup *group, guint mask, char **values)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < group->fields->len; i++)
    {
      g_autofree char *v = NULL;

      if (!(mask & (1u << i)))
        continue;
      if (values[i] == NULL || *values[i] == '\0')
        {
          g_string_free (key, TRUE);
          return NULL;
        }
      v = match_value (group->fields->pdata[i], values[i]);
      g_string_append_printf (key, "%s\x1f", v);
    }
  return g_string_free (key, FALSE);
}

typedef struct
{
  MatchGroup *group;
  guint mask;
  GHashTable *index;
  const char *pk;
} IndexRead;

static gboolean
index_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  IndexRead *read = user_data;
  MatchGroup *group = read->group;

  for (guint r = 0; r < json_array_get_length (page->rows); r++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, r);
      g_auto (GStrv) values = g_new0 (char *, group->fields->len + 1);
      g_autofree char *key = NULL;
      const char *id = sb_json_get_guid (row, read->pk);
      GPtrArray *ids;

      for (guint i = 0; i < group->fields->len; i++)
        values[i] = row_value (
            row, ((const SbSyncFieldMapping *) group->fields->pdata[i])->dataverse_field);
      key = group_key (group, read->mask, values);
      if (key == NULL || id == NULL)
        continue;
      ids = g_hash_table_lookup (read->index, key);
      if (ids == NULL)
        {
          ids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (read->index, g_steal_pointer (&key), ids);
        }
      g_ptr_array_add (ids, g_strdup (id));
    }
  return TRUE;
}

/* The group's index over the fields in @mask, reading the Dataverse side (the mapping's
 * filter, only the columns needed) the first time; NULL with @error set on failure. */
static GHashTable *
read_group (Run *run, MatchGroup *group, guint mask, GError **error)
{
  const char *pk = sb_dataverse_primary_key (run->mapping->entity_set);
  g_autoptr (SbDataverseQuery) query = NULL;
  g_autoptr (GPtrArray) columns = NULL;
  SbDataverseFilter *filter = NULL;
  IndexRead read = { group, mask, NULL, pk };

  read.index = g_hash_table_lookup (group->indexes, GUINT_TO_POINTER (mask));
  if (read.index != NULL)
    return read.index;
  query = sb_dataverse_query_new (run->mapping->entity_set);
  columns = g_ptr_array_new ();

  if (!sb_sync_parse_dataverse_filter (run->mapping->dataverse_filter, &filter, error))
    return NULL;
  if (filter != NULL)
    sb_dataverse_query_set_filter (query, filter);
  g_ptr_array_add (columns, (gpointer) pk);
  for (guint i = 0; i < group->fields->len; i++)
    if (mask & (1u << i))
      g_ptr_array_add (columns,
                       ((const SbSyncFieldMapping *) group->fields->pdata[i])->dataverse_field);
  g_ptr_array_add (columns, NULL);
  sb_dataverse_query_select_v (query, (const char *const *) columns->pdata);
  read.index =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (run->engine), query,
                                           index_page, &read, NULL, run->cancellable, error))
    {
      g_hash_table_unref (read.index);
      return NULL;
    }
  g_hash_table_insert (group->indexes, GUINT_TO_POINTER (mask), read.index);
  return read.index;
}

/* The match groups of the mapping, lowest priority first; lookups never match. */
static GPtrArray *
match_groups_new (Run *run)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) match_group_free);

  for (guint i = 0; i < run->mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
      MatchGroup *group = NULL;
      guint at = 0;

      if (f->match_priority == 0 || !f->enabled || *f->lookup_mapping != '\0' ||
          sb_record_type_find_field (run->type, f->erp_field) == NULL)
        continue;
      for (; at < groups->len; at++)
        {
          MatchGroup *g = groups->pdata[at];
          if (g->priority == f->match_priority)
            group = g;
          if (g->priority >= f->match_priority)
            break;
        }
      if (group == NULL)
        {
          group = g_new0 (MatchGroup, 1);
          group->priority = f->match_priority;
          group->fields = g_ptr_array_new ();
          group->indexes = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                                  (GDestroyNotify) g_hash_table_unref);
          g_ptr_array_insert (groups, (gint) at, group);
        }
      if (group->fields->len < 31) /* the masks are bits of a guint */
        g_ptr_array_add (group->fields, (gpointer) f);
    }
  return groups;
}

/* The id of the single uncoupled Dataverse row matching @record, or NULL with @criteria
 * describing what was tried.  Each group looks the record up in its index over the record's
 * filled-in values; a group with no value filled in is skipped. */
static char *
find_match (Run *run, gconstpointer record, GPtrArray *groups, GString *criteria, GError **error)
{
  for (guint g = 0; g < groups->len; g++)
    {
      MatchGroup *group = groups->pdata[g];
      g_auto (GStrv) values = g_new0 (char *, group->fields->len + 1);
      g_autofree char *key = NULL;
      GHashTable *index;
      GPtrArray *ids;
      guint mask;

      for (guint i = 0; i < group->fields->len; i++)
        {
          const SbSyncFieldMapping *f = group->fields->pdata[i];
          values[i] =
              sb_record_to_string (sb_record_type_find_field (run->type, f->erp_field), record);
          if (*values[i] != '\0')
            g_string_append_printf (criteria, "%s%s = “%s”", criteria->len ? ", " : "",
                                    f->dataverse_field, values[i]);
        }
      mask = filled_mask (group, values);
      if (mask == 0)
        continue;
      key = group_key (group, mask, values);
      index = read_group (run, group, mask, error);
      if (index == NULL)
        return NULL;
      ids = g_hash_table_lookup (index, key);
      if (ids != NULL && ids->len == 1)
        {
          const char *id = ids->pdata[0];
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
  return sb_sync_engine_run_couple_match (self, sb_sync_engine_get_store (self), mapping, FALSE,
                                          NULL, out_counters, cancellable, error);
}

gboolean
sb_sync_engine_run_couple_match (SbSyncEngine *self, SbStore *store, const char *mapping,
                                 gboolean before_full_sync, GMainContext *progress_context,
                                 SbSyncCounters *out_counters, GCancellable *cancellable,
                                 GError **error)
{
  Run run;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) groups = NULL;
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
  groups = match_groups_new (&run);
  create = !before_full_sync && run.mapping->create_if_no_match &&
           !g_str_equal (run.mapping->name, "SALESPEOPLE") &&
           run.mapping->direction != SB_SYNC_DIRECTION_FROM_SALES;
  if (!sb_sync_run_job_start (&run, run.mapping->direction, error))
    {
      sb_sync_run_clear (&run);
      return FALSE;
    }
  sb_sync_job_log_set_kind (store, run.counters.job_id, "match");
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
      id = find_match (&run, record, groups, criteria, &local_error);
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
      else if (!before_full_sync)
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
  if (ok && !before_full_sync && run.mapping->sync_after_coupling && run.counters.coupled > 0)
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
