/* sb-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books.h"
#include "sb-conflicts-page.h"
#include "sb-connection-page.h"
#include "sb-csv-export.h"
#include "sb-job-notification.h"
#include "sb-job-runner.h"
#include "sb-jobs-page.h"
#include "sb-mapping-page.h"
#include "sb-page.h"
#include "sb-record-list-page.h"
#include "sb-sales-records-page.h"
#include "sb-sales-import-page.h"
#include "sb-setup-page.h"
#include "sb-setup.h"
#include "sb-statistics-page.h"
#include "sb-sync-activity.h"
#include "sb-sync-indicator.h"
#include "sb-sync-log-page.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"

struct _SbWindow
{
  AdwApplicationWindow parent_instance;

  char *database_path;
  GSettings *settings;
  SbStore *store;
  char *error_message;
  SbSyncActivity *sync_activity;
  SbJobRunner *job_runner;
  char *company;

  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *sidebar_header;
  GtkStack *main_stack;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar;
  AdwWindowTitle *sidebar_title;
  GtkListBox *sidebar_list;
  GtkStack *page_stack;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SbWindow, sb_window, ADW_TYPE_APPLICATION_WINDOW)

/* How often the app looks for due scheduled jobs. */
#define SB_WINDOW_JOB_POLL_SECONDS 30

enum
{
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Notifications */

/* While the window has the focus, its sync indicator shows the failure already. */
static void
on_job_failed (SbWindow *self, const char *job)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *id = NULL;

  if (app == NULL || gtk_window_is_active (GTK_WINDOW (self)) ||
      (self->settings != NULL && !g_settings_get_boolean (self->settings, "notify-job-failures")))
    return;
  id = sb_job_notification_id (self->database_path, job);
  notification = sb_job_notification_new (self->database_path, self->company, job);
  g_application_send_notification (app, id, notification);
}

static void
on_job_recovered (SbWindow *self, const char *job)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autofree char *id = NULL;

  if (app == NULL)
    return;
  id = sb_job_notification_id (self->database_path, job);
  g_application_withdraw_notification (app, id);
}

/* Sidebar */

static void
on_sidebar_row_selected (SbWindow *self, GtkListBoxRow *row)
{
  if (row != NULL)
    gtk_stack_set_visible_child_name (self->page_stack,
                                      g_object_get_data (G_OBJECT (row), "sb-page-name"));
}

static void
on_sidebar_row_activated (SbWindow *self, GtkListBoxRow *row)
{
  /* Folded, the sidebar is a list without selection that hides the page:
   * choosing one shows it and slides to it. */
  gtk_stack_set_visible_child_name (self->page_stack,
                                    g_object_get_data (G_OBJECT (row), "sb-page-name"));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->page_stack));
}

static void
on_leaflet_folded (SbWindow *self)
{
  GtkListBoxRow *row;

  /* A folded sidebar is a list to pick from, not a selection to keep. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_NONE);
  else
    {
      gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_BROWSE);
      /* By index: the section headings are the rows' siblings too. */
      for (int i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar_list, i)) != NULL; i++)
        if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "sb-page-name"),
                       gtk_stack_get_visible_child_name (self->page_stack)) == 0)
          gtk_list_box_select_row (self->sidebar_list, row);
    }
}

/* A label cut short (a narrow window) shows the whole of it as its tooltip; whole, none. */
static gboolean
on_sidebar_query_tooltip (GtkWidget *label, int x, int y, gboolean keyboard, GtkTooltip *tooltip)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;
  gtk_tooltip_set_text (tooltip, gtk_label_get_text (GTK_LABEL (label)));
  return TRUE;
}

/* The section a row belongs to: its own, else the one of the rows above it. */
static const char *
sidebar_row_section (GtkWidget *row)
{
  for (; row != NULL; row = gtk_widget_get_prev_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "sb-section") != NULL)
      return g_object_get_data (G_OBJECT (row), "sb-section");
  return NULL;
}

