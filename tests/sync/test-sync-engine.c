/* test-sync-engine.c: mappings, coupling and synchronization against the in-process sandbox
 * over HTTP on 127.0.0.1 and a real SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <locale.h>
#include <string.h>

#include "sb-customer.h"
#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-sandbox-server.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-engine.h"
#include "sb-sync-error.h"
#include "sbs-dataverse.h"
#include "sbs-keyring.h"

typedef struct
{
  char *dir;
  char *db_path;
  SbStore *store;
  SbSandboxServer *server;
  SbDataverseConnection *cnc;   /* the integration user */
  SbDataverseConnection *sales; /* a salesperson changing data in Sales */
  SbSyncEngine *engine;
} Fixture;

static SbDataverseConnection *
connect_as (Fixture *fx, const char *client)
{
  const char *base = sb_sandbox_server_get_base_url (fx->server);
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                    "sandbox", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
start (Fixture *fx, const char *faults)
{
  g_autoptr (GError) error = NULL;
  SbSandboxLimitsConfig limits = { 0, 0, 0, 300 };

  fx->server = sb_sandbox_server_new ();
  sb_sandbox_server_set_limits (fx->server, &limits);
  if (faults != NULL)
    g_assert_true (sb_sandbox_server_set_faults (fx->server, faults, &error));
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->cnc = connect_as (fx, SB_SANDBOX_INTEGRATION_CLIENT);
  fx->sales = connect_as (fx, SB_SANDBOX_SALES_CLIENT);
  sb_dataverse_connection_set_retry_policy (fx->cnc, 8, 1, 5, 2000);
  fx->engine = sb_sync_engine_new (fx->store, fx->cnc);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  fx->dir = g_dir_make_tmp ("salesbridge-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (fx->store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (fx->store, general, &error));
  start (fx, data);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->engine);
  g_clear_object (&fx->cnc);
  g_clear_object (&fx->sales);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  g_clear_object (&fx->store);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static void
add_currency (Fixture *fx, const char *code, const char *description, const char *symbol)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCurrency) c = sb_currency_new ();

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->description);
  c->description = g_strdup (description);
  g_free (c->symbol);
  c->symbol = g_strdup (symbol);
  c->exchange_rate = sb_decimal_from_int (1);
  g_assert_true (sb_record_insert (fx->store, &sb_currency_record_type, c, &error));
  g_assert_no_error (error);
}

static SbCustomer *
add_customer (Fixture *fx, const char *name, const char *city, const char *currency)
{
  g_autoptr (GError) error = NULL;
  SbCustomer *c = sb_customer_new ();

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->city);
  c->city = g_strdup (city);
  g_free (c->phone);
  c->phone = g_strdup ("+46 8 123");
  g_free (c->currency_code);
  c->currency_code = g_strdup (currency);
  c->credit_limit = sb_decimal_from_int (5000);
  sb_customer_insert (fx->store, c, &error);
  g_assert_no_error (error);
  return c;
}

static void
set_only_coupled (Fixture *fx, const char *name, gboolean only_coupled)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (fx->store, name, &error);

  g_assert_no_error (error);
  m->only_coupled = only_coupled;
  g_assert_true (sb_sync_mapping_save (fx->store, m, &error));
  g_assert_no_error (error);
}

static void
set_policies (Fixture *fx, const char *name, SbSyncConflictPolicy conflict,
              SbSyncDeletionPolicy deletion)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (fx->store, name, &error);

  g_assert_no_error (error);
  m->conflict_policy = conflict;
  m->deletion_policy = deletion;
  g_assert_true (sb_sync_mapping_save (fx->store, m, &error));
}

static SbSyncCounters
sync_run (Fixture *fx, const char *mapping, SbSyncDirection direction)
{
  g_autoptr (GError) error = NULL;
  SbSyncCounters counters;

  g_assert_true (
      sb_sync_engine_sync_mapping_sync (fx->engine, mapping, direction, &counters, NULL, &error));
  g_assert_no_error (error);
  return counters;
}

static char *
coupled_id (Fixture *fx, const char *mapping, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) c = sb_sync_coupling_find_erp (fx->store, mapping, key, &error);

  g_assert_no_error (error);
  if (!sb_sync_coupling_is_coupled (c) || c->pending)
    return NULL;
  return g_strdup (c->dataverse_id);
}

