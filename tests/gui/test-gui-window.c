/* test-gui-window.c: the main window on a real company database
 *
 * One temporary company with 2,000 demo customers (and the items, orders,
 * quotes and posted invoices the demo seeder makes), plus a few customers
 * with known names, is opened by a real SbWindow under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <sqlite3.h>

#include "sb-application.h"
#include "sb-customer.h"
#include "sb-demo-data.h"
#include "sb-detail-page.h"
#include "sb-item.h"
#include "sb-posted-invoice.h"
#include "sb-record-list-page.h"
#include "sb-sales-document.h"
#include "sb-window.h"

#define N_DEMO_CUSTOMERS 2000
#define N_MARKED 7
#define WAIT_TIMEOUT_MS 20000

static char *tmp_dir;
static char *db_path;

/* Helpers */

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @done returns TRUE; fails the test after
 * WAIT_TIMEOUT_MS. */
static void
wait_until (gboolean (*done) (gpointer), gpointer user_data, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, wake_up, NULL);

  while (!done (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
  g_test_message (
      "%s took %.0f ms", what,
      (g_get_monotonic_time () - (deadline - WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND)) / 1000.0);
}

static gboolean
page_is_idle (gpointer user_data)
{
  SbRecordListPage *page = user_data;

  return !sb_record_list_page_is_busy (page) &&
         !g_str_equal (sb_record_list_page_get_state (page), "loading");
}

static SbWindow *
open_window (const char *path)
{
  SbWindow *window = sb_window_new (NULL, path, NULL);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static SbRecordListPage *
show_page (SbWindow *window, const char *name)
{
  SbRecordListPage *page;

  sb_window_show_page (window, name);
  page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, name));
  g_assert_nonnull (page);
  wait_until (page_is_idle, page, name);
  g_assert_null (sb_record_list_page_get_error (page));
  return page;
}

static void
close_window (SbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the loading threads' results and the disposal run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static SbRecordObject *
get_row (SbRecordListPage *page, guint position)
{
  GListModel *model = sb_record_list_page_get_model (page);
  SbRecordObject *object = g_list_model_get_item (model, position);

  g_assert_nonnull (object);
  g_object_unref (object); /* the model keeps it */
  return object;
}

static guint
count_rows (SbRecordListPage *page)
{
  return g_list_model_get_n_items (sb_record_list_page_get_model (page));
}

static guint
count_in_store (GPtrArray *(*list) (SbStore *, GError **) )
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (db_path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (GPtrArray) records = NULL;

  g_assert_no_error (error);
  records = list (store, &error);
  g_assert_no_error (error);
  return records->len;
}

static GPtrArray *
list_all_customers (SbStore *store, GError **error)
{
  return sb_customer_list (store, NULL, error);
}

static GPtrArray *
list_all_items (SbStore *store, GError **error)
{
  return sb_item_list (store, NULL, error);
}

static GPtrArray *
list_all_orders (SbStore *store, GError **error)
{
  return sb_sales_document_list (store, SB_SALES_DOC_ORDER, NULL, NULL, error);
}

static GPtrArray *
list_all_quotes (SbStore *store, GError **error)
{
  return sb_sales_document_list (store, SB_SALES_DOC_QUOTE, NULL, NULL, error);
}

static GPtrArray *
list_all_invoices (SbStore *store, GError **error)
{
  return sb_posted_invoice_list (store, NULL, NULL, error);
}

/* The company */

static void
create_company (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  SbDemoOptions options = {
    .customers = N_DEMO_CUSTOMERS, .items = 30, .resources = 4, .orders = 60, .seed = 42
  };

  tmp_dir = g_dir_make_tmp ("salesbridge-gui-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "company.sbdb", NULL);

  store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  sb_demo_seed (store, &options, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Customers the search tests can find by a name no demo customer has. */
  sb_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_MARKED; i++)
    {
      g_autoptr (SbCustomer) customer = sb_customer_new ();

      g_free (customer->name);
      customer->name = g_strdup_printf ("Zyxwö Trading %u", i);
      g_free (customer->city);
      customer->city = g_strdup ("Ísafjörður");
      sb_customer_insert (store, customer, &error);
      g_assert_no_error (error);
    }
  sb_store_commit (store, &error);
  g_assert_no_error (error);
}

static void
remove_company (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_free (db_path);
  g_free (tmp_dir);
}

/* Tests */

static void
test_customers_load (void)
{
  SbWindow *window = open_window (db_path);
  SbRecordListPage *page;

  g_assert_null (sb_window_get_error (window));
  g_assert_nonnull (sb_window_get_store (window));
  /* The first book is shown first, and it loads by itself. */
  g_assert_cmpstr (sb_window_get_visible_page_name (window), ==, "customers");
  page = show_page (window, "customers");

  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_records (page)), ==,
                    N_DEMO_CUSTOMERS + N_MARKED);
  g_assert_cmpuint (count_rows (page), ==, N_DEMO_CUSTOMERS + N_MARKED);
  g_assert_cmpuint (count_rows (page), ==, count_in_store (list_all_customers));
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "list");
  /* Store order: by number. */
  g_assert_cmpstr (sb_record_object_get_text (get_row (page, 0), "no"), ==, "C00001");

  close_window (window);
}

