/* test-dataverse-sandbox.c: the Dataverse client against the in-process sandbox over HTTP on
 * 127.0.0.1: sign-in, every operation, paging with flat memory, delta links, $batch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dvt-util.h"

#include <string.h>

#define ADD(name, func, configure)                                                                 \
  g_test_add (name, DvtFixture, (gconstpointer) (configure), dvt_fixture_setup, func,              \
              dvt_fixture_teardown)

static JsonObject *
account (const char *name, const char *number)
{
  JsonObject *record = json_object_new ();

  json_object_set_string_member (record, "name", name);
  if (number != NULL)
    json_object_set_string_member (record, "accountnumber", number);
  return record;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_sign_in (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *org = NULL;
  g_autofree char *expected =
      sb_sandbox_server_dup_user_id (fx->server, SB_SANDBOX_INTEGRATION_CLIENT);

  g_assert_true (sb_dataverse_connection_sign_in_sync (fx->cnc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sb_dataverse_connection_who_am_i_sync (fx->cnc, &user, &unit, &org, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user, ==, expected);
  g_assert_true (sb_dataverse_is_guid (unit));
  g_assert_true (sb_dataverse_is_guid (org));
}

static void
test_wrong_secret (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (SbDataverseConnection) cnc =
      dvt_connection_new (fx->base, SB_SANDBOX_INTEGRATION_CLIENT, "not-the-secret");
  g_autoptr (SbDataverseConnection) nobody = dvt_connection_new (fx->base, "no-such-client", "x");
  g_autoptr (GError) error = NULL;
  guint64 sent;

  g_assert_false (sb_dataverse_connection_sign_in_sync (cnc, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_AUTH);
  /* The user sees what Entra ID said, without its trace ids. */
  g_assert_nonnull (strstr (error->message, "AADSTS"));
  g_assert_null (strstr (error->message, "Trace ID"));
  g_assert_true (g_str_has_prefix (sb_dataverse_error_get_code (error), "AADSTS"));
  g_assert_cmpuint (sb_dataverse_error_get_status (error), >=, 400);
  g_clear_error (&error);

  /* A request with a refused sign-in fails the same way and sends nothing to Dataverse but
   * the one token request: no retry loop on a wrong secret. */
  sent = sb_dataverse_connection_get_n_sent (cnc);
  g_assert_false (sb_dataverse_connection_who_am_i_sync (cnc, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_AUTH);
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (cnc), ==, sent + 1);
  g_clear_error (&error);

  g_assert_false (sb_dataverse_connection_sign_in_sync (nobody, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "AADSTS"));
}

static void
short_tokens (SbSandboxServer *server)
{
  sb_sandbox_server_set_token_lifetime (server, 2);
}

typedef struct
{
  SbDataverseConnection *cnc;
  guint n_ok;
  guint n_failed;
} Hammer;

static gpointer
hammer_thread (gpointer data)
{
  Hammer *h = data;
  gint64 until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until)
    {
      g_autoptr (GError) error = NULL;

      if (sb_dataverse_connection_who_am_i_sync (h->cnc, NULL, NULL, NULL, NULL, &error))
        g_atomic_int_inc (&h->n_ok);
      else
        {
          g_test_message ("WhoAmI failed: %s", error->message);
          g_atomic_int_inc (&h->n_failed);
        }
      g_usleep (50 * 1000);
    }
  return NULL;
}

static void
test_token_refresh (DvtFixture *fx, gconstpointer data)
{
  Hammer h = { fx->cnc, 0, 0 };
  GThread *threads[4];

  /* Tokens live 2 s: over 3 s four threads need several refreshes, one at a time, and no
   * request may fail for it. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer_thread, &h);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (h.n_failed, ==, 0);
  g_assert_cmpuint (h.n_ok, >, 20);
  /* Each refresh is one extra request: at least two, far fewer than one per call. */
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (fx->cnc), >=, h.n_ok + 2);
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (fx->cnc), <, h.n_ok + h.n_ok / 4);
}

