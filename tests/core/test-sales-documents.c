/* test-sales-documents.c: quotes and orders, their lines, release and archive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-test-books.h"

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *quote = sbt_create_document (f, SB_SALES_DOC_QUOTE, "C2");
  g_autoptr (SbSalesHeader) h = NULL;
  g_autoptr (SbSalesHeader) q = NULL;
  g_autoptr (SbSalesHeader) blocked = sb_sales_header_new ();
  g_autoptr (SbCustomer) c3 = NULL;

  g_assert_cmpstr (order, ==, "SO00001");
  g_assert_cmpstr (quote, ==, "SQ00001");
  h = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h->order_date, ==, "2026-03-10");
  g_assert_cmpstr (h->bill_to_name, ==, "Alpha Bikes");
  g_assert_cmpstr (h->ship_to_address, ==, "Main Street 1");
  g_assert_cmpstr (h->ship_to_city, ==, "Springfield");
  g_assert_cmpstr (h->payment_terms_code, ==, "30D");
  g_assert_cmpstr (h->currency_code, ==, "");
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_OPEN);
  q = sb_sales_document_get (f->store, SB_SALES_DOC_QUOTE, quote, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (q->currency_code, ==, "USD");
  /* An order and a quote are different documents even with one number. */
  g_assert_null (sb_sales_document_get (f->store, SB_SALES_DOC_QUOTE, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  c3 = sb_customer_lookup (f->store, "C3", NULL);
  c3->blocked = TRUE;
  g_assert_true (sb_customer_update (f->store, c3, NULL));
  blocked->doc_type = SB_SALES_DOC_ORDER;
  sbt_set (&blocked->sell_to_customer_no, "C3");
  g_assert_false (sb_sales_document_create (f->store, blocked, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "C3"));
  g_clear_error (&error);
  /* The refused order did not use up a number. */
  g_clear_pointer (&order, g_free);
  order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_assert_cmpstr (order, ==, "SO00002");

  sbt_set (&blocked->sell_to_customer_no, "NOPE");
  g_assert_false (sb_sales_document_create (f->store, blocked, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_amounts (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *c3_order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C3");
  g_autofree char *usd_order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autoptr (SbSalesLine) l1 = NULL;
  g_autoptr (SbSalesLine) l2 = NULL;
  g_autoptr (SbSalesLine) l3 = NULL;
  g_autoptr (SbSalesLine) l4 = NULL;
  g_autoptr (SbSalesLine) bad = sb_sales_line_new ();
  g_autoptr (SbItem) i2 = NULL;
  SbSalesTotals totals;
  gint64 n;

  /* 3 × 19.99 − 1.50 = 58.47; VAT 25 % = 14.6175 → 14.62. */
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "3", "19.99", "1.50",
                    "25");
  g_assert_cmpint (n, ==, 10000);
  l1 = sbt_get_line (f, SB_SALES_DOC_ORDER, order, n);
  sbt_assert_amount (l1->amount, "58.47");
  sbt_assert_amount (l1->amount_including_vat, "73.09");
  g_assert_cmpstr (l1->description, ==, "Bicycle");
  g_assert_cmpstr (l1->unit_code, ==, "PCS");

  /* 0.02 × 25 % = 0.005: half a cent rounds away from zero. */
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I2", "1", "0.02", NULL,
                    "25");
  g_assert_cmpint (n, ==, 20000);
  l2 = sbt_get_line (f, SB_SALES_DOC_ORDER, order, n);
  sbt_assert_amount (l2->amount_including_vat, "0.03");

  /* Looked-up prices: the RETAIL price for C1, the item's price for C3,
   * the resource's with its name and unit, and 100.00 EUR / 0.8 in USD. */
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "2", NULL, NULL, "25");
  l3 = sbt_get_line (f, SB_SALES_DOC_ORDER, order, n);
  sbt_assert_amount (l3->unit_price, "90.00");
  sbt_assert_amount (l3->amount, "180.00");
  sbt_assert_amount (l3->amount_including_vat, "225.00");
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_RESOURCE, "R1", "1.5", NULL, NULL,
                    "25");
  l4 = sbt_get_line (f, SB_SALES_DOC_ORDER, order, n);
  g_assert_cmpstr (l4->description, ==, "Installer");
  g_assert_cmpstr (l4->unit_code, ==, "HOUR");
  sbt_assert_amount (l4->amount, "120.00");
  g_clear_pointer (&l4, sb_sales_line_free);
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, c3_order, SB_SALES_LINE_ITEM, "I1", "1", NULL, NULL,
                    NULL);
  l4 = sbt_get_line (f, SB_SALES_DOC_ORDER, c3_order, n);
  sbt_assert_amount (l4->unit_price, "100.00");
  g_clear_pointer (&l4, sb_sales_line_free);
  n = sbt_add_line (f, SB_SALES_DOC_ORDER, usd_order, SB_SALES_LINE_ITEM, "I1", "1", NULL, NULL,
                    NULL);
  l4 = sbt_get_line (f, SB_SALES_DOC_ORDER, usd_order, n);
  sbt_assert_amount (l4->unit_price, "125.00");

  /* 58.47 + 0.02 + 180 + 120 = 358.49; 73.09 + 0.03 + 225 + 150 = 448.12. */
  g_assert_true (
      sb_sales_document_get_totals (f->store, SB_SALES_DOC_ORDER, order, &totals, &error));
  g_assert_no_error (error);
  sbt_assert_amount (totals.amount, "358.49");
  sbt_assert_amount (totals.amount_including_vat, "448.12");
  sbt_assert_amount (totals.vat_amount, "89.63");
  sbt_assert_amount (totals.line_discount_amount, "1.50");

  /* Refusals: a discount above the line, a blocked item, a missing item. */
  bad->doc_type = SB_SALES_DOC_ORDER;
  sbt_set (&bad->doc_no, order);
  bad->type = SB_SALES_LINE_ITEM;
  sbt_set (&bad->no, "I2");
  bad->quantity = sbt_dec ("1");
  bad->unit_price = sbt_dec ("5");
  bad->line_discount_amount = sbt_dec ("6");
  g_assert_false (sb_sales_document_add_line (f->store, bad, TRUE, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  bad->line_no = 0;
  bad->line_discount_amount = 0;
  bad->quantity = sbt_dec ("-1");
  g_assert_false (sb_sales_document_add_line (f->store, bad, TRUE, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  bad->line_no = 0;
  bad->quantity = sbt_dec ("1");
  i2 = sb_code_record_lookup (f->store, &sb_item_record_type, "I2", NULL);
  i2->blocked = TRUE;
  g_assert_true (sb_record_update (f->store, &sb_item_record_type, i2, NULL));
  g_assert_false (sb_sales_document_add_line (f->store, bad, TRUE, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "I2"));
  g_clear_error (&error);
  bad->line_no = 0;
  sbt_set (&bad->no, "NOPE");
  g_assert_false (sb_sales_document_add_line (f->store, bad, TRUE, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_split_description (void)
{
  g_auto (GStrv) none = sb_sales_split_description ("   ", 10);
  g_auto (GStrv) one = sb_sales_split_description ("short", 10);
  g_auto (GStrv) words = sb_sales_split_description ("alpha beta gamma delta", 10);
  g_auto (GStrv) exact = sb_sales_split_description ("abcde fghij", 5);
  g_auto (GStrv) long_word = sb_sales_split_description ("abcdefghijkl mn", 5);
  g_auto (GStrv) utf8 = sb_sales_split_description ("åäö åäö\nåäö", 7);

  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (one), ==, 1);
  g_assert_cmpstr (words[0], ==, "alpha beta");
  g_assert_cmpstr (words[1], ==, "gamma");
  g_assert_cmpstr (words[2], ==, "delta");
  g_assert_null (words[3]);
  g_assert_cmpstr (exact[0], ==, "abcde");
  g_assert_cmpstr (exact[1], ==, "fghij");
  g_assert_null (exact[2]);
  g_assert_cmpstr (long_word[0], ==, "abcde");
  g_assert_cmpstr (long_word[1], ==, "fghij");
  g_assert_cmpstr (long_word[2], ==, "kl mn");
  g_assert_null (long_word[3]);
  g_assert_cmpstr (utf8[0], ==, "åäö åäö");
  g_assert_cmpstr (utf8[1], ==, "åäö");
}

static void
test_long_description (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autoptr (SbSalesLine) line = sb_sales_line_new ();
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) joined = g_string_new (NULL);

  /* 30 words of 7 characters and a space: 239 characters. */
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (text, "%sword%03u", i > 0 ? " " : "", i);
  g_assert_cmpuint (text->len, ==, 239);

  line->doc_type = SB_SALES_DOC_ORDER;
  sbt_set (&line->doc_no, order);
  line->type = SB_SALES_LINE_ITEM;
  sbt_set (&line->no, "I1");
  line->quantity = sbt_dec ("1");
  g_assert_true (sb_sales_document_add_line_long (f->store, line, FALSE, text->str, &error));
  g_assert_no_error (error);

  lines = sb_sales_document_get_lines (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_no_error (error);
  /* 12 words (95 characters) fit in 100, so 12 + 12 + 6. */
  g_assert_cmpuint (lines->len, ==, 3);
  for (guint i = 0; i < lines->len; i++)
    {
      SbSalesLine *l = g_ptr_array_index (lines, i);

      g_assert_cmpint (l->line_no, ==, (i + 1) * 10000);
      g_assert_cmpint (g_utf8_strlen (l->description, -1), <=, 100);
      g_assert_cmpint (l->type, ==, i == 0 ? SB_SALES_LINE_ITEM : SB_SALES_LINE_COMMENT);
      g_assert_cmpint (l->attached_to_line_no, ==, i == 0 ? 0 : 10000);
      g_string_append_printf (joined, "%s%s", i > 0 ? " " : "", l->description);
    }
  g_assert_cmpuint (strlen (((SbSalesLine *) lines->pdata[0])->description), ==, 95);
  sbt_assert_amount (((SbSalesLine *) lines->pdata[0])->amount, "90.00");
  g_assert_cmpstr (joined->str, ==, text->str);

  /* Deleting the line takes its comment lines with it. */
  g_assert_true (
      sb_sales_document_delete_line (f->store, SB_SALES_DOC_ORDER, order, 10000, &error));
  g_assert_no_error (error);
  g_clear_pointer (&lines, g_ptr_array_unref);
  lines = sb_sales_document_get_lines (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_cmpuint (lines->len, ==, 0);

  /* A plain comment line longer than 100 characters is refused. */
  g_assert_false (
      sb_sales_document_add_comment (f->store, SB_SALES_DOC_ORDER, order, text->str, 0, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
}

static void
test_release (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autoptr (SbSalesHeader) h = NULL;
  g_autoptr (SbSalesLine) l = NULL;

  /* Nothing to release yet. */
  g_assert_false (sb_sales_document_release (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);

  sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "1", "10", NULL, NULL);
  g_assert_true (sb_sales_document_release (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_no_error (error);
  /* Releasing twice is harmless. */
  g_assert_true (sb_sales_document_release (f->store, SB_SALES_DOC_ORDER, order, &error));
  h = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_RELEASED);

  /* Every edit is refused while released. */
  sbt_set (&h->your_reference, "changed");
  g_assert_false (sb_sales_document_update (f->store, h, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_assert_nonnull (strstr (error->message, "Reopen"));
  g_clear_error (&error);
  g_assert_false (
      sb_sales_document_add_comment (f->store, SB_SALES_DOC_ORDER, order, "note", 0, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);
  l = sbt_get_line (f, SB_SALES_DOC_ORDER, order, 10000);
  l->quantity = sbt_dec ("5");
  g_assert_false (sb_sales_document_update_line (f->store, l, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (
      sb_sales_document_delete_line (f->store, SB_SALES_DOC_ORDER, order, 10000, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (sb_sales_document_delete (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE);
  g_clear_error (&error);

  /* Reopened, the edits go through and amounts follow. */
  g_assert_true (sb_sales_document_reopen (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_no_error (error);
  g_assert_true (sb_sales_document_update (f->store, h, &error));
  g_assert_no_error (error);
  g_assert_cmpint (h->status, ==, SB_SALES_STATUS_OPEN);
  g_assert_true (sb_sales_document_update_line (f->store, l, &error));
  g_assert_no_error (error);
  sbt_assert_amount (l->amount, "50.00");
  g_clear_pointer (&h, sb_sales_header_free);
  h = sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error);
  g_assert_cmpstr (h->your_reference, ==, "changed");
  g_assert_true (sb_sales_document_delete (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_no_error (error);
  g_assert_null (sb_sales_document_get (f->store, SB_SALES_DOC_ORDER, order, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_archive (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *quote = sbt_create_document (f, SB_SALES_DOC_QUOTE, "C1");
  g_autoptr (GPtrArray) versions = NULL;
  g_autoptr (GPtrArray) v1_lines = NULL;
  g_autoptr (GPtrArray) v3_lines = NULL;
  g_autoptr (SbSalesHeaderArchive) v2 = NULL;
  g_autoptr (SbSalesHeader) h = NULL;

  sbt_add_line (f, SB_SALES_DOC_QUOTE, quote, SB_SALES_LINE_ITEM, "I1", "1", "10", NULL, NULL);
  g_assert_cmpint (sb_sales_document_archive (f->store, SB_SALES_DOC_QUOTE, quote, &error), ==, 1);
  g_assert_no_error (error);
  sbt_add_line (f, SB_SALES_DOC_QUOTE, quote, SB_SALES_LINE_ITEM, "I2", "2", "5", NULL, NULL);
  h = sb_sales_document_get (f->store, SB_SALES_DOC_QUOTE, quote, NULL);
  sbt_set (&h->your_reference, "rev 2");
  g_assert_true (sb_sales_document_update (f->store, h, &error));
  g_assert_cmpint (sb_sales_document_archive (f->store, SB_SALES_DOC_QUOTE, quote, &error), ==, 2);
  g_assert_true (sb_sales_document_delete_lines (f->store, SB_SALES_DOC_QUOTE, quote, &error));
  sbt_add_line (f, SB_SALES_DOC_QUOTE, quote, SB_SALES_LINE_RESOURCE, "R1", "3", NULL, NULL, NULL);
  g_assert_cmpint (sb_sales_document_archive (f->store, SB_SALES_DOC_QUOTE, quote, &error), ==, 3);
  g_assert_no_error (error);

  versions = sb_sales_document_list_versions (f->store, SB_SALES_DOC_QUOTE, quote, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      SbSalesHeaderArchive *v = g_ptr_array_index (versions, i);
      g_assert_cmpint (v->version_no, ==, i + 1);
      g_assert_cmpstr (v->sell_to_customer_no, ==, "C1");
      g_assert_cmpuint (strlen (v->archived_at), >, 10);
    }
  v2 = sb_sales_document_get_version (f->store, SB_SALES_DOC_QUOTE, quote, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v2->your_reference, ==, "rev 2");
  g_assert_cmpstr (v2->bill_to_name, ==, "Alpha Bikes");

  v1_lines = sb_sales_document_get_version_lines (f->store, SB_SALES_DOC_QUOTE, quote, 1, &error);
  g_assert_cmpuint (v1_lines->len, ==, 1);
  g_assert_cmpstr (((SbSalesLineArchive *) v1_lines->pdata[0])->no, ==, "I1");
  v3_lines = sb_sales_document_get_version_lines (f->store, SB_SALES_DOC_QUOTE, quote, 3, &error);
  g_assert_cmpuint (v3_lines->len, ==, 1);
  g_assert_cmpstr (((SbSalesLineArchive *) v3_lines->pdata[0])->no, ==, "R1");
  sbt_assert_amount (((SbSalesLineArchive *) v3_lines->pdata[0])->amount, "240.00");
  {
    g_autoptr (GPtrArray) v2_lines =
        sb_sales_document_get_version_lines (f->store, SB_SALES_DOC_QUOTE, quote, 2, &error);
    g_assert_cmpuint (v2_lines->len, ==, 2);
  }

  g_assert_null (sb_sales_document_get_version (f->store, SB_SALES_DOC_QUOTE, quote, 4, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *o1 = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  g_autofree char *o2 = sbt_create_document (f, SB_SALES_DOC_ORDER, "C2");
  g_autofree char *q1 = sbt_create_document (f, SB_SALES_DOC_QUOTE, "C1");
  g_autoptr (GPtrArray) all =
      sb_sales_document_list (f->store, SB_SALES_DOC_ORDER, NULL, NULL, &error);
  g_autoptr (GPtrArray) c1 =
      sb_sales_document_list (f->store, SB_SALES_DOC_ORDER, "C1", NULL, &error);
  g_autoptr (GPtrArray) bravo =
      sb_sales_document_list (f->store, SB_SALES_DOC_ORDER, NULL, "bravo", &error);
  g_autoptr (GPtrArray) none =
      sb_sales_document_list (f->store, SB_SALES_DOC_ORDER, "C1", "bravo", &error);
  g_autoptr (GPtrArray) quotes =
      sb_sales_document_list (f->store, SB_SALES_DOC_QUOTE, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpuint (c1->len, ==, 1);
  g_assert_cmpstr (((SbSalesHeader *) c1->pdata[0])->no, ==, o1);
  g_assert_cmpuint (bravo->len, ==, 1);
  g_assert_cmpstr (((SbSalesHeader *) bravo->pdata[0])->no, ==, o2);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (quotes->len, ==, 1);
  g_assert_cmpstr (((SbSalesHeader *) quotes->pdata[0])->no, ==, q1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sales-documents/create", Fixture, NULL, sbt_fixture_set_up, test_create,
              sbt_fixture_tear_down);
  g_test_add ("/sales-documents/amounts", Fixture, NULL, sbt_fixture_set_up, test_amounts,
              sbt_fixture_tear_down);
  g_test_add_func ("/sales-documents/split-description", test_split_description);
  g_test_add ("/sales-documents/long-description", Fixture, NULL, sbt_fixture_set_up,
              test_long_description, sbt_fixture_tear_down);
  g_test_add ("/sales-documents/release", Fixture, NULL, sbt_fixture_set_up, test_release,
              sbt_fixture_tear_down);
  g_test_add ("/sales-documents/archive", Fixture, NULL, sbt_fixture_set_up, test_archive,
              sbt_fixture_tear_down);
  g_test_add ("/sales-documents/list", Fixture, NULL, sbt_fixture_set_up, test_list,
              sbt_fixture_tear_down);
  return g_test_run ();
}
