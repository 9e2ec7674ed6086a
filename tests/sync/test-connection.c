/* test-connection.c: connection setup, the keyring and "Test connection" against real peers: a
 * SQLite file in a temporary directory, gnome-keyring-daemon on a private session bus and the
 * in-process sandbox over HTTP on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "sb-connection-check.h"
#include "sb-connection-manager.h"
#include "sb-core-error.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-sync-error.h"
#include "sbs-keyring.h"

#define ADMIN_CLIENT "admin-client"
#define OTHER_CLIENT "other-client"
#define TENANT "contoso.onmicrosoft.com"

typedef struct
{
  char *dir;
  char *db_path;
  SbStore *store;
  SbConnectionManager *manager;
  SbSandboxServer *server;
  const char *base;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  fx->dir = g_dir_make_tmp ("salesbridge-connection-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fx->manager = sb_connection_manager_new (fx->store);

  /* The sandbox's base currency; without --seed-demo it has no other. */
  general = sb_general_setup_get (fx->store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (fx->store, general, &error));
  g_assert_no_error (error);

  fx->server = sb_sandbox_server_new ();
  sb_sandbox_server_add_client (fx->server, ADMIN_CLIENT, SB_SANDBOX_DEFAULT_SECRET, "Avery Admin");
  sb_sandbox_server_add_client (fx->server, OTHER_CLIENT, SB_SANDBOX_DEFAULT_SECRET,
                                "Dana Disabled");
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = sb_sandbox_server_get_base_url (fx->server);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->store, &error);

  /* Leave the keyring empty for the next test. */
  g_assert_no_error (error);
  g_assert_true (sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url,
                                             setup->client_id, NULL, &error));
  g_assert_no_error (error);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  g_clear_object (&fx->manager);
  g_clear_object (&fx->store);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

/* Saves settings for the sandbox as @client_id with @secret (NULL: keep). */
static void
configure (Fixture *fx, const char *url, const char *client_id, const char *secret,
           gboolean solution_deployed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->store, &error);

  g_assert_no_error (error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup (url);
  g_free (setup->authority);
  setup->authority = g_strdup (url); /* the sandbox is its own sign-in service */
  g_free (setup->tenant);
  setup->tenant = g_strdup (TENANT);
  g_free (setup->client_id);
  setup->client_id = g_strdup (client_id);
  setup->solution_deployed = solution_deployed;
  g_assert_true (sb_connection_manager_save_sync (fx->manager, setup, secret, NULL, NULL, &error));
  g_assert_no_error (error);
}

static SbConnectionCheck *
run_check (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  SbConnectionCheck *check = sb_connection_manager_create_check (fx->manager, &error);

  g_assert_no_error (error);
  sb_connection_check_set_retry_policy (check, 2, 10, 50, 1000);
  g_assert_true (sb_connection_check_run_sync (check, NULL, &error));
  g_assert_no_error (error);
  return check;
}

