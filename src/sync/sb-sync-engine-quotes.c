/* sb-sync-engine-quotes.c: sales quotes from Dynamics 365 Sales (integration-behaviour.md §6)
 *
 * A quote is coupled (SALESQUOTE-QUOTE) to the ERP quote made from it, with an origin row that
 * remembers its quotenumber and revisionnumber. A new revision of a coupled quote archives the
 * ERP quote first (a numbered version with its lines), then replaces its header fields and lines
 * and moves the coupling to the new revision, all in one transaction. A won quote is processed
 * once (origin won_processed): its order is created or linked, or else the ERP quote released.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"

/* ---- Listing ------------------------------------------------------------------------------ */

JsonNode *
sb_sales_import_list_quotes (SbSalesImport *ctx, guint limit, GError **error)
{
  static const char *const select[] = { "quoteid",     "name",
                                        "quotenumber", "revisionnumber",
                                        "statecode",   "_customerid_value",
                                        "totalamount", "_transactioncurrencyid_value",
                                        "effectiveto", "createdon",
                                        NULL };
  g_autoptr (GPtrArray) rows =
      sb_sales_import_query_rows (ctx, "quotes", select, NULL, limit, error);
  g_autoptr (GHashTable) contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (rows == NULL)
    return NULL;
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = rows->pdata[i];
      const char *id = sb_json_get_string (row, "quoteid", "");
      g_autofree char *quote_no =
          sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_QUOTE, id, NULL);
      g_autofree char *order_no = NULL;

      /* The ERP order made from this quote carries its Quote No. */
      if (quote_no != NULL)
        {
          sqlite3_stmt *stmt = sb_store_prepare (
              ctx->store,
              "SELECT no FROM sales_header WHERE doc_type = 1 AND quote_no = ?1 LIMIT 1", NULL);

          if (stmt != NULL)
            {
              sb_bind_text (stmt, 1, quote_no);
              if (sqlite3_step (stmt) == SQLITE_ROW)
                order_no = sb_column_dup (stmt, 0);
              sqlite3_reset (stmt);
            }
        }
      json_builder_begin_object (b);
      sb_sales_import_list_common (ctx, b, row, "quote", id, TRUE, contacts);
      json_builder_set_member_name (b, "quotenumber");
      json_builder_add_string_value (b, sb_json_get_string (row, "quotenumber", ""));
      json_builder_set_member_name (b, "revisionnumber");
      json_builder_add_int_value (b, sb_json_get_int (row, "revisionnumber", 0));
      json_builder_set_member_name (b, "effectiveto");
      json_builder_add_string_value (b, sb_json_get_string (row, "effectiveto", ""));
      json_builder_set_member_name (b, "erp_quote_no");
      json_builder_add_string_value (b, quote_no ? quote_no : "");
      json_builder_set_member_name (b, "erp_order_no");
      json_builder_add_string_value (b, order_no ? order_no : "");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

JsonNode *
sb_sync_engine_list_sales_quotes_sync (SbSyncEngine *self, guint limit, GCancellable *cancellable,
                                       GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  return sb_sales_import_list_quotes (&ctx, limit, error);
}

void
sb_sync_engine_list_sales_quotes_async (SbSyncEngine *self, guint limit, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  sb_sales_import_run_async (self, sb_sync_engine_list_sales_quotes_async, TRUE, TRUE, NULL, limit,
                             cancellable, callback, user_data);
}

JsonNode *
sb_sync_engine_list_sales_quotes_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Creating and revising ---------------------------------------------------------------- */

typedef struct
{
  SbSalesImport *ctx;
  JsonObject *row;
  SbSalesHeader *header; /* new: no blank; revision: the ERP quote with new values */
  gboolean revision;
} QuoteData;

static gboolean
couple (SbStore *store, const char *no, JsonObject *row, GError **error)
{
  const char *id = sb_json_get_string (row, "quoteid", "");
  g_autofree char *erp_key = sb_sales_import_erp_key (SB_SALES_DOC_QUOTE, no);
  g_autoptr (SbSyncCoupling) old =
      sb_sync_coupling_find_erp (store, SB_SALES_QUOTE_MAPPING, erp_key, error);
  g_autoptr (SbSyncCoupling) coupling = NULL;

  /* The coupling moves from the previous revision to this one (§6). */
  if (old != NULL && !sb_sync_coupling_delete (store, old->id, error))
    return FALSE;
  coupling = sb_sync_coupling_new (SB_SALES_QUOTE_MAPPING, erp_key, id);
  coupling->last_result = SB_SYNC_RESULT_OK;
  coupling->erp_change_no = sb_store_get_change_number (store);
  g_free (coupling->dataverse_modifiedon);
  coupling->dataverse_modifiedon = g_strdup (sb_json_get_string (row, "modifiedon", ""));
  return sb_sync_coupling_save (store, coupling, error) &&
         sb_sales_origin_save (store, SB_SALES_DOC_QUOTE, no, id, "quotes",
                               sb_json_get_string (row, "quotenumber", ""),
                               sb_json_get_int (row, "revisionnumber", 0), error);
}

