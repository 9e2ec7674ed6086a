/* sb-job-queue.c: the recurring synchronization jobs (integration-behaviour.md §2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <errno.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sb-dataverse-json.h"
#include "sb-connection-setup.h"
#include "sb-job-queue.h"
#include "sb-store-private.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices-private.h"
#include "sb-sync-item-availability.h"
#include "sb-sync-lock.h"
#include "sb-sync-order-quote-private.h"

struct _SbJobQueue
{
  GObject parent_instance;
  SbSyncEngine *engine;
  SbJobQueueClock clock;
  gpointer clock_data;
  char *token;             /* this runner's identity in the lock row */
  GMutex lock;             /* guards last_checks (workers read it) */
  GHashTable *last_checks; /* job name → time of its last Dataverse wake-up check */
  char *user_id;           /* the integration user, once asked (under lock) */
  /* start()/stop() */
  guint timeout_id;
  gboolean busy;
  gboolean stopping;
  gboolean holds_lock;
  gint64 last_beat; /* the runner's last heartbeat during a job (its thread only) */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SbJobQueue, sb_job_queue, G_TYPE_OBJECT)

enum
{
  SIGNAL_JOB_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The other recurring jobs of §2: listed so the user sees them, not available yet (their work
 * comes with later issues). The two that exist only while a setting is on are left out. */
static const struct
{
  const char *name;
  guint interval;
} other_jobs[] = {
  { N_ ("Customer Statistics"), 30 },
  { N_ ("Sales Order Status"), 7 },
  { N_ ("Sales Order Notes"), 5 },
  { N_ ("Item Availability"), 30 },
};

void
sb_job_queue_entry_free (SbJobQueueEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->mapping);
  g_free (entry->message);
  g_free (entry);
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

gint64
sb_job_queue_now (SbJobQueue *self)
{
  return self->clock (self->clock_data);
}

void
sb_job_queue_set_clock (SbJobQueue *self, SbJobQueueClock clock, gpointer user_data)
{
  g_return_if_fail (SB_IS_JOB_QUEUE (self));
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

/* ---- Customer Statistics (issue 8, sb-sync-statistics.c) --------------------------------- */

#define STATISTICS_JOB "Customer Statistics"

static gboolean
is_statistics_job (const char *name)
{
  return g_str_equal (name, STATISTICS_JOB);
}

/* Available once the integration solution is deployed (its table holds the statistics). */
static gboolean
ensure_statistics_job (SbStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "UPDATE job_queue SET available = ?1 WHERE name = ?2", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, sb_sync_statistics_job_available (store));
  sb_bind_text (stmt, 2, STATISTICS_JOB);
  return sb_store_exec_stmt (store, stmt, error);
}

/* On hold, it wakes early only when the customer ledger changed (a payment, an invoice) and
 * "minutes between runs" passed since it was last ready; a due run without a ledger change
 * does nothing, so it goes back on hold. */
static gboolean
statistics_wakes_up (SbStore *store, SbJobQueueEntry *e, gint64 now)
{
  gboolean changed = FALSE;

  return now - e->last_ready >= (gint64) e->interval * 60 &&
         sb_sync_statistics_ledger_changed (store, &changed, NULL) && changed;
}

static gboolean
run_statistics_job (SbJobQueue *self, SbStore *store, GMainContext *context,
                    SbSyncCounters *counters, GCancellable *cancellable, GError **error)
{
  gboolean changed = FALSE;

  if (!sb_sync_statistics_ledger_changed (store, &changed, error))
    return FALSE;
  if (!changed)
    return TRUE;
  return sb_sync_statistics_update (self->engine, store, NULL, context, counters, cancellable,
                                    error);
}

/* ---- Item Availability (issue 8, sb-sync-item-availability.c) ------------------------------ */

static gboolean
is_item_availability_job (const char *name)
{
  return g_str_equal (name, SB_SYNC_ITEM_AVAILABILITY_JOB);
}

static gboolean
ensure_item_availability_job (SbStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "UPDATE job_queue SET available = 1 WHERE name = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, SB_SYNC_ITEM_AVAILABILITY_JOB);
  return sb_store_exec_stmt (store, stmt, error);
}

/* On hold, it wakes early when a coupled item changed and "minutes between runs" passed. */
static gboolean
item_availability_wakes_up (SbStore *store, SbJobQueueEntry *e, gint64 now)
{
  gboolean pending = FALSE;

  return now - e->last_ready >= (gint64) e->interval * 60 &&
         sb_sync_item_availability_pending (store, &pending, NULL) && pending;
}

/* A product that could not be updated fails the run, so it is retried soon. */
static gboolean
run_item_availability_job (SbJobQueue *self, SbStore *store, SbSyncCounters *counters,
                           GCancellable *cancellable, GError **error)
{
  g_autofree char *failure = NULL;

  if (!sb_sync_item_availability_push (self->engine, store, counters, &failure, cancellable, error))
    return FALSE;
  if (failure == NULL)
    return TRUE;
  g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, failure);
  return FALSE;
}

