/* sb-sync-review-page.c
 *
 * The lines are read by a worker on a store of its own. Generate and Start need the connection
 * (its secret comes from the keyring), made on a worker; then the review's _async calls run on
 * a worker of their own and report "line-changed" and the engine's "progress" here, which
 * re-read the lines and move the running line's progress bar. The user can leave the page and
 * keep working meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-connection-setup.h"
#include "sb-coupling-dialogs.h"
#include "sb-full-sync-review.h"
#include "sb-sync-activity.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"

struct _SbSyncReviewPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  GCancellable *cancellable; /* of the page: reads */
  GCancellable *run_cancellable;
  guint n_loading;
  gboolean running;
  gboolean enabled;
  guint n_lines;
  guint n_unfinished; /* lines not Finished: Start has something to run */
  SbFullSyncReview *review;
  SbSyncEngine *engine;
  SbSyncActivity *activity; /* the header bar's picture of it */
  guint run_id;
  GHashTable *progress; /* mapping → GtkProgressBar of its row */
  char *last_message;

  GtkStack *stack;
  GtkSpinner *spinner;
  GtkSpinner *busy_spinner;
  GtkWidget *start_button;
  GtkWidget *generate_button;
  GtkWidget *cancel_button;
  GtkListBox *list;
  AdwPreferencesGroup *lines_group;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbSyncReviewPage, sb_sync_review_page, SB_TYPE_PAGE)

static void
toast (SbSyncReviewPage *self, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 6);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
}

static void
update_buttons (SbSyncReviewPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.generate",
                                 self->enabled && !self->running);
  /* Every line Finished: the scheduled jobs carry on; starting again would run nothing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.start",
                                 self->enabled && !self->running &&
                                     (self->n_lines == 0 || self->n_unfinished > 0));
  gtk_widget_set_visible (self->cancel_button, self->running);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->running);
  gtk_spinner_set_spinning (self->busy_spinner, self->running);
}

/* Reading the lines */

typedef struct
{
  GPtrArray *lines;
  gboolean enabled;
} Lines;

static void
lines_free (Lines *lines)
{
  g_clear_pointer (&lines->lines, g_ptr_array_unref);
  g_free (lines);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  Lines *lines = g_new0 (Lines, 1);

  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup != NULL)
    lines->lines = sb_full_sync_review_list (store, &error);
  if (lines->lines == NULL)
    {
      lines_free (lines);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  lines->enabled = setup->is_enabled;
  g_task_return_pointer (task, lines, (GDestroyNotify) lines_free);
}

