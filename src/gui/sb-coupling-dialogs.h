/* sb-coupling-dialogs.h: the questions the coupling actions ask
 *
 * Each dialog is modal over @parent; what it needs from Dynamics 365 Sales is read on a worker
 * thread while it shows a spinner, and the answer comes back through the callback (never
 * called when the user cancels).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-store.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

/* An engine on @store (owned by the calling worker thread) with the stored, enabled connection
 * and the keyring's secret. Blocks on the keyring. */
SbSyncEngine *sb_coupling_open_engine (SbStore *store, GCancellable *cancellable, GError **error);

/* The keys @mapping's couplings hold on one side (ERP keys with @erp_side, else Dataverse ids),
 * as a set of strings, of the coupled records only. On a worker's store. */
GHashTable *sb_coupling_read_coupled (SbStore *store, const char *mapping, gboolean erp_side,
                                      GError **error);
/* What a bulk action says when @n_failed of its records failed: the error alone for one
 * record, else how many failed and the first error; NULL when none failed. */
char *sb_coupling_describe_failures (guint n_done, guint n_failed, const char *first_error);
/* A compact status page, for the states of the coupling windows. */
GtkWidget *sb_coupling_status_page_new (const char *icon_name, const char *title,
                                        const char *description);

/* Match-based coupling: the fields to match on and the options, as the user chose them. */
typedef struct
{
  GPtrArray *match_fields; /* ERP field names, in priority order */
  gboolean create_if_no_match;
  gboolean sync_after_coupling;
} SbCouplingMatchOptions;

void sb_coupling_match_options_free (SbCouplingMatchOptions *options);
/* Saves @options into @mapping's settings (validated by the engine). On a worker's store. */
gboolean sb_coupling_match_options_apply (const SbCouplingMatchOptions *options, SbStore *store,
                                          const char *mapping, GError **error);

typedef void (*SbCouplingPickedFunc) (const char *dataverse_id, gpointer user_data);
typedef void (*SbCouplingMatchFunc) (SbCouplingMatchOptions *options, gpointer user_data);
typedef void (*SbCouplingWinnerFunc) (SbSyncDirection winner, gpointer user_data);

/* Set Up Coupling: a searchable list of the mapping's Sales rows not coupled yet, read in a
 * worker. @destroy frees @user_data when the window closes. */
GtkWidget *sb_coupling_show_picker (GtkWindow *parent, const char *db_path, const char *mapping,
                                    const char *erp_key, SbCouplingPickedFunc callback,
                                    gpointer user_data, GDestroyNotify destroy);
/* Couple from the Sales side: a searchable list of the mapping's ERP records (in its ERP
 * filter) not coupled yet, read in a worker; the callback gets the chosen ERP key. @sales_title
 * names the Sales row being coupled. */
GtkWidget *sb_coupling_show_erp_picker (GtkWindow *parent, const char *db_path, const char *mapping,
                                        const char *sales_title, SbCouplingPickedFunc callback,
                                        gpointer user_data, GDestroyNotify destroy);
/* Match-Based Coupling: match fields and options, read from @store (the window's). */
GtkWidget *sb_coupling_show_match_dialog (GtkWindow *parent, SbStore *store, const char *mapping,
                                          SbCouplingMatchFunc callback, gpointer user_data);
GtkWidget *sb_coupling_show_match_result (GtkWindow *parent, const SbSyncCounters *counters);
/* Synchronize Now: which side wins (of those @direction, the mapping's, allows). With @erp_key
 * (one record), both sides' values are read in a worker and shown side by side; else it names
 * @n_records. */
GtkWidget *sb_coupling_show_sync_now_dialog (GtkWindow *parent, const char *db_path,
                                             const char *mapping, SbSyncDirection direction,
                                             const char *erp_key, guint n_records,
                                             SbCouplingWinnerFunc callback, gpointer user_data);
/* Uncouple: a confirmation (the callback's direction means nothing). */
GtkWidget *sb_coupling_show_uncouple_dialog (GtkWindow *parent, guint n_records,
                                             SbCouplingWinnerFunc callback, gpointer user_data);

G_END_DECLS
