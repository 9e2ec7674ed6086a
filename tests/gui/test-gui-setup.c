/* test-gui-setup.c: the Setup page (General Setup, Sales & Receivables Setup) on a real company
 * file of sb-test-books: the write-in product, a coupled one refused, a number series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "sb-setup-page.h"
#include "sb-setup.h"
#include "sb-store-private.h"
#include "sb-test-books.h"
#include "sb-window.h"

typedef struct
{
  Fixture books;
  SbWindow *window;
  SbSetupPage *page;
} Fx;

static void
fx_set_up (Fx *fx, gconstpointer data)
{
  sbt_fixture_set_up (&fx->books, NULL);
  fx->window = sb_window_new (NULL, sb_store_get_path (fx->books.store), NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
  sb_window_show_page (fx->window, "setup");
  fx->page = SB_SETUP_PAGE (sb_window_get_page (fx->window, "setup"));
  sbg_settle (50);
}

static void
fx_tear_down (Fx *fx, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (fx->window));
  sbg_settle (50);
  sbt_fixture_tear_down (&fx->books, NULL);
}

/* Picks the entry of drop-down @name whose text starts with @prefix. */
static void
pick (Fx *fx, const char *name, const char *prefix)
{
  GtkWidget *widget = sbg_get (fx->page, name);
  GListModel *model = ADW_IS_COMBO_ROW (widget) ? adw_combo_row_get_model (ADW_COMBO_ROW (widget))
                                                : gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_has_prefix (gtk_string_object_get_string (item), prefix))
        {
          if (ADW_IS_COMBO_ROW (widget))
            adw_combo_row_set_selected (ADW_COMBO_ROW (widget), i);
          else
            gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), i);
          sbg_settle (20);
          return;
        }
    }
  g_error ("No “%s…” in %s", prefix, name);
}

static void
click (Fx *fx, const char *name)
{
  g_signal_emit_by_name (sbg_get (fx->page, name), "clicked");
  sbg_settle (20);
}

static SbSalesSetup *
stored_sales_setup (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  SbSalesSetup *setup = sb_sales_setup_get (fx->books.store, &error);

  g_assert_no_error (error);
  return setup;
}

static void
test_write_in (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSalesSetup) before = NULL;
  g_autoptr (SbSalesSetup) after = NULL;
  g_autoptr (SbSalesSetup) refused = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *product_row;

  /* An item not coupled: saved. */
  pick (fx, "write-in-type", _ ("Item"));
  pick (fx, "write-in-product-drop-down", "I2 ");
  g_assert_true (sb_setup_page_save (fx->page));
  g_assert_null (sb_setup_page_get_error (fx->page));
  after = stored_sales_setup (fx);
  g_assert_cmpint (after->write_in_product_type, ==, SB_WRITE_IN_ITEM);
  g_assert_cmpstr (after->write_in_product_no, ==, "I2");

  /* A coupled item: the core's refusal on the row, nothing saved, the input kept. */
  sb_store_exec (fx->books.store,
                 "INSERT INTO coupling (mapping, erp_key, dataverse_id)"
                 " VALUES ('ITEM-PRODUCT', 'I1', '00000000-0000-0000-0000-0000000000a1')",
                 &error);
  g_assert_no_error (error);
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (fx->page, "company-name")), "Refused Ltd");
  pick (fx, "write-in-product-drop-down", "I1 ");
  click (fx, "save-button");
  expected = g_strdup_printf (_ ("Item %s is coupled to a product in Dynamics 365 Sales and "
                                 "cannot be the write-in product. Choose an item that is not "
                                 "coupled."),
                              "I1");
  g_assert_cmpstr (sb_setup_page_get_error (fx->page), ==, expected);
  product_row = sbg_get (fx->page, "write-in-product");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (product_row)), ==, expected);
  g_assert_true (gtk_widget_has_css_class (product_row, "error"));
  refused = stored_sales_setup (fx);
  g_assert_cmpstr (refused->write_in_product_no, ==, "I2");
  general = sb_general_setup_get (fx->books.store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (general->company_name, !=, "Refused Ltd");
  g_assert_cmpstr (
      gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (
          GTK_DROP_DOWN (sbg_get (fx->page, "write-in-product-drop-down"))))),
      ==, "I1 – Bicycle");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sbg_get (fx->page, "company-name"))), ==,
                   "Refused Ltd");
  sbg_screenshot (fx->window, "setup-refused");
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 360, 720);
  sbg_settle (200);
  sbg_screenshot (fx->window, "setup-refused-narrow");
  /* Scrolled down to the refused row, which must fit at 360 px too. */
  gtk_widget_grab_focus (sbg_get (fx->page, "write-in-product-drop-down"));
  sbg_settle (200);
  sbg_screenshot (fx->window, "setup-refused-narrow-row");

  /* A resource: the list follows the type. */
  pick (fx, "write-in-type", _ ("Resource"));
  pick (fx, "write-in-product-drop-down", "R1 ");
  click (fx, "save-button");
  g_assert_null (sb_setup_page_get_error (fx->page));
  g_assert_false (gtk_widget_has_css_class (product_row, "error"));
  before = stored_sales_setup (fx);
  g_assert_cmpint (before->write_in_product_type, ==, SB_WRITE_IN_RESOURCE);
  g_assert_cmpstr (before->write_in_product_no, ==, "R1");
}

static void
test_number_series (Fx *fx, gconstpointer data)
{
  g_autoptr (SbSalesSetup) before = stored_sales_setup (fx);
  g_autoptr (SbSalesSetup) after = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;
  g_autoptr (GError) error = NULL;
  GtkEditable *quote_nos = GTK_EDITABLE (sbg_get (fx->page, "quote-nos"));

  g_assert_cmpstr (gtk_editable_get_text (quote_nos), ==, before->quote_nos);
  gtk_editable_set_text (quote_nos, before->order_nos);
  gtk_editable_set_text (GTK_EDITABLE (sbg_get (fx->page, "company-name")), "Cycles Ltd");
  click (fx, "save-button");
  g_assert_null (sb_setup_page_get_error (fx->page));
  after = stored_sales_setup (fx);
  g_assert_cmpstr (after->quote_nos, ==, before->order_nos);
  g_assert_cmpstr (after->customer_nos, ==, before->customer_nos);
  general = sb_general_setup_get (fx->books.store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (general->company_name, ==, "Cycles Ltd");

  /* A series that does not exist: the core's message, nothing saved. */
  gtk_editable_set_text (quote_nos, "NO-SUCH-SERIES");
  click (fx, "save-button");
  g_assert_nonnull (sb_setup_page_get_error (fx->page));
  g_clear_pointer (&after, sb_sales_setup_free);
  after = stored_sales_setup (fx);
  g_assert_cmpstr (after->quote_nos, ==, before->order_nos);
  g_assert_cmpstr (gtk_editable_get_text (quote_nos), ==, "NO-SUCH-SERIES");
  click (fx, "revert-button");
  g_assert_cmpstr (gtk_editable_get_text (quote_nos), ==, before->order_nos);
  g_assert_null (sb_setup_page_get_error (fx->page));
  sbg_screenshot (fx->window, "setup");
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "");
  if (g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  adw_init ();

  g_test_add ("/gui/setup/write-in", Fx, NULL, fx_set_up, test_write_in, fx_tear_down);
  g_test_add ("/gui/setup/number-series", Fx, NULL, fx_set_up, test_number_series, fx_tear_down);
  return g_test_run ();
}
