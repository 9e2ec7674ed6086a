/* sb-gui-format.h: how the GUI shows stored values in the user's locale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

/* Turns one field of a record into display text, or returns NULL to let
 * the default formatting (sb_gui_format_field()) apply.  Record types use it
 * for enumerations the generic code cannot name. */
typedef char *(*SbFieldFormatFunc) (const SbField *field, gconstpointer record);

/* At least @min_places decimals, more only when the value has them. */
char *sb_gui_format_decimal (SbDecimal value, guint min_places);
/* 'YYYY-MM-DD' as the locale writes dates; '' for a blank date, the text
 * itself when it is not a date. */
char *sb_gui_format_date (const char *iso_date);
/* A count grouped as the locale writes numbers ("100,000"). */
char *sb_gui_format_count (guint64 count);
/* Whether a decimal field holds an amount of money (two places). */
gboolean sb_gui_field_is_money (const SbField *field);
/* @field of @record for people: decimals, dates and booleans by locale;
 * money with @currency_code when that is not NULL.  Never NULL. */
char *sb_gui_format_field (const SbField *field, gconstpointer record, const char *currency_code);

G_END_DECLS
