/* test-sales-orders.c: sales orders from Dynamics 365 Sales (integration-behaviour.md §5)
 * against the in-process sandbox over HTTP on 127.0.0.1 and a real SQLite file; a salesperson
 * (the sales-user client) makes and submits the orders in Sales.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-connection-setup.h"
#include "sb-dataverse-json.h"
#include "sb-job-queue.h"
#include "sb-sales-note.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"
#include "sbs-dataverse.h"
#include "sbs-sales.h"

#define LONG_TEXT                                                                                  \
  "Custom frame in racing green with hand-stitched leather saddle, brass bell, front and rear "    \
  "mudguards, a rear rack rated for twenty-five kilograms and a dynamo light set."

/* An order of the salesperson for account @account_id, submitted unless @active. */
static char *
make_order (Sbs *fx, const char *name, const char *customer_bind, gboolean submit)
{
  g_autofree char *id = sbs_create (fx, "salesorders",
                                    "{\"name\": \"%s\", %s, \"description\": \"Deliver to gate 4\","
                                    " \"requestdeliveryby\": \"2026-04-01\","
                                    " \"discountpercentage\": 2.5, \"freightamount\": 15,"
                                    " \"billto_name\": \"Alpha Bikes AP\", \"billto_line1\": "
                                    "\"1 Main St\", \"billto_city\": \"Springfield\","
                                    " \"billto_postalcode\": \"12345\", \"billto_country\": \"US\","
                                    " \"shipto_name\": \"Alpha Bikes Dock\", \"shipto_line1\": "
                                    "\"9 Harbour Rd\", \"shipto_city\": \"Shelbyville\"}",
                                    name, customer_bind);

  g_free (sbs_create (
      fx, "salesorderdetails",
      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\": "
      "\"/products(%s)\", \"quantity\": 3, \"priceperunit\": 95,"
      " \"volumediscountamount\": 1.5, \"manualdiscountamount\": 4, \"sequencenumber\": 2}",
      id, fx->item_product_id));
  g_free (sbs_create (
      fx, "salesorderdetails",
      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\": "
      "\"/products(%s)\", \"quantity\": 2, \"priceperunit\": 80, \"sequencenumber\": 1}",
      id, fx->resource_product_id));
  g_free (sbs_create (
      fx, "salesorderdetails",
      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"isproductoverridden\": true,"
      " \"productdescription\": \"" LONG_TEXT "\", \"quantity\": 1, \"priceperunit\": 250,"
      " \"sequencenumber\": 3}",
      id));
  if (submit)
    sbs_update (fx, "salesorders", id, "{\"statecode\": 1, \"statuscode\": 3}");
  return g_steal_pointer (&id);
}

static char *
account_bind (Sbs *fx)
{
  return g_strdup_printf ("\"customerid_account@odata.bind\": \"/accounts(%s)\"", fx->account_id);
}

static char *
order_number (Sbs *fx, const char *id)
{
  g_autoptr (JsonObject) row = sbs_get (fx, "salesorders", id);

  return g_strdup (sb_json_get_string (row, "ordernumber", ""));
}