static void
assert_result (SbConnectionCheck *check, SbConnectionCheckId id, SbCheckResult result,
               const char *fragment)
{
  const char *message = sb_connection_check_get_message (check, id);

  g_test_message ("%s: %s", sb_connection_check_get_title (id), message);
  if (sb_connection_check_get_result (check, id) != result)
    g_error ("check “%s” ended %d, not %d: %s", sb_connection_check_get_title (id),
             sb_connection_check_get_result (check, id), result, message);
  g_assert_nonnull (message);
  if (fragment != NULL && strstr (message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", message, fragment);
}

/* Every check after @failed is skipped (except the independent ones). */
static void
assert_fails_at (SbConnectionCheck *check, SbConnectionCheckId failed, const char *fragment)
{
  g_assert_false (sb_connection_check_get_passed (check));
  g_assert_cmpint (sb_connection_check_get_first_failure (check), ==, failed);
  assert_result (check, failed, SB_CHECK_RESULT_FAILED, fragment);
  for (guint i = 0; i < failed; i++)
    assert_result (check, i, SB_CHECK_RESULT_PASSED, NULL);
  if (failed <= SB_CONNECTION_CHECK_WHO_AM_I)
    for (guint i = failed + 1; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
      assert_result (check, i, SB_CHECK_RESULT_SKIPPED, "earlier check failed");
}

static SbDataverseConnection *
admin_connection (Fixture *fx)
{
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                    "tenant", TENANT, "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_setup_round_trip (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->store, &error);
  g_autoptr (SbConnectionSetup) again = NULL;
  g_autoptr (SbStore) reopened = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (setup->authority, ==, "https://login.microsoftonline.com/");
  g_assert_cmpstr (setup->api_version, ==, "9.2");
  g_assert_false (setup->is_enabled);
  g_assert_cmpstr (setup->sales_url, ==, "");
  g_assert_cmpstr (setup->last_test_at, ==, "");

  g_free (setup->sales_url);
  setup->sales_url = g_strdup ("https://contoso.crm4.dynamics.com/");
  g_free (setup->tenant);
  setup->tenant = g_strdup ("8a7c1f2e-0b4d-4c6e-9f10-2a3b4c5d6e7f");
  g_free (setup->client_id);
  setup->client_id = g_strdup ("11111111-2222-3333-4444-555555555555");
  g_free (setup->api_version);
  setup->api_version = g_strdup ("9.1");
  setup->sales_order_integration = TRUE;
  setup->auto_create_sales_orders = TRUE;
  setup->auto_process_sales_quotes = TRUE;
  setup->item_availability_enabled = TRUE;
  g_free (setup->item_availability_url);
  setup->item_availability_url = g_strdup ("https://erp.example.com/availability");
  g_free (setup->item_availability_user);
  setup->item_availability_user = g_strdup ("SALESBRIDGE");
  g_free (setup->erp_web_client_url);
  setup->erp_web_client_url = g_strdup ("https://erp.example.com/");
  setup->solution_deployed = TRUE;
  g_assert_true (sb_connection_setup_update (fx->store, setup, &error));
  g_assert_no_error (error);

  g_clear_object (&fx->manager);
  g_clear_object (&fx->store);
  reopened = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  again = sb_connection_setup_get (reopened, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->sales_url, ==, "https://contoso.crm4.dynamics.com/");
  g_assert_cmpstr (again->tenant, ==, "8a7c1f2e-0b4d-4c6e-9f10-2a3b4c5d6e7f");
  g_assert_cmpstr (again->client_id, ==, "11111111-2222-3333-4444-555555555555");
  g_assert_cmpstr (again->api_version, ==, "9.1");
  g_assert_true (again->sales_order_integration);
  g_assert_true (again->auto_create_sales_orders);
  g_assert_true (again->auto_process_sales_quotes);
  g_assert_true (again->item_availability_enabled);
  g_assert_cmpstr (again->item_availability_url, ==, "https://erp.example.com/availability");
  g_assert_cmpstr (again->item_availability_user, ==, "SALESBRIDGE");
  g_assert_cmpstr (again->erp_web_client_url, ==, "https://erp.example.com/");
  g_assert_true (again->solution_deployed);
  g_assert_false (again->is_enabled);
  fx->store = g_steal_pointer (&reopened);
  fx->manager = sb_connection_manager_new (fx->store);
}

static void
assert_invalid (SbConnectionSetup *setup, const char *fragment)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (sb_connection_setup_validate (setup, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
}

#define SET(field, value)                                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_free (s->field);                                                                             \
    s->field = g_strdup (value);                                                                   \
  }                                                                                                \
  G_STMT_END

static void
test_setup_validation (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) s = sb_connection_setup_get (fx->store, &error);

  g_assert_no_error (error);
  g_assert_true (sb_connection_setup_validate (s, NULL));

  SET (sales_url, "http://contoso.crm4.dynamics.com/");
  assert_invalid (s, "https://");
  SET (sales_url, "contoso.crm4.dynamics.com");
  assert_invalid (s, "not a web address");
  SET (sales_url, "ftp://contoso.crm4.dynamics.com/");
  assert_invalid (s, "not a web address");
  SET (sales_url, "http://127.0.0.1:8181/");
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (sales_url, "http://localhost:8181/");
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (sales_url, "http://[::1]:8181/");
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (sales_url, "https://contoso.crm4.dynamics.com/");
  g_assert_true (sb_connection_setup_validate (s, NULL));

  SET (authority, "http://login.example.com/");
  assert_invalid (s, "Authority");
  SET (authority, "https://login.microsoftonline.com/");

  SET (tenant, "contoso onmicrosoft");
  assert_invalid (s, "tenant");
  SET (tenant, "contoso.onmicrosoft.com");
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (tenant, "8a7c1f2e-0b4d-4c6e-9f10-2a3b4c5d6e7f");
  g_assert_true (sb_connection_setup_validate (s, NULL));

  /* Entra ID's client ids are GUIDs; only a local test server has names. */
  SET (client_id, "salesbridge-integration");
  assert_invalid (s, "client ID");
  SET (client_id, "11111111-2222-3333-4444-55555555555");
  assert_invalid (s, "client ID");
  SET (client_id, "11111111-2222-3333-4444-555555555555");
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (sales_url, "http://127.0.0.1:8181/");
  SET (client_id, "salesbridge-integration");
  g_assert_true (sb_connection_setup_validate (s, NULL));

  SET (api_version, "v9");
  assert_invalid (s, "API version");
  SET (api_version, "9.2");

  s->item_availability_enabled = TRUE;
  assert_invalid (s, "Item Availability URL");
  SET (item_availability_url, "http://erp.example.com/ws");
  assert_invalid (s, "not encrypted");
  SET (item_availability_url, "https://erp.example.com/ws");
  g_assert_true (sb_connection_setup_validate (s, NULL));

  /* Enabling needs the URL, the client id and the tenant. */
  s->is_enabled = TRUE;
  g_assert_true (sb_connection_setup_validate (s, NULL));
  SET (client_id, "");
  assert_invalid (s, "client ID");
  SET (client_id, "salesbridge-integration");
  SET (sales_url, "");
  assert_invalid (s, "Dynamics 365 Sales URL");

  /* The store refuses what validation refuses. */
  g_assert_false (sb_connection_setup_update (fx->store, s, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
}

static void
test_secret_store (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *url = "https://contoso.crm4.dynamics.com/";
  char *secret;

  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (
      sb_secret_store_save_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", "alpha", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sb_secret_store_save_sync (SB_SECRET_ITEM_AVAILABILITY_KEY, url, "client-a", "key",
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      sb_secret_store_save_sync (SB_SECRET_CLIENT_SECRET, url, "client-b", "beta", NULL, &error));
  g_assert_no_error (error);

  /* Kind, URL and account each tell secrets apart. */
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error);
  g_assert_cmpstr (secret, ==, "alpha");
  sb_secret_store_free (secret);
  secret =
      sb_secret_store_lookup_sync (SB_SECRET_ITEM_AVAILABILITY_KEY, url, "client-a", NULL, &error);
  g_assert_cmpstr (secret, ==, "key");
  sb_secret_store_free (secret);
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, url, "client-b", NULL, &error);
  g_assert_cmpstr (secret, ==, "beta");
  sb_secret_store_free (secret);
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, "https://other.example.com/",
                                        "client-a", NULL, &error);
  g_assert_null (secret);

  /* Saving again replaces. */
  g_assert_true (
      sb_secret_store_save_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", "gamma", NULL, &error));
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error);
  g_assert_cmpstr (secret, ==, "gamma");
  sb_secret_store_free (secret);

  g_assert_true (
      sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error));
  g_assert_true (
      sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (
      sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (
      sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, url, "client-b", NULL, &error));
  g_assert_true (
      sb_secret_store_clear_sync (SB_SECRET_ITEM_AVAILABILITY_KEY, url, "client-a", NULL, &error));
  g_assert_no_error (error);
}

static void
got_result_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_secret_store_async (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) saved = NULL, looked_up = NULL, cleared = NULL, again = NULL;
  const char *url = "https://contoso.crm4.dynamics.com/";
  char *secret;

  sb_secret_store_save_async (SB_SECRET_CLIENT_SECRET, url, "client-a", "async", NULL,
                              got_result_cb, &saved);
  g_assert_true (sb_secret_store_save_finish (wait_for_result (&saved), &error));
  g_assert_no_error (error);
  sb_secret_store_lookup_async (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, got_result_cb,
                                &looked_up);
  secret = sb_secret_store_lookup_finish (wait_for_result (&looked_up), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "async");
  sb_secret_store_free (secret);
  sb_secret_store_clear_async (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, got_result_cb,
                               &cleared);
  g_assert_true (sb_secret_store_clear_finish (wait_for_result (&cleared), &error));
  g_assert_no_error (error);
  sb_secret_store_lookup_async (SB_SECRET_CLIENT_SECRET, url, "client-a", NULL, got_result_cb,
                                &again);
  g_assert_null (sb_secret_store_lookup_finish (wait_for_result (&again), &error));
  g_assert_no_error (error);
}

