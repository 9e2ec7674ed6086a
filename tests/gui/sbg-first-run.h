/* sbg-first-run.h: what the tests of the first run and the demo share: an empty home folder with
 * a private keyring, the app run with a script, and waiting on its windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sbs-keyring.h"

G_BEGIN_DECLS

typedef struct
{
  char *home;
  SbsKeyring *keyring;
} SbgFirstRunHome;

/* Points HOME and the XDG folders at a new temporary folder and starts a private keyring; call
 * first in main(), before anything asks GLib where the user's folders are. */
void sbg_first_run_home_begin (SbgFirstRunHome *home);
/* Stops the keyring and removes the folder. */
void sbg_first_run_home_end (SbgFirstRunHome *home);

/* Runs a new SbApplication as `salesbridge` without arguments (so it activates as a start from
 * the desktop does), with @script on its main loop once it started; returns its exit status. */
int sbg_run_app (GSourceFunc script);

/* The visible toplevel of @type, or NULL. */
GtkWindow *sbg_find_toplevel (GType type);
/* Clicks the button named @name below @root, after checking that a user could. */
void sbg_click (gpointer root, const char *name);

/* Predicates for sbg_wait_until(). */
gboolean sbg_has_setup (gpointer unused);
gboolean sbg_setup_is_idle (gpointer setup);
gboolean sbg_next_is_sensitive (gpointer setup);
gboolean sbg_first_run_is_idle (gpointer unused);
/* The demo company's window, and no first-run window any more. */
gboolean sbg_has_demo_window (gpointer unused);
gboolean sbg_has_message_dialog (gpointer unused);

/* The Dynamics 365 Sales URL the demo company is connected to. */
char *sbg_demo_sales_url (void);

G_END_DECLS
