/* sb-sync-mapping.c: integration table mappings, their defaults and validation
 *
 * The sync layer keeps its own tables in the company database (schema step 5), so it uses the
 * store's private statement cache and transactions (sb-store-private.h), like the core does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-customer.h"
#include "sb-item.h"
#include "sb-posted-invoice.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-store-private.h"
#include "sb-sync-error.h"
#include "sb-sync-mapping.h"

#define TO SB_SYNC_DIRECTION_TO_SALES
#define FROM SB_SYNC_DIRECTION_FROM_SALES
#define BOTH SB_SYNC_DIRECTION_BOTH

typedef struct
{
  const char *erp;
  const char *dataverse;
  SbSyncDirection direction;
  const char *constant;
  const char *lookup;
  const char *transform;
  guint match_priority;
} FieldDef;

typedef struct
{
  const char *name;
  const char *erp_table;
  const char *entity_set;
  SbSyncDirection direction;
  const char *erp_filter;
  const char *dataverse_filter;
  const char *depends_on;
  gboolean only_coupled;
  gboolean create_if_no_match;
  guint inactivity_timeout;
  gboolean implemented;
  const FieldDef *fields;
} MappingDef;

#define END                                                                                        \
  {                                                                                                \
    NULL, NULL, 0, NULL, NULL, NULL, 0                                                             \
  }
#define F(erp, dv, dir)                                                                            \
  {                                                                                                \
    erp, dv, dir, "", "", "", 0                                                                    \
  }
#define FM(erp, dv, dir, prio)                                                                     \
  {                                                                                                \
    erp, dv, dir, "", "", "", prio                                                                 \
  }
#define FL(erp, dv, dir, lookup)                                                                   \
  {                                                                                                \
    erp, dv, dir, "", lookup, "", 0                                                                \
  }
#define FC(dv, constant)                                                                           \
  {                                                                                                \
    "", dv, TO, constant, "", "", 0                                                                \
  }
#define FT(erp, dv, dir, transform)                                                                \
  {                                                                                                \
    erp, dv, dir, "", "", transform, 0                                                             \
  }

/* §1 "Field mappings". Blank ERP lookups (a customer in local currency) are left out. */
static const FieldDef salespeople_fields[] = {
  FM ("email", "internalemailaddress", FROM, 1),
  F ("name", "fullname", FROM),
  F ("phone", "mobilephone", FROM),
  END,
};

static const FieldDef currency_fields[] = {
  FM ("code", "isocurrencycode", TO, 1),
  F ("symbol", "currencysymbol", TO),
  F ("description", "currencyname", TO),
  END,
};

static const FieldDef unit_fields[] = {
  FM ("code", "name", TO, 1),
  F ("code", "baseuomname", TO),
  END,
};

static const FieldDef customer_fields[] = {
  FM ("no", "accountnumber", TO, 1),
  FM ("name", "name", BOTH, 2),
  F ("contact", "address1_primarycontactname", BOTH),
  /* Primary Contact No.: the customer's contact person named in Contact (§1). */
  { "contact", "primarycontactid", BOTH, "", "CONTACT", SB_SYNC_TRANSFORM_PRIMARY_CONTACT, 0 },
  F ("address", "address1_line1", BOTH),
  F ("address_2", "address1_line2", BOTH),
  F ("post_code", "address1_postalcode", BOTH),
  F ("city", "address1_city", BOTH),
  F ("country_code", "address1_country", BOTH),
  F ("county", "address1_stateorprovince", BOTH),
  FL ("currency_code", "transactioncurrencyid", BOTH, "CURRENCY"),
  F ("email", "emailaddress1", BOTH),
  F ("fax", "fax", BOTH),
  F ("home_page", "websiteurl", BOTH),
  F ("phone", "telephone1", BOTH),
  FL ("salesperson_code", "ownerid", BOTH, "SALESPEOPLE"),
  F ("credit_limit", "creditlimit", TO),
  FC ("customertypecode", "3"),
  FT ("blocked", "statecode", FROM, SB_SYNC_TRANSFORM_STATE_BLOCKED),
  END,
};

static const FieldDef contact_fields[] = {
  F ("first_name", "firstname", BOTH),
  F ("middle_name", "middlename", BOTH),
  F ("surname", "lastname", BOTH),
  F ("address", "address1_line1", BOTH),
  F ("address_2", "address1_line2", BOTH),
  F ("post_code", "address1_postalcode", BOTH),
  F ("city", "address1_city", BOTH),
  F ("country_code", "address1_country", BOTH),
  F ("county", "address1_stateorprovince", BOTH),
  FM ("email", "emailaddress1", BOTH, 1),
  F ("fax", "fax", BOTH),
  F ("home_page", "websiteurl", BOTH),
  F ("mobile_phone", "mobilephone", BOTH),
  F ("pager", "pager", BOTH),
  F ("phone", "telephone1", BOTH),
  FL ("currency_code", "transactioncurrencyid", BOTH, "CURRENCY"),
  FL ("company_no", "parentcustomerid_account", BOTH, "CUSTOMER"),
  END,
};

