/* sb-sandbox-limits.c: per-user sliding-window service protection limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-limits.h"

typedef struct
{
  gint64 time_us;
  gint64 execution_us;
} Entry;

typedef struct
{
  GQueue entries;      /* Entry*, oldest first */
  gint64 execution_us; /* sum over entries */
  guint concurrent;
  GQueue open; /* Entry* of requests still running, oldest first */
} UserState;

struct _SbSandboxLimits
{
  SbSandboxLimitsConfig config;
  GHashTable *users; /* user id → UserState* */
};

static void
user_state_free (gpointer data)
{
  UserState *s = data;

  g_queue_clear_full (&s->entries, g_free);
  g_queue_clear (&s->open);
  g_free (s);
}

SbSandboxLimits *
sb_sandbox_limits_new (const SbSandboxLimitsConfig *config)
{
  SbSandboxLimits *self = g_new0 (SbSandboxLimits, 1);

  self->config = *config;
  if (self->config.window_seconds == 0)
    self->config.window_seconds = 300;
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, user_state_free);
  return self;
}

void
sb_sandbox_limits_free (SbSandboxLimits *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->users);
  g_free (self);
}

static void
prune (SbSandboxLimits *self, UserState *s, gint64 now_us)
{
  gint64 window = (gint64) self->config.window_seconds * G_USEC_PER_SEC;

  while (!g_queue_is_empty (&s->entries))
    {
      Entry *e = g_queue_peek_head (&s->entries);

      if (now_us - e->time_us < window || g_queue_find (&s->open, e) != NULL)
        break;
      s->execution_us -= e->execution_us;
      g_free (g_queue_pop_head (&s->entries));
    }
}

static guint
retry_after (SbSandboxLimits *self, UserState *s, gint64 now_us)
{
  Entry *oldest = g_queue_peek_head (&s->entries);
  gint64 window = (gint64) self->config.window_seconds * G_USEC_PER_SEC;
  gint64 wait;

  if (oldest == NULL)
    return 1;
  wait = oldest->time_us + window - now_us;
  return (guint) MAX (1, (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

const char *
sb_sandbox_limits_enter (SbSandboxLimits *self, const char *user, gint64 now_us, char **out_message,
                         guint *out_retry_after)
{
  UserState *s = g_hash_table_lookup (self->users, user);
  Entry *e;

  if (s == NULL)
    {
      s = g_new0 (UserState, 1);
      g_hash_table_insert (self->users, g_strdup (user), s);
    }
  prune (self, s, now_us);
  if (self->config.max_concurrent > 0 && s->concurrent >= self->config.max_concurrent)
    {
      *out_message = g_strdup_printf ("Number of concurrent requests exceeded the limit of %u.",
                                      self->config.max_concurrent);
      *out_retry_after = 1;
      return "0x80072326";
    }
  if (self->config.max_requests > 0 &&
      g_queue_get_length (&s->entries) >= self->config.max_requests)
    {
      *out_message = g_strdup_printf ("Number of requests exceeded the limit of %u over time "
                                      "window of %u seconds.",
                                      self->config.max_requests, self->config.window_seconds);
      *out_retry_after = retry_after (self, s, now_us);
      return "0x80072322";
    }
  if (self->config.max_execution_ms > 0 &&
      s->execution_us >= (gint64) self->config.max_execution_ms * 1000)
    {
      *out_message = g_strdup_printf ("Combined execution time of incoming requests exceeded "
                                      "limit of %u milliseconds over time window of %u seconds. "
                                      "Decrease number of concurrent requests or reduce the "
                                      "duration of requests and try again later.",
                                      self->config.max_execution_ms, self->config.window_seconds);
      *out_retry_after = retry_after (self, s, now_us);
      return "0x80072321";
    }
  e = g_new0 (Entry, 1);
  e->time_us = now_us;
  g_queue_push_tail (&s->entries, e);
  g_queue_push_tail (&s->open, e);
  s->concurrent++;
  return NULL;
}

void
sb_sandbox_limits_leave (SbSandboxLimits *self, const char *user, gint64 execution_us)
{
  UserState *s = g_hash_table_lookup (self->users, user);
  Entry *e;

  if (s == NULL || g_queue_is_empty (&s->open))
    return;
  /* Requests of one user finish roughly in order; charging the oldest open one is exact for
   * the sums the limits use. */
  e = g_queue_pop_head (&s->open);
  e->execution_us = execution_us;
  s->execution_us += execution_us;
  s->concurrent--;
}
