/* sb-dataverse-json.c: checked JSON accessors for Dataverse records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-dataverse-json.h"

#include <math.h>

#include "sb-dataverse-tables.h"

#define FORMATTED_SUFFIX "@OData.Community.Display.V1.FormattedValue"

/* The member's node when it holds a value (not null, not an object or array). */
static JsonNode *
get_value (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  return node;
}

const char *
sb_json_get_string (JsonObject *object, const char *member, const char *default_value)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return default_value;
  return json_node_get_string (node);
}

gint64
sb_json_get_int (JsonObject *object, const char *member, gint64 default_value)
{
  JsonNode *node = get_value (object, member);
  double d;

  if (node == NULL)
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return default_value;
  /* 1.0 is an integer in JSON; 1.5 and 1e300 are not. */
  d = json_node_get_double (node);
  if (d != floor (d) || d < (double) G_MININT64 || d >= (double) G_MAXINT64)
    return default_value;
  return (gint64) d;
}

double
sb_json_get_double (JsonObject *object, const char *member, double default_value)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL)
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  return default_value;
}

gboolean
sb_json_get_bool (JsonObject *object, const char *member, gboolean default_value)
{
  JsonNode *node = get_value (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

JsonObject *
sb_json_get_object (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
sb_json_get_array (JsonObject *object, const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
sb_json_get_guid (JsonObject *object, const char *member)
{
  const char *value = sb_json_get_string (object, member, NULL);

  return sb_dataverse_is_guid (value) ? value : NULL;
}

const char *
sb_json_get_lookup (JsonObject *object, const char *attribute)
{
  g_autofree char *member = NULL;

  g_return_val_if_fail (attribute != NULL, NULL);
  member = g_strdup_printf ("_%s_value", attribute);
  return sb_json_get_guid (object, member);
}

const char *
sb_json_get_formatted (JsonObject *object, const char *member, const char *default_value)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (member != NULL, default_value);
  name = g_strconcat (member, FORMATTED_SUFFIX, NULL);
  return sb_json_get_string (object, name, default_value);
}

GDateTime *
sb_json_get_date_time (JsonObject *object, const char *member)
{
  const char *value = sb_json_get_string (object, member, NULL);

  if (value == NULL)
    return NULL;
  return g_date_time_new_from_iso8601 (value, NULL);
}

const char *
sb_json_get_etag (JsonObject *object)
{
  return sb_json_get_string (object, "@odata.etag", NULL);
}

void
sb_json_set_bind (JsonObject *object, const char *navigation, const char *entity_set,
                  const char *id)
{
  g_autofree char *member = NULL;
  g_autofree char *value = NULL;

  g_return_if_fail (object != NULL && navigation != NULL && entity_set != NULL);
  g_return_if_fail (sb_dataverse_is_guid (id));
  member = g_strconcat (navigation, "@odata.bind", NULL);
  value = sb_dataverse_bind_value (entity_set, id);
  json_object_set_string_member (object, member, value);
}
