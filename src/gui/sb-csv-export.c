/* sb-csv-export.c
 *
 * Export all reads the book again in a worker on a store of its own: the
 * rows a list page holds may lack the text fields it does not show (see
 * sb_record_object_new()), and an export that others import again must
 * have every field.  Export shown rows writes what the page shows instead,
 * from its row objects, which never change once shown and so can be read
 * by the worker.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-csv-export.h"
#include "sb-csv-import-dialog.h"
#include "sb-gui-format.h"
#include "sb-window.h"

typedef struct
{
  GFile *file;
  SbCsvWriteOptions options;
  /* Export all */
  const SbRecordListSpec *spec;
  char *database_path;
  /* Export shown */
  GPtrArray *rows; /* SbRecordObject */
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *d = data;

  g_clear_object (&d->file);
  g_free (d->database_path);
  g_clear_pointer (&d->rows, g_ptr_array_unref);
  g_free (d);
}

static void
write_and_return (GTask *task, ExportData *d, GString *out, guint n_rows, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  if (!g_file_replace_contents (d->file, out->str, out->len, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, n_rows);
}

static void
export_all_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *d = task_data;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  store = sb_store_open (d->database_path, SB_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    records = d->spec->list != NULL ? d->spec->list (store, &error)
                                    : sb_record_list (store, d->spec->type, NULL, NULL, &error);
  if (records == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sb_csv_write_records (out, d->spec->type, records, NULL, &d->options);
  write_and_return (task, d, out, records->len, cancellable);
}

void
sb_csv_export_all_async (const SbRecordListSpec *spec, const char *database_path, GFile *file,
                         const SbCsvWriteOptions *options, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportData *d = g_new0 (ExportData, 1);

  d->file = g_object_ref (file);
  d->options = *options;
  d->spec = spec;
  d->database_path = g_strdup (database_path);
  g_task_set_source_tag (task, sb_csv_export_all_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_all_thread);
}

/* A shown column's text: the page's own format where it has one (the
 * names of enumerations), else the stable form, decimals as asked. */
static char *
column_text (const SbRecordListColumn *column, SbRecordObject *row,
             const SbCsvWriteOptions *options)
{
  const SbRecordType *type = sb_record_object_get_record_type (row);
  gconstpointer record = sb_record_object_get_record (row);
  const SbField *field;
  char *text = NULL;

  if (g_str_equal (column->field, SB_RECORD_LIST_FIGURE))
    text = sb_decimal_to_string (sb_record_object_get_figure (row), column->places);
  else
    {
      field = sb_record_type_find_field (type, column->field);
      if (column->format != NULL)
        text = column->format (field, record);
      if (text == NULL && field->type == SB_FIELD_BOOL)
        text = g_strdup (sb_record_get_int (field, record) ? _ ("Yes") : _ ("No"));
      if (text == NULL && field->choices != NULL)
        text = g_strdup (sb_record_get_choice (field, record));
      if (text == NULL)
        text = sb_record_to_string (field, record);
      if (field->type != SB_FIELD_DECIMAL)
        return text;
    }
  if (options->decimal_comma)
    g_strdelimit (text, ".", ',');
  return text;
}

static void
export_shown_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportData *d = task_data;
  const SbRecordListSpec *spec = d->spec;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) header = g_ptr_array_new ();

  for (guint c = 0; c < spec->n_columns; c++)
    {
      const SbRecordListColumn *column = &spec->columns[c];
      const SbField *field = g_str_equal (column->field, SB_RECORD_LIST_FIGURE)
                                 ? NULL
                                 : sb_record_type_find_field (spec->type, column->field);
      const char *title = column->title != NULL ? column->title
                          : field != NULL       ? field->label
                                                : column->field;
      g_ptr_array_add (header, (gpointer) _ (title));
    }
  sb_csv_append_row (out, (const char *const *) header->pdata, header->len, d->options.separator);

  for (guint r = 0; r < d->rows->len; r++)
    {
      g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      for (guint c = 0; c < spec->n_columns; c++)
        g_ptr_array_add (cells, column_text (&spec->columns[c], d->rows->pdata[r], &d->options));
      sb_csv_append_row (out, (const char *const *) cells->pdata, cells->len, d->options.separator);
    }
  write_and_return (task, d, out, d->rows->len, cancellable);
}

void
sb_csv_export_shown_async (SbRecordListPage *page, GFile *file, const SbCsvWriteOptions *options,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  GListModel *model = sb_record_list_page_get_model (page);
  guint n = g_list_model_get_n_items (model);
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportData *d = g_new0 (ExportData, 1);

  d->file = g_object_ref (file);
  d->options = *options;
  d->spec = sb_record_list_page_get_spec (page);
  d->rows = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (d->rows, g_list_model_get_item (model, i));
  g_task_set_source_tag (task, sb_csv_export_shown_async);
  g_task_set_task_data (task, d, export_data_free);
  g_task_run_in_thread (task, export_shown_thread);
}

gssize
sb_csv_export_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

/* The page's menu */

static SbWindow *
page_window (SbRecordListPage *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  return SB_IS_WINDOW (root) ? SB_WINDOW (root) : NULL;
}

static void
toast (SbRecordListPage *page, const char *message)
{
  SbWindow *window = page_window (page);

  if (window != NULL)
    sb_window_add_toast (window, adw_toast_new (message));
}

