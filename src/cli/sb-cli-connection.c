/* sb-cli-connection.c: the connection to Dynamics 365 Sales from the command line
 *
 * Secrets never come from a command-line argument (other users can read those in /proc): the
 * client secret comes from SALESBRIDGE_CLIENT_SECRET or standard input, the access key from
 * SALESBRIDGE_ACCESS_KEY or standard input, and both go to the keyring only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sb-cli-connection.h"
#include "sb-connection-manager.h"
#include "sb-secret-store.h"
#include "sb-sync-error.h"

static gboolean
parse_yes_no (const char *option, const char *text, gboolean *out_value, GError **error)
{
  if (text == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "true") == 0 ||
      g_str_equal (text, "1"))
    *out_value = TRUE;
  else if (g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "false") == 0 ||
           g_str_equal (text, "0"))
    *out_value = FALSE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("%s must be yes or no, not “%s”."), option, text);
      return FALSE;
    }
  return TRUE;
}

static void
replace (char **field, const char *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strstrip (g_strdup (value));
}

/* All of standard input, without the line break a shell or a pipe adds at the end. */
static char *
read_stdin_secret (const char *what, GError **error)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, (gssize) n);
  memset (buffer, 0, sizeof buffer);
  while (text->len > 0 && (text->str[text->len - 1] == '\n' || text->str[text->len - 1] == '\r'))
    g_string_truncate (text, text->len - 1);
  if (text->len == 0 || !g_utf8_validate (text->str, (gssize) text->len, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("No %s on standard input. Pipe it in, for example from your password "
                      "manager."),
                   what);
      memset (text->str, 0, text->len);
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static gboolean
cmd_set (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autofree char *url = NULL, *tenant = NULL, *client_id = NULL, *authority = NULL;
  g_autofree char *api_version = NULL, *orders = NULL, *auto_orders = NULL, *auto_quotes = NULL;
  g_autofree char *availability = NULL, *availability_url = NULL, *availability_user = NULL;
  g_autofree char *erp_url = NULL, *solution = NULL;
  gboolean secret_stdin = FALSE, key_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url,
      N_ ("Dynamics 365 Sales URL, such as https://contoso.crm4.dynamics.com/"), N_ ("URL") },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &tenant,
      N_ ("Directory (tenant) ID or domain of Microsoft Entra ID"), N_ ("TENANT") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
      N_ ("Application (client) ID of the app registration"), N_ ("ID") },
    { "authority", 0, 0, G_OPTION_ARG_STRING, &authority,
      N_ ("Sign-in service (default https://login.microsoftonline.com/)"), N_ ("URL") },
    { "api-version", 0, 0, G_OPTION_ARG_STRING, &api_version,
      N_ ("Dataverse Web API version (default 9.2)"), N_ ("VERSION") },
    { "client-secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin,
      N_ ("Read the client secret from standard input (else from SALESBRIDGE_CLIENT_SECRET)"),
      NULL },
    { "sales-order-integration", 0, 0, G_OPTION_ARG_STRING, &orders,
      N_ ("Integrate sales orders: yes or no"), N_ ("yes|no") },
    { "auto-create-orders", 0, 0, G_OPTION_ARG_STRING, &auto_orders,
      N_ ("Create sales orders from Dynamics 365 Sales automatically: yes or no"), N_ ("yes|no") },
    { "auto-process-quotes", 0, 0, G_OPTION_ARG_STRING, &auto_quotes,
      N_ ("Process sales quotes from Dynamics 365 Sales automatically: yes or no"), N_ ("yes|no") },
    { "item-availability", 0, 0, G_OPTION_ARG_STRING, &availability,
      N_ ("Offer the item availability web service: yes or no"), N_ ("yes|no") },
    { "item-availability-url", 0, 0, G_OPTION_ARG_STRING, &availability_url,
      N_ ("URL of the item availability web service"), N_ ("URL") },
    { "item-availability-user", 0, 0, G_OPTION_ARG_STRING, &availability_user,
      N_ ("User name of the item availability web service"), N_ ("NAME") },
    { "access-key-stdin", 0, 0, G_OPTION_ARG_NONE, &key_stdin,
      N_ ("Read the web service access key from standard input (else from "
          "SALESBRIDGE_ACCESS_KEY)"),
      NULL },
    { "erp-url", 0, 0, G_OPTION_ARG_STRING, &erp_url,
      N_ ("ERP web client URL, for links from Dynamics 365 Sales"), N_ ("URL") },
    { "solution-deployed", 0, 0, G_OPTION_ARG_STRING, &solution,
      N_ ("Whether the integration solution is deployed: yes or no"), N_ ("yes|no") },
    { NULL },
  };
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbConnectionManager) manager = NULL;
  char *secret = NULL, *key = NULL;
  SbStore *store;
  gboolean ok;

  store = sb_cli_start (ctx, &argc, &argv, NULL,
                        _ ("Changes the connection to Dynamics 365 Sales. Options not given keep "
                           "their value. The client secret is read from the environment variable "
                           "SALESBRIDGE_CLIENT_SECRET or, with --client-secret-stdin, from "
                           "standard input, and is kept in your keyring, never in the company "
                           "database."),
                        entries, 0, 0, error);
  if (store == NULL)
    return FALSE;
  if (secret_stdin && key_stdin)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Standard input can carry the client secret or the access key, not both; "
                      "give the other in its environment variable."));
      return FALSE;
    }
  setup = sb_connection_setup_get (store, error);
  if (setup == NULL)
    return FALSE;
  replace (&setup->sales_url, url);
  replace (&setup->tenant, tenant);
  replace (&setup->client_id, client_id);
  replace (&setup->authority, authority);
  /* Microsoft's sign-in service never answers for a loopback environment:
   * a local server such as salesbridge-sandbox signs in itself.  The
   * assisted setup follows the same rule. */
  if (authority == NULL && url != NULL && sb_connection_url_is_loopback (url) &&
      (*setup->authority == '\0' ||
       g_str_equal (setup->authority, SB_CONNECTION_DEFAULT_AUTHORITY)))
    replace (&setup->authority, url);
  replace (&setup->api_version, api_version);
  replace (&setup->item_availability_url, availability_url);
  replace (&setup->item_availability_user, availability_user);
  replace (&setup->erp_web_client_url, erp_url);
  if (!parse_yes_no ("--sales-order-integration", orders, &setup->sales_order_integration, error) ||
      !parse_yes_no ("--auto-create-orders", auto_orders, &setup->auto_create_sales_orders,
                     error) ||
      !parse_yes_no ("--auto-process-quotes", auto_quotes, &setup->auto_process_sales_quotes,
                     error) ||
      !parse_yes_no ("--item-availability", availability, &setup->item_availability_enabled,
                     error) ||
      !parse_yes_no ("--solution-deployed", solution, &setup->solution_deployed, error))
    return FALSE;
  if (*setup->sales_url == '\0' || *setup->client_id == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _ ("Give the environment’s --url and the app’s --client-id; see "
                      "“salesbridge-cli connection set --help”."));
      return FALSE;
    }

  if (secret_stdin)
    secret = read_stdin_secret (_ ("client secret"), error);
  else if (g_getenv ("SALESBRIDGE_CLIENT_SECRET") != NULL &&
           *g_getenv ("SALESBRIDGE_CLIENT_SECRET") != '\0')
    secret = g_strdup (g_getenv ("SALESBRIDGE_CLIENT_SECRET"));
  if (secret_stdin && secret == NULL)
    return FALSE;
  if (key_stdin)
    key = read_stdin_secret (_ ("access key"), error);
  else if (g_getenv ("SALESBRIDGE_ACCESS_KEY") != NULL &&
           *g_getenv ("SALESBRIDGE_ACCESS_KEY") != '\0')
    key = g_strdup (g_getenv ("SALESBRIDGE_ACCESS_KEY"));
  if (key_stdin && key == NULL)
    {
      free_secret (secret);
      return FALSE;
    }

  manager = sb_connection_manager_new (store);
  ok = sb_connection_manager_save_sync (manager, setup, secret, key, NULL, error);
  if (ok)
    {
      g_print (_ ("Saved the connection settings.\n"));
      if (secret != NULL)
        g_print (_ ("The client secret is in your keyring.\n"));
      if (key != NULL)
        g_print (_ ("The access key is in your keyring.\n"));
    }
  free_secret (secret);
  free_secret (key);
  return ok;
}