static JsonObject *
dv_get (Fixture *fx, const char *set, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, set, id, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

static void
dv_update (Fixture *fx, const char *set, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (sb_dataverse_connection_write_sync (
      fx->sales, set, id, json_node_get_object (node), SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
      NULL, &error));
  g_assert_no_error (error);
}

static char *
dv_create (Fixture *fx, const char *set, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = sb_dataverse_connection_create_sync (fx->sales, set, json_node_get_object (node), NULL, NULL,
                                            &error);
  g_assert_no_error (error);
  return id;
}

static guint
dv_count (Fixture *fx, const char *set, const char *attribute, const char *value)
{
  return sbs_count_rows (fx->sales, set, attribute, value);
}

/* Currencies USD (the sandbox's base: matched) and EUR (created) coupled. */
static void
couple_currencies (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  SbSyncCounters counters;

  add_currency (fx, "USD", "US dollar", "$");
  add_currency (fx, "EUR", "Euro", "€");
  g_assert_true (
      sb_sync_engine_couple_match_sync (fx->engine, "CURRENCY", &counters, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counters.coupled, ==, 1);
  g_assert_cmpuint (counters.inserted, ==, 1);
  g_assert_cmpuint (counters.failed, ==, 0);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_mappings (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = sb_sync_mapping_list (fx->store, &error);
  g_autoptr (SbSyncMapping) customer = NULL;
  g_autoptr (SbSyncMapping) again = NULL;
  g_autoptr (SbDataverseFilter) filter = NULL;
  g_autofree char *text = NULL;
  gboolean has_lookup = FALSE;
  static const char *const order[] = { "SALESPEOPLE", "CURRENCY",     "UNIT OF MEASURE", "CUSTOMER",
                                       "CONTACT",     "ITEM-PRODUCT", "RESOURCE-PRODUCT" };

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 13);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (((SbSyncMapping *) list->pdata[i])->name, ==, order[i]);

  customer = sb_sync_mapping_load (fx->store, "customer", &error);
  g_assert_no_error (error);
  g_assert_cmpint (customer->direction, ==, SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpstr (customer->depends_on, ==, "SALESPEOPLE,CURRENCY");
  g_assert_true (customer->only_coupled);
  for (guint i = 0; i < customer->fields->len; i++)
    {
      SbSyncFieldMapping *f = customer->fields->pdata[i];
      if (g_str_equal (f->dataverse_field, "transactioncurrencyid"))
        has_lookup = g_str_equal (f->lookup_mapping, "CURRENCY");
    }
  g_assert_true (has_lookup);

  /* Edits are validated. */
  customer->erp_filter = (g_free (customer->erp_filter), g_strdup ("nonsense ((("));
  g_assert_false (sb_sync_mapping_save (fx->store, customer, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_INVALID_MAPPING);
  g_clear_error (&error);
  customer->erp_filter = (g_free (customer->erp_filter), g_strdup ("city = 'Malmö'"));
  customer->dataverse_filter = (g_free (customer->dataverse_filter), g_strdup ("statecode eq"));
  g_assert_false (sb_sync_mapping_save (fx->store, customer, &error));
  g_clear_error (&error);
  customer->dataverse_filter =
      (g_free (customer->dataverse_filter), g_strdup ("name eq 'O''Brien' and statecode eq 0"));
  ((SbSyncFieldMapping *) customer->fields->pdata[1])->erp_field =
      (g_free (((SbSyncFieldMapping *) customer->fields->pdata[1])->erp_field), g_strdup ("nope"));
  g_assert_false (sb_sync_mapping_save (fx->store, customer, &error));
  g_assert_nonnull (strstr (error->message, "nope"));
  g_clear_error (&error);
  ((SbSyncFieldMapping *) customer->fields->pdata[1])->erp_field =
      (g_free (((SbSyncFieldMapping *) customer->fields->pdata[1])->erp_field), g_strdup ("name"));
  customer->conflict_policy = SB_SYNC_CONFLICT_SEND_TO_SALES;
  g_assert_true (sb_sync_mapping_save (fx->store, customer, &error));
  g_assert_no_error (error);

  again = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);
  g_assert_cmpstr (again->erp_filter, ==, "city = 'Malmö'");
  g_assert_cmpint (again->conflict_policy, ==, SB_SYNC_CONFLICT_SEND_TO_SALES);
  g_assert_true (sb_sync_parse_dataverse_filter (again->dataverse_filter, &filter, &error));
  text = sb_dataverse_filter_to_string (filter);
  g_assert_cmpstr (text, ==, "name eq 'O''Brien' and statecode eq 0");

  g_assert_true (sb_sync_mapping_reset (fx->store, "CUSTOMER", &error));
  g_clear_pointer (&again, sb_sync_mapping_free);
  again = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);
  g_assert_cmpstr (again->erp_filter, ==, "blocked = 0");
  g_assert_cmpint (again->conflict_policy, ==, SB_SYNC_CONFLICT_NONE);

  /* The same filter checked on rows, as change tracking reads need. */
  {
    g_autoptr (SbSyncRowFilter) rf = sb_sync_row_filter_new (
        "statecode eq 0 and name eq 'ÅSA O''B' and _parentcustomerid_value ne null", &error);
    g_autoptr (JsonNode) yes = json_from_string (
        "{\"statecode\": 0, \"name\": \"åsa o'b\", \"_parentcustomerid_value\": \"x\"}", NULL);
    g_autoptr (JsonNode) inactive = json_from_string (
        "{\"statecode\": 1, \"name\": \"åsa o'b\", \"_parentcustomerid_value\": \"x\"}", NULL);
    g_autoptr (JsonNode) orphan = json_from_string (
        "{\"statecode\": 0, \"name\": \"Åsa O'B\", \"_parentcustomerid_value\": null}", NULL);

    g_assert_no_error (error);
    g_assert_true (sb_sync_row_filter_matches (rf, json_node_get_object (yes)));
    g_assert_false (sb_sync_row_filter_matches (rf, json_node_get_object (inactive)));
    g_assert_false (sb_sync_row_filter_matches (rf, json_node_get_object (orphan)));
  }

  g_assert_null (sb_sync_mapping_load (fx->store, "NOPE", &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNKNOWN_MAPPING);
}

static void
test_customer_both_ways (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) anna = NULL;
  g_autoptr (SbCustomer) gbp = NULL;
  g_autoptr (SbCustomer) reread = NULL;
  g_autofree char *eur_id = NULL;
  g_autofree char *anna_id = NULL;
  g_autoptr (JsonObject) account = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;
  SbSyncCounters n;

  couple_currencies (fx);
  eur_id = coupled_id (fx, "CURRENCY", "EUR");
  g_assert_nonnull (eur_id);
  account = dv_get (fx, "transactioncurrencies", eur_id);
  g_assert_cmpstr (sb_json_get_string (account, "currencyname", NULL), ==, "Euro");
  g_assert_cmpstr (sb_json_get_string (account, "currencysymbol", NULL), ==, "€");
  g_clear_pointer (&account, json_object_unref);

  add_currency (fx, "GBP_X", "Pound", "£"); /* not coupled */
  anna = add_customer (fx, "Åsa O'Brien AB", "Malmö", "EUR");
  gbp = add_customer (fx, "Pound Ltd", "London", "GBP_X");
  (void) gbp;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.failed, ==, 1);
  anna_id = coupled_id (fx, "CUSTOMER", anna->no);
  g_assert_nonnull (anna_id);
  account = dv_get (fx, "accounts", anna_id);
  g_assert_cmpstr (sb_json_get_string (account, "name", NULL), ==, "Åsa O'Brien AB");
  g_assert_cmpstr (sb_json_get_string (account, "address1_city", NULL), ==, "Malmö");
  g_assert_cmpstr (sb_json_get_string (account, "accountnumber", NULL), ==, anna->no);
  g_assert_cmpint (sb_json_get_int (account, "customertypecode", 0), ==, 3);
  g_assert_cmpfloat (sb_json_get_double (account, "creditlimit", 0), ==, 5000);
  g_assert_cmpstr (sb_json_get_lookup (account, "transactioncurrencyid"), ==, eur_id);
  g_clear_pointer (&account, json_object_unref);

  /* The uncoupled lookup failed with a message naming what to couple. */
  c = sb_sync_coupling_find_erp (fx->store, "CUSTOMER", gbp->no, &error);
  g_assert_nonnull (c);
  g_assert_cmpint (c->last_result, ==, SB_SYNC_RESULT_FAILED);
  g_assert_nonnull (strstr (c->last_error, "GBP_X"));
  g_assert_nonnull (strstr (c->last_error, "CURRENCY"));
  g_assert_false (c->skipped);
  g_clear_pointer (&c, sb_sync_coupling_free);

  /* The same error again: skipped, then no longer retried. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 1);
  g_assert_cmpuint (n.inserted + n.modified, ==, 0);
  c = sb_sync_coupling_find_erp (fx->store, "CUSTOMER", gbp->no, &error);
  g_assert_true (c->skipped);
  g_clear_pointer (&c, sb_sync_coupling_free);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 0);

  /* Loop prevention: our own writes do not come back. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
  g_assert_cmpuint (n.modified + n.inserted + n.failed, ==, 0);

  /* A change in Sales comes to the ERP, and is not sent back. */
  dv_update (fx, "accounts", anna_id, "{\"telephone1\": \"+46 40 999\", \"name\": \"Åsa AB\"}");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  reread = sb_customer_lookup (fx->store, anna->no, &error);
  g_assert_cmpstr (reread->phone, ==, "+46 40 999");
  g_assert_cmpstr (reread->name, ==, "Åsa AB");
  g_assert_cmpstr (reread->currency_code, ==, "EUR");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted, ==, 0);

  /* An ERP change goes to Sales. */
  g_free (reread->city);
  reread->city = g_strdup ("Lund");
  g_assert_true (sb_customer_update (fx->store, reread, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  account = dv_get (fx, "accounts", anna_id);
  g_assert_cmpstr (sb_json_get_string (account, "address1_city", NULL), ==, "Lund");
  g_clear_pointer (&account, json_object_unref);

  /* Deactivating the account in Sales blocks the customer. */
  dv_update (fx, "accounts", anna_id, "{\"statecode\": 1, \"statuscode\": 2}");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
  g_clear_pointer (&reread, sb_customer_free);
  reread = sb_customer_lookup (fx->store, anna->no, &error);
  /* The default filter reads active accounts only: the block is not seen. */
  g_assert_false (reread->blocked);
  /* Without it, the inactive account blocks its customer. */
  {
    g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);

    m->dataverse_filter = (g_free (m->dataverse_filter), g_strdup ("customertypecode eq 3"));
    g_assert_true (sb_sync_mapping_save (fx->store, m, &error));
    dv_update (fx, "accounts", anna_id, "{\"fax\": \"0\"}");
    n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
    g_assert_cmpuint (n.modified, ==, 1);
    g_clear_pointer (&reread, sb_customer_free);
    reread = sb_customer_lookup (fx->store, anna->no, &error);
    g_assert_true (reread->blocked);
    g_assert_true (sb_sync_mapping_reset (fx->store, "CUSTOMER", &error));
    set_only_coupled (fx, "CUSTOMER", FALSE);
  }

  /* Restoring the skipped record after coupling the currency makes it go through. */
  g_assert_null (
      sb_sync_engine_create_in_sales_sync (fx->engine, "CUSTOMER", gbp->no, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  {
    g_autofree char *cur =
        sb_sync_engine_create_in_sales_sync (fx->engine, "CURRENCY", "GBP_X", NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (cur);
  }
  g_assert_true (sb_sync_engine_restore_sync (fx->engine, "CUSTOMER", gbp->no, &error));
  g_assert_no_error (error);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (dv_count (fx, "accounts", "accountnumber", gbp->no), ==, 1);

  /* The job log has the runs and the errors; old entries can be purged. */
  {
    g_autoptr (JsonNode) log = sb_sync_engine_get_log (fx->store, TRUE, 100, &error);
    g_autoptr (JsonNode) status = sb_sync_engine_get_status (fx->store, &error);
    g_autoptr (JsonNode) kept = NULL;
    g_autoptr (JsonNode) purged = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), >=, 2);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (status)), ==, 13);
    g_assert_true (sb_sync_engine_purge_log (fx->store, 30, &error));
    kept = sb_sync_engine_get_log (fx->store, FALSE, 100, &error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (kept)), >, 0);
    /* 0 is all, even what started this second or (clock set back) a later one. */
    g_assert_true (
        sb_store_exec (fx->store,
                       "UPDATE sync_job SET started_at = '2999-01-01T00:00:00Z' WHERE rowid = "
                       "(SELECT max(rowid) FROM sync_job)",
                       &error));
    g_assert_no_error (error);
    g_assert_true (sb_sync_engine_purge_log (fx->store, 0, &error));
    purged = sb_sync_engine_get_log (fx->store, TRUE, 100, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (purged)), ==, 0);
  }

  /* An invalid delta link: the library starts over with a full read. */
  g_assert_true (sb_store_exec (fx->store,
                                "UPDATE integration_table_mapping SET delta_link ="
                                " delta_link || 'broken' WHERE name = 'CUSTOMER'",
                                &error));
  {
    g_autofree char *gbp_id = coupled_id (fx, "CUSTOMER", gbp->no);
    g_autoptr (SbCustomer) after = NULL;

    dv_update (fx, "accounts", gbp_id, "{\"fax\": \"+44 20 1\"}");
    n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
    g_assert_cmpuint (n.modified, ==, 1);
    g_assert_cmpuint (n.failed, ==, 0);
    after = sb_customer_lookup (fx->store, gbp->no, &error);
    g_assert_cmpstr (after->fax, ==, "+44 20 1");
  }
}

