/* test-dataverse-units.c: the parts of the Dataverse client that need no server: filters and
 * query URLs, JSON accessors, table helpers, URL checks and error details.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dvt-util.h"

#include <string.h>

static void
test_literals (void)
{
  g_autofree char *s = sb_dataverse_literal_string ("O'Brien ''x''");
  g_autoptr (GDateTime) local = g_date_time_new_from_iso8601 ("2026-11-21T11:00:00+01:00", NULL);
  g_autofree char *d = sb_dataverse_literal_date_time (local);

  g_assert_cmpstr (s, ==, "'O''Brien ''''x'''''");
  g_assert_cmpstr (d, ==, "2026-11-21T10:00:00Z");
}

static void
test_filter (void)
{
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 11, 21, 10, 0, 0);
  g_autoptr (SbDataverseFilter) f = sb_dataverse_filter_and (
      sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, "O'Brien"),
      sb_dataverse_filter_or (sb_dataverse_filter_guid ("_parentcustomerid_value", SB_DATAVERSE_EQ,
                                                        "4A3A2D3E-0000-0000-0000-00000000000F"),
                              sb_dataverse_filter_null ("address1_city", SB_DATAVERSE_EQ),
                              sb_dataverse_filter_bool ("isdisabled", SB_DATAVERSE_NE, TRUE), NULL),
      sb_dataverse_filter_date_time ("modifiedon", SB_DATAVERSE_GE, when),
      sb_dataverse_filter_not (sb_dataverse_filter_starts_with ("accountnumber", "X'")),
      sb_dataverse_filter_decimal ("creditlimit", SB_DATAVERSE_LT, "-12.50"),
      sb_dataverse_filter_int ("statecode", SB_DATAVERSE_EQ, 0), NULL);
  g_autofree char *text = sb_dataverse_filter_to_string (f);
  g_autoptr (SbDataverseFilter) copy = sb_dataverse_filter_copy (f);
  g_autofree char *copy_text = sb_dataverse_filter_to_string (copy);

  g_assert_cmpstr (text, ==,
                   "name eq 'O''Brien' and (_parentcustomerid_value eq "
                   "4a3a2d3e-0000-0000-0000-00000000000f or address1_city eq null or isdisabled "
                   "ne true) and modifiedon ge 2026-11-21T10:00:00Z and not "
                   "(startswith(accountnumber,'X''')) and creditlimit lt -12.50 and statecode eq "
                   "0");
  g_assert_cmpstr (copy_text, ==, text);
}

static void
test_query_path (void)
{
  g_autoptr (SbDataverseQuery) q = sb_dataverse_query_new ("accounts");
  g_autofree char *path = NULL;
  g_autofree char *prefer = NULL;
  g_autofree char *unescaped = NULL;

  sb_dataverse_query_select (q, "name", "accountnumber", NULL);
  sb_dataverse_query_set_filter (
      q, sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, "O'Brien & Söhne #1 + 50%"));
  sb_dataverse_query_order_by (q, "name", FALSE);
  sb_dataverse_query_set_top (q, 10);
  sb_dataverse_query_set_page_size (q, 250);
  sb_dataverse_query_set_annotations (q, "*");
  path = sb_dataverse_query_to_path (q);
  g_assert_cmpstr (path, ==,
                   "accounts?$select=name,accountnumber&$filter=name%20eq%20'O''Brien%20%26%20S%"
                   "C3%B6hne%20%231%20%2B%2050%25'&$orderby=name%20asc&$top=10");
  /* No raw space, #, + or non-ASCII byte; every % starts an escape. */
  g_assert_null (strpbrk (path, " #+\""));
  for (const char *p = path; *p != '\0'; p++)
    {
      g_assert_cmpint ((guchar) *p, <, 0x80);
      if (*p == '%')
        g_assert_true (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]));
    }
  unescaped =
      g_uri_unescape_segment (strstr (path, "$filter=") + 8, strstr (path, "&$orderby"), NULL);
  g_assert_cmpstr (unescaped, ==, "name eq 'O''Brien & Söhne #1 + 50%'");
  prefer = sb_dataverse_query_to_prefer (q);
  g_assert_cmpstr (prefer, ==, "odata.maxpagesize=250,odata.include-annotations=\"*\"");

  /* Change tracking leaves out what Dataverse refuses with it. */
  sb_dataverse_query_set_track_changes (q, TRUE);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&prefer, g_free);
  path = sb_dataverse_query_to_path (q);
  prefer = sb_dataverse_query_to_prefer (q);
  g_assert_cmpstr (path, ==, "accounts?$select=name,accountnumber");
  g_assert_cmpstr (prefer, ==,
                   "odata.maxpagesize=250,odata.track-changes,odata.include-annotations=\"*\"");
}

