/* sb-record-array-model.h: a list model over an array of rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SB_TYPE_RECORD_ARRAY_MODEL (sb_record_array_model_get_type ())
G_DECLARE_FINAL_TYPE (SbRecordArrayModel, sb_record_array_model, SB, RECORD_ARRAY_MODEL, GObject)

SbRecordArrayModel *sb_record_array_model_new (void);
/* Shows @rows (SbRecordObject, not changed afterwards; may be NULL for
 * none) in place of the rows before, in one items-changed. */
void sb_record_array_model_set_rows (SbRecordArrayModel *self, GPtrArray *rows);
/* The rows shown (transfer none), or NULL. */
GPtrArray *sb_record_array_model_get_rows (SbRecordArrayModel *self);

G_END_DECLS
