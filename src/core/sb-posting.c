/* sb-posting.c
 *
 * Posting turns an order (a promise) into books (an invoice and what the
 * customer owes).  Everything happens in one transaction so the books
 * never show an invoice without its ledger entry or a shipment without
 * the lowered inventory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-order-outbox.h"
#include "sb-posting.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-store-private.h"

typedef struct
{
  const char *order_no;
  const SbPostingQuantity *quantities;
  guint n_quantities;
  char *invoice_no; /* out */
} PostOp;

static char *
add_days (const char *date, gint64 days, GError **error)
{
  int y, m, d;
  char tail;
  g_autoptr (GDate) g = NULL;

  if (sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The work date “%s” is not a date. Set it as YYYY-MM-DD."), date);
      return NULL;
    }
  g = g_date_new_dmy (d, m, y);
  g_date_add_days (g, (guint) days);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (g), g_date_get_month (g),
                          g_date_get_day (g));
}

/* What earlier postings already invoiced of order line @line_no. */
static gboolean
invoiced_so_far (SbStore *store, const char *order_no, gint64 line_no, SbDecimal *out_amount,
                 SbDecimal *out_amount_incl, SbDecimal *out_discount, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT coalesce (sum (l.amount), 0), coalesce (sum (l.amount_including_vat), 0),"
      " coalesce (sum (l.line_discount_amount), 0)"
      " FROM posted_invoice_line l JOIN posted_invoice i ON i.no = l.invoice_no"
      " WHERE i.order_no = ?1 AND l.order_line_no = ?2 AND l.type <> 0",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, order_no);
  sqlite3_bind_int64 (stmt, 2, line_no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_amount = sqlite3_column_int64 (stmt, 0);
      *out_amount_incl = sqlite3_column_int64 (stmt, 1);
      *out_discount = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sb_store_set_error (store, error);
  return TRUE;
}

/* The quantity to post per line of @lines, from @op; checks each. */
static gboolean
quantities_to_post (PostOp *op, GPtrArray *lines, SbDecimal *to_post, GError **error)
{
  if (op->n_quantities == 0)
    {
      for (guint i = 0; i < lines->len; i++)
        {
          const SbSalesLine *l = g_ptr_array_index (lines, i);
          to_post[i] = l->type == SB_SALES_LINE_COMMENT ? 0 : sb_sales_line_get_outstanding (l);
        }
      return TRUE;
    }

  for (guint q = 0; q < op->n_quantities; q++)
    {
      const SbPostingQuantity *wanted = &op->quantities[q];
      const SbSalesLine *line = NULL;
      guint index = 0;

      for (guint i = 0; i < lines->len && line == NULL; i++)
        if (((const SbSalesLine *) g_ptr_array_index (lines, i))->line_no == wanted->line_no)
          {
            line = g_ptr_array_index (lines, i);
            index = i;
          }
      if (line == NULL || line->type == SB_SALES_LINE_COMMENT)
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                       _ ("Sales order %s has no item or resource line %" PRId64
                          ". Check the line numbers with “order show”."),
                       op->order_no, wanted->line_no);
          return FALSE;
        }
      if (wanted->quantity < 0)
        {
          g_autofree char *qty = sb_decimal_to_string (wanted->quantity, 0);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("Line %" PRId64 " of sales order %s: the quantity to ship "
                          "cannot be negative (%s)."),
                       wanted->line_no, op->order_no, qty);
          return FALSE;
        }
      if (to_post[index] != 0)
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("Line %" PRId64 " of sales order %s is named twice. Give "
                          "each line one quantity to ship."),
                       wanted->line_no, op->order_no);
          return FALSE;
        }
      if (wanted->quantity > sb_sales_line_get_outstanding (line))
        {
          g_autofree char *qty = sb_decimal_to_string (wanted->quantity, 0);
          g_autofree char *left = sb_decimal_to_string (sb_sales_line_get_outstanding (line), 0);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("Line %" PRId64 " of sales order %s: you cannot ship %s, "
                          "only %s is still outstanding."),
                       wanted->line_no, op->order_no, qty, left);
          return FALSE;
        }
      to_post[index] = wanted->quantity;
    }
  return TRUE;
}

/* Fills @out's quantity and amounts for posting @qty of @line. */
static gboolean
share_of_line (SbStore *store, const SbSalesLine *line, SbDecimal qty, SbPostedInvoiceLine *out,
               GError **error)
{
  SbDecimal vat;

  out->quantity = qty;
  if (qty == sb_sales_line_get_outstanding (line))
    {
      SbDecimal amount = 0, amount_incl = 0, discount = 0;

      /* The last share is the rest, so the invoices add up to the line. */
      if (!invoiced_so_far (store, line->doc_no, line->line_no, &amount, &amount_incl, &discount,
                            error))
        return FALSE;
      out->amount = line->amount - amount;
      out->amount_including_vat = line->amount_including_vat - amount_incl;
      out->line_discount_amount = line->line_discount_amount - discount;
      return TRUE;
    }
  if (sb_sales_round_share (line->amount, qty, line->quantity, &out->amount) &&
      sb_sales_round_share (line->line_discount_amount, qty, line->quantity,
                            &out->line_discount_amount) &&
      sb_sales_round_vat (out->amount, line->vat_pct, &vat))
    {
      out->amount_including_vat = out->amount + vat;
      return TRUE;
    }
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
               _ ("Line %" PRId64 " of sales order %s: the amount is too large."), line->line_no,
               line->doc_no);
  return FALSE;
}

