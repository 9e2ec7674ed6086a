/* sb-empty-state.h: the next steps under an empty list's AdwStatusPage
 *
 * Every list of the app says, when it is empty, what to do next with one or more buttons under
 * its message (issue 9).  They share one look: the first is the suggested pill, the others plain
 * pills, one under the other, so they fit a phone's 360 px as well as a wide window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Appends a button labelled @label (translated, with a mnemonic) that runs @detailed_action
 * ("win.show-page::customers", "coupling.filter(-1)") under @page's message; returns it.  The
 * buttons are named "empty-action" for tests and screenshots. */
GtkWidget *sb_empty_state_add_button (AdwStatusPage *page, const char *label,
                                      const char *detailed_action);
/* Removes the buttons sb_empty_state_add_button() added. */
void sb_empty_state_clear_buttons (AdwStatusPage *page);

G_END_DECLS
