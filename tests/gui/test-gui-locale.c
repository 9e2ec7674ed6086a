/* test-gui-locale.c: the main window in the user's language and number format
 *
 * Run once per locale (meson sets LANG, LC_ALL and LANGUAGE to sv_SE, da_DK or is_IS) on a demo
 * company: the orders' amounts are grouped and rounded as the locale writes money (Icelandic
 * krónur without decimals), their dates are the locale's dates, and on every page of the sidebar
 * no text on screen is an English string of the app that has a translation.
 *
 * The expected texts are built here from the C library's locale data (nl_langinfo, strftime), not
 * with the app's formatting code, so a wrong separator or rounding in the app shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <time.h>

#include "sb-csv-import-dialog.h"
#include "sb-demo-data.h"
#include "sb-record-list-page.h"
#include "sb-record-object.h"
#include "sb-window.h"
#include "sbg-test-util.h"

static char *tmp_dir;
static char *db_path;
static gboolean locale_missing;

static void
create_company (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  SbDemoOptions options = { .customers = 60, .items = 10, .resources = 2, .orders = 40, .seed = 7 };

  tmp_dir = g_dir_make_tmp ("salesbridge-locale-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "company.sbdb", NULL);
  store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  sb_demo_seed (store, &options, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_company (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  g_free (db_path);
}

static gboolean
page_is_idle (gpointer user_data)
{
  SbRecordListPage *page = user_data;

  return !sb_record_list_page_is_busy (page) &&
         !g_str_equal (sb_record_list_page_get_state (page), "loading");
}

/* The texts on screen below @widget: labels (buttons' and column titles' too), window titles,
 * entries' placeholders. */
