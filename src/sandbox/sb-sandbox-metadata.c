/* sb-sandbox-metadata.c: the reading subset of Dataverse's metadata Web API
 * (EntityDefinitions and their Attributes) that generic Dataverse clients use to map logical
 * names to entity sets and primary keys ("Query table definitions using the Web API").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-service-private.h"

#include <string.h>

static const char *const entity_props[] = {
  "MetadataId",           "LogicalName",           "SchemaName",
  "EntitySetName",        "LogicalCollectionName", "PrimaryIdAttribute",
  "PrimaryNameAttribute", "IsCustomEntity",        "ChangeTrackingEnabled",
  "OwnershipType",        "DisplayName",           NULL
};
static const char *const attribute_props[] = { "MetadataId",
                                               "LogicalName",
                                               "SchemaName",
                                               "AttributeType",
                                               "IsPrimaryId",
                                               "IsPrimaryName",
                                               "IsValidForCreate",
                                               "IsValidForUpdate",
                                               "IsValidForRead",
                                               "AttributeOf",
                                               NULL };

/* A CSDL document generated from the schema, so generic OData tools can read the service. */
SbSandboxResponse *
sb_sandbox_service_csdl (SbSandboxService *self)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  GString *x = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                             "<edmx:Edmx Version=\"4.0\" "
                             "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">"
                             "<edmx:DataServices><Schema Namespace=\"Microsoft.Dynamics.CRM\" "
                             "Alias=\"mscrm\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">");
  SbSandboxResponse *response = sb_sandbox_response_new (200);

  for (guint i = 0; i < schema->tables->len; i++)
    {
      const SbTable *t = g_ptr_array_index (schema->tables, i);

      g_string_append_printf (x, "<EntityType Name=\"%s\"><Key><PropertyRef Name=\"%s\"/></Key>",
                              t->name, t->pk);
      for (guint j = 0; j < t->attrs->len; j++)
        {
          const SbAttr *a = g_ptr_array_index (t->attrs, j);

          g_string_append_printf (x, "<Property Name=\"%s\" Type=\"%s\"%s/>", a->property,
                                  sb_sandbox_attr_edm_type (a),
                                  g_str_equal (a->name, t->pk) ? " Nullable=\"false\"" : "");
        }
      for (guint j = 0; j < t->navs->len; j++)
        {
          const SbNav *n = g_ptr_array_index (t->navs, j);

          g_string_append_printf (x, "<NavigationProperty Name=\"%s\" Type=\"mscrm.%s\"/>", n->name,
                                  n->target);
        }
      for (guint j = 0; j < t->collection_navs->len; j++)
        {
          const SbCollectionNav *n = g_ptr_array_index (t->collection_navs, j);

          g_string_append_printf (x,
                                  "<NavigationProperty Name=\"%s\" Type=\"Collection(mscrm.%s)\"/>",
                                  n->name, n->target);
        }
      g_string_append (x, "</EntityType>");
    }
  g_string_append (x, "<ComplexType Name=\"WhoAmIResponse\"><Property Name=\"BusinessUnitId\" "
                      "Type=\"Edm.Guid\" Nullable=\"false\"/><Property Name=\"UserId\" "
                      "Type=\"Edm.Guid\" Nullable=\"false\"/><Property Name=\"OrganizationId\" "
                      "Type=\"Edm.Guid\" Nullable=\"false\"/></ComplexType>"
                      "<Function Name=\"WhoAmI\"><ReturnType Type=\"mscrm.WhoAmIResponse\" "
                      "Nullable=\"false\"/></Function>"
                      "<Action Name=\"WinQuote\"><Parameter Name=\"QuoteClose\" "
                      "Type=\"mscrm.crmbaseentity\"/><Parameter Name=\"Status\" "
                      "Type=\"Edm.Int32\"/></Action>"
                      "<Action Name=\"CloseQuote\"><Parameter Name=\"QuoteClose\" "
                      "Type=\"mscrm.crmbaseentity\"/><Parameter Name=\"Status\" "
                      "Type=\"Edm.Int32\"/></Action>"
                      "<Action Name=\"ReviseQuote\"><Parameter Name=\"QuoteId\" Type=\"Edm.Guid\"/>"
                      "<Parameter Name=\"ColumnSet\" Type=\"mscrm.ColumnSet\"/>"
                      "<ReturnType Type=\"mscrm.quote\"/></Action>"
                      "<EntityContainer Name=\"System\">");
  for (guint i = 0; i < schema->tables->len; i++)
    {
      const SbTable *t = g_ptr_array_index (schema->tables, i);

      g_string_append_printf (
          x, "<EntitySet Name=\"%s\" EntityType=\"Microsoft.Dynamics.CRM.%s\"/>", t->set, t->name);
    }
  g_string_append (
      x, "<FunctionImport Name=\"WhoAmI\" Function=\"Microsoft.Dynamics.CRM.WhoAmI\"/>"
         "<ActionImport Name=\"WinQuote\" Action=\"Microsoft.Dynamics.CRM.WinQuote\"/>"
         "<ActionImport Name=\"CloseQuote\" Action=\"Microsoft.Dynamics.CRM.CloseQuote\"/>"
         "<ActionImport Name=\"ReviseQuote\" Action=\"Microsoft.Dynamics.CRM.ReviseQuote\"/>"
         "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n");
  response->body = g_string_free_to_bytes (x);
  soup_message_headers_replace (response->headers, "Content-Type", "application/xml");
  return response;
}

