/* sbs-dataverse.h: reading Dataverse back in the sync tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-dataverse.h"

G_BEGIN_DECLS

/* A page callback adding the page's rows to the guint at @user_data. */
gboolean sbs_count_page (const SbDataversePage *page, gpointer user_data, GError **error);
/* The rows of @set (whose @attribute equals @value, when @attribute is not NULL), read as @cnc;
 * the test fails on an error. */
guint sbs_count_rows (SbDataverseConnection *cnc, const char *set, const char *attribute,
                      const char *value);

G_END_DECLS
