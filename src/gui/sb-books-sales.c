/* sb-books-sales.c: sales quotes and orders, and their document cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-sales-document.h"

static GPtrArray *
list_quotes (SbStore *store, GError **error)
{
  return sb_sales_document_list (store, SB_SALES_DOC_QUOTE, NULL, NULL, error);
}

static GPtrArray *
list_orders (SbStore *store, GError **error)
{
  return sb_sales_document_list (store, SB_SALES_DOC_ORDER, NULL, NULL, error);
}

static gboolean
document_amount (SbStore *store, gconstpointer record, SbDecimal *out_value, GError **error)
{
  const SbSalesHeader *header = record;
  SbSalesTotals totals;

  if (!sb_sales_document_get_totals (store, header->doc_type, header->no, &totals, error))
    return FALSE;
  *out_value = totals.amount;
  return TRUE;
}

static char *
count_quotes (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s quote", "%s quotes", n), count);
}

static char *
count_orders (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders", n), count);
}

static void
add_lines_and_totals (SbDetailPage *page, SbStore *store, const SbSalesHeader *header,
                      const char *currency)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  AdwPreferencesGroup *group;
  SbSalesTotals totals;
  g_autofree char *discount = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *vat = NULL;
  g_autofree char *total = NULL;
  GtkWidget *row;

  lines = sb_sales_document_get_lines (store, header->doc_type, header->no, &error);
  if (lines == NULL)
    {
      sb_books_add_error_group (page, _ ("Lines"), error);
      return;
    }

  group = sb_detail_page_add_group (page, _ ("Lines"));
  if (lines->len == 0)
    sb_detail_page_add_placeholder_row (group, _ ("No lines yet"));
  for (guint i = 0; i < lines->len; i++)
    {
      const SbSalesLine *line = g_ptr_array_index (lines, i);

      sb_books_add_line_row (group, line->type, line->no, line->description, line->quantity,
                             line->unit_code, line->unit_price, line->line_discount_amount,
                             line->amount, currency);
    }

  sb_sales_totals_from_lines (lines, &totals);
  discount = sb_decimal_format_money (totals.line_discount_amount, currency, 2);
  amount = sb_decimal_format_money (totals.amount, currency, 2);
  vat = sb_decimal_format_money (totals.vat_amount, currency, 2);
  total = sb_decimal_format_money (totals.amount_including_vat, currency, 2);

  group = sb_detail_page_add_group (page, _ ("Totals"));
  sb_detail_page_add_value_row (group, _ ("Line Discount Amount"), discount, TRUE);
  sb_detail_page_add_value_row (group, _ ("Total Excl. VAT"), amount, TRUE);
  sb_detail_page_add_value_row (group, _ ("VAT Amount"), vat, TRUE);
  row = sb_detail_page_add_value_row (group, _ ("Total Incl. VAT"), total, TRUE);
  gtk_widget_add_css_class (row, "heading");
}

static GtkWidget *
create_document_detail (SbStore *store, SbRecordObject *object)
{
  static const char *const quote_general[] = {
    "no",     "sell_to_customer_no",  "order_date",     "quote_valid_until",
    "status", "external_document_no", "your_reference", "salesperson_code",
    NULL
  };
  static const char *const order_general[] = { "no",
                                               "sell_to_customer_no",
                                               "order_date",
                                               "quote_no",
                                               "requested_delivery_date",
                                               "last_shipment_date",
                                               "status",
                                               "external_document_no",
                                               "your_reference",
                                               "salesperson_code",
                                               NULL };
  static const char *const invoicing[] = { "currency_code", "payment_terms_code",
                                           "payment_discount_pct", NULL };
  static const char *const bill_to[] = { "bill_to_name",         "bill_to_address",
                                         "bill_to_address_2",    "bill_to_post_code",
                                         "bill_to_city",         "bill_to_county",
                                         "bill_to_country_code", NULL };
  static const char *const ship_to[] = { "ship_to_name",         "ship_to_address",
                                         "ship_to_address_2",    "ship_to_post_code",
                                         "ship_to_city",         "ship_to_county",
                                         "ship_to_country_code", NULL };
  const SbSalesHeader *header = sb_record_object_get_record (object);
  const SbRecordType *type = &sb_sales_header_record_type;
  g_autofree char *local_currency = sb_books_get_local_currency (store);
  const char *currency = *header->currency_code != '\0' ? header->currency_code : local_currency;
  g_autofree char *subtitle = sb_sales_document_describe (header->doc_type, header->no);
  SbDetailPage *page;

  page = SB_DETAIL_PAGE (sb_detail_page_new (
      *header->bill_to_name != '\0' ? header->bill_to_name : header->sell_to_customer_no,
      subtitle));
  sb_detail_page_add_heading (page, "x-office-document-symbolic");

  sb_detail_page_add_fields (page, _ ("General"), type, header,
                             header->doc_type == SB_SALES_DOC_QUOTE ? quote_general : order_general,
                             NULL, NULL);
  add_lines_and_totals (page, store, header, currency);
  sb_detail_page_add_fields (page, _ ("Invoicing"), type, header, invoicing, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Bill-to"), type, header, bill_to, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Ship-to"), type, header, ship_to, NULL, NULL);
  if (*header->work_description != '\0')
    {
      AdwPreferencesGroup *group = sb_detail_page_add_group (page, _ ("Work Description"));
      sb_detail_page_add_placeholder_row (group, header->work_description);
    }
  return GTK_WIDGET (page);
}

static const SbRecordListColumn quote_columns[] = {
  { "no", NULL, 100, FALSE, 0, NULL },
  { "sell_to_customer_no", N_ ("Customer No."), 100, FALSE, 0, NULL },
  { "bill_to_name", N_ ("Customer Name"), 180, TRUE, 0, NULL },
  { "order_date", N_ ("Document Date"), 110, FALSE, 0, NULL },
  { "quote_valid_until", N_ ("Valid Until"), 100, FALSE, 0, NULL },
  { "status", NULL, 90, FALSE, 0, NULL },
  { SB_RECORD_LIST_FIGURE, N_ ("Amount"), 130, FALSE, 2, NULL },
};

static const SbRecordListColumn order_columns[] = {
  { "no", NULL, 100, FALSE, 0, NULL },
  { "sell_to_customer_no", N_ ("Customer No."), 100, FALSE, 0, NULL },
  { "bill_to_name", N_ ("Customer Name"), 180, TRUE, 0, NULL },
  { "order_date", NULL, 100, FALSE, 0, NULL },
  { "requested_delivery_date", N_ ("Delivery Date"), 100, FALSE, 0, NULL },
  { "status", NULL, 90, FALSE, 0, NULL },
  { SB_RECORD_LIST_FIGURE, N_ ("Amount"), 130, FALSE, 2, NULL },
};

static const char *const document_search_fields[] = {
  "no", "sell_to_customer_no", "bill_to_name", "external_document_no", "your_reference", NULL,
};

const SbRecordListSpec sb_quote_book = {
  .name = "quotes",
  .title = N_ ("Sales Quotes"),
  .icon_name = "document-edit-symbolic",
  .type = &sb_sales_header_record_type,
  .list = list_quotes,
  .columns = quote_columns,
  .n_columns = G_N_ELEMENTS (quote_columns),
  .search_fields = document_search_fields,
  .search_placeholder = N_ ("Search by number, customer or reference"),
  .empty_title = N_ ("No Sales Quotes"),
  .empty_description = N_ ("Quotes made with salesbridge-cli or synchronized from Dynamics 365 "
                           "Sales appear here."),
  .count_label = count_quotes,
  .create_detail = create_document_detail,
  .figure = document_amount,
};

const SbRecordListSpec sb_order_book = {
  .name = "orders",
  .title = N_ ("Sales Orders"),
  .icon_name = "x-office-document-symbolic",
  .type = &sb_sales_header_record_type,
  .list = list_orders,
  .columns = order_columns,
  .n_columns = G_N_ELEMENTS (order_columns),
  .search_fields = document_search_fields,
  .search_placeholder = N_ ("Search by number, customer or reference"),
  .empty_title = N_ ("No Open Sales Orders"),
  .empty_description = N_ ("Orders still to be shipped and invoiced appear here; fully posted "
                           "orders move to Posted Invoices."),
  .count_label = count_orders,
  .create_detail = create_document_detail,
  .figure = document_amount,
};
