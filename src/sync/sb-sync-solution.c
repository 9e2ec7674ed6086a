/* sb-sync-solution.c: deploying the integration solution through the Dataverse metadata Web API
 *
 * Follows Microsoft's "Create and update table definitions using the Web API" and "Create and
 * update table relationships using the Web API": a table is created by POST EntityDefinitions
 * with its primary name column, further columns by POST EntityDefinitions(LogicalName='…')/
 * Attributes, a lookup by POST RelationshipDefinitions (a OneToManyRelationship whose Lookup
 * is the new column). Dataverse answers a name that exists with 0x80044363; that counts as
 * "already there", so two deployments racing each other both succeed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-check.h"
#include "sb-connection-setup.h"
#include "sb-dataverse-json.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices-private.h"
#include "sb-sync-solution.h"

#define DUPLICATE_NAME_CODE "0x80044363"

typedef enum
{
  COL_STRING,
  COL_DECIMAL,
  COL_DATE,
} ColumnType;

typedef struct
{
  const char *schema_name;
  ColumnType type;
  const char *label; /* Dataverse labels are the organization's (English) metadata, not ours */
  guint max_length;
} Column;

/* The statistics of §7 (sb-statistics.h), amounts in the local currency. Decimal rather than
 * Money columns: Money would be converted to each row's currency, these are the ERP's LCY. */
static const Column columns[] = {
  { "sb_CustomerNo", COL_STRING, "Customer No.", 20 },
  { "sb_BalanceLCY", COL_DECIMAL, "Balance (LCY)", 0 },
  { "sb_OutstandingOrdersLCY", COL_DECIMAL, "Outstanding Orders (LCY)", 0 },
  { "sb_ShippedNotInvoicedLCY", COL_DECIMAL, "Shipped Not Invoiced (LCY)", 0 },
  { "sb_OutstandingInvoicesLCY", COL_DECIMAL, "Outstanding Invoices (LCY)", 0 },
  { "sb_TotalLCY", COL_DECIMAL, "Total (LCY)", 0 },
  { "sb_CreditLimitLCY", COL_DECIMAL, "Credit Limit (LCY)", 0 },
  { "sb_OverdueAmountsLCY", COL_DECIMAL, "Overdue Amounts (LCY)", 0 },
  { "sb_AsOfDate", COL_DATE, "Overdue Amounts As Of Date", 0 },
  { "sb_TotalSalesLCY", COL_DECIMAL, "Total Sales (LCY)", 0 },
  { "sb_InvoicedPrepaymentAmountLCY", COL_DECIMAL, "Invoiced Prepayment Amount (LCY)", 0 },
};

void
sb_sync_solution_status_free (SbSyncSolutionStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->entity_set);
  g_free (status->deployed_at);
  g_free (status->message);
  g_free (status);
}

static SbSyncSolutionStatus *
status_new (void)
{
  SbSyncSolutionStatus *s = g_new0 (SbSyncSolutionStatus, 1);

  s->entity_set = g_strdup ("");
  s->deployed_at = g_strdup ("");
  s->message = g_strdup ("");
  return s;
}

/* ---- The record (schema step 9) ----------------------------------------------------------- */

SbSyncSolutionStatus *
sb_sync_solution_get_recorded (SbStore *store, GError **error)
{
  g_autoptr (SbSyncSolutionStatus) s = status_new ();
  sqlite3_stmt *stmt = sb_store_prepare (store,
                                         "SELECT state, version, entity_set, deployed_at,"
                                         " roles_ok, message FROM integration_solution"
                                         " WHERE id = 1",
                                         error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      s->state = sqlite3_column_int (stmt, 0);
      s->version = sqlite3_column_int (stmt, 1);
      g_free (s->entity_set);
      s->entity_set = sb_column_dup (stmt, 2);
      g_free (s->deployed_at);
      s->deployed_at = sb_column_dup (stmt, 3);
      s->roles_ok = sqlite3_column_int (stmt, 4);
      g_free (s->message);
      s->message = sb_column_dup (stmt, 5);
    }
  else if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&s);
}

