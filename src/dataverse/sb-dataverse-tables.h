/* sb-dataverse-tables.h: the Dataverse tables an ERP integration uses (dataverse-web-api.md,
 * "Relevant tables", and integration-behaviour.md §9 for option values).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Entity set names (plural logical names). */
#define SB_DV_ACCOUNTS "accounts"
#define SB_DV_CONTACTS "contacts"
#define SB_DV_SYSTEMUSERS "systemusers"
#define SB_DV_TRANSACTIONCURRENCIES "transactioncurrencies"
#define SB_DV_UOMSCHEDULES "uomschedules"
#define SB_DV_UOMS "uoms"
#define SB_DV_PRODUCTS "products"
#define SB_DV_PRICELEVELS "pricelevels"
#define SB_DV_PRODUCTPRICELEVELS "productpricelevels"
#define SB_DV_OPPORTUNITIES "opportunities"
#define SB_DV_SALESORDERS "salesorders"
#define SB_DV_SALESORDERDETAILS "salesorderdetails"
#define SB_DV_QUOTES "quotes"
#define SB_DV_QUOTEDETAILS "quotedetails"
#define SB_DV_INVOICES "invoices"
#define SB_DV_INVOICEDETAILS "invoicedetails"
#define SB_DV_ANNOTATIONS "annotations"
#define SB_DV_POSTS "posts"

/* "accounts" → "account" (logical name), NULL for an entity set not listed above. */
const char *sb_dataverse_table_from_entity_set (const char *entity_set);
/* "account" → "accounts", NULL when unknown. */
const char *sb_dataverse_entity_set_from_table (const char *table);
/* The primary key attribute of @entity_set ("accounts" → "accountid"), NULL when unknown. */
const char *sb_dataverse_primary_key (const char *entity_set);

/* A new random GUID (client-generated ids make creates safe to retry). Free with g_free(). */
char *sb_dataverse_new_guid (void);
/* TRUE when @text is a GUID in the 8-4-4-4-12 form. */
gboolean sb_dataverse_is_guid (const char *text);
/* "/accounts(<id>)", the value of an "@odata.bind". Free with g_free(). */
char *sb_dataverse_bind_value (const char *entity_set, const char *id);
/* An alternate key: NULL-terminated name/string-value pairs → "accountnumber='C''01'"
 * (unencoded; the connection encodes it). */
char *sb_dataverse_alternate_key (const char *name, const char *value, ...) G_GNUC_NULL_TERMINATED;
/* The id at the end of an OData-EntityId URL ("…/accounts(<id>)"), or NULL. */
char *sb_dataverse_id_from_entity_id (const char *entity_id);

/* Option values, integration-behaviour.md §9. */
typedef enum
{
  SB_DV_SALESORDER_STATE_ACTIVE = 0,
  SB_DV_SALESORDER_STATE_SUBMITTED = 1,
  SB_DV_SALESORDER_STATE_CANCELED = 2,
  SB_DV_SALESORDER_STATE_FULFILLED = 3,
  SB_DV_SALESORDER_STATE_INVOICED = 4,
} SbDvSalesOrderState;

typedef enum
{
  SB_DV_SALESORDER_STATUS_NEW = 1,
  SB_DV_SALESORDER_STATUS_PENDING = 2,
  SB_DV_SALESORDER_STATUS_IN_PROGRESS = 3,
  SB_DV_SALESORDER_STATUS_NO_MONEY = 4,
  SB_DV_SALESORDER_STATUS_COMPLETE = 100001,
  SB_DV_SALESORDER_STATUS_PARTIAL = 100002,
  SB_DV_SALESORDER_STATUS_INVOICED = 100003,
} SbDvSalesOrderStatus;

typedef enum
{
  SB_DV_QUOTE_STATE_DRAFT = 0,
  SB_DV_QUOTE_STATE_ACTIVE = 1,
  SB_DV_QUOTE_STATE_WON = 2,
  SB_DV_QUOTE_STATE_CLOSED = 3,
} SbDvQuoteState;

