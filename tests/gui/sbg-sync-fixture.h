/* sbg-sync-fixture.h: what the GUI tests of the coupling with Dynamics 365 Sales share: an
 * enabled connection to the in-process sandbox, the toplevel dialogs they open, and answering
 * them as a click would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"
#include "sbs-keyring.h"

G_BEGIN_DECLS

#define SBG_TENANT "contoso.onmicrosoft.com"

/* What main() of a test against the sandbox does first: meson's malloc checks off for the
 * keyring daemon it starts (with MALLOC_PERTURB_ gnome-keyring-daemon sometimes went away in
 * the middle of a test), then GTK and libadwaita, numbers in the C locale. */
SbsKeyring *sbg_sync_test_init (int *argc, char ***argv);

/* A new company database in a new temporary folder (@out_dir, removed by the caller), its
 * local currency USD. Returns the store. */
SbStore *sbg_company_new (char **out_dir, char **out_db_path);

/* Saves a connection to the sandbox at @base_url (secret in the keyring) and enables it. */
void sbg_enable_connection (SbStore *store, const char *base_url);
/* Removes the secret sbg_enable_connection() stored for @store's connection. */
void sbg_clear_secret (SbStore *store);

/* The visible toplevel window named @name, or NULL. */
GtkWidget *sbg_find_window (const char *name);
/* For sbg_wait_until(): @name is the window's name. */
gboolean sbg_window_shown (gpointer name);
gboolean sbg_window_gone (gpointer name);
/* For sbg_wait_until(): @names is { window name, stack name }: the window is shown and its
 * stack shows something other than "loading". */
gboolean sbg_dialog_loaded (gpointer names);
#define SBG_PICKER ((gpointer) (const char *const[]){ "coupling-picker", "picker-stack" })
/* A label under @root showing exactly @text. */
gboolean sbg_has_label (GtkWidget *root, const char *text);
/* As a click on the message dialog's button: the response, then the dialog closes. */
void sbg_respond (GtkWidget *dialog, const char *response);
/* Selects the row of @list whose object data @key is @value; FALSE when there is none. */
gboolean sbg_select_row_with (GtkWidget *list, const char *key, const char *value);

G_END_DECLS
