/* sb-csv-import-dialog.c
 *
 * The dialog keeps one SbCsvImport (the parsed file and its mapping).
 * Reading the file, checking it (sb_csv_import_run() with dry_run, which
 * writes nothing) and importing run in GTask threads that open their own
 * SbStore on the company file; while one runs the controls are insensitive,
 * so the import is never changed under the worker.  Every change of
 * mapping or options checks the file again, and Import is offered only
 * after a check without problems.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>

#include "sb-csv-import-dialog.h"
#include "sb-csv-import.h"
#include "sb-gui-format.h"
#include "sb-store.h"

#define PREVIEW_ROWS 5
/* Many bad rows must not push the mapping out of sight; the CLI lists all. */
#define MAX_PROBLEMS_SHOWN 12

struct _SbCsvImportDialog
{
  AdwWindow parent_instance;

  char *database_path;
  const SbRecordType *type;
  GFile *file;
  SbCsvImport *import; /* NULL until a file is read; freed in finalize, after every worker */
  GPtrArray *column_rows;
  GStrv problems;
  gboolean busy;
  gboolean checked_ok;
  gboolean updating_rows; /* set while the combo rows follow the import's mapping */
  GCancellable *cancellable;

  AdwWindowTitle *window_title;
  GtkWidget *import_button;
  GtkSpinner *spinner;
  GtkWidget *content_box;
  AdwActionRow *file_row;
  AdwComboRow *separator_row;
  GtkSwitch *decimal_switch;
  GtkSwitch *update_switch;
  AdwPreferencesGroup *columns_group;
  GtkWidget *preview_group;
  GtkGrid *preview_grid;
  GtkWidget *report_group;
  GtkLabel *summary_label;
  GtkListBox *problems_list;
};

G_DEFINE_FINAL_TYPE (SbCsvImportDialog, sb_csv_import_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_IMPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void check (SbCsvImportDialog *self);

static void
set_busy (SbCsvImportDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->content_box, !busy);
  gtk_widget_set_sensitive (self->import_button, !busy && self->checked_ok);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

static void
show_message (SbCsvImportDialog *self, const char *message, GStrv problems)
{
  GtkWidget *child;

  gtk_widget_set_visible (self->report_group, TRUE);
  gtk_label_set_text (self->summary_label, message);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; problems != NULL && problems[i] != NULL && i < MAX_PROBLEMS_SHOWN; i++)
    {
      GtkWidget *label = gtk_label_new (problems[i]);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_list_box_append (self->problems_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list),
                          problems != NULL && problems[0] != NULL);
}

/* The preview */

/* The preview's stable form ("1234.5", "true") as the locale shows it. */
static char *
display_text (const SbRecordType *type, const SbField *field, const char *stable)
{
  gpointer record;
  char *text;

  if (g_str_has_prefix (stable, "⚠"))
    return g_strdup (stable);
  record = sb_record_new (type);
  if (sb_record_parse_field (type, field, record, stable, NULL))
    text = sb_gui_format_field (field, record, NULL);
  else
    text = g_strdup (stable);
  sb_record_free (type, record);
  return text;
}

static void
update_preview (SbCsvImportDialog *self)
{
  g_autoptr (GPtrArray) rows = sb_csv_import_preview (self->import, PREVIEW_ROWS);
  GtkWidget *child;
  int column = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);

  for (guint c = 0; c < sb_csv_import_get_n_columns (self->import); c++)
    {
      const SbField *field = sb_csv_import_get_field (self->import, c);
      GtkWidget *heading;

      if (field == NULL)
        continue;
      heading = gtk_label_new (_ (field->label));
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_grid_attach (self->preview_grid, heading, column, 0, 1, 1);
      for (guint r = 0; r < rows->len; r++)
        {
          char **cells = rows->pdata[r];
          g_autofree char *shown = display_text (self->type, field, cells[column]);
          GtkWidget *label = gtk_label_new (shown);

          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
          if (g_str_has_prefix (cells[column], "⚠"))
            gtk_widget_add_css_class (label, "error");
          gtk_grid_attach (self->preview_grid, label, column, (int) r + 1, 1, 1);
        }
      column++;
    }
  gtk_widget_set_visible (self->preview_group, column > 0);
}

/* The column mapping: one combo row per column of the file */

