/* sb-dataverse-filter.h: typed $filter expressions.
 *
 * Builds OData $filter text as Dataverse expects it (dataverse-web-api.md, "Queries"): strings
 * in single quotes with ' doubled, GUIDs unquoted, dates as 2026-11-21T10:00:00Z, true/false,
 * null; and/or/not with parentheses. The text is not percent-encoded here; SbDataverseQuery
 * encodes the whole query. Combinators take ownership of their operands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  SB_DATAVERSE_EQ,
  SB_DATAVERSE_NE,
  SB_DATAVERSE_GT,
  SB_DATAVERSE_GE,
  SB_DATAVERSE_LT,
  SB_DATAVERSE_LE,
} SbDataverseOperator;

typedef struct _SbDataverseFilter SbDataverseFilter;

#define SB_TYPE_DATAVERSE_FILTER (sb_dataverse_filter_get_type ())
GType sb_dataverse_filter_get_type (void);

SbDataverseFilter *sb_dataverse_filter_string (const char *attribute, SbDataverseOperator op,
                                               const char *value);
/* @value must be a GUID (a programming error otherwise: g_return_val_if_fail). For lookups
 * use the value attribute: "_parentcustomerid_value". */
SbDataverseFilter *sb_dataverse_filter_guid (const char *attribute, SbDataverseOperator op,
                                             const char *value);
SbDataverseFilter *sb_dataverse_filter_int (const char *attribute, SbDataverseOperator op,
                                            gint64 value);
/* @value: a decimal number as text ("12.50"), for money and decimals without rounding. */
SbDataverseFilter *sb_dataverse_filter_decimal (const char *attribute, SbDataverseOperator op,
                                                const char *value);
SbDataverseFilter *sb_dataverse_filter_bool (const char *attribute, SbDataverseOperator op,
                                             gboolean value);
/* Sent in UTC, whole seconds. */
SbDataverseFilter *sb_dataverse_filter_date_time (const char *attribute, SbDataverseOperator op,
                                                  GDateTime *value);
/* "attribute eq null" (@op EQ) or "attribute ne null" (@op NE). */
SbDataverseFilter *sb_dataverse_filter_null (const char *attribute, SbDataverseOperator op);
SbDataverseFilter *sb_dataverse_filter_contains (const char *attribute, const char *value);
SbDataverseFilter *sb_dataverse_filter_starts_with (const char *attribute, const char *value);
SbDataverseFilter *sb_dataverse_filter_ends_with (const char *attribute, const char *value);

/* NULL-terminated operands; a single operand is returned as is. */
SbDataverseFilter *sb_dataverse_filter_and (SbDataverseFilter *first, ...) G_GNUC_NULL_TERMINATED;
SbDataverseFilter *sb_dataverse_filter_or (SbDataverseFilter *first, ...) G_GNUC_NULL_TERMINATED;
SbDataverseFilter *sb_dataverse_filter_not (SbDataverseFilter *operand);

SbDataverseFilter *sb_dataverse_filter_copy (const SbDataverseFilter *self);
void sb_dataverse_filter_free (SbDataverseFilter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbDataverseFilter, sb_dataverse_filter_free)

/* The $filter text, unencoded. */
char *sb_dataverse_filter_to_string (const SbDataverseFilter *self);

/* OData literals, unencoded: 'O''Brien', 2026-11-21T10:00:00Z. */
char *sb_dataverse_literal_string (const char *value);
char *sb_dataverse_literal_date_time (GDateTime *value);

G_END_DECLS
