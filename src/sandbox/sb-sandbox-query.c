/* sb-sandbox-query.c: reads of the sandbox's Web API: rows, collections, paging, $expand,
 * formatted values and change tracking.
 *
 * Follows Microsoft's "Query data using the Web API", "Page results", "Use change tracking to
 * synchronize data" and ../shared/reference/dataverse-web-api.md ("Queries", "Change tracking").
 *
 * Paging is keyset paging: the opaque $skiptoken carries the sort-key values and the id of the
 * last row of the page, and the next page starts strictly after them. Unlike an offset, that
 * keeps every row that existed when paging started on exactly one page while other rows are
 * inserted or deleted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-service-private.h"

#include <stdio.h>
#include <string.h>

#include "sb-odata-query.h"

#define CODE_BAD_QUERY "0x80060888"
#define CODE_NOT_FOUND "0x80040217"
#define CODE_SEGMENT "0x8006088a"
#define CODE_DELTA "0x80044352"

#define FORMATTED "@OData.Community.Display.V1.FormattedValue"
#define LOOKUPNAME "@Microsoft.Dynamics.CRM.lookuplogicalname"
#define NAVPROPERTY "@Microsoft.Dynamics.CRM.associatednavigationproperty"

/* ---- attribute resolution for S2's compiler ---- */

static SbODataType
odata_type (const SbAttr *attr)
{
  switch (attr->type)
    {
      case SB_ATTR_INT:
      case SB_ATTR_BIGINT:
      case SB_ATTR_CHOICE:
        return SB_ODATA_TYPE_INTEGER;
      case SB_ATTR_DECIMAL:
      case SB_ATTR_MONEY:
        return SB_ODATA_TYPE_DECIMAL;
      case SB_ATTR_DOUBLE:
        return SB_ODATA_TYPE_DOUBLE;
      case SB_ATTR_BOOL:
        return SB_ODATA_TYPE_BOOLEAN;
      case SB_ATTR_GUID:
      case SB_ATTR_LOOKUP:
        return SB_ODATA_TYPE_GUID;
      case SB_ATTR_DATETIME:
        return SB_ODATA_TYPE_DATETIME;
      case SB_ATTR_DATE:
        return SB_ODATA_TYPE_DATE;
      default:
        return SB_ODATA_TYPE_STRING;
    }
}

static gboolean
resolve_attr (const char *attribute, SbODataType *out_type, char **out_sql, gpointer user_data)
{
  const SbTable *table = user_data;
  const SbAttr *attr = sb_table_property (table, attribute);

  if (attr == NULL)
    return FALSE;
  *out_type = odata_type (attr);
  if (g_str_equal (attr->name, table->pk))
    *out_sql = g_strdup ("id");
  else
    *out_sql = g_strdup_printf ("json_extract(data, '%s')", attr->json_path);
  return TRUE;
}

char **
sb_sandbox_service_parse_select (SbSandboxService *self, const SbTable *table, const char *text,
                                 SbApiError **error)
{
  g_autoptr (GError) local = NULL;
  char **select;

  if (text == NULL)
    return NULL;
  select = sb_odata_select_parse (text, table->name, resolve_attr, (gpointer) table, &local);
  if (select == NULL)
    sb_api_error_set (error, 400, "0x0", "%s", local->message);
  return select;
}

char *
sb_sandbox_service_context_url (SbSandboxService *self, const SbTable *table, char **select,
                                const char *suffix)
{
  g_autoptr (GString) url = g_string_new (self->api_root);

  g_string_append_printf (url, "$metadata#%s", table->set);
  if (select != NULL)
    {
      g_autofree char *joined = g_strjoinv (",", select);

      g_string_append_printf (url, "(%s)", joined);
    }
  if (suffix != NULL)
    g_string_append (url, suffix);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

/* ---- formatted values ---- */

static char *
group_digits (const char *digits)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_number (double value, int decimals)
{
  char buf[64];
  g_autofree char *grouped = NULL;
  const char *dot;
  gboolean negative = value < 0;

  g_ascii_formatd (buf, sizeof buf,
                   decimals == 0   ? "%.0f"
                   : decimals == 2 ? "%.2f"
                                   : "%.4f",
                   negative ? -value : value);
  dot = strchr (buf, '.');
  {
    g_autofree char *int_part = dot ? g_strndup (buf, dot - buf) : g_strdup (buf);

    grouped = group_digits (int_part);
  }
  return g_strdup_printf ("%s%s%s", negative ? "-" : "", grouped, dot ? dot : "");
}

static char *
format_datetime (const char *value, gboolean date_only)
{
  int y, mo, d, h = 0, mi = 0;

  if (sscanf (value, "%d-%d-%d", &y, &mo, &d) != 3)
    return g_strdup (value);
  if (date_only || sscanf (value + 10, "T%d:%d", &h, &mi) != 2)
    return g_strdup_printf ("%d/%d/%d", mo, d, y);
  return g_strdup_printf ("%d/%d/%d %d:%02d %s", mo, d, y, h % 12 == 0 ? 12 : h % 12, mi,
                          h < 12 ? "AM" : "PM");
}

static const char *
cached_name (SbSandboxService *self, GHashTable *cache, const char *table_name, const char *id)
{
  g_autofree char *key = g_strdup_printf ("%s:%s", table_name, id);
  const SbTable *table;
  char *name;

  if (g_hash_table_lookup_extended (cache, key, NULL, (gpointer *) &name))
    return name;
  table = sb_sandbox_schema_table (table_name);
  name = NULL;
  if (table != NULL)
    {
      g_autoptr (JsonObject) row = sb_sandbox_store_get (self->store, table, id, NULL);
      const SbAttr *attr = sb_table_attr (table, table->primary_name);

      if (row != NULL && attr != NULL && json_object_has_member (row, attr->property) &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (row, attr->property)))
        name = g_strdup (json_object_get_string_member (row, attr->property));
      if (row != NULL && g_str_equal (table_name, "transactioncurrency"))
        {
          g_autofree char *sym_key = g_strdup_printf ("symbol:%s", id);
          const char *sym =
              json_object_has_member (row, "currencysymbol") &&
                      JSON_NODE_HOLDS_VALUE (json_object_get_member (row, "currencysymbol"))
                  ? json_object_get_string_member (row, "currencysymbol")
                  : "";

          g_hash_table_insert (cache, g_steal_pointer (&sym_key), g_strdup (sym));
        }
    }
  g_hash_table_insert (cache, g_steal_pointer (&key), name);
  return name;
}

