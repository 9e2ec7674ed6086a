/* test-gui-first-run.c: the first run and the demo mode
 *
 * From an empty home folder (XDG folders in a temporary directory, a private keyring): the
 * first-run page, Try with Demo Data with the assisted setup's connection test against the
 * demo Sales the app started itself, a restart in demo mode, and Leave Demo removing the files
 * and the keyring entry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-first-run.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "sb-application.h"
#include "sb-core-error.h"
#include "sb-company-manager.h"
#include "sb-company.h"
#include "sb-assisted-setup.h"
#include "sb-connection-check-list.h"
#include "sb-connection-setup.h"
#include "sb-demo-session.h"
#include "sb-first-run-window.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-store.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static char *demo_url; /* the demo Sales of the first start */

/* The assisted setup, filled in by the demo, passes its connection test against the sandbox. */
static void
assert_setup_test_passes (SbWindow *window)
{
  SbAssistedSetup *setup;
  SbConnectionCheck *check;
  g_autofree char *url = sbg_demo_sales_url ();

  sbg_wait_until (sbg_has_setup, NULL, "the assisted setup");
  setup = SB_ASSISTED_SETUP (sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (setup)) == GTK_WINDOW (window));
  sbg_wait_until (sbg_setup_is_idle, setup, "the stored secret's lookup");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_WELCOME);
  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_DETAILS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (setup, "url-entry"))), ==, url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (setup, "client-id-entry"))), ==,
                   SB_SANDBOX_INTEGRATION_CLIENT);
  /* The secret is in the keyring already: once its lookup is back, Next needs nothing typed. */
  sbg_wait_until (sbg_next_is_sensitive, setup, "the stored secret's lookup");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (setup, "secret-entry"))), ==, "");
  sbg_screenshot (setup, "demo-setup-details");
  sbg_click (setup, "next-button");
  g_assert_cmpint (sb_assisted_setup_get_step (setup), ==, SB_SETUP_STEP_TEST);
  sbg_wait_until (sbg_setup_is_idle, setup, "the connection test");
  check = sb_connection_check_list_get_check (
      SB_CONNECTION_CHECK_LIST (sbg_get (setup, "test-checks")));
  g_assert_nonnull (check);
  g_assert_true (sb_connection_check_get_passed (check));
  sbg_screenshot (setup, "demo-setup-test");
  gtk_window_destroy (GTK_WINDOW (setup));
}

static gboolean
first_start (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWindow *first_run = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);
  g_autofree char *path = sb_demo_session_get_company_path ();
  GtkWindow *window;

  /* No company yet: the first-run page and nothing else. */
  g_assert_nonnull (first_run);
  g_assert_null (sbg_find_toplevel (SB_TYPE_WINDOW));
  g_assert_true (gtk_widget_get_visible (sbg_get (first_run, "create-button")));
  sbg_screenshot (first_run, "first-run");

  sbg_click (first_run, "demo-button");
  g_assert_true (sb_first_run_window_is_busy (SB_FIRST_RUN_WINDOW (first_run)));
  g_assert_false (gtk_widget_is_sensitive (sbg_get (first_run, "demo-button")));
  sbg_wait_until (sbg_has_demo_window, NULL, "the demo company's window");
  window = sbg_find_toplevel (SB_TYPE_WINDOW);
  g_assert_null (sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW));
  g_assert_true (gtk_widget_get_visible (sbg_get (window, "demo-banner")));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  assert_setup_test_passes (SB_WINDOW (window));
  sbg_screenshot (window, "demo-window");
  demo_url = sbg_demo_sales_url ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