static void
test_from_sales_create_and_uncouple (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  SbSyncCounters n;

  couple_currencies (fx);
  id = dv_create (fx, "accounts",
                  "{\"name\": \"Sales Made Ltd\", \"address1_city\": \"Reykjavík\","
                  " \"customertypecode\": 3}");
  key = sb_sync_engine_create_in_erp_sync (fx->engine, "CUSTOMER", id, NULL, &error);
  g_assert_no_error (error);
  customer = sb_customer_lookup (fx->store, key, &error);
  g_assert_cmpstr (customer->name, ==, "Sales Made Ltd");
  g_assert_cmpstr (customer->city, ==, "Reykjavík");
  g_assert_null (sb_sync_engine_create_in_erp_sync (fx->engine, "CUSTOMER", id, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_ALREADY_COUPLED);
  g_clear_error (&error);

  /* Creating from Sales when "only coupled" is off. */
  set_only_coupled (fx, "CUSTOMER", FALSE);
  g_free (dv_create (fx, "accounts", "{\"name\": \"Second\", \"customertypecode\": 3}"));
  /* Change tracking reads without $filter: the mapping's filter (a customer account) and the
   * integration user's own changes are checked on each row. */
  g_free (dv_create (fx, "accounts", "{\"name\": \"A vendor\", \"customertypecode\": 1}"));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
  g_assert_cmpuint (n.inserted, ==, 1);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
  g_assert_cmpuint (n.inserted + n.modified, ==, 0);

  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, "CUSTOMER", key, &error));
  g_assert_false (sb_sync_engine_uncouple_sync (fx->engine, "CUSTOMER", key, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED);
  g_clear_error (&error);
  g_assert_true (sb_sync_engine_couple_sync (fx->engine, "CUSTOMER", key, id, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sb_sync_engine_couple_sync (fx->engine, "CUSTOMER", key, id, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_ALREADY_COUPLED);
  g_clear_error (&error);

  /* A coupled account deleted in Sales: a deletion conflict, then (policy) uncoupled. */
  {
    g_autofree char *second = g_strdup (id);
    g_autoptr (SbCustomer) other = add_customer (fx, "Deleted Later", "Höfn", "");
    g_autofree char *other_id =
        sb_sync_engine_create_in_sales_sync (fx->engine, "CUSTOMER", other->no, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (
        sb_dataverse_connection_delete_sync (fx->sales, "accounts", other_id, NULL, NULL, &error));
    n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
    g_assert_cmpuint (n.conflicts, ==, 1);
    g_assert_cmpuint (n.failed, ==, 1);
    set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_NONE, SB_SYNC_DELETION_REMOVE_COUPLING);
    g_free (dv_create (fx, "accounts", "{\"name\": \"Third\", \"customertypecode\": 3}"));
    g_assert_true (
        sb_dataverse_connection_delete_sync (fx->sales, "accounts", second, NULL, NULL, &error));
    n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
    g_assert_cmpuint (n.uncoupled, ==, 1);
    g_assert_cmpuint (n.inserted, ==, 1);
    g_assert_null (coupled_id (fx, "CUSTOMER", key));
  }
}

static void
test_conflicts (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) row = NULL;
  SbSyncCounters n;

  couple_currencies (fx);
  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Conflict AB", "Umeå", "");
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  id = coupled_id (fx, "CUSTOMER", a->no);

  /* Policy none: recorded, failed, nothing written. */
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Sales City\"}");
  a->city = (g_free (a->city), g_strdup ("ERP City"));
  g_assert_true (sb_customer_update (fx->store, a, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.conflicts, ==, 1);
  g_assert_cmpuint (n.failed, ==, 1);
  g_assert_cmpuint (n.modified, ==, 0);

  /* Get update from Sales. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_GET_FROM_SALES, SB_SYNC_DELETION_NONE);
  g_assert_true (sb_sync_engine_restore_sync (fx->engine, "CUSTOMER", a->no, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed, ==, 0);
  now = sb_customer_lookup (fx->store, a->no, &error);
  g_assert_cmpstr (now->city, ==, "Sales City");
  g_clear_pointer (&now, sb_customer_free);

  /* Send update to Sales. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_SEND_TO_SALES, SB_SYNC_DELETION_NONE);
  now = sb_customer_lookup (fx->store, a->no, &error);
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Sales Again\"}");
  now->city = (g_free (now->city), g_strdup ("ERP Wins"));
  g_assert_true (sb_customer_update (fx->store, now, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed, ==, 0);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "ERP Wins");
  g_clear_pointer (&row, json_object_unref);

  /* Deletion conflict, policy none: failed, recorded. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", id, NULL, NULL, &error));
  now->phone = (g_free (now->phone), g_strdup ("1"));
  g_assert_true (sb_customer_update (fx->store, now, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 1);
  g_assert_cmpuint (n.conflicts, ==, 1);

  /* Restore: re-created with the same id. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_NONE, SB_SYNC_DELETION_RESTORE);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 0);
  g_assert_cmpuint (n.inserted, ==, 1);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "telephone1", NULL), ==, "1");

  /* Remove coupling. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_NONE, SB_SYNC_DELETION_REMOVE_COUPLING);
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", id, NULL, NULL, &error));
  now->phone = (g_free (now->phone), g_strdup ("2"));
  g_assert_true (sb_customer_update (fx->store, now, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.uncoupled, ==, 1);
  g_assert_null (coupled_id (fx, "CUSTOMER", a->no));
}

static void
add_unit (Fixture *fx, const char *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbUnitOfMeasure) u = sb_unit_of_measure_new ();

  u->code = (g_free (u->code), g_strdup (code));
  g_assert_true (sb_record_insert (fx->store, &sb_unit_of_measure_record_type, u, &error));
  g_assert_no_error (error);
}

static void
test_products_contacts_salespeople (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbItem) item = sb_item_new ();
  g_autoptr (SbResource) resource = sb_resource_new ();
  g_autoptr (SbContact) contact = sb_contact_new ();
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (SbItem) item_after = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *pcs = NULL;
  g_autofree char *product = NULL;
  g_autofree char *user = NULL;
  g_autofree char *code = NULL;
  g_autofree char *account = NULL;
  g_autofree char *contact_id = NULL;
  SbSyncCounters n;

  couple_currencies (fx);

  /* UNIT OF MEASURE → uomschedule with its base unit. */
  add_unit (fx, "PCS");
  add_unit (fx, "HOUR");
  set_only_coupled (fx, "UNIT OF MEASURE", FALSE);
  n = sync_run (fx, "UNIT OF MEASURE", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.inserted, ==, 2);
  pcs = coupled_id (fx, "UNIT OF MEASURE", "PCS");
  row = dv_get (fx, "uomschedules", pcs);
  g_assert_cmpstr (sb_json_get_string (row, "baseuomname", NULL), ==, "PCS");
  g_clear_pointer (&row, json_object_unref);

  /* ITEM-PRODUCT: negative inventory is sent as 0; units through the coupling. */
  item->no = (g_free (item->no), g_strdup ("1000"));
  item->description = (g_free (item->description), g_strdup ("Bicycle “Þór”"));
  item->base_unit_code = (g_free (item->base_unit_code), g_strdup ("PCS"));
  item->unit_price = sb_decimal_from_int (4000);
  item->inventory = sb_decimal_from_int (-5);
  g_assert_true (sb_record_insert (fx->store, &sb_item_record_type, item, &error));
  g_assert_no_error (error);
  product = sb_sync_engine_create_in_sales_sync (fx->engine, "ITEM-PRODUCT", "1000", NULL, &error);
  g_assert_no_error (error);
  row = dv_get (fx, "products", product);
  g_assert_cmpstr (sb_json_get_string (row, "productnumber", NULL), ==, "1000");
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "Bicycle “Þór”");
  g_assert_cmpfloat (sb_json_get_double (row, "quantityonhand", -1), ==, 0);
  g_assert_cmpfloat (sb_json_get_double (row, "price", -1), ==, 4000);
  g_assert_cmpint (sb_json_get_int (row, "producttypecode", 0), ==, 1);
  g_assert_cmpstr (sb_json_get_lookup (row, "defaultuomscheduleid"), ==, pcs);
  g_assert_nonnull (sb_json_get_lookup (row, "defaultuomid"));
  g_clear_pointer (&row, json_object_unref);
  dv_update (fx, "products", product, "{\"name\": \"Bicycle 2\"}");
  n = sync_run (fx, "ITEM-PRODUCT", SB_SYNC_DIRECTION_FROM_SALES);
  g_assert_cmpuint (n.modified, ==, 1);
  item_after = sb_record_lookup (fx->store, &sb_item_record_type, item, &error);
  g_assert_cmpstr (item_after->description, ==, "Bicycle 2");

  /* A product made in Sales becomes an item, its unit through the coupling. */
  {
    g_autofree char *json = g_strdup_printf (
        "{\"productnumber\": \"2000\", \"name\": \"Sales Lamp\", \"producttypecode\": 1,"
        " \"price\": 99.5, \"defaultuomscheduleid@odata.bind\": \"/uomschedules(%s)\"}",
        pcs);
    g_autofree char *lamp = dv_create (fx, "products", json);
    g_autofree char *no =
        sb_sync_engine_create_in_erp_sync (fx->engine, "ITEM-PRODUCT", lamp, NULL, &error);
    g_autoptr (SbItem) probe = sb_item_new ();
    g_autoptr (SbItem) made = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (no, ==, "2000");
    probe->no = (g_free (probe->no), g_strdup (no));
    made = sb_record_lookup (fx->store, &sb_item_record_type, probe, &error);
    g_assert_cmpstr (made->description, ==, "Sales Lamp");
    g_assert_cmpstr (made->base_unit_code, ==, "PCS");
    g_assert_cmpint (made->unit_price, ==, sb_decimal_from_int (99) + SB_DECIMAL_SCALE / 2);
  }

  /* RESOURCE-PRODUCT: a service product. */
  resource->no = (g_free (resource->no), g_strdup ("R1"));
  resource->name = (g_free (resource->name), g_strdup ("Fitter"));
  resource->base_unit_code = (g_free (resource->base_unit_code), g_strdup ("HOUR"));
  resource->capacity = sb_decimal_from_int (40);
  g_assert_true (sb_record_insert (fx->store, &sb_resource_record_type, resource, &error));
  g_free (product);
  product =
      sb_sync_engine_create_in_sales_sync (fx->engine, "RESOURCE-PRODUCT", "R1", NULL, &error);
  g_assert_no_error (error);
  row = dv_get (fx, "products", product);
  g_assert_cmpint (sb_json_get_int (row, "producttypecode", 0), ==, 3);
  g_assert_cmpfloat (sb_json_get_double (row, "quantityonhand", -1), ==, 40);
  g_clear_pointer (&row, json_object_unref);
  dv_update (fx, "products", product, "{\"name\": \"Senior Fitter\"}");
  n = sync_run (fx, "RESOURCE-PRODUCT", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  {
    g_autoptr (SbResource) r =
        sb_record_lookup (fx->store, &sb_resource_record_type, resource, &error);
    g_assert_cmpstr (r->name, ==, "Senior Fitter");
  }

  /* SALESPEOPLE ← systemuser, then an account owned through the coupling. */
  user = sb_sandbox_server_dup_user_id (fx->server, SB_SANDBOX_SALES_CLIENT);
  code = sb_sync_engine_create_in_erp_sync (fx->engine, "SALESPEOPLE", user, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code);
  customer = add_customer (fx, "Owned AB", "Kiruna", "");
  customer->salesperson_code = (g_free (customer->salesperson_code), g_strdup (code));
  g_assert_true (sb_customer_update (fx->store, customer, &error));
  g_assert_no_error (error);
  account =
      sb_sync_engine_create_in_sales_sync (fx->engine, "CUSTOMER", customer->no, NULL, &error);
  g_assert_no_error (error);
  row = dv_get (fx, "accounts", account);
  g_assert_cmpstr (sb_json_get_lookup (row, "ownerid"), ==, user);
  g_clear_pointer (&row, json_object_unref);

  /* CONTACT ↔ contact with its company through the CUSTOMER coupling. */
  contact->first_name = (g_free (contact->first_name), g_strdup ("Jón"));
  contact->surname = (g_free (contact->surname), g_strdup ("Jónsson"));
  contact->email = (g_free (contact->email), g_strdup ("jon@example.is"));
  contact->company_no = (g_free (contact->company_no), g_strdup (customer->no));
  g_assert_true (sb_contact_insert (fx->store, contact, &error));
  contact_id =
      sb_sync_engine_create_in_sales_sync (fx->engine, "CONTACT", contact->no, NULL, &error);
  g_assert_no_error (error);
  row = dv_get (fx, "contacts", contact_id);
  g_assert_cmpstr (sb_json_get_string (row, "lastname", NULL), ==, "Jónsson");
  g_assert_cmpstr (sb_json_get_lookup (row, "parentcustomerid"), ==, account);
  g_clear_pointer (&row, json_object_unref);
  {
    g_autofree char *from_sales = NULL;
    g_autofree char *json =
        g_strdup_printf ("{\"firstname\": \"Anna\", \"lastname\": \"Sales\", "
                         "\"parentcustomerid_account@odata.bind\": \"/accounts(%s)\"}",
                         account);
    g_autofree char *new_id = dv_create (fx, "contacts", json);
    g_autoptr (SbContact) probe = sb_contact_new ();
    g_autoptr (SbContact) made = NULL;

    from_sales = sb_sync_engine_create_in_erp_sync (fx->engine, "CONTACT", new_id, NULL, &error);
    g_assert_no_error (error);
    probe->no = (g_free (probe->no), g_strdup (from_sales));
    made = sb_record_lookup (fx->store, &sb_contact_record_type, probe, &error);
    g_assert_cmpstr (made->company_no, ==, customer->no);
    g_assert_cmpstr (made->first_name, ==, "Anna");
  }

  /* CUSTPRCGRP-PRICE → pricelevel, then SALESPRC-PRODPRICE → productpricelevel (a composite
   * ERP key; uncoupled records too, by default). */
  {
    g_autoptr (SbCustomerPriceGroup) group = sb_customer_price_group_new ();
    g_autoptr (SbSalesPrice) price = sb_sales_price_new ();
    g_autoptr (GPtrArray) couplings = NULL;
    g_autofree char *level = NULL;
    g_autofree char *item_product = coupled_id (fx, "ITEM-PRODUCT", "1000");

    group->code = (g_free (group->code), g_strdup ("RETAIL"));
    g_assert_true (
        sb_record_insert (fx->store, &sb_customer_price_group_record_type, group, &error));
    g_assert_no_error (error);
    level = sb_sync_engine_create_in_sales_sync (fx->engine, "CUSTPRCGRP-PRICE", "RETAIL", NULL,
                                                 &error);
    g_assert_no_error (error);
    row = dv_get (fx, "pricelevels", level);
    g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "RETAIL");
    g_clear_pointer (&row, json_object_unref);

    price->item_no = (g_free (price->item_no), g_strdup ("1000"));
    price->price_group_code = (g_free (price->price_group_code), g_strdup ("RETAIL"));
    price->unit_code = (g_free (price->unit_code), g_strdup ("PCS"));
    price->unit_price = sb_decimal_from_int (3500);
    g_assert_true (sb_record_insert (fx->store, &sb_sales_price_record_type, price, &error));
    g_assert_no_error (error);
    n = sync_run (fx, "SALESPRC-PRODPRICE", SB_SYNC_DIRECTION_TO_SALES);
    g_assert_cmpuint (n.inserted, ==, 1);
    g_assert_cmpuint (n.failed, ==, 0);
    couplings = sb_sync_coupling_list (fx->store, "SALESPRC-PRODPRICE", &error);
    g_assert_cmpuint (couplings->len, ==, 1);
    row = dv_get (fx, "productpricelevels", ((SbSyncCoupling *) couplings->pdata[0])->dataverse_id);
    g_assert_cmpfloat (sb_json_get_double (row, "amount", 0), ==, 3500);
    g_assert_cmpint (sb_json_get_int (row, "pricingmethodcode", 0), ==, 1);
    g_assert_cmpstr (sb_json_get_lookup (row, "pricelevelid"), ==, level);
    g_assert_cmpstr (sb_json_get_lookup (row, "productid"), ==, item_product);
    g_assert_nonnull (sb_json_get_lookup (row, "uomid"));
    g_clear_pointer (&row, json_object_unref);

    /* A changed price is updated, a deleted one uncoupled. */
    price->unit_price = sb_decimal_from_int (3600);
    g_assert_true (sb_record_update (fx->store, &sb_sales_price_record_type, price, &error));
    n = sync_run (fx, "SALESPRC-PRODPRICE", SB_SYNC_DIRECTION_TO_SALES);
    g_assert_cmpuint (n.modified, ==, 1);
    g_assert_true (sb_record_delete (fx->store, &sb_sales_price_record_type, price, &error));
    n = sync_run (fx, "SALESPRC-PRODPRICE", SB_SYNC_DIRECTION_TO_SALES);
    g_assert_cmpuint (n.uncoupled, ==, 1);
  }
}

