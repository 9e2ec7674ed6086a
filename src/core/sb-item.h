/* sb-item.h: items, resources and their sales prices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef enum
{
  SB_ITEM_TYPE_INVENTORY = 0,
  SB_ITEM_TYPE_SERVICE = 1,
  SB_ITEM_TYPE_NON_INVENTORY = 2,
} SbItemType;

typedef struct
{
  char *no;
  char *description;
  char *base_unit_code;
  SbDecimal unit_price;
  SbDecimal unit_cost;
  SbDecimal inventory; /* may go negative when shipping more than is in stock */
  SbDecimal unit_volume;
  SbDecimal gross_weight;
  char *vendor_no;
  char *vendor_item_no;
  gint64 type; /* SbItemType */
  gboolean blocked;
  gint64 change_no;
  char *modified_at;
} SbItem;
SB_DECLARE_RECORD (SbItem, sb_item)

GPtrArray *sb_item_list (SbStore *store, const char *search, GError **error);
const char *sb_item_type_to_string (SbItemType type); /* stable: inventory, service, … */
gboolean sb_item_type_from_string (const char *text, SbItemType *out_type);

typedef struct
{
  char *no;
  char *name;
  char *base_unit_code;
  SbDecimal unit_price;
  SbDecimal unit_cost;
  SbDecimal capacity;
  gboolean blocked;
  gint64 change_no;
  char *modified_at;
} SbResource;
SB_DECLARE_RECORD (SbResource, sb_resource)

typedef struct
{
  char *item_no;
  char *price_group_code;
  char *currency_code; /* '' = local currency */
  char *unit_code;
  SbDecimal unit_price;
  gint64 change_no;
  char *modified_at;
} SbSalesPrice;
SB_DECLARE_RECORD (SbSalesPrice, sb_sales_price)

/* The unit price a customer of @price_group_code pays for @item_no in
 * @currency_code and @unit_code: the group's price when there is one, else
 * the item's unit price (local currency, base unit). */
gboolean sb_sales_price_find (SbStore *store, const char *item_no, const char *price_group_code,
                              const char *currency_code, const char *unit_code,
                              SbDecimal *out_price, gboolean *out_found, GError **error);

typedef enum
{
  SB_OPPORTUNITY_NOT_STARTED = 0,
  SB_OPPORTUNITY_IN_PROGRESS = 1,
  SB_OPPORTUNITY_WON = 2,
  SB_OPPORTUNITY_LOST = 3,
} SbOpportunityStatus;

typedef struct
{
  char *no;
  char *description;
  char *contact_no;
  char *salesperson_code;
  gint64 status; /* SbOpportunityStatus */
  SbDecimal estimated_value;
  char *estimated_closing_date;
  gint64 change_no;
  char *modified_at;
} SbOpportunity;
SB_DECLARE_RECORD (SbOpportunity, sb_opportunity)

G_END_DECLS
