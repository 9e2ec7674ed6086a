/* sb-demo-session.c: the demo company and its demo Dynamics 365 Sales
 *
 * Demo mode is a real company database seeded with the demo data `salesbridge-cli demo seed`
 * writes, connected to salesbridge-sandbox running in this process with the Sales organization
 * `salesbridge-sandbox --seed-demo` has. Everything slow (seeding, starting the server, the
 * keyring) runs on a worker thread with a store of its own, so the window never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "sb-connection-manager.h"
#include "sb-connection-setup.h"
#include "sb-demo-data.h"
#include "sb-demo-session.h"
#include "sb-sandbox-server.h"
#include "sb-secret-store.h"
#include "sb-store.h"

struct _SbDemoSession
{
  GObject parent_instance;

  SbSandboxServer *server; /* running on its own thread once started */
  char *url;
};

G_DEFINE_FINAL_TYPE (SbDemoSession, sb_demo_session, G_TYPE_OBJECT)

char *
sb_demo_session_get_company_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "salesbridge", "companies", "demo.sbdb", NULL);
}

gboolean
sb_demo_session_is_demo_path (const char *path)
{
  g_autofree char *demo = sb_demo_session_get_company_path ();

  return path != NULL && g_str_equal (path, demo);
}

static char *
sandbox_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "salesbridge", "companies", "demo-sandbox.db",
                           NULL);
}

/* The port of the URL the demo company was last connected to, so that a restart keeps the
 * address (and the keyring entry under it) when the port is still free. */
static guint
last_port (const char *url)
{
  g_autoptr (GUri) uri =
      url != NULL && *url != '\0' ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 0;
}

static void
start_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *sandbox_path = sandbox_db_path ();
  g_autofree char *old_url = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbConnectionManager) manager = NULL;
  g_autoptr (SbSandboxServer) server = NULL;
  gboolean fresh = !g_file_test (path, G_FILE_TEST_EXISTS);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _ ("Could not create the folder “%s” for the demo company: %s. "
                                  "Check that your home folder is writable."),
                               dir, g_strerror (saved));
      return;
    }
  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  if (store != NULL && fresh)
    {
      /* The same company `salesbridge-cli demo seed` makes with its defaults. */
      SbDemoOptions options = { 250, 60, 8, 40, 1 };

      if (!sb_demo_seed (store, &options, NULL, NULL, &error))
        g_clear_object (&store);
    }
  if (store != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  server = sb_sandbox_server_new ();
  sb_sandbox_server_set_db_path (server, sandbox_path);
  sb_sandbox_server_set_seed_demo (server, TRUE);
  old_url = g_strdup (setup->sales_url);
  if (!sb_sandbox_server_start (server, last_port (old_url), NULL))
    {
      /* That port is taken now: any free one, and the connection follows it. */
      g_clear_object (&server);
      server = sb_sandbox_server_new ();
      sb_sandbox_server_set_db_path (server, sandbox_path);
      sb_sandbox_server_set_seed_demo (server, TRUE);
      if (!sb_sandbox_server_start (server, 0, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_free (setup->sales_url);
  setup->sales_url = g_strdup (sb_sandbox_server_get_base_url (server));
  g_free (setup->authority);
  setup->authority = g_strdup (setup->sales_url); /* a loopback server signs in itself */
  g_free (setup->client_id);
  setup->client_id = g_strdup (SB_SANDBOX_INTEGRATION_CLIENT);
  if (*setup->tenant == '\0')
    {
      g_free (setup->tenant);
      setup->tenant = g_strdup ("demo");
    }
  /* A secret left under an address the demo no longer uses would outlive Leave Demo. */
  if (*old_url != '\0' && !g_str_equal (old_url, setup->sales_url))
    sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, old_url, SB_SANDBOX_INTEGRATION_CLIENT,
                                cancellable, NULL);
  manager = sb_connection_manager_new (store);
  if (!sb_connection_manager_save_sync (manager, setup, SB_SANDBOX_DEFAULT_SECRET, NULL,
                                        cancellable, &error))
    {
      sb_sandbox_server_stop (server);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&server), g_object_unref);
}

void
sb_demo_session_start_async (SbDemoSession *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_DEMO_SESSION (self));
  g_task_set_source_tag (task, sb_demo_session_start_async);
  g_task_run_in_thread (task, start_thread);
}

gboolean
sb_demo_session_start_finish (SbDemoSession *self, GAsyncResult *result, GError **error)
{
  SbSandboxServer *server = g_task_propagate_pointer (G_TASK (result), error);

  if (server == NULL)
    return FALSE;
  if (self->server != NULL)
    sb_sandbox_server_stop (self->server);
  g_clear_object (&self->server);
  self->server = server;
  g_free (self->url);
  self->url = g_strdup (sb_sandbox_server_get_base_url (server));
  return TRUE;
}

const char *
sb_demo_session_get_url (SbDemoSession *self)
{
  g_return_val_if_fail (SB_IS_DEMO_SESSION (self), NULL);
  return self->url;
}

static gboolean
remove_file (const char *path, GError **error)
{
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _ ("Could not delete “%s”: %s. Delete it yourself to remove the demo."), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
leave_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SbSandboxServer *server = data;
  g_autofree char *path = sb_demo_session_get_company_path ();
  g_autofree char *sandbox_path = sandbox_db_path ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (server != NULL)
    sb_sandbox_server_stop (server);
  /* The secret is filed under the address the company points at. */
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
      if (store != NULL)
        setup = sb_connection_setup_get (store, &error);
      if (setup == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (*setup->sales_url != '\0' &&
          !sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id,
                                       NULL, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_object (&store);
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *company = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *sandbox = g_strconcat (sandbox_path, suffixes[i], NULL);

      if (!remove_file (company, &error) || !remove_file (sandbox, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

void
sb_demo_session_leave_async (SbDemoSession *self, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, callback, user_data);

  g_return_if_fail (SB_IS_DEMO_SESSION (self));
  g_task_set_source_tag (task, sb_demo_session_leave_async);
  /* The worker stops the server: stopping waits for its thread. */
  g_task_set_task_data (task, g_steal_pointer (&self->server), g_object_unref);
  g_clear_pointer (&self->url, g_free);
  g_task_run_in_thread (task, leave_thread);
}

gboolean
sb_demo_session_leave_finish (SbDemoSession *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sb_demo_session_finalize (GObject *object)
{
  SbDemoSession *self = SB_DEMO_SESSION (object);

  if (self->server != NULL)
    sb_sandbox_server_stop (self->server);
  g_clear_object (&self->server);
  g_free (self->url);
  G_OBJECT_CLASS (sb_demo_session_parent_class)->finalize (object);
}

static void
sb_demo_session_class_init (SbDemoSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_demo_session_finalize;
}

static void
sb_demo_session_init (SbDemoSession *self)
{
}

SbDemoSession *
sb_demo_session_new (void)
{
  return g_object_new (SB_TYPE_DEMO_SESSION, NULL);
}
