/* sb-sync-engine.c: coupling and synchronization runs
 *
 * See sb-sync-engine.h for the guarantees. The sync layer keeps its own tables in the company
 * database, so it uses the store's private API (sb-store-private.h: transactions, prepared
 * statements, the time of the current transaction).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-reference-data.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-run-private.h"
#include "sb-sync-engine.h"
#include "sb-sync-error.h"
#include "sb-sync-lock.h"
#include "sb-sync-invoices-private.h"

struct _SbSyncEngine
{
  GObject parent_instance;

  SbStore *store;
  SbDataverseConnection *connection;
  guint batch_size;
  gboolean change_tracking;

  GMutex lock; /* guards integration_user */
  char *integration_user;
};

G_DEFINE_FINAL_TYPE (SbSyncEngine, sb_sync_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_CONNECTION,
  PROP_BATCH_SIZE,
  N_PROPS
};
static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ---- One run -------------------------------------------------------------------------------- */

void
sb_sync_op_free (Op *op)
{
  g_free (op->erp_key);
  g_clear_pointer (&op->body, json_object_unref);
  g_free (op);
}

void
sb_sync_run_clear (Run *run)
{
  g_clear_pointer (&run->mapping, sb_sync_mapping_free);
  g_clear_pointer (&run->mappings, g_hash_table_unref);
  g_clear_pointer (&run->last_created, g_free);
  g_clear_pointer (&run->last_failure, g_free);
  g_clear_pointer (&run->fresh_ids, g_hash_table_unref);
  g_clear_pointer (&run->local_currency, g_free);
  g_clear_pointer (&run->base_currency_id, g_free);
}

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
sb_sync_engine_get_user (SbSyncEngine *self, GCancellable *cancellable, GError **error)
{
  const char *user;

  g_mutex_lock (&self->lock);
  user = self->integration_user;
  g_mutex_unlock (&self->lock);
  if (user == NULL)
    {
      char *id = NULL;

      if (!sb_dataverse_connection_who_am_i_sync (self->connection, &id, NULL, NULL, cancellable,
                                                  error))
        return NULL;
      g_mutex_lock (&self->lock);
      if (self->integration_user == NULL)
        self->integration_user = id;
      else
        g_free (id);
      user = self->integration_user;
      g_mutex_unlock (&self->lock);
    }
  return user;
}

gboolean
sb_sync_run_init (Run *run, SbSyncEngine *self, SbStore *store, const char *name,
                  GCancellable *cancellable, GError **error)
{
  memset (run, 0, sizeof *run);
  run->engine = self;
  run->store = store;
  run->cancellable = cancellable;
  run->mappings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sb_sync_mapping_free);
  run->fresh_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->phase = SB_SYNC_DIRECTION_BOTH;
  run->mapping = sb_sync_mapping_load (store, name, error);
  if (run->mapping == NULL)
    return FALSE;
  run->type = sb_sync_erp_record_type (run->mapping->erp_table);
  for (guint i = 0; run->type != NULL && i < run->type->n_fields; i++)
    if ((run->type->fields[i].flags & SB_FIELD_FLAG_KEY) &&
        run->n_key_fields < G_N_ELEMENTS (run->key_fields))
      run->key_fields[run->n_key_fields++] = &run->type->fields[i];
  run->key_field = run->n_key_fields > 0 ? run->key_fields[0] : NULL;
  if (!run->mapping->transfer_implemented || run->key_field == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_SUPPORTED,
                   _ ("Synchronizing the %s mapping is not supported yet."), run->mapping->name);
      return FALSE;
    }
  run->user_id = sb_sync_engine_get_user (self, cancellable, error);
  return run->user_id != NULL;
}

SbSyncMapping *
sb_sync_run_get_mapping (Run *run, const char *name, GError **error)
{
  SbSyncMapping *m = g_hash_table_lookup (run->mappings, name);

  if (m == NULL)
    {
      m = sb_sync_mapping_load (run->store, name, error);
      if (m == NULL)
        return NULL;
      g_hash_table_insert (run->mappings, g_strdup (name), m);
    }
  return m;
}

typedef struct
{
  SbSyncEngine *engine;
  char *mapping;
  guint done;
  guint total;
} Progress;

static gboolean
emit_progress (gpointer data)
{
  Progress *p = data;

  g_signal_emit (p->engine, signals[SIGNAL_PROGRESS], 0, p->mapping, p->done, p->total);
  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *p = data;

  g_object_unref (p->engine);
  g_free (p->mapping);
  g_free (p);
}

void
sb_sync_run_progress (Run *run, guint done, guint total)
{
  Progress *p;

  sb_sync_thread_heartbeat (run->store);
  if (run->progress_context == NULL)
    return;
  p = g_new0 (Progress, 1);
  p->engine = g_object_ref (run->engine);
  p->mapping = g_strdup (run->mapping->name);
  p->done = done;
  p->total = total;
  g_main_context_invoke_full (run->progress_context, G_PRIORITY_DEFAULT, emit_progress, p,
                              progress_free);
}

/* ---- Job and error records ------------------------------------------------------------------ */

