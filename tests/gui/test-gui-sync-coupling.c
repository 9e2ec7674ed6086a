/* test-gui-sync-coupling.c: coupling customers with Dynamics 365 Sales from the customer list
 *
 * A temporary company database with an enabled connection to the in-process sandbox (secret in
 * a private keyring), driven through the list page's actions and dialogs as a user would:
 * create in Sales, set up coupling from the searchable list, synchronize now after comparing
 * both sides, filter by status, uncouple, match-based coupling; checking both the widgets and
 * the data on each side.
 *
 * With SB_SCREENSHOT_DIR set, the list, the card and each dialog are saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sb-coupling-controller.h"
#include "sb-customer.h"
#include "sb-mapping-page.h"
#include "sb-record-list-page.h"
#include "sb-sandbox-server.h"
#include "sb-sync-activity.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine.h"
#include "sb-sync-log-page.h"
#include "sb-sync-review-page.h"
#include "sb-sync-mapping.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  char *dir;
  char *db_path;
  SbWindow *window;
  SbRecordListPage *page;
  SbCouplingController *controller;
  SbDataverseConnection *sales; /* a salesperson changing data in Sales */
} Fixture;

/* Fixture */

static void
add_customer (SbStore *store, const char *name, const char *city)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomer) c = sb_customer_new ();

  g_free (c->name);
  c->name = g_strdup (name);
  g_free (c->city);
  c->city = g_strdup (city);
  sb_customer_insert (store, c, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbStore) store = NULL;

  store = sbg_company_new (&fx->dir, &fx->db_path);
  add_customer (store, "Adatum Corporation", "Stockholm");
  add_customer (store, "Trey Research", "Malmö");
  add_customer (store, "Alpine Ski House", "Uppsala");
  if (GPOINTER_TO_INT (data))
    sbg_enable_connection (store, base_url);

  fx->sales =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->sales, SB_SANDBOX_DEFAULT_SECRET);
}

static gboolean
controller_idle (gpointer user_data)
{
  Fixture *fx = user_data;

  return !sb_record_list_page_is_busy (fx->page) &&
         !sb_coupling_controller_is_busy (fx->controller);
}

static void
open_window (Fixture *fx)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  sb_window_show_page (fx->window, "customers");
  fx->page = SB_RECORD_LIST_PAGE (sb_window_get_page (fx->window, "customers"));
  fx->controller = sb_coupling_controller_get (fx->page);
  g_assert_nonnull (fx->controller);
  sbg_settle (100);
  sbg_wait_until (controller_idle, fx, "the customers and their coupling");
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->window != NULL)
    {
      sbg_clear_secret (sb_window_get_store (fx->window));
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  g_clear_object (&fx->sales);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

/* Selects the customer row of @no alone. */
static void
select_customer (Fixture *fx, const char *no)
{
  GListModel *model = sb_record_list_page_get_model (fx->page);
  GtkSelectionModel *selection = sb_record_list_page_get_selection (fx->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);
      const SbCustomer *customer = sb_record_object_get_record (row);

      if (g_str_equal (customer->no, no))
        {
          gtk_selection_model_select_item (selection, i, TRUE);
          return;
        }
    }
  g_error ("No customer %s in the list", no);
}

static void
activate (Fixture *fx, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->page), action, NULL));
}

static gboolean
action_enabled (Fixture *fx, const char *action)
{
  return g_action_group_get_action_enabled (sb_coupling_controller_get_actions (fx->controller),
                                            action);
}

static SbSyncCoupling *
find_coupling (Fixture *fx, const char *no)
{
  g_autoptr (GError) error = NULL;
  SbSyncCoupling *coupling =
      sb_sync_coupling_find_erp (sb_window_get_store (fx->window), "CUSTOMER", no, &error);

  g_assert_no_error (error);
  return coupling;
}

