/* test-gui-invoices.c: invoices, payments and account statistics with Dynamics 365 Sales, driven
 * through the GUI as a finance person would (issue 8's "done when")
 *
 * The sb-test-books company (work date 2026-03-10) with its products in the in-process sandbox
 * and an enabled connection (secret in a private keyring): deploy the integration solution on
 * the Connection page, send two posted invoices from the Posted Invoices page, register a
 * partial and then a final payment in the Register Payment dialog, Update Account Statistics
 * on the Customers page, and check Billed → Partial → Complete in the sandbox and in the
 * page's Sales Status column, the statistics row in Sales, and the Statistics page's figures
 * and charts.
 *
 * With SB_SCREENSHOT_DIR set, each step is saved there as a PNG file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"
#include "sb-invoice-actions.h"
#include "sb-record-list-page.h"
#include "sb-sandbox-server.h"
#include "sb-solution-group.h"
#include "sb-statistics-page.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices.h"
#include "sb-sync-mapping.h"
#include "sb-test-books.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  Fixture books;                /* C1, C2, C3, I1, I2, R1 in EUR */
  SbDataverseConnection *cnc;   /* the integration user, for the set-up */
  SbDataverseConnection *sales; /* a salesperson, to read Sales as a user */
  SbWindow *window;
  char *invoice_a;
  char *invoice_b;
} Fx;

static SbDataverseConnection *
connect_as (const char *client)
{
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", "sandbox", "client-id", client, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

/* An order of C1 for 2 × I1 and 3 h of R1 at the given prices, posted. */
static char *
post_order (Fx *fx, const char *item_price, const char *hour_price)
{
  g_autofree char *order = sbt_create_document (&fx->books, SB_SALES_DOC_ORDER, "C1");

  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "2", item_price,
                NULL, NULL);
  sbt_add_line (&fx->books, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_RESOURCE, "R1", "3",
                hour_price, NULL, NULL);
  return sbt_post (&fx->books, order, NULL, 0);
}

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncMapping) units = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncCounters n;

  sbt_fixture_set_up (&fx->books, NULL);
  /* The connection test wants the company's currency to be Dataverse's base currency (the
   * sandbox's is USD). */
  {
    g_autoptr (SbGeneralSetup) general = sb_general_setup_get (fx->books.store, &error);

    g_assert_no_error (error);
    sbt_set (&general->local_currency_code, "USD");
    g_assert_true (sb_general_setup_update (fx->books.store, general, &error));
  }
  fx->cnc = connect_as (SB_SANDBOX_INTEGRATION_CLIENT);
  fx->sales = connect_as (SB_SANDBOX_SALES_CLIENT);
  engine = sb_sync_engine_new (fx->books.store, fx->cnc);

  /* What an invoice's lines point at in Sales: the units and the products. */
  units = sb_sync_mapping_load (fx->books.store, "UNIT OF MEASURE", &error);
  g_assert_no_error (error);
  units->only_coupled = FALSE;
  g_assert_true (sb_sync_mapping_save (fx->books.store, units, &error));
  g_assert_true (sb_sync_engine_sync_mapping_sync (engine, "UNIT OF MEASURE",
                                                   SB_SYNC_DIRECTION_TO_SALES, &n, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      const char *mapping = i < 2 ? "ITEM-PRODUCT" : "RESOURCE-PRODUCT";
      const char *key = (const char *[]){ "I1", "I2", "R1" }[i];
      g_autofree char *id =
          sb_sync_engine_create_in_sales_sync (engine, mapping, key, NULL, &error);

      g_assert_no_error (error);
    }
  fx->invoice_a = post_order (fx, "100", "80"); /* 440.00 */
  fx->invoice_b = post_order (fx, "50", "10");  /* 130.00 */
  sbg_enable_connection (fx->books.store, base_url);
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  if (fx->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  sbg_clear_secret (fx->books.store);
  g_clear_object (&fx->cnc);
  g_clear_object (&fx->sales);
  g_free (fx->invoice_a);
  g_free (fx->invoice_b);
  sbt_fixture_tear_down (&fx->books, NULL);
}

/* ---- Helpers ------------------------------------------------------------------------------ */

static gboolean
list_idle (gpointer page)
{
  SbInvoiceActions *actions = sb_invoice_actions_get (page);

  return !sb_record_list_page_is_busy (page) &&
         g_str_equal (sb_record_list_page_get_state (page), "list") &&
         (actions == NULL || !sb_invoice_actions_is_busy (actions));
}

static SbRecordListPage *
show_list (Fx *fx, const char *name)
{
  SbRecordListPage *page = SB_RECORD_LIST_PAGE (sb_window_get_page (fx->window, name));

  sb_window_show_page (fx->window, name);
  sbg_settle (50);
  sbg_wait_until (list_idle, page, name);
  return page;
}

/* Selects the rows whose key is one of @keys, alone. */
static void
select_rows (SbRecordListPage *page, const char *const *keys)
{
  GListModel *model = sb_record_list_page_get_model (page);
  GtkSelectionModel *selection = sb_record_list_page_get_selection (page);
  const SbRecordType *type = sb_record_list_page_get_spec (page)->type;
  guint found = 0;

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);
      g_autofree char *key =
          sb_record_to_string (&type->fields[0], sb_record_object_get_record (row));

      if (g_strv_contains (keys, key))
        {
          gtk_selection_model_select_item (selection, i, FALSE);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, g_strv_length ((char **) keys));
}

