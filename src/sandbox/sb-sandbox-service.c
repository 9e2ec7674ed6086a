/* sb-sandbox-service.c: routing, writes and business rules of the sandbox's Web API.
 *
 * Behaviour follows ../shared/reference/dataverse-web-api.md and Microsoft's Web API pages
 * ("Create a table row", "Update and delete table rows", "Perform conditional operations",
 * "Associate and disassociate table rows"); option values and state rules follow
 * integration-behaviour.md §9.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-service-private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "sb-batch-codec.h"
#include "sb-odata-query.h"

G_DEFINE_TYPE (SbSandboxService, sb_sandbox_service, G_TYPE_OBJECT)

#define CODE_NOT_FOUND "0x80040217"
#define CODE_DUPLICATE "0x80040237"
#define CODE_DUPLICATE_KEY "0x80060892"
#define CODE_VERSION_MISMATCH "0x80060882"
#define CODE_PAYLOAD "0x80048d19"
#define CODE_INVALID_ARGUMENT "0x80040203"
#define CODE_VALIDATION "0x80044331"
#define CODE_SEGMENT "0x8006088a"
#define CODE_BAD_QUERY "0x80060888"
#define CODE_INVALID_STATE "0x80043b1d"

#define MAX_JSON_DEPTH 64

/* ---- requests, responses, errors ---- */

SbSandboxRequest *
sb_sandbox_request_new (const char *method, const char *path, const char *query,
                        SoupMessageHeaders *headers, GBytes *body)
{
  SbSandboxRequest *request = g_new0 (SbSandboxRequest, 1);

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (query);
  request->headers = headers ? soup_message_headers_ref (headers)
                             : soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  request->body = body ? g_bytes_ref (body) : NULL;
  return request;
}

void
sb_sandbox_request_free (SbSandboxRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  soup_message_headers_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

SbSandboxResponse *
sb_sandbox_response_new (guint status)
{
  SbSandboxResponse *response = g_new0 (SbSandboxResponse, 1);

  response->status = status;
  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_replace (response->headers, "OData-Version", "4.0");
  return response;
}

void
sb_sandbox_response_free (SbSandboxResponse *response)
{
  if (response == NULL)
    return;
  soup_message_headers_unref (response->headers);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

void
sb_sandbox_response_set_json (SbSandboxResponse *response, JsonNode *node)
{
  GString *out = g_string_sized_new (256);
  gsize len;
  char *text;

  sb_sandbox_json_write (out, node);
  len = out->len;
  text = g_string_free (out, FALSE);
  g_clear_pointer (&response->body, g_bytes_unref);
  response->body = g_bytes_new_take (text, len);
  soup_message_headers_replace (response->headers, "Content-Type",
                                "application/json; odata.metadata=minimal");
}

static SbSandboxResponse *
error_response (guint status, const char *code, const char *message)
{
  SbSandboxResponse *response = sb_sandbox_response_new (status);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code ? code : "");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sb_sandbox_response_set_json (response, root);
  return response;
}

SbSandboxResponse *
sb_sandbox_response_new_error (guint status, const char *code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return error_response (status, code, message);
}

void
sb_api_error_set (SbApiError **error, guint status, const char *code, const char *format, ...)
{
  va_list args;
  SbApiError *e;

  if (error == NULL)
    return;
  g_return_if_fail (*error == NULL);
  e = g_new0 (SbApiError, 1);
  e->status = status;
  e->code = g_strdup (code);
  va_start (args, format);
  e->message = g_strdup_vprintf (format, args);
  va_end (args);
  *error = e;
}

void
sb_api_error_free (SbApiError *error)
{
  if (error == NULL)
    return;
  g_free (error->code);
  g_free (error->message);
  g_free (error);
}

SbSandboxResponse *
sb_api_error_to_response (SbApiError *error)
{
  return error_response (error->status, error->code, error->message);
}

/* ---- Prefer ---- */

/* Splits @text at @sep outside parentheses and outside @quote quotes;
 * items are trimmed, empty ones dropped.  Shared by $expand/$select
 * parsing ('…') and the Prefer header ("…"). */
GPtrArray *
sb_sandbox_split_top_level (const char *text, char sep, char quote)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  gboolean quoted = FALSE;
  int depth = 0;

  for (const char *p = text;; p++)
    {
      if (*p == quote)
        quoted = !quoted;
      else if (!quoted && *p == '(')
        depth++;
      else if (!quoted && *p == ')')
        depth--;
      if (*p == '\0' || (*p == sep && !quoted && depth == 0))
        {
          g_autofree char *item = g_strstrip (g_strndup (start, p - start));

          if (*item != '\0')
            g_ptr_array_add (items, g_steal_pointer (&item));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return items;
}

void
sb_prefer_parse (SbPrefer *prefer, SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Prefer");
  g_autoptr (GPtrArray) items = NULL;

  memset (prefer, 0, sizeof (*prefer));
  if (value == NULL)
    return;
  items = sb_sandbox_split_top_level (value, ',', '"');
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *eq = strchr (item, '=');
      g_autofree char *name = g_strstrip (eq ? g_strndup (item, eq - item) : g_strdup (item));
      g_autofree char *arg = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;

      if (g_ascii_strcasecmp (name, "return") == 0 && arg != NULL &&
          g_ascii_strcasecmp (arg, "representation") == 0)
        prefer->return_representation = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.maxpagesize") == 0 && arg != NULL)
        {
          gint64 n = g_ascii_strtoll (arg, NULL, 10);

          if (n > 0)
            prefer->maxpagesize = (int) MIN (n, SB_MAX_PAGE_SIZE);
        }
      else if (g_ascii_strcasecmp (name, "odata.track-changes") == 0)
        prefer->track_changes = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.continue-on-error") == 0)
        prefer->continue_on_error = TRUE;
      else if (g_ascii_strcasecmp (name, "odata.include-annotations") == 0 && arg != NULL)
        {
          g_autofree char *list = g_strdup (arg);
          g_auto (GStrv) names = NULL;

          g_strdelimit (list, "\"", ' ');
          names = g_strsplit (list, ",", -1);
          for (guint j = 0; names[j] != NULL; j++)
            {
              const char *n = g_strstrip (names[j]);

              if (g_str_equal (n, "*"))
                prefer->formatted = prefer->lookupname = prefer->navproperty = TRUE;
              else if (g_str_equal (n, "OData.Community.Display.V1.FormattedValue") ||
                       g_str_equal (n, "OData.Community.Display.V1.*") ||
                       g_str_equal (n, "OData.*"))
                prefer->formatted = TRUE;
              else if (g_str_equal (n, "Microsoft.Dynamics.CRM.*"))
                prefer->lookupname = prefer->navproperty = TRUE;
              else if (g_str_equal (n, "Microsoft.Dynamics.CRM.lookuplogicalname"))
                prefer->lookupname = TRUE;
              else if (g_str_equal (n, "Microsoft.Dynamics.CRM.associatednavigationproperty"))
                prefer->navproperty = TRUE;
            }
          g_free (prefer->annotations);
          prefer->annotations = g_strdup (arg);
        }
    }
}

void
sb_prefer_clear (SbPrefer *prefer)
{
  g_clear_pointer (&prefer->annotations, g_free);
}

/* ---- query options ---- */

static char *
decode_query_component (const char *text, gssize len)
{
  g_autofree char *copy = len < 0 ? g_strdup (text) : g_strndup (text, len);

  /* ASP.NET, on which the Web API runs, decodes '+' in the query string as a space; clients
   * that form-encode their query ($filter=name+eq+'x') rely on it. */
  g_strdelimit (copy, "+", ' ');
  return g_uri_unescape_string (copy, NULL);
}

static const char *const known_options[] = { "$select",    "$filter",     "$orderby",
                                             "$top",       "$expand",     "$count",
                                             "$skiptoken", "$deltatoken", NULL };

gboolean
sb_query_options_parse (SbQueryOptions *opts, const char *raw_query, SbApiError **error)
{
  g_auto (GStrv) pairs = NULL;

  opts->options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (raw_query == NULL || *raw_query == '\0')
    return TRUE;
  pairs = g_strsplit (raw_query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (*pairs[i] == '\0')
        continue;
      name = decode_query_component (pairs[i], eq ? eq - pairs[i] : -1);
      value = eq ? decode_query_component (eq + 1, -1) : g_strdup ("");
      if (name == NULL || value == NULL)
        {
          sb_api_error_set (error, 400, CODE_BAD_QUERY, "The query string is not valid: %s",
                            pairs[i]);
          return FALSE;
        }
      g_strstrip (name);
      /* Dataverse's own query parameters would silently return everything if ignored. */
      if (g_str_equal (name, "fetchXml") || g_str_equal (name, "savedQuery") ||
          g_str_equal (name, "userQuery") || g_str_equal (name, "sql"))
        {
          sb_api_error_set (error, 400, CODE_BAD_QUERY,
                            "The query parameter %s is not supported by salesbridge-sandbox; "
                            "use OData query options.",
                            name);
          return FALSE;
        }
      /* Custom query options (no '$') are ignored, as OData specifies. */
      if (name[0] != '$')
        continue;
      if (!g_strv_contains (known_options, name))
        {
          if (g_str_equal (name, "$apply"))
            sb_api_error_set (error, 400, CODE_BAD_QUERY,
                              "The query parameter $apply is not supported by "
                              "salesbridge-sandbox.");
          else
            sb_api_error_set (error, 400, CODE_BAD_QUERY, "The query parameter %s is not supported",
                              name);
          return FALSE;
        }
      if (g_hash_table_contains (opts->options, name))
        {
          sb_api_error_set (error, 400, CODE_BAD_QUERY,
                            "Query option '%s' was specified more than once, but it must be "
                            "specified at most once.",
                            name);
          return FALSE;
        }
      g_hash_table_insert (opts->options, g_steal_pointer (&name), g_steal_pointer (&value));
    }
  return TRUE;
}

void
sb_query_options_clear (SbQueryOptions *opts)
{
  g_clear_pointer (&opts->options, g_hash_table_unref);
}

const char *
sb_query_option (SbQueryOptions *opts, const char *name)
{
  return opts->options ? g_hash_table_lookup (opts->options, name) : NULL;
}

/* ---- misc helpers ---- */

char *
sb_sandbox_uuid_from_name (const char *name)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA1, name, -1);
  static const char digits[] = "0123456789abcdef";

  hex[12] = '5';
  hex[16] = digits[8 + (g_ascii_xdigit_value (hex[16]) & 3)];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static char *
now_string (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static double
round_to (double value, int places)
{
  double f = pow (10, places);

  return round (value * f) / f;
}

static double
get_number (JsonObject *row, const char *property, double fallback)
{
  JsonNode *node = json_object_get_member (row, property);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        return (double) json_node_get_int (node);
      case G_TYPE_DOUBLE:
        return json_node_get_double (node);
      default:
        return fallback;
    }
}

