/* sb-conflicts-page.c
 *
 * The conflicts are read by a worker on a store of its own. Resolving needs the connection
 * (its secret comes from the keyring), so one worker makes an engine and resolves on it, then
 * the page reads the conflicts again. A resolution is a synchronization run for the header bar.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-conflicts-page.h"
#include "sb-coupling-dialogs.h"
#include "sb-sync-activity.h"
#include "sb-sync-engine.h"
#include "sb-window.h"

struct _SbConflictsPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  SbSyncActivity *activity;
  GCancellable *cancellable;
  guint n_loading;
  guint n_running;
  guint n_conflicts;
  GPtrArray *groups; /* the AdwPreferencesGroup of each conflict shown */
  char *last_message;

  GtkStack *stack;
  GtkSpinner *spinner;
  AdwPreferencesPage *conflicts_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbConflictsPage, sb_conflicts_page, SB_TYPE_PAGE)

static void
toast (SbConflictsPage *self, const char *message)
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

/* Resolving */

typedef struct
{
  char *db_path;
  gint64 conflict_id;
  gboolean deletion;
  gboolean restore;
  GHashTable *choices; /* ERP field → GINT_TO_POINTER (SbSyncDirection) */
  guint run_id;
} Resolve;

static void
resolve_free (Resolve *r)
{
  g_free (r->db_path);
  g_clear_pointer (&r->choices, g_hash_table_unref);
  g_free (r);
}

static void
resolve_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Resolve *r = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (r->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;
  gboolean ok = FALSE;

  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine != NULL)
    ok = r->deletion ? sb_sync_engine_resolve_deletion_sync (engine, r->conflict_id, r->restore,
                                                             cancellable, &error)
                     : sb_sync_engine_resolve_conflict_sync (engine, r->conflict_id, r->choices,
                                                             cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
resolve_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbConflictsPage *self = SB_CONFLICTS_PAGE (source);
  Resolve *r = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  self->n_running--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      sb_sync_activity_end (self->activity, r->run_id, error);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
    }
  else
    {
      sb_sync_activity_end (self->activity, r->run_id, NULL);
      toast (self, !r->deletion ? _ ("Conflict resolved: the kept values are on both sides")
                   : r->restore ? _ ("Conflict resolved: the record was restored")
                                : _ ("Conflict resolved: the coupling was removed"));
    }
  sb_conflicts_page_reload (self);
}

static void
resolve (SbConflictsPage *self, GtkWidget *group, Resolve *r)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, resolve_done, NULL);

  /* The group's buttons stay off until the list is read again. */
  gtk_widget_set_sensitive (group, FALSE);
  r->db_path = g_strdup (self->db_path);
  r->conflict_id = (gint64) (gintptr) g_object_get_data (G_OBJECT (group), "sb-conflict-id");
  r->run_id = sb_sync_activity_begin (self->activity, _ ("Resolving a conflict"));
  self->n_running++;
  g_task_set_task_data (task, r, (GDestroyNotify) resolve_free);
  g_task_run_in_thread (task, resolve_thread);
}

static GPtrArray *
field_rows (GtkWidget *group)
{
  return g_object_get_data (G_OBJECT (group), "sb-field-rows");
}

static void
update_apply (GtkWidget *group)
{
  GPtrArray *rows = field_rows (group);
  GtkWidget *apply = g_object_get_data (G_OBJECT (group), "sb-apply");
  gboolean all = TRUE;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];

      all = all && (gtk_toggle_button_get_active (g_object_get_data (G_OBJECT (row), "sb-erp")) ||
                    gtk_toggle_button_get_active (g_object_get_data (G_OBJECT (row), "sb-sales")));
    }
  gtk_widget_set_sensitive (apply, all);
}

static void
on_keep_all (GtkButton *button, GtkWidget *group)
{
  gboolean erp = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sb-erp-side"));
  GPtrArray *rows = field_rows (group);

  for (guint i = 0; i < rows->len; i++)
    gtk_toggle_button_set_active (
        g_object_get_data (G_OBJECT (rows->pdata[i]), erp ? "sb-erp" : "sb-sales"), TRUE);
  update_apply (group);
}

