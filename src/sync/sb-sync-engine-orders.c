/* sb-sync-engine-orders.c: sales orders from Dynamics 365 Sales (integration-behaviour.md §5)
 *
 * Idempotency: the ERP order, its lines, its coupling (SALESORDER-ORDER) and its origin row are
 * written in one ERP transaction; marking the Dataverse order (lastbackofficesubmit) comes
 * after it. A run that dies in between leaves an origin row with marked = 0: the next attempt
 * (manual or automatic) finds it by the Dataverse id and only sends the mark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"

/* ---- Listing ------------------------------------------------------------------------------ */

/* The coupled ERP customer of a list row ("" when none); contacts are asked for their parent
 * once per contact. */
static char *
list_customer_no (SbSalesImport *ctx, JsonObject *row, GHashTable *contacts)
{
  g_autoptr (GError) error = NULL;
  const char *id = sb_json_get_lookup (row, "customerid");
  const char *kind =
      sb_json_get_string (row, "_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "");
  char *no;

  if (id == NULL)
    return g_strdup ("");
  if (g_str_equal (kind, "contact"))
    {
      const char *cached = g_hash_table_lookup (contacts, id);

      if (cached == NULL)
        {
          no = sb_sales_import_customer_no (ctx, row, NULL);
          g_hash_table_insert (contacts, g_strdup (id), g_strdup (no ? no : ""));
          return no ? no : g_strdup ("");
        }
      return g_strdup (cached);
    }
  {
    g_autoptr (SbSyncCoupling) c =
        sb_sync_coupling_find_dataverse (ctx->store, "CUSTOMER", id, &error);

    return g_strdup (c != NULL && c->erp_key != NULL && !c->pending ? c->erp_key : "");
  }
}

GPtrArray *
sb_sales_import_query_rows (SbSalesImport *ctx, const char *entity_set, const char *const *select,
                            SbDataverseFilter *filter, guint limit, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (entity_set);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  sb_dataverse_query_select_v (query, select);
  sb_dataverse_query_set_filter (query, filter);
  /* createdon has whole seconds: the number (increasing) orders rows of the same second. */
  sb_dataverse_query_order_by (query, "createdon", TRUE);
  sb_dataverse_query_order_by (
      query, g_str_equal (entity_set, "quotes") ? "quotenumber" : "ordernumber", TRUE);
  if (g_str_equal (entity_set, "quotes"))
    sb_dataverse_query_order_by (query, "revisionnumber", TRUE);
  sb_dataverse_query_set_expand (query, "transactioncurrencyid($select=isocurrencycode)");
  sb_dataverse_query_set_annotations (query, "*");
  if (limit > 0)
    sb_dataverse_query_set_top (query, limit);
  if (!sb_dataverse_connection_query_sync (ctx->cnc, query, sb_sales_import_collect_rows, rows,
                                           NULL, ctx->cancellable, error))
    return NULL;
  return g_steal_pointer (&rows);
}

void
sb_sales_import_list_common (SbSalesImport *ctx, JsonBuilder *b, JsonObject *row, const char *etn,
                             const char *id, gboolean quote, GHashTable *contacts)
{
  gint64 state = sb_json_get_int (row, "statecode", 0);
  g_autofree char *customer_no = list_customer_no (ctx, row, contacts);
  g_autofree char *total = NULL;
  g_autofree char *url = sb_sales_import_web_url (ctx->cnc, etn, id);
  JsonObject *currency = sb_json_get_object (row, "transactioncurrencyid");
  SbDecimal amount;

  sb_sales_import_decimal (row, "totalamount", &amount);
  total = sb_decimal_to_string (amount, 2);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, sb_json_get_string (row, "name", ""));
  json_builder_set_member_name (b, "statecode");
  json_builder_add_int_value (b, state);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, sb_sales_import_state_label (quote, state));
  json_builder_set_member_name (b, "customer_id");
  json_builder_add_string_value (b, sb_json_get_lookup (row, "customerid") ?: "");
  json_builder_set_member_name (b, "customer_name");
  json_builder_add_string_value (
      b,
      sb_json_get_string (row, "_customerid_value@OData.Community.Display.V1.FormattedValue", ""));
  json_builder_set_member_name (b, "customer_no");
  json_builder_add_string_value (b, customer_no);
  json_builder_set_member_name (b, "total_amount");
  json_builder_add_string_value (b, total);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (
      b, currency != NULL ? sb_json_get_string (currency, "isocurrencycode", "") : "");
  json_builder_set_member_name (b, "web_url");
  json_builder_add_string_value (b, url);
}

