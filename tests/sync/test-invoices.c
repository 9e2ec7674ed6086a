/* test-invoices.c: posted invoices, payments and account statistics sent to the in-process
 * sandbox over HTTP on 127.0.0.1, from real books in a SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"
#include "sb-job-queue.h"
#include "sb-sandbox-server.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices-private.h"
#include "sb-sync-solution.h"
#include "sb-test-books.h"
#include "sbs-sales.h"

typedef struct
{
  Fixture books; /* sb-test-books.h: C1, C2, C3, I1, I2, R1 in EUR */
  SbSandboxServer *server;
  SbDataverseConnection *cnc;   /* the integration user */
  SbDataverseConnection *sales; /* a salesperson, to read and write Sales as a user */
  SbSyncEngine *engine;
} Fx;

static SbDataverseConnection *
connect_as (Fx *fx, const char *client)
{
  const char *base = sb_sandbox_server_get_base_url (fx->server);
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                    "sandbox", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
create_in_sales (Fx *fx, const char *mapping, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id =
      sb_sync_engine_create_in_sales_sync (fx->engine, mapping, key, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) units = NULL;
  SbSyncCounters n;

  sbt_fixture_set_up (&fx->books, NULL);
  fx->server = sb_sandbox_server_new ();
  /* @data: a sandbox database file, so a test can restart the sandbox (with faults). */
  if (data != NULL)
    {
      g_autofree char *db = g_build_filename (fx->books.dir, data, NULL);

      sb_sandbox_server_set_db_path (fx->server, db);
    }
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->cnc = connect_as (fx, SB_SANDBOX_INTEGRATION_CLIENT);
  fx->sales = connect_as (fx, SB_SANDBOX_SALES_CLIENT);
  sb_dataverse_connection_set_retry_policy (fx->cnc, 8, 1, 5, 2000);
  sb_dataverse_connection_set_retry_policy (fx->sales, 8, 1, 5, 2000);
  fx->engine = sb_sync_engine_new (fx->books.store, fx->cnc);

  /* Units (their unit groups and base units), then the products invoices point at. */
  units = sb_sync_mapping_load (fx->books.store, "UNIT OF MEASURE", &error);
  g_assert_no_error (error);
  units->only_coupled = FALSE;
  g_assert_true (sb_sync_mapping_save (fx->books.store, units, &error));
  g_assert_true (sb_sync_engine_sync_mapping_sync (fx->engine, "UNIT OF MEASURE",
                                                   SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 2);
  create_in_sales (fx, "ITEM-PRODUCT", "I1");
  create_in_sales (fx, "ITEM-PRODUCT", "I2");
  create_in_sales (fx, "RESOURCE-PRODUCT", "R1");
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  g_clear_object (&fx->engine);
  g_clear_object (&fx->cnc);
  g_clear_object (&fx->sales);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbt_fixture_tear_down (&fx->books, NULL);
}

/* ---- helpers ------------------------------------------------------------------------------ */

/* An order of @customer for 2 × I1 and 3 h of R1 at the given prices, posted. */
static char *
post_order (Fx *fx, const char *customer, const char *item_price, const char *hour_price)
{
  g_autofree char *order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, customer);

  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "2", item_price,
                NULL, NULL);
  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_RESOURCE, "R1", "3",
                hour_price, NULL, NULL);
  return sbt_post (&fx->books, order, NULL, 0);
}

static char *
coupled (Fx *fx, const char *mapping, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) c = sb_sync_coupling_find_erp (fx->books.store, mapping, key, &error);

  g_assert_no_error (error);
  if (!sb_sync_coupling_is_coupled (c) || c->pending)
    return NULL;
  return g_strdup (c->dataverse_id);
}

static JsonObject *
dv_get (Fx *fx, const char *set, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, set, id, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

typedef struct
{
  GPtrArray *rows;
} Rows;

static gboolean
collect_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  Rows *rows = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    g_ptr_array_add (rows->rows, json_object_ref (json_array_get_object_element (page->rows, i)));
  return TRUE;
}

/* The rows of @set whose lookup @value_attr ("_invoiceid_value") is @id (all when NULL). */
static GPtrArray *
dv_rows (Fx *fx, const char *set, const char *value_attr, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (set);
  Rows rows = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref) };

  if (value_attr != NULL)
    sb_dataverse_query_set_filter (query,
                                   sb_dataverse_filter_guid (value_attr, SB_DATAVERSE_EQ, id));
  g_assert_true (sb_dataverse_connection_query_sync (fx->sales, query, collect_page, &rows, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  return rows.rows;
}

static void
assert_status (Fx *fx, const char *invoice_no, int state, int status)
{
  g_autofree char *id = coupled (fx, SB_SYNC_INVOICE_MAPPING, invoice_no);
  g_autoptr (JsonObject) row = NULL;

  g_assert_nonnull (id);
  row = dv_get (fx, SB_DV_INVOICES, id);
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, state);
  g_assert_cmpint (sb_json_get_int (row, "statuscode", -1), ==, status);
}

