/* sb-sandbox-store.c: SQLite storage of the sandbox.
 *
 * Design: one SQLite table per Dataverse table, each row stored as (id, rv, data) where data is
 * the JSON object of its Web API properties ("name", "_parentcustomerid_value", …). We chose a
 * JSON row store over one column per attribute because twenty tables with a few hundred
 * attributes would otherwise need a generated DDL plus a migration for every attribute added to
 * sb-sandbox-schema.c, while the read path is dominated by producing JSON anyway. Filters and
 * sorts compile to json_extract(data, '$.prop'); the attributes the integration filters or
 * joins on (alternate keys, modifiedon, statecode, lookups, …) get expression indexes on exactly
 * that expression (strings with COLLATE SB_NOCASE, as the generated $filter SQL compares them),
 * so SQLite uses them. Writes run inside one transaction per request, $batch or changeset
 * (savepoints), which is what makes 100,000 creates through $batch take seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-store.h"

#include "sb-odata-query.h"

struct _SbSandboxStore
{
  GObject parent_instance;

  sqlite3 *db;
  GHashTable *stmts; /* SQL text → sqlite3_stmt* */
  guint depth;       /* savepoint nesting */
  JsonParser *parser;
  GHashTable *table_stmts; /* SbTable* → sqlite3_stmt *[N_TABLE_STMTS] */
  gint64 version;
};

G_DEFINE_TYPE (SbSandboxStore, sb_sandbox_store, G_TYPE_OBJECT)

/* The per-row statements of every table, kept by table so the hot path (a create runs several)
 * neither formats nor hashes SQL text. */
typedef enum
{
  STMT_GET,
  STMT_EXISTS,
  STMT_INSERT,
  STMT_UPDATE,
  STMT_DELETE,
  N_TABLE_STMTS
} TableStmt;

static char *
table_sql (TableStmt kind, const char *table)
{
  switch (kind)
    {
      case STMT_GET:
        return g_strdup_printf ("SELECT rv, data FROM t_%s WHERE id = ?", table);
      case STMT_EXISTS:
        return g_strdup_printf ("SELECT 1 FROM t_%s WHERE id = ?", table);
      case STMT_INSERT:
        return g_strdup_printf ("INSERT INTO t_%s (rv, data, id) VALUES (?, ?, ?)", table);
      case STMT_UPDATE:
        return g_strdup_printf ("UPDATE t_%s SET rv = ?, data = ? WHERE id = ?", table);
      case STMT_DELETE:
      default:
        return g_strdup_printf ("DELETE FROM t_%s WHERE id = ?", table);
    }
}

static void
free_table_stmts (gpointer data)
{
  sqlite3_stmt **stmts = data;

  for (guint i = 0; i < N_TABLE_STMTS; i++)
    sqlite3_finalize (stmts[i]);
  g_free (stmts);
}
G_DEFINE_QUARK (sb - sandbox - store - error - quark, sb_sandbox_store_error)

static void
set_sqlite_error (SbSandboxStore *self, GError **error, const char *what)
{
  g_set_error (error, SB_SANDBOX_STORE_ERROR, sqlite3_extended_errcode (self->db), "%s: %s", what,
               sqlite3_errmsg (self->db));
}

static gboolean
exec (SbSandboxStore *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, SB_SANDBOX_STORE_ERROR, sqlite3_extended_errcode (self->db), "%s: %s",
                   sql, msg);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

void
sb_sandbox_store_close (SbSandboxStore *self)
{
  g_hash_table_remove_all (self->stmts);
  g_hash_table_remove_all (self->table_stmts);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
}

static void
sb_sandbox_store_finalize (GObject *object)
{
  SbSandboxStore *self = SB_SANDBOX_STORE (object);

  sb_sandbox_store_close (self);
  g_hash_table_unref (self->stmts);
  g_hash_table_unref (self->table_stmts);
  g_clear_object (&self->parser);
  G_OBJECT_CLASS (sb_sandbox_store_parent_class)->finalize (object);
}

static void
sb_sandbox_store_class_init (SbSandboxStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_sandbox_store_finalize;
}