static void
test_json (void)
{
  g_autoptr (JsonNode) node = json_from_string (
      "{\"s\": \"x\", \"n\": null, \"i\": 42, \"d\": 2.5, \"di\": 3.0, \"b\": true, "
      "\"o\": {}, \"a\": [], \"_parentcustomerid_value\": "
      "\"4a3a2d3e-0000-0000-0000-00000000000f\", \"bad_value\": \"nope\", "
      "\"statecode@OData.Community.Display.V1.FormattedValue\": \"Active\", "
      "\"modifiedon\": \"2026-11-21T10:15:00Z\", \"@odata.etag\": \"W/\\\"7\\\"\"}",
      NULL);
  JsonObject *o = json_node_get_object (node);
  g_autoptr (GDateTime) when = sb_json_get_date_time (o, "modifiedon");

  g_assert_cmpstr (sb_json_get_string (o, "s", "d"), ==, "x");
  g_assert_cmpstr (sb_json_get_string (o, "n", "d"), ==, "d");
  g_assert_cmpstr (sb_json_get_string (o, "i", "d"), ==, "d");
  g_assert_cmpstr (sb_json_get_string (o, "missing", NULL), ==, NULL);
  g_assert_cmpstr (sb_json_get_string (NULL, "s", "d"), ==, "d");
  g_assert_cmpint (sb_json_get_int (o, "i", -1), ==, 42);
  g_assert_cmpint (sb_json_get_int (o, "di", -1), ==, 3);
  g_assert_cmpint (sb_json_get_int (o, "d", -1), ==, -1);
  g_assert_cmpint (sb_json_get_int (o, "s", -1), ==, -1);
  g_assert_cmpint (sb_json_get_int (o, "o", -1), ==, -1);
  g_assert_cmpfloat (sb_json_get_double (o, "d", 0), ==, 2.5);
  g_assert_cmpfloat (sb_json_get_double (o, "i", 0), ==, 42);
  g_assert_cmpfloat (sb_json_get_double (o, "n", -1), ==, -1);
  g_assert_true (sb_json_get_bool (o, "b", FALSE));
  g_assert_false (sb_json_get_bool (o, "i", FALSE));
  g_assert_nonnull (sb_json_get_object (o, "o"));
  g_assert_null (sb_json_get_object (o, "a"));
  g_assert_nonnull (sb_json_get_array (o, "a"));
  g_assert_null (sb_json_get_array (o, "n"));
  g_assert_cmpstr (sb_json_get_lookup (o, "parentcustomerid"), ==,
                   "4a3a2d3e-0000-0000-0000-00000000000f");
  g_assert_null (sb_json_get_lookup (o, "bad"));
  g_assert_null (sb_json_get_guid (o, "s"));
  g_assert_cmpstr (sb_json_get_formatted (o, "statecode", NULL), ==, "Active");
  g_assert_cmpstr (sb_json_get_formatted (o, "statuscode", "?"), ==, "?");
  g_assert_cmpstr (sb_json_get_etag (o), ==, "W/\"7\"");
  g_assert_nonnull (when);
  g_assert_cmpint (g_date_time_get_minute (when), ==, 15);
  g_assert_null (sb_json_get_date_time (o, "s"));

  sb_json_set_bind (o, "parentcustomerid_account", "accounts",
                    "4a3a2d3e-0000-0000-0000-00000000000f");
  g_assert_cmpstr (sb_json_get_string (o, "parentcustomerid_account@odata.bind", NULL), ==,
                   "/accounts(4a3a2d3e-0000-0000-0000-00000000000f)");
}

