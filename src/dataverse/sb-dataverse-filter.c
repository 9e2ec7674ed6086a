/* sb-dataverse-filter.c: typed $filter expressions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-dataverse-filter.h"

#include <string.h>

#include "sb-dataverse-tables.h"

typedef enum
{
  KIND_COMPARE,
  KIND_FUNCTION,
  KIND_AND,
  KIND_OR,
  KIND_NOT,
} Kind;

struct _SbDataverseFilter
{
  Kind kind;
  char *attribute;
  SbDataverseOperator op;
  char *literal;        /* formatted OData literal */
  const char *function; /* "contains", "startswith", "endswith" */
  GPtrArray *operands;  /* SbDataverseFilter*, for AND, OR, NOT */
};

G_DEFINE_BOXED_TYPE (SbDataverseFilter, sb_dataverse_filter, sb_dataverse_filter_copy,
                     sb_dataverse_filter_free)

static const char *const operators[] = { "eq", "ne", "gt", "ge", "lt", "le" };

/* Attribute names are identifiers, or a path through a lookup ("primarycontactid/fullname").
 * Checked so that a name can never smuggle an operator into the filter. */
static gboolean
attribute_is_valid (const char *attribute)
{
  if (attribute == NULL || *attribute == '\0')
    return FALSE;
  for (const char *p = attribute; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '/')
      return FALSE;
  return TRUE;
}

static SbDataverseFilter *
compare_new (const char *attribute, SbDataverseOperator op, char *literal)
{
  SbDataverseFilter *self = g_new0 (SbDataverseFilter, 1);

  self->kind = KIND_COMPARE;
  self->attribute = g_strdup (attribute);
  self->op = op;
  self->literal = literal;
  return self;
}

char *
sb_dataverse_literal_string (const char *value)
{
  GString *out = g_string_sized_new (strlen (value) + 2);

  /* OData ABNF: a string literal is quoted with ' and an embedded ' is written twice. */
  g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append_c (out, '\'');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
  return g_string_free (out, FALSE);
}

char *
sb_dataverse_literal_date_time (GDateTime *value)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (value);

  /* dataverse-web-api.md: dates as 2026-11-21T10:00:00Z. */
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

#define CHECK_ARGS(attribute, op)                                                                  \
  g_return_val_if_fail (attribute_is_valid (attribute), NULL);                                     \
  g_return_val_if_fail ((guint) (op) < G_N_ELEMENTS (operators), NULL)

SbDataverseFilter *
sb_dataverse_filter_string (const char *attribute, SbDataverseOperator op, const char *value)
{
  CHECK_ARGS (attribute, op);
  g_return_val_if_fail (value != NULL && g_utf8_validate (value, -1, NULL), NULL);
  return compare_new (attribute, op, sb_dataverse_literal_string (value));
}

SbDataverseFilter *
sb_dataverse_filter_guid (const char *attribute, SbDataverseOperator op, const char *value)
{
  CHECK_ARGS (attribute, op);
  g_return_val_if_fail (sb_dataverse_is_guid (value), NULL);
  /* GUIDs are unquoted in Dataverse filters. */
  return compare_new (attribute, op, g_ascii_strdown (value, -1));
}

