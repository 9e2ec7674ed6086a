/* sb-sandbox-schema.c: entity metadata of the tables the sandbox serves.
 *
 * Attributes are declared in a small text form ("name:type[:targets-or-choice][:flags]") rather
 * than as hundreds of struct initialisers, so that a table reads like the attribute list of the
 * reference (../shared/reference/dataverse-web-api.md) and adding one is a one-line change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-schema.h"

#include <string.h>

#define OPTS(n, ...)                                                                               \
  static const SbOption n##_opts[] = { __VA_ARGS__ };                                              \
  static const SbOptionSet n = { #n, n##_opts, G_N_ELEMENTS (n##_opts) }

/* integration-behaviour.md §9 */
OPTS (generic_state, { 0, "Active", 0 }, { 1, "Inactive", 1 });
OPTS (generic_status, { 1, "Active", 0 }, { 2, "Inactive", 1 });
OPTS (salesorder_state, { 0, "Active", 0 }, { 1, "Submitted", 1 }, { 2, "Canceled", 2 },
      { 3, "Fulfilled", 3 }, { 4, "Invoiced", 4 });
OPTS (salesorder_status, { 1, "New", 0 }, { 2, "Pending", 0 }, { 3, "In Progress", 1 },
      { 4, "No Money", 2 }, { 100001, "Complete", 3 }, { 100002, "Partial", 3 },
      { 100003, "Invoiced", 4 });
OPTS (quote_state, { 0, "Draft", 0 }, { 1, "Active", 1 }, { 2, "Won", 2 }, { 3, "Closed", 3 });
OPTS (quote_status, { 1, "In Progress", 0 }, { 2, "In Progress", 1 }, { 3, "Open", 1 },
      { 4, "Won", 2 }, { 5, "Lost", 3 }, { 6, "Canceled", 3 }, { 7, "Revised", 3 });
OPTS (invoice_state, { 0, "Active", 0 }, { 1, "Closed (deprecated)", 1 }, { 2, "Paid", 2 },
      { 3, "Canceled", 3 });
OPTS (invoice_status, { 1, "New", 0 }, { 2, "Partially Shipped", 0 }, { 4, "Billed", 0 },
      { 5, "Booked (applies to services)", 0 }, { 6, "Installed (applies to services)", 0 },
      { 100001, "Complete", 2 }, { 100002, "Partial", 2 }, { 100003, "Canceled", 3 });
OPTS (opportunity_state, { 0, "Open", 0 }, { 1, "Won", 1 }, { 2, "Lost", 2 });
OPTS (opportunity_status, { 1, "In Progress", 0 }, { 2, "On Hold", 0 }, { 3, "Won", 1 },
      { 4, "Canceled", 2 }, { 5, "Out-Sold", 2 });
OPTS (product_state, { 0, "Active", 0 }, { 1, "Retired", 1 }, { 2, "Draft", 2 },
      { 3, "Under Revision", 3 });
OPTS (product_status, { 1, "Active", 0 }, { 2, "Retired", 1 }, { 0, "Draft", 2 },
      { 3, "Under Revision", 3 });
OPTS (pricelevel_status, { 100001, "Active", 0 }, { 100002, "Inactive", 1 });
OPTS (customertypecode, { 1, "Competitor", 0 }, { 2, "Consultant", 0 }, { 3, "Customer", 0 },
      { 4, "Investor", 0 }, { 5, "Partner", 0 }, { 6, "Influencer", 0 }, { 7, "Press", 0 },
      { 8, "Prospect", 0 }, { 9, "Reseller", 0 }, { 10, "Supplier", 0 }, { 11, "Vendor", 0 },
      { 12, "Other", 0 });
OPTS (producttypecode, { 1, "Sales Inventory", 0 }, { 2, "Miscellaneous Charges", 0 },
      { 3, "Services", 0 }, { 4, "Flat Fees", 0 });
