/* sb-books-contacts.c: the contact persons of customers, coupled with Sales contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-customer.h"

static const SbCouplingSpec contact_coupling = {
  .mapping = "CONTACT",
  .create_label = N_ ("Create Contact in Sales"),
};

static char *
count_contacts (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s contact", "%s contacts", n), count);
}

static GtkWidget *
create_contact_card (SbStore *store, SbRecordObject *object)
{
  static const char *const general[] = { "no",         "first_name", "middle_name", "surname",
                                         "company_no", "job_title",  NULL };
  static const char *const communication[] = { "email",     "phone", "mobile_phone", "fax", "pager",
                                               "home_page", NULL };
  static const char *const address[] = { "address", "address_2",    "post_code", "city",
                                         "county",  "country_code", NULL };
  const SbContact *contact = sb_record_object_get_record (object);
  g_autofree char *name = sb_contact_get_full_name (contact);
  g_autofree char *subtitle = NULL;
  SbDetailPage *page;

  /* TRANSLATORS: the subtitle of a contact's card: its number and its company's */
  subtitle = g_strdup_printf (_ ("Contact %s at customer %s"), contact->no, contact->company_no);
  page = SB_DETAIL_PAGE (sb_detail_page_new (*name != '\0' ? name : contact->no, subtitle));
  sb_detail_page_add_heading (page, NULL);
  sb_detail_page_add_fields (page, _ ("General"), &sb_contact_record_type, contact, general, NULL,
                             NULL);
  sb_coupling_add_detail_group (page, store, &contact_coupling, contact->no);
  sb_detail_page_add_fields (page, _ ("Communication"), &sb_contact_record_type, contact,
                             communication, NULL, NULL);
  sb_detail_page_add_fields (page, _ ("Address"), &sb_contact_record_type, contact, address, NULL,
                             NULL);
  return GTK_WIDGET (page);
}

static const SbRecordListColumn contact_columns[] = {
  { "no", NULL, 90, FALSE, 0, NULL },      { "first_name", NULL, 130, FALSE, 0, NULL },
  { "surname", NULL, 150, TRUE, 0, NULL }, { "company_no", N_ ("Company"), 100, FALSE, 0, NULL },
  { "email", NULL, 200, FALSE, 0, NULL },  { "phone", NULL, 130, FALSE, 0, NULL },
};

static const char *const contact_search_fields[] = {
  "no", "first_name", "surname", "company_no", "email", "phone", "city", NULL,
};

const SbRecordListSpec sb_contact_book = {
  .name = "contacts",
  .title = N_ ("Contacts"),
  .icon_name = "x-office-address-book-symbolic",
  .type = &sb_contact_record_type,
  .columns = contact_columns,
  .n_columns = G_N_ELEMENTS (contact_columns),
  .search_fields = contact_search_fields,
  .search_placeholder = N_ ("Search by number, name, company, email or phone"),
  .empty_title = N_ ("No Contacts"),
  .empty_description = N_ ("Contact persons belong to customers. Synchronize them with the "
                           "contacts of Dynamics 365 Sales, or start with the customers."),
  .empty_actions = { { N_ ("_Open Customers"), "win.show-page", "customers", FALSE },
                     { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_contacts,
  .create_detail = create_contact_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &contact_coupling,
};
