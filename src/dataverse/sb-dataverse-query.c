/* sb-dataverse-query.c: a query of one entity set and its preferences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-dataverse-query.h"

#include <string.h>

struct _SbDataverseQuery
{
  GObject parent_instance;

  char *entity_set;
  GPtrArray *select;  /* char* */
  GPtrArray *orderby; /* char*: "name asc" */
  SbDataverseFilter *filter;
  char *expand;
  char *annotations;
  guint top;
  guint page_size;
  gboolean track_changes;
};

G_DEFINE_FINAL_TYPE (SbDataverseQuery, sb_dataverse_query, G_TYPE_OBJECT)

static void
sb_dataverse_query_finalize (GObject *object)
{
  SbDataverseQuery *self = SB_DATAVERSE_QUERY (object);

  g_free (self->entity_set);
  g_ptr_array_unref (self->select);
  g_ptr_array_unref (self->orderby);
  g_clear_pointer (&self->filter, sb_dataverse_filter_free);
  g_free (self->expand);
  g_free (self->annotations);
  G_OBJECT_CLASS (sb_dataverse_query_parent_class)->finalize (object);
}

static void
sb_dataverse_query_class_init (SbDataverseQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_dataverse_query_finalize;
}

static void
sb_dataverse_query_init (SbDataverseQuery *self)
{
  self->select = g_ptr_array_new_with_free_func (g_free);
  self->orderby = g_ptr_array_new_with_free_func (g_free);
}

/* Entity sets and column names are identifiers; anything else is a programming error and
 * would break the URL. */
static gboolean
identifier_is_valid (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

SbDataverseQuery *
sb_dataverse_query_new (const char *entity_set)
{
  SbDataverseQuery *self;

  g_return_val_if_fail (identifier_is_valid (entity_set), NULL);
  self = g_object_new (SB_TYPE_DATAVERSE_QUERY, NULL);
  self->entity_set = g_strdup (entity_set);
  return self;
}

const char *
sb_dataverse_query_get_entity_set (SbDataverseQuery *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (self), NULL);
  return self->entity_set;
}

void
sb_dataverse_query_select_v (SbDataverseQuery *self, const char *const *columns)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      g_return_if_fail (identifier_is_valid (columns[i]));
      g_ptr_array_add (self->select, g_strdup (columns[i]));
    }
}

void
sb_dataverse_query_select (SbDataverseQuery *self, const char *first, ...)
{
  va_list args;

  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  va_start (args, first);
  for (const char *column = first; column != NULL; column = va_arg (args, const char *))
    {
      if (!identifier_is_valid (column))
        {
          g_critical ("%s: “%s” is not a column name", G_STRFUNC, column);
          break;
        }
      g_ptr_array_add (self->select, g_strdup (column));
    }
  va_end (args);
}

void
sb_dataverse_query_set_filter (SbDataverseQuery *self, SbDataverseFilter *filter)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  g_clear_pointer (&self->filter, sb_dataverse_filter_free);
  self->filter = filter;
}

void
sb_dataverse_query_order_by (SbDataverseQuery *self, const char *attribute, gboolean descending)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  g_return_if_fail (identifier_is_valid (attribute));
  g_ptr_array_add (self->orderby,
                   g_strdup_printf ("%s %s", attribute, descending ? "desc" : "asc"));
}

void
sb_dataverse_query_set_top (SbDataverseQuery *self, guint top)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  self->top = top;
}

void
sb_dataverse_query_set_expand (SbDataverseQuery *self, const char *expand)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  g_free (self->expand);
  self->expand = expand != NULL && *expand != '\0' ? g_strdup (expand) : NULL;
}

void
sb_dataverse_query_set_page_size (SbDataverseQuery *self, guint page_size)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  self->page_size = MIN (page_size, SB_DATAVERSE_MAX_PAGE_SIZE);
}

guint
sb_dataverse_query_get_page_size (SbDataverseQuery *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (self), 0);
  return self->page_size;
}

void
sb_dataverse_query_set_track_changes (SbDataverseQuery *self, gboolean track_changes)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  self->track_changes = !!track_changes;
}

gboolean
sb_dataverse_query_get_track_changes (SbDataverseQuery *self)
{
  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (self), FALSE);
  return self->track_changes;
}

void
sb_dataverse_query_set_annotations (SbDataverseQuery *self, const char *pattern)
{
  g_return_if_fail (SB_IS_DATAVERSE_QUERY (self));
  g_return_if_fail (pattern == NULL || strchr (pattern, '"') == NULL);
  g_free (self->annotations);
  self->annotations = g_strdup (pattern);
}

/* Percent-encodes a query option value. Besides the unreserved characters only those that
 * OData syntax needs and that mean nothing to a URL inside a query stay as they are; &, #, +,
 * =, %, spaces and every non-ASCII byte are encoded (RFC 3986 §3.4, OData URL Conventions
 * §2). + in particular would read as a space on servers that decode forms. */
static void
append_option (GString *out, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, "$'(),/:@!*;", FALSE);

  g_string_append_c (out, out->len == 0 ? '?' : '&');
  g_string_append_printf (out, "%s=%s", name, escaped);
}

char *
sb_dataverse_query_to_path (SbDataverseQuery *self)
{
  g_autoptr (GString) options = g_string_new (NULL);
  gboolean tracking;

  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (self), NULL);
  tracking = self->track_changes;
  if (tracking &&
      (self->filter != NULL || self->orderby->len > 0 || self->expand != NULL || self->top > 0))
    g_debug ("Change tracking on %s: $filter, $orderby, $expand and $top left out, Dataverse "
             "refuses them with odata.track-changes",
             self->entity_set);

  if (self->select->len > 0)
    {
      g_ptr_array_add (self->select, NULL);
      g_autofree char *list = g_strjoinv (",", (char **) self->select->pdata);
      g_ptr_array_remove_index (self->select, self->select->len - 1);
      append_option (options, "$select", list);
    }
  if (!tracking && self->filter != NULL)
    {
      g_autofree char *text = sb_dataverse_filter_to_string (self->filter);

      append_option (options, "$filter", text);
    }
  if (!tracking && self->orderby->len > 0)
    {
      g_ptr_array_add (self->orderby, NULL);
      g_autofree char *list = g_strjoinv (",", (char **) self->orderby->pdata);
      g_ptr_array_remove_index (self->orderby, self->orderby->len - 1);
      append_option (options, "$orderby", list);
    }
  if (!tracking && self->expand != NULL)
    append_option (options, "$expand", self->expand);
  if (!tracking && self->top > 0)
    {
      g_autofree char *top = g_strdup_printf ("%u", self->top);

      append_option (options, "$top", top);
    }
  return g_strconcat (self->entity_set, options->str, NULL);
}

char *
sb_dataverse_query_to_prefer (SbDataverseQuery *self)
{
  g_autoptr (GString) prefer = g_string_new (NULL);

  g_return_val_if_fail (SB_IS_DATAVERSE_QUERY (self), NULL);
  /* Several preferences go comma-separated into one Prefer header (dataverse-web-api.md). */
  if (self->page_size > 0)
    g_string_append_printf (prefer, "odata.maxpagesize=%u", self->page_size);
  if (self->track_changes)
    g_string_append_printf (prefer, "%sodata.track-changes", prefer->len > 0 ? "," : "");
  if (self->annotations != NULL)
    g_string_append_printf (prefer, "%sodata.include-annotations=\"%s\"",
                            prefer->len > 0 ? "," : "", self->annotations);
  if (prefer->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&prefer), FALSE);
}
