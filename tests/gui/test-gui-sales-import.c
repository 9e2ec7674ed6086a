/* test-gui-sales-import.c: the Sales Orders and Sales Quotes pages of Dynamics 365 Sales, and
 * where an ERP order or quote came from
 *
 * A temporary company database with an enabled connection to the in-process sandbox (secret in
 * a private keyring) and a customer coupled to an account. A salesperson (the sandbox's
 * sales-user client) submits orders and activates a quote in Sales as they would in Dynamics 365
 * Sales; the test then works the pages as a user: the order shows in the list, Create in ERP
 * makes the ERP order (checked in the store), an uncoupled account's order says which account to
 * couple, the ERP order's card shows its origin and is released and posted from there; the quote
 * is processed, revised in Sales and processed again, and its card lists the archived version.
 *
 * With SB_SCREENSHOT_DIR set, the pages and cards are saved there as PNG files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-sync-fixture.h"
#include "sbg-test-util.h"
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "sb-connection-setup.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-posted-invoice.h"
#include "sb-record-list-page.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-sales-import-page.h"
#include "sb-sales-import-row.h"
#include "sb-sandbox-server.h"
#include "sb-job-queue.h"
#include "sb-setup.h"
#include "sb-sync-engine.h"
#include "sb-sync-sales-import.h"
#include "sb-window.h"
#include "sbs-keyring.h"

static SbSandboxServer *server;
static const char *base_url;
static guint n_fixtures;

typedef struct
{
  char *dir;
  char *db_path;
  char *customer_no; /* coupled */
  char *account_id;  /* its account */
  SbWindow *window;
  SbDataverseConnection *sales; /* a salesperson working in Sales */
} Fixture;

/* Helpers */

/* A label under @root whose text contains @text. */
static gboolean
has_label (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (root) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text))
      return TRUE;
  return FALSE;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* Creates a row in Sales as the salesperson; returns its id. */
static char *
sales_create (Fixture *fx, const char *set, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = parse_object (json);
  char *id = sb_dataverse_connection_create_sync (fx->sales, set, record, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static void
sales_update (Fixture *fx, const char *set, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) record = parse_object (json);

  sb_dataverse_connection_write_sync (fx->sales, set, id, record, SB_DATAVERSE_WRITE_UPDATE, NULL,
                                      NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static char *
sales_get_string (Fixture *fx, const char *set, const char *id, const char *attribute)
{
  g_autoptr (GError) error = NULL;
  const char *select[] = { attribute, NULL };
  g_autoptr (JsonObject) row =
      sb_dataverse_connection_retrieve_sync (fx->sales, set, id, select, NULL, NULL, &error);

  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (row, attribute));
}

/* A submitted order of @account_id with one write-in line; returns its id. */
static char *
submit_order (Fixture *fx, const char *account_id, const char *name)
{
  g_autofree char *json = NULL;
  g_autofree char *line = NULL;
  char *id;

  json = g_strdup_printf ("{\"name\": \"%s\", \"customerid_account@odata.bind\": "
                          "\"/accounts(%s)\", \"requestdeliveryby\": \"2026-12-15\"}",
                          name, account_id);
  id = sales_create (fx, "salesorders", json);
  line = g_strdup_printf ("{\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                          "\"isproductoverridden\": true, \"productdescription\": \"Bicycle, "
                          "city model\", \"quantity\": 3, \"priceperunit\": 1234.5, "
                          "\"ispriceoverridden\": true}",
                          id);
  g_free (sales_create (fx, "salesorderdetails", line));
  sales_update (fx, "salesorders", id, "{\"statecode\": 1, \"statuscode\": 3}");
  return id;
}

/* Fixture */

static void
insert (SbStore *store, const SbRecordType *type, gpointer record)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_record_insert (store, type, record, &error));
  g_assert_no_error (error);
}