static gboolean
record_txn (SbStore *store, gpointer user_data, GError **error)
{
  SbSyncSolutionStatus *s = user_data;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, error);
  sqlite3_stmt *stmt;
  gboolean deployed = s->state == SB_SYNC_SOLUTION_DEPLOYED;

  if (setup == NULL)
    return FALSE;
  stmt = sb_store_prepare (
      store,
      "INSERT INTO integration_solution (id, state, version, entity_set, deployed_at, roles_ok,"
      " message) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO UPDATE SET state = ?1,"
      " version = ?2, entity_set = ?3, deployed_at = ?4, roles_ok = ?5, message = ?6",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, s->state);
  sqlite3_bind_int (stmt, 2, s->version);
  sb_bind_text (stmt, 3, s->entity_set);
  sb_bind_text (stmt, 4, s->deployed_at);
  sqlite3_bind_int (stmt, 5, s->roles_ok);
  sb_bind_text (stmt, 6, s->message);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  /* The connection test checks the integration roles only once the solution is deployed (§8). */
  if (setup->solution_deployed == deployed)
    return TRUE;
  setup->solution_deployed = deployed;
  return sb_connection_setup_update (store, setup, error);
}

static gboolean
record (SbStore *store, SbSyncSolutionStatus *s, GError **error)
{
  return sb_store_run_in_transaction (store, record_txn, s, error);
}

/* ---- Metadata requests -------------------------------------------------------------------- */

static JsonNode *
label_node (const char *text)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.type");
  json_builder_add_string_value (b, "Microsoft.Dynamics.CRM.Label");
  json_builder_set_member_name (b, "LocalizedLabels");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.type");
  json_builder_add_string_value (b, "Microsoft.Dynamics.CRM.LocalizedLabel");
  json_builder_set_member_name (b, "Label");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "LanguageCode");
  json_builder_add_int_value (b, 1033);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
set_required_none (JsonObject *o)
{
  JsonObject *level = json_object_new ();

  json_object_set_string_member (level, "Value", "None");
  json_object_set_object_member (o, "RequiredLevel", level);
}

static JsonObject *
column_body (const char *schema_name, ColumnType type, const char *label, guint max_length)
{
  JsonObject *o = json_object_new ();
  JsonObject *type_name = json_object_new ();

  switch (type)
    {
      case COL_STRING:
        json_object_set_string_member (o, "@odata.type",
                                       "Microsoft.Dynamics.CRM.StringAttributeMetadata");
        json_object_set_string_member (o, "AttributeType", "String");
        json_object_set_string_member (type_name, "Value", "StringType");
        json_object_set_int_member (o, "MaxLength", max_length);
        {
          JsonObject *format = json_object_new ();

          json_object_set_string_member (format, "Value", "Text");
          json_object_set_object_member (o, "FormatName", format);
        }
        break;
      case COL_DECIMAL:
        json_object_set_string_member (o, "@odata.type",
                                       "Microsoft.Dynamics.CRM.DecimalAttributeMetadata");
        json_object_set_string_member (o, "AttributeType", "Decimal");
        json_object_set_string_member (type_name, "Value", "DecimalType");
        json_object_set_int_member (o, "Precision", 2);
        json_object_set_double_member (o, "MinValue", -100000000000.0);
        json_object_set_double_member (o, "MaxValue", 100000000000.0);
        break;
      case COL_DATE:
      default:
        json_object_set_string_member (o, "@odata.type",
                                       "Microsoft.Dynamics.CRM.DateTimeAttributeMetadata");
        json_object_set_string_member (o, "AttributeType", "DateTime");
        json_object_set_string_member (type_name, "Value", "DateTimeType");
        json_object_set_string_member (o, "Format", "DateOnly");
        {
          JsonObject *behavior = json_object_new ();

          json_object_set_string_member (behavior, "Value", "DateOnly");
          json_object_set_object_member (o, "DateTimeBehavior", behavior);
        }
        break;
    }
  json_object_set_object_member (o, "AttributeTypeName", type_name);
  json_object_set_string_member (o, "SchemaName", schema_name);
  json_object_set_member (o, "DisplayName", label_node (label));
  set_required_none (o);
  return o;
}

