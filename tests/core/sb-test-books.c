/* sb-test-books.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-test-books.h"

void
sbt_set (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

SbDecimal
sbt_dec (const char *text)
{
  SbDecimal value = 0;

  g_assert_true (sb_decimal_parse (text, &value, NULL));
  return value;
}

void
sbt_insert (SbStore *store, const SbRecordType *type, gpointer record)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_record_insert (store, type, record, &error));
  g_assert_no_error (error);
  sb_record_free (type, record);
}

void
sbt_add_customer (SbStore *store, const char *no, const char *name, const char *currency,
                  const char *price_group, const char *terms)
{
  SbCustomer *c = sb_customer_new ();

  sbt_set (&c->no, no);
  sbt_set (&c->name, name);
  sbt_set (&c->address, "Main Street 1");
  sbt_set (&c->city, "Springfield");
  sbt_set (&c->post_code, "12345");
  sbt_set (&c->currency_code, currency);
  sbt_set (&c->price_group_code, price_group);
  sbt_set (&c->payment_terms_code, terms);
  c->credit_limit = sbt_dec ("1000");
  sbt_insert (store, &sb_customer_record_type, c);
}

void
sbt_add_item (SbStore *store, const char *no, const char *description, const char *price,
              SbItemType type, const char *inventory)
{
  SbItem *i = sb_item_new ();

  sbt_set (&i->no, no);
  sbt_set (&i->description, description);
  sbt_set (&i->base_unit_code, "PCS");
  i->unit_price = sbt_dec (price);
  i->inventory = sbt_dec (inventory);
  i->type = type;
  sbt_insert (store, &sb_item_record_type, i);
}

void
sbt_fixture_set_up (Fixture *f, gconstpointer data)
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
  sbt_set (&unit->code, "PCS");
  sbt_insert (f->store, &sb_unit_of_measure_record_type, unit);
  unit = sb_unit_of_measure_new ();
  sbt_set (&unit->code, "HOUR");
  sbt_insert (f->store, &sb_unit_of_measure_record_type, unit);
  terms = sb_payment_terms_new ();
  sbt_set (&terms->code, "30D");
  terms->due_days = 30;
  sbt_insert (f->store, &sb_payment_terms_record_type, terms);
  usd = sb_currency_new ();
  sbt_set (&usd->code, "USD");
  usd->exchange_rate = sbt_dec ("0.8");
  sbt_insert (f->store, &sb_currency_record_type, usd);
  group = sb_customer_price_group_new ();
  sbt_set (&group->code, "RETAIL");
  sbt_insert (f->store, &sb_customer_price_group_record_type, group);

  sbt_add_customer (f->store, "C1", "Alpha Bikes", NULL, "RETAIL", "30D");
  sbt_add_customer (f->store, "C2", "Bravo Inc.", "USD", NULL, NULL);
  sbt_add_customer (f->store, "C3", "Charlie AB", NULL, NULL, NULL);
  sbt_add_item (f->store, "I1", "Bicycle", "100", SB_ITEM_TYPE_INVENTORY, "10");
  sbt_add_item (f->store, "I2", "Assembly service", "50", SB_ITEM_TYPE_SERVICE, "0");

  r = sb_resource_new ();
  sbt_set (&r->no, "R1");
  sbt_set (&r->name, "Installer");
  sbt_set (&r->base_unit_code, "HOUR");
  r->unit_price = sbt_dec ("80");
  sbt_insert (f->store, &sb_resource_record_type, r);

  p = sb_sales_price_new ();
  sbt_set (&p->item_no, "I1");
  sbt_set (&p->price_group_code, "RETAIL");
  sbt_set (&p->currency_code, "");
  sbt_set (&p->unit_code, "PCS");
  p->unit_price = sbt_dec ("90");
  sbt_insert (f->store, &sb_sales_price_record_type, p);
}

void
sbt_fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  sb_test_tmpdir_free (g_steal_pointer (&f->dir));
}

/* A new document for @customer; returns its number. */
char *
sbt_create_document (Fixture *f, SbSalesDocType type, const char *customer)
{
  g_autoptr (SbSalesHeader) h = sb_sales_header_new ();
  g_autoptr (GError) error = NULL;

  h->doc_type = type;
  sbt_set (&h->sell_to_customer_no, customer);
  g_assert_true (sb_sales_document_create (f->store, h, &error));
  g_assert_no_error (error);
  return g_strdup (h->no);
}

/* Adds a line; @price NULL looks the price up.  Returns its line no. */
gint64
sbt_add_line (Fixture *f, SbSalesDocType type, const char *doc_no, SbSalesLineType line_type,
              const char *no, const char *quantity, const char *price, const char *discount,
              const char *vat)
{
  g_autoptr (SbSalesLine) l = sb_sales_line_new ();
  g_autoptr (GError) error = NULL;

  l->doc_type = type;
  sbt_set (&l->doc_no, doc_no);
  l->type = line_type;
  sbt_set (&l->no, no);
  l->quantity = sbt_dec (quantity);
  if (price != NULL)
    l->unit_price = sbt_dec (price);
  l->line_discount_amount = discount != NULL ? sbt_dec (discount) : 0;
  l->vat_pct = vat != NULL ? sbt_dec (vat) : 0;
  g_assert_true (sb_sales_document_add_line (f->store, l, price != NULL, &error));
  g_assert_no_error (error);
  return l->line_no;
}

SbSalesLine *
sbt_get_line (Fixture *f, SbSalesDocType type, const char *doc_no, gint64 line_no)
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

void
sbt_assert_amount (SbDecimal value, const char *expected)
{
  g_autofree char *text = sb_decimal_to_string (value, 2);

  g_assert_cmpstr (text, ==, expected);
}

/* Posts @order (all outstanding when @n is 0) and returns the invoice no. */
char *
sbt_post (Fixture *f, const char *order, const SbPostingQuantity *q, guint n)
{
  g_autoptr (GError) error = NULL;
  char *invoice = sb_posting_post_order (f->store, order, q, n, &error);

  g_assert_no_error (error);
  g_assert_nonnull (invoice);
  return invoice;
}