/* ------------------------------------------------------------------------------------------ */

static void
test_crud (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = account ("Crud Ltd", "CRUD-1");
  g_autoptr (JsonObject) read = NULL;
  g_autoptr (JsonObject) changes = json_object_new ();
  g_autoptr (JsonObject) representation = NULL;
  g_autofree char *id = sb_dataverse_new_guid ();
  g_autofree char *created = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *upserted = NULL;
  g_autofree char *new_id = sb_dataverse_new_guid ();
  const char *select[] = { "name", "accountnumber", "creditlimit", NULL };

  /* Create with a client-generated id. */
  json_object_set_string_member (record, "accountid", id);
  created =
      sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, record, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created, ==, id);

  read = sb_dataverse_connection_retrieve_sync (fx->cnc, SB_DV_ACCOUNTS, id, select, NULL, NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_json_get_string (read, "name", NULL), ==, "Crud Ltd");
  g_assert_cmpstr (sb_json_get_guid (read, "accountid"), ==, id);
  g_assert_null (sb_json_get_string (read, "creditlimit", NULL)); /* null → default */
  g_assert_cmpint (sb_json_get_int (read, "creditlimit", -7), ==, -7);
  etag = g_strdup (sb_json_get_etag (read));
  g_assert_nonnull (etag);

  /* Update with the etag read: accepted; with the same (now old) etag: 412. */
  json_object_set_int_member (changes, "creditlimit", 5000);
  g_assert_true (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, id, changes,
                                                     SB_DATAVERSE_WRITE_UPDATE, etag, NULL, NULL,
                                                     NULL, &error));
  g_assert_no_error (error);
  json_object_set_int_member (changes, "creditlimit", 6000);
  g_assert_false (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, id, changes,
                                                      SB_DATAVERSE_WRITE_UPDATE, etag, NULL, NULL,
                                                      NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_CONFLICT);
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 412);
  g_assert_nonnull (strstr (error->message, "changed by someone else"));
  g_clear_error (&error);

  /* If-Match * with representation. */
  g_assert_true (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, id, changes,
                                                     SB_DATAVERSE_WRITE_UPDATE, NULL, NULL,
                                                     &representation, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sb_json_get_int (representation, "creditlimit", 0), ==, 6000);
  g_clear_pointer (&representation, json_object_unref);

  /* Update of a missing record: 404, not an upsert. */
  g_assert_false (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, new_id, changes,
                                                      SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
                                                      NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND);
  g_assert_cmpstr (sb_dataverse_error_get_code (error), ==, "0x80040217");
  g_clear_error (&error);

  /* Upsert creates it, create-only then refuses. */
  json_object_set_string_member (changes, "name", "Upserted");
  g_assert_true (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, new_id, changes,
                                                     SB_DATAVERSE_WRITE_UPSERT, NULL, &upserted,
                                                     NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (upserted, ==, new_id);
  g_assert_false (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, new_id, changes,
                                                      SB_DATAVERSE_WRITE_CREATE_ONLY, NULL, NULL,
                                                      NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DUPLICATE);
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 412);
  g_clear_error (&error);

  /* A second create with the same id: a duplicate, not a second record. */
  g_assert_null (
      sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, record, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* Create with a server id and representation. */
  {
    g_autoptr (JsonObject) other = account ("Served Id", NULL);
    g_autofree char *other_id = sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, other,
                                                                     &representation, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (sb_dataverse_is_guid (other_id));
    g_assert_cmpstr (sb_json_get_guid (representation, "accountid"), ==, other_id);
    g_assert_cmpstr (sb_json_get_string (representation, "name", NULL), ==, "Served Id");
  }

  /* Delete, then delete again: 404. */
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->cnc, SB_DV_ACCOUNTS, id, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (
      sb_dataverse_connection_delete_sync (fx->cnc, SB_DV_ACCOUNTS, id, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND);
  g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 404);
  g_clear_error (&error);
  g_assert_null (sb_dataverse_connection_retrieve_sync (fx->cnc, SB_DV_ACCOUNTS, id, NULL, NULL,
                                                        NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND);
}

/* Names that break naive URL building: quote, ampersand, hash, plus, percent, slash, non-ASCII. */
static const char *const nasty[] = {
  "O'Brien & Söhne #1 + 50% / Ltd",
  "Ærø ''quoted'' ?x=1",
  "日本語の会社",
};

/* Characters Dataverse refuses in alternate key values (/ < > * % & : \\ ? +) left out. */
static const char *const keys[] = {
  "O'Brien Söhne #1",
  "Ærø ''quoted'' =x,y",
  "日本語の会社 (Tokyo)",
};

static void
test_alternate_key (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *refused = sb_dataverse_alternate_key ("accountnumber", nasty[0], NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) record = account (keys[i], keys[i]);
      g_autofree char *id =
          sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, record, NULL, NULL, &error);
      g_autofree char *key = sb_dataverse_alternate_key ("accountnumber", keys[i], NULL);
      g_autoptr (JsonObject) read = NULL;
      g_autoptr (JsonObject) changes = json_object_new ();

      g_assert_no_error (error);
      read = sb_dataverse_connection_retrieve_sync (fx->cnc, SB_DV_ACCOUNTS, key, NULL, NULL, NULL,
                                                    &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sb_json_get_guid (read, "accountid"), ==, id);
      g_assert_cmpstr (sb_json_get_string (read, "name", NULL), ==, keys[i]);

      json_object_set_string_member (changes, "telephone1", "+47 22 00 00 00");
      g_assert_true (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, key, changes,
                                                         SB_DATAVERSE_WRITE_UPDATE, NULL, NULL,
                                                         NULL, NULL, &error));
      g_assert_no_error (error);
    }

  /* A key value Dataverse cannot look up by: a clear error, nothing sent. */
  g_assert_null (sb_dataverse_connection_retrieve_sync (fx->cnc, SB_DV_ACCOUNTS, refused, NULL,
                                                        NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_REQUEST);
}