static const FieldDef item_fields[] = {
  FM ("no", "productnumber", TO, 1),
  F ("description", "name", BOTH),
  F ("unit_price", "price", TO),
  F ("unit_cost", "standardcost", TO),
  F ("unit_cost", "currentcost", TO),
  F ("unit_volume", "stockvolume", TO),
  F ("gross_weight", "stockweight", TO),
  F ("vendor_no", "vendorid", TO),
  F ("vendor_item_no", "vendorpartnumber", TO),
  FT ("inventory", "quantityonhand", TO, SB_SYNC_TRANSFORM_NON_NEGATIVE),
  FL ("base_unit_code", "defaultuomscheduleid", BOTH, "UNIT OF MEASURE"),
  { "base_unit_code", "defaultuomid", TO, "", "UNIT OF MEASURE", SB_SYNC_TRANSFORM_BASE_UNIT, 0 },
  FC ("producttypecode", "1"),
  END,
};

static const FieldDef resource_fields[] = {
  FM ("no", "productnumber", TO, 1),
  F ("name", "name", BOTH),
  F ("unit_price", "price", TO),
  F ("unit_cost", "standardcost", TO),
  F ("unit_cost", "currentcost", TO),
  F ("capacity", "quantityonhand", TO),
  FL ("base_unit_code", "defaultuomscheduleid", TO, "UNIT OF MEASURE"),
  { "base_unit_code", "defaultuomid", TO, "", "UNIT OF MEASURE", SB_SYNC_TRANSFORM_BASE_UNIT, 0 },
  FC ("producttypecode", "3"),
  END,
};

static const FieldDef price_group_fields[] = {
  FM ("code", "name", TO, 1),
  END,
};

static const FieldDef sales_price_fields[] = {
  FL ("price_group_code", "pricelevelid", TO, "CUSTPRCGRP-PRICE"),
  FL ("item_no", "productid", TO, "ITEM-PRODUCT"),
  FL ("currency_code", "transactioncurrencyid", TO, "CURRENCY"),
  FC ("pricingmethodcode", "1"),
  F ("unit_price", "amount", TO),
  { "unit_code", "uomid", TO, "", "UNIT OF MEASURE", SB_SYNC_TRANSFORM_BASE_UNIT, 0 },
  END,
};

/* Contact Company No. is the contact's customer: sent through the contact (a transform). The
 * status comes back from Sales: Won and Lost opportunities close the ERP's. */
static const FieldDef opportunity_fields[] = {
  F ("description", "name", BOTH),
  FL ("contact_no", "parentcontactid", TO, "CONTACT"),
  { "contact_no", "parentaccountid", TO, "", "CUSTOMER", SB_SYNC_TRANSFORM_CONTACT_COMPANY, 0 },
  FL ("salesperson_code", "ownerid", TO, "SALESPEOPLE"),
  F ("estimated_value", "estimatedvalue", TO),
  F ("estimated_closing_date", "estimatedclosedate", TO),
  FT ("status", "statecode", FROM, SB_SYNC_TRANSFORM_OPPORTUNITY_STATE),
  END,
};

/* The ship-to and bill-to addresses, the same on invoices and orders (§1). */
#define SHIP_AND_BILL_TO_FIELDS                                                                    \
  F ("ship_to_name", "shipto_name", TO), F ("ship_to_address", "shipto_line1", TO),                \
      F ("ship_to_address_2", "shipto_line2", TO), F ("ship_to_city", "shipto_city", TO),          \
      F ("ship_to_country_code", "shipto_country", TO),                                            \
      F ("ship_to_post_code", "shipto_postalcode", TO),                                            \
      F ("ship_to_county", "shipto_stateorprovince", TO), F ("bill_to_name", "billto_name", TO),   \
      F ("bill_to_address", "billto_line1", TO), F ("bill_to_address_2", "billto_line2", TO),      \
      F ("bill_to_city", "billto_city", TO), F ("bill_to_country_code", "billto_country", TO),     \
      F ("bill_to_post_code", "billto_postalcode", TO),                                            \
      F ("bill_to_county", "billto_stateorprovince", TO)

static const FieldDef invoice_fields[] = {
  FM ("no", "invoicenumber", TO, 1),
  FL ("currency_code", "transactioncurrencyid", TO, "CURRENCY"),
  F ("due_date", "duedate", TO),
  F ("shipment_date", "datedelivered", TO),
  SHIP_AND_BILL_TO_FIELDS,
  F ("amount", "totalamountlessfreight", TO),
  F ("amount_including_vat", "totalamount", TO),
  F ("invoice_discount_amount", "discountamount", TO),
  F ("payment_terms_code", "paymenttermscode", TO),
  FL ("salesperson_code", "ownerid", TO, "SALESPEOPLE"),
  END,
};

static const FieldDef invoice_line_fields[] = {
  F ("quantity", "quantity", TO),
  F ("line_discount_amount", "manualdiscountamount", TO),
  F ("unit_price", "priceperunit", TO),
  FC ("ispriceoverridden", "true"),
  F ("amount", "baseamount", TO),
  F ("amount_including_vat", "extendedamount", TO),
  F ("description", "productdescription", TO),
  END,
};

