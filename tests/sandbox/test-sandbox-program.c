/* test-sandbox-program.c: the salesbridge-sandbox binary: first stdout line, talking to it,
 * SIGTERM → exit 0 with a consistent --db file that a second run reopens, --help, bad options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <gio/gio.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <string.h>

static const char *
binary (void)
{
  const char *path = g_getenv ("SB_SANDBOX_BINARY");

  g_assert_nonnull (path);
  return path;
}

static GSubprocess *
spawn (const char *const *argv, char **out_base)
{
  g_autoptr (GError) error = NULL;
  GSubprocess *process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  *out_base = g_steal_pointer (&line);
  return process;
}

static void
stop (GSubprocess *process)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("salesbridge-sandbox did not exit normally (signal %d)",
             g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : -1);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
attach (SbtFixture *fx, const char *base, const char *client, const char *secret)
{
  fx->base = g_strdup (base);
  fx->api = g_strconcat (base, "api/data/v9.2/", NULL);
  fx->session = soup_session_new ();
  fx->token = sbt_token (fx, client, secret);
}

static void
detach (SbtFixture *fx)
{
  g_clear_object (&fx->session);
  g_clear_pointer (&fx->base, g_free);
  g_clear_pointer (&fx->api, g_free);
  g_clear_pointer (&fx->token, g_free);
}

static guint
count (SbtFixture *fx, const char *set)
{
  g_autofree char *path = g_strdup_printf ("%s/$count", set);
  g_autoptr (SbtResponse) r = sbt_call (fx, "GET", path, NULL, NULL);
  g_autofree char *text = sbt_body_text (r);

  g_assert_cmpuint (r->status, ==, 200);
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static void
test_program_lifecycle (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sandbox-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "sandbox.db", NULL);
  const char *argv[] = { binary (), "--port",      "0",        "--db",
                         db,        "--seed-demo", "--client", "erp-admin:s3cret:Erin Admin",
                         NULL };
  g_autofree char *base = NULL;
  g_autoptr (GSubprocess) process = spawn (argv, &base);
  SbtFixture fx = { 0 };
  guint accounts, orders;

  attach (&fx, base, "erp-admin", "s3cret");
  {
    g_autoptr (SbtResponse) me = sbt_call (&fx, "GET", "WhoAmI", NULL, NULL);
    g_autoptr (SbtResponse) submitted = sbt_call (
        &fx, "GET", "salesorders?$select=ordernumber&$filter=statecode%20eq%201", NULL, NULL);
    g_autoptr (SbtResponse) won =
        sbt_call (&fx, "GET", "quotes?$select=quotenumber&$filter=statecode%20eq%202", NULL, NULL);
    g_autoptr (SbtResponse) revised = sbt_call (
        &fx, "GET", "quotes?$select=quotenumber&$filter=revisionnumber%20gt%200", NULL, NULL);
    g_autoptr (SbtResponse) people =
        sbt_call (&fx, "GET",
                  "systemusers?$select=fullname&$filter=isdisabled%20eq%20false%20and%20islicensed%"
                  "20eq%20true%20and%20isintegrationuser%20eq%20false",
                  NULL, NULL);

    g_assert_cmpuint (me->status, ==, 200);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (submitted), "value")), >=,
        3);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (won), "value")), >=, 1);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (revised), "value")), >=,
        1);
    g_assert_cmpuint (
        json_array_get_length (json_object_get_array_member (sbt_object (people), "value")), >=, 4);
  }
  accounts = count (&fx, "accounts");
  orders = count (&fx, "salesorders");
  g_assert_cmpuint (accounts, >=, 10);
  g_free (sbt_create (&fx, "accounts",
                      "{\"name\": \"Survives restart\", \"accountnumber\": \"PERSIST\"}"));
  detach (&fx);
  stop (process);

  /* Reopen the same file: the data is there and seeding did not run twice. */
  {
    g_autofree char *base2 = NULL;
    g_autoptr (GSubprocess) again = spawn (argv, &base2);
    g_autoptr (SbtResponse) r = NULL;

    attach (&fx, base2, "erp-admin", "s3cret");
    g_assert_cmpuint (count (&fx, "accounts"), ==, accounts + 1);
    g_assert_cmpuint (count (&fx, "salesorders"), ==, orders);
    r = sbt_call (&fx, "GET", "accounts(accountnumber='PERSIST')?$select=name", NULL, NULL);
    g_assert_cmpuint (r->status, ==, 200);
    detach (&fx);
    stop (again);
  }
  g_unlink (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

static void
test_program_memory_default_clients (void)
{
  const char *argv[] = { binary (), "--port", "0", "--memory", "--accounts", "25", NULL };
  g_autofree char *base = NULL;
  g_autoptr (GSubprocess) process = spawn (argv, &base);
  SbtFixture fx = { 0 };

  attach (&fx, base, "sales-user", "sandbox");
  {
    g_autoptr (SbtResponse) me = sbt_call (&fx, "GET", "WhoAmI", NULL, NULL);

    g_assert_cmpuint (me->status, ==, 200);
  }
  detach (&fx);
  attach (&fx, base, "salesbridge-integration", "sandbox");
  g_assert_cmpuint (count (&fx, "accounts"), ==, 25);
  {
    g_autoptr (SbtResponse) r =
        sbt_call (&fx, "GET", "accounts(accountnumber='G000025')?$select=name", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  detach (&fx);
  stop (process);
}

/* The program seeds and answers in the C conventions whatever the user's locale: a decimal
 * comma in LC_NUMERIC once made the demo seed write "price": 12,50 and the start fail. */
static void
test_program_decimal_comma_locale (void)
{
  const char *argv[] = { binary (), "--port", "0", "--memory", "--seed-demo", NULL };
  g_autofree char *base = NULL;
  g_autoptr (GSubprocess) process = NULL;
  SbtFixture fx = { 0 };

  g_setenv ("LC_ALL", "sv_SE.UTF-8", TRUE);
  process = spawn (argv, &base);
  g_unsetenv ("LC_ALL");
  attach (&fx, base, "salesbridge-integration", "sandbox");
  {
    g_autoptr (SbtResponse) r =
        sbt_call (&fx, "GET", "products?$select=price&$filter=price%20gt%200&$top=1", NULL, NULL);
    g_autofree char *text = sbt_body_text (r);
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) node = json_from_string (text, &error);
    JsonArray *value;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_no_error (error);
    value = json_object_get_array_member (json_node_get_object (node), "value");
    g_assert_cmpuint (json_array_get_length (value), ==, 1);
    g_assert_cmpfloat (
        json_object_get_double_member (json_array_get_object_element (value, 0), "price"), >, 0);
  }
  detach (&fx);
  stop (process);
}

static void
test_program_help_and_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *help[] = { binary (), "--help", NULL };
  const char *bad[] = { binary (), "--faults", "429=2", NULL };
  const char *bad_client[] = { binary (), "--client", "nosecret", NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) help, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "salesbridge-integration"));
  g_assert_nonnull (strstr (out, "sales-user"));
  g_assert_nonnull (strstr (out, "--faults"));
  g_assert_nonnull (strstr (out, "latency="));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_true (g_spawn_sync (NULL, (char **) bad, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) bad_client, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, NULL, NULL, &status, &error));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sandbox/program/lifecycle", test_program_lifecycle);
  g_test_add_func ("/sandbox/program/memory-default-clients", test_program_memory_default_clients);
  g_test_add_func ("/sandbox/program/help-and-errors", test_program_help_and_errors);
  g_test_add_func ("/sandbox/program/decimal-comma-locale", test_program_decimal_comma_locale);
  return g_test_run ();
}
