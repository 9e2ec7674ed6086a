/* sb-decimal.h: exact decimals for money and quantities
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A decimal number stored as a 64-bit integer scaled by 10^5, so
 * 1.5 is 150000.  Five places cover unit prices and quantities as the ERP
 * keeps them; amounts are rounded to two places by the domain code.
 * Never converted through double on the way in or out. */
typedef gint64 SbDecimal;

#define SB_DECIMAL_PLACES 5
#define SB_DECIMAL_SCALE G_GINT64_CONSTANT (100000)
#define SB_DECIMAL_ONE SB_DECIMAL_SCALE
#define SB_DECIMAL_MAX (G_MAXINT64 / 10)

static inline SbDecimal
sb_decimal_from_int (gint64 value)
{
  return value * SB_DECIMAL_SCALE;
}

gboolean sb_decimal_parse (const char *text, SbDecimal *out_value, GError **error);
gboolean sb_decimal_parse_locale (const char *text, SbDecimal *out_value, GError **error);
char *sb_decimal_to_string (SbDecimal value, guint min_places);
char *sb_decimal_format (SbDecimal value, guint places);
/* Money: rounded to @places, or to none for a currency without a minor
 * unit (ISK, JPY, ...), followed by @currency_code when that is set. */
char *sb_decimal_format_money (SbDecimal value, const char *currency_code, guint places);

SbDecimal sb_decimal_round (SbDecimal value, guint places);
gboolean sb_decimal_mul (SbDecimal a, SbDecimal b, SbDecimal *out_value);
gboolean sb_decimal_mul_div (SbDecimal a, SbDecimal b, SbDecimal c, SbDecimal *out_value);
gboolean sb_decimal_add (SbDecimal a, SbDecimal b, SbDecimal *out_value);
double sb_decimal_to_double (SbDecimal value);

G_END_DECLS
