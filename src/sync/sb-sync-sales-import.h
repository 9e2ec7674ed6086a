/* sb-sync-sales-import.h: sales orders and quotes taken from Dynamics 365 Sales
 *
 * integration-behaviour.md §5 (orders) and §6 (quotes), issue 7. An ERP order created from a
 * submitted Dataverse order is coupled to it (mapping SALESORDER-ORDER) in the same ERP
 * transaction that creates it, together with its origin row; the Dataverse order is marked
 * (lastbackofficesubmit) afterwards, and a retry that finds the coupling only finishes that
 * mark, so a crash between the two never makes a second ERP order. Quotes are coupled the same
 * way (mapping SALESQUOTE-QUOTE); a new revision archives the ERP quote before replacing its
 * lines. See docs/sales-import.md.
 *
 * Threads: the _sync functions block and run on the thread that owns the engine's store (or
 * @store). The _async twins open a store of their own on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-store.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

typedef struct
{
  guint created;
  guint updated;
  guint skipped;
  guint failed;
} SbSalesImportCounters;

/* Dataverse sales orders, newest first, at most @limit: JSON array of objects "id",
 * "ordernumber", "name", "statecode" (int), "state" (translated label), "customer_id",
 * "customer_name", "customer_no" (coupled ERP customer no. or ""), "total_amount" (decimal
 * string "1234.50"), "currency" (ISO code), "submitted" (bool), "lastbackofficesubmit" ("" or
 * date), "erp_order_no" ("" when there is no ERP order), "web_url" (the record in Dynamics 365
 * Sales). */
JsonNode *sb_sync_engine_list_sales_orders_sync (SbSyncEngine *self, guint limit,
                                                 GCancellable *cancellable, GError **error);
void sb_sync_engine_list_sales_orders_async (SbSyncEngine *self, guint limit,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
JsonNode *sb_sync_engine_list_sales_orders_finish (SbSyncEngine *self, GAsyncResult *result,
                                                   GError **error);

/* Creates the ERP order of one submitted Dataverse order (@order: its id or ordernumber);
 * returns the ERP order no. */
char *sb_sync_engine_create_sales_order_sync (SbSyncEngine *self, const char *order,
                                              GCancellable *cancellable, GError **error);
void sb_sync_engine_create_sales_order_async (SbSyncEngine *self, const char *order,
                                              GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
char *sb_sync_engine_create_sales_order_finish (SbSyncEngine *self, GAsyncResult *result,
                                                GError **error);

/* Every submitted order not yet taken (the automatic job). */
gboolean sb_sync_engine_create_sales_orders_sync (SbSyncEngine *self,
                                                  SbSalesImportCounters *out_counters,
                                                  GCancellable *cancellable, GError **error);

/* Quotes, same shape: "id", "quotenumber", "revisionnumber", "name", "statecode", "state",
 * "customer_id", "customer_name", "customer_no", "total_amount", "currency", "effectiveto",
 * "erp_quote_no", "erp_order_no", "web_url". */
JsonNode *sb_sync_engine_list_sales_quotes_sync (SbSyncEngine *self, guint limit,
                                                 GCancellable *cancellable, GError **error);
void sb_sync_engine_list_sales_quotes_async (SbSyncEngine *self, guint limit,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
JsonNode *sb_sync_engine_list_sales_quotes_finish (SbSyncEngine *self, GAsyncResult *result,
                                                   GError **error);

/* Processes one active or won quote (@quote: id or quotenumber); returns the ERP quote no. */
char *sb_sync_engine_process_sales_quote_sync (SbSyncEngine *self, const char *quote,
                                               GCancellable *cancellable, GError **error);
void sb_sync_engine_process_sales_quote_async (SbSyncEngine *self, const char *quote,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
char *sb_sync_engine_process_sales_quote_finish (SbSyncEngine *self, GAsyncResult *result,
                                                 GError **error);
gboolean sb_sync_engine_process_sales_quotes_sync (SbSyncEngine *self,
                                                   SbSalesImportCounters *out_counters,
                                                   GCancellable *cancellable, GError **error);

/* Where ERP document (@doc_type 0 quote, 1 order) came from: object "dataverse_id",
 * "entity_set", "number", "revisionnumber", "web_url"; a JSON null node when it did not come
 * from Sales. @connection_url: the organization URL the web URL starts with. */
JsonNode *sb_sync_engine_get_document_origin (SbStore *store, const char *connection_url,
                                              int doc_type, const char *no, GError **error);

/* Timeline posts of an ERP order, oldest first: "text", "state" ("pending", "sent", "failed"),
 * "created_at", "sent_at", "message". */
JsonNode *sb_sync_engine_get_order_posts (SbStore *store, const char *order_no, GError **error);

G_END_DECLS
