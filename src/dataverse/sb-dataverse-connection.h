/* sb-dataverse-connection.h: a connection to one Dataverse environment (Web API v9.x).
 *
 * Follows ../shared/reference/dataverse-web-api.md (Microsoft's "Use the Dataverse Web API").
 * One SoupSession, one OAuth 2.0 client-credentials token (cached, refreshed 5 minutes before it
 * expires, one refresh at a time) and one request path for every call: OData headers, a single
 * refresh-and-retry on 401, Retry-After on 429/503 shared by every request of the connection,
 * bounded retries of network errors for idempotent requests, JSON errors turned into
 * SB_DATAVERSE_ERROR with the HTTP status and Dataverse error code (sb-dataverse-error.h).
 *
 * Threads: the _sync functions block and may be called from any thread, several at once (the
 * sync engine calls them from its own thread). Each _async function runs its _sync twin on a
 * worker thread and calls back on the thread-default main context of the caller; page callbacks
 * of the async reads too (the worker waits for each, so one page at a time is in memory).
 * Configure the connection (properties, secret, retry policy) before the first request.
 *
 * Keys: where a function takes @key, it is either a GUID ("00000000-…") or an alternate key as
 * built by sb_dataverse_alternate_key() ("accountnumber='C0001'"), unencoded; the connection
 * percent-encodes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-dataverse-batch.h"
#include "sb-dataverse-error.h"
#include "sb-dataverse-query.h"

G_BEGIN_DECLS

#define SB_DATAVERSE_DEFAULT_AUTHORITY "https://login.microsoftonline.com/"
#define SB_DATAVERSE_DEFAULT_API_VERSION "9.2"

#define SB_TYPE_DATAVERSE_CONNECTION (sb_dataverse_connection_get_type ())
G_DECLARE_FINAL_TYPE (SbDataverseConnection, sb_dataverse_connection, SB, DATAVERSE_CONNECTION,
                      GObject)

/* Checks a URL the user typed for the environment or the sign-in authority: absolute, and https
 * unless the host is a loopback address (127.0.0.0/8, ::1, localhost). The error is
 * SB_DATAVERSE_ERROR_INVALID_URL, worded for users. */
gboolean sb_dataverse_check_url (const char *url, GError **error);

/* @base_url: the environment's URL ("https://org.crm4.dynamics.com/"; a pasted Web API endpoint
 * ".../api/data/v9.2/" is accepted too). @tenant: directory (tenant) id or domain. Returns NULL
 * and sets SB_DATAVERSE_ERROR_INVALID_URL when @base_url is not acceptable. Properties
 * "authority" and "api-version" keep their defaults; use g_object_new() to set them. */
SbDataverseConnection *sb_dataverse_connection_new (const char *base_url, const char *tenant,
                                                    const char *client_id, GError **error);

/* Checks "base-url" and "authority" as sb_dataverse_check_url() does. Requests made while the
 * configuration is invalid fail with this same error. */
gboolean sb_dataverse_connection_check (SbDataverseConnection *self, GError **error);

/* The normalized environment URL, always ending in "/". */
const char *sb_dataverse_connection_get_base_url (SbDataverseConnection *self);
/* base URL + "api/data/v<api-version>/". */
const char *sb_dataverse_connection_get_api_url (SbDataverseConnection *self);
const char *sb_dataverse_connection_get_api_version (SbDataverseConnection *self);
const char *sb_dataverse_connection_get_authority (SbDataverseConnection *self);
const char *sb_dataverse_connection_get_tenant (SbDataverseConnection *self);
const char *sb_dataverse_connection_get_client_id (SbDataverseConnection *self);

/* The client secret: kept in memory only, never a property, never logged. Setting it drops the
 * cached token. */
void sb_dataverse_connection_set_client_secret (SbDataverseConnection *self, const char *secret);

/* Retries: at most @max_attempts sends of one request (429/503 and network errors together),
 * exponential backoff from @base_delay_ms doubling up to @max_delay_ms with jitter when the
 * server gives no Retry-After; a Retry-After longer than @max_wait_ms fails at once with
 * SB_DATAVERSE_ERROR_THROTTLED instead of waiting. Defaults 6, 1000, 60000, 300000. */
void sb_dataverse_connection_set_retry_policy (SbDataverseConnection *self, guint max_attempts,
                                               guint base_delay_ms, guint max_delay_ms,
                                               guint max_wait_ms);

/* Requests sent on the wire so far (retries count), for tests and statistics. */
guint64 sb_dataverse_connection_get_n_sent (SbDataverseConnection *self);

/* ------------------------------------------------------------------------------------------ */
/* Synchronous API (blocking; any thread)                                                      */

