/* test-gui-first-hour.c: a newcomer's first five minutes, from an empty home to a first full
 * synchronization, driven through the GUI only
 *
 * From an empty home folder (XDG folders in a temporary directory, a private keyring): the
 * first-run window, Try with Demo Data, every step of the assisted setup (the connection test,
 * the order choices, Connect, deploying the integration solution, Done), the Full
 * Synchronization Review (Generate, Start) until every line is finished; then the result is
 * checked in the company's SQLite file and in the demo Sales over HTTP, and on the pages a
 * newcomer looks at next (the header bar's indicator, Customers, the log, Sales Orders). A
 * restart finds the demo again, still coupled.
 *
 * Every step is a click on a button, a switch or the action a button uses; the engine is only
 * read, never asked to do the work.
 *
 * With SB_SCREENSHOT_DIR set (tools/first-run-screenshots), each step a newcomer sees is saved
 * there as a numbered PNG, wide and for some also at 360 px.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-first-run.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <locale.h>
#include <sqlite3.h>

#include "sb-application.h"
#include "sb-assisted-setup.h"
#include "sb-connection-check-list.h"
#include "sb-connection-setup.h"
#include "sb-coupling-controller.h"
#include "sb-customer.h"
#include "sb-dataverse-connection.h"
#include "sb-dataverse-query.h"
#include "sb-demo-session.h"
#include "sb-first-run-window.h"
#include "sb-full-sync-review.h"
#include "sb-record-list-page.h"
#include "sb-record-object.h"
#include "sb-sales-import-page.h"
#include "sb-sandbox-server.h"
#include "sb-solution-group.h"
#include "sb-store.h"
#include "sb-sync-coupling.h"
#include "sb-sync-indicator.h"
#include "sb-sync-log-page.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"
#include "sbs-keyring.h"

/* A full synchronization of the demo (250 customers, their contacts, items, prices) takes
 * seconds; under AddressSanitizer on a busy machine several times that. */
#define FULL_SYNC_TIMEOUT_S 240

static guint shot_number;
static gint64 full_sync_us; /* how long the full synchronization took */

/* Screenshots */

/* The next numbered PNG of @widget's window, as the newcomer sees it now. */
static void
shot (gpointer widget, const char *name)
{
  g_autofree char *numbered = g_strdup_printf ("%02u-%s", ++shot_number, name);

  sbg_screenshot (widget, numbered);
}

/* The same at a phone's width; the window gets its old width back. */
static void
shot_narrow (gpointer window, const char *name)
{
  g_autofree char *numbered = NULL;
  int width, height;

  if (g_getenv ("SB_SCREENSHOT_DIR") == NULL)
    return;
  numbered = g_strdup_printf ("%02u-%s-360px", shot_number, name);
  gtk_window_get_default_size (window, &width, &height);
  sbg_narrow_window (window);
  sbg_screenshot (window, numbered);
  gtk_window_set_default_size (window, width, height);
  sbg_settle (100);
}

/* A picture of what shows for a moment only (the demo starting, the run): no settling first,
 * since it may be over by then. FALSE when the window had no frame to show. */
static gboolean
shot_now (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("SB_SCREENSHOT_DIR");
  GtkNative *native = gtk_widget_get_native (widget);
  int width = gtk_widget_get_width (GTK_WIDGET (native));
  int height = gtk_widget_get_height (GTK_WIDGET (native));
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;

  if (dir == NULL)
    return TRUE;
  paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%02u-%s.png", dir, ++shot_number, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return TRUE;
}

/* Finding things */

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The texts of every label named @name below @root. */
static void
collect_labels (GtkWidget *root, const char *name, GPtrArray *texts)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (root))));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, name, texts);
}

