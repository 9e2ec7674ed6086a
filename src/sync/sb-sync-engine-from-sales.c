/* sb-sync-engine-from-sales.c: Dataverse → ERP: reading changed rows and applying them
 *
 * Changed rows come from the mapping's delta link (change tracking; an expired link starts over
 * with a full read) or from modifiedon after the watermark less one second, leaving out the
 * integration user's own writes. Each row is applied to the ERP in its own transaction together
 * with its coupling (integration-behaviour.md §4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-run-private.h"

static char *
json_to_text (JsonNode *node, const SbField *field)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    {
      switch (field->type)
        {
          case SB_FIELD_DECIMAL:
          case SB_FIELD_INT:
            return g_strdup ("0");
          case SB_FIELD_BOOL:
            return g_strdup ("false");
          default:
            return g_strdup ("");
        }
    }
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_STRING:
        {
          const char *s = json_node_get_string (node);

          /* Dataverse dates come as date-times; the ERP keeps the date. */
          if (field->type == SB_FIELD_DATE && strlen (s) > 10)
            return g_strndup (s, 10);
          return g_strdup (s);
        }
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_DOUBLE:
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (
              g_ascii_formatd (buffer, sizeof buffer, "%.5f", json_node_get_double (node)));
        }
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      default:
        return g_strdup ("");
    }
}

/* The full name of the contact person coupled to Dataverse contact @id, or NULL in *@out_name
 * when it is not coupled or gone. */
