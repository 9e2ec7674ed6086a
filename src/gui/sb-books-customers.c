/* sb-books-customers.c: the customer list and the customer card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-customer.h"
#include "sb-invoice-actions.h"
#include "sb-ledger.h"
#include "sb-statistics.h"

static const SbCouplingSpec customer_coupling = {
  .mapping = "CUSTOMER",
  .create_label = N_ ("Create Account in Sales"),
};

static GPtrArray *
list_customers (SbStore *store, GError **error)
{
  return sb_customer_list (store, NULL, error);
}

static char *
count_customers (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers", n), count);
}

static void
add_contacts (SbDetailPage *page, SbStore *store, const SbCustomer *customer)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) contacts = sb_contact_list_for_customer (store, customer->no, &error);
  AdwPreferencesGroup *group;

  if (contacts == NULL)
    {
      sb_books_add_error_group (page, _ ("Contact Persons"), error);
      return;
    }

  group = sb_detail_page_add_group (page, _ ("Contact Persons"));
  if (contacts->len == 0)
    sb_detail_page_add_placeholder_row (group, _ ("No contact persons"));
  for (guint i = 0; i < contacts->len; i++)
    {
      const SbContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *name = sb_contact_get_full_name (contact);
      g_autoptr (GPtrArray) details = g_ptr_array_new ();
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      for (const char *const *part =
               (const char *const[]){ contact->job_title, contact->email, contact->phone, NULL };
           *part != NULL; part++)
        if (**part != '\0')
          g_ptr_array_add (details, (gpointer) *part);
      g_ptr_array_add (details, NULL);
      subtitle = g_strjoinv (" · ", (char **) details->pdata);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, name, TRUE));
      adw_preferences_group_add (group, row);
    }
}

static void
add_statistics (SbDetailPage *page, SbStore *store, const SbCustomer *customer,
                const char *local_currency)
{
  static const char *const fields[] = {
    "balance_lcy", "outstanding_orders_lcy", "shipped_not_invoiced_lcy", "outstanding_invoices_lcy",
    "total_lcy",   "credit_limit_lcy",       "overdue_amounts_lcy",      "total_sales_lcy",
    NULL
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (SbCustomerStatistics) statistics =
      sb_customer_statistics_compute (store, customer->no, NULL, &error);
  g_autofree char *as_of = NULL;
  g_autofree char *description = NULL;
  AdwPreferencesGroup *group;

  if (statistics == NULL)
    {
      sb_books_add_error_group (page, _ ("Statistics"), error);
      return;
    }
  group = sb_detail_page_add_fields (page, _ ("Statistics"), &sb_customer_statistics_record_type,
                                     statistics, fields, local_currency, NULL);
  as_of = sb_gui_format_date (statistics->as_of_date);
  /* TRANSLATORS: below the Statistics heading of a customer's card */
  description = g_strdup_printf (_ ("In local currency, as of %s"), as_of);
  adw_preferences_group_set_description (group, description);
}

