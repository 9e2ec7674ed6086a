/* test-statistics.c: customer statistics computed from the books
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-posting.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-statistics.h"
#include "sb-test-util.h"

/* The books every test starts from: local currency EUR; USD at 0.8 EUR;
 * payment terms 30D; customer C1 (price group RETAIL, 30D), C2 (USD),
 * C3 (no price group); items I1 (inventory, 100.00, 10 in stock, RETAIL
 * price 90.00), I2 (service, 50.00); resource R1 (80.00 per hour). */
typedef struct
{
  char *dir;
  SbStore *store;
} Fixture;

G_GNUC_UNUSED static void
set (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

G_GNUC_UNUSED static SbDecimal
dec (const char *text)
{
  SbDecimal value = 0;

  g_assert_true (sb_decimal_parse (text, &value, NULL));
  return value;
}

G_GNUC_UNUSED static void
insert (SbStore *store, const SbRecordType *type, gpointer record)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_record_insert (store, type, record, &error));
  g_assert_no_error (error);
  sb_record_free (type, record);
}

G_GNUC_UNUSED static void
add_customer (SbStore *store, const char *no, const char *name, const char *currency,
              const char *price_group, const char *terms)
{
  SbCustomer *c = sb_customer_new ();

  set (&c->no, no);
  set (&c->name, name);
  set (&c->address, "Main Street 1");
  set (&c->city, "Springfield");
  set (&c->post_code, "12345");
  set (&c->currency_code, currency);
  set (&c->price_group_code, price_group);
  set (&c->payment_terms_code, terms);
  c->credit_limit = dec ("1000");
  insert (store, &sb_customer_record_type, c);
}

G_GNUC_UNUSED static void
add_item (SbStore *store, const char *no, const char *description, const char *price,
          SbItemType type, const char *inventory)
{
  SbItem *i = sb_item_new ();

  set (&i->no, no);
  set (&i->description, description);
  set (&i->base_unit_code, "PCS");
  i->unit_price = dec (price);
  i->inventory = dec (inventory);
  i->type = type;
  insert (store, &sb_item_record_type, i);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  SbUnitOfMeasure *unit;
  SbPaymentTerms *terms;
  SbCurrency *usd;
  SbCustomerPriceGroup *group;
  SbResource *r;
  SbSalesPrice *p;

  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-03-10", TRUE);
  f->dir = sb_test_tmpdir_new ();
  f->store = sb_test_open_store (f->dir, "books.sbdb");

  unit = sb_unit_of_measure_new ();
  set (&unit->code, "PCS");
  insert (f->store, &sb_unit_of_measure_record_type, unit);
  unit = sb_unit_of_measure_new ();
  set (&unit->code, "HOUR");
  insert (f->store, &sb_unit_of_measure_record_type, unit);
  terms = sb_payment_terms_new ();
  set (&terms->code, "30D");
  terms->due_days = 30;
  insert (f->store, &sb_payment_terms_record_type, terms);
  usd = sb_currency_new ();
  set (&usd->code, "USD");
  usd->exchange_rate = dec ("0.8");
  insert (f->store, &sb_currency_record_type, usd);
  group = sb_customer_price_group_new ();
  set (&group->code, "RETAIL");
  insert (f->store, &sb_customer_price_group_record_type, group);

  add_customer (f->store, "C1", "Alpha Bikes", NULL, "RETAIL", "30D");
  add_customer (f->store, "C2", "Bravo Inc.", "USD", NULL, NULL);
  add_customer (f->store, "C3", "Charlie AB", NULL, NULL, NULL);
  add_item (f->store, "I1", "Bicycle", "100", SB_ITEM_TYPE_INVENTORY, "10");
  add_item (f->store, "I2", "Assembly service", "50", SB_ITEM_TYPE_SERVICE, "0");

  r = sb_resource_new ();
  set (&r->no, "R1");
  set (&r->name, "Installer");
  set (&r->base_unit_code, "HOUR");
  r->unit_price = dec ("80");
  insert (f->store, &sb_resource_record_type, r);

  p = sb_sales_price_new ();
  set (&p->item_no, "I1");
  set (&p->price_group_code, "RETAIL");
  set (&p->currency_code, "");
  set (&p->unit_code, "PCS");
  p->unit_price = dec ("90");
  insert (f->store, &sb_sales_price_record_type, p);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  sb_test_tmpdir_free (g_steal_pointer (&f->dir));
}

