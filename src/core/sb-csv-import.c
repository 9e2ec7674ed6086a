/* sb-csv-import.c
 *
 * An import works over the record descriptors (SbRecordType), so the
 * checks are those of every other write: sb_record_insert/update validate
 * lengths, required fields and the type's own rules.  All rows run in one
 * transaction; a row that fails dooms it, the remaining rows still run so
 * the report lists every problem, and then everything is rolled back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-csv-import.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-setup.h"

typedef struct
{
  const char *name;
  const SbRecordType *type;
  gboolean numbered; /* a blank key takes the next number of @series */
  SbNoSeriesKind series;
} ImportKind;

static const ImportKind kinds[] = {
  { "customers", &sb_customer_record_type, TRUE, SB_NO_SERIES_CUSTOMER },
  { "items", &sb_item_record_type, FALSE, 0 },
  { "resources", &sb_resource_record_type, FALSE, 0 },
};

struct _SbCsvImport
{
  const SbRecordType *type;
  const ImportKind *kind; /* NULL for a type without one: then never numbered */
  GPtrArray *rows;        /* char **; [0] is the header */
  const SbField **fields; /* per column, NULL = ignored */
  guint n_columns;
  gboolean decimal_comma;
  gboolean update_existing;
};

const SbRecordType *
sb_csv_import_type_for_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, name))
      return kinds[i].type;
  return NULL;
}

static void
problem_free (gpointer data)
{
  SbCsvProblem *problem = data;

  g_free (problem->column);
  g_free (problem->message);
  g_free (problem);
}

void
sb_csv_import_report_free (SbCsvImportReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->problems);
  g_free (report);
}

char *
sb_csv_problem_to_string (const SbCsvProblem *problem)
{
  if (problem->row == 0)
    return g_strdup (problem->message);
  if (problem->column != NULL)
    /* TRANSLATORS: "Row 4, Credit Limit: “12,5” is not a number. …" */
    return g_strdup_printf (_ ("Row %u, %s: %s"), problem->row, problem->column, problem->message);
  return g_strdup_printf (_ ("Row %u: %s"), problem->row, problem->message);
}

static void
add_problem (GPtrArray *problems, guint row, const char *column, const char *message)
{
  SbCsvProblem *problem = g_new0 (SbCsvProblem, 1);

  problem->row = row;
  problem->column = g_strdup (column);
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

/* Case, spaces and punctuation do not count: "Post Code", "post_code" and
 * "POSTCODE" are the same column. */
static char *
normalize (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GString *s = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

gboolean
sb_csv_import_field_is_importable (const SbField *field)
{
  return !(field->flags & SB_FIELD_FLAG_SYSTEM);
}

static const SbField *
find_field (const SbRecordType *type, const char *text)
{
  g_autofree char *wanted = normalize (text);

  if (*wanted == '\0')
    return NULL;
  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      g_autofree char *translated = NULL;

      if (!sb_csv_import_field_is_importable (field))
        continue;
      name = normalize (field->name);
      label = normalize (field->label != NULL ? field->label : field->name);
      translated = normalize (field->label != NULL ? _ (field->label) : field->name);
      if (g_str_equal (wanted, name) || g_str_equal (wanted, label) ||
          g_str_equal (wanted, translated))
        return field;
    }
  return NULL;
}

SbCsvImport *
sb_csv_import_new (const SbRecordType *type, GPtrArray *rows, GError **error)
{
  g_autoptr (GPtrArray) owned = rows;
  SbCsvImport *self;
  char **header;

  if (rows->len == 0)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The file is empty. Its first line must name the columns."));
      return NULL;
    }

  self = g_new0 (SbCsvImport, 1);
  self->type = type;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].type == type)
      self->kind = &kinds[i];
  self->rows = g_steal_pointer (&owned);
  header = self->rows->pdata[0];
  self->n_columns = g_strv_length (header);
  self->fields = g_new0 (const SbField *, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      const SbField *field = find_field (type, header[c]);
      gboolean taken = FALSE;

      /* The first column that matches a field gets it. */
      for (guint d = 0; d < c; d++)
        taken |= field != NULL && self->fields[d] == field;
      self->fields[c] = taken ? NULL : field;
    }
  return self;
}

