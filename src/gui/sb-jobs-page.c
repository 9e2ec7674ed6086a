/* sb-jobs-page.c
 *
 * The queue is read by a worker on a store of its own whenever the runner reports a change (a
 * job ran, the lock changed hands), when the user changed a job, and every half minute while
 * the page is shown so that "in 5 minutes" stays true.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "sb-job-queue.h"
#include "sb-jobs-page.h"
#include "sb-window.h"

#define REFRESH_SECONDS 30

struct _SbJobsPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  SbJobRunner *runner;
  GCancellable *cancellable;
  guint n_loading;
  gboolean reload_again;
  guint n_changing;
  guint refresh_id;
  char *runner_text;
  char *last_message;

  GtkStack *stack;
  GtkSpinner *spinner;
  GtkLabel *runner_label;
  GtkListBox *list;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbJobsPage, sb_jobs_page, SB_TYPE_PAGE)

static void
toast (SbJobsPage *self, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 5);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
}

char *
sb_jobs_page_format_next_run (gint64 next_run, gint64 now)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (next_run);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *absolute = local != NULL ? g_date_time_format (local, "%x %X") : NULL;
  g_autofree char *relative = NULL;
  gint64 diff = next_run - now;

  if (diff <= 0)
    relative = g_strdup (_ ("due now"));
  else if (diff < 60)
    relative = g_strdup (_ ("in less than a minute"));
  else if (diff < 3600)
    relative =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u minute", "in %u minutes", diff / 60),
                         (guint) (diff / 60));
  else if (diff < 86400)
    relative =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u hour", "in %u hours", diff / 3600),
                         (guint) (diff / 3600));
  else
    relative =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u day", "in %u days", diff / 86400),
                         (guint) (diff / 86400));
  if (absolute == NULL)
    return g_steal_pointer (&relative);
  /* TRANSLATORS: when a job runs next: relative ("in 5 minutes"), then date and time */
  return g_strdup_printf (_ ("%s (%s)"), relative, absolute);
}

static void
update_runner_text (SbJobsPage *self)
{
  g_free (self->runner_text);
  switch (sb_job_runner_get_state (self->runner))
    {
      case SB_JOB_RUNNER_OTHER_PROCESS:
        {
          g_autofree char *pid =
              g_strdup_printf ("%" PRId64, (int64_t) sb_job_runner_get_other_pid (self->runner));

          /* TRANSLATORS: a computer's name, then a process id */
          self->runner_text =
              g_strdup_printf (_ ("Scheduled jobs are run by another process on %s (pid %s). "
                                  "This window shows them but does not run them."),
                               sb_job_runner_get_other_host (self->runner), pid);
          break;
        }
      case SB_JOB_RUNNER_RUNNING:
        self->runner_text =
            g_strdup (_ ("This app runs the scheduled jobs while it is open, in the background."));
        break;
      case SB_JOB_RUNNER_NOT_CONFIGURED:
        self->runner_text = g_strdup (
            _ ("Scheduled jobs run once the connection to Dynamics 365 Sales is enabled."));
        break;
      case SB_JOB_RUNNER_STARTING:
        self->runner_text = g_strdup (_ ("Starting the scheduled jobs…"));
        break;
      case SB_JOB_RUNNER_FAILED:
        /* TRANSLATORS: why the scheduled jobs could not run */
        self->runner_text =
            g_strdup_printf (_ ("The scheduled jobs could not run: %s They are tried again "
                                "shortly."),
                             sb_job_runner_get_message (self->runner));
        break;
      case SB_JOB_RUNNER_STOPPED:
      default:
        self->runner_text = g_strdup (_ ("Scheduled jobs are not run by this window."));
    }
  gtk_label_set_text (self->runner_label, self->runner_text);
  adw_status_page_set_description (self->empty_page, self->runner_text);
}

/* Changing a job */

static void
change_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbJobsPage) self = user_data;
  g_autoptr (GError) error = NULL;

  self->n_changing--;
  if (!sb_job_runner_change_finish (SB_JOB_RUNNER (source), result, &error))
    toast (self, error->message);
  sb_jobs_page_reload (self);
}

