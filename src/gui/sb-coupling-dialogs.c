/* sb-coupling-dialogs.c
 *
 * Built in code rather than templates: each is an AdwMessageDialog or a small AdwWindow whose
 * rows depend on the mapping's fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sb-coupling-dialogs.h"
#include "sb-dataverse-tables.h"
#include "sb-empty-state.h"
#include "sb-sync-error.h"

/* Match options */

void
sb_coupling_match_options_free (SbCouplingMatchOptions *options)
{
  if (options == NULL)
    return;
  g_clear_pointer (&options->match_fields, g_ptr_array_unref);
  g_free (options);
}

gboolean
sb_coupling_match_options_apply (const SbCouplingMatchOptions *options, SbStore *store,
                                 const char *mapping_name, GError **error)
{
  g_autoptr (SbSyncMapping) mapping = sb_sync_mapping_load (store, mapping_name, error);

  if (mapping == NULL)
    return FALSE;
  mapping->create_if_no_match = options->create_if_no_match;
  mapping->sync_after_coupling = options->sync_after_coupling;
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      SbSyncFieldMapping *field = g_ptr_array_index (mapping->fields, i);
      guint index;

      if (g_ptr_array_find_with_equal_func (options->match_fields, field->erp_field, g_str_equal,
                                            &index))
        field->match_priority = index + 1;
      else
        field->match_priority = 0;
    }
  return sb_sync_mapping_save (store, mapping, error);
}

static const char *
erp_field_label (const SbSyncMapping *mapping, const char *name)
{
  const SbRecordType *type = sb_sync_erp_record_type (mapping->erp_table);
  const SbField *field = type != NULL ? sb_record_type_find_field (type, name) : NULL;

  return field != NULL && field->label != NULL ? _ (field->label) : name;
}

/* Fields that can be matched on: plain values both sides have. */
static gboolean
can_match_on (const SbSyncFieldMapping *field)
{
  return field->enabled && *field->erp_field != '\0' && *field->constant == '\0' &&
         *field->lookup_mapping == '\0' && *field->transform == '\0';
}

GHashTable *
sb_coupling_read_coupled (SbStore *store, const char *mapping, gboolean erp_side, GError **error)
{
  g_autoptr (GPtrArray) couplings = sb_sync_coupling_list (store, mapping, error);
  GHashTable *coupled;

  if (couplings == NULL)
    return NULL;
  coupled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < couplings->len; i++)
    {
      const SbSyncCoupling *coupling = g_ptr_array_index (couplings, i);
      const char *key = erp_side ? coupling->erp_key : coupling->dataverse_id;

      /* Rows that only remember a failure leave the record free to couple. */
      if (key != NULL && sb_sync_coupling_is_coupled (coupling))
        g_hash_table_add (coupled, g_strdup (key));
    }
  return coupled;
}

char *
sb_coupling_describe_failures (guint n_done, guint n_failed, const char *first_error)
{
  if (n_failed == 0)
    return NULL;
  if (n_done + n_failed == 1)
    return g_strdup (first_error);
  /* TRANSLATORS: after a bulk coupling action; the last %s is the first error */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u record failed: %s",
                                       "%u of %u records failed: %s", n_done + n_failed),
                          n_failed, n_done + n_failed, first_error);
}

GtkWidget *
sb_coupling_status_page_new (const char *icon_name, const char *title, const char *description)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (page), description);
  gtk_widget_add_css_class (page, "compact");
  return page;
}

/* Set Up Coupling */

typedef struct
{
  char *id;
  char *title;
  char *subtitle;
} PickerRow;

static void
picker_row_free (PickerRow *row)
{
  g_free (row->id);
  g_free (row->title);
  g_free (row->subtitle);
  g_free (row);
}

typedef struct
{
  char *db_path;
  char *mapping;
  gboolean erp_side; /* lists ERP records, not Dataverse rows */
  GPtrArray *rows;
  GHashTable *coupled; /* the side's keys already coupled */
  char *title_attr;
  char *subtitle_attr;
  char *key_attr;
} PickerQuery;

static void
picker_query_free (PickerQuery *query)
{
  g_free (query->db_path);
  g_free (query->mapping);
  g_clear_pointer (&query->rows, g_ptr_array_unref);
  g_clear_pointer (&query->coupled, g_hash_table_unref);
  g_free (query->title_attr);
  g_free (query->subtitle_attr);
  g_free (query->key_attr);
  g_free (query);
}

static const char *
member_text (JsonObject *object, const char *name)
{
  JsonNode *node = name != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gboolean
collect_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  PickerQuery *query = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *object = json_array_get_object_element (page->rows, i);
      const char *id = member_text (object, query->key_attr);
      PickerRow *row;

      if (*id == '\0' || g_hash_table_contains (query->coupled, id))
        continue;
      row = g_new0 (PickerRow, 1);
      row->id = g_strdup (id);
      row->title = g_strdup (member_text (object, query->title_attr));
      row->subtitle = g_strdup (member_text (object, query->subtitle_attr));
      g_ptr_array_add (query->rows, row);
    }
  return TRUE;
}

