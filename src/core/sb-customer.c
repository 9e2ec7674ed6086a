/* sb-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-record-check.h"
#include "sb-setup.h"

static gboolean
validate_customer (SbStore *store, gconstpointer record, GError **error)
{
  const SbCustomer *c = record;
  const SbRecordType *t = &sb_customer_record_type;

  return sb_check_email (t, c, c->email, error) &&
         sb_check_not_negative (t, c, N_ ("Credit Limit"), c->credit_limit, error) &&
         sb_check_reference (store, t, c, N_ ("Currency Code"), "currency", "code",
                             c->currency_code, error) &&
         sb_check_reference (store, t, c, N_ ("Salesperson Code"), "salesperson", "code",
                             c->salesperson_code, error) &&
         sb_check_reference (store, t, c, N_ ("Customer Price Group"), "customer_price_group",
                             "code", c->price_group_code, error) &&
         sb_check_reference (store, t, c, N_ ("Payment Terms Code"), "payment_terms", "code",
                             c->payment_terms_code, error);
}

static const SbField customer_fields[] = {
  SB_FIELD (SbCustomer, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbCustomer, name, SB_FIELD_TEXT, 100, SB_FIELD_FLAG_REQUIRED, N_ ("Name")),
  SB_FIELD (SbCustomer, address, SB_FIELD_TEXT, 100, 0, N_ ("Address")),
  SB_FIELD (SbCustomer, address_2, SB_FIELD_TEXT, 50, 0, N_ ("Address 2")),
  SB_FIELD (SbCustomer, post_code, SB_FIELD_TEXT, 20, 0, N_ ("Post Code")),
  SB_FIELD (SbCustomer, city, SB_FIELD_TEXT, 30, 0, N_ ("City")),
  SB_FIELD (SbCustomer, country_code, SB_FIELD_TEXT, 10, 0, N_ ("Country/Region Code")),
  SB_FIELD (SbCustomer, county, SB_FIELD_TEXT, 30, 0, N_ ("County")),
  SB_FIELD (SbCustomer, contact, SB_FIELD_TEXT, 100, 0, N_ ("Contact")),
  SB_FIELD (SbCustomer, phone, SB_FIELD_TEXT, 30, 0, N_ ("Phone No.")),
  SB_FIELD (SbCustomer, email, SB_FIELD_TEXT, 80, 0, N_ ("Email")),
  SB_FIELD (SbCustomer, fax, SB_FIELD_TEXT, 30, 0, N_ ("Fax No.")),
  SB_FIELD (SbCustomer, home_page, SB_FIELD_TEXT, 80, 0, N_ ("Home Page")),
  SB_FIELD (SbCustomer, currency_code, SB_FIELD_CODE, 10, 0, N_ ("Currency Code")),
  SB_FIELD (SbCustomer, salesperson_code, SB_FIELD_CODE, 20, 0, N_ ("Salesperson Code")),
  SB_FIELD (SbCustomer, credit_limit, SB_FIELD_DECIMAL, 0, 0, N_ ("Credit Limit")),
  SB_FIELD (SbCustomer, price_group_code, SB_FIELD_CODE, 10, 0, N_ ("Customer Price Group")),
  SB_FIELD (SbCustomer, payment_terms_code, SB_FIELD_CODE, 10, 0, N_ ("Payment Terms Code")),
  SB_FIELD (SbCustomer, blocked, SB_FIELD_BOOL, 0, 0, N_ ("Blocked")),
  SB_FIELD_CHANGE_NO (SbCustomer),
  SB_FIELD_MODIFIED_AT (SbCustomer),
};

const SbRecordType sb_customer_record_type = {
  "customer",
  N_ ("Customer"),
  sizeof (SbCustomer),
  customer_fields,
  G_N_ELEMENTS (customer_fields),
  "no",
  validate_customer,
  (GDestroyNotify) sb_customer_free,
};

SB_DEFINE_RECORD (SbCustomer, sb_customer)

gboolean
sb_customer_insert (SbStore *store, SbCustomer *customer, GError **error)
{
  return sb_no_series_insert_record (store, &sb_customer_record_type, customer,
                                     SB_NO_SERIES_CUSTOMER, error);
}

gboolean
sb_customer_update (SbStore *store, SbCustomer *customer, GError **error)
{
  return sb_record_update (store, &sb_customer_record_type, customer, error);
}

gboolean
sb_customer_delete (SbStore *store, const char *no, GError **error)
{
  g_autoptr (SbCustomer) key = sb_customer_new ();

  g_free (key->no);
  key->no = g_strdup (no);
  return sb_record_delete (store, &sb_customer_record_type, key, error);
}

SbCustomer *
sb_customer_lookup (SbStore *store, const char *no, GError **error)
{
  g_autoptr (SbCustomer) key = sb_customer_new ();

  g_free (key->no);
  key->no = g_strdup (no);
  return sb_record_lookup (store, &sb_customer_record_type, key, error);
}

GPtrArray *
sb_customer_list (SbStore *store, const char *search, GError **error)
{
  static const char *const columns[] = { "no", "name", "city", NULL };

  return sb_record_search (store, &sb_customer_record_type, search, columns, error);
}

static gboolean
validate_contact (SbStore *store, gconstpointer record, GError **error)
{
  const SbContact *c = record;
  const SbRecordType *t = &sb_contact_record_type;

  if (*c->first_name == '\0' && *c->surname == '\0')
    {
      g_autofree char *what = sb_record_describe (t, c);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("%s: a contact person needs a first name or a surname."), what);
      return FALSE;
    }
  return sb_check_email (t, c, c->email, error) &&
         sb_check_reference (store, t, c, N_ ("Company No."), "customer", "no", c->company_no,
                             error) &&
         sb_check_reference (store, t, c, N_ ("Currency Code"), "currency", "code",
                             c->currency_code, error);
}

static const SbField contact_fields[] = {
  SB_FIELD (SbContact, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbContact, first_name, SB_FIELD_TEXT, 30, 0, N_ ("First Name")),
  SB_FIELD (SbContact, middle_name, SB_FIELD_TEXT, 30, 0, N_ ("Middle Name")),
  SB_FIELD (SbContact, surname, SB_FIELD_TEXT, 30, 0, N_ ("Surname")),
  SB_FIELD (SbContact, company_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_REQUIRED, N_ ("Company No.")),
  SB_FIELD (SbContact, job_title, SB_FIELD_TEXT, 30, 0, N_ ("Job Title")),
  SB_FIELD (SbContact, address, SB_FIELD_TEXT, 100, 0, N_ ("Address")),
  SB_FIELD (SbContact, address_2, SB_FIELD_TEXT, 50, 0, N_ ("Address 2")),
  SB_FIELD (SbContact, post_code, SB_FIELD_TEXT, 20, 0, N_ ("Post Code")),
  SB_FIELD (SbContact, city, SB_FIELD_TEXT, 30, 0, N_ ("City")),
  SB_FIELD (SbContact, country_code, SB_FIELD_TEXT, 10, 0, N_ ("Country/Region Code")),
  SB_FIELD (SbContact, county, SB_FIELD_TEXT, 30, 0, N_ ("County")),
  SB_FIELD (SbContact, email, SB_FIELD_TEXT, 80, 0, N_ ("Email")),
  SB_FIELD (SbContact, phone, SB_FIELD_TEXT, 30, 0, N_ ("Phone No.")),
  SB_FIELD (SbContact, mobile_phone, SB_FIELD_TEXT, 30, 0, N_ ("Mobile Phone No.")),
  SB_FIELD (SbContact, pager, SB_FIELD_TEXT, 30, 0, N_ ("Pager")),
  SB_FIELD (SbContact, fax, SB_FIELD_TEXT, 30, 0, N_ ("Fax No.")),
  SB_FIELD (SbContact, home_page, SB_FIELD_TEXT, 80, 0, N_ ("Home Page")),
  SB_FIELD (SbContact, currency_code, SB_FIELD_CODE, 10, 0, N_ ("Currency Code")),
  SB_FIELD_CHANGE_NO (SbContact),
  SB_FIELD_MODIFIED_AT (SbContact),
};

const SbRecordType sb_contact_record_type = {
  "contact",
  N_ ("Contact"),
  sizeof (SbContact),
  contact_fields,
  G_N_ELEMENTS (contact_fields),
  "no",
  validate_contact,
  (GDestroyNotify) sb_contact_free,
};

SB_DEFINE_RECORD (SbContact, sb_contact)

gboolean
sb_contact_insert (SbStore *store, SbContact *contact, GError **error)
{
  return sb_no_series_insert_record (store, &sb_contact_record_type, contact, SB_NO_SERIES_CONTACT,
                                     error);
}

GPtrArray *
sb_contact_list_for_customer (SbStore *store, const char *customer_no, GError **error)
{
  const char *params[] = { customer_no, NULL };

  return sb_record_list (store, &sb_contact_record_type, "company_no = ?1", params, error);
}

char *
sb_contact_get_full_name (const SbContact *contact)
{
  GString *s = g_string_new (contact->first_name);

  if (*contact->middle_name != '\0')
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", contact->middle_name);
  if (*contact->surname != '\0')
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", contact->surname);
  return g_string_free (s, FALSE);
}