static const FieldDef order_fields[] = {
  F ("no", "name", TO),
  FL ("currency_code", "transactioncurrencyid", TO, "CURRENCY"),
  SHIP_AND_BILL_TO_FIELDS,
  F ("last_shipment_date", "datefulfilled", TO),
  F ("requested_delivery_date", "requestdeliveryby", TO),
  F ("payment_terms_code", "paymenttermscode", TO),
  END,
};

/* §1 table, in "synchronize all" order. */
static const MappingDef defaults[] = {
  { "SALESPEOPLE", "salesperson", "systemusers", FROM, "",
    "isdisabled eq false and islicensed eq true and isintegrationuser eq false", "", TRUE, FALSE,
    1440, TRUE, salespeople_fields },
  { "CURRENCY", "currency", "transactioncurrencies", TO, "", "", "", TRUE, TRUE, 720, TRUE,
    currency_fields },
  { "UNIT OF MEASURE", "unit_of_measure", "uomschedules", TO, "", "", "", TRUE, TRUE, 720, TRUE,
    unit_fields },
  { "CUSTOMER", "customer", "accounts", BOTH, "blocked = 0",
    "statecode eq 0 and customertypecode eq 3", "SALESPEOPLE,CURRENCY", TRUE, FALSE, 720, TRUE,
    customer_fields },
  { "CONTACT", "contact", "contacts", BOTH, "company_no IS NOT NULL AND company_no <> ''",
    "_parentcustomerid_value ne null and statecode eq 0", "CUSTOMER", TRUE, FALSE, 720, TRUE,
    contact_fields },
  { "ITEM-PRODUCT", "item", "products", BOTH, "blocked = 0",
    "producttypecode eq 1 and statecode eq 0", "UNIT OF MEASURE", TRUE, FALSE, 1440, TRUE,
    item_fields },
  { "RESOURCE-PRODUCT", "resource", "products", BOTH, "blocked = 0",
    "producttypecode eq 3 and statecode eq 0", "UNIT OF MEASURE", TRUE, FALSE, 720, TRUE,
    resource_fields },
  { "CUSTPRCGRP-PRICE", "customer_price_group", "pricelevels", TO, "", "", "CURRENCY,ITEM-PRODUCT",
    TRUE, FALSE, 1440, TRUE, price_group_fields },
  { "SALESPRC-PRODPRICE", "sales_price", "productpricelevels", TO, "price_group_code <> ''", "",
    "CUSTPRCGRP-PRICE,ITEM-PRODUCT", FALSE, FALSE, 1440, TRUE, sales_price_fields },
  { "OPPORTUNITY", "opportunity", "opportunities", BOTH, "status IN (0, 1)", "", "CONTACT", FALSE,
    FALSE, 720, TRUE, opportunity_fields },
  { "POSTEDSALESINV-INV", "posted_invoice", "invoices", TO, "", "",
    "ITEM-PRODUCT,RESOURCE-PRODUCT,OPPORTUNITY", TRUE, FALSE, 1440, TRUE, invoice_fields },
  { "POSTEDSALESLINE-INV", "posted_invoice_line", "invoicedetails", TO, "", "",
    "POSTEDSALESINV-INV", TRUE, FALSE, 720, TRUE, invoice_line_fields },
  { "SALESORDER-ORDER", "sales_header", "salesorders", TO, "doc_type = 1 AND status = 1", "",
    "ITEM-PRODUCT,RESOURCE-PRODUCT,OPPORTUNITY", TRUE, FALSE, 720, FALSE, order_fields },
};

static const MappingDef *
find_default (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (g_ascii_strcasecmp (defaults[i].name, name) == 0)
      return &defaults[i];
  return NULL;
}

void
sb_sync_field_mapping_free (SbSyncFieldMapping *field)
{
  if (field == NULL)
    return;
  g_free (field->erp_field);
  g_free (field->dataverse_field);
  g_free (field->constant);
  g_free (field->lookup_mapping);
  g_free (field->transform);
  g_free (field);
}

SbSyncFieldMapping *
sb_sync_field_mapping_copy (const SbSyncFieldMapping *field)
{
  SbSyncFieldMapping *copy = g_memdup2 (field, sizeof *field);

  copy->erp_field = g_strdup (field->erp_field);
  copy->dataverse_field = g_strdup (field->dataverse_field);
  copy->constant = g_strdup (field->constant);
  copy->lookup_mapping = g_strdup (field->lookup_mapping);
  copy->transform = g_strdup (field->transform);
  return copy;
}

void
sb_sync_mapping_free (SbSyncMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_free (mapping->name);
  g_free (mapping->erp_table);
  g_free (mapping->entity_set);
  g_free (mapping->erp_filter);
  g_free (mapping->dataverse_filter);
  g_free (mapping->depends_on);
  g_free (mapping->dataverse_watermark);
  g_free (mapping->delta_link);
  g_clear_pointer (&mapping->fields, g_ptr_array_unref);
  g_free (mapping);
}

