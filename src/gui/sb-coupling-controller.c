/* sb-coupling-controller.c
 *
 * Statuses are read into a hash table (ERP key → SbCouplingStatus) by a worker on a
 * store of its own; each new table replaces the old one whole, so the list page's sorting
 * worker can filter on a table that never changes under it.
 *
 * Actions run as one GTask each: the worker opens the company database, asks the connection
 * manager for the connection (the keyring blocks) and runs the engine's _sync calls there,
 * record by record, so one failing record does not stop the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-manager.h"
#include "sb-coupling-controller.h"
#include "sb-coupling-dialogs.h"
#include "sb-dataverse-tables.h"
#include "sb-secret-store.h"
#include "sb-sync-engine.h"
#include "sb-sync-activity.h"
#include "sb-sync-error.h"
#include "sb-sync-history-dialog.h"
#include "sb-window.h"

struct _SbCouplingController
{
  GObject parent_instance;

  SbRecordListPage *page; /* weak: the page owns us */
  const SbCouplingSpec *spec;
  char *db_path;
  const SbField *key_field;
  SbSyncActivity *activity; /* the header bar's picture of the database's synchronization */

  GHashTable *statuses; /* ERP key → status, replaced whole, never changed */
  gboolean connection_enabled;
  SbSyncDirection direction; /* the mapping's, as the last status read found it */
  int filter;
  guint n_running;
  guint load_serial;
  char *last_message;
  GCancellable *cancellable;

  GSimpleActionGroup *actions;
  GtkWidget *spinner;
  GtkDropDown *filter_drop_down; /* the page's: NULL once the page is gone */
};

G_DEFINE_FINAL_TYPE (SbCouplingController, sb_coupling_controller, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
sb_coupling_status_get_label (SbCouplingStatus status)
{
  switch (status)
    {
      case SB_COUPLING_STATUS_COUPLED:
        /* TRANSLATORS: a record's coupling status with Dynamics 365 Sales */
        return _ ("Coupled");
      case SB_COUPLING_STATUS_SKIPPED:
        /* TRANSLATORS: a record's coupling status: left out of synchronization after failing
         * twice */
        return _ ("Skipped");
      case SB_COUPLING_STATUS_CONFLICT:
        /* TRANSLATORS: a record's coupling status: changed on both sides */
        return _ ("Conflict");
      case SB_COUPLING_STATUS_ERROR:
        /* TRANSLATORS: a record's coupling status: its last synchronization failed */
        return _ ("Error");
      case SB_COUPLING_STATUS_NOT_COUPLED:
      default:
        /* TRANSLATORS: a record's coupling status with Dynamics 365 Sales */
        return _ ("Not Coupled");
    }
}

static const char *
status_style (SbCouplingStatus status)
{
  switch (status)
    {
      case SB_COUPLING_STATUS_COUPLED:
        return "success";
      case SB_COUPLING_STATUS_SKIPPED:
      case SB_COUPLING_STATUS_CONFLICT:
        return "warning";
      case SB_COUPLING_STATUS_ERROR:
        return "error";
      case SB_COUPLING_STATUS_NOT_COUPLED:
      default:
        return "dim-label";
    }
}

char *
sb_coupling_get_record_url (const char *sales_url, const char *entity_set, const char *id)
{
  const char *table = sb_dataverse_table_from_entity_set (entity_set);
  g_autofree char *base = g_strdup (sales_url != NULL ? sales_url : "");
  gsize len = strlen (base);

  /* With or without the trailing slash the setup was saved with. */
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strdup_printf ("%s/main.aspx?etn=%s&id=%s&pagetype=entityrecord", base,
                          table != NULL ? table : entity_set, id);
}

/* Statuses */

static GHashTable *
read_statuses (SbStore *store, const char *mapping, gboolean *out_enabled,
               SbSyncDirection *out_direction, GError **error)
{
  g_autoptr (GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) couplings = NULL;
  g_autoptr (JsonNode) conflicts = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbSyncMapping) settings = NULL;
  JsonArray *array;

  /* The user may change a mapping's direction: the actions follow it. */
  settings = sb_sync_mapping_load (store, mapping, error);
  if (settings == NULL)
    return NULL;
  *out_direction = settings->direction;
  couplings = sb_sync_coupling_list (store, mapping, error);
  if (couplings == NULL)
    return NULL;
  conflicts = sb_sync_engine_get_conflicts (store, error);
  if (conflicts == NULL)
    return NULL;
  setup = sb_connection_setup_get (store, error);
  if (setup == NULL)
    return NULL;
  *out_enabled = setup->is_enabled;

  for (guint i = 0; i < couplings->len; i++)
    {
      const SbSyncCoupling *coupling = g_ptr_array_index (couplings, i);
      SbCouplingStatus status;

      if (coupling->erp_key == NULL)
        continue;
      if (coupling->skipped)
        status = SB_COUPLING_STATUS_SKIPPED;
      else if (coupling->last_result == SB_SYNC_RESULT_FAILED)
        status = SB_COUPLING_STATUS_ERROR;
      else if (sb_sync_coupling_is_coupled (coupling))
        status = SB_COUPLING_STATUS_COUPLED;
      else
        status = SB_COUPLING_STATUS_NOT_COUPLED;
      g_hash_table_insert (statuses, g_strdup (coupling->erp_key), GINT_TO_POINTER (status));
    }
  array = json_node_get_array (conflicts);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *conflict = json_array_get_object_element (array, i);
      const char *key = json_object_get_string_member_with_default (conflict, "erp_key", NULL);

      if (key != NULL && *key != '\0' &&
          g_ascii_strcasecmp (json_object_get_string_member (conflict, "mapping"), mapping) == 0)
        g_hash_table_insert (statuses, g_strdup (key),
                             GINT_TO_POINTER (SB_COUPLING_STATUS_CONFLICT));
    }
  return g_steal_pointer (&statuses);
}