/* What the sidebar does when a row is chosen. */
static void
show_page (SbWindow *window, const char *name)
{
  g_test_message ("Showing the page %s", name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
  g_assert_cmpstr (sb_window_get_visible_page_name (window), ==, name);
}

/* Waiting */

typedef gboolean (*Done) (gpointer);

/* sbg_wait_until() for work longer than SBG_WAIT_TIMEOUT_MS. */
static void
wait_long (Done done, gpointer data, const char *what, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  guint wake_id = g_timeout_add (10, sbg_wake_up, NULL);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

/* sbg_wait_until(), saying how long the newcomer waited (for the report of the first five
 * minutes); @since: when the click was. */
static void
wait_timed (Done done, gpointer data, const char *what, gint64 since)
{
  sbg_wait_until (done, data, what);
  g_test_message ("Waited %.2f s for %s", (g_get_monotonic_time () - since) / 1e6, what);
}

static gboolean
solution_is_idle (gpointer group)
{
  return !sb_solution_group_is_busy (group);
}

static gboolean
review_is_idle (gpointer page)
{
  return !sb_sync_review_page_is_busy (page);
}

static gboolean
review_has_lines (gpointer page)
{
  return review_is_idle (page) && g_strcmp0 (sb_sync_review_page_get_state (page), "lines") == 0;
}

/* A line shows In Process: the run is under way, past its connection. */
static gboolean
review_shows_progress (gpointer page)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (!sb_sync_review_page_is_running (page))
    return TRUE; /* over already */
  collect_labels (page, "line-status", texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i),
                     sb_job_status_to_label (SB_JOB_STATUS_IN_PROCESS)))
      return TRUE;
  return FALSE;
}

static gboolean
list_is_idle (gpointer page)
{
  SbCouplingController *controller = sb_coupling_controller_get (page);

  return !sb_record_list_page_is_busy (page) &&
         (controller == NULL || !sb_coupling_controller_is_busy (controller));
}

static gboolean
log_is_idle (gpointer page)
{
  return !sb_sync_log_page_is_busy (page);
}

static gboolean
orders_are_idle (gpointer page)
{
  return !sb_sales_import_page_is_busy (page);
}

/* The result, from the files and from Sales */