static void
sidebar_header_func (GtkListBoxRow *row, GtkListBoxRow *before, gpointer user_data)
{
  const char *section = sidebar_row_section (GTK_WIDGET (row));
  GtkWidget *header;

  if (before == NULL || g_strcmp0 (section, sidebar_row_section (GTK_WIDGET (before))) == 0)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = gtk_label_new (section);
  gtk_label_set_xalign (GTK_LABEL (header), 0.0);
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 12);
  gtk_widget_set_margin_bottom (header, 3);
  gtk_label_set_ellipsize (GTK_LABEL (header), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (header, "sidebar-section");
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_add_css_class (header, "dim-label");
  gtk_list_box_row_set_header (row, header);
}

/* Starts the sidebar section @section (translated) at the row of page @name. */
static void
set_sidebar_section (SbWindow *self, const char *name, const char *section)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "sb-page-name"), name) == 0)
      g_object_set_data_full (G_OBJECT (row), "sb-section", g_strdup (section), g_free);
  gtk_list_box_invalidate_headers (self->sidebar_list);
}

static GtkWidget *
create_sidebar_row (const char *name, const char *title, const char *icon_name)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (on_sidebar_query_tooltip), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "sb-page-name", g_strdup (name), g_free);
  return row;
}

void
sb_window_add_page (SbWindow *self, const char *name, const char *title, const char *icon_name,
                    GtkWidget *page)
{
  GtkStackPage *stack_page;
  GtkWidget *row;

  g_return_if_fail (SB_IS_WINDOW (self));
  g_return_if_fail (name != NULL && title != NULL);
  g_return_if_fail (GTK_IS_WIDGET (page));

  stack_page = gtk_stack_add_titled (self->page_stack, page, name, title);
  gtk_stack_page_set_icon_name (stack_page, icon_name);
  if (SB_IS_PAGE (page))
    g_object_bind_property (self->leaflet, "folded", page, "folded", G_BINDING_SYNC_CREATE);

  row = create_sidebar_row (name, title, icon_name);
  gtk_list_box_append (self->sidebar_list, row);
  if (gtk_list_box_get_selected_row (self->sidebar_list) == NULL &&
      gtk_list_box_get_selection_mode (self->sidebar_list) == GTK_SELECTION_BROWSE)
    gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
}

GtkWidget *
sb_window_get_page (SbWindow *self, const char *name)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->page_stack, name);
}

void
sb_window_show_page (SbWindow *self, const char *name)
{
  g_return_if_fail (SB_IS_WINDOW (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "sb-page-name"), name) == 0 &&
        gtk_list_box_get_selection_mode (self->sidebar_list) == GTK_SELECTION_BROWSE)
      gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
  gtk_stack_set_visible_child_name (self->page_stack, name);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->page_stack));
}

SbJobRunner *
sb_window_get_job_runner (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return self->job_runner;
}

const char *
sb_window_get_company (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return self->company;
}

const char *
sb_window_get_visible_page_name (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->page_stack);
}

static void
show_sidebar_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbWindow *self = SB_WINDOW (user_data);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Opening */

static void
show_error (SbWindow *self, const GError *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  self->error_message = g_strdup (error->message);
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
}