/* What an ERP record is called: its name or description, else a person's names. */
static char *
erp_record_title (const SbRecordType *type, gconstpointer record)
{
  static const char *const names[] = { "name", "description" };
  static const char *const person[] = { "first_name", "middle_name", "surname" };
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const SbField *field = sb_record_type_find_field (type, names[i]);

      if (field != NULL)
        return sb_record_to_string (field, record);
    }
  for (guint i = 0; i < G_N_ELEMENTS (person); i++)
    {
      const SbField *field = sb_record_type_find_field (type, person[i]);
      char *text = field != NULL ? sb_record_to_string (field, record) : NULL;

      if (text != NULL && *text != '\0')
        g_ptr_array_add (parts, text);
      else
        g_free (text);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" ", (char **) parts->pdata);
}

/* The mapping's ERP records (in its ERP filter) that are not coupled yet. */
static gboolean
collect_erp_records (PickerQuery *query, SbStore *store, const SbSyncMapping *mapping,
                     GError **error)
{
  const SbRecordType *type = sb_sync_erp_record_type (mapping->erp_table);
  const SbField *key_field = NULL;
  g_autoptr (GPtrArray) records = NULL;

  for (guint i = 0; type != NULL && i < type->n_fields && key_field == NULL; i++)
    if ((type->fields[i].flags & SB_FIELD_FLAG_KEY) != 0)
      key_field = &type->fields[i];
  if (key_field == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                   _ ("Records of %s cannot be listed"), mapping->erp_table);
      return FALSE;
    }
  records = sb_record_list (
      store, type,
      mapping->erp_filter != NULL && *mapping->erp_filter != '\0' ? mapping->erp_filter : NULL,
      NULL, error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      gconstpointer record = g_ptr_array_index (records, i);
      g_autofree char *key = sb_record_to_string (key_field, record);
      PickerRow *row;

      if (g_hash_table_contains (query->coupled, key))
        continue;
      row = g_new0 (PickerRow, 1);
      row->title = erp_record_title (type, record);
      row->subtitle = g_strdup (key);
      row->id = g_steal_pointer (&key);
      g_ptr_array_add (query->rows, row);
    }
  return TRUE;
}

static void
picker_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  PickerQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (query->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbSyncMapping) mapping = NULL;
  g_autoptr (SbDataverseQuery) dv_query = NULL;
  SbDataverseFilter *filter = NULL;

  if (store != NULL)
    mapping = sb_sync_mapping_load (store, query->mapping, &error);
  if (mapping != NULL)
    query->coupled = sb_coupling_read_coupled (store, query->mapping, query->erp_side, &error);
  if (query->coupled != NULL && query->erp_side)
    {
      if (collect_erp_records (query, store, mapping, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (query->coupled != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* What the row is called and its number, from the fields the ERP's name and key go to; a
   * code table without a name is called by its code, and a row without a number shows another
   * value it is matched on (a salesperson's email). */
  {
    const SbSyncFieldMapping *title = NULL;
    const SbSyncFieldMapping *subtitle = NULL;

    for (guint i = 0; i < mapping->fields->len; i++)
      {
        const SbSyncFieldMapping *field = g_ptr_array_index (mapping->fields, i);

        if (!can_match_on (field))
          continue;
        if (title == NULL && (g_str_equal (field->erp_field, "name") ||
                              g_str_equal (field->erp_field, "description")))
          title = field;
        else if (subtitle == NULL &&
                 (g_str_equal (field->erp_field, "no") || g_str_equal (field->erp_field, "code")))
          subtitle = field;
      }
    if (title == NULL)
      {
        title = subtitle;
        subtitle = NULL;
      }
    for (guint i = 0; i < mapping->fields->len && subtitle == NULL && title != NULL; i++)
      {
        const SbSyncFieldMapping *field = g_ptr_array_index (mapping->fields, i);

        if (can_match_on (field) && !g_str_equal (field->erp_field, title->erp_field))
          subtitle = field;
      }
    if (title != NULL)
      query->title_attr = g_strdup (title->dataverse_field);
    if (subtitle != NULL)
      query->subtitle_attr = g_strdup (subtitle->dataverse_field);
  }
  query->key_attr = g_strdup (sb_dataverse_primary_key (mapping->entity_set));
  if (query->key_attr == NULL)
    {
      g_task_return_new_error (task, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                               _ ("Records of %s cannot be listed"), mapping->entity_set);
      return;
    }
  if (query->title_attr == NULL)
    query->title_attr = g_strdup (query->key_attr);

  /* Only the rows the mapping synchronizes (accounts of type customer, say). */
  if (!sb_sync_parse_dataverse_filter (mapping->dataverse_filter, &filter, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  dv_query = sb_dataverse_query_new (mapping->entity_set);
  sb_dataverse_query_set_filter (dv_query, filter);
  sb_dataverse_query_select (dv_query, query->key_attr, query->title_attr, query->subtitle_attr,
                             NULL);
  sb_dataverse_query_order_by (dv_query, query->title_attr, FALSE);
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (engine), dv_query,
                                           collect_page, query, NULL, cancellable, &error))
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
  GtkWidget *search;
  GtkWidget *couple_button;
  GtkWidget *error_page;
  GCancellable *cancellable;
  SbCouplingPickedFunc callback;
  gpointer user_data;
  GDestroyNotify destroy;
} Picker;

static void
picker_free (Picker *picker)
{
  g_cancellable_cancel (picker->cancellable);
  g_clear_object (&picker->cancellable);
  if (picker->destroy != NULL)
    picker->destroy (picker->user_data);
  g_free (picker);
}

static gboolean
picker_filter (GtkListBoxRow *row, gpointer user_data)
{
  Picker *picker = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (picker->search));
  g_autofree char *needle = g_utf8_casefold (text, -1);
  g_autofree char *haystack = NULL;

  if (*text == '\0')
    return TRUE;
  haystack = g_utf8_casefold (g_object_get_data (G_OBJECT (row), "sb-search"), -1);
  return strstr (haystack, needle) != NULL;
}

static void
picker_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PickerQuery *query = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  Picker *picker;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the window closed */
  picker = user_data;
  if (error != NULL)
    {
      adw_status_page_set_description (ADW_STATUS_PAGE (picker->error_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (picker->stack), "error");
      return;
    }
  if (query->rows->len == 0)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (picker->stack), "empty");
      return;
    }
  for (guint i = 0; i < query->rows->len; i++)
    {
      PickerRow *row = g_ptr_array_index (query->rows, i);
      GtkWidget *widget = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget),
                                     *row->title != '\0' ? row->title : row->id);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), row->subtitle);
      g_object_set_data_full (G_OBJECT (widget), "sb-picked-id", g_strdup (row->id), g_free);
      /* Tests find the row they mean by what it stands for. */
      g_object_set_data_full (G_OBJECT (widget), query->erp_side ? "sb-erp-key" : "sb-dataverse-id",
                              g_strdup (row->id), g_free);
      g_object_set_data_full (G_OBJECT (widget), "sb-search",
                              g_strdup_printf ("%s %s", row->title, row->subtitle), g_free);
      gtk_list_box_append (GTK_LIST_BOX (picker->list), widget);
    }
  gtk_stack_set_visible_child_name (GTK_STACK (picker->stack), "list");
  gtk_widget_grab_focus (picker->search);
}