SbSyncMapping *
sb_sync_mapping_copy (const SbSyncMapping *mapping)
{
  SbSyncMapping *copy = g_memdup2 (mapping, sizeof *mapping);

  copy->name = g_strdup (mapping->name);
  copy->erp_table = g_strdup (mapping->erp_table);
  copy->entity_set = g_strdup (mapping->entity_set);
  copy->erp_filter = g_strdup (mapping->erp_filter);
  copy->dataverse_filter = g_strdup (mapping->dataverse_filter);
  copy->depends_on = g_strdup (mapping->depends_on);
  copy->dataverse_watermark = g_strdup (mapping->dataverse_watermark);
  copy->delta_link = g_strdup (mapping->delta_link);
  copy->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_field_mapping_free);
  for (guint i = 0; i < mapping->fields->len; i++)
    g_ptr_array_add (copy->fields, sb_sync_field_mapping_copy (mapping->fields->pdata[i]));
  return copy;
}

const char *
sb_sync_direction_to_string (SbSyncDirection direction)
{
  switch (direction)
    {
      case SB_SYNC_DIRECTION_TO_SALES:
        return "to-sales";
      case SB_SYNC_DIRECTION_FROM_SALES:
        return "from-sales";
      case SB_SYNC_DIRECTION_BOTH:
      default:
        return "both";
    }
}

gboolean
sb_sync_direction_from_string (const char *text, SbSyncDirection *out_direction)
{
  if (g_strcmp0 (text, "to-sales") == 0)
    *out_direction = SB_SYNC_DIRECTION_TO_SALES;
  else if (g_strcmp0 (text, "from-sales") == 0)
    *out_direction = SB_SYNC_DIRECTION_FROM_SALES;
  else if (g_strcmp0 (text, "both") == 0)
    *out_direction = SB_SYNC_DIRECTION_BOTH;
  else
    return FALSE;
  return TRUE;
}

const SbRecordType *
sb_sync_erp_record_type (const char *erp_table)
{
  static const SbRecordType *const types[] = {
    &sb_salesperson_record_type,     &sb_currency_record_type,
    &sb_unit_of_measure_record_type, &sb_customer_record_type,
    &sb_contact_record_type,         &sb_item_record_type,
    &sb_resource_record_type,        &sb_customer_price_group_record_type,
    &sb_sales_price_record_type,     &sb_opportunity_record_type,
    &sb_posted_invoice_record_type,  &sb_posted_invoice_line_record_type,
    &sb_sales_header_record_type,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_strcmp0 (types[i]->table, erp_table) == 0)
      return types[i];
  return NULL;
}

static SbSyncMapping *
mapping_from_def (const MappingDef *def, guint priority)
{
  SbSyncMapping *m = g_new0 (SbSyncMapping, 1);

  m->name = g_strdup (def->name);
  m->erp_table = g_strdup (def->erp_table);
  m->entity_set = g_strdup (def->entity_set);
  m->direction = def->direction;
  m->erp_filter = g_strdup (def->erp_filter);
  m->dataverse_filter = g_strdup (def->dataverse_filter);
  m->depends_on = g_strdup (def->depends_on);
  m->priority = priority;
  m->only_coupled = def->only_coupled;
  m->create_if_no_match = def->create_if_no_match;
  m->job_interval = 30;
  m->inactivity_timeout = def->inactivity_timeout;
  m->transfer_implemented = def->implemented;
  m->dataverse_watermark = g_strdup ("");
  m->delta_link = g_strdup ("");
  m->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_field_mapping_free);
  for (const FieldDef *f = def->fields; f->dataverse != NULL; f++)
    {
      SbSyncFieldMapping *field = g_new0 (SbSyncFieldMapping, 1);

      field->erp_field = g_strdup (f->erp);
      field->dataverse_field = g_strdup (f->dataverse);
      field->direction = f->direction;
      field->constant = g_strdup (f->constant);
      field->lookup_mapping = g_strdup (f->lookup);
      field->transform = g_strdup (f->transform);
      field->match_priority = f->match_priority;
      field->enabled = TRUE;
      g_ptr_array_add (m->fields, field);
    }
  return m;
}