static void
test_match (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) one = NULL;
  g_autoptr (SbCustomer) two = NULL;
  g_autoptr (SbCustomer) three = NULL;
  g_autoptr (SbCustomer) four = NULL;
  g_autofree char *id = NULL;
  SbSyncCounters n;

  couple_currencies (fx);
  one = add_customer (fx, "Ölstugan D'Arcy", "Umeå", "");
  two = add_customer (fx, "Twin", "A", "");
  three = add_customer (fx, "Taken", "B", "");
  four = add_customer (fx, "Nobody", "C", "");
  /* Matched by name (case-insensitive), accountnumber blank in Sales. */
  id = dv_create (fx, "accounts", "{\"name\": \"ÖLSTUGAN D'ARCY\", \"customertypecode\": 3}");
  /* Two rows named Twin: several matches. */
  g_free (dv_create (fx, "accounts", "{\"name\": \"Twin\", \"customertypecode\": 3}"));
  g_free (dv_create (fx, "accounts", "{\"name\": \"Twin\", \"customertypecode\": 3}"));
  /* "Taken" is coupled to the first customer already. */
  g_free (dv_create (fx, "accounts", "{\"name\": \"Taken\", \"customertypecode\": 3}"));

  g_assert_true (sb_sync_engine_couple_match_sync (fx->engine, "CUSTOMER", &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.coupled, ==, 2); /* Ölstugan and Taken */
  g_assert_cmpuint (n.failed, ==, 2);  /* Twin (several) and Nobody (none) */
  g_autofree char *got = coupled_id (fx, "CUSTOMER", one->no);
  g_assert_cmpstr (got, ==, id);
  g_assert_null (coupled_id (fx, "CUSTOMER", two->no));

  /* Already coupled: a second ERP record named Taken does not take it. */
  {
    g_autoptr (SbCustomer) again = add_customer (fx, "Taken", "D", "");
    g_assert_true (sb_sync_engine_couple_match_sync (fx->engine, "CUSTOMER", &n, NULL, &error));
    g_assert_cmpuint (n.coupled, ==, 0);
    g_assert_null (coupled_id (fx, "CUSTOMER", again->no));
  }

  /* The coupled record's ERP values go to Sales on the next run (accountnumber). */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 2);
  g_assert_cmpuint (dv_count (fx, "accounts", "accountnumber", one->no), ==, 1);

  /* Blank values are not criteria: an item without a number matches nothing. */
  {
    g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (fx->store, "CURRENCY", &error);
    g_assert_nonnull (m);
  }
}

/* Match-based coupling reads the Dataverse side once per priority group instead of once per
 * record: 300 customers must not cost 300 requests (with Dataverse's limit of 6,000 requests
 * in five minutes, a per-record lookup stalls a full synchronization of a few thousand). */
static void
test_match_in_bulk (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();
  SbSyncCounters n;
  guint64 before;

  couple_currencies (fx);
  g_assert_true (sb_store_begin (fx->store, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Bulk Customer %03u Ltd", i);
      g_autoptr (SbCustomer) c = add_customer (fx, name, "Oslo", "");
      g_autoptr (JsonObject) body = json_object_new ();
      g_autofree char *upper = g_utf8_strup (name, -1);

      /* The same name in another case: Dataverse compares case-insensitively. */
      json_object_set_string_member (body, "name", upper);
      json_object_set_int_member (body, "customertypecode", 3);
      sb_dataverse_batch_add_create (batch, "accounts", body);
    }
  g_assert_true (sb_store_commit (fx->store, &error));
  g_assert_true (sb_dataverse_connection_execute_batch_sync (fx->sales, batch, NULL, &error));
  g_assert_no_error (error);

  before = sb_dataverse_connection_get_n_sent (fx->cnc);
  g_assert_true (sb_sync_engine_couple_match_sync (fx->engine, "CUSTOMER", &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.coupled, ==, 300);
  g_assert_cmpuint (n.failed, ==, 0);
  /* Sign-in, the paged read of the group, and the follow-up sync's reads and one batch. */
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (fx->cnc) - before, <, 30);

  /* The job log counts the requests each job sent (the Statistics page's requests per day):
   * what the CUSTOMER jobs sent is at most what was sent since, and not nothing. */
  {
    sqlite3_stmt *stmt =
        sb_store_prepare (fx->store,
                          "SELECT count (*), sum (requests), min (requests) FROM sync_job"
                          " WHERE mapping = 'CUSTOMER'",
                          &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 1);
    g_assert_cmpint (sqlite3_column_int (stmt, 2), >, 0);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 1), <=,
                     (gint64) (sb_dataverse_connection_get_n_sent (fx->cnc) - before));
    sqlite3_reset (stmt);
  }
}

static void
test_idempotent_creation (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  SbSyncCounters n;
  g_autoptr (SbCustomer) a = NULL;

  couple_currencies (fx);
  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Crash AB", "Gävle", "EUR");
  for (guint i = 0; i < 9; i++)
    {
      g_clear_pointer (&a, sb_customer_free);
      a = add_customer (fx, "Crash AB", "Gävle", "EUR");
    }
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.inserted, ==, 10);
  id = coupled_id (fx, "CUSTOMER", a->no);

  /* A crash after the batch was sent and before its results were recorded: the couplings
   * are still pending and the watermark has not moved. */
  g_assert_true (sb_store_exec (fx->store,
                                "UPDATE coupling SET pending = 1, last_result = 0"
                                " WHERE mapping = 'CUSTOMER';"
                                "UPDATE integration_table_mapping SET erp_watermark = 0"
                                " WHERE name = 'CUSTOMER'",
                                &error));
  g_assert_no_error (error);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 0);
  g_assert_cmpuint (dv_count (fx, "accounts", "name", "Crash AB"), ==, 10);
  g_autofree char *after = coupled_id (fx, "CUSTOMER", a->no);
  g_assert_cmpstr (after, ==, id);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.inserted + n.modified, ==, 0);
}

