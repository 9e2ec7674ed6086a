/* sb-connection-check-list.h: the results of "Test connection", one row per check, as they come
 *
 * Shared by the Connection page and the assisted setup. Each check of an SbConnectionCheck gets
 * a row; the running one shows a spinner, finished ones a ✓ or ✗ and the check's own message
 * (what was found, and what to do about a failure).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-connection-check.h"

G_BEGIN_DECLS

#define SB_TYPE_CONNECTION_CHECK_LIST (sb_connection_check_list_get_type ())
G_DECLARE_FINAL_TYPE (SbConnectionCheckList, sb_connection_check_list, SB, CONNECTION_CHECK_LIST,
                      AdwBin)

GtkWidget *sb_connection_check_list_new (void);

/* Follows @check (NULL: none, the list hides its rows). Call before running the check: rows
 * start pending and fill in on its "check-finished". */
void sb_connection_check_list_set_check (SbConnectionCheckList *self, SbConnectionCheck *check);
SbConnectionCheck *sb_connection_check_list_get_check (SbConnectionCheckList *self);
/* Says the run ended (finished or cancelled): no row spins any more. */
void sb_connection_check_list_stop (SbConnectionCheckList *self);

/* The row of @id, for tests. */
AdwActionRow *sb_connection_check_list_get_row (SbConnectionCheckList *self,
                                                SbConnectionCheckId id);

G_END_DECLS