typedef struct
{
  GPtrArray *names;
  guint n_rows;
  guint n_pages;
  guint max_page;
  GPtrArray *removed;
  gboolean full_read;
  gsize heap_at_page_2;
  gsize heap_max;
  GPtrArray *kept; /* JsonArray*, when the test keeps rows on purpose */
  GCancellable *cancel_at_page_2;
  GThread *expected_thread;
  guint stop_after; /* pages; 0 = read everything */
} Collect;

static void
collect_clear (Collect *c)
{
  g_clear_pointer (&c->names, g_ptr_array_unref);
  g_clear_pointer (&c->removed, g_ptr_array_unref);
  g_clear_pointer (&c->kept, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Collect, collect_clear)

static gboolean
collect_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  Collect *c = user_data;
  guint n = json_array_get_length (page->rows);

  if (c->expected_thread != NULL)
    g_assert_true (g_thread_self () == c->expected_thread);
  g_assert_cmpuint (page->index, ==, c->n_pages);
  c->n_pages++;
  c->n_rows += n;
  c->max_page = MAX (c->max_page, n);
  c->full_read = page->full_read;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);

      if (c->names != NULL)
        g_ptr_array_add (c->names, g_strdup (sb_json_get_string (row, "name", "")));
    }
  for (guint i = 0; page->removed[i] != NULL; i++)
    {
      if (c->removed == NULL)
        c->removed = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c->removed, g_strdup (page->removed[i]));
    }
  if (c->kept != NULL)
    g_ptr_array_add (c->kept, json_array_ref (page->rows));
  if (page->index == 1)
    c->heap_at_page_2 = dvt_live_heap_bytes ();
  c->heap_max = MAX (c->heap_max, dvt_live_heap_bytes ());
  if (page->index == 1 && c->cancel_at_page_2 != NULL)
    g_cancellable_cancel (c->cancel_at_page_2);
  return c->stop_after == 0 || c->n_pages < c->stop_after;
}