/* ---- Sales orders and quotes from Sales (issue 7, sb-sync-sales-import.h) -------------------- */

/* The two automatic jobs of §2 exist only while their setting is on. */
static const struct
{
  const char *name;
  gsize setting; /* offset of the gboolean in SbConnectionSetup */
} sales_import_jobs[] = {
  { N_ ("Automatically create sales orders"),
    G_STRUCT_OFFSET (SbConnectionSetup, auto_create_sales_orders) },
  { N_ ("Automatically process sales quotes"),
    G_STRUCT_OFFSET (SbConnectionSetup, auto_process_sales_quotes) },
};

static gboolean
sales_import_job_available (const char *name)
{
  return g_str_equal (name, "Sales Order Status") || g_str_equal (name, "Sales Order Notes");
}

static gboolean
is_sales_import_job (const char *name)
{
  if (sales_import_job_available (name))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (sales_import_jobs); i++)
    if (g_str_equal (name, sales_import_jobs[i].name))
      return TRUE;
  return FALSE;
}

/* Adds the automatic jobs whose setting is on (on hold, every 30 minutes) and removes those
 * whose setting is off; inside ensure_txn's transaction. */
static gboolean
ensure_sales_import_jobs (SbStore *store, gint64 now, GError **error)
{
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, error);

  if (setup == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sales_import_jobs); i++)
    {
      gboolean on = G_STRUCT_MEMBER (gboolean, setup, sales_import_jobs[i].setting);
      sqlite3_stmt *stmt;

      if (!on)
        {
          stmt = sb_store_prepare (store, "DELETE FROM job_queue WHERE name = ?1", error);
          if (stmt == NULL)
            return FALSE;
          sb_bind_text (stmt, 1, sales_import_jobs[i].name);
          if (!sb_store_exec_stmt (store, stmt, error))
            return FALSE;
          continue;
        }
      stmt = sb_store_prepare (store,
                               "INSERT INTO job_queue (name, mapping, position, status,"
                               " interval_minutes, inactivity_timeout, next_run, last_ready,"
                               " available) VALUES (?1, '', ?2, ?3, 30, 30, ?4, ?4, 1)"
                               " ON CONFLICT (name) DO NOTHING",
                               error);
      if (stmt == NULL)
        return FALSE;
      sb_bind_text (stmt, 1, sales_import_jobs[i].name);
      sqlite3_bind_int (stmt, 2, 2000 + i);
      sqlite3_bind_int (stmt, 3, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
      sqlite3_bind_int64 (stmt, 4, now);
      if (!sb_store_exec_stmt (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Runs one of the jobs above on @store; the counters as a mapping run counts them. */
static gboolean
run_sales_import_job (SbJobQueue *self, SbStore *store, const char *name,
                      SbSyncCounters *out_counters, GCancellable *cancellable, GError **error)
{
  SbSalesImport ctx = { self->engine, store, sb_sync_engine_get_connection (self->engine),
                        cancellable };
  SbSalesImportCounters c = { 0 };
  gboolean ok;

  if (g_str_equal (name, sales_import_jobs[0].name))
    ok = sb_sales_import_create_orders (&ctx, &c, error);
  else if (g_str_equal (name, sales_import_jobs[1].name))
    ok = sb_sales_import_process_quotes (&ctx, &c, error);
  else if (g_str_equal (name, "Sales Order Notes"))
    ok = sb_sync_engine_sync_order_notes_sync (self->engine, store, &c, cancellable, error);
  else
    ok = sb_sync_engine_send_order_status_sync (self->engine, store, &c, cancellable, error);
  out_counters->inserted = c.created;
  out_counters->modified = c.updated;
  out_counters->skipped = c.skipped;
  out_counters->failed = c.failed;
  return ok;
}

/* ---- Rows ------------------------------------------------------------------------------------ */

typedef struct
{
  GPtrArray *mappings;
  gint64 now;
} EnsureData;

static gboolean
ensure_txn (SbStore *store, gpointer user_data, GError **error)
{
  EnsureData *d = user_data;
  /* Settings follow the mapping; the state (status, next run, attempts) stays. */
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO job_queue (name, mapping, position, status, interval_minutes,"
      " inactivity_timeout, next_run, last_ready, available) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
      " ?7, ?8) ON CONFLICT (name) DO UPDATE SET position = ?3, interval_minutes = ?5,"
      " inactivity_timeout = ?6, available = ?8",
      error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < d->mappings->len; i++)
    {
      SbSyncMapping *m = d->mappings->pdata[i];

      if (m->job_interval == 0)
        continue; /* no recurring job of its own (OPPORTUNITY, invoice lines) */
      sb_bind_text (stmt, 1, m->name);
      sb_bind_text (stmt, 2, m->name);
      sqlite3_bind_int (stmt, 3, i);
      sqlite3_bind_int (stmt, 4,
                        m->transfer_implemented ? SB_JOB_STATUS_READY : SB_JOB_STATUS_ON_HOLD);
      sqlite3_bind_int (stmt, 5, m->job_interval);
      sqlite3_bind_int (stmt, 6, m->inactivity_timeout);
      sqlite3_bind_int64 (stmt, 7, d->now);
      sqlite3_bind_int (stmt, 8, m->transfer_implemented);
      if (!sb_store_exec_stmt (store, stmt, error))
        return FALSE;
    }
  /* The other jobs keep the times a user gave them (sb_job_queue_set_timing()). */
  stmt = sb_store_prepare (
      store,
      "INSERT INTO job_queue (name, mapping, position, status, interval_minutes,"
      " inactivity_timeout, next_run, last_ready, available) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
      " ?7, ?8) ON CONFLICT (name) DO UPDATE SET position = ?3, available = ?8",
      error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (other_jobs); i++)
    {
      sb_bind_text (stmt, 1, other_jobs[i].name);
      sb_bind_text (stmt, 2, "");
      sqlite3_bind_int (stmt, 3, 1000 + i);
      sqlite3_bind_int (stmt, 4, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
      sqlite3_bind_int (stmt, 5, other_jobs[i].interval);
      sqlite3_bind_int (stmt, 6, other_jobs[i].interval);
      sqlite3_bind_int64 (stmt, 7, d->now);
      sqlite3_bind_int (stmt, 8, sales_import_job_available (other_jobs[i].name));
      if (!sb_store_exec_stmt (store, stmt, error))
        return FALSE;
    }
  return ensure_statistics_job (store, error) && ensure_sales_import_jobs (store, d->now, error) &&
         ensure_item_availability_job (store, error);
}

gboolean
sb_job_queue_ensure_jobs (SbStore *store, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) mappings = sb_sync_mapping_list (store, error);
  EnsureData d = { mappings, now };

  if (mappings == NULL)
    return FALSE;
  return sb_store_run_in_transaction (store, ensure_txn, &d, error);
}

GPtrArray *
sb_job_queue_list (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) list =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_job_queue_entry_free);
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT name, mapping, status, interval_minutes, inactivity_timeout, next_run, last_ready,"
      " attempts, available, message FROM job_queue ORDER BY position, name",
      error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SbJobQueueEntry *e = g_new0 (SbJobQueueEntry, 1);

      e->name = sb_column_dup (stmt, 0);
      e->mapping = sb_column_dup (stmt, 1);
      e->status = sqlite3_column_int (stmt, 2);
      e->interval = sqlite3_column_int (stmt, 3);
      e->inactivity_timeout = sqlite3_column_int (stmt, 4);
      e->next_run = sqlite3_column_int64 (stmt, 5);
      e->last_ready = sqlite3_column_int64 (stmt, 6);
      e->attempts = sqlite3_column_int (stmt, 7);
      e->available = sqlite3_column_int (stmt, 8);
      e->message = sb_column_dup (stmt, 9);
      g_ptr_array_add (list, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static char *
time_to_iso (gint64 t)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return dt != NULL ? g_date_time_format_iso8601 (dt) : g_strdup ("");
}

JsonNode *
sb_job_queue_to_json (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) list = sb_job_queue_list (store, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (list == NULL)
    return NULL;
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      SbJobQueueEntry *e = list->pdata[i];
      g_autofree char *next_run = time_to_iso (e->next_run);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, e->name);
      json_builder_set_member_name (b, "mapping");
      json_builder_add_string_value (b, e->mapping);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, sb_job_status_to_nick (e->status));
      json_builder_set_member_name (b, "available");
      json_builder_add_boolean_value (b, e->available);
      json_builder_set_member_name (b, "interval_minutes");
      json_builder_add_int_value (b, e->interval);
      json_builder_set_member_name (b, "inactivity_timeout_minutes");
      json_builder_add_int_value (b, e->inactivity_timeout);
      json_builder_set_member_name (b, "next_run");
      json_builder_add_string_value (b, next_run);
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, e->attempts);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, e->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* ---- The runner lock ------------------------------------------------------------------------- */

typedef struct
{
  SbJobQueue *queue;
  gint64 now;
} LockData;

static gboolean
lock_txn (SbStore *store, gpointer user_data, GError **error)
{
  LockData *d = user_data;
  const char *host = g_get_host_name ();
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT owner, host, pid, heartbeat FROM job_runner_lock WHERE id = 1", error);
  gboolean free = TRUE;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *owner = (const char *) sqlite3_column_text (stmt, 0);
      const char *owner_host = (const char *) sqlite3_column_text (stmt, 1);
      gint64 pid = sqlite3_column_int64 (stmt, 2);
      gint64 heartbeat = sqlite3_column_int64 (stmt, 3);

      /* A runner killed without releasing the lock: its pid is gone (same host), or its
       * heartbeat stopped. */
      if (g_strcmp0 (owner, d->queue->token) != 0 &&
          !sb_sync_lock_holder_gone (owner_host, pid, heartbeat, d->now, SB_JOB_QUEUE_LOCK_STALE))
        {
          free = FALSE;
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED,
                       _ ("Another job runner (process %" PRId64
                          " on %s) is running the jobs of this database."),
                       (int64_t) pid, owner_host);
        }
    }
  sqlite3_reset (stmt);
  if (!free)
    return FALSE;
  stmt = sb_store_prepare (store,
                           "INSERT OR REPLACE INTO job_runner_lock (id, owner, host, pid,"
                           " heartbeat) VALUES (1, ?1, ?2, ?3, ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, d->queue->token);
  sb_bind_text (stmt, 2, host);
  sqlite3_bind_int64 (stmt, 3, getpid ());
  sqlite3_bind_int64 (stmt, 4, d->now);
  return sb_store_exec_stmt (store, stmt, error);
}