static void
test_customers_search (void)
{
  SbWindow *window = open_window (db_path);
  SbRecordListPage *page = show_page (window, "customers");

  /* Case and accents as typed by people: folded the same way. */
  sb_record_list_page_set_search_text (page, "zyxwö");
  wait_until (page_is_idle, page, "search");
  g_assert_cmpuint (count_rows (page), ==, N_MARKED);

  sb_record_list_page_set_search_text (page, "ZYXWÖ TRADING 3");
  wait_until (page_is_idle, page, "narrower search");
  g_assert_cmpuint (count_rows (page), ==, 1);
  g_assert_cmpstr (sb_record_object_get_text (get_row (page, 0), "name"), ==, "Zyxwö Trading 3");

  /* By city, and by number. */
  sb_record_list_page_set_search_text (page, "ísafjörður");
  wait_until (page_is_idle, page, "city search");
  g_assert_cmpuint (count_rows (page), ==, N_MARKED);
  sb_record_list_page_set_search_text (page, "C00042");
  wait_until (page_is_idle, page, "number search");
  g_assert_cmpuint (count_rows (page), ==, 1);
  g_assert_cmpstr (sb_record_object_get_text (get_row (page, 0), "no"), ==, "C00042");

  sb_record_list_page_set_search_text (page, "no customer is called this");
  wait_until (page_is_idle, page, "search without results");
  g_assert_cmpuint (count_rows (page), ==, 0);
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "no-results");

  sb_record_list_page_set_search_text (page, "");
  wait_until (page_is_idle, page, "cleared search");
  g_assert_cmpuint (count_rows (page), ==, N_DEMO_CUSTOMERS + N_MARKED);
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "list");

  close_window (window);
}

static void
test_customers_sort (void)
{
  SbWindow *window = open_window (db_path);
  SbRecordListPage *page = show_page (window, "customers");
  guint n;

  g_assert_true (sb_record_list_page_sort_by (page, "name", GTK_SORT_ASCENDING));
  wait_until (page_is_idle, page, "sorting by name");
  n = count_rows (page);
  g_assert_cmpuint (n, ==, N_DEMO_CUSTOMERS + N_MARKED);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *a =
          g_utf8_casefold (sb_record_object_get_text (get_row (page, i - 1), "name"), -1);
      g_autofree char *b =
          g_utf8_casefold (sb_record_object_get_text (get_row (page, i), "name"), -1);

      if (g_utf8_collate (a, b) > 0)
        g_error ("Row %u (%s) sorts before row %u (%s)", i - 1, a, i, b);
    }

  /* Descending by number: the newest customer first. */
  g_assert_true (sb_record_list_page_sort_by (page, "no", GTK_SORT_DESCENDING));
  wait_until (page_is_idle, page, "sorting by number");
  g_assert_cmpstr (sb_record_object_get_text (get_row (page, 0), "name"), ==, "Zyxwö Trading 6");

  /* Sorting and searching together. */
  sb_record_list_page_set_search_text (page, "zyxwö");
  wait_until (page_is_idle, page, "search in sorted list");
  g_assert_cmpuint (count_rows (page), ==, N_MARKED);
  g_assert_cmpstr (sb_record_object_get_text (get_row (page, 0), "name"), ==, "Zyxwö Trading 6");

  g_assert_false (sb_record_list_page_sort_by (page, "no_such_field", GTK_SORT_ASCENDING));
  close_window (window);
}

