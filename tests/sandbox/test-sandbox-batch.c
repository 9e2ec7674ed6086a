/* test-sandbox-batch.c: $batch of salesbridge-sandbox over HTTP: changesets, Content-ID
 * references, a changeset failing halfway, continue-on-error and limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <string.h>

#define ADD(name, func)                                                                            \
  g_test_add (name, SbtFixture, NULL, sbt_fixture_setup, func, sbt_fixture_teardown)

typedef struct
{
  GString *body;
  gboolean in_changeset;
} Batch;

static void
batch_init (Batch *b)
{
  b->body = g_string_new (NULL);
  b->in_changeset = FALSE;
}

static void
begin_changeset (Batch *b)
{
  g_string_append (b->body,
                   "--batch_AAA\r\nContent-Type: multipart/mixed; boundary=changeset_BBB\r\n\r\n");
  b->in_changeset = TRUE;
}

static void
end_changeset (Batch *b)
{
  g_string_append (b->body, "--changeset_BBB--\r\n");
  b->in_changeset = FALSE;
}

static void
add (Batch *b, const char *method, const char *url, const char *content_id, const char *json)
{
  g_string_append_printf (
      b->body, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n",
      b->in_changeset ? "changeset_BBB" : "batch_AAA");
  if (content_id != NULL)
    g_string_append_printf (b->body, "Content-ID: %s\r\n", content_id);
  g_string_append_printf (b->body, "\r\n%s %s HTTP/1.1\r\n", method, url);
  if (json != NULL)
    g_string_append_printf (b->body, "Content-Type: application/json\r\n\r\n%s\r\n", json);
  else
    g_string_append (b->body, "\r\n\r\n");
}

static SbtResponse *
send_batch (SbtFixture *fx, Batch *b, gboolean continue_on_error)
{
  const char *headers[] = { "Prefer", "odata.continue-on-error", NULL };
  g_autoptr (GBytes) bytes = NULL;

  g_string_append (b->body, "--batch_AAA--\r\n");
  bytes = g_bytes_new (b->body->str, b->body->len);
  g_string_free (b->body, TRUE);
  return sbt_send (fx, fx->token, "POST", "$batch", "multipart/mixed; boundary=batch_AAA", bytes,
                   continue_on_error ? headers : NULL);
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static guint
count_rows (SbtFixture *fx, const char *filter_path)
{
  g_autoptr (SbtResponse) r = sbt_call (fx, "GET", filter_path, NULL, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_get_length (json_object_get_array_member (sbt_object (r), "value"));
}

static void
test_changeset_references (SbtFixture *fx, gconstpointer data)
{
  Batch b;
  g_autoptr (SbtResponse) r = NULL;
  g_autofree char *text = NULL;
  g_autofree char *abs = g_strdup_printf ("%saccounts", fx->api);

  batch_init (&b);
  begin_changeset (&b);
  add (&b, "POST", abs, "1", "{\"name\": \"Batch Parent\", \"accountnumber\": \"B1\"}");
  add (&b, "POST", "/api/data/v9.2/contacts", "2",
       "{\"firstname\": \"Child\", \"lastname\": \"One\", \"parentcustomerid_account@odata.bind\": "
       "\"$1\"}");
  add (&b, "PATCH", "$1", "3", "{\"telephone1\": \"555\"}");
  end_changeset (&b);
  add (&b, "GET", "accounts?$select=name,telephone1&$filter=accountnumber%20eq%20'B1'", NULL, NULL);
  r = send_batch (fx, &b, FALSE);
  text = sbt_body_text (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (r->headers, "Content-Type"),
                                   "multipart/mixed; boundary=batchresponse_"));
  g_assert_nonnull (strstr (text, "changesetresponse_"));
  g_assert_cmpuint (count (text, "HTTP/1.1 204"), ==, 3);
  g_assert_cmpuint (count (text, "HTTP/1.1 200"), ==, 1);
  g_assert_nonnull (strstr (text, "\"telephone1\":\"555\""));
  g_assert_cmpuint (
      count_rows (
          fx, "contacts?$filter=lastname%20eq%20'One'%20and%20_parentcustomerid_value%20ne%20null"),
      ==, 1);
}

static void
test_changeset_fails_halfway (SbtFixture *fx, gconstpointer data)
{
  Batch b;
  g_autoptr (SbtResponse) r = NULL;
  g_autofree char *text = NULL;

  batch_init (&b);
  add (&b, "POST", "accounts", NULL, "{\"name\": \"Kept before\"}");
  begin_changeset (&b);
  add (&b, "POST", "accounts", "1", "{\"name\": \"Rolled back 1\"}");
  add (&b, "POST", "accounts", "2", "{\"name\": \"Rolled back 2\"}");
  add (&b, "POST", "accounts", "3", "{\"name\": \"Bad\", \"nosuchattribute\": true}");
  add (&b, "POST", "accounts", "4", "{\"name\": \"Never\"}");
  end_changeset (&b);
  add (&b, "POST", "accounts", NULL, "{\"name\": \"After without continue\"}");
  r = send_batch (fx, &b, FALSE);
  text = sbt_body_text (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (count (text, "HTTP/1.1 204"), ==, 1);
  g_assert_cmpuint (count (text, "HTTP/1.1 400"), ==, 1);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=startswith(name,'Kept')"), ==, 1);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=startswith(name,'Rolled')"), ==, 0);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=name%20eq%20'Never'"), ==, 0);
  /* Without odata.continue-on-error the batch stopped at the failure. */
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=startswith(name,'After')"), ==, 0);
}

