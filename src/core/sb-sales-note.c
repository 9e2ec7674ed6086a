/* sb-sales-note.c: notes on sales documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-sales-note.h"
#include "sb-store-private.h"

void
sb_sales_note_free (SbSalesNote *note)
{
  if (note == NULL)
    return;
  g_free (note->doc_no);
  g_free (note->text);
  g_free (note->modified_at);
  g_free (note);
}

static gboolean
check_text (const char *text, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*stripped != '\0')
    return TRUE;
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
               _ ("A note needs some text. Write the note, or delete it."));
  return FALSE;
}

typedef struct
{
  SbSalesDocType type;
  const char *doc_no;
  const char *text;
  gint64 id;
} NoteOp;

static gboolean
add_txn (SbStore *store, gpointer user_data, GError **error)
{
  NoteOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->doc_no, error);
  sqlite3_stmt *stmt;

  if (header == NULL)
    return FALSE;
  stmt = sb_store_prepare (store,
                           "INSERT INTO sales_note (doc_type, doc_no, text, change_no, modified_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, op->type);
  sb_bind_text (stmt, 2, op->doc_no);
  sb_bind_text (stmt, 3, op->text);
  sqlite3_bind_int64 (stmt, 4, sb_store_next_change (store));
  sb_bind_text (stmt, 5, sb_store_get_now (store));
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  op->id = sqlite3_last_insert_rowid (sb_store_get_db (store));
  return TRUE;
}

gint64
sb_sales_note_add (SbStore *store, SbSalesDocType type, const char *doc_no, const char *text,
                   GError **error)
{
  NoteOp op = { type, doc_no, text, 0 };

  if (!check_text (text, error) || !sb_store_run_in_transaction (store, add_txn, &op, error))
    return 0;
  return op.id;
}

static gboolean
write_txn (SbStore *store, gpointer user_data, GError **error)
{
  NoteOp *op = user_data;
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      op->text != NULL ? "UPDATE sales_note SET text = ?2, change_no = ?3, modified_at = ?4"
                         " WHERE id = ?1"
                       : "DELETE FROM sales_note WHERE id = ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (op->text != NULL)
    {
      sb_bind_text (stmt, 2, op->text);
      sqlite3_bind_int64 (stmt, 3, sb_store_next_change (store));
      sb_bind_text (stmt, 4, sb_store_get_now (store));
    }
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sb_store_get_db (store)) == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                   _ ("The note no longer exists. Someone else may have deleted it."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_sales_note_update (SbStore *store, gint64 id, const char *text, GError **error)
{
  NoteOp op = { 0, NULL, text, id };

  return check_text (text, error) && sb_store_run_in_transaction (store, write_txn, &op, error);
}

gboolean
sb_sales_note_delete (SbStore *store, gint64 id, GError **error)
{
  NoteOp op = { 0, NULL, NULL, id };

  return sb_store_run_in_transaction (store, write_txn, &op, error);
}

#define NOTE_COLUMNS "id, doc_type, doc_no, text, change_no, modified_at"

static SbSalesNote *
read_note (sqlite3_stmt *stmt)
{
  SbSalesNote *note = g_new0 (SbSalesNote, 1);

  note->id = sqlite3_column_int64 (stmt, 0);
  note->doc_type = sqlite3_column_int64 (stmt, 1);
  note->doc_no = sb_column_dup (stmt, 2);
  note->text = sb_column_dup (stmt, 3);
  note->change_no = sqlite3_column_int64 (stmt, 4);
  note->modified_at = sb_column_dup (stmt, 5);
  return note;
}

SbSalesNote *
sb_sales_note_get (SbStore *store, gint64 id, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "SELECT " NOTE_COLUMNS " FROM sales_note WHERE id = ?1", error);
  SbSalesNote *note = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    note = read_note (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sb_store_set_error (store, error);
  return note;
}

GPtrArray *
sb_sales_note_list (SbStore *store, SbSalesDocType type, const char *doc_no, GError **error)
{
  g_autoptr (GPtrArray) notes =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sales_note_free);
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT " NOTE_COLUMNS " FROM sales_note WHERE doc_type = ?1 AND doc_no = ?2 ORDER BY id",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, type);
  sb_bind_text (stmt, 2, doc_no);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (notes, read_note (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&notes);
}
