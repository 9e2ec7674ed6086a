/* test-sandbox-crud.c: create, retrieve, update, upsert, delete, lookups, ETags, computed
 * columns, state rules and quote messages of salesbridge-sandbox, over HTTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <string.h>

#define ADD(name, func)                                                                            \
  g_test_add (name, SbtFixture, NULL, sbt_fixture_setup, func, sbt_fixture_teardown)

static JsonObject *
get_row (SbtFixture *fx, const char *path, SbtResponse **out)
{
  SbtResponse *r = sbt_call (fx, "GET", path, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  *out = r;
  return sbt_object (r);
}

static void
test_create_and_retrieve (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) r = NULL;
  g_autoptr (SbtResponse) got = NULL;
  g_autofree char *id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *path = NULL;
  JsonObject *row;

  r = sbt_call (fx, "POST", "accounts",
                "{\"name\": \"Fourth Coffee\", \"accountnumber\": \"C1\", \"creditlimit\": 1000.5, "
                "\"customertypecode\": 3}",
                NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpuint (g_bytes_get_size (r->body), ==, 0);
  id = sbt_entity_id (r);
  expected = g_strdup_printf ("%saccounts(%s)", fx->api, id);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "OData-EntityId"), ==, expected);

  path = g_strdup_printf ("accounts(%s)", id);
  row = get_row (fx, path, &got);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Fourth Coffee");
  g_assert_cmpstr (json_object_get_string_member (row, "accountid"), ==, id);
  g_assert_cmpfloat (json_object_get_double_member (row, "creditlimit"), ==, 1000.5);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (row, "@odata.etag"), "W/\""));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "@odata.context"),
                                   "$metadata#accounts/$entity"));
  /* Owner, creator and modifier default to the calling user; dates are UTC with seconds. */
  g_assert_cmpstr (json_object_get_string_member (row, "_ownerid_value"), ==, fx->user_id);
  g_assert_cmpstr (json_object_get_string_member (row, "_createdby_value"), ==, fx->user_id);
  g_assert_cmpstr (json_object_get_string_member (row, "_modifiedby_value"), ==, fx->user_id);
  g_assert_cmpuint (strlen (json_object_get_string_member (row, "createdon")), ==, 20);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "modifiedon"), "Z"));
  g_assert_cmpint (json_object_get_int_member (row, "statecode"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "statuscode"), ==, 1);
  /* The org's base currency is set on create; unset attributes read as null. */
  g_assert_nonnull (json_object_get_string_member (row, "_transactioncurrencyid_value"));
  g_assert_true (json_object_get_null_member (row, "telephone1"));

  /* By alternate key, case-insensitively as SQL Server collations compare. */
  {
    g_autoptr (SbtResponse) byk =
        sbt_call (fx, "GET", "accounts(accountnumber='c1')?$select=name", NULL, NULL);

    g_assert_cmpuint (byk->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (byk), "accountid"), ==, id);
    g_assert_false (json_object_has_member (sbt_object (byk), "telephone1"));
  }
}

static void
test_representation_and_client_id (SbtFixture *fx, gconstpointer data)
{
  const char *id = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
  g_autoptr (SbtResponse) r = NULL;
  g_autoptr (SbtResponse) again = NULL;

  r = sbt_call (fx, "POST", "contacts?$select=fullname,firstname",
                "{\"contactid\": \"6F9619FF-8B86-D011-B42D-00C04FC964FF\", \"firstname\": "
                "\"Jo\", \"lastname\": \"Brown\"}",
                "Prefer", "return=representation", NULL);
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Preference-Applied"), ==,
                   "return=representation");
  g_assert_cmpstr (json_object_get_string_member (sbt_object (r), "contactid"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (r), "fullname"), ==, "Jo Brown");

  /* Retrying the create with the same id is refused as a duplicate. */
  again = sbt_call (fx, "POST", "contacts",
                    "{\"contactid\": \"6f9619ff-8b86-d011-b42d-00c04fc964ff\"}", NULL);
  g_assert_cmpuint (again->status, ==, 412);
  g_assert_cmpstr (sbt_error_code (again), ==, "0x80040237");
}