static gboolean
acquire_lock (SbJobQueue *self, SbStore *store, GError **error)
{
  LockData d = { self, sb_job_queue_now (self) };

  return sb_store_run_in_transaction (store, lock_txn, &d, error);
}

gboolean
sb_job_queue_acquire_lock (SbJobQueue *self, GError **error)
{
  g_return_val_if_fail (SB_IS_JOB_QUEUE (self), FALSE);
  return acquire_lock (self, sb_sync_engine_get_store (self->engine), error);
}

void
sb_job_queue_release_lock (SbJobQueue *self)
{
  SbStore *store;
  sqlite3_stmt *stmt;

  g_return_if_fail (SB_IS_JOB_QUEUE (self));
  store = sb_sync_engine_get_store (self->engine);
  stmt = sb_store_prepare (store, "DELETE FROM job_runner_lock WHERE owner = ?1", NULL);
  if (stmt == NULL)
    return;
  sb_bind_text (stmt, 1, self->token);
  sb_store_exec_stmt (store, stmt, NULL);
}

/* ---- Running due jobs ------------------------------------------------------------------------ */

static gboolean
set_job (SbStore *store, const SbJobQueueEntry *e, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store,
                        "UPDATE job_queue SET status = ?2, next_run = ?3, last_ready = ?4,"
                        " attempts = ?5, message = ?6 WHERE name = ?1",
                        error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, e->name);
  sqlite3_bind_int (stmt, 2, e->status);
  sqlite3_bind_int64 (stmt, 3, e->next_run);
  sqlite3_bind_int64 (stmt, 4, e->last_ready);
  sqlite3_bind_int (stmt, 5, e->attempts);
  sb_bind_text (stmt, 6, e->message ? e->message : "");
  return sb_store_exec_stmt (store, stmt, error);
}

