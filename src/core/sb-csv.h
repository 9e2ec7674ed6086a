/* sb-csv.h: reading and writing CSV files (RFC 4180)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Fields are separated by ',' or ';' (spreadsheets in locales with a
 * decimal comma write ';'). */
#define SB_CSV_DETECT '\0'

/* The separator of @data: whichever of ',' and ';' occurs more often
 * outside quotes on the first line; ',' when neither does. */
char sb_csv_detect_separator (const char *data, gsize length);

/* Parses @data (UTF-8, with or without a byte order mark; CRLF or LF line
 * ends; quoted fields may hold separators, doubled quotes and line breaks)
 * into rows.  @separator is ',' or ';', or SB_CSV_DETECT.  Element type of
 * the result: a NULL-terminated char ** (free with g_strfreev).  Blank
 * lines are left out.  Fails with SB_CORE_ERROR_INVALID naming the line on
 * invalid UTF-8, an unterminated quote or text after a closing quote. */
GPtrArray *sb_csv_parse (const char *data, gsize length, char separator, char *out_separator,
                         GError **error);
/* The same for the file at @path. */
GPtrArray *sb_csv_read_file (const char *path, char separator, char *out_separator, GError **error);

/* Appends one record to @out: fields quoted when they hold the separator,
 * a quote, a line break or leading or trailing spaces; CRLF at the end. */
void sb_csv_append_row (GString *out, const char *const *fields, guint n_fields, char separator);

G_END_DECLS
