/* sb-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "sb-application.h"
#include "sb-availability-server.h"
#include "sb-company-manager.h"
#include "sb-company.h"
#include "sb-connection-page.h"
#include "sb-connection-setup.h"
#include "sb-demo-session.h"
#include "sb-first-run-window.h"
#include "sb-preferences-window.h"
#include "sb-secret-store.h"
#include "sb-store.h"
#include "sb-window.h"

struct _SbApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  GHashTable *availability; /* database path → its SbAvailabilityServer */
  SbDemoSession *demo;      /* while the demo runs, its sandbox */
};

G_DEFINE_FINAL_TYPE (SbApplication, sb_application, ADW_TYPE_APPLICATION)

GSettings *
sb_application_get_settings (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);
  return self->settings;
}

char *
sb_application_get_default_database (SbApplication *self)
{
  g_autofree char *last = NULL;

  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  if (self->settings != NULL)
    last = g_settings_get_string (self->settings, "last-database");
  if (last != NULL && *last != '\0')
    return g_steal_pointer (&last);
  return sb_store_get_default_path ();
}

static void
remember_database (SbApplication *self, const char *path)
{
  g_auto (GStrv) recent = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) updated = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "last-database", path);

  /* Recent databases are an optional key: older schemas lack it. */
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "recent-databases"))
    return;

  recent = g_settings_get_strv (self->settings, "recent-databases");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0, n = 1; recent[i] != NULL && n < 10; i++)
    if (!g_str_equal (recent[i], path))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-databases", (const char *const *) updated);
}

/* The item availability web service of an open company, when enabled (§8). The access key
 * comes from the keyring asynchronously; the service runs on its own thread. Why it could not
 * start is shown on the company's window. */
typedef struct
{
  SbApplication *app;
  SbWindow *window; /* weak */
  char *path, *url, *user;
} AvailabilityStart;

/* The toast's Details: the whole reason, which a toast cannot show. */
static void
availability_details (AdwToast *toast, gpointer message)
{
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  GtkWidget *dialog =
      adw_message_dialog_new (gtk_application_get_active_window (app),
                              _ ("Item Availability Web Service Not Started"), message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
availability_key_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  AvailabilityStart *s = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbAvailabilityServer) server = NULL;
  g_autofree char *base_path = NULL;
  char *key = sb_secret_store_lookup_finish (result, &error);
  guint port = 0;

  if (error == NULL && sb_availability_parse_url (s->url, &base_path, &port, &error))
    {
      server = sb_availability_server_new (s->path, s->user, key != NULL ? key : "");
      sb_availability_server_set_port (server, port);
      sb_availability_server_set_base_path (server, base_path);
      if (sb_availability_server_start (server, &error))
        g_hash_table_replace (s->app->availability, g_strdup (s->path), g_steal_pointer (&server));
    }
  sb_secret_store_free (key);
  if (error != NULL && s->window != NULL)
    {
      AdwToast *toast = adw_toast_new (_ ("The item availability web service did not start"));

      adw_toast_set_button_label (toast, _ ("Details"));
      adw_toast_set_timeout (toast, 0);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (availability_details),
                             g_strdup (error->message), (GClosureNotify) g_free, 0);
      sb_window_add_toast (s->window, toast);
    }
  g_clear_weak_pointer (&s->window);
  g_object_unref (s->app);
  g_free (s->path);
  g_free (s->url);
  g_free (s->user);
  g_free (s);
}

static void
start_availability (SbApplication *self, SbWindow *window, const char *path)
{
  g_autoptr (SbConnectionSetup) setup =
      sb_connection_setup_get (sb_window_get_store (window), NULL);
  AvailabilityStart *s;

  if (setup == NULL || !setup->item_availability_enabled ||
      g_hash_table_contains (self->availability, path))
    return;
  s = g_new0 (AvailabilityStart, 1);
  s->app = g_object_ref (self);
  g_set_weak_pointer (&s->window, window);
  s->path = g_strdup (path);
  s->url = g_strdup (setup->item_availability_url);
  s->user = g_strdup (setup->item_availability_user);
  sb_secret_store_lookup_async (SB_SECRET_ITEM_AVAILABILITY_KEY, s->url, s->user, NULL,
                                availability_key_ready, s);
}

