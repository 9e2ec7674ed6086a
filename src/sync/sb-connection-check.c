/* sb-connection-check.c
 *
 * Results are written by whichever thread runs the checks and read by the caller's, so they are
 * kept under a lock; each message is set once and never replaced, which makes handing out its
 * pointer safe. The checks themselves follow integration-behaviour.md §8 and, for the calls,
 * dataverse-web-api.md ("Identity and auth", systemuser, transactioncurrency).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-check-private.h"
#include "sb-connection-manager.h"
#include "sb-secret-store.h"
#include "sb-sync-error.h"

struct _SbConnectionCheck
{
  GObject parent_instance;

  SbConnectionSetup *setup;
  char *local_currency;
  char *secret; /* an override of the keyring's; wiped on finalize */
  gboolean custom_retry;
  guint retry[4];

  GMutex lock;
  SbCheckResult results[SB_CONNECTION_CHECK_N_CHECKS];
  char *messages[SB_CONNECTION_CHECK_N_CHECKS];
  gboolean started, finished;
  SbDataverseConnection *cnc;
  char *user_id, *organization_id, *user_name;
};

G_DEFINE_FINAL_TYPE (SbConnectionCheck, sb_connection_check, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHECK_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sb_connection_check_finalize (GObject *object)
{
  SbConnectionCheck *self = SB_CONNECTION_CHECK (object);

  g_clear_pointer (&self->setup, sb_connection_setup_free);
  g_free (self->local_currency);
  if (self->secret != NULL)
    memset (self->secret, 0, strlen (self->secret));
  g_free (self->secret);
  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    g_free (self->messages[i]);
  g_clear_object (&self->cnc);
  g_free (self->user_id);
  g_free (self->organization_id);
  g_free (self->user_name);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sb_connection_check_parent_class)->finalize (object);
}

static void
sb_connection_check_class_init (SbConnectionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_connection_check_finalize;

  /**
   * SbConnectionCheck::check-finished:
   * @id: the SbConnectionCheckId that got its result
   *
   * Emitted on the thread that called run_sync, or on the main context of the caller of
   * run_async, once per check (also for skipped ones), in order.
   */
  signals[SIGNAL_CHECK_FINISHED] =
      g_signal_new ("check-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sb_connection_check_init (SbConnectionCheck *self)
{
  g_mutex_init (&self->lock);
}

SbConnectionCheck *
sb_connection_check_new (const SbConnectionSetup *setup, const char *local_currency_code)
{
  SbConnectionCheck *self;

  g_return_val_if_fail (setup != NULL, NULL);

  self = g_object_new (SB_TYPE_CONNECTION_CHECK, NULL);
  self->setup = sb_connection_setup_copy (setup);
  self->local_currency = g_strstrip (g_strdup (local_currency_code ? local_currency_code : ""));
  return self;
}

void
sb_connection_check_set_client_secret (SbConnectionCheck *self, const char *secret)
{
  g_return_if_fail (SB_IS_CONNECTION_CHECK (self));
  g_return_if_fail (!self->started);

  g_free (self->secret);
  self->secret = g_strdup (secret);
}

void
sb_connection_check_set_retry_policy (SbConnectionCheck *self, guint max_attempts,
                                      guint base_delay_ms, guint max_delay_ms, guint max_wait_ms)
{
  g_return_if_fail (SB_IS_CONNECTION_CHECK (self));

  self->custom_retry = TRUE;
  self->retry[0] = max_attempts;
  self->retry[1] = base_delay_ms;
  self->retry[2] = max_delay_ms;
  self->retry[3] = max_wait_ms;
}

const char *
sb_connection_check_get_title (SbConnectionCheckId id)
{
  static const char *const titles[] = {
    [SB_CONNECTION_CHECK_SETTINGS] = N_ ("Connection details are complete"),
    [SB_CONNECTION_CHECK_SIGN_IN] = N_ ("Sign in"),
    [SB_CONNECTION_CHECK_WHO_AM_I] = N_ ("Reach Dynamics 365 Sales"),
    [SB_CONNECTION_CHECK_USER_ENABLED] = N_ ("Integration user is enabled"),
    [SB_CONNECTION_CHECK_HAS_ROLES] = N_ ("Integration user has a security role"),
    [SB_CONNECTION_CHECK_NOT_ADMINISTRATOR] = N_ ("Integration user is not a System Administrator"),
    [SB_CONNECTION_CHECK_INTEGRATION_ROLES] = N_ ("Integration user has the integration roles"),
    [SB_CONNECTION_CHECK_LOCAL_CURRENCY] = N_ ("Local currency exists in Dynamics 365 Sales"),
  };

  g_return_val_if_fail (id < SB_CONNECTION_CHECK_N_CHECKS, NULL);
  return _ (titles[id]);
}

SbCheckResult
sb_connection_check_get_result (SbConnectionCheck *self, SbConnectionCheckId id)
{
  SbCheckResult result;

  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), SB_CHECK_RESULT_PENDING);
  g_return_val_if_fail (id < SB_CONNECTION_CHECK_N_CHECKS, SB_CHECK_RESULT_PENDING);

  g_mutex_lock (&self->lock);
  result = self->results[id];
  g_mutex_unlock (&self->lock);
  return result;
}

