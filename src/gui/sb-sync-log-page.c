/* sb-sync-log-page.c
 *
 * Everything is read in one worker pass on a read-only store (jobs, their errors, conflicts,
 * skipped couplings) and shown in one go. Resolving and restoring run the engine on a worker
 * with a store of its own, then read the page again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-connection-setup.h"
#include "sb-coupling-dialogs.h"
#include "sb-empty-state.h"
#include "sb-sync-activity.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine.h"
#include "sb-sync-log-page.h"
#include "sb-window.h"

#define N_JOBS 50

struct _SbSyncLogPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  GCancellable *cancellable;
  guint n_loading;
  guint n_running;
  char *last_message;
  SbSyncActivity *activity; /* the header bar's picture of what runs from here */

  GtkStack *stack;
  GtkSpinner *spinner;
  GtkSpinner *busy_spinner;
  GtkListBox *conflicts_list;
  GtkListBox *skipped_list;
  GtkListBox *jobs_list;
  GtkWidget *conflicts_group;
  GtkWidget *skipped_group;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbSyncLogPage, sb_sync_log_page, SB_TYPE_PAGE)

static void
toast (SbSyncLogPage *self, const char *message)
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

static char *
format_time (const char *iso)
{
  g_autoptr (GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %H:%M:%S") : g_strdup (iso ? iso : "");
}

/* Loading */

typedef struct
{
  JsonNode *jobs;
  JsonNode *errors;
  JsonNode *conflicts;
  GPtrArray *skipped; /* SbSyncCoupling */
  gboolean enabled;
} LogData;

static void
log_data_free (LogData *data)
{
  g_clear_pointer (&data->jobs, json_node_unref);
  g_clear_pointer (&data->errors, json_node_unref);
  g_clear_pointer (&data->conflicts, json_node_unref);
  g_clear_pointer (&data->skipped, g_ptr_array_unref);
  g_free (data);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  /* Not read-only: a new company's sync tables are made on first use. */
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GPtrArray) mappings = NULL;
  LogData *data = g_new0 (LogData, 1);

  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup != NULL)
    data->jobs = sb_sync_engine_get_log (store, FALSE, N_JOBS, &error);
  if (data->jobs != NULL)
    data->errors = sb_sync_engine_get_log (store, TRUE, N_JOBS * 20, &error);
  if (data->errors != NULL)
    data->conflicts = sb_sync_engine_get_conflicts (store, &error);
  if (data->conflicts != NULL)
    mappings = sb_sync_mapping_list (store, &error);
  if (mappings == NULL)
    {
      log_data_free (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->enabled = setup->is_enabled;
  data->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_coupling_free);
  /* Mapping by mapping: sb_sync_coupling_list() with no mapping finds none (it binds NULL
   * as ''). */
  for (guint m = 0; m < mappings->len; m++)
    {
      const SbSyncMapping *mapping = g_ptr_array_index (mappings, m);
      g_autoptr (GPtrArray) couplings = sb_sync_coupling_list (store, mapping->name, &error);

      if (couplings == NULL)
        {
          log_data_free (data);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      for (guint i = 0; i < couplings->len; i++)
        {
          SbSyncCoupling *c = g_ptr_array_index (couplings, i);

          if (c->skipped)
            g_ptr_array_add (data->skipped, g_steal_pointer (&couplings->pdata[i]));
        }
    }
  g_task_return_pointer (task, data, (GDestroyNotify) log_data_free);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
text_button (const char *label, const char *name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void on_resolve_clicked (GtkButton *button, SbSyncLogPage *self);
static void on_restore_clicked (GtkButton *button, SbSyncLogPage *self);
static void on_retry_clicked (GtkButton *button, SbSyncLogPage *self);

/* "0.4 s", "2 min 5 s": how long a job took, or NULL when it has not finished. */
static char *
format_duration (const char *started_iso, const char *finished_iso)
{
  g_autoptr (GDateTime) started =
      started_iso != NULL ? g_date_time_new_from_iso8601 (started_iso, NULL) : NULL;
  g_autoptr (GDateTime) finished = finished_iso != NULL && *finished_iso != '\0'
                                       ? g_date_time_new_from_iso8601 (finished_iso, NULL)
                                       : NULL;
  GTimeSpan span;

  if (started == NULL || finished == NULL)
    return NULL;
  span = MAX (g_date_time_difference (finished, started), 0);
  /* The log keeps whole seconds: less than one is all it can say of a short job. */
  if (span < G_TIME_SPAN_SECOND)
    return g_strdup (_ ("under a second"));
  if (span < 60 * G_TIME_SPAN_SECOND)
    {
      g_autofree char *seconds = g_strdup_printf ("%.1f", span / (double) G_TIME_SPAN_SECOND);

      /* TRANSLATORS: how long a job took, in seconds ("2.5 s") */
      return g_strdup_printf (_ ("%s s"), seconds);
    }
  /* TRANSLATORS: how long a job took, in minutes and seconds */
  return g_strdup_printf (_ ("%u min %u s"), (guint) (span / G_TIME_SPAN_MINUTE),
                          (guint) ((span % G_TIME_SPAN_MINUTE) / G_TIME_SPAN_SECOND));
}

static void
set_target (GtkWidget *button, const char *mapping, const char *key, int winner)
{
  g_object_set_data_full (G_OBJECT (button), "sb-mapping", g_strdup (mapping), g_free);
  g_object_set_data_full (G_OBJECT (button), "sb-key", g_strdup (key), g_free);
  g_object_set_data (G_OBJECT (button), "sb-winner", GINT_TO_POINTER (winner));
}

static void
add_conflict_row (SbSyncLogPage *self, JsonObject *conflict)
{
  const char *mapping = json_object_get_string_member_with_default (conflict, "mapping", "");
  const char *key = json_object_get_string_member_with_default (conflict, "erp_key", "");
  const char *kind = json_object_get_string_member_with_default (conflict, "kind", "");
  JsonNode *fields_node = json_object_get_member (conflict, "fields");
  g_autoptr (GString) fields = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s %s", mapping, key != NULL ? key : "");
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("conflict-%s", key != NULL ? key : "");
  GtkWidget *keep_erp, *keep_sales;

  /* The differing fields by caption (an array of objects), for a short line. */
  if (fields_node != NULL && JSON_NODE_HOLDS_ARRAY (fields_node))
    {
      JsonArray *array = json_node_get_array (fields_node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *field =
              JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

          if (field == NULL)
            continue;
          if (fields->len > 0)
            g_string_append (fields, ", ");
          g_string_append (fields,
                           json_object_get_string_member_with_default (
                               field, "caption",
                               json_object_get_string_member_with_default (field, "field", "")));
        }
    }
  else if (fields_node != NULL && JSON_NODE_HOLDS_VALUE (fields_node))
    g_string_append (fields, json_node_get_string (fields_node));
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_str_equal (kind, "deletion"))
    subtitle = g_strdup (_ ("Deleted on one side"));
  else
    /* TRANSLATORS: an update conflict; %s lists the fields that differ */
    subtitle = g_strdup_printf (_ ("Changed on both sides: %s"), fields->str);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  keep_erp = text_button (_ ("Keep Salesbridge"), "keep-erp");
  set_target (keep_erp, mapping, key, SB_SYNC_DIRECTION_TO_SALES);
  g_signal_connect (keep_erp, "clicked", G_CALLBACK (on_resolve_clicked), self);
  keep_sales = text_button (_ ("Keep Sales"), "keep-sales");
  set_target (keep_sales, mapping, key, SB_SYNC_DIRECTION_FROM_SALES);
  g_signal_connect (keep_sales, "clicked", G_CALLBACK (on_resolve_clicked), self);
  gtk_widget_set_sensitive (keep_erp, key != NULL && *key != '\0');
  gtk_widget_set_sensitive (keep_sales, key != NULL && *key != '\0');
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), keep_erp);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), keep_sales);
  gtk_list_box_append (self->conflicts_list, row);
}

