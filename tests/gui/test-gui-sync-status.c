/* test-gui-sync-status.c: the header bar's synchronization indicator, the Scheduled Jobs page
 * and the app's job runner, the Conflicts page and a full synchronization from the review page
 *
 * A temporary company database with an enabled connection to the in-process sandbox (secret in
 * a private keyring). The indicator is checked for flicker on a short run and for its states;
 * jobs run through the window's runner and the page's buttons; a conflict made on both sides is
 * resolved field by field through the page and checked on both sides.
 *
 * With SB_SCREENSHOT_DIR set, the pages are saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <locale.h>
#include <unistd.h>

#include "sb-conflicts-page.h"
#include "sb-connection-manager.h"
#include "sb-customer.h"
#include "sb-job-queue.h"
#include "sb-job-runner.h"
#include "sb-jobs-page.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-sync-activity.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine.h"
#include "sb-sync-indicator.h"
#include "sb-sync-log-page.h"
#include "sb-sync-mapping.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  char *dir;
  char *db_path;
  SbStore *store; /* the test's own, main thread */
  SbWindow *window;
  SbDataverseConnection *sales; /* a salesperson changing data in Sales */
  char *first_no;               /* Adatum Corporation's number */
} Fixture;

/* Fixture */

static SbCustomer *
add_customer (SbStore *store, const char *name, const char *city)
{
  g_autoptr (GError) error = NULL;
  SbCustomer *c = sb_customer_new ();

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->city);
  c->city = g_strdup (city);
  sb_customer_insert (store, c, &error);
  g_assert_no_error (error);
  return c;
}

static void
set_only_coupled (SbStore *store, const char *name, gboolean only_coupled)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (store, name, &error);

  g_assert_no_error (error);
  m->only_coupled = only_coupled;
  g_assert_true (sb_sync_mapping_save (store, m, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  /* A sandbox of its own per test: the records of one test do not meet the next's. */
  server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

  fx->dir = g_dir_make_tmp ("salesbridge-gui-status-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (fx->store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (fx->store, general, &error));
  {
    g_autoptr (SbCustomer) first = add_customer (fx->store, "Adatum Corporation", "Stockholm");

    fx->first_no = g_strdup (first->no);
  }
  sb_customer_free (add_customer (fx->store, "Trey Research", "Malmö"));
  sbg_enable_connection (fx->store, base_url);
  set_only_coupled (fx->store, "CUSTOMER", FALSE);

  fx->sales =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->sales, SB_SANDBOX_DEFAULT_SECRET);
}

static void
open_window (Fixture *fx)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  sbg_settle (50);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  sbg_clear_secret (fx->store);
  if (fx->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  g_clear_object (&fx->sales);
  g_clear_object (&fx->store);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
  g_free (fx->first_no);
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
}

static SbSyncEngine *
open_engine (Fixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (fx->store);
  g_autoptr (SbDataverseConnection) cnc =
      sb_connection_manager_create_connection_sync (manager, NULL, &error);

  g_assert_no_error (error);
  return sb_sync_engine_new (fx->store, cnc);
}

static char *
coupled_id (Fixture *fx, const char *no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) coupling =
      sb_sync_coupling_find_erp (fx->store, "CUSTOMER", no, &error);

  g_assert_no_error (error);
  return coupling != NULL ? g_strdup (coupling->dataverse_id) : NULL;
}

