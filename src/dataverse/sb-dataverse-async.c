/* sb-dataverse-async.c: the asynchronous API of SbDataverseConnection.
 *
 * Async at the edge, simple inside (style.md shape 7): each _async runs the _sync twin in a
 * GTask thread, so that blocking I/O and the parsing of large pages never touch the caller's
 * main context; the GTask returns on the caller's thread-default context. Page callbacks are
 * marshalled to that context too, and the worker waits for each before reading the next page,
 * so one page at a time is in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-dataverse-private.h"

typedef enum
{
  OP_SIGN_IN,
  OP_WHO_AM_I,
  OP_CALL,
  OP_RETRIEVE,
  OP_CREATE,
  OP_WRITE,
  OP_DELETE,
  OP_QUERY,
  OP_READ_CHANGES,
  OP_BATCH,
} OpKind;

typedef struct
{
  OpKind kind;
  char *method;
  char *path;
  char *entity_set;
  char *key;
  char *etag;
  char *expand;
  char **select;
  JsonNode *body;
  JsonObject *record;
  SbDataverseWriteMode mode;
  gboolean want_representation;
  SbDataverseQuery *query;
  SbDataverseBatch *batch;
  char *delta_link;

  /* Page callback, run on the caller's context. */
  SbDataversePageFunc func;
  gpointer func_data;
  GMainContext *context;

  /* Results. */
  char *out_ids[3];
  JsonObject *out_representation;
} Op;

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->method);
  g_free (op->path);
  g_free (op->entity_set);
  g_free (op->key);
  g_free (op->etag);
  g_free (op->expand);
  g_strfreev (op->select);
  g_clear_pointer (&op->body, json_node_unref);
  g_clear_pointer (&op->record, json_object_unref);
  g_clear_object (&op->query);
  g_clear_object (&op->batch);
  g_free (op->delta_link);
  g_clear_pointer (&op->context, g_main_context_unref);
  for (guint i = 0; i < G_N_ELEMENTS (op->out_ids); i++)
    g_free (op->out_ids[i]);
  g_clear_pointer (&op->out_representation, json_object_unref);
  g_free (op);
}

/* A page handed from the worker to the caller's context; the worker waits for the answer. */
typedef struct
{
  Op *op;
  const SbDataversePage *page;
  GMutex lock;
  GCond cond;
  gboolean done;
  gboolean result;
  GError *error;
} PageCall;

static gboolean
page_call_run (gpointer data)
{
  PageCall *call = data;
  GError *local = NULL;
  gboolean result = call->op->func (call->page, call->op->func_data, &local);

  g_mutex_lock (&call->lock);
  call->result = result;
  call->error = local;
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->lock);
  return G_SOURCE_REMOVE;
}

static gboolean
page_on_context (const SbDataversePage *page, gpointer user_data, GError **error)
{
  PageCall call = { .op = user_data, .page = page };
  GSource *source;

  g_mutex_init (&call.lock);
  g_cond_init (&call.cond);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, page_call_run, &call, NULL);
  g_source_set_static_name (source, "[sb-dataverse] page");
  g_source_attach (source, call.op->context);
  g_source_unref (source);

  g_mutex_lock (&call.lock);
  while (!call.done)
    g_cond_wait (&call.cond, &call.lock);
  g_mutex_unlock (&call.lock);
  g_mutex_clear (&call.lock);
  g_cond_clear (&call.cond);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.result;
}

