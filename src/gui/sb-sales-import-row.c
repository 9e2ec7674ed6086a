/* sb-sales-import-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-sales-import-row.h"

struct _SbSalesImportRow
{
  GObject parent_instance;

  JsonObject *object;
  GHashTable *texts; /* member name → its text, made on first use */
  char *search_text;
  char *result_no;
  char *result_error;
};

G_DEFINE_FINAL_TYPE (SbSalesImportRow, sb_sales_import_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RESULT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
sb_sales_import_row_finalize (GObject *object)
{
  SbSalesImportRow *self = SB_SALES_IMPORT_ROW (object);

  json_object_unref (self->object);
  g_hash_table_unref (self->texts);
  g_free (self->search_text);
  g_free (self->result_no);
  g_free (self->result_error);
  G_OBJECT_CLASS (sb_sales_import_row_parent_class)->finalize (object);
}

static void
sb_sales_import_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbSalesImportRow *self = SB_SALES_IMPORT_ROW (object);

  switch (prop_id)
    {
      case PROP_RESULT:
        g_value_set_string (value,
                            self->result_error != NULL ? self->result_error : self->result_no);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_sales_import_row_class_init (SbSalesImportRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_sales_import_row_finalize;
  object_class->get_property = sb_sales_import_row_get_property;

  /* The ERP no. made or the error, whichever the last action left: cells showing the result
   * follow it. */
  props[PROP_RESULT] =
      g_param_spec_string ("result", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sb_sales_import_row_init (SbSalesImportRow *self)
{
  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

SbSalesImportRow *
sb_sales_import_row_new (JsonObject *object)
{
  SbSalesImportRow *self;
  static const char *const searched[] = { "ordernumber",   "quotenumber", "name",
                                          "customer_name", "customer_no", "erp_order_no",
                                          "erp_quote_no" };
  g_autoptr (GString) search = g_string_new (NULL);

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (SB_TYPE_SALES_IMPORT_ROW, NULL);
  self->object = json_object_ref (object);
  for (guint i = 0; i < G_N_ELEMENTS (searched); i++)
    {
      g_string_append (search, sb_sales_import_row_get (self, searched[i]));
      g_string_append_c (search, '\n');
    }
  self->search_text = g_utf8_casefold (search->str, -1);
  return self;
}

const char *
sb_sales_import_row_get (SbSalesImportRow *self, const char *name)
{
  JsonNode *node;
  char *text;

  g_return_val_if_fail (SB_IS_SALES_IMPORT_ROW (self), "");

  text = g_hash_table_lookup (self->texts, name);
  if (text != NULL)
    return text;
  node = json_object_get_member (self->object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    text = g_strdup ("");
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    text = g_strdup (json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    text = g_strdup (json_node_get_boolean (node) ? "true" : "false");
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      text = g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }
  g_hash_table_insert (self->texts, g_strdup (name), text);
  return text;
}

gint64
sb_sales_import_row_get_int (SbSalesImportRow *self, const char *name)
{
  const char *text = sb_sales_import_row_get (self, name);

  return g_ascii_strtoll (text, NULL, 10);
}

gboolean
sb_sales_import_row_get_bool (SbSalesImportRow *self, const char *name)
{
  return g_str_equal (sb_sales_import_row_get (self, name), "true");
}

const char *
sb_sales_import_row_get_search_text (SbSalesImportRow *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_ROW (self), "");
  return self->search_text;
}

void
sb_sales_import_row_set_result (SbSalesImportRow *self, const char *erp_no,
                                const char *error_message)
{
  g_return_if_fail (SB_IS_SALES_IMPORT_ROW (self));

  g_free (self->result_no);
  g_free (self->result_error);
  self->result_no = g_strdup (erp_no);
  self->result_error = g_strdup (error_message);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RESULT]);
}

const char *
sb_sales_import_row_get_result_no (SbSalesImportRow *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_ROW (self), NULL);
  return self->result_no;
}

const char *
sb_sales_import_row_get_result_error (SbSalesImportRow *self)
{
  g_return_val_if_fail (SB_IS_SALES_IMPORT_ROW (self), NULL);
  return self->result_error;
}
