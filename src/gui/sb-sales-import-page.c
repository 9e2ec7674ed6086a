/* sb-sales-import-page.c
 *
 * The rows are read by a worker that opens the company database, makes the connection (the
 * keyring blocks) and asks the engine for the newest documents; each load replaces the rows
 * whole. Search and filter run here, on at most SB_SALES_IMPORT_LIMIT rows. The action runs in
 * one worker, document by document, and its outcome per Dataverse id outlives the reload that
 * follows it, so a failed row still says why after the list was read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-setup.h"
#include "sb-coupling-dialogs.h"
#include "sb-decimal.h"
#include "sb-erp-document-link.h"
#include "sb-gui-format.h"
#include "sb-record-list-page.h"
#include "sb-sales-import-page.h"
#include "sb-sales-import-row.h"
#include "sb-sync-activity.h"
#include "sb-sync-error.h"
#include "sb-sync-sales-import.h"
#include "sb-window.h"

typedef enum
{
  COLUMN_TEXT,
  COLUMN_DATE,
  COLUMN_AMOUNT,
  COLUMN_CUSTOMER,
  COLUMN_ERP,
} ColumnKind;

typedef struct
{
  const char *member;
  const char *title; /* N_() marked */
  ColumnKind kind;
  int width;
  gboolean expand;
  const char *also_member; /* COLUMN_ERP: a second ERP document shown after the first */
} Column;

typedef struct
{
  const char *title;          /* N_() marked */
  const char *number_member;  /* the Dataverse document number */
  const char *erp_member;     /* the ERP document made from it */
  SbSalesDocType erp_type;    /* of erp_member */
  const char *action_label;   /* N_() marked, with a mnemonic */
  const char *action_tooltip; /* N_() marked */
  const char *activity_title; /* N_() marked: the header bar indicator's while the action runs */
  const char *pending_label;  /* N_() marked: the filter of documents still to take */
  const char *empty_title;    /* N_() marked */
  const char *empty_description;
  const Column *columns;
  guint n_columns;
} KindInfo;

/* Widths that fit a 1100 px window beside the sidebar; Name takes what is left. */
static const Column order_columns[] = {
  { "ordernumber", N_ ("Number"), COLUMN_TEXT, 150, FALSE, NULL },
  { "name", N_ ("Name"), COLUMN_TEXT, 120, TRUE, NULL },
  { "state", N_ ("State"), COLUMN_TEXT, 90, FALSE, NULL },
  { "customer_name", N_ ("Customer"), COLUMN_CUSTOMER, 160, FALSE, NULL },
  { "total_amount", N_ ("Amount"), COLUMN_AMOUNT, 110, FALSE, NULL },
  { "erp_order_no", N_ ("ERP Order"), COLUMN_ERP, 90, FALSE, NULL },
};

static const Column quote_columns[] = {
  { "quotenumber", N_ ("Number"), COLUMN_TEXT, 150, FALSE, NULL },
  /* TRANSLATORS: a column: the quote's revision number, keep it short */
  { "revisionnumber", N_ ("Rev."), COLUMN_TEXT, 40, FALSE, NULL },
  { "name", N_ ("Name"), COLUMN_TEXT, 100, TRUE, NULL },
  { "state", N_ ("State"), COLUMN_TEXT, 75, FALSE, NULL },
  { "customer_name", N_ ("Customer"), COLUMN_CUSTOMER, 130, FALSE, NULL },
  { "effectiveto", N_ ("Valid Until"), COLUMN_DATE, 90, FALSE, NULL },
  { "total_amount", N_ ("Amount"), COLUMN_AMOUNT, 105, FALSE, NULL },
  /* TRANSLATORS: a column: the ERP quote and the ERP order made from a Sales quote */
  { "erp_quote_no", N_ ("In ERP"), COLUMN_ERP, 120, FALSE, "erp_order_no" },
};

