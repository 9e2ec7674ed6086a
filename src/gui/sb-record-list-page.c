/* sb-record-list-page.c
 *
 * Rows are read off the main thread: a GTask thread opens its own
 * read-only SbStore (a connection belongs to the thread that opens it; WAL
 * lets it read beside the window's writer), builds the row objects there,
 * and hands the finished array back to be added to the model in one
 * splice.  Sorting and filtering run incrementally so 100,000 rows never
 * freeze the window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-record-list-page.h"

struct _SbRecordListPage
{
  AdwBin parent_instance;

  const SbRecordListSpec *spec;
  SbStore *store;
  gboolean folded;
  gboolean loading;
  gboolean loaded_once;
  char *error_message;
  GCancellable *cancellable;
  gint64 load_started;

  GListStore *records;
  GtkSortListModel *sort_model;
  GtkCustomFilter *filter;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  char *folded_search; /* NULL when not searching */

  AdwLeaflet *navigation;
  GtkWidget *list_view;
  GtkWidget *sidebar_button;
  AdwWindowTitle *window_title;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkStack *content_stack;
  GtkSpinner *spinner;
  GtkLabel *loading_label;
  GtkColumnView *column_view;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbRecordListPage, sb_record_list_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SPEC,
  PROP_STORE,
  PROP_FOLDED,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
update_state (SbRecordListPage *self)
{
  const char *page;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (self->loading)
    page = "loading";
  else if (self->error_message != NULL)
    page = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->records)) == 0)
    page = "empty";
  else if (n_shown == 0 && gtk_filter_list_model_get_pending (self->filter_model) == 0)
    page = "no-results";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->content_stack, page);
  gtk_spinner_set_spinning (self->spinner, self->loading);

  if (self->loading || self->error_message != NULL)
    adw_window_title_set_subtitle (self->window_title, NULL);
  else
    {
      g_autofree char *count = self->spec->count_label (n_shown);
      adw_window_title_set_subtitle (self->window_title, count);
    }
}

/* Row cells */

static char *
format_cell (const SbRecordListColumn *column, const SbField *field, gconstpointer record)
{
  char *text = NULL;

  if (column->format != NULL)
    text = column->format (field, record);
  if (text != NULL)
    return text;

  switch (field->type)
    {
      case SB_FIELD_DECIMAL:
        return sb_gui_format_decimal (sb_record_get_int (field, record), column->places);
      case SB_FIELD_BOOL:
        /* A column of "No" hides the few rows that matter. */
        return g_strdup (sb_record_get_int (field, record) ? _ ("Yes") : "");
      default:
        return sb_gui_format_field (field, record, NULL);
    }
}

