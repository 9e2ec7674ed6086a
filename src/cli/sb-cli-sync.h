/* sb-cli-sync.h: the mapping, coupling and synchronization command groups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

/* mapping, couple, uncouple, restore, create-in-sales, create-in-erp, sync, log, sync-status */
const SbCliCommand *sb_cli_sync_commands (guint *n_commands);

G_END_DECLS
