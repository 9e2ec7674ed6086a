/* sb-invoice-actions.c
 *
 * The Sales statuses are read by a worker into a table (invoice no. → status label) that is
 * replaced whole. The couplings of the POSTEDSALESINV-INV mapping say which invoices were sent;
 * for those, one paged read of the invoices' statecode and statuscode in Sales says where they
 * are. Without a connection the column says "Sent" rather than guess.
 *
 * Actions run as one GTask each, like the coupling controller's: the worker opens the company
 * database and the engine (sb_coupling_open_engine: the keyring blocks) and calls the engine's
 * _sync functions, invoice by invoice, so one failing invoice does not stop the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-books-private.h"
#include "sb-connection-setup.h"
#include "sb-coupling-controller.h"
#include "sb-coupling-dialogs.h"
#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"
#include "sb-gui-format.h"
#include "sb-invoice-actions.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-sync-coupling.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices.h"
#include "sb-window.h"

typedef enum
{
  MODE_INVOICES,
  MODE_CUSTOMERS,
} Mode;

struct _SbInvoiceActions
{
  GObject parent_instance;

  Mode mode;
  SbRecordListPage *page; /* weak: the page owns us */
  char *db_path;
  GHashTable *statuses; /* invoice no. → translated label; replaced whole */
  guint n_running;      /* status reads and actions */
  guint n_ops;          /* actions: one at a time, so an invoice is not sent twice at once */
  guint load_serial;
  char *last_message;
  GCancellable *cancellable;
  GSimpleActionGroup *actions;
  GtkWidget *spinner;
  const SbField *key_field; /* of the page's records: invoice or customer no. */
};

G_DEFINE_FINAL_TYPE (SbInvoiceActions, sb_invoice_actions, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- Sales statuses ----------------------------------------------------------------------- */

static const char *
status_label (int state, int status)
{
  if (state == SB_DV_INVOICE_STATE_CANCELED || status == SB_DV_INVOICE_STATUS_CANCELED)
    return _ ("Canceled");
  if (status == SB_DV_INVOICE_STATUS_COMPLETE)
    return _ ("Complete");
  if (status == SB_DV_INVOICE_STATUS_PARTIAL)
    return _ ("Partial");
  /* New, Partially Shipped, Billed, Booked, Installed: all unpaid. */
  return _ ("Billed");
}

static gboolean
status_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  GHashTable *by_id = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *id = row != NULL ? sb_json_get_guid (row, "invoiceid") : NULL;

      if (id != NULL)
        g_hash_table_insert (
            by_id, g_ascii_strdown (id, -1),
            (gpointer) status_label ((int) sb_json_get_int (row, "statecode", -1),
                                     (int) sb_json_get_int (row, "statuscode", -1)));
    }
  return TRUE;
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GPtrArray) couplings = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autoptr (GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean read_sales = FALSE;

  if (store != NULL)
    couplings = sb_sync_coupling_list (store, SB_SYNC_INVOICE_MAPPING, &error);
  if (couplings != NULL)
    setup = sb_connection_setup_get (store, &error);
  if (setup == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (setup->is_enabled && couplings->len > 0)
    {
      g_autoptr (SbSyncEngine) engine = sb_coupling_open_engine (store, cancellable, &error);
      g_autoptr (SbDataverseQuery) query = sb_dataverse_query_new (SB_DV_INVOICES);

      sb_dataverse_query_select (query, "invoiceid", "statecode", "statuscode", NULL);
      /* Sales not answering is no reason to hide what the books know: "Sent". */
      read_sales = engine != NULL && sb_dataverse_connection_query_sync (
                                         sb_sync_engine_get_connection (engine), query, status_page,
                                         by_id, NULL, cancellable, &error);
      if (!read_sales && error != NULL)
        g_message ("Sales statuses of the posted invoices not read: %s", error->message);
    }
  for (guint i = 0; i < couplings->len; i++)
    {
      const SbSyncCoupling *c = couplings->pdata[i];
      g_autofree char *id = NULL;
      const char *label;

      if (c->erp_key == NULL || !sb_sync_coupling_is_coupled (c) || c->pending)
        continue;
      id = g_ascii_strdown (c->dataverse_id, -1);
      if (!read_sales)
        label = _ ("Sent");
      else if ((label = g_hash_table_lookup (by_id, id)) == NULL)
        label = _ ("Deleted in Sales");
      g_hash_table_insert (statuses, g_strdup (c->erp_key), (gpointer) label);
    }
  g_task_return_pointer (task, g_steal_pointer (&statuses), (GDestroyNotify) g_hash_table_unref);
}

static void
update_busy (SbInvoiceActions *self)
{
  gtk_widget_set_visible (self->spinner, self->n_running > 0);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->n_running > 0);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbInvoiceActions *self = SB_INVOICE_ACTIONS (source);
  g_autoptr (GError) error = NULL;
  GHashTable *statuses = g_task_propagate_pointer (G_TASK (result), &error);

  self->n_running--;
  update_busy (self);
  if (statuses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Sales statuses not read: %s", error->message);
      return;
    }
  if (self->load_serial != GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "serial")))
    {
      g_hash_table_unref (statuses);
      return;
    }
  g_clear_pointer (&self->statuses, g_hash_table_unref);
  self->statuses = statuses;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
