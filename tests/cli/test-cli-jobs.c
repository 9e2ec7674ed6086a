/* test-cli-jobs.c: "salesbridge-cli full-sync|jobs|daemon" end to end, with the sandbox in this
 * process over HTTP on 127.0.0.1 (so it outlives a killed CLI) and gnome-keyring-daemon on a
 * private session bus that the CLI inherits. The crash test kills "full-sync --wait" with
 * SIGKILL at random instants and checks after every restart that nothing is duplicated and
 * every coupling points at existing records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sb-customer.h"
#include "sb-dataverse.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sbs-keyring.h"

typedef struct
{
  char *dir;
  char *db;
  SbSandboxServer *server;
  SbDataverseConnection *sales;
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

static GSubprocess *
spawn (Fixture *fx, GSubprocessFlags flags, const char *first, ...)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  GSubprocess *process;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SALESBRIDGE_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, fx->db);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_unsetenv (launcher, "SALESBRIDGE_CLIENT_SECRET");
  /* Small batches: many commits, so kills land between them as well as inside. */
  g_subprocess_launcher_setenv (launcher, "SALESBRIDGE_SYNC_BATCH_SIZE", "25", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
communicate (GSubprocess *process, Run *r)
{
  g_autoptr (GError) error = NULL;

  run_clear (r);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &r->out, &r->err, &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

#define RUN(fx, r, ...)                                                                            \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GSubprocess) p_ = spawn (                                                           \
        fx, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, __VA_ARGS__, NULL);   \
    communicate (p_, r);                                                                           \
  }                                                                                                \
  G_STMT_END

static void
assert_contains (const char *text, const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", text, fragment);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;
  Run r = { 0 };

  fx->dir = g_dir_make_tmp ("salesbridge-cli-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = sb_sandbox_server_get_base_url (fx->server);
  fx->sales =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->sales, SB_SANDBOX_DEFAULT_SECRET);

  store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (store, &error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (store, general, &error));
  g_clear_object (&store);

  {
    g_autoptr (GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_autoptr (GSubprocess) p = NULL;

    g_subprocess_launcher_setenv (launcher, "SALESBRIDGE_CLIENT_SECRET", SB_SANDBOX_DEFAULT_SECRET,
                                  TRUE);
    p = g_subprocess_launcher_spawn (
        launcher, &error, g_getenv ("SALESBRIDGE_CLI"), "--db", fx->db, "connection", "set",
        "--url", fx->base, "--tenant", "contoso.onmicrosoft.com", "--client-id",
        SB_SANDBOX_INTEGRATION_CLIENT, "--solution-deployed", "yes", NULL);
    g_assert_no_error (error);
    communicate (p, &r);
    g_assert_cmpint (r.status, ==, 0);
  }
  RUN (fx, &r, "connection", "enable");
  g_assert_cmpint (r.status, ==, 0);
  RUN (fx, &r, "currency", "add", "code=USD", "description=US dollar", "exchange_rate=1");
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                             SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error));
  g_clear_object (&fx->sales);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
}

static gint64
sql_int (SbStore *store, const char *sql)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
add_customers (Fixture *fx, guint first, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();

      g_free (c->name);
      c->name = g_strdup_printf ("Crash %04u", i);
      sb_customer_insert (store, c, &error);
      g_assert_no_error (error);
    }
}

static void
add_account (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"customertypecode\": 3}", name);
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_autofree char *id = sb_dataverse_connection_create_sync (
      fx->sales, "accounts", json_node_get_object (node), NULL, NULL, &error);

  g_assert_no_error (error);
}

static gboolean
collect_accounts (const SbDataversePage *page, gpointer user_data, GError **error)
{
  GHashTable *ids = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);

      g_hash_table_insert (ids, g_strdup (json_object_get_string_member (row, "accountid")),
                           g_strdup (json_object_get_string_member (row, "name")));
    }
  return TRUE;
}

/* The invariants, at any instant: no account name (unique by construction) twice in Dataverse;
 * every committed coupling points at an existing account and an existing customer. With
 * @complete also: everything coupled, counts equal on both sides. Returns the account count. */
