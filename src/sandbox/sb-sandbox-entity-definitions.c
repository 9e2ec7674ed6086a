/* sb-sandbox-entity-definitions.c: creating custom tables through the metadata Web API
 *
 * The subset of Microsoft's "Create and update table definitions using the Web API" and
 * "Create and update table relationships using the Web API" an integration solution needs:
 *
 *   POST EntityDefinitions                       a table with its primary name column
 *   POST EntityDefinitions(…)/Attributes         a column (String, Memo, Integer, BigInt,
 *                                                Decimal, Double, Money, Boolean, DateTime)
 *   POST RelationshipDefinitions                 a OneToManyRelationship with its Lookup
 *
 * Each answers 204 with OData-EntityId; a schema name that exists answers 400 0x80044363 as
 * Dataverse does. A new table is served at once through the ordinary entity-set routes
 * (create, read, update, delete, query, $batch). Custom tables belong to this service (not to
 * the process-wide schema of the built-in tables), and their definitions are kept in the
 * store's meta table, so a sandbox with --db has them again after a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-service-private.h"

#include <string.h>

#define CODE_DUPLICATE "0x80044363"
#define CODE_INVALID "0x80048d19"
#define META_KEY "custom-entities"

struct _SbSandboxCustomSchema
{
  GPtrArray *tables;         /* SbTable* (sb_sandbox_table_free_custom) */
  GHashTable *by_name;       /* logical name → SbTable* */
  GHashTable *by_set;        /* entity set → SbTable* */
  JsonArray *defs;           /* what was defined, in order, as kept in the store */
  GHashTable *relationships; /* schema names (lowercase) */
  GHashTable *collections;   /* referenced table name → GPtrArray of SbCollectionNav* */
};

static void
collection_nav_free (SbCollectionNav *nav)
{
  g_free (nav->name);
  g_free (nav->target);
  g_free (nav->via);
  g_free (nav->intersect);
  g_free (nav);
}

void
sb_sandbox_custom_schema_free (SbSandboxCustomSchema *custom)
{
  if (custom == NULL)
    return;
  g_hash_table_unref (custom->by_name);
  g_hash_table_unref (custom->by_set);
  g_hash_table_unref (custom->relationships);
  g_hash_table_unref (custom->collections);
  g_ptr_array_unref (custom->tables);
  json_array_unref (custom->defs);
  g_free (custom);
}

static SbSandboxCustomSchema *
custom_schema (SbSandboxService *self)
{
  if (self->custom == NULL)
    {
      SbSandboxCustomSchema *c = g_new0 (SbSandboxCustomSchema, 1);

      c->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sandbox_table_free_custom);
      c->by_name = g_hash_table_new (g_str_hash, g_str_equal);
      c->by_set = g_hash_table_new (g_str_hash, g_str_equal);
      c->relationships = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      c->collections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
      c->defs = json_array_new ();
      self->custom = c;
    }
  return self->custom;
}

const SbTable *
sb_sandbox_service_table (SbSandboxService *self, const char *logical_name)
{
  const SbTable *table = sb_sandbox_schema_table (logical_name);

  if (table == NULL && self->custom != NULL)
    table = g_hash_table_lookup (self->custom->by_name, logical_name);
  return table;
}

const SbTable *
sb_sandbox_service_table_by_set (SbSandboxService *self, const char *entity_set)
{
  const SbTable *table = sb_sandbox_schema_table_by_set (entity_set);

  if (table == NULL && self->custom != NULL)
    table = g_hash_table_lookup (self->custom->by_set, entity_set);
  return table;
}

const SbCollectionNav *
sb_sandbox_service_collection_nav (SbSandboxService *self, const SbTable *table, const char *name)
{
  const SbCollectionNav *nav = sb_table_collection_nav (table, name);
  GPtrArray *list;

  if (nav != NULL || self->custom == NULL)
    return nav;
  list = g_hash_table_lookup (self->custom->collections, table->name);
  for (guint i = 0; list != NULL && i < list->len; i++)
    if (g_str_equal (((SbCollectionNav *) list->pdata[i])->name, name))
      return list->pdata[i];
  return NULL;
}

gboolean
sb_sandbox_service_table_is_custom (SbSandboxService *self, const SbTable *table)
{
  return self->custom != NULL && g_hash_table_lookup (self->custom->by_name, table->name) == table;
}

