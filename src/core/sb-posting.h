/* sb-posting.h: posting sales orders (ship and invoice)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

/* How much of order line @line_no to ship and invoice now. */
typedef struct
{
  gint64 line_no;
  SbDecimal quantity;
} SbPostingQuantity;

/* Ships and invoices order @order_no in one transaction, posting date =
 * the work date.
 *
 * With @quantities NULL (@n_quantities 0) every line's outstanding
 * quantity is posted.  Otherwise exactly the lines named are posted, each
 * with its quantity; lines not named wait for a later posting.
 *
 * An Open order is released first, as Business Central does when posting:
 * posting is the final word on the document, so asking for a separate
 * release step first would only add a click.
 *
 * Creates the posted invoice (number from the posted invoice series; due
 * date = posting date + the payment terms' days) with a line per posted
 * quantity — amounts are the order line's share round2 (amount × quantity
 * / line quantity), and the posting that completes a line takes whatever
 * is left so the invoices add up to the line exactly — plus the comment
 * lines; a customer ledger entry for the amount including VAT (local
 * currency at the currency's exchange rate); lowers the inventory of
 * inventory items; raises the lines' quantity shipped and invoiced and
 * sets the order's last shipment date.  An order shipped and invoiced in
 * full is deleted, as the ERP does.
 *
 * Refuses an order with nothing to post, a quantity above what is
 * outstanding, a negative quantity, an unknown line, a blocked customer
 * and a blocked item or resource on a line being posted.  Returns the posted invoice no., or NULL
 * with @error set. */
char *sb_posting_post_order (SbStore *store, const char *order_no,
                             const SbPostingQuantity *quantities, guint n_quantities,
                             GError **error);

G_END_DECLS