static SbDataverseConnection *
new_integration_connection (void)
{
  SbDataverseConnection *cnc =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", SBG_TENANT, "client-id", SB_SANDBOX_INTEGRATION_CLIENT, NULL);

  sb_dataverse_connection_set_client_secret (cnc, SB_SANDBOX_DEFAULT_SECRET);
  return cnc;
}

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = NULL;
  g_autoptr (SbGeneralSetup) general = NULL;
  g_autoptr (SbSalesSetup) sales_setup = NULL;
  g_autoptr (SbUnitOfMeasure) unit = sb_unit_of_measure_new ();
  g_autoptr (SbItem) item = sb_item_new ();
  g_autoptr (SbCustomer) customer = sb_customer_new ();

  fx->dir = g_dir_make_tmp ("salesbridge-gui-sales-import-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db_path = g_build_filename (fx->dir, "company.sbdb", NULL);
  store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  general = sb_general_setup_get (store, &error);
  g_assert_no_error (error);
  g_free (general->local_currency_code);
  general->local_currency_code = g_strdup ("USD");
  g_assert_true (sb_general_setup_update (store, general, &error));

  /* Sales lines without a product become this item (write-in product, §5). */
  g_free (unit->code);
  unit->code = g_strdup ("PCS");
  insert (store, &sb_unit_of_measure_record_type, unit);
  g_free (item->no);
  item->no = g_strdup ("1000");
  g_free (item->description);
  item->description = g_strdup ("Bicycle");
  g_free (item->base_unit_code);
  item->base_unit_code = g_strdup ("PCS");
  item->unit_price = sb_decimal_from_int (1000);
  item->inventory = sb_decimal_from_int (50);
  insert (store, &sb_item_record_type, item);
  sales_setup = sb_sales_setup_get (store, &error);
  g_assert_no_error (error);
  sales_setup->write_in_product_type = SB_WRITE_IN_ITEM;
  g_free (sales_setup->write_in_product_no);
  sales_setup->write_in_product_no = g_strdup ("1000");
  g_assert_true (sb_sales_setup_update (store, sales_setup, &error));
  g_assert_no_error (error);

  /* The sandbox outlives each test: every test's customer is a new account there. */
  g_free (customer->no);
  customer->no = g_strdup_printf ("SI%u", ++n_fixtures);
  g_free (customer->name);
  customer->name = g_strdup ("Adatum Corporation");
  g_free (customer->city);
  customer->city = g_strdup ("Stockholm");
  g_assert_true (sb_customer_insert (store, customer, &error));
  g_assert_no_error (error);
  fx->customer_no = g_strdup (customer->no);

  fx->sales =
      g_object_new (SB_TYPE_DATAVERSE_CONNECTION, "base-url", base_url, "authority", base_url,
                    "tenant", "sandbox", "client-id", SB_SANDBOX_SALES_CLIENT, NULL);
  sb_dataverse_connection_set_client_secret (fx->sales, SB_SANDBOX_DEFAULT_SECRET);

  if (GPOINTER_TO_INT (data))
    {
      g_autoptr (SbDataverseConnection) cnc = NULL;
      g_autoptr (SbSyncEngine) engine = NULL;

      sbg_enable_connection (store, base_url);
      /* The customer is in Sales already, coupled: the company's usual state. */
      cnc = new_integration_connection ();
      engine = sb_sync_engine_new (store, cnc);
      fx->account_id =
          sb_sync_engine_create_in_sales_sync (engine, "CUSTOMER", fx->customer_no, NULL, &error);
      g_assert_no_error (error);
    }
}

static gboolean
count_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  *(guint *) user_data += json_array_get_length (page->rows);
  return TRUE;
}

/* The timeline posts of Sales order @order_id, as the salesperson sees them. */
static guint
count_posts (Fixture *fx, const char *order_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new ("posts");
  guint n = 0;

  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_guid ("_regardingobjectid_value", SB_DATAVERSE_EQ, order_id));
  g_assert_true (
      sb_dataverse_connection_query_sync (fx->sales, query, count_page, &n, NULL, NULL, &error));
  g_assert_no_error (error);
  return n;
}

/* The clock of the job queue: @user_data days from now. */
static gint64
days_later (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC + GPOINTER_TO_INT (user_data) * 24 * 3600;
}

