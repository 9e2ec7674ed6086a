/* sb-statistics.h: a customer's figures computed from the books
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

/* All amounts in the local currency. */
typedef struct
{
  char *customer_no;
  char *as_of_date;
  SbDecimal balance_lcy;              /* open remaining amount on the ledger */
  SbDecimal outstanding_orders_lcy;   /* not yet shipped on open orders, incl. VAT */
  SbDecimal shipped_not_invoiced_lcy; /* shipped on orders, not yet invoiced, incl. VAT */
  SbDecimal outstanding_invoices_lcy; /* unposted invoices, incl. VAT */
  SbDecimal total_lcy;                /* the four above */
  SbDecimal credit_limit_lcy;         /* from the customer */
  SbDecimal overdue_amounts_lcy;      /* open invoice amounts due before as_of_date */
  char *fiscal_year_start;            /* the fiscal year containing as_of_date */
  char *fiscal_year_end;
  SbDecimal total_sales_lcy; /* invoiced excl. VAT within that fiscal year */
  SbDecimal invoiced_prepayment_amount_lcy;
} SbCustomerStatistics;
/* A record type without a table: for JSON and detail views only. */
SB_DECLARE_RECORD (SbCustomerStatistics, sb_customer_statistics)

/* Computes @customer_no's statistics as of @as_of_date ('YYYY-MM-DD'; NULL:
 * the work date).  Read-only; NULL with @error set when the customer does
 * not exist or the date is not a date. */
SbCustomerStatistics *sb_customer_statistics_compute (SbStore *store, const char *customer_no,
                                                      const char *as_of_date, GError **error);

G_END_DECLS