static gboolean
write_fields (SbStore *store, const SbSyncMapping *m, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "DELETE FROM integration_field_mapping WHERE mapping = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, m->name);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  for (guint i = 0; i < m->fields->len; i++)
    {
      const SbSyncFieldMapping *f = m->fields->pdata[i];

      stmt =
          sb_store_prepare (store,
                            "INSERT INTO integration_field_mapping (mapping, position, erp_field,"
                            " dataverse_field, direction, constant, lookup_mapping, transform,"
                            " match_priority, match_case_sensitive, enabled)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            error);
      if (stmt == NULL)
        return FALSE;
      sb_bind_text (stmt, 1, m->name);
      sqlite3_bind_int (stmt, 2, (int) i);
      sb_bind_text (stmt, 3, f->erp_field ? f->erp_field : "");
      sb_bind_text (stmt, 4, f->dataverse_field);
      sqlite3_bind_int (stmt, 5, f->direction);
      sb_bind_text (stmt, 6, f->constant ? f->constant : "");
      sb_bind_text (stmt, 7, f->lookup_mapping ? f->lookup_mapping : "");
      sb_bind_text (stmt, 8, f->transform ? f->transform : "");
      sqlite3_bind_int (stmt, 9, (int) f->match_priority);
      sqlite3_bind_int (stmt, 10, f->match_case_sensitive);
      sqlite3_bind_int (stmt, 11, f->enabled);
      if (!sb_store_exec_stmt (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes every setting but the watermarks; inserts the row when it is missing. */
static gboolean
write_mapping (SbStore *store, const SbSyncMapping *m, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO integration_table_mapping (name, erp_table, entity_set, direction, erp_filter,"
      " dataverse_filter, depends_on, priority, only_coupled, create_if_no_match,"
      " sync_after_coupling, conflict_policy, deletion_policy, job_interval, inactivity_timeout)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
      " ON CONFLICT (name) DO UPDATE SET erp_table = ?2, entity_set = ?3, direction = ?4,"
      " erp_filter = ?5, dataverse_filter = ?6, depends_on = ?7, priority = ?8,"
      " only_coupled = ?9, create_if_no_match = ?10, sync_after_coupling = ?11,"
      " conflict_policy = ?12, deletion_policy = ?13, job_interval = ?14,"
      " inactivity_timeout = ?15",
      error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, m->name);
  sb_bind_text (stmt, 2, m->erp_table);
  sb_bind_text (stmt, 3, m->entity_set);
  sqlite3_bind_int (stmt, 4, m->direction);
  sb_bind_text (stmt, 5, m->erp_filter ? m->erp_filter : "");
  sb_bind_text (stmt, 6, m->dataverse_filter ? m->dataverse_filter : "");
  sb_bind_text (stmt, 7, m->depends_on ? m->depends_on : "");
  sqlite3_bind_int (stmt, 8, (int) m->priority);
  sqlite3_bind_int (stmt, 9, m->only_coupled);
  sqlite3_bind_int (stmt, 10, m->create_if_no_match);
  sqlite3_bind_int (stmt, 11, m->sync_after_coupling);
  sqlite3_bind_int (stmt, 12, m->conflict_policy);
  sqlite3_bind_int (stmt, 13, m->deletion_policy);
  sqlite3_bind_int (stmt, 14, (int) m->job_interval);
  sqlite3_bind_int (stmt, 15, (int) m->inactivity_timeout);
  if (!sb_store_exec_stmt (store, stmt, error))
    return FALSE;
  return write_fields (store, m, error);
}

static gboolean
ensure_defaults_txn (SbStore *store, gpointer user_data, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      sqlite3_stmt *stmt = sb_store_prepare (
          store, "SELECT 1 FROM integration_table_mapping WHERE name = ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sb_bind_text (stmt, 1, defaults[i].name);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        continue;
      if (rc != SQLITE_DONE)
        return sb_store_set_error (store, error);

      g_autoptr (SbSyncMapping) m = mapping_from_def (&defaults[i], i + 1);
      if (!write_mapping (store, m, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sb_sync_mapping_ensure_defaults (SbStore *store, GError **error)
{
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "SELECT count(*) FROM integration_table_mapping", error);
  gint64 n = -1;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* Usually all there: no write transaction (the store may be a read-only one). */
  if (n >= (gint64) G_N_ELEMENTS (defaults))
    return TRUE;
  return sb_store_run_in_transaction (store, ensure_defaults_txn, NULL, error);
}

static char *
column_text (sqlite3_stmt *stmt, int index)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  return g_strdup (text != NULL ? text : "");
}

static gboolean
load_fields (SbStore *store, SbSyncMapping *m, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT erp_field, dataverse_field, direction, constant, lookup_mapping, transform,"
      " match_priority, match_case_sensitive, enabled FROM integration_field_mapping"
      " WHERE mapping = ?1 ORDER BY position",
      error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, m->name);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SbSyncFieldMapping *f = g_new0 (SbSyncFieldMapping, 1);

      f->erp_field = column_text (stmt, 0);
      f->dataverse_field = column_text (stmt, 1);
      f->direction = sqlite3_column_int (stmt, 2);
      f->constant = column_text (stmt, 3);
      f->lookup_mapping = column_text (stmt, 4);
      f->transform = column_text (stmt, 5);
      f->match_priority = (guint) sqlite3_column_int (stmt, 6);
      f->match_case_sensitive = sqlite3_column_int (stmt, 7) != 0;
      f->enabled = sqlite3_column_int (stmt, 8) != 0;
      g_ptr_array_add (m->fields, f);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

#define MAPPING_COLUMNS                                                                            \
  "name, erp_table, entity_set, direction, erp_filter, dataverse_filter, depends_on, priority,"    \
  " only_coupled, create_if_no_match, sync_after_coupling, conflict_policy, deletion_policy,"      \
  " job_interval, inactivity_timeout, erp_watermark, dataverse_watermark, delta_link"

static SbSyncMapping *
mapping_from_row (sqlite3_stmt *stmt)
{
  SbSyncMapping *m = g_new0 (SbSyncMapping, 1);
  const MappingDef *def;

  m->name = column_text (stmt, 0);
  m->erp_table = column_text (stmt, 1);
  m->entity_set = column_text (stmt, 2);
  m->direction = sqlite3_column_int (stmt, 3);
  m->erp_filter = column_text (stmt, 4);
  m->dataverse_filter = column_text (stmt, 5);
  m->depends_on = column_text (stmt, 6);
  m->priority = (guint) sqlite3_column_int (stmt, 7);
  m->only_coupled = sqlite3_column_int (stmt, 8) != 0;
  m->create_if_no_match = sqlite3_column_int (stmt, 9) != 0;
  m->sync_after_coupling = sqlite3_column_int (stmt, 10) != 0;
  m->conflict_policy = sqlite3_column_int (stmt, 11);
  m->deletion_policy = sqlite3_column_int (stmt, 12);
  m->job_interval = (guint) sqlite3_column_int (stmt, 13);
  m->inactivity_timeout = (guint) sqlite3_column_int (stmt, 14);
  m->erp_watermark = sqlite3_column_int64 (stmt, 15);
  m->dataverse_watermark = column_text (stmt, 16);
  m->delta_link = column_text (stmt, 17);
  def = find_default (m->name);
  m->transfer_implemented = def != NULL && def->implemented;
  m->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_field_mapping_free);
  return m;
}

GPtrArray *
sb_sync_mapping_list (SbStore *store, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!sb_sync_mapping_ensure_defaults (store, error))
    return NULL;
  stmt = sb_store_prepare (store,
                           "SELECT " MAPPING_COLUMNS " FROM integration_table_mapping"
                           " ORDER BY priority, name",
                           error);
  if (stmt == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_mapping_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, mapping_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  for (guint i = 0; i < list->len; i++)
    if (!load_fields (store, list->pdata[i], error))
      return NULL;
  return g_steal_pointer (&list);
}

SbSyncMapping *
sb_sync_mapping_load (SbStore *store, const char *name, GError **error)
{
  g_autoptr (SbSyncMapping) m = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!sb_sync_mapping_ensure_defaults (store, error))
    return NULL;
  stmt = sb_store_prepare (store,
                           "SELECT " MAPPING_COLUMNS " FROM integration_table_mapping"
                           " WHERE name = ?1 COLLATE NOCASE",
                           error);
  if (stmt == NULL)
    return NULL;
  sb_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    m = mapping_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNKNOWN_MAPPING,
                   _ ("There is no integration table mapping “%s”."), name);
      return NULL;
    }
  if (m == NULL)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  if (!load_fields (store, m, error))
    return NULL;
  return g_steal_pointer (&m);
}

static gboolean
invalid (GError **error, const SbSyncMapping *m, const char *detail)
{
  g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_INVALID_MAPPING,
               _ ("Integration table mapping %s: %s"), m->name, detail);
  return FALSE;
}

static gboolean
is_attribute_name (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
sb_sync_mapping_validate (SbStore *store, const SbSyncMapping *m, GError **error)
{
  const SbRecordType *type = sb_sync_erp_record_type (m->erp_table);
  g_autoptr (SbDataverseFilter) filter = NULL;
  g_autoptr (GError) local_error = NULL;

  if (type == NULL)
    return invalid (error, m, _ ("the ERP table is not one the integration knows."));
  if (m->direction > SB_SYNC_DIRECTION_BOTH ||
      m->conflict_policy > SB_SYNC_CONFLICT_SEND_TO_SALES ||
      m->deletion_policy > SB_SYNC_DELETION_REMOVE_COUPLING)
    return invalid (error, m, _ ("a direction or policy is out of range."));
  if (!sb_sync_parse_dataverse_filter (m->dataverse_filter, &filter, &local_error))
    return invalid (error, m, local_error->message);
  if (m->erp_filter != NULL && *m->erp_filter != '\0')
    {
      g_autofree char *sql =
          g_strdup_printf ("SELECT 1 FROM %s WHERE (%s) LIMIT 0", type->table, m->erp_filter);
      sqlite3_stmt *stmt = NULL;

      if (strchr (m->erp_filter, ';') != NULL ||
          sqlite3_prepare_v2 (sb_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          sqlite3_finalize (stmt);
          return invalid (error, m, _ ("the ERP filter is not a valid condition."));
        }
      sqlite3_finalize (stmt);
    }
  for (guint i = 0; i < m->fields->len; i++)
    {
      const SbSyncFieldMapping *f = m->fields->pdata[i];
      g_autofree char *detail = NULL;

      if (!is_attribute_name (f->dataverse_field))
        detail = g_strdup_printf (_ ("“%s” is not a Dataverse attribute name."),
                                  f->dataverse_field ? f->dataverse_field : "");
      else if ((f->constant == NULL || *f->constant == '\0') &&
               sb_record_type_find_field (type, f->erp_field) == NULL)
        detail = g_strdup_printf (_ ("the ERP table has no field “%s”."),
                                  f->erp_field ? f->erp_field : "");
      else if (f->direction > SB_SYNC_DIRECTION_BOTH ||
               (m->direction != SB_SYNC_DIRECTION_BOTH && f->direction != m->direction))
        detail = g_strdup_printf (_ ("the direction of field %s does not fit the mapping's."),
                                  f->dataverse_field);
      else if (f->lookup_mapping != NULL && *f->lookup_mapping != '\0' &&
               find_default (f->lookup_mapping) == NULL)
        detail = g_strdup_printf (_ ("field %s looks up through an unknown mapping “%s”."),
                                  f->dataverse_field, f->lookup_mapping);
      else if (f->transform != NULL && *f->transform != '\0' &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_NON_NEGATIVE) &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_STATE_BLOCKED) &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_BASE_UNIT) &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_CONTACT_COMPANY) &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_OPPORTUNITY_STATE) &&
               !g_str_equal (f->transform, SB_SYNC_TRANSFORM_PRIMARY_CONTACT))
        detail = g_strdup_printf (_ ("field %s has an unknown special case “%s”."),
                                  f->dataverse_field, f->transform);
      else if (f->constant != NULL && *f->constant != '\0')
        {
          g_autoptr (JsonNode) node = json_from_string (f->constant, NULL);

          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
            detail = g_strdup_printf (_ ("the constant of field %s is not a JSON value."),
                                      f->dataverse_field);
        }
      if (detail != NULL)
        return invalid (error, m, detail);
    }
  return TRUE;
}

