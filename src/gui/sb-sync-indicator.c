/* sb-sync-indicator.c
 *
 * The shown state lags the activity on purpose (see the header): a timeout starts showing a
 * run, another keeps it shown long enough to be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-gui-format.h"
#include "sb-sync-indicator.h"

struct _SbSyncIndicator
{
  AdwBin parent_instance;

  SbSyncActivity *activity;
  gboolean shown; /* "synchronizing" is on screen */
  gint64 shown_at;
  guint show_id;
  guint hide_id;
  char *text;

  GtkWidget *button;
  GtkWidget *icon;
  GtkWidget *bar;
  GtkWidget *popover;
  GtkWidget *title_label;
  GtkWidget *detail_label;
  GtkWidget *popover_bar;
  GtkWidget *error_label;
  GtkWidget *log_button;
  GtkWidget *dismiss_button;
};

G_DEFINE_FINAL_TYPE (SbSyncIndicator, sb_sync_indicator, ADW_TYPE_BIN)

SbSyncIndicatorState
sb_sync_indicator_get_state (SbSyncIndicator *self)
{
  g_return_val_if_fail (SB_IS_SYNC_INDICATOR (self), SB_SYNC_INDICATOR_IDLE);
  if (self->shown)
    return SB_SYNC_INDICATOR_SYNCING;
  if (self->activity != NULL && sb_sync_activity_get_last_error (self->activity) != NULL)
    return SB_SYNC_INDICATOR_ERROR;
  return SB_SYNC_INDICATOR_IDLE;
}

const char *
sb_sync_indicator_get_text (SbSyncIndicator *self)
{
  g_return_val_if_fail (SB_IS_SYNC_INDICATOR (self), NULL);
  return self->text;
}

/* "Customers: 1,200 of 5,000 records" or the run's title. */
static char *
describe_progress (SbSyncIndicator *self)
{
  const char *mapping = sb_sync_activity_get_mapping (self->activity);
  guint done, total;

  sb_sync_activity_get_counts (self->activity, &done, &total);
  if (mapping != NULL && total > 0)
    {
      g_autofree char *d = sb_gui_format_count (done);
      g_autofree char *t = sb_gui_format_count (total);

      /* TRANSLATORS: a mapping's name, then records done and records to do */
      return g_strdup_printf (_ ("%s: %s of %s records"), mapping, d, t);
    }
  if (mapping != NULL)
    return g_strdup (mapping);
  return g_strdup (sb_sync_activity_get_title (self->activity));
}

static void
update (SbSyncIndicator *self)
{
  SbSyncIndicatorState state = sb_sync_indicator_get_state (self);
  g_autofree char *detail = NULL;
  const char *title = NULL;
  const char *error = sb_sync_activity_get_last_error (self->activity);
  guint done, total;

  sb_sync_activity_get_counts (self->activity, &done, &total);
  gtk_widget_remove_css_class (self->icon, "error");
  gtk_widget_remove_css_class (self->icon, "dim-label");
  switch (state)
    {
      case SB_SYNC_INDICATOR_SYNCING:
        title = _ ("Synchronizing");
        detail = describe_progress (self);
        gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "emblem-synchronizing-symbolic");
        break;
      case SB_SYNC_INDICATOR_ERROR:
        title = _ ("Synchronization Failed");
        gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "dialog-warning-symbolic");
        gtk_widget_add_css_class (self->icon, "error");
        break;
      case SB_SYNC_INDICATOR_IDLE:
      default:
        {
          GDateTime *last = sb_sync_activity_get_last_finished (self->activity);

          title = _ ("Not Synchronizing");
          if (last != NULL)
            {
              g_autofree char *time = g_date_time_format (last, "%X");

              /* TRANSLATORS: the time of day the last synchronization ended */
              detail = g_strdup_printf (_ ("Last synchronized at %s"), time);
            }
          else
            detail = g_strdup (_ ("Nothing synchronized since the app started"));
          gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "emblem-synchronizing-symbolic");
          gtk_widget_add_css_class (self->icon, "dim-label");
        }
    }

  gtk_widget_set_visible (self->bar, state == SB_SYNC_INDICATOR_SYNCING);
  gtk_widget_set_visible (self->popover_bar, state == SB_SYNC_INDICATOR_SYNCING);
  if (state == SB_SYNC_INDICATOR_SYNCING)
    {
      if (total > 0)
        {
          gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->bar), (double) done / total);
          gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->popover_bar),
                                         (double) done / total);
        }
      else
        {
          gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->bar));
          gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->popover_bar));
        }
    }
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_label_set_text (GTK_LABEL (self->detail_label), detail != NULL ? detail : "");
  gtk_widget_set_visible (self->detail_label, detail != NULL);
  gtk_label_set_text (GTK_LABEL (self->error_label), error != NULL ? error : "");
  gtk_widget_set_visible (self->error_label, state == SB_SYNC_INDICATOR_ERROR);
  gtk_widget_set_visible (self->dismiss_button, state == SB_SYNC_INDICATOR_ERROR);

  g_free (self->text);
  if (state == SB_SYNC_INDICATOR_ERROR)
    /* TRANSLATORS: the header bar's synchronization status: the last error */
    self->text = g_strdup_printf (_ ("Synchronization failed: %s"), error);
  else if (detail != NULL)
    /* TRANSLATORS: the header bar's synchronization status: title, then details */
    self->text = g_strdup_printf (_ ("%s — %s"), title, detail);
  else
    self->text = g_strdup (title);
  gtk_widget_set_tooltip_text (self->button, self->text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text, -1);
}

static gboolean
hide_timeout (gpointer user_data)
{
  SbSyncIndicator *self = user_data;

  self->hide_id = 0;
  self->shown = FALSE;
  update (self);
  return G_SOURCE_REMOVE;
}