static const char *
currency_symbol (SbSandboxService *self, GHashTable *cache, JsonObject *row)
{
  g_autofree char *key = NULL;
  const char *currency;
  JsonNode *node = json_object_get_member (row, "_transactioncurrencyid_value");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return "";
  currency = json_node_get_string (node);
  key = g_strdup_printf ("symbol:%s", currency);
  if (!g_hash_table_contains (cache, key))
    cached_name (self, cache, "transactioncurrency", currency);
  return g_hash_table_lookup (cache, key) ? g_hash_table_lookup (cache, key) : "";
}

static char *
formatted_value (SbSandboxService *self, const SbAttr *attr, JsonNode *node, JsonObject *row,
                 GHashTable *cache)
{
  GType vt = json_node_get_value_type (node);
  double d = vt == G_TYPE_INT64    ? (double) json_node_get_int (node)
             : vt == G_TYPE_DOUBLE ? json_node_get_double (node)
                                   : 0;

  switch (attr->type)
    {
      case SB_ATTR_CHOICE:
        {
          const SbOption *opt = sb_option_set_find (attr->options, (int) json_node_get_int (node));

          return opt ? g_strdup (opt->label) : NULL;
        }
      case SB_ATTR_BOOL:
        return g_strdup (json_node_get_boolean (node) ? "Yes" : "No");
      case SB_ATTR_MONEY:
        {
          g_autofree char *n = format_number (d < 0 ? -d : d, 2);

          return g_strdup_printf ("%s%s%s", d < 0 ? "-" : "", currency_symbol (self, cache, row),
                                  n);
        }
      case SB_ATTR_DECIMAL:
      case SB_ATTR_DOUBLE:
        return format_number (d, 2);
      case SB_ATTR_INT:
        return format_number (d, 0);
      case SB_ATTR_DATETIME:
        return format_datetime (json_node_get_string (node), FALSE);
      case SB_ATTR_DATE:
        return format_datetime (json_node_get_string (node), TRUE);
      default:
        return NULL;
    }
}

static void
add_property (SbSandboxService *self, const SbTable *table, const SbAttr *attr, JsonObject *row,
              JsonObject *out, const SbPrefer *prefer, GHashTable *cache)
{
  JsonNode *node = json_object_get_member (row, attr->property);
  gboolean has_value = node != NULL && JSON_NODE_HOLDS_VALUE (node);

  if (has_value && attr->type == SB_ATTR_LOOKUP)
    {
      g_autofree char *lk_key = g_strdup_printf ("%s@lk", attr->property);
      const char *target = json_object_has_member (row, lk_key)
                               ? json_object_get_string_member (row, lk_key)
                               : attr->targets[0];

      if (prefer->formatted)
        {
          const char *name = cached_name (self, cache, target, json_node_get_string (node));
          g_autofree char *member = g_strconcat (attr->property, FORMATTED, NULL);

          if (name != NULL)
            json_object_set_string_member (out, member, name);
        }
      if (prefer->navproperty)
        {
          const SbNav *nav = sb_table_nav_for (table, attr, target);
          g_autofree char *member = g_strconcat (attr->property, NAVPROPERTY, NULL);

          if (nav != NULL)
            json_object_set_string_member (out, member, nav->name);
        }
      if (prefer->lookupname)
        {
          g_autofree char *member = g_strconcat (attr->property, LOOKUPNAME, NULL);

          json_object_set_string_member (out, member, target);
        }
    }
  else if (has_value && prefer->formatted)
    {
      g_autofree char *text = formatted_value (self, attr, node, row, cache);

      if (text != NULL)
        {
          g_autofree char *member = g_strconcat (attr->property, FORMATTED, NULL);

          json_object_set_string_member (out, member, text);
        }
    }
  if (node != NULL)
    json_object_set_member (out, attr->property, json_node_copy (node));
  else
    json_object_set_null_member (out, attr->property);
}

JsonObject *
sb_sandbox_service_format_row (SbSandboxService *self, const SbTable *table, JsonObject *row,
                               gint64 version, char **select, const SbPrefer *prefer,
                               GHashTable *cache)
{
  JsonObject *out = json_object_new ();
  g_autofree char *etag = g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);

  json_object_set_string_member (out, "@odata.etag", etag);
  if (select != NULL)
    {
      gboolean has_pk = FALSE;

      for (guint i = 0; select[i] != NULL; i++)
        {
          const SbAttr *attr = sb_table_property (table, select[i]);

          if (attr == NULL)
            continue;
          has_pk |= g_str_equal (attr->name, table->pk);
          add_property (self, table, attr, row, out, prefer, cache);
        }
      if (!has_pk)
        add_property (self, table, sb_table_attr (table, table->pk), row, out, prefer, cache);
    }
  else
    {
      for (guint i = 0; i < table->attrs->len; i++)
        add_property (self, table, g_ptr_array_index (table->attrs, i), row, out, prefer, cache);
    }
  return out;
}

/* ---- $expand ---- */

typedef struct
{
  char *name;
  char **select;
  int top;
  const SbNav *nav;
  const SbCollectionNav *cnav;
  char *where;       /* compiled $filter of a 1:N expand, or NULL */
  GPtrArray *params; /* its parameters */
  char *order;       /* compiled $orderby of a 1:N expand, or NULL */
} Expand;

static void
expand_free (gpointer data)
{
  Expand *e = data;

  g_free (e->name);
  g_strfreev (e->select);
  g_free (e->where);
  g_free (e->order);
  g_clear_pointer (&e->params, g_ptr_array_unref);
  g_free (e);
}

