/* sb-record.c
 *
 * The ERP tables are described once (SbRecordType) and the plain CRUD, the
 * CLI's JSON and the detail views are written once over those descriptions,
 * instead of once per table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-record.h"
#include "sb-store-private.h"

#define FIELD_PTR(field, record) ((guint8 *) (record) + (field)->offset)

static gboolean
is_string_field (const SbField *field)
{
  return field->type == SB_FIELD_TEXT || field->type == SB_FIELD_CODE ||
         field->type == SB_FIELD_DATE;
}

gpointer
sb_record_new (const SbRecordType *type)
{
  gpointer record = g_malloc0 (type->size);

  for (guint i = 0; i < type->n_fields; i++)
    if (is_string_field (&type->fields[i]))
      *(char **) FIELD_PTR (&type->fields[i], record) = g_strdup ("");
  return record;
}

gpointer
sb_record_copy (const SbRecordType *type, gconstpointer record)
{
  gpointer copy = g_memdup2 (record, type->size);

  for (guint i = 0; i < type->n_fields; i++)
    if (is_string_field (&type->fields[i]))
      {
        char **p = (char **) FIELD_PTR (&type->fields[i], copy);
        *p = g_strdup (*p);
      }
  return copy;
}

void
sb_record_free (const SbRecordType *type, gpointer record)
{
  if (record == NULL)
    return;
  for (guint i = 0; i < type->n_fields; i++)
    if (is_string_field (&type->fields[i]))
      g_free (*(char **) FIELD_PTR (&type->fields[i], record));
  g_free (record);
}

const SbField *
sb_record_type_find_field (const SbRecordType *type, const char *name)
{
  for (guint i = 0; i < type->n_fields; i++)
    if (g_str_equal (type->fields[i].name, name))
      return &type->fields[i];
  return NULL;
}

const char *
sb_record_get_text (const SbField *field, gconstpointer record)
{
  const char *value;

  g_return_val_if_fail (is_string_field (field), NULL);
  value = *(char *const *) FIELD_PTR (field, record);
  return value != NULL ? value : "";
}

void
sb_record_set_text (const SbField *field, gpointer record, const char *value)
{
  char **p = (char **) FIELD_PTR (field, record);

  g_return_if_fail (is_string_field (field));
  g_free (*p);
  *p = g_strdup (value != NULL ? value : "");
}

gint64
sb_record_get_int (const SbField *field, gconstpointer record)
{
  switch (field->type)
    {
      case SB_FIELD_DECIMAL:
      case SB_FIELD_INT:
        return *(const gint64 *) FIELD_PTR (field, record);
      case SB_FIELD_BOOL:
        return *(const gboolean *) FIELD_PTR (field, record) ? 1 : 0;
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
      default:
        g_return_val_if_reached (0);
    }
}

void
sb_record_set_int (const SbField *field, gpointer record, gint64 value)
{
  switch (field->type)
    {
      case SB_FIELD_DECIMAL:
      case SB_FIELD_INT:
        *(gint64 *) FIELD_PTR (field, record) = value;
        break;
      case SB_FIELD_BOOL:
        *(gboolean *) FIELD_PTR (field, record) = value != 0;
        break;
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
      default:
        g_return_if_reached ();
    }
}

const char *
sb_record_get_choice (const SbField *field, gconstpointer record)
{
  gint64 value;

  if (field->choices == NULL)
    return NULL;
  value = sb_record_get_int (field, record);
  for (gint64 i = 0; field->choices[i] != NULL; i++)
    if (i == value)
      return *field->choices[i] != '\0' ? _ (field->choices[i]) : NULL;
  return NULL;
}

char *
sb_record_to_string (const SbField *field, gconstpointer record)
{
  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
        return g_strdup (sb_record_get_text (field, record));
      case SB_FIELD_DECIMAL:
        return sb_decimal_to_string (sb_record_get_int (field, record), 0);
      case SB_FIELD_INT:
        return g_strdup_printf ("%" G_GINT64_FORMAT, sb_record_get_int (field, record));
      case SB_FIELD_BOOL:
        return g_strdup (sb_record_get_int (field, record) ? "true" : "false");
      default:
        g_return_val_if_reached (NULL);
    }
}

static gboolean
is_valid_date (const char *text)
{
  int y, m, d;
  char tail;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

gboolean
sb_record_parse_field (const SbRecordType *type, const SbField *field, gpointer record,
                       const char *text, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  SbDecimal decimal;
  gint64 number;
  char *end = NULL;

  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
        sb_record_set_text (field, record, text);
        return TRUE;
      case SB_FIELD_DATE:
        if (*text != '\0' && !is_valid_date (text))
          {
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                         _ ("%s: “%s” is not a date. Write dates as YYYY-MM-DD."), field->name,
                         text);
            return FALSE;
          }
        sb_record_set_text (field, record, text);
        return TRUE;
      case SB_FIELD_DECIMAL:
        if (!sb_decimal_parse (text, &decimal, &local_error))
          {
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID, "%s: %s", field->name,
                         local_error->message);
            return FALSE;
          }
        sb_record_set_int (field, record, decimal);
        return TRUE;
      case SB_FIELD_INT:
        number = g_ascii_strtoll (text, &end, 10);
        if (*text == '\0' || end == NULL || *end != '\0')
          {
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                         _ ("%s: “%s” is not a whole number."), field->name, text);
            return FALSE;
          }
        sb_record_set_int (field, record, number);
        return TRUE;
      case SB_FIELD_BOOL:
        if (g_ascii_strcasecmp (text, "true") == 0 || g_str_equal (text, "1") ||
            g_ascii_strcasecmp (text, "yes") == 0)
          sb_record_set_int (field, record, 1);
        else if (g_ascii_strcasecmp (text, "false") == 0 || g_str_equal (text, "0") ||
                 g_ascii_strcasecmp (text, "no") == 0)
          sb_record_set_int (field, record, 0);
        else
          {
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                         _ ("%s: “%s” is not yes or no."), field->name, text);
            return FALSE;
          }
        return TRUE;
      default:
        g_return_val_if_reached (FALSE);
    }
}

char *
sb_record_search_pattern (const char *search)
{
  g_autofree char *folded = g_utf8_casefold (search, -1);
  GString *s = g_string_new ("%");

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}

char *
sb_record_describe (const SbRecordType *type, gconstpointer record)
{
  GString *s = g_string_new (_ (type->label));

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      {
        g_autofree char *value = sb_record_to_string (&type->fields[i], record);
        g_string_append_c (s, ' ');
        g_string_append (s, *value != '\0' ? value : "''");
      }
  return g_string_free (s, FALSE);
}

gboolean
sb_record_validate (SbStore *store, const SbRecordType *type, gconstpointer record, GError **error)
{
  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];
      const char *text;

      if (!is_string_field (field))
        continue;
      text = sb_record_get_text (field, record);
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_autofree char *what = sb_record_describe (type, record);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("%s: %s is not valid UTF-8 text."), what, field->name);
          return FALSE;
        }
      if ((field->flags & (SB_FIELD_FLAG_REQUIRED | SB_FIELD_FLAG_KEY)) &&
          !(field->flags & SB_FIELD_FLAG_BLANK_KEY) && *text == '\0')
        {
          g_autofree char *what = sb_record_describe (type, record);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("%s: %s must not be blank. Fill it in and try again."), what,
                       field->label != NULL ? _ (field->label) : field->name);
          return FALSE;
        }
      if (field->max_length > 0 && g_utf8_strlen (text, -1) > field->max_length)
        {
          g_autofree char *what = sb_record_describe (type, record);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("%s: %s is longer than %u characters. Shorten it and try again."), what,
                       field->label != NULL ? _ (field->label) : field->name, field->max_length);
          return FALSE;
        }
      if (field->type == SB_FIELD_DATE && *text != '\0' && !is_valid_date (text))
        {
          g_autofree char *what = sb_record_describe (type, record);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("%s: “%s” is not a date. Write dates as YYYY-MM-DD."), what, text);
          return FALSE;
        }
    }

  if (type->validate != NULL)
    return type->validate (store, record, error);
  return TRUE;
}

/* Generated SQL lives as long as the process; the statement cache keys on
 * the text, so each distinct statement is prepared once per connection. */
