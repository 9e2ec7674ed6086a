/* sb-sync-order-quote-import.c: header and line mapping shared by orders and quotes from Sales
 *
 * integration-behaviour.md §5 ("Customer", "Header", "Lines", "Long descriptions") applies to
 * orders and quotes alike; the order and quote files add what differs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-dataverse-json.h"
#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-sync-coupling.h"
#include "sb-sync-engine-private.h"
#include "sb-sync-error.h"
#include "sb-sync-order-quote-private.h"

static SbSalesImportHook test_hook;
static gpointer test_hook_data;

void
sb_sales_import_set_test_hook (SbSalesImportHook hook, gpointer user_data)
{
  test_hook = hook;
  test_hook_data = user_data;
}

gboolean
sb_sales_import_run_test_hook (const char *order_no, GError **error)
{
  return test_hook == NULL || test_hook (order_no, test_hook_data, error);
}

char *
sb_sales_import_web_url (SbDataverseConnection *cnc, const char *etn, const char *id)
{
  const char *base = sb_dataverse_connection_get_base_url (cnc);

  return g_strdup_printf ("%s%smain.aspx?etn=%s&id=%s&pagetype=entityrecord", base,
                          g_str_has_suffix (base, "/") ? "" : "/", etn, id);
}

const char *
sb_sales_import_state_label (gboolean quote, gint64 statecode)
{
  static const char *const order_states[] = { N_ ("Active"), N_ ("Submitted"), N_ ("Canceled"),
                                              N_ ("Fulfilled"), N_ ("Invoiced") };
  static const char *const quote_states[] = { N_ ("Draft"), N_ ("Active"), N_ ("Won"),
                                              N_ ("Closed") };

  if (quote && statecode >= 0 && statecode < (gint64) G_N_ELEMENTS (quote_states))
    return _ (quote_states[statecode]);
  if (!quote && statecode >= 0 && statecode < (gint64) G_N_ELEMENTS (order_states))
    return _ (order_states[statecode]);
  return "";
}

gboolean
sb_sales_import_decimal (JsonObject *row, const char *member, SbDecimal *out_value)
{
  JsonNode *node = row != NULL ? json_object_get_member (row, member) : NULL;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  *out_value = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return sb_decimal_parse (json_node_get_string (node), out_value, NULL);
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  /* Dataverse money has 4 places at most: five keep it exact. */
  return sb_decimal_parse (
      g_ascii_formatd (buffer, sizeof buffer, "%.5f", json_node_get_double (node)), out_value,
      NULL);
}

char *
sb_sales_import_erp_key (SbSalesDocType type, const char *no)
{
  return g_strdup_printf ("%d\x1f%s", (int) type, no);
}

/* ---- Reading ------------------------------------------------------------------------------ */

static gboolean
take_first (const SbDataversePage *page, gpointer user_data, GError **error)
{
  JsonObject **out = user_data;

  if (*out == NULL && json_array_get_length (page->rows) > 0)
    *out = json_object_ref (json_array_get_object_element (page->rows, 0));
  return FALSE;
}