static JsonNode *
label (const char *text)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "UserLocalizedLabel");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Label");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "LanguageCode");
  json_builder_add_int_value (b, 1033);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
attribute_type (const SbTable *table, const SbAttr *attr)
{
  if (g_str_equal (attr->name, "statecode"))
    return "State";
  if (g_str_equal (attr->name, "statuscode"))
    return "Status";
  if (g_str_equal (attr->name, "ownerid"))
    return "Owner";
  switch (attr->type)
    {
      case SB_ATTR_STRING:
        return "String";
      case SB_ATTR_MEMO:
        return "Memo";
      case SB_ATTR_INT:
        return "Integer";
      case SB_ATTR_BIGINT:
        return "BigInt";
      case SB_ATTR_DECIMAL:
        return "Decimal";
      case SB_ATTR_MONEY:
        return "Money";
      case SB_ATTR_DOUBLE:
        return "Double";
      case SB_ATTR_BOOL:
        return "Boolean";
      case SB_ATTR_GUID:
        return "Uniqueidentifier";
      case SB_ATTR_DATETIME:
      case SB_ATTR_DATE:
        return "DateTime";
      case SB_ATTR_LOOKUP:
        return attr->targets[1] != NULL ? "Customer" : "Lookup";
      case SB_ATTR_CHOICE:
        return "Picklist";
      default:
        return "String";
    }
}

static JsonObject *
entity_object (SbSandboxService *self, const SbTable *table)
{
  JsonObject *o = json_object_new ();
  g_autofree char *key = g_strdup_printf ("entity/%s", table->name);
  g_autofree char *id = sb_sandbox_uuid_from_name (key);

  json_object_set_string_member (o, "MetadataId", id);
  json_object_set_string_member (o, "LogicalName", table->name);
  json_object_set_string_member (o, "SchemaName", table->name);
  json_object_set_string_member (o, "EntitySetName", table->set);
  json_object_set_string_member (o, "LogicalCollectionName", table->set);
  json_object_set_string_member (o, "PrimaryIdAttribute", table->pk);
  json_object_set_string_member (o, "PrimaryNameAttribute", table->primary_name);
  json_object_set_boolean_member (o, "IsCustomEntity",
                                  sb_sandbox_service_table_is_custom (self, table));
  json_object_set_boolean_member (o, "ChangeTrackingEnabled", TRUE);
  json_object_set_string_member (o, "OwnershipType",
                                 table->user_owned ? "UserOwned" : "OrganizationOwned");
  json_object_set_member (o, "DisplayName", label (table->name));
  return o;
}