static const char *
status_style (SbJobStatus status)
{
  switch (status)
    {
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
build_row (SbSyncReviewPage *self, const SbFullSyncLine *line)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *status;
  const char *status_text;
  GtkWidget *progress;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("line-%s", line->mapping);
  const char *recommendation = sb_full_sync_recommendation_to_label (line->recommendation);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line->mapping);
  if (recommendation != NULL && *recommendation != '\0')
    g_string_append (subtitle, recommendation);
  /* TRANSLATORS: a review line's record counts on each side */
  g_string_append_printf (subtitle, _ ("%s%u in Salesbridge · %u in Sales"),
                          subtitle->len > 0 ? " · " : "", line->erp_count, line->dataverse_count);
  if (line->depends_on != NULL && *line->depends_on != '\0')
    {
      g_auto (GStrv) names = g_strsplit (line->depends_on, ",", -1);
      g_autofree char *list = g_strjoinv (", ", names);

      g_string_append_c (subtitle, '\n');
      /* TRANSLATORS: the mappings a review line waits for */
      g_string_append_printf (subtitle, _ ("After %s"), list);
    }
  /* Finished with failed records: say so, the log names them. */
  if (line->to_status == SB_FULL_SYNC_SIDE_ERROR || line->from_status == SB_FULL_SYNC_SIDE_ERROR)
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (
          subtitle,
          line->to_status == SB_FULL_SYNC_SIDE_ERROR && line->from_status == SB_FULL_SYNC_SIDE_ERROR
              ? _ ("Some records failed both ways; the Synchronization Log says which and why.")
          : line->to_status == SB_FULL_SYNC_SIDE_ERROR
              ? _ ("Some records failed to reach Sales; the Synchronization Log says which and "
                   "why.")
              : _ ("Some records from Sales failed; the Synchronization Log says which and why."));
    }
  if (line->message != NULL && *line->message != '\0')
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, line->message);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  status_text = line->status == SB_JOB_STATUS_NONE ? _ ("Not Started")
                                                   : sb_job_status_to_label (line->status);
  status = gtk_label_new (status_text);
  gtk_widget_set_name (status, "line-status");
  gtk_label_set_xalign (GTK_LABEL (status), 1);
  /* Narrow windows: a long status wraps rather than push the row wider; a short one ("Not
   * Started") keeps to one line. */
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (status), MIN (g_utf8_strlen (status_text, -1), 12));
  gtk_label_set_max_width_chars (GTK_LABEL (status), 12);
  gtk_label_set_justify (GTK_LABEL (status), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (status, line->status == SB_JOB_STATUS_FINISHED &&
                                            (line->to_status == SB_FULL_SYNC_SIDE_ERROR ||
                                             line->from_status == SB_FULL_SYNC_SIDE_ERROR)
                                        ? "warning"
                                        : status_style (line->status));
  gtk_box_append (GTK_BOX (box), status);
  progress = gtk_progress_bar_new ();
  gtk_widget_set_size_request (progress, 80, -1);
  gtk_widget_set_visible (progress, line->status == SB_JOB_STATUS_IN_PROCESS);
  gtk_box_append (GTK_BOX (box), progress);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  g_hash_table_replace (self->progress, g_strdup (line->mapping), progress);
  return row;
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncReviewPage *self = SB_SYNC_REVIEW_PAGE (source);
  g_autoptr (GError) error = NULL;
  Lines *lines = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;

  self->n_loading--;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (lines == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  self->enabled = lines->enabled;
  self->n_lines = lines->lines->len;
  self->n_unfinished = 0;
  for (guint i = 0; i < lines->lines->len; i++)
    if (((SbFullSyncLine *) g_ptr_array_index (lines->lines, i))->status != SB_JOB_STATUS_FINISHED)
      self->n_unfinished++;
  adw_preferences_group_set_description (
      self->lines_group,
      self->n_lines > 0 && self->n_unfinished == 0
          ? _ ("The full synchronization has finished. From now on the scheduled jobs keep both "
               "sides in step; the Synchronization Log shows each run.")
          : _ ("Each table runs once the tables it depends on are finished. Tables with data on "
               "both sides are coupled by matching first, so nothing is duplicated."));
  g_hash_table_remove_all (self->progress);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < lines->lines->len; i++)
    gtk_list_box_append (self->list, build_row (self, g_ptr_array_index (lines->lines, i)));
  if (!self->enabled)
    gtk_stack_set_visible_child_name (self->stack, "disabled");
  else
    gtk_stack_set_visible_child_name (self->stack, self->n_lines > 0 ? "lines" : "empty");
  update_buttons (self);
  lines_free (lines);
}

void
sb_sync_review_page_reload (SbSyncReviewPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_SYNC_REVIEW_PAGE (self));

  self->n_loading++;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* Generating and running */

static void
on_line_changed (SbFullSyncReview *review, const char *mapping, guint status,
                 SbSyncReviewPage *self)
{
  sb_sync_review_page_reload (self);
}

static void
on_progress (SbSyncEngine *engine, const char *mapping, guint done, guint to_do,
             SbSyncReviewPage *self)
{
  GtkWidget *progress = g_hash_table_lookup (self->progress, mapping);

  if (progress == NULL)
    return;
  gtk_widget_set_visible (progress, TRUE);
  if (to_do > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (progress), (double) done / to_do);
  else
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (progress));
}

static void
finish_run (SbSyncReviewPage *self, const GError *error)
{
  sb_sync_activity_end (self->activity, self->run_id, error);
  self->run_id = 0;
  if (self->review != NULL)
    g_signal_handlers_disconnect_by_func (self->review, on_line_changed, self);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_func (self->engine, on_progress, self);
  g_clear_object (&self->review);
  g_clear_object (&self->engine);
  g_clear_object (&self->run_cancellable);
  self->running = FALSE;
  update_buttons (self);
  sb_sync_review_page_reload (self);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncReviewPage *self = user_data;
  gboolean generate = GPOINTER_TO_INT (g_object_get_data (source, "sb-generate"));
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = generate ? sb_full_sync_review_generate_finish (SB_FULL_SYNC_REVIEW (source), result, &error)
                : sb_full_sync_review_start_finish (SB_FULL_SYNC_REVIEW (source), result, &error);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _ ("Full synchronization cancelled"));
      else
        toast (self, error->message);
    }
  else if (!generate)
    toast (self, _ ("Full synchronization finished"));
  finish_run (self, error);
  g_object_unref (self);
}

static void
connection_thread (GTask *task, gpointer source_object, gpointer task_data,
                   GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_object_ref (sb_sync_engine_get_connection (engine)),
                         g_object_unref);
}

