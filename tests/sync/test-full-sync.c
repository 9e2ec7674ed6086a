/* test-full-sync.c: the Full Synchronization Review and the job queue against the in-process
 * sandbox over HTTP on 127.0.0.1 and a real SQLite file; the scheduler on an injected clock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <string.h>
#include <unistd.h>

#include "sb-customer.h"
#include "sb-full-sync-review.h"
#include "sb-job-queue.h"
#include "sb-reference-data.h"
#include "sb-sandbox-server.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-engine.h"
#include "sb-sync-error.h"
#include "sb-sync-lock.h"
#include "sbs-dataverse.h"
#include "sbs-keyring.h"

typedef struct
{
  char *dir;
  char *db_path;
  SbStore *store;
  SbSandboxServer *server;
  SbDataverseConnection *cnc;   /* the integration user */
  SbDataverseConnection *sales; /* a salesperson changing data in Sales */
  SbSyncEngine *engine;
  gint64 now; /* the injected clock */
} Fixture;

static SbDataverseConnection *
connect_as (Fixture *fx, const char *client)
{
  const char *base = sb_sandbox_server_get_base_url (fx->server);
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                    "sandbox", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  fx->dir = g_dir_make_tmp ("salesbridge-full-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (fx->store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (fx->store, general, &error));
  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->cnc = connect_as (fx, SB_SANDBOX_INTEGRATION_CLIENT);
  fx->sales = connect_as (fx, SB_SANDBOX_SALES_CLIENT);
  fx->engine = sb_sync_engine_new (fx->store, fx->cnc);
  fx->now = 1790000000; /* 2026-09-21 */
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_clear_object (&fx->engine);
  g_clear_object (&fx->cnc);
  g_clear_object (&fx->sales);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  g_clear_object (&fx->store);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

static void
add_currency (Fixture *fx, const char *code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCurrency) c = sb_currency_new ();

  g_free (c->code);
  c->code = g_strdup (code);
  g_free (c->description);
  c->description = g_strdup (code);
  c->exchange_rate = sb_decimal_from_int (1);
  g_assert_true (sb_record_insert (fx->store, &sb_currency_record_type, c, &error));
  g_assert_no_error (error);
}

static void
add_customer (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) c = sb_customer_new ();

  g_free (c->name);
  c->name = g_strdup (name);
  sb_customer_insert (fx->store, c, &error);
  g_assert_no_error (error);
}

static void
add_salesperson (Fixture *fx, const char *code, const char *email)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesperson) s = sb_salesperson_new ();

  g_free (s->code);
  s->code = g_strdup (code);
  g_free (s->name);
  s->name = g_strdup (code);
  g_free (s->email);
  s->email = g_strdup (email);
  sb_record_insert (fx->store, &sb_salesperson_record_type, s, &error);
  g_assert_no_error (error);
}

static void
dv_account (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"customertypecode\": 3}", name);
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  id = sb_dataverse_connection_create_sync (fx->sales, "accounts", json_node_get_object (node),
                                            NULL, NULL, &error);
  g_assert_no_error (error);
}

static guint
dv_count (Fixture *fx, const char *set, const char *attribute, const char *value)
{
  return sbs_count_rows (fx->sales, set, attribute, value);
}

static gint64
sql_int (Fixture *fx, const char *sql)
{
  sqlite3_stmt *stmt = sb_store_prepare (fx->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static SbFullSyncLine *
line_of (GPtrArray *lines, const char *mapping)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (((SbFullSyncLine *) lines->pdata[i])->mapping, mapping))
      return lines->pdata[i];
  g_error ("no line %s", mapping);
  return NULL;
}

static GPtrArray *
generate (Fixture *fx, SbFullSyncReview *review)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *lines;

  g_assert_true (sb_full_sync_review_reset (fx->store, &error));
  g_assert_true (sb_full_sync_review_generate_sync (review, NULL, &error));
  g_assert_no_error (error);
  lines = sb_full_sync_review_list (fx->store, &error);
  g_assert_no_error (error);
  return lines;
}

/* ---- the review ------------------------------------------------------------------------------ */