static guint
field_position (const SbRecordType *type, const SbField *field)
{
  guint position = 1; /* 0 is "Ignore" */

  for (guint i = 0; i < type->n_fields; i++)
    {
      if (!sb_csv_import_field_is_importable (&type->fields[i]))
        continue;
      if (&type->fields[i] == field)
        return position;
      position++;
    }
  return 0;
}

static const SbField *
field_at (const SbRecordType *type, guint position)
{
  guint n = 1;

  for (guint i = 0; i < type->n_fields; i++)
    {
      if (!sb_csv_import_field_is_importable (&type->fields[i]))
        continue;
      if (n++ == position)
        return &type->fields[i];
    }
  return NULL;
}

static void
sync_column_rows (SbCsvImportDialog *self)
{
  self->updating_rows = TRUE;
  for (guint c = 0; c < self->column_rows->len; c++)
    adw_combo_row_set_selected (
        self->column_rows->pdata[c],
        field_position (self->type, sb_csv_import_get_field (self->import, c)));
  self->updating_rows = FALSE;
}

static void
on_column_changed (AdwComboRow *row, GParamSpec *pspec, SbCsvImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "column"));

  if (self->updating_rows || self->import == NULL)
    return;
  if (self->busy)
    {
      /* A worker reads the mapping (the rows are insensitive then): keep it. */
      sync_column_rows (self);
      return;
    }
  sb_csv_import_set_field (self->import, column,
                           field_at (self->type, adw_combo_row_get_selected (row)));
  /* A field takes one column: the one that had it shows Ignore now. */
  sync_column_rows (self);
  update_preview (self);
  check (self);
}

static void
build_column_rows (SbCsvImportDialog *self)
{
  g_autoptr (GtkStringList) choices = gtk_string_list_new (NULL);

  /* Setting a row's model selects its first entry: not a choice. */
  self->updating_rows = TRUE;
  for (guint c = 0; c < self->column_rows->len; c++)
    adw_preferences_group_remove (self->columns_group, self->column_rows->pdata[c]);
  g_ptr_array_set_size (self->column_rows, 0);

  gtk_string_list_append (choices, _ ("Ignore"));
  for (guint i = 0; i < self->type->n_fields; i++)
    if (sb_csv_import_field_is_importable (&self->type->fields[i]))
      gtk_string_list_append (choices, _ (self->type->fields[i].label));

  for (guint c = 0; c < sb_csv_import_get_n_columns (self->import); c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      const char *header = sb_csv_import_get_column (self->import, c);
      g_autofree char *name = g_strdup_printf ("column-%u", c);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     *header != '\0' ? header : _ ("(no name)"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (choices));
      g_object_set_data (G_OBJECT (row), "column", GUINT_TO_POINTER (c));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_column_changed), self);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }
  sync_column_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), TRUE);
}

/* Workers */

typedef struct
{
  char *database_path;
  SbCsvImport *import; /* the dialog's, not changed while the worker runs */
  gboolean dry_run;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *d = data;

  g_free (d->database_path);
  g_free (d);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *d = task_data;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GError) error = NULL;
  SbCsvImportReport *report;

  store = sb_store_open (d->database_path, SB_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = sb_csv_import_run (d->import, store, d->dry_run, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sb_csv_import_report_free);
}

static GStrv
problem_lines (SbCsvImportReport *report)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < report->problems->len; i++)
    {
      g_autofree char *line = sb_csv_problem_to_string (report->problems->pdata[i]);
      g_strv_builder_add (builder, line);
    }
  return g_strv_builder_end (builder);
}

