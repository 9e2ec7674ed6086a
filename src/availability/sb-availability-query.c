/* sb-availability-query.c: item availability and the OData queries of the web service
 *
 * The $filter grammar follows OData v4 URL conventions part 2 §5.1.1 for the subset the
 * service needs: No eq 'x', No in ('x','y'), or, and parentheses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-availability-error.h"
#include "sb-availability-query.h"
#include "sb-store-private.h"

#define MAX_FILTER_ITEMS 1000 /* one request may name at most this many items */

static const char *const prop_names[SB_AVAILABILITY_N_PROPS] = {
  "No", "Description", "Inventory", "QuantityOnOpenOrders", "Available", "UnitOfMeasure",
};

const char *
sb_availability_prop_name (SbAvailabilityProp prop)
{
  g_return_val_if_fail (prop < SB_AVAILABILITY_N_PROPS, NULL);
  return prop_names[prop];
}

static int
prop_from_name (const char *name)
{
  for (int i = 0; i < SB_AVAILABILITY_N_PROPS; i++)
    if (g_str_equal (prop_names[i], name))
      return i;
  return -1;
}

void
sb_item_availability_free (SbItemAvailability *availability)
{
  if (availability == NULL)
    return;
  g_free (availability->no);
  g_free (availability->description);
  g_free (availability->unit_of_measure);
  g_free (availability);
}

void
sb_availability_query_free (SbAvailabilityQuery *query)
{
  if (query == NULL)
    return;
  g_clear_pointer (&query->item_nos, g_ptr_array_unref);
  g_free (query);
}

/* ---- Reading the books ------------------------------------------------------------------------
 */

/* What is still to ship on open sales orders (doc_type 1), per item line (type 1). An
 * over-shipped line counts as 0, not as negative demand. The index sales_line_order_item (schema
 * step 10) gives the order item lines in item order: one pass over those lines, not over every
 * sales line, kept until the books change. */
#define ON_ORDERS_SQL                                                                              \
  "SELECT no, sum(max(quantity - quantity_shipped, 0)) FROM sales_line"                            \
  " WHERE doc_type = 1 AND type = 1 GROUP BY no"
#define ITEM_COLUMNS "SELECT no, description, inventory, coalesce(base_unit_code, '') FROM item"

const char *
sb_availability_get_on_orders_sql (void)
{
  return ON_ORDERS_SQL;
}

struct _SbAvailabilityCache
{
  gboolean valid;
  gint64 change_no;      /* the store's change number the quantities were read at */
  GHashTable *on_orders; /* item no → gint64 (SbDecimal) */
};

SbAvailabilityCache *
sb_availability_cache_new (void)
{
  SbAvailabilityCache *cache = g_new0 (SbAvailabilityCache, 1);

  cache->on_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return cache;
}

void
sb_availability_cache_free (SbAvailabilityCache *cache)
{
  if (cache == NULL)
    return;
  g_hash_table_unref (cache->on_orders);
  g_free (cache);
}

/* Reads the open order quantities again when the books changed since they were read. The change
 * number is read first: a change committed during the pass makes the next call read again. */
