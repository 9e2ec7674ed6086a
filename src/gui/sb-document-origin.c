/* sb-document-origin.c
 *
 * Read on the main thread from the card's store, as the card's own lines are: a few rows of
 * the company database, no network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "sb-books-private.h"
#include "sb-connection-setup.h"
#include "sb-document-origin.h"
#include "sb-sync-sales-import.h"

static void
on_open_in_sales (GtkButton *button, const char *url)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

static char *
format_time (const char *iso)
{
  g_autoptr (GDateTime) utc =
      iso != NULL && *iso != '\0' ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %H:%M") : g_strdup (iso ? iso : "");
}

static const char *
json_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static gboolean
add_origin (SbDetailPage *page, SbStore *store, const SbSalesHeader *header)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionSetup) setup = sb_connection_setup_get (store, &error);
  g_autoptr (JsonNode) origin = NULL;
  AdwPreferencesGroup *group;
  JsonObject *object;
  const char *url;
  GtkWidget *row;

  if (setup != NULL)
    origin = sb_sync_engine_get_document_origin (store, setup->sales_url, (int) header->doc_type,
                                                 header->no, &error);
  if (origin == NULL)
    {
      sb_books_add_error_group (page, _ ("Dynamics 365 Sales"), error);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (origin))
    return FALSE;

  object = json_node_get_object (origin);
  group = sb_detail_page_add_group (page, _ ("Dynamics 365 Sales"));
  gtk_widget_set_name (GTK_WIDGET (group), "origin");
  if (header->doc_type == SB_SALES_DOC_QUOTE)
    {
      JsonNode *revision = json_object_get_member (object, "revisionnumber");
      g_autofree char *revision_text = NULL;

      if (revision != NULL && JSON_NODE_HOLDS_VALUE (revision))
        revision_text = json_node_get_value_type (revision) == G_TYPE_STRING
                            ? g_strdup (json_node_get_string (revision))
                            : g_strdup_printf ("%" PRId64, (gint64) json_node_get_int (revision));
      adw_preferences_group_set_description (
          group, _ ("This quote was made from a quote in Dynamics 365 Sales."));
      sb_detail_page_add_value_row (group, _ ("Sales Quote"), json_text (object, "number"), FALSE);
      sb_detail_page_add_value_row (group, _ ("Revision"), revision_text, TRUE);
    }
  else
    {
      adw_preferences_group_set_description (
          group, _ ("This order was created from an order submitted in Dynamics 365 Sales."));
      sb_detail_page_add_value_row (group, _ ("Sales Order"), json_text (object, "number"), FALSE);
    }
  url = json_text (object, "web_url");
  if (*url != '\0')
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("web-browser-symbolic");

      row = adw_action_row_new ();
      gtk_widget_set_name (row, "open-in-sales");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Open in Dynamics 365 Sales"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _ ("Open in Dynamics 365 Sales"));
      g_signal_connect_data (button, "clicked", G_CALLBACK (on_open_in_sales), g_strdup (url),
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (group, row);
    }
  return TRUE;
}

/* Archived versions: a row per version; its lines are read when it is opened. */

static GtkWidget *
new_archive_line_row (const SbSalesLineArchive *line, const char *currency)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *quantity = NULL;
  g_autofree char *price = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *amount = NULL;
  GtkWidget *label;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 *line->description != '\0' ? line->description : line->no);
  if (line->type == SB_SALES_LINE_COMMENT)
    {
      gtk_widget_add_css_class (row, "dim-label");
      return row;
    }
  quantity = sb_gui_format_decimal (line->quantity, 0);
  price = sb_decimal_format (line->unit_price, 2);
  /* TRANSLATORS: a document line: item no., quantity, unit, unit price,
   * e.g. "1000 · 5 PCS × 12.50" */
  subtitle = g_strdup_printf (_ ("%s · %s %s × %s"), line->no, quantity, line->unit_code, price);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  amount = sb_decimal_format_money (line->amount, currency, 2);
  label = gtk_label_new (amount);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static void
on_version_expanded (AdwExpanderRow *expander, GParamSpec *pspec, SbStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  SbSalesDocType type;
  const char *no;
  const char *currency;
  gint64 version;

  if (!adw_expander_row_get_expanded (expander) ||
      g_object_get_data (G_OBJECT (expander), "sb-filled") != NULL)
    return;
  g_object_set_data (G_OBJECT (expander), "sb-filled", GINT_TO_POINTER (TRUE));
  type = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (expander), "sb-doc-type"));
  no = g_object_get_data (G_OBJECT (expander), "sb-doc-no");
  currency = g_object_get_data (G_OBJECT (expander), "sb-currency");
  version = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (expander), "sb-version"));

  /* A few rows of the window's store, as the card's own lines are read. */
  lines = sb_sales_document_get_version_lines (store, type, no, version, &error);
  if (lines == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      adw_expander_row_add_row (expander, row);
      return;
    }
  if (lines->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("No lines"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_expander_row_add_row (expander, row);
    }
  for (guint i = 0; i < lines->len; i++)
    adw_expander_row_add_row (expander,
                              new_archive_line_row (g_ptr_array_index (lines, i), currency));
}