static JsonObject *
sales_account (Fixture *fx, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, "accounts", id, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

static void
sales_update (Fixture *fx, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  gboolean ok;

  g_assert_no_error (error);
  ok = sb_dataverse_connection_write_sync (fx->sales, "accounts", id, json_node_get_object (node),
                                           SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL, NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* The page fits a phone: 360 px wide (the window's own minimum). */
static void
assert_fits_narrow (gpointer page)
{
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_test_message ("%s: at least %d px wide", G_OBJECT_TYPE_NAME (page), minimum);
  g_assert_cmpint (minimum, <=, 360);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Indicator */

typedef struct
{
  SbSyncIndicator *indicator;
  SbSyncIndicatorState state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *w = data;

  return sb_sync_indicator_get_state (w->indicator) == w->state;
}

/* Runs the main loop @ms, failing if the indicator ever shows "synchronizing". */
static void
assert_never_syncing (SbSyncIndicator *indicator, guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (5, sbg_wake_up, NULL);

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (sb_sync_indicator_get_state (indicator), !=, SB_SYNC_INDICATOR_SYNCING);
    }
  g_source_remove (wake_id);
}

static void
test_indicator (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbSyncActivity) activity = NULL;
  g_autoptr (GError) failure = NULL;
  SbSyncIndicator *indicator;
  StateWait wait;
  guint run;

  open_window (fx);
  activity =
      sb_sync_activity_get_for_database (sb_store_get_path (sb_window_get_store (fx->window)));
  indicator = SB_SYNC_INDICATOR (sbg_get (fx->window, "sync-indicator"));
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_IDLE);
  g_assert_nonnull (sb_sync_indicator_get_text (indicator));

  /* A short run never shows, neither while it runs nor after. */
  run = sb_sync_activity_begin (activity, "Short");
  assert_never_syncing (indicator, 250);
  sb_sync_activity_end (activity, run, NULL);
  assert_never_syncing (indicator, SB_SYNC_INDICATOR_SHOW_DELAY + 300);
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_IDLE);

  /* A longer one shows with its progress, and stays a moment after it ended. */
  run = sb_sync_activity_begin (activity, "Long");
  wait = (StateWait){ indicator, SB_SYNC_INDICATOR_SYNCING };
  sbg_wait_until (has_state, &wait, "the indicator to show the run");
  sb_sync_activity_progress (activity, "CUSTOMER", 5, 10);
  g_assert_nonnull (strstr (sb_sync_indicator_get_text (indicator), "CUSTOMER"));
  g_assert_nonnull (strstr (sb_sync_indicator_get_text (indicator), "5"));
  g_assert_nonnull (strstr (sb_sync_indicator_get_text (indicator), "10"));
  sb_sync_activity_end (activity, run, NULL);
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_SYNCING);
  sbg_settle (SB_SYNC_INDICATOR_MIN_SHOWN / 4);
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_SYNCING);
  wait.state = SB_SYNC_INDICATOR_IDLE;
  sbg_wait_until (has_state, &wait, "the indicator to go back to idle");

  /* A failed run: its error stays, and the details lead to the log. */
  run = sb_sync_activity_begin (activity, "Failing");
  failure = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "The network went away");
  sb_sync_activity_end (activity, run, failure);
  wait.state = SB_SYNC_INDICATOR_ERROR;
  sbg_wait_until (has_state, &wait, "the indicator to show the error");
  g_assert_nonnull (strstr (sb_sync_indicator_get_text (indicator), "The network went away"));
  sb_sync_indicator_show_details (indicator);
  sbg_settle (100);
  sbg_screenshot (indicator, "sync-indicator-error");
  click (sbg_get (GTK_WIDGET (indicator), "sync-indicator-log"));
  sbg_settle (50);
  g_assert_cmpstr (sb_window_get_visible_page_name (fx->window), ==, "sync-log");
  click (sbg_get (GTK_WIDGET (indicator), "sync-indicator-dismiss"));
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_IDLE);
}

/* Jobs */

static GtkWidget *
job_row (SbJobsPage *page, const char *name)
{
  g_autofree char *row = g_strdup_printf ("job-%s", name);

  return sbg_find_named (GTK_WIDGET (page), row);
}

static const char *
job_status (SbJobsPage *page, const char *name)
{
  GtkWidget *row = job_row (page, name);

  return row != NULL ? gtk_label_get_text (GTK_LABEL (sbg_get (row, "job-status"))) : NULL;
}

typedef struct
{
  SbJobsPage *page;
  SbJobRunner *runner;
  const char *job;
  const char *status;
  guint n_polls;
} JobsWait;

