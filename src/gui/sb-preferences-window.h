/* sb-preferences-window.h: the app's preferences and the job times of the company shown
 *
 * General: the style (follow the system, light, dark) and whether a failed background job
 * notifies, both in GSettings. Scheduled Jobs: each job's minutes between runs and inactivity
 * timeout, kept in the company database through the window's job runner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-job-runner.h"

G_BEGIN_DECLS

#define SB_TYPE_PREFERENCES_WINDOW (sb_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SbPreferencesWindow, sb_preferences_window, SB, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @settings may be NULL (schema not installed: the General rows are then insensitive);
 * @runner NULL: no company is open. */
GtkWidget *sb_preferences_window_new (GSettings *settings, SbJobRunner *runner,
                                      const char *company);

/* TRUE while the jobs are read or a change is written (for tests). */
gboolean sb_preferences_window_is_busy (SbPreferencesWindow *self);

G_END_DECLS
