/* sb-cli.c: helpers shared by the command groups of salesbridge-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sb-cli.h"
#include "sb-core-error.h"

SbStore *
sb_cli_get_store (SbCliContext *ctx, GError **error)
{
  if (ctx->store == NULL)
    ctx->store = sb_store_open (ctx->db_path, SB_STORE_OPEN_DEFAULT, error);
  return ctx->store;
}

gboolean
sb_cli_parse (int *argc, char ***argv, const char *cmd_line, const char *parameter_string,
              const char *summary, const GOptionEntry *entries, GError **error)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autofree char *prgname = g_strdup_printf ("salesbridge-cli %s", cmd_line);

  /* GOption prints "PRGNAME [OPTION…] PARAMETERS" in --help. */
  g_set_prgname (prgname);
  context = g_option_context_new (parameter_string);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  return g_option_context_parse (context, argc, argv, error);
}

gboolean
sb_cli_expect_args (int argc, const char *cmd_line, int min, int max, GError **error)
{
  int n = argc - 1;

  if (n >= min && n <= max)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               n < min ? _ ("“%s” needs more arguments; see “salesbridge-cli %s --help”.")
                       : _ ("“%s” got too many arguments; see “salesbridge-cli %s --help”."),
               cmd_line, cmd_line);
  return FALSE;
}

SbStore *
sb_cli_start (SbCliContext *ctx, int *argc, char ***argv, const char *parameter_string,
              const char *summary, const GOptionEntry *entries, int min, int max, GError **error)
{
  const char *cmd_line = (*argv)[0];

  if (!sb_cli_parse (argc, argv, cmd_line, parameter_string, summary, entries, error) ||
      !sb_cli_expect_args (*argc, cmd_line, min, max, error))
    return NULL;
  return sb_cli_get_store (ctx, error);
}

static void
add_field (JsonBuilder *builder, const SbField *field, gconstpointer record)
{
  json_builder_set_member_name (builder, field->name);
  switch (field->type)
    {
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
        json_builder_add_string_value (builder, sb_record_get_text (field, record));
        break;
      case SB_FIELD_DECIMAL:
        /* json-glib writes doubles in their shortest round-trip form, so a
         * decimal with at most 15 significant digits reads back exactly
         * ("12.5", not "12.499999"). */
        json_builder_add_double_value (builder,
                                       sb_decimal_to_double (sb_record_get_int (field, record)));
        break;
      case SB_FIELD_INT:
        json_builder_add_int_value (builder, sb_record_get_int (field, record));
        break;
      case SB_FIELD_BOOL:
        json_builder_add_boolean_value (builder, sb_record_get_int (field, record) != 0);
        break;
      default:
        g_assert_not_reached ();
    }
}

JsonNode *
sb_cli_record_to_json (const SbRecordType *type, gconstpointer record)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < type->n_fields; i++)
    add_field (builder, &type->fields[i], record);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
sb_cli_records_to_json (const SbRecordType *type, GPtrArray *records)
{
  JsonArray *array = json_array_sized_new (records->len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < records->len; i++)
    json_array_add_element (array, sb_cli_record_to_json (type, records->pdata[i]));
  json_node_take_array (node, array);
  return node;
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
indent (GString *out, guint depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* json-glib 1.6 writes doubles with 17 significant digits (1.41 becomes
 * 1.4099999999999999), so decimals are written in their shortest form here:
 * at most 15 significant digits always round-trip, and our decimals have
 * fewer. */
static void
append_json (GString *out, JsonNode *node, guint depth)
{
  switch (json_node_get_node_type (node))
    {
      case JSON_NODE_OBJECT:
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr (GList) members = json_object_get_members (object);

          g_string_append_c (out, '{');
          for (GList *l = members; l != NULL; l = l->next)
            {
              indent (out, depth + 1);
              append_json_string (out, l->data);
              g_string_append (out, ": ");
              append_json (out, json_object_get_member (object, l->data), depth + 1);
              if (l->next != NULL)
                g_string_append_c (out, ',');
            }
          if (members != NULL)
            indent (out, depth);
          g_string_append_c (out, '}');
        }
        break;
      case JSON_NODE_ARRAY:
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);

          g_string_append_c (out, '[');
          for (guint i = 0; i < n; i++)
            {
              indent (out, depth + 1);
              append_json (out, json_array_get_element (array, i), depth + 1);
              if (i + 1 < n)
                g_string_append_c (out, ',');
            }
          if (n > 0)
            indent (out, depth);
          g_string_append_c (out, ']');
        }
        break;
      case JSON_NODE_VALUE:
        switch (json_node_get_value_type (node))
          {
            case G_TYPE_STRING:
              append_json_string (out, json_node_get_string (node));
              break;
            case G_TYPE_INT64:
              g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
              break;
            case G_TYPE_BOOLEAN:
              g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
              break;
            case G_TYPE_DOUBLE:
              {
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                g_string_append (
                    out, g_ascii_formatd (buf, sizeof buf, "%.15g", json_node_get_double (node)));
              }
              break;
            default:
              g_string_append (out, "null");
              break;
          }
        break;
      case JSON_NODE_NULL:
      default:
        g_string_append (out, "null");
        break;
    }
}

