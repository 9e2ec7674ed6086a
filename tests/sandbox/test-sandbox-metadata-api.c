/* test-sandbox-metadata-api.c: custom tables through the metadata Web API (EntityDefinitions,
 * Attributes, RelationshipDefinitions) and then through the ordinary entity-set routes, over
 * real HTTP on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sbt-util.h"

#define TABLE_JSON                                                                                 \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.EntityMetadata\", \"SchemaName\": "                  \
  "\"sb_BankAccount\", \"OwnershipType\": \"OrganizationOwned\", \"HasNotes\": false, "            \
  "\"DisplayName\": {\"LocalizedLabels\": [{\"Label\": \"Bank Account\", \"LanguageCode\": "       \
  "1033}]}, \"Attributes\": [{\"@odata.type\": "                                                   \
  "\"Microsoft.Dynamics.CRM.StringAttributeMetadata\", \"SchemaName\": \"sb_Name\", "              \
  "\"IsPrimaryName\": true, \"MaxLength\": 40, \"RequiredLevel\": {\"Value\": \"None\"}}]}"
#define DECIMAL_JSON                                                                               \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.DecimalAttributeMetadata\", \"SchemaName\": "        \
  "\"sb_Balance\", \"Precision\": 2}"
#define DATE_JSON                                                                                  \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.DateTimeAttributeMetadata\", \"SchemaName\": "       \
  "\"sb_OpenedOn\", \"Format\": \"DateOnly\"}"
#define RELATIONSHIP_JSON                                                                          \
  "{\"@odata.type\": \"Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata\", \"SchemaName\": "   \
  "\"sb_account_sb_bankaccount\", \"ReferencedEntity\": \"account\", \"ReferencedAttribute\": "    \
  "\"accountid\", \"ReferencingEntity\": \"sb_bankaccount\", "                                     \
  "\"ReferencingEntityNavigationPropertyName\": \"sb_AccountId\", \"Lookup\": {\"@odata.type\": "  \
  "\"Microsoft.Dynamics.CRM.LookupAttributeMetadata\", \"SchemaName\": \"sb_AccountId\"}}"
#define ATTRIBUTES "EntityDefinitions(LogicalName='sb_bankaccount')/Attributes"

static void
assert_status (SbtResponse *r, guint status)
{
  if (r->status != status)
    {
      g_autofree char *text = sbt_body_text (r);

      g_test_message ("%u: %s", r->status, text);
    }
  g_assert_cmpuint (r->status, ==, status);
}

static void
define_all (SbtFixture *fx)
{
  g_autoptr (SbtResponse) a = sbt_call (fx, "POST", "EntityDefinitions", TABLE_JSON, NULL);
  g_autoptr (SbtResponse) b = NULL;
  g_autoptr (SbtResponse) c = NULL;
  g_autoptr (SbtResponse) d = NULL;

  assert_status (a, 204);
  g_assert_true (
      g_str_has_prefix (soup_message_headers_get_one (a->headers, "OData-EntityId"), fx->api));
  b = sbt_call (fx, "POST", ATTRIBUTES, DECIMAL_JSON, NULL);
  assert_status (b, 204);
  c = sbt_call (fx, "POST", ATTRIBUTES, DATE_JSON, NULL);
  assert_status (c, 204);
  d = sbt_call (fx, "POST", "RelationshipDefinitions", RELATIONSHIP_JSON, NULL);
  assert_status (d, 204);
  g_assert_nonnull (strstr (soup_message_headers_get_one (d->headers, "OData-EntityId"),
                            "RelationshipDefinitions("));
}

static void
test_define_and_use (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) before = sbt_call (fx, "GET", "sb_bankaccounts", NULL, NULL);
  g_autoptr (SbtResponse) entity = NULL;
  g_autoptr (SbtResponse) attrs = NULL;
  g_autoptr (SbtResponse) read = NULL;
  g_autoptr (SbtResponse) query = NULL;
  g_autoptr (SbtResponse) update = NULL;
  g_autoptr (SbtResponse) bad = NULL;
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Fourth Coffee\"}");
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filter = NULL;
  JsonObject *o;
  JsonArray *values;
  guint found = 0;

  assert_status (before, 404);
  define_all (fx);

  entity = sbt_call (fx, "GET",
                     "EntityDefinitions(LogicalName='sb_bankaccount')"
                     "?$select=LogicalName,EntitySetName,PrimaryNameAttribute,IsCustomEntity",
                     NULL, NULL);
  assert_status (entity, 200);
  o = sbt_object (entity);
  g_assert_cmpstr (json_object_get_string_member (o, "EntitySetName"), ==, "sb_bankaccounts");
  g_assert_cmpstr (json_object_get_string_member (o, "PrimaryNameAttribute"), ==, "sb_name");
  g_assert_true (json_object_get_boolean_member (o, "IsCustomEntity"));

  /* The columns inside the table definition, in one request. */
  {
    g_autoptr (SbtResponse) expanded =
        sbt_call (fx, "GET",
                  "EntityDefinitions(LogicalName='sb_bankaccount')?$select=LogicalName"
                  "&$expand=Attributes($select=LogicalName,AttributeType)",
                  NULL, NULL);
    g_autoptr (SbtResponse) bad = sbt_call (
        fx, "GET", "EntityDefinitions(LogicalName='sb_bankaccount')?$expand=Keys", NULL, NULL);
    JsonArray *inside;
    gboolean has_balance = FALSE;

    assert_status (expanded, 200);
    inside = json_object_get_array_member (sbt_object (expanded), "Attributes");
    for (guint i = 0; i < json_array_get_length (inside); i++)
      has_balance |= g_str_equal (
          json_object_get_string_member (json_array_get_object_element (inside, i), "LogicalName"),
          "sb_balance");
    g_assert_true (has_balance);
    assert_status (bad, 400);
  }

  attrs = sbt_call (fx, "GET", ATTRIBUTES "?$select=LogicalName,AttributeType", NULL, NULL);
  assert_status (attrs, 200);
  values = json_object_get_array_member (sbt_object (attrs), "value");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonObject *a = json_array_get_object_element (values, i);
      const char *name = json_object_get_string_member (a, "LogicalName");
      const char *type = json_object_get_string_member (a, "AttributeType");

      if (g_str_equal (name, "sb_balance"))
        found += g_str_equal (type, "Decimal");
      else if (g_str_equal (name, "sb_openedon"))
        found += g_str_equal (type, "DateTime");
      else if (g_str_equal (name, "sb_accountid"))
        found += g_str_equal (type, "Lookup");
      else if (g_str_equal (name, "sb_bankaccountid") || g_str_equal (name, "statecode"))
        found++;
    }
  g_assert_cmpuint (found, ==, 5);

  /* The new table behind the ordinary routes: create with a lookup, read, query, update. */
  body = g_strdup_printf ("{\"sb_name\": \"Main\", \"sb_balance\": 1250.5, \"sb_openedon\": "
                          "\"2026-03-10\", \"sb_AccountId@odata.bind\": \"/accounts(%s)\"}",
                          account);
  id = sbt_create (fx, "sb_bankaccounts", body);
  path = g_strdup_printf ("sb_bankaccounts(%s)?$select=sb_name,sb_balance,sb_openedon,"
                          "_sb_accountid_value,statecode",
                          id);
  read = sbt_call (fx, "GET", path, NULL, NULL);
  assert_status (read, 200);
  o = sbt_object (read);
  g_assert_cmpstr (json_object_get_string_member (o, "sb_name"), ==, "Main");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "sb_balance"), 1250.5, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (o, "sb_openedon"), ==, "2026-03-10");
  g_assert_cmpstr (json_object_get_string_member (o, "_sb_accountid_value"), ==, account);
  g_assert_cmpint (json_object_get_int_member (o, "statecode"), ==, 0);

  g_free (path);
  path = g_strdup_printf ("sb_bankaccounts(%s)", id);
  update = sbt_call (fx, "PATCH", path, "{\"sb_balance\": 99}", "If-Match", "*", NULL);
  assert_status (update, 204);
  filter =
      g_strdup_printf ("sb_bankaccounts?$select=sb_balance&$filter=_sb_accountid_value%%20eq%%20%s"
                       "%%20and%%20sb_balance%%20lt%%20100",
                       account);
  query = sbt_call (fx, "GET", filter, NULL, NULL);
  assert_status (query, 200);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (sbt_object (query), "value")), ==, 1);

  /* The account lists its rows through the relationship's navigation, as in Dataverse. */
  {
    g_autofree char *expand = g_strdup_printf (
        "accounts(%s)?$select=name&$expand=sb_account_sb_bankaccount($select=sb_name)", account);
    g_autofree char *related = g_strdup_printf ("accounts(%s)/sb_account_sb_bankaccount", account);
    g_autoptr (SbtResponse) expanded = sbt_call (fx, "GET", expand, NULL, NULL);
    g_autoptr (SbtResponse) listed = sbt_call (fx, "GET", related, NULL, NULL);
    JsonArray *rows;

    assert_status (expanded, 200);
    rows = json_object_get_array_member (sbt_object (expanded), "sb_account_sb_bankaccount");
    g_assert_cmpuint (json_array_get_length (rows), ==, 1);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (rows, 0), "sb_name"), ==,
        "Main");
    assert_status (listed, 200);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (listed), "value")), ==, 1);
  }

  /* Values are checked against the new columns like any other. */
  bad = sbt_call (fx, "POST", "sb_bankaccounts", "{\"sb_balance\": \"a lot\"}", NULL);
  assert_status (bad, 400);
}