static void
test_recommendations (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbFullSyncReview) review = sb_full_sync_review_new (fx->engine);
  g_autoptr (GPtrArray) lines = generate (fx, review);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) json = NULL;

  /* SALESPEOPLE always; CURRENCY: the new Dataverse's only currency has exchange rate 1. */
  g_assert_cmpint (line_of (lines, "SALESPEOPLE")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  g_assert_cmpint (line_of (lines, "CURRENCY")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS);
  g_assert_cmpstr (line_of (lines, "CUSTOMER")->depends_on, ==, "SALESPEOPLE,CURRENCY");
  g_assert_cmpint (line_of (lines, "CUSTOMER")->status, ==, SB_JOB_STATUS_NONE);
  for (guint i = 0; i < lines->len; i++)
    g_assert_cmpstr (((SbFullSyncLine *) lines->pdata[i])->mapping, !=, "POSTEDSALESLINE-INV");
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* One side empty. */
  add_customer (fx, "Only in the ERP");
  lines = generate (fx, review);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  g_assert_cmpuint (line_of (lines, "CUSTOMER")->erp_count, ==, 1);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Both sides hold data; a second Dataverse currency means CURRENCY must couple. */
  dv_account (fx, "Only in Sales");
  {
    g_autoptr (JsonNode) node = json_from_string (
        "{\"isocurrencycode\": \"EUR\", \"currencyname\": \"Euro\", \"currencysymbol\": \"E\","
        " \"exchangerate\": 0.9, \"currencyprecision\": 2}",
        &error);
    g_autofree char *id = sb_dataverse_connection_create_sync (
        fx->sales, "transactioncurrencies", json_node_get_object (node), NULL, NULL, &error);
    g_assert_no_error (error);
  }
  lines = generate (fx, review);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_COUPLE);
  g_assert_cmpuint (line_of (lines, "CUSTOMER")->dataverse_count, ==, 1);
  g_assert_cmpint (line_of (lines, "CURRENCY")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_COUPLE);
  g_assert_cmpint (line_of (lines, "SALESPEOPLE")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  json = sb_full_sync_review_to_json (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json)), ==, lines->len);
}

typedef struct
{
  Fixture *fx;
  GPtrArray *order; /* mappings in the order their lines finished */
  guint held;       /* lines whose recurring job was On Hold while they ran */
} Watch;

static void
on_line_changed (SbFullSyncReview *review, const char *mapping, guint status, Watch *w)
{
  if (status == SB_JOB_STATUS_FINISHED)
    g_ptr_array_add (w->order, g_strdup (mapping));
  if (status == SB_JOB_STATUS_IN_PROCESS)
    {
      g_autofree char *sql =
          g_strdup_printf ("SELECT status FROM job_queue WHERE mapping = '%s'", mapping);

      /* The sync variant emits on the running thread, inside the run. */
      g_assert_cmpint (sql_int (w->fx, sql), ==, SB_JOB_STATUS_ON_HOLD);
      w->held++;
    }
}

static gint
index_of (GPtrArray *order, const char *mapping)
{
  for (guint i = 0; i < order->len; i++)
    if (g_str_equal (order->pdata[i], mapping))
      return (gint) i;
  return -1;
}

/* Both sides populated: matching records are coupled, not duplicated; the rest is created on the
 * other side; lines run in dependency order; the recurring job is back to Ready. */
