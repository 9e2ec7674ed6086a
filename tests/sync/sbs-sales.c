/* sbs-sales.c: the company and the Sales organization of the order and quote tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sbs-sales.h"

static SbDataverseConnection *
connect_as (Sbs *fx, const char *client)
{
  const char *base = sb_sandbox_server_get_base_url (fx->server);
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                    "sandbox", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  sb_dataverse_connection_set_retry_policy (cnc, 4, 1, 5, 2000);
  return cnc;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

char *
sbs_create (Sbs *fx, const char *set, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonObject) body = NULL;
  va_list args;
  char *id;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  body = parse_object (json);
  id = sb_dataverse_connection_create_sync (fx->sales, set, body, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

void
sbs_update (Sbs *fx, const char *set, const char *id, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonObject) body = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  body = parse_object (json);
  g_assert_true (sb_dataverse_connection_write_sync (
      fx->sales, set, id, body, SB_DATAVERSE_WRITE_UPDATE, "*", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

JsonObject *
sbs_get (Sbs *fx, const char *set, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, set, id, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

JsonNode *
sbs_action (Sbs *fx, const char *action, const char *format, ...)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonNode) body = NULL;
  JsonNode *answer;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  body = json_from_string (json, &error);
  g_assert_no_error (error);
  answer = sb_dataverse_connection_call_sync (fx->sales, "POST", action, body, NULL, &error);
  g_assert_no_error (error);
  return answer;
}

void
sbs_set_write_in (Sbs *fx, SbWriteInProductType type, const char *no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesSetup) setup = sb_sales_setup_get (fx->books.store, &error);

  g_assert_no_error (error);
  setup->write_in_product_type = type;
  sbt_set (&setup->write_in_product_no, no);
  sb_sales_setup_update (fx->books.store, setup, &error);
  g_assert_no_error (error);
}

static void
couple (Sbs *fx, const char *mapping, const char *key, const char *id)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_sync_engine_couple_sync (fx->engine, mapping, key, id, NULL, &error));
  g_assert_no_error (error);
}

void
sbs_sales_set_up (Sbs *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SbSandboxLimitsConfig limits = { 0, 0, 0, 300 };

  sbt_fixture_set_up (&fx->books, data);
  fx->server = sb_sandbox_server_new ();
  sb_sandbox_server_set_limits (fx->server, &limits);
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->cnc = connect_as (fx, SB_SANDBOX_INTEGRATION_CLIENT);
  fx->sales = connect_as (fx, SB_SANDBOX_SALES_CLIENT);
  fx->engine = sb_sync_engine_new (fx->books.store, fx->cnc);

  fx->account_id = sbs_create (fx, "accounts",
                               "{\"name\": \"Alpha Bikes\", \"accountnumber\": "
                               "\"C1\", \"customertypecode\": 3}");
  fx->account3_id = sbs_create (fx, "accounts", "{\"name\": \"Charlie Uncoupled\"}");
  fx->item_product_id = sbs_create (fx, "products",
                                    "{\"name\": \"Bicycle\", \"productnumber\": \"I1\","
                                    " \"producttypecode\": 1, \"price\": 100}");
  fx->resource_product_id = sbs_create (fx, "products",
                                        "{\"name\": \"Installer\", \"productnumber\": \"R1\","
                                        " \"producttypecode\": 3, \"price\": 80}");
  fx->uncoupled_product_id = sbs_create (fx, "products",
                                         "{\"name\": \"Helmet\", \"productnumber\": \"X9\","
                                         " \"producttypecode\": 1}");
  couple (fx, "CUSTOMER", "C1", fx->account_id);
  couple (fx, "ITEM-PRODUCT", "I1", fx->item_product_id);
  couple (fx, "RESOURCE-PRODUCT", "R1", fx->resource_product_id);
}

void
sbs_sales_tear_down (Sbs *fx, gconstpointer data)
{
  g_clear_object (&fx->engine);
  g_clear_object (&fx->cnc);
  g_clear_object (&fx->sales);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  g_free (fx->account_id);
  g_free (fx->account3_id);
  g_free (fx->item_product_id);
  g_free (fx->resource_product_id);
  g_free (fx->uncoupled_product_id);
  sbt_fixture_tear_down (&fx->books, data);
}

void
sbs_store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}