static void
picker_couple (Picker *picker)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (picker->list));

  if (row == NULL)
    return;
  picker->callback (g_object_get_data (G_OBJECT (row), "sb-picked-id"), picker->user_data);
  /* The callback took its reference: the window must not drop it again. */
  picker->destroy = NULL;
  gtk_window_destroy (GTK_WINDOW (picker->window));
}

static void
on_picker_selected (GtkListBox *list, GtkListBoxRow *row, Picker *picker)
{
  gtk_widget_set_sensitive (picker->couple_button, row != NULL);
}

static void
on_picker_activated (GtkListBox *list, GtkListBoxRow *row, Picker *picker)
{
  gtk_list_box_select_row (list, row);
  picker_couple (picker);
}

static void
on_picker_search_changed (GtkSearchEntry *entry, Picker *picker)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (picker->list));
}

static GtkWidget *
show_picker (GtkWindow *parent, const char *db_path, const char *mapping, gboolean erp_side,
             const char *subtitle, SbCouplingPickedFunc callback, gpointer user_data,
             GDestroyNotify destroy)
{
  Picker *picker = g_new0 (Picker, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget *title;
  GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *search_box = adw_clamp_new ();
  GtkWidget *empty;
  g_autoptr (GTask) task = NULL;
  PickerQuery *query;

  picker->callback = callback;
  picker->user_data = user_data;
  picker->destroy = destroy;
  picker->cancellable = g_cancellable_new ();

  picker->window = adw_window_new ();
  gtk_widget_set_name (picker->window, "coupling-picker");
  gtk_window_set_modal (GTK_WINDOW (picker->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (picker->window), parent);
  gtk_window_set_default_size (GTK_WINDOW (picker->window), 480, 560);
  gtk_window_set_title (GTK_WINDOW (picker->window), _ ("Set Up Coupling"));
  g_object_set_data_full (G_OBJECT (picker->window), "sb-picker", picker,
                          (GDestroyNotify) picker_free);

  title = adw_window_title_new (_ ("Set Up Coupling"), subtitle);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), picker->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  picker->couple_button = gtk_button_new_with_mnemonic (_ ("C_ouple"));
  gtk_widget_set_name (picker->couple_button, "picker-couple-button");
  gtk_widget_add_css_class (picker->couple_button, "suggested-action");
  gtk_widget_set_sensitive (picker->couple_button, FALSE);
  g_signal_connect_swapped (picker->couple_button, "clicked", G_CALLBACK (picker_couple), picker);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), picker->couple_button);
  gtk_box_append (GTK_BOX (box), header);

  picker->search = gtk_search_entry_new ();
  gtk_widget_set_name (picker->search, "picker-search");
  g_object_set (picker->search, "placeholder-text", _ ("Search by name or number"), NULL);
  g_signal_connect (picker->search, "search-changed", G_CALLBACK (on_picker_search_changed),
                    picker);
  adw_clamp_set_child (ADW_CLAMP (search_box), picker->search);
  adw_clamp_set_maximum_size (ADW_CLAMP (search_box), 440);
  gtk_widget_set_margin_top (search_box, 12);
  gtk_widget_set_margin_start (search_box, 12);
  gtk_widget_set_margin_end (search_box, 12);
  gtk_box_append (GTK_BOX (box), search_box);

  picker->stack = gtk_stack_new ();
  gtk_widget_set_name (picker->stack, "picker-stack");
  gtk_widget_set_vexpand (picker->stack, TRUE);
  gtk_stack_set_transition_type (GTK_STACK (picker->stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_valign (loading, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (loading), spinner);
  gtk_box_append (GTK_BOX (loading), gtk_label_new (erp_side ? _ ("Reading the records…")
                                                             : _ ("Reading from Dynamics 365 "
                                                                  "Sales…")));
  gtk_widget_add_css_class (gtk_widget_get_last_child (loading), "dim-label");
  gtk_stack_add_named (GTK_STACK (picker->stack), loading, "loading");

  picker->list = gtk_list_box_new ();
  gtk_widget_set_name (picker->list, "picker-list");
  gtk_widget_add_css_class (picker->list, "boxed-list");
  gtk_widget_set_valign (picker->list, GTK_ALIGN_START);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (picker->list), picker_filter, picker, NULL);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (picker->list),
                                sb_coupling_status_page_new ("edit-find-symbolic",
                                                             _ ("No Results Found"),
                                                             _ ("Try a different search.")));
  g_signal_connect (picker->list, "row-selected", G_CALLBACK (on_picker_selected), picker);
  g_signal_connect (picker->list, "row-activated", G_CALLBACK (on_picker_activated), picker);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 440);
  adw_clamp_set_child (ADW_CLAMP (clamp), picker->list);
  gtk_widget_set_margin_top (clamp, 12);
  gtk_widget_set_margin_bottom (clamp, 12);
  gtk_widget_set_margin_start (clamp, 12);
  gtk_widget_set_margin_end (clamp, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_stack_add_named (GTK_STACK (picker->stack), scrolled, "list");

  empty = sb_coupling_status_page_new (
      "system-search-symbolic", _ ("Nothing to Couple"),
      erp_side ? _ ("Every record in Salesbridge is coupled already. Create the "
                    "record in the ERP instead.")
               : _ ("Every record in Dynamics 365 Sales is coupled already. "
                    "Create the record in Sales instead."));
  /* Creating is a command of the list this window was opened from: back there. */
  sb_empty_state_add_button (ADW_STATUS_PAGE (empty), _ ("_Close"), "window.close");
  gtk_stack_add_named (GTK_STACK (picker->stack), empty, "empty");
  picker->error_page = sb_coupling_status_page_new (
      "dialog-error-symbolic",
      erp_side ? _ ("Could Not Read the Records") : _ ("Could Not Read from Dynamics 365 Sales"),
      NULL);
  gtk_stack_add_named (GTK_STACK (picker->stack), picker->error_page, "error");
  gtk_box_append (GTK_BOX (box), picker->stack);
  adw_window_set_content (ADW_WINDOW (picker->window), box);

  query = g_new0 (PickerQuery, 1);
  query->db_path = g_strdup (db_path);
  query->mapping = g_strdup (mapping);
  query->erp_side = erp_side;
  query->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) picker_row_free);
  task = g_task_new (NULL, picker->cancellable, picker_done, picker);
  g_task_set_task_data (task, query, (GDestroyNotify) picker_query_free);
  g_task_run_in_thread (task, picker_thread);

  gtk_window_present (GTK_WINDOW (picker->window));
  return picker->window;
}