static char *
create_order (Sbs *fx, const char *key)
{
  g_autoptr (GError) error = NULL;
  char *no = sb_sync_engine_create_sales_order_sync (fx->engine, key, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (no);
  return no;
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

/* ---- Tests -------------------------------------------------------------------------------- */

static void
test_create (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesHeader) h = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonNode) origin = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  SbSalesLine *l;
  JsonObject *o;

  {
    /* The write-in resource exists and is not coupled. */
    SbResource *r = sb_resource_new ();

    sbt_set (&r->no, "R2");
    sbt_set (&r->name, "Write-in");
    sbt_set (&r->base_unit_code, "HOUR");
    sbt_insert (fx->books.store, &sb_resource_record_type, r);
  }
  sbs_set_write_in (fx, SB_WRITE_IN_RESOURCE, "R2");
  id = make_order (fx, "Spring fleet for Alpha Bikes", bind, TRUE);
  number = order_number (fx, id);
  no = create_order (fx, number);

  h = sb_sales_document_get (fx->books.store, SB_SALES_DOC_ORDER, no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h->sell_to_customer_no, ==, "C1");
  g_assert_cmpstr (h->external_document_no, ==, "Spring fleet for Alpha Bikes");
  g_assert_cmpstr (h->your_reference, ==, number);
  /* Sales fills in its base currency (USD), which the ERP (local EUR) has. */
  g_assert_cmpstr (h->currency_code, ==, "USD");
  g_assert_cmpstr (h->requested_delivery_date, ==, "2026-04-01");
  sbt_assert_amount (h->payment_discount_pct, "2.50");
  g_assert_cmpstr (h->work_description, ==, "Deliver to gate 4");
  g_assert_cmpstr (h->bill_to_name, ==, "Alpha Bikes AP");
  g_assert_cmpstr (h->bill_to_address, ==, "1 Main St");
  g_assert_cmpstr (h->bill_to_city, ==, "Springfield");
  g_assert_cmpstr (h->bill_to_post_code, ==, "12345");
  g_assert_cmpstr (h->bill_to_country_code, ==, "US");
  g_assert_cmpstr (h->ship_to_name, ==, "Alpha Bikes Dock");
  g_assert_cmpstr (h->ship_to_address, ==, "9 Harbour Rd");
  g_assert_cmpstr (h->ship_to_city, ==, "Shelbyville");
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_OPEN);

  /* In sequencenumber order: resource, item, write-in (+ its comment lines), freight. */
  lines = sb_sales_document_get_lines (fx->books.store, SB_SALES_DOC_ORDER, no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 5);
  l = lines->pdata[0];
  g_assert_cmpint (l->type, ==, SB_SALES_LINE_RESOURCE);
  g_assert_cmpstr (l->no, ==, "R1");
  sbt_assert_amount (l->quantity, "2.00");
  sbt_assert_amount (l->unit_price, "80.00");
  l = lines->pdata[1];
  g_assert_cmpint (l->type, ==, SB_SALES_LINE_ITEM);
  g_assert_cmpstr (l->no, ==, "I1");
  sbt_assert_amount (l->unit_price, "95.00");
  /* 3 × 1.50 + 4.00 */
  sbt_assert_amount (l->line_discount_amount, "8.50");
  sbt_assert_amount (l->amount, "276.50");
  l = lines->pdata[2];
  g_assert_cmpint (l->type, ==, SB_SALES_LINE_RESOURCE);
  g_assert_cmpstr (l->no, ==, "R2");
  g_assert_cmpint (g_utf8_strlen (l->description, -1), <=, 100);
  g_assert_true (g_str_has_prefix (LONG_TEXT, l->description));
  {
    SbSalesLine *c = lines->pdata[3];
    g_autofree char *joined = g_strdup_printf ("%s %s", l->description, c->description);

    g_assert_cmpint (c->type, ==, SB_SALES_LINE_COMMENT);
    g_assert_cmpint (c->attached_to_line_no, ==, l->line_no);
    g_assert_cmpstr (joined, ==, LONG_TEXT);
  }
  l = lines->pdata[4];
  g_assert_cmpint (l->type, ==, SB_SALES_LINE_RESOURCE);
  g_assert_cmpstr (l->no, ==, "R2");
  g_assert_cmpstr (l->description, ==, "Freight");
  sbt_assert_amount (l->unit_price, "15.00");

  /* Coupled, with its origin, and marked in Sales. */
  {
    g_autofree char *key = sb_sales_import_erp_key (SB_SALES_DOC_ORDER, no);

    coupling = sb_sync_coupling_find_erp (fx->books.store, "SALESORDER-ORDER", key, &error);
    g_assert_no_error (error);
    g_assert_nonnull (coupling);
    g_assert_cmpstr (coupling->dataverse_id, ==, id);
  }
  origin =
      sb_sync_engine_get_document_origin (fx->books.store, "https://org.example/", 1, no, &error);
  g_assert_no_error (error);
  o = json_node_get_object (origin);
  g_assert_cmpstr (json_object_get_string_member (o, "dataverse_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (o, "entity_set"), ==, "salesorders");
  g_assert_cmpstr (json_object_get_string_member (o, "number"), ==, number);
  {
    g_autofree char *url = g_strdup_printf (
        "https://org.example/main.aspx?etn=salesorder&id=%s&pagetype=entityrecord", id);
    g_assert_cmpstr (json_object_get_string_member (o, "web_url"), ==, url);
  }
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpstr (sb_json_get_string (row, "lastbackofficesubmit", ""), ==, "2026-03-10");
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, 1);

  /* Once only: asking again (by id) gives the same order. */
  {
    g_autofree char *again = create_order (fx, id);

    g_assert_cmpstr (again, ==, no);
    g_assert_cmpint (count (fx,
                            "SELECT count (*) FROM sales_header WHERE doc_type = 1"
                            " AND your_reference = ?1",
                            number),
                     ==, 1);
  }
}

