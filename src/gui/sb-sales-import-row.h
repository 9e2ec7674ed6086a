/* sb-sales-import-row.h: one Dataverse sales order or quote as a list row
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SB_TYPE_SALES_IMPORT_ROW (sb_sales_import_row_get_type ())
G_DECLARE_FINAL_TYPE (SbSalesImportRow, sb_sales_import_row, SB, SALES_IMPORT_ROW, GObject)

/* Keeps a reference to @object, one element of the engine's list of orders or quotes
 * (src/sync/sb-sync-sales-import.h), which must not change afterwards. */
SbSalesImportRow *sb_sales_import_row_new (JsonObject *object);

/* The member @name as text: strings as they are, numbers in C notation, '' when missing or
 * null.  Never NULL. */
const char *sb_sales_import_row_get (SbSalesImportRow *self, const char *name);
gint64 sb_sales_import_row_get_int (SbSalesImportRow *self, const char *name);
gboolean sb_sales_import_row_get_bool (SbSalesImportRow *self, const char *name);
/* Lower-cased number, name, customer and ERP numbers, for the search. */
const char *sb_sales_import_row_get_search_text (SbSalesImportRow *self);

/* The outcome of the last action on this row: the ERP document no. it made, or why it failed
 * (NULL: none yet).  Setting either clears the other and notifies "result". */
void sb_sales_import_row_set_result (SbSalesImportRow *self, const char *erp_no,
                                     const char *error_message);
const char *sb_sales_import_row_get_result_no (SbSalesImportRow *self);
const char *sb_sales_import_row_get_result_error (SbSalesImportRow *self);

G_END_DECLS
