/* sb-record-list-page.c
 *
 * Rows are read off the main thread: a GTask thread opens its own
 * read-only SbStore (a connection belongs to the thread that opens it; WAL
 * lets it read beside the window's writer), builds the row objects there,
 * and hands the finished array back to be shown in one change.
 *
 * Sorting and searching run in a worker too.  GtkSortListModel and
 * GtkFilterListModel in GTK 4.8 took seconds for 100,000 rows (the column
 * view sorter has no sort keys, so every comparison evaluates expressions;
 * incremental mode re-lays out the view after every small step), so the
 * page sorts an immutable array of rows with precomputed keys off the main
 * thread, keeps the sorted array for the next search, and swaps the
 * result into an SbRecordArrayModel.  The column view's own sorter only
 * records which header was clicked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sb-connection-setup.h"
#include "sb-empty-state.h"
#include "sb-record-array-model.h"
#include "sb-record-list-page.h"

typedef struct
{
  SbRecordListPage *page;
  guint column;
} SortProbe;

/* A row filter of the spec's extension, shared with the sorting workers
 * that use it (an atomic reference-counted box). */
typedef struct
{
  SbRecordRowFilterFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} RowFilter;

static void
row_filter_clear (gpointer data)
{
  RowFilter *filter = data;

  if (filter->destroy != NULL)
    filter->destroy (filter->user_data);
}

static void
row_filter_unref (RowFilter *filter)
{
  g_atomic_rc_box_release_full (filter, row_filter_clear);
}

struct _SbRecordListPage
{
  SbPage parent_instance;

  const SbRecordListSpec *spec;
  SbStore *store;
  gboolean loading;
  gboolean loaded_once;
  char *error_message;
  GCancellable *cancellable;
  gint64 load_started;
  guint drop_idle_id;

  SbRecordArrayModel *records; /* every row, in store order */
  SbRecordArrayModel *shown;   /* sorted and filtered */
  GtkMultiSelection *selection;
  RowFilter *row_filter; /* NULL: every row */
  GMenuModel *context_menu;
  GtkWidget *context_popover;

  /* The empty book's next steps: the extension's (label, detailed action) pairs, then the
   * spec's, which depend on whether the connection is enabled (read with the rows). */
  GPtrArray *empty_actions;
  gboolean connection_enabled;
  char *filter_reset_action; /* detailed action that shows every row, or NULL */

  /* What the user asked for */
  const SbField *sort_field; /* NULL: store order */
  gboolean sort_descending;
  char *folded_search; /* NULL when not searching */

  /* The last sort, kept so a new search does not sort again */
  GPtrArray *sorted_rows;
  GPtrArray *sorted_from; /* the records it sorted */
  const SbField *sorted_field;
  gboolean sorted_descending;

  guint view_serial;         /* of the latest sort/search asked for */
  guint view_applied_serial; /* of the one shown */
  GCancellable *view_cancellable;

  GPtrArray *probes; /* SortProbe per column */
  int probed_column;