gint64
sb_sync_job_log_start (SbStore *store, const char *mapping, SbSyncDirection direction,
                       GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "INSERT INTO sync_job (mapping, direction, started_at) VALUES (?1, ?2, ?3)", error);
  g_autofree char *now = now_iso ();

  if (stmt == NULL)
    return 0;
  sb_bind_text (stmt, 1, mapping);
  sqlite3_bind_int (stmt, 2, direction);
  sb_bind_text (stmt, 3, now);
  if (!sb_store_exec_stmt (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (sb_store_get_db (store));
}

void
sb_sync_job_log_set_kind (SbStore *store, gint64 job_id, const char *kind)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "UPDATE sync_job SET kind = ?2 WHERE id = ?1", &error);

  if (stmt == NULL)
    {
      g_warning ("Cannot mark sync job: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, job_id);
  sb_bind_text (stmt, 2, kind);
  if (!sb_store_exec_stmt (store, stmt, &error))
    g_warning ("Cannot mark sync job: %s", error->message);
}

void
sb_sync_job_log_finish (SbStore *store, gint64 job_id, const SbSyncCounters *c, guint64 requests,
                        const char *message)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "UPDATE sync_job SET finished_at = ?2, inserted = ?3, modified = ?4, deleted = ?5,"
      " unchanged = ?6, skipped = ?7, failed = ?8, coupled = ?9, uncoupled = ?10, message = ?11,"
      " requests = ?12 WHERE id = ?1",
      &error);
  g_autofree char *now = now_iso ();

  if (stmt == NULL)
    {
      g_warning ("Cannot finish sync job: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, job_id);
  sb_bind_text (stmt, 2, now);
  sqlite3_bind_int (stmt, 3, (int) c->inserted);
  sqlite3_bind_int (stmt, 4, (int) c->modified);
  sqlite3_bind_int (stmt, 5, (int) c->deleted);
  sqlite3_bind_int (stmt, 6, (int) c->unchanged);
  sqlite3_bind_int (stmt, 7, (int) c->skipped);
  sqlite3_bind_int (stmt, 8, (int) c->failed);
  sqlite3_bind_int (stmt, 9, (int) c->coupled);
  sqlite3_bind_int (stmt, 10, (int) c->uncoupled);
  sb_bind_text (stmt, 11, message ? message : "");
  sqlite3_bind_int64 (stmt, 12, (gint64) requests);
  if (!sb_store_exec_stmt (store, stmt, &error))
    g_warning ("Cannot finish sync job: %s", error->message);
}

gboolean
sb_sync_job_log_error (SbStore *store, gint64 job_id, const char *mapping, const char *erp_key,
                       const char *dataverse_id, const char *message, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO sync_error (job_id, mapping, erp_key, dataverse_id, message, created_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      error);
  g_autofree char *now = now_iso ();

  if (stmt == NULL)
    return FALSE;
  if (job_id != 0)
    sqlite3_bind_int64 (stmt, 1, job_id);
  else
    sqlite3_bind_null (stmt, 1);
  sb_bind_text (stmt, 2, mapping);
  sb_bind_text (stmt, 3, erp_key ? erp_key : "");
  sb_bind_text (stmt, 4, dataverse_id ? dataverse_id : "");
  sb_bind_text (stmt, 5, message);
  sb_bind_text (stmt, 6, now);
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_sync_run_job_start (Run *run, SbSyncDirection direction, GError **error)
{
  run->counters.job_id = sb_sync_job_log_start (run->store, run->mapping->name, direction, error);
  if (run->counters.job_id == 0)
    return FALSE;
  run->sent_at_start =
      sb_dataverse_connection_get_n_sent (sb_sync_engine_get_connection (run->engine));
  return TRUE;
}

void
sb_sync_run_job_finish (Run *run, const char *message)
{
  /* The connection counts every request it sends; a job running beside another on the same
   * connection (the GUI's Synchronize Now during a scheduled job) counts the other's too. */
  guint64 requests =
      sb_dataverse_connection_get_n_sent (sb_sync_engine_get_connection (run->engine)) -
      run->sent_at_start;

  sb_sync_job_log_finish (run->store, run->counters.job_id, &run->counters, requests, message);
}

gboolean
sb_sync_run_log_error (Run *run, const char *erp_key, const char *dataverse_id, const char *message,
                       GError **error)
{
  run->counters.failed++;
  if (run->phase == SB_SYNC_DIRECTION_FROM_SALES)
    run->counters.failed_from_sales++;
  else
    run->counters.failed_to_sales++;
  g_free (run->last_failure);
  run->last_failure = g_strdup (message);
  return sb_sync_job_log_error (run->store, run->counters.job_id, run->mapping->name, erp_key,
                                dataverse_id, message, error);
}

typedef struct
{
  Run *run;
  const char *erp_key;
  const char *dataverse_id;
  const char *message;
  gboolean transient;           /* throttled, busy, not executed: says nothing about the record */
  const ConflictData *conflict; /* or NULL */
} Failure;

static gboolean
record_conflict (Run *run, const ConflictData *d, const char *erp_key, const char *dataverse_id,
                 GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      run->store,
      "INSERT INTO sync_conflict (mapping, kind, erp_key, dataverse_id, fields, erp_values,"
      " sales_values, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?7, ?8, ?6 WHERE NOT EXISTS"
      " (SELECT 1 FROM sync_conflict WHERE mapping = ?1 AND kind = ?2 AND erp_key = ?3"
      " AND dataverse_id = ?4 AND resolved = 0)",
      error);
  g_autofree char *now = now_iso ();

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, run->mapping->name);
  sqlite3_bind_int (stmt, 2, d->kind);
  sb_bind_text (stmt, 3, erp_key ? erp_key : "");
  sb_bind_text (stmt, 4, dataverse_id ? dataverse_id : "");
  sb_bind_text (stmt, 5, d->fields ? d->fields : "");
  sb_bind_text (stmt, 6, now);
  sb_bind_text (stmt, 7, d->erp_values ? d->erp_values : "{}");
  sb_bind_text (stmt, 8, d->sales_values ? d->sales_values : "{}");
  run->counters.conflicts++;
  /* An open conflict found again keeps its first values: the user may be looking at them. */
  return sb_store_exec_stmt (run->store, stmt, error);
}

