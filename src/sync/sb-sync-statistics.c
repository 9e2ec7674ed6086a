/* sb-sync-statistics.c: Update Account Statistics (integration-behaviour.md §7)
 *
 * For each coupled customer: the status of its invoices in Sales follows its payments
 * (sb-sync-engine-invoices.c), and its statistics (sb-statistics.h) go to one row of the
 * solution's table (sb-sync-solution.h), linked to the account. The row's id is derived from
 * the account's, so writing it is an upsert that can be retried without making a second row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-customer.h"
#include "sb-dataverse-json.h"
#include "sb-statistics.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices-private.h"
#include "sb-sync-solution.h"

#define STATISTICS_PK SB_SYNC_STATISTICS_TABLE "id"

typedef struct
{
  Run run; /* of POSTEDSALESINV-INV: the invoice statuses */
  SbSyncCounters counters;
  char *entity_set;
  GHashTable *existing; /* ids of the statistics rows in Sales */
} Update;

static gboolean
existing_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  Update *u = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *id = row != NULL ? sb_json_get_guid (row, STATISTICS_PK) : NULL;

      if (id != NULL)
        g_hash_table_add (u->existing, g_ascii_strdown (id, -1));
    }
  return TRUE;
}

static void
set_amount (JsonObject *body, const char *column, SbDecimal value)
{
  json_object_set_double_member (body, column, sb_decimal_to_double (value));
}

static JsonObject *
statistics_body (SbStore *store, const char *customer_no, const char *account_id, GError **error)
{
  g_autoptr (SbCustomer) customer = sb_customer_lookup (store, customer_no, error);
  g_autoptr (SbCustomerStatistics) s = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *name = NULL;

  if (customer == NULL)
    return NULL;
  s = sb_customer_statistics_compute (store, customer_no, NULL, error);
  if (s == NULL)
    return NULL;
  name = g_strdup_printf ("%s %s", customer->no, customer->name);
  json_object_set_string_member (body, "sb_name", name);
  json_object_set_string_member (body, "sb_customerno", customer->no);
  set_amount (body, "sb_balancelcy", s->balance_lcy);
  set_amount (body, "sb_outstandingorderslcy", s->outstanding_orders_lcy);
  set_amount (body, "sb_shippednotinvoicedlcy", s->shipped_not_invoiced_lcy);
  set_amount (body, "sb_outstandinginvoiceslcy", s->outstanding_invoices_lcy);
  set_amount (body, "sb_totallcy", s->total_lcy);
  set_amount (body, "sb_creditlimitlcy", s->credit_limit_lcy);
  set_amount (body, "sb_overdueamountslcy", s->overdue_amounts_lcy);
  json_object_set_string_member (body, "sb_asofdate", s->as_of_date);
  set_amount (body, "sb_totalsaleslcy", s->total_sales_lcy);
  set_amount (body, "sb_invoicedprepaymentamountlcy", s->invoiced_prepayment_amount_lcy);
  sb_json_set_bind (body, SB_SYNC_STATISTICS_NAVIGATION, "accounts", account_id);
  return g_steal_pointer (&body);
}

/* The customers to do: @customer_nos, or every coupled customer. */
static GPtrArray *
list_customers (Update *u, const char *const *customer_nos, GError **error)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_coupling_free);

  if (customer_nos == NULL)
    {
      g_autoptr (GPtrArray) all = sb_sync_coupling_list (u->run.store, "CUSTOMER", error);

      if (all == NULL)
        {
          g_ptr_array_unref (out);
          return NULL;
        }
      for (guint i = 0; i < all->len; i++)
        {
          SbSyncCoupling *c = all->pdata[i];

          if (sb_sync_coupling_is_coupled (c) && !c->pending)
            g_ptr_array_add (out, g_steal_pointer (&all->pdata[i]));
        }
      return out;
    }
  for (guint i = 0; customer_nos[i] != NULL; i++)
    {
      g_autoptr (GError) local_error = NULL;
      SbSyncCoupling *c =
          sb_sync_coupling_find_erp (u->run.store, "CUSTOMER", customer_nos[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          g_ptr_array_unref (out);
          return NULL;
        }
      if (!sb_sync_coupling_is_coupled (c) || c->pending)
        {
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                       _ ("Customer %s is not coupled to an account in Dynamics 365 Sales. "
                          "Couple it first; statistics are kept for coupled customers only."),
                       customer_nos[i]);
          sb_sync_coupling_free (c);
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, c);
    }
  return out;
}

