/* sb-books.h: the list pages of the ERP books the window shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record-list-spec.h"

G_BEGIN_DECLS

/* The books in sidebar order, NULL-terminated. */
const SbRecordListSpec *const *sb_books_get_specs (void);
/* The book called @name ("customers"), or NULL. */
const SbRecordListSpec *sb_books_find_spec (const char *name);

G_END_DECLS