const char *
sb_connection_check_get_message (SbConnectionCheck *self, SbConnectionCheckId id)
{
  const char *message;

  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), NULL);
  g_return_val_if_fail (id < SB_CONNECTION_CHECK_N_CHECKS, NULL);

  g_mutex_lock (&self->lock);
  message = self->messages[id];
  g_mutex_unlock (&self->lock);
  return message;
}

SbConnectionCheckId
sb_connection_check_get_first_failure (SbConnectionCheck *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), SB_CONNECTION_CHECK_N_CHECKS);

  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    if (sb_connection_check_get_result (self, i) == SB_CHECK_RESULT_FAILED)
      return i;
  return SB_CONNECTION_CHECK_N_CHECKS;
}

gboolean
sb_connection_check_get_passed (SbConnectionCheck *self)
{
  gboolean finished;

  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), FALSE);

  g_mutex_lock (&self->lock);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  return finished && sb_connection_check_get_first_failure (self) == SB_CONNECTION_CHECK_N_CHECKS;
}

SbDataverseConnection *
sb_connection_check_get_connection (SbConnectionCheck *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), NULL);
  return self->cnc;
}

const char *
sb_connection_check_get_user_id (SbConnectionCheck *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), NULL);
  return self->user_id;
}

const char *
sb_connection_check_get_organization_id (SbConnectionCheck *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), NULL);
  return self->organization_id;
}

const char *
sb_connection_check_get_user_name (SbConnectionCheck *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), NULL);
  return self->user_name;
}

/* ------------------------------------------------------------------------------------------ */
/* Running                                                                                     */

typedef struct
{
  SbConnectionCheck *self;
  SbConnectionCheckId id;
} Emission;

static gboolean
emit_in_context (gpointer data)
{
  Emission *e = data;

  g_signal_emit (e->self, signals[SIGNAL_CHECK_FINISHED], 0, (guint) e->id);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_object_unref (e->self);
  g_free (e);
}

/* Takes @message. With @context NULL the signal is emitted right here (the sync run). */
static void
set_result (SbConnectionCheck *self, GMainContext *context, SbConnectionCheckId id,
            SbCheckResult result, char *message)
{
  g_mutex_lock (&self->lock);
  self->results[id] = result;
  g_free (self->messages[id]);
  self->messages[id] = message;
  g_mutex_unlock (&self->lock);

  if (context == NULL)
    g_signal_emit (self, signals[SIGNAL_CHECK_FINISHED], 0, (guint) id);
  else
    {
      Emission *e = g_new (Emission, 1);

      e->self = g_object_ref (self);
      e->id = id;
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, emit_in_context, e, emission_free);
    }
}