  AdwLeaflet *navigation;
  GtkWidget *list_view;
  AdwWindowTitle *window_title;
  GtkSearchBar *search_bar;
  GtkSearchEntry *search_entry;
  GtkStack *content_stack;
  GtkSpinner *spinner;
  GtkLabel *loading_label;
  AdwHeaderBar *header_bar;
  GtkColumnView *column_view;
  AdwStatusPage *empty_page;
  AdwStatusPage *no_results_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbRecordListPage, sb_record_list_page, SB_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_SPEC,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static gboolean
view_pending (SbRecordListPage *self)
{
  return self->view_applied_serial != self->view_serial;
}

/* The buttons under the empty book's message: the extension's steps, then the spec's. */
static void
update_empty_actions (SbRecordListPage *self)
{
  gboolean connection_step = FALSE;

  sb_empty_state_clear_buttons (self->empty_page);
  for (guint i = 0; i + 1 < self->empty_actions->len; i += 2)
    sb_empty_state_add_button (self->empty_page, g_ptr_array_index (self->empty_actions, i),
                               g_ptr_array_index (self->empty_actions, i + 1));
  for (guint i = 0; i < SB_RECORD_LIST_MAX_EMPTY_ACTIONS; i++)
    {
      const SbRecordListEmptyAction *action = &self->spec->empty_actions[i];
      g_autoptr (GVariant) target = NULL;
      g_autofree char *detailed = NULL;

      if (action->label == NULL)
        break;
      /* Synchronizing cannot work before the connection does: lead there, once. */
      if (action->needs_connection && !self->connection_enabled)
        {
          if (!connection_step)
            sb_empty_state_add_button (self->empty_page, _ ("_Open Dynamics 365 Sales Settings"),
                                       "win.show-page::connection");
          connection_step = TRUE;
          continue;
        }
      /* Sunk: g_action_print_detailed_name() only reads it. */
      if (action->target != NULL)
        target = g_variant_ref_sink (g_variant_new_string (action->target));
      detailed = g_action_print_detailed_name (action->action_name, target);
      sb_empty_state_add_button (self->empty_page, _ (action->label), detailed);
    }
}

/* No row is shown though the book has some: the search, the extension's filter, or both. */
static void
update_no_results (SbRecordListPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean searching = self->folded_search != NULL;
  gboolean filtered = self->row_filter != NULL;

  sb_empty_state_clear_buttons (self->no_results_page);
  if (searching)
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autofree char *description = NULL;

      if (filtered)
        /* TRANSLATORS: %s is what the user searched for */
        description = g_strdup_printf (_ ("Nothing shown matches “%s”. Try a different search, or "
                                          "show every record."),
                                       escaped);
      else
        /* TRANSLATORS: %s is what the user searched for */
        description =
            g_strdup_printf (_ ("Nothing matches “%s”. Try a different search."), escaped);
      adw_status_page_set_icon_name (self->no_results_page, "edit-find-symbolic");
      adw_status_page_set_title (self->no_results_page, _ ("No Results Found"));
      adw_status_page_set_description (self->no_results_page, description);
      sb_empty_state_add_button (self->no_results_page, _ ("_Clear Search"), "list.clear-search");
    }
  else
    {
      adw_status_page_set_icon_name (self->no_results_page, "edit-find-symbolic");
      adw_status_page_set_title (self->no_results_page, _ ("Nothing Matches the Filter"));
      adw_status_page_set_description (self->no_results_page,
                                       _ ("No record has the status chosen in the filter."));
    }
  if (filtered && self->filter_reset_action != NULL)
    sb_empty_state_add_button (self->no_results_page, _ ("Show _All"), self->filter_reset_action);
}

static void
update_state (SbRecordListPage *self)
{
  const char *page;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->shown));
  gboolean was_empty =
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "empty") == 0;

  /* Until the first load starts (on map) the page shows the spinner's page
   * too, so it never flashes "No customers" before the rows arrive.  An
   * empty book read again (on every visit) keeps its message meanwhile. */
  if (!self->loaded_once || (self->loading && !was_empty))
    page = "loading";
  else if (self->loading)
    page = "empty";
  else if (self->error_message != NULL)
    page = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->records)) == 0)
    page = "empty";
  else if (n_shown == 0 && !view_pending (self))
    {
      page = "no-results";
      update_no_results (self);
    }
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

/* Stands for the row's figure where code expects a field. */
static const SbField figure_field = { .name = SB_RECORD_LIST_FIGURE, .type = SB_FIELD_DECIMAL };

static const SbField *
find_column_field (const SbRecordListSpec *spec, const char *name)
{
  if (g_str_equal (name, SB_RECORD_LIST_FIGURE))
    return spec->figure != NULL ? &figure_field : NULL;
  return sb_record_type_find_field (spec->type, name);
}

static gint64
row_get_number (SbRecordObject *row, const SbField *field)
{
  if (field == &figure_field)
    return sb_record_object_get_figure (row);
  return sb_record_get_int (field, sb_record_object_get_record (row));
}

static char *
format_cell (const SbRecordListColumn *column, const SbField *field, SbRecordObject *row)
{
  gconstpointer record = sb_record_object_get_record (row);
  char *text = NULL;

  if (field == &figure_field)
    {
      const char *currency = sb_record_object_get_text (row, "currency_code");
      return sb_decimal_format_money (sb_record_object_get_figure (row), currency, column->places);
    }
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
  return column->format == NULL && field->choices == NULL &&
         (field->type == SB_FIELD_DECIMAL || field->type == SB_FIELD_INT);
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
  g_autofree char *text = format_cell (column, field, object);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  /* A right click finds its row from the cell under the pointer. */
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "sb-position",
                     GUINT_TO_POINTER (gtk_list_item_get_position (item) + 1));
}