sb_invoice_actions_reload (SbInvoiceActions *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_INVOICE_ACTIONS (self));
  if (self->mode != MODE_INVOICES)
    return;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_object_set_data (G_OBJECT (task), "serial", GUINT_TO_POINTER (++self->load_serial));
  self->n_running++;
  update_busy (self);
  g_task_run_in_thread (task, load_thread);
}

const char *
sb_invoice_actions_get_sales_status (SbInvoiceActions *self, const char *invoice_no)
{
  const char *label = self->statuses != NULL && invoice_no != NULL
                          ? g_hash_table_lookup (self->statuses, invoice_no)
                          : NULL;

  return label != NULL ? label : _ ("Not Sent");
}

gboolean
sb_invoice_actions_is_busy (SbInvoiceActions *self)
{
  return self->n_running > 0;
}

const char *
sb_invoice_actions_get_last_message (SbInvoiceActions *self)
{
  return self->last_message;
}

GActionGroup *
sb_invoice_actions_get_actions (SbInvoiceActions *self)
{
  return G_ACTION_GROUP (self->actions);
}

SbInvoiceActions *
sb_invoice_actions_get (SbRecordListPage *page)
{
  return g_object_get_data (G_OBJECT (page), "sb-invoice-actions");
}

/* ---- The column --------------------------------------------------------------------------- */

static void
update_cell (GtkWidget *label)
{
  SbInvoiceActions *self = g_object_get_data (G_OBJECT (label), "sb-actions");
  const char *no = g_object_get_data (G_OBJECT (label), "sb-key");
  const char *status = sb_invoice_actions_get_sales_status (self, no);

  gtk_label_set_text (GTK_LABEL (label), no != NULL ? status : "");
  if (g_str_equal (status, _ ("Not Sent")))
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static void
setup_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "sb-actions", user_data);
  g_signal_connect_object (user_data, "changed", G_CALLBACK (update_cell), label,
                           G_CONNECT_SWAPPED);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  const SbPostedInvoice *invoice =
      sb_record_object_get_record (SB_RECORD_OBJECT (gtk_list_item_get_item (item)));

  g_object_set_data_full (G_OBJECT (label), "sb-key", g_strdup (invoice->no), g_free);
  /* The page's right click finds the row from any cell. */
  g_object_set_data (G_OBJECT (label), "sb-position",
                     GUINT_TO_POINTER (gtk_list_item_get_position (item) + 1));
  update_cell (label);
}

/* ---- Targets ------------------------------------------------------------------------------ */

/* The card's record, or the selected rows: their key (invoice or customer no.). */
static GPtrArray *
get_targets (SbInvoiceActions *self)
{
  if (self->page == NULL)
    return g_ptr_array_new_with_free_func (g_free);
  return sb_record_list_page_get_target_keys (self->page, self->key_field);
}

/* ---- Operations --------------------------------------------------------------------------- */

typedef enum
{
  OP_SEND,
  OP_PAY,
  OP_STATISTICS,
} OpKind;

typedef struct
{
  OpKind kind;
  char *db_path;
  GPtrArray *keys;
  SbDecimal amount; /* OP_PAY */
  guint n_done;
  guint n_failed;
  char *first_error;
  char *payment_no;
  SbSyncCounters counters;
} Op;

static void
op_free (Op *op)
{
  g_free (op->db_path);
  g_clear_pointer (&op->keys, g_ptr_array_unref);
  g_free (op->first_error);
  g_free (op->payment_no);
  g_free (op);
}

