/* test-gui-connection.c: the Connection page and the assisted setup against real peers
 *
 * A temporary company database, gnome-keyring-daemon on a private session bus (the sync
 * tests' helper) and the in-process sandbox on 127.0.0.1, driven through the widgets as a user
 * would: typing into entry rows, pressing buttons, waiting for the checks to come back.
 *
 * With SB_SCREENSHOT_DIR set, each wizard step and the page are saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "sb-application.h"
#include "sb-assisted-setup.h"
#include "sb-connection-check-list.h"
#include "sb-connection-manager.h"
#include "sb-connection-page.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"
#include "sbs-keyring.h"

#define TENANT "contoso.onmicrosoft.com"

static SbSandboxServer *server;
static const char *base_url;

typedef struct
{
  char *dir;
  char *db_path;
  SbWindow *window;
  SbConnectionPage *page;
} Fixture;

/* Helpers */

static void
set_text (gpointer root, const char *name, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (root, name)), text);
}

static void
click (gpointer root, const char *name)
{
  GtkWidget *button = sbg_get (root, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_sensitive (gpointer root, const char *name)
{
  return gtk_widget_is_sensitive (sbg_get (root, name));
}

static const char *
subtitle (gpointer root, const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (sbg_get (root, name)));
}

static void
assert_contains (const char *text, const char *fragment)
{
  if (text == NULL || strstr (text, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", text, fragment);
}

/* Fixture: a company whose local currency is the sandbox's base currency */

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  fx->dir = g_dir_make_tmp ("salesbridge-gui-connection-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (store, general, &error));
  g_assert_no_error (error);
}

static void
open_window (Fixture *fx)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1000, 760);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  sb_window_show_page (fx->window, "connection");
  fx->page = SB_CONNECTION_PAGE (sb_window_get_page (fx->window, "connection"));
  g_assert_nonnull (fx->page);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  if (fx->window != NULL)
    {
      g_autoptr (SbConnectionSetup) setup = NULL;

      setup = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
      g_assert_no_error (error);
      /* Leave the keyring empty for the next test. */
      sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id, NULL,
                                  &error);
      g_assert_no_error (error);
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
}

/* The assisted setup */

static SbAssistedSetup *
find_setup_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (SB_IS_ASSISTED_SETUP (window))
        return SB_ASSISTED_SETUP (window);
    }
  return NULL;
}

static gboolean
setup_is_idle (gpointer user_data)
{
  return !sb_assisted_setup_is_busy (user_data);
}

static gboolean
setup_is_gone (gpointer user_data)
{
  return find_setup_window () == NULL;
}

static gboolean
review_is_idle (gpointer user_data)
{
  return !sb_sync_review_page_is_busy (user_data);
}

static SbAssistedSetup *
open_setup (Fixture *fx)
{
  SbAssistedSetup *setup;

  /* The page offers it while nothing is set up. */
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "not-set-up");
  g_assert_true (gtk_widget_get_visible (sbg_get (fx->page, "setup-button")));
  click (fx->page, "setup-button");
  setup = find_setup_window ();
  g_assert_nonnull (setup);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (setup)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (setup)) == GTK_WINDOW (fx->window));
  sbg_wait_until (setup_is_idle, setup, "the stored secret's lookup");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_WELCOME);
  sbg_screenshot (setup, "setup-1-welcome");
  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_DETAILS);
  g_assert_false (is_sensitive (setup, "next-button"));
  return setup;
}

static void
type_details (SbAssistedSetup *setup, const char *url, const char *secret)
{
  set_text (setup, "url-entry", url);
  set_text (setup, "tenant-entry", TENANT);
  set_text (setup, "client-id-entry", SB_SANDBOX_INTEGRATION_CLIENT);
  g_assert_false (is_sensitive (setup, "next-button"));
  set_text (setup, "secret-entry", secret);
  g_assert_true (is_sensitive (setup, "next-button"));
  /* A loopback server is its own sign-in service: the field followed the URL. Elsewhere it is
   * Microsoft's. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (setup, "authority-entry"))), ==,
                   sb_connection_url_is_loopback (url) ? url : SB_CONNECTION_DEFAULT_AUTHORITY);
}

static SbConnectionCheck *
run_test_step (SbAssistedSetup *setup)
{
  SbConnectionCheckList *list;

  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_TEST);
  /* Running: Next waits for the result. */
  g_assert_true (sb_assisted_setup_is_busy (setup));
  g_assert_false (is_sensitive (setup, "next-button"));
  sbg_wait_until (setup_is_idle, setup, "the test step");
  list = SB_CONNECTION_CHECK_LIST (sbg_get (setup, "test-checks"));
  return sb_connection_check_list_get_check (list);
}

