/* sb-mapping-page.c
 *
 * The list and its status are read by a worker on a read-only store of its own. A mapping's
 * settings are edited on a copy and saved in one go with sb_sync_mapping_save(), which validates
 * them: an edit the engine refuses is not stored, and its message is shown.
 *
 * Synchronizing needs the connection, whose secret comes from the keyring: a worker makes it,
 * then the engine's _async call runs the mapping on a worker of its own and reports "progress"
 * here, shown on the mapping's row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-connection-setup.h"
#include "sb-coupling-dialogs.h"
#include "sb-mapping-page.h"
#include "sb-sync-engine.h"
#include "sb-window.h"

typedef struct
{
  GtkWidget *row;
  GtkWidget *status_label;
  GtkWidget *progress;
  GtkWidget *button;
} MappingRow;

struct _SbMappingPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  GCancellable *cancellable;
  guint n_loading;
  GPtrArray *mappings;     /* SbSyncMapping */
  GHashTable *rows;        /* name → MappingRow */
  GHashTable *running;     /* name → SbSyncEngine */
  SbSyncMapping *edited;   /* the detail page's copy */
  GtkWidget *detail_error; /* why the engine refused the last save */
  char *last_message;

  AdwLeaflet *navigation;
  GtkWidget *list_view;
  AdwHeaderBar *header_bar;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkListBox *list;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbMappingPage, sb_mapping_page, SB_TYPE_PAGE)

static void
toast (SbMappingPage *self, const char *message)
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

static const char *
direction_arrow (SbSyncDirection direction)
{
  switch (direction)
    {
      case SB_SYNC_DIRECTION_TO_SALES:
        return "→";
      case SB_SYNC_DIRECTION_FROM_SALES:
        return "←";
      case SB_SYNC_DIRECTION_BOTH:
      default:
        return "↔";
    }
}

static SbSyncMapping *
find_mapping (SbMappingPage *self, const char *name)
{
  for (guint i = 0; self->mappings != NULL && i < self->mappings->len; i++)
    {
      SbSyncMapping *m = g_ptr_array_index (self->mappings, i);

      if (g_ascii_strcasecmp (m->name, name) == 0)
        return m;
    }
  return NULL;
}

/* Loading */

typedef struct
{
  GPtrArray *mappings;
  JsonNode *status;
  gboolean enabled;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->mappings, g_ptr_array_unref);
  g_clear_pointer (&result->status, json_node_unref);
  g_free (result);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  /* Not read-only: the list creates the default mappings a new company lacks. */
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  LoadResult *result = g_new0 (LoadResult, 1);

  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup != NULL)
    result->mappings = sb_sync_mapping_list (store, &error);
  if (result->mappings != NULL)
    result->status = sb_sync_engine_get_status (store, &error);
  if (result->status == NULL)
    {
      load_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result->enabled = setup->is_enabled;
  g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
}

static JsonObject *
find_status (JsonNode *status, const char *name)
{
  JsonArray *array = json_node_get_array (status);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "mapping"), name) == 0)
        return object;
    }
  return NULL;
}