static GPtrArray *
parse_expand (SbSandboxService *self, const SbTable *table, const char *text, SbApiError **error)
{
  g_autoptr (GPtrArray) items = sb_sandbox_split_top_level (text, ',', '\'');
  g_autoptr (GPtrArray) result = g_ptr_array_new_with_free_func (expand_free);

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *open = strchr (item, '(');
      Expand *e = g_new0 (Expand, 1);
      const SbTable *target;

      g_ptr_array_add (result, e);
      e->name = open ? g_strndup (item, open - item) : g_strdup (item);
      g_strstrip (e->name);
      e->top = -1;
      e->nav = sb_table_nav (table, e->name);
      e->cnav = e->nav ? NULL : sb_sandbox_service_collection_nav (self, table, e->name);
      if (e->nav == NULL && e->cnav == NULL)
        {
          sb_api_error_set (error, 400, "0x0",
                            "Could not find a property named '%s' on type "
                            "'Microsoft.Dynamics.CRM.%s'.",
                            e->name, table->name);
          return NULL;
        }
      target = sb_sandbox_service_table (self, e->nav ? e->nav->target : e->cnav->target);
      if (open != NULL)
        {
          g_autofree char *inner = NULL;
          g_autoptr (GPtrArray) opts = NULL;
          const char *close = strrchr (item, ')');

          if (close == NULL || close < open)
            {
              sb_api_error_set (error, 400, "0x0", "The $expand option '%s' is not valid.", item);
              return NULL;
            }
          inner = g_strndup (open + 1, close - open - 1);
          opts = sb_sandbox_split_top_level (inner, ';', '\'');
          for (guint j = 0; j < opts->len; j++)
            {
              const char *opt = g_ptr_array_index (opts, j);

              if (g_str_has_prefix (opt, "$select="))
                {
                  e->select = sb_sandbox_service_parse_select (self, target, opt + 8, error);
                  if (e->select == NULL)
                    return NULL;
                }
              else if (g_str_has_prefix (opt, "$filter=") && e->cnav != NULL &&
                       e->cnav->via != NULL)
                {
                  g_autoptr (GError) local = NULL;
                  g_autoptr (SbODataFilter) f = sb_odata_filter_parse (opt + 8, &local);

                  e->params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
                  if (f != NULL)
                    e->where = sb_odata_filter_to_sql (f, target->name, resolve_attr,
                                                       (gpointer) target, e->params, &local);
                  if (e->where == NULL)
                    {
                      sb_api_error_set (error, 400, "0x0", "%s", local->message);
                      return NULL;
                    }
                }
              else if (g_str_has_prefix (opt, "$orderby=") && e->cnav != NULL &&
                       e->cnav->via != NULL)
                {
                  g_autoptr (GError) local = NULL;

                  e->order = sb_odata_orderby_to_sql (opt + 9, target->name, resolve_attr,
                                                      (gpointer) target, &local);
                  if (e->order == NULL)
                    {
                      sb_api_error_set (error, 400, "0x0", "%s", local->message);
                      return NULL;
                    }
                }
              else if (g_str_has_prefix (opt, "$top=") && e->cnav != NULL)
                e->top = (int) g_ascii_strtoll (opt + 5, NULL, 10);
              else
                {
                  sb_api_error_set (error, 400, "0x0",
                                    "The query option '%s' inside $expand is not supported by "
                                    "salesbridge-sandbox; use $select (and $filter, $orderby, "
                                    "$top on one-to-many collections).",
                                    opt);
                  return NULL;
                }
            }
        }
    }
  return g_steal_pointer (&result);
}

static GPtrArray *
related_ids (SbSandboxService *self, const SbTable *target, const SbCollectionNav *cnav,
             const char *id, Expand *e)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_string_printf (sql, "SELECT id FROM t_%s WHERE json_extract(data, '$._%s_value') = ?",
                   target->name, cnav->via);
  if (e->where != NULL)
    g_string_append_printf (sql, " AND (%s)", e->where);
  g_string_append_printf (sql, " ORDER BY %s%sid", e->order ? e->order : "", e->order ? ", " : "");
  if (sqlite3_prepare_v2 (sb_sandbox_store_get_db (self->store), sql->str, -1, &stmt, NULL) !=
      SQLITE_OK)
    return ids;
  sqlite3_bind_text (stmt, ++n, id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; e->params != NULL && i < e->params->len; i++)
    sb_sandbox_bind_variant (stmt, ++n, g_ptr_array_index (e->params, i));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

static JsonArray *
related_rows (SbSandboxService *self, const SbTable *table, const char *id,
              const SbCollectionNav *cnav, char **select, int top, const SbPrefer *prefer,
              GHashTable *cache, Expand *e)
{
  const SbTable *target = sb_sandbox_service_table (self, cnav->target);
  JsonArray *array = json_array_new ();
  g_autoptr (GPtrArray) ids = NULL;

  if (cnav->intersect != NULL)
    ids = sb_sandbox_store_associated (self->store, cnav->intersect, id);
  else if (e != NULL && (e->where != NULL || e->order != NULL))
    ids = related_ids (self, target, cnav, id, e);
  else
    {
      g_autofree char *property = g_strdup_printf ("_%s_value", cnav->via);

      ids = sb_sandbox_store_find_all (self->store, target, property, id);
    }
  for (guint i = 0; i < ids->len && (top < 0 || (int) i < top); i++)
    {
      gint64 version = 0;
      g_autoptr (JsonObject) row =
          sb_sandbox_store_get (self->store, target, g_ptr_array_index (ids, i), &version);

      if (row != NULL)
        json_array_add_object_element (
            array,
            sb_sandbox_service_format_row (self, target, row, version, select, prefer, cache));
    }
  return array;
}

static void
apply_expand (SbSandboxService *self, const SbTable *table, JsonObject *row, JsonObject *out,
              GPtrArray *expands, const SbPrefer *prefer, GHashTable *cache)
{
  for (guint i = 0; expands != NULL && i < expands->len; i++)
    {
      Expand *e = g_ptr_array_index (expands, i);

      if (e->nav != NULL)
        {
          g_autofree char *lk_key = g_strdup_printf ("%s@lk", e->nav->attr->property);
          JsonNode *node = json_object_get_member (row, e->nav->attr->property);
          const SbTable *target = sb_sandbox_schema_table (e->nav->target);
          g_autoptr (JsonObject) related = NULL;
          gint64 version = 0;

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              g_strcmp0 (json_object_has_member (row, lk_key)
                             ? json_object_get_string_member (row, lk_key)
                             : e->nav->target,
                         e->nav->target) == 0)
            related =
                sb_sandbox_store_get (self->store, target, json_node_get_string (node), &version);
          if (related != NULL)
            json_object_set_object_member (out, e->name,
                                           sb_sandbox_service_format_row (self, target, related,
                                                                          version, e->select,
                                                                          prefer, cache));
          else
            json_object_set_null_member (out, e->name);
        }
      else
        {
          const char *id = json_object_get_string_member (row, table->pk);

          json_object_set_array_member (
              out, e->name,
              related_rows (self, table, id, e->cnav, e->select, e->top, prefer, cache, e));
        }
    }
}

/* ---- helpers ---- */

static char *
base64url_encode (const char *text)
{
  char *b64 = g_base64_encode ((const guchar *) text, strlen (text));

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  g_strdelimit (b64, "=", '.');
  return b64;
}

