/* sb-job-notification.h: the desktop notification of a scheduled job that failed
 *
 * One notification per company and job, with an id made of both, so that a job failing again
 * replaces its notification and a good run withdraws it. Clicking it activates
 * "app.show-sync-log" with the company database's path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *sb_job_notification_id (const char *database_path, const char *job);
GNotification *sb_job_notification_new (const char *database_path, const char *company,
                                        const char *job);

G_END_DECLS