static char *
format_time (const char *iso)
{
  g_autoptr (GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %H:%M") : g_strdup (iso);
}

static void on_sync_clicked (GtkButton *button, SbMappingPage *self);

static void
mapping_row_free (MappingRow *row)
{
  g_free (row);
}

static GtkWidget *
build_row (SbMappingPage *self, const SbSyncMapping *m, JsonObject *status)
{
  MappingRow *widgets = g_new0 (MappingRow, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *last_run;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *last_text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *row_name = g_strdup_printf ("mapping-%s", m->name);
  JsonObject *job = NULL;
  gint64 failed = 0, skipped = 0;

  gtk_widget_set_name (row, row_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), m->name);
  g_string_append_printf (subtitle, "%s %s %s", m->erp_table, direction_arrow (m->direction),
                          m->entity_set);
  if (*m->erp_filter != '\0' || *m->dataverse_filter != '\0')
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, *m->erp_filter != '\0' ? m->erp_filter : "—");
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, *m->dataverse_filter != '\0' ? m->dataverse_filter : "—");
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "sb-mapping", g_strdup (m->name), g_free);

  if (status != NULL)
    {
      failed = json_object_get_int_member_with_default (status, "failed", 0);
      skipped = json_object_get_int_member_with_default (status, "skipped", 0);
      if (json_object_has_member (status, "last_job") &&
          !json_object_get_null_member (status, "last_job"))
        job = json_object_get_object_member (status, "last_job");
    }
  if (job != NULL)
    {
      g_autofree char *when =
          format_time (json_object_get_string_member_with_default (job, "started_at", NULL));
      /* TRANSLATORS: when a mapping last ran; %s is a date and time */
      last_text = g_strdup_printf (_ ("Last run %s"), when);
    }
  else if (!m->transfer_implemented)
    last_text = g_strdup (_ ("Not available yet"));
  else
    last_text = g_strdup (_ ("Never run"));
  last_run = gtk_label_new (last_text);
  gtk_label_set_xalign (GTK_LABEL (last_run), 1);
  gtk_widget_add_css_class (last_run, "dim-label");
  gtk_widget_add_css_class (last_run, "caption");
  gtk_box_append (GTK_BOX (box), last_run);

  /* TRANSLATORS: a mapping's records that failed and that are skipped */
  counts = g_strdup_printf (_ ("Errors: %d · Skipped: %d"), (int) failed, (int) skipped);
  widgets->status_label = gtk_label_new (counts);
  gtk_label_set_xalign (GTK_LABEL (widgets->status_label), 1);
  gtk_widget_add_css_class (widgets->status_label, "caption");
  gtk_widget_add_css_class (widgets->status_label, failed + skipped > 0 ? "warning" : "dim-label");
  gtk_box_append (GTK_BOX (box), widgets->status_label);

  widgets->progress = gtk_progress_bar_new ();
  gtk_widget_set_size_request (widgets->progress, 120, -1);
  gtk_widget_set_visible (widgets->progress, FALSE);
  gtk_box_append (GTK_BOX (box), widgets->progress);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);

  widgets->button = gtk_button_new_from_icon_name ("emblem-synchronizing-symbolic");
  gtk_widget_set_valign (widgets->button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (widgets->button, "flat");
  gtk_widget_set_tooltip_text (widgets->button, _ ("Synchronize"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (widgets->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Synchronize"), -1);
  gtk_widget_set_sensitive (widgets->button, m->transfer_implemented &&
                                                 !g_hash_table_contains (self->running, m->name));
  g_object_set_data_full (G_OBJECT (widgets->button), "sb-mapping", g_strdup (m->name), g_free);
  g_signal_connect (widgets->button, "clicked", G_CALLBACK (on_sync_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widgets->button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));

  widgets->row = row;
  g_hash_table_replace (self->rows, g_strdup (m->name), widgets);
  if (g_hash_table_contains (self->running, m->name))
    gtk_widget_set_visible (widgets->progress, TRUE);
  return row;
}

static void
load_done (GObject *source, GAsyncResult *async_result, gpointer user_data)
{
  SbMappingPage *self = SB_MAPPING_PAGE (source);
  g_autoptr (GError) error = NULL;
  LoadResult *result = g_task_propagate_pointer (G_TASK (async_result), &error);
  GtkWidget *child;

  self->n_loading--;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Could not read the mappings: %s", error->message);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->mappings, g_ptr_array_unref);
  self->mappings = g_steal_pointer (&result->mappings);
  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->mappings->len; i++)
    {
      SbSyncMapping *m = g_ptr_array_index (self->mappings, i);

      gtk_list_box_append (self->list, build_row (self, m, find_status (result->status, m->name)));
    }
  gtk_stack_set_visible_child_name (self->stack, result->enabled ? "list" : "disabled");
  load_result_free (result);
}

void
sb_mapping_page_reload (SbMappingPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_MAPPING_PAGE (self));

  self->n_loading++;
  if (self->mappings == NULL)
    {
      gtk_spinner_set_spinning (self->spinner, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

/* Synchronizing */

static void
set_running (SbMappingPage *self, const char *name, gboolean running)
{
  MappingRow *row = g_hash_table_lookup (self->rows, name);

  if (row == NULL)
    return;
  gtk_widget_set_visible (row->progress, running);
  gtk_widget_set_sensitive (row->button, !running);
  if (running)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (row->progress));
}

static void
on_progress (SbSyncEngine *engine, const char *mapping, guint done, guint to_do,
             SbMappingPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (engine), "sb-mapping");
  MappingRow *row = g_hash_table_lookup (self->rows, name);

  if (row == NULL)
    return;
  if (to_do > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), (double) done / to_do);
  else
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (row->progress));
}

