/* sb-dataverse-query.h: a query of one entity set ($select, $filter, $orderby, $top, $expand)
 * and its Prefer preferences (page size, change tracking, annotations).
 *
 * sb_dataverse_query_to_path() gives the percent-encoded path below the API root; a value
 * containing ', &, #, +, % or non-ASCII text never breaks it. Dataverse refuses $filter,
 * $orderby, $expand and $top together with change tracking (dataverse-web-api.md, "Change
 * tracking"): the query then leaves them out (and says so in the debug log).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-dataverse-filter.h"

G_BEGIN_DECLS

/* Dataverse's default and largest page. */
#define SB_DATAVERSE_MAX_PAGE_SIZE 5000

#define SB_TYPE_DATAVERSE_QUERY (sb_dataverse_query_get_type ())
G_DECLARE_FINAL_TYPE (SbDataverseQuery, sb_dataverse_query, SB, DATAVERSE_QUERY, GObject)

SbDataverseQuery *sb_dataverse_query_new (const char *entity_set);

const char *sb_dataverse_query_get_entity_set (SbDataverseQuery *self);
/* Adds columns to $select (NULL-terminated). */
void sb_dataverse_query_select (SbDataverseQuery *self, const char *first,
                                ...) G_GNUC_NULL_TERMINATED;
void sb_dataverse_query_select_v (SbDataverseQuery *self, const char *const *columns);
/* Takes ownership of @filter; replaces an earlier one. NULL clears it. */
void sb_dataverse_query_set_filter (SbDataverseQuery *self, SbDataverseFilter *filter);
void sb_dataverse_query_order_by (SbDataverseQuery *self, const char *attribute,
                                  gboolean descending);
/* 0 (default) for no $top. */
void sb_dataverse_query_set_top (SbDataverseQuery *self, guint top);
/* A raw $expand value, e.g. "primarycontactid($select=fullname)". */
void sb_dataverse_query_set_expand (SbDataverseQuery *self, const char *expand);
/* Prefer: odata.maxpagesize=N; 0 (default) leaves Dataverse's 5,000. */
void sb_dataverse_query_set_page_size (SbDataverseQuery *self, guint page_size);
guint sb_dataverse_query_get_page_size (SbDataverseQuery *self);
/* Prefer: odata.track-changes: the last page carries a delta link. */
void sb_dataverse_query_set_track_changes (SbDataverseQuery *self, gboolean track_changes);
gboolean sb_dataverse_query_get_track_changes (SbDataverseQuery *self);
/* Prefer: odata.include-annotations="@pattern" ("*", or
 * "OData.Community.Display.V1.FormattedValue"); NULL (default) for none. */
void sb_dataverse_query_set_annotations (SbDataverseQuery *self, const char *pattern);

/* "accounts?$select=name,accountnumber&$filter=name%20eq%20'O''Brien'". */
char *sb_dataverse_query_to_path (SbDataverseQuery *self);
/* The Prefer header value, or NULL when there is no preference. */
char *sb_dataverse_query_to_prefer (SbDataverseQuery *self);

G_END_DECLS
