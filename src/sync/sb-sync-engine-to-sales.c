/* sb-sync-engine-to-sales.c: ERP → Dataverse: request bodies and $batch writes
 *
 * A record's body follows the mapping's fields (lookups through other couplings, constants,
 * special cases). Creations are idempotent: the Dataverse id is chosen and committed in a
 * pending coupling before the request, an upsert of that id; each $batch chunk's results are
 * committed in their own transaction (integration-behaviour.md §4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-reference-data.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-run-private.h"

/* Whether the ERP record @key of @target's table exists but its mapping's filter leaves it
 * out (a blocked customer): coupling it first cannot help, so the message says so. */
static gboolean
outside_filter (SbStore *store, const SbSyncMapping *target, const char *key)
{
  const SbRecordType *type = sb_sync_erp_record_type (target->erp_table);
  const SbField *key_field = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean outside;

  if (type == NULL || *target->erp_filter == '\0')
    return FALSE;
  for (guint i = 0; i < type->n_fields && key_field == NULL; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      key_field = &type->fields[i];
  if (key_field == NULL)
    return FALSE;
  sql = g_strdup_printf ("SELECT NOT (%s) FROM %s WHERE %s = ?1", target->erp_filter, type->table,
                         key_field->name);
  stmt = sb_store_prepare (store, sql, NULL);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, key);
  outside = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return outside;
}

static gboolean
field_goes_to_sales (Run *run, const SbSyncFieldMapping *f)
{
  return f->enabled && run->mapping->direction != SB_SYNC_DIRECTION_FROM_SALES &&
         f->direction != SB_SYNC_DIRECTION_FROM_SALES;
}

gboolean
sb_sync_run_field_comes_from_sales (Run *run, const SbSyncFieldMapping *f)
{
  return f->enabled && run->mapping->direction != SB_SYNC_DIRECTION_TO_SALES &&
         f->direction != SB_SYNC_DIRECTION_TO_SALES && *f->constant == '\0';
}

typedef struct
{
  char *id;
} AuxRead;

static gboolean
aux_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  AuxRead *aux = user_data;

  if (json_array_get_length (page->rows) > 0 && aux->id == NULL)
    aux->id = g_strdup (sb_json_get_guid (json_array_get_object_element (page->rows, 0), "uomid"));
  return FALSE;
}

/* A unit group's base unit (Dataverse creates it with the group), remembered in the coupling. */
const char *
sb_sync_run_ensure_base_unit (Run *run, SbSyncCoupling *c, GError **error)
{
  g_autoptr (SbDataverseQuery) query = NULL;
  AuxRead aux = { NULL };

  if (c->aux_id != NULL)
    return c->aux_id;
  query = sb_dataverse_query_new (SB_DV_UOMS);
  sb_dataverse_query_select (query, "uomid", NULL);
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_guid ("_uomscheduleid_value", SB_DATAVERSE_EQ, c->dataverse_id));
  sb_dataverse_query_set_page_size (query, 10);
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (run->engine), query,
                                           aux_page, &aux, NULL, run->cancellable, error))
    return NULL;
  if (aux.id == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("The unit group coupled to unit %s has no base unit in Dynamics 365 Sales."),
                   c->erp_key);
      return NULL;
    }
  c->aux_id = aux.id;
  if (!sb_sync_coupling_save (run->store, c, error))
    return NULL;
  return c->aux_id;
}

