/* sb-record-object.h: one ERP record as a GObject, for list models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-record.h"

G_BEGIN_DECLS

#define SB_TYPE_RECORD_OBJECT (sb_record_object_get_type ())
G_DECLARE_FINAL_TYPE (SbRecordObject, sb_record_object, SB, RECORD_OBJECT, GObject)

/* Takes ownership of @record, a struct of @type.  @search_fields
 * (NULL-terminated field names, may be NULL) make up the text that
 * sb_record_object_matches() searches.  With @keep (one flag per field of
 * @type) the text fields not kept are dropped (read as '') and the record is
 * copied with the kept text into one block (@record is freed): it must
 * then never be changed.  May
 * be called from any thread: list pages build their rows in a worker. */
SbRecordObject *sb_record_object_new (const SbRecordType *type, gpointer record,
                                      const char *const *search_fields, const gboolean *keep);

const SbRecordType *sb_record_object_get_record_type (SbRecordObject *self);
gconstpointer sb_record_object_get_record (SbRecordObject *self);
/* The field's text ('' for blank), or NULL when @field_name is not a text,
 * code or date field of the type. */
const char *sb_record_object_get_text (SbRecordObject *self, const char *field_name);

/* The row's figure (SbRecordListSpec.figure), 0 when it has none.  Set
 * before the row is shown, never after. */
SbDecimal sb_record_object_get_figure (SbRecordObject *self);
void sb_record_object_set_figure (SbRecordObject *self, SbDecimal figure);

/* Folds @text the way search keys are folded, so a search string is
 * prepared once and compared with strstr(). */
char *sb_record_object_fold_search_text (const char *text);
/* Whether one of the search fields contains @folded_text (from
 * sb_record_object_fold_search_text()). */
gboolean sb_record_object_matches (SbRecordObject *self, const char *folded_text);

G_END_DECLS
