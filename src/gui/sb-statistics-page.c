/* sb-statistics-page.c
 *
 * Two kinds of worker: one reads the customer list for the picker (once, and on Reload), the
 * other the report of the customer picked. Each result carries the serial number of its
 * request, so an answer overtaken by a newer request is dropped rather than shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "sb-customer.h"
#include "sb-empty-state.h"
#include "sb-gui-format.h"
#include "sb-statistics-page.h"

struct _SbStatisticsPage
{
  SbPage parent_instance;

  char *db_path;
  gboolean loaded_once;
  guint serial;
  guint n_running;
  char *state;
  GCancellable *cancellable;
  GPtrArray *customer_nos; /* beside the drop-down's strings; [0] NULL: every customer */
  gboolean filling;        /* the drop-down is being refilled: not a choice */
  SbStatisticsReport *report;
  GHashTable *charts; /* name → SbChart (owned by the flow boxes) */

  GtkStack *stack;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
  GtkSpinner *busy_spinner;
  GtkButton *reload_button;
  AdwPreferencesGroup *figures_group;
  GtkDropDown *customer_drop_down;
  GtkListBox *figures_list;
  GtkFlowBox *book_charts;
  GtkFlowBox *sync_charts;
  GtkLabel *sync_summary;
};

G_DEFINE_FINAL_TYPE (SbStatisticsPage, sb_statistics_page, SB_TYPE_PAGE)

/* ---- Workers ------------------------------------------------------------------------------ */

typedef struct
{
  char *db_path;
  char *customer_no;
  guint serial;
} Request;

static void
request_free (Request *request)
{
  g_free (request->db_path);
  g_free (request->customer_no);
  g_free (request);
}

static void
customers_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (request->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  GPtrArray *customers = store != NULL ? sb_customer_list (store, NULL, &error) : NULL;

  if (customers == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, customers, (GDestroyNotify) g_ptr_array_unref);
}

static void
report_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (request->db_path, SB_STORE_OPEN_READ_ONLY, &error);
  SbStatisticsReport *report =
      store != NULL ? sb_statistics_report_load (store, request->customer_no, &error) : NULL;

  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) sb_statistics_report_free);
}

static void
set_state (SbStatisticsPage *self, const char *state)
{
  g_free (self->state);
  self->state = g_strdup (state);
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
update_busy (SbStatisticsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->n_running > 0);
  gtk_spinner_set_spinning (self->busy_spinner, self->n_running > 0);
}

static void
show_error (SbStatisticsPage *self, const GError *error)
{
  g_autofree char *description = g_strdup_printf (
      /* TRANSLATORS: %s says why the statistics could not be read */
      _ ("%s\n\nCheck that the company database is there and readable, then press Reload."),
      error->message);

  adw_status_page_set_description (self->error_page, description);
  set_state (self, "error");
}

static void
run (SbStatisticsPage *self, GTaskThreadFunc func, GAsyncReadyCallback done,
     const char *customer_no)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, done, NULL);
  Request *request = g_new0 (Request, 1);

  request->db_path = g_strdup (self->db_path);
  request->customer_no = g_strdup (customer_no);
  request->serial = self->serial;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  self->n_running++;
  update_busy (self);
  g_task_run_in_thread (task, func);
}

/* ---- The figures -------------------------------------------------------------------------- */

