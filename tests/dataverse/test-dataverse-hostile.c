/* test-dataverse-hostile.c: the Dataverse client against a misbehaving server on 127.0.0.1:
 * malformed and truncated answers, dropped connections, 429 with Retry-After, 401 after a token
 * went stale, links to other hosts, a server that never answers. Each case must end in a clear
 * GError, never a crash or a hang, and never send the token anywhere but the configured host.
 *
 * The server is a SoupServer on port 0 with its own thread and main context, as
 * gnome-calendar's tests/gcal-simple-server.c does, so that the client may block.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dvt-util.h"

#include <string.h>
#include <unistd.h>

typedef enum
{
  MODE_OK,
  MODE_MALFORMED,
  MODE_NOT_A_LIST,
  MODE_BAD_ROW,
  MODE_TRUNCATED,
  MODE_DROP,             /* drop the first n_faults connections without answering */
  MODE_THROTTLE,         /* 429 Retry-After: 1 for the first n_faults requests */
  MODE_THROTTLE_DATE,    /* 429 with an HTTP-date Retry-After, once */
  MODE_THROTTLE_FOREVER, /* 429 Retry-After: 0, always */
  MODE_THROTTLE_LONG,    /* 429 Retry-After: 3600 */
  MODE_BUSY,             /* 503 without Retry-After for the first n_faults requests */
  MODE_NEXT_OTHER_HOST,
  MODE_NEXT_OTHER_PORT,
  MODE_NEXT_SAME,
  MODE_DELTA_OTHER_HOST,
  MODE_STALE_TOKEN, /* 401 for the first token */
  MODE_ALWAYS_401,
  MODE_ERROR_JSON,
  MODE_ERROR_HTML,
  MODE_HANG,
  MODE_BATCH_GARBAGE,
  MODE_REDIRECT,
  MODE_TLS_UNTRUSTED, /* serve https with a self-signed certificate */
} Mode;

