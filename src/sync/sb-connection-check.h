/* sb-connection-check.h: "Test connection", every check of integration-behaviour.md §8
 *
 * In order: the settings are complete (URL, tenant, client id, the secret in the keyring); the
 * app can sign in; Dynamics 365 Sales answers WhoAmI; the integration user is not disabled; it
 * has at least one security role; it is not System Administrator; it has the integration
 * administrator and integration user roles when the integration solution is deployed; the
 * ERP's local currency exists in Dataverse. Each check ends passed, failed or skipped, with a
 * title and a message for people who do not write software, saying what to do on failure.
 * A check that others depend on failing skips those.
 *
 * The check works on copies of the settings it is given; it never touches the store, so it may
 * run on any thread. Run it once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-connection-setup.h"
#include "sb-dataverse.h"

G_BEGIN_DECLS

/* Role names as the integration solution creates them (and the sandbox seeds them). */
#define SB_ROLE_SYSTEM_ADMINISTRATOR "System Administrator"
#define SB_ROLE_INTEGRATION_ADMINISTRATOR "Salesbridge Integration Administrator"
#define SB_ROLE_INTEGRATION_USER "Salesbridge Integration User"

typedef enum
{
  SB_CONNECTION_CHECK_SETTINGS,
  SB_CONNECTION_CHECK_SIGN_IN,
  SB_CONNECTION_CHECK_WHO_AM_I,
  SB_CONNECTION_CHECK_USER_ENABLED,
  SB_CONNECTION_CHECK_HAS_ROLES,
  SB_CONNECTION_CHECK_NOT_ADMINISTRATOR,
  SB_CONNECTION_CHECK_INTEGRATION_ROLES,
  SB_CONNECTION_CHECK_LOCAL_CURRENCY,
  SB_CONNECTION_CHECK_N_CHECKS,
} SbConnectionCheckId;

typedef enum
{
  SB_CHECK_RESULT_PENDING, /* not run yet */
  SB_CHECK_RESULT_PASSED,
  SB_CHECK_RESULT_FAILED,
  SB_CHECK_RESULT_SKIPPED, /* not needed, or an earlier check it depends on failed */
} SbCheckResult;

#define SB_TYPE_CONNECTION_CHECK (sb_connection_check_get_type ())
G_DECLARE_FINAL_TYPE (SbConnectionCheck, sb_connection_check, SB, CONNECTION_CHECK, GObject)

/* @setup: the settings to test (copied); @local_currency_code: the ERP's local currency
 * (general setup), NULL or "" fails the currency check. The secret comes from the keyring at
 * run time unless set with sb_connection_check_set_client_secret(). */
SbConnectionCheck *sb_connection_check_new (const SbConnectionSetup *setup,
                                            const char *local_currency_code);

/* Tests this secret instead of the keyring's (the assisted setup tests before it saves). */
void sb_connection_check_set_client_secret (SbConnectionCheck *self, const char *secret);
/* Overrides the connection's retry policy (tests of unreachable hosts want short waits); see
 * sb_dataverse_connection_set_retry_policy(). By default a test tries each request at most
 * twice. */
void sb_connection_check_set_retry_policy (SbConnectionCheck *self, guint max_attempts,
                                           guint base_delay_ms, guint max_delay_ms,
                                           guint max_wait_ms);

/* Runs every check; blocks. Emits "check-finished" on the calling thread after each. Returns
 * FALSE only when cancelled; that the checks passed is sb_connection_check_get_passed(). */
gboolean sb_connection_check_run_sync (SbConnectionCheck *self, GCancellable *cancellable,
                                       GError **error);
/* The same on a worker thread; "check-finished" and @callback on the thread-default main
 * context of the caller. */
void sb_connection_check_run_async (SbConnectionCheck *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_connection_check_run_finish (SbConnectionCheck *self, GAsyncResult *result,
                                         GError **error);

/* Results, valid once the check has finished ("check-finished") or the run ended. */
SbCheckResult sb_connection_check_get_result (SbConnectionCheck *self, SbConnectionCheckId id);
/* Translated: "Sign in". */
const char *sb_connection_check_get_title (SbConnectionCheckId id);
/* Translated: what was found and, for a failure, what to do; NULL while pending. */
const char *sb_connection_check_get_message (SbConnectionCheck *self, SbConnectionCheckId id);
/* TRUE when the run finished and no check failed. */
gboolean sb_connection_check_get_passed (SbConnectionCheck *self);
/* The first failed check, or SB_CONNECTION_CHECK_N_CHECKS when none failed. */
SbConnectionCheckId sb_connection_check_get_first_failure (SbConnectionCheck *self);

/* After a run that signed in: the connection it used (ready to use, secret set), or NULL. */
SbDataverseConnection *sb_connection_check_get_connection (SbConnectionCheck *self);
/* After WhoAmI passed: the user the connection acts as, else NULL. */
const char *sb_connection_check_get_user_id (SbConnectionCheck *self);
const char *sb_connection_check_get_organization_id (SbConnectionCheck *self);
/* After the user checks: the user's full name, else NULL. */
const char *sb_connection_check_get_user_name (SbConnectionCheck *self);

G_END_DECLS