static void
pass (SbConnectionCheck *self, GMainContext *context, SbConnectionCheckId id, char *message)
{
  set_result (self, context, id, SB_CHECK_RESULT_PASSED, message);
}

static void
fail (SbConnectionCheck *self, GMainContext *context, SbConnectionCheckId id, char *message)
{
  set_result (self, context, id, SB_CHECK_RESULT_FAILED, message);
}

/* Skips the checks from @first to @last that have no result yet. */
static void
skip_range (SbConnectionCheck *self, GMainContext *context, SbConnectionCheckId first,
            SbConnectionCheckId last)
{
  for (guint i = first; i <= last; i++)
    if (sb_connection_check_get_result (self, i) == SB_CHECK_RESULT_PENDING)
      set_result (self, context, i, SB_CHECK_RESULT_SKIPPED,
                  g_strdup (_ ("Not checked, because an earlier check failed.")));
}

static gboolean
code_is (const GError *error, const char *const *codes)
{
  const char *code = sb_dataverse_error_get_code (error);

  return code != NULL && g_strv_contains (codes, code);
}

/* Microsoft Entra ID's answers (the AADSTS numbers of its troubleshooting pages, or the OAuth
 * error names when there is no number) in words a user can act on. */
static char *
explain_sign_in_error (SbConnectionCheck *self, const GError *error)
{
  static const char *const bad_secret[] = { "AADSTS7000215", "AADSTS7000222", "invalid_client",
                                            NULL };
  static const char *const unknown_client[] = { "AADSTS700016", "unauthorized_client", NULL };
  static const char *const unknown_tenant[] = { "AADSTS90002", "AADSTS90013", "AADSTS900023",
                                                "invalid_tenant", NULL };
  const SbConnectionSetup *s = self->setup;

  if (error->domain != SB_DATAVERSE_ERROR)
    return g_strdup (error->message);
  if (code_is (error, bad_secret))
    return g_strdup (_ ("The client secret was refused: it is wrong or has expired. In Microsoft "
                        "Entra ID, open the app registration, create a new client secret under "
                        "“Certificates & secrets” and enter its value (not its ID) here."));
  if (code_is (error, unknown_client))
    return g_strdup_printf (_ ("There is no application with the client ID “%s” in the tenant "
                               "“%s”. Check the client ID, and that the app registration belongs "
                               "to this tenant."),
                            s->client_id, s->tenant);
  if (code_is (error, unknown_tenant))
    return g_strdup_printf (_ ("The tenant “%s” was not found. Check the tenant: it is the "
                               "directory ID or a domain such as contoso.onmicrosoft.com."),
                            s->tenant);
  switch (error->code)
    {
      case SB_DATAVERSE_ERROR_NETWORK:
        return g_strdup_printf (
            _ ("Salesbridge cannot reach the sign-in service at %s. Check the "
               "sign-in service address (authority) and your internet connection. (%s)"),
            s->authority, error->message);
      case SB_DATAVERSE_ERROR_TLS:
        return g_strdup_printf (_ ("%s If your organization inspects encrypted traffic, ask your "
                                   "IT department to install its certificate."),
                                error->message);
      case SB_DATAVERSE_ERROR_AUTH:
        return g_strdup_printf (_ ("%s Check the tenant, the client ID and the client secret."),
                                error->message);
      case SB_DATAVERSE_ERROR_BAD_RESPONSE:
        return g_strdup_printf (
            _ ("%s Check that the sign-in service address (authority) is Microsoft’s, "
               "normally %s."),
            error->message, SB_CONNECTION_DEFAULT_AUTHORITY);
      default:
        return g_strdup (error->message);
    }
}