static gboolean
primary_contact_name (Run *run, const SbSyncFieldMapping *f, const char *id, char **out_name,
                      GError **error)
{
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_dataverse (run->store, f->lookup_mapping, id, error);
  g_autoptr (SbContact) probe = NULL;
  g_autoptr (SbContact) contact = NULL;
  g_autoptr (GError) local_error = NULL;

  *out_name = NULL;
  if (c == NULL)
    return *error == NULL;
  if (!sb_sync_coupling_is_coupled (c))
    return TRUE;
  probe = sb_contact_new ();
  g_free (probe->no);
  probe->no = g_strdup (c->erp_key);
  contact = sb_record_lookup (run->store, &sb_contact_record_type, probe, &local_error);
  if (contact == NULL)
    {
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_name = sb_contact_get_full_name (contact);
  return TRUE;
}

/* Sets @record's fields from Dataverse @row. @creating: also the fields that only go to Sales
 * (a new ERP record takes its number and prices from the row). @both_only: only the fields
 * synchronized both ways (for conflict checks). */
gboolean
sb_sync_run_apply_row (Run *run, JsonObject *row, gpointer record, gboolean creating,
                       gboolean both_only, GError **error)
{
  for (guint i = 0; i < run->mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
      const SbField *field = sb_record_type_find_field (run->type, f->erp_field);
      g_autofree char *text = NULL;

      if (field == NULL || !f->enabled || *f->constant != '\0')
        continue;
      if (both_only && f->direction != SB_SYNC_DIRECTION_BOTH)
        continue;
      if (!sb_sync_run_field_comes_from_sales (run, f) &&
          !(creating && *f->transform == '\0' && *f->lookup_mapping == '\0'))
        continue;
      if (sb_sync_run_is_key_field (run, field) && !creating)
        continue; /* never renames an ERP record */
      if (*f->lookup_mapping != '\0')
        {
          g_autofree char *attribute = sb_sync_run_lookup_attribute (f->dataverse_field);
          const char *id = sb_json_get_lookup (row, attribute);
          SbSyncMapping *target;
          g_autoptr (SbSyncCoupling) c = NULL;

          if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_BASE_UNIT) ||
              g_str_equal (f->transform, SB_SYNC_TRANSFORM_CONTACT_COMPANY))
            continue;
          if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_PRIMARY_CONTACT))
            {
              /* Only a coupled contact person names the Contact; else it stays. */
              g_autofree char *name = NULL;

              if (id == NULL)
                continue;
              if (!primary_contact_name (run, f, id, &name, error))
                return FALSE;
              if (name == NULL)
                continue;
              text = g_steal_pointer (&name);
            }
          else if (id == NULL)
            text = g_strdup ("");
          else
            {
              target = sb_sync_run_get_mapping (run, f->lookup_mapping, error);
              if (target == NULL)
                return FALSE;
              c = sb_sync_coupling_find_dataverse (run->store, target->name, id, error);
              if (c == NULL && *error != NULL)
                return FALSE;
              if (g_str_equal (target->entity_set, SB_DV_TRANSACTIONCURRENCIES) &&
                  sb_sync_run_is_local_currency (
                      run, id, sb_sync_coupling_is_coupled (c) ? c->erp_key : NULL, error))
                text = g_strdup ("");
              else if (*error != NULL)
                return FALSE;
              else if (!sb_sync_coupling_is_coupled (c))
                {
                  /* Owners: most Dataverse users are no salespeople (and the integration user
                   * owns what it created), so an uncoupled user keeps the ERP's value. */
                  if (g_str_equal (target->entity_set, SB_DV_SYSTEMUSERS))
                    continue;
                  g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                               _ ("%s refers to a Dynamics 365 Sales record (%s) that is not "
                                  "coupled. Couple or synchronize it in the %s mapping first."),
                               f->dataverse_field, id, target->name);
                  return FALSE;
                }
              else
                text = g_strdup (c->erp_key);
            }
        }
      else if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_STATE_BLOCKED))
        text = g_strdup (sb_json_get_int (row, f->dataverse_field, 0) != 0 ? "true" : "false");
      else if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_OPPORTUNITY_STATE))
        {
          gint64 state = sb_json_get_int (row, f->dataverse_field, 0);
          gint64 status = sb_record_get_int (field, record);

          if (!json_object_has_member (row, f->dataverse_field))
            continue;
          if (state == 1)
            status = SB_OPPORTUNITY_WON;
          else if (state == 2)
            status = SB_OPPORTUNITY_LOST;
          else if (status == SB_OPPORTUNITY_WON || status == SB_OPPORTUNITY_LOST)
            status = SB_OPPORTUNITY_IN_PROGRESS; /* reopened in Sales */
          text = g_strdup_printf ("%" G_GINT64_FORMAT, status);
        }
      else if (*f->transform != '\0')
        continue;
      else
        {
          if (!json_object_has_member (row, f->dataverse_field))
            continue;
          text = json_to_text (json_object_get_member (row, f->dataverse_field), field);
        }
      if (!sb_record_parse_field (run->type, field, record, text, error))
        return FALSE;
    }
  return TRUE;
}

/* A key made from @base that no ERP record has yet: @base, then @base2, @base3, … */
static char *
unique_key (Run *run, const char *base, GError **error)
{
  for (guint n = 0;; n++)
    {
      g_autofree char *candidate = n == 0 ? g_strdup (base) : g_strdup_printf ("%s%u", base, n + 1);
      gpointer existing = sb_sync_run_erp_lookup (run, candidate, error);

      if (existing == NULL)
        return error != NULL && *error != NULL ? NULL : g_steal_pointer (&candidate);
      sb_record_free (run->type, existing);
    }
}

/* The key of an ERP record created from @row, or NULL for a type whose insert numbers it
 * (customers, contacts): a salesperson gets the user's initials, an opportunity "OP" and the
 * start of its id (opportunities have no number series). */
