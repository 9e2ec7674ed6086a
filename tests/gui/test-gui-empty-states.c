/* test-gui-empty-states.c: every list of the window, empty, says what to do next (issue 9)
 *
 * A real SbWindow on a new, empty company file visits every page of its sidebar.  Each page that
 * shows an AdwStatusPage must give it a title, a description and at least one button whose action
 * the window can run; a few buttons are clicked and must show the page they promise.  The same
 * empty states must fit a phone's 360 px.  Then, on a company with a few records, a search that
 * finds nothing and a coupling filter that leaves nothing each say so and lead back to the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <adwaita.h>
#include <string.h>

#include "sb-connection-setup.h"
#include "sb-coupling-controller.h"
#include "sb-demo-data.h"
#include "sb-sandbox-server.h"
#include "sb-empty-state.h"
#include "sb-record-list-page.h"
#include "sb-test-util.h"
#include "sb-window.h"
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"

static char *tmp_dir;

static char *
company_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static SbWindow *
open_window (const char *path)
{
  SbWindow *window = sb_window_new (NULL, path, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (sb_window_get_error (window));
  return window;
}

static void
close_window (SbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the loading threads' results and the disposal run. */
  sbg_settle (200);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The sidebar's pages, in order: the stack below the window's pages. */
static GPtrArray *
list_page_names (SbWindow *window)
{
  GtkWidget *stack = gtk_widget_get_parent (sb_window_get_page (window, "customers"));
  g_autoptr (GListModel) pages = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (GTK_IS_STACK (stack));
  pages = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (stack)));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      GtkStackPage *page = g_list_model_get_item (pages, i);

      g_ptr_array_add (names, g_strdup (gtk_stack_page_get_name (page)));
      g_object_unref (page);
    }
  return names;
}

static gboolean
has_spinning_spinner (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_spinning_spinner (child))
      return TRUE;
  return FALSE;
}

/* A page is read when nothing on it spins (a record list: nor sorts nor filters). */
static gboolean
page_is_idle (gpointer user_data)
{
  GtkWidget *page = user_data;

  if (SB_IS_RECORD_LIST_PAGE (page) &&
      (sb_record_list_page_is_busy (SB_RECORD_LIST_PAGE (page)) ||
       g_str_equal (sb_record_list_page_get_state (SB_RECORD_LIST_PAGE (page)), "loading")))
    return FALSE;
  return gtk_widget_get_mapped (page) && !has_spinning_spinner (page);
}

static gboolean
page_shows_no_results (gpointer user_data)
{
  return page_is_idle (user_data) &&
         g_str_equal (sb_record_list_page_get_state (user_data), "no-results");
}

static gboolean
is_transitioning (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if ((GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget))) ||
      (ADW_IS_LEAFLET (widget) && adw_leaflet_get_child_transition_running (ADW_LEAFLET (widget))))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (is_transitioning (child))
      return TRUE;
  return FALSE;
}

/* No crossfade or slide is under way: one page, one state shown. */
static gboolean
transitions_done (gpointer user_data)
{
  return !is_transitioning (user_data);
}

static void
settle_transitions (gpointer widget)
{
  sbg_settle (20);
  sbg_wait_until (transitions_done, gtk_widget_get_root (widget), "the transitions");
}

static GtkWidget *
show_page (SbWindow *window, const char *name)
{
  GtkWidget *page = sb_window_get_page (window, name);
  g_autofree char *what = g_strdup_printf ("the page “%s”", name);

  g_assert_nonnull (page);
  sb_window_show_page (window, name);
  sbg_wait_until (page_is_idle, page, what);
  settle_transitions (page);
  return page;
}