static const KindInfo kinds[] = {
  [SB_SALES_IMPORT_ORDERS] = {
      .title = N_ ("Sales Orders"),
      .number_member = "ordernumber",
      .erp_member = "erp_order_no",
      .erp_type = SB_SALES_DOC_ORDER,
      .action_label = N_ ("_Create in ERP"),
      .action_tooltip = N_ ("Create ERP sales orders from the selected submitted orders"),
      .activity_title = N_ ("Creating sales orders in the ERP"),
      .pending_label = N_ ("Submitted, not yet in ERP"),
      .empty_title = N_ ("No Sales Orders in Dynamics 365 Sales"),
      .empty_description = N_ ("Orders salespeople submit in Dynamics 365 Sales appear here, "
                               "ready to be created in the ERP."),
      .columns = order_columns,
      .n_columns = G_N_ELEMENTS (order_columns),
  },
  [SB_SALES_IMPORT_QUOTES] = {
      .title = N_ ("Sales Quotes"),
      .number_member = "quotenumber",
      .erp_member = "erp_quote_no",
      .erp_type = SB_SALES_DOC_QUOTE,
      .action_label = N_ ("_Process in ERP"),
      .action_tooltip = N_ ("Make or update ERP quotes from the selected active or won quotes"),
      .activity_title = N_ ("Processing sales quotes in the ERP"),
      .pending_label = N_ ("Active or won, not yet in ERP"),
      .empty_title = N_ ("No Sales Quotes in Dynamics 365 Sales"),
      .empty_description = N_ ("Quotes salespeople activate or win in Dynamics 365 Sales appear "
                               "here, ready to be processed in the ERP."),
      .columns = quote_columns,
      .n_columns = G_N_ELEMENTS (quote_columns),
  },
};

/* Dataverse statecodes (integration-behaviour.md §9). */
#define ORDER_STATE_SUBMITTED 1
#define QUOTE_STATE_ACTIVE 1
#define QUOTE_STATE_WON 2

struct _SbSalesImportPage
{
  SbPage parent_instance;

  SbSalesImportKind kind;
  const KindInfo *info;
  SbStore *store;
  char *db_path;
  SbSyncActivity *activity; /* the header bar's picture of the database's synchronization */

  GCancellable *cancellable; /* the load under way */
  GCancellable *dispose_cancellable;
  gboolean loading;
  gboolean loaded_once;
  gint64 loaded_at; /* monotonic time of the last load */
  gboolean running;
  gboolean disabled;
  char *error_message;
  char *last_message;
  GHashTable *results; /* Dataverse id → Result, from the last actions */
  GPtrArray *failures; /* "NUMBER: message" of the last action */

  GListStore *rows;
  GtkCustomFilter *filter;
  GtkFilterListModel *filtered;
  GtkMultiSelection *selection;
  char *search;          /* case-folded, NULL: none */
  gboolean setting_text; /* the entry follows sb_sales_import_page_set_search_text() */
  gboolean only_pending;

  AdwWindowTitle *window_title;
  GtkWidget *create_button;
  GtkWidget *open_button;
  GtkActionBar *bottom_bar;
  GtkWidget *bottom_create_button;
  GtkSpinner *busy_spinner;
  GtkBox *toolbar;
  GtkSearchEntry *search_entry;
  GtkDropDown *filter_dropdown;
  GtkRevealer *failures_revealer;
  GtkLabel *failures_title;
  GtkListBox *failures_list;
  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  AdwStatusPage *empty_page;
  GtkColumnView *column_view;
  GtkLabel *count_label;
};

G_DEFINE_FINAL_TYPE (SbSalesImportPage, sb_sales_import_page, SB_TYPE_PAGE)

typedef struct
{
  char *no;
  char *error;
} Result;

static void
result_free (Result *result)
{
  g_free (result->no);
  g_free (result->error);
  g_free (result);
}

/* Rows */

static gboolean
row_qualifies (SbSalesImportPage *self, SbSalesImportRow *row)
{
  gint64 state = sb_sales_import_row_get_int (row, "statecode");

  if (self->kind == SB_SALES_IMPORT_ORDERS)
    return state == ORDER_STATE_SUBMITTED &&
           *sb_sales_import_row_get (row, self->info->erp_member) == '\0';
  /* A quote already in the ERP is processed again for its new revision or its win. */
  return state == QUOTE_STATE_ACTIVE || state == QUOTE_STATE_WON;
}

static gboolean
row_pending (SbSalesImportPage *self, SbSalesImportRow *row)
{
  return row_qualifies (self, row) &&
         *sb_sales_import_row_get (row, self->info->erp_member) == '\0';
}

static gboolean
filter_row (gpointer item, gpointer user_data)
{
  SbSalesImportPage *self = user_data;
  SbSalesImportRow *row = item;

  if (self->only_pending && !row_pending (self, row))
    return FALSE;
  return self->search == NULL || strstr (sb_sales_import_row_get_search_text (row), self->search);
}

