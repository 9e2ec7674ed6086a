/* sb-cli-sales-import.c: "orders" and "quotes": sales orders and quotes from Dynamics 365 Sales
 *
 * integration-behaviour.md §5–6: list what Sales holds, and take one (or every waiting one)
 * into the ERP; "orders status" shows where an ERP order came from and its timeline posts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-cli-sales-import.h"
#include "sb-cli-sync.h"
#include "sb-connection-setup.h"
#include "sb-dataverse-json.h"
#include "sb-sales-note.h"
#include "sb-sync-sales-import.h"

#define LIST_LIMIT 200

static const char *
member (JsonObject *o, const char *name)
{
  return sb_json_get_string (o, name, "");
}

static void
print_list (JsonNode *list, gboolean quotes)
{
  JsonArray *a = json_node_get_array (list);

  if (json_array_get_length (a) == 0)
    {
      g_print (quotes ? _ ("There are no quotes in Dynamics 365 Sales.\n")
                      : _ ("There are no sales orders in Dynamics 365 Sales.\n"));
      return;
    }
  /* TRANSLATORS: column headings of "orders list" / "quotes list" */
  g_print ("%-14s %-10s %-28s %-10s %14s %-4s %-10s\n", _ ("Number"), _ ("State"), _ ("Customer"),
           _ ("ERP cust."), _ ("Total"), _ ("Cur."), quotes ? _ ("ERP quote") : _ ("ERP order"));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_autofree char *number =
          quotes ? g_strdup_printf ("%s/%" G_GINT64_FORMAT, member (o, "quotenumber"),
                                    sb_json_get_int (o, "revisionnumber", 0))
                 : g_strdup (member (o, "ordernumber"));

      g_print ("%-14s %-10s %-28.28s %-10s %14s %-4s %-10s\n", number, member (o, "state"),
               member (o, "customer_name"), member (o, "customer_no"), member (o, "total_amount"),
               member (o, "currency"),
               quotes ? member (o, "erp_quote_no") : member (o, "erp_order_no"));
    }
}

static gboolean
cmd_list (SbCliContext *ctx, int argc, char **argv, gboolean quotes, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store =
      sb_cli_start (ctx, &argc, &argv, "",
                    quotes ? _ ("Lists the quotes in Dynamics 365 Sales, newest first.")
                           : _ ("Lists the sales orders in Dynamics 365 Sales, newest "
                                "first."),
                    entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (JsonNode) list = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  list = quotes ? sb_sync_engine_list_sales_quotes_sync (engine, LIST_LIMIT, NULL, error)
                : sb_sync_engine_list_sales_orders_sync (engine, LIST_LIMIT, NULL, error);
  if (list == NULL)
    return FALSE;
  if (json)
    sb_cli_print_json (list);
  else
    print_list (list, quotes);
  return TRUE;
}

static gboolean
cmd_orders_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return cmd_list (ctx, argc, argv, FALSE, error);
}

static gboolean
cmd_quotes_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return cmd_list (ctx, argc, argv, TRUE, error);
}