static gboolean
quote_txn (SbStore *store, gpointer user_data, GError **error)
{
  QuoteData *d = user_data;
  SbSalesHeader *h = d->header;

  if (d->revision)
    {
      /* §6: archive first, then the new revision replaces the header and the lines. */
      if (!sb_sales_document_reopen (store, SB_SALES_DOC_QUOTE, h->no, error) ||
          sb_sales_document_archive (store, SB_SALES_DOC_QUOTE, h->no, error) == 0 ||
          !sb_sales_document_delete_lines (store, SB_SALES_DOC_QUOTE, h->no, error) ||
          !sb_sales_document_update (store, h, error))
        return FALSE;
    }
  else if (!sb_sales_document_create (store, h, error))
    return FALSE;
  return sb_sales_import_add_lines (d->ctx, d->row, "quote_details", SB_SALES_DOC_QUOTE, h->no,
                                    error) &&
         couple (store, h->no, d->row, error);
}

static gboolean
fill_quote_header (SbSalesImport *ctx, JsonObject *row, SbSalesHeader *h, GError **error)
{
  const char *valid_until = sb_json_get_string (row, "effectiveto", "");

  if (!sb_sales_import_fill_header (ctx, row, h, error))
    return FALSE;
  /* §6: Quote Valid Until ← effectiveto. */
  g_free (h->quote_valid_until);
  h->quote_valid_until = g_strndup (valid_until, strlen (valid_until) >= 10 ? 10 : 0);
  return TRUE;
}

/* Creates the ERP quote of @row, or moves the ERP quote of an earlier revision to it. */
static char *
take_quote (SbSalesImport *ctx, JsonObject *row, GError **error)
{
  const char *number = sb_json_get_string (row, "quotenumber", "");
  g_autoptr (GError) local_error = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *customer_no = sb_sales_import_customer_no (ctx, row, error);
  QuoteData d;

  if (customer_no == NULL)
    return NULL;
  if (sb_json_get_int (row, "revisionnumber", 0) > 0)
    previous =
        sb_sales_origin_find_by_number (ctx->store, SB_SALES_DOC_QUOTE, number, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (previous != NULL)
    {
      header = sb_sales_document_get (ctx->store, SB_SALES_DOC_QUOTE, previous, error);
      if (header == NULL)
        return NULL;
      header->status = SB_SALES_STATUS_OPEN; /* reopened in the transaction */
    }
  else
    {
      header = sb_sales_header_new ();
      header->doc_type = SB_SALES_DOC_QUOTE;
    }
  g_free (header->sell_to_customer_no);
  header->sell_to_customer_no = g_strdup (customer_no);
  if (!fill_quote_header (ctx, row, header, error))
    return NULL;
  d = (QuoteData){ ctx, row, header, previous != NULL };
  if (!sb_store_run_in_transaction (ctx->store, quote_txn, &d, error))
    return NULL;
  return g_strdup (header->no);
}

/* ---- Won quotes --------------------------------------------------------------------------- */

static gboolean
take_first (const SbDataversePage *page, gpointer user_data, GError **error)
{
  JsonObject **out = user_data;

  if (*out == NULL && json_array_get_length (page->rows) > 0)
    *out = json_object_ref (json_array_get_object_element (page->rows, 0));
  return FALSE;
}

/* §6 Won: the order made from the quote is created or linked; without one the quote is
 * released. */
static gboolean
process_won (SbSalesImport *ctx, JsonObject *row, const char *quote_no, GError **error)
{
  const char *id = sb_json_get_string (row, "quoteid", "");
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("salesorders");
  g_autoptr (JsonObject) order = NULL;
  g_autofree char *order_no = NULL;
  gboolean done;

  if (!sb_sales_origin_get_flag (ctx->store, SB_SALES_DOC_QUOTE, quote_no, "won_processed", &done,
                                 error))
    return FALSE;
  if (done)
    return TRUE;
  sb_dataverse_query_select (query, "salesorderid", "statecode", "lastbackofficesubmit", NULL);
  sb_dataverse_query_set_filter (query,
                                 sb_dataverse_filter_guid ("_quoteid_value", SB_DATAVERSE_EQ, id));
  sb_dataverse_query_order_by (query, "createdon", TRUE);
  sb_dataverse_query_set_top (query, 1);
  if (!sb_dataverse_connection_query_sync (ctx->cnc, query, take_first, &order, NULL,
                                           ctx->cancellable, error))
    return FALSE;
  if (order != NULL)
    {
      const char *order_id = sb_json_get_string (order, "salesorderid", "");

      order_no = sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_ORDER, order_id, error);
      if (order_no == NULL && sb_json_get_int (order, "statecode", 0) == SB_DV_ORDER_SUBMITTED &&
          *sb_json_get_string (order, "lastbackofficesubmit", "") == '\0')
        {
          /* Submitted and not taken yet: take it now (it links the quote). */
          order_no = sb_sales_import_create_order (ctx, order_id, error);
          if (order_no == NULL)
            return FALSE;
        }
    }
  if (order_no != NULL)
    {
      if (!sb_sales_import_link_quote (ctx->store, order_no, quote_no, error))
        return FALSE;
    }
  else if (!sb_sales_document_release (ctx->store, SB_SALES_DOC_QUOTE, quote_no, error))
    return FALSE;
  return sb_sales_origin_set_flag (ctx->store, SB_SALES_DOC_QUOTE, quote_no, "won_processed", TRUE,
                                   error);
}

