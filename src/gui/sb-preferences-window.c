/* sb-preferences-window.c
 *
 * The General rows are bound to GSettings, so a change applies at once everywhere (the
 * application binds the style manager to the same key). The job times are read by a worker on
 * a store of its own; a changed spin button is written a moment after the last change, so that
 * typing "45" writes once, not "4" then "45".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-job-queue.h"
#include "sb-preferences-window.h"

#define WRITE_DELAY_MS 600

struct _SbPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;
  SbJobRunner *runner;
  char *company;
  GCancellable *cancellable;
  guint n_busy;
  GPtrArray *rows; /* JobRow, owned by their widgets */

  AdwComboRow *style_row;
  GtkSwitch *notify_switch;
  AdwPreferencesGroup *jobs_group;
  GtkStack *jobs_stack;
  GtkListBox *jobs_list;
  AdwStatusPage *jobs_status;
};

G_DEFINE_FINAL_TYPE (SbPreferencesWindow, sb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The order of the Style row's items. */
static const char *const color_schemes[] = { "default", "light", "dark" };

/* General */

static gboolean
style_from_setting (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    if (g_str_equal (scheme, color_schemes[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
style_to_setting (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (color_schemes) ? g_variant_new_string (color_schemes[i]) : NULL;
}

/* Job times */

typedef struct
{
  SbPreferencesWindow *self; /* not a reference: the row goes with the window */
  char *name;
  AdwExpanderRow *row;
  GtkSpinButton *interval;
  GtkSpinButton *inactivity;
  guint saved_interval;
  guint saved_inactivity;
  guint write_id;
  gboolean loading; /* the spin buttons are being set from the database */
} JobRow;

static void
job_row_free (JobRow *r)
{
  g_clear_handle_id (&r->write_id, g_source_remove);
  g_free (r->name);
  g_free (r);
}

/* "30 minutes", "12 hours", "2 days": the largest whole unit. */
static char *
format_minutes (guint minutes)
{
  if (minutes % (24 * 60) == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", minutes / (24 * 60)),
                            minutes / (24 * 60));
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", minutes / 60),
                            minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes),
                          minutes);
}

static void
job_row_show (JobRow *r, guint interval, guint inactivity)
{
  g_autofree char *every = format_minutes (interval);
  g_autofree char *sleeps = format_minutes (inactivity);
  /* TRANSLATORS: a job's times: "Every 30 minutes; idle, it sleeps 720 minutes" */
  g_autofree char *subtitle = g_strdup_printf (_ ("Every %s; idle, it sleeps %s"), every, sleeps);

  r->saved_interval = interval;
  r->saved_inactivity = inactivity;
  r->loading = TRUE;
  gtk_spin_button_set_value (r->interval, interval);
  gtk_spin_button_set_value (r->inactivity, inactivity);
  r->loading = FALSE;
  adw_expander_row_set_subtitle (r->row, subtitle);
}

static void
busy_changed (SbPreferencesWindow *self, int delta)
{
  self->n_busy += delta;
}

static void read_jobs (SbPreferencesWindow *self);

static void
timing_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbPreferencesWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  busy_changed (self, -1);
  if (sb_job_runner_change_finish (SB_JOB_RUNNER (source), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Say why, and show again what the database holds. */
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  read_jobs (self);
}

static gboolean
write_timing (gpointer data)
{
  JobRow *r = data;
  SbPreferencesWindow *self = r->self;
  guint interval = (guint) gtk_spin_button_get_value_as_int (r->interval);
  guint inactivity = (guint) gtk_spin_button_get_value_as_int (r->inactivity);

  r->write_id = 0;
  if (interval == r->saved_interval && inactivity == r->saved_inactivity)
    return G_SOURCE_REMOVE;
  job_row_show (r, interval, inactivity);
  busy_changed (self, +1);
  sb_job_runner_set_timing_async (self->runner, r->name, interval, inactivity, self->cancellable,
                                  timing_written, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Closing the window right after typing still keeps the time typed. */
static void
flush_writes (SbPreferencesWindow *self)
{
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      JobRow *r = self->rows->pdata[i];

      if (r->write_id == 0)
        continue;
      g_clear_handle_id (&r->write_id, g_source_remove);
      sb_job_runner_set_timing_async (
          self->runner, r->name, (guint) gtk_spin_button_get_value_as_int (r->interval),
          (guint) gtk_spin_button_get_value_as_int (r->inactivity), NULL, NULL, NULL);
    }
}

static void
on_spin_changed (GtkSpinButton *spin, JobRow *r)
{
  if (r->loading)
    return;
  g_clear_handle_id (&r->write_id, g_source_remove);
  r->write_id = g_timeout_add (WRITE_DELAY_MS, write_timing, r);
}

/* A row holding a spin button of minutes, 1 to a week. */
static GtkSpinButton *
minutes_row (AdwExpanderRow *expander, const char *title, const char *subtitle, const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (1, SB_JOB_QUEUE_MAX_MINUTES, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (spin, name);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 1, 60);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_expander_row_add_row (expander, row);
  return GTK_SPIN_BUTTON (spin);
}

static GtkWidget *
job_row_new (SbPreferencesWindow *self, const SbJobQueueEntry *e)
{
  JobRow *r = g_new0 (JobRow, 1);
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *interval_name = g_strdup_printf ("interval-%s", e->name);
  g_autofree char *inactivity_name = g_strdup_printf ("inactivity-%s", e->name);
  g_autofree char *row_name = g_strdup_printf ("job-%s", e->name);

  r->self = self;
  r->name = g_strdup (e->name);
  r->row = ADW_EXPANDER_ROW (row);
  gtk_widget_set_name (row, row_name);
  /* A mapping's job has the mapping's name; the others a name the queue marked for
   * translation. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 *e->mapping != '\0' ? e->name : _ (e->name));
  r->interval = minutes_row (r->row, _ ("Minutes _Between Runs"),
                             _ ("How often the job runs while it has work"), interval_name);
  r->inactivity = minutes_row (r->row, _ ("_Inactivity Timeout"),
                               _ ("Minutes it sleeps after a run with nothing to do; a change "
                                  "in either system wakes it earlier"),
                               inactivity_name);
  job_row_show (r, e->interval, e->inactivity_timeout);
  g_signal_connect (r->interval, "value-changed", G_CALLBACK (on_spin_changed), r);
  g_signal_connect (r->inactivity, "value-changed", G_CALLBACK (on_spin_changed), r);
  g_object_set_data_full (G_OBJECT (row), "sb-job-row", r, (GDestroyNotify) job_row_free);
  g_ptr_array_add (self->rows, r);
  return row;
}

static void
jobs_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  GPtrArray *jobs = store != NULL ? sb_job_queue_list (store, &error) : NULL;

  if (jobs == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jobs, (GDestroyNotify) g_ptr_array_unref);
}

static void
jobs_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = g_task_propagate_pointer (G_TASK (result), &error);
  guint n_shown = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  busy_changed (self, -1);
  g_ptr_array_set_size (self->rows, 0);
  for (GtkWidget *row; (row = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list))) != NULL;)
    gtk_list_box_remove (self->jobs_list, row);
  if (jobs == NULL)
    {
      adw_status_page_set_title (self->jobs_status, _ ("Could Not Read the Scheduled Jobs"));
      adw_status_page_set_description (self->jobs_status, error->message);
      gtk_stack_set_visible_child_name (self->jobs_stack, "empty");
      return;
    }
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      /* A job whose work is not available (no solution deployed, a setting off) has no times
       * that matter yet. */
      if (!e->available)
        continue;
      gtk_list_box_append (self->jobs_list, job_row_new (self, e));
      n_shown++;
    }
  if (n_shown == 0)
    {
      adw_status_page_set_title (self->jobs_status, _ ("No Scheduled Jobs Yet"));
      adw_status_page_set_description (
          self->jobs_status, _ ("The jobs appear once the connection to Dynamics 365 Sales is "
                                "set up and enabled. Open the Dynamics 365 Sales page to do it."));
    }
  gtk_stack_set_visible_child_name (self->jobs_stack, n_shown > 0 ? "jobs" : "empty");
}

static void
read_jobs (SbPreferencesWindow *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, jobs_read, NULL);

  busy_changed (self, +1);
  g_task_set_task_data (task, g_strdup (sb_job_runner_get_database_path (self->runner)), g_free);
  g_task_run_in_thread (task, jobs_thread);
}

/* GObject */

static void
sb_preferences_window_dispose (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  flush_writes (self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sb_preferences_window_parent_class)->dispose (object);
}

static void
sb_preferences_window_finalize (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->runner);
  g_free (self->company);
  G_OBJECT_CLASS (sb_preferences_window_parent_class)->finalize (object);
}

static void
sb_preferences_window_class_init (SbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_preferences_window_dispose;
  object_class->finalize = sb_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, jobs_group);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, jobs_stack);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, jobs_status);
}

