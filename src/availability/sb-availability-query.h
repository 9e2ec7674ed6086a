/* sb-availability-query.h: item availability and the OData queries of the web service
 *
 * An item's availability (integration-behaviour.md §8): its inventory, the quantity still to
 * ship on open sales orders, and what is left (inventory − that quantity, negative when more
 * is promised than is in stock). Quantities are in the item's base unit.
 *
 * The query part parses the OData v4 system query options the service accepts ($filter by
 * item number with eq, or and in; $select; $top; $skip; $count; $format=json) and turns
 * every other form into SB_AVAILABILITY_ERROR_INVALID_QUERY with a message saying what is
 * wrong, for the HTTP 400 body.
 *
 * Reads run on the caller's SbStore (the thread that opened it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sb-decimal.h"
#include "sb-store.h"

G_BEGIN_DECLS

#define SB_AVAILABILITY_ENTITY_SET "ItemAvailabilities"
#define SB_AVAILABILITY_ENTITY_TYPE "ItemAvailability"

/* The properties of the entity type, in $metadata order; bit i of a selection is property i. */
typedef enum
{
  SB_AVAILABILITY_PROP_NO,
  SB_AVAILABILITY_PROP_DESCRIPTION,
  SB_AVAILABILITY_PROP_INVENTORY,
  SB_AVAILABILITY_PROP_ON_OPEN_ORDERS,
  SB_AVAILABILITY_PROP_AVAILABLE,
  SB_AVAILABILITY_PROP_UNIT_OF_MEASURE,
  SB_AVAILABILITY_N_PROPS
} SbAvailabilityProp;

#define SB_AVAILABILITY_SELECT_ALL ((1u << SB_AVAILABILITY_N_PROPS) - 1)

/* The OData name of @prop ("No", "QuantityOnOpenOrders", …). */
const char *sb_availability_prop_name (SbAvailabilityProp prop);

typedef struct
{
  char *no;
  char *description;
  SbDecimal inventory;
  SbDecimal on_open_orders; /* not yet shipped on open sales orders */
  SbDecimal available;      /* inventory − on_open_orders */
  char *unit_of_measure;    /* the base unit code, '' when none */
} SbItemAvailability;

void sb_item_availability_free (SbItemAvailability *availability);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbItemAvailability, sb_item_availability_free)

/* What the reads below keep between calls: the open order quantities of every item, read in one
 * pass and read again only when the store's change number moved. One per SbStore (thread). */
typedef struct _SbAvailabilityCache SbAvailabilityCache;

SbAvailabilityCache *sb_availability_cache_new (void);
void sb_availability_cache_free (SbAvailabilityCache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAvailabilityCache, sb_availability_cache_free)

/* The availability of item @no; NULL without @error when there is no such item. */
SbItemAvailability *sb_item_availability_lookup (SbStore *store, SbAvailabilityCache *cache,
                                                 const char *no, GError **error);

typedef struct
{
  GPtrArray *item_nos; /* sorted, unique; NULL: every item */
  guint select;        /* bits of SbAvailabilityProp */
  gint64 top;          /* -1: no limit */
  gint64 skip;
  gboolean count; /* $count=true: report the number of matching items */
} SbAvailabilityQuery;

void sb_availability_query_free (SbAvailabilityQuery *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbAvailabilityQuery, sb_availability_query_free)

/* Parses the decoded query parameters of a request (name → value, NULL for none). With
 * @for_entity (key access, one item) only $select and $format are allowed. */
SbAvailabilityQuery *sb_availability_query_parse (GHashTable *params, gboolean for_entity,
                                                  GError **error);
/* Parses a $filter expression into the sorted, unique item numbers it names. */
GPtrArray *sb_availability_filter_parse (const char *filter, GError **error);
/* Parses the key of "ItemAvailabilities('1000')": @key_text is what stands between the
 * parentheses. Returns the item number. */
char *sb_availability_key_parse (const char *key_text, GError **error);

/* Items matching @query (SbItemAvailability), ordered by number; @out_count: the number of
 * matching items before $top and $skip. */
GPtrArray *sb_availability_query_run (SbStore *store, SbAvailabilityCache *cache,
                                      const SbAvailabilityQuery *query, gint64 *out_count,
                                      GError **error);

/* The SQL reading what is still to ship per item on open sales orders (for its query plan). */
const char *sb_availability_get_on_orders_sql (void);

/* Adds the selected properties of @a as members of the object @builder is in. */
void sb_item_availability_build_json (JsonBuilder *builder, const SbItemAvailability *a,
                                      guint select);

G_END_DECLS
