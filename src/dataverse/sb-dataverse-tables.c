/* sb-dataverse-tables.c: names and option values of the Dataverse tables Salesbridge uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-dataverse-tables.h"

#include <string.h>

#include "sb-dataverse-filter.h"

typedef struct
{
  const char *table;
  const char *set;
} TableName;

/* Entity sets are the plural logical names; most add "s", a few do not (dataverse-web-api.md). */
static const TableName tables[] = {
  { "account", SB_DV_ACCOUNTS },
  { "contact", SB_DV_CONTACTS },
  { "systemuser", SB_DV_SYSTEMUSERS },
  { "transactioncurrency", SB_DV_TRANSACTIONCURRENCIES },
  { "uomschedule", SB_DV_UOMSCHEDULES },
  { "uom", SB_DV_UOMS },
  { "product", SB_DV_PRODUCTS },
  { "pricelevel", SB_DV_PRICELEVELS },
  { "productpricelevel", SB_DV_PRODUCTPRICELEVELS },
  { "opportunity", SB_DV_OPPORTUNITIES },
  { "salesorder", SB_DV_SALESORDERS },
  { "salesorderdetail", SB_DV_SALESORDERDETAILS },
  { "quote", SB_DV_QUOTES },
  { "quotedetail", SB_DV_QUOTEDETAILS },
  { "invoice", SB_DV_INVOICES },
  { "invoicedetail", SB_DV_INVOICEDETAILS },
  { "annotation", SB_DV_ANNOTATIONS },
  { "post", SB_DV_POSTS },
  { "businessunit", "businessunits" },
  { "organization", "organizations" },
  { "role", "roles" },
};

const char *
sb_dataverse_table_from_entity_set (const char *entity_set)
{
  g_return_val_if_fail (entity_set != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i].set, entity_set))
      return tables[i].table;
  return NULL;
}

const char *
sb_dataverse_entity_set_from_table (const char *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i].table, table))
      return tables[i].set;
  return NULL;
}

const char *
sb_dataverse_primary_key (const char *entity_set)
{
  static GHashTable *keys; /* set → "<table>id", interned */

  g_return_val_if_fail (entity_set != NULL, NULL);
  if (g_once_init_enter (&keys))
    {
      GHashTable *map = g_hash_table_new (g_str_hash, g_str_equal);

      for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
        {
          g_autofree char *key = g_strconcat (tables[i].table, "id", NULL);

          g_hash_table_insert (map, (gpointer) tables[i].set, (gpointer) g_intern_string (key));
        }
      g_once_init_leave (&keys, map);
    }
  return g_hash_table_lookup (keys, entity_set);
}

char *
sb_dataverse_new_guid (void)
{
  return g_uuid_string_random ();
}

gboolean
sb_dataverse_is_guid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

char *
sb_dataverse_bind_value (const char *entity_set, const char *id)
{
  g_return_val_if_fail (entity_set != NULL, NULL);
  g_return_val_if_fail (sb_dataverse_is_guid (id), NULL);
  return g_strdup_printf ("/%s(%s)", entity_set, id);
}

char *
sb_dataverse_alternate_key (const char *name, const char *value, ...)
{
  g_autoptr (GString) key = g_string_new (NULL);
  va_list args;

  g_return_val_if_fail (name != NULL && value != NULL, NULL);
  va_start (args, value);
  while (name != NULL)
    {
      g_autofree char *literal = sb_dataverse_literal_string (value);

      if (key->len > 0)
        g_string_append_c (key, ',');
      g_string_append_printf (key, "%s=%s", name, literal);
      name = va_arg (args, const char *);
      if (name != NULL)
        value = va_arg (args, const char *);
      if (name != NULL && value == NULL)
        {
          g_critical ("sb_dataverse_alternate_key: no value for %s", name);
          break;
        }
    }
  va_end (args);
  return g_string_free (g_steal_pointer (&key), FALSE);
}

char *
sb_dataverse_id_from_entity_id (const char *entity_id)
{
  const char *open, *close;
  g_autofree char *id = NULL;

  if (entity_id == NULL)
    return NULL;
  /* "<base>/api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)" */
  close = strrchr (entity_id, ')');
  open = strrchr (entity_id, '(');
  if (open == NULL || close == NULL || close < open)
    return NULL;
  id = g_strndup (open + 1, close - open - 1);
  if (!sb_dataverse_is_guid (id))
    return NULL;
  return g_ascii_strdown (id, -1);
}

typedef struct
{
  const char *set;
  int state;
  int status;
} DefaultStatus;

/* integration-behaviour.md §9: the first statuscode listed for each statecode. */
static const DefaultStatus default_status[] = {
  { SB_DV_SALESORDERS, 0, 1 },      { SB_DV_SALESORDERS, 1, 3 },
  { SB_DV_SALESORDERS, 2, 4 },      { SB_DV_SALESORDERS, 3, 100001 },
  { SB_DV_SALESORDERS, 4, 100003 }, { SB_DV_QUOTES, 0, 1 },
  { SB_DV_QUOTES, 1, 2 },           { SB_DV_QUOTES, 2, 4 },
  { SB_DV_QUOTES, 3, 5 },           { SB_DV_INVOICES, 0, 1 },
  { SB_DV_INVOICES, 2, 100001 },    { SB_DV_INVOICES, 3, 100003 },
  { SB_DV_OPPORTUNITIES, 0, 1 },    { SB_DV_OPPORTUNITIES, 1, 3 },
  { SB_DV_OPPORTUNITIES, 2, 4 },    { SB_DV_PRODUCTS, 0, 1 },
  { SB_DV_PRODUCTS, 1, 2 },         { SB_DV_PRODUCTS, 2, 0 },
  { SB_DV_PRODUCTS, 3, 3 },         { SB_DV_PRICELEVELS, 0, 100001 },
  { SB_DV_PRICELEVELS, 1, 100002 },
};

int
sb_dataverse_default_status (const char *entity_set, int statecode)
{
  static const char *const simple[] = { SB_DV_ACCOUNTS, SB_DV_CONTACTS, SB_DV_TRANSACTIONCURRENCIES,
                                        SB_DV_UOMSCHEDULES };

  g_return_val_if_fail (entity_set != NULL, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (default_status); i++)
    if (g_str_equal (default_status[i].set, entity_set) && default_status[i].state == statecode)
      return default_status[i].status;
  for (gsize i = 0; i < G_N_ELEMENTS (simple); i++)
    if (g_str_equal (simple[i], entity_set) && (statecode == 0 || statecode == 1))
      return statecode + 1;
  return -1;
}
