/* test-store.c: opening, migrations, transactions and change numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-store-private.h"
#include "sb-test-util.h"

static void
test_open_new (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autoptr (SbStore) store = sb_test_open_store (dir, "new.sbdb");
  sqlite3_stmt *stmt;

  g_assert_cmpuint (sb_store_get_schema_version (store), ==, sb_store_get_latest_schema_version ());
  g_assert_cmpint (sb_store_get_change_number (store), ==, 0);

  /* WAL and foreign keys are on for every connection. */
  stmt = sb_store_prepare (store, "PRAGMA journal_mode", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_reset (stmt);
  stmt = sb_store_prepare (store, "PRAGMA foreign_keys", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  g_clear_object (&store);
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A database made by the first release (schema 1) with a customer in it
 * must open, keep its data and gain the later tables. */
static void
test_upgrade_from_v1 (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "old.sbdb", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) old = sb_store_open_at_version (path, 1, &error);
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpuint (sb_store_get_schema_version (old), ==, 1);
  /* Written with plain SQL, as the version-1 program would have. */
  g_assert_true (sb_store_exec (old,
                                "INSERT INTO customer (no, name, city, credit_limit, change_no)"
                                " VALUES ('C00042', 'Old Timer AB', 'Uppsala', 500000, 1);"
                                "UPDATE sb_meta SET value = '1' WHERE key = 'change_no'",
                                &error));
  g_assert_no_error (error);
  g_assert_false (sb_store_exec (old, "SELECT * FROM sales_header", NULL));
  g_clear_object (&old);

  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sb_store_get_schema_version (store), ==, sb_store_get_latest_schema_version ());
  customer = sb_customer_lookup (store, "C00042", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Old Timer AB");
  g_assert_cmpint (customer->credit_limit, ==, sb_decimal_from_int (5));
  g_assert_cmpint (sb_store_get_change_number (store), ==, 1);

  /* Tables and indexes of the later steps exist. */
  g_assert_true (sb_store_exec (store, "SELECT * FROM sales_header", &error));
  stmt = sb_store_prepare (store, "SELECT count(*) FROM sqlite_master WHERE name = 'customer_name'",
                           NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);

  g_clear_object (&store);
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Every step from every older version leads to the same schema. */
static void
test_upgrade_each_version (void)
{
  guint latest = sb_store_get_latest_schema_version ();

  for (guint v = 1; v < latest; v++)
    {
      g_autofree char *dir = sb_test_tmpdir_new ();
      g_autofree char *path = g_build_filename (dir, "step.sbdb", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SbStore) old = sb_store_open_at_version (path, v, &error);
      g_autoptr (SbStore) store = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (sb_store_get_schema_version (old), ==, v);
      g_clear_object (&old);
      store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sb_store_get_schema_version (store), ==, latest);
      g_clear_object (&store);
      sb_test_tmpdir_free (g_steal_pointer (&dir));
    }
}

static void
test_newer_version_refused (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "future.sbdb", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_test_open_store (dir, "future.sbdb");
  g_autoptr (SbStore) again = NULL;
  g_autofree char *sql =
      g_strdup_printf ("PRAGMA user_version = %u", sb_store_get_latest_schema_version () + 1);

  g_assert_true (sb_store_exec (store, sql, NULL));
  g_clear_object (&store);

  again = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_null (again);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "These are not the books you are looking for.\n"
                                      "Lorem ipsum dolor sit amet, consectetur adipiscing",
                                      -1, NULL));
  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not a Salesbridge company database"));
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

static SbCustomer *
make_customer (const char *no, const char *name)
{
  SbCustomer *c = sb_customer_new ();

  g_free (c->no);
  c->no = g_strdup (no);
  g_free (c->name);
  c->name = g_strdup (name);
  return c;
}

static void
test_transactions (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autoptr (SbStore) store = sb_test_open_store (dir, "txn.sbdb");
  g_autoptr (SbCustomer) a = make_customer ("A", "Alpha");
  g_autoptr (SbCustomer) b = make_customer ("B", "");
  g_autoptr (SbCustomer) c = make_customer ("C", "Charlie");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = NULL;
  gint64 before;

  /* A failing step inside a transaction dooms all of it. */
  before = sb_store_get_change_number (store);
  g_assert_true (sb_store_begin (store, &error));
  g_assert_true (sb_customer_insert (store, a, &error));
  g_assert_false (sb_customer_insert (store, b, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sb_store_commit (store, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED);
  g_clear_error (&error);
  all = sb_customer_list (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 0);
  g_assert_cmpint (sb_store_get_change_number (store), ==, before);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* Rolled back by hand: nothing kept either. */
  g_assert_true (sb_store_begin (store, &error));
  g_assert_true (sb_customer_insert (store, a, &error));
  sb_store_rollback (store);
  all = sb_customer_list (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 0);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* Committed: both rows, with increasing change numbers. */
  g_assert_true (sb_store_begin (store, &error));
  g_assert_true (sb_customer_insert (store, a, &error));
  g_assert_true (sb_customer_insert (store, c, &error));
  g_assert_true (sb_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a->change_no, >, before);
  g_assert_cmpint (c->change_no, ==, a->change_no + 1);
  g_assert_cmpint (sb_store_get_change_number (store), ==, c->change_no);
  all = sb_customer_list (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 2);

  g_clear_object (&store);
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A second connection (as a worker thread would open) sees committed rows
 * and gets its own change numbers after the first one's. */
static void
test_two_connections (void)
{
  g_autofree char *dir = sb_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "two.sbdb", NULL);
  g_autoptr (SbStore) one = sb_test_open_store (dir, "two.sbdb");
  g_autoptr (SbStore) two = NULL;
  g_autoptr (SbStore) reader = NULL;
  g_autoptr (SbCustomer) a = make_customer ("A", "Alpha");
  g_autoptr (SbCustomer) b = make_customer ("B", "Bravo");
  g_autoptr (GPtrArray) seen = NULL;
  g_autoptr (GError) error = NULL;

  two = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  reader = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);

  g_assert_true (sb_customer_insert (one, a, &error));
  g_assert_true (sb_customer_insert (two, b, &error));
  g_assert_cmpint (b->change_no, >, a->change_no);

  seen = sb_customer_list (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 2);
  g_clear_pointer (&seen, g_ptr_array_unref);
  {
    g_autoptr (SbCustomer) c = make_customer ("C", "Charlie");
    g_assert_false (sb_customer_insert (reader, c, &error));
    g_assert_nonnull (error);
  }

  g_clear_object (&one);
  g_clear_object (&two);
  g_clear_object (&reader);
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/open-new", test_open_new);
  g_test_add_func ("/store/upgrade-from-v1", test_upgrade_from_v1);
  g_test_add_func ("/store/upgrade-each-version", test_upgrade_each_version);
  g_test_add_func ("/store/newer-version-refused", test_newer_version_refused);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/transactions", test_transactions);
  g_test_add_func ("/store/two-connections", test_two_connections);
  return g_test_run ();
}
