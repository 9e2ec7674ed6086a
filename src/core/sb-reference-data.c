/* sb-reference-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-record-check.h"
#include "sb-reference-data.h"
#include "sb-setup.h"

static gboolean
validate_salesperson (SbStore *store, gconstpointer record, GError **error)
{
  const SbSalesperson *s = record;

  return sb_check_email (&sb_salesperson_record_type, s, s->email, error);
}

static const SbField salesperson_fields[] = {
  SB_FIELD (SbSalesperson, code, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("Code")),
  SB_FIELD (SbSalesperson, name, SB_FIELD_TEXT, 50, SB_FIELD_FLAG_REQUIRED, N_ ("Name")),
  SB_FIELD (SbSalesperson, email, SB_FIELD_TEXT, 80, 0, N_ ("Email")),
  SB_FIELD (SbSalesperson, phone, SB_FIELD_TEXT, 30, 0, N_ ("Phone No.")),
  SB_FIELD (SbSalesperson, blocked, SB_FIELD_BOOL, 0, 0, N_ ("Blocked")),
  SB_FIELD_CHANGE_NO (SbSalesperson),
  SB_FIELD_MODIFIED_AT (SbSalesperson),
};

const SbRecordType sb_salesperson_record_type = {
  "salesperson",
  N_ ("Salesperson"),
  sizeof (SbSalesperson),
  salesperson_fields,
  G_N_ELEMENTS (salesperson_fields),
  "code",
  validate_salesperson,
  (GDestroyNotify) sb_salesperson_free,
};
SB_DEFINE_RECORD (SbSalesperson, sb_salesperson)

static gboolean
validate_currency (SbStore *store, gconstpointer record, GError **error)
{
  const SbCurrency *c = record;
  g_autofree char *what = NULL;

  if (c->exchange_rate > 0 && c->amount_decimals >= 0 && c->amount_decimals <= 5)
    return TRUE;
  what = sb_record_describe (&sb_currency_record_type, c);
  if (c->exchange_rate <= 0)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("%s: the exchange rate must be greater than zero."), what);
  else
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("%s: amounts can have 0 to 5 decimal places."), what);
  return FALSE;
}

static const SbField currency_fields[] = {
  SB_FIELD (SbCurrency, code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY, N_ ("Code")),
  SB_FIELD (SbCurrency, description, SB_FIELD_TEXT, 30, 0, N_ ("Description")),
  SB_FIELD (SbCurrency, symbol, SB_FIELD_TEXT, 10, 0, N_ ("Symbol")),
  SB_FIELD (SbCurrency, exchange_rate, SB_FIELD_DECIMAL, 0, 0, N_ ("Exchange Rate")),
  SB_FIELD (SbCurrency, amount_decimals, SB_FIELD_INT, 0, 0, N_ ("Amount Decimal Places")),
  SB_FIELD_CHANGE_NO (SbCurrency),
  SB_FIELD_MODIFIED_AT (SbCurrency),
};

const SbRecordType sb_currency_record_type = {
  "currency",
  N_ ("Currency"),
  sizeof (SbCurrency),
  currency_fields,
  G_N_ELEMENTS (currency_fields),
  "code",
  validate_currency,
  (GDestroyNotify) sb_currency_free,
};
SB_DEFINE_RECORD (SbCurrency, sb_currency)

static const SbField unit_fields[] = {
  SB_FIELD (SbUnitOfMeasure, code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY, N_ ("Code")),
  SB_FIELD (SbUnitOfMeasure, description, SB_FIELD_TEXT, 50, 0, N_ ("Description")),
  SB_FIELD_CHANGE_NO (SbUnitOfMeasure),
  SB_FIELD_MODIFIED_AT (SbUnitOfMeasure),
};

const SbRecordType sb_unit_of_measure_record_type = {
  "unit_of_measure",
  N_ ("Unit of Measure"),
  sizeof (SbUnitOfMeasure),
  unit_fields,
  G_N_ELEMENTS (unit_fields),
  "code",
  NULL,
  (GDestroyNotify) sb_unit_of_measure_free,
};
SB_DEFINE_RECORD (SbUnitOfMeasure, sb_unit_of_measure)

static const SbField price_group_fields[] = {
  SB_FIELD (SbCustomerPriceGroup, code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY, N_ ("Code")),
  SB_FIELD (SbCustomerPriceGroup, description, SB_FIELD_TEXT, 50, 0, N_ ("Description")),
  SB_FIELD_CHANGE_NO (SbCustomerPriceGroup),
  SB_FIELD_MODIFIED_AT (SbCustomerPriceGroup),
};

const SbRecordType sb_customer_price_group_record_type = {
  "customer_price_group",
  N_ ("Customer Price Group"),
  sizeof (SbCustomerPriceGroup),
  price_group_fields,
  G_N_ELEMENTS (price_group_fields),
  "code",
  NULL,
  (GDestroyNotify) sb_customer_price_group_free,
};
SB_DEFINE_RECORD (SbCustomerPriceGroup, sb_customer_price_group)

static gboolean
validate_payment_terms (SbStore *store, gconstpointer record, GError **error)
{
  const SbPaymentTerms *p = record;

  if (p->due_days >= 0 && p->due_days <= 3650)
    return TRUE;
  {
    g_autofree char *what = sb_record_describe (&sb_payment_terms_record_type, p);
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("%s: the due date must be 0 to 3650 days after the invoice."), what);
  }
  return FALSE;
}

static const SbField payment_terms_fields[] = {
  SB_FIELD (SbPaymentTerms, code, SB_FIELD_TEXT, 10, SB_FIELD_FLAG_KEY, N_ ("Code")),
  SB_FIELD (SbPaymentTerms, description, SB_FIELD_TEXT, 50, 0, N_ ("Description")),
  SB_FIELD (SbPaymentTerms, due_days, SB_FIELD_INT, 0, 0, N_ ("Due Days")),
  SB_FIELD_CHANGE_NO (SbPaymentTerms),
  SB_FIELD_MODIFIED_AT (SbPaymentTerms),
};

const SbRecordType sb_payment_terms_record_type = {
  "payment_terms",
  N_ ("Payment Terms"),
  sizeof (SbPaymentTerms),
  payment_terms_fields,
  G_N_ELEMENTS (payment_terms_fields),
  "code",
  validate_payment_terms,
  (GDestroyNotify) sb_payment_terms_free,
};
SB_DEFINE_RECORD (SbPaymentTerms, sb_payment_terms)

gpointer
sb_code_record_lookup (SbStore *store, const SbRecordType *type, const char *code, GError **error)
{
  gpointer key = sb_record_new (type);
  gpointer record;

  sb_record_set_text (&type->fields[0], key, code);
  record = sb_record_lookup (store, type, key, error);
  sb_record_free (type, key);
  return record;
}

gboolean
sb_currency_to_local (SbStore *store, const char *currency_code, SbDecimal amount,
                      SbDecimal *out_local, SbDecimal *out_factor, GError **error)
{
  g_autoptr (SbGeneralSetup) setup = NULL;
  g_autoptr (SbCurrency) currency = NULL;

  if (currency_code == NULL || *currency_code == '\0')
    goto local;
  setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return FALSE;
  if (g_str_equal (setup->local_currency_code, currency_code))
    goto local;

  currency = sb_code_record_lookup (store, &sb_currency_record_type, currency_code, error);
  if (currency == NULL)
    return FALSE;
  if (!sb_decimal_mul (amount, currency->exchange_rate, out_local))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The amount is too large to convert to the local currency."));
      return FALSE;
    }
  *out_local = sb_decimal_round (*out_local, 2);
  if (out_factor != NULL)
    *out_factor = currency->exchange_rate;
  return TRUE;

local:
  *out_local = amount;
  if (out_factor != NULL)
    *out_factor = SB_DECIMAL_ONE;
  return TRUE;
}