static gboolean
job_has_status (gpointer data)
{
  JobsWait *w = data;

  return !sb_jobs_page_is_busy (w->page) && !sb_job_runner_is_busy (w->runner) &&
         sb_job_runner_get_n_polls (w->runner) >= w->n_polls &&
         g_strcmp0 (job_status (w->page, w->job), w->status) == 0;
}

static gboolean
runner_polled (gpointer data)
{
  JobsWait *w = data;

  return !sb_job_runner_is_busy (w->runner) &&
         sb_job_runner_get_n_polls (w->runner) >= w->n_polls && !sb_jobs_page_is_busy (w->page);
}

static void
test_jobs (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) added = NULL;
  g_autoptr (JsonObject) account = NULL;
  g_autofree char *id = NULL;
  SbJobsPage *page;
  SbJobRunner *runner;
  JobsWait wait;

  open_window (fx);
  sb_window_show_page (fx->window, "jobs");
  page = SB_JOBS_PAGE (sb_window_get_page (fx->window, "jobs"));
  runner = sb_jobs_page_get_runner (page);
  g_assert_cmpint (sb_job_runner_get_state (runner), ==, SB_JOB_RUNNER_STOPPED);

  /* The first poll takes the lock and runs every due job: the customers go to Sales. */
  sb_job_runner_start (runner, 3600);
  wait = (JobsWait){ page, runner, "CUSTOMER", NULL, 1 };
  sbg_wait_until (runner_polled, &wait, "the first poll of the jobs");
  g_assert_cmpint (sb_job_runner_get_state (runner), ==, SB_JOB_RUNNER_RUNNING);
  g_assert_cmpstr (sb_jobs_page_get_state (page), ==, "jobs");
  g_assert_nonnull (job_row (page, "CUSTOMER"));
  g_assert_cmpstr (job_status (page, "CUSTOMER"), ==, "Ready");
  g_assert_nonnull (strstr (sb_jobs_page_get_runner_text (page), "This app runs"));
  sbg_screenshot (page, "jobs-page");
  assert_fits_narrow (page);

  /* Run Now: a customer added since is in Sales after the job ran. */
  added = add_customer (fx->store, "Alpine Ski House", "Uppsala");
  g_assert_null (coupled_id (fx, added->no));
  click (sbg_get (job_row (page, "CUSTOMER"), "job-run-now"));
  wait = (JobsWait){ page, runner, "CUSTOMER", "Ready", sb_job_runner_get_n_polls (runner) + 1 };
  sbg_wait_until (job_has_status, &wait, "Run Now of the customer job");
  id = coupled_id (fx, added->no);
  g_assert_nonnull (id);
  account = sales_account (fx, id);
  g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Alpine Ski House");

  /* Hold and resume. */
  click (sbg_get (job_row (page, "CUSTOMER"), "job-hold"));
  wait = (JobsWait){ page, runner, "CUSTOMER", "On Hold", sb_job_runner_get_n_polls (runner) + 1 };
  sbg_wait_until (job_has_status, &wait, "the customer job to be held");
  g_assert_false (gtk_widget_is_sensitive (sbg_get (job_row (page, "CUSTOMER"), "job-hold")) ==
                  FALSE);
  click (sbg_get (job_row (page, "CUSTOMER"), "job-hold"));
  wait = (JobsWait){ page, runner, "CUSTOMER", NULL, sb_job_runner_get_n_polls (runner) + 1 };
  sbg_wait_until (runner_polled, &wait, "the customer job to be resumed");
  g_assert_cmpstr (job_status (page, "CUSTOMER"), !=, "On Hold");

  /* Closing the window (as quitting does) releases the lock: another runner can take it. */
  gtk_window_destroy (GTK_WINDOW (fx->window));
  fx->window = NULL;
  sbg_settle (100);
  {
    g_autoptr (SbSyncEngine) engine = open_engine (fx);
    g_autoptr (SbJobQueue) other = sb_job_queue_new (engine);

    g_assert_true (sb_job_queue_acquire_lock (other, &error));
    g_assert_no_error (error);
    sb_job_queue_release_lock (other);
  }
}