static void
test_both_populated (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbFullSyncReview) review = sb_full_sync_review_new (fx->engine);
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GError) error = NULL;
  const char *both[] = { "Alfa AB", "Beta AB", "Gamma AB" };

  add_currency (fx, "USD");
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    {
      add_customer (fx, both[i]);
      dv_account (fx, both[i]);
    }
  add_customer (fx, "Delta only ERP");
  add_customer (fx, "Epsilon only ERP");
  dv_account (fx, "Zeta only Sales");
  /* The sales user is already in the ERP, under its own code. */
  add_salesperson (fx, "XM", "sales-user@sandbox.example");
  g_assert_true (sb_job_queue_ensure_jobs (fx->store, fx->now, &error));

  Watch watch = { fx, order, 0 };

  g_signal_connect (review, "line-changed", G_CALLBACK (on_line_changed), &watch);
  g_assert_true (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_no_error (error);

  lines = sb_full_sync_review_list (fx->store, &error);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_COUPLE);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->status, ==, SB_JOB_STATUS_FINISHED);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->to_status, ==, SB_FULL_SYNC_SIDE_SUCCESS);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->from_status, ==, SB_FULL_SYNC_SIDE_SUCCESS);
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    g_assert_cmpuint (dv_count (fx, "accounts", "name", both[i]), ==, 1);
  g_assert_cmpuint (dv_count (fx, "accounts", "name", "Delta only ERP"), ==, 1);
  g_assert_cmpuint (dv_count (fx, "accounts", NULL, NULL), ==, 6);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM customer"), ==, 6);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM customer WHERE name = 'Zeta only Sales'"), ==,
                   1);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM coupling WHERE mapping = 'CUSTOMER'"
                                " AND pending = 0"),
                   ==, 6);
  g_assert_cmpuint (dv_count (fx, "transactioncurrencies", "isocurrencycode", "USD"), ==, 1);

  /* SALESPEOPLE is recommended Full Synchronization, yet with salespeople on both sides the
   * one that matches by e-mail is coupled, not created a second time. */
  g_assert_cmpint (line_of (lines, "SALESPEOPLE")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  g_assert_cmpint (line_of (lines, "SALESPEOPLE")->from_status, ==, SB_FULL_SYNC_SIDE_SUCCESS);
  g_assert_cmpint (
      sql_int (fx, "SELECT count(*) FROM salesperson WHERE email = 'sales-user@sandbox.example'"),
      ==, 1);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM coupling WHERE mapping = 'SALESPEOPLE'"
                                " AND erp_key = 'XM'"),
                   ==, 1);

  /* Dependency order: SALESPEOPLE and CURRENCY before CUSTOMER. */
  g_assert_cmpint (index_of (order, "CUSTOMER"), >, index_of (order, "CURRENCY"));
  g_assert_cmpint (index_of (order, "CUSTOMER"), >, index_of (order, "SALESPEOPLE"));
  g_assert_cmpint (index_of (order, "SALESPEOPLE"), >=, 0);
  g_assert_cmpuint (watch.held, ==, order->len);

  /* The recurring job was held and is back; the watermark was carried back. */
  g_assert_cmpint (sql_int (fx, "SELECT status FROM job_queue WHERE name = 'CUSTOMER'"), ==,
                   SB_JOB_STATUS_READY);
  g_assert_cmpint (sql_int (fx, "SELECT erp_watermark FROM integration_table_mapping"
                                " WHERE name = 'CUSTOMER'"),
                   >, 0);

  /* Starting again finds nothing to do. */
  g_assert_true (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_cmpuint (dv_count (fx, "accounts", NULL, NULL), ==, 6);
  /* The log tells the coupling-by-matching pass from the transfer. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonNode) log = sb_sync_engine_get_log (fx->store, FALSE, 200, &error);
    JsonArray *jobs;
    guint n_match = 0, n_transfer = 0;

    g_assert_no_error (error);
    jobs = json_node_get_array (log);
    for (guint k = 0; k < json_array_get_length (jobs); k++)
      {
        JsonObject *job = json_array_get_object_element (jobs, k);

        if (!g_str_equal (json_object_get_string_member (job, "mapping"), "CUSTOMER"))
          continue;
        if (g_str_equal (json_object_get_string_member (job, "kind"), "match"))
          n_match++;
        else
          n_transfer++;
      }
    g_assert_cmpuint (n_match, ==, 1);
    g_assert_cmpuint (n_transfer, ==, 1);
  }
}

/* The ERP side empty: Dataverse's accounts are created in the ERP. */
static void
test_empty_erp (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbFullSyncReview) review = sb_full_sync_review_new (fx->engine);
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GError) error = NULL;

  add_currency (fx, "USD");
  dv_account (fx, "Sales One");
  dv_account (fx, "Sales Two");
  lines = generate (fx, review);
  g_assert_cmpint (line_of (lines, "CUSTOMER")->recommendation, ==,
                   SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC);
  g_assert_true (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM customer"), ==, 2);
  g_assert_cmpuint (dv_count (fx, "accounts", NULL, NULL), ==, 2);
}

typedef struct
{
  GMainLoop *loop;
  gboolean ok;
  guint changes;
} AsyncRun;

static void
count_changes (SbFullSyncReview *review, const char *mapping, guint status, AsyncRun *a)
{
  a->changes++;
}

static void
on_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncRun *a = user_data;
  g_autoptr (GError) error = NULL;

  a->ok = sb_full_sync_review_start_finish (SB_FULL_SYNC_REVIEW (source), result, &error);
  g_assert_no_error (error);
  g_main_loop_quit (a->loop);
}