restart_and_leave (gpointer user_data)
{
  GApplication *app = user_data;
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sandbox_db = g_build_filename (dir, "demo-sandbox.db", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *last = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkWindow *window;

  /* In demo mode a restart starts the demo's Sales again, at the same address. */
  sbg_wait_until (sbg_has_demo_window, NULL, "the demo company's window after the restart");
  window = sbg_find_toplevel (SB_TYPE_WINDOW);
  g_assert_true (gtk_widget_get_visible (sbg_get (window, "demo-banner")));
  g_assert_true (g_file_test (sandbox_db, G_FILE_TEST_EXISTS));
  g_action_group_activate_action (G_ACTION_GROUP (app), "assisted-setup", NULL);
  assert_setup_test_passes (SB_WINDOW (window));
  url = sbg_demo_sales_url ();
  g_assert_cmpstr (url, ==, demo_url);

  /* Leave Demo asks first; Cancel keeps everything. */
  sbg_click (window, "leave-demo-button");
  sbg_wait_until (sbg_has_message_dialog, NULL, "the Leave Demo question");
  dialog = ADW_MESSAGE_DIALOG (sbg_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "cancel");
  sbg_settle (50);
  g_assert_true (sbg_has_demo_window (NULL));

  sbg_click (window, "leave-demo-button");
  sbg_wait_until (sbg_has_message_dialog, NULL, "the Leave Demo question");
  dialog = ADW_MESSAGE_DIALOG (sbg_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  sbg_screenshot (dialog, "leave-demo");
  adw_message_dialog_response (dialog, "leave");
  sbg_wait_until (sbg_first_run_is_idle, NULL, "the first-run page after leaving");
  g_assert_null (sbg_find_toplevel (SB_TYPE_WINDOW));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (sandbox_db, G_FILE_TEST_EXISTS));
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, demo_url,
                                        SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  /* Nothing points at the removed demo any more. */
  last =
      g_settings_get_string (sb_application_get_settings (SB_APPLICATION (app)), "last-database");
  g_assert_cmpstr (last, ==, "");
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_demo (void)
{
  g_assert_cmpint (sbg_run_app (first_start), ==, 0);
  g_assert_nonnull (demo_url);
  g_assert_cmpint (sbg_run_app (restart_and_leave), ==, 0);
  g_free (demo_url);
}

/* Companies */

static gboolean
manager_is_idle (gpointer data)
{
  GtkWindow *manager = sbg_find_toplevel (SB_TYPE_COMPANY_MANAGER);

  return manager != NULL && !sb_company_manager_is_busy (SB_COMPANY_MANAGER (manager));
}

static gboolean
only_window_is (gpointer path)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (SB_IS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          n++;
          found |= g_strcmp0 (sb_window_get_database_path (SB_WINDOW (window)), path) == 0;
        }
    }
  return n == 1 && found && sbg_find_toplevel (SB_TYPE_COMPANY_MANAGER) == NULL;
}

static SbCompanyManager *
open_manager (GApplication *app)
{
  SbCompanyManager *manager;

  g_action_group_activate_action (G_ACTION_GROUP (app), "companies", NULL);
  sbg_wait_until (manager_is_idle, NULL, "the list of companies");
  manager = SB_COMPANY_MANAGER (sbg_find_toplevel (SB_TYPE_COMPANY_MANAGER));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (manager)));
  return manager;
}

static char *
company_name (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (SbGeneralSetup) setup = NULL;

  g_assert_no_error (error);
  setup = sb_general_setup_get (store, &error);
  g_assert_no_error (error);
  return g_strdup (setup->company_name);
}