static gboolean
new_key (Run *run, JsonObject *row, char **out_key, GError **error)
{
  guint max = run->key_field->max_length ? run->key_field->max_length : 20;
  g_autoptr (GString) base = g_string_new (NULL);

  *out_key = NULL;
  if (run->type == &sb_salesperson_record_type)
    {
      const char *name = sb_json_get_string (row, "fullname", "");

      for (const char *p = name; *p; p++)
        if ((p == name || p[-1] == ' ') && g_ascii_isalpha (*p))
          g_string_append_c (base, g_ascii_toupper (*p));
      if (base->len == 0)
        g_string_append (base, "SP");
    }
  else if (run->type == &sb_opportunity_record_type)
    {
      const char *id = sb_json_get_guid (row, sb_dataverse_primary_key (run->mapping->entity_set));
      g_autofree char *upper = g_ascii_strup (id ? id : "", -1);

      g_string_append_printf (base, "OP%.8s", upper);
    }
  else
    return TRUE;
  g_string_truncate (base, MIN (base->len, max - 3));
  *out_key = unique_key (run, base->str, error);
  return *out_key != NULL;
}

typedef struct
{
  Run *run;
  JsonObject *row;
  const char *restore_key; /* deletion conflict, restore: re-create under this key */
} RowTxn;

/* The whole of one Dataverse row's transfer in one transaction. */
static gboolean
row_txn (SbStore *store, gpointer user_data, GError **error)
{
  RowTxn *rt = user_data;
  Run *run = rt->run;
  const char *pk = sb_dataverse_primary_key (run->mapping->entity_set);
  const char *id = sb_json_get_guid (rt->row, pk);
  const char *modifiedon = sb_json_get_string (rt->row, "modifiedon", "");
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_dataverse (store, run->mapping->name, id, error);
  gpointer record = NULL;
  gboolean ok = FALSE;
  const SbField *change_field = sb_record_type_find_field (run->type, "change_no");

  if (c == NULL && *error != NULL)
    return FALSE;
  if (sb_sync_coupling_is_coupled (c) && rt->restore_key == NULL)
    {
      gpointer current = sb_sync_run_erp_lookup (run, c->erp_key, error);

      if (current == NULL)
        return *error == NULL; /* handled by the caller as a deletion conflict */
      record = sb_record_copy (run->type, current);
      if (!sb_sync_run_apply_row (run, rt->row, record, FALSE, FALSE, error))
        {
          sb_record_free (run->type, current);
          goto out;
        }
      if (sb_sync_run_records_equal (run, current, record))
        run->counters.unchanged++;
      else
        {
          g_autoptr (JsonObject) changed = sb_sync_run_changed_fields (run, current, record);

          if (!sb_record_update (store, run->type, record, error) ||
              !sb_sync_run_history (run, c->erp_key, id, SB_SYNC_ACTION_MODIFIED, changed, NULL,
                                    error))
            {
              sb_record_free (run->type, current);
              goto out;
            }
          run->counters.modified++;
          /* Loop prevention: this change number is ours, never sent back. */
          c->erp_change_no = sb_record_get_int (change_field, record);
        }
      sb_record_free (run->type, current);
    }
  else
    {
      g_autofree char *key = NULL;

      record = sb_record_new (run->type);
      if (!sb_sync_run_apply_row (run, rt->row, record, TRUE, FALSE, error))
        goto out;
      if (rt->restore_key != NULL)
        key = g_strdup (rt->restore_key);
      else if (!new_key (run, rt->row, &key, error))
        goto out;
      if (key != NULL && !sb_sync_run_parse_key (run, record, key, error))
        goto out;
      if (!sb_sync_run_erp_insert (run, record, error))
        goto out;
      run->counters.inserted++;
      if (c == NULL)
        c = sb_sync_coupling_new (run->mapping->name, NULL, id);
      g_free (c->erp_key);
      c->erp_key = sb_sync_run_erp_key_of (run, record);
      {
        g_autoptr (JsonObject) fields = sb_sync_run_changed_fields (run, NULL, record);

        if (!sb_sync_run_history (run, c->erp_key, id,
                                  rt->restore_key != NULL ? SB_SYNC_ACTION_RESTORED
                                                          : SB_SYNC_ACTION_INSERTED,
                                  fields, NULL, error))
          goto out;
      }
      c->erp_change_no = sb_record_get_int (change_field, record);
      g_free (run->last_created);
      run->last_created = g_strdup (c->erp_key);
    }
  g_free (c->dataverse_modifiedon);
  c->dataverse_modifiedon = g_strdup (modifiedon);
  c->dataverse_version = sb_sync_row_version (rt->row);
  c->last_result = SB_SYNC_RESULT_OK;
  c->error_count = 0;
  if (rt->restore_key != NULL)
    c->skipped = FALSE; /* a deletion conflict skipped after two runs, restored now */
  g_free (c->last_error);
  c->last_error = g_strdup ("");
  g_free (c->synced_at);
  c->synced_at = g_strdup (sb_store_get_now (store));
  ok = sb_sync_coupling_save (store, c, error);
out:
  if (record != NULL)
    sb_record_free (run->type, record);
  return ok;
}