static void
test_query_filter (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr (JsonObject) record = account (nasty[i], NULL);
      g_autofree char *id = NULL;

      json_object_set_int_member (record, "creditlimit", 100 * (i + 1));
      id =
          sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, record, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  /* Each nasty name finds exactly its record, with eq and with contains. */
  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
      g_auto (Collect) c = { .names = g_ptr_array_new_with_free_func (g_free) };

      sb_dataverse_query_select (query, "name", "creditlimit", NULL);
      sb_dataverse_query_set_filter (
          query,
          sb_dataverse_filter_or (
              sb_dataverse_filter_string ("name", SB_DATAVERSE_EQ, nasty[i]),
              sb_dataverse_filter_and (sb_dataverse_filter_contains ("name", nasty[i]),
                                       sb_dataverse_filter_null ("name", SB_DATAVERSE_EQ), NULL),
              NULL));
      g_assert_true (sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &c, NULL,
                                                         NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (c.n_rows, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (c.names, 0), ==, nasty[i]);
    }

  /* orderby, top and a numeric comparison. */
  {
    g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
    g_auto (Collect) c = { .names = g_ptr_array_new_with_free_func (g_free) };

    sb_dataverse_query_select (query, "name", NULL);
    sb_dataverse_query_set_filter (query,
                                   sb_dataverse_filter_int ("creditlimit", SB_DATAVERSE_GE, 200));
    sb_dataverse_query_order_by (query, "creditlimit", TRUE);
    sb_dataverse_query_set_top (query, 1);
    g_assert_true (
        sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &c, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (c.n_rows, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (c.names, 0), ==, nasty[2]);
  }

  /* A bad query is Dataverse's 400 with its message. */
  {
    g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
    g_auto (Collect) c = { 0 };

    sb_dataverse_query_select (query, "nosuchcolumn", NULL);
    g_assert_false (
        sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &c, NULL, NULL, &error));
    g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_BAD_REQUEST);
    g_assert_cmpuint (sb_dataverse_error_get_status (error), ==, 400);
    g_assert_nonnull (sb_dataverse_error_get_code (error));
  }
}

#define N_PAGED 20000
#define PAGE 500

static void
many_accounts (SbSandboxServer *server)
{
  sb_sandbox_server_set_extra_accounts (server, N_PAGED);
}

