/* sb-sales-records-page.h: the Dynamics 365 Sales records no ERP record is coupled with
 *
 * Lists the rows of one Sales table (accounts, contacts, products) that the mapping's filter
 * takes in and that are not coupled, read page by page on a worker thread and searched on the
 * server; the selected rows can be created in the ERP (and coupled), or coupled with an ERP
 * record picked from a searchable list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_SALES_RECORDS_PAGE (sb_sales_records_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSalesRecordsPage, sb_sales_records_page, SB, SALES_RECORDS_PAGE, SbPage)

/* @store: the window's; workers open their own connections to its file. Rows load when the
 * page is first mapped. */
GtkWidget *sb_sales_records_page_new (SbStore *store);

/* Shows the table of @mapping ("CUSTOMER", "CONTACT", "ITEM-PRODUCT", "RESOURCE-PRODUCT");
 * FALSE for a mapping the page does not offer. */
gboolean sb_sales_records_page_set_mapping (SbSalesRecordsPage *self, const char *mapping);
const char *sb_sales_records_page_get_mapping (SbSalesRecordsPage *self);
void sb_sales_records_page_set_search_text (SbSalesRecordsPage *self, const char *text);
/* Reads the rows again (a read under way is cancelled). */
void sb_sales_records_page_reload (SbSalesRecordsPage *self);
/* TRUE while rows are read or an action runs. */
gboolean sb_sales_records_page_is_busy (SbSalesRecordsPage *self);
/* "loading", "list", "empty", "no-results", "disabled" (no enabled connection) or "error". */
const char *sb_sales_records_page_get_state (SbSalesRecordsPage *self);
/* The last error or action result, as shown, or NULL. */
const char *sb_sales_records_page_get_last_message (SbSalesRecordsPage *self);

G_END_DECLS