static gboolean
save_txn (SbStore *store, gpointer user_data, GError **error)
{
  const SbSyncMapping *m = user_data;
  sqlite3_stmt *stmt =
      sb_store_prepare (store, "SELECT 1 FROM integration_table_mapping WHERE name = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, m->name);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNKNOWN_MAPPING,
                   _ ("There is no integration table mapping “%s”."), m->name);
      return FALSE;
    }
  return write_mapping (store, m, error);
}

gboolean
sb_sync_mapping_save (SbStore *store, const SbSyncMapping *mapping, GError **error)
{
  if (!sb_sync_mapping_validate (store, mapping, error))
    return FALSE;
  return sb_store_run_in_transaction (store, save_txn, (gpointer) mapping, error);
}

static gboolean
reset_txn (SbStore *store, gpointer user_data, GError **error)
{
  const char *name = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      if (name != NULL && g_ascii_strcasecmp (defaults[i].name, name) != 0)
        continue;
      g_autoptr (SbSyncMapping) m = mapping_from_def (&defaults[i], i + 1);
      if (!write_mapping (store, m, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sb_sync_mapping_reset (SbStore *store, const char *name, GError **error)
{
  if (name != NULL && find_default (name) == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_UNKNOWN_MAPPING,
                   _ ("There is no integration table mapping “%s”."), name);
      return FALSE;
    }
  return sb_store_run_in_transaction (store, reset_txn, (gpointer) name, error);
}

gboolean
sb_sync_mapping_set_watermarks (SbStore *store, const char *name, gint64 erp_watermark,
                                const char *dataverse_watermark, const char *delta_link,
                                GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "UPDATE integration_table_mapping SET erp_watermark = ?2, dataverse_watermark = ?3,"
      " delta_link = ?4 WHERE name = ?1",
      error);

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, erp_watermark);
  sb_bind_text (stmt, 3, dataverse_watermark ? dataverse_watermark : "");
  sb_bind_text (stmt, 4, delta_link ? delta_link : "");
  return sb_store_exec_stmt (store, stmt, error);
}