/* A self-signed certificate for 127.0.0.1 (made with openssl req -x509), trusted by nobody. */
static const char untrusted_pem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDHDCCAgSgAwIBAgIUWp8WwlyE7uzwc8LMffj+HMYLlZUwDQYJKoZIhvcNAQEL\n"
    "BQAwFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMTE5MDE0OVoYDzIxMjYx\n"
    "MDI4MTkwMTQ5WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwggEiMA0GCSqGSIb3DQEB\n"
    "AQUAA4IBDwAwggEKAoIBAQCvjGR6Aq/7ZhfNZSOMiAMsDGRFj5zU3999ByskXAwh\n"
    "3px6E+gT/OQ+WmoJrl69EagDSJ34ifGlhDPLoTLpgtorShfBhr6wYzcfT0KYqYY8\n"
    "S1ey5NzpRaBnkTniwbUCFHDLZtCbPtyAEUaPqIkhiKjU1uwhrGkHcOG14++Mdmsv\n"
    "hXGJTjNOAsxjewoBd/ZEIyRidAML0yIewbPWAlG16hamF5R5aj6Xn7vAZV2p4Ghp\n"
    "yNIWyzudMSqvmYCB9sTL0qh3eb2E0hzSKyS2zM0w/bsyT52y2g7IAj4OJIBnEjwW\n"
    "ErzzOn9gCkqrdUMfmqtuKxW3K7YqJQr9i5slFiCky7cbAgMBAAGjZDBiMB0GA1Ud\n"
    "DgQWBBREnn030y/W5iuozaBOm/LRfEFSjTAfBgNVHSMEGDAWgBREnn030y/W5iuo\n"
    "zaBOm/LRfEFSjTAPBgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8AAAEwDQYJ\n"
    "KoZIhvcNAQELBQADggEBAAFYT8pSYP1i3tVlsO4oRwKdEBGstSk0p6xd+zFEP3en\n"
    "EGL1ToLmE4yhmv78C4G5y9TTqGHBwA9OM03Oe/bxD4omJkWdDE0ThxWjQEtzKLYF\n"
    "mUiWq+KlqvN2Eqcs5c85UZXgjf8ELABwn7AEpLdmr+sdKs7yIJ/CF81sedKQunEJ\n"
    "F1oB3xFARQyJo0OPkFHF8QxpMZZd+Nl/5UT9nkVf6OFT7PQF3Nrdv49HGBWKe4Xz\n"
    "7hSMVONQAUODdcJNYV7fIJ61OXj0mHDCoRxSnhsvxn1ccUvWn0kase516VMIgANd\n"
    "/0AQM0r+Ttg165/IWz0NZjaElBohpdV9ONaP3PZxnG0=\n"
    "-----END CERTIFICATE-----\n"
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCvjGR6Aq/7ZhfN\n"
    "ZSOMiAMsDGRFj5zU3999ByskXAwh3px6E+gT/OQ+WmoJrl69EagDSJ34ifGlhDPL\n"
    "oTLpgtorShfBhr6wYzcfT0KYqYY8S1ey5NzpRaBnkTniwbUCFHDLZtCbPtyAEUaP\n"
    "qIkhiKjU1uwhrGkHcOG14++MdmsvhXGJTjNOAsxjewoBd/ZEIyRidAML0yIewbPW\n"
    "AlG16hamF5R5aj6Xn7vAZV2p4GhpyNIWyzudMSqvmYCB9sTL0qh3eb2E0hzSKyS2\n"
    "zM0w/bsyT52y2g7IAj4OJIBnEjwWErzzOn9gCkqrdUMfmqtuKxW3K7YqJQr9i5sl\n"
    "FiCky7cbAgMBAAECggEANHoMYyjAgK9hOCYevVi/UgCWTPEEWeJehZqJ/AGEIu/P\n"
    "6PJgcvErLbSLdD9q1KwdhHXFu1FJKkhdz2ZtuL5EB6LLfS+Re1r9VF+2MbqjhQyk\n"
    "t7aQjy8gJzWTj0SGnouLuFIQ1AezlJkVdcZUz/BxP8bLqblHYFEPN/deWafgnMCR\n"
    "h8mFSOoJ6uKS8l5VoT4UOsmOwsTrS/nKEpGO1ED+yNDB5/w8Qb86Wd+QalLr/YuO\n"
    "MnAqHmPIGgBYjohhS6zHHu6sJmugrmQ0Rzfwr68EEYqHqs/z3h3nmNsBmLqslK5/\n"
    "mJr6MR/2Gn+NqgfiFF4hWz7IR3NdMuVC8V/CIGPISQKBgQDaEz9kdAFYD1CLJTjh\n"
    "G+Hk/hOnkxKQAjztclVNJ10W0TYmjAxSGyP9rXRggQ0gbPcDWvgTlyfQPiRW9jHM\n"
    "4tOPKQp+wScGJxVlN6lIfQGaBqYKRrXkkjOQu3JaaYIfW1j1NUAdZW8GqbAV4OHr\n"
    "/9kMd6Su94qPDbeAObfJYqE6hQKBgQDOE9gK1mhwfO3nr7Wq8HYtQawxO/EJRdYK\n"
    "FgJUGXiCajFTeC2cb8nsIndhrI017C2HnzdIgF+JzTkSZ88pv3EWQKAM2Kg9EpeJ\n"
    "ORHGOh+zqPFxYLm5NDP6WCnF3xYtitH6JBqfSfzmpg5MfoI62PxHj5NRSSmCbYd7\n"
    "JrXv3l9tHwKBgFo+1uAKRbgcdldu6u/1avEp2BZj/a2Mz4vv4a8RGCvmHkOrdznP\n"
    "M4C6dEuvfDAsB7jiv4DT78z0unMmZQuF3skC0e4MnsqkB+2gMDToTm5gS/w6sPFL\n"
    "M320pKkXupqhYdnv1H2VyXF3bYBQVQ4mDbtkE8m4dSWoJoUw3YbAgzpFAoGBAIlg\n"
    "rzAiWMNMdShzeS74WD+5PPohVIDy/koA/BJmXHDMLA/R2M4ls71oCJ+jcQuWY4+6\n"
    "sxbxBT+PANHlRDQ3fELyV//YWudDwqNm2ROFYebZ5ALKEWWGiHQGW+qd2mIH3gzc\n"
    "DqdLon18C6Iw384tIpjt/K4+kJ5zN9MALl82pfTPAoGBAIWsEDg5cF+62Bx3A89u\n"
    "Y3ds75rrHoXTZP56caYasymMB16qRHrIYaMzmGgUA87YKP3aJAd1c6d4bic+217K\n"
    "klR9cSzJoRAEXLthaXy5ro4Qw4hghyB2QOyedik75ETaLHjTeMBJIsIbC/YjXx4h\n"
    "Vw4Z9Pky4JIHAHE0CSOQdJrz\n"
    "-----END PRIVATE KEY-----\n";

