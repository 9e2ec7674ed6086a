/* sb-gui-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "sb-gui-format.h"

char *
sb_gui_format_decimal (SbDecimal value, guint min_places)
{
  guint places = MIN (min_places, SB_DECIMAL_PLACES);

  /* Quantities such as 0.00125 m³ must not be shown rounded to zero, but
   * a whole quantity reads better without ",00000". */
  while (places < SB_DECIMAL_PLACES && sb_decimal_round (value, places) != value)
    places++;
  return sb_decimal_format (value, places);
}

char *
sb_gui_format_date (const char *iso_date)
{
  int year, month, day;
  g_autoptr (GDateTime) date = NULL;

  if (iso_date == NULL || *iso_date == '\0')
    return g_strdup ("");
  if (sscanf (iso_date, "%4d-%2d-%2d", &year, &month, &day) != 3)
    return g_strdup (iso_date);
  /* Noon, so no time zone rule can move the date to another day. */
  date = g_date_time_new_local (year, month, day, 12, 0, 0);
  if (date == NULL)
    return g_strdup (iso_date);
  return g_date_time_format (date, "%x");
}

char *
sb_gui_format_count (guint64 count)
{
  return sb_decimal_format (sb_decimal_from_int ((gint64) MIN (count, (guint64) G_MAXINT32)), 0);
}

gboolean
sb_gui_field_is_money (const SbField *field)
{
  static const char *const money_words[] = { "price", "amount", "cost", "limit", "balance",
                                             "value", "total",  "_lcy", NULL };

  if (field->type != SB_FIELD_DECIMAL)
    return FALSE;
  /* Record descriptors do not say which decimals are money; their column
   * names do, and they are stable (they are the JSON names too). */
  for (guint i = 0; money_words[i] != NULL; i++)
    if (strstr (field->name, money_words[i]) != NULL)
      return TRUE;
  return FALSE;
}

char *
sb_gui_format_field (const SbField *field, gconstpointer record, const char *currency_code)
{
  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
        {
          const char *text = sb_record_get_text (field, record);
          return g_strdup (text != NULL ? text : "");
        }
      case SB_FIELD_DATE:
        return sb_gui_format_date (sb_record_get_text (field, record));
      case SB_FIELD_BOOL:
        return g_strdup (sb_record_get_int (field, record) ? _ ("Yes") : _ ("No"));
      case SB_FIELD_INT:
        {
          const char *choice = sb_record_get_choice (field, record);

          if (choice != NULL)
            return g_strdup (choice);
          return sb_decimal_format (sb_decimal_from_int (sb_record_get_int (field, record)), 0);
        }
      case SB_FIELD_DECIMAL:
        {
          SbDecimal value = sb_record_get_int (field, record);

          if (sb_gui_field_is_money (field))
            {
              if (currency_code != NULL)
                return sb_decimal_format_money (value, currency_code, 2);
              return sb_decimal_format (value, 2);
            }
          return sb_gui_format_decimal (value, 0);
        }
      default:
        g_assert_not_reached ();
    }
}