/* ---- Dataverse filter text ---------------------------------------------------------------- */

static gboolean
filter_error (GError **error, const char *text)
{
  g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_INVALID_MAPPING,
               _ ("The Dataverse filter “%s” is not understood: use “attribute eq value”, joined "
                  "with “and”."),
               text);
  return FALSE;
}

static const char *
skip_space (const char *p)
{
  while (*p == ' ')
    p++;
  return p;
}

typedef enum
{
  COND_STRING,
  COND_INT,
  COND_BOOL,
  COND_NULL,
  COND_GUID,
} CondKind;

typedef struct
{
  char *attribute;
  SbDataverseOperator op;
  CondKind kind;
  char *text; /* string and GUID values */
  gint64 number;
} Cond;

struct _SbSyncRowFilter
{
  GPtrArray *conds; /* Cond */
};

static void
cond_free (Cond *cond)
{
  g_free (cond->attribute);
  g_free (cond->text);
  g_free (cond);
}

void
sb_sync_row_filter_free (SbSyncRowFilter *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->conds);
  g_free (self);
}

SbSyncRowFilter *
sb_sync_row_filter_new (const char *text, GError **error)
{
  static const char *const ops[] = { "eq", "ne", "gt", "ge", "lt", "le" };
  g_autoptr (SbSyncRowFilter) self = g_new0 (SbSyncRowFilter, 1);
  const char *p = skip_space (text != NULL ? text : "");

  self->conds = g_ptr_array_new_with_free_func ((GDestroyNotify) cond_free);
  while (*p != '\0')
    {
      Cond *cond = g_new0 (Cond, 1);
      g_autofree char *value = NULL;
      const char *start = p;
      int op = -1;
      gboolean quoted = FALSE;

      g_ptr_array_add (self->conds, cond);
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      if (p == start)
        return filter_error (error, text), NULL;
      cond->attribute = g_strndup (start, (gsize) (p - start));
      p = skip_space (p);
      for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
        if (strncmp (p, ops[i], 2) == 0 && p[2] == ' ')
          op = (int) i;
      if (op < 0)
        return filter_error (error, text), NULL;
      cond->op = op;
      p = skip_space (p + 2);
      if (*p == '\'')
        {
          GString *str = g_string_new (NULL);

          quoted = TRUE;
          for (p++;; p++)
            {
              if (*p == '\0')
                {
                  g_string_free (str, TRUE);
                  return filter_error (error, text), NULL;
                }
              if (*p == '\'' && p[1] == '\'')
                {
                  g_string_append_c (str, '\'');
                  p++;
                }
              else if (*p == '\'')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (str, *p);
            }
          value = g_string_free (str, FALSE);
        }
      else
        {
          start = p;
          while (*p != '\0' && *p != ' ')
            p++;
          value = g_strndup (start, (gsize) (p - start));
        }

      if (quoted)
        {
          cond->kind = COND_STRING;
          cond->text = g_steal_pointer (&value);
        }
      else if (g_str_equal (value, "null") && op <= SB_DATAVERSE_NE)
        cond->kind = COND_NULL;
      else if (g_str_equal (value, "true") || g_str_equal (value, "false"))
        {
          cond->kind = COND_BOOL;
          cond->number = g_str_equal (value, "true");
        }
      else if (sb_dataverse_is_guid (value))
        {
          cond->kind = COND_GUID;
          cond->text = g_ascii_strdown (value, -1);
        }
      else
        {
          char *end = NULL;

          cond->kind = COND_INT;
          cond->number = g_ascii_strtoll (value, &end, 10);
          if (*value == '\0' || end == NULL || *end != '\0')
            return filter_error (error, text), NULL;
        }
      p = skip_space (p);
      if (*p == '\0')
        break;
      if (strncmp (p, "and ", 4) != 0)
        return filter_error (error, text), NULL;
      p = skip_space (p + 4);
      if (*p == '\0')
        return filter_error (error, text), NULL;
    }
  return g_steal_pointer (&self);
}