static void
test_list (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *submitted = NULL;
  g_autofree char *active = NULL;
  g_autofree char *no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = NULL;
  JsonArray *a;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  active = make_order (fx, "Draft order", bind, FALSE);
  /* createdon has whole seconds: "newest first" needs two different ones. */
  g_usleep (1100 * 1000);
  submitted = make_order (fx, "Submitted order", bind, TRUE);
  no = create_order (fx, submitted);
  list = sb_sync_engine_list_sales_orders_sync (fx->engine, 10, NULL, &error);
  g_assert_no_error (error);
  a = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      const char *id = json_object_get_string_member (o, "id");
      gboolean is_submitted = g_str_equal (id, submitted);
      g_autofree char *url = sb_sales_import_web_url (fx->cnc, "salesorder", id);

      g_assert_true (is_submitted || g_str_equal (id, active));
      g_assert_cmpint (json_object_get_boolean_member (o, "submitted"), ==, is_submitted);
      g_assert_cmpint (json_object_get_int_member (o, "statecode"), ==, is_submitted ? 1 : 0);
      g_assert_cmpstr (json_object_get_string_member (o, "state"), ==,
                       is_submitted ? "Submitted" : "Active");
      g_assert_cmpstr (json_object_get_string_member (o, "customer_no"), ==, "C1");
      g_assert_cmpstr (json_object_get_string_member (o, "customer_name"), ==, "Alpha Bikes");
      g_assert_cmpstr (json_object_get_string_member (o, "customer_id"), ==, fx->account_id);
      g_assert_cmpstr (json_object_get_string_member (o, "erp_order_no"), ==,
                       is_submitted ? no : "");
      g_assert_cmpstr (json_object_get_string_member (o, "lastbackofficesubmit"), ==,
                       is_submitted ? "2026-03-10" : "");
      g_assert_cmpstr (json_object_get_string_member (o, "web_url"), ==, url);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "ordernumber"), "ORD"));
      /* A decimal string with two places, as the sandbox totals the lines. */
      g_assert_true (g_regex_match_simple (
          "^[0-9]+\\.[0-9]{2}$", json_object_get_string_member (o, "total_amount"), 0, 0));
      g_assert_cmpstr (json_object_get_string_member (o, "total_amount"), !=, "0.00");
      g_assert_cmpstr (json_object_get_string_member (o, "currency"), ==, "USD");
    }
  /* Newest first, and the limit holds. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "id"), ==,
                   submitted);
  g_clear_pointer (&list, json_node_unref);
  list = sb_sync_engine_list_sales_orders_sync (fx->engine, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
}

static void
test_contact_customer (Sbs *fx, gconstpointer data)
{
  g_autofree char *contact = sbs_create (
      fx, "contacts",
      "{\"firstname\": \"Jo\", \"lastname\": \"Buyer\", \"parentcustomerid_account@odata.bind\":"
      " \"/accounts(%s)\"}",
      fx->account_id);
  g_autofree char *bind =
      g_strdup_printf ("\"customerid_contact@odata.bind\": \"/contacts(%s)\"", contact);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesHeader) h = NULL;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Through a contact", bind, TRUE);
  no = create_order (fx, id);
  h = sb_sales_document_get (fx->books.store, SB_SALES_DOC_ORDER, no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h->sell_to_customer_no, ==, "C1");
}

static void
test_refused (Sbs *fx, gconstpointer data)
{
  g_autofree char *uncoupled =
      g_strdup_printf ("\"customerid_account@odata.bind\": \"/accounts(%s)\"", fx->account3_id);
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *draft = NULL;
  g_autofree char *product = NULL;
  g_autoptr (GError) error = NULL;
  char *no;

  /* No write-in product set up: the message says what to set. */
  id = make_order (fx, "No write-in setup", bind, TRUE);
  no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
  g_assert_null (no);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "Write-in Product Type"));
  g_assert_nonnull (strstr (error->message, "Sales & Receivables Setup"));
  g_clear_error (&error);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   0);

  /* A coupled item cannot be the write-in product: the setup refuses it, and an order with a
   * write-in line refuses an item coupled after it was set up. */
  {
    g_autoptr (SbSalesSetup) setup = sb_sales_setup_get (fx->books.store, &error);

    setup->write_in_product_type = SB_WRITE_IN_ITEM;
    sbt_set (&setup->write_in_product_no, "I1");
    g_assert_false (sb_sales_setup_update (fx->books.store, setup, &error));
    g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "Item I1 is coupled"));
    g_clear_error (&error);
    g_assert_true (sb_store_exec (fx->books.store,
                                  "UPDATE sales_setup SET write_in_product_type = 1,"
                                  " write_in_product_no = 'I1'",
                                  &error));
    no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
    g_assert_null (no);
    g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* An uncoupled account: named, and what to do. */
  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  g_free (id);
  id = make_order (fx, "Uncoupled", uncoupled, TRUE);
  no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
  g_assert_null (no);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
  g_assert_nonnull (strstr (error->message, "“Charlie Uncoupled” is not coupled"));
  g_assert_nonnull (strstr (error->message, "Couple it"));
  g_clear_error (&error);

  /* An uncoupled product. */
  g_free (id);
  id = sbs_create (fx, "salesorders", "{\"name\": \"Helmets\", %s}", bind);
  g_free (
      sbs_create (fx, "salesorderdetails",
                  "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\": "
                  "\"/products(%s)\", \"quantity\": 1, \"priceperunit\": 20}",
                  id, fx->uncoupled_product_id));
  sbs_update (fx, "salesorders", id, "{\"statecode\": 1, \"statuscode\": 3}");
  no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
  g_assert_null (no);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
  g_assert_nonnull (strstr (error->message, "“Helmet” is not coupled"));
  g_clear_error (&error);

  /* A currency the ERP does not have. */
  {
    g_autoptr (JsonNode) node = json_from_string (
        "{\"isocurrencycode\": \"GBP\", \"currencyname\": \"Pound\", \"currencysymbol\": \"£\","
        " \"exchangerate\": 0.8, \"currencyprecision\": 2}",
        &error);
    g_autofree char *gbp = sb_dataverse_connection_create_sync (
        fx->cnc, "transactioncurrencies", json_node_get_object (node), NULL, NULL, &error);

    g_assert_no_error (error);
    g_free (id);
    id = sbs_create (fx, "salesorders",
                     "{\"name\": \"In pounds\", %s, \"transactioncurrencyid@odata.bind\":"
                     " \"/transactioncurrencies(%s)\"}",
                     bind, gbp);
    g_free (
        sbs_create (fx, "salesorderdetails",
                    "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", \"productid@odata.bind\":"
                    " \"/products(%s)\", \"quantity\": 1, \"priceperunit\": 20}",
                    id, fx->item_product_id));
    sbs_update (fx, "salesorders", id, "{\"statecode\": 1, \"statuscode\": 3}");
    no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
    g_assert_null (no);
    g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
    g_assert_nonnull (strstr (error->message, "currency GBP, which the ERP does not have"));
    g_clear_error (&error);
  }

  /* Not submitted. */
  draft = make_order (fx, "Draft", bind, FALSE);
  no = sb_sync_engine_create_sales_order_sync (fx->engine, draft, NULL, &error);
  g_assert_null (no);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Only submitted orders"));
  g_clear_error (&error);

  /* Unknown number. */
  no = sb_sync_engine_create_sales_order_sync (fx->engine, "ORD-NOPE", NULL, &error);
  g_assert_null (no);
  g_assert_nonnull (strstr (error->message, "There is no sales order “ORD-NOPE”"));
  g_clear_error (&error);

  /* Nothing half-made was left behind. */
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   0);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_document_origin", NULL), ==, 0);
}