static JsonObject *
attribute_object (const SbTable *table, const SbAttr *attr)
{
  JsonObject *o = json_object_new ();
  g_autofree char *key = g_strdup_printf ("attribute/%s/%s", table->name, attr->name);
  g_autofree char *id = sb_sandbox_uuid_from_name (key);
  gboolean ro = (attr->flags & SB_ATTR_FLAG_READONLY) != 0;

  json_object_set_string_member (o, "MetadataId", id);
  json_object_set_string_member (o, "LogicalName", attr->name);
  json_object_set_string_member (o, "SchemaName", attr->name);
  json_object_set_string_member (o, "AttributeType", attribute_type (table, attr));
  json_object_set_boolean_member (o, "IsPrimaryId", g_str_equal (attr->name, table->pk));
  json_object_set_boolean_member (o, "IsPrimaryName",
                                  g_strcmp0 (attr->name, table->primary_name) == 0);
  json_object_set_boolean_member (o, "IsValidForCreate", !ro);
  json_object_set_boolean_member (o, "IsValidForUpdate",
                                  !ro && !g_str_equal (attr->name, table->pk));
  json_object_set_boolean_member (o, "IsValidForRead", TRUE);
  json_object_set_null_member (o, "AttributeOf");
  return o;
}

static JsonObject *
project (JsonObject *full, char **select)
{
  JsonObject *out;

  if (select == NULL)
    return json_object_ref (full);
  out = json_object_new ();
  for (guint i = 0; select[i] != NULL; i++)
    json_object_set_member (out, select[i],
                            json_node_copy (json_object_get_member (full, select[i])));
  if (!json_object_has_member (out, "MetadataId"))
    json_object_set_member (out, "MetadataId",
                            json_node_copy (json_object_get_member (full, "MetadataId")));
  return out;
}

/* "$select=a,b" against the known names; "$filter=Name eq 'v'" of one property. */
static gboolean
parse_options (SbSandboxRequest *request, const char *const *props, char ***out_select,
               char **out_filter_prop, char **out_filter_value, SbApiError **error)
{
  SbQueryOptions opts = { 0 };
  const char *select, *filter;
  gboolean ok = FALSE;

  *out_select = NULL;
  *out_filter_prop = *out_filter_value = NULL;
  if (!sb_query_options_parse (&opts, request->query, error))
    return FALSE;
  select = sb_query_option (&opts, "$select");
  filter = sb_query_option (&opts, "$filter");
  if (select != NULL)
    {
      char **names = g_strsplit (select, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_strstrip (names[i]);
          if (!g_strv_contains (props, names[i]))
            {
              sb_api_error_set (error, 400, "0x0",
                                "Could not find a property named '%s' on type "
                                "'Microsoft.Dynamics.CRM.EntityMetadata'.",
                                names[i]);
              g_strfreev (names);
              goto out;
            }
        }
      *out_select = names;
    }
  if (filter != NULL)
    {
      g_auto (GStrv) parts = g_strsplit (filter, " ", 3);

      if (g_strv_length (parts) != 3 || !g_str_equal (parts[1], "eq") ||
          !g_strv_contains (props, parts[0]) || parts[2][0] != '\'' ||
          !g_str_has_suffix (parts[2], "'") || strlen (parts[2]) < 2)
        {
          sb_api_error_set (error, 400, "0x80060888",
                            "salesbridge-sandbox supports only \"<Property> eq '<value>'\" in "
                            "metadata queries.");
          g_clear_pointer (out_select, g_strfreev);
          goto out;
        }
      *out_filter_prop = g_strdup (parts[0]);
      *out_filter_value = g_strndup (parts[2] + 1, strlen (parts[2]) - 2);
    }
  ok = TRUE;

out:
  sb_query_options_clear (&opts);
  return ok;
}

/* "$expand=Attributes" or "$expand=Attributes($select=a,b)" on one table definition: its
 * columns inside it, as Dataverse answers (one request instead of two). */