GPtrArray *
sb_sandbox_service_custom_tables (SbSandboxService *self)
{
  return custom_schema (self)->tables;
}

/* ---- Definitions, as kept and replayed ---------------------------------------------------- */

/* A definition is one of {"table": name, "set": set, "primary": attr, "length": n},
 * {"table": name, "attr": name, "type": t, "length": n} or
 * {"table": name, "lookup": name, "target": table, "nav": navigation, "relationship": name}. */
static gboolean
apply_def (SbSandboxService *self, JsonObject *def, GError **error)
{
  SbSandboxCustomSchema *c = custom_schema (self);
  const char *name = json_object_get_string_member_with_default (def, "table", "");
  SbTable *table = g_hash_table_lookup (c->by_name, name);

  if (json_object_has_member (def, "set"))
    {
      const char *primary = json_object_get_string_member_with_default (def, "primary", "");

      table = sb_sandbox_table_new_custom (
          name, json_object_get_string_member_with_default (def, "set", ""), primary);
      sb_table_add_custom_attr (table, primary, SB_ATTR_STRING,
                                json_object_get_int_member_with_default (def, "length", 100));
      g_ptr_array_add (c->tables, table);
      g_hash_table_insert (c->by_name, (gpointer) table->name, table);
      g_hash_table_insert (c->by_set, (gpointer) table->set, table);
    }
  else if (table == NULL)
    return TRUE; /* not possible for definitions this file wrote */
  else if (json_object_has_member (def, "attr"))
    sb_table_add_custom_attr (table, json_object_get_string_member (def, "attr"),
                              json_object_get_int_member_with_default (def, "type", 0),
                              json_object_get_int_member_with_default (def, "length", 0));
  else if (json_object_has_member (def, "lookup"))
    {
      sb_table_add_custom_lookup (table, json_object_get_string_member (def, "lookup"),
                                  json_object_get_string_member_with_default (def, "target", ""),
                                  json_object_get_string_member_with_default (def, "nav", ""));
      const char *target = json_object_get_string_member_with_default (def, "target", "");
      const char *collection = json_object_get_string_member_with_default (def, "collection", "");

      g_hash_table_add (
          c->relationships,
          g_ascii_strdown (json_object_get_string_member_with_default (def, "relationship", ""),
                           -1));
      /* The referenced table's side: its rows list the rows pointing at them. */
      if (*collection != '\0')
        {
          SbCollectionNav *nav = g_new0 (SbCollectionNav, 1);
          GPtrArray *list = g_hash_table_lookup (c->collections, target);

          nav->name = g_strdup (collection);
          nav->target = g_strdup (table->name);
          nav->via = g_strdup (json_object_get_string_member (def, "lookup"));
          if (list == NULL)
            {
              list = g_ptr_array_new_with_free_func ((GDestroyNotify) collection_nav_free);
              g_hash_table_insert (c->collections, g_strdup (target), list);
            }
          g_ptr_array_add (list, nav);
        }
    }
  json_array_add_object_element (c->defs, json_object_ref (def));
  return sb_sandbox_store_create_table (self->store, table, error);
}

static gboolean
save_defs (SbSandboxService *self)
{
  g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), custom_schema (self)->defs);
  g_autofree char *text = json_to_string (node, FALSE);

  sb_sandbox_store_set_meta (self->store, META_KEY, text);
  return TRUE;
}

void
sb_sandbox_service_load_custom (SbSandboxService *self)
{
  g_autofree char *text = sb_sandbox_store_get_meta (self->store, META_KEY);
  g_autoptr (JsonNode) node = NULL;
  JsonArray *defs;

  if (text == NULL)
    return;
  node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_warning ("sandbox: the stored table definitions are damaged; custom tables are lost");
      return;
    }
  defs = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (defs); i++)
    {
      g_autoptr (GError) error = NULL;
      JsonNode *def = json_array_get_element (defs, i);

      if (JSON_NODE_HOLDS_OBJECT (def) && !apply_def (self, json_node_get_object (def), &error))
        g_warning ("sandbox: cannot restore a custom table: %s", error->message);
    }
}

/* ---- Requests ----------------------------------------------------------------------------- */

