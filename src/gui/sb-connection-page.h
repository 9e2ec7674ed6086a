/* sb-connection-page.h: the Connection page: the Dynamics 365 Sales connection's state and
 * every setting, with Test, Enable and Disable
 *
 * The page works on the window's store on the main thread; keyring calls and the checks run
 * in the background (SbConnectionManager), and a running test or enable is cancelled when the
 * page is left.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-connection-check-list.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_CONNECTION_PAGE (sb_connection_page_get_type ())
G_DECLARE_FINAL_TYPE (SbConnectionPage, sb_connection_page, SB, CONNECTION_PAGE, SbPage)

GtkWidget *sb_connection_page_new (SbStore *store);

/* Reads the settings from the store again and asks the keyring which secrets it has. */
void sb_connection_page_reload (SbConnectionPage *self);
/* Opens the assisted setup over the page's window; the page reloads when it closes. Returns
 * the setup window (owned by GTK). */
GtkWindow *sb_connection_page_open_assisted_setup (SbConnectionPage *self);

/* For tests: TRUE while a test, an enable or a save runs. */
gboolean sb_connection_page_is_busy (SbConnectionPage *self);
/* "not-set-up", "disabled" or "enabled". */
const char *sb_connection_page_get_state (SbConnectionPage *self);
SbConnectionCheckList *sb_connection_page_get_check_list (SbConnectionPage *self);

G_END_DECLS
