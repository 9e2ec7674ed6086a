/* sb-cli-sync.c: mappings, coupling and synchronization with Dynamics 365 Sales from the command
 * line
 *
 * The connection comes from the stored, enabled setup and the keyring's client secret
 * (SbConnectionManager), exactly as the app makes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sb-cli-sync.h"
#include "sb-connection-manager.h"
#include "sb-sync-engine.h"
#include "sb-sync-error.h"

SbSyncEngine *
sb_cli_sync_open_engine (SbStore *store, GError **error)
{
  g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);
  g_autoptr (SbDataverseConnection) cnc =
      sb_connection_manager_create_connection_sync (manager, NULL, error);
  const char *batch = g_getenv ("SALESBRIDGE_SYNC_BATCH_SIZE");
  SbSyncEngine *engine;

  if (cnc == NULL)
    return NULL;
  engine = sb_sync_engine_new (store, cnc);
  if (batch != NULL)
    sb_sync_engine_set_batch_size (engine, (guint) g_ascii_strtoull (batch, NULL, 10));
  return engine;
}

static void
print_counters (const char *mapping, const SbSyncCounters *c)
{
  g_print (_ ("%s: %u inserted, %u modified, %u unchanged, %u skipped, %u failed, %u coupled, "
              "%u uncoupled\n"),
           mapping, c->inserted, c->modified, c->unchanged, c->skipped, c->failed, c->coupled,
           c->uncoupled);
}

static JsonNode *
mapping_to_json (const SbSyncMapping *m)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
#define STR(name, value)                                                                           \
  json_builder_set_member_name (b, name);                                                          \
  json_builder_add_string_value (b, value)
#define INT(name, value)                                                                           \
  json_builder_set_member_name (b, name);                                                          \
  json_builder_add_int_value (b, value)
#define BOOL(name, value)                                                                          \
  json_builder_set_member_name (b, name);                                                          \
  json_builder_add_boolean_value (b, value)
  STR ("name", m->name);
  STR ("erp_table", m->erp_table);
  STR ("entity_set", m->entity_set);
  STR ("direction", sb_sync_direction_to_string (m->direction));
  STR ("erp_filter", m->erp_filter);
  STR ("dataverse_filter", m->dataverse_filter);
  STR ("depends_on", m->depends_on);
  INT ("priority", m->priority);
  BOOL ("only_coupled", m->only_coupled);
  BOOL ("create_if_no_match", m->create_if_no_match);
  BOOL ("sync_after_coupling", m->sync_after_coupling);
  INT ("conflict_policy", m->conflict_policy);
  INT ("deletion_policy", m->deletion_policy);
  INT ("job_interval", m->job_interval);
  INT ("inactivity_timeout", m->inactivity_timeout);
  BOOL ("implemented", m->transfer_implemented);
  INT ("erp_watermark", m->erp_watermark);
  STR ("dataverse_watermark", m->dataverse_watermark);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < m->fields->len; i++)
    {
      const SbSyncFieldMapping *f = m->fields->pdata[i];

      json_builder_begin_object (b);
      STR ("erp_field", f->erp_field);
      STR ("dataverse_field", f->dataverse_field);
      STR ("direction", sb_sync_direction_to_string (f->direction));
      STR ("constant", f->constant);
      STR ("lookup_mapping", f->lookup_mapping);
      STR ("transform", f->transform);
      INT ("match_priority", f->match_priority);
      BOOL ("match_case_sensitive", f->match_case_sensitive);
      BOOL ("enabled", f->enabled);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
#undef STR
#undef INT
#undef BOOL
  return json_builder_get_root (b);
}

static gboolean
cmd_mapping_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Lists the integration table mappings in synchronization "
                                    "order."),
                                 entries, 0, 0, error);
  g_autoptr (GPtrArray) list = NULL;

  if (store == NULL)
    return FALSE;
  list = sb_sync_mapping_list (store, error);
  if (list == NULL)
    return FALSE;
  if (json)
    {
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, mapping_to_json (list->pdata[i]));
      json_node_take_array (root, array);
      sb_cli_print_json (root);
      return TRUE;
    }
  for (guint i = 0; i < list->len; i++)
    {
      SbSyncMapping *m = list->pdata[i];

      g_print ("%-20s %-20s %-22s %-10s %s\n", m->name, m->erp_table, m->entity_set,
               sb_sync_direction_to_string (m->direction),
               m->transfer_implemented ? "" : _ ("(not implemented yet)"));
    }
  return TRUE;
}

static gboolean
cmd_mapping_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store =
      sb_cli_start (ctx, &argc, &argv, "MAPPING",
                    _ ("Shows a mapping with its field mappings, as JSON."), NULL, 1, 1, error);
  g_autoptr (SbSyncMapping) m = NULL;
  g_autoptr (JsonNode) node = NULL;

  if (store == NULL)
    return FALSE;
  m = sb_sync_mapping_load (store, argv[1], error);
  if (m == NULL)
    return FALSE;
  node = mapping_to_json (m);
  sb_cli_print_json (node);
  return TRUE;
}

static gboolean
cmd_mapping_set (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  char *direction = NULL, *erp_filter = NULL, *dataverse_filter = NULL;
  int only_coupled = -1, create_if_no_match = -1, conflict = -1, deletion = -1;
  const GOptionEntry entries[] = {
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, N_ ("to-sales, from-sales or both"),
      "DIR" },
    { "erp-filter", 0, 0, G_OPTION_ARG_STRING, &erp_filter, N_ ("ERP filter"), "SQL" },
    { "dataverse-filter", 0, 0, G_OPTION_ARG_STRING, &dataverse_filter, N_ ("Dataverse filter"),
      "FILTER" },
    { "only-coupled", 0, 0, G_OPTION_ARG_INT, &only_coupled, N_ ("1 or 0"), "N" },
    { "create-if-no-match", 0, 0, G_OPTION_ARG_INT, &create_if_no_match, N_ ("1 or 0"), "N" },
    { "conflict-policy", 0, 0, G_OPTION_ARG_INT, &conflict,
      N_ ("0 none, 1 get from Sales, 2 send to Sales"), "N" },
    { "deletion-policy", 0, 0, G_OPTION_ARG_INT, &deletion,
      N_ ("0 none, 1 restore, 2 remove coupling"), "N" },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING",
                                 _ ("Changes settings of a mapping; options not given keep their "
                                    "value."),
                                 entries, 1, 1, error);
  g_autoptr (SbSyncMapping) m = NULL;
  gboolean ok = FALSE;

  if (store == NULL)
    goto out;
  m = sb_sync_mapping_load (store, argv[1], error);
  if (m == NULL)
    goto out;
  if (direction != NULL && !sb_sync_direction_from_string (direction, &m->direction))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The direction must be to-sales, from-sales or both."));
      goto out;
    }
  if (erp_filter != NULL)
    m->erp_filter = (g_free (m->erp_filter), g_strdup (erp_filter));
  if (dataverse_filter != NULL)
    m->dataverse_filter = (g_free (m->dataverse_filter), g_strdup (dataverse_filter));
  if (only_coupled >= 0)
    m->only_coupled = only_coupled != 0;
  if (create_if_no_match >= 0)
    m->create_if_no_match = create_if_no_match != 0;
  if (conflict >= 0)
    m->conflict_policy = (SbSyncConflictPolicy) conflict;
  if (deletion >= 0)
    m->deletion_policy = (SbSyncDeletionPolicy) deletion;
  ok = sb_sync_mapping_save (store, m, error);
out:
  g_free (direction);
  g_free (erp_filter);
  g_free (dataverse_filter);
  return ok;
}

static gboolean
cmd_mapping_set_field (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *direction = NULL;
  g_autofree char *constant = NULL;
  int enabled = -1, priority = -1, case_sensitive = -1;
  const GOptionEntry entries[] = {
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, N_ ("to-sales, from-sales or both"),
      "DIR" },
    { "enabled", 0, 0, G_OPTION_ARG_INT, &enabled, N_ ("1 or 0"), "N" },
    { "match-priority", 0, 0, G_OPTION_ARG_INT, &priority,
      N_ ("Match priority; 0: not used for matching"), "N" },
    { "case-sensitive", 0, 0, G_OPTION_ARG_INT, &case_sensitive, N_ ("1 or 0"), "N" },
    { "constant", 0, 0, G_OPTION_ARG_STRING, &constant,
      N_ ("A JSON value sent instead of the field"), "JSON" },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING POSITION",
                                 _ ("Changes a field mapping, by its position in “mapping show”; "
                                    "options not given keep their value."),
                                 entries, 2, 2, error);
  g_autoptr (SbSyncMapping) m = NULL;
  SbSyncFieldMapping *f;
  guint64 position;

  if (store == NULL)
    return FALSE;
  m = sb_sync_mapping_load (store, argv[1], error);
  if (m == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (argv[2], 10, 0, m->fields->len - 1, &position, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The mapping has no field mapping %s."), argv[2]);
      return FALSE;
    }
  f = m->fields->pdata[position];
  if (direction != NULL && !sb_sync_direction_from_string (direction, &f->direction))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The direction must be to-sales, from-sales or both."));
      return FALSE;
    }
  if (enabled >= 0)
    f->enabled = enabled != 0;
  if (priority >= 0)
    f->match_priority = (guint) priority;
  if (case_sensitive >= 0)
    f->match_case_sensitive = case_sensitive != 0;
  if (constant != NULL)
    f->constant = (g_free (f->constant), g_strdup (constant));
  return sb_sync_mapping_save (store, m, error);
}

static gboolean
cmd_mapping_reset (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "[MAPPING]",
                                 _ ("Puts a mapping (or every mapping) back to its defaults. "
                                    "Couplings stay."),
                                 NULL, 0, 1, error);

  if (store == NULL)
    return FALSE;
  if (!sb_sync_mapping_reset (store, argc > 1 ? argv[1] : NULL, error))
    return FALSE;
  g_print (_ ("Mappings reset to their defaults.\n"));
  return TRUE;
}

static gboolean
cmd_couple (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store;
  g_autoptr (SbSyncEngine) engine = NULL;

  if (argc > 1 && g_str_equal (argv[1], "match"))
    {
      SbSyncCounters counters;

      argv[1] = argv[0];
      argc--;
      argv++;
      store = sb_cli_start (ctx, &argc, &argv, "MAPPING",
                            _ ("Couples uncoupled records with the single matching Dynamics 365 "
                               "Sales record by the mapping's match fields."),
                            NULL, 1, 1, error);
      if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
        return FALSE;
      if (!sb_sync_engine_couple_match_sync (engine, argv[1], &counters, NULL, error))
        return FALSE;
      print_counters (argv[1], &counters);
      return TRUE;
    }
  if (argc > 1 && g_str_equal (argv[1], "set"))
    {
      argv[1] = argv[0];
      argc--;
      argv++;
      store = sb_cli_start (ctx, &argc, &argv, "MAPPING ERP_NO DATAVERSE_ID",
                            _ ("Couples an ERP record with a Dynamics 365 Sales record."), NULL, 3,
                            3, error);
      if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
        return FALSE;
      if (!sb_sync_engine_couple_sync (engine, argv[1], argv[2], argv[3], NULL, error))
        return FALSE;
      g_print (_ ("%s is coupled to %s.\n"), argv[2], argv[3]);
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _ ("Use “couple match MAPPING” or “couple set MAPPING ERP_NO DATAVERSE_ID”."));
  return FALSE;
}

static gboolean
cmd_uncouple (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING ERP_NO",
                                 _ ("Removes the coupling of an ERP record."), NULL, 2, 2, error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  return sb_sync_engine_uncouple_sync (engine, argv[1], argv[2], error);
}

static gboolean
cmd_restore (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING KEY",
                                 _ ("Makes a skipped record take part in synchronization again."),
                                 NULL, 2, 2, error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  return sb_sync_engine_restore_sync (engine, argv[1], argv[2], error);
}

static gboolean
cmd_create_in_sales (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING ERP_NO",
                                 _ ("Creates the record in Dynamics 365 Sales and couples it."),
                                 NULL, 2, 2, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autofree char *id = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  id = sb_sync_engine_create_in_sales_sync (engine, argv[1], argv[2], NULL, error);
  if (id == NULL)
    return FALSE;
  g_print ("%s\n", id);
  return TRUE;
}

static gboolean
cmd_create_in_erp (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  SbStore *store =
      sb_cli_start (ctx, &argc, &argv, "MAPPING DATAVERSE_ID",
                    _ ("Creates the record in the ERP and couples it."), NULL, 2, 2, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autofree char *key = NULL;

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  key = sb_sync_engine_create_in_erp_sync (engine, argv[1], argv[2], NULL, error);
  if (key == NULL)
    return FALSE;
  g_print ("%s\n", key);
  return TRUE;
}

static gboolean
cmd_sync (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *direction = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, N_ ("to-sales, from-sales or both"),
      "DIR" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_ ("Every mapping in dependency order"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "[MAPPING]",
                                 _ ("Synchronizes a mapping, or with --all every mapping."),
                                 entries, 0, 1, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncDirection dir = SB_SYNC_DIRECTION_BOTH;
  SbSyncCounters counters;

  if (store == NULL)
    return FALSE;
  if (direction != NULL && !sb_sync_direction_from_string (direction, &dir))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("The direction must be to-sales, from-sales or both."));
      return FALSE;
    }
  if (all == (argc > 1))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Name one mapping, or give --all."));
      return FALSE;
    }
  engine = sb_cli_sync_open_engine (store, error);
  if (engine == NULL)
    return FALSE;
  if (all)
    {
      g_autoptr (JsonNode) status = NULL;

      if (!sb_sync_engine_sync_all_sync (engine, NULL, error))
        return FALSE;
      g_print (_ ("Every mapping is synchronized.\n"));
      return TRUE;
    }
  if (!sb_sync_engine_sync_mapping_sync (engine, argv[1], dir, &counters, NULL, error))
    return FALSE;
  print_counters (argv[1], &counters);
  return TRUE;
}

static gboolean
cmd_sync_now (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *winner = NULL;
  const GOptionEntry entries[] = {
    { "winner", 0, 0, G_OPTION_ARG_STRING, &winner, N_ ("erp or sales"), "SIDE" },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING ERP_NO",
                                 _ ("Transfers one coupled record now: with --winner erp the ERP's "
                                    "values overwrite Sales, with --winner sales the other way. "
                                    "Open conflicts of the record are resolved."),
                                 entries, 2, 2, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncDirection direction;

  if (store == NULL)
    return FALSE;
  if (g_strcmp0 (winner, "erp") == 0)
    direction = SB_SYNC_DIRECTION_TO_SALES;
  else if (g_strcmp0 (winner, "sales") == 0)
    direction = SB_SYNC_DIRECTION_FROM_SALES;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Give --winner erp or --winner sales."));
      return FALSE;
    }
  engine = sb_cli_sync_open_engine (store, error);
  if (engine == NULL ||
      !sb_sync_engine_sync_record_sync (engine, argv[1], argv[2], direction, NULL, error))
    return FALSE;
  g_print (_ ("%s is synchronized.\n"), argv[2]);
  return TRUE;
}

static gboolean
cmd_log (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean errors = FALSE;
  gboolean conflicts = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "errors", 0, 0, G_OPTION_ARG_NONE, &errors, N_ ("Show the failed records"), NULL },
    { "conflicts", 0, 0, G_OPTION_ARG_NONE, &conflicts, N_ ("Show the open conflicts"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("At most N entries"), "N" },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Shows the latest synchronization jobs (or errors) as JSON."),
                                 entries, 0, 0, error);
  g_autoptr (JsonNode) log = NULL;

  if (store == NULL)
    return FALSE;
  log = conflicts ? sb_sync_engine_get_conflicts (store, error)
                  : sb_sync_engine_get_log (store, errors, (guint) MAX (limit, 1), error);
  if (log == NULL)
    return FALSE;
  sb_cli_print_json (log);
  return TRUE;
}

static gboolean
cmd_status (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Shows per mapping the coupled, skipped and failed records, "
                                    "open conflicts and the last job."),
                                 entries, 0, 0, error);
  g_autoptr (JsonNode) status = NULL;
  JsonArray *array;

  if (store == NULL)
    return FALSE;
  status = sb_sync_engine_get_status (store, error);
  if (status == NULL)
    return FALSE;
  if (json)
    {
      sb_cli_print_json (status);
      return TRUE;
    }
  array = json_node_get_array (status);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      g_print (_ ("%-20s %" PRId64 " coupled, %" PRId64 " skipped, %" PRId64 " failed, %" PRId64
                  " conflicts\n"),
               json_object_get_string_member (o, "mapping"),
               json_object_get_int_member (o, "coupled"), json_object_get_int_member (o, "skipped"),
               json_object_get_int_member (o, "failed"),
               json_object_get_int_member (o, "conflicts"));
    }
  return TRUE;
}

static gboolean
cmd_history (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("At most N entries (0: all)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "MAPPING KEY",
                                 _ ("Shows what was transferred for one record (by ERP number or "
                                    "Dynamics 365 Sales id) and when, newest first."),
                                 entries, 2, 2, error);
  g_autoptr (JsonNode) history = NULL;
  JsonArray *array;

  if (store == NULL)
    return FALSE;
  if (limit < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("--limit must be 0 or more."));
      return FALSE;
    }
  history = sb_sync_engine_get_history (store, argv[1], argv[2], (guint) limit, error);
  if (history == NULL)
    return FALSE;
  if (json)
    {
      sb_cli_print_json (history);
      return TRUE;
    }
  array = json_node_get_array (history);
  if (json_array_get_length (array) == 0)
    g_print (_ ("Nothing was transferred for %s yet.\n"), argv[2]);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autoptr (JsonNode) fields = json_node_ref (json_object_get_member (o, "fields"));
      g_autofree char *text = json_to_string (fields, FALSE);
      const char *message = json_object_get_string_member (o, "message");

      g_print ("%s  %-10s %-10s %s%s%s\n", json_object_get_string_member (o, "time"),
               json_object_get_string_member (o, "direction"),
               json_object_get_string_member (o, "action"), text, *message ? "  " : "", message);
    }
  return TRUE;
}

static gboolean
cmd_conflicts_list (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Lists the open update and deletion conflicts with the "
                                    "differing values of both sides."),
                                 entries, 0, 0, error);
  g_autoptr (JsonNode) list = NULL;
  JsonArray *array;

  if (store == NULL || (list = sb_sync_engine_get_conflicts (store, error)) == NULL)
    return FALSE;
  if (json)
    {
      sb_cli_print_json (list);
      return TRUE;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) == 0)
    g_print (_ ("There are no open conflicts.\n"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      g_autofree char *id = g_strdup_printf ("%" PRId64, json_object_get_int_member (o, "id"));
      JsonArray *fields =
          json_object_has_member (o, "fields") ? json_object_get_array_member (o, "fields") : NULL;

      if (fields == NULL)
        {
          g_print (_ ("%s  %s %s: deletion conflict (Sales id %s)\n"), id,
                   json_object_get_string_member (o, "mapping"),
                   json_object_get_string_member (o, "erp_key"),
                   json_object_get_string_member (o, "dataverse_id"));
          continue;
        }
      g_print (_ ("%s  %s %s: update conflict\n"), id, json_object_get_string_member (o, "mapping"),
               json_object_get_string_member (o, "erp_key"));
      for (guint f = 0; f < json_array_get_length (fields); f++)
        {
          JsonObject *field = json_array_get_object_element (fields, f);

          g_print (_ ("    %s (%s): ERP “%s”, Sales “%s”\n"),
                   json_object_get_string_member (field, "caption"),
                   json_object_get_string_member (field, "field"),
                   json_object_get_string_member (field, "erp_value"),
                   json_object_get_string_member (field, "sales_value"));
        }
    }
  return TRUE;
}

static gboolean
parse_side (const char *text, SbSyncDirection *out_side, GError **error)
{
  if (g_strcmp0 (text, "erp") == 0)
    *out_side = SB_SYNC_DIRECTION_TO_SALES;
  else if (g_strcmp0 (text, "sales") == 0)
    *out_side = SB_SYNC_DIRECTION_FROM_SALES;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("“%s” is not a side: use erp or sales."), text ? text : "");
      return FALSE;
    }
  return TRUE;
}

/* The mapping of conflict @id, to give --keep-all a choice for every field. */
static SbSyncMapping *
conflict_mapping (SbStore *store, gint64 id, GError **error)
{
  g_autoptr (JsonNode) list = sb_sync_engine_get_conflicts (store, error);
  JsonArray *array;

  if (list == NULL)
    return NULL;
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (json_object_get_int_member (o, "id") == id)
        return sb_sync_mapping_load (store, json_object_get_string_member (o, "mapping"), error);
    }
  /* Not open: no mapping, and the engine says why (unknown or already resolved). */
  return NULL;
}

