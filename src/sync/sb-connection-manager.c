/* sb-connection-manager.c
 *
 * A test or an enable is one job: the checks, then (enable) the base currency, all on one
 * worker thread with one connection; then, back on the store's thread, the results are saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-check-private.h"
#include "sb-connection-manager.h"
#include "sb-core-error.h"
#include "sb-secret-store.h"
#include "sb-setup.h"
#include "sb-sync-error.h"

struct _SbConnectionManager
{
  GObject parent_instance;

  SbStore *store;
};

G_DEFINE_FINAL_TYPE (SbConnectionManager, sb_connection_manager, G_TYPE_OBJECT)

SbDataverseConnection *
sb_connection_setup_create_connection (const SbConnectionSetup *setup, const char *secret,
                                       GError **error)
{
  g_autoptr (SbDataverseConnection) cnc = NULL;

  g_return_val_if_fail (setup != NULL, NULL);

  cnc = g_object_new (
      SB_TYPE_DATAVERSE_CONNECTION, "base-url", setup->sales_url, "tenant", setup->tenant,
      "client-id", setup->client_id, "authority",
      *setup->authority != '\0' ? setup->authority : SB_CONNECTION_DEFAULT_AUTHORITY, "api-version",
      *setup->api_version != '\0' ? setup->api_version : SB_CONNECTION_DEFAULT_API_VERSION, NULL);
  if (!sb_dataverse_connection_check (cnc, error))
    return NULL;
  if (secret != NULL)
    sb_dataverse_connection_set_client_secret (cnc, secret);
  return g_steal_pointer (&cnc);
}

static void
sb_connection_manager_finalize (GObject *object)
{
  SbConnectionManager *self = SB_CONNECTION_MANAGER (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (sb_connection_manager_parent_class)->finalize (object);
}

static void
sb_connection_manager_class_init (SbConnectionManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_connection_manager_finalize;
}

static void
sb_connection_manager_init (SbConnectionManager *self)
{
}

SbConnectionManager *
sb_connection_manager_new (SbStore *store)
{
  SbConnectionManager *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_CONNECTION_MANAGER, NULL);
  self->store = g_object_ref (store);
  return self;
}

SbStore *
sb_connection_manager_get_store (SbConnectionManager *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), NULL);
  return self->store;
}

/* Saves, clears or moves one secret so it stays under the URL and account it is used with. */
static gboolean
update_secret (SbSecretKind kind, const char *old_url, const char *old_account, const char *new_url,
               const char *new_account, const char *secret, GCancellable *cancellable,
               GError **error)
{
  gboolean moved = g_strcmp0 (old_url, new_url) != 0 || g_strcmp0 (old_account, new_account) != 0;
  gboolean old_blank = *old_url == '\0' && *old_account == '\0';
  char *old_secret = NULL;
  gboolean ok = TRUE;

  if (secret != NULL && *secret != '\0')
    {
      if (*new_url == '\0' || *new_account == '\0')
        {
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                       kind == SB_SECRET_CLIENT_SECRET
                           ? _ ("Enter the Dynamics 365 Sales URL and the client ID together "
                                "with the client secret.")
                           : _ ("Enter the item availability URL and user name together with "
                                "the access key."));
          return FALSE;
        }
      if (!sb_secret_store_save_sync (kind, new_url, new_account, secret, cancellable, error))
        return FALSE;
    }
  else if (secret != NULL)
    {
      if (!sb_secret_store_clear_sync (kind, new_url, new_account, cancellable, error))
        return FALSE;
    }
  else if (moved && !old_blank && *new_url != '\0' && *new_account != '\0')
    {
      old_secret = sb_secret_store_lookup_sync (kind, old_url, old_account, cancellable, error);
      if (old_secret == NULL && error != NULL && *error != NULL)
        return FALSE;
      if (old_secret != NULL)
        ok = sb_secret_store_save_sync (kind, new_url, new_account, old_secret, cancellable, error);
      sb_secret_store_free (old_secret);
      if (!ok)
        return FALSE;
    }
  /* The old item is not used any more: leave no stray secrets in the keyring. */
  if (moved && !old_blank)
    return sb_secret_store_clear_sync (kind, old_url, old_account, cancellable, error);
  return TRUE;
}