static void
assert_check_row (gpointer root, const char *list_name, SbConnectionCheckId id,
                  SbCheckResult result, const char *fragment)
{
  SbConnectionCheckList *list = SB_CONNECTION_CHECK_LIST (sbg_get (root, list_name));
  SbConnectionCheck *check = sb_connection_check_list_get_check (list);
  AdwActionRow *row = sb_connection_check_list_get_row (list, id);

  g_assert_nonnull (check);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_cmpint (sb_connection_check_get_result (check, id), ==, result);
  /* The row shows the check's own words. */
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   sb_connection_check_get_message (check, id));
  if (fragment != NULL)
    assert_contains (adw_action_row_get_subtitle (row), fragment);
}

static void
test_setup_passes (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) stored = NULL;
  g_autofree char *wal = NULL;
  SbAssistedSetup *setup;
  SbConnectionCheck *check;

  open_window (fx);
  sbg_screenshot (fx->page, "page-not-set-up");
  setup = open_setup (fx);
  type_details (setup, base_url, SB_SANDBOX_DEFAULT_SECRET);
  gtk_switch_set_active (GTK_SWITCH (sbg_get (setup, "solution-switch")), TRUE);
  sbg_screenshot (setup, "setup-2-details");

  check = run_test_step (setup);
  g_assert_true (sb_connection_check_get_passed (check));
  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    assert_check_row (setup, "test-checks", i, SB_CHECK_RESULT_PASSED, NULL);
  assert_check_row (setup, "test-checks", SB_CONNECTION_CHECK_LOCAL_CURRENCY,
                    SB_CHECK_RESULT_PASSED, "USD");
  g_assert_true (is_sensitive (setup, "next-button"));
  sbg_screenshot (setup, "setup-3-test");
  /* Nothing is saved before the finish. */
  stored = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
  g_assert_cmpstr (stored->sales_url, ==, "");
  g_clear_pointer (&stored, sb_connection_setup_free);

  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_SYNC);
  sbg_screenshot (setup, "setup-4-sync");
  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_AUTOMATION);
  g_assert_false (is_sensitive (setup, "auto-orders-switch"));
  gtk_switch_set_active (GTK_SWITCH (sbg_get (setup, "orders-switch")), TRUE);
  g_assert_true (is_sensitive (setup, "auto-orders-switch"));
  gtk_switch_set_active (GTK_SWITCH (sbg_get (setup, "auto-quotes-switch")), TRUE);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (sbg_get (setup, "next-button"))), ==,
                   "_Connect");
  sbg_screenshot (setup, "setup-5-automation");

  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_FINISH);
  g_assert_false (is_sensitive (setup, "back-button"));
  sbg_wait_until (setup_is_idle, setup, "the finish step");
  g_assert_true (sb_assisted_setup_get_connected (setup));
  g_assert_true (gtk_widget_get_visible (sbg_get (setup, "summary-group")));
  assert_contains (subtitle (setup, "summary-currency-row"), "USD");
  assert_contains (subtitle (setup, "summary-user-row"), "Salesbridge Integration");
  /* Full synchronization is offered. */
  g_assert_true (is_sensitive (setup, "full-sync-button"));
  sbg_screenshot (setup, "setup-6-finish");

  stored = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
  g_assert_no_error (error);
  g_assert_true (stored->is_enabled);
  g_assert_cmpstr (stored->sales_url, ==, base_url);
  g_assert_cmpstr (stored->authority, ==, base_url);
  g_assert_cmpstr (stored->base_currency_code, ==, "USD");
  g_assert_true (stored->solution_deployed);
  g_assert_true (stored->sales_order_integration);
  g_assert_false (stored->auto_create_sales_orders);
  g_assert_true (stored->auto_process_sales_quotes);
  g_assert_cmpstr (stored->last_test_at, !=, "");

  /* The secret is in the keyring only (checked before synchronizing: Sales data copied into
   * the books may contain the word the sandbox uses as its secret). */
  {
    char *secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, base_url,
                                                SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (secret, ==, SB_SANDBOX_DEFAULT_SECRET);
    sb_secret_store_free (secret);
  }
  g_assert_false (sbs_file_contains (fx->db_path, SB_SANDBOX_DEFAULT_SECRET));
  wal = g_strconcat (fx->db_path, "-wal", NULL);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_false (sbs_file_contains (wal, SB_SANDBOX_DEFAULT_SECRET));

  /* Running the full synchronization closes it and hands over to the review page, which
   * generates its lines and runs them in the background. */
  click (setup, "full-sync-button");
  sbg_wait_until (setup_is_gone, NULL, "the setup window to close");
  g_assert_cmpstr (sb_window_get_visible_page_name (fx->window), ==, "review");
  {
    SbSyncReviewPage *review = SB_SYNC_REVIEW_PAGE (sb_window_get_page (fx->window, "review"));

    g_assert_true (sb_sync_review_page_is_running (review));
    sbg_wait_until (review_is_idle, review, "the full synchronization to finish");
  }
  sb_window_show_page (fx->window, "connection");
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "enabled");
  g_assert_true (gtk_widget_get_visible (sbg_get (fx->page, "disable-button")));
  g_assert_false (gtk_widget_get_visible (sbg_get (fx->page, "setup-button")));
  assert_contains (subtitle (fx->page, "currency-row"), "USD");
  sbg_screenshot (fx->page, "page-enabled");
}