/* ERP side of the early wake-up: records of the mapping's table changed past its watermark. */
static gboolean
erp_changed (SbStore *store, const SbSyncMapping *m)
{
  const SbRecordType *type = sb_sync_erp_record_type (m->erp_table);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean changed = FALSE;

  if (type == NULL || m->direction == SB_SYNC_DIRECTION_FROM_SALES)
    return FALSE;
  sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM %s WHERE change_no > ?1)"
                         " OR EXISTS (SELECT 1 FROM deleted_record WHERE table_name = ?2"
                         " AND change_no > ?1)",
                         type->table);
  stmt = sb_store_prepare (store, sql, NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, m->erp_watermark);
  sb_bind_text (stmt, 2, m->erp_table);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    changed = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return changed;
}

static gboolean
any_row (const SbDataversePage *page, gpointer user_data, GError **error)
{
  *(gboolean *) user_data |= json_array_get_length (page->rows) > 0;
  return FALSE;
}

typedef struct
{
  const char *user_id;
  SbSyncRowFilter *filter;
  gboolean found;
} DeltaCheck;

static gboolean
any_change (const SbDataversePage *page, gpointer user_data, GError **error)
{
  DeltaCheck *d = user_data;

  d->found |= page->removed[0] != NULL;
  for (guint i = 0; !d->found && i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);

      d->found = row != NULL &&
                 g_strcmp0 (sb_json_get_lookup (row, "modifiedby"), d->user_id) != 0 &&
                 (d->filter == NULL || sb_sync_row_filter_matches (d->filter, row));
    }
  return !d->found;
}

