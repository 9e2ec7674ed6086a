/* sb-full-sync-review.c: the Full Synchronization Review (integration-behaviour.md §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"
#include "sb-full-sync-review.h"
#include "sb-store-private.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-lock.h"

struct _SbFullSyncReview
{
  GObject parent_instance;
  SbSyncEngine *engine;
  SbJobQueueClock clock;
  gpointer clock_data;
};

G_DEFINE_FINAL_TYPE (SbFullSyncReview, sb_full_sync_review, G_TYPE_OBJECT)

enum
{
  SIGNAL_LINE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

void
sb_full_sync_line_free (SbFullSyncLine *line)
{
  if (line == NULL)
    return;
  g_free (line->mapping);
  g_free (line->depends_on);
  g_free (line->message);
  g_free (line);
}

const char *
sb_full_sync_recommendation_to_nick (SbFullSyncRecommendation recommendation)
{
  switch (recommendation)
    {
      case SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS:
        return "no-records";
      case SB_FULL_SYNC_RECOMMENDATION_COUPLE:
        return "couple";
      case SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC:
        return "full-sync";
      case SB_FULL_SYNC_RECOMMENDATION_NONE:
      default:
        return "";
    }
}

const char *
sb_full_sync_recommendation_to_label (SbFullSyncRecommendation recommendation)
{
  switch (recommendation)
    {
      case SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS:
        return _ ("No Records Found");
      case SB_FULL_SYNC_RECOMMENDATION_COUPLE:
        return _ ("Couple Records");
      case SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC:
        return _ ("Full Synchronization");
      case SB_FULL_SYNC_RECOMMENDATION_NONE:
      default:
        return "";
    }
}

const char *
sb_full_sync_side_status_to_nick (SbFullSyncSideStatus status)
{
  switch (status)
    {
      case SB_FULL_SYNC_SIDE_SUCCESS:
        return "success";
      case SB_FULL_SYNC_SIDE_IN_PROCESS:
        return "in-process";
      case SB_FULL_SYNC_SIDE_ERROR:
        return "error";
      case SB_FULL_SYNC_SIDE_NONE:
      default:
        return "";
    }
}

const char *
sb_full_sync_side_status_to_label (SbFullSyncSideStatus status)
{
  switch (status)
    {
      case SB_FULL_SYNC_SIDE_SUCCESS:
        return _ ("Success");
      case SB_FULL_SYNC_SIDE_IN_PROCESS:
        return _ ("In Process");
      case SB_FULL_SYNC_SIDE_ERROR:
        return _ ("Error");
      case SB_FULL_SYNC_SIDE_NONE:
      default:
        return "";
    }
}

/* ---- Stored lines ---------------------------------------------------------------------------- */

/* The mappings that get a line: one per mapping the engine can run; the invoice line mapping is
 * pushed with its header and never has a line of its own. */
static gboolean
has_line (const SbSyncMapping *m)
{
  return m->transfer_implemented && !g_str_equal (m->name, "POSTEDSALESLINE-INV");
}

GPtrArray *
sb_full_sync_review_list (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) mappings = sb_sync_mapping_list (store, error);
  g_autoptr (GPtrArray) lines =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_full_sync_line_free);
  sqlite3_stmt *stmt;
  int rc;

  if (mappings == NULL)
    return NULL;
  stmt = sb_store_prepare (store,
                           "SELECT mapping, status, to_status, from_status, recommendation,"
                           " erp_count, dataverse_count, message FROM full_sync_review"
                           " ORDER BY position",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      SbFullSyncLine *line = NULL;

      for (guint i = 0; i < mappings->len; i++)
        {
          SbSyncMapping *m = mappings->pdata[i];

          if (!g_str_equal (m->name, name))
            continue;
          line = g_new0 (SbFullSyncLine, 1);
          line->mapping = g_strdup (m->name);
          line->depends_on = g_strdup (m->depends_on);
          line->direction = m->direction;
        }
      if (line == NULL)
        continue; /* a mapping that went away */
      line->status = sqlite3_column_int (stmt, 1);
      line->to_status = sqlite3_column_int (stmt, 2);
      line->from_status = sqlite3_column_int (stmt, 3);
      line->recommendation = sqlite3_column_int (stmt, 4);
      line->erp_count = sqlite3_column_int (stmt, 5);
      line->dataverse_count = sqlite3_column_int (stmt, 6);
      line->message = sb_column_dup (stmt, 7);
      g_ptr_array_add (lines, line);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&lines);
}