static JsonObject *
sales_account (Fixture *fx, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, "accounts", id, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

static char *
first_customer_no (Fixture *fx, guint position)
{
  g_autoptr (SbRecordObject) row =
      g_list_model_get_item (sb_record_list_page_get_model (fx->page), position);
  const SbCustomer *customer = sb_record_object_get_record (row);

  return g_strdup (customer->no);
}

/* Tests */

static const char *const sync_now_names[] = { "sync-now-dialog", "sync-now-stack" };

static void
test_coupling (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncActivity) activity = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (SbSyncCoupling) second_coupling = NULL;
  g_autoptr (JsonObject) account = NULL;
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (SbCustomer) customer = NULL;
  g_autofree char *trey_id = NULL;
  g_autofree char *url = NULL;
  GtkWidget *picker, *dialog, *detail;

  open_window (fx);
  g_assert_true (sb_coupling_controller_get_connection_enabled (fx->controller));
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 3);
  first = first_customer_no (fx, 0);
  second = first_customer_no (fx, 1);
  third = first_customer_no (fx, 2);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, first), ==,
                   SB_COUPLING_STATUS_NOT_COUPLED);
  g_assert_true (sbg_has_label (GTK_WIDGET (fx->page), "Not Coupled"));
  /* Nothing selected: only match-based coupling, which needs no selection. */
  g_assert_false (action_enabled (fx, "create"));
  g_assert_true (action_enabled (fx, "match"));

  /* Create Account in Sales */
  select_customer (fx, first);
  g_assert_true (action_enabled (fx, "create"));
  g_assert_false (action_enabled (fx, "sync-now"));
  activate (fx, "coupling.create");
  g_assert_true (sb_coupling_controller_is_busy (fx->controller));
  /* The header bar's indicator shows it while it runs, and when it ended. */
  activity = sb_sync_activity_get_for_database (fx->db_path);
  g_assert_true (sb_sync_activity_is_running (activity));
  g_assert_cmpstr (sb_sync_activity_get_title (activity), ==, "Creating records in Sales");
  sbg_wait_until (controller_idle, fx, "the account's creation");
  g_assert_false (sb_sync_activity_is_running (activity));
  g_assert_nonnull (sb_sync_activity_get_last_finished (activity));
  g_assert_null (sb_sync_activity_get_last_error (activity));
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, first), ==,
                   SB_COUPLING_STATUS_COUPLED);
  coupling = find_coupling (fx, first);
  g_assert_nonnull (coupling);
  g_assert_nonnull (coupling->dataverse_id);
  account = sales_account (fx, coupling->dataverse_id);
  g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Adatum Corporation");
  g_assert_true (sbg_has_label (GTK_WIDGET (fx->page), "Coupled"));
  g_assert_true (action_enabled (fx, "sync-now"));
  g_assert_true (action_enabled (fx, "open"));
  url = sb_coupling_get_record_url (base_url, "accounts", coupling->dataverse_id);
  g_assert_true (g_str_has_suffix (url, "/main.aspx?etn=account&id=") == FALSE);
  g_assert_nonnull (strstr (url, "/main.aspx?etn=account&id="));
  g_assert_true (g_str_has_suffix (url, "&pagetype=entityrecord"));
  g_assert_null (strstr (url, "//main.aspx"));
  sbg_screenshot (fx->window, "coupling-list");

  /* Set Up Coupling with an account made in Sales */
  json_object_set_string_member (record, "name", "Trey Research Inc.");
  json_object_set_string_member (record, "accountnumber", "TREY-1");
  /* A customer, as the mapping's Dataverse filter asks. */
  json_object_set_int_member (record, "customertypecode", 3);
  trey_id = sb_dataverse_connection_create_sync (fx->sales, "accounts", record, NULL, NULL, &error);
  g_assert_no_error (error);
  select_customer (fx, second);
  g_assert_true (action_enabled (fx, "set-up"));
  activate (fx, "coupling.set-up");
  sbg_wait_until (sbg_dialog_loaded, SBG_PICKER, "the Sales accounts");
  picker = sbg_find_window ("coupling-picker");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (picker, "picker-stack"))),
                   ==, "list");
  /* The account coupled already is not offered again. */
  g_assert_false (sbg_has_label (sbg_get (picker, "picker-list"), "Adatum Corporation"));
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (picker, "picker-search")), "trey");
  sbg_settle (300);
  sbg_screenshot (picker, "coupling-picker");
  g_assert_true (sbg_select_row_with (sbg_get (picker, "picker-list"), "sb-dataverse-id", trey_id));
  g_assert_true (gtk_widget_get_sensitive (sbg_get (picker, "picker-couple-button")));
  g_signal_emit_by_name (sbg_get (picker, "picker-couple-button"), "clicked");
  sbg_wait_until (sbg_window_gone, "coupling-picker", "the picker to close");
  sbg_settle (50);
  sbg_wait_until (controller_idle, fx, "the coupling");
  second_coupling = find_coupling (fx, second);
  g_assert_nonnull (second_coupling);
  g_assert_cmpstr (second_coupling->dataverse_id, ==, trey_id);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, second), ==,
                   SB_COUPLING_STATUS_COUPLED);

  /* Synchronize Now, Sales winning, after seeing both names */
  select_customer (fx, second);
  activate (fx, "coupling.sync-now");
  sbg_wait_until (sbg_dialog_loaded, (gpointer) sync_now_names, "both sides' values");
  dialog = sbg_find_window ("sync-now-dialog");
  g_assert_cmpstr (
      gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (dialog, "sync-now-stack"))), ==,
      "compare");
  g_assert_true (sbg_has_label (sbg_get (dialog, "sync-now-compare"), "Trey Research"));
  g_assert_true (sbg_has_label (sbg_get (dialog, "sync-now-compare"), "Trey Research Inc."));
  sbg_screenshot (dialog, "coupling-sync-now");
  sbg_respond (dialog, "from-sales");
  g_assert_true (sb_sync_activity_is_running (activity));
  g_assert_cmpstr (sb_sync_activity_get_title (activity), ==, "Synchronizing records");
  sbg_settle (50);
  sbg_wait_until (controller_idle, fx, "the synchronization");
  g_assert_false (sb_sync_activity_is_running (activity));
  customer = sb_customer_lookup (sb_window_get_store (fx->window), second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Trey Research Inc.");

  /* The filter */
  sb_coupling_controller_set_filter (fx->controller, SB_COUPLING_STATUS_COUPLED);
  sbg_wait_until (controller_idle, fx, "the filter");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sbg_get (fx->page, "coupling-filter")),
                              1 + SB_COUPLING_STATUS_NOT_COUPLED);
  sbg_wait_until (controller_idle, fx, "the filter");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sbg_get (fx->page, "coupling-filter")), 0);
  sbg_wait_until (controller_idle, fx, "the filter");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 3);

  /* The card */
  detail = sb_record_list_page_open_detail (fx->page, 1);
  g_assert_nonnull (detail);
  sbg_settle (400);
  g_assert_cmpstr (
      adw_action_row_get_subtitle (ADW_ACTION_ROW (sbg_get (detail, "coupling-status-row"))), !=,
      NULL);
  sbg_get (detail, "coupling-sync-now-row");
  sbg_get (detail, "coupling-uncouple-row");
  g_assert_true (action_enabled (fx, "uncouple"));
  sbg_screenshot (fx->window, "coupling-card");

  /* Uncouple from the card */
  activate (fx, "coupling.uncouple");
  sbg_wait_until (sbg_window_shown, "uncouple-dialog", "the question");
  dialog = sbg_find_window ("uncouple-dialog");
  sbg_screenshot (dialog, "coupling-uncouple");
  sbg_respond (dialog, "uncouple");
  sbg_settle (50);
  sbg_wait_until (controller_idle, fx, "the uncoupling");
  g_assert_null (find_coupling (fx, second));
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, second), ==,
                   SB_COUPLING_STATUS_NOT_COUPLED);
  sb_record_list_page_go_back (fx->page);
  sbg_settle (300);

  /* Match-based coupling on the account number: Trey again, by its name now equal on both
   * sides; Alpine without a match is created. */
  activate (fx, "coupling.match");
  sbg_wait_until (sbg_window_shown, "match-dialog", "the match dialog");
  dialog = sbg_find_window ("match-dialog");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sbg_get (dialog, "match-no")), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sbg_get (dialog, "match-name")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (sbg_get (dialog, "match-create-switch")), TRUE);
  sbg_screenshot (dialog, "coupling-match");
  sbg_respond (dialog, "couple");
  sbg_wait_until (sbg_window_shown, "match-result-dialog", "the match result");
  dialog = sbg_find_window ("match-result-dialog");
  sbg_screenshot (dialog, "coupling-match-result");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sbg_wait_until (controller_idle, fx, "the statuses");
  g_clear_pointer (&second_coupling, sb_sync_coupling_free);
  second_coupling = find_coupling (fx, second);
  g_assert_nonnull (second_coupling);
  g_assert_cmpstr (second_coupling->dataverse_id, ==, trey_id);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, third), ==,
                   SB_COUPLING_STATUS_COUPLED);
}

