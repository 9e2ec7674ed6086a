/* sb-cli-documents.c: order, quote and invoice commands
 *
 * Orders and quotes share their commands; which one a command works on
 * comes from its group ("order add-line" or "quote add-line").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-cli.h"
#include "sb-core-error.h"
#include "sb-posted-invoice.h"
#include "sb-posting.h"
#include "sb-sales-document.h"

static const char *const header_columns[] = { "no",
                                              "sell_to_customer_no",
                                              "bill_to_name",
                                              "order_date",
                                              "currency_code",
                                              "external_document_no",
                                              "status",
                                              NULL };
static const char *const line_columns[] = { "line_no",
                                            "type",
                                            "no",
                                            "description",
                                            "quantity",
                                            "unit_code",
                                            "unit_price",
                                            "line_discount_amount",
                                            "vat_pct",
                                            "amount",
                                            "amount_including_vat",
                                            "quantity_shipped",
                                            NULL };
static const char *const version_columns[] = {
  "version_no", "archived_at", "sell_to_customer_no", "your_reference", "status", NULL
};
static const char *const archive_line_columns[] = { "line_no",  "type",
                                                    "no",       "description",
                                                    "quantity", "unit_price",
                                                    "amount",   "amount_including_vat",
                                                    NULL };
static const char *const invoice_columns[] = {
  "no",       "sell_to_customer_no", "bill_to_name", "posting_date",
  "due_date", "currency_code",       "amount",       "amount_including_vat",
  NULL
};
static const char *const invoice_line_columns[] = {
  "line_no", "order_line_no",        "type", "no", "description", "quantity", "unit_price",
  "amount",  "amount_including_vat", NULL
};

static SbSalesDocType
doc_type_of (const char *cmd_line)
{
  return g_str_has_prefix (cmd_line, "quote ") ? SB_SALES_DOC_QUOTE : SB_SALES_DOC_ORDER;
}

static gboolean
parse_decimal_option (const char *option, const char *text, SbDecimal *out_value, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  if (sb_decimal_parse (text, out_value, &local_error))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: %s", option,
               local_error->message);
  return FALSE;
}

static void
print_json_with_lines (const SbRecordType *type, gconstpointer record,
                       const SbRecordType *line_type, GPtrArray *lines)
{
  g_autoptr (JsonNode) node = sb_cli_record_to_json (type, record);
  JsonObject *object = json_node_get_object (node);

  json_object_set_member (object, "lines", sb_cli_records_to_json (line_type, lines));
  sb_cli_print_json (node);
}

static gboolean
cmd_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  gboolean json = FALSE;
  g_autofree char *customer = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_ ("Only this customer’s documents"),
      N_ ("NO") },
    { NULL },
  };
  g_autoptr (GPtrArray) rows = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("[SEARCH]"),
                        type == SB_SALES_DOC_QUOTE ? _ ("Lists sales quotes.")
                                                   : _ ("Lists open sales orders."),
                        entries, 0, 1, error);
  if (store == NULL)
    return FALSE;
  rows = sb_sales_document_list (store, type, customer, argc == 2 ? argv[1] : NULL, error);
  if (rows == NULL)
    return FALSE;
  sb_cli_output_records (&sb_sales_header_record_type, rows, header_columns, json);
  return TRUE;
}

static gboolean
cmd_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (SbSalesHeader) header = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  SbSalesTotals totals;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("NO"),
                        _ ("Shows a document with its lines. JSON: the header with a “lines” "
                           "array."),
                        entries, 1, 1, error);
  if (store == NULL)
    return FALSE;
  header = sb_sales_document_get (store, type, argv[1], error);
  if (header == NULL)
    return FALSE;
  lines = sb_sales_document_get_lines (store, type, argv[1], error);
  if (lines == NULL)
    return FALSE;

  if (json)
    {
      print_json_with_lines (&sb_sales_header_record_type, header, &sb_sales_line_record_type,
                             lines);
      return TRUE;
    }
  sb_cli_print_record (&sb_sales_header_record_type, header);
  g_print ("\n");
  sb_cli_print_table (&sb_sales_line_record_type, lines, line_columns);
  sb_sales_totals_from_lines (lines, &totals);
  {
    g_autofree char *amount = sb_decimal_format (totals.amount, 2);
    g_autofree char *vat = sb_decimal_format (totals.vat_amount, 2);
    g_autofree char *total = sb_decimal_format (totals.amount_including_vat, 2);

    g_print ("\n");
    g_print (_ ("Total excl. VAT: %s\n"), amount);
    g_print (_ ("VAT: %s\n"), vat);
    g_print (_ ("Total incl. VAT: %s\n"), total);
  }
  return TRUE;
}

static gboolean
cmd_create (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  gboolean json = FALSE;
  g_autofree char *external_no = NULL;
  g_autofree char *your_reference = NULL;
  g_autofree char *delivery_date = NULL;
  g_autofree char *valid_until = NULL;
  g_autofree char *currency = NULL;
  const GOptionEntry entries[] = {
    { "external-doc-no", 0, 0, G_OPTION_ARG_STRING, &external_no,
      N_ ("The customer’s own document number"), N_ ("TEXT") },
    { "your-reference", 0, 0, G_OPTION_ARG_STRING, &your_reference, N_ ("Your reference"),
      N_ ("TEXT") },
    { "requested-delivery-date", 0, 0, G_OPTION_ARG_STRING, &delivery_date,
      N_ ("Requested delivery date"), N_ ("YYYY-MM-DD") },
    { "quote-valid-until", 0, 0, G_OPTION_ARG_STRING, &valid_until,
      N_ ("Last day the quote is valid"), N_ ("YYYY-MM-DD") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency,
      N_ ("Currency code (default: the customer’s)"), N_ ("CODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the new document as JSON"), NULL },
    { NULL },
  };
  g_autoptr (SbSalesHeader) header = sb_sales_header_new ();
  static const char *const fields[] = { "external_document_no", "your_reference",
                                        "requested_delivery_date", "quote_valid_until",
                                        "currency_code" };
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("CUSTOMER"),
                     _ ("Creates a document for a customer and prints its number."), entries,
                     error) ||
      !sb_cli_expect_args (argc, argv[0], 1, 1, error))
    return FALSE;
  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;

  header->doc_type = type;
  g_free (header->sell_to_customer_no);
  header->sell_to_customer_no = g_strdup (argv[1]);
  {
    /* Read only now that parsing has filled the option variables. */
    const char *given[] = { external_no, your_reference, delivery_date, valid_until, currency };

    G_STATIC_ASSERT (G_N_ELEMENTS (given) == G_N_ELEMENTS (fields));
    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      if (given[i] != NULL && !sb_record_parse_field (&sb_sales_header_record_type,
                                                      sb_record_type_find_field (
                                                          &sb_sales_header_record_type, fields[i]),
                                                      header, given[i], error))
        return FALSE;
  }
  if (!sb_sales_document_create (store, header, error))
    return FALSE;
  if (json)
    {
      g_autoptr (JsonNode) node = sb_cli_record_to_json (&sb_sales_header_record_type, header);
      sb_cli_print_json (node);
    }
  else
    g_print ("%s\n", header->no);
  return TRUE;
}

