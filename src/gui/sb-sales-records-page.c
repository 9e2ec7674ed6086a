/* sb-sales-records-page.c
 *
 * Reading: a worker opens the company database read-only, collects the Dataverse ids the
 * mapping has coupled, opens the engine's connection (the keyring blocks) and reads the table
 * with the mapping's filter and the search as $filter, ordered by name, in pages of
 * PAGE_SIZE rows, keeping the rows not coupled until it has one more than asked for (then
 * "Show More" asks for SHOW_STEP more). Each read replaces the list whole, so a result that
 * arrives late for an older search is dropped by its serial.
 *
 * Actions run as one GTask each with a store and an engine of their own, record by record, so
 * one failing record does not stop the others; results come back as toasts and a new read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-coupling-dialogs.h"
#include "sb-dataverse-error.h"
#include "sb-dataverse-tables.h"
#include "sb-gui-format.h"
#include "sb-sales-records-page.h"
#include "sb-sync-activity.h"
#include "sb-sync-error.h"
#include "sb-window.h"

#define PAGE_SIZE 250
#define SHOW_STEP 200

/* The Sales tables the page offers, each through the mapping that couples it. */
typedef struct
{
  const char *mapping;
  const char *label;         /* N_() marked */
  const char *title_attr;    /* what a row is called */
  const char *subtitle_attr; /* its number or address */
  const char *create_label;  /* N_() marked, with a mnemonic */
  const char *empty;         /* N_() marked */
} SalesTable;

static const SalesTable tables[] = {
  { "CUSTOMER", N_ ("Accounts"), "name", "accountnumber", N_ ("_Create Customer in ERP"),
    N_ ("Every customer account in Dynamics 365 Sales is coupled with a customer.") },
  { "CONTACT", N_ ("Contacts"), "fullname", "emailaddress1", N_ ("_Create Contact in ERP"),
    N_ ("Every contact of a customer account in Dynamics 365 Sales is coupled with a "
        "contact.") },
  { "ITEM-PRODUCT", N_ ("Products (Items)"), "name", "productnumber", N_ ("_Create Item in ERP"),
    N_ ("Every sales inventory product in Dynamics 365 Sales is coupled with an item.") },
  { "RESOURCE-PRODUCT", N_ ("Products (Services)"), "name", "productnumber",
    N_ ("_Create Resource in ERP"),
    N_ ("Every service product in Dynamics 365 Sales is coupled with a resource.") },
};

struct _SbSalesRecordsPage
{
  SbPage parent_instance;

  SbStore *store;
  char *db_path;
  SbSyncActivity *activity; /* the header bar's picture of the database's synchronization */
  guint table;
  guint limit;
  gboolean loaded_once;
  gboolean loading;
  gboolean has_more;
  guint load_serial;
  guint n_running;
  guint n_rows;
  const char *state;
  char *last_message;
  GCancellable *load_cancellable;
  GCancellable *cancellable; /* the page's life: actions */

  AdwWindowTitle *window_title;
  GtkSpinner *busy_spinner;
  GtkDropDown *table_drop_down;
  GtkSearchEntry *search_entry;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkListBox *list;
  GtkLabel *more_label;
  GtkButton *more_button;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkButton *settings_button;
  GtkButton *create_button;
};

