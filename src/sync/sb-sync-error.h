/* sb-sync-error.h: errors of the sync layer (connection setup, keyring, checks, jobs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_SYNC_ERROR (sb_sync_error_quark ())

typedef enum
{
  SB_SYNC_ERROR_FAILED,          /* anything not listed below */
  SB_SYNC_ERROR_KEYRING,         /* no Secret Service, or the keyring is locked or refused */
  SB_SYNC_ERROR_NOT_CONFIGURED,  /* a setting or the client secret is missing */
  SB_SYNC_ERROR_CHECK_FAILED,    /* a connection check failed; the check object has details */
  SB_SYNC_ERROR_DISABLED,        /* the connection is not enabled */
  SB_SYNC_ERROR_UNKNOWN_MAPPING, /* no integration table mapping by that name */
  SB_SYNC_ERROR_INVALID_MAPPING, /* a mapping or field mapping setting is not acceptable */
  SB_SYNC_ERROR_NOT_COUPLED,     /* a record (or a lookup it needs) is not coupled */
  SB_SYNC_ERROR_ALREADY_COUPLED, /* the record or the Dataverse row is coupled already */
  SB_SYNC_ERROR_NO_MATCH,        /* match-based coupling found none, several or a coupled one */
  SB_SYNC_ERROR_CONFLICT,        /* both sides changed, or the counterpart was deleted */
  SB_SYNC_ERROR_NOT_SUPPORTED,   /* the mapping's transfer is not implemented yet */
  SB_SYNC_ERROR_LOCKED,          /* another job queue runner holds the database's lock */
  SB_SYNC_ERROR_INCOMPLETE,      /* a full synchronization left lines unfinished */
} SbSyncError;

GQuark sb_sync_error_quark (void);

G_END_DECLS