SbDataverseFilter *
sb_sync_row_filter_to_filter (SbSyncRowFilter *self)
{
  SbDataverseFilter *result = NULL;

  for (guint i = 0; i < self->conds->len; i++)
    {
      Cond *c = self->conds->pdata[i];
      SbDataverseFilter *f = NULL;

      switch (c->kind)
        {
          case COND_STRING:
            f = sb_dataverse_filter_string (c->attribute, c->op, c->text);
            break;
          case COND_NULL:
            f = sb_dataverse_filter_null (c->attribute, c->op);
            break;
          case COND_BOOL:
            f = sb_dataverse_filter_bool (c->attribute, c->op, c->number != 0);
            break;
          case COND_GUID:
            f = sb_dataverse_filter_guid (c->attribute, c->op, c->text);
            break;
          case COND_INT:
          default:
            f = sb_dataverse_filter_int (c->attribute, c->op, c->number);
            break;
        }
      result = result == NULL ? f : sb_dataverse_filter_and (result, f, NULL);
    }
  return result;
}

static gboolean
compare (int cmp, SbDataverseOperator op)
{
  switch (op)
    {
      case SB_DATAVERSE_EQ:
        return cmp == 0;
      case SB_DATAVERSE_NE:
        return cmp != 0;
      case SB_DATAVERSE_GT:
        return cmp > 0;
      case SB_DATAVERSE_GE:
        return cmp >= 0;
      case SB_DATAVERSE_LT:
        return cmp < 0;
      case SB_DATAVERSE_LE:
      default:
        return cmp <= 0;
    }
}

gboolean
sb_sync_row_filter_matches (SbSyncRowFilter *self, JsonObject *row)
{
  for (guint i = 0; i < self->conds->len; i++)
    {
      Cond *c = self->conds->pdata[i];
      JsonNode *node = json_object_get_member (row, c->attribute);
      gboolean is_null = node == NULL || JSON_NODE_HOLDS_NULL (node);
      int cmp;

      if (c->kind == COND_NULL)
        {
          if (is_null != (c->op == SB_DATAVERSE_EQ))
            return FALSE;
          continue;
        }
      if (is_null)
        {
          /* As in OData: a comparison with null is false, "ne" true. */
          if (c->op != SB_DATAVERSE_NE)
            return FALSE;
          continue;
        }
      switch (c->kind)
        {
          case COND_STRING:
          case COND_GUID:
            {
              /* Dataverse compares text case-insensitively. */
              g_autofree char *a = g_utf8_casefold (sb_json_get_string (row, c->attribute, ""), -1);
              g_autofree char *b = g_utf8_casefold (c->text, -1);
              cmp = strcmp (a, b);
            }
            break;
          case COND_BOOL:
            cmp = (int) sb_json_get_bool (row, c->attribute, FALSE) - (int) c->number;
            break;
          case COND_INT:
          default:
            {
              gint64 v = sb_json_get_int (row, c->attribute, 0);
              cmp = v < c->number ? -1 : v > c->number;
            }
            break;
        }
      if (!compare (cmp, c->op))
        return FALSE;
    }
  return TRUE;
}

gboolean
sb_sync_parse_dataverse_filter (const char *text, SbDataverseFilter **out_filter, GError **error)
{
  g_autoptr (SbSyncRowFilter) parsed = sb_sync_row_filter_new (text, error);

  *out_filter = NULL;
  if (parsed == NULL)
    return FALSE;
  *out_filter = sb_sync_row_filter_to_filter (parsed);
  return TRUE;
}