static JsonNode *
list_orders (SbSalesImport *ctx, guint limit, GError **error)
{
  static const char *const select[] = { "salesorderid",
                                        "name",
                                        "ordernumber",
                                        "statecode",
                                        "_customerid_value",
                                        "totalamount",
                                        "_transactioncurrencyid_value",
                                        "lastbackofficesubmit",
                                        "createdon",
                                        NULL };
  g_autoptr (GPtrArray) rows =
      sb_sales_import_query_rows (ctx, "salesorders", select, NULL, limit, error);
  g_autoptr (GHashTable) contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    return NULL;
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = rows->pdata[i];
      const char *id = sb_json_get_string (row, "salesorderid", "");
      g_autofree char *erp_no = sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_ORDER, id, NULL);

      json_builder_begin_object (b);
      sb_sales_import_list_common (ctx, b, row, "salesorder", id, FALSE, contacts);
      json_builder_set_member_name (b, "ordernumber");
      json_builder_add_string_value (b, sb_json_get_string (row, "ordernumber", ""));
      json_builder_set_member_name (b, "submitted");
      json_builder_add_boolean_value (b, sb_json_get_int (row, "statecode", 0) ==
                                             SB_DV_ORDER_SUBMITTED);
      json_builder_set_member_name (b, "lastbackofficesubmit");
      json_builder_add_string_value (b, sb_json_get_string (row, "lastbackofficesubmit", ""));
      json_builder_set_member_name (b, "erp_order_no");
      json_builder_add_string_value (b, erp_no ? erp_no : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

JsonNode *
sb_sync_engine_list_sales_orders_sync (SbSyncEngine *self, guint limit, GCancellable *cancellable,
                                       GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  return list_orders (&ctx, limit, error);
}

/* ---- Creating ----------------------------------------------------------------------------- */

gboolean
sb_sales_import_mark_order (SbSalesImport *ctx, const char *order_no, const char *id,
                            GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *today = sb_get_work_date ();

  /* §5: lastbackofficesubmit = today tells that the back office took the order. */
  json_object_set_string_member (body, "lastbackofficesubmit", today);
  if (!sb_dataverse_connection_write_sync (ctx->cnc, "salesorders", id, body,
                                           SB_DATAVERSE_WRITE_UPDATE, "*", NULL, NULL,
                                           ctx->cancellable, error))
    return FALSE;
  return sb_sales_origin_set_flag (ctx->store, SB_SALES_DOC_ORDER, order_no, "marked", TRUE, error);
}

static gboolean
finish_order (SbSalesImport *ctx, const char *order_no, const char *id, const char *quote_id,
              GError **error)
{
  gboolean marked;

  if (quote_id != NULL)
    {
      /* §5/§6: an order from a quote the ERP knows gets its Quote No., and the quote is
       * archived. */
      g_autofree char *quote_no =
          sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_QUOTE, quote_id, error);

      if (quote_no != NULL && !sb_sales_import_link_quote (ctx->store, order_no, quote_no, error))
        return FALSE;
    }
  if (!sb_sales_origin_get_flag (ctx->store, SB_SALES_DOC_ORDER, order_no, "marked", &marked,
                                 error))
    return FALSE;
  return marked || sb_sales_import_mark_order (ctx, order_no, id, error);
}

typedef struct
{
  SbSalesImport *ctx;
  JsonObject *row;
  SbSalesHeader *header;
} CreateData;

