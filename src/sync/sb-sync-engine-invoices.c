/* sb-sync-engine-invoices.c: posted invoices sent to Dynamics 365 Sales, and their status
 *
 * integration-behaviour.md §1 (POSTEDSALESINV-INV, POSTEDSALESLINE-INV) and §7. The header's
 * fields come from the mapping's field table (users may edit it), so the body is built by the
 * engine's ERP → Sales code; what is special to invoices is here: the customer, the order and
 * opportunity link, lines as products or write-ins, and the status from the ledger.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-item.h"
#include "sb-dataverse-json.h"
#include "sb-dataverse-tables.h"
#include "sb-ledger.h"
#include "sb-posted-invoice.h"
#include "sb-reference-data.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-sync-error.h"
#include "sb-sync-invoices-private.h"

static gint fail_after_create; /* tests: sb_sync_invoices_fail_after_next_create() */

void
sb_sync_invoices_fail_after_next_create (void)
{
  g_atomic_int_set (&fail_after_create, 1);
}

char *
sb_sync_name_uuid (const char *name)
{
  g_autoptr (GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 d[20];
  gsize len = sizeof d;

  /* Salesbridge's own namespace, so the ids never collide with another application's. */
  g_checksum_update (sha, (const guchar *) "salesbridge:", -1);
  g_checksum_update (sha, (const guchar *) name, -1);
  g_checksum_get_digest (sha, d, &len);
  d[6] = (d[6] & 0x0f) | 0x50;
  d[8] = (d[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
                          d[12], d[13], d[14], d[15]);
}

/* ---- Status ------------------------------------------------------------------------------ */

typedef struct
{
  int state;
  int status;
} InvoiceStatus;

/* §7: the status follows the invoice's customer ledger entry. The ERP cannot cancel a posted
 * invoice, so Canceled is never the goal (an invoice canceled in Sales is set back). */
static gboolean
ledger_status (SbStore *store, const char *invoice_no, InvoiceStatus *out, GError **error)
{
  g_autoptr (SbLedgerEntry) entry = sb_ledger_find_invoice_entry (store, invoice_no, error);

  if (entry == NULL)
    return FALSE;
  if (entry->remaining_amount == 0)
    *out = (InvoiceStatus){ SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_COMPLETE };
  else if (entry->remaining_amount == entry->amount)
    *out = (InvoiceStatus){ SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED };
  else
    *out = (InvoiceStatus){ SB_DV_INVOICE_STATE_PAID, SB_DV_INVOICE_STATUS_PARTIAL };
  return TRUE;
}

static gboolean
patch_status (Run *run, const char *id, int state, int status, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "statecode", state);
  json_object_set_int_member (body, "statuscode", status);
  return sb_dataverse_connection_write_sync (sb_sync_engine_get_connection (run->engine),
                                             SB_DV_INVOICES, id, body, SB_DATAVERSE_WRITE_UPDATE,
                                             "*", NULL, NULL, run->cancellable, error);
}

/* Moves invoice @id from @have to @want. Dataverse allows no change to a Paid or Canceled
 * invoice except setting it back to Active, so that comes first (§7). */
static gboolean
move_status (Run *run, const char *id, InvoiceStatus have, InvoiceStatus want,
             gboolean *out_changed, GError **error)
{
  *out_changed = FALSE;
  if (have.state == want.state && have.status == want.status)
    return TRUE;
  if ((have.state != SB_DV_INVOICE_STATE_ACTIVE || want.state == SB_DV_INVOICE_STATE_ACTIVE) &&
      !patch_status (run, id, SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED, error))
    return FALSE;
  if (want.state != SB_DV_INVOICE_STATE_ACTIVE &&
      !patch_status (run, id, want.state, want.status, error))
    return FALSE;
  *out_changed = TRUE;
  return TRUE;
}

static gboolean
read_status (Run *run, const char *id, InvoiceStatus *out, GError **error)
{
  static const char *const select[] = { "statecode", "statuscode", NULL };
  g_autoptr (JsonObject) row = sb_dataverse_connection_retrieve_sync (
      sb_sync_engine_get_connection (run->engine), SB_DV_INVOICES, id, select, NULL,
      run->cancellable, error);

  if (row == NULL)
    return FALSE;
  out->state = (int) sb_json_get_int (row, "statecode", -1);
  out->status = (int) sb_json_get_int (row, "statuscode", -1);
  return TRUE;
}

/* ---- Building the invoice ---------------------------------------------------------------- */

/* The coupled counterpart of @erp_key in @mapping, or NULL (with @error NOT_COUPLED). */
static char *
coupled_id (Run *run, const char *mapping, const char *erp_key, const char *what, GError **error)
{
  g_autoptr (SbSyncCoupling) c = sb_sync_coupling_find_erp (run->store, mapping, erp_key, error);

  if (c == NULL && error != NULL && *error != NULL)
    return NULL;
  if (!sb_sync_coupling_is_coupled (c) || c->pending)
    {
      g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
                   _ ("%s “%s” is not coupled to Dynamics 365 Sales. Couple or synchronize it in "
                      "the %s mapping first."),
                   what, erp_key, mapping);
      return NULL;
    }
  return g_strdup (c->dataverse_id);
}