static void
test_update_upsert_and_etags (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *id = sbt_create (fx, "accounts", "{\"name\": \"A\"}");
  g_autofree char *path = g_strdup_printf ("accounts(%s)", id);
  g_autoptr (SbtResponse) first = NULL;
  g_autofree char *etag = NULL;
  const char *missing = "accounts(00000000-0000-0000-0000-0000000000aa)";

  first = sbt_call (fx, "GET", path, NULL, NULL);
  etag = g_strdup (json_object_get_string_member (sbt_object (first), "@odata.etag"));

  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "GET", path, NULL, "If-None-Match", etag, NULL);

    g_assert_cmpuint (r->status, ==, 304);
  }
  {
    g_autoptr (SbtResponse) r =
        sbt_call (fx, "PATCH", path, "{\"name\": \"B\"}", "If-Match", etag, NULL);

    g_assert_cmpuint (r->status, ==, 204);
  }
  {
    /* The ETag moved on: the old one no longer matches (optimistic concurrency). */
    g_autoptr (SbtResponse) r =
        sbt_call (fx, "PATCH", path, "{\"name\": \"C\"}", "If-Match", etag, NULL);
    g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", path, NULL, "If-Match", etag, NULL);
    g_autoptr (SbtResponse) g = sbt_call (fx, "GET", path, NULL, "If-None-Match", etag, NULL);

    g_assert_cmpuint (r->status, ==, 412);
    g_assert_cmpstr (sbt_error_code (r), ==, "0x80060882");
    g_assert_cmpuint (d->status, ==, 412);
    g_assert_cmpuint (g->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (g), "name"), ==, "B");
    g_assert_cmpstr (json_object_get_string_member (sbt_object (g), "@odata.etag"), !=, etag);
  }
  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "PATCH", path, "{\"name\": \"D\"}", "Prefer",
                                          "return=representation", "If-Match", "*", NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (r), "name"), ==, "D");
  }
  {
    /* If-Match: * never creates; If-None-Match: * never updates. */
    g_autoptr (SbtResponse) r =
        sbt_call (fx, "PATCH", missing, "{\"name\": \"X\"}", "If-Match", "*", NULL);
    g_autoptr (SbtResponse) r2 =
        sbt_call (fx, "PATCH", path, "{\"name\": \"X\"}", "If-None-Match", "*", NULL);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpstr (sbt_error_code (r), ==, "0x80040217");
    g_assert_cmpuint (r2->status, ==, 412);
    g_assert_cmpstr (sbt_error_code (r2), ==, "0x80040237");
  }
  {
    /* Plain PATCH on a missing id creates it (upsert), by id and by alternate key. */
    g_autoptr (SbtResponse) r = sbt_call (fx, "PATCH", missing, "{\"name\": \"Upserted\"}", NULL);
    g_autoptr (SbtResponse) r2 =
        sbt_call (fx, "PATCH", "accounts(accountnumber='K-1')", "{\"name\": \"By key\"}", NULL);
    g_autoptr (SbtResponse) r3 = sbt_call (fx, "PATCH", "accounts(accountnumber='K-1')",
                                           "{\"name\": \"By key again\"}", NULL);
    g_autoptr (SbtResponse) g = NULL;
    g_autofree char *key_id = NULL;
    g_autofree char *key_id2 = NULL;

    g_assert_cmpuint (r->status, ==, 204);
    g_assert_true (g_str_has_suffix (soup_message_headers_get_one (r->headers, "OData-EntityId"),
                                     "accounts(00000000-0000-0000-0000-0000000000aa)"));
    g_assert_cmpuint (r2->status, ==, 204);
    g_assert_cmpuint (r3->status, ==, 204);
    key_id = sbt_entity_id (r2);
    key_id2 = sbt_entity_id (r3);
    g_assert_cmpstr (key_id, ==, key_id2);
    g = sbt_call (fx, "GET", "accounts(accountnumber='K-1')?$select=name,accountnumber", NULL,
                  NULL);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (g), "name"), ==, "By key again");
    g_assert_cmpstr (json_object_get_string_member (sbt_object (g), "accountnumber"), ==, "K-1");
  }
  {
    g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", path, NULL, NULL);
    g_autoptr (SbtResponse) d2 = sbt_call (fx, "DELETE", path, NULL, NULL);
    g_autoptr (SbtResponse) g = sbt_call (fx, "GET", path, NULL, NULL);

    g_assert_cmpuint (d->status, ==, 204);
    g_assert_cmpuint (d2->status, ==, 404);
    g_assert_cmpstr (sbt_error_code (d2), ==, "0x80040217");
    g_assert_cmpuint (g->status, ==, 404);
  }
}

