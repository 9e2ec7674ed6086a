/* sb-reference-data.h: the code tables other records refer to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef struct
{
  char *code;
  char *name;
  char *email;
  char *phone;
  gboolean blocked;
  gint64 change_no;
  char *modified_at;
} SbSalesperson;
SB_DECLARE_RECORD (SbSalesperson, sb_salesperson)

typedef struct
{
  char *code; /* ISO 4217 */
  char *description;
  char *symbol;
  SbDecimal exchange_rate; /* local currency per one unit of this currency */
  gint64 amount_decimals;
  gint64 change_no;
  char *modified_at;
} SbCurrency;
SB_DECLARE_RECORD (SbCurrency, sb_currency)

typedef struct
{
  char *code;
  char *description;
  gint64 change_no;
  char *modified_at;
} SbUnitOfMeasure;
SB_DECLARE_RECORD (SbUnitOfMeasure, sb_unit_of_measure)

typedef struct
{
  char *code;
  char *description;
  gint64 change_no;
  char *modified_at;
} SbCustomerPriceGroup;
SB_DECLARE_RECORD (SbCustomerPriceGroup, sb_customer_price_group)

typedef struct
{
  char *code;
  char *description;
  gint64 due_days;
  gint64 change_no;
  char *modified_at;
} SbPaymentTerms;
SB_DECLARE_RECORD (SbPaymentTerms, sb_payment_terms)

/* Looks up a code-keyed record of @type ("EUR", "PCS", …). */
gpointer sb_code_record_lookup (SbStore *store, const SbRecordType *type, const char *code,
                                GError **error);

/* Converts @amount in @currency_code (blank or the local currency: as is)
 * to the local currency at the currency's exchange rate, rounded to cents. */
gboolean sb_currency_to_local (SbStore *store, const char *currency_code, SbDecimal amount,
                               SbDecimal *out_local, SbDecimal *out_factor, GError **error);

G_END_DECLS
