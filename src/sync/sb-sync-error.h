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
  SB_SYNC_ERROR_FAILED,         /* anything not listed below */
  SB_SYNC_ERROR_KEYRING,        /* no Secret Service, or the keyring is locked or refused */
  SB_SYNC_ERROR_NOT_CONFIGURED, /* a setting or the client secret is missing */
  SB_SYNC_ERROR_CHECK_FAILED,   /* a connection check failed; the check object has details */
  SB_SYNC_ERROR_DISABLED,       /* the connection is not enabled */
} SbSyncError;

GQuark sb_sync_error_quark (void);

G_END_DECLS