JsonNode *
sb_full_sync_review_to_json (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) lines = sb_full_sync_review_list (store, error);
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (lines == NULL)
    return NULL;
  json_builder_begin_array (b);
  for (guint i = 0; i < lines->len; i++)
    {
      SbFullSyncLine *l = lines->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "mapping");
      json_builder_add_string_value (b, l->mapping);
      json_builder_set_member_name (b, "depends_on");
      json_builder_add_string_value (b, l->depends_on);
      json_builder_set_member_name (b, "direction");
      json_builder_add_string_value (b, sb_sync_direction_to_string (l->direction));
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, sb_job_status_to_nick (l->status));
      json_builder_set_member_name (b, "to_status");
      json_builder_add_string_value (b, sb_full_sync_side_status_to_nick (l->to_status));
      json_builder_set_member_name (b, "from_status");
      json_builder_add_string_value (b, sb_full_sync_side_status_to_nick (l->from_status));
      json_builder_set_member_name (b, "recommendation");
      json_builder_add_string_value (b, sb_full_sync_recommendation_to_nick (l->recommendation));
      json_builder_set_member_name (b, "erp_count");
      json_builder_add_int_value (b, l->erp_count);
      json_builder_set_member_name (b, "dataverse_count");
      json_builder_add_int_value (b, l->dataverse_count);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, l->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

gboolean
sb_full_sync_review_reset (SbStore *store, GError **error)
{
  return sb_store_exec (store, "DELETE FROM full_sync_review", error);
}

static gboolean
set_line (SbStore *store, const SbFullSyncLine *l, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store,
                                         "UPDATE full_sync_review SET status = ?2, to_status = ?3,"
                                         " from_status = ?4, message = ?5 WHERE mapping = ?1",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, l->mapping);
  sqlite3_bind_int (stmt, 2, l->status);
  sqlite3_bind_int (stmt, 3, l->to_status);
  sqlite3_bind_int (stmt, 4, l->from_status);
  sb_bind_text (stmt, 5, l->message ? l->message : "");
  return sb_store_exec_stmt (store, stmt, error);
}

/* ---- Generate -------------------------------------------------------------------------------- */

typedef struct
{
  guint count;
  guint base_currencies; /* rows with exchange rate 1 (CURRENCY only) */
} DvCount;

static gboolean
count_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  DvCount *c = user_data;
  guint n = json_array_get_length (page->rows);

  c->count += n;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);

      if (row != NULL && sb_json_get_double (row, "exchangerate", 0) == 1.0)
        c->base_currencies++;
    }
  return TRUE;
}

static gboolean
count_dataverse (SbSyncEngine *engine, const SbSyncMapping *m, DvCount *out,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (m->entity_set);
  SbDataverseFilter *filter = NULL;
  const char *pk = sb_dataverse_primary_key (m->entity_set);

  if (!sb_sync_parse_dataverse_filter (m->dataverse_filter, &filter, error))
    return FALSE;
  sb_dataverse_query_set_filter (query, filter);
  if (g_str_equal (m->name, "CURRENCY"))
    sb_dataverse_query_select (query, pk != NULL ? pk : "transactioncurrencyid", "exchangerate",
                               NULL);
  else if (pk != NULL)
    sb_dataverse_query_select (query, pk, NULL);
  return sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (engine), query,
                                             count_page, out, NULL, cancellable, error);
}

