/* test-cli-csv.c: "salesbridge-cli import" and "export" on real files and databases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "sb-csv.h"
#include "sbc-cli-fixture.h"
#include "sbs-keyring.h"

/* No sandbox: import and export never leave the database. */
static void
set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Run r = { 0 };

  fx->dir = g_dir_make_tmp ("salesbridge-cli-csv-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db = g_build_filename (fx->dir, "company.sbdb", NULL);
  sbc_run (fx, &r, NULL, NULL, "unit", "add", "code=PCS", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C1", "name=Existing", "city=Bergen", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run_clear (&r);
}

static void
tear_down (Fixture *fx, gconstpointer data)
{
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
}

static char *
write_file (Fixture *fx, const char *name, const char *contents)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (fx->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Reads the database file with a connection of its own. */
static char *
query_file (const char *db_path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
assert_query (const char *db_path, const char *sql, const char *expected)
{
  g_autofree char *value = query_file (db_path, sql);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_import_good_file (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = write_file (fx, "customers.csv",
                                      "\xef\xbb\xbf"
                                      "Kundnr;Name;City;Credit Limit;Blocked\r\n"
                                      "K1;\"Berg; Söner\";Malmö;1 234,50;ja\r\n"
                                      "K2;Åsa AB;Lund;;no\r\n");
  Run r = { 0 };

  sbc_run (fx, &r, NULL, NULL, "import", "customers", path, "--map", "Kundnr=no", "--decimal-comma",
           "--dry-run", NULL);
  /* "ja" is not yes or no in English. */
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.out, "Row 2, Blocked: “ja” is not yes or no.");

  g_autofree char *fixed = write_file (fx, "customers.csv",
                                       "Kundnr;Name;City;Credit Limit;Blocked\r\n"
                                       "K1;\"Berg; Söner\";Malmö;1 234,50;yes\r\n"
                                       "K2;Åsa AB;Lund;;no\r\n");
  sbc_run (fx, &r, NULL, NULL, "import", "customers", fixed, "--map", "Kundnr=no",
           "--decimal-comma", "--dry-run", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Kundnr → no (No.)");
  sbc_assert_contains (r.out, "No problems: 2 new, 0 to update, 0 skipped.");
  assert_query (fx->db, "SELECT count(*) FROM customer", "1");

  sbc_run (fx, &r, NULL, NULL, "import", "customers", fixed, "--map", "Kundnr=no", "--separator",
           ";", "--decimal-comma", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  sbc_assert_contains (r.out, "Imported: 2 new, 0 updated, 0 skipped.");
  assert_query (fx->db,
                "SELECT name || '|' || city || '|' || credit_limit FROM customer "
                "WHERE no = 'K1'",
                "Berg; Söner|Malmö|123450000");
  sbc_run_clear (&r);
}

static void
test_import_bad_rows (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = write_file (fx, "items.csv",
                                      "no,description,base_unit_code,unit_price\n"
                                      "1000,Bicycle,PCS,100\n"
                                      "1001,Helmet,BOX,20\n"
                                      "1002,Lamp,PCS,-1\n"
                                      ",No number,PCS,1\n"
                                      "1003,Bell,PCS,1.5.0\n");
  Run r = { 0 };
  g_auto (GStrv) lines = NULL;
  guint n_rows = 0;

  sbc_run (fx, &r, NULL, NULL, "import", "items", path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n_rows += g_str_has_prefix (lines[i], "Row ");
  g_assert_cmpuint (n_rows, ==, 4);
  sbc_assert_contains (r.out, "Row 3: Item 1001: Base Unit of Measure “BOX” does not exist.");
  sbc_assert_contains (r.out, "Row 4: Item 1002: Unit Price must not be negative.");
  sbc_assert_contains (r.out, "Row 5: Item '': No. must not be blank.");
  sbc_assert_contains (r.out, "Row 6, unit_price: “1.5.0” is not a number");
  g_assert_cmpstr (r.err, ==,
                   "salesbridge-cli: 4 problems in the file; nothing was imported. Fix them and "
                   "import again.\n");
  /* Not even the good first row. */
  assert_query (fx->db, "SELECT count(*) FROM item", "0");
  sbc_run_clear (&r);
}

static void
test_import_update_or_skip (Fixture *fx, gconstpointer data)
{
  const char *csv = "no,name\nC1,Renamed\nC7,New\n";
  Run r = { 0 };

  /* From the standard input. */
  sbc_run (fx, &r, NULL, csv, "import", "customers", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Imported: 1 new, 0 updated, 1 skipped.");
  assert_query (fx->db, "SELECT name || '|' || city FROM customer WHERE no = 'C1'",
                "Existing|Bergen");

  sbc_run (fx, &r, NULL, csv, "import", "customers", "-", "--update-existing", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Imported: 0 new, 2 updated, 0 skipped.");
  /* Only the mapped fields change. */
  assert_query (fx->db, "SELECT name || '|' || city FROM customer WHERE no = 'C1'",
                "Renamed|Bergen");
  sbc_run_clear (&r);
}

static void
test_export_round_trip (Fixture *fx, gconstpointer data)
{
  g_autofree char *csv_path = g_build_filename (fx->dir, "export.csv", NULL);
  g_autofree char *other_db = g_build_filename (fx->dir, "other.sbdb", NULL);
  g_autofree char *db = g_steal_pointer (&fx->db);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  char **row;
  Run r = { 0 };

  fx->db = g_strdup (db);
  sbc_run (fx, &r, NULL, NULL, "customer", "add", "no=C2", "name=Quote \"Q\", Ltd",
           "credit_limit=12.5", "blocked=true", NULL);
  g_assert_cmpint (r.status, ==, 0);

  sbc_run (fx, &r, NULL, NULL, "export", "customers", "-", "--decimal-comma", "--separator", ";",
           NULL);
  g_assert_cmpint (r.status, ==, 0);
  rows = sb_csv_parse (r.out, strlen (r.out), SB_CSV_DETECT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  row = rows->pdata[0];
  g_assert_cmpstr (row[0], ==, "no");
  g_assert_cmpstr (row[1], ==, "name");
  row = rows->pdata[2];
  g_assert_cmpstr (row[0], ==, "C2");
  g_assert_cmpstr (row[1], ==, "Quote \"Q\", Ltd");
  sbc_assert_contains (r.out, ";12,5;");

  sbc_run (fx, &r, NULL, NULL, "export", "customers", csv_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");

  /* Into another company. */
  g_free (fx->db);
  fx->db = g_strdup (other_db);
  sbc_run (fx, &r, NULL, NULL, "import", "customers", csv_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_assert_contains (r.out, "Imported: 2 new");
  {
    const char *sql = "SELECT group_concat(no || '|' || name || '|' || city || '|' || "
                      "credit_limit || '|' || blocked, ';') FROM (SELECT * FROM customer "
                      "ORDER BY no)";
    g_autofree char *before = query_file (db, sql);
    g_autofree char *after = query_file (other_db, sql);
    g_assert_cmpstr (after, ==, before);
    g_assert_cmpstr (after, ==, "C1|Existing|Bergen|0|0;C2|Quote \"Q\", Ltd||1250000|1");
  }
  sbc_run_clear (&r);
}

static void
test_usage_errors (Fixture *fx, gconstpointer data)
{
  g_autofree char *path = write_file (fx, "x.csv", "no,name\nC9,X\n");
  Run r = { 0 };

  sbc_run (fx, &r, NULL, NULL, "import", "orders", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_assert_contains (r.err, "Import customers, items or resources.");
  sbc_run (fx, &r, NULL, NULL, "import", "customers", path, "--separator", "|", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "import", "customers", path, "--map", "Nope=no", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "The file has no column “Nope”.");
  sbc_run (fx, &r, NULL, NULL, "import", "customers", path, "--map", "name=colour", NULL);
  g_assert_cmpint (r.status, ==, 1);
  sbc_assert_contains (r.err, "Customer has no field “colour”. Use one of: no, name,");
  sbc_run (fx, &r, NULL, NULL, "export", "widgets", NULL);
  g_assert_cmpint (r.status, ==, 2);
  sbc_run (fx, &r, NULL, NULL, "import", "customers", "/nonexistent/file.csv", NULL);
  g_assert_cmpint (r.status, ==, 1);
  assert_query (fx->db, "SELECT count(*) FROM customer", "1");
  sbc_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/csv/import-good-file", Fixture, NULL, set_up, test_import_good_file, tear_down);
  g_test_add ("/cli/csv/import-bad-rows", Fixture, NULL, set_up, test_import_bad_rows, tear_down);
  g_test_add ("/cli/csv/import-update-or-skip", Fixture, NULL, set_up, test_import_update_or_skip,
              tear_down);
  g_test_add ("/cli/csv/export-round-trip", Fixture, NULL, set_up, test_export_round_trip,
              tear_down);
  g_test_add ("/cli/csv/usage-errors", Fixture, NULL, set_up, test_usage_errors, tear_down);
  return g_test_run ();
}