static void
update_state (SbSalesImportPage *self)
{
  const char *state;
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (self->loading && !self->loaded_once)
    state = "loading";
  else if (self->disabled)
    state = "disabled";
  else if (self->error_message != NULL)
    state = "error";
  else if (self->loading && n_rows == 0)
    state = "loading";
  else if (n_rows == 0)
    state = "empty";
  else if (n_shown == 0)
    state = "no-results";
  else
    state = "list";
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_widget_set_visible (GTK_WIDGET (self->toolbar),
                          !self->disabled && self->error_message == NULL && n_rows > 0);

  if (n_rows > 0 && !self->disabled && self->error_message == NULL)
    {
      g_autofree char *count = sb_gui_format_count (n_shown);
      g_autofree char *text = NULL;

      if (self->kind == SB_SALES_IMPORT_ORDERS)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders", n_shown),
                                count);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s quote", "%s quotes", n_shown),
                                count);
      gtk_label_set_text (self->count_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->count_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->count_label), FALSE);
}

static SbSalesImportRow *
get_single_selected (SbSalesImportPage *self)
{
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  if (gtk_bitset_get_size (selected) != 1)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_nth (selected, 0));
}

/* The selected rows the action applies to (owned SbSalesImportRow). */
static GPtrArray *
get_selected_qualifying (SbSalesImportPage *self)
{
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      SbSalesImportRow *row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (row_qualifies (self, row))
        g_ptr_array_add (rows, row);
      else
        g_object_unref (row);
    }
  return rows;
}

static void
update_actions (SbSalesImportPage *self)
{
  g_autoptr (GPtrArray) qualifying = get_selected_qualifying (self);
  g_autoptr (SbSalesImportRow) single = get_single_selected (self);
  gboolean ready = !self->disabled && self->error_message == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sales-import.create",
                                 ready && !self->running && qualifying->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sales-import.open-in-sales",
                                 single != NULL &&
                                     *sb_sales_import_row_get (single, "web_url") != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->loading || self->running);
  gtk_spinner_set_spinning (self->busy_spinner, self->loading || self->running);
}

static void
refilter (SbSalesImportPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
  update_actions (self);
}

/* Cells */

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  const Column *column = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), column->kind == COLUMN_AMOUNT ? 1.0 : 0.0);
  if (column->kind == COLUMN_AMOUNT)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static char *
format_amount (SbSalesImportRow *row)
{
  SbDecimal amount;
  const char *text = sb_sales_import_row_get (row, "total_amount");

  if (*text == '\0' || !sb_decimal_parse (text, &amount, NULL))
    return g_strdup (text);
  return sb_decimal_format_money (amount, sb_sales_import_row_get (row, "currency"), 2);
}

static char *
format_date (const char *value)
{
  /* Dataverse sends dates as "2026-12-31" or as a time "2026-12-31T00:00:00Z". */
  g_autofree char *date = g_strndup (value, 10);

  return sb_gui_format_date (date);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  const Column *column = user_data;
  SbSalesImportRow *row = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const char *value = sb_sales_import_row_get (row, column->member);
  g_autofree char *text = NULL;
  const char *tooltip = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  switch (column->kind)
    {
      case COLUMN_AMOUNT:
        text = format_amount (row);
        break;
      case COLUMN_DATE:
        text = format_date (value);
        break;
      case COLUMN_CUSTOMER:
        {
          const char *no = sb_sales_import_row_get (row, "customer_no");

          /* TRANSLATORS: a customer's name and, in brackets, its ERP customer no. */
          text = *no != '\0' ? g_strdup_printf (_ ("%s (%s)"), value, no) : g_strdup (value);
          if (*no == '\0')
            tooltip = _ ("Not coupled to an ERP customer");
        }
        break;
      case COLUMN_ERP:
        {
          const char *error = sb_sales_import_row_get_result_error (row);

          if (*value == '\0' && error != NULL)
            {
              text = g_strdup (_ ("Failed"));
              tooltip = error;
              gtk_widget_add_css_class (GTK_WIDGET (label), "error");
            }
          else if (column->also_member != NULL &&
                   *sb_sales_import_row_get (row, column->also_member) != '\0')
            /* TRANSLATORS: an ERP quote no. and the ERP order no. made from it */
            text = g_strdup_printf (_ ("%s · %s"), value,
                                    sb_sales_import_row_get (row, column->also_member));
          else
            text = g_strdup (value);
        }
        break;
      case COLUMN_TEXT:
      default:
        text = g_strdup (value);
        break;
    }
  if (*text == '\0')
    {
      g_free (text);
      text = g_strdup ("—");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip != NULL ? tooltip : text);
}

