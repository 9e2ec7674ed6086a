/* test-availability.c: the item availability web service over real HTTP on 127.0.0.1
 *
 * The books of tests/core/sb-test-books.h in a SQLite file; the service on its own thread with
 * an injected clock; a SoupSession as Dynamics 365 Sales.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sb-availability-error.h"
#include "sb-availability-query.h"
#include "sb-availability-server.h"
#include "sb-store-private.h"
#include "sb-test-books.h"

#define USER "sales"
#define KEY "k3y-Ä-secret"

typedef struct
{
  Fixture books;
  SbAvailabilityServer *server;
  SoupSession *session;
  gint64 now;
} Fx;

static gint64
test_clock (gpointer user_data)
{
  /* Read on the server's thread; the test thread only changes it between requests. */
  return *(volatile gint64 *) user_data;
}

static SbItem *
lookup_item (SbStore *store, const char *no)
{
  g_autoptr (SbItem) key = sb_item_new ();
  g_autoptr (GError) error = NULL;
  SbItem *item;

  sbt_set (&key->no, no);
  item = sb_record_lookup (store, &sb_item_record_type, key, &error);
  g_assert_no_error (error);
  return item;
}

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  sbt_fixture_set_up (&fx->books, NULL);
  fx->now = 1700000000;
  fx->server = sb_availability_server_new (sb_store_get_path (fx->books.store), USER, KEY);
  sb_availability_server_set_port (fx->server, 0);
  sb_availability_server_set_base_path (fx->server, data);
  sb_availability_server_set_clock (fx->server, test_clock, &fx->now);
  g_assert_true (sb_availability_server_start (fx->server, &error));
  g_assert_no_error (error);
  fx->session = soup_session_new ();
  /* Credentials go in by hand, as Sales sends them, without a challenge round trip. */
  soup_session_remove_feature_by_type (fx->session, SOUP_TYPE_AUTH_MANAGER);
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  g_clear_object (&fx->session);
  sb_availability_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbt_fixture_tear_down (&fx->books, NULL);
}

typedef struct
{
  guint status;
  JsonNode *json; /* NULL when the body is not JSON */
  char *text;
  SoupMessageHeaders *headers;
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->text, g_free);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

/* @path below the service root; @credentials "user:key", or NULL; @raw_auth: a whole
 * Authorization header instead. */