static void
test_tables (void)
{
  g_autofree char *key =
      sb_dataverse_alternate_key ("firstname", "Jo", "emailaddress1", "o'a@b.c", NULL);
  g_autofree char *id = sb_dataverse_id_from_entity_id (
      "https://org.crm4.dynamics.com/api/data/v9.2/accounts(4A3A2D3E-0000-0000-0000-00000000000F)");
  g_autofree char *guid = sb_dataverse_new_guid ();
  g_autofree char *bind = sb_dataverse_bind_value ("accounts", guid);

  g_assert_cmpstr (sb_dataverse_primary_key ("salesorders"), ==, "salesorderid");
  g_assert_cmpstr (sb_dataverse_primary_key ("opportunities"), ==, "opportunityid");
  g_assert_cmpstr (sb_dataverse_primary_key ("transactioncurrencies"), ==, "transactioncurrencyid");
  g_assert_null (sb_dataverse_primary_key ("nosuchset"));
  g_assert_cmpstr (sb_dataverse_table_from_entity_set ("quotedetails"), ==, "quotedetail");
  g_assert_cmpstr (sb_dataverse_entity_set_from_table ("opportunity"), ==, "opportunities");
  g_assert_cmpstr (key, ==, "firstname='Jo',emailaddress1='o''a@b.c'");
  g_assert_cmpstr (id, ==, "4a3a2d3e-0000-0000-0000-00000000000f");
  g_assert_null (sb_dataverse_id_from_entity_id ("https://x/accounts(nope)"));
  g_assert_null (sb_dataverse_id_from_entity_id (NULL));
  g_assert_true (sb_dataverse_is_guid (guid));
  g_assert_false (sb_dataverse_is_guid ("4a3a2d3e"));
  g_assert_true (g_str_has_prefix (bind, "/accounts("));
  g_assert_cmpint (sb_dataverse_default_status ("salesorders", SB_DV_SALESORDER_STATE_FULFILLED),
                   ==, SB_DV_SALESORDER_STATUS_COMPLETE);
  g_assert_cmpint (sb_dataverse_default_status ("quotes", SB_DV_QUOTE_STATE_WON), ==,
                   SB_DV_QUOTE_STATUS_WON);
  g_assert_cmpint (sb_dataverse_default_status ("accounts", SB_DV_STATE_INACTIVE), ==,
                   SB_DV_STATUS_INACTIVE);
  g_assert_cmpint (sb_dataverse_default_status ("pricelevels", 0), ==,
                   SB_DV_PRICELEVEL_STATUS_ACTIVE);
  g_assert_cmpint (sb_dataverse_default_status ("posts", 0), ==, -1);
}

static void
test_urls (void)
{
  static const char *const good[] = {
    "https://contoso.crm4.dynamics.com/",
    "https://contoso.crm4.dynamics.com",
    "  https://contoso.crm4.dynamics.com/  ",
    "http://127.0.0.1:8080/",
    "http://127.0.0.2/",
    "http://localhost:1234",
    "http://[::1]:9000/",
  };
  static const char *const bad[] = {
    "",
    "contoso.crm4.dynamics.com",
    "ftp://contoso.crm4.dynamics.com/",
    "http://contoso.crm4.dynamics.com/",
    "http://10.0.0.1/",
    "http://localhost.evil.com/",
    "https://user:pw@contoso.crm4.dynamics.com/",
    "https:///nohost",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (sb_dataverse_check_url (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (sb_dataverse_check_url (bad[i], &error));
      g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_INVALID_URL);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_connection_config (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autoptr (SbDataverseConnection) http = NULL;
  g_autoptr (SbDataverseConnection) authority = NULL;

  /* A pasted Web API endpoint becomes the environment URL. */
  cnc = sb_dataverse_connection_new ("https://Contoso.crm4.dynamics.com/api/data/v9.2/", "t", "c",
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_dataverse_connection_get_base_url (cnc), ==,
                   "https://contoso.crm4.dynamics.com/");
  g_assert_cmpstr (sb_dataverse_connection_get_api_url (cnc), ==,
                   "https://contoso.crm4.dynamics.com/api/data/v9.2/");
  g_assert_cmpstr (sb_dataverse_connection_get_authority (cnc), ==, SB_DATAVERSE_DEFAULT_AUTHORITY);

  http = sb_dataverse_connection_new ("http://contoso.crm4.dynamics.com/", "t", "c", &error);
  g_assert_null (http);
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  /* A plain-http authority is refused too, and every request says so without sending. */
  authority =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", "https://x.dynamics.com", "authority",
                    "http://login.example.com/", "tenant", "t", "client-id", "c", NULL);
  sb_dataverse_connection_set_client_secret (authority, "s");
  g_assert_false (sb_dataverse_connection_sign_in_sync (authority, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_INVALID_URL);
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (authority), ==, 0);
}

static void
test_error_details (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;

  sb_dataverse_error_set (&error, SB_DATAVERSE_ERROR_NOT_FOUND, 404, "0x80040217", "gone");
  copy = g_error_copy (error);
  g_assert_error (copy, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND);
  g_assert_cmpuint (sb_dataverse_error_get_status (copy), ==, 404);
  g_assert_cmpstr (sb_dataverse_error_get_code (copy), ==, "0x80040217");
  g_assert_cmpstr (copy->message, ==, "gone");
  g_clear_error (&copy);
  copy = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
  g_assert_cmpuint (sb_dataverse_error_get_status (copy), ==, 0);
  g_assert_null (sb_dataverse_error_get_code (copy));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dataverse/units/literals", test_literals);
  g_test_add_func ("/dataverse/units/filter", test_filter);
  g_test_add_func ("/dataverse/units/query-path", test_query_path);
  g_test_add_func ("/dataverse/units/json", test_json);
  g_test_add_func ("/dataverse/units/tables", test_tables);
  g_test_add_func ("/dataverse/units/urls", test_urls);
  g_test_add_func ("/dataverse/units/connection-config", test_connection_config);
  g_test_add_func ("/dataverse/units/error-details", test_error_details);
  return g_test_run ();
}