/* Runs every scheduled job once, as the daemon would @days later (each call a later day, so
 * the jobs are due again): the Sales Order Status job sends the posts waiting in the outbox. */
static void
run_scheduled_jobs (Fixture *fx, int days)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbDataverseConnection) cnc = new_integration_connection ();
  g_autoptr (SbSyncEngine) engine = NULL;
  g_autoptr (SbJobQueue) queue = NULL;
  guint n_run = 0;

  g_assert_no_error (error);
  engine = sb_sync_engine_new (store, cnc);
  queue = sb_job_queue_new (engine);
  sb_job_queue_set_clock (queue, days_later, GINT_TO_POINTER (days));
  g_assert_true (sb_job_queue_ensure_jobs (store, sb_job_queue_now (queue), &error));
  g_assert_no_error (error);
  g_assert_true (sb_job_queue_run_due_sync (queue, &n_run, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_run, >, 0);
  sb_job_queue_release_lock (queue);
}

/* The state of the ERP order's first timeline post, as the card reads it. */
static char *
first_post_state (Fixture *fx, const char *erp_no)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) posts =
      sb_sync_engine_get_order_posts (sb_window_get_store (fx->window), erp_no, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (posts);
  g_assert_cmpuint (json_array_get_length (array), >=, 1);
  return g_strdup (
      json_object_get_string_member (json_array_get_object_element (array, 0), "state"));
}

static void
open_window (Fixture *fx, int width, int height)
{
  fx->window = sb_window_new (NULL, fx->db_path, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), width, height);
  gtk_window_present (GTK_WINDOW (fx->window));
  g_assert_null (sb_window_get_error (fx->window));
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  if (fx->window != NULL)
    {
      /* Only an enabled connection has a secret in the keyring. */
      if (GPOINTER_TO_INT (data))
        sbg_clear_secret (sb_window_get_store (fx->window));
      gtk_window_destroy (GTK_WINDOW (fx->window));
      sbg_settle (50);
    }
  g_clear_object (&fx->sales);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db_path);
  g_free (fx->customer_no);
  g_free (fx->account_id);
}

static gboolean
page_idle (gpointer page)
{
  return !sb_sales_import_page_is_busy (page) &&
         g_strcmp0 (sb_sales_import_page_get_state (page), "loading") != 0;
}

static SbSalesImportPage *
show_import_page (Fixture *fx, const char *name)
{
  SbSalesImportPage *page = SB_SALES_IMPORT_PAGE (sb_window_get_page (fx->window, name));

  sb_window_show_page (fx->window, name);
  sbg_settle (100);
  sbg_wait_until (page_idle, page, "the documents from Dynamics 365 Sales");
  return page;
}

/* The shown row of Dataverse @number, or NULL. */
static SbSalesImportRow *
find_row (SbSalesImportPage *page, const char *member, const char *number)
{
  GListModel *model = sb_sales_import_page_get_model (page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (SbSalesImportRow) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (sb_sales_import_row_get (row, member), number) == 0)
        return g_steal_pointer (&row);
    }
  return NULL;
}

static gboolean
detail_shown (gpointer page)
{
  return !sb_record_list_page_is_busy (page) && sb_record_list_page_get_detail (page) != NULL;
}

/* The card of ERP document @no, opened as the toast's Open button does. */
static GtkWidget *
open_erp_card (Fixture *fx, SbSalesDocType type, const char *no)
{
  const char *name = type == SB_SALES_DOC_ORDER ? "orders" : "quotes";
  SbRecordListPage *list = SB_RECORD_LIST_PAGE (sb_window_get_page (fx->window, name));
  GtkWidget *detail;

  /* The Sales pages add the window action when first shown. */
  if (!g_action_group_has_action (G_ACTION_GROUP (fx->window), "open-sales-document"))
    {
      sb_window_show_page (fx->window, "sales-orders");
      sbg_settle (100);
    }
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fx->window), "open-sales-document"));
  g_action_group_activate_action (G_ACTION_GROUP (fx->window), "open-sales-document",
                                  g_variant_new ("(is)", (gint32) type, no));
  sbg_wait_until (detail_shown, list, "the ERP document's card");
  g_assert_cmpstr (sb_window_get_visible_page_name (fx->window), ==, name);
  detail = sb_record_list_page_get_detail (list);
  g_assert_true (has_label (detail, no));
  sbg_settle (300);
  return detail;
}