JsonObject *
sb_sales_import_retrieve (SbSalesImport *ctx, const char *entity_set, const char *number_attr,
                          const char *key, const char *lines_nav, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (entity_set);
  g_autofree char *id_attr = g_strdup_printf ("%.*sid", (int) strlen (entity_set) - 1, entity_set);
  g_autofree char *expand = NULL;
  g_autofree char *guid = g_uuid_string_is_valid (key) ? g_ascii_strdown (key, -1) : NULL;
  JsonObject *row = NULL;

  sb_dataverse_query_set_filter (
      query, guid != NULL ? sb_dataverse_filter_guid (id_attr, SB_DATAVERSE_EQ, guid)
                          : sb_dataverse_filter_string (number_attr, SB_DATAVERSE_EQ, key));
  /* Several revisions share a quote number: the newest one is meant. */
  if (guid == NULL && g_str_equal (entity_set, "quotes"))
    sb_dataverse_query_order_by (query, "revisionnumber", TRUE);
  if (lines_nav != NULL)
    {
      expand = g_strdup_printf ("%s($orderby=sequencenumber)", lines_nav);
      sb_dataverse_query_set_expand (query, expand);
    }
  sb_dataverse_query_set_annotations (query, "*");
  sb_dataverse_query_set_top (query, 1);
  if (!sb_dataverse_connection_query_sync (ctx->cnc, query, take_first, &row, NULL,
                                           ctx->cancellable, error))
    {
      g_clear_pointer (&row, json_object_unref);
      return NULL;
    }
  if (row == NULL)
    g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                 g_str_equal (entity_set, "quotes")
                     ? _ ("There is no quote “%s” in Dynamics 365 Sales.")
                     : _ ("There is no sales order “%s” in Dynamics 365 Sales."),
                 key);
  return row;
}

static char *
coupled_erp_key (SbStore *store, const char *mapping, const char *id, GError **error)
{
  g_autoptr (SbSyncCoupling) c = NULL;

  if (id == NULL)
    return NULL;
  c = sb_sync_coupling_find_dataverse (store, mapping, id, error);
  if (c == NULL || !sb_sync_coupling_is_coupled (c) || c->pending)
    return NULL;
  return g_strdup (c->erp_key);
}

char *
sb_sales_import_customer_no (SbSalesImport *ctx, JsonObject *row, GError **error)
{
  const char *customer_id = sb_json_get_lookup (row, "customerid");
  const char *kind =
      sb_json_get_string (row, "_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "");
  const char *name =
      sb_json_get_string (row, "_customerid_value@OData.Community.Display.V1.FormattedValue", "");
  g_autoptr (GError) local_error = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *account_name = NULL;
  char *no;

  if (customer_id == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                   _ ("The document has no customer in Dynamics 365 Sales. Set its customer "
                      "there and try again."));
      return NULL;
    }
  if (g_str_equal (kind, "contact"))
    {
      /* A contact buys for its company: its parent account is the customer (§5). */
      g_autofree char *key = g_strdup (customer_id);
      const char *select[] = { "fullname", "_parentcustomerid_value", NULL };
      g_autoptr (JsonObject) contact = sb_dataverse_connection_retrieve_sync (
          ctx->cnc, "contacts", key, select, NULL, ctx->cancellable, error);

      if (contact == NULL)
        return NULL;
      account_id = g_strdup (sb_json_get_lookup (contact, "parentcustomerid"));
      if (account_id == NULL)
        {
          g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                       _ ("The customer is the contact “%s”, who has no company (account) in "
                          "Dynamics 365 Sales. Set the contact’s company there and try again."),
                       sb_json_get_string (contact, "fullname", name));
          return NULL;
        }
      account_name = g_strdup (sb_json_get_string (
          contact, "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue", ""));
    }
  else
    {
      account_id = g_strdup (customer_id);
      account_name = g_strdup (name);
    }
  no = coupled_erp_key (ctx->store, "CUSTOMER", account_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (no == NULL)
    {
      if (*account_name == '\0')
        {
          const char *select[] = { "name", NULL };
          g_autoptr (JsonObject) account = sb_dataverse_connection_retrieve_sync (
              ctx->cnc, "accounts", account_id, select, NULL, ctx->cancellable, NULL);

          g_free (account_name);
          account_name = g_strdup (account ? sb_json_get_string (account, "name", "") : "");
        }
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("The account “%s” is not coupled to a customer. Couple it to a customer "
                      "(or create the customer from it) and try again."),
                   *account_name != '\0' ? account_name : account_id);
    }
  return no;
}

/* ---- Header ------------------------------------------------------------------------------- */