void
sb_document_origin_add_versions (SbDetailPage *page, SbStore *store, const SbSalesHeader *header,
                                 const char *currency)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) versions =
      sb_sales_document_list_versions (store, header->doc_type, header->no, &error);
  AdwPreferencesGroup *group;

  if (versions == NULL)
    {
      sb_books_add_error_group (page, _ ("Archived Versions"), error);
      return;
    }
  if (versions->len == 0)
    return;

  group = sb_detail_page_add_group (page, _ ("Archived Versions"));
  gtk_widget_set_name (GTK_WIDGET (group), "versions");
  adw_preferences_group_set_description (
      group, _ ("Kept before each change from Dynamics 365 Sales replaced the document. Open a "
                "version to see its lines."));
  /* Newest first: the one just replaced is the one people look for. */
  for (guint i = versions->len; i-- > 0;)
    {
      const SbSalesHeaderArchive *version = g_ptr_array_index (versions, i);
      GtkWidget *expander = adw_expander_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *when = format_time (version->archived_at);
      g_autofree char *number = g_strdup_printf ("%" PRId64, version->version_no);
      g_autofree char *name = g_strdup_printf ("version-%s", number);

      gtk_widget_set_name (expander, name);
      /* TRANSLATORS: an archived version of a quote or order; %s is its number */
      title = g_strdup_printf (_ ("Version %s"), number);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), when);
      g_object_set_data (G_OBJECT (expander), "sb-doc-type",
                         GINT_TO_POINTER ((int) header->doc_type));
      g_object_set_data_full (G_OBJECT (expander), "sb-doc-no", g_strdup (header->no), g_free);
      g_object_set_data_full (G_OBJECT (expander), "sb-currency", g_strdup (currency), g_free);
      g_object_set_data (G_OBJECT (expander), "sb-version",
                         GINT_TO_POINTER ((int) version->version_no));
      g_signal_connect_object (expander, "notify::expanded", G_CALLBACK (on_version_expanded),
                               store, 0);
      adw_preferences_group_add (group, expander);
    }
}

static void
add_posts (SbDetailPage *page, SbStore *store, const SbSalesHeader *header)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) posts = sb_sync_engine_get_order_posts (store, header->no, &error);
  AdwPreferencesGroup *group;
  JsonArray *array;

  if (posts == NULL)
    {
      sb_books_add_error_group (page, _ ("Timeline in Dynamics 365 Sales"), error);
      return;
    }
  group = sb_detail_page_add_group (page, _ ("Timeline in Dynamics 365 Sales"));
  gtk_widget_set_name (GTK_WIDGET (group), "posts");
  array = JSON_NODE_HOLDS_ARRAY (posts) ? json_node_get_array (posts) : NULL;
  if (array == NULL || json_array_get_length (array) == 0)
    {
      sb_detail_page_add_placeholder_row (
          group,
          _ ("When the order is released, shipped and invoiced, its status is posted here."));
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *post = json_array_get_object_element (array, i);
      const char *state = json_text (post, "state");
      const char *message = json_text (post, "message");
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = g_strdup_printf ("post-%u", i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon;

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), json_text (post, "text"));
      if (g_str_equal (state, "sent"))
        {
          when = format_time (json_text (post, "sent_at"));
          /* TRANSLATORS: a timeline post's state; %s is when it was sent */
          subtitle = g_strdup_printf (_ ("Sent %s"), when);
          icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
          gtk_widget_add_css_class (icon, "success");
        }
      else if (g_str_equal (state, "failed"))
        {
          /* TRANSLATORS: a timeline post's state; %s says why it failed */
          subtitle = g_strdup_printf (_ ("Not sent: %s"), message);
          icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
          gtk_widget_add_css_class (icon, "error");
        }
      else
        {
          when = format_time (json_text (post, "created_at"));
          /* TRANSLATORS: a timeline post's state; %s is when the status changed */
          subtitle = g_strdup_printf (_ ("Waiting to be sent, since %s"), when);
          icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
          gtk_widget_add_css_class (icon, "dim-label");
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (group, row);
    }
}

gboolean
sb_document_origin_add_groups (SbDetailPage *page, SbStore *store, const SbSalesHeader *header)
{
  g_return_val_if_fail (SB_IS_DETAIL_PAGE (page), FALSE);

  if (!add_origin (page, store, header))
    return FALSE;
  if (header->doc_type == SB_SALES_DOC_ORDER)
    add_posts (page, store, header);
  return TRUE;
}