/* Scrolls the card so that @widget is at the top, for a screenshot of it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  double x, y;

  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_translate_coordinates (
      widget, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)), 0, 0, &x, &y));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, y - 12);
  sbg_settle (100);
}

static SbSalesHeader *
find_erp_document (Fixture *fx, SbSalesDocType type, const char *your_reference)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) documents =
      sb_sales_document_list (sb_window_get_store (fx->window), type, NULL, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < documents->len; i++)
    {
      SbSalesHeader *header = g_ptr_array_index (documents, i);

      if (g_strcmp0 (header->your_reference, your_reference) == 0)
        return sb_sales_document_get (sb_window_get_store (fx->window), type, header->no, NULL);
    }
  return NULL;
}

/* Tests */

typedef struct
{
  Fixture *fx;
  const char *no;
  SbSalesStatus status;
  GtkWidget *card;
} StatusWait;

static gboolean
has_status (gpointer user_data)
{
  StatusWait *wait = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (sb_window_get_store (wait->fx->window),
                                                            SB_SALES_DOC_ORDER, wait->no, NULL);

  /* …and the card's action finished: its "sb-busy" mark is gone. */
  return header != NULL && header->status == wait->status &&
         g_object_get_data (G_OBJECT (wait->card), "sb-busy") == NULL;
}

static gboolean
order_gone (gpointer user_data)
{
  StatusWait *wait = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (sb_window_get_store (wait->fx->window),
                                                            SB_SALES_DOC_ORDER, wait->no, NULL);

  return header == NULL;
}

