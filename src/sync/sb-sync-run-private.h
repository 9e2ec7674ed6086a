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
} Run;

/* One Dataverse write of a run: an update, or a create (an upsert of a chosen id). */
typedef struct
{
  char *erp_key;
  gint64 change_no;
  gboolean create;
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
gboolean sb_sync_run_record_conflict (Run *run, int kind, const char *erp_key,
                                      const char *dataverse_id, const char *fields, GError **error);
gboolean sb_sync_run_records_equal (Run *run, gconstpointer a, gconstpointer b);
void sb_sync_run_rows_read_clear (RowsRead *read);
void sb_sync_run_progress (Run *run, guint done, guint total);
gboolean sb_sync_run_fail_record_transient (Run *run, const char *erp_key, const char *dataverse_id,
                                            const char *message, GError **error);
SbSyncMapping *sb_sync_run_get_mapping (Run *run, const char *name, GError **error);

G_END_DECLS