static void
set_text (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

/* "2026-11-21T00:00:00Z" → "2026-11-21"; "" when absent. */
static const char *
date_part (JsonObject *row, const char *member, char buffer[11])
{
  const char *value = sb_json_get_string (row, member, "");

  if (strlen (value) < 10)
    return "";
  memcpy (buffer, value, 10);
  buffer[10] = '\0';
  return buffer;
}

static gboolean
currency_code (SbSalesImport *ctx, JsonObject *row, char **out_code, GError **error)
{
  const char *id = sb_json_get_lookup (row, "transactioncurrencyid");
  g_autoptr (SbGeneralSetup) general = NULL;
  g_autoptr (JsonObject) currency = NULL;
  g_autoptr (SbCurrency) probe = NULL;
  g_autoptr (SbCurrency) found = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *key = NULL;
  const char *select[] = { "isocurrencycode", NULL };
  const char *iso;

  *out_code = g_strdup ("");
  if (id == NULL)
    return TRUE;
  key = coupled_erp_key (ctx->store, "CURRENCY", id, error);
  if (key != NULL)
    {
      g_free (*out_code);
      *out_code = g_steal_pointer (&key);
      return TRUE;
    }
  key = g_strdup (id);
  currency = sb_dataverse_connection_retrieve_sync (ctx->cnc, "transactioncurrencies", key, select,
                                                    NULL, ctx->cancellable, error);
  if (currency == NULL)
    return FALSE;
  iso = sb_json_get_string (currency, "isocurrencycode", "");
  general = sb_general_setup_get (ctx->store, error);
  if (general == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (iso, general->local_currency_code) == 0)
    return TRUE; /* blank = the local currency */
  probe = sb_currency_new ();
  set_text (&probe->code, iso);
  found = sb_record_lookup (ctx->store, &sb_currency_record_type, probe, &local_error);
  if (found == NULL)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("The document is in the currency %s, which the ERP does not have. Add "
                      "the currency (or couple it) and try again."),
                   iso);
      return FALSE;
    }
  g_free (*out_code);
  *out_code = g_strdup (found->code);
  return TRUE;
}

static gboolean
any_filled (JsonObject *row, const char *prefix)
{
  static const char *const parts[] = { "name",       "line1",   "line2",          "city",
                                       "postalcode", "country", "stateorprovince" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *member = g_strdup_printf ("%s_%s", prefix, parts[i]);

      if (*sb_json_get_string (row, member, "") != '\0')
        return TRUE;
    }
  return FALSE;
}

gboolean
sb_sales_import_fill_header (SbSalesImport *ctx, JsonObject *row, SbSalesHeader *h, GError **error)
{
  char buffer[11];
  SbDecimal pct;

  /* §5: External Document No. ← name, Your Reference ← the Sales number. */
  set_text (&h->external_document_no, sb_json_get_string (row, "name", ""));
  if (g_utf8_strlen (h->external_document_no, -1) > 35)
    {
      char *cut = g_utf8_substring (h->external_document_no, 0, 35);

      g_free (h->external_document_no);
      h->external_document_no = cut;
    }
  set_text (&h->your_reference, sb_json_get_string (row, "ordernumber", NULL)
                                    ? sb_json_get_string (row, "ordernumber", "")
                                    : sb_json_get_string (row, "quotenumber", ""));
  g_free (h->currency_code);
  if (!currency_code (ctx, row, &h->currency_code, error))
    return FALSE;
  set_text (&h->requested_delivery_date, date_part (row, "requestdeliveryby", buffer));
  if (sb_sales_import_decimal (row, "discountpercentage", &pct))
    h->payment_discount_pct = pct;
  set_text (&h->work_description, sb_json_get_string (row, "description", ""));
  if (any_filled (row, "billto"))
    {
      set_text (&h->bill_to_name, sb_json_get_string (row, "billto_name", ""));
      set_text (&h->bill_to_address, sb_json_get_string (row, "billto_line1", ""));
      set_text (&h->bill_to_address_2, sb_json_get_string (row, "billto_line2", ""));
      set_text (&h->bill_to_city, sb_json_get_string (row, "billto_city", ""));
      set_text (&h->bill_to_post_code, sb_json_get_string (row, "billto_postalcode", ""));
      set_text (&h->bill_to_county, sb_json_get_string (row, "billto_stateorprovince", ""));
      set_text (&h->bill_to_country_code, sb_json_get_string (row, "billto_country", ""));
    }
  if (any_filled (row, "shipto"))
    {
      set_text (&h->ship_to_name, sb_json_get_string (row, "shipto_name", ""));
      set_text (&h->ship_to_address, sb_json_get_string (row, "shipto_line1", ""));
      set_text (&h->ship_to_address_2, sb_json_get_string (row, "shipto_line2", ""));
      set_text (&h->ship_to_city, sb_json_get_string (row, "shipto_city", ""));
      set_text (&h->ship_to_post_code, sb_json_get_string (row, "shipto_postalcode", ""));
      set_text (&h->ship_to_county, sb_json_get_string (row, "shipto_stateorprovince", ""));
      set_text (&h->ship_to_country_code, sb_json_get_string (row, "shipto_country", ""));
    }
  return TRUE;
}

