/* dvt-util.c: helpers of the Dataverse client tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dvt-util.h"

#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
/* From the ASan runtime (sanitizer/allocator_interface.h, not always installed): malloc is
 * ASan's own there, so mallinfo2() would not see it. */
extern size_t __sanitizer_get_current_allocated_bytes (void);
#endif

void
dvt_fixture_setup (DvtFixture *fx, gconstpointer data)
{
  DvtConfigure configure = (DvtConfigure) data;
  g_autoptr (GError) error = NULL;

  fx->server = sb_sandbox_server_new ();
  if (configure != NULL)
    configure (fx->server);
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = sb_sandbox_server_get_base_url (fx->server);
  fx->cnc = dvt_connection_new (fx->base, SB_SANDBOX_INTEGRATION_CLIENT, SB_SANDBOX_DEFAULT_SECRET);
}

void
dvt_fixture_teardown (DvtFixture *fx, gconstpointer data)
{
  g_clear_object (&fx->cnc);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
}

SbDataverseConnection *
dvt_connection_new (const char *base, const char *client_id, const char *secret)
{
  SbDataverseConnection *cnc;

  cnc = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base, "authority", base, "tenant",
                      "00000000-0000-0000-0000-0000000000aa", "client-id", client_id, NULL);
  g_assert_true (sb_dataverse_connection_check (cnc, NULL));
  sb_dataverse_connection_set_client_secret (cnc, secret);
  sb_dataverse_connection_set_retry_policy (cnc, 4, 20, 200, 10000);
  return cnc;
}

gsize
dvt_live_heap_bytes (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes ();
#else
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#endif
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("timed out waiting for an asynchronous operation");
  return G_SOURCE_REMOVE;
}

void
dvt_wait_for (gboolean *flag)
{
  guint id = g_timeout_add_seconds (60, timeout_cb, NULL);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}
