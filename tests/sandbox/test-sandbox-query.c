/* test-sandbox-query.c: $select/$filter/$orderby/$top/$count/$expand, paging and change
 * tracking of salesbridge-sandbox, over HTTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <string.h>

#define ADD(name, func)                                                                            \
  g_test_add (name, SbtFixture, NULL, sbt_fixture_setup, func, sbt_fixture_teardown)

static JsonArray *
values (SbtResponse *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_array_member (sbt_object (r), "value");
}

static void
create_accounts (SbtFixture *fx, guint n, const char *prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"name\": \"%s %03u\", \"accountnumber\": \"%s%03u\", \"creditlimit\": %u, "
          "\"customertypecode\": %u, \"address1_city\": %s}",
          prefix, i, prefix, i, i * 10, i % 2 ? 3 : 8, i % 3 ? "\"Oslo\"" : "null");
      g_autofree char *id = sbt_create (fx, "accounts", body);
    }
}

static void
test_filter_select_orderby (SbtFixture *fx, gconstpointer data)
{
  create_accounts (fx, 12, "Acme");
  {
    g_autoptr (SbtResponse) r =
        sbt_call (fx, "GET",
                  "accounts?$select=name,creditlimit&$filter=creditlimit%20ge%2050%20and%20("
                  "customertypecode%20eq%203"
                  "%20or%20startswith(name,'ACME%20010'))&$orderby=creditlimit%20desc",
                  NULL, NULL);
    JsonArray *v = values (r);
    JsonObject *first = json_array_get_object_element (v, 0);

    /* 50…110 with customertypecode 3 (odd i: 5,7,9,11) plus "Acme 010" (case-insensitive). */
    g_assert_cmpuint (json_array_get_length (v), ==, 5);
    g_assert_cmpfloat (json_object_get_double_member (first, "creditlimit"), ==, 110);
    g_assert_true (json_object_has_member (first, "accountid"));
    g_assert_false (json_object_has_member (first, "accountnumber"));
    g_assert_true (
        g_str_has_suffix (json_object_get_string_member (sbt_object (r), "@odata.context"),
                          "#accounts(name,creditlimit)"));
  }
  {
    g_autoptr (SbtResponse) r = sbt_call (
        fx, "GET", "accounts?$filter=address1_city%20eq%20null&$count=true&$top=2", NULL, NULL);

    g_assert_cmpuint (json_array_get_length (values (r)), ==, 2);
    g_assert_cmpint (json_object_get_int_member (sbt_object (r), "@odata.count"), ==, 4);
    g_assert_false (json_object_has_member (sbt_object (r), "@odata.nextLink"));
  }
  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "accounts/$count", NULL, NULL);
    g_autofree char *text = sbt_body_text (r);

    g_assert_cmpuint (r->status, ==, 200);
    /* 12 created by this test; the base seed has no accounts. */
    g_assert_cmpstr (text, ==, "12");
  }
  {
    /* Unknown attributes and unsupported options are refused with 400. */
    static const char *const bad[] = {
      "accounts?$select=Name",    "accounts?$filter=nosuch%20eq%201",
      "accounts?$skip=10",        "accounts?$search=acme",
      "accounts?$format=json",    "accounts?$foo=1",
      "accounts?$top=-1",         "accounts?$filter=name%20eq",
      "accounts?$orderby=nosuch", "accounts?$select=name&$select=name",
      "accounts?$expand=nosuch"
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (SbtResponse) r = sbt_call (fx, "GET", bad[i], NULL, NULL);

        if (r->status != 400)
          g_error ("%s: expected 400, got %u", bad[i], r->status);
        g_assert_nonnull (sbt_error_message (r));
      }
  }
  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "accounts?$skip=1", NULL, NULL);

    g_assert_nonnull (strstr (sbt_error_message (r), "$skip"));
  }
}

