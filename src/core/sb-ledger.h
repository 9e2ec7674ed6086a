/* sb-ledger.h: customer ledger entries and payments applied to invoices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef enum
{
  SB_LEDGER_DOC_INVOICE = 1,
  SB_LEDGER_DOC_PAYMENT = 2,
} SbLedgerDocumentType;

/* Amounts carry their sign as the ledger does: invoices positive, payments
 * negative.  Remaining amounts fall towards zero as payments are applied;
 * an entry whose remaining amount reaches zero is closed. */
typedef struct
{
  gint64 entry_no;
  char *customer_no;
  char *posting_date;
  gint64 document_type; /* SbLedgerDocumentType */
  char *document_no;
  char *description;
  char *currency_code; /* blank = local currency */
  char *due_date;
  SbDecimal amount; /* in the entry's currency */
  SbDecimal amount_lcy;
  SbDecimal remaining_amount;
  SbDecimal remaining_amount_lcy;
  gboolean open;
  gint64 change_no;
  char *modified_at;
} SbLedgerEntry;
SB_DECLARE_RECORD (SbLedgerEntry, sb_ledger_entry)

/* "invoice", "payment". */
const char *sb_ledger_document_type_to_string (SbLedgerDocumentType type);

/* Inserts @entry with the next entry no. (written back).  For posting code;
 * call inside a transaction. */
gboolean sb_ledger_entry_insert (SbStore *store, SbLedgerEntry *entry, GError **error);

/* A customer's entries by entry no.; only open ones when @open_only.
 * Element type SbLedgerEntry. */
GPtrArray *sb_ledger_list_entries (SbStore *store, const char *customer_no, gboolean open_only,
                                   GError **error);
/* The entry of posted invoice @invoice_no. */
SbLedgerEntry *sb_ledger_find_invoice_entry (SbStore *store, const char *invoice_no,
                                             GError **error);

/* Registers a payment of @amount (> 0, in the customer's currency) from
 * @customer_no, posted on @posting_date (NULL: the work date), numbered from
 * the payment series, and applies it to the posted invoices
 * @apply_to_invoices (NULL-terminated, may be NULL) in that order: each
 * takes as much of what is left of the payment as it still owes.  What is
 * not applied stays open on the payment entry as a credit.  Refuses an
 * invoice of another customer, a closed invoice, one in another currency,
 * and an invoice left after the payment is used up.  One transaction.
 * Returns the payment's document no., or NULL with @error set. */
char *sb_ledger_register_payment (SbStore *store, const char *customer_no, SbDecimal amount,
                                  const char *const *apply_to_invoices, const char *posting_date,
                                  GError **error);

/* Reverses payment @payment_no (the document no. it was registered under): the invoices it
 * was applied to owe those amounts again, and an entry of the opposite amount closes the
 * payment. Refuses a payment reversed already. One transaction. */
gboolean sb_ledger_reverse_payment (SbStore *store, const char *payment_no, GError **error);

G_END_DECLS
