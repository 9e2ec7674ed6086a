/* sb-books-items.c: the item list and the item card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-item.h"

static const SbCouplingSpec item_coupling = {
  .mapping = "ITEM-PRODUCT",
  .create_label = N_ ("Create Product in Sales"),
};

static GPtrArray *
list_items (SbStore *store, GError **error)
{
  return sb_item_list (store, NULL, error);
}

static char *
count_items (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s item", "%s items", n), count);
}

static void
add_sales_prices (SbDetailPage *page, SbStore *store, const SbItem *item,
                  const char *local_currency)
{
  const char *params[] = { item->no, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) prices = NULL;
  AdwPreferencesGroup *group;

  prices = sb_record_list (store, &sb_sales_price_record_type, "item_no = ?1", params, &error);
  if (prices == NULL)
    {
      sb_books_add_error_group (page, _ ("Sales Prices"), error);
      return;
    }

  group = sb_detail_page_add_group (page, _ ("Sales Prices"));
  if (prices->len == 0)
    sb_detail_page_add_placeholder_row (group, _ ("Every customer pays the unit price"));
  for (guint i = 0; i < prices->len; i++)
    {
      const SbSalesPrice *price = g_ptr_array_index (prices, i);
      const char *currency = *price->currency_code != '\0' ? price->currency_code : local_currency;
      g_autofree char *amount = sb_decimal_format_money (price->unit_price, currency, 2);
      g_autofree char *title = NULL;
      const char *price_group = price->price_group_code != NULL && *price->price_group_code != '\0'
                                    ? price->price_group_code
                                    : _ ("All customers");

      /* TRANSLATORS: a sales price's row: customer price group and unit of
       * measure, e.g. "RETAIL, per PCS" */
      title = g_strdup_printf (_ ("%s, per %s"), price_group, price->unit_code);
      sb_detail_page_add_value_row (group, title, amount, TRUE);
    }
}

static GtkWidget *
create_item_detail (SbStore *store, SbRecordObject *object)
{
  static const char *const general[] = { "no", "description", "type", "blocked", NULL };
  static const char *const prices[] = { "unit_price", "unit_cost", NULL };
  static const char *const inventory[] = { "base_unit_code", "inventory", "unit_volume",
                                           "gross_weight", NULL };
  static const char *const vendor[] = { "vendor_no", "vendor_item_no", NULL };
  const SbItem *item = sb_record_object_get_record (object);
  const SbRecordType *type = &sb_item_record_type;
  g_autofree char *local_currency = sb_books_get_local_currency (store);
  g_autofree char *subtitle = NULL;
  SbDetailPage *page;

  /* TRANSLATORS: the subtitle of an item's card: its number */
  subtitle = g_strdup_printf (_ ("Item %s"), item->no);
  page = SB_DETAIL_PAGE (sb_detail_page_new (item->description, subtitle));
  sb_detail_page_add_heading (page, "package-x-generic-symbolic");

  sb_detail_page_add_fields (page, _ ("General"), type, item, general, NULL, NULL);
  sb_coupling_add_detail_group (page, store, &item_coupling, item->no);
  sb_detail_page_add_fields (page, _ ("Prices and Costs"), type, item, prices, local_currency,
                             NULL);
  sb_detail_page_add_fields (page, _ ("Inventory"), type, item, inventory, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Vendor"), type, item, vendor, NULL, NULL);
  add_sales_prices (page, store, item, local_currency);
  return GTK_WIDGET (page);
}

static const SbRecordListColumn item_columns[] = {
  { "no", NULL, 90, FALSE, 0, NULL },
  { "description", NULL, 220, TRUE, 0, NULL },
  { "type", NULL, 110, FALSE, 0, NULL },
  { "base_unit_code", N_ ("Unit"), 70, FALSE, 0, NULL },
  { "unit_price", NULL, 100, FALSE, 2, NULL },
  { "inventory", NULL, 90, FALSE, 0, NULL },
  { "blocked", NULL, 70, FALSE, 0, NULL },
};

static const char *const item_search_fields[] = {
  "no",
  "description",
  "vendor_item_no",
  NULL,
};

const SbRecordListSpec sb_item_book = {
  .name = "items",
  .title = N_ ("Items"),
  .icon_name = "package-x-generic-symbolic",
  .type = &sb_item_record_type,
  .list = list_items,
  .columns = item_columns,
  .n_columns = G_N_ELEMENTS (item_columns),
  .search_fields = item_search_fields,
  .search_placeholder = N_ ("Search by number, description or vendor item no."),
  .empty_title = N_ ("No Items"),
  .empty_description = N_ ("Import your items from a CSV file, or synchronize them with the "
                           "products of Dynamics 365 Sales."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_items,
  .create_detail = create_item_detail,
  .extend = sb_books_extend_coupled,
  .extend_data = &item_coupling,
};