/* A new document for @customer; returns its number. */
G_GNUC_UNUSED static char *
create_document (Fixture *f, SbSalesDocType type, const char *customer)
{
  g_autoptr (SbSalesHeader) h = sb_sales_header_new ();
  g_autoptr (GError) error = NULL;

  h->doc_type = type;
  set (&h->sell_to_customer_no, customer);
  g_assert_true (sb_sales_document_create (f->store, h, &error));
  g_assert_no_error (error);
  return g_strdup (h->no);
}

/* Adds a line; @price NULL looks the price up.  Returns its line no. */
G_GNUC_UNUSED static gint64
add_line (Fixture *f, SbSalesDocType type, const char *doc_no, SbSalesLineType line_type,
          const char *no, const char *quantity, const char *price, const char *discount,
          const char *vat)
{
  g_autoptr (SbSalesLine) l = sb_sales_line_new ();
  g_autoptr (GError) error = NULL;

  l->doc_type = type;
  set (&l->doc_no, doc_no);
  l->type = line_type;
  set (&l->no, no);
  l->quantity = dec (quantity);
  if (price != NULL)
    l->unit_price = dec (price);
  l->line_discount_amount = discount != NULL ? dec (discount) : 0;
  l->vat_pct = vat != NULL ? dec (vat) : 0;
  g_assert_true (sb_sales_document_add_line (f->store, l, price != NULL, &error));
  g_assert_no_error (error);
  return l->line_no;
}

G_GNUC_UNUSED static SbSalesLine *
get_line (Fixture *f, SbSalesDocType type, const char *doc_no, gint64 line_no)
{
  g_autoptr (GPtrArray) lines = sb_sales_document_get_lines (f->store, type, doc_no, NULL);

  g_assert_nonnull (lines);
  for (guint i = 0; i < lines->len; i++)
    {
      SbSalesLine *l = g_ptr_array_index (lines, i);
      if (l->line_no == line_no)
        return sb_sales_line_copy (l);
    }
  g_assert_not_reached ();
}

G_GNUC_UNUSED static void
assert_amount (SbDecimal value, const char *expected)
{
  g_autofree char *text = sb_decimal_to_string (value, 2);

  g_assert_cmpstr (text, ==, expected);
}