static void
test_setup_wrong_secret (Fixture *fx, gconstpointer data)
{
  SbAssistedSetup *setup;
  SbConnectionCheck *check;

  open_window (fx);
  setup = open_setup (fx);
  type_details (setup, base_url, "not-the-secret");
  check = run_test_step (setup);
  g_assert_false (sb_connection_check_get_passed (check));
  g_assert_cmpint (sb_connection_check_get_first_failure (check), ==, SB_CONNECTION_CHECK_SIGN_IN);
  assert_check_row (setup, "test-checks", SB_CONNECTION_CHECK_SIGN_IN, SB_CHECK_RESULT_FAILED,
                    "client secret was refused");
  assert_check_row (setup, "test-checks", SB_CONNECTION_CHECK_WHO_AM_I, SB_CHECK_RESULT_SKIPPED,
                    NULL);
  /* The group says which check failed and that Back leads to the fix. */
  assert_contains (
      adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (sbg_get (setup, "test-group"))),
      sb_connection_check_get_title (SB_CONNECTION_CHECK_SIGN_IN));
  g_assert_false (is_sensitive (setup, "next-button"));
  sbg_screenshot (setup, "setup-3-wrong-secret");

  /* Back, correct it, and the test passes. */
  click (setup, "back-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_DETAILS);
  set_text (setup, "secret-entry", SB_SANDBOX_DEFAULT_SECRET);
  check = run_test_step (setup);
  g_assert_true (sb_connection_check_get_passed (check));
  g_assert_true (is_sensitive (setup, "next-button"));

  /* Nothing was saved: the setup was left before the finish. */
  gtk_window_close (GTK_WINDOW (setup));
  sbg_wait_until (setup_is_gone, NULL, "the setup window to close");
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "not-set-up");
}

/* What the rows show (the check's results may be ahead of them, on its thread). */
static gboolean
sign_in_shown (gpointer user_data)
{
  SbConnectionCheckList *list = SB_CONNECTION_CHECK_LIST (sbg_get (user_data, "test-checks"));
  const char *text = adw_action_row_get_subtitle (
      sb_connection_check_list_get_row (list, SB_CONNECTION_CHECK_SIGN_IN));

  return text != NULL && *text != '\0' && !g_str_equal (text, "Checking…");
}

