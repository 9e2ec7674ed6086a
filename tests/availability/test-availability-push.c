/* test-availability-push.c: the Item Availability job against the sandbox
 *
 * The books and Sales organization of tests/sync/sbs-sales.h (I1, 10 in stock, coupled to an
 * inventory product) with the in-process sandbox over HTTP on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-job-queue.h"
#include "sb-sync-item-availability.h"
#include "sbs-sales.h"

typedef Sbs Fx;

static gint64 job_clock_now;

static gint64
job_clock (gpointer user_data)
{
  return job_clock_now;
}

static double
quantity_in_sales (Fx *fx)
{
  g_autoptr (JsonObject) row = sbs_get (fx, "products", fx->item_product_id);

  return json_object_get_double_member (row, "quantityonhand");
}

static SbSyncCounters
push (Fx *fx, const char *expected_failure)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *failure = NULL;
  SbSyncCounters c = { 0 };

  g_assert_true (
      sb_sync_item_availability_push (fx->engine, fx->books.store, &c, &failure, NULL, &error));
  g_assert_no_error (error);
  if (expected_failure == NULL)
    g_assert_null (failure);
  else
    g_assert_nonnull (strstr (failure, expected_failure));
  return c;
}

static gboolean
pending (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  gboolean p = FALSE;

  g_assert_true (sb_sync_item_availability_pending (fx->books.store, &p, &error));
  g_assert_no_error (error);
  return p;
}

static void
set_inventory (Fx *fx, const char *no, const char *inventory)
{
  g_autoptr (SbItem) key = sb_item_new ();
  g_autoptr (SbItem) item = NULL;
  g_autoptr (GError) error = NULL;

  sbt_set (&key->no, no);
  item = sb_record_lookup (fx->books.store, &sb_item_record_type, key, &error);
  g_assert_no_error (error);
  item->inventory = sbt_dec (inventory);
  g_assert_true (sb_record_update (fx->books.store, &sb_item_record_type, item, &error));
  g_assert_no_error (error);
}

static void
test_push (Fx *fx, gconstpointer data)
{
  Fixture *f = &fx->books;
  g_autofree char *order = NULL;
  g_autofree char *invoice = NULL;
  SbPostingQuantity ship;
  SbSyncCounters c;

  /* Never pushed: I1 goes; the uncoupled product and R1 (a resource) are not touched. */
  g_assert_true (pending (fx));
  c = push (fx, NULL);
  g_assert_cmpuint (c.modified, ==, 1);
  g_assert_cmpuint (c.failed, ==, 0);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 10.0);
  g_assert_false (pending (fx));
  c = push (fx, NULL);
  g_assert_cmpuint (c.modified + c.unchanged + c.failed, ==, 0);

  /* A shipment lowers the inventory: pushed once. */
  order = sbt_create_document (f, SB_SALES_DOC_ORDER, "C1");
  ship.line_no =
      sbt_add_line (f, SB_SALES_DOC_ORDER, order, SB_SALES_LINE_ITEM, "I1", "4", NULL, NULL, NULL);
  ship.quantity = sbt_dec ("3.5");
  invoice = sbt_post (f, order, &ship, 1);
  g_assert_true (pending (fx));
  c = push (fx, NULL);
  g_assert_cmpuint (c.modified, ==, 1);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 6.5);

  /* Negative inventory becomes 0; a further negative change is the same 0: not sent again. */
  set_inventory (fx, "I1", "-3");
  c = push (fx, NULL);
  g_assert_cmpuint (c.modified, ==, 1);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 0.0);
  sbs_update (fx, "products", fx->item_product_id, "{\"quantityonhand\": 42}");
  set_inventory (fx, "I1", "-5");
  c = push (fx, NULL);
  g_assert_cmpuint (c.modified, ==, 0);
  g_assert_cmpuint (c.unchanged, ==, 1);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 42.0);
  g_assert_false (pending (fx));
}