static void
test_expand (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account =
      sbt_create (fx, "accounts", "{\"name\": \"Exp\", \"accountnumber\": \"E1\"}");
  g_autofree char *body =
      g_strdup_printf ("{\"firstname\": \"Pri\", \"lastname\": \"Mary\", "
                       "\"parentcustomerid_account@odata.bind\": \"/accounts(%s)\"}",
                       account);
  g_autofree char *contact = sbt_create (fx, "contacts", body);
  g_autofree char *patch =
      g_strdup_printf ("{\"primarycontactid@odata.bind\": \"/contacts(%s)\"}", contact);
  g_autofree char *path = g_strdup_printf ("accounts(%s)", account);
  g_autoptr (SbtResponse) u = sbt_call (fx, "PATCH", path, patch, NULL);
  g_autoptr (SbtResponse) r =
      sbt_call (fx, "GET",
                "accounts?$select=name&$expand=primarycontactid($select=fullname),"
                "ownerid($select=fullname),contact_customer_accounts($select=fullname)",
                NULL, NULL);
  JsonObject *row = json_array_get_object_element (values (r), 0);

  g_assert_cmpuint (u->status, ==, 204);
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (row, "primarycontactid"), "fullname"),
                   ==, "Pri Mary");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (row, "ownerid"), "fullname"),
      ==, "Salesbridge Integration");
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (row, "contact_customer_accounts")), ==,
      1);

  {
    /* One-to-many expands take $filter, $orderby and $top. */
    g_autofree char *b2 =
        g_strdup_printf ("{\"firstname\": \"Zed\", \"lastname\": \"Last\", "
                         "\"parentcustomerid_account@odata.bind\": \"/accounts(%s)\"}",
                         account);
    g_autofree char *c2 = sbt_create (fx, "contacts", b2);
    g_autoptr (SbtResponse) r2 =
        sbt_call (fx, "GET",
                  "accounts?$select=name&$expand=contact_customer_accounts("
                  "$select=fullname;$orderby=firstname%20desc)",
                  NULL, NULL);
    g_autoptr (SbtResponse) r3 =
        sbt_call (fx, "GET",
                  "accounts?$select=name&$expand=contact_customer_accounts("
                  "$select=fullname;$filter=startswith(firstname,'p'))",
                  NULL, NULL);
    JsonArray *sorted = json_object_get_array_member (
        json_array_get_object_element (values (r2), 0), "contact_customer_accounts");
    JsonArray *filtered = json_object_get_array_member (
        json_array_get_object_element (values (r3), 0), "contact_customer_accounts");

    g_assert_cmpuint (json_array_get_length (sorted), ==, 2);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (sorted, 0), "fullname"), ==,
        "Zed Last");
    g_assert_cmpuint (json_array_get_length (filtered), ==, 1);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (filtered, 0), "fullname"), ==,
        "Pri Mary");
  }
}

static char *
follow (SbtFixture *fx, SbtResponse *r, const char *prefer)
{
  JsonObject *o = sbt_object (r);

  if (!json_object_has_member (o, "@odata.nextLink"))
    return NULL;
  return g_strdup (json_object_get_string_member (o, "@odata.nextLink"));
}

static void
test_paging_stable_while_inserting (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) originals = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup ("accounts?$select=name&$orderby=name%20asc");
  guint pages = 0, inserted = 0;

  for (guint i = 0; i < 23; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\": \"Row %02u\"}", i * 2);

      g_ptr_array_add (originals, sbt_create (fx, "accounts", body));
    }
  while (url != NULL)
    {
      g_autoptr (SbtResponse) r =
          sbt_call (fx, "GET", url, NULL, "Prefer", "odata.maxpagesize=5", NULL);
      JsonArray *v = values (r);
      g_autofree char *next = follow (fx, r, NULL);

      g_assert_cmpuint (json_array_get_length (v), <=, 5);
      if (next != NULL)
        {
          g_assert_true (g_str_has_prefix (next, fx->api));
          g_assert_nonnull (strstr (next, "$skiptoken="));
          g_assert_cmpuint (json_array_get_length (v), ==, 5);
          g_assert_nonnull (
              strstr (soup_message_headers_get_list (r->headers, "Preference-Applied"),
                      "odata.maxpagesize=5"));
        }
      for (guint i = 0; i < json_array_get_length (v); i++)
        {
          const char *id =
              json_object_get_string_member (json_array_get_object_element (v, i), "accountid");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }
      /* Rows inserted before and after the cursor, and one deleted, while paging. */
      {
        g_autofree char *b1 = g_strdup_printf ("{\"name\": \"Row %02u\"}", pages * 2 + 1);
        g_autofree char *b2 = g_strdup_printf ("{\"name\": \"Row 9%u\"}", pages);
        g_autofree char *id1 = sbt_create (fx, "accounts", b1);
        g_autofree char *id2 = sbt_create (fx, "accounts", b2);

        inserted += 2;
      }
      pages++;
      g_free (url);
      url = g_steal_pointer (&next);
    }
  g_assert_cmpuint (pages, >=, 5);
  for (guint i = 0; i < originals->len; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (originals, i)));
  g_assert_cmpuint (inserted, >, 0);
}

