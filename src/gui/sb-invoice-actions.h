/* sb-invoice-actions.h: posted invoices, payments and account statistics with Dynamics 365
 * Sales, on the Posted Invoices and Customers pages (integration-behaviour.md §7)
 *
 * On the Posted Invoices page: a "Sales Status" column (Not Sent, Billed, Partial, Complete,
 * Canceled, as Sales has it), and the actions Create Invoice in Dynamics 365 Sales (the
 * selected invoices, or the card's), Register Payment… and Open in Dynamics 365 Sales. On the
 * Customers page: Update Account Statistics of the selected customers (all coupled ones when
 * none is selected). Everything that talks to Sales or writes runs on a worker thread with a
 * store and an engine of its own; results come back as toasts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-record-list-page.h"

G_BEGIN_DECLS

#define SB_TYPE_INVOICE_ACTIONS (sb_invoice_actions_get_type ())
G_DECLARE_FINAL_TYPE (SbInvoiceActions, sb_invoice_actions, SB, INVOICE_ACTIONS, GObject)

/* The column and the "invoice" actions (create, pay, open) of the Posted Invoices page. */
SbInvoiceActions *sb_invoice_actions_attach_invoices (SbRecordListPage *page);
/* The "statistics.update" action of the Customers page. */
SbInvoiceActions *sb_invoice_actions_attach_customers (SbRecordListPage *page);
/* The actions attached to @page, or NULL. */
SbInvoiceActions *sb_invoice_actions_get (SbRecordListPage *page);

GActionGroup *sb_invoice_actions_get_actions (SbInvoiceActions *self);
/* Reads the Sales statuses again (in a worker). */
void sb_invoice_actions_reload (SbInvoiceActions *self);
/* TRUE while statuses are read or an action runs. */
gboolean sb_invoice_actions_is_busy (SbInvoiceActions *self);
/* "Billed", "Not Sent", … translated, for posted invoice @invoice_no. */
const char *sb_invoice_actions_get_sales_status (SbInvoiceActions *self, const char *invoice_no);
/* The last message an action reported (as its toast), or NULL. */
const char *sb_invoice_actions_get_last_message (SbInvoiceActions *self);

G_END_DECLS
