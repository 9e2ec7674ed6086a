/* sb-sync-order-quote-private.h: what the order, quote and order status files share
 *
 * Plain functions on the thread that owns @store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-order-outbox.h"
#include "sb-sales-document.h"
#include "sb-sync-sales-import.h"

G_BEGIN_DECLS

#define SB_SALES_ORDER_MAPPING "SALESORDER-ORDER"
#define SB_SALES_QUOTE_MAPPING "SALESQUOTE-QUOTE"

/* salesorder statecode/statuscode (integration-behaviour.md §9). */
#define SB_DV_ORDER_ACTIVE 0
#define SB_DV_ORDER_SUBMITTED 1
#define SB_DV_ORDER_INVOICED 4
#define SB_DV_ORDER_STATUS_PENDING 2
#define SB_DV_ORDER_STATUS_INVOICED 100003
#define SB_DV_QUOTE_ACTIVE 1
#define SB_DV_QUOTE_WON 2
#define SB_DV_QUOTE_CLOSED 3
#define SB_DV_QUOTE_STATUS_REVISED 7

typedef struct
{
  SbSyncEngine *engine;
  SbStore *store;
  SbDataverseConnection *cnc;
  GCancellable *cancellable;
  guint64 sent_at_start; /* the connection's request count when the job started */
} SbSalesImport;

/* Only for tests: called after the ERP transaction of a new order committed and before the
 * Dataverse order is marked; returning FALSE (with @error) stops there, as a crash would. */
typedef gboolean (*SbSalesImportHook) (const char *order_no, gpointer user_data, GError **error);
void sb_sales_import_set_test_hook (SbSalesImportHook hook, gpointer user_data);
gboolean sb_sales_import_run_test_hook (const char *order_no, GError **error);

char *sb_sales_import_web_url (SbDataverseConnection *cnc, const char *etn, const char *id);
/* The row of @entity_set with id or number @key (@number_attr), with its lines (@lines_nav
 * expanded, in sequencenumber order). */
JsonObject *sb_sales_import_retrieve (SbSalesImport *ctx, const char *entity_set,
                                      const char *number_attr, const char *key,
                                      const char *lines_nav, GError **error);
/* The ERP customer no. coupled to the row's customerid (an account, or a contact's parent
 * account); "" when not coupled and @error NULL; an error naming the account otherwise. */
char *sb_sales_import_customer_no (SbSalesImport *ctx, JsonObject *row, GError **error);
/* Fills the header fields of §5/§6 from @row (not doc_type, no, customer). */
gboolean sb_sales_import_fill_header (SbSalesImport *ctx, JsonObject *row, SbSalesHeader *header,
                                      GError **error);
/* Adds the lines of @row (its expanded @lines_nav) and the freight line to the open document;
 * call inside a transaction. */
gboolean sb_sales_import_add_lines (SbSalesImport *ctx, JsonObject *row, const char *lines_nav,
                                    SbSalesDocType type, const char *no, GError **error);

/* Origin rows (sales_document_origin). */
gboolean sb_sales_origin_save (SbStore *store, SbSalesDocType type, const char *no,
                               const char *dataverse_id, const char *entity_set, const char *number,
                               gint64 revision, GError **error);
/* The ERP document no. of Dataverse row @dataverse_id, or NULL (no error) when there is none. */
char *sb_sales_origin_find_no (SbStore *store, SbSalesDocType type, const char *dataverse_id,
                               GError **error);
/* The ERP document no. whose origin has @number ("ORD-01001" / "QUO-01001"), or NULL. */
char *sb_sales_origin_find_by_number (SbStore *store, SbSalesDocType type, const char *number,
                                      GError **error);
gboolean sb_sales_origin_set_flag (SbStore *store, SbSalesDocType type, const char *no,
                                   const char *column, gboolean value, GError **error);
gboolean sb_sales_origin_get_flag (SbStore *store, SbSalesDocType type, const char *no,
                                   const char *column, gboolean *out_value, GError **error);

/* The coupling key of a sales document (sb_sync_run_erp_key_of() of sales_header). */
char *sb_sales_import_erp_key (SbSalesDocType type, const char *no);

/* Sets lastbackofficesubmit = today on Dataverse order @id and remembers it. */
gboolean sb_sales_import_mark_order (SbSalesImport *ctx, const char *order_no, const char *id,
                                     GError **error);
/* Sets the order's Quote No. to @quote_no and archives that quote (both when the quote is
 * known; the quote's Won processing may come before or after). */
