/* sb-jobs-page.h: the job queue: each scheduled job's status, next run and last message, with
 * Run Now and Hold/Resume, and who runs the jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-job-runner.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_JOBS_PAGE (sb_jobs_page_get_type ())
G_DECLARE_FINAL_TYPE (SbJobsPage, sb_jobs_page, SB, JOBS_PAGE, SbPage)

/* The jobs are read by a worker on a store of its own, again whenever @runner changes. */
GtkWidget *sb_jobs_page_new (SbStore *store, SbJobRunner *runner);

SbJobRunner *sb_jobs_page_get_runner (SbJobsPage *self);
void sb_jobs_page_reload (SbJobsPage *self);
gboolean sb_jobs_page_is_busy (SbJobsPage *self);
/* "loading", "empty", "jobs" or "error". */
const char *sb_jobs_page_get_state (SbJobsPage *self);
/* What the page says about who runs the jobs. */
const char *sb_jobs_page_get_runner_text (SbJobsPage *self);
const char *sb_jobs_page_get_last_message (SbJobsPage *self);

/* Relative and absolute time of @next_run (seconds since the epoch) seen at @now, by locale:
 * "in 12 minutes (21/11/2026 21:15:00)". */
char *sb_jobs_page_format_next_run (gint64 next_run, gint64 now);

G_END_DECLS
