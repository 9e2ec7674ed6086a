/* sb-job-runner.c
 *
 * Each poll reads the connection setup and the lock's holder on a worker (and, the first time,
 * makes the connection with the keyring's secret), then lets the job queue run the due jobs on
 * a worker of its own. The queue stays for the runner's life: the lock belongs to its token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "sb-connection-setup.h"
#include "sb-coupling-dialogs.h"
#include "sb-job-queue.h"
#include "sb-job-runner.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"

struct _SbJobRunner
{
  GObject parent_instance;

  SbStore *store; /* the window's, main thread: the queue's lock is released on it */
  char *db_path;
  SbSyncActivity *activity;
  SbJobQueue *queue;
  GCancellable *cancellable;
  guint poll_id;
  guint poll_seconds;
  gboolean busy;
  gboolean poll_again;
  gboolean holds_lock;
  guint run_id;
  guint n_polls;
  char *failed_job;    /* a job that ended in Error during the current run */
  GHashTable *failing; /* jobs in Error since their last good run: notified once */
  SbJobRunnerState state;
  char *other_host;
  gint64 other_pid;
  char *message;
};

G_DEFINE_FINAL_TYPE (SbJobRunner, sb_job_runner, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_JOB_FAILED,
  SIGNAL_JOB_RECOVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (SbJobRunner *self, SbJobRunnerState state, const char *message)
{
  self->state = state;
  g_free (self->message);
  self->message = g_strdup (message);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
release_lock (SbJobRunner *self)
{
  if (self->holds_lock && self->queue != NULL)
    sb_job_queue_release_lock (self->queue);
  self->holds_lock = FALSE;
}

/* Checking */

typedef struct
{
  char *db_path;
  gboolean need_connection;
  gboolean enabled;
  SbDataverseConnection *connection;
  char *lock_host;
  gint64 lock_pid;
} Check;

static void
check_free (Check *c)
{
  g_free (c->db_path);
  g_clear_object (&c->connection);
  g_free (c->lock_host);
  g_free (c);
}

static void
check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Check *c = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (c->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  sqlite3_stmt *stmt;

  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  c->enabled = setup->is_enabled;
  /* Who holds the lock, to name them when it is not us (the table exists from schema 6). */
  stmt = sb_store_prepare (store, "SELECT host, pid FROM job_runner_lock WHERE id = 1", NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          c->lock_host = sb_column_dup (stmt, 0);
          c->lock_pid = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
    }
  if (c->enabled && c->need_connection)
    {
      g_autoptr (SbSyncEngine) engine = sb_coupling_open_engine (store, cancellable, &error);

      if (engine == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      c->connection = g_object_ref (sb_sync_engine_get_connection (engine));
    }
  g_task_return_boolean (task, TRUE);
}

static void poll_done (SbJobRunner *self);

static void
on_job_changed (SbJobQueue *queue, const char *name, guint status, SbJobRunner *self)
{
  if (status == SB_JOB_STATUS_ERROR && self->failed_job == NULL)
    self->failed_job = g_strdup (name);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  /* A job retries every 30 s up to ten times: one failure streak is one "job-failed". */
  if (status == SB_JOB_STATUS_ERROR)
    {
      if (g_hash_table_add (self->failing, g_strdup (name)))
        g_signal_emit (self, signals[SIGNAL_JOB_FAILED], 0, name);
    }
  else if (status != SB_JOB_STATUS_IN_PROCESS && g_hash_table_remove (self->failing, name))
    g_signal_emit (self, signals[SIGNAL_JOB_RECOVERED], 0, name);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbJobRunner) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) job_error = NULL;
  Check *c = g_object_get_data (G_OBJECT (self), "sb-check");
  guint n_run = 0;

  if (sb_job_queue_run_due_finish (SB_JOB_QUEUE (source), result, &n_run, &error))
    {
      self->holds_lock = TRUE;
      if (self->failed_job != NULL)
        job_error = g_error_new (SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                                 /* TRANSLATORS: a scheduled job's name */
                                 _ ("The scheduled job “%s” failed. The Synchronization Log "
                                    "says why."),
                                 self->failed_job);
      if (n_run > 0 || job_error != NULL)
        sb_sync_activity_end (self->activity, self->run_id, job_error);
      else
        sb_sync_activity_abandon (self->activity, self->run_id);
      set_state (self, SB_JOB_RUNNER_RUNNING, NULL);
    }
  else if (g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED))
    {
      sb_sync_activity_abandon (self->activity, self->run_id);
      self->holds_lock = FALSE;
      g_free (self->other_host);
      self->other_host = g_strdup (c != NULL && c->lock_host != NULL ? c->lock_host : "");
      self->other_pid = c != NULL ? c->lock_pid : 0;
      set_state (self, SB_JOB_RUNNER_OTHER_PROCESS, error->message);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sb_sync_activity_end (self->activity, self->run_id, error);
  else
    {
      sb_sync_activity_end (self->activity, self->run_id, error);
      set_state (self, SB_JOB_RUNNER_FAILED, error->message);
    }
  self->run_id = 0;
  g_clear_pointer (&self->failed_job, g_free);
  g_object_set_data (G_OBJECT (self), "sb-check", NULL);
  poll_done (self);
}

static void
check_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbJobRunner *self = SB_JOB_RUNNER (source);
  g_autoptr (GError) error = NULL;
  Check *c = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, SB_JOB_RUNNER_FAILED, error->message);
      poll_done (self);
      return;
    }
  if (!c->enabled)
    {
      /* Turned off: the jobs wait, and so does another process that wants to run them. */
      release_lock (self);
      if (self->queue != NULL)
        g_signal_handlers_disconnect_by_data (self->queue, self);
      g_clear_object (&self->queue);
      set_state (self, SB_JOB_RUNNER_NOT_CONFIGURED, NULL);
      poll_done (self);
      return;
    }
  if (self->queue == NULL)
    {
      g_autoptr (SbSyncEngine) engine = sb_sync_engine_new (self->store, c->connection);

      self->queue = sb_job_queue_new (engine);
      g_signal_connect (self->queue, "job-changed", G_CALLBACK (on_job_changed), self);
    }
  /* The check's copy names the lock's holder should the queue find it taken. */
  g_object_set_data_full (G_OBJECT (self), "sb-check", g_task_get_task_data (G_TASK (result)),
                          NULL);
  g_object_set_data_full (G_OBJECT (self), "sb-check-task", g_object_ref (result), g_object_unref);
  self->run_id = sb_sync_activity_begin (self->activity, _ ("Scheduled jobs"));
  sb_job_queue_run_due_async (self->queue, self->cancellable, run_done, g_object_ref (self));
}