static void
run_op (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SbDataverseConnection *self = source_object;
  Op *op = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (op->kind)
    {
      case OP_SIGN_IN:
        ok = sb_dataverse_connection_sign_in_sync (self, cancellable, &error);
        break;
      case OP_WHO_AM_I:
        ok = sb_dataverse_connection_who_am_i_sync (self, &op->out_ids[0], &op->out_ids[1],
                                                    &op->out_ids[2], cancellable, &error);
        break;
      case OP_CALL:
        {
          JsonNode *node = sb_dataverse_connection_call_sync (self, op->method, op->path, op->body,
                                                              cancellable, &error);

          if (node != NULL)
            g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
          else
            g_task_return_error (task, error);
          return;
        }
      case OP_RETRIEVE:
        {
          JsonObject *object = sb_dataverse_connection_retrieve_sync (
              self, op->entity_set, op->key, (const char *const *) op->select, op->expand,
              cancellable, &error);

          if (object != NULL)
            g_task_return_pointer (task, object, (GDestroyNotify) json_object_unref);
          else
            g_task_return_error (task, error);
          return;
        }
      case OP_CREATE:
        op->out_ids[0] = sb_dataverse_connection_create_sync (
            self, op->entity_set, op->record,
            op->want_representation ? &op->out_representation : NULL, cancellable, &error);
        ok = op->out_ids[0] != NULL;
        break;
      case OP_WRITE:
        ok = sb_dataverse_connection_write_sync (
            self, op->entity_set, op->key, op->record, op->mode, op->etag, &op->out_ids[0],
            op->want_representation ? &op->out_representation : NULL, cancellable, &error);
        break;
      case OP_DELETE:
        ok = sb_dataverse_connection_delete_sync (self, op->entity_set, op->key, op->etag,
                                                  cancellable, &error);
        break;
      case OP_QUERY:
        ok = sb_dataverse_connection_query_sync (self, op->query, page_on_context, op,
                                                 &op->out_ids[0], cancellable, &error);
        break;
      case OP_READ_CHANGES:
        ok = sb_dataverse_connection_read_changes_sync (self, op->delta_link, op->query,
                                                        page_on_context, op, &op->out_ids[0],
                                                        cancellable, &error);
        break;
      case OP_BATCH:
        ok = sb_dataverse_connection_execute_batch_sync (self, op->batch, cancellable, &error);
        break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static Op *
op_new (OpKind kind)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  return op;
}

static void
start (SbDataverseConnection *self, Op *op, gpointer source_tag, GCancellable *cancellable,
       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);
  /* The result is delivered even when cancelled: the operation reports
   * G_IO_ERROR_CANCELLED itself, after its thread is done with the Op. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_op);
}

static Op *
finish_op (SbDataverseConnection *self, GAsyncResult *result, gpointer source_tag)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_get_task_data (G_TASK (result));
}

void
sb_dataverse_connection_sign_in_async (SbDataverseConnection *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  start (self, op_new (OP_SIGN_IN), sb_dataverse_connection_sign_in_async, cancellable, callback,
         user_data);
}

gboolean
sb_dataverse_connection_sign_in_finish (SbDataverseConnection *self, GAsyncResult *result,
                                        GError **error)
{
  if (finish_op (self, result, sb_dataverse_connection_sign_in_async) == NULL)
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sb_dataverse_connection_who_am_i_async (SbDataverseConnection *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  start (self, op_new (OP_WHO_AM_I), sb_dataverse_connection_who_am_i_async, cancellable, callback,
         user_data);
}

gboolean
sb_dataverse_connection_who_am_i_finish (SbDataverseConnection *self, GAsyncResult *result,
                                         char **out_user_id, char **out_business_unit_id,
                                         char **out_organization_id, GError **error)
{
  Op *op = finish_op (self, result, sb_dataverse_connection_who_am_i_async);

  if (op == NULL || !g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_user_id != NULL)
    *out_user_id = g_steal_pointer (&op->out_ids[0]);
  if (out_business_unit_id != NULL)
    *out_business_unit_id = g_steal_pointer (&op->out_ids[1]);
  if (out_organization_id != NULL)
    *out_organization_id = g_steal_pointer (&op->out_ids[2]);
  return TRUE;
}

void
sb_dataverse_connection_call_async (SbDataverseConnection *self, const char *method,
                                    const char *path, JsonNode *body, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (method != NULL && path != NULL);
  op = op_new (OP_CALL);
  op->method = g_strdup (method);
  op->path = g_strdup (path);
  /* A deep copy: the caller may change its node while the worker serializes ours. */
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);

      op->body = json_from_string (text, NULL);
    }
  start (self, op, sb_dataverse_connection_call_async, cancellable, callback, user_data);
}