static void
sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSyncEngine *engine = SB_SYNC_ENGINE (source);
  SbMappingPage *self = user_data;
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (engine), "sb-mapping"));
  g_autoptr (GError) error = NULL;
  SbSyncCounters c = { 0 };

  if (!sb_sync_engine_sync_mapping_finish (engine, result, &c, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
    }
  else
    {
      /* TRANSLATORS: after synchronizing a mapping: its name, then its counters */
      g_autofree char *message =
          g_strdup_printf (_ ("%s: %u inserted, %u modified, %u unchanged, %u failed"), name,
                           c.inserted, c.modified, c.unchanged, c.failed + c.skipped);
      toast (self, message);
    }
  g_signal_handlers_disconnect_by_func (engine, on_progress, self);
  g_hash_table_remove (self->running, name);
  set_running (self, name, FALSE);
  sb_mapping_page_reload (self);
  g_object_unref (self);
}

static void
engine_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
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
  SbMappingPage *self = SB_MAPPING_PAGE (source);
  g_autofree char *name = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = g_task_propagate_pointer (G_TASK (result), &error);
  SbSyncMapping *mapping = find_mapping (self, name);
  SbSyncEngine *engine;

  if (cnc == NULL || mapping == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      g_hash_table_remove (self->running, name);
      set_running (self, name, FALSE);
      return;
    }
  /* The engine's _async call reads and writes on a store of its own, in a worker. */
  engine = sb_sync_engine_new (self->store, cnc);
  g_object_set_data_full (G_OBJECT (engine), "sb-mapping", g_strdup (name), g_free);
  g_hash_table_replace (self->running, g_strdup (name), engine);
  g_signal_connect (engine, "progress", G_CALLBACK (on_progress), self);
  sb_sync_engine_sync_mapping_async (engine, mapping->name, mapping->direction, self->cancellable,
                                     sync_done, g_object_ref (self));
}

void
sb_mapping_page_synchronize (SbMappingPage *self, const char *name)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_MAPPING_PAGE (self));

  if (g_hash_table_contains (self->running, name))
    return;
  /* Marked running right away: the keyring may take a moment. */
  g_hash_table_replace (self->running, g_strdup (name), NULL);
  set_running (self, name, TRUE);
  task = g_task_new (self, self->cancellable, connection_done, g_strdup (name));
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, engine_thread);
}

static void
on_sync_clicked (GtkButton *button, SbMappingPage *self)
{
  sb_mapping_page_synchronize (self, g_object_get_data (G_OBJECT (button), "sb-mapping"));
}

/* The detail page */

