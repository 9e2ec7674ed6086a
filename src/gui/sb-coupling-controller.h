/* sb-coupling-controller.h: the coupling of a book's records with Dynamics 365 Sales, on its
 * list page and cards
 *
 * Attached to an SbRecordListPage by its spec's "extend" hook, it adds a coupling status
 * column with a filter, a header menu and a context menu with the coupling actions (set up,
 * match-based, create in Sales, synchronize now, uncouple, open in Sales). Every action runs
 * on a worker thread with a store connection and an SbSyncEngine of its own, since the engine's
 * calls and the keyring block; results come back as toasts and a reloaded status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-detail-page.h"
#include "sb-record-list-page.h"

G_BEGIN_DECLS

typedef struct
{
  const char *mapping;      /* the integration table mapping: "CUSTOMER" */
  const char *create_label; /* N_() marked: "Create Account in Sales" */
} SbCouplingSpec;

typedef enum
{
  SB_COUPLING_STATUS_NOT_COUPLED,
  SB_COUPLING_STATUS_COUPLED,
  SB_COUPLING_STATUS_SKIPPED,
  SB_COUPLING_STATUS_CONFLICT,
  SB_COUPLING_STATUS_ERROR,
} SbCouplingStatus;

/* "Coupled", "Not Coupled", … translated. */
const char *sb_coupling_status_get_label (SbCouplingStatus status);

/* The web address of Dataverse row @id of @entity_set in the Sales web client. */
char *sb_coupling_get_record_url (const char *sales_url, const char *entity_set, const char *id);

#define SB_TYPE_COUPLING_CONTROLLER (sb_coupling_controller_get_type ())
G_DECLARE_FINAL_TYPE (SbCouplingController, sb_coupling_controller, SB, COUPLING_CONTROLLER,
                      GObject)

/* Adds the column, filter and actions to @page, which keeps the controller. */
SbCouplingController *sb_coupling_controller_attach (SbRecordListPage *page,
                                                     const SbCouplingSpec *spec);
/* The controller of @page, or NULL. */
SbCouplingController *sb_coupling_controller_get (SbRecordListPage *page);

/* Reads the statuses again (in a worker). */
void sb_coupling_controller_reload (SbCouplingController *self);
/* TRUE while statuses are read or an action runs. */
gboolean sb_coupling_controller_is_busy (SbCouplingController *self);
/* TRUE once a status read found the connection enabled. */
gboolean sb_coupling_controller_get_connection_enabled (SbCouplingController *self);
SbCouplingStatus sb_coupling_controller_get_status (SbCouplingController *self,
                                                    const char *erp_key);
/* Shows only rows of @status; -1: every row. */
void sb_coupling_controller_set_filter (SbCouplingController *self, int status);
/* The "coupling" actions: set-up, match, create, sync-now, uncouple, open. */
GActionGroup *sb_coupling_controller_get_actions (SbCouplingController *self);
/* The last message an action reported (as its toast), or NULL. */
const char *sb_coupling_controller_get_last_message (SbCouplingController *self);

/* A card's "Dynamics 365 Sales" group for record @erp_key, with the actions as rows (they act
 * on the card's record). Reads the coupling from @store (the card's). */
void sb_coupling_add_detail_group (SbDetailPage *page, SbStore *store, const SbCouplingSpec *spec,
                                   const char *erp_key);

G_END_DECLS
