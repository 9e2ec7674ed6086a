/* sb-sync-history-dialog.c
 *
 * Built in code, as the coupling dialogs are: a small AdwWindow whose rows depend on what the
 * history holds. Each entry is an AdwExpanderRow (action and direction, time and message) whose
 * rows are the fields transferred, so a long history stays a list to scan.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-coupling-dialogs.h"
#include "sb-empty-state.h"
#include "sb-sync-engine.h"
#include "sb-sync-history-dialog.h"

/* Enough for any record's life; older entries are what purging the log is for. */
#define HISTORY_LIMIT 500

typedef struct
{
  char *db_path;
  char *mapping;
  char *key;
  JsonNode *history;
  const SbRecordType *type; /* for the fields' labels; NULL when the engine has none */
} HistoryQuery;

static void
history_query_free (HistoryQuery *query)
{
  g_free (query->db_path);
  g_free (query->mapping);
  g_free (query->key);
  g_clear_pointer (&query->history, json_node_unref);
  g_free (query);
}

static void
history_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  HistoryQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  /* Read-write: a new company's first read writes the default mappings. */
  g_autoptr (SbStore) store = sb_store_open (query->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncMapping) mapping = NULL;

  if (store != NULL)
    mapping = sb_sync_mapping_load (store, query->mapping, &error);
  if (mapping != NULL)
    {
      query->type = sb_sync_erp_record_type (mapping->erp_table);
      query->history =
          sb_sync_engine_get_history (store, query->mapping, query->key, HISTORY_LIMIT, &error);
    }
  if (query->history == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *stack;
  GtkWidget *list;
  GtkWidget *error_page;
  GCancellable *cancellable;
} HistoryDialog;

static void
history_dialog_free (HistoryDialog *dialog)
{
  g_cancellable_cancel (dialog->cancellable);
  g_clear_object (&dialog->cancellable);
  g_free (dialog);
}

static const char *
action_label (const char *action)
{
  static const struct
  {
    const char *name;
    const char *label;
  } labels[] = {
    /* TRANSLATORS: what a synchronization did to a record, in its history */
    { "inserted", N_ ("Created") },
    { "modified", N_ ("Updated") },
    { "deleted", N_ ("Deleted") },
    { "coupled", N_ ("Coupled") },
    { "uncoupled", N_ ("Uncoupled") },
    { "conflict", N_ ("Conflict") },
    { "failed", N_ ("Failed") },
    { "restored", N_ ("Restored") },
    { "resolved", N_ ("Conflict Resolved") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, action) == 0)
      return _ (labels[i].label);
  return action != NULL ? action : "";
}

/* Which way a transfer went; NULL for what concerns both sides (coupling, uncoupling). */
static const char *
direction_label (const char *direction)
{
  if (g_strcmp0 (direction, "to-sales") == 0)
    /* TRANSLATORS: the direction of a transfer in a record's history */
    return _ ("To Dynamics 365 Sales");
  if (g_strcmp0 (direction, "from-sales") == 0)
    /* TRANSLATORS: the direction of a transfer in a record's history */
    return _ ("From Dynamics 365 Sales");
  return NULL;
}

/* The stored UTC time in the user's time zone and locale (date and time of day). */
static char *
format_time (const char *time)
{
  g_autoptr (GDateTime) utc = time != NULL ? g_date_time_new_from_iso8601 (time, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %X") : g_strdup (time != NULL ? time : "");
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GtkWidget *
history_row (JsonObject *entry, const SbRecordType *type, guint index)
{
  const char *message = member_string (entry, "message");
  JsonNode *fields_node = json_object_get_member (entry, "fields");
  JsonObject *fields = fields_node != NULL && JSON_NODE_HOLDS_OBJECT (fields_node)
                           ? json_node_get_object (fields_node)
                           : NULL;
  g_autofree char *when = format_time (member_string (entry, "time"));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("history-row-%u", index);
  g_autoptr (GList) members = fields != NULL ? json_object_get_members (fields) : NULL;
  GtkWidget *row;

  if (direction_label (member_string (entry, "direction")) != NULL)
    /* TRANSLATORS: a history entry's title: what happened, and which way, e.g. "Updated · To
     * Dynamics 365 Sales" */
    title = g_strdup_printf (_ ("%s · %s"), action_label (member_string (entry, "action")),
                             direction_label (member_string (entry, "direction")));
  else
    title = g_strdup (action_label (member_string (entry, "action")));
  if (message != NULL && *message != '\0')
    /* TRANSLATORS: a history entry's subtitle: its time, then its message */
    subtitle = g_strdup_printf (_ ("%s — %s"), when, message);
  else
    subtitle = g_steal_pointer (&when);

  if (members == NULL)
    {
      row = adw_action_row_new ();
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
    }
  else
    {
      row = adw_expander_row_new ();
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
    }
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (g_strcmp0 (member_string (entry, "action"), "failed") == 0 ||
      g_strcmp0 (member_string (entry, "action"), "conflict") == 0)
    gtk_widget_add_css_class (row, "history-problem");

  for (GList *l = members; l != NULL; l = l->next)
    {
      const SbField *field = type != NULL ? sb_record_type_find_field (type, l->data) : NULL;
      const char *value = member_string (fields, l->data);
      GtkWidget *field_row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (value != NULL && *value != '\0' ? value : "—");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field_row), FALSE);
      adw_preferences_row_set_title (
          ADW_PREFERENCES_ROW (field_row),
          field != NULL && field->label != NULL ? _ (field->label) : (const char *) l->data);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      /* Short values on one line, long ones (addresses) wrapped at a readable width. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_width_chars (GTK_LABEL (label), 16);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      adw_action_row_add_suffix (ADW_ACTION_ROW (field_row), label);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), field_row);
    }
  return row;
}

static void
history_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HistoryQuery *query = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  HistoryDialog *dialog;
  JsonArray *entries;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window closed */
  dialog = user_data;
  if (error != NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (dialog->error_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (dialog->stack), "error");
      return;
    }
  entries = JSON_NODE_HOLDS_ARRAY (query->history) ? json_node_get_array (query->history) : NULL;
  if (entries == NULL || json_array_get_length (entries) == 0)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (dialog->stack), "empty");
      return;
    }
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        gtk_list_box_append (GTK_LIST_BOX (dialog->list),
                             history_row (json_node_get_object (node), query->type, i));
    }
  gtk_stack_set_visible_child_name (GTK_STACK (dialog->stack), "list");
}

