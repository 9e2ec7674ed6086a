/* sbt-util.h: helpers shared by the sandbox tests: an in-process server on port 0 and a
 * synchronous libsoup client talking to it over real HTTP on 127.0.0.1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sb-sandbox-server.h"

G_BEGIN_DECLS

typedef void (*SbtConfigure) (SbSandboxServer *server);

typedef struct
{
  SbSandboxServer *server;
  SoupSession *session;
  char *base;  /* "http://127.0.0.1:PORT/" */
  char *api;   /* base + "api/data/v9.2/" */
  char *token; /* of salesbridge-integration */
  char *user_id;
} SbtFixture;

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  JsonNode *json; /* NULL unless the body is JSON */
} SbtResponse;

/* @data may be an SbtConfigure run before the server starts. */
void sbt_fixture_setup (SbtFixture *fx, gconstpointer data);
void sbt_fixture_teardown (SbtFixture *fx, gconstpointer data);

char *sbt_token (SbtFixture *fx, const char *client_id, const char *secret);

/* @path is below the API root unless it starts with "http". Header name/value pairs follow
 * @body, NULL-terminated. @token NULL sends no Authorization header. */
SbtResponse *sbt_request (SbtFixture *fx, const char *token, const char *method, const char *path,
                          const char *body, ...) G_GNUC_NULL_TERMINATED;
/* Same with the fixture's token. */
SbtResponse *sbt_call (SbtFixture *fx, const char *method, const char *path, const char *body,
                       ...) G_GNUC_NULL_TERMINATED;
SbtResponse *sbt_send (SbtFixture *fx, const char *token, const char *method, const char *path,
                       const char *content_type, GBytes *body, const char *const *headers);
void sbt_response_free (SbtResponse *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbtResponse, sbt_response_free)

JsonObject *sbt_object (SbtResponse *r);
const char *sbt_error_code (SbtResponse *r);
const char *sbt_error_message (SbtResponse *r);
/* The id at the end of OData-EntityId. */
char *sbt_entity_id (SbtResponse *r);
/* Creates a row and returns its id (asserting 204). */
char *sbt_create (SbtFixture *fx, const char *set, const char *json);
char *sbt_body_text (SbtResponse *r);

G_END_DECLS