static void
test_async (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbFullSyncReview) review = sb_full_sync_review_new (fx->engine);
  AsyncRun a = { g_main_loop_new (NULL, FALSE), FALSE, 0 };

  add_currency (fx, "USD");
  add_customer (fx, "Async AB");
  g_signal_connect (review, "line-changed", G_CALLBACK (count_changes), &a);
  sb_full_sync_review_start_async (review, NULL, on_started, &a);
  g_main_loop_run (a.loop);
  g_main_loop_unref (a.loop);
  g_assert_true (a.ok);
  g_assert_cmpuint (a.changes, >=, 4); /* at least two lines started and finished */
  g_assert_cmpuint (dv_count (fx, "accounts", "name", "Async AB"), ==, 1);
}

/* ---- the job queue --------------------------------------------------------------------------- */

static gint64
fixture_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

static SbJobQueueEntry *
job (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = sb_job_queue_list (fx->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      if (g_str_equal (e->name, name))
        {
          SbJobQueueEntry *copy = g_new0 (SbJobQueueEntry, 1);

          *copy = *e;
          copy->name = g_strdup (e->name);
          copy->mapping = g_strdup (e->mapping);
          copy->message = g_strdup (e->message);
          return copy;
        }
    }
  g_error ("no job %s", name);
  return NULL;
}

static guint
run_due (Fixture *fx, SbJobQueue *queue)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (sb_job_queue_run_due_sync (queue, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_inactivity (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (SbSyncMapping) m = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbJobQueueEntry) e = NULL;
  g_autoptr (SbJobQueueEntry) stats = NULL;
  gint64 t0 = fx->now;

  sb_job_queue_set_clock (queue, fixture_clock, fx);
  add_currency (fx, "USD");
  m = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);
  m->only_coupled = FALSE;
  g_assert_true (sb_sync_mapping_save (fx->store, m, &error));

  /* The first run of every job finds nothing: On Hold with Inactivity Timeout, 720 min. */
  g_assert_cmpuint (run_due (fx, queue), >=, 3);
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_assert_cmpint (e->next_run, ==, t0 + 720 * 60);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  stats = job (fx, "Customer Statistics");
  g_assert_false (stats->available);
  /* From here on only CUSTOMER's job counts: the others (some every 7 minutes) are held. */
  g_assert_true (sb_store_exec (
      fx->store, "UPDATE job_queue SET status = 4 WHERE name <> 'CUSTOMER'", &error));

  /* An ERP change before "minutes between runs" passed does not wake it… */
  add_customer (fx, "Wake AB");
  fx->now = t0 + 10 * 60;
  g_assert_cmpuint (run_due (fx, queue), ==, 0);
  /* …after 30 minutes it does, and a run with work makes it Ready again. */
  fx->now = t0 + 31 * 60;
  g_assert_cmpuint (run_due (fx, queue), ==, 1);
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_assert_cmpint (e->next_run, ==, fx->now + 30 * 60);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_cmpuint (dv_count (fx, "accounts", "name", "Wake AB"), ==, 1);

  /* Due again after 30 minutes, idle: back on hold until now + timeout. */
  fx->now += 29 * 60;
  g_assert_cmpuint (run_due (fx, queue), ==, 0);
  fx->now += 60;
  g_assert_cmpuint (run_due (fx, queue), ==, 1);
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_assert_cmpint (e->next_run, ==, fx->now + 720 * 60);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  /* A change in Sales wakes it (once the interval passed). */
  dv_account (fx, "From Sales AB");
  fx->now += 31 * 60;
  g_assert_cmpuint (run_due (fx, queue), ==, 1);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM customer WHERE name = 'From Sales AB'"), ==,
                   1);

  /* Without changes the timeout itself makes it due. */
  fx->now += 720 * 60 + 1;
  g_assert_cmpuint (run_due (fx, queue), >=, 1);
}

