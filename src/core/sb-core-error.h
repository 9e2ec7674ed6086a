/* sb-core-error.h: errors of the core layer (store and ERP books)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_CORE_ERROR (sb_core_error_quark ())

typedef enum
{
  SB_CORE_ERROR_FAILED,      /* the database failed (I/O, corruption, locked) */
  SB_CORE_ERROR_VERSION,     /* the database was made by a newer Salesbridge */
  SB_CORE_ERROR_INVALID,     /* a value the user gave is not acceptable */
  SB_CORE_ERROR_NOT_FOUND,   /* the record does not exist */
  SB_CORE_ERROR_EXISTS,      /* a record with that key already exists */
  SB_CORE_ERROR_IN_USE,      /* the record is still referenced elsewhere */
  SB_CORE_ERROR_WRONG_STATE, /* e.g. posting an order that is not released */
} SbCoreError;

GQuark sb_core_error_quark (void);

G_END_DECLS