static char *
pay (Fx *fx, const char *customer, const char *amount, const char *const *invoices)
{
  g_autoptr (GError) error = NULL;
  char *no = sb_ledger_register_payment (fx->books.store, customer, sbt_dec (amount), invoices,
                                         NULL, &error);

  g_assert_no_error (error);
  return no;
}

static SbSyncCounters
send_all (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  SbSyncCounters n;

  g_assert_true (sb_sync_engine_send_invoices_sync (fx->engine, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_send_one (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *invoice_no = post_order (fx, "C1", "100", "80");
  g_autoptr (SbPostedInvoice) invoice = sb_posted_invoice_get (fx->books.store, invoice_no, NULL);
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autofree char *account = NULL;
  g_autofree char *item = coupled (fx, "ITEM-PRODUCT", "I1");
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GPtrArray) all = NULL;

  /* C1 is not in Sales yet: sending its invoice creates the account first. */
  g_assert_null (coupled (fx, "CUSTOMER", "C1"));
  id = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  account = coupled (fx, "CUSTOMER", "C1");
  g_assert_nonnull (account);

  row = dv_get (fx, SB_DV_INVOICES, id);
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, invoice_no);
  g_assert_cmpstr (sb_json_get_string (row, "invoicenumber", NULL), ==, invoice_no);
  g_assert_cmpstr (sb_json_get_lookup (row, "customerid"), ==, account);
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, SB_DV_INVOICE_STATE_ACTIVE);
  g_assert_cmpint (sb_json_get_int (row, "statuscode", -1), ==, SB_DV_INVOICE_STATUS_BILLED);
  g_assert_cmpint (sb_json_get_int (row, "paymenttermscode", -1), ==, 1); /* 30D: Net 30 */
  /* Dataverse adds the lines up: the same as the books. */
  g_assert_cmpfloat_with_epsilon (sb_json_get_double (row, "totalamount", -1),
                                  sb_decimal_to_double (invoice->amount_including_vat), 0.005);
  g_assert_cmpfloat_with_epsilon (sb_json_get_double (row, "totalamount", -1), 2 * 100 + 3 * 80,
                                  0.005);

  lines = dv_rows (fx, SB_DV_INVOICEDETAILS, "_invoiceid_value", id);
  g_assert_cmpuint (lines->len, ==, 2);
  for (guint i = 0; i < lines->len; i++)
    {
      JsonObject *line = lines->pdata[i];

      g_assert_nonnull (sb_json_get_lookup (line, "productid"));
      g_assert_nonnull (sb_json_get_lookup (line, "uomid"));
      g_assert_false (sb_json_get_bool (line, "isproductoverridden", TRUE));
      if (g_strcmp0 (sb_json_get_lookup (line, "productid"), item) == 0)
        g_assert_cmpfloat_with_epsilon (sb_json_get_double (line, "quantity", 0), 2, 0.0001);
      else
        g_assert_cmpfloat_with_epsilon (sb_json_get_double (line, "priceperunit", 0), 80, 0.0001);
    }

  /* Sending again changes nothing and makes no second invoice. */
  again = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, id);
  all = dv_rows (fx, SB_DV_INVOICES, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1);

  /* Deleted in Sales: said so, with what to do; no new invoice behind the user's back. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, SB_DV_INVOICES, id, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Uncouple"));
}

static void
test_write_in_and_errors (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, "C3");
  g_autofree char *invoice_no = NULL;
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (SbSalesLine) comment = sb_sales_line_new ();
  g_autofree char *product = NULL;
  guint write_ins = 0;

  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", "50", NULL,
                NULL);
  comment->doc_type = SB_SALES_DOC_ORDER;
  sbt_set (&comment->doc_no, order);
  comment->type = SB_SALES_LINE_COMMENT;
  sbt_set (&comment->description, "Delivered to the back door");
  g_assert_true (sb_sales_document_add_line (fx->books.store, comment, FALSE, &error));
  g_assert_no_error (error);
  invoice_no = sbt_post (&fx->books, order, NULL, 0);

  /* An invoice whose product is not coupled fails with what to do, and can be sent later. */
  product = coupled (fx, "ITEM-PRODUCT", "I2");
  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, "ITEM-PRODUCT", "I2", &error));
  g_assert_null (sb_sync_engine_send_invoice_sync (fx->engine, "NO-SUCH", NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
  g_assert_nonnull (strstr (error->message, "I2"));
  g_clear_error (&error);
  g_assert_true (
      sb_sync_engine_couple_sync (fx->engine, "ITEM-PRODUCT", "I2", product, NULL, &error));
  g_assert_no_error (error);
  /* Without the unit's coupling, the item's base unit is the product's default unit. */
  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, "UNIT OF MEASURE", "PCS", &error));
  g_assert_no_error (error);

  id = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  lines = dv_rows (fx, SB_DV_INVOICEDETAILS, "_invoiceid_value", id);
  g_assert_cmpuint (lines->len, ==, 2);
  {
    g_autoptr (JsonObject) row = dv_get (fx, SB_DV_PRODUCTS, product);

    g_assert_nonnull (sb_json_get_lookup (row, "defaultuomid"));
    for (guint i = 0; i < lines->len; i++)
      if (!sb_json_get_bool (lines->pdata[i], "isproductoverridden", FALSE))
        g_assert_cmpstr (sb_json_get_lookup (lines->pdata[i], "uomid"), ==,
                         sb_json_get_lookup (row, "defaultuomid"));
  }
  for (guint i = 0; i < lines->len; i++)
    if (sb_json_get_bool (lines->pdata[i], "isproductoverridden", FALSE))
      {
        write_ins++;
        g_assert_cmpstr (sb_json_get_string (lines->pdata[i], "productdescription", NULL), ==,
                         "Delivered to the back door");
        g_assert_null (sb_json_get_lookup (lines->pdata[i], "productid"));
      }
  g_assert_cmpuint (write_ins, ==, 1);
}