static void
test_setup_progress (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) slow = sb_sandbox_server_new ();
  SbAssistedSetup *setup;
  SbConnectionCheckList *list;
  SbConnectionCheck *check;
  guint finished = 0;

  /* A slow Dynamics 365 Sales: each answer takes a while, so the run can be watched. */
  g_assert_true (sb_sandbox_server_set_faults (slow, "latency=300ms", &error));
  g_assert_no_error (error);
  g_assert_true (sb_sandbox_server_start (slow, 0, &error));
  g_assert_no_error (error);

  open_window (fx);
  setup = open_setup (fx);
  type_details (setup, sb_sandbox_server_get_base_url (slow), SB_SANDBOX_DEFAULT_SECRET);
  click (setup, "next-button");
  sbg_wait_until (sign_in_shown, setup, "the sign-in check");
  /* Results come in while later checks still run: the rows done so far have their message, the
   * next one says it is checking, the rest wait. */
  list = SB_CONNECTION_CHECK_LIST (sbg_get (setup, "test-checks"));
  check = sb_connection_check_list_get_check (list);
  g_assert_true (sb_assisted_setup_is_busy (setup));
  while (
      finished < SB_CONNECTION_CHECK_N_CHECKS &&
      !g_str_equal (adw_action_row_get_subtitle (sb_connection_check_list_get_row (list, finished)),
                    "Checking…"))
    finished++;
  g_assert_cmpuint (finished, >, SB_CONNECTION_CHECK_SIGN_IN);
  g_assert_cmpuint (finished, <, SB_CONNECTION_CHECK_N_CHECKS);
  for (guint i = finished + 1; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    g_assert_cmpstr (adw_action_row_get_subtitle (sb_connection_check_list_get_row (list, i)), ==,
                     "");
  g_assert_false (is_sensitive (setup, "next-button"));
  sbg_screenshot (setup, "setup-3-running");

  sbg_wait_until (setup_is_idle, setup, "the test step");
  g_assert_true (sb_connection_check_get_passed (check));
  g_assert_true (is_sensitive (setup, "next-button"));
  gtk_window_destroy (GTK_WINDOW (setup));
  sbg_settle (50);
  sb_sandbox_server_stop (slow);
}

static void
test_setup_unreachable (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  SbAssistedSetup *setup;
  SbConnectionCheck *check;
  guint16 port;

  /* A port that was free a moment ago and has nobody listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/", port);

  open_window (fx);
  setup = open_setup (fx);
  type_details (setup, url, SB_SANDBOX_DEFAULT_SECRET);
  check = run_test_step (setup);
  g_assert_false (sb_connection_check_get_passed (check));
  assert_check_row (setup, "test-checks", SB_CONNECTION_CHECK_SIGN_IN, SB_CHECK_RESULT_FAILED,
                    "cannot reach");
  assert_check_row (setup, "test-checks", SB_CONNECTION_CHECK_SIGN_IN, SB_CHECK_RESULT_FAILED, url);
  g_assert_false (is_sensitive (setup, "next-button"));
  sbg_screenshot (setup, "setup-3-unreachable");
  gtk_window_destroy (GTK_WINDOW (setup));
  sbg_settle (50);
}

static void
test_setup_invalid_url (Fixture *fx, gconstpointer data)
{
  SbAssistedSetup *setup;
  GtkWidget *label;

  open_window (fx);
  setup = open_setup (fx);
  /* Plain http:// only for a loopback address: refused before any test, in words. */
  type_details (setup, "http://crm.example.com/", SB_SANDBOX_DEFAULT_SECRET);
  set_text (setup, "authority-entry", base_url);
  click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_DETAILS);
  label = sbg_get (setup, "details-error");
  g_assert_true (gtk_widget_get_visible (label));
  assert_contains (gtk_label_get_text (GTK_LABEL (label)), "https");
  sbg_screenshot (setup, "setup-2-invalid-url");
  /* Typing hides the complaint again. */
  set_text (setup, "url-entry", "https://crm.example.com/");
  g_assert_false (gtk_widget_get_visible (label));
  gtk_window_destroy (GTK_WINDOW (setup));
  sbg_settle (50);
}

/* The page */

static gboolean
page_is_idle (gpointer user_data)
{
  return !sb_connection_page_is_busy (user_data);
}

static gboolean
secret_state_known (gpointer user_data)
{
  GtkWidget *row = sbg_get (user_data, "secret-state-row");

  return g_object_get_data (G_OBJECT (row), "sb-state") != NULL;
}