static void
open_database (SbWindow *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbGeneralSetup) setup = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;
  const char *company;
  const SbRecordListSpec *const *specs;

  self->store = sb_store_open (self->database_path, SB_STORE_OPEN_DEFAULT, &error);
  if (self->store == NULL)
    {
      show_error (self, error);
      return;
    }

  /* One picture of every synchronization of this database, in the header bar. */
  self->sync_activity = sb_sync_activity_get_for_database (sb_store_get_path (self->store));
  adw_header_bar_pack_start (self->sidebar_header, sb_sync_indicator_new (self->sync_activity));
  self->job_runner = sb_job_runner_new (self->store, self->sync_activity);

  /* The sidebar and the window list say which company's books these are. */
  setup = sb_general_setup_get (self->store, NULL);
  basename = g_path_get_basename (self->database_path);
  company = setup != NULL && setup->company_name != NULL && *setup->company_name != '\0'
                ? setup->company_name
                : basename;
  self->company = g_strdup (company);
  adw_window_title_set_subtitle (self->sidebar_title, company);
  /* TRANSLATORS: the window title: the company's name, then the app's */
  title = g_strdup_printf (_ ("%s — Salesbridge"), company);
  gtk_window_set_title (GTK_WINDOW (self), title);

  specs = sb_books_get_specs ();
  for (guint i = 0; specs[i] != NULL; i++)
    {
      GtkWidget *page = sb_record_list_page_new (specs[i], self->store);

      /* Every book exports to CSV; customers, items and resources import. */
      sb_csv_export_attach (SB_RECORD_LIST_PAGE (page));
      sb_window_add_page (self, specs[i]->name, _ (specs[i]->title), specs[i]->icon_name, page);
      if (specs[i]->section != NULL)
        set_sidebar_section (self, specs[i]->name, _ (specs[i]->section));
    }
  sb_window_add_page (self, "statistics", _ ("Statistics"), "x-office-spreadsheet-symbolic",
                      sb_statistics_page_new (self->store));
  set_sidebar_section (self, "statistics", _ ("Reports"));
  /* The pages below are about Dynamics 365 Sales: they start their section. */
  sb_window_add_page (self, "sales-records", _ ("Sales Records Not Coupled"), "edit-find-symbolic",
                      sb_sales_records_page_new (self->store));
  set_sidebar_section (self, "sales-records", _ ("Integration"));
  sb_window_add_page (self, "sales-orders", _ ("Sales Orders – Dynamics 365 Sales"),
                      "mail-send-receive-symbolic",
                      sb_sales_import_page_new (SB_SALES_IMPORT_ORDERS, self->store));
  sb_window_add_page (self, "sales-quotes", _ ("Sales Quotes – Dynamics 365 Sales"),
                      "mail-send-receive-symbolic",
                      sb_sales_import_page_new (SB_SALES_IMPORT_QUOTES, self->store));
  sb_window_add_page (self, "mappings", _ ("Integration Table Mappings"),
                      "view-list-bullet-symbolic", sb_mapping_page_new (self->store));
  sb_window_add_page (self, "review", _ ("Full Synchronization Review"),
                      "emblem-synchronizing-symbolic", sb_sync_review_page_new (self->store));
  sb_window_add_page (self, "sync-log", _ ("Synchronization Log"), "document-open-recent-symbolic",
                      sb_sync_log_page_new (self->store));
  sb_window_add_page (self, "conflicts", _ ("Conflicts"), "dialog-warning-symbolic",
                      sb_conflicts_page_new (self->store));
  sb_window_add_page (self, "jobs", _ ("Scheduled Jobs"), "alarm-symbolic",
                      sb_jobs_page_new (self->store, self->job_runner));
  sb_window_add_page (self, "connection", _ ("Dynamics 365 Sales"), "network-server-symbolic",
                      sb_connection_page_new (self->store));
  sb_window_add_page (self, "setup", _ ("Setup"), "preferences-system-symbolic",
                      sb_setup_page_new (self->store));
  set_sidebar_section (self, "setup", _ ("Settings"));
  gtk_stack_set_visible_child_name (self->main_stack, "books");

  g_signal_connect_swapped (self->job_runner, "job-failed", G_CALLBACK (on_job_failed), self);
  g_signal_connect_swapped (self->job_runner, "job-recovered", G_CALLBACK (on_job_recovered), self);
}

/* Size */

static void
restore_size (SbWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
sb_window_close_request (GtkWindow *window)
{
  SbWindow *self = SB_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      /* The default size is the unmaximized one, which is what a later
       * unmaximize should return to. */
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }
  return GTK_WINDOW_CLASS (sb_window_parent_class)->close_request (window);
}

/* GObject */

/* The app runs the scheduled jobs; a window without one (tests, tools) leaves them be. The
 * application is set after constructed(), as GtkWindow's "application" is no construct
 * property, and unset when the window closes. */
static void
on_application_changed (SbWindow *self)
{
  if (self->job_runner == NULL)
    return;
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    sb_job_runner_start (self->job_runner, SB_WINDOW_JOB_POLL_SECONDS);
  else
    sb_job_runner_stop (self->job_runner);
}

