/* sb-empty-state.c
 *
 * The buttons stand one under the other, as wide as the widest: a GtkFlowBox would put them
 * side by side only where the widest fits twice, which a long label rarely does, and the
 * column reads the same at 360 px as in a wide window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-empty-state.h"

#define SB_EMPTY_STATE_BOX "sb-empty-state-box"

static GtkWidget *
get_box (AdwStatusPage *page, gboolean create)
{
  GtkWidget *box = g_object_get_data (G_OBJECT (page), SB_EMPTY_STATE_BOX);

  if (box != NULL || !create)
    return box;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_name (box, "empty-actions");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  adw_status_page_set_child (page, box);
  g_object_set_data (G_OBJECT (page), SB_EMPTY_STATE_BOX, box);
  return box;
}

GtkWidget *
sb_empty_state_add_button (AdwStatusPage *page, const char *label, const char *detailed_action)
{
  GtkWidget *box;
  GtkWidget *button;
  GtkWidget *text;

  g_return_val_if_fail (ADW_IS_STATUS_PAGE (page), NULL);
  g_return_val_if_fail (label != NULL && detailed_action != NULL, NULL);

  box = get_box (page, TRUE);
  button = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_name (button, "empty-action");
  gtk_widget_add_css_class (button, "pill");
  /* One step is the one most users want; the others are there without competing with it. */
  if (gtk_widget_get_first_child (box) == NULL)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (button), detailed_action);
  /* "Synchronize with Dynamics 365 Sales…" is wider than a phone: it takes two lines there
   * rather than make every page of the window wider (a stack measures its hidden pages too). */
  text = gtk_button_get_child (GTK_BUTTON (button));
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

void
sb_empty_state_clear_buttons (AdwStatusPage *page)
{
  GtkWidget *box;
  GtkWidget *child;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  box = get_box (page, FALSE);
  if (box == NULL)
    return;
  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}
