/* test-cli.c: salesbridge-cli as a script would use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <string.h>

#include "../core/sb-test-util.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs the CLI with --db of the fixture; NULL-terminated arguments. */
static void
run (Fixture *f, Run *r, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;
  int wait_status;

  run_clear (r);
  g_ptr_array_add (argv, (char *) g_getenv ("SALESBRIDGE_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, f->db);
  va_start (args, r);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_one_line_error (Run *r, int status, const char *fragment)
{
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "salesbridge-cli: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_null (strchr (r->err, '\n') + 1 == r->err + strlen (r->err) ? NULL : "two lines");
  if (strstr (r->err, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", r->err, fragment);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = sb_test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "company.sbdb", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_free (f->db);
  sb_test_tmpdir_free (g_steal_pointer (&f->dir));
}

static void
test_help (Fixture *f, gconstpointer data)
{
  Run r = { 0 };

  run (f, &r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "customer list"));
  g_assert_nonnull (strstr (r.out, "demo seed"));
  run (f, &r, "customer", "list", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--json"));
  run (f, &r, "customer", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "customer add"));
  run (f, &r, "frobnicate", NULL);
  assert_one_line_error (&r, 2, "unknown command “frobnicate”");
  run (f, &r, "customer", "explode", NULL);
  assert_one_line_error (&r, 2, "has no command “explode”");
  run (f, &r, "customer", "list", "--no-such-option", NULL);
  assert_one_line_error (&r, 2, "--no-such-option");
  run_clear (&r);
}

static void
test_customers (Fixture *f, gconstpointer data)
{
  Run r = { 0 };
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) shown = NULL;
  JsonObject *object;

  run (f, &r, "currency", "add", "code=NOK", "description=Norsk krone", "exchange_rate=0.085",
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "NOK\n");

  run (f, &r, "customer", "add", "name=Ålesund Møbler AS", "city=Ålesund", "currency_code=NOK",
       "credit_limit=12500.50", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "C00001\n");
  run (f, &r, "customer", "add", "name=O'Brien & Sons", "city=Cork", NULL);
  g_assert_cmpstr (r.out, ==, "C00002\n");

  run (f, &r, "customer", "list", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  object = json_array_get_object_element (json_node_get_array (list), 1);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "O'Brien & Sons");

  run (f, &r, "customer", "show", "C00001", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = parse_json (r.out);
  object = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (object, "city"), ==, "Ålesund");
  g_assert_cmpstr (json_object_get_string_member (object, "currency_code"), ==, "NOK");
  /* Exact decimals, not 12500.499999… */
  g_assert_nonnull (strstr (r.out, "\"credit_limit\": 12500.5"));
  g_assert_false (json_object_get_boolean_member (object, "blocked"));

  run (f, &r, "customer", "list", "ålesund", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "C00001"));
  g_assert_null (strstr (r.out, "C00002"));

  run (f, &r, "customer", "update", "C00002", "blocked=yes", "phone=+353 21 555 0101", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "customer", "show", "C00002", NULL);
  g_assert_nonnull (strstr (r.out, "+353 21 555 0101"));

  /* Bad input: one line on stderr, exit 1, nothing written. */
  run (f, &r, "customer", "add", "name=Bad", "currency_code=XYZ", NULL);
  assert_one_line_error (&r, 1, "Currency Code “XYZ” does not exist");
  run (f, &r, "customer", "add", "city=Nowhere", NULL);
  assert_one_line_error (&r, 1, "Name must not be blank");
  run (f, &r, "customer", "add", "name=X", "credit_limit=lots", NULL);
  assert_one_line_error (&r, 1, "“lots” is not a number");
  run (f, &r, "customer", "add", "name=X", "colour=blue", NULL);
  assert_one_line_error (&r, 2, "no field “colour”");
  run (f, &r, "customer", "show", "C09999", NULL);
  assert_one_line_error (&r, 1, "C09999 does not exist");
  run (f, &r, "customer", "update", "C00001", "no=C7", NULL);
  assert_one_line_error (&r, 2, "cannot be changed");
  run (f, &r, "customer", "list", "--json", NULL);
  g_clear_pointer (&list, json_node_unref);
  list = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);

  run (f, &r, "item", "add", "no=1000", "description=Desk", "unit_price=199.95", "type=1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "item", "list", NULL);
  g_assert_nonnull (strstr (r.out, "Desk"));
  g_assert_nonnull (strstr (r.out, "199.95"));
  run_clear (&r);
}

static void
test_demo_and_status (Fixture *f, gconstpointer data)
{
  Run r = { 0 };
  g_autoptr (JsonNode) status = NULL;
  JsonObject *object;

  run (f, &r, "demo", "seed", "--customers", "500", "--items", "30", "--resources", "4", "--orders",
       "0", "--quiet", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Seeded 500 customers"));

  run (f, &r, "status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  status = parse_json (r.out);
  object = json_node_get_object (status);
  g_assert_cmpint (json_object_get_int_member (object, "customers"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (object, "items"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (object, "resources"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (object, "local_currency_code"), ==, "EUR");
  g_assert_cmpstr (json_object_get_string_member (object, "database"), ==, f->db);

  run (f, &r, "demo", "seed", "--customers", "5", NULL);
  assert_one_line_error (&r, 1, "already has customers");
  run (f, &r, "demo", "seed", "--customers", "-5", NULL);
  assert_one_line_error (&r, 2, "--customers");

  run (f, &r, "setup", "sales", "write_in_product_type=1", "write_in_product_no=1000", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "setup", "sales", "--json", NULL);
  g_assert_nonnull (strstr (r.out, "\"write_in_product_no\": \"1000\""));
  run_clear (&r);
}

static JsonObject *
json_object_of (JsonNode **holder, const char *text)
{
  g_clear_pointer (holder, json_node_unref);
  *holder = parse_json (text);
  return json_node_get_object (*holder);
}

/* Quote to archive, order to partial and final posting, payment to
 * statistics: the whole flow as a script would drive it. */
static void
test_documents (Fixture *f, gconstpointer data)
{
  Run r = { 0 };
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *order = NULL;
  g_autofree char *invoice1 = NULL;
  g_autofree char *invoice2 = NULL;
  JsonObject *object;
  JsonArray *lines;

  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-11-21", TRUE);
  run (f, &r, "unit", "add", "code=PCS", NULL);
  run (f, &r, "payment-terms", "add", "code=30D", "due_days=30", NULL);
  run (f, &r, "customer", "add", "name=Saga Hotels ehf.", "payment_terms_code=30D", NULL);
  g_assert_cmpstr (r.out, ==, "C00001\n");
  run (f, &r, "item", "add", "no=1000", "description=Desk Lamp", "unit_price=40",
       "base_unit_code=PCS", "inventory=10", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* A quote, archived twice. */
  run (f, &r, "quote", "create", "C00001", NULL);
  g_assert_cmpstr (r.out, ==, "SQ00001\n");
  run (f, &r, "quote", "add-line", "SQ00001", "item", "1000", "--quantity", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "quote", "archive", "SQ00001", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "quote", "archive", "SQ00001", NULL);
  run (f, &r, "quote", "versions", "SQ00001", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);

  /* An order of 4 lamps at 40 with 25 % VAT: 160.00 + 40.00. */
  run (f, &r, "order", "create", "C00001", "--external-doc-no", "PO-77", NULL);
  g_assert_cmpint (r.status, ==, 0);
  order = g_strstrip (g_strdup (r.out));
  g_assert_cmpstr (order, ==, "SO00001");
  run (f, &r, "order", "add-line", order, "item", "1000", "--quantity", "4", "--vat-pct", "25",
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "order", "add-line", order, "item", "9999", NULL);
  assert_one_line_error (&r, 1, "9999");
  run (f, &r, "order", "show", order, "--json", NULL);
  object = json_object_of (&node, r.out);
  g_assert_cmpstr (json_object_get_string_member (object, "external_document_no"), ==, "PO-77");
  lines = json_object_get_array_member (object, "lines");
  g_assert_cmpuint (json_array_get_length (lines), ==, 1);
  g_assert_nonnull (strstr (r.out, "\"amount\": 160"));
  g_assert_nonnull (strstr (r.out, "\"amount_including_vat\": 200"));

  /* Ship one now, three later. */
  run (f, &r, "order", "post", order, "--line", "10000=1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  invoice1 = g_strstrip (g_strdup (r.out));
  g_assert_cmpstr (invoice1, ==, "PSI00001");
  run (f, &r, "order", "post", order, "--line", "10000=5", NULL);
  assert_one_line_error (&r, 1, "");
  run (f, &r, "order", "post", order, NULL);
  g_assert_cmpint (r.status, ==, 0);
  invoice2 = g_strstrip (g_strdup (r.out));
  g_assert_cmpstr (invoice2, ==, "PSI00002");
  run (f, &r, "order", "show", order, NULL);
  assert_one_line_error (&r, 1, order);

  run (f, &r, "invoice", "show", invoice2, "--json", NULL);
  object = json_object_of (&node, r.out);
  g_assert_cmpstr (json_object_get_string_member (object, "due_date"), ==, "2026-12-21");
  g_assert_nonnull (strstr (r.out, "\"amount_including_vat\": 150"));
  run (f, &r, "item", "show", "1000", "--json", NULL);
  g_assert_nonnull (strstr (r.out, "\"inventory\": 6"));

  /* Pay the first invoice and half of the second. */
  run (f, &r, "payment", "register", "C00001", "125.00", "--apply", invoice1, "--apply", invoice2,
       NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (f, &r, "payment", "register", "C00001", "ten", NULL);
  assert_one_line_error (&r, 2, "“ten” is not a number");
  run (f, &r, "stats", "C00001", "--as-of", "2026-12-31", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "\"balance_lcy\": 75"));
  g_assert_nonnull (strstr (r.out, "\"overdue_amounts_lcy\": 75"));
  g_assert_nonnull (strstr (r.out, "\"total_sales_lcy\": 160"));
  run (f, &r, "ledger", "list", "C00001", "--open", "--json", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  run_clear (&r);
}

static void
test_bad_database (Fixture *f, gconstpointer data)
{
  Run r = { 0 };

  g_assert_true (g_file_set_contents (f->db,
                                      "definitely not sqlite, just some words here\n"
                                      "and more words to fill a page header",
                                      -1, NULL));
  run (f, &r, "customer", "list", NULL);
  assert_one_line_error (&r, 1, "not a Salesbridge company database");
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("SALESBRIDGE_CLI") == NULL)
    g_error ("SALESBRIDGE_CLI must name the salesbridge-cli binary");
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/help", test_help);
  ADD ("/cli/customers", test_customers);
  ADD ("/cli/demo-and-status", test_demo_and_status);
  ADD ("/cli/documents", test_documents);
  ADD ("/cli/bad-database", test_bad_database);
  return g_test_run ();
}