typedef struct
{
  GHashTable *statuses;
  gboolean enabled;
  SbSyncDirection direction;
} StatusResult;

static void
status_result_free (StatusResult *result)
{
  g_clear_pointer (&result->statuses, g_hash_table_unref);
  g_free (result);
}

static void
load_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SbCouplingController *self = source_object;
  g_autoptr (GError) error = NULL;
  /* Read-write: a new company's first read writes the default mappings. */
  g_autoptr (SbStore) store = sb_store_open (task_data, SB_STORE_OPEN_DEFAULT, &error);
  StatusResult *result = g_new0 (StatusResult, 1);

  if (store != NULL)
    result->statuses =
        read_statuses (store, self->spec->mapping, &result->enabled, &result->direction, &error);
  if (result->statuses == NULL)
    {
      status_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) status_result_free);
}

static gboolean
row_matches_filter (SbRecordObject *row, gpointer user_data)
{
  /* user_data: (table, status, key field), never changed: see apply_filter(). */
  gpointer *filter = user_data;
  const SbField *key_field = filter[2];
  g_autofree char *key = sb_record_to_string (key_field, sb_record_object_get_record (row));
  SbCouplingStatus status = GPOINTER_TO_INT (g_hash_table_lookup (filter[0], key));

  return (int) status == GPOINTER_TO_INT (filter[1]);
}

static void
filter_free (gpointer data)
{
  gpointer *filter = data;

  g_hash_table_unref (filter[0]);
  g_free (filter);
}

static void
apply_filter (SbCouplingController *self)
{
  gpointer *filter;

  if (self->page == NULL)
    return;
  if (self->filter < 0 || self->statuses == NULL)
    {
      sb_record_list_page_set_row_filter (self->page, NULL, NULL, NULL);
      return;
    }
  filter = g_new0 (gpointer, 3);
  filter[0] = g_hash_table_ref (self->statuses);
  filter[1] = GINT_TO_POINTER (self->filter);
  filter[2] = (gpointer) self->key_field;
  sb_record_list_page_set_row_filter (self->page, row_matches_filter, filter, filter_free);
}

static void update_actions (SbCouplingController *self);

static void
update_busy (SbCouplingController *self)
{
  gboolean busy = self->n_running > 0;

  if (self->spinner != NULL)
    {
      gtk_widget_set_visible (self->spinner, busy);
      gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
    }
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbCouplingController *self = SB_COUPLING_CONTROLLER (source);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr (GError) error = NULL;
  StatusResult *statuses = g_task_propagate_pointer (G_TASK (result), &error);

  self->n_running--;
  update_busy (self);
  if (statuses != NULL && self->page == NULL)
    g_clear_pointer (&statuses, status_result_free);
  if (statuses == NULL && self->page == NULL)
    return; /* the window closed */
  if (statuses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the coupling statuses: %s", error->message);
      return;
    }
  if (serial == self->load_serial)
    {
      g_clear_pointer (&self->statuses, g_hash_table_unref);
      self->statuses = g_steal_pointer (&statuses->statuses);
      self->connection_enabled = statuses->enabled;
      self->direction = statuses->direction;
      apply_filter (self);
      update_actions (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
    }
  status_result_free (statuses);
}

void
sb_coupling_controller_reload (SbCouplingController *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_COUPLING_CONTROLLER (self));

  self->n_running++;
  update_busy (self);
  task = g_task_new (self, self->cancellable, load_done, GUINT_TO_POINTER (++self->load_serial));
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_thread);
}

SbCouplingStatus
sb_coupling_controller_get_status (SbCouplingController *self, const char *erp_key)
{
  g_return_val_if_fail (SB_IS_COUPLING_CONTROLLER (self), SB_COUPLING_STATUS_NOT_COUPLED);

  if (self->statuses == NULL || erp_key == NULL)
    return SB_COUPLING_STATUS_NOT_COUPLED;
  return GPOINTER_TO_INT (g_hash_table_lookup (self->statuses, erp_key));
}

gboolean
sb_coupling_controller_is_busy (SbCouplingController *self)
{
  g_return_val_if_fail (SB_IS_COUPLING_CONTROLLER (self), FALSE);
  return self->n_running > 0;
}

gboolean
sb_coupling_controller_get_connection_enabled (SbCouplingController *self)
{
  g_return_val_if_fail (SB_IS_COUPLING_CONTROLLER (self), FALSE);
  return self->connection_enabled;
}