static gboolean
crash_after_commit (const char *order_no, gpointer user_data, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "simulated crash after %s", order_no);
  return FALSE;
}

static void
test_crash_window (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) row = NULL;
  SbSalesImportCounters counters;
  char *no;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Crash", bind, TRUE);
  sb_sales_import_set_test_hook (crash_after_commit, NULL);
  no = sb_sync_engine_create_sales_order_sync (fx->engine, id, NULL, &error);
  sb_sales_import_set_test_hook (NULL, NULL);
  g_assert_null (no);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  /* The ERP order is there, Sales does not know yet. */
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   1);
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpstr (sb_json_get_string (row, "lastbackofficesubmit", ""), ==, "");
  g_clear_pointer (&row, json_object_unref);

  /* The automatic run finds it and only finishes the mark. */
  g_assert_true (sb_sync_engine_create_sales_orders_sync (fx->engine, &counters, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counters.created, ==, 0);
  g_assert_cmpuint (counters.updated, ==, 1);
  g_assert_cmpuint (counters.failed, ==, 0);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   1);
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpstr (sb_json_get_string (row, "lastbackofficesubmit", ""), ==, "2026-03-10");
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_document_origin WHERE marked = 1", NULL),
                   ==, 1);
  /* The automatic run is in the job log like any sync job, with the requests it sent (the
   * read of the orders and the mark). */
  g_assert_cmpint (count (fx,
                          "SELECT min (requests) FROM sync_job WHERE mapping = ?1"
                          " AND finished_at <> ''",
                          "SALESORDER-ORDER"),
                   >=, 2);
}