static void
test_disabled (Fixture *fx, gconstpointer data)
{
  g_autofree char *first = NULL;
  GtkWidget *detail;

  open_window (fx);
  g_assert_false (sb_coupling_controller_get_connection_enabled (fx->controller));
  first = first_customer_no (fx, 0);
  select_customer (fx, first);
  g_assert_false (action_enabled (fx, "create"));
  g_assert_false (action_enabled (fx, "match"));
  detail = sb_record_list_page_open_detail (fx->page, 0);
  sbg_settle (400);
  g_assert_null (sbg_find_named (detail, "coupling-create-row"));
  g_assert_true (sbg_has_label (detail, "Not Coupled"));
  sbg_screenshot (fx->window, "coupling-card-disabled");
}

/* Integration Table Mappings */

static gboolean
mapping_page_idle (gpointer page)
{
  return !sb_mapping_page_is_busy (page) &&
         g_strcmp0 (sb_mapping_page_get_state (page), "loading") != 0;
}

static SbMappingPage *
show_mappings (Fixture *fx)
{
  SbMappingPage *page;

  sb_window_show_page (fx->window, "mappings");
  page = SB_MAPPING_PAGE (sb_window_get_page (fx->window, "mappings"));
  sbg_settle (100);
  sbg_wait_until (mapping_page_idle, page, "the mappings");
  return page;
}

