/* sb-store.c
 *
 * One SQLite connection, owned by the thread that opened it (SQLite is
 * opened with NOMUTEX: sharing it would be a bug, so calls from another
 * thread are refused).  Shapes follow tinysparql's tracker-db-manager: WAL
 * checked on open, user_version migrations in ordered steps, cached
 * prepared statements.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sb-core-error.h"
#include "sb-store-migrations.h"
#include "sb-store-private.h"

struct _SbStore
{
  GObject parent_instance;

  sqlite3 *db;
  char *path;
  GThread *owner;
  GHashTable *statements; /* SQL text → sqlite3_stmt * */
  guint schema_version;

  guint txn_depth;
  gboolean txn_failed;  /* an inner step rolled back: the whole transaction must */
  gint64 change_number; /* last handed out, valid inside a transaction */
  gboolean change_dirty;
  char *now;
  /* Number series taken in this transaction: written back on commit, so a
   * bulk insert pays one UPDATE per series instead of one per record. */
  GHashTable *series; /* code → Series */
};

typedef struct
{
  char *prefix;
  gint64 width;
  gint64 last_no;
} Series;

static void
series_free (Series *series)
{
  g_free (series->prefix);
  g_free (series);
}

G_DEFINE_FINAL_TYPE (SbStore, sb_store, G_TYPE_OBJECT)

static void
sb_store_finalize (GObject *object)
{
  SbStore *self = SB_STORE (object);

  if (self->txn_depth > 0)
    {
      g_warning ("Store %s closed inside a transaction; rolling back", self->path);
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    }
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->series, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->now);

  G_OBJECT_CLASS (sb_store_parent_class)->finalize (object);
}

static void
sb_store_class_init (SbStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_store_finalize;
}

static void
sb_store_init (SbStore *self)
{
  self->statements =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sqlite3_finalize);
  self->series =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) series_free);
}

gboolean
sb_store_set_error (SbStore *self, GError **error)
{
  int code = sqlite3_extended_errcode (self->db);
  const char *message = sqlite3_errmsg (self->db);

  if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS,
                 _ ("A record with this key already exists."));
  else if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_IN_USE,
                 _ ("The record refers to a record that does not exist, or is still used by "
                    "other records."));
  else if (code == SQLITE_CONSTRAINT_CHECK || code == SQLITE_CONSTRAINT_NOTNULL)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("A value is outside its allowed range (%s)."), message);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                 _ ("The company database is busy in another program. Try again in a moment."));
  else
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                 _ ("The company database “%s” reported an error: %s"), self->path, message);
  return FALSE;
}

sqlite3 *
sb_store_get_db (SbStore *self)
{
  return self->db;
}

sqlite3_stmt *
sb_store_prepare (SbStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  g_return_val_if_fail (self->owner == g_thread_self (), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      sb_store_set_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
sb_store_exec_stmt (SbStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sb_store_exec (SbStore *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sb_store_set_error (self, error);
  return TRUE;
}

void
sb_bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
  sqlite3_bind_text (stmt, index, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
}

void
sb_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *value)
{
  if (value == NULL || *value == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

char *
sb_column_dup (sqlite3_stmt *stmt, int index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return g_strdup (text != NULL ? (const char *) text : "");
}

static gint64
read_change_number (SbStore *self)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      self, "SELECT CAST(value AS INTEGER) FROM sb_meta WHERE key = 'change_no'", NULL);
  gint64 value = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return value;
}

gint64
sb_store_get_change_number (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), 0);

  if (self->txn_depth > 0)
    return self->change_number;
  return read_change_number (self);
}

gboolean
sb_store_begin (SbStore *self, GError **error)
{
  g_autoptr (GDateTime) now = NULL;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->owner == g_thread_self (), FALSE);

  /* Nested transactions are all-or-nothing with the outermost one: a
   * savepoint per nested write would cost a third of a bulk insert, and no
   * caller wants half of a failed operation kept. */
  if (self->txn_depth > 0)
    {
      self->txn_depth++;
      return TRUE;
    }

  /* IMMEDIATE takes the write lock now, so two writers never deadlock
   * upgrading read locks; busy_timeout makes the second one wait. */
  if (!sb_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->txn_depth = 1;
  self->txn_failed = FALSE;
  g_hash_table_remove_all (self->series);
  self->change_number = read_change_number (self);
  self->change_dirty = FALSE;
  now = g_date_time_new_now_utc ();
  g_free (self->now);
  self->now = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  /* Milliseconds are enough and sort the same way. */
  self->now[23] = 'Z';
  self->now[24] = '\0';
  return TRUE;
}