/* Sorting */

static void refresh_view (SbRecordListPage *self);

/* GTK 4.8 cannot tell which column a GtkColumnView sorts by.  Each column's
 * sorter is a probe: asking the view's sorter to compare two rows calls
 * the primary column's probe first, which notes its column, and the sign
 * of the answer gives the order. */
static int
probe_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  SortProbe *probe = user_data;

  probe->page->probed_column = (int) probe->column;
  return GTK_ORDERING_SMALLER;
}

static void
on_sorter_changed (SbRecordListPage *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  /* Two objects: gtk_sorter_compare() answers "equal" for one. */
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;
  const SbField *field = NULL;

  self->probed_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->probed_column >= 0)
    field = find_column_field (self->spec, self->spec->columns[self->probed_column].field);
  self->sort_field = field;
  self->sort_descending = field != NULL && order == GTK_ORDERING_LARGER;
  refresh_view (self);
}

static void
add_columns (SbRecordListPage *self)
{
  for (guint i = 0; i < self->spec->n_columns; i++)
    {
      const SbRecordListColumn *column = &self->spec->columns[i];
      const SbField *field = find_column_field (self->spec, column->field);
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
      {
        SortProbe *probe = g_new0 (SortProbe, 1);
        probe->page = self;
        probe->column = i;
        g_ptr_array_add (self->probes, probe);
        sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, probe, NULL));
      }
      gtk_column_view_column_set_sorter (view_column, sorter);
      g_object_set_data (G_OBJECT (view_column), "sb-field", (gpointer) field);
      gtk_column_view_append_column (self->column_view, view_column);
    }
}

/* Search */

static void
apply_search (SbRecordListPage *self, const char *text)
{
  g_autofree char *folded = NULL;

  if (text != NULL)
    folded = g_strstrip (sb_record_object_fold_search_text (text));
  if (folded != NULL && *folded == '\0')
    g_clear_pointer (&folded, g_free);
  if (g_strcmp0 (folded, self->folded_search) == 0)
    return;
  g_free (self->folded_search);
  self->folded_search = g_steal_pointer (&folded);
  refresh_view (self);
}

/* The view: sorting and searching in a worker */

typedef struct
{
  GPtrArray *records;
  GPtrArray *sorted; /* NULL: sort first */
  const SbField *field;
  gboolean descending;
  char *search;
  RowFilter *filter; /* may be NULL */
} ViewQuery;

typedef struct
{
  GPtrArray *sorted;
  GPtrArray *shown;
} ViewResult;

static void
view_query_free (ViewQuery *query)
{
  g_clear_pointer (&query->records, g_ptr_array_unref);
  g_clear_pointer (&query->sorted, g_ptr_array_unref);
  g_free (query->search);
  g_clear_pointer (&query->filter, row_filter_unref);
  g_free (query);
}

static void
view_result_free (ViewResult *result)
{
  g_clear_pointer (&result->sorted, g_ptr_array_unref);
  g_clear_pointer (&result->shown, g_ptr_array_unref);
  g_free (result);
}

typedef struct
{
  SbRecordObject *row;
  char *key;
  gint64 number;
  guint index;
} SortEntry;

static int
compare_entries (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SortEntry *x = a;
  const SortEntry *y = b;
  gboolean descending = GPOINTER_TO_INT (user_data);
  int result;

  if (x->key != NULL)
    result = strcmp (x->key, y->key);
  else
    result = x->number < y->number ? -1 : x->number > y->number;
  if (descending)
    result = -result;
  /* Equal keys keep the store order, so sorting is stable. */
  return result != 0 ? result : (x->index < y->index ? -1 : x->index > y->index);
}

static GPtrArray *
sort_rows (GPtrArray *records, const SbField *field, gboolean descending)
{
  g_autofree SortEntry *entries = g_new (SortEntry, records->len);
  gboolean text =
      field->type == SB_FIELD_TEXT || field->type == SB_FIELD_CODE || field->type == SB_FIELD_DATE;
  GPtrArray *sorted = g_ptr_array_new_full (records->len, g_object_unref);

  for (guint i = 0; i < records->len; i++)
    {
      SbRecordObject *row = g_ptr_array_index (records, i);

      entries[i].row = row;
      entries[i].index = i;
      entries[i].key = NULL;
      entries[i].number = 0;
      if (text)
        {
          /* Case-insensitive, in the user's collation (Å after Z in
           * Swedish), through keys computed once per row. */
          g_autofree char *folded =
              g_utf8_casefold (sb_record_get_text (field, sb_record_object_get_record (row)), -1);
          entries[i].key = g_utf8_collate_key (folded, -1);
        }
      else
        entries[i].number = row_get_number (row, field);
    }
  g_qsort_with_data (entries, records->len, sizeof (SortEntry), compare_entries,
                     GINT_TO_POINTER (descending));
  for (guint i = 0; i < records->len; i++)
    {
      g_ptr_array_add (sorted, g_object_ref (entries[i].row));
      g_free (entries[i].key);
    }
  return sorted;
}