static void
test_faulty_sandbox (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint runs = 0;
  gboolean done = FALSE;

  /* Couple currencies through retries of whole runs too. */
  add_currency (fx, "EUR", "Euro", "€");
  set_only_coupled (fx, "CURRENCY", FALSE);
  set_only_coupled (fx, "CUSTOMER", FALSE);
  sb_sync_engine_set_batch_size (fx->engine, 7);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Faulty %02u", i);
      g_autoptr (SbCustomer) c = add_customer (fx, name, "Borås", i % 2 ? "EUR" : "");
    }
  while (!done && runs++ < 40)
    {
      SbSyncCounters n = { 0 };
      g_autoptr (GError) run_error = NULL;

      if (!sb_sync_engine_sync_mapping_sync (fx->engine, "CURRENCY", SB_SYNC_DIRECTION_TO_SALES, &n,
                                             NULL, &run_error))
        continue;
      if (!sb_sync_engine_sync_mapping_sync (fx->engine, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES, &n,
                                             NULL, &run_error))
        continue;
      {
        g_autoptr (JsonNode) status = sb_sync_engine_get_status (fx->store, &error);
        JsonObject *customer = json_array_get_object_element (json_node_get_array (status), 3);
        done = json_object_get_int_member (customer, "coupled") == 60;
      }
    }
  g_assert_true (done);
  /* Retry with faults off: exactly 60 accounts, no duplicates. */
  {
    g_autoptr (SbDataverseConnection) quiet = NULL;
    guint total = 0;

    for (guint i = 0; i < 60; i++)
      {
        g_autofree char *name = g_strdup_printf ("Faulty %02u", i);
        guint tries = 0, n = G_MAXUINT;

        while (n == G_MAXUINT && tries++ < 20)
          {
            g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("accounts");
            g_autoptr (GError) e = NULL;
            guint count = 0;

            sb_dataverse_query_set_filter (
                query, sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, name));
            if (sb_dataverse_connection_query_sync (fx->cnc, query, sbs_count_page, &count, NULL,
                                                    NULL, &e))
              n = count;
          }
        g_assert_cmpuint (n, ==, 1);
        total += n;
      }
    g_assert_cmpuint (total, ==, 60);
  }
}

static gint64
open_conflicts (Fixture *fx, const char *mapping)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) status = sb_sync_engine_get_status (fx->store, &error);
  JsonArray *array = json_node_get_array (status);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (g_str_equal (json_object_get_string_member (o, "mapping"), mapping))
        return json_object_get_int_member (o, "conflicts");
    }
  return -1;
}

static void
test_sync_now (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id = NULL;
  SbSyncCounters n;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Now AB", "Luleå", "");
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  id = coupled_id (fx, "CUSTOMER", a->no);
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Sales Side\"}");
  a->city = (g_free (a->city), g_strdup ("ERP Side"));
  g_assert_true (sb_customer_update (fx->store, a, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.conflicts, ==, 1);
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 1);
  {
    g_autoptr (JsonNode) list = sb_sync_engine_get_conflicts (fx->store, &error);
    JsonObject *first = json_array_get_object_element (json_node_get_array (list), 0);

    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "update");
    g_assert_cmpstr (json_object_get_string_member (first, "erp_key"), ==, a->no);
    JsonArray *fields = json_object_get_array_member (first, "fields");
    JsonObject *field;

    g_assert_cmpuint (json_array_get_length (fields), ==, 1);
    field = json_array_get_object_element (fields, 0);
    g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, "city");
    g_assert_cmpstr (json_object_get_string_member (field, "attribute"), ==, "address1_city");
    g_assert_cmpstr (json_object_get_string_member (field, "caption"), ==, "City");
    g_assert_cmpstr (json_object_get_string_member (field, "erp_value"), ==, "ERP Side");
    g_assert_cmpstr (json_object_get_string_member (field, "sales_value"), ==, "Sales Side");
  }

  /* The user lets Sales win: the conflict is resolved. */
  g_assert_true (sb_sync_engine_sync_record_sync (fx->engine, "CUSTOMER", a->no,
                                                  SB_SYNC_DIRECTION_FROM_SALES, NULL, &error));
  g_assert_no_error (error);
  now = sb_customer_lookup (fx->store, a->no, &error);
  g_assert_cmpstr (now->city, ==, "Sales Side");
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);
  {
    g_autoptr (JsonNode) history =
        sb_sync_engine_get_history (fx->store, "CUSTOMER", a->no, 2, &error);
    JsonArray *h = json_node_get_array (history);

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 0), "action"),
                     ==, "resolved");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 1), "action"),
                     ==, "modified");
  }
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed + n.conflicts + n.modified, ==, 0);

  /* And the ERP wins, even with nothing changed. */
  g_assert_true (sb_sync_engine_sync_record_sync (fx->engine, "CUSTOMER", a->no,
                                                  SB_SYNC_DIRECTION_TO_SALES, NULL, NULL));
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Changed Again\"}");
  g_assert_true (sb_sync_engine_sync_record_sync (fx->engine, "CUSTOMER", a->no,
                                                  SB_SYNC_DIRECTION_TO_SALES, NULL, &error));
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Sales Side");

  g_clear_pointer (&row, json_object_unref);

  /* A one-way run of a mapping both ways still sees the conflict instead of overwriting. */
  g_clear_pointer (&now, sb_customer_free);
  now = sb_customer_lookup (fx->store, a->no, &error);
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Sales Third\"}");
  now->city = (g_free (now->city), g_strdup ("ERP Third"));
  g_assert_true (sb_customer_update (fx->store, now, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.conflicts, ==, 1);
  g_assert_cmpuint (n.modified, ==, 0);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Sales Third");
  /* Its Sales side was only read: a run from Sales still finds the change (and the conflict). */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_FROM_SALES);
  g_assert_cmpuint (n.conflicts, ==, 1);

  g_assert_false (sb_sync_engine_sync_record_sync (fx->engine, "CURRENCY", "XYZ",
                                                   SB_SYNC_DIRECTION_FROM_SALES, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED);
}

/* SALESPEOPLE couples by e-mail (case-insensitively) and never creates; sync all runs every
 * implemented mapping in order. */
static void
test_salespeople_and_all (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *user = sb_sandbox_server_dup_user_id (fx->server, SB_SANDBOX_SALES_CLIENT);
  g_autoptr (JsonObject) row = dv_get (fx, "systemusers", user);
  const char *email = sb_json_get_string (row, "internalemailaddress", NULL);
  g_autofree char *upper = NULL;
  g_autoptr (SbSalesperson) sp = sb_salesperson_new ();
  g_autoptr (SbSalesperson) nobody = sb_salesperson_new ();
  g_autoptr (SbSalesperson) after = NULL;
  g_autofree char *got = NULL;
  SbSyncCounters n;

  g_assert_nonnull (email);
  upper = g_utf8_strup (email, -1);
  sp->code = (g_free (sp->code), g_strdup ("SU"));
  sp->email = (g_free (sp->email), g_strdup (upper));
  sp->name = (g_free (sp->name), g_strdup ("Old Name"));
  sb_record_insert (fx->store, &sb_salesperson_record_type, sp, &error);
  g_assert_no_error (error);
  nobody->code = (g_free (nobody->code), g_strdup ("NB"));
  nobody->email = (g_free (nobody->email), g_strdup ("nobody@example.com"));
  nobody->name = (g_free (nobody->name), g_strdup ("Nobody"));
  g_assert_true (sb_record_insert (fx->store, &sb_salesperson_record_type, nobody, &error));
  g_assert_no_error (error);

  g_assert_true (sb_sync_engine_couple_match_sync (fx->engine, "SALESPEOPLE", &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.coupled, ==, 1);
  g_assert_cmpuint (n.inserted, ==, 0);
  g_assert_cmpuint (n.failed, ==, 1);
  got = coupled_id (fx, "SALESPEOPLE", "SU");
  g_assert_cmpstr (got, ==, user);

  add_currency (fx, "USD", "US dollar", "$");
  sb_sync_engine_sync_all_sync (fx->engine, NULL, &error);
  g_assert_no_error (error);
  /* The coupled salesperson took its name from Sales. */
  after = sb_code_record_lookup (fx->store, &sb_salesperson_record_type, "SU", &error);
  g_assert_cmpstr (after->name, ==, sb_json_get_string (row, "fullname", NULL));
}

/* The same round trip, reading Dataverse by modifiedon instead of change tracking. */
/* JSON, OData and HTTP always use the C conventions: with a decimal comma in the user's locale
 * the sandbox still seeds its demo data and decimals travel both ways unchanged. */
static void
test_decimal_comma_locale (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) demo = sb_sandbox_server_new ();
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) after = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id = NULL;
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  if (setlocale (LC_ALL, "sv_SE.UTF-8") == NULL)
    g_error ("The locale sv_SE.UTF-8 is missing: run tools/install-deps");
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");

  sb_sandbox_server_set_seed_demo (demo, TRUE);
  g_assert_true (sb_sandbox_server_start (demo, 0, &error));
  g_assert_no_error (error);
  sb_sandbox_server_stop (demo);

  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Komma AB", "Umeå", "");
  g_assert_true (sb_decimal_parse ("5000.5", &a->credit_limit, &error));
  g_assert_true (sb_customer_update (fx->store, a, &error));
  g_assert_no_error (error);
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  id = coupled_id (fx, "CUSTOMER", a->no);
  g_assert_nonnull (id);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpfloat (sb_json_get_double (row, "creditlimit", -1), ==, 5000.5);
  setlocale (LC_ALL, saved);
}