/* Posts @order (all outstanding when @n is 0) and returns the invoice no. */
G_GNUC_UNUSED static char *
post (Fixture *f, const char *order, const SbPostingQuantity *q, guint n)
{
  g_autoptr (GError) error = NULL;
  char *invoice = sb_posting_post_order (f->store, order, q, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  return invoice;
}
static char *
post_on (Fixture *f, const char *date, const char *order, const SbPostingQuantity *q, guint n)
{
  g_setenv ("SALESBRIDGE_WORK_DATE", date, TRUE);
  return post (f, order, q, n);
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
  g_autofree char *order_a = create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order_b = create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order_c = create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *inv_a = NULL;
  g_autofree char *inv_b = NULL;
  g_autofree char *inv_c = NULL;
  g_autofree char *payment = NULL;
  g_autoptr (SbCustomerStatistics) august = NULL;
  g_autoptr (SbCustomerStatistics) june = NULL;
  const SbPostingQuantity one[] = { { 10000, dec ("1") } };

  /* The fiscal year runs July to June. */
  setup->fiscal_year_start_month = 7;
  g_assert_true (sb_general_setup_update (f->store, setup, NULL));

  /* A: 100.00 + 25 % = 125.00 on 2026-06-20, due 2026-07-20.
   * B: 200.00 + 25 % = 250.00 on 2026-07-05, due 2026-08-04.
   * C: one of four at 10.00 + 25 %: 12.50 on 2026-07-10, due 2026-08-09;
   *    three stay on the order: 37.50 incl. VAT. */
  add_line (f, SB_SALES_DOC_ORDER, order_a, SB_SALES_LINE_ITEM, "I2", "1", "100", NULL, "25");
  add_line (f, SB_SALES_DOC_ORDER, order_b, SB_SALES_LINE_ITEM, "I2", "2", "100", NULL, "25");
  add_line (f, SB_SALES_DOC_ORDER, order_c, SB_SALES_LINE_ITEM, "I2", "4", "10", NULL, "25");
  inv_a = post_on (f, "2026-06-20", order_a, NULL, 0);
  inv_b = post_on (f, "2026-07-05", order_b, NULL, 0);
  inv_c = post_on (f, "2026-07-10", order_c, one, 1);
  {
    const char *apply[] = { inv_a, NULL };
    /* 50 of A paid: 75.00 left. */
    payment = sb_ledger_register_payment (f->store, "C1", dec ("50"), apply, "2026-07-15", &error);
    g_assert_no_error (error);
  }

  august = stats_of (f, "C1", "2026-08-05");
  g_assert_cmpstr (august->as_of_date, ==, "2026-08-05");
  assert_amount (august->balance_lcy, "337.50");            /* 75 + 250 + 12.50 */
  assert_amount (august->outstanding_orders_lcy, "37.50");  /* 3 × 12.50 */
  assert_amount (august->shipped_not_invoiced_lcy, "0.00"); /* posting does both */
  assert_amount (august->outstanding_invoices_lcy, "0.00");
  assert_amount (august->total_lcy, "375.00");
  assert_amount (august->credit_limit_lcy, "1000.00");
  assert_amount (august->overdue_amounts_lcy, "325.00"); /* A 75 + B 250; C not due */
  g_assert_cmpstr (august->fiscal_year_start, ==, "2026-07-01");
  g_assert_cmpstr (august->fiscal_year_end, ==, "2027-06-30");
  assert_amount (august->total_sales_lcy, "210.00"); /* B 200 + C 10, excl. VAT */
  assert_amount (august->invoiced_prepayment_amount_lcy, "0.00");

  /* Across the year boundary: only A belongs to the year before. */
  june = stats_of (f, "C1", "2026-06-25");
  g_assert_cmpstr (june->fiscal_year_start, ==, "2025-07-01");
  g_assert_cmpstr (june->fiscal_year_end, ==, "2026-06-30");
  assert_amount (june->total_sales_lcy, "100.00");
  assert_amount (june->overdue_amounts_lcy, "0.00");
}

static void
test_foreign_currency (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *open_order = create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *invoice = NULL;
  g_autoptr (SbCustomerStatistics) s = NULL;

  /* Invoiced 150 USD + 10 % = 165 USD = 132 EUR (120 EUR excl. VAT);
   * on order 2 × 12.50 USD = 25 USD = 20 EUR. */
  add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", "150", NULL, "10");
  add_line (f, SB_SALES_DOC_ORDER, open_order, SB_SALES_LINE_ITEM, "I2", "2", "12.50", NULL, NULL);
  invoice = post_on (f, "2026-02-01", order, NULL, 0);

  s = stats_of (f, "C2", "2026-03-01");
  assert_amount (s->balance_lcy, "132.00");
  assert_amount (s->outstanding_orders_lcy, "20.00");
  assert_amount (s->total_lcy, "152.00");
  assert_amount (s->overdue_amounts_lcy, "132.00"); /* due on posting */
  assert_amount (s->total_sales_lcy, "120.00");
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
  assert_amount (s->balance_lcy, "0.00");
  assert_amount (s->total_lcy, "0.00");
  assert_amount (s->credit_limit_lcy, "1000.00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/statistics/figures", Fixture, NULL, fixture_set_up, test_figures,
              fixture_tear_down);
  g_test_add ("/statistics/foreign-currency", Fixture, NULL, fixture_set_up, test_foreign_currency,
              fixture_tear_down);
  g_test_add ("/statistics/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  return g_test_run ();
}
