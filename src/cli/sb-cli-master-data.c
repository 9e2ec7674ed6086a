/* sb-cli-master-data.c: customer, contact, item, resource and code-table commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>

#include "sb-cli.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-setup.h"

/* How a record type appears on the command line. */
typedef struct
{
  const char *group;
  const SbRecordType *type;
  const char *const *table_columns;
  const char *const *search_columns; /* what a SEARCH argument matches */
  gboolean numbered;                 /* key may be left blank and comes from a number series */
  SbNoSeriesKind series;
} SbCliTable;

static const char *const customer_columns[] = {
  "no", "name", "city", "phone", "currency_code", "salesperson_code", "blocked", NULL
};
static const char *const contact_columns[] = { "no",    "first_name", "surname", "company_no",
                                               "email", "phone",      NULL };
static const char *const item_columns[] = { "no",         "description", "base_unit_code",
                                            "unit_price", "inventory",   "blocked",
                                            NULL };
static const char *const resource_columns[] = { "no",         "name",     "base_unit_code",
                                                "unit_price", "capacity", NULL };
static const char *const code_columns[] = { "code", "description", NULL };
static const char *const salesperson_columns[] = { "code", "name", "email", "phone", NULL };
static const char *const currency_columns[] = { "code", "description", "symbol", "exchange_rate",
                                                NULL };
static const char *const payment_terms_columns[] = { "code", "description", "due_days", NULL };
static const char *const sales_price_columns[] = { "item_no",   "price_group_code", "currency_code",
                                                   "unit_code", "unit_price",       NULL };

static const char *const customer_search[] = { "no", "name", "city", NULL };
static const char *const contact_search[] = { "no", "first_name", "surname", "company_no", NULL };
static const char *const item_search[] = { "no", "description", NULL };
static const char *const name_search[] = { "no", "name", NULL };
static const char *const code_search[] = { "code", "description", NULL };
static const char *const salesperson_search[] = { "code", "name", NULL };
static const char *const price_search[] = { "item_no", "price_group_code", NULL };

static const SbCliTable tables[] = {
  { "customer", &sb_customer_record_type, customer_columns, customer_search, TRUE,
    SB_NO_SERIES_CUSTOMER },
  { "contact", &sb_contact_record_type, contact_columns, contact_search, TRUE,
    SB_NO_SERIES_CONTACT },
  { "item", &sb_item_record_type, item_columns, item_search, FALSE, 0 },
  { "resource", &sb_resource_record_type, resource_columns, name_search, FALSE, 0 },
  { "salesperson", &sb_salesperson_record_type, salesperson_columns, salesperson_search, FALSE, 0 },
  { "currency", &sb_currency_record_type, currency_columns, code_search, FALSE, 0 },
  { "unit", &sb_unit_of_measure_record_type, code_columns, code_search, FALSE, 0 },
  { "price-group", &sb_customer_price_group_record_type, code_columns, code_search, FALSE, 0 },
  { "payment-terms", &sb_payment_terms_record_type, payment_terms_columns, code_search, FALSE, 0 },
  { "sales-price", &sb_sales_price_record_type, sales_price_columns, price_search, FALSE, 0 },
};

static const SbCliTable *
table_for (const char *cmd_line)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_has_prefix (cmd_line, tables[i].group) && cmd_line[strlen (tables[i].group)] == ' ')
      return &tables[i];
  g_return_val_if_reached (NULL);
}

static gboolean
cmd_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const SbCliTable *table = table_for (argv[0]);
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (GPtrArray) rows = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("[SEARCH]"),
                        _ ("Lists the records, or those matching SEARCH."), entries, 0, 1, error);
  if (store == NULL)
    return FALSE;

  rows = sb_record_search (store, table->type, argc == 2 ? argv[1] : NULL, table->search_columns,
                           error);
  if (rows == NULL)
    return FALSE;

  sb_cli_output_records (table->type, rows, table->table_columns, json);
  return TRUE;
}

/* Fills the key fields of a fresh record from the positional arguments. */
static gpointer
key_from_args (const SbRecordType *type, int argc, char **argv, GError **error)
{
  gpointer key = sb_record_new (type);
  int arg = 1;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      {
        if (arg >= argc && !(type->fields[i].flags & SB_FIELD_FLAG_BLANK_KEY))
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _ ("Give the %s of the record; see “salesbridge-cli %s --help”."),
                         _ (type->fields[i].label), argv[0]);
            sb_record_free (type, key);
            return NULL;
          }
        if (arg < argc)
          sb_record_set_text (&type->fields[i], key, argv[arg++]);
      }
  return key;
}

static guint
n_key_fields (const SbRecordType *type)
{
  guint n = 0;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      n++;
  return n;
}