static char *
base64url_decode (const char *text)
{
  g_autofree char *b64 = g_strdup (text);
  gsize len = 0;
  guchar *raw;

  for (char *p = b64; *p; p++)
    {
      if (*p == '-')
        *p = '+';
      else if (*p == '_')
        *p = '/';
      else if (*p == '.')
        *p = '=';
      else if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        return NULL;
    }
  raw = g_base64_decode (b64, &len);
  if (raw == NULL || !g_utf8_validate ((const char *) raw, len, NULL))
    {
      g_free (raw);
      return NULL;
    }
  raw = g_realloc (raw, len + 1);
  raw[len] = '\0';
  return (char *) raw;
}

/* The raw query without $skiptoken, to build the next link from. */
static char *
query_without (const char *raw_query, const char *const *drop)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) pairs = raw_query ? g_strsplit (raw_query, "&", -1) : g_new0 (char *, 1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      gboolean skip = FALSE;

      if (*pairs[i] == '\0')
        continue;
      for (guint j = 0; drop[j] != NULL; j++)
        {
          g_autofree char *name = g_uri_unescape_segment (pairs[i], strchr (pairs[i], '='), NULL);

          if (name != NULL && g_str_equal (name, drop[j]))
            skip = TRUE;
        }
      if (skip)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append (out, pairs[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
link_with (SbSandboxService *self, const SbTable *table, const char *raw_query,
           const char *const *drop, const char *name, const char *value)
{
  g_autofree char *rest = query_without (raw_query, drop);
  g_autofree char *escaped = g_uri_escape_string (value, NULL, TRUE);

  return g_strdup_printf ("%s%s?%s%s%s=%s", self->api_root, table->set, rest, *rest ? "&" : "",
                          name, escaped);
}

static char *
delta_mac (SbSandboxService *self, const SbTable *table, gint64 rv, gint64 issued)
{
  g_autofree char *data =
      g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT, table->name, rv, issued);
  g_autofree char *mac = g_compute_hmac_for_string (
      G_CHECKSUM_SHA256, (const guchar *) self->secret, strlen (self->secret), data, -1);

  mac[16] = '\0';
  return g_strdup (mac);
}

static char *
delta_token (SbSandboxService *self, const SbTable *table, gint64 rv)
{
  gint64 issued = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *mac = delta_mac (self, table, rv, issued);

  return g_strdup_printf ("%" G_GINT64_FORMAT "!%" G_GINT64_FORMAT "!%s", rv, issued, mac);
}

static gboolean
delta_token_parse (SbSandboxService *self, const SbTable *table, const char *token, gint64 *out_rv,
                   SbApiError **error)
{
  g_auto (GStrv) parts = g_strsplit (token, "!", -1);
  gint64 rv, issued;
  g_autofree char *mac = NULL;
  char *end;

  if (g_strv_length (parts) != 3)
    goto invalid;
  rv = g_ascii_strtoll (parts[0], &end, 10);
  if (*end != '\0' || *parts[0] == '\0')
    goto invalid;
  issued = g_ascii_strtoll (parts[1], &end, 10);
  if (*end != '\0' || *parts[1] == '\0')
    goto invalid;
  mac = delta_mac (self, table, rv, issued);
  if (!g_str_equal (mac, parts[2]) || rv > sb_sandbox_store_current_version (self->store))
    goto invalid;
  if (g_get_real_time () / G_USEC_PER_SEC - issued > self->delta_lifetime)
    {
      sb_api_error_set (error, 400, CODE_DELTA,
                        "Version stamp associated with the client has expired. Please perform a "
                        "full sync.");
      return FALSE;
    }
  *out_rv = rv;
  return TRUE;

invalid:
  sb_api_error_set (error, 400, CODE_DELTA,
                    "The delta token '%s' is not valid for %s. Please perform a full sync.", token,
                    table->set);
  return FALSE;
}

static void
bind_params (sqlite3_stmt *stmt, GPtrArray *params)
{
  for (guint i = 0; i < params->len; i++)
    sb_sandbox_bind_variant (stmt, i + 1, g_ptr_array_index (params, i));
}

static SbSandboxResponse *
json_response (JsonObject *object)
{
  SbSandboxResponse *response = sb_sandbox_response_new (200);
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  sb_sandbox_response_set_json (response, node);
  return response;
}

static void
add_preference_applied (SbSandboxResponse *response, const SbPrefer *prefer, gboolean paged)
{
  if (prefer->annotations != NULL)
    {
      g_autofree char *value =
          g_strdup_printf ("odata.include-annotations=%s", prefer->annotations);

      soup_message_headers_append (response->headers, "Preference-Applied", value);
    }
  if (paged && prefer->maxpagesize > 0)
    {
      g_autofree char *value = g_strdup_printf ("odata.maxpagesize=%d", prefer->maxpagesize);

      soup_message_headers_append (response->headers, "Preference-Applied", value);
    }
}

/* ---- single rows ---- */

SbSandboxResponse *
sb_sandbox_service_get_row (SbSandboxService *self, const SbTable *table, const char *id,
                            SbSandboxRequest *request)
{
  SbQueryOptions opts = { 0 };
  g_autoptr (SbApiError) error = NULL;
  g_auto (GStrv) select = NULL;
  g_autoptr (GPtrArray) expands = NULL;
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) out = NULL;
  g_autofree char *context = NULL;
  g_autofree char *etag = NULL;
  SbSandboxResponse *response = NULL;
  SbPrefer prefer;
  gint64 version = 0;

  sb_prefer_parse (&prefer, request->headers);
  if (!sb_query_options_parse (&opts, request->query, &error))
    goto out;
  if (sb_query_option (&opts, "$filter") || sb_query_option (&opts, "$orderby") ||
      sb_query_option (&opts, "$top") || sb_query_option (&opts, "$skiptoken"))
    {
      sb_api_error_set (&error, 400, CODE_BAD_QUERY,
                        "Query options $filter, $orderby, $top and $skiptoken apply to "
                        "collections, not to a single record.");
      goto out;
    }
  if (sb_query_option (&opts, "$select") &&
      (select = sb_sandbox_service_parse_select (self, table, sb_query_option (&opts, "$select"),
                                                 &error)) == NULL)
    goto out;
  if (sb_query_option (&opts, "$expand") &&
      (expands = parse_expand (self, table, sb_query_option (&opts, "$expand"), &error)) == NULL)
    goto out;
  row = sb_sandbox_store_get (self->store, table, id, &version);
  if (row == NULL)
    {
      sb_api_error_set (&error, 404, CODE_NOT_FOUND, "%s With Id = %s Does Not Exist", table->name,
                        id);
      goto out;
    }
  out = sb_sandbox_service_format_row (self, table, row, version, select, &prefer, cache);
  apply_expand (self, table, row, out, expands, &prefer, cache);
  context = sb_sandbox_service_context_url (self, table, select, "/$entity");
  /* @odata.context comes first in Dataverse's responses. */
  {
    g_autoptr (JsonObject) ordered = json_object_new ();
    JsonObjectIter iter;
    const char *member;
    JsonNode *node;

    json_object_set_string_member (ordered, "@odata.context", context);
    json_object_iter_init_ordered (&iter, out);
    while (json_object_iter_next_ordered (&iter, &member, &node))
      json_object_set_member (ordered, member, json_node_copy (node));
    response = json_response (ordered);
  }
  etag = g_strdup_printf ("W/\"%" G_GINT64_FORMAT "\"", version);
  soup_message_headers_replace (response->headers, "ETag", etag);
  add_preference_applied (response, &prefer, FALSE);

out:
  sb_query_options_clear (&opts);
  sb_prefer_clear (&prefer);
  return response ? response : sb_api_error_to_response (error);
}

SbSandboxResponse *
sb_sandbox_service_get_related (SbSandboxService *self, const SbTable *table, const char *id,
                                const char *nav_name, SbSandboxRequest *request)
{
  g_autoptr (JsonObject) row = sb_sandbox_store_get (self->store, table, id, NULL);
  const SbNav *nav = sb_table_nav (table, nav_name);
  const SbCollectionNav *cnav = sb_sandbox_service_collection_nav (self, table, nav_name);
  const SbAttr *attr = sb_table_property (table, nav_name);

  if (row == NULL)
    return sb_sandbox_response_new_error (404, CODE_NOT_FOUND, "%s With Id = %s Does Not Exist",
                                          table->name, id);
  if (nav != NULL)
    {
      g_autofree char *lk_key = g_strdup_printf ("%s@lk", nav->attr->property);
      JsonNode *node = json_object_get_member (row, nav->attr->property);
      const char *target = json_object_has_member (row, lk_key)
                               ? json_object_get_string_member (row, lk_key)
                               : nav->target;

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || g_strcmp0 (target, nav->target) != 0)
        return sb_sandbox_response_new (204);
      return sb_sandbox_service_get_row (self, sb_sandbox_schema_table (nav->target),
                                         json_node_get_string (node), request);
    }
  if (cnav != NULL)
    {
      const SbTable *target = sb_sandbox_service_table (self, cnav->target);
      SbQueryOptions opts = { 0 };
      g_autoptr (SbApiError) error = NULL;
      g_auto (GStrv) select = NULL;
      g_autoptr (GHashTable) cache =
          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr (JsonObject) out = json_object_new ();
      g_autofree char *context = NULL;
      SbPrefer prefer;
      SbSandboxResponse *response;

      if (!sb_query_options_parse (&opts, request->query, &error))
        return sb_api_error_to_response (error);
      if (sb_query_option (&opts, "$select") &&
          (select = sb_sandbox_service_parse_select (
               self, target, sb_query_option (&opts, "$select"), &error)) == NULL)
        {
          sb_query_options_clear (&opts);
          return sb_api_error_to_response (error);
        }
      sb_query_options_clear (&opts);
      sb_prefer_parse (&prefer, request->headers);
      context = sb_sandbox_service_context_url (self, target, select, NULL);
      json_object_set_string_member (out, "@odata.context", context);
      json_object_set_array_member (
          out, "value", related_rows (self, table, id, cnav, select, -1, &prefer, cache, NULL));
      response = json_response (out);
      sb_prefer_clear (&prefer);
      return response;
    }
  if (attr != NULL)
    {
      g_autoptr (JsonObject) out = json_object_new ();
      g_autofree char *context =
          g_strdup_printf ("%s$metadata#%s(%s)/%s", self->api_root, table->set, id, nav_name);
      JsonNode *node = json_object_get_member (row, attr->property);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        return sb_sandbox_response_new (204);
      json_object_set_string_member (out, "@odata.context", context);
      json_object_set_member (out, "value", json_node_copy (node));
      return json_response (out);
    }
  return sb_sandbox_response_new_error (404, CODE_SEGMENT,
                                        "Resource not found for the segment '%s'.", nav_name);
}

