/* sb-setup-page.c
 *
 * Built in code rather than a .ui file: the number series rows are a table of six alike rows.
 * The write-in product is picked from a searchable drop-down of the items or resources, as the
 * Write-in Product Type says; the local currency from the currencies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-item.h"
#include "sb-reference-data.h"
#include "sb-setup-page.h"
#include "sb-setup.h"

/* The number series rows: their field in SbSalesSetup and their title. */
static const struct
{
  const char *name;
  gsize offset;
  const char *title;
} series_rows[] = {
  { "customer-nos", G_STRUCT_OFFSET (SbSalesSetup, customer_nos), N_ ("Customer Nos.") },
  { "contact-nos", G_STRUCT_OFFSET (SbSalesSetup, contact_nos), N_ ("Contact Nos.") },
  { "quote-nos", G_STRUCT_OFFSET (SbSalesSetup, quote_nos), N_ ("Quote Nos.") },
  { "order-nos", G_STRUCT_OFFSET (SbSalesSetup, order_nos), N_ ("Order Nos.") },
  { "posted-invoice-nos", G_STRUCT_OFFSET (SbSalesSetup, posted_invoice_nos),
    N_ ("Posted Invoice Nos.") },
  { "payment-nos", G_STRUCT_OFFSET (SbSalesSetup, payment_nos), N_ ("Payment Nos.") },
};

struct _SbSetupPage
{
  SbPage parent_instance;

  SbStore *store;
  char *error_message;
  SbGeneralSetup *general; /* as read: the fields the page does not show are kept */
  SbSalesSetup *sales;
  GPtrArray *currency_codes; /* beside currency_row's strings; [0] "": none */
  GPtrArray *product_nos;    /* beside product_drop_down's strings; [0] "": none */
  gboolean filling;

  GtkWidget *error_group;
  GtkButton *save_button;
  GtkLabel *error_label;
  AdwEntryRow *company_row;
  AdwComboRow *currency_row;
  AdwEntryRow *series[G_N_ELEMENTS (series_rows)];
  AdwComboRow *type_row;
  AdwActionRow *product_row;
  GtkDropDown *product_drop_down;
};

G_DEFINE_FINAL_TYPE (SbSetupPage, sb_setup_page, SB_TYPE_PAGE)

static void
show_error (SbSetupPage *self, const char *message, gboolean on_product)
{
  g_autofree char *markup = on_product ? g_markup_escape_text (message, -1) : NULL;

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  /* The whole group: an empty one would still leave its margin above General Setup. */
  gtk_widget_set_visible (self->error_group, message != NULL);
  /* A refused write-in product is said on its row too, where the user changes it. */
  adw_action_row_set_subtitle (self->product_row, on_product ? markup : "");
  if (on_product)
    gtk_widget_add_css_class (GTK_WIDGET (self->product_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->product_row), "error");
}

/* Fills the drop-down of string list @list, parallel to @keys, with @labels; selects @current. */
static guint
fill_strings (GtkStringList *list, GPtrArray *keys, const char *none, GPtrArray *labels_keys,
              GPtrArray *labels, const char *current)
{
  guint selected = 0;

  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)), NULL);
  g_ptr_array_set_size (keys, 0);
  gtk_string_list_append (list, none);
  g_ptr_array_add (keys, g_strdup (""));
  for (guint i = 0; i < labels_keys->len; i++)
    {
      gtk_string_list_append (list, g_ptr_array_index (labels, i));
      g_ptr_array_add (keys, g_strdup (g_ptr_array_index (labels_keys, i)));
      if (g_strcmp0 (current, g_ptr_array_index (labels_keys, i)) == 0)
        selected = i + 1;
    }
  /* A value no longer in the list is kept rather than silently dropped. */
  if (selected == 0 && current != NULL && *current != '\0')
    {
      gtk_string_list_append (list, current);
      g_ptr_array_add (keys, g_strdup (current));
      selected = keys->len - 1;
    }
  return selected;
}

