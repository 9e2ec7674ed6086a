/* sb-record-check.h: validation helpers the record types share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

/* Fails with a message naming @record (of @type), the field and the code
 * when @code is not blank and @table has no row whose key @key_column is it. */
gboolean sb_check_reference (SbStore *store, const SbRecordType *type, gconstpointer record,
                             const char *field_label, const char *table, const char *key_column,
                             const char *code, GError **error);
/* Fails unless @value is blank or looks like an e-mail address. */
gboolean sb_check_email (const SbRecordType *type, gconstpointer record, const char *value,
                         GError **error);
gboolean sb_check_not_negative (const SbRecordType *type, gconstpointer record,
                                const char *field_label, SbDecimal value, GError **error);

G_END_DECLS