typedef struct
{
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  char *base;
  guint port;

  GMutex lock;
  GCond cond;
  gboolean ready;
  Mode mode;
  guint n_faults;
  guint n_api; /* API requests received */
  guint n_token;
  guint token_delay_ms;
  GArray *times;      /* gint64 monotonic arrival of each API request */
  GPtrArray *methods; /* of each API request */
  GPtrArray *paused;  /* SoupServerMessage*, MODE_HANG */
} Hostile;

static void
send_json (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; odata.metadata=minimal",
                                    SOUP_MEMORY_COPY, json, strlen (json));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "OData-Version",
                                "4.0");
}

/* Writes @raw on the bare connection and closes it: answers no HTTP library would produce. */
static void
send_raw_and_close (SoupServerMessage *msg, const char *raw)
{
  g_autoptr (GIOStream) stream = soup_server_message_steal_connection (msg);

  if (raw != NULL)
    g_output_stream_write_all (g_io_stream_get_output_stream (stream), raw, strlen (raw), NULL,
                               NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
send_throttled (SoupServerMessage *msg, const char *retry_after)
{
  send_json (msg, 429,
             "{\"error\":{\"code\":\"0x80072322\",\"message\":\"Number of requests exceeded "
             "the limit of 6000 over time window of 300 seconds.\"}}");
  if (retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  retry_after);
}

static void
send_success (Hostile *h, SoupServerMessage *msg, const char *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "POST") || g_str_equal (method, "PATCH") ||
      g_str_equal (method, "DELETE"))
    {
      g_autofree char *entity = g_strdup_printf (
          "%sapi/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)", h->base);

      soup_server_message_set_status (msg, 204, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "OData-EntityId", entity);
      return;
    }
  if (g_str_has_suffix (path, "/WhoAmI"))
    send_json (msg, 200,
               "{\"UserId\":\"00000000-0000-0000-0000-0000000000a1\","
               "\"BusinessUnitId\":\"00000000-0000-0000-0000-000000000b01\","
               "\"OrganizationId\":\"00000000-0000-0000-0000-000000000001\"}");
  else
    send_json (msg, 200, "{\"value\":[{\"name\":\"only\"}]}");
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
  Hostile *h = data;
  const char *auth =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *link = NULL;
  gint64 now = g_get_monotonic_time ();
  guint n;
  Mode mode;

  if (g_str_has_suffix (path, "/oauth2/v2.0/token"))
    {
      g_autofree char *json = NULL;

      g_mutex_lock (&h->lock);
      n = ++h->n_token;
      g_mutex_unlock (&h->lock);
      /* A slow sign-in service: concurrent requests pile up behind the refresh. */
      if (h->token_delay_ms > 0)
        g_usleep (h->token_delay_ms * 1000);
      json = g_strdup_printf (
          "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"tok-%u\"}", n);
      send_json (msg, 200, json);
      return;
    }

  g_mutex_lock (&h->lock);
  n = ++h->n_api;
  g_array_append_val (h->times, now);
  g_ptr_array_add (h->methods, g_strdup (soup_server_message_get_method (msg)));
  mode = h->mode;
  g_mutex_unlock (&h->lock);

  if (auth == NULL || !g_str_has_prefix (auth, "Bearer tok-"))
    {
      send_json (msg, 401, "{\"error\":{\"code\":\"0x8005F101\",\"message\":\"No token.\"}}");
      return;
    }

  switch (mode)
    {
      case MODE_OK:
        send_success (h, msg, path);
        break;
      case MODE_MALFORMED:
        send_json (msg, 200, "{\"value\": [ {\"name\": \"x\"}, ");
        break;
      case MODE_NOT_A_LIST:
        send_json (msg, 200, "{\"value\": 5}");
        break;
      case MODE_BAD_ROW:
        send_json (msg, 200, "{\"value\": [{\"name\": \"ok\"}, 7]}");
        break;
      case MODE_TRUNCATED:
        send_raw_and_close (msg, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 4000\r\n\r\n{\"value\": [{\"name\": \"cut");
        break;
      case MODE_DROP:
        if (n <= h->n_faults)
          send_raw_and_close (msg, NULL);
        else
          send_success (h, msg, path);
        break;
      case MODE_THROTTLE:
        if (n <= h->n_faults)
          send_throttled (msg, "1");
        else
          send_success (h, msg, path);
        break;
      case MODE_THROTTLE_DATE:
        if (n == 1)
          {
            g_autoptr (GDateTime) later = g_date_time_new_now_utc ();
            g_autoptr (GDateTime) at = g_date_time_add_seconds (later, 2);
            g_autofree char *date = soup_date_time_to_string (at, SOUP_DATE_HTTP);

            send_throttled (msg, date);
          }
        else
          send_success (h, msg, path);
        break;
      case MODE_THROTTLE_FOREVER:
        send_throttled (msg, "0");
        break;
      case MODE_THROTTLE_LONG:
        send_throttled (msg, "3600");
        break;
      case MODE_BUSY:
        if (n <= h->n_faults)
          send_json (msg, 503, "{\"error\":{\"code\":\"\",\"message\":\"Service unavailable\"}}");
        else
          send_success (h, msg, path);
        break;
      case MODE_NEXT_OTHER_HOST:
      case MODE_NEXT_OTHER_PORT:
      case MODE_NEXT_SAME:
      case MODE_DELTA_OTHER_HOST:
        {
          g_autofree char *json = NULL;
          const char *member =
              mode == MODE_DELTA_OTHER_HOST ? "@odata.deltaLink" : "@odata.nextLink";

          if (mode == MODE_NEXT_SAME)
            link = g_strdup_printf ("%sapi/data/v9.2/accounts?$select=name", h->base);
          else if (mode == MODE_NEXT_OTHER_PORT)
            link = g_strdup_printf ("http://127.0.0.1:%u/api/data/v9.2/accounts?$skiptoken=2",
                                    h->port + 1);
          else
            link = g_strdup_printf ("http://127.0.0.2:%u/api/data/v9.2/accounts?$skiptoken=2",
                                    h->port);
          json = g_strdup_printf ("{\"value\":[{\"name\":\"page\"}],\"%s\":\"%s\"}", member, link);
          send_json (msg, 200, json);
          break;
        }
      case MODE_STALE_TOKEN:
        if (g_str_equal (auth, "Bearer tok-1"))
          send_json (msg, 401,
                     "{\"error\":{\"code\":\"0x8005F101\",\"message\":\"The access token has "
                     "expired.\"}}");
        else
          send_success (h, msg, path);
        break;
      case MODE_ALWAYS_401:
        send_json (msg, 401,
                   "{\"error\":{\"code\":\"0x80072560\",\"message\":\"The user is not a member of "
                   "the organization.\"}}");
        break;
      case MODE_ERROR_JSON:
        send_json (msg, 400,
                   "{\"error\":{\"code\":\"0x80040203\",\"message\":\"Invalid argument.\"}}");
        break;
      case MODE_ERROR_HTML:
        soup_server_message_set_status (msg, 502, NULL);
        soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                          "<html>Bad gateway</html>", 24);
        break;
      case MODE_HANG:
        g_mutex_lock (&h->lock);
        g_ptr_array_add (h->paused, g_object_ref (msg));
        g_mutex_unlock (&h->lock);
        soup_server_message_pause (msg);
        break;
      case MODE_BATCH_GARBAGE:
        soup_server_message_set_status (msg, 200, NULL);
        soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "nonsense", 8);
        break;
      case MODE_REDIRECT:
        soup_server_message_set_redirect (msg, 307, "http://127.0.0.2/steal-token");
        break;
      case MODE_TLS_UNTRUSTED:
        send_success (h, msg, path);
        break;
    }
}