/* ---- Lines -------------------------------------------------------------------------------- */

/* The write-in product of Sales & Receivables Setup (§5), checked. */
static gboolean
write_in_product (SbSalesImport *ctx, SbSalesLineType *out_type, char **out_no, GError **error)
{
  g_autoptr (SbSalesSetup) setup = sb_sales_setup_get (ctx->store, error);

  if (setup == NULL)
    return FALSE;
  if (setup->write_in_product_type == SB_WRITE_IN_NONE || *setup->write_in_product_no == '\0')
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_CONFIGURED,
                   _ ("The document has a write-in product, but no write-in product is set up. "
                      "Set Write-in Product Type and Write-in Product No. in Sales & "
                      "Receivables Setup and try again."));
      return FALSE;
    }
  /* Coupled since it was set up: it would stand for two products. */
  if (!sb_sales_setup_check_write_in (ctx->store, setup->write_in_product_type,
                                      setup->write_in_product_no, error))
    return FALSE;
  *out_type = setup->write_in_product_type == SB_WRITE_IN_ITEM ? SB_SALES_LINE_ITEM
                                                               : SB_SALES_LINE_RESOURCE;
  *out_no = g_strdup (setup->write_in_product_no);
  return TRUE;
}

static gboolean
product_line (SbSalesImport *ctx, JsonObject *detail, SbSalesLineType *out_type, char **out_no,
              GError **error)
{
  const char *product_id = sb_json_get_lookup (detail, "productid");
  g_autoptr (GError) local_error = NULL;
  char *no;

  if (product_id == NULL)
    return write_in_product (ctx, out_type, out_no, error);
  /* The coupling tells the product type: ITEM-PRODUCT holds Sales Inventory products,
   * RESOURCE-PRODUCT Services (§1 filters). */
  if ((no = coupled_erp_key (ctx->store, "ITEM-PRODUCT", product_id, &local_error)) != NULL)
    *out_type = SB_SALES_LINE_ITEM;
  else if (local_error == NULL && (no = coupled_erp_key (ctx->store, "RESOURCE-PRODUCT", product_id,
                                                         &local_error)) != NULL)
    *out_type = SB_SALES_LINE_RESOURCE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (no == NULL)
    {
      const char *name = sb_json_get_string (
          detail, "_productid_value@OData.Community.Display.V1.FormattedValue", product_id);

      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("The product “%s” is not coupled to an item or resource. Couple it (or "
                      "create the item or resource from it) and try again."),
                   name);
      return FALSE;
    }
  *out_no = no;
  return TRUE;
}