static void
on_apply (GtkButton *button, SbConflictsPage *self)
{
  GtkWidget *group = g_object_get_data (G_OBJECT (button), "sb-group");
  GPtrArray *rows = field_rows (group);
  Resolve *r = g_new0 (Resolve, 1);

  r->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      GObject *row = rows->pdata[i];
      gboolean erp = gtk_toggle_button_get_active (g_object_get_data (row, "sb-erp"));

      g_hash_table_insert (
          r->choices, g_strdup (g_object_get_data (row, "sb-field")),
          GINT_TO_POINTER (erp ? SB_SYNC_DIRECTION_TO_SALES : SB_SYNC_DIRECTION_FROM_SALES));
    }
  resolve (self, group, r);
}

static void
on_deletion (GtkButton *button, SbConflictsPage *self)
{
  Resolve *r = g_new0 (Resolve, 1);

  r->deletion = TRUE;
  r->restore = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "sb-restore"));
  resolve (self, g_object_get_data (G_OBJECT (button), "sb-group"), r);
}

/* Building */

static GtkWidget *
value_button (const char *value, const char *side, const char *caption)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *label = gtk_label_new (value != NULL && *value != '\0' ? value : _ ("(empty)"));
  g_autofree char *a11y = NULL;

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  if (value == NULL || *value == '\0')
    gtk_widget_add_css_class (label, "dim-label");
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_set_hexpand (button, TRUE);
  /* TRANSLATORS: a screen reader's name for a choice: keep a side's value of a field: "Keep
   * the Salesbridge value of Name: Adatum" */
  a11y = g_strdup_printf (_ ("Keep the %s value of %s: %s"), side, caption,
                          value != NULL ? value : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  return button;
}

/* A row of two columns: Salesbridge on the left, Dynamics 365 Sales on the right. */
static GtkWidget *
two_columns (GtkWidget *left, GtkWidget *right)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_set_homogeneous (GTK_BOX (box), TRUE);
  gtk_box_append (GTK_BOX (box), left);
  gtk_box_append (GTK_BOX (box), right);
  return box;
}

static GtkWidget *
plain_row (GtkWidget *child)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "activatable", FALSE, NULL);

  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_widget_set_margin_top (child, 8);
  gtk_widget_set_margin_bottom (child, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  return row;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static char *
format_time (const char *iso)
{
  g_autoptr (GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %X") : g_strdup (iso ? iso : "");
}

/* A button whose label wraps, so two side by side fit a phone's width in any language. */
static GtkWidget *
wrapping_button (const char *mnemonic)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), button);
  gtk_button_set_child (GTK_BUTTON (button), label);
  return button;
}