static void
test_alternate_key_duplicate (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *id =
      sbt_create (fx, "accounts", "{\"name\": \"A\", \"accountnumber\": \"DUP\"}");
  g_autoptr (SbtResponse) r =
      sbt_call (fx, "POST", "accounts", "{\"name\": \"B\", \"accountnumber\": \"dup\"}", NULL);
  g_autoptr (SbtResponse) bad = sbt_call (fx, "GET", "accounts(name='A')", NULL, NULL);

  g_assert_cmpuint (r->status, ==, 412);
  g_assert_cmpstr (sbt_error_code (r), ==, "0x80060892");
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_lookups_and_annotations (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Parent Co\"}");
  g_autofree char *body = g_strdup_printf (
      "{\"firstname\": \"Ann\", \"lastname\": \"Lee\", \"parentcustomerid_account@odata.bind\": "
      "\"/accounts(%s)\"}",
      account);
  g_autofree char *contact = sbt_create (fx, "contacts", body);
  g_autofree char *path = g_strdup_printf ("contacts(%s)?$select=fullname,_parentcustomerid_value&$"
                                           "expand=parentcustomerid_account($select=name)",
                                           contact);
  g_autoptr (SbtResponse) r =
      sbt_call (fx, "GET", path, NULL, "Prefer", "odata.include-annotations=\"*\"", NULL);
  JsonObject *row = sbt_object (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (row, "_parentcustomerid_value"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (
                       row, "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"),
                   ==, "account");
  g_assert_cmpstr (json_object_get_string_member (
                       row, "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"),
                   ==, "Parent Co");
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (row, "parentcustomerid_account"), "name"),
                   ==, "Parent Co");
  g_assert_false (json_object_has_member (row, "parentcustomerid_contact"));

  {
    /* Polymorphic: the same lookup pointing at a contact; a bind to a missing row is 404. */
    g_autofree char *b2 = g_strdup_printf (
        "{\"parentcustomerid_contact@odata.bind\": \"%scontacts(%s)\"}", fx->api, contact);
    g_autofree char *p2 = g_strdup_printf ("contacts(%s)", contact);
    g_autoptr (SbtResponse) u = NULL;
    g_autoptr (SbtResponse) g = NULL;
    g_autoptr (SbtResponse) bad = NULL;
    g_autoptr (SbtResponse) clear = NULL;

    u = sbt_call (fx, "PATCH", p2, b2, NULL);
    g_assert_cmpuint (u->status, ==, 204);
    g = sbt_call (fx, "GET", p2, NULL, "Prefer",
                  "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"", NULL);
    g_assert_cmpstr (
        json_object_get_string_member (
            sbt_object (g), "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"),
        ==, "contact");
    g_assert_false (json_object_has_member (sbt_object (g),
                                            "statecode@OData.Community.Display.V1.FormattedValue"));
    bad = sbt_call (fx, "PATCH", p2,
                    "{\"parentcustomerid_account@odata.bind\": "
                    "\"/accounts(00000000-0000-0000-0000-000000000001)\"}",
                    NULL);
    g_assert_cmpuint (bad->status, ==, 404);
    clear = sbt_call (fx, "PATCH", p2, "{\"parentcustomerid_contact@odata.bind\": null}", NULL);
    g_assert_cmpuint (clear->status, ==, 204);
  }
  {
    /* Writing _x_value directly is refused, as in Dataverse. */
    g_autofree char *b3 = g_strdup_printf ("{\"_parentcustomerid_value\": \"%s\"}", account);
    g_autoptr (SbtResponse) u = sbt_call (fx, "POST", "contacts", b3, NULL);

    g_assert_cmpuint (u->status, ==, 400);
  }
}

static void
test_formatted_values (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *id = sbt_create (
      fx, "accounts", "{\"name\": \"F\", \"creditlimit\": 1234.5, \"customertypecode\": 3}");
  g_autofree char *path =
      g_strdup_printf ("accounts(%s)?$select=creditlimit,customertypecode,statecode", id);
  g_autoptr (SbtResponse) r =
      sbt_call (fx, "GET", path, NULL, "Prefer",
                "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\"", NULL);
  JsonObject *row = sbt_object (r);

  g_assert_cmpstr (
      json_object_get_string_member (row, "creditlimit@OData.Community.Display.V1.FormattedValue"),
      ==, "$1,234.50");
  g_assert_cmpstr (json_object_get_string_member (
                       row, "customertypecode@OData.Community.Display.V1.FormattedValue"),
                   ==, "Customer");
  g_assert_cmpstr (
      json_object_get_string_member (row, "statecode@OData.Community.Display.V1.FormattedValue"),
      ==, "Active");
  g_assert_nonnull (soup_message_headers_get_one (r->headers, "Preference-Applied"));
}

static void
test_malformed_bodies (SbtFixture *fx, gconstpointer data)
{
  static const char *const bodies[] = {
    "{\"name\": ",                 /* bad JSON */
    "[1, 2]",                      /* not an object */
    "{\"nosuchattribute\": 1}",    /* unknown attribute */
    "{\"creditlimit\": \"lots\"}", /* wrong type */
    "{\"customertypecode\": 99}",  /* choice out of range */
    "{\"name\": 12}",              /* wrong type */
    "{\"nosuchnav@odata.bind\": \"/accounts(00000000-0000-0000-0000-000000000001)\"}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "POST", "accounts", bodies[i], NULL);

      g_assert_cmpuint (r->status, ==, 400);
      g_assert_nonnull (sbt_error_message (r));
    }
  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "POST", "accounts", "{\"nosuchattribute\": 1}", NULL);

    g_assert_nonnull (strstr (sbt_error_message (r), "nosuchattribute"));
  }
  {
    /* An oversized body is refused with 400 before it is processed. */
    gsize size = 33 * 1024 * 1024;
    char *big = g_malloc (size + 32);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (SbtResponse) r = NULL;

    strcpy (big, "{\"name\": \"");
    memset (big + 10, 'x', size);
    strcpy (big + 10 + size, "\"}");
    bytes = g_bytes_new_take (big, size + 12);
    r = sbt_send (fx, fx->token, "POST", "accounts", "application/json", bytes, NULL);
    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autoptr (SbtResponse) r =
        sbt_call (fx, "POST", "accounts", "{\"name\": \"after the storm\"}", NULL);

    g_assert_cmpuint (r->status, ==, 204);
  }
  {
    g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "Account", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 404);
    g_assert_cmpstr (sbt_error_code (r), ==, "0x8006088a");
  }
}

