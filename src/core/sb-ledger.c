/* sb-ledger.c
 *
 * The customer ledger is append-only but for the remaining amounts and the
 * open flag, which payments lower; payment_application keeps which payment
 * paid how much of which invoice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-ledger.h"
#include "sb-record-check.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-store-private.h"

static gboolean
validate_entry (SbStore *store, gconstpointer record, GError **error)
{
  const SbLedgerEntry *e = record;
  const SbRecordType *t = &sb_ledger_entry_record_type;

  if (e->document_type != SB_LEDGER_DOC_INVOICE && e->document_type != SB_LEDGER_DOC_PAYMENT)
    {
      g_autofree char *what = sb_record_describe (t, e);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("%s: the document type must be Invoice or Payment."), what);
      return FALSE;
    }
  return sb_check_reference (store, t, e, N_ ("Customer No."), "customer", "no", e->customer_no,
                             error) &&
         sb_check_reference (store, t, e, N_ ("Currency Code"), "currency", "code",
                             e->currency_code, error);
}

/* Indexed by SbLedgerDocumentType. */
static const char *const ledger_document_type_labels[] = { "", N_ ("Invoice"), N_ ("Payment"),
                                                           NULL };

static const SbField entry_fields[] = {
  SB_FIELD (SbLedgerEntry, entry_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, N_ ("Entry No.")),
  SB_FIELD (SbLedgerEntry, customer_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_REQUIRED,
            N_ ("Customer No.")),
  SB_FIELD (SbLedgerEntry, posting_date, SB_FIELD_DATE, 0, SB_FIELD_FLAG_REQUIRED,
            N_ ("Posting Date")),
  SB_FIELD_CHOICE (SbLedgerEntry, document_type, 0, N_ ("Document Type"),
                   ledger_document_type_labels),
  SB_FIELD (SbLedgerEntry, document_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_REQUIRED,
            N_ ("Document No.")),
  SB_FIELD (SbLedgerEntry, description, SB_FIELD_TEXT, 100, 0, N_ ("Description")),
  SB_FIELD (SbLedgerEntry, currency_code, SB_FIELD_CODE, 10, 0, N_ ("Currency Code")),
  SB_FIELD (SbLedgerEntry, due_date, SB_FIELD_DATE, 0, 0, N_ ("Due Date")),
  SB_FIELD (SbLedgerEntry, amount, SB_FIELD_DECIMAL, 0, 0, N_ ("Amount")),
  SB_FIELD (SbLedgerEntry, amount_lcy, SB_FIELD_DECIMAL, 0, 0, N_ ("Amount (LCY)")),
  SB_FIELD (SbLedgerEntry, remaining_amount, SB_FIELD_DECIMAL, 0, 0, N_ ("Remaining Amount")),
  SB_FIELD (SbLedgerEntry, remaining_amount_lcy, SB_FIELD_DECIMAL, 0, 0,
            N_ ("Remaining Amount (LCY)")),
  SB_FIELD (SbLedgerEntry, open, SB_FIELD_BOOL, 0, 0, N_ ("Open")),
  SB_FIELD_CHANGE_NO (SbLedgerEntry),
  SB_FIELD_MODIFIED_AT (SbLedgerEntry),
};

const SbRecordType sb_ledger_entry_record_type = {
  "cust_ledger_entry", N_ ("Customer Ledger Entry"),          sizeof (SbLedgerEntry),
  entry_fields,        G_N_ELEMENTS (entry_fields),           "entry_no",
  validate_entry,      (GDestroyNotify) sb_ledger_entry_free,
};
SB_DEFINE_RECORD (SbLedgerEntry, sb_ledger_entry)

const char *
sb_ledger_document_type_to_string (SbLedgerDocumentType type)
{
  return type == SB_LEDGER_DOC_PAYMENT ? "payment" : "invoice";
}

gboolean
sb_ledger_entry_insert (SbStore *store, SbLedgerEntry *entry, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT coalesce (max (entry_no), 0) + 1 FROM cust_ledger_entry", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  /* Entry numbers are consecutive like the ERP's; the caller's write
   * transaction keeps a second writer from taking the same one. */
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry->entry_no = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return sb_store_set_error (store, error);
  return sb_record_insert (store, &sb_ledger_entry_record_type, entry, error);
}

GPtrArray *
sb_ledger_list_entries (SbStore *store, const char *customer_no, gboolean open_only, GError **error)
{
  const char *params[] = { customer_no, NULL };

  return sb_record_list (store, &sb_ledger_entry_record_type,
                         open_only ? "customer_no = ?1 AND open = 1" : "customer_no = ?1", params,
                         error);
}

SbLedgerEntry *
sb_ledger_find_invoice_entry (SbStore *store, const char *invoice_no, GError **error)
{
  const char *params[] = { invoice_no, NULL };
  g_autoptr (GPtrArray) entries = sb_record_list (
      store, &sb_ledger_entry_record_type, "document_type = 1 AND document_no = ?1", params, error);

  if (entries == NULL)
    return NULL;
  if (entries->len == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                   _ ("There is no posted invoice %s in the customer ledger. Check the invoice "
                      "number."),
                   invoice_no);
      return NULL;
    }
  return g_ptr_array_steal_index (entries, 0);
}

