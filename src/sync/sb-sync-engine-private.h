/* sb-sync-engine-private.h: engine runs for the review and the job queue (same layer)
 *
 * Both run on any thread with a store that thread owns, and report "progress" on
 * @progress_context (NULL: none).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sync-engine.h"

G_BEGIN_DECLS

/* One run of @name in its own direction; with @full a full synchronization (§3): uncoupled
 * records too, the watermarks ignored and then set to what the run reached. */
gboolean sb_sync_engine_run_mapping (SbSyncEngine *self, SbStore *store, const char *name,
                                     gboolean full, GMainContext *progress_context,
                                     SbSyncCounters *out_counters, GCancellable *cancellable,
                                     GError **error);
/* The job log (sync_job and sync_error rows) every kind of run writes to, so the log, the
 * counters and the requests per day mean the same whatever ran. _start returns the job's id, 0
 * on failure. */
gint64 sb_sync_job_log_start (SbStore *store, const char *mapping, SbSyncDirection direction,
                              GError **error);
/* Marks a job as more than a transfer ("match": coupling by matching), for the log. */
void sb_sync_job_log_set_kind (SbStore *store, gint64 job_id, const char *kind);
void sb_sync_job_log_finish (SbStore *store, gint64 job_id, const SbSyncCounters *counters,
                             guint64 requests, const char *message);
gboolean sb_sync_job_log_error (SbStore *store, gint64 job_id, const char *mapping,
                                const char *erp_key, const char *dataverse_id, const char *message,
                                GError **error);

/* Match-based coupling (§3) of @mapping on @store. On its own it honours the mapping's
 * "create new in case of no match" and "synchronize after coupling", and counts an unmatched
 * record as failed. @before_full_sync: only couple what matches and leave the rest to the full
 * synchronization that follows, which creates it (an unmatched record is no failure there). */
gboolean sb_sync_engine_run_couple_match (SbSyncEngine *self, SbStore *store, const char *mapping,
                                          gboolean before_full_sync, GMainContext *progress_context,
                                          SbSyncCounters *out_counters, GCancellable *cancellable,
                                          GError **error);

/* Whether Dataverse changes are read by change tracking (sb_sync_engine_set_change_tracking()). */
gboolean sb_sync_engine_get_change_tracking (SbSyncEngine *self);

G_END_DECLS