static void
test_automatic (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *uncoupled =
      g_strdup_printf ("\"customerid_account@odata.bind\": \"/accounts(%s)\"", fx->account3_id);
  g_autoptr (GError) error = NULL;
  SbSalesImportCounters counters;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  g_free (make_order (fx, "One", bind, TRUE));
  g_free (make_order (fx, "Two", bind, TRUE));
  g_free (make_order (fx, "Draft", bind, FALSE));
  g_free (make_order (fx, "Uncoupled", uncoupled, TRUE));
  g_assert_true (sb_sync_engine_create_sales_orders_sync (fx->engine, &counters, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counters.created, ==, 2);
  g_assert_cmpuint (counters.failed, ==, 1);
  /* The failure is in the sync log, with its message. */
  g_assert_cmpint (count (fx,
                          "SELECT count (*) FROM sync_error WHERE mapping = ?1"
                          " AND message LIKE '%Charlie Uncoupled%'",
                          "SALESORDER-ORDER"),
                   ==, 1);
  /* Taken orders are not taken twice. */
  g_assert_true (sb_sync_engine_create_sales_orders_sync (fx->engine, &counters, NULL, &error));
  g_assert_cmpuint (counters.created, ==, 0);
  g_assert_cmpuint (counters.failed, ==, 1);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   2);
}

static void
test_async (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autofree char *no = NULL;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Async", bind, TRUE);
  g_main_context_push_thread_default (context);
  sb_sync_engine_create_sales_order_async (fx->engine, id, NULL, sbs_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  no = sb_sync_engine_create_sales_order_finish (fx->engine, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  sb_sync_engine_list_sales_orders_async (fx->engine, 5, NULL, sbs_store_result, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  list = sb_sync_engine_list_sales_orders_finish (fx->engine, result, &error);
  g_main_context_pop_thread_default (context);
  g_assert_no_error (error);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (json_node_get_array (list), 0),
                                     "erp_order_no"),
      ==, no);
}

static guint
count_posts (Sbs *fx, const char *order_id, const char *text)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("posts");
  g_autoptr (GError) error = NULL;
  guint n = 0;

  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_and (
                 sb_dataverse_filter_guid ("_regardingobjectid_value", SB_DATAVERSE_EQ, order_id),
                 sb_dataverse_filter_string ("text", SB_DATAVERSE_EQ, text),
                 sb_dataverse_filter_int ("source", SB_DATAVERSE_EQ, 1),
                 sb_dataverse_filter_int ("type", SB_DATAVERSE_EQ, 7), NULL));
  g_assert_true (sb_dataverse_connection_query_sync (fx->sales, query, sbs_count_page, &n, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  return n;
}

static void
send_status (Sbs *fx, SbSalesImportCounters *counters)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      sb_sync_engine_send_order_status_sync (fx->engine, fx->books.store, counters, NULL, &error));
  g_assert_no_error (error);
}

static void
test_status (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autofree char *invoice = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonNode) posts = NULL;
  SbSalesImportCounters counters;
  JsonArray *a;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Status", bind, TRUE);
  no = create_order (fx, id);

  /* Release: one pending post, sent by the job; sending again sends nothing. */
  g_assert_true (sb_sales_document_release (fx->books.store, SB_SALES_DOC_ORDER, no, &error));
  g_assert_no_error (error);
  posts = sb_sync_engine_get_order_posts (fx->books.store, no, &error);
  g_assert_no_error (error);
  a = json_node_get_array (posts);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0), "state"),
                   ==, "pending");
  send_status (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 1);
  g_assert_cmpuint (count_posts (fx, id, "The order status has changed to Released."), ==, 1);
  send_status (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 0);
  g_assert_cmpuint (count_posts (fx, id, "The order status has changed to Released."), ==, 1);

  /* Shipping and invoicing in part, then in full. */
  {
    SbPostingQuantity q = { 10000, sbt_dec ("1") };

    invoice = sb_posting_post_order (fx->books.store, no, &q, 1, &error);
    g_assert_no_error (error);
    g_clear_pointer (&invoice, g_free);
  }
  send_status (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 2);
  g_assert_cmpuint (count_posts (fx, id, "A shipment has been created for the order."), ==, 1);
  g_assert_cmpuint (count_posts (fx, id, "An invoice has been created for the order."), ==, 1);
  /* The ERP order's dates went to Sales (SALESORDER-ORDER). */
  g_assert_cmpuint (counters.updated, ==, 1);
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpstr (sb_json_get_string (row, "datefulfilled", ""), ==, "2026-03-10");
  g_assert_cmpstr (sb_json_get_string (row, "requestdeliveryby", ""), ==, "2026-04-01");
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, 1);
  g_clear_pointer (&row, json_object_unref);

  invoice = sb_posting_post_order (fx->books.store, no, NULL, 0, &error);
  g_assert_no_error (error);
  send_status (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 3);
  g_assert_cmpuint (count_posts (fx, id, "An invoice has been created for the order."), ==, 2);
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, 4);
  g_assert_cmpint (sb_json_get_int (row, "statuscode", -1), ==, 100003);

  g_clear_pointer (&posts, json_node_unref);
  posts = sb_sync_engine_get_order_posts (fx->books.store, no, &error);
  a = json_node_get_array (posts);
  g_assert_cmpuint (json_array_get_length (a), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, i), "state"),
                     ==, "sent");
}