static gboolean
count_erp (SbStore *store, const SbSyncMapping *m, guint *out_count, GError **error)
{
  const SbRecordType *type = sb_sync_erp_record_type (m->erp_table);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  *out_count = 0;
  if (type == NULL)
    return TRUE;
  sql = *m->erp_filter != '\0'
            ? g_strdup_printf ("SELECT count(*) FROM %s WHERE (%s)", type->table, m->erp_filter)
            : g_strdup_printf ("SELECT count(*) FROM %s", type->table);
  stmt = sb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *out_count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static SbFullSyncRecommendation
recommend (const SbSyncMapping *m, guint erp_count, const DvCount *dv)
{
  if (g_str_equal (m->name, "SALESPEOPLE"))
    return SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC;
  /* A new Dataverse holds its base currency only: no coupling needed, the engine recognizes it
   * as the ERP's local currency. */
  if (g_str_equal (m->name, "CURRENCY") && dv->count == 1 && dv->base_currencies == 1)
    return SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC;
  if (g_str_equal (m->name, "CURRENCY") && dv->count > 0)
    return SB_FULL_SYNC_RECOMMENDATION_COUPLE;
  if (erp_count == 0 && dv->count == 0)
    return SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS;
  if (erp_count > 0 && dv->count > 0)
    return SB_FULL_SYNC_RECOMMENDATION_COUPLE;
  return SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC;
}

typedef struct
{
  const char *mapping;
  guint position;
  SbFullSyncRecommendation recommendation;
  guint erp_count;
  guint dataverse_count;
} GenerateData;

/* All lines in one transaction: a Start killed while generating finds either no lines (and
 * generates again) or all of them. */
static gboolean
generate_txn (SbStore *store, gpointer user_data, GError **error)
{
  GArray *lines = user_data;
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO full_sync_review (mapping, position, recommendation, erp_count,"
      " dataverse_count) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (mapping) DO UPDATE SET"
      " position = ?2, recommendation = ?3, erp_count = ?4, dataverse_count = ?5"
      " WHERE status = 0",
      error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      GenerateData *d = &g_array_index (lines, GenerateData, i);

      sb_bind_text (stmt, 1, d->mapping);
      sqlite3_bind_int (stmt, 2, d->position);
      sqlite3_bind_int (stmt, 3, d->recommendation);
      sqlite3_bind_int (stmt, 4, d->erp_count);
      sqlite3_bind_int (stmt, 5, d->dataverse_count);
      if (!sb_store_exec_stmt (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
generate (SbSyncEngine *engine, SbStore *store, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) mappings = sb_sync_mapping_list (store, error);
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GArray) generated = g_array_new (FALSE, FALSE, sizeof (GenerateData));

  if (mappings == NULL)
    return FALSE;
  lines = sb_full_sync_review_list (store, error);
  if (lines == NULL)
    return FALSE;
  for (guint i = 0; i < mappings->len; i++)
    {
      SbSyncMapping *m = mappings->pdata[i];
      DvCount dv = { 0, 0 };
      guint erp_count = 0;
      gboolean started = FALSE;
      GenerateData d;

      if (!has_line (m))
        continue;
      for (guint j = 0; j < lines->len; j++)
        {
          SbFullSyncLine *l = lines->pdata[j];
          started |= g_str_equal (l->mapping, m->name) && l->status != SB_JOB_STATUS_NONE;
        }
      if (started)
        continue;
      if (!count_erp (store, m, &erp_count, error) ||
          !count_dataverse (engine, m, &dv, cancellable, error))
        return FALSE;
      d = (GenerateData){ m->name, i, recommend (m, erp_count, &dv), erp_count, dv.count };
      g_array_append_val (generated, d);
    }
  return sb_store_run_in_transaction (store, generate_txn, generated, error);
}

/* ---- Start ----------------------------------------------------------------------------------- */

typedef struct
{
  SbFullSyncReview *review;
  char *mapping;
  SbJobStatus status;
} LineChanged;

static gboolean
emit_line_changed (gpointer data)
{
  LineChanged *c = data;

  g_signal_emit (c->review, signals[SIGNAL_LINE_CHANGED], 0, c->mapping, (guint) c->status);
  return G_SOURCE_REMOVE;
}

static void
line_changed_free (gpointer data)
{
  LineChanged *c = data;

  g_object_unref (c->review);
  g_free (c->mapping);
  g_free (c);
}

static void
notify_line (SbFullSyncReview *self, GMainContext *context, const SbFullSyncLine *line)
{
  LineChanged *c = g_new0 (LineChanged, 1);

  c->review = g_object_ref (self);
  c->mapping = g_strdup (line->mapping);
  c->status = line->status;
  if (context == NULL)
    {
      emit_line_changed (c);
      line_changed_free (c);
      return;
    }
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, emit_line_changed, c, line_changed_free);
}

static gboolean
done (const SbFullSyncLine *l)
{
  return l->status == SB_JOB_STATUS_FINISHED ||
         (l->status == SB_JOB_STATUS_NONE &&
          l->recommendation == SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS);
}

static SbFullSyncLine *
find_line (GPtrArray *lines, const char *mapping)
{
  for (guint i = 0; i < lines->len; i++)
    {
      SbFullSyncLine *l = lines->pdata[i];

      if (g_ascii_strcasecmp (l->mapping, mapping) == 0)
        return l;
    }
  return NULL;
}

/* A line may start when it has not finished, was not tried in this Start yet, and every line it
 * depends on is Finished or found no records (a dependency without a line does not hold it). */
static SbFullSyncLine *
next_line (GPtrArray *lines, GHashTable *tried)
{
  for (guint i = 0; i < lines->len; i++)
    {
      SbFullSyncLine *l = lines->pdata[i];
      g_auto (GStrv) deps = NULL;
      gboolean ready = TRUE;

      if (done (l) || g_hash_table_contains (tried, l->mapping))
        continue;
      deps = g_strsplit (l->depends_on, ",", -1);
      for (guint j = 0; deps[j] != NULL; j++)
        {
          SbFullSyncLine *dep = find_line (lines, g_strstrip (deps[j]));

          if (*deps[j] != '\0' && dep != NULL && !done (dep))
            ready = FALSE;
        }
      if (ready)
        return l;
    }
  return NULL;
}

/* Puts the mapping's recurring job on hold while its full synchronization runs (§3), and
 * back to Ready, due now, afterwards. */
static gboolean
hold_job (SbStore *store, const char *mapping, gboolean hold, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      hold ? "UPDATE job_queue SET status = 4, held_by_full_sync = 1 WHERE mapping = ?1"
           : "UPDATE job_queue SET status = 1, held_by_full_sync = 0, attempts = 0"
             " WHERE mapping = ?1 AND held_by_full_sync = 1",
      error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, mapping);
  return sb_store_exec_stmt (store, stmt, error);
}

static gboolean
run_line (SbFullSyncReview *self, SbStore *store, GMainContext *context, SbFullSyncLine *l,
          GCancellable *cancellable, GError **error)
{
  SbSyncCounters counters = { 0 };
  g_autoptr (GError) local_error = NULL;
  gboolean to_sales = l->direction != SB_SYNC_DIRECTION_FROM_SALES;
  gboolean from_sales = l->direction != SB_SYNC_DIRECTION_TO_SALES;
  gboolean ok;

  l->status = SB_JOB_STATUS_IN_PROCESS;
  l->to_status = to_sales ? SB_FULL_SYNC_SIDE_IN_PROCESS : SB_FULL_SYNC_SIDE_NONE;
  l->from_status = from_sales ? SB_FULL_SYNC_SIDE_IN_PROCESS : SB_FULL_SYNC_SIDE_NONE;
  g_free (l->message);
  l->message = g_strdup ("");
  if (!set_line (store, l, error) || !hold_job (store, l->mapping, TRUE, error))
    return FALSE;
  notify_line (self, context, l);

  /* Both sides hold data: couple what matches before anything is created, so the full
   * synchronization below creates only what has no counterpart. That holds for every line
   * with data on both sides, also SALESPEOPLE, whose recommendation is always Full
   * Synchronization (§3): a salesperson already in the ERP must not come back as a second
   * one. Running it again after a crash is harmless: coupled records are left alone. */
  ok = !(l->recommendation == SB_FULL_SYNC_RECOMMENDATION_COUPLE ||
         (l->erp_count > 0 && l->dataverse_count > 0)) ||
       sb_sync_engine_run_couple_match (self->engine, store, l->mapping, TRUE, context, NULL,
                                        cancellable, &local_error);
  if (ok)
    ok = sb_sync_engine_run_mapping (self->engine, store, l->mapping, TRUE, context, &counters,
                                     cancellable, &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left In Process: the next Start resumes it. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  l->status = ok ? SB_JOB_STATUS_FINISHED : SB_JOB_STATUS_ERROR;
  /* Each side by its own failures: contacts that could not reach Sales are no failure from
   * Sales. */
  if (to_sales)
    l->to_status =
        ok && counters.failed_to_sales == 0 ? SB_FULL_SYNC_SIDE_SUCCESS : SB_FULL_SYNC_SIDE_ERROR;
  if (from_sales)
    l->from_status =
        ok && counters.failed_from_sales == 0 ? SB_FULL_SYNC_SIDE_SUCCESS : SB_FULL_SYNC_SIDE_ERROR;
  g_free (l->message);
  l->message = g_strdup (local_error != NULL ? local_error->message : "");
  if (!set_line (store, l, error) || !hold_job (store, l->mapping, FALSE, error))
    return FALSE;
  notify_line (self, context, l);
  return TRUE;
}

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
sb_full_sync_review_set_clock (SbFullSyncReview *self, SbJobQueueClock clock, gpointer user_data)
{
  g_return_if_fail (SB_IS_FULL_SYNC_REVIEW (self));
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
}

typedef struct
{
  SbFullSyncReview *review;
  const char *token; /* this Start's identity in the full synchronization lock */
  gint64 last_beat;  /* the lock's last heartbeat */
} Beat;

/* From the engine's progress path while lines run: a long line must not let the lock look
 * stale to another process (SB_FULL_SYNC_LOCK_STALE). */
static void
review_heartbeat (SbStore *store, gpointer user_data)
{
  Beat *beat = user_data;
  gint64 now = beat->review->clock (beat->review->clock_data);
  g_autoptr (GError) error = NULL;

  if (now - beat->last_beat < SB_SYNC_HEARTBEAT_INTERVAL)
    return;
  beat->last_beat = now;
  if (!sb_full_sync_lock_beat (store, beat->token, now, &error))
    g_warning ("Cannot renew the full synchronization lock: %s", error->message);
}

static gboolean run_lines (SbFullSyncReview *self, SbStore *store, GMainContext *context,
                           Beat *beat, GCancellable *cancellable, GError **error);

/* Only one full synchronization at a time, also across processes (the app and the CLI) and
 * within one (each Start has a token of its own). */
static gboolean
start (SbFullSyncReview *self, SbStore *store, GMainContext *context, GCancellable *cancellable,
       GError **error)
{
  g_autofree char *token = g_uuid_string_random ();
  Beat beat = { self, token, self->clock (self->clock_data) };
  gboolean ok;

  if (!sb_full_sync_lock_acquire (store, token, beat.last_beat, error))
    return FALSE;
  sb_sync_set_thread_heartbeat (review_heartbeat, &beat);
  ok = run_lines (self, store, context, &beat, cancellable, error);
  sb_sync_set_thread_heartbeat (NULL, NULL);
  sb_full_sync_lock_release (store, token);
  return ok;
}

static gboolean
run_lines (SbFullSyncReview *self, SbStore *store, GMainContext *context, Beat *beat,
           GCancellable *cancellable, GError **error)
{
  g_autoptr (GHashTable) tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) lines = sb_full_sync_review_list (store, error);
  guint unfinished = 0;

  if (lines == NULL)
    return FALSE;
  if (lines->len == 0)
    {
      g_clear_pointer (&lines, g_ptr_array_unref);
      if (!generate (self->engine, store, cancellable, error))
        return FALSE;
      lines = sb_full_sync_review_list (store, error);
      if (lines == NULL)
        return FALSE;
    }
  /* When a line finishes, Start looks again: execution follows the dependency graph. */
  for (;;)
    {
      SbFullSyncLine *l = next_line (lines, tried);

      if (l == NULL)
        break;
      g_hash_table_add (tried, g_strdup (l->mapping));
      if (!run_line (self, store, context, l, cancellable, error))
        return FALSE;
      review_heartbeat (store, beat);
    }
  for (guint i = 0; i < lines->len; i++)
    unfinished += !done (lines->pdata[i]);
  if (unfinished > 0)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_INCOMPLETE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u line of the full synchronization did not finish.",
                                "%u lines of the full synchronization did not finish.", unfinished),
                   unfinished);
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_full_sync_review_generate_sync (SbFullSyncReview *self, GCancellable *cancellable,
                                   GError **error)
{
  g_return_val_if_fail (SB_IS_FULL_SYNC_REVIEW (self), FALSE);
  return generate (self->engine, sb_sync_engine_get_store (self->engine), cancellable, error);
}

