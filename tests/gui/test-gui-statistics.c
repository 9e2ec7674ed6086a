/* test-gui-statistics.c: the Statistics page on the sb-test-books company
 *
 * The figures over time against what the ledger says on each date (an invoice posted in
 * January, due in February, part paid in March), the empty states of a customer without
 * invoices, the synchronization charts from sync_job rows of today and yesterday, the charts'
 * accessible summaries, and the page in light and dark and at 360 px (screenshots with
 * SB_SCREENSHOT_DIR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "sb-demo-data.h"
#include "sb-statistics-page.h"
#include "sb-store-private.h"
#include "sb-test-books.h"
#include "sb-window.h"

typedef struct
{
  Fixture books;
  SbWindow *window;
  SbStatisticsPage *page;
  char *invoice;
  char *payment;
  char *db_path; /* another company than the fixture's, or NULL */
} Fx;

#define POSTED "2026-01-15"
#define PAID "2026-03-01"
#define WORK_DATE "2026-03-10"

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = NULL;
  const char *apply[] = { NULL, NULL };

  sbt_fixture_set_up (&fx->books, NULL);
  /* Posted in January (C1 pays in 30 days: due in February)… */
  g_setenv ("SALESBRIDGE_WORK_DATE", POSTED, TRUE);
  order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, "C1");
  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "3", "100", NULL,
                NULL);
  fx->invoice = sbt_post (&fx->books, order, NULL, 0);
  /* …part paid on March 1st, looked at on March 10th. */
  g_setenv ("SALESBRIDGE_WORK_DATE", WORK_DATE, TRUE);
  apply[0] = fx->invoice;
  fx->payment =
      sb_ledger_register_payment (fx->books.store, "C1", sbt_dec ("50"), apply, PAID, &error);
  g_assert_no_error (error);
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  if (fx->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  g_free (fx->invoice);
  g_free (fx->payment);
  g_free (fx->db_path);
  sbt_fixture_tear_down (&fx->books, NULL);
}

static gboolean
page_idle (gpointer page)
{
  return !sb_statistics_page_is_busy (page) &&
         !g_str_equal (sb_statistics_page_get_state (page), "loading");
}

static void
open_page (Fx *fx, int width, int height)
{
  fx->window = sb_window_new (
      NULL, fx->db_path != NULL ? fx->db_path : sb_store_get_path (fx->books.store), NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), width, height);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  sb_window_show_page (fx->window, "statistics");
  fx->page = SB_STATISTICS_PAGE (sb_window_get_page (fx->window, "statistics"));
  sbg_settle (50);
  sbg_wait_until (page_idle, fx->page, "the statistics");
  g_assert_cmpstr (sb_statistics_page_get_state (fx->page), ==, "report");
}

static void
pick (Fx *fx, const char *customer_no)
{
  g_assert_true (sb_statistics_page_set_customer (fx->page, customer_no));
  sbg_settle (20);
  sbg_wait_until (page_idle, fx->page, "a customer's statistics");
  g_assert_cmpstr (sb_statistics_page_get_report (fx->page)->customer_no, ==, customer_no);
}

static guint
month_index (const SbStatisticsReport *r, const char *month)
{
  for (guint i = 0; i < SB_STATISTICS_N_MONTHS; i++)
    if (strncmp (r->months[i], month, 7) == 0)
      return i;
  g_error ("No month %s", month);
}

