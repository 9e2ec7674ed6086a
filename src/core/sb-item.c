/* sb-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-item.h"
#include "sb-record-check.h"
#include "sb-store-private.h"

static const char *const item_type_names[] = { "inventory", "service", "non-inventory" };

const char *
sb_item_type_to_string (SbItemType type)
{
  g_return_val_if_fail (type <= SB_ITEM_TYPE_NON_INVENTORY, "inventory");
  return item_type_names[type];
}

gboolean
sb_item_type_from_string (const char *text, SbItemType *out_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (item_type_names); i++)
    if (g_ascii_strcasecmp (text, item_type_names[i]) == 0)
      {
        *out_type = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
validate_item (SbStore *store, gconstpointer record, GError **error)
{
  const SbItem *i = record;
  const SbRecordType *t = &sb_item_record_type;

  if (i->type < SB_ITEM_TYPE_INVENTORY || i->type > SB_ITEM_TYPE_NON_INVENTORY)
    {
      g_autofree char *what = sb_record_describe (t, i);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("%s: the type must be Inventory, Service or Non-Inventory."), what);
      return FALSE;
    }
  return sb_check_not_negative (t, i, N_ ("Unit Price"), i->unit_price, error) &&
         sb_check_not_negative (t, i, N_ ("Unit Cost"), i->unit_cost, error) &&
         sb_check_not_negative (t, i, N_ ("Unit Volume"), i->unit_volume, error) &&
         sb_check_not_negative (t, i, N_ ("Gross Weight"), i->gross_weight, error) &&
         sb_check_reference (store, t, i, N_ ("Base Unit of Measure"), "unit_of_measure", "code",
                             i->base_unit_code, error);
}

static const char *const item_type_labels[] = { N_ ("Inventory"), N_ ("Service"),
                                                N_ ("Non-Inventory"), NULL };
static const char *const opportunity_status_labels[] = { N_ ("Not Started"), N_ ("In Progress"),
                                                         N_ ("Won"), N_ ("Lost"), NULL };

static const SbField item_fields[] = {
  SB_FIELD (SbItem, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbItem, description, SB_FIELD_TEXT, 100, SB_FIELD_FLAG_REQUIRED, N_ ("Description")),
  SB_FIELD (SbItem, base_unit_code, SB_FIELD_CODE, 10, 0, N_ ("Base Unit of Measure")),
  SB_FIELD (SbItem, unit_price, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Price")),
  SB_FIELD (SbItem, unit_cost, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Cost")),
  SB_FIELD (SbItem, inventory, SB_FIELD_DECIMAL, 0, 0, N_ ("Inventory")),
  SB_FIELD (SbItem, unit_volume, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Volume")),
  SB_FIELD (SbItem, gross_weight, SB_FIELD_DECIMAL, 0, 0, N_ ("Gross Weight")),
  SB_FIELD (SbItem, vendor_no, SB_FIELD_TEXT, 20, 0, N_ ("Vendor No.")),
  SB_FIELD (SbItem, vendor_item_no, SB_FIELD_TEXT, 50, 0, N_ ("Vendor Item No.")),
  SB_FIELD_CHOICE (SbItem, type, 0, N_ ("Type"), item_type_labels),
  SB_FIELD (SbItem, blocked, SB_FIELD_BOOL, 0, 0, N_ ("Blocked")),
  SB_FIELD_CHANGE_NO (SbItem),
  SB_FIELD_MODIFIED_AT (SbItem),
};

const SbRecordType sb_item_record_type = {
  "item",
  N_ ("Item"),
  sizeof (SbItem),
  item_fields,
  G_N_ELEMENTS (item_fields),
  "no",
  validate_item,
  (GDestroyNotify) sb_item_free,
};
SB_DEFINE_RECORD (SbItem, sb_item)

GPtrArray *
sb_item_list (SbStore *store, const char *search, GError **error)
{
  static const char *const columns[] = { "no", "description", NULL };

  return sb_record_search (store, &sb_item_record_type, search, columns, error);
}

static gboolean
validate_resource (SbStore *store, gconstpointer record, GError **error)
{
  const SbResource *r = record;
  const SbRecordType *t = &sb_resource_record_type;

  return sb_check_not_negative (t, r, N_ ("Unit Price"), r->unit_price, error) &&
         sb_check_not_negative (t, r, N_ ("Unit Cost"), r->unit_cost, error) &&
         sb_check_not_negative (t, r, N_ ("Capacity"), r->capacity, error) &&
         sb_check_reference (store, t, r, N_ ("Base Unit of Measure"), "unit_of_measure", "code",
                             r->base_unit_code, error);
}

static const SbField resource_fields[] = {
  SB_FIELD (SbResource, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbResource, name, SB_FIELD_TEXT, 100, SB_FIELD_FLAG_REQUIRED, N_ ("Name")),
  SB_FIELD (SbResource, base_unit_code, SB_FIELD_CODE, 10, 0, N_ ("Base Unit of Measure")),
  SB_FIELD (SbResource, unit_price, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Price")),
  SB_FIELD (SbResource, unit_cost, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Cost")),
  SB_FIELD (SbResource, capacity, SB_FIELD_DECIMAL, 0, 0, N_ ("Capacity")),
  SB_FIELD (SbResource, blocked, SB_FIELD_BOOL, 0, 0, N_ ("Blocked")),
  SB_FIELD_CHANGE_NO (SbResource),
  SB_FIELD_MODIFIED_AT (SbResource),
};

const SbRecordType sb_resource_record_type = {
  "resource",
  N_ ("Resource"),
  sizeof (SbResource),
  resource_fields,
  G_N_ELEMENTS (resource_fields),
  "no",
  validate_resource,
  (GDestroyNotify) sb_resource_free,
};
SB_DEFINE_RECORD (SbResource, sb_resource)

static gboolean
validate_sales_price (SbStore *store, gconstpointer record, GError **error)
{
  const SbSalesPrice *p = record;
  const SbRecordType *t = &sb_sales_price_record_type;

  return sb_check_not_negative (t, p, N_ ("Unit Price"), p->unit_price, error) &&
         sb_check_reference (store, t, p, N_ ("Item No."), "item", "no", p->item_no, error) &&
         sb_check_reference (store, t, p, N_ ("Customer Price Group"), "customer_price_group",
                             "code", p->price_group_code, error) &&
         sb_check_reference (store, t, p, N_ ("Currency Code"), "currency", "code",
                             p->currency_code, error) &&
         sb_check_reference (store, t, p, N_ ("Unit of Measure"), "unit_of_measure", "code",
                             p->unit_code, error);
}

static const SbField sales_price_fields[] = {
  SB_FIELD (SbSalesPrice, item_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("Item No.")),
  SB_FIELD (SbSalesPrice, price_group_code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY,
            N_ ("Customer Price Group")),
  /* Blank means the local currency, so it is a key part that may be ''. */
  SB_FIELD (SbSalesPrice, currency_code, SB_FIELD_TEXT, 10,
            SB_FIELD_FLAG_KEY | SB_FIELD_FLAG_BLANK_KEY, N_ ("Currency Code")),
  SB_FIELD (SbSalesPrice, unit_code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY, N_ ("Unit of Measure")),
  SB_FIELD (SbSalesPrice, unit_price, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Price")),
  SB_FIELD_CHANGE_NO (SbSalesPrice),
  SB_FIELD_MODIFIED_AT (SbSalesPrice),
};