/* ---- collections ---- */

typedef struct
{
  char *expr; /* SQL expression, with COLLATE when strings */
  gboolean desc;
} SortKey;

static void
sort_key_free (gpointer data)
{
  SortKey *k = data;

  g_free (k->expr);
  g_free (k);
}

static GPtrArray *
parse_orderby (const SbTable *table, const char *text, SbApiError **error)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (sort_key_free);
  g_autoptr (GPtrArray) items = NULL;

  if (text == NULL)
    return g_steal_pointer (&keys);
  items = sb_sandbox_split_top_level (text, ',', '\'');
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr (GError) local = NULL;
      g_autofree char *sql = sb_odata_orderby_to_sql (g_ptr_array_index (items, i), table->name,
                                                      resolve_attr, (gpointer) table, &local);
      SortKey *key;
      gsize len;

      if (sql == NULL)
        {
          sb_api_error_set (error, 400, "0x0", "%s", local->message);
          return NULL;
        }
      g_strstrip (sql);
      len = strlen (sql);
      key = g_new0 (SortKey, 1);
      if (len > 5 && g_ascii_strcasecmp (sql + len - 5, " DESC") == 0)
        {
          key->desc = TRUE;
          key->expr = g_strndup (sql, len - 5);
        }
      else if (len > 4 && g_ascii_strcasecmp (sql + len - 4, " ASC") == 0)
        key->expr = g_strndup (sql, len - 4);
      else
        key->expr = g_strdup (sql);
      g_ptr_array_add (keys, key);
    }
  return g_steal_pointer (&keys);
}

static GVariant *
json_to_variant (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_INT64:
        return g_variant_ref_sink (g_variant_new_int64 (json_node_get_int (node)));
      case G_TYPE_DOUBLE:
        return g_variant_ref_sink (g_variant_new_double (json_node_get_double (node)));
      case G_TYPE_STRING:
        return g_variant_ref_sink (g_variant_new_string (json_node_get_string (node)));
      case G_TYPE_BOOLEAN:
        return g_variant_ref_sink (g_variant_new_int64 (json_node_get_boolean (node)));
      default:
        return NULL;
    }
}

/* (k1 > v1) OR (k1 = v1 AND k2 > v2) OR … honouring direction and SQLite's NULL order (first
 * when ascending, last when descending). */