void
sb_coupling_controller_set_filter (SbCouplingController *self, int status)
{
  g_return_if_fail (SB_IS_COUPLING_CONTROLLER (self));

  if (self->filter == status)
    return;
  self->filter = status;
  apply_filter (self);
  /* The drop-down and the menu's "Show" items say the same. */
  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "filter",
                                      g_variant_new_int32 (status));
  if (self->filter_drop_down != NULL)
    gtk_drop_down_set_selected (self->filter_drop_down, status < 0 ? 0 : (guint) status + 1);
}

GActionGroup *
sb_coupling_controller_get_actions (SbCouplingController *self)
{
  g_return_val_if_fail (SB_IS_COUPLING_CONTROLLER (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

const char *
sb_coupling_controller_get_last_message (SbCouplingController *self)
{
  g_return_val_if_fail (SB_IS_COUPLING_CONTROLLER (self), NULL);
  return self->last_message;
}

/* The column */

static void
update_cell (GtkWidget *label)
{
  SbCouplingController *self = g_object_get_data (G_OBJECT (label), "sb-controller");
  const char *key = g_object_get_data (G_OBJECT (label), "sb-key");
  SbCouplingStatus status = sb_coupling_controller_get_status (self, key);
  static const char *const styles[] = { "success", "warning", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (label, styles[i]);
  gtk_widget_add_css_class (label, status_style (status));
  gtk_label_set_text (GTK_LABEL (label), key != NULL ? sb_coupling_status_get_label (status) : "");
}

static void
setup_status_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SbCouplingController *self = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "sb-controller", self);
  g_signal_connect_object (self, "changed", G_CALLBACK (update_cell), label, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (item, label);
}

static void
bind_status_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  SbCouplingController *self = user_data;
  GtkWidget *label = gtk_list_item_get_child (item);
  SbRecordObject *row = gtk_list_item_get_item (item);

  g_object_set_data_full (G_OBJECT (label), "sb-key",
                          sb_record_to_string (self->key_field, sb_record_object_get_record (row)),
                          g_free);
  /* The page's right click finds the row from any cell. */
  g_object_set_data (G_OBJECT (label), "sb-position",
                     GUINT_TO_POINTER (gtk_list_item_get_position (item) + 1));
  update_cell (label);
}

/* Targets: the card's record, or the selected rows */

static GPtrArray *
get_target_keys (SbCouplingController *self)
{
  if (self->page == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return sb_record_list_page_get_target_keys (self->page, self->key_field);
}

static void
set_enabled (SbCouplingController *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* Whether records of the book can be created in Sales: the spec names the action and the
 * mapping's direction sends records there (SALESPEOPLE only comes from Sales). */
static gboolean
can_create_in_sales (const SbCouplingSpec *spec, SbSyncDirection direction)
{
  return spec->create_label != NULL && direction != SB_SYNC_DIRECTION_FROM_SALES;
}

static void create_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);

/* An action the mapping does not allow is left out of the group, and so out of the menus
 * (hidden-when="action-missing"), rather than shown greyed out. */
static void
offer_create (SbCouplingController *self, gboolean offered)
{
  GActionMap *map = G_ACTION_MAP (self->actions);

  if (offered && g_action_map_lookup_action (map, "create") == NULL)
    {
      g_autoptr (GSimpleAction) action = g_simple_action_new ("create", NULL);

      g_signal_connect (action, "activate", G_CALLBACK (create_activated), self);
      g_action_map_add_action (map, G_ACTION (action));
    }
  else if (!offered)
    g_action_map_remove_action (map, "create");
}

static void
update_actions (SbCouplingController *self)
{
  g_autoptr (GPtrArray) keys = get_target_keys (self);
  gboolean on = self->connection_enabled && self->n_running == 0;
  guint n_coupled = 0;

  for (guint i = 0; i < keys->len; i++)
    if (sb_coupling_controller_get_status (self, keys->pdata[i]) != SB_COUPLING_STATUS_NOT_COUPLED)
      n_coupled++;
  offer_create (self, can_create_in_sales (self->spec, self->direction));
  set_enabled (self, "set-up", on && keys->len == 1 && n_coupled == 0);
  set_enabled (self, "match", on);
  set_enabled (self, "create", on && keys->len > 0 && n_coupled < keys->len);
  set_enabled (self, "sync-now", on && n_coupled > 0);
  set_enabled (self, "uncouple", on && n_coupled > 0);
  set_enabled (self, "open", self->connection_enabled && keys->len == 1 && n_coupled == 1);
  /* What was transferred stays readable after an uncoupling, and without a connection. */
  set_enabled (self, "history", keys->len == 1);
}

/* Running actions */

typedef enum
{
  OP_COUPLE,
  OP_UNCOUPLE,
  OP_CREATE,
  OP_SYNC_NOW,
  OP_MATCH,
} OpKind;

typedef struct
{
  OpKind kind;
  char *db_path;
  char *mapping;
  GPtrArray *keys;
  char *dataverse_id;
  SbSyncDirection winner;
  SbCouplingMatchOptions *match;
  /* Results */
  guint n_done;
  guint n_failed;
  char *first_error;
  SbSyncCounters counters;
  guint run_id; /* in the activity */
} Op;

static void
op_free (Op *op)
{
  g_free (op->db_path);
  g_free (op->mapping);
  g_clear_pointer (&op->keys, g_ptr_array_unref);
  g_free (op->dataverse_id);
  g_clear_pointer (&op->match, sb_coupling_match_options_free);
  g_free (op->first_error);
  g_free (op);
}

/* The client secret, read from the keyring once for the setup it belongs to rather than by
 * every worker: keyring calls are slow, and gnome-keyring did not always survive several at
 * once from different threads. A setup saved again (a new secret comes with a save) reads it
 * again. Lookups are serialized by the lock. */
static GMutex secret_lock;
static char *secret_key;   /* url, client id and change number of the setup it is for */
static char *secret_value; /* sb_secret_store_free() */

SbSyncEngine *
sb_coupling_open_engine (SbStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, error);
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GMutexLocker) locker = NULL;

  if (setup == NULL)
    return NULL;
  if (!setup->is_enabled)
    {
      /* The manager says so, in its words. */
      g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);

      cnc = sb_connection_manager_create_connection_sync (manager, cancellable, error);
      return cnc != NULL ? sb_sync_engine_new (store, cnc) : NULL;
    }
  key = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT, setup->sales_url, setup->client_id,
                         setup->change_no);
  locker = g_mutex_locker_new (&secret_lock);
  if (g_strcmp0 (key, secret_key) != 0)
    {
      g_autoptr (GError) local = NULL;
      char *secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url,
                                                  setup->client_id, cancellable, &local);

      if (secret == NULL)
        {
          /* None, or the keyring failed: the manager says which, in its words. */
          g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);

          cnc = sb_connection_manager_create_connection_sync (manager, cancellable, error);
          return cnc != NULL ? sb_sync_engine_new (store, cnc) : NULL;
        }
      g_clear_pointer (&secret_value, sb_secret_store_free);
      g_free (secret_key);
      secret_value = secret;
      secret_key = g_steal_pointer (&key);
    }
  cnc = sb_connection_setup_create_connection (setup, secret_value, error);
  return cnc != NULL ? sb_sync_engine_new (store, cnc) : NULL;
}

