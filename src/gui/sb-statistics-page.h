/* sb-statistics-page.h: the Statistics page: a customer's figures (integration-behaviour.md §7)
 * and charts of the books and of the synchronization with Dynamics 365 Sales
 *
 * Everything is read by a worker thread on a store of its own; the page shows the figures by
 * the user's locale and draws the charts with SbChart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-chart.h"
#include "sb-statistics-report.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_STATISTICS_PAGE (sb_statistics_page_get_type ())
G_DECLARE_FINAL_TYPE (SbStatisticsPage, sb_statistics_page, SB, STATISTICS_PAGE, SbPage)

/* Reads from the database of @store (the window's) when first shown. */
GtkWidget *sb_statistics_page_new (SbStore *store);

/* Reads the customers and the report again. */
void sb_statistics_page_reload (SbStatisticsPage *self);
/* Shows the figures of customer @customer_no (NULL: every customer); FALSE when the page's
 * customer list has no such customer. */
gboolean sb_statistics_page_set_customer (SbStatisticsPage *self, const char *customer_no);
/* TRUE while something is being read. */
gboolean sb_statistics_page_is_busy (SbStatisticsPage *self);
/* "loading", "report" or "error". */
const char *sb_statistics_page_get_state (SbStatisticsPage *self);
/* The report shown, or NULL. */
const SbStatisticsReport *sb_statistics_page_get_report (SbStatisticsPage *self);
/* The chart named @name: "balance", "sales", "top-customers", "invoice-status",
 * "sync-records". */
SbChart *sb_statistics_page_get_chart (SbStatisticsPage *self, const char *name);

G_END_DECLS