static void
test_continue_on_error (SbtFixture *fx, gconstpointer data)
{
  Batch b;
  g_autoptr (SbtResponse) r = NULL;
  g_autofree char *text = NULL;

  batch_init (&b);
  add (&b, "POST", "accounts", NULL, "{\"name\": \"C1\"}");
  add (&b, "PATCH", "accounts(00000000-0000-0000-0000-0000000000ff)", NULL, "{\"name\": \"x\"}");
  add (&b, "DELETE", "accounts(00000000-0000-0000-0000-0000000000fe)", NULL, NULL);
  add (&b, "POST", "accounts", NULL, "{\"name\": \"C2\"}");
  begin_changeset (&b);
  add (&b, "POST", "contacts", "1",
       "{\"lastname\": \"Ref\", \"parentcustomerid_account@odata.bind\": \"$9\"}");
  end_changeset (&b);
  r = send_batch (fx, &b, TRUE);
  text = sbt_body_text (r);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (strstr (soup_message_headers_get_list (r->headers, "Preference-Applied"),
                            "odata.continue-on-error"));
  /* Upsert creates (204), delete of a missing row is 404, an undeclared $9 is 400. */
  g_assert_cmpuint (count (text, "HTTP/1.1 204"), ==, 3);
  g_assert_cmpuint (count (text, "HTTP/1.1 404"), ==, 1);
  g_assert_cmpuint (count (text, "HTTP/1.1 400"), ==, 1);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=name%20eq%20'C2'"), ==, 1);
}

static void
test_batch_limits (SbtFixture *fx, gconstpointer data)
{
  Batch b;
  g_autoptr (SbtResponse) r = NULL;
  g_autoptr (SbtResponse) bad = NULL;
  g_autoptr (GBytes) garbage = g_bytes_new_static ("not multipart at all", 20);

  batch_init (&b);
  begin_changeset (&b);
  for (guint i = 0; i < 1001; i++)
    add (&b, "POST", "accounts", NULL, "{\"name\": \"Too many\"}");
  end_changeset (&b);
  r = send_batch (fx, &b, FALSE);
  g_assert_cmpuint (r->status, ==, 400);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=name%20eq%20'Too many'"), ==, 0);

  bad = sbt_send (fx, fx->token, "POST", "$batch", "multipart/mixed; boundary=batch_X", garbage,
                  NULL);
  g_assert_cmpuint (bad->status, ==, 400);
}

