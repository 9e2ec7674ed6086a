/* test-gui-csv.c: Import from CSV and Export to CSV in a real window on a real company file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sb-csv-export.h"
#include "sb-csv-import-dialog.h"
#include "sb-customer.h"
#include "sb-reference-data.h"
#include "sb-window.h"
#include "sbg-test-util.h"

typedef struct
{
  char *dir;
  char *db_path;
  char *csv_path;
} Fixture;

static void
insert_customer (SbStore *store, const char *no, const char *name, const char *city)
{
  g_autoptr (SbCustomer) c = sb_customer_new ();
  g_autoptr (GError) error = NULL;

  sb_record_set_text (sb_record_type_find_field (&sb_customer_record_type, "no"), c, no);
  sb_record_set_text (sb_record_type_find_field (&sb_customer_record_type, "name"), c, name);
  sb_record_set_text (sb_record_type_find_field (&sb_customer_record_type, "city"), c, city);
  g_assert_true (sb_customer_insert (store, c, &error));
  g_assert_no_error (error);
}

static void
set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;

  f->dir = g_dir_make_tmp ("salesbridge-gui-csv-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "company.sbdb", NULL);
  f->csv_path = g_build_filename (f->dir, "import.csv", NULL);
  store = sb_store_open (f->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  insert_customer (store, "C1", "Existing Ltd", "Bergen");
  insert_customer (store, "C2", "Fjord AS", "Lund");
}

static void
tear_down (Fixture *f, gconstpointer data)
{
  const char *names[] = { "company.sbdb", "company.sbdb-wal", "company.sbdb-shm",
                          "import.csv",   "all.csv",          "shown.csv" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, names[i], NULL);
      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->csv_path);
}

static void
write_csv (Fixture *f, const char *contents)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (f->csv_path, contents, -1, &error));
  g_assert_no_error (error);
}

static gboolean
dialog_idle (gpointer data)
{
  return !sb_csv_import_dialog_get_busy (data);
}

static void
wait_for_dialog (SbCsvImportDialog *dialog, const char *what)
{
  /* A check follows a read: wait until neither runs. */
  sbg_wait_until (dialog_idle, dialog, what);
  sbg_settle (50);
  sbg_wait_until (dialog_idle, dialog, what);
}

static guint
n_problems (SbCsvImportDialog *dialog)
{
  g_auto (GStrv) problems = sb_csv_import_dialog_dup_problems (dialog);

  g_assert_nonnull (problems);
  return g_strv_length (problems);
}