static GtkWidget *
combo_row (AdwPreferencesGroup *group, const char *name, const char *title,
           const char *const *choices, guint selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr (GtkStringList) model = gtk_string_list_new (choices);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
entry_row (AdwPreferencesGroup *group, const char *name, const char *title, const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
switch_row (gpointer parent, const char *name, const char *title, const char *subtitle,
            gboolean active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  gtk_widget_set_name (toggle, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  if (ADW_IS_EXPANDER_ROW (parent))
    adw_expander_row_add_row (ADW_EXPANDER_ROW (parent), row);
  else
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (parent), row);
  return toggle;
}

static const char *const *
direction_choices (void)
{
  static const char *choices[4];

  choices[0] = _ ("To Dynamics 365 Sales");
  choices[1] = _ ("From Dynamics 365 Sales");
  choices[2] = _ ("Both Directions");
  return choices;
}

/* Edits go into the copy as they are made; Save stores it. */
static void
on_direction_selected (AdwComboRow *row, GParamSpec *pspec, SbSyncDirection *direction)
{
  *direction = (SbSyncDirection) adw_combo_row_get_selected (row);
}

static void
on_policy_selected (AdwComboRow *row, GParamSpec *pspec, int *policy)
{
  *policy = (int) adw_combo_row_get_selected (row);
}

static void
on_text_changed (GtkEditable *editable, char **text)
{
  g_free (*text);
  *text = g_strdup (gtk_editable_get_text (editable));
}

static void
on_switch_active (GtkSwitch *toggle, GParamSpec *pspec, gboolean *value)
{
  *value = gtk_switch_get_active (toggle);
}

static void
on_spin_changed (GtkSpinButton *spin, guint *value)
{
  *value = (guint) gtk_spin_button_get_value_as_int (spin);
}

static const char *
field_label (const SbSyncMapping *m, const char *name)
{
  const SbRecordType *type = sb_sync_erp_record_type (m->erp_table);
  const SbField *field = type != NULL ? sb_record_type_find_field (type, name) : NULL;

  if (*name == '\0')
    return _ ("Constant");
  return field != NULL && field->label != NULL ? _ (field->label) : name;
}

static void
add_field_row (AdwPreferencesGroup *group, SbSyncMapping *m, SbSyncFieldMapping *f, guint index)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *combo;
  GtkWidget *constant;
  GtkWidget *spin_row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 99, 1);
  g_autofree char *title = g_strdup_printf ("%s %s %s", field_label (m, f->erp_field),
                                            direction_arrow (f->direction), f->dataverse_field);
  g_autofree char *name = g_strdup_printf ("field-%u", index);

  gtk_widget_set_name (expander, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  if (*f->lookup_mapping != '\0')
    {
      /* TRANSLATORS: a field mapping's value goes through another mapping's couplings */
      g_autofree char *subtitle = g_strdup_printf (_ ("Through %s"), f->lookup_mapping);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
    }
  else if (*f->constant != '\0')
    {
      /* TRANSLATORS: a field mapping that sends a fixed value */
      g_autofree char *subtitle = g_strdup_printf (_ ("Always %s"), f->constant);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
    }

  combo = adw_combo_row_new ();
  {
    g_autoptr (GtkStringList) model = gtk_string_list_new (direction_choices ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _ ("Direction"));
    adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (model));
    adw_combo_row_set_selected (ADW_COMBO_ROW (combo), f->direction);
  }
  g_signal_connect (combo, "notify::selected", G_CALLBACK (on_direction_selected), &f->direction);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), combo);

  g_signal_connect (switch_row (expander, "field-enabled", _ ("Enabled"), NULL, f->enabled),
                    "notify::active", G_CALLBACK (on_switch_active), &f->enabled);

  constant = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (constant), _ ("Constant Value"));
  gtk_editable_set_text (GTK_EDITABLE (constant), f->constant);
  g_signal_connect (constant, "changed", G_CALLBACK (on_text_changed), &f->constant);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), constant);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (spin_row), _ ("Match Priority"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (spin_row),
                               _ ("0: not used for match-based coupling; lower first"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), f->match_priority);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed), &f->match_priority);
  adw_action_row_add_suffix (ADW_ACTION_ROW (spin_row), spin);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), spin_row);

  g_signal_connect (
      switch_row (expander, "field-case", _ ("Match Case"), NULL, f->match_case_sensitive),
      "notify::active", G_CALLBACK (on_switch_active), &f->match_case_sensitive);
  adw_preferences_group_add (group, expander);
}

static void
on_save_clicked (SbMappingPage *self)
{
  g_autoptr (GError) error = NULL;

  if (self->edited == NULL)
    return;
  /* A few rows of the company database, written as the cards read it. */
  if (!sb_sync_mapping_save (self->store, self->edited, &error))
    {
      /* Inline, beside the settings, as long as it needs: a toast would cut it short. */
      g_free (self->last_message);
      self->last_message = g_strdup (error->message);
      if (self->detail_error != NULL)
        {
          gtk_label_set_text (GTK_LABEL (self->detail_error), error->message);
          gtk_widget_set_visible (self->detail_error, TRUE);
        }
      return;
    }
  if (self->detail_error != NULL)
    gtk_widget_set_visible (self->detail_error, FALSE);
  toast (self, _ ("Mapping saved"));
  sb_mapping_page_reload (self);
}