static void
test_status_retry (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) posts = NULL;
  SbSalesImportCounters counters;
  JsonObject *p;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Retry", bind, TRUE);
  no = create_order (fx, id);
  g_assert_true (sb_sales_document_release (fx->books.store, SB_SALES_DOC_ORDER, no, &error));
  /* Sales is gone for a while: the post fails, stays, and says why. */
  sb_sandbox_server_stop (fx->server);
  sb_dataverse_connection_set_retry_policy (fx->cnc, 1, 1, 1, 10);
  send_status (fx, &counters);
  /* The post and the order's dates (SALESORDER-ORDER) wait for the next run. */
  g_assert_cmpuint (counters.failed, ==, 2);
  g_assert_cmpuint (counters.created, ==, 0);
  posts = sb_sync_engine_get_order_posts (fx->books.store, no, &error);
  p = json_array_get_object_element (json_node_get_array (posts), 0);
  g_assert_cmpstr (json_object_get_string_member (p, "state"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (p, "message"), !=, "");
}

static void
test_delete (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) row = NULL;
  SbSalesImportCounters counters;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Deleted", bind, TRUE);
  no = create_order (fx, id);
  g_assert_true (sb_sales_document_delete (fx->books.store, SB_SALES_DOC_ORDER, no, &error));
  g_assert_no_error (error);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM coupling WHERE mapping = ?1", "SALESORDER-ORDER"), ==, 0);
  send_status (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 1);
  row = sbs_get (fx, "salesorders", id);
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, 0);
  g_assert_cmpint (sb_json_get_int (row, "statuscode", -1), ==, 2);
  g_assert_null (sb_json_get_string (row, "lastbackofficesubmit", NULL));

  /* Submitted again, it makes a new ERP order. */
  sbs_update (fx, "salesorders", id, "{\"statecode\": 1, \"statuscode\": 3}");
  again = create_order (fx, id);
  g_assert_cmpstr (again, !=, no);
}

static void
sync_notes (Sbs *fx, SbSalesImportCounters *counters)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
      sb_sync_engine_sync_order_notes_sync (fx->engine, fx->books.store, counters, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counters->failed, ==, 0);
}

static GPtrArray *
notes_of (Sbs *fx, const char *no)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *notes = sb_sales_note_list (fx->books.store, SB_SALES_DOC_ORDER, no, &error);

  g_assert_no_error (error);
  return notes;
}

