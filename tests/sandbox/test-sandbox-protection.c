/* test-sandbox-protection.c: authentication, token expiry, service protection limits,
 * injected faults and concurrent clients of salesbridge-sandbox, over HTTP.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <stdlib.h>
#include <string.h>

#define ADD(name, func)                                                                            \
  g_test_add (name, SbtFixture, NULL, sbt_fixture_setup, func, sbt_fixture_teardown)
#define ADD_WITH(name, configure, func)                                                            \
  g_test_add (name, SbtFixture, (gconstpointer) configure, sbt_fixture_setup, func,                \
              sbt_fixture_teardown)

static SbtResponse *
token_request (SbtFixture *fx, const char *form)
{
  g_autofree char *url = g_strconcat (fx->base, "any-tenant/oauth2/v2.0/token", NULL);
  g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));

  return sbt_send (fx, NULL, "POST", url, "application/x-www-form-urlencoded", body, NULL);
}

static void
assert_aad_error (SbtResponse *r, guint status, const char *error, const char *aadsts)
{
  JsonObject *o;

  g_assert_cmpuint (r->status, ==, status);
  o = sbt_object (r);
  g_assert_cmpstr (json_object_get_string_member (o, "error"), ==, error);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "error_description"), aadsts));
}

static void
test_token_errors (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *scope = g_strdup_printf ("scope=%s.default", fx->base);
  g_autofree char *bad_secret = g_strdup_printf (
      "grant_type=client_credentials&client_id=salesbridge-integration&client_secret=nope&%s",
      scope);
  g_autofree char *unknown = g_strdup_printf (
      "grant_type=client_credentials&client_id=who&client_secret=sandbox&%s", scope);
  g_autofree char *no_secret =
      g_strdup_printf ("grant_type=client_credentials&client_id=sales-user&%s", scope);
  g_autofree char *no_grant =
      g_strdup_printf ("client_id=sales-user&client_secret=sandbox&%s", scope);
  g_autofree char *bad_grant =
      g_strdup_printf ("grant_type=password&client_id=sales-user&client_secret=sandbox&%s", scope);
  g_autoptr (SbtResponse) r1 = token_request (fx, bad_secret);
  g_autoptr (SbtResponse) r2 = token_request (fx, unknown);
  g_autoptr (SbtResponse) r3 = token_request (fx, no_secret);
  g_autoptr (SbtResponse) r4 = token_request (fx, no_grant);
  g_autoptr (SbtResponse) r5 = token_request (fx, bad_grant);
  g_autoptr (SbtResponse) r6 =
      token_request (fx, "grant_type=client_credentials&client_id=sales-user&client_secret=sandbox&"
                         "scope=https://x/user.read");
  g_autoptr (SbtResponse) ok = NULL;
  g_autofree char *good = g_strdup_printf (
      "grant_type=client_credentials&client_id=sales-user&client_secret=sandbox&%s", scope);

  assert_aad_error (r1, 401, "invalid_client", "AADSTS7000215:");
  assert_aad_error (r2, 400, "unauthorized_client", "AADSTS700016:");
  assert_aad_error (r3, 401, "invalid_client", "AADSTS7000216:");
  assert_aad_error (r4, 400, "invalid_request", "AADSTS900144:");
  assert_aad_error (r5, 400, "unsupported_grant_type", "AADSTS70003:");
  assert_aad_error (r6, 400, "invalid_scope", "AADSTS1002012:");
  {
    /* The v1 endpoint takes a resource and answers with string numbers. */
    g_autofree char *url = g_strconcat (fx->base, "any-tenant/oauth2/token", NULL);
    g_autofree char *form = g_strdup_printf (
        "grant_type=client_credentials&client_id=sales-user&client_secret=sandbox&resource=%s",
        fx->base);
    g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));
    g_autoptr (SbtResponse) v1 =
        sbt_send (fx, NULL, "POST", url, "application/x-www-form-urlencoded", body, NULL);
    g_autoptr (SbtResponse) me = NULL;

    g_assert_cmpuint (v1->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (sbt_object (v1), "expires_in"), ==, "3599");
    me = sbt_request (fx, json_object_get_string_member (sbt_object (v1), "access_token"), "GET",
                      "WhoAmI", NULL, NULL);
    g_assert_cmpuint (me->status, ==, 200);
  }
  ok = token_request (fx, good);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (sbt_object (ok), "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (sbt_object (ok), "expires_in"), ==, 3599);
}

static void
test_missing_and_bad_tokens (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) none = sbt_request (fx, NULL, "GET", "WhoAmI", NULL, NULL);
  g_autoptr (SbtResponse) bad = sbt_request (fx, "not-a-token", "GET", "WhoAmI", NULL, NULL);

  g_assert_cmpuint (none->status, ==, 401);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (none->headers, "WWW-Authenticate"),
                                   "Bearer"));
  g_assert_cmpuint (bad->status, ==, 401);
  g_assert_nonnull (
      strstr (soup_message_headers_get_one (bad->headers, "WWW-Authenticate"), "invalid_token"));
}

