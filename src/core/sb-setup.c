/* sb-setup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-record-check.h"
#include "sb-setup.h"
#include "sb-store-private.h"

static gboolean
validate_general_setup (SbStore *store, gconstpointer record, GError **error)
{
  const SbGeneralSetup *s = record;

  if (s->fiscal_year_start_month < 1 || s->fiscal_year_start_month > 12)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The fiscal year must start in a month from 1 to 12."));
      return FALSE;
    }
  return TRUE;
}

static const SbField general_setup_fields[] = {
  SB_FIELD (SbGeneralSetup, id, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, NULL),
  SB_FIELD (SbGeneralSetup, company_name, SB_FIELD_TEXT, 100, 0, N_ ("Company Name")),
  SB_FIELD (SbGeneralSetup, local_currency_code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_REQUIRED,
            N_ ("Local Currency Code")),
  SB_FIELD (SbGeneralSetup, fiscal_year_start_month, SB_FIELD_INT, 0, 0,
            N_ ("Fiscal Year Start Month")),
  SB_FIELD_CHANGE_NO (SbGeneralSetup),
  SB_FIELD_MODIFIED_AT (SbGeneralSetup),
};

const SbRecordType sb_general_setup_record_type = {
  "general_setup",
  N_ ("General Setup"),
  sizeof (SbGeneralSetup),
  general_setup_fields,
  G_N_ELEMENTS (general_setup_fields),
  "id",
  validate_general_setup,
  (GDestroyNotify) sb_general_setup_free,
};

SB_DEFINE_RECORD (SbGeneralSetup, sb_general_setup)

SbGeneralSetup *
sb_general_setup_get (SbStore *store, GError **error)
{
  g_autoptr (SbGeneralSetup) key = sb_general_setup_new ();

  key->id = 1;
  return sb_record_lookup (store, &sb_general_setup_record_type, key, error);
}

gboolean
sb_general_setup_update (SbStore *store, SbGeneralSetup *setup, GError **error)
{
  setup->id = 1;
  return sb_record_update (store, &sb_general_setup_record_type, setup, error);
}

gboolean
sb_sales_setup_check_write_in (SbStore *store, gint64 type, const char *no, GError **error)
{
  /* The couplings live in the company database too (the sync layer's table). */
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT EXISTS (SELECT 1 FROM coupling WHERE mapping = ?1 AND erp_key = ?2)", error);
  gboolean coupled = FALSE;

  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, type == SB_WRITE_IN_ITEM ? "ITEM-PRODUCT" : "RESOURCE-PRODUCT");
  sb_bind_text (stmt, 2, no);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    coupled = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (coupled)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 type == SB_WRITE_IN_ITEM
                     ? _ ("Item %s is coupled to a product in Dynamics 365 Sales and cannot be "
                          "the write-in product. Choose an item that is not coupled.")
                     : _ ("Resource %s is coupled to a product in Dynamics 365 Sales and cannot "
                          "be the write-in product. Choose a resource that is not coupled."),
                 no);
  return !coupled;
}

static gboolean
validate_sales_setup (SbStore *store, gconstpointer record, GError **error)
{
  const SbSalesSetup *s = record;
  const SbRecordType *t = &sb_sales_setup_record_type;
  const char *series[] = { s->customer_nos,       s->quote_nos,   s->order_nos,
                           s->posted_invoice_nos, s->payment_nos, s->contact_nos };

  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    if (!sb_check_reference (store, t, s, N_ ("Number Series"), "no_series", "code", series[i],
                             error))
      return FALSE;

  switch (s->write_in_product_type)
    {
      case SB_WRITE_IN_NONE:
        return TRUE;
      case SB_WRITE_IN_ITEM:
        return sb_check_reference (store, t, s, N_ ("Write-in Product No."), "item", "no",
                                   s->write_in_product_no, error) &&
               sb_sales_setup_check_write_in (store, s->write_in_product_type,
                                              s->write_in_product_no, error);
      case SB_WRITE_IN_RESOURCE:
        return sb_check_reference (store, t, s, N_ ("Write-in Product No."), "resource", "no",
                                   s->write_in_product_no, error) &&
               sb_sales_setup_check_write_in (store, s->write_in_product_type,
                                              s->write_in_product_no, error);
      default:
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                     _ ("The write-in product type must be Item or Resource."));
        return FALSE;
    }
}

static const char *const write_in_type_labels[] = { "", N_ ("Item"), N_ ("Resource"), NULL };