/* The secret goes to the keyring only: never a byte of it in the database or its WAL. */
static void
test_secret_not_in_database (Fixture *fx, gconstpointer data)
{
  const char *secret = "Zq8~never-in-sqlite-7Yw";
  const char *key = "access-key-never-in-sqlite-41";
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autofree char *wal = g_strconcat (fx->db_path, "-wal", NULL);
  gboolean has = FALSE;
  char *found;

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, secret, FALSE);
  setup = sb_connection_setup_get (fx->store, &error);
  g_assert_no_error (error);
  setup->item_availability_enabled = TRUE;
  g_free (setup->item_availability_url);
  setup->item_availability_url = g_strdup ("https://erp.example.com/ws");
  g_free (setup->item_availability_user);
  setup->item_availability_user = g_strdup ("WS-USER");
  g_assert_true (sb_connection_manager_save_sync (fx->manager, setup, NULL, key, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (sb_connection_manager_has_client_secret_sync (fx->manager, &has, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has);
  found = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                       SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error);
  g_assert_cmpstr (found, ==, secret);
  sb_secret_store_free (found);
  found = sb_secret_store_lookup_sync (SB_SECRET_ITEM_AVAILABILITY_KEY,
                                       "https://erp.example.com/ws", "WS-USER", NULL, &error);
  g_assert_cmpstr (found, ==, key);
  sb_secret_store_free (found);

  g_clear_object (&fx->manager);
  g_clear_object (&fx->store); /* checkpoints the WAL into the file */
  g_assert_false (sbs_file_contains (fx->db_path, secret));
  g_assert_false (sbs_file_contains (fx->db_path, key));
  g_assert_true (sbs_file_contains (fx->db_path, "WS-USER")); /* the grep does work */
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_false (sbs_file_contains (wal, secret));
  fx->store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  fx->manager = sb_connection_manager_new (fx->store);

  /* A new client id takes the stored secret along; the old item goes. */
  configure (fx, fx->base, ADMIN_CLIENT, NULL, FALSE);
  found =
      sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base, ADMIN_CLIENT, NULL, &error);
  g_assert_cmpstr (found, ==, secret);
  sb_secret_store_free (found);
  g_assert_null (sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                              SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error));
  g_assert_no_error (error);

  /* The same without blocking: secrets on a worker thread, the row on this one. */
  {
    g_autoptr (GAsyncResult) result = NULL;

    g_clear_pointer (&setup, sb_connection_setup_free);
    setup = sb_connection_setup_get (fx->store, &error);
    g_free (setup->client_id);
    setup->client_id = g_strdup (SB_SANDBOX_SALES_CLIENT);
    sb_connection_manager_save_async (fx->manager, setup, "async-secret", NULL, NULL, got_result_cb,
                                      &result);
    g_assert_true (
        sb_connection_manager_save_finish (fx->manager, wait_for_result (&result), &error));
    g_assert_no_error (error);
    found = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base, SB_SANDBOX_SALES_CLIENT,
                                         NULL, &error);
    g_assert_cmpstr (found, ==, "async-secret");
    sb_secret_store_free (found);
    g_assert_null (sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base, ADMIN_CLIENT,
                                                NULL, &error));
    g_clear_pointer (&setup, sb_connection_setup_free);
    setup = sb_connection_setup_get (fx->store, &error);
    g_assert_cmpstr (setup->client_id, ==, SB_SANDBOX_SALES_CLIENT);
  }

  /* An empty secret removes it. */
  configure (fx, fx->base, ADMIN_CLIENT, "", FALSE);
  g_assert_null (sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                              SB_SANDBOX_SALES_CLIENT, NULL, &error));
  g_assert_true (sb_connection_manager_has_client_secret_sync (fx->manager, &has, NULL, &error));
  g_assert_false (has);
  g_assert_true (sb_secret_store_clear_sync (
      SB_SECRET_ITEM_AVAILABILITY_KEY, "https://erp.example.com/ws", "WS-USER", NULL, &error));
}