static void
short_tokens (SbSandboxServer *server)
{
  sb_sandbox_server_set_token_lifetime (server, 1);
}

static void
test_token_expiry (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (SbtResponse) before = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);
  g_autoptr (SbtResponse) after = NULL;
  g_autofree char *fresh = NULL;
  g_autoptr (SbtResponse) again = NULL;

  g_assert_cmpuint (before->status, ==, 200);
  g_usleep (1200 * 1000);
  after = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_nonnull (
      strstr (soup_message_headers_get_one (after->headers, "WWW-Authenticate"), "expired"));
  fresh = sbt_token (fx, "salesbridge-integration", "sandbox");
  again = sbt_request (fx, fresh, "GET", "WhoAmI", NULL, NULL);
  g_assert_cmpuint (again->status, ==, 200);
}

static void
few_requests (SbSandboxServer *server)
{
  SbSandboxLimitsConfig limits = { 5, 0, 0, 300 };

  sb_sandbox_server_set_limits (server, &limits);
}

static void
test_request_limit (SbtFixture *fx, gconstpointer data)
{
  g_autofree char *other = sbt_token (fx, "sales-user", "sandbox");
  g_autoptr (SbtResponse) limited = NULL;
  g_autoptr (SbtResponse) other_user = NULL;
  const char *retry;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
  limited = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (sbt_error_code (limited), ==, "0x80072322");
  retry = soup_message_headers_get_one (limited->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >, 250);
  g_assert_cmpint (atoi (retry), <=, 300);
  /* The limits are per user. */
  other_user = sbt_request (fx, other, "GET", "WhoAmI", NULL, NULL);
  g_assert_cmpuint (other_user->status, ==, 200);
}

static GBytes *
batch_of (guint n)
{
  GString *body = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body,
                            "--batch_L\r\nContent-Type: application/http\r\n"
                            "Content-Transfer-Encoding: binary\r\n\r\nPOST accounts HTTP/1.1\r\n"
                            "Content-Type: application/json\r\n\r\n{\"name\": \"L%u\"}\r\n",
                            i);
  g_string_append (body, "--batch_L--\r\n");
  return g_string_free_to_bytes (body);
}

static void
test_batch_counts_once (SbtFixture *fx, gconstpointer data)
{
  /* Five requests are allowed: four batches of 20 creates and one more call. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (GBytes) body = batch_of (20);
      g_autoptr (SbtResponse) r = sbt_send (fx, fx->token, "POST", "$batch",
                                            "multipart/mixed; boundary=batch_L", body, NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr (SbtResponse) ok = sbt_call (fx, "GET", "accounts/$count", NULL, NULL);
    g_autoptr (SbtResponse) limited = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);
    g_autofree char *n = sbt_body_text (ok);

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpstr (n, ==, "80");
    g_assert_cmpuint (limited->status, ==, 429);
  }
}

static void
tiny_execution_budget (SbSandboxServer *server)
{
  SbSandboxLimitsConfig limits = { 0, 1, 0, 300 };

  sb_sandbox_server_set_limits (server, &limits);
}

static void
test_execution_time_limit (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GBytes) body = batch_of (300);
  g_autoptr (SbtResponse) heavy =
      sbt_send (fx, fx->token, "POST", "$batch", "multipart/mixed; boundary=batch_L", body, NULL);
  g_autoptr (SbtResponse) limited = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);

  /* 300 creates take well over the 1 ms budget, so the next request is refused. */
  g_assert_cmpuint (heavy->status, ==, 200);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (sbt_error_code (limited), ==, "0x80072321");
  g_assert_nonnull (soup_message_headers_get_one (limited->headers, "Retry-After"));
}

static void
concurrency_two_and_latency (SbSandboxServer *server)
{
  SbSandboxLimitsConfig limits = { 0, 0, 2, 300 };

  sb_sandbox_server_set_limits (server, &limits);
  g_assert_true (sb_sandbox_server_set_faults (server, "latency=300ms", NULL));
}

typedef struct
{
  SbtFixture *fx;
  guint status;
  char *code;
} ThreadResult;