static gint64
get_int (JsonObject *row, const char *property, gint64 fallback)
{
  JsonNode *node = json_object_get_member (row, property);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static const char *
get_string (JsonObject *row, const char *property)
{
  JsonNode *node = json_object_get_member (row, property);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *row, const char *property)
{
  JsonNode *node = json_object_get_member (row, property);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
set_lookup (JsonObject *row, const SbAttr *attr, const char *id, const char *target)
{
  g_autofree char *lk = g_strdup_printf ("%s@lk", attr->property);

  if (id == NULL)
    {
      json_object_set_null_member (row, attr->property);
      json_object_remove_member (row, lk);
      return;
    }
  json_object_set_string_member (row, attr->property, id);
  json_object_set_string_member (row, lk, target);
}

static const char *
lookup_id (JsonObject *row, const char *name)
{
  g_autofree char *property = g_strdup_printf ("_%s_value", name);

  return get_string (row, property);
}

/* Counts nesting so that a hostile body cannot recurse json-glib's parser into the ground. */
static gboolean
json_depth_ok (GBytes *body)
{
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

static JsonObject *
parse_body_object (const char *entity, GBytes *body, SbApiError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      sb_api_error_set (error, 400, CODE_PAYLOAD,
                        "Error identified in Payload provided by the user for Entity :'%s' "
                        "---->  InnerException : Microsoft.OData.ODataException: The request "
                        "body is empty; a JSON object was expected.",
                        entity);
      return NULL;
    }
  if (!json_depth_ok (body) || !g_utf8_validate (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, &local))
    {
      sb_api_error_set (error, 400, CODE_PAYLOAD,
                        "Error identified in Payload provided by the user for Entity :'%s' "
                        "---->  InnerException : Microsoft.OData.ODataException: Invalid JSON. "
                        "%s",
                        entity, local ? local->message : "The payload is not valid JSON.");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      sb_api_error_set (error, 400, CODE_PAYLOAD,
                        "Error identified in Payload provided by the user for Entity :'%s' "
                        "---->  InnerException : Microsoft.OData.ODataException: A JSON object "
                        "was expected.",
                        entity);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static GPtrArray *
split_segments (const char *path)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func (g_free);
  const char *start = path;
  gboolean quoted = FALSE;

  for (const char *p = path;; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      if (*p == '\0' || (*p == '/' && !quoted))
        {
          if (p > start)
            g_ptr_array_add (segments, g_strndup (start, p - start));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return segments;
}

/* "accounts(…)" → name "accounts", key "…"; FALSE when the parentheses do not close. */
static gboolean
split_key (const char *segment, char **out_name, char **out_key)
{
  const char *open = strchr (segment, '(');
  gsize len = strlen (segment);

  if (open == NULL)
    {
      *out_name = g_strdup (segment);
      *out_key = NULL;
      return TRUE;
    }
  if (segment[len - 1] != ')')
    return FALSE;
  *out_name = g_strndup (segment, open - segment);
  *out_key = g_strndup (open + 1, segment + len - 1 - (open + 1));
  return TRUE;
}

static char *
entity_url (SbSandboxService *self, const SbTable *table, const char *id)
{
  return g_strdup_printf ("%s%s(%s)", self->api_root, table->set, id);
}

/* ---- keys ---- */

static gboolean
alt_key_matches (const SbAltKey *key, SbODataKey *parsed)
{
  if (g_strv_length (key->attrs) != parsed->names->len)
    return FALSE;
  for (guint i = 0; i < parsed->names->len; i++)
    if (!g_strv_contains ((const char *const *) key->attrs, g_ptr_array_index (parsed->names, i)))
      return FALSE;
  return TRUE;
}

gboolean
sb_sandbox_service_resolve_key (SbSandboxService *self, const SbTable *table, const char *key_text,
                                char **out_id, GHashTable **out_key_values, SbApiError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (SbODataKey) key = sb_odata_key_parse (key_text, &local);
  g_autoptr (GPtrArray) properties = NULL;
  const SbAltKey *alt = NULL;

  *out_id = NULL;
  if (key == NULL)
    {
      sb_api_error_set (error, 400, CODE_BAD_QUERY, "%s", local->message);
      return FALSE;
    }
  if (key->guid != NULL)
    {
      *out_id = g_strdup (key->guid);
      return TRUE;
    }
  for (guint i = 0; i < table->alt_keys->len && alt == NULL; i++)
    if (alt_key_matches (g_ptr_array_index (table->alt_keys, i), key))
      alt = g_ptr_array_index (table->alt_keys, i);
  if (alt == NULL)
    {
      sb_api_error_set (error, 400, CODE_BAD_QUERY,
                        "The key specified (%s) is not a primary key and does not match any "
                        "alternate key defined for entity %s.",
                        key_text, table->name);
      return FALSE;
    }
  properties = g_ptr_array_new ();
  for (guint i = 0; i < key->names->len; i++)
    {
      const SbAttr *attr = sb_table_attr (table, g_ptr_array_index (key->names, i));

      g_ptr_array_add (properties, attr->property);
    }
  *out_id = sb_sandbox_store_find (self->store, table, (const char *const *) properties->pdata,
                                   (GVariant *const *) key->values->pdata, key->names->len, NULL);
  if (*out_id == NULL && out_key_values != NULL)
    {
      *out_key_values =
          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
      for (guint i = 0; i < key->names->len; i++)
        g_hash_table_insert (*out_key_values, g_strdup (g_ptr_array_index (properties, i)),
                             g_variant_ref (g_ptr_array_index (key->values, i)));
    }
  return TRUE;
}

static char *
not_found_message (const SbTable *table, const char *id)
{
  return g_strdup_printf ("%s With Id = %s Does Not Exist", table->name, id);
}

/* Resolves "/accounts(…)", "accounts(…)", an absolute URL or "$n" to an existing row. */
static gboolean
resolve_reference (SbSandboxService *self, const char *reference, const SbTable **out_table,
                   char **out_id, SbApiError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  const SbTable *table;

  if (reference[0] == '$' && self->content_ids != NULL &&
      g_hash_table_contains (self->content_ids, reference + 1))
    path = g_strdup (g_hash_table_lookup (self->content_ids, reference + 1));
  else if (reference[0] == '$')
    {
      sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                        "Content-ID Reference: '%s' does not exist in the batch context.",
                        reference);
      return FALSE;
    }
  else if (!sb_sandbox_split_url (reference, &path, NULL))
    path = g_strdup (reference[0] == '/' ? reference + 1 : reference);
  if (!split_key (path, &name, &key) || key == NULL ||
      (table = sb_sandbox_service_table_by_set (self, name)) == NULL)
    {
      sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                        "The entity reference '%s' is not valid; expected /<entityset>(<key>).",
                        reference);
      return FALSE;
    }
  if (!sb_sandbox_service_resolve_key (self, table, key, out_id, NULL, error))
    return FALSE;
  if (*out_id == NULL || !sb_sandbox_store_exists (self->store, table, *out_id))
    {
      g_autofree char *msg = not_found_message (table, *out_id ? *out_id : key);

      sb_api_error_set (error, 404, CODE_NOT_FOUND, "%s", msg);
      g_clear_pointer (out_id, g_free);
      return FALSE;
    }
  *out_table = table;
  return TRUE;
}

/* ---- validation of written values ---- */

static void
payload_error (SbApiError **error, const SbTable *table, const char *detail)
{
  sb_api_error_set (error, 400, CODE_PAYLOAD,
                    "Error identified in Payload provided by the user for Entity :'%s', For "
                    "more information on this error please follow this help link "
                    "https://go.microsoft.com/fwlink/?linkid=2195293  ---->  InnerException : "
                    "Microsoft.OData.ODataException: %s",
                    table->set, detail);
}

static void
type_error (SbApiError **error, const SbTable *table, const SbAttr *attr, JsonNode *node)
{
  g_autofree char *literal = json_to_string (node, FALSE);
  g_autofree char *detail = NULL;

  if (strlen (literal) > 64)
    strcpy (literal + 61, "...");
  detail = g_strdup_printf ("Cannot convert the literal '%s' to the expected type '%s' of "
                            "property '%s'.",
                            literal, sb_sandbox_attr_edm_type (attr), attr->property);
  payload_error (error, table, detail);
}

/* Converts a JSON value to the stored form of @attr; NULL node value = JSON null. */
static gboolean
convert_value (const SbTable *table, const SbAttr *attr, JsonNode *node, JsonNode **out,
               SbApiError **error)
{
  GType vt;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      type_error (error, table, attr, node);
      return FALSE;
    }
  vt = json_node_get_value_type (node);
  switch (attr->type)
    {
      case SB_ATTR_STRING:
      case SB_ATTR_MEMO:
        if (vt != G_TYPE_STRING)
          break;
        if (g_utf8_strlen (json_node_get_string (node), -1) > attr->max_length)
          {
            sb_api_error_set (error, 400, CODE_VALIDATION,
                              "A validation error occurred.  The length of the '%s' attribute of "
                              "the '%s' entity exceeded the maximum allowed length of '%u'.",
                              attr->name, table->name, attr->max_length);
            return FALSE;
          }
        *out = json_node_copy (node);
        return TRUE;
      case SB_ATTR_INT:
      case SB_ATTR_CHOICE:
        if (vt != G_TYPE_INT64)
          break;
        if (json_node_get_int (node) > G_MAXINT32 || json_node_get_int (node) < G_MININT32)
          break;
        if (attr->type == SB_ATTR_CHOICE && attr->options != NULL &&
            !g_str_equal (attr->name, "statuscode") &&
            sb_option_set_find (attr->options, (int) json_node_get_int (node)) == NULL)
          {
            sb_api_error_set (error, 400, CODE_VALIDATION,
                              "A validation error occurred.  The value %" G_GINT64_FORMAT
                              " of '%s' on record of type '%s' is outside the valid range.",
                              json_node_get_int (node), attr->name, table->name);
            return FALSE;
          }
        *out = json_node_copy (node);
        return TRUE;
      case SB_ATTR_BIGINT:
        if (vt != G_TYPE_INT64)
          break;
        *out = json_node_copy (node);
        return TRUE;
      case SB_ATTR_DECIMAL:
      case SB_ATTR_MONEY:
      case SB_ATTR_DOUBLE:
        {
          double d;

          if (vt == G_TYPE_INT64)
            d = (double) json_node_get_int (node);
          else if (vt == G_TYPE_DOUBLE)
            d = json_node_get_double (node);
          else
            break;
          if (!isfinite (d) || fabs (d) > 1e15)
            {
              sb_api_error_set (error, 400, CODE_VALIDATION,
                                "A validation error occurred.  The value of '%s' on record of "
                                "type '%s' is outside the valid range.",
                                attr->name, table->name);
              return FALSE;
            }
          *out = json_node_new (JSON_NODE_VALUE);
          json_node_set_double (*out, attr->type == SB_ATTR_DOUBLE ? d : round_to (d, 4));
          return TRUE;
        }
      case SB_ATTR_BOOL:
        if (vt != G_TYPE_BOOLEAN)
          break;
        *out = json_node_copy (node);
        return TRUE;
      case SB_ATTR_GUID:
        {
          g_autofree char *guid = NULL;

          if (vt != G_TYPE_STRING ||
              (guid = sb_odata_normalize_guid (json_node_get_string (node))) == NULL)
            break;
          *out = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (*out, guid);
          return TRUE;
        }
      case SB_ATTR_DATETIME:
      case SB_ATTR_DATE:
        {
          g_autofree char *dt = NULL;

          if (vt != G_TYPE_STRING ||
              (dt = sb_odata_normalize_datetime (json_node_get_string (node))) == NULL)
            break;
          if (attr->type == SB_ATTR_DATE)
            dt[10] = '\0';
          *out = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (*out, dt);
          return TRUE;
        }
      case SB_ATTR_LOOKUP:
      default:
        break;
    }
  type_error (error, table, attr, node);
  return FALSE;
}

/* Applies a Web API body to @row (the stored form). @creating allows the primary key. */
static gboolean
apply_body (SbSandboxService *self, const SbTable *table, JsonObject *row, JsonObject *body,
            gboolean creating, const char *existing_id, SbApiError **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &node))
    {
      const char *at = strchr (member, '@');
      const SbAttr *attr;

      if (at != NULL)
        {
          g_autofree char *nav_name = NULL;
          const SbNav *nav;
          const SbTable *target = NULL;
          g_autofree char *id = NULL;

          if (!g_str_equal (at, "@odata.bind"))
            continue; /* other instance annotations (@odata.type, @odata.etag…) are ignored */
          nav_name = g_strndup (member, at - member);
          nav = sb_table_nav (table, nav_name);
          if (nav == NULL)
            {
              g_autofree char *detail = g_strdup_printf (
                  "An undeclared property '%s' which only has property annotations in the "
                  "payload but no property value was found in the payload. In OData, only "
                  "declared navigation properties and declared named streams can be "
                  "represented as properties without values.",
                  nav_name);

              payload_error (error, table, detail);
              return FALSE;
            }
          if (nav->attr->flags & SB_ATTR_FLAG_READONLY)
            continue;
          if (JSON_NODE_HOLDS_NULL (node))
            {
              set_lookup (row, nav->attr, NULL, NULL);
              continue;
            }
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              payload_error (error, table,
                             "An @odata.bind annotation must be a string holding the URL of a "
                             "record.");
              return FALSE;
            }
          if (!resolve_reference (self, json_node_get_string (node), &target, &id, error))
            return FALSE;
          if (!g_str_equal (target->name, nav->target))
            {
              g_autofree char *detail = g_strdup_printf (
                  "The navigation property '%s' cannot refer to a record of type '%s'; it "
                  "expects '%s'.",
                  nav->name, target->name, nav->target);

              payload_error (error, table, detail);
              return FALSE;
            }
          set_lookup (row, nav->attr, id, target->name);
          continue;
        }

      attr = sb_table_property (table, member);
      if (attr == NULL)
        {
          g_autofree char *detail = NULL;

          if (sb_table_nav (table, member) != NULL || sb_table_collection_nav (table, member))
            detail = g_strdup_printf ("Deep insert through the navigation property '%s' is not "
                                      "supported by salesbridge-sandbox; use '%s@odata.bind'.",
                                      member, member);
          else
            detail = g_strdup_printf ("The property '%s' does not exist on type "
                                      "'Microsoft.Dynamics.CRM.%s'. Make sure to only use "
                                      "property names that are defined by the type.",
                                      member, table->name);
          payload_error (error, table, detail);
          return FALSE;
        }
      if (attr->type == SB_ATTR_LOOKUP)
        {
          sb_api_error_set (error, 400, CODE_BAD_QUERY,
                            "CRM do not support direct update of Entity Reference properties, "
                            "Use Navigation properties instead.");
          return FALSE;
        }
      if (attr->flags & SB_ATTR_FLAG_READONLY)
        continue; /* computed columns: Dataverse ignores values a client echoes back */
      if (g_str_equal (attr->name, table->pk))
        {
          g_autofree char *guid = NULL;

          if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
            guid = sb_odata_normalize_guid (json_node_get_string (node));
          if (guid == NULL)
            {
              type_error (error, table, attr, node);
              return FALSE;
            }
          if (!creating && g_strcmp0 (guid, existing_id) != 0)
            {
              sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                                "The primary key '%s' of an existing %s cannot be changed.",
                                table->pk, table->name);
              return FALSE;
            }
          json_object_set_string_member (row, attr->property, guid);
          continue;
        }
      {
        JsonNode *converted = NULL;

        if (!convert_value (table, attr, node, &converted, error))
          return FALSE;
        json_object_set_member (row, attr->property, converted);
      }
    }
  return TRUE;
}

