/* sb-job-status.c: names of job statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"
#include <glib/gi18n-lib.h>

#include "sb-job-status.h"

const char *
sb_job_status_to_nick (SbJobStatus status)
{
  switch (status)
    {
      case SB_JOB_STATUS_READY:
        return "ready";
      case SB_JOB_STATUS_IN_PROCESS:
        return "in-process";
      case SB_JOB_STATUS_ERROR:
        return "error";
      case SB_JOB_STATUS_ON_HOLD:
        return "on-hold";
      case SB_JOB_STATUS_FINISHED:
        return "finished";
      case SB_JOB_STATUS_ON_HOLD_INACTIVITY:
        return "on-hold-inactivity";
      case SB_JOB_STATUS_NONE:
      default:
        return "";
    }
}

const char *
sb_job_status_to_label (SbJobStatus status)
{
  switch (status)
    {
      case SB_JOB_STATUS_READY:
        return _ ("Ready");
      case SB_JOB_STATUS_IN_PROCESS:
        return _ ("In Process");
      case SB_JOB_STATUS_ERROR:
        return _ ("Error");
      case SB_JOB_STATUS_ON_HOLD:
        return _ ("On Hold");
      case SB_JOB_STATUS_FINISHED:
        return _ ("Finished");
      case SB_JOB_STATUS_ON_HOLD_INACTIVITY:
        return _ ("On Hold with Inactivity Timeout");
      case SB_JOB_STATUS_NONE:
      default:
        return "";
    }
}