static gboolean
add_line (SbSalesImport *ctx, SbSalesDocType type, const char *doc_no, SbSalesLineType line_type,
          const char *no, const char *text, SbDecimal quantity, SbDecimal unit_price,
          SbDecimal discount, GError **error)
{
  g_autoptr (SbSalesLine) line = sb_sales_line_new ();

  line->doc_type = type;
  set_text (&line->doc_no, doc_no);
  line->type = line_type;
  set_text (&line->no, no);
  line->quantity = quantity;
  line->unit_price = unit_price;
  line->line_discount_amount = discount;
  if (text == NULL || *text == '\0')
    return sb_sales_document_add_line (ctx->store, line, TRUE, error);
  return sb_sales_document_add_line_long (ctx->store, line, TRUE, text, error);
}

gboolean
sb_sales_import_add_lines (SbSalesImport *ctx, JsonObject *row, const char *lines_nav,
                           SbSalesDocType type, const char *no, GError **error)
{
  JsonArray *details = sb_json_get_array (row, lines_nav);
  SbDecimal freight;

  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonObject *d = json_array_get_object_element (details, i);
      g_autofree char *product_no = NULL;
      SbSalesLineType line_type = SB_SALES_LINE_ITEM;
      SbDecimal quantity, price, volume, manual, discount;
      const char *text;

      if (d == NULL)
        continue;
      if (!product_line (ctx, d, &line_type, &product_no, error))
        return FALSE;
      sb_sales_import_decimal (d, "quantity", &quantity);
      sb_sales_import_decimal (d, "priceperunit", &price);
      sb_sales_import_decimal (d, "volumediscountamount", &volume);
      sb_sales_import_decimal (d, "manualdiscountamount", &manual);
      /* §5: Line Discount Amount = quantity × volumediscountamount + manualdiscountamount. */
      if (!sb_decimal_mul (quantity, volume, &discount) ||
          !sb_decimal_add (sb_decimal_round (discount, 2), manual, &discount))
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("A line’s discount is too large."));
          return FALSE;
        }
      /* A write-in line's text is its productdescription; a product line keeps the product's
       * name unless the line has a description of its own. */
      text = sb_json_get_lookup (d, "productid") == NULL
                 ? sb_json_get_string (d, "productdescription", "")
                 : sb_json_get_string (d, "description", "");
      if (!add_line (ctx, type, no, line_type, product_no, text, quantity, price, discount, error))
        return FALSE;
    }
  /* §5: the freight amount becomes a line of its own; the ERP has no freight account, so it
   * uses the write-in product (docs/sales-import.md). */
  if (sb_sales_import_decimal (row, "freightamount", &freight) && freight > 0)
    {
      g_autofree char *write_in_no = NULL;
      SbSalesLineType line_type;

      if (!write_in_product (ctx, &line_type, &write_in_no, error))
        return FALSE;
      if (!add_line (ctx, type, no, line_type, write_in_no, _ ("Freight"), sb_decimal_from_int (1),
                     freight, 0, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Origin rows -------------------------------------------------------------------------- */

gboolean
sb_sales_origin_save (SbStore *store, SbSalesDocType type, const char *no, const char *dataverse_id,
                      const char *entity_set, const char *number, gint64 revision, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "INSERT INTO sales_document_origin (doc_type, no, dataverse_id, entity_set, number,"
      " revisionnumber, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
      " ON CONFLICT (doc_type, no) DO UPDATE SET dataverse_id = ?3, number = ?5,"
      " revisionnumber = ?6",
      error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, type);
  sb_bind_text (stmt, 2, no);
  sb_bind_text (stmt, 3, dataverse_id);
  sb_bind_text (stmt, 4, entity_set);
  sb_bind_text (stmt, 5, number);
  sqlite3_bind_int64 (stmt, 6, revision);
  sb_bind_text (stmt, 7, created);
  return sb_store_exec_stmt (store, stmt, error);
}

static char *
find_no (SbStore *store, const char *sql, SbSalesDocType type, const char *value, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  char *no = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, type);
  sb_bind_text (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    no = sb_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    sb_store_set_error (store, error);
  return no;
}

char *
sb_sales_origin_find_no (SbStore *store, SbSalesDocType type, const char *dataverse_id,
                         GError **error)
{
  return find_no (store,
                  "SELECT no FROM sales_document_origin WHERE doc_type = ?1"
                  " AND dataverse_id = ?2 COLLATE NOCASE",
                  type, dataverse_id, error);
}

char *
sb_sales_origin_find_by_number (SbStore *store, SbSalesDocType type, const char *number,
                                GError **error)
{
  return find_no (store,
                  "SELECT no FROM sales_document_origin WHERE doc_type = ?1"
                  " AND number = ?2 COLLATE NOCASE ORDER BY revisionnumber DESC",
                  type, number, error);
}

gboolean
sb_sales_origin_set_flag (SbStore *store, SbSalesDocType type, const char *no, const char *column,
                          gboolean value, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      "UPDATE sales_document_origin SET %s = ?3 WHERE doc_type = ?1 AND no = ?2", column);
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, type);
  sb_bind_text (stmt, 2, no);
  sqlite3_bind_int (stmt, 3, value);
  return sb_store_exec_stmt (store, stmt, error);
}

