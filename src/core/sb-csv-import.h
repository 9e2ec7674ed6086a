/* sb-csv-import.h: customers, items and resources from CSV; any records to CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-csv.h"
#include "sb-record.h"

G_BEGIN_DECLS

/* One thing wrong with the file, said so a person can fix it. */
typedef struct
{
  guint row;    /* as a spreadsheet numbers it: the header is row 1; 0 = the whole file */
  char *column; /* the column's header, or NULL when the problem is the record as a whole */
  char *message;
} SbCsvProblem;

typedef struct
{
  guint inserted;
  guint updated;
  guint skipped;       /* already there, and "update existing" was off */
  GPtrArray *problems; /* SbCsvProblem, in row order; when not empty nothing was written */
} SbCsvImportReport;

void sb_csv_import_report_free (SbCsvImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbCsvImportReport, sb_csv_import_report_free)
/* "Row 4, Credit Limit: …" */
char *sb_csv_problem_to_string (const SbCsvProblem *problem);

/* What can be imported, by the names the CLI uses: "customers", "items",
 * "resources".  NULL for another name. */
const SbRecordType *sb_csv_import_type_for_name (const char *name);

typedef struct _SbCsvImport SbCsvImport;

/* @rows as sb_csv_parse() returns them (taken over), the first one the
 * header.  Columns are mapped to the fields of @type whose name or label
 * (also translated) matches the header, ignoring case, spaces and
 * punctuation.  Fails when there is no header. */
SbCsvImport *sb_csv_import_new (const SbRecordType *type, GPtrArray *rows, GError **error);
SbCsvImport *sb_csv_import_new_from_file (const SbRecordType *type, const char *path,
                                          char separator, GError **error);
void sb_csv_import_free (SbCsvImport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbCsvImport, sb_csv_import_free)

const SbRecordType *sb_csv_import_get_record_type (SbCsvImport *self);
guint sb_csv_import_get_n_columns (SbCsvImport *self);
const char *sb_csv_import_get_column (SbCsvImport *self, guint column);
guint sb_csv_import_get_n_rows (SbCsvImport *self); /* without the header */
/* The field @column goes to, or NULL when it is ignored. */
const SbField *sb_csv_import_get_field (SbCsvImport *self, guint column);
/* Sends @column to @field (NULL: ignore the column).  A field takes one
 * column: the column that had it before is ignored from then on. */
void sb_csv_import_set_field (SbCsvImport *self, guint column, const SbField *field);
/* The same by names, for "--map COLUMN=FIELD": @field_name is a field's
 * name or label, or "" to ignore the column. */
gboolean sb_csv_import_map (SbCsvImport *self, const char *column_name, const char *field_name,
                            GError **error);
/* The fields a column may be mapped to (not those the store maintains). */
gboolean sb_csv_import_field_is_importable (const SbField *field);

/* Decimals written 1234,50 instead of 1234.50. */
void sb_csv_import_set_decimal_comma (SbCsvImport *self, gboolean decimal_comma);
/* Rows whose key is already in the books update that record (only the
 * mapped fields) instead of being skipped. */
void sb_csv_import_set_update_existing (SbCsvImport *self, gboolean update_existing);

/* The first @max_rows rows as they would be imported: one string per
 * mapped column, in column order, the value in its stable form, or the
 * text with a leading "⚠ " when it cannot be read. */
GPtrArray *sb_csv_import_preview (SbCsvImport *self, guint max_rows);

/* Imports every row in one transaction of @store.  Every row with a
 * problem is reported, and then nothing is written; with @dry_run nothing
 * is written either (the validation pass).  NULL with @error only when the
 * mapping lacks a required field or the database fails. */
SbCsvImportReport *sb_csv_import_run (SbCsvImport *self, SbStore *store, gboolean dry_run,
                                      GError **error);

typedef struct
{
  char separator;         /* ',' or ';' */
  gboolean decimal_comma; /* 1234,50 */
  gboolean labels;        /* header and choices as translated labels, not stable names */
} SbCsvWriteOptions;

/* Appends a header row and one row per record of @records (element type:
 * @type's struct) to @out.  @columns names the fields, or NULL for all but
 * those the store maintains. */
void sb_csv_write_records (GString *out, const SbRecordType *type, GPtrArray *records,
                           const char *const *columns, const SbCsvWriteOptions *options);

G_END_DECLS
