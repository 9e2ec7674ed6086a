/* sb-sync-indicator.h: the header bar's picture of synchronization: idle, synchronizing (which
 * mapping, how far) or the last error, with details in a popover
 *
 * It never flickers: "synchronizing" shows only once a run has lasted SB_SYNC_INDICATOR_SHOW_DELAY
 * milliseconds, and then stays at least SB_SYNC_INDICATOR_MIN_SHOWN milliseconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-sync-activity.h"

G_BEGIN_DECLS

#define SB_SYNC_INDICATOR_SHOW_DELAY 500
#define SB_SYNC_INDICATOR_MIN_SHOWN 1000

typedef enum
{
  SB_SYNC_INDICATOR_IDLE,
  SB_SYNC_INDICATOR_SYNCING,
  SB_SYNC_INDICATOR_ERROR,
} SbSyncIndicatorState;

#define SB_TYPE_SYNC_INDICATOR (sb_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncIndicator, sb_sync_indicator, SB, SYNC_INDICATOR, AdwBin)

GtkWidget *sb_sync_indicator_new (SbSyncActivity *activity);

SbSyncIndicatorState sb_sync_indicator_get_state (SbSyncIndicator *self);
/* What the indicator says (its accessible label and tooltip). */
const char *sb_sync_indicator_get_text (SbSyncIndicator *self);
/* Opens the details popover. */
void sb_sync_indicator_show_details (SbSyncIndicator *self);

G_END_DECLS