/* ---- computed columns (Dataverse's plug-ins and calculated fields) ---- */

static gpointer
compute_base_currency (gpointer data)
{
  return sb_sandbox_uuid_from_name ("transactioncurrency/USD");
}

static const char *
base_currency (SbSandboxService *self)
{
  static GOnce once = G_ONCE_INIT;

  /* Several servers may run in one process (tests), each on its own thread. */
  g_once (&once, compute_base_currency, NULL);
  return once.retval;
}

static void
default_currency (SbSandboxService *self, const SbTable *table, JsonObject *row)
{
  const SbAttr *attr = sb_table_attr (table, "transactioncurrencyid");
  const char *pricelevel = lookup_id (row, "pricelevelid");
  g_autofree char *currency = NULL;

  if (attr == NULL || get_string (row, attr->property) != NULL)
    return;
  if (pricelevel != NULL)
    {
      g_autoptr (JsonObject) pl = sb_sandbox_store_get (
          self->store, sb_sandbox_schema_table ("pricelevel"), pricelevel, NULL);

      if (pl != NULL && lookup_id (pl, "transactioncurrencyid") != NULL)
        currency = g_strdup (lookup_id (pl, "transactioncurrencyid"));
    }
  if (currency == NULL &&
      sb_sandbox_store_exists (self->store, sb_sandbox_schema_table ("transactioncurrency"),
                               base_currency (self)))
    currency = g_strdup (base_currency (self));
  if (currency != NULL)
    set_lookup (row, attr, currency, "transactioncurrency");
}

static void
compute_fullname (JsonObject *row)
{
  const char *first = get_string (row, "firstname");
  const char *last = get_string (row, "lastname");
  g_autofree char *full =
      g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));

  if (*full == '\0')
    json_object_set_null_member (row, "fullname");
  else
    json_object_set_string_member (row, "fullname", full);
}

static void
compute_detail (SbSandboxService *self, const SbTable *table, JsonObject *row, JsonObject *body)
{
  const char *header_id = lookup_id (row, table->detail_lookup);
  const char *product = lookup_id (row, "productid");
  const SbTable *header_table = sb_sandbox_schema_table (table->detail_of);
  g_autoptr (JsonObject) header = NULL;
  double qty, price, base, ext;

  if (header_id != NULL)
    header = sb_sandbox_store_get (self->store, header_table, header_id, NULL);
  if (header != NULL && lookup_id (header, "transactioncurrencyid") != NULL)
    set_lookup (row, sb_table_attr (table, "transactioncurrencyid"),
                lookup_id (header, "transactioncurrencyid"), "transactioncurrency");

  /* Without an overridden price, the price list of the header prices the product, falling
   * back to the product's list price (Dataverse's default pricing). */
  if (product != NULL && !get_bool (row, "ispriceoverridden") &&
      (body == NULL || !json_object_has_member (body, "priceperunit")))
    {
      const char *pricelevel = header ? lookup_id (header, "pricelevelid") : NULL;
      const SbTable *ppl_table = sb_sandbox_schema_table ("productpricelevel");
      g_autofree char *ppl_id = NULL;
      double amount = -1;

      if (pricelevel != NULL)
        {
          const char *props[] = { "_pricelevelid_value", "_productid_value" };
          GVariant *values[] = { g_variant_ref_sink (g_variant_new_string (pricelevel)),
                                 g_variant_ref_sink (g_variant_new_string (product)) };

          ppl_id = sb_sandbox_store_find (self->store, ppl_table, props, values, 2, NULL);
          g_variant_unref (values[0]);
          g_variant_unref (values[1]);
        }
      if (ppl_id != NULL)
        {
          g_autoptr (JsonObject) ppl = sb_sandbox_store_get (self->store, ppl_table, ppl_id, NULL);

          if (ppl != NULL)
            amount = get_number (ppl, "amount", -1);
        }
      if (amount < 0)
        {
          g_autoptr (JsonObject) p = sb_sandbox_store_get (
              self->store, sb_sandbox_schema_table ("product"), product, NULL);

          if (p != NULL)
            amount = get_number (p, "price", -1);
        }
      if (amount >= 0)
        json_object_set_double_member (row, "priceperunit", amount);
    }

  qty = get_number (row, "quantity", 0);
  price = get_number (row, "priceperunit", 0);
  base = round_to (qty * price, 2);
  ext = base - get_number (row, "manualdiscountamount", 0) -
        qty * get_number (row, "volumediscountamount", 0) + get_number (row, "tax", 0);
  json_object_set_double_member (row, "baseamount", base);
  json_object_set_double_member (row, "extendedamount", round_to (ext, 2));
}

static void
compute_totals (SbSandboxService *self, const SbTable *table, const char *id, JsonObject *row)
{
  const SbTable *detail = NULL;
  const SbSchema *schema = sb_sandbox_schema_get ();
  double lines = 0, line_discounts = 0, tax = 0, discount, less_freight;

  for (guint i = 0; i < schema->tables->len; i++)
    {
      const SbTable *t = g_ptr_array_index (schema->tables, i);

      if (g_strcmp0 (t->detail_of, table->name) == 0)
        detail = t;
    }
  if (detail != NULL && id != NULL)
    {
      g_autofree char *property = g_strdup_printf ("_%s_value", detail->detail_lookup);
      g_autoptr (GPtrArray) ids = sb_sandbox_store_find_all (self->store, detail, property, id);

      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr (JsonObject) d =
              sb_sandbox_store_get (self->store, detail, g_ptr_array_index (ids, i), NULL);

          if (d == NULL)
            continue;
          lines += get_number (d, "extendedamount", 0);
          line_discounts += get_number (d, "manualdiscountamount", 0);
          tax += get_number (d, "tax", 0);
        }
    }
  discount = get_number (row, "discountamount", 0) +
             round_to (lines * get_number (row, "discountpercentage", 0) / 100.0, 2);
  less_freight = lines - discount;
  json_object_set_double_member (row, "totallineitemamount", round_to (lines, 2));
  json_object_set_double_member (row, "totallineitemdiscountamount", round_to (line_discounts, 2));
  json_object_set_double_member (row, "totaldiscountamount", round_to (discount, 2));
  json_object_set_double_member (row, "totaltax", round_to (tax, 2));
  json_object_set_double_member (row, "totalamountlessfreight", round_to (less_freight, 2));
  json_object_set_double_member (
      row, "totalamount", round_to (less_freight + get_number (row, "freightamount", 0) + tax, 2));
}

static char *
document_number (const char *prefix, gint64 n, const char *id)
{
  static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  char suffix[7];
  guint j = 0;

  for (guint i = 0; id[i] != '\0' && j < 6; i++)
    {
      int v = g_ascii_xdigit_value (id[i]);

      if (v >= 0)
        suffix[j++] = alphabet[(v * 7 + i) % (sizeof (alphabet) - 1)];
    }
  suffix[j] = '\0';
  return g_strdup_printf ("%s-%05" G_GINT64_FORMAT "-%s", prefix, n, suffix);
}

static void
compute_row (SbSandboxService *self, const SbTable *table, const char *id, JsonObject *row,
             JsonObject *body, gboolean creating)
{
  if (g_str_equal (table->name, "contact") || g_str_equal (table->name, "systemuser"))
    compute_fullname (row);
  if (creating && table->number_attr != NULL && get_string (row, table->number_attr) == NULL)
    {
      g_autofree char *number = document_number (
          table->number_prefix, sb_sandbox_store_next_number (self->store, table->name), id);

      json_object_set_string_member (row, table->number_attr, number);
    }
  if (creating && g_str_equal (table->name, "quote") &&
      !json_object_has_member (row, "revisionnumber"))
    json_object_set_int_member (row, "revisionnumber", 0);
  if (table->detail_of != NULL)
    compute_detail (self, table, row, body);
  if (sb_table_attr (table, "totalamount") != NULL)
    compute_totals (self, table, id, row);
  if (g_str_equal (table->name, "annotation"))
    {
      const char *lk = get_string (row, "_objectid_value@lk");
      const char *doc = get_string (row, "documentbody");

      if (lk != NULL)
        json_object_set_string_member (row, "objecttypecode", lk);
      if (doc != NULL)
        json_object_set_int_member (row, "filesize", (strlen (doc) / 4) * 3);
    }
  if (g_str_equal (table->name, "productpricelevel"))
    {
      const char *product = lookup_id (row, "productid");
      const char *pricelevel = lookup_id (row, "pricelevelid");

      if (product != NULL)
        {
          g_autoptr (JsonObject) p = sb_sandbox_store_get (
              self->store, sb_sandbox_schema_table ("product"), product, NULL);

          if (p != NULL && get_string (p, "productnumber") != NULL)
            json_object_set_string_member (row, "productnumber", get_string (p, "productnumber"));
        }
      if (pricelevel != NULL)
        {
          g_autoptr (JsonObject) pl = sb_sandbox_store_get (
              self->store, sb_sandbox_schema_table ("pricelevel"), pricelevel, NULL);

          if (pl != NULL && lookup_id (pl, "transactioncurrencyid") != NULL)
            set_lookup (row, sb_table_attr (table, "transactioncurrencyid"),
                        lookup_id (pl, "transactioncurrencyid"), "transactioncurrency");
        }
    }
}

