/* sb-books-master-data.c: the code tables other records refer to, each coupled with its
 * Dynamics 365 Sales table: salespeople, currencies, units of measure, customer price groups
 *
 * They are short lists of a few fields, so each is a spec, a count and a card of its fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-reference-data.h"

#define MASTER_DATA N_ ("Master Data")

static const char *const code_search_fields[] = { "code", "description", NULL };

/* Salespeople: from Sales only (systemuser), so nothing is created there. */

static const SbCouplingSpec salesperson_coupling = {
  .mapping = "SALESPEOPLE",
  .create_label = NULL,
};

static char *
count_salespeople (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s salesperson", "%s salespeople", n),
                          count);
}

static GtkWidget *
create_salesperson_card (SbStore *store, SbRecordObject *object)
{
  static const char *const fields[] = { "code", "name", "email", "phone", "blocked", NULL };

  return sb_books_new_simple_card (store, object, NULL, "name", fields, &salesperson_coupling);
}

static const SbRecordListColumn salesperson_columns[] = {
  { "code", NULL, 80, FALSE, 0, NULL },
  { "name", NULL, 200, TRUE, 0, NULL },
  { "email", NULL, 200, FALSE, 0, NULL },
  { "phone", NULL, 130, FALSE, 0, NULL },
};

static const char *const salesperson_search_fields[] = { "code", "name", "email", NULL };

const SbRecordListSpec sb_salesperson_book = {
  .name = "salespeople",
  .title = N_ ("Salespeople"),
  .icon_name = "system-users-symbolic",
  .section = MASTER_DATA,
  .type = &sb_salesperson_record_type,
  .columns = salesperson_columns,
  .n_columns = G_N_ELEMENTS (salesperson_columns),
  .search_fields = salesperson_search_fields,
  .search_placeholder = N_ ("Search by code, name or email"),
  .empty_title = N_ ("No Salespeople"),
  .empty_description = N_ ("Salespeople come from the users of Dynamics 365 Sales. Run the "
                           "full synchronization to bring them in."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_salespeople,
  .create_detail = create_salesperson_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &salesperson_coupling,
};

/* Currencies */

static const SbCouplingSpec currency_coupling = {
  .mapping = "CURRENCY",
  .create_label = N_ ("Create Currency in Sales"),
};

static char *
count_currencies (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s currency", "%s currencies", n), count);
}

static GtkWidget *
create_currency_card (SbStore *store, SbRecordObject *object)
{
  static const char *const fields[] = { "code",          "description",     "symbol",
                                        "exchange_rate", "amount_decimals", NULL };

  return sb_books_new_simple_card (store, object, "accessories-calculator-symbolic", "description",
                                   fields, &currency_coupling);
}

static const SbRecordListColumn currency_columns[] = {
  { "code", NULL, 80, FALSE, 0, NULL },
  { "description", NULL, 200, TRUE, 0, NULL },
  { "symbol", NULL, 80, FALSE, 0, NULL },
  { "exchange_rate", NULL, 120, FALSE, 2, NULL },
};

const SbRecordListSpec sb_currency_book = {
  .name = "currencies",
  .title = N_ ("Currencies"),
  .icon_name = "accessories-calculator-symbolic",
  .section = MASTER_DATA,
  .type = &sb_currency_record_type,
  .columns = currency_columns,
  .n_columns = G_N_ELEMENTS (currency_columns),
  .search_fields = code_search_fields,
  .search_placeholder = N_ ("Search by code or description"),
  .empty_title = N_ ("No Currencies"),
  .empty_description = N_ ("The synchronization sends the books’ currencies to Dynamics 365 "
                           "Sales and couples them with its own. Add currencies with "
                           "salesbridge-cli, then review what the synchronization will do."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_currencies,
  .create_detail = create_currency_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &currency_coupling,
};

/* Units of measure */

static const SbCouplingSpec unit_coupling = {
  .mapping = "UNIT OF MEASURE",
  .create_label = N_ ("Create Unit Group in Sales"),
};

static char *
count_units (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%s unit of measure", "%s units of measure", n), count);
}

static GtkWidget *
create_unit_card (SbStore *store, SbRecordObject *object)
{
  static const char *const fields[] = { "code", "description", NULL };

  return sb_books_new_simple_card (store, object, "view-grid-symbolic", "description", fields,
                                   &unit_coupling);
}

static const SbRecordListColumn code_columns[] = {
  { "code", NULL, 100, FALSE, 0, NULL },
  { "description", NULL, 240, TRUE, 0, NULL },
};

const SbRecordListSpec sb_unit_of_measure_book = {
  .name = "units",
  .title = N_ ("Units of Measure"),
  .icon_name = "view-grid-symbolic",
  .section = MASTER_DATA,
  .type = &sb_unit_of_measure_record_type,
  .columns = code_columns,
  .n_columns = G_N_ELEMENTS (code_columns),
  .search_fields = code_search_fields,
  .search_placeholder = N_ ("Search by code or description"),
  .empty_title = N_ ("No Units of Measure"),
  .empty_description = N_ ("The synchronization sends the books’ units of measure to Dynamics "
                           "365 Sales as unit groups. Add units with salesbridge-cli, then review "
                           "what the synchronization will do."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_units,
  .create_detail = create_unit_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &unit_coupling,
};

/* Customer price groups */

static const SbCouplingSpec price_group_coupling = {
  .mapping = "CUSTPRCGRP-PRICE",
  .create_label = N_ ("Create Price List in Sales"),
};

static char *
count_price_groups (guint n)
{
  g_autofree char *count = sb_gui_format_count (n);

  return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%s customer price group", "%s customer price groups", n),
      count);
}

static GtkWidget *
create_price_group_card (SbStore *store, SbRecordObject *object)
{
  static const char *const fields[] = { "code", "description", NULL };

  return sb_books_new_simple_card (store, object, "x-office-spreadsheet-symbolic", "description",
                                   fields, &price_group_coupling);
}

const SbRecordListSpec sb_price_group_book = {
  .name = "price-groups",
  .title = N_ ("Customer Price Groups"),
  .icon_name = "x-office-spreadsheet-symbolic",
  .section = MASTER_DATA,
  .type = &sb_customer_price_group_record_type,
  .columns = code_columns,
  .n_columns = G_N_ELEMENTS (code_columns),
  .search_fields = code_search_fields,
  .search_placeholder = N_ ("Search by code or description"),
  .empty_title = N_ ("No Customer Price Groups"),
  .empty_description = N_ ("The synchronization sends customer price groups to Dynamics 365 "
                           "Sales as price lists. Add them with salesbridge-cli, then review what "
                           "the synchronization will do."),
  .empty_actions = { { N_ ("_Synchronize with Dynamics 365 Sales…"), "win.show-page", "review",
                       TRUE } },
  .count_label = count_price_groups,
  .create_detail = create_price_group_card,
  .extend = sb_books_extend_coupled,
  .extend_data = &price_group_coupling,
};