/* What the page learnt from the keyring: "stored", "not-stored" or "unknown". */
static const char *
secret_state (Fixture *fx)
{
  return g_object_get_data (G_OBJECT (sbg_get (fx->page, "secret-state-row")), "sb-state");
}

/* Stores settings for the sandbox the way the CLI would. */
static void
configure (Fixture *fx, const char *secret)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);

  g_assert_no_error (error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup (base_url);
  g_free (setup->authority);
  setup->authority = g_strdup (base_url);
  g_free (setup->tenant);
  setup->tenant = g_strdup (TENANT);
  g_free (setup->client_id);
  setup->client_id = g_strdup (SB_SANDBOX_INTEGRATION_CLIENT);
  setup->solution_deployed = TRUE;
  g_assert_true (sb_connection_manager_save_sync (manager, setup, secret, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
checks_ran (gpointer user_data)
{
  SbConnectionCheckList *list = sb_connection_page_get_check_list (user_data);
  SbConnectionCheck *check = sb_connection_check_list_get_check (list);

  return check != NULL && !sb_connection_page_is_busy (user_data);
}

static void
test_page (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) stored = NULL;

  configure (fx, SB_SANDBOX_DEFAULT_SECRET);
  open_window (fx);
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "disabled");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (fx->page, "url-row"))), ==,
                   base_url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (fx->page, "client-id-row"))), ==,
                   SB_SANDBOX_INTEGRATION_CLIENT);
  /* The secret is never shown, only that the keyring has it. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (fx->page, "secret-row"))), ==, "");
  sbg_wait_until (secret_state_known, fx->page, "the keyring's answer");
  assert_contains (subtitle (fx->page, "secret-state-row"), "keyring");
  g_assert_cmpstr (secret_state (fx), ==, "stored");
  g_assert_false (gtk_widget_get_visible (sbg_get (fx->page, "setup-button")));
  g_assert_true (gtk_widget_get_visible (sbg_get (fx->page, "enable-button")));
  sbg_screenshot (fx->page, "page-disabled");

  /* Invalid input is refused next to the row, in the core's words, and not saved. */
  set_text (fx->page, "url-row", "http://crm.example.com/");
  g_signal_emit_by_name (sbg_get (fx->page, "url-row"), "apply");
  g_assert_true (gtk_widget_has_css_class (sbg_get (fx->page, "url-row"), "error"));
  sbg_wait_until (page_is_idle, fx->page, "nothing to save");
  stored = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
  g_assert_cmpstr (stored->sales_url, ==, base_url);
  g_clear_pointer (&stored, sb_connection_setup_free);
  gtk_widget_grab_focus (sbg_get (fx->page, "url-row"));
  sbg_screenshot (fx->page, "page-invalid-url");
  set_text (fx->page, "url-row", base_url);
  g_signal_emit_by_name (sbg_get (fx->page, "url-row"), "apply");
  g_assert_false (gtk_widget_has_css_class (sbg_get (fx->page, "url-row"), "error"));
  sbg_wait_until (page_is_idle, fx->page, "the save");

  /* Test: rows appear and all pass; the time is remembered. */
  gtk_widget_activate_action (GTK_WIDGET (fx->page), "connection.test", NULL);
  g_assert_true (sb_connection_page_is_busy (fx->page));
  g_assert_true (gtk_widget_get_visible (sbg_get (fx->page, "checks-group")));
  sbg_wait_until (checks_ran, fx->page, "the page's test");
  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    assert_check_row (fx->page, "check-list", i, SB_CHECK_RESULT_PASSED, NULL);
  g_assert_cmpstr (subtitle (fx->page, "last-test-row"), !=, "Not tested yet");
  sbg_screenshot (fx->page, "page-tested");

  /* A switch saves at once. */
  gtk_switch_set_active (GTK_SWITCH (sbg_get (fx->page, "auto-quotes-switch")), TRUE);
  sbg_wait_until (page_is_idle, fx->page, "the save");
  stored = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
  g_assert_true (stored->auto_process_sales_quotes);
  g_clear_pointer (&stored, sb_connection_setup_free);

  /* Enable, then disable. */
  gtk_widget_activate_action (GTK_WIDGET (fx->page), "connection.enable", NULL);
  sbg_wait_until (page_is_idle, fx->page, "enabling");
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "enabled");
  g_assert_false (gtk_widget_is_sensitive (sbg_get (fx->page, "connection-group")));
  assert_contains (subtitle (fx->page, "currency-row"), "USD");
  gtk_widget_activate_action (GTK_WIDGET (fx->page), "connection.disable", NULL);
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "disabled");
  stored = sb_connection_setup_get (sb_window_get_store (fx->window), &error);
  g_assert_false (stored->is_enabled);
  g_assert_cmpstr (stored->base_currency_code, ==, "USD");
  g_assert_true (gtk_widget_is_sensitive (sbg_get (fx->page, "connection-group")));
}