static void
poll_done (SbJobRunner *self)
{
  GApplication *app = g_application_get_default ();

  self->busy = FALSE;
  self->n_polls++;
  g_object_set_data (G_OBJECT (self), "sb-check-task", NULL);
  if (self->poll_id == 0)
    {
      /* Stopped meanwhile: now the lock can go, and the app that waited for it. */
      release_lock (self);
      if (g_object_get_data (G_OBJECT (self), "sb-app-held") != NULL && app != NULL)
        g_application_release (app);
      g_object_set_data (G_OBJECT (self), "sb-app-held", NULL);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (self->poll_again)
    {
      self->poll_again = FALSE;
      sb_job_runner_poll (self);
    }
}

void
sb_job_runner_poll (SbJobRunner *self)
{
  g_autoptr (GTask) task = NULL;
  Check *c;

  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  if (self->poll_id == 0)
    return;
  if (self->busy)
    {
      self->poll_again = TRUE;
      return;
    }
  self->busy = TRUE;
  c = g_new0 (Check, 1);
  c->db_path = g_strdup (self->db_path);
  c->need_connection = self->queue == NULL;
  task = g_task_new (self, self->cancellable, check_done, NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) check_free);
  g_task_run_in_thread (task, check_thread);
}

static gboolean
poll_timeout (gpointer user_data)
{
  sb_job_runner_poll (user_data);
  return G_SOURCE_CONTINUE;
}

void
sb_job_runner_start (SbJobRunner *self, guint poll_seconds)
{
  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  if (self->poll_id != 0)
    return;
  self->poll_seconds = MAX (poll_seconds, 1);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->poll_id = g_timeout_add_seconds (self->poll_seconds, poll_timeout, self);
  set_state (self, SB_JOB_RUNNER_STARTING, NULL);
  sb_job_runner_poll (self);
}

void
sb_job_runner_stop (SbJobRunner *self)
{
  GApplication *app = g_application_get_default ();

  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  if (self->poll_id == 0)
    return;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_again = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->busy)
    {
      /* The worker ends at its next cancellation check; poll_done() then releases the lock.
       * Quitting waits for that rather than leave the lock to go stale. */
      if (app != NULL)
        {
          g_application_hold (app);
          g_object_set_data (G_OBJECT (self), "sb-app-held", GINT_TO_POINTER (TRUE));
        }
    }
  else
    release_lock (self);
  self->state = SB_JOB_RUNNER_STOPPED;
}

SbJobRunnerState
sb_job_runner_get_state (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), SB_JOB_RUNNER_STOPPED);
  return self->state;
}

const char *
sb_job_runner_get_other_host (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), NULL);
  return self->other_host;
}

gint64
sb_job_runner_get_other_pid (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), 0);
  return self->other_pid;
}