static void
add_skipped_row (SbSyncLogPage *self, const SbSyncCoupling *c)
{
  const char *key = c->erp_key != NULL ? c->erp_key : c->dataverse_id;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf ("%s %s", c->mapping, key);
  g_autofree char *name = g_strdup_printf ("skipped-%s", key);
  GtkWidget *restore = text_button (_ ("_Restore"), "restore");

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), c->last_error != NULL ? c->last_error : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  set_target (restore, c->mapping, key, 0);
  g_signal_connect (restore, "clicked", G_CALLBACK (on_restore_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), restore);
  gtk_list_box_append (self->skipped_list, row);
}

/* A job runs one way or both (its "direction" nick): the log tells the two apart. */
static const char *
direction_label (const char *nick)
{
  if (g_str_equal (nick, "to-sales"))
    return _ ("to Sales");
  if (g_str_equal (nick, "from-sales"))
    return _ ("from Sales");
  if (g_str_equal (nick, "both"))
    return _ ("both ways");
  return "";
}

static void
add_job_row (SbSyncLogPage *self, JsonObject *job, JsonArray *errors)
{
  gint64 id = json_object_get_int_member_with_default (job, "id", 0);
  const char *mapping = json_object_get_string_member_with_default (job, "mapping", "");
  const char *message = json_object_get_string_member_with_default (job, "message", NULL);
  g_autofree char *started =
      format_time (json_object_get_string_member_with_default (job, "started_at", NULL));
  g_autofree char *duration =
      format_duration (json_object_get_string_member_with_default (job, "started_at", NULL),
                       json_object_get_string_member_with_default (job, "finished_at", NULL));
  const char *direction =
      direction_label (json_object_get_string_member_with_default (job, "direction", ""));
  gboolean match =
      g_strcmp0 (json_object_get_string_member_with_default (job, "kind", ""), "match") == 0;
  /* TRANSLATORS: a job's mapping and direction, "CUSTOMER to Sales" */
  g_autofree char *way =
      *direction != '\0' ? g_strdup_printf (_ ("%s %s"), mapping, direction) : g_strdup (mapping);
  /* TRANSLATORS: a job that only coupled records that match, "CUSTOMER both ways, coupling by
   * matching" */
  g_autofree char *what =
      match ? g_strdup_printf (_ ("%s, coupling by matching"), way) : g_strdup (way);
  g_autofree char *title = duration != NULL
                               ? g_strdup_printf ("%s · %s · %s", what, started, duration)
                               : g_strdup_printf ("%s · %s", what, started);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_expander_row_new ();
  guint n_errors = 0;
#define N(name) ((guint) json_object_get_int_member_with_default (job, name, 0))

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* TRANSLATORS: a synchronization job's counters */
  subtitle = g_strdup_printf (_ ("%u inserted · %u modified · %u unchanged · %u skipped · %u "
                                 "failed · %u coupled"),
                              N ("inserted"), N ("modified"), N ("unchanged"), N ("skipped"),
                              N ("failed"), N ("coupled"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (N ("failed") > 0)
    {
      GtkWidget *retry = text_button (_ ("Re_try"), "retry");
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Failed records"), -1);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
      /* Failed records are tried again by every run of their mapping: Retry is such a run. */
      gtk_widget_set_tooltip_text (retry, _ ("Synchronize this mapping again now"));
      set_target (retry, mapping, NULL, 0);
      g_object_set_data_full (
          G_OBJECT (retry), "sb-direction",
          g_strdup (json_object_get_string_member_with_default (job, "direction", "")), g_free);
      g_signal_connect (retry, "clicked", G_CALLBACK (on_retry_clicked), self);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), retry);
    }
  const guint N_FAILED = N ("failed");
#undef N
  if (message != NULL && *message != '\0')
    {
      GtkWidget *line = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line), message);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), line);
    }
  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);
      GtkWidget *line;
      const char *key;

      if (json_object_get_int_member_with_default (error, "job_id", -1) != id)
        continue;
      key = json_object_get_string_member_with_default (error, "erp_key", NULL);
      if (key == NULL || *key == '\0')
        key = json_object_get_string_member_with_default (error, "dataverse_id", "");
      line = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line), key != NULL ? key : "");
      adw_action_row_set_subtitle (
          ADW_ACTION_ROW (line), json_object_get_string_member_with_default (error, "message", ""));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (line), 3);
      gtk_widget_add_css_class (line, "error");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), line);
      n_errors++;
    }
  if (n_errors == 0 && (message == NULL || *message == '\0') && N_FAILED == 0)
    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);
  gtk_list_box_append (self->jobs_list, row);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncLogPage *self = SB_SYNC_LOG_PAGE (source);
  g_autoptr (GError) error = NULL;
  LogData *data = g_task_propagate_pointer (G_TASK (result), &error);
  JsonArray *jobs, *errors, *conflicts;

  self->n_loading--;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (data == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Could not read the synchronization log: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  jobs = json_node_get_array (data->jobs);
  errors = json_node_get_array (data->errors);
  conflicts = json_node_get_array (data->conflicts);
  clear_list (self->conflicts_list);
  clear_list (self->skipped_list);
  clear_list (self->jobs_list);
  for (guint i = 0; i < json_array_get_length (conflicts); i++)
    add_conflict_row (self, json_array_get_object_element (conflicts, i));
  for (guint i = 0; i < data->skipped->len; i++)
    add_skipped_row (self, g_ptr_array_index (data->skipped, i));
  for (guint i = 0; i < json_array_get_length (jobs); i++)
    add_job_row (self, json_array_get_object_element (jobs, i), errors);
  gtk_widget_set_visible (self->conflicts_group, json_array_get_length (conflicts) > 0);
  gtk_widget_set_visible (self->skipped_group, data->skipped->len > 0);

  if (!data->enabled)
    gtk_stack_set_visible_child_name (self->stack, "disabled");
  else if (json_array_get_length (jobs) == 0 && json_array_get_length (conflicts) == 0 &&
           data->skipped->len == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "log");
  log_data_free (data);
}

