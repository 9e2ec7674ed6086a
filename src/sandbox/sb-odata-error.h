/* sb-odata-error.h: the error domain of the sandbox's OData query and $batch codecs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_ODATA_ERROR (sb_odata_error_quark ())

/* Every code maps to HTTP 400 Bad Request in the server; the message is meant to be shown to
 * the client as is (in Dataverse's wording where Dataverse has one). */
typedef enum
{
  SB_ODATA_ERROR_SYNTAX,            /* malformed $filter/$orderby/$select/key text */
  SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE, /* a property the entity does not have */
  SB_ODATA_ERROR_TYPE_MISMATCH,     /* literal or operand of the wrong type */
  SB_ODATA_ERROR_UNSUPPORTED,       /* valid OData that Dataverse does not support */
  SB_ODATA_ERROR_BAD_BATCH,         /* malformed multipart/mixed $batch body */
} SbODataError;

GQuark sb_odata_error_quark (void);

G_END_DECLS
