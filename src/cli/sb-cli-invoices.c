/* sb-cli-invoices.c: posted invoices, account statistics and the integration solution sent to
 * Dynamics 365 Sales (integration-behaviour.md §7–8)
 *
 *   invoice send INVOICE_NO | --all
 *   stats update [CUSTOMER… | --all]
 *   solution deploy [--redeploy]
 *   solution status [--json]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-cli-invoices.h"
#include "sb-cli-sync.h"
#include "sb-sync-invoices.h"
#include "sb-sync-solution.h"

static gboolean
cmd_invoice_send (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_ ("Every posted invoice of a coupled customer not in Sales yet, and the status of those "
          "that are"),
      NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "INVOICE_NO|--all",
                                 _ ("Creates posted invoices in Dynamics 365 Sales with their "
                                    "lines and sets their status from the payments."),
                                 entries, 0, 1, error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store == NULL)
    return FALSE;
  if (all == (argc == 2))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _ ("Give one invoice number or --all."));
      return FALSE;
    }
  if ((engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  if (all)
    {
      SbSyncCounters n;

      if (!sb_sync_engine_send_invoices_sync (engine, &n, NULL, error))
        return FALSE;
      g_print (_ ("Invoices: %u created in Sales, %u with a new status, %u unchanged, %u left out "
                  "(customer not in Sales, or skipped), %u failed\n"),
               n.inserted, n.modified, n.unchanged, n.skipped, n.failed);
      if (n.failed > 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _ ("%u invoices could not be sent; “salesbridge-cli log --errors” says "
                          "why."),
                       n.failed);
          return FALSE;
        }
      return TRUE;
    }
  {
    g_autofree char *id = sb_sync_engine_send_invoice_sync (engine, argv[1], NULL, error);

    if (id == NULL)
      return FALSE;
    g_print ("%s\n", id);
  }
  return TRUE;
}

static gboolean
cmd_stats_update (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_ ("Every customer coupled to an account"), NULL },
    { NULL },
  };
  SbStore *store =
      sb_cli_start (ctx, &argc, &argv, "[CUSTOMER…|--all]",
                    _ ("Update Account Statistics: writes the customers’ statistics to Dynamics "
                       "365 Sales and brings their invoices’ status up to date."),
                    entries, 0, G_MAXINT, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncCounters n;

  if (store == NULL)
    return FALSE;
  if (all && argc > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _ ("Give customer numbers or --all, not both."));
      return FALSE;
    }
  if ((engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  if (!sb_sync_engine_update_account_statistics_sync (
          engine, argc > 1 ? (const char *const *) argv + 1 : NULL, &n, NULL, error))
    return FALSE;
  g_print (_ ("Account statistics: %u created, %u updated, %u failed\n"), n.inserted, n.modified,
           n.failed);
  if (n.failed > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("%u customers’ statistics or invoices could not be updated; "
                      "“salesbridge-cli log --errors” says why."),
                   n.failed);
      return FALSE;
    }
  return TRUE;
}

static const char *
state_label (SbSyncSolutionState state)
{
  switch (state)
    {
      case SB_SYNC_SOLUTION_DEPLOYED:
        return _ ("deployed");
      case SB_SYNC_SOLUTION_PARTIAL:
        return _ ("partly deployed");
      case SB_SYNC_SOLUTION_NOT_DEPLOYED:
      default:
        return _ ("not deployed");
    }
}

static const char *
state_nick (SbSyncSolutionState state)
{
  return state == SB_SYNC_SOLUTION_DEPLOYED  ? "deployed"
         : state == SB_SYNC_SOLUTION_PARTIAL ? "partial"
                                             : "not-deployed";
}

static void
print_status (const SbSyncSolutionStatus *s, gboolean json)
{
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, state_nick (s->state));
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, s->version);
      json_builder_set_member_name (b, "entity_set");
      json_builder_add_string_value (b, s->entity_set);
      json_builder_set_member_name (b, "deployed_at");
      json_builder_add_string_value (b, s->deployed_at);
      json_builder_set_member_name (b, "roles_ok");
      json_builder_add_boolean_value (b, s->roles_ok);
      json_builder_set_member_name (b, "missing");
      json_builder_add_int_value (b, s->n_missing);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, s->message);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      sb_cli_print_json (node);
      return;
    }
  g_print (_ ("Integration solution: %s\n"), state_label (s->state));
  if (*s->entity_set != '\0')
    g_print (_ ("Statistics table: %s (%s)\n"), SB_SYNC_STATISTICS_TABLE, s->entity_set);
  if (*s->deployed_at != '\0')
    g_print (_ ("Deployed: %s (version %u)\n"), s->deployed_at, s->version);
  g_print (_ ("Integration roles: %s\n"), s->roles_ok ? _ ("assigned") : _ ("missing"));
  if (*s->message != '\0')
    g_print ("%s\n", s->message);
}

static gboolean
cmd_solution_deploy (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean redeploy = FALSE;
  const GOptionEntry entries[] = {
    { "redeploy", 0, 0, G_OPTION_ARG_NONE, &redeploy,
      N_ ("Also assign the integration roles to the integration user again"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Deploys the integration solution (the account statistics "
                                    "table) to Dynamics 365 Sales, or completes it."),
                                 entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbSyncSolutionStatus) s = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  s = sb_sync_engine_deploy_solution_sync (engine, redeploy, NULL, error);
  if (s == NULL)
    return FALSE;
  g_print (_ ("Created %u tables, %u columns and %u relationships; assigned %u roles.\n"),
           s->created_tables, s->created_columns, s->created_relationships, s->assigned_roles);
  print_status (s, FALSE);
  return TRUE;
}

static gboolean
cmd_solution_status (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Output JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Checks in Dynamics 365 Sales what of the integration "
                                    "solution is deployed."),
                                 entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbSyncSolutionStatus) s = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  s = sb_sync_engine_check_solution_sync (engine, NULL, error);
  if (s == NULL)
    return FALSE;
  print_status (s, json);
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "invoice", "send", "INVOICE_NO|--all", N_ ("Create posted invoices in Dynamics 365 Sales"),
    cmd_invoice_send },
  { "stats", "update", "[CUSTOMER…|--all]", N_ ("Update account statistics in Dynamics 365 Sales"),
    cmd_stats_update },
  { "solution", "deploy", "[--redeploy]", N_ ("Deploy the integration solution"),
    cmd_solution_deploy },
  { "solution", "status", "[--json]", N_ ("Show what of the integration solution is deployed"),
    cmd_solution_status },
};

const SbCliCommand *
sb_cli_invoice_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