gboolean
sb_connection_manager_save_sync (SbConnectionManager *self, SbConnectionSetup *setup,
                                 const char *client_secret, const char *access_key,
                                 GCancellable *cancellable, GError **error)
{
  g_autoptr (SbConnectionSetup) old = NULL;

  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (setup != NULL, FALSE);

  /* Validate first, so no secret is kept for settings that cannot be saved. */
  if (!sb_connection_setup_validate (setup, error))
    return FALSE;
  old = sb_connection_setup_get (self->store, error);
  if (old == NULL)
    return FALSE;
  return update_secret (SB_SECRET_CLIENT_SECRET, old->sales_url, old->client_id, setup->sales_url,
                        setup->client_id, client_secret, cancellable, error) &&
         update_secret (SB_SECRET_ITEM_AVAILABILITY_KEY, old->item_availability_url,
                        old->item_availability_user, setup->item_availability_url,
                        setup->item_availability_user, access_key, cancellable, error) &&
         sb_connection_setup_update (self->store, setup, error);
}

typedef struct
{
  SbConnectionSetup *old;
  SbConnectionSetup *setup;
  char *client_secret;
  char *access_key;
} SaveJob;

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
save_job_free (SaveJob *job)
{
  sb_connection_setup_free (job->old);
  sb_connection_setup_free (job->setup);
  wipe (job->client_secret);
  wipe (job->access_key);
  g_free (job);
}

static void
save_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (update_secret (SB_SECRET_CLIENT_SECRET, job->old->sales_url, job->old->client_id,
                     job->setup->sales_url, job->setup->client_id, job->client_secret, cancellable,
                     &error) &&
      update_secret (SB_SECRET_ITEM_AVAILABILITY_KEY, job->old->item_availability_url,
                     job->old->item_availability_user, job->setup->item_availability_url,
                     job->setup->item_availability_user, job->access_key, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
saved_secrets_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbConnectionManager *self = SB_CONNECTION_MANAGER (source);
  g_autoptr (GTask) outer = user_data;
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      sb_connection_setup_update (self->store, job->setup, &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

void
sb_connection_manager_save_async (SbConnectionManager *self, const SbConnectionSetup *setup,
                                  const char *client_secret, const char *access_key,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) inner = NULL;
  g_autoptr (SbConnectionSetup) old = NULL;
  SaveJob *job;
  GError *error = NULL;

  g_return_if_fail (SB_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (setup != NULL);

  g_task_set_source_tag (outer, sb_connection_manager_save_async);
  if (!sb_connection_setup_validate (setup, &error) ||
      (old = sb_connection_setup_get (self->store, &error)) == NULL)
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  job = g_new0 (SaveJob, 1);
  job->old = g_steal_pointer (&old);
  job->setup = sb_connection_setup_copy (setup);
  job->client_secret = g_strdup (client_secret);
  job->access_key = g_strdup (access_key);
  inner = g_task_new (self, cancellable, saved_secrets_cb, outer);
  g_task_set_task_data (inner, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (inner, save_thread);
}

gboolean
sb_connection_manager_save_finish (SbConnectionManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sb_connection_manager_has_client_secret_sync (SbConnectionManager *self, gboolean *out_has_secret,
                                              GCancellable *cancellable, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GError) local = NULL;
  char *secret;

  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), FALSE);

  *out_has_secret = FALSE;
  setup = sb_connection_setup_get (self->store, error);
  if (setup == NULL)
    return FALSE;
  if (*setup->sales_url == '\0' || *setup->client_id == '\0')
    return TRUE;
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id,
                                        cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *out_has_secret = secret != NULL && *secret != '\0';
  sb_secret_store_free (secret);
  return TRUE;
}

SbConnectionCheck *
sb_connection_manager_create_check (SbConnectionManager *self, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;

  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), NULL);

  setup = sb_connection_setup_get (self->store, error);
  if (setup == NULL)
    return NULL;
  general = sb_general_setup_get (self->store, error);
  if (general == NULL)
    return NULL;
  return sb_connection_check_new (setup, general->local_currency_code);
}

