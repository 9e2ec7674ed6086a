/* sb-company-manager.c: the Companies dialog: list, create and switch company databases
 *
 * Reading every company's name opens each file, and creating one writes a new database: both
 * run on a worker thread, so the dialog answers meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-company-manager.h"
#include "sb-company.h"

struct _SbCompanyManager
{
  AdwWindow parent_instance;

  char *dir;
  char *current_path;
  GCancellable *cancellable;
  guint busy;

  GtkListBox *list;
  GtkWidget *empty_label;
  AdwEntryRow *name_row;
  GtkWidget *create_button;
  GtkLabel *error_label;
};

enum
{
  SIGNAL_OPEN,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbCompanyManager, sb_company_manager, ADW_TYPE_WINDOW)

static void
show_error (SbCompanyManager *self, const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_sensitivity (SbCompanyManager *self)
{
  g_autofree char *name =
      g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  gtk_widget_set_sensitive (self->create_button, self->busy == 0 && *name != '\0');
}

static void
open_path (SbCompanyManager *self, const char *path)
{
  g_signal_emit (self, signals[SIGNAL_OPEN], 0, path);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_row_activated (SbCompanyManager *self, GtkListBoxRow *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  if (path != NULL && g_strcmp0 (path, self->current_path) != 0)
    open_path (self, path);
}

static void
listed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (SbCompanyManager) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) companies = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy--;
  update_sensitivity (self);
  if (companies == NULL)
    {
      show_error (self, error->message);
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < companies->len; i++)
    {
      SbCompanyInfo *info = companies->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      gboolean current = g_strcmp0 (info->path, self->current_path) == 0;
      g_autofree char *name = g_path_get_basename (info->path);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), info->path);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (info->path), g_free);
      if (current)
        {
          GtkWidget *label = gtk_label_new (_ ("Open"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      else
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("go-next-symbolic"));
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
        }
      gtk_list_box_append (self->list, row);
    }
  gtk_widget_set_visible (self->empty_label, companies->len == 0);
}

static void
list_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *companies = sb_company_list (data, &error);

  if (companies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, companies, (GDestroyNotify) g_ptr_array_unref);
}

static void
reload (SbCompanyManager *self)
{
  g_autoptr (GTask) task = g_task_new (NULL, self->cancellable, listed, g_object_ref (self));

  g_task_set_task_data (task, g_strdup (self->dir), g_free);
  self->busy++;
  update_sensitivity (self);
  g_task_run_in_thread (task, list_thread);
}

static void
created (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (SbCompanyManager) self = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy--;
  update_sensitivity (self);
  if (path == NULL)
    {
      show_error (self, error->message);
      return;
    }
  open_path (self, path);
}

static void
create_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *const *args = data; /* dir, name */
  GError *error = NULL;
  char *path = sb_company_create (args[0], args[1], &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

static void
on_create (SbCompanyManager *self)
{
  g_autoptr (GTask) task = NULL;
  char **args;

  if (!gtk_widget_is_sensitive (self->create_button))
    return;
  show_error (self, NULL);
  args = g_new0 (char *, 3);
  args[0] = g_strdup (self->dir);
  args[1] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  task = g_task_new (NULL, self->cancellable, created, g_object_ref (self));
  g_task_set_task_data (task, args, (GDestroyNotify) g_strfreev);
  self->busy++;
  update_sensitivity (self);
  g_task_run_in_thread (task, create_thread);
}

static void
sb_company_manager_dispose (GObject *object)
{
  SbCompanyManager *self = SB_COMPANY_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sb_company_manager_parent_class)->dispose (object);
}

static void
sb_company_manager_finalize (GObject *object)
{
  SbCompanyManager *self = SB_COMPANY_MANAGER (object);

  g_clear_object (&self->cancellable);
  g_free (self->dir);
  g_free (self->current_path);
  G_OBJECT_CLASS (sb_company_manager_parent_class)->finalize (object);
}

static void
sb_company_manager_class_init (SbCompanyManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_company_manager_dispose;
  object_class->finalize = sb_company_manager_finalize;
  /* "open" (path): the company to open instead of the parent's. */
  signals[SIGNAL_OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sb_company_manager_init (SbCompanyManager *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *companies = adw_preferences_group_new ();
  GtkWidget *create = adw_preferences_group_new ();
  GtkWidget *create_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _ ("Companies"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 560);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (companies), _ ("Your Companies"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (companies),
      _ ("Each company keeps its books in a file of its own. Choose one to open it instead."));
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "company-list");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  self->empty_label = gtk_label_new (_ ("No companies yet."));
  gtk_widget_add_css_class (self->empty_label, "dim-label");
  gtk_widget_set_visible (self->empty_label, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (companies), GTK_WIDGET (self->list));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (companies), self->empty_label);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (create), _ ("New Company"));
  self->name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->name_row), "name-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _ ("Company Name"));
  adw_entry_row_set_activates_default (self->name_row, FALSE);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (self->name_row, "entry-activated", G_CALLBACK (on_create), self);
  self->create_button = gtk_button_new_with_mnemonic (_ ("C_reate and Open"));
  gtk_widget_set_name (self->create_button, "create-button");
  gtk_widget_set_halign (self->create_button, GTK_ALIGN_END);
  gtk_widget_add_css_class (self->create_button, "suggested-action");
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (on_create), self);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "error-label");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (create_box), GTK_WIDGET (self->name_row));
  gtk_box_append (GTK_BOX (create_box), GTK_WIDGET (self->error_label));
  gtk_box_append (GTK_BOX (create_box), self->create_button);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "card");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (create), create_box);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (companies));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (create));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  update_sensitivity (self);
}

SbCompanyManager *
sb_company_manager_new (GtkWindow *parent, const char *dir, const char *current_path)
{
  SbCompanyManager *self = g_object_new (SB_TYPE_COMPANY_MANAGER, "transient-for", parent, NULL);

  self->dir = g_strdup (dir);
  self->current_path = g_strdup (current_path);
  reload (self);
  return self;
}

gboolean
sb_company_manager_is_busy (SbCompanyManager *self)
{
  g_return_val_if_fail (SB_IS_COMPANY_MANAGER (self), FALSE);
  return self->busy > 0;
}
