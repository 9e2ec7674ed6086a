/* sb-dataverse-error.h: errors of the Dataverse Web API client.
 *
 * Every error of this layer is in SB_DATAVERSE_ERROR, except cancellation, which stays
 * G_IO_ERROR_CANCELLED as everywhere in GIO. Errors that came from an HTTP answer also carry
 * the HTTP status and Dataverse's error code (e.g. "0x80040217"; "AADSTS7000215" for the sign-in
 * service), kept in the GError itself (an extended error domain, GLib 2.68), so they survive
 * g_error_copy() and GTask.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_DATAVERSE_ERROR (sb_dataverse_error_quark ())

typedef enum
{
  SB_DATAVERSE_ERROR_FAILED,       /* anything not listed below */
  SB_DATAVERSE_ERROR_INVALID_URL,  /* not a URL, or plain http:// to a host that is not loopback */
  SB_DATAVERSE_ERROR_NETWORK,      /* cannot connect, connection lost, timeout */
  SB_DATAVERSE_ERROR_TLS,          /* the server's certificate is not trusted */
  SB_DATAVERSE_ERROR_AUTH,         /* the sign-in service refused the tenant, client id or secret */
  SB_DATAVERSE_ERROR_UNAUTHORIZED, /* 401 from Dataverse even with a fresh token */
  SB_DATAVERSE_ERROR_FORBIDDEN,    /* 403: a privilege is missing */
  SB_DATAVERSE_ERROR_NOT_FOUND,    /* 404: the record (or entity set) does not exist */
  SB_DATAVERSE_ERROR_CONFLICT,     /* 412 on If-Match: the record was changed by someone else */
  SB_DATAVERSE_ERROR_DUPLICATE,    /* a record with that id or key already exists */
  SB_DATAVERSE_ERROR_BAD_REQUEST,  /* 400 and other 4xx: Dataverse refused the request */
  SB_DATAVERSE_ERROR_THROTTLED,    /* 429/503 and retries exhausted or Retry-After too far away */
  SB_DATAVERSE_ERROR_SERVER,       /* 5xx */
  SB_DATAVERSE_ERROR_BAD_RESPONSE, /* malformed, truncated or unexpected answer */
  SB_DATAVERSE_ERROR_UNSAFE_LINK,  /* a nextLink/deltaLink pointing at another host */
  SB_DATAVERSE_ERROR_DELTA_EXPIRED, /* the delta token is expired or invalid: read everything */
  SB_DATAVERSE_ERROR_ROLLED_BACK,   /* a $batch request undone because its changeset failed */
  SB_DATAVERSE_ERROR_NOT_EXECUTED,  /* a $batch request not attempted after an earlier failure */
} SbDataverseError;

GQuark sb_dataverse_error_quark (void);

/* The HTTP status of the answer the error came from; 0 when there was none. */
guint sb_dataverse_error_get_status (const GError *error);
/* Dataverse's error code ("0x80040217"), the sign-in service's ("AADSTS7000215") or NULL. */
const char *sb_dataverse_error_get_code (const GError *error);

/* Sets an error of @code with the details of an HTTP answer. @message is shown to users. */
void sb_dataverse_error_set (GError **error, SbDataverseError code, guint status,
                             const char *server_code, const char *message);

G_END_DECLS
