/* sb-odata-query.h: $filter, $orderby, $select and key predicates of the Dataverse Web API,
 * compiled to SQLite.
 *
 * Follows Microsoft's "Filter rows" / "Query data using the Web API" documentation and the
 * OData 4.0 URL conventions (see ../shared/reference/dataverse-web-api.md). Everything here is
 * pure: no I/O, no global state, safe to call from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "sb-odata-error.h"

G_BEGIN_DECLS

typedef enum
{
  SB_ODATA_TYPE_STRING,
  SB_ODATA_TYPE_INTEGER,
  SB_ODATA_TYPE_DECIMAL,
  SB_ODATA_TYPE_DOUBLE,
  SB_ODATA_TYPE_BOOLEAN,
  SB_ODATA_TYPE_GUID,
  SB_ODATA_TYPE_DATETIME,
  SB_ODATA_TYPE_DATE,
} SbODataType;

/* Resolves an attribute name as written in the query (e.g. "name", "statecode",
 * "_parentcustomerid_value", "modifiedon"; also a path such as "primarycontactid/fullname",
 * which the resolver may support or refuse) to an SQL expression that yields its stored value
 * and its type. The expression is owned by the caller of the resolver (freed with g_free) and
 * is always used parenthesized. Returns FALSE for an unknown attribute (the compiler then fails
 * with SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE naming it, as Dataverse does: "Could not find a property
 * named 'x' on type 'Microsoft.Dynamics.CRM.account'."). */
typedef gboolean (*SbODataResolveFunc) (const char *attribute, SbODataType *out_type,
                                        char **out_sql_expr, gpointer user_data);

typedef struct _SbODataFilter SbODataFilter; /* parsed AST, opaque */

/* Parses @text (already percent-decoded; '+' is NOT a space in OData). Nesting deeper than
 * SB_ODATA_MAX_DEPTH fails with SB_ODATA_ERROR_SYNTAX. */
#define SB_ODATA_MAX_DEPTH 100
SbODataFilter *sb_odata_filter_parse (const char *text, GError **error);
void sb_odata_filter_free (SbODataFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbODataFilter, sb_odata_filter_free)

/* Compiles to an SQLite boolean expression with '?' placeholders; each parameter is appended
 * to @params as a floating-ref-sunk GVariant ("s" string, "x" int64, "d" double, "b" boolean;
 * booleans are bound by the caller as 0/1). Returns NULL with an error on type mismatch etc.
 * String comparisons use the collation SB_NOCASE and the functions sb_contains/sb_startswith/
 * sb_endswith, so the connection needs sb_odata_register_sqlite(). On error @params is left
 * as it was. */
char *
sb_odata_filter_to_sql (const SbODataFilter *filter, const char *entity_logical_name,
                        SbODataResolveFunc resolve, gpointer user_data,
                        GPtrArray *params /* element-type GVariant, free func g_variant_unref */,
                        GError **error);

/* "$orderby=name asc,createdon desc" → "ORDER BY" body without the keywords
 * ("<expr> COLLATE SB_NOCASE ASC, <expr> DESC"); strings order case-insensitively. */
char *sb_odata_orderby_to_sql (const char *text, const char *entity_logical_name,
                               SbODataResolveFunc resolve, gpointer user_data, GError **error);

/* "$select=name,accountnumber" → NULL-terminated, de-duplicated list (first-seen order);
 * validates names via @resolve. Free with g_strfreev(). */
char **sb_odata_select_parse (const char *text, const char *entity_logical_name,
                              SbODataResolveFunc resolve, gpointer user_data, GError **error);

/* Key predicate inside parentheses of "accounts(...)": either a bare GUID
 * "00000000-0000-0000-0000-000000000001" or alternate keys "accountnumber='C0001'" /
 * "firstname='Jo',emailaddress1='a@b.c'" (values: strings with '' escaping, integers, GUIDs).
 * Percent-decoding is the caller's job (pass decoded text). */
typedef struct
{
  char *guid;        /* set for a primary-key predicate (lower-case canonical form), else NULL */
  GPtrArray *names;  /* alternate key attribute names (char*), else empty */
  GPtrArray *values; /* GVariant per name ("s" / "x" / "s" for guid) */
} SbODataKey;

SbODataKey *sb_odata_key_parse (const char *text, GError **error);
void sb_odata_key_free (SbODataKey *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbODataKey, sb_odata_key_free)

/* Canonical stored form of date-times: "YYYY-MM-DDTHH:MM:SSZ" in UTC (the sandbox stores
 * all datetime attributes in this form, so string comparison orders them). Accepts
 * "2026-11-21T10:00:00Z", with fractional seconds (dropped), with "+01:00" offsets, without a
 * zone (taken as UTC), and date-only "2026-11-21" (midnight UTC). Returns NULL if not a valid
 * date. */
char *sb_odata_normalize_datetime (const char *text);

/* Returns the lower-case canonical form of a GUID ("8-4-4-4-12" hex digits, braces allowed),
 * or NULL if @text is not one. */
char *sb_odata_normalize_guid (const char *text);

/* The case-folded form under which SB_NOCASE compares strings (Unicode case folding after
 * compatibility decomposition, so "É" = "é" = "e\u0301"). @len may be -1. */
char *sb_odata_fold (const char *text, gssize len);

/* Registers with a connection the SQL functions and collation the generated SQL uses:
 * collation SB_NOCASE, functions sb_fold(x), sb_contains(x, y), sb_startswith(x, y),
 * sb_endswith(x, y). Call once per sqlite3 connection. */
gboolean sb_odata_register_sqlite (sqlite3 *db, GError **error);

G_END_DECLS