G_DEFINE_FINAL_TYPE (SbSalesRecordsPage, sb_sales_records_page, SB_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Reading */

typedef struct
{
  char *id;
  char *title;
  char *subtitle;
} SalesRow;

static void
sales_row_free (SalesRow *row)
{
  g_free (row->id);
  g_free (row->title);
  g_free (row->subtitle);
  g_free (row);
}

typedef struct
{
  char *db_path;
  const SalesTable *table;
  char *search;
  guint limit;
  char *key_attr;
  GHashTable *coupled;
  GPtrArray *rows;
  gboolean has_more;
} LoadJob;

static void
load_job_free (LoadJob *job)
{
  g_free (job->db_path);
  g_free (job->search);
  g_free (job->key_attr);
  g_clear_pointer (&job->coupled, g_hash_table_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_free (job);
}

static const char *
member_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gboolean
collect_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  LoadJob *job = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *object = json_array_get_object_element (page->rows, i);
      const char *id = member_text (object, job->key_attr);
      SalesRow *row;

      if (*id == '\0' || g_hash_table_contains (job->coupled, id))
        continue;
      /* One more than asked for says there are more, and ends the read. */
      if (job->rows->len == job->limit)
        {
          job->has_more = TRUE;
          return FALSE;
        }
      row = g_new0 (SalesRow, 1);
      row->id = g_strdup (id);
      row->title = g_strdup (member_text (object, job->table->title_attr));
      row->subtitle = g_strdup (member_text (object, job->table->subtitle_attr));
      g_ptr_array_add (job->rows, row);
    }
  return TRUE;
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  LoadJob *job = task_data;
  g_autoptr (GError) error = NULL;
  /* Read-write: a new company's first read writes the default mappings. */
  g_autoptr (SbStore) store = sb_store_open (job->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncMapping) mapping = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbDataverseQuery) query = NULL;
  SbDataverseFilter *filter = NULL;

  if (store != NULL)
    mapping = sb_sync_mapping_load (store, job->table->mapping, &error);
  if (mapping != NULL)
    job->coupled = sb_coupling_read_coupled (store, job->table->mapping, FALSE, &error);
  if (job->coupled != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job->key_attr = g_strdup (sb_dataverse_primary_key (mapping->entity_set));
  if (job->key_attr == NULL ||
      !sb_sync_parse_dataverse_filter (mapping->dataverse_filter, &filter, &error))
    {
      if (error == NULL)
        error = g_error_new (SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                             _ ("Records of %s cannot be listed"), mapping->entity_set);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Only the rows the mapping synchronizes, searched by Dataverse (case-insensitively). */
  if (job->search != NULL && *job->search != '\0')
    {
      SbDataverseFilter *search = sb_dataverse_filter_or (
          sb_dataverse_filter_contains (job->table->title_attr, job->search),
          sb_dataverse_filter_contains (job->table->subtitle_attr, job->search), NULL);

      filter = filter != NULL ? sb_dataverse_filter_and (filter, search, NULL) : search;
    }
  query = sb_dataverse_query_new (mapping->entity_set);
  sb_dataverse_query_set_filter (query, filter);
  sb_dataverse_query_select (query, job->key_attr, job->table->title_attr,
                             job->table->subtitle_attr, NULL);
  sb_dataverse_query_order_by (query, job->table->title_attr, FALSE);
  sb_dataverse_query_set_page_size (query, PAGE_SIZE);
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (engine), query,
                                           collect_page, job, NULL, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void update_actions (SbSalesRecordsPage *self);

static void
set_state (SbSalesRecordsPage *self, const char *state)
{
  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
}

static void
set_last_message (SbSalesRecordsPage *self, const char *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
}

/* The error page says what happened and what to do about it. */
static void
show_error (SbSalesRecordsPage *self, const GError *error)
{
  const char *title = _ ("Could Not Read from Dynamics 365 Sales");
  const char *hint = NULL;
  gboolean settings = FALSE;
  g_autofree char *description = NULL;
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  if (g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_DISABLED) ||
      g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED))
    {
      set_last_message (self, error->message);
      set_state (self, "disabled");
      return;
    }
  if (g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NETWORK) ||
      g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_TLS))
    {
      title = _ ("Could Not Reach Dynamics 365 Sales");
      hint = _ ("Check the network connection and the Dynamics 365 Sales address, then try "
                "again.");
      settings = TRUE;
    }
  else if (g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_UNAUTHORIZED) ||
           g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_AUTH) ||
           g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_KEYRING))
    {
      title = _ ("Dynamics 365 Sales Refused the Sign-In");
      hint = _ ("Check the tenant, client ID and client secret in the Dynamics 365 Sales "
                "settings: the secret may have expired.");
      settings = TRUE;
    }
  else if (g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_FORBIDDEN))
    {
      title = _ ("Dynamics 365 Sales Refused Access");
      hint = _ ("The integration user needs a security role that can read this table.");
    }
  else if (g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_THROTTLED) ||
           g_error_matches (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_SERVER))
    {
      title = _ ("Dynamics 365 Sales Is Busy");
      hint = _ ("Wait a minute, then try again.");
    }
  description = hint != NULL ? g_strdup_printf ("%s\n\n%s", escaped, hint) : g_strdup (escaped);
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_button), settings);
  set_last_message (self, error->message);
  set_state (self, "error");
}

static GtkWidget *
row_new (const SalesRow *row)
{
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *name = g_strdup_printf ("sales-record-%s", row->id);

  gtk_widget_set_name (widget, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget),
                                 *row->title != '\0' ? row->title : row->id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), row->subtitle);
  g_object_set_data_full (G_OBJECT (widget), "sb-dataverse-id", g_strdup (row->id), g_free);
  g_object_set_data_full (G_OBJECT (widget), "sb-title",
                          g_strdup (*row->title != '\0' ? row->title : row->id), g_free);
  return widget;
}