static SbSyncMapping *
load_mapping (Fixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  SbSyncMapping *m = sb_sync_mapping_load (sb_window_get_store (fx->window), name, &error);

  g_assert_no_error (error);
  return m;
}

static void
test_mappings (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbSyncMapping) before = NULL;
  g_autoptr (SbSyncMapping) after = NULL;
  g_autoptr (SbSyncMapping) reset = NULL;
  g_autoptr (JsonNode) log = NULL;
  g_autoptr (GError) error = NULL;
  SbMappingPage *page;
  GtkWidget *detail;
  GtkWidget *dialog;

  open_window (fx);
  page = show_mappings (fx);
  g_assert_cmpstr (sb_mapping_page_get_state (page), ==, "list");
  sbg_get (page, "mapping-CUSTOMER");
  sbg_get (page, "mapping-ITEM-PRODUCT");
  sbg_screenshot (fx->window, "mappings-list");

  /* An edit the engine refuses is not stored, and says why. */
  before = load_mapping (fx, "CUSTOMER");
  detail = sb_mapping_page_open_detail (page, "CUSTOMER");
  g_assert_nonnull (detail);
  sbg_settle (300);
  sbg_screenshot (fx->window, "mappings-detail");
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (detail, "mapping-dataverse-filter")),
                         "statecode eqq 0");
  g_signal_emit_by_name (sbg_get (detail, "mapping-save"), "clicked");
  g_assert_nonnull (sb_mapping_page_get_last_message (page));
  g_test_message ("Refused: %s", sb_mapping_page_get_last_message (page));
  g_assert_true (gtk_widget_get_visible (sbg_get (detail, "mapping-error")));
  after = load_mapping (fx, "CUSTOMER");
  g_assert_cmpstr (after->dataverse_filter, ==, before->dataverse_filter);
  sbg_screenshot (fx->window, "mappings-refused");

  /* A valid one is. */
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (detail, "mapping-dataverse-filter")),
                         before->dataverse_filter);
  gtk_switch_set_active (GTK_SWITCH (sbg_get (detail, "mapping-sync-after")),
                         !before->sync_after_coupling);
  g_signal_emit_by_name (sbg_get (detail, "mapping-save"), "clicked");
  g_clear_pointer (&after, sb_sync_mapping_free);
  after = load_mapping (fx, "CUSTOMER");
  g_assert_cmpint (after->sync_after_coupling, ==, !before->sync_after_coupling);
  g_assert_cmpstr (sb_mapping_page_get_last_message (page), ==, "Mapping saved");

  /* Reset to defaults */
  g_signal_emit_by_name (sbg_get (detail, "mapping-reset"), "clicked");
  sbg_wait_until (sbg_window_shown, "reset-dialog", "the question");
  dialog = sbg_find_window ("reset-dialog");
  sbg_respond (dialog, "reset");
  reset = load_mapping (fx, "CUSTOMER");
  g_assert_cmpint (reset->sync_after_coupling, ==, before->sync_after_coupling);
  sbg_wait_until (mapping_page_idle, page, "the mappings");

  /* Synchronize in the background */
  sb_mapping_page_synchronize (page, "CURRENCY");
  g_assert_true (sb_mapping_page_is_busy (page));
  sbg_screenshot (fx->window, "mappings-synchronizing");
  sbg_wait_until (mapping_page_idle, page, "the synchronization");
  g_test_message ("%s", sb_mapping_page_get_last_message (page));
  g_assert_true (g_str_has_prefix (sb_mapping_page_get_last_message (page), "CURRENCY: "));
  log = sb_sync_engine_get_log (sb_window_get_store (fx->window), FALSE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), >=, 1);
}

