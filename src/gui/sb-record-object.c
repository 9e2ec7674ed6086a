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
  gboolean packed; /* record and text in one block */
  SbDecimal figure;
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

  if (self->packed)
    g_free (self->record);
  else if (self->record != NULL)
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

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

char *
sb_record_object_fold_search_text (const char *text)
{
  g_autofree char *normalized = NULL;

  if (text == NULL)
    return g_strdup ("");
  /* Most of an ERP's text is ASCII, where folding is lowering: far
   * cheaper, and loading folds every row. */
  if (is_ascii (text))
    return g_ascii_strdown (text, -1);
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (normalized == NULL) /* not valid UTF-8 */
    return g_strdup ("");
  return g_utf8_casefold (normalized, -1);
}

static gboolean
is_text_field (const SbField *field)
{
  return field->type == SB_FIELD_TEXT || field->type == SB_FIELD_CODE ||
         field->type == SB_FIELD_DATE;
}

/* 100,000 customers hold two million short strings, each its own
 * allocation with its own overhead.  A packed row is one block: the
 * record struct followed by the text the list needs. */
static void
pack_record (SbRecordObject *self, const gboolean *keep)
{
  const SbRecordType *type = self->type;
  gpointer old = self->record;
  gsize size = type->size;
  char *p;

  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];
      const char *text;

      if (!keep[i] || !is_text_field (field))
        continue;
      text = *(char **) G_STRUCT_MEMBER_P (old, field->offset);
      size += (text != NULL ? strlen (text) : 0) + 1;
    }

  self->record = g_malloc (size);
  memcpy (self->record, old, type->size);
  p = (char *) self->record + type->size;
  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];
      char *text;
      gsize len;

      if (!is_text_field (field))
        continue;
      text = *(char **) G_STRUCT_MEMBER_P (old, field->offset);
      if (!keep[i])
        *(char **) G_STRUCT_MEMBER_P (self->record, field->offset) = NULL;
      else
        {
          len = text != NULL ? strlen (text) : 0;
          if (len > 0)
            memcpy (p, text, len);
          p[len] = '\0';
          *(char **) G_STRUCT_MEMBER_P (self->record, field->offset) = p;
          p += len + 1;
        }
      g_free (text);
    }
  g_free (old);
  self->packed = TRUE;
}

SbRecordObject *
sb_record_object_new (const SbRecordType *type, gpointer record, const char *const *search_fields,
                      const gboolean *keep)
{
  SbRecordObject *self;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (SB_TYPE_RECORD_OBJECT, NULL);
  self->type = type;
  self->record = record;
  if (keep != NULL)
    pack_record (self, keep);

  if (search_fields != NULL)
    {
      g_autoptr (GString) joined = g_string_new (NULL);

      /* Fields joined by a newline nobody types, folded in one go. */
      for (guint i = 0; search_fields[i] != NULL; i++)
        {
          const char *text = sb_record_object_get_text (self, search_fields[i]);

          if (text == NULL || *text == '\0')
            continue;
          if (joined->len > 0)
            g_string_append_c (joined, '\n');
          g_string_append (joined, text);
        }
      self->search_key = sb_record_object_fold_search_text (joined->str);
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

SbDecimal
sb_record_object_get_figure (SbRecordObject *self)
{
  g_return_val_if_fail (SB_IS_RECORD_OBJECT (self), 0);
  return self->figure;
}

void
sb_record_object_set_figure (SbRecordObject *self, SbDecimal figure)
{
  g_return_if_fail (SB_IS_RECORD_OBJECT (self));
  self->figure = figure;
}