static GPtrArray *
filter_rows (GPtrArray *rows, const char *search, RowFilter *filter, GCancellable *cancellable)
{
  GPtrArray *shown = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < rows->len; i++)
    {
      SbRecordObject *row = g_ptr_array_index (rows, i);

      if ((i & 0xfff) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      if ((search == NULL || sb_record_object_matches (row, search)) &&
          (filter == NULL || filter->func (row, filter->user_data)))
        g_ptr_array_add (shown, g_object_ref (row));
    }
  return shown;
}

static void
view_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ViewQuery *query = task_data;
  ViewResult *result = g_new0 (ViewResult, 1);

  if (query->sorted != NULL)
    result->sorted = g_ptr_array_ref (query->sorted);
  else if (query->field != NULL)
    {
      result->sorted = sort_rows (query->records, query->field, query->descending);
#ifdef __GLIBC__
      /* The sort keys of 100,000 rows are garbage now. */
      malloc_trim (0);
#endif
    }
  else
    result->sorted = g_ptr_array_ref (query->records);

  if (query->search != NULL || query->filter != NULL)
    result->shown = filter_rows (result->sorted, query->search, query->filter, cancellable);
  else
    result->shown = g_ptr_array_ref (result->sorted);

  if (g_task_return_error_if_cancelled (task))
    view_result_free (result);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) view_result_free);
}

static void
view_done (GObject *source, GAsyncResult *async_result, gpointer user_data)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (source);
  guint serial = GPOINTER_TO_UINT (user_data);
  ViewQuery *query = g_task_get_task_data (G_TASK (async_result));
  g_autoptr (GError) error = NULL;
  ViewResult *result = g_task_propagate_pointer (G_TASK (async_result), &error);

  if (result == NULL || serial != self->view_serial)
    {
      /* Superseded by a newer sort or search; that one will show. */
      if (result != NULL)
        view_result_free (result);
      return;
    }

  g_clear_pointer (&self->sorted_rows, g_ptr_array_unref);
  g_clear_pointer (&self->sorted_from, g_ptr_array_unref);
  self->sorted_rows = g_ptr_array_ref (result->sorted);
  self->sorted_from = g_ptr_array_ref (query->records);
  self->sorted_field = query->field;
  self->sorted_descending = query->descending;

  self->view_applied_serial = serial;
  sb_record_array_model_set_rows (self->shown, result->shown);
  view_result_free (result);
  update_state (self);
}

/* Shows the records as the user asked: sorted by the clicked column and
 * filtered by the search, worked out in a worker. */
static void
refresh_view (SbRecordListPage *self)
{
  GPtrArray *records = sb_record_array_model_get_rows (self->records);
  g_autoptr (GTask) task = NULL;
  ViewQuery *query;
  guint serial = ++self->view_serial;

  if (self->view_cancellable != NULL)
    g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);

  /* Store order without a search is the records themselves: no need to
   * wait for a thread. */
  if (records == NULL ||
      (self->sort_field == NULL && self->folded_search == NULL && self->row_filter == NULL))
    {
      self->view_applied_serial = serial;
      sb_record_array_model_set_rows (self->shown, records);
      update_state (self);
      return;
    }

  query = g_new0 (ViewQuery, 1);
  query->records = g_ptr_array_ref (records);
  query->field = self->sort_field;
  query->descending = self->sort_descending;
  query->search = g_strdup (self->folded_search);
  if (self->row_filter != NULL)
    query->filter = g_atomic_rc_box_acquire (self->row_filter);
  if (self->sorted_rows != NULL && self->sorted_from == records &&
      self->sorted_field == self->sort_field && self->sorted_descending == self->sort_descending)
    query->sorted = g_ptr_array_ref (self->sorted_rows);

  self->view_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->view_cancellable, view_done, GUINT_TO_POINTER (serial));
  g_task_set_source_tag (task, refresh_view);
  g_task_set_task_data (task, query, (GDestroyNotify) view_query_free);
  g_task_run_in_thread (task, view_thread);
  update_state (self);
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
  if (g_list_model_get_n_items (G_LIST_MODEL (self->shown)) > 0)
    sb_record_list_page_open_detail (self, 0);
}