static char *
create_order (SbtFixture *fx, const char *account)
{
  g_autofree char *body =
      g_strdup_printf ("{\"name\": \"PO-1\", \"freightamount\": 10, \"discountamount\": 5, "
                       "\"customerid_account@odata.bind\": \"/accounts(%s)\"}",
                       account);

  return sbt_create (fx, "salesorders", body);
}

static void
test_order_rules_and_totals (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Buyer\"}");
  g_autofree char *product = sbt_create (
      fx, "products",
      "{\"name\": \"Desk\", \"productnumber\": \"P1\", \"price\": 100, \"producttypecode\": 1}");
  g_autofree char *order = create_order (fx, account);
  g_autofree char *order_path = g_strdup_printf ("salesorders(%s)", order);
  g_autofree char *line_body =
      g_strdup_printf ("{\"quantity\": 3, \"manualdiscountamount\": 20, "
                       "\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                       "\"productid@odata.bind\": \"/products(%s)\"}",
                       order, product);
  g_autofree char *writein =
      g_strdup_printf ("{\"quantity\": 2, \"priceperunit\": 7.5, \"isproductoverridden\": true, "
                       "\"productdescription\": \"Engraving\", \"ispriceoverridden\": true, "
                       "\"salesorderid@odata.bind\": \"/salesorders(%s)\"}",
                       order);
  g_autofree char *line = sbt_create (fx, "salesorderdetails", line_body);
  g_autofree char *line2 = sbt_create (fx, "salesorderdetails", writein);
  g_autofree char *line_path = g_strdup_printf ("salesorderdetails(%s)", line);
  g_autoptr (SbtResponse) l = sbt_call (fx, "GET", line_path, NULL, NULL);
  g_autoptr (SbtResponse) o = sbt_call (fx, "GET", order_path, NULL, NULL);
  JsonObject *lo = sbt_object (l), *oo = sbt_object (o);

  {
    /* A line without its order is refused (salesorderid is required by the system). */
    g_autoptr (SbtResponse) orphan =
        sbt_call (fx, "POST", "salesorderdetails", "{\"quantity\": 1}", NULL);

    g_assert_cmpuint (orphan->status, ==, 400);
  }
  /* Price from the product, amounts computed: 3 × 100 − 20. */
  g_assert_cmpfloat (json_object_get_double_member (lo, "priceperunit"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (lo, "baseamount"), ==, 300);
  g_assert_cmpfloat (json_object_get_double_member (lo, "extendedamount"), ==, 280);
  /* Header: lines 280 + 15, less discount 5, plus freight 10. */
  g_assert_cmpfloat (json_object_get_double_member (oo, "totallineitemamount"), ==, 295);
  g_assert_cmpfloat (json_object_get_double_member (oo, "totalamountlessfreight"), ==, 290);
  g_assert_cmpfloat (json_object_get_double_member (oo, "totalamount"), ==, 300);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (oo, "ordernumber"), "ORD-"));

  {
    /* Deleting a line recomputes the header. */
    g_autofree char *p2 = g_strdup_printf ("salesorderdetails(%s)", line2);
    g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", p2, NULL, NULL);
    g_autoptr (SbtResponse) o2 = sbt_call (fx, "GET", order_path, NULL, NULL);

    g_assert_cmpuint (d->status, ==, 204);
    g_assert_cmpfloat (json_object_get_double_member (sbt_object (o2), "totalamount"), ==, 285);
  }
  {
    /* statecode is not valid on create; a status must belong to its state. */
    g_autofree char *b = g_strdup_printf (
        "{\"name\": \"x\", \"statecode\": 1, \"customerid_account@odata.bind\": \"/accounts(%s)\"}",
        account);
    g_autoptr (SbtResponse) c = sbt_call (fx, "POST", "salesorders", b, NULL);
    g_autoptr (SbtResponse) bad =
        sbt_call (fx, "PATCH", order_path, "{\"statecode\": 1, \"statuscode\": 100001}", NULL);
    g_autoptr (SbtResponse) ok =
        sbt_call (fx, "PATCH", order_path, "{\"statecode\": 1, \"statuscode\": 3}", NULL);
    g_autoptr (SbtResponse) implied =
        sbt_call (fx, "PATCH", order_path, "{\"statecode\": 0}", NULL);
    g_autoptr (SbtResponse) g = sbt_call (fx, "GET", order_path, NULL, NULL);

    g_assert_cmpuint (c->status, ==, 400);
    g_assert_cmpuint (bad->status, ==, 400);
    g_assert_cmpuint (ok->status, ==, 204);
    g_assert_cmpuint (implied->status, ==, 204);
    g_assert_cmpint (json_object_get_int_member (sbt_object (g), "statecode"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (sbt_object (g), "statuscode"), ==, 1);
  }
  {
    /* Deleting the order takes its lines with it. */
    g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", order_path, NULL, NULL);
    g_autoptr (SbtResponse) gl = sbt_call (fx, "GET", line_path, NULL, NULL);

    g_assert_cmpuint (d->status, ==, 204);
    g_assert_cmpuint (gl->status, ==, 404);
  }
}