static gboolean
run_one (SbSyncEngine *engine, Op *op, const char *key, GCancellable *cancellable, GError **error)
{
  switch (op->kind)
    {
      case OP_COUPLE:
        return sb_sync_engine_couple_sync (engine, op->mapping, key, op->dataverse_id, cancellable,
                                           error);
      case OP_UNCOUPLE:
        return sb_sync_engine_uncouple_sync (engine, op->mapping, key, error);
      case OP_CREATE:
        {
          g_autofree char *id =
              sb_sync_engine_create_in_sales_sync (engine, op->mapping, key, cancellable, error);
          return id != NULL;
        }
      case OP_SYNC_NOW:
        return sb_sync_engine_sync_record_sync (engine, op->mapping, key, op->winner, cancellable,
                                                error);
      case OP_MATCH:
      default:
        g_assert_not_reached ();
    }
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

  if (op->kind == OP_MATCH)
    {
      if (!sb_coupling_match_options_apply (op->match, store, op->mapping, &error) ||
          !sb_sync_engine_couple_match_sync (engine, op->mapping, &op->counters, cancellable,
                                             &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (guint i = 0; i < op->keys->len; i++)
    {
      g_autoptr (GError) record_error = NULL;

      /* Uncoupling a record that is not: nothing to do, not a failure. */
      if (run_one (engine, op, op->keys->pdata[i], cancellable, &record_error) ||
          (op->kind == OP_UNCOUPLE &&
           g_error_matches (record_error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED)))
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
toast (SbCouplingController *self, const char *message)
{
  GtkRoot *root = self->page != NULL ? gtk_widget_get_root (GTK_WIDGET (self->page)) : NULL;

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      if (!self->connection_enabled)
        {
          adw_toast_set_button_label (toast, _ ("Open _Dynamics 365 Sales"));
          adw_toast_set_action_name (toast, "win.show-page");
          adw_toast_set_action_target_value (toast, g_variant_new_string ("connection"));
        }
      adw_toast_set_timeout (toast, 6);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
  else
    g_message ("%s", message);
}

static char *
describe_done (Op *op)
{
  guint n = op->n_done;

  switch (op->kind)
    {
      case OP_COUPLE:
        return g_strdup (_ ("Record coupled"));
      case OP_UNCOUPLE:
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u record uncoupled", "%u records uncoupled", n), n);
      case OP_CREATE:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record created in Sales",
                                             "%u records created in Sales", n),
                                n);
      case OP_SYNC_NOW:
        return g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "%u record synchronized", "%u records synchronized", n),
            n);
      case OP_MATCH:
      default:
        return NULL;
    }
}

/* What the header bar's indicator says while @kind runs. */
static const char *
activity_title (OpKind kind)
{
  switch (kind)
    {
      case OP_COUPLE:
        return _ ("Coupling records");
      case OP_UNCOUPLE:
        return _ ("Uncoupling records");
      case OP_CREATE:
        return _ ("Creating records in Sales");
      case OP_MATCH:
        return _ ("Matching records");
      case OP_SYNC_NOW:
      default:
        return _ ("Synchronizing records");
    }
}

/* Ends @op's run in the activity: a cancelled one (the window closed) reports nothing, records
 * that failed are the run's error as the toast says them. */
static void
end_activity (SbCouplingController *self, Op *op, const GError *error)
{
  if (op->run_id == 0)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sb_sync_activity_abandon (self->activity, op->run_id);
  else if (error == NULL && op->n_failed > 0)
    {
      g_autofree char *message =
          sb_coupling_describe_failures (op->n_done, op->n_failed, op->first_error);
      g_autoptr (GError) failed =
          g_error_new_literal (SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, message);

      sb_sync_activity_end (self->activity, op->run_id, failed);
    }
  else
    sb_sync_activity_end (self->activity, op->run_id, error);
  op->run_id = 0;
}

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbCouplingController *self = SB_COUPLING_CONTROLLER (source);
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  gboolean ok;

  self->n_running--;
  update_busy (self);
  ok = g_task_propagate_boolean (G_TASK (result), &error);
  end_activity (self, op, ok ? NULL : error);
  if (self->page == NULL)
    return; /* the window closed */
  if (!ok)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_DISABLED))
        self->connection_enabled = FALSE;
      toast (self, error->message);
    }
  else if (op->kind == OP_MATCH)
    {
      GtkRoot *root = self->page != NULL ? gtk_widget_get_root (GTK_WIDGET (self->page)) : NULL;

      sb_coupling_show_match_result (GTK_WINDOW (root), &op->counters);
    }
  else if (op->n_failed > 0)
    {
      g_autofree char *message =
          sb_coupling_describe_failures (op->n_done, op->n_failed, op->first_error);

      toast (self, message);
    }
  else
    {
      g_autofree char *message = describe_done (op);

      toast (self, message);
    }

  sb_coupling_controller_reload (self);
  /* Creating and synchronizing may have changed the records themselves. */
  if (self->page != NULL && (op->kind == OP_SYNC_NOW || op->kind == OP_MATCH))
    sb_record_list_page_reload (self->page);
  update_actions (self);
}

