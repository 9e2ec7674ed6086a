/* sb-connection-check-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-connection-check-list.h"

struct _SbConnectionCheckList
{
  AdwBin parent_instance;

  GtkListBox *list;
  AdwActionRow *rows[SB_CONNECTION_CHECK_N_CHECKS];
  GtkImage *icons[SB_CONNECTION_CHECK_N_CHECKS];
  GtkSpinner *spinners[SB_CONNECTION_CHECK_N_CHECKS];

  SbConnectionCheck *check;
  gulong finished_id;
  gboolean running;
};

G_DEFINE_FINAL_TYPE (SbConnectionCheckList, sb_connection_check_list, ADW_TYPE_BIN)

static void
update_row (SbConnectionCheckList *self, SbConnectionCheckId id, gboolean spinning)
{
  SbCheckResult result = self->check != NULL ? sb_connection_check_get_result (self->check, id)
                                             : SB_CHECK_RESULT_PENDING;
  const char *message =
      self->check != NULL ? sb_connection_check_get_message (self->check, id) : NULL;
  GtkWidget *icon = GTK_WIDGET (self->icons[id]);
  const char *icon_name;
  const char *tooltip;

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "dim-label");
  switch (result)
    {
      case SB_CHECK_RESULT_PASSED:
        icon_name = "emblem-ok-symbolic";
        tooltip = _ ("Passed");
        gtk_widget_add_css_class (icon, "success");
        break;
      case SB_CHECK_RESULT_FAILED:
        icon_name = "dialog-error-symbolic";
        tooltip = _ ("Failed");
        gtk_widget_add_css_class (icon, "error");
        break;
      case SB_CHECK_RESULT_SKIPPED:
        icon_name = "action-unavailable-symbolic";
        tooltip = _ ("Skipped");
        gtk_widget_add_css_class (icon, "dim-label");
        break;
      case SB_CHECK_RESULT_PENDING:
      default:
        icon_name = "content-loading-symbolic";
        tooltip = _ ("Waiting");
        gtk_widget_add_css_class (icon, "dim-label");
        break;
    }
  gtk_image_set_from_icon_name (self->icons[id], icon_name);
  gtk_widget_set_tooltip_text (icon, tooltip);
  /* The running check spins instead of showing an icon. */
  gtk_widget_set_visible (icon, !spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->spinners[id]), spinning);
  gtk_spinner_set_spinning (self->spinners[id], spinning);

  if (message != NULL)
    adw_action_row_set_subtitle (self->rows[id], message);
  else if (spinning)
    adw_action_row_set_subtitle (self->rows[id], _ ("Checking…"));
  else
    adw_action_row_set_subtitle (self->rows[id], "");
}

/* The first check without a result is the one being run. */
static void
update_rows (SbConnectionCheckList *self)
{
  gboolean found_running = FALSE;

  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    {
      gboolean pending = self->check != NULL &&
                         sb_connection_check_get_result (self->check, i) == SB_CHECK_RESULT_PENDING;
      gboolean spinning = self->running && pending && !found_running;

      if (spinning)
        found_running = TRUE;
      update_row (self, i, spinning);
    }
}

static void
on_check_finished (SbConnectionCheck *check, guint id, gpointer user_data)
{
  update_rows (SB_CONNECTION_CHECK_LIST (user_data));
}

static void
disconnect_check (SbConnectionCheckList *self)
{
  if (self->check != NULL)
    g_clear_signal_handler (&self->finished_id, self->check);
  g_clear_object (&self->check);
}

void
sb_connection_check_list_set_check (SbConnectionCheckList *self, SbConnectionCheck *check)
{
  g_return_if_fail (SB_IS_CONNECTION_CHECK_LIST (self));
  g_return_if_fail (check == NULL || SB_IS_CONNECTION_CHECK (check));

  disconnect_check (self);
  if (check != NULL)
    {
      self->check = g_object_ref (check);
      self->finished_id =
          g_signal_connect (check, "check-finished", G_CALLBACK (on_check_finished), self);
    }
  self->running = check != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->list), check != NULL);
  update_rows (self);
}

SbConnectionCheck *
sb_connection_check_list_get_check (SbConnectionCheckList *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK_LIST (self), NULL);
  return self->check;
}

void
sb_connection_check_list_stop (SbConnectionCheckList *self)
{
  g_return_if_fail (SB_IS_CONNECTION_CHECK_LIST (self));
  self->running = FALSE;
  update_rows (self);
}

AdwActionRow *
sb_connection_check_list_get_row (SbConnectionCheckList *self, SbConnectionCheckId id)
{
  g_return_val_if_fail (SB_IS_CONNECTION_CHECK_LIST (self), NULL);
  g_return_val_if_fail (id < SB_CONNECTION_CHECK_N_CHECKS, NULL);
  return self->rows[id];
}

static void
sb_connection_check_list_dispose (GObject *object)
{
  SbConnectionCheckList *self = SB_CONNECTION_CHECK_LIST (object);

  disconnect_check (self);
  G_OBJECT_CLASS (sb_connection_check_list_parent_class)->dispose (object);
}

static void
sb_connection_check_list_class_init (SbConnectionCheckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_connection_check_list_dispose;
}

static void
sb_connection_check_list_init (SbConnectionCheckList *self)
{
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->list), FALSE);
  /* The messages are sentences, sometimes several: wrap them rather than cut them. */
  for (guint i = 0; i < SB_CONNECTION_CHECK_N_CHECKS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      self->rows[i] = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rows[i]),
                                     sb_connection_check_get_title (i));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->rows[i]), FALSE);
      adw_action_row_set_subtitle_lines (self->rows[i], 0);
      self->icons[i] = GTK_IMAGE (gtk_image_new ());
      self->spinners[i] = GTK_SPINNER (gtk_spinner_new ());
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (box, 16, 16);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->icons[i]));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinners[i]));
      adw_action_row_add_prefix (self->rows[i], box);
      gtk_list_box_append (self->list, GTK_WIDGET (self->rows[i]));
    }
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->list));
  update_rows (self);
}

GtkWidget *
sb_connection_check_list_new (void)
{
  return g_object_new (SB_TYPE_CONNECTION_CHECK_LIST, NULL);
}