static void
test_invoice_states (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Payer\"}");
  g_autofree char *body = g_strdup_printf (
      "{\"name\": \"INV\", \"customerid_account@odata.bind\": \"/accounts(%s)\"}", account);
  g_autofree char *invoice = sbt_create (fx, "invoices", body);
  g_autofree char *path = g_strdup_printf ("invoices(%s)", invoice);
  /* integration-behaviour.md §7: Billed → Paid/Partial → (back to Active/Billed) → Paid/Complete.
   */
  static const struct
  {
    const char *change;
    guint status;
  } steps[] = {
    { "{\"statecode\": 0, \"statuscode\": 4}", 204 },
    { "{\"statecode\": 2, \"statuscode\": 100002}", 204 },
    { "{\"statecode\": 2, \"statuscode\": 100001}", 400 },
    { "{\"name\": \"renamed while paid\"}", 400 },
    { "{\"statecode\": 3, \"statuscode\": 100003}", 400 },
    { "{\"statecode\": 0, \"statuscode\": 4}", 204 },
    { "{\"statecode\": 2, \"statuscode\": 100001}", 204 },
    { "{\"statecode\": 2, \"statuscode\": 4}", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "PATCH", path, steps[i].change, NULL);

      if (r->status != steps[i].status)
        g_error ("step %u (%s): expected %u, got %u", i, steps[i].change, steps[i].status,
                 r->status);
    }
}