gboolean
sb_sales_origin_get_flag (SbStore *store, SbSalesDocType type, const char *no, const char *column,
                          gboolean *out_value, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT %s FROM sales_document_origin WHERE doc_type = ?1 AND no = ?2", column);
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  int rc;

  *out_value = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, type);
  sb_bind_text (stmt, 2, no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

JsonNode *
sb_sync_engine_get_document_origin (SbStore *store, const char *connection_url, int doc_type,
                                    const char *no, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store,
      "SELECT dataverse_id, entity_set, number, revisionnumber FROM sales_document_origin"
      " WHERE doc_type = ?1 AND no = ?2",
      error);
  g_autoptr (JsonBuilder) b = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, doc_type);
  sb_bind_text (stmt, 2, no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *set = (const char *) sqlite3_column_text (stmt, 1);
      const char *base = connection_url != NULL ? connection_url : "";

      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dataverse_id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "entity_set");
      json_builder_add_string_value (b, set);
      json_builder_set_member_name (b, "number");
      json_builder_add_string_value (b, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (b, "revisionnumber");
      json_builder_add_int_value (b, sqlite3_column_int64 (stmt, 3));
      json_builder_set_member_name (b, "web_url");
      if (*base != '\0')
        {
          g_autofree char *url =
              g_strdup_printf ("%s%smain.aspx?etn=%s&id=%s&pagetype=entityrecord", base,
                               g_str_has_suffix (base, "/") ? "" : "/",
                               g_str_equal (set, "quotes") ? "quote" : "salesorder", id);

          json_builder_add_string_value (b, url);
        }
      else
        json_builder_add_string_value (b, "");
      json_builder_end_object (b);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sb_store_set_error (store, error);
      return NULL;
    }
  return b != NULL ? json_builder_get_root (b) : json_node_new (JSON_NODE_NULL);
}

/* ---- Quote No. on an order ---------------------------------------------------------------- */

gboolean
sb_sales_import_link_quote (SbStore *store, const char *order_no, const char *quote_no,
                            GError **error)
{
  g_autoptr (SbSalesHeader) order = NULL;
  g_autoptr (SbSalesHeader) quote = NULL;
  g_autoptr (GError) local_error = NULL;

  quote = sb_sales_document_get (store, SB_SALES_DOC_QUOTE, quote_no, &local_error);
  if (quote == NULL)
    return TRUE; /* the quote was never taken into the ERP */
  order = sb_sales_document_get (store, SB_SALES_DOC_ORDER, order_no, error);
  if (order == NULL)
    return FALSE;
  if (g_strcmp0 (order->quote_no, quote_no) == 0)
    return TRUE; /* once only */
  if (!sb_store_begin (store, error))
    return FALSE;
  g_free (order->quote_no);
  order->quote_no = g_strdup (quote_no);
  /* A reference, not the order's content: set even on a released order, so it happens once. */
  if (!sb_record_update (store, &sb_sales_header_record_type, order, error))
    goto fail;
  if (sb_sales_document_archive (store, SB_SALES_DOC_QUOTE, quote_no, error) == 0)
    goto fail;
  return sb_store_commit (store, error);
fail:
  sb_store_rollback (store);
  return FALSE;
}