static void
add_update_rows (SbConflictsPage *self, GtkWidget *group, JsonArray *fields)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkWidget *erp_all, *sales_all, *apply, *box;

  g_object_set_data_full (G_OBJECT (group), "sb-field-rows", rows,
                          (GDestroyNotify) g_ptr_array_unref);
  adw_preferences_group_add (
      ADW_PREFERENCES_GROUP (group),
      plain_row (two_columns (heading (_ ("Salesbridge")), heading (_ ("Dynamics 365 Sales")))));
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *field = json_object_get_string_member_with_default (f, "field", "");
      const char *caption = json_object_get_string_member_with_default (f, "caption", field);
      const char *erp_value = json_object_get_string_member_with_default (f, "erp_value", "");
      const char *sales_value = json_object_get_string_member_with_default (f, "sales_value", "");
      GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *caption_label = gtk_label_new (caption);
      GtkWidget *erp = value_button (erp_value, _ ("Salesbridge"), caption);
      GtkWidget *sales = value_button (sales_value, _ ("Dynamics 365 Sales"), caption);
      GtkWidget *row;
      g_autofree char *name = g_strdup_printf ("field-%s", field);

      gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
      gtk_widget_add_css_class (caption_label, "caption-heading");
      gtk_widget_add_css_class (caption_label, "dim-label");
      gtk_widget_set_name (erp, "keep-erp");
      gtk_widget_set_name (sales, "keep-sales");
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (sales), GTK_TOGGLE_BUTTON (erp));
      gtk_box_append (GTK_BOX (content), caption_label);
      gtk_box_append (GTK_BOX (content), two_columns (erp, sales));
      row = plain_row (content);
      gtk_widget_set_name (row, name);
      g_object_set_data (G_OBJECT (row), "sb-erp", erp);
      g_object_set_data (G_OBJECT (row), "sb-sales", sales);
      g_object_set_data_full (G_OBJECT (row), "sb-field", g_strdup (field), g_free);
      g_signal_connect_swapped (erp, "toggled", G_CALLBACK (update_apply), group);
      g_signal_connect_swapped (sales, "toggled", G_CALLBACK (update_apply), group);
      g_ptr_array_add (rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  erp_all = wrapping_button (_ ("Keep All _Salesbridge"));
  sales_all = wrapping_button (_ ("Keep All Sal_es"));
  gtk_widget_set_name (erp_all, "keep-all-erp");
  gtk_widget_set_name (sales_all, "keep-all-sales");
  g_object_set_data (G_OBJECT (erp_all), "sb-erp-side", GINT_TO_POINTER (TRUE));
  g_signal_connect (erp_all, "clicked", G_CALLBACK (on_keep_all), group);
  g_signal_connect (sales_all, "clicked", G_CALLBACK (on_keep_all), group);
  apply = gtk_button_new_with_mnemonic (_ ("_Apply"));
  gtk_widget_set_name (apply, "apply");
  gtk_widget_add_css_class (apply, "suggested-action");
  gtk_widget_set_halign (apply, GTK_ALIGN_END);
  gtk_widget_set_sensitive (apply, FALSE);
  g_object_set_data (G_OBJECT (apply), "sb-group", group);
  g_object_set_data (G_OBJECT (group), "sb-apply", apply);
  g_signal_connect (apply, "clicked", G_CALLBACK (on_apply), self);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_box_append (GTK_BOX (box), two_columns (erp_all, sales_all));
  gtk_box_append (GTK_BOX (box), apply);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
}

static void
add_deletion_rows (SbConflictsPage *self, GtkWidget *group)
{
  GtkWidget *restore = wrapping_button (_ ("_Restore"));
  GtkWidget *remove = wrapping_button (_ ("Remove _Coupling"));
  GtkWidget *box;

  gtk_widget_set_name (restore, "restore");
  gtk_widget_set_name (remove, "remove-coupling");
  gtk_widget_set_tooltip_text (restore, _ ("Create the deleted record again from the other side"));
  gtk_widget_set_tooltip_text (remove, _ ("Keep the deletion: the records are no longer coupled"));
  g_object_set_data (G_OBJECT (restore), "sb-restore", GINT_TO_POINTER (TRUE));
  g_object_set_data (G_OBJECT (restore), "sb-group", group);
  g_object_set_data (G_OBJECT (remove), "sb-group", group);
  g_signal_connect (restore, "clicked", G_CALLBACK (on_deletion), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_deletion), self);
  box = two_columns (restore, remove);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), box);
}

static GtkWidget *
build_group (SbConflictsPage *self, JsonObject *c)
{
  GtkWidget *group = adw_preferences_group_new ();
  gint64 id = json_object_get_int_member_with_default (c, "id", 0);
  const char *mapping = json_object_get_string_member_with_default (c, "mapping", "");
  const char *kind = json_object_get_string_member_with_default (c, "kind", "");
  const char *erp_key = json_object_get_string_member_with_default (c, "erp_key", "");
  g_autofree char *when =
      format_time (json_object_get_string_member_with_default (c, "created_at", NULL));
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *name = g_strdup_printf ("conflict-%" G_GINT64_FORMAT, id);
  gboolean deletion = g_str_equal (kind, "deletion");

  gtk_widget_set_name (group, name);
  g_object_set_data (G_OBJECT (group), "sb-conflict-id", (gpointer) (gintptr) id);
  /* TRANSLATORS: a conflict's title: the mapping, then the record's number */
  title = g_strdup_printf (_ ("%s %s"), mapping, erp_key);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  /* TRANSLATORS: %s is the date and time the conflict was found */
  description = g_strdup_printf (deletion ? _ ("Deleted on one side and still coupled, found %s. "
                                               "Restore it, or remove the coupling.")
                                          : _ ("Changed on both sides, found %s."),
                                 when);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  if (deletion)
    add_deletion_rows (self, group);
  else
    add_update_rows (
        self, group,
        json_object_has_member (c, "fields") ? json_object_get_array_member (c, "fields") : NULL);
  return group;
}

