/* bench-dataverse.c: the Dataverse client against the in-process sandbox over HTTP on
 * 127.0.0.1: creates accounts through $batch (client-generated ids, 1,000 requests per HTTP
 * batch), ROWS as independent requests and ROWS more in changesets, and reads all 2 × ROWS back
 * page by page, printing rows per second of each phase.
 *
 * Usage: bench-dataverse [ROWS]   (default 50000)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"

static gboolean
count_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  guint *n = user_data;

  *n += json_array_get_length (page->rows);
  return TRUE;
}

static double
read_all (SbDataverseConnection *cnc, guint page_size, guint *out_rows)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  *out_rows = 0;
  sb_dataverse_query_select (query, "name", "accountnumber", "creditlimit", "address1_city", NULL);
  sb_dataverse_query_set_page_size (query, page_size);
  if (!sb_dataverse_connection_query_sync (cnc, query, count_page, out_rows, NULL, NULL, &error))
    g_error ("read: %s", error->message);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Creates @n accounts numbered from @first, 5,000 per SbDataverseBatch (split by the client
 * into HTTP requests of 1,000), as independent requests or in changesets of 1,000. */
static double
create (SbDataverseConnection *cnc, guint first, guint n, gboolean changesets)
{
  const guint chunk = 5000;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;

  for (guint done = first; done < first + n; done += chunk)
    {
      g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();

      for (guint i = done; i < MIN (done + chunk, first + n); i++)
        {
          g_autoptr (JsonObject) record = json_object_new ();
          g_autofree char *id = sb_dataverse_new_guid ();
          g_autofree char *name = g_strdup_printf ("Bench Customer %06u", i);
          g_autofree char *number = g_strdup_printf ("B%06u", i);

          if (changesets && (i - done) % SB_DATAVERSE_BATCH_MAX_REQUESTS == 0)
            sb_dataverse_batch_begin_changeset (batch);
          json_object_set_string_member (record, "accountid", id);
          json_object_set_string_member (record, "name", name);
          json_object_set_string_member (record, "accountnumber", number);
          json_object_set_int_member (record, "creditlimit", i % 10000);
          json_object_set_string_member (record, "address1_city", i % 2 ? "Oslo" : "Bergen");
          sb_dataverse_batch_add_create (batch, SB_DV_ACCOUNTS, record);
          if (changesets && ((i - done) % SB_DATAVERSE_BATCH_MAX_REQUESTS ==
                                 SB_DATAVERSE_BATCH_MAX_REQUESTS - 1 ||
                             i + 1 == first + n))
            sb_dataverse_batch_end_changeset (batch);
        }
      if (!sb_dataverse_connection_execute_batch_sync (cnc, batch, NULL, &error))
        g_error ("batch: %s", error->message);
      if (sb_dataverse_batch_get_n_failed (batch) > 0)
        g_error ("batch: %u requests failed", sb_dataverse_batch_get_n_failed (batch));
    }
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int argc, char **argv)
{
  guint rows = argc > 1 ? (guint) atoi (argv[1]) : 50000;
  g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
  g_autoptr (SbDataverseConnection) cnc = NULL;
  g_autoptr (GError) error = NULL;
  SbSandboxLimitsConfig unlimited = { 0, 0, 0, 300 };
  double create_s, read_s;
  guint read = 0;

  /* The benchmark measures the client and the server, not Dataverse's request quotas. */
  sb_sandbox_server_set_limits (server, &unlimited);
  if (!sb_sandbox_server_start (server, 0, &error))
    g_error ("%s", error->message);
  cnc = g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url",
                      sb_sandbox_server_get_base_url (server), "authority",
                      sb_sandbox_server_get_base_url (server), "tenant", "bench", "client-id",
                      SB_SANDBOX_INTEGRATION_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  if (!sb_dataverse_connection_sign_in_sync (cnc, NULL, &error))
    g_error ("sign-in: %s", error->message);

  create_s = create (cnc, 0, rows, FALSE);
  g_print ("create %u accounts via $batch, independent requests (1,000 per HTTP request): "
           "%.2f s, %.0f rows/s\n",
           rows, create_s, rows / create_s);
  create_s = create (cnc, rows, rows, TRUE);
  g_print ("create %u accounts via $batch, one changeset of 1,000 per HTTP request: %.2f s, "
           "%.0f rows/s\n",
           rows, create_s, rows / create_s);

  read_s = read_all (cnc, SB_DATAVERSE_MAX_PAGE_SIZE, &read);
  g_print ("read %u accounts, pages of 5,000: %.2f s, %.0f rows/s\n", read, read_s, read / read_s);
  read_s = read_all (cnc, 500, &read);
  g_print ("read %u accounts, pages of 500: %.2f s, %.0f rows/s\n", read, read_s, read / read_s);
  g_print ("requests sent: %" G_GUINT64_FORMAT "\n", sb_dataverse_connection_get_n_sent (cnc));

  g_clear_object (&cnc);
  sb_sandbox_server_stop (server);
  return 0;
}
