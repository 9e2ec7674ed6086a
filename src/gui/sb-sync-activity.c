/* sb-sync-activity.c
 *
 * One object per database path, kept in a process-wide table while anyone holds it, so pages
 * and the job runner of one window and the engine's progress meet without knowing each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-store.h"
#include "sb-sync-activity.h"
#include "sb-sync-engine.h"

typedef struct
{
  guint id;
  char *title;
} ActiveRun;

struct _SbSyncActivity
{
  GObject parent_instance;

  char *db_path;
  GArray *runs; /* ActiveRun, oldest first */
  guint next_id;
  char *mapping;
  guint done;
  guint total;
  char *last_error;
  GDateTime *last_finished;
};

G_DEFINE_FINAL_TYPE (SbSyncActivity, sb_sync_activity, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* db path → SbSyncActivity (not a reference: finalize removes it). Main thread only. */
static GHashTable *activities;

static void
changed (SbSyncActivity *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Every engine's progress, wherever it was started: the review page's and the job queue's
 * engines emit it on the main context. */
static gboolean
on_engine_progress (GSignalInvocationHint *hint, guint n_values, const GValue *values,
                    gpointer user_data)
{
  SbSyncEngine *engine;
  SbSyncActivity *self;

  if (activities == NULL || n_values < 4 || !g_main_context_is_owner (g_main_context_default ()))
    return TRUE;
  engine = g_value_get_object (&values[0]);
  if (!SB_IS_SYNC_ENGINE (engine) || sb_sync_engine_get_store (engine) == NULL)
    return TRUE;
  self = g_hash_table_lookup (activities, sb_store_get_path (sb_sync_engine_get_store (engine)));
  if (self != NULL && self->runs->len > 0)
    sb_sync_activity_progress (self, g_value_get_string (&values[1]), g_value_get_uint (&values[2]),
                               g_value_get_uint (&values[3]));
  return TRUE;
}

SbSyncActivity *
sb_sync_activity_get_for_database (const char *db_path)
{
  SbSyncActivity *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  if (activities == NULL)
    {
      gpointer klass = g_type_class_ref (SB_TYPE_SYNC_ENGINE);

      activities = g_hash_table_new (g_str_hash, g_str_equal);
      g_signal_add_emission_hook (g_signal_lookup ("progress", SB_TYPE_SYNC_ENGINE), 0,
                                  on_engine_progress, NULL, NULL);
      /* The hook needs the class to stay. */
      (void) klass;
    }
  self = g_hash_table_lookup (activities, db_path);
  if (self != NULL)
    return g_object_ref (self);
  self = g_object_new (SB_TYPE_SYNC_ACTIVITY, NULL);
  self->db_path = g_strdup (db_path);
  g_hash_table_insert (activities, self->db_path, self);
  return self;
}

const char *
sb_sync_activity_get_database_path (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), NULL);
  return self->db_path;
}

guint
sb_sync_activity_begin (SbSyncActivity *self, const char *title)
{
  ActiveRun run;

  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), 0);

  run.id = ++self->next_id;
  run.title = g_strdup (title);
  g_array_append_val (self->runs, run);
  if (self->runs->len == 1)
    {
      g_clear_pointer (&self->mapping, g_free);
      self->done = self->total = 0;
    }
  changed (self);
  return run.id;
}

static void
remove_run (SbSyncActivity *self, guint id)
{
  for (guint i = 0; i < self->runs->len; i++)
    if (g_array_index (self->runs, ActiveRun, i).id == id)
      {
        g_free (g_array_index (self->runs, ActiveRun, i).title);
        g_array_remove_index (self->runs, i);
        break;
      }
  if (self->runs->len == 0)
    {
      g_clear_pointer (&self->mapping, g_free);
      self->done = self->total = 0;
    }
}

void
sb_sync_activity_abandon (SbSyncActivity *self, guint id)
{
  g_return_if_fail (SB_IS_SYNC_ACTIVITY (self));
  remove_run (self, id);
  changed (self);
}

void
sb_sync_activity_end (SbSyncActivity *self, guint id, const GError *error)
{
  g_return_if_fail (SB_IS_SYNC_ACTIVITY (self));

  remove_run (self, id);
  g_clear_pointer (&self->last_finished, g_date_time_unref);
  self->last_finished = g_date_time_new_now_local ();
  /* A cancelled run is the user's choice, not a failure to report. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
    }
  else if (error == NULL)
    g_clear_pointer (&self->last_error, g_free);
  changed (self);
}

void
sb_sync_activity_progress (SbSyncActivity *self, const char *mapping, guint done, guint total)
{
  g_return_if_fail (SB_IS_SYNC_ACTIVITY (self));

  if (g_strcmp0 (self->mapping, mapping) != 0)
    {
      g_free (self->mapping);
      self->mapping = g_strdup (mapping);
    }
  self->done = done;
  self->total = total;
  changed (self);
}

gboolean
sb_sync_activity_is_running (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), FALSE);
  return self->runs->len > 0;
}

const char *
sb_sync_activity_get_title (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), NULL);
  if (self->runs->len == 0)
    return NULL;
  return g_array_index (self->runs, ActiveRun, self->runs->len - 1).title;
}

const char *
sb_sync_activity_get_mapping (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), NULL);
  return self->mapping;
}

void
sb_sync_activity_get_counts (SbSyncActivity *self, guint *out_done, guint *out_total)
{
  g_return_if_fail (SB_IS_SYNC_ACTIVITY (self));
  if (out_done != NULL)
    *out_done = self->done;
  if (out_total != NULL)
    *out_total = self->total;
}

const char *
sb_sync_activity_get_last_error (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), NULL);
  return self->last_error;
}

void
sb_sync_activity_clear_error (SbSyncActivity *self)
{
  g_return_if_fail (SB_IS_SYNC_ACTIVITY (self));
  if (self->last_error == NULL)
    return;
  g_clear_pointer (&self->last_error, g_free);
  changed (self);
}

GDateTime *
sb_sync_activity_get_last_finished (SbSyncActivity *self)
{
  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (self), NULL);
  return self->last_finished;
}

static void
sb_sync_activity_finalize (GObject *object)
{
  SbSyncActivity *self = SB_SYNC_ACTIVITY (object);

  if (activities != NULL && self->db_path != NULL &&
      g_hash_table_lookup (activities, self->db_path) == self)
    g_hash_table_remove (activities, self->db_path);
  for (guint i = 0; i < self->runs->len; i++)
    g_free (g_array_index (self->runs, ActiveRun, i).title);
  g_array_unref (self->runs);
  g_free (self->db_path);
  g_free (self->mapping);
  g_free (self->last_error);
  g_clear_pointer (&self->last_finished, g_date_time_unref);
  G_OBJECT_CLASS (sb_sync_activity_parent_class)->finalize (object);
}

static void
sb_sync_activity_class_init (SbSyncActivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_sync_activity_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sb_sync_activity_init (SbSyncActivity *self)
{
  self->runs = g_array_new (FALSE, FALSE, sizeof (ActiveRun));
}
