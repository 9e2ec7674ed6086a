/* sb-solution-group.h: the integration solution in Dynamics 365 Sales, as a preferences group
 * with its state (not deployed, partly deployed, deployed) and Deploy / Redeploy
 *
 * Used by the Connection page and the assisted setup. Deploying runs on a worker thread with a
 * store and an engine of its own (the keyring and the metadata requests block); the state shown
 * is what the database recorded of the last deployment or check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"
#include "sb-sync-solution.h"

G_BEGIN_DECLS

#define SB_TYPE_SOLUTION_GROUP (sb_solution_group_get_type ())
G_DECLARE_FINAL_TYPE (SbSolutionGroup, sb_solution_group, SB, SOLUTION_GROUP, AdwPreferencesGroup)

GtkWidget *sb_solution_group_new (void);

/* The company database whose solution the group shows; reads its recorded state. */
void sb_solution_group_set_store (SbSolutionGroup *self, SbStore *store);
/* Reads the recorded state again. */
void sb_solution_group_reload (SbSolutionGroup *self);
/* Starts a deployment (@redeploy: also assigns the integration roles again). */
void sb_solution_group_deploy (SbSolutionGroup *self, gboolean redeploy);
gboolean sb_solution_group_is_busy (SbSolutionGroup *self);
/* The state shown. */
SbSyncSolutionState sb_solution_group_get_state (SbSolutionGroup *self);
/* The error of the last deployment, or NULL when it succeeded (or none ran). */
const char *sb_solution_group_get_error (SbSolutionGroup *self);

G_END_DECLS