static void
test_notes (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autofree char *sales_note = NULL;
  g_autofree char *erp_note_annotation = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) notes = NULL;
  SbSalesImportCounters counters;
  gint64 erp_note;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "With notes", bind, TRUE);
  sales_note = sbs_create (fx, "annotations",
                           "{\"subject\": \"Dock\", \"notetext\": \"Call before delivery\","
                           " \"objectid_salesorder@odata.bind\": \"/salesorders(%s)\"}",
                           id);
  /* An attachment is not a note the ERP keeps. */
  g_free (sbs_create (fx, "annotations",
                      "{\"subject\": \"Drawing\", \"isdocument\": true, \"filename\": \"a.pdf\","
                      " \"documentbody\": \"JVBERg==\", \"objectid_salesorder@odata.bind\":"
                      " \"/salesorders(%s)\"}",
                      id));
  no = create_order (fx, id);

  /* From Sales to the ERP, once. */
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 1);
  notes = notes_of (fx, no);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((SbSalesNote *) notes->pdata[0])->text, ==, "Call before delivery");
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.created + counters.updated, ==, 0);

  /* A note written in the ERP goes to the order in Sales. */
  erp_note = sb_sales_note_add (fx->books.store, SB_SALES_DOC_ORDER, no, "Paid by card", &error);
  g_assert_no_error (error);
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.created, ==, 1);
  {
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, erp_note);
    g_autoptr (SbSyncCoupling) c =
        sb_sync_coupling_find_erp (fx->books.store, "SALESORDER-NOTE", key, &error);
    g_autoptr (JsonObject) row = NULL;

    g_assert_nonnull (c);
    g_assert_false (c->pending);
    erp_note_annotation = g_strdup (c->dataverse_id);
    row = sbs_get (fx, "annotations", erp_note_annotation);
    g_assert_cmpstr (sb_json_get_string (row, "notetext", ""), ==, "Paid by card");
    g_assert_cmpstr (sb_json_get_lookup (row, "objectid"), ==, id);
  }
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.created + counters.updated, ==, 0);

  /* Changes both ways. */
  g_assert_true (
      sb_sales_note_update (fx->books.store, erp_note, "Paid by card, receipt sent", &error));
  sbs_update (fx, "annotations", sales_note, "{\"notetext\": \"Call an hour before delivery\"}");
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.updated, ==, 2);
  {
    g_autoptr (JsonObject) row = sbs_get (fx, "annotations", erp_note_annotation);
    g_autoptr (SbSalesNote) note = NULL;

    g_assert_cmpstr (sb_json_get_string (row, "notetext", ""), ==, "Paid by card, receipt sent");
    g_clear_pointer (&notes, g_ptr_array_unref);
    notes = notes_of (fx, no);
    note = sb_sales_note_get (fx->books.store, ((SbSalesNote *) notes->pdata[0])->id, &error);
    g_assert_cmpstr (note->text, ==, "Call an hour before delivery");
  }
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.created + counters.updated, ==, 0);

  /* Deletions both ways. */
  {
    g_autoptr (GError) local = NULL;

    g_assert_true (sb_dataverse_connection_delete_sync (fx->sales, "annotations", sales_note, NULL,
                                                        NULL, &local));
    g_assert_no_error (local);
  }
  g_assert_true (sb_sales_note_delete (fx->books.store, erp_note, &error));
  sync_notes (fx, &counters);
  g_assert_cmpuint (counters.updated, ==, 2);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = notes_of (fx, no);
  g_assert_cmpuint (notes->len, ==, 0);
  /* Only the attachment is left in Sales. */
  g_assert_cmpuint (sbs_count_rows (fx->sales, "annotations", NULL, NULL), ==, 1);
  g_assert_cmpint (
      count (fx, "SELECT count (*) FROM coupling WHERE mapping = ?1", "SALESORDER-NOTE"), ==, 0);
}

/* A run that died after committing a new note's annotation id, before or after sending it:
 * the next run upserts that id, so Sales holds the note once. */
static void
test_notes_crash (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autofree char *id = NULL;
  g_autofree char *no = NULL;
  g_autofree char *key = NULL;
  g_autofree char *annotation = g_uuid_string_random ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonObject) row = NULL;
  SbSalesImportCounters counters;
  gint64 note;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  id = make_order (fx, "Crash with a note", bind, TRUE);
  no = create_order (fx, id);
  note = sb_sales_note_add (fx->books.store, SB_SALES_DOC_ORDER, no, "Fragile goods", &error);
  g_assert_no_error (error);
  key = g_strdup_printf ("%" G_GINT64_FORMAT, note);
  c = sb_sync_coupling_new ("SALESORDER-NOTE", key, annotation);
  c->pending = TRUE;
  g_assert_true (sb_sync_coupling_save (fx->books.store, c, &error));
  /* The request went out before the crash: the annotation exists already. */
  g_free (sbs_create (fx, "annotations",
                      "{\"annotationid\": \"%s\", \"notetext\": \"Fragile goods\","
                      " \"objectid_salesorder@odata.bind\": \"/salesorders(%s)\"}",
                      annotation, id));
  sync_notes (fx, &counters);
  g_assert_cmpuint (sbs_count_rows (fx->sales, "annotations", NULL, NULL), ==, 1);
  row = sbs_get (fx, "annotations", annotation);
  g_assert_cmpstr (sb_json_get_string (row, "notetext", ""), ==, "Fragile goods");
  g_clear_pointer (&c, sb_sync_coupling_free);
  c = sb_sync_coupling_find_erp (fx->books.store, "SALESORDER-NOTE", key, &error);
  g_assert_false (c->pending);
  {
    g_autoptr (GPtrArray) notes =
        sb_sales_note_list (fx->books.store, SB_SALES_DOC_ORDER, no, &error);
    g_assert_cmpuint (notes->len, ==, 1);
  }
}