static JsonObject *
entity_body (void)
{
  JsonObject *o = json_object_new ();
  JsonArray *attributes = json_array_new ();
  JsonObject *primary = column_body ("sb_Name", COL_STRING, "Name", 100);

  json_object_set_string_member (o, "@odata.type", "Microsoft.Dynamics.CRM.EntityMetadata");
  json_object_set_string_member (o, "SchemaName", "sb_AccountStatistics");
  json_object_set_member (o, "DisplayName", label_node ("Account Statistics"));
  json_object_set_member (o, "DisplayCollectionName", label_node ("Account Statistics"));
  json_object_set_member (o, "Description",
                          label_node ("Customer statistics from the ERP (Salesbridge)"));
  json_object_set_string_member (o, "OwnershipType", "OrganizationOwned");
  json_object_set_boolean_member (o, "IsActivity", FALSE);
  json_object_set_boolean_member (o, "HasActivities", FALSE);
  json_object_set_boolean_member (o, "HasNotes", FALSE);
  json_object_set_boolean_member (primary, "IsPrimaryName", TRUE);
  json_array_add_object_element (attributes, primary);
  json_object_set_array_member (o, "Attributes", attributes);
  return o;
}

static JsonObject *
relationship_body (void)
{
  JsonObject *o = json_object_new ();
  JsonObject *cascade = json_object_new ();
  JsonObject *lookup = json_object_new ();
  JsonObject *type_name = json_object_new ();

  json_object_set_string_member (o, "@odata.type",
                                 "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata");
  json_object_set_string_member (o, "SchemaName", "sb_account_sb_accountstatistics");
  json_object_set_string_member (o, "ReferencedEntity", "account");
  json_object_set_string_member (o, "ReferencedAttribute", "accountid");
  json_object_set_string_member (o, "ReferencingEntity", SB_SYNC_STATISTICS_TABLE);
  json_object_set_string_member (o, "ReferencedEntityNavigationPropertyName",
                                 "sb_account_sb_accountstatistics");
  json_object_set_string_member (o, "ReferencingEntityNavigationPropertyName",
                                 SB_SYNC_STATISTICS_NAVIGATION);
  /* Deleting an account removes the link, not the statistics (they are rewritten anyway). */
  json_object_set_string_member (cascade, "Assign", "NoCascade");
  json_object_set_string_member (cascade, "Delete", "RemoveLink");
  json_object_set_string_member (cascade, "Merge", "NoCascade");
  json_object_set_string_member (cascade, "Reparent", "NoCascade");
  json_object_set_string_member (cascade, "Share", "NoCascade");
  json_object_set_string_member (cascade, "Unshare", "NoCascade");
  json_object_set_object_member (o, "CascadeConfiguration", cascade);
  json_object_set_string_member (lookup, "@odata.type",
                                 "Microsoft.Dynamics.CRM.LookupAttributeMetadata");
  json_object_set_string_member (lookup, "AttributeType", "Lookup");
  json_object_set_string_member (type_name, "Value", "LookupType");
  json_object_set_object_member (lookup, "AttributeTypeName", type_name);
  json_object_set_string_member (lookup, "SchemaName", SB_SYNC_STATISTICS_NAVIGATION);
  json_object_set_member (lookup, "DisplayName", label_node ("Account"));
  set_required_none (lookup);
  json_object_set_object_member (o, "Lookup", lookup);
  return o;
}

typedef struct
{
  SbSyncEngine *engine;
  SbStore *store;
  SbDataverseConnection *cnc;
  GCancellable *cancellable;
  SbSyncSolutionStatus *status;
  gboolean table_exists;
  GHashTable *attributes; /* logical names of the table's columns */
} Deploy;

static JsonNode *
call (Deploy *d, const char *method, const char *path, JsonObject *body, GError **error)
{
  g_autoptr (JsonNode) node = NULL;

  if (body != NULL)
    node = json_node_init_object (json_node_alloc (), body);
  return sb_dataverse_connection_call_sync (d->cnc, method, path, node, d->cancellable, error);
}

/* A POST creating metadata; a name Dataverse already has counts as created before. */
static gboolean
create (Deploy *d, const char *path, JsonObject *body, gboolean *out_created, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) answer = call (d, "POST", path, body, &local_error);

  *out_created = answer != NULL;
  if (answer != NULL)
    return TRUE;
  if (g_strcmp0 (sb_dataverse_error_get_code (local_error), DUPLICATE_NAME_CODE) == 0)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The @member strings (lowercase) of the objects in the array @array_member of the answer
 * @node; NULL when the answer has no such array. */
static GPtrArray *
names_of (JsonNode *node, const char *array_member, const char *member)
{
  JsonArray *array = JSON_NODE_HOLDS_OBJECT (node)
                         ? sb_json_get_array (json_node_get_object (node), array_member)
                         : NULL;
  GPtrArray *names;

  if (array == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (element)
                             ? sb_json_get_string (json_node_get_object (element), member, NULL)
                             : NULL;

      if (name != NULL)
        g_ptr_array_add (names, g_ascii_strdown (name, -1));
    }
  return names;
}