static void
show_report (SbCsvImportDialog *self, SbCsvImportReport *report)
{
  g_autofree char *message = NULL;
  g_autofree char *n_new = sb_gui_format_count (report->inserted);
  g_autofree char *n_update = sb_gui_format_count (report->updated);
  g_autofree char *n_skip = sb_gui_format_count (report->skipped);

  g_strfreev (self->problems);
  self->problems = problem_lines (report);
  if (report->problems->len > 0)
    {
      g_autofree char *count = sb_gui_format_count (report->problems->len);
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%s problem. Fix the file or the column mapping, "
                                              "then check again; nothing will be imported until "
                                              "every row is right.",
                                              "%s problems. Fix the file or the column mapping, "
                                              "then check again; nothing will be imported until "
                                              "every row is right.",
                                              report->problems->len),
                                 count);
      if (report->problems->len > MAX_PROBLEMS_SHOWN)
        {
          g_autofree char *shown = sb_gui_format_count (MAX_PROBLEMS_SHOWN);
          g_autofree char *more = g_strdup_printf (_ ("The first %s are listed."), shown);
          g_autofree char *both = g_strconcat (message, " ", more, NULL);
          g_free (message);
          message = g_steal_pointer (&both);
        }
    }
  else
    message = g_strdup_printf (_ ("No problems found: %s new, %s to update, %s skipped."), n_new,
                               n_update, n_skip);
  show_message (self, message, self->problems);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (source);
  g_autoptr (SbCsvImportReport) report = NULL;
  g_autoptr (GError) error = NULL;

  report = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (report == NULL)
    {
      g_strfreev (self->problems);
      self->problems = g_strsplit (error->message, "\n", 1);
      self->checked_ok = FALSE;
      show_message (self, error->message, NULL);
    }
  else
    {
      self->checked_ok = report->problems->len == 0;
      show_report (self, report);
    }
  set_busy (self, FALSE);
}

static GTask *
start_run (SbCsvImportDialog *self, gboolean dry_run, GAsyncReadyCallback callback)
{
  GTask *task = g_task_new (self, self->cancellable, callback, NULL);
  RunData *d = g_new0 (RunData, 1);

  d->database_path = g_strdup (self->database_path);
  d->import = self->import;
  d->dry_run = dry_run;
  g_task_set_task_data (task, d, run_data_free);
  self->checked_ok = FALSE;
  set_busy (self, TRUE);
  g_task_run_in_thread (task, run_thread);
  return task;
}

static void
check (SbCsvImportDialog *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->import == NULL || self->busy)
    return;
  sb_csv_import_set_decimal_comma (self->import, gtk_switch_get_active (self->decimal_switch));
  sb_csv_import_set_update_existing (self->import, gtk_switch_get_active (self->update_switch));
  show_message (self, _ ("Checking every row…"), NULL);
  task = start_run (self, TRUE, check_done);
}

static void
import_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (source);
  g_autoptr (SbCsvImportReport) report = NULL;
  g_autoptr (GError) error = NULL;

  report = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (report == NULL || report->problems->len > 0)
    {
      /* The books changed since the check (another window, the sync). */
      if (report != NULL)
        show_report (self, report);
      else
        show_message (self, error->message, NULL);
      set_busy (self, FALSE);
      return;
    }
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, report->inserted, report->updated);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_import_clicked (SbCsvImportDialog *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->import == NULL || self->busy || !self->checked_ok)
    return;
  show_message (self, _ ("Importing…"), NULL);
  task = start_run (self, FALSE, import_done);
}

/* Reading the file */

typedef struct
{
  GFile *file;
  const SbRecordType *type;
  char separator;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  g_object_unref (d->file);
  g_free (d);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GPtrArray *rows;
  SbCsvImport *import;

  if (!g_file_load_contents (d->file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  rows = sb_csv_parse (contents, length, d->separator, NULL, &error);
  if (rows == NULL || (import = sb_csv_import_new (d->type, rows, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, import, (GDestroyNotify) sb_csv_import_free);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (source);
  g_autoptr (GError) error = NULL;
  SbCsvImport *import = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      sb_csv_import_free (import);
      return;
    }
  set_busy (self, FALSE);
  if (import == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (self->file);
      g_autofree char *message =
          g_strdup_printf (_ ("Could not read %s: %s"), name, error->message);
      g_strfreev (self->problems);
      self->problems = g_strsplit (message, "\n", 1);
      gtk_widget_set_visible (GTK_WIDGET (self->columns_group), FALSE);
      gtk_widget_set_visible (self->preview_group, FALSE);
      show_message (self, message, NULL);
      return;
    }
  g_clear_pointer (&self->import, sb_csv_import_free);
  self->import = import;
  {
    g_autofree char *count = sb_gui_format_count (sb_csv_import_get_n_rows (import));
    g_autofree char *subtitle = NULL;
    g_autofree char *basename = g_file_get_basename (self->file);

    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s — %s row", "%s — %s rows",
                                             sb_csv_import_get_n_rows (import)),
                                basename, count);
    adw_action_row_set_subtitle (self->file_row, subtitle);
  }
  build_column_rows (self);
  update_preview (self);
  check (self);
}

static void
load (SbCsvImportDialog *self)
{
  static const char separators[] = { SB_CSV_DETECT, ',', ';' };
  g_autoptr (GTask) task = NULL;
  LoadData *d;
  guint selected;

  if (self->file == NULL || self->busy)
    return;
  selected = adw_combo_row_get_selected (self->separator_row);
  d = g_new0 (LoadData, 1);
  d->file = g_object_ref (self->file);
  d->type = self->type;
  d->separator = selected < G_N_ELEMENTS (separators) ? separators[selected] : SB_CSV_DETECT;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, d, load_data_free);
  self->checked_ok = FALSE;
  set_busy (self, TRUE);
  g_task_run_in_thread (task, load_thread);
}

