/* test-gui-coupling-pages.c: the coupling of salespeople, currencies, units, items and contacts
 * from their list pages, and a record's synchronization history
 *
 * A temporary company database with an enabled connection to the in-process sandbox seeded
 * with its demo Sales organization (secret in a private keyring), driven through the pages'
 * actions and dialogs as a user would; each step checks the widgets and the data on both sides
 * (the ERP store and the sandbox's rows).
 *
 * With SB_SCREENSHOT_DIR set, the pages and dialogs are saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "sb-coupling-controller.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-record-list-page.h"
#include "sb-reference-data.h"
#include "sb-sandbox-server.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  char *dir;
  char *db_path;
  SbWindow *window;
  SbStore *store; /* the window's */
  SbRecordListPage *page;
  SbCouplingController *controller;
  SbDataverseConnection *sales; /* reads what Sales holds */
} Fixture;

/* Fixture */

/* A new record of @type from "field", "value" pairs (NULL-terminated), in the stable
 * machine form the CLI takes. */
static void
add_record (SbStore *store, const SbRecordType *type, ...)
{
  g_autoptr (GError) error = NULL;
  gpointer record = sb_record_new (type);
  const char *name;
  va_list args;

  va_start (args, type);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      g_assert_true (sb_record_parse_field (type, sb_record_type_find_field (type, name), record,
                                            value, &error));
      g_assert_no_error (error);
    }
  va_end (args);
  sb_record_insert (store, type, record, &error);
  g_assert_no_error (error);
  sb_record_free (type, record);
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbStore) store = NULL;

  store = sbg_company_new (&fx->dir, &fx->db_path);
  add_record (store, &sb_salesperson_record_type, "code", "JL", "name", "Jordan Lee", NULL);
  add_record (store, &sb_currency_record_type, "code", "NOK", "description", "Norwegian Krone",
              "exchange_rate", "0.095", NULL);
  add_record (store, &sb_unit_of_measure_record_type, "code", "GUIU", "description", "Test unit",
              NULL);
  add_record (store, &sb_item_record_type, "no", "GUI-1000", "description", "GUI Test Desk",
              "base_unit_code", "GUIU", "unit_price", "123.45", NULL);
  add_record (store, &sb_item_record_type, "no", "1896-S", "description", "Athens desk", NULL);
  add_record (store, &sb_customer_record_type, "no", "C-ADATUM", "name", "Adatum Corporation",
              NULL);
  add_record (store, &sb_contact_record_type, "no", "CT-1", "first_name", "Ada", "surname",
              "Tester", "email", "ada@adatum.example", "company_no", "C-ADATUM", NULL);
  add_record (store, &sb_contact_record_type, "no", "CT-2", "first_name", "Ben", "surname",
              "Tester", "email", "ben@adatum.example", "company_no", "C-ADATUM", NULL);
  add_record (store, &sb_contact_record_type, "no", "CT-3", "first_name", "Nobody", "surname",
              "Tester", "email", "nobody@nowhere.example", "company_no", "C-ADATUM", NULL);
  sbg_enable_connection (store, base_url);

  fx->sales =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->sales, SB_SANDBOX_DEFAULT_SECRET);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->window != NULL)
    {
      sbg_clear_secret (fx->store);
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  g_clear_object (&fx->sales);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

static gboolean
page_idle (gpointer user_data)
{
  Fixture *fx = user_data;

  return !sb_record_list_page_is_busy (fx->page) &&
         !sb_coupling_controller_is_busy (fx->controller);
}

static void
open_window (Fixture *fx)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  fx->store = sb_window_get_store (fx->window);
}

/* Shows the list page @name and waits for its rows and statuses. */
static void
show_page (Fixture *fx, const char *name)
{
  sb_window_show_page (fx->window, name);
  fx->page = SB_RECORD_LIST_PAGE (sb_window_get_page (fx->window, name));
  fx->controller = sb_coupling_controller_get (fx->page);
  g_assert_nonnull (fx->controller);
  sbg_settle (100);
  sbg_wait_until (page_idle, fx, name);
  g_assert_true (sb_coupling_controller_get_connection_enabled (fx->controller));
}

/* Selects the row whose record's key field @field is @key, alone. */
static void
select_key (Fixture *fx, const char *field, const char *key)
{
  GListModel *model = sb_record_list_page_get_model (fx->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (sb_record_object_get_text (row, field), key) == 0)
        {
          gtk_selection_model_select_item (sb_record_list_page_get_selection (fx->page), i, TRUE);
          return;
        }
    }
  g_error ("No row %s in %s", key, sb_record_list_page_get_spec (fx->page)->name);
}

static void
activate (Fixture *fx, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->page), action, NULL));
}