static gboolean
expand_attributes (SbSandboxRequest *request, const SbTable *table, JsonObject *out,
                   SbApiError **error)
{
  SbQueryOptions opts = { 0 };
  g_auto (GStrv) select = NULL;
  const char *expand;
  gboolean ok = FALSE;

  if (!sb_query_options_parse (&opts, request->query, error))
    return FALSE;
  expand = sb_query_option (&opts, "$expand");
  if (expand == NULL)
    {
      ok = TRUE;
      goto out;
    }
  if (g_str_has_prefix (expand, "Attributes($select=") && g_str_has_suffix (expand, ")"))
    {
      g_autofree char *list = g_strndup (expand + 19, strlen (expand) - 20);

      select = g_strsplit (list, ",", -1);
      for (guint i = 0; select[i] != NULL; i++)
        if (!g_strv_contains (attribute_props, g_strstrip (select[i])))
          {
            sb_api_error_set (error, 400, "0x0",
                              "Could not find a property named '%s' on type "
                              "'Microsoft.Dynamics.CRM.AttributeMetadata'.",
                              select[i]);
            goto out;
          }
    }
  else if (!g_str_equal (expand, "Attributes"))
    {
      sb_api_error_set (error, 400, "0x80060888",
                        "salesbridge-sandbox expands only Attributes of a table definition.");
      goto out;
    }
  {
    JsonArray *array = json_array_new ();

    for (guint i = 0; i < table->attrs->len; i++)
      {
        g_autoptr (JsonObject) full = attribute_object (table, g_ptr_array_index (table->attrs, i));

        json_array_add_object_element (array, project (full, select));
      }
    json_object_set_array_member (out, "Attributes", array);
  }
  ok = TRUE;

out:
  sb_query_options_clear (&opts);
  return ok;
}

static gboolean
matches (JsonObject *o, const char *prop, const char *value)
{
  JsonNode *node;

  if (prop == NULL)
    return TRUE;
  node = json_object_get_member (o, prop);
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING &&
         g_ascii_strcasecmp (json_node_get_string (node), value) == 0;
}

/* The built-in tables, then the custom ones (sb-sandbox-entity-definitions.c). */
static GPtrArray *
all_tables (SbSandboxService *self)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  GPtrArray *custom = sb_sandbox_service_custom_tables (self);
  GPtrArray *all = g_ptr_array_sized_new (schema->tables->len + custom->len);

  for (guint i = 0; i < schema->tables->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (schema->tables, i));
  for (guint i = 0; i < custom->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (custom, i));
  return all;
}

static const SbTable *
find_table (SbSandboxService *self, const char *key)
{
  g_autoptr (GPtrArray) tables = NULL;

  if (g_str_has_prefix (key, "LogicalName='") && g_str_has_suffix (key, "'"))
    {
      g_autofree char *name = g_strndup (key + 13, strlen (key) - 14);

      return sb_sandbox_service_table (self, name);
    }
  tables = all_tables (self);
  for (guint i = 0; i < tables->len; i++)
    {
      const SbTable *t = g_ptr_array_index (tables, i);
      g_autofree char *k = g_strdup_printf ("entity/%s", t->name);
      g_autofree char *id = sb_sandbox_uuid_from_name (k);

      if (g_ascii_strcasecmp (id, key) == 0)
        return t;
    }
  return NULL;
}

static SbSandboxResponse *
respond (SbSandboxService *self, const char *context_suffix, JsonNode *value_or_row,
         gboolean single)
{
  SbSandboxResponse *response = sb_sandbox_response_new (200);
  g_autoptr (JsonObject) out = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *context = g_strdup_printf ("%s$metadata#%s", self->api_root, context_suffix);

  json_object_set_string_member (out, "@odata.context", context);
  if (single)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init_ordered (&iter, json_node_get_object (value_or_row));
      while (json_object_iter_next_ordered (&iter, &member, &child))
        json_object_set_member (out, member, json_node_copy (child));
    }
  else
    json_object_set_member (out, "value", json_node_copy (value_or_row));
  node = json_node_init_object (json_node_alloc (), out);
  sb_sandbox_response_set_json (response, node);
  return response;
}