static gint64
count_sql (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* What failed in the runs so far, for the report: the review says Finished regardless. */
static void
log_failures (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (
      sqlite3_prepare_v2 (db,
                          "SELECT j.mapping, j.direction, j.failed, "
                          "  (SELECT e.message FROM sync_error e WHERE e.job_id = j.id "
                          "   ORDER BY e.id LIMIT 1) "
                          "FROM sync_job j WHERE j.failed > 0 ORDER BY j.id",
                          -1, &stmt, NULL),
      ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_test_message ("Failed: %s (direction %d): %d, such as: %s", sqlite3_column_text (stmt, 0),
                    sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 2),
                    sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
}

typedef struct
{
  SbStore *store;
  GHashTable *numbers; /* accountnumber → TRUE */
  guint n_customers;   /* active accounts of type Customer: the CUSTOMER filter */
  guint n_coupled;     /* of those, coupled */
  guint n_duplicates;  /* account numbers seen twice */
} AccountCount;

static gboolean
count_accounts (const SbDataversePage *page, gpointer data, GError **error)
{
  AccountCount *count = data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *number = json_object_get_string_member_with_default (row, "accountnumber", NULL);
      g_autoptr (SbSyncCoupling) coupling = NULL;

      if (json_object_get_int_member_with_default (row, "statecode", -1) != 0 ||
          json_object_get_int_member_with_default (row, "customertypecode", -1) != 3)
        continue;
      count->n_customers++;
      coupling = sb_sync_coupling_find_dataverse (
          count->store, "CUSTOMER", json_object_get_string_member (row, "accountid"), error);
      if (coupling != NULL && sb_sync_coupling_is_coupled (coupling))
        count->n_coupled++;
      if (number != NULL && *number != '\0' &&
          !g_hash_table_add (count->numbers, g_strdup (number)))
        count->n_duplicates++;
    }
  return TRUE;
}

/* Every customer the CUSTOMER mapping covers is coupled, on both sides, once; the salespeople
 * came from Sales without doubles. */
static void
assert_books_coupled (const char *sales_url)
{
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (GPtrArray) couplings = NULL;
  g_autoptr (SbDataverseConnection) sales = NULL;
  g_autoptr (SbDataverseQuery) query = NULL;
  AccountCount count = { 0 };
  sqlite3 *db = NULL;
  gint64 n_all, n_customers, n_salespeople, n_salesperson_names;
  guint n_coupled = 0;

  g_assert_no_error (error);
  couplings = sb_sync_coupling_list (store, "CUSTOMER", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < couplings->len; i++)
    if (sb_sync_coupling_is_coupled (g_ptr_array_index (couplings, i)))
      n_coupled++;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n_all = count_sql (db, "SELECT count(*) FROM customer");
  n_customers = count_sql (db, "SELECT count(*) FROM customer WHERE blocked = 0");
  n_salespeople = count_sql (db, "SELECT count(*) FROM salesperson");
  n_salesperson_names = count_sql (db, "SELECT count(DISTINCT lower(name)) FROM salesperson");
  g_test_message ("%" G_GINT64_FORMAT " customers, %" G_GINT64_FORMAT
                  " not blocked, %u coupled, %" G_GINT64_FORMAT " salespeople",
                  n_all, n_customers, n_coupled, n_salespeople);
  /* The demo's 250 customers (a few blocked, which the mapping leaves out) and the demo
   * Sales' twelve accounts, which none of them matches. */
  g_assert_cmpint (n_all, ==, 250 + 12);
  g_assert_cmpint (n_coupled, ==, n_customers);
  g_assert_cmpint (couplings->len, ==, n_coupled);
  g_assert_cmpint (n_salespeople, >, 0);
  g_assert_cmpint (n_salesperson_names, ==, n_salespeople);
  log_failures (db);
  /* The demo's only failures, which the review still calls Finished: the contacts of the
   * blocked customers, whom the CUSTOMER mapping leaves out. */
  g_assert_cmpint (count_sql (db, "SELECT count(*) FROM sync_error"), ==,
                   count_sql (db, "SELECT count(*) FROM sync_error e JOIN contact c "
                                  "ON c.no = e.erp_key JOIN customer cu ON cu.no = c.company_no "
                                  "WHERE e.mapping = 'CONTACT' AND cu.blocked = 1"));
  sqlite3_close (db);

  /* Sales: as many customer accounts as couplings, every one coupled, no number twice. */
  sales = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", sales_url, "authority", sales_url,
                        "tenant", "demo", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (sales, SB_SANDBOX_DEFAULT_SECRET);
  query = sb_dataverse_query_new ("accounts");
  sb_dataverse_query_select (query, "accountid", "accountnumber", "statecode", "customertypecode",
                             NULL);
  count.store = store;
  count.numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sb_dataverse_connection_query_sync (sales, query, count_accounts, &count, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%u customer accounts in Sales, %u coupled", count.n_customers, count.n_coupled);
  g_assert_cmpuint (count.n_customers, ==, n_coupled);
  g_assert_cmpuint (count.n_coupled, ==, n_coupled);
  g_assert_cmpuint (count.n_duplicates, ==, 0);
  g_hash_table_unref (count.numbers);
}

/* The walk */

/* Every step of the assisted setup, as a newcomer takes them, to Done; or with @run, to the
 * finish page's Run, which hands over to the review page. */
static void
walk_assisted_setup (SbWindow *window, gboolean run)
{
  SbAssistedSetup *setup;
  SbConnectionCheck *check;
  SbSolutionGroup *solution;
  GtkWidget *orders;
  gint64 start;

  sbg_wait_until (sbg_has_setup, NULL, "the assisted setup");
  setup = SB_ASSISTED_SETUP (sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (setup)) == GTK_WINDOW (window));
  sbg_wait_until (sbg_setup_is_idle, setup, "the stored secret's lookup");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_WELCOME);
  shot (setup, "setup-welcome");

  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_DETAILS);
  /* The demo filled in everything; the secret is in the keyring. */
  sbg_wait_until (sbg_next_is_sensitive, setup, "the stored secret's lookup");
  shot (setup, "setup-details");

  start = g_get_monotonic_time ();
  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_TEST);
  wait_timed (sbg_setup_is_idle, setup, "the connection test", start);
  check = sb_connection_check_list_get_check (
      SB_CONNECTION_CHECK_LIST (sbg_get (setup, "test-checks")));
  g_assert_nonnull (check);
  g_assert_true (sb_connection_check_get_passed (check));
  shot (setup, "setup-test-passed");
  shot_narrow (setup, "setup-test-passed");

  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_SYNC);
  shot (setup, "setup-what-synchronizes");

  /* Orders from Sales one by one, with Create in ERP: the careful first choice. */
  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_AUTOMATION);
  orders = sbg_get (setup, "orders-switch");
  /* What a click on the switch does. */
  if (!gtk_switch_get_active (GTK_SWITCH (orders)))
    gtk_switch_set_active (GTK_SWITCH (orders), TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (orders)));
  shot (setup, "setup-orders-and-quotes");

  start = g_get_monotonic_time ();
  sbg_click (setup, "next-button"); /* Connect */
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_FINISH);
  wait_timed (sbg_setup_is_idle, setup, "saving and enabling the connection", start);
  g_assert_true (sb_assisted_setup_get_connected (setup));
  g_assert_true (gtk_widget_get_visible (sbg_get (setup, "full-sync-group")));
  shot (setup, "setup-connected");

  /* The finish offers the integration solution (§8): deploy it. */
  solution = SB_SOLUTION_GROUP (sbg_get (setup, "solution-group"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (solution)));
  sbg_wait_until (solution_is_idle, solution, "the integration solution's state");
  start = g_get_monotonic_time ();
  sbg_click (solution, "deploy-button");
  wait_timed (solution_is_idle, solution, "deploying the integration solution", start);
  if (sb_solution_group_get_error (solution) != NULL)
    g_error ("Deploying the integration solution failed: %s",
             sb_solution_group_get_error (solution));
  g_assert_cmpint (sb_solution_group_get_state (solution), ==, SB_SYNC_SOLUTION_DEPLOYED);
  shot (setup, "setup-solution-deployed");

  sbg_click (setup, run ? "full-sync-button" : "next-button"); /* or Done */
  sbg_settle (50);
  g_assert_null (sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP));
}