static Op *
op_new (SbCouplingController *self, OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->db_path = g_strdup (self->db_path);
  op->mapping = g_strdup (self->spec->mapping);
  op->keys = get_target_keys (self);
  return op;
}

static void
op_run (SbCouplingController *self, Op *op)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, op_done, NULL);

  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  op->run_id = sb_sync_activity_begin (self->activity, activity_title (op->kind));
  self->n_running++;
  update_busy (self);
  update_actions (self);
  g_task_run_in_thread (task, op_thread);
}

static GtkWindow *
get_window (SbCouplingController *self)
{
  GtkRoot *root = self->page != NULL ? gtk_widget_get_root (GTK_WIDGET (self->page)) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Actions */

static void
on_picked (const char *dataverse_id, gpointer user_data)
{
  SbCouplingController *self = user_data;
  Op *op = op_new (self, OP_COUPLE);

  op->dataverse_id = g_strdup (dataverse_id);
  op_run (self, op);
  g_object_unref (self);
}

static void
set_up_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  g_autoptr (GPtrArray) keys = get_target_keys (self);

  if (keys->len != 1)
    return;
  sb_coupling_show_picker (get_window (self), self->db_path, self->spec->mapping, keys->pdata[0],
                           on_picked, g_object_ref (self), g_object_unref);
}

static void
on_match_chosen (SbCouplingMatchOptions *options, gpointer user_data)
{
  SbCouplingController *self = user_data;
  Op *op = op_new (self, OP_MATCH);

  op->match = options;
  op_run (self, op);
}

static void
match_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  SbStore *store = NULL;

  g_object_get (self->page, "store", &store, NULL);
  sb_coupling_show_match_dialog (get_window (self), store, self->spec->mapping, on_match_chosen,
                                 self);
  g_clear_object (&store);
}

static void
create_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  Op *op = op_new (self, OP_CREATE);

  /* Coupled ones would only fail with "already coupled". */
  for (guint i = op->keys->len; i > 0; i--)
    if (sb_coupling_controller_get_status (self, op->keys->pdata[i - 1]) !=
        SB_COUPLING_STATUS_NOT_COUPLED)
      g_ptr_array_remove_index (op->keys, i - 1);
  op_run (self, op);
}

static void
on_winner_chosen (SbSyncDirection winner, gpointer user_data)
{
  SbCouplingController *self = user_data;
  Op *op = op_new (self, OP_SYNC_NOW);

  for (guint i = op->keys->len; i > 0; i--)
    if (sb_coupling_controller_get_status (self, op->keys->pdata[i - 1]) ==
        SB_COUPLING_STATUS_NOT_COUPLED)
      g_ptr_array_remove_index (op->keys, i - 1);
  op->winner = winner;
  op_run (self, op);
}

static void
sync_now_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  g_autoptr (GPtrArray) keys = get_target_keys (self);
  guint n_coupled = 0;
  const char *first = NULL;

  for (guint i = 0; i < keys->len; i++)
    if (sb_coupling_controller_get_status (self, keys->pdata[i]) != SB_COUPLING_STATUS_NOT_COUPLED)
      {
        n_coupled++;
        if (first == NULL)
          first = keys->pdata[i];
      }
  if (n_coupled == 0)
    return;
  sb_coupling_show_sync_now_dialog (get_window (self), self->db_path, self->spec->mapping,
                                    self->direction, n_coupled == 1 ? first : NULL, n_coupled,
                                    on_winner_chosen, self);
}

static void
on_uncouple_confirmed (SbSyncDirection unused, gpointer user_data)
{
  SbCouplingController *self = user_data;

  op_run (self, op_new (self, OP_UNCOUPLE));
}