static void
connection_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncReviewPage *self = SB_SYNC_REVIEW_PAGE (source);
  gboolean generate = GPOINTER_TO_INT (user_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = g_task_propagate_pointer (G_TASK (result), &error);

  if (cnc == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      sb_sync_activity_end (self->activity, self->run_id, error);
      self->run_id = 0;
      self->running = FALSE;
      g_clear_object (&self->run_cancellable);
      update_buttons (self);
      return;
    }
  /* The review's _async calls run on a store of their own, in a worker. */
  self->engine = sb_sync_engine_new (self->store, cnc);
  self->review = sb_full_sync_review_new (self->engine);
  g_object_set_data (G_OBJECT (self->review), "sb-generate", GINT_TO_POINTER (generate));
  g_signal_connect (self->review, "line-changed", G_CALLBACK (on_line_changed), self);
  g_signal_connect (self->engine, "progress", G_CALLBACK (on_progress), self);
  if (generate)
    sb_full_sync_review_generate_async (self->review, self->run_cancellable, run_done,
                                        g_object_ref (self));
  else
    sb_full_sync_review_start_async (self->review, self->run_cancellable, run_done,
                                     g_object_ref (self));
}

static void
run (SbSyncReviewPage *self, gboolean generate)
{
  g_autoptr (GTask) task = NULL;

  if (self->running)
    return;
  self->running = TRUE;
  self->run_cancellable = g_cancellable_new ();
  self->run_id = sb_sync_activity_begin (
      self->activity, generate ? _ ("Counting records on both sides") : _ ("Full synchronization"));
  update_buttons (self);
  task = g_task_new (self, self->run_cancellable, connection_done, GINT_TO_POINTER (generate));
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, connection_thread);
}

void
sb_sync_review_page_generate (SbSyncReviewPage *self)
{
  g_return_if_fail (SB_IS_SYNC_REVIEW_PAGE (self));
  run (self, TRUE);
}

void
sb_sync_review_page_start (SbSyncReviewPage *self)
{
  g_return_if_fail (SB_IS_SYNC_REVIEW_PAGE (self));
  run (self, FALSE);
}

void
sb_sync_review_page_cancel (SbSyncReviewPage *self)
{
  g_return_if_fail (SB_IS_SYNC_REVIEW_PAGE (self));
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

gboolean
sb_sync_review_page_is_busy (SbSyncReviewPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_REVIEW_PAGE (self), FALSE);
  return self->n_loading > 0 || self->running;
}

gboolean
sb_sync_review_page_is_running (SbSyncReviewPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_REVIEW_PAGE (self), FALSE);
  return self->running;
}

const char *
sb_sync_review_page_get_state (SbSyncReviewPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_REVIEW_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sb_sync_review_page_get_last_message (SbSyncReviewPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_REVIEW_PAGE (self), NULL);
  return self->last_message;
}

/* GObject */

static void
generate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sync_review_page_generate (SB_SYNC_REVIEW_PAGE (widget));
}

static void
start_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sync_review_page_start (SB_SYNC_REVIEW_PAGE (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sync_review_page_cancel (SB_SYNC_REVIEW_PAGE (widget));
}

static void
sb_sync_review_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_sync_review_page_parent_class)->map (widget);
  sb_sync_review_page_reload (SB_SYNC_REVIEW_PAGE (widget));
}

static void
sb_sync_review_page_dispose (GObject *object)
{
  SbSyncReviewPage *self = SB_SYNC_REVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  G_OBJECT_CLASS (sb_sync_review_page_parent_class)->dispose (object);
}

static void
sb_sync_review_page_finalize (GObject *object)
{
  SbSyncReviewPage *self = SB_SYNC_REVIEW_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->review);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->activity);
  g_clear_pointer (&self->progress, g_hash_table_unref);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_sync_review_page_parent_class)->finalize (object);
}

static void
sb_sync_review_page_class_init (SbSyncReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sync_review_page_dispose;
  object_class->finalize = sb_sync_review_page_finalize;

  widget_class->map = sb_sync_review_page_map;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-sync-review-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SbSyncReviewPage, lines_group);
  gtk_widget_class_install_action (widget_class, "review.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "review.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "review.cancel", NULL, cancel_action);
}

static void
sb_sync_review_page_init (SbSyncReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* The bars belong to their rows, which go when the list is read again. */
  self->progress = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_spinner_start (self->spinner);
  update_buttons (self);
}

GtkWidget *
sb_sync_review_page_new (SbStore *store)
{
  SbSyncReviewPage *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_SYNC_REVIEW_PAGE, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = sb_sync_activity_get_for_database (self->db_path);
  return GTK_WIDGET (self);
}