/* ---- state rules ---- */

static const char *
state_label (const SbTable *table, int state)
{
  const SbOption *opt = sb_option_set_find (sb_table_attr (table, "statecode")->options, state);

  return opt ? opt->label : "Unknown";
}

static gboolean
check_state (const SbTable *table, const char *id, JsonObject *row, JsonObject *body,
             gboolean creating, int old_state, int old_status, gboolean via_message,
             SbApiError **error)
{
  gboolean has_state = json_object_has_member (body, "statecode");
  gboolean has_status = json_object_has_member (body, "statuscode");
  int state, status;

  if (!table->has_state)
    return TRUE;
  if ((has_state && JSON_NODE_HOLDS_NULL (json_object_get_member (body, "statecode"))) ||
      (has_status && JSON_NODE_HOLDS_NULL (json_object_get_member (body, "statuscode"))))
    {
      sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                        "statecode and statuscode of %s cannot be null.", table->name);
      return FALSE;
    }
  if (creating && has_state && table->state_on_create_refused)
    {
      sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                        "statecode is not valid for create of %s: create the record, then "
                        "change its state with an update that sets statecode and statuscode.",
                        table->name);
      return FALSE;
    }
  state = (int) get_int (row, "statecode", creating ? table->default_state : old_state);
  if (has_status)
    status = (int) get_int (row, "statuscode", -1);
  else if (creating || state != old_state)
    status = sb_table_default_status (table, state);
  else
    status = old_status;
  if (!sb_table_status_valid (table, state, status))
    {
      sb_api_error_set (error, 400, CODE_INVALID_STATE,
                        "%d is not a valid status code for state code %s on %s with Id %s.", status,
                        state_label (table, state), table->name, id);
      return FALSE;
    }
  if (!creating && !via_message && state != old_state)
    {
      /* Won and Closed quotes are reached through WinQuote/CloseQuote only, and are final;
       * a Paid or Canceled invoice goes back to Active before it changes again. */
      if (g_str_equal (table->name, "quote") && (state >= 2 || old_state >= 2))
        {
          sb_api_error_set (error, 400, CODE_INVALID_STATE,
                            "The quote cannot be set from %s to %s with an update; use the "
                            "WinQuote, CloseQuote or ReviseQuote messages.",
                            state_label (table, old_state), state_label (table, state));
          return FALSE;
        }
      if (g_str_equal (table->name, "invoice") && old_state != 0 && state != 0)
        {
          sb_api_error_set (error, 400, CODE_INVALID_STATE,
                            "An invoice in state %s can only be set back to Active.",
                            state_label (table, old_state));
          return FALSE;
        }
    }
  /* A Paid or Canceled invoice is read-only until it is set back to Active. */
  if (!creating && !via_message && g_str_equal (table->name, "invoice") && old_state != 0 &&
      state == old_state)
    {
      sb_api_error_set (error, 400, CODE_INVALID_STATE,
                        "The invoice is %s and cannot be modified; set it back to Active first.",
                        state_label (table, old_state));
      return FALSE;
    }
  if (!creating && !via_message && g_str_equal (table->name, "quote") && old_state >= 2 &&
      state == old_state)
    {
      sb_api_error_set (error, 400, CODE_INVALID_STATE,
                        "The quote is %s and can no longer be modified.",
                        state_label (table, old_state));
      return FALSE;
    }
  json_object_set_int_member (row, "statecode", state);
  json_object_set_int_member (row, "statuscode", status);
  return TRUE;
}