static void
fill_products (SbSetupPage *self, const char *current)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) nos = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint type = adw_combo_row_get_selected (self->type_row);
  GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->product_drop_down));
  g_autoptr (GPtrArray) records = NULL;

  if (type == SB_WRITE_IN_ITEM)
    records = sb_record_list (self->store, &sb_item_record_type, NULL, NULL, &error);
  else if (type == SB_WRITE_IN_RESOURCE)
    records = sb_record_list (self->store, &sb_resource_record_type, NULL, NULL, &error);
  if (error != NULL)
    show_error (self, error->message, FALSE);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const char *no = type == SB_WRITE_IN_ITEM ? ((SbItem *) records->pdata[i])->no
                                                : ((SbResource *) records->pdata[i])->no;
      const char *name = type == SB_WRITE_IN_ITEM ? ((SbItem *) records->pdata[i])->description
                                                  : ((SbResource *) records->pdata[i])->name;

      g_ptr_array_add (nos, g_strdup (no));
      /* TRANSLATORS: an item or resource in a list: its number, then its description */
      g_ptr_array_add (labels, g_strdup_printf (_ ("%s – %s"), no, name != NULL ? name : ""));
    }
  self->filling = TRUE;
  gtk_drop_down_set_selected (
      self->product_drop_down,
      fill_strings (list, self->product_nos, _ ("None"), nos, labels, current));
  self->filling = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->product_row), type != SB_WRITE_IN_NONE);
}

static void
on_type_changed (SbSetupPage *self)
{
  if (!self->filling)
    fill_products (self, NULL);
}

void
sb_setup_page_reload (SbSetupPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) currencies = NULL;
  g_autoptr (GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GtkStringList *list;

  g_return_if_fail (SB_IS_SETUP_PAGE (self));

  g_clear_pointer (&self->general, sb_general_setup_free);
  g_clear_pointer (&self->sales, sb_sales_setup_free);
  show_error (self, NULL, FALSE);
  self->general = sb_general_setup_get (self->store, &error);
  if (self->general != NULL)
    self->sales = sb_sales_setup_get (self->store, &error);
  if (self->sales != NULL)
    currencies = sb_record_list (self->store, &sb_currency_record_type, NULL, NULL, &error);
  if (currencies == NULL)
    {
      show_error (self, error->message, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->company_row), FALSE);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->company_row), self->general->company_name);
  for (guint i = 0; i < currencies->len; i++)
    {
      SbCurrency *currency = currencies->pdata[i];

      g_ptr_array_add (codes, g_strdup (currency->code));
      g_ptr_array_add (labels,
                       g_strdup_printf (_ ("%s – %s"), currency->code, currency->description));
    }
  list = GTK_STRING_LIST (adw_combo_row_get_model (self->currency_row));
  adw_combo_row_set_selected (self->currency_row,
                              fill_strings (list, self->currency_codes, _ ("None"), codes, labels,
                                            self->general->local_currency_code));
  for (guint i = 0; i < G_N_ELEMENTS (series_rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->series[i]),
                           G_STRUCT_MEMBER (char *, self->sales, series_rows[i].offset));
  self->filling = TRUE;
  adw_combo_row_set_selected (self->type_row, (guint) self->sales->write_in_product_type);
  self->filling = FALSE;
  fill_products (self, self->sales->write_in_product_no);
}

