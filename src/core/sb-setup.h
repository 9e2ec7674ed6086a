/* sb-setup.h: company-wide settings and number series
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id; /* always 1 */
  char *company_name;
  char *local_currency_code;
  gint64 fiscal_year_start_month; /* 1–12 */
  gint64 change_no;
  char *modified_at;
} SbGeneralSetup;

SB_DECLARE_RECORD (SbGeneralSetup, sb_general_setup)
SbGeneralSetup *sb_general_setup_get (SbStore *store, GError **error);
gboolean sb_general_setup_update (SbStore *store, SbGeneralSetup *setup, GError **error);

typedef enum
{
  SB_WRITE_IN_NONE = 0,
  SB_WRITE_IN_ITEM = 1,
  SB_WRITE_IN_RESOURCE = 2,
} SbWriteInProductType;

typedef struct
{
  gint64 id; /* always 1 */
  char *customer_nos;
  char *quote_nos;
  char *order_nos;
  char *posted_invoice_nos;
  char *payment_nos;
  char *contact_nos;
  gint64 write_in_product_type; /* SbWriteInProductType */
  char *write_in_product_no;
  gint64 change_no;
  char *modified_at;
} SbSalesSetup;

SB_DECLARE_RECORD (SbSalesSetup, sb_sales_setup)
SbSalesSetup *sb_sales_setup_get (SbStore *store, GError **error);
gboolean sb_sales_setup_update (SbStore *store, SbSalesSetup *setup, GError **error);
/* Refuses (SB_CORE_ERROR_INVALID) an item or resource (@type SbWriteInProductType) coupled to
 * a Dataverse product as the write-in product (integration-behaviour.md §5). */
gboolean sb_sales_setup_check_write_in (SbStore *store, gint64 type, const char *no,
                                        GError **error);

typedef enum
{
  SB_NO_SERIES_CUSTOMER,
  SB_NO_SERIES_CONTACT,
  SB_NO_SERIES_QUOTE,
  SB_NO_SERIES_ORDER,
  SB_NO_SERIES_POSTED_INVOICE,
  SB_NO_SERIES_PAYMENT,
} SbNoSeriesKind;

/* Takes the next number of series @code ("C00011"), inside the caller's
 * transaction so a rolled-back document does not use up a number. */
char *sb_no_series_next (SbStore *store, const char *code, GError **error);
/* The same for the series the sales setup assigns to @kind. */
char *sb_no_series_next_for (SbStore *store, SbNoSeriesKind kind, GError **error);
/* Inserts @record; when its (single) key field is blank it is numbered from
 * the series of @kind first, and the number is written back into @record. */
gboolean sb_no_series_insert_record (SbStore *store, const SbRecordType *type, gpointer record,
                                     SbNoSeriesKind kind, GError **error);

/* The work date as 'YYYY-MM-DD': today, unless SALESBRIDGE_WORK_DATE is
 * set (demo data and tests need a fixed "today"). */
char *sb_get_work_date (void);

G_END_DECLS
