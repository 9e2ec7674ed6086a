/* sb-books-invoices.c: posted sales invoices and their cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-invoice-actions.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"

static GPtrArray *
list_invoices (SbStore *store, GError **error)
{
  return sb_posted_invoice_list (store, NULL, NULL, error);
}

static char *
count_invoices (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s invoice", "%s invoices", n), count);
}

static void
add_lines (SbDetailPage *page, SbStore *store, const SbPostedInvoice *invoice, const char *currency)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = sb_posted_invoice_get_lines (store, invoice->no, &error);
  AdwPreferencesGroup *group;

  if (lines == NULL)
    {
      sb_books_add_error_group (page, _ ("Lines"), error);
      return;
    }
  group = sb_detail_page_add_group (page, _ ("Lines"));
  if (lines->len == 0)
    sb_detail_page_add_placeholder_row (group, _ ("No lines"));
  for (guint i = 0; i < lines->len; i++)
    {
      const SbPostedInvoiceLine *line = g_ptr_array_index (lines, i);

      sb_books_add_line_row (group, line->type, line->no, line->description, line->quantity,
                             line->unit_code, line->unit_price, line->line_discount_amount,
                             line->amount, currency);
    }
}

static void
add_totals (SbDetailPage *page, SbStore *store, const SbPostedInvoice *invoice,
            const char *currency)
{
  AdwPreferencesGroup *group = sb_detail_page_add_group (page, _ ("Totals"));
  g_autofree char *discount =
      sb_decimal_format_money (invoice->invoice_discount_amount, currency, 2);
  g_autofree char *amount = sb_decimal_format_money (invoice->amount, currency, 2);
  g_autofree char *vat =
      sb_decimal_format_money (invoice->amount_including_vat - invoice->amount, currency, 2);
  g_autofree char *total = sb_decimal_format_money (invoice->amount_including_vat, currency, 2);
  g_autoptr (SbLedgerEntry) entry = NULL;
  GtkWidget *row;

  sb_detail_page_add_value_row (group, _ ("Invoice Discount Amount"), discount, TRUE);
  sb_detail_page_add_value_row (group, _ ("Total Excl. VAT"), amount, TRUE);
  sb_detail_page_add_value_row (group, _ ("VAT Amount"), vat, TRUE);
  row = sb_detail_page_add_value_row (group, _ ("Total Incl. VAT"), total, TRUE);
  gtk_widget_add_css_class (row, "heading");

  /* What the customer still owes on it, from its ledger entry. */
  entry = sb_ledger_find_invoice_entry (store, invoice->no, NULL);
  if (entry != NULL)
    {
      g_autofree char *remaining = sb_decimal_format_money (entry->remaining_amount, currency, 2);
      sb_detail_page_add_value_row (group, _ ("Remaining Amount"), remaining, TRUE);
    }
}

/* The card's Sales status, from the page's SbInvoiceActions once the card is in the page. */
static void
update_status_row (GtkWidget *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, SB_TYPE_RECORD_LIST_PAGE);
  SbInvoiceActions *actions =
      page != NULL ? sb_invoice_actions_get (SB_RECORD_LIST_PAGE (page)) : NULL;

  if (actions != NULL)
    adw_action_row_set_subtitle (
        ADW_ACTION_ROW (row),
        sb_invoice_actions_get_sales_status (actions, g_object_get_data (G_OBJECT (row), "sb-no")));
}

static void
on_status_row_mapped (GtkWidget *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, SB_TYPE_RECORD_LIST_PAGE);
  SbInvoiceActions *actions =
      page != NULL ? sb_invoice_actions_get (SB_RECORD_LIST_PAGE (page)) : NULL;

  if (actions != NULL && g_object_get_data (G_OBJECT (row), "sb-connected") == NULL)
    {
      g_signal_connect_object (actions, "changed", G_CALLBACK (update_status_row), row,
                               G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (row), "sb-connected", GINT_TO_POINTER (1));
    }
  update_status_row (row);
}

static void
add_action_row (AdwPreferencesGroup *group, const char *name, const char *title,
                const char *action_name)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action_name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_preferences_group_add (group, row);
}

static void
add_sales_group (SbDetailPage *page, const SbPostedInvoice *invoice)
{
  AdwPreferencesGroup *group = sb_detail_page_add_group (page, _ ("Dynamics 365 Sales"));
  GtkWidget *status = adw_action_row_new ();

  /* The page's actions act on the card's invoice. */
  g_object_set_data_full (G_OBJECT (page), "sb-coupling-key", g_strdup (invoice->no), g_free);
  gtk_widget_set_name (status, "invoice-sales-status");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (status), _ ("Status in Sales"));
  g_object_set_data_full (G_OBJECT (status), "sb-no", g_strdup (invoice->no), g_free);
  g_signal_connect (status, "map", G_CALLBACK (on_status_row_mapped), NULL);
  adw_preferences_group_add (group, status);
  add_action_row (group, "invoice-create-row", _ ("_Create Invoice in Dynamics 365 Sales"),
                  "invoice.create");
  add_action_row (group, "invoice-pay-row", _ ("_Register Payment…"), "invoice.pay");
  add_action_row (group, "invoice-open-row", _ ("_Open in Dynamics 365 Sales"), "invoice.open");
}