typedef enum
{
  SB_DV_QUOTE_STATUS_IN_PROGRESS_DRAFT = 1,
  SB_DV_QUOTE_STATUS_IN_PROGRESS = 2,
  SB_DV_QUOTE_STATUS_OPEN = 3,
  SB_DV_QUOTE_STATUS_WON = 4,
  SB_DV_QUOTE_STATUS_LOST = 5,
  SB_DV_QUOTE_STATUS_CANCELED = 6,
  SB_DV_QUOTE_STATUS_REVISED = 7,
} SbDvQuoteStatus;

typedef enum
{
  SB_DV_INVOICE_STATE_ACTIVE = 0,
  SB_DV_INVOICE_STATE_PAID = 2,
  SB_DV_INVOICE_STATE_CANCELED = 3,
} SbDvInvoiceState;

typedef enum
{
  SB_DV_INVOICE_STATUS_NEW = 1,
  SB_DV_INVOICE_STATUS_PARTIALLY_SHIPPED = 2,
  SB_DV_INVOICE_STATUS_BILLED = 4,
  SB_DV_INVOICE_STATUS_BOOKED = 5,
  SB_DV_INVOICE_STATUS_INSTALLED = 6,
  SB_DV_INVOICE_STATUS_COMPLETE = 100001,
  SB_DV_INVOICE_STATUS_PARTIAL = 100002,
  SB_DV_INVOICE_STATUS_CANCELED = 100003,
} SbDvInvoiceStatus;

typedef enum
{
  SB_DV_OPPORTUNITY_STATE_OPEN = 0,
  SB_DV_OPPORTUNITY_STATE_WON = 1,
  SB_DV_OPPORTUNITY_STATE_LOST = 2,
} SbDvOpportunityState;

typedef enum
{
  SB_DV_OPPORTUNITY_STATUS_IN_PROGRESS = 1,
  SB_DV_OPPORTUNITY_STATUS_ON_HOLD = 2,
  SB_DV_OPPORTUNITY_STATUS_WON = 3,
  SB_DV_OPPORTUNITY_STATUS_CANCELED = 4,
  SB_DV_OPPORTUNITY_STATUS_OUT_SOLD = 5,
} SbDvOpportunityStatus;

typedef enum
{
  SB_DV_PRODUCT_STATE_ACTIVE = 0,
  SB_DV_PRODUCT_STATE_RETIRED = 1,
  SB_DV_PRODUCT_STATE_DRAFT = 2,
  SB_DV_PRODUCT_STATE_UNDER_REVISION = 3,
} SbDvProductState;

typedef enum
{
  SB_DV_PRODUCT_STATUS_DRAFT = 0,
  SB_DV_PRODUCT_STATUS_ACTIVE = 1,
  SB_DV_PRODUCT_STATUS_RETIRED = 2,
  SB_DV_PRODUCT_STATUS_UNDER_REVISION = 3,
} SbDvProductStatus;

/* account, contact, transactioncurrency, uomschedule, pricelevel. */
typedef enum
{
  SB_DV_STATE_ACTIVE = 0,
  SB_DV_STATE_INACTIVE = 1,
} SbDvState;

typedef enum
{
  SB_DV_STATUS_ACTIVE = 1,
  SB_DV_STATUS_INACTIVE = 2,
} SbDvStatus;

typedef enum
{
  SB_DV_PRICELEVEL_STATUS_ACTIVE = 100001,
  SB_DV_PRICELEVEL_STATUS_INACTIVE = 100002,
} SbDvPriceLevelStatus;

typedef enum
{
  SB_DV_PRODUCT_TYPE_SALES_INVENTORY = 1,
  SB_DV_PRODUCT_TYPE_MISCELLANEOUS_CHARGES = 2,
  SB_DV_PRODUCT_TYPE_SERVICES = 3,
  SB_DV_PRODUCT_TYPE_FLAT_FEES = 4,
} SbDvProductType;

#define SB_DV_CUSTOMER_TYPE_CUSTOMER 3
#define SB_DV_POST_SOURCE_AUTO 1
#define SB_DV_POST_SOURCE_MANUAL 2
#define SB_DV_POST_TYPE_STATUS 7
#define SB_DV_PRICING_METHOD_CURRENCY_AMOUNT 1

/* The statuscode Dataverse pairs with @statecode by default on @entity_set (e.g. salesorders,
 * 3 Fulfilled → 100001 Complete), or -1 when unknown. Dataverse wants them together. */
int sb_dataverse_default_status (const char *entity_set, int statecode);

G_END_DECLS
