/* sb-csv-export.h: Export to CSV (and Import from CSV) on the list pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-csv-import.h"
#include "sb-record-list-page.h"

G_BEGIN_DECLS

/* Adds a menu to @page's header bar: Export to CSV… (every record with
 * every field), Export Shown Rows to CSV… (the rows the search and filter
 * leave, with the columns shown), and, for customers, items and resources,
 * Import from CSV….  The actions are "csv.export-all", "csv.export-shown"
 * and "csv.import" on @page.  @page must be in an SbWindow when they run. */
void sb_csv_export_attach (SbRecordListPage *page);

/* Writes every record of @spec's book to @file, read in a worker on a
 * read-only store of its own on @database_path. */
void sb_csv_export_all_async (const SbRecordListSpec *spec, const char *database_path, GFile *file,
                              const SbCsvWriteOptions *options, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
/* Writes the rows @page shows, with its columns, to @file (in a worker). */
void sb_csv_export_shown_async (SbRecordListPage *page, GFile *file,
                                const SbCsvWriteOptions *options, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
/* The number of rows written, or -1 with @error. */
gssize sb_csv_export_finish (GAsyncResult *result, GError **error);

G_END_DECLS
