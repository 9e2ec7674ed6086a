/* sb-sync-lock.c: locks held across processes, and the thread heartbeat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <signal.h>
#include <unistd.h>

#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-lock.h"

gboolean
sb_sync_lock_holder_gone (const char *host, gint64 pid, gint64 heartbeat, gint64 now, gint64 stale)
{
  /* A pid is only meaningful on its own host; elsewhere only the heartbeat tells. */
  if (g_strcmp0 (host, g_get_host_name ()) == 0 && pid > 0 && kill ((pid_t) pid, 0) == -1 &&
      errno == ESRCH)
    return TRUE;
  return heartbeat <= now - stale;
}

typedef struct
{
  const char *token;
  gint64 now;
} LockData;

static char *
format_time (gint64 t)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* The user's locale decides the format ("%c"). */
  return local != NULL ? g_date_time_format (local, "%c") : g_strdup ("?");
}

static gboolean
acquire_txn (SbStore *store, gpointer user_data, GError **error)
{
  LockData *d = user_data;
  sqlite3_stmt *stmt =
      sb_store_prepare (store,
                        "SELECT owner, host, pid, started_at, heartbeat FROM full_sync_lock"
                        " WHERE id = 1",
                        error);
  gboolean taken = FALSE;
  gboolean mine = FALSE;
  gint64 started_at = d->now;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *owner = (const char *) sqlite3_column_text (stmt, 0);
      const char *host = (const char *) sqlite3_column_text (stmt, 1);
      gint64 pid = sqlite3_column_int64 (stmt, 2);

      mine = g_strcmp0 (owner, d->token) == 0;
      if (mine)
        started_at = sqlite3_column_int64 (stmt, 3);
      else if (!sb_sync_lock_holder_gone (host, pid, sqlite3_column_int64 (stmt, 4), d->now,
                                          SB_FULL_SYNC_LOCK_STALE))
        {
          g_autofree char *by =
              g_strdup_printf (_ ("process %" PRId64 " on %s"), (int64_t) pid, host);
          g_autofree char *at = format_time (sqlite3_column_int64 (stmt, 3));

          taken = TRUE;
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_LOCKED,
                       _ ("A full synchronization is already running (started by %s at %s). "
                          "Wait for it to finish."),
                       by, at);
        }
    }
  sqlite3_reset (stmt);
  if (taken)
    return FALSE;
  stmt = sb_store_prepare (store,
                           "INSERT OR REPLACE INTO full_sync_lock (id, owner, host, pid,"
                           " started_at, heartbeat) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, d->token);
  sb_bind_text (stmt, 2, g_get_host_name ());
  sqlite3_bind_int64 (stmt, 3, getpid ());
  sqlite3_bind_int64 (stmt, 4, started_at);
  sqlite3_bind_int64 (stmt, 5, d->now);
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_full_sync_lock_acquire (SbStore *store, const char *token, gint64 now, GError **error)
{
  LockData d = { token, now };

  return sb_store_run_in_transaction (store, acquire_txn, &d, error);
}

gboolean
sb_full_sync_lock_beat (SbStore *store, const char *token, gint64 now, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "UPDATE full_sync_lock SET heartbeat = ?2 WHERE id = 1 AND owner = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, token);
  sqlite3_bind_int64 (stmt, 2, now);
  return sb_store_exec_stmt (store, stmt, error);
}

void
sb_full_sync_lock_release (SbStore *store, const char *token)
{
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "DELETE FROM full_sync_lock WHERE owner = ?1", &error);

  if (stmt != NULL)
    {
      sb_bind_text (stmt, 1, token);
      sb_store_exec_stmt (store, stmt, &error);
    }
  /* A lock left behind is taken over once its heartbeat is stale: warn, do not fail. */
  if (error != NULL)
    g_warning ("Cannot release the full synchronization lock: %s", error->message);
}

typedef struct
{
  SbSyncHeartbeatFunc func;
  gpointer user_data;
} Heartbeat;

static GPrivate thread_heartbeat = G_PRIVATE_INIT (g_free);

void
sb_sync_set_thread_heartbeat (SbSyncHeartbeatFunc func, gpointer user_data)
{
  Heartbeat *h = NULL;

  if (func != NULL)
    {
      h = g_new0 (Heartbeat, 1);
      h->func = func;
      h->user_data = user_data;
    }
  g_private_replace (&thread_heartbeat, h);
}

void
sb_sync_thread_heartbeat (SbStore *store)
{
  Heartbeat *h = g_private_get (&thread_heartbeat);

  if (h != NULL)
    h->func (store, h->user_data);
}
