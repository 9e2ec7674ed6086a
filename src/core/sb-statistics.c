/* sb-statistics.c
 *
 * Figures are computed from the books every time rather than kept up to
 * date in counters: the books are the truth, and one customer's rows are
 * found through indexes on customer number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-statistics.h"
#include "sb-store-private.h"

static const SbField statistics_fields[] = {
  SB_FIELD (SbCustomerStatistics, customer_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY,
            N_ ("Customer No.")),
  SB_FIELD (SbCustomerStatistics, as_of_date, SB_FIELD_DATE, 0, 0, N_ ("As Of Date")),
  SB_FIELD (SbCustomerStatistics, balance_lcy, SB_FIELD_DECIMAL, 0, 0, N_ ("Balance (LCY)")),
  SB_FIELD (SbCustomerStatistics, outstanding_orders_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Outstanding Orders (LCY)")),
  SB_FIELD (SbCustomerStatistics, shipped_not_invoiced_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Shipped Not Invoiced (LCY)")),
  SB_FIELD (SbCustomerStatistics, outstanding_invoices_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Outstanding Invoices (LCY)")),
  SB_FIELD (SbCustomerStatistics, total_lcy, SB_FIELD_DECIMAL, 0, 0, N_ ("Total (LCY)")),
  SB_FIELD (SbCustomerStatistics, credit_limit_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Credit Limit (LCY)")),
  SB_FIELD (SbCustomerStatistics, overdue_amounts_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Overdue Amounts (LCY)")),
  SB_FIELD (SbCustomerStatistics, fiscal_year_start, SB_FIELD_DATE, 0, 0, N_ ("Fiscal Year Start")),
  SB_FIELD (SbCustomerStatistics, fiscal_year_end, SB_FIELD_DATE, 0, 0, N_ ("Fiscal Year End")),
  SB_FIELD (SbCustomerStatistics, total_sales_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Total Sales (LCY)")),
  SB_FIELD (SbCustomerStatistics, invoiced_prepayment_amount_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Invoiced Prepayment Amount (LCY)")),
};

const SbRecordType sb_customer_statistics_record_type = {
  "customer_statistics", /* no such table: never written */
  N_ ("Customer Statistics"),
  sizeof (SbCustomerStatistics),
  statistics_fields,
  G_N_ELEMENTS (statistics_fields),
  "customer_no",
  NULL,
  (GDestroyNotify) sb_customer_statistics_free,
};
SB_DEFINE_RECORD (SbCustomerStatistics, sb_customer_statistics)

static gboolean
sum_query (SbStore *store, const char *sql, const char *p1, const char *p2, SbDecimal *out_sum,
           GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, p1);
  if (p2 != NULL)
    sb_bind_text (stmt, 2, p2);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_sum = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sb_store_set_error (store, error);
  return TRUE;
}

/* Sums over the customer's order lines: what is not shipped yet and what
 * is shipped but not invoiced, each the line's share of its amount incl.
 * VAT, converted line by line as the ERP's "(LCY)" line fields are. */
static gboolean
order_amounts (SbStore *store, const char *customer_no, SbDecimal *out_outstanding,
               SbDecimal *out_shipped_not_invoiced, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT h.currency_code, l.quantity, l.quantity_shipped, l.quantity_invoiced,"
      " l.amount_including_vat FROM sales_header h JOIN sales_line l"
      " ON l.doc_type = h.doc_type AND l.doc_no = h.no"
      " WHERE h.doc_type = 1 AND h.sell_to_customer_no = ?1 AND l.type <> 0"
      " AND l.quantity > 0",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  *out_outstanding = 0;
  *out_shipped_not_invoiced = 0;
  sb_bind_text (stmt, 1, customer_no);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *currency = sb_column_dup (stmt, 0);
      SbDecimal quantity = sqlite3_column_int64 (stmt, 1);
      SbDecimal shipped = sqlite3_column_int64 (stmt, 2);
      SbDecimal invoiced = sqlite3_column_int64 (stmt, 3);
      SbDecimal amount = sqlite3_column_int64 (stmt, 4);
      SbDecimal outstanding = 0, not_invoiced = 0, lcy;

      if (!sb_sales_round_share (amount, quantity - shipped, quantity, &outstanding) ||
          !sb_sales_round_share (amount, shipped - invoiced, quantity, &not_invoiced))
        goto overflow;
      if (!sb_currency_to_local (store, currency, outstanding, &lcy, NULL, error))
        goto fail;
      *out_outstanding += lcy;
      if (!sb_currency_to_local (store, currency, not_invoiced, &lcy, NULL, error))
        goto fail;
      *out_shipped_not_invoiced += lcy;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;

overflow:
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
               _ ("Customer %s: an order amount is too large to compute statistics."), customer_no);
