/* sb-first-run-window.h: what the app shows before there is any company
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SB_TYPE_FIRST_RUN_WINDOW (sb_first_run_window_get_type ())
G_DECLARE_FINAL_TYPE (SbFirstRunWindow, sb_first_run_window, SB, FIRST_RUN_WINDOW,
                      AdwApplicationWindow)

/* Offers app.demo (Try with Demo Data) and app.new-company (Create Company). */
SbFirstRunWindow *sb_first_run_window_new (GtkApplication *application);
/* While the demo starts the buttons wait and @message says what happens. */
void sb_first_run_window_set_busy (SbFirstRunWindow *self, const char *message);
/* Why the demo did not start, under the buttons, which work again. */
void sb_first_run_window_show_error (SbFirstRunWindow *self, const char *message);
/* Both choices again, nothing said. */
void sb_first_run_window_reset (SbFirstRunWindow *self);
gboolean sb_first_run_window_is_busy (SbFirstRunWindow *self);

G_END_DECLS