static gpointer
server_thread (gpointer data)
{
  Hostile *h = data;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (h->context);
  if (h->mode == MODE_TLS_UNTRUSTED)
    {
      g_autoptr (GTlsCertificate) certificate =
          g_tls_certificate_new_from_pem (untrusted_pem, -1, &error);

      g_assert_no_error (error);
      h->server = soup_server_new ("tls-certificate", certificate, NULL);
    }
  else
    {
      h->server = soup_server_new (NULL, NULL);
    }
  soup_server_add_handler (h->server, NULL, handle, h, NULL);
  g_assert_true (soup_server_listen_local (
      h->server, 0,
      SOUP_SERVER_LISTEN_IPV4_ONLY | (h->mode == MODE_TLS_UNTRUSTED ? SOUP_SERVER_LISTEN_HTTPS : 0),
      &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (h->server);
  h->port = g_uri_get_port (uris->data);
  h->base = g_strdup_printf ("%s://127.0.0.1:%u/", h->mode == MODE_TLS_UNTRUSTED ? "https" : "http",
                             h->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&h->lock);
  h->ready = TRUE;
  g_cond_signal (&h->cond);
  g_mutex_unlock (&h->lock);

  g_main_loop_run (h->loop);

  g_ptr_array_set_size (h->paused, 0);
  soup_server_disconnect (h->server);
  g_clear_object (&h->server);
  while (g_main_context_iteration (h->context, FALSE))
    ;
  g_main_context_pop_thread_default (h->context);
  return NULL;
}

typedef struct
{
  Hostile h;
  SbDataverseConnection *cnc;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  Hostile *h = &fx->h;

  g_mutex_init (&h->lock);
  g_cond_init (&h->cond);
  h->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  h->methods = g_ptr_array_new_with_free_func (g_free);
  h->paused = g_ptr_array_new_with_free_func (g_object_unref);
  h->context = g_main_context_new ();
  h->loop = g_main_loop_new (h->context, FALSE);
  h->mode = GPOINTER_TO_INT (data);
  h->thread = g_thread_new ("hostile-server", server_thread, h);
  g_mutex_lock (&h->lock);
  while (!h->ready)
    g_cond_wait (&h->cond, &h->lock);
  g_mutex_unlock (&h->lock);
  fx->cnc = dvt_connection_new (h->base, "client", "secret");
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  Hostile *h = &fx->h;

  g_clear_object (&fx->cnc);
  g_main_context_invoke (h->context, quit_loop, h->loop);
  g_thread_join (h->thread);
  g_main_loop_unref (h->loop);
  g_main_context_unref (h->context);
  g_array_unref (h->times);
  g_ptr_array_unref (h->methods);
  g_ptr_array_unref (h->paused);
  g_free (h->base);
  g_mutex_clear (&h->lock);
  g_cond_clear (&h->cond);
}

static void
set_mode (Fixture *fx, Mode mode, guint n_faults)
{
  g_mutex_lock (&fx->h.lock);
  fx->h.mode = mode;
  fx->h.n_faults = n_faults;
  fx->h.n_api = 0;
  g_array_set_size (fx->h.times, 0);
  g_ptr_array_set_size (fx->h.methods, 0);
  g_mutex_unlock (&fx->h.lock);
}

static guint
n_api (Fixture *fx)
{
  guint n;

  g_mutex_lock (&fx->h.lock);
  n = fx->h.n_api;
  g_mutex_unlock (&fx->h.lock);
  return n;
}

static gboolean
count_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  guint *n = user_data;

  *n += json_array_get_length (page->rows);
  return TRUE;
}

static gboolean
read_all (Fixture *fx, guint *n_rows, char **delta, GError **error)
{
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("accounts");

  sb_dataverse_query_select (query, "name", NULL);
  return sb_dataverse_connection_query_sync (fx->cnc, query, count_page, n_rows, delta, NULL,
                                             error);
}

#define ADD(name, func, mode)                                                                      \
  g_test_add (name, Fixture, GINT_TO_POINTER (mode), fixture_setup, func, fixture_teardown)

/* ------------------------------------------------------------------------------------------ */

static void
test_bad_bodies (Fixture *fx, gconstpointer data)
{
  static const Mode modes[] = { MODE_MALFORMED, MODE_NOT_A_LIST, MODE_BAD_ROW, MODE_TRUNCATED };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      guint rows = 0;

      set_mode (fx, modes[i], 0);
      g_assert_false (read_all (fx, &rows, NULL, &error));
      g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_RESPONSE);
      g_test_message ("mode %d: %s", modes[i], error->message);
      g_assert_cmpuint (rows, ==, 0);
    }
}