void
sb_sync_log_page_reload (SbSyncLogPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_SYNC_LOG_PAGE (self));

  self->n_loading++;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0)
    gtk_spinner_set_spinning (self->spinner, TRUE);
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* Actions */

typedef enum
{
  ACTION_RESOLVE,
  ACTION_RESTORE,
  ACTION_RETRY,
  ACTION_PURGE,
} ActionKind;

typedef struct
{
  char *db_path;
  char *mapping;
  char *key;
  ActionKind kind;
  gboolean restore;
  SbSyncDirection winner; /* resolve: who wins; retry: the direction */
  guint older_than_days;  /* purge */
  guint run_id;
} Action;

static void
action_free (Action *action)
{
  g_free (action->db_path);
  g_free (action->mapping);
  g_free (action->key);
  g_free (action);
}

static void
action_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Action *action = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (action->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncCounters counters;
  gboolean ok = FALSE;

  /* Deleting log entries needs no connection. */
  if (store != NULL && action->kind == ACTION_PURGE)
    ok = sb_sync_engine_purge_log (store, action->older_than_days, &error);
  else if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine != NULL)
    switch (action->kind)
      {
        case ACTION_RESTORE:
          ok = sb_sync_engine_restore_sync (engine, action->mapping, action->key, &error);
          break;
        case ACTION_RETRY:
          ok = sb_sync_engine_sync_mapping_sync (engine, action->mapping, action->winner, &counters,
                                                 cancellable, &error);
          break;
        case ACTION_RESOLVE:
        default:
          ok = sb_sync_engine_sync_record_sync (engine, action->mapping, action->key,
                                                action->winner, cancellable, &error);
      }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
