/* sb-availability-auth.h: Basic authentication of the item availability web service
 *
 * Checks the "Authorization: Basic" header (RFC 7617) against the configured user name and
 * access key. Both are kept as SHA-256 digests and compared in constant time, so neither the
 * key nor how much of a guess matched leaks through timing. A client address that fails
 * SB_AVAILABILITY_AUTH_MAX_FAILURES times within SB_AVAILABILITY_AUTH_WINDOW seconds is locked
 * out for SB_AVAILABILITY_AUTH_LOCKOUT seconds, also for correct credentials. A request without
 * credentials is not a failure: clients ask once without, to learn the scheme.
 *
 * Time comes from an injectable clock (seconds), so tests never sleep. Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SB_AVAILABILITY_AUTH_MAX_FAILURES 5
#define SB_AVAILABILITY_AUTH_WINDOW 60   /* seconds */
#define SB_AVAILABILITY_AUTH_LOCKOUT 300 /* seconds */

typedef gint64 (*SbAvailabilityClock) (gpointer user_data);

typedef enum
{
  SB_AVAILABILITY_AUTH_OK,
  SB_AVAILABILITY_AUTH_MISSING, /* no credentials: answer 401 with the challenge */
  SB_AVAILABILITY_AUTH_DENIED,  /* wrong or malformed credentials: 401, counted */
  SB_AVAILABILITY_AUTH_LOCKED,  /* too many failures from this client: 429 */
} SbAvailabilityAuthResult;

#define SB_TYPE_AVAILABILITY_AUTH (sb_availability_auth_get_type ())
G_DECLARE_FINAL_TYPE (SbAvailabilityAuth, sb_availability_auth, SB, AVAILABILITY_AUTH, GObject)

SbAvailabilityAuth *sb_availability_auth_new (const char *user, const char *access_key);
/* NULL @clock: the real time. */
void sb_availability_auth_set_clock (SbAvailabilityAuth *self, SbAvailabilityClock clock,
                                     gpointer user_data);
/* Checks @authorization (the header's value, or NULL) from the client at @client (its address).
 * @out_retry_after: with SB_AVAILABILITY_AUTH_LOCKED, seconds until the lockout ends. */
SbAvailabilityAuthResult sb_availability_auth_check (SbAvailabilityAuth *self, const char *client,
                                                     const char *authorization,
                                                     gint64 *out_retry_after);

G_END_DECLS
