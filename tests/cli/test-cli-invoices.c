/* test-cli-invoices.c: "salesbridge-cli invoice send | stats update | solution …" end to end,
 * with the sandbox in this process over HTTP on 127.0.0.1 and gnome-keyring-daemon on a private
 * session bus that the CLI inherits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <signal.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"
#include "sb-store-private.h"
#include "sbs-dataverse.h"
#include "sbs-keyring.h"

#include "sbc-cli-fixture.h"

/* The one-line answer of a command that prints a number or an id. */
static char *
run_out (Fixture *fx, Run *r)
{
  g_assert_cmpint (r->status, ==, 0);
  return g_strstrip (g_strdup (r->out));
}

static SbDataverseConnection *
connect_sales (Fixture *fx)
{
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", fx->base, "authority", fx->base,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
test_commands (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbDataverseConnection) sales = connect_sales (fx);
  g_autoptr (JsonObject) status = NULL;
  g_autofree char *order = NULL;
  g_autofree char *invoice = NULL;
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* Books: a unit, an item and a customer, in Sales; an order posted. */
  sbc_run (fx, &r, NULL, NULL, "unit", "add", "code=PCS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "item", "add", "no=I1", "description=Tandem", "unit_price=300",
           "base_unit_code=PCS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Cli Cykel AB", "city=Visby",
           "credit_limit=5000", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set", "UNIT OF MEASURE", "--only-coupled", "0", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "sync", "UNIT OF MEASURE", "--direction", "to-sales", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "ITEM-PRODUCT", "I1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "order", "create", "C1", NULL);
  order = run_out (fx, &r);
  sbc_run (fx, &r, NULL, NULL, "order", "add-line", order, "item", "I1", "--quantity", "2", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "order", "post", order, NULL);
  invoice = run_out (fx, &r);

  /* Usage errors: exit 2. */
  sbc_run (fx, &r, NULL, NULL, "invoice", "send", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "invoice", "send", invoice, "--all", NULL);
  g_assert_cmpint (r.status, ==, 2);

  sbc_run (fx, &r, NULL, NULL, "invoice", "send", invoice, NULL);
  id = run_out (fx, &r);
  g_assert_true (sb_dataverse_is_guid (id));
  sbc_run (fx, &r, NULL, NULL, "invoice", "send", invoice, NULL);
  again = run_out (fx, &r);
  g_assert_cmpstr (again, ==, id);
  sbc_run (fx, &r, NULL, NULL, "invoice", "send", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "0 created");
  g_assert_cmpuint (sbs_count_rows (sales, "invoices", "invoicenumber", invoice), ==, 1);

  /* Statistics need the solution. */
  sbc_run (fx, &r, NULL, NULL, "stats", "update", "--all", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "Deploy the integration solution");
  sbc_run (fx, &r, NULL, NULL, "solution", "status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  status = sbc_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "not-deployed");
  sbc_run (fx, &r, NULL, NULL, "solution", "deploy", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Created 1 tables, 11 columns and 1 relationships");
  sbc_run (fx, &r, NULL, NULL, "solution", "deploy", "--redeploy", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Created 0 tables, 0 columns and 0 relationships; assigned 0 roles");
  sbc_run (fx, &r, NULL, NULL, "solution", "status", "--json", NULL);
  g_clear_pointer (&status, json_object_unref);
  status = sbc_parse_object (r.out);
  g_assert_cmpstr (json_object_get_string_member (status, "state"), ==, "deployed");
  g_assert_true (json_object_get_boolean_member (status, "roles_ok"));

  /* A payment, then the statistics and the invoice's status. */
  sbc_run (fx, &r, NULL, NULL, "payment", "register", "C1", "100", "--apply", invoice, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "stats", "update", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "1 created, 0 updated, 0 failed");
  sbc_run (fx, &r, NULL, NULL, "stats", "update", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "0 created, 1 updated, 0 failed");
  sbc_run (fx, &r, NULL, NULL, "stats", "update", "C1", "--all", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "solution", "status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Integration solution: deployed");
  sbc_assert_contains (r.out, "Integration roles: assigned");
  sbc_run (fx, &r, NULL, NULL, "stats", "update", "C9", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "C9");
  g_assert_cmpuint (sbs_count_rows (sales, "sb_accountstatisticses", "sb_customerno", "C1"), ==, 1);
  /* The statistics command of the books still answers "stats CUSTOMER". */
  sbc_run (fx, &r, NULL, NULL, "stats", "C1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "balance_lcy");
  sbc_run_clear (&r);
}

/* Posts @n orders of customer C1 as invoices and adds their numbers to @invoices. */
static void
post_invoices (Fixture *fx, Run *r, GPtrArray *invoices, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *order = NULL;

      sbc_run (fx, r, NULL, NULL, "order", "create", "C1", NULL);
      order = run_out (fx, r);
      sbc_run (fx, r, NULL, NULL, "order", "add-line", order, "item", "I1", "--quantity", "1",
               NULL);
      sbc_run (fx, r, NULL, NULL, "order", "add-line", order, "item", "I1", "--quantity", "2",
               NULL);
      sbc_run (fx, r, NULL, NULL, "order", "post", order, NULL);
      g_ptr_array_add (invoices, run_out (fx, r));
    }
}

/* One "invoice send --all"; SIGKILLed after @kill_after_us unless that is 0. Returns how long
 * it ran, in microseconds; @out_signaled: whether the kill hit it. */
static gint64
send_all (Fixture *fx, gint64 kill_after_us, gboolean *out_signaled)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  const char *argv[] = {
    g_getenv ("SALESBRIDGE_CLI"), "--db", fx->db, "invoice", "send", "--all", NULL
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = NULL;
  gint64 start = g_get_monotonic_time ();

  g_subprocess_launcher_unsetenv (launcher, "SALESBRIDGE_CLIENT_SECRET");
  p = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  if (kill_after_us > 0)
    {
      g_usleep ((gulong) kill_after_us);
      g_subprocess_send_signal (p, SIGKILL);
    }
  g_subprocess_wait (p, NULL, &error);
  g_assert_no_error (error);
  *out_signaled = g_subprocess_get_if_signaled (p);
  if (!*out_signaled)
    g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
  return g_get_monotonic_time () - start;
}

/* "invoice send --all" killed with SIGKILL at random instants, then run to the end: every
 * invoice is in Sales once, with its lines once. Each killed run has new invoices to send, and
 * the instants are drawn within how long an uninterrupted run of the same size takes here, so
 * the kills land in the sign-in, between and inside invoices on a fast machine as on a slow
 * one. */
static void
test_killed (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbDataverseConnection) sales = connect_sales (fx);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GPtrArray) invoices = g_ptr_array_new_with_free_func (g_free);
  guint signaled = 0, pending_after_kill = 0;
  const guint kills = 8, per_run = 3;
  gboolean killed;
  gint64 duration;
  Run r = { 0 };

  sbc_set_sandbox (fx, &r, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL);
  sbc_run (fx, &r, NULL, NULL, "connection", "enable", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "unit", "add", "code=PCS", NULL);
  sbc_run (fx, &r, NULL, NULL, "item", "add", "no=I1", "description=Tandem", "unit_price=300",
           "base_unit_code=PCS", NULL);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Kill AB", NULL);
  sbc_run (fx, &r, NULL, NULL, "mapping", "set", "UNIT OF MEASURE", "--only-coupled", "0", NULL);
  sbc_run (fx, &r, NULL, NULL, "sync", "UNIT OF MEASURE", "--direction", "to-sales", NULL);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "ITEM-PRODUCT", "I1", NULL);
  sbc_run (fx, &r, NULL, NULL, "create-in-sales", "CUSTOMER", "C1", NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* How long a run with @per_run invoices to send takes on this machine, now. */
  post_invoices (fx, &r, invoices, per_run);
  duration = send_all (fx, 0, &killed);
  g_assert_false (killed);

  for (guint i = 0; i < kills; i++)
    {
      post_invoices (fx, &r, invoices, per_run);
      send_all (fx, MAX (1000, g_rand_int_range (rand, 5, 90) * duration / 100), &killed);
      if (killed)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (SbStore) store = sb_store_open (fx->db, SB_STORE_OPEN_DEFAULT, &error);
          sqlite3_stmt *stmt;

          g_assert_no_error (error);
          signaled++;
          /* Killed between recording an invoice's id and recording that it was sent? */
          stmt = sb_store_prepare (store,
                                   "SELECT count(*) FROM coupling WHERE pending = 1"
                                   " AND mapping = 'POSTEDSALESINV-INV'",
                                   &error);
          g_assert_no_error (error);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          pending_after_kill += sqlite3_column_int (stmt, 0);
          sqlite3_reset (stmt);
        }
    }
  send_all (fx, 0, &killed);
  g_assert_false (killed);
  g_test_message ("%u of %u runs were killed (an uninterrupted run: %.0f ms), leaving %u "
                  "invoices pending",
                  signaled, kills, duration / 1000.0, pending_after_kill);
  g_assert_cmpuint (signaled, >, 0);

  g_assert_cmpuint (sbs_count_rows (sales, "invoices", NULL, NULL), ==, invoices->len);
  g_assert_cmpuint (sbs_count_rows (sales, "invoicedetails", NULL, NULL), ==, 2 * invoices->len);
  for (guint i = 0; i < invoices->len; i++)
    g_assert_cmpuint (sbs_count_rows (sales, "invoices", "invoicenumber", invoices->pdata[i]), ==,
                      1);
  /* And nothing left to do. */
  sbc_run (fx, &r, NULL, NULL, "invoice", "send", "--all", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "0 created");
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/invoices/commands", Fixture, NULL, sbc_fixture_set_up, test_commands,
              sbc_fixture_tear_down);
  g_test_add ("/cli/invoices/killed", Fixture, NULL, sbc_fixture_set_up, test_killed,
              sbc_fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
