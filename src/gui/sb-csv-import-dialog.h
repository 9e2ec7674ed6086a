/* sb-csv-import-dialog.h: Import from CSV: file, options, column mapping, preview, check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-record.h"

G_BEGIN_DECLS

#define SB_TYPE_CSV_IMPORT_DIALOG (sb_csv_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SbCsvImportDialog, sb_csv_import_dialog, SB, CSV_IMPORT_DIALOG, AdwWindow)

/* A modal dialog over @parent importing records of @type (customers, items
 * or resources, see sb_csv_import_type_for_name()) into the company at
 * @database_path.  Reading, checking and importing run in worker threads
 * on stores of their own.  Emits "imported" (guint new, guint updated)
 * once the import is committed, then closes. */
SbCsvImportDialog *sb_csv_import_dialog_new (GtkWindow *parent, const char *database_path,
                                             const SbRecordType *type);

/* Reads @file, as choosing it in the file chooser does. */
void sb_csv_import_dialog_load_file (SbCsvImportDialog *self, GFile *file);
/* TRUE while a worker reads, checks or imports ("busy" notifies). */
gboolean sb_csv_import_dialog_get_busy (SbCsvImportDialog *self);
/* The problems of the last check, one line each, or NULL before a check. */
GStrv sb_csv_import_dialog_dup_problems (SbCsvImportDialog *self);

G_END_DECLS
