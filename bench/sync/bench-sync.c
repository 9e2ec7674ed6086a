/* bench-sync.c: the sync engine's throughput and the cost of an incremental run.
 *
 *   bench-sync [N_NEW] [N_COUPLED…]   (defaults: 20000, then 10000 and 100000)
 *
 * 1. A full sync of N_NEW new customers to accounts ("only coupled records" off): records per
 *    second end to end and HTTP requests per record; peak memory with `/usr/bin/time -v`.
 * 2. For each N_COUPLED: that many coupled customers (couplings written directly, as after an
 *    earlier full sync), 10 ERP and 10 Dataverse changes, and the time of one run both ways.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "sb-customer.h"
#include "sb-sandbox-server.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-engine.h"

typedef struct
{
  char *dir;
  SbStore *store;
  SbSandboxServer *server;
  SbDataverseConnection *cnc;
  SbDataverseConnection *sales;
  SbSyncEngine *engine;
} Bench;

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    {
      fprintf (stderr, "bench-sync: %s\n", error ? error->message : "failed");
      exit (1);
    }
}

static SbDataverseConnection *
connect_as (Bench *b, const char *client)
{
  const char *base = sb_sandbox_server_get_base_url (b->server);
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                    "bench", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
bench_open (Bench *b, const char *name)
{
  GError *error = NULL;
  g_autofree char *path = NULL;
  SbSandboxLimitsConfig limits = { 0, 0, 0, 300 };
  g_autoptr (SbSyncMapping) m = NULL;

  b->dir = g_dir_make_tmp ("salesbridge-bench-sync-XXXXXX", &error);
  check (b->dir != NULL, error);
  path = g_build_filename (b->dir, name, NULL);
  b->store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  check (b->store != NULL, error);
  {
    /* The sandbox's base currency, as enabling the connection checks. */
    g_autoptr (SbGeneralSetup) general = sb_general_setup_get (b->store, &error);

    check (general != NULL, error);
    general->local_currency_code = (g_free (general->local_currency_code), g_strdup ("USD"));
    check (sb_general_setup_update (b->store, general, &error), error);
  }
  b->server = sb_sandbox_server_new ();
  sb_sandbox_server_set_limits (b->server, &limits);
  {
    /* On disk, so that the process's peak memory is mostly the engine's. */
    g_autofree char *sandbox_db = g_build_filename (b->dir, "sandbox.db", NULL);
    sb_sandbox_server_set_db_path (b->server, sandbox_db);
  }
  check (sb_sandbox_server_start (b->server, 0, &error), error);
  b->cnc = connect_as (b, SB_SANDBOX_INTEGRATION_CLIENT);
  b->sales = connect_as (b, SB_SANDBOX_SALES_CLIENT);
  b->engine = sb_sync_engine_new (b->store, b->cnc);
  m = sb_sync_mapping_load (b->store, "CUSTOMER", &error);
  check (m != NULL, error);
  m->only_coupled = FALSE;
  check (sb_sync_mapping_save (b->store, m, &error), error);
}

static void
bench_close (Bench *b)
{
  g_autoptr (GDir) dir = NULL;
  const char *entry;

  g_clear_object (&b->engine);
  g_clear_object (&b->cnc);
  g_clear_object (&b->sales);
  sb_sandbox_server_stop (b->server);
  g_clear_object (&b->server);
  g_clear_object (&b->store);
  dir = g_dir_open (b->dir, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (b->dir, entry, NULL);
      g_remove (file);
    }
  g_rmdir (b->dir);
  g_free (b->dir);
}

static void
add_customers (Bench *b, guint n, gboolean couple)
{
  GError *error = NULL;

  check (sb_store_begin (b->store, &error), error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();

      c->no = (g_free (c->no), g_strdup_printf ("B%07u", i));
      c->name = (g_free (c->name), g_strdup_printf ("Bench Customer %u", i));
      c->city = (g_free (c->city), g_strdup ("Göteborg"));
      c->phone = (g_free (c->phone), g_strdup ("+46 31 000 000"));
      check (sb_customer_insert (b->store, c, &error), error);
      if (couple)
        {
          g_autoptr (SbSyncCoupling) k = sb_sync_coupling_new ("CUSTOMER", c->no, NULL);

          k->dataverse_id = sb_dataverse_new_guid ();
          k->erp_change_no = c->change_no;
          k->last_result = SB_SYNC_RESULT_OK;
          check (sb_sync_coupling_save (b->store, k, &error), error);
        }
    }
  check (sb_store_commit (b->store, &error), error);
}

