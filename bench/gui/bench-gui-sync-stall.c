/* bench-gui-sync-stall.c: does the window stay responsive during a big full synchronization?
 *
 * Seeds a company of N customers (default 100,000; argv[1] overrides) in a child process,
 * connects it to the in-process sandbox (its own thread; secret in a private keyring), opens the
 * window, waits for the customer list, then starts the full synchronization from the Full
 * Synchronization Review page as a user would and watches the main loop until it finishes:
 *   - a 10 ms timeout records every gap between its runs: the longest and the 99th percentile
 *     are how long the window was frozen;
 *   - the frame clock counts the frames painted and the longest gap between two;
 *   - total time, and how many customers reached Sales.
 *
 * Run (needs a display): xvfb-run -a dbus-run-session -- meson test -C _build --benchmark
 * gui-sync-stall -v
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <locale.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sb-connection-manager.h"
#include "sb-customer.h"
#include "sb-record-list-page.h"
#include "sb-sandbox-server.h"
#include "sb-setup.h"
#include "sb-sync-coupling.h"
#include "sb-sync-mapping.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"
#include "sbs-keyring.h"

#define TICK_MS 10

static GArray *gaps; /* gint64 µs between ticks */
static gint64 last_tick;
static gint64 last_cpu;
static gint64 longest_gap;
static gint64 longest_gap_cpu; /* the main thread's CPU time within the longest gap */
static guint n_frames;
static gint64 last_frame;
static gint64 longest_frame_gap;

static void
check (gboolean ok, const GError *error)
{
  if (!ok)
    g_error ("%s", error != NULL ? error->message : "failed");
}

static void
seed (const char *path, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbGeneralSetup) general = NULL;
  gint64 started = g_get_monotonic_time ();

  check (store != NULL, error);
  general = sb_general_setup_get (store, &error);
  check (general != NULL, error);
  general->local_currency_code = (g_free (general->local_currency_code), g_strdup ("USD"));
  check (sb_general_setup_update (store, general, &error), error);
  check (sb_store_begin (store, &error), error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();

      c->name = (g_free (c->name), g_strdup_printf ("Customer %06u AB", i));
      c->city = (g_free (c->city), g_strdup (i % 2 ? "Uppsala" : "Malmö"));
      check (sb_customer_insert (store, c, &error), error);
    }
  check (sb_store_commit (store, &error), error);
  g_print ("seed: %u customers in %.1f s (child process)\n", n,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

static void
enable_connection (const char *path, const char *base_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionManager) manager = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbConnectionCheck) check_ = NULL;
  g_autoptr (SbSyncMapping) m = NULL;

  check (store != NULL, error);
  manager = sb_connection_manager_new (store);
  setup = sb_connection_setup_get (store, &error);
  check (setup != NULL, error);
  setup->sales_url = (g_free (setup->sales_url), g_strdup (base_url));
  setup->authority = (g_free (setup->authority), g_strdup (base_url));
  setup->tenant = (g_free (setup->tenant), g_strdup ("bench"));
  setup->client_id = (g_free (setup->client_id), g_strdup (SB_SANDBOX_INTEGRATION_CLIENT));
  setup->solution_deployed = TRUE;
  check (sb_connection_manager_save_sync (manager, setup, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL,
                                          &error),
         error);
  check_ = sb_connection_manager_create_check (manager, &error);
  check (check_ != NULL, error);
  check (sb_connection_manager_enable_sync (manager, check_, NULL, &error), error);
}

/* The main thread's own CPU time: a stall it spent working is the app's doing; one it spent
 * waiting (for the X server, or for a core on a busy machine) is not. */
static gint64
thread_cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu ();

  if (last_tick != 0)
    {
      gint64 gap = now - last_tick;

      g_array_append_val (gaps, gap);
      if (gap > longest_gap)
        {
          longest_gap = gap;
          longest_gap_cpu = cpu - last_cpu;
        }
    }
  last_tick = now;
  last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick == 0)
    return; /* not measuring yet */
  n_frames++;
  if (last_frame != 0)
    longest_frame_gap = MAX (longest_frame_gap, now - last_frame);
  last_frame = now;
}

