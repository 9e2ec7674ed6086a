/* sb-posted-invoice.c
 *
 * Posted invoices are written once, by sb-posting.c, and never edited:
 * they are the record of what was sold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-posted-invoice.h"
#include "sb-record-check.h"
#include "sb-sales-document.h"

static gboolean
validate_invoice (SbStore *store, gconstpointer record, GError **error)
{
  const SbPostedInvoice *i = record;
  const SbRecordType *t = &sb_posted_invoice_record_type;

  return sb_check_reference (store, t, i, N_ ("Sell-to Customer No."), "customer", "no",
                             i->sell_to_customer_no, error);
}

static const SbField invoice_fields[] = {
  SB_FIELD (SbPostedInvoice, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbPostedInvoice, order_no, SB_FIELD_TEXT, 20, 0, N_ ("Order No.")),
  SB_FIELD (SbPostedInvoice, quote_no, SB_FIELD_TEXT, 20, 0, N_ ("Quote No.")),
  SB_FIELD (SbPostedInvoice, sell_to_customer_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_REQUIRED,
            N_ ("Sell-to Customer No.")),
  SB_FIELD (SbPostedInvoice, currency_code, SB_FIELD_CODE, 10, 0, N_ ("Currency Code")),
  SB_FIELD (SbPostedInvoice, currency_factor, SB_FIELD_DECIMAL, 0, 0, N_ ("Currency Factor")),
  SB_FIELD (SbPostedInvoice, posting_date, SB_FIELD_DATE, 0, SB_FIELD_FLAG_REQUIRED,
            N_ ("Posting Date")),
  SB_FIELD (SbPostedInvoice, due_date, SB_FIELD_DATE, 0, SB_FIELD_FLAG_REQUIRED, N_ ("Due Date")),
  SB_FIELD (SbPostedInvoice, shipment_date, SB_FIELD_DATE, 0, 0, N_ ("Shipment Date")),
  SB_FIELD (SbPostedInvoice, external_document_no, SB_FIELD_TEXT, 35, 0,
            N_ ("External Document No.")),
  SB_FIELD (SbPostedInvoice, your_reference, SB_FIELD_TEXT, 35, 0, N_ ("Your Reference")),
  SB_FIELD (SbPostedInvoice, payment_terms_code, SB_FIELD_CODE, 10, 0, N_ ("Payment Terms Code")),
  SB_FIELD (SbPostedInvoice, salesperson_code, SB_FIELD_CODE, 20, 0, N_ ("Salesperson Code")),
  SB_FIELD (SbPostedInvoice, bill_to_name, SB_FIELD_TEXT, 100, 0, N_ ("Bill-to Name")),
  SB_FIELD (SbPostedInvoice, bill_to_address, SB_FIELD_TEXT, 100, 0, N_ ("Bill-to Address")),
  SB_FIELD (SbPostedInvoice, bill_to_address_2, SB_FIELD_TEXT, 50, 0, N_ ("Bill-to Address 2")),
  SB_FIELD (SbPostedInvoice, bill_to_city, SB_FIELD_TEXT, 30, 0, N_ ("Bill-to City")),
  SB_FIELD (SbPostedInvoice, bill_to_post_code, SB_FIELD_TEXT, 20, 0, N_ ("Bill-to Post Code")),
  SB_FIELD (SbPostedInvoice, bill_to_county, SB_FIELD_TEXT, 30, 0, N_ ("Bill-to County")),
  SB_FIELD (SbPostedInvoice, bill_to_country_code, SB_FIELD_TEXT, 10, 0,
            N_ ("Bill-to Country/Region")),
  SB_FIELD (SbPostedInvoice, ship_to_name, SB_FIELD_TEXT, 100, 0, N_ ("Ship-to Name")),
  SB_FIELD (SbPostedInvoice, ship_to_address, SB_FIELD_TEXT, 100, 0, N_ ("Ship-to Address")),
  SB_FIELD (SbPostedInvoice, ship_to_address_2, SB_FIELD_TEXT, 50, 0, N_ ("Ship-to Address 2")),
  SB_FIELD (SbPostedInvoice, ship_to_city, SB_FIELD_TEXT, 30, 0, N_ ("Ship-to City")),
  SB_FIELD (SbPostedInvoice, ship_to_post_code, SB_FIELD_TEXT, 20, 0, N_ ("Ship-to Post Code")),
  SB_FIELD (SbPostedInvoice, ship_to_county, SB_FIELD_TEXT, 30, 0, N_ ("Ship-to County")),
  SB_FIELD (SbPostedInvoice, ship_to_country_code, SB_FIELD_TEXT, 10, 0,
            N_ ("Ship-to Country/Region")),
  SB_FIELD (SbPostedInvoice, amount, SB_FIELD_DECIMAL, 0, 0, N_ ("Amount")),
  SB_FIELD (SbPostedInvoice, amount_including_vat, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Amount Including VAT")),
  SB_FIELD (SbPostedInvoice, invoice_discount_amount, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Invoice Discount Amount")),
  SB_FIELD_CHANGE_NO (SbPostedInvoice),
  SB_FIELD_MODIFIED_AT (SbPostedInvoice),
};

const SbRecordType sb_posted_invoice_record_type = {
  "posted_invoice",
  N_ ("Posted Sales Invoice"),
  sizeof (SbPostedInvoice),
  invoice_fields,
  G_N_ELEMENTS (invoice_fields),
  "no",
  validate_invoice,
  (GDestroyNotify) sb_posted_invoice_free,
};
SB_DEFINE_RECORD (SbPostedInvoice, sb_posted_invoice)

static gboolean
validate_invoice_line (SbStore *store, gconstpointer record, GError **error)
{
  const SbPostedInvoiceLine *l = record;

  return sb_sales_validate_line_values (&sb_posted_invoice_line_record_type, l, l->type, l->no,
                                        l->quantity, l->unit_price, l->line_discount_amount,
                                        l->vat_pct, error);
}

static const SbField invoice_line_fields[] = {
  SB_FIELD (SbPostedInvoiceLine, invoice_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY,
            N_ ("Invoice No.")),
  SB_FIELD (SbPostedInvoiceLine, line_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, N_ ("Line No.")),
  SB_FIELD (SbPostedInvoiceLine, order_line_no, SB_FIELD_INT, 0, 0, N_ ("Order Line No.")),
  SB_SALES_LINE_COMMON_FIELDS (SbPostedInvoiceLine),
};

const SbRecordType sb_posted_invoice_line_record_type = {
  "posted_invoice_line",
  N_ ("Posted Sales Invoice Line"),
  sizeof (SbPostedInvoiceLine),
  invoice_line_fields,
  G_N_ELEMENTS (invoice_line_fields),
  "invoice_no, line_no",
  validate_invoice_line,
  (GDestroyNotify) sb_posted_invoice_line_free,
};
SB_DEFINE_RECORD (SbPostedInvoiceLine, sb_posted_invoice_line)

SbPostedInvoice *
sb_posted_invoice_get (SbStore *store, const char *no, GError **error)
{
  g_autoptr (SbPostedInvoice) key = sb_posted_invoice_new ();

  g_free (key->no);
  key->no = g_strdup (no);
  return sb_record_lookup (store, &sb_posted_invoice_record_type, key, error);
}

GPtrArray *
sb_posted_invoice_get_lines (SbStore *store, const char *no, GError **error)
{
  const char *params[] = { no, NULL };

  return sb_record_list (store, &sb_posted_invoice_line_record_type, "invoice_no = ?1", params,
                         error);
}

GPtrArray *
sb_posted_invoice_list (SbStore *store, const char *customer_no, const char *search, GError **error)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *pattern = NULL;
  const char *params[3] = { NULL, NULL, NULL };
  guint n = 0;

  if (customer_no != NULL && *customer_no != '\0')
    {
      params[n++] = customer_no;
      g_string_append_printf (where, "sell_to_customer_no = ?%u", n);
    }
  if (search != NULL && *search != '\0')
    {
      pattern = g_strdup_printf ("%%%s%%", search);
      params[n++] = pattern;
      g_string_append_printf (where,
                              "%s(no LIKE ?%u OR order_no LIKE ?%u OR bill_to_name LIKE ?%u"
                              " OR external_document_no LIKE ?%u)",
                              where->len > 0 ? " AND " : "", n, n, n, n);
    }
  return sb_record_list (store, &sb_posted_invoice_record_type, n > 0 ? where->str : NULL, params,
                         error);
}
