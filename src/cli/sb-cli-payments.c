/* sb-cli-payments.c: payment, ledger and stats commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-cli.h"
#include "sb-ledger.h"
#include "sb-statistics.h"

static const char *const entry_columns[] = { "entry_no",
                                             "posting_date",
                                             "document_type",
                                             "document_no",
                                             "due_date",
                                             "currency_code",
                                             "amount",
                                             "remaining_amount",
                                             "remaining_amount_lcy",
                                             "open",
                                             NULL };

static gboolean
cmd_register (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_auto (GStrv) invoices = NULL;
  g_autofree char *date = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "apply", 0, 0, G_OPTION_ARG_STRING_ARRAY, &invoices,
      N_ ("Apply the payment to this posted invoice (repeatable, in order)"), N_ ("INVOICE") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("Posting date (default: the work date)"),
      N_ ("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the payment’s ledger entry as JSON"),
      NULL },
    { NULL },
  };
  g_autoptr (GError) local_error = NULL;
  g_autofree char *no = NULL;
  SbDecimal amount;
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("CUSTOMER AMOUNT"),
                     _ ("Registers a payment received from a customer (AMOUNT in the customer’s "
                        "currency, written like 1234.50) and prints its number. What is not "
                        "applied to invoices stays open as a credit."),
                     entries, error) ||
      !sb_cli_expect_args (argc, argv[0], 2, 2, error))
    return FALSE;
  if (!sb_decimal_parse (argv[2], &amount, &local_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "AMOUNT: %s",
                   local_error->message);
      return FALSE;
    }
  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  no = sb_ledger_register_payment (store, argv[1], amount, (const char *const *) invoices, date,
                                   error);
  if (no == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr (GPtrArray) entries_of_customer =
          sb_ledger_list_entries (store, argv[1], FALSE, error);
      if (entries_of_customer == NULL)
        return FALSE;
      for (guint i = 0; i < entries_of_customer->len; i++)
        {
          SbLedgerEntry *e = g_ptr_array_index (entries_of_customer, i);
          if (e->document_type == SB_LEDGER_DOC_PAYMENT && g_str_equal (e->document_no, no))
            {
              g_autoptr (JsonNode) node = sb_cli_record_to_json (&sb_ledger_entry_record_type, e);
              sb_cli_print_json (node);
            }
        }
    }
  else
    g_print ("%s\n", no);
  return TRUE;
}

static gboolean
cmd_ledger_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean open_only = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_ ("Only open entries"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (GPtrArray) rows = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("CUSTOMER"),
                        _ ("Lists a customer’s ledger entries: invoices (document type 1) and "
                           "payments (2)."),
                        entries, 1, 1, error);
  if (store == NULL)
    return FALSE;
  rows = sb_ledger_list_entries (store, argv[1], open_only, error);
  if (rows == NULL)
    return FALSE;
  sb_cli_output_records (&sb_ledger_entry_record_type, rows, entry_columns, json);
  return TRUE;
}

static gboolean
cmd_stats (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *as_of = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "as-of", 0, 0, G_OPTION_ARG_STRING, &as_of,
      N_ ("Date for overdue amounts and the fiscal year (default: the work date)"),
      N_ ("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (SbCustomerStatistics) stats = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("CUSTOMER"),
                        _ ("Shows a customer’s statistics in the local currency, computed from the "
                           "books."),
                        entries, 1, 1, error);
  if (store == NULL)
    return FALSE;
  stats = sb_customer_statistics_compute (store, argv[1], as_of, error);
  if (stats == NULL)
    return FALSE;
  sb_cli_output_record (&sb_customer_statistics_record_type, stats, json);
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "payment", "register", "CUSTOMER AMOUNT [--apply INVOICE]… [--date D] [--json]",
    N_ ("Register a customer payment and apply it to invoices"), cmd_register },
  { "ledger", "list", "CUSTOMER [--open] [--json]", N_ ("List a customer’s ledger entries"),
    cmd_ledger_list },
  { "stats", NULL, "CUSTOMER [--as-of DATE] [--json]",
    N_ ("Show a customer’s statistics (balance, orders, overdue, sales)"), cmd_stats },
};

const SbCliCommand *
sb_cli_payment_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