static gboolean
cmd_add_line (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  g_autofree char *quantity = NULL;
  g_autofree char *unit_price = NULL;
  g_autofree char *discount = NULL;
  g_autofree char *vat = NULL;
  g_autofree char *description = NULL;
  g_autofree char *unit = NULL;
  gint64 attach_to = 0;
  const GOptionEntry entries[] = {
    { "quantity", 0, 0, G_OPTION_ARG_STRING, &quantity, N_ ("Quantity (default 1)"), N_ ("Q") },
    { "unit-price", 0, 0, G_OPTION_ARG_STRING, &unit_price,
      N_ ("Unit price (default: the price list’s)"), N_ ("P") },
    { "line-discount-amount", 0, 0, G_OPTION_ARG_STRING, &discount, N_ ("Line discount amount"),
      N_ ("A") },
    { "vat-pct", 0, 0, G_OPTION_ARG_STRING, &vat, N_ ("VAT percentage"), N_ ("V") },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &unit, N_ ("Unit of measure (default: the base unit)"),
      N_ ("CODE") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description,
      N_ ("Description; text beyond 100 characters continues in comment lines"), N_ ("TEXT") },
    { "attach-to", 0, 0, G_OPTION_ARG_INT64, &attach_to,
      N_ ("For a comment: the line it belongs to"), N_ ("LINE_NO") },
    { NULL },
  };
  g_autoptr (SbSalesLine) line = sb_sales_line_new ();
  SbSalesLineType line_type;
  SbStore *store;
  gboolean ok;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("DOCUMENT (item|resource|comment) [NO]"),
                     _ ("Adds a line to an open document and prints its line number."), entries,
                     error) ||
      !sb_cli_expect_args (argc, argv[0], 2, 3, error))
    return FALSE;
  if (!sb_sales_line_type_from_string (argv[2], &line_type))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("“%s” is not a line type: write item, resource or comment."), argv[2]);
      return FALSE;
    }
  if ((line_type == SB_SALES_LINE_COMMENT) != (argc == 3))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           line_type == SB_SALES_LINE_COMMENT
                               ? _ ("A comment line has no number; give its text with "
                                    "--description.")
                               : _ ("Give the number of the item or resource."));
      return FALSE;
    }
  if (line_type == SB_SALES_LINE_COMMENT && (description == NULL || *description == '\0'))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _ ("Give the text of the comment line with --description."));
      return FALSE;
    }

  line->doc_type = type;
  g_free (line->doc_no);
  line->doc_no = g_strdup (argv[1]);
  line->type = line_type;
  line->attached_to_line_no = attach_to;
  if (line_type != SB_SALES_LINE_COMMENT)
    {
      g_free (line->no);
      line->no = g_strdup (argv[3]);
      line->quantity = SB_DECIMAL_ONE;
    }
  if (unit != NULL)
    {
      g_free (line->unit_code);
      line->unit_code = g_strdup (unit);
    }
  if ((quantity != NULL &&
       !parse_decimal_option ("--quantity", quantity, &line->quantity, error)) ||
      (unit_price != NULL &&
       !parse_decimal_option ("--unit-price", unit_price, &line->unit_price, error)) ||
      (discount != NULL && !parse_decimal_option ("--line-discount-amount", discount,
                                                  &line->line_discount_amount, error)) ||
      (vat != NULL && !parse_decimal_option ("--vat-pct", vat, &line->vat_pct, error)))
    return FALSE;

  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (line_type == SB_SALES_LINE_COMMENT)
    {
      g_auto (GStrv) parts =
          sb_sales_split_description (description, SB_SALES_LINE_DESCRIPTION_MAX);

      /* A long comment becomes several comment lines, all belonging to the
       * same line (or none). */
      g_free (line->description);
      line->description = g_strdup (parts[0]);
      ok = sb_store_begin (store, error) && sb_sales_document_add_line (store, line, FALSE, error);
      for (guint i = 1; ok && parts[i] != NULL; i++)
        ok = sb_sales_document_add_comment (store, type, line->doc_no, parts[i], attach_to, error);
      if (ok)
        ok = sb_store_commit (store, error);
      else
        sb_store_rollback (store);
    }
  else
    ok = sb_sales_document_add_line_long (store, line, unit_price != NULL, description, error);
  if (!ok)
    return FALSE;
  g_print ("%" G_GINT64_FORMAT "\n", line->line_no);
  return TRUE;
}

