/* sb-csv.c
 *
 * A small RFC 4180 reader and writer.  The reader is lenient where
 * spreadsheets differ (LF or CRLF, a UTF-8 byte order mark, ';' as the
 * separator) and strict where guessing would change the data (a quote
 * left open or text after a closing quote is an error naming the line).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-csv.h"

#define UTF8_BOM "\xef\xbb\xbf"

static gsize
skip_bom (const char *data, gsize length)
{
  return length >= 3 && memcmp (data, UTF8_BOM, 3) == 0 ? 3 : 0;
}

char
sb_csv_detect_separator (const char *data, gsize length)
{
  gsize i = skip_bom (data, length);
  gboolean quoted = FALSE;
  guint commas = 0, semicolons = 0;

  for (; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

typedef struct
{
  GPtrArray *rows;
  GPtrArray *fields; /* of the row being read */
  GString *field;
} Parser;

static void
end_field (Parser *p)
{
  g_ptr_array_add (p->fields, g_strndup (p->field->str, p->field->len));
  g_string_truncate (p->field, 0);
}

static void
end_row (Parser *p)
{
  end_field (p);
  /* A line with nothing on it is not a record (a trailing newline, or
   * blank lines a spreadsheet left at the end). */
  if (p->fields->len == 1 && *(char *) p->fields->pdata[0] == '\0')
    g_ptr_array_set_size (p->fields, 0);
  else
    {
      g_ptr_array_add (p->fields, NULL);
      g_ptr_array_add (p->rows, g_ptr_array_steal (p->fields, NULL));
    }
}

GPtrArray *
sb_csv_parse (const char *data, gsize length, char separator, char *out_separator, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  Parser p = { rows, fields, field };
  const char *bad_utf8 = NULL;
  gsize i = skip_bom (data, length);
  guint line = 1;
  guint quote_line = 0;

  g_return_val_if_fail (separator == SB_CSV_DETECT || separator == ',' || separator == ';', NULL);

  if (!g_utf8_validate_len (data + i, length - i, &bad_utf8))
    {
      guint bad_line = 1;
      for (const char *c = data; c < bad_utf8; c++)
        bad_line += *c == '\n';
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Line %u is not UTF-8 text. Save the file as “CSV UTF-8” and try again."),
                   bad_line);
      return NULL;
    }
  if (separator == SB_CSV_DETECT)
    separator = sb_csv_detect_separator (data, length);

  while (i < length)
    {
      char c = data[i];

      if (c == '"' && field->len == 0 && quote_line == 0)
        {
          /* A quoted field: runs to the next quote not doubled. */
          quote_line = line;
          for (i++;; i++)
            {
              if (i >= length)
                {
                  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                               _ ("The quote opened on line %u is never closed. Close it with "
                                  "\" or remove it."),
                               quote_line);
                  return NULL;
                }
              if (data[i] == '"' && i + 1 < length && data[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i++;
                }
              else if (data[i] == '"')
                break;
              else
                {
                  line += data[i] == '\n';
                  g_string_append_c (field, data[i]);
                }
            }
          i++;
          if (i < length && data[i] != separator && data[i] != '\r' && data[i] != '\n')
            {
              g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                           _ ("Line %u has text after a closing quote. Put the whole field in "
                              "quotes and write a quote inside it as \"\"."),
                           line);
              return NULL;
            }
          /* quote_line stays set until the field ends, so a closing
           * quote is never taken for the start of another quoted part. */
          continue;
        }
      if (c == separator)
        {
          end_field (&p);
          quote_line = 0;
        }
      else if (c == '\r' || c == '\n')
        {
          end_row (&p);
          quote_line = 0;
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          line++;
        }
      else
        g_string_append_c (field, c);
      i++;
    }
  if (field->len > 0 || fields->len > 0)
    end_row (&p);

  if (out_separator != NULL)
    *out_separator = separator;
  return g_steal_pointer (&rows);
}

GPtrArray *
sb_csv_read_file (const char *path, char separator, char *out_separator, GError **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return sb_csv_parse (data, length, separator, out_separator, error);
}

static gboolean
needs_quotes (const char *text, char separator)
{
  gsize len = strlen (text);

  if (len > 0 && (text[0] == ' ' || text[len - 1] == ' '))
    return TRUE;
  for (const char *c = text; *c != '\0'; c++)
    if (*c == separator || *c == '"' || *c == '\r' || *c == '\n')
      return TRUE;
  return FALSE;
}

void
sb_csv_append_row (GString *out, const char *const *fields, guint n_fields, char separator)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const char *text = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, separator);
      if (!needs_quotes (text, separator))
        {
          g_string_append (out, text);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *c = text; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