static void
count_cb (SbConnectionCheck *check, guint id, gpointer user_data)
{
  GArray *seen = user_data;

  /* The result is there when the signal comes. */
  g_assert_cmpint (sb_connection_check_get_result (check, id), !=, SB_CHECK_RESULT_PENDING);
  g_array_append_val (seen, id);
}

static void
test_check_passes (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GArray) seen = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autofree char *user_id =
      sb_sandbox_server_dup_user_id (fx->server, SB_SANDBOX_INTEGRATION_CLIENT);

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET, TRUE);
  check = sb_connection_manager_create_check (fx->manager, &error);
  g_assert_no_error (error);
  g_signal_connect (check, "check-finished", G_CALLBACK (count_cb), seen);
  sb_connection_manager_test_async (fx->manager, check, NULL, got_result_cb, &result);
  g_assert_true (
      sb_connection_manager_test_finish (fx->manager, wait_for_result (&result), &error));
  g_assert_no_error (error);

  /* Every check reported once, in order, on this thread. */
  g_assert_cmpuint (seen->len, ==, SB_CONNECTION_CHECK_N_CHECKS);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpuint (g_array_index (seen, guint, i), ==, i);
  g_assert_true (sb_connection_check_get_passed (check));
  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    assert_result (check, i, SB_CHECK_RESULT_PASSED, NULL);
  assert_result (check, SB_CONNECTION_CHECK_INTEGRATION_ROLES, SB_CHECK_RESULT_PASSED,
                 SB_ROLE_INTEGRATION_USER);
  assert_result (check, SB_CONNECTION_CHECK_LOCAL_CURRENCY, SB_CHECK_RESULT_PASSED, "USD");
  g_assert_cmpstr (sb_connection_check_get_user_id (check), ==, user_id);
  g_assert_cmpstr (sb_connection_check_get_user_name (check), ==, "Salesbridge Integration");

  /* A passed test is remembered. */
  setup = sb_connection_setup_get (fx->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (setup->last_test_at, "20"));
  g_assert_false (setup->is_enabled);
}