GtkWidget *
sb_coupling_show_picker (GtkWindow *parent, const char *db_path, const char *mapping,
                         const char *erp_key, SbCouplingPickedFunc callback, gpointer user_data,
                         GDestroyNotify destroy)
{
  /* TRANSLATORS: the subtitle of the Set Up Coupling window: the ERP record's key */
  g_autofree char *subtitle = g_strdup_printf (_ ("Record %s"), erp_key);

  return show_picker (parent, db_path, mapping, FALSE, subtitle, callback, user_data, destroy);
}

GtkWidget *
sb_coupling_show_erp_picker (GtkWindow *parent, const char *db_path, const char *mapping,
                             const char *sales_title, SbCouplingPickedFunc callback,
                             gpointer user_data, GDestroyNotify destroy)
{
  return show_picker (parent, db_path, mapping, TRUE, sales_title, callback, user_data, destroy);
}

/* Match-Based Coupling */

typedef struct
{
  GPtrArray *checks; /* GtkCheckButton with "sb-field" */
  GtkWidget *create_switch;
  GtkWidget *sync_switch;
  SbCouplingMatchFunc callback;
  gpointer user_data;
} MatchDialog;

static void
match_dialog_free (MatchDialog *dialog)
{
  g_ptr_array_unref (dialog->checks);
  g_free (dialog);
}