gboolean
sb_setup_page_save (SbSetupPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;
  g_autoptr (SbSalesSetup) sales = NULL;
  guint currency = adw_combo_row_get_selected (self->currency_row);
  guint product = gtk_drop_down_get_selected (self->product_drop_down);
  guint type = adw_combo_row_get_selected (self->type_row);

  g_return_val_if_fail (SB_IS_SETUP_PAGE (self), FALSE);
  if (self->general == NULL || self->sales == NULL)
    return FALSE;

  general = sb_general_setup_copy (self->general);
  sales = sb_sales_setup_copy (self->sales);
  g_free (general->company_name);
  general->company_name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->company_row)));
  g_free (general->local_currency_code);
  general->local_currency_code =
      g_strdup (currency < self->currency_codes->len ? self->currency_codes->pdata[currency] : "");
  for (guint i = 0; i < G_N_ELEMENTS (series_rows); i++)
    {
      char **field = &G_STRUCT_MEMBER (char *, sales, series_rows[i].offset);

      g_free (*field);
      *field = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->series[i])));
    }
  sales->write_in_product_type = type == GTK_INVALID_LIST_POSITION ? 0 : type;
  g_free (sales->write_in_product_no);
  sales->write_in_product_no =
      g_strdup (product < self->product_nos->len ? self->product_nos->pdata[product] : "");

  /* Both or neither: a refused sales setup leaves the general setup as it was too. */
  if (!sb_store_begin (self->store, &error))
    {
      show_error (self, error->message, FALSE);
      return FALSE;
    }
  if (!sb_general_setup_update (self->store, general, &error))
    {
      sb_store_rollback (self->store);
      show_error (self, error->message, FALSE);
      return FALSE;
    }
  /* A coupled write-in product is said on its row; the update checks it again. */
  if (sales->write_in_product_type != SB_WRITE_IN_NONE &&
      !sb_sales_setup_check_write_in (self->store, sales->write_in_product_type,
                                      sales->write_in_product_no, &error))
    {
      sb_store_rollback (self->store);
      show_error (self, error->message, TRUE);
      return FALSE;
    }
  if (!sb_sales_setup_update (self->store, sales, &error))
    {
      sb_store_rollback (self->store);
      /* The input is kept: the user corrects what the message says. */
      show_error (self, error->message, FALSE);
      return FALSE;
    }
  if (!sb_store_commit (self->store, &error))
    {
      show_error (self, error->message, FALSE);
      return FALSE;
    }
  show_error (self, NULL, FALSE);
  sb_setup_page_reload (self);
  return TRUE;
}

const char *
sb_setup_page_get_error (SbSetupPage *self)
{
  g_return_val_if_fail (SB_IS_SETUP_PAGE (self), NULL);
  return self->error_message;
}

/* Building */

/* libadwaita 1.2 ellipsizes a group's title: long translations wrap instead at 360 px. */
static void
wrap_group_title (GtkWidget *widget, const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), title) == 0)
        {
          gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (child), TRUE);
          return;
        }
      wrap_group_title (child, title);
    }
}

static AdwEntryRow *
add_entry_row (AdwPreferencesGroup *group, const char *name, const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
}