static void
on_run_now_clicked (GtkButton *button, SbJobsPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "sb-job");
  g_autofree char *message = NULL;

  self->n_changing++;
  sb_job_runner_run_now_async (self->runner, name, self->cancellable, change_done,
                               g_object_ref (self));
  /* TRANSLATORS: a scheduled job's name */
  message = g_strdup_printf (_ ("“%s” runs now"), name);
  toast (self, message);
}

static void
on_hold_clicked (GtkButton *button, SbJobsPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "sb-job");
  gboolean held = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sb-held"));

  self->n_changing++;
  sb_job_runner_set_held_async (self->runner, name, !held, self->cancellable, change_done,
                                g_object_ref (self));
}

/* Reading */

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *jobs = NULL;

  if (store != NULL)
    jobs = sb_job_queue_list (store, &error);
  if (jobs == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jobs, (GDestroyNotify) g_ptr_array_unref);
}

static const char *
status_style (SbJobStatus status)
{
  switch (status)
    {
      case SB_JOB_STATUS_READY:
      case SB_JOB_STATUS_FINISHED:
        return "success";
      case SB_JOB_STATUS_ERROR:
        return "error";
      case SB_JOB_STATUS_IN_PROCESS:
        return "accent";
      default:
        return "dim-label";
    }
}

static GtkWidget *
icon_button (const char *icon_name, const char *name, const char *tooltip, const char *job)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);
  g_autofree char *label = NULL;

  gtk_widget_set_name (button, name);
  gtk_widget_set_tooltip_text (button, tooltip);
  /* TRANSLATORS: a button's action ("Run Now"), then the job it acts on */
  label = g_strdup_printf (_ ("%s: %s"), tooltip, job);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "sb-job", g_strdup (job), g_free);
  return button;
}

static GtkWidget *
build_row (SbJobsPage *self, const SbJobQueueEntry *e, gint64 now)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status;
  GtkWidget *run_now;
  GtkWidget *hold;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("job-%s", e->name);
  gboolean held = e->status == SB_JOB_STATUS_ON_HOLD;
  gboolean timed = e->status == SB_JOB_STATUS_READY || e->status == SB_JOB_STATUS_ERROR ||
                   e->status == SB_JOB_STATUS_ON_HOLD_INACTIVITY;

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), e->name);
  if (!e->available)
    g_string_append (subtitle, _ ("Not available yet"));
  else
    {
      if (e->mapping != NULL && *e->mapping != '\0' && g_strcmp0 (e->mapping, e->name) != 0)
        /* TRANSLATORS: the integration table mapping a job synchronizes */
        g_string_append_printf (subtitle, _ ("Mapping %s"), e->mapping);
      if (timed)
        {
          g_autofree char *next = sb_jobs_page_format_next_run (e->next_run, now);

          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          /* TRANSLATORS: when the job runs next ("in 5 minutes (…)") */
          g_string_append_printf (subtitle, _ ("Next run %s"), next);
        }
    }
  if (e->message != NULL && *e->message != '\0')
    {
      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, e->message);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  status = gtk_label_new (e->status == SB_JOB_STATUS_NONE ? _ ("Not Started")
                                                          : sb_job_status_to_label (e->status));
  gtk_widget_set_name (status, "job-status");
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (status), 14);
  gtk_label_set_justify (GTK_LABEL (status), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  gtk_widget_add_css_class (status, status_style (e->status));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);

  run_now = icon_button ("media-playback-start-symbolic", "job-run-now", _ ("Run Now"), e->name);
  gtk_widget_set_sensitive (run_now, e->available && *e->mapping != '\0' &&
                                         e->status != SB_JOB_STATUS_IN_PROCESS);
  g_signal_connect (run_now, "clicked", G_CALLBACK (on_run_now_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), run_now);

  hold = icon_button (held ? "media-seek-forward-symbolic" : "media-playback-pause-symbolic",
                      "job-hold", held ? _ ("Resume") : _ ("Hold"), e->name);
  g_object_set_data (G_OBJECT (hold), "sb-held", GINT_TO_POINTER (held));
  gtk_widget_set_sensitive (hold, e->available && *e->mapping != '\0' &&
                                      e->status != SB_JOB_STATUS_IN_PROCESS);
  g_signal_connect (hold, "clicked", G_CALLBACK (on_hold_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), hold);
  return row;
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbJobsPage *self = SB_JOBS_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = g_task_propagate_pointer (G_TASK (result), &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *child;

  self->n_loading--;
  if (jobs == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      update_runner_text (self);
      while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
        gtk_list_box_remove (self->list, child);
      for (guint i = 0; i < jobs->len; i++)
        gtk_list_box_append (self->list, build_row (self, g_ptr_array_index (jobs, i), now));
      gtk_stack_set_visible_child_name (self->stack, jobs->len > 0 ? "jobs" : "empty");
    }
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      sb_jobs_page_reload (self);
    }
}