static void
test_payments (Fx *fx, gconstpointer data)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  SbSyncCounters n;

  create_in_sales (fx, "CUSTOMER", "C1");
  a = post_order (fx, "C1", "100", "80"); /* 440.00 */
  b = post_order (fx, "C1", "50", "10");  /* 130.00 */
  c = post_order (fx, "C3", "10", "10");  /* C3 is not in Sales: left out of the bulk send */
  n = send_all (fx);
  g_assert_cmpuint (n.inserted, ==, 2);
  g_assert_cmpuint (n.skipped, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  g_assert_null (coupled (fx, SB_SYNC_INVOICE_MAPPING, c));
  assert_status (fx, a, SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED);
  assert_status (fx, b, SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED);

  /* Part of A paid. */
  {
    const char *apply[] = { a, NULL };

    first = pay (fx, "C1", "100", apply);
  }
  n = send_all (fx);
  g_assert_cmpuint (n.inserted, ==, 0);
  g_assert_cmpuint (n.modified, ==, 1);
  g_assert_cmpuint (n.unchanged, ==, 1);
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL);
  assert_status (fx, b, SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED);

  /* The rest of A and all of B: A goes from Paid/Partial to Paid/Complete through Active. */
  {
    const char *apply[] = { a, b, NULL };

    second = pay (fx, "C1", "470", apply);
  }
  n = send_all (fx);
  g_assert_cmpuint (n.modified, ==, 2);
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_COMPLETE);
  assert_status (fx, b, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_COMPLETE);

  /* The second payment reversed: A is part paid again, B unpaid (Active/Billed). */
  {
    g_autoptr (GError) error = NULL;

    g_assert_true (sb_ledger_reverse_payment (fx->books.store, second, &error));
    g_assert_no_error (error);
    g_assert_false (sb_ledger_reverse_payment (fx->books.store, second, &error));
    g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  }
  n = send_all (fx);
  g_assert_cmpuint (n.modified, ==, 2);
  g_assert_cmpuint (n.failed, ==, 0);
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL);
  assert_status (fx, b, SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED);
  n = send_all (fx);
  g_assert_cmpuint (n.modified, ==, 0);
  g_assert_cmpuint (n.unchanged, ==, 2);
}

static void
test_order_link (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *opportunity = NULL;
  g_autofree char *salesorder = NULL;
  g_autofree char *order = NULL;
  g_autofree char *invoice_no = NULL;
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;

  create_in_sales (fx, "CUSTOMER", "C1");
  account = coupled (fx, "CUSTOMER", "C1");
  /* An order of an opportunity, taken into the ERP as order SO… and coupled (as the
   * SALESORDER-ORDER mapping does for orders created from Sales). */
  json_object_set_string_member (body, "name", "Spring fleet");
  sb_json_set_bind (body, "parentaccountid", SB_DV_ACCOUNTS, account);
  opportunity = sb_dataverse_connection_create_sync (fx->sales, SB_DV_OPPORTUNITIES, body, NULL,
                                                     NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, json_object_unref);
  body = json_object_new ();
  json_object_set_string_member (body, "name", "Spring fleet order");
  sb_json_set_bind (body, "customerid_account", SB_DV_ACCOUNTS, account);
  sb_json_set_bind (body, "opportunityid", SB_DV_OPPORTUNITIES, opportunity);
  salesorder =
      sb_dataverse_connection_create_sync (fx->sales, SB_DV_SALESORDERS, body, NULL, NULL, &error);
  g_assert_no_error (error);

  order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, "C1");
  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "1", "100", NULL,
                NULL);
  {
    g_autofree char *key = g_strdup_printf ("%d\x1f%s", SB_SALES_DOC_ORDER, order);

    c = sb_sync_coupling_new ("SALESORDER-ORDER", key, salesorder);
    g_assert_true (sb_sync_coupling_save (fx->books.store, c, &error));
    g_assert_no_error (error);
  }
  invoice_no = sbt_post (&fx->books, order, NULL, 0);

  id = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  row = dv_get (fx, SB_DV_INVOICES, id);
  g_assert_cmpstr (sb_json_get_lookup (row, "salesorderid"), ==, salesorder);
  g_assert_cmpstr (sb_json_get_lookup (row, "opportunityid"), ==, opportunity);
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "Spring fleet order");
  g_assert_cmpstr (sb_json_get_string (row, "invoicenumber", NULL), ==, invoice_no);
}