static void
test_retries (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbJobQueueEntry) e = NULL;

  sb_job_queue_set_clock (queue, fixture_clock, fx);
  g_assert_true (sb_job_queue_ensure_jobs (fx->store, fx->now, &error));
  /* A filter the mapping editor would refuse makes every CUSTOMER run fail. */
  g_assert_true (sb_store_exec (fx->store,
                                "UPDATE integration_table_mapping SET dataverse_filter ="
                                " 'nonsense (((' WHERE name = 'CUSTOMER';"
                                "UPDATE job_queue SET status = 4 WHERE name <> 'CUSTOMER'",
                                &error));
  for (guint attempt = 1; attempt < SB_JOB_QUEUE_MAX_ATTEMPTS; attempt++)
    {
      g_assert_cmpuint (run_due (fx, queue), ==, 1);
      e = job (fx, "CUSTOMER");
      g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ERROR);
      g_assert_cmpuint (e->attempts, ==, attempt);
      g_assert_cmpint (e->next_run, ==, fx->now + SB_JOB_QUEUE_RETRY_DELAY);
      g_assert_cmpstr (e->message, !=, "");
      g_clear_pointer (&e, sb_job_queue_entry_free);
      fx->now += SB_JOB_QUEUE_RETRY_DELAY - 1;
      g_assert_cmpuint (run_due (fx, queue), ==, 0);
      fx->now += 1;
    }
  /* The last attempt: Error until the next interval, with a fresh count. */
  g_assert_cmpuint (run_due (fx, queue), ==, 1);
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ERROR);
  g_assert_cmpuint (e->attempts, ==, 0);
  g_assert_cmpint (e->next_run, ==, fx->now + 30 * 60);
}

static void
test_lock (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbJobQueue) one = sb_job_queue_new (fx->engine);
  g_autoptr (SbJobQueue) two = sb_job_queue_new (fx->engine);
  g_autoptr (GError) error = NULL;
  guint n;

  sb_job_queue_set_clock (one, fixture_clock, fx);
  sb_job_queue_set_clock (two, fixture_clock, fx);
  g_assert_true (sb_job_queue_acquire_lock (one, &error));
  g_assert_true (sb_job_queue_acquire_lock (one, &error)); /* a heartbeat */
  g_assert_false (sb_job_queue_acquire_lock (two, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (sb_job_queue_run_due_sync (two, &n, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED);
  g_clear_error (&error);

  /* A holder whose heartbeat stopped is taken over. */
  fx->now += SB_JOB_QUEUE_LOCK_STALE + 1;
  g_assert_true (sb_job_queue_acquire_lock (two, &error));
  g_assert_false (sb_job_queue_acquire_lock (one, &error));
  g_clear_error (&error);

  /* A holder whose process is gone is taken over at once. */
  g_assert_true (sb_store_exec (fx->store, "UPDATE job_runner_lock SET pid = 2147483646", &error));
  g_assert_true (sb_job_queue_acquire_lock (one, &error));
  g_assert_no_error (error);

  /* Released: free for anyone. */
  sb_job_queue_release_lock (one);
  g_assert_true (sb_job_queue_acquire_lock (two, &error));
  sb_job_queue_release_lock (two);
}

/* A clock that moves 10 s at every reading: long runs take "minutes" without sleeping. */
static gint64
ticking_clock (gpointer user_data)
{
  Fixture *fx = user_data;

  fx->now += 10;
  return fx->now;
}

static gint64
lock_heartbeat (Fixture *fx, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT heartbeat FROM %s WHERE id = 1", table);

  return sql_int (fx, sql);
}

typedef struct
{
  Fixture *fx;
  SbFullSyncReview *other;
  gint64 customer_heartbeat;
  gint64 customer_started;
  gboolean other_refused;
} LockWatch;

static void
watch_lock (SbFullSyncReview *review, const char *mapping, guint status, LockWatch *w)
{
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (mapping, "CUSTOMER"))
    return;
  if (status == SB_JOB_STATUS_IN_PROCESS)
    {
      w->customer_started = w->fx->now;
      /* Meanwhile a second full synchronization (the CLI, say) is refused. */
      g_assert_false (sb_full_sync_review_start_sync (w->other, NULL, &error));
      g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "already running"));
      g_clear_error (&error);
      /* … and so is a second Start of the same review (the app's button twice). */
      g_assert_false (sb_full_sync_review_start_sync (review, NULL, &error));
      g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED);
      w->other_refused = TRUE;
    }
  else
    w->customer_heartbeat = lock_heartbeat (w->fx, "full_sync_lock");
}

/* Only one full synchronization at a time (issue 5): a live holder refuses a second Start, a
 * dead or silent one is taken over, and a long line keeps the heartbeat fresh. */