const SbRecordType sb_sales_price_record_type = {
  "sales_price",
  N_ ("Sales Price"),
  sizeof (SbSalesPrice),
  sales_price_fields,
  G_N_ELEMENTS (sales_price_fields),
  "item_no, price_group_code",
  validate_sales_price,
  (GDestroyNotify) sb_sales_price_free,
};
SB_DEFINE_RECORD (SbSalesPrice, sb_sales_price)

gboolean
sb_sales_price_find (SbStore *store, const char *item_no, const char *price_group_code,
                     const char *currency_code, const char *unit_code, SbDecimal *out_price,
                     gboolean *out_found, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store,
                                         "SELECT unit_price FROM sales_price WHERE item_no = ?1"
                                         " AND price_group_code = ?2 AND currency_code = ?3"
                                         " AND unit_code = ?4",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, item_no);
  sb_bind_text (stmt, 2, price_group_code);
  sb_bind_text (stmt, 3, currency_code);
  sb_bind_text (stmt, 4, unit_code);
  rc = sqlite3_step (stmt);
  *out_found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW)
    *out_price = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

static gboolean
validate_opportunity (SbStore *store, gconstpointer record, GError **error)
{
  const SbOpportunity *o = record;
  const SbRecordType *t = &sb_opportunity_record_type;

  if (o->status < SB_OPPORTUNITY_NOT_STARTED || o->status > SB_OPPORTUNITY_LOST)
    {
      g_autofree char *what = sb_record_describe (t, o);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("%s: the status must be Not Started, In Progress, Won or Lost."), what);
      return FALSE;
    }
  return sb_check_reference (store, t, o, N_ ("Contact No."), "contact", "no", o->contact_no,
                             error) &&
         sb_check_reference (store, t, o, N_ ("Salesperson Code"), "salesperson", "code",
                             o->salesperson_code, error);
}

static const SbField opportunity_fields[] = {
  SB_FIELD (SbOpportunity, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbOpportunity, description, SB_FIELD_TEXT, 100, SB_FIELD_FLAG_REQUIRED,
            N_ ("Description")),
  SB_FIELD (SbOpportunity, contact_no, SB_FIELD_CODE, 20, 0, N_ ("Contact No.")),
  SB_FIELD (SbOpportunity, salesperson_code, SB_FIELD_CODE, 20, 0, N_ ("Salesperson Code")),
  SB_FIELD_CHOICE (SbOpportunity, status, 0, N_ ("Status"), opportunity_status_labels),
  SB_FIELD (SbOpportunity, estimated_value, SB_FIELD_DECIMAL, 0, 0, N_ ("Estimated Value")),
  SB_FIELD (SbOpportunity, estimated_closing_date, SB_FIELD_DATE, 0, 0,
            N_ ("Estimated Closing Date")),
  SB_FIELD_CHANGE_NO (SbOpportunity),
  SB_FIELD_MODIFIED_AT (SbOpportunity),
};

const SbRecordType sb_opportunity_record_type = {
  "opportunity",
  N_ ("Opportunity"),
  sizeof (SbOpportunity),
  opportunity_fields,
  G_N_ELEMENTS (opportunity_fields),
  "no",
  validate_opportunity,
  (GDestroyNotify) sb_opportunity_free,
};
SB_DEFINE_RECORD (SbOpportunity, sb_opportunity)
