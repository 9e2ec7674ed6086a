/* sb-erp-document-link.h: opening an ERP quote or order on its book page, from a toast or
 * another page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-sales-document.h"

G_BEGIN_DECLS

/* Shows ERP document @no of @type on its book page ("orders", "quotes") in @window (an
 * SbWindow), opening its card once the list has it. */
void sb_erp_document_show (GtkWidget *window, SbSalesDocType type, const char *no);
/* Adds "win.open-sales-document" ((is): type, no) to @window (an SbWindow) unless it has it:
 * a toast's button can only name an action of the window, not of the page that showed it. */
void sb_erp_document_add_window_action (GtkWidget *window);

G_END_DECLS