static void
test_check_wrong_secret (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GError) error = NULL;

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, "not-the-secret", TRUE);
  check = sb_connection_manager_create_check (fx->manager, &error);
  g_assert_true (sb_connection_manager_test_sync (fx->manager, check, NULL, &error) == FALSE);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED);
  g_assert_nonnull (strstr (error->message, "client secret was refused"));
  assert_fails_at (check, SB_CONNECTION_CHECK_SIGN_IN, "create a new client secret");

  /* A failed test leaves no time of success behind. */
  setup = sb_connection_setup_get (fx->store, NULL);
  g_assert_cmpstr (setup->last_test_at, ==, "");
}

static void
test_check_unknown_client (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbConnectionCheck) check = NULL;

  configure (fx, fx->base, "nobody-knows-me", SB_SANDBOX_DEFAULT_SECRET, FALSE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_SIGN_IN, "no application with the client ID");
}

static void
test_check_unreachable (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);

  configure (fx, url, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET, FALSE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_SIGN_IN, "cannot reach");
  g_assert_nonnull (
      strstr (sb_connection_check_get_message (check, SB_CONNECTION_CHECK_SIGN_IN), url));
  g_clear_object (&check);

  /* Now the sign-in works but the environment's address is wrong. */
  {
    g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->store, &error);

    g_free (setup->authority);
    setup->authority = g_strdup (fx->base);
    g_assert_true (sb_connection_manager_save_sync (fx->manager, setup, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_WHO_AM_I, "cannot reach Dynamics 365 Sales");
}

