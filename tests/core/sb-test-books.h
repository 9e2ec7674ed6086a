/* sb-test-books.h: the company every sales-document test starts from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-posting.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-statistics.h"
#include "sb-test-util.h"

G_BEGIN_DECLS

/* The books every test starts from: local currency EUR; USD at 0.8 EUR;
 * payment terms 30D; customer C1 (price group RETAIL, 30D), C2 (USD),
 * C3 (no price group); items I1 (inventory, 100.00, 10 in stock, RETAIL
 * price 90.00), I2 (service, 50.00); resource R1 (80.00 per hour). */
typedef struct
{
  char *dir;
  SbStore *store;
} Fixture;

void sbt_set (char **field, const char *value);
SbDecimal sbt_dec (const char *text);
void sbt_insert (SbStore *store, const SbRecordType *type, gpointer record);
void sbt_add_customer (SbStore *store, const char *no, const char *name, const char *currency,
                       const char *price_group, const char *terms);
void sbt_add_item (SbStore *store, const char *no, const char *description, const char *price,
                   SbItemType type, const char *inventory);
void sbt_fixture_set_up (Fixture *f, gconstpointer data);
void sbt_fixture_tear_down (Fixture *f, gconstpointer data);
char *sbt_create_document (Fixture *f, SbSalesDocType type, const char *customer);
gint64 sbt_add_line (Fixture *f, SbSalesDocType type, const char *doc_no, SbSalesLineType line_type,
                     const char *no, const char *quantity, const char *price, const char *discount,
                     const char *vat);
SbSalesLine *sbt_get_line (Fixture *f, SbSalesDocType type, const char *doc_no, gint64 line_no);
void sbt_assert_amount (SbDecimal value, const char *expected);
char *sbt_post (Fixture *f, const char *order, const SbPostingQuantity *q, guint n);

G_END_DECLS
