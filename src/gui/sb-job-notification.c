/* sb-job-notification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-job-notification.h"

char *
sb_job_notification_id (const char *database_path, const char *job)
{
  /* A path can be long and hold anything; the id only has to tell companies apart. */
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, database_path, -1);

  return g_strdup_printf ("job-failed-%.12s-%s", hash, job);
}

GNotification *
sb_job_notification_new (const char *database_path, const char *company, const char *job)
{
  GNotification *notification = g_notification_new (_ ("A Synchronization Job Failed"));
  /* TRANSLATORS: the first %s is a scheduled job's name, the second the company's */
  g_autofree char *body = g_strdup_printf (_ ("The job “%s” of %s ended in an error and will "
                                              "try again. Open the Synchronization Log to see "
                                              "why."),
                                           job, company);

  g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-sync-log", "s",
                                                database_path);
  g_notification_add_button_with_target (notification, _ ("Open Synchronization Log"),
                                         "app.show-sync-log", "s", database_path);
  return notification;
}
