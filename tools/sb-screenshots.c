/* sb-screenshots.c: every page of the app as a PNG, on demo data
 *
 * Usage: sb-screenshots OUTDIR PREFIX   (run by tools/screenshots under xvfb-run and
 * dbus-run-session, once per language: LANGUAGE and LANG pick it)
 *
 * A demo company (sb_demo_seed) is connected to the in-process sandbox seeded with the demo
 * Sales organization (secret in a private keyring); a full synchronization runs first, so
 * coupling states, the log and the jobs have something to show, and one customer is changed on
 * both sides so the Conflicts page has a conflict. Then the window shows each sidebar page in
 * turn, wide (1280×800) and narrow (360×720), saved as PREFIX-PAGE.png and
 * PREFIX-PAGE-narrow.png.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "sb-connection-manager.h"
#include "sb-customer.h"
#include "sb-demo-data.h"
#include "sb-full-sync-review.h"
#include "sb-conflicts-page.h"
#include "sb-jobs-page.h"
#include "sb-sync-log-page.h"
#include "sb-sync-review-page.h"
#include "sb-sandbox-server.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine.h"
#include "sb-window.h"
#include "sbg-test-util.h"
#include "sbs-keyring.h"

static void
die (const char *what, const GError *error)
{
  g_printerr ("sb-screenshots: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
enable_connection (SbStore *store, const char *base_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionManager) manager = sb_connection_manager_new (store);
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);
  g_autoptr (SbConnectionCheck) check = NULL;

  if (setup == NULL)
    die ("reading the connection setup", error);
  g_free (setup->sales_url);
  setup->sales_url = g_strdup (base_url);
  g_free (setup->authority);
  setup->authority = g_strdup (base_url);
  g_free (setup->tenant);
  setup->tenant = g_strdup ("demo");
  g_free (setup->client_id);
  setup->client_id = g_strdup (SB_SANDBOX_INTEGRATION_CLIENT);
  setup->solution_deployed = TRUE;
  if (!sb_connection_manager_save_sync (manager, setup, SB_SANDBOX_DEFAULT_SECRET, NULL, NULL,
                                        &error))
    die ("saving the connection", error);
  check = sb_connection_manager_create_check (manager, &error);
  if (check == NULL || !sb_connection_manager_enable_sync (manager, check, NULL, &error))
    die ("enabling the connection", error);
}

/* A customer changed on both sides: an open conflict for the Conflicts page. */
static void
make_conflict (SbStore *store, SbSyncEngine *engine, const char *base_url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) couplings = sb_sync_coupling_list (store, "CUSTOMER", &error);
  g_autoptr (SbDataverseConnection) sales = NULL;
  g_autoptr (SbCustomer) customer = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  SbSyncCounters counters;
  const SbSyncCoupling *c = NULL;

  for (guint i = 0; couplings != NULL && i < couplings->len && c == NULL; i++)
    {
      const SbSyncCoupling *candidate = couplings->pdata[i];

      if (candidate->erp_key != NULL && candidate->dataverse_id != NULL &&
          *candidate->dataverse_id != '\0')
        c = candidate;
    }
  if (c == NULL)
    die ("finding a coupled customer", error);
  sales = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                        "tenant", "demo", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (sales, SB_SANDBOX_DEFAULT_SECRET);
  json_object_set_string_member (change, "address1_city", "Göteborg");
  json_object_set_string_member (change, "telephone1", "+46 31 555 0100");
  if (!sb_dataverse_connection_write_sync (sales, "accounts", c->dataverse_id, change,
                                           SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL, NULL,
                                           &error))
    die ("changing an account in Sales", error);
  customer = sb_customer_lookup (store, c->erp_key, &error);
  if (customer == NULL)
    die ("reading a customer", error);
  g_free (customer->city);
  customer->city = g_strdup ("Malmö");
  g_free (customer->phone);
  customer->phone = g_strdup ("+46 40 555 0199");
  if (!sb_customer_update (store, customer, &error) ||
      !sb_sync_engine_sync_mapping_sync (engine, "CUSTOMER", SB_SYNC_DIRECTION_BOTH, &counters,
                                         NULL, &error))
    die ("making a conflict", error);
}

static gboolean
runner_polled (gpointer data)
{
  return sb_job_runner_get_n_polls (data) > 0 && !sb_job_runner_is_busy (data);
}

/* The page names of the window's sidebar, in order. */
static GPtrArray *
page_names (GtkWidget *widget, GPtrArray *names)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && g_object_get_data (G_OBJECT (widget), "sb-page-name"))
    g_ptr_array_add (names, g_strdup (g_object_get_data (G_OBJECT (widget), "sb-page-name")));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    page_names (child, names);
  return names;
}

