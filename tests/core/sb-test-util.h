/* sb-test-util.h: fixtures the core tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

#include "sb-store.h"

G_BEGIN_DECLS

/* A fresh temporary directory, removed with its files by sb_test_tmpdir_free. */
static inline char *
sb_test_tmpdir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("salesbridge-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static inline void
sb_test_tmpdir_free (char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

static inline SbStore *
sb_test_open_store (const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  SbStore *store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

G_END_DECLS
