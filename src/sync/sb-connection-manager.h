/* sb-connection-manager.h: saving, testing, enabling and disabling the Dynamics 365 Sales
 * connection of one company
 *
 * The manager lives on the thread that owns the store (the main thread in the app): it reads
 * and writes the connection setup there, and does the network and keyring work of a test or an
 * enable on a worker thread. Progress of the checks comes as "check-finished" of the
 * SbConnectionCheck it is given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-connection-check.h"
#include "sb-connection-setup.h"
#include "sb-dataverse.h"
#include "sb-store.h"

G_BEGIN_DECLS

/* A connection for @setup with @secret (may be NULL: set it later). Fails with
 * SB_DATAVERSE_ERROR_INVALID_URL when the URL or authority is not acceptable. */
SbDataverseConnection *sb_connection_setup_create_connection (const SbConnectionSetup *setup,
                                                              const char *secret, GError **error);

#define SB_TYPE_CONNECTION_MANAGER (sb_connection_manager_get_type ())
G_DECLARE_FINAL_TYPE (SbConnectionManager, sb_connection_manager, SB, CONNECTION_MANAGER, GObject)

SbConnectionManager *sb_connection_manager_new (SbStore *store);

SbStore *sb_connection_manager_get_store (SbConnectionManager *self);

/* Validates and saves @setup. @client_secret (NULL: keep the stored one) goes to the keyring,
 * under the setup's URL and client id; when those changed and no new secret is given, the
 * stored secret moves with them. The same for @access_key and the item availability web
 * service. An empty string removes a secret. Blocks on the keyring (D-Bus). */
gboolean sb_connection_manager_save_sync (SbConnectionManager *self, SbConnectionSetup *setup,
                                          const char *client_secret, const char *access_key,
                                          GCancellable *cancellable, GError **error);

/* The same without blocking: the keyring work on a worker thread, the store write back on the
 * caller's thread (which must own the store). @setup is copied; the secrets too. */
void sb_connection_manager_save_async (SbConnectionManager *self, const SbConnectionSetup *setup,
                                       const char *client_secret, const char *access_key,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean sb_connection_manager_save_finish (SbConnectionManager *self, GAsyncResult *result,
                                            GError **error);

/* TRUE when a client secret for the stored setup is in the keyring. Blocks on the keyring. */
gboolean sb_connection_manager_has_client_secret_sync (SbConnectionManager *self,
                                                       gboolean *out_has_secret,
                                                       GCancellable *cancellable, GError **error);

/* A check of the stored settings and the general setup's local currency. */
SbConnectionCheck *sb_connection_manager_create_check (SbConnectionManager *self, GError **error);

/* Runs @check (from sb_connection_manager_create_check(), not run yet) and, when every check
 * passed, records the time as the last successful test. FALSE with SB_SYNC_ERROR_CHECK_FAILED
 * when a check failed (its message is the first failure's; the check has all of them). */
gboolean sb_connection_manager_test_sync (SbConnectionManager *self, SbConnectionCheck *check,
                                          GCancellable *cancellable, GError **error);
void sb_connection_manager_test_async (SbConnectionManager *self, SbConnectionCheck *check,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean sb_connection_manager_test_finish (SbConnectionManager *self, GAsyncResult *result,
                                            GError **error);

/* Runs @check; when every check passed, reads Dataverse's base currency (the organization's
 * basecurrencyid → transactioncurrency), stores its ISO code, precision and symbol, and turns
 * the connection on. Errors as for test. */
gboolean sb_connection_manager_enable_sync (SbConnectionManager *self, SbConnectionCheck *check,
                                            GCancellable *cancellable, GError **error);
void sb_connection_manager_enable_async (SbConnectionManager *self, SbConnectionCheck *check,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
gboolean sb_connection_manager_enable_finish (SbConnectionManager *self, GAsyncResult *result,
                                              GError **error);

/* Turns the connection off; settings and secrets stay. */
gboolean sb_connection_manager_disable (SbConnectionManager *self, GError **error);

/* A connection for the stored, enabled setup with the keyring's secret, for synchronization.
 * SB_SYNC_ERROR_DISABLED when the connection is off, SB_SYNC_ERROR_NOT_CONFIGURED without a
 * secret. Blocks on the keyring. */
SbDataverseConnection *sb_connection_manager_create_connection_sync (SbConnectionManager *self,
                                                                     GCancellable *cancellable,
                                                                     GError **error);

G_END_DECLS
