/* test-gui-preferences.c: the Preferences window and the notification of a failed job
 *
 * The app (SbApplication, registered on a private session bus) opens a temporary company with
 * an enabled connection to the in-process sandbox. Preferences: the style and notification
 * rows change the settings and the style manager; a job's times typed into the Scheduled Jobs
 * page reach the company database and survive ensure_jobs(). Notifications: this test owns
 * org.gtk.Notifications on the bus, as GNOME Shell does, and sees what the app sends when a
 * scheduled job fails (once per failure streak), withdraws when it runs well again, and nothing
 * when the user turned the notifications off; the notification's action opens the log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <locale.h>

#include "sb-application.h"
#include "sb-job-queue.h"
#include "sb-job-runner.h"
#include "sb-preferences-window.h"
#include "sb-sandbox-server.h"
#include "sb-store-private.h"
#include "sb-window.h"

/* ---- A notification server ------------------------------------------------------------------ */

static const char notifications_xml[] =
    "<node><interface name='org.gtk.Notifications'>"
    "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='a{sv}' direction='in'/></method>"
    "<method name='RemoveNotification'><arg type='s' direction='in'/>"
    "<arg type='s' direction='in'/></method>"
    "</interface></node>";

typedef struct
{
  guint n_added;
  guint n_removed;
  char *last_id;
  char *last_title;
  char *last_body;
  char *last_action;
  GVariant *last_target;
  char *removed_id;
} Notifications;

static Notifications seen;

static void
notifications_call (GDBusConnection *connection, const char *sender, const char *path,
                    const char *interface, const char *method, GVariant *parameters,
                    GDBusMethodInvocation *invocation, gpointer user_data)
{
  if (g_str_equal (method, "AddNotification"))
    {
      g_autoptr (GVariant) dict = NULL;
      const char *id;

      g_variant_get (parameters, "(&s&s@a{sv})", NULL, &id, &dict);
      seen.n_added++;
      g_free (seen.last_id);
      seen.last_id = g_strdup (id);
      g_clear_pointer (&seen.last_title, g_free);
      g_clear_pointer (&seen.last_body, g_free);
      g_clear_pointer (&seen.last_action, g_free);
      g_clear_pointer (&seen.last_target, g_variant_unref);
      g_variant_lookup (dict, "title", "s", &seen.last_title);
      g_variant_lookup (dict, "body", "s", &seen.last_body);
      g_variant_lookup (dict, "default-action", "s", &seen.last_action);
      seen.last_target = g_variant_lookup_value (dict, "default-action-target", NULL);
    }
  else
    {
      const char *id;

      g_variant_get (parameters, "(&s&s)", NULL, &id);
      seen.n_removed++;
      g_free (seen.removed_id);
      seen.removed_id = g_strdup (id);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Owns org.gtk.Notifications before the app sends anything: GIO picks the backend that
 * speaks to it when the first notification goes out. */
static void
notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_call, NULL, NULL, { 0 } };
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr (GVariant) reply = NULL;

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (
      bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "RequestName",
      g_variant_new ("(su)", "org.gtk.Notifications", 0x4 /* DO_NOT_QUEUE */),
      G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* ---- Fixture --------------------------------------------------------------------------------- */

typedef struct
{
  SbSandboxServer *server;
  char *dir;
  char *db_path;
  SbStore *store;     /* the test's own */
  SbApplication *app; /* the test run's: one registration on the bus */
  SbWindow *window;
  GSettings *settings;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->store = sbg_company_new (&fx->dir, &fx->db_path);
  sbg_enable_connection (fx->store, sb_sandbox_server_get_base_url (fx->server));

  fx->app = (SbApplication *) data;
  fx->settings = sb_application_get_settings (fx->app);
  g_assert_nonnull (fx->settings);
  g_settings_reset (fx->settings, "notify-job-failures");
  g_settings_reset (fx->settings, "color-scheme");
  sb_application_open_database (fx->app, fx->db_path);
  fx->window = SB_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (fx->app)));
  g_assert_true (SB_IS_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  memset (&seen, 0, sizeof seen);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  for (GList *l; (l = gtk_application_get_windows (GTK_APPLICATION (fx->app))) != NULL;)
    gtk_window_destroy (l->data);
  sbg_settle (100);
  sbg_clear_secret (fx->store);
  g_clear_object (&fx->store);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
  g_free (seen.last_id);
  g_free (seen.last_title);
  g_free (seen.last_body);
  g_free (seen.last_action);
  g_clear_pointer (&seen.last_target, g_variant_unref);
  g_free (seen.removed_id);
}

static gint64
sql_int (SbStore *store, const char *sql)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* ---- Preferences ----------------------------------------------------------------------------- */

static GtkWidget *
open_preferences (Fixture *fx)
{
  GtkWidget *preferences;

  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "preferences", NULL);
  preferences = sbg_find_window ("preferences");
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) ==
                 GTK_WINDOW (fx->window));
  return preferences;
}

