/* main.c: salesbridge-cli, the ERP books from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "sb-cli-availability.h"
#include "sb-cli-connection.h"
#include "sb-cli-csv.h"
#include "sb-cli-invoices.h"
#include "sb-cli-sales-import.h"
#include "sb-cli-sync.h"
#include "sb-cli.h"

typedef const SbCliCommand *(*CommandTableFunc) (guint *n_commands);

/* sb_cli_invoice_commands before sb_cli_payment_commands: "stats update" is found before
 * "stats CUSTOMER". */
static const CommandTableFunc command_tables[] = {
  sb_cli_master_data_commands,  sb_cli_document_commands, sb_cli_invoice_commands,
  sb_cli_payment_commands,      sb_cli_misc_commands,     sb_cli_connection_commands,
  sb_cli_sync_commands,         sb_cli_jobs_commands,     sb_cli_sales_import_commands,
  sb_cli_availability_commands, sb_cli_csv_commands,
};

static const struct
{
  const char *group;
  const char *summary;
} groups[] = {
  { "customer", N_ ("Customers") },
  { "contact", N_ ("Contact persons of customers") },
  { "item", N_ ("Items") },
  { "resource", N_ ("Resources") },
  { "salesperson", N_ ("Salespeople") },
  { "currency", N_ ("Currencies") },
  { "unit", N_ ("Units of measure") },
  { "price-group", N_ ("Customer price groups") },
  { "payment-terms", N_ ("Payment terms") },
  { "sales-price", N_ ("Sales prices per price group") },
  { "quote", N_ ("Sales quotes") },
  { "order", N_ ("Sales orders") },
  { "invoice", N_ ("Posted sales invoices") },
  { "payment", N_ ("Customer payments") },
  { "ledger", N_ ("Customer ledger entries") },
  { "stats", N_ ("Customer statistics") },
  { "setup", N_ ("Company setup") },
  { "demo", N_ ("Demo data") },
  { "status", N_ ("Database status") },
  { "connection", N_ ("Connection to Dynamics 365 Sales") },
  { "mapping", N_ ("Integration table mappings") },
  { "couple", N_ ("Coupling with Dynamics 365 Sales") },
  { "uncouple", N_ ("Removing a coupling") },
  { "restore", N_ ("Restoring a skipped record") },
  { "create-in-sales", N_ ("Creating a record in Sales") },
  { "create-in-erp", N_ ("Creating a record in the ERP") },
  { "sync", N_ ("Synchronization with Dynamics 365 Sales") },
  { "sync-now", N_ ("Synchronizing one record now") },
  { "log", N_ ("Synchronization log") },
  { "sync-status", N_ ("Synchronization status") },
  { "history", N_ ("Transfer history of a record") },
  { "conflicts", N_ ("Synchronization conflicts") },
  { "orders", N_ ("Sales orders in Dynamics 365 Sales") },
  { "quotes", N_ ("Sales quotes in Dynamics 365 Sales") },
  { "full-sync", N_ ("Full synchronization") },
  { "jobs", N_ ("Job queue") },
  { "solution", N_ ("The integration solution in Dynamics 365 Sales") },
  { "daemon", N_ ("Running the job queue in the background") },
  { "availability", N_ ("Item availability for Dynamics 365 Sales") },
  { "import", N_ ("Importing customers, items or resources from CSV") },
  { "export", N_ ("Exporting records to CSV") },
};