static int
compare_gaps (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
wait_for (gboolean (*done) (gpointer), gpointer data)
{
  guint id = g_timeout_add (TICK_MS, tick, NULL);

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static gboolean
list_loaded (gpointer data)
{
  SbRecordListPage *page = data;

  return !sb_record_list_page_is_busy (page) &&
         !g_str_equal (sb_record_list_page_get_state (page), "loading") &&
         g_list_model_get_n_items (sb_record_list_page_get_records (page)) > 0;
}

static gboolean
review_idle (gpointer data)
{
  return !sb_sync_review_page_is_busy (data);
}

int
main (int argc, char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) server = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sandbox_db = NULL;
  SbSandboxLimitsConfig limits = { 0, 0, 0, 300 };
  SbsKeyring *keyring;
  SbWindow *window;
  SbSyncReviewPage *review;
  gint64 started, total, cpu_total;
  guint n_coupled = 0;
  pid_t child;
  int status = 0;

  setlocale (LC_ALL, "");
  dir = g_dir_make_tmp ("salesbridge-bench-stall-XXXXXX", &error);
  check (dir != NULL, error);
  path = g_build_filename (dir, "company.sbdb", NULL);
  /* Before any thread starts: the child only seeds and exits. */
  child = fork ();
  if (child == 0)
    {
      seed (path, n);
      _exit (0);
    }
  waitpid (child, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("The seeding process failed");

  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);
  server = sb_sandbox_server_new ();
  /* As bench-sync: no service protection limits, the sandbox on disk. */
  sb_sandbox_server_set_limits (server, &limits);
  sandbox_db = g_build_filename (dir, "sandbox.db", NULL);
  sb_sandbox_server_set_db_path (server, sandbox_db);
  check (sb_sandbox_server_start (server, 0, &error), error);
  enable_connection (path, sb_sandbox_server_get_base_url (server));

  gtk_init ();
  adw_init ();
  gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  window = sb_window_new (NULL, path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  check (sb_window_get_error (window) == NULL, NULL);
  wait_for (list_loaded, sb_window_get_page (window, "customers"));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);

  /* The user opens the review page and starts; the page stays in view, its progress moving. */
  sb_window_show_page (window, "review");
  review = SB_SYNC_REVIEW_PAGE (sb_window_get_page (window, "review"));
  wait_for (review_idle, review);
  g_array_set_size (gaps, 0);
  last_tick = 0;
  longest_gap = 0;
  started = g_get_monotonic_time ();
  last_cpu = cpu_total = thread_cpu ();
  {
    guint id = g_timeout_add (TICK_MS, tick, NULL);

    sb_sync_review_page_start (review);
    while (!review_idle (review))
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }
  total = g_get_monotonic_time () - started;
  cpu_total = thread_cpu () - cpu_total;

  {
    g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
    g_autoptr (GPtrArray) couplings = NULL;

    check (store != NULL, error);
    couplings = sb_sync_coupling_list (store, "CUSTOMER", &error);
    check (couplings != NULL, error);
    n_coupled = couplings->len;
  }
  g_array_sort (gaps, compare_gaps);
  g_print ("full synchronization of %u customers: %.1f s (%s), %u customers coupled in Sales\n", n,
           total / (double) G_USEC_PER_SEC,
           sb_sync_review_page_get_last_message (review) != NULL
               ? sb_sync_review_page_get_last_message (review)
               : "",
           n_coupled);
  if (gaps->len > 0)
    g_print ("main loop (%u ms tick, %u ticks): longest stall %.1f ms, 99th percentile %.1f ms, "
             "median %.1f ms\n",
             TICK_MS, gaps->len, g_array_index (gaps, gint64, gaps->len - 1) / 1000.0,
             g_array_index (gaps, gint64, (gaps->len * 99) / 100) / 1000.0,
             g_array_index (gaps, gint64, gaps->len / 2) / 1000.0);
  g_print ("main thread CPU: %.1f ms within the longest stall, %.1f s over the run\n",
           longest_gap_cpu / 1000.0, cpu_total / (double) G_USEC_PER_SEC);
  g_print ("frames painted during the run: %u (%.1f per second), longest gap between frames "
           "%.1f ms\n",
           n_frames, n_frames / (total / (double) G_USEC_PER_SEC), longest_frame_gap / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));
  sb_sandbox_server_stop (server);
  sbs_remove_tree (dir);
  sbs_keyring_stop (keyring);
  return n_coupled == n ? 0 : 1;
}
