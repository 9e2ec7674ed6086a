/* test-posting.c: shipping and invoicing orders, fully and in parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-test-books.h"

static SbLedgerEntry *
invoice_entry (Fixture *f, const char *invoice)
{
  g_autoptr (GError) error = NULL;
  SbLedgerEntry *e = sb_ledger_find_invoice_entry (f->store, invoice, &error);

  g_assert_no_error (error);
  return e;
}

static SbDecimal
inventory_of (Fixture *f, const char *no)
{
  g_autoptr (SbItem) item = sb_code_record_lookup (f->store, &sb_item_record_type, no, NULL);

  return item->inventory;
}

static void
test_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *invoice_no = NULL;
  g_autoptr (SbPostedInvoice) invoice = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (SbLedgerEntry) entry = NULL;
  g_autoptr (GPtrArray) orders = NULL;
  SbPostedInvoiceLine *l;

  /* 2 × 90.00 (RETAIL) = 180.00 + 25 % = 225.00; 1.5 h × 80 = 120.00 +
   * 25 % = 150.00; a comment attached to the first line. */
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "2", NULL, NULL, "25");
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_RESOURCE, "R1", "1.5", NULL, NULL,
                "25");
  g_assert_true (
      sb_sales_document_add_comment (f->store, SB_SALES_DOC_ORDER, order, "Red", 10000, &error));
  g_assert_no_error (error);

  /* Posting an Open order releases it on the way. */
  invoice_no = sbt_post (f, order, NULL, 0);
  g_assert_cmpstr (invoice_no, ==, "PSI00001");

  invoice = sb_posted_invoice_get (f->store, invoice_no, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (invoice->order_no, ==, order);
  g_assert_cmpstr (invoice->sell_to_customer_no, ==, "C1");
  g_assert_cmpstr (invoice->bill_to_name, ==, "Alpha Bikes");
  g_assert_cmpstr (invoice->posting_date, ==, "2026-03-10");
  g_assert_cmpstr (invoice->shipment_date, ==, "2026-03-10");
  g_assert_cmpstr (invoice->due_date, ==, "2026-04-09"); /* + 30 days */
  sbt_assert_amount (invoice->amount, "300.00");
  sbt_assert_amount (invoice->amount_including_vat, "375.00");

  lines = sb_posted_invoice_get_lines (f->store, invoice_no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 3);
  l = lines->pdata[0];
  g_assert_cmpint (l->line_no, ==, 10000);
  g_assert_cmpint (l->order_line_no, ==, 10000);
  g_assert_cmpstr (l->no, ==, "I1");
  sbt_assert_amount (l->quantity, "2.00");
  sbt_assert_amount (l->amount_including_vat, "225.00");
  l = lines->pdata[1];
  g_assert_cmpstr (l->no, ==, "R1");
  sbt_assert_amount (l->amount, "120.00");
  l = lines->pdata[2];
  g_assert_cmpint (l->type, ==, SB_SALES_LINE_COMMENT);
  g_assert_cmpstr (l->description, ==, "Red");
  g_assert_cmpint (l->attached_to_line_no, ==, 10000);

  entry = invoice_entry (f, invoice_no);
  g_assert_cmpstr (entry->customer_no, ==, "C1");
  g_assert_cmpint (entry->document_type, ==, SB_LEDGER_DOC_INVOICE);
  g_assert_cmpstr (entry->due_date, ==, "2026-04-09");
  sbt_assert_amount (entry->amount, "375.00");
  sbt_assert_amount (entry->amount_lcy, "375.00");
  sbt_assert_amount (entry->remaining_amount, "375.00");
  g_assert_true (entry->open);

  sbt_assert_amount (inventory_of (f, "I1"), "8.00");

  /* Shipped and invoiced in full: no longer an open order. */
  g_assert_null (sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  orders = sb_sales_document_list (f->store, SB_SALES_DOC_ORDER, NULL, NULL, &error);
  g_assert_cmpuint (orders->len, ==, 0);
}

static void
test_partial (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *inv1 = NULL;
  g_autofree char *inv2 = NULL;
  g_autofree char *inv3 = NULL;
  g_autoptr (SbPostedInvoice) i1 = NULL;
  g_autoptr (SbPostedInvoice) i2 = NULL;
  g_autoptr (SbPostedInvoice) i3 = NULL;
  g_autoptr (SbSalesLine) line = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_autoptr (SbLedgerEntry) e3 = NULL;
  const SbPostingQuantity first[] = { { 10000, sbt_dec ("1") } };
  const SbPostingQuantity second[] = { { 10000, sbt_dec ("1") }, { 20000, sbt_dec ("1") } };

  /* 3 × 3.33 = 9.99, VAT 25 % = 2.4975 → 2.50: 12.49.  A service at 50.00
   * without VAT. */
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "3", "3.33", NULL, "25");
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", NULL, NULL, NULL);

  /* One of three: 3.33 and VAT 0.8325 → 0.83 = 4.16. */
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-03-11", TRUE);
  inv1 = sbt_post (f, order, first, G_N_ELEMENTS (first));
  i1 = sb_posted_invoice_get (f->store, inv1, NULL);
  sbt_assert_amount (i1->amount, "3.33");
  sbt_assert_amount (i1->amount_including_vat, "4.16");
  line = sbt_get_line (f, SB_SALES_DOC_ORDER, order, 10000);
  sbt_assert_amount (line->quantity_shipped, "1.00");
  sbt_assert_amount (line->quantity_invoiced, "1.00");
  header = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header->last_shipment_date, ==, "2026-03-11");
  g_assert_cmpint (header->status, ==, SB_SALES_STATUS_RELEASED);
  sbt_assert_amount (inventory_of (f, "I1"), "9.00");

  /* Another one and the whole service line: 4.16 + 50.00. */
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-03-12", TRUE);
  inv2 = sbt_post (f, order, second, G_N_ELEMENTS (second));
  i2 = sb_posted_invoice_get (f->store, inv2, NULL);
  sbt_assert_amount (i2->amount, "53.33");
  sbt_assert_amount (i2->amount_including_vat, "54.16");
  g_clear_pointer (&header, sb_sales_header_free);
  header = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (header->last_shipment_date, ==, "2026-03-12");

  /* The rest takes what is left so the three add up to the line:
   * 9.99 − 6.66 = 3.33 and 12.49 − 8.32 = 4.17. */
  inv3 = sbt_post (f, order, NULL, 0);
  g_assert_cmpstr (inv3, ==, "PSI00003");
  i3 = sb_posted_invoice_get (f->store, inv3, NULL);
  sbt_assert_amount (i3->amount, "3.33");
  sbt_assert_amount (i3->amount_including_vat, "4.17");
  e3 = invoice_entry (f, inv3);
  sbt_assert_amount (e3->amount, "4.17");
  sbt_assert_amount (inventory_of (f, "I1"), "7.00");
  sbt_assert_amount (inventory_of (f, "I2"), "0.00"); /* a service has no stock */
  g_assert_null (sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
assert_refused (Fixture *f, const char *order, const SbPostingQuantity *q, guint n, int code,
                const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *invoice = sb_posting_post_order (f->store, order, q, n, &error);

  g_assert_null (invoice);
  g_assert_error (error, SB_CORE_ERROR, code);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *empty = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C3");
  g_autofree char *invoice = NULL;
  g_autoptr (SbCustomer) c3 = NULL;
  g_autoptr (SbItem) i1 = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_autoptr (GPtrArray) invoices = NULL;
  const SbPostingQuantity too_many[] = { { 10000, sbt_dec ("4") } };
  const SbPostingQuantity negative[] = { { 10000, sbt_dec ("-1") } };
  const SbPostingQuantity unknown[] = { { 30000, sbt_dec ("1") } };
  const SbPostingQuantity zero[] = { { 10000, 0 } };

  assert_refused (f, empty, NULL, 0, SB_CORE_ERROR_WRONG_STATE, "nothing to post");
  assert_refused (f, "SO99999", NULL, 0, SB_CORE_ERROR_NOT_FOUND, "SO99999");

  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "3", "10", NULL, NULL);
  assert_refused (f, order, too_many, 1, SB_CORE_ERROR_INVALID, "only 3 is still outstanding");
  assert_refused (f, order, negative, 1, SB_CORE_ERROR_INVALID, "negative");
  assert_refused (f, order, unknown, 1, SB_CORE_ERROR_NOT_FOUND, "30000");
  assert_refused (f, order, zero, 1, SB_CORE_ERROR_WRONG_STATE, "nothing to post");

  c3 = sb_customer_lookup (f->store, "C3", NULL);
  c3->blocked = TRUE;
  g_assert_true (sb_customer_update (f->store, c3, NULL));
  assert_refused (f, order, NULL, 0, SB_CORE_ERROR_WRONG_STATE, "blocked");

  /* Nothing of the refused postings stayed: no invoice, no number used,
   * the order still Open with nothing shipped, the stock untouched. */
  invoices = sb_posted_invoice_list (f->store, NULL, NULL, &error);
  g_assert_cmpuint (invoices->len, ==, 0);
  header = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_cmpint (header->status, ==, SB_SALES_STATUS_OPEN);
  sbt_assert_amount (inventory_of (f, "I1"), "10.00");
  c3->blocked = FALSE;
  g_assert_true (sb_customer_update (f->store, c3, NULL));

  /* An item blocked after it was put on the order is refused too. */
  i1 = sb_code_record_lookup (f->store, &sb_item_record_type, "I1", NULL);
  i1->blocked = TRUE;
  g_assert_true (sb_record_update (f->store, &sb_item_record_type, i1, NULL));
  assert_refused (f, order, NULL, 0, SB_CORE_ERROR_WRONG_STATE, "item I1 is blocked");
  i1->blocked = FALSE;
  g_assert_true (sb_record_update (f->store, &sb_item_record_type, i1, NULL));

  invoice = sbt_post (f, order, too_many, 0);
  g_assert_cmpstr (invoice, ==, "PSI00001");
}