typedef enum
{
  ACTION_RELEASE,
  ACTION_REOPEN,
  ACTION_DELETE,
} Action;

static gboolean
run_action (SbCliContext *ctx, int argc, char **argv, Action action, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  g_autofree char *what = NULL;
  const char *summary;
  SbStore *store;
  gboolean ok = FALSE;

  switch (action)
    {
      case ACTION_RELEASE:
        summary = _ ("Releases a document: it can no longer be changed.");
        break;
      case ACTION_REOPEN:
        summary = _ ("Reopens a released document for changes.");
        break;
      case ACTION_DELETE:
      default:
        summary = _ ("Deletes an open document with its lines.");
        break;
    }
  store = sb_cli_start (ctx, &argc, &argv, _ ("NO"), summary, NULL, 1, 1, error);
  if (store == NULL)
    return FALSE;

  what = sb_sales_document_describe (type, argv[1]);
  switch (action)
    {
      case ACTION_RELEASE:
        ok = sb_sales_document_release (store, type, argv[1], error);
        if (ok)
          g_print (_ ("%s is released.\n"), what);
        break;
      case ACTION_REOPEN:
        ok = sb_sales_document_reopen (store, type, argv[1], error);
        if (ok)
          g_print (_ ("%s is open for changes.\n"), what);
        break;
      case ACTION_DELETE:
      default:
        ok = sb_sales_document_delete (store, type, argv[1], error);
        if (ok)
          g_print (_ ("%s is deleted.\n"), what);
        break;
    }
  return ok;
}

