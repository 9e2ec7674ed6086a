/* sb-sync-coupling.h: the pairs of ERP records and Dataverse rows, with their sync state
 *
 * A row is a coupling when both erp_key and dataverse_id are set. A row with only one of them
 * remembers a record that failed before it could be coupled (so it is retried and can become
 * skipped). "pending" marks a Dataverse id chosen and committed before the create was sent:
 * the create is an upsert of that id, so a retry after a crash never makes a duplicate.
 *
 * Plain functions on the thread that owns the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-store.h"

G_BEGIN_DECLS

typedef enum
{
  SB_SYNC_RESULT_NONE = 0, /* never synchronized (new couplings are sent on the next run) */
  SB_SYNC_RESULT_OK = 1,
  SB_SYNC_RESULT_FAILED = 2,
} SbSyncResult;

typedef struct
{
  gint64 id; /* 0 until saved */
  char *mapping;
  char *erp_key;      /* NULL when only the Dataverse side is known */
  char *dataverse_id; /* NULL when only the ERP side is known */
  char *aux_id;       /* a second Dataverse id (a unit group's base unit), or NULL */
  gboolean pending;
  gint64 erp_change_no;       /* the ERP row's change number at the last sync (also our writes) */
  char *dataverse_modifiedon; /* the Dataverse row's modifiedon at the last sync */
  /* Its row version ("@odata.etag") then: modifiedon has whole seconds only, the version
   * tells two changes within one second apart. */
  gint64 dataverse_version;
  SbSyncResult last_result;
  char *last_error;
  gint64 error_count; /* consecutive runs with last_error */
  gboolean skipped;
  char *synced_at;
} SbSyncCoupling;

void sb_sync_coupling_free (SbSyncCoupling *coupling);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSyncCoupling, sb_sync_coupling_free)

SbSyncCoupling *sb_sync_coupling_new (const char *mapping, const char *erp_key,
                                      const char *dataverse_id);
gboolean sb_sync_coupling_is_coupled (const SbSyncCoupling *coupling);

/* NULL without an error when there is no row. */
SbSyncCoupling *sb_sync_coupling_find_erp (SbStore *store, const char *mapping, const char *erp_key,
                                           GError **error);
SbSyncCoupling *sb_sync_coupling_find_dataverse (SbStore *store, const char *mapping,
                                                 const char *dataverse_id, GError **error);
/* Inserts (id 0, then sets it) or updates by id. */
gboolean sb_sync_coupling_save (SbStore *store, SbSyncCoupling *coupling, GError **error);
gboolean sb_sync_coupling_delete (SbStore *store, gint64 id, GError **error);

/* Rows of @mapping (all when @mapping is NULL) in id order. */
GPtrArray *sb_sync_coupling_list (SbStore *store, const char *mapping, GError **error);
/* Rows of @mapping that were never synchronized or failed, and are not skipped. */
GPtrArray *sb_sync_coupling_list_to_retry (SbStore *store, const char *mapping, GError **error);

G_END_DECLS