/* The customer a contact works for ("" when none): an opportunity's Contact Company No. */
static char *
contact_company (Run *run, const char *contact_no, GError **error)
{
  g_autoptr (SbContact) probe = sb_contact_new ();
  g_autoptr (SbContact) contact = NULL;
  g_autoptr (GError) local_error = NULL;

  if (*contact_no == '\0')
    return g_strdup ("");
  g_free (probe->no);
  probe->no = g_strdup (contact_no);
  contact = sb_record_lookup (run->store, &sb_contact_record_type, probe, &local_error);
  if (contact == NULL)
    {
      if (!g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_strdup ("");
    }
  return g_strdup (contact->company_no ? contact->company_no : "");
}

/* The Dataverse id of the customer's contact person named @name, coupled through @f's mapping,
 * or "" when there is none (§1: the primary contact is cleared when its sync fails). */
static char *
primary_contact_id (Run *run, gconstpointer record, const SbSyncFieldMapping *f, const char *name,
                    GError **error)
{
  g_autofree char *customer_no = NULL;
  g_autoptr (GPtrArray) contacts = NULL;

  if (name == NULL || *name == '\0')
    return g_strdup ("");
  customer_no = sb_sync_run_erp_key_of (run, record);
  contacts = sb_contact_list_for_customer (run->store, customer_no, error);
  if (contacts == NULL)
    return NULL;
  for (guint i = 0; i < contacts->len; i++)
    {
      SbContact *contact = contacts->pdata[i];
      g_autofree char *full_name = sb_contact_get_full_name (contact);
      g_autoptr (SbSyncCoupling) c = NULL;

      if (g_strcmp0 (full_name, name) != 0)
        continue;
      c = sb_sync_coupling_find_erp (run->store, f->lookup_mapping, contact->no, error);
      if (c == NULL && *error != NULL)
        return NULL;
      if (sb_sync_coupling_is_coupled (c) && !c->pending)
        return g_strdup (c->dataverse_id);
    }
  return g_strdup ("");
}

JsonObject *
sb_sync_run_build_body (Run *run, gconstpointer record, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();

  for (guint i = 0; i < run->mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
      const SbField *field;
      g_autofree char *text = NULL;

      if (!field_goes_to_sales (run, f))
        continue;
      if (*f->constant != '\0')
        {
          JsonNode *node = json_from_string (f->constant, NULL);

          if (node != NULL)
            json_object_set_member (body, f->dataverse_field, node);
          continue;
        }
      field = sb_record_type_find_field (run->type, f->erp_field);
      if (field == NULL)
        continue;
      text = sb_record_to_string (field, record);
      if (*f->lookup_mapping != '\0')
        {
          SbSyncMapping *target;
          g_autoptr (SbSyncCoupling) c = NULL;
          const char *id;
          const char *set;

          if (text != NULL && g_str_equal (f->transform, SB_SYNC_TRANSFORM_CONTACT_COMPANY))
            {
              g_autofree char *contact_no = g_steal_pointer (&text);

              text = contact_company (run, contact_no, error);
              if (text == NULL)
                return NULL;
            }
          if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_PRIMARY_CONTACT))
            {
              g_autofree char *contact_id = primary_contact_id (run, record, f, text, error);

              if (contact_id == NULL)
                return NULL;
              if (*contact_id != '\0')
                sb_json_set_bind (body, f->dataverse_field, SB_DV_CONTACTS, contact_id);
              else
                {
                  g_autofree char *member = g_strconcat (f->dataverse_field, "@odata.bind", NULL);

                  json_object_set_null_member (body, member);
                }
              continue;
            }
          if (text == NULL || *text == '\0')
            continue; /* blank: local currency, no salesperson, … */
          target = sb_sync_run_get_mapping (run, f->lookup_mapping, error);
          if (target == NULL)
            return NULL;
          c = sb_sync_coupling_find_erp (run->store, target->name, text, error);
          if (c == NULL && error != NULL && *error != NULL)
            return NULL;
          if ((!sb_sync_coupling_is_coupled (c) || c->pending) &&
              outside_filter (run->store, target, text))
            {
              g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                           _ ("%s “%s” is left out of the %s mapping by its filter (%s), so "
                              "this record cannot refer to it in Dynamics 365 Sales. Change "
                              "“%s” so that the filter takes it, or leave this record out."),
                           field->label != NULL ? _ (field->label) : field->name, text,
                           target->name, target->erp_filter, text);
              return NULL;
            }
          if (!sb_sync_coupling_is_coupled (c) || c->pending)
            {
              g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                           _ ("%s “%s” is not coupled to Dynamics 365 Sales. Couple or "
                              "synchronize it in the %s mapping first."),
                           field->label != NULL ? _ (field->label) : field->name, text,
                           target->name);
              return NULL;
            }
          if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_BASE_UNIT))
            {
              id = sb_sync_run_ensure_base_unit (run, c, error);
              set = SB_DV_UOMS;
              if (id == NULL)
                return NULL;
            }
          else
            {
              id = c->dataverse_id;
              set = target->entity_set;
            }
          sb_json_set_bind (body, f->dataverse_field, set, id);
          continue;
        }
      switch (field->type)
        {
          case SB_FIELD_DECIMAL:
            {
              double value = sb_decimal_to_double (sb_record_get_int (field, record));

              if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_NON_NEGATIVE) && value < 0)
                value = 0;
              json_object_set_double_member (body, f->dataverse_field, value);
            }
            break;
          case SB_FIELD_INT:
            json_object_set_int_member (body, f->dataverse_field,
                                        sb_record_get_int (field, record));
            break;
          case SB_FIELD_BOOL:
            if (g_str_equal (f->transform, SB_SYNC_TRANSFORM_STATE_BLOCKED))
              json_object_set_int_member (body, f->dataverse_field,
                                          sb_record_get_int (field, record) ? 1 : 0);
            else
              json_object_set_boolean_member (body, f->dataverse_field,
                                              sb_record_get_int (field, record) != 0);
            break;
          case SB_FIELD_DATE:
            if (*text == '\0')
              json_object_set_null_member (body, f->dataverse_field);
            else
              json_object_set_string_member (body, f->dataverse_field, text);
            break;
          case SB_FIELD_TEXT:
          case SB_FIELD_CODE:
          default:
            json_object_set_string_member (body, f->dataverse_field, text ? text : "");
            break;
        }
    }
  return g_steal_pointer (&body);
}

