/* test-gui-coupling-sales-records.c: the Sales Records Not Coupled page
 *
 * Against the in-process sandbox seeded with its demo organization: the accounts no customer
 * is coupled with, searched, created in the ERP and coupled with a customer picked from a list;
 * another table; the page without a connection and with Dynamics 365 Sales out of reach; the
 * sidebar at a normal and at a phone's width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <string.h>

#include "sb-coupling-controller.h"
#include "sb-customer.h"
#include "sb-dataverse.h"
#include "sb-sales-records-page.h"
#include "sb-sandbox-server.h"
#include "sb-connection-setup.h"
#include "sb-secret-store.h"
#include "sb-sync-coupling.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  char *dir;
  char *db_path;
  SbWindow *window;
  SbStore *store;
  SbSalesRecordsPage *page;
  SbDataverseConnection *sales;
  gboolean connected;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbCustomer) customer = sb_customer_new ();

  store = sbg_company_new (&fx->dir, &fx->db_path);
  g_free (customer->no);
  customer->no = g_strdup ("C-COHO");
  g_free (customer->name);
  customer->name = g_strdup ("Coho Vineyard (ERP)");
  g_assert_true (sb_customer_insert (store, customer, &error));
  g_assert_no_error (error);
  /* data: the sandbox to connect to, or NULL for none */
  if (data != NULL)
    {
      sbg_enable_connection (store, sb_sandbox_server_get_base_url ((SbSandboxServer *) data));
      fx->connected = TRUE;
    }

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
      if (fx->connected)
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
page_idle (gpointer page)
{
  return !sb_sales_records_page_is_busy (page);
}

static void
open_page (Fixture *fx, int width)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), width, 800);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  fx->store = sb_window_get_store (fx->window);
  sb_window_show_page (fx->window, "sales-records");
  fx->page = SB_SALES_RECORDS_PAGE (sb_window_get_page (fx->window, "sales-records"));
  sbg_settle (100);
  sbg_wait_until (page_idle, fx->page, "the Sales records");
}

static char *
account_id (Fixture *fx, const char *number)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("accountnumber='%s'", number);
  g_autoptr (JsonObject) row =
      sb_dataverse_connection_retrieve_sync (fx->sales, "accounts", key, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (row, "accountid"));
}

static void
search (Fixture *fx, const char *text)
{
  sb_sales_records_page_set_search_text (fx->page, text);
  sbg_wait_until (page_idle, fx->page, "the search");
}

static GtkWidget *
list (Fixture *fx)
{
  return sbg_get (fx->page, "sales-records-list");
}

static guint
count_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (widget); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n += GTK_IS_LIST_BOX_ROW (row);
  return n;
}