static void
request (Fx *fx, const char *method, const char *path, const char *credentials,
         const char *raw_auth, Reply *out)
{
  g_autofree char *url = g_strconcat (sb_availability_server_get_url (fx->server), path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize len;

  g_assert_nonnull (msg);
  if (credentials != NULL)
    {
      g_autofree char *b64 = g_base64_encode ((const guchar *) credentials, strlen (credentials));
      g_autofree char *header = g_strconcat ("Basic ", b64, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  else if (raw_auth != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  raw_auth);
  if (g_str_equal (method, "POST") || g_str_equal (method, "PATCH"))
    {
      g_autoptr (GBytes) payload = g_bytes_new_static ("{\"Inventory\": 99}", 17);

      soup_message_set_request_body_from_bytes (msg, "application/json", payload);
    }
  body = soup_session_send_and_read (fx->session, msg, NULL, &error);
  g_assert_no_error (error);
  out->status = soup_message_get_status (msg);
  out->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  out->text = g_strndup (g_bytes_get_data (body, &len), g_bytes_get_size (body));
  if (json_parser_load_from_data (parser, out->text, -1, NULL))
    out->json = json_node_ref (json_parser_get_root (parser));
}

static void
get (Fx *fx, const char *path, Reply *out)
{
  request (fx, "GET", path, USER ":" KEY, NULL, out);
}

static JsonObject *
obj (Reply *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static JsonArray *
rows (Reply *r)
{
  return json_object_get_array_member (obj (r), "value");
}

/* The OData error body: {"error": {"code": @code, "message": …}}; returns the message. */
static const char *
assert_error (Reply *r, guint status, const char *code)
{
  JsonObject *e;

  g_assert_cmpuint (r->status, ==, status);
  e = json_object_get_object_member (obj (r), "error");
  g_assert_nonnull (e);
  g_assert_cmpstr (json_object_get_string_member (e, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (e, "message")), >, 10);
  return json_object_get_string_member (e, "message");
}

/* ---- Service document and $metadata --------------------------------------------------------- */

static void
test_service_document (Fx *fx, gconstpointer data)
{
  g_auto (Reply) doc = { 0 };
  g_auto (Reply) meta = { 0 };
  JsonObject *set;

  get (fx, "", &doc);
  g_assert_cmpuint (doc.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (doc.headers, "OData-Version"), ==, "4.0");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (doc.headers, NULL),
                                   "application/json"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (obj (&doc), "@odata.context"),
                                   "/$metadata"));
  g_assert_cmpuint (json_array_get_length (rows (&doc)), ==, 1);
  set = json_array_get_object_element (rows (&doc), 0);
  g_assert_cmpstr (json_object_get_string_member (set, "name"), ==, "ItemAvailabilities");
  g_assert_cmpstr (json_object_get_string_member (set, "kind"), ==, "EntitySet");

  get (fx, "$metadata", &meta);
  g_assert_cmpuint (meta.status, ==, 200);
  g_assert_nonnull (strstr (meta.text, "<EntitySet Name=\"ItemAvailabilities\""));
  g_assert_nonnull (strstr (meta.text, "<PropertyRef Name=\"No\"/>"));
  for (int i = 0; i < SB_AVAILABILITY_N_PROPS; i++)
    {
      g_autofree char *prop =
          g_strdup_printf ("<Property Name=\"%s\"", sb_availability_prop_name (i));

      g_assert_nonnull (strstr (meta.text, prop));
    }
}

/* ---- Credentials and lockout ------------------------------------------------------------------
 */

static void
assert_unauthorized (Fx *fx, const char *credentials, const char *raw)
{
  g_auto (Reply) r = { 0 };

  request (fx, "GET", "ItemAvailabilities", credentials, raw, &r);
  assert_error (&r, 401, "Unauthorized");
  g_assert_true (
      g_str_has_prefix (soup_message_headers_get_one (r.headers, "WWW-Authenticate"), "Basic "));
  g_assert_null (strstr (r.text, "Bicycle"));
}

static void
test_credentials (Fx *fx, gconstpointer data)
{
  g_auto (Reply) ok = { 0 };

  assert_unauthorized (fx, NULL, NULL);
  assert_unauthorized (fx, USER ":wrong", NULL);
  assert_unauthorized (fx, "other:" KEY, NULL);
  /* A prefix of the key, and the key with one more character, are wrong too. */
  assert_unauthorized (fx, USER ":k3y", NULL);
  fx->now += 120; /* out of the failure window: the next ones do not lock the client */
  assert_unauthorized (fx, USER ":" KEY "x", NULL);
  assert_unauthorized (fx, NULL, "Basic !!!not base64");
  assert_unauthorized (fx, NULL, "Bearer abc");
  fx->now += 120;
  assert_unauthorized (fx, NULL, "Basic dXNlcg=="); /* "user", no colon */
  get (fx, "ItemAvailabilities", &ok);
  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (rows (&ok)), ==, 2);
}

static void
assert_locked (Fx *fx, const char *retry_after)
{
  g_auto (Reply) r = { 0 };

  get (fx, "ItemAvailabilities", &r);
  assert_error (&r, 429, "TooManyRequests");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Retry-After"), ==, retry_after);
  g_assert_null (strstr (r.text, "Bicycle"));
}

static void
test_lockout (Fx *fx, gconstpointer data)
{
  g_auto (Reply) ok = { 0 };

  /* Four failures, then a minute passes: the count starts again. */
  for (int i = 0; i < SB_AVAILABILITY_AUTH_MAX_FAILURES - 1; i++)
    assert_unauthorized (fx, USER ":guess", NULL);
  fx->now += SB_AVAILABILITY_AUTH_WINDOW;
  assert_unauthorized (fx, USER ":guess", NULL);
  get (fx, "ItemAvailabilities('I1')", &ok);
  g_assert_cmpuint (ok.status, ==, 200);
  reply_clear (&ok);

  /* Five failures within the minute: locked out, even with the right key. */
  for (int i = 0; i < SB_AVAILABILITY_AUTH_MAX_FAILURES; i++)
    assert_unauthorized (fx, USER ":guess", NULL);
  assert_locked (fx, "300");
  fx->now += SB_AVAILABILITY_AUTH_LOCKOUT - 1;
  assert_locked (fx, "1");
  fx->now += 1;
  get (fx, "ItemAvailabilities('I1')", &ok);
  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj (&ok), "No"), ==, "I1");
}

/* ---- Values against the books ------------------------------------------------------------------
 */