static gboolean
has_action (Fixture *fx, const char *action)
{
  return g_action_group_has_action (sb_coupling_controller_get_actions (fx->controller), action);
}

static gboolean
action_enabled (Fixture *fx, const char *action)
{
  return has_action (fx, action) &&
         g_action_group_get_action_enabled (sb_coupling_controller_get_actions (fx->controller),
                                            action);
}

static char *
coupled_id (Fixture *fx, const char *mapping, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) coupling = sb_sync_coupling_find_erp (fx->store, mapping, key, &error);

  g_assert_no_error (error);
  return coupling != NULL && sb_sync_coupling_is_coupled (coupling)
             ? g_strdup (coupling->dataverse_id)
             : NULL;
}

/* The Sales row of @entity_set with alternate key @key ("isocurrencycode='EUR'"). */
static JsonObject *
sales_row (Fixture *fx, const char *entity_set, const char *key)
{
  g_autoptr (GError) error = NULL;
  JsonObject *row =
      sb_dataverse_connection_retrieve_sync (fx->sales, entity_set, key, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return row;
}

static char *
sales_id (Fixture *fx, const char *entity_set, const char *key, const char *id_attr)
{
  g_autoptr (JsonObject) row = sales_row (fx, entity_set, key);

  return g_strdup (json_object_get_string_member (row, id_attr));
}

/* Set Up Coupling on the selected row with Sales row @id, found by searching @search. */
static void
couple_by_hand (Fixture *fx, const char *search, const char *id)
{
  g_autofree char *shot = NULL;
  GtkWidget *picker;

  g_assert_true (action_enabled (fx, "set-up"));
  activate (fx, "coupling.set-up");
  sbg_wait_until (sbg_dialog_loaded, SBG_PICKER, "the Sales rows");
  picker = sbg_find_window ("coupling-picker");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (picker, "picker-stack"))),
                   ==, "list");
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (picker, "picker-search")), search);
  sbg_settle (300);
  g_assert_true (sbg_select_row_with (sbg_get (picker, "picker-list"), "sb-dataverse-id", id));
  shot = g_strdup_printf ("coupling-picker-%s", search);
  sbg_screenshot (picker, g_strdelimit (shot, " ", '-'));
  g_assert_true (gtk_widget_get_sensitive (sbg_get (picker, "picker-couple-button")));
  g_signal_emit_by_name (sbg_get (picker, "picker-couple-button"), "clicked");
  sbg_wait_until (sbg_window_gone, "coupling-picker", "the picker to close");
  sbg_settle (50);
  sbg_wait_until (page_idle, fx, "the coupling");
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

/* Tests */

