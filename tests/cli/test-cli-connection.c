/* test-cli-connection.c: "salesbridge-cli connection …" end to end, with the sandbox in this
 * process over HTTP on 127.0.0.1 and gnome-keyring-daemon on a private session bus that the CLI
 * inherits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sbs-keyring.h"

#define SECRET_ENV "Env-Secret-9f3b-never-printed"

#include "sbc-cli-fixture.h"

static void
assert_secret (Fixture *fx, const char *expected)
{
  g_autoptr (GError) error = NULL;
  char *secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                              SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
  sb_secret_store_free (secret);
}

static void
test_set_and_show (Fixture *fx, gconstpointer data)
{
  g_autoptr (JsonObject) shown = NULL;
  Run r = { 0 };

  /* Before any settings: nothing stored. */
  sbc_run (fx, &r, NULL, NULL, "connection", "show", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = sbc_parse_object (r.out);
  g_assert_false (json_object_get_boolean_member (shown, "client_secret_stored"));
  g_assert_cmpstr (json_object_get_string_member (shown, "authority"), ==,
                   "https://login.microsoftonline.com/");
  g_clear_pointer (&shown, json_object_unref);

  /* The secret from the environment goes to the keyring, and only there. */
  sbc_set_sandbox (fx, &r, SECRET_ENV, NULL, "--auto-create-orders=yes");
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "keyring");
  g_assert_null (strstr (r.out, SECRET_ENV));
  assert_secret (fx, SECRET_ENV);

  sbc_run (fx, &r, NULL, NULL, "connection", "show", "--json", NULL);
  shown = sbc_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (shown, "authority"), ==, fx->base);
  g_clear_pointer (&shown, json_object_unref);

  sbc_run (fx, &r, SECRET_ENV, NULL, "connection", "show", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Client secret: stored in your keyring");
  sbc_assert_contains (r.out, fx->base);
  g_assert_null (strstr (r.out, SECRET_ENV));
  g_assert_null (strstr (r.err, SECRET_ENV));

  sbc_run (fx, &r, NULL, NULL, "connection", "show", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, SECRET_ENV));
  shown = sbc_parse_object (r.out);
  g_assert_true (json_object_get_boolean_member (shown, "client_secret_stored"));
  g_assert_true (json_object_get_boolean_member (shown, "auto_create_sales_orders"));
  g_assert_true (json_object_get_boolean_member (shown, "solution_deployed"));
  g_assert_false (json_object_get_boolean_member (shown, "is_enabled"));
  g_assert_cmpstr (json_object_get_string_member (shown, "client_id"), ==,
                   SB_SANDBOX_INTEGRATION_CLIENT);
  g_assert_cmpstr (json_object_get_string_member (shown, "tenant"), ==, "contoso.onmicrosoft.com");
  g_assert_false (sbs_file_contains (fx->db, SECRET_ENV));

  /* From standard input; the line break of the pipe is not part of it. */
  sbc_run (fx, &r, NULL, "Stdin-Secret-77\n", "connection", "set", "--client-secret-stdin", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_secret (fx, "Stdin-Secret-77");
  g_assert_false (sbs_file_contains (fx->db, "Stdin-Secret-77"));

  /* Options without a secret keep the stored one. */
  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--auto-process-quotes", "yes", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_secret (fx, "Stdin-Secret-77");
  sbc_run_clear (&r);
}

static void
test_set_refuses (Fixture *fx, gconstpointer data)
{
  Run r = { 0 };

  /* A secret is never taken from the command line. */
  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--url", fx->base, "--client-id", "x",
           "--client-secret", "oops", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "--client-secret");

  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--url", "http://crm.example.com/",
           "--client-id", "11111111-2222-3333-4444-555555555555", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "not encrypted");

  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--url", "https://crm.example.com/",
           "--client-id", "not-a-guid", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "client ID");

  sbc_run (fx, &r, NULL, NULL, "connection", "set", "--tenant", "contoso", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "--url");

  sbc_set_sandbox (fx, &r, NULL, NULL, "--auto-create-orders=maybe");
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "yes or no");

  sbc_run (fx, &r, NULL, "", "connection", "set", "--url", fx->base, "--client-id",
           SB_SANDBOX_INTEGRATION_CLIENT, "--client-secret-stdin", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "standard input");
  sbc_run_clear (&r);
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_test_enable_disable (Fixture *fx, gconstpointer data)
{
  g_autoptr (JsonObject) shown = NULL;
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *closed = NULL;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);

  sbc_run (fx, &r, NULL, NULL, "connection", "test", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count (r.out, "✓ "), ==, 8);
  sbc_assert_contains (r.out, "✓ Sign in");
  sbc_assert_contains (r.out, "✓ Integration user is not a System Administrator");
  sbc_assert_contains (r.out, "Every check passed.");

  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "base currency is USD");
  sbc_run (fx, &r, NULL, NULL, "connection", "show", "--json", NULL);
  shown = sbc_parse_object (r.out);
  g_assert_true (json_object_get_boolean_member (shown, "is_enabled"));
  g_assert_cmpstr (json_object_get_string_member (shown, "base_currency_code"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (shown, "base_currency_precision"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (shown, "base_currency_symbol"), ==, "$");
  g_assert_cmpstr (json_object_get_string_member (shown, "last_test_at"), !=, "");
  g_clear_pointer (&shown, json_object_unref);

  sbc_run (fx, &r, NULL, NULL, "connection", "disable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "show", "--json", NULL);
  shown = sbc_parse_object (r.out);
  g_assert_false (json_object_get_boolean_member (shown, "is_enabled"));

  /* A wrong secret: the explanation, the other checks skipped, exit status 1. */
  sbc_run (fx, &r, NULL, "wrong-secret\n", "connection", "set", "--client-secret-stdin", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "test", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.out, "✗ Sign in");
  sbc_assert_contains (r.out, "client secret was refused");
  g_assert_cmpuint (count (r.out, "– "), ==, 6);
  sbc_assert_contains (r.err, "salesbridge-cli: The connection test failed.");
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "not enabled");

  /* A URL where nothing listens. */
  g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GSocketListener) probe = g_socket_listener_new ();
    guint16 port = g_socket_listener_add_any_inet_port (probe, NULL, &error);

    g_assert_no_error (error);
    g_socket_listener_close (probe);
    closed = g_strdup_printf ("http://127.0.0.1:%u/", port);
  }
  sbc_run (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, "connection", "set", "--url", closed,
           "--authority", closed, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "test", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.out, "✗ Sign in");
  sbc_assert_contains (r.out, "cannot reach");
  /* Leave the sandbox's secret item for the teardown to clear. */
  sbc_set_sandbox (fx, &r, NULL, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/connection/set-and-show", Fixture, NULL, sbc_fixture_set_up, test_set_and_show,
              sbc_fixture_tear_down);
  g_test_add ("/cli/connection/set-refuses", Fixture, NULL, sbc_fixture_set_up, test_set_refuses,
              sbc_fixture_tear_down);
  g_test_add ("/cli/connection/test-enable-disable", Fixture, NULL, sbc_fixture_set_up,
              test_test_enable_disable, sbc_fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