static JsonObject *
parse_body (SbSandboxRequest *request, SbApiError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = request->body ? g_bytes_get_data (request->body, &size) : NULL;
  JsonNode *root;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      sb_api_error_set (error, 400, CODE_INVALID,
                        "The request body must be a JSON object describing the metadata.");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string (JsonObject *o, const char *member)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Custom names carry a customization prefix ("sb_") and are letters, digits and '_'. */
static gboolean
valid_schema_name (const char *name)
{
  const char *underscore = name ? strchr (name, '_') : NULL;

  if (underscore == NULL || underscore == name || underscore[1] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Dataverse pluralizes the logical name for the entity set: …s, …es after s/x/z/ch/sh, and
 * …ies after a consonant and y. */
static char *
plural (const char *name)
{
  gsize len = strlen (name);

  if (g_str_has_suffix (name, "s") || g_str_has_suffix (name, "x") ||
      g_str_has_suffix (name, "z") || g_str_has_suffix (name, "ch") ||
      g_str_has_suffix (name, "sh"))
    return g_strdup_printf ("%ses", name);
  if (len > 1 && name[len - 1] == 'y' && strchr ("aeiou", name[len - 2]) == NULL)
    return g_strdup_printf ("%.*sies", (int) len - 1, name);
  return g_strdup_printf ("%ss", name);
}

static SbSandboxResponse *
created (SbSandboxService *self, const char *location)
{
  SbSandboxResponse *response = sb_sandbox_response_new (204);
  g_autofree char *url = g_strdup_printf ("%s%s", self->api_root, location);

  soup_message_headers_replace (response->headers, "OData-EntityId", url);
  return response;
}

static SbSandboxResponse *
store_def (SbSandboxService *self, JsonObject *def, const char *location)
{
  g_autoptr (GError) error = NULL;

  if (!apply_def (self, def, &error))
    return sb_sandbox_response_new_error (500, "0x80040216", "Cannot store the definition: %s",
                                          error->message);
  save_defs (self);
  return created (self, location);
}

static gboolean
attribute_type (JsonObject *attr, SbAttrType *out_type, SbApiError **error)
{
  static const struct
  {
    const char *odata_type;
    const char *attribute_type;
    SbAttrType type;
  } types[] = {
    { "Microsoft.Dynamics.CRM.StringAttributeMetadata", "String", SB_ATTR_STRING },
    { "Microsoft.Dynamics.CRM.MemoAttributeMetadata", "Memo", SB_ATTR_MEMO },
    { "Microsoft.Dynamics.CRM.IntegerAttributeMetadata", "Integer", SB_ATTR_INT },
    { "Microsoft.Dynamics.CRM.BigIntAttributeMetadata", "BigInt", SB_ATTR_BIGINT },
    { "Microsoft.Dynamics.CRM.DecimalAttributeMetadata", "Decimal", SB_ATTR_DECIMAL },
    { "Microsoft.Dynamics.CRM.DoubleAttributeMetadata", "Double", SB_ATTR_DOUBLE },
    { "Microsoft.Dynamics.CRM.MoneyAttributeMetadata", "Money", SB_ATTR_MONEY },
    { "Microsoft.Dynamics.CRM.BooleanAttributeMetadata", "Boolean", SB_ATTR_BOOL },
    { "Microsoft.Dynamics.CRM.DateTimeAttributeMetadata", "DateTime", SB_ATTR_DATETIME },
  };
  const char *odata_type = get_string (attr, "@odata.type");
  const char *attribute_type = get_string (attr, "AttributeType");

  if (odata_type != NULL && g_str_has_prefix (odata_type, "#"))
    odata_type++;
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (odata_type, types[i].odata_type) == 0 ||
        (odata_type == NULL && g_strcmp0 (attribute_type, types[i].attribute_type) == 0))
      {
        *out_type = types[i].type;
        if (*out_type == SB_ATTR_DATETIME)
          {
            const char *format = get_string (attr, "Format");
            JsonObject *behavior =
                json_object_get_member (attr, "DateTimeBehavior") &&
                        JSON_NODE_HOLDS_OBJECT (json_object_get_member (attr, "DateTimeBehavior"))
                    ? json_object_get_object_member (attr, "DateTimeBehavior")
                    : NULL;

            if (g_strcmp0 (format, "DateOnly") == 0 ||
                (behavior != NULL && g_strcmp0 (get_string (behavior, "Value"), "DateOnly") == 0))
              *out_type = SB_ATTR_DATE;
          }
        return TRUE;
      }
  if (g_strcmp0 (odata_type, "Microsoft.Dynamics.CRM.LookupAttributeMetadata") == 0 ||
      g_strcmp0 (attribute_type, "Lookup") == 0)
    sb_api_error_set (error, 400, CODE_INVALID,
                      "A lookup column is created with its relationship: POST "
                      "RelationshipDefinitions with a OneToManyRelationshipMetadata.");
  else
    sb_api_error_set (error, 400, CODE_INVALID,
                      "salesbridge-sandbox cannot create columns of type '%s'.",
                      odata_type       ? odata_type
                      : attribute_type ? attribute_type
                                       : "(none)");
  return FALSE;
}

static gboolean
name_is_taken (SbSandboxService *self, const SbTable *table, const char *logical)
{
  return sb_table_attr (table, logical) != NULL ||
         g_hash_table_contains (table->nav_by_name, logical);
}

static SbSandboxResponse *
create_entity (SbSandboxService *self, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body (request, &error);
  g_autoptr (JsonObject) def = NULL;
  g_autofree char *logical = NULL;
  g_autofree char *set = NULL;
  g_autofree char *primary = NULL;
  g_autofree char *location = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  const char *schema_name;
  JsonArray *attributes = NULL;
  JsonObject *primary_attr = NULL;
  gint64 length = 100;

  if (body == NULL)
    return sb_api_error_to_response (error);
  schema_name = get_string (body, "SchemaName");
  if (!valid_schema_name (schema_name))
    return sb_sandbox_response_new_error (
        400, CODE_INVALID,
        "SchemaName '%s' is not valid: a custom table's name starts with its publisher's "
        "customization prefix and an underscore, followed by letters and digits.",
        schema_name ? schema_name : "");
  logical = g_ascii_strdown (schema_name, -1);
  if (sb_sandbox_service_table (self, logical) != NULL)
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The schema name %s for type Entity is not unique. An "
                                          "Entity with the same name already exists.",
                                          schema_name);
  if (json_object_has_member (body, "Attributes") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "Attributes")))
    attributes = json_object_get_array_member (body, "Attributes");
  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonNode *node = json_array_get_element (attributes, i);
      JsonObject *attr = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (attr != NULL && json_object_has_member (attr, "IsPrimaryName") &&
          json_object_get_boolean_member_with_default (attr, "IsPrimaryName", FALSE))
        primary_attr = attr;
      else
        return sb_sandbox_response_new_error (
            400, CODE_INVALID,
            "Only the primary name attribute can be created with the table; create other "
            "columns with POST EntityDefinitions(…)/Attributes.");
    }
  if (primary_attr == NULL)
    return sb_sandbox_response_new_error (400, CODE_INVALID,
                                          "The table definition must include its primary name "
                                          "attribute (IsPrimaryName true) in Attributes.");
  {
    SbAttrType type = SB_ATTR_STRING;

    if (!attribute_type (primary_attr, &type, &error))
      return sb_api_error_to_response (error);
    if (type != SB_ATTR_STRING)
      return sb_sandbox_response_new_error (
          400, CODE_INVALID, "The primary name attribute must be a StringAttributeMetadata.");
  }
  if (!valid_schema_name (get_string (primary_attr, "SchemaName")))
    return sb_sandbox_response_new_error (400, CODE_INVALID,
                                          "The primary name attribute needs a SchemaName with the "
                                          "customization prefix.");
  primary = g_ascii_strdown (get_string (primary_attr, "SchemaName"), -1);
  length = json_object_get_int_member_with_default (primary_attr, "MaxLength", 100);
  if (length < 1 || length > 4000)
    return sb_sandbox_response_new_error (
        400, CODE_INVALID, "MaxLength %" G_GINT64_FORMAT " is out of range (1 to 4000).", length);
  set = get_string (body, "EntitySetName") != NULL ? g_strdup (get_string (body, "EntitySetName"))
                                                   : plural (logical);
  if (sb_sandbox_service_table_by_set (self, set) != NULL)
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The entity set name %s is not unique.", set);
  def = json_object_new ();
  json_object_set_string_member (def, "table", logical);
  json_object_set_string_member (def, "set", set);
  json_object_set_string_member (def, "primary", primary);
  json_object_set_int_member (def, "length", length);
  key = g_strdup_printf ("entity/%s", logical);
  id = sb_sandbox_uuid_from_name (key);
  location = g_strdup_printf ("EntityDefinitions(%s)", id);
  return store_def (self, def, location);
}