static void
test_product_deleted (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) gone = NULL;
  SbSyncCounters c;

  push (fx, NULL);
  g_assert_true (sb_dataverse_connection_delete_sync (fx->cnc, "products", fx->item_product_id,
                                                      NULL, NULL, &error));
  g_assert_no_error (error);
  set_inventory (fx, "I1", "12");
  /* Not re-created; counted, said, and tried again next time. */
  c = push (fx, "I1");
  g_assert_cmpuint (c.failed, ==, 1);
  g_assert_cmpuint (c.modified, ==, 0);
  gone = sb_dataverse_connection_retrieve_sync (fx->sales, "products", fx->item_product_id, NULL,
                                                NULL, NULL, &error);
  g_assert_null (gone);
  g_assert_nonnull (error);
  g_assert_true (pending (fx));
  c = push (fx, "I1");
  g_assert_cmpuint (c.failed, ==, 1);
}

static SbJobQueueEntry *
availability_job (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = sb_job_queue_list (fx->books.store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      SbJobQueueEntry *e = jobs->pdata[i];

      if (g_str_equal (e->name, SB_SYNC_ITEM_AVAILABILITY_JOB))
        return g_ptr_array_steal_index (jobs, i);
    }
  g_assert_not_reached ();
}

static void
run_jobs (SbJobQueue *queue)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (sb_job_queue_run_due_sync (queue, &n, NULL, &error));
  g_assert_no_error (error);
}

static void
test_job (Fx *fx, gconstpointer data)
{
  g_autoptr (SbJobQueue) queue = sb_job_queue_new (fx->engine);
  g_autoptr (SbJobQueueEntry) e = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t0 = 1800000000;

  job_clock_now = t0;
  sb_job_queue_set_clock (queue, job_clock, NULL);
  g_assert_true (sb_job_queue_ensure_jobs (fx->books.store, t0, &error));
  g_assert_no_error (error);
  /* §2: every 30 minutes, starts on hold with inactivity timeout 30. */
  e = availability_job (fx);
  g_assert_true (e->available);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_assert_cmpuint (e->interval, ==, 30);
  g_assert_cmpuint (e->inactivity_timeout, ==, 30);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  /* Due from the start: pushes I1 and is Ready for the next interval. */
  job_clock_now = t0 + 60;
  run_jobs (queue);
  e = availability_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_assert_cmpint (e->next_run, ==, t0 + 60 + 30 * 60);
  g_assert_cmpstr (e->message, ==, "");
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 10.0);

  /* A change waits for the next run. */
  set_inventory (fx, "I1", "9");
  job_clock_now = t0 + 120;
  run_jobs (queue);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 10.0);
  job_clock_now = t0 + 60 + 30 * 60;
  run_jobs (queue);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 9.0);

  /* A run with nothing changed: on hold for 30 minutes. */
  job_clock_now = t0 + 60 + 60 * 60;
  run_jobs (queue);
  e = availability_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_assert_cmpint (e->next_run, ==, t0 + 60 + 90 * 60);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  job_clock_now = t0 + 61 * 60 + 60;
  run_jobs (queue);
  e = availability_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_ON_HOLD_INACTIVITY);
  g_clear_pointer (&e, sb_job_queue_entry_free);

  /* An inventory change wakes it before its timeout. */
  set_inventory (fx, "I1", "8");
  job_clock_now = t0 + 62 * 60;
  run_jobs (queue);
  e = availability_job (fx);
  g_assert_cmpint (e->status, ==, SB_JOB_STATUS_READY);
  g_clear_pointer (&e, sb_job_queue_entry_free);
  g_assert_cmpfloat (quantity_in_sales (fx), ==, 8.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/availability-push/push", Fx, NULL, sbs_sales_set_up, test_push,
              sbs_sales_tear_down);
  g_test_add ("/availability-push/product-deleted", Fx, NULL, sbs_sales_set_up,
              test_product_deleted, sbs_sales_tear_down);
  g_test_add ("/availability-push/job", Fx, NULL, sbs_sales_set_up, test_job, sbs_sales_tear_down);
  return g_test_run ();
}