SbCsvImport *
sb_csv_import_new_from_file (const SbRecordType *type, const char *path, char separator,
                             GError **error)
{
  GPtrArray *rows = sb_csv_read_file (path, separator, NULL, error);

  if (rows == NULL)
    return NULL;
  return sb_csv_import_new (type, rows, error);
}

void
sb_csv_import_free (SbCsvImport *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rows);
  g_free (self->fields);
  g_free (self);
}

const SbRecordType *
sb_csv_import_get_record_type (SbCsvImport *self)
{
  return self->type;
}

guint
sb_csv_import_get_n_columns (SbCsvImport *self)
{
  return self->n_columns;
}

const char *
sb_csv_import_get_column (SbCsvImport *self, guint column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  return ((char **) self->rows->pdata[0])[column];
}

guint
sb_csv_import_get_n_rows (SbCsvImport *self)
{
  return self->rows->len - 1;
}

const SbField *
sb_csv_import_get_field (SbCsvImport *self, guint column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->fields[column];
}

void
sb_csv_import_set_field (SbCsvImport *self, guint column, const SbField *field)
{
  g_return_if_fail (column < self->n_columns);
  g_return_if_fail (field == NULL || sb_csv_import_field_is_importable (field));

  for (guint c = 0; c < self->n_columns; c++)
    if (field != NULL && self->fields[c] == field)
      self->fields[c] = NULL;
  self->fields[column] = field;
}

static char *
field_names (const SbRecordType *type)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < type->n_fields; i++)
    if (sb_csv_import_field_is_importable (&type->fields[i]))
      g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", type->fields[i].name);
  return g_string_free (s, FALSE);
}

gboolean
sb_csv_import_map (SbCsvImport *self, const char *column_name, const char *field_name,
                   GError **error)
{
  const SbField *field = NULL;
  guint column;

  for (column = 0; column < self->n_columns; column++)
    if (g_str_equal (sb_csv_import_get_column (self, column), column_name))
      break;
  if (column == self->n_columns)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The file has no column “%s”. Write the column’s name as in the first "
                      "line of the file."),
                   column_name);
      return FALSE;
    }
  if (*field_name != '\0')
    {
      field = find_field (self->type, field_name);
      if (field == NULL)
        {
          g_autofree char *names = field_names (self->type);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("%s has no field “%s”. Use one of: %s."), _ (self->type->label),
                       field_name, names);
          return FALSE;
        }
    }
  sb_csv_import_set_field (self, column, field);
  return TRUE;
}

void
sb_csv_import_set_decimal_comma (SbCsvImport *self, gboolean decimal_comma)
{
  self->decimal_comma = decimal_comma;
}

void
sb_csv_import_set_update_existing (SbCsvImport *self, gboolean update_existing)
{
  self->update_existing = update_existing;
}

/* Only the convention chosen is accepted: with a decimal comma "1.5" is
 * refused rather than read as 15 or 1.5, because both guesses can be
 * wrong by a factor of a thousand. */
static gboolean
parse_decimal (SbCsvImport *self, const char *text, SbDecimal *out_value, GError **error)
{
  g_autoptr (GString) s = g_string_new (text);
  gboolean ok;

  /* Spreadsheets group thousands with a space or a no-break space. */
  g_string_replace (s, "\u202f", "", 0);
  g_string_replace (s, "\u00a0", "", 0);
  g_string_replace (s, " ", "", 0);
  if (self->decimal_comma)
    {
      ok = strchr (s->str, '.') == NULL;
      g_string_replace (s, ",", ".", 0);
    }
  else
    ok = strchr (s->str, ',') == NULL;
  if (ok && sb_decimal_parse (s->str, out_value, NULL))
    return TRUE;
  if (self->decimal_comma)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("“%s” is not a number with a decimal comma. Write it like 1234,50, or import "
                    "with a decimal point."),
                 text);
  else
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                 _ ("“%s” is not a number with a decimal point. Write it like 1234.50, or import "
                    "with a decimal comma."),
                 text);
  return FALSE;
}