static void
test_jobs_other_process (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncEngine) engine = open_engine (fx);
  g_autoptr (SbJobQueue) other = sb_job_queue_new (engine);
  g_autofree char *expected = NULL;
  SbJobsPage *page;
  SbJobRunner *runner;
  JobsWait wait;

  /* Another runner (as salesbridge-cli daemon would) holds the lock. */
  g_assert_true (sb_job_queue_acquire_lock (other, &error));
  g_assert_no_error (error);

  open_window (fx);
  sb_window_show_page (fx->window, "jobs");
  page = SB_JOBS_PAGE (sb_window_get_page (fx->window, "jobs"));
  runner = sb_jobs_page_get_runner (page);
  sb_job_runner_start (runner, 3600);
  wait = (JobsWait){ page, runner, NULL, NULL, 1 };
  sbg_wait_until (runner_polled, &wait, "the first poll of the jobs");
  g_assert_cmpint (sb_job_runner_get_state (runner), ==, SB_JOB_RUNNER_OTHER_PROCESS);
  expected = g_strdup_printf ("on %s (pid %d)", g_get_host_name (), (int) getpid ());
  g_assert_nonnull (strstr (sb_jobs_page_get_runner_text (page), expected));
  /* Nothing ran here: the customers are not in Sales. */
  g_assert_null (coupled_id (fx, fx->first_no));
  sbg_screenshot (page, "jobs-page-other-process");
  sb_job_runner_stop (runner);
  sb_job_queue_release_lock (other);
}

/* Conflicts */

static gboolean
conflicts_idle (gpointer data)
{
  return !sb_conflicts_page_is_busy (data);
}

static void
test_conflicts (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncEngine) engine = open_engine (fx);
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (SbCustomer) now = NULL;
  g_autoptr (JsonObject) account = NULL;
  g_autoptr (JsonNode) conflicts = NULL;
  g_autofree char *id = NULL;
  g_autofree char *group_name = NULL;
  SbConflictsPage *page;
  SbSyncCounters n;
  GtkWidget *group;
  gint64 conflict_id;

  customer = add_customer (fx->store, "Conflict AB", "Umeå");
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &n,
                                                   NULL, &error));
  g_assert_no_error (error);
  id = coupled_id (fx, customer->no);
  g_assert_nonnull (id);

  /* Both sides change the city and the phone. */
  sales_update (fx, id, "{\"address1_city\": \"Sales City\", \"telephone1\": \"+46 1 SALES\"}");
  g_free (customer->city);
  customer->city = g_strdup ("ERP City");
  g_free (customer->phone);
  customer->phone = g_strdup ("+46 2 ERP");
  g_assert_true (sb_customer_update (fx->store, customer, &error));
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &n,
                                                   NULL, &error));
  g_assert_cmpuint (n.conflicts, ==, 1);
  conflicts = sb_sync_engine_get_conflicts (fx->store, &error);
  g_assert_no_error (error);
  conflict_id = json_object_get_int_member (
      json_array_get_object_element (json_node_get_array (conflicts), 0), "id");

  open_window (fx);
  sb_window_show_page (fx->window, "conflicts");
  page = SB_CONFLICTS_PAGE (sb_window_get_page (fx->window, "conflicts"));
  sbg_settle (50);
  sbg_wait_until (conflicts_idle, page, "the conflicts");
  g_assert_cmpstr (sb_conflicts_page_get_state (page), ==, "conflicts");
  g_assert_cmpuint (sb_conflicts_page_get_n_conflicts (page), ==, 1);
  group_name = g_strdup_printf ("conflict-%" G_GINT64_FORMAT, conflict_id);
  group = sbg_get (page, group_name);
  sbg_screenshot (page, "conflicts-page");
  assert_fits_narrow (page);

  /* Field by field: Apply waits for a choice in each row. */
  g_assert_false (gtk_widget_is_sensitive (sbg_get (group, "apply")));
  click (sbg_get (sbg_get (group, "field-city"), "keep-sales"));
  g_assert_false (gtk_widget_is_sensitive (sbg_get (group, "apply")));
  click (sbg_get (sbg_get (group, "field-phone"), "keep-erp"));
  click (sbg_get (group, "apply"));
  sbg_wait_until (conflicts_idle, page, "the resolution");
  g_assert_cmpstr (sb_conflicts_page_get_last_message (page), ==,
                   "Conflict resolved: the kept values are on both sides");
  g_assert_cmpuint (sb_conflicts_page_get_n_conflicts (page), ==, 0);
  g_assert_cmpstr (sb_conflicts_page_get_state (page), ==, "empty");

  now = sb_customer_lookup (fx->store, customer->no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (now->city, ==, "Sales City");
  g_assert_cmpstr (now->phone, ==, "+46 2 ERP");
  account = sales_account (fx, id);
  g_assert_cmpstr (json_object_get_string_member (account, "address1_city"), ==, "Sales City");
  g_assert_cmpstr (json_object_get_string_member (account, "telephone1"), ==, "+46 2 ERP");

  /* The next run finds nothing to do. */
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &n,
                                                   NULL, &error));
  g_assert_cmpuint (n.conflicts + n.failed + n.modified, ==, 0);

  /* A deletion conflict: deleted in Sales, changed in the ERP; Restore brings it back. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->sales, "accounts", id, NULL, NULL, &error));
  g_free (now->phone);
  now->phone = g_strdup ("+46 3 AGAIN");
  g_assert_true (sb_customer_update (fx->store, now, &error));
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_TO_SALES,
                                                   &n, NULL, &error));
  g_assert_cmpuint (n.conflicts, ==, 1);
  sb_conflicts_page_reload (page);
  sbg_wait_until (conflicts_idle, page, "the deletion conflict");
  g_assert_cmpuint (sb_conflicts_page_get_n_conflicts (page), ==, 1);
  sbg_screenshot (page, "conflicts-page-deletion");
  click (sbg_get (page, "restore"));
  sbg_wait_until (conflicts_idle, page, "the restore");
  g_assert_cmpuint (sb_conflicts_page_get_n_conflicts (page), ==, 0);
  g_clear_pointer (&account, json_object_unref);
  {
    g_autofree char *again = coupled_id (fx, customer->no);

    g_assert_nonnull (again);
    account = sales_account (fx, again);
    g_assert_cmpstr (json_object_get_string_member (account, "telephone1"), ==, "+46 3 AGAIN");
  }
}

/* Synchronization log */

