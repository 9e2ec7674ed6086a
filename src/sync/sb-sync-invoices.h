/* sb-sync-invoices.h: posted invoices, payments and account statistics sent to Dynamics 365 Sales
 *
 * integration-behaviour.md §7:
 *
 *  - "Create Invoice in Sales": a posted sales invoice becomes a Dataverse invoice with its lines
 *    (item and resource lines as their coupled products, other lines as write-in products),
 *    linked to the Sales order and opportunity when the invoice came from an order coupled in
 *    the SALESORDER-ORDER mapping. The invoice id is chosen and committed (a pending coupling in
 *    the POSTEDSALESINV-INV mapping) before the request, and the header and its lines are
 *    upserts of ids derived from it, sent as one atomic changeset: a run killed half-way is
 *    finished by the next one without a duplicate.
 *  - The invoice's status follows its customer ledger entry: unpaid Active/Billed, part paid
 *    Paid/Partial, paid Paid/Complete. A Paid invoice is read-only in Dataverse, so it is set
 *    back to Active/Billed before it changes again (a reversed payment leaves it there).
 *  - "Update Account Statistics" refreshes those statuses and writes the customer's statistics
 *    (sb-statistics.h) to the integration solution's table (sb-sync-solution.h), one row per
 *    coupled customer.
 *
 * Threads: the _sync functions block and run on the thread that owns the engine's store. The
 * _async twins open their own store on the same file on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sync-engine.h"

G_BEGIN_DECLS

#define SB_SYNC_INVOICE_MAPPING "POSTEDSALESINV-INV"
#define SB_SYNC_INVOICE_LINE_MAPPING "POSTEDSALESLINE-INV"

/* Creates posted invoice @invoice_no in Sales (its customer too when it is not coupled yet) or,
 * when it is there already, only brings its status up to date. Returns the Dataverse invoice
 * id. */
char *sb_sync_engine_send_invoice_sync (SbSyncEngine *self, const char *invoice_no,
                                        GCancellable *cancellable, GError **error);
void sb_sync_engine_send_invoice_async (SbSyncEngine *self, const char *invoice_no,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
char *sb_sync_engine_send_invoice_finish (SbSyncEngine *self, GAsyncResult *result, GError **error);

/* Every posted invoice of a coupled customer that is not in Sales yet (inserted), and the
 * status of those sent before (modified when it changed). An invoice that fails is counted and
 * logged, and does not stop the others. */
gboolean sb_sync_engine_send_invoices_sync (SbSyncEngine *self, SbSyncCounters *out_counters,
                                            GCancellable *cancellable, GError **error);
void sb_sync_engine_send_invoices_async (SbSyncEngine *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_sync_engine_send_invoices_finish (SbSyncEngine *self, GAsyncResult *result,
                                              SbSyncCounters *out_counters, GError **error);

/* Update Account Statistics of @customer_nos (NULL: every coupled customer): the status of
 * their invoices in Sales and one statistics row each (inserted or modified). Needs the
 * integration solution (SB_SYNC_ERROR_NOT_CONFIGURED when it is not deployed). */
gboolean sb_sync_engine_update_account_statistics_sync (SbSyncEngine *self,
                                                        const char *const *customer_nos,
                                                        SbSyncCounters *out_counters,
                                                        GCancellable *cancellable, GError **error);
void sb_sync_engine_update_account_statistics_async (SbSyncEngine *self,
                                                     const char *const *customer_nos,
                                                     GCancellable *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer user_data);
gboolean sb_sync_engine_update_account_statistics_finish (SbSyncEngine *self, GAsyncResult *result,
                                                          SbSyncCounters *out_counters,
                                                          GError **error);

G_END_DECLS
