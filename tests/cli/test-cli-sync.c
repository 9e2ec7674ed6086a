/* test-cli-sync.c: "salesbridge-cli mapping|couple|sync …" end to end, with the sandbox in this
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

typedef struct
{
  char *dir;
  char *db;
  SbSandboxServer *server;
  const char *base;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs the CLI with --db of the fixture. @env_secret: SALESBRIDGE_CLIENT_SECRET or NULL;
 * @input: standard input or NULL. NULL-terminated arguments. */
static void
run (Fixture *fx, Run *r, const char *env_secret, const char *input, ...)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  run_clear (r);
  g_ptr_array_add (argv, (char *) g_getenv ("SALESBRIDGE_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, fx->db);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_secret != NULL)
    g_subprocess_launcher_setenv (launcher, "SALESBRIDGE_CLIENT_SECRET", env_secret, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SALESBRIDGE_CLIENT_SECRET");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &r->out, &r->err,
                                 &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
assert_contains (const char *text, const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", text, fragment);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Run r = { 0 };

  fx->dir = g_dir_make_tmp ("salesbridge-cli-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = sb_sandbox_server_get_base_url (fx->server);

  /* The sandbox's only currency without demo data. */
  run (fx, &r, NULL, NULL, "setup", "general", "local_currency_code=USD", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                             SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error));
  g_assert_no_error (error);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
}

static void
set_sandbox (Fixture *fx, Run *r, const char *env_secret, const char *input, const char *extra)
{
  /* No --authority: for a loopback URL the sandbox itself signs in. */
  run (fx, r, env_secret, input, "connection", "set", "--url", fx->base, "--tenant",
       "contoso.onmicrosoft.com", "--client-id", SB_SANDBOX_INTEGRATION_CLIENT,
       "--solution-deployed", "yes", extra, NULL);
}

static void
test_sync_commands (Fixture *fx, gconstpointer data)
{
  g_autoptr (JsonObject) shown = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *status;
  JsonObject *customer = NULL;
  Run r = { 0 };

  set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);

  run (fx, &r, NULL, NULL, "mapping", "list", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "SALESPEOPLE");
  assert_contains (r.out, "SALESORDER-ORDER");
  run (fx, &r, NULL, NULL, "mapping", "show", "customer", NULL);
  g_assert_cmpint (r.status, ==, 0);
  shown = parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (shown, "direction"), ==, "both");
  run (fx, &r, NULL, NULL, "mapping", "set", "CUSTOMER", "--only-coupled", "0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "mapping", "set", "CUSTOMER", "--erp-filter", "nonsense (((", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "ERP filter");

  /* Field 1 of CUSTOMER is name ↔ name. */
  run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "1", "--match-priority", "3",
       "--case-sensitive", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "99", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run (fx, &r, NULL, NULL, "mapping", "set-field", "CUSTOMER", "1", "--constant", "{", NULL);
  g_assert_cmpint (r.status, ==, 1);
  run (fx, &r, NULL, NULL, "mapping", "show", "CUSTOMER", NULL);
  g_clear_pointer (&shown, json_object_unref);
  shown = parse_object (r.out);
  {
    JsonObject *field =
        json_array_get_object_element (json_object_get_array_member (shown, "fields"), 1);
    g_assert_cmpint (json_object_get_int_member (field, "match_priority"), ==, 3);
    g_assert_true (json_object_get_boolean_member (field, "match_case_sensitive"));
  }

  run (fx, &r, NULL, NULL, "currency", "add", "code=USD", "description=US dollar",
       "exchange_rate=1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli AB", "city=Visby", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "customer", "add", "no=C2", "name=Second AB", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "couple", "match", "CURRENCY", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "1 coupled");
  run (fx, &r, NULL, NULL, "create-in-sales", "CUSTOMER", "C2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "sync", "CUSTOMER", "--direction", "to-sales", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "1 inserted");
  run (fx, &r, NULL, NULL, "sync", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "sync-now", "CUSTOMER", "C1", "--winner", "erp", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "C1");
  run (fx, &r, NULL, NULL, "sync-now", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run (fx, &r, NULL, NULL, "uncouple", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "uncouple", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  run (fx, &r, NULL, NULL, "log", "--conflicts", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "[");
  run (fx, &r, NULL, NULL, "log", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"CUSTOMER\"");

  run (fx, &r, NULL, NULL, "sync-status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  status = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (status); i++)
    if (g_str_equal (
            json_object_get_string_member (json_array_get_object_element (status, i), "mapping"),
            "CUSTOMER"))
      customer = json_array_get_object_element (status, i);
  g_assert_nonnull (customer);
  g_assert_cmpint (json_object_get_int_member (customer, "coupled"), ==, 1);

  run (fx, &r, NULL, NULL, "mapping", "reset", "CUSTOMER", NULL);
  g_assert_cmpint (r.status, ==, 0);
  run (fx, &r, NULL, NULL, "sync", NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/sync/commands", Fixture, NULL, fixture_set_up, test_sync_commands,
              fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