SbSandboxResponse *
sb_sandbox_service_metadata (SbSandboxService *self, const char *entity_key, const char *sub,
                             SbSandboxRequest *request)
{
  g_autoptr (GPtrArray) tables = all_tables (self);
  g_autoptr (SbApiError) error = NULL;
  g_auto (GStrv) select = NULL;
  g_autofree char *filter_prop = NULL;
  g_autofree char *filter_value = NULL;
  const SbTable *table = NULL;
  g_autoptr (JsonNode) result = NULL;

  if (!g_str_equal (request->method, "GET"))
    return sb_sandbox_response_new_error (405, "0x80060888",
                                          "salesbridge-sandbox serves table definitions "
                                          "read-only.");
  if (entity_key != NULL && (table = find_table (self, entity_key)) == NULL)
    return sb_sandbox_response_new_error (404, "0x80040217",
                                          "Could not find an entity with the key %s.", entity_key);
  if (sub != NULL && (table == NULL || !g_str_has_prefix (sub, "Attributes")))
    return sb_sandbox_response_new_error (404, "0x8006088a",
                                          "Resource not found for the segment '%s'.", sub);
  if (!parse_options (request, sub ? attribute_props : entity_props, &select, &filter_prop,
                      &filter_value, &error))
    return sb_api_error_to_response (error);

  if (sub != NULL)
    {
      g_autoptr (JsonArray) array = json_array_new ();
      const char *open = strchr (sub, '(');
      g_autofree char *only = NULL;

      if (open != NULL && g_str_has_prefix (open, "(LogicalName='") && g_str_has_suffix (sub, "')"))
        only = g_strndup (open + 14, strlen (open + 14) - 2);
      for (guint i = 0; i < table->attrs->len; i++)
        {
          const SbAttr *attr = g_ptr_array_index (table->attrs, i);
          g_autoptr (JsonObject) full = attribute_object (table, attr);

          if ((only == NULL || g_str_equal (only, attr->name)) &&
              matches (full, filter_prop, filter_value))
            json_array_add_object_element (array, project (full, select));
        }
      if (only != NULL)
        {
          g_autofree char *ctx =
              g_strdup_printf ("EntityDefinitions('%s')/Attributes/$entity", table->name);

          if (json_array_get_length (array) == 0)
            return sb_sandbox_response_new_error (404, "0x80040217",
                                                  "Could not find an attribute named %s.", only);
          result = json_node_copy (json_array_get_element (array, 0));
          return respond (self, ctx, result, TRUE);
        }
      result = json_node_init_array (json_node_alloc (), array);
      return respond (self, "EntityDefinitions/Attributes", result, FALSE);
    }
  if (table != NULL)
    {
      g_autoptr (JsonObject) full = entity_object (self, table);
      g_autoptr (JsonObject) projected = project (full, select);

      if (!expand_attributes (request, table, projected, &error))
        return sb_api_error_to_response (error);
      result = json_node_init_object (json_node_alloc (), projected);
      return respond (self, "EntityDefinitions/$entity", result, TRUE);
    }
  {
    g_autoptr (JsonArray) array = json_array_new ();

    for (guint i = 0; i < tables->len; i++)
      {
        const SbTable *t = g_ptr_array_index (tables, i);
        g_autoptr (JsonObject) full = entity_object (self, t);
        g_autoptr (JsonObject) projected = NULL;

        if (!matches (full, filter_prop, filter_value))
          continue;
        projected = project (full, select);
        if (!expand_attributes (request, t, projected, &error))
          return sb_api_error_to_response (error);
        json_array_add_object_element (array, g_steal_pointer (&projected));
      }
    result = json_node_init_array (json_node_alloc (), array);
    return respond (self, "EntityDefinitions", result, FALSE);
  }
}