static void
assert_item (JsonObject *o, const char *no, const char *inventory, const char *on_orders,
             const char *available)
{
  g_assert_cmpstr (json_object_get_string_member (o, "No"), ==, no);
  g_assert_cmpfloat (json_object_get_double_member (o, "Inventory"), ==,
                     g_ascii_strtod (inventory, NULL));
  g_assert_cmpfloat (json_object_get_double_member (o, "QuantityOnOpenOrders"), ==,
                     g_ascii_strtod (on_orders, NULL));
  g_assert_cmpfloat (json_object_get_double_member (o, "Available"), ==,
                     g_ascii_strtod (available, NULL));
}

static void
test_values (Fx *fx, gconstpointer data)
{
  Fixture *f = &fx->books;
  g_autofree char *order1 = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order2 = sbt_create_document (f, SB_SALES_DOC_ORDER, "C3");
  g_autofree char *quote = sbt_create_document (f, SB_SALES_DOC_QUOTE, "C1");
  gint64 line1 =
      sbt_add_line (f, SB_SALES_DOC_ORDER, order1, SB_SALES_LINE_ITEM, "I1", "4", NULL, NULL, NULL);
  g_auto (Reply) before = { 0 };
  g_auto (Reply) after = { 0 };
  g_auto (Reply) all = { 0 };
  g_autoptr (SbItem) item = NULL;
  g_autofree char *invoice = NULL;
  SbPostingQuantity ship = { line1, sbt_dec ("2.5") };
  JsonObject *o;

  sbt_add_line (f, SB_SALES_DOC_ORDER, order2, SB_SALES_LINE_ITEM, "I1", "3", NULL, NULL, NULL);
  sbt_add_line (f, SB_SALES_DOC_ORDER, order2, SB_SALES_LINE_ITEM, "I2", "1", NULL, NULL, NULL);
  /* A quote is not an open order: it does not count. */
  sbt_add_line (f, SB_SALES_DOC_QUOTE, quote, SB_SALES_LINE_ITEM, "I1", "100", NULL, NULL, NULL);

  get (fx, "ItemAvailabilities('I1')", &before);
  g_assert_cmpuint (before.status, ==, 200);
  o = obj (&before);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "@odata.context"),
                                   "$metadata#ItemAvailabilities/$entity"));
  assert_item (o, "I1", "10", "7", "3");
  g_assert_cmpstr (json_object_get_string_member (o, "Description"), ==, "Bicycle");
  g_assert_cmpstr (json_object_get_string_member (o, "UnitOfMeasure"), ==, "PCS");

  /* Ship 2.5 of the 4: inventory and the open quantity both go down. */
  invoice = sbt_post (f, order1, &ship, 1);
  item = lookup_item (f->store, "I1");
  sbt_assert_amount (item->inventory, "7.50");
  get (fx, "ItemAvailabilities('I1')", &after);
  assert_item (obj (&after), "I1", "7.5", "4.5", "3");

  get (fx, "ItemAvailabilities", &all);
  g_assert_cmpuint (json_array_get_length (rows (&all)), ==, 2);
  assert_item (json_array_get_object_element (rows (&all), 0), "I1", "7.5", "4.5", "3");
  assert_item (json_array_get_object_element (rows (&all), 1), "I2", "0", "1", "-1");
}

/* ---- Queries -----------------------------------------------------------------------------------
 */

static guint
count_rows (Fx *fx, const char *path)
{
  g_auto (Reply) r = { 0 };

  get (fx, path, &r);
  g_assert_cmpuint (r.status, ==, 200);
  return json_array_get_length (rows (&r));
}