gboolean
sb_store_commit (SbStore *self, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SB_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->txn_depth > 0, FALSE);

  if (self->txn_depth > 1)
    {
      self->txn_depth--;
      return TRUE;
    }

  if (self->txn_failed)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      self->txn_depth = 0;
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                   _ ("A step of the change failed, so none of it was saved."));
      return FALSE;
    }

  if (g_hash_table_size (self->series) > 0)
    {
      GHashTableIter iter;
      gpointer code, value;

      stmt = sb_store_prepare (self, "UPDATE no_series SET last_no = ?2 WHERE code = ?1", error);
      if (stmt == NULL)
        return FALSE;
      g_hash_table_iter_init (&iter, self->series);
      while (g_hash_table_iter_next (&iter, &code, &value))
        {
          sqlite3_reset (stmt);
          sb_bind_text (stmt, 1, code);
          sqlite3_bind_int64 (stmt, 2, ((Series *) value)->last_no);
          if (!sb_store_exec_stmt (self, stmt, error))
            return FALSE;
        }
      g_hash_table_remove_all (self->series);
    }

  if (self->change_dirty)
    {
      stmt = sb_store_prepare (
          self, "UPDATE sb_meta SET value = CAST(?1 AS TEXT) WHERE key = 'change_no'", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, self->change_number);
      if (!sb_store_exec_stmt (self, stmt, error))
        return FALSE;
    }
  if (!sb_store_exec (self, "COMMIT", error))
    return FALSE;
  self->txn_depth = 0;
  return TRUE;
}

void
sb_store_rollback (SbStore *self)
{
  g_return_if_fail (SB_IS_STORE (self));
  g_return_if_fail (self->txn_depth > 0);

  if (self->txn_depth > 1)
    {
      self->txn_failed = TRUE;
      self->txn_depth--;
      return;
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->txn_depth = 0;
  g_hash_table_remove_all (self->series);
}

gboolean
sb_store_run_in_transaction (SbStore *self, SbStoreTxnFunc func, gpointer user_data, GError **error)
{
  if (!sb_store_begin (self, error))
    return FALSE;
  if (!func (self, user_data, error))
    {
      sb_store_rollback (self);
      return FALSE;
    }
  if (!sb_store_commit (self, error))
    {
      sb_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gint64
sb_store_next_change (SbStore *self)
{
  g_return_val_if_fail (self->txn_depth > 0, 0);

  self->change_dirty = TRUE;
  return ++self->change_number;
}

const char *
sb_store_get_now (SbStore *self)
{
  g_return_val_if_fail (self->txn_depth > 0, NULL);
  return self->now;
}

char *
sb_store_next_number (SbStore *self, const char *code, GError **error)
{
  Series *series;

  g_return_val_if_fail (self->txn_depth > 0, NULL);

  series = g_hash_table_lookup (self->series, code);
  if (series == NULL)
    {
      sqlite3_stmt *stmt = sb_store_prepare (
          self, "SELECT prefix, width, last_no FROM no_series WHERE code = ?1", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sb_bind_text (stmt, 1, code);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          series = g_new0 (Series, 1);
          series->prefix = sb_column_dup (stmt, 0);
          series->width = sqlite3_column_int64 (stmt, 1);
          series->last_no = sqlite3_column_int64 (stmt, 2);
          g_hash_table_insert (self->series, g_strdup (code), series);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          sb_store_set_error (self, error);
          return NULL;
        }
      if (series == NULL)
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                       _ ("The number series “%s” does not exist."), code);
          return NULL;
        }
    }
  series->last_no++;
  return g_strdup_printf ("%s%0*" G_GINT64_FORMAT, series->prefix, (int) series->width,
                          series->last_no);
}

gboolean
sb_store_record_deletion (SbStore *self, const char *table, const char *key, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (self,
                                         "INSERT INTO deleted_record (table_name, record_key,"
                                         " change_no, modified_at) VALUES (?1, ?2, ?3, ?4)",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, table);
  sb_bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, sb_store_next_change (self));
  sb_bind_text (stmt, 4, sb_store_get_now (self));
  return sb_store_exec_stmt (self, stmt, error);
}

static gboolean
query_int (SbStore *self, const char *sql, gint64 *out_value, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return sb_store_set_error (self, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return sb_store_set_error (self, error);
  return TRUE;
}

/* sb_fold(text): case-folded text, so searches match "Å" with "å" (SQLite's
 * own LIKE only folds ASCII). */
static void
sql_fold (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }
  folded = g_utf8_casefold (text, -1);
  sqlite3_result_text (context, folded, -1, g_free);
}