static void
test_killed_midway (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *invoice_no = post_order (fx, "C1", "100", "80");
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *id = NULL;
  SbSyncCounters n;

  create_in_sales (fx, "CUSTOMER", "C1");
  sb_sync_invoices_fail_after_next_create ();
  n = send_all (fx);
  g_assert_cmpuint (n.failed, ==, 1);
  g_assert_cmpuint (n.inserted, ==, 0);

  /* The invoice is in Sales, and its id was recorded before the request: still pending. */
  c = sb_sync_coupling_find_erp (fx->books.store, SB_SYNC_INVOICE_MAPPING, invoice_no, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_assert_true (c->pending);
  all = dv_rows (fx, SB_DV_INVOICES, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1);

  /* The next run finishes it: the same invoice, no duplicate, no duplicated lines. */
  id = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, c->dataverse_id);
  g_clear_pointer (&all, g_ptr_array_unref);
  all = dv_rows (fx, SB_DV_INVOICES, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1);
  lines = dv_rows (fx, SB_DV_INVOICEDETAILS, "_invoiceid_value", id);
  g_assert_cmpuint (lines->len, ==, 2);
  {
    g_autofree char *recorded = coupled (fx, SB_SYNC_INVOICE_MAPPING, invoice_no);

    g_assert_cmpstr (recorded, ==, id);
  }
}

/* Lost couplings (a database restored from a backup, a full synchronization): match-based
 * coupling finds the invoices by number, so nothing is sent twice. */
static void
test_couple_by_number (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = post_order (fx, "C1", "100", "80");
  g_autofree char *b = post_order (fx, "C1", "50", "10");
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  g_autoptr (GPtrArray) all = NULL;
  SbSyncCounters n;

  create_in_sales (fx, "CUSTOMER", "C1");
  n = send_all (fx);
  g_assert_cmpuint (n.inserted, ==, 2);
  id = coupled (fx, SB_SYNC_INVOICE_MAPPING, a);
  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, SB_SYNC_INVOICE_MAPPING, a, &error));
  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, SB_SYNC_INVOICE_MAPPING, b, &error));
  g_assert_no_error (error);

  g_assert_true (
      sb_sync_engine_couple_match_sync (fx->engine, SB_SYNC_INVOICE_MAPPING, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.coupled, ==, 2);
  g_assert_cmpuint (n.inserted, ==, 0);
  again = coupled (fx, SB_SYNC_INVOICE_MAPPING, a);
  g_assert_cmpstr (again, ==, id);
  n = send_all (fx);
  g_assert_cmpuint (n.inserted, ==, 0);
  g_assert_cmpuint (n.failed, ==, 0);
  all = dv_rows (fx, SB_DV_INVOICES, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 2);
}