/* Loading */

typedef struct
{
  char *path;
  const SbRecordListSpec *spec;
  gint64 started;
  gboolean connection_enabled; /* read by the worker when the book is empty */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

/* Whether list rows keep @field: their key, their columns and what the
 * search matches.  The rest is dropped after loading (a card reads the
 * full record again), which nearly halves the memory 100,000 rows take. */
static gboolean
row_keeps_field (const SbRecordListSpec *spec, const SbField *field)
{
  /* The key finds the full record for a card; the currency says what
   * the figure is in. */
  if ((field->flags & SB_FIELD_FLAG_KEY) != 0 || g_str_equal (field->name, "currency_code"))
    return TRUE;
  for (guint i = 0; i < spec->n_columns; i++)
    if (g_str_equal (spec->columns[i].field, field->name))
      return TRUE;
  for (guint i = 0; spec->search_fields != NULL && spec->search_fields[i] != NULL; i++)
    if (g_str_equal (spec->search_fields[i], field->name))
      return TRUE;
  return FALSE;
}

typedef struct
{
  const SbRecordType *type;
  gpointer *raw;
  gsize n_records;
  const char *const *search_fields;
  const gboolean *keep;
  const SbDecimal *figures; /* may be NULL */
  GPtrArray *objects;
} PackJob;

static gpointer
pack_rows_thread (gpointer user_data)
{
  PackJob *job = user_data;

  for (gsize i = 0; i < job->n_records; i++)
    {
      SbRecordObject *row =
          sb_record_object_new (job->type, job->raw[i], job->search_fields, job->keep);

      if (job->figures != NULL)
        sb_record_object_set_figure (row, job->figures[i]);
      g_ptr_array_add (job->objects, row);
    }
  return NULL;
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GPtrArray) records = NULL;
  const SbRecordType *type = data->spec->type;
  g_autofree gboolean *keep = NULL;
  g_autofree SbDecimal *figures = NULL;
  PackJob pack;
  GPtrArray *objects;
  gpointer *raw;
  gsize n_records = 0;

  store = sb_store_open (data->path, SB_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL && data->spec->list != NULL)
    records = data->spec->list (store, &error);
  else if (store != NULL)
    records = sb_record_list (store, type, NULL, NULL, &error);
  if (records == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  /* An empty book's next step depends on it (update_empty_actions()). */
  if (records->len == 0)
    {
      g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);

      if (setup == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->connection_enabled = setup->is_enabled;
    }

  if (data->spec->figure != NULL)
    {
      figures = g_new0 (SbDecimal, records->len);
      for (guint i = 0; i < records->len; i++)
        if (!data->spec->figure (store, g_ptr_array_index (records, i), &figures[i], &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
    }

  keep = g_new (gboolean, type->n_fields);
  for (guint i = 0; i < type->n_fields; i++)
    keep[i] = row_keeps_field (data->spec, &type->fields[i]);

  /* The rows are packed in a thread of their own, so they land in another
   * malloc arena than the records read here: once those are freed, this
   * arena is empty and can be given back, instead of being left riddled
   * with holes between the rows. */
  raw = g_ptr_array_steal (records, &n_records);
  pack.type = type;
  pack.raw = raw;
  pack.n_records = n_records;
  pack.search_fields = data->spec->search_fields;
  pack.keep = keep;
  pack.figures = figures;
  pack.objects = objects = g_ptr_array_new_full (n_records, g_object_unref);
  g_thread_join (g_thread_new ("sb-pack-rows", pack_rows_thread, &pack));
  g_free (raw);
  g_clear_object (&store);
#ifdef __GLIBC__
  /* Reading left this thread's malloc arena full of freed text and the
   * store's page cache; give it back rather than keep it resident. */
  malloc_trim (0);
#endif
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
      sb_record_array_model_set_rows (self->records, NULL);
    }
  else
    {
      LoadData *data = g_task_get_task_data (G_TASK (result));

      if (objects->len == 0 && data->connection_enabled != self->connection_enabled)
        {
          self->connection_enabled = data->connection_enabled;
          update_empty_actions (self);
        }
      sb_record_array_model_set_rows (self->records, objects);
      g_debug ("%s: %u rows loaded in %.0f ms", self->spec->name, objects->len,
               (g_get_monotonic_time () - self->load_started) / 1000.0);
    }
  refresh_view (self);
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

static gboolean
drop_hidden_details_idle (gpointer user_data)
{
  SbRecordListPage *self = user_data;

  self->drop_idle_id = 0;
  if (!adw_leaflet_get_child_transition_running (self->navigation))
    drop_hidden_details (self);
  return G_SOURCE_REMOVE;
}

static void
on_child_transition_running (SbRecordListPage *self)
{
  /* Not right away: the leaflet also says a transition stopped while it
   * starts the next one, still holding the page it slides away. */
  if (!adw_leaflet_get_child_transition_running (self->navigation) && self->drop_idle_id == 0)
    self->drop_idle_id = g_idle_add (drop_hidden_details_idle, self);
}

GtkWidget *
sb_record_list_page_open_detail (SbRecordListPage *self, guint position)
{
  g_autoptr (SbRecordObject) row = NULL;
  g_autoptr (SbRecordObject) object = NULL;
  g_autoptr (GError) error = NULL;
  gpointer record;
  GtkWidget *detail;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);

  if (self->spec->create_detail == NULL)
    return NULL;
  row = g_list_model_get_item (G_LIST_MODEL (self->shown), position);
  if (row == NULL)
    return NULL;

  /* Rows keep only what the list shows; the card shows the record as it
   * is now, which also catches changes made since the list was read. */
  record =
      sb_record_lookup (self->store, self->spec->type, sb_record_object_get_record (row), &error);
  if (record != NULL)
    object = sb_record_object_new (self->spec->type, record, NULL, NULL);
  else
    {
      g_message ("Showing the listed record instead: %s", error->message);
      object = g_object_ref (row);
    }
  detail = self->spec->create_detail (self->store, object);
  /* A detail page opened before is replaced, not stacked: it is dropped
   * once the new one has slid over it (a leaflet must not lose the child
   * it is animating). */
  adw_leaflet_append (self->navigation, detail);
  adw_leaflet_set_visible_child (self->navigation, detail);
  if (!adw_leaflet_get_child_transition_running (self->navigation))
    drop_hidden_details (self);
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
clear_search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_record_list_page_set_search_text (SB_RECORD_LIST_PAGE (widget), NULL);
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

  /* Books nobody looks at are not read.  An empty one is read again on
   * every visit: records imported or synchronized meanwhile show, and its
   * next step follows the connection set up meanwhile. */
  if (!self->loaded_once || (!self->loading && self->error_message == NULL &&
                             g_list_model_get_n_items (G_LIST_MODEL (self->records)) == 0))
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
  update_empty_actions (self);
  gtk_label_set_text (self->loading_label, _ ("Loading…"));
  add_columns (self);
  if (self->spec->extend != NULL)
    self->spec->extend (GTK_WIDGET (self));
  update_state (self);
}

static void
sb_record_list_page_dispose (GObject *object)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->view_cancellable != NULL)
    g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);
  g_clear_handle_id (&self->drop_idle_id, g_source_remove);
  g_clear_pointer (&self->context_popover, gtk_widget_unparent);
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                            on_sorter_changed, self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  g_clear_object (&self->selection);
  g_clear_pointer (&self->row_filter, row_filter_unref);
  g_clear_object (&self->context_menu);
  g_clear_pointer (&self->empty_actions, g_ptr_array_unref);
  g_clear_object (&self->shown);
  g_clear_object (&self->records);
  g_clear_pointer (&self->sorted_rows, g_ptr_array_unref);
  g_clear_pointer (&self->sorted_from, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sb_record_list_page_parent_class)->dispose (object);
}