static gboolean
check_alt_keys (SbSandboxService *self, const SbTable *table, const char *id, JsonObject *row,
                SbApiError **error)
{
  for (guint i = 0; i < table->alt_keys->len; i++)
    {
      const SbAltKey *key = g_ptr_array_index (table->alt_keys, i);
      guint n = g_strv_length (key->attrs);
      g_autoptr (GPtrArray) props = g_ptr_array_new ();
      g_autoptr (GPtrArray) values =
          g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
      g_autofree char *other = NULL;
      gboolean complete = TRUE;

      for (guint j = 0; j < n; j++)
        {
          const SbAttr *attr = sb_table_attr (table, key->attrs[j]);
          JsonNode *node = json_object_get_member (row, attr->property);

          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
            {
              complete = FALSE;
              break;
            }
          g_ptr_array_add (props, attr->property);
          if (json_node_get_value_type (node) == G_TYPE_INT64)
            g_ptr_array_add (values,
                             g_variant_ref_sink (g_variant_new_int64 (json_node_get_int (node))));
          else if (json_node_get_value_type (node) == G_TYPE_STRING)
            g_ptr_array_add (
                values, g_variant_ref_sink (g_variant_new_string (json_node_get_string (node))));
          else
            {
              complete = FALSE;
              break;
            }
        }
      if (!complete)
        continue;
      other = sb_sandbox_store_find (self->store, table, (const char *const *) props->pdata,
                                     (GVariant *const *) values->pdata, n, id);
      if (other != NULL)
        {
          sb_api_error_set (error, 412, CODE_DUPLICATE_KEY,
                            "A record that has the attribute values %s already exists. The "
                            "entity key %s requires that this set of attributes contains unique "
                            "values. Select unique values and try again.",
                            key->display, key->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- writes ---- */

static void after_write (SbSandboxService *self, const char *user_id, const SbTable *table,
                         const char *id, JsonObject *row, gboolean creating);

/* Formatting the time for every row of a 1,000-row batch shows in profiles; it only changes
 * once a second. */
static const char *
cached_now (SbSandboxService *self)
{
  gint64 second = g_get_real_time () / G_USEC_PER_SEC;

  if (second != self->now_second || self->now_text == NULL)
    {
      g_free (self->now_text);
      self->now_text = now_string ();
      self->now_second = second;
    }
  return self->now_text;
}

static void
stamp_row (SbSandboxService *self, const SbTable *table, const char *user_id, JsonObject *row,
           gboolean creating, gint64 version)
{
  const char *now = cached_now (self);

  if (creating)
    {
      json_object_set_string_member (row, "createdon", now);
      set_lookup (row, sb_table_attr (table, "createdby"), user_id, "systemuser");
    }
  json_object_set_string_member (row, "modifiedon", now);
  set_lookup (row, sb_table_attr (table, "modifiedby"), user_id, "systemuser");
  json_object_set_int_member (row, "versionnumber", version);
}

static char *
do_create (SbSandboxService *self, const char *user_id, const SbTable *table, JsonObject *body,
           const char *url_id, GHashTable *key_values, SbApiError **error)
{
  g_autoptr (JsonObject) row = json_object_new ();
  g_autofree char *id = NULL;
  g_autoptr (GError) local = NULL;
  gint64 version;

  if (!apply_body (self, table, row, body, TRUE, NULL, error))
    return NULL;
  if (get_string (row, table->pk) != NULL)
    {
      id = g_strdup (get_string (row, table->pk));
      if (url_id != NULL && !g_str_equal (id, url_id))
        {
          sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                            "The id in the body (%s) does not match the id in the URL (%s).", id,
                            url_id);
          return NULL;
        }
    }
  else if (url_id != NULL)
    id = g_strdup (url_id);
  else
    id = g_uuid_string_random ();
  json_object_set_string_member (row, table->pk, id);
  if (key_values != NULL)
    {
      GHashTableIter iter;
      gpointer k, v;

      g_hash_table_iter_init (&iter, key_values);
      while (g_hash_table_iter_next (&iter, &k, &v))
        {
          const SbAttr *attr = sb_table_property (table, k);
          GVariant *value = v;

          if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
            json_object_set_int_member (row, k, g_variant_get_int64 (value));
          else if (attr != NULL && attr->type == SB_ATTR_LOOKUP)
            set_lookup (row, attr, g_variant_get_string (value, NULL), attr->targets[0]);
          else
            json_object_set_string_member (row, k, g_variant_get_string (value, NULL));
        }
    }
  if (sb_sandbox_store_exists (self->store, table, id))
    {
      sb_api_error_set (error, 412, CODE_DUPLICATE,
                        "A record with matching key values already exists.");
      return NULL;
    }
  if (table->user_owned && get_string (row, "_ownerid_value") == NULL)
    set_lookup (row, sb_table_attr (table, "ownerid"), user_id, "systemuser");
  default_currency (self, table, row);
  for (guint i = 0; i < table->attrs->len; i++)
    {
      const SbAttr *attr = g_ptr_array_index (table->attrs, i);
      JsonNode *value = json_object_get_member (row, attr->property);

      if ((attr->flags & SB_ATTR_FLAG_REQUIRED) && (value == NULL || JSON_NODE_HOLDS_NULL (value)))
        {
          sb_api_error_set (error, 400, CODE_INVALID_ARGUMENT,
                            "Attribute %s cannot be NULL: a %s needs it (required by the "
                            "system).",
                            attr->name, table->name);
          return NULL;
        }
    }
  if (!check_state (table, id, row, body, TRUE, 0, 0, FALSE, error))
    return NULL;
  compute_row (self, table, id, row, body, TRUE);
  if (!check_alt_keys (self, table, id, row, error))
    return NULL;
  version = sb_sandbox_store_next_version (self->store);
  stamp_row (self, table, user_id, row, TRUE, version);
  if (!sb_sandbox_store_insert (self->store, table, id, version, row, &local))
    {
      sb_api_error_set (error, 500, "0x80040216", "%s", local->message);
      return NULL;
    }
  after_write (self, user_id, table, id, row, TRUE);
  return g_steal_pointer (&id);
}

static gboolean
do_update (SbSandboxService *self, const char *user_id, const SbTable *table, const char *id,
           JsonObject *row, JsonObject *body, gboolean via_message, SbApiError **error)
{
  int old_state = (int) get_int (row, "statecode", 0);
  int old_status = (int) get_int (row, "statuscode", 0);
  g_autoptr (GError) local = NULL;
  gint64 version;

  if (table->create_only)
    {
      sb_api_error_set (error, 400, "0x80040800",
                        "The 'Update' method does not support entities of type '%s'.", table->name);
      return FALSE;
    }
  if (!apply_body (self, table, row, body, FALSE, id, error))
    return FALSE;
  if (!check_state (table, id, row, body, FALSE, old_state, old_status, via_message, error))
    return FALSE;
  compute_row (self, table, id, row, body, FALSE);
  if (!check_alt_keys (self, table, id, row, error))
    return FALSE;
  version = sb_sandbox_store_next_version (self->store);
  stamp_row (self, table, user_id, row, FALSE, version);
  if (!sb_sandbox_store_update (self->store, table, id, version, row, &local))
    {
      sb_api_error_set (error, 500, "0x80040216", "%s", local->message);
      return FALSE;
    }
  after_write (self, user_id, table, id, row, FALSE);
  return TRUE;
}

static gboolean do_delete (SbSandboxService *self, const char *user_id, const SbTable *table,
                           const char *id, SbApiError **error);

static void
refresh_header (SbSandboxService *self, const char *user_id, const SbTable *detail, JsonObject *row)
{
  const SbTable *header_table = sb_sandbox_schema_table (detail->detail_of);
  const char *header_id = lookup_id (row, detail->detail_lookup);
  g_autoptr (JsonObject) header = NULL;
  gint64 version;

  if (header_id == NULL ||
      (header = sb_sandbox_store_get (self->store, header_table, header_id, NULL)) == NULL)
    return;
  compute_totals (self, header_table, header_id, header);
  version = sb_sandbox_store_next_version (self->store);
  stamp_row (self, header_table, user_id, header, FALSE, version);
  sb_sandbox_store_update (self->store, header_table, header_id, version, header, NULL);
}

static void
after_write (SbSandboxService *self, const char *user_id, const SbTable *table, const char *id,
             JsonObject *row, gboolean creating)
{
  if (table->detail_of != NULL)
    refresh_header (self, user_id, table, row);
  /* Creating a unit group creates its base unit (Dataverse's UoMSchedule plug-in). */
  if (creating && g_str_equal (table->name, "uomschedule"))
    {
      g_autoptr (JsonObject) uom = json_object_new ();
      const SbTable *uom_table = sb_sandbox_schema_table ("uom");
      g_autofree char *uom_id = g_strdup_printf ("uom/%s", id);
      g_autofree char *guid = sb_sandbox_uuid_from_name (uom_id);
      const char *name = get_string (row, "baseuomname");
      gint64 version = sb_sandbox_store_next_version (self->store);

      json_object_set_string_member (uom, "uomid", guid);
      json_object_set_string_member (uom, "name", name ? name : "Primary Unit");
      json_object_set_double_member (uom, "quantity", 1);
      json_object_set_boolean_member (uom, "isschedulebaseuom", TRUE);
      set_lookup (uom, sb_table_attr (uom_table, "uomscheduleid"), id, "uomschedule");
      set_lookup (uom, sb_table_attr (uom_table, "baseuom"), guid, "uom");
      stamp_row (self, uom_table, user_id, uom, TRUE, version);
      sb_sandbox_store_insert (self->store, uom_table, guid, version, uom, NULL);
    }
}

static gboolean
do_delete (SbSandboxService *self, const char *user_id, const SbTable *table, const char *id,
           SbApiError **error)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  g_autoptr (JsonObject) row = sb_sandbox_store_get (self->store, table, id, NULL);
  g_autoptr (GError) local = NULL;

  if (row == NULL)
    {
      g_autofree char *msg = not_found_message (table, id);

      sb_api_error_set (error, 404, CODE_NOT_FOUND, "%s", msg);
      return FALSE;
    }
  /* Parental relationships cascade: lines go with their header, notes with their record. */
  for (guint i = 0; i < schema->tables->len; i++)
    {
      const SbTable *t = g_ptr_array_index (schema->tables, i);
      const char *via = NULL;
      g_autofree char *property = NULL;
      g_autoptr (GPtrArray) ids = NULL;

      if (g_strcmp0 (t->detail_of, table->name) == 0)
        via = t->detail_lookup;
      else if (g_str_equal (t->name, "annotation"))
        via = "objectid";
      else if (g_str_equal (t->name, "post"))
        via = "regardingobjectid";
      if (via == NULL)
        continue;
      property = g_strdup_printf ("_%s_value", via);
      ids = sb_sandbox_store_find_all (self->store, t, property, id);
      for (guint j = 0; j < ids->len; j++)
        {
          if (t->detail_of != NULL)
            {
              /* Delete lines directly: refreshing a header that is going away is pointless. */
              sb_sandbox_store_delete (self->store, t, g_ptr_array_index (ids, j),
                                       sb_sandbox_store_next_version (self->store), NULL);
            }
          else if (!do_delete (self, user_id, t, g_ptr_array_index (ids, j), error))
            return FALSE;
        }
    }
  if (!sb_sandbox_store_delete (self->store, table, id, sb_sandbox_store_next_version (self->store),
                                &local))
    {
      sb_api_error_set (error, 500, "0x80040216", "%s", local->message);
      return FALSE;
    }
  if (table->detail_of != NULL)
    refresh_header (self, user_id, table, row);
  return TRUE;
}

/* ---- ETags ---- */

static char *
etag_for (gint64 version)
{
  return g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
}

static gboolean
etag_list_matches (const char *header, gint64 version)
{
  g_autofree char *etag = etag_for (version);
  g_autofree char *strong = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  g_auto (GStrv) items = g_strsplit (header, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_str_equal (item, "*") || g_str_equal (item, etag) || g_str_equal (item, strong))
        return TRUE;
    }
  return FALSE;
}

/* ---- handlers ---- */

static SbSandboxResponse *
representation_response (SbSandboxService *self, const SbTable *table, const char *id, guint status,
                         SbSandboxRequest *request, SbPrefer *prefer)
{
  g_autoptr (SbSandboxResponse) response = NULL;
  g_autofree char *url = entity_url (self, table, id);

  if (prefer->return_representation)
    {
      response = sb_sandbox_service_get_row (self, table, id, request);
      if (response->status == 200)
        {
          response->status = status;
          soup_message_headers_append (response->headers, "Preference-Applied",
                                       "return=representation");
        }
    }
  else
    response = sb_sandbox_response_new (204);
  soup_message_headers_replace (response->headers, "OData-EntityId", url);
  return g_steal_pointer (&response);
}

static SbSandboxResponse *
handle_create (SbSandboxService *self, const char *user_id, const SbTable *table,
               SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
  g_autofree char *id = NULL;
  SbPrefer prefer;
  SbSandboxResponse *response;

  if (body == NULL)
    return sb_api_error_to_response (error);
  id = do_create (self, user_id, table, body, NULL, NULL, &error);
  if (id == NULL)
    return sb_api_error_to_response (error);
  sb_prefer_parse (&prefer, request->headers);
  response = representation_response (self, table, id, 201, request, &prefer);
  sb_prefer_clear (&prefer);
  return response;
}

static SbSandboxResponse *
handle_patch (SbSandboxService *self, const char *user_id, const SbTable *table,
              const char *key_text, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
  g_autoptr (GHashTable) key_values = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id = NULL;
  const char *if_match = soup_message_headers_get_one (request->headers, "If-Match");
  const char *if_none_match = soup_message_headers_get_one (request->headers, "If-None-Match");
  gint64 version = 0;
  SbPrefer prefer;
  SbSandboxResponse *response;
  guint status = 200;

  if (body == NULL)
    return sb_api_error_to_response (error);
  if (table->create_only)
    return sb_sandbox_response_new_error (
        400, "0x80040800", "The 'Update' method does not support entities of type '%s'.",
        table->name);
  if (!sb_sandbox_service_resolve_key (self, table, key_text, &id, &key_values, &error))
    return sb_api_error_to_response (error);
  if (id != NULL)
    row = sb_sandbox_store_get (self->store, table, id, &version);
  if (row != NULL)
    {
      if (if_none_match != NULL && strchr (if_none_match, '*') != NULL)
        return sb_sandbox_response_new_error (412, CODE_DUPLICATE,
                                              "A record with matching key values already exists.");
      if (if_match != NULL && !etag_list_matches (if_match, version))
        return sb_sandbox_response_new_error (
            412, CODE_VERSION_MISMATCH,
            "The version of the existing record doesn't match the RowVersion property provided.");
      if (!do_update (self, user_id, table, id, row, body, FALSE, &error))
        return sb_api_error_to_response (error);
    }
  else
    {
      if (if_match != NULL)
        {
          g_autofree char *msg = not_found_message (table, id ? id : key_text);

          return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
        }
      g_clear_pointer (&id, g_free);
      {
        g_autoptr (SbODataKey) parsed = sb_odata_key_parse (key_text, NULL);

        if (parsed != NULL && parsed->guid != NULL)
          id = g_strdup (parsed->guid);
      }
      {
        g_autofree char *created = do_create (self, user_id, table, body, id, key_values, &error);

        if (created == NULL)
          return sb_api_error_to_response (error);
        g_free (id);
        id = g_steal_pointer (&created);
      }
      status = 201;
    }
  sb_prefer_parse (&prefer, request->headers);
  response = representation_response (self, table, id, status, request, &prefer);
  sb_prefer_clear (&prefer);
  return response;
}

static SbSandboxResponse *
handle_delete (SbSandboxService *self, const char *user_id, const SbTable *table,
               const char *key_text, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autofree char *id = NULL;
  const char *if_match = soup_message_headers_get_one (request->headers, "If-Match");
  gint64 version = 0;
  g_autoptr (JsonObject) row = NULL;

  if (!sb_sandbox_service_resolve_key (self, table, key_text, &id, NULL, &error))
    return sb_api_error_to_response (error);
  if (id == NULL || (row = sb_sandbox_store_get (self->store, table, id, &version)) == NULL)
    {
      g_autofree char *msg = not_found_message (table, id ? id : key_text);

      return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
    }
  if (if_match != NULL && !etag_list_matches (if_match, version))
    return sb_sandbox_response_new_error (
        412, CODE_VERSION_MISMATCH,
        "The version of the existing record doesn't match the RowVersion property provided.");
  if (!do_delete (self, user_id, table, id, &error))
    return sb_api_error_to_response (error);
  return sb_sandbox_response_new (204);
}

static SbSandboxResponse *
handle_get_row (SbSandboxService *self, const SbTable *table, const char *key_text,
                SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autofree char *id = NULL;
  const char *if_none_match = soup_message_headers_get_one (request->headers, "If-None-Match");
  gint64 version = 0;
  g_autoptr (JsonObject) row = NULL;

  if (!sb_sandbox_service_resolve_key (self, table, key_text, &id, NULL, &error))
    return sb_api_error_to_response (error);
  if (id == NULL || (row = sb_sandbox_store_get (self->store, table, id, &version)) == NULL)
    {
      g_autofree char *msg = not_found_message (table, id ? id : key_text);

      return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
    }
  if (if_none_match != NULL && etag_list_matches (if_none_match, version))
    {
      SbSandboxResponse *response = sb_sandbox_response_new (304);
      g_autofree char *etag = etag_for (version);

      soup_message_headers_replace (response->headers, "ETag", etag);
      return response;
    }
  return sb_sandbox_service_get_row (self, table, id, request);
}

static SbSandboxResponse *
handle_whoami (SbSandboxService *self, const char *user_id)
{
  SbSandboxResponse *response = sb_sandbox_response_new (200);
  g_autoptr (JsonObject) user =
      sb_sandbox_store_get (self->store, sb_sandbox_schema_table ("systemuser"), user_id, NULL);
  g_autoptr (JsonObject) out = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *context =
      g_strdup_printf ("%s$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", self->api_root);
  g_autofree char *org = sb_sandbox_uuid_from_name ("organization/sandbox");
  g_autofree char *bu = sb_sandbox_uuid_from_name ("businessunit/root");
  const char *user_bu = user ? lookup_id (user, "businessunitid") : NULL;

  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_string_member (out, "BusinessUnitId", user_bu ? user_bu : bu);
  json_object_set_string_member (out, "UserId", user_id);
  json_object_set_string_member (out, "OrganizationId", org);
  node = json_node_init_object (json_node_alloc (), out);
  sb_sandbox_response_set_json (response, node);
  return response;
}

/* The "close" messages: {"<Param>": {"subject": …, "<lookup>@odata.bind": "/<set>(…)"},
 * "Status": n}, the Web API actions of WinQuoteRequest, CloseQuoteRequest,
 * FulfillSalesOrderRequest, CancelSalesOrderRequest, WinOpportunityRequest and
 * LoseOpportunityRequest (integration-behaviour.md §9). */
typedef struct
{
  const char *action;
  const char *param;
  const char *lookup;
  const char *table;
  int state;
  guint from_states; /* bit mask of the states the record may be in */
  const char *date_attr;
} CloseMessage;

static const CloseMessage close_messages[] = {
  { "WinQuote", "QuoteClose", "quoteid", "quote", 2, 1 << 1, "closedon" },
  { "CloseQuote", "QuoteClose", "quoteid", "quote", 3, 1 << 0 | 1 << 1, "closedon" },
  { "FulfillSalesOrder", "OrderClose", "salesorderid", "salesorder", 3, 1 << 0 | 1 << 1,
    "datefulfilled" },
  { "CancelSalesOrder", "OrderClose", "salesorderid", "salesorder", 2, 1 << 0 | 1 << 1, NULL },
  { "WinOpportunity", "OpportunityClose", "opportunityid", "opportunity", 1, 1 << 0,
    "actualclosedate" },
  { "LoseOpportunity", "OpportunityClose", "opportunityid", "opportunity", 2, 1 << 0,
    "actualclosedate" },
};

static const CloseMessage *
find_close_message (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (close_messages); i++)
    if (g_str_equal (close_messages[i].action, name))
      return &close_messages[i];
  return NULL;
}