static void
add_columns (SbSalesImportPage *self)
{
  for (guint i = 0; i < self->info->n_columns; i++)
    {
      const Column *column = &self->info->columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *view_column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) column);
      view_column = gtk_column_view_column_new (_ (column->title), factory);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_column_set_expand (view_column, column->expand);
      gtk_column_view_column_set_fixed_width (view_column, column->width);
      gtk_column_view_append_column (self->column_view, view_column);
      g_object_unref (view_column);
    }
}

/* Messages */

static void
toast_full (SbSalesImportPage *self, const char *message, const char *button_label,
            const char *action_name, GVariant *target)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GVariant) owned_target = target != NULL ? g_variant_ref_sink (target) : NULL;

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      if (button_label != NULL)
        {
          adw_toast_set_button_label (toast, button_label);
          adw_toast_set_action_name (toast, action_name);
          adw_toast_set_action_target_value (toast, owned_target);
        }
      adw_toast_set_timeout (toast, 8);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
  else
    g_message ("%s", message);
}

static void
show_failures (SbSalesImportPage *self, GPtrArray *numbers, GPtrArray *errors, GPtrArray *fix_pages)
{
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->failures_list))) != NULL)
    gtk_list_box_remove (self->failures_list, child);
  g_ptr_array_set_size (self->failures, 0);
  for (guint i = 0; numbers != NULL && i < numbers->len; i++)
    {
      const char *error = g_ptr_array_index (errors, i);
      GtkWidget *row;

      if (error == NULL)
        continue;
      n++;
      g_ptr_array_add (self->failures,
                       g_strdup_printf ("%s: %s", (char *) g_ptr_array_index (numbers, i), error));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_ptr_array_index (numbers, i));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("dialog-error-symbolic"));
      if (g_ptr_array_index (fix_pages, i) != NULL)
        {
          /* Where the missing coupling is made: the book of what is not coupled. */
          const char *page = g_ptr_array_index (fix_pages, i);
          g_autofree char *name = g_strdup_printf ("fix-%s", page);
          GtkWidget *button = gtk_button_new_with_label (
              g_str_equal (page, "customers") ? _ ("Customers") : _ ("Items"));

          gtk_widget_set_name (button, name);
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-page");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", page);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
        }
      gtk_list_box_append (self->failures_list, row);
    }
  if (n > 0)
    {
      g_autofree char *title = NULL;

      if (self->kind == SB_SALES_IMPORT_ORDERS)
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order could not be created",
                                              "%u orders could not be created", n),
                                 n);
      else
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u quote could not be processed",
                                              "%u quotes could not be processed", n),
                                 n);
      gtk_label_set_text (self->failures_title, title);
    }
  gtk_revealer_set_reveal_child (self->failures_revealer, n > 0);
}

/* Loading */

typedef struct
{
  gboolean disabled;
  JsonNode *rows;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->rows, json_node_unref);
  g_free (loaded);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SbSalesImportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "sb-kind"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  Loaded *loaded;

  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  loaded = g_new0 (Loaded, 1);
  if (!setup->is_enabled)
    {
      loaded->disabled = TRUE;
      g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
      return;
    }
  engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine != NULL)
    loaded->rows = kind == SB_SALES_IMPORT_ORDERS
                       ? sb_sync_engine_list_sales_orders_sync (engine, SB_SALES_IMPORT_LIMIT,
                                                                cancellable, &error)
                       : sb_sync_engine_list_sales_quotes_sync (engine, SB_SALES_IMPORT_LIMIT,
                                                                cancellable, &error);
  if (loaded->rows == NULL || !JSON_NODE_HOLDS_ARRAY (loaded->rows))
    {
      loaded_free (loaded);
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _ ("Dynamics 365 Sales sent a list Salesbridge cannot read."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (source);
  g_autoptr (GError) error = NULL;
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GPtrArray) rows = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* a newer load, or the page is going away */
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  self->loaded_once = TRUE;
  self->loaded_at = g_get_monotonic_time ();
  g_clear_pointer (&self->error_message, g_free);
  self->disabled = FALSE;

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  if (loaded == NULL)
    {
      g_autofree char *description = NULL;

      self->error_message = g_strdup (error->message);
      /* TRANSLATORS: below what went wrong reading Dynamics 365 Sales */
      description = g_markup_printf_escaped (
          "%s\n\n%s", error->message,
          _ ("Check the network and the connection settings, then try again. Nothing was "
             "changed."));
      adw_status_page_set_description (self->error_page, description);
    }
  else if (loaded->disabled)
    self->disabled = TRUE;
  else
    {
      JsonArray *array = json_node_get_array (loaded->rows);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          SbSalesImportRow *row;
          Result *outcome;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          row = sb_sales_import_row_new (json_node_get_object (node));
          outcome = g_hash_table_lookup (self->results, sb_sales_import_row_get (row, "id"));
          if (outcome != NULL)
            sb_sales_import_row_set_result (row, outcome->no, outcome->error);
          g_ptr_array_add (rows, row);
        }
    }
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  g_clear_pointer (&loaded, loaded_free);
  update_state (self);
  update_actions (self);
}