static void
test_dropped_get_retried (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint rows = 0;

  set_mode (fx, MODE_DROP, 2);
  g_assert_true (read_all (fx, &rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 1);
  g_assert_cmpuint (n_api (fx), ==, 3);

  /* Dropped every time: bounded attempts (4 in the test policy; libsoup itself may send a
   * GET once more when a kept-alive connection turns out closed), then a network error. */
  set_mode (fx, MODE_DROP, 100);
  rows = 0;
  g_assert_false (read_all (fx, &rows, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == SB_DATAVERSE_ERROR);
  g_assert_cmpuint (n_api (fx), >=, 4);
  g_assert_cmpuint (n_api (fx), <=, 8);
}

static void
test_dropped_post_not_retried (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = json_object_new ();
  g_autoptr (JsonObject) with_id = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;

  /* A create without a client id might have worked: never sent twice. */
  json_object_set_string_member (record, "name", "x");
  set_mode (fx, MODE_DROP, 1);
  g_assert_null (
      sb_dataverse_connection_create_sync (fx->cnc, "accounts", record, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (n_api (fx), ==, 1);
  g_clear_error (&error);

  /* With a client id it is safe to send again. */
  json_object_set_string_member (with_id, "name", "x");
  json_object_set_string_member (with_id, "accountid", "00000000-0000-0000-0000-000000000001");
  set_mode (fx, MODE_DROP, 1);
  id = sb_dataverse_connection_create_sync (fx->cnc, "accounts", with_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "00000000-0000-0000-0000-000000000001");
  g_assert_cmpuint (n_api (fx), ==, 2);

  /* A $batch is never sent twice after a lost connection. */
  {
    g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();

    sb_dataverse_batch_add_create (batch, "accounts", record);
    set_mode (fx, MODE_DROP, 1);
    g_assert_false (sb_dataverse_connection_execute_batch_sync (fx->cnc, batch, NULL, &error));
    g_assert_nonnull (error);
    g_assert_cmpuint (n_api (fx), ==, 1);
    g_clear_error (&error);
  }

  /* PATCH with If-Match and DELETE are idempotent. */
  set_mode (fx, MODE_DROP, 1);
  g_assert_true (sb_dataverse_connection_write_sync (
      fx->cnc, "accounts", "00000000-0000-0000-0000-000000000001", record,
      SB_DATAVERSE_WRITE_UPDATE, NULL, &id2, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 2);
  set_mode (fx, MODE_DROP, 1);
  g_assert_true (sb_dataverse_connection_delete_sync (
      fx->cnc, "accounts", "00000000-0000-0000-0000-000000000001", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 2);
}

static gint64
gap_ms (Fixture *fx, guint a, guint b)
{
  gint64 d;

  g_mutex_lock (&fx->h.lock);
  g_assert_cmpuint (fx->h.times->len, >, b);
  d = g_array_index (fx->h.times, gint64, b) - g_array_index (fx->h.times, gint64, a);
  g_mutex_unlock (&fx->h.lock);
  return d / 1000;
}

static void
test_retry_after (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint rows = 0;

  set_mode (fx, MODE_THROTTLE, 1);
  g_assert_true (read_all (fx, &rows, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 2);
  /* Retry-After: 1 → the next request at least a second later. */
  g_assert_cmpint (gap_ms (fx, 0, 1), >=, 1000);

  set_mode (fx, MODE_THROTTLE_DATE, 0);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 2);
  /* An HTTP-date two seconds ahead, at one-second resolution: at least one second. */
  g_assert_cmpint (gap_ms (fx, 0, 1), >=, 1000);

  /* 503 without Retry-After: backoff, then success. */
  set_mode (fx, MODE_BUSY, 2);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 3);
}

typedef struct
{
  Fixture *fx;
  gboolean ok;
} Worker;

static gpointer
who_am_i_thread (gpointer data)
{
  Worker *w = data;

  w->ok = sb_dataverse_connection_who_am_i_sync (w->fx->cnc, NULL, NULL, NULL, NULL, NULL);
  return NULL;
}

static void
test_retry_after_shared (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Worker workers[3];
  GThread *threads[3];

  g_assert_true (sb_dataverse_connection_sign_in_sync (fx->cnc, NULL, &error));
  /* One request is throttled; requests started right after it, on other threads, must not be
   * sent before its Retry-After either. */
  set_mode (fx, MODE_THROTTLE, 1);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  set_mode (fx, MODE_THROTTLE, 1);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      workers[i] = (Worker){ fx, FALSE };
      threads[i] = g_thread_new ("worker", who_am_i_thread, &workers[i]);
      if (i == 0)
        {
          /* Let the first be answered 429 before the others start. */
          while (n_api (fx) < 1)
            g_usleep (1000);
          g_usleep (20 * 1000);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (workers[i].ok);
    }
  g_assert_cmpuint (n_api (fx), ==, 4);
  /* Every request after the 429 came at least a second after it. */
  for (guint i = 1; i < 4; i++)
    g_assert_cmpint (gap_ms (fx, 0, i), >=, 1000);
}

static void
test_throttled_gives_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 start;

  set_mode (fx, MODE_THROTTLE_FOREVER, 0);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_THROTTLED);
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 429);
  g_assert_cmpstr (sb_dataverse_error_get_code (error), ==, "0x80072322");
  g_assert_cmpuint (n_api (fx), ==, 4);
  g_clear_error (&error);

  /* An hour's Retry-After: fail now, and keep refusing to send until then. */
  set_mode (fx, MODE_THROTTLE_LONG, 0);
  start = g_get_monotonic_time ();
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_THROTTLED);
  g_clear_error (&error);
  set_mode (fx, MODE_OK, 0);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_THROTTLED);
  g_assert_cmpuint (n_api (fx), ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_links_to_other_hosts (Fixture *fx, gconstpointer data)
{
  static const Mode modes[] = { MODE_NEXT_OTHER_HOST, MODE_NEXT_OTHER_PORT, MODE_DELTA_OTHER_HOST };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *delta = NULL;
      guint rows = 0;

      set_mode (fx, modes[i], 0);
      g_assert_false (read_all (fx, &rows, &delta, &error));
      g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_UNSAFE_LINK);
      g_assert_null (delta);
      g_assert_cmpuint (n_api (fx), ==, 1);
    }
  /* A delta link handed in from elsewhere is checked too. */
  {
    g_autoptr (GError) error = NULL;
    guint rows = 0;

    set_mode (fx, MODE_OK, 0);
    g_assert_false (sb_dataverse_connection_read_changes_sync (
        fx->cnc, "http://127.0.0.2:1/api/data/v9.2/accounts?$deltatoken=1", NULL, count_page, &rows,
        NULL, NULL, &error));
    g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_UNSAFE_LINK);
    g_assert_cmpuint (n_api (fx), ==, 0);
  }
  /* A redirect is not followed with the token either. */
  {
    g_autoptr (GError) error = NULL;

    set_mode (fx, MODE_REDIRECT, 0);
    g_assert_false (
        sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_assert_cmpuint (n_api (fx), ==, 1);
  }
  /* The same link over and over: stopped, not an endless loop. */
  {
    g_autoptr (GError) error = NULL;
    guint rows = 0;

    set_mode (fx, MODE_NEXT_SAME, 0);
    g_assert_false (read_all (fx, &rows, NULL, &error));
    g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_RESPONSE);
    g_assert_cmpuint (n_api (fx), <=, 2);
  }
}