OPTS (pricingmethodcode, { 1, "Currency Amount", 0 }, { 2, "Percent of List", 0 },
      { 3, "Percent Markup - Current Cost", 0 }, { 4, "Percent Margin - Current Cost", 0 },
      { 5, "Percent Markup - Standard Cost", 0 }, { 6, "Percent Margin - Standard Cost", 0 });
OPTS (quantitysellingcode, { 1, "No Control", 0 }, { 2, "Whole", 0 },
      { 3, "Whole and Fractional", 0 });
OPTS (post_source, { 1, "Auto Post", 0 }, { 2, "Manual Post", 0 });
OPTS (post_type, { 1, "Check-in", 0 }, { 2, "Idea", 0 }, { 3, "News", 0 },
      { 4, "Private Message", 0 }, { 5, "Question", 0 }, { 6, "Re-post", 0 }, { 7, "Status", 0 });
OPTS (paymenttermscode, { 1, "Net 30", 0 }, { 2, "2% 10, Net 30", 0 }, { 3, "Net 45", 0 },
      { 4, "Net 60", 0 });

static const SbOptionSet *const option_sets[] = {
  &customertypecode, &producttypecode, &pricingmethodcode, &quantitysellingcode,
  &post_source,      &post_type,       &paymenttermscode,
};

typedef struct
{
  const char *name, *set, *primary_name;
  gboolean user_owned;
  const SbOptionSet *state, *status;
  int default_state, default_status;
  gboolean state_on_create_refused, create_only;
  const char *number_attr, *number_prefix, *detail_of, *detail_lookup;
  const char *alt_keys;    /* ";"-separated keys, each ","-separated attributes */
  const char *collections; /* ";"-separated "name=target.via" or "name=target@intersect" */
  const char *attrs[80];
} TableDecl;

#define ADDRESS(p)                                                                                 \
  p "_name:s", p "_line1:s", p "_line2:s", p "_line3:s", p "_city:s", p "_postalcode:s",           \
      p "_country:s", p "_stateorprovince:s", p "_contactname:s", p "_telephone:s"
#define ADDRESS1                                                                                   \
  "address1_line1:s", "address1_line2:s", "address1_line3:s", "address1_city:s",                   \
      "address1_postalcode:s", "address1_country:s", "address1_stateorprovince:s",                 \
      "address1_telephone1:s"
#define TOTALS                                                                                     \
  "discountpercentage:d", "discountamount:m", "freightamount:m", "totallineitemamount:m:ro",       \
      "totaldiscountamount:m:ro", "totaltax:m:ro", "totalamountlessfreight:m:ro",                  \
      "totalamount:m:ro", "totallineitemdiscountamount:m:ro"
#define DETAIL                                                                                     \
  "productid:l:product", "isproductoverridden:b", "productdescription:s", "description:t",         \
      "quantity:d", "priceperunit:m", "ispriceoverridden:b", "uomid:l:uom",                        \
      "manualdiscountamount:m", "volumediscountamount:m", "tax:m", "baseamount:m:ro",              \
      "extendedamount:m:ro", "sequencenumber:i", "lineitemnumber:i",                               \
      "transactioncurrencyid:l:transactioncurrency:ro"
#define REGARDING "account|contact|opportunity|salesorder|quote|invoice|product|systemuser"

