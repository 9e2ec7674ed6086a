/* sb-sync-run-private.h: one run of a mapping, shared by the engine's files
 *
 * A Run holds what one run (or one match-based coupling) needs: the mapping, the ERP record
 * type, the counters and the caches. It lives on the thread that owns its store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-store-private.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

typedef struct
{
  SbSyncEngine *engine;
  SbStore *store;
  SbSyncMapping *mapping;
  const SbRecordType *type;
  const SbField *key_field; /* the first (usually only) key field */
  const SbField *key_fields[8];
  guint n_key_fields;
  SbSyncCounters counters;
  GCancellable *cancellable;
  GHashTable *mappings;           /* name → SbSyncMapping, for lookups */
  GMainContext *progress_context; /* NULL: no progress signals */
  const char *user_id;            /* the integration user, or NULL when unknown */
  gboolean force_create;          /* create even when "only coupled records" */
  char *last_created;             /* id or key of the last record created */
  char *last_failure;             /* message of the last failed record */
  GHashTable *fresh_ids;  /* Dataverse ids of new couplings sent this run: the ERP side won */
  char *local_currency;   /* the ERP's local currency code, once read */
  char *base_currency_id; /* the transactioncurrency found to be the local currency */
  SbSyncDirection phase;  /* the direction being transferred, for history rows */
  guint64 sent_at_start;  /* the connection's request count when the job started */
} Run;

/* What a history row says happened to a record (sync_history.action). */
typedef enum
{
  SB_SYNC_ACTION_INSERTED = 0,
  SB_SYNC_ACTION_MODIFIED = 1,
  SB_SYNC_ACTION_DELETED = 2,
  SB_SYNC_ACTION_COUPLED = 3,
  SB_SYNC_ACTION_UNCOUPLED = 4,
  SB_SYNC_ACTION_CONFLICT = 5,
  SB_SYNC_ACTION_FAILED = 6,
  SB_SYNC_ACTION_RESTORED = 7,
  SB_SYNC_ACTION_RESOLVED = 8,
} SbSyncAction;

/* A conflict found by a run (sync_conflict): kind 0 update, 1 deletion; for update conflicts
 * @fields ("Name/name, …") and both sides' values (JSON objects, ERP field → display string). */
typedef struct
{
  int kind;
  const char *fields;
  const char *erp_values;
  const char *sales_values;
} ConflictData;

/* One Dataverse write of a run: an update, or a create (an upsert of a chosen id). */
typedef struct
{
  char *erp_key;
  gint64 change_no;
  gboolean create;
  gboolean restore; /* a create that re-creates a deleted row (deletion conflict, restore) */
  JsonObject *body;
} Op;

/* A coupling to commit (sb_sync_couple_txn()). */
typedef struct
{
  const char *mapping;
  const char *erp_key;
  const char *dataverse_id;
  const char *modifiedon;
  gint64 version;
} CoupleData;

typedef struct
{
  GPtrArray *rows;         /* JsonObject */
  GPtrArray *removed;      /* ids deleted in Dataverse (change tracking) */
  char *max_modified;      /* the largest modifiedon seen */
  SbSyncRowFilter *filter; /* the mapping's filter, for change tracking pages */
  const char *user_id;     /* rows last modified by it are left out */
} RowsRead;

void sb_sync_op_free (Op *op);

/* "inserted", "modified", …; NULL for an unknown value. */
const char *sb_sync_action_to_string (SbSyncAction action);
/* Writes a history row (inside the caller's transaction, with the change it records). @fields:
 * compact JSON text of an object, or NULL for "{}"; @job_id 0 for none. */
gboolean sb_sync_history_add (SbStore *store, const char *mapping, const char *erp_key,
                              const char *dataverse_id, SbSyncDirection direction,
                              SbSyncAction action, const char *fields, gint64 job_id,
                              const char *message, GError **error);
/* The same for a record of @run (its mapping, job and phase). @fields may be NULL. */
gboolean sb_sync_run_history (Run *run, const char *erp_key, const char *dataverse_id,
                              SbSyncAction action, JsonObject *fields, const char *message,
                              GError **error);
/* The ERP fields of @after that differ from @before (all non-blank ones when @before is NULL),
 * as field name → display string; NULL when none differ. */
JsonObject *sb_sync_run_changed_fields (Run *run, gconstpointer before, gconstpointer after);
/* Records @conflict and fails the record with @message, in one transaction with its history. */
gboolean sb_sync_run_fail_conflict (Run *run, const ConflictData *conflict, const char *erp_key,
                                    const char *dataverse_id, const char *message, GError **error);
/* A coupled ERP record (@c) went away: the deletion policy (§4) uncouples, restores it from
 * Dataverse @row (read when NULL) or records a deletion conflict. */
gboolean sb_sync_run_erp_deleted (Run *run, SbSyncCoupling *c, JsonObject *row, GError **error);
/* Removes coupling @c with an "uncoupled" history row saying @message, in one transaction. */
gboolean sb_sync_run_uncouple (Run *run, SbSyncCoupling *c, const char *message, GError **error);
/* Re-creates the deleted Dataverse row of coupling @c under the same id from the ERP record
 * (deletion conflict, restore); uncouples when the ERP record is gone too. */