/* The balance and what was overdue at each month's end, as the ledger had them then. */
static void
test_history (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbLedgerEntry) entry =
      sb_ledger_find_invoice_entry (fx->books.store, fx->invoice, &error);
  g_autoptr (SbPostedInvoice) invoice =
      sb_posted_invoice_get (fx->books.store, fx->invoice, &error);
  g_autoptr (SbCustomerStatistics) now = NULL;
  double total, paid = 50, excl_vat;
  const SbStatisticsReport *r;
  guint dec, jan, feb, mar;
  SbChart *balance;
  SbChart *sales;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (entry->due_date, >, "2026-01-31");
  g_assert_cmpstr (entry->due_date, <, "2026-02-28");
  total = sb_decimal_to_double (entry->amount_lcy);
  excl_vat = sb_decimal_to_double (invoice->amount);

  open_page (fx, 1280, 800);
  pick (fx, "C1");
  r = sb_statistics_page_get_report (fx->page);
  g_assert_cmpstr (r->months[SB_STATISTICS_N_MONTHS - 1], ==, "2026-03");
  g_assert_cmpstr (r->months[0], ==, "2025-04");
  dec = month_index (r, "2025-12");
  jan = month_index (r, "2026-01");
  feb = month_index (r, "2026-02");
  mar = month_index (r, "2026-03");
  balance = sb_statistics_page_get_chart (fx->page, "balance");
  sales = sb_statistics_page_get_chart (fx->page, "sales");
  g_assert_cmpuint (sb_chart_get_n_series (balance), ==, 2);

  /* Balance: nothing before January, the invoice until the payment, then the rest. */
  g_assert_cmpfloat (sb_chart_get_value (balance, 0, dec), ==, 0);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 0, jan), total, 0.005);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 0, feb), total, 0.005);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 0, mar), total - paid, 0.005);
  /* Overdue: not yet at January's end, all of it at February's, less the payment in March. */
  g_assert_cmpfloat (sb_chart_get_value (balance, 1, jan), ==, 0);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 1, feb), total, 0.005);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 1, mar), total - paid, 0.005);
  /* Today's figures agree with the customer's statistics. */
  now = sb_customer_statistics_compute (fx->books.store, "C1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 0, mar),
                                  sb_decimal_to_double (now->balance_lcy), 0.005);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (balance, 1, mar),
                                  sb_decimal_to_double (now->overdue_amounts_lcy), 0.005);
  /* Sales: January only, excl. VAT. */
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (sales, 0, jan), excl_vat, 0.005);
  g_assert_cmpfloat (sb_chart_get_value (sales, 0, feb), ==, 0);
  /* Part paid: Partial. */
  g_assert_cmpuint (r->invoices[SB_INVOICE_STATE_PARTIAL], ==, 1);
  g_assert_cmpuint (r->invoices[SB_INVOICE_STATE_BILLED] + r->invoices[SB_INVOICE_STATE_COMPLETE],
                    ==, 0);
  /* Screen readers hear the values as the locale writes them. */
  expected = sb_decimal_format_money (entry->amount_lcy, "EUR", 2);
  g_assert_nonnull (strstr (sb_chart_get_summary (balance), expected));
  g_assert_true (g_str_has_prefix (sb_chart_get_summary (balance),
                                   _ ("Balance and Overdue at Each Month’s End")));
  sbg_screenshot (fx->window, "statistics-history");

  /* Every customer: the top customers list C1 alone. */
  pick (fx, NULL);
  r = sb_statistics_page_get_report (fx->page);
  g_assert_cmpuint (r->n_top, ==, 1);
  g_assert_cmpstr (r->top_names[0], ==, "Alpha Bikes");
  g_assert_cmpfloat_with_epsilon (r->top_sales[0], excl_vat, 0.005);
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (sbg_get (fx->page, "value-balance_lcy"))), ==,
      (g_free (expected), expected = sb_decimal_format_money (now->balance_lcy, "EUR", 2)));

  /* In dark, at a phone's width. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  sbg_screenshot (fx->window, "statistics-dark");
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 360, 720);
  sbg_settle (200);
  sbg_screenshot (fx->window, "statistics-dark-narrow");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* A customer without invoices: zeros, and charts that say so. */
static void
test_empty (Fx *fx, gconstpointer data)
{
  SbChart *chart;

  open_page (fx, 1280, 800);
  pick (fx, "C3");
  chart = sb_statistics_page_get_chart (fx->page, "invoice-status");
  g_assert_true (sb_chart_is_empty (chart));
  g_assert_nonnull (strstr (sb_chart_get_summary (chart), _ ("No posted invoices")));
  g_assert_true (sb_chart_is_empty (sb_statistics_page_get_chart (fx->page, "balance")));
  g_assert_true (sb_chart_is_empty (sb_statistics_page_get_chart (fx->page, "sales")));
  g_assert_true (sb_chart_is_empty (sb_statistics_page_get_chart (fx->page, "sync-records")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sbg_get (fx->page, "statistics-sync-summary"))),
                   ==, _ ("Nothing was synchronized in the last 14 days."));
  sbg_screenshot (fx->window, "statistics-empty");
}