void
sb_jobs_page_reload (SbJobsPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_JOBS_PAGE (self));

  /* Changes come in bursts (a job per mapping): one read at a time, and one more after. */
  if (self->n_loading > 0)
    {
      self->reload_again = TRUE;
      return;
    }
  self->n_loading++;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

SbJobRunner *
sb_jobs_page_get_runner (SbJobsPage *self)
{
  g_return_val_if_fail (SB_IS_JOBS_PAGE (self), NULL);
  return self->runner;
}

gboolean
sb_jobs_page_is_busy (SbJobsPage *self)
{
  g_return_val_if_fail (SB_IS_JOBS_PAGE (self), FALSE);
  return self->n_loading > 0 || self->n_changing > 0 || self->reload_again;
}

const char *
sb_jobs_page_get_state (SbJobsPage *self)
{
  g_return_val_if_fail (SB_IS_JOBS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sb_jobs_page_get_runner_text (SbJobsPage *self)
{
  g_return_val_if_fail (SB_IS_JOBS_PAGE (self), NULL);
  return self->runner_text;
}

const char *
sb_jobs_page_get_last_message (SbJobsPage *self)
{
  g_return_val_if_fail (SB_IS_JOBS_PAGE (self), NULL);
  return self->last_message;
}

/* GObject */

static gboolean
refresh_timeout (gpointer user_data)
{
  sb_jobs_page_reload (user_data);
  return G_SOURCE_CONTINUE;
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_jobs_page_reload (SB_JOBS_PAGE (widget));
}

static void
sb_jobs_page_map (GtkWidget *widget)
{
  SbJobsPage *self = SB_JOBS_PAGE (widget);

  GTK_WIDGET_CLASS (sb_jobs_page_parent_class)->map (widget);
  sb_jobs_page_reload (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_timeout, self);
}

static void
sb_jobs_page_unmap (GtkWidget *widget)
{
  SbJobsPage *self = SB_JOBS_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (sb_jobs_page_parent_class)->unmap (widget);
}

static void
sb_jobs_page_dispose (GObject *object)
{
  SbJobsPage *self = SB_JOBS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  G_OBJECT_CLASS (sb_jobs_page_parent_class)->dispose (object);
}

static void
sb_jobs_page_finalize (GObject *object)
{
  SbJobsPage *self = SB_JOBS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_free (self->db_path);
  g_free (self->runner_text);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_jobs_page_parent_class)->finalize (object);
}

static void
sb_jobs_page_class_init (SbJobsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_jobs_page_dispose;
  object_class->finalize = sb_jobs_page_finalize;

  widget_class->map = sb_jobs_page_map;
  widget_class->unmap = sb_jobs_page_unmap;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-jobs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, runner_label);
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbJobsPage, error_page);
  gtk_widget_class_install_action (widget_class, "jobs.reload", NULL, reload_action);
}

static void
sb_jobs_page_init (SbJobsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
}

static void
on_runner_changed (SbJobsPage *self)
{
  update_runner_text (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sb_jobs_page_reload (self);
}

GtkWidget *
sb_jobs_page_new (SbStore *store, SbJobRunner *runner)
{
  SbJobsPage *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);
  g_return_val_if_fail (SB_IS_JOB_RUNNER (runner), NULL);

  self = g_object_new (SB_TYPE_JOBS_PAGE, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->runner = g_object_ref (runner);
  g_signal_connect_swapped (runner, "changed", G_CALLBACK (on_runner_changed), self);
  update_runner_text (self);
  return GTK_WIDGET (self);
}