static void
test_modifiedon (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) c = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autoptr (JsonObject) row = NULL;
  SbSyncCounters n;

  sb_sync_engine_set_change_tracking (fx->engine, FALSE);
  set_only_coupled (fx, "CUSTOMER", FALSE);
  id = dv_create (fx, "accounts", "{\"name\": \"By Date\", \"customertypecode\": 3}");
  g_free (dv_create (fx, "accounts", "{\"name\": \"Not a customer\", \"customertypecode\": 1}"));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  {
    g_autoptr (SbSyncCoupling) k =
        sb_sync_coupling_find_dataverse (fx->store, "CUSTOMER", id, &error);
    g_assert_nonnull (k);
    key = g_strdup (k->erp_key);
  }
  /* Two changes within the same second are told apart by the row version. */
  dv_update (fx, "accounts", id, "{\"telephone1\": \"1\"}");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  dv_update (fx, "accounts", id, "{\"telephone1\": \"2\"}");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  c = sb_customer_lookup (fx->store, key, &error);
  g_assert_cmpstr (c->phone, ==, "2");
  /* No echo either way. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted + n.failed, ==, 0);
  c->city = (g_free (c->city), g_strdup ("Kalmar"));
  g_assert_true (sb_customer_update (fx->store, c, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted + n.failed, ==, 0);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Kalmar");
}

typedef struct
{
  GMainLoop *loop;
  guint n_progress;
  guint last_done;
  gboolean ok;
  SbSyncCounters counters;
  GError *error;
} AsyncRun;

static void
on_progress (SbSyncEngine *engine, const char *mapping, guint done, guint total, AsyncRun *a)
{
  g_assert_cmpstr (mapping, ==, "CUSTOMER");
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >, a->last_done);
  a->last_done = done;
  a->n_progress++;
}

static void
on_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRun *a = user_data;

  a->ok =
      sb_sync_engine_sync_mapping_finish (SB_SYNC_ENGINE (source), result, &a->counters, &a->error);
  g_main_loop_quit (a->loop);
}

static void
test_async (Fixture *fx, gconstpointer data)
{
  AsyncRun a = { g_main_loop_new (NULL, FALSE), 0, 0, FALSE, { 0 }, NULL };
  gulong handler;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("Async %u", i);
      g_autoptr (SbCustomer) c = add_customer (fx, name, "Västerås", "");
    }
  sb_sync_engine_set_batch_size (fx->engine, 5);
  handler = g_signal_connect (fx->engine, "progress", G_CALLBACK (on_progress), &a);
  sb_sync_engine_sync_mapping_async (fx->engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, NULL,
                                     on_synced, &a);
  g_main_loop_run (a.loop);
  /* Progress signals queued before the callback are delivered before it returns to us. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_no_error (a.error);
  g_assert_true (a.ok);
  g_assert_cmpuint (a.counters.inserted, ==, 12);
  g_assert_cmpuint (a.n_progress, ==, 3);
  g_assert_cmpuint (a.last_done, ==, 12);
  g_assert_cmpuint (dv_count (fx, "accounts", NULL, NULL), ==, 12);
  g_signal_handler_disconnect (fx->engine, handler);
  g_main_loop_unref (a.loop);
}

/* ---- history, field-by-field resolution, deletions ---------------------------------------- */

static JsonArray *
history_of (Fixture *fx, JsonNode **holder, const char *mapping, const char *key, guint limit)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (holder, json_node_unref);
  *holder = sb_sync_engine_get_history (fx->store, mapping, key, limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*holder);
  return json_node_get_array (*holder);
}

static const char *
history_string (JsonArray *history, guint i, const char *member)
{
  return json_object_get_string_member (json_array_get_object_element (history, i), member);
}

static const char *
history_field (JsonArray *history, guint i, const char *field)
{
  JsonObject *fields =
      json_object_get_object_member (json_array_get_object_element (history, i), "fields");

  return sb_json_get_string (fields, field, NULL);
}

static void
test_history (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autoptr (JsonNode) holder = NULL;
  g_autofree char *id = NULL;
  g_autofree char *upper = NULL;
  JsonArray *h;
  SbSyncCounters n;

  couple_currencies (fx);
  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "History AB", "Kiruna", "EUR");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  id = coupled_id (fx, "CUSTOMER", a->no);

  /* The creation, with what was sent (a lookup as its binding). */
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpuint (json_array_get_length (h), ==, 1);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "inserted");
  g_assert_cmpstr (history_string (h, 0, "direction"), ==, "to-sales");
  g_assert_cmpstr (history_field (h, 0, "name"), ==, "History AB");
  g_assert_cmpstr (history_field (h, 0, "address1_city"), ==, "Kiruna");
  g_assert_nonnull (
      strstr (history_field (h, 0, "transactioncurrencyid@odata.bind"), "transactioncurrencies("));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (h, 0), "job_id"), ==,
                   n.job_id);
  g_assert_nonnull (history_string (h, 0, "time"));

  /* A change in Sales: only the changed fields, in ERP terms; found by either key. */
  dv_update (fx, "accounts", id, "{\"address1_city\": \"Abisko\"}");
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  upper = g_ascii_strup (id, -1);
  h = history_of (fx, &holder, "customer", upper, 0);
  g_assert_cmpuint (json_array_get_length (h), ==, 2);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "modified");
  g_assert_cmpstr (history_string (h, 0, "direction"), ==, "from-sales");
  g_assert_cmpstr (history_field (h, 0, "city"), ==, "Abisko");
  g_assert_null (history_field (h, 0, "name"));
  g_assert_cmpstr (history_string (h, 1, "action"), ==, "inserted");

  /* Unchanged runs write nothing; --limit takes the newest. */
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  h = history_of (fx, &holder, "CUSTOMER", a->no, 1);
  g_assert_cmpuint (json_array_get_length (h), ==, 1);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "modified");

  /* Uncoupling and coupling by hand are recorded too. */
  g_assert_true (sb_sync_engine_uncouple_sync (fx->engine, "CUSTOMER", a->no, &error));
  g_assert_true (sb_sync_engine_couple_sync (fx->engine, "CUSTOMER", a->no, id, NULL, &error));
  g_assert_no_error (error);
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpuint (json_array_get_length (h), ==, 4);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "coupled");
  g_assert_cmpstr (history_string (h, 1, "action"), ==, "uncoupled");

  /* A failure is recorded with its message. */
  now = sb_customer_lookup (fx->store, a->no, &error);
  now->salesperson_code = (g_free (now->salesperson_code), g_strdup ("NOPE"));
  {
    g_autoptr (SbSalesperson) sp = sb_salesperson_new ();

    sp->code = (g_free (sp->code), g_strdup ("NOPE"));
    sp->name = (g_free (sp->name), g_strdup ("Not coupled"));
    g_assert_true (sb_record_insert (fx->store, &sb_salesperson_record_type, sp, &error));
  }
  g_assert_true (sb_customer_update (fx->store, now, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES);
  g_assert_cmpuint (n.failed, ==, 1);
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "failed");
  g_assert_nonnull (strstr (history_string (h, 0, "message"), "SALESPEOPLE"));

  /* Purging the log purges the history with it. */
  g_assert_true (sb_sync_engine_purge_log (fx->store, 30, &error));
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpuint (json_array_get_length (h), ==, 5);
  g_assert_true (sb_sync_engine_purge_log (fx->store, 0, &error));
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpuint (json_array_get_length (h), ==, 0);

  /* An unknown mapping is an error. */
  g_assert_null (sb_sync_engine_get_history (fx->store, "NOPE", a->no, 0, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNKNOWN_MAPPING);
}

/* A customer coupled both ways, then changed in city and phone on both sides. */
static gint64
make_update_conflict (Fixture *fx, SbCustomer **out_customer, char **out_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = NULL;
  SbCustomer *a;
  SbSyncCounters n;
  JsonObject *first;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Fields AB", "Gävle", "");
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  *out_id = coupled_id (fx, "CUSTOMER", a->no);
  dv_update (fx, "accounts", *out_id,
             "{\"address1_city\": \"Sales City\", \"telephone1\": \"+1 sales\","
             " \"fax\": \"sales fax\"}");
  a->city = (g_free (a->city), g_strdup ("ERP City"));
  a->phone = (g_free (a->phone), g_strdup ("+46 erp"));
  g_assert_true (sb_customer_update (fx->store, a, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.conflicts, ==, 1);
  list = sb_sync_engine_get_conflicts (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "dataverse_id"), ==, *out_id);
  /* fax differs too (only Sales changed it), so it is a field to choose. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "fields")), ==, 3);
  *out_customer = a;
  return json_object_get_int_member (first, "id");
}

static void
test_resolve_fields (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonNode) holder = NULL;
  g_autoptr (GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *id = NULL;
  gint64 conflict;
  JsonArray *h;
  SbSyncCounters n;

  conflict = make_update_conflict (fx, &a, &id);

  /* Every differing field needs a choice: nothing is written without. */
  g_hash_table_insert (choices, "city", GINT_TO_POINTER (SB_SYNC_DIRECTION_FROM_SALES));
  g_hash_table_insert (choices, "phone", GINT_TO_POINTER (SB_SYNC_DIRECTION_TO_SALES));
  g_assert_false (
      sb_sync_engine_resolve_conflict_sync (fx->engine, conflict, choices, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Fax"));
  g_clear_error (&error);
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "telephone1", NULL), ==, "+1 sales");
  g_clear_pointer (&row, json_object_unref);

  /* City from Sales, phone from the ERP, fax from Sales. */
  g_hash_table_insert (choices, "fax", GINT_TO_POINTER (SB_SYNC_DIRECTION_FROM_SALES));
  g_assert_true (
      sb_sync_engine_resolve_conflict_sync (fx->engine, conflict, choices, NULL, &error));
  g_assert_no_error (error);
  now = sb_customer_lookup (fx->store, a->no, &error);
  g_assert_cmpstr (now->city, ==, "Sales City");
  g_assert_cmpstr (now->phone, ==, "+46 erp");
  g_assert_cmpstr (now->fax, ==, "sales fax");
  row = dv_get (fx, "accounts", id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Sales City");
  g_assert_cmpstr (sb_json_get_string (row, "telephone1", NULL), ==, "+46 erp");
  g_assert_cmpstr (sb_json_get_string (row, "fax", NULL), ==, "sales fax");
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);

  /* Both markers moved on: the next run sees nothing to do, and nothing echoes. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted + n.failed + n.conflicts, ==, 0);

  /* History says what was kept. */
  h = history_of (fx, &holder, "CUSTOMER", a->no, 0);
  g_assert_cmpstr (history_string (h, 0, "action"), ==, "resolved");
  g_assert_cmpstr (history_string (h, 0, "direction"), ==, "both");
  g_assert_cmpstr (history_field (h, 0, "city"), ==, "Sales City");
  g_assert_cmpstr (history_field (h, 0, "phone"), ==, "+46 erp");
  g_assert_cmpstr (history_string (h, 1, "action"), ==, "conflict");

  /* Resolved once: a clear error the second time; an unknown number too. */
  g_assert_false (
      sb_sync_engine_resolve_conflict_sync (fx->engine, conflict, choices, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "already resolved"));
  g_clear_error (&error);
  g_assert_false (sb_sync_engine_resolve_conflict_sync (fx->engine, 9999, choices, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (sb_sync_engine_resolve_deletion_sync (fx->engine, conflict, TRUE, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT);
}

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
} Waiter;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static GAsyncResult *
wait_for (Waiter *w)
{
  g_main_loop_run (w->loop);
  return w->result;
}

/* The GUI's path: list, resolve and read the history on worker threads. A conflict whose
 * values agree by the time it is resolved needs no choice and writes nothing. */
static void
test_resolve_async (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) history = NULL;
  g_autofree char *id = NULL;
  Waiter w = { g_main_loop_new (NULL, FALSE), NULL };
  gint64 conflict;

  conflict = make_update_conflict (fx, &a, &id);
  sb_sync_engine_get_conflicts_async (fx->engine, NULL, on_done, &w);
  list = sb_sync_engine_get_conflicts_finish (fx->engine, wait_for (&w), &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);

  /* Sales takes the ERP's values meanwhile: nothing differs any more. */
  dv_update (fx, "accounts", id,
             "{\"address1_city\": \"ERP City\", \"telephone1\": \"+46 erp\", \"fax\": \"\"}");
  sb_sync_engine_resolve_conflict_async (fx->engine, conflict, NULL, NULL, on_done, &w);
  g_assert_true (sb_sync_engine_resolve_conflict_finish (fx->engine, wait_for (&w), &error));
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);
  now = sb_customer_lookup (fx->store, a->no, &error);
  g_assert_cmpstr (now->city, ==, "ERP City");

  sb_sync_engine_get_history_async (fx->engine, "CUSTOMER", a->no, 1, NULL, on_done, &w);
  history = sb_sync_engine_get_history_finish (fx->engine, wait_for (&w), &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_cmpstr (history_string (json_node_get_array (history), 0, "action"), ==, "resolved");

  /* Errors come back through _finish. */
  sb_sync_engine_resolve_deletion_async (fx->engine, conflict, FALSE, NULL, on_done, &w);
  g_assert_false (sb_sync_engine_resolve_deletion_finish (fx->engine, wait_for (&w), &error));
  g_clear_object (&w.result);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT);
  g_main_loop_unref (w.loop);
}

