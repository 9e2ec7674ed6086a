/* sb-sandbox-auth.h: OAuth 2.0 client credentials for the sandbox.
 *
 * Mimics Microsoft Entra ID's token endpoint (POST /<tenant>/oauth2/v2.0/token) closely enough
 * for Dataverse clients: form-encoded client_id/client_secret/scope/grant_type, the JSON error
 * shape {"error": "invalid_client", "error_description": "AADSTS7000215: …"}, and bearer tokens
 * that expire. Server thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-sandbox-service.h"

G_BEGIN_DECLS

#define SB_TYPE_SANDBOX_AUTH (sb_sandbox_auth_get_type ())
G_DECLARE_FINAL_TYPE (SbSandboxAuth, sb_sandbox_auth, SB, SANDBOX_AUTH, GObject)

typedef struct
{
  char *id;
  char *secret;
  char *fullname;
  char *user_id; /* the systemuser the client acts as */
  gboolean integration;
} SbSandboxClient;

SbSandboxAuth *sb_sandbox_auth_new (void);

/* Token lifetime in seconds (default 3599, as Entra ID answers). */
void sb_sandbox_auth_set_lifetime (SbSandboxAuth *self, gint64 seconds);
void sb_sandbox_auth_add_client (SbSandboxAuth *self, const char *id, const char *secret,
                                 const char *fullname, gboolean integration);
/* SbSandboxClient*, owned by @self. */
GPtrArray *sb_sandbox_auth_get_clients (SbSandboxAuth *self);

/* Handles a request to the token endpoint of @tenant: /<tenant>/oauth2/v2.0/token, or with @v1
 * the older /<tenant>/oauth2/token that takes "resource" instead of "scope". */
SbSandboxResponse *sb_sandbox_auth_token (SbSandboxAuth *self, const char *tenant, gboolean v1,
                                          const char *method, SoupMessageHeaders *headers,
                                          GBytes *body);

/* Returns the systemuser id behind the bearer token of @headers, or NULL with *out_response
 * set to the 401 to send. */
const char *sb_sandbox_auth_check (SbSandboxAuth *self, SoupMessageHeaders *headers,
                                   const char *base_url, SbSandboxResponse **out_response);

G_END_DECLS