/* Refuses what may no longer be sold and lowers the stock of inventory
 * items by what leaves the warehouse. */
static gboolean
ship_line (SbStore *store, const SbSalesLine *line, SbDecimal qty, GError **error)
{
  g_autoptr (SbItem) item = NULL;
  g_autoptr (SbResource) resource = NULL;

  if (line->type == SB_SALES_LINE_RESOURCE)
    {
      resource = sb_code_record_lookup (store, &sb_resource_record_type, line->no, error);
      if (resource == NULL)
        return FALSE;
      if (!resource->blocked)
        return TRUE;
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("Line %" PRId64 " of sales order %s: resource %s is blocked. "
                      "Unblock it or leave the line out of this posting."),
                   line->line_no, line->doc_no, line->no);
      return FALSE;
    }

  item = sb_code_record_lookup (store, &sb_item_record_type, line->no, error);
  if (item == NULL)
    return FALSE;
  if (item->blocked)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("Line %" PRId64 " of sales order %s: item %s is blocked. "
                      "Unblock it or leave the line out of this posting."),
                   line->line_no, line->doc_no, line->no);
      return FALSE;
    }
  if (item->type != SB_ITEM_TYPE_INVENTORY)
    return TRUE;
  /* Inventory may go negative: the ERP lets a shipment through and the
   * negative stock shows that goods must be booked in. */
  item->inventory -= qty;
  return sb_record_update (store, &sb_item_record_type, item, error);
}