static gboolean
check_journal_mode (SbStore *self, gboolean read_only, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *mode = NULL;

  if (sqlite3_prepare_v2 (self->db, read_only ? "PRAGMA journal_mode" : "PRAGMA journal_mode=WAL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sb_store_set_error (self, error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mode = sb_column_dup (stmt, 0);
  sqlite3_finalize (stmt);

  /* Without WAL, a worker reading a list would block every write, and a
   * crash would not be recovered the way the rest of the code assumes. */
  if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                   _ ("The company database “%s” cannot use write-ahead logging (journal mode is "
                      "“%s”). Move it to a local disk and try again."),
                   self->path, mode != NULL ? mode : "?");
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (SbStore *self, guint target, GError **error)
{
  const SbMigration *steps;
  guint n_steps;
  gint64 version = 0;

  if (!query_int (self, "PRAGMA user_version", &version, error))
    return FALSE;

  steps = sb_store_get_migrations (&n_steps);
  if (version > steps[n_steps - 1].version)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_VERSION,
                   _ ("The company database “%s” was made by a newer version of Salesbridge "
                      "(schema %u, this version knows %u). Update Salesbridge to open it."),
                   self->path, (guint) version, steps[n_steps - 1].version);
      return FALSE;
    }

  for (guint i = 0; i < n_steps; i++)
    {
      g_autofree char *set_version = NULL;

      if (steps[i].version <= version || steps[i].version > target)
        continue;

      /* Each step commits on its own with its version, so an interrupted
       * upgrade resumes at the step that did not finish. */
      if (!sb_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      set_version = g_strdup_printf ("PRAGMA user_version = %u", steps[i].version);
      if (!sb_store_exec (self, steps[i].sql, error) || !sb_store_exec (self, set_version, error) ||
          !sb_store_exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_prefix_error (error, _ ("Could not upgrade the company database to schema %u: "),
                          steps[i].version);
          return FALSE;
        }
      version = steps[i].version;
    }

  self->schema_version = (guint) version;
  return TRUE;
}

static SbStore *
open_store (const char *path, SbStoreOpenFlags flags, guint target_version, GError **error)
{
  g_autoptr (SbStore) self = g_object_new (SB_TYPE_STORE, NULL);
  gboolean read_only = (flags & SB_STORE_OPEN_READ_ONLY) != 0;
  int open_flags = SQLITE_OPEN_NOMUTEX;
  g_autofree char *dir = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  self->owner = g_thread_self ();

  if (read_only)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    {
      open_flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                       _ ("Could not create the folder “%s” for the company database: %s"), dir,
                       g_strerror (saved_errno));
          return NULL;
        }
    }

  if (sqlite3_open_v2 (path, &self->db, open_flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                   _ ("Could not open the company database “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_create_function (self->db, "sb_fold", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_fold,
                           NULL, NULL);
  sqlite3_busy_timeout (self->db, 5000);

  /* A file that is not a database fails here rather than later. */
  if (!check_journal_mode (self, read_only, &local_error))
    {
      if (sqlite3_errcode (self->db) == SQLITE_NOTADB)
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                     _ ("“%s” is not a Salesbridge company database."), path);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!sb_store_exec (self,
                      "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                      " PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY",
                      error))
    return NULL;

  if (read_only)
    {
      gint64 version = 0;
      if (!query_int (self, "PRAGMA user_version", &version, error))
        return NULL;
      if (version != sb_store_get_latest_schema_version ())
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_VERSION,
                       _ ("The company database “%s” has schema %u, expected %u."), path,
                       (guint) version, sb_store_get_latest_schema_version ());
          return NULL;
        }
      self->schema_version = (guint) version;
    }
  else if (!migrate (self, target_version, error))
    return NULL;

  return g_steal_pointer (&self);
}

SbStore *
sb_store_open (const char *path, SbStoreOpenFlags flags, GError **error)
{
  return open_store (path, flags, G_MAXUINT, error);
}

SbStore *
sb_store_open_at_version (const char *path, guint version, GError **error)
{
  return open_store (path, SB_STORE_OPEN_DEFAULT, version, error);
}

const char *
sb_store_get_path (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), NULL);
  return self->path;
}

guint
sb_store_get_schema_version (SbStore *self)
{
  g_return_val_if_fail (SB_IS_STORE (self), 0);
  return self->schema_version;
}

guint
sb_store_get_latest_schema_version (void)
{
  guint n;
  const SbMigration *steps = sb_store_get_migrations (&n);

  return steps[n - 1].version;
}

char *
sb_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "salesbridge", "companies", "default.sbdb",
                           NULL);
}