static void
test_mappings_disabled (Fixture *fx, gconstpointer data)
{
  SbMappingPage *page;

  open_window (fx);
  page = show_mappings (fx);
  g_assert_cmpstr (sb_mapping_page_get_state (page), ==, "disabled");
  sbg_screenshot (fx->window, "mappings-disabled");
}

/* Synchronization Log */

static gboolean
log_page_idle (gpointer page)
{
  return !sb_sync_log_page_is_busy (page) &&
         g_strcmp0 (sb_sync_log_page_get_state (page), "loading") != 0;
}

static void
test_log (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonNode) conflicts = NULL;
  g_autofree char *id = NULL;
  SbSyncCounters counters;
  SbSyncLogPage *page;
  SbStore *store;

  open_window (fx);
  store = sb_window_get_store (fx->window);
  page = SB_SYNC_LOG_PAGE (sb_window_get_page (fx->window, "sync-log"));
  sb_window_show_page (fx->window, "sync-log");
  sbg_settle (100);
  sbg_wait_until (log_page_idle, page, "the log");
  g_assert_cmpstr (sb_sync_log_page_get_state (page), ==, "empty");
  sbg_screenshot (fx->window, "sync-log-empty");

  /* A customer changed on both sides since it was created in Sales: a conflict. */
  cnc = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                      "tenant", "sandbox", "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  engine = sb_sync_engine_new (store, cnc);
  /* The sandbox outlives each test: a number of its own. */
  customer = sb_customer_new ();
  g_free (customer->no);
  customer->no = g_strdup ("LOG-1");
  g_free (customer->name);
  customer->name = g_strdup ("Adatum");
  g_assert_true (sb_customer_insert (store, customer, &error));
  g_assert_no_error (error);
  id = sb_sync_engine_create_in_sales_sync (engine, "CUSTOMER", "LOG-1", NULL, &error);
  g_assert_no_error (error);
  g_free (customer->name);
  customer->name = g_strdup ("Adatum (ERP)");
  g_assert_true (sb_customer_update (store, customer, &error));
  g_assert_no_error (error);
  json_object_set_string_member (change, "name", "Adatum (Sales)");
  g_assert_true (sb_dataverse_connection_write_sync (fx->sales, "accounts", id, change,
                                                     SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  sbg_settle (1100); /* modifiedon has whole seconds */
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH,
                                                   &counters, NULL, &error));
  g_assert_no_error (error);
  conflicts = sb_sync_engine_get_conflicts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);

  sb_sync_log_page_reload (page);
  sbg_wait_until (log_page_idle, page, "the log");
  g_assert_cmpstr (sb_sync_log_page_get_state (page), ==, "log");
  sbg_get (page, "conflict-LOG-1");
  sbg_screenshot (fx->window, "sync-log");

  /* Keep the Sales data */
  g_signal_emit_by_name (sbg_get (sbg_get (page, "conflict-LOG-1"), "keep-sales"), "clicked");
  g_assert_true (sb_sync_log_page_is_busy (page));
  sbg_wait_until (log_page_idle, page, "the resolution");
  g_test_message ("%s", sb_sync_log_page_get_last_message (page));
  g_clear_pointer (&conflicts, json_node_unref);
  conflicts = sb_sync_engine_get_conflicts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 0);
  g_clear_pointer (&customer, sb_customer_free);
  customer = sb_customer_lookup (store, "LOG-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Adatum (Sales)");
  g_assert_null (sbg_find_named (GTK_WIDGET (page), "conflict-LOG-1"));
  sbg_screenshot (fx->window, "sync-log-resolved");

  /* A record skipped after failing twice takes part again once restored. */
  g_clear_pointer (&coupling, sb_sync_coupling_free);
  coupling = sb_sync_coupling_find_erp (store, "CUSTOMER", "LOG-1", &error);
  g_assert_no_error (error);
  coupling->skipped = TRUE;
  g_free (coupling->last_error);
  coupling->last_error = g_strdup ("The name is too long.");
  g_assert_true (sb_sync_coupling_save (store, coupling, &error));
  g_assert_no_error (error);
  sb_sync_log_page_reload (page);
  sbg_wait_until (log_page_idle, page, "the log");
  sbg_get (page, "skipped-LOG-1");
  sbg_screenshot (fx->window, "sync-log-skipped");
  g_signal_emit_by_name (sbg_get (sbg_get (page, "skipped-LOG-1"), "restore"), "clicked");
  sbg_wait_until (log_page_idle, page, "the restore");
  g_clear_pointer (&coupling, sb_sync_coupling_free);
  coupling = sb_sync_coupling_find_erp (store, "CUSTOMER", "LOG-1", &error);
  g_assert_no_error (error);
  g_assert_false (coupling->skipped);
  g_assert_null (sbg_find_named (GTK_WIDGET (page), "skipped-LOG-1"));
}