static SbSandboxResponse *
handle_close (SbSandboxService *self, const char *user_id, SbSandboxRequest *request,
              const CloseMessage *m)
{
  const SbTable *table = sb_sandbox_schema_table (m->table);
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body_object (m->table, request->body, &error);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) change = NULL;
  g_autofree char *id = NULL;
  g_autofree char *bind_member = g_strdup_printf ("%s@odata.bind", m->lookup);
  const SbTable *target = NULL;
  JsonNode *close_node, *status_node;
  const char *bind;
  int state;
  gint64 status;

  if (body == NULL)
    return sb_api_error_to_response (error);
  close_node = json_object_get_member (body, m->param);
  status_node = json_object_get_member (body, "Status");
  if (close_node == NULL || !JSON_NODE_HOLDS_OBJECT (close_node) || status_node == NULL ||
      !JSON_NODE_HOLDS_VALUE (status_node) ||
      json_node_get_value_type (status_node) != G_TYPE_INT64)
    return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                          "%s expects the parameters %s (an entity) and Status "
                                          "(Edm.Int32).",
                                          m->action, m->param);
  bind = get_string (json_node_get_object (close_node), bind_member);
  if (bind == NULL)
    return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                          "%s must reference the %s with \"%s\".", m->param,
                                          m->table, bind_member);
  if (!resolve_reference (self, bind, &target, &id, &error))
    return sb_api_error_to_response (error);
  if (target != table)
    return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT, "%s must reference a %s.",
                                          m->lookup, m->table);
  row = sb_sandbox_store_get (self->store, table, id, NULL);
  state = (int) get_int (row, "statecode", 0);
  status = json_node_get_int (status_node);
  if (!(m->from_states & (1u << state)))
    return sb_sandbox_response_new_error (400, CODE_INVALID_STATE,
                                          "%s cannot be applied to a %s that is %s.", m->action,
                                          m->table, state_label (table, state));
  if (!sb_table_status_valid (table, m->state, (int) status))
    return sb_sandbox_response_new_error (400, CODE_INVALID_STATE,
                                          "%" G_GINT64_FORMAT " is not a valid status code for "
                                          "state code %s on %s with Id %s.",
                                          status, state_label (table, m->state), m->table, id);
  change = json_object_new ();
  json_object_set_int_member (change, "statecode", m->state);
  json_object_set_int_member (change, "statuscode", status);
  if (m->date_attr != NULL)
    {
      g_autofree char *today = now_string ();

      today[10] = '\0';
      json_object_set_string_member (change, m->date_attr, today);
    }
  if (!do_update (self, user_id, table, id, row, change, TRUE, &error))
    return sb_api_error_to_response (error);
  return sb_sandbox_response_new (204);
}

static const char *const revise_skip[] = {
  "quoteid",       "createdon", "modifiedon", "_createdby_value", "_modifiedby_value",
  "versionnumber", "statecode", "statuscode", "closedon",         NULL
};

/* ReviseQuote {"QuoteId": "…", "ColumnSet": {…}}: closes the quote as Revised and returns a
 * new draft with the same quotenumber, revisionnumber + 1 and copies of the lines. */
static SbSandboxResponse *
handle_revise_quote (SbSandboxService *self, const char *user_id, SbSandboxRequest *request)
{
  const SbTable *quotes = sb_sandbox_schema_table ("quote");
  const SbTable *details = sb_sandbox_schema_table ("quotedetail");
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body_object ("quote", request->body, &error);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) copy = NULL;
  g_autoptr (JsonObject) change = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autofree char *id = NULL;
  g_autofree char *new_id = g_uuid_string_random ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  int state;
  gint64 version;

  if (body == NULL)
    return sb_api_error_to_response (error);
  if (get_string (body, "QuoteId") == NULL ||
      (id = sb_odata_normalize_guid (get_string (body, "QuoteId"))) == NULL)
    return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                          "ReviseQuote expects the parameters QuoteId "
                                          "(Edm.Guid) and ColumnSet.");
  row = sb_sandbox_store_get (self->store, quotes, id, NULL);
  if (row == NULL)
    {
      g_autofree char *msg = not_found_message (quotes, id);

      return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
    }
  state = (int) get_int (row, "statecode", 0);
  if (state != 1 && !(state == 3 && get_int (row, "statuscode", 0) != 7))
    return sb_sandbox_response_new_error (400, CODE_INVALID_STATE,
                                          "The quote is %s; only active or closed quotes can be "
                                          "revised.",
                                          state_label (quotes, state));

  copy = json_object_new ();
  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_strv_contains (revise_skip, member))
      json_object_set_member (copy, member, json_node_copy (node));
  json_object_set_string_member (copy, "quoteid", new_id);
  json_object_set_int_member (copy, "revisionnumber", get_int (row, "revisionnumber", 0) + 1);
  json_object_set_int_member (copy, "statecode", 0);
  json_object_set_int_member (copy, "statuscode", 1);
  version = sb_sandbox_store_next_version (self->store);
  stamp_row (self, quotes, user_id, copy, TRUE, version);
  if (!sb_sandbox_store_insert (self->store, quotes, new_id, version, copy, NULL))
    return sb_sandbox_response_new_error (500, "0x80040216", "Cannot create the revision.");

  lines = sb_sandbox_store_find_all (self->store, details, "_quoteid_value", id);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr (JsonObject) line =
          sb_sandbox_store_get (self->store, details, g_ptr_array_index (lines, i), NULL);
      g_autofree char *line_id = g_uuid_string_random ();

      if (line == NULL)
        continue;
      json_object_set_string_member (line, "quotedetailid", line_id);
      set_lookup (line, sb_table_attr (details, "quoteid"), new_id, "quote");
      version = sb_sandbox_store_next_version (self->store);
      stamp_row (self, details, user_id, line, TRUE, version);
      sb_sandbox_store_insert (self->store, details, line_id, version, line, NULL);
    }

  change = json_object_new ();
  json_object_set_int_member (change, "statecode", 3);
  json_object_set_int_member (change, "statuscode", 7);
  if (!do_update (self, user_id, quotes, id, row, change, TRUE, &error))
    return sb_api_error_to_response (error);

  {
    SbSandboxResponse *response = sb_sandbox_service_get_row (self, quotes, new_id, request);
    g_autofree char *url = entity_url (self, quotes, new_id);

    soup_message_headers_replace (response->headers, "OData-EntityId", url);
    return response;
  }
}

static SbSandboxResponse *
handle_ref (SbSandboxService *self, const char *user_id, const SbTable *table, const char *id,
            const char *nav_segment, SbSandboxRequest *request)
{
  g_autofree char *nav_name = NULL;
  g_autofree char *nav_key = NULL;
  const SbNav *nav;
  const SbCollectionNav *cnav;
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) row = NULL;

  if (!split_key (nav_segment, &nav_name, &nav_key))
    return sb_sandbox_response_new_error (400, CODE_BAD_QUERY, "Bad segment '%s'.", nav_segment);
  row = sb_sandbox_store_get (self->store, table, id, NULL);
  if (row == NULL)
    {
      g_autofree char *msg = not_found_message (table, id);

      return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
    }
  nav = sb_table_nav (table, nav_name);
  cnav = sb_table_collection_nav (table, nav_name);
  if (nav != NULL && nav_key == NULL)
    {
      g_autoptr (JsonObject) change = json_object_new ();
      g_autofree char *member = g_strdup_printf ("%s@odata.bind", nav_name);

      if (g_str_equal (request->method, "DELETE"))
        json_object_set_null_member (change, member);
      else if (g_str_equal (request->method, "PUT") || g_str_equal (request->method, "POST"))
        {
          g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
          const char *ref;

          if (body == NULL)
            return sb_api_error_to_response (error);
          ref = get_string (body, "@odata.id");
          if (ref == NULL)
            return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                                  "The body must carry \"@odata.id\".");
          json_object_set_string_member (change, member, ref);
        }
      else
        return sb_sandbox_response_new_error (405, "",
                                              "The HTTP method '%s' is not allowed "
                                              "on $ref.",
                                              request->method);
      if (!do_update (self, user_id, table, id, row, change, FALSE, &error))
        return sb_api_error_to_response (error);
      return sb_sandbox_response_new (204);
    }
  if (cnav != NULL && cnav->via != NULL)
    {
      /* 1:N: associating sets the related row's lookup to this row, disassociating clears it. */
      const SbTable *target_table = sb_sandbox_schema_table (cnav->target);
      const SbAttr *via = sb_table_attr (target_table, cnav->via);
      const SbNav *back = sb_table_nav_for (target_table, via, table->name);
      g_autofree char *other = NULL;
      g_autofree char *member = g_strdup_printf ("%s@odata.bind", back ? back->name : cnav->via);
      g_autoptr (JsonObject) change = json_object_new ();
      g_autoptr (JsonObject) other_row = NULL;

      if (g_str_equal (request->method, "POST") && nav_key == NULL)
        {
          g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
          const SbTable *t = NULL;
          const char *ref;

          if (body == NULL)
            return sb_api_error_to_response (error);
          ref = get_string (body, "@odata.id");
          if (ref == NULL)
            return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                                  "The body must carry \"@odata.id\".");
          if (!resolve_reference (self, ref, &t, &other, &error))
            return sb_api_error_to_response (error);
          if (t != target_table)
            return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                                  "%s relates %s to %s records only.", cnav->name,
                                                  table->name, cnav->target);
          {
            g_autofree char *self_ref = g_strdup_printf ("/%s(%s)", table->set, id);

            json_object_set_string_member (change, member, self_ref);
          }
        }
      else if (g_str_equal (request->method, "DELETE") && nav_key != NULL)
        {
          if (!sb_sandbox_service_resolve_key (self, target_table, nav_key, &other, NULL, &error))
            return sb_api_error_to_response (error);
          json_object_set_null_member (change, member);
        }
      else
        return sb_sandbox_response_new_error (405, "",
                                              "The HTTP method '%s' is not allowed "
                                              "here.",
                                              request->method);
      if (other == NULL ||
          (other_row = sb_sandbox_store_get (self->store, target_table, other, NULL)) == NULL)
        {
          g_autofree char *msg = not_found_message (target_table, other ? other : nav_key);

          return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
        }
      if (g_str_equal (request->method, "DELETE") &&
          g_strcmp0 (lookup_id (other_row, cnav->via), id) != 0)
        return sb_sandbox_response_new_error (404, CODE_NOT_FOUND,
                                              "The association does not exist.");
      if (!do_update (self, user_id, target_table, other, other_row, change, FALSE, &error))
        return sb_api_error_to_response (error);
      return sb_sandbox_response_new (204);
    }
  if (cnav != NULL && cnav->intersect != NULL)
    {
      const SbTable *target_table = sb_sandbox_schema_table (cnav->target);
      g_autofree char *other = NULL;

      if (g_str_equal (request->method, "POST") && nav_key == NULL)
        {
          g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
          const SbTable *t = NULL;
          const char *ref;

          if (body == NULL)
            return sb_api_error_to_response (error);
          ref = get_string (body, "@odata.id");
          if (ref == NULL)
            return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                                  "The body must carry \"@odata.id\".");
          if (!resolve_reference (self, ref, &t, &other, &error))
            return sb_api_error_to_response (error);
          if (t != target_table)
            return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                                  "%s relates %s to %s records only.", cnav->name,
                                                  table->name, cnav->target);
          sb_sandbox_store_associate (self->store, cnav->intersect, id, other);
          return sb_sandbox_response_new (204);
        }
      if (g_str_equal (request->method, "DELETE"))
        {
          SbQueryOptions opts = { 0 };
          const SbTable *t = NULL;

          if (nav_key != NULL)
            {
              if (!sb_sandbox_service_resolve_key (self, target_table, nav_key, &other, NULL,
                                                   &error))
                return sb_api_error_to_response (error);
            }
          else
            {
              const char *ref;

              if (!sb_query_options_parse (&opts, request->query, &error))
                return sb_api_error_to_response (error);
              sb_query_options_clear (&opts);
              ref = request->query && g_str_has_prefix (request->query, "$id=") ? request->query + 4
                                                                                : NULL;
              if (ref != NULL)
                {
                  g_autofree char *decoded = g_uri_unescape_string (ref, NULL);

                  if (!resolve_reference (self, decoded, &t, &other, &error))
                    return sb_api_error_to_response (error);
                }
            }
          if (other == NULL ||
              !sb_sandbox_store_disassociate (self->store, cnav->intersect, id, other))
            return sb_sandbox_response_new_error (404, CODE_NOT_FOUND,
                                                  "The association does not exist.");
          return sb_sandbox_response_new (204);
        }
    }
  return sb_sandbox_response_new_error (404, CODE_SEGMENT,
                                        "Resource not found for the segment '%s'.", nav_segment);
}