static void
collect_status_pages (GtkWidget *widget, GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (ADW_IS_STATUS_PAGE (widget))
    {
      g_ptr_array_add (found, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_status_pages (child, found);
}

static void
collect_action_buttons (GtkWidget *widget, GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_BUTTON (widget) && gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_action_buttons (child, found);
}

/* The button back to the sidebar in @widget's header bar, mapped or not. */
static GtkWidget *
find_back_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.show-sidebar") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_back_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The status page @page shows as its whole content, or NULL when it shows something else. */
static AdwStatusPage *
get_status_page (GtkWidget *page)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect_status_pages (page, found);
  g_assert_cmpuint (found->len, <=, 1);
  return found->len == 1 ? found->pdata[0] : NULL;
}

static GPtrArray *
get_buttons (AdwStatusPage *status)
{
  GPtrArray *buttons = g_ptr_array_new ();

  collect_action_buttons (GTK_WIDGET (status), buttons);
  return buttons;
}

/* A win.show-page button must name a page the window has. */
static void
assert_button_works (SbWindow *window, const char *page_name, GtkWidget *button)
{
  const char *action = gtk_actionable_get_action_name (GTK_ACTIONABLE (button));
  GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  const char *label = gtk_button_get_label (GTK_BUTTON (button));

  g_test_message ("%s: “%s” runs %s", page_name, label, action);
  g_assert_nonnull (label);
  g_assert_cmpstr (label, !=, "");
  /* A button whose action is missing or disabled is insensitive (GtkActionable). */
  if (!gtk_widget_is_sensitive (button))
    g_error ("%s: the button “%s” (%s) cannot run", page_name, label, action);
  if (g_str_equal (action, "win.show-page"))
    {
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-page"));
      g_assert_nonnull (target);
      g_assert_nonnull (sb_window_get_page (window, g_variant_get_string (target, NULL)));
    }
}

/* Checks the empty state @page shows; returns its first button, or NULL when the page shows
 * no status page (a form). */
static GtkWidget *
check_empty_state (SbWindow *window, const char *name)
{
  GtkWidget *page = show_page (window, name);
  AdwStatusPage *status = get_status_page (page);
  g_autoptr (GPtrArray) buttons = NULL;
  const char *title, *description;

  if (status == NULL)
    {
      g_test_message ("%s shows no status page", name);
      return NULL;
    }
  title = adw_status_page_get_title (status);
  description = adw_status_page_get_description (status);
  g_test_message ("%s: “%s”", name, title);
  if (g_strcmp0 (adw_status_page_get_icon_name (status), "dialog-error-symbolic") == 0)
    g_error ("%s shows an error: %s", name, description);
  g_assert_nonnull (adw_status_page_get_icon_name (status));
  g_assert_true (title != NULL && *title != '\0');
  g_assert_true (description != NULL && *description != '\0');
  /* A GUI user cannot act on a command line tool as the only way. */
  g_assert_null (strstr (description, "added with salesbridge-cli"));

  buttons = get_buttons (status);
  if (buttons->len == 0)
    g_error ("The empty state of %s (“%s”) has no button", name, title);
  for (guint i = 0; i < buttons->len; i++)
    assert_button_works (window, name, buttons->pdata[i]);
  /* The first is the suggested step. */
  g_assert_true (gtk_widget_has_css_class (buttons->pdata[0], "suggested-action"));
  return buttons->pdata[0];
}

/* Clicks the first button of @name's empty state and expects @expected shown. */
static void
click_first (SbWindow *window, const char *name, const char *expected)
{
  GtkWidget *button = check_empty_state (window, name);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  sbg_settle (100);
  g_assert_cmpstr (sb_window_get_visible_page_name (window), ==, expected);
}

static gboolean
record_list_page (SbWindow *window, const char *name)
{
  return SB_IS_RECORD_LIST_PAGE (sb_window_get_page (window, name));
}

static void
test_every_page (void)
{
  g_autofree char *path = company_path ("empty.sbdb");
  SbWindow *window = open_window (path);
  g_autoptr (GPtrArray) names = list_page_names (window);
  guint n_empty_states = 0;

  g_assert_cmpuint (names->len, >=, 20);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      GtkWidget *first = check_empty_state (window, name);
      GtkWidget *back = find_back_button (sb_window_get_page (window, name));

      /* Beside the sidebar, no page needs the way back to it. */
      g_assert_nonnull (back);
      g_assert_false (gtk_widget_get_visible (back));

      if (first != NULL)
        n_empty_states++;
      /* Every book of an empty company is empty, and says so. */
      if (record_list_page (window, name))
        {
          g_assert_nonnull (first);
          g_assert_cmpstr (sb_record_list_page_get_state (
                               SB_RECORD_LIST_PAGE (sb_window_get_page (window, name))),
                           ==, "empty");
        }
    }
  g_test_message ("%u of %u pages show an empty state", n_empty_states, names->len);
  /* The books, Statistics, the pages of the integration, the log, conflicts and jobs; not the
   * forms (Dynamics 365 Sales, Setup). */
  g_assert_cmpuint (n_empty_states, >=, names->len - 2);

  sbg_screenshot (show_page (window, "customers"), "empty-customers");
  sbg_screenshot (show_page (window, "conflicts"), "empty-conflicts");

  /* The buttons lead where they say, the connection first while it is not set up. */
  click_first (window, "contacts", "customers");
  click_first (window, "invoices", "orders");
  click_first (window, "conflicts", "sync-log");
  click_first (window, "statistics", "customers");
  click_first (window, "salespeople", "connection");
  click_first (window, "orders", "connection");
  click_first (window, "sync-log", "connection");
  click_first (window, "sales-orders", "connection");
  close_window (window);
}