static const TableDecl decls[] = {
  { "account",
    "accounts",
    "name",
    TRUE,
    &generic_state,
    &generic_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "accountnumber",
    "contact_customer_accounts=contact.parentcustomerid;opportunity_parent_account=opportunity."
    "parentaccountid",
    { "name:s:idx", "accountnumber:s", ADDRESS1, "address1_primarycontactname:s", "telephone1:s",
      "telephone2:s", "fax:s", "emailaddress1:s", "websiteurl:s", "creditlimit:m",
      "customertypecode:c:customertypecode:idx", "transactioncurrencyid:l:transactioncurrency",
      "primarycontactid:l:contact", "parentaccountid:l:account", "description:t", "revenue:m",
      "numberofemployees:i", "paymenttermscode:c:paymenttermscode", NULL } },
  { "contact",
    "contacts",
    "fullname",
    TRUE,
    &generic_state,
    &generic_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "firstname,emailaddress1",
    NULL,
    { "firstname:s", "middlename:s", "lastname:s", "fullname:s:ro", "emailaddress1:s:idx",
      "telephone1:s", "mobilephone:s", "fax:s", "pager:s", "websiteurl:s", "jobtitle:s", ADDRESS1,
      "parentcustomerid:l:account|contact", "transactioncurrencyid:l:transactioncurrency",
      "description:t", NULL } },
  { "systemuser",
    "systemusers",
    "fullname",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "domainname",
    "systemuserroles_association=role@systemuserroles_association",
    { "firstname:s", "lastname:s", "fullname:s:ro", "internalemailaddress:s", "mobilephone:s",
      "title:s", "isdisabled:b", "islicensed:b", "isintegrationuser:b", "domainname:s",
      "applicationid:g", "businessunitid:l:businessunit", "accessmode:i", NULL } },
  { "role",
    "roles",
    "name",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "name:s:idx", "businessunitid:l:businessunit", NULL } },
  { "businessunit",
    "businessunits",
    "name",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "name:s", "parentbusinessunitid:l:businessunit", NULL } },
  { "organization",
    "organizations",
    "name",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "name:s", "basecurrencyid:l:transactioncurrency", "pricingdecimalprecision:i", NULL } },
  { "transactioncurrency",
    "transactioncurrencies",
    "currencyname",
    FALSE,
    &generic_state,
    &generic_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "isocurrencycode",
    NULL,
    { "isocurrencycode:s", "currencyname:s", "currencysymbol:s", "exchangerate:d",
      "currencyprecision:i", NULL } },
  { "uomschedule",
    "uomschedules",
    "name",
    FALSE,
    &generic_state,
    &generic_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "name",
    "UoMSchedule_UoMs=uom.uomscheduleid",
    { "name:s", "baseuomname:s", "description:t", NULL } },
  { "uom",
    "uoms",
    "name",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "name:s:idx", "quantity:d", "baseuom:l:uom", "uomscheduleid:l:uomschedule:idx:req",
      "isschedulebaseuom:b:ro", NULL } },
  { "product",
    "products",
    "name",
    FALSE,
    &product_state,
    &product_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "productnumber",
    "price_level_products=productpricelevel.productid",
    { "productnumber:s", "name:s", "producttypecode:c:producttypecode:idx", "price:m",
      "standardcost:m", "currentcost:m", "quantityonhand:d", "stockvolume:d", "stockweight:d",
      "vendorid:s", "vendorname:s", "vendorpartnumber:s", "defaultuomid:l:uom",
      "defaultuomscheduleid:l:uomschedule", "pricelevelid:l:pricelevel",
      "transactioncurrencyid:l:transactioncurrency", "description:t", "quantitydecimal:i", NULL } },
  { "pricelevel",
    "pricelevels",
    "name",
    FALSE,
    &generic_state,
    &pricelevel_status,
    0,
    100001,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "name",
    "price_level_product_price_levels=productpricelevel.pricelevelid",
    { "name:s", "transactioncurrencyid:l:transactioncurrency", "begindate:o", "enddate:o",
      "description:t", NULL } },
  { "productpricelevel",
    "productpricelevels",
    "productnumber",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    "pricelevelid,productid,uomid",
    NULL,
    { "pricelevelid:l:pricelevel:req", "productid:l:product:req", "productnumber:s:ro",
      "uomid:l:uom", "uomscheduleid:l:uomschedule", "amount:m",
      "pricingmethodcode:c:pricingmethodcode", "quantitysellingcode:c:quantitysellingcode",
      "transactioncurrencyid:l:transactioncurrency", NULL } },
  { "opportunity",
    "opportunities",
    "name",
    TRUE,
    &opportunity_state,
    &opportunity_status,
    0,
    1,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "name:s", "estimatedvalue:m", "estimatedclosedate:o", "actualvalue:m", "actualclosedate:o",
      "closeprobability:i", "parentaccountid:l:account", "parentcontactid:l:contact",
      "customerid:l:account|contact", "transactioncurrencyid:l:transactioncurrency",
      "pricelevelid:l:pricelevel", "description:t", NULL } },
  { "salesorder",
    "salesorders",
    "name",
    TRUE,
    &salesorder_state,
    &salesorder_status,
    0,
    1,
    TRUE,
    FALSE,
    "ordernumber",
    "ORD",
    NULL,
    NULL,
    "ordernumber",
    "order_details=salesorderdetail.salesorderid",
    { "name:s", "ordernumber:s", "customerid:l:account|contact",
      "transactioncurrencyid:l:transactioncurrency", "pricelevelid:l:pricelevel",
      "quoteid:l:quote:idx", "opportunityid:l:opportunity", "requestdeliveryby:o",
      "datefulfilled:o", "submitdate:o", "lastbackofficesubmit:o", TOTALS, "description:t",
      ADDRESS ("billto"), ADDRESS ("shipto"), "paymenttermscode:c:paymenttermscode", "willcall:b",
      "ispricelocked:b", NULL } },
  { "salesorderdetail",
    "salesorderdetails",
    "productdescription",
    TRUE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    "salesorder",
    "salesorderid",
    NULL,
    NULL,
    { "salesorderid:l:salesorder:idx:req", DETAIL, "quantityshipped:d", "quantitybackordered:d",
      "quantitycancelled:d", NULL } },
  { "quote",
    "quotes",
    "name",
    TRUE,
    &quote_state,
    &quote_status,
    0,
    1,
    TRUE,
    FALSE,
    "quotenumber",
    "QUO",
    NULL,
    NULL,
    NULL,
    "quote_details=quotedetail.quoteid",
    { "name:s", "quotenumber:s:idx", "revisionnumber:i:ro", "customerid:l:account|contact",
      "transactioncurrencyid:l:transactioncurrency", "pricelevelid:l:pricelevel",
      "opportunityid:l:opportunity", "requestdeliveryby:o", "effectivefrom:o", "effectiveto:o",
      "closedon:o", TOTALS, "description:t", ADDRESS ("billto"), ADDRESS ("shipto"),
      "paymenttermscode:c:paymenttermscode", "willcall:b", NULL } },
  { "quotedetail",
    "quotedetails",
    "productdescription",
    TRUE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    "quote",
    "quoteid",
    NULL,
    NULL,
    { "quoteid:l:quote:idx:req", DETAIL, NULL } },
  { "invoice",
    "invoices",
    "name",
    TRUE,
    &invoice_state,
    &invoice_status,
    0,
    1,
    TRUE,
    FALSE,
    "invoicenumber",
    "INV",
    NULL,
    NULL,
    "invoicenumber",
    "invoice_details=invoicedetail.invoiceid",
    { "name:s", "invoicenumber:s", "customerid:l:account|contact", "salesorderid:l:salesorder:idx",
      "opportunityid:l:opportunity", "pricelevelid:l:pricelevel",
      "transactioncurrencyid:l:transactioncurrency", "duedate:o", "datedelivered:o", TOTALS,
      "description:t", ADDRESS ("billto"), ADDRESS ("shipto"),
      "paymenttermscode:c:paymenttermscode", "willcall:b", "ispricelocked:b", NULL } },
  { "invoicedetail",
    "invoicedetails",
    "productdescription",
    TRUE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    "invoice",
    "invoiceid",
    NULL,
    NULL,
    { "invoiceid:l:invoice:idx:req", DETAIL, "quantityshipped:d", NULL } },
  { "annotation",
    "annotations",
    "subject",
    TRUE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    FALSE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "subject:s", "notetext:t", "isdocument:b", "objectid:l:" REGARDING ":idx",
      "objecttypecode:s:ro", "filename:s", "mimetype:s", "documentbody:t", "filesize:i:ro",
      NULL } },
  { "post",
    "posts",
    "text",
    FALSE,
    NULL,
    NULL,
    0,
    0,
    FALSE,
    TRUE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    { "text:t", "source:c:post_source", "type:c:post_type", "regardingobjectid:l:" REGARDING ":idx",
      NULL } },
};