static void
test_customer_detail (void)
{
  SbWindow *window = open_window (db_path);
  SbRecordListPage *page = show_page (window, "customers");
  SbRecordObject *row;
  const SbCustomer *customer;
  GtkWidget *detail;

  g_assert_null (sb_record_list_page_get_detail (page));
  row = get_row (page, 41);
  customer = sb_record_object_get_record (row);
  detail = sb_record_list_page_open_detail (page, 41);
  g_assert_true (SB_IS_DETAIL_PAGE (detail));
  g_assert_true (sb_record_list_page_get_detail (page) == detail);
  g_assert_cmpstr (sb_detail_page_get_title (SB_DETAIL_PAGE (detail)), ==, customer->name);
  g_assert_nonnull (strstr (sb_detail_page_get_subtitle (SB_DETAIL_PAGE (detail)), customer->no));

  /* Opening another record replaces the card. */
  detail = sb_record_list_page_open_detail (page, 0);
  g_assert_cmpstr (sb_detail_page_get_title (SB_DETAIL_PAGE (detail)), ==,
                   ((const SbCustomer *) sb_record_object_get_record (get_row (page, 0)))->name);

  sb_record_list_page_go_back (page);
  wait_until (page_is_idle, page, "going back");
  g_assert_null (sb_record_list_page_get_detail (page));

  close_window (window);
}

/* The orders list shows each order's amount from its lines, and sorts by
 * it. */
static void
check_order_amounts (SbRecordListPage *page)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (db_path, SB_STORE_OPEN_READ_ONLY, &error);
  guint n = count_rows (page);

  g_assert_no_error (error);
  g_assert_true (sb_record_list_page_sort_by (page, SB_RECORD_LIST_FIGURE, GTK_SORT_DESCENDING));
  wait_until (page_is_idle, page, "sorting by amount");
  g_assert_cmpuint (count_rows (page), ==, n);
  for (guint i = 0; i < n; i++)
    {
      SbRecordObject *row = get_row (page, i);
      const SbSalesHeader *header = sb_record_object_get_record (row);
      SbSalesTotals totals;

      sb_sales_document_get_totals (store, SB_SALES_DOC_ORDER, header->no, &totals, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sb_record_object_get_figure (row), ==, totals.amount);
      if (i > 0)
        g_assert_cmpint (sb_record_object_get_figure (get_row (page, i - 1)), >=,
                         sb_record_object_get_figure (row));
    }
}

/* Every other book: its rows are the store's, and every row kind opens. */
static void
test_other_books (void)
{
  static const struct
  {
    const char *name;
    GPtrArray *(*list) (SbStore *, GError **);
  } books[] = {
    { "items", list_all_items },
    { "quotes", list_all_quotes },
    { "orders", list_all_orders },
    { "invoices", list_all_invoices },
  };
  SbWindow *window = open_window (db_path);

  for (guint i = 0; i < G_N_ELEMENTS (books); i++)
    {
      SbRecordListPage *page = show_page (window, books[i].name);
      guint expected = count_in_store (books[i].list);
      GtkWidget *detail;

      g_test_message ("%s: %u rows", books[i].name, expected);
      g_assert_cmpstr (sb_window_get_visible_page_name (window), ==, books[i].name);
      g_assert_cmpuint (count_rows (page), ==, expected);
      /* The demo company has some of everything. */
      g_assert_cmpuint (expected, >, 0);

      if (g_str_equal (books[i].name, "orders"))
        check_order_amounts (page);

      detail = sb_record_list_page_open_detail (page, expected - 1);
      g_assert_true (SB_IS_DETAIL_PAGE (detail));
      g_assert_cmpstr (sb_detail_page_get_title (SB_DETAIL_PAGE (detail)), !=, "");
    }

  close_window (window);
}