static guint
check (Fixture *fx, gboolean complete)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GHashTable) accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("accounts");
  GHashTableIter iter;
  gpointer name;
  sqlite3_stmt *stmt;
  guint couplings = 0;

  g_assert_no_error (error);
  sb_dataverse_query_select (query, "accountid", "name", NULL);
  g_assert_true (sb_dataverse_connection_query_sync (fx->sales, query, collect_accounts, accounts,
                                                     NULL, NULL, &error));
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, accounts);
  while (g_hash_table_iter_next (&iter, NULL, &name))
    {
      if (g_hash_table_contains (names, name))
        g_error ("account %s is duplicated", (char *) name);
      g_hash_table_add (names, name);
    }
  stmt = sb_store_prepare (store,
                           "SELECT erp_key, dataverse_id, (SELECT count(*) FROM customer"
                           " WHERE no = erp_key) FROM coupling WHERE mapping = 'CUSTOMER'"
                           " AND pending = 0",
                           &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 1);

      if (id == NULL || !g_hash_table_contains (accounts, id))
        g_error ("coupling of %s points at a missing account %s", sqlite3_column_text (stmt, 0),
                 id);
      g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
      couplings++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpint (sql_int (store, "SELECT count(*) FROM (SELECT name FROM customer GROUP BY name"
                                   " HAVING count(*) > 1)"),
                   ==, 0);
  if (complete)
    {
      g_assert_cmpuint (couplings, ==, g_hash_table_size (accounts));
      g_assert_cmpint (sql_int (store, "SELECT count(*) FROM customer"), ==,
                       g_hash_table_size (accounts));
      g_assert_cmpint (sql_int (store, "SELECT count(*) FROM coupling WHERE mapping = 'CUSTOMER'"
                                       " AND pending = 1"),
                       ==, 0);
    }
  return g_hash_table_size (accounts);
}