static int
sales_status (Fx *fx, const char *invoice_no, int *out_state)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_erp (fx->books.store, SB_SYNC_INVOICE_MAPPING, invoice_no, &error);
  g_autoptr (JsonObject) row = NULL;

  g_assert_no_error (error);
  g_assert_true (sb_sync_coupling_is_coupled (c));
  g_assert_false (c->pending);
  row = sb_dataverse_connection_retrieve_sync (fx->sales, SB_DV_INVOICES, c->dataverse_id, NULL,
                                               NULL, NULL, &error);
  g_assert_no_error (error);
  *out_state = (int) sb_json_get_int (row, "statecode", -1);
  return (int) sb_json_get_int (row, "statuscode", -1);
}

static void
assert_sales_status (Fx *fx, SbInvoiceActions *actions, const char *invoice_no, int state,
                     int status, const char *label)
{
  int have_state;
  int have_status = sales_status (fx, invoice_no, &have_state);

  g_assert_cmpint (have_state, ==, state);
  g_assert_cmpint (have_status, ==, status);
  g_assert_cmpstr (sb_invoice_actions_get_sales_status (actions, invoice_no), ==, label);
}

static gboolean
actions_idle (gpointer actions)
{
  return !sb_invoice_actions_is_busy (actions);
}

static gboolean
menu_has_action (GMenuModel *menu, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

/* Update Account Statistics of C1 from the Customers page. */
static void
update_statistics (Fx *fx, const char *screenshot)
{
  SbRecordListPage *customers = show_list (fx, "customers");
  SbInvoiceActions *actions = sb_invoice_actions_get (customers);
  g_autofree char *expected = NULL;

  g_assert_nonnull (actions);
  /* Offered in the header's menu and the rows' context menu (one model). */
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (
                                      sbg_get (customers, "coupling-menu-button"))),
                                  "statistics.update"));
  select_rows (customers, (const char *const[]){ "C1", NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (customers), "statistics.update", NULL));
  sbg_wait_until (actions_idle, actions, "Update Account Statistics");
  expected =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Statistics of %u customer updated in Sales",
                                    "Statistics of %u customers updated in Sales", 1),
                       1);
  g_assert_cmpstr (sb_invoice_actions_get_last_message (actions), ==, expected);
  sbg_screenshot (customers, screenshot);
}