static void
test_accounts (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *relecloud = NULL;
  g_autofree char *coho = NULL;
  g_autoptr (SbSyncCoupling) created = NULL;
  g_autoptr (SbSyncCoupling) coupled = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  GtkWidget *picker;
  guint n_accounts;

  open_page (fx, 1280);
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "list");
  g_assert_cmpstr (sb_sales_records_page_get_mapping (fx->page), ==, "CUSTOMER");
  /* The demo's twelve customer accounts, none coupled yet (the sandbox is shared by the tests:
   * some may be from earlier ones). */
  n_accounts = count_rows (list (fx));
  g_assert_cmpuint (n_accounts, >=, 12);
  relecloud = account_id (fx, "SA-050");
  coho = account_id (fx, "SA-090");
  sbg_screenshot (fx->window, "sales-records");

  /* Searched by Dataverse */
  search (fx, "relecl");
  g_assert_cmpuint (count_rows (list (fx)), ==, 1);
  g_assert_true (sbg_select_row_with (list (fx), "sb-dataverse-id", relecloud));
  g_assert_true (gtk_widget_is_sensitive (sbg_get (fx->page, "sales-records-create")));

  /* Create Customer in ERP */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->page), "sales-records.create", NULL));
  g_assert_true (sb_sales_records_page_is_busy (fx->page));
  sbg_wait_until (page_idle, fx->page, "the customer's creation");
  g_test_message ("%s", sb_sales_records_page_get_last_message (fx->page));
  g_assert_cmpstr (sb_sales_records_page_get_last_message (fx->page), ==,
                   "1 record created in the ERP");
  created = sb_sync_coupling_find_dataverse (fx->store, "CUSTOMER", relecloud, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_true (sb_sync_coupling_is_coupled (created));
  customer = sb_customer_lookup (fx->store, created->erp_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Relecloud");
  g_assert_cmpstr (customer->city, ==, "Seattle");
  /* Coupled now: no longer listed. */
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "no-results");
  g_assert_cmpuint (count_rows (list (fx)), ==, 0);

  /* Couple with a customer picked from the ERP's, by keyboard: Enter on the row. */
  search (fx, "coho");
  g_assert_cmpuint (count_rows (list (fx)), ==, 1);
  g_signal_emit_by_name (list (fx), "row-activated",
                         gtk_list_box_get_row_at_index (GTK_LIST_BOX (list (fx)), 0));
  sbg_wait_until (sbg_dialog_loaded, SBG_PICKER, "the ERP customers");
  picker = sbg_find_window ("coupling-picker");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (picker, "picker-stack"))),
                   ==, "list");
  /* Relecloud is coupled already: not offered. */
  g_assert_false (sbg_has_label (sbg_get (picker, "picker-list"), "Relecloud"));
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (picker, "picker-search")), "coho");
  sbg_settle (300);
  sbg_screenshot (picker, "sales-records-picker");
  g_assert_true (sbg_select_row_with (sbg_get (picker, "picker-list"), "sb-erp-key", "C-COHO"));
  g_signal_emit_by_name (sbg_get (picker, "picker-couple-button"), "clicked");
  sbg_wait_until (sbg_window_gone, "coupling-picker", "the picker to close");
  sbg_settle (50);
  sbg_wait_until (page_idle, fx->page, "the coupling");
  g_assert_cmpstr (sb_sales_records_page_get_last_message (fx->page), ==, "Record coupled");
  coupled = sb_sync_coupling_find_erp (fx->store, "CUSTOMER", "C-COHO", &error);
  g_assert_no_error (error);
  g_assert_nonnull (coupled);
  g_assert_cmpstr (coupled->dataverse_id, ==, coho);
  g_assert_cmpuint (count_rows (list (fx)), ==, 0);

  /* Every account but those two, again */
  search (fx, "");
  g_assert_cmpuint (count_rows (list (fx)), ==, n_accounts - 2);

  /* Another table: the contacts of accounts */
  g_assert_true (sb_sales_records_page_set_mapping (fx->page, "CONTACT"));
  sbg_wait_until (page_idle, fx->page, "the contacts");
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "list");
  g_assert_cmpuint (count_rows (list (fx)), >=, 24);
  g_assert_true (sbg_has_label (list (fx), "Ada Andersen"));
  sbg_screenshot (fx->window, "sales-records-contacts");
}

static void
test_disabled (Fixture *fx, gconstpointer data)
{
  open_page (fx, 1280);
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "disabled");
  g_assert_false (gtk_widget_is_sensitive (sbg_get (fx->page, "sales-records-create")));
  sbg_screenshot (fx->window, "sales-records-disabled");
}

static void
test_unreachable (Fixture *fx, gconstpointer data)
{
  SbSandboxServer *gone = (SbSandboxServer *) data;
  GtkWidget *error_page;

  /* Enabled against a sandbox that has stopped since. */
  sb_sandbox_server_stop (gone);
  open_page (fx, 1280);
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "error");
  g_test_message ("%s", sb_sales_records_page_get_last_message (fx->page));
  error_page = gtk_stack_get_visible_child (GTK_STACK (sbg_get (fx->page, "sales-records-stack")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (error_page)), ==,
                   "Could Not Reach Dynamics 365 Sales");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)),
                            "Check the network connection"));
  sbg_screenshot (fx->window, "sales-records-unreachable");
}