static GHashTable *sql_cache;
G_LOCK_DEFINE_STATIC (sql_cache);

static const char *
cached_sql (const SbRecordType *type, const char *kind, char *(*build) (const SbRecordType *) )
{
  g_autofree char *key = g_strdup_printf ("%s/%s", type->table, kind);
  const char *sql;

  G_LOCK (sql_cache);
  if (sql_cache == NULL)
    sql_cache = g_hash_table_new (g_str_hash, g_str_equal);
  sql = g_hash_table_lookup (sql_cache, key);
  if (sql == NULL)
    {
      sql = build (type);
      g_hash_table_insert (sql_cache, g_steal_pointer (&key), (gpointer) sql);
    }
  G_UNLOCK (sql_cache);
  return sql;
}

static char *
column_list (const SbRecordType *type)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < type->n_fields; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", type->fields[i].name);
  return g_string_free (s, FALSE);
}

static void
append_key_condition (GString *s, const SbRecordType *type, guint first_param)
{
  guint n = 0;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      {
        g_string_append_printf (s, "%s%s = ?%u", n > 0 ? " AND " : "", type->fields[i].name,
                                first_param + n);
        n++;
      }
}

static char *
build_insert (const SbRecordType *type)
{
  g_autofree char *columns = column_list (type);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "INSERT INTO %s (%s) VALUES (", type->table, columns);
  for (guint i = 0; i < type->n_fields; i++)
    g_string_append_printf (s, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static char *
build_update (const SbRecordType *type)
{
  GString *s = g_string_new (NULL);
  guint n = 0;

  g_string_append_printf (s, "UPDATE %s SET ", type->table);
  for (guint i = 0; i < type->n_fields; i++)
    if (!(type->fields[i].flags & SB_FIELD_FLAG_KEY))
      g_string_append_printf (s, "%s%s = ?%u", n++ > 0 ? ", " : "", type->fields[i].name, i + 1);
  g_string_append (s, " WHERE ");
  /* Key fields are bound at their own positions, like in the insert. */
  n = 0;
  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      g_string_append_printf (s, "%s%s = ?%u", n++ > 0 ? " AND " : "", type->fields[i].name, i + 1);
  return g_string_free (s, FALSE);
}

static char *
build_delete (const SbRecordType *type)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "DELETE FROM %s WHERE ", type->table);
  append_key_condition (s, type, 1);
  return g_string_free (s, FALSE);
}

