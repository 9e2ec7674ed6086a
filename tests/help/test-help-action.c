/* test-help-action.c: Help (F1 and the main menu's Help item) opens the user guide,
 * help:io.github.salesbridge.Salesbridge, in the help viewer; without a viewer it says what to
 * install.
 *
 * The desktop's applications are this test's own: XDG_DATA_DIRS, XDG_DATA_HOME and the config
 * folders point at a temporary folder, which with SB_TEST_HELP_VIEWER=1 holds a help viewer
 * (a desktop file for x-scheme-handler/help whose program writes down the URI it was given).
 * (only the system's file types and icons are kept). GIO reads them once, so each case is its
 * own run of this program (tests/help/meson.build).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "sb-application.h"
#include "sb-store.h"
#include "sb-window.h"
#include "sbg-test-util.h"

static char *tmp_dir;
static char *db_path;
static char *opened_path; /* what the fake viewer writes: the URI it was asked to open */

static void
write_file (const char *path, const char *contents, int mode)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* Before GTK starts: GLib caches the XDG folders on first use. */
static void
set_up_desktop (gboolean with_viewer)
{
  g_autoptr (GError) error = NULL;
  static const char *const kept[] = { "mime", "icons" };
  g_autofree char *data = NULL, *dirs = NULL, *config = NULL, *apps = NULL;

  tmp_dir = g_dir_make_tmp ("salesbridge-help-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (tmp_dir, "data", NULL);
  dirs = g_build_filename (tmp_dir, "dirs", NULL);
  config = g_build_filename (tmp_dir, "config", NULL);
  apps = g_build_filename (data, "applications", NULL);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dirs, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_DATA_DIRS", dirs, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CONFIG_DIRS", config, TRUE);
  /* The rest of the system's data (file types, icons) stays, without its applications. */
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *link = g_build_filename (dirs, kept[i], NULL);
      g_autofree char *target = g_build_filename ("/usr/share", kept[i], NULL);

      g_assert_cmpint (symlink (target, link), ==, 0);
    }
  opened_path = g_build_filename (tmp_dir, "opened", NULL);

  if (with_viewer)
    {
      g_autofree char *script = g_build_filename (tmp_dir, "viewer.sh", NULL);
      g_autofree char *script_text =
          g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s.part'\nmv '%s.part' '%s'\n",
                           opened_path, opened_path, opened_path);
      g_autofree char *desktop = g_build_filename (apps, "sb-test-help-viewer.desktop", NULL);
      g_autofree char *desktop_text =
          g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Help Viewer\n"
                           "Exec=%s %%u\nMimeType=x-scheme-handler/help;\nNoDisplay=true\n",
                           script);
      g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);

      write_file (script, script_text, 0700);
      write_file (desktop, desktop_text, 0600);
      write_file (mimeapps,
                  "[Default Applications]\nx-scheme-handler/help=sb-test-help-viewer.desktop\n",
                  0600);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The main menu's model offers @action (in any section). */
static gboolean
menu_has_action (GMenuModel *model, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autoptr (GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_str_equal (item_action, action))
        return TRUE;
      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
window_menu_has_action (GtkWidget *widget, const char *action)
{
  if (GTK_IS_MENU_BUTTON (widget))
    {
      GMenuModel *model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      if (model != NULL && menu_has_action (model, action))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (window_menu_has_action (child, action))
      return TRUE;
  return FALSE;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer user_data)
{
  return find_message_dialog () != NULL;
}

static gboolean
viewer_ran (gpointer user_data)
{
  return g_file_test (opened_path, G_FILE_TEST_EXISTS);
}

/* Help is reachable: the F1 shortcut and an item of the window's main menu. */
static void
check_entry_points (GApplication *app, GtkWindow *window)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  g_assert_true (g_strv_contains ((const char *const *) accels, "F1"));
  g_assert_true (window_menu_has_action (GTK_WIDGET (window), "app.help"));
}

static gboolean
no_viewer_then_quit (gpointer user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  AdwMessageDialog *dialog;

  g_assert_nonnull (windows);
  check_entry_points (app, windows->data);

  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  sbg_wait_until (dialog_shown, NULL, "the dialog saying no help viewer is installed");
  dialog = find_message_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == windows->data);
  /* It says what to install. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "yelp"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "No Help Viewer Installed");
  g_assert_false (g_file_test (opened_path, G_FILE_TEST_EXISTS));
  sbg_screenshot (dialog, "help-no-viewer");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
viewer_then_quit (gpointer user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_autofree char *uri = NULL;

  g_assert_nonnull (windows);
  check_entry_points (app, windows->data);

  g_action_group_activate_action (G_ACTION_GROUP (app), "help", NULL);
  sbg_wait_until (viewer_ran, NULL, "the help viewer to be started");
  g_assert_true (g_file_get_contents (opened_path, &uri, NULL, NULL));
  g_assert_cmpstr (uri, ==, "help:" APPLICATION_ID);
  /* Opened, so nothing to say. */
  sbg_settle (200);
  g_assert_null (find_message_dialog ());

  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
run_app (GSourceFunc check)
{
  g_autoptr (SbApplication) app = sb_application_new ();
  char *args[] = { "salesbridge", "--db", db_path, NULL };

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (300, check, app);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, args), ==, 0);
}

static void
test_no_viewer (void)
{
  run_app (no_viewer_then_quit);
}

static void
test_viewer (void)
{
  run_app (viewer_then_quit);
}

int
main (int argc, char *argv[])
{
  gboolean with_viewer = g_strcmp0 (g_getenv ("SB_TEST_HELP_VIEWER"), "1") == 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  int status;

  set_up_desktop (with_viewer);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  db_path = g_build_filename (tmp_dir, "company.sbdb", NULL);
  store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  if (with_viewer)
    g_test_add_func ("/help/action/viewer", test_viewer);
  else
    g_test_add_func ("/help/action/no-viewer", test_no_viewer);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  g_free (db_path);
  g_free (opened_path);
  return status;
}