static void
test_mapping_job (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = post_order (fx, "C1", "100", "80");
  SbSyncCounters n;

  create_in_sales (fx, "CUSTOMER", "C1");
  /* The mapping as the job queue and "sync --all" run it; its lines go with it. */
  g_assert_true (sb_sync_engine_sync_mapping_sync (fx->engine, SB_SYNC_INVOICE_MAPPING,
                                                   SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_true (sb_sync_engine_sync_mapping_sync (fx->engine, SB_SYNC_INVOICE_LINE_MAPPING,
                                                   SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted + n.modified + n.failed, ==, 0);
  g_assert_true (sb_sync_engine_sync_mapping_sync (fx->engine, SB_SYNC_INVOICE_MAPPING,
                                                   SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
  g_assert_cmpuint (n.inserted, ==, 0);
  g_assert_cmpuint (n.unchanged, ==, 1);
  /* The watermark moved past the invoices sent: the job's ERP wake-up sees nothing new. */
  {
    g_autoptr (SbSyncMapping) m =
        sb_sync_mapping_load (fx->books.store, SB_SYNC_INVOICE_MAPPING, &error);
    g_autoptr (SbPostedInvoice) invoice = sb_posted_invoice_get (fx->books.store, a, &error);

    g_assert_no_error (error);
    g_assert_cmpint (m->erp_watermark, >=, invoice->change_no);
  }
}

/* ---- statistics --------------------------------------------------------------------------- */

static void
assert_column (JsonObject *row, const char *column, SbDecimal expected)
{
  g_assert_true (json_object_has_member (row, column));
  g_assert_cmpfloat_with_epsilon (sb_json_get_double (row, column, -1e9),
                                  sb_decimal_to_double (expected), 0.005);
}

static void
assert_statistics (Fx *fx, const char *customer, JsonObject *row)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomerStatistics) s =
      sb_customer_statistics_compute (fx->books.store, customer, NULL, &error);

  g_assert_no_error (error);
  assert_column (row, "sb_balancelcy", s->balance_lcy);
  assert_column (row, "sb_outstandingorderslcy", s->outstanding_orders_lcy);
  assert_column (row, "sb_shippednotinvoicedlcy", s->shipped_not_invoiced_lcy);
  assert_column (row, "sb_outstandinginvoiceslcy", s->outstanding_invoices_lcy);
  assert_column (row, "sb_totallcy", s->total_lcy);
  assert_column (row, "sb_creditlimitlcy", s->credit_limit_lcy);
  assert_column (row, "sb_overdueamountslcy", s->overdue_amounts_lcy);
  assert_column (row, "sb_totalsaleslcy", s->total_sales_lcy);
  assert_column (row, "sb_invoicedprepaymentamountlcy", s->invoiced_prepayment_amount_lcy);
  g_assert_cmpstr (sb_json_get_string (row, "sb_asofdate", NULL), ==, s->as_of_date);
  g_assert_cmpstr (sb_json_get_string (row, "sb_customerno", NULL), ==, customer);
}

static void
test_statistics (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) solution = NULL;
  g_autofree char *a = NULL;
  g_autofree char *open_order = NULL;
  g_autofree char *account = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  const char *only_c1[] = { "C1", NULL };
  const char *only_c2[] = { "C2", NULL };
  SbSyncCounters n;

  create_in_sales (fx, "CUSTOMER", "C1");
  create_in_sales (fx, "CUSTOMER", "C3");
  account = coupled (fx, "CUSTOMER", "C1");

  /* Without the solution there is nowhere to write them. */
  g_assert_false (
      sb_sync_engine_update_account_statistics_sync (fx->engine, NULL, &n, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);
  solution = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (solution->state, ==, SB_SYNC_SOLUTION_DEPLOYED);

  a = post_order (fx, "C1", "100", "80"); /* 440.00 */
  open_order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, "C1");
  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, open_order, SB_SALES_LINE_ITEM, "I1", "1", "100",
                NULL, NULL);
  {
    g_autofree char *sent = sb_sync_engine_send_invoice_sync (fx->engine, a, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (sent);
  }
  {
    const char *apply[] = { a, NULL };
    g_autofree char *no = pay (fx, "C1", "40", apply);
  }

  g_assert_true (
      sb_sync_engine_update_account_statistics_sync (fx->engine, NULL, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 2);
  g_assert_cmpuint (n.failed, ==, 0);
  /* The payment reached the invoice too. */
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL);

  rows = dv_rows (fx, solution->entity_set, "_sb_accountid_value", account);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_statistics (fx, "C1", rows->pdata[0]);
  /* Linked from the account: its one-to-many navigation lists the row. */
  {
    g_autofree char *path = g_strdup_printf (
        "accounts(%s)/sb_account_sb_accountstatistics?$select=sb_balancelcy", account);
    g_autoptr (JsonNode) linked =
        sb_dataverse_connection_call_sync (fx->sales, "GET", path, NULL, NULL, &error);
    JsonArray *value;

    g_assert_no_error (error);
    value = sb_json_get_array (json_node_get_object (linked), "value");
    g_assert_cmpuint (json_array_get_length (value), ==, 1);
  }
  {
    g_autoptr (GError) e = NULL;
    g_autoptr (SbCustomerStatistics) s =
        sb_customer_statistics_compute (fx->books.store, "C1", NULL, &e);

    /* Figures that moved: 440 invoiced less 40 paid, and 100 on the open order. */
    sbt_assert_amount (s->balance_lcy, "400.00");
    sbt_assert_amount (s->outstanding_orders_lcy, "100.00");
  }

  /* Again after another payment: the same row, new figures. */
  {
    const char *apply[] = { a, NULL };
    g_autofree char *no = pay (fx, "C1", "400", apply);
  }
  g_assert_true (
      sb_sync_engine_update_account_statistics_sync (fx->engine, only_c1, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 0);
  g_assert_cmpuint (n.modified, ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = dv_rows (fx, solution->entity_set, "_sb_accountid_value", account);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_statistics (fx, "C1", rows->pdata[0]);
  assert_column (rows->pdata[0], "sb_balancelcy", 0);
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_COMPLETE);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = dv_rows (fx, solution->entity_set, NULL, NULL);
  g_assert_cmpuint (rows->len, ==, 2);

  /* A customer that is not coupled is refused with what to do. */
  g_assert_false (
      sb_sync_engine_update_account_statistics_sync (fx->engine, only_c2, &n, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
  g_clear_error (&error);

  /* Pointed at an environment without the table (recorded as deployed elsewhere). */
  {
    g_autoptr (SbSandboxServer) other = sb_sandbox_server_new ();
    g_autoptr (SbDataverseConnection) cnc = NULL;
    g_autoptr (SbSyncEngine) engine = NULL;
    const char *base;

    g_assert_true (sb_sandbox_server_start (other, 0, &error));
    base = sb_sandbox_server_get_base_url (other);
    cnc = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                        "sandbox", "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);
    sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
    engine = sb_sync_engine_new (fx->books.store, cnc);
    g_assert_false (sb_sync_engine_update_account_statistics_sync (engine, NULL, &n, NULL, &error));
    g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED);
    g_assert_nonnull (strstr (error->message, "Deploy the integration solution again"));
    sb_sandbox_server_stop (other);
  }
}

static void
stats_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncCounters *n = user_data;
  g_autoptr (GError) error = NULL;

  g_assert_true (
      sb_sync_engine_update_account_statistics_finish (SB_SYNC_ENGINE (source), result, n, &error));
  g_assert_no_error (error);
  n->coupled = 1; /* done */
}

static void
invoice_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **id = user_data;
  g_autoptr (GError) error = NULL;

  *id = sb_sync_engine_send_invoice_finish (SB_SYNC_ENGINE (source), result, &error);
  g_assert_no_error (error);
}

static void
deploy_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncSolutionStatus **status = user_data;
  g_autoptr (GError) error = NULL;

  *status = sb_sync_engine_deploy_solution_finish (SB_SYNC_ENGINE (source), result, &error);
  g_assert_no_error (error);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncSolutionStatus **status = user_data;
  g_autoptr (GError) error = NULL;

  *status = sb_sync_engine_check_solution_finish (SB_SYNC_ENGINE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) solution = NULL;
  g_autofree char *a = post_order (fx, "C1", "100", "80");
  g_autofree char *id = NULL;
  SbSyncCounters n = { 0 };

  create_in_sales (fx, "CUSTOMER", "C1");
  /* The worker threads open their own store on the same file. */
  sb_sync_engine_deploy_solution_async (fx->engine, FALSE, NULL, deploy_done, &solution);
  while (solution == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (solution->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  {
    g_autoptr (SbSyncSolutionStatus) checked = NULL;

    sb_sync_engine_check_solution_async (fx->engine, NULL, check_done, &checked);
    while (checked == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (checked->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
    g_assert_cmpuint (checked->n_missing, ==, 0);
  }
  sb_sync_engine_send_invoice_async (fx->engine, a, NULL, invoice_done, &id);
  while (id == NULL)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autofree char *recorded = coupled (fx, SB_SYNC_INVOICE_MAPPING, a);

    g_assert_cmpstr (id, ==, recorded);
  }
  sb_sync_engine_update_account_statistics_async (fx->engine, NULL, NULL, stats_done, &n);
  while (n.coupled == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n.inserted, ==, 1);
}

static gint64 job_clock_now;

static gint64
job_clock (gpointer user_data)
{
  return job_clock_now;
}

static SbJobQueueEntry *
statistics_job (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = sb_job_queue_list (fx->books.store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      if (g_str_equal (e->name, "Customer Statistics"))
        return g_ptr_array_steal_index (jobs, i);
    }
  g_assert_not_reached ();
}

static void
run_jobs (SbJobQueue *queue)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (sb_job_queue_run_due_sync (queue, &n, NULL, &error));
  g_assert_no_error (error);
}

static void
test_statistics_job (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (SbSyncSolutionStatus) solution = NULL;
  g_autoptr (SbJobQueueEntry) e = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *a = post_order (fx, "C1", "100", "80");
  gint64 t0 = 1800000000;

  job_clock_now = t0;
  sb_job_queue_set_clock (queue, job_clock, NULL);
  create_in_sales (fx, "CUSTOMER", "C1");
  /* Not available before the solution is deployed. */
  run_jobs (queue);
  e = statistics_job (fx);
  g_assert_false (e->available);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  solution = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  job_clock_now = t0 + 60;
  run_jobs (queue);
  e = statistics_job (fx);
  g_assert_true (e->available);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  rows = dv_rows (fx, solution->entity_set, NULL, NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_statistics (fx, "C1", rows->pdata[0]);

  /* Due again, but the ledger did not change: nothing to do, on hold. */
  job_clock_now = t0 + 60 + 30 * 60;
  run_jobs (queue);
  e = statistics_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  /* A payment wakes it (30 minutes after it was last ready) before its timeout. */
  {
    const char *apply[] = { a, NULL };
    g_autofree char *no = pay (fx, "C1", "40", apply);
  }
  job_clock_now += 5 * 60;
  run_jobs (queue);
  e = statistics_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = dv_rows (fx, solution->entity_set, NULL, NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_statistics (fx, "C1", rows->pdata[0]);
  assert_status (fx, a, SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL);
}

/* 429s, 503s and dropped connections (also after the sandbox did the work): runs that fail
 * are run again until everything is through, and nothing is in Sales twice. */
static void
test_faulty_sandbox (Fx *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) invoices = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) all = NULL;
  guint runs = 0;
  gboolean done = FALSE;

  create_in_sales (fx, "CUSTOMER", "C1");
  /* The same Sales organization, from now on with faults. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *db = g_build_filename (fx->books.dir, data, NULL);

    g_clear_object (&fx->engine);
    g_clear_object (&fx->cnc);
    g_clear_object (&fx->sales);
    sb_sandbox_server_stop (fx->server);
    g_clear_object (&fx->server);
    fx->server = sb_sandbox_server_new ();
    sb_sandbox_server_set_db_path (fx->server, db);
    g_assert_true (
        sb_sandbox_server_set_faults (fx->server, "429=0.1,503=0.1,drop=0.2,seed=11", &error));
    g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
    g_assert_no_error (error);
    fx->cnc = connect_as (fx, SB_SANDBOX_INTEGRATION_CLIENT);
    fx->sales = connect_as (fx, SB_SANDBOX_SALES_CLIENT);
    sb_dataverse_connection_set_retry_policy (fx->cnc, 8, 1, 5, 2000);
    sb_dataverse_connection_set_retry_policy (fx->sales, 8, 1, 5, 2000);
    fx->engine = sb_sync_engine_new (fx->books.store, fx->cnc);
  }
  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (invoices, post_order (fx, "C1", "100", "80"));
  {
    const char *apply[] = { invoices->pdata[0], invoices->pdata[1], NULL };
    g_autofree char *no = pay (fx, "C1", "500", apply);
  }
  while (!done && runs++ < 30)
    {
      g_autoptr (GError) error = NULL;
      SbSyncCounters n = { 0 };

      if (!sb_sync_engine_send_invoices_sync (fx->engine, &n, NULL, &error))
        {
          /* The service failed for the whole run: a clear error, then try again. */
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, !=, "");
          continue;
        }
      done = n.failed == 0 && n.inserted == 0 && n.modified == 0;
      /* A record failing twice in a row is skipped; asking for it again restores it. */
      for (guint i = 0; i < invoices->len; i++)
        sb_sync_engine_restore_sync (fx->engine, SB_SYNC_INVOICE_MAPPING, invoices->pdata[i], NULL);
    }
  g_assert_true (done);
  all = dv_rows (fx, SB_DV_INVOICES, NULL, NULL);
  g_assert_cmpuint (all->len, ==, invoices->len);
  for (guint i = 0; i < invoices->len; i++)
    {
      g_autofree char *id = coupled (fx, SB_SYNC_INVOICE_MAPPING, invoices->pdata[i]);
      g_autoptr (GPtrArray) lines = dv_rows (fx, SB_DV_INVOICEDETAILS, "_invoiceid_value", id);

      g_assert_cmpuint (lines->len, ==, 2);
    }
  assert_status (fx, invoices->pdata[0], SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_COMPLETE);
  assert_status (fx, invoices->pdata[1], SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL);
  assert_status (fx, invoices->pdata[2], SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED);
}