static void
test_stale_token (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  set_mode (fx, MODE_STALE_TOKEN, 0);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_api (fx), ==, 2);
  g_assert_cmpuint (fx->h.n_token, ==, 2);

  /* 401 even with a fresh token: one refresh, one retry, then a clear error. */
  set_mode (fx, MODE_ALWAYS_401, 0);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "not a member of the organization"));
  g_assert_cmpuint (n_api (fx), ==, 2);
  g_assert_cmpuint (fx->h.n_token, ==, 3);
}

static void
test_error_bodies (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  set_mode (fx, MODE_ERROR_JSON, 0);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_REQUEST);
  g_assert_cmpstr (error->message, ==, "Invalid argument.");
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 400);
  g_assert_cmpstr (sb_dataverse_error_get_code (error), ==, "0x80040203");
  g_clear_error (&error);

  set_mode (fx, MODE_ERROR_HTML, 0);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_SERVER);
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 502);
  g_assert_null (sb_dataverse_error_get_code (error));
  g_clear_error (&error);

  {
    g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();
    g_autoptr (JsonObject) record = json_object_new ();

    sb_dataverse_batch_add_create (batch, "accounts", record);
    set_mode (fx, MODE_BATCH_GARBAGE, 0);
    g_assert_false (sb_dataverse_connection_execute_batch_sync (fx->cnc, batch, NULL, &error));
    g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_RESPONSE);
  }
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (200 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) during_wait = g_cancellable_new ();
  GThread *thread;
  gint64 start;

  /* A server that never answers: cancel ends the request at once. */
  set_mode (fx, MODE_HANG, 0);
  thread = g_thread_new ("cancel", cancel_thread, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (
      sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_thread_join (thread);
  g_clear_error (&error);

  /* Cancel during a Retry-After wait. */
  set_mode (fx, MODE_THROTTLE_LONG, 0);
  sb_dataverse_connection_set_retry_policy (fx->cnc, 4, 20, 200, 7200 * 1000);
  thread = g_thread_new ("cancel", cancel_thread, during_wait);
  start = g_get_monotonic_time ();
  g_assert_false (
      sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, during_wait, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (n_api (fx), ==, 1);
  g_thread_join (thread);
}

static void
test_single_refresh (Fixture *fx, gconstpointer data)
{
  Worker workers[8];
  GThread *threads[8];

  /* Eight requests start together without a token: one token request, the others wait. */
  fx->h.token_delay_ms = 300;
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      workers[i] = (Worker){ fx, FALSE };
      threads[i] = g_thread_new ("worker", who_am_i_thread, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (workers[i].ok);
    }
  g_assert_cmpuint (fx->h.n_token, ==, 1);
  g_assert_cmpuint (n_api (fx), ==, 8);
}

static void
untrusted_certificate (Fixture *fx)
{
  g_autoptr (GError) error = NULL;

  /* An https server whose certificate nobody vouches for: no sign-in, no request, a TLS error
   * naming the host. The secret never leaves. */
  g_assert_false (sb_dataverse_connection_sign_in_sync (fx->cnc, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (fx->h.n_token, ==, 0);
  g_clear_error (&error);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (fx->cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_TLS);
  g_assert_cmpuint (n_api (fx), ==, 0);
}

/* In a child process: once GnuTLS is loaded, GCC 12's LeakSanitizer crashes at exit while
 * scanning a thread's dynamic TLS ("Tracer caught signal 11"), a sanitizer bug, not a leak. The
 * child leaves with _exit() under ASan; every other test keeps the leak check. */
static void
test_untrusted_certificate (void)
{
  Fixture fx = { 0 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  fixture_setup (&fx, GINT_TO_POINTER (MODE_TLS_UNTRUSTED));
  untrusted_certificate (&fx);
  fixture_teardown (&fx, NULL);
#if defined(__SANITIZE_ADDRESS__)
  _exit (0);
#endif
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/dataverse/hostile/bad-bodies", test_bad_bodies, MODE_OK);
  ADD ("/dataverse/hostile/dropped-get-retried", test_dropped_get_retried, MODE_OK);
  ADD ("/dataverse/hostile/dropped-post-not-retried", test_dropped_post_not_retried, MODE_OK);
  ADD ("/dataverse/hostile/retry-after", test_retry_after, MODE_OK);
  ADD ("/dataverse/hostile/retry-after-shared", test_retry_after_shared, MODE_OK);
  ADD ("/dataverse/hostile/throttled-gives-up", test_throttled_gives_up, MODE_OK);
  ADD ("/dataverse/hostile/links-to-other-hosts", test_links_to_other_hosts, MODE_OK);
  ADD ("/dataverse/hostile/stale-token", test_stale_token, MODE_OK);
  ADD ("/dataverse/hostile/single-refresh", test_single_refresh, MODE_OK);
  ADD ("/dataverse/hostile/error-bodies", test_error_bodies, MODE_OK);
  ADD ("/dataverse/hostile/cancel", test_cancel, MODE_OK);
  g_test_add_func ("/dataverse/hostile/untrusted-certificate", test_untrusted_certificate);
  return g_test_run ();
}