static gboolean
cmd_release (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return run_action (ctx, argc, argv, ACTION_RELEASE, error);
}

static gboolean
cmd_reopen (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return run_action (ctx, argc, argv, ACTION_REOPEN, error);
}

static gboolean
cmd_delete (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return run_action (ctx, argc, argv, ACTION_DELETE, error);
}

static gboolean
cmd_archive (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  SbStore *store;
  gint64 version;

  store = sb_cli_start (ctx, &argc, &argv, _ ("NO"),
                        _ ("Archives the document as its next version and prints the version "
                           "number."),
                        NULL, 1, 1, error);
  if (store == NULL)
    return FALSE;
  version = sb_sales_document_archive (store, type, argv[1], error);
  if (version == 0)
    return FALSE;
  g_print ("%" G_GINT64_FORMAT "\n", version);
  return TRUE;
}

static gboolean
cmd_versions (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbSalesDocType type = doc_type_of (argv[0]);
  gboolean json = FALSE;
  gint64 version_no = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { "version", 0, 0, G_OPTION_ARG_INT64, &version_no, N_ ("Show this version with its lines"),
      N_ ("N") },
    { NULL },
  };
  g_autoptr (GPtrArray) rows = NULL;
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("NO"),
                     _ ("Lists the archived versions of a document, or shows one."), entries,
                     error) ||
      !sb_cli_expect_args (argc, argv[0], 1, 1, error))
    return FALSE;
  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;

  if (version_no != 0)
    {
      g_autoptr (SbSalesHeaderArchive) version =
          sb_sales_document_get_version (store, type, argv[1], version_no, error);
      g_autoptr (GPtrArray) lines = NULL;

      if (version == NULL)
        return FALSE;
      lines = sb_sales_document_get_version_lines (store, type, argv[1], version_no, error);
      if (lines == NULL)
        return FALSE;
      if (json)
        print_json_with_lines (&sb_sales_header_archive_record_type, version,
                               &sb_sales_line_archive_record_type, lines);
      else
        {
          sb_cli_print_record (&sb_sales_header_archive_record_type, version);
          g_print ("\n");
          sb_cli_print_table (&sb_sales_line_archive_record_type, lines, archive_line_columns);
        }
      return TRUE;
    }

  rows = sb_sales_document_list_versions (store, type, argv[1], error);
  if (rows == NULL)
    return FALSE;
  sb_cli_output_records (&sb_sales_header_archive_record_type, rows, version_columns, json);
  return TRUE;
}

/* "10000=2.5" → line 10000, quantity 2.5. */
static gboolean
parse_line_quantity (const char *text, SbPostingQuantity *out, GError **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *line = NULL;
  char *end = NULL;

  if (eq == NULL)
    goto bad;
  line = g_strndup (text, eq - text);
  out->line_no = g_ascii_strtoll (line, &end, 10);
  if (*line == '\0' || end == NULL || *end != '\0' || out->line_no <= 0)
    goto bad;
  return parse_decimal_option ("--line", eq + 1, &out->quantity, error);

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _ ("--line “%s”: write LINE_NO=QUANTITY, e.g. --line 10000=2."), text);
  return FALSE;
}

static gboolean
cmd_post (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_auto (GStrv) line_options = NULL;
  const GOptionEntry entries[] = {
    { "line", 0, 0, G_OPTION_ARG_STRING_ARRAY, &line_options,
      N_ ("Ship and invoice only QTY of line LINE_NO (repeatable); without it, everything "
          "outstanding"),
      N_ ("LINE_NO=QTY") },
    { NULL },
  };
  g_autofree SbPostingQuantity *quantities = NULL;
  g_autofree char *invoice = NULL;
  guint n = 0;
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("NO"),
                     _ ("Ships and invoices a sales order (releasing it first) and prints the "
                        "posted invoice number. A fully posted order is removed."),
                     entries, error) ||
      !sb_cli_expect_args (argc, argv[0], 1, 1, error))
    return FALSE;
  n = line_options != NULL ? g_strv_length (line_options) : 0;
  quantities = g_new0 (SbPostingQuantity, n + 1);
  for (guint i = 0; i < n; i++)
    if (!parse_line_quantity (line_options[i], &quantities[i], error))
      return FALSE;

  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  invoice = sb_posting_post_order (store, argv[1], quantities, n, error);
  if (invoice == NULL)
    return FALSE;
  g_print ("%s\n", invoice);
  return TRUE;
}

