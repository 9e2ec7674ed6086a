/* sb-books-private.h: one SbRecordListSpec per book, each in its own file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-detail-page.h"
#include "sb-record-list-spec.h"

G_BEGIN_DECLS

extern const SbRecordListSpec sb_customer_book;
extern const SbRecordListSpec sb_item_book;
extern const SbRecordListSpec sb_quote_book;
extern const SbRecordListSpec sb_order_book;
extern const SbRecordListSpec sb_posted_invoice_book;

/* The company's local currency code, '' when the setup names none. */
char *sb_books_get_local_currency (SbStore *store);
/* A detail page whose rows could not be read says so instead of failing
 * silently. */
void sb_books_add_error_group (SbDetailPage *page, const char *title, const GError *error);

/* One document line as a row: description, what and how many, amount.
 * Comment lines show only their text. */
void sb_books_add_line_row (AdwPreferencesGroup *group, gint64 type, const char *no,
                            const char *description, SbDecimal quantity, const char *unit_code,
                            SbDecimal unit_price, SbDecimal line_discount_amount, SbDecimal amount,
                            const char *currency_code);

G_END_DECLS
