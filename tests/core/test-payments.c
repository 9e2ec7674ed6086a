/* test-payments.c: payments applied to invoices, fully, partly and beyond
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
/* Posts an order of one I2 line at @price (no VAT) for @customer. */
static char *
invoice_of (Fixture *f, const char *customer, const char *price)
{
  g_autofree char *order = create_document (f, SB_SALES_DOC_ORDER, customer);

  add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", price, NULL, NULL);
  return post (f, order, NULL, 0);
}

static SbLedgerEntry *
entry_of (Fixture *f, const char *document_no)
{
  g_autoptr (GPtrArray) entries = NULL;
  const char *params[] = { document_no, NULL };

  entries =
      sb_record_list (f->store, &sb_ledger_entry_record_type, "document_no = ?1", params, NULL);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

static void
assert_entry (Fixture *f, const char *document_no, const char *amount, const char *remaining,
              gboolean open)
{
  g_autoptr (SbLedgerEntry) e = entry_of (f, document_no);

  assert_amount (e->amount, amount);
  assert_amount (e->remaining_amount, remaining);
  assert_amount (e->remaining_amount_lcy, remaining);
  g_assert_cmpint (e->open, ==, open);
}

static char *
pay (Fixture *f, const char *customer, const char *amount, const char *const *invoices)
{
  g_autoptr (GError) error = NULL;
  char *no = sb_ledger_register_payment (f->store, customer, dec (amount), invoices, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (no);
  return no;
}

static void
test_partial (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invoice_of (f, "C1", "375");
  const char *apply[] = { inv, NULL };
  g_autofree char *p1 = pay (f, "C1", "100", apply);
  g_autofree char *p2 = NULL;
  g_autoptr (SbLedgerEntry) payment = entry_of (f, p1);
  g_autoptr (GPtrArray) open = NULL;

  g_assert_cmpstr (p1, ==, "PAY00001");
  g_assert_cmpint (payment->document_type, ==, SB_LEDGER_DOC_PAYMENT);
  g_assert_cmpstr (payment->posting_date, ==, "2026-03-10");
  assert_amount (payment->amount_lcy, "-100.00");
  assert_entry (f, p1, "-100.00", "0.00", FALSE);
  assert_entry (f, inv, "375.00", "275.00", TRUE);

  /* The rest, exactly: both closed. */
  p2 = pay (f, "C1", "275", apply);
  assert_entry (f, p2, "-275.00", "0.00", FALSE);
  assert_entry (f, inv, "375.00", "0.00", FALSE);
  open = sb_ledger_list_entries (f->store, "C1", TRUE, NULL);
  g_assert_cmpuint (open->len, ==, 0);
}

static void
test_two_invoices (Fixture *f, gconstpointer data)
{
  g_autofree char *a = invoice_of (f, "C1", "375");
  g_autofree char *b = invoice_of (f, "C1", "100");
  const char *apply[] = { a, b, NULL };
  /* 400 pays all of the first (375) and 25 of the second. */
  g_autofree char *p = pay (f, "C1", "400", apply);
  g_autoptr (GPtrArray) all = sb_ledger_list_entries (f->store, "C1", FALSE, NULL);
  g_autoptr (GPtrArray) open = sb_ledger_list_entries (f->store, "C1", TRUE, NULL);

  assert_entry (f, a, "375.00", "0.00", FALSE);
  assert_entry (f, b, "100.00", "75.00", TRUE);
  assert_entry (f, p, "-400.00", "0.00", FALSE);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpstr (((SbLedgerEntry *) open->pdata[0])->document_no, ==, b);
}

static void
test_overpayment (Fixture *f, gconstpointer data)
{
  g_autofree char *a = invoice_of (f, "C1", "375");
  g_autofree char *b = invoice_of (f, "C1", "100");
  const char *apply[] = { a, b, NULL };
  g_autofree char *p = pay (f, "C1", "500", apply);
  g_autofree char *unapplied = pay (f, "C1", "10", NULL);
  g_autoptr (GPtrArray) open = sb_ledger_list_entries (f->store, "C1", TRUE, NULL);

  /* 500 − 475 = 25 stays open as a credit. */
  assert_entry (f, a, "375.00", "0.00", FALSE);
  assert_entry (f, b, "100.00", "0.00", FALSE);
  assert_entry (f, p, "-500.00", "-25.00", TRUE);
  assert_entry (f, unapplied, "-10.00", "-10.00", TRUE);
  g_assert_cmpuint (open->len, ==, 2);
}

static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *mine = invoice_of (f, "C1", "100");
  g_autofree char *theirs = invoice_of (f, "C3", "100");
  g_autofree char *mine2 = invoice_of (f, "C1", "20");
  g_autofree char *paid = NULL;
  g_autofree char *no = NULL;
  const char *other[] = { mine, theirs, NULL };
  const char *closed[] = { mine, NULL };
  const char *missing[] = { "PSI99999", NULL };
  const char *used_up[] = { mine, mine2, NULL };
  const char *twice[] = { mine, mine, NULL };
  g_autoptr (GPtrArray) all = NULL;

  no = sb_ledger_register_payment (f->store, "C1", dec ("150"), other, NULL, &error);
  g_assert_null (no);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, theirs));
  g_assert_nonnull (strstr (error->message, "C3"));
  g_clear_error (&error);
  /* One transaction: the part applied to the first invoice is undone. */
  assert_entry (f, mine, "100.00", "100.00", TRUE);
  all = sb_ledger_list_entries (f->store, "C1", FALSE, NULL);
  g_assert_cmpuint (all->len, ==, 2);

  g_assert_null (sb_ledger_register_payment (f->store, "C1", 0, NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sb_ledger_register_payment (f->store, "C1", dec ("-5"), NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sb_ledger_register_payment (f->store, "C1", dec ("5"), missing, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sb_ledger_register_payment (f->store, "NOPE", dec ("5"), NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* 100 pays the first invoice and nothing is left for the second. */
  g_assert_null (sb_ledger_register_payment (f->store, "C1", dec ("100"), used_up, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "used up"));
  g_clear_error (&error);
  /* Naming an invoice twice: the second time it is paid already. */
  g_assert_null (sb_ledger_register_payment (f->store, "C1", dec ("150"), twice, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);

  /* None of the refused payments used a number. */
  paid = pay (f, "C1", "100", closed);
  g_assert_cmpstr (paid, ==, "PAY00001");
  g_assert_null (sb_ledger_register_payment (f->store, "C1", dec ("5"), closed, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "paid in full"));
}

static void
test_foreign_currency (Fixture *f, gconstpointer data)
{
  g_autofree char *inv = invoice_of (f, "C2", "100");
  const char *apply[] = { inv, NULL };
  g_autofree char *p = NULL;
  g_autoptr (SbLedgerEntry) invoice = NULL;
  g_autoptr (SbLedgerEntry) payment = NULL;

  /* 100 USD at 0.8 = 80 EUR; paying 30 USD leaves 70 USD = 56 EUR. */
  p = sb_ledger_register_payment (f->store, "C2", dec ("30"), apply, "2026-03-20", NULL);
  invoice = entry_of (f, inv);
  payment = entry_of (f, p);
  assert_amount (invoice->amount_lcy, "80.00");
  assert_amount (invoice->remaining_amount, "70.00");
  assert_amount (invoice->remaining_amount_lcy, "56.00");
  g_assert_cmpstr (payment->currency_code, ==, "USD");
  g_assert_cmpstr (payment->posting_date, ==, "2026-03-20");
  assert_amount (payment->amount_lcy, "-24.00");
  assert_amount (payment->remaining_amount_lcy, "0.00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/payments/partial", Fixture, NULL, fixture_set_up, test_partial, fixture_tear_down);
  g_test_add ("/payments/two-invoices", Fixture, NULL, fixture_set_up, test_two_invoices,
              fixture_tear_down);
  g_test_add ("/payments/overpayment", Fixture, NULL, fixture_set_up, test_overpayment,
              fixture_tear_down);
  g_test_add ("/payments/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);
  g_test_add ("/payments/foreign-currency", Fixture, NULL, fixture_set_up, test_foreign_currency,
              fixture_tear_down);
  return g_test_run ();
}