static void
collect_texts (GtkWidget *widget, GPtrArray *texts)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
      g_ptr_array_add (texts, g_strdup (gtk_label_get_label (GTK_LABEL (widget))));
    }
  else if (ADW_IS_WINDOW_TITLE (widget))
    {
      g_ptr_array_add (texts, g_strdup (adw_window_title_get_title (ADW_WINDOW_TITLE (widget))));
      g_ptr_array_add (texts, g_strdup (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget))));
    }
  else if (GTK_IS_TEXT (widget) && gtk_text_get_placeholder_text (GTK_TEXT (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (gtk_text_get_placeholder_text (GTK_TEXT (widget))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
texts_contain (GPtrArray *texts, const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (g_ptr_array_index (texts, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* @value rounded to @places as the C library's locale data writes it. */
static char *
expected_number (SbDecimal value, guint places)
{
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *group = nl_langinfo (THOUSEP);
  gboolean negative = value < 0;
  guint64 magnitude = (guint64) (negative ? -value : value);
  guint64 unit = SB_DECIMAL_SCALE, scale = 1, whole, fraction;
  g_autofree char *digits = NULL;
  GString *text = g_string_new (negative ? "-" : "");

  for (guint i = 0; i < SB_DECIMAL_PLACES - places; i++)
    scale *= 10;
  magnitude = (magnitude + scale / 2) / scale; /* half away from zero */
  unit /= scale;
  whole = magnitude / unit;
  fraction = magnitude % unit;
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, whole);
  for (gsize i = 0, n = strlen (digits); i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (text, group);
      g_string_append_c (text, digits[i]);
    }
  if (places > 0)
    g_string_append_printf (text, "%s%0*" G_GUINT64_FORMAT, radix, (int) places, fraction);
  return g_string_free (text, FALSE);
}

static char *
expected_date (const char *iso_date)
{
  struct tm tm = { 0 };
  char buffer[64];

  g_assert_cmpint (sscanf (iso_date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday), ==, 3);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_hour = 12;
  tm.tm_isdst = -1;
  g_assert_cmpint (mktime (&tm), !=, -1); /* fills in the weekday Icelandic dates name */
  /* The locale's date format itself (what "%x" stands for); it is the locale's data, not a
   * format this file could check. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_assert_cmpuint (strftime (buffer, sizeof buffer, nl_langinfo (D_FMT), &tm), >, 0);
#pragma GCC diagnostic pop
  return g_strdup (buffer);
}

static SbWindow *
open_window (void)
{
  SbWindow *window = sb_window_new (NULL, db_path, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (SbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The orders' amounts and dates as the locale writes them. */
static void
test_money_and_dates (void)
{
  SbWindow *window;
  SbRecordListPage *page;
  GListModel *model;
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint grouped = 0, krona = 0, dated = 0;

  if (locale_missing)
    {
      g_test_skip ("The locale is not installed (tools/install-deps generates it)");
      return;
    }
  /* Swedish, Danish and Icelandic all write a decimal comma: a point means the locale is not
   * the user's. */
  g_assert_cmpstr (nl_langinfo (RADIXCHAR), ==, ",");
  window = open_window ();
  sb_window_show_page (window, "orders");
  page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "orders"));
  sbg_wait_until (page_is_idle, page, "the orders");
  g_assert_null (sb_record_list_page_get_error (page));
  sbg_settle (300);
  collect_texts (GTK_WIDGET (window), texts);
  sbg_screenshot (window, "locale-orders");

  model = sb_record_list_page_get_model (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) row = g_list_model_get_item (model, i);
      const char *currency = sb_record_object_get_text (row, "currency_code");
      gboolean is_krona = g_strcmp0 (currency, "ISK") == 0;
      SbDecimal amount = sb_record_object_get_figure (row);
      g_autofree char *number = expected_number (amount, is_krona ? 0 : 2);
      g_autofree char *money = NULL;
      g_autofree char *date = expected_date (sb_record_object_get_text (row, "order_date"));

      if (currency == NULL || *currency == '\0')
        money = g_strdup (number);
      else
        money =
            g_strdup_printf (g_dpgettext2 (GETTEXT_PACKAGE, "money", "%s %s"), number, currency);
      /* Only the rows on screen have cells; their amounts must be the locale's. */
      if (!texts_contain (texts, money))
        continue;
      g_test_message ("%s", money);
      if (amount >= 1000 * SB_DECIMAL_SCALE)
        grouped++;
      if (is_krona)
        krona++;
      if (texts_contain (texts, date))
        dated++;
    }
  g_test_message ("%u grouped amounts, %u in krónur, %u dates seen", grouped, krona, dated);
  /* The demo orders are in thousands, some of them in krónur for the Icelandic customers. */
  g_assert_cmpuint (grouped, >, 0);
  g_assert_cmpuint (krona, >, 0);
  g_assert_cmpuint (dated, >, 0);
  close_window (window);
}

static GtkListBox *
find_sidebar (GtkWidget *widget)
{
  if (GTK_IS_LIST_BOX (widget))
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), 0);

      if (row != NULL && g_object_get_data (G_OBJECT (row), "sb-page-name") != NULL)
        return GTK_LIST_BOX (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkListBox *found = find_sidebar (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* No English string of the app with a translation is left on any page. */
static void
test_no_english_left (void)
{
  SbWindow *window;
  GtkListBox *sidebar;
  GtkListBoxRow *row;
  guint pages = 0, translated = 0;
  g_autoptr (GString) english = g_string_new (NULL);

  if (locale_missing)
    {
      g_test_skip ("The locale is not installed (tools/install-deps generates it)");
      return;
    }
  /* Without the catalog every text would pass. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Customers"), !=, "Customers");

  window = open_window ();
  sidebar = find_sidebar (GTK_WIDGET (window));
  g_assert_nonnull (sidebar);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (sidebar, i)) != NULL; i++)
    {
      const char *name = g_object_get_data (G_OBJECT (row), "sb-page-name");
      GtkWidget *page;
      g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

      if (name == NULL)
        continue;
      sb_window_show_page (window, name);
      page = sb_window_get_page (window, name);
      if (SB_IS_RECORD_LIST_PAGE (page))
        sbg_wait_until (page_is_idle, page, name);
      sbg_settle (200);
      collect_texts (GTK_WIDGET (window), texts);
      pages++;
      for (guint j = 0; j < texts->len; j++)
        {
          const char *text = g_ptr_array_index (texts, j);

          if (text == NULL || *text == '\0')
            continue;
          if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, text), text) != 0)
            g_string_append_printf (english, "%s: “%s”\n", name, text);
          else
            translated++;
        }
    }
  g_test_message ("%u pages, %u texts checked", pages, translated);
  g_assert_cmpuint (pages, >=, 10);
  if (english->len > 0)
    g_error ("Left in English:\n%s", english->str);
  close_window (window);
}

/* An empty Customers book says what to do next: import them, in the user's language; the
 * button opens the import. */
static void
test_empty_customers (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.sbdb", NULL);
  SbWindow *window;
  SbRecordListPage *page;
  GtkWidget *button;
  GList *toplevels;
  gboolean dialog = FALSE;

  if (locale_missing)
    {
      g_test_skip ("The locale is not installed (tools/install-deps generates it)");
      return;
    }
  window = sb_window_new (NULL, path, NULL);
  gtk_window_present (GTK_WINDOW (window));
  sb_window_show_page (window, "customers");
  page = SB_RECORD_LIST_PAGE (sb_window_get_page (window, "customers"));
  sbg_wait_until (page_is_idle, page, "the empty customers");
  g_assert_cmpstr (sb_record_list_page_get_state (page), ==, "empty");
  sbg_settle (200);
  sbg_screenshot (window, "locale-empty-customers");

  button = sbg_get (page, "empty-action");
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "_Import from CSV…"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), !=, "_Import from CSV…");

  g_signal_emit_by_name (button, "clicked");
  sbg_settle (300);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (SB_IS_CSV_IMPORT_DIALOG (l->data))
      {
        dialog = TRUE;
        gtk_window_destroy (l->data);
      }
  g_list_free (toplevels);
  g_assert_true (dialog);
  close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init() keeps the C locale; the app (main.c, through gtk_init) takes the user's. */
  locale_missing = setlocale (LC_ALL, "") == NULL;
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL
                                       ? g_getenv ("SALESBRIDGE_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE); /* the templates' strings */
  adw_init ();
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-11-21", TRUE);

  create_company ();
  g_test_add_func ("/gui/locale/money-and-dates", test_money_and_dates);
  g_test_add_func ("/gui/locale/no-english-left", test_no_english_left);
  g_test_add_func ("/gui/locale/empty-customers", test_empty_customers);
  status = g_test_run ();
  remove_company ();
  return status;
}