static void
on_match_response (AdwMessageDialog *message_dialog, const char *response, MatchDialog *dialog)
{
  SbCouplingMatchOptions *options;

  if (!g_str_equal (response, "couple"))
    return;
  options = g_new0 (SbCouplingMatchOptions, 1);
  options->match_fields = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < dialog->checks->len; i++)
    if (gtk_check_button_get_active (dialog->checks->pdata[i]))
      g_ptr_array_add (options->match_fields,
                       g_strdup (g_object_get_data (dialog->checks->pdata[i], "sb-field")));
  options->create_if_no_match = gtk_switch_get_active (GTK_SWITCH (dialog->create_switch));
  options->sync_after_coupling = gtk_switch_get_active (GTK_SWITCH (dialog->sync_switch));
  dialog->callback (options, dialog->user_data);
}

static void
on_match_check_toggled (GtkWidget *message_dialog)
{
  MatchDialog *dialog = g_object_get_data (G_OBJECT (message_dialog), "sb-match");
  gboolean any = FALSE;

  for (guint i = 0; i < dialog->checks->len && !any; i++)
    any = gtk_check_button_get_active (dialog->checks->pdata[i]);
  /* Matching on nothing would couple the first record to anything. */
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message_dialog), "couple", any);
}

static GtkWidget *
switch_row (AdwPreferencesGroup *group, const char *title, const char *subtitle, gboolean active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (group, row);
  return toggle;
}

GtkWidget *
sb_coupling_show_match_dialog (GtkWindow *parent, SbStore *store, const char *mapping_name,
                               SbCouplingMatchFunc callback, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) mapping = sb_sync_mapping_load (store, mapping_name, &error);
  MatchDialog *dialog;
  GtkWidget *message_dialog;
  GtkWidget *box;
  GtkWidget *fields;
  GtkWidget *options;

  message_dialog = adw_message_dialog_new (parent, _ ("Match-Based Coupling"), NULL);
  gtk_widget_set_name (message_dialog, "match-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (message_dialog), "cancel", _ ("_Cancel"),
                                    "couple", _ ("C_ouple"), NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (message_dialog), "cancel");
  if (mapping == NULL)
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (message_dialog), error->message);
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (message_dialog), "couple",
                                               FALSE);
      gtk_window_present (GTK_WINDOW (message_dialog));
      return message_dialog;
    }
  adw_message_dialog_set_body (
      ADW_MESSAGE_DIALOG (message_dialog),
      _ ("Records not coupled yet are coupled with the records in Dynamics 365 Sales whose "
         "chosen fields have the same values. The choice is kept for the next time."));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (message_dialog), "couple",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (message_dialog), "couple");

  dialog = g_new0 (MatchDialog, 1);
  dialog->checks = g_ptr_array_new ();
  dialog->callback = callback;
  dialog->user_data = user_data;
  g_object_set_data_full (G_OBJECT (message_dialog), "sb-match", dialog,
                          (GDestroyNotify) match_dialog_free);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  fields = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (fields), _ ("Match On"));
  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *field = g_ptr_array_index (mapping->fields, i);
      GtkWidget *row;
      GtkWidget *check;
      g_autofree char *name = NULL;

      if (!can_match_on (field))
        continue;
      row = adw_action_row_new ();
      check = gtk_check_button_new ();
      name = g_strdup_printf ("match-%s", field->erp_field);
      gtk_widget_set_name (check, name);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), field->match_priority > 0);
      g_object_set_data_full (G_OBJECT (check), "sb-field", g_strdup (field->erp_field), g_free);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_match_check_toggled),
                                message_dialog);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     erp_field_label (mapping, field->erp_field));
      /* TRANSLATORS: below a match field: the Dataverse attribute it is compared with */
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), field->dataverse_field);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (fields), row);
      g_ptr_array_add (dialog->checks, check);
    }
  {
    /* A customer has a dozen fields to match on: they scroll rather than make the dialog
     * taller than the screen. */
    GtkWidget *scrolled = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                    GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
    gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 280);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), fields);
    gtk_box_append (GTK_BOX (box), scrolled);
  }

  options = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (options), _ ("Options"));
  dialog->create_switch =
      switch_row (ADW_PREFERENCES_GROUP (options), _ ("Create New if No Match Is Found"),
                  _ ("Records without a match are created in Sales"), mapping->create_if_no_match);
  gtk_widget_set_name (dialog->create_switch, "match-create-switch");
  /* Nothing is created in Sales for a mapping that only reads from it (salespeople). */
  if (mapping->direction == SB_SYNC_DIRECTION_FROM_SALES)
    {
      gtk_switch_set_active (GTK_SWITCH (dialog->create_switch), FALSE);
      gtk_widget_set_visible (gtk_widget_get_ancestor (dialog->create_switch, ADW_TYPE_ACTION_ROW),
                              FALSE);
    }
  dialog->sync_switch = switch_row (
      ADW_PREFERENCES_GROUP (options), _ ("Synchronize After Coupling"),
      _ ("The coupled records get their values right away"), mapping->sync_after_coupling);
  gtk_widget_set_name (dialog->sync_switch, "match-sync-switch");
  gtk_box_append (GTK_BOX (box), options);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (message_dialog), box);
  on_match_check_toggled (message_dialog);

  g_signal_connect (message_dialog, "response", G_CALLBACK (on_match_response), dialog);
  gtk_window_present (GTK_WINDOW (message_dialog));
  return message_dialog;
}