static void
test_wrong_secret (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  GtkWidget *error_page;

  /* Enabled, then the secret changed (expired) on the sign-in service's side: here, in the
   * keyring. A sandbox of its own, so no earlier read of the right secret is kept. */
  g_assert_no_error (error);
  setup = sb_connection_setup_get (store, &error);
  g_assert_no_error (error);
  g_assert_true (sb_secret_store_save_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url,
                                            setup->client_id, "expired", NULL, &error));
  g_assert_no_error (error);
  open_page (fx, 1280);
  g_assert_cmpstr (sb_sales_records_page_get_state (fx->page), ==, "error");
  g_test_message ("%s", sb_sales_records_page_get_last_message (fx->page));
  error_page = gtk_stack_get_visible_child (GTK_STACK (sbg_get (fx->page, "sales-records-stack")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (error_page)), ==,
                   "Dynamics 365 Sales Refused the Sign-In");
  g_assert_nonnull (
      strstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), "client secret"));
  sbg_screenshot (fx->window, "sales-records-wrong-secret");
}

/* The sidebar shows its labels whole in a normal window, and the pages fold at 360 px. */
static void
test_narrow (Fixture *fx, gconstpointer data)
{
  open_page (fx, 360);
  g_assert_true (gtk_widget_get_visible (sbg_get (fx->page, "sales-records-table")));
  /* Nothing asks for more than a phone's width. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), ==, 360);
  sbg_screenshot (fx->window, "sales-records-narrow");
  for (const char *const *name = (const char *const[]){ "salespeople", "contacts", NULL };
       *name != NULL; name++)
    {
      sb_window_show_page (fx->window, *name);
      sbg_settle (500);
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), ==, 360);
      /* Where the filter's drop-down has no room, the menu's "Show" filters. */
      g_assert_true (g_action_group_has_action (
          sb_coupling_controller_get_actions (sb_coupling_controller_get (
              SB_RECORD_LIST_PAGE (sb_window_get_page (fx->window, *name)))),
          "filter"));
    }
  sbg_screenshot (fx->window, "contacts-narrow");
  gtk_widget_activate_action (GTK_WIDGET (fx->window), "win.show-sidebar", NULL);
  sbg_settle (500);
  sbg_screenshot (fx->window, "sidebar-narrow");
}

static void
test_sidebar (Fixture *fx, gconstpointer data)
{
  guint n_cut = 0;

  open_page (fx, 1280);
  sbg_settle (300);
  /* Every label of the sidebar whole at 1280 px */
  for (GtkWidget *w = GTK_WIDGET (fx->window); w != NULL;)
    {
      if (GTK_IS_LABEL (w) && gtk_widget_get_ancestor (w, GTK_TYPE_LIST_BOX_ROW) != NULL &&
          gtk_widget_has_css_class (gtk_widget_get_ancestor (w, GTK_TYPE_LIST_BOX),
                                    "navigation-sidebar") &&
          pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w))))
        {
          g_test_message ("Cut short: %s", gtk_label_get_text (GTK_LABEL (w)));
          n_cut++;
        }
      /* depth-first walk */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_cmpuint (n_cut, ==, 0);
  sbg_screenshot (fx->window, "sidebar");
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) gone = NULL;
  g_autoptr (SbSandboxServer) other = NULL;
  int status;

  keyring = sbg_sync_test_init (&argc, &argv);

  server = sb_sandbox_server_new ();
  sb_sandbox_server_set_seed_demo (server, TRUE);
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);
  /* A second one, stopped by the test that needs Sales out of reach. */
  gone = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (gone, 0, &error));
  g_assert_no_error (error);
  other = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (other, 0, &error));
  g_assert_no_error (error);

  g_test_add ("/gui/coupling/sales-records/accounts", Fixture, server, fixture_set_up,
              test_accounts, fixture_tear_down);
  g_test_add ("/gui/coupling/sales-records/disabled", Fixture, NULL, fixture_set_up, test_disabled,
              fixture_tear_down);
  g_test_add ("/gui/coupling/sales-records/unreachable", Fixture, gone, fixture_set_up,
              test_unreachable, fixture_tear_down);
  g_test_add ("/gui/coupling/sales-records/wrong-secret", Fixture, other, fixture_set_up,
              test_wrong_secret, fixture_tear_down);
  g_test_add ("/gui/coupling/sales-records/narrow", Fixture, server, fixture_set_up, test_narrow,
              fixture_tear_down);
  g_test_add ("/gui/coupling/sales-records/sidebar", Fixture, server, fixture_set_up, test_sidebar,
              fixture_tear_down);

  status = g_test_run ();
  sb_sandbox_server_stop (other);
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
