/* sb-job-runner.h: the app's runner of the scheduled synchronization jobs of one database
 *
 * Once the connection is enabled, the runner takes the job queue's runner lock and runs the due
 * jobs (sb-job-queue.h) on a worker thread every poll interval; when another process holds the
 * lock (salesbridge-cli daemon, or the app on another computer), it says which and runs nothing.
 * stop() releases the lock (after the running job, if any: the app is held until then).
 *
 * Main thread; the store given is the window's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-store.h"
#include "sb-sync-activity.h"

G_BEGIN_DECLS

typedef enum
{
  SB_JOB_RUNNER_STOPPED,        /* not started, or stopped */
  SB_JOB_RUNNER_STARTING,       /* reading the connection, first run */
  SB_JOB_RUNNER_NOT_CONFIGURED, /* no enabled connection: nothing to run */
  SB_JOB_RUNNER_RUNNING,        /* holds the lock and runs the jobs */
  SB_JOB_RUNNER_OTHER_PROCESS,  /* another live process holds the lock */
  SB_JOB_RUNNER_FAILED,         /* the last attempt failed (message); tried again next poll */
} SbJobRunnerState;

#define SB_TYPE_JOB_RUNNER (sb_job_runner_get_type ())
G_DECLARE_FINAL_TYPE (SbJobRunner, sb_job_runner, SB, JOB_RUNNER, GObject)

/* Signals: "changed" (the state, or a job ran: read everything again); "job-failed" (const
 * char *name) when a job ends in Error after a good run (once, not at each retry), and
 * "job-recovered" (name) when such a job runs well again. */
SbJobRunner *sb_job_runner_new (SbStore *store, SbSyncActivity *activity);

void sb_job_runner_start (SbJobRunner *self, guint poll_seconds);
void sb_job_runner_stop (SbJobRunner *self);
/* Checks now instead of at the next poll. */
void sb_job_runner_poll (SbJobRunner *self);

SbJobRunnerState sb_job_runner_get_state (SbJobRunner *self);
/* With OTHER_PROCESS: where the lock's holder runs. */
const char *sb_job_runner_get_other_host (SbJobRunner *self);
gint64 sb_job_runner_get_other_pid (SbJobRunner *self);
/* With FAILED: why. */
const char *sb_job_runner_get_message (SbJobRunner *self);
/* TRUE while a check or a run is on its worker. */
gboolean sb_job_runner_is_busy (SbJobRunner *self);
/* The database whose jobs these are. */
const char *sb_job_runner_get_database_path (SbJobRunner *self);
/* How many polls ended, for tests waiting for the next one. */
guint sb_job_runner_get_n_polls (SbJobRunner *self);

/* Makes the job @name due now (Ready, next run now) and polls; whoever holds the lock runs it.
 * Hold puts it On Hold until resumed (Ready, due now). A worker writes the change; @callback
 * (may be NULL) follows with the result. */
void sb_job_runner_run_now_async (SbJobRunner *self, const char *name, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
void sb_job_runner_set_held_async (SbJobRunner *self, const char *name, gboolean held,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
/* Minutes between runs and inactivity timeout (sb_job_queue_set_timing()). */
void sb_job_runner_set_timing_async (SbJobRunner *self, const char *name, guint interval,
                                     guint inactivity_timeout, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_job_runner_change_finish (SbJobRunner *self, GAsyncResult *result, GError **error);

G_END_DECLS