static const SbOptionSet *
find_option_set (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (option_sets); i++)
    if (g_str_equal (option_sets[i]->name, name))
      return option_sets[i];
  g_error ("sandbox schema: unknown option set %s", name);
  return NULL;
}

static SbAttr *
table_add_attr (SbTable *table, const char *name, SbAttrType type, guint flags)
{
  SbAttr *attr = g_new0 (SbAttr, 1);

  attr->name = g_strdup (name);
  attr->type = type;
  attr->flags = flags;
  attr->property = type == SB_ATTR_LOOKUP ? g_strdup_printf ("_%s_value", name) : g_strdup (name);
  attr->json_path = g_strdup_printf ("$.%s", attr->property);
  attr->max_length = type == SB_ATTR_STRING ? 4000 : type == SB_ATTR_MEMO ? 1048576 : 0;
  g_ptr_array_add (table->attrs, attr);
  g_hash_table_insert (table->attr_by_name, attr->name, attr);
  g_hash_table_insert (table->attr_by_property, attr->property, attr);
  return attr;
}

static void
table_add_lookup (SbTable *table, const char *name, const char *targets, guint flags)
{
  SbAttr *attr = table_add_attr (table, name, SB_ATTR_LOOKUP, flags);

  attr->targets = g_strsplit (targets, "|", -1);
  for (guint i = 0; attr->targets[i] != NULL; i++)
    {
      SbNav *nav = g_new0 (SbNav, 1);

      /* Single-target lookups navigate under their own name; polymorphic ones (customerid,
       * objectid, regardingobjectid, parentcustomerid) get one navigation per target. */
      nav->name = attr->targets[1] == NULL ? g_strdup (name)
                                           : g_strdup_printf ("%s_%s", name, attr->targets[i]);
      nav->attr = attr;
      nav->target = attr->targets[i];
      g_ptr_array_add (table->navs, nav);
      g_hash_table_insert (table->nav_by_name, nav->name, nav);
    }
}

