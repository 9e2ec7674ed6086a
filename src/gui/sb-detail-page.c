/* sb-detail-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-detail-page.h"

struct _SbDetailPage
{
  GtkBox parent_instance;

  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  AdwPreferencesPage *preferences_page;
  GPtrArray *groups; /* what sb_detail_page_clear() removes */
};

G_DEFINE_FINAL_TYPE (SbDetailPage, sb_detail_page, GTK_TYPE_BOX)

static void
sb_detail_page_finalize (GObject *object)
{
  SbDetailPage *self = SB_DETAIL_PAGE (object);

  g_ptr_array_unref (self->groups);
  G_OBJECT_CLASS (sb_detail_page_parent_class)->finalize (object);
}

static void
sb_detail_page_class_init (SbDetailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sb_detail_page_finalize;

  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-detail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbDetailPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SbDetailPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SbDetailPage, preferences_page);
}

static void
sb_detail_page_init (SbDetailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
}

GtkWidget *
sb_detail_page_new (const char *title, const char *subtitle)
{
  SbDetailPage *self = g_object_new (SB_TYPE_DETAIL_PAGE, NULL);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  return GTK_WIDGET (self);
}

const char *
sb_detail_page_get_title (SbDetailPage *self)
{
  g_return_val_if_fail (SB_IS_DETAIL_PAGE (self), NULL);
  return adw_window_title_get_title (self->window_title);
}

const char *
sb_detail_page_get_subtitle (SbDetailPage *self)
{
  g_return_val_if_fail (SB_IS_DETAIL_PAGE (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

void
sb_detail_page_add_heading (SbDetailPage *self, const char *icon_name)
{
  AdwPreferencesGroup *group;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;
  const char *title = adw_window_title_get_title (self->window_title);

  g_return_if_fail (SB_IS_DETAIL_PAGE (self));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (icon_name == NULL)
    image = adw_avatar_new (96, title, TRUE);
  else
    {
      image = gtk_image_new_from_icon_name (icon_name);
      gtk_image_set_pixel_size (GTK_IMAGE (image), 96);
      gtk_widget_add_css_class (image, "dim-label");
    }
  gtk_box_append (GTK_BOX (box), image);

  label = gtk_label_new (title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "title-1");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (adw_window_title_get_subtitle (self->window_title));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_add (group, box);
  adw_preferences_page_add (self->preferences_page, group);
  g_ptr_array_add (self->groups, group);
}

AdwPreferencesGroup *
sb_detail_page_add_group (SbDetailPage *self, const char *title)
{
  AdwPreferencesGroup *group;

  g_return_val_if_fail (SB_IS_DETAIL_PAGE (self), NULL);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  if (title != NULL)
    adw_preferences_group_set_title (group, title);
  adw_preferences_page_add (self->preferences_page, group);
  g_ptr_array_add (self->groups, group);
  return group;
}

void
sb_detail_page_add_header_widget (SbDetailPage *self, GtkWidget *widget)
{
  g_return_if_fail (SB_IS_DETAIL_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  adw_header_bar_pack_end (self->header_bar, widget);
}

void
sb_detail_page_clear (SbDetailPage *self)
{
  g_return_if_fail (SB_IS_DETAIL_PAGE (self));

  /* The page owns the groups; the array only points at them. */
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->preferences_page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
}

GtkWidget *
sb_detail_page_add_value_row (AdwPreferencesGroup *group, const char *title, const char *value,
                              gboolean numeric)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label;
  gboolean blank = value == NULL || *value == '\0';

  /* Stored text is not markup: a customer called "Smith & Sons" must show
   * as it is. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  label = gtk_label_new (blank ? "—" : value);
  gtk_label_set_selectable (GTK_LABEL (label), !blank);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  adw_preferences_group_add (group, row);
  return row;
}

AdwPreferencesGroup *
sb_detail_page_add_fields (SbDetailPage *self, const char *group_title, const SbRecordType *type,
                           gconstpointer record, const char *const *fields,
                           const char *currency_code, SbFieldFormatFunc format)
{
  AdwPreferencesGroup *group;

  g_return_val_if_fail (SB_IS_DETAIL_PAGE (self), NULL);

  group = sb_detail_page_add_group (self, group_title);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const SbField *field = sb_record_type_find_field (type, fields[i]);
      g_autofree char *value = NULL;

      if (field == NULL)
        {
          g_critical ("Record type %s has no field %s", type->table, fields[i]);
          continue;
        }
      if (format != NULL)
        value = format (field, record);
      if (value == NULL)
        value = sb_gui_format_field (field, record, currency_code);
      sb_detail_page_add_value_row (group, field->label != NULL ? _ (field->label) : field->name,
                                    value,
                                    field->choices == NULL && (field->type == SB_FIELD_DECIMAL ||
                                                               field->type == SB_FIELD_INT));
    }
  return group;
}

void
sb_detail_page_add_placeholder_row (AdwPreferencesGroup *group, const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  adw_preferences_group_add (group, row);
}