static gboolean
create_txn (SbStore *store, gpointer user_data, GError **error)
{
  CreateData *d = user_data;
  const char *id = sb_json_get_string (d->row, "salesorderid", "");
  g_autofree char *erp_key = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;

  if (!sb_sales_document_create (store, d->header, error) ||
      !sb_sales_import_add_lines (d->ctx, d->row, "order_details", SB_SALES_DOC_ORDER,
                                  d->header->no, error))
    return FALSE;
  /* The coupling and the origin commit with the order: the retry after a crash finds them. */
  erp_key = sb_sales_import_erp_key (SB_SALES_DOC_ORDER, d->header->no);
  coupling = sb_sync_coupling_new (SB_SALES_ORDER_MAPPING, erp_key, id);
  coupling->last_result = SB_SYNC_RESULT_OK;
  coupling->erp_change_no = sb_store_get_change_number (store);
  g_free (coupling->dataverse_modifiedon);
  coupling->dataverse_modifiedon = g_strdup (sb_json_get_string (d->row, "modifiedon", ""));
  return sb_sync_coupling_save (store, coupling, error) &&
         sb_sales_origin_save (store, SB_SALES_DOC_ORDER, d->header->no, id, "salesorders",
                               sb_json_get_string (d->row, "ordernumber", ""), 0, error);
}

/* Creates (or finishes) the ERP order of @row. */
static char *
create_from_row (SbSalesImport *ctx, JsonObject *row, gboolean *out_created, GError **error)
{
  const char *id = sb_json_get_string (row, "salesorderid", "");
  const char *quote_id = sb_json_get_lookup (row, "quoteid");
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_autofree char *existing = NULL;
  g_autofree char *customer_no = NULL;
  CreateData d;

  if (out_created != NULL)
    *out_created = FALSE;
  if (!g_uuid_string_is_valid (id))
    {
      g_set_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_RESPONSE,
                   _ ("Dynamics 365 Sales sent a sales order without a valid id. Try again "
                      "later; if it persists, check the environment’s customizations."));
      return NULL;
    }
  existing = sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_ORDER, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    /* Taken before: at most the mark is missing (a crash after the ERP commit). */
    return finish_order (ctx, existing, id, quote_id, error) ? g_steal_pointer (&existing) : NULL;
  if (sb_json_get_int (row, "statecode", 0) != SB_DV_ORDER_SUBMITTED)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("The sales order %s is %s in Dynamics 365 Sales. Only submitted orders "
                      "can be created in the ERP: submit it there first."),
                   sb_json_get_string (row, "ordernumber", id),
                   sb_sales_import_state_label (FALSE, sb_json_get_int (row, "statecode", 0)));
      return NULL;
    }
  customer_no = sb_sales_import_customer_no (ctx, row, error);
  if (customer_no == NULL)
    return NULL;
  header = sb_sales_header_new ();
  header->doc_type = SB_SALES_DOC_ORDER;
  g_free (header->sell_to_customer_no);
  header->sell_to_customer_no = g_strdup (customer_no);
  if (!sb_sales_import_fill_header (ctx, row, header, error))
    return NULL;
  d = (CreateData){ ctx, row, header };
  if (!sb_store_run_in_transaction (ctx->store, create_txn, &d, error))
    return NULL;
  if (out_created != NULL)
    *out_created = TRUE;
  if (!sb_sales_import_run_test_hook (header->no, error) ||
      !finish_order (ctx, header->no, id, quote_id, error))
    return NULL;
  return g_strdup (header->no);
}

char *
sb_sales_import_create_order (SbSalesImport *ctx, const char *order, GError **error)
{
  g_autoptr (JsonObject) row =
      sb_sales_import_retrieve (ctx, "salesorders", "ordernumber", order, "order_details", error);

  if (row == NULL)
    return NULL;
  return create_from_row (ctx, row, NULL, error);
}