fail:
  sqlite3_reset (stmt);
  return FALSE;
}

static gboolean
total_sales (SbStore *store, const char *customer_no, const char *from, const char *before,
             SbDecimal *out_total, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT amount, currency_factor FROM posted_invoice WHERE sell_to_customer_no = ?1"
      " AND posting_date >= ?2 AND posting_date < ?3",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  *out_total = 0;
  sb_bind_text (stmt, 1, customer_no);
  sb_bind_text (stmt, 2, from);
  sb_bind_text (stmt, 3, before);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SbDecimal lcy;

      /* At the rate the invoice was posted with, as its ledger entry. */
      if (!sb_decimal_mul (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), &lcy))
        {
          sqlite3_reset (stmt);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("Customer %s: an invoice amount is too large to compute statistics."),
                       customer_no);
          return FALSE;
        }
      *out_total += sb_decimal_round (lcy, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

static char *
format_date (GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

SbCustomerStatistics *
sb_customer_statistics_compute (SbStore *store, const char *customer_no, const char *as_of_date,
                                GError **error)
{
  g_autoptr (SbCustomerStatistics) stats = sb_customer_statistics_new ();
  g_autoptr (SbCustomer) customer = sb_customer_lookup (store, customer_no, error);
  g_autoptr (SbGeneralSetup) setup = NULL;
  g_autofree char *fy_next = NULL;
  g_autoptr (GDate) start = NULL;
  g_autoptr (GDate) end = NULL;
  int y, m, d;
  char tail;

  if (customer == NULL)
    return NULL;
  setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return NULL;

  g_free (stats->customer_no);
  stats->customer_no = g_strdup (customer->no);
  g_free (stats->as_of_date);
  stats->as_of_date = as_of_date != NULL ? g_strdup (as_of_date) : sb_get_work_date ();
  if (sscanf (stats->as_of_date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("“%s” is not a date. Write dates as YYYY-MM-DD."), stats->as_of_date);
      return NULL;
    }

  /* The fiscal year containing the date starts on the first of the start
   * month in the date's year, or the year before when that is later. */
  if (m < setup->fiscal_year_start_month)
    y--;
  start = g_date_new_dmy (1, setup->fiscal_year_start_month, y);
  end = g_date_new_dmy (1, setup->fiscal_year_start_month, y + 1);
  fy_next = format_date (end);
  g_date_subtract_days (end, 1);
  g_free (stats->fiscal_year_start);
  stats->fiscal_year_start = format_date (start);
  g_free (stats->fiscal_year_end);
  stats->fiscal_year_end = format_date (end);

  /* The balance is what is open now; remaining amounts already reflect
   * every payment, so a past date could not be honoured for it. */
  if (!sum_query (store,
                  "SELECT coalesce (sum (remaining_amount_lcy), 0) FROM cust_ledger_entry"
                  " WHERE customer_no = ?1 AND open = 1",
                  customer->no, NULL, &stats->balance_lcy, error) ||
      /* Overdue counts invoices only: an unapplied payment is a credit,
       * not something that can be late. */
      !sum_query (store,
                  "SELECT coalesce (sum (remaining_amount_lcy), 0) FROM cust_ledger_entry"
                  " WHERE customer_no = ?1 AND open = 1 AND document_type = 1"
                  " AND due_date <> '' AND due_date < ?2",
                  customer->no, stats->as_of_date, &stats->overdue_amounts_lcy, error) ||
      !order_amounts (store, customer->no, &stats->outstanding_orders_lcy,
                      &stats->shipped_not_invoiced_lcy, error) ||
      !total_sales (store, customer->no, stats->fiscal_year_start, fy_next, &stats->total_sales_lcy,
                    error))
    return NULL;

  /* These books have no sales invoice documents waiting to be posted —
   * invoices only come from posting orders — so nothing is outstanding on
   * invoices, and no prepayments are invoiced either. */
  stats->outstanding_invoices_lcy = 0;
  stats->invoiced_prepayment_amount_lcy = 0;

  stats->total_lcy = stats->balance_lcy + stats->outstanding_orders_lcy +
                     stats->shipped_not_invoiced_lcy + stats->outstanding_invoices_lcy;
  stats->credit_limit_lcy = customer->credit_limit;
  return g_steal_pointer (&stats);
}
