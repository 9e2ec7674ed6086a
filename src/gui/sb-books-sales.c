/* sb-books-sales.c: sales quotes and orders, and their document cards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-books-private.h"
#include "sb-document-origin.h"
#include "sb-posting.h"
#include "sb-record-list-page.h"
#include "sb-sales-document.h"
#include "sb-window.h"

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

/* Release, reopen and post, in a worker on a store of its own */

typedef enum
{
  DOCUMENT_RELEASE,
  DOCUMENT_REOPEN,
  DOCUMENT_POST,
} DocumentAction;

typedef struct
{
  char *db_path;
  SbSalesDocType type;
  char *no;
  DocumentAction action;
} DocumentJob;

static void
document_job_free (DocumentJob *job)
{
  g_free (job->db_path);
  g_free (job->no);
  g_free (job);
}

static void
document_job_thread (GTask *task, gpointer source_object, gpointer task_data,
                     GCancellable *cancellable)
{
  DocumentJob *job = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (job->db_path, SB_STORE_OPEN_DEFAULT, &error);
  char *result = NULL;

  if (store != NULL)
    switch (job->action)
      {
        case DOCUMENT_RELEASE:
          if (sb_sales_document_release (store, job->type, job->no, &error))
            result = g_strdup ("");
          break;
        case DOCUMENT_REOPEN:
          if (sb_sales_document_reopen (store, job->type, job->no, &error))
            result = g_strdup ("");
          break;
        case DOCUMENT_POST:
        default:
          result = sb_posting_post_order (store, job->no, NULL, 0, &error);
          break;
      }
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, g_free);
}

static void fill_document_detail (SbDetailPage *page, SbStore *store, const SbSalesHeader *header);

static void
set_actions_sensitive (SbDetailPage *page, gboolean sensitive)
{
  static const char *const names[] = { "sb-release", "sb-reopen", "sb-post" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *button = g_object_get_data (G_OBJECT (page), names[i]);

      if (button != NULL)
        gtk_widget_set_sensitive (button, sensitive);
    }
}

static void
page_toast (SbDetailPage *page, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));

  g_object_set_data_full (G_OBJECT (page), "sb-last-message", g_strdup (message), g_free);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 6);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
}

static void
document_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbDetailPage *page = SB_DETAIL_PAGE (source);
  DocumentJob *job = g_task_get_task_data (G_TASK (result));
  SbStore *store = g_object_get_data (G_OBJECT (page), "sb-store");
  g_autoptr (GError) error = NULL;
  g_autofree char *outcome = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (SbSalesHeader) header = NULL;
  g_autofree char *message = NULL;
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (page), SB_TYPE_RECORD_LIST_PAGE);

  g_object_set_data (G_OBJECT (page), "sb-busy", NULL);
  set_actions_sensitive (page, TRUE);
  if (outcome == NULL)
    {
      page_toast (page, error->message);
      return;
    }
  switch (job->action)
    {
      case DOCUMENT_RELEASE:
        /* TRANSLATORS: %s is e.g. "Sales order SO00012" */
        message = g_strdup_printf (_ ("%s released"), sb_detail_page_get_subtitle (page));
        break;
      case DOCUMENT_REOPEN:
        /* TRANSLATORS: %s is e.g. "Sales order SO00012" */
        message = g_strdup_printf (_ ("%s reopened"), sb_detail_page_get_subtitle (page));
        break;
      case DOCUMENT_POST:
      default:
        /* TRANSLATORS: %s is the posted invoice no. */
        message = g_strdup_printf (_ ("Shipped and invoiced as posted invoice %s"), outcome);
        break;
    }
  page_toast (page, message);

  if (list != NULL)
    sb_record_list_page_reload (SB_RECORD_LIST_PAGE (list));
  /* Posting in full deletes the order, as the ERP does: the card has nothing left to show. */
  header = sb_sales_document_get (store, job->type, job->no, NULL);
  if (header == NULL)
    {
      if (list != NULL)
        sb_record_list_page_go_back (SB_RECORD_LIST_PAGE (list));
      return;
    }
  sb_detail_page_clear (page);
  fill_document_detail (page, store, header);
}

static void
run_document_job (SbDetailPage *page, DocumentAction action)
{
  SbStore *store = g_object_get_data (G_OBJECT (page), "sb-store");
  DocumentJob *job = g_new0 (DocumentJob, 1);
  g_autoptr (GTask) task = NULL;

  job->db_path = g_strdup (sb_store_get_path (store));
  job->type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "sb-doc-type"));
  job->no = g_strdup (g_object_get_data (G_OBJECT (page), "sb-doc-no"));
  job->action = action;
  g_object_set_data (G_OBJECT (page), "sb-busy", GINT_TO_POINTER (TRUE));
  set_actions_sensitive (page, FALSE);
  task = g_task_new (page, NULL, document_job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) document_job_free);
  g_task_run_in_thread (task, document_job_thread);
}

static void
on_release_clicked (GtkButton *button, SbDetailPage *page)
{
  run_document_job (page, DOCUMENT_RELEASE);
}

static void
on_reopen_clicked (GtkButton *button, SbDetailPage *page)
{
  run_document_job (page, DOCUMENT_REOPEN);
}

