/* sb-dataverse-json.h: checked JSON accessors for Dataverse records.
 *
 * json-glib's json_object_get_*_member() abort or warn on a missing member or a wrong type; a
 * record from the server may have either (a null lookup, a column not selected, a new server
 * version). These return @default_value instead: JSON null, a missing member and a member of
 * another type all give the default. @object may be NULL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *sb_json_get_string (JsonObject *object, const char *member, const char *default_value);
/* JSON numbers only (an integral double counts); a string of digits is the default. */
gint64 sb_json_get_int (JsonObject *object, const char *member, gint64 default_value);
double sb_json_get_double (JsonObject *object, const char *member, double default_value);
gboolean sb_json_get_bool (JsonObject *object, const char *member, gboolean default_value);
JsonObject *sb_json_get_object (JsonObject *object, const char *member);
JsonArray *sb_json_get_array (JsonObject *object, const char *member);
/* A GUID member as sent (Dataverse sends lower case), or NULL when absent or not a GUID. */
const char *sb_json_get_guid (JsonObject *object, const char *member);
/* The id of lookup @attribute: the "_<attribute>_value" member ("parentcustomerid" →
 * "_parentcustomerid_value"), or NULL. */
const char *sb_json_get_lookup (JsonObject *object, const char *attribute);
/* "<member>@OData.Community.Display.V1.FormattedValue" (needs the annotations preference), or
 * @default_value. */
const char *sb_json_get_formatted (JsonObject *object, const char *member,
                                   const char *default_value);
/* A date-time member (ISO 8601, e.g. "2026-11-21T10:15:00Z"), or NULL. Free with
 * g_date_time_unref(). */
GDateTime *sb_json_get_date_time (JsonObject *object, const char *member);
/* "@odata.etag", or NULL. */
const char *sb_json_get_etag (JsonObject *object);

/* Sets "<navigation>@odata.bind": "/<entity_set>(<id>)" (dataverse-web-api.md, "Lookups"). */
void sb_json_set_bind (JsonObject *object, const char *navigation, const char *entity_set,
                       const char *id);

G_END_DECLS
