/* sb-books.c: the books in sidebar order, and helpers their pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-books.h"
#include "sb-sales-document.h"
#include "sb-setup.h"

/* The daily books first; the code tables they refer to after them, under "Master Data". */
static const SbRecordListSpec *const books[] = {
  &sb_customer_book, &sb_contact_book,         &sb_item_book,           &sb_resource_book,
  &sb_quote_book,    &sb_order_book,           &sb_posted_invoice_book, &sb_salesperson_book,
  &sb_currency_book, &sb_unit_of_measure_book, &sb_price_group_book,    NULL,
};

const SbRecordListSpec *const *
sb_books_get_specs (void)
{
  return books;
}

const SbRecordListSpec *
sb_books_find_spec (const char *name)
{
  for (guint i = 0; books[i] != NULL; i++)
    if (g_str_equal (books[i]->name, name))
      return books[i];
  return NULL;
}

char *
sb_books_get_local_currency (SbStore *store)
{
  g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (store, NULL);

  if (setup == NULL || setup->local_currency_code == NULL)
    return g_strdup ("");
  return g_strdup (setup->local_currency_code);
}

void
sb_books_add_error_group (SbDetailPage *page, const char *title, const GError *error)
{
  AdwPreferencesGroup *group = sb_detail_page_add_group (page, title);

  sb_detail_page_add_placeholder_row (group, error->message);
}

void
sb_books_add_line_row (AdwPreferencesGroup *group, gint64 type, const char *no,
                       const char *description, SbDecimal quantity, const char *unit_code,
                       SbDecimal unit_price, SbDecimal line_discount_amount, SbDecimal amount,
                       const char *currency_code)
{
  g_autofree char *quantity_text = NULL;
  g_autofree char *price_text = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *amount_text = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 description != NULL && *description != '\0' ? description : no);
  adw_preferences_group_add (group, row);
  if (type == SB_SALES_LINE_COMMENT)
    {
      gtk_widget_add_css_class (row, "dim-label");
      return;
    }

  quantity_text = sb_gui_format_decimal (quantity, 0);
  price_text = sb_decimal_format (unit_price, 2);
  if (line_discount_amount != 0)
    {
      g_autofree char *discount = sb_decimal_format (line_discount_amount, 2);
      /* TRANSLATORS: a document line: item no., quantity, unit, unit price,
       * line discount, e.g. "1000 · 5 PCS × 12.50 − 3.00" */
      subtitle = g_strdup_printf (_ ("%s · %s %s × %s − %s"), no, quantity_text, unit_code,
                                  price_text, discount);
    }
  else
    /* TRANSLATORS: a document line: item no., quantity, unit, unit price,
     * e.g. "1000 · 5 PCS × 12.50" */
    subtitle = g_strdup_printf (_ ("%s · %s %s × %s"), no, quantity_text, unit_code, price_text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  amount_text = sb_decimal_format_money (amount, currency_code, 2);
  label = gtk_label_new (amount_text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

void
sb_books_extend_coupled (GtkWidget *page)
{
  const SbRecordListSpec *spec = sb_record_list_page_get_spec (SB_RECORD_LIST_PAGE (page));

  sb_coupling_controller_attach (SB_RECORD_LIST_PAGE (page), spec->extend_data);
  /* The coupling status filter's "All" (sb-coupling-controller.c), for a filter that leaves
   * nothing. */
  sb_record_list_page_set_filter_reset_action (SB_RECORD_LIST_PAGE (page), "coupling.filter(-1)");
}

GtkWidget *
sb_books_new_simple_card (SbStore *store, SbRecordObject *object, const char *icon_name,
                          const char *title_field, const char *const *fields,
                          const SbCouplingSpec *coupling)
{
  const SbRecordType *type = sb_record_object_get_record_type (object);
  gconstpointer record = sb_record_object_get_record (object);
  const SbField *title = sb_record_type_find_field (type, title_field);
  const SbField *key_field = NULL;
  g_autofree char *title_text = sb_record_to_string (title, record);
  g_autofree char *subtitle = sb_record_describe (type, record);
  g_autofree char *key = NULL;
  SbDetailPage *page;

  for (guint i = 0; i < type->n_fields && key_field == NULL; i++)
    if ((type->fields[i].flags & SB_FIELD_FLAG_KEY) != 0)
      key_field = &type->fields[i];
  key = sb_record_to_string (key_field, record);
  page = SB_DETAIL_PAGE (sb_detail_page_new (*title_text != '\0' ? title_text : key, subtitle));
  sb_detail_page_add_heading (page, icon_name);
  sb_detail_page_add_fields (page, _ ("General"), type, record, fields, NULL, NULL);
  if (coupling != NULL)
    sb_coupling_add_detail_group (page, store, coupling, key);
  return GTK_WIDGET (page);
}
