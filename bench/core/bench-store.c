/* bench-store.c: how fast the books fill and read back
 *
 * Seeds a company of N customers (default 100,000; argv[1] overrides) into
 * a temporary database and times the seed, a full customer list (what the
 * GUI's worker does on opening), a case-insensitive search and a
 * "changed since" read of the last 1,000 changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <locale.h>

#include "sb-customer.h"
#include "sb-demo-data.h"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("salesbridge-bench-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  SbDemoOptions options = { 100000, 200, 20, 2000, 1 };
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc > 1)
    options.customers = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  g_setenv ("SALESBRIDGE_WORK_DATE", "2026-11-21", TRUE);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.sbdb", NULL);
  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  if (!sb_demo_seed (store, &options, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_print ("seed: %u customers (+ contacts), %u items, %u resources, %u orders: %.2f s\n",
           options.customers, options.items, options.resources, options.orders,
           seconds_since (start));

  start = g_get_monotonic_time ();
  rows = sb_customer_list (store, NULL, &error);
  g_assert_no_error (error);
  g_print ("list all %u customers: %.3f s\n", rows->len, seconds_since (start));
  g_clear_pointer (&rows, g_ptr_array_unref);

  start = g_get_monotonic_time ();
  rows = sb_customer_list (store, "reykjavík", &error);
  g_assert_no_error (error);
  g_print ("search “reykjavík”: %u hits in %.3f s\n", rows->len, seconds_since (start));
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Change every 100th customer, then ask what changed: an index range,
   * whatever the size of the table. */
  {
    gint64 mark = sb_store_get_change_number (store);
    g_autoptr (GPtrArray) all = sb_customer_list (store, NULL, &error);

    start = g_get_monotonic_time ();
    g_assert_true (sb_store_begin (store, &error));
    for (guint i = 0; i < all->len; i += 100)
      {
        SbCustomer *c = all->pdata[i];
        g_free (c->phone);
        c->phone = g_strdup ("+46 8 000 00 00");
        if (!sb_customer_update (store, c, &error))
          g_error ("%s", error->message);
      }
    g_assert_true (sb_store_commit (store, &error));
    g_print ("update %u customers in one transaction: %.3f s\n", (all->len + 99) / 100,
             seconds_since (start));

    start = g_get_monotonic_time ();
    rows = sb_record_list_changed (store, &sb_customer_record_type, mark, 0, &error);
    g_assert_no_error (error);
    g_print ("read the %u changed customers: %.4f s\n", rows->len, seconds_since (start));
  }

  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "")       ? "-wal"
                                                         : g_str_equal (suffix, "-wal") ? "-shm"
                                                                                        : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
  return 0;
}
