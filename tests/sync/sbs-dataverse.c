/* sbs-dataverse.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbs-dataverse.h"

gboolean
sbs_count_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  *(guint *) user_data += json_array_get_length (page->rows);
  return TRUE;
}

guint
sbs_count_rows (SbDataverseConnection *cnc, const char *set, const char *attribute,
                const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (set);
  guint n = 0;

  if (attribute != NULL)
    sb_dataverse_query_set_filter (query,
                                   sb_dataverse_filter_string (attribute, SB_DATAVERSE_EQ, value));
  g_assert_true (
      sb_dataverse_connection_query_sync (cnc, query, sbs_count_page, &n, NULL, NULL, &error));
  g_assert_no_error (error);
  return n;
}