static void
sb_preferences_window_init (SbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

GtkWidget *
sb_preferences_window_new (GSettings *settings, SbJobRunner *runner, const char *company)
{
  SbPreferencesWindow *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (runner == NULL || SB_IS_JOB_RUNNER (runner), NULL);

  self = g_object_new (SB_TYPE_PREFERENCES_WINDOW, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), "preferences");
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind_with_mapping (settings, "color-scheme", self->style_row, "selected",
                                    G_SETTINGS_BIND_DEFAULT, style_from_setting, style_to_setting,
                                    NULL, NULL);
      g_settings_bind (settings, "notify-job-failures", self->notify_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      /* Run from the build tree: nothing would be kept. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->style_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->notify_switch), FALSE);
    }

  if (runner == NULL)
    {
      adw_status_page_set_title (self->jobs_status, _ ("No Company Open"));
      adw_status_page_set_description (self->jobs_status,
                                       _ ("Open a company to set the times of its jobs."));
      gtk_stack_set_visible_child_name (self->jobs_stack, "empty");
      return GTK_WIDGET (self);
    }
  self->runner = g_object_ref (runner);
  self->company = g_strdup (company);
  if (company != NULL)
    {
      /* TRANSLATORS: %s is the company's name */
      g_autofree char *description = g_strdup_printf (
          _ ("The jobs of “%s” synchronize on their own while Salesbridge runs. After a run with "
             "nothing to do, a job sleeps until its inactivity timeout, or until a record "
             "changes."),
          company);

      adw_preferences_group_set_description (self->jobs_group, description);
    }
  read_jobs (self);
  return GTK_WIDGET (self);
}

gboolean
sb_preferences_window_is_busy (SbPreferencesWindow *self)
{
  g_return_val_if_fail (SB_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->n_busy > 0;
}
