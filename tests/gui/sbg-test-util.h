/* sbg-test-util.h: what the GUI tests share: waiting on the main loop, finding widgets by
 * name, and screenshots for SB_SCREENSHOT_DIR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SBG_WAIT_TIMEOUT_MS 30000

gboolean sbg_wake_up (gpointer user_data);
/* Iterates the main context until @done returns TRUE; fails the test after
 * SBG_WAIT_TIMEOUT_MS naming @what. */
void sbg_wait_until (gboolean (*done) (gpointer), gpointer user_data, const char *what);
/* Runs the main loop for @ms: animations end, pending redraws happen. */
void sbg_settle (guint ms);
GtkWidget *sbg_find_named (GtkWidget *root, const char *name);
/* The widget named @name below @root; fails the test when there is none. */
GtkWidget *sbg_get (gpointer root, const char *name);
/* Narrows @window to a phone's 360 px and waits until it is that wide; fails the test (after
 * SBG_WAIT_TIMEOUT_MS, "Timed out waiting for the window at 360 px") when its pages need more. */
void sbg_narrow_window (gpointer window);
/* The PNG of @widget's window, when SB_SCREENSHOT_DIR asks for one. */
void sbg_screenshot (gpointer widget, const char *name);

G_END_DECLS