static gboolean
read_table (Deploy *d, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonNode) entity = NULL;
  g_autoptr (JsonNode) attrs = NULL;
  g_autoptr (GPtrArray) names = NULL;

  g_hash_table_remove_all (d->attributes);
  entity = call (d, "GET",
                 "EntityDefinitions(LogicalName='" SB_SYNC_STATISTICS_TABLE
                 "')?$select=LogicalName,EntitySetName",
                 NULL, &local_error);
  if (entity == NULL)
    {
      if (!g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      d->table_exists = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (entity) ||
      sb_json_get_string (json_node_get_object (entity), "EntitySetName", NULL) == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dynamics 365 Sales described the statistics table without its "
                                 "entity set name. Try again later."));
      return FALSE;
    }
  d->table_exists = TRUE;
  g_free (d->status->entity_set);
  d->status->entity_set =
      g_strdup (sb_json_get_string (json_node_get_object (entity), "EntitySetName", ""));
  attrs = call (d, "GET",
                "EntityDefinitions(LogicalName='" SB_SYNC_STATISTICS_TABLE
                "')/Attributes?$select=LogicalName",
                NULL, error);
  if (attrs == NULL)
    return FALSE;
  names = names_of (attrs, "value", "LogicalName");
  if (names == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dynamics 365 Sales listed the statistics table’s columns in an "
                                 "unexpected form. Try again later."));
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    g_hash_table_add (d->attributes, g_steal_pointer (&names->pdata[i]));
  return TRUE;
}

/* What is missing, as a count and a sentence. */
static void
compare (Deploy *d)
{
  g_autoptr (GString) missing = g_string_new (NULL);
  guint n = 0;

  if (!d->table_exists)
    {
      n = 1 + G_N_ELEMENTS (columns) + 1;
      g_string_append_printf (missing, _ ("The table %s does not exist."),
                              SB_SYNC_STATISTICS_TABLE);
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        {
          g_autofree char *logical = g_ascii_strdown (columns[i].schema_name, -1);

          if (!g_hash_table_contains (d->attributes, logical))
            {
              g_string_append_printf (missing, "%s%s", n > 0 ? ", " : "", logical);
              n++;
            }
        }
      if (!g_hash_table_contains (d->attributes, SB_SYNC_STATISTICS_LOOKUP))
        {
          g_string_append_printf (missing, "%s%s", n > 0 ? ", " : "", SB_SYNC_STATISTICS_LOOKUP);
          n++;
        }
      if (n > 0)
        {
          g_autofree char *list = g_string_free (g_steal_pointer (&missing), FALSE);

          missing = g_string_new (NULL);
          g_string_printf (missing, _ ("The table %s lacks the columns %s."),
                           SB_SYNC_STATISTICS_TABLE, list);
        }
    }
  d->status->n_missing = n;
  if (n == 0)
    d->status->state = SB_SYNC_SOLUTION_DEPLOYED;
  else
    d->status->state = d->table_exists ? SB_SYNC_SOLUTION_PARTIAL : SB_SYNC_SOLUTION_NOT_DEPLOYED;
  g_free (d->status->message);
  d->status->message = g_strdup (missing->str);
}

static gboolean
deploy_tables (Deploy *d, GError **error)
{
  gboolean created;

  if (!d->table_exists)
    {
      g_autoptr (JsonObject) body = entity_body ();

      if (!create (d, "EntityDefinitions", body, &created, error))
        return FALSE;
      d->status->created_tables += created;
      if (!read_table (d, error))
        return FALSE;
      if (!d->table_exists)
        {
          sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                                  _ ("Dynamics 365 Sales accepted the statistics table but does "
                                     "not list it. Deploy again in a minute."));
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *logical = g_ascii_strdown (columns[i].schema_name, -1);
      g_autoptr (JsonObject) body = NULL;

      if (g_hash_table_contains (d->attributes, logical))
        continue;
      body = column_body (columns[i].schema_name, columns[i].type, columns[i].label,
                          columns[i].max_length);
      if (!create (d, "EntityDefinitions(LogicalName='" SB_SYNC_STATISTICS_TABLE "')/Attributes",
                   body, &created, error))
        return FALSE;
      d->status->created_columns += created;
    }
  if (!g_hash_table_contains (d->attributes, SB_SYNC_STATISTICS_LOOKUP))
    {
      g_autoptr (JsonObject) body = relationship_body ();

      if (!create (d, "RelationshipDefinitions", body, &created, error))
        return FALSE;
      d->status->created_relationships += created;
    }
  return read_table (d, error);
}

