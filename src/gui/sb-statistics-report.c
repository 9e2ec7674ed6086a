/* sb-statistics-report.c
 *
 * The figures over time come from the ledger as it was on each date: the balance is the sum
 * of the entries posted by then (invoices positive, payments negative), and what was overdue
 * is each invoice due before then less the payments applied to it by then (payment_application
 * keeps their dates). A reversed payment loses its applications, so the history shows it as
 * never applied. The synchronization figures are the sync_job rows the engine writes for every
 * run (sb-sync-engine-log.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-setup.h"
#include "sb-statistics-report.h"
#include "sb-store-private.h"

void
sb_statistics_report_free (SbStatisticsReport *report)
{
  if (report == NULL)
    return;
  g_free (report->customer_no);
  g_free (report->customer_name);
  g_free (report->currency_code);
  g_clear_pointer (&report->statistics, sb_customer_statistics_free);
  for (guint i = 0; i < SB_STATISTICS_N_MONTHS; i++)
    g_free (report->months[i]);
  for (guint i = 0; i < SB_STATISTICS_N_TOP; i++)
    g_free (report->top_names[i]);
  for (guint i = 0; i < SB_STATISTICS_N_DAYS; i++)
    g_free (report->days[i]);
  g_free (report);
}

static char *
format_gdate (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* The amounts are stored as SbDecimal (five places). */
static double
column_amount (sqlite3_stmt *stmt, int index)
{
  return sqlite3_column_double (stmt, index) / SB_DECIMAL_SCALE;
}