/* Full Synchronization Review */

static gboolean
review_idle (gpointer page)
{
  return !sb_sync_review_page_is_busy (page) &&
         g_strcmp0 (sb_sync_review_page_get_state (page), "loading") != 0;
}

static void
test_review (Fixture *fx, gconstpointer data)
{
  SbSyncReviewPage *page;

  open_window (fx);
  page = SB_SYNC_REVIEW_PAGE (sb_window_get_page (fx->window, "review"));
  sb_window_show_page (fx->window, "review");
  sbg_settle (100);
  sbg_wait_until (review_idle, page, "the review");
  g_assert_cmpstr (sb_sync_review_page_get_state (page), ==, "empty");
  sbg_screenshot (fx->window, "review-empty");

  sb_sync_review_page_generate (page);
  g_assert_true (sb_sync_review_page_is_running (page));
  sbg_wait_until (review_idle, page, "the generation");
  g_assert_cmpstr (sb_sync_review_page_get_state (page), ==, "lines");
  sbg_get (page, "line-CUSTOMER");
  sbg_screenshot (fx->window, "review-generated");

  /* Started, then left running while the user looks at the customers */
  sb_sync_review_page_start (page);
  g_assert_true (sb_sync_review_page_is_running (page));
  sb_window_show_page (fx->window, "customers");
  sbg_settle (50);
  sb_window_show_page (fx->window, "review");
  sbg_wait_until (review_idle, page, "the full synchronization");
  g_test_message ("%s", sb_sync_review_page_get_last_message (page));
  g_assert_cmpstr (sb_sync_review_page_get_last_message (page), ==,
                   "Full synchronization finished");
  sbg_screenshot (fx->window, "review-finished");
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring = sbg_sync_test_init (&argc, &argv);
  g_autoptr (GError) error = NULL;
  int status;

  server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

  g_test_add ("/gui/sync/coupling", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_coupling,
              fixture_tear_down);
  g_test_add ("/gui/sync/coupling/disabled", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_disabled, fixture_tear_down);

  g_test_add ("/gui/sync/mappings", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_mappings,
              fixture_tear_down);
  g_test_add ("/gui/sync/mappings/disabled", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_mappings_disabled, fixture_tear_down);

  g_test_add ("/gui/sync/log", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_log,
              fixture_tear_down);

  g_test_add ("/gui/sync/review", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_review,
              fixture_tear_down);

  status = g_test_run ();
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
