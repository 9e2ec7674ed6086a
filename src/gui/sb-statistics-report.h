/* sb-statistics-report.h: what the Statistics page shows, read from the books and the
 * synchronization log in one go (on a worker thread, with a store of its own)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-statistics.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_STATISTICS_N_MONTHS 12
#define SB_STATISTICS_N_DAYS 14
#define SB_STATISTICS_N_TOP 8

/* Invoices by the status their ledger entry gives them in Sales (integration-behaviour.md §7). */
typedef enum
{
  SB_INVOICE_STATE_BILLED,   /* nothing paid */
  SB_INVOICE_STATE_PARTIAL,  /* part paid */
  SB_INVOICE_STATE_COMPLETE, /* paid */
  SB_INVOICE_N_STATES,
} SbInvoiceState;

typedef struct
{
  char *customer_no;                /* the customer the figures are about, NULL: every customer */
  char *customer_name;              /* "" for every customer */
  char *currency_code;              /* the local currency, "" when the setup names none */
  SbCustomerStatistics *statistics; /* of customer_no, NULL for every customer */

  /* The last SB_STATISTICS_N_MONTHS months up to the work date's: 'YYYY-MM' each. */
  char *months[SB_STATISTICS_N_MONTHS];
  double balance[SB_STATISTICS_N_MONTHS]; /* at each month's end (the work date for the last) */
  double overdue[SB_STATISTICS_N_MONTHS]; /* unpaid and past due then */
  double sales[SB_STATISTICS_N_MONTHS];   /* invoiced excl. VAT in the month */

  /* Every customer's sales of those months, the biggest first. */
  guint n_top;
  char *top_names[SB_STATISTICS_N_TOP];
  double top_sales[SB_STATISTICS_N_TOP];

  guint invoices[SB_INVOICE_N_STATES]; /* how many posted invoices are in each state */
  double invoice_amounts[SB_INVOICE_N_STATES];

  /* The synchronization of the last SB_STATISTICS_N_DAYS days, by the day (UTC) its jobs
   * started: 'YYYY-MM-DD' each. */
  char *days[SB_STATISTICS_N_DAYS];
  double records[SB_STATISTICS_N_DAYS]; /* inserted, modified or deleted */
  double jobs[SB_STATISTICS_N_DAYS];
  double errors[SB_STATISTICS_N_DAYS];   /* records that failed */
  double requests[SB_STATISTICS_N_DAYS]; /* Dataverse requests the jobs sent */
  double records_per_second;             /* over the finished jobs of those days, 0 when none */
  guint64 total_records;
  guint64 total_errors;
} SbStatisticsReport;

void sb_statistics_report_free (SbStatisticsReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbStatisticsReport, sb_statistics_report_free)

/* Reads the report for @customer_no (NULL: every customer) as of the work date. */
SbStatisticsReport *sb_statistics_report_load (SbStore *store, const char *customer_no,
                                               GError **error);

G_END_DECLS