static SbAttrType
parse_type (const char *code)
{
  switch (code[0])
    {
      case 's':
        return SB_ATTR_STRING;
      case 't':
        return SB_ATTR_MEMO;
      case 'i':
        return SB_ATTR_INT;
      case 'I':
        return SB_ATTR_BIGINT;
      case 'd':
        return SB_ATTR_DECIMAL;
      case 'm':
        return SB_ATTR_MONEY;
      case 'f':
        return SB_ATTR_DOUBLE;
      case 'b':
        return SB_ATTR_BOOL;
      case 'g':
        return SB_ATTR_GUID;
      case 'T':
        return SB_ATTR_DATETIME;
      case 'o':
        return SB_ATTR_DATE;
      case 'l':
        return SB_ATTR_LOOKUP;
      case 'c':
        return SB_ATTR_CHOICE;
      default:
        g_error ("sandbox schema: bad type %s", code);
    }
  return SB_ATTR_STRING;
}

static guint
parse_flags (char **parts, guint from)
{
  guint flags = 0;

  for (guint i = from; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], "ro"))
        flags |= SB_ATTR_FLAG_READONLY;
      else if (g_str_equal (parts[i], "idx"))
        flags |= SB_ATTR_FLAG_INDEXED;
      else if (g_str_equal (parts[i], "req"))
        flags |= SB_ATTR_FLAG_REQUIRED;
    }
  return flags;
}

static char *
display_name (const char *attr)
{
  /* Good enough for error messages: "accountnumber" → "accountnumber". Dataverse shows the
   * attribute display names; ours are the logical names, which users recognise from URLs. */
  return g_strdup (attr);
}