static gboolean
cmd_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const SbCliTable *table = table_for (argv[0]);
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  gpointer key;
  gpointer record;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, _ ("KEY…"), _ ("Shows one record with all its fields."),
                        entries, 1, (int) n_key_fields (table->type), error);
  if (store == NULL)
    return FALSE;
  key = key_from_args (table->type, argc, argv, error);
  if (key == NULL)
    return FALSE;
  record = sb_record_lookup (store, table->type, key, error);
  sb_record_free (table->type, key);
  if (record == NULL)
    return FALSE;

  sb_cli_output_record (table->type, record, json);
  sb_record_free (table->type, record);
  return TRUE;
}

static gboolean
cmd_add (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const SbCliTable *table = table_for (argv[0]);
  const SbField *key_field = &table->type->fields[0];
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print the new record as JSON"), NULL },
    { NULL },
  };
  gpointer record;
  SbStore *store;
  gboolean ok;

  store = sb_cli_start (ctx, &argc, &argv, _ ("FIELD=VALUE…"),
                        _ ("Adds a record. Fields are named as in the JSON output, e.g. "
                           "name=\"Fabrikam\" city=Oslo credit_limit=5000. A blank number is taken "
                           "from the number series where there is one."),
                        entries, 1, G_MAXINT, error);
  if (store == NULL)
    return FALSE;

  record = sb_record_new (table->type);
  if (!sb_cli_set_fields (table->type, record, argv + 1, error))
    {
      sb_record_free (table->type, record);
      return FALSE;
    }
  if (table->numbered)
    ok = sb_no_series_insert_record (store, table->type, record, table->series, error);
  else
    ok = sb_record_insert (store, table->type, record, error);

  if (ok && json)
    {
      g_autoptr (JsonNode) node = sb_cli_record_to_json (table->type, record);
      sb_cli_print_json (node);
    }
  else if (ok)
    {
      g_autofree char *key = sb_record_to_string (key_field, record);
      g_print ("%s\n", key);
    }
  sb_record_free (table->type, record);
  return ok;
}

static gboolean
cmd_update (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const SbCliTable *table = table_for (argv[0]);
  guint n_keys = n_key_fields (table->type);
  gpointer key;
  gpointer record;
  SbStore *store;
  gboolean ok;

  store = sb_cli_start (ctx, &argc, &argv, _ ("KEY… FIELD=VALUE…"),
                        _ ("Changes fields of a record."), NULL, (int) n_keys + 1, G_MAXINT, error);
  if (store == NULL)
    return FALSE;
  key = key_from_args (table->type, (int) n_keys + 1, argv, error);
  if (key == NULL)
    return FALSE;
  record = sb_record_lookup (store, table->type, key, error);
  sb_record_free (table->type, key);
  if (record == NULL)
    return FALSE;

  for (guint i = 0; i < table->type->n_fields; i++)
    if (table->type->fields[i].flags & SB_FIELD_FLAG_KEY)
      for (int a = (int) n_keys + 1; a < argc; a++)
        if (g_str_has_prefix (argv[a], table->type->fields[i].name) &&
            argv[a][strlen (table->type->fields[i].name)] == '=')
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _ ("The %s of a record cannot be changed."),
                         _ (table->type->fields[i].label));
            sb_record_free (table->type, record);
            return FALSE;
          }

  ok = sb_cli_set_fields (table->type, record, argv + n_keys + 1, error) &&
       sb_record_update (store, table->type, record, error);
  sb_record_free (table->type, record);
  return ok;
}

static gboolean
cmd_delete (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const SbCliTable *table = table_for (argv[0]);
  gpointer key;
  SbStore *store;
  gboolean ok;

  store = sb_cli_start (ctx, &argc, &argv, _ ("KEY…"), _ ("Deletes a record."), NULL, 1,
                        (int) n_key_fields (table->type), error);
  if (store == NULL)
    return FALSE;
  key = key_from_args (table->type, argc, argv, error);
  if (key == NULL)
    return FALSE;
  ok = sb_record_delete (store, table->type, key, error);
  sb_record_free (table->type, key);
  return ok;
}

/* The summaries are shared; `salesbridge-cli --help` names each group. */
#define TABLE_COMMANDS(group)                                                                      \
  { group, "list", "[--json] [SEARCH]", N_ ("List the records"), cmd_list },                       \
      { group, "show", "[--json] KEY", N_ ("Show one record"), cmd_show },                         \
      { group, "add", "[--json] FIELD=VALUE…", N_ ("Add a record"), cmd_add },                     \
      { group, "update", "KEY FIELD=VALUE…", N_ ("Change fields of a record"), cmd_update },       \
  {                                                                                                \
    group, "delete", "KEY", N_ ("Delete a record"), cmd_delete                                     \
  }

static const SbCliCommand commands[] = {
  TABLE_COMMANDS ("customer"),    TABLE_COMMANDS ("contact"),     TABLE_COMMANDS ("item"),
  TABLE_COMMANDS ("resource"),    TABLE_COMMANDS ("salesperson"), TABLE_COMMANDS ("currency"),
  TABLE_COMMANDS ("unit"),        TABLE_COMMANDS ("price-group"), TABLE_COMMANDS ("payment-terms"),
  TABLE_COMMANDS ("sales-price"),
};

const SbCliCommand *
sb_cli_master_data_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