/* ------------------------------------------------------------------------------------------ */
/* Test and enable                                                                             */

typedef struct
{
  SbConnectionCheck *check;
  GMainContext *context; /* where "check-finished" goes; NULL for the sync variants */
  gboolean enable;
  char *currency_code;
  char *currency_symbol;
  gint64 currency_precision;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->check);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->currency_code);
  g_free (job->currency_symbol);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (SbConnectionCheck *check, gboolean enable, gboolean async)
{
  Job *job = g_new0 (Job, 1);

  job->check = g_object_ref (check);
  job->enable = enable;
  if (async)
    job->context = g_main_context_ref_thread_default ();
  return job;
}

/* Dataverse's base currency: the organization's basecurrencyid (dataverse-web-api.md,
 * transactioncurrency). */
static gboolean
read_base_currency (Job *job, GCancellable *cancellable, GError **error)
{
  static const char *const select[] = { "name", NULL };
  SbDataverseConnection *cnc = sb_connection_check_get_connection (job->check);
  const char *org_id = sb_connection_check_get_organization_id (job->check);
  g_autoptr (JsonObject) org = NULL;
  g_autoptr (GError) local = NULL;
  JsonObject *currency;
  const char *code;

  if (org_id == NULL || !sb_dataverse_is_guid (org_id))
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("Dynamics 365 Sales did not say which organization it is, so its base "
                      "currency cannot be read."));
      return FALSE;
    }
  org = sb_dataverse_connection_retrieve_sync (
      cnc, "organizations", org_id, select,
      "basecurrencyid($select=isocurrencycode,currencyprecision,currencysymbol)", cancellable,
      &local);
  if (org == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                     _ ("Salesbridge cannot read the base currency of Dynamics 365 Sales: %s"),
                     local->message);
      return FALSE;
    }
  currency = sb_json_get_object (org, "basecurrencyid");
  code = sb_json_get_string (currency, "isocurrencycode", NULL);
  if (code == NULL || *code == '\0')
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("Dynamics 365 Sales has no base currency set up. Set one in its "
                      "organization settings, then enable the connection again."));
      return FALSE;
    }
  job->currency_code = g_strdup (code);
  job->currency_symbol = g_strdup (sb_json_get_string (currency, "currencysymbol", ""));
  job->currency_precision = CLAMP (sb_json_get_int (currency, "currencyprecision", 2), 0, 10);
  return TRUE;
}

static gboolean
job_run (Job *job, GCancellable *cancellable, GError **error)
{
  SbConnectionCheckId failed;

  if (!sb_connection_check_run_in_thread (job->check, job->context, cancellable, error))
    return FALSE;
  failed = sb_connection_check_get_first_failure (job->check);
  if (failed != SB_CONNECTION_CHECK_N_CHECKS)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED,
                   /* TRANSLATORS: "<check title>: <what is wrong and what to do>" */
                   _ ("%s: %s"), sb_connection_check_get_title (failed),
                   sb_connection_check_get_message (job->check, failed));
      return FALSE;
    }
  return !job->enable || read_base_currency (job, cancellable, error);
}