/* ---- Roles -------------------------------------------------------------------------------- */

static const char *const integration_roles[] = { SB_ROLE_INTEGRATION_ADMINISTRATOR,
                                                 SB_ROLE_INTEGRATION_USER };

static gboolean
read_roles (Deploy *d, const char *user_id, GPtrArray *names, GError **error)
{
  g_autofree char *path = g_strdup_printf (
      "systemusers(%s)?$select=fullname&$expand=systemuserroles_association($select=name)",
      user_id);
  g_autoptr (JsonNode) user = call (d, "GET", path, NULL, error);
  g_autoptr (GPtrArray) roles = NULL;

  if (user == NULL)
    return FALSE;
  roles = names_of (user, "systemuserroles_association", "name");
  if (roles == NULL)
    {
      sb_dataverse_error_set (error, SB_DATAVERSE_ERROR_BAD_RESPONSE, 0, NULL,
                              _ ("Dynamics 365 Sales listed the integration user’s roles in an "
                                 "unexpected form. Try again later."));
      return FALSE;
    }
  for (guint i = 0; i < roles->len; i++)
    g_ptr_array_add (names, g_steal_pointer (&roles->pdata[i]));
  return TRUE;
}

static gboolean
has_name (GPtrArray *names, const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_ascii_strcasecmp (names->pdata[i], name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
assign_role (Deploy *d, const char *user_id, const char *role, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("roles");
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) found = NULL;
  g_autoptr (JsonObject) ref = json_object_new ();
  g_autoptr (JsonNode) answer = NULL;
  g_autofree char *target = NULL;
  JsonArray *values;
  const char *role_id = NULL;

  sb_dataverse_query_select (query, "roleid", "name", NULL);
  sb_dataverse_query_set_filter (query, sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, role));
  path = sb_dataverse_query_to_path (query);
  found = call (d, "GET", path, NULL, error);
  if (found == NULL)
    return FALSE;
  values = JSON_NODE_HOLDS_OBJECT (found)
               ? sb_json_get_array (json_node_get_object (found), "value")
               : NULL;
  if (values != NULL && json_array_get_length (values) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (values, 0)))
    role_id = sb_json_get_guid (json_array_get_object_element (values, 0), "roleid");
  if (role_id == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                   _ ("The security role “%s” does not exist in Dynamics 365 Sales. Create it in "
                      "the Power Platform admin center, then redeploy the integration solution."),
                   role);
      return FALSE;
    }
  g_free (path);
  path = g_strdup_printf ("systemusers(%s)/systemuserroles_association/$ref", user_id);
  target = g_strdup_printf ("%sroles(%s)", sb_dataverse_connection_get_api_url (d->cnc), role_id);
  json_object_set_string_member (ref, "@odata.id", target);
  answer = call (d, "POST", path, ref, error);
  return answer != NULL;
}

static gboolean
check_roles (Deploy *d, gboolean assign, GError **error)
{
  g_autofree char *user_id = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (!sb_dataverse_connection_who_am_i_sync (d->cnc, &user_id, NULL, NULL, d->cancellable, error))
    return FALSE;
  if (!read_roles (d, user_id, names, error))
    return FALSE;
  d->status->roles_ok = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (integration_roles); i++)
    {
      if (has_name (names, integration_roles[i]))
        continue;
      if (assign)
        {
          if (!assign_role (d, user_id, integration_roles[i], error))
            return FALSE;
          d->status->assigned_roles++;
          continue;
        }
      d->status->roles_ok = FALSE;
    }
  return TRUE;
}

/* ---- Public API --------------------------------------------------------------------------- */

static void
deploy_clear (Deploy *d)
{
  g_clear_pointer (&d->attributes, g_hash_table_unref);
}