/* @out_work: whether anything was written. */
static char *
process_row (SbSalesImport *ctx, JsonObject *row, gboolean *out_work, GError **error)
{
  const char *id = sb_json_get_string (row, "quoteid", "");
  gint64 state = sb_json_get_int (row, "statecode", 0);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *no = NULL;
  gboolean won_done = FALSE;

  *out_work = FALSE;
  if (!g_uuid_string_is_valid (id))
    {
      g_set_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_RESPONSE,
                   _ ("Dynamics 365 Sales sent a quote without a valid id. Try again later; if "
                      "it persists, check the environment’s customizations."));
      return NULL;
    }
  if (state != SB_DV_QUOTE_ACTIVE && state != SB_DV_QUOTE_WON)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("The quote %s is %s in Dynamics 365 Sales. Only active or won quotes can "
                      "be processed: activate it there first."),
                   sb_json_get_string (row, "quotenumber", id),
                   sb_sales_import_state_label (TRUE, state));
      return NULL;
    }
  no = sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_QUOTE, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (no == NULL)
    {
      no = take_quote (ctx, row, error);
      if (no == NULL)
        return NULL;
      *out_work = TRUE;
    }
  if (state != SB_DV_QUOTE_WON)
    return g_steal_pointer (&no);
  if (!sb_sales_origin_get_flag (ctx->store, SB_SALES_DOC_QUOTE, no, "won_processed", &won_done,
                                 error))
    return NULL;
  if (won_done)
    return g_steal_pointer (&no);
  *out_work = TRUE;
  return process_won (ctx, row, no, error) ? g_steal_pointer (&no) : NULL;
}

char *
sb_sales_import_process_quote (SbSalesImport *ctx, const char *quote, GError **error)
{
  g_autoptr (JsonObject) row =
      sb_sales_import_retrieve (ctx, "quotes", "quotenumber", quote, "quote_details", error);
  gboolean work;

  if (row == NULL)
    return NULL;
  return process_row (ctx, row, &work, error);
}

char *
sb_sync_engine_process_sales_quote_sync (SbSyncEngine *self, const char *quote,
                                         GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  g_return_val_if_fail (quote != NULL, NULL);
  return sb_sales_import_process_quote (&ctx, quote, error);
}

void
sb_sync_engine_process_sales_quote_async (SbSyncEngine *self, const char *quote,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data)
{
  sb_sales_import_run_async (self, sb_sync_engine_process_sales_quote_async, TRUE, FALSE, quote, 0,
                             cancellable, callback, user_data);
}

char *
sb_sync_engine_process_sales_quote_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
sb_sync_engine_process_sales_quotes_sync (SbSyncEngine *self, SbSalesImportCounters *out_counters,
                                          GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self, sb_sync_engine_get_store (self), sb_sync_engine_get_connection (self),
                        cancellable };

  return sb_sales_import_process_quotes (&ctx, out_counters, error);
}

/* Counted when it changed the books: new when no revision of it was taken before. */
static char *
quote_row (SbSalesImport *ctx, JsonObject *row, SbSalesImportOutcome *outcome, GError **error)
{
  g_autofree char *known = NULL;
  gboolean work = FALSE;
  char *no;

  /* Known: this revision was taken, or an earlier one (then it is revised). */
  known = sb_sales_origin_find_no (ctx->store, SB_SALES_DOC_QUOTE,
                                   sb_json_get_string (row, "quoteid", ""), NULL);
  if (known == NULL && sb_json_get_int (row, "revisionnumber", 0) > 0)
    known = sb_sales_origin_find_by_number (ctx->store, SB_SALES_DOC_QUOTE,
                                            sb_json_get_string (row, "quotenumber", ""), NULL);
  no = process_row (ctx, row, &work, error);
  if (!work)
    *outcome = SB_SALES_IMPORT_NOTHING;
  else
    *outcome = known == NULL ? SB_SALES_IMPORT_CREATED : SB_SALES_IMPORT_UPDATED;
  return no;
}

gboolean
sb_sales_import_process_quotes (SbSalesImport *ctx, SbSalesImportCounters *out_counters,
                                GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("quotes");

  /* Active and won quotes, oldest revision first, so revisions apply in order. */
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_or (
                 sb_dataverse_filter_int ("statecode", SB_DATAVERSE_EQ, SB_DV_QUOTE_ACTIVE),
                 sb_dataverse_filter_int ("statecode", SB_DATAVERSE_EQ, SB_DV_QUOTE_WON), NULL));
  sb_dataverse_query_order_by (query, "revisionnumber", FALSE);
  sb_dataverse_query_set_expand (query, "quote_details($orderby=sequencenumber)");
  sb_dataverse_query_set_annotations (query, "*");
  return sb_sales_import_run_job (ctx, SB_SALES_QUOTE_MAPPING, query, "quoteid", quote_row,
                                  out_counters, error);
}