static gboolean
fail_txn (SbStore *store, gpointer user_data, GError **error)
{
  Failure *f = user_data;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (JsonObject) fields = NULL;

  if (f->erp_key != NULL)
    c = sb_sync_coupling_find_erp (store, f->run->mapping->name, f->erp_key, &local_error);
  if (c == NULL && local_error == NULL && f->dataverse_id != NULL)
    c = sb_sync_coupling_find_dataverse (store, f->run->mapping->name, f->dataverse_id,
                                         &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (c == NULL)
    c = sb_sync_coupling_new (f->run->mapping->name, f->erp_key, f->dataverse_id);
  /* "The same error twice in a row": the previous run failed with this very message. A
   * transient failure neither counts nor resets the count. */
  if (!f->transient)
    c->error_count =
        c->last_result == SB_SYNC_RESULT_FAILED && g_strcmp0 (c->last_error, f->message) == 0
            ? c->error_count + 1
            : 1;
  g_free (c->last_error);
  c->last_error = g_strdup (f->message);
  c->last_result = SB_SYNC_RESULT_FAILED;
  if (c->error_count >= 2)
    c->skipped = TRUE;
  if (!sb_sync_coupling_save (store, c, error))
    return FALSE;
  if (f->conflict != NULL &&
      !record_conflict (f->run, f->conflict, f->erp_key, f->dataverse_id, error))
    return FALSE;
  if (f->conflict != NULL && f->conflict->fields != NULL && *f->conflict->fields != '\0')
    {
      g_autoptr (JsonNode) node = json_from_string (f->conflict->sales_values, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        fields = json_object_ref (json_node_get_object (node));
    }
  if (!sb_sync_run_history (f->run, f->erp_key, f->dataverse_id,
                            f->conflict != NULL ? SB_SYNC_ACTION_CONFLICT : SB_SYNC_ACTION_FAILED,
                            fields, f->message, error))
    return FALSE;
  return sb_sync_run_log_error (f->run, f->erp_key, f->dataverse_id, f->message, error);
}

/* Records a failed record; the run goes on. FALSE only when the database failed. */
gboolean
sb_sync_run_fail_record (Run *run, const char *erp_key, const char *dataverse_id,
                         const char *message, GError **error)
{
  Failure f = { run, erp_key, dataverse_id, message, FALSE, NULL };

  return sb_store_run_in_transaction (run->store, fail_txn, &f, error);
}

/* The same for a failure of the service rather than of the record. */
gboolean
sb_sync_run_fail_record_transient (Run *run, const char *erp_key, const char *dataverse_id,
                                   const char *message, GError **error)
{
  Failure f = { run, erp_key, dataverse_id, message, TRUE, NULL };

  return sb_store_run_in_transaction (run->store, fail_txn, &f, error);
}

gboolean
sb_sync_run_fail_conflict (Run *run, const ConflictData *conflict, const char *erp_key,
                           const char *dataverse_id, const char *message, GError **error)
{
  Failure f = { run, erp_key, dataverse_id, message, FALSE, conflict };

  return sb_store_run_in_transaction (run->store, fail_txn, &f, error);
}

/* ---- ERP records ---------------------------------------------------------------------------- */

/* A record's key as text: its key fields joined by U+001F, as the core's deletion tombstones
 * name them (sb_record_delete()), so deletions of composite-key records find their coupling. */
char *
sb_sync_run_erp_key_of (Run *run, gconstpointer record)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < run->n_key_fields; i++)
    {
      g_autofree char *value = sb_record_to_string (run->key_fields[i], record);
      g_string_append_printf (key, "%s%s", i > 0 ? "\x1f" : "", value);
    }
  return g_string_free (key, FALSE);
}

gboolean
sb_sync_run_is_key_field (Run *run, const SbField *field)
{
  for (guint i = 0; i < run->n_key_fields; i++)
    if (run->key_fields[i] == field)
      return TRUE;
  return FALSE;
}

gboolean
sb_sync_run_parse_key (Run *run, gpointer record, const char *key, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (key, "\x1f", -1);

  if (g_strv_length (parts) != run->n_key_fields)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND, _ ("There is no %s “%s”."),
                   _ (run->type->label), key);
      return FALSE;
    }
  for (guint i = 0; i < run->n_key_fields; i++)
    if (!sb_record_parse_field (run->type, run->key_fields[i], record, parts[i], error))
      return FALSE;
  return TRUE;
}

