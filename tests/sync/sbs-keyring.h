/* sbs-keyring.h: a real, throw-away Secret Service for tests.
 *
 * Starts a private D-Bus session bus (dbus-daemon, no service activation) and gnome-keyring-daemon
 * on it with its keyrings in a temporary directory, unlocked with a password fed on stdin, and
 * points DBUS_SESSION_BUS_ADDRESS at that bus. Nothing touches the user's own keyring, and the
 * tests work with or without CI's dbus-run-session. Call it first in main(), before anything
 * connects to the session bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SbsKeyring SbsKeyring;

/* @with_keyring FALSE starts the bus only: a session without any Secret Service. Fails the test
 * program when dbus-daemon or gnome-keyring-daemon cannot be started. */
SbsKeyring *sbs_keyring_start (gboolean with_keyring);
/* The directory the keyring files are in. */
const char *sbs_keyring_get_data_dir (SbsKeyring *self);
/* Stops the daemons and removes the directory. */
void sbs_keyring_stop (SbsKeyring *self);

/* Removes @dir and everything below it. */
void sbs_remove_tree (const char *dir);
/* TRUE when the file at @path contains @needle anywhere in its bytes. */
gboolean sbs_file_contains (const char *path, const char *needle);

G_END_DECLS