static char *
keyset_sql (GPtrArray *keys, JsonArray *values, const char *last_id, GPtrArray *params)
{
  g_autoptr (GString) sql = g_string_new ("(");
  guint n = keys->len;

  for (guint i = 0; i <= n; i++)
    {
      g_autoptr (GString) term = g_string_new (NULL);

      for (guint j = 0; j < i; j++)
        {
          SortKey *k = g_ptr_array_index (keys, j);
          JsonNode *v = json_array_get_element (values, j);

          if (term->len)
            g_string_append (term, " AND ");
          if (JSON_NODE_HOLDS_NULL (v))
            g_string_append_printf (term, "(%s) IS NULL", k->expr);
          else
            {
              g_string_append_printf (term, "(%s) = ?", k->expr);
              g_ptr_array_add (params, json_to_variant (v));
            }
        }
      if (term->len)
        g_string_append (term, " AND ");
      if (i == n)
        {
          g_string_append (term, "id > ?");
          g_ptr_array_add (params, g_variant_ref_sink (g_variant_new_string (last_id)));
        }
      else
        {
          SortKey *k = g_ptr_array_index (keys, i);
          JsonNode *v = json_array_get_element (values, i);

          if (JSON_NODE_HOLDS_NULL (v))
            g_string_append_printf (term, k->desc ? "0" : "(%s) IS NOT NULL", k->expr);
          else
            {
              if (k->desc)
                g_string_append_printf (term, "((%s) < ? OR (%s) IS NULL)", k->expr, k->expr);
              else
                g_string_append_printf (term, "(%s) > ?", k->expr);
              g_ptr_array_add (params, json_to_variant (v));
            }
        }
      g_string_append_printf (sql, "%s(%s)", i ? " OR " : "", term->str);
    }
  g_string_append_c (sql, ')');
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static JsonNode *
column_to_json (sqlite3_stmt *stmt, int col)
{
  JsonNode *node;

  switch (sqlite3_column_type (stmt, col))
    {
      case SQLITE_INTEGER:
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_int (node, sqlite3_column_int64 (stmt, col));
        return node;
      case SQLITE_FLOAT:
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_double (node, sqlite3_column_double (stmt, col));
        return node;
      case SQLITE_TEXT:
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, (const char *) sqlite3_column_text (stmt, col));
        return node;
      default:
        return json_node_new (JSON_NODE_NULL);
    }
}

/* The row as far as @projection (stored property names) goes, from result columns. */
static JsonObject *
projected_row (const SbTable *table, sqlite3_stmt *stmt, int first, GPtrArray *projection)
{
  JsonObject *row = json_object_new ();

  for (guint i = 0; i < projection->len; i++)
    {
      const char *property = g_ptr_array_index (projection, i);
      const SbAttr *attr = sb_table_property (table, property);
      int col = first + (int) i;

      if (i == 0)
        {
          /* the primary key is the id column */
          json_object_set_string_member (row, property,
                                         (const char *) sqlite3_column_text (stmt, 0));
          continue;
        }
      switch (sqlite3_column_type (stmt, col))
        {
          case SQLITE_INTEGER:
            if (attr != NULL && attr->type == SB_ATTR_BOOL)
              json_object_set_boolean_member (row, property, sqlite3_column_int (stmt, col) != 0);
            else
              json_object_set_int_member (row, property, sqlite3_column_int64 (stmt, col));
            break;
          case SQLITE_FLOAT:
            json_object_set_double_member (row, property, sqlite3_column_double (stmt, col));
            break;
          case SQLITE_TEXT:
            json_object_set_string_member (row, property,
                                           (const char *) sqlite3_column_text (stmt, col));
            break;
          default:
            json_object_set_null_member (row, property);
        }
    }
  return row;
}

static sqlite3_stmt *
prepare (SbSandboxService *self, const char *sql, GPtrArray *params, SbApiError **error)
{
  sqlite3 *db = sb_sandbox_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sb_api_error_set (error, 400, CODE_BAD_QUERY, "The query cannot be run: %s",
                        sqlite3_errmsg (db));
      return NULL;
    }
  if (params != NULL)
    bind_params (stmt, params);
  return stmt;
}

static char *
skiptoken_for (JsonArray *values, const char *id, gint64 snapshot)
{
  g_autoptr (JsonObject) token = json_object_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_array_member (token, "k", json_array_ref (values));
  json_object_set_string_member (token, "i", id);
  json_object_set_int_member (token, "s", snapshot);
  node = json_node_init_object (json_node_alloc (), token);
  text = json_to_string (node, FALSE);
  return base64url_encode (text);
}