/* On the store's thread, after a job that passed. */
static gboolean
job_apply (SbConnectionManager *self, Job *job, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (self->store, error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  if (setup == NULL)
    return FALSE;
  g_free (setup->last_test_at);
  setup->last_test_at = g_date_time_format_iso8601 (now);
  if (job->enable)
    {
      g_free (setup->base_currency_code);
      setup->base_currency_code = g_strdup (job->currency_code);
      g_free (setup->base_currency_symbol);
      setup->base_currency_symbol = g_strdup (job->currency_symbol);
      setup->base_currency_precision = job->currency_precision;
      setup->is_enabled = TRUE;
    }
  return sb_connection_setup_update (self->store, setup, error);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (job_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
job_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbConnectionManager *self = SB_CONNECTION_MANAGER (source);
  g_autoptr (GTask) outer = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      job_apply (self, g_task_get_task_data (G_TASK (result)), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

static void
start_job (SbConnectionManager *self, SbConnectionCheck *check, gboolean enable,
           gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
           gpointer user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (GTask) inner = g_task_new (self, cancellable, job_done_cb, outer);

  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (inner, job_new (check, enable, TRUE), (GDestroyNotify) job_free);
  g_task_run_in_thread (inner, job_thread);
}

static gboolean
run_job_sync (SbConnectionManager *self, SbConnectionCheck *check, gboolean enable,
              GCancellable *cancellable, GError **error)
{
  g_autoptr (Job) job = job_new (check, enable, FALSE);

  return job_run (job, cancellable, error) && job_apply (self, job, error);
}

gboolean
sb_connection_manager_test_sync (SbConnectionManager *self, SbConnectionCheck *check,
                                 GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (check), FALSE);

  return run_job_sync (self, check, FALSE, cancellable, error);
}

void
sb_connection_manager_test_async (SbConnectionManager *self, SbConnectionCheck *check,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_return_if_fail (SB_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (SB_IS_CONNECTION_CHECK (check));

  start_job (self, check, FALSE, sb_connection_manager_test_async, cancellable, callback,
             user_data);
}

gboolean
sb_connection_manager_test_finish (SbConnectionManager *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sb_connection_manager_enable_sync (SbConnectionManager *self, SbConnectionCheck *check,
                                   GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), FALSE);
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK (check), FALSE);

  return run_job_sync (self, check, TRUE, cancellable, error);
}

void
sb_connection_manager_enable_async (SbConnectionManager *self, SbConnectionCheck *check,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  g_return_if_fail (SB_IS_CONNECTION_MANAGER (self));
  g_return_if_fail (SB_IS_CONNECTION_CHECK (check));

  start_job (self, check, TRUE, sb_connection_manager_enable_async, cancellable, callback,
             user_data);
}

gboolean
sb_connection_manager_enable_finish (SbConnectionManager *self, GAsyncResult *result,
                                     GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sb_connection_manager_disable (SbConnectionManager *self, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = NULL;

  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), FALSE);

  setup = sb_connection_setup_get (self->store, error);
  if (setup == NULL)
    return FALSE;
  if (!setup->is_enabled)
    return TRUE;
  setup->is_enabled = FALSE;
  return sb_connection_setup_update (self->store, setup, error);
}

SbDataverseConnection *
sb_connection_manager_create_connection_sync (SbConnectionManager *self, GCancellable *cancellable,
                                              GError **error)
{
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GError) local = NULL;
  SbDataverseConnection *cnc;
  char *secret;

  g_return_val_if_fail (SB_IS_CONNECTION_MANAGER (self), NULL);

  setup = sb_connection_setup_get (self->store, error);
  if (setup == NULL)
    return NULL;
  if (!setup->is_enabled)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_DISABLED,
                   _ ("The connection to Dynamics 365 Sales is not enabled. Enable it in the "
                      "connection settings first."));
      return NULL;
    }
  secret = sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, setup->sales_url, setup->client_id,
                                        cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (secret == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                   _ ("No client secret for the client ID “%s” is stored in your keyring. Enter "
                      "the client secret in the connection settings."),
                   setup->client_id);
      return NULL;
    }
  cnc = sb_connection_setup_create_connection (setup, secret, error);
  sb_secret_store_free (secret);
  return cnc;
}