static void
test_salesperson (Fixture *fx, gconstpointer data)
{
  g_autofree char *expected = NULL;
  static const char *const sync_now[] = { "sync-now-dialog", "sync-now-stack" };
  static const char *const history_names[] = { "sync-history-dialog", "history-stack" };
  g_autoptr (GError) error = NULL;
  g_autofree char *jordan = NULL;
  g_autofree char *coupled = NULL;
  g_autoptr (JsonObject) user = NULL;
  g_autoptr (SbSalesperson) salesperson = NULL;
  g_autoptr (JsonNode) history = NULL;
  GtkWidget *dialog, *list, *detail;

  open_window (fx);
  show_page (fx, "salespeople");
  sbg_screenshot (fx->window, "coupling-salespeople");
  /* SALESPEOPLE only comes from Sales: nothing to create there, not even greyed out. */
  g_assert_false (has_action (fx, "create"));
  select_key (fx, "code", "JL");
  g_assert_false (has_action (fx, "create"));
  g_assert_true (action_enabled (fx, "history"));

  jordan =
      sales_id (fx, "systemusers", "domainname='jordan.lee@contoso-sales.example'", "systemuserid");
  couple_by_hand (fx, "jordan", jordan);
  coupled = coupled_id (fx, "SALESPEOPLE", "JL");
  g_assert_cmpstr (coupled, ==, jordan);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, "JL"), ==,
                   SB_COUPLING_STATUS_COUPLED);
  g_assert_true (sbg_has_label (GTK_WIDGET (fx->page),
                                sb_coupling_status_get_label (SB_COUPLING_STATUS_COUPLED)));

  /* Synchronize Now offers only the Sales data, shown beside Salesbridge's. */
  activate (fx, "coupling.sync-now");
  sbg_wait_until (sbg_dialog_loaded, (gpointer) sync_now, "both sides' values");
  dialog = sbg_find_window ("sync-now-dialog");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "from-sales"));
  g_assert_false (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "to-sales"));
  g_assert_true (
      sbg_has_label (sbg_get (dialog, "sync-now-compare"), "jordan.lee@contoso-sales.example"));
  sbg_screenshot (dialog, "coupling-salesperson-sync-now");
  sbg_respond (dialog, "from-sales");
  sbg_settle (50);
  sbg_wait_until (page_idle, fx, "the synchronization");
  salesperson = sb_code_record_lookup (fx->store, &sb_salesperson_record_type, "JL", &error);
  g_assert_no_error (error);
  user = sales_row (fx, "systemusers", jordan);
  g_assert_cmpstr (salesperson->email, ==, "jordan.lee@contoso-sales.example");
  g_assert_cmpstr (salesperson->phone, ==, json_object_get_string_member (user, "mobilephone"));

  /* The history: what the coupling and the transfer did, newest first. */
  history = sb_sync_engine_get_history (fx->store, "SALESPEOPLE", "JL", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), >=, 2);
  /* The list was read again after the transfer. */
  select_key (fx, "code", "JL");
  g_assert_true (action_enabled (fx, "history"));
  activate (fx, "coupling.history");
  sbg_wait_until (sbg_dialog_loaded, (gpointer) history_names, "the history");
  dialog = sbg_find_window ("sync-history-dialog");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (dialog, "history-stack"))),
                   ==, "list");
  list = sbg_get (dialog, "history-list");
  g_assert_cmpuint (count_rows (list), ==, json_array_get_length (json_node_get_array (history)));
  /* The newest: the transfer from Sales, with the email it brought. */
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (json_node_get_array (history), 0), "action"),
                   ==, "modified");
  /* In the user's language (the strings as the dialog builds them). */
  expected = g_strdup_printf (_ ("%s · %s"), _ ("Updated"), _ ("From Dynamics 365 Sales"));
  g_assert_cmpstr (
      adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sbg_get (list, "history-row-0"))), ==,
      expected);
  /* The coupling before it concerns both sides: no direction. */
  g_assert_cmpstr (
      adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sbg_get (list, "history-row-1"))), ==,
      _ ("Coupled"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (sbg_get (list, "history-row-0")), TRUE);
  sbg_settle (300);
  g_assert_true (
      sbg_has_label (sbg_get (list, "history-row-0"), "jordan.lee@contoso-sales.example"));
  sbg_screenshot (dialog, "coupling-history");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The card offers the history too, and no creation in Sales. */
  detail = sb_record_list_page_open_detail (fx->page, 0);
  g_assert_nonnull (detail);
  sbg_settle (400);
  sbg_get (detail, "coupling-history-row");
  g_assert_null (sbg_find_named (detail, "coupling-create-row"));
  sbg_screenshot (fx->window, "coupling-salesperson-card");
}

static void
test_currency_unit_item (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (JsonObject) unit = NULL;
  g_autoptr (JsonObject) product = NULL;
  g_autofree char *nok = NULL;
  g_autofree char *coupled = NULL;
  g_autofree char *unit_id = NULL;
  g_autofree char *product_id = NULL;
  g_autofree char *athens = NULL;

  open_window (fx);

  /* A currency coupled by hand with one made in Sales meanwhile. */
  json_object_set_string_member (record, "isocurrencycode", "NOK");
  json_object_set_string_member (record, "currencyname", "Norwegian krone");
  json_object_set_string_member (record, "currencysymbol", "kr");
  json_object_set_double_member (record, "exchangerate", 10.5);
  json_object_set_int_member (record, "currencyprecision", 2);
  nok = sb_dataverse_connection_create_sync (fx->sales, "transactioncurrencies", record, NULL, NULL,
                                             &error);
  g_assert_no_error (error);
  show_page (fx, "currencies");
  select_key (fx, "code", "NOK");
  g_assert_true (action_enabled (fx, "create"));
  couple_by_hand (fx, "NOK", nok);
  coupled = coupled_id (fx, "CURRENCY", "NOK");
  g_assert_cmpstr (coupled, ==, nok);
  sbg_screenshot (fx->window, "coupling-currencies");

  /* The unit created in Sales from its page */
  show_page (fx, "units");
  select_key (fx, "code", "GUIU");
  activate (fx, "coupling.create");
  sbg_wait_until (page_idle, fx, "the unit group's creation");
  g_test_message ("%s", sb_coupling_controller_get_last_message (fx->controller));
  unit_id = coupled_id (fx, "UNIT OF MEASURE", "GUIU");
  g_assert_nonnull (unit_id);
  unit = sales_row (fx, "uomschedules", unit_id);
  g_assert_cmpstr (json_object_get_string_member (unit, "name"), ==, "GUIU");

  /* Create Product in Sales: the product has the item's number, name, price and unit. */
  show_page (fx, "items");
  select_key (fx, "no", "GUI-1000");
  activate (fx, "coupling.create");
  sbg_wait_until (page_idle, fx, "the product's creation");
  g_test_message ("%s", sb_coupling_controller_get_last_message (fx->controller));
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, "GUI-1000"), ==,
                   SB_COUPLING_STATUS_COUPLED);
  product_id = coupled_id (fx, "ITEM-PRODUCT", "GUI-1000");
  g_assert_nonnull (product_id);
  product = sales_row (fx, "products", product_id);
  g_assert_cmpstr (json_object_get_string_member (product, "productnumber"), ==, "GUI-1000");
  g_assert_cmpstr (json_object_get_string_member (product, "name"), ==, "GUI Test Desk");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (product, "price"), 123.45, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (product, "_defaultuomscheduleid_value"), ==,
                   unit_id);

  /* An item coupled by hand with the demo's product */
  athens = sales_id (fx, "products", "productnumber='1896-S'", "productid");
  select_key (fx, "no", "1896-S");
  couple_by_hand (fx, "athens desk", athens);
  g_clear_pointer (&coupled, g_free);
  coupled = coupled_id (fx, "ITEM-PRODUCT", "1896-S");
  g_assert_cmpstr (coupled, ==, athens);
  sbg_screenshot (fx->window, "coupling-items");
}