update_busy (SbSyncLogPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->n_running > 0);
  gtk_spinner_set_spinning (self->busy_spinner, self->n_running > 0);
}

static void
action_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncLogPage *self = SB_SYNC_LOG_PAGE (source);
  Action *action = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  gboolean ok;

  self->n_running--;
  update_busy (self);
  ok = g_task_propagate_boolean (G_TASK (result), &error);
  if (action->run_id != 0)
    sb_sync_activity_end (self->activity, action->run_id, error);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message);
    }
  else if (action->kind == ACTION_PURGE)
    toast (self, _ ("Log entries deleted"));
  else if (action->kind == ACTION_RETRY)
    {
      /* TRANSLATORS: after Retry; %s is the mapping */
      g_autofree char *message = g_strdup_printf (_ ("%s synchronized again"), action->mapping);
      toast (self, message);
    }
  else
    {
      /* TRANSLATORS: after resolving or restoring; %s is the record's key */
      g_autofree char *message = g_strdup_printf (
          action->restore ? _ ("%s takes part in synchronization again") : _ ("%s synchronized"),
          action->key);
      toast (self, message);
    }
  sb_sync_log_page_reload (self);
}

static void
run_action (SbSyncLogPage *self, Action *action)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, action_done, NULL);

  action->db_path = g_strdup (self->db_path);
  /* Whatever writes to Sales is a synchronization the header bar shows. */
  if (action->kind != ACTION_PURGE)
    action->run_id = sb_sync_activity_begin (self->activity, action->kind == ACTION_RETRY
                                                                 ? _ ("Synchronizing again")
                                                                 : _ ("Synchronizing a record"));
  g_task_set_task_data (task, action, (GDestroyNotify) action_free);
  self->n_running++;
  update_busy (self);
  g_task_run_in_thread (task, action_thread);
}

