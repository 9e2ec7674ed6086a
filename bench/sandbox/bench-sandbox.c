/* bench-sandbox.c: creates 100,000 accounts in salesbridge-sandbox through $batch (1,000 per
 * batch, one changeset each) and reads them all back with paging (odata.maxpagesize=5000),
 * over HTTP on 127.0.0.1, printing seconds and rows per second of each phase.
 *
 * Usage: bench-sandbox [ROWS]   (default 100000)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>

#include "sb-sandbox-server.h"

#define PER_BATCH 1000

static char *
get_token (SoupSession *session, const char *base)
{
  g_autofree char *url = g_strconcat (base, "bench/oauth2/v2.0/token", NULL);
  g_autofree char *form = g_strdup_printf ("grant_type=client_credentials&client_id=salesbridge-"
                                           "integration&client_secret=sandbox&scope=%s.default",
                                           base);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonNode) node = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert (reply != NULL && soup_message_get_status (msg) == 200);
  node = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

static void
add_headers (SoupMessage *msg, const char *token)
{
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

  soup_message_headers_replace (h, "Authorization", auth);
  soup_message_headers_replace (h, "Accept", "application/json");
  soup_message_headers_replace (h, "OData-MaxVersion", "4.0");
  soup_message_headers_replace (h, "OData-Version", "4.0");
}

int
main (int argc, char **argv)
{
  guint rows = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 600, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *batch_url = NULL;
  g_autofree char *url = NULL;
  SbSandboxLimitsConfig unlimited = { 0, 0, 0, 300 };
  gint64 start;
  double create_s, read_s;
  guint read = 0, pages = 0;

  /* The benchmark measures the server, not Dataverse's request quotas. */
  sb_sandbox_server_set_limits (server, &unlimited);
  if (!sb_sandbox_server_start (server, 0, &error))
    g_error ("%s", error->message);
  token = get_token (session, sb_sandbox_server_get_base_url (server));
  batch_url = g_strconcat (sb_sandbox_server_get_base_url (server), "api/data/v9.2/$batch", NULL);

  start = g_get_monotonic_time ();
  for (guint done = 0; done < rows; done += PER_BATCH)
    {
      g_autoptr (GString) body = g_string_new ("--batch_B\r\nContent-Type: multipart/mixed; "
                                               "boundary=changeset_C\r\n\r\n");
      g_autoptr (SoupMessage) msg = soup_message_new ("POST", batch_url);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GBytes) reply = NULL;

      for (guint i = done; i < MIN (done + PER_BATCH, rows); i++)
        g_string_append_printf (
            body,
            "--changeset_C\r\nContent-Type: application/http\r\n"
            "Content-Transfer-Encoding: binary\r\nContent-ID: %u\r\n\r\n"
            "POST accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n"
            "{\"name\": \"Bench Customer %06u\", \"accountnumber\": \"B%06u\", "
            "\"address1_city\": \"Springfield\", \"telephone1\": \"+1 555 %04u\", "
            "\"creditlimit\": %u, \"customertypecode\": 3}\r\n",
            i - done + 1, i, i, i % 10000, i % 50000);
      g_string_append (body, "--changeset_C--\r\n--batch_B--\r\n");
      bytes = g_bytes_new (body->str, body->len);
      add_headers (msg, token);
      soup_message_set_request_body_from_bytes (msg, "multipart/mixed; boundary=batch_B", bytes);
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL || soup_message_get_status (msg) != 200 ||
          strstr (g_bytes_get_data (reply, NULL), "HTTP/1.1 204") == NULL)
        g_error ("batch at %u failed: %u", done, soup_message_get_status (msg));
    }
  create_s = (g_get_monotonic_time () - start) / 1e6;
  g_print ("create %u accounts via $batch (%u per batch): %.2f s, %.0f rows/s\n", rows, PER_BATCH,
           create_s, rows / create_s);

  url = g_strconcat (sb_sandbox_server_get_base_url (server),
                     "api/data/v9.2/accounts?$select=name,accountnumber,address1_city,"
                     "telephone1,creditlimit,modifiedon",
                     NULL);
  start = g_get_monotonic_time ();
  while (url != NULL)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (GBytes) reply = NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *page;
      gsize len;
      const char *data;

      add_headers (msg, token);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Prefer",
                                    "odata.maxpagesize=5000");
      reply = soup_session_send_and_read (session, msg, NULL, &error);
      if (reply == NULL || soup_message_get_status (msg) != 200)
        g_error ("page %u failed: %u", pages, soup_message_get_status (msg));
      data = g_bytes_get_data (reply, &len);
      if (!json_parser_load_from_data (parser, data, len, &error))
        g_error ("page %u: %s", pages, error->message);
      page = json_node_get_object (json_parser_get_root (parser));
      read += json_array_get_length (json_object_get_array_member (page, "value"));
      pages++;
      g_free (url);
      url = json_object_has_member (page, "@odata.nextLink")
                ? g_strdup (json_object_get_string_member (page, "@odata.nextLink"))
                : NULL;
    }
  read_s = (g_get_monotonic_time () - start) / 1e6;
  g_print ("read %u accounts in %u pages (maxpagesize 5000): %.2f s, %.0f rows/s\n", read, pages,
           read_s, read / read_s);
  sb_sandbox_server_stop (server);
  if (read != rows)
    g_error ("read %u rows, expected %u", read, rows);
  return 0;
}