SbDataverseFilter *
sb_dataverse_filter_int (const char *attribute, SbDataverseOperator op, gint64 value)
{
  CHECK_ARGS (attribute, op);
  return compare_new (attribute, op, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static gboolean
decimal_is_valid (const char *value)
{
  const char *p = value;
  gboolean digits = FALSE;

  if (*p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  return digits && *p == '\0';
}

SbDataverseFilter *
sb_dataverse_filter_decimal (const char *attribute, SbDataverseOperator op, const char *value)
{
  CHECK_ARGS (attribute, op);
  g_return_val_if_fail (value != NULL && decimal_is_valid (value), NULL);
  return compare_new (attribute, op, g_strdup (value));
}

SbDataverseFilter *
sb_dataverse_filter_bool (const char *attribute, SbDataverseOperator op, gboolean value)
{
  CHECK_ARGS (attribute, op);
  return compare_new (attribute, op, g_strdup (value ? "true" : "false"));
}

SbDataverseFilter *
sb_dataverse_filter_date_time (const char *attribute, SbDataverseOperator op, GDateTime *value)
{
  CHECK_ARGS (attribute, op);
  g_return_val_if_fail (value != NULL, NULL);
  return compare_new (attribute, op, sb_dataverse_literal_date_time (value));
}

SbDataverseFilter *
sb_dataverse_filter_null (const char *attribute, SbDataverseOperator op)
{
  CHECK_ARGS (attribute, op);
  g_return_val_if_fail (op == SB_DATAVERSE_EQ || op == SB_DATAVERSE_NE, NULL);
  return compare_new (attribute, op, g_strdup ("null"));
}

static SbDataverseFilter *
function_new (const char *function, const char *attribute, const char *value)
{
  SbDataverseFilter *self;

  g_return_val_if_fail (attribute_is_valid (attribute), NULL);
  g_return_val_if_fail (value != NULL && g_utf8_validate (value, -1, NULL), NULL);
  self = g_new0 (SbDataverseFilter, 1);
  self->kind = KIND_FUNCTION;
  self->function = function;
  self->attribute = g_strdup (attribute);
  self->literal = sb_dataverse_literal_string (value);
  return self;
}

SbDataverseFilter *
sb_dataverse_filter_contains (const char *attribute, const char *value)
{
  return function_new ("contains", attribute, value);
}

SbDataverseFilter *
sb_dataverse_filter_starts_with (const char *attribute, const char *value)
{
  return function_new ("startswith", attribute, value);
}

SbDataverseFilter *
sb_dataverse_filter_ends_with (const char *attribute, const char *value)
{
  return function_new ("endswith", attribute, value);
}

static SbDataverseFilter *
group_new (Kind kind, SbDataverseFilter *first, va_list args)
{
  SbDataverseFilter *self = g_new0 (SbDataverseFilter, 1);
  SbDataverseFilter *operand;

  self->kind = kind;
  self->operands = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_dataverse_filter_free);
  for (operand = first; operand != NULL; operand = va_arg (args, SbDataverseFilter *))
    g_ptr_array_add (self->operands, operand);
  if (self->operands->len == 1)
    {
      SbDataverseFilter *only = g_ptr_array_steal_index (self->operands, 0);

      sb_dataverse_filter_free (self);
      return only;
    }
  return self;
}

SbDataverseFilter *
sb_dataverse_filter_and (SbDataverseFilter *first, ...)
{
  SbDataverseFilter *self;
  va_list args;

  g_return_val_if_fail (first != NULL, NULL);
  va_start (args, first);
  self = group_new (KIND_AND, first, args);
  va_end (args);
  return self;
}

SbDataverseFilter *
sb_dataverse_filter_or (SbDataverseFilter *first, ...)
{
  SbDataverseFilter *self;
  va_list args;

  g_return_val_if_fail (first != NULL, NULL);
  va_start (args, first);
  self = group_new (KIND_OR, first, args);
  va_end (args);
  return self;
}

SbDataverseFilter *
sb_dataverse_filter_not (SbDataverseFilter *operand)
{
  SbDataverseFilter *self;

  g_return_val_if_fail (operand != NULL, NULL);
  self = g_new0 (SbDataverseFilter, 1);
  self->kind = KIND_NOT;
  self->operands = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_dataverse_filter_free);
  g_ptr_array_add (self->operands, operand);
  return self;
}

SbDataverseFilter *
sb_dataverse_filter_copy (const SbDataverseFilter *self)
{
  SbDataverseFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_new0 (SbDataverseFilter, 1);
  copy->kind = self->kind;
  copy->attribute = g_strdup (self->attribute);
  copy->op = self->op;
  copy->literal = g_strdup (self->literal);
  copy->function = self->function;
  if (self->operands != NULL)
    {
      copy->operands = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_dataverse_filter_free);
      for (guint i = 0; i < self->operands->len; i++)
        g_ptr_array_add (copy->operands,
                         sb_dataverse_filter_copy (g_ptr_array_index (self->operands, i)));
    }
  return copy;
}

void
sb_dataverse_filter_free (SbDataverseFilter *self)
{
  if (self == NULL)
    return;
  g_free (self->attribute);
  g_free (self->literal);
  g_clear_pointer (&self->operands, g_ptr_array_unref);
  g_free (self);
}

static void
append (GString *out, const SbDataverseFilter *self)
{
  switch (self->kind)
    {
      case KIND_COMPARE:
        g_string_append_printf (out, "%s %s %s", self->attribute, operators[self->op],
                                self->literal);
        break;
      case KIND_FUNCTION:
        g_string_append_printf (out, "%s(%s,%s)", self->function, self->attribute, self->literal);
        break;
      case KIND_NOT:
        g_string_append (out, "not (");
        append (out, g_ptr_array_index (self->operands, 0));
        g_string_append_c (out, ')');
        break;
      case KIND_AND:
      case KIND_OR:
        /* Every compound operand in parentheses: "and" binds tighter than "or" in OData, and
         * explicit grouping keeps the text obviously right. */
        for (guint i = 0; i < self->operands->len; i++)
          {
            const SbDataverseFilter *operand = g_ptr_array_index (self->operands, i);
            gboolean compound = operand->kind == KIND_AND || operand->kind == KIND_OR;

            if (i > 0)
              g_string_append (out, self->kind == KIND_AND ? " and " : " or ");
            if (compound)
              g_string_append_c (out, '(');
            append (out, operand);
            if (compound)
              g_string_append_c (out, ')');
          }
        break;
    }
}

char *
sb_dataverse_filter_to_string (const SbDataverseFilter *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append (out, self);
  return g_string_free (out, FALSE);
}
