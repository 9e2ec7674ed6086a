/* sb-company.h: the company databases in the user's companies folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *path; /* the .sbdb file */
  char *name; /* the company's name from its setup, else the file's name */
} SbCompanyInfo;

void sb_company_info_free (SbCompanyInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbCompanyInfo, sb_company_info_free)

/* ~/.local/share/salesbridge/companies, where new companies go. */
char *sb_company_get_dir (void);

/* The *.sbdb files in @dir (a missing folder: none), sorted by name. Opens each one read-only:
 * blocks, so call it on a worker thread. */
GPtrArray *sb_company_list (const char *dir, GError **error);

/* Creates a new, empty company named @name in @dir: a new file named after it (never an
 * existing one), with @name in its general setup. Returns the file's path. Blocks. */
char *sb_company_create (const char *dir, const char *name, GError **error);

G_END_DECLS
