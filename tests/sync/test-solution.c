/* test-solution.c: deploying the integration solution to the in-process sandbox's metadata Web
 * API over HTTP on 127.0.0.1, recording it in a real SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <string.h>

#include "sb-connection-check.h"
#include "sb-connection-setup.h"
#include "sb-dataverse-json.h"
#include "sb-sandbox-server.h"
#include "sb-sandbox-service.h"
#include "sb-sync-error.h"
#include "sb-sync-solution.h"
#include "sb-test-books.h"

#define N_COLUMNS 11

typedef struct
{
  Fixture books;
  SbSandboxServer *server;
  SbDataverseConnection *cnc;
  SbSyncEngine *engine;
} Fx;

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *base;

  sbt_fixture_set_up (&fx->books, data);
  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  base = sb_sandbox_server_get_base_url (fx->server);
  fx->cnc = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base,
                          "tenant", "sandbox", "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->cnc, SB_SANDBOX_DEFAULT_SECRET);
  fx->engine = sb_sync_engine_new (fx->books.store, fx->cnc);
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  g_clear_object (&fx->engine);
  g_clear_object (&fx->cnc);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbt_fixture_tear_down (&fx->books, data);
}

static JsonNode *
call (Fx *fx, const char *method, const char *path, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) body = json ? json_from_string (json, &error) : NULL;
  JsonNode *answer;

  g_assert_no_error (error);
  answer = sb_dataverse_connection_call_sync (fx->cnc, method, path, body, NULL, &error);
  g_assert_no_error (error);
  return answer;
}

static guint
n_attributes (Fx *fx)
{
  g_autoptr (JsonNode) node = call (
      fx, "GET",
      "EntityDefinitions(LogicalName='sb_accountstatistics')/Attributes?$select=LogicalName", NULL);

  return json_array_get_length (sb_json_get_array (json_node_get_object (node), "value"));
}

static gboolean
recorded_deployed (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->books.store, &error);

  g_assert_no_error (error);
  return setup->solution_deployed;
}

static void
test_deploy_twice (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) first = NULL;
  g_autoptr (SbSyncSolutionStatus) second = NULL;
  g_autoptr (SbSyncSolutionStatus) recorded = NULL;
  g_autoptr (SbSyncSolutionStatus) checked = NULL;
  guint n;

  recorded = sb_sync_solution_get_recorded (fx->books.store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (recorded->state, ==, SB_SYNC_SOLUTION_NOT_DEPLOYED);
  g_assert_false (recorded_deployed (fx));

  first = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_cmpuint (first->created_tables, ==, 1);
  g_assert_cmpuint (first->created_columns, ==, N_COLUMNS);
  g_assert_cmpuint (first->created_relationships, ==, 1);
  g_assert_true (first->roles_ok);
  g_assert_cmpstr (first->entity_set, ==, "sb_accountstatisticses");
  g_assert_true (recorded_deployed (fx));
  n = n_attributes (fx);

  /* Deploying again creates nothing and changes nothing. */
  second = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_cmpuint (second->created_tables + second->created_columns +
                        second->created_relationships + second->assigned_roles,
                    ==, 0);
  g_assert_cmpuint (n_attributes (fx), ==, n);

  checked = sb_sync_engine_check_solution_sync (fx->engine, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (checked->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_cmpuint (checked->n_missing, ==, 0);
  g_assert_cmpuint (checked->version, ==, SB_SYNC_SOLUTION_VERSION);
}

static void
test_redeploy_partial (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) checked = NULL;
  g_autoptr (SbSyncSolutionStatus) repaired = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;

  /* A deployment that stopped after the table and one column. */
  a = call (fx, "POST", "EntityDefinitions",
            "{\"@odata.type\": \"Microsoft.Dynamics.CRM.EntityMetadata\", \"SchemaName\": "
            "\"sb_AccountStatistics\", \"OwnershipType\": \"OrganizationOwned\", \"HasNotes\": "
            "false, \"Attributes\": [{\"@odata.type\": "
            "\"Microsoft.Dynamics.CRM.StringAttributeMetadata\", \"SchemaName\": \"sb_Name\", "
            "\"IsPrimaryName\": true, \"MaxLength\": 100}]}");
  b = call (fx, "POST", "EntityDefinitions(LogicalName='sb_accountstatistics')/Attributes",
            "{\"@odata.type\": \"Microsoft.Dynamics.CRM.DecimalAttributeMetadata\", "
            "\"SchemaName\": \"sb_BalanceLCY\", \"Precision\": 2}");

  checked = sb_sync_engine_check_solution_sync (fx->engine, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (checked->state, ==, SB_SYNC_SOLUTION_PARTIAL);
  g_assert_cmpuint (checked->n_missing, ==, N_COLUMNS - 1 + 1);
  g_assert_nonnull (strstr (checked->message, "sb_totallcy"));
  g_assert_false (recorded_deployed (fx));

  repaired = sb_sync_engine_deploy_solution_sync (fx->engine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (repaired->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_cmpuint (repaired->created_tables, ==, 0);
  g_assert_cmpuint (repaired->created_columns, ==, N_COLUMNS - 1);
  g_assert_cmpuint (repaired->created_relationships, ==, 1);
  g_assert_true (recorded_deployed (fx));
}

static void
test_roles (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) deployed = NULL;
  g_autoptr (SbSyncSolutionStatus) recorded = NULL;
  g_autoptr (SbSyncSolutionStatus) redeployed = NULL;
  g_autofree char *user = NULL;
  g_autofree char *role = sb_sandbox_uuid_from_name ("role/"
                                                     "Salesbridge Integration User");
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) removed = NULL;

  /* Someone took a role from the integration user. */
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, &user, NULL, NULL, NULL, &error));
  path = g_strdup_printf ("systemusers(%s)/systemuserroles_association(%s)/$ref", user, role);
  removed = call (fx, "DELETE", path, NULL);

  deployed = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_null (deployed);
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED);
  g_assert_nonnull (strstr (error->message, "Redeploy"));
  g_clear_error (&error);
  /* The tables are there; the roles are what is missing. */
  recorded = sb_sync_solution_get_recorded (fx->books.store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (recorded->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_false (recorded->roles_ok);

  redeployed = sb_sync_engine_deploy_solution_sync (fx->engine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (redeployed->assigned_roles, ==, 1);
  g_assert_true (redeployed->roles_ok);
  g_assert_cmpuint (redeployed->created_tables + redeployed->created_columns, ==, 0);
}

static void
test_offline (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) s = NULL;
  g_autoptr (SbSyncSolutionStatus) recorded = NULL;

  /* The service goes away: the error says so, and nothing is recorded as deployed. */
  sb_sandbox_server_stop (fx->server);
  sb_dataverse_connection_set_retry_policy (fx->cnc, 1, 1, 1, 10);
  s = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "The integration solution could not be"));
  g_clear_error (&error);
  recorded = sb_sync_solution_get_recorded (fx->books.store, &error);
  g_assert_nonnull (recorded);
  g_assert_cmpint (recorded->state, !=, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_false (recorded_deployed (fx));
}