void
sb_application_open_database (SbApplication *self, const char *path)
{
  SbWindow *window = NULL;

  g_return_if_fail (SB_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SB_IS_WINDOW (l->data) && g_strcmp0 (sb_window_get_database_path (l->data), path) == 0 &&
        sb_window_get_store (l->data) != NULL)
      window = l->data;

  if (window == NULL)
    {
      window = sb_window_new (GTK_APPLICATION (self), path, self->settings);
      if (sb_window_get_store (window) != NULL)
        {
          remember_database (self, path);
          start_availability (self, window, path);
        }
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* Demo mode: the demo company beside a demo Dynamics 365 Sales in this process. */

static SbFirstRunWindow *
find_first_run_window (SbApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SB_IS_FIRST_RUN_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
show_first_run (SbApplication *self)
{
  SbFirstRunWindow *window = find_first_run_window (self);

  if (window == NULL)
    window = sb_first_run_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
}

static void
close_first_run (SbApplication *self)
{
  SbFirstRunWindow *window = find_first_run_window (self);

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
demo_banner_new (void)
{
  GtkWidget *bar = gtk_info_bar_new ();
  GtkWidget *label = gtk_label_new (
      _ ("This is the demo company, connected to a demo Dynamics 365 Sales on this computer. "
         "Nothing you do here reaches real data."));
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Leave Demo"));

  gtk_widget_set_name (bar, "demo-banner");
  gtk_widget_set_name (button, "leave-demo-button");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_info_bar_set_message_type (GTK_INFO_BAR (bar), GTK_MESSAGE_INFO);
  gtk_info_bar_add_child (GTK_INFO_BAR (bar), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.leave-demo");
  gtk_info_bar_add_action_widget (GTK_INFO_BAR (bar), button, GTK_RESPONSE_NONE);
  return bar;
}

typedef struct
{
  SbApplication *app;
  gboolean open_setup;
} DemoStart;

static void
demo_started (GObject *source, GAsyncResult *result, gpointer data)
{
  DemoStart *start = data;
  SbApplication *self = start->app;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = sb_demo_session_get_company_path ();
  GtkWindow *window;

  if (!sb_demo_session_start_finish (SB_DEMO_SESSION (source), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_ ("The demo did not start: %s"), error->message);

      g_clear_object (&self->demo);
      show_first_run (self);
      sb_first_run_window_show_error (find_first_run_window (self), message);
    }
  else
    {
      sb_application_open_database (self, path);
      close_first_run (self);
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
      if (SB_IS_WINDOW (window) &&
          sb_demo_session_is_demo_path (sb_window_get_database_path (SB_WINDOW (window))) &&
          sb_window_get_store (SB_WINDOW (window)) != NULL)
        {
          g_autoptr (SbConnectionSetup) setup =
              sb_connection_setup_get (sb_window_get_store (SB_WINDOW (window)), NULL);

          sb_window_set_banner (SB_WINDOW (window), demo_banner_new ());
          /* A demo kept from before is connected already: it opens as it was left. */
          if (start->open_setup && (setup == NULL || !setup->is_enabled))
            g_action_group_activate_action (G_ACTION_GROUP (self), "assisted-setup", NULL);
        }
    }
  g_application_release (G_APPLICATION (self));
  g_object_unref (self);
  g_free (start);
}

/* Starts the demo (the sandbox again after a restart in demo mode); the first-run window
 * says what happens meanwhile. @open_setup: also open the assisted setup, as a first try
 * does. */
static void
start_demo (SbApplication *self, gboolean open_setup)
{
  DemoStart *start;

  if (self->demo != NULL)
    return; /* starting or running already */
  show_first_run (self);
  sb_first_run_window_set_busy (find_first_run_window (self),
                                _ ("Starting the demo company and its demo Dynamics 365 Sales…"));
  self->demo = sb_demo_session_new ();
  start = g_new0 (DemoStart, 1);
  start->app = g_object_ref (self);
  start->open_setup = open_setup;
  /* The app stays while the worker runs, even if the window is closed meanwhile. */
  g_application_hold (G_APPLICATION (self));
  sb_demo_session_start_async (self->demo, NULL, demo_started, start);
}

static void
forget_database (SbApplication *self, const char *path)
{
  g_auto (GStrv) recent = NULL;
  g_autoptr (GStrvBuilder) builder = NULL;
  g_auto (GStrv) updated = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autofree char *last = NULL;

  if (self->settings == NULL)
    return;
  last = g_settings_get_string (self->settings, "last-database");
  if (g_strcmp0 (last, path) == 0)
    g_settings_set_string (self->settings, "last-database", "");
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "recent-databases"))
    return;
  recent = g_settings_get_strv (self->settings, "recent-databases");
  builder = g_strv_builder_new ();
  for (guint i = 0; recent[i] != NULL; i++)
    if (!g_str_equal (recent[i], path))
      g_strv_builder_add (builder, recent[i]);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-databases", (const char *const *) updated);
}

static void
demo_left (GObject *source, GAsyncResult *result, gpointer data)
{
  SbApplication *self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = sb_demo_session_get_company_path ();

  g_clear_object (&self->demo);
  show_first_run (self);
  if (!sb_demo_session_leave_finish (SB_DEMO_SESSION (source), result, &error))
    {
      g_autofree char *message =
          g_strdup_printf (_ ("The demo was not removed completely: %s"), error->message);

      sb_first_run_window_show_error (find_first_run_window (self), message);
    }
  else
    {
      forget_database (self, path);
      sb_first_run_window_reset (find_first_run_window (self));
    }
  g_application_release (G_APPLICATION (self));
  g_object_unref (self);
}

static gboolean
leave_demo (gpointer data)
{
  SbApplication *self = data;
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autoptr (SbDemoSession) demo = NULL;

  /* The first-run window keeps the app while the demo's windows close and the files go. */
  show_first_run (self);
  sb_first_run_window_set_busy (find_first_run_window (self), _ ("Removing the demo…"));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      if (SB_IS_WINDOW (window) &&
          sb_demo_session_is_demo_path (sb_window_get_database_path (SB_WINDOW (window))))
        gtk_window_destroy (window);
    }
  g_hash_table_remove (self->availability, path);
  /* Leaving a demo that did not start yet still removes its files. */
  demo = self->demo != NULL ? g_object_ref (self->demo) : sb_demo_session_new ();
  g_set_object (&self->demo, demo);
  g_application_hold (G_APPLICATION (self));
  sb_demo_session_leave_async (demo, demo_left, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
leave_demo_response (AdwMessageDialog *dialog, const char *response, gpointer data)
{
  /* Closing the demo's windows would destroy this dialog, transient for one of them, while it
   * still emits its response: leave once it has closed. */
  if (g_str_equal (response, "leave"))
    g_idle_add_full (G_PRIORITY_DEFAULT, leave_demo, g_object_ref (data), g_object_unref);
}

static void
leave_demo_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (
      gtk_application_get_active_window (GTK_APPLICATION (self)), _ ("Leave the Demo?"),
      _ ("The demo company, its demo Dynamics 365 Sales and everything you changed in them are "
         "deleted. Your own companies stay as they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "leave",
                                    _ ("_Leave Demo"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "leave",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (leave_demo_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
demo_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  start_demo (user_data, TRUE);
}

static void
new_company_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  g_autofree char *path = sb_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  /* An empty company in the usual place; the store creates the file. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *message =
          g_strdup_printf (_ ("Could not create the folder “%s”: %s. Check that your home folder "
                              "is writable."),
                           dir, g_strerror (saved));

      sb_first_run_window_show_error (find_first_run_window (self), message);
      return;
    }
  sb_application_open_database (self, path);
  close_first_run (self);
}

/* Actions */

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;

  /* Closing each window lets it save its size. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
}

/* The window of the company database at @path, or NULL. */
static SbWindow *
find_company_window (SbApplication *self, const char *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SB_IS_WINDOW (l->data) &&
        g_strcmp0 (sb_window_get_database_path (SB_WINDOW (l->data)), path) == 0)
      return SB_WINDOW (l->data);
  return NULL;
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SbWindow *window = SB_IS_WINDOW (parent) ? SB_WINDOW (parent) : NULL;
  GtkWidget *preferences = sb_preferences_window_new (
      self->settings, window != NULL ? sb_window_get_job_runner (window) : NULL,
      window != NULL ? sb_window_get_company (window) : NULL);

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* From the notification of a failed job: that company's log, opening it if it was closed. */
static void
show_sync_log_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  const char *path = g_variant_get_string (parameter, NULL);
  SbWindow *window = find_company_window (self, path);

  if (window == NULL)
    {
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return; /* removed since: nothing to show */
      sb_application_open_database (self, path);
      window = find_company_window (self, path);
    }
  if (window == NULL)
    return;
  sb_window_show_page (window, "sync-log");
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *developers[] = { "The Salesbridge developers", NULL };
  GtkApplication *app = user_data;
  GtkWidget *about;

  about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for", gtk_application_get_active_window (app), "modal",
      TRUE, "application-name", _ ("Salesbridge"), "application-icon", APPLICATION_ID, "version",
      PACKAGE_VERSION, "developer-name", _ ("The Salesbridge developers"), "developers", developers,
      "comments", _ ("Keep your ERP books in sync with Dynamics 365 Sales"), "license-type",
      GTK_LICENSE_GPL_3_0, "website", "https://github.com/salesbridge/salesbridge", "issue-url",
      "https://github.com/salesbridge/salesbridge/issues",
      /* TRANSLATORS: your names, one per line */
      "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_open_response (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  SbApplication *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        sb_application_open_database (self, path);
    }
  g_object_unref (dialog);
  g_application_release (G_APPLICATION (self));
}

static void
open_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_ ("Open Company Database"),
                                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  gtk_file_filter_set_name (filter, _ ("Company databases"));
  gtk_file_filter_add_pattern (filter, "*.sbdb");
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_filter_add_pattern (filter, "*.sqlite");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);

  g_application_hold (G_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Companies: switching opens the chosen company and closes the window it was chosen from. */
static gboolean
close_window (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_company_chosen (SbCompanyManager *manager, const char *path, gpointer data)
{
  SbApplication *self = data;
  GtkWindow *from = gtk_window_get_transient_for (GTK_WINDOW (manager));

  sb_application_open_database (self, path);
  /* Once the dialog, transient for it, is gone. */
  if (SB_IS_WINDOW (from) && g_strcmp0 (sb_window_get_database_path (SB_WINDOW (from)), path) != 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_window, g_object_ref (from), g_object_unref);
}

static void
companies_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *dir = sb_company_get_dir ();
  SbCompanyManager *manager = sb_company_manager_new (
      window, dir, SB_IS_WINDOW (window) ? sb_window_get_database_path (SB_WINDOW (window)) : NULL);

  g_signal_connect_object (manager, "open", G_CALLBACK (on_company_chosen), self, 0);
  gtk_window_present (GTK_WINDOW (manager));
}

static void
assisted_setup_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *page;

  /* The setup belongs to the company of the window it was asked from. */
  if (!SB_IS_WINDOW (window))
    return;
  page = sb_window_get_page (SB_WINDOW (window), "connection");
  if (page == NULL)
    return;
  sb_window_show_page (SB_WINDOW (window), "connection");
  sb_connection_page_open_assisted_setup (SB_CONNECTION_PAGE (page));
}

/* Help: the user guide (help/, installed for the desktop's help viewer). Without a viewer
 * nothing would happen at all, so say what to install instead. */
static void
show_help_problem (GtkWindow *parent, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_shown (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtkWindow) parent = user_data;
  g_autoptr (GError) error = NULL;

  if (!gtk_show_uri_full_finish (parent, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *body = g_strdup_printf (
          _ ("%s\n\nThe user guide opens in a help viewer such as GNOME Help (the package "
             "“yelp”). Check that one is installed."),
          error->message);

      show_help_problem (parent, _ ("Could Not Open the Help"), body);
    }
}

static void
help_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr (GAppInfo) viewer = NULL;

  /* In a Flatpak the desktop portal finds the viewer outside the sandbox, which GIO cannot
   * see from inside; elsewhere GIO knows whether any program opens help: URIs. */
  if (!g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      viewer = g_app_info_get_default_for_uri_scheme ("help");
      if (viewer == NULL)
        {
          show_help_problem (window, _ ("No Help Viewer Installed"),
                             _ ("The user guide opens in a help viewer, and none is installed on "
                                "this computer. Install GNOME Help (the package “yelp”), then "
                                "press F1 again."));
          return;
        }
    }
  gtk_show_uri_full (window, "help:" APPLICATION_ID, GDK_CURRENT_TIME, NULL, help_shown,
                     window != NULL ? g_object_ref (window) : NULL);
}

/* GApplication */

static gboolean
color_scheme_from_setting (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  /* PREFER_LIGHT, not DEFAULT: DEFAULT would ignore a dark system preference. */
  if (g_str_equal (scheme, "light"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_str_equal (scheme, "dark"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_PREFER_LIGHT);
  return TRUE;
}

static void
sb_application_startup (GApplication *application)
{
  static const GActionEntry actions[] = {
    { "quit", quit_action, NULL, NULL, NULL },
    { "about", about_action, NULL, NULL, NULL },
    { "open", open_action, NULL, NULL, NULL },
    { "assisted-setup", assisted_setup_action, NULL, NULL, NULL },
    { "help", help_action, NULL, NULL, NULL },
    { "demo", demo_action, NULL, NULL, NULL },
    { "leave-demo", leave_demo_action, NULL, NULL, NULL },
    { "new-company", new_company_action, NULL, NULL, NULL },
    { "companies", companies_action, NULL, NULL, NULL },
    { "preferences", preferences_action, NULL, NULL, NULL },
    { "show-sync-log", show_sync_log_action, "s", NULL, NULL },
  };
  static const char *const quit_accels[] = { "<Control>q", NULL };
  static const char *const open_accels[] = { "<Control>o", NULL };
  static const char *const close_accels[] = { "<Control>w", NULL };
  static const char *const help_accels[] = { "F1", NULL };
  static const char *const preferences_accels[] = { "<Control>comma", NULL };
  SbApplication *self = SB_APPLICATION (application);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (sb_application_parent_class)->startup (application);

  /* Run from the build tree the schema is not installed, and
   * g_settings_new() would abort. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_info ("GSettings schema %s is not installed; settings are not kept", APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  if (self->settings != NULL)
    g_settings_bind_with_mapping (self->settings, "color-scheme", adw_style_manager_get_default (),
                                  "color-scheme", G_SETTINGS_BIND_GET, color_scheme_from_setting,
                                  NULL, NULL, NULL);
}

static void
sb_application_activate (GApplication *application)
{
  SbApplication *self = SB_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  path = sb_application_get_default_database (self);
  /* A restart in demo mode starts the demo's Sales again; no company yet: the first run. */
  if (sb_demo_session_is_demo_path (path) && g_file_test (path, G_FILE_TEST_EXISTS))
    start_demo (self, FALSE);
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    show_first_run (self);
  else
    sb_application_open_database (self, path);
}

static int
sb_application_command_line (GApplication *application, GApplicationCommandLine *command_line)
{
  SbApplication *self = SB_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *db = NULL;

  /* --db names a file relative to the directory of the invocation, which
   * for a remote (second) instance is not this process's. */
  if (g_variant_dict_lookup (options, "db", "^&ay", &db) && db != NULL && *db != '\0')
    {
      g_autoptr (GFile) file = g_application_command_line_create_file_for_arg (command_line, db);
      g_autofree char *path = g_file_get_path (file);

      if (sb_demo_session_is_demo_path (path))
        start_demo (self, FALSE);
      else
        sb_application_open_database (self, path);
    }
  else if (g_variant_dict_contains (options, "demo"))
    {
      g_autofree char *path = sb_demo_session_get_company_path ();
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      /* Already running: show it; else start it, with the assisted setup the first time. */
      if (self->demo != NULL && window != NULL)
        gtk_window_present (window);
      else
        start_demo (self, !g_file_test (path, G_FILE_TEST_EXISTS));
    }
  else
    g_application_activate (application);
  return EXIT_SUCCESS;
}

static int
sb_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("salesbridge %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  return -1;
}

static void
sb_application_dispose (GObject *object)
{
  SbApplication *self = SB_APPLICATION (object);

  g_clear_object (&self->settings);
  /* Stops every item availability web service (their threads end here). */
  g_clear_pointer (&self->availability, g_hash_table_unref);
  /* Stops the demo's Sales; its database stays for the next start in demo mode. */
  g_clear_object (&self->demo);

  G_OBJECT_CLASS (sb_application_parent_class)->dispose (object);
}

static void
sb_application_class_init (SbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sb_application_dispose;
  app_class->startup = sb_application_startup;
  app_class->activate = sb_application_activate;
  app_class->command_line = sb_application_command_line;
  app_class->handle_local_options = sb_application_handle_local_options;
}

static void
sb_application_init (SbApplication *self)
{
  static const GOptionEntry options[] = { { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
                                            N_ ("Open the company database at PATH"), N_ ("PATH") },
                                          { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
                                            N_ ("Try Salesbridge with a demo company and a demo "
                                                "Dynamics 365 Sales"),
                                            NULL },
                                          { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
                                            N_ ("Show the version and exit"), NULL },
                                          { NULL } };

  self->availability = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (
      G_APPLICATION (self), _ ("Keep your ERP books in sync with Dynamics 365 Sales."));
}

SbApplication *
sb_application_new (void)
{
  return g_object_new (SB_TYPE_APPLICATION, "application-id", APPLICATION_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, NULL);
}
