/* sb-document-origin.h: where an ERP quote or order came from in Dynamics 365 Sales, on its card
 *
 * integration-behaviour.md §5–6: the Sales order or quote (number, revision, a link to it), the
 * status posts sent to an order's timeline, and the versions archived before Sales replaced a
 * document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-detail-page.h"
#include "sb-sales-document.h"
#include "sb-store.h"

G_BEGIN_DECLS

/* Adds the "Dynamics 365 Sales" group (named "origin") and, for an order, its timeline
 * ("posts") when @header came from Sales; returns whether it did.  A failed read shows as a
 * group saying so. */
gboolean sb_document_origin_add_groups (SbDetailPage *page, SbStore *store,
                                        const SbSalesHeader *header);
/* Adds "Archived Versions" ("versions"), newest first, when there are any; a version's lines
 * (in @currency) are read when it is opened. */
void sb_document_origin_add_versions (SbDetailPage *page, SbStore *store,
                                      const SbSalesHeader *header, const char *currency);

G_END_DECLS