static SbTable *
custom_table_for_key (SbSandboxService *self, const char *key, SbSandboxResponse **out_response)
{
  SbSandboxCustomSchema *c = custom_schema (self);
  g_autofree char *name = NULL;
  const SbTable *any;

  if (key != NULL && g_str_has_prefix (key, "LogicalName='") && g_str_has_suffix (key, "'"))
    name = g_strndup (key + 13, strlen (key) - 14);
  else if (key != NULL)
    for (guint i = 0; i < c->tables->len; i++)
      {
        SbTable *t = g_ptr_array_index (c->tables, i);
        g_autofree char *k = g_strdup_printf ("entity/%s", t->name);
        g_autofree char *id = sb_sandbox_uuid_from_name (k);

        if (g_ascii_strcasecmp (id, key) == 0)
          name = g_strdup (t->name);
      }
  any = name != NULL ? sb_sandbox_service_table (self, name) : NULL;
  if (any == NULL)
    {
      *out_response = sb_sandbox_response_new_error (
          404, "0x80040217", "Could not find an entity with the key %s.", key ? key : "");
      return NULL;
    }
  if (!sb_sandbox_service_table_is_custom (self, any))
    {
      *out_response = sb_sandbox_response_new_error (
          400, CODE_INVALID,
          "salesbridge-sandbox does not add columns to its system table %s; only to custom "
          "tables created with POST EntityDefinitions.",
          any->name);
      return NULL;
    }
  return (SbTable *) any;
}