/* Registers a payment of @amount on @invoice_no through the dialog. */
static void
register_payment (Fx *fx, SbRecordListPage *invoices, const char *invoice_no, const char *amount,
                  const char *screenshot)
{
  SbInvoiceActions *actions = sb_invoice_actions_get (invoices);
  GtkWidget *dialog;
  GtkWidget *entry;

  select_rows (invoices, (const char *const[]){ invoice_no, NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (invoices), "invoice.pay", NULL));
  sbg_wait_until (sbg_window_shown, (gpointer) "register-payment-dialog", "the payment dialog");
  dialog = sbg_find_window ("register-payment-dialog");
  entry = sbg_get (dialog, "payment-amount");
  /* What is not an amount cannot be registered, and stays to be corrected. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ten");
  g_assert_false (
      adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "register"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "-5");
  g_assert_false (
      adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "register"));
  gtk_editable_set_text (GTK_EDITABLE (entry), amount);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "register"));
  sbg_screenshot (dialog, screenshot);
  sbg_respond (dialog, "register");
  sbg_wait_until (actions_idle, actions, "the payment");
  sbg_wait_until (list_idle, invoices, "the invoices after the payment");
}

static SbDecimal
remaining (Fx *fx, const char *invoice_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbLedgerEntry) entry =
      sb_ledger_find_invoice_entry (fx->books.store, invoice_no, &error);

  g_assert_no_error (error);
  return entry->remaining_amount;
}

static gboolean
collect_rows (const SbDataversePage *page, gpointer user_data, GError **error)
{
  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    g_ptr_array_add (user_data, json_object_ref (json_array_get_object_element (page->rows, i)));
  return TRUE;
}

/* C1's statistics row in Sales has C1's balance now. */
static void
assert_statistics_row (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) recorded =
      sb_sync_solution_get_recorded (fx->books.store, &error);
  g_autoptr (SbDataverseQuery) query = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr (SbCustomerStatistics) stats =
      sb_customer_statistics_compute (fx->books.store, "C1", NULL, &error);

  g_assert_no_error (error);
  query = sb_dataverse_query_new (recorded->entity_set);
  g_assert_true (sb_dataverse_connection_query_sync (fx->sales, query, collect_rows, rows, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1); /* one row per customer, updated, never duplicated */
  g_assert_cmpstr (json_object_get_string_member (rows->pdata[0], "sb_customerno"), ==, "C1");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (rows->pdata[0], "sb_balancelcy"),
                                  sb_decimal_to_double (stats->balance_lcy), 0.005);
}

/* ---- The test ----------------------------------------------------------------------------- */

/* The window took the width asked for: its pages do not need more. */
static gboolean
window_narrow (gpointer window)
{
  return gtk_widget_get_width (window) <= 360;
}

static gboolean
solution_idle (gpointer group)
{
  return !sb_solution_group_is_busy (group);
}

static gboolean
statistics_idle (gpointer page)
{
  return !sb_statistics_page_is_busy (page) &&
         g_str_equal (sb_statistics_page_get_state (page), "report");
}