static gboolean
cmd_conflicts_resolve (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_auto (GStrv) keep = NULL;
  g_autofree char *keep_all = NULL;
  gboolean restore = FALSE;
  gboolean uncouple = FALSE;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keep,
      N_ ("Keep the ERP or the Sales value of FIELD (repeat for each differing field)"),
      "FIELD=erp|sales" },
    { "keep-all", 0, 0, G_OPTION_ARG_STRING, &keep_all,
      N_ ("Keep the ERP or the Sales value of every differing field"), "erp|sales" },
    { "restore", 0, 0, G_OPTION_ARG_NONE, &restore,
      N_ ("Deletion conflict: re-create the deleted record"), NULL },
    { "uncouple", 0, 0, G_OPTION_ARG_NONE, &uncouple, N_ ("Deletion conflict: remove the coupling"),
      NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (
      ctx, &argc, &argv, "ID",
      _ ("Resolves an open conflict: an update conflict field by field (--keep or --keep-all), "
         "a deletion conflict with --restore or --uncouple."),
      entries, 1, 1, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (GHashTable) choices = NULL;
  char *end = NULL;
  gint64 id;
  int modes;

  if (store == NULL)
    return FALSE;
  id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || id <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("“%s” is not a conflict number. See “conflicts list”."), argv[1]);
      return FALSE;
    }
  modes = (keep != NULL || keep_all != NULL) + restore + uncouple;
  if (modes != 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Give either --keep/--keep-all (update conflict), --restore or --uncouple "
                      "(deletion conflict)."));
      return FALSE;
    }
  if ((engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  if (restore || uncouple)
    {
      if (!sb_sync_engine_resolve_deletion_sync (engine, id, restore, NULL, error))
        return FALSE;
      g_print (_ ("Conflict %s is resolved.\n"), argv[1]);
      return TRUE;
    }
  choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (keep_all != NULL)
    {
      g_autoptr (SbSyncMapping) m = NULL;
      g_autoptr (GError) local_error = NULL;
      SbSyncDirection side;

      if (!parse_side (keep_all, &side, error))
        return FALSE;
      m = conflict_mapping (store, id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      for (guint i = 0; m != NULL && i < m->fields->len; i++)
        {
          const SbSyncFieldMapping *f = m->fields->pdata[i];

          if (*f->erp_field != '\0')
            g_hash_table_insert (choices, g_strdup (f->erp_field), GINT_TO_POINTER (side));
        }
    }
  for (guint i = 0; keep != NULL && keep[i] != NULL; i++)
    {
      const char *eq = strchr (keep[i], '=');
      SbSyncDirection side;

      if (eq == NULL || eq == keep[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("“%s” is not FIELD=erp or FIELD=sales."), keep[i]);
          return FALSE;
        }
      if (!parse_side (eq + 1, &side, error))
        return FALSE;
      g_hash_table_insert (choices, g_strndup (keep[i], (gsize) (eq - keep[i])),
                           GINT_TO_POINTER (side));
    }
  if (!sb_sync_engine_resolve_conflict_sync (engine, id, choices, NULL, error))
    return FALSE;
  g_print (_ ("Conflict %s is resolved.\n"), argv[1]);
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "mapping", "list", "[--json]", N_ ("List the integration table mappings"), cmd_mapping_list },
  { "mapping", "show", "MAPPING", N_ ("Show a mapping and its field mappings"), cmd_mapping_show },
  { "mapping", "set", "MAPPING [--direction DIR] [--only-coupled 0|1] …",
    N_ ("Change a mapping's settings"), cmd_mapping_set },
  { "mapping", "set-field",
    "MAPPING POSITION [--direction DIR] [--enabled 0|1] [--match-priority N] …",
    N_ ("Change a field mapping"), cmd_mapping_set_field },
  { "mapping", "reset", "[MAPPING]", N_ ("Put mappings back to their defaults"),
    cmd_mapping_reset },
  { "couple", NULL, "match MAPPING | set MAPPING ERP_NO DATAVERSE_ID",
    N_ ("Couple records by matching, or by hand"), cmd_couple },
  { "uncouple", NULL, "MAPPING ERP_NO", N_ ("Remove a coupling"), cmd_uncouple },
  { "restore", NULL, "MAPPING KEY", N_ ("Make a skipped record synchronize again"), cmd_restore },
  { "create-in-sales", NULL, "MAPPING ERP_NO", N_ ("Create and couple a record in Sales"),
    cmd_create_in_sales },
  { "create-in-erp", NULL, "MAPPING DATAVERSE_ID", N_ ("Create and couple a record in the ERP"),
    cmd_create_in_erp },
  { "sync", NULL, "MAPPING [--direction to-sales|from-sales|both] | --all",
    N_ ("Synchronize with Dynamics 365 Sales"), cmd_sync },
  { "sync-now", NULL, "MAPPING ERP_NO --winner erp|sales",
    N_ ("Synchronize one coupled record now; one side wins"), cmd_sync_now },
  { "log", NULL, "[--errors|--conflicts] [--limit N]", N_ ("Show synchronization jobs or errors"),
    cmd_log },
  { "sync-status", NULL, "[--json]", N_ ("Show the synchronization status per mapping"),
    cmd_status },
  { "history", NULL, "MAPPING KEY [--limit N] [--json]",
    N_ ("Show what was transferred for one record"), cmd_history },
  { "conflicts", "list", "[--json]", N_ ("List the open conflicts"), cmd_conflicts_list },
  { "conflicts", "resolve",
    "ID --keep FIELD=erp|sales … | --keep-all erp|sales | --restore | --uncouple",
    N_ ("Resolve a conflict field by field, or a deletion conflict"), cmd_conflicts_resolve },
};

const SbCliCommand *
sb_cli_sync_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
