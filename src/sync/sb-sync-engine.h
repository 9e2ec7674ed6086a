/* sb-sync-engine.h: coupling and synchronization of one company with Dynamics 365 Sales
 *
 * The engine runs the integration table mappings (sb-sync-mapping.h) over a store and a
 * Dataverse connection, following integration-behaviour.md §3–4:
 *
 *  - changed ERP records come from change numbers (and deletion tombstones), changed Dataverse
 *    rows from modifiedon (the watermark less one second), leaving out rows last modified by the
 *    integration user, so the engine's own writes never echo back; ERP writes made by the engine
 *    record the change number they produced in the coupling for the same reason;
 *  - creations are idempotent: the Dataverse id is chosen and committed (a pending coupling)
 *    before the request, which is an upsert of that id, so a retry after a crash updates
 *    the same row;
 *  - watermarks move only in the transaction that commits the couplings they cover;
 *  - writes go in $batch requests of "batch-size" requests (continue-on-error);
 *  - a record failing with the same message in two consecutive runs becomes skipped.
 *
 * Threads: the _sync functions block and run on the thread that owns @store (the CLI's main
 * thread, or a worker thread). The _async wrappers open their own SbStore on the same file on a
 * worker thread and report "progress" on the thread-default main context of the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-dataverse.h"
#include "sb-store.h"
#include "sb-sync-coupling.h"
#include "sb-sync-mapping.h"

G_BEGIN_DECLS

#define SB_SYNC_DEFAULT_BATCH_SIZE 200

/* The counters of one run (integration-behaviour.md §4). */
typedef struct
{
  gint64 job_id;
  guint inserted;
  guint modified;
  guint deleted;
  guint unchanged;
  guint skipped;
  guint failed;
  guint failed_to_sales;   /* of failed: while sending ERP records */
  guint failed_from_sales; /* of failed: while taking Dataverse rows */
  guint coupled;
  guint uncoupled;
  guint conflicts;
} SbSyncCounters;

#define SB_TYPE_SYNC_ENGINE (sb_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncEngine, sb_sync_engine, SB, SYNC_ENGINE, GObject)

/* @store: owned by the calling thread; @connection: configured (secret set). */
SbSyncEngine *sb_sync_engine_new (SbStore *store, SbDataverseConnection *connection);

SbStore *sb_sync_engine_get_store (SbSyncEngine *self);
SbDataverseConnection *sb_sync_engine_get_connection (SbSyncEngine *self);
/* Requests per $batch (1–1,000; default SB_SYNC_DEFAULT_BATCH_SIZE). */
void sb_sync_engine_set_batch_size (SbSyncEngine *self, guint batch_size);
guint sb_sync_engine_get_batch_size (SbSyncEngine *self);
/* Reads Dataverse changes by change tracking (default), or by modifiedon for environments
 * whose tables do not track changes (the engine also falls back by itself when refused). */
void sb_sync_engine_set_change_tracking (SbSyncEngine *self, gboolean change_tracking);

/* Couples ERP record @erp_key with Dataverse row @dataverse_id (both must exist and neither be
 * coupled: SB_SYNC_ERROR_ALREADY_COUPLED). The next run sends the ERP record's values. */
gboolean sb_sync_engine_couple_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                                     const char *dataverse_id, GCancellable *cancellable,
                                     GError **error);
/* Removes the coupling of @erp_key; SB_SYNC_ERROR_NOT_COUPLED when there is none. */
gboolean sb_sync_engine_uncouple_sync (SbSyncEngine *self, const char *mapping, const char *erp_key,
                                       GError **error);
/* Match-based coupling of every uncoupled ERP record in the mapping's filter (§3). */
gboolean sb_sync_engine_couple_match_sync (SbSyncEngine *self, const char *mapping,
                                           SbSyncCounters *out_counters, GCancellable *cancellable,
                                           GError **error);
/* Creates the record's counterpart in Dataverse and couples it. Returns its id. */
char *sb_sync_engine_create_in_sales_sync (SbSyncEngine *self, const char *mapping,
                                           const char *erp_key, GCancellable *cancellable,
                                           GError **error);
/* Creates the Dataverse row's counterpart in the ERP and couples it. Returns its key. */
char *sb_sync_engine_create_in_erp_sync (SbSyncEngine *self, const char *mapping,
                                         const char *dataverse_id, GCancellable *cancellable,
                                         GError **error);
/* One run of @mapping in @direction (restricted to the mapping's own direction). Records
 * failing do not fail the run: they are counted, and logged as sync errors. */
gboolean sb_sync_engine_sync_mapping_sync (SbSyncEngine *self, const char *mapping,
                                           SbSyncDirection direction, SbSyncCounters *out_counters,
                                           GCancellable *cancellable, GError **error);
/* Every implemented mapping in "synchronize all" order, each in its own direction. */
gboolean sb_sync_engine_sync_all_sync (SbSyncEngine *self, GCancellable *cancellable,
                                       GError **error);
/* "Synchronize now" of one coupled record: @winner (TO_SALES: the ERP's values overwrite
 * Sales; FROM_SALES: the other way) is transferred whatever changed, a skipped record is
 * restored and its open conflicts are marked resolved. */