static void
test_paging_flat (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_auto (Collect) flat = { 0 };
  g_auto (Collect) kept = { 0 };
  gsize flat_growth, kept_growth;

  sb_dataverse_query_set_page_size (query, PAGE);
  sb_dataverse_query_set_annotations (query, "*");
  g_assert_true (
      sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &flat, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (flat.n_rows, >=, N_PAGED);
  g_assert_cmpuint (flat.max_page, ==, PAGE);
  g_assert_cmpuint (flat.n_pages, ==, (flat.n_rows + PAGE - 1) / PAGE);

  /* The same read keeping every page (the first 5,000 rows are enough): the measure must see
   * the difference, or it proves nothing about the library. Stopping early is quiet. */
  kept.kept = g_ptr_array_new_with_free_func ((GDestroyNotify) json_array_unref);
  kept.stop_after = 10;
  g_assert_true (
      sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &kept, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kept.n_rows, ==, 10 * PAGE);

  flat_growth = flat.heap_max > flat.heap_at_page_2 ? flat.heap_max - flat.heap_at_page_2 : 0;
  kept_growth = kept.heap_max > kept.heap_at_page_2 ? kept.heap_max - kept.heap_at_page_2 : 0;
  g_test_message ("live heap growth over %u rows: %" G_GSIZE_FORMAT " KiB; over %u rows kept "
                  "by the caller: %" G_GSIZE_FORMAT " KiB",
                  flat.n_rows, flat_growth / 1024, kept.n_rows, kept_growth / 1024);
  g_assert_cmpuint (kept_growth, >, 16 * 1024 * 1024);
  g_assert_cmpuint (flat_growth, <, 4 * 1024 * 1024);
}

/* ------------------------------------------------------------------------------------------ */

static char *
create_named (DvtFixture *fx, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = account (name, NULL);
  char *id =
      sb_dataverse_connection_create_sync (fx->cnc, SB_DV_ACCOUNTS, record, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static gboolean
ptr_array_has_string (GPtrArray *array, const char *s)
{
  for (guint i = 0; array != NULL && i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), s))
      return TRUE;
  return FALSE;
}

static void
test_delta (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_autofree char *delta = NULL;
  g_autofree char *delta2 = NULL;
  g_autofree char *delta3 = NULL;
  g_autofree char *keep = create_named (fx, "Delta Keep");
  g_autofree char *gone = create_named (fx, "Delta Gone");
  g_autofree char *added = NULL;
  g_autoptr (JsonObject) changes = json_object_new ();
  g_auto (Collect) full = { .names = g_ptr_array_new_with_free_func (g_free) };
  g_auto (Collect) c = { .names = g_ptr_array_new_with_free_func (g_free) };
  g_auto (Collect) none = { 0 };

  sb_dataverse_query_select (query, "name", "accountnumber", NULL);
  sb_dataverse_query_set_track_changes (query, TRUE);
  sb_dataverse_query_set_page_size (query, 2);
  g_assert_true (sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &full, &delta,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (delta);
  g_assert_true (g_str_has_prefix (delta, fx->base));
  g_assert_true (full.full_read);
  g_assert_true (ptr_array_has_string (full.names, "Delta Keep"));

  added = create_named (fx, "Delta Added");
  json_object_set_string_member (changes, "name", "Delta Kept");
  g_assert_true (sb_dataverse_connection_write_sync (fx->cnc, SB_DV_ACCOUNTS, keep, changes,
                                                     SB_DATAVERSE_WRITE_UPDATE, NULL, NULL, NULL,
                                                     NULL, &error));
  g_assert_true (
      sb_dataverse_connection_delete_sync (fx->cnc, SB_DV_ACCOUNTS, gone, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (sb_dataverse_connection_read_changes_sync (fx->cnc, delta, query, collect_page, &c,
                                                            &delta2, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (c.full_read);
  g_assert_cmpuint (c.n_rows, ==, 2);
  g_assert_true (ptr_array_has_string (c.names, "Delta Added"));
  g_assert_true (ptr_array_has_string (c.names, "Delta Kept"));
  g_assert_nonnull (c.removed);
  g_assert_cmpuint (c.removed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c.removed, 0), ==, gone);
  g_assert_nonnull (delta2);
  g_assert_cmpstr (delta2, !=, delta);

  /* Nothing changed since. */
  g_assert_true (sb_dataverse_connection_read_changes_sync (fx->cnc, delta2, NULL, collect_page,
                                                            &none, &delta3, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (none.n_rows, ==, 0);
  g_assert_null (none.removed);
  g_assert_nonnull (delta3);
}

static void
short_delta_tokens (SbSandboxServer *server)
{
  sb_sandbox_server_set_delta_token_lifetime (server, 1);
}

static void
test_delta_expired (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_autofree char *delta = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *id = create_named (fx, "Expiring");
  g_auto (Collect) first = { 0 };
  g_auto (Collect) c = { .names = g_ptr_array_new_with_free_func (g_free) };
  g_auto (Collect) none = { 0 };

  sb_dataverse_query_select (query, "name", NULL);
  sb_dataverse_query_set_track_changes (query, TRUE);
  g_assert_true (sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &first, &delta,
                                                     NULL, &error));
  g_assert_no_error (error);
  g_usleep (2200 * 1000);

  /* Without a query to fall back on: a distinct error. */
  g_assert_false (sb_dataverse_connection_read_changes_sync (fx->cnc, delta, NULL, collect_page,
                                                             &none, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DELTA_EXPIRED);
  g_assert_cmpuint (none.n_pages, ==, 0);
  g_clear_error (&error);

  /* With one: a full read, marked as such, and a fresh delta link. */
  g_assert_true (sb_dataverse_connection_read_changes_sync (fx->cnc, delta, query, collect_page, &c,
                                                            &fresh, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (c.full_read);
  g_assert_true (ptr_array_has_string (c.names, "Expiring"));
  g_assert_nonnull (fresh);

  /* A damaged token is treated the same way. */
  forged =
      g_strconcat (fx->base, "api/data/v9.2/accounts?$select=name&$deltatoken=1%2112%21bad", NULL);
  g_assert_false (sb_dataverse_connection_read_changes_sync (fx->cnc, forged, NULL, collect_page,
                                                             &none, NULL, NULL, &error));
  g_assert_error (error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_DELTA_EXPIRED);
}

/* ------------------------------------------------------------------------------------------ */

static guint
count_named (DvtFixture *fx, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_auto (Collect) c = { 0 };

  sb_dataverse_query_select (query, "name", NULL);
  sb_dataverse_query_set_filter (query, sb_dataverse_filter_starts_with ("name", prefix));
  g_assert_true (
      sb_dataverse_connection_query_sync (fx->cnc, query, collect_page, &c, NULL, NULL, &error));
  g_assert_no_error (error);
  return c.n_rows;
}

static void
add_failing_batch (SbDataverseBatch *batch, guint *good_account, guint *good_contact,
                   guint *bad_create, guint *bad_update, guint *lone)
{
  g_autoptr (JsonObject) a1 = account ("Batch Good", NULL);
  g_autoptr (JsonObject) contact = json_object_new ();
  g_autoptr (JsonObject) a2 = account ("Batch Rolled Back", NULL);
  g_autoptr (JsonObject) changes = account ("Batch Nowhere", NULL);
  g_autoptr (JsonObject) a3 = account ("Batch Lone", NULL);
  g_autofree char *missing = sb_dataverse_new_guid ();
  g_autofree char *ref = NULL;

  sb_dataverse_batch_begin_changeset (batch);
  *good_account = sb_dataverse_batch_add_create (batch, SB_DV_ACCOUNTS, a1);
  ref = sb_dataverse_batch_dup_reference (batch, *good_account);
  json_object_set_string_member (contact, "lastname", "Referenced");
  json_object_set_string_member (contact, "parentcustomerid_account@odata.bind", ref);
  *good_contact = sb_dataverse_batch_add_create (batch, SB_DV_CONTACTS, contact);
  sb_dataverse_batch_end_changeset (batch);

  sb_dataverse_batch_begin_changeset (batch);
  *bad_create = sb_dataverse_batch_add_create (batch, SB_DV_ACCOUNTS, a2);
  *bad_update = sb_dataverse_batch_add_update (batch, SB_DV_ACCOUNTS, missing, changes, NULL);
  sb_dataverse_batch_end_changeset (batch);

  *lone = sb_dataverse_batch_add_create (batch, SB_DV_ACCOUNTS, a3);
}

static void
test_batch (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();
  g_autoptr (SbDataverseBatch) stopping = sb_dataverse_batch_new ();
  guint good_account, good_contact, bad_create, bad_update, lone;
  const SbDataverseBatchResult *r;
  g_autoptr (JsonObject) contact = NULL;

  add_failing_batch (batch, &good_account, &good_contact, &bad_create, &bad_update, &lone);
  sb_dataverse_batch_set_continue_on_error (batch, TRUE);
  g_assert_true (sb_dataverse_connection_execute_batch_sync (fx->cnc, batch, NULL, &error));
  g_assert_no_error (error);

  r = sb_dataverse_batch_get_result (batch, good_account);
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 204);
  g_assert_true (sb_dataverse_is_guid (r->entity_id));
  r = sb_dataverse_batch_get_result (batch, good_contact);
  g_assert_no_error (r->error);
  contact = sb_dataverse_connection_retrieve_sync (fx->cnc, SB_DV_CONTACTS, r->entity_id, NULL,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sb_json_get_lookup (contact, "parentcustomerid"), ==,
                   sb_dataverse_batch_get_result (batch, good_account)->entity_id);

  /* The failing changeset: its failure, and its other request undone. */
  r = sb_dataverse_batch_get_result (batch, bad_update);
  g_assert_error (r->error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND);
  g_assert_cmpuint (r->status, ==, 404);
  r = sb_dataverse_batch_get_result (batch, bad_create);
  g_assert_error (r->error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_ROLLED_BACK);
  g_assert_cmpuint (count_named (fx, "Batch Rolled Back"), ==, 0);

  /* continue-on-error: the request after it ran. */
  r = sb_dataverse_batch_get_result (batch, lone);
  g_assert_no_error (r->error);
  g_assert_cmpuint (count_named (fx, "Batch Lone"), ==, 1);
  g_assert_cmpuint (sb_dataverse_batch_get_n_failed (batch), ==, 2);

  /* Without continue-on-error the batch stops at the failed changeset. */
  add_failing_batch (stopping, &good_account, &good_contact, &bad_create, &bad_update, &lone);
  g_assert_true (sb_dataverse_connection_execute_batch_sync (fx->cnc, stopping, NULL, &error));
  g_assert_no_error (error);
  g_assert_no_error (sb_dataverse_batch_get_result (stopping, good_account)->error);
  g_assert_error (sb_dataverse_batch_get_result (stopping, lone)->error, SB_DATAVERSE_ERROR,
                  SB_DATAVERSE_ERROR_NOT_EXECUTED);
  g_assert_cmpuint (count_named (fx, "Batch Lone"), ==, 1);
  g_assert_cmpuint (count_named (fx, "Batch Good"), ==, 2);
}

static void
test_batch_split (DvtFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseBatch) batch = sb_dataverse_batch_new ();
  guint64 sent_before;
  guint n = 2 * SB_DATAVERSE_BATCH_MAX_REQUESTS + 500;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Split %05u", i);
      g_autoptr (JsonObject) record = account (name, NULL);

      sb_dataverse_batch_add_create (batch, SB_DV_ACCOUNTS, record);
    }
  g_assert_true (sb_dataverse_connection_sign_in_sync (fx->cnc, NULL, &error));
  sent_before = sb_dataverse_connection_get_n_sent (fx->cnc);
  g_assert_true (sb_dataverse_connection_execute_batch_sync (fx->cnc, batch, NULL, &error));
  g_assert_no_error (error);
  /* Three $batch requests of ≤ 1,000. */
  g_assert_cmpuint (sb_dataverse_connection_get_n_sent (fx->cnc) - sent_before, ==, 3);
  g_assert_cmpuint (sb_dataverse_batch_get_n_failed (batch), ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_true (sb_dataverse_is_guid (sb_dataverse_batch_get_result (batch, i)->entity_id));
  g_assert_cmpuint (count_named (fx, "Split "), ==, n);
}

/* ------------------------------------------------------------------------------------------ */

typedef struct
{
  gboolean done;
  GError *error;
  char *text;
  JsonObject *object;
} AsyncResult;

static void
who_am_i_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *r = data;

  sb_dataverse_connection_who_am_i_finish (SB_DATAVERSE_CONNECTION (source), result, &r->text, NULL,
                                           NULL, &r->error);
  r->done = TRUE;
}

static void
create_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *r = data;

  r->text = sb_dataverse_connection_create_finish (SB_DATAVERSE_CONNECTION (source), result,
                                                   &r->object, &r->error);
  r->done = TRUE;
}

static void
query_done (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *r = data;

  sb_dataverse_connection_query_finish (SB_DATAVERSE_CONNECTION (source), result, &r->text,
                                        &r->error);
  r->done = TRUE;
}

static void
async_result_clear (AsyncResult *r)
{
  g_clear_error (&r->error);
  g_clear_pointer (&r->text, g_free);
  g_clear_pointer (&r->object, json_object_unref);
  r->done = FALSE;
}

static void
test_async (DvtFixture *fx, gconstpointer data)
{
  AsyncResult r = { 0 };
  g_autofree char *expected =
      sb_sandbox_server_dup_user_id (fx->server, SB_SANDBOX_INTEGRATION_CLIENT);
  g_autoptr (JsonObject) record = account ("Async Co", NULL);
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_ACCOUNTS);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Collect c = { .expected_thread = g_thread_self () };
  Collect cancelled = { .expected_thread = g_thread_self (), .cancel_at_page_2 = cancellable };

  sb_dataverse_connection_who_am_i_async (fx->cnc, NULL, who_am_i_done, &r);
  dvt_wait_for (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.text, ==, expected);
  async_result_clear (&r);

  sb_dataverse_connection_create_async (fx->cnc, SB_DV_ACCOUNTS, record, TRUE, NULL, create_done,
                                        &r);
  dvt_wait_for (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (sb_dataverse_is_guid (r.text));
  g_assert_cmpstr (sb_json_get_string (r.object, "name", NULL), ==, "Async Co");
  async_result_clear (&r);

  /* Pages arrive on this thread (the caller's context), one at a time. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = create_named (fx, "Async Page");
    }
  sb_dataverse_query_select (query, "name", NULL);
  sb_dataverse_query_set_page_size (query, 5);
  sb_dataverse_connection_query_async (fx->cnc, query, collect_page, &c, NULL, query_done, &r);
  dvt_wait_for (&r.done);
  g_assert_no_error (r.error);
  g_assert_cmpuint (c.n_rows, >=, 31);
  g_assert_cmpuint (c.max_page, ==, 5);
  async_result_clear (&r);

  /* Cancelled on the second page: no third page, G_IO_ERROR_CANCELLED. */
  sb_dataverse_connection_query_async (fx->cnc, query, collect_page, &cancelled, cancellable,
                                       query_done, &r);
  dvt_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cancelled.n_pages, ==, 2);
  async_result_clear (&r);

  /* Cancelled before it starts. */
  sb_dataverse_connection_who_am_i_async (fx->cnc, cancellable, who_am_i_done, &r);
  dvt_wait_for (&r.done);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  async_result_clear (&r);
  collect_clear (&c);
  collect_clear (&cancelled);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/dataverse/sandbox/sign-in", test_sign_in, NULL);
  ADD ("/dataverse/sandbox/wrong-secret", test_wrong_secret, NULL);
  ADD ("/dataverse/sandbox/token-refresh", test_token_refresh, short_tokens);
  ADD ("/dataverse/sandbox/crud", test_crud, NULL);
  ADD ("/dataverse/sandbox/alternate-key", test_alternate_key, NULL);
  ADD ("/dataverse/sandbox/query-filter", test_query_filter, NULL);
  ADD ("/dataverse/sandbox/paging-flat", test_paging_flat, many_accounts);
  ADD ("/dataverse/sandbox/delta", test_delta, NULL);
  ADD ("/dataverse/sandbox/delta-expired", test_delta_expired, short_delta_tokens);
  ADD ("/dataverse/sandbox/batch", test_batch, NULL);
  ADD ("/dataverse/sandbox/batch-split", test_batch_split, NULL);
  ADD ("/dataverse/sandbox/async", test_async, NULL);
  return g_test_run ();
}