static void
add_figure (SbStatisticsPage *self, const char *name, const char *title, double value)
{
  SbDecimal decimal = (SbDecimal) llround (value * SB_DECIMAL_SCALE);
  g_autofree char *text = sb_decimal_format_money (decimal, self->report->currency_code, 2);
  g_autofree char *label_name = g_strconcat ("value-", name, NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_name (label, label_name);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_append (self->figures_list, row);
}

static double
to_double (SbDecimal value)
{
  return sb_decimal_to_double (value);
}

static void
fill_figures (SbStatisticsPage *self)
{
  const SbStatisticsReport *r = self->report;
  const SbCustomerStatistics *s = r->statistics;
  GtkWidget *child;
  g_autofree char *as_of = NULL;
  g_autofree char *description = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_list))) != NULL)
    gtk_list_box_remove (self->figures_list, child);
  if (s == NULL)
    {
      /* Every customer: what the ledger says of all of them now. */
      add_figure (self, "balance_lcy", _ ("Balance"), r->balance[SB_STATISTICS_N_MONTHS - 1]);
      add_figure (self, "overdue_amounts_lcy", _ ("Overdue Amounts"),
                  r->overdue[SB_STATISTICS_N_MONTHS - 1]);
      adw_preferences_group_set_description (self->figures_group,
                                             _ ("Every customer, in local currency"));
      return;
    }
  add_figure (self, "balance_lcy", _ ("Balance"), to_double (s->balance_lcy));
  add_figure (self, "outstanding_orders_lcy", _ ("Outstanding Orders"),
              to_double (s->outstanding_orders_lcy));
  add_figure (self, "shipped_not_invoiced_lcy", _ ("Shipped Not Invoiced"),
              to_double (s->shipped_not_invoiced_lcy));
  add_figure (self, "outstanding_invoices_lcy", _ ("Outstanding Invoices"),
              to_double (s->outstanding_invoices_lcy));
  add_figure (self, "total_lcy", _ ("Total"), to_double (s->total_lcy));
  add_figure (self, "credit_limit_lcy", _ ("Credit Limit"), to_double (s->credit_limit_lcy));
  add_figure (self, "overdue_amounts_lcy", _ ("Overdue Amounts"),
              to_double (s->overdue_amounts_lcy));
  add_figure (self, "total_sales_lcy", _ ("Total Sales This Fiscal Year"),
              to_double (s->total_sales_lcy));
  add_figure (self, "invoiced_prepayment_amount_lcy", _ ("Invoiced Prepayment Amount"),
              to_double (s->invoiced_prepayment_amount_lcy));
  as_of = sb_gui_format_date (s->as_of_date);
  /* TRANSLATORS: below a customer's statistics: "In local currency, as of 3/31/2026" */
  description = g_strdup_printf (_ ("In local currency, as of %s"), as_of);
  adw_preferences_group_set_description (self->figures_group, description);
}

/* ---- The charts --------------------------------------------------------------------------- */

static SbChart *
add_chart (SbStatisticsPage *self, GtkFlowBox *box, const char *name, SbChartKind kind,
           const char *title)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *chart = sb_chart_new (kind, title);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_name (chart, name);
  gtk_widget_set_hexpand (chart, TRUE);
  gtk_box_append (GTK_BOX (card), heading);
  gtk_box_append (GTK_BOX (card), chart);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "chart-card");
  gtk_flow_box_append (box, card);
  /* The flow box's child takes no focus: a chart is read, not clicked. */
  gtk_widget_set_focusable (gtk_widget_get_parent (card), FALSE);
  g_hash_table_insert (self->charts, g_strdup (name), chart);
  return SB_CHART (chart);
}

static char *
format_month (const char *month, gboolean long_form)
{
  int year, number;
  g_autoptr (GDateTime) date = NULL;

  if (sscanf (month, "%4d-%2d", &year, &number) != 2)
    return g_strdup (month);
  date = g_date_time_new_local (year, number, 1, 12, 0, 0);
  /* TRANSLATORS: strftime formats of a month on a chart's axis and read out; keep them short */
  return g_date_time_format (date,
                             long_form ? C_ ("chart month", "%B %Y") : C_ ("chart month", "%b %y"));
}

static char *
format_day (const char *day)
{
  int year, month, number;
  g_autoptr (GDateTime) date = NULL;

  if (sscanf (day, "%4d-%2d-%2d", &year, &month, &number) != 3)
    return g_strdup (day);
  date = g_date_time_new_local (year, month, number, 12, 0, 0);
  /* TRANSLATORS: strftime format of a day on a chart's axis: "Mar 31"; keep it short */
  return g_date_time_format (date, C_ ("chart day", "%b %e"));
}