static char *
build_lookup (const SbRecordType *type)
{
  g_autofree char *columns = column_list (type);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "SELECT %s FROM %s WHERE ", columns, type->table);
  append_key_condition (s, type, 1);
  return g_string_free (s, FALSE);
}

static char *
build_changed (const SbRecordType *type)
{
  g_autofree char *columns = column_list (type);

  return g_strdup_printf ("SELECT %s FROM %s WHERE change_no > ?1 ORDER BY change_no LIMIT ?2",
                          columns, type->table);
}

static void
bind_field (sqlite3_stmt *stmt, int index, const SbField *field, gconstpointer record)
{
  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_DATE:
        sb_bind_text (stmt, index, sb_record_get_text (field, record));
        break;
      case SB_FIELD_CODE:
        sb_bind_text_or_null (stmt, index, sb_record_get_text (field, record));
        break;
      case SB_FIELD_DECIMAL:
      case SB_FIELD_INT:
      case SB_FIELD_BOOL:
        sqlite3_bind_int64 (stmt, index, sb_record_get_int (field, record));
        break;
      default:
        g_assert_not_reached ();
    }
}

static void
bind_all (sqlite3_stmt *stmt, const SbRecordType *type, gconstpointer record)
{
  for (guint i = 0; i < type->n_fields; i++)
    bind_field (stmt, (int) i + 1, &type->fields[i], record);
}

static void
bind_keys (sqlite3_stmt *stmt, const SbRecordType *type, gconstpointer record)
{
  int n = 0;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      bind_field (stmt, ++n, &type->fields[i], record);
}

static void
read_row (sqlite3_stmt *stmt, const SbRecordType *type, gpointer record)
{
  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];

      if (is_string_field (field))
        {
          char **p = (char **) FIELD_PTR (field, record);
          g_free (*p);
          *p = sb_column_dup (stmt, (int) i);
        }
      else
        sb_record_set_int (field, record, sqlite3_column_int64 (stmt, (int) i));
    }
}

static void
stamp (SbStore *store, const SbRecordType *type, gpointer record)
{
  const SbField *change = sb_record_type_find_field (type, "change_no");
  const SbField *modified = sb_record_type_find_field (type, "modified_at");

  if (change != NULL)
    sb_record_set_int (change, record, sb_store_next_change (store));
  if (modified != NULL)
    sb_record_set_text (modified, record, sb_store_get_now (store));
}

static gboolean
write_record (SbStore *store, const SbRecordType *type, gpointer record, gboolean insert,
              GError **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GError) local_error = NULL;

  if (!sb_record_validate (store, type, record, error))
    return FALSE;
  if (!sb_store_begin (store, error))
    return FALSE;

  stamp (store, type, record);
  stmt = sb_store_prepare (
      store, cached_sql (type, insert ? "insert" : "update", insert ? build_insert : build_update),
      error);
  if (stmt == NULL)
    goto fail;
  bind_all (stmt, type, record);
  if (!sb_store_exec_stmt (store, stmt, &local_error))
    {
      g_autofree char *what = sb_record_describe (type, record);
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS))
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS,
                     _ ("%s already exists. Choose another number."), what);
      else if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_IN_USE))
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                     _ ("%s refers to a code that does not exist. Check the codes it uses."), what);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", what);
      goto fail;
    }
  if (!insert && sqlite3_changes (sb_store_get_db (store)) == 0)
    {
      g_autofree char *what = sb_record_describe (type, record);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                   _ ("%s does not exist. It may have been deleted."), what);
      goto fail;
    }
  return sb_store_commit (store, error);

