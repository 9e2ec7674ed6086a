/* test-csv.c: the CSV reader and writer, and importing and exporting records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "sb-csv-import.h"
#include "sb-test-books.h"

static GPtrArray *
parse_ok (const char *data, char separator, char *out_separator)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = sb_csv_parse (data, strlen (data), separator, out_separator, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static void
assert_row (GPtrArray *rows, guint index, const char *const *expected)
{
  char **row;

  g_assert_cmpuint (index, <, rows->len);
  row = rows->pdata[index];
  g_assert_cmpstrv (row, expected);
}

static void
test_parse_quotes_and_newlines (void)
{
  g_autoptr (GPtrArray) rows = parse_ok ("no,name,address\r\n"
                                         "C10,\"Smith, \"\"Big\"\" John\",\"Line 1\r\nLine 2\"\r\n"
                                         "C11,\"\",plain\r\n",
                                         SB_CSV_DETECT, NULL);

  g_assert_cmpuint (rows->len, ==, 3);
  assert_row (rows, 0, (const char *const[]){ "no", "name", "address", NULL });
  assert_row (rows, 1,
              (const char *const[]){ "C10", "Smith, \"Big\" John", "Line 1\r\nLine 2", NULL });
  assert_row (rows, 2, (const char *const[]){ "C11", "", "plain", NULL });
}

static void
test_parse_bom_semicolon_lf (void)
{
  char separator = 0;
  g_autoptr (GPtrArray) rows =
      parse_ok ("\xef\xbb\xbfno;name;credit_limit\nC10;Ålesund Møbler;1234,50\n\n", SB_CSV_DETECT,
                &separator);

  g_assert_cmpint (separator, ==, ';');
  g_assert_cmpuint (rows->len, ==, 2);
  /* The byte order mark is not part of the first column's name. */
  assert_row (rows, 0, (const char *const[]){ "no", "name", "credit_limit", NULL });
  assert_row (rows, 1, (const char *const[]){ "C10", "Ålesund Møbler", "1234,50", NULL });
}

static void
test_parse_empty_trailing_fields (void)
{
  g_autoptr (GPtrArray) rows = parse_ok ("a,b,c\n1,,\n2,x,", ',', NULL);

  g_assert_cmpuint (rows->len, ==, 3);
  assert_row (rows, 1, (const char *const[]){ "1", "", "", NULL });
  /* No line break after the last record. */
  assert_row (rows, 2, (const char *const[]){ "2", "x", "", NULL });
}

static void
test_parse_detect_separator (void)
{
  /* Commas inside quotes do not count. */
  g_assert_cmpint (sb_csv_detect_separator ("\"a,b,c\";d;e\n", 12), ==, ';');
  g_assert_cmpint (sb_csv_detect_separator ("a,b;c,d\n", 8), ==, ',');
  g_assert_cmpint (sb_csv_detect_separator ("single\n", 7), ==, ',');
}