static gboolean
refresh (SbStore *store, SbAvailabilityCache *cache, GError **error)
{
  gint64 change_no = sb_store_get_change_number (store);
  sqlite3_stmt *stmt;
  int rc;

  if (cache->valid && cache->change_no == change_no)
    return TRUE;
  stmt = sb_store_prepare (store, ON_ORDERS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  g_hash_table_remove_all (cache->on_orders);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (cache->on_orders, sb_column_dup (stmt, 0),
                         g_memdup2 (&(gint64){ sqlite3_column_int64 (stmt, 1) }, sizeof (gint64)));
  sqlite3_reset (stmt);
  cache->valid = rc == SQLITE_DONE;
  cache->change_no = change_no;
  return cache->valid || sb_store_set_error (store, error);
}

static SbItemAvailability *
read_row (SbAvailabilityCache *cache, sqlite3_stmt *stmt)
{
  SbItemAvailability *a = g_new0 (SbItemAvailability, 1);
  const gint64 *on_orders;

  a->no = sb_column_dup (stmt, 0);
  a->description = sb_column_dup (stmt, 1);
  a->inventory = sqlite3_column_int64 (stmt, 2);
  on_orders = g_hash_table_lookup (cache->on_orders, a->no);
  a->on_open_orders = on_orders != NULL ? *on_orders : 0;
  a->available = a->inventory - a->on_open_orders;
  a->unit_of_measure = sb_column_dup (stmt, 3);
  return a;
}

SbItemAvailability *
sb_item_availability_lookup (SbStore *store, SbAvailabilityCache *cache, const char *no,
                             GError **error)
{
  sqlite3_stmt *stmt;
  SbItemAvailability *a = NULL;
  int rc;

  if (!refresh (store, cache, error) ||
      (stmt = sb_store_prepare (store, ITEM_COLUMNS " WHERE no = ?1", error)) == NULL)
    return NULL;
  sb_bind_text (stmt, 1, no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    a = read_row (cache, stmt);
  else if (rc != SQLITE_DONE)
    sb_store_set_error (store, error);
  sqlite3_reset (stmt);
  return a;
}

GPtrArray *
sb_availability_query_run (SbStore *store, SbAvailabilityCache *cache,
                           const SbAvailabilityQuery *query, gint64 *out_count, GError **error)
{
  g_autoptr (GPtrArray) rows =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_item_availability_free);
  sqlite3_stmt *stmt;
  int rc;

  if (query->item_nos != NULL)
    {
      /* A short list of numbers: one keyed read each, then $skip and $top in order. */
      g_autoptr (GPtrArray) found =
          g_ptr_array_new_with_free_func ((GDestroyNotify) sb_item_availability_free);

      for (guint i = 0; i < query->item_nos->len; i++)
        {
          g_autoptr (GError) local_error = NULL;
          SbItemAvailability *a =
              sb_item_availability_lookup (store, cache, query->item_nos->pdata[i], &local_error);

          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (a != NULL)
            g_ptr_array_add (found, a);
        }
      if (out_count != NULL)
        *out_count = found->len;
      for (guint i = (guint) MIN ((gint64) found->len, query->skip); i < found->len; i++)
        {
          if (query->top >= 0 && (gint64) rows->len >= query->top)
            break;
          g_ptr_array_add (rows, g_steal_pointer (&found->pdata[i]));
        }
      return g_steal_pointer (&rows);
    }

  if (out_count != NULL)
    {
      stmt = sb_store_prepare (store, "SELECT count(*) FROM item", error);
      if (stmt == NULL)
        return NULL;
      rc = sqlite3_step (stmt);
      *out_count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          sb_store_set_error (store, error);
          return NULL;
        }
    }
  if (!refresh (store, cache, error))
    return NULL;
  stmt = sb_store_prepare (store, ITEM_COLUMNS " ORDER BY no LIMIT ?1 OFFSET ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, query->top);
  sqlite3_bind_int64 (stmt, 2, query->skip);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (cache, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static void
add_decimal (JsonBuilder *builder, const char *name, SbDecimal value)
{
  json_builder_set_member_name (builder, name);
  /* Exact: at most five decimals and |value| < 2^53 / 10^5 for any real quantity. */
  json_builder_add_double_value (builder, sb_decimal_to_double (value));
}

void
sb_item_availability_build_json (JsonBuilder *builder, const SbItemAvailability *a, guint select)
{
  for (int i = 0; i < SB_AVAILABILITY_N_PROPS; i++)
    {
      if ((select & (1u << i)) == 0)
        continue;
      switch ((SbAvailabilityProp) i)
        {
          case SB_AVAILABILITY_PROP_NO:
            json_builder_set_member_name (builder, prop_names[i]);
            json_builder_add_string_value (builder, a->no);
            break;
          case SB_AVAILABILITY_PROP_DESCRIPTION:
            json_builder_set_member_name (builder, prop_names[i]);
            json_builder_add_string_value (builder, a->description);
            break;
          case SB_AVAILABILITY_PROP_INVENTORY:
            add_decimal (builder, prop_names[i], a->inventory);
            break;
          case SB_AVAILABILITY_PROP_ON_OPEN_ORDERS:
            add_decimal (builder, prop_names[i], a->on_open_orders);
            break;
          case SB_AVAILABILITY_PROP_AVAILABLE:
            add_decimal (builder, prop_names[i], a->available);
            break;
          case SB_AVAILABILITY_PROP_UNIT_OF_MEASURE:
            json_builder_set_member_name (builder, prop_names[i]);
            json_builder_add_string_value (builder, a->unit_of_measure);
            break;
          case SB_AVAILABILITY_N_PROPS:
          default:
            g_assert_not_reached ();
        }
    }
}

/* ---- $filter ----------------------------------------------------------------------------------
 */

typedef enum
{
  TOK_END,
  TOK_IDENT,
  TOK_STRING,
  TOK_OPEN,
  TOK_CLOSE,
  TOK_COMMA,
} TokKind;

typedef struct
{
  const char *text;
  const char *pos;
  TokKind kind;
  char *value;     /* identifier or decoded string */
  glong start;     /* character position of the token, from 1 */
  GHashTable *nos; /* the item numbers named so far */
} Lexer;

static gboolean
fail (Lexer *lx, GError **error, const char *what)
{
  g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
               /* Translators: %s is the problem, e.g. “expected ‘eq’ or ‘in’ after No” */
               _ ("The $filter is malformed at character %ld: %s. Filter by item number, for "
                  "example $filter=No eq '1000'."),
               lx->start, what);
  return FALSE;
}

static gboolean
next (Lexer *lx, GError **error)
{
  const char *p = lx->pos;

  g_clear_pointer (&lx->value, g_free);
  while (*p == ' ' || *p == '\t')
    p++;
  lx->start = g_utf8_pointer_to_offset (lx->text, p) + 1;
  if (*p == '\0')
    lx->kind = TOK_END;
  else if (*p == '(' || *p == ')' || *p == ',')
    {
      lx->kind = *p == '(' ? TOK_OPEN : *p == ')' ? TOK_CLOSE : TOK_COMMA;
      p++;
    }
  else if (*p == '\'')
    {
      /* A string literal; '' stands for one quote. */
      GString *s = g_string_new (NULL);

      for (p++;; p++)
        {
          if (*p == '\0')
            {
              g_string_free (s, TRUE);
              return fail (lx, error, _ ("a text in quotes is not closed"));
            }
          if (*p == '\'' && p[1] == '\'')
            {
              g_string_append_c (s, '\'');
              p++;
            }
          else if (*p == '\'')
            break;
          else
            g_string_append_c (s, *p);
        }
      p++;
      lx->kind = TOK_STRING;
      lx->value = g_string_free (s, FALSE);
    }
  else if (g_ascii_isalpha (*p) || *p == '_')
    {
      const char *start = p;

      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      lx->kind = TOK_IDENT;
      lx->value = g_strndup (start, p - start);
    }
  else
    {
      g_autofree char *what =
          g_strdup_printf (_ ("unexpected character “%.*s”"), (int) (g_utf8_next_char (p) - p), p);

      return fail (lx, error, what);
    }
  lx->pos = p;
  return TRUE;
}

static gboolean
is_word (Lexer *lx, const char *word)
{
  return lx->kind == TOK_IDENT && g_ascii_strcasecmp (lx->value, word) == 0;
}

static gboolean
add_no (Lexer *lx, GError **error)
{
  if (lx->kind != TOK_STRING)
    return fail (lx, error, _ ("expected an item number in quotes"));
  if (g_hash_table_size (lx->nos) >= MAX_FILTER_ITEMS)
    return fail (lx, error, _ ("too many item numbers in one request"));
  g_hash_table_add (lx->nos, g_steal_pointer (&lx->value));
  return next (lx, error);
}

static gboolean parse_or (Lexer *lx, GError **error);

/* primary := '(' or ')' | No eq 'x' | No in ('x', …) */
static gboolean
parse_primary (Lexer *lx, GError **error)
{
  if (lx->kind == TOK_OPEN)
    {
      if (!next (lx, error) || !parse_or (lx, error))
        return FALSE;
      if (lx->kind != TOK_CLOSE)
        return fail (lx, error, _ ("expected “)”"));
      return next (lx, error);
    }
  if (lx->kind != TOK_IDENT)
    return fail (lx, error, _ ("expected the property No"));
  if (!g_str_equal (lx->value, "No"))
    {
      g_autofree char *what =
          prop_from_name (lx->value) >= 0
              ? g_strdup_printf (_ ("filtering by %s is not supported, only by No"), lx->value)
              : g_strdup_printf (_ ("there is no property “%s”"), lx->value);

      return fail (lx, error, what);
    }
  if (!next (lx, error))
    return FALSE;
  if (is_word (lx, "eq"))
    return next (lx, error) && add_no (lx, error);
  if (!is_word (lx, "in"))
    return fail (lx, error, _ ("expected “eq” or “in” after No"));
  if (!next (lx, error))
    return FALSE;
  if (lx->kind != TOK_OPEN)
    return fail (lx, error, _ ("expected “(” after in"));
  if (!next (lx, error) || !add_no (lx, error))
    return FALSE;
  while (lx->kind == TOK_COMMA)
    if (!next (lx, error) || !add_no (lx, error))
      return FALSE;
  if (lx->kind != TOK_CLOSE)
    return fail (lx, error, _ ("expected “,” or “)” in the list after in"));
  return next (lx, error);
}

/* or := primary ('or' primary)* */
static gboolean
parse_or (Lexer *lx, GError **error)
{
  if (!parse_primary (lx, error))
    return FALSE;
  while (is_word (lx, "or"))
    if (!next (lx, error) || !parse_primary (lx, error))
      return FALSE;
  if (is_word (lx, "and"))
    return fail (lx, error, _ ("“and” is not supported; combine item numbers with “or”"));
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
sb_availability_filter_parse (const char *filter, GError **error)
{
  Lexer lx = { filter, filter, TOK_END, NULL, 1, NULL };
  GPtrArray *nos = NULL;
  gboolean ok;

  if (!g_utf8_validate (filter, -1, NULL))
    {
      g_set_error_literal (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                           _ ("The $filter is not valid UTF-8 text."));
      return NULL;
    }
  lx.nos = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = next (&lx, error);
  if (ok && lx.kind == TOK_END)
    ok = fail (&lx, error, _ ("the filter is empty"));
  ok = ok && parse_or (&lx, error);
  if (ok && lx.kind != TOK_END)
    ok = fail (&lx, error, _ ("unexpected text after the end of the filter"));
  if (ok)
    {
      GHashTableIter iter;
      gpointer key;

      nos = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_iter_init (&iter, lx.nos);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_ptr_array_add (nos, key);
          g_hash_table_iter_steal (&iter);
        }
      g_ptr_array_sort (nos, compare_strings);
    }
  g_free (lx.value);
  g_hash_table_unref (lx.nos);
  return nos;
}

char *
sb_availability_key_parse (const char *key_text, GError **error)
{
  g_autoptr (GPtrArray) nos = NULL;
  g_autofree char *filter = NULL;
  gsize len = strlen (key_text);

  /* The key is one quoted item number, optionally as No='x'. */
  if (g_str_has_prefix (key_text, "No="))
    key_text += 3, len -= 3;
  if (len < 2 || key_text[0] != '\'' || key_text[len - 1] != '\'')
    {
      g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                   _ ("The key “%s” is malformed: give the item number in single quotes, for "
                      "example %s('1000')."),
                   key_text, SB_AVAILABILITY_ENTITY_SET);
      return NULL;
    }
  filter = g_strdup_printf ("No eq %s", key_text);
  nos = sb_availability_filter_parse (filter, NULL);
  if (nos == NULL || nos->len != 1)
    {
      g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                   _ ("The key “%s” is malformed: give the item number in single quotes, for "
                      "example %s('1000')."),
                   key_text, SB_AVAILABILITY_ENTITY_SET);
      return NULL;
    }
  return g_strdup (nos->pdata[0]);
}