void
sb_sales_import_page_reload (SbSalesImportPage *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_SALES_IMPORT_PAGE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, sb_sales_import_page_reload);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_object_set_data (G_OBJECT (task), "sb-kind", GINT_TO_POINTER (self->kind));
  g_task_run_in_thread (task, load_thread);
  update_state (self);
  update_actions (self);
}

/* The action */

typedef struct
{
  char *db_path;
  SbSalesImportKind kind;
  GPtrArray *ids;
  GPtrArray *numbers;
  GPtrArray *nos;           /* the ERP no. made, or NULL */
  GPtrArray *errors;        /* why not, or NULL */
  GArray *customer_coupled; /* gboolean: the row named the coupled ERP customer */
  GPtrArray *fix_pages;     /* static page names: where a missing coupling is made, or NULL */
  guint run_id;             /* in the activity */
} Action;

static void
action_free (Action *action)
{
  g_free (action->db_path);
  g_ptr_array_unref (action->ids);
  g_ptr_array_unref (action->numbers);
  g_ptr_array_unref (action->nos);
  g_ptr_array_unref (action->errors);
  g_array_unref (action->customer_coupled);
  g_ptr_array_unref (action->fix_pages);
  g_free (action);
}

static void
action_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Action *action = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (action->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < action->ids->len; i++)
    {
      g_autoptr (GError) document_error = NULL;
      const char *id = g_ptr_array_index (action->ids, i);
      char *no;

      if (g_cancellable_set_error_if_cancelled (cancellable, &document_error))
        no = NULL;
      else if (action->kind == SB_SALES_IMPORT_ORDERS)
        no = sb_sync_engine_create_sales_order_sync (engine, id, cancellable, &document_error);
      else
        no = sb_sync_engine_process_sales_quote_sync (engine, id, cancellable, &document_error);
      action->nos->pdata[i] = no;
      if (no == NULL)
        {
          action->errors->pdata[i] = g_strdup (document_error->message);
          /* Not coupled: the customer when the row had none, else a product. */
          if (g_error_matches (document_error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED))
            action->fix_pages->pdata[i] =
                (gpointer) (g_array_index (action->customer_coupled, gboolean, i) ? "items"
                                                                                  : "customers");
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
reload_erp_book (SbSalesImportPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *book;

  if (!SB_IS_WINDOW (root))
    return;
  /* A won quote can make an order too. */
  book = sb_window_get_page (SB_WINDOW (root), "orders");
  if (SB_IS_RECORD_LIST_PAGE (book))
    sb_record_list_page_reload (SB_RECORD_LIST_PAGE (book));
  book = sb_window_get_page (SB_WINDOW (root), "quotes");
  if (SB_IS_RECORD_LIST_PAGE (book))
    sb_record_list_page_reload (SB_RECORD_LIST_PAGE (book));
}

static void
report_action (SbSalesImportPage *self, Action *action)
{
  guint n_done = 0, n_failed = 0;
  const char *last_no = NULL;
  const char *first_error = NULL;
  g_autofree char *message = NULL;
  const char *erp_page = self->info->erp_type == SB_SALES_DOC_ORDER ? "orders" : "quotes";

  for (guint i = 0; i < action->ids->len; i++)
    {
      const char *no = g_ptr_array_index (action->nos, i);
      const char *error = g_ptr_array_index (action->errors, i);

      g_hash_table_replace (
          self->results, g_strdup (g_ptr_array_index (action->ids, i)),
          g_memdup2 (&(Result){ g_strdup (no), g_strdup (error) }, sizeof (Result)));
      if (no != NULL)
        {
          n_done++;
          last_no = no;
        }
      else
        {
          n_failed++;
          if (first_error == NULL)
            first_error = error;
        }
    }
  show_failures (self, action->numbers, action->errors, action->fix_pages);

  if (n_failed == 0 && n_done == 1)
    {
      if (self->kind == SB_SALES_IMPORT_ORDERS)
        /* TRANSLATORS: %s is the new ERP sales order no. */
        message = g_strdup_printf (_ ("Sales order %s created in the ERP"), last_no);
      else
        /* TRANSLATORS: %s is the ERP sales quote no. */
        message = g_strdup_printf (_ ("Sales quote %s processed in the ERP"), last_no);
      toast_full (self, message, _ ("_Open"), "win.open-sales-document",
                  g_variant_new ("(is)", (gint32) self->info->erp_type, last_no));
    }
  else if (n_failed == 0)
    {
      if (self->kind == SB_SALES_IMPORT_ORDERS)
        message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sales order created in the ERP",
                                          "%u sales orders created in the ERP", n_done),
                             n_done);
      else
        message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sales quote processed in the ERP",
                                          "%u sales quotes processed in the ERP", n_done),
                             n_done);
      toast_full (self, message, _ ("_Show"), "win.show-page", g_variant_new_string (erp_page));
    }
  else if (n_done == 0 && n_failed == 1)
    toast_full (self, first_error, NULL, NULL, NULL);
  else
    {
      /* TRANSLATORS: after Create/Process in ERP on several documents; the list of failures is
       * shown above the documents */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u failed; see why above",
                                              "%u of %u failed; see why above", n_done + n_failed),
                                 n_failed, n_done + n_failed);
      toast_full (self, message, NULL, NULL, NULL);
    }
}

