/* test-sales-quotes.c: sales quotes from Dynamics 365 Sales (integration-behaviour.md §6)
 * against the in-process sandbox over HTTP on 127.0.0.1 and a real SQLite file; a salesperson
 * (the sales-user client) activates, revises and wins the quotes in Sales.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-json.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"
#include "sbs-sales.h"

/* A quote of the salesperson for the coupled account with one item line, activated. */
static char *
make_quote (Sbs *fx, const char *name, const char *quantity)
{
  g_autofree char *id = sbs_create (
      fx, "quotes",
      "{\"name\": \"%s\", \"customerid_account@odata.bind\": \"/accounts(%s)\","
      " \"effectiveto\": \"2026-05-31\", \"description\": \"Valid for the spring season\","
      " \"discountpercentage\": 3}",
      name, fx->account_id);

  g_free (sbs_create (
      fx, "quotedetails",
      "{\"quoteid@odata.bind\": \"/quotes(%s)\", \"productid@odata.bind\": \"/products(%s)\","
      " \"quantity\": %s, \"priceperunit\": 99, \"sequencenumber\": 1}",
      id, fx->item_product_id, quantity));
  sbs_update (fx, "quotes", id, "{\"statecode\": 1, \"statuscode\": 2}");
  return g_steal_pointer (&id);
}

static char *
process (Sbs *fx, const char *key)
{
  g_autoptr (GError) error = NULL;
  char *no = sb_sync_engine_process_sales_quote_sync (fx->engine, key, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (no);
  return no;
}

/* ReviseQuote as the salesperson, then the new revision gets a line change and is activated;
 * returns the new revision's id. */
static char *
revise (Sbs *fx, const char *id, const char *quantity)
{
  g_autoptr (JsonNode) answer = sbs_action (
      fx, "ReviseQuote", "{\"QuoteId\": \"%s\", \"ColumnSet\": {\"AllColumns\": true}}", id);
  g_autofree char *new_id =
      g_strdup (sb_json_get_string (json_node_get_object (answer), "quoteid", NULL));
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("quotedetails");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) line = NULL;

  g_assert_nonnull (new_id);
  {
    const char *select[] = { "quoteid", NULL };
    g_autoptr (JsonObject) expanded = sb_dataverse_connection_retrieve_sync (
        fx->sales, "quotes", new_id, select, "quote_details($select=quotedetailid)", NULL, &error);
    JsonArray *details;

    g_assert_no_error (error);
    details = sb_json_get_array (expanded, "quote_details");
    g_assert_cmpuint (json_array_get_length (details), ==, 1);
    sbs_update (
        fx, "quotedetails",
        sb_json_get_string (json_array_get_object_element (details, 0), "quotedetailid", ""),
        "{\"quantity\": %s}", quantity);
  }
  sbs_update (fx, "quotes", new_id, "{\"statecode\": 1, \"statuscode\": 2}");
  return g_steal_pointer (&new_id);
}

static void
win (Sbs *fx, const char *id)
{
  g_autoptr (JsonNode) answer = sbs_action (
      fx, "WinQuote",
      "{\"QuoteClose\": {\"subject\": \"Won\", \"quoteid@odata.bind\": \"/quotes(%s)\"},"
      " \"Status\": 4}",
      id);
}

