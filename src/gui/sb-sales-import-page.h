/* sb-sales-import-page.h: the sales orders or quotes salespeople made in Dynamics 365 Sales,
 * and the action that takes them into the ERP
 *
 * One page type for both lists (integration-behaviour.md §5–6): the rows are read from
 * Dataverse by a worker, searched and filtered here; "Create in ERP" (orders) or "Process in
 * ERP" (quotes) runs on the selected rows in a worker, one document at a time, so one that
 * fails does not stop the others, and each failure is listed with its reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-sales-document.h"
#include "sb-store.h"

G_BEGIN_DECLS

typedef enum
{
  SB_SALES_IMPORT_ORDERS,
  SB_SALES_IMPORT_QUOTES,
} SbSalesImportKind;

/* How many of the newest documents the page reads. */
#define SB_SALES_IMPORT_LIMIT 500

#define SB_TYPE_SALES_IMPORT_PAGE (sb_sales_import_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSalesImportPage, sb_sales_import_page, SB, SALES_IMPORT_PAGE, SbPage)

/* @store is the window's; workers open the same file on stores of their own.  Rows load when
 * the page is first mapped. */
GtkWidget *sb_sales_import_page_new (SbSalesImportKind kind, SbStore *store);

void sb_sales_import_page_reload (SbSalesImportPage *self);
/* TRUE while the rows are read or an action runs. */
gboolean sb_sales_import_page_is_busy (SbSalesImportPage *self);
/* "loading", "disabled" (no enabled connection), "error", "empty", "no-results" or "list". */
const char *sb_sales_import_page_get_state (SbSalesImportPage *self);
/* Why the rows could not be read, or NULL. */
const char *sb_sales_import_page_get_error (SbSalesImportPage *self);

/* The rows as shown (SbSalesImportRow), searched and filtered, and their selection. */
GListModel *sb_sales_import_page_get_model (SbSalesImportPage *self);
GtkSelectionModel *sb_sales_import_page_get_selection (SbSalesImportPage *self);
void sb_sales_import_page_set_search_text (SbSalesImportPage *self, const char *text);
/* Shows only the documents still to take into the ERP (submitted orders, active or won
 * quotes, without an ERP document). */
void sb_sales_import_page_set_only_pending (SbSalesImportPage *self, gboolean only_pending);
/* Selects the shown row of Dataverse number @number alone; FALSE when none shows it. */
gboolean sb_sales_import_page_select_number (SbSalesImportPage *self, const char *number);

/* "Create in ERP" / "Process in ERP" on the selected rows that qualify, in a worker. */
void sb_sales_import_page_run_action (SbSalesImportPage *self);
/* The text of the last toast, or NULL. */
const char *sb_sales_import_page_get_last_message (SbSalesImportPage *self);
/* The last action's failures, one line each: "NUMBER: message". */
GStrv sb_sales_import_page_dup_failures (SbSalesImportPage *self);

G_END_DECLS
