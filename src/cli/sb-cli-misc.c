/* sb-cli-misc.c: demo data, status and setup commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "sb-cli.h"
#include "sb-demo-data.h"
#include "sb-setup.h"
#include "sb-store-private.h"

static gboolean
parse_count (const char *option, const char *text, guint *out_value, GError **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, 1000000, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("%s must be a whole number from 0 to 1000000, not “%s”."), option, text);
      return FALSE;
    }
  *out_value = (guint) value;
  return TRUE;
}

static void
print_progress (guint done, guint total, gpointer user_data)
{
  if (isatty (STDERR_FILENO))
    g_printerr ("\r%s", "");
  g_printerr (_ ("Seeded %u of %u records…"), done, total);
  g_printerr (isatty (STDERR_FILENO) ? "\r" : "\n");
}

static gboolean
cmd_demo_seed (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *customers = NULL, *items = NULL, *resources = NULL, *orders = NULL;
  gint seed = 1;
  gboolean quiet = FALSE;
  const GOptionEntry entries[] = {
    { "customers", 0, 0, G_OPTION_ARG_STRING, &customers, N_ ("Number of customers (default 250)"),
      N_ ("N") },
    { "items", 0, 0, G_OPTION_ARG_STRING, &items, N_ ("Number of items (default 60)"), N_ ("N") },
    { "resources", 0, 0, G_OPTION_ARG_STRING, &resources, N_ ("Number of resources (default 8)"),
      N_ ("N") },
    { "orders", 0, 0, G_OPTION_ARG_STRING, &orders, N_ ("Number of sales orders (default 40)"),
      N_ ("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_ ("Random seed; the same seed gives the same data"),
      N_ ("SEED") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_ ("Do not show progress"), NULL },
    { NULL },
  };
  SbDemoOptions options = { 250, 60, 8, 40, 1 };
  g_autoptr (GTimer) timer = g_timer_new ();
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], NULL,
                     _ ("Fills a new, empty company with realistic demo data. The same options "
                        "always give the same data."),
                     entries, error) ||
      !sb_cli_expect_args (argc, argv[0], 0, 0, error))
    return FALSE;
  if ((customers != NULL && !parse_count ("--customers", customers, &options.customers, error)) ||
      (items != NULL && !parse_count ("--items", items, &options.items, error)) ||
      (resources != NULL && !parse_count ("--resources", resources, &options.resources, error)) ||
      (orders != NULL && !parse_count ("--orders", orders, &options.orders, error)))
    return FALSE;
  options.seed = (guint32) seed;

  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  if (!sb_demo_seed (store, &options, quiet ? NULL : print_progress, NULL, error))
    return FALSE;
  if (!quiet && isatty (STDERR_FILENO))
    g_printerr ("\n");
  g_print (_ ("Seeded %u customers, %u items, %u resources and %u orders in %.2f s.\n"),
           options.customers, options.items, options.resources, options.orders,
           g_timer_elapsed (timer, NULL));
  return TRUE;
}

static gint64
count_rows (SbStore *store, const char *sql)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, NULL);
  gint64 n = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

static gboolean
cmd_status (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  static const struct
  {
    const char *name;
    const char *label;
    const char *sql;
  } counts[] = {
    { "customers", N_ ("Customers"), "SELECT count(*) FROM customer" },
    { "contacts", N_ ("Contacts"), "SELECT count(*) FROM contact" },
    { "items", N_ ("Items"), "SELECT count(*) FROM item" },
    { "resources", N_ ("Resources"), "SELECT count(*) FROM resource" },
    { "open_quotes", N_ ("Open quotes"), "SELECT count(*) FROM sales_header WHERE doc_type = 0" },
    { "open_orders", N_ ("Open orders"), "SELECT count(*) FROM sales_header WHERE doc_type = 1" },
    { "posted_invoices", N_ ("Posted invoices"), "SELECT count(*) FROM posted_invoice" },
  };
  g_autoptr (SbGeneralSetup) setup = NULL;
  SbStore *store;

  if (!sb_cli_parse (&argc, &argv, argv[0], NULL,
                     _ ("Shows which company database is open and what it holds."), entries,
                     error) ||
      !sb_cli_expect_args (argc, argv[0], 0, 0, error))
    return FALSE;
  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "database");
      json_builder_add_string_value (b, sb_store_get_path (store));
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, sb_store_get_schema_version (store));
      json_builder_set_member_name (b, "change_number");
      json_builder_add_int_value (b, sb_store_get_change_number (store));
      json_builder_set_member_name (b, "company_name");
      json_builder_add_string_value (b, setup->company_name);
      json_builder_set_member_name (b, "local_currency_code");
      json_builder_add_string_value (b, setup->local_currency_code);
      for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
        {
          json_builder_set_member_name (b, counts[i].name);
          json_builder_add_int_value (b, count_rows (store, counts[i].sql));
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      sb_cli_print_json (root);
      return TRUE;
    }

  g_print (_ ("Database: %s\n"), sb_store_get_path (store));
  g_print (_ ("Company: %s\n"), setup->company_name);
  g_print (_ ("Local currency: %s\n"), setup->local_currency_code);
  g_print (_ ("Schema version: %u\n"), sb_store_get_schema_version (store));
  g_print (_ ("Change number: %" PRId64 "\n"), sb_store_get_change_number (store));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_print ("%s: %" G_GINT64_FORMAT "\n", _ (counts[i].label), count_rows (store, counts[i].sql));
  return TRUE;
}

static gboolean
cmd_setup (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  gboolean sales = g_str_has_prefix (argv[0], "setup sales");
  const SbRecordType *type = sales ? &sb_sales_setup_record_type : &sb_general_setup_record_type;
  gpointer record;
  SbStore *store;
  gboolean ok = TRUE;

  if (!sb_cli_parse (&argc, &argv, argv[0], _ ("[FIELD=VALUE…]"),
                     _ ("Shows the setup, or changes the given fields."), entries, error))
    return FALSE;
  store = sb_cli_get_store (ctx, error);
  if (store == NULL)
    return FALSE;
  record = sales ? (gpointer) sb_sales_setup_get (store, error)
                 : (gpointer) sb_general_setup_get (store, error);
  if (record == NULL)
    return FALSE;

  if (argc > 1)
    ok = sb_cli_set_fields (type, record, argv + 1, error) &&
         sb_record_update (store, type, record, error);
  else if (json)
    {
      g_autoptr (JsonNode) node = sb_cli_record_to_json (type, record);
      sb_cli_print_json (node);
    }
  else
    sb_cli_print_record (type, record);
  sb_record_free (type, record);
  return ok;
}

static const SbCliCommand commands[] = {
  { "demo", "seed", "[--customers N] [--items N] [--resources N] [--orders N]",
    N_ ("Fill a new company with demo data"), cmd_demo_seed },
  { "status", NULL, "[--json]", N_ ("Show the open company database"), cmd_status },
  { "setup", "general", "[FIELD=VALUE…]", N_ ("Show or change the general setup"), cmd_setup },
  { "setup", "sales", "[FIELD=VALUE…]", N_ ("Show or change the sales & receivables setup"),
    cmd_setup },
};

const SbCliCommand *
sb_cli_misc_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