static char *
explain_web_api_error (SbConnectionCheck *self, const GError *error)
{
  const char *url = sb_dataverse_connection_get_base_url (self->cnc);

  if (error->domain != SB_DATAVERSE_ERROR)
    return g_strdup (error->message);
  switch (error->code)
    {
      case SB_DATAVERSE_ERROR_NETWORK:
        return g_strdup_printf (_ ("Signed in, but Salesbridge cannot reach Dynamics 365 Sales at "
                                   "%s. Check the URL and your internet connection. (%s)"),
                                url, error->message);
      case SB_DATAVERSE_ERROR_UNAUTHORIZED:
      case SB_DATAVERSE_ERROR_FORBIDDEN:
        return g_strdup_printf (
            _ ("Signed in, but the environment at %s does not let the app in. In the Power "
               "Platform admin center, add the app registration as an application user of this "
               "environment (Settings → Users + permissions → Application users), then test "
               "again. (%s)"),
            url, error->message);
      case SB_DATAVERSE_ERROR_NOT_FOUND:
      case SB_DATAVERSE_ERROR_BAD_REQUEST:
      case SB_DATAVERSE_ERROR_BAD_RESPONSE:
        return g_strdup_printf (_ ("%s does not answer like a Dynamics 365 Sales environment. "
                                   "Check the URL (such as https://contoso.crm4.dynamics.com/) "
                                   "and the API version. (%s)"),
                                url, error->message);
      default:
        return g_strdup (error->message);
    }
}