void
sb_sync_log_page_resolve (SbSyncLogPage *self, const char *mapping, const char *erp_key,
                          SbSyncDirection winner)
{
  Action *action = g_new0 (Action, 1);

  g_return_if_fail (SB_IS_SYNC_LOG_PAGE (self));
  action->mapping = g_strdup (mapping);
  action->key = g_strdup (erp_key);
  action->winner = winner;
  action->kind = ACTION_RESOLVE;
  run_action (self, action);
}

void
sb_sync_log_page_restore (SbSyncLogPage *self, const char *mapping, const char *key)
{
  Action *action = g_new0 (Action, 1);

  g_return_if_fail (SB_IS_SYNC_LOG_PAGE (self));
  action->mapping = g_strdup (mapping);
  action->key = g_strdup (key);
  action->restore = TRUE;
  action->kind = ACTION_RESTORE;
  run_action (self, action);
}

void
sb_sync_log_page_retry (SbSyncLogPage *self, const char *mapping, SbSyncDirection direction)
{
  Action *action = g_new0 (Action, 1);

  g_return_if_fail (SB_IS_SYNC_LOG_PAGE (self));
  action->mapping = g_strdup (mapping);
  action->winner = direction;
  action->kind = ACTION_RETRY;
  run_action (self, action);
}

void
sb_sync_log_page_delete_entries (SbSyncLogPage *self, guint older_than_days)
{
  Action *action = g_new0 (Action, 1);

  g_return_if_fail (SB_IS_SYNC_LOG_PAGE (self));
  action->older_than_days = older_than_days;
  action->kind = ACTION_PURGE;
  run_action (self, action);
}

static void
on_retry_clicked (GtkButton *button, SbSyncLogPage *self)
{
  const char *direction = g_object_get_data (G_OBJECT (button), "sb-direction");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  sb_sync_log_page_retry (self, g_object_get_data (G_OBJECT (button), "sb-mapping"),
                          g_strcmp0 (direction, "to-sales") == 0     ? SB_SYNC_DIRECTION_TO_SALES
                          : g_strcmp0 (direction, "from-sales") == 0 ? SB_SYNC_DIRECTION_FROM_SALES
                                                                     : SB_SYNC_DIRECTION_BOTH);
}