static void
on_back_clicked (SbMappingPage *self)
{
  adw_leaflet_navigate (self->navigation, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_detail_sync_clicked (SbMappingPage *self)
{
  if (self->edited != NULL)
    sb_mapping_page_synchronize (self, self->edited->name);
}

static void
on_reset_response (AdwMessageDialog *dialog, const char *response, SbMappingPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_str_equal (response, "reset") || self->edited == NULL)
    return;
  name = g_strdup (self->edited->name);
  if (!sb_sync_mapping_reset (self->store, name, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _ ("Mapping reset to its defaults"));
  sb_mapping_page_open_detail (self, name);
  sb_mapping_page_reload (self);
}

static void
on_reset_clicked (SbMappingPage *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _ ("Reset the Mapping?"), NULL);

  gtk_widget_set_name (dialog, "reset-dialog");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _ ("Its settings and field mappings go back to the defaults. "
                                  "Couplings stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "reset",
                                    _ ("_Reset"), NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_reset_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
sb_mapping_page_open_detail (SbMappingPage *self, const char *name)
{
  g_autoptr (GError) error = NULL;
  SbSyncMapping *m;
  GtkWidget *box, *header, *back, *save, *page, *title, *sync;
  AdwPreferencesGroup *general, *coupling, *fields, *actions;
  GtkWidget *reset;
  GtkWidget *old;
  g_autofree char *subtitle = NULL;
  static const char *conflict_choices[4];
  static const char *deletion_choices[4];

  g_return_val_if_fail (SB_IS_MAPPING_PAGE (self), NULL);

  /* The settings as stored now, not as listed a while ago. */
  m = sb_sync_mapping_load (self->store, name, &error);
  if (m == NULL)
    {
      toast (self, error->message);
      return NULL;
    }
  g_clear_pointer (&self->edited, sb_sync_mapping_free);
  self->edited = m;

  conflict_choices[0] = _ ("Record a Conflict");
  conflict_choices[1] = _ ("Get the Sales Values");
  conflict_choices[2] = _ ("Send the Salesbridge Values");
  deletion_choices[0] = _ ("Record a Conflict");
  deletion_choices[1] = _ ("Restore the Record");
  deletion_choices[2] = _ ("Remove the Coupling");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_name (box, "mapping-detail");
  header = adw_header_bar_new ();
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _ ("Back"));
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back_clicked), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  subtitle =
      g_strdup_printf ("%s %s %s", m->erp_table, direction_arrow (m->direction), m->entity_set);
  title = adw_window_title_new (m->name, subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  save = gtk_button_new_with_mnemonic (_ ("_Save"));
  gtk_widget_set_name (save, "mapping-save");
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  sync = gtk_button_new_from_icon_name ("emblem-synchronizing-symbolic");
  gtk_widget_set_tooltip_text (sync, _ ("Synchronize"));
  gtk_widget_set_sensitive (sync, m->transfer_implemented);
  g_signal_connect_swapped (sync, "clicked", G_CALLBACK (on_detail_sync_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), sync);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  {
    AdwPreferencesGroup *message = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

    self->detail_error = gtk_label_new (NULL);
    gtk_widget_set_name (self->detail_error, "mapping-error");
    gtk_label_set_wrap (GTK_LABEL (self->detail_error), TRUE);
    gtk_label_set_xalign (GTK_LABEL (self->detail_error), 0);
    gtk_widget_add_css_class (self->detail_error, "error");
    gtk_widget_set_visible (self->detail_error, FALSE);
    adw_preferences_group_add (message, self->detail_error);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), message);
  }
  general = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (general, _ ("Synchronization"));
  g_signal_connect (
      combo_row (general, "mapping-direction", _ ("Direction"), direction_choices (), m->direction),
      "notify::selected", G_CALLBACK (on_direction_selected), &m->direction);
  g_signal_connect (
      entry_row (general, "mapping-erp-filter", _ ("Salesbridge Filter"), m->erp_filter), "changed",
      G_CALLBACK (on_text_changed), &m->erp_filter);
  g_signal_connect (entry_row (general, "mapping-dataverse-filter", _ ("Dynamics 365 Sales Filter"),
                               m->dataverse_filter),
                    "changed", G_CALLBACK (on_text_changed), &m->dataverse_filter);
  g_signal_connect (combo_row (general, "mapping-conflict", _ ("When Both Sides Changed"),
                               conflict_choices, m->conflict_policy),
                    "notify::selected", G_CALLBACK (on_policy_selected), &m->conflict_policy);
  g_signal_connect (combo_row (general, "mapping-deletion", _ ("When the Other Side Was Deleted"),
                               deletion_choices, m->deletion_policy),
                    "notify::selected", G_CALLBACK (on_policy_selected), &m->deletion_policy);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), general);

  coupling = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (coupling, _ ("Coupling"));
  g_signal_connect (switch_row (coupling, "mapping-only-coupled", _ ("Only Coupled Records"),
                                _ ("New records are not created on the other side"),
                                m->only_coupled),
                    "notify::active", G_CALLBACK (on_switch_active), &m->only_coupled);
  g_signal_connect (switch_row (coupling, "mapping-create", _ ("Create New if No Match Is Found"),
                                NULL, m->create_if_no_match),
                    "notify::active", G_CALLBACK (on_switch_active), &m->create_if_no_match);
  g_signal_connect (switch_row (coupling, "mapping-sync-after", _ ("Synchronize After Coupling"),
                                NULL, m->sync_after_coupling),
                    "notify::active", G_CALLBACK (on_switch_active), &m->sync_after_coupling);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), coupling);

  fields = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (fields, _ ("Field Mappings"));
  for (guint i = 0; i < m->fields->len; i++)
    add_field_row (fields, m, g_ptr_array_index (m->fields, i), i);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), fields);

  actions = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  reset = gtk_button_new_with_mnemonic (_ ("_Reset to Defaults…"));
  gtk_widget_set_name (reset, "mapping-reset");
  gtk_widget_set_halign (reset, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (reset, "pill");
  gtk_widget_add_css_class (reset, "destructive-action");
  g_signal_connect_swapped (reset, "clicked", G_CALLBACK (on_reset_clicked), self);
  adw_preferences_group_add (actions, reset);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), actions);
  gtk_box_append (GTK_BOX (box), page);

  /* One detail page at a time: an older one goes. */
  old = gtk_widget_get_next_sibling (self->list_view);
  adw_leaflet_append (self->navigation, box);
  adw_leaflet_set_visible_child (self->navigation, box);
  if (old != NULL)
    adw_leaflet_remove (self->navigation, old);
  return box;
}

