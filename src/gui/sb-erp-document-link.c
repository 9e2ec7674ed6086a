/* sb-erp-document-link.c
 *
 * The book page may not have read the document yet (it was just made by a worker): the page
 * reads again, filtered to that number, and the card opens once the rows are in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include "sb-erp-document-link.h"
#include "sb-record-list-page.h"
#include "sb-window.h"

typedef struct
{
  GWeakRef page;
  char *no;
  guint tries;
} Opening;

static void
opening_free (Opening *opening)
{
  g_weak_ref_clear (&opening->page);
  g_free (opening->no);
  g_free (opening);
}

static gboolean
open_when_listed (gpointer user_data)
{
  Opening *opening = user_data;
  g_autoptr (SbRecordListPage) page = g_weak_ref_get (&opening->page);
  GListModel *model;

  if (page == NULL || ++opening->tries > 300)
    return G_SOURCE_REMOVE;
  if (sb_record_list_page_is_busy (page))
    return G_SOURCE_CONTINUE;
  model = sb_record_list_page_get_model (page);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbRecordObject) object = g_list_model_get_item (model, i);
      const SbSalesHeader *header = sb_record_object_get_record (object);

      if (g_str_equal (header->no, opening->no))
        {
          sb_record_list_page_open_detail (page, i);
          break;
        }
    }
  return G_SOURCE_REMOVE;
}

void
sb_erp_document_show (GtkWidget *window, SbSalesDocType type, const char *no)
{
  const char *name = type == SB_SALES_DOC_ORDER ? "orders" : "quotes";
  GtkWidget *page;
  Opening *opening;

  g_return_if_fail (no != NULL);
  if (!SB_IS_WINDOW (window))
    return;
  sb_window_show_page (SB_WINDOW (window), name);
  page = sb_window_get_page (SB_WINDOW (window), name);
  if (!SB_IS_RECORD_LIST_PAGE (page))
    return;
  sb_record_list_page_go_back (SB_RECORD_LIST_PAGE (page));
  /* The document may be newer than the list: read it again, showing just that one. */
  sb_record_list_page_set_search_text (SB_RECORD_LIST_PAGE (page), no);
  sb_record_list_page_reload (SB_RECORD_LIST_PAGE (page));
  opening = g_new0 (Opening, 1);
  g_weak_ref_init (&opening->page, page);
  opening->no = g_strdup (no);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, open_when_listed, opening,
                      (GDestroyNotify) opening_free);
}

static void
open_document_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  gint32 type;
  const char *no;

  g_variant_get (parameter, "(i&s)", &type, &no);
  sb_erp_document_show (GTK_WIDGET (user_data), (SbSalesDocType) type, no);
}

void
sb_erp_document_add_window_action (GtkWidget *window)
{
  static const GActionEntry entries[] = {
    { "open-sales-document", open_document_action, "(is)", NULL, NULL },
  };

  if (SB_IS_WINDOW (window) &&
      g_action_map_lookup_action (G_ACTION_MAP (window), "open-sales-document") == NULL)
    g_action_map_add_action_entries (G_ACTION_MAP (window), entries, G_N_ELEMENTS (entries),
                                     window);
}
