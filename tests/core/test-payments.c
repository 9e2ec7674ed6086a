/* test-payments.c: payments applied to invoices, fully, partly and beyond
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-test-books.h"

/* Posts an order of one I2 line at @price (no VAT) for @customer. */
static char *
invoice_of (Fixture *f, const char *customer, const char *price)
{
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, customer);

  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", price, NULL, NULL);
  return sbt_post (f, order, NULL, 0);
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

  sbt_assert_amount (e->amount, amount);
  sbt_assert_amount (e->remaining_amount, remaining);
  sbt_assert_amount (e->remaining_amount_lcy, remaining);
  g_assert_cmpint (e->open, ==, open);
}

static char *
pay (Fixture *f, const char *customer, const char *amount, const char *const *invoices)
{
  g_autoptr (GError) error = NULL;
  char *no =
      sb_ledger_register_payment (f->store, customer, sbt_dec (amount), invoices, NULL, &error);

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
  sbt_assert_amount (payment->amount_lcy, "-100.00");
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

  no = sb_ledger_register_payment (f->store, "C1", sbt_dec ("150"), other, NULL, &error);
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
  g_assert_null (sb_ledger_register_payment (f->store, "C1", sbt_dec ("-5"), NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (sb_ledger_register_payment (f->store, "C1", sbt_dec ("5"), missing, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sb_ledger_register_payment (f->store, "NOPE", sbt_dec ("5"), NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* 100 pays the first invoice and nothing is left for the second. */
  g_assert_null (
      sb_ledger_register_payment (f->store, "C1", sbt_dec ("100"), used_up, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "used up"));
  g_clear_error (&error);
  /* Naming an invoice twice: the second time it is paid already. */
  g_assert_null (sb_ledger_register_payment (f->store, "C1", sbt_dec ("150"), twice, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);

  /* None of the refused payments used a number. */
  paid = pay (f, "C1", "100", closed);
  g_assert_cmpstr (paid, ==, "PAY00001");
  g_assert_null (sb_ledger_register_payment (f->store, "C1", sbt_dec ("5"), closed, NULL, &error));
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
  p = sb_ledger_register_payment (f->store, "C2", sbt_dec ("30"), apply, "2026-03-20", NULL);
  invoice = entry_of (f, inv);
  payment = entry_of (f, p);
  sbt_assert_amount (invoice->amount_lcy, "80.00");
  sbt_assert_amount (invoice->remaining_amount, "70.00");
  sbt_assert_amount (invoice->remaining_amount_lcy, "56.00");
  g_assert_cmpstr (payment->currency_code, ==, "USD");
  g_assert_cmpstr (payment->posting_date, ==, "2026-03-20");
  sbt_assert_amount (payment->amount_lcy, "-24.00");
  sbt_assert_amount (payment->remaining_amount_lcy, "0.00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/payments/partial", Fixture, NULL, sbt_fixture_set_up, test_partial,
              sbt_fixture_tear_down);
  g_test_add ("/payments/two-invoices", Fixture, NULL, sbt_fixture_set_up, test_two_invoices,
              sbt_fixture_tear_down);
  g_test_add ("/payments/overpayment", Fixture, NULL, sbt_fixture_set_up, test_overpayment,
              sbt_fixture_tear_down);
  g_test_add ("/payments/refusals", Fixture, NULL, sbt_fixture_set_up, test_refusals,
              sbt_fixture_tear_down);
  g_test_add ("/payments/foreign-currency", Fixture, NULL, sbt_fixture_set_up,
              test_foreign_currency, sbt_fixture_tear_down);
  return g_test_run ();
}