/* NULL without error when the record does not exist. */
gpointer
sb_sync_run_erp_lookup (Run *run, const char *key, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gpointer probe = sb_record_new (run->type);
  gpointer record = NULL;

  if (sb_sync_run_parse_key (run, probe, key, &local_error))
    record = sb_record_lookup (run->store, run->type, probe, &local_error);
  sb_record_free (run->type, probe);
  if (record == NULL && !g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return record;
}

gboolean
sb_sync_run_erp_insert (Run *run, gpointer record, GError **error)
{
  if (run->type == &sb_customer_record_type)
    return sb_customer_insert (run->store, record, error);
  if (run->type == &sb_contact_record_type)
    return sb_contact_insert (run->store, record, error);
  return sb_record_insert (run->store, run->type, record, error);
}

gboolean
sb_sync_run_records_equal (Run *run, gconstpointer a, gconstpointer b)
{
  for (guint i = 0; i < run->type->n_fields; i++)
    {
      const SbField *field = &run->type->fields[i];

      if (field->flags & SB_FIELD_FLAG_SYSTEM)
        continue;
      g_autofree char *x = sb_record_to_string (field, a);
      g_autofree char *y = sb_record_to_string (field, b);
      if (g_strcmp0 (x, y) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The attribute a lookup is read as: "parentcustomerid_account" (a navigation property bound
 * to one target table) reads as "_parentcustomerid_value". */
char *
sb_sync_run_lookup_attribute (const char *navigation)
{
  const char *underscore = strchr (navigation, '_');

  return underscore ? g_strndup (navigation, (gsize) (underscore - navigation))
                    : g_strdup (navigation);
}

/* The row version of a Dataverse row: "@odata.etag" is W/"<version>". */
gint64
sb_sync_row_version (JsonObject *row)
{
  const char *etag = sb_json_get_etag (row);

  if (etag != NULL)
    {
      const char *p = strchr (etag, '"');

      if (p != NULL)
        return g_ascii_strtoll (p + 1, NULL, 10);
    }
  return sb_json_get_int (row, "versionnumber", 0);
}

/* In the ERP a blank currency code means the local currency, while every Dataverse record
 * names its currency (new ones get the organization's base currency): TRUE when
 * transactioncurrency @id is the ERP's local currency. */
gboolean
sb_sync_run_is_local_currency (Run *run, const char *id, const char *erp_key, GError **error)
{
  if (run->local_currency == NULL)
    {
      g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (run->store, error);

      if (setup == NULL)
        return FALSE;
      run->local_currency = g_strdup (setup->local_currency_code ? setup->local_currency_code : "");
    }
  if (erp_key != NULL)
    return *run->local_currency != '\0' && g_ascii_strcasecmp (erp_key, run->local_currency) == 0;
  if (run->base_currency_id != NULL)
    return g_ascii_strcasecmp (id, run->base_currency_id) == 0;
  {
    static const char *const select[] = { "isocurrencycode", NULL };
    g_autoptr (JsonObject) row = sb_dataverse_connection_retrieve_sync (
        sb_sync_engine_get_connection (run->engine), SB_DV_TRANSACTIONCURRENCIES, id, select, NULL,
        run->cancellable, error);

    if (row == NULL)
      return FALSE;
    if (*run->local_currency == '\0' ||
        g_ascii_strcasecmp (sb_json_get_string (row, "isocurrencycode", ""), run->local_currency) !=
            0)
      return FALSE;
    run->base_currency_id = g_strdup (id);
    return TRUE;
  }
}

/* ---- Runs ----------------------------------------------------------------------------------- */

static gboolean
watermark_txn (SbStore *store, gpointer user_data, GError **error)
{
  Run *run = user_data;

  return sb_sync_mapping_set_watermarks (store, run->mapping->name, run->mapping->erp_watermark,
                                         run->mapping->dataverse_watermark,
                                         run->mapping->delta_link, error);
}

static char *
json_object_to_text (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

gboolean
sb_sync_run_conflicting_fields (Run *run, gconstpointer record, JsonObject *row, char **out_fields,
                                char **out_erp_values, char **out_sales_values,
                                gpointer *out_theirs)
{
  g_autoptr (GError) error = NULL;
  gpointer theirs = sb_record_copy (run->type, record);
  GString *fields = g_string_new (NULL);
  g_autoptr (JsonObject) erp_values = json_object_new ();
  g_autoptr (JsonObject) sales_values = json_object_new ();

  if (sb_sync_run_apply_row (run, row, theirs, FALSE, TRUE, &error))
    for (guint i = 0; i < run->mapping->fields->len; i++)
      {
        const SbSyncFieldMapping *f = run->mapping->fields->pdata[i];
        const SbField *field = sb_record_type_find_field (run->type, f->erp_field);

        if (field == NULL || f->direction != SB_SYNC_DIRECTION_BOTH || !f->enabled ||
            json_object_has_member (erp_values, field->name))
          continue;
        g_autofree char *a = sb_record_to_string (field, record);
        g_autofree char *b = sb_record_to_string (field, theirs);
        if (g_strcmp0 (a, b) != 0)
          {
            g_string_append_printf (fields, "%s%s/%s", fields->len ? ", " : "", field->name,
                                    f->dataverse_field);
            json_object_set_string_member (erp_values, field->name, a ? a : "");
            json_object_set_string_member (sales_values, field->name, b ? b : "");
          }
      }
  if (out_theirs != NULL)
    *out_theirs = theirs;
  else
    sb_record_free (run->type, theirs);
  if (fields->len == 0)
    {
      g_string_free (fields, TRUE);
      return FALSE;
    }
  *out_fields = g_string_free (fields, FALSE);
  *out_erp_values = json_object_to_text (erp_values);
  *out_sales_values = json_object_to_text (sales_values);
  return TRUE;
}

/* State of one run of run_mapping() shared by its ERP record chunks. */
typedef struct
{
  gboolean to_sales;
  GHashTable *rows_by_id;  /* Dataverse id → changed row (read.rows owns it), or NULL */
  GHashTable *dropped_ids; /* Dataverse rows not to apply (conflicts) */
  GPtrArray *ops;
} ErpPass;

/* Conflict checks for @records (ERP records changed or to retry), then, in a run to Sales,
 * sends them (a few batches at a time, so a big first sync never holds every request body). */
static gboolean
erp_pass (Run *run, ErpPass *pass, GPtrArray *records, GError **error)
{
  SbSyncMapping *m = run->mapping;
  const char *pk = sb_dataverse_primary_key (m->entity_set);
  const SbField *change_field = sb_record_type_find_field (run->type, "change_no");

  for (guint i = 0; i < records->len; i++)
    {
      gpointer record = records->pdata[i];
      g_autofree char *key = sb_sync_run_erp_key_of (run, record);
      gboolean dropped = FALSE;

      if (pass->rows_by_id != NULL)
        {
          g_autoptr (SbSyncCoupling) c =
              sb_sync_coupling_find_erp (run->store, m->name, key, error);
          JsonObject *row = NULL;
          g_autofree char *fields = NULL;
          g_autofree char *erp_values = NULL;
          g_autofree char *sales_values = NULL;

          if (c == NULL && *error != NULL)
            return FALSE;
          /* Update conflict: both sides changed since the last sync. */
          if (sb_sync_coupling_is_coupled (c) && !c->pending && !c->skipped &&
              c->last_result != SB_SYNC_RESULT_NONE)
            row = g_hash_table_lookup (pass->rows_by_id, c->dataverse_id);
          if (row != NULL && sb_record_get_int (change_field, record) > c->erp_change_no &&
              sb_sync_row_version (row) > c->dataverse_version)
            sb_sync_run_conflicting_fields (run, record, row, &fields, &erp_values, &sales_values,
                                            NULL);
          if (fields != NULL)
            switch (m->conflict_policy)
              {
                case SB_SYNC_CONFLICT_GET_FROM_SALES:
                  dropped = TRUE;
                  break;
                case SB_SYNC_CONFLICT_SEND_TO_SALES:
                  g_hash_table_add (pass->dropped_ids, (gpointer) sb_json_get_guid (row, pk));
                  break;
                case SB_SYNC_CONFLICT_NONE:
                default:
                  {
                    g_autofree char *message = g_strdup_printf (
                        _ ("Update conflict: %s was changed in both the ERP and Dynamics 365 Sales "
                           "(%s). Resolve the conflict."),
                        key, fields);
                    ConflictData conflict = { 0, fields, erp_values, sales_values };

                    if (!sb_sync_run_fail_conflict (run, &conflict, key, c->dataverse_id, message,
                                                    error))
                      return FALSE;
                    dropped = TRUE;
                    g_hash_table_add (pass->dropped_ids, (gpointer) sb_json_get_guid (row, pk));
                  }
                  break;
              }
        }
      if (!pass->to_sales || dropped)
        continue;
      if (!sb_sync_run_queue_record (run, record, pass->ops, error))
        return FALSE;
      if (pass->ops->len >= 4 * sb_sync_engine_get_batch_size (run->engine))
        {
          if (!sb_sync_run_send_ops (run, pass->ops, error))
            return FALSE;
          g_ptr_array_set_size (pass->ops, 0);
        }
    }
  if (pass->to_sales && pass->ops->len > 0)
    {
      if (!sb_sync_run_send_ops (run, pass->ops, error))
        return FALSE;
      g_ptr_array_set_size (pass->ops, 0);
    }
  return TRUE;
}

/* ERP changes are read in windows of change numbers, so that memory follows the window, not
 * the table, on a first sync of many records. */
#define ERP_WINDOW 5000

static gboolean
run_mapping (Run *run, SbSyncDirection direction, GError **error)
{
  SbSyncMapping *m = run->mapping;
  gboolean to_sales =
      direction != SB_SYNC_DIRECTION_FROM_SALES && m->direction != SB_SYNC_DIRECTION_FROM_SALES;
  gboolean from_sales =
      direction != SB_SYNC_DIRECTION_TO_SALES && m->direction != SB_SYNC_DIRECTION_TO_SALES;
  /* A mapping both ways reads both sides even in a one-way run, so that a record changed on
   * both is a conflict rather than silently overwritten; only the run's direction is applied
   * and moves its watermark. */
  gboolean read_dv = from_sales || m->direction == SB_SYNC_DIRECTION_BOTH;
  gboolean read_erp = to_sales || m->direction == SB_SYNC_DIRECTION_BOTH;
  g_autofree char *old_delta_link = g_strdup (m->delta_link);
  g_autoptr (GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  g_autoptr (GHashTable) dropped_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) rows_by_id = NULL;
  RowsRead read = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref),
                    g_ptr_array_new_with_free_func (g_free), NULL, NULL, NULL };
  const char *pk = sb_dataverse_primary_key (m->entity_set);
  gint64 start_mark = m->erp_watermark;
  gint64 max_change = m->erp_watermark;
  ErpPass pass = { to_sales, NULL, dropped_ids, ops };
  gboolean ok = FALSE;

  /* 1. Dataverse rows changed since the last run, and those to retry. */
  if (read_dv)
    {
      g_autoptr (GPtrArray) retry = NULL;

      if (!sb_sync_run_read_changed_rows (run, &read, error))
        goto out;
      rows_by_id = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < read.rows->len; i++)
        {
          const char *id = sb_json_get_guid (read.rows->pdata[i], pk);
          if (id != NULL)
            g_hash_table_insert (rows_by_id, (gpointer) id, read.rows->pdata[i]);
        }
      retry = sb_sync_coupling_list_to_retry (run->store, m->name, error);
      if (retry == NULL)
        goto out;
      for (guint i = 0; i < retry->len; i++)
        {
          SbSyncCoupling *c = retry->pdata[i];
          g_autoptr (GError) local_error = NULL;
          JsonObject *row;

          if (c->dataverse_id == NULL || c->pending ||
              g_hash_table_contains (rows_by_id, c->dataverse_id))
            continue;
          if (sb_sync_coupling_is_coupled (c) && c->last_result == SB_SYNC_RESULT_NONE)
            continue; /* new couplings start from the ERP side */
          row = sb_dataverse_connection_retrieve_sync (sb_sync_engine_get_connection (run->engine),
                                                       m->entity_set, c->dataverse_id, NULL, NULL,
                                                       run->cancellable, &local_error);
          if (row == NULL)
            continue; /* gone: its deletion shows in a later delta read */
          g_ptr_array_add (read.rows, row);
          g_hash_table_insert (rows_by_id, (gpointer) sb_json_get_guid (row, pk), row);
        }
      if (read_erp)
        pass.rows_by_id = rows_by_id;
    }

  /* 2. ERP records changed since the watermark (window by window), then those to retry;
   * conflicts are settled here and, in a run to Sales, the records sent. */
  if (read_erp)
    {
      const SbField *change_field = sb_record_type_find_field (run->type, "change_no");
      gint64 last = sb_store_get_change_number (run->store);

      run->phase = to_sales ? SB_SYNC_DIRECTION_TO_SALES : SB_SYNC_DIRECTION_BOTH;
      g_autoptr (GPtrArray) retry = NULL;
      g_autoptr (GPtrArray) retried =
          g_ptr_array_new_with_free_func ((GDestroyNotify) run->type->free_func);
      g_autofree char *where =
          *m->erp_filter != '\0'
              ? g_strdup_printf ("change_no > ?1 AND change_no <= ?2 AND (%s)", m->erp_filter)
              : g_strdup ("change_no > ?1 AND change_no <= ?2");

      for (gint64 low = start_mark; low < last; low += ERP_WINDOW)
        {
          g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, low);
          g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, low + ERP_WINDOW);
          const char *params[] = { from, to, NULL };
          g_autoptr (GPtrArray) records =
              sb_record_list (run->store, run->type, where, params, error);

          if (records == NULL || !erp_pass (run, &pass, records, error))
            goto out;
          sb_sync_thread_heartbeat (run->store);
          max_change = MAX (max_change, MIN (low + ERP_WINDOW, last));
        }
      /* Records that failed or were never sent are retried on every run (those changed since
       * the watermark were in the windows already). */
      retry = sb_sync_coupling_list_to_retry (run->store, m->name, error);
      if (retry == NULL)
        goto out;
      for (guint i = 0; i < retry->len; i++)
        {
          SbSyncCoupling *c = retry->pdata[i];
          gpointer record;

          if (c->erp_key == NULL)
            continue;
          record = sb_sync_run_erp_lookup (run, c->erp_key, error);
          if (record == NULL && *error != NULL)
            goto out;
          if (record == NULL)
            continue;
          if (sb_record_get_int (change_field, record) > start_mark)
            run->type->free_func (record);
          else
            g_ptr_array_add (retried, record);
        }
      if (!erp_pass (run, &pass, retried, error))
        goto out;
    }

  /* Deleted ERP records (tombstones): for a mapping from Sales too the ERP record is a
   * destination and the deletion policy decides (§4), unless the key was used again since. */
  if (to_sales)
    {
      g_autoptr (GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
      sqlite3_stmt *stmt = sb_store_prepare (run->store,
                                             "SELECT record_key FROM deleted_record"
                                             " WHERE table_name = ?1 AND change_no > ?2"
                                             " AND change_no <= ?3",
                                             error);
      int rc;

      if (stmt == NULL)
        goto out;
      sb_bind_text (stmt, 1, m->erp_table);
      sqlite3_bind_int64 (stmt, 2, start_mark);
      sqlite3_bind_int64 (stmt, 3, max_change);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (deleted, sb_column_dup (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          sb_store_set_error (run->store, error);
          goto out;
        }
      for (guint i = 0; i < deleted->len; i++)
        {
          g_autoptr (SbSyncCoupling) c =
              sb_sync_coupling_find_erp (run->store, m->name, deleted->pdata[i], error);
          JsonObject *row;
          gpointer again;

          if (c == NULL && *error != NULL)
            goto out;
          if (c == NULL)
            continue;
          again = sb_sync_run_erp_lookup (run, c->erp_key, error);
          if (again != NULL)
            {
              run->type->free_func (again);
              continue;
            }
          if (*error != NULL)
            goto out;
          if (!sb_sync_coupling_is_coupled (c) || c->pending)
            {
              if (!sb_sync_coupling_delete (run->store, c->id, error))
                goto out;
              continue;
            }
          if (c->skipped)
            {
              run->counters.skipped++;
              continue;
            }
          /* Only to Sales: the ERP record is the source, not a destination that was deleted;
           * the Dataverse row stays, uncoupled. */
          if (m->direction == SB_SYNC_DIRECTION_TO_SALES)
            {
              if (!sb_sync_run_uncouple (run, c, _ ("The ERP record was deleted."), error))
                goto out;
              continue;
            }
          row = rows_by_id ? g_hash_table_lookup (rows_by_id, c->dataverse_id) : NULL;
          if (!sb_sync_run_erp_deleted (run, c, row, error))
            goto out;
          /* Settled here: the row's pass must not see the deletion a second time. */
          if (row != NULL)
            g_hash_table_add (dropped_ids, (gpointer) sb_json_get_guid (row, pk));
        }
    }

  /* 3. Dataverse → ERP. */
  if (from_sales)
    {
      run->phase = SB_SYNC_DIRECTION_FROM_SALES;
      for (guint i = 0; i < read.rows->len; i++)
        {
          const char *id = sb_json_get_guid (read.rows->pdata[i], pk);

          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            goto out;
          /* Rows are applied one transaction each: a long read keeps a lock's heartbeat. */
          if (i % 100 == 99)
            sb_sync_thread_heartbeat (run->store);
          if (id != NULL && (g_hash_table_contains (dropped_ids, id) ||
                             g_hash_table_contains (run->fresh_ids, id)))
            continue;
          if (!sb_sync_run_process_row (run, read.rows->pdata[i], error))
            goto out;
        }
      for (guint i = 0; i < read.removed->len; i++)
        if (!sb_sync_run_handle_removed (run, read.removed->pdata[i], error))
          goto out;
    }

  /* 4. The watermarks, now that everything they cover is committed. */
  if (!from_sales)
    {
      g_free (m->delta_link);
      m->delta_link = g_steal_pointer (&old_delta_link);
    }
  m->erp_watermark = to_sales ? max_change : start_mark;
  if (from_sales && read.max_modified != NULL && *read.max_modified != '\0' &&
      strcmp (read.max_modified, m->dataverse_watermark) > 0)
    {
      g_free (m->dataverse_watermark);
      m->dataverse_watermark = g_strdup (read.max_modified);
    }
  ok = sb_store_run_in_transaction (run->store, watermark_txn, run, error);
out:
  sb_sync_run_rows_read_clear (&read);
  return ok;
}

static gboolean
run_sync (SbSyncEngine *self, SbStore *store, const char *name, SbSyncDirection direction,
          gboolean full, GMainContext *progress_context, SbSyncCounters *out_counters,
          GCancellable *cancellable, GError **error)
{
  Run run;
  gboolean ok;
  g_autoptr (GError) local_error = NULL;

  /* Posted invoices go with their lines and status (sb-sync-engine-invoices.c). */
  if (g_ascii_strcasecmp (name, SB_SYNC_INVOICE_MAPPING) == 0 ||
      g_ascii_strcasecmp (name, SB_SYNC_INVOICE_LINE_MAPPING) == 0)
    return sb_sync_invoices_run_mapping (self, store, name, full, progress_context, out_counters,
                                         cancellable, error);
  if (!sb_sync_run_init (&run, self, store, name, cancellable, error))
    {
      sb_sync_run_clear (&run);
      return FALSE;
    }
  run.progress_context = progress_context;
  if (full)
    {
      /* Full synchronization (§3): uncoupled records too, and everything, not just what
       * changed since the watermarks; the run writes the watermarks it reaches. */
      run.force_create = TRUE;
      run.mapping->erp_watermark = 0;
      g_free (run.mapping->dataverse_watermark);
      run.mapping->dataverse_watermark = g_strdup ("");
      g_free (run.mapping->delta_link);
      run.mapping->delta_link = g_strdup ("");
    }
  if (!sb_sync_run_job_start (&run, direction, error))
    {
      sb_sync_run_clear (&run);
      return FALSE;
    }
  ok = run_mapping (&run, direction, &local_error);
  if (!ok && local_error == NULL)
    g_set_error_literal (&local_error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                         _ ("The request was not executed."));
  sb_sync_run_job_finish (&run, ok ? run.last_failure : local_error->message);
  if (out_counters != NULL)
    *out_counters = run.counters;
  sb_sync_run_clear (&run);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

gboolean
sb_sync_run_sync_mapping (SbSyncEngine *self, SbStore *store, const char *name,
                          SbSyncDirection direction, GMainContext *progress_context,
                          SbSyncCounters *out_counters, GCancellable *cancellable, GError **error)
{
  return run_sync (self, store, name, direction, FALSE, progress_context, out_counters, cancellable,
                   error);
}

gboolean
sb_sync_engine_run_mapping (SbSyncEngine *self, SbStore *store, const char *name, gboolean full,
                            GMainContext *progress_context, SbSyncCounters *out_counters,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (SbSyncMapping) m = sb_sync_mapping_load (store, name, error);

  if (m == NULL)
    return FALSE;
  return run_sync (self, store, m->name, m->direction, full, progress_context, out_counters,
                   cancellable, error);
}

/* ---- Public API ------------------------------------------------------------------------------ */

gboolean
sb_sync_engine_sync_mapping_sync (SbSyncEngine *self, const char *mapping,
                                  SbSyncDirection direction, SbSyncCounters *out_counters,
                                  GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return sb_sync_run_sync_mapping (self, self->store, mapping, direction, NULL, out_counters,
                                   cancellable, error);
}

static gboolean
sync_all (SbSyncEngine *self, SbStore *store, GMainContext *context, GCancellable *cancellable,
          GError **error)
{
  g_autoptr (GPtrArray) mappings = sb_sync_mapping_list (store, error);
  g_autoptr (GError) first_error = NULL;

  if (mappings == NULL)
    return FALSE;
  for (guint i = 0; i < mappings->len; i++)
    {
      SbSyncMapping *m = mappings->pdata[i];
      g_autoptr (GError) local_error = NULL;

      if (!m->transfer_implemented)
        continue;
      if (!sb_sync_run_sync_mapping (self, store, m->name, m->direction, context, NULL, cancellable,
                                     &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
        }
    }
  if (first_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_sync_engine_sync_all_sync (SbSyncEngine *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return sync_all (self, self->store, NULL, cancellable, error);
}

typedef struct
{
  char *mapping;
  SbSyncDirection direction;
  gboolean all;
  SbSyncCounters counters;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->mapping);
  g_free (data);
}

static void
sync_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  AsyncData *data = task_data;
  GError *error = NULL;
  /* The caller's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store =
      sb_store_open (sb_store_get_path (self->store), SB_STORE_OPEN_DEFAULT, &error);
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->all)
    ok = sync_all (self, store, g_task_get_context (task), cancellable, &error);
  else
    ok = sb_sync_run_sync_mapping (self, store, data->mapping, data->direction,
                                   g_task_get_context (task), &data->counters, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sb_sync_engine_sync_mapping_async (SbSyncEngine *self, const char *mapping,
                                   SbSyncDirection direction, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  data->mapping = g_strdup (mapping);
  data->direction = direction;
  g_task_set_source_tag (task, sb_sync_engine_sync_mapping_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
sb_sync_engine_sync_mapping_finish (SbSyncEngine *self, GAsyncResult *result,
                                    SbSyncCounters *out_counters, GError **error)
{
  AsyncData *data = g_task_get_task_data (G_TASK (result));

  if (out_counters != NULL)
    *out_counters = data->counters;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sb_sync_engine_sync_all_async (SbSyncEngine *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  data->all = TRUE;
  g_task_set_source_tag (task, sb_sync_engine_sync_all_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
sb_sync_engine_sync_all_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ------------------------------------------------------------------------------ */

SbSyncEngine *
sb_sync_engine_new (SbStore *store, SbDataverseConnection *connection)
{
  return g_object_new (SB_TYPE_SYNC_ENGINE, "store", store, "connection", connection, NULL);
}

SbStore *
sb_sync_engine_get_store (SbSyncEngine *self)
{
  return self->store;
}

SbDataverseConnection *
sb_sync_engine_get_connection (SbSyncEngine *self)
{
  return self->connection;
}

void
sb_sync_engine_set_batch_size (SbSyncEngine *self, guint batch_size)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  batch_size = CLAMP (batch_size, 1, SB_DATAVERSE_BATCH_MAX_REQUESTS);
  if (self->batch_size == batch_size)
    return;
  self->batch_size = batch_size;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BATCH_SIZE]);
}

guint
sb_sync_engine_get_batch_size (SbSyncEngine *self)
{
  return self->batch_size;
}

gboolean
sb_sync_engine_get_change_tracking (SbSyncEngine *self)
{
  return self->change_tracking;
}

void
sb_sync_engine_set_change_tracking (SbSyncEngine *self, gboolean change_tracking)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  self->change_tracking = !!change_tracking;
}

static void
sb_sync_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbSyncEngine *self = SB_SYNC_ENGINE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_CONNECTION:
        g_value_set_object (value, self->connection);
        break;
      case PROP_BATCH_SIZE:
        g_value_set_uint (value, self->batch_size);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_engine_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SbSyncEngine *self = SB_SYNC_ENGINE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      case PROP_CONNECTION:
        self->connection = g_value_dup_object (value);
        break;
      case PROP_BATCH_SIZE:
        sb_sync_engine_set_batch_size (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sync_engine_finalize (GObject *object)
{
  SbSyncEngine *self = SB_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->connection);
  g_free (self->integration_user);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sb_sync_engine_parent_class)->finalize (object);
}

static void
sb_sync_engine_class_init (SbSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sb_sync_engine_get_property;
  object_class->set_property = sb_sync_engine_set_property;
  object_class->finalize = sb_sync_engine_finalize;

  props[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, SB_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_CONNECTION] =
      g_param_spec_object ("connection", NULL, NULL, SB_TYPE_DATAVERSE_CONNECTION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_BATCH_SIZE] = g_param_spec_uint (
      "batch-size", NULL, NULL, 1, SB_DATAVERSE_BATCH_MAX_REQUESTS, SB_SYNC_DEFAULT_BATCH_SIZE,
      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /* SbSyncEngine::progress (mapping, done, total): on the caller's main context of an async
   * run, after each $batch. */
  signals[SIGNAL_PROGRESS] =
      g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
}

static void
sb_sync_engine_init (SbSyncEngine *self)
{
  g_mutex_init (&self->lock);
  self->batch_size = SB_SYNC_DEFAULT_BATCH_SIZE;
  self->change_tracking = TRUE;
}
