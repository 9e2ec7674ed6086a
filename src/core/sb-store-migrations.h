/* sb-store-migrations.h: the ordered schema steps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint version;   /* PRAGMA user_version after this step */
  const char *sql; /* run inside the migration's transaction */
} SbMigration;

const SbMigration *sb_store_get_migrations (guint *n_migrations);

G_END_DECLS
