/* test-statistics.c: customer statistics computed from the books
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-test-books.h"

static char *
post_on (Fixture *f, const char *date, const char *order, const SbPostingQuantity *q, guint n)
{
  g_setenv ("SALESBRIDGE_WORK_DATE", date, TRUE);
  return sbt_post (f, order, q, n);
}

static SbCustomerStatistics *
stats_of (Fixture *f, const char *customer, const char *as_of)
{
  g_autoptr (GError) error = NULL;
  SbCustomerStatistics *s = sb_customer_statistics_compute (f->store, customer, as_of, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

static void
test_figures (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (f->store, NULL);
  g_autofree char *order_a = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order_b = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order_c = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *inv_a = NULL;
  g_autofree char *inv_b = NULL;
  g_autofree char *inv_c = NULL;
  g_autofree char *payment = NULL;
  g_autoptr (SbCustomerStatistics) august = NULL;
  g_autoptr (SbCustomerStatistics) june = NULL;
  const SbPostingQuantity one[] = { { 10000, sbt_dec ("1") } };

  /* The fiscal year runs July to June. */
  setup->fiscal_year_start_month = 7;
  g_assert_true (sb_general_setup_update (f->store, setup, NULL));

  /* A: 100.00 + 25 % = 125.00 on 2026-06-20, due 2026-07-20.
   * B: 200.00 + 25 % = 250.00 on 2026-07-05, due 2026-08-04.
   * C: one of four at 10.00 + 25 %: 12.50 on 2026-07-10, due 2026-08-09;
   *    three stay on the order: 37.50 incl. VAT. */
  sbt_add_line (f, SB_SALES_DOC_ORDER, order_a, SB_SALES_LINE_ITEM, "I2", "1", "100", NULL, "25");
  sbt_add_line (f, SB_SALES_DOC_ORDER, order_b, SB_SALES_LINE_ITEM, "I2", "2", "100", NULL, "25");
  sbt_add_line (f, SB_SALES_DOC_ORDER, order_c, SB_SALES_LINE_ITEM, "I2", "4", "10", NULL, "25");
  inv_a = post_on (f, "2026-06-20", order_a, NULL, 0);
  inv_b = post_on (f, "2026-07-05", order_b, NULL, 0);
  inv_c = post_on (f, "2026-07-10", order_c, one, 1);
  {
    const char *apply[] = { inv_a, NULL };
    /* 50 of A paid: 75.00 left. */
    payment =
        sb_ledger_register_payment (f->store, "C1", sbt_dec ("50"), apply, "2026-07-15", &error);
    g_assert_no_error (error);
  }

  august = stats_of (f, "C1", "2026-08-05");
  g_assert_cmpstr (august->as_of_date, ==, "2026-08-05");
  sbt_assert_amount (august->balance_lcy, "337.50");            /* 75 + 250 + 12.50 */
  sbt_assert_amount (august->outstanding_orders_lcy, "37.50");  /* 3 × 12.50 */
  sbt_assert_amount (august->shipped_not_invoiced_lcy, "0.00"); /* posting does both */
  sbt_assert_amount (august->outstanding_invoices_lcy, "0.00");
  sbt_assert_amount (august->total_lcy, "375.00");
  sbt_assert_amount (august->credit_limit_lcy, "1000.00");
  sbt_assert_amount (august->overdue_amounts_lcy, "325.00"); /* A 75 + B 250; C not due */
  g_assert_cmpstr (august->fiscal_year_start, ==, "2026-07-01");
  g_assert_cmpstr (august->fiscal_year_end, ==, "2027-06-30");
  sbt_assert_amount (august->total_sales_lcy, "210.00"); /* B 200 + C 10, excl. VAT */
  sbt_assert_amount (august->invoiced_prepayment_amount_lcy, "0.00");

  /* Across the year boundary: only A belongs to the year before. */
  june = stats_of (f, "C1", "2026-06-25");
  g_assert_cmpstr (june->fiscal_year_start, ==, "2025-07-01");
  g_assert_cmpstr (june->fiscal_year_end, ==, "2026-06-30");
  sbt_assert_amount (june->total_sales_lcy, "100.00");
  sbt_assert_amount (june->overdue_amounts_lcy, "0.00");
}

static void
test_foreign_currency (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *open_order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *invoice = NULL;
  g_autoptr (SbCustomerStatistics) s = NULL;

  /* Invoiced 150 USD + 10 % = 165 USD = 132 EUR (120 EUR excl. VAT);
   * on order 2 × 12.50 USD = 25 USD = 20 EUR. */
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", "150", NULL, "10");
  sbt_add_line (f, SB_SALES_DOC_ORDER, open_order, SB_SALES_LINE_ITEM, "I2", "2", "12.50", NULL,
                NULL);
  invoice = post_on (f, "2026-02-01", order, NULL, 0);

  s = stats_of (f, "C2", "2026-03-01");
  sbt_assert_amount (s->balance_lcy, "132.00");
  sbt_assert_amount (s->outstanding_orders_lcy, "20.00");
  sbt_assert_amount (s->total_lcy, "152.00");
  sbt_assert_amount (s->overdue_amounts_lcy, "132.00"); /* due on posting */
  sbt_assert_amount (s->total_sales_lcy, "120.00");
  g_assert_cmpstr (s->fiscal_year_start, ==, "2026-01-01");

  g_assert_null (sb_customer_statistics_compute (f->store, "C2", "2026-13-01", &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sb_customer_statistics_compute (f->store, "NOPE", NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_empty (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCustomerStatistics) s = stats_of (f, "C3", NULL);

  /* The work date is the default as-of date. */
  g_assert_cmpstr (s->as_of_date, ==, "2026-03-10");
  sbt_assert_amount (s->balance_lcy, "0.00");
  sbt_assert_amount (s->total_lcy, "0.00");
  sbt_assert_amount (s->credit_limit_lcy, "1000.00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/statistics/figures", Fixture, NULL, sbt_fixture_set_up, test_figures,
              sbt_fixture_tear_down);
  g_test_add ("/statistics/foreign-currency", Fixture, NULL, sbt_fixture_set_up,
              test_foreign_currency, sbt_fixture_tear_down);
  g_test_add ("/statistics/empty", Fixture, NULL, sbt_fixture_set_up, test_empty,
              sbt_fixture_tear_down);
  return g_test_run ();
}