static void
fill_charts (SbStatisticsPage *self)
{
  const SbStatisticsReport *r = self->report;
  g_autoptr (GPtrArray) months = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) top = g_ptr_array_new ();
  const char *const states[] = { _ ("Billed"), _ ("Partial"), _ ("Complete"), NULL };
  double counts[SB_INVOICE_N_STATES];
  const char *currency = *r->currency_code != '\0' ? r->currency_code : NULL;
  SbChart *chart;
  g_autofree char *rate = NULL;
  g_autofree char *records = sb_gui_format_count (r->total_records);
  g_autofree char *errors = sb_gui_format_count (r->total_errors);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < SB_STATISTICS_N_MONTHS; i++)
    g_ptr_array_add (months, format_month (r->months[i], FALSE));
  g_ptr_array_add (months, NULL);
  for (guint i = 0; i < SB_STATISTICS_N_DAYS; i++)
    g_ptr_array_add (days, format_day (r->days[i]));
  g_ptr_array_add (days, NULL);
  for (guint i = 0; i < r->n_top; i++)
    g_ptr_array_add (top, r->top_names[i]);
  g_ptr_array_add (top, NULL);
  for (guint i = 0; i < SB_INVOICE_N_STATES; i++)
    counts[i] = r->invoices[i];

  chart = g_hash_table_lookup (self->charts, "balance");
  sb_chart_set_categories (chart, (const char *const *) months->pdata);
  sb_chart_set_currency (chart, currency);
  sb_chart_add_series (chart, _ ("Balance"), SB_CHART_COLOR_ACCENT, r->balance);
  sb_chart_add_series (chart, _ ("Overdue"), SB_CHART_COLOR_ERROR, r->overdue);

  chart = g_hash_table_lookup (self->charts, "sales");
  sb_chart_set_categories (chart, (const char *const *) months->pdata);
  sb_chart_set_currency (chart, currency);
  sb_chart_add_series (chart, _ ("Sales"), SB_CHART_COLOR_ACCENT, r->sales);

  chart = g_hash_table_lookup (self->charts, "top-customers");
  sb_chart_set_categories (chart, (const char *const *) top->pdata);
  sb_chart_set_currency (chart, currency);
  sb_chart_add_series (chart, _ ("Sales"), SB_CHART_COLOR_ACCENT, r->top_sales);

  chart = g_hash_table_lookup (self->charts, "invoice-status");
  sb_chart_set_categories (chart, states);
  sb_chart_add_series (chart, _ ("Invoices"), SB_CHART_COLOR_SUCCESS, counts);

  chart = g_hash_table_lookup (self->charts, "sync-records");
  sb_chart_set_categories (chart, (const char *const *) days->pdata);
  sb_chart_add_series (chart, _ ("Records"), SB_CHART_COLOR_ACCENT, r->records);
  sb_chart_add_series (chart, _ ("Errors"), SB_CHART_COLOR_ERROR, r->errors);

  chart = g_hash_table_lookup (self->charts, "sync-jobs");
  sb_chart_set_categories (chart, (const char *const *) days->pdata);
  sb_chart_add_series (chart, _ ("Runs"), SB_CHART_COLOR_ACCENT, r->jobs);

  chart = g_hash_table_lookup (self->charts, "sync-requests");
  sb_chart_set_categories (chart, (const char *const *) days->pdata);
  sb_chart_add_series (chart, _ ("Requests"), SB_CHART_COLOR_ACCENT, r->requests);

  rate = sb_gui_format_decimal (
      sb_decimal_round ((SbDecimal) llround (r->records_per_second * SB_DECIMAL_SCALE), 1), 1);
  if (r->total_records == 0 && r->total_errors == 0)
    summary = g_strdup (_ ("Nothing was synchronized in the last 14 days."));
  else
    /* TRANSLATORS: below the Synchronization heading; the numbers are formatted already */
    summary = g_strdup_printf (
        _ ("In the last 14 days: %s records synchronized, %s failed; %s records per second."),
        records, errors, rate);
  gtk_label_set_text (self->sync_summary, summary);
}