static void
add_open_entries (SbDetailPage *page, SbStore *store, const SbCustomer *customer,
                  const char *local_currency)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) entries = sb_ledger_list_entries (store, customer->no, TRUE, &error);
  AdwPreferencesGroup *group;

  if (entries == NULL)
    {
      sb_books_add_error_group (page, _ ("Open Entries"), error);
      return;
    }
  group = sb_detail_page_add_group (page, _ ("Open Entries"));
  if (entries->len == 0)
    sb_detail_page_add_placeholder_row (group, _ ("Nothing is owed"));
  for (guint i = 0; i < entries->len; i++)
    {
      const SbLedgerEntry *entry = g_ptr_array_index (entries, i);
      const char *currency = *entry->currency_code != '\0' ? entry->currency_code : local_currency;
      g_autofree char *remaining = sb_decimal_format_money (entry->remaining_amount, currency, 2);
      g_autofree char *posted = sb_gui_format_date (entry->posting_date);
      g_autofree char *due = sb_gui_format_date (entry->due_date);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (entry->document_type == SB_LEDGER_DOC_PAYMENT)
        /* TRANSLATORS: an open ledger entry, e.g. "Payment PAY00012" */
        title = g_strdup_printf (_ ("Payment %s"), entry->document_no);
      else
        /* TRANSLATORS: an open ledger entry, e.g. "Invoice PI00012" */
        title = g_strdup_printf (_ ("Invoice %s"), entry->document_no);
      if (*due != '\0')
        /* TRANSLATORS: dates of an open ledger entry */
        subtitle = g_strdup_printf (_ ("Posted %s · due %s"), posted, due);
      else
        /* TRANSLATORS: the date of an open ledger entry */
        subtitle = g_strdup_printf (_ ("Posted %s"), posted);

      row = sb_detail_page_add_value_row (group, title, remaining, TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
}

static GtkWidget *
create_customer_detail (SbStore *store, SbRecordObject *object)
{
  static const char *const general[] = { "no", "name", "blocked", NULL };
  static const char *const address[] = { "address", "address_2",    "post_code", "city",
                                         "county",  "country_code", NULL };
  static const char *const communication[] = {
    "contact", "phone", "email", "fax", "home_page", NULL
  };
  static const char *const invoicing[] = { "currency_code",    "credit_limit",
                                           "price_group_code", "payment_terms_code",
                                           "salesperson_code", NULL };
  const SbCustomer *customer = sb_record_object_get_record (object);
  const SbRecordType *type = &sb_customer_record_type;
  g_autofree char *local_currency = sb_books_get_local_currency (store);
  g_autofree char *subtitle = NULL;
  SbDetailPage *page;

  /* TRANSLATORS: the subtitle of a customer's card: its number */
  subtitle = g_strdup_printf (_ ("Customer %s"), customer->no);
  page = SB_DETAIL_PAGE (sb_detail_page_new (customer->name, subtitle));
  sb_detail_page_add_heading (page, NULL);

  /* What a salesperson looks at first: who it is and where the account
   * stands; then the addresses and terms. */
  sb_detail_page_add_fields (page, _ ("General"), type, customer, general, NULL, NULL);
  sb_coupling_add_detail_group (page, store, &customer_coupling, customer->no);
  add_statistics (page, store, customer, local_currency);
  add_open_entries (page, store, customer, local_currency);
  add_contacts (page, store, customer);
  sb_detail_page_add_fields (page, _ ("Address"), type, customer, address, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Communication"), type, customer, communication, NULL, NULL);
  /* The credit limit is kept in the local currency whatever the customer's. */
  sb_detail_page_add_fields (page, _ ("Invoicing"), type, customer, invoicing, local_currency,
                             NULL);
  return GTK_WIDGET (page);
}

static const SbRecordListColumn customer_columns[] = {
  { "no", NULL, 90, FALSE, 0, NULL },
  { "name", NULL, 220, TRUE, 0, NULL },
  { "city", NULL, 130, FALSE, 0, NULL },
  { "phone", NULL, 140, FALSE, 0, NULL },
  { "credit_limit", NULL, 110, FALSE, 2, NULL },
  { "blocked", NULL, 70, FALSE, 0, NULL },
};

/* The coupling, and Update Account Statistics (sb-invoice-actions.h). */
static void
extend_customers (GtkWidget *page)
{
  sb_books_extend_coupled (page);
  sb_invoice_actions_attach_customers (SB_RECORD_LIST_PAGE (page));
}

static const char *const customer_search_fields[] = {
  "no", "name", "city", "post_code", "contact", "phone", "email", NULL,
};

const SbRecordListSpec sb_customer_book = {
  .name = "customers",
  .title = N_ ("Customers"),
  .icon_name = "avatar-default-symbolic",
  .type = &sb_customer_record_type,
  .list = list_customers,
  .columns = customer_columns,
  .n_columns = G_N_ELEMENTS (customer_columns),
  .search_fields = customer_search_fields,
  .search_placeholder = N_ ("Search by number, name, city, contact or phone"),
  .empty_title = N_ ("No Customers"),
  .empty_description = N_ ("Import your customers from a CSV file, or synchronize them with the "
                           "accounts of Dynamics 365 Sales."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_customers,
  .create_detail = create_customer_detail,
  .extend = extend_customers,
  .extend_data = &customer_coupling,
};
