/* sb-sandbox-schema.h: the sandbox's entity metadata, in one place.
 *
 * Every table the sandbox serves is described here: entity set, primary key, attributes with
 * their types, lookups with their target tables and navigation property names, alternate keys,
 * choices and the statecode/statuscode pairs of Microsoft's documentation
 * (../shared/reference/dataverse-web-api.md and integration-behaviour.md §9).
 *
 * The metadata is immutable after sb_sandbox_schema_get() and may be read from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SB_ATTR_STRING,
  SB_ATTR_MEMO,
  SB_ATTR_INT,
  SB_ATTR_BIGINT,
  SB_ATTR_DECIMAL,
  SB_ATTR_MONEY,
  SB_ATTR_DOUBLE,
  SB_ATTR_BOOL,
  SB_ATTR_GUID,
  SB_ATTR_DATETIME,
  SB_ATTR_DATE,
  SB_ATTR_LOOKUP,
  SB_ATTR_CHOICE,
} SbAttrType;

typedef enum
{
  SB_ATTR_FLAG_READONLY = 1 << 0,    /* never written by a client */
  SB_ATTR_FLAG_INDEXED = 1 << 1,     /* gets an SQLite expression index */
  SB_ATTR_FLAG_CREATE_ONLY = 1 << 2, /* settable on create, ignored-as-error afterwards */
  SB_ATTR_FLAG_REQUIRED = 1 << 3     /* SystemRequired: a create without it fails */
} SbAttrFlags;

typedef struct
{
  int value;
  const char *label;
  int state; /* for statuscode options: the statecode it belongs to */
} SbOption;

typedef struct
{
  const char *name;
  const SbOption *options;
  guint n_options;
} SbOptionSet;

typedef struct _SbTable SbTable;

typedef struct
{
  char *name;      /* logical name, e.g. "parentcustomerid" */
  char *property;  /* Web API property: the name, or "_<name>_value" for lookups */
  char *json_path; /* "$.<property>" in the stored row */
  SbAttrType type;
  guint flags;
  const SbOptionSet *options; /* choices, statecode, statuscode */
  char **targets;             /* lookups: logical names of the target tables */
  guint max_length;
} SbAttr;

typedef struct
{
  char *name;   /* navigation property, e.g. "customerid_account" */
  SbAttr *attr; /* the lookup it writes */
  char *target; /* the table it points at */
} SbNav;

typedef struct
{
  char *name;      /* e.g. "order_details" */
  char *target;    /* table of the related rows */
  char *via;       /* lookup attribute on the target pointing back here; NULL for N:N */
  char *intersect; /* N:N: name of the association (systemuserroles_association) */
} SbCollectionNav;

typedef struct
{
  char *name;    /* e.g. "accountnumber" */
  char **attrs;  /* attribute logical names */
  char *display; /* "Account Number" for error messages */
} SbAltKey;

struct _SbTable
{
  const char *name;                 /* logical name */
  const char *set;                  /* entity set */
  const char *pk;                   /* "<name>id" */
  const char *primary_name;         /* attribute shown as the record's name */
  gboolean user_owned;              /* has ownerid */
  gboolean has_state;               /* statecode/statuscode */
  gboolean state_on_create_refused; /* salesorder, quote, invoice */
  gboolean create_only;             /* post: no update */
  int default_state;
  int default_status;
  const char *number_attr;   /* ordernumber/quotenumber/invoicenumber, assigned on create */
  const char *number_prefix; /* ORD/QUO/INV */
  const char *detail_of;     /* for detail tables: the header table */
  const char *detail_lookup; /* the detail's lookup to its header */

  GPtrArray *attrs;             /* SbAttr*, in declaration order */
  GHashTable *attr_by_name;     /* logical name → SbAttr */
  GHashTable *attr_by_property; /* property name → SbAttr */
  GPtrArray *navs;              /* SbNav* */
  GHashTable *nav_by_name;
  GPtrArray *collection_navs; /* SbCollectionNav* */
  GPtrArray *alt_keys;        /* SbAltKey* */
};

typedef struct
{
  GPtrArray *tables; /* SbTable* */
  GHashTable *by_name;
  GHashTable *by_set;
} SbSchema;

const SbSchema *sb_sandbox_schema_get (void);
const SbTable *sb_sandbox_schema_table (const char *logical_name);
const char *sb_sandbox_attr_edm_type (const SbAttr *attr);
const SbTable *sb_sandbox_schema_table_by_set (const char *entity_set);

const SbAttr *sb_table_attr (const SbTable *table, const char *logical_name);
const SbAttr *sb_table_property (const SbTable *table, const char *property);
const SbNav *sb_table_nav (const SbTable *table, const char *nav_name);
const SbCollectionNav *sb_table_collection_nav (const SbTable *table, const char *name);
const SbNav *sb_table_nav_for (const SbTable *table, const SbAttr *lookup, const char *target);

/* Custom tables, created through the metadata Web API (sb-sandbox-entity-definitions.c): unlike
 * the tables above they belong to one service and its thread, and are freed with it. */
SbTable *sb_sandbox_table_new_custom (const char *name, const char *set, const char *primary_name);
SbAttr *sb_table_add_custom_attr (SbTable *table, const char *name, SbAttrType type,
                                  guint max_length);
/* A single-target lookup navigated as @nav_name (the relationship's navigation property). */
SbAttr *sb_table_add_custom_lookup (SbTable *table, const char *name, const char *target,
                                    const char *nav_name);
void sb_sandbox_table_free_custom (SbTable *table);

const SbOption *sb_option_set_find (const SbOptionSet *set, int value);
gboolean sb_table_status_valid (const SbTable *table, int state, int status);
int sb_table_default_status (const SbTable *table, int state);
gboolean sb_attr_is_numeric (const SbAttr *attr);

G_END_DECLS
