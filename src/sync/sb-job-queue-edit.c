/* sb-job-queue-edit.c: what a user changes on a recurring job
 *
 * Run now, hold, resume and the job's times. The runner may be running the job in another
 * process at the same moment, so each change is one statement (or one transaction) whose WHERE
 * clause refuses a job that is running or that a full synchronization holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-job-queue.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"

gboolean
sb_job_queue_edit (SbStore *store, const char *name, SbJobEdit edit, gint64 now, GError **error)
{
  /* Hold and Run Now only apply to the mapping jobs; the others sleep on their own timeout
   * and can only be resumed. A running job (status 2) is never touched. */
  static const char *const sql[] = {
    [SB_JOB_EDIT_RUN_NOW] = "UPDATE job_queue SET status = ?3, next_run = ?2 WHERE name = ?1"
                            " AND available = 1 AND mapping <> '' AND held_by_full_sync = 0"
                            " AND status <> 2",
    [SB_JOB_EDIT_HOLD] = "UPDATE job_queue SET status = ?3 WHERE name = ?1 AND available = 1"
                         " AND mapping <> '' AND held_by_full_sync = 0 AND status <> 2",
    [SB_JOB_EDIT_RESUME] = "UPDATE job_queue SET status = ?3, next_run = ?2 WHERE name = ?1"
                           " AND held_by_full_sync = 0 AND status = 4",
  };
  static const SbJobStatus status[] = {
    [SB_JOB_EDIT_RUN_NOW] = SB_JOB_STATUS_READY,
    [SB_JOB_EDIT_HOLD] = SB_JOB_STATUS_ON_HOLD,
    [SB_JOB_EDIT_RESUME] = SB_JOB_STATUS_READY,
  };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (edit <= SB_JOB_EDIT_RESUME, FALSE);

  stmt = sb_store_prepare (store, sql[edit], error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, status[edit]);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sb_store_get_db (store)) == 0)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, "%s",
                   edit == SB_JOB_EDIT_RESUME
                       ? _ ("The job is not on hold, or a full synchronization holds it.")
                       : _ ("The job cannot be changed now: it is running, not available yet, "
                            "or held by a full synchronization. Try again when it has finished."));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *name;
  guint interval;
  guint inactivity_timeout;
  gint64 now;
} Timing;

static gboolean
set_timing_txn (SbStore *store, gpointer user_data, GError **error)
{
  Timing *t = user_data;
  sqlite3_stmt *stmt;

  /* A shorter time takes effect at once: a job asleep for longer than its new time wakes then,
   * not when the old time would have ended. A longer one counts from the next run. */
  stmt = sb_store_prepare (store,
                           "UPDATE job_queue SET interval_minutes = ?2, inactivity_timeout = ?3,"
                           " next_run = CASE"
                           "   WHEN status = 6 THEN min (next_run, ?4 + ?3 * 60)"
                           "   WHEN status IN (1, 3) THEN min (next_run, ?4 + ?2 * 60)"
                           "   ELSE next_run END"
                           " WHERE name = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, t->name);
  sqlite3_bind_int (stmt, 2, (int) t->interval);
  sqlite3_bind_int (stmt, 3, (int) t->inactivity_timeout);
  sqlite3_bind_int64 (stmt, 4, t->now);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (sb_store_get_db (store)) == 0)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("There is no scheduled job “%s”. List the jobs to see their names."),
                   t->name);
      return FALSE;
    }
  /* A mapping's job takes its times from the mapping each time the jobs are ensured: the
   * mapping keeps them. */
  stmt = sb_store_prepare (store,
                           "UPDATE integration_table_mapping SET job_interval = ?2,"
                           " inactivity_timeout = ?3 WHERE name ="
                           " (SELECT mapping FROM job_queue WHERE name = ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, t->name);
  sqlite3_bind_int (stmt, 2, (int) t->interval);
  sqlite3_bind_int (stmt, 3, (int) t->inactivity_timeout);
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_job_queue_set_timing (SbStore *store, const char *name, guint interval, guint inactivity_timeout,
                         gint64 now, GError **error)
{
  Timing t = { name, interval, inactivity_timeout, now };

  g_return_val_if_fail (name != NULL, FALSE);

  if (interval < 1 || interval > SB_JOB_QUEUE_MAX_MINUTES || inactivity_timeout < 1 ||
      inactivity_timeout > SB_JOB_QUEUE_MAX_MINUTES)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("A job runs every 1 to %d minutes, and sleeps 1 to %d minutes when it had "
                      "nothing to do. Choose times in that range."),
                   SB_JOB_QUEUE_MAX_MINUTES, SB_JOB_QUEUE_MAX_MINUTES);
      return FALSE;
    }
  return sb_store_run_in_transaction (store, set_timing_txn, &t, error);
}