static void
test_queries (Fx *fx, gconstpointer data)
{
  g_auto (Reply) sel = { 0 };
  g_auto (Reply) counted = { 0 };
  g_auto (Reply) page = { 0 };
  g_auto (Reply) key_sel = { 0 };
  JsonObject *o;

  sbt_add_item (fx->books.store, "O'B", "Quote in the number", "1", SB_ITEM_TYPE_INVENTORY, "2");
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities"), ==, 3);
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities?$filter=No%20eq%20'I1'"), ==, 1);
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities?$filter=No%20eq%20'NOPE'"), ==, 0);
  g_assert_cmpuint (
      count_rows (fx, "ItemAvailabilities?$filter=No%20eq%20'I1'%20or%20No%20eq%20'I2'"), ==, 2);
  g_assert_cmpuint (
      count_rows (fx, "ItemAvailabilities?$filter=(No%20eq%20'I1')%20OR%20No%20in%20('I2','X')"),
      ==, 2);
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities?$filter=No%20eq%20'O''B'"), ==, 1);

  get (fx, "ItemAvailabilities?$select=No,Available&$filter=No%20eq%20'I1'", &sel);
  o = json_array_get_object_element (rows (&sel), 0);
  g_assert_cmpuint (json_object_get_size (o), ==, 2);
  g_assert_true (json_object_has_member (o, "Available"));
  g_assert_false (json_object_has_member (o, "Inventory"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (obj (&sel), "@odata.context"),
                                   "#ItemAvailabilities(No,Available)"));

  get (fx, "ItemAvailabilities?$top=1&$skip=1&$count=true", &page);
  g_assert_cmpint (json_object_get_int_member (obj (&page), "@odata.count"), ==, 3);
  g_assert_cmpuint (json_array_get_length (rows (&page)), ==, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_array_get_object_element (rows (&page), 0), "No"), ==,
      "I2");
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities?$top=0"), ==, 0);
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities?$skip=5"), ==, 0);
  g_assert_cmpuint (
      count_rows (fx, "ItemAvailabilities?$filter=No%20in%20('I1','I2')&$skip=1&$top=5"), ==, 1);

  get (fx, "ItemAvailabilities('O''B')?$select=Inventory", &key_sel);
  g_assert_cmpuint (key_sel.status, ==, 200);
  g_assert_cmpuint (json_object_get_size (obj (&key_sel)), ==, 2); /* context + Inventory */
  g_assert_cmpfloat (json_object_get_double_member (obj (&key_sel), "Inventory"), ==, 2.0);
}

static void
assert_bad (Fx *fx, const char *path, const char *needle)
{
  g_auto (Reply) r = { 0 };
  const char *message;

  get (fx, path, &r);
  message = assert_error (&r, 400, "BadRequest");
  if (strstr (message, needle) == NULL)
    g_error ("%s: “%s” does not say “%s”", path, message, needle);
}

static void
test_malformed (Fx *fx, gconstpointer data)
{
  assert_bad (fx, "ItemAvailabilities?$filter=No%20eq", "expected an item number");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20eq%20'I1", "not closed");
  assert_bad (fx, "ItemAvailabilities?$filter=Description%20eq%20'x'", "only by No");
  assert_bad (fx, "ItemAvailabilities?$filter=Colour%20eq%20'x'", "no property");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20gt%20'I1'", "“eq” or “in”");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20eq%20'I1'%20and%20No%20eq%20'I2'", "“and”");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20eq%20'I1')", "after the end");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20in%20('I1'", "“,” or “)”");
  assert_bad (fx, "ItemAvailabilities?$filter=", "empty");
  assert_bad (fx, "ItemAvailabilities?$filter=No%20eq%20%3B", "character 7");
  assert_bad (fx, "ItemAvailabilities?$top=-1", "$top");
  assert_bad (fx, "ItemAvailabilities?$skip=ten", "$skip");
  assert_bad (fx, "ItemAvailabilities?$select=No,Price", "“Price”");
  assert_bad (fx, "ItemAvailabilities?$orderby=No", "$orderby");
  assert_bad (fx, "ItemAvailabilities?$format=xml", "$format");
  assert_bad (fx, "ItemAvailabilities(I1)", "malformed");
  assert_bad (fx, "ItemAvailabilities('I1')?$top=1", "$top");
}

static void
test_not_found (Fx *fx, gconstpointer data)
{
  g_auto (Reply) set = { 0 };
  g_auto (Reply) item = { 0 };

  get (fx, "Customers", &set);
  assert_error (&set, 404, "NotFound");
  get (fx, "ItemAvailabilities('NOPE')", &item);
  g_assert_nonnull (strstr (assert_error (&item, 404, "NotFound"), "NOPE"));
}

static void
test_writes_refused (Fx *fx, gconstpointer data)
{
  const char *const methods[] = { "POST", "PATCH", "PUT", "DELETE" };
  g_autoptr (SbItem) item = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_auto (Reply) r = { 0 };

      request (fx, methods[i],
               g_str_equal (methods[i], "POST") ? "ItemAvailabilities" : "ItemAvailabilities('I1')",
               USER ":" KEY, NULL, &r);
      assert_error (&r, 405, "MethodNotAllowed");
      g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Allow"), ==, "GET, HEAD");
    }
  item = lookup_item (fx->books.store, "I1");
  sbt_assert_amount (item->inventory, "10.00");
}