/* Dataverse's paymenttermscode is a choice (Net 30, 2% 10 Net 30, Net 45, Net 60), the ERP's
 * payment terms a code: terms whose due days match a choice are sent as it; other terms have
 * no counterpart and are left out rather than refused by Dataverse. */
static void
fix_payment_terms (Run *run, JsonObject *body)
{
  /* A copy: removing the member below frees its string. */
  g_autofree char *code = g_strdup (sb_json_get_string (body, "paymenttermscode", NULL));
  g_autoptr (SbPaymentTerms) terms = NULL;

  if (code == NULL)
    return;
  json_object_remove_member (body, "paymenttermscode");
  if (*code == '\0')
    return;
  terms = sb_code_record_lookup (run->store, &sb_payment_terms_record_type, code, NULL);
  if (terms == NULL)
    return;
  switch (terms->due_days)
    {
      case 30:
        json_object_set_int_member (body, "paymenttermscode", 1);
        break;
      case 45:
        json_object_set_int_member (body, "paymenttermscode", 3);
        break;
      case 60:
        json_object_set_int_member (body, "paymenttermscode", 4);
        break;
      default:
        break;
    }
}

/* §1 "before insert": an invoice of an order that came from Sales copies the order's name,
 * opportunity and price list and links the order. The order is found through its coupling
 * (SALESORDER-ORDER, ERP key "1␟<order no.>") or, failing that, a Sales order number equal to
 * the invoice's Your Reference. */
