/* sb-dataverse-private.h: what the files of SbDataverseConnection share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sb-dataverse-connection.h"

G_BEGIN_DECLS

struct _SbDataverseConnection
{
  GObject parent_instance;

  /* Construct-only configuration: read from any thread without locking. */
  char *base_url; /* normalized, ends in "/" */
  char *api_url;  /* base_url + "api/data/v9.2/" */
  char *api_version;
  char *authority; /* ends in "/" */
  char *tenant;
  char *client_id;
  GUri *base_uri;
  GError *config_error; /* why base-url or authority is not acceptable */
  SoupSession *session;

  /* Set before the first request. */
  guint max_attempts;
  guint base_delay_ms;
  guint max_delay_ms;
  guint max_wait_ms;

  /* Guarded by lock. */
  GMutex lock;
  GCond cond;
  char *secret;
  char *token;
  gint64 token_refresh_at; /* monotonic µs: refresh from then on */
  gint64 token_expires_at; /* monotonic µs */
  gboolean refreshing;
  guint refresh_serial;  /* incremented when a refresh ends */
  GError *refresh_error; /* of the last refresh, handed to those who waited for it */
  gint64 not_before;     /* monotonic µs: no request is sent before (Retry-After, shared) */
  guint64 n_sent;
};

/* One request of the request path. Strings are borrowed. */
typedef struct
{
  const char *method;
  const char *url; /* absolute */
  GBytes *body;    /* NULL for none */
  const char *content_type;
  const char *prefer;
  const char *if_match;
  const char *if_none_match;
  gboolean idempotent;  /* safe to send again after a lost connection */
  gboolean server_link; /* the URL came from the server: check it points at our host */
} SbDvRequest;

typedef struct
{
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  guint n_sends;              /* > 1 when the request was sent again */
  gboolean resent_after_loss; /* sent again after a lost connection: the first may have worked */
} SbDvResponse;

void sb_dv_response_clear (SbDvResponse *response);

/* The request path: token, OData headers, Retry-After and backoff, 401 refresh, retries of
 * transient errors. On success (2xx, 304) fills @response; else a GError of SB_DATAVERSE_ERROR
 * (or G_IO_ERROR_CANCELLED) and @response holds the last answer if there was one. */
gboolean sb_dv_send (SbDataverseConnection *self, const SbDvRequest *request,
                     SbDvResponse *response, GCancellable *cancellable, GError **error);

/* A valid token (cached or fresh); one refresh at a time, others wait for it. */
char *sb_dv_get_token (SbDataverseConnection *self, gboolean force_refresh, const char *stale_token,
                       GCancellable *cancellable, GError **error);

/* TRUE when @url has the scheme, host and port of the environment (never send the token
 * elsewhere: style.md shape 4). */
gboolean sb_dv_check_link (SbDataverseConnection *self, const char *url, GError **error);

/* api_url + @path. */
char *sb_dv_api_url (SbDataverseConnection *self, const char *path);
/* "<set>(<key>)" with the key percent-encoded. */
char *sb_dv_entity_path (const char *entity_set, const char *key);

/* Parses a JSON body; SB_DATAVERSE_ERROR_BAD_RESPONSE when malformed or empty. */
JsonNode *sb_dv_parse_json (GBytes *body, GError **error);
/* The same, requiring an object. */
JsonObject *sb_dv_parse_object (GBytes *body, GError **error);
/* A GError for a non-success HTTP answer. @create_only: the request had If-None-Match: *. */
void sb_dv_error_from_response (guint status, SoupMessageHeaders *headers, GBytes *body,
                                gboolean create_only, GError **error);
/* A GError for a failed soup_session_send (not cancellation). */
void sb_dv_error_from_network (GError *network_error, const char *host, GError **error);

/* Sleeps @ms unless @cancellable fires; FALSE with G_IO_ERROR_CANCELLED then. */
gboolean sb_dv_sleep (gint64 ms, GCancellable *cancellable, GError **error);

G_END_DECLS

G_BEGIN_DECLS
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SbDvResponse, sb_dv_response_clear)
G_END_DECLS