static gboolean
field_is_numeric (const SbField *field, const SbRecordListColumn *column)
{
  return column->format == NULL && (field->type == SB_FIELD_DECIMAL || field->type == SB_FIELD_INT);
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  const SbRecordListColumn *column = user_data;
  const SbField *field = g_object_get_data (G_OBJECT (factory), "sb-field");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (field_is_numeric (field, column))
    {
      /* Amounts line up on their last digit, in tabular figures. */
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  const SbRecordListColumn *column = user_data;
  const SbField *field = g_object_get_data (G_OBJECT (factory), "sb-field");
  SbRecordObject *object = gtk_list_item_get_item (item);
  g_autofree char *text = format_cell (column, field, sb_record_object_get_record (object));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

/* Sort keys: GtkStringSorter and GtkNumericSorter compute one key per row
 * through these, which is far cheaper than comparing formatted text. */

static char *
sort_key_text (SbRecordObject *object, gpointer user_data)
{
  const SbField *field = user_data;
  const char *text = sb_record_get_text (field, sb_record_object_get_record (object));

  return g_strdup (text != NULL ? text : "");
}

static gint64
sort_key_int (SbRecordObject *object, gpointer user_data)
{
  const SbField *field = user_data;

  return sb_record_get_int (field, sb_record_object_get_record (object));
}

static GtkSorter *
create_sorter (const SbField *field)
{
  GtkExpression *expression;

  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
        expression = gtk_cclosure_expression_new (
            G_TYPE_STRING, NULL, 0, NULL, G_CALLBACK (sort_key_text), (gpointer) field, NULL);
        return GTK_SORTER (gtk_string_sorter_new (expression));
      default:
        expression = gtk_cclosure_expression_new (
            G_TYPE_INT64, NULL, 0, NULL, G_CALLBACK (sort_key_int), (gpointer) field, NULL);
        return GTK_SORTER (gtk_numeric_sorter_new (expression));
    }
}

static void
add_columns (SbRecordListPage *self)
{
  for (guint i = 0; i < self->spec->n_columns; i++)
    {
      const SbRecordListColumn *column = &self->spec->columns[i];
      const SbField *field = sb_record_type_find_field (self->spec->type, column->field);
      GtkListItemFactory *factory;
      g_autoptr (GtkColumnViewColumn) view_column = NULL;
      g_autoptr (GtkSorter) sorter = NULL;
      const char *title;

      if (field == NULL)
        {
          g_critical ("%s has no field %s", self->spec->type->table, column->field);
          continue;
        }

      factory = gtk_signal_list_item_factory_new ();
      g_object_set_data (G_OBJECT (factory), "sb-field", (gpointer) field);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) column);

      title = column->title != NULL ? column->title : field->label;
      view_column = gtk_column_view_column_new (title != NULL ? _ (title) : field->name, factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_column_set_expand (view_column, column->expand);
      if (column->width > 0)
        gtk_column_view_column_set_fixed_width (view_column, column->width);
      sorter = create_sorter (field);
      gtk_column_view_column_set_sorter (view_column, sorter);
      g_object_set_data (G_OBJECT (view_column), "sb-field", (gpointer) field);
      gtk_column_view_append_column (self->column_view, view_column);
    }
}

/* Search */

static gboolean
filter_func (gpointer item, gpointer user_data)
{
  SbRecordListPage *self = user_data;

  return sb_record_object_matches (item, self->folded_search);
}

static void
apply_search (SbRecordListPage *self, const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *old = g_steal_pointer (&self->folded_search);

  if (text != NULL)
    folded = g_strstrip (sb_record_object_fold_search_text (text));

  if (folded == NULL || *folded == '\0')
    {
      /* No filter function makes the filter "match all", which
       * GtkFilterListModel passes through without looking at any row. */
      if (old != NULL)
        gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
      return;
    }

  self->folded_search = g_steal_pointer (&folded);
  if (old == NULL)
    gtk_custom_filter_set_filter_func (self->filter, filter_func, self, NULL);
  else if (strstr (self->folded_search, old) != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_MORE_STRICT);
  else if (strstr (old, self->folded_search) != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
  else
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (SbRecordListPage *self, GtkSearchEntry *entry)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_activate (SbRecordListPage *self, GtkSearchEntry *entry)
{
  /* Enter in the search opens the only, or first, match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    sb_record_list_page_open_detail (self, 0);
}

/* Loading */

typedef struct
{
  char *path;
  const SbRecordListSpec *spec;
  gint64 started;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GPtrArray) records = NULL;
  GPtrArray *objects;
  gpointer *raw;
  gsize n_records = 0;

  store = sb_store_open (data->path, SB_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    records = data->spec->list (store, &error);
  if (records == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* The row objects take over the records, so none is copied. */
  raw = g_ptr_array_steal (records, &n_records);
  objects = g_ptr_array_new_full (n_records, g_object_unref);
  for (gsize i = 0; i < n_records; i++)
    g_ptr_array_add (objects,
                     sb_record_object_new (data->spec->type, raw[i], data->spec->search_fields));
  g_free (raw);
  g_debug ("%s: %u rows read in a worker in %.0f ms", data->spec->name, objects->len,
           (g_get_monotonic_time () - data->started) / 1000.0);
  g_task_return_pointer (task, objects, (GDestroyNotify) g_ptr_array_unref);
}

static void
set_loading (SbRecordListPage *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADING]);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) objects = NULL;

  objects = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer load, or the page is going away */
  g_clear_object (&self->cancellable);

  g_clear_pointer (&self->error_message, g_free);
  if (objects == NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      self->error_message = g_strdup (error->message);
      adw_status_page_set_description (self->error_page, escaped);
      g_list_store_remove_all (self->records);
    }
  else
    {
      g_list_store_splice (self->records, 0,
                           g_list_model_get_n_items (G_LIST_MODEL (self->records)), objects->pdata,
                           objects->len);
      g_debug ("%s: %u rows loaded in %.0f ms", self->spec->name, objects->len,
               (g_get_monotonic_time () - self->load_started) / 1000.0);
    }
  set_loading (self, FALSE);
}

void
sb_record_list_page_reload (SbRecordListPage *self)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded_once = TRUE;
  self->load_started = g_get_monotonic_time ();

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (sb_store_get_path (self->store));
  data->spec = self->spec;
  data->started = self->load_started;

  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, sb_record_list_page_reload);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
  set_loading (self, TRUE);
}