static gboolean
link_order (Run *run, SbPostedInvoice *invoice, JsonObject *body, GError **error)
{
  static const char *const select[] = { "name", "ordernumber", "_opportunityid_value",
                                        "_pricelevelid_value", NULL };
  SbDataverseConnection *cnc = sb_sync_engine_get_connection (run->engine);
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonObject) order = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *value;

  if (invoice->order_no != NULL && *invoice->order_no != '\0')
    {
      g_autofree char *key = g_strdup_printf ("%d\x1f%s", SB_SALES_DOC_ORDER, invoice->order_no);

      c = sb_sync_coupling_find_erp (run->store, "SALESORDER-ORDER", key, error);
      if (c == NULL && error != NULL && *error != NULL)
        return FALSE;
    }
  if (sb_sync_coupling_is_coupled (c) && !c->pending)
    order = sb_dataverse_connection_retrieve_sync (cnc, SB_DV_SALESORDERS, c->dataverse_id, select,
                                                   NULL, run->cancellable, &local_error);
  else if (invoice->your_reference != NULL && *invoice->your_reference != '\0')
    {
      g_autofree char *quoted = NULL;
      g_autofree char *key = NULL;
      GString *q = g_string_new (NULL);

      for (const char *p = invoice->your_reference; *p != '\0'; p++)
        {
          if (*p == '\'')
            g_string_append_c (q, '\'');
          g_string_append_c (q, *p);
        }
      quoted = g_string_free (q, FALSE);
      key = g_strdup_printf ("ordernumber='%s'", quoted);
      order = sb_dataverse_connection_retrieve_sync (cnc, SB_DV_SALESORDERS, key, select, NULL,
                                                     run->cancellable, &local_error);
      /* Your Reference is free text: most are not Sales order numbers. */
      if (order == NULL &&
          g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
        return TRUE;
    }
  else
    return TRUE;
  if (order == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  sb_json_set_bind (body, "salesorderid", SB_DV_SALESORDERS,
                    sb_json_get_guid (order, "salesorderid"));
  if ((value = sb_json_get_lookup (order, "opportunityid")) != NULL)
    sb_json_set_bind (body, "opportunityid", SB_DV_OPPORTUNITIES, value);
  if ((value = sb_json_get_lookup (order, "pricelevelid")) != NULL)
    sb_json_set_bind (body, "pricelevelid", SB_DV_PRICELEVELS, value);
  if ((value = sb_json_get_string (order, "name", NULL)) != NULL && *value != '\0')
    json_object_set_string_member (body, "name", value);
  return TRUE;
}

static JsonObject *
build_header (Run *run, SbPostedInvoice *invoice, const char *account_id, GError **error)
{
  g_autoptr (JsonObject) body = sb_sync_run_build_body (run, invoice, error);

  if (body == NULL)
    return NULL;
  fix_payment_terms (run, body);
  /* A blank currency is the local currency (§1 CURRENCY): bound when it is coupled; otherwise
   * Dataverse takes its base currency, which enabling the connection checked to be the local
   * currency (§8). */
  if (*invoice->currency_code == '\0' &&
      !json_object_has_member (body, "transactioncurrencyid@odata.bind"))
    {
      g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (run->store, error);
      g_autoptr (SbSyncCoupling) c = NULL;

      if (setup == NULL)
        return NULL;
      c = sb_sync_coupling_find_erp (run->store, "CURRENCY", setup->local_currency_code, error);
      if (c == NULL && error != NULL && *error != NULL)
        return NULL;
      if (sb_sync_coupling_is_coupled (c) && !c->pending)
        sb_json_set_bind (body, "transactioncurrencyid", SB_DV_TRANSACTIONCURRENCIES,
                          c->dataverse_id);
    }
  json_object_set_string_member (body, "name", invoice->no);
  sb_json_set_bind (body, "customerid_account", SB_DV_ACCOUNTS, account_id);
  /* statecode cannot be sent on create; Billed is a status of the default state, Active. */
  json_object_set_int_member (body, "statuscode", SB_DV_INVOICE_STATUS_BILLED);
  if (!link_order (run, invoice, body, error))
    return NULL;
  return g_steal_pointer (&body);
}

/* Whether @line is of the write-in product (§5: what Sales write-in lines become in the ERP),
 * which goes back to Sales as a write-in line, not as a product. */
static gboolean
is_write_in_product (Run *run, SbPostedInvoiceLine *line, gboolean *out_write_in, GError **error)
{
  g_autoptr (SbSalesSetup) setup = sb_sales_setup_get (run->store, error);

  if (setup == NULL)
    return FALSE;
  *out_write_in =
      ((setup->write_in_product_type == SB_WRITE_IN_ITEM && line->type == SB_SALES_LINE_ITEM) ||
       (setup->write_in_product_type == SB_WRITE_IN_RESOURCE &&
        line->type == SB_SALES_LINE_RESOURCE)) &&
      g_strcmp0 (setup->write_in_product_no, line->no) == 0;
  return TRUE;
}

/* The Dataverse unit of a product line: the base unit of the unit's group when the unit is
 * coupled (§1 UNIT OF MEASURE); else, for the item's or resource's own base unit, the product's
 * default unit (ITEM-PRODUCT maps the base unit to it). */
static char *
line_unit (Run *run, SbPostedInvoiceLine *line, const char *product_id, GError **error)
{
  g_autoptr (SbSyncCoupling) unit =
      sb_sync_coupling_find_erp (run->store, "UNIT OF MEASURE", line->unit_code, error);
  g_autofree char *base_unit = NULL;

  if (unit == NULL && error != NULL && *error != NULL)
    return NULL;
  if (sb_sync_coupling_is_coupled (unit) && !unit->pending)
    {
      const char *base = sb_sync_run_ensure_base_unit (run, unit, error);

      return base != NULL ? g_strdup (base) : NULL;
    }
  if (line->type == SB_SALES_LINE_ITEM)
    {
      g_autoptr (SbItem) item =
          sb_code_record_lookup (run->store, &sb_item_record_type, line->no, NULL);

      base_unit = item != NULL ? g_strdup (item->base_unit_code) : NULL;
    }
  else
    {
      g_autoptr (SbResource) resource =
          sb_code_record_lookup (run->store, &sb_resource_record_type, line->no, NULL);

      base_unit = resource != NULL ? g_strdup (resource->base_unit_code) : NULL;
    }
  if (g_strcmp0 (base_unit, line->unit_code) == 0)
    {
      static const char *const select[] = { "_defaultuomid_value", NULL };
      g_autoptr (JsonObject) product = sb_dataverse_connection_retrieve_sync (
          sb_sync_engine_get_connection (run->engine), SB_DV_PRODUCTS, product_id, select, NULL,
          run->cancellable, error);

      if (product == NULL)
        return NULL;
      if (sb_json_get_lookup (product, "defaultuomid") != NULL)
        return g_strdup (sb_json_get_lookup (product, "defaultuomid"));
    }
  g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED,
               _ ("Unit of measure “%s” is not coupled to Dynamics 365 Sales. Couple or "
                  "synchronize it in the %s mapping first."),
               line->unit_code, "UNIT OF MEASURE");
  return NULL;
}