static void
test_duplicates_and_errors (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) table = NULL;
  g_autoptr (SbtResponse) column = NULL;
  g_autoptr (SbtResponse) relationship = NULL;
  g_autoptr (SbtResponse) no_prefix = NULL;
  g_autoptr (SbtResponse) no_primary = NULL;
  g_autoptr (SbtResponse) system = NULL;
  g_autoptr (SbtResponse) lookup = NULL;
  g_autoptr (SbtResponse) missing = NULL;
  g_autoptr (SbtResponse) put = NULL;

  define_all (fx);
  /* Defining anything twice: 400 0x80044363, as Dataverse answers a schema name in use. */
  table = sbt_call (fx, "POST", "EntityDefinitions", TABLE_JSON, NULL);
  assert_status (table, 400);
  g_assert_cmpstr (sbt_error_code (table), ==, "0x80044363");
  column = sbt_call (fx, "POST", ATTRIBUTES, DECIMAL_JSON, NULL);
  assert_status (column, 400);
  g_assert_cmpstr (sbt_error_code (column), ==, "0x80044363");
  relationship = sbt_call (fx, "POST", "RelationshipDefinitions", RELATIONSHIP_JSON, NULL);
  assert_status (relationship, 400);
  g_assert_cmpstr (sbt_error_code (relationship), ==, "0x80044363");

  no_prefix = sbt_call (fx, "POST", "EntityDefinitions",
                        "{\"SchemaName\": \"BankAccount\", \"Attributes\": []}", NULL);
  assert_status (no_prefix, 400);
  no_primary = sbt_call (fx, "POST", "EntityDefinitions",
                         "{\"SchemaName\": \"sb_Other\", \"Attributes\": []}", NULL);
  assert_status (no_primary, 400);
  g_assert_nonnull (strstr (sbt_error_message (no_primary), "primary name"));
  system = sbt_call (fx, "POST", "EntityDefinitions(LogicalName='account')/Attributes",
                     DECIMAL_JSON, NULL);
  assert_status (system, 400);
  lookup = sbt_call (fx, "POST", ATTRIBUTES,
                     "{\"@odata.type\": \"Microsoft.Dynamics.CRM.LookupAttributeMetadata\", "
                     "\"SchemaName\": \"sb_Other\"}",
                     NULL);
  assert_status (lookup, 400);
  g_assert_nonnull (strstr (sbt_error_message (lookup), "RelationshipDefinitions"));
  missing = sbt_call (fx, "POST", "EntityDefinitions(LogicalName='sb_nothing')/Attributes",
                      DECIMAL_JSON, NULL);
  assert_status (missing, 404);
  put = sbt_call (fx, "PUT", "EntityDefinitions(LogicalName='sb_bankaccount')", TABLE_JSON, NULL);
  assert_status (put, 405);
}

