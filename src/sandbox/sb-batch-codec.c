/* sb-batch-codec.c: multipart/mixed $batch bodies (OData 4.0 Part 1 §11.7, RFC 2046 §5.1).
 *
 * The parser walks the body once, line start by line start, looking for delimiter lines
 * ("--<boundary>" at the start of a line), so its cost is linear in the body size however many
 * parts there are; request bodies are zero-copy slices of the input GBytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-batch-codec.h"

#include <string.h>

#define MAX_BOUNDARY_LEN 200

/* ------------------------------------------------------------------------------------------ */
/* Requests and parts                                                                          */

void
sb_batch_request_free (SbBatchRequest *r)
{
  if (r == NULL)
    return;
  g_free (r->method);
  g_free (r->url);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->content_id);
  g_free (r);
}

void
sb_batch_part_free (SbBatchPart *p)
{
  if (p == NULL)
    return;
  g_clear_pointer (&p->requests, g_ptr_array_unref);
  g_free (p);
}

static SbBatchPart *
part_new (gboolean is_changeset)
{
  SbBatchPart *p = g_new0 (SbBatchPart, 1);
  p->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_batch_request_free);
  p->is_changeset = is_changeset;
  return p;
}

/* ------------------------------------------------------------------------------------------ */
/* Parser                                                                                      */

typedef struct
{
  GBytes *bytes;
  const char *data;
  gsize len;
  guint n_requests;
  guint part_number; /* 1-based number of the top-level part being parsed, for messages */
  GError **error;
} BatchParser;

static void G_GNUC_PRINTF (2, 3) bad_batch (BatchParser *bp, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (bp->part_number > 0)
    g_set_error (bp->error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH, "Batch part %u: %s",
                 bp->part_number, msg);
  else
    g_set_error_literal (bp->error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH, msg);
}

/* Reads the boundary parameter of a multipart/mixed Content-Type; NULL + error otherwise. */
static char *
multipart_boundary (const char *content_type, const char *what, GError **error)
{
  if (content_type == NULL)
    {
      g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH,
                   "The %s has no Content-Type; expected 'multipart/mixed; boundary=…'.", what);
      return NULL;
    }

  const char *semi = strchr (content_type, ';');
  g_autofree char *media = g_strstrip (
      g_strndup (content_type, semi ? (gsize) (semi - content_type) : strlen (content_type)));
  if (g_ascii_strcasecmp (media, "multipart/mixed") != 0)
    {
      g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH,
                   "The %s has Content-Type '%s'; expected 'multipart/mixed; boundary=…'.", what,
                   content_type);
      return NULL;
    }

  char *boundary = NULL;
  if (semi != NULL)
    {
      GHashTable *params = soup_header_parse_semi_param_list (semi + 1);
      GHashTableIter iter;
      gpointer key, value;
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (g_ascii_strcasecmp (key, "boundary") == 0 && value != NULL)
          boundary = g_strdup (value);
      soup_header_free_param_list (params);
    }
  if (boundary == NULL || *boundary == '\0')
    {
      g_free (boundary);
      g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH,
                   "The %s Content-Type '%s' has no boundary parameter.", what, content_type);
      return NULL;
    }
  if (strlen (boundary) > MAX_BOUNDARY_LEN || strpbrk (boundary, "\r\n") != NULL)
    {
      g_free (boundary);
      g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_BAD_BATCH,
                   "The %s boundary is not valid (at most %d characters, no line breaks).", what,
                   MAX_BOUNDARY_LEN);
      return NULL;
    }
  return boundary;
}

/* Finds the next delimiter line of @dash_boundary ("--" + boundary) whose line starts at or
 * after @from (which must be a line start) and before @end. On success sets the offset of the
 * delimiter, whether it is the close delimiter, and where the following part starts. */
