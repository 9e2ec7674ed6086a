/* sb-application.h: the Salesbridge application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SB_TYPE_APPLICATION (sb_application_get_type ())
G_DECLARE_FINAL_TYPE (SbApplication, sb_application, SB, APPLICATION, AdwApplication)

SbApplication *sb_application_new (void);

/* The app's settings, or NULL when the schema is not installed (a build
 * run from its tree): the app works without remembering anything. */
GSettings *sb_application_get_settings (SbApplication *self);
/* The database opened when none is named: the last one opened, else the
 * default one in the user data folder. */
char *sb_application_get_default_database (SbApplication *self);
/* Presents the window of @path, opening one if there is none. */
void sb_application_open_database (SbApplication *self, const char *path);

G_END_DECLS