/* Navigation */

/* Drops the detail pages that are not shown: after the user went back and
 * the page slid away, or before a new detail page replaces an old one. */
static void
drop_hidden_details (SbRecordListPage *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (self->navigation);
  GtkWidget *child = gtk_widget_get_last_child (GTK_WIDGET (self->navigation));

  while (child != NULL)
    {
      GtkWidget *previous = gtk_widget_get_prev_sibling (child);

      if (child != self->list_view && child != visible)
        adw_leaflet_remove (self->navigation, child);
      child = previous;
    }
}

static void
on_child_transition_running (SbRecordListPage *self)
{
  if (!adw_leaflet_get_child_transition_running (self->navigation))
    drop_hidden_details (self);
}

GtkWidget *
sb_record_list_page_open_detail (SbRecordListPage *self, guint position)
{
  g_autoptr (SbRecordObject) object = NULL;
  GtkWidget *detail;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);

  if (self->spec->create_detail == NULL)
    return NULL;
  object = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);
  if (object == NULL)
    return NULL;

  detail = self->spec->create_detail (self->store, object);
  /* A detail page opened before is replaced, not stacked. */
  adw_leaflet_set_visible_child (self->navigation, self->list_view);
  drop_hidden_details (self);
  adw_leaflet_append (self->navigation, detail);
  adw_leaflet_set_visible_child (self->navigation, detail);
  return detail;
}

GtkWidget *
sb_record_list_page_get_detail (SbRecordListPage *self)
{
  GtkWidget *visible;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);

  visible = adw_leaflet_get_visible_child (self->navigation);
  return visible != self->list_view ? visible : NULL;
}

void
sb_record_list_page_go_back (SbRecordListPage *self)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));

  if (adw_leaflet_get_visible_child (self->navigation) == self->list_view)
    return;
  adw_leaflet_set_visible_child (self->navigation, self->list_view);
  /* Unmapped or without animations, no transition will end to drop it. */
  if (!adw_leaflet_get_child_transition_running (self->navigation))
    drop_hidden_details (self);
}

static void
on_column_view_activate (SbRecordListPage *self, guint position)
{
  sb_record_list_page_open_detail (self, position);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_record_list_page_go_back (SB_RECORD_LIST_PAGE (widget));
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_record_list_page_reload (SB_RECORD_LIST_PAGE (widget));
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (widget);

  sb_record_list_page_go_back (self);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* GObject */

static void
sb_record_list_page_map (GtkWidget *widget)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (widget);

  GTK_WIDGET_CLASS (sb_record_list_page_parent_class)->map (widget);

  /* Books nobody looks at are not read. */
  if (!self->loaded_once)
    sb_record_list_page_reload (self);
}

static void
sb_record_list_page_constructed (GObject *object)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);
  g_autofree char *loading = NULL;

  G_OBJECT_CLASS (sb_record_list_page_parent_class)->constructed (object);

  g_assert (self->spec != NULL);
  g_assert (self->store != NULL);

  adw_window_title_set_title (self->window_title, _ (self->spec->title));
  g_object_set (self->search_entry, "placeholder-text", _ (self->spec->search_placeholder), NULL);
  adw_status_page_set_icon_name (self->empty_page, self->spec->icon_name);
  adw_status_page_set_title (self->empty_page, _ (self->spec->empty_title));
  adw_status_page_set_description (self->empty_page, _ (self->spec->empty_description));
  gtk_label_set_text (self->loading_label, _ ("Loading…"));
  add_columns (self);
  update_state (self);
}

