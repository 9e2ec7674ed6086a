/* sb-order-outbox.h: status changes of orders taken from Dynamics 365 Sales, waiting to be sent
 *
 * integration-behaviour.md §5: releasing, shipping and invoicing an ERP order created from a
 * Dataverse order posts to that order's timeline, a fully invoiced order becomes Invoiced, and
 * deleting the ERP order sends the Dataverse order back to Active. The ERP write records what
 * to send here, in its own transaction, only for orders that came from Sales (they have a row
 * in sales_document_origin); the Sales Order Status job (src/sync) sends it. So a status change
 * is never lost, and never sent for a change that was rolled back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-store.h"

G_BEGIN_DECLS

typedef enum
{
  SB_ORDER_OUTBOX_POST = 0,       /* a timeline post with text */
  SB_ORDER_OUTBOX_INVOICED = 1,   /* statecode Invoiced; text = the last shipment date */
  SB_ORDER_OUTBOX_REACTIVATE = 2, /* the ERP order was deleted: Active / Pending */
} SbOrderOutboxKind;

typedef enum
{
  SB_ORDER_OUTBOX_PENDING = 0,
  SB_ORDER_OUTBOX_SENT = 1,
  SB_ORDER_OUTBOX_FAILED = 2, /* tried and failed; sent again by the next run */
} SbOrderOutboxState;

/* Records a row for order @order_no when it came from Sales (else does nothing). Call inside
 * the transaction of the change it reports. */
gboolean sb_order_outbox_record (SbStore *store, const char *order_no, SbOrderOutboxKind kind,
                                 const char *text, GError **error);
/* The user deletes an order that came from Sales: records REACTIVATE and forgets the order's
 * origin and coupling. Call inside the deleting transaction. */
gboolean sb_order_outbox_order_deleted (SbStore *store, const char *order_no, GError **error);

G_END_DECLS