gboolean sb_sync_run_restore_in_sales (Run *run, SbSyncCoupling *c, GError **error);
/* Re-creates the ERP record of Dataverse @row under @key (deletion conflict, restore), coupled,
 * with a "restored" history row. */
gboolean sb_sync_run_restore_erp (Run *run, JsonObject *row, const char *key, GError **error);
/* Differing bidirectional fields of ERP @record and Dataverse @row: sets @out_fields ("Name/name,
 * …") and the values of both sides (JSON text); FALSE when they agree. @out_theirs (may be NULL):
 * a copy of @record with the row's bidirectional values applied (free with sb_record_free). */
gboolean sb_sync_run_conflicting_fields (Run *run, gconstpointer record, JsonObject *row,
                                         char **out_fields, char **out_erp_values,
                                         char **out_sales_values, gpointer *out_theirs);
/* The Dataverse body of @record's fields going to Sales (lookups through couplings). */
JsonObject *sb_sync_run_build_body (Run *run, gconstpointer record, GError **error);
/* The base unit of the unit group coupled in @c (UNIT OF MEASURE), read once and kept in
 * @c->aux_id; owned by @c. */
const char *sb_sync_run_ensure_base_unit (Run *run, SbSyncCoupling *c, GError **error);

/* Loads the mapping and asks for the integration user; on failure call sb_sync_run_clear()
 * all the same. */
gboolean sb_sync_run_init (Run *run, SbSyncEngine *self, SbStore *store, const char *name,
                           GCancellable *cancellable, GError **error);
void sb_sync_run_clear (Run *run);
/* The sync_job row of the run: started now, finished with the run's counters and @message. */
gboolean sb_sync_run_job_start (Run *run, SbSyncDirection direction, GError **error);
void sb_sync_run_job_finish (Run *run, const char *message);
/* A sync_error row of the run's job. */
gboolean sb_sync_run_log_error (Run *run, const char *erp_key, const char *dataverse_id,
                                const char *message, GError **error);
char *sb_sync_run_erp_key_of (Run *run, gconstpointer record);
/* The ERP record with key @key (a new record the caller frees with the type's free_func), or
 * NULL: not found (no error) or failed. */
gpointer sb_sync_run_erp_lookup (Run *run, const char *key, GError **error);
/* The row version of a Dataverse row (its @odata.etag), 0 when unknown. */
gint64 sb_sync_row_version (JsonObject *row);
/* Applies one Dataverse row to the ERP (create, update or conflict), committing its result. */
gboolean sb_sync_run_process_row (Run *run, JsonObject *row, GError **error);
/* Queues the create or update of @record in @ops (Op); send them with sb_sync_run_send_ops(). */
gboolean sb_sync_run_queue_record (Run *run, gpointer record, GPtrArray *ops, GError **error);
gboolean sb_sync_run_send_ops (Run *run, GPtrArray *ops, GError **error);
/* Couples in a transaction (@user_data: CoupleData). */
gboolean sb_sync_couple_txn (SbStore *store, gpointer user_data, GError **error);
gboolean sb_sync_run_sync_mapping (SbSyncEngine *self, SbStore *store, const char *name,
                                   SbSyncDirection direction, GMainContext *progress_context,
                                   SbSyncCounters *out_counters, GCancellable *cancellable,
                                   GError **error);

/* Shared between the run and its two halves (to and from Sales). */
gboolean sb_sync_run_apply_row (Run *run, JsonObject *row, gpointer record, gboolean creating,
                                gboolean both_only, GError **error);
gboolean sb_sync_run_erp_insert (Run *run, gpointer record, GError **error);
gboolean sb_sync_run_fail_record (Run *run, const char *erp_key, const char *dataverse_id,
                                  const char *message, GError **error);
gboolean sb_sync_run_field_comes_from_sales (Run *run, const SbSyncFieldMapping *f);
gboolean sb_sync_run_handle_removed (Run *run, const char *id, GError **error);
gboolean sb_sync_run_is_key_field (Run *run, const SbField *field);
gboolean sb_sync_run_is_local_currency (Run *run, const char *id, const char *erp_key,
                                        GError **error);
char *sb_sync_run_lookup_attribute (const char *navigation);
gboolean sb_sync_run_parse_key (Run *run, gpointer record, const char *key, GError **error);
gboolean sb_sync_run_read_changed_rows (Run *run, RowsRead *read, GError **error);
gboolean sb_sync_run_records_equal (Run *run, gconstpointer a, gconstpointer b);
void sb_sync_run_rows_read_clear (RowsRead *read);
void sb_sync_run_progress (Run *run, guint done, guint total);
gboolean sb_sync_run_fail_record_transient (Run *run, const char *erp_key, const char *dataverse_id,
                                            const char *message, GError **error);
SbSyncMapping *sb_sync_run_get_mapping (Run *run, const char *name, GError **error);

G_END_DECLS