static gboolean
page_idle (gpointer page)
{
  if (SB_IS_SYNC_LOG_PAGE (page))
    return !sb_sync_log_page_is_busy (page);
  if (SB_IS_SYNC_REVIEW_PAGE (page))
    return !sb_sync_review_page_is_busy (page);
  if (SB_IS_CONFLICTS_PAGE (page))
    return !sb_conflicts_page_is_busy (page);
  if (SB_IS_JOBS_PAGE (page))
    return !sb_jobs_page_is_busy (page);
  return TRUE;
}

static void
shoot_pages (SbWindow *window, GPtrArray *names, const char *prefix, const char *suffix)
{
  /* SB_SCREENSHOT_PAGES="sync-log,jobs": only those pages. */
  g_auto (GStrv) only = g_getenv ("SB_SCREENSHOT_PAGES") != NULL
                            ? g_strsplit (g_getenv ("SB_SCREENSHOT_PAGES"), ",", -1)
                            : NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *file = g_strdup_printf ("%s-%s%s", prefix, name, suffix);

      if (only != NULL && !g_strv_contains ((const char *const *) only, name))
        continue;

      sb_window_show_page (window, name);
      /* Pages read on a worker when shown: the synchronization pages say when they are done,
       * the others get a generous moment. */
      sbg_settle (300);
      sbg_wait_until (page_idle, sb_window_get_page (window, name), name);
      sbg_settle (1200);
      sbg_screenshot (window, file);
      g_print ("%s/%s.png\n", g_getenv ("SB_SCREENSHOT_DIR"), file);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) server = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbFullSyncReview) review = NULL;
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autoptr (SbConnectionManager) manager = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  SbDemoOptions demo = { .customers = 30, .items = 20, .resources = 5, .orders = 10, .seed = 7 };
  SbsKeyring *keyring;
  SbJobRunner *runner;
  SbWindow *window;
  const char *base_url;

  if (argc != 3)
    {
      g_printerr ("Usage: sb-screenshots OUTDIR PREFIX\n");
      return 2;
    }
  g_setenv ("SB_SCREENSHOT_DIR", argv[1], TRUE);
  g_mkdir_with_parents (argv[1], 0755);
  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);

  gtk_init ();
  adw_init ();
  /* gtk_init() took the user's locale. The sandbox writes and parses numbers as C does (with a
   * decimal comma it does not start): C numbers until the window opens, then the language's. */
  setlocale (LC_NUMERIC, "C");

  server = sb_sandbox_server_new ();
  sb_sandbox_server_set_seed_demo (server, TRUE);
  if (!sb_sandbox_server_start (server, 0, &error))
    die ("starting the sandbox", error);
  base_url = sb_sandbox_server_get_base_url (server);

  dir = g_dir_make_tmp ("salesbridge-screenshots-XXXXXX", &error);
  if (dir == NULL)
    die ("making a folder", error);
  db_path = g_build_filename (dir, "demo.sbdb", NULL);
  store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  if (store == NULL || !sb_demo_seed (store, &demo, NULL, NULL, &error))
    die ("seeding the demo company", error);
  enable_connection (store, base_url);

  /* A full synchronization, as the review page would run it. */
  manager = sb_connection_manager_new (store);
  cnc = sb_connection_manager_create_connection_sync (manager, NULL, &error);
  if (cnc == NULL)
    die ("connecting", error);
  engine = sb_sync_engine_new (store, cnc);
  review = sb_full_sync_review_new (engine);
  if (!sb_full_sync_review_start_sync (review, NULL, &error))
    g_printerr ("sb-screenshots: the full synchronization left work: %s\n", error->message);
  g_clear_error (&error);
  make_conflict (store, engine, base_url);

  setlocale (LC_NUMERIC, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL
                                       ? g_getenv ("SALESBRIDGE_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  window = sb_window_new (NULL, db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  if (sb_window_get_error (window) != NULL)
    {
      g_printerr ("sb-screenshots: %s\n", sb_window_get_error (window));
      return 1;
    }
  runner = sb_jobs_page_get_runner (SB_JOBS_PAGE (sb_window_get_page (window, "jobs")));
  sb_job_runner_start (runner, 3600);
  /* Its first poll runs every due job: the pages are shot after, the same each time. */
  sbg_wait_until (runner_polled, runner, "the first run of the scheduled jobs");
  sbg_settle (500);
  page_names (GTK_WIDGET (window), names);
  shoot_pages (window, names, argv[2], "");

  /* A window is not made smaller once shown: a new one, at the narrowest size allowed. */
  gtk_window_destroy (GTK_WINDOW (window));
  sbg_settle (200);
  window = sb_window_new (NULL, db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  sbg_settle (1000);
  shoot_pages (window, names, argv[2], "-narrow");

  gtk_window_destroy (GTK_WINDOW (window));
  sbg_settle (200);
  sb_sandbox_server_stop (server);
  sbs_remove_tree (dir);
  sbs_keyring_stop (keyring);
  return 0;
}