static GPtrArray *
ids_in_order (SbtFixture *fx, const char *first, const char *prefer)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup (first);

  while (url != NULL)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "GET", url, NULL, "Prefer", prefer, NULL);
      JsonArray *v = values (r);

      for (guint i = 0; i < json_array_get_length (v); i++)
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                  json_array_get_object_element (v, i), "accountid")));
      g_free (url);
      url = follow (fx, r, NULL);
    }
  return ids;
}

static void
test_paging_nulls_and_descending (SbtFixture *fx, gconstpointer data)
{
  static const char *const orders[] = { "address1_city%20desc,creditlimit%20asc",
                                        "address1_city%20asc,customertypecode%20desc,name",
                                        "customertypecode,address1_city%20desc" };

  create_accounts (fx, 13, "N");
  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *url =
          g_strdup_printf ("accounts?$select=name,address1_city&$orderby=%s", orders[o]);
      g_autoptr (GPtrArray) whole = ids_in_order (fx, url, "odata.maxpagesize=5000");
      g_autoptr (GPtrArray) paged = ids_in_order (fx, url, "odata.maxpagesize=2");

      /* Keyset paging across NULLs and mixed directions gives exactly the unpaged order. */
      g_assert_cmpuint (whole->len, ==, 13);
      g_assert_cmpuint (paged->len, ==, 13);
      for (guint i = 0; i < whole->len; i++)
        g_assert_cmpstr (g_ptr_array_index (whole, i), ==, g_ptr_array_index (paged, i));
    }
}

static void
test_paging_default_and_top (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) r = NULL;

  create_accounts (fx, 7, "P");
  r = sbt_call (fx, "GET", "accounts?$top=3", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (values (r)), ==, 3);
  g_assert_false (json_object_has_member (sbt_object (r), "@odata.nextLink"));
  {
    /* $top is ignored once a page size is asked for. */
    g_autoptr (SbtResponse) p =
        sbt_call (fx, "GET", "accounts?$top=3", NULL, "Prefer", "odata.maxpagesize=4", NULL);

    g_assert_cmpuint (json_array_get_length (values (p)), ==, 4);
    g_assert_true (json_object_has_member (sbt_object (p), "@odata.nextLink"));
  }
  {
    g_autoptr (SbtResponse) all = sbt_call (fx, "GET", "accounts", NULL, NULL);

    g_assert_cmpuint (json_array_get_length (values (all)), ==, 7);
    /* No $select: every attribute, nulls included. */
    g_assert_true (
        json_object_has_member (json_array_get_object_element (values (all), 0), "telephone1"));
  }
  {
    g_autoptr (SbtResponse) bad = sbt_call (fx, "GET", "accounts?$skiptoken=garbage", NULL, NULL);

    g_assert_cmpuint (bad->status, ==, 400);
  }
}