GtkWidget *
sb_coupling_show_match_result (GtkWindow *parent, const SbSyncCounters *c)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, _ ("Match-Based Coupling Finished"), NULL);
  g_autoptr (GString) body = g_string_new (NULL);

  gtk_widget_set_name (dialog, "match-result-dialog");
  g_string_append_printf (
      body, g_dngettext (GETTEXT_PACKAGE, "%u record coupled", "%u records coupled", c->coupled),
      c->coupled);
  g_string_append_c (body, '\n');
  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE, "%u record created in Sales",
                                       "%u records created in Sales", c->inserted),
                          c->inserted);
  g_string_append_c (body, '\n');
  g_string_append_printf (body,
                          g_dngettext (GETTEXT_PACKAGE, "%u record without a match",
                                       "%u records without a match", c->failed + c->skipped),
                          c->failed + c->skipped);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* Synchronize Now */

typedef struct
{
  char *label;
  char *erp_value;
  char *sales_value;
} CompareRow;

static void
compare_row_free (CompareRow *row)
{
  g_free (row->label);
  g_free (row->erp_value);
  g_free (row->sales_value);
  g_free (row);
}

typedef struct
{
  char *db_path;
  char *mapping;
  char *erp_key;
  GPtrArray *rows;
} CompareQuery;

static void
compare_query_free (CompareQuery *query)
{
  g_free (query->db_path);
  g_free (query->mapping);
  g_free (query->erp_key);
  g_clear_pointer (&query->rows, g_ptr_array_unref);
  g_free (query);
}

static char *
json_value_text (JsonObject *object, const char *name)
{
  g_autofree char *formatted_name =
      g_strconcat (name, "@OData.Community.Display.V1.FormattedValue", NULL);
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("");
  /* Option sets and lookups read better by their names. */
  if (json_node_get_value_type (node) != G_TYPE_STRING &&
      json_object_has_member (object, formatted_name) &&
      json_node_get_value_type (json_object_get_member (object, formatted_name)) == G_TYPE_STRING)
    return g_strdup (json_object_get_string_member (object, formatted_name));
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_STRING:
        return g_strdup (json_node_get_string (node));
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      case G_TYPE_INT64:
        return g_strdup_printf ("%" PRId64, (int64_t) json_node_get_int (node));
      case G_TYPE_DOUBLE:
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        }
      default:
        return g_strdup ("");
    }
}