static void
full_sync (guint n)
{
  Bench b = { 0 };
  GError *error = NULL;
  SbSyncCounters counters;
  guint64 sent;
  gint64 start;
  double seconds;

  bench_open (&b, "full.sbdb");
  add_customers (&b, n, FALSE);
  /* WhoAmI and sign-in out of the measurement. */
  check (sb_dataverse_connection_who_am_i_sync (b.cnc, NULL, NULL, NULL, NULL, &error), error);
  sent = sb_dataverse_connection_get_n_sent (b.cnc);
  start = g_get_monotonic_time ();
  check (sb_sync_engine_sync_mapping_sync (b.engine, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES,
                                           &counters, NULL, &error),
         error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  sent = sb_dataverse_connection_get_n_sent (b.cnc) - sent;
  if (counters.inserted != n || counters.failed != 0)
    {
      fprintf (stderr, "bench-sync: %u inserted, %u failed of %u\n", counters.inserted,
               counters.failed, n);
      exit (1);
    }
  {
    /* Every creation has its history row, written with its coupling (issue 5). */
    sqlite3_stmt *stmt = sb_store_prepare (
        b.store, "SELECT count(*) FROM sync_history WHERE mapping = 'CUSTOMER' AND action = 0",
        &error);

    check (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW, error);
    if (sqlite3_column_int64 (stmt, 0) != n)
      {
        fprintf (stderr, "bench-sync: %" G_GINT64_FORMAT " history rows for %u creations\n",
                 (gint64) sqlite3_column_int64 (stmt, 0), n);
        exit (1);
      }
    sqlite3_reset (stmt);
  }
  printf ("full sync: %u customers → accounts in %.2f s: %.0f records/s, %.4f requests/record "
          "(batch size %u, with history)\n",
          n, seconds, n / seconds, (double) sent / n, sb_sync_engine_get_batch_size (b.engine));
  bench_close (&b);
}

static void
incremental (guint n)
{
  Bench b = { 0 };
  GError *error = NULL;
  SbSyncCounters counters;
  g_autoptr (GPtrArray) couplings = NULL;
  gint64 start;
  double seconds;

  bench_open (&b, "incremental.sbdb");
  add_customers (&b, n, TRUE);
  check (sb_sync_mapping_set_watermarks (b.store, "CUSTOMER", sb_store_get_change_number (b.store),
                                         "", "", &error),
         error);
  /* 20 of the coupled accounts exist in Dataverse (the others are never touched). */
  couplings = sb_sync_coupling_list (b.store, "CUSTOMER", &error);
  check (couplings != NULL, error);
  for (guint i = 0; i < 20; i++)
    {
      SbSyncCoupling *k = couplings->pdata[i * (n / 20)];
      g_autoptr (JsonObject) account = json_object_new ();
      g_autofree char *id = NULL;

      json_object_set_string_member (account, "accountid", k->dataverse_id);
      json_object_set_string_member (account, "name", k->erp_key);
      json_object_set_int_member (account, "customertypecode", 3);
      id = sb_dataverse_connection_create_sync (b.cnc, "accounts", account, NULL, NULL, &error);
      check (id != NULL, error);
    }
  /* Settles the Dataverse watermark. */
  check (sb_sync_engine_sync_mapping_sync (b.engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &counters,
                                           NULL, &error),
         error);
  for (guint i = 0; i < 20; i++)
    {
      SbSyncCoupling *k = couplings->pdata[i * (n / 20)];

      if (i % 2 == 0)
        {
          g_autoptr (SbCustomer) c = sb_customer_lookup (b.store, k->erp_key, &error);

          check (c != NULL, error);
          c->phone = (g_free (c->phone), g_strdup ("+46 31 111 111"));
          check (sb_customer_update (b.store, c, &error), error);
        }
      else
        {
          g_autoptr (JsonObject) change = json_object_new ();

          json_object_set_string_member (change, "telephone1", "+46 31 222 222");
          check (sb_dataverse_connection_write_sync (b.sales, "accounts", k->dataverse_id, change,
                                                     SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
                                                     NULL, &error),
                 error);
        }
    }
  start = g_get_monotonic_time ();
  check (sb_sync_engine_sync_mapping_sync (b.engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &counters,
                                           NULL, &error),
         error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("incremental run among %u coupled customers: %.3f s (%u modified, %u failed)\n", n,
          seconds, counters.modified, counters.failed);
  if (counters.failed > 0)
    {
      g_autoptr (JsonNode) log = sb_sync_engine_get_log (b.store, TRUE, 1, &error);
      g_autofree char *text = json_to_string (log, FALSE);

      fprintf (stderr, "bench-sync: %s\n", text);
      exit (1);
    }
  bench_close (&b);
}

int
main (int argc, char **argv)
{
  guint n_new = argc > 1 ? (guint) atoi (argv[1]) : 20000;

  full_sync (n_new);
  if (argc > 2)
    for (int i = 2; i < argc; i++)
      incremental ((guint) atoi (argv[i]));
  else
    {
      incremental (10000);
      incremental (100000);
    }
  return 0;
}
