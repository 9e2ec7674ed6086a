/* test-cli-sales-import.c: "salesbridge-cli orders|quotes …" end to end, with the sandbox in
 * this process over HTTP on 127.0.0.1 (a salesperson makes the order and the quote there) and
 * gnome-keyring-daemon on a private session bus that the CLI inherits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"
#include "sbs-keyring.h"

#include "sbc-cli-fixture.h"

/* Creates a row as the salesperson (sales-user) from JSON; returns its id. */
static char *
sales_create (SbDataverseConnection *sales, const char *set, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = sb_dataverse_connection_create_sync (sales, set, json_node_get_object (node), NULL, NULL,
                                            &error);
  g_assert_no_error (error);
  return id;
}

static void
sales_update (SbDataverseConnection *sales, const char *set, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (sb_dataverse_connection_write_sync (sales, set, id, json_node_get_object (node),
                                                     SB_DATAVERSE_WRITE_UPDATE, "*", NULL, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
}

static JsonArray *
parse_array (const char *text, JsonParser *parser)
{
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_array (json_parser_get_root (parser));
}

static void
test_orders_and_quotes (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbDataverseConnection) sales = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonObject) status = NULL;
  g_autofree char *account = NULL;
  g_autofree char *product = NULL;
  g_autofree char *order = NULL;
  g_autofree char *quote = NULL;
  g_autofree char *json = NULL;
  g_autofree char *ordernumber = NULL;
  g_autofree char *erp_no = NULL;
  JsonArray *list;
  JsonObject *o;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "unit", "add", "code=PCS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli Bikes", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "item", "add", "no=1000", "description=Bicycle",
           "base_unit_code=PCS", "unit_price=100", NULL);
  g_assert_cmpint (r.status, ==, 0);

  sales = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                        "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (sales, SB_SANDBOX_DEFAULT_SECRET);
  account = sales_create (sales, "accounts", "{\"name\": \"Cli Bikes\"}");
  product = sales_create (sales, "products",
                          "{\"name\": \"Bicycle\", \"productnumber\": \"1000\","
                          " \"producttypecode\": 1}");
  sbc_run (fx, &r, NULL, NULL, "couple", "set", "CUSTOMER", "C1", account, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "couple", "set", "ITEM-PRODUCT", "1000", product, NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* The salesperson submits an order. */
  json = g_strdup_printf ("{\"name\": \"Cli order\", \"customerid_account@odata.bind\":"
                          " \"/accounts(%s)\"}",
                          account);
  order = sales_create (sales, "salesorders", json);
  g_free (json);
  json = g_strdup_printf ("{\"salesorderid@odata.bind\": \"/salesorders(%s)\","
                          " \"productid@odata.bind\": \"/products(%s)\", \"quantity\": 2,"
                          " \"priceperunit\": 90}",
                          order, product);
  g_free (sales_create (sales, "salesorderdetails", json));
  sales_update (sales, "salesorders", order, "{\"statecode\": 1, \"statuscode\": 3}");

  sbc_run (fx, &r, NULL, NULL, "orders", "list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = parse_array (r.out, parser);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  o = json_array_get_object_element (list, 0);
  g_assert_true (json_object_get_boolean_member (o, "submitted"));
  g_assert_cmpstr (json_object_get_string_member (o, "customer_no"), ==, "C1");
  g_assert_cmpstr (json_object_get_string_member (o, "erp_order_no"), ==, "");
  ordernumber = g_strdup (json_object_get_string_member (o, "ordernumber"));

  /* Usage and input errors. */
  sbc_run (fx, &r, NULL, NULL, "orders", "create", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "Give one order number, or --all.");
  sbc_run (fx, &r, NULL, NULL, "orders", "create", "ORD-NONE", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "There is no sales order “ORD-NONE” in Dynamics 365 Sales.");

  sbc_run (fx, &r, NULL, NULL, "orders", "create", ordernumber, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, ordernumber);
  sbc_run (fx, &r, NULL, NULL, "orders", "list", "--json", NULL);
  list = parse_array (r.out, parser);
  erp_no = g_strdup (
      json_object_get_string_member (json_array_get_object_element (list, 0), "erp_order_no"));
  g_assert_cmpstr (erp_no, !=, "");
  sbc_run (fx, &r, NULL, NULL, "orders", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, ordernumber);
  sbc_assert_contains (r.out, erp_no);
  /* --all finds nothing more to take. */
  sbc_run (fx, &r, NULL, NULL, "orders", "create", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "0 created");

  /* Released in the ERP: the origin and a pending timeline post. */
  sbc_run (fx, &r, NULL, NULL, "order", "release", erp_no, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "orders", "status", erp_no, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  status = sbc_parse_object (r.out);
  o = json_object_get_object_member (status, "origin");
  g_assert_cmpstr (json_object_get_string_member (o, "dataverse_id"), ==, order);
  g_assert_cmpstr (json_object_get_string_member (o, "number"), ==, ordernumber);
  o = json_array_get_object_element (json_object_get_array_member (status, "posts"), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "text"), ==,
                   "The order status has changed to Released.");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pending");

  /* Notes of the ERP order. */
  sbc_run (fx, &r, NULL, NULL, "orders", "note", erp_no, "Leave at the back door", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "orders", "note", erp_no, "   ", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "A note needs some text.");
  sbc_run (fx, &r, NULL, NULL, "orders", "notes", erp_no, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = parse_array (r.out, parser);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "text"),
                   ==, "Leave at the back door");

  /* A quote, activated, processed; the archive command shows its versions. */
  g_free (json);
  json = g_strdup_printf ("{\"name\": \"Cli quote\", \"customerid_account@odata.bind\":"
                          " \"/accounts(%s)\", \"effectiveto\": \"2026-12-31\"}",
                          account);
  quote = sales_create (sales, "quotes", json);
  g_free (json);
  json = g_strdup_printf ("{\"quoteid@odata.bind\": \"/quotes(%s)\","
                          " \"productid@odata.bind\": \"/products(%s)\", \"quantity\": 1,"
                          " \"priceperunit\": 95}",
                          quote, product);
  g_free (sales_create (sales, "quotedetails", json));
  sales_update (sales, "quotes", quote, "{\"statecode\": 1, \"statuscode\": 2}");
  sbc_run (fx, &r, NULL, NULL, "quotes", "process", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "1 created");
  sbc_run (fx, &r, NULL, NULL, "quotes", "list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = parse_array (r.out, parser);
  o = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "Active");
  g_assert_cmpstr (json_object_get_string_member (o, "erp_quote_no"), !=, "");
  {
    g_autofree char *quote_no = g_strdup (json_object_get_string_member (o, "erp_quote_no"));

    sbc_run (fx, &r, NULL, NULL, "quote", "versions", quote_no, "--json", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (json_array_get_length (parse_array (r.out, parser)), ==, 0);
  }
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-03-10", TRUE);
  g_test_add ("/cli/sales-import/orders-and-quotes", Fixture, NULL, sbc_fixture_set_up,
              test_orders_and_quotes, sbc_fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