/* ---- The automatic jobs ------------------------------------------------------------------- */

gint64
sb_sales_import_job_start (SbSalesImport *ctx, const char *mapping)
{
  ctx->sent_at_start = sb_dataverse_connection_get_n_sent (ctx->cnc);
  return sb_sync_job_log_start (ctx->store, mapping, SB_SYNC_DIRECTION_FROM_SALES, NULL);
}

void
sb_sales_import_job_finish (SbSalesImport *ctx, gint64 job_id, const SbSalesImportCounters *c,
                            const char *message)
{
  SbSyncCounters counters = {
    .job_id = job_id,
    .inserted = c->created,
    .modified = c->updated,
    .skipped = c->skipped,
    .failed = c->failed,
  };

  if (job_id == 0)
    return;
  sb_sync_job_log_finish (ctx->store, job_id, &counters,
                          sb_dataverse_connection_get_n_sent (ctx->cnc) - ctx->sent_at_start,
                          message);
}

gboolean
sb_sales_import_job_error (SbStore *store, gint64 job_id, const char *mapping, const char *erp_key,
                           const char *dataverse_id, const char *message)
{
  return sb_sync_job_log_error (store, job_id, mapping, erp_key, dataverse_id, message, NULL);
}

gboolean
sb_sales_import_collect_rows (const SbDataversePage *page, gpointer user_data, GError **error)
{
  GPtrArray *rows = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);

      if (row != NULL)
        g_ptr_array_add (rows, json_object_ref (row));
    }
  return TRUE;
}

gboolean
sb_sales_import_run_job (SbSalesImport *ctx, const char *mapping, SbDataverseQuery *query,
                         const char *id_attribute, SbSalesImportRowFunc func,
                         SbSalesImportCounters *out_counters, GError **error)
{
  GCancellable *cancellable = ctx->cancellable;
  SbSalesImportCounters counters = { 0 };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *first_failure = NULL;
  gint64 job_id;

  /* The job starts before the read: its requests and a failed read are in the log too. */
  job_id = sb_sales_import_job_start (ctx, mapping);
  if (!sb_dataverse_connection_query_sync (ctx->cnc, query, sb_sales_import_collect_rows, rows,
                                           NULL, cancellable, error))
    {
      sb_sales_import_job_finish (ctx, job_id, &counters,
                                  error != NULL && *error != NULL ? (*error)->message : NULL);
      return FALSE;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = rows->pdata[i];
      g_autoptr (GError) local_error = NULL;
      g_autofree char *no = NULL;
      SbSalesImportOutcome outcome = SB_SALES_IMPORT_NOTHING;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sb_sales_import_job_finish (ctx, job_id, &counters, (*error)->message);
          return FALSE;
        }
      no = func (ctx, row, &outcome, &local_error);
      if (no != NULL)
        {
          if (outcome == SB_SALES_IMPORT_CREATED)
            counters.created++;
          else if (outcome == SB_SALES_IMPORT_UPDATED)
            counters.updated++;
          continue;
        }
      counters.failed++;
      if (first_failure == NULL)
        first_failure = g_strdup (local_error->message);
      sb_sales_import_job_error (ctx->store, job_id, mapping, "",
                                 sb_json_get_string (row, id_attribute, ""), local_error->message);
    }
  sb_sales_import_job_finish (ctx, job_id, &counters, first_failure);
  if (out_counters != NULL)
    *out_counters = counters;
  return TRUE;
}
