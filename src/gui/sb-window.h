/* sb-window.h: the main window: a sidebar of books beside the shown one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-job-runner.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_WINDOW (sb_window_get_type ())
G_DECLARE_FINAL_TYPE (SbWindow, sb_window, SB, WINDOW, AdwApplicationWindow)

/* Opens the company database at @database_path on the main thread (which
 * upgrades its schema if needed); when that fails the window shows why
 * instead of the books.  @settings (may be NULL when the schema is not
 * installed) keeps the window size. */
SbWindow *sb_window_new (GtkApplication *application, const char *database_path,
                         GSettings *settings);

const char *sb_window_get_database_path (SbWindow *self);
/* The window's store, or NULL when the database could not be opened. */
SbStore *sb_window_get_store (SbWindow *self);
/* The runner of the company's scheduled jobs, or NULL when the database could not be opened. */
SbJobRunner *sb_window_get_job_runner (SbWindow *self);
/* The company's name (its file's when it has none), or NULL as above. */
const char *sb_window_get_company (SbWindow *self);
/* Why the database could not be opened, or NULL. */
const char *sb_window_get_error (SbWindow *self);

/* Adds @page to the sidebar, after the pages added before.  An SbPage is
 * told when the sidebar is folded away, so it can offer a way back to it. */
void sb_window_add_page (SbWindow *self, const char *name, const char *title, const char *icon_name,
                         GtkWidget *page);
GtkWidget *sb_window_get_page (SbWindow *self, const char *name);
void sb_window_show_page (SbWindow *self, const char *name);
const char *sb_window_get_visible_page_name (SbWindow *self);
/* Shows @toast (taking it) over the window's pages. */
void sb_window_add_toast (SbWindow *self, AdwToast *toast);
/* Puts @banner (such as the demo's) above all pages; call once. */
void sb_window_set_banner (SbWindow *self, GtkWidget *banner);

G_END_DECLS
