/* sb-conflicts-page.h: the open synchronization conflicts, resolved field by field
 *
 * An update conflict shows both sides' values of each differing field next to each other with
 * a choice of the one to keep (and shortcuts keeping all of one side); a deletion conflict
 * offers Restore or Remove Coupling.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"
#include "sb-sync-mapping.h"

G_BEGIN_DECLS

#define SB_TYPE_CONFLICTS_PAGE (sb_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (SbConflictsPage, sb_conflicts_page, SB, CONFLICTS_PAGE, SbPage)

/* Read by a worker on a store of its own each time the page is shown. */
GtkWidget *sb_conflicts_page_new (SbStore *store);

void sb_conflicts_page_reload (SbConflictsPage *self);
gboolean sb_conflicts_page_is_busy (SbConflictsPage *self);
/* "loading", "empty", "conflicts" or "error". */
const char *sb_conflicts_page_get_state (SbConflictsPage *self);
guint sb_conflicts_page_get_n_conflicts (SbConflictsPage *self);
const char *sb_conflicts_page_get_last_message (SbConflictsPage *self);

G_END_DECLS
