/* sb-availability-error.h: errors of the item availability web service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_AVAILABILITY_ERROR (sb_availability_error_quark ())
GQuark sb_availability_error_quark (void);

typedef enum
{
  SB_AVAILABILITY_ERROR_INVALID_QUERY,  /* HTTP 400: a malformed or unsupported query */
  SB_AVAILABILITY_ERROR_NOT_FOUND,      /* HTTP 404: no such resource or item */
  SB_AVAILABILITY_ERROR_NOT_CONFIGURED, /* no user name or access key: cannot start */
  SB_AVAILABILITY_ERROR_ADDRESS,        /* the address cannot be bound (in use, invalid) */
} SbAvailabilityError;

G_END_DECLS
