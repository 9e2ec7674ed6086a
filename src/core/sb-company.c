/* sb-company.c: the company databases in the user's companies folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-company.h"
#include "sb-core-error.h"
#include "sb-setup.h"
#include "sb-store.h"

void
sb_company_info_free (SbCompanyInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->name);
  g_free (info);
}

char *
sb_company_get_dir (void)
{
  g_autofree char *path = sb_store_get_default_path ();

  return g_path_get_dirname (path);
}

static char *
file_title (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, ".sbdb"))
    base[strlen (base) - strlen (".sbdb")] = '\0';
  return g_steal_pointer (&base);
}

static int
compare_infos (gconstpointer a, gconstpointer b)
{
  const SbCompanyInfo *x = *(SbCompanyInfo *const *) a;
  const SbCompanyInfo *y = *(SbCompanyInfo *const *) b;
  g_autofree char *kx = g_utf8_collate_key (x->name, -1);
  g_autofree char *ky = g_utf8_collate_key (y->name, -1);
  int c = strcmp (kx, ky);

  return c != 0 ? c : strcmp (x->path, y->path);
}

GPtrArray *
sb_company_list (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) companies =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_company_info_free);
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GDir) folder = g_dir_open (dir, 0, &local_error);
  const char *entry;

  if (folder == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&companies);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                   _ ("Could not list the companies in “%s”: %s"), dir, local_error->message);
      return NULL;
    }
  while ((entry = g_dir_read_name (folder)) != NULL)
    {
      SbCompanyInfo *info;
      g_autoptr (SbStore) store = NULL;
      g_autoptr (SbGeneralSetup) setup = NULL;

      if (!g_str_has_suffix (entry, ".sbdb"))
        continue;
      info = g_new0 (SbCompanyInfo, 1);
      info->path = g_build_filename (dir, entry, NULL);
      /* A company an older Salesbridge made, or a damaged file, still shows by its file name:
       * opening it says what is wrong. */
      store = sb_store_open (info->path, SB_STORE_OPEN_READ_ONLY, NULL);
      if (store != NULL)
        setup = sb_general_setup_get (store, NULL);
      info->name = setup != NULL && setup->company_name != NULL && *setup->company_name != '\0'
                       ? g_strdup (setup->company_name)
                       : file_title (info->path);
      g_ptr_array_add (companies, info);
    }
  g_ptr_array_sort (companies, compare_infos);
  return g_steal_pointer (&companies);
}

/* A file name from the company's name: letters and digits kept, the rest a dash. */
static char *
slug (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, NULL);
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '-')
        g_string_append_c (out, '-');
    }
  while (out->len > 0 && out->str[out->len - 1] == '-')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "company");
  return g_string_free (out, FALSE);
}

char *
sb_company_create (const char *dir, const char *name, GError **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name != NULL ? name : ""));
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbGeneralSetup) setup = NULL;

  if (*stripped == '\0')
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Enter the company’s name: it names the company’s file and its window."));
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_FAILED,
                   _ ("Could not create the folder “%s” for the company database: %s"), dir,
                   g_strerror (saved));
      return NULL;
    }
  base = slug (stripped);
  /* Never reuse an existing file: that would open another company's books. */
  for (guint n = 1;; n++)
    {
      g_autofree char *file =
          n == 1 ? g_strconcat (base, ".sbdb", NULL) : g_strdup_printf ("%s-%u.sbdb", base, n);

      g_free (path);
      path = g_build_filename (dir, file, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        break;
    }
  store = sb_store_open (path, SB_STORE_OPEN_DEFAULT, error);
  if (store != NULL)
    setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return NULL;
  g_free (setup->company_name);
  setup->company_name = g_strdup (stripped);
  if (!sb_general_setup_update (store, setup, error))
    return NULL;
  return g_steal_pointer (&path);
}