/* -m perf only: how long a bulk send and a statistics update of many invoices take. */
static void
test_perf_bulk (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) solution = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  guint n_invoices = 300;
  SbSyncCounters n;

  if (!g_test_perf ())
    {
      g_test_skip ("run with -m perf");
      return;
    }
  create_in_sales (fx, "CUSTOMER", "C1");
  create_in_sales (fx, "CUSTOMER", "C3");
  for (guint i = 0; i < n_invoices; i++)
    g_free (post_order (fx, i % 2 ? "C1" : "C3", "100", "80"));
  g_timer_start (timer);
  n = send_all (fx);
  g_assert_cmpuint (n.inserted, ==, n_invoices);
  g_test_minimized_result (g_timer_elapsed (timer, NULL), "send %u invoices with 2 lines: %.2f s",
                           n_invoices, g_timer_elapsed (timer, NULL));
  solution = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  {
    const char *apply[] = { NULL, NULL };
    g_autoptr (GPtrArray) invoices = sb_posted_invoice_list (fx->books.store, "C1", NULL, &error);

    for (guint i = 0; i < invoices->len; i++)
      {
        g_autofree char *no = NULL;

        apply[0] = ((SbPostedInvoice *) invoices->pdata[i])->no;
        no = pay (fx, "C1", "100", apply);
      }
  }
  g_timer_start (timer);
  g_assert_true (
      sb_sync_engine_update_account_statistics_sync (fx->engine, NULL, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 2);
  g_test_minimized_result (g_timer_elapsed (timer, NULL),
                           "statistics of 2 customers, %u invoice statuses changed: %.2f s",
                           n_invoices / 2, g_timer_elapsed (timer, NULL));
}