/* Every row of the review says Finished (or that there was nothing to do), as the stored lines
 * do. */
static void
assert_review_finished (SbSyncReviewPage *page)
{
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint n_finished = 0;

  g_assert_no_error (error);
  lines = sb_full_sync_review_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, >, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const SbFullSyncLine *line = g_ptr_array_index (lines, i);

      g_test_message ("%s: %s %s (to %d, from %d)", line->mapping,
                      sb_job_status_to_label (line->status), line->message, line->to_status,
                      line->from_status);
      if (line->recommendation == SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS &&
          line->status == SB_JOB_STATUS_NONE)
        continue;
      g_assert_cmpint (line->status, ==, SB_JOB_STATUS_FINISHED);
      g_assert_cmpstr (line->message, ==, "");
      n_finished++;
    }
  /* CONTACT finished with the blocked customers' contacts failed: its row says so. */
  {
    GtkWidget *contact = sbg_get (page, "line-CONTACT");

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (contact)),
                              "Some records failed to reach Sales"));
    g_assert_true (gtk_widget_has_css_class (sbg_get (contact, "line-status"), "warning"));
    g_assert_nonnull (
        strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sbg_get (page, "line-CUSTOMER"))),
                "After SALESPEOPLE, CURRENCY"));
  }
  /* Nothing left to start: the jobs carry on from here. */
  g_assert_false (gtk_widget_is_sensitive (sbg_get (page, "start-button")));
  collect_labels (GTK_WIDGET (page), "line-status", texts);
  g_assert_cmpuint (texts->len, ==, lines->len);
  for (guint i = 0, finished = 0; i < texts->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (texts, i),
                       sb_job_status_to_label (SB_JOB_STATUS_FINISHED)))
        finished++;
      if (i + 1 == texts->len)
        g_assert_cmpuint (finished, ==, n_finished);
    }
}

static gboolean indicator_settled (gpointer window);

