/* sb-connection-check-private.h: for the connection manager, which runs more work after the
 * checks on the same worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-connection-check.h"

G_BEGIN_DECLS

/* Runs the checks on the calling (worker) thread and emits "check-finished" on @context. FALSE
 * only when cancelled. */
gboolean sb_connection_check_run_in_thread (SbConnectionCheck *self, GMainContext *context,
                                            GCancellable *cancellable, GError **error);

G_END_DECLS
