/* sb-sync-review-page.h: the Full Synchronization Review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_SYNC_REVIEW_PAGE (sb_sync_review_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSyncReviewPage, sb_sync_review_page, SB, SYNC_REVIEW_PAGE, SbPage)

GtkWidget *sb_sync_review_page_new (SbStore *store);

void sb_sync_review_page_reload (SbSyncReviewPage *self);
/* Counts both sides and recommends what each line does; in the background. */
void sb_sync_review_page_generate (SbSyncReviewPage *self);
/* Runs the lines in dependency order, in the background, until cancelled. */
void sb_sync_review_page_start (SbSyncReviewPage *self);
void sb_sync_review_page_cancel (SbSyncReviewPage *self);
/* TRUE while reading, generating or running. */
gboolean sb_sync_review_page_is_busy (SbSyncReviewPage *self);
/* TRUE while generating or running. */
gboolean sb_sync_review_page_is_running (SbSyncReviewPage *self);
/* "loading", "disabled", "empty" (no lines yet), "lines" or "error". */
const char *sb_sync_review_page_get_state (SbSyncReviewPage *self);
const char *sb_sync_review_page_get_last_message (SbSyncReviewPage *self);

G_END_DECLS