static gboolean
parse_choice (const SbField *field, const char *text, gint64 *out_value, GError **error)
{
  g_autofree char *wanted = normalize (text);
  g_autoptr (GString) names = g_string_new (NULL);
  char *end = NULL;
  gint64 n = g_ascii_strtoll (text, &end, 10);
  gint64 count = 0;

  while (field->choices[count] != NULL)
    count++;
  if (*text != '\0' && *end == '\0' && n >= 0 && n < count)
    {
      *out_value = n;
      return TRUE;
    }
  for (gint64 i = 0; i < count; i++)
    {
      g_autofree char *label = normalize (field->choices[i]);
      g_autofree char *translated = normalize (_ (field->choices[i]));

      if (*label != '\0' && (g_str_equal (wanted, label) || g_str_equal (wanted, translated)))
        {
          *out_value = i;
          return TRUE;
        }
      if (*field->choices[i] != '\0')
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", _ (field->choices[i]));
    }
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
               _ ("“%s” is not one of %s. Write one of them."), text, names->str);
  return FALSE;
}

static gboolean
parse_bool (const char *text, gboolean *out_value)
{
  static const char *const yes[] = { "true", "yes", "1", N_ ("Yes") };
  static const char *const no[] = { "false", "no", "0", N_ ("No") };
  g_autofree char *folded = g_utf8_casefold (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      g_autofree char *translated = g_utf8_casefold (_ (yes[i]), -1);
      if (g_ascii_strcasecmp (text, yes[i]) == 0 || g_str_equal (folded, translated))
        {
          *out_value = TRUE;
          return TRUE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    {
      g_autofree char *translated = g_utf8_casefold (_ (no[i]), -1);
      if (g_ascii_strcasecmp (text, no[i]) == 0 || g_str_equal (folded, translated))
        {
          *out_value = FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* Sets @field of @record from a cell; blank means blank, zero or no. */
static gboolean
parse_cell (SbCsvImport *self, const SbField *field, gpointer record, const char *text,
            GError **error)
{
  SbDecimal decimal;
  gboolean flag;
  gint64 number;
  char *end = NULL;

  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
        sb_record_set_text (field, record, text);
        return TRUE;
      case SB_FIELD_DATE:
        if (sb_record_parse_field (self->type, field, record, text, NULL))
          return TRUE;
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                     _ ("“%s” is not a date. Write dates as YYYY-MM-DD."), text);
        return FALSE;
      case SB_FIELD_DECIMAL:
        if (*text == '\0')
          decimal = 0;
        else if (!parse_decimal (self, text, &decimal, error))
          return FALSE;
        sb_record_set_int (field, record, decimal);
        return TRUE;
      case SB_FIELD_INT:
        if (*text == '\0')
          number = 0;
        else if (field->choices != NULL)
          {
            if (!parse_choice (field, text, &number, error))
              return FALSE;
          }
        else
          {
            number = g_ascii_strtoll (text, &end, 10);
            if (*end != '\0')
              {
                g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                             _ ("“%s” is not a whole number. Write digits only, like 12."), text);
                return FALSE;
              }
          }
        sb_record_set_int (field, record, number);
        return TRUE;
      case SB_FIELD_BOOL:
        if (*text == '\0')
          flag = FALSE;
        else if (!parse_bool (text, &flag))
          {
            g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                         _ ("“%s” is not yes or no. Write yes or no."), text);
            return FALSE;
          }
        sb_record_set_int (field, record, flag);
        return TRUE;
      default:
        g_return_val_if_reached (FALSE);
    }
}

static const char *
column_label (SbCsvImport *self, guint column)
{
  const char *header = sb_csv_import_get_column (self, column);

  return *header != '\0' ? header : _ (self->fields[column]->label);
}

static const char *
cell (char **row, guint column)
{
  /* Spreadsheets leave out trailing empty fields: missing means blank. */
  return column < g_strv_length (row) ? row[column] : "";
}

/* Fills the mapped fields of @record from @row; a problem per bad cell. */
static gboolean
fill_record (SbCsvImport *self, char **row, guint row_no, gpointer record, GPtrArray *problems)
{
  gboolean ok = TRUE;

  for (guint c = 0; c < self->n_columns; c++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      if (self->fields[c] == NULL)
        continue;
      text = g_strstrip (g_strdup (cell (row, c)));
      if (!parse_cell (self, self->fields[c], record, text, &error))
        {
          add_problem (problems, row_no, column_label (self, c), error->message);
          ok = FALSE;
        }
    }
  for (guint c = self->n_columns; c < g_strv_length (row); c++)
    if (*row[c] != '\0')
      {
        add_problem (problems, row_no, NULL,
                     _ ("The row has more fields than the first line has columns. Check the "
                        "separator and that text with separators in it is in quotes."));
        return FALSE;
      }
  return ok;
}

GPtrArray *
sb_csv_import_preview (SbCsvImport *self, guint max_rows)
{
  g_autoptr (GPtrArray) preview = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint r = 1; r < self->rows->len && r <= max_rows; r++)
    {
      char **row = self->rows->pdata[r];
      gpointer record = sb_record_new (self->type);
      GPtrArray *cells = g_ptr_array_new ();

      for (guint c = 0; c < self->n_columns; c++)
        {
          g_autofree char *text = NULL;

          if (self->fields[c] == NULL)
            continue;
          text = g_strstrip (g_strdup (cell (row, c)));
          if (parse_cell (self, self->fields[c], record, text, NULL))
            g_ptr_array_add (cells, sb_record_to_string (self->fields[c], record));
          else
            g_ptr_array_add (cells, g_strconcat ("⚠ ", text, NULL));
        }
      g_ptr_array_add (cells, NULL);
      g_ptr_array_add (preview, g_ptr_array_free (cells, FALSE));
      sb_record_free (self->type, record);
    }
  return g_steal_pointer (&preview);
}