/* ---- Loading ------------------------------------------------------------------------------ */

/* A company without customers and synchronization has no figure to show but zeros: it is told
 * where figures come from instead. */
static gboolean
report_is_empty (SbStatisticsPage *self)
{
  if (self->customer_nos == NULL || self->customer_nos->len > 1)
    return FALSE; /* [0] is "All Customers" */
  for (guint i = 0; i < SB_STATISTICS_N_DAYS; i++)
    if (self->report->jobs[i] > 0)
      return FALSE;
  return TRUE;
}

static void
report_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbStatisticsPage *self = SB_STATISTICS_PAGE (source);
  Request *request = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  SbStatisticsReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  self->n_running--;
  update_busy (self);
  if (request->serial != self->serial)
    {
      g_clear_pointer (&report, sb_statistics_report_free);
      return; /* overtaken */
    }
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  g_clear_pointer (&self->report, sb_statistics_report_free);
  self->report = report;
  fill_figures (self);
  fill_charts (self);
  set_state (self, report_is_empty (self) ? "empty" : "report");
}

static const char *
selected_customer (SbStatisticsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->customer_drop_down);

  if (self->customer_nos == NULL || selected >= self->customer_nos->len)
    return NULL;
  return self->customer_nos->pdata[selected];
}

static void
load_report (SbStatisticsPage *self)
{
  self->serial++;
  run (self, report_thread, report_done, selected_customer (self));
}

static void
customers_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbStatisticsPage *self = SB_STATISTICS_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) customers = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GtkStringList) strings = NULL;
  g_autofree char *keep = NULL;
  guint selected = 0;

  self->n_running--;
  update_busy (self);
  if (customers == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  keep = g_strdup (selected_customer (self));
  strings = gtk_string_list_new (NULL);
  g_clear_pointer (&self->customer_nos, g_ptr_array_unref);
  self->customer_nos = g_ptr_array_new_full (customers->len + 1, g_free);
  g_ptr_array_add (self->customer_nos, NULL);
  gtk_string_list_append (strings, _ ("All Customers"));
  for (guint i = 0; i < customers->len; i++)
    {
      const SbCustomer *customer = customers->pdata[i];
      /* TRANSLATORS: a customer in the Statistics page's picker: "Name (C00001)" */
      g_autofree char *text = g_strdup_printf (_ ("%s (%s)"), customer->name, customer->no);

      if (g_strcmp0 (customer->no, keep) == 0)
        selected = self->customer_nos->len;
      g_ptr_array_add (self->customer_nos, g_strdup (customer->no));
      gtk_string_list_append (strings, text);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->customer_drop_down, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->customer_drop_down, selected);
  self->filling = FALSE;
  load_report (self);
}

void
sb_statistics_page_reload (SbStatisticsPage *self)
{
  g_return_if_fail (SB_IS_STATISTICS_PAGE (self));

  self->loaded_once = TRUE;
  if (self->report == NULL)
    set_state (self, "loading");
  self->serial++; /* a report under way is for the old list */
  run (self, customers_thread, customers_done, NULL);
}

static void
on_customer_selected (SbStatisticsPage *self)
{
  if (!self->filling && self->customer_nos != NULL)
    load_report (self);
}

static void
on_map (SbStatisticsPage *self)
{
  /* Coming back shows the books as they are now. */
  if (self->n_running == 0)
    sb_statistics_page_reload (self);
}