/* Ends @action's run in the header bar's activity: the first document that could not be made
 * is the run's error; a cancelled run (the page went away) reports nothing. */
static void
end_activity (SbSalesImportPage *self, Action *action, const GError *error)
{
  const char *first_error = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sb_sync_activity_abandon (self->activity, action->run_id);
      return;
    }
  for (guint i = 0; error == NULL && first_error == NULL && i < action->errors->len; i++)
    first_error = g_ptr_array_index (action->errors, i);
  if (first_error != NULL)
    {
      g_autoptr (GError) failed =
          g_error_new_literal (SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, first_error);

      sb_sync_activity_end (self->activity, action->run_id, failed);
    }
  else
    sb_sync_activity_end (self->activity, action->run_id, error);
}

static void
action_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (source);
  Action *action = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  gboolean ok;

  self->running = FALSE;
  ok = g_task_propagate_boolean (G_TASK (result), &error);
  end_activity (self, action, ok ? NULL : error);
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return; /* the page is going away */
      toast_full (self, error->message, _ ("_Connection Settings"), "win.show-page",
                  g_variant_new_string ("connection"));
    }
  else
    report_action (self, action);
  update_actions (self);
  /* What was made shows on both sides: the list's ERP numbers and the ERP book. */
  sb_sales_import_page_reload (self);
  reload_erp_book (self);
}

void
sb_sales_import_page_run_action (SbSalesImportPage *self)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GTask) task = NULL;
  Action *action;

  g_return_if_fail (SB_IS_SALES_IMPORT_PAGE (self));

  rows = get_selected_qualifying (self);
  if (self->running || rows->len == 0)
    return;
  action = g_new0 (Action, 1);
  action->db_path = g_strdup (self->db_path);
  action->kind = self->kind;
  action->ids = g_ptr_array_new_with_free_func (g_free);
  action->numbers = g_ptr_array_new_with_free_func (g_free);
  action->nos = g_ptr_array_new_with_free_func (g_free);
  action->errors = g_ptr_array_new_with_free_func (g_free);
  action->customer_coupled = g_array_new (FALSE, TRUE, sizeof (gboolean));
  action->fix_pages = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      SbSalesImportRow *row = g_ptr_array_index (rows, i);
      gboolean coupled = *sb_sales_import_row_get (row, "customer_no") != '\0';

      g_ptr_array_add (action->ids, g_strdup (sb_sales_import_row_get (row, "id")));
      g_array_append_val (action->customer_coupled, coupled);
      g_ptr_array_add (action->numbers,
                       g_strdup (sb_sales_import_row_get (row, self->info->number_member)));
    }
  g_ptr_array_set_size (action->nos, rows->len);
  g_ptr_array_set_size (action->errors, rows->len);
  g_ptr_array_set_size (action->fix_pages, rows->len);

  self->running = TRUE;
  update_actions (self);
  action->run_id = sb_sync_activity_begin (self->activity, _ (self->info->activity_title));
  task = g_task_new (self, self->dispose_cancellable, action_done, NULL);
  g_task_set_source_tag (task, sb_sales_import_page_run_action);
  g_task_set_task_data (task, action, (GDestroyNotify) action_free);
  g_task_run_in_thread (task, action_thread);
}

