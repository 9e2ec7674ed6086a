/* test-sandbox-fuzz.c: seeded malformed requests against salesbridge-sandbox; it must answer
 * each with a 4xx (400 for malformed bodies and queries), never a 5xx or a dropped connection,
 * and keep serving afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbt-util.h"

#include <string.h>

#define ROUNDS 1200

static const char *const fragments[] = {
  "{",
  "}",
  "[",
  "]",
  "\"",
  ":",
  ",",
  "null",
  "true",
  "1e999",
  "-0",
  "\"name\"",
  "\"creditlimit\"",
  "\"customertypecode\"",
  "\"@odata.bind\"",
  "\"primarycontactid@odata.bind\"",
  "\"$1\"",
  "\\u0000",
  "\\ud800",
  "'",
  "(",
  ")",
  " eq ",
  " and ",
  " or ",
  "not ",
  "contains(",
  "startswith(",
  "null",
  "00000000-0000-0000-0000-000000000000",
  "2026-13-45T99:99:99Z",
  "%",
  "%zz",
  "%00",
  "$filter=",
  "$select=",
  "$orderby=",
  "$top=",
  "$expand=",
  "&",
  "=",
  "/",
  "accounts",
  "name",
  "\xff\xfe",
  "é",
  "9999999999999999999999",
  "\t",
  "\r\n",
};

static char *
random_text (GRand *rand, guint max_pieces)
{
  GString *s = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, (gint32) max_pieces);

  for (guint i = 0; i < n; i++)
    {
      if (g_rand_boolean (rand))
        g_string_append (s, fragments[g_rand_int_range (rand, 0, G_N_ELEMENTS (fragments))]);
      else
        g_string_append_c (s, (char) g_rand_int_range (rand, 1, 256));
    }
  return g_string_free (s, FALSE);
}

static char *
escape_query (const char *text)
{
  /* Keep '&' and '=' so option structure is fuzzed too; escape what would break the URL. */
  return g_uri_escape_string (text, "&=$", FALSE);
}

static void
test_fuzz (SbtFixture *fx, gconstpointer data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261121);
  static const char *const sets[] = { "accounts", "contacts", "salesorders", "quotes", "products" };
  guint bad_request = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree char *text = random_text (rand, 24);
      g_autoptr (SbtResponse) r = NULL;
      const char *set = sets[g_rand_int_range (rand, 0, G_N_ELEMENTS (sets))];
      guint kind = round % 6;

      switch (kind)
        {
          case 0: /* a malformed or hostile JSON body */
          case 1:
            {
              g_autofree char *body =
                  kind == 0 ? g_strdup (text) : g_strdup_printf ("{\"name\": %s}", text);
              g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
              gboolean create = g_rand_boolean (rand);

              r = sbt_send (fx, fx->token, create ? "POST" : "PATCH",
                            create ? set : "accounts(00000000-0000-0000-0000-000000000001)",
                            "application/json", bytes, NULL);
              /* Some texts happen to be a valid body; everything else is a 400. */
              if (r->status != 204)
                g_assert_cmpuint (r->status, ==, 400);
              break;
            }
          case 2: /* a query that is not OData */
            {
              g_autofree char *q = escape_query (text);
              g_autofree char *path = g_strdup_printf ("%s?$filter=%s", set, q);

              r = sbt_call (fx, "GET", path, NULL, NULL);
              if (r->status != 200)
                g_assert_cmpuint (r->status, ==, 400);
              break;
            }
          case 3: /* random options */
            {
              g_autofree char *q = escape_query (text);
              g_autofree char *path = g_strdup_printf ("%s?%s", set, q);

              r = sbt_call (fx, "GET", path, NULL, NULL);
              g_assert_cmpuint (r->status, <, 500);
              break;
            }
          case 4: /* random keys and segments */
            {
              g_autofree char *q = g_uri_escape_string (text, "()'=,", FALSE);
              g_autofree char *path = g_strdup_printf ("%s(%s)", set, q);

              r = sbt_call (fx, g_rand_boolean (rand) ? "GET" : "DELETE", path, NULL, "If-Match",
                            text[0] ? "garbage" : "*", NULL);
              g_assert_cmpuint (r->status, >=, 400);
              g_assert_cmpuint (r->status, <, 500);
              break;
            }
          case 5: /* a broken $batch */
            {
              g_autofree char *body = g_strdup_printf (
                  "--batch_F\r\nContent-Type: application/http\r\n\r\n%s\r\n--batch_F--\r\n", text);
              g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

              r = sbt_send (fx, fx->token, "POST", "$batch", "multipart/mixed; boundary=batch_F",
                            bytes, NULL);
              g_assert_cmpuint (r->status, <, 500);
              break;
            }
        }
      g_assert_cmpuint (r->status, !=, 0);
      if (r->status == 400)
        {
          bad_request++;
          g_assert_nonnull (sbt_error_message (r));
        }
    }
  g_assert_cmpuint (bad_request, >, ROUNDS / 3);

  {
    g_autoptr (SbtResponse) alive = sbt_call (fx, "GET", "WhoAmI", NULL, NULL);

    g_assert_cmpuint (alive->status, ==, 200);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sandbox/fuzz/malformed-requests", SbtFixture, NULL, sbt_fixture_setup, test_fuzz,
              sbt_fixture_teardown);
  return g_test_run ();
}
