/* test-cli-sync.c: "salesbridge-cli mapping|couple|sync …" end to end, with the sandbox in this
 * process over HTTP on 127.0.0.1 and gnome-keyring-daemon on a private session bus that the CLI
 * inherits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sbs-keyring.h"

#include "sbc-cli-fixture.h"

static void
test_sync_commands (Fixture *fx, gconstpointer data)
{
  g_autoptr (JsonObject) shown = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *status;
  JsonObject *customer = NULL;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);

  sbc_run (fx, &r, NULL, NULL, "mapping", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "SALESPEOPLE");
  sbc_assert_contains (r.out, "SALESORDER-ORDER");
  sbc_run (fx, &r, NULL, NULL, "mapping", "show", "customer", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = sbc_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (shown, "direction"), ==, "both");
  sbc_run (fx, &r, NULL, NULL, "mapping", "set", "CUSTOMER", "--only-coupled", "0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set", "CUSTOMER", "--erp-filter", "nonsense (((", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "ERP filter");

  /* Field 1 of CUSTOMER is name ↔ name. */
  sbc_run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "1", "--match-priority", "3",
           "--case-sensitive", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "99", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "1", "--constant", "{", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_run (fx, &r, NULL, NULL, "mapping", "show", "CUSTOMER", NULL);
  g_clear_pointer (&shown, json_object_unref);
  shown = sbc_parse_object (r.out);
  {
    JsonObject *field =
        json_array_get_object_element (json_object_get_array_member (shown, "fields"), 1);
    g_assert_cmpint (json_object_get_int_member (field, "match_priority"), ==, 3);
    g_assert_true (json_object_get_boolean_member (field, "match_case_sensitive"));
  }

  sbc_run (fx, &r, NULL, NULL, "currency", "add", "code=USD", "description=US dollar",
           "exchange_rate=1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli AB", "city=Visby", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C2", "name=Second AB", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "couple", "match", "CURRENCY", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "1 coupled");
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "CUSTOMER", "C2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync", "CUSTOMER", "--direction", "to-sales", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "1 inserted");
  sbc_run (fx, &r, NULL, NULL, "sync", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync-now", "CUSTOMER", "C1", "--winner", "erp", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "C1");
  sbc_run (fx, &r, NULL, NULL, "sync-now", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "uncouple", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "uncouple", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_run (fx, &r, NULL, NULL, "log", "--conflicts", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "[");
  sbc_run (fx, &r, NULL, NULL, "log", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "\"CUSTOMER\"");

  sbc_run (fx, &r, NULL, NULL, "sync-status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  status = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (status); i++)
    if (g_str_equal (
            json_object_get_string_member (json_array_get_object_element (status, i), "mapping"),
            "CUSTOMER"))
      customer = json_array_get_object_element (status, i);
  g_assert_nonnull (customer);
  g_assert_cmpint (json_object_get_int_member (customer, "coupled"), ==, 1);

  sbc_run (fx, &r, NULL, NULL, "mapping", "reset", "CUSTOMER", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run_clear (&r);
}

/* The id of the only open conflict, from "conflicts list --json". */
static char *
only_conflict_id (Fixture *fx, Run *r, const char *kind)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *list;
  JsonObject *first;

  sbc_run (fx, r, NULL, NULL, "conflicts", "list", "--json", NULL);
  g_assert_cmpint (r->status, ==, 0);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  list = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  first = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, kind);
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (first, "id"));
}

/* history, conflicts list, conflicts resolve (field by field and deletion). */
static void
test_history_and_conflicts (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbDataverseConnection) sales = NULL;
  g_autoptr (JsonObject) customer = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) patch = NULL;
  g_autofree char *id = NULL;
  g_autofree char *conflict = NULL;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "currency", "add", "code=USD", "description=US dollar",
           "exchange_rate=1", NULL);
  sbc_run (fx, &r, NULL, NULL, "couple", "match", "CURRENCY", NULL);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli AB", "city=Visby", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  id = g_strstrip (g_strdup (r.out));

  sbc_run (fx, &r, NULL, NULL, "history", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "inserted");
  sbc_assert_contains (r.out, "Visby");
  sbc_run (fx, &r, NULL, NULL, "history", "CUSTOMER", id, "--json", "--limit", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonArray *history;

    json_parser_load_from_data (parser, r.out, -1, &error);
    g_assert_no_error (error);
    history = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (history), ==, 1);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (history, 0), "action"), ==,
        "inserted");
  }
  sbc_run (fx, &r, NULL, NULL, "history", "NOPE", "C1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_run (fx, &r, NULL, NULL, "history", "CUSTOMER", "C1", "--limit", "-1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "conflicts", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "no open conflicts");

  /* Both sides change the city. */
  sales = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                        "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (sales, SB_SANDBOX_DEFAULT_SECRET);
  patch = json_from_string ("{\"address1_city\": \"Sales Town\"}", &error);
  g_assert_true (sb_dataverse_connection_write_sync (
      sales, "accounts", id, json_node_get_object (patch), SB_DATAVERSE_WRITE_UPDATE, NULL, NULL,
      NULL, NULL, &error));
  g_assert_no_error (error);
  sbc_run (fx, &r, NULL, NULL, "customer", "update", "C1", "city=ERP Town", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync", "CUSTOMER", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "conflicts", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "update conflict");
  sbc_assert_contains (r.out, "ERP “ERP Town”, Sales “Sales Town”");
  conflict = only_conflict_id (fx, &r, "update");

  /* Wrong or missing choices say what to do; then Sales' city is kept. */
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--keep", "city=maybe", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--keep", "phone=erp", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "City");
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--keep", "city=sales", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "show", "--json", "C1", NULL);
  customer = sbc_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (customer, "city"), ==, "Sales Town");
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--keep-all", "erp", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "already resolved");
  sbc_run (fx, &r, NULL, NULL, "history", "CUSTOMER", "C1", "--limit", "1", NULL);
  sbc_assert_contains (r.out, "resolved");

  /* A deletion conflict, resolved by restoring the row under its id. */
  g_assert_true (sb_dataverse_connection_delete_sync (sales, "accounts", id, NULL, NULL, &error));
  sbc_run (fx, &r, NULL, NULL, "sync", "CUSTOMER", NULL);
  g_clear_pointer (&conflict, g_free);
  conflict = only_conflict_id (fx, &r, "deletion");
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--restore", "--uncouple", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "conflicts", "resolve", conflict, "--restore", NULL);
  g_assert_cmpint (r.status, ==, 0);
  row = sb_dataverse_connection_retrieve_sync (sales, "accounts", id, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Sales Town");
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/sync/commands", Fixture, NULL, sbc_fixture_set_up, test_sync_commands,
              sbc_fixture_tear_down);
  g_test_add ("/cli/sync/history-and-conflicts", Fixture, NULL, sbc_fixture_set_up,
              test_history_and_conflicts, sbc_fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