static void
build (SbSetupPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  AdwPreferencesGroup *group;
  GtkWidget *button;
  const char *types[] = { N_ ("None"), N_ ("Item"), N_ ("Resource"), NULL };
  g_autoptr (GtkStringList) type_list = gtk_string_list_new (NULL);
  g_autofree char *title = NULL;

  /* Like the other pages: a header bar with the way back to the sidebar when folded, and
   * Save at hand however far the page is scrolled. */
  sb_page_add_back_button (SB_PAGE (self), ADW_HEADER_BAR (header));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_ ("Setup"), NULL));
  button = gtk_button_new_with_mnemonic (_ ("_Save"));
  self->save_button = GTK_BUTTON (button);
  gtk_widget_set_tooltip_text (button, _ ("Save"));
  gtk_widget_set_name (button, "save-button");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (sb_setup_page_save), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_name (button, "revert-button");
  gtk_widget_set_tooltip_text (button, _ ("Revert Unsaved Changes"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (sb_setup_page_reload), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  gtk_box_append (GTK_BOX (outer), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (outer), page);
  adw_bin_set_child (ADW_BIN (self), outer);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "error-label");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  adw_preferences_group_add (group, GTK_WIDGET (self->error_label));
  self->error_group = GTK_WIDGET (group);
  gtk_widget_set_visible (self->error_group, FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _ ("General Setup"));
  self->company_row = add_entry_row (group, "company-name", _ ("Company Name"));
  self->currency_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->currency_row), "local-currency");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->currency_row), _ ("Local Currency"));
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (gtk_string_list_new (NULL)));
  g_object_unref (adw_combo_row_get_model (self->currency_row));
  adw_preferences_group_add (group, GTK_WIDGET (self->currency_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  /* The group title is markup: the "&" is escaped. */
  title = g_markup_escape_text (_ ("Sales & Receivables Setup"), -1);
  adw_preferences_group_set_title (group, title);
  wrap_group_title (GTK_WIDGET (group), title);
  adw_preferences_group_set_description (
      group, _ ("The number series new records are numbered from, and the item or resource "
                "that write-in lines of orders from Dynamics 365 Sales are entered with."));
  for (guint i = 0; i < G_N_ELEMENTS (series_rows); i++)
    self->series[i] = add_entry_row (group, series_rows[i].name, _ (series_rows[i].title));
  for (guint i = 0; types[i] != NULL; i++)
    gtk_string_list_append (type_list, _ (types[i]));
  self->type_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->type_row), "write-in-type");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->type_row), _ ("Write-in Product Type"));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (type_list));
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (on_type_changed), self);
  adw_preferences_group_add (group, GTK_WIDGET (self->type_row));

  self->product_row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->product_row), "write-in-product");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->product_row),
                                 _ ("Write-in Product No."));
  adw_action_row_set_subtitle_lines (self->product_row, 0);
  self->product_drop_down = GTK_DROP_DOWN (
      gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)),
                         gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string")));
  gtk_widget_set_name (GTK_WIDGET (self->product_drop_down), "write-in-product-drop-down");
  /* Search by number or description: a company may have many items. */
  gtk_drop_down_set_enable_search (self->product_drop_down, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->product_drop_down), GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (GTK_WIDGET (self->product_drop_down), FALSE);
  adw_action_row_add_suffix (self->product_row, GTK_WIDGET (self->product_drop_down));
  adw_preferences_group_add (group, GTK_WIDGET (self->product_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
}

static void
sb_setup_page_finalize (GObject *object)
{
  SbSetupPage *self = SB_SETUP_PAGE (object);

  g_clear_object (&self->store);
  g_free (self->error_message);
  g_clear_pointer (&self->general, sb_general_setup_free);
  g_clear_pointer (&self->sales, sb_sales_setup_free);
  g_ptr_array_unref (self->currency_codes);
  g_ptr_array_unref (self->product_nos);
  G_OBJECT_CLASS (sb_setup_page_parent_class)->finalize (object);
}

/* Narrow: an icon, so the page's title keeps room in the header bar. */
static void
sb_setup_page_folded_changed (SbPage *page)
{
  SbSetupPage *self = SB_SETUP_PAGE (page);

  if (sb_page_get_folded (page))
    gtk_button_set_icon_name (self->save_button, "document-save-symbolic");
  else
    gtk_button_set_label (self->save_button, _ ("_Save"));
}

static void
sb_setup_page_class_init (SbSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_setup_page_finalize;
  SB_PAGE_CLASS (klass)->folded_changed = sb_setup_page_folded_changed;
}

static void
sb_setup_page_init (SbSetupPage *self)
{
  self->currency_codes = g_ptr_array_new_with_free_func (g_free);
  self->product_nos = g_ptr_array_new_with_free_func (g_free);
  build (self);
}

GtkWidget *
sb_setup_page_new (SbStore *store)
{
  SbSetupPage *self = g_object_new (SB_TYPE_SETUP_PAGE, NULL);

  self->store = g_object_ref (store);
  sb_setup_page_reload (self);
  return GTK_WIDGET (self);
}