/* ---- System query options ----------------------------------------------------------------------
 */

static gboolean
parse_count (const char *name, const char *text, gint64 *out_value, GError **error)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    {
      g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                   _ ("%s must be a whole number from 0 to %d, not “%s”."), name, G_MAXINT32,
                   text != NULL ? text : "");
      return FALSE;
    }
  *out_value = (gint64) value;
  return TRUE;
}

static gboolean
parse_select (const char *text, guint *out_select, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  guint select = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *name = g_strstrip (parts[i]);
      int prop;

      if (g_str_equal (name, "*"))
        {
          select = SB_AVAILABILITY_SELECT_ALL;
          continue;
        }
      prop = prop_from_name (name);
      if (prop < 0)
        {
          g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                       _ ("$select names “%s”, which is not a property of %s. The properties "
                          "are No, Description, Inventory, QuantityOnOpenOrders, Available and "
                          "UnitOfMeasure."),
                       name, SB_AVAILABILITY_ENTITY_TYPE);
          return FALSE;
        }
      select |= 1u << prop;
    }
  *out_select = select;
  return TRUE;
}

SbAvailabilityQuery *
sb_availability_query_parse (GHashTable *params, gboolean for_entity, GError **error)
{
  g_autoptr (SbAvailabilityQuery) q = g_new0 (SbAvailabilityQuery, 1);
  GHashTableIter iter;
  gpointer key, value;

  q->select = SB_AVAILABILITY_SELECT_ALL;
  q->top = -1;
  if (params == NULL)
    return g_steal_pointer (&q);
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key, *text = value;
      gboolean collection_only = g_str_equal (name, "$filter") || g_str_equal (name, "$top") ||
                                 g_str_equal (name, "$skip") || g_str_equal (name, "$count");

      if (*name != '$')
        continue; /* custom query options are ignored (OData v4 part 2 §5.2) */
      if (for_entity && collection_only)
        {
          g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                       _ ("%s cannot be used when reading one item by its key."), name);
          return NULL;
        }
      if (g_str_equal (name, "$filter"))
        {
          q->item_nos = sb_availability_filter_parse (text != NULL ? text : "", error);
          if (q->item_nos == NULL)
            return NULL;
        }
      else if (g_str_equal (name, "$select"))
        {
          if (!parse_select (text, &q->select, error))
            return NULL;
        }
      else if (g_str_equal (name, "$top"))
        {
          if (!parse_count ("$top", text, &q->top, error))
            return NULL;
        }
      else if (g_str_equal (name, "$skip"))
        {
          if (!parse_count ("$skip", text, &q->skip, error))
            return NULL;
        }
      else if (g_str_equal (name, "$count"))
        {
          if (g_strcmp0 (text, "true") != 0 && g_strcmp0 (text, "false") != 0)
            {
              g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                           _ ("$count must be true or false, not “%s”."), text ? text : "");
              return NULL;
            }
          q->count = g_str_equal (text, "true");
        }
      else if (g_str_equal (name, "$format"))
        {
          if (g_strcmp0 (text, "json") != 0 && g_strcmp0 (text, "application/json") != 0)
            {
              g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                           _ ("Only $format=json is supported, not “%s”."), text ? text : "");
              return NULL;
            }
        }
      else
        {
          g_set_error (error, SB_AVAILABILITY_ERROR, SB_AVAILABILITY_ERROR_INVALID_QUERY,
                       _ ("The query option %s is not supported. Use $filter, $select, $top, "
                          "$skip or $count."),
                       name);
          return NULL;
        }
    }
  return g_steal_pointer (&q);
}
