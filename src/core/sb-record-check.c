/* sb-record-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-record-check.h"
#include "sb-store-private.h"

gboolean
sb_check_reference (SbStore *store, const SbRecordType *type, gconstpointer record,
                    const char *field_label, const char *table, const char *key_column,
                    const char *code, GError **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (code == NULL || *code == '\0')
    return TRUE;

  sql = g_strdup_printf ("SELECT 1 FROM %s WHERE %s = ?1", table, key_column);
  stmt = sb_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sb_bind_text (stmt, 1, code);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return sb_store_set_error (store, error);

  {
    g_autofree char *what = sb_record_describe (type, record);
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 /* TRANSLATORS: "Customer C00001: Currency Code “XYZ” does not exist. …" */
                 _ ("%s: %s “%s” does not exist. Create it first or choose another one."), what,
                 _ (field_label), code);
  }
  return FALSE;
}

gboolean
sb_check_email (const SbRecordType *type, gconstpointer record, const char *value, GError **error)
{
  const char *at;

  if (value == NULL || *value == '\0')
    return TRUE;
  at = strchr (value, '@');
  if (at != NULL && at != value && strchr (at + 1, '.') != NULL && strchr (value, ' ') == NULL &&
      strchr (at + 1, '@') == NULL)
    return TRUE;

  {
    g_autofree char *what = sb_record_describe (type, record);
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("%s: “%s” is not an e-mail address. Write it like name@example.com."), what,
                 value);
  }
  return FALSE;
}

gboolean
sb_check_not_negative (const SbRecordType *type, gconstpointer record, const char *field_label,
                       SbDecimal value, GError **error)
{
  if (value >= 0)
    return TRUE;
  {
    g_autofree char *what = sb_record_describe (type, record);
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID, _ ("%s: %s must not be negative."),
                 what, _ (field_label));
  }
  return FALSE;
}