gboolean
sb_sync_run_process_row (Run *run, JsonObject *row, GError **error)
{
  const char *pk = sb_dataverse_primary_key (run->mapping->entity_set);
  const char *id = sb_json_get_guid (row, pk);
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (GError) local_error = NULL;
  RowTxn rt = { run, row, NULL };

  if (id == NULL)
    return TRUE;
  c = sb_sync_coupling_find_dataverse (run->store, run->mapping->name, id, error);
  if (c == NULL && *error != NULL)
    return FALSE;
  if (c != NULL && c->skipped)
    {
      run->counters.skipped++;
      return TRUE;
    }
  if (!sb_sync_coupling_is_coupled (c))
    {
      if (run->mapping->only_coupled && !run->force_create)
        return TRUE;
    }
  else
    {
      gpointer current;

      if (c->last_result == SB_SYNC_RESULT_OK && sb_sync_row_version (row) <= c->dataverse_version)
        {
          run->counters.unchanged++;
          return TRUE;
        }
      current = sb_sync_run_erp_lookup (run, c->erp_key, error);
      if (current == NULL)
        {
          if (*error != NULL)
            return FALSE;
          /* Deletion conflict: the coupled ERP record is gone. */
          return sb_sync_run_erp_deleted (run, c, row, error);
        }
      sb_record_free (run->type, current);
    }
  if (!sb_store_run_in_transaction (run->store, row_txn, &rt, &local_error))
    {
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return sb_sync_run_fail_record (run, sb_sync_coupling_is_coupled (c) ? c->erp_key : NULL, id,
                                      local_error->message, error);
    }
  return TRUE;
}

void
sb_sync_run_rows_read_clear (RowsRead *read)
{
  g_clear_pointer (&read->rows, g_ptr_array_unref);
  g_clear_pointer (&read->removed, g_ptr_array_unref);
  g_clear_pointer (&read->max_modified, g_free);
  g_clear_pointer (&read->filter, sb_sync_row_filter_free);
}

static gboolean
collect_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  RowsRead *read = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *modifiedon = sb_json_get_string (row, "modifiedon", "");
      const char *modified_by = sb_json_get_lookup (row, "modifiedby");

      if (read->max_modified == NULL || strcmp (modifiedon, read->max_modified) > 0)
        {
          g_free (read->max_modified);
          read->max_modified = g_strdup (modifiedon);
        }
      /* Change tracking refuses $filter: the same conditions, checked here. */
      if (read->user_id != NULL && modified_by != NULL &&
          g_ascii_strcasecmp (modified_by, read->user_id) == 0)
        continue;
      if (read->filter != NULL && !sb_sync_row_filter_matches (read->filter, row))
        continue;
      g_ptr_array_add (read->rows, json_object_ref (row));
    }
  for (guint i = 0; page->removed[i] != NULL; i++)
    g_ptr_array_add (read->removed, g_ascii_strdown (page->removed[i], -1));
  return TRUE;
}

/* Fallback when change tracking is refused: rows in the mapping's filter with modifiedon from
 * the watermark (less one second, as modifiedon has whole seconds), except those the
 * integration user changed last. */
