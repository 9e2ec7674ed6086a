/* sb-secret-store.h: the client secret and the item availability access key in the keyring
 *
 * Secrets are kept by the user's Secret Service (GNOME Keyring, KeePassXC, …) through libsecret,
 * never in the company database, GSettings, logs or command lines. Items are found by schema
 * "io.github.salesbridge.Salesbridge.Credentials" with the attributes "kind" (what the secret
 * is), "url" (where it is used) and "account" (the client id, or the web service user name), so
 * two companies connected to different environments keep separate secrets.
 *
 * Errors: SB_SYNC_ERROR_KEYRING, worded for users (install or unlock a keyring), or
 * G_IO_ERROR_CANCELLED. The _sync functions block on D-Bus and may be called from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SB_SECRET_CLIENT_SECRET,         /* OAuth client secret: url = Sales URL, account = client id */
  SB_SECRET_ITEM_AVAILABILITY_KEY, /* access key: url = web service URL, account = user name */
} SbSecretKind;

gboolean sb_secret_store_save_sync (SbSecretKind kind, const char *url, const char *account,
                                    const char *secret, GCancellable *cancellable, GError **error);
/* Returns the secret, or NULL: with @error set when the keyring failed, without when no secret
 * is stored. Free with sb_secret_store_free(). */
char *sb_secret_store_lookup_sync (SbSecretKind kind, const char *url, const char *account,
                                   GCancellable *cancellable, GError **error);
/* Removes the secret; TRUE also when there was none. */
gboolean sb_secret_store_clear_sync (SbSecretKind kind, const char *url, const char *account,
                                     GCancellable *cancellable, GError **error);

void sb_secret_store_save_async (SbSecretKind kind, const char *url, const char *account,
                                 const char *secret, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_secret_store_save_finish (GAsyncResult *result, GError **error);
void sb_secret_store_lookup_async (SbSecretKind kind, const char *url, const char *account,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data);
char *sb_secret_store_lookup_finish (GAsyncResult *result, GError **error);
void sb_secret_store_clear_async (SbSecretKind kind, const char *url, const char *account,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean sb_secret_store_clear_finish (GAsyncResult *result, GError **error);

/* Wipes and frees a secret returned above (NULL is fine). */
void sb_secret_store_free (char *secret);

G_END_DECLS