static void
test_orders (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *adatum_order = NULL;
  g_autofree char *adatum_number = NULL;
  g_autofree char *other_account = NULL;
  g_autofree char *other_order = NULL;
  g_autofree char *other_number = NULL;
  g_autoptr (SbSalesImportRow) row = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_auto (GStrv) failures = NULL;
  SbSalesImportPage *page;
  GtkWidget *card, *dialog;
  g_autofree char *erp_no = NULL;
  StatusWait wait = { fx, NULL, SB_SALES_STATUS_RELEASED, NULL };

  /* The salesperson's work in Sales: an order for the coupled customer, and one for an account
   * nobody coupled. */
  adatum_order = submit_order (fx, fx->account_id, "Bikes for the Stockholm office");
  adatum_number = sales_get_string (fx, "salesorders", adatum_order, "ordernumber");
  other_account = sales_create (fx, "accounts", "{\"name\": \"Fabrikam Trading\"}");
  other_order = submit_order (fx, other_account, "Fabrikam bikes");
  other_number = sales_get_string (fx, "salesorders", other_order, "ordernumber");

  open_window (fx, 1280, 800);
  page = show_import_page (fx, "sales-orders");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "list");
  row = find_row (page, "ordernumber", adatum_number);
  g_assert_nonnull (row);
  g_assert_cmpstr (sb_sales_import_row_get (row, "customer_no"), ==, fx->customer_no);
  g_assert_cmpstr (sb_sales_import_row_get (row, "erp_order_no"), ==, "");
  g_clear_object (&row);
  sbg_screenshot (fx->window, "sales-orders");

  /* Search and the filter of orders still to take */
  sb_sales_import_page_set_search_text (page, "fabrikam");
  g_assert_cmpuint (g_list_model_get_n_items (sb_sales_import_page_get_model (page)), ==, 1);
  sb_sales_import_page_set_search_text (page, "no such order anywhere");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "no-results");
  sb_sales_import_page_set_search_text (page, NULL);
  sb_sales_import_page_set_only_pending (page, TRUE);
  g_assert_nonnull ((row = find_row (page, "ordernumber", other_number)));
  g_clear_object (&row);

  /* Create in ERP on both: one made, one refused with what to do */
  g_assert_true (sb_sales_import_page_select_number (page, adatum_number));
  g_assert_true (gtk_widget_is_sensitive (sbg_get (page, "create")));
  {
    GListModel *model = sb_sales_import_page_get_model (page);

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (SbSalesImportRow) r = g_list_model_get_item (model, i);

        if (g_str_equal (sb_sales_import_row_get (r, "ordernumber"), other_number))
          gtk_selection_model_select_item (sb_sales_import_page_get_selection (page), i, FALSE);
      }
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sales-import.create", NULL));
  g_assert_true (sb_sales_import_page_is_busy (page));
  sbg_wait_until (page_idle, page, "Create in ERP");
  g_test_message ("%s", sb_sales_import_page_get_last_message (page));
  failures = sb_sales_import_page_dup_failures (page);
  g_assert_cmpuint (g_strv_length (failures), ==, 1);
  g_test_message ("%s", failures[0]);
  g_assert_true (g_str_has_prefix (failures[0], other_number));
  g_assert_nonnull (strstr (failures[0], "Fabrikam Trading"));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (sbg_get (page, "failures"))));
  g_assert_true (has_label (sbg_get (page, "failures"), "Fabrikam Trading"));
  /* …and where to couple it */
  g_assert_cmpstr (gtk_actionable_get_action_name (
                       GTK_ACTIONABLE (sbg_get (sbg_get (page, "failures"), "fix-customers"))),
                   ==, "win.show-page");
  sbg_screenshot (fx->window, "sales-orders-created");

  /* The ERP order, as Sales had it */
  header = find_erp_document (fx, SB_SALES_DOC_ORDER, adatum_number);
  g_assert_nonnull (header);
  erp_no = g_strdup (header->no);
  g_assert_cmpstr (header->sell_to_customer_no, ==, fx->customer_no);
  g_assert_cmpstr (header->external_document_no, ==, "Bikes for the Stockholm office");
  g_assert_cmpstr (header->requested_delivery_date, ==, "2026-12-15");
  g_assert_null (find_erp_document (fx, SB_SALES_DOC_ORDER, other_number));

  /* The list shows it, after reading Sales again */
  g_assert_false (sb_sales_import_page_is_busy (page));
  /* Taken now: the filter of orders still to take leaves it out. */
  g_assert_null (find_row (page, "ordernumber", adatum_number));
  sb_sales_import_page_set_only_pending (page, FALSE);
  row = find_row (page, "ordernumber", adatum_number);
  g_assert_nonnull (row);
  g_assert_cmpstr (sb_sales_import_row_get (row, "erp_order_no"), ==, erp_no);
  g_clear_object (&row);
  row = find_row (page, "ordernumber", other_number);
  g_assert_nonnull (sb_sales_import_row_get_result_error (row));
  g_clear_object (&row);

  /* Its card: where it came from, then release and post */
  card = open_erp_card (fx, SB_SALES_DOC_ORDER, erp_no);
  sbg_get (card, "origin");
  g_assert_true (has_label (sbg_get (card, "origin"), adatum_number));
  sbg_get (card, "open-in-sales");
  sbg_get (card, "posts");
  sbg_screenshot (fx->window, "erp-order-card");

  wait.no = erp_no;
  wait.card = card;
  g_signal_emit_by_name (sbg_get (card, "release"), "clicked");
  g_assert_nonnull (g_object_get_data (G_OBJECT (card), "sb-busy"));
  sbg_wait_until (has_status, &wait, "the release");
  g_assert_false (gtk_widget_get_visible (sbg_get (card, "release")));
  g_assert_true (gtk_widget_get_visible (sbg_get (card, "reopen")));
  /* The status post waits for the Sales Order Status job */
  sbg_get (sbg_get (card, "posts"), "post-0");
  {
    g_autofree char *state = first_post_state (fx, erp_no);

    g_assert_cmpstr (state, ==, "pending");
  }
  sbg_screenshot (fx->window, "erp-order-released");

  /* The app's job runner holds the database's runner lock while its window is open: the jobs
   * run once it is closed, as the daemon would run them. Then the release is on the Sales
   * order's timeline, and the card says so. */
  gtk_window_destroy (GTK_WINDOW (fx->window));
  fx->window = NULL;
  sbg_settle (100);
  g_assert_cmpuint (count_posts (fx, adatum_order), ==, 0);
  run_scheduled_jobs (fx, 1);
  g_assert_cmpuint (count_posts (fx, adatum_order), ==, 1);
  open_window (fx, 1280, 800);
  card = open_erp_card (fx, SB_SALES_DOC_ORDER, erp_no);
  wait.card = card;
  {
    g_autofree char *state = first_post_state (fx, erp_no);

    g_assert_cmpstr (state, ==, "sent");
  }
  sbg_screenshot (fx->window, "erp-order-timeline-sent");

  g_signal_emit_by_name (sbg_get (card, "post"), "clicked");
  sbg_wait_until (sbg_window_shown, "post-dialog", "the posting question");
  dialog = sbg_find_window ("post-dialog");
  sbg_screenshot (dialog, "erp-order-post-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "post");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sbg_wait_until (order_gone, &wait, "the posting");
  {
    g_autoptr (GPtrArray) invoices =
        sb_posted_invoice_list (sb_window_get_store (fx->window), NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (invoices->len, ==, 1);
  }

  /* As on a phone: the sidebar folds away, the actions move to the bottom, the page fits. */
  sb_window_show_page (fx->window, "sales-orders");
  sbg_narrow_window (fx->window);
  sbg_screenshot (fx->window, "sales-orders-narrow");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), <=, 360);

  /* Shipped and invoiced: both steps reach the timeline, and the Sales order is Invoiced. */
  gtk_window_destroy (GTK_WINDOW (fx->window));
  fx->window = NULL;
  sbg_settle (100);
  run_scheduled_jobs (fx, 2);
  g_assert_cmpuint (count_posts (fx, adatum_order), ==, 3);
  {
    g_autoptr (JsonObject) order = NULL;
    const char *select[] = { "statecode", NULL };

    order = sb_dataverse_connection_retrieve_sync (fx->sales, "salesorders", adatum_order, select,
                                                   NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (order, "statecode"), ==, 4);
  }
}