static void
on_column_view_activate (SbSalesImportPage *self, guint position)
{
  g_autoptr (SbSalesImportRow) row =
      g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *no;

  if (row == NULL)
    return;
  no = sb_sales_import_row_get (row, self->info->erp_member);
  if (*no != '\0')
    sb_erp_document_show (GTK_WIDGET (root), self->info->erp_type, no);
  else if (self->kind == SB_SALES_IMPORT_QUOTES &&
           *(no = sb_sales_import_row_get (row, "erp_order_no")) != '\0')
    sb_erp_document_show (GTK_WIDGET (root), SB_SALES_DOC_ORDER, no);
}

/* Search and filter */

static void
on_search_changed (SbSalesImportPage *self, GtkSearchEntry *entry)
{
  if (self->setting_text)
    return;
  sb_sales_import_page_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_filter_changed (SbSalesImportPage *self)
{
  gboolean only_pending = gtk_drop_down_get_selected (self->filter_dropdown) == 1;

  if (only_pending != self->only_pending)
    {
      self->only_pending = only_pending;
      refilter (self);
    }
}

/* Public */

gboolean
sb_sales_import_page_is_busy (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), FALSE);
  return self->loading || self->running;
}

const char *
sb_sales_import_page_get_state (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sb_sales_import_page_get_error (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);
  return self->error_message;
}

GListModel *
sb_sales_import_page_get_model (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

GtkSelectionModel *
sb_sales_import_page_get_selection (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

void
sb_sales_import_page_set_search_text (SbSalesImportPage *self, const char *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (SB_IS_SALES_IMPORT_PAGE (self));

  if (text != NULL)
    folded = g_strstrip (g_utf8_casefold (text, -1));
  if (folded != NULL && *folded == '\0')
    g_clear_pointer (&folded, g_free);
  if (g_strcmp0 (folded, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  /* Setting the entry's text passes through an empty one, which it reports at once. */
  self->setting_text = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 text != NULL ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  self->setting_text = FALSE;
  refilter (self);
}

void
sb_sales_import_page_set_only_pending (SbSalesImportPage *self, gboolean only_pending)
{
  g_return_if_fail (SB_IS_SALES_IMPORT_PAGE (self));
  gtk_drop_down_set_selected (self->filter_dropdown, only_pending ? 1 : 0);
}

gboolean
sb_sales_import_page_select_number (SbSalesImportPage *self, const char *number)
{
  GListModel *model;

  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), FALSE);

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbSalesImportRow) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (sb_sales_import_row_get (row, self->info->number_member), number) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          return TRUE;
        }
    }
  return FALSE;
}

const char *
sb_sales_import_page_get_last_message (SbSalesImportPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);
  return self->last_message;
}

GStrv
sb_sales_import_page_dup_failures (SbSalesImportPage *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SB_IS_SALES_IMPORT_PAGE (self), NULL);

  for (guint i = 0; i < self->failures->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->failures, i));
  return g_strv_builder_end (builder);
}

/* Actions */

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sales_import_page_run_action (SB_SALES_IMPORT_PAGE (widget));
}

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sales_import_page_reload (SB_SALES_IMPORT_PAGE (widget));
}

/* The no-results page's way back to every document: no search, no filter. */
static void
show_all_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (widget);

  sb_sales_import_page_set_search_text (self, NULL);
  sb_sales_import_page_set_only_pending (self, FALSE);
}

static void
dismiss_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_revealer_set_reveal_child (SB_SALES_IMPORT_PAGE (widget)->failures_revealer, FALSE);
}

static void
open_in_sales_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (widget);
  g_autoptr (SbSalesImportRow) row = get_single_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (row != NULL && *sb_sales_import_row_get (row, "web_url") != '\0')
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                  sb_sales_import_row_get (row, "web_url"), GDK_CURRENT_TIME);
}

/* GObject */

static void
on_selection_changed (SbSalesImportPage *self)
{
  update_actions (self);
}

