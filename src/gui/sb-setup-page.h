/* sb-setup-page.h: the Setup page: General Setup (company name, local currency) and Sales &
 * Receivables Setup (number series, write-in product), which the CLI sets with
 * `salesbridge-cli setup general|sales`
 *
 * The page reads and writes the two single setup rows on the window's store: each is one tiny
 * SQLite row, like the other pages' small writes. Validation is the core's
 * (sb_general_setup_update, sb_sales_setup_update); its message is shown on the page and the
 * user's input is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_SETUP_PAGE (sb_setup_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSetupPage, sb_setup_page, SB, SETUP_PAGE, SbPage)

GtkWidget *sb_setup_page_new (SbStore *store);

/* Reads both setups and the item, resource and currency lists again (drops unsaved input). */
void sb_setup_page_reload (SbSetupPage *self);
/* Saves both setups; FALSE (and the core's error shown on the page) when refused. */
gboolean sb_setup_page_save (SbSetupPage *self);
/* The error shown, or NULL. */
const char *sb_setup_page_get_error (SbSetupPage *self);

G_END_DECLS