static gboolean
pay (SbStore *store, Op *op, GError **error)
{
  const char *invoice_no = op->keys->pdata[0];
  g_autoptr (SbPostedInvoice) invoice = sb_posted_invoice_get (store, invoice_no, error);
  const char *const apply[] = { invoice_no, NULL };

  if (invoice == NULL)
    return FALSE;
  op->payment_no = sb_ledger_register_payment (store, invoice->sell_to_customer_no, op->amount,
                                               apply, NULL, error);
  return op->payment_no != NULL;
}

static void
op_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (op->db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;

  if (store != NULL && op->kind == OP_PAY)
    {
      /* The books only: no connection needed. */
      if (!pay (store, op, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (op->kind == OP_STATISTICS)
    {
      g_ptr_array_add (op->keys, NULL);
      if (!sb_sync_engine_update_account_statistics_sync (
              engine, op->keys->len > 1 ? (const char *const *) op->keys->pdata : NULL,
              &op->counters, cancellable, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  for (guint i = 0; i < op->keys->len; i++)
    {
      g_autoptr (GError) invoice_error = NULL;
      g_autofree char *id = sb_sync_engine_send_invoice_sync (engine, op->keys->pdata[i],
                                                              cancellable, &invoice_error);

      if (id != NULL)
        op->n_done++;
      else if (g_error_matches (invoice_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&invoice_error));
          return;
        }
      else
        {
          op->n_failed++;
          if (op->first_error == NULL)
            op->first_error = g_strdup (invoice_error->message);
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
toast (SbInvoiceActions *self, const char *message, gboolean offer_connection)
{
  GtkRoot *root = self->page != NULL ? gtk_widget_get_root (GTK_WIDGET (self->page)) : NULL;

  g_free (self->last_message);
  self->last_message = g_strdup (message);
  if (SB_IS_WINDOW (root))
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (escaped);

      if (offer_connection)
        {
          adw_toast_set_button_label (toast, _ ("Open _Dynamics 365 Sales"));
          adw_toast_set_action_name (toast, "win.show-page");
          adw_toast_set_action_target_value (toast, g_variant_new_string ("connection"));
        }
      adw_toast_set_timeout (toast, 6);
      sb_window_add_toast (SB_WINDOW (root), toast);
    }
  else
    g_message ("%s", message);
}

static char *
describe_done (Op *op)
{
  guint n = op->n_done;

  switch (op->kind)
    {
      case OP_SEND:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u invoice is in Dynamics 365 Sales",
                                             "%u invoices are in Dynamics 365 Sales", n),
                                n);
      case OP_PAY:
        /* TRANSLATORS: %s is the payment's number, e.g. PAY00012 */
        return g_strdup_printf (_ ("Payment %s registered"), op->payment_no);
      case OP_STATISTICS:
      default:
        n = op->counters.inserted + op->counters.modified + op->counters.unchanged;
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Statistics of %u customer updated in Sales",
                                             "Statistics of %u customers updated in Sales", n),
                                n);
    }
}

static void update_actions (SbInvoiceActions *self);

static void
op_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbInvoiceActions *self = SB_INVOICE_ACTIONS (source);
  Op *op = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  self->n_running--;
  self->n_ops--;
  update_busy (self);
  if (self->page == NULL)
    return; /* the window closed */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      toast (self, error->message,
             error->domain == SB_SYNC_ERROR && (error->code == SB_SYNC_ERROR_DISABLED ||
                                                error->code == SB_SYNC_ERROR_NOT_CONFIGURED));
    }
  else if (op->n_failed > 0)
    {
      g_autofree char *message = NULL;

      if (op->n_done + op->n_failed == 1)
        message = g_strdup (op->first_error);
      else
        /* TRANSLATORS: after sending several invoices; the last %s is the first error */
        message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u invoice failed: %s",
                                                "%u of %u invoices failed: %s",
                                                op->n_done + op->n_failed),
                                   op->n_failed, op->n_done + op->n_failed, op->first_error);
      toast (self, message, FALSE);
    }
  else
    {
      g_autofree char *message = describe_done (op);

      toast (self, message, FALSE);
    }
  /* A payment changes the remaining amounts the page and the card show. */
  if (op->kind == OP_PAY)
    {
      if (sb_record_list_page_get_detail (self->page) != NULL)
        sb_record_list_page_go_back (self->page);
      sb_record_list_page_reload (self->page);
    }
  sb_invoice_actions_reload (self);
  update_actions (self);
}