static gboolean
has_role (GPtrArray *roles, const char *name)
{
  for (guint i = 0; i < roles->len; i++)
    if (g_ascii_strcasecmp (roles->pdata[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* FALSE when cancelled; *@out_ok tells whether the check passed. */
static gboolean
check_settings (SbConnectionCheck *self, GMainContext *context, gboolean *out_ok,
                GCancellable *cancellable, GError **error)
{
  const SbConnectionSetup *s = self->setup;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  g_autoptr (GError) local = NULL;
  char *secret = NULL;

  *out_ok = FALSE;

  if (*s->sales_url == '\0')
    g_ptr_array_add (missing, _ ("Enter the Dynamics 365 Sales URL, such as "
                                 "https://contoso.crm4.dynamics.com/."));
  if (*s->tenant == '\0')
    g_ptr_array_add (missing, _ ("Enter the tenant (directory) ID or domain of your Microsoft "
                                 "Entra ID."));
  if (*s->client_id == '\0')
    g_ptr_array_add (missing, _ ("Enter the client (application) ID of the app registration."));
  if (missing->len > 0)
    {
      g_ptr_array_add (missing, NULL);
      fail (self, context, SB_CONNECTION_CHECK_SETTINGS,
            g_strjoinv (" ", (char **) missing->pdata));
      return TRUE;
    }
  if (!sb_connection_setup_validate (s, &local))
    {
      fail (self, context, SB_CONNECTION_CHECK_SETTINGS, g_strdup (local->message));
      return TRUE;
    }

  if (self->secret != NULL)
    secret = g_strdup (self->secret);
  else
    {
      secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, s->sales_url, s->client_id,
                                            cancellable, &local);
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (local != NULL)
        {
          fail (self, context, SB_CONNECTION_CHECK_SETTINGS, g_strdup (local->message));
          return TRUE;
        }
    }
  if (secret == NULL || *secret == '\0')
    {
      sb_secret_store_free (secret);
      fail (self, context, SB_CONNECTION_CHECK_SETTINGS,
            g_strdup_printf (_ ("No client secret for the client ID “%s” is stored in your "
                                "keyring. Enter the client secret in the connection settings."),
                             s->client_id));
      return TRUE;
    }

  self->cnc = sb_connection_setup_create_connection (s, secret, &local);
  sb_secret_store_free (secret);
  if (self->cnc == NULL)
    {
      fail (self, context, SB_CONNECTION_CHECK_SETTINGS, g_strdup (local->message));
      return TRUE;
    }
  /* A test should answer within seconds: at most two tries of each request. */
  if (self->custom_retry)
    sb_dataverse_connection_set_retry_policy (self->cnc, self->retry[0], self->retry[1],
                                              self->retry[2], self->retry[3]);
  else
    sb_dataverse_connection_set_retry_policy (self->cnc, 2, 1000, 5000, 30000);
  pass (self, context, SB_CONNECTION_CHECK_SETTINGS,
        g_strdup (_ ("The URL, tenant, client ID and client secret are all entered.")));
  *out_ok = TRUE;
  return TRUE;
}

static gboolean
is_cancelled (GError *local, GError **error)
{
  if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  g_propagate_error (error, local);
  return TRUE;
}

/* Reads the user with its roles and runs the checks that need them. FALSE when cancelled. */
static gboolean
check_user (SbConnectionCheck *self, GMainContext *context, GCancellable *cancellable,
            GError **error)
{
  static const char *const select[] = { "fullname", "isdisabled", NULL };
  g_autoptr (JsonObject) user = NULL;
  g_autoptr (GPtrArray) roles = g_ptr_array_new ();
  GError *local = NULL;
  JsonArray *expanded;
  const char *name;

  user = sb_dataverse_connection_retrieve_sync (self->cnc, SB_DV_SYSTEMUSERS, self->user_id, select,
                                                "systemuserroles_association($select=name)",
                                                cancellable, &local);
  if (user == NULL)
    {
      if (is_cancelled (local, error))
        return FALSE;
      fail (self, context, SB_CONNECTION_CHECK_USER_ENABLED,
            g_strdup_printf (_ ("Salesbridge cannot read its own user in Dynamics 365 Sales. "
                                "Give the user a security role that may read users. (%s)"),
                             local->message));
      g_error_free (local);
      skip_range (self, context, SB_CONNECTION_CHECK_HAS_ROLES,
                  SB_CONNECTION_CHECK_INTEGRATION_ROLES);
      return TRUE;
    }
  name = sb_json_get_string (user, "fullname", "");
  self->user_name = g_strdup (name);

  if (sb_json_get_bool (user, "isdisabled", FALSE))
    fail (self, context, SB_CONNECTION_CHECK_USER_ENABLED,
          g_strdup_printf (_ ("The user “%s” is disabled in Dynamics 365 Sales, so it cannot "
                              "work. Enable it in the Power Platform admin center (Settings → "
                              "Users + permissions → Application users), then test again."),
                           name));
  else
    pass (self, context, SB_CONNECTION_CHECK_USER_ENABLED,
          g_strdup_printf (_ ("The user “%s” is enabled."), name));

  expanded = sb_json_get_array (user, "systemuserroles_association");
  for (guint i = 0; expanded != NULL && i < json_array_get_length (expanded); i++)
    {
      JsonNode *node = json_array_get_element (expanded, i);
      const char *role = JSON_NODE_HOLDS_OBJECT (node)
                             ? sb_json_get_string (json_node_get_object (node), "name", NULL)
                             : NULL;
      if (role != NULL)
        g_ptr_array_add (roles, (gpointer) role);
    }

  if (roles->len == 0)
    fail (self, context, SB_CONNECTION_CHECK_HAS_ROLES,
          g_strdup_printf (_ ("The user “%s” has no security role, so it may not read or write "
                              "anything. Assign it the role “%s” in the Power Platform admin "
                              "center, or deploy the integration solution."),
                           name, SB_ROLE_INTEGRATION_USER));
  else
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (guint i = 0; i < roles->len; i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", (char *) roles->pdata[i]);
      pass (self, context, SB_CONNECTION_CHECK_HAS_ROLES,
            g_strdup_printf (_ ("The user “%s” has these security roles: %s."), name, list->str));
    }

  /* By name: the role every environment has under this name (its template id is not in every
   * environment's role table, and the sandbox does not serve it). */
  if (has_role (roles, SB_ROLE_SYSTEM_ADMINISTRATOR))
    fail (self, context, SB_CONNECTION_CHECK_NOT_ADMINISTRATOR,
          g_strdup_printf (_ ("The user “%s” is a System Administrator. An integration should "
                              "have only the rights it needs: remove the role “%s” from the user "
                              "and assign the Salesbridge integration roles instead."),
                           name, SB_ROLE_SYSTEM_ADMINISTRATOR));
  else
    pass (self, context, SB_CONNECTION_CHECK_NOT_ADMINISTRATOR,
          g_strdup_printf (_ ("The user “%s” is not a System Administrator."), name));

  if (!self->setup->solution_deployed)
    set_result (self, context, SB_CONNECTION_CHECK_INTEGRATION_ROLES, SB_CHECK_RESULT_SKIPPED,
                g_strdup (_ ("The integration solution is not deployed, so its roles are not "
                             "needed yet.")));
  else
    {
      const char *wanted[] = { SB_ROLE_INTEGRATION_ADMINISTRATOR, SB_ROLE_INTEGRATION_USER };
      g_autoptr (GString) lacking = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
        if (!has_role (roles, wanted[i]))
          g_string_append_printf (lacking, "%s“%s”", lacking->len > 0 ? _ (" and ") : "",
                                  wanted[i]);
      if (lacking->len > 0)
        fail (self, context, SB_CONNECTION_CHECK_INTEGRATION_ROLES,
              g_strdup_printf (_ ("The user “%s” lacks the role %s of the integration solution. "
                                  "Assign it in the Power Platform admin center, or redeploy the "
                                  "integration solution, which assigns the roles again."),
                               name, lacking->str));
      else
        pass (self, context, SB_CONNECTION_CHECK_INTEGRATION_ROLES,
              g_strdup_printf (_ ("The user “%s” has the roles “%s” and “%s”."), name,
                               SB_ROLE_INTEGRATION_ADMINISTRATOR, SB_ROLE_INTEGRATION_USER));
    }
  return TRUE;
}

static gboolean
check_currency (SbConnectionCheck *self, GMainContext *context, GCancellable *cancellable,
                GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_TRANSACTIONCURRENCIES);
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *path = NULL;
  JsonArray *rows;

  if (*self->local_currency == '\0')
    {
      fail (self, context, SB_CONNECTION_CHECK_LOCAL_CURRENCY,
            g_strdup (_ ("No local currency is set up. Enter the local currency code in General "
                         "Setup.")));
      return TRUE;
    }
  /* A filter, not the alternate key: environments do not all define a key on isocurrencycode. */
  sb_dataverse_query_select (query, "isocurrencycode", NULL);
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_string ("isocurrencycode", SB_DATAVERSE_EQ, self->local_currency));
  sb_dataverse_query_set_top (query, 1);
  path = sb_dataverse_query_to_path (query);
  node = sb_dataverse_connection_call_sync (self->cnc, "GET", path, NULL, cancellable, &local);
  if (node == NULL)
    {
      if (is_cancelled (g_steal_pointer (&local), error))
        return FALSE;
      fail (self, context, SB_CONNECTION_CHECK_LOCAL_CURRENCY,
            g_strdup_printf (_ ("Salesbridge cannot read the currencies of Dynamics 365 Sales. "
                                "Give the user a security role that may read currencies. (%s)"),
                             local->message));
      return TRUE;
    }
  rows = JSON_NODE_HOLDS_OBJECT (node) ? sb_json_get_array (json_node_get_object (node), "value")
                                       : NULL;
  if (rows == NULL || json_array_get_length (rows) == 0)
    fail (self, context, SB_CONNECTION_CHECK_LOCAL_CURRENCY,
          g_strdup_printf (_ ("The local currency %s of your books does not exist in Dynamics "
                              "365 Sales. Add it there (Settings → Business Management → "
                              "Currencies), or correct the local currency in General Setup."),
                           self->local_currency));
  else
    pass (self, context, SB_CONNECTION_CHECK_LOCAL_CURRENCY,
          g_strdup_printf (_ ("The local currency %s exists in Dynamics 365 Sales."),
                           self->local_currency));
  return TRUE;
}

/* Runs every check on this thread, reporting to @context (NULL: emit here). FALSE only when
 * cancelled. */
static gboolean
run_checks (SbConnectionCheck *self, GMainContext *context, GCancellable *cancellable,
            GError **error)
{
  GError *local = NULL;
  gboolean ok;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !check_settings (self, context, &ok, cancellable, error))
    return FALSE;
  if (!ok)
    goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!sb_dataverse_connection_sign_in_sync (self->cnc, cancellable, &local))
    {
      if (is_cancelled (local, error))
        return FALSE;
      fail (self, context, SB_CONNECTION_CHECK_SIGN_IN, explain_sign_in_error (self, local));
      g_error_free (local);
      goto out;
    }
  pass (self, context, SB_CONNECTION_CHECK_SIGN_IN,
        g_strdup_printf (_ ("Signed in to the tenant “%s” as the client “%s”."),
                         self->setup->tenant, self->setup->client_id));

  if (!sb_dataverse_connection_who_am_i_sync (self->cnc, &self->user_id, NULL,
                                              &self->organization_id, cancellable, &local))
    {
      if (is_cancelled (local, error))
        return FALSE;
      fail (self, context, SB_CONNECTION_CHECK_WHO_AM_I, explain_web_api_error (self, local));
      g_error_free (local);
      goto out;
    }
  if (self->user_id == NULL || !sb_dataverse_is_guid (self->user_id))
    {
      fail (self, context, SB_CONNECTION_CHECK_WHO_AM_I,
            g_strdup_printf (_ ("%s answered, but not like Dynamics 365 Sales: it did not say "
                                "which user Salesbridge is. Check the URL."),
                             sb_dataverse_connection_get_base_url (self->cnc)));
      goto out;
    }
  pass (self, context, SB_CONNECTION_CHECK_WHO_AM_I,
        g_strdup_printf (_ ("Dynamics 365 Sales answers at %s."),
                         sb_dataverse_connection_get_base_url (self->cnc)));

  if (!check_user (self, context, cancellable, error) ||
      !check_currency (self, context, cancellable, error))
    return FALSE;