static GPtrArray *
read_all (SbtFixture *fx, const char *first_url, char **out_delta, GPtrArray **out_deleted)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup (first_url);

  *out_delta = NULL;
  if (out_deleted != NULL)
    *out_deleted = g_ptr_array_new_with_free_func (g_free);
  while (url != NULL)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "GET", url, NULL, "Prefer",
                                            "odata.track-changes,odata.maxpagesize=3", NULL);
      JsonObject *o = sbt_object (r);
      JsonArray *v = values (r);

      g_assert_nonnull (strstr (soup_message_headers_get_list (r->headers, "Preference-Applied"),
                                "odata.track-changes"));
      for (guint i = 0; i < json_array_get_length (v); i++)
        {
          JsonObject *row = json_array_get_object_element (v, i);

          if (json_object_has_member (row, "reason"))
            {
              g_assert_cmpstr (json_object_get_string_member (row, "reason"), ==, "deleted");
              g_assert_true (g_str_has_suffix (
                  json_object_get_string_member (row, "@odata.context"), "$deletedEntity"));
              g_ptr_array_add (*out_deleted, g_strdup (json_object_get_string_member (row, "id")));
            }
          else
            g_ptr_array_add (ids, g_strdup (json_object_get_string_member (row, "accountid")));
        }
      g_free (url);
      url = json_object_has_member (o, "@odata.nextLink")
                ? g_strdup (json_object_get_string_member (o, "@odata.nextLink"))
                : NULL;
      if (url == NULL)
        {
          g_assert_true (json_object_has_member (o, "@odata.deltaLink"));
          *out_delta = g_strdup (json_object_get_string_member (o, "@odata.deltaLink"));
          g_assert_nonnull (strstr (*out_delta, "$deltatoken="));
        }
      else
        g_assert_false (json_object_has_member (o, "@odata.deltaLink"));
    }
  return ids;
}

static gboolean
contains (GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      return TRUE;
  return FALSE;
}

static void
test_change_tracking (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (GPtrArray) deleted = NULL;
  g_autoptr (GPtrArray) third = NULL;
  g_autoptr (GPtrArray) deleted3 = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *delta2 = NULL;
  g_autofree char *delta3 = NULL;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\": \"T%u\"}", i);

      g_ptr_array_add (ids, sbt_create (fx, "accounts", body));
    }
  first = read_all (fx, "accounts?$select=name,accountnumber", &delta, NULL);
  g_assert_cmpuint (first->len, ==, 7);

  {
    g_autofree char *p1 = g_strdup_printf ("accounts(%s)", (char *) g_ptr_array_index (ids, 1));
    g_autofree char *p2 = g_strdup_printf ("accounts(%s)", (char *) g_ptr_array_index (ids, 2));
    g_autoptr (SbtResponse) u = sbt_call (fx, "PATCH", p1, "{\"name\": \"T1 changed\"}", NULL);
    g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", p2, NULL, NULL);
    g_autofree char *created = sbt_create (fx, "accounts", "{\"name\": \"T new\"}");

    g_assert_cmpuint (u->status, ==, 204);
    g_assert_cmpuint (d->status, ==, 204);
    second = read_all (fx, delta, &delta2, &deleted);
    g_assert_cmpuint (second->len, ==, 2);
    g_assert_true (contains (second, g_ptr_array_index (ids, 1)));
    g_assert_true (contains (second, created));
    g_assert_cmpuint (deleted->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (deleted, 0), ==, g_ptr_array_index (ids, 2));
  }
  /* Nothing changed since: an empty delta and yet another link. */
  third = read_all (fx, delta2, &delta3, &deleted3);
  g_assert_cmpuint (third->len, ==, 0);
  g_assert_cmpuint (deleted3->len, ==, 0);

  {
    /* A forged or foreign token is refused; so are options Dataverse refuses with tracking. */
    g_autofree char *forged = g_strdup (delta3);
    char *p = strstr (forged, "$deltatoken=") + strlen ("$deltatoken=");
    g_autoptr (SbtResponse) r = NULL;
    g_autoptr (SbtResponse) r2 = NULL;
    g_autoptr (SbtResponse) r3 = NULL;
    g_autofree char *contacts_url = NULL;

    *p = *p == '1' ? '2' : '1';
    r = sbt_call (fx, "GET", forged, NULL, "Prefer", "odata.track-changes", NULL);
    g_assert_cmpuint (r->status, ==, 400);
    r2 = sbt_call (fx, "GET", "accounts?$select=name&$filter=name%20eq%20'x'", NULL, "Prefer",
                   "odata.track-changes", NULL);
    g_assert_cmpuint (r2->status, ==, 400);
    contacts_url =
        g_strdup_printf ("contacts?$select=fullname&%s", strstr (delta3, "$deltatoken="));
    r3 = sbt_call (fx, "GET", contacts_url, NULL, "Prefer", "odata.track-changes", NULL);
    g_assert_cmpuint (r3->status, ==, 400);
  }
}

static void
short_delta_lifetime (SbSandboxServer *server)
{
  sb_sandbox_server_set_delta_token_lifetime (server, 1);
}