static gboolean
read_modified_rows (Run *run, RowsRead *read, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (run->mapping->entity_set);
  SbDataverseFilter *filter = NULL;

  if (!sb_sync_parse_dataverse_filter (run->mapping->dataverse_filter, &filter, error))
    return FALSE;
  if (*run->mapping->dataverse_watermark != '\0')
    {
      g_autoptr (GDateTime) mark =
          g_date_time_new_from_iso8601 (run->mapping->dataverse_watermark, NULL);
      if (mark != NULL)
        {
          g_autoptr (GDateTime) since = g_date_time_add_seconds (mark, -1);
          SbDataverseFilter *condition =
              sb_dataverse_filter_date_time ("modifiedon", SB_DATAVERSE_GE, since);

          filter = filter ? sb_dataverse_filter_and (filter, condition, NULL) : condition;
        }
    }
  if (run->user_id != NULL)
    {
      SbDataverseFilter *condition =
          sb_dataverse_filter_guid ("_modifiedby_value", SB_DATAVERSE_NE, run->user_id);

      filter = filter ? sb_dataverse_filter_and (filter, condition, NULL) : condition;
    }
  sb_dataverse_query_set_filter (query, filter);
  return sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (run->engine), query,
                                             collect_page, read, NULL, run->cancellable, error);
}

/* Dataverse rows changed since the last run: by change tracking (the mapping keeps the delta
 * link; an expired one starts over with a full read, which the per-row versions make cheap),
 * else by modifiedon. The new delta link is stored with the other watermarks. */
gboolean
sb_sync_run_read_changed_rows (Run *run, RowsRead *read, GError **error)
{
  SbDataverseConnection *cnc = sb_sync_engine_get_connection (run->engine);
  g_autoptr (SbDataverseQuery) full = sb_dataverse_query_new (run->mapping->entity_set);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *delta_link = NULL;
  gboolean ok;

  if (!sb_sync_engine_get_change_tracking (run->engine))
    {
      g_free (run->mapping->delta_link);
      run->mapping->delta_link = g_strdup ("");
      return read_modified_rows (run, read, error);
    }
  read->filter = sb_sync_row_filter_new (run->mapping->dataverse_filter, error);
  if (read->filter == NULL)
    return FALSE;
  read->user_id = run->user_id;
  sb_dataverse_query_set_track_changes (full, TRUE);
  if (*run->mapping->delta_link != '\0')
    ok = sb_dataverse_connection_read_changes_sync (cnc, run->mapping->delta_link, full,
                                                    collect_page, read, &delta_link,
                                                    run->cancellable, &local_error);
  else
    ok = sb_dataverse_connection_query_sync (cnc, full, collect_page, read, &delta_link,
                                             run->cancellable, &local_error);
  if (ok && delta_link != NULL)
    {
      g_free (run->mapping->delta_link);
      run->mapping->delta_link = g_steal_pointer (&delta_link);
      return TRUE;
    }
  if (!ok && (local_error->domain != SB_DATAVERSE_ERROR ||
              local_error->code == SB_DATAVERSE_ERROR_NETWORK ||
              local_error->code == SB_DATAVERSE_ERROR_THROTTLED ||
              local_error->code == SB_DATAVERSE_ERROR_UNAUTHORIZED ||
              local_error->code == SB_DATAVERSE_ERROR_AUTH))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* The table does not track changes here: read by modifiedon instead. */
  g_debug ("%s: no change tracking (%s), reading by modifiedon", run->mapping->name,
           local_error ? local_error->message : "no delta link");
  g_ptr_array_set_size (read->rows, 0);
  g_ptr_array_set_size (read->removed, 0);
  g_clear_pointer (&read->filter, sb_sync_row_filter_free);
  g_free (run->mapping->delta_link);
  run->mapping->delta_link = g_strdup ("");
  return read_modified_rows (run, read, error);
}