static void
update_subtitle (SbSalesRecordsPage *self)
{
  g_autofree char *count = sb_gui_format_count (self->n_rows);
  g_autofree char *subtitle = NULL;

  if (!g_str_equal (self->state, "list") && !g_str_equal (self->state, "no-results") &&
      !g_str_equal (self->state, "empty"))
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }
  if (self->has_more)
    /* TRANSLATORS: the subtitle of Sales Records Not Coupled when more exist than are shown */
    subtitle = g_strdup_printf (_ ("First %s records"), count);
  else
    subtitle = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s record", "%s records", self->n_rows), count);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (source);
  LoadJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  if (GPOINTER_TO_UINT (user_data) != self->load_serial)
    return; /* a newer read replaced it */
  self->loading = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      update_subtitle (self);
      update_actions (self);
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < job->rows->len; i++)
    gtk_list_box_append (self->list, row_new (g_ptr_array_index (job->rows, i)));
  self->n_rows = job->rows->len;
  self->has_more = job->has_more;
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), job->has_more);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), job->has_more);
  if (job->rows->len > 0)
    set_state (self, "list");
  else if (job->search != NULL && *job->search != '\0')
    set_state (self, "no-results");
  else
    set_state (self, "empty");
  update_subtitle (self);
  update_actions (self);
}

static void
load (SbSalesRecordsPage *self)
{
  g_autoptr (GTask) task = NULL;
  LoadJob *job;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loaded_once = TRUE;
  self->loading = TRUE;
  set_state (self, "loading");
  update_subtitle (self);
  update_actions (self);

  job = g_new0 (LoadJob, 1);
  job->db_path = g_strdup (self->db_path);
  job->table = &tables[self->table];
  job->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  job->limit = self->limit;
  job->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sales_row_free);
  task =
      g_task_new (self, self->load_cancellable, load_done, GUINT_TO_POINTER (++self->load_serial));
  g_task_set_task_data (task, job, (GDestroyNotify) load_job_free);
  g_task_run_in_thread (task, load_thread);
}

void
sb_sales_records_page_reload (SbSalesRecordsPage *self)
{
  g_return_if_fail (SB_IS_SALES_RECORDS_PAGE (self));

  self->limit = SHOW_STEP;
  load (self);
}

/* Actions */

typedef enum
{
  OP_CREATE,
  OP_COUPLE,
} OpKind;

typedef struct
{
  OpKind kind;
  char *db_path;
  const char *mapping;
  GPtrArray *ids;
  char *erp_key; /* OP_COUPLE */
  guint n_done;
  guint n_failed;
  char *first_error;
  guint run_id; /* in the activity */
} Op;

static void
op_free (Op *op)
{
  g_free (op->db_path);
  g_clear_pointer (&op->ids, g_ptr_array_unref);
  g_free (op->erp_key);
  g_free (op->first_error);
  g_free (op);
}

static void
op_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (op->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < op->ids->len; i++)
    {
      g_autoptr (GError) record_error = NULL;
      g_autofree char *key = NULL;
      gboolean ok;

      if (op->kind == OP_CREATE)
        ok = (key = sb_sync_engine_create_in_erp_sync (engine, op->mapping, op->ids->pdata[i],
                                                       cancellable, &record_error)) != NULL;
      else
        ok = sb_sync_engine_couple_sync (engine, op->mapping, op->erp_key, op->ids->pdata[i],
                                         cancellable, &record_error);
      if (ok)
        op->n_done++;
      else
        {
          op->n_failed++;
          if (op->first_error == NULL)
            op->first_error = g_strdup (record_error->message);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
toast (SbSalesRecordsPage *self, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  set_last_message (self, message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 6);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
  else
    g_message ("%s", message);
}

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (source);
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autofree char *message = NULL;

  self->n_running--;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->n_running > 0);
  gtk_spinner_set_spinning (self->busy_spinner, self->n_running > 0);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          sb_sync_activity_abandon (self->activity, op->run_id);
          return;
        }
      sb_sync_activity_end (self->activity, op->run_id, error);
      toast (self, error->message);
      update_actions (self);
      return;
    }
  message = sb_coupling_describe_failures (op->n_done, op->n_failed, op->first_error);
  if (message != NULL)
    {
      g_autoptr (GError) failed =
          g_error_new_literal (SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, message);

      sb_sync_activity_end (self->activity, op->run_id, failed);
    }
  else
    sb_sync_activity_end (self->activity, op->run_id, NULL);
  if (message == NULL && op->kind == OP_COUPLE)
    message = g_strdup (_ ("Record coupled"));
  else if (message == NULL)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record created in the ERP",
                                            "%u records created in the ERP", op->n_done),
                               op->n_done);
  toast (self, message);
  /* Coupled rows leave the list. */
  sb_sales_records_page_reload (self);
}

