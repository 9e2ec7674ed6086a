/* sb-record-list-spec.h: what a list page of one ERP book shows
 *
 * One static description per book (customers, items, …) configures the
 * generic SbRecordListPage, so a new book is a new description, not a new
 * widget.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-gui-format.h"
#include "sb-record-object.h"
#include "sb-store.h"

G_BEGIN_DECLS

/* Lists the book's records (element type: the record struct, owned by the
 * array).  Called in a worker thread with a read-only store of its own. */
typedef GPtrArray *(*SbRecordListFunc) (SbStore *store, GError **error);
/* Builds the detail page of @object; called on the main thread with the
 * window's store, for the few extra rows a card shows (contacts, lines). */
typedef GtkWidget *(*SbRecordDetailFunc) (SbStore *store, SbRecordObject *object);
/* "2,000 customers", translated with the right plural form. */
typedef char *(*SbCountLabelFunc) (guint n_records);
/* A figure a row shows beside its record's fields, such as a document's
 * amount summed from its lines.  Called in the loading worker, on its
 * store, for every record. */
typedef gboolean (*SbRecordFigureFunc) (SbStore *store, gconstpointer record, SbDecimal *out_value,
                                        GError **error);
/* Adds what only some books have (the coupling with Dynamics 365 Sales) to
 * a new SbRecordListPage @page, through its public API, so the page itself
 * stays the same for every book.  Called once its own columns are in. */
typedef void (*SbRecordListExtendFunc) (GtkWidget *page);

/* The column "field" that shows the row's figure, as money in the
 * record's currency_code when it has one. */
#define SB_RECORD_LIST_FIGURE "@figure"

/* At most this many next steps under an empty book's message. */
#define SB_RECORD_LIST_MAX_EMPTY_ACTIONS 3

/* A next step an empty book offers: a button under its message. */
typedef struct
{
  const char *label;       /* N_() marked, with a mnemonic: "_Open Customers" */
  const char *action_name; /* "win.show-page" */
  const char *target;      /* the string parameter (a page name), or NULL for none */
  /* The step synchronizes with Dynamics 365 Sales: while the connection is not enabled it
   * cannot work, so the button leads to the connection settings instead. */
  gboolean needs_connection;
} SbRecordListEmptyAction;

typedef struct
{
  const char *field;        /* SbField name, or SB_RECORD_LIST_FIGURE */
  const char *title;        /* N_() marked; NULL: the field's label */
  int width;                /* fixed width in pixels, or -1 */
  gboolean expand;          /* takes the spare width */
  guint places;             /* at least this many decimals (more if the value has them) */
  SbFieldFormatFunc format; /* may be NULL */
} SbRecordListColumn;

typedef struct
{
  const char *name;      /* stable page name: "customers" */
  const char *title;     /* N_() marked: "Customers" */
  const char *icon_name; /* sidebar icon */
  const char *section;   /* N_() marked sidebar heading ("Master Data"), or NULL */
  const SbRecordType *type;
  SbRecordListFunc list; /* NULL: every record of @type in its default order */
  const SbRecordListColumn *columns;
  guint n_columns;
  const char *const *search_fields; /* what the search entry matches */
  const char *search_placeholder;   /* N_() marked */
  const char *empty_title;          /* N_() marked, shown for an empty book */
  const char *empty_description;    /* N_() marked: says what the buttons below do */
  /* What to do next; the first is the suggested one.  A book that imports from CSV gets
   * "Import from CSV…" first (sb-csv-export.c). */
  SbRecordListEmptyAction empty_actions[SB_RECORD_LIST_MAX_EMPTY_ACTIONS];
  SbCountLabelFunc count_label;
  SbRecordDetailFunc create_detail; /* may be NULL: rows do not open */
  SbRecordFigureFunc figure;        /* may be NULL */
  SbRecordListExtendFunc extend;    /* may be NULL */
  gconstpointer extend_data;        /* what @extend finds in the page's spec */
} SbRecordListSpec;

G_END_DECLS
