/* sb-sandbox-main.c: the salesbridge-sandbox program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sb-sandbox-server.h"

static const char description[] =
    "A Dataverse Web API compatible server on 127.0.0.1 for tests, benchmarks and demos.\n"
    "\n"
    "Prints its base URL (http://127.0.0.1:PORT/) as the first line on standard output once it\n"
    "accepts connections, and runs until SIGINT or SIGTERM.\n"
    "\n"
    "Token endpoint: POST http://127.0.0.1:PORT/<any tenant>/oauth2/v2.0/token\n"
    "  (grant_type=client_credentials, client_id, client_secret, scope=<base URL>/.default)\n"
    "Web API:        http://127.0.0.1:PORT/api/data/v9.2/\n"
    "\n"
    "Default clients (secret \"sandbox\", any tenant name is accepted):\n"
    "  salesbridge-integration  the integration application user, holding the roles\n"
    "                           Salesbridge Integration Administrator and Salesbridge\n"
    "                           Integration User\n"
    "  sales-user               Alex Morgan, a human salesperson (role Salesperson)\n"
    "Each client acts as its own systemuser, so _modifiedby_value tells them apart.\n"
    "--client ID:SECRET:FULLNAME adds a salesperson client (or replaces one with that id).\n"
    "\n"
    "--faults SPEC injects faults into Web API requests (not the token endpoint), "
    "comma-separated:\n"
    "  429=P      answer a share P (0..1) of requests with 429 and Retry-After: 1\n"
    "  503=P      answer a share P with 503 Service Unavailable\n"
    "  500=P      answer a share P with 500 Internal Server Error\n"
    "  drop=P     close the connection of a share P without answering\n"
    "  latency=Nms or latency=MIN-MAXms   delay every request\n"
    "  seed=N     random seed (default 0): the same seed gives the same faults\n"
    "  example: --faults 429=0.1,503=0.05,500=0.02,drop=0.01,latency=50ms,seed=42\n"
    "\n"
    "Service protection (per user, sliding window): --limit-requests N (6000),\n"
    "--limit-execution-ms N (1200000), --limit-concurrent N (52), --limit-window S (300); 0 turns\n"
    "a limit off.";

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSandboxServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *db = NULL;
  g_autofree char *faults = NULL;
  g_auto (GStrv) clients = NULL;
  gboolean memory = FALSE, seed_demo = FALSE, version = FALSE;
  int port = 0, accounts = 0, token_lifetime = 3599;
  SbSandboxLimitsConfig limits = SB_SANDBOX_LIMITS_DEFAULT;
  int limit_requests = (int) limits.max_requests, limit_exec = (int) limits.max_execution_ms;
  int limit_concurrent = (int) limits.max_concurrent, limit_window = (int) limits.window_seconds;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free port)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "SQLite database file (kept between runs)", "PATH" },
    { "memory", 0, 0, G_OPTION_ARG_NONE, &memory, "Keep the data in memory (the default)", NULL },
    { "seed-demo", 0, 0, G_OPTION_ARG_NONE, &seed_demo,
      "Create a demo Sales organization (users, products, price list, accounts, orders, quotes)",
      NULL },
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts, "Also create N generated accounts", "N" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Inject faults (see below)", "SPEC" },
    { "client", 0, 0, G_OPTION_ARG_STRING_ARRAY, &clients, "Add a client", "ID:SECRET:FULLNAME" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime,
      "Access token lifetime in seconds (3599)", "S" },
    { "limit-requests", 0, 0, G_OPTION_ARG_INT, &limit_requests, "Requests per window", "N" },
    { "limit-execution-ms", 0, 0, G_OPTION_ARG_INT, &limit_exec, "Execution time per window",
      "MS" },
    { "limit-concurrent", 0, 0, G_OPTION_ARG_INT, &limit_concurrent, "Concurrent requests", "N" },
    { "limit-window", 0, 0, G_OPTION_ARG_INT, &limit_window, "Window in seconds", "S" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("- Dataverse Web API sandbox");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("salesbridge-sandbox: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("salesbridge-sandbox %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (memory && db != NULL)
    {
      g_printerr ("salesbridge-sandbox: --db and --memory exclude each other\n");
      return 2;
    }
  if (port < 0 || port > 65535 || accounts < 0 || token_lifetime <= 0 || limit_requests < 0 ||
      limit_exec < 0 || limit_concurrent < 0 || limit_window < 0)
    {
      g_printerr ("salesbridge-sandbox: invalid numeric option\n");
      return 2;
    }

  server = sb_sandbox_server_new ();
  sb_sandbox_server_set_db_path (server, db);
  sb_sandbox_server_set_seed_demo (server, seed_demo);
  sb_sandbox_server_set_extra_accounts (server, (guint) accounts);
  sb_sandbox_server_set_token_lifetime (server, (guint) token_lifetime);
  limits.max_requests = (guint) limit_requests;
  limits.max_execution_ms = (guint) limit_exec;
  limits.max_concurrent = (guint) limit_concurrent;
  limits.window_seconds = (guint) limit_window;
  sb_sandbox_server_set_limits (server, &limits);
  if (!sb_sandbox_server_set_faults (server, faults, &error))
    {
      g_printerr ("salesbridge-sandbox: --faults: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; clients != NULL && clients[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (clients[i], ":", 3);

      if (g_strv_length (parts) != 3 || *parts[0] == '\0' || *parts[1] == '\0' || *parts[2] == '\0')
        {
          g_printerr ("salesbridge-sandbox: --client expects ID:SECRET:FULLNAME, got '%s'\n",
                      clients[i]);
          return 2;
        }
      sb_sandbox_server_add_client (server, parts[0], parts[1], parts[2]);
    }

  /* Handlers first: a client may send SIGTERM as soon as it has read the URL line. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  if (!sb_sandbox_server_start (server, (guint) port, &error))
    {
      g_printerr ("salesbridge-sandbox: %s\n", error->message);
      return 1;
    }
  printf ("%s\n", sb_sandbox_server_get_base_url (server));
  fflush (stdout);
  g_main_loop_run (loop);
  sb_sandbox_server_stop (server);
  return 0;
}