static gboolean
next_delimiter (const char *d, gsize from, gsize end, const char *dash_boundary, gsize db_len,
                gsize *out_at, gboolean *out_close, gsize *out_next)
{
  gsize ls = from;

  while (ls < end)
    {
      if (end - ls >= db_len && memcmp (d + ls, dash_boundary, db_len) == 0)
        {
          gsize i = ls + db_len;
          if (i + 1 < end && d[i] == '-' && d[i + 1] == '-')
            {
              *out_at = ls;
              *out_close = TRUE;
              *out_next = i + 2;
              return TRUE;
            }
          while (i < end && (d[i] == ' ' || d[i] == '\t')) /* transport padding */
            i++;
          if (i == end || d[i] == '\n' || d[i] == '\r')
            {
              if (i < end && d[i] == '\r')
                i++;
              if (i < end && d[i] == '\n')
                i++;
              *out_at = ls;
              *out_close = FALSE;
              *out_next = i;
              return TRUE;
            }
          /* Longer text that merely starts with the boundary: not a delimiter. */
        }
      const char *nl = memchr (d + ls, '\n', end - ls);
      if (nl == NULL)
        break;
      ls = (gsize) (nl - d) + 1;
    }
  return FALSE;
}

typedef struct
{
  gsize start;
  gsize end;
} Span;

/* Splits [start, end) into the parts between delimiters of @boundary. The line break before
 * each delimiter belongs to the delimiter (RFC 2046 §5.1.1). */
static GArray *
split_multipart (BatchParser *bp, gsize start, gsize end, const char *boundary, const char *what)
{
  g_autofree char *db = g_strconcat ("--", boundary, NULL);
  gsize db_len = strlen (db);
  gsize at, next;
  gboolean close;
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));

  if (!next_delimiter (bp->data, start, end, db, db_len, &at, &close, &next))
    {
      bad_batch (bp, "The %s does not contain its boundary delimiter '%s'.", what, db);
      return NULL;
    }
  while (!close)
    {
      gsize part_start = next;
      if (!next_delimiter (bp->data, part_start, end, db, db_len, &at, &close, &next))
        {
          bad_batch (bp, "The %s ends without its closing delimiter '%s--'.", what, db);
          return NULL;
        }
      gsize part_end = at;
      if (part_end > part_start && bp->data[part_end - 1] == '\n')
        part_end--;
      if (part_end > part_start && bp->data[part_end - 1] == '\r')
        part_end--;
      Span s = { part_start, MAX (part_start, part_end) };
      g_array_append_val (spans, s);
    }
  return g_steal_pointer (&spans);
}

/* Reads the line at *pos (< end); returns its length without the CR/LF and moves *pos past
 * the line break. */
static gsize
read_line (const char *d, gsize *pos, gsize end, const char **out_line)
{
  const char *line = d + *pos;
  const char *nl = memchr (line, '\n', end - *pos);
  gsize len = nl ? (gsize) (nl - line) : end - *pos;

  *pos += nl ? len + 1 : len;
  if (len > 0 && line[len - 1] == '\r')
    len--;
  *out_line = line;
  return len;
}

static void
append_header_value (SoupMessageHeaders *headers, const char *name, GString *value)
{
  /* libsoup refuses values with CR or LF; a stray CR inside a line becomes a space. */
  for (gsize i = 0; i < value->len; i++)
    if (value->str[i] == '\r' || value->str[i] == '\n')
      value->str[i] = ' ';
  soup_message_headers_append (headers, name, g_strstrip (value->str));
}

/* Parses header lines from *pos up to a blank line (or @end), appending them to @headers;
 * leaves *pos after the blank line. Handles obsolete line folding. */