static gint64
only_conflict (Fixture *fx, const char *kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) list = sb_sync_engine_get_conflicts (fx->store, &error);
  JsonObject *first;

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, kind);
  g_assert_false (json_object_has_member (first, "fields"));
  return json_object_get_int_member (first, "id");
}

/* Deletions on either side follow the deletion policy (§4), and deletion conflicts are
 * resolved by restoring or uncoupling. */
static void
test_deletions (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) a = NULL;
  g_autoptr (SbCustomer) b = NULL;
  g_autoptr (SbCustomer) back = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonNode) holder = NULL;
  g_autofree char *a_id = NULL;
  g_autofree char *b_id = NULL;
  g_autofree char *a_key = NULL;
  g_autofree char *b_again = NULL;
  SbSyncCounters n;
  gint64 conflict;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  a = add_customer (fx, "Deleted in ERP AB", "Visby", "");
  b = add_customer (fx, "Deleted in Sales AB", "Luleå", "");
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  a_id = coupled_id (fx, "CUSTOMER", a->no);
  b_id = coupled_id (fx, "CUSTOMER", b->no);
  a_key = g_strdup (a->no);

  /* Policy none: an ERP deletion is a deletion conflict; the Sales row stays. */
  g_assert_true (sb_customer_delete (fx->store, a->no, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.conflicts, ==, 1);
  g_assert_cmpuint (n.failed, ==, 1);
  g_assert_cmpuint (dv_count (fx, "accounts", "accountnumber", a_key), ==, 1);
  /* The same conflict in the next run: skipped (restoring below takes it back). */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed, ==, 1);
  {
    g_autoptr (SbSyncCoupling) c = sb_sync_coupling_find_erp (fx->store, "CUSTOMER", a_key, &error);

    g_assert_true (c->skipped);
  }
  conflict = only_conflict (fx, "deletion");
  /* Restore: the ERP record comes back from Sales under its number, coupled as before. */
  g_assert_true (sb_sync_engine_resolve_deletion_sync (fx->engine, conflict, TRUE, NULL, &error));
  g_assert_no_error (error);
  back = sb_customer_lookup (fx->store, a_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "Deleted in ERP AB");
  g_assert_cmpstr (back->city, ==, "Visby");
  {
    g_autofree char *again = coupled_id (fx, "CUSTOMER", a_key);
    g_autoptr (SbSyncCoupling) c = sb_sync_coupling_find_erp (fx->store, "CUSTOMER", a_key, &error);

    g_assert_cmpstr (again, ==, a_id);
    g_assert_false (c->skipped);
  }
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);
  {
    JsonArray *h = history_of (fx, &holder, "CUSTOMER", a_key, 0);

    g_assert_cmpstr (history_string (h, 0, "action"), ==, "resolved");
    g_assert_cmpstr (history_string (h, 1, "action"), ==, "restored");
    g_assert_cmpstr (history_string (h, 1, "direction"), ==, "from-sales");
    g_assert_cmpstr (history_string (h, 2, "action"), ==, "conflict");
  }
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed + n.conflicts + n.inserted, ==, 0);

  /* Policy none: a Sales deletion is a deletion conflict too; restoring re-creates the row
   * under the same id. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", b_id, NULL, NULL, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.conflicts, ==, 1);
  conflict = only_conflict (fx, "deletion");
  g_assert_true (sb_sync_engine_resolve_deletion_sync (fx->engine, conflict, TRUE, NULL, &error));
  g_assert_no_error (error);
  row = dv_get (fx, "accounts", b_id);
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "Deleted in Sales AB");
  g_clear_pointer (&row, json_object_unref);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.failed + n.conflicts + n.inserted, ==, 0);

  /* Uncouple resolves a deletion conflict by removing the coupling. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", b_id, NULL, NULL, &error));
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  conflict = only_conflict (fx, "deletion");
  g_assert_true (sb_sync_engine_resolve_deletion_sync (fx->engine, conflict, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (coupled_id (fx, "CUSTOMER", b->no));
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);

  /* Policy restore: an ERP deletion re-creates the ERP record from Sales in the run. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_NONE, SB_SYNC_DELETION_RESTORE);
  g_assert_true (sb_customer_delete (fx->store, a_key, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.conflicts + n.failed, ==, 0);
  g_clear_pointer (&back, sb_customer_free);
  back = sb_customer_lookup (fx->store, a_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->city, ==, "Visby");

  /* Policy restore: a Sales deletion re-creates the row under the same id in the run. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", a_id, NULL, NULL, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.conflicts + n.failed, ==, 0);
  row = dv_get (fx, "accounts", a_id);
  g_assert_cmpstr (sb_json_get_string (row, "address1_city", NULL), ==, "Visby");
  g_clear_pointer (&row, json_object_unref);

  /* Policy remove coupling: either deletion uncouples. */
  set_policies (fx, "CUSTOMER", SB_SYNC_CONFLICT_NONE, SB_SYNC_DELETION_REMOVE_COUPLING);
  g_assert_true (sb_customer_delete (fx->store, a_key, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.uncoupled, ==, 1);
  g_assert_null (coupled_id (fx, "CUSTOMER", a_key));
  g_assert_cmpuint (dv_count (fx, "accounts", "accountnumber", a_key), ==, 1);
  g_clear_pointer (&b, sb_customer_free);
  b = add_customer (fx, "Sales deletes me AB", "Kalmar", "");
  sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  b_again = coupled_id (fx, "CUSTOMER", b->no);
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", b_again, NULL, NULL, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.uncoupled, ==, 1);
  g_assert_null (coupled_id (fx, "CUSTOMER", b->no));
  g_clear_pointer (&back, sb_customer_free);
  back = sb_customer_lookup (fx->store, b->no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (open_conflicts (fx, "CUSTOMER"), ==, 0);
}

static SbOpportunity *
find_opportunity (Fixture *fx, const char *no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbOpportunity) probe = sb_opportunity_new ();
  SbOpportunity *o;

  probe->no = (g_free (probe->no), g_strdup (no));
  o = sb_record_lookup (fx->store, &sb_opportunity_record_type, probe, &error);
  g_assert_no_error (error);
  return o;
}

/* OPPORTUNITY ↔ opportunity (§1): fields, the contact and its company as lookups, uncoupled
 * records both ways, and the status coming back from Sales. */