static void
set_auto (Sbs *fx, gboolean orders, gboolean quotes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->books.store, &error);

  g_assert_no_error (error);
  setup->auto_create_sales_orders = orders;
  setup->auto_process_sales_quotes = quotes;
  g_assert_true (sb_connection_setup_update (fx->books.store, setup, &error));
  g_assert_no_error (error);
}

static SbJobQueueEntry *
find_job (Sbs *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = NULL;

  g_assert_true (sb_job_queue_ensure_jobs (fx->books.store, 1000, &error));
  g_assert_no_error (error);
  jobs = sb_job_queue_list (fx->books.store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      if (g_str_equal (e->name, name))
        return g_steal_pointer (&jobs->pdata[i]);
    }
  return NULL;
}

static void
test_jobs (Sbs *fx, gconstpointer data)
{
  const char *orders_job = "Automatically create sales orders";
  const char *quotes_job = "Automatically process sales quotes";
  g_autoptr (SbJobQueueEntry) e = NULL;

  /* Off: no such jobs; the status job is there, on hold, every 7 minutes. */
  g_assert_null (find_job (fx, orders_job));
  g_assert_null (find_job (fx, quotes_job));
  e = find_job (fx, "Sales Order Status");
  g_assert_nonnull (e);
  g_assert_true (e->available);
  g_assert_cmpuint (e->interval, ==, 7);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  e = find_job (fx, "Sales Order Notes");
  g_assert_true (e->available);
  g_assert_cmpuint (e->interval, ==, 5);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  set_auto (fx, TRUE, FALSE);
  e = find_job (fx, orders_job);
  g_assert_nonnull (e);
  g_assert_true (e->available);
  g_assert_cmpuint (e->interval, ==, 30);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_null (find_job (fx, quotes_job));

  set_auto (fx, FALSE, TRUE);
  g_assert_null (find_job (fx, orders_job));
  e = find_job (fx, quotes_job);
  g_assert_nonnull (e);
}

/* The job queue runs the automatic job: due, it creates the submitted order. */
static gint64
now_clock (gpointer data)
{
  return *(gint64 *) data;
}

static void
test_job_runs (Sbs *fx, gconstpointer data)
{
  g_autofree char *bind = account_bind (fx);
  g_autoptr (SbJobQueue) queue = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbJobQueueEntry) e = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint n_run = 0;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  g_free (make_order (fx, "By the job", bind, TRUE));
  set_auto (fx, TRUE, FALSE);
  queue = sb_job_queue_new (fx->engine);
  sb_job_queue_set_clock (queue, now_clock, &now);
  g_assert_true (sb_job_queue_ensure_jobs (fx->books.store, now, &error));
  /* Only the sales jobs are due (the mapping jobs are put on hold for this test). */
  g_assert_true (sb_store_exec (fx->books.store,
                                "UPDATE job_queue SET status = 4 WHERE mapping <> ''", &error));
  g_assert_no_error (error);
  g_assert_true (sb_job_queue_run_due_sync (queue, &n_run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_run, >=, 1);
  g_assert_cmpint (count (fx, "SELECT count (*) FROM sales_header WHERE doc_type = 1", NULL), ==,
                   1);
  e = find_job (fx, "Automatically create sales orders");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  sb_job_queue_release_lock (queue);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn)                                                                              \
  g_test_add ("/sync/sales-orders/" path, Sbs, NULL, sbs_sales_set_up, fn, sbs_sales_tear_down)
  ADD ("create", test_create);
  ADD ("list", test_list);
  ADD ("contact-customer", test_contact_customer);
  ADD ("refused", test_refused);
  ADD ("crash-window", test_crash_window);
  ADD ("automatic", test_automatic);
  ADD ("async", test_async);
  ADD ("status", test_status);
  ADD ("status-retry", test_status_retry);
  ADD ("delete", test_delete);
  ADD ("notes", test_notes);
  ADD ("notes-crash", test_notes_crash);
  ADD ("jobs", test_jobs);
  ADD ("job-runs", test_job_runs);
  return g_test_run ();
}