static gint64
count (Sbs *fx, const char *sql, const char *arg)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = sb_store_prepare (fx->books.store, sql, &error);
  gint64 n;

  g_assert_no_error (error);
  if (arg != NULL)
    sb_bind_text (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static char *
quote_number (Sbs *fx, const char *id)
{
  g_autoptr (JsonObject) row = sbs_get (fx, "quotes", id);

  return g_strdup (sb_json_get_string (row, "quotenumber", ""));
}

static void
test_activated (Sbs *fx, gconstpointer data)
{
  g_autofree char *id = make_quote (fx, "Spring quote", "4");
  g_autofree char *number = quote_number (fx, id);
  g_autofree char *no = process (fx, number);
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesHeader) h = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (JsonNode) origin = NULL;
  g_autoptr (JsonNode) list = NULL;
  SbSalesLine *l;
  JsonObject *o;

  h = sb_sales_document_get (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h->sell_to_customer_no, ==, "C1");
  g_assert_cmpstr (h->external_document_no, ==, "Spring quote");
  g_assert_cmpstr (h->your_reference, ==, number);
  g_assert_cmpstr (h->quote_valid_until, ==, "2026-05-31");
  g_assert_cmpstr (h->work_description, ==, "Valid for the spring season");
  sbt_assert_amount (h->payment_discount_pct, "3.00");
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_OPEN);
  lines = sb_sales_document_get_lines (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_cmpuint (lines->len, ==, 1);
  l = lines->pdata[0];
  g_assert_cmpstr (l->no, ==, "I1");
  sbt_assert_amount (l->quantity, "4.00");
  sbt_assert_amount (l->unit_price, "99.00");

  origin =
      sb_sync_engine_get_document_origin (fx->books.store, "https://org.example", 0, no, &error);
  o = json_node_get_object (origin);
  g_assert_cmpstr (json_object_get_string_member (o, "dataverse_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (o, "entity_set"), ==, "quotes");
  g_assert_cmpstr (json_object_get_string_member (o, "number"), ==, number);
  g_assert_cmpint (json_object_get_int_member (o, "revisionnumber"), ==, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "web_url"),
                                   "https://org.example/main.aspx?etn=quote&id="));
  /* An ERP document that did not come from Sales has a null origin. */
  {
    g_autoptr (JsonNode) none =
        sb_sync_engine_get_document_origin (fx->books.store, "", 1, "X", &error);
    g_assert_true (JSON_NODE_HOLDS_NULL (none));
  }

  /* Processing again changes nothing. */
  again = process (fx, id);
  g_assert_cmpstr (again, ==, no);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 0", NULL), ==,
                   1);

  list = sb_sync_engine_list_sales_quotes_sync (fx->engine, 10, NULL, &error);
  g_assert_no_error (error);
  o = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "quotenumber"), ==, number);
  g_assert_cmpstr (json_object_get_string_member (o, "erp_quote_no"), ==, no);
  g_assert_cmpstr (json_object_get_string_member (o, "erp_order_no"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "Active");
  g_assert_cmpstr (json_object_get_string_member (o, "customer_no"), ==, "C1");
  g_assert_cmpint (json_object_get_int_member (o, "revisionnumber"), ==, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "effectiveto"), "2026-05-31"));
}

static void
test_revisions (Sbs *fx, gconstpointer data)
{
  g_autofree char *rev0 = make_quote (fx, "Revised quote", "1");
  g_autofree char *number = quote_number (fx, rev0);
  g_autofree char *no = process (fx, rev0);
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;
  g_autofree char *no1 = NULL;
  g_autofree char *no2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) versions = NULL;
  g_autoptr (GPtrArray) v1_lines = NULL;
  g_autoptr (GPtrArray) v2_lines = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autofree char *key = sb_sales_import_erp_key (SB_SALES_DOC_QUOTE, no);
  SbSalesImportCounters counters;

  rev1 = revise (fx, rev0, "2");
  no1 = process (fx, number); /* the number finds the newest revision */
  g_assert_cmpstr (no1, ==, no);
  rev2 = revise (fx, rev1, "3");
  /* The automatic run takes the second revision. */
  g_assert_true (sb_sync_engine_process_sales_quotes_sync (fx->engine, &counters, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counters.updated, ==, 1);
  g_assert_cmpuint (counters.created, ==, 0);
  g_assert_cmpuint (counters.failed, ==, 0);
  no2 = process (fx, rev2);
  g_assert_cmpstr (no2, ==, no);

  /* One ERP quote, two archived versions with the lines each revision replaced. */
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 0", NULL), ==,
                   1);
  versions = sb_sales_document_list_versions (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 2);
  v1_lines =
      sb_sales_document_get_version_lines (fx->books.store, SB_SALES_DOC_QUOTE, no, 1, &error);
  sbt_assert_amount (((SbSalesLineArchive *) v1_lines->pdata[0])->quantity, "1.00");
  v2_lines =
      sb_sales_document_get_version_lines (fx->books.store, SB_SALES_DOC_QUOTE, no, 2, &error);
  sbt_assert_amount (((SbSalesLineArchive *) v2_lines->pdata[0])->quantity, "2.00");
  lines = sb_sales_document_get_lines (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_cmpuint (lines->len, ==, 1);
  sbt_assert_amount (((SbSalesLine *) lines->pdata[0])->quantity, "3.00");

  /* The coupling moved to the newest revision. */
  coupling = sb_sync_coupling_find_erp (fx->books.store, "SALESQUOTE-QUOTE", key, &error);
  g_assert_cmpstr (coupling->dataverse_id, ==, rev2);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM coupling WHERE mapping = ?1", "SALESQUOTE-QUOTE"), ==, 1);
}

