/* sb-batch-codec.h: the multipart/mixed body of a Dataverse Web API $batch request, and the
 * writer of its response.
 *
 * Format: OData 4.0 Part 1 §11.7 "Batch Requests" (multipart/mixed, RFC 2046) as Microsoft's
 * "Execute batch operations using the Web API" describes it for Dataverse. Pure code: no I/O,
 * safe from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

#include "sb-odata-error.h"

G_BEGIN_DECLS

/* Dataverse's limit on the requests of one batch, changeset requests included. */
#define SB_BATCH_MAX_REQUESTS 1000

typedef struct
{
  char *method;                /* "GET", "POST", "PATCH", "DELETE", "PUT" (upper case) */
  char *url;                   /* as written in the part: absolute or relative */
  SoupMessageHeaders *headers; /* SOUP_MESSAGE_HEADERS_REQUEST */
  GBytes *body;                /* may be empty, never NULL */
  char *content_id;            /* value of Content-ID (from MIME part headers or the inner
                                  request headers), or NULL */
} SbBatchRequest;

typedef struct
{
  GPtrArray *requests; /* SbBatchRequest*; 1 element for a plain part */
  gboolean is_changeset;
} SbBatchPart;

/* Parses a $batch body. @content_type is the request's full Content-Type header
 * ("multipart/mixed; boundary=batch_123" or quoted boundary). Returns GPtrArray of SbBatchPart*
 * (with free func) or NULL + SB_ODATA_ERROR_BAD_BATCH with a clear message.
 *
 * Tolerates what real clients send: LF or CRLF line ends, quoted or unquoted boundaries,
 * preamble and epilogue text, transport padding after a boundary, blank lines before the
 * request line, a missing "HTTP/1.1" on the request line. Refuses: a missing or unclosed
 * boundary, a part that is not application/http, a changeset inside a changeset, a GET (or
 * other non-modifying method) inside a changeset, a duplicate Content-ID within one
 * changeset, a malformed request line, more than SB_BATCH_MAX_REQUESTS requests.
 * A request inside a changeset without a Content-ID is accepted (Dataverse accepts it; it just
 * cannot be referenced as $n). Trailing CR/LF at the end of a request body are dropped.
 * Runs in time linear in the body size. */
GPtrArray *sb_batch_parse (const char *content_type, GBytes *body, GError **error);
void sb_batch_request_free (SbBatchRequest *r);
void sb_batch_part_free (SbBatchPart *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbBatchRequest, sb_batch_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbBatchPart, sb_batch_part_free)

/* Returns the part of @url that follows the service root @service_root_path (for example
 * "/api/data/v9.2/"), whether @url is absolute ("https://host/api/data/v9.2/accounts(…)"),
 * absolute-path ("/api/data/v9.2/accounts") or already relative ("accounts?$top=1",
 * "$1/primarycontactid/$ref"); NULL if an absolute or absolute-path @url lies outside the
 * service root. The query string is kept. */
char *sb_batch_url_relative (const char *url, const char *service_root_path);

typedef struct _SbBatchWriter SbBatchWriter;

SbBatchWriter *sb_batch_writer_new (void);               /* boundary "batchresponse_<uuid>" */
void sb_batch_writer_begin_changeset (SbBatchWriter *w); /* nested "changesetresponse_<uuid>" */
void sb_batch_writer_end_changeset (SbBatchWriter *w);
/* Adds one HTTP response part: status line "HTTP/1.1 <status> <reason>", @headers (may be
 * NULL), body (may be NULL). @content_id, if not NULL, is written as the part's Content-ID
 * MIME header, as Dataverse does inside a changeset response. */
void sb_batch_writer_add_response (SbBatchWriter *w, guint status, const char *content_id,
                                   SoupMessageHeaders *headers, GBytes *body);
/* "multipart/mixed; boundary=batchresponse_…" */
const char *sb_batch_writer_get_content_type (SbBatchWriter *w);
/* Closes an open changeset and the batch; the writer then accepts nothing more. */
GBytes *sb_batch_writer_finish (SbBatchWriter *w);
void sb_batch_writer_free (SbBatchWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbBatchWriter, sb_batch_writer_free)

G_END_DECLS