static void
test_page_new_secret (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  char *secret;

  configure (fx, NULL);
  open_window (fx);
  sbg_wait_until (secret_state_known, fx->page, "the keyring's answer");
  g_assert_cmpstr (secret_state (fx), ==, "not-stored");

  /* Typed, applied, gone from the field, in the keyring. */
  set_text (fx->page, "secret-row", SB_SANDBOX_DEFAULT_SECRET);
  g_signal_emit_by_name (sbg_get (fx->page, "secret-row"), "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (fx->page, "secret-row"))), ==, "");
  g_object_set_data (G_OBJECT (sbg_get (fx->page, "secret-state-row")), "sb-state", NULL);
  sbg_wait_until (page_is_idle, fx->page, "the save");
  sbg_wait_until (secret_state_known, fx->page, "the keyring's answer");
  g_assert_cmpstr (secret_state (fx), ==, "stored");
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, base_url,
                                        SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, SB_SANDBOX_DEFAULT_SECRET);
  sb_secret_store_free (secret);
  g_assert_false (sbs_file_contains (fx->db_path, SB_SANDBOX_DEFAULT_SECRET));
}

static void
test_page_leave_while_testing (Fixture *fx, gconstpointer data)
{
  configure (fx, SB_SANDBOX_DEFAULT_SECRET);
  open_window (fx);
  gtk_widget_activate_action (GTK_WIDGET (fx->page), "connection.test", NULL);
  g_assert_true (sb_connection_page_is_busy (fx->page));
  /* Leaving the page stops the test. */
  sb_window_show_page (fx->window, "customers");
  sbg_wait_until (page_is_idle, fx->page, "the cancelled test");
  sb_window_show_page (fx->window, "connection");
  g_assert_cmpstr (sb_connection_page_get_state (fx->page), ==, "disabled");
}

/* The app menu */

static gboolean
open_from_menu_and_quit (gpointer user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (app);
  SbAssistedSetup *setup;

  g_assert_true (SB_IS_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "assisted-setup", NULL);
  setup = find_setup_window ();
  g_assert_nonnull (setup);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (setup)) == window);
  /* It opens over the Dynamics 365 Sales page, which shows the result afterwards. */
  g_assert_cmpstr (sb_window_get_visible_page_name (SB_WINDOW (window)), ==, "connection");
  sbg_wait_until (setup_is_idle, setup, "the stored secret's lookup");
  gtk_window_destroy (GTK_WINDOW (setup));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_app_menu (Fixture *fx, gconstpointer data)
{
  g_autoptr (SbApplication) app = sb_application_new ();
  char *args[] = { "salesbridge", "--db", fx->db_path, NULL };

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (300, open_from_menu_and_quit, app);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, args), ==, 0);
  g_assert_null (find_setup_window ());
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  g_autoptr (GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/connection/setup/passes", test_setup_passes);
  ADD ("/gui/connection/setup/wrong-secret", test_setup_wrong_secret);
  ADD ("/gui/connection/setup/progress", test_setup_progress);
  ADD ("/gui/connection/setup/unreachable", test_setup_unreachable);
  ADD ("/gui/connection/setup/invalid-url", test_setup_invalid_url);
  ADD ("/gui/connection/page", test_page);
  ADD ("/gui/connection/page/new-secret", test_page_new_secret);
  ADD ("/gui/connection/page/leave-while-testing", test_page_leave_while_testing);
  ADD ("/gui/connection/app-menu", test_app_menu);
#undef ADD

  status = g_test_run ();
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