/* Once whatever runs (the scheduled jobs check on a start) is over: idle, without an error. */
static void
assert_indicator_idle (SbWindow *window)
{
  SbSyncIndicator *indicator =
      SB_SYNC_INDICATOR (find_type (GTK_WIDGET (window), SB_TYPE_SYNC_INDICATOR));

  g_assert_nonnull (indicator);
  wait_long (indicator_settled, window, "the indicator to settle", FULL_SYNC_TIMEOUT_S);
  g_test_message ("The indicator says: %s", sb_sync_indicator_get_text (indicator));
  g_assert_cmpint (sb_sync_indicator_get_state (indicator), ==, SB_SYNC_INDICATOR_IDLE);
}

static gboolean
indicator_settled (gpointer window)
{
  SbSyncIndicator *indicator =
      SB_SYNC_INDICATOR (find_type (GTK_WIDGET (window), SB_TYPE_SYNC_INDICATOR));

  return sb_sync_indicator_get_state (indicator) != SB_SYNC_INDICATOR_SYNCING;
}

static void
run_full_sync (SbWindow *window)
{
  SbSyncReviewPage *page;
  gint64 start;

  show_page (window, "review");
  page = SB_SYNC_REVIEW_PAGE (sb_window_get_page (window, "review"));
  sbg_wait_until (review_is_idle, page, "the review page");
  /* Nothing generated yet: the page says what to do first. */
  g_assert_cmpstr (sb_sync_review_page_get_state (page), ==, "empty");
  shot (window, "review-empty");

  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.generate", NULL));
  wait_timed (review_has_lines, page, "the review's lines", start);
  g_assert_null (sb_sync_review_page_get_last_message (page));
  shot (window, "review-before-sync");

  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.start", NULL));
  g_assert_true (sb_sync_review_page_is_running (page));
  wait_long (review_shows_progress, page, "a line in process", 60);
  /* The demo takes about a second: the picture cannot wait for animations to end, only for
   * the next frame. */
  for (guint i = 0; i < 20 && sb_sync_review_page_is_running (page); i++)
    {
      sbg_settle (16);
      if (shot_now (GTK_WIDGET (window), "review-during-sync"))
        break;
    }
  wait_long (review_is_idle, page, "the full synchronization", FULL_SYNC_TIMEOUT_S);
  full_sync_us = g_get_monotonic_time () - start;
  g_test_message ("The full synchronization took %.1f s", full_sync_us / 1e6);
  g_assert_cmpstr (sb_sync_review_page_get_last_message (page), ==,
                   "Full synchronization finished");
  sbg_wait_until (review_has_lines, page, "the finished lines");
  assert_review_finished (page);
  assert_indicator_idle (window);
  shot (window, "review-after-sync");
  shot_narrow (window, "review-after-sync");
}

/* A preferences row under @widget whose title starts with @prefix. */
static gboolean
has_row_title_prefix (GtkWidget *widget, const char *prefix)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_row_title_prefix (child, prefix))
      return TRUE;
  return FALSE;
}

/* What the newcomer looks at next. */
static void
look_around (SbWindow *window)
{
  SbRecordListPage *customers;
  SbCouplingController *controller;
  GListModel *model;
  GtkWidget *page;

  show_page (window, "customers");
  customers = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  controller = sb_coupling_controller_get (customers);
  g_assert_nonnull (controller);
  sbg_settle (50);
  sbg_wait_until (list_is_idle, customers, "the customers and their coupling");
  model = sb_record_list_page_get_model (customers);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 250);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);
      const SbCustomer *customer = sb_record_object_get_record (row);

      /* Blocked customers are outside the CUSTOMER mapping's filter. */
      g_assert_cmpint (sb_coupling_controller_get_status (controller, customer->no), ==,
                       customer->blocked ? SB_COUPLING_STATUS_NOT_COUPLED
                                         : SB_COUPLING_STATUS_COUPLED);
    }
  g_assert_true (sbg_has_label (GTK_WIDGET (customers), "Coupled"));
  shot (window, "customers-coupled");

  show_page (window, "sync-log");
  page = sb_window_get_page (window, "sync-log");
  sbg_settle (50);
  sbg_wait_until (log_is_idle, page, "the synchronization log");
  g_assert_cmpstr (sb_sync_log_page_get_state (SB_SYNC_LOG_PAGE (page)), !=, "error");
  /* The full synchronization's matching pass is told from its transfer. */
  g_assert_true (has_row_title_prefix (page, "CUSTOMER both ways, coupling by matching"));
  g_assert_true (has_row_title_prefix (page, "CUSTOMER both ways · "));
  shot (window, "sync-log");

  show_page (window, "sales-orders");
  page = sb_window_get_page (window, "sales-orders");
  sbg_settle (50);
  sbg_wait_until (orders_are_idle, page, "the Sales orders");
  g_test_message ("Sales Orders: %s", sb_sales_import_page_get_state (SB_SALES_IMPORT_PAGE (page)));
  g_assert_null (sb_sales_import_page_get_error (SB_SALES_IMPORT_PAGE (page)));
  g_assert_cmpuint (
      g_list_model_get_n_items (sb_sales_import_page_get_model (SB_SALES_IMPORT_PAGE (page))), >,
      0);
  shot (window, "sales-orders");
}