char *
sb_sync_engine_create_sales_order_sync (SbSyncEngine *self, const char *order,
                                        GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  g_return_val_if_fail (order != NULL, NULL);
  return sb_sales_import_create_order (&ctx, order, error);
}

/* ---- The automatic job -------------------------------------------------------------------- */

gboolean
sb_sync_engine_create_sales_orders_sync (SbSyncEngine *self, SbSalesImportCounters *out_counters,
                                         GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  return sb_sales_import_create_orders (&ctx, out_counters, error);
}

/* Created, or only marked (created by a run that died before the mark). */
static char *
order_row (SbSalesImport *ctx, JsonObject *row, SbSalesImportOutcome *outcome, GError **error)
{
  gboolean created = FALSE;
  char *no = create_from_row (ctx, row, &created, error);

  *outcome = created ? SB_SALES_IMPORT_CREATED : SB_SALES_IMPORT_UPDATED;
  return no;
}

gboolean
sb_sales_import_create_orders (SbSalesImport *ctx, SbSalesImportCounters *out_counters,
                               GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("salesorders");

  /* §5: submitted orders the back office has not taken (lastbackofficesubmit empty). An order
   * taken by a run that died before the mark is among them, and is only marked. */
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_and (
                 sb_dataverse_filter_int ("statecode", SB_DATAVERSE_EQ, SB_DV_ORDER_SUBMITTED),
                 sb_dataverse_filter_null ("lastbackofficesubmit", SB_DATAVERSE_EQ), NULL));
  sb_dataverse_query_order_by (query, "createdon", FALSE);
  sb_dataverse_query_set_expand (query, "order_details($orderby=sequencenumber)");
  sb_dataverse_query_set_annotations (query, "*");
  return sb_sales_import_run_job (ctx, SB_SALES_ORDER_MAPPING, query, "salesorderid", order_row,
                                  out_counters, error);
}

/* ---- Async twins -------------------------------------------------------------------------- */

typedef struct
{
  char *key;
  guint limit;
  gboolean quote;
  gboolean list;
} TaskData;

static void
task_data_free (TaskData *d)
{
  g_free (d->key);
  g_free (d);
}

static void
task_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  TaskData *d = task_data;
  GError *error = NULL;
  /* The caller's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store = sb_store_open (sb_store_get_path (sb_sync_engine_get_store (self)),
                                             SB_STORE_OPEN_DEFAULT, &error);
  SbSalesImport ctx = { self, store, sb_sync_engine_get_connection (self), cancellable };

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (d->list)
    {
      JsonNode *node = d->quote ? sb_sales_import_list_quotes (&ctx, d->limit, &error)
                                : list_orders (&ctx, d->limit, &error);

      if (node != NULL)
        g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
      else
        g_task_return_error (task, error);
      return;
    }
  {
    char *no = d->quote ? sb_sales_import_process_quote (&ctx, d->key, &error)
                        : sb_sales_import_create_order (&ctx, d->key, &error);

    if (no != NULL)
      g_task_return_pointer (task, no, g_free);
    else
      g_task_return_error (task, error);
  }
}

void
sb_sales_import_run_async (SbSyncEngine *self, gpointer tag, gboolean quote, gboolean list,
                           const char *key, guint limit, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  TaskData *d = g_new0 (TaskData, 1);

  d->key = g_strdup (key);
  d->limit = limit;
  d->quote = quote;
  d->list = list;
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, d, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, task_thread);
}

void
sb_sync_engine_list_sales_orders_async (SbSyncEngine *self, guint limit, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  sb_sales_import_run_async (self, sb_sync_engine_list_sales_orders_async, FALSE, TRUE, NULL, limit,
                             cancellable, callback, user_data);
}

JsonNode *
sb_sync_engine_list_sales_orders_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sb_sync_engine_create_sales_order_async (SbSyncEngine *self, const char *order,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  sb_sales_import_run_async (self, sb_sync_engine_create_sales_order_async, FALSE, FALSE, order, 0,
                             cancellable, callback, user_data);
}

char *
sb_sync_engine_create_sales_order_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