static void
test_quote_messages (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Q Buyer\"}");
  g_autofree char *qbody = g_strdup_printf (
      "{\"name\": \"Q\", \"customerid_account@odata.bind\": \"/accounts(%s)\"}", account);
  g_autofree char *quote = sbt_create (fx, "quotes", qbody);
  g_autofree char *qpath = g_strdup_printf ("quotes(%s)", quote);
  g_autofree char *lbody =
      g_strdup_printf ("{\"quantity\": 1, \"priceperunit\": 50, \"ispriceoverridden\": true, "
                       "\"isproductoverridden\": true, \"productdescription\": \"Service\", "
                       "\"quoteid@odata.bind\": \"/quotes(%s)\"}",
                       quote);
  g_autofree char *line = sbt_create (fx, "quotedetails", lbody);
  g_autofree char *win =
      g_strdup_printf ("{\"QuoteClose\": {\"subject\": \"Won\", \"quoteid@odata.bind\": "
                       "\"/quotes(%s)\"}, \"Status\": 4}",
                       quote);
  g_autofree char *revise =
      g_strdup_printf ("{\"QuoteId\": \"%s\", \"ColumnSet\": {\"AllColumns\": true}}", quote);
  g_autofree char *number = NULL;

  {
    /* Won only from Active. */
    g_autoptr (SbtResponse) r = sbt_call (fx, "POST", "WinQuote", win, NULL);

    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    g_autoptr (SbtResponse) act =
        sbt_call (fx, "PATCH", qpath, "{\"statecode\": 1, \"statuscode\": 2}", NULL);
    g_autoptr (SbtResponse) direct =
        sbt_call (fx, "PATCH", qpath, "{\"statecode\": 2, \"statuscode\": 4}", NULL);

    g_assert_cmpuint (act->status, ==, 204);
    g_assert_cmpuint (direct->status, ==, 400);
  }
  {
    /* ReviseQuote: a new draft with the same number, revision + 1, the old one Closed/Revised. */
    g_autoptr (SbtResponse) r = sbt_call (fx, "POST", "ReviseQuote", revise, NULL);
    g_autoptr (SbtResponse) old = sbt_call (fx, "GET", qpath, NULL, NULL);
    g_autofree char *newpath = NULL;
    g_autofree char *lines = NULL;
    JsonObject *nq;

    g_assert_cmpuint (r->status, ==, 200);
    nq = sbt_object (r);
    g_assert_cmpint (json_object_get_int_member (nq, "revisionnumber"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (nq, "statecode"), ==, 0);
    g_assert_cmpstr (json_object_get_string_member (nq, "quotenumber"), ==,
                     json_object_get_string_member (sbt_object (old), "quotenumber"));
    g_assert_cmpint (json_object_get_int_member (sbt_object (old), "statecode"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (sbt_object (old), "statuscode"), ==, 7);
    g_assert_cmpfloat (json_object_get_double_member (nq, "totalamount"), ==, 50);
    number = g_strdup (json_object_get_string_member (nq, "quotenumber"));
    lines = g_strdup_printf ("quotedetails?$filter=_quoteid_value eq %s",
                             json_object_get_string_member (nq, "quoteid"));
    {
      g_autoptr (SbtResponse) l = sbt_call (fx, "GET", lines, NULL, NULL);

      g_assert_cmpuint (
          json_array_get_length (json_object_get_array_member (sbt_object (l), "value")), ==, 1);
    }
    newpath = g_strdup_printf ("quotes(%s)", json_object_get_string_member (nq, "quoteid"));
    {
      g_autofree char *win2 = g_strdup_printf ("{\"QuoteClose\": {\"subject\": \"Won\", "
                                               "\"quoteid@odata.bind\": \"/%s\"}, \"Status\": 4}",
                                               newpath);
      g_autoptr (SbtResponse) act =
          sbt_call (fx, "PATCH", newpath, "{\"statecode\": 1, \"statuscode\": 3}", NULL);
      g_autoptr (SbtResponse) w = sbt_call (fx, "POST", "WinQuote", win2, NULL);
      g_autoptr (SbtResponse) g = sbt_call (fx, "GET", newpath, NULL, NULL);
      g_autoptr (SbtResponse) again =
          sbt_call (fx, "PATCH", newpath, "{\"name\": \"changed\"}", NULL);

      g_assert_cmpuint (act->status, ==, 204);
      g_assert_cmpuint (w->status, ==, 204);
      g_assert_cmpint (json_object_get_int_member (sbt_object (g), "statecode"), ==, 2);
      g_assert_cmpint (json_object_get_int_member (sbt_object (g), "statuscode"), ==, 4);
      g_assert_cmpuint (again->status, ==, 400);
    }
  }
  {
    g_autofree char *qb2 = g_strdup_printf (
        "{\"name\": \"Q2\", \"customerid_account@odata.bind\": \"/accounts(%s)\"}", account);
    g_autofree char *q2 = sbt_create (fx, "quotes", qb2);
    g_autofree char *close =
        g_strdup_printf ("{\"QuoteClose\": {\"subject\": \"Lost\", \"quoteid@odata.bind\": "
                         "\"/quotes(%s)\"}, \"Status\": 5}",
                         q2);
    g_autofree char *badclose =
        g_strdup_printf ("{\"QuoteClose\": {\"subject\": \"Lost\", \"quoteid@odata.bind\": "
                         "\"/quotes(%s)\"}, \"Status\": 4}",
                         q2);
    g_autoptr (SbtResponse) bad = sbt_call (fx, "POST", "CloseQuote", badclose, NULL);
    g_autoptr (SbtResponse) r = sbt_call (fx, "POST", "CloseQuote", close, NULL);

    g_assert_cmpuint (bad->status, ==, 400);
    g_assert_cmpuint (r->status, ==, 204);
  }
  g_assert_nonnull (number);
  g_assert_nonnull (line);
}

static void
test_whoami_and_users (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *sales_token = sbt_token (fx, "sales-user", "sandbox");
  g_autoptr (SbtResponse) me = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);
  g_autoptr (SbtResponse) me2 = sbt_call (fx, "GET", "WhoAmI()", NULL, NULL);
  g_autoptr (SbtResponse) post = sbt_call (fx, "POST", "WhoAmI", "{}", NULL);
  g_autoptr (SbtResponse) sales = sbt_request (fx, sales_token, "GET", "WhoAmI", NULL, NULL);
  g_autofree char *roles_path =
      g_strdup_printf ("systemusers(%s)/systemuserroles_association?$select=name", fx->user_id);
  g_autoptr (SbtResponse) roles = sbt_call (fx, "GET", roles_path, NULL, NULL);
  g_autofree char *expand_path =
      g_strdup_printf ("systemusers(%s)?$select=fullname,isintegrationuser&$expand=systemuserroles_"
                       "association($select=name)",
                       fx->user_id);
  g_autoptr (SbtResponse) expanded = sbt_call (fx, "GET", expand_path, NULL, NULL);
  JsonArray *values;
  gboolean admin = FALSE, integration = FALSE;

  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (me), "UserId"), ==, fx->user_id);
  g_assert_nonnull (json_object_get_string_member (sbt_object (me), "BusinessUnitId"));
  g_assert_nonnull (json_object_get_string_member (sbt_object (me), "OrganizationId"));
  g_assert_cmpuint (me2->status, ==, 200);
  g_assert_cmpuint (post->status, ==, 404);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (sales), "UserId"), !=, fx->user_id);

  values = json_object_get_array_member (sbt_object (roles), "value");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      const char *name =
          json_object_get_string_member (json_array_get_object_element (values, i), "name");

      admin |= g_str_equal (name, "System Administrator");
      integration |= g_str_equal (name, "Salesbridge Integration User");
    }
  g_assert_false (admin);
  g_assert_true (integration);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        sbt_object (expanded), "systemuserroles_association")),
                    ==, 2);
  g_assert_true (json_object_get_boolean_member (sbt_object (expanded), "isintegrationuser"));

  {
    /* The sales user's writes carry its own id in _modifiedby_value. */
    g_autoptr (SbtResponse) c =
        sbt_request (fx, sales_token, "POST", "accounts", "{\"name\": \"By sales\"}", "Prefer",
                     "return=representation", NULL);

    g_assert_cmpuint (c->status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (c), "_modifiedby_value"), ==,
                     json_object_get_string_member (sbt_object (sales), "UserId"));
  }
}

