/* sb-books-private.h: one SbRecordListSpec per book, each in its own file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-coupling-controller.h"
#include "sb-detail-page.h"
#include "sb-record-list-spec.h"

G_BEGIN_DECLS

extern const SbRecordListSpec sb_customer_book;
extern const SbRecordListSpec sb_item_book;
extern const SbRecordListSpec sb_quote_book;
extern const SbRecordListSpec sb_order_book;
extern const SbRecordListSpec sb_posted_invoice_book;
extern const SbRecordListSpec sb_contact_book;
extern const SbRecordListSpec sb_resource_book;
extern const SbRecordListSpec sb_salesperson_book;
extern const SbRecordListSpec sb_currency_book;
extern const SbRecordListSpec sb_unit_of_measure_book;
extern const SbRecordListSpec sb_price_group_book;

/* The company's local currency code, '' when the setup names none. */
char *sb_books_get_local_currency (SbStore *store);
/* A detail page whose rows could not be read says so instead of failing
 * silently. */
void sb_books_add_error_group (SbDetailPage *page, const char *title, const GError *error);

/* The card of a record whose book has nothing but its fields: @title_field's value as the
 * title, "Currency EUR" below it, the "General" group of @fields (NULL-terminated) and, with
 * @coupling, its "Dynamics 365 Sales" group. */
GtkWidget *sb_books_new_simple_card (SbStore *store, SbRecordObject *object, const char *icon_name,
                                     const char *title_field, const char *const *fields,
                                     const SbCouplingSpec *coupling);
/* The SbRecordListSpec.extend of a book coupled with Dynamics 365 Sales: its extend_data is
 * the SbCouplingSpec. */
void sb_books_extend_coupled (GtkWidget *page);

/* One document line as a row: description, what and how many, amount.
 * Comment lines show only their text. */
void sb_books_add_line_row (AdwPreferencesGroup *group, gint64 type, const char *no,
                            const char *description, SbDecimal quantity, const char *unit_code,
                            SbDecimal unit_price, SbDecimal line_discount_amount, SbDecimal amount,
                            const char *currency_code);

G_END_DECLS