static void
test_quotes (Fixture *fx, gconstpointer data)
{
  g_autofree char *quote = NULL;
  g_autofree char *number = NULL;
  g_autofree char *line = NULL;
  g_autofree char *body = NULL;
  g_autofree char *erp_no = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) revised = NULL;
  g_autoptr (SbSalesHeader) header = NULL;
  g_autoptr (GPtrArray) versions = NULL;
  g_autoptr (SbSalesImportRow) row = NULL;
  SbSalesImportPage *page;
  GtkWidget *card;
  const char *revision_id;

  body = g_strdup_printf ("{\"name\": \"Bikes for the new office\", \"effectiveto\": "
                          "\"2026-12-31\", \"customerid_account@odata.bind\": \"/accounts(%s)\"}",
                          fx->account_id);
  quote = sales_create (fx, "quotes", body);
  line = g_strdup_printf ("{\"quoteid@odata.bind\": \"/quotes(%s)\", \"isproductoverridden\": "
                          "true, \"productdescription\": \"Bicycle, city model\", \"quantity\": "
                          "2, \"priceperunit\": 990, \"ispriceoverridden\": true}",
                          quote);
  g_free (sales_create (fx, "quotedetails", line));
  sales_update (fx, "quotes", quote, "{\"statecode\": 1, \"statuscode\": 2}");
  number = sales_get_string (fx, "quotes", quote, "quotenumber");

  open_window (fx, 1280, 800);
  page = show_import_page (fx, "sales-quotes");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "list");
  g_assert_true (sb_sales_import_page_select_number (page, number));
  sb_sales_import_page_run_action (page);
  sbg_wait_until (page_idle, page, "Process in ERP");
  g_test_message ("%s", sb_sales_import_page_get_last_message (page));
  header = find_erp_document (fx, SB_SALES_DOC_QUOTE, number);
  g_assert_nonnull (header);
  erp_no = g_strdup (header->no);
  g_assert_cmpstr (header->quote_valid_until, ==, "2026-12-31");
  g_assert_cmpstr (header->external_document_no, ==, "Bikes for the new office");
  row = find_row (page, "quotenumber", number);
  g_assert_cmpstr (sb_sales_import_row_get (row, "erp_quote_no"), ==, erp_no);
  g_clear_object (&row);
  sbg_screenshot (fx->window, "sales-quotes");

  /* The salesperson revises the quote and activates revision 1: processing it archives the ERP
   * quote before replacing its lines. */
  g_free (body);
  body = g_strdup_printf ("{\"QuoteId\": \"%s\", \"ColumnSet\": {\"AllColumns\": true}}", quote);
  {
    g_autoptr (JsonNode) request = json_from_string (body, &error);

    g_assert_no_error (error);
    revised =
        sb_dataverse_connection_call_sync (fx->sales, "POST", "ReviseQuote", request, NULL, &error);
    g_assert_no_error (error);
  }
  revision_id = json_object_get_string_member (json_node_get_object (revised), "quoteid");
  sales_update (fx, "quotes", revision_id, "{\"statecode\": 1, \"statuscode\": 2}");
  sb_sales_import_page_reload (page);
  sbg_wait_until (page_idle, page, "the revised quote");
  g_assert_nonnull ((row = find_row (page, "quotenumber", number)));
  g_clear_object (&row);
  /* Newest first: revision 1 is the first row of that number */
  {
    GListModel *model = sb_sales_import_page_get_model (page);

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (SbSalesImportRow) r = g_list_model_get_item (model, i);

        if (g_str_equal (sb_sales_import_row_get (r, "id"), revision_id))
          gtk_selection_model_select_item (sb_sales_import_page_get_selection (page), i, TRUE);
      }
  }
  sb_sales_import_page_run_action (page);
  sbg_wait_until (page_idle, page, "processing the revision");
  g_test_message ("%s", sb_sales_import_page_get_last_message (page));
  versions = sb_sales_document_list_versions (sb_window_get_store (fx->window), SB_SALES_DOC_QUOTE,
                                              erp_no, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, >=, 1);

  card = open_erp_card (fx, SB_SALES_DOC_QUOTE, erp_no);
  g_assert_true (has_label (sbg_get (card, "origin"), number));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (sbg_get (card, "version-1")), TRUE);
  sbg_settle (300);
  g_assert_true (has_label (sbg_get (card, "version-1"), "Bicycle, city model"));
  sbg_screenshot (fx->window, "erp-quote-card");
  if (g_getenv ("SB_SCREENSHOT_DIR") != NULL)
    {
      scroll_to (sbg_get (card, "versions"));
      sbg_screenshot (fx->window, "erp-quote-versions");
    }

  /* The customer accepts: the salesperson wins the quote. With no order from it yet,
   * processing the won quote releases the ERP quote. */
  g_free (body);
  body = g_strdup_printf ("{\"QuoteClose\": {\"subject\": \"Won\", \"quoteid@odata.bind\": "
                          "\"/quotes(%s)\"}, \"Status\": 4}",
                          revision_id);
  {
    g_autoptr (JsonNode) request = json_from_string (body, &error);
    g_autoptr (JsonNode) answer = NULL;

    g_assert_no_error (error);
    answer =
        sb_dataverse_connection_call_sync (fx->sales, "POST", "WinQuote", request, NULL, &error);
    g_assert_no_error (error);
  }
  g_clear_pointer (&header, sb_sales_header_free);
  header =
      sb_sales_document_get (sb_window_get_store (fx->window), SB_SALES_DOC_QUOTE, erp_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (header->status, ==, SB_SALES_STATUS_OPEN);
  sb_window_show_page (fx->window, "sales-quotes");
  sb_sales_import_page_reload (page);
  sbg_wait_until (page_idle, page, "the won quote");
  sb_sales_import_page_set_only_pending (page, FALSE);
  gtk_selection_model_unselect_all (sb_sales_import_page_get_selection (page));
  {
    GListModel *model = sb_sales_import_page_get_model (page);

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr (SbSalesImportRow) r = g_list_model_get_item (model, i);

        if (g_str_equal (sb_sales_import_row_get (r, "id"), revision_id))
          {
            g_assert_cmpint (sb_sales_import_row_get_int (r, "statecode"), ==, 2);
            gtk_selection_model_select_item (sb_sales_import_page_get_selection (page), i, TRUE);
          }
      }
  }
  sb_sales_import_page_run_action (page);
  sbg_wait_until (page_idle, page, "processing the won quote");
  g_test_message ("%s", sb_sales_import_page_get_last_message (page));
  g_clear_pointer (&header, sb_sales_header_free);
  header =
      sb_sales_document_get (sb_window_get_store (fx->window), SB_SALES_DOC_QUOTE, erp_no, &error);
  g_assert_no_error (error);
  g_assert_cmpint (header->status, ==, SB_SALES_STATUS_RELEASED);

  card = open_erp_card (fx, SB_SALES_DOC_QUOTE, erp_no);
  sbg_narrow_window (fx->window);
  sbg_screenshot (fx->window, "erp-quote-card-narrow");
  sb_window_show_page (fx->window, "sales-quotes");
  sbg_narrow_window (fx->window);
  sbg_screenshot (fx->window, "sales-quotes-narrow");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), <=, 360);
}