static void
sb_sandbox_store_init (SbSandboxStore *self)
{
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
  self->parser = json_parser_new ();
  self->table_stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, free_table_stmts);
}

static gboolean
attr_is_string (const SbAttr *attr)
{
  return attr->type == SB_ATTR_STRING || attr->type == SB_ATTR_MEMO;
}

static void
append_table_sql (GString *sql, const SbTable *table)
{
  g_string_append_printf (sql,
                          "CREATE TABLE IF NOT EXISTS t_%s (id TEXT PRIMARY KEY NOT NULL, "
                          "rv INTEGER NOT NULL, data TEXT NOT NULL);"
                          "CREATE INDEX IF NOT EXISTS i_%s__rv ON t_%s (rv);",
                          table->name, table->name, table->name);
  for (guint j = 0; j < table->attrs->len; j++)
    {
      const SbAttr *attr = g_ptr_array_index (table->attrs, j);

      if (!(attr->flags & SB_ATTR_FLAG_INDEXED))
        continue;
      g_string_append_printf (sql,
                              "CREATE INDEX IF NOT EXISTS i_%s_%s ON t_%s "
                              "(json_extract(data, '%s')%s);",
                              table->name, attr->name, table->name, attr->json_path,
                              attr_is_string (attr) ? " COLLATE SB_NOCASE" : "");
    }
}