static void
sb_window_constructed (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  G_OBJECT_CLASS (sb_window_parent_class)->constructed (object);

  restore_size (self);
  open_database (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);
  on_application_changed (self);
}

static void
sb_window_dispose (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  /* Releases the runner lock (once a running job has stopped) for the next runner. */
  if (self->job_runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->job_runner, self);
      sb_job_runner_stop (self->job_runner);
    }
  g_clear_object (&self->job_runner);
  g_clear_object (&self->sync_activity);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_window_parent_class)->dispose (object);
}

static void
sb_window_finalize (GObject *object)
{
  SbWindow *self = SB_WINDOW (object);

  g_free (self->database_path);
  g_free (self->error_message);
  g_free (self->company);

  G_OBJECT_CLASS (sb_window_parent_class)->finalize (object);
}

static void
sb_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
      case PROP_DATABASE_PATH:
        g_value_set_string (value, self->database_path);
        break;
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SbWindow *self = SB_WINDOW (object);

  switch (prop_id)
    {
      case PROP_DATABASE_PATH:
        self->database_path = g_value_dup_string (value);
        break;
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_window_class_init (SbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sb_window_constructed;
  object_class->dispose = sb_window_dispose;
  object_class->finalize = sb_window_finalize;
  object_class->get_property = sb_window_get_property;
  object_class->set_property = sb_window_set_property;
  window_class->close_request = sb_window_close_request;

  props[PROP_DATABASE_PATH] =
      g_param_spec_string ("database-path", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_SETTINGS] =
      g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (SB_TYPE_RECORD_LIST_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/salesbridge/Salesbridge/sb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, page_stack);
  gtk_widget_class_bind_template_child (widget_class, SbWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded);
}

static void
show_page_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  sb_window_show_page (SB_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
sb_window_init (SbWindow *self)
{
  /* In the window's own "win" action map: widget class actions of that
   * prefix would be hidden by it. */
  static const GActionEntry actions[] = {
    { "show-sidebar", show_sidebar_action, NULL, NULL, NULL },
    /* A status page or toast pointing elsewhere: "win.show-page::connection". */
    { "show-page", show_page_action, "s", NULL, NULL },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_header_func (self->sidebar_list, sidebar_header_func, NULL, NULL);
  /* The sidebar is as wide as its longest label where the window allows (a scrolled window
   * asks only for its minimum otherwise); narrower, labels are cut short with a tooltip. */
  gtk_scrolled_window_set_propagate_natural_width (
      GTK_SCROLLED_WINDOW (
          gtk_widget_get_ancestor (GTK_WIDGET (self->sidebar_list), GTK_TYPE_SCROLLED_WINDOW)),
      TRUE);
  /* Each page asks for its own width, not the widest page's: a narrow window folds to the
   * page shown. */
  gtk_stack_set_hhomogeneous (self->page_stack, FALSE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

SbWindow *
sb_window_new (GtkApplication *application, const char *database_path, GSettings *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SB_TYPE_WINDOW, "application", application, "database-path", database_path,
                       "settings", settings, NULL);
}

const char *
sb_window_get_database_path (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return self->database_path;
}

SbStore *
sb_window_get_store (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return self->store;
}

const char *
sb_window_get_error (SbWindow *self)
{
  g_return_val_if_fail (SB_IS_WINDOW (self), NULL);
  return self->error_message;
}

void
sb_window_add_toast (SbWindow *self, AdwToast *toast)
{
  g_return_if_fail (SB_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
sb_window_set_banner (SbWindow *self, GtkWidget *banner)
{
  GtkWidget *pages;
  GtkWidget *box;

  g_return_if_fail (SB_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (banner));

  /* The banner stays above every page, so it goes between the toasts and the pages. */
  pages = g_object_ref (adw_toast_overlay_get_child (self->toast_overlay));
  adw_toast_overlay_set_child (self->toast_overlay, NULL);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), banner);
  gtk_box_append (GTK_BOX (box), pages);
  g_object_unref (pages);
  adw_toast_overlay_set_child (self->toast_overlay, box);
}