static gboolean
parse_headers (BatchParser *bp, gsize *pos, gsize end, SoupMessageHeaders *headers,
               const char *what)
{
  g_autofree char *name = NULL;
  g_autoptr (GString) value = g_string_new (NULL);

  while (*pos < end)
    {
      const char *line;
      gsize len = read_line (bp->data, pos, end, &line);

      if (len == 0)
        break;
      if ((line[0] == ' ' || line[0] == '\t') && name != NULL)
        {
          /* obs-fold: the line break and its indentation become one space (RFC 7230 §3.2.4) */
          gsize skip = 0;
          while (skip < len && (line[skip] == ' ' || line[skip] == '\t'))
            skip++;
          g_string_append_c (value, ' ');
          g_string_append_len (value, line + skip, len - skip);
          continue;
        }
      const char *colon = memchr (line, ':', len);
      if (colon == NULL || colon == line)
        {
          g_autofree char *shown = g_utf8_make_valid (line, MIN (len, 100));
          bad_batch (bp, "The %s header line '%s' is not of the form 'Name: value'.", what, shown);
          return FALSE;
        }
      if (name != NULL)
        append_header_value (headers, name, value);
      g_free (name);
      name = g_strstrip (g_strndup (line, colon - line));
      if (*name == '\0' || strpbrk (name, " \t\r\n:") != NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (line, MIN (len, 100));
          bad_batch (bp, "The %s header line '%s' does not start with a valid header name.", what,
                     shown);
          return FALSE;
        }
      g_string_assign (value, "");
      g_string_append_len (value, colon + 1, len - (colon + 1 - line));
    }
  if (name != NULL)
    append_header_value (headers, name, value);
  return TRUE;
}

static char *
media_type (const char *content_type)
{
  const char *semi = strchr (content_type, ';');
  return g_strstrip (
      g_strndup (content_type, semi ? (gsize) (semi - content_type) : strlen (content_type)));
}

static gboolean
check_transfer_encoding (BatchParser *bp, SoupMessageHeaders *mime)
{
  const char *cte = soup_message_headers_get_one (mime, "Content-Transfer-Encoding");
  if (cte == NULL || g_ascii_strcasecmp (cte, "binary") == 0 ||
      g_ascii_strcasecmp (cte, "8bit") == 0 || g_ascii_strcasecmp (cte, "7bit") == 0)
    return TRUE;
  bad_batch (bp, "Content-Transfer-Encoding '%s' is not supported; use 'binary'.", cte);
  return FALSE;
}

static const char *const allowed_methods[] = { "GET", "POST", "PATCH", "PUT", "DELETE" };

/* Parses the application/http content [start, end) of one part into a request. */
static SbBatchRequest *
parse_request (BatchParser *bp, gsize start, gsize end, SoupMessageHeaders *mime,
               gboolean in_changeset)
{
  const char *d = bp->data;
  gsize pos = start;
  const char *line = NULL;
  gsize len = 0;

  /* Some clients leave blank lines between the MIME headers and the request line. */
  while (pos < end)
    {
      len = read_line (d, &pos, end, &line);
      if (len > 0)
        break;
    }
  if (len == 0)
    {
      bad_batch (bp, "The part has no HTTP request line (such as 'GET accounts HTTP/1.1').");
      return NULL;
    }

  g_autofree char *request_line = g_strndup (line, len);
  g_strstrip (request_line);
  char *space = strpbrk (request_line, " \t");
  if (space == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (request_line, MIN (len, 200));
      bad_batch (bp, "The request line '%s' is not of the form '<METHOD> <URL> HTTP/1.1'.", shown);
      return NULL;
    }
  *space = '\0';
  g_autofree char *method = g_ascii_strup (request_line, -1);
  char *url = g_strstrip (space + 1);
  /* The URL may contain unencoded spaces (a $filter typed by hand): the version is whatever
   * follows the last space, if it looks like one. */
  char *last_space = strrchr (url, ' ');
  if (last_space == NULL)
    last_space = strrchr (url, '\t');
  if (last_space != NULL && g_ascii_strncasecmp (last_space + 1, "HTTP/", 5) == 0)
    {
      *last_space = '\0';
      g_strstrip (url);
    }
  else if (g_ascii_strncasecmp (url, "HTTP/", 5) == 0)
    *url = '\0';
  if (*url == '\0')
    {
      bad_batch (bp, "The request line '%s ...' has no URL.", method);
      return NULL;
    }

  gboolean known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (allowed_methods); i++)
    known = known || g_str_equal (method, allowed_methods[i]);
  if (!known)
    {
      g_autofree char *shown = g_utf8_make_valid (method, MIN (strlen (method), 40));
      bad_batch (bp,
                 "The HTTP method '%s' is not supported in a batch; use GET, POST, PATCH, PUT "
                 "or DELETE.",
                 shown);
      return NULL;
    }
  if (in_changeset && g_str_equal (method, "GET"))
    {
      bad_batch (bp, "An invalid HTTP method 'GET' was detected for a request in a change set. "
                     "Requests in change sets only support the HTTP methods 'POST', 'PUT', "
                     "'DELETE', and 'PATCH'.");
      return NULL;
    }

  g_autoptr (SbBatchRequest) r = g_new0 (SbBatchRequest, 1);
  r->method = g_steal_pointer (&method);
  r->url = g_strdup (url);
  r->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  if (!parse_headers (bp, &pos, end, r->headers, "request"))
    return NULL;

  gsize body_end = end;
  while (body_end > pos && (d[body_end - 1] == '\n' || d[body_end - 1] == '\r'))
    body_end--;
  r->body = g_bytes_new_from_bytes (bp->bytes, pos, body_end - pos);

  const char *cid = soup_message_headers_get_one (mime, "Content-ID");
  if (cid == NULL)
    cid = soup_message_headers_get_one (r->headers, "Content-ID");
  if (cid != NULL && *cid != '\0')
    r->content_id = g_strdup (cid);
  return g_steal_pointer (&r);
}