static SbSandboxResponse *
delta_read (SbSandboxService *self, const SbTable *table, SbSandboxRequest *request,
            SbQueryOptions *opts, SbPrefer *prefer, char **select)
{
  g_autoptr (SbApiError) error = NULL;
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (JsonObject) out = json_object_new ();
  JsonArray *value = json_array_new ();
  const char *skip = sb_query_option (opts, "$skiptoken");
  int page = prefer->maxpagesize > 0 ? prefer->maxpagesize : SB_MAX_PAGE_SIZE;
  gint64 since = 0, snapshot = sb_sandbox_store_current_version (self->store), after = 0;
  g_autofree char *sql = NULL;
  g_autofree char *context = NULL;
  sqlite3_stmt *stmt;
  int n = 0;
  gint64 last_rv = 0;
  gboolean more = FALSE;
  SbSandboxResponse *response;

  if (!delta_token_parse (self, table, sb_query_option (opts, "$deltatoken"), &since, &error))
    {
      json_array_unref (value);
      return sb_api_error_to_response (error);
    }
  if (skip != NULL)
    {
      g_autofree char *text = base64url_decode (skip);
      g_auto (GStrv) parts = text ? g_strsplit (text, ":", 2) : NULL;

      if (parts == NULL || g_strv_length (parts) != 2)
        {
          json_array_unref (value);
          return sb_sandbox_response_new_error (400, CODE_BAD_QUERY,
                                                "The $skiptoken is not valid.");
        }
      after = g_ascii_strtoll (parts[0], NULL, 10);
      snapshot = g_ascii_strtoll (parts[1], NULL, 10);
    }

  sql = g_strdup_printf ("SELECT id, rv, data FROM t_%s WHERE rv > ? AND rv > ? ORDER BY rv "
                         "LIMIT ?",
                         table->name);
  stmt = prepare (self, sql, NULL, &error);
  if (stmt == NULL)
    {
      json_array_unref (value);
      return sb_api_error_to_response (error);
    }
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int (stmt, 3, page + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) row = NULL;

      if (n == page)
        {
          more = TRUE;
          break;
        }
      row = sb_sandbox_store_parse_row (self->store, (const char *) sqlite3_column_text (stmt, 2));
      last_rv = sqlite3_column_int64 (stmt, 1);
      if (row != NULL)
        json_array_add_object_element (
            value,
            sb_sandbox_service_format_row (self, table, row, last_rv, select, prefer, cache));
      n++;
    }
  sqlite3_finalize (stmt);

  if (!more)
    {
      g_autofree char *deleted_context =
          g_strdup_printf ("%s$metadata#%s/$deletedEntity", self->api_root, table->set);

      stmt = prepare (self,
                      "SELECT DISTINCT id FROM sb_deleted WHERE tbl = ? AND rv > ? AND rv <= ? "
                      "ORDER BY rv",
                      NULL, &error);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, since);
          sqlite3_bind_int64 (stmt, 3, snapshot);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            {
              const char *id = (const char *) sqlite3_column_text (stmt, 0);
              JsonObject *entry;

              if (sb_sandbox_store_exists (self->store, table, id))
                continue;
              entry = json_object_new ();
              json_object_set_string_member (entry, "@odata.context", deleted_context);
              json_object_set_string_member (entry, "id", id);
              json_object_set_string_member (entry, "reason", "deleted");
              json_array_add_object_element (value, entry);
            }
          sqlite3_finalize (stmt);
        }
    }

  context = sb_sandbox_service_context_url (self, table, select, "/$delta");
  json_object_set_string_member (out, "@odata.context", context);
  json_object_set_array_member (out, "value", value);
  if (more)
    {
      static const char *const drop[] = { "$skiptoken", NULL };
      g_autofree char *raw =
          g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, last_rv, snapshot);
      g_autofree char *token = base64url_encode (raw);
      g_autofree char *link = link_with (self, table, request->query, drop, "$skiptoken", token);

      json_object_set_string_member (out, "@odata.nextLink", link);
    }
  else
    {
      static const char *const drop[] = { "$skiptoken", "$deltatoken", NULL };
      g_autofree char *token = delta_token (self, table, snapshot);
      g_autofree char *link = link_with (self, table, request->query, drop, "$deltatoken", token);

      json_object_set_string_member (out, "@odata.deltaLink", link);
    }
  response = json_response (out);
  soup_message_headers_append (response->headers, "Preference-Applied", "odata.track-changes");
  add_preference_applied (response, prefer, TRUE);
  return response;
}

