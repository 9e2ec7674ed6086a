/* sb-job-status.h: the status of a job queue entry and of a full synchronization line
 *
 * integration-behaviour.md §2–3 use the same words for both: blank, Ready, In Process, Error,
 * On Hold, Finished and On Hold with Inactivity Timeout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SB_JOB_STATUS_NONE = 0, /* blank: not started */
  SB_JOB_STATUS_READY = 1,
  SB_JOB_STATUS_IN_PROCESS = 2,
  SB_JOB_STATUS_ERROR = 3,
  SB_JOB_STATUS_ON_HOLD = 4,
  SB_JOB_STATUS_FINISHED = 5,
  SB_JOB_STATUS_ON_HOLD_INACTIVITY = 6, /* "On Hold with Inactivity Timeout" */
} SbJobStatus;

/* "ready", "in-process", "on-hold-inactivity"… ("" for NONE): stable, for JSON and tests. */
const char *sb_job_status_to_nick (SbJobStatus status);
/* The translated label the user sees ("On Hold with Inactivity Timeout"). */
const char *sb_job_status_to_label (SbJobStatus status);

G_END_DECLS