/* Gets a fresh token now (drops any cached one). The first check of "Test connection". */
gboolean sb_dataverse_connection_sign_in_sync (SbDataverseConnection *self,
                                               GCancellable *cancellable, GError **error);

/* GET WhoAmI. Any out argument may be NULL. */
gboolean sb_dataverse_connection_who_am_i_sync (SbDataverseConnection *self, char **out_user_id,
                                                char **out_business_unit_id,
                                                char **out_organization_id,
                                                GCancellable *cancellable, GError **error);

/* Any request below the API root (@path: "WhoAmI", "accounts(…)/Microsoft.Dynamics.CRM.X"), for
 * functions and actions without a typed wrapper. @body may be NULL. Returns the answer's JSON,
 * or a JSON null node for an empty answer (204). */
JsonNode *sb_dataverse_connection_call_sync (SbDataverseConnection *self, const char *method,
                                             const char *path, JsonNode *body,
                                             GCancellable *cancellable, GError **error);

/* GET <set>(<key>)?$select=…&$expand=…  @select: NULL-terminated, may be NULL (all columns);
 * @expand: a raw $expand value or NULL. Returns the record; SB_DATAVERSE_ERROR_NOT_FOUND when
 * missing. Annotations (formatted values, lookup names) are requested. */
JsonObject *sb_dataverse_connection_retrieve_sync (SbDataverseConnection *self,
                                                   const char *entity_set, const char *key,
                                                   const char *const *select, const char *expand,
                                                   GCancellable *cancellable, GError **error);

/* POST <set>. Returns the new record's id (from OData-EntityId). When @record holds the primary
 * key ("accountid", see sb-dataverse-tables.h) the create is safe to retry after a lost
 * connection, and is retried; a retry answered "already exists" then counts as success. With
 * @out_representation non-NULL, asks for return=representation and returns the record. */
char *sb_dataverse_connection_create_sync (SbDataverseConnection *self, const char *entity_set,
                                           JsonObject *record, JsonObject **out_representation,
                                           GCancellable *cancellable, GError **error);

typedef enum
{
  SB_DATAVERSE_WRITE_UPDATE,      /* If-Match: @etag or "*": update only; 404 when missing */
  SB_DATAVERSE_WRITE_UPSERT,      /* no If-Match: update, or create with this key */
  SB_DATAVERSE_WRITE_CREATE_ONLY, /* If-None-Match: *: create only; DUPLICATE when it exists */
} SbDataverseWriteMode;

/* PATCH <set>(<key>). @etag: for SB_DATAVERSE_WRITE_UPDATE, the record's "@odata.etag" (412 →
 * SB_DATAVERSE_ERROR_CONFLICT, "changed by someone else") or NULL for "*". @out_id: the record's
 * id when the answer names it (upsert/create), else NULL. @out_representation as for create. */
gboolean sb_dataverse_connection_write_sync (SbDataverseConnection *self, const char *entity_set,
                                             const char *key, JsonObject *record,
                                             SbDataverseWriteMode mode, const char *etag,
                                             char **out_id, JsonObject **out_representation,
                                             GCancellable *cancellable, GError **error);

/* DELETE <set>(<key>); @etag NULL for unconditional. SB_DATAVERSE_ERROR_NOT_FOUND when missing. */
gboolean sb_dataverse_connection_delete_sync (SbDataverseConnection *self, const char *entity_set,
                                              const char *key, const char *etag,
                                              GCancellable *cancellable, GError **error);

/* One page of a read, valid during the callback only (ref what you keep). */
typedef struct
{
  JsonArray *rows;            /* records: all, or created/changed ones in a delta read */
  const char *const *removed; /* ids deleted since the delta link; empty, never NULL */
  guint index;                /* 0 for the first page */
  gboolean full_read;         /* rows are the whole table (first read, or delta fallback) */
} SbDataversePage;

/* Return FALSE to stop reading (set @error to fail the read; leave it unset to stop quietly). */
typedef gboolean (*SbDataversePageFunc) (const SbDataversePage *page, gpointer user_data,
                                         GError **error);

/* Reads every row of @query, page by page (Prefer: odata.maxpagesize; @odata.nextLink followed
 * unchanged, and only to the configured host, else SB_DATAVERSE_ERROR_UNSAFE_LINK). No row is
 * kept after its page's callback returns. When the query tracks changes, @out_delta_link gets
 * the @odata.deltaLink of the last page (NULL otherwise). */
gboolean sb_dataverse_connection_query_sync (SbDataverseConnection *self, SbDataverseQuery *query,
                                             SbDataversePageFunc func, gpointer user_data,
                                             char **out_delta_link, GCancellable *cancellable,
                                             GError **error);

