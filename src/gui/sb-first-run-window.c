/* sb-first-run-window.c: what the app shows before there is any company
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-first-run-window.h"

struct _SbFirstRunWindow
{
  AdwApplicationWindow parent_instance;

  GtkWidget *buttons;
  GtkWidget *spinner;
  GtkLabel *status;
};

G_DEFINE_FINAL_TYPE (SbFirstRunWindow, sb_first_run_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *
pill_button (const char *label, const char *action, const char *name, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "pill");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static void
sb_first_run_window_init (SbFirstRunWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_window_set_title (GTK_WINDOW (self), _ ("Salesbridge"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 560);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 294);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), APPLICATION_ID);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _ ("Welcome to Salesbridge"));
  adw_status_page_set_description (
      ADW_STATUS_PAGE (page),
      _ ("Keep your ERP books in sync with Dynamics 365 Sales. Try it with a demo company "
         "connected to a demo Dynamics 365 Sales on this computer, or create your own "
         "company."));
  gtk_widget_set_vexpand (page, TRUE);

  self->buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_halign (self->buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->buttons),
                  pill_button (_ ("Try with _Demo Data"), "app.demo", "demo-button", TRUE));
  gtk_box_append (GTK_BOX (self->buttons),
                  pill_button (_ ("_Create Company"), "app.new-company", "create-button", FALSE));
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->status), "status-label");
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_justify (self->status, GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (self->status, 50);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);

  gtk_box_append (GTK_BOX (content), self->buttons);
  gtk_box_append (GTK_BOX (content), self->spinner);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status));
  adw_status_page_set_child (ADW_STATUS_PAGE (page), content);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), box);
}

static void
sb_first_run_window_class_init (SbFirstRunWindowClass *klass)
{
}

SbFirstRunWindow *
sb_first_run_window_new (GtkApplication *application)
{
  return g_object_new (SB_TYPE_FIRST_RUN_WINDOW, "application", application, NULL);
}

void
sb_first_run_window_set_busy (SbFirstRunWindow *self, const char *message)
{
  g_return_if_fail (SB_IS_FIRST_RUN_WINDOW (self));
  gtk_widget_set_sensitive (self->buttons, FALSE);
  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
  gtk_label_set_text (self->status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
}

void
sb_first_run_window_show_error (SbFirstRunWindow *self, const char *message)
{
  g_return_if_fail (SB_IS_FIRST_RUN_WINDOW (self));
  gtk_widget_set_sensitive (self->buttons, TRUE);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  gtk_label_set_text (self->status, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status), TRUE);
}

void
sb_first_run_window_reset (SbFirstRunWindow *self)
{
  g_return_if_fail (SB_IS_FIRST_RUN_WINDOW (self));
  gtk_widget_set_sensitive (self->buttons, TRUE);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
}

gboolean
sb_first_run_window_is_busy (SbFirstRunWindow *self)
{
  g_return_val_if_fail (SB_IS_FIRST_RUN_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->spinner);
}