static const SbField *
key_field (const SbRecordType *type)
{
  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].flags & SB_FIELD_FLAG_KEY)
      return &type->fields[i];
  return NULL;
}

static gboolean
is_mapped (SbCsvImport *self, const SbField *field)
{
  for (guint c = 0; c < self->n_columns; c++)
    if (self->fields[c] == field)
      return TRUE;
  return FALSE;
}

/* Every new record needs its key (unless numbered) and required fields, so
 * a column must bring them. */
static gboolean
check_mapping (SbCsvImport *self, GError **error)
{
  gboolean numbered = self->kind != NULL && self->kind->numbered;

  for (guint i = 0; i < self->type->n_fields; i++)
    {
      const SbField *field = &self->type->fields[i];
      gboolean needed = (field->flags & SB_FIELD_FLAG_REQUIRED) ||
                        ((field->flags & SB_FIELD_FLAG_KEY) && !numbered);

      if (needed && !is_mapped (self, field))
        {
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                       _ ("No column is mapped to %s, which every %s needs. Map a column to it."),
                       _ (field->label), _ (self->type->label));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_row (SbCsvImport *self, SbStore *store, GHashTable *seen, char **row, guint row_no,
           SbCsvImportReport *report, GError **error)
{
  const SbField *key = key_field (self->type);
  g_autoptr (GError) local_error = NULL;
  g_autofree char *key_text = NULL;
  gpointer record = NULL;
  gboolean exists = FALSE;
  gboolean ok;

  for (guint c = 0; c < self->n_columns && key != NULL; c++)
    if (self->fields[c] == key)
      key_text = g_strstrip (g_strdup (cell (row, c)));

  if (key_text != NULL && *key_text != '\0')
    {
      gpointer earlier = g_hash_table_lookup (seen, key_text);
      gpointer probe = sb_record_new (self->type);

      if (earlier != NULL)
        {
          g_autofree char *message =
              g_strdup_printf (_ ("%s “%s” is also on row %u. Keep one of the rows."),
                               _ (key->label), key_text, GPOINTER_TO_UINT (earlier));
          add_problem (report->problems, row_no, NULL, message);
          sb_record_free (self->type, probe);
          return TRUE;
        }
      g_hash_table_insert (seen, g_strdup (key_text), GUINT_TO_POINTER (row_no));

      sb_record_set_text (key, probe, key_text);
      record = sb_record_lookup (store, self->type, probe, &local_error);
      sb_record_free (self->type, probe);
      if (record == NULL && !g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
      exists = record != NULL;
      if (exists && !self->update_existing)
        {
          report->skipped++;
          sb_record_free (self->type, record);
          return TRUE;
        }
    }
  if (record == NULL)
    record = sb_record_new (self->type);

  if (!fill_record (self, row, row_no, record, report->problems))
    {
      sb_record_free (self->type, record);
      return TRUE;
    }

  if (exists)
    ok = sb_record_update (store, self->type, record, &local_error);
  else if (self->kind != NULL && self->kind->numbered)
    ok = sb_no_series_insert_record (store, self->type, record, self->kind->series, &local_error);
  else
    ok = sb_record_insert (store, self->type, record, &local_error);
  sb_record_free (self->type, record);

  if (ok)
    {
      if (exists)
        report->updated++;
      else
        report->inserted++;
    }
  else if (local_error->domain == SB_CORE_ERROR && local_error->code != SB_CORE_ERROR_FAILED)
    add_problem (report->problems, row_no, NULL, local_error->message);
  else
    {
      /* The database itself failed: no use going on. */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

SbCsvImportReport *
sb_csv_import_run (SbCsvImport *self, SbStore *store, gboolean dry_run, GError **error)
{
  g_autoptr (SbCsvImportReport) report = g_new0 (SbCsvImportReport, 1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  report->problems = g_ptr_array_new_with_free_func (problem_free);
  if (!check_mapping (self, error))
    return NULL;
  if (!sb_store_begin (store, error))
    return NULL;

  for (guint r = 1; r < self->rows->len; r++)
    if (!write_row (self, store, seen, self->rows->pdata[r], r + 1, report, error))
      {
        sb_store_rollback (store);
        return NULL;
      }

  if (dry_run || report->problems->len > 0)
    sb_store_rollback (store);
  else if (!sb_store_commit (store, error))
    {
      sb_store_rollback (store);
      return NULL;
    }
  return g_steal_pointer (&report);
}

static char *
cell_text (const SbField *field, gconstpointer record, const SbCsvWriteOptions *options)
{
  char *text;

  if (field->choices != NULL)
    {
      gint64 value = sb_record_get_int (field, record);
      for (gint64 i = 0; field->choices[i] != NULL; i++)
        if (i == value && *field->choices[i] != '\0')
          return g_strdup (options->labels ? _ (field->choices[i]) : field->choices[i]);
    }
  /* People read yes and no; the import reads them back in their language. */
  if (field->type == SB_FIELD_BOOL && options->labels)
    return g_strdup (sb_record_get_int (field, record) ? _ ("Yes") : _ ("No"));
  text = sb_record_to_string (field, record);
  if (field->type == SB_FIELD_DECIMAL && options->decimal_comma)
    g_strdelimit (text, ".", ',');
  return text;
}

void
sb_csv_write_records (GString *out, const SbRecordType *type, GPtrArray *records,
                      const char *const *columns, const SbCsvWriteOptions *options)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  g_autoptr (GPtrArray) header = g_ptr_array_new ();

  if (columns != NULL)
    for (guint i = 0; columns[i] != NULL; i++)
      {
        const SbField *field = sb_record_type_find_field (type, columns[i]);
        g_return_if_fail (field != NULL);
        g_ptr_array_add (fields, (gpointer) field);
      }
  else
    for (guint i = 0; i < type->n_fields; i++)
      if (sb_csv_import_field_is_importable (&type->fields[i]))
        g_ptr_array_add (fields, (gpointer) &type->fields[i]);

  for (guint i = 0; i < fields->len; i++)
    {
      const SbField *field = fields->pdata[i];
      g_ptr_array_add (
          header,
          (gpointer) (options->labels && field->label != NULL ? _ (field->label) : field->name));
    }
  sb_csv_append_row (out, (const char *const *) header->pdata, header->len, options->separator);

  for (guint r = 0; r < records->len; r++)
    {
      g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < fields->len; i++)
        g_ptr_array_add (cells, cell_text (fields->pdata[i], records->pdata[r], options));
      sb_csv_append_row (out, (const char *const *) cells->pdata, cells->len, options->separator);
    }
}