static SbTable *
build_table (const TableDecl *decl)
{
  SbTable *table = g_new0 (SbTable, 1);
  SbAttr *attr;

  table->name = decl->name;
  table->set = decl->set;
  table->pk = g_strdup_printf ("%sid", decl->name);
  table->primary_name = decl->primary_name;
  table->user_owned = decl->user_owned;
  table->has_state = decl->state != NULL;
  table->state_on_create_refused = decl->state_on_create_refused;
  table->create_only = decl->create_only;
  table->default_state = decl->default_state;
  table->default_status = decl->default_status;
  table->number_attr = decl->number_attr;
  table->number_prefix = decl->number_prefix;
  table->detail_of = decl->detail_of;
  table->detail_lookup = decl->detail_lookup;
  table->attrs = g_ptr_array_new ();
  table->attr_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  table->attr_by_property = g_hash_table_new (g_str_hash, g_str_equal);
  table->navs = g_ptr_array_new ();
  table->nav_by_name = g_hash_table_new (g_str_hash, g_str_equal);
  table->collection_navs = g_ptr_array_new ();
  table->alt_keys = g_ptr_array_new ();

  table_add_attr (table, table->pk, SB_ATTR_GUID, SB_ATTR_FLAG_CREATE_ONLY);

  for (guint i = 0; decl->attrs[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (decl->attrs[i], ":", -1);
      SbAttrType type = parse_type (parts[1]);

      if (type == SB_ATTR_LOOKUP)
        table_add_lookup (table, parts[0], parts[2], parse_flags (parts, 3));
      else if (type == SB_ATTR_CHOICE)
        {
          attr = table_add_attr (table, parts[0], type, parse_flags (parts, 3));
          attr->options = find_option_set (parts[2]);
        }
      else
        table_add_attr (table, parts[0], type, parse_flags (parts, 2));
    }

  if (decl->state != NULL)
    {
      attr = table_add_attr (table, "statecode", SB_ATTR_CHOICE, SB_ATTR_FLAG_INDEXED);
      attr->options = decl->state;
      attr = table_add_attr (table, "statuscode", SB_ATTR_CHOICE, 0);
      attr->options = decl->status;
    }
  if (decl->user_owned)
    table_add_lookup (table, "ownerid", "systemuser", SB_ATTR_FLAG_INDEXED);

  /* Every Dataverse row carries these (dataverse-web-api.md "Create, update"). */
  table_add_attr (table, "createdon", SB_ATTR_DATETIME, SB_ATTR_FLAG_READONLY);
  table_add_attr (table, "modifiedon", SB_ATTR_DATETIME,
                  SB_ATTR_FLAG_READONLY | SB_ATTR_FLAG_INDEXED);
  table_add_lookup (table, "createdby", "systemuser", SB_ATTR_FLAG_READONLY);
  table_add_lookup (table, "modifiedby", "systemuser",
                    SB_ATTR_FLAG_READONLY | SB_ATTR_FLAG_INDEXED);
  table_add_attr (table, "versionnumber", SB_ATTR_BIGINT, SB_ATTR_FLAG_READONLY);

  if (decl->alt_keys != NULL)
    {
      g_auto (GStrv) keys = g_strsplit (decl->alt_keys, ";", -1);

      for (guint i = 0; keys[i] != NULL; i++)
        {
          SbAltKey *key = g_new0 (SbAltKey, 1);

          key->attrs = g_strsplit (keys[i], ",", -1);
          key->name = g_strjoinv ("_", key->attrs);
          key->display = display_name (keys[i]);
          for (guint j = 0; key->attrs[j] != NULL; j++)
            {
              attr = (SbAttr *) sb_table_attr (table, key->attrs[j]);
              g_assert (attr != NULL);
              attr->flags |= SB_ATTR_FLAG_INDEXED;
            }
          g_ptr_array_add (table->alt_keys, key);
        }
    }

  if (decl->collections != NULL)
    {
      g_auto (GStrv) cols = g_strsplit (decl->collections, ";", -1);

      for (guint i = 0; cols[i] != NULL; i++)
        {
          SbCollectionNav *nav = g_new0 (SbCollectionNav, 1);
          const char *eq = strchr (cols[i], '=');
          const char *rest = eq + 1;
          const char *sep = strpbrk (rest, ".@");

          nav->name = g_strndup (cols[i], eq - cols[i]);
          nav->target = g_strndup (rest, sep - rest);
          if (*sep == '.')
            nav->via = g_strdup (sep + 1);
          else
            nav->intersect = g_strdup (sep + 1);
          g_ptr_array_add (table->collection_navs, nav);
        }
    }
  return table;
}

/* ---- Custom tables (sb-sandbox-entity-definitions.c) ------------------------------------ */

SbTable *
sb_sandbox_table_new_custom (const char *name, const char *set, const char *primary_name)
{
  /* Custom tables are organization-owned with the Active/Inactive state of every table. */
  TableDecl decl = { g_strdup (name),
                     g_strdup (set),
                     g_strdup (primary_name),
                     FALSE,
                     &generic_state,
                     &generic_status,
                     0,
                     1 };

  decl.attrs[0] = NULL;
  return build_table (&decl);
}

SbAttr *
sb_table_add_custom_attr (SbTable *table, const char *name, SbAttrType type, guint max_length)
{
  SbAttr *attr = table_add_attr (table, name, type, 0);

  if (max_length > 0)
    attr->max_length = max_length;
  return attr;
}

SbAttr *
sb_table_add_custom_lookup (SbTable *table, const char *name, const char *target,
                            const char *nav_name)
{
  SbAttr *attr = table_add_attr (table, name, SB_ATTR_LOOKUP, SB_ATTR_FLAG_INDEXED);
  SbNav *nav = g_new0 (SbNav, 1);

  attr->targets = g_new0 (char *, 2);
  attr->targets[0] = g_strdup (target);
  nav->name = g_strdup (nav_name);
  nav->attr = attr;
  nav->target = attr->targets[0];
  g_ptr_array_add (table->navs, nav);
  g_hash_table_insert (table->nav_by_name, nav->name, nav);
  return attr;
}

void
sb_sandbox_table_free_custom (SbTable *table)
{
  if (table == NULL)
    return;
  for (guint i = 0; i < table->navs->len; i++)
    {
      SbNav *nav = g_ptr_array_index (table->navs, i);

      g_free (nav->name);
      g_free (nav);
    }
  for (guint i = 0; i < table->attrs->len; i++)
    {
      SbAttr *attr = g_ptr_array_index (table->attrs, i);

      g_free (attr->name);
      g_free (attr->property);
      g_free (attr->json_path);
      g_strfreev (attr->targets);
      g_free (attr);
    }
  g_ptr_array_unref (table->attrs);
  g_hash_table_unref (table->attr_by_name);
  g_hash_table_unref (table->attr_by_property);
  g_ptr_array_unref (table->navs);
  g_hash_table_unref (table->nav_by_name);
  g_ptr_array_unref (table->collection_navs);
  g_ptr_array_unref (table->alt_keys);
  g_free ((char *) table->pk);
  g_free ((char *) table->name);
  g_free ((char *) table->set);
  g_free ((char *) table->primary_name);
  g_free (table);
}

static gpointer
build_schema (gpointer data)
{
  SbSchema *schema = g_new0 (SbSchema, 1);

  schema->tables = g_ptr_array_new ();
  schema->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  schema->by_set = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (decls); i++)
    {
      SbTable *table = build_table (&decls[i]);

      g_ptr_array_add (schema->tables, table);
      g_hash_table_insert (schema->by_name, (gpointer) table->name, table);
      g_hash_table_insert (schema->by_set, (gpointer) table->set, table);
    }
  return schema;
}

