/* sb-cli-sync.h: the mapping, coupling and synchronization command groups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

/* mapping, couple, uncouple, restore, create-in-sales, create-in-erp, sync, log, sync-status */
const SbCliCommand *sb_cli_sync_commands (guint *n_commands);

/* jobs, full-sync, daemon */
const SbCliCommand *sb_cli_jobs_commands (guint *n_commands);

/* An engine over the stored, enabled connection (SALESBRIDGE_SYNC_BATCH_SIZE sets the batch
 * size). */
SbSyncEngine *sb_cli_sync_open_engine (SbStore *store, GError **error);

G_END_DECLS