static SbSandboxResponse *
create_attribute (SbSandboxService *self, const char *key, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) def = NULL;
  g_autofree char *logical = NULL;
  g_autofree char *location = NULL;
  g_autofree char *akey = NULL;
  g_autofree char *id = NULL;
  g_autofree char *eid = NULL;
  g_autofree char *ekey = NULL;
  SbSandboxResponse *response = NULL;
  SbTable *table = custom_table_for_key (self, key, &response);
  const char *schema_name;
  SbAttrType type;
  gint64 length = 0;

  if (table == NULL)
    return response;
  body = parse_body (request, &error);
  if (body == NULL)
    return sb_api_error_to_response (error);
  schema_name = get_string (body, "SchemaName");
  if (!valid_schema_name (schema_name))
    return sb_sandbox_response_new_error (400, CODE_INVALID,
                                          "SchemaName '%s' is not valid: a custom column's name "
                                          "starts with the customization prefix.",
                                          schema_name ? schema_name : "");
  if (!attribute_type (body, &type, &error))
    return sb_api_error_to_response (error);
  logical = g_ascii_strdown (schema_name, -1);
  if (name_is_taken (self, table, logical))
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The schema name %s for type Attribute is not unique. "
                                          "An Attribute with the same name already exists on "
                                          "%s.",
                                          schema_name, table->name);
  if (type == SB_ATTR_STRING || type == SB_ATTR_MEMO)
    {
      length = json_object_get_int_member_with_default (body, "MaxLength",
                                                        type == SB_ATTR_STRING ? 100 : 2000);
      if (length < 1 || length > (type == SB_ATTR_STRING ? 4000 : 1048576))
        return sb_sandbox_response_new_error (
            400, CODE_INVALID, "MaxLength %" G_GINT64_FORMAT " is out of range.", length);
    }
  def = json_object_new ();
  json_object_set_string_member (def, "table", table->name);
  json_object_set_string_member (def, "attr", logical);
  json_object_set_int_member (def, "type", type);
  json_object_set_int_member (def, "length", length);
  ekey = g_strdup_printf ("entity/%s", table->name);
  eid = sb_sandbox_uuid_from_name (ekey);
  akey = g_strdup_printf ("attribute/%s/%s", table->name, logical);
  id = sb_sandbox_uuid_from_name (akey);
  location = g_strdup_printf ("EntityDefinitions(%s)/Attributes(%s)", eid, id);
  return store_def (self, def, location);
}