static void
test_done_when (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  SbRecordListPage *invoices;
  SbInvoiceActions *actions;
  SbSolutionGroup *solution;
  SbStatisticsPage *statistics;
  g_autofree char *expected = NULL;
  g_autoptr (SbCustomerStatistics) stats = NULL;
  g_autoptr (SbPostedInvoice) a = NULL;
  g_autoptr (SbPostedInvoice) b = NULL;
  const SbStatisticsReport *report;
  SbChart *chart;
  GtkWidget *label;

  fx->window = sb_window_new (NULL, sb_store_get_path (fx->books.store), NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));

  /* 0. Update Account Statistics needs the solution: the page says what the engine says. */
  {
    g_autoptr (SbSyncEngine) engine = sb_sync_engine_new (fx->books.store, fx->cnc);
    const char *const c1[] = { "C1", NULL };
    SbRecordListPage *customers = show_list (fx, "customers");
    SbInvoiceActions *customer_actions = sb_invoice_actions_get (customers);
    SbSyncCounters n;

    g_assert_false (sb_sync_engine_update_account_statistics_sync (engine, c1, &n, NULL, &error));
    g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED);
    select_rows (customers, c1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (customers), "statistics.update", NULL));
    sbg_wait_until (actions_idle, customer_actions, "Update Account Statistics, refused");
    g_assert_cmpstr (sb_invoice_actions_get_last_message (customer_actions), ==, error->message);
    sbg_screenshot (fx->window, "invoices-statistics-not-deployed");
    g_clear_error (&error);
  }

  /* 1. The integration solution, from the Connection page. */
  sb_window_show_page (fx->window, "connection");
  solution =
      SB_SOLUTION_GROUP (sbg_get (sb_window_get_page (fx->window, "connection"), "solution-group"));
  g_assert_cmpint (sb_solution_group_get_state (solution), ==, SB_SYNC_SOLUTION_NOT_DEPLOYED);
  sbg_screenshot (fx->window, "invoices-solution-not-deployed");
  g_assert_true (gtk_widget_get_visible (sbg_get (solution, "deploy-button")));
  g_signal_emit_by_name (sbg_get (solution, "deploy-button"), "clicked");
  g_assert_true (sb_solution_group_is_busy (solution));
  sbg_wait_until (solution_idle, solution, "the deployment");
  g_assert_null (sb_solution_group_get_error (solution));
  g_assert_cmpint (sb_solution_group_get_state (solution), ==, SB_SYNC_SOLUTION_DEPLOYED);
  g_assert_true (gtk_widget_get_visible (sbg_get (solution, "redeploy-button")));
  g_assert_false (gtk_widget_get_visible (sbg_get (solution, "deploy-button")));
  sbg_screenshot (fx->window, "invoices-solution-deployed");
  {
    /* Sales has it: a check of what exists there, not of what was recorded. */
    g_autoptr (SbSyncEngine) engine = sb_sync_engine_new (fx->books.store, fx->cnc);
    g_autoptr (SbSyncSolutionStatus) checked =
        sb_sync_engine_check_solution_sync (engine, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (checked->state, ==, SB_SYNC_SOLUTION_DEPLOYED);
    g_assert_cmpuint (checked->n_missing, ==, 0);
  }
  /* Redeploy repairs: nothing missing, nothing created, still deployed. */
  g_signal_emit_by_name (sbg_get (solution, "redeploy-button"), "clicked");
  sbg_wait_until (solution_idle, solution, "the redeployment");
  g_assert_null (sb_solution_group_get_error (solution));
  g_assert_cmpint (sb_solution_group_get_state (solution), ==, SB_SYNC_SOLUTION_DEPLOYED);

  /* 2. Both invoices sent from the Posted Invoices page (a multi-selection). */
  invoices = show_list (fx, "invoices");
  actions = sb_invoice_actions_get (invoices);
  g_assert_nonnull (actions);
  g_assert_cmpstr (sb_invoice_actions_get_sales_status (actions, fx->invoice_a), ==,
                   _ ("Not Sent"));
  select_rows (invoices, (const char *const[]){ fx->invoice_a, fx->invoice_b, NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (invoices), "invoice.create", NULL));
  sbg_wait_until (actions_idle, actions, "Create Invoice in Dynamics 365 Sales");
  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice is in Dynamics 365 Sales",
                                           "%u invoices are in Dynamics 365 Sales", 2),
                              2);
  g_assert_cmpstr (sb_invoice_actions_get_last_message (actions), ==, expected);
  assert_sales_status (fx, actions, fx->invoice_a, SB_DV_INVOICE_STATE_ACTIVE,
                       SB_DV_INVOICE_STATUS_BILLED, _ ("Billed"));
  assert_sales_status (fx, actions, fx->invoice_b, SB_DV_INVOICE_STATE_ACTIVE,
                       SB_DV_INVOICE_STATUS_BILLED, _ ("Billed"));
  sbg_screenshot (fx->window, "invoices-sent");

  /* The card shows the status and acts on its own invoice. */
  {
    GListModel *model = sb_record_list_page_get_model (invoices);
    GtkWidget *detail = NULL;

    for (guint i = 0; detail == NULL && i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);
        const SbPostedInvoice *invoice = sb_record_object_get_record (row);

        if (g_str_equal (invoice->no, fx->invoice_a))
          detail = sb_record_list_page_open_detail (invoices, i);
      }
    g_assert_nonnull (detail);
    sbg_settle (100);
    g_assert_cmpstr (
        adw_action_row_get_subtitle (ADW_ACTION_ROW (sbg_get (detail, "invoice-sales-status"))), ==,
        _ ("Billed"));
    sbg_screenshot (fx->window, "invoices-card");
    sb_record_list_page_go_back (invoices);
    sbg_settle (50);
  }

  /* 3. A partial payment: Partial once the statistics are updated. */
  register_payment (fx, invoices, fx->invoice_a, "100", "invoices-payment-dialog");
  a = sb_posted_invoice_get (fx->books.store, fx->invoice_a, &error);
  g_assert_no_error (error);
  g_assert_cmpint (remaining (fx, fx->invoice_a), ==, a->amount_including_vat - sbt_dec ("100"));
  update_statistics (fx, "invoices-statistics-updated");
  invoices = show_list (fx, "invoices");
  assert_sales_status (fx, actions, fx->invoice_a, SB_DV_INVOICE_STATE_PAID,
                       SB_DV_INVOICE_STATUS_PARTIAL, _ ("Partial"));
  assert_sales_status (fx, actions, fx->invoice_b, SB_DV_INVOICE_STATE_ACTIVE,
                       SB_DV_INVOICE_STATUS_BILLED, _ ("Billed"));
  assert_statistics_row (fx);

  /* 4. The rest: Complete. */
  {
    g_autofree char *rest = sb_decimal_to_string (remaining (fx, fx->invoice_a), 2);

    register_payment (fx, invoices, fx->invoice_a, rest, "invoices-payment-dialog-final");
  }
  g_assert_cmpint (remaining (fx, fx->invoice_a), ==, 0);
  update_statistics (fx, "invoices-statistics-updated-final");
  invoices = show_list (fx, "invoices");
  assert_sales_status (fx, actions, fx->invoice_a, SB_DV_INVOICE_STATE_PAID,
                       SB_DV_INVOICE_STATUS_COMPLETE, _ ("Complete"));
  assert_statistics_row (fx);
  sbg_screenshot (fx->window, "invoices-complete");

  /* 5. The Statistics page: C1's figures and the charts. */
  sb_window_show_page (fx->window, "statistics");
  statistics = SB_STATISTICS_PAGE (sb_window_get_page (fx->window, "statistics"));
  sbg_settle (50);
  sbg_wait_until (statistics_idle, statistics, "the statistics");
  g_assert_true (sb_statistics_page_set_customer (statistics, "C1"));
  g_assert_false (sb_statistics_page_set_customer (statistics, "NO-SUCH-CUSTOMER"));
  sbg_settle (50);
  sbg_wait_until (statistics_idle, statistics, "C1's statistics");
  report = sb_statistics_page_get_report (statistics);
  g_assert_cmpstr (report->customer_no, ==, "C1");
  stats = sb_customer_statistics_compute (fx->books.store, "C1", NULL, &error);
  g_assert_no_error (error);
  label = sbg_get (statistics, "value-balance_lcy");
  expected = (g_free (expected), sb_decimal_format_money (stats->balance_lcy, "USD", 2));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);
  label = sbg_get (statistics, "value-total_sales_lcy");
  expected = (g_free (expected), sb_decimal_format_money (stats->total_sales_lcy, "USD", 2));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);

  /* Invoice status: B Billed, A Complete. */
  chart = sb_statistics_page_get_chart (statistics, "invoice-status");
  g_assert_cmpfloat (sb_chart_get_value (chart, 0, SB_INVOICE_STATE_BILLED), ==, 1);
  g_assert_cmpfloat (sb_chart_get_value (chart, 0, SB_INVOICE_STATE_PARTIAL), ==, 0);
  g_assert_cmpfloat (sb_chart_get_value (chart, 0, SB_INVOICE_STATE_COMPLETE), ==, 1);
  /* Sales of the work date's month: both invoices, excl. VAT. */
  b = sb_posted_invoice_get (fx->books.store, fx->invoice_b, &error);
  g_assert_no_error (error);
  chart = sb_statistics_page_get_chart (statistics, "sales");
  g_assert_cmpuint (sb_chart_get_n_categories (chart), ==, SB_STATISTICS_N_MONTHS);
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (chart, 0, SB_STATISTICS_N_MONTHS - 1),
                                  sb_decimal_to_double (a->amount + b->amount), 0.005);
  g_assert_cmpfloat (sb_chart_get_value (chart, 0, 0), ==, 0);
  /* The balance now is what is open: B. */
  chart = sb_statistics_page_get_chart (statistics, "balance");
  g_assert_cmpfloat_with_epsilon (sb_chart_get_value (chart, 0, SB_STATISTICS_N_MONTHS - 1),
                                  sb_decimal_to_double (stats->balance_lcy), 0.005);
  expected = (g_free (expected), sb_decimal_format_money (stats->balance_lcy, "USD", 2));
  g_assert_nonnull (strstr (sb_chart_get_summary (chart), expected));
  /* The synchronization of today: the invoices sent, the statuses, the statistics rows. */
  chart = sb_statistics_page_get_chart (statistics, "sync-records");
  g_assert_cmpfloat (sb_chart_get_value (chart, 0, SB_STATISTICS_N_DAYS - 1), >, 0);
  g_assert_false (sb_chart_is_empty (sb_statistics_page_get_chart (statistics, "top-customers")));
  sbg_screenshot (fx->window, "statistics-customer");

  /* At a phone's width the pages still fit. */
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 360, 720);
  sbg_wait_until (window_narrow, fx->window, "the window at 360 px");
  sbg_screenshot (fx->window, "invoices-narrow");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), <=, 360);
  show_list (fx, "customers");
  sbg_screenshot (fx->window, "invoices-customers-narrow");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), <=, 360);
}