gboolean
sb_sandbox_store_create_table (SbSandboxStore *self, const SbTable *table, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree char *max_sql = g_strdup_printf ("SELECT max(rv) FROM t_%s", table->name);
  sqlite3_stmt *stmt;

  append_table_sql (sql, table);
  if (!exec (self, sql->str, error))
    return FALSE;
  /* A table defined again after a restart brings its rows' versions with it. */
  stmt = sb_sandbox_store_prepare (self, max_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->version = MAX (self->version, sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
create_schema (SbSandboxStore *self, GError **error)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  g_autoptr (GString) sql = g_string_new (NULL);

  g_string_append (sql, "CREATE TABLE IF NOT EXISTS sb_meta (key TEXT PRIMARY KEY NOT NULL, "
                        "value TEXT);"
                        "CREATE TABLE IF NOT EXISTS sb_deleted (tbl TEXT NOT NULL, id TEXT NOT "
                        "NULL, rv INTEGER NOT NULL, deletedon TEXT NOT NULL);"
                        "CREATE INDEX IF NOT EXISTS sb_deleted_rv ON sb_deleted (tbl, rv);"
                        "CREATE TABLE IF NOT EXISTS sb_assoc (rel TEXT NOT NULL, a TEXT NOT NULL, "
                        "b TEXT NOT NULL, PRIMARY KEY (rel, a, b)) WITHOUT ROWID;");
  for (guint i = 0; i < schema->tables->len; i++)
    {
      append_table_sql (sql, g_ptr_array_index (schema->tables, i));
    }
  return exec (self, sql->str, error);
}

static gint64
load_version (SbSandboxStore *self)
{
  const SbSchema *schema = sb_sandbox_schema_get ();
  gint64 max = 0;

  for (guint i = 0; i <= schema->tables->len; i++)
    {
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;

      if (i == schema->tables->len)
        sql = g_strdup ("SELECT max(rv) FROM sb_deleted");
      else
        sql = g_strdup_printf ("SELECT max(rv) FROM t_%s",
                               ((SbTable *) g_ptr_array_index (schema->tables, i))->name);
      stmt = sb_sandbox_store_prepare (self, sql, NULL);
      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        max = MAX (max, sqlite3_column_int64 (stmt, 0));
    }
  return max;
}

SbSandboxStore *
sb_sandbox_store_new (const char *path, GError **error)
{
  g_autoptr (SbSandboxStore) self = g_object_new (SB_TYPE_SANDBOX_STORE, NULL);
  int rc;

  rc = sqlite3_open_v2 (path != NULL ? path : ":memory:", &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SB_SANDBOX_STORE_ERROR, rc, "Cannot open %s: %s",
                   path ? path : ":memory:", self->db ? sqlite3_errmsg (self->db) : "");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!sb_odata_register_sqlite (self->db, error))
    return NULL;
  /* WAL + NORMAL: a crash or SIGKILL loses at most the last transactions, never consistency. */
  if (path != NULL && !exec (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error))
    return NULL;
  if (!exec (self, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;", error))
    return NULL;
  if (!create_schema (self, error))
    return NULL;
  self->version = load_version (self);
  return g_steal_pointer (&self);
}

sqlite3 *
sb_sandbox_store_get_db (SbSandboxStore *self)
{
  return self->db;
}

sqlite3_stmt *
sb_sandbox_store_prepare (SbSandboxStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "prepare");
      return NULL;
    }
  /* Only SQL built from the schema comes here (ad-hoc query SQL is prepared per request), so
   * the cache stays bounded; never evict, a caller may still be stepping a cached statement. */
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

static sqlite3_stmt *
table_stmt (SbSandboxStore *self, const SbTable *table, TableStmt kind, GError **error)
{
  sqlite3_stmt **stmts = g_hash_table_lookup (self->table_stmts, table);

  if (stmts == NULL)
    {
      stmts = g_new0 (sqlite3_stmt *, N_TABLE_STMTS);
      g_hash_table_insert (self->table_stmts, (gpointer) table, stmts);
    }
  if (stmts[kind] == NULL)
    {
      g_autofree char *sql = table_sql (kind, table->name);

      if (sqlite3_prepare_v2 (self->db, sql, -1, &stmts[kind], NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, "prepare");
          return NULL;
        }
      return stmts[kind];
    }
  sqlite3_reset (stmts[kind]);
  sqlite3_clear_bindings (stmts[kind]);
  return stmts[kind];
}

gboolean
sb_sandbox_store_begin (SbSandboxStore *self, GError **error)
{
  if (!exec (self, self->depth == 0 ? "BEGIN" : "SAVEPOINT sp", error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
sb_sandbox_store_commit (SbSandboxStore *self, GError **error)
{
  g_return_val_if_fail (self->depth > 0, FALSE);
  if (!exec (self, self->depth == 1 ? "COMMIT" : "RELEASE sp", error))
    {
      sb_sandbox_store_rollback (self);
      return FALSE;
    }
  self->depth--;
  return TRUE;
}

void
sb_sandbox_store_rollback (SbSandboxStore *self)
{
  g_return_if_fail (self->depth > 0);
  if (self->depth == 1)
    exec (self, "ROLLBACK", NULL);
  else
    exec (self, "ROLLBACK TO sp; RELEASE sp", NULL);
  self->depth--;
}

gint64
sb_sandbox_store_next_version (SbSandboxStore *self)
{
  return ++self->version;
}

gint64
sb_sandbox_store_current_version (SbSandboxStore *self)
{
  return self->version;
}

JsonObject *
sb_sandbox_store_get (SbSandboxStore *self, const SbTable *table, const char *id,
                      gint64 *out_version)
{
  sqlite3_stmt *stmt = table_stmt (self, table, STMT_GET, NULL);
  JsonObject *row;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (out_version != NULL)
    *out_version = sqlite3_column_int64 (stmt, 0);
  row = sb_sandbox_store_parse_row (self, (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return row;
}

gboolean
sb_sandbox_store_exists (SbSandboxStore *self, const SbTable *table, const char *id)
{
  sqlite3_stmt *stmt = table_stmt (self, table, STMT_EXISTS, NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static void
write_string (GString *out, const char *text)
{
  /* Error messages may quote client input; the response must stay valid UTF-8 JSON. */
  g_autofree char *valid = g_utf8_validate (text, -1, NULL) ? NULL : g_utf8_make_valid (text, -1);
  const char *s = valid ? valid : text;
  const char *run = s;

  g_string_append_c (out, '"');
  /* Copy runs of plain characters at once; only quotes, backslashes and controls are escaped. */
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      const char *escape = NULL;
      char buf[8];

      if (*p >= 0x20 && *p != '"' && *p != '\\')
        continue;
      switch (*p)
        {
          case '"':
            escape = "\\\"";
            break;
          case '\\':
            escape = "\\\\";
            break;
          case '\n':
            escape = "\\n";
            break;
          case '\r':
            escape = "\\r";
            break;
          case '\t':
            escape = "\\t";
            break;
          default:
            g_snprintf (buf, sizeof buf, "\\u%04x", *p);
            escape = buf;
        }
      g_string_append_len (out, run, (const char *) p - run);
      g_string_append (out, escape);
      run = (const char *) p + 1;
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/* Shortest text that reads back as the same double: 2220.6, not json-glib's
 * 2220.5999999999999, which clients would show to users. */
static void
write_double (GString *out, double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  g_string_append (out, buf);
}

void
sb_sandbox_json_write (GString *out, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_OBJECT:
        {
          JsonObjectIter iter;
          const char *member;
          JsonNode *child;
          gboolean first = TRUE;

          g_string_append_c (out, '{');
          json_object_iter_init_ordered (&iter, json_node_get_object (node));
          while (json_object_iter_next_ordered (&iter, &member, &child))
            {
              if (!first)
                g_string_append_c (out, ',');
              first = FALSE;
              write_string (out, member);
              g_string_append_c (out, ':');
              sb_sandbox_json_write (out, child);
            }
          g_string_append_c (out, '}');
          break;
        }
      case JSON_NODE_ARRAY:
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);

          g_string_append_c (out, '[');
          for (guint i = 0; i < n; i++)
            {
              if (i > 0)
                g_string_append_c (out, ',');
              sb_sandbox_json_write (out, json_array_get_element (array, i));
            }
          g_string_append_c (out, ']');
          break;
        }
      case JSON_NODE_NULL:
        g_string_append (out, "null");
        break;
      case JSON_NODE_VALUE:
      default:
        switch (json_node_get_value_type (node))
          {
            case G_TYPE_INT64:
              g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
              break;
            case G_TYPE_DOUBLE:
              write_double (out, json_node_get_double (node));
              break;
            case G_TYPE_BOOLEAN:
              g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
              break;
            case G_TYPE_STRING:
              write_string (out, json_node_get_string (node));
              break;
            default:
              g_string_append (out, "null");
          }
    }
}

static char *
row_to_text (JsonObject *row)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), row);
  GString *out = g_string_sized_new (512);

  sb_sandbox_json_write (out, node);
  return g_string_free (out, FALSE);
}

JsonObject *
sb_sandbox_store_parse_row (SbSandboxStore *self, const char *text)
{
  JsonNode *root;

  /* One parser for every row: creating a JsonParser per row costs more than parsing it. */
  if (!json_parser_load_from_data (self->parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (self->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static gboolean
write_row (SbSandboxStore *self, const SbTable *table, TableStmt kind, const char *id,
           gint64 version, JsonObject *row, GError **error)
{
  sqlite3_stmt *stmt = table_stmt (self, table, kind, error);
  char *text;
  int rc;

  if (stmt == NULL)
    return FALSE;
  text = row_to_text (row);
  sqlite3_bind_int64 (stmt, 1, version);
  sqlite3_bind_text (stmt, 2, text, -1, g_free);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "write");
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_sandbox_store_insert (SbSandboxStore *self, const SbTable *table, const char *id, gint64 version,
                         JsonObject *row, GError **error)
{
  return write_row (self, table, STMT_INSERT, id, version, row, error);
}

gboolean
sb_sandbox_store_update (SbSandboxStore *self, const SbTable *table, const char *id, gint64 version,
                         JsonObject *row, GError **error)
{
  return write_row (self, table, STMT_UPDATE, id, version, row, error);
}

gboolean
sb_sandbox_store_delete (SbSandboxStore *self, const SbTable *table, const char *id, gint64 version,
                         GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  sqlite3_stmt *stmt = table_stmt (self, table, STMT_DELETE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "delete");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  stmt = sb_sandbox_store_prepare (
      self, "INSERT INTO sb_deleted (tbl, id, rv, deletedon) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, version);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "delete log");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

void
sb_sandbox_bind_variant (sqlite3_stmt *stmt, int index, GVariant *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    sqlite3_bind_text (stmt, index, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    sqlite3_bind_int64 (stmt, index, g_variant_get_int64 (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    sqlite3_bind_double (stmt, index, g_variant_get_double (value));
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    sqlite3_bind_int (stmt, index, g_variant_get_boolean (value) ? 1 : 0);
  else
    sqlite3_bind_null (stmt, index);
}

char *
sb_sandbox_store_find (SbSandboxStore *self, const SbTable *table, const char *const *properties,
                       GVariant *const *values, guint n, const char *except_id)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_string_printf (sql, "SELECT id FROM t_%s WHERE ", table->name);
  for (guint i = 0; i < n; i++)
    {
      const SbAttr *attr = sb_table_property (table, properties[i]);

      g_string_append_printf (sql, "%sjson_extract(data, '$.%s') = ?%s", i ? " AND " : "",
                              properties[i],
                              attr != NULL && attr_is_string (attr) ? " COLLATE SB_NOCASE" : "");
    }
  if (except_id != NULL)
    g_string_append (sql, " AND id <> ?");
  g_string_append (sql, " LIMIT 1");
  stmt = sb_sandbox_store_prepare (self, sql->str, NULL);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n; i++)
    sb_sandbox_bind_variant (stmt, i + 1, values[i]);
  if (except_id != NULL)
    sqlite3_bind_text (stmt, n + 1, except_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

GPtrArray *
sb_sandbox_store_find_all (SbSandboxStore *self, const SbTable *table, const char *property,
                           const char *value)
{
  g_autofree char *sql =
      g_strdup_printf ("SELECT id FROM t_%s WHERE json_extract(data, '$.%s') = ? ORDER BY id",
                       table->name, property);
  sqlite3_stmt *stmt = sb_sandbox_store_prepare (self, sql, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (stmt == NULL)
    return ids;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}

char *
sb_sandbox_store_get_meta (SbSandboxStore *self, const char *key)
{
  sqlite3_stmt *stmt =
      sb_sandbox_store_prepare (self, "SELECT value FROM sb_meta WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

void
sb_sandbox_store_set_meta (SbSandboxStore *self, const char *key, const char *value)
{
  sqlite3_stmt *stmt = sb_sandbox_store_prepare (
      self, "INSERT OR REPLACE INTO sb_meta (key, value) VALUES (?, ?)", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
}

gint64
sb_sandbox_store_next_number (SbSandboxStore *self, const char *name)
{
  g_autofree char *key = g_strdup_printf ("seq:%s", name);
  g_autofree char *value = sb_sandbox_store_get_meta (self, key);
  gint64 next = value != NULL ? g_ascii_strtoll (value, NULL, 10) + 1 : 1000;
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, next);

  sb_sandbox_store_set_meta (self, key, text);
  return next;
}

gboolean
sb_sandbox_store_associate (SbSandboxStore *self, const char *relationship, const char *from_id,
                            const char *to_id)
{
  sqlite3_stmt *stmt = sb_sandbox_store_prepare (
      self, "INSERT OR IGNORE INTO sb_assoc (rel, a, b) VALUES (?, ?, ?)", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, relationship, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

gboolean
sb_sandbox_store_disassociate (SbSandboxStore *self, const char *relationship, const char *from_id,
                               const char *to_id)
{
  sqlite3_stmt *stmt = sb_sandbox_store_prepare (
      self, "DELETE FROM sb_assoc WHERE rel = ? AND a = ? AND (b = ? OR ? IS NULL)", NULL);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, relationship, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, to_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE && sqlite3_changes (self->db) > 0;
}

GPtrArray *
sb_sandbox_store_associated (SbSandboxStore *self, const char *relationship, const char *from_id)
{
  sqlite3_stmt *stmt = sb_sandbox_store_prepare (
      self, "SELECT b FROM sb_assoc WHERE rel = ? AND a = ? ORDER BY b", NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (stmt == NULL)
    return ids;
  sqlite3_bind_text (stmt, 1, relationship, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}