static void
sb_record_list_page_finalize (GObject *object)
{
  SbRecordListPage *self = SB_RECORD_LIST_PAGE (object);

  g_free (self->error_message);
  g_free (self->folded_search);
  g_free (self->filter_reset_action);
  g_ptr_array_unref (self->probes);

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
  props[PROP_LOADING] =
      g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-record-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, navigation);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, SbRecordListPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_child_transition_running);

  gtk_widget_class_install_action (widget_class, "list.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "list.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "list.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "list.clear-search", NULL, clear_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "list.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "list.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "list.reload",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "list.back", NULL);
}

static void
sb_record_list_page_init (SbRecordListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->probes = g_ptr_array_new_with_free_func (g_free);
  self->empty_actions = g_ptr_array_new_with_free_func (g_free);
  self->records = sb_record_array_model_new ();
  self->shown = sb_record_array_model_new ();
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_sorter_changed), self);

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
  return self->loading || view_pending (self);
}

const char *
sb_record_list_page_get_state (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
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
  return G_LIST_MODEL (self->shown);
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

void
sb_record_list_page_add_empty_action (SbRecordListPage *self, const char *label,
                                      const char *detailed_action)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));
  g_return_if_fail (label != NULL && detailed_action != NULL);

  /* An empty book says what to do next, not only that it is empty; what the
   * extension offers (importing) comes before the spec's steps. */
  g_ptr_array_add (self->empty_actions, g_strdup (label));
  g_ptr_array_add (self->empty_actions, g_strdup (detailed_action));
  update_empty_actions (self);
}