static void
test_disabled (Fixture *fx, gconstpointer data)
{
  SbSalesImportPage *page;

  open_window (fx, 1280, 800);
  page = show_import_page (fx, "sales-orders");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "disabled");
  g_assert_false (gtk_widget_is_sensitive (sbg_get (page, "create")));
  sbg_screenshot (fx->window, "sales-orders-disabled");
  page = show_import_page (fx, "sales-quotes");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "disabled");
}

/* Dynamics 365 Sales cannot be reached: the page says so and offers to try again. */
static void
test_unreachable (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (fx->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbConnectionSetup) setup = NULL;
  SbSalesImportPage *page;

  g_assert_no_error (error);
  setup = sb_connection_setup_get (store, &error);
  g_assert_no_error (error);
  g_assert_true (setup->is_enabled);
  /* The connection's token came from here: a server that went away since. */
  sb_sandbox_server_stop (server);

  open_window (fx, 360, 700);
  page = show_import_page (fx, "sales-orders");
  g_assert_cmpstr (sb_sales_import_page_get_state (page), ==, "error");
  sbg_narrow_window (fx->window);
  g_test_message ("%s", sb_sales_import_page_get_error (page));
  g_assert_nonnull (sb_sales_import_page_get_error (page));
  sbg_screenshot (fx->window, "sales-orders-unreachable-narrow");
}

int
main (int argc, char *argv[])
{
  SbsKeyring *keyring;
  g_autoptr (GError) error = NULL;
  int status;

  /* As in test-gui-sync-coupling.c: the keyring daemon goes without these. */
  g_unsetenv ("MALLOC_PERTURB_");
  g_unsetenv ("MALLOC_CHECK_");
  keyring = sbs_keyring_start (TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* For screenshots in another language (as tools/screenshots runs the app). */
  if (g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE); /* the templates' strings */
    }
  adw_init ();
  setlocale (LC_NUMERIC, "C");

  server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (server, 0, &error));
  g_assert_no_error (error);
  base_url = sb_sandbox_server_get_base_url (server);

  g_test_add ("/gui/sales-import/orders", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_orders, fixture_tear_down);
  g_test_add ("/gui/sales-import/quotes", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_quotes, fixture_tear_down);
  g_test_add ("/gui/sales-import/disabled", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_disabled, fixture_tear_down);
  /* Last: it stops the sandbox. */
  g_test_add ("/gui/sales-import/unreachable", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_unreachable, fixture_tear_down);

  status = g_test_run ();
  sb_sandbox_server_stop (server);
  g_clear_object (&server);
  sbs_keyring_stop (keyring);
  return status;
}