static void
test_base_path (Fx *fx, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_auto (Reply) r = { 0 };

  g_assert_true (g_str_has_suffix (sb_availability_server_get_url (fx->server), "/odata/v4/"));
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities"), ==, 2);
  /* Outside the base path there is nothing. */
  url = g_strdup_printf ("http://127.0.0.1:%u/ItemAvailabilities",
                         sb_availability_server_get_port (fx->server));
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
    g_autofree char *b64 = g_base64_encode ((const guchar *) USER ":" KEY, strlen (USER ":" KEY));
    g_autofree char *header = g_strconcat ("Basic ", b64, NULL);
    g_autoptr (GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    body = soup_session_send_and_read (fx->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  }
  /* The root without its trailing slash is the service document. */
  request (fx, "GET", "../v4", USER ":" KEY, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);
}

/* ---- Start-up -----------------------------------------------------------------------------------
 */

static void
test_start_errors (Fx *fx, gconstpointer data)
{
  const char *path = sb_store_get_path (fx->books.store);
  g_autoptr (SbAvailabilityServer) busy = sb_availability_server_new (path, USER, KEY);
  g_autoptr (SbAvailabilityServer) no_key = sb_availability_server_new (path, USER, "");
  g_autoptr (SbAvailabilityServer) bad = sb_availability_server_new (path, USER, KEY);
  g_autoptr (SbAvailabilityServer) no_db =
      sb_availability_server_new ("/nonexistent/dir/books.sbdb", USER, KEY);
  g_autoptr (GError) error = NULL;

  sb_availability_server_set_port (busy, sb_availability_server_get_port (fx->server));
  g_assert_false (sb_availability_server_start (busy, &error));
  g_assert_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS);
  g_assert_nonnull (strstr (error->message, "in use"));
  g_assert_false (sb_availability_server_is_running (busy));
  g_clear_error (&error);

  g_assert_false (sb_availability_server_start (no_key, &error));
  g_assert_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "access key"));
  g_clear_error (&error);

  sb_availability_server_set_address (bad, "example.com");
  g_assert_false (sb_availability_server_start (bad, &error));
  g_assert_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS);
  g_clear_error (&error);

  sb_availability_server_set_port (no_db, 0);
  g_assert_false (sb_availability_server_start (no_db, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The first server still answers. */
  g_assert_cmpuint (count_rows (fx, "ItemAvailabilities"), ==, 2);
}

static void
test_parse_url (void)
{
  g_autofree char *path = NULL, *path2 = NULL;
  g_autoptr (GError) error = NULL;
  guint port = 0;

  g_assert_true (sb_availability_parse_url ("http://127.0.0.1:8123/odata/", &path, &port, NULL));
  g_assert_cmpstr (path, ==, "/odata/");
  g_assert_cmpuint (port, ==, 8123);
  g_assert_true (sb_availability_parse_url ("", &path2, &port, NULL));
  g_assert_cmpstr (path2, ==, "/");
  g_assert_cmpuint (port, ==, SB_AVAILABILITY_DEFAULT_PORT);
  g_assert_false (sb_availability_parse_url ("ftp://x/", &path, &port, &error));
  g_assert_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_ADDRESS);
}

/* The open order quantities read the order item lines through their index (schema step 10), not
 * every sales line. */
static void
test_on_orders_plan (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql =
      g_strconcat ("EXPLAIN QUERY PLAN ", sb_availability_get_on_orders_sql (), NULL);
  sqlite3_stmt *stmt = sb_store_prepare (fx->books.store, sql, &error);
  g_autoptr (GString) plan = g_string_new (NULL);

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_reset (stmt);
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "USING INDEX sales_line_order_item"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func, base) g_test_add (name, Fx, base, fx_set_up, func, fx_tear_down)
  ADD ("/availability/service-document", test_service_document, "/");
  ADD ("/availability/credentials", test_credentials, "/");
  ADD ("/availability/lockout", test_lockout, "/");
  ADD ("/availability/values", test_values, "/");
  ADD ("/availability/queries", test_queries, "/");
  ADD ("/availability/malformed", test_malformed, "/");
  ADD ("/availability/not-found", test_not_found, "/");
  ADD ("/availability/writes-refused", test_writes_refused, "/");
  ADD ("/availability/base-path", test_base_path, "odata/v4");
  ADD ("/availability/start-errors", test_start_errors, "/");
  ADD ("/availability/on-orders-plan", test_on_orders_plan, "/");
  g_test_add_func ("/availability/parse-url", test_parse_url);
  return g_test_run ();
}