/* A sync step leads to the connection settings until the connection is enabled, then to the
 * page it names. */
static void
test_connection_enabled (void)
{
  g_autofree char *path = company_path ("enabled.sbdb");
  SbWindow *window = open_window (path);
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *button;

  button = check_empty_state (window, "currencies");
  g_assert_cmpstr (
      g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
      ==, "connection");
  show_page (window, "customers");

  /* The flag alone: no page that would talk to Dynamics 365 Sales is visited. */
  setup = sb_connection_setup_get (sb_window_get_store (window), &error);
  g_assert_no_error (error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup ("http://127.0.0.1:9/");
  g_free (setup->client_id);
  setup->client_id = g_strdup ("00000000-0000-0000-0000-000000000001");
  g_free (setup->tenant);
  setup->tenant = g_strdup ("contoso.onmicrosoft.com");
  setup->is_enabled = TRUE;
  sb_connection_setup_update (sb_window_get_store (window), setup, &error);
  g_assert_no_error (error);

  /* The empty book is read again on the next visit. */
  click_first (window, "currencies", "review");
  /* With the connection, the log's next step is the first synchronization. */
  click_first (window, "sync-log", "review");
  sbg_narrow_window (window);
  show_page (window, "currencies");
  sbg_narrow_window (window);
  sbg_screenshot (window, "empty-currencies-enabled-360");
  button = check_empty_state (window, "orders");
  g_assert_cmpstr (
      g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL),
      ==, "sales-orders");
  close_window (window);
}

/* Connected to an empty Sales (the in-process sandbox), the pages about it show their own
 * empty states, and theirs lead on too. */
static void
test_connected (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
  g_autoptr (SbStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *const integration_pages[] = {
    "sales-records", "sales-orders", "sales-quotes", "mappings",
    "review",        "sync-log",     "conflicts",    "jobs",
  };
  SbWindow *window;
  GtkWidget *button;

  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  store = sbg_company_new (&dir, &path);
  sbg_enable_connection (store, sb_sandbox_server_get_base_url (server));
  g_clear_object (&store);

  window = open_window (path);
  for (guint i = 0; i < G_N_ELEMENTS (integration_pages); i++)
    check_empty_state (window, integration_pages[i]);

  /* Nothing in Sales yet: the quotes are looked for again. */
  button = check_empty_state (window, "sales-quotes");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "sales-import.refresh");
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (check_empty_state (window, "sales-quotes"));
  sbg_screenshot (window, "empty-sales-quotes-connected");
  /* The books' sync steps lead to the pages they name now. */
  click_first (window, "salespeople", "review");
  click_first (window, "quotes", "sales-quotes");
  click_first (window, "sync-log", "review");
  close_window (window);

  sb_sandbox_server_stop (server);
  sb_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Every empty state fits a phone's width, buttons and all. */
static void
test_narrow (void)
{
  g_autofree char *path = company_path ("narrow.sbdb");
  SbWindow *window = open_window (path);
  g_autoptr (GPtrArray) names = list_page_names (window);
  GtkWidget *mappings;

  sbg_narrow_window (window);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      GtkWidget *page = show_page (window, name);
      AdwStatusPage *status = get_status_page (page);
      g_autoptr (GPtrArray) buttons = NULL;
      GtkWidget *back = find_back_button (page);

      /* A window that grew for the crossfade between two pages narrows again; a page that
       * needs more than 360 px fails here. */
      g_test_message ("%s at 360 px", name);
      sbg_narrow_window (window);
      sbg_settle (100);
      /* Every page, folded, offers the way back to the sidebar (SbPage). */
      g_assert_nonnull (back);
      g_assert_true (gtk_widget_get_mapped (back));
      g_assert_true (gtk_widget_is_sensitive (back));
      if (status == NULL)
        continue;
      buttons = get_buttons (status);
      g_assert_cmpuint (buttons->len, >, 0);
      for (guint j = 0; j < buttons->len; j++)
        {
          graphene_rect_t bounds;

          g_assert_true (
              gtk_widget_compute_bounds (buttons->pdata[j], GTK_WIDGET (window), &bounds));
          if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > 360)
            g_error ("%s: the button “%s” is cut off at 360 px (%.0f to %.0f)", name,
                     gtk_button_get_label (buttons->pdata[j]), bounds.origin.x,
                     bounds.origin.x + bounds.size.width);
        }
    }
  /* The way back works: the sidebar slides in over the page. */
  mappings = show_page (window, "mappings");
  sbg_screenshot (mappings, "mappings-360");
  g_signal_emit_by_name (find_back_button (mappings), "clicked");
  settle_transitions (window);
  g_assert_false (gtk_widget_get_mapped (mappings));
  sbg_screenshot (show_page (window, "customers"), "empty-customers-360");
  sbg_screenshot (show_page (window, "contacts"), "empty-contacts-360");
  sbg_screenshot (show_page (window, "sync-log"), "empty-sync-log-360");
  close_window (window);
}