static SbSandboxResponse *
no_resource (SbSandboxService *self, SbSandboxRequest *request)
{
  return sb_sandbox_response_new_error (404, "",
                                        "No HTTP resource was found that matches the request "
                                        "URI '%s%s'.",
                                        self->api_root, request->path);
}

static SbSandboxResponse *
method_not_allowed (SbSandboxRequest *request)
{
  SbSandboxResponse *response = sb_sandbox_response_new_error (
      405, "0x80060888", "The requested resource does not support http method '%s'.",
      request->method);

  return response;
}

static SbSandboxResponse *
service_document (SbSandboxService *self)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *context = g_strdup_printf ("%s$metadata", self->api_root);
  SbSandboxResponse *response = sb_sandbox_response_new (200);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "@odata.context");
  json_builder_add_string_value (b, context);
  json_builder_set_member_name (b, "value");
  json_builder_begin_array (b);
  for (guint i = 0; i < schema->tables->len; i++)
    {
      const SbTable *table = g_ptr_array_index (schema->tables, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, table->set);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "EntitySet");
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, table->set);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  sb_sandbox_response_set_json (response, root);
  return response;
}

/* CreateMultiple / UpdateMultiple / UpsertMultiple, bound to an entity set ("Use bulk operation
 * messages"): {"Targets": [{"@odata.type": "Microsoft.Dynamics.CRM.<table>", …}, …]}. All or
 * nothing, like Dataverse. */
static SbSandboxResponse *
handle_multiple (SbSandboxService *self, const char *user_id, const SbTable *table,
                 const char *action, SbSandboxRequest *request)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
  g_autofree char *type = g_strdup_printf ("Microsoft.Dynamics.CRM.%s", table->name);
  g_autoptr (JsonArray) ids = json_array_new ();
  gboolean create = g_str_equal (action, "CreateMultiple");
  gboolean upsert = g_str_equal (action, "UpsertMultiple");
  JsonNode *targets;
  JsonArray *list;

  if (body == NULL)
    return sb_api_error_to_response (error);
  targets = json_object_get_member (body, "Targets");
  if (targets == NULL || !JSON_NODE_HOLDS_ARRAY (targets))
    return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                          "%s expects the parameter Targets, an array of %s "
                                          "records.",
                                          action, table->name);
  list = json_node_get_array (targets);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *target;
      const char *odata_id;
      const char *pk;
      g_autofree char *id = NULL;
      g_autoptr (GHashTable) key_values = NULL;
      g_autoptr (JsonObject) row = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return sb_sandbox_response_new_error (400, CODE_PAYLOAD, "Targets must hold objects.");
      target = json_node_get_object (node);
      if (g_strcmp0 (get_string (target, "@odata.type"), type) != 0)
        return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                              "Every item of Targets must carry \"@odata.type\": "
                                              "\"%s\".",
                                              type);
      odata_id = get_string (target, "@odata.id");
      pk = get_string (target, table->pk);
      if (odata_id != NULL && !create)
        {
          g_autofree char *path = NULL;
          g_autofree char *name = NULL;
          g_autofree char *key = NULL;

          if (!sb_sandbox_split_url (odata_id, &path, NULL))
            path = g_strdup (odata_id[0] == '/' ? odata_id + 1 : odata_id);
          if (!split_key (path, &name, &key) || key == NULL || !g_str_equal (name, table->set))
            return sb_sandbox_response_new_error (
                400, CODE_INVALID_ARGUMENT, "\"@odata.id\" must name a %s record.", table->name);
          if (!sb_sandbox_service_resolve_key (self, table, key, &id, &key_values, &error))
            return sb_api_error_to_response (error);
        }
      else if (pk != NULL && !create)
        id = sb_odata_normalize_guid (pk);
      if (!create && id == NULL && key_values == NULL)
        return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                              "Each target of %s needs %s or \"@odata.id\".",
                                              action, table->pk);
      if (id != NULL)
        row = sb_sandbox_store_get (self->store, table, id, NULL);
      if (row != NULL)
        {
          if (!do_update (self, user_id, table, id, row, target, FALSE, &error))
            return sb_api_error_to_response (error);
        }
      else if (create || upsert)
        {
          g_autofree char *created =
              do_create (self, user_id, table, target, create ? NULL : id, key_values, &error);

          if (created == NULL)
            return sb_api_error_to_response (error);
          g_free (id);
          id = g_steal_pointer (&created);
        }
      else
        {
          g_autofree char *msg = not_found_message (table, id);

          return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
        }
      json_array_add_string_element (ids, id);
    }
  if (g_str_equal (action, "UpdateMultiple"))
    return sb_sandbox_response_new (204);
  {
    SbSandboxResponse *response = sb_sandbox_response_new (200);
    g_autoptr (JsonObject) out = json_object_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *context =
        g_strdup_printf ("%s$metadata#Microsoft.Dynamics.CRM.%sResponse", self->api_root, action);

    json_object_set_string_member (out, "@odata.context", context);
    json_object_set_array_member (out, "Ids", json_array_ref (ids));
    root = json_node_init_object (json_node_alloc (), out);
    sb_sandbox_response_set_json (response, root);
    return response;
  }
}

SbSandboxResponse *
sb_sandbox_service_dispatch (SbSandboxService *self, const char *user_id, SbSandboxRequest *request)
{
  g_autoptr (GPtrArray) segments = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *path = NULL;
  const char *method = request->method;
  const SbTable *table;
  const char *first;

  /* "$1/…" inside a changeset refers to the row created by Content-ID 1. */
  if (request->path[0] == '$' && self->content_ids != NULL)
    {
      const char *slash = strchr (request->path, '/');
      g_autofree char *ref = slash ? g_strndup (request->path + 1, slash - request->path - 1)
                                   : g_strdup (request->path + 1);
      const char *target = g_hash_table_lookup (self->content_ids, ref);

      if (target != NULL)
        {
          path = g_strconcat (target, slash ? slash : "", NULL);
          g_free (request->path);
          request->path = g_strdup (path);
        }
    }

  if (request->path[0] == '$' && !g_str_has_prefix (request->path, "$batch") &&
      !g_str_has_prefix (request->path, "$metadata"))
    return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                          "Content-ID Reference: '%s' does not exist in the "
                                          "batch context.",
                                          request->path);

  segments = split_segments (request->path);
  if (segments->len == 0)
    return g_str_equal (method, "GET") ? service_document (self) : method_not_allowed (request);
  first = g_ptr_array_index (segments, 0);

  if (g_str_equal (first, "WhoAmI") || g_str_equal (first, "WhoAmI()"))
    return g_str_equal (method, "GET") && segments->len == 1 ? handle_whoami (self, user_id)
                                                             : no_resource (self, request);
  if (find_close_message (first) != NULL)
    return g_str_equal (method, "POST") && segments->len == 1
               ? handle_close (self, user_id, request, find_close_message (first))
               : no_resource (self, request);
  if (g_str_equal (first, "ReviseQuote"))
    return g_str_equal (method, "POST") && segments->len == 1
               ? handle_revise_quote (self, user_id, request)
               : no_resource (self, request);
  if (g_str_equal (first, "$batch"))
    return sb_sandbox_response_new_error (400, CODE_INVALID_ARGUMENT,
                                          "A $batch request cannot contain another $batch.");
  if (g_str_equal (first, "$metadata"))
    return g_str_equal (method, "GET") ? sb_sandbox_service_csdl (self)
                                       : method_not_allowed (request);

  if (!split_key (first, &name, &key))
    return sb_sandbox_response_new_error (400, CODE_BAD_QUERY,
                                          "Bad Request - Error in query syntax: unbalanced "
                                          "parentheses in '%s'.",
                                          first);
  if ((g_str_equal (name, "EntityDefinitions") || g_str_equal (name, "RelationshipDefinitions")) &&
      segments->len <= 2 && !g_str_equal (method, "GET"))
    return sb_sandbox_service_define (
        self, name, key, segments->len == 2 ? g_ptr_array_index (segments, 1) : NULL, request);
  if (g_str_equal (name, "EntityDefinitions") && segments->len <= 2)
    return sb_sandbox_service_metadata (
        self, key, segments->len == 2 ? g_ptr_array_index (segments, 1) : NULL, request);
  table = sb_sandbox_service_table_by_set (self, name);
  if (table == NULL)
    return sb_sandbox_response_new_error (404, CODE_SEGMENT,
                                          "Resource not found for the segment '%s'.", name);

  if (key == NULL)
    {
      if (segments->len == 1)
        {
          if (g_str_equal (method, "GET"))
            return sb_sandbox_service_get_collection (self, table, request, FALSE);
          if (g_str_equal (method, "POST"))
            return handle_create (self, user_id, table, request);
          return method_not_allowed (request);
        }
      if (segments->len == 2 && g_str_equal (method, "POST"))
        {
          const char *action = g_ptr_array_index (segments, 1);

          if (g_str_has_prefix (action, "Microsoft.Dynamics.CRM."))
            action += strlen ("Microsoft.Dynamics.CRM.");
          if (g_str_equal (action, "CreateMultiple") || g_str_equal (action, "UpdateMultiple") ||
              g_str_equal (action, "UpsertMultiple"))
            return handle_multiple (self, user_id, table, action, request);
        }
      if (segments->len == 2 && g_str_equal (g_ptr_array_index (segments, 1), "$count"))
        return g_str_equal (method, "GET")
                   ? sb_sandbox_service_get_collection (self, table, request, TRUE)
                   : method_not_allowed (request);
      return sb_sandbox_response_new_error (404, CODE_SEGMENT,
                                            "Resource not found for the segment '%s'.",
                                            (char *) g_ptr_array_index (segments, 1));
    }

  if (segments->len == 1)
    {
      if (g_str_equal (method, "GET"))
        return handle_get_row (self, table, key, request);
      if (g_str_equal (method, "PATCH"))
        return handle_patch (self, user_id, table, key, request);
      if (g_str_equal (method, "DELETE"))
        return handle_delete (self, user_id, table, key, request);
      return method_not_allowed (request);
    }

  {
    g_autoptr (SbApiError) error = NULL;
    g_autofree char *id = NULL;
    const char *second = g_ptr_array_index (segments, 1);

    if (!sb_sandbox_service_resolve_key (self, table, key, &id, NULL, &error))
      return sb_api_error_to_response (error);
    if (id == NULL || !sb_sandbox_store_exists (self->store, table, id))
      {
        g_autofree char *msg = not_found_message (table, id ? id : key);

        return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s", msg);
      }
    if (segments->len == 3 && g_str_equal (g_ptr_array_index (segments, 2), "$ref"))
      return handle_ref (self, user_id, table, id, second, request);
    if (segments->len == 2 && g_str_equal (method, "GET"))
      return sb_sandbox_service_get_related (self, table, id, second, request);
    if (segments->len == 2 && g_str_equal (method, "DELETE") && sb_table_property (table, second))
      {
        /* DELETE accounts(…)/telephone1 clears one property. */
        g_autoptr (JsonObject) row = sb_sandbox_store_get (self->store, table, id, NULL);
        g_autoptr (JsonObject) change = json_object_new ();

        json_object_set_null_member (change, second);
        if (!do_update (self, user_id, table, id, row, change, FALSE, &error))
          return sb_api_error_to_response (error);
        return sb_sandbox_response_new (204);
      }
    if (segments->len == 2 && g_str_equal (method, "PUT") && sb_table_property (table, second))
      {
        /* PUT accounts(…)/name {"value": …} updates one property. */
        g_autoptr (JsonObject) body = parse_body_object (table->name, request->body, &error);
        g_autoptr (JsonObject) row = NULL;
        g_autoptr (JsonObject) change = json_object_new ();

        if (body == NULL)
          return sb_api_error_to_response (error);
        if (!json_object_has_member (body, "value"))
          return sb_sandbox_response_new_error (400, CODE_PAYLOAD,
                                                "The body must be {\"value\": …}.");
        row = sb_sandbox_store_get (self->store, table, id, NULL);
        json_object_set_member (change, second,
                                json_node_copy (json_object_get_member (body, "value")));
        if (!do_update (self, user_id, table, id, row, change, FALSE, &error))
          return sb_api_error_to_response (error);
        return sb_sandbox_response_new (204);
      }
    if (segments->len == 3 && g_str_equal (method, "GET") &&
        g_str_equal (g_ptr_array_index (segments, 2), "$value") &&
        sb_table_property (table, second))
      {
        /* accounts(…)/name/$value: the raw value as text. */
        g_autoptr (JsonObject) row = sb_sandbox_store_get (self->store, table, id, NULL);
        JsonNode *node = json_object_get_member (row, second);
        SbSandboxResponse *response;
        g_autofree char *text = NULL;

        if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
          return sb_sandbox_response_new (204);
        if (json_node_get_value_type (node) == G_TYPE_STRING)
          text = g_strdup (json_node_get_string (node));
        else
          {
            GString *out = g_string_new (NULL);

            sb_sandbox_json_write (out, node);
            text = g_string_free (out, FALSE);
          }
        response = sb_sandbox_response_new (200);
        response->body = g_bytes_new (text, strlen (text));
        soup_message_headers_replace (response->headers, "Content-Type",
                                      "text/plain; charset=utf-8");
        return response;
      }
  }
  return no_resource (self, request);
}

