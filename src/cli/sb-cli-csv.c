/* sb-cli-csv.c: "import" and "export": records from and to CSV files
 *
 * docs/csv.md describes the file format and the column mapping.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sb-cli-csv.h"
#include "sb-core-error.h"
#include "sb-csv-import.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-reference-data.h"

/* What "export" can write, by its command-line name. */
static const struct
{
  const char *name;
  const SbRecordType *type;
} exports[] = {
  { "customers", &sb_customer_record_type },
  { "contacts", &sb_contact_record_type },
  { "items", &sb_item_record_type },
  { "resources", &sb_resource_record_type },
  { "salespeople", &sb_salesperson_record_type },
  { "currencies", &sb_currency_record_type },
  { "units", &sb_unit_of_measure_record_type },
  { "price-groups", &sb_customer_price_group_record_type },
  { "payment-terms", &sb_payment_terms_record_type },
  { "sales-prices", &sb_sales_price_record_type },
  { "opportunities", &sb_opportunity_record_type },
  { "invoices", &sb_posted_invoice_record_type },
  { "ledger", &sb_ledger_entry_record_type },
};

static gboolean
parse_separator (const char *text, char *out_separator, GError **error)
{
  if (text == NULL)
    *out_separator = SB_CSV_DETECT;
  else if (g_str_equal (text, ",") || g_str_equal (text, ";"))
    *out_separator = text[0];
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The separator must be “,” or “;”, not “%s”."), text);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
read_rows (const char *file, char separator, GError **error)
{
  g_autoptr (GByteArray) data = NULL;
  guint8 buffer[65536];
  gsize n;

  if (!g_str_equal (file, "-"))
    return sb_csv_read_file (file, separator, NULL, error);

  data = g_byte_array_new ();
  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_byte_array_append (data, buffer, (guint) n);
  if (ferror (stdin))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("Could not read the standard input."));
      return NULL;
    }
  return sb_csv_parse ((const char *) data->data, data->len, separator, NULL, error);
}

static void
print_mapping (SbCsvImport *import)
{
  g_print (_ ("Columns:\n"));
  for (guint c = 0; c < sb_csv_import_get_n_columns (import); c++)
    {
      const SbField *field = sb_csv_import_get_field (import, c);

      if (field != NULL)
        g_print ("  %s → %s (%s)\n", sb_csv_import_get_column (import, c), field->name,
                 _ (field->label));
      else
        g_print (_ ("  %s → (ignored)\n"), sb_csv_import_get_column (import, c));
    }
}

static gboolean
cmd_import (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_auto (GStrv) maps = NULL;
  g_autofree char *separator_text = NULL;
  gboolean decimal_comma = FALSE;
  gboolean update_existing = FALSE;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      N_ ("Take FIELD from COLUMN; an empty FIELD ignores the column"), N_ ("COLUMN=FIELD") },
    { "separator", 0, 0, G_OPTION_ARG_STRING, &separator_text,
      N_ ("Field separator, “,” or “;” (default: from the first line)"), N_ ("SEP") },
    { "decimal-comma", 0, 0, G_OPTION_ARG_NONE, &decimal_comma,
      N_ ("Numbers are written with a decimal comma (1234,50)"), NULL },
    { "update-existing", 0, 0, G_OPTION_ARG_NONE, &update_existing,
      N_ ("Update records that exist already instead of skipping them"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_ ("Only check the file and report its problems; write nothing"), NULL },
    { NULL },
  };
  g_autoptr (SbCsvImport) import = NULL;
  g_autoptr (SbCsvImportReport) report = NULL;
  const SbRecordType *type;
  GPtrArray *rows;
  SbStore *store;
  char separator;

  store = sb_cli_start (ctx, &argc, &argv, "customers|items|resources FILE",
                        _ ("Imports records from a CSV file, all or none. FILE “-” reads the "
                           "standard input."),
                        entries, 2, 2, error);
  if (store == NULL || !parse_separator (separator_text, &separator, error))
    return FALSE;
  type = sb_csv_import_type_for_name (argv[1]);
  if (type == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Cannot import “%s”. Import customers, items or resources."), argv[1]);
      return FALSE;
    }

  rows = read_rows (argv[2], separator, error);
  if (rows == NULL)
    return FALSE;
  import = sb_csv_import_new (type, rows, error);
  if (import == NULL)
    return FALSE;
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *eq = strrchr (maps[i], '=');
      g_autofree char *column = NULL;

      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("Write --map as COLUMN=FIELD, not “%s”."), maps[i]);
          return FALSE;
        }
      column = g_strndup (maps[i], (gsize) (eq - maps[i]));
      if (!sb_csv_import_map (import, column, eq + 1, error))
        return FALSE;
    }
  sb_csv_import_set_decimal_comma (import, decimal_comma);
  sb_csv_import_set_update_existing (import, update_existing);

  print_mapping (import);
  report = sb_csv_import_run (import, store, dry_run, error);
  if (report == NULL)
    return FALSE;

  for (guint i = 0; i < report->problems->len; i++)
    {
      g_autofree char *line = sb_csv_problem_to_string (report->problems->pdata[i]);
      g_print ("%s\n", line);
    }
  if (report->problems->len > 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u problem in the file; nothing was imported. Fix it and import "
                                "again.",
                                "%u problems in the file; nothing was imported. Fix them and "
                                "import again.",
                                report->problems->len),
                   report->problems->len);
      return FALSE;
    }
  if (dry_run)
    g_print (_ ("No problems: %u new, %u to update, %u skipped. Nothing was written "
                "(--dry-run).\n"),
             report->inserted, report->updated, report->skipped);
  else
    g_print (_ ("Imported: %u new, %u updated, %u skipped.\n"), report->inserted, report->updated,
             report->skipped);
  return TRUE;
}

