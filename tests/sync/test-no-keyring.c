/* test-no-keyring.c: a session without any Secret Service gives clear, translated errors, not
 * a crash or a secret kept somewhere else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-connection-check.h"
#include "sb-secret-store.h"
#include "sb-sync-error.h"
#include "sbs-keyring.h"

static void
test_no_service (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (sb_secret_store_save_sync (SB_SECRET_CLIENT_SECRET, "https://x.example.com/",
                                             "client", "secret", NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_KEYRING);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_assert_nonnull (strstr (error->message, "GNOME Keyring"));
  g_clear_error (&error);
  g_assert_null (sb_secret_store_lookup_sync (SB_SECRET_CLIENT_SECRET, "https://x.example.com/",
                                              "client", NULL, &error));
  g_assert_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_KEYRING);
}

static void
test_check_explains (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_new ();
  g_autoptr (SbConnectionCheck) check = NULL;

  g_free (setup->sales_url);
  setup->sales_url = g_strdup ("https://contoso.crm4.dynamics.com/");
  g_free (setup->tenant);
  setup->tenant = g_strdup ("contoso.onmicrosoft.com");
  g_free (setup->client_id);
  setup->client_id = g_strdup ("11111111-2222-3333-4444-555555555555");
  g_free (setup->authority);
  setup->authority = g_strdup ("https://login.microsoftonline.com/");
  g_free (setup->api_version);
  setup->api_version = g_strdup ("9.2");
  check = sb_connection_check_new (setup, "EUR");
  g_assert_true (sb_connection_check_run_sync (check, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb_connection_check_get_first_failure (check), ==, SB_CONNECTION_CHECK_SETTINGS);
  g_assert_nonnull (
      strstr (sb_connection_check_get_message (check, SB_CONNECTION_CHECK_SETTINGS), "unlocked"));
}

int
main (int argc, char **argv)
{
  SbsKeyring *bus_only = sbs_keyring_start (FALSE);
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secret-store/no-service", test_no_service);
  g_test_add_func ("/connection-check/no-keyring", test_check_explains);
  status = g_test_run ();
  sbs_keyring_stop (bus_only);
  return status;
}