/* A line: item and resource lines as their coupled product, comment lines and lines of the
 * write-in product as write-in products (their text in productdescription). */
static JsonObject *
build_line (Run *line_run, SbPostedInvoiceLine *line, const char *invoice_id, GError **error)
{
  g_autoptr (JsonObject) body = sb_sync_run_build_body (line_run, line, error);
  const char *mapping = NULL;
  gboolean write_in = FALSE;

  if (body == NULL || !is_write_in_product (line_run, line, &write_in, error))
    return NULL;
  sb_json_set_bind (body, "invoiceid", SB_DV_INVOICES, invoice_id);
  json_object_set_int_member (body, "sequencenumber",
                              (gint64) (line->line_no / SB_SALES_LINE_NO_STEP));
  if (line->type == SB_SALES_LINE_ITEM && !write_in)
    mapping = "ITEM-PRODUCT";
  else if (line->type == SB_SALES_LINE_RESOURCE && !write_in)
    mapping = "RESOURCE-PRODUCT";
  if (mapping != NULL)
    {
      g_autofree char *product =
          coupled_id (line_run, mapping, line->no,
                      line->type == SB_SALES_LINE_ITEM ? _ ("Item") : _ ("Resource"), error);
      g_autofree char *uom = NULL;

      if (product == NULL)
        return NULL;
      sb_json_set_bind (body, "productid", SB_DV_PRODUCTS, product);
      json_object_set_boolean_member (body, "isproductoverridden", FALSE);
      json_object_remove_member (body, "productdescription");
      uom = line_unit (line_run, line, product, error);
      if (uom == NULL)
        return NULL;
      sb_json_set_bind (body, "uomid", SB_DV_UOMS, uom);
    }
  else
    json_object_set_boolean_member (body, "isproductoverridden", TRUE);
  return g_steal_pointer (&body);
}

/* ---- Sending ----------------------------------------------------------------------------- */

typedef struct
{
  SbSyncEngine *engine;
  SbStore *store;
  GCancellable *cancellable;
  Run head;  /* POSTEDSALESINV-INV */
  Run lines; /* POSTEDSALESLINE-INV */
} Ctx;

static void
ctx_clear (Ctx *ctx)
{
  sb_sync_run_clear (&ctx->head);
  sb_sync_run_clear (&ctx->lines);
}

static gboolean
ctx_init (Ctx *ctx, SbSyncEngine *engine, SbStore *store, GCancellable *cancellable, GError **error)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->engine = engine;
  ctx->store = store;
  ctx->cancellable = cancellable;
  if (!sb_sync_run_init (&ctx->head, engine, store, SB_SYNC_INVOICE_MAPPING, cancellable, error))
    {
      /* sb_sync_run_init() wants its clear even when it failed; the other is all zeroes. */
      sb_sync_run_clear (&ctx->head);
      memset (&ctx->head, 0, sizeof ctx->head);
      return FALSE;
    }
  if (!sb_sync_run_init (&ctx->lines, engine, store, SB_SYNC_INVOICE_LINE_MAPPING, cancellable,
                         error))
    {
      ctx_clear (ctx);
      return FALSE;
    }
  return TRUE;
}

/* The customer's account; with @create, the customer is created in Sales first when it is not
 * coupled ("synchronize the customer first if needed", §1). */
static char *
customer_account (Ctx *ctx, const char *customer_no, gboolean create, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *id = coupled_id (&ctx->head, "CUSTOMER", customer_no, _ ("Customer"), &local_error);
  Run run;
  gpointer record = NULL;
  g_autoptr (GPtrArray) ops = NULL;

  if (id != NULL || !create ||
      !g_error_matches (local_error, SB_SYNC_ERROR, SB_SYNC_ERROR_NOT_COUPLED))
    {
      if (id == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return id;
    }
  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_sync_op_free);
  if (!sb_sync_run_init (&run, ctx->engine, ctx->store, "CUSTOMER", ctx->cancellable, error))
    goto out;
  record = sb_sync_run_erp_lookup (&run, customer_no, error);
  if (record == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                     _ ("There is no customer “%s”."), customer_no);
      goto out;
    }
  if (!sb_sync_run_job_start (&run, SB_SYNC_DIRECTION_TO_SALES, error))
    goto out;
  run.force_create = TRUE;
  if (sb_sync_run_queue_record (&run, record, ops, error) &&
      sb_sync_run_send_ops (&run, ops, error))
    {
      if (run.counters.failed > 0)
        g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED, run.last_failure);
      else
        id = coupled_id (&ctx->head, "CUSTOMER", customer_no, _ ("Customer"), error);
    }
  sb_sync_run_job_finish (&run, run.last_failure);