static void
test_full_sync_lock (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbFullSyncReview) review = sb_full_sync_review_new (fx->engine);
  g_autoptr (SbFullSyncReview) other = sb_full_sync_review_new (fx->engine);
  g_autoptr (GError) error = NULL;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *held = NULL;
  LockWatch w = { fx, other, 0, 0, FALSE };
  gulong handler;

  sb_full_sync_review_set_clock (review, ticking_clock, fx);
  sb_full_sync_review_set_clock (other, ticking_clock, fx);
  add_currency (fx, "USD");
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Lock %02u AB", i);
      add_customer (fx, name);
    }
  sb_sync_engine_set_batch_size (fx->engine, 1);

  /* Another live process holds the lock (this test's own pid stands for it). */
  held = g_strdup_printf ("INSERT INTO full_sync_lock (id, owner, host, pid, started_at,"
                          " heartbeat) VALUES (1, 'app', '%s', %s, %" G_GINT64_FORMAT
                          ", %" G_GINT64_FORMAT ")",
                          g_get_host_name (), pid, fx->now, fx->now);
  g_assert_true (sb_store_exec (fx->store, held, &error));
  g_assert_false (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "A full synchronization is already running"));
  g_assert_nonnull (strstr (error->message, pid));
  g_assert_nonnull (strstr (error->message, g_get_host_name ()));
  g_clear_error (&error);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM full_sync_review"), ==, 0);

  /* Its heartbeat stops: taken over. The run holds the lock, refuses a second Start, beats
   * during the CUSTOMER line, and releases the lock at the end. */
  fx->now += SB_FULL_SYNC_LOCK_STALE + 1;
  handler = g_signal_connect (review, "line-changed", G_CALLBACK (watch_lock), &w);
  g_assert_true (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_no_error (error);
  g_signal_handler_disconnect (review, handler);
  g_assert_true (w.other_refused);
  /* 30 batches of one customer: at least a dozen heartbeats of 10 s ticks after the start. */
  g_assert_cmpint (w.customer_heartbeat, >, w.customer_started + 120);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM full_sync_lock"), ==, 0);
  g_assert_cmpuint (dv_count (fx, "accounts", NULL, NULL), >=, 30);

  /* A holder whose process is gone is taken over at once. */
  g_assert_true (sb_store_exec (fx->store, held, &error));
  g_assert_true (sb_store_exec (fx->store, "UPDATE full_sync_lock SET pid = 2147483646", &error));
  g_assert_true (sb_full_sync_review_start_sync (review, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (fx, "SELECT count(*) FROM full_sync_lock"), ==, 0);
}

typedef struct
{
  Fixture *fx;
  gint64 before_customer; /* the clock when the job before CUSTOMER finished */
  gint64 customer_heartbeat;
} RunnerWatch;

static void
on_job_changed (SbJobQueue *queue, const char *name, guint status, RunnerWatch *w)
{
  if (g_str_equal (name, "CUSTOMER"))
    w->customer_heartbeat = lock_heartbeat (w->fx, "job_runner_lock");
  else if (w->customer_heartbeat == 0)
    w->before_customer = w->fx->now;
}

/* The job runner's heartbeat moves during a long job, not only between jobs. */
static void
test_runner_heartbeat (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (SbSyncMapping) m = NULL;
  g_autoptr (GError) error = NULL;
  RunnerWatch w = { fx, 0, 0 };
  guint n = 0;

  sb_job_queue_set_clock (queue, ticking_clock, fx);
  add_currency (fx, "USD");
  m = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);
  m->only_coupled = FALSE;
  g_assert_true (sb_sync_mapping_save (fx->store, m, &error));
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Beat %02u AB", i);
      add_customer (fx, name);
    }
  sb_sync_engine_set_batch_size (fx->engine, 1);
  g_signal_connect (queue, "job-changed", G_CALLBACK (on_job_changed), &w);
  g_assert_true (sb_job_queue_run_due_sync (queue, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dv_count (fx, "accounts", "name", "Beat 29 AB"), ==, 1);
  g_assert_cmpint (w.before_customer, >, 0);
  /* Without beats during the job it would be the time the previous job ended. */
  g_assert_cmpint (w.customer_heartbeat, >, w.before_customer + 120);
}

/* Run now, hold, resume and the times a user sets: kept where ensure_jobs() does not undo
 * them, refused with a reason where they cannot apply. */