const char *
sb_job_runner_get_message (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), NULL);
  return self->message;
}

gboolean
sb_job_runner_is_busy (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), FALSE);
  return self->busy;
}

const char *
sb_job_runner_get_database_path (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), NULL);
  return self->db_path;
}

guint
sb_job_runner_get_n_polls (SbJobRunner *self)
{
  g_return_val_if_fail (SB_IS_JOB_RUNNER (self), 0);
  return self->n_polls;
}

/* Changing a job, on a worker with a store of its own (sb_job_queue_edit(),
 * sb_job_queue_set_timing()). */

typedef struct
{
  char *db_path;
  char *name;
  gboolean timing; /* else @edit */
  SbJobEdit edit;
  guint interval;
  guint inactivity_timeout;
  gint64 now;
} Change;

static void
change_free (Change *c)
{
  g_free (c->db_path);
  g_free (c->name);
  g_free (c);
}

static void
change_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Change *c = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (c->db_path, SB_STORE_OPEN_DEFAULT, &error);
  gboolean ok;

  if (store == NULL)
    ok = FALSE;
  else if (c->timing)
    ok = sb_job_queue_set_timing (store, c->name, c->interval, c->inactivity_timeout, c->now,
                                  &error);
  else
    ok = sb_job_queue_edit (store, c->name, c->edit, c->now, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
change_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbJobRunner *self = SB_JOB_RUNNER (source);
  GTask *outer = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
      sb_job_runner_poll (self);
      g_task_return_boolean (outer, TRUE);
    }
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

static void
change (SbJobRunner *self, Change *c, GCancellable *cancellable, GAsyncReadyCallback callback,
        gpointer user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) task = g_task_new (self, cancellable, change_done, outer);

  g_task_set_source_tag (outer, sb_job_runner_change_finish);
  c->db_path = g_strdup (self->db_path);
  c->now = g_get_real_time () / G_USEC_PER_SEC;
  g_task_set_task_data (task, c, (GDestroyNotify) change_free);
  g_task_run_in_thread (task, change_thread);
}

static void
edit (SbJobRunner *self, const char *name, SbJobEdit what, GCancellable *cancellable,
      GAsyncReadyCallback callback, gpointer user_data)
{
  Change *c = g_new0 (Change, 1);

  c->name = g_strdup (name);
  c->edit = what;
  change (self, c, cancellable, callback, user_data);
}

void
sb_job_runner_run_now_async (SbJobRunner *self, const char *name, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  g_return_if_fail (name != NULL);
  edit (self, name, SB_JOB_EDIT_RUN_NOW, cancellable, callback, user_data);
}

void
sb_job_runner_set_held_async (SbJobRunner *self, const char *name, gboolean held,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  g_return_if_fail (name != NULL);
  edit (self, name, held ? SB_JOB_EDIT_HOLD : SB_JOB_EDIT_RESUME, cancellable, callback, user_data);
}

void
sb_job_runner_set_timing_async (SbJobRunner *self, const char *name, guint interval,
                                guint inactivity_timeout, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  Change *c;

  g_return_if_fail (SB_IS_JOB_RUNNER (self));
  g_return_if_fail (name != NULL);
  c = g_new0 (Change, 1);
  c->name = g_strdup (name);
  c->timing = TRUE;
  c->interval = interval;
  c->inactivity_timeout = inactivity_timeout;
  change (self, c, cancellable, callback, user_data);
}

gboolean
sb_job_runner_change_finish (SbJobRunner *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
sb_job_runner_dispose (GObject *object)
{
  SbJobRunner *self = SB_JOB_RUNNER (object);

  sb_job_runner_stop (self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  g_clear_object (&self->queue);
  G_OBJECT_CLASS (sb_job_runner_parent_class)->dispose (object);
}

static void
sb_job_runner_finalize (GObject *object)
{
  SbJobRunner *self = SB_JOB_RUNNER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->activity);
  g_clear_object (&self->store);
  g_free (self->db_path);
  g_free (self->failed_job);
  g_hash_table_unref (self->failing);
  g_free (self->other_host);
  g_free (self->message);
  G_OBJECT_CLASS (sb_job_runner_parent_class)->finalize (object);
}

static void
sb_job_runner_class_init (SbJobRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_job_runner_dispose;
  object_class->finalize = sb_job_runner_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_JOB_FAILED] =
      g_signal_new ("job-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_JOB_RECOVERED] =
      g_signal_new ("job-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sb_job_runner_init (SbJobRunner *self)
{
  self->failing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SbJobRunner *
sb_job_runner_new (SbStore *store, SbSyncActivity *activity)
{
  SbJobRunner *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (activity), NULL);

  self = g_object_new (SB_TYPE_JOB_RUNNER, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = g_object_ref (activity);
  return self;
}
