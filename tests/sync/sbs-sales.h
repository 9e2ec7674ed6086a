/* sbs-sales.h: the company and the Sales organization of the order and quote tests
 *
 * The ERP books of tests/core/sb-test-books.h (local currency EUR, customers C1–C3, items I1
 * and I2, resource R1) beside the in-process sandbox; a salesperson (the sales-user client)
 * makes accounts, products, orders and quotes in Sales, and the integration user couples C1 to
 * an account "Alpha Bikes", I1 to an inventory product and R1 to a service product.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sandbox-server.h"
#include "sb-sync-sales-import.h"
#include "sb-test-books.h"

G_BEGIN_DECLS

typedef struct
{
  Fixture books;
  SbSandboxServer *server;
  SbDataverseConnection *cnc;   /* the integration user */
  SbDataverseConnection *sales; /* a salesperson working in Sales */
  SbSyncEngine *engine;
  char *account_id;  /* coupled to C1 */
  char *account3_id; /* not coupled ("Charlie Uncoupled") */
  char *item_product_id;
  char *resource_product_id;
  char *uncoupled_product_id;
} Sbs;

void sbs_sales_set_up (Sbs *fx, gconstpointer data);
void sbs_sales_tear_down (Sbs *fx, gconstpointer data);

/* Creates a row as the salesperson from JSON printf-style; returns its id. */
char *sbs_create (Sbs *fx, const char *set, const char *format, ...) G_GNUC_PRINTF (3, 4);
void sbs_update (Sbs *fx, const char *set, const char *id, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
JsonObject *sbs_get (Sbs *fx, const char *set, const char *id);
/* The salesperson's action (WinQuote, ReviseQuote, …) with a JSON body; returns the answer. */
JsonNode *sbs_action (Sbs *fx, const char *action, const char *format, ...) G_GNUC_PRINTF (3, 4);
void sbs_set_write_in (Sbs *fx, SbWriteInProductType type, const char *no);
/* A GAsyncReadyCallback keeping the result in the GAsyncResult * at @user_data. */
void sbs_store_result (GObject *source, GAsyncResult *result, gpointer user_data);

G_END_DECLS