/* Deploying without a connection set up changes nothing and says why. */
static void
test_deploy_not_set_up (Fixture *books, gconstpointer data)
{
  SbWindow *window;
  SbSolutionGroup *solution;

  sbt_fixture_set_up (books, NULL);
  window = sb_window_new (NULL, sb_store_get_path (books->store), NULL);
  gtk_window_present (GTK_WINDOW (window));
  sb_window_show_page (window, "connection");
  solution =
      SB_SOLUTION_GROUP (sbg_get (sb_window_get_page (window, "connection"), "solution-group"));
  g_signal_emit_by_name (sbg_get (solution, "deploy-button"), "clicked");
  sbg_wait_until (solution_idle, solution, "the refused deployment");
  g_assert_nonnull (sb_solution_group_get_error (solution));
  g_assert_cmpstr (sb_solution_group_get_error (solution), !=, "");
  g_assert_cmpint (sb_solution_group_get_state (solution), ==, SB_SYNC_SOLUTION_NOT_DEPLOYED);
  /* What went wrong is on the row, with the state. */
  g_assert_nonnull (
      strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sbg_get (solution, "solution-row"))),
              sb_solution_group_get_error (solution)));
  g_assert_true (gtk_widget_get_visible (sbg_get (solution, "deploy-button")));
  sbg_screenshot (window, "invoices-solution-error");
  gtk_window_destroy (GTK_WINDOW (window));
  sbg_settle (50);
  sbt_fixture_tear_down (books, NULL);
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  g_autoptr (GError) error = NULL;
  int status;

  /* As test-gui-sync-coupling: the keyring daemon goes without meson's malloc checks. */
  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* For screenshots in another language (as tools/screenshots runs the app). */
  if (g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE); /* the templates' strings */
    }
  adw_init ();
  /* The amounts typed into the payment dialog are written with a decimal point. */
  setlocale (LC_NUMERIC, "C");

  server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

  g_test_add ("/gui/invoices/done-when", Fx, NULL, fx_set_up, test_done_when, fx_tear_down);
  g_test_add ("/gui/invoices/deploy-not-set-up", Fixture, NULL, NULL, test_deploy_not_set_up, NULL);

  status = g_test_run ();
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
