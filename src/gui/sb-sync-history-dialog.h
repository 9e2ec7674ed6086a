/* sb-sync-history-dialog.h: what was transferred for one record, and when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows, modal over @parent, the synchronization history of record @key (ERP key or Dataverse
 * id) of @mapping, newest first: time in the user's locale, direction, action, the fields
 * transferred and the message. It is read on a worker thread with a read-only store of its own
 * on @db_path. The window is named "sync-history-dialog"; its stack "history-stack" shows
 * "loading", "list", "empty" or "error". */
GtkWidget *sb_sync_history_dialog_show (GtkWindow *parent, const char *db_path, const char *mapping,
                                        const char *key);

G_END_DECLS