/* A coupled Dataverse row went away: the mapping's deletion policy decides (§4). */
gboolean
sb_sync_run_handle_removed (Run *run, const char *id, GError **error)
{
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_dataverse (run->store, run->mapping->name, id, error);
  g_autofree char *message = NULL;

  if (c == NULL)
    return *error == NULL;
  if (!sb_sync_coupling_is_coupled (c))
    return sb_sync_coupling_delete (run->store, c->id, error);
  if (c->skipped)
    return TRUE;
  switch (run->mapping->deletion_policy)
    {
      case SB_SYNC_DELETION_REMOVE_COUPLING:
        return sb_sync_run_uncouple (
            run, c, _ ("The coupled Dynamics 365 Sales record was deleted."), error);
      case SB_SYNC_DELETION_RESTORE:
        /* Re-created under the same id (an upsert) from the ERP record. */
        return sb_sync_run_restore_in_sales (run, c, error);
      case SB_SYNC_DELETION_NONE:
      default:
        {
          ConflictData conflict = { 1, "", NULL, NULL };

          message = g_strdup_printf (_ ("The coupled Dynamics 365 Sales record of %s was "
                                        "deleted. Restore it or remove the coupling."),
                                     c->erp_key);
          return sb_sync_run_fail_conflict (run, &conflict, c->erp_key, id, message, error);
        }
    }
}

/* A coupled ERP record went away (a tombstone, or missing when its Dataverse row is applied):
 * the mapping's deletion policy decides (§4). @row: the Dataverse row when already read, else
 * NULL (it is read when restoring). */
gboolean
sb_sync_run_erp_deleted (Run *run, SbSyncCoupling *c, JsonObject *row, GError **error)
{
  g_autofree char *message = NULL;
  g_autoptr (JsonObject) fetched = NULL;

  switch (run->mapping->deletion_policy)
    {
      case SB_SYNC_DELETION_REMOVE_COUPLING:
        return sb_sync_run_uncouple (run, c, _ ("The coupled ERP record was deleted."), error);
      case SB_SYNC_DELETION_RESTORE:
        if (row == NULL)
          {
            g_autoptr (GError) local_error = NULL;

            fetched = sb_dataverse_connection_retrieve_sync (
                sb_sync_engine_get_connection (run->engine), run->mapping->entity_set,
                c->dataverse_id, NULL, NULL, run->cancellable, &local_error);
            if (fetched == NULL)
              {
                if (g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
                  /* Deleted on both sides: nothing is left to restore from. */
                  return sb_sync_run_uncouple (run, c, _ ("The record was deleted on both sides."),
                                               error);
                return sb_sync_run_fail_record_transient (run, c->erp_key, c->dataverse_id,
                                                          local_error->message, error);
              }
            row = fetched;
          }
        {
          SbSyncDirection phase = run->phase;
          gboolean ok;

          run->phase = SB_SYNC_DIRECTION_FROM_SALES;
          ok = sb_sync_run_restore_erp (run, row, c->erp_key, error);
          run->phase = phase;
          return ok;
        }
      case SB_SYNC_DELETION_NONE:
      default:
        {
          ConflictData conflict = { 1, "", NULL, NULL };

          message = g_strdup_printf (_ ("The coupled ERP record %s was deleted. Restore it or "
                                        "remove the coupling."),
                                     c->erp_key);
          return sb_sync_run_fail_conflict (run, &conflict, c->erp_key, c->dataverse_id, message,
                                            error);
        }
    }
}

gboolean
sb_sync_run_restore_erp (Run *run, JsonObject *row, const char *key, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  const char *id = sb_json_get_guid (row, sb_dataverse_primary_key (run->mapping->entity_set));
  RowTxn rt = { run, row, key };

  if (sb_store_run_in_transaction (run->store, row_txn, &rt, &local_error))
    return TRUE;
  if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return sb_sync_run_fail_record (run, key, id, local_error->message, error);
}
