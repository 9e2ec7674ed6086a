/* sb-dataverse-batch-private.h: the wire side of SbDataverseBatch, for the connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-dataverse-batch.h"

G_BEGIN_DECLS

/* Checks the batch can be sent (changesets closed, ≤ 1,000 requests each, no GET inside) and
 * clears earlier results. */
gboolean sb_dv_batch_prepare (SbDataverseBatch *self, GError **error);
/* The end (exclusive) of the HTTP batch starting at request @start: at most 1,000 requests,
 * never splitting a changeset. */
guint sb_dv_batch_next_split (SbDataverseBatch *self, guint start);
/* The multipart/mixed body of requests [@start, @end); @out_content_type gets its type. */
GBytes *sb_dv_batch_serialize (SbDataverseBatch *self, guint start, guint end, const char *api_url,
                               char **out_content_type);
/* Fills the results of [@start, @end) from a batch answer. @out_stopped: the server stopped at
 * a failure (no continue-on-error), so later batches must not be sent. */
gboolean sb_dv_batch_parse_response (SbDataverseBatch *self, guint start, guint end,
                                     SoupMessageHeaders *headers, GBytes *body,
                                     gboolean *out_stopped, GError **error);
void sb_dv_batch_mark_not_executed (SbDataverseBatch *self, guint start, guint end);

G_END_DECLS