static gboolean
send_rows (Update *u, SbDataverseBatch *batch, GPtrArray *inserting, GError **error)
{
  if (sb_dataverse_batch_get_n_requests (batch) == 0)
    return TRUE;
  if (!sb_dataverse_connection_execute_batch_sync (sb_sync_engine_get_connection (u->run.engine),
                                                   batch, u->run.cancellable, error))
    return FALSE;
  for (guint i = 0; i < sb_dataverse_batch_get_n_requests (batch); i++)
    {
      const SbDataverseBatchResult *r = sb_dataverse_batch_get_result (batch, i);

      if (r->error != NULL)
        {
          if (!sb_sync_run_log_error (&u->run, NULL, NULL, r->error->message, error))
            return FALSE;
        }
      else if (GPOINTER_TO_INT (inserting->pdata[i]))
        u->counters.inserted++;
      else
        u->counters.modified++;
    }
  return TRUE;
}

static gboolean
record_watermark (SbStore *store, gint64 change_no, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "UPDATE integration_solution SET stats_change_no = ?1 WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, change_no);
  return sb_store_exec_stmt (store, stmt, error);
}

static gboolean
update (Update *u, const char *const *customer_nos, GError **error)
{
  SbStore *store = u->run.store;
  g_autoptr (GPtrArray) customers = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (u->entity_set);
  g_autoptr (SbDataverseBatch) batch = NULL;
  g_autoptr (GPtrArray) inserting = NULL;
  g_autoptr (GError) local_error = NULL;
  guint batch_size = sb_sync_engine_get_batch_size (u->run.engine);

  customers = list_customers (u, customer_nos, error);
  if (customers == NULL)
    return FALSE;
  sb_dataverse_query_select (query, STATISTICS_PK, NULL);
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (u->run.engine), query,
                                           existing_page, u, NULL, u->run.cancellable,
                                           &local_error))
    {
      /* Recorded as deployed, but the environment has no such table (deleted, or another
       * environment): say what to do rather than Dataverse's "resource not found". */
      if (g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
        g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                     _ ("The account statistics table %s is not in Dynamics 365 Sales. Deploy "
                        "the integration solution again."),
                     u->entity_set);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < customers->len; i++)
    {
      SbSyncCoupling *c = customers->pdata[i];
      g_autoptr (GError) local_error = NULL;
      g_autoptr (JsonObject) body = NULL;
      g_autofree char *name = NULL;
      g_autofree char *id = NULL;
      g_autofree char *path = NULL;

      if (g_cancellable_set_error_if_cancelled (u->run.cancellable, error))
        return FALSE;
      sb_sync_run_progress (&u->run, i, customers->len);
      /* The invoices' statuses first: paid invoices are part of what changed. */
      if (!sb_sync_invoices_refresh_statuses (&u->run, c->erp_key, c->dataverse_id, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (!sb_sync_run_log_error (&u->run, c->erp_key, c->dataverse_id, local_error->message,
                                      error))
            return FALSE;
          continue;
        }
      body = statistics_body (store, c->erp_key, c->dataverse_id, &local_error);
      if (body == NULL)
        {
          if (!sb_sync_run_log_error (&u->run, c->erp_key, c->dataverse_id, local_error->message,
                                      error))
            return FALSE;
          continue;
        }
      name = g_strdup_printf ("%s/%s", SB_SYNC_STATISTICS_TABLE, c->dataverse_id);
      id = sb_sync_name_uuid (name);
      path = g_strdup_printf ("%s(%s)", u->entity_set, id);
      if (batch == NULL)
        {
          batch = sb_dataverse_batch_new ();
          sb_dataverse_batch_set_continue_on_error (batch, TRUE);
          inserting = g_ptr_array_new ();
        }
      /* No If-Match: an upsert of the derived id. */
      sb_dataverse_batch_add (batch, "PATCH", path, body, NULL);
      g_ptr_array_add (inserting, GINT_TO_POINTER (!g_hash_table_contains (u->existing, id)));
      if (sb_dataverse_batch_get_n_requests (batch) >= batch_size)
        {
          if (!send_rows (u, batch, inserting, error))
            return FALSE;
          g_clear_object (&batch);
          g_clear_pointer (&inserting, g_ptr_array_unref);
        }
    }
  if (batch != NULL && !send_rows (u, batch, inserting, error))
    return FALSE;
  sb_sync_run_progress (&u->run, customers->len, customers->len);
  return TRUE;
}

