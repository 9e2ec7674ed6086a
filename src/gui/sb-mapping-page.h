/* sb-mapping-page.h: the integration table mappings, their settings and synchronization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_MAPPING_PAGE (sb_mapping_page_get_type ())
G_DECLARE_FINAL_TYPE (SbMappingPage, sb_mapping_page, SB, MAPPING_PAGE, SbPage)

/* @store: the window's; the list is read by a worker on a store of its own, each time the page
 * is shown. */
GtkWidget *sb_mapping_page_new (SbStore *store);

/* Reads the mappings and their status again. */
void sb_mapping_page_reload (SbMappingPage *self);
/* TRUE while reading or synchronizing. */
gboolean sb_mapping_page_is_busy (SbMappingPage *self);
/* "loading", "disabled" (the connection is off), "list" or "error". */
const char *sb_mapping_page_get_state (SbMappingPage *self);
/* Opens the settings of mapping @name; returns the detail page, or NULL. */
GtkWidget *sb_mapping_page_open_detail (SbMappingPage *self, const char *name);
/* Starts synchronizing mapping @name in its own direction. */
void sb_mapping_page_synchronize (SbMappingPage *self, const char *name);
/* The last message shown as a toast, or NULL. */
const char *sb_mapping_page_get_last_message (SbMappingPage *self);

G_END_DECLS
