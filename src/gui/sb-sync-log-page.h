/* sb-sync-log-page.h: synchronization jobs, their errors, open conflicts and skipped records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"
#include "sb-sync-mapping.h"

G_BEGIN_DECLS

#define SB_TYPE_SYNC_LOG_PAGE (sb_sync_log_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncLogPage, sb_sync_log_page, SB, SYNC_LOG_PAGE, SbPage)

/* Read by a worker on a store of its own each time the page is shown. */
GtkWidget *sb_sync_log_page_new (SbStore *store);

void sb_sync_log_page_reload (SbSyncLogPage *self);
gboolean sb_sync_log_page_is_busy (SbSyncLogPage *self);
/* "loading", "disabled", "empty", "log" or "error". */
const char *sb_sync_log_page_get_state (SbSyncLogPage *self);
/* Resolves the open conflicts of @erp_key in @mapping: @winner's data is kept. */
void sb_sync_log_page_resolve (SbSyncLogPage *self, const char *mapping, const char *erp_key,
                               SbSyncDirection winner);
/* Makes the skipped record @key of @mapping take part again. */
void sb_sync_log_page_restore (SbSyncLogPage *self, const char *mapping, const char *key);
/* Synchronizes @mapping again in @direction: its failed records are tried again. */
void sb_sync_log_page_retry (SbSyncLogPage *self, const char *mapping, SbSyncDirection direction);
/* Deletes the log's jobs and errors older than @older_than_days (0: all). */
void sb_sync_log_page_delete_entries (SbSyncLogPage *self, guint older_than_days);
const char *sb_sync_log_page_get_last_message (SbSyncLogPage *self);

G_END_DECLS