gboolean
sb_sync_statistics_job_available (SbStore *store)
{
  g_autoptr (SbSyncSolutionStatus) solution = sb_sync_solution_get_recorded (store, NULL);

  return solution != NULL && solution->state == SB_SYNC_SOLUTION_DEPLOYED;
}

gboolean
sb_sync_statistics_ledger_changed (SbStore *store, gboolean *out_changed, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT EXISTS (SELECT 1 FROM cust_ledger_entry WHERE change_no >"
      " coalesce ((SELECT stats_change_no FROM integration_solution WHERE id = 1), 0))",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out_changed = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || sb_store_set_error (store, error);
}

gboolean
sb_sync_statistics_update (SbSyncEngine *self, SbStore *store, const char *const *customer_nos,
                           GMainContext *progress_context, SbSyncCounters *out_counters,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (SbSyncSolutionStatus) solution = sb_sync_solution_get_recorded (store, error);
  /* The ledger as it is now: a payment registered while this runs wakes the next run. */
  gint64 change_no = sb_store_get_change_number (store);
  Update u;
  g_autoptr (GError) local_error = NULL;
  gboolean ok;

  if (solution == NULL)
    return FALSE;
  if (solution->state != SB_SYNC_SOLUTION_DEPLOYED || *solution->entity_set == '\0')
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                   _ ("The integration solution is not deployed in Dynamics 365 Sales, so there "
                      "is no table for the account statistics. Deploy the integration solution "
                      "first."));
      return FALSE;
    }
  memset (&u, 0, sizeof u);
  if (!sb_sync_run_init (&u.run, self, store, SB_SYNC_INVOICE_MAPPING, cancellable, error))
    {
      sb_sync_run_clear (&u.run);
      return FALSE;
    }
  u.run.progress_context = progress_context;
  u.entity_set = g_strdup (solution->entity_set);
  u.existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = sb_sync_run_job_start (&u.run, SB_SYNC_DIRECTION_TO_SALES, &local_error) &&
       update (&u, customer_nos, &local_error);
  /* Every failure (invoice status or statistics row) was logged and counted by
   * sb_sync_run_log_error() in the run. */
  u.counters.failed = u.run.counters.failed;
  if (u.run.counters.job_id != 0)
    {
      /* The job row of the invoice mapping shows the invoice status changes; the statistics
       * rows are this function's counters. */
      sb_sync_run_job_finish (&u.run, ok ? u.run.last_failure : local_error->message);
    }
  if (ok && customer_nos == NULL && u.counters.failed == 0)
    ok = record_watermark (store, change_no, &local_error);
  if (out_counters != NULL)
    {
      *out_counters = u.counters;
      out_counters->job_id = u.run.counters.job_id;
    }
  sb_sync_run_clear (&u.run);
  g_free (u.entity_set);
  g_hash_table_unref (u.existing);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

gboolean
sb_sync_engine_update_account_statistics_sync (SbSyncEngine *self, const char *const *customer_nos,
                                               SbSyncCounters *out_counters,
                                               GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return sb_sync_statistics_update (self, sb_sync_engine_get_store (self), customer_nos, NULL,
                                    out_counters, cancellable, error);
}

typedef struct
{
  char **customer_nos;
  SbSyncCounters counters;
} StatsData;

static void
stats_data_free (StatsData *data)
{
  g_strfreev (data->customer_nos);
  g_free (data);
}

static void
stats_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  StatsData *data = task_data;
  GError *error = NULL;
  g_autoptr (SbStore) store = sb_sync_worker_store (self, &error);

  if (store == NULL ||
      !sb_sync_statistics_update (self, store, (const char *const *) data->customer_nos,
                                  g_task_get_context (task), &data->counters, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sb_sync_engine_update_account_statistics_async (SbSyncEngine *self, const char *const *customer_nos,
                                                GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  StatsData *data = g_new0 (StatsData, 1);

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  data->customer_nos = g_strdupv ((char **) customer_nos);
  g_task_set_source_tag (task, sb_sync_engine_update_account_statistics_async);
  g_task_set_task_data (task, data, (GDestroyNotify) stats_data_free);
  g_task_run_in_thread (task, stats_thread);
}

gboolean
sb_sync_engine_update_account_statistics_finish (SbSyncEngine *self, GAsyncResult *result,
                                                 SbSyncCounters *out_counters, GError **error)
{
  StatsData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_counters != NULL)
    *out_counters = data->counters;
  return TRUE;
}