static void
print_usage (const char *only_group)
{
  g_print (_ ("Usage:\n  salesbridge-cli [--db PATH] COMMAND [OPTIONS…]\n\n"));
  g_print (_ ("Keeps the ERP books of a Salesbridge company from the command line.\n\n"));
  g_print (_ ("Options:\n"
              "  --db PATH     Company database (default: %s)\n"
              "  --version     Print the version\n"
              "  -h, --help    Show this help; “COMMAND --help” shows a command’s options\n\n"),
           "~/.local/share/salesbridge/companies/default.sbdb");
  g_print (_ ("Commands:\n"));
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (only_group != NULL && !g_str_equal (only_group, groups[g].group))
        continue;
      g_print ("  %s — %s\n", groups[g].group, _ (groups[g].summary));
      for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
        {
          guint n;
          const SbCliCommand *cmds = command_tables[t](&n);

          for (guint i = 0; i < n; i++)
            if (g_str_equal (cmds[i].group, groups[g].group))
              g_print ("      %s%s%s %s\n        %s\n", cmds[i].group, cmds[i].name ? " " : "",
                       cmds[i].name ? cmds[i].name : "", cmds[i].args, _ (cmds[i].summary));
        }
    }
}

static const SbCliCommand *
find_command (const char *group, const char *name, gboolean *out_group_known)
{
  *out_group_known = FALSE;
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    {
      guint n;
      const SbCliCommand *cmds = command_tables[t](&n);

      for (guint i = 0; i < n; i++)
        {
          if (!g_str_equal (cmds[i].group, group))
            continue;
          *out_group_known = TRUE;
          if (cmds[i].name == NULL || (name != NULL && g_str_equal (cmds[i].name, name)))
            return &cmds[i];
        }
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  SbCliContext ctx = { NULL, NULL };
  g_autoptr (GPtrArray) rest = g_ptr_array_new ();
  g_autofree char *default_path = NULL;
  g_autofree char *cmd_line = NULL;
  g_autoptr (GError) error = NULL;
  const SbCliCommand *command;
  gboolean group_known;
  gboolean ok;
  guint consumed;

  setlocale (LC_ALL, "");
  /* An uninstalled build (tools/run-demo, tests) points this at the
   * build tree's po/ so its translations show. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL
                                       ? g_getenv ("SALESBRIDGE_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* --db may stand anywhere, so scripts can append it to any command. */
  g_ptr_array_add (rest, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        ctx.db_path = argv[++i];
      else if (g_str_has_prefix (argv[i], "--db="))
        ctx.db_path = argv[i] + strlen ("--db=");
      else if (g_str_equal (argv[i], "--db"))
        {
          g_printerr (_ ("salesbridge-cli: --db needs a file name\n"));
          return 2;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);
  argc = (int) rest->len - 1;
  argv = (char **) rest->pdata;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (NULL);
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("salesbridge-cli %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (ctx.db_path == NULL)
    ctx.db_path = default_path = sb_store_get_default_path ();

  command = find_command (argv[1], argc > 2 ? argv[2] : NULL, &group_known);
  if (command == NULL)
    {
      if (group_known && (argc < 3 || g_str_equal (argv[2], "--help")))
        {
          print_usage (argv[1]);
          return argc < 3 ? 2 : 0;
        }
      if (group_known)
        g_printerr (_ ("salesbridge-cli: “%s” has no command “%s”; see “salesbridge-cli %s "
                       "--help”.\n"),
                    argv[1], argv[2], argv[1]);
      else
        g_printerr (_ ("salesbridge-cli: unknown command “%s”; see “salesbridge-cli --help”.\n"),
                    argv[1]);
      return 2;
    }

  /* The command sees "GROUP NAME" as its argv[0], for help and messages. */
  consumed = command->name != NULL ? 2 : 1;
  cmd_line = command->name != NULL ? g_strdup_printf ("%s %s", command->group, command->name)
                                   : g_strdup (command->group);
  argv[consumed] = cmd_line;
  ok = command->func (&ctx, argc - (int) consumed, argv + consumed, &error);
  g_clear_object (&ctx.store);

  if (!ok)
    {
      g_printerr ("salesbridge-cli: %s\n", error != NULL ? error->message : _ ("Failed."));
      return error != NULL && error->domain == G_OPTION_ERROR ? 2 : 1;
    }
  return 0;
}
