/* sb-sandbox-server.h: salesbridge-sandbox as a library.
 *
 * Serves a Dataverse-compatible Web API and token endpoint on 127.0.0.1. The SoupServer, the
 * SQLite connection and all request handling live on a thread of their own with its own
 * GMainContext, so a client in the same process, even one blocking its main thread on
 * synchronous calls, never deadlocks against it.
 *
 * Configure with the setters before sb_sandbox_server_start(); the object is then read-only
 * until sb_sandbox_server_stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-sandbox-limits.h"

G_BEGIN_DECLS

#define SB_TYPE_SANDBOX_SERVER (sb_sandbox_server_get_type ())
G_DECLARE_FINAL_TYPE (SbSandboxServer, sb_sandbox_server, SB, SANDBOX_SERVER, GObject)

#define SB_SANDBOX_DEFAULT_SECRET "sandbox"
#define SB_SANDBOX_INTEGRATION_CLIENT "salesbridge-integration"
#define SB_SANDBOX_SALES_CLIENT "sales-user"

/* A server with the two default clients, an in-memory database, Dataverse's default limits
 * and no faults. */
SbSandboxServer *sb_sandbox_server_new (void);

/* NULL (the default) keeps the database in memory. */
void sb_sandbox_server_set_db_path (SbSandboxServer *self, const char *path);
void sb_sandbox_server_set_seed_demo (SbSandboxServer *self, gboolean seed_demo);
void sb_sandbox_server_set_extra_accounts (SbSandboxServer *self, guint n);
/* See sb-sandbox-faults.h for the syntax; NULL or "" for none. */
gboolean sb_sandbox_server_set_faults (SbSandboxServer *self, const char *spec, GError **error);
/* Adds (or replaces, same id) a client acting as a salesperson systemuser. */
void sb_sandbox_server_add_client (SbSandboxServer *self, const char *client_id, const char *secret,
                                   const char *fullname);
void sb_sandbox_server_set_limits (SbSandboxServer *self, const SbSandboxLimitsConfig *limits);
void sb_sandbox_server_set_token_lifetime (SbSandboxServer *self, guint seconds);
void sb_sandbox_server_set_delta_token_lifetime (SbSandboxServer *self, guint seconds);
/* Largest accepted request body (default 32 MiB; $batch 128 MiB). */
void sb_sandbox_server_set_max_body (SbSandboxServer *self, gsize bytes);

/* Opens the database, seeds it and listens on 127.0.0.1:@port (0 = any free port). Blocks
 * until the server accepts connections or failed. */
gboolean sb_sandbox_server_start (SbSandboxServer *self, guint port, GError **error);
/* "http://127.0.0.1:PORT/"; NULL before start. */
const char *sb_sandbox_server_get_base_url (SbSandboxServer *self);
guint sb_sandbox_server_get_port (SbSandboxServer *self);
/* The systemuser id a client acts as (stable across runs). Free with g_free(). */
char *sb_sandbox_server_dup_user_id (SbSandboxServer *self, const char *client_id);
/* Finishes the request in progress, closes the database and joins the thread. Idempotent. */
void sb_sandbox_server_stop (SbSandboxServer *self);

G_END_DECLS