static void
op_run (SbInvoiceActions *self, OpKind kind, GPtrArray *keys, SbDecimal amount)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, op_done, NULL);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->db_path = g_strdup (self->db_path);
  op->keys = keys;
  op->amount = amount;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  self->n_running++;
  self->n_ops++;
  update_busy (self);
  update_actions (self);
  g_task_run_in_thread (task, op_thread);
}

/* ---- Actions ------------------------------------------------------------------------------ */

static void
set_enabled (SbInvoiceActions *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (SbInvoiceActions *self)
{
  g_autoptr (GPtrArray) keys = get_targets (self);
  gboolean idle = self->n_ops == 0;

  set_enabled (self, "create", idle && keys->len > 0);
  set_enabled (self, "pay", idle && keys->len == 1);
  set_enabled (self, "open", keys->len == 1);
  /* No selection: every coupled customer. */
  set_enabled (self, "update", idle);
}

static void
create_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbInvoiceActions *self = user_data;
  GPtrArray *keys = get_targets (self);

  if (keys->len == 0)
    {
      g_ptr_array_unref (keys);
      return;
    }
  op_run (self, OP_SEND, keys, 0);
}

static void
update_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbInvoiceActions *self = user_data;

  op_run (self, OP_STATISTICS, get_targets (self), 0);
}

static SbStore *
get_store (SbInvoiceActions *self)
{
  GtkRoot *root = self->page != NULL ? gtk_widget_get_root (GTK_WIDGET (self->page)) : NULL;

  return SB_IS_WINDOW (root) ? sb_window_get_store (SB_WINDOW (root)) : NULL;
}

static void
open_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbInvoiceActions *self = user_data;
  g_autoptr (GPtrArray) keys = get_targets (self);
  SbStore *store = get_store (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncCoupling) coupling = NULL;
  g_autoptr (SbConnectionSetup) setup = NULL;
  g_autofree char *url = NULL;

  if (keys->len != 1 || store == NULL)
    return;
  /* Two local reads of one row each: quick enough for the main thread. */
  coupling = sb_sync_coupling_find_erp (store, SB_SYNC_INVOICE_MAPPING, keys->pdata[0], &error);
  if (coupling != NULL && sb_sync_coupling_is_coupled (coupling) && !coupling->pending)
    setup = sb_connection_setup_get (store, &error);
  if (setup == NULL)
    {
      toast (self,
             error != NULL ? error->message
                           : _ ("The invoice is not in Dynamics 365 Sales yet. Create it there "
                                "first."),
             FALSE);
      return;
    }
  url = sb_coupling_get_record_url (setup->sales_url, SB_DV_INVOICES, coupling->dataverse_id);
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self->page))), url, GDK_CURRENT_TIME);
}

/* Register Payment… */

typedef struct
{
  SbInvoiceActions *self;
  char *invoice_no;
  GtkWidget *entry;
} PayDialog;

static void
pay_dialog_free (PayDialog *dialog)
{
  g_object_unref (dialog->self);
  g_free (dialog->invoice_no);
  g_free (dialog);
}

static gboolean
parse_amount (const char *text, SbDecimal *out_amount)
{
  return sb_decimal_parse_locale (text, out_amount, NULL) && *out_amount > 0;
}

