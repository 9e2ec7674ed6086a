/* sb-company-manager.h: the Companies dialog: list, create and switch company databases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SB_TYPE_COMPANY_MANAGER (sb_company_manager_get_type ())
G_DECLARE_FINAL_TYPE (SbCompanyManager, sb_company_manager, SB, COMPANY_MANAGER, AdwWindow)

/* Lists the companies in @dir over @parent (which shows @current_path, may be NULL). Choosing
 * one, or creating one, emits "open" with its path; the dialog then closes. */
SbCompanyManager *sb_company_manager_new (GtkWindow *parent, const char *dir,
                                          const char *current_path);
/* TRUE while the list is read or a company is created, on a worker thread. */
gboolean sb_company_manager_is_busy (SbCompanyManager *self);

G_END_DECLS
