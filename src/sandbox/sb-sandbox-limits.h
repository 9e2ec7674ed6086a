/* sb-sandbox-limits.h: Dataverse service protection limits, per user.
 *
 * Microsoft's "Service protection API limits": per user, in a sliding window (5 minutes),
 * at most 6,000 requests, 1,200 s of combined execution time and 52 concurrent requests;
 * exceeding one answers 429 with Retry-After and the codes 0x80072322 (requests),
 * 0x80072321 (execution time), 0x80072326 (concurrency). Server thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SbSandboxLimits SbSandboxLimits;

typedef struct
{
  guint max_requests;     /* per window; 0 = unlimited */
  guint max_execution_ms; /* per window; 0 = unlimited */
  guint max_concurrent;   /* 0 = unlimited */
  guint window_seconds;
} SbSandboxLimitsConfig;

#define SB_SANDBOX_LIMITS_DEFAULT                                                                  \
  {                                                                                                \
    6000, 1200000, 52, 300                                                                         \
  }

SbSandboxLimits *sb_sandbox_limits_new (const SbSandboxLimitsConfig *config);
void sb_sandbox_limits_free (SbSandboxLimits *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSandboxLimits, sb_sandbox_limits_free)

/* Admits a request of @user at @now_us (monotonic). Returns NULL when admitted (the caller must
 * then call sb_sandbox_limits_leave()), else the request is refused: returns the Dataverse error
 * code and sets @out_message (free it) and @out_retry_after (seconds). */
const char *sb_sandbox_limits_enter (SbSandboxLimits *self, const char *user, gint64 now_us,
                                     char **out_message, guint *out_retry_after);
void sb_sandbox_limits_leave (SbSandboxLimits *self, const char *user, gint64 execution_us);

G_END_DECLS