void
sb_cli_print_json (JsonNode *node)
{
  g_autoptr (GString) out = g_string_new (NULL);

  append_json (out, node, 0);
  g_print ("%s\n", out->str);
}

static char *
display_value (const SbField *field, gconstpointer record)
{
  const char *choice = sb_record_get_choice (field, record);

  if (choice != NULL)
    return g_strdup (choice);
  switch (field->type)
    {
      case SB_FIELD_DECIMAL:
        return sb_decimal_format (sb_record_get_int (field, record), 2);
      case SB_FIELD_BOOL:
        return g_strdup (sb_record_get_int (field, record) ? _ ("Yes") : _ ("No"));
      case SB_FIELD_TEXT:
      case SB_FIELD_CODE:
      case SB_FIELD_DATE:
      case SB_FIELD_INT:
      default:
        return sb_record_to_string (field, record);
    }
}

void
sb_cli_print_table (const SbRecordType *type, GPtrArray *records, const char *const *columns)
{
  guint n_columns = g_strv_length ((char **) columns);
  g_autofree const SbField **fields = g_new0 (const SbField *, n_columns);
  g_autofree glong *widths = g_new0 (glong, n_columns);
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < n_columns; c++)
    {
      fields[c] = sb_record_type_find_field (type, columns[c]);
      g_return_if_fail (fields[c] != NULL);
      widths[c] = g_utf8_strlen (_ (fields[c]->label), -1);
    }
  for (guint r = 0; r < records->len; r++)
    for (guint c = 0; c < n_columns; c++)
      {
        char *cell = display_value (fields[c], records->pdata[r]);
        widths[c] = MAX (widths[c], g_utf8_strlen (cell, -1));
        g_ptr_array_add (cells, cell);
      }

  for (guint r = 0; r <= records->len; r++)
    {
      GString *line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *text = r == 0 ? _ (fields[c]->label) : cells->pdata[(r - 1) * n_columns + c];
          gboolean right = fields[c]->type == SB_FIELD_DECIMAL;
          glong pad = widths[c] - g_utf8_strlen (text, -1);

          if (c > 0)
            g_string_append (line, "  ");
          if (right)
            for (glong p = 0; p < pad; p++)
              g_string_append_c (line, ' ');
          g_string_append (line, text);
          if (!right && c + 1 < n_columns)
            for (glong p = 0; p < pad; p++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
      g_string_free (line, TRUE);
    }
}

void
sb_cli_print_record (const SbRecordType *type, gconstpointer record)
{
  glong width = 0;

  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].label != NULL)
      width = MAX (width, g_utf8_strlen (_ (type->fields[i].label), -1));

  for (guint i = 0; i < type->n_fields; i++)
    {
      const SbField *field = &type->fields[i];
      g_autofree char *value = NULL;
      const char *label;

      if (field->label == NULL)
        continue;
      label = _ (field->label);
      value = display_value (field, record);
      g_print ("%s:%*s %s\n", label, (int) (width - g_utf8_strlen (label, -1)), "", value);
    }
}

void
sb_cli_output_records (const SbRecordType *type, GPtrArray *records, const char *const *columns,
                       gboolean json)
{
  if (json)
    {
      g_autoptr (JsonNode) node = sb_cli_records_to_json (type, records);
      sb_cli_print_json (node);
    }
  else
    sb_cli_print_table (type, records, columns);
}

void
sb_cli_output_record (const SbRecordType *type, gconstpointer record, gboolean json)
{
  if (json)
    {
      g_autoptr (JsonNode) node = sb_cli_record_to_json (type, record);
      sb_cli_print_json (node);
    }
  else
    sb_cli_print_record (type, record);
}

gboolean
sb_cli_set_fields (const SbRecordType *type, gpointer record, char **assignments, GError **error)
{
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      const char *eq = strchr (assignments[i], '=');
      g_autofree char *name = NULL;
      const SbField *field;

      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _ ("“%s” is not of the form FIELD=VALUE."), assignments[i]);
          return FALSE;
        }
      name = g_strndup (assignments[i], eq - assignments[i]);
      field = sb_record_type_find_field (type, name);
      if (field == NULL || (field->flags & SB_FIELD_FLAG_SYSTEM))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _ ("%s has no field “%s”."),
                       _ (type->label), name);
          return FALSE;
        }
      if (!sb_record_parse_field (type, field, record, eq + 1, error))
        return FALSE;
    }
  return TRUE;
}
