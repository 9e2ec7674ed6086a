/* sb-page.h: what every page of the window's sidebar has in common
 *
 * The window folds its sidebar away in a narrow window and tells each page through "folded"; a
 * folded page shows the way back to the sidebar in its header bar.  Pages derive from SbPage
 * instead of each keeping that property and its button themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SB_TYPE_PAGE (sb_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (SbPage, sb_page, SB, PAGE, AdwBin)

struct _SbPageClass
{
  AdwBinClass parent_class;

  /* Called after "folded" changed, for a page that rearranges itself when narrow. */
  void (*folded_changed) (SbPage *self);

  gpointer padding[4];
};

gboolean sb_page_get_folded (SbPage *self);
/* Set by the window (bound to its leaflet's "folded"). */
void sb_page_set_folded (SbPage *self, gboolean folded);
/* Puts the button back to the sidebar ("sidebar-button") at the start of @header_bar, shown
 * while the page is folded; returns it. */
GtkWidget *sb_page_add_back_button (SbPage *self, AdwHeaderBar *header_bar);

G_END_DECLS