/* Reads the changes since @delta_link (from an earlier read): changed rows and removed ids, page
 * by page, and the next @out_delta_link. When Dataverse says the token is expired or invalid
 * (400 with code 0x80044352, or 410), the library starts over: with @full_query non-NULL (it
 * should track changes, or there is no new delta link) it reads the whole table with it, pages
 * marked full_read (the caller must then treat rows not seen as deleted); with @full_query NULL it
 * fails with SB_DATAVERSE_ERROR_DELTA_EXPIRED. */
gboolean sb_dataverse_connection_read_changes_sync (SbDataverseConnection *self,
                                                    const char *delta_link,
                                                    SbDataverseQuery *full_query,
                                                    SbDataversePageFunc func, gpointer user_data,
                                                    char **out_delta_link,
                                                    GCancellable *cancellable, GError **error);

/* Sends @batch as one or more POST $batch requests of at most 1,000 requests each (a changeset
 * is never split) and fills its results (sb_dataverse_batch_get_result()). Returns FALSE only
 * when the batch as a whole failed (network, auth, malformed answer); failures of single
 * requests are in their results. Without continue-on-error, requests after the first failure
 * are SB_DATAVERSE_ERROR_NOT_EXECUTED. */
gboolean sb_dataverse_connection_execute_batch_sync (SbDataverseConnection *self,
                                                     SbDataverseBatch *batch,
                                                     GCancellable *cancellable, GError **error);

/* ------------------------------------------------------------------------------------------ */
/* Asynchronous API: the same operations on a worker thread; callbacks on the caller's context */

void sb_dataverse_connection_sign_in_async (SbDataverseConnection *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_dataverse_connection_sign_in_finish (SbDataverseConnection *self, GAsyncResult *result,
                                                 GError **error);

void sb_dataverse_connection_who_am_i_async (SbDataverseConnection *self, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_dataverse_connection_who_am_i_finish (SbDataverseConnection *self, GAsyncResult *result,
                                                  char **out_user_id, char **out_business_unit_id,
                                                  char **out_organization_id, GError **error);

void sb_dataverse_connection_call_async (SbDataverseConnection *self, const char *method,
                                         const char *path, JsonNode *body,
                                         GCancellable *cancellable, GAsyncReadyCallback callback,
                                         gpointer user_data);
JsonNode *sb_dataverse_connection_call_finish (SbDataverseConnection *self, GAsyncResult *result,
                                               GError **error);

void sb_dataverse_connection_retrieve_async (SbDataverseConnection *self, const char *entity_set,
                                             const char *key, const char *const *select,
                                             const char *expand, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
JsonObject *sb_dataverse_connection_retrieve_finish (SbDataverseConnection *self,
                                                     GAsyncResult *result, GError **error);

/* @want_representation: ask for return=representation (see _finish). */
void sb_dataverse_connection_create_async (SbDataverseConnection *self, const char *entity_set,
                                           JsonObject *record, gboolean want_representation,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
char *sb_dataverse_connection_create_finish (SbDataverseConnection *self, GAsyncResult *result,
                                             JsonObject **out_representation, GError **error);

void sb_dataverse_connection_write_async (SbDataverseConnection *self, const char *entity_set,
                                          const char *key, JsonObject *record,
                                          SbDataverseWriteMode mode, const char *etag,
                                          gboolean want_representation, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_dataverse_connection_write_finish (SbDataverseConnection *self, GAsyncResult *result,
                                               char **out_id, JsonObject **out_representation,
                                               GError **error);

void sb_dataverse_connection_delete_async (SbDataverseConnection *self, const char *entity_set,
                                           const char *key, const char *etag,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean sb_dataverse_connection_delete_finish (SbDataverseConnection *self, GAsyncResult *result,
                                                GError **error);

/* @func runs on the caller's main context, one page at a time; @user_data must stay valid until
 * @callback. */
void sb_dataverse_connection_query_async (SbDataverseConnection *self, SbDataverseQuery *query,
                                          SbDataversePageFunc func, gpointer user_data,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer callback_data);
gboolean sb_dataverse_connection_query_finish (SbDataverseConnection *self, GAsyncResult *result,
                                               char **out_delta_link, GError **error);

void
sb_dataverse_connection_read_changes_async (SbDataverseConnection *self, const char *delta_link,
                                            SbDataverseQuery *full_query, SbDataversePageFunc func,
                                            gpointer user_data, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer callback_data);
gboolean sb_dataverse_connection_read_changes_finish (SbDataverseConnection *self,
                                                      GAsyncResult *result, char **out_delta_link,
                                                      GError **error);

void sb_dataverse_connection_execute_batch_async (SbDataverseConnection *self,
                                                  SbDataverseBatch *batch,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_dataverse_connection_execute_batch_finish (SbDataverseConnection *self,
                                                       GAsyncResult *result, GError **error);

G_END_DECLS