static gboolean
post_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  PostOp *op = user_data;
  g_autoptr (SbSalesHeader) header =
      sb_sales_document_get (store, SB_SALES_DOC_ORDER, op->order_no, error);
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (SbPostedInvoice) invoice = NULL;
  g_autoptr (SbLedgerEntry) entry = NULL;
  g_autofree SbDecimal *to_post = NULL;
  g_autofree gint64 *invoice_line_of = NULL;
  g_autofree char *posting_date = NULL;
  gint64 due_days = 0;
  gint64 next_line_no = 0;
  gboolean anything = FALSE;
  gboolean complete = TRUE;
  SbDecimal dummy;

  if (header == NULL)
    return FALSE;
  customer = sb_customer_lookup (store, header->sell_to_customer_no, error);
  if (customer == NULL || !sb_sales_check_customer_not_blocked (customer, error))
    return FALSE;
  lines = sb_sales_document_get_lines (store, SB_SALES_DOC_ORDER, op->order_no, error);
  if (lines == NULL)
    return FALSE;

  to_post = g_new0 (SbDecimal, lines->len + 1);
  invoice_line_of = g_new0 (gint64, lines->len + 1);
  if (!quantities_to_post (op, lines, to_post, error))
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    anything = anything || to_post[i] > 0;
  if (!anything)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("There is nothing to post: sales order %s has no quantity left to ship "
                      "on the lines chosen."),
                   op->order_no);
      return FALSE;
    }

  if (!sb_sales_document_set_status (store, header, SB_SALES_STATUS_RELEASED, error))
    return FALSE;

  if (*header->payment_terms_code != '\0')
    {
      g_autoptr (SbPaymentTerms) terms = sb_code_record_lookup (
          store, &sb_payment_terms_record_type, header->payment_terms_code, error);
      if (terms == NULL)
        return FALSE;
      due_days = terms->due_days;
    }

  invoice = sb_posted_invoice_new ();
  sb_sales_copy_matching_fields (&sb_sales_header_record_type, header,
                                 &sb_posted_invoice_record_type, invoice);
  g_free (invoice->no);
  invoice->no = sb_no_series_next_for (store, SB_NO_SERIES_POSTED_INVOICE, error);
  if (invoice->no == NULL)
    return FALSE;
  g_free (invoice->order_no);
  invoice->order_no = g_strdup (header->no);
  posting_date = sb_get_work_date ();
  g_free (invoice->posting_date);
  invoice->posting_date = g_strdup (posting_date);
  g_free (invoice->shipment_date);
  invoice->shipment_date = g_strdup (posting_date);
  g_free (invoice->due_date);
  invoice->due_date = add_days (posting_date, due_days, error);
  if (invoice->due_date == NULL ||
      !sb_currency_to_local (store, header->currency_code, 0, &dummy, &invoice->currency_factor,
                             error) ||
      !sb_record_insert (store, &sb_posted_invoice_record_type, invoice, error))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      SbSalesLine *line = g_ptr_array_index (lines, i);
      g_autoptr (SbPostedInvoiceLine) posted = NULL;
      gint64 attached_to = 0;

      if (line->type == SB_SALES_LINE_COMMENT)
        {
          /* Comments travel with the lines they belong to; free-standing
           * ones go on every invoice, as in the ERP. */
          if (line->attached_to_line_no != 0)
            {
              for (guint j = 0; j < i; j++)
                if (((SbSalesLine *) g_ptr_array_index (lines, j))->line_no ==
                    line->attached_to_line_no)
                  attached_to = invoice_line_of[j];
              if (attached_to == 0)
                continue;
            }
        }
      else if (to_post[i] == 0)
        {
          complete = complete && sb_sales_line_get_outstanding (line) == 0;
          continue;
        }

      posted = sb_posted_invoice_line_new ();
      sb_sales_copy_matching_fields (&sb_sales_line_record_type, line,
                                     &sb_posted_invoice_line_record_type, posted);
      g_free (posted->invoice_no);
      posted->invoice_no = g_strdup (invoice->no);
      next_line_no += SB_SALES_LINE_NO_STEP;
      posted->line_no = next_line_no;
      posted->order_line_no = line->line_no;
      posted->attached_to_line_no = attached_to;
      invoice_line_of[i] = posted->line_no;
      if (line->type != SB_SALES_LINE_COMMENT)
        {
          if (!share_of_line (store, line, to_post[i], posted, error))
            return FALSE;
          line->quantity_shipped += to_post[i];
          line->quantity_invoiced += to_post[i];
          complete = complete && sb_sales_line_get_outstanding (line) == 0;
          if (!ship_line (store, line, to_post[i], error) ||
              !sb_record_update (store, &sb_sales_line_record_type, line, error))
            return FALSE;
          invoice->amount += posted->amount;
          invoice->amount_including_vat += posted->amount_including_vat;
        }
      if (!sb_record_insert (store, &sb_posted_invoice_line_record_type, posted, error))
        return FALSE;
    }
  if (!sb_record_update (store, &sb_posted_invoice_record_type, invoice, error))
    return FALSE;

  entry = sb_ledger_entry_new ();
  g_free (entry->customer_no);
  entry->customer_no = g_strdup (header->sell_to_customer_no);
  g_free (entry->posting_date);
  entry->posting_date = g_strdup (posting_date);
  entry->document_type = SB_LEDGER_DOC_INVOICE;
  g_free (entry->document_no);
  entry->document_no = g_strdup (invoice->no);
  g_free (entry->description);
  entry->description = g_strdup_printf (_ ("Order %s"), header->no);
  g_free (entry->currency_code);
  entry->currency_code = g_strdup (header->currency_code);
  g_free (entry->due_date);
  entry->due_date = g_strdup (invoice->due_date);
  entry->amount = invoice->amount_including_vat;
  entry->remaining_amount = entry->amount;
  entry->open = entry->amount != 0;
  if (!sb_currency_to_local (store, header->currency_code, entry->amount, &entry->amount_lcy, NULL,
                             error))
    return FALSE;
  entry->remaining_amount_lcy = entry->amount_lcy;
  if (!sb_ledger_entry_insert (store, entry, error))
    return FALSE;

  g_free (header->last_shipment_date);
  header->last_shipment_date = g_strdup (posting_date);
  /* §5: an order taken from Sales reports the shipment and the invoice on its timeline, and
   * becomes Invoiced there when it is invoiced in full. */
  if (!sb_order_outbox_record (store, header->no, SB_ORDER_OUTBOX_POST,
                               _ ("A shipment has been created for the order."), error) ||
      !sb_order_outbox_record (store, header->no, SB_ORDER_OUTBOX_POST,
                               _ ("An invoice has been created for the order."), error) ||
      (complete &&
       !sb_order_outbox_record (store, header->no, SB_ORDER_OUTBOX_INVOICED, posting_date, error)))
    return FALSE;
  if (complete)
    {
      if (!sb_sales_document_delete_unchecked (store, header, error))
        return FALSE;
    }
  else if (!sb_record_update (store, &sb_sales_header_record_type, header, error))
    return FALSE;

  op->invoice_no = g_strdup (invoice->no);
  return TRUE;
}

char *
sb_posting_post_order (SbStore *store, const char *order_no, const SbPostingQuantity *quantities,
                       guint n_quantities, GError **error)
{
  PostOp op = { order_no, quantities, n_quantities, NULL };

  g_return_val_if_fail (order_no != NULL, NULL);

  if (!sb_store_run_in_transaction (store, post_in_transaction, &op, error))
    {
      g_free (op.invoice_no);
      return NULL;
    }
  return op.invoice_no;
}