/* Whether a secret is stored: TRUE/FALSE, or -1 when the keyring cannot be asked. */
static int
secret_state (SbSecretKind kind, const char *url, const char *account, char **out_problem)
{
  g_autoptr (GError) error = NULL;
  char *secret;
  int state;

  if (url == NULL || *url == '\0' || account == NULL || *account == '\0')
    return FALSE;
  secret = sb_secret_store_lookup_sync (kind, url, account, NULL, &error);
  if (error != NULL)
    {
      *out_problem = g_strdup (error->message);
      return -1;
    }
  state = secret != NULL && *secret != '\0';
  sb_secret_store_free (secret);
  return state;
}

static void
add_secret_state (JsonObject *object, const char *member, int state)
{
  if (state < 0)
    json_object_set_null_member (object, member);
  else
    json_object_set_boolean_member (object, member, state);
}

static const char *
describe_state (int state)
{
  return state < 0 ? _ ("unknown, the keyring cannot be reached")
         : state   ? _ ("stored in your keyring")
                   : _ ("not stored");
}

static gboolean
cmd_show (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print JSON for scripts"), NULL },
    { NULL },
  };
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autofree char *problem = NULL;
  int secret, key;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, NULL,
                        _ ("Shows the connection to Dynamics 365 Sales and whether its secrets "
                           "are stored (never the secrets themselves)."),
                        entries, 0, 0, error);
  if (store == NULL)
    return FALSE;
  setup = sb_connection_setup_get (store, error);
  if (setup == NULL)
    return FALSE;
  secret = secret_state (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id, &problem);
  key = secret_state (SB_SECRET_ITEM_AVAILABILITY_KEY, setup->item_availability_url,
                      setup->item_availability_user, problem != NULL ? NULL : &problem);

  if (json)
    {
      g_autoptr (JsonNode) node = sb_cli_record_to_json (&sb_connection_setup_record_type, setup);
      JsonObject *object = json_node_get_object (node);

      add_secret_state (object, "client_secret_stored", secret);
      add_secret_state (object, "access_key_stored", key);
      sb_cli_print_json (node);
      return TRUE;
    }
  sb_cli_print_record (&sb_connection_setup_record_type, setup);
  g_print (_ ("Client secret: %s\n"), describe_state (secret));
  if (setup->item_availability_enabled)
    g_print (_ ("Item availability access key: %s\n"), describe_state (key));
  if (problem != NULL)
    g_printerr ("%s\n", problem);
  return TRUE;
}