/* Dataverse side: one row in the mapping's filter modified after its watermark ($top=1). */
static gboolean
dataverse_changed (SbJobQueue *self, const SbSyncMapping *m, GCancellable *cancellable)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (m->entity_set);
  SbDataverseConnection *cnc = sb_sync_engine_get_connection (self->engine);
  g_autoptr (GDateTime) mark = NULL;
  g_autofree char *user_id = NULL;
  SbDataverseFilter *filter = NULL;
  gboolean found = FALSE;

  if (m->direction == SB_SYNC_DIRECTION_TO_SALES ||
      !sb_sync_parse_dataverse_filter (m->dataverse_filter, &filter, NULL))
    return FALSE;
  g_mutex_lock (&self->lock);
  user_id = g_strdup (self->user_id);
  g_mutex_unlock (&self->lock);
  if (user_id == NULL &&
      sb_dataverse_connection_who_am_i_sync (cnc, &user_id, NULL, NULL, cancellable, NULL))
    {
      g_mutex_lock (&self->lock);
      if (self->user_id == NULL)
        self->user_id = g_strdup (user_id);
      g_mutex_unlock (&self->lock);
    }
  /* With change tracking, the mapping's delta link is exactly "changed since the last sync"
   * (reading it without keeping the new link changes nothing). */
  if (*m->delta_link != '\0')
    {
      g_autoptr (SbSyncRowFilter) row_filter = sb_sync_row_filter_new (m->dataverse_filter, NULL);
      g_autofree char *next_link = NULL;
      DeltaCheck d = { user_id, row_filter, FALSE };

      g_clear_pointer (&filter, sb_dataverse_filter_free);
      if (sb_dataverse_connection_read_changes_sync (cnc, m->delta_link, NULL, any_change, &d,
                                                     &next_link, cancellable, NULL))
        return d.found;
      return TRUE; /* an expired link: let the run start over */
    }
  mark = *m->dataverse_watermark != '\0'
             ? g_date_time_new_from_iso8601 (m->dataverse_watermark, NULL)
             : NULL;
  /* Rows modified after the watermark, leaving out the integration user's own writes (they
   * are no news). A change within the watermark's own second is not seen here; the
   * inactivity timeout still runs the job. */
  if (mark != NULL)
    {
      SbDataverseFilter *condition =
          sb_dataverse_filter_date_time ("modifiedon", SB_DATAVERSE_GT, mark);

      filter = filter ? sb_dataverse_filter_and (filter, condition, NULL) : condition;
    }
  if (user_id != NULL)
    {
      SbDataverseFilter *condition =
          sb_dataverse_filter_guid ("_modifiedby_value", SB_DATAVERSE_NE, user_id);

      filter = filter ? sb_dataverse_filter_and (filter, condition, NULL) : condition;
    }
  sb_dataverse_query_set_filter (query, filter);
  sb_dataverse_query_set_top (query, 1);
  sb_dataverse_connection_query_sync (cnc, query, any_row, &found, NULL, cancellable, NULL);
  return found;
}