static void
uncouple_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  g_autoptr (GPtrArray) keys = get_target_keys (self);

  sb_coupling_show_uncouple_dialog (get_window (self), keys->len, on_uncouple_confirmed, self);
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  g_autoptr (GPtrArray) keys = get_target_keys (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (SbSyncMapping) mapping = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autofree char *url = NULL;
  SbStore *store = NULL;

  if (keys->len != 1)
    return;
  g_object_get (self->page, "store", &store, NULL);
  /* Three small reads of the window's store, as a card's are. */
  coupling = sb_sync_coupling_find_erp (store, self->spec->mapping, keys->pdata[0], &error);
  if (coupling != NULL && coupling->dataverse_id != NULL)
    mapping = sb_sync_mapping_load (store, self->spec->mapping, &error);
  if (mapping != NULL)
    setup = sb_connection_setup_get (store, &error);
  g_clear_object (&store);
  if (setup == NULL)
    {
      toast (self, error != NULL ? error->message : _ ("The record is not coupled"));
      return;
    }
  url = sb_coupling_get_record_url (setup->sales_url, mapping->entity_set, coupling->dataverse_id);
  g_free (self->last_message);
  self->last_message = g_strdup (url);
  gtk_show_uri (get_window (self), url, GDK_CURRENT_TIME);
}

static void
history_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbCouplingController *self = user_data;
  g_autoptr (GPtrArray) keys = get_target_keys (self);

  if (keys->len != 1)
    return;
  sb_sync_history_dialog_show (get_window (self), self->db_path, self->spec->mapping,
                               keys->pdata[0]);
}

static void
filter_changed (GSimpleAction *action, GVariant *state, gpointer user_data)
{
  SbCouplingController *self = user_data;

  g_simple_action_set_state (action, state);
  sb_coupling_controller_set_filter (self, g_variant_get_int32 (state));
}

static void
on_filter_selected (SbCouplingController *self, GParamSpec *pspec, GtkDropDown *drop_down)
{
  guint selected = gtk_drop_down_get_selected (drop_down);

  /* Item 0 is "All Records"; then the statuses in enum order. */
  sb_coupling_controller_set_filter (
      self, selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1);
}

/* The actions with their shortcuts, in menu order; NULL label: the spec's create label. */
static const struct
{
  const char *label;
  const char *action;
  const char *accel;
  guint section;
} menu_items[] = {
  { N_ ("Set Up _Coupling…"), "coupling.set-up", "<Control><Shift>c", 0 },
  { N_ ("_Match-Based Coupling…"), "coupling.match", "<Control><Shift>m", 0 },
  { NULL, "coupling.create", "<Control><Shift>n", 0 },
  { N_ ("_Synchronize Now…"), "coupling.sync-now", "<Control><Shift>s", 1 },
  { N_ ("_Uncouple…"), "coupling.uncouple", "<Control><Shift>u", 1 },
  { N_ ("Synchronization _History"), "coupling.history", "<Control>h", 2 },
  { N_ ("_Open in Dynamics 365 Sales"), "coupling.open", "<Control><Shift>o", 2 },
};

static GMenuModel *
build_menu (const SbCouplingSpec *spec)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) coupling = g_menu_new ();
  g_autoptr (GMenu) sync = g_menu_new ();
  g_autoptr (GMenu) open = g_menu_new ();
  GMenu *sections[] = { coupling, sync, open };
  g_autoptr (GMenu) show = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (menu_items); i++)
    {
      const char *label = menu_items[i].label != NULL ? menu_items[i].label : spec->create_label;
      g_autoptr (GMenuItem) item = NULL;

      if (label == NULL)
        continue;
      item = g_menu_item_new (_ (label), menu_items[i].action);
      g_menu_item_set_attribute (item, "accel", "s", menu_items[i].accel);
      g_menu_item_set_attribute (item, "hidden-when", "s", "action-missing");
      g_menu_append_item (sections[menu_items[i].section], item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (coupling));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (sync));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  /* The filter, for a window too narrow for its drop-down. */
  show = g_menu_new ();
  for (int status = -1; status <= SB_COUPLING_STATUS_ERROR; status++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (
          status < 0 ? _ ("All Records") : sb_coupling_status_get_label (status), NULL);

      g_menu_item_set_action_and_target_value (item, "coupling.filter",
                                               g_variant_new_int32 (status));
      g_menu_append_item (show, item);
    }
  g_menu_append_submenu (menu, _ ("S_how"), G_MENU_MODEL (show));
  return G_MENU_MODEL (menu);
}

static void
on_page_gone (gpointer user_data, GObject *where_the_page_was)
{
  SbCouplingController *self = user_data;

  /* What the workers still running would touch is gone with it. */
  self->page = NULL;
  self->filter_drop_down = NULL;
  g_cancellable_cancel (self->cancellable);
}

static void
on_page_changed (SbCouplingController *self)
{
  update_actions (self);
}

static void
on_page_mapped (SbCouplingController *self)
{
  /* Coming back to the page after a sync elsewhere shows the statuses as they are now. */
  sb_coupling_controller_reload (self);
}

/* @widget where there is room for it, else nothing: it does not add to the page's minimum
 * width, so the page still fits a phone's screen. */
