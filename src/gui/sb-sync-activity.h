/* sb-sync-activity.h: what is synchronizing a company's database right now, and how the last
 * run ended
 *
 * Everything in the app that synchronizes a database (the Full Synchronization Review, the
 * log page's Synchronize Now and Retry, the scheduled jobs) tells its activity when a run
 * begins and ends; the engine's "progress" of any engine on that database is picked up by
 * itself (a signal emission hook), so the header bar can show one picture of it all.
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_TYPE_SYNC_ACTIVITY (sb_sync_activity_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncActivity, sb_sync_activity, SB, SYNC_ACTIVITY, GObject)

/* The one activity of the database at @db_path in this process (a new reference). Signal
 * "changed" whenever a run begins, ends or progresses. */
SbSyncActivity *sb_sync_activity_get_for_database (const char *db_path);

const char *sb_sync_activity_get_database_path (SbSyncActivity *self);

/* A run starts; @title says what it is ("Full synchronization"). Returns its id for end(). */
guint sb_sync_activity_begin (SbSyncActivity *self, const char *title);
/* The run @id ended; @error (may be NULL) is remembered as the last error until the next run
 * that ends without one, or clear_error(). */
void sb_sync_activity_end (SbSyncActivity *self, guint id, const GError *error);
/* The run @id ended having done nothing worth reporting (a poll that found no due job): the
 * last error and time stay. */
void sb_sync_activity_abandon (SbSyncActivity *self, guint id);
/* Records of @mapping done of @total (0: unknown) in the current run. */
void sb_sync_activity_progress (SbSyncActivity *self, const char *mapping, guint done, guint total);

gboolean sb_sync_activity_is_running (SbSyncActivity *self);
/* The newest running run's title, or NULL. */
const char *sb_sync_activity_get_title (SbSyncActivity *self);
/* The mapping of the last progress of the running runs, or NULL. */
const char *sb_sync_activity_get_mapping (SbSyncActivity *self);
void sb_sync_activity_get_counts (SbSyncActivity *self, guint *out_done, guint *out_total);
/* The last run's error message, or NULL. */
const char *sb_sync_activity_get_last_error (SbSyncActivity *self);
void sb_sync_activity_clear_error (SbSyncActivity *self);
/* When the last run ended (monotonic-free wall clock, a local GDateTime), or NULL. */
GDateTime *sb_sync_activity_get_last_finished (SbSyncActivity *self);

G_END_DECLS
