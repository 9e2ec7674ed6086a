/* sb-sync-mapping.h: integration table mappings and their field mappings
 *
 * One mapping pairs an ERP table with a Dataverse entity set (integration-behaviour.md §1): its
 * direction, filters on both sides, dependencies, conflict policies and the watermarks of the
 * last run; its field mappings say which ERP field goes to which Dataverse attribute, in which
 * direction, through which coupling (lookups), with which constant or special case. Everything
 * lives in the company database, created with the defaults of §1 and resettable to them.
 *
 * These are plain structs read and written on the thread that owns the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-dataverse.h"
#include "sb-record.h"
#include "sb-store.h"

G_BEGIN_DECLS

typedef enum
{
  SB_SYNC_DIRECTION_TO_SALES = 0,   /* ERP → Dataverse */
  SB_SYNC_DIRECTION_FROM_SALES = 1, /* Dataverse → ERP */
  SB_SYNC_DIRECTION_BOTH = 2,
} SbSyncDirection;

typedef enum
{
  SB_SYNC_CONFLICT_NONE = 0,           /* fail and record the conflict for the user */
  SB_SYNC_CONFLICT_GET_FROM_SALES = 1, /* Dataverse wins */
  SB_SYNC_CONFLICT_SEND_TO_SALES = 2,  /* the ERP wins */
} SbSyncConflictPolicy;

typedef enum
{
  SB_SYNC_DELETION_NONE = 0,            /* fail and record the conflict */
  SB_SYNC_DELETION_RESTORE = 1,         /* re-create the deleted record */
  SB_SYNC_DELETION_REMOVE_COUPLING = 2, /* forget the pair */
} SbSyncDeletionPolicy;

/* Special cases a field mapping may name in "transform". */
#define SB_SYNC_TRANSFORM_NON_NEGATIVE "non-negative"   /* negative numbers are sent as 0 */
#define SB_SYNC_TRANSFORM_STATE_BLOCKED "state-blocked" /* statecode ≠ 0 ↔ blocked */
#define SB_SYNC_TRANSFORM_BASE_UNIT "base-unit"         /* the coupled schedule's base uom */
/* A contact number sent as its company's coupled account (an opportunity's parentaccountid). */
#define SB_SYNC_TRANSFORM_CONTACT_COMPANY "contact-company"
/* An opportunity's statecode: Won (1) and Lost (2) set the ERP status; reopened (0) sets a
 * closed one back to In Progress. */
#define SB_SYNC_TRANSFORM_OPPORTUNITY_STATE "opportunity-state"
/* A customer's Contact (a name) sent as the coupled contact person of that name, and back;
 * cleared in Sales when there is no such coupled person (§1: cleared when its sync fails). */
#define SB_SYNC_TRANSFORM_PRIMARY_CONTACT "primary-contact"

typedef struct
{
  char *erp_field;       /* column name of the ERP record type; '' for a constant */
  char *dataverse_field; /* attribute; a lookup's navigation property */
  SbSyncDirection direction;
  char *constant;       /* sent instead of a field value when not '' (JSON literal) */
  char *lookup_mapping; /* the mapping whose couplings translate the value, or '' */
  char *transform;      /* one of SB_SYNC_TRANSFORM_*, or '' */
  guint match_priority; /* 0: not used for match-based coupling; lower runs first */
  gboolean match_case_sensitive;
  gboolean enabled;
} SbSyncFieldMapping;

typedef struct
{
  char *name; /* "CUSTOMER" */
  char *erp_table;
  char *entity_set;
  SbSyncDirection direction;
  char *erp_filter;       /* SQL condition over the ERP table's columns, or '' */
  char *dataverse_filter; /* "attr eq value and …" (see sb_sync_parse_dataverse_filter), or '' */
  char *depends_on;       /* comma-separated mapping names */
  guint priority;         /* "synchronize all" order */
  gboolean only_coupled;
  gboolean create_if_no_match;
  gboolean sync_after_coupling;
  SbSyncConflictPolicy conflict_policy;
  SbSyncDeletionPolicy deletion_policy;
  guint job_interval;            /* minutes */
  guint inactivity_timeout;      /* minutes */
  gboolean transfer_implemented; /* FALSE: the row exists, the engine refuses to run it yet */
  /* Watermarks: the last ERP change number and Dataverse modifiedon the mapping has seen.
   * They are written only together with the couplings they cover. */
  gint64 erp_watermark;
  char *dataverse_watermark;
  char *delta_link;
  GPtrArray *fields; /* SbSyncFieldMapping, in position order */
} SbSyncMapping;

