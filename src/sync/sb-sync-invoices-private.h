/* sb-sync-invoices-private.h: what the invoice, statistics and solution files share (same layer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sync-invoices.h"
#include "sb-sync-run-private.h"

G_BEGIN_DECLS

/* A name-based GUID (SHA-1 of @name, RFC 4122 version 5 layout): the same name always gives
 * the same id, which is what makes the rows derived from one record (an invoice's lines, a
 * customer's statistics row) upserts that a retry cannot duplicate. */
char *sb_sync_name_uuid (const char *name);

/* The POSTEDSALESINV-INV mapping run by the engine, the job queue and the full
 * synchronization: every invoice not in Sales yet, and the status of those that are. The line
 * mapping (POSTEDSALESLINE-INV) goes with its header and does nothing on its own. */
gboolean sb_sync_invoices_run_mapping (SbSyncEngine *self, SbStore *store, const char *name,
                                       gboolean full, GMainContext *progress_context,
                                       SbSyncCounters *out_counters, GCancellable *cancellable,
                                       GError **error);

/* Brings the Sales status of the invoices of @customer_no (coupled to @account_id) that were
 * sent to Sales up to date with the ledger; changes are counted as modified in @run (a run of
 * the POSTEDSALESINV-INV mapping), failures as failed. */
gboolean sb_sync_invoices_refresh_statuses (Run *run, const char *customer_no,
                                            const char *account_id, GError **error);

/* Update Account Statistics on @store (owned by the calling thread); @customer_nos NULL: all
 * coupled customers, and then the ledger's change number is recorded for the job. */
gboolean sb_sync_statistics_update (SbSyncEngine *self, SbStore *store,
                                    const char *const *customer_nos, GMainContext *progress_context,
                                    SbSyncCounters *out_counters, GCancellable *cancellable,
                                    GError **error);
/* The Customer Statistics job (§2): it exists once the solution is deployed, and has work only
 * when the customer ledger changed since the last update of all customers. */
gboolean sb_sync_statistics_job_available (SbStore *store);
gboolean sb_sync_statistics_ledger_changed (SbStore *store, gboolean *out_changed, GError **error);

/* A store of its own for a worker thread of an _async function, on the engine's file. */
SbStore *sb_sync_worker_store (SbSyncEngine *self, GError **error);

/* Tests only: the next invoice creation fails right after its request succeeded, as if the
 * process had been killed before it could record the result. */
void sb_sync_invoices_fail_after_next_create (void);

G_END_DECLS
