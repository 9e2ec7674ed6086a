/* sb-sandbox-service-private.h: what the files of SbSandboxService share.
 *
 * The service is one type spread over sb-sandbox-service.c (routing, writes, business rules),
 * sb-sandbox-query.c (reads, paging, change tracking) and sb-sandbox-batch.c ($batch).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sandbox-service.h"

G_BEGIN_DECLS

#define SB_API_VERSION_PATH "api/data/v9.2/"
#define SB_MAX_PAGE_SIZE 5000
#define SB_MAX_BATCH_REQUESTS 1000

/* Custom tables of the metadata Web API (sb-sandbox-entity-definitions.c). */
typedef struct _SbSandboxCustomSchema SbSandboxCustomSchema;

struct _SbSandboxService
{
  GObject parent_instance;

  SbSandboxStore *store;
  char *base_url; /* "http://127.0.0.1:PORT/" */
  char *api_root; /* base_url + SB_API_VERSION_PATH */
  char *secret;   /* signs delta tokens */
  gint64 delta_lifetime;
  GHashTable *content_ids; /* in a changeset: Content-ID → "set(id)" path; else NULL */
  gint64 now_second;
  char *now_text;
  char *acting_user;             /* MSCRMCallerID of the request being handled */
  SbSandboxCustomSchema *custom; /* NULL until a custom table is defined */
};

/* Preferences of one request (dataverse-web-api.md "Requests"). */
typedef struct
{
  gboolean return_representation;
  int maxpagesize; /* 0 = not given */
  gboolean track_changes;
  gboolean continue_on_error;
  gboolean formatted;   /* OData.Community.Display.V1.FormattedValue */
  gboolean lookupname;  /* Microsoft.Dynamics.CRM.lookuplogicalname */
  gboolean navproperty; /* Microsoft.Dynamics.CRM.associatednavigationproperty */
  char *annotations;    /* the raw include-annotations value, echoed back */
} SbPrefer;

GPtrArray *sb_sandbox_split_top_level (const char *text, char sep, char quote);
void sb_prefer_parse (SbPrefer *prefer, SoupMessageHeaders *headers);
void sb_prefer_clear (SbPrefer *prefer);

/* A Web API error before it becomes a response. */
typedef struct
{
  guint status;
  char *code;
  char *message;
} SbApiError;

void sb_api_error_set (SbApiError **error, guint status, const char *code, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
void sb_api_error_free (SbApiError *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbApiError, sb_api_error_free)
SbSandboxResponse *sb_api_error_to_response (SbApiError *error);

/* Query options of a request, percent-decoded; NULL when absent. */
typedef struct
{
  GHashTable *options; /* "$select" → value */
} SbQueryOptions;

gboolean sb_query_options_parse (SbQueryOptions *opts, const char *raw_query, SbApiError **error);
void sb_query_options_clear (SbQueryOptions *opts);
const char *sb_query_option (SbQueryOptions *opts, const char *name);

/* Resolves "set(key)" text to a table and an existing or would-be id. For alternate keys that
 * match no row, *out_id is NULL and @out_key_values (if given) receives property → GVariant. */
gboolean sb_sandbox_service_resolve_key (SbSandboxService *self, const SbTable *table,
                                         const char *key_text, char **out_id,
                                         GHashTable **out_key_values, SbApiError **error);

/* Query side (sb-sandbox-query.c). */
SbSandboxResponse *sb_sandbox_service_get_collection (SbSandboxService *self, const SbTable *table,
                                                      SbSandboxRequest *request,
                                                      gboolean count_only);
SbSandboxResponse *sb_sandbox_service_get_row (SbSandboxService *self, const SbTable *table,
                                               const char *id, SbSandboxRequest *request);
SbSandboxResponse *sb_sandbox_service_get_related (SbSandboxService *self, const SbTable *table,
                                                   const char *id, const char *nav_name,
                                                   SbSandboxRequest *request);
/* Formats a stored row as the Web API returns it, honouring $select and annotations; @select
 * may be NULL for every attribute. @cache memoises lookup names and currency symbols. */
JsonObject *sb_sandbox_service_format_row (SbSandboxService *self, const SbTable *table,
                                           JsonObject *row, gint64 version, char **select,
                                           const SbPrefer *prefer, GHashTable *cache);
char **sb_sandbox_service_parse_select (SbSandboxService *self, const SbTable *table,
                                        const char *text, SbApiError **error);
char *sb_sandbox_service_context_url (SbSandboxService *self, const SbTable *table, char **select,
                                      const char *suffix);

/* EntityDefinitions, reading (sb-sandbox-metadata.c; writing: sb_sandbox_service_define()).
 * @entity_key is the text inside "EntityDefinitions(…)" or NULL, @sub "Attributes…" or NULL. */
SbSandboxResponse *sb_sandbox_service_metadata (SbSandboxService *self, const char *entity_key,
                                                const char *sub, SbSandboxRequest *request);

/* Custom tables (sb-sandbox-entity-definitions.c). The lookups find built-in and custom
 * tables; the entity-set routes use them. */
const SbTable *sb_sandbox_service_table (SbSandboxService *self, const char *logical_name);
const SbTable *sb_sandbox_service_table_by_set (SbSandboxService *self, const char *entity_set);
gboolean sb_sandbox_service_table_is_custom (SbSandboxService *self, const SbTable *table);
/* The table's collection navigation @name: built in, or the one-to-many side of a custom
 * relationship ("accounts(…)/sb_account_sb_accountstatistics", $expand). */
const SbCollectionNav *sb_sandbox_service_collection_nav (SbSandboxService *self,
                                                          const SbTable *table, const char *name);
GPtrArray *sb_sandbox_service_custom_tables (SbSandboxService *self);
/* POST EntityDefinitions, EntityDefinitions(@key)/Attributes (@sub "Attributes") and
 * RelationshipDefinitions (@collection). */
SbSandboxResponse *sb_sandbox_service_define (SbSandboxService *self, const char *collection,
                                              const char *key, const char *sub,
                                              SbSandboxRequest *request);
/* Defines again the custom tables kept in the store (a --db sandbox after a restart). */
void sb_sandbox_service_load_custom (SbSandboxService *self);
void sb_sandbox_custom_schema_free (SbSandboxCustomSchema *custom);

/* The $metadata CSDL document (sb-sandbox-metadata.c). */
SbSandboxResponse *sb_sandbox_service_csdl (SbSandboxService *self);

const char *sb_sandbox_service_effective_user (SbSandboxService *self, const char *user_id,
                                               SoupMessageHeaders *headers,
                                               SbSandboxResponse **out_response);

/* $batch (sb-sandbox-batch.c). */
SbSandboxResponse *sb_sandbox_service_handle_batch (SbSandboxService *self, const char *user_id,
                                                    SbSandboxRequest *request);
/* Handles one request inside an already open transaction. */
SbSandboxResponse *sb_sandbox_service_dispatch (SbSandboxService *self, const char *user_id,
                                                SbSandboxRequest *request);

/* Turns an absolute or relative request URL into (path, query) below the API root; FALSE if it
 * is not under /api/data/v9.x/. */
gboolean sb_sandbox_split_url (const char *url, char **out_path, char **out_query);

G_END_DECLS