static void
test_crash (Fixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261121);
  gint64 started = g_get_monotonic_time ();
  guint kills = 0;
  guint kills_in_line = 0; /* kills that left a line In Process */
  guint rounds = 0;
  guint next_customer = 0;
  guint next_sales = 0;
  guint expected = 0;

  /* Rounds until 20 kills: each adds customers (some of which exist in Sales by name) and
   * Sales-only accounts, resets the review and runs "full-sync --wait" until it succeeds,
   * killing it at a random instant each time but the last. */
  while (kills < 20 && rounds < 12)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);
      guint n = 120;
      gboolean finished = FALSE;
      guint attempts = 0;

      g_assert_no_error (error);
      g_assert_true (sb_store_exec (store, "DELETE FROM full_sync_review", &error));
      g_clear_object (&store);
      add_customers (fx, next_customer, n);
      for (guint i = 0; i < 15; i++)
        {
          g_autofree char *matching = g_strdup_printf ("Crash %04u", next_customer + i * 7);
          g_autofree char *only = g_strdup_printf ("Sales only %04u", next_sales++);

          if (rounds > 0)
            add_account (fx, matching); /* the first round: Full Synchronization */
          add_account (fx, only);
        }
      next_customer += n;
      expected += n + 15;

      while (!finished)
        {
          g_autoptr (GSubprocess) p =
              spawn (fx, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                     "full-sync", "--wait", NULL);
          /* Early kills often, later ones sometimes: some land in sign-in and review, most
           * inside the runs. After 8 attempts in a round, let it finish. */
          gulong delay = g_rand_int_range (rand, 5, 350) * 1000;

          if (attempts++ < 8 && kills < 20)
            {
              g_usleep (delay);
              g_subprocess_send_signal (p, SIGKILL);
            }
          g_subprocess_wait (p, NULL, &error);
          g_assert_no_error (error);
          if (g_subprocess_get_if_signaled (p))
            {
              g_autoptr (SbStore) s = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);

              g_assert_no_error (error);
              kills++;
              kills_in_line +=
                  sql_int (s, "SELECT count(*) FROM full_sync_review WHERE status = 2");
              check (fx, FALSE);
              continue;
            }
          if (g_subprocess_get_exit_status (p) != 0)
            {
              g_autoptr (GBytes) err = NULL;
              g_autoptr (GInputStream) s = NULL;

              s = g_object_ref (g_subprocess_get_stderr_pipe (p));
              err = g_input_stream_read_bytes (s, 65536, NULL, NULL);
              g_error ("full-sync failed: %.*s", (int) g_bytes_get_size (err),
                       (const char *) g_bytes_get_data (err, NULL));
            }
          finished = TRUE;
        }
      g_assert_cmpuint (check (fx, TRUE), ==, expected);
      rounds++;
    }
  g_test_message ("%u kills (%u leaving a line In Process) in %u rounds, %u accounts, %.1f s",
                  kills, kills_in_line, rounds, expected,
                  (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (kills, >=, 20);
}

static gboolean
lock_held (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return sql_int (store, "SELECT count(*) FROM job_runner_lock") > 0;
}

static void
test_commands (Fixture *fx, gconstpointer data)
{
  Run r = { 0 };

  add_customers (fx, 0, 3);
  RUN (fx, &r, "full-sync");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "CUSTOMER");
  assert_contains (r.out, "Full Synchronization");
  RUN (fx, &r, "full-sync", "--json");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"recommendation\": \"full-sync\"");
  /* Another live process (this test stands for the app) runs a full synchronization: the CLI
   * refuses to start a second one. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);
    g_autofree char *sql =
        g_strdup_printf ("INSERT INTO full_sync_lock (id, owner, host, pid, started_at, heartbeat)"
                         " VALUES (1, 'app', '%s', %d, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         g_get_host_name (), (int) getpid (), g_get_real_time () / G_USEC_PER_SEC,
                         g_get_real_time () / G_USEC_PER_SEC);

    g_assert_true (sb_store_exec (store, sql, &error));
    RUN (fx, &r, "full-sync", "--wait");
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "A full synchronization is already running");
    g_assert_true (sb_store_exec (store, "DELETE FROM full_sync_lock", &error));
  }
  RUN (fx, &r, "full-sync", "--wait");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "CUSTOMER: Finished");
  g_assert_cmpuint (check (fx, TRUE), ==, 3);

  RUN (fx, &r, "jobs", "list");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Customer Statistics");
  assert_contains (r.out, "Not available yet");
  RUN (fx, &r, "jobs", "list", "--json");
  assert_contains (r.out, "\"next_run\"");
  RUN (fx, &r, "jobs", "run-due");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "ran");
  RUN (fx, &r, "sync-status", "--json");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "\"full_sync_status\": \"finished\"");
  assert_contains (r.out, "\"job_status\": \"");
  RUN (fx, &r, "jobs", "frobnicate");
  g_assert_cmpint (r.status, !=, 0);
  RUN (fx, &r, "jobs", "hold", "CUSTOMER");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "CUSTOMER: On Hold");
  RUN (fx, &r, "jobs", "resume", "CUSTOMER");
  g_assert_cmpint (r.status, ==, 0);
  RUN (fx, &r, "jobs", "resume", "CUSTOMER");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "not on hold");
  RUN (fx, &r, "jobs", "hold");
  g_assert_cmpint (r.status, !=, 0);
  RUN (fx, &r, "jobs", "set", "CUSTOMER", "--every", "20");
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "every 20 min, inactivity timeout 720 min");
  RUN (fx, &r, "jobs", "set", "CUSTOMER", "--every", "99999");
  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.err, "1 to 10080 minutes");
  RUN (fx, &r, "jobs", "set", "Nope", "--every", "5");
  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.err, "no scheduled job “Nope”");
  RUN (fx, &r, "jobs", "list", "--json");
  assert_contains (r.out, "\"interval_minutes\": 20");

  /* The daemon: holds the lock, a second one refuses, SIGTERM stops it cleanly. */
  {
    g_autoptr (GSubprocess) daemon =
        spawn (fx, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, "daemon",
               "--poll", "1", NULL);
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!lock_held (fx) && g_get_monotonic_time () < deadline)
      g_usleep (20000);
    g_assert_true (lock_held (fx));
    RUN (fx, &r, "daemon");
    g_assert_cmpint (r.status, ==, 1);
    assert_contains (r.err, "Another job runner");
    RUN (fx, &r, "jobs", "run-due");
    g_assert_cmpint (r.status, ==, 1);
    g_subprocess_send_signal (daemon, SIGTERM);
    communicate (daemon, &r);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "stopped");
    g_assert_false (lock_held (fx));
  }
  run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/jobs/commands", Fixture, NULL, fixture_set_up, test_commands,
              fixture_tear_down);
  g_test_add ("/cli/jobs/crash", Fixture, NULL, fixture_set_up, test_crash, fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
