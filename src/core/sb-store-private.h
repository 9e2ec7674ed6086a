/* sb-store-private.h: what the core's domain files share with the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sb-decimal.h"
#include "sb-store.h"

G_BEGIN_DECLS

sqlite3 *sb_store_get_db (SbStore *self);

/* Returns a cached, reset statement with no bindings; the store owns it. */
sqlite3_stmt *sb_store_prepare (SbStore *self, const char *sql, GError **error);

/* Steps @stmt to completion (no rows expected) and resets it. Constraint
 * failures map to SB_CORE_ERROR_EXISTS / SB_CORE_ERROR_IN_USE. */
gboolean sb_store_exec_stmt (SbStore *self, sqlite3_stmt *stmt, GError **error);
gboolean sb_store_exec (SbStore *self, const char *sql, GError **error);

/* Sets @error from the connection's last error. Always returns FALSE. */
gboolean sb_store_set_error (SbStore *self, GError **error);

/* A new change number; only inside a transaction. */
gint64 sb_store_next_change (SbStore *self);
/* Modification time of the current transaction as ISO 8601 UTC. */
const char *sb_store_get_now (SbStore *self);

/* The next number of number series @code ("C00011"); only inside a
 * transaction, and written back when it commits, so a rolled-back document
 * does not use up a number. */
char *sb_store_next_number (SbStore *self, const char *code, GError **error);

/* Records that a row went away, so "changed since" also finds deletions. */
gboolean sb_store_record_deletion (SbStore *self, const char *table, const char *key,
                                   GError **error);

/* Binding helpers: NULL/"" strings bind as NULL where @null_if_empty. */
void sb_bind_text (sqlite3_stmt *stmt, int index, const char *value);
void sb_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *value);
char *sb_column_dup (sqlite3_stmt *stmt, int index);

/* Rows of a transaction that failed are not seen by anyone: used by the
 * store's own code to run @func inside begin/commit or rollback. */
typedef gboolean (*SbStoreTxnFunc) (SbStore *store, gpointer user_data, GError **error);
gboolean sb_store_run_in_transaction (SbStore *self, SbStoreTxnFunc func, gpointer user_data,
                                      GError **error);

/* Only for tests: open and migrate no further than @version. */
SbStore *sb_store_open_at_version (const char *path, guint version, GError **error);

G_END_DECLS