static void
test_batch_thousand (SbtFixture *fx, gconstpointer data)
{
  Batch b;
  g_autoptr (SbtResponse) r = NULL;
  g_autofree char *text = NULL;
  g_autoptr (SbtResponse) c = NULL;
  g_autofree char *n = NULL;

  batch_init (&b);
  begin_changeset (&b);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *json =
          g_strdup_printf ("{\"name\": \"Bulk %04u\", \"accountnumber\": \"BK%04u\"}", i, i);
      g_autofree char *cid = g_strdup_printf ("%u", i + 1);

      add (&b, "POST", "accounts", cid, json);
    }
  end_changeset (&b);
  r = send_batch (fx, &b, FALSE);
  text = sbt_body_text (r);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (count (text, "HTTP/1.1 204"), ==, 1000);
  c = sbt_call (fx, "GET", "accounts/$count", NULL, NULL);
  n = sbt_body_text (c);
  g_assert_cmpstr (n, ==, "1000");
}

static void
test_bulk_messages (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) created = sbt_call (
      fx, "POST", "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
      "{\"Targets\": [{\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", \"name\": \"M1\", "
      "\"accountnumber\": \"M1\"}, {\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", "
      "\"name\": \"M2\"}]}",
      NULL);
  JsonArray *ids;
  g_autofree char *update = NULL;
  g_autoptr (SbtResponse) updated = NULL;
  g_autoptr (SbtResponse) upserted = NULL;
  g_autoptr (SbtResponse) bad = NULL;
  g_autoptr (SbtResponse) untyped = NULL;

  g_assert_cmpuint (created->status, ==, 200);
  ids = json_object_get_array_member (sbt_object (created), "Ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  update = g_strdup_printf ("{\"Targets\": [{\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", "
                            "\"accountid\": \"%s\", \"name\": \"M2 renamed\"}]}",
                            json_array_get_string_element (ids, 1));
  updated = sbt_call (fx, "POST", "accounts/Microsoft.Dynamics.CRM.UpdateMultiple", update, NULL);
  g_assert_cmpuint (updated->status, ==, 204);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=name%20eq%20'M2%20renamed'"), ==, 1);
  upserted = sbt_call (
      fx, "POST", "accounts/Microsoft.Dynamics.CRM.UpsertMultiple",
      "{\"Targets\": [{\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", \"@odata.id\": "
      "\"accounts(accountnumber='M1')\", \"name\": \"M1 upserted\"}, {\"@odata.type\": "
      "\"Microsoft.Dynamics.CRM.account\", \"@odata.id\": \"accounts(accountnumber='M3')\", "
      "\"name\": \"M3 new\"}]}",
      NULL);
  g_assert_cmpuint (upserted->status, ==, 200);
  g_assert_cmpstr (json_array_get_string_element (
                       json_object_get_array_member (sbt_object (upserted), "Ids"), 0),
                   ==, json_array_get_string_element (ids, 0));
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=accountnumber%20eq%20'M3'"), ==, 1);
  /* All or nothing: one bad target undoes the others. */
  bad = sbt_call (fx, "POST", "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                  "{\"Targets\": [{\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", \"name\": "
                  "\"M4\"}, {\"@odata.type\": \"Microsoft.Dynamics.CRM.account\", \"nosuch\": 1}]}",
                  NULL);
  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpuint (count_rows (fx, "accounts?$filter=name%20eq%20'M4'"), ==, 0);
  untyped = sbt_call (fx, "POST", "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                      "{\"Targets\": [{\"name\": \"M5\"}]}", NULL);
  g_assert_cmpuint (untyped->status, ==, 400);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/sandbox/batch/changeset-references", test_changeset_references);
  ADD ("/sandbox/batch/changeset-fails-halfway", test_changeset_fails_halfway);
  ADD ("/sandbox/batch/continue-on-error", test_continue_on_error);
  ADD ("/sandbox/batch/limits", test_batch_limits);
  ADD ("/sandbox/batch/thousand", test_batch_thousand);
  ADD ("/sandbox/batch/bulk-messages", test_bulk_messages);
  return g_test_run ();
}