static void
test_batch_and_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sb-metadata-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "sandbox.db", NULL);
  g_autofree char *batch = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const char *headers[] = { "Prefer", "odata.continue-on-error", NULL };

  /* Not the fixture: its server is in memory, this test wants a file it can reopen. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
    g_autoptr (SoupSession) session = soup_session_new ();
    SbtFixture f = { 0 };

    sb_sandbox_server_set_db_path (server, db);
    g_assert_true (sb_sandbox_server_start (server, 0, &error));
    g_assert_no_error (error);
    f.server = server;
    f.session = session;
    f.base = g_strdup (sb_sandbox_server_get_base_url (server));
    f.api = g_strdup_printf ("%sapi/data/v9.2/", f.base);
    f.token = sbt_token (&f, "salesbridge-integration", "sandbox");
    define_all (&f);
    /* $batch reaches the new table as well. */
    batch = g_strdup ("--batch_1\r\nContent-Type: application/http\r\n"
                      "Content-Transfer-Encoding: binary\r\n\r\n"
                      "POST sb_bankaccounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"
                      "{\"sb_name\": \"Kept\"}\r\n--batch_1--\r\n");
    bytes = g_bytes_new (batch, strlen (batch));
    {
      g_autoptr (SbtResponse) r = sbt_send (&f, f.token, "POST", "$batch",
                                            "multipart/mixed; boundary=batch_1", bytes, headers);
      g_autofree char *text = sbt_body_text (r);

      assert_status (r, 200);
      g_assert_nonnull (strstr (text, "204 No Content"));
    }
    sb_sandbox_server_stop (server);
    g_free (f.base);
    g_free (f.api);
    g_free (f.token);
  }
  {
    /* After a restart the table, its columns and its row are all there. */
    g_autoptr (GError) error = NULL;
    g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
    g_autoptr (SoupSession) session = soup_session_new ();
    SbtFixture f = { 0 };
    g_autoptr (SbtResponse) rows = NULL;
    g_autoptr (SbtResponse) again = NULL;

    sb_sandbox_server_set_db_path (server, db);
    g_assert_true (sb_sandbox_server_start (server, 0, &error));
    g_assert_no_error (error);
    f.server = server;
    f.session = session;
    f.base = g_strdup (sb_sandbox_server_get_base_url (server));
    f.api = g_strdup_printf ("%sapi/data/v9.2/", f.base);
    f.token = sbt_token (&f, "salesbridge-integration", "sandbox");
    rows = sbt_call (&f, "GET", "sb_bankaccounts?$select=sb_name,sb_balance", NULL, NULL);
    assert_status (rows, 200);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (rows), "value")), ==, 1);
    again = sbt_call (&f, "POST", ATTRIBUTES, DECIMAL_JSON, NULL);
    assert_status (again, 400);
    sb_sandbox_server_stop (server);
    g_free (f.base);
    g_free (f.api);
    g_free (f.token);
  }
  g_remove (db);
  {
    g_autofree char *wal = g_strdup_printf ("%s-wal", db);
    g_autofree char *shm = g_strdup_printf ("%s-shm", db);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sandbox/metadata-api/define-and-use", SbtFixture, NULL, sbt_fixture_setup,
              test_define_and_use, sbt_fixture_teardown);
  g_test_add ("/sandbox/metadata-api/duplicates-and-errors", SbtFixture, NULL, sbt_fixture_setup,
              test_duplicates_and_errors, sbt_fixture_teardown);
  g_test_add_func ("/sandbox/metadata-api/batch-and-restart", test_batch_and_restart);
  return g_test_run ();
}
