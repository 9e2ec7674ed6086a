/* sb-job-queue.h: the recurring synchronization jobs (integration-behaviour.md §2)
 *
 * One recurring job per integration table mapping (every job_interval minutes, default 30)
 * and the other recurring jobs of §2 (listed, not available yet: their work arrives with
 * later issues). A run with nothing to do (inserted + modified + deleted + failed = 0) puts a
 * job On Hold with Inactivity Timeout until now + the mapping's inactivity timeout; it wakes
 * early when ERP records of its table changed and at least job_interval minutes passed since it
 * was last ready, or when Dataverse holds rows in the mapping's filter changed since its last
 * run. A failed run is retried after retry_delay seconds, at most max_attempts times, then the
 * job is in Error until its next interval. A full synchronization (sb-full-sync-review.h) puts
 * the mapping's job On Hold while it runs.
 *
 * Only one runner per database: running jobs needs the runner lock, a row holding the owner's
 * token, pid and heartbeat; a lock whose heartbeat is older than SB_JOB_QUEUE_LOCK_STALE
 * seconds, or whose pid on this host is gone, is taken over.
 *
 * Time comes from an injectable clock (seconds since the epoch), so tests never sleep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-job-status.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

#define SB_JOB_QUEUE_MAX_ATTEMPTS 10
#define SB_JOB_QUEUE_RETRY_DELAY 30 /* seconds */
#define SB_JOB_QUEUE_LOCK_STALE 120 /* seconds without heartbeat */

typedef struct
{
  char *name;    /* "CUSTOMER", "Customer Statistics" */
  char *mapping; /* the mapping it synchronizes, or "" */
  SbJobStatus status;
  guint interval;           /* minutes between runs */
  guint inactivity_timeout; /* minutes */
  gint64 next_run;          /* seconds since the epoch (UTC) */
  gint64 last_ready;        /* when it was last Ready */
  guint attempts;           /* failed attempts in a row */
  gboolean available;       /* FALSE: listed, its work is not implemented yet */
  char *message;            /* the last run's error, or "" */
} SbJobQueueEntry;

void sb_job_queue_entry_free (SbJobQueueEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbJobQueueEntry, sb_job_queue_entry_free)

typedef gint64 (*SbJobQueueClock) (gpointer user_data);

#define SB_TYPE_JOB_QUEUE (sb_job_queue_get_type ())
G_DECLARE_FINAL_TYPE (SbJobQueue, sb_job_queue, SB, JOB_QUEUE, GObject)

/* Signals: "job-changed" (const char *name, guint SbJobStatus) after each job run, on the
 * thread-default main context of whoever started the queue or called run_due_async. */
SbJobQueue *sb_job_queue_new (SbSyncEngine *engine);

/* NULL @clock: the real time (the default). */
void sb_job_queue_set_clock (SbJobQueue *self, SbJobQueueClock clock, gpointer user_data);
gint64 sb_job_queue_now (SbJobQueue *self);

/* Creates the missing job rows (one per mapping and the other §2 jobs). */
gboolean sb_job_queue_ensure_jobs (SbStore *store, gint64 now, GError **error);
/* Every job (SbJobQueueEntry), mappings first in "synchronize all" order. */
GPtrArray *sb_job_queue_list (SbStore *store, GError **error);
/* The same as JSON (name, mapping, status nick, next_run ISO 8601, attempts, available…). */
JsonNode *sb_job_queue_to_json (SbStore *store, GError **error);

/* What a user changes on a job. RUN_NOW and HOLD apply to the mapping jobs only; none of them
 * to a running job or one a full synchronization holds (SB_SYNC_ERROR_FAILED says so). */
typedef enum
{
  SB_JOB_EDIT_RUN_NOW,
  SB_JOB_EDIT_HOLD,
  SB_JOB_EDIT_RESUME,
} SbJobEdit;

gboolean sb_job_queue_edit (SbStore *store, const char *name, SbJobEdit edit, gint64 now,
                            GError **error);

#define SB_JOB_QUEUE_MAX_MINUTES (7 * 24 * 60) /* a week */

/* Minutes between runs and the inactivity timeout, each 1..SB_JOB_QUEUE_MAX_MINUTES; a
 * mapping's job keeps them in its mapping. A shorter time moves the next run nearer now. */
gboolean sb_job_queue_set_timing (SbStore *store, const char *name, guint interval,
                                  guint inactivity_timeout, gint64 now, GError **error);

/* Takes the runner lock of the engine's database (SB_SYNC_ERROR_LOCKED when another live
 * runner holds it); renews the heartbeat when this queue holds it already. */
gboolean sb_job_queue_acquire_lock (SbJobQueue *self, GError **error);
void sb_job_queue_release_lock (SbJobQueue *self);

/* Runs every due job once (taking the lock if needed), in "synchronize all" order, on the
 * thread that owns the engine's store. @out_n_run: how many ran. */
gboolean sb_job_queue_run_due_sync (SbJobQueue *self, guint *out_n_run, GCancellable *cancellable,
                                    GError **error);
void sb_job_queue_run_due_async (SbJobQueue *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_job_queue_run_due_finish (SbJobQueue *self, GAsyncResult *result, guint *out_n_run,
                                      GError **error);

/* Inside the app: takes the lock and checks for due jobs every @poll_seconds on the
 * thread-default main context (runs happen on a worker thread). stop() releases the lock
 * once the current run (if any) has ended. */
gboolean sb_job_queue_start (SbJobQueue *self, guint poll_seconds, GError **error);
void sb_job_queue_stop (SbJobQueue *self);
gboolean sb_job_queue_is_running (SbJobQueue *self);

G_END_DECLS