gboolean sb_sales_import_link_quote (SbStore *store, const char *order_no, const char *quote_no,
                                     GError **error);

gboolean sb_sales_import_decimal (JsonObject *row, const char *member, SbDecimal *out_value);
const char *sb_sales_import_state_label (gboolean quote, gint64 statecode);

/* Rows of @entity_set (@select, newest first, at most @limit, with annotations and the
 * currency's ISO code expanded) matching @filter (taken). */
GPtrArray *sb_sales_import_query_rows (SbSalesImport *ctx, const char *entity_set,
                                       const char *const *select, SbDataverseFilter *filter,
                                       guint limit, GError **error);
/* Adds the list members orders and quotes share. */
void sb_sales_import_list_common (SbSalesImport *ctx, JsonBuilder *b, JsonObject *row,
                                  const char *etn, const char *id, gboolean quote,
                                  GHashTable *contacts);
JsonNode *sb_sales_import_list_quotes (SbSalesImport *ctx, guint limit, GError **error);
char *sb_sales_import_create_order (SbSalesImport *ctx, const char *order, GError **error);
char *sb_sales_import_process_quote (SbSalesImport *ctx, const char *quote, GError **error);
/* Runs list (@list) or create/process (@key) of orders or quotes (@quote) on a worker thread
 * with a store of its own; the result is a JsonNode or the document no. */
void sb_sales_import_run_async (SbSyncEngine *self, gpointer tag, gboolean quote, gboolean list,
                                const char *key, guint limit, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);

/* For sb_dataverse_connection_query_sync(): adds each row of the page to @user_data, a
 * GPtrArray of JsonObject. */
gboolean sb_sales_import_collect_rows (const SbDataversePage *page, gpointer user_data,
                                       GError **error);

typedef enum
{
  SB_SALES_IMPORT_NOTHING, /* taken before, nothing changed */
  SB_SALES_IMPORT_CREATED,
  SB_SALES_IMPORT_UPDATED,
} SbSalesImportOutcome;

/* Takes one document row of an automatic job: its ERP no., or NULL with @error. */
typedef char *(*SbSalesImportRowFunc) (SbSalesImport *ctx, JsonObject *row,
                                       SbSalesImportOutcome *outcome, GError **error);

/* An automatic job: reads every row of @query, hands each to @func and logs the job (mapping
 * @mapping) with its counters and each failed row by its @id_attribute. FALSE only when the
 * read failed or the job was cancelled. */
gboolean sb_sales_import_run_job (SbSalesImport *ctx, const char *mapping, SbDataverseQuery *query,
                                  const char *id_attribute, SbSalesImportRowFunc func,
                                  SbSalesImportCounters *out_counters, GError **error);

/* A sync_job row (from Sales) of an automatic job, for the sync log; 0 on failure. */
gint64 sb_sales_import_job_start (SbSalesImport *ctx, const char *mapping);
void sb_sales_import_job_finish (SbSalesImport *ctx, gint64 job_id,
                                 const SbSalesImportCounters *counters, const char *message);
gboolean sb_sales_import_job_error (SbStore *store, gint64 job_id, const char *mapping,
                                    const char *erp_key, const char *dataverse_id,
                                    const char *message);

/* The Sales Order Status job: sends the outbox rows not sent yet and the changed
 * SALESORDER-ORDER dates, on @store (owned by this thread). Counters: created = rows sent,
 * updated = orders whose dates were sent, failed = kept for the next run. */
gboolean sb_sync_engine_send_order_status_sync (SbSyncEngine *self, SbStore *store,
                                                SbSalesImportCounters *out_counters,
                                                GCancellable *cancellable, GError **error);
/* The Sales Order Notes job: notes of the orders from Sales both ways, on @store. Counters:
 * created = notes new on one side, updated = changed or deleted, failed = orders whose notes
 * failed (logged; retried by the next run). */
gboolean sb_sync_engine_sync_order_notes_sync (SbSyncEngine *self, SbStore *store,
                                               SbSalesImportCounters *out_counters,
                                               GCancellable *cancellable, GError **error);
/* The automatic jobs on @ctx's store (sb_sync_engine_create_sales_orders_sync(),
 * sb_sync_engine_process_sales_quotes_sync()). */
gboolean sb_sales_import_create_orders (SbSalesImport *ctx, SbSalesImportCounters *out_counters,
                                        GError **error);
gboolean sb_sales_import_process_quotes (SbSalesImport *ctx, SbSalesImportCounters *out_counters,
                                         GError **error);

G_END_DECLS
