/* sb-sync-lock.h: locks held across processes in the company database, and heartbeats
 *
 * A lock is one table row naming its holder (a token, the host and pid) with a heartbeat. The app
 * and salesbridge-cli share the database, so an in-process mutex is not enough; a holder killed
 * without releasing leaves its row, which is taken over when the pid is gone (same host) or the
 * heartbeat is older than the lock's staleness. Long runs keep their heartbeat fresh through the
 * thread heartbeat, which the engine calls from its progress path.
 *
 * Functions run on the thread that owns @store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-store.h"

G_BEGIN_DECLS

/* Seconds without heartbeat after which a full synchronization lock is taken over. */
#define SB_FULL_SYNC_LOCK_STALE 180
/* Seconds between heartbeats of a long run. */
#define SB_SYNC_HEARTBEAT_INTERVAL 5

/* Whether the holder (@host, @pid, last @heartbeat) of a lock is gone at @now. */
gboolean sb_sync_lock_holder_gone (const char *host, gint64 pid, gint64 heartbeat, gint64 now,
                                   gint64 stale);

/* Takes the full synchronization lock for @token at @now (renews it when @token holds it);
 * SB_SYNC_ERROR_LOCKED naming the holder and its start when another live one does. */
gboolean sb_full_sync_lock_acquire (SbStore *store, const char *token, gint64 now, GError **error);
/* Moves the heartbeat of @token's lock to @now. */
gboolean sb_full_sync_lock_beat (SbStore *store, const char *token, gint64 now, GError **error);
void sb_full_sync_lock_release (SbStore *store, const char *token);

/* The heartbeat of the runs on the calling thread: the engine calls @func with the run's store
 * from its progress path (after each $batch, every few rows read). NULL @func clears it. The
 * function throttles itself (SB_SYNC_HEARTBEAT_INTERVAL). */
typedef void (*SbSyncHeartbeatFunc) (SbStore *store, gpointer user_data);
void sb_sync_set_thread_heartbeat (SbSyncHeartbeatFunc func, gpointer user_data);
void sb_sync_thread_heartbeat (SbStore *store);

G_END_DECLS