static void
on_delete_response (AdwMessageDialog *dialog, const char *response, SbSyncLogPage *self)
{
  if (g_str_equal (response, "older"))
    sb_sync_log_page_delete_entries (self, 7);
  else if (g_str_equal (response, "all"))
    sb_sync_log_page_delete_entries (self, 0);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _ ("Delete Log Entries?"),
                                              _ ("The jobs and their errors are removed from the "
                                                 "log. Records and couplings stay as they are."));

  gtk_widget_set_name (dialog, "delete-log-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "older",
                                    _ ("Older Than _7 Days"), "all", _ ("_All"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "all",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_delete_response), widget);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_resolve_clicked (GtkButton *button, SbSyncLogPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  sb_sync_log_page_resolve (self, g_object_get_data (G_OBJECT (button), "sb-mapping"),
                            g_object_get_data (G_OBJECT (button), "sb-key"),
                            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sb-winner")));
}

static void
on_restore_clicked (GtkButton *button, SbSyncLogPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  sb_sync_log_page_restore (self, g_object_get_data (G_OBJECT (button), "sb-mapping"),
                            g_object_get_data (G_OBJECT (button), "sb-key"));
}

/* GObject */

gboolean
sb_sync_log_page_is_busy (SbSyncLogPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_LOG_PAGE (self), FALSE);
  return self->n_loading > 0 || self->n_running > 0;
}

const char *
sb_sync_log_page_get_state (SbSyncLogPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_LOG_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sb_sync_log_page_get_last_message (SbSyncLogPage *self)
{
  g_return_val_if_fail (SB_IS_SYNC_LOG_PAGE (self), NULL);
  return self->last_message;
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sync_log_page_reload (SB_SYNC_LOG_PAGE (widget));
}

static void
sb_sync_log_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_sync_log_page_parent_class)->map (widget);
  sb_sync_log_page_reload (SB_SYNC_LOG_PAGE (widget));
}

static void
sb_sync_log_page_dispose (GObject *object)
{
  SbSyncLogPage *self = SB_SYNC_LOG_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sb_sync_log_page_parent_class)->dispose (object);
}

static void
sb_sync_log_page_finalize (GObject *object)
{
  SbSyncLogPage *self = SB_SYNC_LOG_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->activity);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_sync_log_page_parent_class)->finalize (object);
}

static void
sb_sync_log_page_class_init (SbSyncLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sync_log_page_dispose;
  object_class->finalize = sb_sync_log_page_finalize;

  widget_class->map = sb_sync_log_page_map;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-sync-log-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, skipped_list);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, conflicts_group);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, skipped_group);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbSyncLogPage, error_page);
  gtk_widget_class_install_action (widget_class, "log.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "log.delete", NULL, delete_action);
}

static void
sb_sync_log_page_init (SbSyncLogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* The full synchronization is where a new connection starts; one mapping is for later. */
  sb_empty_state_add_button (self->empty_page, _ ("_Synchronize with Dynamics 365 Sales…"),
                             "win.show-page::review");
  sb_empty_state_add_button (self->empty_page, _ ("_Open Integration Table Mappings"),
                             "win.show-page::mappings");
}

static void
on_activity_changed (SbSyncLogPage *self)
{
  if (!sb_sync_activity_is_running (self->activity) && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      !sb_sync_log_page_is_busy (self))
    sb_sync_log_page_reload (self);
}

GtkWidget *
sb_sync_log_page_new (SbStore *store)
{
  SbSyncLogPage *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_SYNC_LOG_PAGE, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = sb_sync_activity_get_for_database (self->db_path);
  /* A run that ended (the scheduled jobs, a full synchronization) may have changed what the page
   * shows: read it again if it is in view. */
  g_signal_connect_object (self->activity, "changed", G_CALLBACK (on_activity_changed), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