static void
deploy_init (Deploy *d, SbSyncEngine *self, SbStore *store, GCancellable *cancellable,
             SbSyncSolutionStatus *status)
{
  memset (d, 0, sizeof *d);
  d->engine = self;
  d->store = store;
  d->cnc = sb_sync_engine_get_connection (self);
  d->cancellable = cancellable;
  d->status = status;
  d->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static SbSyncSolutionStatus *
check_solution (SbSyncEngine *self, SbStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr (SbSyncSolutionStatus) recorded = sb_sync_solution_get_recorded (store, error);
  Deploy d;
  gboolean ok;

  if (recorded == NULL)
    return NULL;
  deploy_init (&d, self, store, cancellable, recorded);
  ok = read_table (&d, error) && check_roles (&d, FALSE, error);
  if (ok)
    {
      compare (&d);
      ok = record (store, recorded, error);
    }
  deploy_clear (&d);
  return ok ? g_steal_pointer (&recorded) : NULL;
}

SbSyncSolutionStatus *
sb_sync_engine_check_solution_sync (SbSyncEngine *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);
  return check_solution (self, sb_sync_engine_get_store (self), cancellable, error);
}

static SbSyncSolutionStatus *
deploy_solution (SbSyncEngine *self, SbStore *store, gboolean redeploy, GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (SbSyncSolutionStatus) s = sb_sync_solution_get_recorded (store, error);
  g_autoptr (GError) local_error = NULL;
  Deploy d;
  gboolean ok;

  if (s == NULL)
    return NULL;
  s->created_tables = s->created_columns = s->created_relationships = s->assigned_roles = 0;
  deploy_init (&d, self, store, cancellable, s);
  ok = read_table (&d, &local_error) && deploy_tables (&d, &local_error) &&
       check_roles (&d, redeploy, &local_error);
  if (ok)
    compare (&d);
  deploy_clear (&d);
  if (ok && s->state == SB_SYNC_SOLUTION_DEPLOYED)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

      s->version = SB_SYNC_SOLUTION_VERSION;
      g_free (s->deployed_at);
      s->deployed_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
      if (!s->roles_ok)
        {
          g_free (s->message);
          s->message = g_strdup_printf (
              _ ("The integration user lacks the roles “%s” and “%s”. Redeploy the integration "
                 "solution to assign them, or assign them in the Power Platform admin center."),
              SB_ROLE_INTEGRATION_ADMINISTRATOR, SB_ROLE_INTEGRATION_USER);
        }
    }
  else if (!ok)
    {
      /* What was created stays; the next deployment goes on from there. */
      if (s->state == SB_SYNC_SOLUTION_DEPLOYED)
        s->state = SB_SYNC_SOLUTION_PARTIAL;
      g_free (s->message);
      s->message = g_strdup (local_error->message);
    }
  if (!record (store, s, ok ? error : NULL))
    return NULL;
  if (!ok)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s",
                                  _ ("The integration solution could not be deployed: "));
      return NULL;
    }
  if (!s->roles_ok)
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED, s->message);
      return NULL;
    }
  return g_steal_pointer (&s);
}

SbSyncSolutionStatus *
sb_sync_engine_deploy_solution_sync (SbSyncEngine *self, gboolean redeploy,
                                     GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);
  return deploy_solution (self, sb_sync_engine_get_store (self), redeploy, cancellable, error);
}

/* Task data of the worker. */
enum
{
  TASK_CHECK,
  TASK_DEPLOY,
  TASK_REDEPLOY,
};

static void
solution_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  GError *error = NULL;
  g_autoptr (SbStore) store = sb_sync_worker_store (self, &error);
  SbSyncSolutionStatus *status;
  int what = GPOINTER_TO_INT (task_data);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (what == TASK_CHECK)
    status = check_solution (self, store, cancellable, &error);
  else
    status = deploy_solution (self, store, what == TASK_REDEPLOY, cancellable, &error);
  if (status == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, status, (GDestroyNotify) sb_sync_solution_status_free);
}

void
sb_sync_engine_deploy_solution_async (SbSyncEngine *self, gboolean redeploy,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  g_task_set_source_tag (task, sb_sync_engine_deploy_solution_async);
  g_task_set_task_data (task, GINT_TO_POINTER (redeploy ? TASK_REDEPLOY : TASK_DEPLOY), NULL);
  g_task_run_in_thread (task, solution_thread);
}

SbSyncSolutionStatus *
sb_sync_engine_deploy_solution_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sb_sync_engine_check_solution_async (SbSyncEngine *self, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  g_task_set_source_tag (task, sb_sync_engine_check_solution_async);
  g_task_set_task_data (task, GINT_TO_POINTER (TASK_CHECK), NULL);
  g_task_run_in_thread (task, solution_thread);
}

SbSyncSolutionStatus *
sb_sync_engine_check_solution_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