/* The connection test's "integration roles" check, with the settings the deployment recorded. */
static SbCheckResult
roles_check (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (fx->books.store, &error);
  g_autoptr (SbConnectionCheck) check = NULL;
  const char *base = sb_sandbox_server_get_base_url (fx->server);

  g_assert_no_error (error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup (base);
  g_free (setup->authority);
  setup->authority = g_strdup (base);
  g_free (setup->tenant);
  setup->tenant = g_strdup ("sandbox");
  g_free (setup->client_id);
  setup->client_id = g_strdup (SB_SANDBOX_INTEGRATION_CLIENT);
  check = sb_connection_check_new (setup, "USD");
  sb_connection_check_set_client_secret (check, SB_SANDBOX_DEFAULT_SECRET);
  g_assert_true (sb_connection_check_run_sync (check, NULL, &error));
  g_assert_no_error (error);
  return sb_connection_check_get_result (check, SB_CONNECTION_CHECK_INTEGRATION_ROLES);
}

static void
test_connection_check (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) deployed = NULL;
  g_autoptr (SbSyncSolutionStatus) redeployed = NULL;
  g_autofree char *user = NULL;
  g_autofree char *role = sb_sandbox_uuid_from_name ("role/" SB_ROLE_INTEGRATION_ADMINISTRATOR);
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) removed = NULL;

  /* Not deployed: the roles are not needed yet. */
  g_assert_cmpint (roles_check (fx), ==, SB_CHECK_RESULT_SKIPPED);
  deployed = sb_sync_engine_deploy_solution_sync (fx->engine, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (roles_check (fx), ==, SB_CHECK_RESULT_PASSED);

  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, &user, NULL, NULL, NULL, &error));
  path = g_strdup_printf ("systemusers(%s)/systemuserroles_association(%s)/$ref", user, role);
  removed = call (fx, "DELETE", path, NULL);
  g_assert_cmpint (roles_check (fx), ==, SB_CHECK_RESULT_FAILED);
  redeployed = sb_sync_engine_deploy_solution_sync (fx->engine, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (redeployed->assigned_roles, ==, 1);
  g_assert_cmpint (roles_check (fx), ==, SB_CHECK_RESULT_PASSED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fx, NULL, fx_set_up, func, fx_tear_down)
  ADD ("/sync/solution/deploy-twice", test_deploy_twice);
  ADD ("/sync/solution/redeploy-partial", test_redeploy_partial);
  ADD ("/sync/solution/roles", test_roles);
  ADD ("/sync/solution/offline", test_offline);
  ADD ("/sync/solution/connection-check", test_connection_check);
  return g_test_run ();
}