static GtkWidget *
squeezed (GtkWidget *widget)
{
  GtkWidget *squeezer = adw_squeezer_new ();

  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), widget);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  return squeezer;
}

SbCouplingController *
sb_coupling_controller_attach (SbRecordListPage *page, const SbCouplingSpec *spec)
{
  SbCouplingController *self;
  const SbRecordListSpec *list_spec = sb_record_list_page_get_spec (page);
  g_autoptr (GtkColumnViewColumn) column = NULL;
  g_autoptr (GMenuModel) menu = NULL;
  GtkListItemFactory *factory;
  GtkWidget *menu_button;
  GtkWidget *drop_down;
  GtkWidget *box;
  SbStore *store = NULL;
  const char *const filter_labels[] = {
    _ ("All Records"),
    sb_coupling_status_get_label (SB_COUPLING_STATUS_NOT_COUPLED),
    sb_coupling_status_get_label (SB_COUPLING_STATUS_COUPLED),
    sb_coupling_status_get_label (SB_COUPLING_STATUS_SKIPPED),
    sb_coupling_status_get_label (SB_COUPLING_STATUS_CONFLICT),
    sb_coupling_status_get_label (SB_COUPLING_STATUS_ERROR),
    NULL,
  };
  static const GActionEntry entries[] = {
    { "set-up", set_up_activated, NULL, NULL, NULL },
    { "match", match_activated, NULL, NULL, NULL },
    { "create", create_activated, NULL, NULL, NULL },
    { "sync-now", sync_now_activated, NULL, NULL, NULL },
    { "uncouple", uncouple_activated, NULL, NULL, NULL },
    { "open", open_activated, NULL, NULL, NULL },
    { "history", history_activated, NULL, NULL, NULL },
    { "filter", NULL, "i", "-1", filter_changed },
  };
  GtkEventController *shortcuts;

  g_return_val_if_fail (SB_IS_RECORD_LIST_PAGE (page), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  self = g_object_new (SB_TYPE_COUPLING_CONTROLLER, NULL);
  self->page = page;
  /* Workers hold the controller and may finish after the page is gone. */
  g_object_weak_ref (G_OBJECT (page), on_page_gone, self);
  self->spec = spec;
  g_object_get (page, "store", &store, NULL);
  self->db_path = g_strdup (sb_store_get_path (store));
  self->activity = sb_sync_activity_get_for_database (self->db_path);
  g_clear_object (&store);
  for (guint i = 0; i < list_spec->type->n_fields && self->key_field == NULL; i++)
    if ((list_spec->type->fields[i].flags & SB_FIELD_FLAG_KEY) != 0)
      self->key_field = &list_spec->type->fields[i];
  g_assert (self->key_field != NULL);
  g_object_set_data_full (G_OBJECT (page), "sb-coupling-controller", self, g_object_unref);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_status_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_status_cell), self);
  /* TRANSLATORS: a list column: the record's coupling with Dynamics 365 Sales */
  column = gtk_column_view_column_new (_ ("Coupling"), factory);
  gtk_column_view_column_set_fixed_width (column, 120);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (sb_record_list_page_get_column_view (page), column);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  gtk_widget_insert_action_group (GTK_WIDGET (page), "coupling", G_ACTION_GROUP (self->actions));
  /* The shortcuts the menus show, anywhere in the page (list or card). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (menu_items); i++)
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (shortcuts),
        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (menu_items[i].accel),
                          gtk_named_action_new (menu_items[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (page), shortcuts);

  menu = build_menu (spec);
  menu_button = gtk_menu_button_new ();
  gtk_widget_set_name (menu_button, "coupling-menu-button");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "emblem-synchronizing-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_widget_set_tooltip_text (menu_button, _ ("Dynamics 365 Sales"));
  /* Icon only: screen readers need its name. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Dynamics 365 Sales"), -1);
  sb_record_list_page_add_header_widget (page, menu_button);
  sb_record_list_page_set_context_menu (page, menu);

  drop_down = gtk_drop_down_new_from_strings (filter_labels);
  gtk_widget_set_name (drop_down, "coupling-filter");
  gtk_widget_set_tooltip_text (drop_down, _ ("Show Records by Coupling Status"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Show Records by Coupling Status"), -1);
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (on_filter_selected), self,
                           G_CONNECT_SWAPPED);
  self->filter_drop_down = GTK_DROP_DOWN (drop_down);

  /* Kept: a worker may end after the page, and its spinner, are gone. */
  self->spinner = g_object_ref (gtk_spinner_new ());
  gtk_widget_set_tooltip_text (self->spinner, _ ("Working with Dynamics 365 Sales…"));
  gtk_widget_set_visible (self->spinner, FALSE);
  /* In a narrow window the header has no room for them: the menu's "Show" takes over from the
   * filter. */
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), self->spinner);
  gtk_box_append (GTK_BOX (box), drop_down);
  sb_record_list_page_add_header_widget (page, squeezed (box));

  g_signal_connect_object (sb_record_list_page_get_selection (page), "selection-changed",
                           G_CALLBACK (on_page_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::loading", G_CALLBACK (on_page_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "map", G_CALLBACK (on_page_mapped), self, G_CONNECT_SWAPPED);
  update_actions (self);
  return self;
}

SbCouplingController *
sb_coupling_controller_get (SbRecordListPage *page)
{
  return g_object_get_data (G_OBJECT (page), "sb-coupling-controller");
}

/* Cards */

static void
add_action_row (AdwPreferencesGroup *group, const char *name, const char *title,
                const char *action_name, gboolean sensitive)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action_name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_widget_set_sensitive (row, sensitive);
  adw_preferences_group_add (group, row);
}