static void
assert_parse_fails (const char *data, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = sb_csv_parse (data, strlen (data), ',', NULL, &error);

  g_assert_null (rows);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_parse_errors (void)
{
  assert_parse_fails ("a,b\n1,\"open\n2,3\n", "line 2");
  assert_parse_fails ("a,b\n\"x\"y,2\n", "Line 2");
  assert_parse_fails ("a,b\n1,\xff\xfe\n", "Line 2");
}

static void
test_write_round_trip (void)
{
  const char *fields[] = { "plain", "with,comma", "with \"quote\"", "two\nlines", " padded", "" };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = NULL;

  sb_csv_append_row (out, fields, G_N_ELEMENTS (fields), ',');
  g_assert_cmpstr (out->str, ==,
                   "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\" padded\",\r\n");
  rows = parse_ok (out->str, ',', NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_row (rows, 0,
              (const char *const[]){ "plain", "with,comma", "with \"quote\"", "two\nlines",
                                     " padded", "", NULL });
}

/* Imports */

static SbCsvImport *
import_new (const SbRecordType *type, const char *data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = parse_ok (data, SB_CSV_DETECT, NULL);
  SbCsvImport *import = sb_csv_import_new (type, rows, &error);

  g_assert_no_error (error);
  return import;
}

static SbCsvImportReport *
run_ok (SbCsvImport *import, SbStore *store, gboolean dry_run)
{
  g_autoptr (GError) error = NULL;
  SbCsvImportReport *report = sb_csv_import_run (import, store, dry_run, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

/* Counts the rows of @table in the database file itself, through a
 * connection of its own, so what the store may hold in memory does not count. */
static gint64
count_in_file (Fixture *f, const char *file, const char *table)
{
  g_autofree char *path = g_build_filename (f->dir, file, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_import_customers (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCsvImport) import =
      import_new (&sb_customer_record_type, "Customer No.,NAME,City,Credit Limit,Blocked,Notes\n"
                                            "C10,Ålesund Møbler AS,Ålesund,25000.50,no,ignored\n"
                                            ",Numbered By Series,Oslo,,yes,\n");
  g_autoptr (SbCsvImportReport) report = NULL;
  g_autoptr (SbCustomer) c10 = NULL;
  g_autoptr (GPtrArray) preview = NULL;
  gint64 before = count_in_file (f, "books.sbdb", "customer");

  /* "Customer No." is not a field: the key column must be mapped by hand. */
  g_assert_null (sb_csv_import_get_field (import, 0));
  g_assert_cmpstr (sb_csv_import_get_field (import, 1)->name, ==, "name");
  g_assert_cmpstr (sb_csv_import_get_field (import, 3)->name, ==, "credit_limit");
  g_assert_null (sb_csv_import_get_field (import, 5));
  g_assert_true (sb_csv_import_map (import, "Customer No.", "no", NULL));

  preview = sb_csv_import_preview (import, 1);
  g_assert_cmpuint (preview->len, ==, 1);
  assert_row (
      preview, 0,
      (const char *const[]){ "C10", "Ålesund Møbler AS", "Ålesund", "25000.5", "false", NULL });

  report = run_ok (import, f->store, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->inserted, ==, 2);
  g_assert_cmpint (count_in_file (f, "books.sbdb", "customer"), ==, before + 2);

  c10 = sb_customer_lookup (f->store, "C10", NULL);
  g_assert_nonnull (c10);
  g_assert_cmpstr (c10->city, ==, "Ålesund");
  g_assert_cmpint (c10->credit_limit, ==, sbt_dec ("25000.50"));
  g_assert_false (c10->blocked);
}

static void
test_import_bad_rows (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCsvImport) import =
      import_new (&sb_customer_record_type, "no,name,credit_limit,currency_code,email\n"
                                            "C20,Good One,100,,\n"
                                            "C21,,5,,\n"
                                            "C22,Bad Number,12x,,\n"
                                            "C23,Bad Currency,1,XYZ,\n"
                                            "C20,Twice,1,,\n"
                                            "C24,Bad Mail,1,,not-an-address\n");
  g_autoptr (SbCsvImportReport) report = NULL;
  gint64 before = count_in_file (f, "books.sbdb", "customer");
  const SbCsvProblem *p;

  report = run_ok (import, f->store, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 5);

  p = report->problems->pdata[0];
  g_assert_cmpuint (p->row, ==, 3);
  g_assert_nonnull (strstr (p->message, "Name must not be blank"));
  p = report->problems->pdata[1];
  g_assert_cmpuint (p->row, ==, 4);
  g_assert_cmpstr (p->column, ==, "credit_limit");
  g_assert_nonnull (strstr (p->message, "“12x”"));
  p = report->problems->pdata[2];
  g_assert_cmpuint (p->row, ==, 5);
  g_assert_nonnull (strstr (p->message, "“XYZ” does not exist"));
  p = report->problems->pdata[3];
  g_assert_cmpuint (p->row, ==, 6);
  g_assert_nonnull (strstr (p->message, "also on row 2"));
  p = report->problems->pdata[4];
  g_assert_cmpuint (p->row, ==, 7);
  g_assert_nonnull (strstr (p->message, "not an e-mail address"));

  {
    g_autofree char *text = sb_csv_problem_to_string (report->problems->pdata[1]);
    g_assert_cmpstr (text, ==,
                     "Row 4, credit_limit: “12x” is not a number with a decimal point. Write it "
                     "like 1234.50, or import with a decimal comma.");
  }

  /* Nothing half-imported: not even the good row is in the file. */
  g_assert_cmpint (count_in_file (f, "books.sbdb", "customer"), ==, before);
  g_assert_null (sb_customer_lookup (f->store, "C20", NULL));
}

static void
test_import_missing_required_column (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCsvImport) import = import_new (&sb_item_record_type, "description\nScrew\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCsvImportReport) report = sb_csv_import_run (import, f->store, FALSE, &error);

  g_assert_null (report);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "No."));
}

static void
test_import_empty_file (void)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = parse_ok ("\xef\xbb\xbf\r\n", SB_CSV_DETECT, NULL);
  g_autoptr (SbCsvImport) import = NULL;

  g_assert_cmpuint (rows->len, ==, 0);
  import = sb_csv_import_new (&sb_customer_record_type, rows, &error);
  g_assert_null (import);
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
}

static void
test_import_update_or_skip (Fixture *f, gconstpointer data)
{
  const char *csv = "no,description,unit_price,type\n"
                    "I1,Renamed,120.00,service\n"
                    "I9,New Item,5,Non-Inventory\n";
  g_autoptr (SbCsvImport) import = import_new (&sb_item_record_type, csv);
  g_autoptr (SbCsvImportReport) skip = NULL;
  g_autoptr (SbCsvImportReport) update = NULL;
  g_autoptr (SbCsvImportReport) dry = NULL;
  g_autoptr (SbItem) key = sb_item_new ();
  g_autoptr (SbItem) i1 = NULL;
  g_autoptr (SbItem) i1_after = NULL;
  g_autoptr (SbItem) i9 = NULL;

  skip = run_ok (import, f->store, FALSE);
  g_assert_cmpuint (skip->problems->len, ==, 0);
  g_assert_cmpuint (skip->skipped, ==, 1);
  g_assert_cmpuint (skip->inserted, ==, 1);
  sbt_set (&key->no, "I1");
  i1 = sb_record_lookup (f->store, &sb_item_record_type, key, NULL);
  g_assert_cmpstr (i1->description, !=, "Renamed");

  sb_csv_import_set_update_existing (import, TRUE);
  /* The validation pass writes nothing. */
  dry = run_ok (import, f->store, TRUE);
  g_assert_cmpuint (dry->updated, ==, 2);
  i1_after = sb_record_lookup (f->store, &sb_item_record_type, key, NULL);
  g_assert_cmpstr (i1_after->description, ==, i1->description);
  g_clear_pointer (&i1_after, sb_item_free);

  update = run_ok (import, f->store, FALSE);
  g_assert_cmpuint (update->problems->len, ==, 0);
  g_assert_cmpuint (update->updated, ==, 2);
  g_assert_cmpuint (update->inserted, ==, 0);
  i1_after = sb_record_lookup (f->store, &sb_item_record_type, key, NULL);
  g_assert_cmpstr (i1_after->description, ==, "Renamed");
  g_assert_cmpint (i1_after->unit_price, ==, sbt_dec ("120"));
  g_assert_cmpint (i1_after->type, ==, SB_ITEM_TYPE_SERVICE);
  /* Fields without a column keep their values. */
  g_assert_cmpstr (i1_after->base_unit_code, ==, i1->base_unit_code);
  g_assert_cmpint (i1_after->inventory, ==, i1->inventory);

  sbt_set (&key->no, "I9");
  i9 = sb_record_lookup (f->store, &sb_item_record_type, key, NULL);
  g_assert_cmpint (i9->type, ==, SB_ITEM_TYPE_NON_INVENTORY);
}

static void
test_import_decimal_comma (Fixture *f, gconstpointer data)
{
  g_autoptr (SbCsvImport) import =
      import_new (&sb_resource_record_type, "Nr;Name;Unit Price;Capacity\n"
                                            "R5;Consultant;1 234,56789;7,5\n"
                                            "R6;Trainer;99.50;1\n");
  g_autoptr (SbCsvImportReport) bad = NULL;
  g_autoptr (SbCsvImportReport) good = NULL;
  g_autoptr (SbResource) key = sb_resource_new ();
  g_autoptr (SbResource) r5 = NULL;
  const SbCsvProblem *p;

  g_assert_true (sb_csv_import_map (import, "Nr", "No.", NULL));
  sb_csv_import_set_decimal_comma (import, TRUE);
  bad = run_ok (import, f->store, FALSE);
  /* 99.50 with a decimal comma is refused, not read as 9950. */
  g_assert_cmpuint (bad->problems->len, ==, 1);
  p = bad->problems->pdata[0];
  g_assert_cmpuint (p->row, ==, 3);
  g_assert_cmpstr (p->column, ==, "Unit Price");
  g_assert_nonnull (strstr (p->message, "decimal comma"));
  g_assert_cmpint (count_in_file (f, "books.sbdb", "resource"), ==, 1);

  g_clear_pointer (&import, sb_csv_import_free);
  import = import_new (&sb_resource_record_type,
                       "no;name;unit_price;capacity\nR5;Consultant;1 234,56789;7,5\n");
  sb_csv_import_set_decimal_comma (import, TRUE);
  good = run_ok (import, f->store, FALSE);
  g_assert_cmpuint (good->problems->len, ==, 0);
  sbt_set (&key->no, "R5");
  r5 = sb_record_lookup (f->store, &sb_resource_record_type, key, NULL);
  g_assert_cmpint (r5->unit_price, ==, G_GINT64_CONSTANT (123456789));
  g_assert_cmpint (r5->capacity, ==, sbt_dec ("7.5"));
}

static void
test_export_import_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) items = sb_item_list (f->store, NULL, NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (SbCsvImport) import = NULL;
  g_autoptr (SbCsvImportReport) report = NULL;
  g_autoptr (GPtrArray) after = NULL;
  SbCsvWriteOptions options = { ';', TRUE, TRUE };
  SbItem *first = items->pdata[0];
  const char *units[] = { "PCS", "HOUR" };
  g_autoptr (SbStore) copy = NULL;

  /* Make the export worth checking: a separator, a quote and a line break. */
  sbt_set (&first->description, "Bolt; \"M8\"\nzinc");
  first->unit_price = sbt_dec ("1234.56789");
  g_assert_true (sb_record_update (f->store, &sb_item_record_type, first, NULL));

  sb_csv_write_records (out, &sb_item_record_type, items, NULL, &options);
  g_assert_true (g_str_has_prefix (out->str, "No.;Description;"));
  g_assert_nonnull (strstr (out->str, "\"Bolt; \"\"M8\"\"\nzinc\""));
  g_assert_nonnull (strstr (out->str, ";1234,56789;"));
  /* Labels: yes and no, and the item type's name. */
  g_assert_nonnull (strstr (out->str, ";Inventory;No\r\n"));

  /* Import the export into another company that has the units. */
  copy = sb_test_open_store (f->dir, "copy.sbdb");
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      SbUnitOfMeasure *unit = sb_unit_of_measure_new ();
      sbt_set (&unit->code, units[i]);
      sbt_insert (copy, &sb_unit_of_measure_record_type, unit);
    }
  g_assert_cmpint (count_in_file (f, "copy.sbdb", "item"), ==, 0);

  rows = parse_ok (out->str, SB_CSV_DETECT, NULL);
  import = sb_csv_import_new (&sb_item_record_type, g_steal_pointer (&rows), NULL);
  for (guint c = 0; c < sb_csv_import_get_n_columns (import); c++)
    g_assert_nonnull (sb_csv_import_get_field (import, c));
  sb_csv_import_set_decimal_comma (import, TRUE);
  report = run_ok (import, copy, FALSE);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->inserted, ==, items->len);
  g_assert_cmpint (count_in_file (f, "copy.sbdb", "item"), ==, items->len);

  after = sb_item_list (copy, NULL, NULL);
  g_assert_cmpuint (after->len, ==, items->len);
  for (guint i = 0; i < items->len; i++)
    for (guint k = 0; k < sb_item_record_type.n_fields; k++)
      {
        const SbField *field = &sb_item_record_type.fields[k];
        g_autofree char *want = NULL;
        g_autofree char *got = NULL;

        if (field->flags & SB_FIELD_FLAG_SYSTEM)
          continue;
        want = sb_record_to_string (field, items->pdata[i]);
        got = sb_record_to_string (field, after->pdata[i]);
        g_assert_cmpstr (got, ==, want);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/parse/quotes-and-newlines", test_parse_quotes_and_newlines);
  g_test_add_func ("/csv/parse/bom-semicolon-lf", test_parse_bom_semicolon_lf);
  g_test_add_func ("/csv/parse/empty-trailing-fields", test_parse_empty_trailing_fields);
  g_test_add_func ("/csv/parse/detect-separator", test_parse_detect_separator);
  g_test_add_func ("/csv/parse/errors", test_parse_errors);
  g_test_add_func ("/csv/write/round-trip", test_write_round_trip);
  g_test_add_func ("/csv/import/empty-file", test_import_empty_file);
  g_test_add ("/csv/import/customers", Fixture, NULL, sbt_fixture_set_up, test_import_customers,
              sbt_fixture_tear_down);
  g_test_add ("/csv/import/bad-rows", Fixture, NULL, sbt_fixture_set_up, test_import_bad_rows,
              sbt_fixture_tear_down);
  g_test_add ("/csv/import/missing-required-column", Fixture, NULL, sbt_fixture_set_up,
              test_import_missing_required_column, sbt_fixture_tear_down);
  g_test_add ("/csv/import/update-or-skip", Fixture, NULL, sbt_fixture_set_up,
              test_import_update_or_skip, sbt_fixture_tear_down);
  g_test_add ("/csv/import/decimal-comma", Fixture, NULL, sbt_fixture_set_up,
              test_import_decimal_comma, sbt_fixture_tear_down);
  g_test_add ("/csv/export/round-trip", Fixture, NULL, sbt_fixture_set_up,
              test_export_import_round_trip, sbt_fixture_tear_down);
  return g_test_run ();
}