static void
test_won_without_order (Sbs *fx, gconstpointer data)
{
  g_autofree char *id = make_quote (fx, "Won alone", "2");
  g_autofree char *no = NULL;
  g_autofree char *again = NULL;
  g_autofree char *order = NULL;
  g_autofree char *order_no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesHeader) h = NULL;
  g_autoptr (SbSalesHeader) o = NULL;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  win (fx, id);
  no = process (fx, id); /* not taken before: created, then released */
  h = sb_sales_document_get (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_RELEASED);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   0);
  /* Once only. */
  g_assert_true (sb_sales_document_reopen (fx->books.store, SB_SALES_DOC_QUOTE, no, &error));
  again = process (fx, id);
  g_clear_pointer (&h, sb_sales_header_free);
  h = sb_sales_document_get (fx->books.store, SB_SALES_DOC_QUOTE, no, &error);
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_OPEN);

  /* The order arrives later: it gets the Quote No., and the quote is archived. */
  order = sbs_create (fx, "salesorders",
                      "{\"name\": \"From the quote\", \"customerid_account@odata.bind\":"
                      " \"/accounts(%s)\", \"quoteid@odata.bind\": \"/quotes(%s)\"}",
                      fx->account_id, id);
  g_free (
      sbs_create (fx, "salesorderdetails",
                  "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\": "
                  "\"/products(%s)\", \"quantity\": 2, \"priceperunit\": 99}",
                  order, fx->item_product_id));
  sbs_update (fx, "salesorders", order, "{\"statecode\": 1, \"statuscode\": 3}");
  order_no = sb_sync_engine_create_sales_order_sync (fx->engine, order, NULL, &error);
  g_assert_no_error (error);
  o = sb_sales_document_get (fx->books.store, SB_SALES_DOC_ORDER, order_no, &error);
  g_assert_cmpstr (o->quote_no, ==, no);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM sales_header_archive WHERE doc_type = 0", NULL), ==, 1);
}

static void
test_won_with_order (Sbs *fx, gconstpointer data)
{
  g_autofree char *id = make_quote (fx, "Won with order", "5");
  g_autofree char *no = process (fx, id);
  g_autofree char *order = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *order_no = NULL;
  sqlite3_stmt *stmt;

  /* The salesperson wins the quote and submits the order made from it. */
  win (fx, id);
  order = sbs_create (fx, "salesorders",
                      "{\"name\": \"Order of the won quote\", \"customerid_account@odata.bind\":"
                      " \"/accounts(%s)\", \"quoteid@odata.bind\": \"/quotes(%s)\"}",
                      fx->account_id, id);
  g_free (
      sbs_create (fx, "salesorderdetails",
                  "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\": "
                  "\"/products(%s)\", \"quantity\": 5, \"priceperunit\": 99}",
                  order, fx->item_product_id));
  sbs_update (fx, "salesorders", order, "{\"statecode\": 1, \"statuscode\": 3}");

  g_free (process (fx, id));
  stmt = sb_store_prepare (
      fx->books.store, "SELECT no FROM sales_header WHERE doc_type = 1 AND quote_no = ?1", &error);
  sb_bind_text (stmt, 1, no);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  order_no = sb_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM sales_header_archive WHERE doc_type = 0", NULL), ==, 1);
  /* The order was marked in Sales; the quote stays open in the ERP (an order exists). */
  row = sbs_get (fx, "salesorders", order);
  g_assert_cmpstr (sb_json_get_string (row, "lastbackofficesubmit", ""), ==, "2026-03-10");
  list = sb_sync_engine_list_sales_quotes_sync (fx->engine, 10, NULL, &error);
  g_assert_no_error (error);
  {
    JsonObject *o = json_array_get_object_element (json_node_get_array (list), 0);

    g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "Won");
    g_assert_cmpstr (json_object_get_string_member (o, "erp_order_no"), ==, order_no);
  }
  /* Once only: processing again neither archives again nor makes another order. */
  again = process (fx, id);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM sales_header_archive WHERE doc_type = 0", NULL), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   1);
}

static void
test_refused (Sbs *fx, gconstpointer data)
{
  g_autofree char *draft = sbs_create (
      fx, "quotes", "{\"name\": \"Draft\", \"customerid_account@odata.bind\": \"/accounts(%s)\"}",
      fx->account_id);
  g_autoptr (GError) error = NULL;
  char *no = sb_sync_engine_process_sales_quote_sync (fx->engine, draft, NULL, &error);

  g_assert_null (no);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Only active or won quotes"));
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 0", NULL), ==,
                   0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
  g_test_add ("/sync/sales-quotes/" path, Sbs, NULL, sbs_sales_set_up, fn, sbs_sales_tear_down)
  ADD ("activated", test_activated);
  ADD ("revisions", test_revisions);
  ADD ("won-without-order", test_won_without_order);
  ADD ("won-with-order", test_won_with_order);
  ADD ("refused", test_refused);
  return g_test_run ();
}