void sb_sync_field_mapping_free (SbSyncFieldMapping *field);
SbSyncFieldMapping *sb_sync_field_mapping_copy (const SbSyncFieldMapping *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSyncFieldMapping, sb_sync_field_mapping_free)

void sb_sync_mapping_free (SbSyncMapping *mapping);
SbSyncMapping *sb_sync_mapping_copy (const SbSyncMapping *mapping);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSyncMapping, sb_sync_mapping_free)

/* "to-sales", "from-sales", "both"; and back (FALSE for anything else). */
const char *sb_sync_direction_to_string (SbSyncDirection direction);
gboolean sb_sync_direction_from_string (const char *text, SbSyncDirection *out_direction);

/* The ERP record type of a mapping's erp_table, or NULL when the engine does not know it. */
const SbRecordType *sb_sync_erp_record_type (const char *erp_table);

/* Creates the §1 default mappings missing from the database (all of them on a new one). */
gboolean sb_sync_mapping_ensure_defaults (SbStore *store, GError **error);

/* Every mapping in "synchronize all" order, with its fields. */
GPtrArray *sb_sync_mapping_list (SbStore *store, GError **error);
/* SB_SYNC_ERROR_UNKNOWN_MAPPING when there is none by @name (case-insensitive). */
SbSyncMapping *sb_sync_mapping_load (SbStore *store, const char *name, GError **error);

/* Checks what a user may have changed: fields exist, filters parse, lookups name mappings,
 * directions fit the mapping's. SB_SYNC_ERROR_INVALID_MAPPING with a message naming the field. */
gboolean sb_sync_mapping_validate (SbStore *store, const SbSyncMapping *mapping, GError **error);
/* Validates and stores @mapping's settings and fields (not its watermarks). */
gboolean sb_sync_mapping_save (SbStore *store, const SbSyncMapping *mapping, GError **error);
/* Puts @name's settings and fields (every mapping's when @name is NULL) back to the defaults;
 * couplings and watermarks stay. */
gboolean sb_sync_mapping_reset (SbStore *store, const char *name, GError **error);

/* Only the engine: moves the watermarks (inside the transaction that commits their data). */
gboolean sb_sync_mapping_set_watermarks (SbStore *store, const char *name, gint64 erp_watermark,
                                         const char *dataverse_watermark, const char *delta_link,
                                         GError **error);

/* Parses a Dataverse filter of the form "attr op literal [and attr op literal …]" (op: eq ne gt
 * ge lt le; literal: 'text' with '' for ', an integer, true, false, null or a GUID). Sets
 * *@out_filter to NULL for an empty text. */
gboolean sb_sync_parse_dataverse_filter (const char *text, SbDataverseFilter **out_filter,
                                         GError **error);

/* The same filter, parsed once, to check rows client-side (change tracking reads refuse
 * $filter, so their rows are filtered here). Comparisons follow Dataverse: text
 * case-insensitively, null never equal to a value. */
typedef struct _SbSyncRowFilter SbSyncRowFilter;
SbSyncRowFilter *sb_sync_row_filter_new (const char *text, GError **error);
void sb_sync_row_filter_free (SbSyncRowFilter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSyncRowFilter, sb_sync_row_filter_free)
/* NULL when the filter has no condition. */
SbDataverseFilter *sb_sync_row_filter_to_filter (SbSyncRowFilter *self);
gboolean sb_sync_row_filter_matches (SbSyncRowFilter *self, JsonObject *row);

G_END_DECLS