static void
on_amount_changed (GtkEditable *entry, AdwMessageDialog *dialog)
{
  SbDecimal amount;
  gboolean valid = parse_amount (gtk_editable_get_text (entry), &amount);

  /* What cannot be registered cannot be confirmed; the text stays for the user to fix. */
  adw_message_dialog_set_response_enabled (dialog, "register", valid);
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

static void
on_pay_response (AdwMessageDialog *dialog, const char *response, PayDialog *data)
{
  SbDecimal amount;
  GPtrArray *keys;

  if (!g_str_equal (response, "register") ||
      !parse_amount (gtk_editable_get_text (GTK_EDITABLE (data->entry)), &amount))
    return;
  keys = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (keys, g_strdup (data->invoice_no));
  op_run (data->self, OP_PAY, keys, amount);
}

static void
pay_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  SbInvoiceActions *self = user_data;
  g_autoptr (GPtrArray) keys = get_targets (self);
  SbStore *store = get_store (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbLedgerEntry) entry = NULL;
  g_autofree char *local_currency = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *remaining_text = NULL;
  g_autofree char *body = NULL;
  const char *currency;
  GtkWidget *dialog;
  PayDialog *data;

  if (keys->len != 1 || store == NULL)
    return;
  entry = sb_ledger_find_invoice_entry (store, keys->pdata[0], &error);
  if (entry == NULL)
    {
      toast (self, error->message, FALSE);
      return;
    }
  if (entry->remaining_amount == 0)
    {
      /* TRANSLATORS: %s is an invoice number */
      g_autofree char *message =
          g_strdup_printf (_ ("Invoice %s is paid already."), (const char *) keys->pdata[0]);
      toast (self, message, FALSE);
      return;
    }
  /* Blank: the company's local currency. */
  local_currency = sb_books_get_local_currency (store);
  currency = *entry->currency_code != '\0' ? entry->currency_code : local_currency;
  remaining =
      sb_decimal_format_money (entry->remaining_amount, *currency != '\0' ? currency : NULL, 2);
  remaining_text = sb_gui_format_decimal (entry->remaining_amount, 2);
  /* TRANSLATORS: the Register Payment dialog: invoice no., customer no. and what is owed */
  body = g_strdup_printf (_ ("Invoice %s of customer %s still owes %s. Enter the amount "
                             "received; it is applied to this invoice."),
                          (const char *) keys->pdata[0], entry->customer_no, remaining);

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self->page))),
                                   _ ("Register Payment"), body);
  gtk_widget_set_name (dialog, "register-payment-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"),
                                    "register", _ ("_Register"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "register",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "register");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (PayDialog, 1);
  data->self = g_object_ref (self);
  data->invoice_no = g_strdup (keys->pdata[0]);
  data->entry = gtk_entry_new ();
  gtk_widget_set_name (data->entry, "payment-amount");
  gtk_entry_set_activates_default (GTK_ENTRY (data->entry), TRUE);
  gtk_entry_set_input_purpose (GTK_ENTRY (data->entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_editable_set_text (GTK_EDITABLE (data->entry), remaining_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Amount Received"), -1);
  g_signal_connect (data->entry, "changed", G_CALLBACK (on_amount_changed), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), data->entry);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_pay_response), data,
                         (GClosureNotify) pay_dialog_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Attaching ---------------------------------------------------------------------------- */

static void
on_page_gone (gpointer user_data, GObject *where_the_page_was)
{
  SbInvoiceActions *self = user_data;

  self->page = NULL;
  g_cancellable_cancel (self->cancellable);
}

static GMenuModel *
build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) sales = g_menu_new ();
  g_autoptr (GMenu) books = g_menu_new ();

  g_menu_append (sales, _ ("_Create Invoice in Dynamics 365 Sales"), "invoice.create");
  g_menu_append (sales, _ ("_Open in Dynamics 365 Sales"), "invoice.open");
  g_menu_append (books, _ ("_Register Payment…"), "invoice.pay");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (sales));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (books));
  return G_MENU_MODEL (menu);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* @widget where there is room for it, else nothing (as the coupling controller's): it does
 * not add to the page's minimum width, so the page still fits a phone's screen. */
static GtkWidget *
squeezed (GtkWidget *widget)
{
  GtkWidget *squeezer = adw_squeezer_new ();

  adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), widget);
  adw_squeezer_add (ADW_SQUEEZER (squeezer), gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));
  return squeezer;
}