static void
test_opportunity (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (SbContact) contact = sb_contact_new ();
  g_autoptr (SbOpportunity) o = sb_opportunity_new ();
  g_autoptr (SbOpportunity) after = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (GPtrArray) couplings = NULL;
  g_autofree char *account = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *opp_id = NULL;
  g_autofree char *from_sales = NULL;
  SbSyncCounters n;

  customer = add_customer (fx, "Opportunity AB", "Borås", "");
  account =
      sb_sync_engine_create_in_sales_sync (fx->engine, "CUSTOMER", customer->no, NULL, &error);
  g_assert_no_error (error);
  contact->first_name = (g_free (contact->first_name), g_strdup ("Olle"));
  contact->surname = (g_free (contact->surname), g_strdup ("Olsson"));
  contact->company_no = (g_free (contact->company_no), g_strdup (customer->no));
  g_assert_true (sb_contact_insert (fx->store, contact, &error));
  contact_id =
      sb_sync_engine_create_in_sales_sync (fx->engine, "CONTACT", contact->no, NULL, &error);
  g_assert_no_error (error);

  o->no = (g_free (o->no), g_strdup ("OPP1"));
  o->description = (g_free (o->description), g_strdup ("Forty forklifts"));
  o->contact_no = (g_free (o->contact_no), g_strdup (contact->no));
  o->status = SB_OPPORTUNITY_IN_PROGRESS;
  o->estimated_value = sb_decimal_from_int (12000);
  o->estimated_closing_date = (g_free (o->estimated_closing_date), g_strdup ("2026-12-31"));
  g_assert_true (sb_record_insert (fx->store, &sb_opportunity_record_type, o, &error));
  g_assert_no_error (error);

  /* ERP → Sales: uncoupled opportunities are created (the default), with their lookups. */
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  opp_id = coupled_id (fx, "OPPORTUNITY", "OPP1");
  g_assert_nonnull (opp_id);
  row = dv_get (fx, "opportunities", opp_id);
  g_assert_cmpstr (sb_json_get_string (row, "name", NULL), ==, "Forty forklifts");
  g_assert_cmpstr (sb_json_get_lookup (row, "parentcontactid"), ==, contact_id);
  g_assert_cmpstr (sb_json_get_lookup (row, "parentaccountid"), ==, account);
  g_assert_cmpfloat (sb_json_get_double (row, "estimatedvalue", 0), ==, 12000);
  g_assert_nonnull (strstr (sb_json_get_string (row, "estimatedclosedate", ""), "2026-12-31"));
  g_assert_cmpint (sb_json_get_int (row, "statecode", -1), ==, 0);
  g_clear_pointer (&row, json_object_unref);

  /* An ERP change goes to Sales; a Sales change of the name comes back. */
  o->estimated_value = sb_decimal_from_int (15000);
  g_assert_true (sb_record_update (fx->store, &sb_opportunity_record_type, o, &error));
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  row = dv_get (fx, "opportunities", opp_id);
  g_assert_cmpfloat (sb_json_get_double (row, "estimatedvalue", 0), ==, 15000);
  g_clear_pointer (&row, json_object_unref);
  dv_update (fx, "opportunities", opp_id, "{\"name\": \"Forty-two forklifts\"}");
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  after = find_opportunity (fx, "OPP1");
  g_assert_cmpstr (after->description, ==, "Forty-two forklifts");
  g_assert_cmpint (after->status, ==, SB_OPPORTUNITY_IN_PROGRESS);
  g_clear_pointer (&after, sb_opportunity_free);

  /* Won in Sales: the ERP opportunity is Won; nothing echoes. */
  dv_update (fx, "opportunities", opp_id, "{\"statecode\": 1, \"statuscode\": 3}");
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  after = find_opportunity (fx, "OPP1");
  g_assert_cmpint (after->status, ==, SB_OPPORTUNITY_WON);
  g_clear_pointer (&after, sb_opportunity_free);
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted + n.failed, ==, 0);

  /* Sales → ERP: an uncoupled Sales opportunity becomes an ERP one, numbered from its id. */
  from_sales = dv_create (fx, "opportunities",
                          "{\"name\": \"Service contract\", \"estimatedvalue\": 500,"
                          " \"estimatedclosedate\": \"2027-01-15\"}");
  n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  couplings = sb_sync_coupling_list (fx->store, "OPPORTUNITY", &error);
  g_assert_cmpuint (couplings->len, ==, 2);
  for (guint i = 0; i < couplings->len; i++)
    {
      SbSyncCoupling *c = couplings->pdata[i];

      if (g_strcmp0 (c->dataverse_id, from_sales) != 0)
        continue;
      g_assert_true (g_str_has_prefix (c->erp_key, "OP"));
      after = find_opportunity (fx, c->erp_key);
      g_assert_cmpstr (after->description, ==, "Service contract");
      g_assert_cmpint (after->estimated_value, ==, sb_decimal_from_int (500));
      g_assert_cmpstr (after->estimated_closing_date, ==, "2027-01-15");
    }
  g_assert_nonnull (after);

  /* A contact whose company is not coupled: a clear failure naming the mapping to couple. */
  {
    g_autoptr (SbCustomer) lonely = add_customer (fx, "Lonely AB", "Ystad", "");
    g_autoptr (SbContact) p = sb_contact_new ();
    g_autoptr (SbOpportunity) o2 = sb_opportunity_new ();
    g_autoptr (SbSyncCoupling) c = NULL;

    p->first_name = (g_free (p->first_name), g_strdup ("Lo"));
    p->company_no = (g_free (p->company_no), g_strdup (lonely->no));
    g_assert_true (sb_contact_insert (fx->store, p, &error));
    o2->no = (g_free (o2->no), g_strdup ("OPP2"));
    o2->description = (g_free (o2->description), g_strdup ("Lonely deal"));
    o2->contact_no = (g_free (o2->contact_no), g_strdup (p->no));
    g_assert_true (sb_record_insert (fx->store, &sb_opportunity_record_type, o2, &error));
    n = sync_run (fx, "OPPORTUNITY", SB_SYNC_DIRECTION_TO_SALES);
    g_assert_cmpuint (n.failed, ==, 1);
    c = sb_sync_coupling_find_erp (fx->store, "OPPORTUNITY", "OPP2", &error);
    g_assert_nonnull (c);
    g_assert_nonnull (strstr (c->last_error, "CONTACT"));
  }

  /* A contact of a blocked customer, whom the CUSTOMER mapping's filter leaves out: the message
   * says so rather than to couple the customer first. */
  {
    g_autoptr (SbCustomer) blocked = add_customer (fx, "Closed AB", "Lund", "");
    g_autoptr (SbContact) p = sb_contact_new ();
    g_autoptr (SbSyncCoupling) c = NULL;
    g_autofree char *sql = g_strdup_printf ("UPDATE customer SET blocked = 1 WHERE no = '%s';"
                                            " UPDATE integration_table_mapping SET only_coupled = 0"
                                            " WHERE name = 'CONTACT'",
                                            blocked->no);

    g_assert_true (sb_store_exec (fx->store, sql, &error));
    p->first_name = (g_free (p->first_name), g_strdup ("Bo"));
    p->company_no = (g_free (p->company_no), g_strdup (blocked->no));
    g_assert_true (sb_contact_insert (fx->store, p, &error));
    n = sync_run (fx, "CONTACT", SB_SYNC_DIRECTION_TO_SALES);
    g_assert_cmpuint (n.failed, >=, 1);
    g_assert_cmpuint (n.failed_to_sales, ==, n.failed);
    g_assert_cmpuint (n.failed_from_sales, ==, 0);
    c = sb_sync_coupling_find_erp (fx->store, "CONTACT", p->no, &error);
    g_assert_nonnull (c);
    g_assert_nonnull (strstr (c->last_error, "left out of the CUSTOMER mapping by its filter"));
  }
}

/* CUSTOMER primarycontactid (§1): the contact person named in Contact, through the CONTACT
 * coupling both ways; cleared while that person is not coupled. */
static void
test_primary_contact (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (SbCustomer) after = NULL;
  g_autoptr (SbContact) anna = sb_contact_new ();
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *account = NULL;
  g_autofree char *anna_id = NULL;
  g_autofree char *bo_id = NULL;
  g_autofree char *bo_no = NULL;
  g_autofree char *json = NULL;
  SbSyncCounters n;

  set_only_coupled (fx, "CUSTOMER", FALSE);
  customer = add_customer (fx, "Primary AB", "Falun", "");
  customer->contact = (g_free (customer->contact), g_strdup ("Anna Berg"));
  g_assert_true (sb_customer_update (fx->store, customer, &error));
  anna->first_name = (g_free (anna->first_name), g_strdup ("Anna"));
  anna->surname = (g_free (anna->surname), g_strdup ("Berg"));
  anna->company_no = (g_free (anna->company_no), g_strdup (customer->no));
  g_assert_true (sb_contact_insert (fx->store, anna, &error));

  /* The customer goes first: its contact person is not coupled yet, so no primary contact. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_assert_cmpuint (n.failed, ==, 0);
  account = coupled_id (fx, "CUSTOMER", customer->no);
  row = dv_get (fx, "accounts", account);
  g_assert_null (sb_json_get_lookup (row, "primarycontactid"));
  g_assert_cmpstr (sb_json_get_string (row, "address1_primarycontactname", NULL), ==, "Anna Berg");
  g_clear_pointer (&row, json_object_unref);

  /* Once the person is coupled, the next transfer of the customer names it. */
  set_only_coupled (fx, "CONTACT", FALSE);
  n = sync_run (fx, "CONTACT", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  anna_id = coupled_id (fx, "CONTACT", anna->no);
  customer->city = (g_free (customer->city), g_strdup ("Mora"));
  g_assert_true (sb_customer_update (fx->store, customer, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  row = dv_get (fx, "accounts", account);
  g_assert_cmpstr (sb_json_get_lookup (row, "primarycontactid"), ==, anna_id);
  g_clear_pointer (&row, json_object_unref);

  /* Sales makes another coupled person the primary contact: the Contact follows. */
  json = g_strdup_printf ("{\"firstname\": \"Bo\", \"lastname\": \"Ek\", "
                          "\"parentcustomerid_account@odata.bind\": \"/accounts(%s)\"}",
                          account);
  bo_id = dv_create (fx, "contacts", json);
  n = sync_run (fx, "CONTACT", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.inserted, ==, 1);
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"primarycontactid@odata.bind\": \"/contacts(%s)\"}", bo_id);
  dv_update (fx, "accounts", account, json);
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  after = sb_customer_lookup (fx->store, customer->no, &error);
  g_assert_cmpstr (after->contact, ==, "Bo Ek");
  /* … and nothing echoes back. */
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified + n.inserted + n.failed, ==, 0);

  /* A Contact naming nobody coupled clears the primary contact in Sales. */
  after->contact = (g_free (after->contact), g_strdup ("Nobody Known"));
  g_assert_true (sb_customer_update (fx->store, after, &error));
  n = sync_run (fx, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_cmpuint (n.modified, ==, 1);
  row = dv_get (fx, "accounts", account);
  g_assert_null (sb_json_get_lookup (row, "primarycontactid"));
  g_assert_cmpstr (sb_json_get_string (row, "address1_primarycontactname", NULL), ==,
                   "Nobody Known");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, faults)                                                                    \
  g_test_add (path, Fixture, faults, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/engine/mappings", test_mappings, NULL);
  ADD ("/sync/engine/customer-both-ways", test_customer_both_ways, NULL);
  ADD ("/sync/engine/create-in-erp", test_from_sales_create_and_uncouple, NULL);
  ADD ("/sync/engine/conflicts", test_conflicts, NULL);
  ADD ("/sync/engine/products-contacts-salespeople", test_products_contacts_salespeople, NULL);
  ADD ("/sync/engine/match", test_match, NULL);
  ADD ("/sync/engine/match-in-bulk", test_match_in_bulk, NULL);
  ADD ("/sync/engine/async", test_async, NULL);
  ADD ("/sync/engine/sync-now", test_sync_now, NULL);
  ADD ("/sync/engine/modifiedon", test_modifiedon, NULL);
  ADD ("/sync/engine/decimal-comma-locale", test_decimal_comma_locale, NULL);
  ADD ("/sync/engine/salespeople-and-all", test_salespeople_and_all, NULL);
  ADD ("/sync/engine/idempotent-creation", test_idempotent_creation, NULL);
  ADD ("/sync/engine/history", test_history, NULL);
  ADD ("/sync/engine/resolve-fields", test_resolve_fields, NULL);
  ADD ("/sync/engine/resolve-async", test_resolve_async, NULL);
  ADD ("/sync/engine/deletions", test_deletions, NULL);
  ADD ("/sync/engine/opportunity", test_opportunity, NULL);
  ADD ("/sync/engine/primary-contact", test_primary_contact, NULL);
  ADD ("/sync/engine/faulty-sandbox", test_faulty_sandbox, "429=0.02,503=0.03,drop=0.15,seed=7");
  return g_test_run ();
}