SbSandboxResponse *
sb_sandbox_service_get_collection (SbSandboxService *self, const SbTable *table,
                                   SbSandboxRequest *request, gboolean count_only)
{
  SbQueryOptions opts = { 0 };
  SbPrefer prefer;
  g_autoptr (SbApiError) error = NULL;
  g_auto (GStrv) select = NULL;
  g_autoptr (GPtrArray) expands = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr (GString) where = g_string_new ("1");
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (JsonObject) out = NULL;
  g_autoptr (JsonArray) last_values = NULL;
  g_autofree char *last_id = NULL;
  g_autofree char *context = NULL;
  g_autoptr (GPtrArray) projection = NULL;
  const char *filter, *top_text, *skip, *count_text;
  SbSandboxResponse *response = NULL;
  gboolean tracking, more = FALSE;
  gint64 snapshot;
  int limit, n = 0;
  sqlite3_stmt *stmt = NULL;
  JsonArray *value;

  sb_prefer_parse (&prefer, request->headers);
  if (!sb_query_options_parse (&opts, request->query, &error))
    goto out;
  filter = sb_query_option (&opts, "$filter");
  top_text = sb_query_option (&opts, "$top");
  skip = sb_query_option (&opts, "$skiptoken");
  count_text = sb_query_option (&opts, "$count");
  tracking = !count_only && (prefer.track_changes || sb_query_option (&opts, "$deltatoken"));

  if (tracking)
    {
      const char *const refused[] = { "$filter", "$orderby", "$expand", "$top", NULL };

      for (guint i = 0; refused[i] != NULL; i++)
        if (sb_query_option (&opts, refused[i]) != NULL)
          {
            sb_api_error_set (&error, 400, CODE_BAD_QUERY,
                              "The query option %s is not supported with change tracking "
                              "(Prefer: odata.track-changes).",
                              refused[i]);
            goto out;
          }
    }
  if (count_text != NULL && !g_str_equal (count_text, "true") && !g_str_equal (count_text, "false"))
    {
      sb_api_error_set (&error, 400, "0x0",
                        "'%s' is not a valid count option. Use 'true' or 'false'.", count_text);
      goto out;
    }
  limit = SB_MAX_PAGE_SIZE;
  if (top_text != NULL)
    {
      char *end = NULL;
      gint64 top = g_ascii_strtoll (top_text, &end, 10);

      if (*top_text == '\0' || *end != '\0' || top < 0)
        {
          sb_api_error_set (&error, 400, "0x0",
                            "Invalid value '%s' for $top query option found. The $top query "
                            "option requires a non-negative integer value.",
                            top_text);
          goto out;
        }
      if (prefer.maxpagesize == 0)
        limit = (int) MIN (top, SB_MAX_PAGE_SIZE);
    }
  if (prefer.maxpagesize > 0)
    limit = prefer.maxpagesize;

  if (sb_query_option (&opts, "$select") &&
      (select = sb_sandbox_service_parse_select (self, table, sb_query_option (&opts, "$select"),
                                                 &error)) == NULL)
    goto out;
  if (sb_query_option (&opts, "$expand") &&
      (expands = parse_expand (self, table, sb_query_option (&opts, "$expand"), &error)) == NULL)
    goto out;

  if (tracking && sb_query_option (&opts, "$deltatoken") != NULL)
    {
      response = delta_read (self, table, request, &opts, &prefer, select);
      goto out;
    }

  if (filter != NULL)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (SbODataFilter) parsed = sb_odata_filter_parse (filter, &local);
      g_autofree char *filter_sql = NULL;

      if (parsed != NULL)
        filter_sql = sb_odata_filter_to_sql (parsed, table->name, resolve_attr, (gpointer) table,
                                             params, &local);
      if (filter_sql == NULL)
        {
          sb_api_error_set (&error, 400, "0x0", "%s", local->message);
          goto out;
        }
      g_string_printf (where, "(%s)", filter_sql);
    }

  if (count_only)
    {
      gint64 count = 0;

      g_string_printf (sql, "SELECT count(*) FROM (SELECT 1 FROM t_%s WHERE %s LIMIT %d)",
                       table->name, where->str, SB_MAX_PAGE_SIZE);
      stmt = prepare (self, sql->str, params, &error);
      if (stmt == NULL)
        goto out;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      response = sb_sandbox_response_new (200);
      {
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

        response->body = g_bytes_new (text, strlen (text));
      }
      soup_message_headers_replace (response->headers, "Content-Type", "text/plain");
      goto out;
    }

  keys = parse_orderby (table, sb_query_option (&opts, "$orderby"), &error);
  if (keys == NULL)
    goto out;

  out = json_object_new ();
  context = sb_sandbox_service_context_url (self, table, select, NULL);
  json_object_set_string_member (out, "@odata.context", context);

  if (count_text != NULL && g_str_equal (count_text, "true"))
    {
      gint64 count = 0;

      g_string_printf (sql, "SELECT count(*) FROM (SELECT 1 FROM t_%s WHERE %s LIMIT %d)",
                       table->name, where->str, SB_MAX_PAGE_SIZE);
      stmt = prepare (self, sql->str, params, &error);
      if (stmt == NULL)
        goto out;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      json_object_set_int_member (out, "@odata.count", count);
    }

  snapshot = sb_sandbox_store_current_version (self->store);
  if (skip != NULL)
    {
      g_autofree char *text = base64url_decode (skip);
      g_autoptr (JsonNode) node = text ? json_from_string (text, NULL) : NULL;
      JsonObject *token =
          node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *k = token ? json_object_get_member (token, "k") : NULL;
      JsonNode *i = token ? json_object_get_member (token, "i") : NULL;
      g_autofree char *keyset = NULL;

      if (k == NULL || !JSON_NODE_HOLDS_ARRAY (k) ||
          json_array_get_length (json_node_get_array (k)) != keys->len || i == NULL ||
          json_node_get_value_type (i) != G_TYPE_STRING)
        {
          sb_api_error_set (&error, 400, CODE_BAD_QUERY,
                            "The $skiptoken is not valid for this query.");
          goto out;
        }
      snapshot = json_object_get_int_member_with_default (token, "s", snapshot);
      keyset = keyset_sql (keys, json_node_get_array (k), json_node_get_string (i), params);
      g_string_append_printf (where, " AND %s", keyset);
    }

  /* With $select and no $expand, SQLite's own JSON functions pick the selected properties out
   * of the stored row, which is several times faster than parsing the whole row with json-glib
   * (this is the integration's bulk read path). */
  if (select != NULL && expands == NULL)
    {
      const SbAttr *currency = sb_table_attr (table, "transactioncurrencyid");

      projection = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (projection, g_strdup (table->pk));
      for (guint i = 0; select[i] != NULL; i++)
        {
          const SbAttr *attr = sb_table_property (table, select[i]);

          if (attr == NULL || g_str_equal (attr->name, table->pk))
            continue;
          g_ptr_array_add (projection, g_strdup (attr->property));
          if (attr->type == SB_ATTR_LOOKUP)
            g_ptr_array_add (projection, g_strdup_printf ("%s@lk", attr->property));
        }
      if (prefer.formatted && currency != NULL)
        g_ptr_array_add (projection, g_strdup (currency->property));
    }
  g_string_printf (sql, "SELECT id, rv, %s", projection ? "NULL" : "data");
  for (guint i = 0; i < keys->len; i++)
    g_string_append_printf (sql, ", %s", ((SortKey *) g_ptr_array_index (keys, i))->expr);
  for (guint i = 0; projection != NULL && i < projection->len; i++)
    g_string_append_printf (sql, ", json_extract(data, '$.\"%s\"')",
                            (char *) g_ptr_array_index (projection, i));
  g_string_append_printf (sql, " FROM t_%s WHERE %s ORDER BY ", table->name, where->str);
  for (guint i = 0; i < keys->len; i++)
    {
      SortKey *k = g_ptr_array_index (keys, i);

      g_string_append_printf (sql, "%s %s, ", k->expr, k->desc ? "DESC" : "ASC");
    }
  g_string_append_printf (sql, "id ASC LIMIT %d", limit + 1);
  stmt = prepare (self, sql->str, params, &error);
  if (stmt == NULL)
    goto out;

  value = json_array_new ();
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) row = NULL;
      gint64 version;
      JsonObject *formatted;

      if (n == limit)
        {
          more = TRUE;
          break;
        }
      n++;
      version = sqlite3_column_int64 (stmt, 1);
      if (projection != NULL)
        row = projected_row (table, stmt, 3 + keys->len, projection);
      else
        row =
            sb_sandbox_store_parse_row (self->store, (const char *) sqlite3_column_text (stmt, 2));
      if (row == NULL)
        continue;
      formatted = sb_sandbox_service_format_row (self, table, row, version, select, &prefer, cache);
      apply_expand (self, table, row, formatted, expands, &prefer, cache);
      json_array_add_object_element (value, formatted);
      g_free (last_id);
      last_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      g_clear_pointer (&last_values, json_array_unref);
      last_values = json_array_new ();
      for (guint i = 0; i < keys->len; i++)
        json_array_add_element (last_values, column_to_json (stmt, 3 + i));
    }
  sqlite3_finalize (stmt);
  json_object_set_array_member (out, "value", value);

  /* $top alone returns at most that many rows and no next link (dataverse-web-api.md). */
  if (more && (top_text == NULL || prefer.maxpagesize > 0))
    {
      static const char *const drop[] = { "$skiptoken", NULL };
      g_autofree char *token = skiptoken_for (last_values, last_id, snapshot);
      g_autofree char *link = link_with (self, table, request->query, drop, "$skiptoken", token);

      json_object_set_string_member (out, "@odata.nextLink", link);
    }
  else if (tracking)
    {
      static const char *const drop[] = { "$skiptoken", "$deltatoken", NULL };
      g_autofree char *token = delta_token (self, table, snapshot);
      g_autofree char *link = link_with (self, table, request->query, drop, "$deltatoken", token);

      json_object_set_string_member (out, "@odata.deltaLink", link);
    }
  response = json_response (out);
  if (tracking)
    soup_message_headers_append (response->headers, "Preference-Applied", "odata.track-changes");
  add_preference_applied (response, &prefer, TRUE);

out:
  sb_query_options_clear (&opts);
  sb_prefer_clear (&prefer);
  return response ? response : sb_api_error_to_response (error);
}
