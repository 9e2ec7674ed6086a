/* sb-posted-invoice.h: posted sales invoices, made by posting an order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef struct
{
  char *no;
  char *order_no;
  char *quote_no;
  char *sell_to_customer_no;
  char *currency_code;       /* blank = local currency */
  SbDecimal currency_factor; /* the exchange rate used: local per one unit */
  char *posting_date;
  char *due_date;
  char *shipment_date;
  char *external_document_no;
  char *your_reference;
  char *payment_terms_code;
  char *salesperson_code;
  char *bill_to_name;
  char *bill_to_address;
  char *bill_to_address_2;
  char *bill_to_city;
  char *bill_to_post_code;
  char *bill_to_county;
  char *bill_to_country_code;
  char *ship_to_name;
  char *ship_to_address;
  char *ship_to_address_2;
  char *ship_to_city;
  char *ship_to_post_code;
  char *ship_to_county;
  char *ship_to_country_code;
  SbDecimal amount; /* excl. VAT, in the invoice currency */
  SbDecimal amount_including_vat;
  SbDecimal invoice_discount_amount;
  gint64 change_no;
  char *modified_at;
} SbPostedInvoice;
SB_DECLARE_RECORD (SbPostedInvoice, sb_posted_invoice)

typedef struct
{
  char *invoice_no;
  gint64 line_no;
  gint64 order_line_no; /* the order line it invoices; 0 for none */
  gint64 type;          /* SbSalesLineType */
  char *no;
  char *description;
  gint64 attached_to_line_no; /* an invoice line no. */
  SbDecimal quantity;
  char *unit_code;
  SbDecimal unit_price;
  SbDecimal line_discount_amount;
  SbDecimal vat_pct;
  SbDecimal amount;
  SbDecimal amount_including_vat;
} SbPostedInvoiceLine;
SB_DECLARE_RECORD (SbPostedInvoiceLine, sb_posted_invoice_line)

SbPostedInvoice *sb_posted_invoice_get (SbStore *store, const char *no, GError **error);
/* Lines by line no.; element type SbPostedInvoiceLine. */
GPtrArray *sb_posted_invoice_get_lines (SbStore *store, const char *no, GError **error);
/* Invoices by number; only @customer_no's when not NULL, only those whose
 * number, order no., bill-to name or external document no. contains
 * @search when not NULL. */
GPtrArray *sb_posted_invoice_list (SbStore *store, const char *customer_no, const char *search,
                                   GError **error);

G_END_DECLS