static void
export_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbRecordListPage) page = user_data;
  g_autoptr (GError) error = NULL;
  ExportData *d = g_task_get_task_data (G_TASK (result));
  g_autofree char *name = g_file_get_basename (d->file);
  gssize n = sb_csv_export_finish (result, &error);
  g_autofree char *message = NULL;

  if (n < 0)
    message = g_strdup_printf (_ ("Could not export to %s: %s"), name, error->message);
  else
    {
      g_autofree char *count = sb_gui_format_count ((guint64) n);
      message = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "Exported %s row to %s", "Exported %s rows to %s", n),
          count, name);
    }
  toast (page, message);
}

static void
on_export_response (GtkNativeDialog *chooser, int response, SbRecordListPage *page)
{
  g_autoptr (GFile) file = NULL;
  const char *separator;
  const char *decimal;
  SbCsvWriteOptions options = { ',', FALSE, TRUE };
  gboolean shown = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "shown"));
  SbWindow *window = page_window (page);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  separator = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "separator");
  decimal = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "decimal");
  if (g_strcmp0 (separator, "semicolon") == 0)
    options.separator = ';';
  options.decimal_comma = g_strcmp0 (decimal, "comma") == 0;

  if (file != NULL && window != NULL)
    {
      if (shown)
        sb_csv_export_shown_async (page, file, &options, NULL, export_done, g_object_ref (page));
      else
        sb_csv_export_all_async (sb_record_list_page_get_spec (page),
                                 sb_window_get_database_path (window), file, &options, NULL,
                                 export_done, g_object_ref (page));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_export_file (SbRecordListPage *page, gboolean shown)
{
  static const char *separator_ids[] = { "comma", "semicolon", NULL };
  static const char *decimal_ids[] = { "point", "comma", NULL };
  const char *separator_labels[] = { _ ("Comma (,)"), _ ("Semicolon (;)"), NULL };
  const char *decimal_labels[] = { _ ("Point (1234.50)"), _ ("Comma (1234,50)"), NULL };
  const SbRecordListSpec *spec = sb_record_list_page_get_spec (page);
  g_autofree char *name = g_strconcat (spec->name, ".csv", NULL);
  GtkFileChooserNative *chooser;

  chooser =
      gtk_file_chooser_native_new (shown ? _ ("Export Shown Rows to CSV") : _ ("Export to CSV"),
                                   GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "separator", _ ("Separator"),
                               separator_ids, separator_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "separator", "comma");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "decimal", _ ("Decimals"), decimal_ids,
                               decimal_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "decimal", "point");
  g_object_set_data (G_OBJECT (chooser), "shown", GINT_TO_POINTER (shown));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), page);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_all (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  choose_export_file (SB_RECORD_LIST_PAGE (user_data), FALSE);
}

static void
on_export_shown (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  choose_export_file (SB_RECORD_LIST_PAGE (user_data), TRUE);
}

static void
on_imported (SbCsvImportDialog *dialog, guint inserted, guint updated, SbRecordListPage *page)
{
  g_autofree char *n_new = sb_gui_format_count (inserted);
  g_autofree char *n_updated = sb_gui_format_count (updated);
  g_autofree char *message = NULL;

  /* TRANSLATORS: "Imported from CSV: 12 new, 3 updated" */
  message = g_strdup_printf (_ ("Imported from CSV: %s new, %s updated"), n_new, n_updated);
  toast (page, message);
  sb_record_list_page_reload (page);
}

static void
on_import (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbRecordListPage *page = SB_RECORD_LIST_PAGE (user_data);
  SbWindow *window = page_window (page);
  SbCsvImportDialog *dialog;

  if (window == NULL)
    return;
  dialog = sb_csv_import_dialog_new (GTK_WINDOW (window), sb_window_get_database_path (window),
                                     sb_record_list_page_get_spec (page)->type);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_imported), page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
is_importable (const SbRecordType *type)
{
  static const char *const names[] = { "customers", "items", "resources" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (sb_csv_import_type_for_name (names[i]) == type)
      return TRUE;
  return FALSE;
}

void
sb_csv_export_attach (SbRecordListPage *page)
{
  const GActionEntry entries[] = {
    { "export-all", on_export_all, NULL, NULL, NULL },
    { "export-shown", on_export_shown, NULL, NULL, NULL },
    { "import", on_import, NULL, NULL, NULL },
  };
  const SbRecordListSpec *spec = sb_record_list_page_get_spec (page);
  gboolean importable = is_importable (spec->type);
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr (GMenu) menu = g_menu_new ();
  GtkWidget *button;

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries,
                                   importable ? G_N_ELEMENTS (entries) : 2, page);
  gtk_widget_insert_action_group (GTK_WIDGET (page), "csv", G_ACTION_GROUP (group));

  if (importable)
    {
      g_menu_append (menu, _ ("_Import from CSV…"), "csv.import");
      sb_record_list_page_add_empty_action (page, _ ("_Import from CSV…"), "csv.import");
    }
  g_menu_append (menu, _ ("_Export to CSV…"), "csv.export-all");
  g_menu_append (menu, _ ("Export _Shown Rows to CSV…"), "csv.export-shown");

  button = gtk_menu_button_new ();
  gtk_widget_set_name (button, "csv-menu");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-send-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (button, _ ("Import and Export"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Import and Export"), -1);
  sb_record_list_page_add_header_widget (page, button);
}