/* "Impersonate another user using the Web API": MSCRMCallerID names the systemuser the request
 * acts as; the caller needs the prvActOnBehalfOfAnotherUser privilege, which the sandbox grants
 * to the System Administrator and Salesbridge Integration Administrator roles. Returns the
 * effective user id (owned by @self until the next call), or NULL with *out_response set. */
const char *
sb_sandbox_service_effective_user (SbSandboxService *self, const char *user_id,
                                   SoupMessageHeaders *headers, SbSandboxResponse **out_response)
{
  const char *caller = soup_message_headers_get_one (headers, "MSCRMCallerID");
  g_autofree char *guid = NULL;
  g_autoptr (GPtrArray) roles = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *integration_admin = NULL;
  gboolean allowed = FALSE;

  if (caller == NULL)
    return user_id;
  guid = sb_odata_normalize_guid (caller);
  if (guid == NULL ||
      !sb_sandbox_store_exists (self->store, sb_sandbox_schema_table ("systemuser"), guid))
    {
      *out_response = sb_sandbox_response_new_error (
          404, CODE_NOT_FOUND, "systemuser With Id = %s Does Not Exist", caller);
      return NULL;
    }
  admin = sb_sandbox_uuid_from_name ("role/System Administrator");
  integration_admin = sb_sandbox_uuid_from_name ("role/Salesbridge Integration Administrator");
  roles = sb_sandbox_store_associated (self->store, "systemuserroles_association", user_id);
  for (guint i = 0; i < roles->len; i++)
    allowed |= g_str_equal (g_ptr_array_index (roles, i), admin) ||
               g_str_equal (g_ptr_array_index (roles, i), integration_admin);
  if (!allowed)
    {
      *out_response = sb_sandbox_response_new_error (
          403, "0x80040220",
          "Principal user (Id=%s, type=8) is missing prvActOnBehalfOfAnotherUser privilege.",
          user_id);
      return NULL;
    }
  g_free (self->acting_user);
  self->acting_user = g_steal_pointer (&guid);
  return self->acting_user;
}

SbSandboxResponse *
sb_sandbox_service_handle (SbSandboxService *self, const char *user_id, SbSandboxRequest *request)
{
  g_autoptr (GError) local = NULL;
  SbSandboxResponse *response = NULL;

  user_id = sb_sandbox_service_effective_user (self, user_id, request->headers, &response);
  if (user_id == NULL)
    return response;
  if (g_str_equal (request->path, "$batch"))
    return g_str_equal (request->method, "POST")
               ? sb_sandbox_service_handle_batch (self, user_id, request)
               : method_not_allowed (request);
  if (!sb_sandbox_store_begin (self->store, &local))
    return sb_sandbox_response_new_error (500, "0x80040216", "%s", local->message);
  response = sb_sandbox_service_dispatch (self, user_id, request);
  if (response->status < 400)
    {
      if (!sb_sandbox_store_commit (self->store, &local))
        {
          sb_sandbox_response_free (response);
          return sb_sandbox_response_new_error (500, "0x80040216", "%s", local->message);
        }
    }
  else
    sb_sandbox_store_rollback (self->store);
  return response;
}

static gboolean
run_in_transaction (SbSandboxService *self, SbApiError *api_error, GError **error)
{
  if (api_error != NULL)
    {
      sb_sandbox_store_rollback (self->store);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%u %s: %s", api_error->status,
                   api_error->code, api_error->message);
      return FALSE;
    }
  return sb_sandbox_store_commit (self->store, error);
}

char *
sb_sandbox_service_create (SbSandboxService *self, const char *user_id, const char *entity_set,
                           JsonObject *body, GError **error)
{
  const SbTable *table = sb_sandbox_schema_table_by_set (entity_set);
  g_autoptr (SbApiError) api_error = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (table != NULL, NULL);
  if (!sb_sandbox_store_begin (self->store, error))
    return NULL;
  id = do_create (self, user_id, table, body, NULL, NULL, &api_error);
  if (!run_in_transaction (self, api_error, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
sb_sandbox_service_update (SbSandboxService *self, const char *user_id, const char *entity_set,
                           const char *id, JsonObject *body, GError **error)
{
  const SbTable *table = sb_sandbox_schema_table_by_set (entity_set);
  g_autoptr (SbApiError) api_error = NULL;
  g_autoptr (JsonObject) row = NULL;

  g_return_val_if_fail (table != NULL, FALSE);
  if (!sb_sandbox_store_begin (self->store, error))
    return FALSE;
  row = sb_sandbox_store_get (self->store, table, id, NULL);
  if (row == NULL)
    sb_api_error_set (&api_error, 404, CODE_NOT_FOUND, "%s does not exist", id);
  else
    do_update (self, user_id, table, id, row, body, TRUE, &api_error);
  return run_in_transaction (self, api_error, error);
}

/* ---- object ---- */

static void
sb_sandbox_service_finalize (GObject *object)
{
  SbSandboxService *self = SB_SANDBOX_SERVICE (object);

  g_clear_object (&self->store);
  g_free (self->base_url);
  g_free (self->api_root);
  g_free (self->secret);
  g_free (self->now_text);
  g_free (self->acting_user);
  sb_sandbox_custom_schema_free (self->custom);
  G_OBJECT_CLASS (sb_sandbox_service_parent_class)->finalize (object);
}

static void
sb_sandbox_service_class_init (SbSandboxServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_sandbox_service_finalize;
}

static void
sb_sandbox_service_init (SbSandboxService *self)
{
  self->delta_lifetime = 7 * 24 * 3600;
}

SbSandboxService *
sb_sandbox_service_new (SbSandboxStore *store)
{
  SbSandboxService *self = g_object_new (SB_TYPE_SANDBOX_SERVICE, NULL);

  self->store = g_object_ref (store);
  self->secret = sb_sandbox_store_get_meta (store, "secret");
  if (self->secret == NULL)
    {
      self->secret = g_uuid_string_random ();
      sb_sandbox_store_set_meta (store, "secret", self->secret);
    }
  sb_sandbox_service_set_base_url (self, "http://127.0.0.1/");
  sb_sandbox_service_load_custom (self);
  return self;
}

void
sb_sandbox_service_set_base_url (SbSandboxService *self, const char *base_url)
{
  g_free (self->base_url);
  g_free (self->api_root);
  self->base_url = g_strdup (base_url);
  self->api_root = g_strconcat (base_url, SB_API_VERSION_PATH, NULL);
}

const char *
sb_sandbox_service_get_base_url (SbSandboxService *self)
{
  return self->base_url;
}

void
sb_sandbox_service_set_delta_lifetime (SbSandboxService *self, gint64 seconds)
{
  self->delta_lifetime = seconds;
}

SbSandboxStore *
sb_sandbox_service_get_store (SbSandboxService *self)
{
  return self->store;
}

gboolean
sb_sandbox_split_url (const char *url, char **out_path, char **out_query)
{
  g_autofree char *rel = sb_batch_url_relative (url, "/" SB_API_VERSION_PATH);
  const char *q;

  if (rel == NULL)
    {
      /* Clients may address v9.0/v9.1 too; the sandbox serves them alike. */
      const char *p = strstr (url, "/api/data/v9.");

      if (p == NULL)
        return FALSE;
      p = strchr (p + strlen ("/api/data/v9."), '/');
      if (p == NULL)
        return FALSE;
      rel = g_strdup (p + 1);
    }
  q = strchr (rel, '?');
  if (out_path != NULL)
    {
      g_autofree char *raw = q ? g_strndup (rel, q - rel) : g_strdup (rel);

      *out_path = g_uri_unescape_string (raw, NULL);
      if (*out_path == NULL)
        *out_path = g_strdup (raw);
    }
  if (out_query != NULL)
    *out_query = q ? g_strdup (q + 1) : NULL;
  return TRUE;
}