gboolean
sb_full_sync_review_start_sync (SbFullSyncReview *self, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_FULL_SYNC_REVIEW (self), FALSE);
  return start (self, sb_sync_engine_get_store (self->engine), NULL, cancellable, error);
}

static void
review_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbFullSyncReview *self = source;
  GError *error = NULL;
  /* The caller's store belongs to the caller's thread: this thread opens its own. */
  g_autoptr (SbStore) store = sb_store_open (
      sb_store_get_path (sb_sync_engine_get_store (self->engine)), SB_STORE_OPEN_DEFAULT, &error);
  gboolean ok;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (GPOINTER_TO_INT (task_data))
    ok = start (self, store, g_task_get_context (task), cancellable, &error);
  else
    ok = generate (self->engine, store, cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sb_full_sync_review_generate_async (SbFullSyncReview *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_full_sync_review_generate_async);
  g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
  g_task_run_in_thread (task, review_thread);
}

gboolean
sb_full_sync_review_generate_finish (SbFullSyncReview *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sb_full_sync_review_start_async (SbFullSyncReview *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_full_sync_review_start_async);
  g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
  g_task_run_in_thread (task, review_thread);
}

gboolean
sb_full_sync_review_start_finish (SbFullSyncReview *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject --------------------------------------------------------------------------------- */

SbFullSyncReview *
sb_full_sync_review_new (SbSyncEngine *engine)
{
  SbFullSyncReview *self = g_object_new (SB_TYPE_FULL_SYNC_REVIEW, NULL);

  self->engine = g_object_ref (engine);
  return self;
}

static void
sb_full_sync_review_finalize (GObject *object)
{
  SbFullSyncReview *self = SB_FULL_SYNC_REVIEW (object);

  g_clear_object (&self->engine);
  G_OBJECT_CLASS (sb_full_sync_review_parent_class)->finalize (object);
}

static void
sb_full_sync_review_class_init (SbFullSyncReviewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_full_sync_review_finalize;
  signals[SIGNAL_LINE_CHANGED] =
      g_signal_new ("line-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
sb_full_sync_review_init (SbFullSyncReview *self)
{
  self->clock = real_clock;
}