static void
compare_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  CompareQuery *query = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (query->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (SbSyncMapping) mapping = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (JsonObject) row = NULL;
  const SbRecordType *type;
  const SbField *key_field = NULL;
  gpointer key_record;
  gpointer record;

  if (store != NULL)
    mapping = sb_sync_mapping_load (store, query->mapping, &error);
  if (mapping == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  coupling = sb_sync_coupling_find_erp (store, query->mapping, query->erp_key, &error);
  if (coupling == NULL || coupling->dataverse_id == NULL)
    {
      if (error == NULL)
        error = g_error_new (SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED, _ ("%s is not coupled"),
                             query->erp_key);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  type = sb_sync_erp_record_type (mapping->erp_table);
  for (guint i = 0; type != NULL && i < type->n_fields && key_field == NULL; i++)
    if ((type->fields[i].flags & SB_FIELD_FLAG_KEY) != 0)
      key_field = &type->fields[i];
  if (key_field == NULL)
    {
      g_task_return_new_error (task, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                               _ ("Records of %s cannot be listed"), mapping->erp_table);
      return;
    }
  key_record = sb_record_new (type);
  sb_record_set_text (key_field, key_record, query->erp_key);
  record = sb_record_lookup (store, type, key_record, &error);
  sb_record_free (type, key_record);
  if (record == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine != NULL)
    row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (engine),
                                                 mapping->entity_set, coupling->dataverse_id, NULL,
                                                 NULL, cancellable, &error);
  if (row == NULL)
    {
      sb_record_free (type, record);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < mapping->fields->len; i++)
    {
      const SbSyncFieldMapping *field = g_ptr_array_index (mapping->fields, i);
      const SbField *erp_field;
      CompareRow *compare;

      if (!field->enabled || *field->erp_field == '\0' || *field->constant != '\0')
        continue;
      erp_field = sb_record_type_find_field (type, field->erp_field);
      if (erp_field == NULL)
        continue;
      compare = g_new0 (CompareRow, 1);
      /* gettext is safe in any thread. */
      compare->label = g_strdup (erp_field->label != NULL ? _ (erp_field->label) : erp_field->name);
      compare->erp_value = sb_record_to_string (erp_field, record);
      if (*field->lookup_mapping != '\0')
        {
          g_autofree char *attribute = g_strdup_printf ("_%s_value", field->dataverse_field);
          g_autofree char *formatted =
              g_strconcat (attribute, "@OData.Community.Display.V1.FormattedValue", NULL);

          compare->sales_value = g_strdup (member_text (row, formatted));
        }
      else
        compare->sales_value = json_value_text (row, field->dataverse_field);
      g_ptr_array_add (query->rows, compare);
    }
  sb_record_free (type, record);
  g_task_return_boolean (task, TRUE);
}

static gboolean
values_differ (const char *a, const char *b)
{
  char *end_a, *end_b;
  double x, y;

  if (g_strcmp0 (a, b) == 0)
    return FALSE;
  /* 1000 and 1000.00 are the same amount. */
  x = g_ascii_strtod (a, &end_a);
  y = g_ascii_strtod (b, &end_b);
  if (*a != '\0' && *b != '\0' && *end_a == '\0' && *end_b == '\0')
    return x != y;
  return TRUE;
}

typedef struct
{
  GtkWidget *dialog;
  GtkWidget *stack;
  GtkWidget *grid;
  GtkWidget *error_label;
  char *mapping;
  SbSyncDirection direction;
  GCancellable *cancellable;
  SbCouplingWinnerFunc callback;
  gpointer user_data;
} SyncNowDialog;

static void
sync_now_dialog_free (SyncNowDialog *dialog)
{
  g_cancellable_cancel (dialog->cancellable);
  g_clear_object (&dialog->cancellable);
  g_free (dialog->mapping);
  g_free (dialog);
}

static GtkWidget *
grid_label (const char *text, gboolean heading, gboolean differs)
{
  GtkWidget *label = gtk_label_new (text != NULL && *text != '\0' ? text : "—");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  gtk_widget_set_hexpand (label, TRUE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (differs)
    gtk_widget_add_css_class (label, "warning");
  return label;
}

static void
compare_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CompareQuery *query = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  SyncNowDialog *dialog;
  guint n_differ = 0;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  dialog = user_data;
  if (error != NULL)
    {
      gtk_label_set_text (GTK_LABEL (dialog->error_label), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (dialog->stack), "error");
      return;
    }

  gtk_grid_attach (GTK_GRID (dialog->grid), grid_label (_ ("Field"), TRUE, FALSE), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (dialog->grid), grid_label (_ ("Salesbridge"), TRUE, FALSE), 1, 0, 1,
                   1);
  gtk_grid_attach (GTK_GRID (dialog->grid), grid_label (_ ("Dynamics 365 Sales"), TRUE, FALSE), 2,
                   0, 1, 1);
  for (guint i = 0; i < query->rows->len; i++)
    {
      CompareRow *row = g_ptr_array_index (query->rows, i);
      gboolean differs = values_differ (row->erp_value, row->sales_value);
      GtkWidget *name;

      name = grid_label (row->label, FALSE, FALSE);
      gtk_widget_add_css_class (name, "dim-label");
      gtk_grid_attach (GTK_GRID (dialog->grid), name, 0, (int) i + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (dialog->grid), grid_label (row->erp_value, FALSE, differs), 1,
                       (int) i + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (dialog->grid), grid_label (row->sales_value, FALSE, differs), 2,
                       (int) i + 1, 1, 1);
      n_differ += differs;
    }
  if (n_differ == 0 && dialog->direction == SB_SYNC_DIRECTION_BOTH)
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog->dialog),
                                 _ ("Both sides have the same values. Choose whose data is sent "
                                    "again."));
  gtk_stack_set_visible_child_name (GTK_STACK (dialog->stack), "compare");
}

static void
on_sync_now_response (AdwMessageDialog *message_dialog, const char *response, SyncNowDialog *dialog)
{
  if (g_str_equal (response, "to-sales"))
    dialog->callback (SB_SYNC_DIRECTION_TO_SALES, dialog->user_data);
  else if (g_str_equal (response, "from-sales"))
    dialog->callback (SB_SYNC_DIRECTION_FROM_SALES, dialog->user_data);
}