void
sb_csv_import_dialog_load_file (SbCsvImportDialog *self, GFile *file)
{
  g_return_if_fail (SB_IS_CSV_IMPORT_DIALOG (self));
  g_return_if_fail (!self->busy);

  g_set_object (&self->file, file);
  load (self);
}

static void
on_separator_changed (SbCsvImportDialog *self)
{
  load (self);
}

static void
on_option_changed (SbCsvImportDialog *self)
{
  /* A worker may be reading the import (the switches are insensitive then). */
  if (self->import == NULL || self->busy)
    return;
  sb_csv_import_set_decimal_comma (self->import, gtk_switch_get_active (self->decimal_switch));
  update_preview (self);
  check (self);
}

static void
on_chooser_response (GtkNativeDialog *chooser, int response, SbCsvImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        sb_csv_import_dialog_load_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_choose_clicked (SbCsvImportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_ ("Import from CSV"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  gtk_file_filter_set_name (csv, _ ("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
sb_csv_import_dialog_get_busy (SbCsvImportDialog *self)
{
  g_return_val_if_fail (SB_IS_CSV_IMPORT_DIALOG (self), FALSE);
  return self->busy;
}

GStrv
sb_csv_import_dialog_dup_problems (SbCsvImportDialog *self)
{
  g_return_val_if_fail (SB_IS_CSV_IMPORT_DIALOG (self), NULL);
  return g_strdupv (self->problems);
}

static void
sb_csv_import_dialog_dispose (GObject *object)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_CSV_IMPORT_DIALOG);
  G_OBJECT_CLASS (sb_csv_import_dialog_parent_class)->dispose (object);
}

static void
sb_csv_import_dialog_finalize (GObject *object)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (object);

  /* Workers hold a reference on the dialog, so none uses the import now. */
  g_clear_pointer (&self->import, sb_csv_import_free);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_free (self->database_path);
  G_OBJECT_CLASS (sb_csv_import_dialog_parent_class)->finalize (object);
}

static void
sb_csv_import_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbCsvImportDialog *self = SB_CSV_IMPORT_DIALOG (object);

  switch (prop_id)
    {
      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_csv_import_dialog_class_init (SbCsvImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_csv_import_dialog_dispose;
  object_class->finalize = sb_csv_import_dialog_finalize;
  object_class->get_property = sb_csv_import_dialog_get_property;

  props[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_IMPORTED] =
      g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-csv-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, content_box);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, separator_row);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, decimal_switch);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, update_switch);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, report_group);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SbCsvImportDialog, problems_list);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_separator_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
}

static void
sb_csv_import_dialog_init (SbCsvImportDialog *self)
{
  const char *radix = nl_langinfo (RADIXCHAR);

  self->column_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Spreadsheets write numbers as the locale does. */
  gtk_switch_set_active (self->decimal_switch, radix != NULL && g_str_equal (radix, ","));
}

SbCsvImportDialog *
sb_csv_import_dialog_new (GtkWindow *parent, const char *database_path, const SbRecordType *type)
{
  SbCsvImportDialog *self = g_object_new (SB_TYPE_CSV_IMPORT_DIALOG, "transient-for", parent, NULL);

  self->database_path = g_strdup (database_path);
  self->type = type;
  adw_window_title_set_title (self->window_title, _ ("Import from CSV"));
  adw_window_title_set_subtitle (self->window_title, _ (type->label));
  gtk_window_set_title (GTK_WINDOW (self), _ ("Import from CSV"));
  return self;
}