static void
sb_record_list_page_dispose (GObject *object)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_RECORD_LIST_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->records);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sb_record_list_page_parent_class)->dispose (object);
}

static void
sb_record_list_page_finalize (GObject *object)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  g_free (self->error_message);
  g_free (self->folded_search);

  G_OBJECT_CLASS (sb_record_list_page_parent_class)->finalize (object);
}

static void
sb_record_list_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  switch (prop_id)
    {
      case PROP_SPEC:
        g_value_set_pointer (value, (gpointer) self->spec);
        break;
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_FOLDED:
        g_value_set_boolean (value, self->folded);
        break;
      case PROP_LOADING:
        g_value_set_boolean (value, self->loading);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_record_list_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  switch (prop_id)
    {
      case PROP_SPEC:
        self->spec = g_value_get_pointer (value);
        break;
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      case PROP_FOLDED:
        if (self->folded != g_value_get_boolean (value))
          {
            self->folded = g_value_get_boolean (value);
            gtk_widget_set_visible (self->sidebar_button, self->folded);
            g_object_notify_by_pspec (object, pspec);
          }
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_record_list_page_class_init (SbRecordListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_record_list_page_constructed;
  object_class->dispose = sb_record_list_page_dispose;
  object_class->finalize = sb_record_list_page_finalize;
  object_class->get_property = sb_record_list_page_get_property;
  object_class->set_property = sb_record_list_page_set_property;
  widget_class->map = sb_record_list_page_map;

  props[PROP_SPEC] = g_param_spec_pointer (
      "spec", NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, SB_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Set by the window: when its sidebar is folded away, the list offers a
   * way back to it. */
  props[PROP_FOLDED] =
      g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_LOADING] =
      g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-record-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, navigation);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_child_transition_running);

  gtk_widget_class_install_action (widget_class, "list.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "list.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "list.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "list.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "list.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "list.reload",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "list.back", NULL);
}

static void
on_filter_items_changed (SbRecordListPage *self)
{
  update_state (self);
}

static void
sb_record_list_page_init (SbRecordListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->records = g_list_store_new (SB_TYPE_RECORD_OBJECT);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->records)), NULL);
  gtk_sort_list_model_set_incremental (self->sort_model, TRUE);
  /* Filtering after sorting: a new search only filters, it never sorts
   * 100,000 rows again. */
  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_sort_list_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->column_view));

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "notify::pending",
                           G_CALLBACK (on_filter_items_changed), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}

GtkWidget *
sb_record_list_page_new (const SbRecordListSpec *spec, SbStore *store)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  return g_object_new (SB_TYPE_RECORD_LIST_PAGE, "spec", spec, "store", store, NULL);
}

const SbRecordListSpec *
sb_record_list_page_get_spec (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return self->spec;
}

gboolean
sb_record_list_page_get_loading (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), FALSE);
  return self->loading;
}

gboolean
sb_record_list_page_is_busy (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), FALSE);
  return self->loading || gtk_sort_list_model_get_pending (self->sort_model) > 0 ||
         gtk_filter_list_model_get_pending (self->filter_model) > 0;
}

const char *
sb_record_list_page_get_error (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return self->error_message;
}

GListModel *
sb_record_list_page_get_records (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return G_LIST_MODEL (self->records);
}

GListModel *
sb_record_list_page_get_model (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

void
sb_record_list_page_set_search_text (SbRecordListPage *self, const char *text)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && *text != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  /* Not waiting for the entry's typing delay. */
  apply_search (self, text);
}

gboolean
sb_record_list_page_sort_by (SbRecordListPage *self, const char *field, GtkSortType order)
{
  GListModel *columns;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), FALSE);

  columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const SbField *column_field = g_object_get_data (G_OBJECT (column), "sb-field");

      if (column_field != NULL && g_str_equal (column_field->name, field))
        {
          gtk_column_view_sort_by_column (self->column_view, column, order);
          return TRUE;
        }
    }
  return FALSE;
}