static GtkWidget *
create_invoice_detail (SbStore *store, SbRecordObject *object)
{
  static const char *const general[] = { "no",
                                         "sell_to_customer_no",
                                         "posting_date",
                                         "due_date",
                                         "shipment_date",
                                         "order_no",
                                         "quote_no",
                                         "external_document_no",
                                         "your_reference",
                                         "salesperson_code",
                                         NULL };
  static const char *const invoicing[] = { "currency_code", "currency_factor", "payment_terms_code",
                                           NULL };
  static const char *const bill_to[] = { "bill_to_name",         "bill_to_address",
                                         "bill_to_address_2",    "bill_to_post_code",
                                         "bill_to_city",         "bill_to_county",
                                         "bill_to_country_code", NULL };
  static const char *const ship_to[] = { "ship_to_name",         "ship_to_address",
                                         "ship_to_address_2",    "ship_to_post_code",
                                         "ship_to_city",         "ship_to_county",
                                         "ship_to_country_code", NULL };
  const SbPostedInvoice *invoice = sb_record_object_get_record (object);
  const SbRecordType *type = &sb_posted_invoice_record_type;
  g_autofree char *local_currency = sb_books_get_local_currency (store);
  const char *currency = *invoice->currency_code != '\0' ? invoice->currency_code : local_currency;
  g_autofree char *subtitle = NULL;
  SbDetailPage *page;

  /* TRANSLATORS: the subtitle of a posted invoice's card: its number */
  subtitle = g_strdup_printf (_ ("Posted invoice %s"), invoice->no);
  page = SB_DETAIL_PAGE (sb_detail_page_new (
      *invoice->bill_to_name != '\0' ? invoice->bill_to_name : invoice->sell_to_customer_no,
      subtitle));
  sb_detail_page_add_heading (page, "emblem-documents-symbolic");

  sb_detail_page_add_fields (page, _ ("General"), type, invoice, general, NULL, NULL);
  add_lines (page, store, invoice, currency);
  add_totals (page, store, invoice, currency);
  add_sales_group (page, invoice);
  sb_detail_page_add_fields (page, _ ("Invoicing"), type, invoice, invoicing, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Bill-to"), type, invoice, bill_to, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Ship-to"), type, invoice, ship_to, NULL, NULL);
  return GTK_WIDGET (page);
}

static const SbRecordListColumn invoice_columns[] = {
  { "no", NULL, 100, FALSE, 0, NULL },
  { "sell_to_customer_no", N_ ("Customer No."), 100, FALSE, 0, NULL },
  { "bill_to_name", N_ ("Customer Name"), 160, TRUE, 0, NULL },
  { "posting_date", NULL, 100, FALSE, 0, NULL },
  { "due_date", NULL, 100, FALSE, 0, NULL },
  { "currency_code", N_ ("Currency"), 70, FALSE, 0, NULL },
  { "amount_including_vat", N_ ("Amount Incl. VAT"), 130, FALSE, 2, NULL },
};

static void
extend_invoices (GtkWidget *page)
{
  sb_invoice_actions_attach_invoices (SB_RECORD_LIST_PAGE (page));
}

static const char *const invoice_search_fields[] = {
  "no", "order_no", "sell_to_customer_no", "bill_to_name", "external_document_no", NULL,
};

const SbRecordListSpec sb_posted_invoice_book = {
  .name = "invoices",
  .title = N_ ("Posted Invoices"),
  .icon_name = "emblem-documents-symbolic",
  .type = &sb_posted_invoice_record_type,
  .list = list_invoices,
  .columns = invoice_columns,
  .n_columns = G_N_ELEMENTS (invoice_columns),
  .search_fields = invoice_search_fields,
  .search_placeholder = N_ ("Search by number, order, customer or reference"),
  .empty_title = N_ ("No Posted Invoices"),
  .empty_description = N_ ("Posting a sales order makes its invoice. Open an order that is "
                           "shipped and post it."),
  .empty_actions = { { N_ ("_Open Sales Orders"), "win.show-page", "orders", FALSE } },
  .count_label = count_invoices,
  .create_detail = create_invoice_detail,
  .extend = extend_invoices,
};
