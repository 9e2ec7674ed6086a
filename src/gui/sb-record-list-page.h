/* sb-record-list-page.h: a searchable, sortable list of one ERP book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sb-page.h"

#include "sb-record-list-spec.h"

G_BEGIN_DECLS

#define SB_TYPE_RECORD_LIST_PAGE (sb_record_list_page_get_type ())
G_DECLARE_FINAL_TYPE (SbRecordListPage, sb_record_list_page, SB, RECORD_LIST_PAGE, SbPage)

/* @spec must outlive the page (they are static).  @store is the window's
 * main-thread store: rows are read by a worker on its own read-only
 * connection to the same file, detail pages use @store.  Rows load when the
 * page is first mapped, or on sb_record_list_page_reload(). */
GtkWidget *sb_record_list_page_new (const SbRecordListSpec *spec, SbStore *store);

const SbRecordListSpec *sb_record_list_page_get_spec (SbRecordListPage *self);
/* Starts (again) reading the rows; a load under way is cancelled. */
void sb_record_list_page_reload (SbRecordListPage *self);
/* TRUE from the start of a load until its rows are in the model. */
gboolean sb_record_list_page_get_loading (SbRecordListPage *self);
/* TRUE while loading, sorting or filtering is not finished. */
gboolean sb_record_list_page_is_busy (SbRecordListPage *self);
/* What the page shows: "loading", "list", "empty" (no records at all),
 * "no-results" (none matches the search) or "error". */
const char *sb_record_list_page_get_state (SbRecordListPage *self);
/* The message of the last load error, or NULL. */
const char *sb_record_list_page_get_error (SbRecordListPage *self);

/* Every row (SbRecordObject), in store order. */
GListModel *sb_record_list_page_get_records (SbRecordListPage *self);
/* The rows as shown: sorted and filtered. */
GListModel *sb_record_list_page_get_model (SbRecordListPage *self);
void sb_record_list_page_set_search_text (SbRecordListPage *self, const char *text);
/* Sorts by the column showing @field, as a click on its header does. */
gboolean sb_record_list_page_sort_by (SbRecordListPage *self, const char *field, GtkSortType order);
/* Opens the detail page of the shown row at @position, as double-click or
 * Enter does; returns it, or NULL if rows of this book do not open. */
GtkWidget *sb_record_list_page_open_detail (SbRecordListPage *self, guint position);
/* The detail page on top, or NULL when the list is shown. */
GtkWidget *sb_record_list_page_get_detail (SbRecordListPage *self);
/* Returns to the list from a detail page. */
void sb_record_list_page_go_back (SbRecordListPage *self);

/* For SbRecordListSpec.extend: */

/* Adds a button under the empty book's message that runs @detailed_action (e.g. "csv.import"),
 * before the steps of the spec's empty_actions; the first button is the suggested one. */
void sb_record_list_page_add_empty_action (SbRecordListPage *self, const char *label,
                                           const char *detailed_action);
/* The detailed action that takes away the row filter (e.g. "coupling.filter(-1)"): a filter that
 * leaves no row offers it as "Show All".  NULL: none. */
void sb_record_list_page_set_filter_reset_action (SbRecordListPage *self,
                                                  const char *detailed_action);
/* Adds @widget at the end of the list's header bar. */
void sb_record_list_page_add_header_widget (SbRecordListPage *self, GtkWidget *widget);
GtkColumnView *sb_record_list_page_get_column_view (SbRecordListPage *self);
/* The rows can be selected several at a time (Ctrl, Shift). */
GtkSelectionModel *sb_record_list_page_get_selection (SbRecordListPage *self);
/* The selected rows (SbRecordObject, owned), in shown order. */
GPtrArray *sb_record_list_page_get_selected (SbRecordListPage *self);
/* What a page's actions work on: the record of the detail page on top (its "sb-coupling-key"
 * data), else the selected rows; each as @key_field's text. A new array of strings. */
GPtrArray *sb_record_list_page_get_target_keys (SbRecordListPage *self, const SbField *key_field);
/* A right click on a row selects it (keeping a selection that holds it)
 * and opens @menu there; NULL: no menu. */
void sb_record_list_page_set_context_menu (SbRecordListPage *self, GMenuModel *menu);

/* Decides, beside the search, whether a row is shown.  Called in the
 * sorting worker, so @user_data must not change once given: give a new
 * filter instead (NULL: none); @destroy frees it once no worker uses it. */
typedef gboolean (*SbRecordRowFilterFunc) (SbRecordObject *row, gpointer user_data);
void sb_record_list_page_set_row_filter (SbRecordListPage *self, SbRecordRowFilterFunc func,
                                         gpointer user_data, GDestroyNotify destroy);

G_END_DECLS
