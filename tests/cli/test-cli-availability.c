/* test-cli-availability.c: "salesbridge-cli availability serve | show | push" end to end, with
 * the sandbox in this process over HTTP on 127.0.0.1 and gnome-keyring-daemon on a private
 * session bus that the CLI inherits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"
#include "sbs-keyring.h"

#include "sbc-cli-fixture.h"

#define KEY "cli-access-key"

static void
add_books (Fixture *fx)
{
  Run r = { 0 };

  sbc_run (fx, &r, NULL, NULL, "unit", "add", "code=PCS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "item", "add", "no=I1", "description=Tandem", "unit_price=300",
           "base_unit_code=PCS", "inventory=5", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run_clear (&r);
}

/* The connection to the sandbox, and the web service as user @user with the key on stdin. */
static void
configure (Fixture *fx, const char *user)
{
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, KEY "\n", "connection", "set", "--item-availability", "yes",
           "--item-availability-url", "http://127.0.0.1:7048/sales/", "--item-availability-user",
           user, "--access-key-stdin", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run_clear (&r);
}

/* The child dies with the test, so a failed assertion never leaves a server running. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
spawn_serve (Fixture *fx, GSubprocessFlags flags, const char *port)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr (GError) error = NULL;
  GSubprocess *serve;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  serve = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SALESBRIDGE_CLI"), "--db",
                                       fx->db, "availability", "serve", "--port", port, NULL);
  g_assert_no_error (error);
  return serve;
}

static gboolean
stop_waiting (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
exited (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* Runs "availability serve" that must refuse to start: exit 1 within 20 s, its stderr saying
 * @fragment. A server that starts anyway is killed and fails the test. */
static void
assert_serve_refused (Fixture *fx, const char *port, const char *fragment)
{
  g_autoptr (GSubprocess) serve =
      spawn_serve (fx, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, port);
  g_autoptr (GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (serve));
  g_autofree char *line = NULL;
  gboolean done = FALSE, timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (20, stop_waiting, &timed_out);

  g_subprocess_wait_async (serve, NULL, exited, &done);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (serve);
      g_error ("availability serve --port %s started, but should have refused", port);
    }
  g_source_remove (timeout);
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 1);
  line = g_data_input_stream_read_line_utf8 (err, NULL, NULL, NULL);
  g_assert_nonnull (line);
  sbc_assert_contains (line, fragment);
}

static guint
http_get (const char *url, const char *credentials, char **out_body)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *b64 = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  g_autofree char *header = g_strconcat ("Basic ", b64, NULL);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

static void
test_serve (Fixture *fx, gconstpointer data)
{
  g_autoptr (GSubprocess) serve = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *item_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *port = NULL;
  g_autoptr (GUri) uri = NULL;
  Run r = { 0 };

  add_books (fx);
  configure (fx, "sales");
  serve = spawn_serve (fx, G_SUBPROCESS_FLAGS_STDOUT_PIPE, "0");
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (serve));
  url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);
  /* Loopback by default, under the configured URL's path. */
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/sales/"));

  item_url = g_strconcat (url, "ItemAvailabilities('I1')", NULL);
  g_assert_cmpuint (http_get (item_url, "sales:" KEY, &body), ==, 200);
  sbc_assert_contains (body, "\"Inventory\":5");
  sbc_assert_contains (body, "\"Available\":5");
  g_assert_cmpuint (http_get (item_url, "sales:wrong", NULL), ==, 401);

  /* A second service on the same port says why it cannot start. */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  port = g_strdup_printf ("%d", g_uri_get_port (uri));
  assert_serve_refused (fx, port, "in use");

  g_subprocess_send_signal (serve, SIGTERM);
  g_assert_true (g_subprocess_wait (serve, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (serve));
  g_assert_cmpint (g_subprocess_get_exit_status (serve), ==, 0);

  sbc_run (fx, &r, NULL, NULL, "availability", "serve", "--address", "localhost", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "not an IP address");
  sbc_run (fx, &r, NULL, NULL, "availability", "serve", "--port", "70000", NULL);
  g_assert_cmpint (r.status, !=, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--item-availability", "no", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "availability", "serve", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "not enabled");
  sbc_run_clear (&r);
}

static gboolean
first_row (const SbDataversePage *page, gpointer user_data, GError **error)
{
  JsonObject **out = user_data;

  g_assert_cmpuint (json_array_get_length (page->rows), ==, 1);
  *out = json_object_ref (json_array_get_object_element (page->rows, 0));
  return TRUE;
}

static void
test_show_and_push (Fixture *fx, gconstpointer data)
{
  g_autoptr (JsonObject) shown = NULL;
  g_autoptr (SbDataverseConnection) sales = NULL;
  g_autoptr (JsonObject) product = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *order = NULL;
  Run r = { 0 };

  add_books (fx);
  /* Enabled, but no access key was ever given: refused, with what to do. */
  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--item-availability", "yes",
           "--item-availability-url", "http://127.0.0.1:7048/", "--item-availability-user",
           "keyless", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_serve_refused (fx, "0", "no access key");
  configure (fx, "sales");
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli Cykel AB", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "order", "create", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  order = g_strstrip (g_strdup (r.out));
  sbc_run (fx, &r, NULL, NULL, "order", "add-line", order, "item", "I1", "--quantity", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);

  sbc_run (fx, &r, NULL, NULL, "availability", "show", "I1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = sbc_parse_object (r.out);
  g_assert_cmpfloat (json_object_get_double_member (shown, "Inventory"), ==, 5.0);
  g_assert_cmpfloat (json_object_get_double_member (shown, "QuantityOnOpenOrders"), ==, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (shown, "Available"), ==, 3.0);
  sbc_run (fx, &r, NULL, NULL, "availability", "show", "I1", NULL);
  sbc_assert_contains (r.out, "Quantity on Open Orders: 2");
  sbc_run (fx, &r, NULL, NULL, "availability", "show", "NOPE", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "NOPE");
  sbc_run (fx, &r, NULL, NULL, "availability", "show", NULL);
  g_assert_cmpint (r.status, ==, 2);

  /* Push: the connection must be enabled; then the coupled item's inventory goes to Sales. */
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set", "UNIT OF MEASURE", "--only-coupled", "0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync", "UNIT OF MEASURE", "--direction", "to-sales", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "ITEM-PRODUCT", "I1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "availability", "push", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "1 products updated");
  sbc_run (fx, &r, NULL, NULL, "availability", "push", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "0 products updated, 0 unchanged, 0 failed");

  sales = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                        "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (sales, SB_SANDBOX_DEFAULT_SECRET);
  {
    g_autoptr (SbDataverseQuery) q = sb_dataverse_query_new ("products");

    sb_dataverse_query_select (q, "quantityonhand", NULL);
    sb_dataverse_query_set_filter (
        q, sb_dataverse_filter_string ("productnumber", SB_DATAVERSE_EQ, "I1"));
    g_assert_true (
        sb_dataverse_connection_query_sync (sales, q, first_row, &product, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (product);
  }
  g_assert_cmpfloat (json_object_get_double_member (product, "quantityonhand"), ==, 5.0);
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/availability/serve", Fixture, NULL, sbc_fixture_set_up, test_serve,
              sbc_fixture_tear_down);
  g_test_add ("/cli/availability/show-and-push", Fixture, NULL, sbc_fixture_set_up,
              test_show_and_push, sbc_fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