static void
on_row_activated (SbMappingPage *self, GtkListBoxRow *row)
{
  sb_mapping_page_open_detail (self, g_object_get_data (G_OBJECT (row), "sb-mapping"));
}

/* GObject */

gboolean
sb_mapping_page_is_busy (SbMappingPage *self)
{
  g_return_val_if_fail (SB_IS_MAPPING_PAGE (self), FALSE);
  return self->n_loading > 0 || g_hash_table_size (self->running) > 0;
}

const char *
sb_mapping_page_get_state (SbMappingPage *self)
{
  g_return_val_if_fail (SB_IS_MAPPING_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sb_mapping_page_get_last_message (SbMappingPage *self)
{
  g_return_val_if_fail (SB_IS_MAPPING_PAGE (self), NULL);
  return self->last_message;
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_mapping_page_reload (SB_MAPPING_PAGE (widget));
}

static void
sb_mapping_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_mapping_page_parent_class)->map (widget);
  /* The counters change with every run, here or in the background. */
  sb_mapping_page_reload (SB_MAPPING_PAGE (widget));
}

static void
sb_mapping_page_dispose (GObject *object)
{
  SbMappingPage *self = SB_MAPPING_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sb_mapping_page_parent_class)->dispose (object);
}

static void
sb_mapping_page_finalize (GObject *object)
{
  SbMappingPage *self = SB_MAPPING_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->mappings, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->edited, sb_sync_mapping_free);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_mapping_page_parent_class)->finalize (object);
}

static void
sb_mapping_page_class_init (SbMappingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_mapping_page_dispose;
  object_class->finalize = sb_mapping_page_finalize;
  widget_class->map = sb_mapping_page_map;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-mapping-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, navigation);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbMappingPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_install_action (widget_class, "mapping.reload", NULL, reload_action);
}

static void
unref_engine (gpointer engine)
{
  /* NULL while its connection is being made. */
  if (engine != NULL)
    g_object_unref (engine);
}

static void
sb_mapping_page_init (SbMappingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Folded, like every page: the way back to the sidebar. */
  sb_page_add_back_button (SB_PAGE (self), self->header_bar);
  self->cancellable = g_cancellable_new ();
  self->rows =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) mapping_row_free);
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_engine);
}

GtkWidget *
sb_mapping_page_new (SbStore *store)
{
  SbMappingPage *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_MAPPING_PAGE, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  return GTK_WIDGET (self);
}