static gboolean
show_timeout (gpointer user_data)
{
  SbSyncIndicator *self = user_data;

  self->show_id = 0;
  self->shown = TRUE;
  self->shown_at = g_get_monotonic_time ();
  update (self);
  return G_SOURCE_REMOVE;
}

static void
on_activity_changed (SbSyncIndicator *self)
{
  if (sb_sync_activity_is_running (self->activity))
    {
      /* A run that begins while the last one is still shown just goes on being shown. */
      g_clear_handle_id (&self->hide_id, g_source_remove);
      if (!self->shown && self->show_id == 0)
        self->show_id = g_timeout_add (SB_SYNC_INDICATOR_SHOW_DELAY, show_timeout, self);
    }
  else
    {
      /* Runs shorter than the delay never show. */
      g_clear_handle_id (&self->show_id, g_source_remove);
      if (self->shown && self->hide_id == 0)
        {
          gint64 shown_ms = (g_get_monotonic_time () - self->shown_at) / G_TIME_SPAN_MILLISECOND;

          if (shown_ms < SB_SYNC_INDICATOR_MIN_SHOWN)
            self->hide_id = g_timeout_add ((guint) (SB_SYNC_INDICATOR_MIN_SHOWN - shown_ms),
                                           hide_timeout, self);
          else
            self->shown = FALSE;
        }
    }
  update (self);
}

void
sb_sync_indicator_show_details (SbSyncIndicator *self)
{
  g_return_if_fail (SB_IS_SYNC_INDICATOR (self));
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}

static void
on_dismiss_clicked (SbSyncIndicator *self)
{
  sb_sync_activity_clear_error (self->activity);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}

static void
on_log_clicked (SbSyncIndicator *self)
{
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "sync-log");
}

static void
build (SbSyncIndicator *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->icon = gtk_image_new ();
  self->bar = gtk_progress_bar_new ();
  gtk_widget_set_size_request (self->bar, 48, -1);
  gtk_widget_set_valign (self->bar, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), self->icon);
  gtk_box_append (GTK_BOX (box), self->bar);

  self->title_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  self->detail_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->detail_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->detail_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->detail_label), 40);
  self->popover_bar = gtk_progress_bar_new ();
  self->error_label = gtk_label_new (NULL);
  gtk_widget_set_name (self->error_label, "sync-indicator-error");
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->error_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (self->error_label), 40);
  gtk_label_set_selectable (GTK_LABEL (self->error_label), TRUE);
  self->log_button = gtk_button_new_with_mnemonic (_ ("Open Synchronization _Log"));
  gtk_widget_set_name (self->log_button, "sync-indicator-log");
  g_signal_connect_swapped (self->log_button, "clicked", G_CALLBACK (on_log_clicked), self);
  self->dismiss_button = gtk_button_new_with_mnemonic (_ ("_Dismiss"));
  gtk_widget_set_name (self->dismiss_button, "sync-indicator-dismiss");
  g_signal_connect_swapped (self->dismiss_button, "clicked", G_CALLBACK (on_dismiss_clicked), self);
  gtk_widget_set_hexpand (self->log_button, TRUE);
  gtk_box_append (GTK_BOX (buttons), self->dismiss_button);
  gtk_box_append (GTK_BOX (buttons), self->log_button);

  gtk_box_append (GTK_BOX (content), self->title_label);
  gtk_box_append (GTK_BOX (content), self->detail_label);
  gtk_box_append (GTK_BOX (content), self->popover_bar);
  gtk_box_append (GTK_BOX (content), self->error_label);
  gtk_box_append (GTK_BOX (content), buttons);
  gtk_widget_set_margin_start (content, 6);
  gtk_widget_set_margin_end (content, 6);
  gtk_widget_set_margin_top (content, 6);
  gtk_widget_set_margin_bottom (content, 6);
  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), content);

  self->button = gtk_menu_button_new ();
  gtk_widget_set_name (self->button, "sync-indicator-button");
  gtk_widget_add_css_class (self->button, "flat");
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->button), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
  adw_bin_set_child (ADW_BIN (self), self->button);
}

static void
sb_sync_indicator_dispose (GObject *object)
{
  SbSyncIndicator *self = SB_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->show_id, g_source_remove);
  g_clear_handle_id (&self->hide_id, g_source_remove);
  if (self->activity != NULL)
    g_signal_handlers_disconnect_by_data (self->activity, self);
  g_clear_object (&self->activity);
  G_OBJECT_CLASS (sb_sync_indicator_parent_class)->dispose (object);
}

static void
sb_sync_indicator_finalize (GObject *object)
{
  SbSyncIndicator *self = SB_SYNC_INDICATOR (object);

  g_free (self->text);
  G_OBJECT_CLASS (sb_sync_indicator_parent_class)->finalize (object);
}

static void
sb_sync_indicator_class_init (SbSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_sync_indicator_dispose;
  object_class->finalize = sb_sync_indicator_finalize;
}

static void
sb_sync_indicator_init (SbSyncIndicator *self)
{
  build (self);
}

GtkWidget *
sb_sync_indicator_new (SbSyncActivity *activity)
{
  SbSyncIndicator *self;

  g_return_val_if_fail (SB_IS_SYNC_ACTIVITY (activity), NULL);

  self = g_object_new (SB_TYPE_SYNC_INDICATOR, NULL);
  gtk_widget_set_name (GTK_WIDGET (self), "sync-indicator");
  self->activity = g_object_ref (activity);
  g_signal_connect_swapped (activity, "changed", G_CALLBACK (on_activity_changed), self);
  on_activity_changed (self);
  return GTK_WIDGET (self);
}
