/* sbg-sync-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "sb-connection-manager.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-setup.h"

SbsKeyring *
sbg_sync_test_init (int *argc, char ***argv)
{
  SbsKeyring *keyring;

  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");
  /* Screenshots in another language: the catalogs tools/screenshots compiles, as main() does. */
  if (g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR"));
  return keyring;
}

SbStore *
sbg_company_new (char **out_dir, char **out_db_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  *out_dir = g_dir_make_tmp ("salesbridge-gui-XXXXXX", &error);
  g_assert_no_error (error);
  *out_db_path = g_build_filename (*out_dir, "company.sbdb", NULL);
  store = sb_store_open (*out_db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (store, general, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

void
sbg_enable_connection (SbStore *store, const char *base_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);
  g_autoptr (SbConnectionCheck) check = NULL;

  g_assert_no_error (error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup (base_url);
  g_free (setup->authority);
  setup->authority = g_strdup (base_url);
  g_free (setup->tenant);
  setup->tenant = g_strdup (SBG_TENANT);
  g_free (setup->client_id);
  setup->client_id = g_strdup (SB_SANDBOX_INTEGRATION_CLIENT);
  setup->solution_deployed = TRUE;
  g_assert_true (sb_connection_manager_save_sync (manager, setup, SB_SANDBOX_DEFAULT_SECRET, NULL,
                                                  NULL, &error));
  g_assert_no_error (error);
  check = sb_connection_manager_create_check (manager, &error);
  g_assert_no_error (error);
  g_assert_true (sb_connection_manager_enable_sync (manager, check, NULL, &error));
  g_assert_no_error (error);
}

void
sbg_clear_secret (SbStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);

  g_assert_no_error (error);
  sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id, NULL,
                              &error);
  g_assert_no_error (error);
}

GtkWidget *
sbg_find_window (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_widget_get_name (window), name) == 0 && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

gboolean
sbg_window_shown (gpointer name)
{
  return sbg_find_window (name) != NULL;
}

gboolean
sbg_window_gone (gpointer name)
{
  return sbg_find_window (name) == NULL;
}

gboolean
sbg_dialog_loaded (gpointer names)
{
  const char *const *n = names;
  GtkWidget *window = sbg_find_window (n[0]);

  return window != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (sbg_get (window, n[1]))),
                    "loading") != 0;
}

gboolean
sbg_has_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (sbg_has_label (child, text))
      return TRUE;
  return FALSE;
}

void
sbg_respond (GtkWidget *dialog, const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

gboolean
sbg_select_row_with (GtkWidget *list, const char *key, const char *value)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (row), key), value) == 0)
      {
        gtk_list_box_select_row (GTK_LIST_BOX (list), GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}