static void
test_foreign_currency (Fixture *f, gconstpointer data)
{
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *invoice_no = NULL;
  g_autoptr (SbPostedInvoice) invoice = NULL;
  g_autoptr (SbLedgerEntry) entry = NULL;

  /* 2 × 62.50 USD = 125.00 USD, + 10 % = 137.50 USD; at 0.8: 110.00 EUR. */
  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "2", "62.50", NULL, "10");
  invoice_no = sbt_post (f, order, NULL, 0);
  invoice = sb_posted_invoice_get (f->store, invoice_no, NULL);
  g_assert_cmpstr (invoice->currency_code, ==, "USD");
  sbt_assert_amount (invoice->currency_factor, "0.80");
  sbt_assert_amount (invoice->amount_including_vat, "137.50");
  entry = invoice_entry (f, invoice_no);
  g_assert_cmpstr (entry->currency_code, ==, "USD");
  sbt_assert_amount (entry->amount, "137.50");
  sbt_assert_amount (entry->amount_lcy, "110.00");
  sbt_assert_amount (entry->remaining_amount_lcy, "110.00");
  g_assert_cmpstr (entry->due_date, ==, "2026-03-10"); /* no payment terms */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/posting/full", Fixture, NULL, sbt_fixture_set_up, test_full, sbt_fixture_tear_down);
  g_test_add ("/posting/partial", Fixture, NULL, sbt_fixture_set_up, test_partial,
              sbt_fixture_tear_down);
  g_test_add ("/posting/refusals", Fixture, NULL, sbt_fixture_set_up, test_refusals,
              sbt_fixture_tear_down);
  g_test_add ("/posting/foreign-currency", Fixture, NULL, sbt_fixture_set_up, test_foreign_currency,
              sbt_fixture_tear_down);
  return g_test_run ();
}
