/* bench-gui-first-window.c: how fast the window comes up on a big company
 *
 * Seeds a company of N customers (default 100,000; argv[1] overrides) in a
 * child process, so the figures below are the window's alone, then opens
 * the main window on it and reports:
 *   - time from start of main() to the window mapped and first painted,
 *   - time until the customer list is loaded (rows in the model),
 *   - time to sort the list by name and to search it,
 *   - peak and current resident memory (VmHWM, VmRSS).
 *
 * Run: meson test -C _build --benchmark gui-first-window -v
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sb-demo-data.h"
#include "sb-record-list-page.h"
#include "sb-window.h"

static gint64 start_time;
static gint64 last_tick;
static gint64 longest_stall;
static gint64 mapped_time;
static gint64 painted_time;

static double
ms_since_start (gint64 when)
{
  return (when - start_time) / 1000.0;
}

static char *
proc_status_field (const char *name)
{
  g_autofree char *status = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return g_strdup ("?");
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name))
      return g_strstrip (g_strdup (lines[i] + strlen (name) + 1));
  return g_strdup ("?");
}

static void
seed (const char *path, guint n_customers)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  SbDemoOptions options = {
    .customers = n_customers, .items = 500, .resources = 20, .orders = 1000, .seed = 1
  };
  gint64 started = g_get_monotonic_time ();

  /* sb_demo_seed() writes everything in one transaction of its own. */
  if (store == NULL || !sb_demo_seed (store, &options, NULL, NULL, &error))
    g_error ("Seeding failed: %s", error->message);
  g_print ("seed: %u customers in %.2f s (child process)\n", n_customers,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

/* Every 5 ms: how late it runs is how long the main loop was busy, which
 * the user sees as a frozen window. */
static gboolean
wake_up (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    longest_stall = MAX (longest_stall, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
reset_stall (void)
{
  last_tick = 0;
  longest_stall = 0;
}

static void
wait_idle (SbRecordListPage *page)
{
  guint id = g_timeout_add (5, wake_up, NULL);

  while (sb_record_list_page_is_busy (page) ||
         g_str_equal (sb_record_list_page_get_state (page), "loading"))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static char *painted_rss;

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  if (painted_time == 0)
    {
      painted_time = g_get_monotonic_time ();
      painted_rss = proc_status_field ("VmRSS");
    }
}

static void
on_map (GtkWidget *window)
{
  mapped_time = g_get_monotonic_time ();
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint),
                    NULL);
}

int
main (int argc, char *argv[])
{
  guint n_customers = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hwm = NULL;
  g_autofree char *rss = NULL;
  SbWindow *window;
  SbRecordListPage *page;
  gint64 t, loaded_time, load_stall;
  pid_t child;
  int status = 0;

  setlocale (LC_ALL, "");
  dir = g_dir_make_tmp ("salesbridge-bench-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "company.sbdb", NULL);

  /* Before GTK starts any thread: the child only seeds and exits. */
  child = fork ();
  if (child == 0)
    {
      seed (path, n_customers);
      _exit (0);
    }
  waitpid (child, &status, 0);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("The seeding process failed");

  start_time = g_get_monotonic_time ();
  gtk_init ();
  adw_init ();
  {
    g_autofree char *rss = proc_status_field ("VmRSS");
    g_print ("RSS after gtk_init(): %s\n", rss);
  }

  window = sb_window_new (NULL, path, NULL);
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
  page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  g_assert_nonnull (page);
  while (!sb_record_list_page_get_loading (page) && !sb_record_list_page_is_busy (page) &&
         g_list_model_get_n_items (sb_record_list_page_get_records (page)) == 0)
    g_main_context_iteration (NULL, TRUE);
  wait_idle (page);
  loaded_time = g_get_monotonic_time ();
  load_stall = longest_stall;
  while (painted_time == 0)
    g_main_context_iteration (NULL, TRUE);

  g_print ("customers: %u\n", g_list_model_get_n_items (sb_record_list_page_get_model (page)));
  g_print ("window mapped: %.0f ms after start\n", ms_since_start (mapped_time));
  g_print ("first frame painted: %.0f ms after start\n", ms_since_start (painted_time));
  g_print ("customer list loaded: %.0f ms after start (longest main loop stall while loading, "
           "first paint included: %.0f ms)\n",
           ms_since_start (loaded_time), load_stall / 1000.0);
  g_print ("RSS at first frame: %s\n", painted_rss);
  {
    g_autofree char *loaded_rss = proc_status_field ("VmRSS");
    g_print ("RSS with the list loaded: %s\n", loaded_rss);
  }

  t = g_get_monotonic_time ();
  reset_stall ();
  sb_record_list_page_sort_by (page, "name", GTK_SORT_ASCENDING);
  wait_idle (page);
  g_print ("sort by name: %.0f ms (longest main loop stall %.0f ms)\n",
           (g_get_monotonic_time () - t) / 1000.0, longest_stall / 1000.0);

  t = g_get_monotonic_time ();
  reset_stall ();
  sb_record_list_page_set_search_text (page, "timber ab");
  wait_idle (page);
  g_print ("search \"timber ab\": %u rows in %.0f ms (longest main loop stall %.0f ms)\n",
           g_list_model_get_n_items (sb_record_list_page_get_model (page)),
           (g_get_monotonic_time () - t) / 1000.0, longest_stall / 1000.0);

  t = g_get_monotonic_time ();
  sb_record_list_page_set_search_text (page, "");
  wait_idle (page);
  g_print ("clear search: %.0f ms\n", (g_get_monotonic_time () - t) / 1000.0);

  hwm = proc_status_field ("VmHWM");
  rss = proc_status_field ("VmRSS");
  g_print ("peak RSS (VmHWM): %s\n", hwm);
  g_print ("RSS now (VmRSS): %s\n", rss);

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