static gboolean
log_idle (gpointer data)
{
  return !sb_sync_log_page_is_busy (data);
}

static void
test_log (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncEngine) engine = open_engine (fx);
  g_autoptr (SbSyncActivity) activity = NULL;
  g_autoptr (JsonNode) log = NULL;
  SbSyncLogPage *page;
  SbSyncCounters n;

  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &n,
                                                   NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.inserted, ==, 2);

  open_window (fx);
  activity =
      sb_sync_activity_get_for_database (sb_store_get_path (sb_window_get_store (fx->window)));
  sb_window_show_page (fx->window, "sync-log");
  page = SB_SYNC_LOG_PAGE (sb_window_get_page (fx->window, "sync-log"));
  sbg_settle (50);
  sbg_wait_until (log_idle, page, "the log");
  g_assert_cmpstr (sb_sync_log_page_get_state (page), ==, "log");

  /* Retry runs the mapping again, as a run the header bar knows of. */
  sb_sync_log_page_retry (page, "CUSTOMER", SB_SYNC_DIRECTION_BOTH);
  g_assert_true (sb_sync_activity_is_running (activity));
  sbg_wait_until (log_idle, page, "the retry");
  g_assert_cmpstr (sb_sync_log_page_get_last_message (page), ==, "CUSTOMER synchronized again");
  g_assert_nonnull (sb_sync_activity_get_last_finished (activity));
  log = sb_sync_engine_get_log (fx->store, FALSE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), >=, 2);
  sbg_screenshot (page, "sync-log-page");
  assert_fits_narrow (page);

  /* Deleting every entry empties the log, also the jobs that started this very second. */
  sb_sync_log_page_delete_entries (page, 0);
  sbg_wait_until (log_idle, page, "the deletion");
  g_assert_cmpstr (sb_sync_log_page_get_last_message (page), ==, "Log entries deleted");
  g_clear_pointer (&log, json_node_unref);
  log = sb_sync_engine_get_log (fx->store, FALSE, 10, &error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), ==, 0);
  g_assert_cmpstr (sb_sync_log_page_get_state (page), ==, "empty");
}