static void
test_check_missing_settings (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbConnectionCheck) check = run_check (fx);

  assert_fails_at (check, SB_CONNECTION_CHECK_SETTINGS, "Enter the Dynamics 365 Sales URL");
  g_assert_nonnull (strstr (sb_connection_check_get_message (check, SB_CONNECTION_CHECK_SETTINGS),
                            "client (application) ID"));
  g_clear_object (&check);

  /* Settings without a secret in the keyring. */
  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, NULL, FALSE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_SETTINGS, "No client secret");
  g_clear_object (&check);

  /* A secret given to the check directly (the assisted setup, before saving). */
  {
    g_autoptr (GError) error = NULL;

    check = sb_connection_manager_create_check (fx->manager, &error);
    sb_connection_check_set_client_secret (check, SB_SANDBOX_DEFAULT_SECRET);
    g_assert_true (sb_connection_check_run_sync (check, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (sb_connection_check_get_passed (check));
  }
}

static void
test_check_human_user (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbConnectionCheck) check = NULL;

  configure (fx, fx->base, SB_SANDBOX_SALES_CLIENT, SB_SANDBOX_DEFAULT_SECRET, TRUE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_INTEGRATION_ROLES, SB_ROLE_INTEGRATION_ADMINISTRATOR);
  assert_result (check, SB_CONNECTION_CHECK_INTEGRATION_ROLES, SB_CHECK_RESULT_FAILED,
                 SB_ROLE_INTEGRATION_USER);
  assert_result (check, SB_CONNECTION_CHECK_HAS_ROLES, SB_CHECK_RESULT_PASSED, "Salesperson");
  assert_result (check, SB_CONNECTION_CHECK_LOCAL_CURRENCY, SB_CHECK_RESULT_PASSED, NULL);
  g_clear_object (&check);

  /* Without the integration solution its roles are not needed. */
  configure (fx, fx->base, SB_SANDBOX_SALES_CLIENT, NULL, FALSE);
  check = run_check (fx);
  g_assert_true (sb_connection_check_get_passed (check));
  assert_result (check, SB_CONNECTION_CHECK_INTEGRATION_ROLES, SB_CHECK_RESULT_SKIPPED,
                 "not deployed");
}

static void
test_check_system_administrator (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = admin_connection (fx);
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("roles");
  g_autofree char *user = sb_sandbox_server_dup_user_id (fx->server, ADMIN_CLIENT);
  g_autofree char *path = NULL, *ref = NULL, *target = NULL;
  g_autoptr (JsonNode) roles = NULL, answer = NULL, body = NULL;
  g_autoptr (SbConnectionCheck) check = NULL;
  const char *role;

  /* Make the client's user a System Administrator, as a careless admin center user would. */
  sb_dataverse_query_select (query, "name", NULL);
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, SB_ROLE_SYSTEM_ADMINISTRATOR));
  path = sb_dataverse_query_to_path (query);
  roles = sb_dataverse_connection_call_sync (cnc, "GET", path, NULL, NULL, &error);
  g_assert_no_error (error);
  role = sb_json_get_string (
      json_array_get_object_element (sb_json_get_array (json_node_get_object (roles), "value"), 0),
      "roleid", NULL);
  g_assert_nonnull (role);
  ref = g_strdup_printf ("systemusers(%s)/systemuserroles_association/$ref", user);
  target = g_strdup_printf ("{\"@odata.id\": \"%sroles(%s)\"}",
                            sb_dataverse_connection_get_api_url (cnc), role);
  body = json_from_string (target, &error);
  g_assert_no_error (error);
  answer = sb_dataverse_connection_call_sync (cnc, "POST", ref, body, NULL, &error);
  g_assert_no_error (error);

  configure (fx, fx->base, ADMIN_CLIENT, SB_SANDBOX_DEFAULT_SECRET, FALSE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_NOT_ADMINISTRATOR, "System Administrator");
  assert_result (check, SB_CONNECTION_CHECK_NOT_ADMINISTRATOR, SB_CHECK_RESULT_FAILED,
                 "remove the role");
}

static void
test_check_disabled_user (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = admin_connection (fx);
  g_autofree char *user = sb_sandbox_server_dup_user_id (fx->server, OTHER_CLIENT);
  g_autoptr (JsonObject) patch = json_object_new ();
  g_autoptr (SbConnectionCheck) check = NULL;

  json_object_set_boolean_member (patch, "isdisabled", TRUE);
  g_assert_true (sb_dataverse_connection_write_sync (cnc, SB_DV_SYSTEMUSERS, user, patch,
                                                     SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);

  configure (fx, fx->base, OTHER_CLIENT, SB_SANDBOX_DEFAULT_SECRET, FALSE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_USER_ENABLED, "“Dana Disabled” is disabled");
}

static void
test_check_missing_currency (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = sb_general_setup_get (fx->store, &error);
  g_autoptr (SbConnectionCheck) check = NULL;

  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("SEK");
  g_assert_true (sb_general_setup_update (fx->store, general, &error));
  g_assert_no_error (error);

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET, TRUE);
  check = run_check (fx);
  assert_fails_at (check, SB_CONNECTION_CHECK_LOCAL_CURRENCY, "SEK");
  assert_result (check, SB_CONNECTION_CHECK_LOCAL_CURRENCY, SB_CHECK_RESULT_FAILED,
                 "General Setup");
}

