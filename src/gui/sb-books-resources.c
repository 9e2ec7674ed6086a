/* sb-books-resources.c: resources (services sold by the hour), coupled with Sales products
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-item.h"

static const SbCouplingSpec resource_coupling = {
  .mapping = "RESOURCE-PRODUCT",
  .create_label = N_ ("Create Product in Sales"),
};

static char *
count_resources (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s resource", "%s resources", n), count);
}

static GtkWidget *
create_resource_card (SbStore *store, SbRecordObject *object)
{
  static const char *const fields[] = { "no",        "name",     "base_unit_code", "unit_price",
                                        "unit_cost", "capacity", "blocked",        NULL };

  return sb_books_new_simple_card (store, object, "applications-engineering-symbolic", "name",
                                   fields, &resource_coupling);
}

static const SbRecordListColumn resource_columns[] = {
  { "no", NULL, 90, FALSE, 0, NULL },
  { "name", NULL, 220, TRUE, 0, NULL },
  { "base_unit_code", N_ ("Unit"), 70, FALSE, 0, NULL },
  { "unit_price", NULL, 100, FALSE, 2, NULL },
  { "capacity", NULL, 90, FALSE, 0, NULL },
  { "blocked", NULL, 70, FALSE, 0, NULL },
};

static const char *const resource_search_fields[] = { "no", "name", NULL };

const SbRecordListSpec sb_resource_book = {
  .name = "resources",
  .title = N_ ("Resources"),
  .icon_name = "applications-engineering-symbolic",
  .type = &sb_resource_record_type,
  .columns = resource_columns,
  .n_columns = G_N_ELEMENTS (resource_columns),
  .search_fields = resource_search_fields,
  .search_placeholder = N_ ("Search by number or name"),
  .empty_title = N_ ("No Resources"),
  .empty_description = N_ ("Import your resources from a CSV file, or synchronize them with the "
                           "service products of Dynamics 365 Sales."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_resources,
  .create_detail = create_resource_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &resource_coupling,
};
