/* sb-sales-note.h: notes on sales documents
 *
 * Free text a user keeps on a quote or order. Notes of orders taken from Dynamics 365 Sales are
 * synchronized with the order's notes (annotations) there (integration-behaviour.md §5, the
 * Sales Order Notes job in src/sync). Every change takes a change number, so the job sees
 * which notes changed since it last sent them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sales-document.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 id;
  gint64 doc_type; /* SbSalesDocType */
  char *doc_no;
  char *text;
  gint64 change_no;
  char *modified_at;
} SbSalesNote;

void sb_sales_note_free (SbSalesNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSalesNote, sb_sales_note_free)

/* Adds a note with @text (not blank) to an existing document; returns its id, 0 on error. */
gint64 sb_sales_note_add (SbStore *store, SbSalesDocType type, const char *doc_no, const char *text,
                          GError **error);
/* Replaces the text of note @id (SB_CORE_ERROR_NOT_FOUND when there is none). */
gboolean sb_sales_note_update (SbStore *store, gint64 id, const char *text, GError **error);
gboolean sb_sales_note_delete (SbStore *store, gint64 id, GError **error);
/* NULL without an error when there is no note @id. */
SbSalesNote *sb_sales_note_get (SbStore *store, gint64 id, GError **error);
/* The document's notes, oldest first; element type SbSalesNote. */
GPtrArray *sb_sales_note_list (SbStore *store, SbSalesDocType type, const char *doc_no,
                               GError **error);

G_END_DECLS