/* Loading */

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_READ_ONLY, &error);
  JsonNode *conflicts = NULL;

  if (store != NULL)
    conflicts = sb_sync_engine_get_conflicts (store, &error);
  if (conflicts == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, conflicts, (GDestroyNotify) json_node_unref);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbConflictsPage *self = SB_CONFLICTS_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = g_task_propagate_pointer (G_TASK (result), &error);
  JsonArray *array;

  self->n_loading--;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (node == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->conflicts_page, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  self->n_conflicts = array != NULL ? json_array_get_length (array) : 0;
  for (guint i = 0; i < self->n_conflicts; i++)
    {
      GtkWidget *group = build_group (self, json_array_get_object_element (array, i));

      adw_preferences_page_add (self->conflicts_page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
    }
  gtk_stack_set_visible_child_name (self->stack, self->n_conflicts > 0 ? "conflicts" : "empty");
}

void
sb_conflicts_page_reload (SbConflictsPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_CONFLICTS_PAGE (self));

  self->n_loading++;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
sb_conflicts_page_is_busy (SbConflictsPage *self)
{
  g_return_val_if_fail (SB_IS_CONFLICTS_PAGE (self), FALSE);
  return self->n_loading > 0 || self->n_running > 0;
}

const char *
sb_conflicts_page_get_state (SbConflictsPage *self)
{
  g_return_val_if_fail (SB_IS_CONFLICTS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

guint
sb_conflicts_page_get_n_conflicts (SbConflictsPage *self)
{
  g_return_val_if_fail (SB_IS_CONFLICTS_PAGE (self), 0);
  return self->n_conflicts;
}

const char *
sb_conflicts_page_get_last_message (SbConflictsPage *self)
{
  g_return_val_if_fail (SB_IS_CONFLICTS_PAGE (self), NULL);
  return self->last_message;
}

/* GObject */

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_conflicts_page_reload (SB_CONFLICTS_PAGE (widget));
}

static void
sb_conflicts_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (sb_conflicts_page_parent_class)->map (widget);
  sb_conflicts_page_reload (SB_CONFLICTS_PAGE (widget));
}

static void
sb_conflicts_page_dispose (GObject *object)
{
  SbConflictsPage *self = SB_CONFLICTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sb_conflicts_page_parent_class)->dispose (object);
}

static void
sb_conflicts_page_finalize (GObject *object)
{
  SbConflictsPage *self = SB_CONFLICTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->activity);
  g_ptr_array_unref (self->groups);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_conflicts_page_parent_class)->finalize (object);
}

static void
sb_conflicts_page_class_init (SbConflictsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_conflicts_page_dispose;
  object_class->finalize = sb_conflicts_page_finalize;

  widget_class->map = sb_conflicts_page_map;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-conflicts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbConflictsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbConflictsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbConflictsPage, conflicts_page);
  gtk_widget_class_bind_template_child (widget_class, SbConflictsPage, error_page);
  gtk_widget_class_install_action (widget_class, "conflicts.reload", NULL, reload_action);
}

static void
sb_conflicts_page_init (SbConflictsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->groups = g_ptr_array_new ();
  gtk_spinner_start (self->spinner);
}

static void
on_activity_changed (SbConflictsPage *self)
{
  if (!sb_sync_activity_is_running (self->activity) && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      !sb_conflicts_page_is_busy (self))
    sb_conflicts_page_reload (self);
}

GtkWidget *
sb_conflicts_page_new (SbStore *store)
{
  SbConflictsPage *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_CONFLICTS_PAGE, NULL);
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = sb_sync_activity_get_for_database (self->db_path);
  /* A run that ended (the scheduled jobs, a full synchronization) may have changed what the page
   * shows: read it again if it is in view. */
  g_signal_connect_object (self->activity, "changed", G_CALLBACK (on_activity_changed), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