/* Shows the Synchronization Log page of the window below and closes this one. */
static void
show_log_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);
  GtkWindow *parent = gtk_window_get_transient_for (window);

  if (parent != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (parent), "show-page",
                                    g_variant_new_string ("sync-log"));
  gtk_window_destroy (window);
}

GtkWidget *
sb_sync_history_dialog_show (GtkWindow *parent, const char *db_path, const char *mapping,
                             const char *key)
{
  HistoryDialog *dialog = g_new0 (HistoryDialog, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *empty;
  GtkShortcut *close;
  GtkEventController *shortcuts;
  g_autofree char *subtitle = NULL;
  g_autoptr (GTask) task = NULL;
  HistoryQuery *query;

  dialog->cancellable = g_cancellable_new ();
  dialog->window = adw_window_new ();
  gtk_widget_set_name (dialog->window, "sync-history-dialog");
  gtk_window_set_modal (GTK_WINDOW (dialog->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog->window), parent);
  gtk_window_set_default_size (GTK_WINDOW (dialog->window), 560, 600);
  gtk_window_set_title (GTK_WINDOW (dialog->window), _ ("Synchronization History"));
  g_object_set_data_full (G_OBJECT (dialog->window), "sb-history", dialog,
                          (GDestroyNotify) history_dialog_free);
  /* Escape closes it, as it does a message dialog. */
  shortcuts = gtk_shortcut_controller_new ();
  close = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                            gtk_named_action_new ("window.close"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), close);
  gtk_widget_add_controller (dialog->window, shortcuts);

  /* TRANSLATORS: the subtitle of the Synchronization History window: the mapping and the
   * record's key, e.g. "CUSTOMER · C00010" */
  subtitle = g_strdup_printf (_ ("%s · %s"), mapping, key);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_ ("Synchronization History"), subtitle));
  gtk_box_append (GTK_BOX (box), header);

  dialog->stack = gtk_stack_new ();
  gtk_widget_set_name (dialog->stack, "history-stack");
  gtk_widget_set_vexpand (dialog->stack, TRUE);
  gtk_stack_set_transition_type (GTK_STACK (dialog->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_valign (loading, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (loading), spinner);
  gtk_stack_add_named (GTK_STACK (dialog->stack), loading, "loading");

  dialog->list = gtk_list_box_new ();
  gtk_widget_set_name (dialog->list, "history-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (dialog->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (dialog->list, "boxed-list");
  gtk_widget_set_valign (dialog->list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Synchronization History"), -1);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), dialog->list);
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 12);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_stack_add_named (GTK_STACK (dialog->stack), scrolled, "list");

  empty =
      sb_coupling_status_page_new ("document-open-recent-symbolic", _ ("Nothing Transferred Yet"),
                                   _ ("Couplings and transfers of this record appear here once "
                                      "they happen. The synchronization log shows what the "
                                      "jobs did."));
  /* The app window's log, where it is one; another parent only gets this window closed. */
  if (parent != NULL && G_IS_ACTION_GROUP (parent) &&
      g_action_group_has_action (G_ACTION_GROUP (parent), "show-page"))
    {
      g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
      g_autoptr (GSimpleAction) action = g_simple_action_new ("show-log", NULL);

      g_signal_connect_object (action, "activate", G_CALLBACK (show_log_activated), dialog->window,
                               0);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
      gtk_widget_insert_action_group (dialog->window, "history", G_ACTION_GROUP (group));
      sb_empty_state_add_button (ADW_STATUS_PAGE (empty), _ ("_Open Synchronization Log"),
                                 "history.show-log");
    }
  else
    sb_empty_state_add_button (ADW_STATUS_PAGE (empty), _ ("_Close"), "window.close");
  gtk_stack_add_named (GTK_STACK (dialog->stack), empty, "empty");
  dialog->error_page =
      sb_coupling_status_page_new ("dialog-error-symbolic", _ ("Could Not Read the History"), NULL);
  gtk_stack_add_named (GTK_STACK (dialog->stack), dialog->error_page, "error");
  gtk_box_append (GTK_BOX (box), dialog->stack);
  adw_window_set_content (ADW_WINDOW (dialog->window), box);

  query = g_new0 (HistoryQuery, 1);
  query->db_path = g_strdup (db_path);
  query->mapping = g_strdup (mapping);
  query->key = g_strdup (key);
  task = g_task_new (NULL, dialog->cancellable, history_done, dialog);
  g_task_set_task_data (task, query, (GDestroyNotify) history_query_free);
  g_task_run_in_thread (task, history_thread);

  gtk_window_present (GTK_WINDOW (dialog->window));
  return dialog->window;
}