static void
on_post_response (AdwMessageDialog *dialog, const char *response, SbDetailPage *page)
{
  if (g_str_equal (response, "post"))
    run_document_job (page, DOCUMENT_POST);
}

static void
on_post_clicked (GtkButton *button, SbDetailPage *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (page));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* TRANSLATORS: %s is e.g. "Sales order SO00012" */
  heading = g_strdup_printf (_ ("Ship and Invoice %s?"), sb_detail_page_get_subtitle (page));
  dialog = adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      _ ("Every line not shipped yet is shipped and invoiced now. An open order is released "
         "first. The posted invoice cannot be changed afterwards."));
  gtk_widget_set_name (dialog, "post-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "post",
                                    _ ("_Ship and Invoice"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "post",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_post_response), page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
add_action_button (SbDetailPage *page, const char *key, const char *label, const char *tooltip,
                   GCallback callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, key + strlen ("sb-"));
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", callback, page);
  sb_detail_page_add_header_widget (page, button);
  g_object_set_data (G_OBJECT (page), key, button);
  return button;
}

/* Shows Release or Reopen, whichever the status allows. */
static void
update_action_buttons (SbDetailPage *page, const SbSalesHeader *header)
{
  GtkWidget *release = g_object_get_data (G_OBJECT (page), "sb-release");
  GtkWidget *reopen = g_object_get_data (G_OBJECT (page), "sb-reopen");

  gtk_widget_set_visible (release, header->status == SB_SALES_STATUS_OPEN);
  gtk_widget_set_visible (reopen, header->status == SB_SALES_STATUS_RELEASED);
}

static void
fill_document_detail (SbDetailPage *page, SbStore *store, const SbSalesHeader *header)
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
  const SbRecordType *type = &sb_sales_header_record_type;
  g_autofree char *local_currency = sb_books_get_local_currency (store);
  const char *currency = *header->currency_code != '\0' ? header->currency_code : local_currency;

  sb_detail_page_add_heading (page, "x-office-document-symbolic");
  update_action_buttons (page, header);

  /* Where it came from first: what people check before changing or posting it. */
  sb_document_origin_add_groups (page, store, header);
  sb_detail_page_add_fields (page, _ ("General"), type, header,
                             header->doc_type == SB_SALES_DOC_QUOTE ? quote_general : order_general,
                             NULL, NULL);
  add_lines_and_totals (page, store, header, currency);
  sb_document_origin_add_versions (page, store, header, currency);
  sb_detail_page_add_fields (page, _ ("Invoicing"), type, header, invoicing, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Bill-to"), type, header, bill_to, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Ship-to"), type, header, ship_to, NULL, NULL);
  if (*header->work_description != '\0')
    {
      AdwPreferencesGroup *group = sb_detail_page_add_group (page, _ ("Work Description"));
      sb_detail_page_add_placeholder_row (group, header->work_description);
    }
}

static GtkWidget *
create_document_detail (SbStore *store, SbRecordObject *object)
{
  const SbSalesHeader *header = sb_record_object_get_record (object);
  g_autofree char *subtitle = sb_sales_document_describe (header->doc_type, header->no);
  SbDetailPage *page;

  page = SB_DETAIL_PAGE (sb_detail_page_new (
      *header->bill_to_name != '\0' ? header->bill_to_name : header->sell_to_customer_no,
      subtitle));
  g_object_set_data_full (G_OBJECT (page), "sb-store", g_object_ref (store), g_object_unref);
  g_object_set_data (G_OBJECT (page), "sb-doc-type", GINT_TO_POINTER ((int) header->doc_type));
  g_object_set_data_full (G_OBJECT (page), "sb-doc-no", g_strdup (header->no), g_free);

  /* Packed at the end, so the first added is the rightmost. */
  if (header->doc_type == SB_SALES_DOC_ORDER)
    gtk_widget_add_css_class (add_action_button (page, "sb-post", _ ("_Post…"),
                                                 _ ("Ship and invoice the order"),
                                                 G_CALLBACK (on_post_clicked)),
                              "suggested-action");
  add_action_button (page, "sb-release", _ ("_Release"), _ ("Lock the document against changes"),
                     G_CALLBACK (on_release_clicked));
  add_action_button (page, "sb-reopen", _ ("Re_open"), _ ("Unlock the document to change it"),
                     G_CALLBACK (on_reopen_clicked));

  fill_document_detail (page, store, header);
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
  .empty_description = N_ ("Quotes that salespeople activate in Dynamics 365 Sales come into "
                           "these books from its list of sales quotes."),
  .empty_actions = { { N_ ("_Show Quotes in Dynamics 365 Sales"), "win.show-page", "sales-quotes",
                       TRUE } },
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
                           "orders move to Posted Invoices. Take the orders salespeople submit in "
                           "Dynamics 365 Sales from its list of sales orders."),
  .empty_actions = { { N_ ("_Show Orders in Dynamics 365 Sales"), "win.show-page", "sales-orders",
                       TRUE } },
  .count_label = count_orders,
  .create_detail = create_document_detail,
  .figure = document_amount,
};