static const SbField sales_setup_fields[] = {
  SB_FIELD (SbSalesSetup, id, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, NULL),
  SB_FIELD (SbSalesSetup, customer_nos, SB_FIELD_CODE, 20, 0, N_ ("Customer Nos.")),
  SB_FIELD (SbSalesSetup, quote_nos, SB_FIELD_CODE, 20, 0, N_ ("Quote Nos.")),
  SB_FIELD (SbSalesSetup, order_nos, SB_FIELD_CODE, 20, 0, N_ ("Order Nos.")),
  SB_FIELD (SbSalesSetup, posted_invoice_nos, SB_FIELD_CODE, 20, 0, N_ ("Posted Invoice Nos.")),
  SB_FIELD (SbSalesSetup, payment_nos, SB_FIELD_CODE, 20, 0, N_ ("Payment Nos.")),
  SB_FIELD (SbSalesSetup, contact_nos, SB_FIELD_CODE, 20, 0, N_ ("Contact Nos.")),
  SB_FIELD_CHOICE (SbSalesSetup, write_in_product_type, 0, N_ ("Write-in Product Type"),
                   write_in_type_labels),
  SB_FIELD (SbSalesSetup, write_in_product_no, SB_FIELD_TEXT, 20, 0, N_ ("Write-in Product No.")),
  SB_FIELD_CHANGE_NO (SbSalesSetup),
  SB_FIELD_MODIFIED_AT (SbSalesSetup),
};

const SbRecordType sb_sales_setup_record_type = {
  "sales_setup",        N_ ("Sales & Receivables Setup"),     sizeof (SbSalesSetup),
  sales_setup_fields,   G_N_ELEMENTS (sales_setup_fields),    "id",
  validate_sales_setup, (GDestroyNotify) sb_sales_setup_free,
};

SB_DEFINE_RECORD (SbSalesSetup, sb_sales_setup)

SbSalesSetup *
sb_sales_setup_get (SbStore *store, GError **error)
{
  g_autoptr (SbSalesSetup) key = sb_sales_setup_new ();

  key->id = 1;
  return sb_record_lookup (store, &sb_sales_setup_record_type, key, error);
}

gboolean
sb_sales_setup_update (SbStore *store, SbSalesSetup *setup, GError **error)
{
  setup->id = 1;
  return sb_record_update (store, &sb_sales_setup_record_type, setup, error);
}

char *
sb_no_series_next (SbStore *store, const char *code, GError **error)
{
  g_autofree char *number = NULL;

  if (code == NULL || *code == '\0')
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("No number series is set up for this kind of record. Choose one in Sales "
                      "& Receivables Setup, or enter a number by hand."));
      return NULL;
    }
  if (!sb_store_begin (store, error))
    return NULL;
  number = sb_store_next_number (store, code, error);
  if (number == NULL)
    {
      sb_store_rollback (store);
      return NULL;
    }
  if (!sb_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&number);
}

char *
sb_no_series_next_for (SbStore *store, SbNoSeriesKind kind, GError **error)
{
  static const char *const queries[] = {
    [SB_NO_SERIES_CUSTOMER] = "SELECT customer_nos FROM sales_setup",
    [SB_NO_SERIES_CONTACT] = "SELECT contact_nos FROM sales_setup",
    [SB_NO_SERIES_QUOTE] = "SELECT quote_nos FROM sales_setup",
    [SB_NO_SERIES_ORDER] = "SELECT order_nos FROM sales_setup",
    [SB_NO_SERIES_POSTED_INVOICE] = "SELECT posted_invoice_nos FROM sales_setup",
    [SB_NO_SERIES_PAYMENT] = "SELECT payment_nos FROM sales_setup",
  };
  g_autofree char *code = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (kind < G_N_ELEMENTS (queries), NULL);

  /* One column, not the whole setup record: this runs once per new record. */
  stmt = sb_store_prepare (store, queries[kind], error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    code = sb_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return sb_no_series_next (store, code, error);
}

gboolean
sb_no_series_insert_record (SbStore *store, const SbRecordType *type, gpointer record,
                            SbNoSeriesKind kind, GError **error)
{
  const SbField *key = &type->fields[0];

  g_return_val_if_fail (key->flags & SB_FIELD_FLAG_KEY, FALSE);

  if (!sb_store_begin (store, error))
    return FALSE;
  if (*sb_record_get_text (key, record) == '\0')
    {
      g_autofree char *no = sb_no_series_next_for (store, kind, error);
      if (no == NULL)
        goto fail;
      sb_record_set_text (key, record, no);
    }
  if (!sb_record_insert (store, type, record, error))
    goto fail;
  return sb_store_commit (store, error);

fail:
  sb_store_rollback (store);
  return FALSE;
}

char *
sb_get_work_date (void)
{
  const char *fixed = g_getenv ("SALESBRIDGE_WORK_DATE");
  g_autoptr (GDateTime) now = NULL;

  if (fixed != NULL && *fixed != '\0')
    return g_strdup (fixed);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}