gboolean
sb_statistics_page_set_customer (SbStatisticsPage *self, const char *customer_no)
{
  g_return_val_if_fail (SB_IS_STATISTICS_PAGE (self), FALSE);

  for (guint i = 0; self->customer_nos != NULL && i < self->customer_nos->len; i++)
    if (g_strcmp0 (self->customer_nos->pdata[i], customer_no) == 0)
      {
        if (gtk_drop_down_get_selected (self->customer_drop_down) == i)
          load_report (self);
        else
          gtk_drop_down_set_selected (self->customer_drop_down, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
sb_statistics_page_is_busy (SbStatisticsPage *self)
{
  return self->n_running > 0;
}

const char *
sb_statistics_page_get_state (SbStatisticsPage *self)
{
  return self->state;
}

const SbStatisticsReport *
sb_statistics_page_get_report (SbStatisticsPage *self)
{
  return self->report;
}

SbChart *
sb_statistics_page_get_chart (SbStatisticsPage *self, const char *name)
{
  return g_hash_table_lookup (self->charts, name);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
sb_statistics_page_dispose (GObject *object)
{
  SbStatisticsPage *self = SB_STATISTICS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_STATISTICS_PAGE);
  G_OBJECT_CLASS (sb_statistics_page_parent_class)->dispose (object);
}

static void
sb_statistics_page_finalize (GObject *object)
{
  SbStatisticsPage *self = SB_STATISTICS_PAGE (object);

  g_free (self->db_path);
  g_free (self->state);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->customer_nos, g_ptr_array_unref);
  g_clear_pointer (&self->report, sb_statistics_report_free);
  g_hash_table_unref (self->charts);
  G_OBJECT_CLASS (sb_statistics_page_parent_class)->finalize (object);
}

static void
sb_statistics_page_class_init (SbStatisticsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_statistics_page_dispose;
  object_class->finalize = sb_statistics_page_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-statistics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, figures_group);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, customer_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, figures_list);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, book_charts);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, sync_charts);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, sync_summary);
  gtk_widget_class_bind_template_child (widget_class, SbStatisticsPage, empty_page);
}

static void
sb_statistics_page_init (SbStatisticsPage *self)
{
  g_autoptr (GtkExpression) expression = NULL;
  SbChart *chart;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->charts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->state = g_strdup ("loading");

  /* The picker's search matches the shown text: name and number. */
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->customer_drop_down, expression);
  g_signal_connect_swapped (self->customer_drop_down, "notify::selected",
                            G_CALLBACK (on_customer_selected), self);
  g_signal_connect_swapped (self->reload_button, "clicked", G_CALLBACK (sb_statistics_page_reload),
                            self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  sb_empty_state_add_button (self->empty_page, _ ("_Open Customers"), "win.show-page::customers");
  sb_empty_state_add_button (self->empty_page, _ ("_Synchronize with Dynamics 365 Sales…"),
                             "win.show-page::review");

  add_chart (self, self->book_charts, "balance", SB_CHART_LINES,
             _ ("Balance and Overdue at Each Month’s End"));
  add_chart (self, self->book_charts, "sales", SB_CHART_BARS, _ ("Sales per Month, Excl. VAT"));
  chart = add_chart (self, self->book_charts, "top-customers", SB_CHART_HORIZONTAL_BARS,
                     _ ("Top Customers, Last 12 Months"));
  sb_chart_set_empty_text (chart, _ ("No sales in the last 12 months"));
  chart = add_chart (self, self->book_charts, "invoice-status", SB_CHART_BARS,
                     _ ("Posted Invoices by Status in Sales"));
  sb_chart_set_empty_text (chart, _ ("No posted invoices"));
  chart = add_chart (self, self->sync_charts, "sync-records", SB_CHART_BARS,
                     _ ("Records Synchronized per Day"));
  sb_chart_set_empty_text (chart, _ ("Nothing synchronized in the last 14 days"));
  chart = add_chart (self, self->sync_charts, "sync-jobs", SB_CHART_BARS,
                     _ ("Synchronization Runs per Day"));
  sb_chart_set_empty_text (chart, _ ("Nothing synchronized in the last 14 days"));
  chart = add_chart (self, self->sync_charts, "sync-requests", SB_CHART_BARS,
                     _ ("Dynamics 365 Sales API Requests per Day"));
  sb_chart_set_empty_text (chart, _ ("Nothing synchronized in the last 14 days"));
}

GtkWidget *
sb_statistics_page_new (SbStore *store)
{
  SbStatisticsPage *self = g_object_new (SB_TYPE_STATISTICS_PAGE, NULL);

  self->db_path = g_strdup (sb_store_get_path (store));
  return GTK_WIDGET (self);
}
