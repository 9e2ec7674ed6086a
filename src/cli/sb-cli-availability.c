/* sb-cli-availability.c: item availability (integration-behaviour.md §8, issue 8)
 *
 *   availability serve [--address A] [--port P]   the OData web service, until Ctrl+C / SIGTERM
 *   availability show ITEM_NO [--json]            one item's availability
 *   availability push                             the Item Availability job once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>

#include "sb-availability-query.h"
#include "sb-availability-server.h"
#include "sb-cli-availability.h"
#include "sb-cli-sync.h"
#include "sb-connection-setup.h"
#include "sb-secret-store.h"
#include "sb-sync-error.h"
#include "sb-sync-item-availability.h"

static gboolean
quit_on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
cmd_serve (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *address = NULL;
  int port = -1;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_ ("IP address to listen on (default 127.0.0.1: this computer only)"), N_ ("ADDRESS") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      N_ ("Port to listen on (default: the port of the configured URL, else 7048; 0: any free "
          "port)"),
      N_ ("PORT") },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Serves item availability to Dynamics 365 Sales as an OData "
                                    "web service until stopped with Ctrl+C."),
                                 entries, 0, 0, error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbAvailabilityServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *base_path = NULL;
  char *key = NULL;
  guint url_port = 0;
  guint sigint, sigterm;
  gboolean ok;

  if (store == NULL || (setup = sb_connection_setup_get (store, error)) == NULL)
    return FALSE;
  if (port < -1 || port > 65535)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("--port must be from 0 to 65535, not %d."), port);
      return FALSE;
    }
  if (!setup->item_availability_enabled)
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                           _ ("The item availability web service is not enabled. Enable it with "
                              "“salesbridge-cli connection set --item-availability yes”."));
      return FALSE;
    }
  if (!sb_availability_parse_url (setup->item_availability_url, &base_path, &url_port, error))
    return FALSE;
  key = sb_secret_store_lookup_sync (SB_SECRET_ITEM_AVAILABILITY_KEY, setup->item_availability_url,
                                     setup->item_availability_user, NULL, error);
  if (key == NULL && error != NULL && *error != NULL)
    return FALSE;
  server = sb_availability_server_new (sb_store_get_path (store), setup->item_availability_user,
                                       key != NULL ? key : "");
  sb_secret_store_free (key);
  sb_availability_server_set_address (server, address);
  sb_availability_server_set_port (server, port >= 0 ? (guint) port : url_port);
  sb_availability_server_set_base_path (server, base_path);
  if (!sb_availability_server_start (server, error))
    return FALSE;

  /* The URL first and alone on its line, for scripts that wait for it. */
  g_print ("%s\n", sb_availability_server_get_url (server));
  fflush (stdout);
  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  sb_availability_server_stop (server);
  ok = TRUE;
  return ok;
}

static gboolean
cmd_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON"), NULL },
    { NULL },
  };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, "ITEM_NO",
                                 _ ("Shows an item’s inventory, the quantity on open sales orders "
                                    "and what is available, as the web service serves them."),
                                 entries, 1, 1, error);
  g_autoptr (SbAvailabilityCache) cache = sb_availability_cache_new ();
  g_autoptr (SbItemAvailability) a = NULL;
  g_autofree char *inventory = NULL, *on_orders = NULL, *available = NULL;

  if (store == NULL)
    return FALSE;
  a = sb_item_availability_lookup (store, cache, argv[1], error);
  if (a == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _ ("There is no item %s."), argv[1]);
      return FALSE;
    }
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) node = NULL;

      json_builder_begin_object (b);
      sb_item_availability_build_json (b, a, SB_AVAILABILITY_SELECT_ALL);
      json_builder_end_object (b);
      node = json_builder_get_root (b);
      sb_cli_print_json (node);
      return TRUE;
    }
  inventory = sb_decimal_to_string (a->inventory, 0);
  on_orders = sb_decimal_to_string (a->on_open_orders, 0);
  available = sb_decimal_to_string (a->available, 0);
  g_print ("%s: %s\n", _ ("No."), a->no);
  g_print ("%s: %s\n", _ ("Description"), a->description);
  g_print ("%s: %s\n", _ ("Inventory"), inventory);
  g_print ("%s: %s\n", _ ("Quantity on Open Orders"), on_orders);
  g_print ("%s: %s\n", _ ("Available"), available);
  g_print ("%s: %s\n", _ ("Unit of Measure"), a->unit_of_measure);
  return TRUE;
}

static gboolean
cmd_push (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  const GOptionEntry entries[] = { { NULL } };
  SbStore *store = sb_cli_start (ctx, &argc, &argv, NULL,
                                 _ ("Sends the inventory of coupled items that changed to their "
                                    "products in Dynamics 365 Sales (the Item Availability job)."),
                                 entries, 0, 0, error);
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autofree char *failure = NULL;
  SbSyncCounters n = { 0 };

  if (store == NULL || (engine = sb_cli_sync_open_engine (store, error)) == NULL)
    return FALSE;
  if (!sb_sync_item_availability_push (engine, store, &n, &failure, NULL, error))
    return FALSE;
  g_print (_ ("Item availability: %u products updated, %u unchanged, %u failed\n"), n.modified,
           n.unchanged, n.failed);
  if (failure != NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("%s They are sent again on the next push."), failure);
      return FALSE;
    }
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "availability", "serve", "[--address ADDRESS] [--port PORT]",
    N_ ("Serve item availability to Dynamics 365 Sales until stopped"), cmd_serve },
  { "availability", "show", "[--json] ITEM_NO", N_ ("Show an item’s availability"), cmd_show },
  { "availability", "push", "", N_ ("Send changed item availability to products in Sales"),
    cmd_push },
};

const SbCliCommand *
sb_cli_availability_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