static gboolean
companies_script (gpointer user_data)
{
  GApplication *app = user_data;
  GSettings *settings = sb_application_get_settings (SB_APPLICATION (app));
  g_autofree char *dir = sb_company_get_dir ();
  g_autofree char *first = g_build_filename (dir, "default.sbdb", NULL);
  g_autofree char *second = g_build_filename (dir, "fabrikam-ltd.sbdb", NULL);
  g_autofree char *name = NULL;
  g_autofree char *last = NULL;
  g_auto (GStrv) recent = NULL;
  GtkWindow *first_run = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);
  SbCompanyManager *manager;
  GtkWidget *row;

  /* Create Company on the first-run page: an empty company in the usual place. */
  g_assert_nonnull (first_run);
  sbg_click (first_run, "create-button");
  sbg_wait_until (only_window_is, first, "the new company's window");
  g_assert_null (sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW));

  /* A second company, by name: a new file, and the window switches to it. */
  manager = open_manager (app);
  g_assert_nonnull (sbg_find_named (GTK_WIDGET (manager), "default.sbdb"));
  g_assert_false (gtk_widget_is_sensitive (sbg_get (manager, "create-button")));
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (manager, "name-row")), "   ");
  g_assert_false (gtk_widget_is_sensitive (sbg_get (manager, "create-button")));
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (manager, "name-row")), "Fabrikam, Ltd.");
  sbg_screenshot (manager, "companies");
  sbg_click (manager, "create-button");
  sbg_wait_until (only_window_is, second, "the window on the second company");
  name = company_name (second);
  g_assert_cmpstr (name, ==, "Fabrikam, Ltd.");
  last = g_settings_get_string (settings, "last-database");
  g_assert_cmpstr (last, ==, second);
  recent = g_settings_get_strv (settings, "recent-databases");
  g_assert_true (g_strv_contains ((const char *const *) recent, first));
  g_assert_true (g_strv_contains ((const char *const *) recent, second));

  /* Both are listed by name; the open one cannot be chosen again. */
  manager = open_manager (app);
  row = sbg_get (manager, "fabrikam-ltd.sbdb");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Fabrikam, Ltd.");
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  row = sbg_get (manager, "default.sbdb");
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  g_signal_emit_by_name (row, "activate");
  sbg_wait_until (only_window_is, first, "the window back on the first company");
  g_clear_pointer (&last, g_free);
  last = g_settings_get_string (settings, "last-database");
  g_assert_cmpstr (last, ==, first);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_companies (void)
{
  g_autofree char *dir = sb_company_get_dir ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (sbg_run_app (companies_script), ==, 0);

  /* Bad names say what to do; a taken name gets a file of its own. */
  g_assert_null (sb_company_create (dir, " \t", &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  path = sb_company_create (dir, "Fabrikam Ltd", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (path, "/fabrikam-ltd-2.sbdb"));
}

/* The shortcuts window lists every shortcut the app has: the app's own and the pages'. */

static void
add_accelerators (GHashTable *set, const char *accels)
{
  g_auto (GStrv) parts = g_strsplit (accels, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint key = 0;
      GdkModifierType mods = 0;

      if (*parts[i] == '\0')
        continue;
      g_assert_true (gtk_accelerator_parse (parts[i], &key, &mods));
      g_hash_table_add (set, gtk_accelerator_name (key, mods));
    }
}

static void
assert_listed (GHashTable *listed, const char *accel)
{
  guint key = 0;
  GdkModifierType mods = 0;
  g_autofree char *name = NULL;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  name = gtk_accelerator_name (key, mods);
  if (!g_hash_table_contains (listed, name))
    g_error ("The shortcuts window does not list %s", accel);
}

static void
test_shortcuts (void)
{
  /* The pages' shortcuts: the lists', the coupling actions' (sb-coupling-controller.c) and the
   * Sales records'. */
  static const char *const pages[] = {
    "<Control>f",        "F5",
    "<Control>r",        "<Alt>Left",
    "<Control><Shift>c", "<Control><Shift>m",
    "<Control><Shift>n", "<Control><Shift>s",
    "<Control><Shift>u", "<Control>h",
    "<Control><Shift>o", "<Control>question",
  };
  g_autoptr (GtkBuilder) builder =
      gtk_builder_new_from_resource ("/io/github/salesbridge/Salesbridge/gtk/help-overlay.ui");
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (SbApplication) app = sb_application_new ();
  g_auto (GStrv) actions = NULL;
  g_autoptr (GError) error = NULL;
  GSList *objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l != NULL; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accel = NULL;

        g_object_get (l->data, "accelerator", &accel, NULL);
        if (accel != NULL)
          add_accelerators (listed, accel);
      }
  g_slist_free (objects);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    assert_listed (listed, pages[i]);
  /* The app's own, as its startup sets them. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  g_assert_cmpuint (g_strv_length (actions), >=, 4);
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto (GStrv) accels =
          gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        assert_listed (listed, accels[j]);
    }
}

int
main (int argc, char *argv[])
{
  SbgFirstRunHome home;
  int status;

  /* An empty home folder, before anything asks GLib where the user's folders are. */
  sbg_first_run_home_begin (&home);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  g_test_add_func ("/gui/first-run/demo", test_demo);
  g_test_add_func ("/gui/first-run/companies", test_companies);
  g_test_add_func ("/gui/first-run/shortcuts", test_shortcuts);
  status = g_test_run ();
  sbg_first_run_home_end (&home);
  return status;
}
