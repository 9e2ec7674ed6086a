/* test-records.c: master data operations and their validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-demo-data.h"
#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-setup.h"
#include "sb-test-util.h"

typedef struct
{
  char *dir;
  SbStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = sb_test_tmpdir_new ();
  f->store = sb_test_open_store (f->dir, "books.sbdb");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  sb_test_tmpdir_free (g_steal_pointer (&f->dir));
}

static void
set (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
add_currency (SbStore *store, const char *code, const char *rate)
{
  g_autoptr (SbCurrency) c = sb_currency_new ();
  g_autoptr (GError) error = NULL;

  set (&c->code, code);
  g_assert_true (sb_decimal_parse (rate, &c->exchange_rate, NULL));
  g_assert_true (sb_record_insert (store, &sb_currency_record_type, c, &error));
  g_assert_no_error (error);
}

static void
test_customer_crud (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCustomer) c = sb_customer_new ();
  g_autoptr (SbCustomer) second = sb_customer_new ();
  g_autoptr (SbCustomer) read = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GError) error = NULL;

  add_currency (f->store, "SEK", "0.087");
  set (&c->name, "Fjällräven Kontor AB");
  set (&c->city, "Östersund");
  set (&c->currency_code, "SEK");
  set (&c->email, "order@fjall.example");
  g_assert_true (sb_decimal_parse ("15000", &c->credit_limit, NULL));

  /* A blank number comes from the customer series. */
  g_assert_true (sb_customer_insert (f->store, c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c->no, ==, "C00001");
  set (&second->name, "Second");
  g_assert_true (sb_customer_insert (f->store, second, &error));
  g_assert_cmpstr (second->no, ==, "C00002");

  read = sb_customer_lookup (f->store, "C00001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->name, ==, "Fjällräven Kontor AB");
  g_assert_cmpstr (read->currency_code, ==, "SEK");
  g_assert_cmpstr (read->salesperson_code, ==, "");
  g_assert_cmpint (read->credit_limit, ==, sb_decimal_from_int (15000));
  g_assert_cmpstr (read->modified_at, ==, c->modified_at);
  g_assert_cmpint (read->change_no, ==, c->change_no);

  /* Search is case-insensitive over number, name and city. */
  found = sb_customer_list (f->store, "kontor", &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  /* Non-ASCII letters fold too, and LIKE wildcards in the search are literal. */
  found = sb_customer_list (f->store, "FJÄLLRÄVEN", &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = sb_customer_list (f->store, "%", &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = sb_customer_list (f->store, "C0000", &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Update takes a new change number. */
  set (&read->phone, "+46 63 12 34 56");
  g_assert_true (sb_customer_update (f->store, read, &error));
  g_assert_cmpint (read->change_no, >, second->change_no);
  g_clear_pointer (&read, sb_customer_free);
  read = sb_customer_lookup (f->store, "C00001", &error);
  g_assert_cmpstr (read->phone, ==, "+46 63 12 34 56");

  /* Same number twice. */
  set (&second->no, "C00001");
  g_assert_false (sb_customer_insert (f->store, second, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Customer C00001 already exists"));
  g_clear_error (&error);

  /* Missing records. */
  g_clear_pointer (&read, sb_customer_free);
  read = sb_customer_lookup (f->store, "C99999", &error);
  g_assert_null (read);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "C99999"));
  g_clear_error (&error);
  set (&second->no, "C99999");
  g_assert_false (sb_customer_update (f->store, second, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (sb_customer_delete (f->store, "C99999", &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
expect_invalid (SbStore *store, SbCustomer *c, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;

  g_assert_false (sb_customer_insert (store, c, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, fragment);
  /* Nothing half-written. */
  all = sb_customer_list (store, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 0);
}

/* Numbers are taken in the transaction: a rolled-back insert gives its
 * number back, and a committed one keeps it across connections. */
static void
test_number_series (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) again = NULL;
  g_autofree char *path = g_build_filename (f->dir, "books.sbdb", NULL);
  g_autofree char *no = NULL;

  for (int round = 0; round < 2; round++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();
      set (&c->name, "Roll me back");
      g_assert_true (sb_store_begin (f->store, &error));
      g_assert_true (sb_customer_insert (f->store, c, &error));
      g_assert_cmpstr (c->no, ==, "C00001");
      sb_store_rollback (f->store);
    }

  g_assert_true (sb_store_begin (f->store, &error));
  for (int i = 1; i <= 3; i++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();
      g_autofree char *expected = g_strdup_printf ("C%05d", i);
      set (&c->name, "Kept");
      g_assert_true (sb_customer_insert (f->store, c, &error));
      g_assert_cmpstr (c->no, ==, expected);
    }
  g_assert_true (sb_store_commit (f->store, &error));

  again = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  no = sb_no_series_next_for (again, SB_NO_SERIES_CUSTOMER, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (no, ==, "C00004");
  g_clear_pointer (&no, g_free);
  no = sb_no_series_next (again, "NOPE", &error);
  g_assert_null (no);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND);
}

static void
test_customer_validation (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCustomer) c = sb_customer_new ();
  g_autofree char *long_name = g_strnfill (101, 'x');

  set (&c->no, "C1");
  expect_invalid (f->store, c, "Name must not be blank");
  set (&c->name, long_name);
  expect_invalid (f->store, c, "longer than 100 characters");
  /* 100 characters of two-byte letters fit: lengths count characters. */
  {
    GString *s = g_string_new (NULL);
    for (int i = 0; i < 100; i++)
      g_string_append (s, "ö");
    set (&c->name, s->str);
    g_string_free (s, TRUE);
  }
  set (&c->email, "not an address");
  expect_invalid (f->store, c, "is not an e-mail address");
  set (&c->email, "");
  set (&c->currency_code, "XYZ");
  expect_invalid (f->store, c, "Currency Code “XYZ” does not exist");
  set (&c->currency_code, "");
  set (&c->salesperson_code, "NOBODY");
  expect_invalid (f->store, c, "Salesperson Code “NOBODY” does not exist");
  set (&c->salesperson_code, "");
  c->credit_limit = -1;
  expect_invalid (f->store, c, "Credit Limit must not be negative");
  c->credit_limit = 0;
  set (&c->name, "\xff\xfe broken");
  expect_invalid (f->store, c, "not valid UTF-8");
}

static void
test_contacts_and_deletion (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCustomer) c = sb_customer_new ();
  g_autoptr (SbContact) p = sb_contact_new ();
  g_autoptr (SbContact) nameless = sb_contact_new ();
  g_autoptr (GPtrArray) contacts = NULL;
  g_autoptr (GPtrArray) changed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *full = NULL;
  gint64 mark;

  set (&c->name, "Saga Hotels ehf.");
  g_assert_true (sb_customer_insert (f->store, c, &error));
  set (&p->first_name, "Guðrún");
  set (&p->surname, "Jónsdóttir");
  set (&p->company_no, c->no);
  g_assert_true (sb_contact_insert (f->store, p, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (p->no, ==, "CT00001");
  full = sb_contact_get_full_name (p);
  g_assert_cmpstr (full, ==, "Guðrún Jónsdóttir");

  set (&nameless->company_no, c->no);
  g_assert_false (sb_contact_insert (f->store, nameless, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  set (&nameless->surname, "Orphan");
  set (&nameless->company_no, "C404");
  g_assert_false (sb_contact_insert (f->store, nameless, &error));
  g_assert_nonnull (strstr (error->message, "Company No. “C404” does not exist"));
  g_clear_error (&error);

  contacts = sb_contact_list_for_customer (f->store, c->no, &error);
  g_assert_cmpuint (contacts->len, ==, 1);

  /* A customer with contacts is still in use. */
  g_assert_false (sb_customer_delete (f->store, c->no, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "other records still use it"));
  g_clear_error (&error);

  /* Deleting leaves a tombstone that "changed since" finds. */
  mark = sb_store_get_change_number (f->store);
  g_assert_true (sb_record_delete (f->store, &sb_contact_record_type, p, &error));
  g_assert_true (sb_customer_delete (f->store, c->no, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb_store_get_change_number (f->store), ==, mark + 2);
  changed = sb_record_list_changed (f->store, &sb_customer_record_type, 0, 0, &error);
  g_assert_cmpuint (changed->len, ==, 0);
}

static void
test_changed_since (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) changed = NULL;
  gint64 mark = 0;

  g_assert_true (sb_store_begin (f->store, &error));
  for (int i = 0; i < 50; i++)
    {
      g_autoptr (SbCustomer) c = sb_customer_new ();
      c->name = (g_free (c->name), g_strdup_printf ("Customer %d", i));
      g_assert_true (sb_customer_insert (f->store, c, &error));
      if (i == 39)
        mark = c->change_no;
    }
  g_assert_true (sb_store_commit (f->store, &error));

  changed = sb_record_list_changed (f->store, &sb_customer_record_type, mark, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 10);
  g_assert_cmpstr (((SbCustomer *) changed->pdata[0])->name, ==, "Customer 40");
  g_clear_pointer (&changed, g_ptr_array_unref);

  /* Oldest change first, limited. */
  changed = sb_record_list_changed (f->store, &sb_customer_record_type, mark, 3, &error);
  g_assert_cmpuint (changed->len, ==, 3);
  g_assert_cmpstr (((SbCustomer *) changed->pdata[2])->name, ==, "Customer 42");
}

static void
test_items_and_prices (Fixture *f, gconstpointer data)
{
  g_autoptr (SbUnitOfMeasure) pcs = sb_unit_of_measure_new ();
  g_autoptr (SbCustomerPriceGroup) group = sb_customer_price_group_new ();
  g_autoptr (SbItem) item = sb_item_new ();
  g_autoptr (SbSalesPrice) lcy = sb_sales_price_new ();
  g_autoptr (SbSalesPrice) usd = sb_sales_price_new ();
  g_autoptr (SbSalesPrice) read = NULL;
  g_autoptr (GError) error = NULL;
  SbDecimal price = 0;
  gboolean found = FALSE;

  set (&pcs->code, "PCS");
  g_assert_true (sb_record_insert (f->store, &sb_unit_of_measure_record_type, pcs, &error));
  set (&group->code, "RETAIL");
  g_assert_true (sb_record_insert (f->store, &sb_customer_price_group_record_type, group, &error));
  add_currency (f->store, "USD", "0.92");

  set (&item->no, "1000");
  set (&item->description, "Conference Table");
  set (&item->base_unit_code, "BOX");
  g_assert_false (sb_record_insert (f->store, &sb_item_record_type, item, &error));
  g_assert_nonnull (strstr (error->message, "Base Unit of Measure “BOX” does not exist"));
  g_clear_error (&error);
  set (&item->base_unit_code, "PCS");
  item->unit_price = -1;
  g_assert_false (sb_record_insert (f->store, &sb_item_record_type, item, &error));
  g_assert_nonnull (strstr (error->message, "Unit Price must not be negative"));
  g_clear_error (&error);
  g_assert_true (sb_decimal_parse ("1249.99", &item->unit_price, NULL));
  item->type = 7;
  g_assert_false (sb_record_insert (f->store, &sb_item_record_type, item, &error));
  g_clear_error (&error);
  item->type = SB_ITEM_TYPE_INVENTORY;
  g_assert_true (sb_record_insert (f->store, &sb_item_record_type, item, &error));
  g_assert_no_error (error);

  /* The local-currency price and a USD price share all other key parts. */
  set (&lcy->item_no, "1000");
  set (&lcy->price_group_code, "RETAIL");
  set (&lcy->unit_code, "PCS");
  g_assert_true (sb_decimal_parse ("1100", &lcy->unit_price, NULL));
  g_assert_true (sb_record_insert (f->store, &sb_sales_price_record_type, lcy, &error));
  g_assert_no_error (error);
  set (&usd->item_no, "1000");
  set (&usd->price_group_code, "RETAIL");
  set (&usd->unit_code, "PCS");
  set (&usd->currency_code, "USD");
  g_assert_true (sb_decimal_parse ("1200", &usd->unit_price, NULL));
  g_assert_true (sb_record_insert (f->store, &sb_sales_price_record_type, usd, &error));
  g_assert_no_error (error);

  read = sb_record_lookup (f->store, &sb_sales_price_record_type, lcy, &error);
  g_assert_no_error (error);
  g_assert_cmpint (read->unit_price, ==, sb_decimal_from_int (1100));
  g_assert_true (
      sb_sales_price_find (f->store, "1000", "RETAIL", "USD", "PCS", &price, &found, &error));
  g_assert_true (found);
  g_assert_cmpint (price, ==, sb_decimal_from_int (1200));
  g_assert_true (
      sb_sales_price_find (f->store, "1000", "WHOLESALE", "", "PCS", &price, &found, &error));
  g_assert_false (found);
}

static void
test_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (SbGeneralSetup) general = sb_general_setup_get (f->store, NULL);
  g_autoptr (SbSalesSetup) sales = sb_sales_setup_get (f->store, NULL);
  g_autoptr (GError) error = NULL;
  SbDecimal local = 0, factor = 0;

  g_assert_cmpstr (general->local_currency_code, ==, "EUR");
  general->fiscal_year_start_month = 13;
  g_assert_false (sb_general_setup_update (f->store, general, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);

  sales->write_in_product_type = SB_WRITE_IN_ITEM;
  set (&sales->write_in_product_no, "MISSING");
  g_assert_false (sb_sales_setup_update (f->store, sales, &error));
  g_assert_nonnull (strstr (error->message, "Write-in Product No. “MISSING” does not exist"));
  g_clear_error (&error);

  add_currency (f->store, "DKK", "0.134");
  g_assert_true (
      sb_currency_to_local (f->store, "DKK", sb_decimal_from_int (1000), &local, &factor, &error));
  g_assert_cmpint (local, ==, sb_decimal_from_int (134));
  g_assert_true (sb_currency_to_local (f->store, "EUR", 12345, &local, &factor, &error));
  g_assert_cmpint (local, ==, 12345);
  g_assert_cmpint (factor, ==, SB_DECIMAL_ONE);
}

static void
test_demo_seed (Fixture *f, gconstpointer data)
{
  SbDemoOptions options = { 700, 20, 5, 30, 7 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) customers = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (SbStore) other = sb_test_open_store (f->dir, "other.sbdb");

  g_assert_true (sb_demo_seed (f->store, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sb_demo_seed (other, &options, NULL, NULL, &error));
  customers = sb_customer_list (f->store, NULL, &error);
  again = sb_customer_list (other, NULL, &error);
  g_assert_cmpuint (customers->len, ==, 700);
  g_assert_cmpuint (again->len, ==, 700);
  /* Same seed, same books; names unique. */
  {
    g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < customers->len; i++)
      {
        SbCustomer *a = customers->pdata[i], *b = again->pdata[i];
        g_assert_cmpstr (a->name, ==, b->name);
        g_assert_cmpstr (a->city, ==, b->city);
        g_assert_false (g_hash_table_contains (names, a->name));
        g_hash_table_add (names, a->name);
      }
  }

  /* Seeding twice is refused, and the refusal changes nothing. */
  g_assert_false (sb_demo_seed (f->store, &options, NULL, NULL, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS);
  g_clear_pointer (&customers, g_ptr_array_unref);
  customers = sb_customer_list (f->store, NULL, NULL);
  g_assert_cmpuint (customers->len, ==, 700);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/records/customer-crud", test_customer_crud);
  ADD ("/records/number-series", test_number_series);
  ADD ("/records/customer-validation", test_customer_validation);
  ADD ("/records/contacts-and-deletion", test_contacts_and_deletion);
  ADD ("/records/changed-since", test_changed_since);
  ADD ("/records/items-and-prices", test_items_and_prices);
  ADD ("/records/setup", test_setup);
  ADD ("/records/demo-seed", test_demo_seed);
  return g_test_run ();
}
