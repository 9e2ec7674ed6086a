/* sb-demo-data.h: a believable demo company
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint customers;
  guint items;
  guint resources;
  guint orders;
  guint32 seed; /* same seed, same data */
} SbDemoOptions;

/* Progress for long seeds: @done of @total rows written so far. */
typedef void (*SbDemoProgressFunc) (guint done, guint total, gpointer user_data);

/* Fills an empty company with setup, code tables, customers with contacts,
 * items, resources, sales prices and open orders.  Everything is written in
 * one transaction: on error nothing is left half-seeded.  Refuses a company
 * that already has customers. */
gboolean sb_demo_seed (SbStore *store, const SbDemoOptions *options, SbDemoProgressFunc progress,
                       gpointer user_data, GError **error);

G_END_DECLS