/* A search or a filter that leaves nothing is not an empty book: it says what was searched and
 * leads back to every row. */
static void
test_no_results (void)
{
  g_autofree char *path = company_path ("demo.sbdb");
  SbDemoOptions options = { .customers = 5, .items = 3, .resources = 2, .orders = 3, .seed = 3 };
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GError) error = NULL;
  SbWindow *window;
  g_autoptr (GPtrArray) names = NULL;
  SbRecordListPage *page;
  AdwStatusPage *status;
  g_autoptr (GPtrArray) buttons = NULL;
  guint n_searched = 0;

  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (sb_demo_seed (store, &options, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  window = open_window (path);
  names = list_page_names (window);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];

      if (!record_list_page (window, name))
        continue;
      page = SB_RECORD_LIST_PAGE (show_page (window, name));
      if (g_str_equal (sb_record_list_page_get_state (page), "empty"))
        continue; /* the demo has none of these */
      g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "list");

      sb_record_list_page_set_search_text (page, "zzq-nothing");
      sbg_wait_until (page_is_idle, page, "the search");
      g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "no-results");
      settle_transitions (page);
      status = get_status_page (GTK_WIDGET (page));
      g_assert_nonnull (status);
      g_assert_nonnull (strstr (adw_status_page_get_description (status), "zzq-nothing"));
      if (n_searched == 0)
        sbg_screenshot (page, "no-results-search");

      buttons = get_buttons (status);
      g_assert_cmpuint (buttons->len, ==, 1);
      g_assert_cmpstr (gtk_actionable_get_action_name (buttons->pdata[0]), ==, "list.clear-search");
      g_signal_emit_by_name (buttons->pdata[0], "clicked");
      g_clear_pointer (&buttons, g_ptr_array_unref);
      sbg_wait_until (page_is_idle, page, "the cleared search");
      g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "list");
      n_searched++;
    }
  /* Customers, contacts, items, resources, quotes or orders, and the code tables. */
  g_assert_cmpuint (n_searched, >=, 6);

  /* Customers with a coupling status that none has (nothing is coupled in the demo). */
  page = SB_RECORD_LIST_PAGE (show_page (window, "customers"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "coupling.filter", "i",
                                             (gint32) SB_COUPLING_STATUS_COUPLED));
  /* The filter applies once the coupling statuses are read. */
  sbg_wait_until (page_shows_no_results, page, "the coupling filter");
  settle_transitions (page);
  status = get_status_page (GTK_WIDGET (page));
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_title (status), !=, "No Results Found");
  buttons = get_buttons (status);
  g_assert_cmpuint (buttons->len, ==, 1);
  sbg_screenshot (page, "no-results-filter");
  g_signal_emit_by_name (buttons->pdata[0], "clicked");
  sbg_settle (100);
  sbg_wait_until (page_is_idle, page, "every customer again");
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (sb_record_list_page_get_model (page)), ==,
                    g_list_model_get_n_items (sb_record_list_page_get_records (page)));
  close_window (window);
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  int status;

  /* GTK, and a private keyring for the connection's secret. */
  keyring = sbg_sync_test_init (&argc, &argv);
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-11-21", TRUE);
  tmp_dir = sb_test_tmpdir_new ();

  g_test_add_func ("/gui/empty-states/every-page", test_every_page);
  g_test_add_func ("/gui/empty-states/connection-enabled", test_connection_enabled);
  g_test_add_func ("/gui/empty-states/connected", test_connected);
  g_test_add_func ("/gui/empty-states/narrow", test_narrow);
  g_test_add_func ("/gui/empty-states/no-results", test_no_results);
  status = g_test_run ();
  sb_test_tmpdir_free (tmp_dir);
  sbs_keyring_stop (keyring);
  return status;
}