static void
sb_sales_import_page_map (GtkWidget *widget)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (widget);

  GTK_WIDGET_CLASS (sb_sales_import_page_parent_class)->map (widget);
  /* The toasts' Open button. */
  sb_erp_document_add_window_action (GTK_WIDGET (gtk_widget_get_root (widget)));
  /* Every read asks Dynamics 365 Sales: coming back within a minute shows what was read,
   * later the page reads again (Refresh reads at any time). */
  if (!self->loading &&
      (!self->loaded_once || g_get_monotonic_time () - self->loaded_at > 60 * G_USEC_PER_SEC))
    sb_sales_import_page_reload (self);
}

static void
sb_sales_import_page_dispose (GObject *object)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->dispose_cancellable);
  G_OBJECT_CLASS (sb_sales_import_page_parent_class)->dispose (object);
}

static void
sb_sales_import_page_finalize (GObject *object)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->dispose_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->rows);
  g_clear_object (&self->filtered);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_object (&self->activity);
  g_free (self->db_path);
  g_free (self->error_message);
  g_free (self->last_message);
  g_free (self->search);
  G_OBJECT_CLASS (sb_sales_import_page_parent_class)->finalize (object);
}

static void
sb_sales_import_page_folded_changed (SbPage *page)
{
  SbSalesImportPage *self = SB_SALES_IMPORT_PAGE (page);
  gboolean folded = sb_page_get_folded (page);

  /* Narrow, the commands move from the header bar to the bottom bar. */
  gtk_widget_set_visible (self->create_button, !folded);
  gtk_widget_set_visible (self->open_button, !folded);
  gtk_action_bar_set_revealed (self->bottom_bar, folded);
  /* A narrow window stacks the search above the filter. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->toolbar),
                                  folded ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
}

static void
sb_sales_import_page_class_init (SbSalesImportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sales_import_page_dispose;
  object_class->finalize = sb_sales_import_page_finalize;
  SB_PAGE_CLASS (klass)->folded_changed = sb_sales_import_page_folded_changed;
  widget_class->map = sb_sales_import_page_map;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-sales-import-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, bottom_bar);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, bottom_create_button);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, failures_revealer);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, failures_title);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, failures_list);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SbSalesImportPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
  gtk_widget_class_install_action (widget_class, "sales-import.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "sales-import.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "sales-import.show-all", NULL, show_all_action);
  gtk_widget_class_install_action (widget_class, "sales-import.dismiss", NULL, dismiss_action);
  gtk_widget_class_install_action (widget_class, "sales-import.open-in-sales", NULL,
                                   open_in_sales_action);
}

static void
sb_sales_import_page_init (SbSalesImportPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->dispose_cancellable = g_cancellable_new ();
  self->results =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) result_free);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_list_store_new (SB_TYPE_SALES_IMPORT_ROW);
}

GtkWidget *
sb_sales_import_page_new (SbSalesImportKind kind, SbStore *store)
{
  SbSalesImportPage *self;
  g_autoptr (GtkStringList) filters = NULL;

  g_return_val_if_fail (kind == SB_SALES_IMPORT_ORDERS || kind == SB_SALES_IMPORT_QUOTES, NULL);
  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_SALES_IMPORT_PAGE, NULL);
  self->kind = kind;
  self->info = &kinds[kind];
  self->store = g_object_ref (store);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = sb_sync_activity_get_for_database (self->db_path);

  adw_window_title_set_title (self->window_title, _ (self->info->title));
  gtk_button_set_label (GTK_BUTTON (self->create_button), _ (self->info->action_label));
  gtk_button_set_label (GTK_BUTTON (self->bottom_create_button), _ (self->info->action_label));
  gtk_widget_set_tooltip_text (self->create_button, _ (self->info->action_tooltip));
  adw_status_page_set_title (self->empty_page, _ (self->info->empty_title));
  adw_status_page_set_description (self->empty_page, _ (self->info->empty_description));

  filters = gtk_string_list_new (NULL);
  gtk_string_list_append (filters, _ ("All"));
  gtk_string_list_append (filters, _ (self->info->pending_label));
  gtk_drop_down_set_model (self->filter_dropdown, G_LIST_MODEL (filters));

  self->filter = gtk_custom_filter_new (filter_row, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                              GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (on_selection_changed),
                            self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (on_selection_changed),
                            self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  add_columns (self);
  update_state (self);
  update_actions (self);
  return GTK_WIDGET (self);
}