typedef struct
{
  Run *run;
  GPtrArray *ops;
  SbDataverseBatch *batch;
  GPtrArray *retry; /* Op: deletion conflicts to restore */
} Chunk;

static gboolean
prepare_txn (SbStore *store, gpointer user_data, GError **error)
{
  Chunk *chunk = user_data;

  for (guint i = 0; i < chunk->ops->len; i++)
    {
      Op *op = chunk->ops->pdata[i];
      g_autoptr (SbSyncCoupling) c = NULL;

      if (!op->create)
        continue;
      c = sb_sync_coupling_find_erp (store, chunk->run->mapping->name, op->erp_key, error);
      if (c == NULL && *error != NULL)
        return FALSE;
      if (c == NULL)
        c = sb_sync_coupling_new (chunk->run->mapping->name, op->erp_key, NULL);
      if (c->dataverse_id == NULL)
        {
          /* Chosen and committed before the request: a retry upserts this same id. */
          c->dataverse_id = sb_dataverse_new_guid ();
          c->pending = TRUE;
          if (!sb_sync_coupling_save (store, c, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
finish_txn (SbStore *store, gpointer user_data, GError **error)
{
  Chunk *chunk = user_data;
  Run *run = chunk->run;

  for (guint i = 0; i < chunk->ops->len; i++)
    {
      Op *op = chunk->ops->pdata[i];
      const SbDataverseBatchResult *result = sb_dataverse_batch_get_result (chunk->batch, i);
      g_autoptr (SbSyncCoupling) c =
          sb_sync_coupling_find_erp (store, run->mapping->name, op->erp_key, error);

      if (c == NULL)
        {
          if (*error != NULL)
            return FALSE;
          continue; /* uncoupled meanwhile */
        }
      if (result != NULL && result->error == NULL)
        {
          if (op->create)
            run->counters.inserted++;
          else
            run->counters.modified++;
          if (op->create && c->last_result != SB_SYNC_RESULT_OK)
            {
              g_free (run->last_created);
              run->last_created = g_strdup (c->dataverse_id);
            }
          if (!sb_sync_run_history (run, op->erp_key, c->dataverse_id,
                                    op->restore  ? SB_SYNC_ACTION_RESTORED
                                    : op->create ? SB_SYNC_ACTION_INSERTED
                                                 : SB_SYNC_ACTION_MODIFIED,
                                    op->body, NULL, error))
            return FALSE;
          c->pending = FALSE;
          c->erp_change_no = op->change_no;
          c->last_result = SB_SYNC_RESULT_OK;
          c->error_count = 0;
          g_free (c->last_error);
          c->last_error = g_strdup ("");
          g_free (c->synced_at);
          c->synced_at = g_strdup (sb_store_get_now (store));
          if (!sb_sync_coupling_save (store, c, error))
            return FALSE;
        }
      else if (result != NULL && result->status == 404 && !op->create)
        {
          /* Deletion conflict: the coupled Dataverse row is gone. */
          g_autofree char *message = NULL;

          switch (run->mapping->deletion_policy)
            {
              case SB_SYNC_DELETION_REMOVE_COUPLING:
                if (!sb_sync_coupling_delete (store, c->id, error) ||
                    !sb_sync_run_history (
                        run, op->erp_key, c->dataverse_id, SB_SYNC_ACTION_UNCOUPLED, NULL,
                        _ ("The coupled Dynamics 365 Sales record was deleted."), error))
                  return FALSE;
                run->counters.uncoupled++;
                break;
              case SB_SYNC_DELETION_RESTORE:
                {
                  Op *again = g_new0 (Op, 1);

                  again->erp_key = g_strdup (op->erp_key);
                  again->change_no = op->change_no;
                  again->create = TRUE;
                  again->restore = TRUE;
                  again->body = json_object_ref (op->body);
                  g_ptr_array_add (chunk->retry, again);
                  c->pending = TRUE;
                  if (!sb_sync_coupling_save (store, c, error))
                    return FALSE;
                }
                break;
              case SB_SYNC_DELETION_NONE:
              default:
                message = g_strdup_printf (_ ("The coupled Dynamics 365 Sales record of %s was "
                                              "deleted. Restore it or remove the coupling."),
                                           op->erp_key);
                {
                  ConflictData conflict = { 1, "", NULL, NULL };

                  if (!sb_sync_run_fail_conflict (run, &conflict, op->erp_key, c->dataverse_id,
                                                  message, error))
                    return FALSE;
                }
                break;
            }
        }
      else
        {
          const char *message = result != NULL && result->error != NULL
                                    ? result->error->message
                                    : _ ("The request was not executed.");
          gboolean transient = result == NULL || result->status == 0 || result->status == 429 ||
                               result->status >= 500;

          if (!(transient ? sb_sync_run_fail_record_transient : sb_sync_run_fail_record) (
                  run, op->erp_key, c->dataverse_id, message, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Sends @ops (Op) in $batch chunks: ids of creations committed first, results after. */
gboolean
sb_sync_run_send_ops (Run *run, GPtrArray *ops, GError **error)
{
  guint batch_size = sb_sync_engine_get_batch_size (run->engine);
  g_autoptr (GPtrArray) pending = g_ptr_array_ref (ops);

  while (pending->len > 0)
    {
      g_autoptr (GPtrArray) retry =
          g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);

      for (guint start = 0; start < pending->len; start += batch_size)
        {
          g_autoptr (GPtrArray) slice = g_ptr_array_new ();
          g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();
          Chunk chunk = { run, slice, batch, retry };

          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            return FALSE;
          for (guint i = start; i < MIN (pending->len, start + batch_size); i++)
            g_ptr_array_add (slice, pending->pdata[i]);
          if (!sb_store_run_in_transaction (run->store, prepare_txn, &chunk, error))
            return FALSE;
          sb_dataverse_batch_set_continue_on_error (batch, TRUE);
          for (guint i = 0; i < slice->len; i++)
            {
              Op *op = slice->pdata[i];
              g_autoptr (SbSyncCoupling) c =
                  sb_sync_coupling_find_erp (run->store, run->mapping->name, op->erp_key, error);
              g_autofree char *path = NULL;

              if (c == NULL)
                {
                  /* Uncoupled by someone else since it was queued. */
                  if (*error == NULL)
                    g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                                 _ ("%s is not coupled in the %s mapping."), op->erp_key,
                                 run->mapping->name);
                  return FALSE;
                }
              path = g_strdup_printf ("%s(%s)", run->mapping->entity_set, c->dataverse_id);
              /* Creations are upserts of the chosen id; updates must not resurrect a row. */
              sb_dataverse_batch_add (batch, "PATCH", path, op->body, op->create ? NULL : "*");
            }
          if (!sb_dataverse_connection_execute_batch_sync (
                  sb_sync_engine_get_connection (run->engine), batch, run->cancellable, error))
            return FALSE;
          if (!sb_store_run_in_transaction (run->store, finish_txn, &chunk, error))
            return FALSE;
          sb_sync_run_progress (run, MIN (pending->len, start + batch_size), pending->len);
        }
      g_ptr_array_unref (pending);
      pending = g_ptr_array_ref (retry);
    }
  return TRUE;
}

/* Queues @record for sending; failures of its own (an uncoupled lookup) are recorded. */
gboolean
sb_sync_run_queue_record (Run *run, gpointer record, GPtrArray *ops, GError **error)
{
  g_autofree char *key = sb_sync_run_erp_key_of (run, record);
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_erp (run->store, run->mapping->name, key, error);
  g_autoptr (GError) local_error = NULL;
  const SbField *change_field = sb_record_type_find_field (run->type, "change_no");
  gint64 change_no = change_field ? sb_record_get_int (change_field, record) : 0;
  JsonObject *body;
  Op *op;

  if (c == NULL && *error != NULL)
    return FALSE;
  if (c != NULL && c->skipped)
    {
      run->counters.skipped++;
      return TRUE;
    }
  if (sb_sync_coupling_is_coupled (c) && !c->pending && c->last_result == SB_SYNC_RESULT_OK &&
      change_no <= c->erp_change_no)
    {
      run->counters.unchanged++;
      return TRUE;
    }
  if (!sb_sync_coupling_is_coupled (c) && run->mapping->only_coupled && !run->force_create)
    return TRUE;
  body = sb_sync_run_build_body (run, record, &local_error);
  if (body == NULL)
    return sb_sync_run_fail_record (run, key, c ? c->dataverse_id : NULL, local_error->message,
                                    error);
  if (sb_sync_coupling_is_coupled (c) && c->last_result == SB_SYNC_RESULT_NONE)
    g_hash_table_add (run->fresh_ids, g_strdup (c->dataverse_id));
  op = g_new0 (Op, 1);
  op->erp_key = g_steal_pointer (&key);
  op->change_no = change_no;
  op->create = !sb_sync_coupling_is_coupled (c) || c->pending;
  op->body = body;
  g_ptr_array_add (ops, op);
  return TRUE;
}
