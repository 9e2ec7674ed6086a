/* sb-connection-setup.h: how this company connects to Dynamics 365 Sales
 *
 * The settings of integration-behaviour.md §8 in a single-row table. Secrets (the client secret
 * and the item availability access key) are never in here: they live in the user's keyring
 * (src/sync/sb-secret-store.h); this row only says where and as whom to connect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-record.h"

G_BEGIN_DECLS

#define SB_CONNECTION_DEFAULT_AUTHORITY "https://login.microsoftonline.com/"
#define SB_CONNECTION_DEFAULT_API_VERSION "9.2"

typedef struct
{
  gint64 id;       /* always 1 */
  char *sales_url; /* the environment, "https://contoso.crm4.dynamics.com/" */
  char *tenant;    /* directory (tenant) id or domain */
  char *client_id; /* application (client) id of the app registration */
  char *authority; /* sign-in service, SB_CONNECTION_DEFAULT_AUTHORITY */
  char *api_version;
  gboolean is_enabled;
  gboolean sales_order_integration;
  gboolean auto_create_sales_orders;
  gboolean auto_process_sales_quotes;
  gboolean item_availability_enabled;
  char *item_availability_url;
  char *item_availability_user; /* the access key is in the keyring */
  char *erp_web_client_url;
  /* Dataverse's base currency, read when the connection is enabled. */
  char *base_currency_code;
  gint64 base_currency_precision;
  char *base_currency_symbol;
  gboolean solution_deployed; /* the integration solution (tables, roles) is deployed */
  char *last_test_at;         /* ISO 8601 UTC of the last test that passed, or '' */
  gint64 change_no;
  char *modified_at;
} SbConnectionSetup;

SB_DECLARE_RECORD (SbConnectionSetup, sb_connection_setup)

SbConnectionSetup *sb_connection_setup_get (SbStore *store, GError **error);
/* Validates (sb_connection_setup_validate) and saves. */
gboolean sb_connection_setup_update (SbStore *store, SbConnectionSetup *setup, GError **error);
/* The record's rules without a store: URLs https (plain http only for loopback hosts), tenant
 * and client id shapes, and an enabled connection needs a URL and a client id. The error is
 * SB_CORE_ERROR_INVALID and says what to enter. */
gboolean sb_connection_setup_validate (const SbConnectionSetup *setup, GError **error);

/* TRUE when @url's host is a loopback address (127.0.0.0/8, ::1, localhost): the only hosts
 * plain http:// is accepted for (a local test server such as salesbridge-sandbox). */
gboolean sb_connection_url_is_loopback (const char *url);

G_END_DECLS