/* Lead to cash: an order a salesperson submitted in Sales becomes an ERP order (issue 7), is
 * posted, and its invoice goes back linked to that order and its opportunity, with the
 * write-in line as a write-in. */
static void
test_from_sales_order (Sbs *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *opportunity = NULL;
  g_autofree char *order = NULL;
  g_autofree char *no = NULL;
  g_autofree char *invoice_no = NULL;
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_INVOICEDETAILS);
  g_autoptr (SbPostedInvoice) invoice = NULL;
  Rows lines = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref) };
  guint write_ins = 0, products = 0;

  guint n_currencies = 0;
  SbSyncCounters n;

  sbs_set_write_in (fx, SB_WRITE_IN_ITEM, "I2");
  /* The order comes in US dollars: the currency is coupled as in any configured company. */
  g_assert_true (sb_sync_engine_couple_match_sync (fx->engine, "CURRENCY", &n, NULL, &error));
  g_assert_no_error (error);
  n_currencies = n.coupled;
  g_assert_cmpuint (n_currencies, ==, 1);
  /* The units too (the salesperson's products have none of their own). */
  {
    g_autoptr (SbSyncMapping) units =
        sb_sync_mapping_load (fx->books.store, "UNIT OF MEASURE", &error);

    g_assert_no_error (error);
    units->only_coupled = FALSE;
    g_assert_true (sb_sync_mapping_save (fx->books.store, units, &error));
    g_assert_true (sb_sync_engine_sync_mapping_sync (fx->engine, "UNIT OF MEASURE",
                                                     SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
    g_assert_no_error (error);
  }
  opportunity = sbs_create (fx, "opportunities",
                            "{\"name\": \"Fleet renewal\", \"parentaccountid@odata.bind\": "
                            "\"/accounts(%s)\"}",
                            fx->account_id);
  order = sbs_create (fx, "salesorders",
                      "{\"name\": \"Fleet renewal order\", \"customerid_account@odata.bind\": "
                      "\"/accounts(%s)\", \"opportunityid@odata.bind\": \"/opportunities(%s)\"}",
                      fx->account_id, opportunity);
  g_free (sbs_create (fx, "salesorderdetails",
                      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                      "\"productid@odata.bind\": \"/products(%s)\", \"quantity\": 2, "
                      "\"priceperunit\": 95, \"sequencenumber\": 1}",
                      order, fx->item_product_id));
  g_free (sbs_create (fx, "salesorderdetails",
                      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                      "\"productid@odata.bind\": \"/products(%s)\", \"quantity\": 3, "
                      "\"priceperunit\": 80, \"sequencenumber\": 2}",
                      order, fx->resource_product_id));
  g_free (sbs_create (fx, "salesorderdetails",
                      "{\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                      "\"isproductoverridden\": true, \"productdescription\": \"Gift wrapping\", "
                      "\"quantity\": 1, \"priceperunit\": 12, \"sequencenumber\": 3}",
                      order));
  sbs_update (fx, "salesorders", order, "{\"statecode\": 1, \"statuscode\": 3}");

  no = sb_sync_engine_create_sales_order_sync (fx->engine, order, NULL, &error);
  g_assert_no_error (error);
  invoice_no = sb_posting_post_order (fx->books.store, no, NULL, 0, &error);
  g_assert_no_error (error);
  invoice = sb_posted_invoice_get (fx->books.store, invoice_no, &error);
  g_assert_no_error (error);

  id = sb_sync_engine_send_invoice_sync (fx->engine, invoice_no, NULL, &error);
  g_assert_no_error (error);
  row = sbs_get (fx, SB_DV_INVOICES, id);
  g_assert_cmpstr (sb_json_get_lookup (row, "salesorderid"), ==, order);
  g_assert_cmpstr (sb_json_get_lookup (row, "opportunityid"), ==, opportunity);
  g_assert_cmpstr (sb_json_get_lookup (row, "customerid"), ==, fx->account_id);
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "Fleet renewal order");
  g_assert_cmpfloat_with_epsilon (sb_json_get_double (row, "totalamount", -1),
                                  sb_decimal_to_double (invoice->amount_including_vat), 0.005);

  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_guid ("_invoiceid_value", SB_DATAVERSE_EQ, id));
  g_assert_true (sb_dataverse_connection_query_sync (fx->sales, query, collect_page, &lines, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines.rows->len, ==, 3);
  for (guint i = 0; i < lines.rows->len; i++)
    {
      JsonObject *line = lines.rows->pdata[i];

      if (sb_json_get_bool (line, "isproductoverridden", FALSE))
        {
          write_ins++;
          g_assert_cmpstr (sb_json_get_string (line, "productdescription", NULL), ==,
                           "Gift wrapping");
        }
      else
        {
          products++;
          g_assert_nonnull (sb_json_get_lookup (line, "uomid"));
        }
    }
  g_assert_cmpuint (write_ins, ==, 1);
  g_assert_cmpuint (products, ==, 2);
  g_ptr_array_unref (lines.rows);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fx, NULL, fx_set_up, func, fx_tear_down)
  ADD ("/sync/invoices/send-one", test_send_one);
  ADD ("/sync/invoices/write-in-and-errors", test_write_in_and_errors);
  ADD ("/sync/invoices/payments", test_payments);
  ADD ("/sync/invoices/order-link", test_order_link);
  ADD ("/sync/invoices/killed-midway", test_killed_midway);
  ADD ("/sync/invoices/mapping-job", test_mapping_job);
  ADD ("/sync/invoices/couple-by-number", test_couple_by_number);
  ADD ("/sync/invoices/statistics", test_statistics);
  ADD ("/sync/invoices/async", test_async);
  ADD ("/sync/invoices/statistics-job", test_statistics_job);
  ADD ("/sync/invoices/perf-bulk", test_perf_bulk);
  g_test_add ("/sync/invoices/from-sales-order", Sbs, NULL, sbs_sales_set_up, test_from_sales_order,
              sbs_sales_tear_down);
  g_test_add ("/sync/invoices/faulty-sandbox", Fx, "429=0.1,503=0.1,drop=0.2,seed=11", fx_set_up,
              test_faulty_sandbox, fx_tear_down);
  return g_test_run ();
}