static gboolean
quit_loop (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Closing a window while its workers still read and sort must neither
 * crash nor touch the freed page when they finish. */
static void
test_close_while_busy (void)
{
  SbWindow *window = open_window (db_path);
  SbRecordListPage *page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  gboolean done = FALSE;

  /* Loading starts when the page is mapped. */
  wait_until ((gboolean (*) (gpointer)) sb_record_list_page_get_loading, page, "loading to start");
  close_window (window);

  window = open_window (db_path);
  page = show_page (window, "customers");
  sb_record_list_page_sort_by (page, "city", GTK_SORT_DESCENDING);
  sb_record_list_page_set_search_text (page, "timber");
  g_assert_true (sb_record_list_page_is_busy (page));
  close_window (window);

  g_timeout_add (500, quit_loop, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_empty_company (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.sbdb", NULL);
  SbWindow *window = open_window (path);
  SbRecordListPage *page;

  g_assert_null (sb_window_get_error (window));
  page = show_page (window, "customers");
  g_assert_cmpuint (count_rows (page), ==, 0);
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "empty");
  close_window (window);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "notes.txt", NULL);
  g_autoptr (GError) error = NULL;
  SbWindow *window;
  char junk[8192];

  /* SQLite reads the header of a file this size and gives up. */
  memset (junk, 'x', sizeof junk);
  g_file_set_contents (path, junk, sizeof junk, &error);
  g_assert_no_error (error);

  window = open_window (path);
  g_assert_null (sb_window_get_store (window));
  g_assert_nonnull (sb_window_get_error (window));
  g_assert_nonnull (strstr (sb_window_get_error (window), "notes.txt"));
  g_assert_null (sb_window_get_page (window, "customers"));
  close_window (window);
}

static void
test_newer_schema (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "newer.sbdb", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  sqlite3 *db;
  SbWindow *window;

  g_assert_no_error (error);
  g_clear_object (&store);
  /* As a later Salesbridge would leave it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 9999", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  window = open_window (path);
  g_assert_null (sb_window_get_store (window));
  g_assert_nonnull (sb_window_get_error (window));
  g_assert_nonnull (strstr (sb_window_get_error (window), "9999"));
  close_window (window);
}

static void
test_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettings) settings = NULL;
  SbWindow *window;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_test_skip ("The GSettings schema is not compiled (GSETTINGS_SCHEMA_DIR)");
      return;
    }
  settings = g_settings_new_full (schema, NULL, NULL);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);

  /* The window starts at the remembered size and remembers a new one. */
  window = sb_window_new (NULL, db_path, settings);
  {
    int width, height;
    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 900);
    g_assert_cmpint (height, ==, 640);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

/* Without a --db, the app opens the database opened last, else the
 * default one; without the schema it still runs, remembering nothing. */
static void
check_default_database (SbApplication *app)
{
  GSettings *settings = sb_application_get_settings (app);
  g_autofree char *fallback = sb_store_get_default_path ();
  g_autofree char *path = sb_application_get_default_database (app);

  if (settings == NULL)
    {
      g_test_message ("No GSettings schema: checking the fallback only");
      g_assert_cmpstr (path, ==, fallback);
      return;
    }
  /* Opening it with --db made it the last database. */
  g_assert_cmpstr (g_settings_get_string (settings, "last-database"), ==, db_path);
  g_assert_cmpstr (path, ==, db_path);
  g_settings_reset (settings, "last-database");
  g_clear_pointer (&path, g_free);
  path = sb_application_get_default_database (app);
  g_assert_cmpstr (path, ==, fallback);
}

static gboolean
check_and_quit (gpointer user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  GListModel *toplevels;
  GtkWindow *about = NULL;

  g_assert_cmpuint (g_list_length (windows), ==, 1);
  g_assert_true (SB_IS_WINDOW (windows->data));
  g_assert_cmpstr (sb_window_get_database_path (windows->data), ==, db_path);
  g_assert_nonnull (sb_window_get_store (windows->data));

  check_default_database (SB_APPLICATION (app));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);
      if (ADW_IS_ABOUT_WINDOW (window))
        about = window;
    }
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == windows->data);
  gtk_window_destroy (about);

  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (windows->data));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_application_command_line (void)
{
  g_autoptr (SbApplication) app = sb_application_new ();
  char *args[] = { "salesbridge", "--db", db_path, NULL };
  int status;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (500, check_and_quit, app);
  status = g_application_run (G_APPLICATION (app), 3, args);
  g_assert_cmpint (status, ==, 0);
  /* Quitting closed the window. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Tests read numbers in a known form. */
  setlocale (LC_NUMERIC, "C");
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-11-21", TRUE);

  create_company ();

  g_test_add_func ("/gui/window/customers/load", test_customers_load);
  g_test_add_func ("/gui/window/customers/search", test_customers_search);
  g_test_add_func ("/gui/window/customers/sort", test_customers_sort);
  g_test_add_func ("/gui/window/customers/detail", test_customer_detail);
  g_test_add_func ("/gui/window/other-books", test_other_books);
  g_test_add_func ("/gui/window/empty-company", test_empty_company);
  g_test_add_func ("/gui/window/close-while-busy", test_close_while_busy);
  g_test_add_func ("/gui/window/error/not-a-database", test_not_a_database);
  g_test_add_func ("/gui/window/error/newer-schema", test_newer_schema);
  g_test_add_func ("/gui/window/settings", test_settings);
  g_test_add_func ("/gui/application/command-line", test_application_command_line);
  status = g_test_run ();

  remove_company ();
  return status;
}