static SbSandboxResponse *
create_relationship (SbSandboxService *self, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body (request, &error);
  g_autoptr (JsonObject) def = NULL;
  g_autofree char *lookup_name = NULL;
  g_autofree char *rel_name = NULL;
  g_autofree char *location = NULL;
  g_autofree char *rkey = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  SbSandboxResponse *response = NULL;
  const char *odata_type, *schema_name, *referenced, *referencing, *nav, *collection;
  JsonObject *lookup;
  SbTable *table;

  if (body == NULL)
    return sb_api_error_to_response (error);
  odata_type = get_string (body, "@odata.type");
  if (odata_type != NULL && g_str_has_prefix (odata_type, "#"))
    odata_type++;
  if (g_strcmp0 (odata_type, "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata") != 0)
    return sb_sandbox_response_new_error (400, CODE_INVALID,
                                          "salesbridge-sandbox creates only one-to-many "
                                          "relationships (@odata.type "
                                          "Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata).");
  schema_name = get_string (body, "SchemaName");
  referenced = get_string (body, "ReferencedEntity");
  referencing = get_string (body, "ReferencingEntity");
  lookup = json_object_has_member (body, "Lookup") &&
                   JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "Lookup"))
               ? json_object_get_object_member (body, "Lookup")
               : NULL;
  if (!valid_schema_name (schema_name) || referenced == NULL || referencing == NULL ||
      lookup == NULL || !valid_schema_name (get_string (lookup, "SchemaName")))
    return sb_sandbox_response_new_error (
        400, CODE_INVALID,
        "A relationship needs SchemaName, ReferencedEntity, ReferencingEntity and a Lookup with "
        "its SchemaName, each with the customization prefix where it is custom.");
  rel_name = g_ascii_strdown (schema_name, -1);
  if (g_hash_table_contains (custom_schema (self)->relationships, rel_name))
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The schema name %s for type Relationship is not "
                                          "unique. A Relationship with the same name already "
                                          "exists.",
                                          schema_name);
  if (sb_sandbox_service_table (self, referenced) == NULL)
    return sb_sandbox_response_new_error (404, "0x80040217", "Could not find an entity named %s.",
                                          referenced);
  key = g_strdup_printf ("LogicalName='%s'", referencing);
  table = custom_table_for_key (self, key, &response);
  if (table == NULL)
    return response;
  lookup_name = g_ascii_strdown (get_string (lookup, "SchemaName"), -1);
  nav = get_string (body, "ReferencingEntityNavigationPropertyName");
  if (nav == NULL)
    nav = get_string (lookup, "SchemaName");
  collection = get_string (body, "ReferencedEntityNavigationPropertyName");
  if (collection == NULL)
    collection = schema_name;
  if (sb_sandbox_service_collection_nav (self, sb_sandbox_service_table (self, referenced),
                                         collection) != NULL)
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The navigation property %s is not unique on %s.",
                                          collection, referenced);
  if (name_is_taken (self, table, lookup_name) || g_hash_table_contains (table->nav_by_name, nav))
    return sb_sandbox_response_new_error (400, CODE_DUPLICATE,
                                          "The schema name %s for type Attribute is not unique. "
                                          "An Attribute with the same name already exists on "
                                          "%s.",
                                          get_string (lookup, "SchemaName"), table->name);
  def = json_object_new ();
  json_object_set_string_member (def, "table", table->name);
  json_object_set_string_member (def, "lookup", lookup_name);
  json_object_set_string_member (def, "target", sb_sandbox_service_table (self, referenced)->name);
  json_object_set_string_member (def, "nav", nav);
  json_object_set_string_member (def, "relationship", rel_name);
  json_object_set_string_member (def, "collection", collection);
  rkey = g_strdup_printf ("relationship/%s", rel_name);
  id = sb_sandbox_uuid_from_name (rkey);
  location = g_strdup_printf ("RelationshipDefinitions(%s)", id);
  return store_def (self, def, location);
}

SbSandboxResponse *
sb_sandbox_service_define (SbSandboxService *self, const char *collection, const char *key,
                           const char *sub, SbSandboxRequest *request)
{
  if (!g_str_equal (request->method, "POST"))
    return sb_sandbox_response_new_error (405, "0x80060888",
                                          "salesbridge-sandbox does not update or delete table "
                                          "definitions.");
  if (g_str_equal (collection, "RelationshipDefinitions") && key == NULL && sub == NULL)
    return create_relationship (self, request);
  if (g_str_equal (collection, "EntityDefinitions") && key == NULL && sub == NULL)
    return create_entity (self, request);
  if (g_str_equal (collection, "EntityDefinitions") && key != NULL &&
      g_strcmp0 (sub, "Attributes") == 0)
    return create_attribute (self, key, request);
  return sb_sandbox_response_new_error (405, "0x80060888",
                                        "This metadata request is not supported by "
                                        "salesbridge-sandbox.");
}
