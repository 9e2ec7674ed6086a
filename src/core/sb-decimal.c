/* sb-decimal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-decimal.h"

static const gint64 powers_of_ten[] = { 1, 10, 100, 1000, 10000, 100000 };

/* Parses "[+-]digits[.digits]" with @radix as the decimal separator and
 * @group (may be NULL) as an ignorable thousands separator. */
static gboolean
parse_with (const char *text, const char *radix, const char *group, SbDecimal *out_value,
            GError **error)
{
  const char *p = text;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint fraction_places = 0;
  gsize radix_len = strlen (radix);
  gsize group_len = group != NULL ? strlen (group) : 0;

  if (text == NULL)
    text = p = "";

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          any_digit = TRUE;
          if (whole > SB_DECIMAL_MAX / SB_DECIMAL_SCALE / 10)
            goto too_large;
          whole = whole * 10 + (*p - '0');
        }
      else if (group_len > 0 && strncmp (p, group, group_len) == 0)
        p += group_len - 1;
      else
        break;
    }

  if (strncmp (p, radix, radix_len) == 0 && radix_len > 0)
    {
      p += radix_len;
      for (; g_ascii_isdigit (*p); p++)
        {
          any_digit = TRUE;
          if (fraction_places == SB_DECIMAL_PLACES)
            {
              if (*p != '0')
                {
                  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                               _ ("“%s” has more than %d decimal places."), text,
                               SB_DECIMAL_PLACES);
                  return FALSE;
                }
              continue;
            }
          fraction = fraction * 10 + (*p - '0');
          fraction_places++;
        }
    }

  while (g_ascii_isspace (*p))
    p++;

  if (!any_digit || *p != '\0')
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID, _ ("“%s” is not a number."), text);
      return FALSE;
    }

  *out_value =
      whole * SB_DECIMAL_SCALE + fraction * powers_of_ten[SB_DECIMAL_PLACES - fraction_places];
  if (negative)
    *out_value = -*out_value;
  return TRUE;

too_large:
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID, _ ("“%s” is too large."), text);
  return FALSE;
}

/* The locale-independent form used by the CLI, JSON and the database. */
gboolean
sb_decimal_parse (const char *text, SbDecimal *out_value, GError **error)
{
  return parse_with (text, ".", NULL, out_value, error);
}

/* What a person types in the current locale ("1 234,5" in Swedish).  The
 * C form is accepted too so pasted numbers keep working. */
gboolean
sb_decimal_parse_locale (const char *text, SbDecimal *out_value, GError **error)
{
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *group = nl_langinfo (THOUSEP);
  g_autofree char *stripped = NULL;
  GString *s;

  if (radix == NULL || *radix == '\0')
    radix = ".";
  if (group != NULL && *group == '\0')
    group = NULL;

  /* Many locales group with a (narrow) no-break space; people type a
   * plain space instead. */
  s = g_string_new (text != NULL ? text : "");
  g_string_replace (s, "\u202f", "", 0);
  g_string_replace (s, "\u00a0", "", 0);
  if (group != NULL && (g_str_equal (group, "\u202f") || g_str_equal (group, "\u00a0")))
    {
      g_strstrip (s->str);
      g_string_replace (s, " ", "", 0);
      group = NULL;
    }
  stripped = g_string_free (s, FALSE);

  if (parse_with (stripped, radix, group, out_value, NULL))
    return TRUE;
  return parse_with (stripped, ".", NULL, out_value, error);
}

SbDecimal
sb_decimal_round (SbDecimal value, guint places)
{
  gint64 unit;
  gint64 rest;

  if (places >= SB_DECIMAL_PLACES)
    return value;
  unit = powers_of_ten[SB_DECIMAL_PLACES - places];
  rest = value % unit;
  value -= rest;
  /* Half away from zero, as ERP amount rounding does. */
  if (rest >= unit / 2)
    value += unit;
  else if (rest <= -unit / 2)
    value -= unit;
  return value;
}

static gboolean
from_wide (__int128 wide, SbDecimal *out_value)
{
  if (wide > SB_DECIMAL_MAX || wide < -SB_DECIMAL_MAX)
    return FALSE;
  *out_value = (SbDecimal) wide;
  return TRUE;
}

