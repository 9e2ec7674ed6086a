/* sb-sync-item-availability.h: the Item Availability job (integration-behaviour.md §2, issue 8)
 *
 * Pushes the inventory of coupled items (ITEM-PRODUCT) to their products' quantityonhand in
 * Dynamics 365 Sales, negative inventory as 0 (§1), in $batch requests. Only items whose value
 * differs from the one last pushed are sent: an item is looked at when its change number is
 * above the job's watermark or it was never pushed, and the value last pushed per item is kept
 * in the store, so a failed push is retried on the next run and nothing is sent twice.
 *
 * Runs on the thread that owns @store (the job queue's worker, or the CLI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sync-engine.h"

G_BEGIN_DECLS

#define SB_SYNC_ITEM_AVAILABILITY_JOB "Item Availability"

/* Counters: modified (products updated), unchanged (same value as last pushed), failed (with
 * the first failure's message in @error when nothing at all could be sent; otherwise per-item
 * failures only count and are retried next time: see @out_first_failure). */
gboolean sb_sync_item_availability_push (SbSyncEngine *engine, SbStore *store,
                                         SbSyncCounters *out_counters, char **out_first_failure,
                                         GCancellable *cancellable, GError **error);
/* Whether a coupled item changed since the last complete push (or was never pushed). */
gboolean sb_sync_item_availability_pending (SbStore *store, gboolean *out_pending, GError **error);

G_END_DECLS