GtkWidget *
sb_coupling_show_sync_now_dialog (GtkWindow *parent, const char *db_path, const char *mapping,
                                  SbSyncDirection direction, const char *erp_key, guint n_records,
                                  SbCouplingWinnerFunc callback, gpointer user_data)
{
  SyncNowDialog *dialog = g_new0 (SyncNowDialog, 1);
  g_autofree char *heading = NULL;

  dialog->callback = callback;
  dialog->user_data = user_data;
  dialog->cancellable = g_cancellable_new ();
  dialog->mapping = g_strdup (mapping);
  dialog->direction = direction;
  if (erp_key != NULL)
    /* TRANSLATORS: the heading of the Synchronize Now dialog; %s is the record's key */
    heading = g_strdup_printf (_ ("Synchronize %s Now?"), erp_key);
  else
    heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synchronize %u Record Now?",
                                            "Synchronize %u Records Now?", n_records),
                               n_records);
  dialog->dialog = adw_message_dialog_new (parent, heading, NULL);
  gtk_widget_set_name (dialog->dialog, "sync-now-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog->dialog), "cancel", _ ("_Cancel"));
  /* A one-way mapping has one side that can win: the other is not offered. */
  if (direction == SB_SYNC_DIRECTION_FROM_SALES)
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog->dialog),
                                 _ ("This mapping only synchronizes from Dynamics 365 Sales: the "
                                    "Sales data overwrites Salesbridge's."));
  else if (direction == SB_SYNC_DIRECTION_TO_SALES)
    adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog->dialog),
                                 _ ("This mapping only synchronizes to Dynamics 365 Sales: "
                                    "Salesbridge's data overwrites the Sales data."));
  else
    adw_message_dialog_set_body (
        ADW_MESSAGE_DIALOG (dialog->dialog),
        _ ("Choose whose data is kept: it overwrites the other side's, whatever changed last."));
  if (direction != SB_SYNC_DIRECTION_TO_SALES)
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog->dialog), "from-sales",
                                     _ ("Use _Sales Data"));
  if (direction != SB_SYNC_DIRECTION_FROM_SALES)
    adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog->dialog), "to-sales",
                                     _ ("Use Sales_bridge Data"));
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog->dialog), "cancel");
  adw_message_dialog_set_response_appearance (
      ADW_MESSAGE_DIALOG (dialog->dialog),
      direction == SB_SYNC_DIRECTION_FROM_SALES ? "from-sales" : "to-sales",
      ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog->dialog), "sb-sync-now", dialog,
                          (GDestroyNotify) sync_now_dialog_free);
  g_signal_connect (dialog->dialog, "response", G_CALLBACK (on_sync_now_response), dialog);

  if (erp_key != NULL)
    {
      GtkWidget *loading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      g_autoptr (GTask) task = NULL;
      CompareQuery *query;

      dialog->stack = gtk_stack_new ();
      gtk_widget_set_name (dialog->stack, "sync-now-stack");
      gtk_stack_set_vhomogeneous (GTK_STACK (dialog->stack), FALSE);
      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_widget_set_halign (loading, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (loading), spinner);
      gtk_box_append (GTK_BOX (loading), gtk_label_new (_ ("Reading both sides…")));
      gtk_stack_add_named (GTK_STACK (dialog->stack), loading, "loading");

      dialog->grid = gtk_grid_new ();
      gtk_widget_set_name (dialog->grid, "sync-now-compare");
      gtk_grid_set_column_spacing (GTK_GRID (dialog->grid), 18);
      gtk_grid_set_row_spacing (GTK_GRID (dialog->grid), 6);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), dialog->grid);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
      gtk_stack_add_named (GTK_STACK (dialog->stack), scrolled, "compare");

      dialog->error_label = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (dialog->error_label), TRUE);
      gtk_widget_add_css_class (dialog->error_label, "error");
      gtk_stack_add_named (GTK_STACK (dialog->stack), dialog->error_label, "error");
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog->dialog), dialog->stack);

      query = g_new0 (CompareQuery, 1);
      query->db_path = g_strdup (db_path);
      query->mapping = g_strdup (mapping);
      query->erp_key = g_strdup (erp_key);
      query->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) compare_row_free);
      task = g_task_new (NULL, dialog->cancellable, compare_done, dialog);
      g_task_set_task_data (task, query, (GDestroyNotify) compare_query_free);
      g_task_run_in_thread (task, compare_thread);
    }
  gtk_window_set_default_size (GTK_WINDOW (dialog->dialog), 560, -1);
  gtk_window_present (GTK_WINDOW (dialog->dialog));
  return dialog->dialog;
}

/* Uncouple */

typedef struct
{
  SbCouplingWinnerFunc callback;
  gpointer user_data;
} Confirm;

static void
on_uncouple_response (AdwMessageDialog *message_dialog, const char *response, Confirm *confirm)
{
  if (g_str_equal (response, "uncouple"))
    confirm->callback (SB_SYNC_DIRECTION_BOTH, confirm->user_data);
}

GtkWidget *
sb_coupling_show_uncouple_dialog (GtkWindow *parent, guint n_records, SbCouplingWinnerFunc callback,
                                  gpointer user_data)
{
  g_autofree char *heading = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Uncouple %u Record?", "Uncouple %u Records?", n_records),
      n_records);
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, NULL);
  Confirm *confirm = g_new0 (Confirm, 1);

  confirm->callback = callback;
  confirm->user_data = user_data;
  g_object_set_data_full (G_OBJECT (dialog), "sb-confirm", confirm, g_free);
  gtk_widget_set_name (dialog, "uncouple-dialog");
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _ ("The records stay in both places, but their changes are no "
                                  "longer synchronized."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"),
                                    "uncouple", _ ("_Uncouple"), NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "uncouple",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_uncouple_response), confirm);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