/* Records, errors and runs per day, and the throughput, from the engine's job log. */
static void
test_synchronization (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr (GDateTime) long_ago = g_date_time_add_days (now, -30);
  g_autofree char *today_start = g_date_time_format (now, "%Y-%m-%dT00:00:10Z");
  g_autofree char *today_end = g_date_time_format (now, "%Y-%m-%dT00:00:20Z");
  g_autofree char *y_start = g_date_time_format (yesterday, "%Y-%m-%dT10:00:00Z");
  g_autofree char *y_end = g_date_time_format (yesterday, "%Y-%m-%dT10:00:30Z");
  g_autofree char *old = g_date_time_format (long_ago, "%Y-%m-%dT10:00:00Z");
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO sync_job (mapping, direction, started_at, finished_at, inserted, modified,"
      " deleted, unchanged, failed, requests) VALUES"
      " ('CUSTOMER', 1, '%s', '%s', 10, 5, 0, 100, 2, 3),"   /* today: 15 records in 10 s */
      " ('ITEM-PRODUCT', 1, '%s', '%s', 40, 0, 5, 0, 1, 4)," /* yesterday: 45 in 30 s */
      " ('ITEM-PRODUCT', 1, '%s', '', 7, 0, 0, 0, 0, 0),"    /* yesterday, still running */
      " ('CUSTOMER', 1, '%s', '%s', 999, 0, 0, 0, 9, 50)",   /* 30 days ago: not shown */
      today_start, today_end, y_start, y_end, y_start, old, old);
  const SbStatisticsReport *r;
  SbChart *records;
  SbChart *runs;
  SbChart *requests;

  g_assert_true (sb_store_exec (fx->books.store, sql, &error));
  g_assert_no_error (error);
  open_page (fx, 1280, 800);
  r = sb_statistics_page_get_report (fx->page);
  records = sb_statistics_page_get_chart (fx->page, "sync-records");
  runs = sb_statistics_page_get_chart (fx->page, "sync-jobs");
  g_assert_cmpuint (sb_chart_get_n_categories (records), ==, SB_STATISTICS_N_DAYS);
  g_assert_cmpfloat (sb_chart_get_value (records, 0, SB_STATISTICS_N_DAYS - 1), ==, 15);
  g_assert_cmpfloat (sb_chart_get_value (records, 1, SB_STATISTICS_N_DAYS - 1), ==, 2);
  g_assert_cmpfloat (sb_chart_get_value (records, 0, SB_STATISTICS_N_DAYS - 2), ==, 52);
  g_assert_cmpfloat (sb_chart_get_value (records, 1, SB_STATISTICS_N_DAYS - 2), ==, 1);
  g_assert_cmpfloat (sb_chart_get_value (runs, 0, SB_STATISTICS_N_DAYS - 2), ==, 2);
  requests = sb_statistics_page_get_chart (fx->page, "sync-requests");
  g_assert_cmpfloat (sb_chart_get_value (requests, 0, SB_STATISTICS_N_DAYS - 1), ==, 3);
  g_assert_cmpfloat (sb_chart_get_value (requests, 0, SB_STATISTICS_N_DAYS - 2), ==, 4);
  g_assert_cmpuint (r->total_records, ==, 67);
  g_assert_cmpuint (r->total_errors, ==, 3);
  /* Finished jobs only: 60 records in 40 seconds. */
  g_assert_cmpfloat_with_epsilon (r->records_per_second, 60.0 / 40.0, 0.001);
  sbg_screenshot (fx->window, "statistics-synchronization");
}

/* The demo company (2,000 customers): how long the page takes, the top customers in order, and
 * the months' sales against the posted invoices themselves. */
static void
test_demo (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SbDemoOptions options = {
    .customers = 2000, .items = 30, .resources = 4, .orders = 60, .seed = 42
  };
  g_autoptr (GPtrArray) invoices = NULL;
  const SbStatisticsReport *r;
  SbChart *sales;
  double expected = 0, shown = 0;
  gint64 start;

  g_autoptr (SbStore) store = NULL;

  /* A company of its own: the demo seeder starts from empty books. */
  fx->db_path = g_build_filename (fx->books.dir, "demo.sbdb", NULL);
  store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (sb_demo_seed (store, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  open_page (fx, 1280, 800);
  g_test_message ("Statistics of %u customers read and drawn in %.0f ms", options.customers,
                  (g_get_monotonic_time () - start) / 1000.0);
  r = sb_statistics_page_get_report (fx->page);
  g_assert_cmpuint (r->n_top, >, 1);
  for (guint i = 1; i < r->n_top; i++)
    g_assert_cmpfloat (r->top_sales[i - 1], >=, r->top_sales[i]);

  invoices = sb_posted_invoice_list (store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < invoices->len; i++)
    {
      const SbPostedInvoice *invoice = invoices->pdata[i];

      if (strncmp (invoice->posting_date, r->months[0], 7) >= 0 &&
          strncmp (invoice->posting_date, r->months[SB_STATISTICS_N_MONTHS - 1], 7) <= 0)
        expected +=
            sb_decimal_to_double (invoice->amount) * SB_DECIMAL_SCALE / invoice->currency_factor;
    }
  sales = sb_statistics_page_get_chart (fx->page, "sales");
  for (guint i = 0; i < SB_STATISTICS_N_MONTHS; i++)
    shown += sb_chart_get_value (sales, 0, i);
  g_assert_cmpfloat (expected, >, 0);
  g_assert_cmpfloat_with_epsilon (shown, expected, 0.01 * SB_STATISTICS_N_MONTHS);
  sbg_screenshot (fx->window, "statistics-demo");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  sbg_screenshot (fx->window, "statistics-demo-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 360, 720);
  sbg_settle (200);
  sbg_screenshot (fx->window, "statistics-demo-narrow");
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() leaves the C locale; the page formats by the user's (meson test: C.UTF-8). */
  setlocale (LC_ALL, "");
  /* For screenshots in another language (as tools/screenshots runs the app). */
  if (g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE); /* the templates' strings */
    }
  adw_init ();
  /* Numbers and money as the locale writes them: the checks format their expectations the
   * same way, and screenshots in another language show that locale's. */

  g_test_add ("/gui/statistics/history", Fx, NULL, fx_set_up, test_history, fx_tear_down);
  g_test_add ("/gui/statistics/empty", Fx, NULL, fx_set_up, test_empty, fx_tear_down);
  g_test_add ("/gui/statistics/synchronization", Fx, NULL, fx_set_up, test_synchronization,
              fx_tear_down);
  g_test_add ("/gui/statistics/demo", Fx, NULL, fx_set_up, test_demo, fx_tear_down);
  return g_test_run ();
}