static void
test_change_tracking_expiry (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) first = NULL;
  g_autofree char *delta = NULL;
  g_autofree char *id = sbt_create (fx, "accounts", "{\"name\": \"E\"}");
  g_autoptr (SbtResponse) r = NULL;

  first = read_all (fx, "accounts?$select=name", &delta, NULL);
  g_assert_cmpuint (first->len, ==, 1);
  g_usleep (2100 * 1000);
  r = sbt_call (fx, "GET", delta, NULL, "Prefer", "odata.track-changes", NULL);
  g_assert_cmpuint (r->status, ==, 400);
  g_assert_nonnull (strstr (sbt_error_message (r), "expired"));
}

static void
test_metadata_and_shape (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) one = sbt_call (
      fx, "GET",
      "EntityDefinitions(LogicalName='salesorder')?$select=EntitySetName,PrimaryIdAttribute", NULL,
      NULL);
  g_autoptr (SbtResponse) filtered = sbt_call (
      fx, "GET",
      "EntityDefinitions?$select=LogicalName&$filter=EntitySetName%20eq%20'opportunities'", NULL,
      NULL);
  g_autoptr (SbtResponse) attrs = sbt_call (
      fx, "GET",
      "EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName,AttributeType", NULL,
      NULL);
  g_autoptr (SbtResponse) list = NULL;
  g_autofree char *text = NULL;
  JsonArray *a;
  gboolean found = FALSE;

  g_assert_cmpuint (one->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (one), "EntitySetName"), ==,
                   "salesorders");
  g_assert_cmpstr (json_object_get_string_member (sbt_object (one), "PrimaryIdAttribute"), ==,
                   "salesorderid");
  a = values (filtered);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (a, 0), "LogicalName"), ==,
      "opportunity");
  a = values (attrs);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      if (g_str_equal (json_object_get_string_member (o, "LogicalName"), "transactioncurrencyid"))
        {
          g_assert_cmpstr (json_object_get_string_member (o, "AttributeType"), ==, "Lookup");
          found = TRUE;
        }
    }
  g_assert_true (found);

  {
    /* $metadata is well-formed CSDL naming every entity set. */
    g_autoptr (SbtResponse) csdl = sbt_call (fx, "GET", "$metadata", NULL, NULL);
    g_autofree char *xml = sbt_body_text (csdl);
    GMarkupParser parser = { 0 };
    g_autoptr (GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);

    g_assert_cmpuint (csdl->status, ==, 200);
    g_assert_nonnull (strstr (
        xml, "<EntitySet Name=\"salesorders\" EntityType=\"Microsoft.Dynamics.CRM.salesorder\"/>"));
    g_assert_nonnull (strstr (xml, "<PropertyRef Name=\"accountid\"/>"));
    g_assert_true (g_markup_parse_context_parse (ctx, xml, -1, NULL));
    g_assert_true (g_markup_parse_context_end_parse (ctx, NULL));
  }

  /* OData JSON: @odata.context first, value before the next link, each row's etag first. */
  create_accounts (fx, 3, "S");
  list = sbt_call (fx, "GET", "accounts?$select=name", NULL, "Prefer", "odata.maxpagesize=2", NULL);
  text = sbt_body_text (list);
  g_assert_true (g_str_has_prefix (text, "{\"@odata.context\":"));
  g_assert_true (strstr (text, "\"value\":[{\"@odata.etag\":") <
                 strstr (text, "\"@odata.nextLink\""));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/sandbox/query/filter-select-orderby", test_filter_select_orderby);
  ADD ("/sandbox/query/expand", test_expand);
  ADD ("/sandbox/query/paging-stable-while-inserting", test_paging_stable_while_inserting);
  ADD ("/sandbox/query/paging-default-and-top", test_paging_default_and_top);
  ADD ("/sandbox/query/paging-nulls-and-descending", test_paging_nulls_and_descending);
  ADD ("/sandbox/query/change-tracking", test_change_tracking);
  ADD ("/sandbox/query/metadata-and-shape", test_metadata_and_shape);
  g_test_add ("/sandbox/query/change-tracking-expiry", SbtFixture,
              (gconstpointer) short_delta_lifetime, sbt_fixture_setup, test_change_tracking_expiry,
              sbt_fixture_teardown);
  return g_test_run ();
}