static gboolean
cmd_export (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *separator_text = NULL;
  SbCsvWriteOptions options = { ',', FALSE, FALSE };
  const GOptionEntry entries[] = {
    { "separator", 0, 0, G_OPTION_ARG_STRING, &separator_text,
      N_ ("Field separator, “,” (default) or “;”"), N_ ("SEP") },
    { "decimal-comma", 0, 0, G_OPTION_ARG_NONE, &options.decimal_comma,
      N_ ("Write numbers with a decimal comma (1234,50)"), NULL },
    { "labels", 0, 0, G_OPTION_ARG_NONE, &options.labels,
      N_ ("Head the columns with the fields’ translated labels, not their names"), NULL },
    { NULL },
  };
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) records = NULL;
  const SbRecordType *type = NULL;
  const char *file;
  SbStore *store;
  char separator;

  store = sb_cli_start (ctx, &argc, &argv, "TABLE [FILE|-]",
                        _ ("Writes every record of TABLE (customers, contacts, items, resources, "
                           "salespeople, currencies, units, price-groups, payment-terms, "
                           "sales-prices, opportunities, invoices, ledger) as CSV to FILE or the "
                           "standard output."),
                        entries, 1, 2, error);
  if (store == NULL || !parse_separator (separator_text, &separator, error))
    return FALSE;
  if (separator != SB_CSV_DETECT)
    options.separator = separator;
  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    if (g_str_equal (exports[i].name, argv[1]))
      type = exports[i].type;
  if (type == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Cannot export “%s”; see “salesbridge-cli export --help”."), argv[1]);
      return FALSE;
    }

  records = sb_record_list (store, type, NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  sb_csv_write_records (out, type, records, NULL, &options);

  file = argc > 2 ? argv[2] : "-";
  if (g_str_equal (file, "-"))
    {
      if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _ ("Could not write to the standard output."));
          return FALSE;
        }
      return TRUE;
    }
  return g_file_set_contents (file, out->str, (gssize) out->len, error);
}

static const SbCliCommand commands[] = {
  { "import", NULL,
    "customers|items|resources FILE [--map COLUMN=FIELD…] [--separator ,|;] [--decimal-comma] "
    "[--update-existing] [--dry-run]",
    N_ ("Import records from a CSV file"), cmd_import },
  { "export", NULL, "TABLE [FILE|-] [--separator ,|;] [--decimal-comma] [--labels]",
    N_ ("Export records to a CSV file"), cmd_export },
};

const SbCliCommand *
sb_cli_csv_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