/* Whether a job on hold after an idle run wakes early (§2): at most once per interval since it
 * was last ready, ERP records of its table changed, or Dataverse has matching changes. */
static gboolean
wakes_up (SbJobQueue *self, SbStore *store, SbJobQueueEntry *e, gint64 now,
          GCancellable *cancellable)
{
  g_autoptr (SbSyncMapping) m = NULL;
  gint64 last_check;

  if (is_statistics_job (e->name))
    return statistics_wakes_up (store, e, now);
  if (is_item_availability_job (e->name))
    return item_availability_wakes_up (store, e, now);
  m = sb_sync_mapping_load (store, e->mapping, NULL);

  if (m == NULL || now - e->last_ready < (gint64) e->interval * 60)
    return FALSE;
  if (erp_changed (store, m))
    return TRUE;
  g_mutex_lock (&self->lock);
  last_check = GPOINTER_TO_SIZE (g_hash_table_lookup (self->last_checks, e->name));
  if (now - last_check >= (gint64) e->interval * 60)
    g_hash_table_insert (self->last_checks, g_strdup (e->name), GSIZE_TO_POINTER (now));
  g_mutex_unlock (&self->lock);
  if (now - last_check < (gint64) e->interval * 60)
    return FALSE;
  return dataverse_changed (self, m, cancellable);
}

static gboolean
is_due (SbJobQueue *self, SbStore *store, SbJobQueueEntry *e, gint64 now, GCancellable *cancellable)
{
  if (!e->available || (*e->mapping == '\0' && !is_sales_import_job (e->name) &&
                        !is_statistics_job (e->name) && !is_item_availability_job (e->name)))
    return FALSE;
  switch (e->status)
    {
      case SB_JOB_STATUS_READY:
      case SB_JOB_STATUS_ERROR:
      case SB_JOB_STATUS_IN_PROCESS: /* a runner died during the run */
        return e->next_run <= now;
      case SB_JOB_STATUS_ON_HOLD_INACTIVITY:
        return e->next_run <= now || wakes_up (self, store, e, now, cancellable);
      case SB_JOB_STATUS_ON_HOLD: /* by the user, or by a full synchronization */
      case SB_JOB_STATUS_FINISHED:
      case SB_JOB_STATUS_NONE:
      default:
        return FALSE;
    }
}

typedef struct
{
  SbJobQueue *queue;
  char *name;
  SbJobStatus status;
} JobChanged;

static gboolean
emit_job_changed (gpointer data)
{
  JobChanged *c = data;

  g_signal_emit (c->queue, signals[SIGNAL_JOB_CHANGED], 0, c->name, (guint) c->status);
  return G_SOURCE_REMOVE;
}

static void
job_changed_free (gpointer data)
{
  JobChanged *c = data;

  g_object_unref (c->queue);
  g_free (c->name);
  g_free (c);
}

static void
notify_job (SbJobQueue *self, GMainContext *context, const SbJobQueueEntry *e)
{
  JobChanged *c = g_new0 (JobChanged, 1);

  c->queue = g_object_ref (self);
  c->name = g_strdup (e->name);
  c->status = e->status;
  if (context == NULL)
    {
      emit_job_changed (c);
      job_changed_free (c);
      return;
    }
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, emit_job_changed, c, job_changed_free);
}