static void
print_check_cb (SbConnectionCheck *check, guint id, gpointer user_data)
{
  const char *mark;

  switch (sb_connection_check_get_result (check, id))
    {
      case SB_CHECK_RESULT_PASSED:
        mark = "✓";
        break;
      case SB_CHECK_RESULT_FAILED:
        mark = "✗";
        break;
      case SB_CHECK_RESULT_SKIPPED:
      case SB_CHECK_RESULT_PENDING:
      default:
        mark = "–";
        break;
    }
  g_print ("%s %s\n    %s\n", mark, sb_connection_check_get_title (id),
           sb_connection_check_get_message (check, id));
}

static gboolean
run_checks (SbCliContext *ctx, int argc, char **argv, gboolean enable, GError **error)
{
  g_autoptr (SbConnectionManager) manager = NULL;
  g_autoptr (SbConnectionCheck) check = NULL;
  g_autoptr (GError) local = NULL;
  SbStore *store;
  gboolean ok;

  store = sb_cli_start (ctx, &argc, &argv, NULL,
                        enable ? _ ("Tests the connection to Dynamics 365 Sales and, when every "
                                    "check passes, reads its base currency and turns the "
                                    "connection on.")
                               : _ ("Runs every check of the connection to Dynamics 365 Sales "
                                    "and explains what to do about a failure."),
                        NULL, 0, 0, error);
  if (store == NULL)
    return FALSE;
  manager = sb_connection_manager_new (store);
  check = sb_connection_manager_create_check (manager, error);
  if (check == NULL)
    return FALSE;
  g_signal_connect (check, "check-finished", G_CALLBACK (print_check_cb), NULL);
  ok = enable ? sb_connection_manager_enable_sync (manager, check, NULL, &local)
              : sb_connection_manager_test_sync (manager, check, NULL, &local);
  if (!ok)
    {
      /* The checks above already explain a failed check; say so in one line. */
      if (g_error_matches (local, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED))
        g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED,
                     enable ? _ ("The connection was not enabled, because a check failed.")
                            : _ ("The connection test failed."));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (enable)
    {
      g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, error);

      if (setup == NULL)
        return FALSE;
      g_print (_ ("The connection to Dynamics 365 Sales is enabled. Its base currency is %s "
                  "(symbol %s, %" PRId64 " decimals).\n"),
               setup->base_currency_code, setup->base_currency_symbol,
               setup->base_currency_precision);
    }
  else
    g_print (_ ("Every check passed.\n"));
  return TRUE;
}

static gboolean
cmd_test (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return run_checks (ctx, argc, argv, FALSE, error);
}

static gboolean
cmd_enable (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  return run_checks (ctx, argc, argv, TRUE, error);
}

static gboolean
cmd_disable (SbCliContext *ctx, int argc, char **argv, GError **error)
{
  g_autoptr (SbConnectionManager) manager = NULL;
  SbStore *store;

  store = sb_cli_start (ctx, &argc, &argv, NULL,
                        _ ("Turns the connection to Dynamics 365 Sales off. Settings and "
                           "secrets stay."),
                        NULL, 0, 0, error);
  if (store == NULL)
    return FALSE;
  manager = sb_connection_manager_new (store);
  if (!sb_connection_manager_disable (manager, error))
    return FALSE;
  g_print (_ ("The connection to Dynamics 365 Sales is disabled.\n"));
  return TRUE;
}

static const SbCliCommand commands[] = {
  { "connection", "set",
    "--url URL [--tenant T] --client-id ID [--authority URL] [--api-version V] "
    "[--client-secret-stdin] [--auto-create-orders yes|no] …",
    N_ ("Change the connection settings; the secret goes to your keyring"), cmd_set },
  { "connection", "show", "[--json]", N_ ("Show the connection settings, never the secret"),
    cmd_show },
  { "connection", "test", "", N_ ("Check the connection and explain any problem"), cmd_test },
  { "connection", "enable", "", N_ ("Check the connection and turn it on"), cmd_enable },
  { "connection", "disable", "", N_ ("Turn the connection off"), cmd_disable },
};

const SbCliCommand *
sb_cli_connection_commands (guint *n_commands)
{
  *n_commands = G_N_ELEMENTS (commands);
  return commands;
}
