/* sb-sandbox-service.h: the Dataverse Web API behaviour of the sandbox, without HTTP.
 *
 * SbSandboxService turns one Web API request (method, path below /api/data/v9.2/, query,
 * headers, body) into a response, the way Microsoft documents Dataverse
 * (../shared/reference/dataverse-web-api.md). The server feeds it plain requests and the
 * parts of a $batch alike. Not thread-safe: it runs on the server thread, which owns the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

#include "sb-sandbox-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *method;
  char *path;  /* percent-decoded, below the service root, without leading '/' */
  char *query; /* raw (percent-encoded) query string, or NULL */
  SoupMessageHeaders *headers;
  GBytes *body; /* may be NULL */
} SbSandboxRequest;

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body; /* may be NULL */
} SbSandboxResponse;

SbSandboxRequest *sb_sandbox_request_new (const char *method, const char *path, const char *query,
                                          SoupMessageHeaders *headers, GBytes *body);
void sb_sandbox_request_free (SbSandboxRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSandboxRequest, sb_sandbox_request_free)

SbSandboxResponse *sb_sandbox_response_new (guint status);
void sb_sandbox_response_free (SbSandboxResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSandboxResponse, sb_sandbox_response_free)

/* The Web API error shape {"error":{"code":"0x…","message":"…"}}. */
SbSandboxResponse *sb_sandbox_response_new_error (guint status, const char *code,
                                                  const char *format, ...) G_GNUC_PRINTF (3, 4);
void sb_sandbox_response_set_json (SbSandboxResponse *response, JsonNode *node);

#define SB_TYPE_SANDBOX_SERVICE (sb_sandbox_service_get_type ())
G_DECLARE_FINAL_TYPE (SbSandboxService, sb_sandbox_service, SB, SANDBOX_SERVICE, GObject)

SbSandboxService *sb_sandbox_service_new (SbSandboxStore *store);

/* "http://127.0.0.1:PORT/": every absolute link (OData-EntityId, nextLink…) starts with it. */
void sb_sandbox_service_set_base_url (SbSandboxService *self, const char *base_url);
const char *sb_sandbox_service_get_base_url (SbSandboxService *self);
void sb_sandbox_service_set_delta_lifetime (SbSandboxService *self, gint64 seconds);

SbSandboxStore *sb_sandbox_service_get_store (SbSandboxService *self);

/* Handles one request made by the systemuser @user_id. $batch requests are handled here too. */
SbSandboxResponse *sb_sandbox_service_handle (SbSandboxService *self, const char *user_id,
                                              SbSandboxRequest *request);

/* Creates a row as if POSTed by @user_id (used for seeding); @body is a Web API JSON body.
 * Returns the new id, or NULL with @error set to the response's message. */
char *sb_sandbox_service_create (SbSandboxService *self, const char *user_id,
                                 const char *entity_set, JsonObject *body, GError **error);
/* Same for an update (PATCH with If-Match: *). */
gboolean sb_sandbox_service_update (SbSandboxService *self, const char *user_id,
                                    const char *entity_set, const char *id, JsonObject *body,
                                    GError **error);

/* Deterministic GUID from a name (SHA-1 based, like a version 5 UUID), for seeded rows. */
char *sb_sandbox_uuid_from_name (const char *name);

G_END_DECLS