static gpointer
concurrent_call (gpointer data)
{
  ThreadResult *res = data;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (res->fx->api, "WhoAmI", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", res->fx->token);
  g_autoptr (GBytes) body = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  res->status = soup_message_get_status (msg);
  if (res->status == 429)
    {
      g_autoptr (JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

      res->code = g_strdup (json_object_get_string_member (
          json_object_get_object_member (json_node_get_object (node), "error"), "code"));
    }
  return NULL;
}

static void
test_concurrency_limit (SbtFixture *fx, gconstpointer data)
{
  ThreadResult results[5] = { 0 };
  GThread *threads[5];
  guint ok = 0, limited = 0;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      results[i].fx = fx;
      threads[i] = g_thread_new ("client", concurrent_call, &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      if (results[i].status == 200)
        ok++;
      else
        {
          g_assert_cmpuint (results[i].status, ==, 429);
          g_assert_cmpstr (results[i].code, ==, "0x80072326");
          limited++;
        }
      g_free (results[i].code);
    }
  /* The latency keeps requests in flight, so at most two are admitted at once. */
  g_assert_cmpuint (ok, >=, 2);
  g_assert_cmpuint (limited, >=, 1);
  g_assert_cmpuint (ok + limited, ==, 5);
}

static void
seeded_faults (SbSandboxServer *server)
{
  g_assert_true (
      sb_sandbox_server_set_faults (server, "500=0.2,503=0.2,429=0.1,drop=0.1,seed=7", NULL));
}

static void
test_faults_repeat (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GString) first = g_string_new (NULL);
  g_autoptr (GString) second = g_string_new (NULL);
  guint seen[5] = { 0 };

  for (guint i = 0; i < 40; i++)
    {
      /* A fresh connection each time: libsoup silently retries a request whose reused
       * keep-alive connection was dropped, which would hide the drops. */
      g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "WhoAmI", NULL, "Connection", "close", NULL);

      g_string_append_printf (first, "%u,", r->status);
      switch (r->status)
        {
          case 200:
            seen[0]++;
            break;
          case 500:
            seen[1]++;
            break;
          case 503:
            seen[2]++;
            g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
            break;
          case 429:
            seen[3]++;
            g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
            break;
          case 0:
            seen[4]++;
            break; /* dropped connection */
          default:
            g_assert_not_reached ();
        }
    }
  for (guint i = 0; i < 5; i++)
    if (seen[i] == 0)
      g_error ("fault kind %u never happened: %s", i, first->str);

  /* A second server with the same seed answers the same sequence. */
  {
    g_autoptr (SbSandboxServer) server = sb_sandbox_server_new ();
    SbtFixture fx2 = { 0 };

    seeded_faults (server);
    g_assert_true (sb_sandbox_server_start (server, 0, NULL));
    fx2.server = g_object_ref (server);
    fx2.base = g_strdup (sb_sandbox_server_get_base_url (server));
    fx2.api = g_strconcat (fx2.base, "api/data/v9.2/", NULL);
    fx2.session = soup_session_new ();
    fx2.token = sbt_token (&fx2, "salesbridge-integration", "sandbox");
    for (guint i = 0; i < 40; i++)
      {
        g_autoptr (SbtResponse) r =
            sbt_call (&fx2, "GET", "WhoAmI", NULL, "Connection", "close", NULL);

        g_string_append_printf (second, "%u,", r->status);
      }
    sbt_fixture_teardown (&fx2, NULL);
  }
  g_assert_cmpstr (first->str, ==, second->str);
}

typedef struct
{
  SbtFixture *fx;
  guint index;
  guint created;
} Worker;

static gpointer
worker (gpointer data)
{
  Worker *w = data;
  g_autoptr (SoupSession) session = soup_session_new ();
  SbtFixture local = *w->fx;

  local.session = session;
  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *body = g_strdup_printf (
          "{\"name\": \"W%u-%u\", \"accountnumber\": \"W%u-%u\"}", w->index, i, w->index, i);
      g_autoptr (SbtResponse) r = sbt_call (&local, "POST", "accounts", body, NULL);
      g_autoptr (SbtResponse) q =
          sbt_call (&local, "GET", "accounts?$select=name&$top=5", NULL, NULL);

      if (r->status == 204)
        w->created++;
      g_assert_cmpuint (q->status, ==, 200);
    }
  return NULL;
}

static void
test_concurrent_clients (SbtFixture *fx, gconstpointer data)
{
  Worker workers[6];
  GThread *threads[6];
  g_autoptr (SbtResponse) c = NULL;
  g_autofree char *n = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      workers[i] = (Worker){ fx, i, 0 };
      threads[i] = g_thread_new ("worker", worker, &workers[i]);
    }
  /* The main thread keeps making synchronous calls too: no deadlock with the server thread. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr (SbtResponse) r = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);

      g_assert_cmpuint (r->status, ==, 200);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (workers[i].created, ==, 25);
    }
  c = sbt_call (fx, "GET", "accounts/$count", NULL, NULL);
  n = sbt_body_text (c);
  g_assert_cmpstr (n, ==, "150");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/sandbox/protection/token-errors", test_token_errors);
  ADD ("/sandbox/protection/missing-and-bad-tokens", test_missing_and_bad_tokens);
  ADD_WITH ("/sandbox/protection/token-expiry", short_tokens, test_token_expiry);
  ADD_WITH ("/sandbox/protection/request-limit", few_requests, test_request_limit);
  ADD_WITH ("/sandbox/protection/batch-counts-once", few_requests, test_batch_counts_once);
  ADD_WITH ("/sandbox/protection/execution-time-limit", tiny_execution_budget,
            test_execution_time_limit);
  ADD_WITH ("/sandbox/protection/concurrency-limit", concurrency_two_and_latency,
            test_concurrency_limit);
  ADD_WITH ("/sandbox/protection/faults-repeat", seeded_faults, test_faults_repeat);
  ADD ("/sandbox/protection/concurrent-clients", test_concurrent_clients);
  return g_test_run ();
}