out:
  skip_range (self, context, 0, SB_CONNECTION_CHECK_N_CHECKS - 1);
  g_mutex_lock (&self->lock);
  self->finished = TRUE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
begin_run (SbConnectionCheck *self)
{
  gboolean started;

  g_mutex_lock (&self->lock);
  started = self->started;
  self->started = TRUE;
  g_mutex_unlock (&self->lock);
  return !started;
}

gboolean
sb_connection_check_run_sync (SbConnectionCheck *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), FALSE);
  g_return_val_if_fail (begin_run (self), FALSE);

  return run_checks (self, NULL, cancellable, error);
}

gboolean
sb_connection_check_run_in_thread (SbConnectionCheck *self, GMainContext *context,
                                   GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (self), FALSE);
  g_return_val_if_fail (begin_run (self), FALSE);

  return run_checks (self, context, cancellable, error);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbConnectionCheck *self = source;
  GError *error = NULL;

  if (run_checks (self, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sb_connection_check_run_async (SbConnectionCheck *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (SB_IS_CONNECTION_CHECK (self));

  g_task_set_source_tag (task, sb_connection_check_run_async);
  if (!begin_run (self))
    {
      g_task_return_new_error (task, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                               "The connection check has run already.");
      return;
    }
  g_task_set_task_data (task, g_main_context_ref_thread_default (),
                        (GDestroyNotify) g_main_context_unref);
  g_task_run_in_thread (task, run_thread);
}

gboolean
sb_connection_check_run_finish (SbConnectionCheck *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