static gboolean
first_start (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWindow *first_run = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);
  g_autofree char *url = NULL;
  SbWindow *window;
  gint64 start;

  /* No company yet: the first-run window and nothing else. */
  g_assert_nonnull (first_run);
  g_assert_null (sbg_find_toplevel (SB_TYPE_WINDOW));
  shot (first_run, "first-run");
  shot_narrow (first_run, "first-run");

  start = g_get_monotonic_time ();
  sbg_click (first_run, "demo-button");
  g_assert_true (sb_first_run_window_is_busy (SB_FIRST_RUN_WINDOW (first_run)));
  for (guint i = 0; i < 20 && !sbg_has_demo_window (NULL); i++)
    {
      sbg_settle (16);
      if (!sbg_has_demo_window (NULL) && shot_now (GTK_WIDGET (first_run), "demo-starting"))
        break;
    }
  wait_timed (sbg_has_demo_window, NULL, "the demo company's window", start);
  window = SB_WINDOW (sbg_find_toplevel (SB_TYPE_WINDOW));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (gtk_widget_get_visible (sbg_get (window, "demo-banner")));
  shot (window, "demo-window");

  walk_assisted_setup (window, FALSE);
  run_full_sync (window);
  url = sbg_demo_sales_url ();
  assert_books_coupled (url);
  look_around (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* A restart in demo mode: the demo's Sales starts again with its data, the couplings hold. */
static gboolean
restart (gpointer user_data)
{
  GApplication *app = user_data;
  SbWindow *window;
  SbRecordListPage *customers;
  SbCouplingController *controller;
  g_autoptr (SbRecordObject) row = NULL;
  const SbCustomer *customer;
  g_autofree char *url = NULL;

  sbg_wait_until (sbg_has_demo_window, NULL, "the demo company's window after the restart");
  window = SB_WINDOW (sbg_find_toplevel (SB_TYPE_WINDOW));
  g_assert_true (gtk_widget_get_visible (sbg_get (window, "demo-banner")));
  /* A restart does not push the setup again. */
  sbg_settle (100);
  g_assert_null (sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP));
  url = sbg_demo_sales_url ();
  assert_books_coupled (url);

  show_page (window, "customers");
  customers = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  controller = sb_coupling_controller_get (customers);
  sbg_settle (50);
  sbg_wait_until (list_is_idle, customers, "the customers after the restart");
  g_assert_true (sb_coupling_controller_get_connection_enabled (controller));
  row = g_list_model_get_item (sb_record_list_page_get_model (customers), 0);
  customer = sb_record_object_get_record (row);
  g_assert_cmpint (sb_coupling_controller_get_status (controller, customer->no), ==,
                   SB_COUPLING_STATUS_COUPLED);
  assert_indicator_idle (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Settings that lost the last company (a new session, a reset) while the demo's files stay:
 * Try with Demo Data takes up the demo there is, coupled, rather than making another. */
static gboolean
restart_without_settings (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWindow *first_run;
  SbWindow *window;
  g_autofree char *url = NULL;

  sbg_wait_until (sbg_first_run_is_idle, NULL, "the first-run window");
  first_run = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);
  g_assert_null (sbg_find_toplevel (SB_TYPE_WINDOW));
  sbg_click (first_run, "demo-button");
  sbg_wait_until (sbg_has_demo_window, NULL, "the demo company's window");
  window = SB_WINDOW (sbg_find_toplevel (SB_TYPE_WINDOW));
  g_assert_true (gtk_widget_get_visible (sbg_get (window, "demo-banner")));
  url = sbg_demo_sales_url ();
  assert_books_coupled (url);
  /* Connected already: no setup is pushed over it. */
  sbg_settle (300);
  g_assert_null (sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP));
  assert_indicator_idle (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
demo_or_first_run (gpointer data)
{
  return sbg_has_demo_window (NULL) || sbg_first_run_is_idle (NULL);
}

/* Leave Demo after a full synchronization removes it all; the next try runs its full
 * synchronization from the setup's finish page. */
static gboolean
leave_and_run_from_setup (gpointer user_data)
{
  GApplication *app = user_data;
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sandbox_db = g_build_filename (dir, "demo-sandbox.db", NULL);
  g_autofree char *url = NULL;
  SbSyncReviewPage *page;
  GtkWindow *first_run;
  SbWindow *window;

  /* After the first test the demo is there (run alone, this one starts at the first run). */
  sbg_wait_until (demo_or_first_run, NULL, "the demo or the first-run window");
  if (sbg_has_demo_window (NULL))
    {
      window = SB_WINDOW (sbg_find_toplevel (SB_TYPE_WINDOW));
      sbg_click (window, "leave-demo-button");
      sbg_wait_until (sbg_has_message_dialog, NULL, "the Leave Demo question");
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (sbg_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)),
                                   "leave");
      sbg_wait_until (sbg_first_run_is_idle, NULL, "the first-run window after leaving");
    }
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sandbox_db, G_FILE_TEST_EXISTS));

  first_run = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);
  sbg_click (first_run, "demo-button");
  sbg_wait_until (sbg_has_demo_window, NULL, "the new demo company's window");
  window = SB_WINDOW (sbg_find_toplevel (SB_TYPE_WINDOW));
  walk_assisted_setup (window, TRUE);
  g_assert_cmpstr (sb_window_get_visible_page_name (window), ==, "review");
  page = SB_SYNC_REVIEW_PAGE (sb_window_get_page (window, "review"));
  g_assert_true (sb_sync_review_page_is_running (page));
  wait_long (review_is_idle, page, "the full synchronization", FULL_SYNC_TIMEOUT_S);
  g_assert_cmpstr (sb_sync_review_page_get_last_message (page), ==,
                   "Full synchronization finished");
  sbg_wait_until (review_has_lines, page, "the finished lines");
  assert_review_finished (page);
  url = sbg_demo_sales_url ();
  assert_books_coupled (url);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_first_hour (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *last = NULL;

  g_assert_cmpint (sbg_run_app (first_start), ==, 0);
  g_assert_cmpint (full_sync_us, >, 0);

  last = g_settings_get_string (settings, "last-database");
  g_assert_true (sb_demo_session_is_demo_path (last));
  g_assert_cmpint (sbg_run_app (restart), ==, 0);

  g_settings_reset (settings, "last-database");
  g_assert_cmpint (sbg_run_app (restart_without_settings), ==, 0);
}

static void
test_leave_and_run (void)
{
  /* The pictures are the first walk's. */
  g_unsetenv ("SB_SCREENSHOT_DIR");
  g_assert_cmpint (sbg_run_app (leave_and_run_from_setup), ==, 0);
}

int
main (int argc, char *argv[])
{
  SbgFirstRunHome home;
  int status;

  /* An empty home folder, before anything asks GLib where the user's folders are. */
  sbg_first_run_home_begin (&home);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  g_test_add_func ("/gui/first-hour/demo-to-full-sync", test_first_hour);
  g_test_add_func ("/gui/first-hour/leave-and-run-from-setup", test_leave_and_run);
  status = g_test_run ();
  sbg_first_run_home_end (&home);
  return status;
}