static gboolean
run_job (SbJobQueue *self, SbStore *store, GMainContext *context, SbJobQueueEntry *e,
         GCancellable *cancellable, GError **error)
{
  SbSyncCounters counters = { 0 };
  g_autoptr (GError) local_error = NULL;
  gboolean ok;
  gint64 now;

  e->status = SB_JOB_STATUS_IN_PROCESS;
  if (!set_job (store, e, error))
    return FALSE;
  if (is_statistics_job (e->name))
    ok = run_statistics_job (self, store, context, &counters, cancellable, &local_error);
  else if (is_item_availability_job (e->name))
    ok = run_item_availability_job (self, store, &counters, cancellable, &local_error);
  else if (*e->mapping == '\0')
    ok = run_sales_import_job (self, store, e->name, &counters, cancellable, &local_error);
  else
    ok = sb_sync_engine_run_mapping (self->engine, store, e->mapping, FALSE, context, &counters,
                                     cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped, not failed: due again at once next time. */
      e->status = SB_JOB_STATUS_READY;
      set_job (store, e, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  now = sb_job_queue_now (self);
  g_free (e->message);
  e->message = g_strdup (local_error != NULL ? local_error->message : "");
  if (ok && counters.inserted + counters.modified + counters.deleted + counters.failed == 0)
    {
      /* Idle run: sleep until the inactivity timeout (or an early wake-up). */
      e->status = SB_JOB_STATUS_ON_HOLD_INACTIVITY;
      e->next_run = now + (gint64) e->inactivity_timeout * 60;
      e->attempts = 0;
    }
  else if (ok)
    {
      e->status = SB_JOB_STATUS_READY;
      e->next_run = now + (gint64) e->interval * 60;
      e->last_ready = now;
      e->attempts = 0;
    }
  else if (++e->attempts < SB_JOB_QUEUE_MAX_ATTEMPTS)
    {
      e->status = SB_JOB_STATUS_ERROR;
      e->next_run = now + SB_JOB_QUEUE_RETRY_DELAY;
    }
  else
    {
      /* Out of attempts: try again at the next interval, with a fresh count. */
      e->status = SB_JOB_STATUS_ERROR;
      e->next_run = now + (gint64) e->interval * 60;
      e->attempts = 0;
    }
  if (!set_job (store, e, error))
    return FALSE;
  notify_job (self, context, e);
  return TRUE;
}

/* The runner's heartbeat during a job, from the engine's progress path: a long run must not
 * let the lock look stale to another runner (SB_JOB_QUEUE_LOCK_STALE). */
static void
runner_heartbeat (SbStore *store, gpointer user_data)
{
  SbJobQueue *self = user_data;
  gint64 now = sb_job_queue_now (self);
  g_autoptr (GError) error = NULL;

  if (now - self->last_beat < SB_SYNC_HEARTBEAT_INTERVAL)
    return;
  self->last_beat = now;
  if (!acquire_lock (self, store, &error))
    g_warning ("Cannot renew the job runner lock: %s", error->message);
}

static gboolean run_due_jobs (SbJobQueue *self, SbStore *store, GMainContext *context,
                              guint *out_n_run, GCancellable *cancellable, GError **error);

static gboolean
run_due (SbJobQueue *self, SbStore *store, GMainContext *context, guint *out_n_run,
         GCancellable *cancellable, GError **error)
{
  gboolean ok;

  sb_sync_set_thread_heartbeat (runner_heartbeat, self);
  ok = run_due_jobs (self, store, context, out_n_run, cancellable, error);
  sb_sync_set_thread_heartbeat (NULL, NULL);
  return ok;
}

static gboolean
run_due_jobs (SbJobQueue *self, SbStore *store, GMainContext *context, guint *out_n_run,
              GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) jobs = NULL;
  guint n_run = 0;

  if (!acquire_lock (self, store, error) ||
      !sb_job_queue_ensure_jobs (store, sb_job_queue_now (self), error))
    return FALSE;
  jobs = sb_job_queue_list (store, error);
  if (jobs == NULL)
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      if (!is_due (self, store, e, sb_job_queue_now (self), cancellable))
        continue;
      if (!run_job (self, store, context, e, cancellable, error))
        return FALSE;
      n_run++;
      /* Long runs must not let the lock look stale. */
      if (!acquire_lock (self, store, error))
        return FALSE;
    }
  if (out_n_run != NULL)
    *out_n_run = n_run;
  return TRUE;
}