void
sb_record_list_page_set_filter_reset_action (SbRecordListPage *self, const char *detailed_action)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));

  g_free (self->filter_reset_action);
  self->filter_reset_action = g_strdup (detailed_action);
}

void
sb_record_list_page_add_header_widget (SbRecordListPage *self, GtkWidget *widget)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));
  adw_header_bar_pack_end (self->header_bar, widget);
}

GtkColumnView *
sb_record_list_page_get_column_view (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return self->column_view;
}

GtkSelectionModel *
sb_record_list_page_get_selection (SbRecordListPage *self)
{
  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

GPtrArray *
sb_record_list_page_get_selected (SbRecordListPage *self)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), rows);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      gpointer row = g_list_model_get_item (G_LIST_MODEL (self->shown), position);

      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  return rows;
}

GPtrArray *
sb_record_list_page_get_target_keys (SbRecordListPage *self, const SbField *key_field)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *detail;
  g_autoptr (GPtrArray) rows = NULL;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (self), keys);
  g_return_val_if_fail (key_field != NULL, keys);

  detail = sb_record_list_page_get_detail (self);
  if (detail != NULL)
    {
      const char *key = g_object_get_data (G_OBJECT (detail), "sb-coupling-key");

      if (key != NULL)
        g_ptr_array_add (keys, g_strdup (key));
      return keys;
    }
  rows = sb_record_list_page_get_selected (self);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (keys,
                     sb_record_to_string (key_field, sb_record_object_get_record (rows->pdata[i])));
  return keys;
}

static void
on_context_pressed (GtkGestureClick *gesture, int n_press, double x, double y,
                    SbRecordListPage *self)
{
  GtkWidget *picked;
  guint position = 0;

  if (self->context_menu == NULL)
    return;
  picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  for (; picked != NULL && position == 0; picked = gtk_widget_get_parent (picked))
    position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (picked), "sb-position"));
  if (position == 0)
    return;
  /* As in Files: a click on a selected row acts on the whole selection,
   * on another row on that row alone. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position - 1))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position - 1, TRUE);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (self->context_popover == NULL)
    {
      self->context_popover = gtk_popover_menu_new_from_model (self->context_menu);
      gtk_widget_set_parent (self->context_popover, GTK_WIDGET (self->column_view));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->context_popover), FALSE);
      gtk_widget_set_halign (self->context_popover, GTK_ALIGN_START);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->context_popover),
                               &(GdkRectangle){ (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_popover));
}

void
sb_record_list_page_set_context_menu (SbRecordListPage *self, GMenuModel *menu)
{
  GtkGesture *click;

  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));
  g_return_if_fail (self->context_menu == NULL);

  self->context_menu = g_object_ref (menu);
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_context_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (click));
}

void
sb_record_list_page_set_row_filter (SbRecordListPage *self, SbRecordRowFilterFunc func,
                                    gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (SB_IS_RECORD_LIST_PAGE (self));

  g_clear_pointer (&self->row_filter, row_filter_unref);
  if (func != NULL)
    {
      self->row_filter = g_atomic_rc_box_new0 (RowFilter);
      self->row_filter->func = func;
      self->row_filter->user_data = user_data;
      self->row_filter->destroy = destroy;
    }
  else if (destroy != NULL)
    destroy (user_data);
  refresh_view (self);
}
