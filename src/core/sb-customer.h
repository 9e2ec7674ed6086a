/* sb-customer.h: customers and their contact persons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

typedef struct
{
  char *no;
  char *name;
  char *address;
  char *address_2;
  char *post_code;
  char *city;
  char *country_code;
  char *county;
  char *contact;
  char *phone;
  char *email;
  char *fax;
  char *home_page;
  char *currency_code; /* blank = local currency */
  char *salesperson_code;
  SbDecimal credit_limit; /* local currency */
  char *price_group_code;
  char *payment_terms_code;
  gboolean blocked;
  gint64 change_no;
  char *modified_at;
} SbCustomer;

SB_DECLARE_RECORD (SbCustomer, sb_customer)

/* Inserts @customer; a blank number is taken from the customer number
 * series and written back into @customer->no. */
gboolean sb_customer_insert (SbStore *store, SbCustomer *customer, GError **error);
gboolean sb_customer_update (SbStore *store, SbCustomer *customer, GError **error);
gboolean sb_customer_delete (SbStore *store, const char *no, GError **error);
SbCustomer *sb_customer_lookup (SbStore *store, const char *no, GError **error);
/* All customers by number, or those whose number, name or city contains
 * @search (case-insensitive) when it is not NULL. */
GPtrArray *sb_customer_list (SbStore *store, const char *search, GError **error);

typedef struct
{
  char *no;
  char *first_name;
  char *middle_name;
  char *surname;
  char *company_no; /* the customer the person works for */
  char *job_title;
  char *address;
  char *address_2;
  char *post_code;
  char *city;
  char *country_code;
  char *county;
  char *email;
  char *phone;
  char *mobile_phone;
  char *pager;
  char *fax;
  char *home_page;
  char *currency_code;
  gint64 change_no;
  char *modified_at;
} SbContact;

SB_DECLARE_RECORD (SbContact, sb_contact)

gboolean sb_contact_insert (SbStore *store, SbContact *contact, GError **error);
GPtrArray *sb_contact_list_for_customer (SbStore *store, const char *customer_no, GError **error);
char *sb_contact_get_full_name (const SbContact *contact);

G_END_DECLS
