/* sb-secret-store.c
 *
 * Through libsecret's simple password API. Inside Flatpak, libsecret (0.20 and later) notices
 * the sandbox and keeps secrets in an app-local keyring file whose key comes from the Secret
 * portal (org.freedesktop.portal.Secret), so the same calls work there without a hole in the
 * sandbox to the host's Secret Service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sb-secret-store.h"
#include "sb-sync-error.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.salesbridge.Salesbridge.Credentials",
    SECRET_SCHEMA_NONE,
    {
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };

  return &schema;
}

static const char *
kind_name (SbSecretKind kind)
{
  return kind == SB_SECRET_CLIENT_SECRET ? "client-secret" : "item-availability-key";
}

static GHashTable *
attributes_new (SbSecretKind kind, const char *url, const char *account)
{
  /* The values are copies: libsecret's async calls keep the table and read
   * it after they return, when the caller's strings may be gone. */
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, "kind", g_strdup (kind_name (kind)));
  g_hash_table_insert (attributes, "url", g_strdup (url != NULL ? url : ""));
  g_hash_table_insert (attributes, "account", g_strdup (account != NULL ? account : ""));
  return attributes;
}

/* libsecret reports a missing Secret Service as a D-Bus error ("org.freedesktop.secrets was not
 * provided by any .service files"), a missing session bus as an I/O error: neither tells a user
 * what to do, so every failure but cancellation becomes one explanation with the detail after. */
static void
propagate (SbSecretKind kind, GError *local, GCancellable *cancellable, GError **error)
{
  const char *what = kind == SB_SECRET_CLIENT_SECRET ? _ ("the client secret")
                                                     : _ ("the item availability access key");
  g_autofree char *detail = NULL;

  if (local != NULL && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (cancellable))
    {
      g_propagate_error (error, local);
      return;
    }
  if (local != NULL)
    {
      g_dbus_error_strip_remote_error (local);
      detail = g_strdup (local->message);
      g_error_free (local);
    }
  else
    detail = g_strdup (_ ("the keyring was not unlocked"));
  g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_KEYRING,
               /* TRANSLATORS: first %s is "the client secret" or "the item availability access
                  key", second a technical detail */
               _ ("Salesbridge cannot reach your keyring to keep %s (%s). Install a keyring "
                  "service such as GNOME Keyring, make sure it is running and unlocked, then "
                  "try again."),
               what, detail);
}

static char *
item_label (SbSecretKind kind, const char *url)
{
  /* Shown in keyring managers such as Seahorse, so users know what an item is for. */
  return kind == SB_SECRET_CLIENT_SECRET
             ? g_strdup_printf (_ ("Salesbridge client secret for %s"), url)
             : g_strdup_printf (_ ("Salesbridge item availability access key for %s"), url);
}

gboolean
sb_secret_store_save_sync (SbSecretKind kind, const char *url, const char *account,
                           const char *secret, GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  g_autofree char *label = item_label (kind, url);
  GError *local = NULL;

  if (secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                                   secret, cancellable, &local))
    return TRUE;
  propagate (kind, local, cancellable, error);
  return FALSE;
}

char *
sb_secret_store_lookup_sync (SbSecretKind kind, const char *url, const char *account,
                             GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  GError *local = NULL;
  char *secret;

  secret = secret_password_lookupv_sync (get_schema (), attributes, cancellable, &local);
  if (local != NULL)
    {
      propagate (kind, local, cancellable, error);
      return NULL;
    }
  return secret;
}

gboolean
sb_secret_store_clear_sync (SbSecretKind kind, const char *url, const char *account,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  GError *local = NULL;

  /* FALSE without an error means there was nothing to remove. */
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &local);
  if (local != NULL)
    {
      propagate (kind, local, cancellable, error);
      return FALSE;
    }
  return TRUE;
}

void
sb_secret_store_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

/* The async variants run libsecret's own async calls; the task carries the kind for the error
 * message. */

static void
stored_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *local = NULL;

  if (secret_password_store_finish (result, &local))
    g_task_return_boolean (task, TRUE);
  else
    {
      GError *error = NULL;

      propagate (GPOINTER_TO_INT (g_task_get_task_data (task)), local,
                 g_task_get_cancellable (task), &error);
      g_task_return_error (task, error);
    }
}

void
sb_secret_store_save_async (SbSecretKind kind, const char *url, const char *account,
                            const char *secret, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  g_autofree char *label = item_label (kind, url);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_secret_store_save_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, stored_cb, task);
}

gboolean
sb_secret_store_save_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
looked_up_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *local = NULL;
  char *secret = secret_password_lookup_finish (result, &local);

  if (local == NULL)
    g_task_return_pointer (task, secret, (GDestroyNotify) sb_secret_store_free);
  else
    {
      GError *error = NULL;

      propagate (GPOINTER_TO_INT (g_task_get_task_data (task)), local,
                 g_task_get_cancellable (task), &error);
      g_task_return_error (task, error);
    }
}

void
sb_secret_store_lookup_async (SbSecretKind kind, const char *url, const char *account,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_secret_store_lookup_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  secret_password_lookupv (get_schema (), attributes, cancellable, looked_up_cb, task);
}

char *
sb_secret_store_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *local = NULL;

  secret_password_clear_finish (result, &local);
  if (local == NULL)
    g_task_return_boolean (task, TRUE);
  else
    {
      GError *error = NULL;

      propagate (GPOINTER_TO_INT (g_task_get_task_data (task)), local,
                 g_task_get_cancellable (task), &error);
      g_task_return_error (task, error);
    }
}

void
sb_secret_store_clear_async (SbSecretKind kind, const char *url, const char *account,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GHashTable) attributes = attributes_new (kind, url, account);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_secret_store_clear_async);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);
  secret_password_clearv (get_schema (), attributes, cancellable, cleared_cb, task);
}

gboolean
sb_secret_store_clear_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