JsonNode *
sb_dataverse_connection_call_finish (SbDataverseConnection *self, GAsyncResult *result,
                                     GError **error)
{
  if (finish_op (self, result, sb_dataverse_connection_call_async) == NULL)
    return NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sb_dataverse_connection_retrieve_async (SbDataverseConnection *self, const char *entity_set,
                                        const char *key, const char *const *select,
                                        const char *expand, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (entity_set != NULL && key != NULL);
  op = op_new (OP_RETRIEVE);
  op->entity_set = g_strdup (entity_set);
  op->key = g_strdup (key);
  op->select = g_strdupv ((char **) select);
  op->expand = g_strdup (expand);
  start (self, op, sb_dataverse_connection_retrieve_async, cancellable, callback, user_data);
}

JsonObject *
sb_dataverse_connection_retrieve_finish (SbDataverseConnection *self, GAsyncResult *result,
                                         GError **error)
{
  if (finish_op (self, result, sb_dataverse_connection_retrieve_async) == NULL)
    return NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A deep copy, so that the worker never shares json-glib objects with the caller's thread. */
static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr (JsonNode) deep = json_from_string (text, NULL);

  return json_object_ref (json_node_get_object (deep));
}

void
sb_dataverse_connection_create_async (SbDataverseConnection *self, const char *entity_set,
                                      JsonObject *record, gboolean want_representation,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (entity_set != NULL && record != NULL);
  op = op_new (OP_CREATE);
  op->entity_set = g_strdup (entity_set);
  op->record = copy_object (record);
  op->want_representation = want_representation;
  start (self, op, sb_dataverse_connection_create_async, cancellable, callback, user_data);
}

char *
sb_dataverse_connection_create_finish (SbDataverseConnection *self, GAsyncResult *result,
                                       JsonObject **out_representation, GError **error)
{
  Op *op = finish_op (self, result, sb_dataverse_connection_create_async);

  if (op == NULL || !g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  if (out_representation != NULL)
    *out_representation = g_steal_pointer (&op->out_representation);
  return g_steal_pointer (&op->out_ids[0]);
}

void
sb_dataverse_connection_write_async (SbDataverseConnection *self, const char *entity_set,
                                     const char *key, JsonObject *record, SbDataverseWriteMode mode,
                                     const char *etag, gboolean want_representation,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (entity_set != NULL && key != NULL && record != NULL);
  op = op_new (OP_WRITE);
  op->entity_set = g_strdup (entity_set);
  op->key = g_strdup (key);
  op->record = copy_object (record);
  op->mode = mode;
  op->etag = g_strdup (etag);
  op->want_representation = want_representation;
  start (self, op, sb_dataverse_connection_write_async, cancellable, callback, user_data);
}

gboolean
sb_dataverse_connection_write_finish (SbDataverseConnection *self, GAsyncResult *result,
                                      char **out_id, JsonObject **out_representation,
                                      GError **error)
{
  Op *op = finish_op (self, result, sb_dataverse_connection_write_async);

  if (op == NULL || !g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_steal_pointer (&op->out_ids[0]);
  if (out_representation != NULL)
    *out_representation = g_steal_pointer (&op->out_representation);
  return TRUE;
}

void
sb_dataverse_connection_delete_async (SbDataverseConnection *self, const char *entity_set,
                                      const char *key, const char *etag, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (entity_set != NULL && key != NULL);
  op = op_new (OP_DELETE);
  op->entity_set = g_strdup (entity_set);
  op->key = g_strdup (key);
  op->etag = g_strdup (etag);
  start (self, op, sb_dataverse_connection_delete_async, cancellable, callback, user_data);
}

gboolean
sb_dataverse_connection_delete_finish (SbDataverseConnection *self, GAsyncResult *result,
                                       GError **error)
{
  if (finish_op (self, result, sb_dataverse_connection_delete_async) == NULL)
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sb_dataverse_connection_query_async (SbDataverseConnection *self, SbDataverseQuery *query,
                                     SbDataversePageFunc func, gpointer user_data,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer callback_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (query));
  g_return_if_fail (func != NULL);
  op = op_new (OP_QUERY);
  op->query = g_object_ref (query);
  op->func = func;
  op->func_data = user_data;
  op->context = g_main_context_ref_thread_default ();
  start (self, op, sb_dataverse_connection_query_async, cancellable, callback, callback_data);
}

gboolean
sb_dataverse_connection_query_finish (SbDataverseConnection *self, GAsyncResult *result,
                                      char **out_delta_link, GError **error)
{
  Op *op = finish_op (self, result, sb_dataverse_connection_query_async);

  if (op == NULL || !g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_delta_link != NULL)
    *out_delta_link = g_steal_pointer (&op->out_ids[0]);
  return TRUE;
}

void
sb_dataverse_connection_read_changes_async (SbDataverseConnection *self, const char *delta_link,
                                            SbDataverseQuery *full_query, SbDataversePageFunc func,
                                            gpointer user_data, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer callback_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (delta_link != NULL && func != NULL);
  op = op_new (OP_READ_CHANGES);
  op->delta_link = g_strdup (delta_link);
  op->query = full_query != NULL ? g_object_ref (full_query) : NULL;
  op->func = func;
  op->func_data = user_data;
  op->context = g_main_context_ref_thread_default ();
  start (self, op, sb_dataverse_connection_read_changes_async, cancellable, callback,
         callback_data);
}

gboolean
sb_dataverse_connection_read_changes_finish (SbDataverseConnection *self, GAsyncResult *result,
                                             char **out_delta_link, GError **error)
{
  Op *op = finish_op (self, result, sb_dataverse_connection_read_changes_async);

  if (op == NULL || !g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_delta_link != NULL)
    *out_delta_link = g_steal_pointer (&op->out_ids[0]);
  return TRUE;
}

void
sb_dataverse_connection_execute_batch_async (SbDataverseConnection *self, SbDataverseBatch *batch,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (SB_IS_DATAVERSE_CONNECTION (self));
  g_return_if_fail (SB_IS_DATAVERSE_BATCH (batch));
  op = op_new (OP_BATCH);
  op->batch = g_object_ref (batch);
  start (self, op, sb_dataverse_connection_execute_batch_async, cancellable, callback, user_data);
}

gboolean
sb_dataverse_connection_execute_batch_finish (SbDataverseConnection *self, GAsyncResult *result,
                                              GError **error)
{
  if (finish_op (self, result, sb_dataverse_connection_execute_batch_async) == NULL)
    return FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}