static __int128
div_round (__int128 n, __int128 d)
{
  __int128 q = n / d;
  __int128 r = n % d;

  if (r < 0)
    r = -r;
  if (2 * r >= (d < 0 ? -d : d))
    q += ((n < 0) != (d < 0)) ? -1 : 1;
  return q;
}

/* a × b, rounded to five places; FALSE on overflow. */
gboolean
sb_decimal_mul (SbDecimal a, SbDecimal b, SbDecimal *out_value)
{
  return from_wide (div_round ((__int128) a * b, SB_DECIMAL_SCALE), out_value);
}

/* a × b ÷ c without intermediate rounding; FALSE on overflow or c = 0. */
gboolean
sb_decimal_mul_div (SbDecimal a, SbDecimal b, SbDecimal c, SbDecimal *out_value)
{
  if (c == 0)
    return FALSE;
  return from_wide (div_round ((__int128) a * b, c), out_value);
}

gboolean
sb_decimal_add (SbDecimal a, SbDecimal b, SbDecimal *out_value)
{
  return from_wide ((__int128) a + b, out_value);
}

/* Only for charts and JSON numbers, never for arithmetic. */
double
sb_decimal_to_double (SbDecimal value)
{
  return (double) value / (double) SB_DECIMAL_SCALE;
}

static char *
digits_of (SbDecimal value, guint min_places, guint max_places, const char *radix,
           const char *group)
{
  GString *s = g_string_new (NULL);
  guint64 magnitude;
  guint64 whole;
  guint64 fraction;
  char whole_digits[32];
  char fraction_digits[8];
  gsize n;
  guint places;

  value = sb_decimal_round (value, max_places);
  magnitude = value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;
  whole = magnitude / SB_DECIMAL_SCALE;
  fraction = magnitude % SB_DECIMAL_SCALE;

  if (value < 0)
    g_string_append_c (s, '-');

  g_snprintf (whole_digits, sizeof whole_digits, "%" G_GUINT64_FORMAT, whole);
  n = strlen (whole_digits);
  for (gsize i = 0; i < n; i++)
    {
      if (group != NULL && i > 0 && (n - i) % 3 == 0)
        g_string_append (s, group);
      g_string_append_c (s, whole_digits[i]);
    }

  g_snprintf (fraction_digits, sizeof fraction_digits, "%05" G_GUINT64_FORMAT, fraction);
  places = max_places;
  while (places > min_places && fraction_digits[places - 1] == '0')
    places--;
  if (places > 0)
    {
      g_string_append (s, radix);
      g_string_append_len (s, fraction_digits, places);
    }
  return g_string_free (s, FALSE);
}

/* "1234.5" with at least @min_places decimals: the stable machine form. */
char *
sb_decimal_to_string (SbDecimal value, guint min_places)
{
  return digits_of (value, MIN (min_places, SB_DECIMAL_PLACES), SB_DECIMAL_PLACES, ".", NULL);
}

/* Rounded to @places and grouped as the current locale writes numbers. */
char *
sb_decimal_format (SbDecimal value, guint places)
{
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *group = nl_langinfo (THOUSEP);

  places = MIN (places, SB_DECIMAL_PLACES);
  if (radix == NULL || *radix == '\0')
    radix = ".";
  if (group != NULL && *group == '\0')
    group = NULL;
  return digits_of (value, places, places, radix, group);
}

/* ISO 4217 currencies without a minor unit: an Icelandic króna amount
 * written "1.234,00" would claim aurar that no longer exist. */
static gboolean
currency_has_no_decimals (const char *currency_code)
{
  static const char *const codes[] = { "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                       "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_ascii_strcasecmp (currency_code, codes[i]) == 0)
      return TRUE;
  return FALSE;
}

char *
sb_decimal_format_money (SbDecimal value, const char *currency_code, guint places)
{
  g_autofree char *number = NULL;

  if (currency_code != NULL && currency_has_no_decimals (currency_code))
    places = 0;
  number = sb_decimal_format (value, places);

  if (currency_code == NULL || *currency_code == '\0')
    return g_steal_pointer (&number);
  /* TRANSLATORS: an amount and its ISO currency code, e.g. "1,234.50 EUR" */
  return g_strdup_printf (C_ ("money", "%s %s"), number, currency_code);
}