static void
test_edit (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbJobQueueEntry) e = NULL;
  g_autoptr (SbJobQueueEntry) notes = NULL;
  g_autoptr (SbSyncMapping) m = NULL;

  g_assert_true (sb_job_queue_ensure_jobs (fx->store, fx->now, &error));
  g_assert_no_error (error);

  /* Hold, then resume (due at once); resume again is refused: it is not on hold. */
  g_assert_true (sb_job_queue_edit (fx->store, "CUSTOMER", SB_JOB_EDIT_HOLD, fx->now, &error));
  g_assert_no_error (error);
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_true (
      sb_job_queue_edit (fx->store, "CUSTOMER", SB_JOB_EDIT_RESUME, fx->now + 5, &error));
  e = job (fx, "CUSTOMER");
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_assert_cmpint (e->next_run, ==, fx->now + 5);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_false (sb_job_queue_edit (fx->store, "CUSTOMER", SB_JOB_EDIT_RESUME, fx->now, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  /* Not a mapping's job: it cannot be held, and a running job is left alone. */
  g_assert_false (
      sb_job_queue_edit (fx->store, "Sales Order Notes", SB_JOB_EDIT_HOLD, fx->now, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (
      sb_store_exec (fx->store, "UPDATE job_queue SET status = 2 WHERE name = 'CUSTOMER'", &error));
  g_assert_false (sb_job_queue_edit (fx->store, "CUSTOMER", SB_JOB_EDIT_RUN_NOW, fx->now, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);

  /* Times: out of range refused, nothing written. */
  g_assert_false (sb_job_queue_set_timing (fx->store, "CUSTOMER", 0, 60, fx->now, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (sb_job_queue_set_timing (fx->store, "CUSTOMER", 10, SB_JOB_QUEUE_MAX_MINUTES + 1,
                                           fx->now, &error));
  g_clear_error (&error);
  g_assert_false (sb_job_queue_set_timing (fx->store, "No Such Job", 10, 10, fx->now, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED);
  g_clear_error (&error);
  e = job (fx, "CUSTOMER");
  g_assert_cmpuint (e->interval, ==, 30);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  /* A mapping's job keeps its times in the mapping, through ensure_jobs(). */
  g_assert_true (
      sb_store_exec (fx->store, "UPDATE job_queue SET status = 6 WHERE name = 'CUSTOMER'", &error));
  g_assert_true (sb_job_queue_set_timing (fx->store, "CUSTOMER", 15, 60, fx->now, &error));
  g_assert_no_error (error);
  g_assert_true (sb_job_queue_ensure_jobs (fx->store, fx->now + 1, &error));
  e = job (fx, "CUSTOMER");
  g_assert_cmpuint (e->interval, ==, 15);
  g_assert_cmpuint (e->inactivity_timeout, ==, 60);
  /* Asleep for the old 720 minutes: a shorter timeout wakes it sooner. */
  g_assert_cmpint (e->next_run, <=, fx->now + 60 * 60);
  m = sb_sync_mapping_load (fx->store, "CUSTOMER", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (m->job_interval, ==, 15);
  g_assert_cmpuint (m->inactivity_timeout, ==, 60);

  /* The other jobs keep theirs too. */
  g_assert_true (sb_job_queue_set_timing (fx->store, "Sales Order Notes", 12, 45, fx->now, &error));
  g_assert_true (sb_job_queue_ensure_jobs (fx->store, fx->now + 2, &error));
  g_assert_no_error (error);
  notes = job (fx, "Sales Order Notes");
  g_assert_cmpuint (notes->interval, ==, 12);
  g_assert_cmpuint (notes->inactivity_timeout, ==, 45);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/full-sync/recommendations", test_recommendations);
  ADD ("/sync/full-sync/both-populated", test_both_populated);
  ADD ("/sync/full-sync/empty-erp", test_empty_erp);
  ADD ("/sync/full-sync/async", test_async);
  ADD ("/sync/jobs/inactivity", test_inactivity);
  ADD ("/sync/jobs/retries", test_retries);
  ADD ("/sync/jobs/lock", test_lock);
  ADD ("/sync/jobs/edit", test_edit);
  ADD ("/sync/jobs/runner-heartbeat", test_runner_heartbeat);
  ADD ("/sync/full-sync/lock", test_full_sync_lock);
  return g_test_run ();
}
