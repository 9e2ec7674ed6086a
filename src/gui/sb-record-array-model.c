/* sb-record-array-model.c
 *
 * GListStore keeps a GSequence node per row and is changed row by row; a
 * list of 100,000 customers that is replaced as a whole after each search
 * or sort is better served by a shared, immutable array: getting a row is
 * an index, replacing all rows is swapping one pointer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-record-array-model.h"
#include "sb-record-object.h"

struct _SbRecordArrayModel
{
  GObject parent_instance;

  GPtrArray *rows;
};

static void list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbRecordArrayModel, sb_record_array_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init))

static GType
get_item_type (GListModel *model)
{
  return SB_TYPE_RECORD_OBJECT;
}

static guint
get_n_items (GListModel *model)
{
  SbRecordArrayModel *self = SB_RECORD_ARRAY_MODEL (model);

  return self->rows != NULL ? self->rows->len : 0;
}

static gpointer
get_item (GListModel *model, guint position)
{
  SbRecordArrayModel *self = SB_RECORD_ARRAY_MODEL (model);

  if (self->rows == NULL || position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
sb_record_array_model_finalize (GObject *object)
{
  SbRecordArrayModel *self = SB_RECORD_ARRAY_MODEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sb_record_array_model_parent_class)->finalize (object);
}

static void
sb_record_array_model_class_init (SbRecordArrayModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_record_array_model_finalize;
}

static void
sb_record_array_model_init (SbRecordArrayModel *self)
{
}

SbRecordArrayModel *
sb_record_array_model_new (void)
{
  return g_object_new (SB_TYPE_RECORD_ARRAY_MODEL, NULL);
}

void
sb_record_array_model_set_rows (SbRecordArrayModel *self, GPtrArray *rows)
{
  guint removed;

  g_return_if_fail (SB_IS_RECORD_ARRAY_MODEL (self));

  if (rows == self->rows)
    return;
  removed = get_n_items (G_LIST_MODEL (self));
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  if (rows != NULL)
    self->rows = g_ptr_array_ref (rows);
  if (removed > 0 || get_n_items (G_LIST_MODEL (self)) > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, get_n_items (G_LIST_MODEL (self)));
}

GPtrArray *
sb_record_array_model_get_rows (SbRecordArrayModel *self)
{
  g_return_val_if_fail (SB_IS_RECORD_ARRAY_MODEL (self), NULL);
  return self->rows;
}