static gboolean
count_request (BatchParser *bp, gboolean in_changeset, guint changeset_count)
{
  bp->n_requests++;
  if (in_changeset && changeset_count > SB_BATCH_MAX_REQUESTS)
    {
      bad_batch (bp,
                 "The current change set contains too many operations. A maximum number of "
                 "'%d' operations are allowed in a change set.",
                 SB_BATCH_MAX_REQUESTS);
      return FALSE;
    }
  if (bp->n_requests > SB_BATCH_MAX_REQUESTS)
    {
      bad_batch (bp,
                 "The current batch message contains too many parts. Only batch messages "
                 "with a maximum number of '%d' query operations, including changeset "
                 "operations, are allowed.",
                 SB_BATCH_MAX_REQUESTS);
      return FALSE;
    }
  return TRUE;
}

/* Parses one MIME part [start, end): an application/http request or (at the top level) a
 * changeset. Adds its request(s) to @part. */
static gboolean
parse_part (BatchParser *bp, gsize start, gsize end, gboolean in_changeset, SbBatchPart **out_part,
            SbBatchPart *changeset)
{
  g_autoptr (SoupMessageHeaders) mime = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
  gsize pos = start;

  if (!parse_headers (bp, &pos, end, mime, "part"))
    return FALSE;
  if (!check_transfer_encoding (bp, mime))
    return FALSE;

  const char *ct = soup_message_headers_get_one (mime, "Content-Type");
  g_autofree char *media = ct ? media_type (ct) : g_strdup ("application/http");

  if (g_ascii_strcasecmp (media, "multipart/mixed") == 0)
    {
      if (in_changeset)
        {
          bad_batch (bp, "A change set cannot contain another change set or batch; change sets "
                         "do not nest.");
          return FALSE;
        }
      g_autoptr (GError) local = NULL;
      g_autofree char *boundary = multipart_boundary (ct, "change set", &local);
      if (boundary == NULL)
        {
          bad_batch (bp, "%s", local->message);
          return FALSE;
        }
      g_autoptr (GArray) spans = split_multipart (bp, pos, end, boundary, "change set");
      if (spans == NULL)
        return FALSE;
      g_autoptr (SbBatchPart) cs = part_new (TRUE);
      g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < spans->len; i++)
        {
          Span *s = &g_array_index (spans, Span, i);
          if (!parse_part (bp, s->start, s->end, TRUE, NULL, cs))
            return FALSE;
          if (!count_request (bp, TRUE, cs->requests->len))
            return FALSE;
          SbBatchRequest *r = g_ptr_array_index (cs->requests, cs->requests->len - 1);
          if (r->content_id != NULL)
            {
              if (g_hash_table_contains (ids, r->content_id))
                {
                  bad_batch (bp,
                             "The Content-ID '%s' is used by more than one request in the "
                             "change set; it must be unique.",
                             r->content_id);
                  return FALSE;
                }
              g_hash_table_add (ids, r->content_id);
            }
        }
      *out_part = g_steal_pointer (&cs);
      return TRUE;
    }

  if (g_ascii_strcasecmp (media, "application/http") != 0)
    {
      bad_batch (bp,
                 "The part has Content-Type '%s'; expected 'application/http' or (for a "
                 "change set) 'multipart/mixed'.",
                 ct);
      return FALSE;
    }

  SbBatchRequest *r = parse_request (bp, pos, end, mime, in_changeset);
  if (r == NULL)
    return FALSE;
  if (changeset != NULL)
    {
      g_ptr_array_add (changeset->requests, r);
      return TRUE;
    }
  SbBatchPart *p = part_new (FALSE);
  g_ptr_array_add (p->requests, r);
  if (!count_request (bp, FALSE, 0))
    {
      sb_batch_part_free (p);
      return FALSE;
    }
  *out_part = p;
  return TRUE;
}

