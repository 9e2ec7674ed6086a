/* sb-demo-session.h: the demo company and its demo Dynamics 365 Sales
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_TYPE_DEMO_SESSION (sb_demo_session_get_type ())
G_DECLARE_FINAL_TYPE (SbDemoSession, sb_demo_session, SB, DEMO_SESSION, GObject)

/* Where the demo company lives: demo.sbdb in the companies folder, with its demo Sales
 * organization's database (demo-sandbox.db) beside it, so both survive restarts. */
char *sb_demo_session_get_company_path (void);
gboolean sb_demo_session_is_demo_path (const char *path);

SbDemoSession *sb_demo_session_new (void);

/* On a worker thread: creates and seeds the demo company when missing, starts the built-in
 * sandbox with its demo seed on a loopback port (the last one when free) and stores the
 * connection to it, with its client secret in the keyring. */
void sb_demo_session_start_async (SbDemoSession *self, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_demo_session_start_finish (SbDemoSession *self, GAsyncResult *result, GError **error);
/* The sandbox's address once started, else NULL. */
const char *sb_demo_session_get_url (SbDemoSession *self);

/* On a worker thread: stops the sandbox, removes the client secret from the keyring and
 * deletes the demo company and the sandbox's database. Close the demo's windows first. */
void sb_demo_session_leave_async (SbDemoSession *self, GAsyncReadyCallback callback,
                                  gpointer user_data);
gboolean sb_demo_session_leave_finish (SbDemoSession *self, GAsyncResult *result, GError **error);

G_END_DECLS