static gint64
count_customers (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (f->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_no_error (error);
  rows = sb_customer_list (store, NULL, &error);
  g_assert_no_error (error);
  return rows->len;
}

static void
on_imported (SbCsvImportDialog *dialog, guint inserted, guint updated, gpointer data)
{
  guint *counts = data;

  counts[0] = inserted;
  counts[1] = updated;
  counts[2] = 1;
}

static gboolean
imported (gpointer data)
{
  return ((guint *) data)[2] == 1;
}

static void
test_import_dialog (Fixture *f, gconstpointer data)
{
  g_autoptr (GFile) file = g_file_new_for_path (f->csv_path);
  SbWindow *window = sb_window_new (NULL, f->db_path, NULL);
  SbCsvImportDialog *dialog;
  g_autoptr (SbCustomer) k1 = NULL;
  g_autoptr (SbCustomer) c2 = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) problems = NULL;
  guint counts[3] = { 0, 0, 0 };
  GtkWidget *import_button;

  gtk_window_present (GTK_WINDOW (window));
  /* "Kundnr" is no field's name: the user maps it. */
  write_csv (f, "Kundnr;Name;City;Credit Limit\r\n"
                "K1;Åsa AB;Lund;1 234,50\r\n"
                "K2;;Malmö;5\r\n"
                "C2;Fjord Renamed;Lund;7,25\r\n");
  dialog = sb_csv_import_dialog_new (GTK_WINDOW (window), f->db_path, &sb_customer_record_type);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), counts);
  gtk_window_present (GTK_WINDOW (dialog));
  sb_csv_import_dialog_load_file (dialog, file);
  wait_for_dialog (dialog, "reading and checking the file");

  import_button = sbg_get (dialog, "import-button");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sbg_get (dialog, "column-0"))), ==,
                    0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sbg_get (dialog, "column-1"))), !=,
                    0);
  /* Without a key column customers are numbered, but the decimal point
   * default (C locale) refuses 1 234,50. */
  g_assert_false (gtk_widget_get_sensitive (import_button));
  problems = sb_csv_import_dialog_dup_problems (dialog);
  g_assert_nonnull (strstr (problems[0], "Row 2, Credit Limit"));
  g_clear_pointer (&problems, g_strfreev);

  gtk_switch_set_active (GTK_SWITCH (sbg_get (dialog, "decimal-switch")), TRUE);
  wait_for_dialog (dialog, "checking with a decimal comma");
  /* Map Kundnr to No. as the dropdown does (position 1 is the first field). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (sbg_get (dialog, "column-0")), 1);
  wait_for_dialog (dialog, "checking with Kundnr mapped");
  g_assert_cmpuint (n_problems (dialog), ==, 1);
  problems = sb_csv_import_dialog_dup_problems (dialog);
  g_assert_cmpstr (problems[0], ==,
                   "Row 3: Customer K2: Name must not be blank. Fill it in and try again.");
  g_assert_false (gtk_widget_get_sensitive (import_button));
  sbg_screenshot (dialog, "csv-import-problems");
  /* The check wrote nothing. */
  g_assert_cmpint (count_customers (f), ==, 2);

  write_csv (f, "Kundnr;Name;City;Credit Limit\r\n"
                "K1;Åsa AB;Lund;1 234,50\r\n"
                "K2;Berg;Malmö;5\r\n"
                "C2;Fjord Renamed;Lund;7,25\r\n");
  sb_csv_import_dialog_load_file (dialog, file);
  wait_for_dialog (dialog, "reading the fixed file");
  adw_combo_row_set_selected (ADW_COMBO_ROW (sbg_get (dialog, "column-0")), 1);
  wait_for_dialog (dialog, "checking the fixed file");
  gtk_switch_set_active (GTK_SWITCH (sbg_get (dialog, "update-switch")), TRUE);
  wait_for_dialog (dialog, "checking with update existing");
  g_assert_cmpuint (n_problems (dialog), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (import_button));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sbg_get (dialog, "summary-label"))), ==,
                   "No problems found: 2 new, 1 to update, 0 skipped.");
  sbg_screenshot (dialog, "csv-import-ready");
  if (g_getenv ("SB_SCREENSHOT_DIR") != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
          GTK_SCROLLED_WINDOW (sbg_get (dialog, "content-scroller")));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      sbg_screenshot (dialog, "csv-import-preview");
    }

  g_signal_emit_by_name (import_button, "clicked");
  sbg_wait_until (imported, counts, "the import");
  g_assert_cmpuint (counts[0], ==, 2);
  g_assert_cmpuint (counts[1], ==, 1);

  g_assert_cmpint (count_customers (f), ==, 4);
  store = sb_store_open (f->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  k1 = sb_customer_lookup (store, "K1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (k1->name, ==, "Åsa AB");
  g_assert_cmpint (k1->credit_limit, ==, G_GINT64_CONSTANT (123450000));
  c2 = sb_customer_lookup (store, "C2", &error);
  g_assert_cmpstr (c2->name, ==, "Fjord Renamed");
  g_assert_cmpint (c2->credit_limit, ==, G_GINT64_CONSTANT (725000));

  gtk_window_destroy (GTK_WINDOW (window));
  sbg_settle (50);
}

typedef struct
{
  gssize n;
  gboolean done;
  char *error;
} ExportResult;

static void
export_done (GObject *source, GAsyncResult *result, gpointer data)
{
  ExportResult *r = data;
  g_autoptr (GError) error = NULL;

  r->n = sb_csv_export_finish (result, &error);
  r->error = error != NULL ? g_strdup (error->message) : NULL;
  r->done = TRUE;
}

static gboolean
export_finished (gpointer data)
{
  return ((ExportResult *) data)->done;
}

static gboolean
page_idle (gpointer data)
{
  return !sb_record_list_page_is_busy (data) &&
         !g_str_equal (sb_record_list_page_get_state (data), "loading");
}

static GPtrArray *
read_csv (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = sb_csv_read_file (path, SB_CSV_DETECT, NULL, &error);

  g_assert_no_error (error);
  return rows;
}

static gboolean
page_shows_two (gpointer data)
{
  return page_idle (data) && g_list_model_get_n_items (sb_record_list_page_get_model (data)) == 2;
}

static SbCsvImportDialog *
find_import_dialog (void)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (SB_IS_CSV_IMPORT_DIALOG (l->data))
      return l->data;
  return NULL;
}