static void
test_check_cancelled (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET, FALSE);
  check = sb_connection_manager_create_check (fx->manager, &error);
  g_cancellable_cancel (cancellable);
  sb_connection_check_run_async (check, cancellable, got_result_cb, &result);
  g_assert_false (sb_connection_check_run_finish (check, wait_for_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (sb_connection_check_get_passed (check));
}

static void
test_enable_and_disable (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autofree char *user_id = NULL;

  /* Not enabled: no connection for synchronization. */
  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, "wrong", TRUE);
  g_assert_null (sb_connection_manager_create_connection_sync (fx->manager, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_DISABLED);
  g_clear_error (&error);

  /* A failing check does not enable. */
  check = sb_connection_manager_create_check (fx->manager, &error);
  g_assert_false (sb_connection_manager_enable_sync (fx->manager, check, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED);
  g_clear_error (&error);
  g_clear_object (&check);
  setup = sb_connection_setup_get (fx->store, &error);
  g_assert_false (setup->is_enabled);
  g_assert_cmpstr (setup->base_currency_code, ==, "");
  g_clear_pointer (&setup, sb_connection_setup_free);

  configure (fx, fx->base, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET, TRUE);
  check = sb_connection_manager_create_check (fx->manager, &error);
  sb_connection_manager_enable_async (fx->manager, check, NULL, got_result_cb, &result);
  g_assert_true (
      sb_connection_manager_enable_finish (fx->manager, wait_for_result (&result), &error));
  g_assert_no_error (error);

  setup = sb_connection_setup_get (fx->store, &error);
  g_assert_true (setup->is_enabled);
  g_assert_cmpstr (setup->base_currency_code, ==, "USD");
  g_assert_cmpint (setup->base_currency_precision, ==, 2);
  g_assert_cmpstr (setup->base_currency_symbol, ==, "$");
  g_assert_cmpstr (setup->last_test_at, !=, "");
  g_clear_pointer (&setup, sb_connection_setup_free);

  /* Enabled: a ready connection from the settings and the keyring. */
  cnc = sb_connection_manager_create_connection_sync (fx->manager, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (cnc, &user_id, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sb_dataverse_is_guid (user_id));

  g_assert_true (sb_connection_manager_disable (fx->manager, &error));
  g_assert_no_error (error);
  setup = sb_connection_setup_get (fx->store, &error);
  g_assert_false (setup->is_enabled);
  g_assert_cmpstr (setup->base_currency_code, ==, "USD"); /* settings stay */
  g_assert_cmpstr (setup->client_id, ==, SB_SANDBOX_INTEGRATION_CLIENT);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/connection-setup/round-trip", test_setup_round_trip);
  ADD ("/connection-setup/validation", test_setup_validation);
  ADD ("/secret-store/round-trip", test_secret_store);
  ADD ("/secret-store/async", test_secret_store_async);
  ADD ("/secret-store/not-in-database", test_secret_not_in_database);
  ADD ("/connection-check/passes", test_check_passes);
  ADD ("/connection-check/wrong-secret", test_check_wrong_secret);
  ADD ("/connection-check/unknown-client", test_check_unknown_client);
  ADD ("/connection-check/unreachable", test_check_unreachable);
  ADD ("/connection-check/missing-settings", test_check_missing_settings);
  ADD ("/connection-check/human-user", test_check_human_user);
  ADD ("/connection-check/system-administrator", test_check_system_administrator);
  ADD ("/connection-check/disabled-user", test_check_disabled_user);
  ADD ("/connection-check/missing-currency", test_check_missing_currency);
  ADD ("/connection-check/cancelled", test_check_cancelled);
  ADD ("/connection-manager/enable-and-disable", test_enable_and_disable);
#undef ADD

  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