/* The local-currency part of @entry's remaining amount, at the rate the
 * entry was posted with, so an entry paid in full ends at exactly 0. */
static void
update_remaining (SbLedgerEntry *entry, SbDecimal remaining)
{
  SbDecimal share = 0;

  entry->remaining_amount = remaining;
  entry->open = remaining != 0;
  if (remaining == 0)
    entry->remaining_amount_lcy = 0;
  else if (remaining == entry->amount)
    entry->remaining_amount_lcy = entry->amount_lcy;
  else if (entry->amount > 0 &&
           sb_sales_round_share (entry->amount_lcy, remaining, entry->amount, &share))
    entry->remaining_amount_lcy = share;
  else if (entry->amount < 0 &&
           sb_sales_round_share (-entry->amount_lcy, -remaining, -entry->amount, &share))
    entry->remaining_amount_lcy = -share;
}

/* Blank and the local currency's own code both mean the local currency. */
static gboolean
same_currency (SbStore *store, const char *a, const char *b, gboolean *out_same, GError **error)
{
  g_autoptr (SbGeneralSetup) setup = NULL;

  *out_same = g_str_equal (a, b);
  if (*out_same || (*a != '\0' && *b != '\0'))
    return TRUE;
  setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return FALSE;
  *out_same = g_str_equal (*a != '\0' ? a : b, setup->local_currency_code);
  return TRUE;
}

typedef struct
{
  const char *customer_no;
  SbDecimal amount;
  const char *const *invoices;
  const char *posting_date;
  char *payment_no; /* out */
} PaymentOp;

static gboolean
apply_to_invoice (SbStore *store, SbLedgerEntry *payment, const char *invoice_no, GError **error)
{
  g_autoptr (SbLedgerEntry) invoice = sb_ledger_find_invoice_entry (store, invoice_no, error);
  SbDecimal applied;
  sqlite3_stmt *stmt;
  gboolean same = FALSE;

  if (invoice == NULL)
    return FALSE;
  if (!g_str_equal (invoice->customer_no, payment->customer_no))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Invoice %s belongs to customer %s, not to customer %s. Apply a payment "
                      "only to the paying customer’s invoices."),
                   invoice_no, invoice->customer_no, payment->customer_no);
      return FALSE;
    }
  if (!invoice->open)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("Invoice %s is already paid in full. Leave it out of the payment."),
                   invoice_no);
      return FALSE;
    }
  if (!same_currency (store, invoice->currency_code, payment->currency_code, &same, error))
    return FALSE;
  if (!same)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Invoice %s is in currency “%s” but the payment is in “%s”. Register the "
                      "payment in the invoice’s currency."),
                   invoice_no, invoice->currency_code, payment->currency_code);
      return FALSE;
    }
  if (payment->remaining_amount == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The payment is used up before invoice %s. Leave that invoice out or "
                      "register a larger payment."),
                   invoice_no);
      return FALSE;
    }

  applied = MIN (-payment->remaining_amount, invoice->remaining_amount);
  update_remaining (invoice, invoice->remaining_amount - applied);
  update_remaining (payment, payment->remaining_amount + applied);
  if (!sb_record_update (store, &sb_ledger_entry_record_type, invoice, error))
    return FALSE;

  stmt = sb_store_prepare (store,
                           "INSERT INTO payment_application (payment_entry_no, invoice_entry_no,"
                           " amount, posting_date) VALUES (?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->entry_no);
  sqlite3_bind_int64 (stmt, 2, invoice->entry_no);
  sqlite3_bind_int64 (stmt, 3, applied);
  sb_bind_text (stmt, 4, payment->posting_date);
  return sb_store_exec_stmt (store, stmt, error);
}

static gboolean
register_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  PaymentOp *op = user_data;
  g_autoptr (SbCustomer) customer = sb_customer_lookup (store, op->customer_no, error);
  g_autoptr (SbLedgerEntry) payment = NULL;
  g_autofree char *no = NULL;
  SbDecimal amount_lcy;

  /* A blocked customer may not buy, but may still pay what they owe. */
  if (customer == NULL)
    return FALSE;
  no = sb_no_series_next_for (store, SB_NO_SERIES_PAYMENT, error);
  if (no == NULL)
    return FALSE;
  if (!sb_currency_to_local (store, customer->currency_code, op->amount, &amount_lcy, NULL, error))
    return FALSE;

  payment = sb_ledger_entry_new ();
  g_free (payment->customer_no);
  payment->customer_no = g_strdup (customer->no);
  g_free (payment->posting_date);
  payment->posting_date =
      op->posting_date != NULL ? g_strdup (op->posting_date) : sb_get_work_date ();
  g_free (payment->due_date);
  payment->due_date = g_strdup (payment->posting_date);
  payment->document_type = SB_LEDGER_DOC_PAYMENT;
  g_free (payment->document_no);
  payment->document_no = g_strdup (no);
  g_free (payment->description);
  payment->description = g_strdup_printf (_ ("Payment %s"), no);
  g_free (payment->currency_code);
  payment->currency_code = g_strdup (customer->currency_code);
  payment->amount = -op->amount;
  payment->amount_lcy = -amount_lcy;
  update_remaining (payment, payment->amount);
  if (!sb_ledger_entry_insert (store, payment, error))
    return FALSE;

  for (guint i = 0; op->invoices != NULL && op->invoices[i] != NULL; i++)
    if (!apply_to_invoice (store, payment, op->invoices[i], error))
      return FALSE;
  if (!sb_record_update (store, &sb_ledger_entry_record_type, payment, error))
    return FALSE;
  op->payment_no = g_steal_pointer (&no);
  return TRUE;
}

