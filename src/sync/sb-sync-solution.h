/* sb-sync-solution.h: the integration solution deployed to Dynamics 365 Sales
 *
 * integration-behaviour.md §7–8: Salesbridge's own custom table for the account statistics
 * (publisher prefix "sb_"), its columns and its lookup to the account, created through the
 * Dataverse metadata Web API (POST EntityDefinitions with the primary name column, POST
 * EntityDefinitions(…)/Attributes, POST RelationshipDefinitions for the lookup); and the
 * integration user's roles. Deploying compares what exists with what should and creates only
 * what is missing, so deploying twice changes nothing and a deployment that stopped half-way
 * is completed by the next one. Redeploying also assigns the integration roles again.
 *
 * The result is recorded in the connection setup (solution_deployed) and in the table
 * integration_solution (schema step 9).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sync-engine.h"

G_BEGIN_DECLS

/* Bumped whenever the solution's definition changes (a new column…). */
#define SB_SYNC_SOLUTION_VERSION 1
#define SB_SYNC_STATISTICS_TABLE "sb_accountstatistics"
#define SB_SYNC_STATISTICS_LOOKUP "sb_accountid"
/* The lookup's navigation property (its schema name, as Dataverse names it). */
#define SB_SYNC_STATISTICS_NAVIGATION "sb_AccountId"

typedef enum
{
  SB_SYNC_SOLUTION_NOT_DEPLOYED = 0,
  SB_SYNC_SOLUTION_PARTIAL = 1, /* some of its parts exist */
  SB_SYNC_SOLUTION_DEPLOYED = 2,
} SbSyncSolutionState;

typedef struct
{
  SbSyncSolutionState state;
  guint version;     /* of the definition deployed; 0 when never deployed */
  char *entity_set;  /* of the statistics table, "" until known */
  char *deployed_at; /* ISO 8601 UTC, "" when never deployed */
  gboolean roles_ok; /* the integration user had the integration roles */
  guint n_missing;   /* after a check: tables, columns and relationships not in Sales */
  char *message;     /* what is missing or wrong, "" when nothing */
  /* What the last deployment created. */
  guint created_tables;
  guint created_columns;
  guint created_relationships;
  guint assigned_roles;
} SbSyncSolutionStatus;

void sb_sync_solution_status_free (SbSyncSolutionStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSyncSolutionStatus, sb_sync_solution_status_free)

/* What the database recorded of the last deployment (no network). */
SbSyncSolutionStatus *sb_sync_solution_get_recorded (SbStore *store, GError **error);

/* Reads from Dataverse what of the solution exists, and records it. */
SbSyncSolutionStatus *
sb_sync_engine_check_solution_sync (SbSyncEngine *self, GCancellable *cancellable, GError **error);
void sb_sync_engine_check_solution_async (SbSyncEngine *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
SbSyncSolutionStatus *sb_sync_engine_check_solution_finish (SbSyncEngine *self,
                                                            GAsyncResult *result, GError **error);

/* Deploys (creates what is missing) and checks the integration roles; with @redeploy also
 * assigns the integration roles to the integration user again. Returns the status reached, or
 * NULL with @error (also when the roles are missing after a deployment: the tables are there,
 * the error says what to do about the roles). */
SbSyncSolutionStatus *sb_sync_engine_deploy_solution_sync (SbSyncEngine *self, gboolean redeploy,
                                                           GCancellable *cancellable,
                                                           GError **error);
void sb_sync_engine_deploy_solution_async (SbSyncEngine *self, gboolean redeploy,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
SbSyncSolutionStatus *sb_sync_engine_deploy_solution_finish (SbSyncEngine *self,
                                                             GAsyncResult *result, GError **error);

G_END_DECLS