/* The actions act on the card while it is shown, on the selection again once it is gone. */
static void
on_detail_mapped (GtkWidget *detail)
{
  GtkWidget *page = gtk_widget_get_ancestor (detail, SB_TYPE_RECORD_LIST_PAGE);
  SbCouplingController *self =
      page != NULL ? sb_coupling_controller_get (SB_RECORD_LIST_PAGE (page)) : NULL;

  if (self != NULL)
    update_actions (self);
}

void
sb_coupling_add_detail_group (SbDetailPage *page, SbStore *store, const SbCouplingSpec *spec,
                              const char *erp_key)
{
  g_signal_connect (page, "map", G_CALLBACK (on_detail_mapped), NULL);
  g_signal_connect (page, "unmap", G_CALLBACK (on_detail_mapped), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GHashTable) statuses = NULL;
  AdwPreferencesGroup *group;
  GtkWidget *row;
  gboolean enabled = FALSE;
  SbSyncDirection direction = SB_SYNC_DIRECTION_BOTH;
  SbCouplingStatus status;

  g_object_set_data_full (G_OBJECT (page), "sb-coupling-key", g_strdup (erp_key), g_free);
  group = sb_detail_page_add_group (page, _ ("Dynamics 365 Sales"));
  statuses = read_statuses (store, spec->mapping, &enabled, &direction, &error);
  if (statuses != NULL)
    coupling = sb_sync_coupling_find_erp (store, spec->mapping, erp_key, &error);
  if (error != NULL)
    {
      sb_detail_page_add_placeholder_row (group, error->message);
      return;
    }
  status = GPOINTER_TO_INT (g_hash_table_lookup (statuses, erp_key));

  row = sb_detail_page_add_value_row (group, _ ("Coupling"), sb_coupling_status_get_label (status),
                                      FALSE);
  gtk_widget_set_name (row, "coupling-status-row");
  if (coupling != NULL && coupling->last_error != NULL && *coupling->last_error != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), coupling->last_error);
  else if (coupling != NULL && coupling->synced_at != NULL && *coupling->synced_at != '\0')
    {
      /* TRANSLATORS: below a record's coupling status; %s is a date and time */
      g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (coupling->synced_at, NULL);
      g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      /* The locale's date, and the time of day to the minute. */
      g_autofree char *when =
          local != NULL ? g_date_time_format (local, "%x %H:%M") : g_strdup (coupling->synced_at);
      g_autofree char *text = g_strdup_printf (_ ("Last synchronized %s"), when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
    }

  if (coupling != NULL)
    add_action_row (group, "coupling-history-row", _ ("Synchronization _History"),
                    "coupling.history", TRUE);
  if (!enabled)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Set Up Connection"));

      adw_preferences_group_set_description (
          group, _ ("Turn on the connection to Dynamics 365 Sales to couple this record."));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-page");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "connection");
      adw_preferences_group_set_header_suffix (group, button);
      return;
    }
  if (status == SB_COUPLING_STATUS_NOT_COUPLED)
    {
      add_action_row (group, "coupling-set-up-row", _ ("Set Up _Coupling…"), "coupling.set-up",
                      TRUE);
      if (can_create_in_sales (spec, direction))
        add_action_row (group, "coupling-create-row", _ (spec->create_label), "coupling.create",
                        TRUE);
    }
  else
    {
      add_action_row (group, "coupling-sync-now-row", _ ("_Synchronize Now…"), "coupling.sync-now",
                      TRUE);
      add_action_row (group, "coupling-open-row", _ ("_Open in Dynamics 365 Sales"),
                      "coupling.open", TRUE);
      add_action_row (group, "coupling-uncouple-row", _ ("_Uncouple…"), "coupling.uncouple", TRUE);
    }
}

/* GObject */

static void
sb_coupling_controller_dispose (GObject *object)
{
  SbCouplingController *self = SB_COUPLING_CONTROLLER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->page != NULL)
    g_object_weak_unref (G_OBJECT (self->page), on_page_gone, self);
  self->page = NULL;
  self->filter_drop_down = NULL;
  G_OBJECT_CLASS (sb_coupling_controller_parent_class)->dispose (object);
}

static void
sb_coupling_controller_finalize (GObject *object)
{
  SbCouplingController *self = SB_COUPLING_CONTROLLER (object);

  g_clear_pointer (&self->statuses, g_hash_table_unref);
  g_clear_object (&self->actions);
  g_clear_object (&self->spinner);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->activity);
  g_free (self->db_path);
  g_free (self->last_message);
  G_OBJECT_CLASS (sb_coupling_controller_parent_class)->finalize (object);
}

static void
sb_coupling_controller_class_init (SbCouplingControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_coupling_controller_dispose;
  object_class->finalize = sb_coupling_controller_finalize;

  /* The statuses were read again. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sb_coupling_controller_init (SbCouplingController *self)
{
  self->filter = -1;
  self->cancellable = g_cancellable_new ();
}
