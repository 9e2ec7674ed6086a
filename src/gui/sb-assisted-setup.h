/* sb-assisted-setup.h: the assisted setup of the Dynamics 365 Sales connection
 *
 * A modal window of six steps: what you need; connection details; a test with every check of
 * integration-behaviour.md §8 (Next only once all pass); what synchronization will cover; order
 * and quote automation; and the finish, which saves the settings (the secret to the keyring),
 * enables the connection (reading Dataverse's base currency) and sums up. Network and keyring
 * work runs in the background; the store is written on the main thread, which owns it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"

G_BEGIN_DECLS

#define SB_TYPE_ASSISTED_SETUP (sb_assisted_setup_get_type ())
G_DECLARE_FINAL_TYPE (SbAssistedSetup, sb_assisted_setup, SB, ASSISTED_SETUP, AdwWindow)

typedef enum
{
  SB_SETUP_STEP_WELCOME,
  SB_SETUP_STEP_DETAILS,
  SB_SETUP_STEP_TEST,
  SB_SETUP_STEP_SYNC,
  SB_SETUP_STEP_AUTOMATION,
  SB_SETUP_STEP_FINISH,
  SB_SETUP_N_STEPS,
} SbSetupStep;

/* @parent: the main window it is modal to (may be NULL). */
GtkWidget *sb_assisted_setup_new (SbStore *store, GtkWindow *parent);

SbSetupStep sb_assisted_setup_get_step (SbAssistedSetup *self);
/* TRUE while the test, the save or the enable runs. */
gboolean sb_assisted_setup_is_busy (SbAssistedSetup *self);
/* TRUE once the finish step enabled the connection. */
gboolean sb_assisted_setup_get_connected (SbAssistedSetup *self);

G_END_DECLS
