/* sb-record-object.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <string.h>

#include "sb-record-object.h"

struct _SbRecordObject
{
  GObject parent_instance;

  const SbRecordType *type;
  gpointer record;
  /* The search fields folded and joined by '\n', computed once (in the
   * loading thread) so filtering 100,000 rows on every key press is a
   * strstr() per row rather than folding each field again. */
  char *search_key;
};

G_DEFINE_FINAL_TYPE (SbRecordObject, sb_record_object, G_TYPE_OBJECT)

static void
sb_record_object_finalize (GObject *object)
{
  SbRecordObject *self = SB_RECORD_OBJECT (object);

  if (self->record != NULL)
    self->type->free_func (self->record);
  g_free (self->search_key);

  G_OBJECT_CLASS (sb_record_object_parent_class)->finalize (object);
}

static void
sb_record_object_class_init (SbRecordObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_record_object_finalize;
}

static void
sb_record_object_init (SbRecordObject *self)
{
}

char *
sb_record_object_fold_search_text (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normalized == NULL) /* not valid UTF-8 */
    return g_strdup ("");
  return g_utf8_casefold (normalized, -1);
}

SbRecordObject *
sb_record_object_new (const SbRecordType *type, gpointer record, const char *const *search_fields)
{
  SbRecordObject *self;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (SB_TYPE_RECORD_OBJECT, NULL);
  self->type = type;
  self->record = record;

  if (search_fields != NULL)
    {
      GString *key = g_string_new (NULL);

      for (guint i = 0; search_fields[i] != NULL; i++)
        {
          const char *text = sb_record_object_get_text (self, search_fields[i]);
          g_autofree char *folded = NULL;

          if (text == NULL || *text == '\0')
            continue;
          folded = sb_record_object_fold_search_text (text);
          if (key->len > 0)
            g_string_append_c (key, '\n');
          g_string_append (key, folded);
        }
      self->search_key = g_string_free (key, FALSE);
    }
  return self;
}

const SbRecordType *
sb_record_object_get_record_type (SbRecordObject *self)
{
  g_return_val_if_fail (SB_IS_RECORD_OBJECT (self), NULL);
  return self->type;
}

gconstpointer
sb_record_object_get_record (SbRecordObject *self)
{
  g_return_val_if_fail (SB_IS_RECORD_OBJECT (self), NULL);
  return self->record;
}

const char *
sb_record_object_get_text (SbRecordObject *self, const char *field_name)
{
  const SbField *field;
  const char *text;

  g_return_val_if_fail (SB_IS_RECORD_OBJECT (self), NULL);

  field = sb_record_type_find_field (self->type, field_name);
  if (field == NULL || (field->type != SB_FIELD_TEXT && field->type != SB_FIELD_CODE &&
                        field->type != SB_FIELD_DATE))
    return NULL;
  text = sb_record_get_text (field, self->record);
  return text != NULL ? text : "";
}

gboolean
sb_record_object_matches (SbRecordObject *self, const char *folded_text)
{
  g_return_val_if_fail (SB_IS_RECORD_OBJECT (self), FALSE);

  if (folded_text == NULL || *folded_text == '\0')
    return TRUE;
  return self->search_key != NULL && strstr (self->search_key, folded_text) != NULL;
}