static gboolean
cmd_invoice_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  g_autofree char *customer = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_ ("Only this customer’s invoices"),
      N_ ("NO") },
    { NULL },
  };
  g_autoptr (GPtrArray) rows = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("[SEARCH]"), _ ("Lists posted sales invoices."),
                        entries, 0, 1, error);
  if (store == NULL)
    return FALSE;
  rows = sb_posted_invoice_list (store, customer, argc == 2 ? argv[1] : NULL, error);
  if (rows == NULL)
    return FALSE;
  sb_cli_output_records (&sb_posted_invoice_record_type, rows, invoice_columns, json);
  return TRUE;
}

static gboolean
cmd_invoice_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (SbPostedInvoice) invoice = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("NO"),
                        _ ("Shows a posted invoice with its lines. JSON: the header with a "
                           "“lines” array."),
                        entries, 1, 1, error);
  if (store == NULL)
    return FALSE;
  invoice = sb_posted_invoice_get (store, argv[1], error);
  if (invoice == NULL)
    return FALSE;
  lines = sb_posted_invoice_get_lines (store, argv[1], error);
  if (lines == NULL)
    return FALSE;
  if (json)
    print_json_with_lines (&sb_posted_invoice_record_type, invoice,
                           &sb_posted_invoice_line_record_type, lines);
  else
    {
      sb_cli_print_record (&sb_posted_invoice_record_type, invoice);
      g_print ("\n");
      sb_cli_print_table (&sb_posted_invoice_line_record_type, lines, invoice_line_columns);
    }
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "order", "list", "[--json] [--customer NO] [SEARCH]", N_ ("List open sales orders"), cmd_list },
  { "order", "show", "NO [--json]", N_ ("Show a sales order with its lines"), cmd_show },
  { "order", "create",
    "CUSTOMER [--external-doc-no X] [--your-reference X] [--requested-delivery-date D] [--json]",
    N_ ("Create a sales order; prints its number"), cmd_create },
  { "order", "add-line",
    "ORDER (item|resource|comment) [NO] [--quantity Q] [--unit-price P] "
    "[--line-discount-amount A] [--vat-pct V] [--description TEXT]",
    N_ ("Add a line to an open sales order"), cmd_add_line },
  { "order", "release", "NO", N_ ("Release a sales order"), cmd_release },
  { "order", "reopen", "NO", N_ ("Reopen a released sales order"), cmd_reopen },
  { "order", "post", "NO [--line LINE_NO=QTY]…",
    N_ ("Ship and invoice a sales order, fully or in part; prints the invoice number"), cmd_post },
  { "order", "archive", "NO", N_ ("Archive a version of a sales order"), cmd_archive },
  { "order", "versions", "NO [--version N] [--json]", N_ ("List archived versions of an order"),
    cmd_versions },
  { "order", "delete", "NO", N_ ("Delete an open sales order"), cmd_delete },
  { "quote", "list", "[--json] [--customer NO] [SEARCH]", N_ ("List sales quotes"), cmd_list },
  { "quote", "show", "NO [--json]", N_ ("Show a sales quote with its lines"), cmd_show },
  { "quote", "create",
    "CUSTOMER [--external-doc-no X] [--your-reference X] [--quote-valid-until D] [--json]",
    N_ ("Create a sales quote; prints its number"), cmd_create },
  { "quote", "add-line",
    "QUOTE (item|resource|comment) [NO] [--quantity Q] [--unit-price P] "
    "[--line-discount-amount A] [--vat-pct V] [--description TEXT]",
    N_ ("Add a line to an open sales quote"), cmd_add_line },
  { "quote", "release", "NO", N_ ("Release a sales quote"), cmd_release },
  { "quote", "reopen", "NO", N_ ("Reopen a released sales quote"), cmd_reopen },
  { "quote", "archive", "NO", N_ ("Archive a version of a sales quote"), cmd_archive },
  { "quote", "versions", "NO [--version N] [--json]", N_ ("List archived versions of a quote"),
    cmd_versions },
  { "quote", "delete", "NO", N_ ("Delete an open sales quote"), cmd_delete },
  { "invoice", "list", "[--json] [--customer NO] [SEARCH]", N_ ("List posted sales invoices"),
    cmd_invoice_list },
  { "invoice", "show", "NO [--json]", N_ ("Show a posted sales invoice with its lines"),
    cmd_invoice_show },
};

const SbCliCommand *
sb_cli_document_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