static void
op_run (SbSalesRecordsPage *self, Op *op)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, op_done, NULL);

  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  /* The header bar's indicator shows it as it does every synchronization. */
  op->run_id = sb_sync_activity_begin (self->activity, op->kind == OP_COUPLE
                                                           ? _ ("Coupling records")
                                                           : _ ("Creating records in the ERP"));
  self->n_running++;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), TRUE);
  gtk_spinner_set_spinning (self->busy_spinner, TRUE);
  update_actions (self);
  g_task_run_in_thread (task, op_thread);
}

static Op *
op_new (SbSalesRecordsPage *self, OpKind kind)
{
  Op *op = g_new0 (Op, 1);
  g_autoptr (GList) rows = gtk_list_box_get_selected_rows (self->list);

  op->kind = kind;
  op->db_path = g_strdup (self->db_path);
  op->mapping = tables[self->table].mapping;
  op->ids = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = rows; l != NULL; l = l->next)
    g_ptr_array_add (op->ids, g_strdup (g_object_get_data (l->data, "sb-dataverse-id")));
  return op;
}

static void
update_actions (SbSalesRecordsPage *self)
{
  g_autoptr (GList) rows = gtk_list_box_get_selected_rows (self->list);
  guint n_selected = g_list_length (rows);
  gboolean idle = self->n_running == 0 && g_str_equal (self->state, "list");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sales-records.create", idle && n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sales-records.couple",
                                 idle && n_selected == 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sales-records.more", idle && self->has_more);
}

static void
create_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (widget);
  Op *op = op_new (self, OP_CREATE);

  if (op->ids->len == 0)
    {
      op_free (op);
      return;
    }
  op_run (self, op);
}

typedef struct
{
  SbSalesRecordsPage *self; /* a reference */
  char *dataverse_id;
} CoupleRequest;

static void
couple_request_free (gpointer data)
{
  CoupleRequest *request = data;

  g_object_unref (request->self);
  g_free (request->dataverse_id);
  g_free (request);
}

static void
on_erp_picked (const char *erp_key, gpointer user_data)
{
  CoupleRequest *request = user_data;
  Op *op = g_new0 (Op, 1);

  op->kind = OP_COUPLE;
  op->db_path = g_strdup (request->self->db_path);
  op->mapping = tables[request->self->table].mapping;
  op->ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (op->ids, g_strdup (request->dataverse_id));
  op->erp_key = g_strdup (erp_key);
  op_run (request->self, op);
  couple_request_free (request);
}

static void
couple_row (SbSalesRecordsPage *self, GtkListBoxRow *row)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CoupleRequest *request = g_new0 (CoupleRequest, 1);

  request->self = g_object_ref (self);
  request->dataverse_id = g_strdup (g_object_get_data (G_OBJECT (row), "sb-dataverse-id"));
  sb_coupling_show_erp_picker (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->db_path, tables[self->table].mapping,
      g_object_get_data (G_OBJECT (row), "sb-title"), on_erp_picked, request, couple_request_free);
}

static void
couple_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (widget);
  g_autoptr (GList) rows = gtk_list_box_get_selected_rows (self->list);

  if (rows != NULL && rows->next == NULL)
    couple_row (self, rows->data);
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_sales_records_page_reload (SB_SALES_RECORDS_PAGE (widget));
}

static void
more_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (widget);

  self->limit += SHOW_STEP;
  load (self);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (SB_SALES_RECORDS_PAGE (widget)->search_entry));
}

/* Signals */

static void
on_search_changed (SbSalesRecordsPage *self)
{
  if (self->loaded_once)
    sb_sales_records_page_reload (self);
}

static void
on_selection_changed (SbSalesRecordsPage *self)
{
  update_actions (self);
}

static void
on_row_activated (SbSalesRecordsPage *self, GtkListBoxRow *row)
{
  /* Enter or a double click couples the row, the action that asks before it changes
   * anything. */
  if (self->n_running == 0)
    {
      gtk_list_box_unselect_all (self->list);
      gtk_list_box_select_row (self->list, row);
      couple_row (self, row);
    }
}