/* Runs @stmt, bound by the caller, and returns its first column as an amount. */
static gboolean
step_amount (SbStore *store, sqlite3_stmt *stmt, double *out_value, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *out_value = column_amount (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_months (SbStatisticsReport *r, SbStore *store, const char *work_date, GError **error)
{
  /* ?1 the date, ?2 the customer (NULL: all). */
  sqlite3_stmt *balance =
      sb_store_prepare (store,
                        "SELECT coalesce (sum (amount_lcy), 0) FROM cust_ledger_entry"
                        " WHERE posting_date <= ?1 AND (?2 IS NULL OR customer_no = ?2)",
                        error);
  sqlite3_stmt *overdue =
      balance == NULL
          ? NULL
          : sb_store_prepare (
                store,
                "SELECT coalesce (sum (e.amount_lcy - CASE WHEN e.amount = 0 THEN 0 ELSE"
                "   coalesce ((SELECT sum (a.amount) FROM payment_application a"
                "              WHERE a.invoice_entry_no = e.entry_no AND a.posting_date <= ?1), 0)"
                "   * 1.0 * e.amount_lcy / e.amount END), 0)"
                " FROM cust_ledger_entry e WHERE e.document_type = 1 AND e.posting_date <= ?1"
                " AND e.due_date <> '' AND e.due_date < ?1 AND (?2 IS NULL OR e.customer_no = ?2)",
                error);
  /* ?1 from, ?2 to (exclusive). Excl. VAT, in the local currency through the factor. */
  sqlite3_stmt *sales = overdue == NULL
                            ? NULL
                            : sb_store_prepare (store,
                                                "SELECT coalesce (sum (amount * 1.0 * 100000 / "
                                                "currency_factor), 0) FROM posted_invoice"
                                                " WHERE posting_date >= ?1 AND posting_date < ?3 "
                                                "AND (?2 IS NULL OR sell_to_customer_no = ?2)",
                                                error);
  GDate date;
  int year, month, day;

  if (sales == NULL)
    return FALSE;
  if (sscanf (work_date, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The work date “%s” is not a date. Set SALESBRIDGE_WORK_DATE to a date "
                      "written as 2026-03-31, or unset it."),
                   work_date);
      return FALSE;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, month, year);
  g_date_subtract_months (&date, SB_STATISTICS_N_MONTHS - 1);
  for (guint i = 0; i < SB_STATISTICS_N_MONTHS; i++)
    {
      g_autofree char *first = format_gdate (&date);
      g_autofree char *next = NULL;
      g_autofree char *end = NULL;

      g_date_add_months (&date, 1);
      next = format_gdate (&date);
      g_date_subtract_days (&date, 1);
      /* The month of the work date ends today. */
      end = i == SB_STATISTICS_N_MONTHS - 1 ? g_strdup (work_date) : format_gdate (&date);
      g_date_add_days (&date, 1);
      r->months[i] = g_strndup (first, 7);

      sb_bind_text (balance, 1, end);
      sb_bind_text_or_null (balance, 2, r->customer_no);
      sb_bind_text (overdue, 1, end);
      sb_bind_text_or_null (overdue, 2, r->customer_no);
      sb_bind_text (sales, 1, first);
      sb_bind_text_or_null (sales, 2, r->customer_no);
      sb_bind_text (sales, 3, next);
      if (!step_amount (store, balance, &r->balance[i], error) ||
          !step_amount (store, overdue, &r->overdue[i], error) ||
          !step_amount (store, sales, &r->sales[i], error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_top (SbStatisticsReport *r, SbStore *store, GError **error)
{
  g_autofree char *to = NULL;
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT coalesce (nullif (c.name, ''), c.no), sum (i.amount * 1.0 * 100000 / "
      "i.currency_factor) AS sales FROM posted_invoice i JOIN customer c"
      " ON c.no = i.sell_to_customer_no WHERE i.posting_date >= ?1 AND i.posting_date < ?2"
      " GROUP BY c.no HAVING sales > 0 ORDER BY sales DESC, c.no LIMIT ?3",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  to = g_strdup_printf ("%s-32", r->months[SB_STATISTICS_N_MONTHS - 1]);
  sb_bind_text (stmt, 1, r->months[0]);
  sb_bind_text (stmt, 2, to);
  sqlite3_bind_int (stmt, 3, SB_STATISTICS_N_TOP);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      r->top_names[r->n_top] = sb_column_dup (stmt, 0);
      r->top_sales[r->n_top] = column_amount (stmt, 1);
      r->n_top++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

/* Billed, Partial or Complete as integration-behaviour.md §7 derives it from the entry. */
static gboolean
load_invoice_states (SbStatisticsReport *r, SbStore *store, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT CASE WHEN remaining_amount = 0 THEN 2 WHEN remaining_amount = amount THEN 0"
      " ELSE 1 END AS state, count (*), sum (amount_lcy) FROM cust_ledger_entry"
      " WHERE document_type = 1 AND (?1 IS NULL OR customer_no = ?1) GROUP BY state",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text_or_null (stmt, 1, r->customer_no);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int state = sqlite3_column_int (stmt, 0);

      r->invoices[state] = (guint) sqlite3_column_int64 (stmt, 1);
      r->invoice_amounts[state] = column_amount (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

static gboolean
load_sync (SbStatisticsReport *r, SbStore *store, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  double seconds = 0, timed_records = 0;
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT substr (started_at, 1, 10) AS day, count (*), sum (inserted + modified + deleted),"
      " sum (failed), sum (CASE WHEN finished_at <> '' THEN"
      "   max (julianday (finished_at) - julianday (started_at), 0) * 86400 ELSE 0 END),"
      " sum (CASE WHEN finished_at <> '' THEN inserted + modified + deleted ELSE 0 END),"
      " sum (requests)"
      " FROM sync_job WHERE started_at >= ?1 GROUP BY day",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < SB_STATISTICS_N_DAYS; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (now, (int) i - (SB_STATISTICS_N_DAYS - 1));

      r->days[i] = g_date_time_format (day, "%Y-%m-%d");
      g_hash_table_insert (index, r->days[i], GUINT_TO_POINTER (i + 1));
    }
  sb_bind_text (stmt, 1, r->days[0]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint i = GPOINTER_TO_UINT (
          g_hash_table_lookup (index, (const char *) sqlite3_column_text (stmt, 0)));

      if (i == 0)
        continue; /* a clock that went back: not a day of the chart */
      r->jobs[i - 1] = (double) sqlite3_column_int64 (stmt, 1);
      r->records[i - 1] = (double) sqlite3_column_int64 (stmt, 2);
      r->errors[i - 1] = (double) sqlite3_column_int64 (stmt, 3);
      r->requests[i - 1] = (double) sqlite3_column_int64 (stmt, 6);
      r->total_records += (guint64) sqlite3_column_int64 (stmt, 2);
      r->total_errors += (guint64) sqlite3_column_int64 (stmt, 3);
      seconds += sqlite3_column_double (stmt, 4);
      timed_records += sqlite3_column_double (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  /* Jobs of less than a millisecond in total say nothing about a rate. */
  r->records_per_second = seconds >= 0.001 ? timed_records / seconds : 0;
  return TRUE;
}

SbStatisticsReport *
sb_statistics_report_load (SbStore *store, const char *customer_no, GError **error)
{
  g_autoptr (SbStatisticsReport) r = g_new0 (SbStatisticsReport, 1);
  g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (store, error);
  g_autofree char *work_date = sb_get_work_date ();

  if (setup == NULL)
    return NULL;
  r->currency_code =
      g_strdup (setup->local_currency_code != NULL ? setup->local_currency_code : "");
  r->customer_no = g_strdup (customer_no);
  if (customer_no != NULL)
    {
      g_autoptr (SbCustomer) customer = sb_customer_lookup (store, customer_no, error);

      if (customer == NULL)
        return NULL;
      r->customer_name = g_strdup (customer->name);
      r->statistics = sb_customer_statistics_compute (store, customer_no, work_date, error);
      if (r->statistics == NULL)
        return NULL;
    }
  else
    r->customer_name = g_strdup ("");
  if (!load_months (r, store, work_date, error) || !load_top (r, store, error) ||
      !load_invoice_states (r, store, error) || !load_sync (r, store, error))
    return NULL;
  return g_steal_pointer (&r);
}