static void
test_contacts_match (Fixture *fx, gconstpointer data)
{
  g_autofree char *coupled = NULL;
  g_autofree char *created = NULL;
  g_autofree char *unmatched = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *ct1 = NULL;
  g_autofree char *ct2 = NULL;
  g_autofree char *ct3 = NULL;
  GtkWidget *dialog;

  open_window (fx);
  show_page (fx, "contacts");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 3);
  sbg_screenshot (fx->window, "coupling-contacts");

  activate (fx, "coupling.match");
  sbg_wait_until (sbg_window_shown, "match-dialog", "the match dialog");
  dialog = sbg_find_window ("match-dialog");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sbg_get (dialog, "match-email")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sbg_get (dialog, "match-first_name")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (sbg_get (dialog, "match-create-switch")), FALSE);
  gtk_switch_set_active (GTK_SWITCH (sbg_get (dialog, "match-sync-switch")), FALSE);
  sbg_screenshot (dialog, "coupling-contacts-match");
  sbg_respond (dialog, "couple");
  sbg_wait_until (sbg_window_shown, "match-result-dialog", "the match result");
  dialog = sbg_find_window ("match-result-dialog");
  coupled = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u record coupled", "%u records coupled", 2), 2);
  created = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u record created in Sales", "%u records created in Sales", 0),
      0);
  unmatched = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u record without a match", "%u records without a match", 1),
      1);
  expected = g_strdup_printf ("%s\n%s\n%s", coupled, created, unmatched);
  g_assert_true (sbg_has_label (dialog, expected));
  sbg_screenshot (dialog, "coupling-contacts-match-result");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sbg_wait_until (page_idle, fx, "the statuses");

  ada =
      sales_id (fx, "contacts", "firstname='Ada',emailaddress1='ada@adatum.example'", "contactid");
  ben =
      sales_id (fx, "contacts", "firstname='Ben',emailaddress1='ben@adatum.example'", "contactid");
  ct1 = coupled_id (fx, "CONTACT", "CT-1");
  ct2 = coupled_id (fx, "CONTACT", "CT-2");
  ct3 = coupled_id (fx, "CONTACT", "CT-3");
  g_assert_cmpstr (ct1, ==, ada);
  g_assert_cmpstr (ct2, ==, ben);
  g_assert_null (ct3);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, "CT-1"), ==,
                   SB_COUPLING_STATUS_COUPLED);
  g_assert_cmpint (sb_coupling_controller_get_status (fx->controller, "CT-3"), !=,
                   SB_COUPLING_STATUS_COUPLED);

  /* Filtered to the coupled ones */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sbg_get (fx->page, "coupling-filter")),
                              1 + SB_COUPLING_STATUS_COUPLED);
  sbg_wait_until (page_idle, fx, "the filter");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (fx->page)), ==, 2);
  sbg_screenshot (fx->window, "coupling-contacts-coupled");
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  g_autoptr (GError) error = NULL;
  int status;

  keyring = sbg_sync_test_init (&argc, &argv);

  server = sb_sandbox_server_new ();
  sb_sandbox_server_set_seed_demo (server, TRUE);
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

  g_test_add ("/gui/coupling/salesperson", Fixture, NULL, fixture_set_up, test_salesperson,
              fixture_tear_down);
  g_test_add ("/gui/coupling/currency-unit-item", Fixture, NULL, fixture_set_up,
              test_currency_unit_item, fixture_tear_down);
  g_test_add ("/gui/coupling/contacts-match", Fixture, NULL, fixture_set_up, test_contacts_match,
              fixture_tear_down);

  status = g_test_run ();
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