char *
sb_ledger_register_payment (SbStore *store, const char *customer_no, SbDecimal amount,
                            const char *const *apply_to_invoices, const char *posting_date,
                            GError **error)
{
  PaymentOp op = { customer_no, amount, apply_to_invoices, posting_date, NULL };

  if (amount <= 0)
    {
      g_autofree char *text = sb_decimal_to_string (amount, 2);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("A payment must be more than zero, not %s. Enter the amount received."),
                   text);
      return NULL;
    }
  if (!sb_store_run_in_transaction (store, register_in_transaction, &op, error))
    {
      g_free (op.payment_no);
      return NULL;
    }
  return op.payment_no;
}

typedef struct
{
  const char *payment_no;
  char *reversal_no; /* out */
} ReverseOp;

static gboolean
reverse_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  ReverseOp *op = user_data;
  const char *params[] = { op->payment_no, NULL };
  g_autoptr (GPtrArray) entries = sb_record_list (
      store, &sb_ledger_entry_record_type, "document_type = 2 AND document_no = ?1", params, error);
  g_autoptr (GArray) applied = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  g_autoptr (SbLedgerEntry) reversal = NULL;
  SbLedgerEntry *payment;
  sqlite3_stmt *stmt;
  int rc;

  if (entries == NULL)
    return FALSE;
  if (entries->len == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                   _ ("There is no payment %s in the customer ledger. Check the payment number."),
                   op->payment_no);
      return FALSE;
    }
  payment = entries->pdata[0];
  if (payment->amount > 0 || entries->len > 1)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("Payment %s is reversed already."), op->payment_no);
      return FALSE;
    }

  /* Every invoice the payment paid owes that part again. */
  stmt = sb_store_prepare (store,
                           "SELECT invoice_entry_no, amount FROM payment_application"
                           " WHERE payment_entry_no = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->entry_no);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_vals (applied, pair, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  for (guint i = 0; i < applied->len; i++)
    {
      gint64 *pair = &g_array_index (applied, gint64, i * 2);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, pair[0]);
      const char *key_params[] = { key, NULL };
      g_autoptr (GPtrArray) invoices =
          sb_record_list (store, &sb_ledger_entry_record_type, "entry_no = ?1", key_params, error);
      SbLedgerEntry *invoice;

      if (invoices == NULL || invoices->len != 1)
        {
          if (invoices != NULL)
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                         _ ("The ledger entry %s a payment was applied to is missing."), key);
          return FALSE;
        }
      invoice = invoices->pdata[0];
      update_remaining (invoice, invoice->remaining_amount + pair[1]);
      if (!sb_record_update (store, &sb_ledger_entry_record_type, invoice, error))
        return FALSE;
    }
  stmt = sb_store_prepare (store, "DELETE FROM payment_application WHERE payment_entry_no = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, payment->entry_no);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;

  /* The payment itself is undone by an entry of the opposite amount; both are closed. */
  reversal = sb_ledger_entry_copy (payment);
  reversal->entry_no = 0;
  g_free (reversal->posting_date);
  reversal->posting_date = sb_get_work_date ();
  g_free (reversal->description);
  reversal->description = g_strdup_printf (_ ("Reversal of payment %s"), payment->document_no);
  reversal->amount = -payment->amount;
  reversal->amount_lcy = -payment->amount_lcy;
  update_remaining (reversal, 0);
  if (!sb_ledger_entry_insert (store, reversal, error))
    return FALSE;
  update_remaining (payment, 0);
  if (!sb_record_update (store, &sb_ledger_entry_record_type, payment, error))
    return FALSE;
  op->reversal_no = g_strdup_printf ("%" G_GINT64_FORMAT, reversal->entry_no);
  return TRUE;
}

gboolean
sb_ledger_reverse_payment (SbStore *store, const char *payment_no, GError **error)
{
  ReverseOp op = { payment_no, NULL };
  gboolean ok = sb_store_run_in_transaction (store, reverse_in_transaction, &op, error);

  g_free (op.reversal_no);
  return ok;
}