gboolean
sb_job_queue_run_due_sync (SbJobQueue *self, guint *out_n_run, GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (SB_IS_JOB_QUEUE (self), FALSE);
  return run_due (self, sb_sync_engine_get_store (self->engine), NULL, out_n_run, cancellable,
                  error);
}

static void
run_due_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbJobQueue *self = source;
  guint *n_run = task_data;
  GError *error = NULL;
  /* The caller's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store = sb_store_open (
      sb_store_get_path (sb_sync_engine_get_store (self->engine)), SB_STORE_OPEN_DEFAULT, &error);

  if (store != NULL && run_due (self, store, g_task_get_context (task), n_run, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sb_job_queue_run_due_async (SbJobQueue *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_job_queue_run_due_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);
  g_task_run_in_thread (task, run_due_thread);
}

gboolean
sb_job_queue_run_due_finish (SbJobQueue *self, GAsyncResult *result, guint *out_n_run,
                             GError **error)
{
  if (out_n_run != NULL)
    *out_n_run = *(guint *) g_task_get_task_data (G_TASK (result));
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Inside the app -------------------------------------------------------------------------- */

static void
tick_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbJobQueue *self = SB_JOB_QUEUE (source);
  g_autoptr (GError) error = NULL;

  if (!sb_job_queue_run_due_finish (self, result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Job queue: %s", error->message);
  self->busy = FALSE;
  if (self->stopping && self->holds_lock)
    {
      sb_job_queue_release_lock (self);
      self->holds_lock = FALSE;
    }
}

static gboolean
tick (gpointer user_data)
{
  SbJobQueue *self = user_data;

  if (!self->busy)
    {
      self->busy = TRUE;
      sb_job_queue_run_due_async (self, self->cancellable, tick_done, NULL);
    }
  return G_SOURCE_CONTINUE;
}

gboolean
sb_job_queue_start (SbJobQueue *self, guint poll_seconds, GError **error)
{
  g_return_val_if_fail (SB_IS_JOB_QUEUE (self), FALSE);
  g_return_val_if_fail (self->timeout_id == 0, FALSE);
  if (!sb_job_queue_acquire_lock (self, error))
    return FALSE;
  self->holds_lock = TRUE;
  self->stopping = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->timeout_id = g_timeout_add_seconds (MAX (poll_seconds, 1), tick, self);
  tick (self);
  return TRUE;
}

void
sb_job_queue_stop (SbJobQueue *self)
{
  g_return_if_fail (SB_IS_JOB_QUEUE (self));
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->stopping = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (!self->busy && self->holds_lock)
    {
      sb_job_queue_release_lock (self);
      self->holds_lock = FALSE;
    }
}

gboolean
sb_job_queue_is_running (SbJobQueue *self)
{
  return self->busy;
}

/* ---- GObject --------------------------------------------------------------------------------- */

SbJobQueue *
sb_job_queue_new (SbSyncEngine *engine)
{
  SbJobQueue *self = g_object_new (SB_TYPE_JOB_QUEUE, NULL);

  self->engine = g_object_ref (engine);
  return self;
}

static void
sb_job_queue_dispose (GObject *object)
{
  SbJobQueue *self = SB_JOB_QUEUE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->holds_lock && !self->busy)
    {
      sb_job_queue_release_lock (self);
      self->holds_lock = FALSE;
    }
  G_OBJECT_CLASS (sb_job_queue_parent_class)->dispose (object);
}

static void
sb_job_queue_finalize (GObject *object)
{
  SbJobQueue *self = SB_JOB_QUEUE (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->last_checks);
  g_mutex_clear (&self->lock);
  g_free (self->token);
  g_free (self->user_id);
  G_OBJECT_CLASS (sb_job_queue_parent_class)->finalize (object);
}

static void
sb_job_queue_class_init (SbJobQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_job_queue_dispose;
  object_class->finalize = sb_job_queue_finalize;
  signals[SIGNAL_JOB_CHANGED] =
      g_signal_new ("job-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
sb_job_queue_init (SbJobQueue *self)
{
  self->clock = real_clock;
  self->token = g_uuid_string_random ();
  g_mutex_init (&self->lock);
  self->last_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