const SbSchema *
sb_sandbox_schema_get (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_schema, NULL);
  return once.retval;
}

const SbTable *
sb_sandbox_schema_table (const char *logical_name)
{
  return g_hash_table_lookup (sb_sandbox_schema_get ()->by_name, logical_name);
}

const SbTable *
sb_sandbox_schema_table_by_set (const char *entity_set)
{
  return g_hash_table_lookup (sb_sandbox_schema_get ()->by_set, entity_set);
}

const SbAttr *
sb_table_attr (const SbTable *table, const char *logical_name)
{
  return g_hash_table_lookup (table->attr_by_name, logical_name);
}

const SbAttr *
sb_table_property (const SbTable *table, const char *property)
{
  return g_hash_table_lookup (table->attr_by_property, property);
}

const SbNav *
sb_table_nav (const SbTable *table, const char *nav_name)
{
  return g_hash_table_lookup (table->nav_by_name, nav_name);
}

const SbNav *
sb_table_nav_for (const SbTable *table, const SbAttr *lookup, const char *target)
{
  for (guint i = 0; i < table->navs->len; i++)
    {
      const SbNav *nav = g_ptr_array_index (table->navs, i);

      if (nav->attr == lookup && g_strcmp0 (nav->target, target) == 0)
        return nav;
    }
  return NULL;
}