/* Narrow window: each synchronization page fits a phone's 360 px (empty here; with content,
 * the other tests measure them again). */

static void
measure_pages (GtkWidget *widget, gboolean *fits)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && g_object_get_data (G_OBJECT (widget), "sb-page-name"))
    {
      const char *name = g_object_get_data (G_OBJECT (widget), "sb-page-name");
      GtkWidget *page = sb_window_get_page (SB_WINDOW (gtk_widget_get_root (widget)), name);
      int minimum = 0;

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("page %s: at least %d px wide", name, minimum);
      /* The synchronization pages; the others are their own tests' business. */
      if (minimum > 360 &&
          g_strv_contains ((const char *const[]){ "review", "sync-log", "conflicts", "jobs", NULL },
                           name))
        *fits = FALSE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    measure_pages (child, fits);
}

static void
test_narrow (Fixture *fx, gconstpointer data)
{
  gboolean fits = TRUE;

  open_window (fx);
  sbg_settle (500);
  measure_pages (GTK_WIDGET (fx->window), &fits);
  g_assert_true (fits);
}

/* Full synchronization */

static gboolean
review_idle (gpointer data)
{
  return !sb_sync_review_page_is_busy (data);
}

static void
test_review (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbSyncActivity) activity = NULL;
  g_autofree char *id = NULL;
  SbSyncReviewPage *page;

  open_window (fx);
  activity =
      sb_sync_activity_get_for_database (sb_store_get_path (sb_window_get_store (fx->window)));
  sb_window_show_page (fx->window, "review");
  page = SB_SYNC_REVIEW_PAGE (sb_window_get_page (fx->window, "review"));
  sbg_settle (50);
  sbg_wait_until (review_idle, page, "the review lines");
  g_assert_null (sb_sync_activity_get_last_finished (activity));

  sb_sync_review_page_start (page);
  g_assert_true (sb_sync_activity_is_running (activity));
  sbg_wait_until (review_idle, page, "the full synchronization");
  g_assert_cmpstr (sb_sync_review_page_get_last_message (page), ==,
                   "Full synchronization finished");
  g_assert_false (sb_sync_activity_is_running (activity));
  g_assert_nonnull (sb_sync_activity_get_last_finished (activity));
  g_assert_null (sb_sync_activity_get_last_error (activity));
  sbg_screenshot (page, "review-page-finished");
  assert_fits_narrow (page);

  id = coupled_id (fx, fx->first_no);
  g_assert_nonnull (id);
  {
    g_autoptr (JsonObject) account = sales_account (fx, id);

    g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Adatum Corporation");
  }
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  int status;

  /* As in test-gui-sync-coupling: the keyring daemon must not inherit these. */
  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  g_test_add ("/gui/sync/indicator", Fixture, NULL, fixture_set_up, test_indicator,
              fixture_tear_down);
  g_test_add ("/gui/sync/jobs", Fixture, NULL, fixture_set_up, test_jobs, fixture_tear_down);
  g_test_add ("/gui/sync/jobs/other-process", Fixture, NULL, fixture_set_up,
              test_jobs_other_process, fixture_tear_down);
  g_test_add ("/gui/sync/conflicts", Fixture, NULL, fixture_set_up, test_conflicts,
              fixture_tear_down);
  g_test_add ("/gui/sync/narrow", Fixture, NULL, fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/gui/sync/log", Fixture, NULL, fixture_set_up, test_log, fixture_tear_down);
  g_test_add ("/gui/sync/review", Fixture, NULL, fixture_set_up, test_review, fixture_tear_down);

  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
