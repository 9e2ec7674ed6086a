/* test-gui-availability.c: the app serves item availability while a company with the web
 * service enabled is open, and stops when it quits
 *
 * A real company database in a temp folder, the access key in a private keyring
 * (tests/sync/sbs-keyring.h), HTTP on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "sb-application.h"
#include "sb-connection-setup.h"
#include "sb-item.h"
#include "sb-secret-store.h"
#include "sbg-test-util.h"
#include "sbs-keyring.h"

#define USER "sales"
#define KEY "gui-key"

typedef struct
{
  SbApplication *app;
  char *item_url;
  guint status;
  char *body;
  guint tries;
} Probe;

static guint
free_port (void)
{
  g_autoptr (GSocket) socket =
      g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* GET with the service's credentials; 0 when nothing listens. */
static guint
get (const char *url, char **out_body)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *b64 = g_base64_encode ((const guchar *) USER ":" KEY, strlen (USER ":" KEY));
  g_autofree char *header = g_strconcat ("Basic ", b64, NULL);
  g_autoptr (GBytes) body = NULL;

  soup_session_remove_feature_by_type (session, SOUP_TYPE_AUTH_MANAGER);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  if (body == NULL)
    return 0;
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return soup_message_get_status (msg);
}

/* Polls the service while the app runs (the GUI's main loop keeps going), then quits. */
static gboolean
probe (gpointer data)
{
  Probe *p = data;

  p->status = get (p->item_url, &p->body);
  if (p->status == 0 && ++p->tries < 100)
    return G_SOURCE_CONTINUE;
  g_action_group_activate_action (G_ACTION_GROUP (p->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

static void
test_serves_while_open (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("salesbridge-gui-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "books.sbdb", NULL);
  g_autofree char *url = NULL;
  guint port = free_port ();
  Probe p = { 0 };

  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/odata/", port);
  {
    g_autoptr (SbStore) store = sb_store_open (db, SB_STORE_OPEN_DEFAULT, &error);
    g_autoptr (SbConnectionSetup) setup = NULL;
    g_autoptr (SbItem) item = sb_item_new ();

    g_assert_no_error (error);
    setup = sb_connection_setup_get (store, &error);
    g_assert_no_error (error);
    setup->item_availability_enabled = TRUE;
    g_free (setup->item_availability_url);
    setup->item_availability_url = g_strdup (url);
    g_free (setup->item_availability_user);
    setup->item_availability_user = g_strdup (USER);
    g_assert_true (sb_connection_setup_update (store, setup, &error));
    g_assert_no_error (error);
    g_free (item->no);
    item->no = g_strdup ("1000");
    g_free (item->description);
    item->description = g_strdup ("Desk");
    item->inventory = 7 * SB_DECIMAL_ONE;
    g_assert_true (sb_record_insert (store, &sb_item_record_type, item, &error));
    g_assert_no_error (error);
  }
  g_assert_true (
      sb_secret_store_save_sync (SB_SECRET_ITEM_AVAILABILITY_KEY, url, USER, KEY, NULL, &error));
  g_assert_no_error (error);

  p.app = sb_application_new ();
  p.item_url = g_strconcat (url, "ItemAvailabilities('1000')", NULL);
  {
    char *args[] = { "salesbridge", "--db", db, NULL };

    g_application_set_flags (G_APPLICATION (p.app),
                             G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
    g_timeout_add (100, probe, &p);
    g_assert_cmpint (g_application_run (G_APPLICATION (p.app), 3, args), ==, 0);
  }
  g_assert_cmpuint (p.status, ==, 200);
  g_assert_nonnull (strstr (p.body, "\"Inventory\":7"));

  /* Gone with the app. */
  g_clear_object (&p.app);
  g_assert_cmpuint (get (p.item_url, NULL), ==, 0);
  g_free (p.item_url);
  g_free (p.body);
  g_remove (db);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

/* The first widget of @type below @widget (a label, or a button) whose text holds @fragment. */
static GtkWidget *
find_text (GtkWidget *widget, GType type, const char *fragment)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && text != NULL && strstr (text, fragment) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child, type, fragment);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

typedef struct
{
  SbApplication *app;
  gboolean shown;
  char *details;
  guint tries;
} ToastProbe;

/* Waits for the window's toast saying the service did not start, opens its Details and keeps
 * what they say, then quits. */
static gboolean
probe_toast (gpointer data)
{
  ToastProbe *p = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (p->app));
  AdwMessageDialog *dialog = find_dialog ();
  GtkWidget *button;

  if (dialog != NULL)
    {
      p->details = g_strdup (adw_message_dialog_get_body (dialog));
      sbg_screenshot (dialog, "availability-not-started-details");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  else if (!p->shown && window != NULL &&
           find_text (GTK_WIDGET (window), GTK_TYPE_LABEL, "did not start") != NULL)
    {
      p->shown = TRUE;
      sbg_screenshot (window, "availability-not-started");
      button = find_text (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Details");
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
    }
  if (p->details == NULL && ++p->tries < 100)
    return G_SOURCE_CONTINUE;
  g_action_group_activate_action (G_ACTION_GROUP (p->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/* Enabled, but no access key in the keyring: the window says why nothing is served. */
static void
test_no_key_says_why (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("salesbridge-gui-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "books.sbdb", NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", free_port ());
  ToastProbe p = { 0 };

  g_assert_no_error (error);
  {
    g_autoptr (SbStore) store = sb_store_open (db, SB_STORE_OPEN_DEFAULT, &error);
    g_autoptr (SbConnectionSetup) setup = NULL;

    g_assert_no_error (error);
    setup = sb_connection_setup_get (store, &error);
    g_assert_no_error (error);
    setup->item_availability_enabled = TRUE;
    g_free (setup->item_availability_url);
    setup->item_availability_url = g_strdup (url);
    g_free (setup->item_availability_user);
    setup->item_availability_user = g_strdup ("nobody");
    g_assert_true (sb_connection_setup_update (store, setup, &error));
    g_assert_no_error (error);
  }
  p.app = sb_application_new ();
  {
    char *args[] = { "salesbridge", "--db", db, NULL };

    g_application_set_flags (G_APPLICATION (p.app),
                             G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
    g_timeout_add (100, probe_toast, &p);
    g_assert_cmpint (g_application_run (G_APPLICATION (p.app), 3, args), ==, 0);
  }
  g_assert_true (p.shown);
  g_assert_nonnull (p.details);
  g_assert_nonnull (strstr (p.details, "no access key"));
  g_free (p.details);
  g_clear_object (&p.app);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_remove (db);
    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring = sbs_keyring_start (TRUE);
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  setlocale (LC_NUMERIC, "C");
  g_test_add_func ("/gui/availability/serves-while-open", test_serves_while_open);
  g_test_add_func ("/gui/availability/no-key-says-why", test_no_key_says_why);
  status = g_test_run ();
  sbs_keyring_stop (keyring);
  return status;
}