static GPtrArray *parse_batch (const char *content_type, GBytes *body, GError **error);

GPtrArray *
sb_batch_parse (const char *content_type, GBytes *body, GError **error)
{
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GError) local_error = NULL;
  GPtrArray *parts = parse_batch (content_type, body, &local_error);
  if (parts == NULL)
    {
      /* Messages quote the client's bytes, which need not be UTF-8. */
      if (!g_utf8_validate (local_error->message, -1, NULL))
        {
          char *valid = g_utf8_make_valid (local_error->message, -1);
          g_free (local_error->message);
          local_error->message = valid;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return parts;
}

static GPtrArray *
parse_batch (const char *content_type, GBytes *body, GError **error)
{
  g_autofree char *boundary = multipart_boundary (content_type, "batch request", error);
  if (boundary == NULL)
    return NULL;

  BatchParser bp = { 0 };
  gsize len = 0;
  bp.bytes = body;
  bp.data = g_bytes_get_data (body, &len);
  bp.len = len;
  bp.error = error;
  if (bp.data == NULL)
    bp.data = "";

  g_autoptr (GArray) spans = split_multipart (&bp, 0, bp.len, boundary, "batch request body");
  if (spans == NULL)
    return NULL;

  g_autoptr (GPtrArray) parts =
      g_ptr_array_new_with_free_func ((GDestroyNotify) sb_batch_part_free);
  for (guint i = 0; i < spans->len; i++)
    {
      Span *s = &g_array_index (spans, Span, i);
      SbBatchPart *part = NULL;
      bp.part_number = i + 1;
      if (!parse_part (&bp, s->start, s->end, FALSE, &part, NULL))
        return NULL;
      g_ptr_array_add (parts, part);
    }
  return g_steal_pointer (&parts);
}

char *
sb_batch_url_relative (const char *url, const char *service_root_path)
{
  g_return_val_if_fail (url != NULL, NULL);
  g_return_val_if_fail (service_root_path != NULL, NULL);

  const char *path = url;
  const char *scheme_end = strstr (url, "://");
  const char *query = strpbrk (url, "?#");

  if (scheme_end != NULL && (query == NULL || scheme_end < query))
    {
      const char *slash = strchr (scheme_end + 3, '/');
      path = slash ? slash : "/";
    }
  if (*path != '/')
    return g_strdup (path);

  gsize root_len = strlen (service_root_path);
  while (root_len > 0 && service_root_path[root_len - 1] == '/')
    root_len--;
  if (g_ascii_strncasecmp (path, service_root_path, root_len) != 0)
    return NULL;
  const char *rest = path + root_len;
  if (*rest == '/')
    return g_strdup (rest + 1);
  if (*rest == '\0' || *rest == '?' || *rest == '#')
    return g_strdup (rest);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Writer                                                                                      */

struct _SbBatchWriter
{
  GByteArray *out;
  char *boundary;
  char *content_type;
  char *changeset_boundary; /* while a changeset is open */
  gboolean finished;
};

static void
append (SbBatchWriter *w, const char *s)
{
  g_byte_array_append (w->out, (const guint8 *) s, strlen (s));
}

static void append_printf (SbBatchWriter *w, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
append_printf (SbBatchWriter *w, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *s = g_strdup_vprintf (format, args);
  va_end (args);
  append (w, s);
}

SbBatchWriter *
sb_batch_writer_new (void)
{
  SbBatchWriter *w = g_new0 (SbBatchWriter, 1);
  g_autofree char *uuid = g_uuid_string_random ();
  w->out = g_byte_array_new ();
  w->boundary = g_strconcat ("batchresponse_", uuid, NULL);
  w->content_type = g_strconcat ("multipart/mixed; boundary=", w->boundary, NULL);
  return w;
}

void
sb_batch_writer_begin_changeset (SbBatchWriter *w)
{
  g_return_if_fail (w != NULL && !w->finished);
  g_return_if_fail (w->changeset_boundary == NULL);

  g_autofree char *uuid = g_uuid_string_random ();
  w->changeset_boundary = g_strconcat ("changesetresponse_", uuid, NULL);
  append_printf (w, "--%s\r\nContent-Type: multipart/mixed; boundary=%s\r\n\r\n", w->boundary,
                 w->changeset_boundary);
}

void
sb_batch_writer_end_changeset (SbBatchWriter *w)
{
  g_return_if_fail (w != NULL && !w->finished);
  g_return_if_fail (w->changeset_boundary != NULL);

  append_printf (w, "--%s--\r\n", w->changeset_boundary);
  g_clear_pointer (&w->changeset_boundary, g_free);
}

static void
append_header (const char *name, const char *value, gpointer user_data)
{
  append_printf (user_data, "%s: %s\r\n", name, value);
}

void
sb_batch_writer_add_response (SbBatchWriter *w, guint status, const char *content_id,
                              SoupMessageHeaders *headers, GBytes *body)
{
  g_return_if_fail (w != NULL && !w->finished);

  append_printf (w,
                 "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n",
                 w->changeset_boundary ? w->changeset_boundary : w->boundary);
  if (content_id != NULL)
    append_printf (w, "Content-ID: %s\r\n", content_id);
  append_printf (w, "\r\nHTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  if (headers != NULL)
    soup_message_headers_foreach (headers, append_header, w);
  append (w, "\r\n");
  if (body != NULL)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (body, &len);
      if (len > 0)
        g_byte_array_append (w->out, data, len);
    }
  /* The line break that ends every part belongs to the next delimiter (RFC 2046 §5.1.1). */
  append (w, "\r\n");
}

const char *
sb_batch_writer_get_content_type (SbBatchWriter *w)
{
  g_return_val_if_fail (w != NULL, NULL);
  return w->content_type;
}

GBytes *
sb_batch_writer_finish (SbBatchWriter *w)
{
  g_return_val_if_fail (w != NULL && !w->finished, NULL);

  if (w->changeset_boundary != NULL)
    sb_batch_writer_end_changeset (w);
  append_printf (w, "--%s--\r\n", w->boundary);
  w->finished = TRUE;
  return g_byte_array_free_to_bytes (g_steal_pointer (&w->out));
}

void
sb_batch_writer_free (SbBatchWriter *w)
{
  if (w == NULL)
    return;
  g_clear_pointer (&w->out, g_byte_array_unref);
  g_free (w->boundary);
  g_free (w->content_type);
  g_free (w->changeset_boundary);
  g_free (w);
}
