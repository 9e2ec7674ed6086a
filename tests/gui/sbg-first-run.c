/* sbg-first-run.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-first-run.h"
#include "sbg-test-util.h"

#include "sb-application.h"
#include "sb-assisted-setup.h"
#include "sb-connection-setup.h"
#include "sb-demo-session.h"
#include "sb-first-run-window.h"
#include "sb-sandbox-server.h"
#include "sb-store.h"
#include "sb-window.h"

void
sbg_first_run_home_begin (SbgFirstRunHome *home)
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *cache = NULL;

  home->home = g_dir_make_tmp ("sb-first-run-XXXXXX", NULL);
  g_assert_nonnull (home->home);
  data = g_build_filename (home->home, "data", NULL);
  config = g_build_filename (home->home, "config", NULL);
  cache = g_build_filename (home->home, "cache", NULL);
  g_setenv ("HOME", home->home, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  home->keyring = sbs_keyring_start (TRUE);
}

void
sbg_first_run_home_end (SbgFirstRunHome *home)
{
  sbs_keyring_stop (home->keyring);
  sbs_remove_tree (home->home);
  g_clear_pointer (&home->home, g_free);
}

int
sbg_run_app (GSourceFunc script)
{
  g_autoptr (SbApplication) app = sb_application_new ();
  char *args[] = { "salesbridge", NULL };

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (200, script, app);
  return g_application_run (G_APPLICATION (app), 1, args);
}

GtkWindow *
sbg_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

void
sbg_click (gpointer root, const char *name)
{
  GtkWidget *button = sbg_get (root, name);

  g_test_message ("Clicking %s", name);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

gboolean
sbg_has_setup (gpointer unused)
{
  return sbg_find_toplevel (SB_TYPE_ASSISTED_SETUP) != NULL;
}

gboolean
sbg_setup_is_idle (gpointer setup)
{
  return !sb_assisted_setup_is_busy (setup);
}

gboolean
sbg_next_is_sensitive (gpointer setup)
{
  return gtk_widget_is_sensitive (sbg_get (setup, "next-button"));
}

gboolean
sbg_first_run_is_idle (gpointer unused)
{
  GtkWindow *window = sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW);

  return window != NULL && !sb_first_run_window_is_busy (SB_FIRST_RUN_WINDOW (window));
}

gboolean
sbg_has_demo_window (gpointer unused)
{
  GtkWindow *window = sbg_find_toplevel (SB_TYPE_WINDOW);

  return window != NULL && sbg_find_toplevel (SB_TYPE_FIRST_RUN_WINDOW) == NULL &&
         sb_demo_session_is_demo_path (sb_window_get_database_path (SB_WINDOW (window)));
}

gboolean
sbg_has_message_dialog (gpointer unused)
{
  return sbg_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

char *
sbg_demo_sales_url (void)
{
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (path, SB_STORE_OPEN_READ_ONLY, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;

  g_assert_no_error (error);
  setup = sb_connection_setup_get (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (setup->client_id, ==, SB_SANDBOX_INTEGRATION_CLIENT);
  return g_strdup (setup->sales_url);
}