static void
test_notes_and_posts (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Noted\"}");
  g_autofree char *nb = g_strdup_printf ("{\"subject\": \"Hi\", \"notetext\": \"Text\", "
                                         "\"objectid_account@odata.bind\": \"/accounts(%s)\"}",
                                         account);
  g_autofree char *pb =
      g_strdup_printf ("{\"text\": \"Released\", \"source\": 1, \"type\": 7, "
                       "\"regardingobjectid_account@odata.bind\": \"/accounts(%s)\"}",
                       account);
  g_autofree char *note = sbt_create (fx, "annotations", nb);
  g_autofree char *post = sbt_create (fx, "posts", pb);
  g_autofree char *post_path = g_strdup_printf ("posts(%s)", post);
  g_autofree char *note_path = g_strdup_printf ("annotations(%s)", note);
  g_autoptr (SbtResponse) up = sbt_call (fx, "PATCH", post_path, "{\"text\": \"x\"}", NULL);
  g_autoptr (SbtResponse) n = sbt_call (fx, "GET", note_path, NULL, NULL);

  g_assert_cmpuint (up->status, ==, 400);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (n), "_objectid_value"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (n), "objecttypecode"), ==, "account");
}

static void
test_refs_and_properties (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account =
      sbt_create (fx, "accounts", "{\"name\": \"Ref Co\", \"telephone1\": \"1\"}");
  g_autofree char *contact = sbt_create (fx, "contacts", "{\"lastname\": \"Linked\"}");
  g_autofree char *assoc = g_strdup_printf ("accounts(%s)/contact_customer_accounts/$ref", account);
  g_autofree char *body = g_strdup_printf ("{\"@odata.id\": \"%scontacts(%s)\"}", fx->api, contact);
  g_autofree char *list =
      g_strdup_printf ("accounts(%s)/contact_customer_accounts?$select=lastname", account);
  g_autofree char *disassoc =
      g_strdup_printf ("accounts(%s)/contact_customer_accounts(%s)/$ref", account, contact);
  g_autofree char *prop = g_strdup_printf ("accounts(%s)/telephone1", account);
  g_autofree char *raw = g_strdup_printf ("accounts(%s)/name/$value", account);
  g_autoptr (SbtResponse) a = sbt_call (fx, "POST", assoc, body, NULL);
  g_autoptr (SbtResponse) l = sbt_call (fx, "GET", list, NULL, NULL);
  g_autoptr (SbtResponse) d = sbt_call (fx, "DELETE", disassoc, NULL, NULL);
  g_autoptr (SbtResponse) l2 = sbt_call (fx, "GET", list, NULL, NULL);
  g_autoptr (SbtResponse) put = sbt_call (fx, "PUT", prop, "{\"value\": \"+1 555 0199\"}", NULL);
  g_autoptr (SbtResponse) get = sbt_call (fx, "GET", prop, NULL, NULL);
  g_autoptr (SbtResponse) value = sbt_call (fx, "GET", raw, NULL, NULL);
  g_autoptr (SbtResponse) fetch =
      sbt_call (fx, "GET", "accounts?fetchXml=%3Cfetch%2F%3E", NULL, NULL);
  g_autofree char *text = sbt_body_text (value);

  g_assert_cmpuint (a->status, ==, 204);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sbt_object (l), "value")),
                    ==, 1);
  g_assert_cmpuint (d->status, ==, 204);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sbt_object (l2), "value")),
                    ==, 0);
  g_assert_cmpuint (put->status, ==, 204);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (get), "value"), ==, "+1 555 0199");
  g_assert_cmpstr (text, ==, "Ref Co");
  g_assert_cmpuint (fetch->status, ==, 400);
}