fail:
  sb_store_rollback (store);
  return FALSE;
}

gboolean
sb_record_insert (SbStore *store, const SbRecordType *type, gpointer record, GError **error)
{
  return write_record (store, type, record, TRUE, error);
}

gboolean
sb_record_update (SbStore *store, const SbRecordType *type, gpointer record, GError **error)
{
  return write_record (store, type, record, FALSE, error);
}

gboolean
sb_record_delete (SbStore *store, const SbRecordType *type, gconstpointer record, GError **error)
{
  g_autofree char *what = sb_record_describe (type, record);
  g_autoptr (GError) local_error = NULL;
  GString *key = g_string_new (NULL);
  g_autofree char *key_text = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      {
        g_autofree char *value = sb_record_to_string (&type->fields[i], record);
        g_string_append_printf (key, "%s%s", key->len > 0 ? "\x1f" : "", value);
      }
  key_text = g_string_free (key, FALSE);

  if (!sb_store_begin (store, error))
    return FALSE;
  stmt = sb_store_prepare (store, cached_sql (type, "delete", build_delete), error);
  if (stmt == NULL)
    goto fail;
  bind_keys (stmt, type, record);
  if (!sb_store_exec_stmt (store, stmt, &local_error))
    {
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_IN_USE))
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_IN_USE,
                     _ ("%s cannot be deleted because other records still use it."), what);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }
  if (sqlite3_changes (sb_store_get_db (store)) == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("%s does not exist."), what);
      goto fail;
    }
  if (!sb_store_record_deletion (store, type->table, key_text, error))
    goto fail;
  return sb_store_commit (store, error);

fail:
  sb_store_rollback (store);
  return FALSE;
}

gpointer
sb_record_lookup (SbStore *store, const SbRecordType *type, gconstpointer key, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, cached_sql (type, "lookup", build_lookup), error);
  gpointer record;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_keys (stmt, type, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *what = sb_record_describe (type, key);
      sqlite3_reset (stmt);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("%s does not exist."), what);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sb_store_set_error (store, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  record = sb_record_new (type);
  read_row (stmt, type, record);
  sqlite3_reset (stmt);
  return record;
}

static GPtrArray *
collect (SbStore *store, const SbRecordType *type, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (type->free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer record = sb_record_new (type);
      read_row (stmt, type, record);
      g_ptr_array_add (rows, record);
    }
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

GPtrArray *
sb_record_list (SbStore *store, const SbRecordType *type, const char *where,
                const char *const *params, GError **error)
{
  g_autofree char *columns = column_list (type);
  g_autofree char *sql =
      g_strdup_printf ("SELECT %s FROM %s%s%s ORDER BY %s", columns, type->table,
                       where != NULL ? " WHERE " : "", where != NULL ? where : "", type->order_by);
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return NULL;
  for (int i = 0; params != NULL && params[i] != NULL; i++)
    sb_bind_text (stmt, i + 1, params[i]);
  return collect (store, type, stmt, error);
}

GPtrArray *
sb_record_search (SbStore *store, const SbRecordType *type, const char *search,
                  const char *const *columns, GError **error)
{
  g_autofree char *pattern = NULL;
  g_autoptr (GString) where = NULL;
  const char *params[2] = { NULL, NULL };

  if (search == NULL || *search == '\0')
    return sb_record_list (store, type, NULL, NULL, error);

  where = g_string_new (NULL);
  for (guint i = 0; columns[i] != NULL; i++)
    g_string_append_printf (where, "%ssb_fold(%s) LIKE ?1 ESCAPE '\\'", i > 0 ? " OR " : "",
                            columns[i]);
  pattern = sb_record_search_pattern (search);
  params[0] = pattern;
  return sb_record_list (store, type, where->str, params, error);
}

GPtrArray *
sb_record_list_changed (SbStore *store, const SbRecordType *type, gint64 change_no, guint limit,
                        GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, cached_sql (type, "changed", build_changed), error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, change_no);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : G_MAXINT64);
  return collect (store, type, stmt, error);
}
