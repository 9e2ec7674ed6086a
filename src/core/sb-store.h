/* sb-store.h: one company's books in one SQLite database file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SB_TYPE_STORE (sb_store_get_type ())
G_DECLARE_FINAL_TYPE (SbStore, sb_store, SB, STORE, GObject)

typedef enum
{
  SB_STORE_OPEN_DEFAULT = 0,
  SB_STORE_OPEN_READ_ONLY = 1 << 0, /* for worker threads that only list rows */
} SbStoreOpenFlags;

/* The connection belongs to the thread that opens it: every other call must
 * come from that thread.  Other threads open their own SbStore on the same
 * path; WAL lets readers run beside the writer. */
SbStore *sb_store_open (const char *path, SbStoreOpenFlags flags, GError **error);
const char *sb_store_get_path (SbStore *self);
guint sb_store_get_schema_version (SbStore *self);
guint sb_store_get_latest_schema_version (void);
char *sb_store_get_default_path (void);

/* Highest change number handed out so far; rows with a greater one are
 * "changed since".  Every insert, update and deletion gets a new one. */
gint64 sb_store_get_change_number (SbStore *self);

/* Transactions nest: the outermost begin takes the write lock; inner ones
 * only count.  A rollback at any depth dooms the whole transaction, so the
 * outermost commit then fails and nothing is kept.  Every multi-row write
 * runs in one. */
gboolean sb_store_begin (SbStore *self, GError **error);
gboolean sb_store_commit (SbStore *self, GError **error);
void sb_store_rollback (SbStore *self);

G_END_DECLS
