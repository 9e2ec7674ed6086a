/* sb-cli-jobs.c: full synchronization, the job queue and the headless job runner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "sb-cli-sync.h"
#include "sb-full-sync-review.h"
#include "sb-job-queue.h"
#include "sb-sync-error.h"

typedef struct
{
  GMainLoop *loop;
  GCancellable *cancellable;
  gboolean ok;
  GError *error;
  guint signal_ids[2];
} Wait;

static gboolean
on_signal (gpointer user_data)
{
  Wait *w = user_data;

  /* Stop at the next safe point; what was committed stays, the next start resumes. */
  g_cancellable_cancel (w->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
wait_init (Wait *w)
{
  w->loop = g_main_loop_new (NULL, FALSE);
  w->cancellable = g_cancellable_new ();
  w->signal_ids[0] = g_unix_signal_add (SIGINT, on_signal, w);
  w->signal_ids[1] = g_unix_signal_add (SIGTERM, on_signal, w);
}

static void
wait_clear (Wait *w)
{
  g_clear_handle_id (&w->signal_ids[0], g_source_remove);
  g_clear_handle_id (&w->signal_ids[1], g_source_remove);
  g_clear_pointer (&w->loop, g_main_loop_unref);
  g_clear_object (&w->cancellable);
}

static void
print_line (const SbFullSyncLine *l)
{
  g_print ("%-20s %-12s %-22s %-22s %-10s %-10s %s\n", l->mapping,
           sb_sync_direction_to_string (l->direction),
           sb_full_sync_recommendation_to_label (l->recommendation),
           *sb_job_status_to_label (l->status) ? sb_job_status_to_label (l->status) : "-",
           *sb_full_sync_side_status_to_label (l->to_status)
               ? sb_full_sync_side_status_to_label (l->to_status)
               : "-",
           *sb_full_sync_side_status_to_label (l->from_status)
               ? sb_full_sync_side_status_to_label (l->from_status)
               : "-",
           l->message);
}

static void
on_line_changed (SbFullSyncReview *review, const char *mapping, guint status, gpointer user_data)
{
  /* TRANSLATORS: "CUSTOMER: Finished" */
  g_print (_ ("%s: %s\n"), mapping, sb_job_status_to_label (status));
}

static void
start_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  w->ok = sb_full_sync_review_start_finish (SB_FULL_SYNC_REVIEW (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static gboolean
cmd_full_sync (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean wait = FALSE;
  gboolean reset = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "wait", 0, 0, G_OPTION_ARG_NONE, &wait, N_ ("Start and wait until every line has run"),
      NULL },
    { "reset", 0, 0, G_OPTION_ARG_NONE, &reset, N_ ("Forget the lines and review again"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (
      ctx, &argc, &argv, NULL,
      _ ("Shows the full synchronization review: one line per mapping with its recommendation "
         "and status. With --wait it starts the lines in dependency order, prints their "
         "progress and exits 0 only when every line finished; an interrupted run resumes."),
      entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbFullSyncReview) review = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  Wait w = { 0 };

  if (store == NULL)
    return FALSE;
  if (reset && !sb_full_sync_review_reset (store, error))
    return FALSE;
  engine = sb_cli_sync_open_engine (store, error);
  if (engine == NULL)
    return FALSE;
  review = sb_full_sync_review_new (engine);
  if (!wait)
    {
      g_autoptr (JsonNode) node = NULL;

      if (!sb_full_sync_review_generate_sync (review, NULL, error))
        return FALSE;
      if (json)
        {
          node = sb_full_sync_review_to_json (store, error);
          if (node == NULL)
            return FALSE;
          sb_cli_print_json (node);
          return TRUE;
        }
      lines = sb_full_sync_review_list (store, error);
      if (lines == NULL)
        return FALSE;
      for (guint i = 0; i < lines->len; i++)
        print_line (lines->pdata[i]);
      return TRUE;
    }
  wait_init (&w);
  g_signal_connect (review, "line-changed", G_CALLBACK (on_line_changed), NULL);
  sb_full_sync_review_start_async (review, w.cancellable, start_done, &w);
  g_main_loop_run (w.loop);
  wait_clear (&w);
  lines = sb_full_sync_review_list (store, NULL);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    print_line (lines->pdata[i]);
  if (!w.ok)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  g_print (_ ("Every line of the full synchronization finished.\n"));
  return TRUE;
}

static gboolean
cmd_jobs (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  int every = 0;
  int inactivity = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { "every", 0, 0, G_OPTION_ARG_INT, &every, N_ ("With set: minutes between runs"), "M" },
    { "inactivity-timeout", 0, 0, G_OPTION_ARG_INT, &inactivity,
      N_ ("With set: minutes a job sleeps after a run with nothing to do"), "M" },
    { NULL },
  };
  SbStore *store = sb_cli_start (
      ctx, &argc, &argv,
      "list | run-due | run JOB | hold JOB | resume JOB | set JOB [--every M] "
      "[--inactivity-timeout M]",
      _ ("Lists the recurring jobs with status and next run time, runs the jobs that are due "
         "once, makes one job due now, holds or resumes it, or sets its times."),
      entries, 1, 2, error);
  static const struct
  {
    const char *command;
    SbJobEdit edit;
  } edits[] = {
    { "run", SB_JOB_EDIT_RUN_NOW },
    { "hold", SB_JOB_EDIT_HOLD },
    { "resume", SB_JOB_EDIT_RESUME },
  };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (store == NULL)
    return FALSE;
  if (!sb_job_queue_ensure_jobs (store, now, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    if (g_str_equal (argv[1], edits[i].command))
      {
        if (!sb_cli_expect_args (argc - 1, "jobs", 1, 1, error) ||
            !sb_job_queue_edit (store, argv[2], edits[i].edit, now, error))
          return FALSE;
        g_print (_ ("%s: %s\n"), argv[2],
                 sb_job_status_to_label (edits[i].edit == SB_JOB_EDIT_HOLD ? SB_JOB_STATUS_ON_HOLD
                                                                           : SB_JOB_STATUS_READY));
        return TRUE;
      }
  if (g_str_equal (argv[1], "set"))
    {
      g_autoptr (GPtrArray) jobs = NULL;
      SbJobQueueEntry *job = NULL;

      if (!sb_cli_expect_args (argc - 1, "jobs", 1, 1, error) ||
          (jobs = sb_job_queue_list (store, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < jobs->len && job == NULL; i++)
        if (g_str_equal (((SbJobQueueEntry *) jobs->pdata[i])->name, argv[2]))
          job = jobs->pdata[i];
      if (job == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("There is no scheduled job “%s”. List the jobs to see their names."),
                       argv[2]);
          return FALSE;
        }
      if (every < 0 || inactivity < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("Minutes cannot be negative."));
          return FALSE;
        }
      /* An option left out keeps the job's time. */
      if (!sb_job_queue_set_timing (store, argv[2], every > 0 ? (guint) every : job->interval,
                                    inactivity > 0 ? (guint) inactivity : job->inactivity_timeout,
                                    now, error))
        return FALSE;
      g_print (_ ("%s: every %u min, inactivity timeout %u min\n"), argv[2],
               every > 0 ? (guint) every : job->interval,
               inactivity > 0 ? (guint) inactivity : job->inactivity_timeout);
      return TRUE;
    }
  if (!sb_cli_expect_args (argc - 1, "jobs", 0, 0, error))
    return FALSE;
  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr (GPtrArray) jobs = NULL;
      g_autoptr (JsonNode) node = NULL;

      if (json)
        {
          node = sb_job_queue_to_json (store, error);
          if (node == NULL)
            return FALSE;
          sb_cli_print_json (node);
          return TRUE;
        }
      jobs = sb_job_queue_list (store, error);
      if (jobs == NULL)
        return FALSE;
      for (guint i = 0; i < jobs->len; i++)
        {
          SbJobQueueEntry *e = jobs->pdata[i];
          g_autoptr (GDateTime) next = g_date_time_new_from_unix_local (e->next_run);
          g_autofree char *when = g_date_time_format (next, "%Y-%m-%d %H:%M:%S");

          g_print ("%-24s %-32s %s %s\n", e->name,
                   e->available ? sb_job_status_to_label (e->status) : _ ("Not available yet"),
                   e->available ? when : "", e->message);
        }
      return TRUE;
    }
  if (g_str_equal (argv[1], "run-due"))
    {
      g_autoptr (SbSyncEngine) engine = sb_cli_sync_open_engine (store, error);
      g_autoptr (SbJobQueue) queue = NULL;
      guint n_run = 0;
      gboolean ok;

      if (engine == NULL)
        return FALSE;
      queue = sb_job_queue_new (engine);
      ok = sb_job_queue_run_due_sync (queue, &n_run, NULL, error);
      sb_job_queue_release_lock (queue);
      if (!ok)
        return FALSE;
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u job ran.\n", "%u jobs ran.\n", n_run), n_run);
      return TRUE;
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _ ("Unknown jobs command: %s"),
               argv[1]);
  return FALSE;
}

typedef struct
{
  GMainLoop *loop;
  SbJobQueue *queue;
  guint check_id;
} Daemon;

static void
on_job_changed (SbJobQueue *queue, const char *name, guint status, gpointer user_data)
{
  g_print (_ ("%s: %s\n"), name, sb_job_status_to_label (status));
}

static gboolean
check_stopped (gpointer user_data)
{
  Daemon *d = user_data;

  if (sb_job_queue_is_running (d->queue))
    return G_SOURCE_CONTINUE;
  d->check_id = 0;
  g_main_loop_quit (d->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  Daemon *d = user_data;

  /* The current run stops at its next safe point; then the lock is released. */
  sb_job_queue_stop (d->queue);
  if (d->check_id == 0)
    d->check_id = g_timeout_add (50, check_stopped, d);
  return G_SOURCE_CONTINUE;
}

static gboolean
cmd_daemon (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  int poll = 60;
  const GOptionEntry entries[] = {
    { "poll", 0, 0, G_OPTION_ARG_INT, &poll, N_ ("Look for due jobs every N seconds"), "N" },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Runs the job queue until SIGINT or SIGTERM. Only one runner "
                                    "per database: a second one refuses to start."),
                                 entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbJobQueue) queue = NULL;
  Daemon d = { 0 };
  guint sigint_id, sigterm_id;

  if (store == NULL)
    return FALSE;
  engine = sb_cli_sync_open_engine (store, error);
  if (engine == NULL)
    return FALSE;
  queue = sb_job_queue_new (engine);
  g_signal_connect (queue, "job-changed", G_CALLBACK (on_job_changed), NULL);
  /* Signals are caught before the lock is taken: a stop request can never find the lock
   * held by a process that dies without releasing it. */
  d.loop = g_main_loop_new (NULL, FALSE);
  d.queue = queue;
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal, &d);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal, &d);
  if (!sb_job_queue_start (queue, (guint) MAX (poll, 1), error))
    {
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      g_main_loop_unref (d.loop);
      return FALSE;
    }
  g_print (_ ("The job queue runs; stop it with Ctrl+C.\n"));
  g_main_loop_run (d.loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_main_loop_unref (d.loop);
  g_print (_ ("The job queue stopped.\n"));
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "full-sync", NULL, "[--wait] [--reset] [--json]",
    N_ ("Review and run the full synchronization"), cmd_full_sync },
  { "jobs", NULL, "list [--json] | run-due | run|hold|resume JOB | set JOB [--every M] …",
    N_ ("List, run, hold or time the recurring jobs"), cmd_jobs },
  { "daemon", NULL, "[--poll N]", N_ ("Run the job queue until stopped"), cmd_daemon },
};

const SbCliCommand *
sb_cli_jobs_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