gboolean sb_sync_engine_sync_record_sync (SbSyncEngine *self, const char *mapping,
                                          const char *erp_key, SbSyncDirection winner,
                                          GCancellable *cancellable, GError **error);
/* Makes a skipped record of @mapping (by ERP key or Dataverse id) take part again. */
gboolean sb_sync_engine_restore_sync (SbSyncEngine *self, const char *mapping, const char *key,
                                      GError **error);

/* The async twins: run on a worker thread with a store of their own; "progress" (mapping
 * name, records done, records to do) is emitted on the caller's thread-default context. */
void sb_sync_engine_sync_mapping_async (SbSyncEngine *self, const char *mapping,
                                        SbSyncDirection direction, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_sync_engine_sync_mapping_finish (SbSyncEngine *self, GAsyncResult *result,
                                             SbSyncCounters *out_counters, GError **error);
void sb_sync_engine_sync_all_async (SbSyncEngine *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_sync_engine_sync_all_finish (SbSyncEngine *self, GAsyncResult *result, GError **error);

/* Per mapping: coupled, skipped, failed, open conflicts and the last job's counters; the
 * recurring job's status nick and next run ("job_status", "next_run") and the full
 * synchronization line's status ("full_sync_status"), "" when there is none. */
JsonNode *sb_sync_engine_get_status (SbStore *store, GError **error);
/* The last @limit jobs (all mappings), newest first; with @errors_only their error rows. */
JsonNode *sb_sync_engine_get_log (SbStore *store, gboolean errors_only, guint limit,
                                  GError **error);

/* The open update and deletion conflicts, oldest first: objects with "id", "mapping", "kind"
 * ("update" or "deletion"), "erp_key", "dataverse_id", "created_at" and, for update conflicts,
 * "fields": an array of {"field" (ERP field), "attribute" (Dataverse attribute), "caption" (the
 * translated field caption, else the field name), "erp_value", "sales_value"} with the display
 * strings of both sides as stored when the conflict was found. */
JsonNode *sb_sync_engine_get_conflicts (SbStore *store, GError **error);
/* Deletes jobs, errors and history older than @older_than_days days (0: all). */
gboolean sb_sync_engine_purge_log (SbStore *store, guint older_than_days, GError **error);

/* The transfer history of one record of @mapping (@key: its ERP key or Dataverse id), newest
 * first, at most @limit rows (0: all): objects with "time", "direction" ("to-sales",
 * "from-sales", "both"), "action" ("inserted", "modified", "deleted", "coupled", "uncoupled",
 * "conflict", "failed", "restored", "resolved"), "job_id" (0 when none), "fields" (object: the
 * fields transferred with their new values) and "message". */
JsonNode *sb_sync_engine_get_history (SbStore *store, const char *mapping, const char *key,
                                      guint limit, GError **error);

/* Resolves update conflict @conflict_id: @choices maps each differing ERP field name (char *) to
 * GINT_TO_POINTER (SB_SYNC_DIRECTION_TO_SALES) to keep the ERP value or
 * GINT_TO_POINTER (SB_SYNC_DIRECTION_FROM_SALES) to keep the Sales value. Every differing field
 * needs a choice. The kept values are written to the other side, both sides' sync markers move on,
 * the conflict is marked resolved and history records it. */
gboolean sb_sync_engine_resolve_conflict_sync (SbSyncEngine *self, gint64 conflict_id,
                                               GHashTable *choices, GCancellable *cancellable,
                                               GError **error);
void sb_sync_engine_resolve_conflict_async (SbSyncEngine *self, gint64 conflict_id,
                                            GHashTable *choices, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_sync_engine_resolve_conflict_finish (SbSyncEngine *self, GAsyncResult *result,
                                                 GError **error);
/* Resolves deletion conflict @conflict_id: @restore TRUE re-creates the deleted record from the
 * surviving side and couples it again; FALSE removes the coupling. */
gboolean sb_sync_engine_resolve_deletion_sync (SbSyncEngine *self, gint64 conflict_id,
                                               gboolean restore, GCancellable *cancellable,
                                               GError **error);
void sb_sync_engine_resolve_deletion_async (SbSyncEngine *self, gint64 conflict_id,
                                            gboolean restore, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_sync_engine_resolve_deletion_finish (SbSyncEngine *self, GAsyncResult *result,
                                                 GError **error);
/* Async twin of sb_sync_engine_get_history / get_conflicts for the GUI (worker thread, own store).
 * The _finish functions return the JsonNode (free with json_node_unref) or NULL with @error. */
void sb_sync_engine_get_conflicts_async (SbSyncEngine *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
JsonNode *sb_sync_engine_get_conflicts_finish (SbSyncEngine *self, GAsyncResult *result,
                                               GError **error);
void sb_sync_engine_get_history_async (SbSyncEngine *self, const char *mapping, const char *key,
                                       guint limit, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
JsonNode *sb_sync_engine_get_history_finish (SbSyncEngine *self, GAsyncResult *result,
                                             GError **error);

G_END_DECLS