/* "orders create" and "quotes process": one by number or id, or --all. */
static gboolean
cmd_take (SbCliContext *ctx, int argc, char **argv, gboolean quotes, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      quotes ? N_ ("Process every active or won quote not processed yet")
             : N_ ("Create every submitted order not taken yet"),
      NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (
      ctx, &argc, &argv, quotes ? "QUOTENUMBER | --all" : "ORDERNUMBER | --all",
      quotes ? _ ("Processes a quote of Dynamics 365 Sales in the ERP: creates or revises the ERP "
                  "quote, and for a won quote creates or links its order.")
             : _ ("Creates the ERP order of a submitted sales order of Dynamics 365 Sales."),
      entries, 0, 1, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSalesImportCounters c = { 0 };
  g_autofree char *no = NULL;

  if (store == NULL)
    return FALSE;
  if (all == (argc == 2))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   quotes ? _ ("Give one quote number, or --all.")
                          : _ ("Give one order number, or --all."));
      return FALSE;
    }
  if ((engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  if (!all)
    {
      no = quotes ? sb_sync_engine_process_sales_quote_sync (engine, argv[1], NULL, error)
                  : sb_sync_engine_create_sales_order_sync (engine, argv[1], NULL, error);
      if (no == NULL)
        return FALSE;
      g_print (quotes ? _ ("Quote %s is sales quote %s in the ERP.\n")
                      : _ ("Order %s is sales order %s in the ERP.\n"),
               argv[1], no);
      return TRUE;
    }
  if (!(quotes ? sb_sync_engine_process_sales_quotes_sync (engine, &c, NULL, error)
               : sb_sync_engine_create_sales_orders_sync (engine, &c, NULL, error)))
    return FALSE;
  g_print (_ ("%u created, %u updated, %u failed (see “log --errors”).\n"), c.created, c.updated,
           c.failed);
  if (c.failed > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE, "%u document could not be taken into the ERP.",
                                "%u documents could not be taken into the ERP.", c.failed),
                   c.failed);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cmd_orders_create (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return cmd_take (ctx, argc, argv, FALSE, error);
}

static gboolean
cmd_quotes_process (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return cmd_take (ctx, argc, argv, TRUE, error);
}

static gboolean
cmd_orders_status (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "ERP_ORDER_NO",
                                 _ ("Shows where an ERP order came from in Dynamics 365 Sales and "
                                    "the status posts sent to its timeline."),
                                 entries, 1, 1, error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (JsonNode) origin = NULL;
  g_autoptr (JsonNode) posts = NULL;
  JsonArray *a;

  if (store == NULL || (setup = sb_connection_setup_get (store, error)) == NULL ||
      (origin = sb_sync_engine_get_document_origin (store, setup->sales_url, 1, argv[1], error)) ==
          NULL ||
      (posts = sb_sync_engine_get_order_posts (store, argv[1], error)) == NULL)
    return FALSE;
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "origin");
      json_builder_add_value (b, json_node_copy (origin));
      json_builder_set_member_name (b, "posts");
      json_builder_add_value (b, json_node_copy (posts));
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      sb_cli_print_json (root);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_NULL (origin))
    g_print (_ ("Sales order %s did not come from Dynamics 365 Sales.\n"), argv[1]);
  else
    g_print (_ ("Sales order %s came from order %s in Dynamics 365 Sales: %s\n"), argv[1],
             member (json_node_get_object (origin), "number"),
             member (json_node_get_object (origin), "web_url"));
  a = json_node_get_array (posts);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *p = json_array_get_object_element (a, i);

      g_print ("  %s  %-8s %s %s\n", member (p, "created_at"), member (p, "state"),
               member (p, "text"), member (p, "message"));
    }
  return TRUE;
}

/* "orders notes NO [--json]" and "orders note NO TEXT": the ERP notes the Sales Order Notes job
 * keeps in step with the order's notes in Sales. */
static gboolean
cmd_orders_notes (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store =
      sb_cli_start (ctx, &argc, &argv, "ERP_ORDER_NO",
                    _ ("Lists the notes of an ERP order, oldest first."), entries, 1, 1, error);
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  if (store == NULL ||
      (notes = sb_sales_note_list (store, SB_SALES_DOC_ORDER, argv[1], error)) == NULL)
    return FALSE;
  if (!json)
    {
      for (guint i = 0; i < notes->len; i++)
        {
          SbSalesNote *note = notes->pdata[i];

          g_print ("%" PRId64 "  %s  %s\n", (int64_t) note->id, note->modified_at, note->text);
        }
      return TRUE;
    }
  json_builder_begin_array (b);
  for (guint i = 0; i < notes->len; i++)
    {
      SbSalesNote *note = notes->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, note->id);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, note->text);
      json_builder_set_member_name (b, "modified_at");
      json_builder_add_string_value (b, note->modified_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  sb_cli_print_json (root);
  return TRUE;
}

static gboolean
cmd_orders_note (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "ERP_ORDER_NO TEXT",
                                 _ ("Adds a note to an ERP order; the Sales Order Notes job sends "
                                    "it to the order in Dynamics 365 Sales."),
                                 NULL, 2, 2, error);
  gint64 id;

  if (store == NULL)
    return FALSE;
  id = sb_sales_note_add (store, SB_SALES_DOC_ORDER, argv[1], argv[2], error);
  if (id == 0)
    return FALSE;
  g_print ("%" PRId64 "\n", (int64_t) id);
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "orders", "list", "[--json]", N_ ("List the sales orders in Dynamics 365 Sales"),
    cmd_orders_list },
  { "orders", "create", "ORDERNUMBER | --all",
    N_ ("Create the ERP order of a submitted order in Sales (or of every one waiting)"),
    cmd_orders_create },
  { "orders", "status", "ERP_ORDER_NO [--json]",
    N_ ("Show an ERP order’s origin in Sales and its timeline posts"), cmd_orders_status },
  { "orders", "notes", "ERP_ORDER_NO [--json]", N_ ("List the notes of an ERP order"),
    cmd_orders_notes },
  { "orders", "note", "ERP_ORDER_NO TEXT", N_ ("Add a note to an ERP order"), cmd_orders_note },
  { "quotes", "list", "[--json]", N_ ("List the quotes in Dynamics 365 Sales"), cmd_quotes_list },
  { "quotes", "process", "QUOTENUMBER | --all",
    N_ ("Process an active or won quote of Sales in the ERP (or every one waiting)"),
    cmd_quotes_process },
};

const SbCliCommand *
sb_cli_sales_import_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