static void
test_order_and_opportunity_messages (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *account = sbt_create (fx, "accounts", "{\"name\": \"Closer\"}");
  g_autofree char *order = create_order (fx, account);
  g_autofree char *order2 = create_order (fx, account);
  g_autofree char *opp = sbt_create (fx, "opportunities", "{\"name\": \"Deal\"}");
  g_autofree char *fulfill =
      g_strdup_printf ("{\"OrderClose\": {\"subject\": \"Done\", \"salesorderid@odata.bind\": "
                       "\"/salesorders(%s)\"}, \"Status\": 100001}",
                       order);
  g_autofree char *cancel =
      g_strdup_printf ("{\"OrderClose\": {\"subject\": \"No\", \"salesorderid@odata.bind\": "
                       "\"/salesorders(%s)\"}, \"Status\": 4}",
                       order2);
  g_autofree char *win =
      g_strdup_printf ("{\"OpportunityClose\": {\"subject\": \"Won\", "
                       "\"opportunityid@odata.bind\": \"/opportunities(%s)\"}, \"Status\": 3}",
                       opp);
  g_autofree char *order_path =
      g_strdup_printf ("salesorders(%s)?$select=statecode,statuscode,datefulfilled", order);
  g_autofree char *opp_path =
      g_strdup_printf ("opportunities(%s)?$select=statecode,statuscode", opp);
  g_autoptr (SbtResponse) f = sbt_call (fx, "POST", "FulfillSalesOrder", fulfill, NULL);
  g_autoptr (SbtResponse) again = sbt_call (fx, "POST", "FulfillSalesOrder", fulfill, NULL);
  g_autoptr (SbtResponse) c = sbt_call (fx, "POST", "CancelSalesOrder", cancel, NULL);
  g_autoptr (SbtResponse) w = sbt_call (fx, "POST", "WinOpportunity", win, NULL);
  g_autoptr (SbtResponse) o = sbt_call (fx, "GET", order_path, NULL, NULL);
  g_autoptr (SbtResponse) op = sbt_call (fx, "GET", opp_path, NULL, NULL);

  g_assert_cmpuint (f->status, ==, 204);
  g_assert_cmpuint (again->status, ==, 400);
  g_assert_cmpuint (c->status, ==, 204);
  g_assert_cmpuint (w->status, ==, 204);
  g_assert_cmpint (json_object_get_int_member (sbt_object (o), "statecode"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (sbt_object (o), "statuscode"), ==, 100001);
  g_assert_nonnull (json_object_get_string_member (sbt_object (o), "datefulfilled"));
  g_assert_cmpint (json_object_get_int_member (sbt_object (op), "statecode"), ==, 1);
}

static void
test_impersonation (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *sales = sb_sandbox_server_dup_user_id (fx->server, "sales-user");
  g_autofree char *sales_token = sbt_token (fx, "sales-user", "sandbox");
  g_autoptr (SbtResponse) as_sales =
      sbt_call (fx, "POST", "accounts", "{\"name\": \"On behalf\"}", "MSCRMCallerID", sales,
                "Prefer", "return=representation", NULL);
  g_autoptr (SbtResponse) denied =
      sbt_request (fx, sales_token, "POST", "accounts", "{\"name\": \"No\"}", "MSCRMCallerID",
                   fx->user_id, NULL);
  g_autoptr (SbtResponse) unknown = sbt_call (fx, "GET", "WhoAmI", NULL, "MSCRMCallerID",
                                              "00000000-0000-0000-0000-00000000beef", NULL);
  g_autoptr (SbtResponse) who = sbt_call (fx, "GET", "WhoAmI", NULL, "MSCRMCallerID", sales, NULL);

  /* The integration user holds Salesbridge Integration Administrator and may act for others. */
  g_assert_cmpuint (as_sales->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (as_sales), "_createdby_value"), ==,
                   sales);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (as_sales), "_ownerid_value"), ==,
                   sales);
  g_assert_cmpuint (denied->status, ==, 403);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (who), "UserId"), ==, sales);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/sandbox/crud/create-retrieve", test_create_and_retrieve);
  ADD ("/sandbox/crud/representation-client-id", test_representation_and_client_id);
  ADD ("/sandbox/crud/update-upsert-etags", test_update_upsert_and_etags);
  ADD ("/sandbox/crud/alternate-key-duplicate", test_alternate_key_duplicate);
  ADD ("/sandbox/crud/lookups-annotations", test_lookups_and_annotations);
  ADD ("/sandbox/crud/formatted-values", test_formatted_values);
  ADD ("/sandbox/crud/malformed-bodies", test_malformed_bodies);
  ADD ("/sandbox/crud/order-rules-totals", test_order_rules_and_totals);
  ADD ("/sandbox/crud/invoice-states", test_invoice_states);
  ADD ("/sandbox/crud/quote-messages", test_quote_messages);
  ADD ("/sandbox/crud/order-opportunity-messages", test_order_and_opportunity_messages);
  ADD ("/sandbox/crud/whoami-users", test_whoami_and_users);
  ADD ("/sandbox/crud/impersonation", test_impersonation);
  ADD ("/sandbox/crud/notes-posts", test_notes_and_posts);
  ADD ("/sandbox/crud/refs-and-properties", test_refs_and_properties);
  return g_test_run ();
}