out:
  if (record != NULL)
    sb_record_free (run.type, record);
  sb_sync_run_clear (&run);
  return id;
}

typedef struct
{
  const char *invoice_no;
  const char *id;
  gboolean done;
} CoupleInvoice;

/* Commits the chosen id as a pending coupling (done = FALSE), or the coupling as complete. */
static gboolean
couple_txn (SbStore *store, gpointer user_data, GError **error)
{
  CoupleInvoice *d = user_data;
  g_autoptr (SbSyncCoupling) c =
      sb_sync_coupling_find_erp (store, SB_SYNC_INVOICE_MAPPING, d->invoice_no, error);

  if (c == NULL && *error != NULL)
    return FALSE;
  if (c == NULL)
    c = sb_sync_coupling_new (SB_SYNC_INVOICE_MAPPING, d->invoice_no, NULL);
  g_free (c->dataverse_id);
  c->dataverse_id = g_strdup (d->id);
  c->pending = !d->done;
  if (d->done)
    {
      c->last_result = SB_SYNC_RESULT_OK;
      g_clear_pointer (&c->last_error, g_free);
      c->last_error = g_strdup ("");
      c->error_count = 0;
      c->skipped = FALSE;
    }
  return sb_sync_coupling_save (store, c, error);
}

/* Sends invoice @no. @out_created: it was created now; @out_changed: its status changed. */
static char *
send_one (Ctx *ctx, const char *no, gboolean create_customer, gboolean *out_created,
          gboolean *out_changed, GError **error)
{
  g_autoptr (SbPostedInvoice) invoice = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (SbSyncCoupling) c = NULL;
  g_autoptr (JsonObject) header = NULL;
  g_autoptr (SbDataverseBatch) batch = NULL;
  g_autofree char *account = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  InvoiceStatus want, have = { SB_DV_INVOICE_STATE_ACTIVE, SB_DV_INVOICE_STATUS_BILLED };
  CoupleInvoice couple = { no, NULL, FALSE };

  *out_created = *out_changed = FALSE;
  invoice = sb_posted_invoice_get (ctx->store, no, error);
  if (invoice == NULL)
    return NULL;
  if (!ledger_status (ctx->store, invoice->no, &want, error))
    return NULL;
  c = sb_sync_coupling_find_erp (ctx->store, SB_SYNC_INVOICE_MAPPING, invoice->no, error);
  if (c == NULL && error != NULL && *error != NULL)
    return NULL;
  if (sb_sync_coupling_is_coupled (c) && !c->pending)
    {
      g_autoptr (GError) local_error = NULL;

      /* Sent before: only the status can change, the invoice itself is posted. */
      if (!read_status (&ctx->head, c->dataverse_id, &have, &local_error))
        {
          if (g_error_matches (local_error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_NOT_FOUND))
            g_set_error (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                         _ ("Invoice %s is no longer in Dynamics 365 Sales or belongs to another "
                            "account there. Uncouple it to send it again."),
                         invoice->no);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (!move_status (&ctx->head, c->dataverse_id, have, want, out_changed, error))
        return NULL;
      return g_strdup (c->dataverse_id);
    }

  account = customer_account (ctx, invoice->sell_to_customer_no, create_customer, error);
  if (account == NULL)
    return NULL;
  lines = sb_posted_invoice_get_lines (ctx->store, invoice->no, error);
  if (lines == NULL)
    return NULL;

  if (c != NULL && c->dataverse_id != NULL && *c->dataverse_id != '\0')
    id = g_strdup (c->dataverse_id);
  else
    id = g_uuid_string_random ();
  header = build_header (&ctx->head, invoice, account, error);
  if (header == NULL)
    return NULL;
  batch = sb_dataverse_batch_new ();
  /* One changeset: the invoice and its lines exist in Sales together or not at all. */
  sb_dataverse_batch_begin_changeset (batch);
  path = g_strdup_printf ("%s(%s)", SB_DV_INVOICES, id);
  sb_dataverse_batch_add (batch, "PATCH", path, header, NULL);
  for (guint i = 0; i < lines->len; i++)
    {
      SbPostedInvoiceLine *line = lines->pdata[i];
      g_autofree char *name =
          g_strdup_printf ("invoicedetail/%s/%" G_GINT64_FORMAT, id, line->line_no);
      g_autofree char *line_id = sb_sync_name_uuid (name);
      g_autofree char *line_path = g_strdup_printf ("%s(%s)", SB_DV_INVOICEDETAILS, line_id);
      g_autoptr (JsonObject) body = build_line (&ctx->lines, line, id, error);

      if (body == NULL)
        return NULL;
      sb_dataverse_batch_add (batch, "PATCH", line_path, body, NULL);
    }
  sb_dataverse_batch_end_changeset (batch);

  /* The id is chosen and committed before the request (a pending coupling): a run that dies
   * after sending finds it and upserts the same invoice again. */
  couple.id = id;
  if (!sb_store_run_in_transaction (ctx->store, couple_txn, &couple, error))
    return NULL;
  if (!sb_dataverse_connection_execute_batch_sync (sb_sync_engine_get_connection (ctx->engine),
                                                   batch, ctx->cancellable, error))
    return NULL;
  for (guint i = 0; i < sb_dataverse_batch_get_n_requests (batch); i++)
    {
      const SbDataverseBatchResult *r = sb_dataverse_batch_get_result (batch, i);

      if (r->error != NULL &&
          !g_error_matches (r->error, SB_DATAVERSE_ERROR, SB_DATAVERSE_ERROR_ROLLED_BACK))
        {
          g_propagate_error (error, g_error_copy (r->error));
          return NULL;
        }
    }
  if (g_atomic_int_compare_and_exchange (&fail_after_create, 1, 0))
    {
      g_set_error_literal (error, SB_SYNC_ERROR, SB_SYNC_ERROR_FAILED,
                           "Injected failure after the invoice was created");
      return NULL;
    }
  couple.done = TRUE;
  if (!sb_store_run_in_transaction (ctx->store, couple_txn, &couple, error))
    return NULL;
  *out_created = TRUE;
  /* New invoices start Active/Billed (the create above). */
  if (!move_status (&ctx->head, id, have, want, out_changed, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- Statuses of one customer ------------------------------------------------------------- */

typedef struct
{
  GHashTable *status; /* invoice id → InvoiceStatus* */
} StatusRead;

static gboolean
status_page (const SbDataversePage *page, gpointer user_data, GError **error)
{
  StatusRead *read = user_data;

  for (guint i = 0; i < json_array_get_length (page->rows); i++)
    {
      JsonObject *row = json_array_get_object_element (page->rows, i);
      const char *id = row != NULL ? sb_json_get_guid (row, "invoiceid") : NULL;
      InvoiceStatus *s;

      if (id == NULL)
        continue;
      s = g_new (InvoiceStatus, 1);
      s->state = (int) sb_json_get_int (row, "statecode", -1);
      s->status = (int) sb_json_get_int (row, "statuscode", -1);
      g_hash_table_insert (read->status, g_ascii_strdown (id, -1), s);
    }
  return TRUE;
}

gboolean
sb_sync_invoices_refresh_statuses (Run *run, const char *customer_no, const char *account_id,
                                   GError **error)
{
  g_autoptr (GPtrArray) invoices = sb_posted_invoice_list (run->store, customer_no, NULL, error);
  g_autoptr (SbDataverseQuery) query = NULL;
  g_autoptr (GHashTable) status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  StatusRead read = { status };

  if (invoices == NULL)
    return FALSE;
  /* One read of the account's invoices instead of one per invoice. */
  query = sb_dataverse_query_new (SB_DV_INVOICES);
  sb_dataverse_query_select (query, "invoiceid", "statecode", "statuscode", NULL);
  sb_dataverse_query_set_filter (
      query, sb_dataverse_filter_guid ("_customerid_value", SB_DATAVERSE_EQ, account_id));
  if (!sb_dataverse_connection_query_sync (sb_sync_engine_get_connection (run->engine), query,
                                           status_page, &read, NULL, run->cancellable, error))
    return FALSE;
  for (guint i = 0; i < invoices->len; i++)
    {
      SbPostedInvoice *invoice = invoices->pdata[i];
      g_autoptr (SbSyncCoupling) c =
          sb_sync_coupling_find_erp (run->store, SB_SYNC_INVOICE_MAPPING, invoice->no, error);
      g_autoptr (GError) local_error = NULL;
      g_autofree char *key = NULL;
      InvoiceStatus want, *have;
      gboolean changed = FALSE;

      if (c == NULL && *error != NULL)
        return FALSE;
      if (!sb_sync_coupling_is_coupled (c) || c->pending)
        continue;
      key = g_ascii_strdown (c->dataverse_id, -1);
      have = g_hash_table_lookup (status, key);
      if (have == NULL)
        g_set_error (&local_error, SB_SYNC_ERROR, SB_SYNC_ERROR_CONFLICT,
                     _ ("Invoice %s is no longer in Dynamics 365 Sales or belongs to another "
                        "account there. Uncouple it to send it again."),
                     invoice->no);
      else if (ledger_status (run->store, invoice->no, &want, &local_error))
        move_status (run, c->dataverse_id, *have, want, &changed, &local_error);
      if (local_error != NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* Counted and logged (sb_sync_run_log_error()); the other invoices go on. */
          if (!sb_sync_run_log_error (run, invoice->no, c->dataverse_id, local_error->message,
                                      error))
            return FALSE;
        }
      else if (changed)
        run->counters.modified++;
      else
        run->counters.unchanged++;
    }
  return TRUE;
}

/* ---- Bulk -------------------------------------------------------------------------------- */

static gboolean
send_all (Ctx *ctx, GMainContext *progress_context, GError **error)
{
  Run *run = &ctx->head;
  g_autoptr (GPtrArray) invoices = sb_posted_invoice_list (ctx->store, NULL, NULL, error);
  g_autoptr (GHashTable) customers = g_hash_table_new (g_str_hash, g_str_equal);

  if (invoices == NULL)
    return FALSE;
  run->progress_context = progress_context;
  for (guint i = 0; i < invoices->len; i++)
    {
      SbPostedInvoice *invoice = invoices->pdata[i];
      g_autoptr (SbSyncCoupling) c =
          sb_sync_coupling_find_erp (ctx->store, SB_SYNC_INVOICE_MAPPING, invoice->no, error);
      g_autoptr (SbSyncCoupling) customer = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autofree char *id = NULL;
      gboolean created, changed;

      if (c == NULL && *error != NULL)
        return FALSE;
      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;
      sb_sync_run_progress (run, i, invoices->len);
      if (sb_sync_coupling_is_coupled (c) && !c->pending)
        {
          /* Sent before: its status is refreshed per customer below. */
          g_hash_table_add (customers, invoice->sell_to_customer_no);
          continue;
        }
      if (c != NULL && c->skipped)
        {
          run->counters.skipped++;
          continue;
        }
      customer =
          sb_sync_coupling_find_erp (ctx->store, "CUSTOMER", invoice->sell_to_customer_no, error);
      if (customer == NULL && *error != NULL)
        return FALSE;
      if (!sb_sync_coupling_is_coupled (customer) || customer->pending)
        {
          /* Only invoices of customers in Sales go there in bulk; "Create Invoice in Sales"
           * on one invoice creates its customer too. */
          run->counters.skipped++;
          continue;
        }
      id = send_one (ctx, invoice->no, FALSE, &created, &changed, &local_error);
      if (id == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          /* Counted, logged and remembered on the coupling (retried, then skipped). */
          if (!sb_sync_run_fail_record (run, invoice->no, NULL, local_error->message, error))
            return FALSE;
          continue;
        }
      if (created)
        run->counters.inserted++;
    }
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, customers);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        g_autoptr (GError) local_error = NULL;
        g_autofree char *account = coupled_id (run, "CUSTOMER", key, _ ("Customer"), &local_error);

        if (account == NULL)
          {
            if (!sb_sync_run_log_error (run, key, NULL, local_error->message, error))
              return FALSE;
            continue;
          }
        if (!sb_sync_invoices_refresh_statuses (run, key, account, error))
          return FALSE;
      }
  }
  sb_sync_run_progress (run, invoices->len, invoices->len);
  return TRUE;
}

static gboolean
run_send_all (SbSyncEngine *self, SbStore *store, GMainContext *progress_context,
              SbSyncCounters *out_counters, GCancellable *cancellable, GError **error)
{
  Ctx ctx;
  gboolean ok;
  g_autoptr (GError) local_error = NULL;
  /* Posted invoices as they are now: one posted while this runs wakes the job again. */
  gint64 mark = sb_store_get_change_number (store);

  if (!ctx_init (&ctx, self, store, cancellable, error))
    return FALSE;
  if (!sb_sync_run_job_start (&ctx.head, SB_SYNC_DIRECTION_TO_SALES, error))
    {
      ctx_clear (&ctx);
      return FALSE;
    }
  ok = send_all (&ctx, progress_context, &local_error);
  /* Every invoice up to the mark is in Sales (or left out on purpose): the job's ERP wake-up
   * (§2) looks at invoices posted after it. Failed ones keep it where it was. */
  if (ok && ctx.head.counters.failed == 0)
    ok = sb_sync_mapping_set_watermarks (store, SB_SYNC_INVOICE_MAPPING, mark,
                                         ctx.head.mapping->dataverse_watermark,
                                         ctx.head.mapping->delta_link, &local_error);
  sb_sync_run_job_finish (&ctx.head, ok ? ctx.head.last_failure : local_error->message);
  if (out_counters != NULL)
    *out_counters = ctx.head.counters;
  ctx_clear (&ctx);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

gboolean
sb_sync_invoices_run_mapping (SbSyncEngine *self, SbStore *store, const char *name, gboolean full,
                              GMainContext *progress_context, SbSyncCounters *out_counters,
                              GCancellable *cancellable, GError **error)
{
  if (g_ascii_strcasecmp (name, SB_SYNC_INVOICE_LINE_MAPPING) == 0)
    {
      /* Lines travel with their invoice. */
      if (out_counters != NULL)
        memset (out_counters, 0, sizeof *out_counters);
      return TRUE;
    }
  return run_send_all (self, store, progress_context, out_counters, cancellable, error);
}

/* ---- Public API -------------------------------------------------------------------------- */

SbStore *
sb_sync_worker_store (SbSyncEngine *self, GError **error)
{
  /* The engine's store belongs to the caller's thread: a worker opens its own. */
  return sb_store_open (sb_store_get_path (sb_sync_engine_get_store (self)), SB_STORE_OPEN_DEFAULT,
                        error);
}

static char *
send_invoice (SbSyncEngine *self, SbStore *store, const char *invoice_no, GCancellable *cancellable,
              GError **error)
{
  Ctx ctx;
  gboolean created, changed;
  char *id;

  if (!ctx_init (&ctx, self, store, cancellable, error))
    return NULL;
  id = send_one (&ctx, invoice_no, TRUE, &created, &changed, error);
  ctx_clear (&ctx);
  return id;
}

char *
sb_sync_engine_send_invoice_sync (SbSyncEngine *self, const char *invoice_no,
                                  GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (invoice_no != NULL, NULL);
  return send_invoice (self, sb_sync_engine_get_store (self), invoice_no, cancellable, error);
}

gboolean
sb_sync_engine_send_invoices_sync (SbSyncEngine *self, SbSyncCounters *out_counters,
                                   GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (SB_IS_SYNC_ENGINE (self), FALSE);
  return run_send_all (self, sb_sync_engine_get_store (self), NULL, out_counters, cancellable,
                       error);
}

typedef struct
{
  char *invoice_no;
  SbSyncCounters counters;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->invoice_no);
  g_free (data);
}

static void
send_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SbSyncEngine *self = source;
  SendData *data = task_data;
  GError *error = NULL;
  g_autoptr (SbStore) store = sb_sync_worker_store (self, &error);

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->invoice_no != NULL)
    {
      char *id = send_invoice (self, store, data->invoice_no, cancellable, &error);

      if (id == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, id, g_free);
      return;
    }
  if (!run_send_all (self, store, g_task_get_context (task), &data->counters, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_send (SbSyncEngine *self, const char *invoice_no, gpointer tag, GCancellable *cancellable,
            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);

  data->invoice_no = g_strdup (invoice_no);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_thread);
}

void
sb_sync_engine_send_invoice_async (SbSyncEngine *self, const char *invoice_no,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  g_return_if_fail (invoice_no != NULL);
  start_send (self, invoice_no, sb_sync_engine_send_invoice_async, cancellable, callback,
              user_data);
}

char *
sb_sync_engine_send_invoice_finish (SbSyncEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sb_sync_engine_send_invoices_async (SbSyncEngine *self, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SB_IS_SYNC_ENGINE (self));
  start_send (self, NULL, sb_sync_engine_send_invoices_async, cancellable, callback, user_data);
}

gboolean
sb_sync_engine_send_invoices_finish (SbSyncEngine *self, GAsyncResult *result,
                                     SbSyncCounters *out_counters, GError **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (out_counters != NULL)
    *out_counters = data->counters;
  return TRUE;
}