static void
on_table_selected (SbSalesRecordsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->table_drop_down);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= G_N_ELEMENTS (tables))
    return;
  self->table = selected;
  gtk_button_set_label (self->create_button, _ (tables[selected].create_label));
  adw_status_page_set_description (self->empty_page, _ (tables[selected].empty));
  if (self->loaded_once)
    sb_sales_records_page_reload (self);
}

/* Public */

gboolean
sb_sales_records_page_set_mapping (SbSalesRecordsPage *self, const char *mapping)
{
  g_return_val_if_fail (SB_IS_SALES_RECORDS_PAGE (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].mapping, mapping) == 0)
      {
        gtk_drop_down_set_selected (self->table_drop_down, i);
        return TRUE;
      }
  return FALSE;
}

const char *
sb_sales_records_page_get_mapping (SbSalesRecordsPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_RECORDS_PAGE (self), NULL);
  return tables[self->table].mapping;
}

void
sb_sales_records_page_set_search_text (SbSalesRecordsPage *self, const char *text)
{
  g_return_if_fail (SB_IS_SALES_RECORDS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* Now, not after the entry's typing delay. */
  sb_sales_records_page_reload (self);
}

gboolean
sb_sales_records_page_is_busy (SbSalesRecordsPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_RECORDS_PAGE (self), FALSE);
  return self->loading || self->n_running > 0 || !self->loaded_once;
}

const char *
sb_sales_records_page_get_state (SbSalesRecordsPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_RECORDS_PAGE (self), NULL);
  return self->state;
}

const char *
sb_sales_records_page_get_last_message (SbSalesRecordsPage *self)
{
  g_return_val_if_fail (SB_IS_SALES_RECORDS_PAGE (self), NULL);
  return self->last_message;
}

GtkWidget *
sb_sales_records_page_new (SbStore *store)
{
  g_return_val_if_fail (SB_IS_STORE (store), NULL);
  return g_object_new (SB_TYPE_SALES_RECORDS_PAGE, "store", store, NULL);
}

/* GObject */

static void
sb_sales_records_page_map (GtkWidget *widget)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (widget);

  GTK_WIDGET_CLASS (sb_sales_records_page_parent_class)->map (widget);
  /* Coming back shows what was coupled elsewhere meanwhile. */
  if (self->n_running == 0)
    sb_sales_records_page_reload (self);
}

static void
sb_sales_records_page_dispose (GObject *object)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SALES_RECORDS_PAGE);
  G_OBJECT_CLASS (sb_sales_records_page_parent_class)->dispose (object);
}

static void
sb_sales_records_page_finalize (GObject *object)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->activity);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_sales_records_page_parent_class)->finalize (object);
}

static void
sb_sales_records_page_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sales_records_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  SbSalesRecordsPage *self = SB_SALES_RECORDS_PAGE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        self->db_path = g_strdup (sb_store_get_path (self->store));
        self->activity = sb_sync_activity_get_for_database (self->db_path);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sales_records_page_class_init (SbSalesRecordsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_sales_records_page_dispose;
  object_class->finalize = sb_sales_records_page_finalize;
  object_class->get_property = sb_sales_records_page_get_property;
  object_class->set_property = sb_sales_records_page_set_property;
  widget_class->map = sb_sales_records_page_map;

  props[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, SB_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-sales-records-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, table_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, more_label);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, SbSalesRecordsPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "sales-records.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "sales-records.couple", NULL, couple_action);
  gtk_widget_class_install_action (widget_class, "sales-records.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "sales-records.more", NULL, more_action);
  gtk_widget_class_install_action (widget_class, "sales-records.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "sales-records.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "sales-records.couple", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "sales-records.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "sales-records.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "sales-records.search", NULL);
}

static void
sb_sales_records_page_init (SbSalesRecordsPage *self)
{
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->limit = SHOW_STEP;
  self->state = "loading";

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    gtk_string_list_append (labels, _ (tables[i].label));
  gtk_drop_down_set_model (self->table_drop_down, G_LIST_MODEL (labels));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table_drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Dynamics 365 Sales Table"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Sales Records Not Coupled"), -1);
  gtk_list_box_set_activate_on_single_click (self->list, FALSE);
  g_signal_connect_swapped (self->table_drop_down, "notify::selected",
                            G_CALLBACK (on_table_selected), self);
  on_table_selected (self);
  update_actions (self);
}