static gboolean
preferences_idle (gpointer window)
{
  return !sb_preferences_window_is_busy (window);
}

static gboolean
runner_idle (gpointer data)
{
  SbJobRunner *runner = data;

  return sb_job_runner_get_n_polls (runner) > 0 && !sb_job_runner_is_busy (runner);
}

typedef struct
{
  SbStore *store;
  const char *sql;
  gint64 expected;
} SqlWait;

static gboolean
sql_is (gpointer data)
{
  SqlWait *w = data;

  return sql_int (w->store, w->sql) == w->expected;
}

static void
test_preferences (Fixture *fx, gconstpointer data)
{
  GtkWidget *preferences;
  GtkSpinButton *interval;
  AdwStyleManager *style = adw_style_manager_get_default ();

  sbg_wait_until (runner_idle, sb_window_get_job_runner (fx->window), "the first poll of jobs");
  preferences = open_preferences (fx);
  sbg_wait_until (preferences_idle, preferences, "the jobs in Preferences");

  /* The style: the row, the setting and the style manager agree. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_PREFER_LIGHT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (sbg_get (preferences, "style-row")), 2);
  g_assert_cmpstr (g_settings_get_string (fx->settings, "color-scheme"), ==, "dark");
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  sbg_settle (200);
  sbg_screenshot (preferences, "preferences-general-dark");
  adw_combo_row_set_selected (ADW_COMBO_ROW (sbg_get (preferences, "style-row")), 1);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_settings_set_string (fx->settings, "color-scheme", "default");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sbg_get (preferences, "style-row"))),
                    ==, 0);

  /* Notifications: the switch is the setting. */
  gtk_switch_set_active (GTK_SWITCH (sbg_get (preferences, "notify-switch")), FALSE);
  g_assert_false (g_settings_get_boolean (fx->settings, "notify-job-failures"));
  gtk_switch_set_active (GTK_SWITCH (sbg_get (preferences, "notify-switch")), TRUE);

  /* A job's times, typed: written once the typing stops, into the job and its mapping. */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "jobs");
  interval = GTK_SPIN_BUTTON (sbg_get (preferences, "interval-CUSTOMER"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (interval), ==, 30);
  gtk_spin_button_set_value (interval, 1);
  gtk_spin_button_set_value (interval, 15);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sbg_get (preferences, "inactivity-CUSTOMER")), 90);
  {
    SqlWait w = { fx->store, "SELECT interval_minutes FROM job_queue WHERE name = 'CUSTOMER'", 15 };

    sbg_wait_until (sql_is, &w, "the new interval in the database");
    sbg_wait_until (preferences_idle, preferences, "the write to end");
  }
  g_assert_cmpint (
      sql_int (fx->store, "SELECT inactivity_timeout FROM job_queue WHERE name = 'CUSTOMER'"), ==,
      90);
  g_assert_cmpint (sql_int (fx->store, "SELECT job_interval FROM integration_table_mapping"
                                       " WHERE name = 'CUSTOMER'"),
                   ==, 15);
  sbg_screenshot (preferences, "preferences-jobs");

  /* Typed and closed at once: still kept. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (sbg_get (preferences, "interval-CONTACT")), 45);
  gtk_window_destroy (GTK_WINDOW (preferences));
  {
    SqlWait w = { fx->store, "SELECT interval_minutes FROM job_queue WHERE name = 'CONTACT'", 45 };

    sbg_wait_until (sql_is, &w, "the interval typed before closing");
  }

  /* Read again in a new window: what the database holds. */
  preferences = open_preferences (fx);
  sbg_wait_until (preferences_idle, preferences, "the jobs in Preferences");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                       GTK_SPIN_BUTTON (sbg_get (preferences, "interval-CUSTOMER"))),
                   ==, 15);
  sbg_narrow_window (preferences);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* ---- The notification of a failed job -------------------------------------------------------- */

static gboolean
n_added_is (gpointer data)
{
  return seen.n_added == GPOINTER_TO_UINT (data);
}