static void
test_export (Fixture *f, gconstpointer data)
{
  SbWindow *window = sb_window_new (NULL, f->db_path, NULL);
  g_autofree char *all_path = g_build_filename (f->dir, "all.csv", NULL);
  g_autofree char *shown_path = g_build_filename (f->dir, "shown.csv", NULL);
  g_autoptr (GFile) all_file = g_file_new_for_path (all_path);
  g_autoptr (GFile) shown_file = g_file_new_for_path (shown_path);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) shown = NULL;
  g_autoptr (GFile) csv_file = g_file_new_for_path (f->csv_path);
  SbCsvWriteOptions options = { ';', TRUE, TRUE };
  ExportResult r = { 0 };
  SbCsvImportDialog *dialog;
  SbRecordListPage *page;
  char **row;

  gtk_window_present (GTK_WINDOW (window));
  sb_window_show_page (window, "customers");
  page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  sbg_wait_until (page_idle, page, "the customer list");
  sb_record_list_page_set_search_text (page, "lund");
  sbg_wait_until (page_idle, page, "the search");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (page)), ==, 1);

  sb_csv_export_shown_async (page, shown_file, &options, NULL, export_done, &r);
  sbg_wait_until (export_finished, &r, "exporting the shown rows");
  g_assert_null (r.error);
  g_assert_cmpint (r.n, ==, 1);
  shown = read_csv (f->dir, "shown.csv");
  g_assert_cmpuint (shown->len, ==, 2);
  row = shown->pdata[1];
  g_assert_cmpstr (row[0], ==, "C2");
  g_assert_cmpstr (row[1], ==, "Fjord AS");

  r = (ExportResult){ 0 };
  sb_csv_export_all_async (sb_record_list_page_get_spec (page), f->db_path, all_file, &options,
                           NULL, export_done, &r);
  sbg_wait_until (export_finished, &r, "exporting every customer");
  g_assert_null (r.error);
  g_assert_cmpint (r.n, ==, 2);
  all = read_csv (f->dir, "all.csv");
  g_assert_cmpuint (all->len, ==, 3);
  row = all->pdata[0];
  g_assert_cmpstr (row[0], ==, "No.");
  g_assert_cmpuint (g_strv_length (row), ==, sb_customer_record_type.n_fields - 2);

  /* The page's menu, as the window adds it: Import from CSV… opens the dialog. */
  g_assert_nonnull (sbg_get (page, "csv-menu"));
  sbg_screenshot (page, "csv-list-page");
  if (g_getenv ("SB_SCREENSHOT_DIR") != NULL)
    {
      gtk_menu_button_popup (GTK_MENU_BUTTON (sbg_get (page, "csv-menu")));
      /* The popover is a surface of its own. */
      sbg_screenshot (gtk_menu_button_get_popover (GTK_MENU_BUTTON (sbg_get (page, "csv-menu"))),
                      "csv-menu");
      gtk_menu_button_popdown (GTK_MENU_BUTTON (sbg_get (page, "csv-menu")));
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "csv.import", NULL));
  dialog = find_import_dialog ();
  g_assert_nonnull (dialog);

  /* Importing there reloads the list: the search now finds the new customer too. */
  write_csv (f, "no,name,city\nK9,Lundgren Bygg,Lund\n");
  sb_csv_import_dialog_load_file (dialog, csv_file);
  wait_for_dialog (dialog, "checking the file from the page's menu");
  g_assert_cmpuint (n_problems (dialog), ==, 0);
  g_signal_emit_by_name (sbg_get (dialog, "import-button"), "clicked");
  sbg_wait_until (page_shows_two, page, "the reloaded customer list");
  g_assert_null (find_import_dialog ());

  gtk_window_destroy (GTK_WINDOW (window));
  sbg_settle (50);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  g_test_add ("/gui/csv/import-dialog", Fixture, NULL, set_up, test_import_dialog, tear_down);
  g_test_add ("/gui/csv/export", Fixture, NULL, set_up, test_export, tear_down);
  return g_test_run ();
}