static SbInvoiceActions *
attach (SbRecordListPage *page, Mode mode)
{
  SbInvoiceActions *self = g_object_new (SB_TYPE_INVOICE_ACTIONS, NULL);
  const SbRecordType *type = sb_record_list_page_get_spec (page)->type;
  SbStore *store = NULL;

  self->mode = mode;
  self->page = page;
  /* Workers hold us and may finish after the page is gone. */
  g_object_weak_ref (G_OBJECT (page), on_page_gone, self);
  g_object_get (page, "store", &store, NULL);
  self->db_path = g_strdup (sb_store_get_path (store));
  g_clear_object (&store);
  for (guint i = 0; i < type->n_fields && self->key_field == NULL; i++)
    if ((type->fields[i].flags & SB_FIELD_FLAG_KEY) != 0)
      self->key_field = &type->fields[i];
  g_assert (self->key_field != NULL);
  g_object_set_data_full (G_OBJECT (page), "sb-invoice-actions", self, g_object_unref);

  /* Kept: a worker may end after the page, and its spinner, are gone. */
  self->spinner = g_object_ref_sink (gtk_spinner_new ());
  gtk_widget_set_tooltip_text (self->spinner, _ ("Working with Dynamics 365 Sales…"));
  gtk_widget_set_visible (self->spinner, FALSE);
  sb_record_list_page_add_header_widget (page, squeezed (self->spinner));
  g_signal_connect_object (sb_record_list_page_get_selection (page), "selection-changed",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::loading", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  return self;
}

SbInvoiceActions *
sb_invoice_actions_attach_invoices (SbRecordListPage *page)
{
  static const GActionEntry entries[] = {
    { "create", create_activated, NULL, NULL, NULL },
    { "pay", pay_activated, NULL, NULL, NULL },
    { "open", open_activated, NULL, NULL, NULL },
  };
  SbInvoiceActions *self = attach (page, MODE_INVOICES);
  g_autoptr (GtkColumnViewColumn) column = NULL;
  g_autoptr (GMenuModel) menu = build_menu ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *button;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  /* TRANSLATORS: a list column: the invoice's status in Dynamics 365 Sales */
  column = gtk_column_view_column_new (_ ("Status in Sales"), factory);
  gtk_column_view_column_set_fixed_width (column, 110);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (sb_record_list_page_get_column_view (page), column);

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  gtk_widget_insert_action_group (GTK_WIDGET (page), "invoice", G_ACTION_GROUP (self->actions));

  button = gtk_menu_button_new ();
  gtk_widget_set_name (button, "invoice-menu-button");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "emblem-synchronizing-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_tooltip_text (button, _ ("Dynamics 365 Sales and Payments"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Dynamics 365 Sales and Payments"), -1);
  sb_record_list_page_add_header_widget (page, button);
  sb_record_list_page_set_context_menu (page, menu);
  /* Coming back to the page after a synchronization elsewhere shows the statuses now. */
  g_signal_connect_object (page, "map", G_CALLBACK (sb_invoice_actions_reload), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
  return self;
}

SbInvoiceActions *
sb_invoice_actions_attach_customers (SbRecordListPage *page)
{
  static const GActionEntry entries[] = {
    { "update", update_activated, NULL, NULL, NULL },
  };
  SbInvoiceActions *self = attach (page, MODE_CUSTOMERS);
  GtkWidget *menu_button = find_named (GTK_WIDGET (page), "coupling-menu-button");
  GMenuModel *menu =
      menu_button != NULL ? gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)) : NULL;
  g_autoptr (GMenu) section = g_menu_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  gtk_widget_insert_action_group (GTK_WIDGET (page), "statistics", G_ACTION_GROUP (self->actions));
  /* In the coupling's menu (the header's and the rows' context menu are one model), rather
   * than a button of its own the header of a phone-wide window has no room for. */
  g_menu_append (section, _ ("Update Account Statistics"), "statistics.update");
  if (G_IS_MENU (menu))
    g_menu_append_section (G_MENU (menu), NULL, G_MENU_MODEL (section));
  else
    {
      GtkWidget *button = gtk_menu_button_new ();

      gtk_widget_set_name (button, "statistics-menu-button");
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-spreadsheet-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (section));
      gtk_widget_set_tooltip_text (button, _ ("Update Account Statistics"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Update Account Statistics"), -1);
      sb_record_list_page_add_header_widget (page, button);
    }
  update_actions (self);
  return self;
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
sb_invoice_actions_finalize (GObject *object)
{
  SbInvoiceActions *self = SB_INVOICE_ACTIONS (object);

  g_free (self->db_path);
  g_clear_pointer (&self->statuses, g_hash_table_unref);
  g_free (self->last_message);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->actions);
  g_clear_object (&self->spinner);
  G_OBJECT_CLASS (sb_invoice_actions_parent_class)->finalize (object);
}

static void
sb_invoice_actions_class_init (SbInvoiceActionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_invoice_actions_finalize;
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sb_invoice_actions_init (SbInvoiceActions *self)
{
  self->cancellable = g_cancellable_new ();
  self->actions = g_simple_action_group_new ();
}