static gboolean
n_removed_is (gpointer data)
{
  return seen.n_removed == GPOINTER_TO_UINT (data);
}

typedef struct
{
  SbJobRunner *runner;
  guint n_polls;
} PollWait;

static gboolean
polled (gpointer data)
{
  PollWait *w = data;

  return sb_job_runner_get_n_polls (w->runner) >= w->n_polls && !sb_job_runner_is_busy (w->runner);
}

static void
changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_job_runner_change_finish (SB_JOB_RUNNER (source), result, &error));
  g_assert_no_error (error);
}

/* Makes CUSTOMER due now and waits until the poll that runs it has ended. */
static void
run_customer_job (SbJobRunner *runner)
{
  PollWait w = { runner, sb_job_runner_get_n_polls (runner) + 1 };

  sb_job_runner_run_now_async (runner, "CUSTOMER", NULL, changed, NULL);
  sbg_wait_until (polled, &w, "the customer job to run");
}

/* A filter Dataverse refuses (400) makes every run of the customer job fail. */
static void
break_customer_job (Fixture *fx, gboolean broken)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE integration_table_mapping SET only_coupled = 0,"
                                          " dataverse_filter = '%s' WHERE name = 'CUSTOMER'",
                                          broken ? "name eq" : "");

  g_assert_true (sb_store_exec (fx->store, sql, &error));
  g_assert_no_error (error);
}

static gboolean
window_inactive (gpointer window)
{
  return !gtk_window_is_active (window);
}

static void
test_notification (Fixture *fx, gconstpointer data)
{
  SbJobRunner *runner = sb_window_get_job_runner (fx->window);
  g_autofree char *id = NULL;
  GtkWidget *other;

  sbg_wait_until (runner_idle, runner, "the first poll of jobs");
  /* The user works in another program's window: the notification is what tells them. */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  sbg_wait_until (window_inactive, fx->window, "the company window to lose the focus");

  break_customer_job (fx, TRUE);
  run_customer_job (runner);
  g_assert_cmpint (sql_int (fx->store, "SELECT status FROM job_queue WHERE name = 'CUSTOMER'"), ==,
                   SB_JOB_STATUS_ERROR);
  sbg_wait_until (n_added_is, GUINT_TO_POINTER (1), "the notification of the failed job");
  g_assert_cmpstr (seen.last_title, ==, "A Synchronization Job Failed");
  g_assert_nonnull (strstr (seen.last_body, "“CUSTOMER”"));
  g_assert_nonnull (strstr (seen.last_id, "CUSTOMER"));
  g_assert_cmpstr (seen.last_action, ==, "app.show-sync-log");
  g_assert_cmpstr (g_variant_get_string (seen.last_target, NULL), ==, fx->db_path);
  id = g_strdup (seen.last_id);

  /* The retry fails too: the same streak, no second notification. */
  run_customer_job (runner);
  sbg_settle (300);
  g_assert_cmpuint (seen.n_added, ==, 1);

  /* Its action: the company's Synchronization Log. */
  sb_window_show_page (fx->window, "customers");
  g_action_group_activate_action (G_ACTION_GROUP (fx->app), "show-sync-log", seen.last_target);
  g_assert_cmpstr (sb_window_get_visible_page_name (fx->window), ==, "sync-log");

  /* A good run withdraws it. */
  break_customer_job (fx, FALSE);
  run_customer_job (runner);
  sbg_wait_until (n_removed_is, GUINT_TO_POINTER (1), "the notification to be withdrawn");
  g_assert_cmpstr (seen.removed_id, ==, id);

  /* Turned off in Preferences: a new failure notifies nobody. */
  g_settings_set_boolean (fx->settings, "notify-job-failures", FALSE);
  break_customer_job (fx, TRUE);
  run_customer_job (runner);
  g_assert_cmpint (sql_int (fx->store, "SELECT status FROM job_queue WHERE name = 'CUSTOMER'"), ==,
                   SB_JOB_STATUS_ERROR);
  sbg_settle (300);
  g_assert_cmpuint (seen.n_added, ==, 1);
  gtk_window_destroy (GTK_WINDOW (other));
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring = sbg_sync_test_init (&argc, &argv);
  g_autoptr (SbApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  notifications_start ();
  app = sb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_test_add ("/gui/preferences/window", Fixture, app, fixture_set_up, test_preferences,
              fixture_tear_down);
  g_test_add ("/gui/preferences/job-failed-notification", Fixture, app, fixture_set_up,
              test_notification, fixture_tear_down);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