const SbCollectionNav *
sb_table_collection_nav (const SbTable *table, const char *name)
{
  for (guint i = 0; i < table->collection_navs->len; i++)
    {
      const SbCollectionNav *nav = g_ptr_array_index (table->collection_navs, i);

      if (g_str_equal (nav->name, name))
        return nav;
    }
  return NULL;
}

const SbOption *
sb_option_set_find (const SbOptionSet *set, int value)
{
  if (set == NULL)
    return NULL;
  for (guint i = 0; i < set->n_options; i++)
    if (set->options[i].value == value)
      return &set->options[i];
  return NULL;
}

gboolean
sb_table_status_valid (const SbTable *table, int state, int status)
{
  const SbAttr *attr = sb_table_attr (table, "statuscode");
  const SbOption *opt = attr ? sb_option_set_find (attr->options, status) : NULL;

  return opt != NULL && opt->state == state;
}

int
sb_table_default_status (const SbTable *table, int state)
{
  const SbAttr *attr = sb_table_attr (table, "statuscode");

  if (state == table->default_state)
    return table->default_status;
  for (guint i = 0; attr != NULL && i < attr->options->n_options; i++)
    if (attr->options->options[i].state == state)
      return attr->options->options[i].value;
  return -1;
}

gboolean
sb_attr_is_numeric (const SbAttr *attr)
{
  switch (attr->type)
    {
      case SB_ATTR_INT:
      case SB_ATTR_BIGINT:
      case SB_ATTR_DECIMAL:
      case SB_ATTR_MONEY:
      case SB_ATTR_DOUBLE:
      case SB_ATTR_CHOICE:
        return TRUE;
      default:
        return FALSE;
    }
}

/* The OData type of @attr, as $metadata and type errors name it. */
const char *
sb_sandbox_attr_edm_type (const SbAttr *attr)
{
  switch (attr->type)
    {
      case SB_ATTR_STRING:
      case SB_ATTR_MEMO:
        return "Edm.String";
      case SB_ATTR_INT:
      case SB_ATTR_CHOICE:
        return "Edm.Int32";
      case SB_ATTR_BIGINT:
        return "Edm.Int64";
      case SB_ATTR_DECIMAL:
      case SB_ATTR_MONEY:
        return "Edm.Decimal";
      case SB_ATTR_DOUBLE:
        return "Edm.Double";
      case SB_ATTR_BOOL:
        return "Edm.Boolean";
      case SB_ATTR_GUID:
      case SB_ATTR_LOOKUP:
        return "Edm.Guid";
      case SB_ATTR_DATETIME:
        return "Edm.DateTimeOffset";
      case SB_ATTR_DATE:
        return "Edm.Date";
      default:
        return "Edm.String";
    }
}
