/* sb-sales-document.c
 *
 * Quotes and orders share one header and one line table, told apart by
 * doc_type, as the ERP keeps them.  Every operation that checks a rule and
 * then writes runs in one transaction, so the rule still holds when the
 * write lands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-item.h"
#include "sb-record-check.h"
#include "sb-reference-data.h"
#include "sb-order-outbox.h"
#include "sb-sales-document.h"
#include "sb-setup.h"
#include "sb-store-private.h"

/* ---- Record types ---------------------------------------------------- */

const char *const sb_sales_doc_type_labels[] = { N_ ("Quote"), N_ ("Order"), NULL };
const char *const sb_sales_status_labels[] = { N_ ("Open"), N_ ("Released"), NULL };
const char *const sb_sales_line_type_labels[] = { N_ ("Comment"), N_ ("Item"), N_ ("Resource"),
                                                  NULL };

#define HEADER_COMMON_FIELDS(S)                                                                    \
  SB_FIELD (S, sell_to_customer_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_REQUIRED,                     \
            N_ ("Sell-to Customer No.")),                                                          \
      SB_FIELD (S, order_date, SB_FIELD_DATE, 0, 0, N_ ("Order Date")),                            \
      SB_FIELD (S, currency_code, SB_FIELD_CODE, 10, 0, N_ ("Currency Code")),                     \
      SB_FIELD (S, external_document_no, SB_FIELD_TEXT, 35, 0, N_ ("External Document No.")),      \
      SB_FIELD (S, your_reference, SB_FIELD_TEXT, 35, 0, N_ ("Your Reference")),                   \
      SB_FIELD (S, quote_no, SB_FIELD_TEXT, 20, 0, N_ ("Quote No.")),                              \
      SB_FIELD (S, quote_valid_until, SB_FIELD_DATE, 0, 0, N_ ("Quote Valid Until")),              \
      SB_FIELD (S, requested_delivery_date, SB_FIELD_DATE, 0, 0, N_ ("Requested Delivery Date")),  \
      SB_FIELD (S, last_shipment_date, SB_FIELD_DATE, 0, 0, N_ ("Last Shipment Date")),            \
      SB_FIELD (S, payment_discount_pct, SB_FIELD_DECIMAL, 0, 0, N_ ("Payment Discount %")),       \
      SB_FIELD (S, work_description, SB_FIELD_TEXT, 0, 0, N_ ("Work Description")),                \
      SB_FIELD (S, payment_terms_code, SB_FIELD_CODE, 10, 0, N_ ("Payment Terms Code")),           \
      SB_FIELD (S, salesperson_code, SB_FIELD_CODE, 20, 0, N_ ("Salesperson Code")),               \
      SB_FIELD (S, bill_to_name, SB_FIELD_TEXT, 100, 0, N_ ("Bill-to Name")),                      \
      SB_FIELD (S, bill_to_address, SB_FIELD_TEXT, 100, 0, N_ ("Bill-to Address")),                \
      SB_FIELD (S, bill_to_address_2, SB_FIELD_TEXT, 50, 0, N_ ("Bill-to Address 2")),             \
      SB_FIELD (S, bill_to_city, SB_FIELD_TEXT, 30, 0, N_ ("Bill-to City")),                       \
      SB_FIELD (S, bill_to_post_code, SB_FIELD_TEXT, 20, 0, N_ ("Bill-to Post Code")),             \
      SB_FIELD (S, bill_to_county, SB_FIELD_TEXT, 30, 0, N_ ("Bill-to County")),                   \
      SB_FIELD (S, bill_to_country_code, SB_FIELD_TEXT, 10, 0, N_ ("Bill-to Country/Region")),     \
      SB_FIELD (S, ship_to_name, SB_FIELD_TEXT, 100, 0, N_ ("Ship-to Name")),                      \
      SB_FIELD (S, ship_to_address, SB_FIELD_TEXT, 100, 0, N_ ("Ship-to Address")),                \
      SB_FIELD (S, ship_to_address_2, SB_FIELD_TEXT, 50, 0, N_ ("Ship-to Address 2")),             \
      SB_FIELD (S, ship_to_city, SB_FIELD_TEXT, 30, 0, N_ ("Ship-to City")),                       \
      SB_FIELD (S, ship_to_post_code, SB_FIELD_TEXT, 20, 0, N_ ("Ship-to Post Code")),             \
      SB_FIELD (S, ship_to_county, SB_FIELD_TEXT, 30, 0, N_ ("Ship-to County")),                   \
      SB_FIELD (S, ship_to_country_code, SB_FIELD_TEXT, 10, 0, N_ ("Ship-to Country/Region")),     \
      SB_FIELD_CHOICE (S, status, 0, N_ ("Status"), sb_sales_status_labels)

static gboolean fail_invalid (GError **error, const SbRecordType *type, gconstpointer record,
                              const char *format, ...) G_GNUC_PRINTF (4, 5);

/* "<record>: <message>", so every validation message names the record. */
static gboolean
fail_invalid (GError **error, const SbRecordType *type, gconstpointer record, const char *format,
              ...)
{
  g_autofree char *what = sb_record_describe (type, record);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID, "%s: %s", what, message);
  return FALSE;
}

static gboolean
check_percentage (const SbRecordType *t, gconstpointer record, const char *label, SbDecimal value,
                  GError **error)
{
  if (value >= 0 && value <= sb_decimal_from_int (100))
    return TRUE;
  return fail_invalid (error, t, record, _ ("%s must be between 0 and 100."), _ (label));
}

static gboolean
validate_header (SbStore *store, gconstpointer record, GError **error)
{
  const SbSalesHeader *h = record;
  const SbRecordType *t = &sb_sales_header_record_type;

  if (h->doc_type != SB_SALES_DOC_QUOTE && h->doc_type != SB_SALES_DOC_ORDER)
    return fail_invalid (error, t, h, _ ("the document type must be Quote or Order."));
  if (h->status != SB_SALES_STATUS_OPEN && h->status != SB_SALES_STATUS_RELEASED)
    return fail_invalid (error, t, h, _ ("the status must be Open or Released."));
  return check_percentage (t, h, N_ ("Payment Discount %"), h->payment_discount_pct, error) &&
         sb_check_reference (store, t, h, N_ ("Sell-to Customer No."), "customer", "no",
                             h->sell_to_customer_no, error) &&
         sb_check_reference (store, t, h, N_ ("Currency Code"), "currency", "code",
                             h->currency_code, error) &&
         sb_check_reference (store, t, h, N_ ("Payment Terms Code"), "payment_terms", "code",
                             h->payment_terms_code, error) &&
         sb_check_reference (store, t, h, N_ ("Salesperson Code"), "salesperson", "code",
                             h->salesperson_code, error);
}

static const SbField header_fields[] = {
  SB_FIELD_CHOICE (SbSalesHeader, doc_type, SB_FIELD_FLAG_KEY, N_ ("Document Type"),
                   sb_sales_doc_type_labels),
  SB_FIELD (SbSalesHeader, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  HEADER_COMMON_FIELDS (SbSalesHeader),
  SB_FIELD_CHANGE_NO (SbSalesHeader),
  SB_FIELD_MODIFIED_AT (SbSalesHeader),
};

const SbRecordType sb_sales_header_record_type = {
  "sales_header",
  N_ ("Sales Document"),
  sizeof (SbSalesHeader),
  header_fields,
  G_N_ELEMENTS (header_fields),
  "doc_type, no",
  validate_header,
  (GDestroyNotify) sb_sales_header_free,
};
SB_DEFINE_RECORD (SbSalesHeader, sb_sales_header)

/* Rules every line table shares; @amount_check is FALSE for posted lines,
 * whose amounts are a share of the order line's and so need not equal
 * quantity × price on their own. */
gboolean
sb_sales_validate_line_values (const SbRecordType *t, gconstpointer record, gint64 type,
                               const char *no, SbDecimal quantity, SbDecimal unit_price,
                               SbDecimal line_discount_amount, SbDecimal vat_pct, GError **error)
{
  switch (type)
    {
      case SB_SALES_LINE_COMMENT:
        if (*no != '\0' || quantity != 0 || unit_price != 0 || line_discount_amount != 0)
          return fail_invalid (error, t, record,
                               _ ("a comment line has only a description: no number, quantity "
                                  "or price."));
        return TRUE;
      case SB_SALES_LINE_ITEM:
      case SB_SALES_LINE_RESOURCE:
        if (*no == '\0')
          return fail_invalid (error, t, record,
                               type == SB_SALES_LINE_ITEM
                                   ? _ ("choose the item the line sells.")
                                   : _ ("choose the resource the line sells."));
        break;
      default:
        return fail_invalid (error, t, record,
                             _ ("the line type must be Comment, Item or Resource."));
    }
  return sb_check_not_negative (t, record, N_ ("Quantity"), quantity, error) &&
         sb_check_not_negative (t, record, N_ ("Unit Price"), unit_price, error) &&
         sb_check_not_negative (t, record, N_ ("Line Discount Amount"), line_discount_amount,
                                error) &&
         check_percentage (t, record, N_ ("VAT %"), vat_pct, error);
}

static gboolean
validate_line (SbStore *store, gconstpointer record, GError **error)
{
  const SbSalesLine *l = record;
  const SbRecordType *t = &sb_sales_line_record_type;

  if (!sb_sales_validate_line_values (t, l, l->type, l->no, l->quantity, l->unit_price,
                                      l->line_discount_amount, l->vat_pct, error))
    return FALSE;
  if (l->amount < 0)
    return fail_invalid (error, t, l,
                         _ ("the line discount amount is larger than quantity × unit price. "
                            "Lower the discount."));
  if (l->quantity_shipped < 0 || l->quantity_invoiced < 0 || l->quantity_shipped > l->quantity)
    return fail_invalid (error, t, l,
                         _ ("the quantity cannot be lower than the quantity already shipped."));
  return TRUE;
}

static const SbField line_fields[] = {
  SB_FIELD_CHOICE (SbSalesLine, doc_type, SB_FIELD_FLAG_KEY, N_ ("Document Type"),
                   sb_sales_doc_type_labels),
  SB_FIELD (SbSalesLine, doc_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("Document No.")),
  SB_FIELD (SbSalesLine, line_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, N_ ("Line No.")),
  SB_SALES_LINE_COMMON_FIELDS (SbSalesLine),
  SB_FIELD (SbSalesLine, quantity_shipped, SB_FIELD_DECIMAL, 0, 0, N_ ("Quantity Shipped")),
  SB_FIELD (SbSalesLine, quantity_invoiced, SB_FIELD_DECIMAL, 0, 0, N_ ("Quantity Invoiced")),
  SB_FIELD_CHANGE_NO (SbSalesLine),
  SB_FIELD_MODIFIED_AT (SbSalesLine),
};

const SbRecordType sb_sales_line_record_type = {
  "sales_line",
  N_ ("Sales Line"),
  sizeof (SbSalesLine),
  line_fields,
  G_N_ELEMENTS (line_fields),
  "doc_type, doc_no, line_no",
  validate_line,
  (GDestroyNotify) sb_sales_line_free,
};
SB_DEFINE_RECORD (SbSalesLine, sb_sales_line)

static const SbField header_archive_fields[] = {
  SB_FIELD_CHOICE (SbSalesHeaderArchive, doc_type, SB_FIELD_FLAG_KEY, N_ ("Document Type"),
                   sb_sales_doc_type_labels),
  SB_FIELD (SbSalesHeaderArchive, no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("No.")),
  SB_FIELD (SbSalesHeaderArchive, version_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY,
            N_ ("Version No.")),
  SB_FIELD (SbSalesHeaderArchive, archived_at, SB_FIELD_TEXT, 0, 0, N_ ("Archived At")),
  HEADER_COMMON_FIELDS (SbSalesHeaderArchive),
};

const SbRecordType sb_sales_header_archive_record_type = {
  "sales_header_archive",
  N_ ("Archived Sales Document"),
  sizeof (SbSalesHeaderArchive),
  header_archive_fields,
  G_N_ELEMENTS (header_archive_fields),
  "doc_type, no, version_no",
  NULL,
  (GDestroyNotify) sb_sales_header_archive_free,
};
SB_DEFINE_RECORD (SbSalesHeaderArchive, sb_sales_header_archive)

static const SbField line_archive_fields[] = {
  SB_FIELD_CHOICE (SbSalesLineArchive, doc_type, SB_FIELD_FLAG_KEY, N_ ("Document Type"),
                   sb_sales_doc_type_labels),
  SB_FIELD (SbSalesLineArchive, doc_no, SB_FIELD_TEXT, 20, SB_FIELD_FLAG_KEY, N_ ("Document No.")),
  SB_FIELD (SbSalesLineArchive, version_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, N_ ("Version No.")),
  SB_FIELD (SbSalesLineArchive, line_no, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, N_ ("Line No.")),
  SB_SALES_LINE_COMMON_FIELDS (SbSalesLineArchive),
};

const SbRecordType sb_sales_line_archive_record_type = {
  "sales_line_archive",
  N_ ("Archived Sales Line"),
  sizeof (SbSalesLineArchive),
  line_archive_fields,
  G_N_ELEMENTS (line_archive_fields),
  "doc_type, doc_no, version_no, line_no",
  NULL,
  (GDestroyNotify) sb_sales_line_archive_free,
};
SB_DEFINE_RECORD (SbSalesLineArchive, sb_sales_line_archive)

/* ---- Names ----------------------------------------------------------- */

const char *
sb_sales_doc_type_to_string (SbSalesDocType type)
{
  return type == SB_SALES_DOC_QUOTE ? "quote" : "order";
}

static const char *const line_type_names[] = { "comment", "item", "resource" };

const char *
sb_sales_line_type_to_string (SbSalesLineType type)
{
  g_return_val_if_fail (type <= SB_SALES_LINE_RESOURCE, "comment");
  return line_type_names[type];
}

gboolean
sb_sales_line_type_from_string (const char *text, SbSalesLineType *out_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_type_names); i++)
    if (g_ascii_strcasecmp (text, line_type_names[i]) == 0)
      {
        *out_type = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sb_sales_status_to_string (SbSalesStatus status)
{
  return status == SB_SALES_STATUS_RELEASED ? "released" : "open";
}

char *
sb_sales_document_describe (SbSalesDocType type, const char *no)
{
  if (type == SB_SALES_DOC_QUOTE)
    return g_strdup_printf (_ ("Sales quote %s"), no);
  return g_strdup_printf (_ ("Sales order %s"), no);
}

/* ---- Amounts --------------------------------------------------------- */

/* round (@value / @unit) half away from zero, as cents in five places:
 * the exact product is rounded once, not first to five places and then
 * again to two, which could round 0.004996 up to 0.01. */
static gboolean
round_to_cents (__int128 value, __int128 unit, SbDecimal *out_value)
{
  __int128 cents = value / unit;
  __int128 rest = value % unit;

  if (2 * rest >= unit)
    cents++;
  else if (-2 * rest >= unit)
    cents--;
  cents *= SB_DECIMAL_SCALE / 100;
  if (cents > SB_DECIMAL_MAX || cents < -SB_DECIMAL_MAX)
    return FALSE;
  *out_value = (SbDecimal) cents;
  return TRUE;
}

/* Products of two SbDecimals carry 10^10; cents are 10^2. */
#define E10_PER_CENT ((__int128) 100000000)

gboolean
sb_sales_round_vat (SbDecimal amount, SbDecimal vat_pct, SbDecimal *out_vat)
{
  /* amount × pct / 100: the product carries 10^10, the ÷ 100 joins the
   * unit, so it is still one rounding. */
  return round_to_cents ((__int128) amount * vat_pct, E10_PER_CENT * 100, out_vat);
}

gboolean
sb_sales_round_share (SbDecimal amount, SbDecimal part, SbDecimal whole, SbDecimal *out_share)
{
  g_return_val_if_fail (whole > 0, FALSE);
  /* amount × part carries 10^10 times amount × part / whole × whole. */
  return round_to_cents ((__int128) amount * part, (__int128) whole * (SB_DECIMAL_SCALE / 100),
                         out_share);
}

gboolean
sb_sales_line_compute_amounts (SbSalesLine *line, GError **error)
{
  SbDecimal vat;

  if (line->type == SB_SALES_LINE_COMMENT)
    {
      line->amount = 0;
      line->amount_including_vat = 0;
      return TRUE;
    }
  if (!round_to_cents ((__int128) line->quantity * line->unit_price -
                           (__int128) line->line_discount_amount * SB_DECIMAL_SCALE,
                       E10_PER_CENT, &line->amount) ||
      !sb_sales_round_vat (line->amount, line->vat_pct, &vat) ||
      !sb_decimal_add (line->amount, vat, &line->amount_including_vat))
    {
      g_autofree char *what = sb_record_describe (&sb_sales_line_record_type, line);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("%s: the amount is too large. Lower the quantity or the unit price."), what);
      return FALSE;
    }
  return TRUE;
}

SbDecimal
sb_sales_line_get_outstanding (const SbSalesLine *line)
{
  return line->quantity - line->quantity_shipped;
}

void
sb_sales_totals_from_lines (GPtrArray *lines, SbSalesTotals *out_totals)
{
  memset (out_totals, 0, sizeof *out_totals);
  for (guint i = 0; i < lines->len; i++)
    {
      const SbSalesLine *l = g_ptr_array_index (lines, i);

      out_totals->line_discount_amount += l->line_discount_amount;
      out_totals->amount += l->amount;
      out_totals->amount_including_vat += l->amount_including_vat;
    }
  out_totals->vat_amount = out_totals->amount_including_vat - out_totals->amount;
}

/* ---- Descriptions ---------------------------------------------------- */

GStrv
sb_sales_split_description (const char *text, guint max_chars)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *flat = NULL;
  const char *p;

  g_return_val_if_fail (max_chars > 0, NULL);

  /* Line breaks and tabs in a long text would show as boxes in one-line
   * descriptions; they become spaces and so word boundaries. */
  flat = g_strdup (text != NULL ? text : "");
  for (char *c = flat; *c != '\0'; c++)
    if (*c == '\n' || *c == '\r' || *c == '\t' || *c == '\v' || *c == '\f')
      *c = ' ';

  p = flat;
  for (;;)
    {
      const char *limit;
      const char *cut = NULL;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      if ((guint) g_utf8_strlen (p, -1) <= max_chars)
        {
          g_autofree char *piece = g_strchomp (g_strdup (p));
          g_strv_builder_add (builder, piece);
          break;
        }
      /* The character just past the limit may itself be the space to
       * break at, so the search includes it. */
      limit = g_utf8_offset_to_pointer (p, max_chars);
      for (const char *q = p; q <= limit; q = g_utf8_next_char (q))
        if (*q == ' ')
          cut = q;
      if (cut == NULL)
        cut = limit; /* one word longer than a line: cut it */
      {
        g_autofree char *piece = g_strchomp (g_strndup (p, cut - p));
        g_strv_builder_add (builder, piece);
      }
      p = cut;
    }
  return g_strv_builder_end (builder);
}

/* ---- Helpers --------------------------------------------------------- */

void
sb_sales_copy_matching_fields (const SbRecordType *from_type, gconstpointer from,
                               const SbRecordType *to_type, gpointer to)
{
  for (guint i = 0; i < to_type->n_fields; i++)
    {
      const SbField *dest = &to_type->fields[i];
      const SbField *src;

      if (dest->flags & SB_FIELD_FLAG_SYSTEM)
        continue;
      src = sb_record_type_find_field (from_type, dest->name);
      if (src == NULL)
        continue;
      if (dest->type == SB_FIELD_TEXT || dest->type == SB_FIELD_CODE || dest->type == SB_FIELD_DATE)
        sb_record_set_text (dest, to, sb_record_get_text (src, from));
      else
        sb_record_set_int (dest, to, sb_record_get_int (src, from));
    }
}

static gboolean
query_int64 (SbStore *store, const char *sql, gint64 doc_type, const char *no, gint64 *out_value,
             GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, doc_type);
  sb_bind_text (stmt, 2, no);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  else
    *out_value = 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sb_store_set_error (store, error);
  return TRUE;
}

static gboolean
check_open (const SbSalesHeader *header, GError **error)
{
  g_autofree char *what = NULL;

  if (header->status == SB_SALES_STATUS_OPEN)
    return TRUE;
  what = sb_sales_document_describe (header->doc_type, header->no);
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
               _ ("%s is released and cannot be changed. Reopen it first."), what);
  return FALSE;
}

gboolean
sb_sales_check_customer_not_blocked (const SbCustomer *customer, GError **error)
{
  if (!customer->blocked)
    return TRUE;
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
               _ ("Customer %s (%s) is blocked. Unblock the customer to sell to them."),
               customer->no, customer->name);
  return FALSE;
}

SbSalesHeader *
sb_sales_document_get (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  g_autoptr (SbSalesHeader) key = sb_sales_header_new ();
  g_autoptr (GError) local_error = NULL;
  SbSalesHeader *header;

  key->doc_type = type;
  g_free (key->no);
  key->no = g_strdup (no);
  header = sb_record_lookup (store, &sb_sales_header_record_type, key, &local_error);
  if (header == NULL)
    {
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
        {
          g_autofree char *what = sb_sales_document_describe (type, no);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
                       _ ("%s does not exist. Check the number; a fully posted order is no "
                          "longer open."),
                       what);
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return header;
}

GPtrArray *
sb_sales_document_get_lines (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  const char *params[] = { no, NULL };

  return sb_record_list (store, &sb_sales_line_record_type,
                         type == SB_SALES_DOC_QUOTE ? "doc_type = 0 AND doc_no = ?1"
                                                    : "doc_type = 1 AND doc_no = ?1",
                         params, error);
}

GPtrArray *
sb_sales_document_list (SbStore *store, SbSalesDocType type, const char *customer_no,
                        const char *search, GError **error)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *pattern = NULL;
  const char *params[3] = { NULL, NULL, NULL };
  guint n = 0;

  g_string_printf (where, "doc_type = %d", type == SB_SALES_DOC_QUOTE ? 0 : 1);
  if (customer_no != NULL && *customer_no != '\0')
    {
      params[n++] = customer_no;
      g_string_append_printf (where, " AND sell_to_customer_no = ?%u", n);
    }
  if (search != NULL && *search != '\0')
    {
      pattern = g_strdup_printf ("%%%s%%", search);
      params[n++] = pattern;
      g_string_append_printf (where,
                              " AND (no LIKE ?%u OR sell_to_customer_no LIKE ?%u"
                              " OR bill_to_name LIKE ?%u OR external_document_no LIKE ?%u"
                              " OR your_reference LIKE ?%u)",
                              n, n, n, n, n);
    }
  return sb_record_list (store, &sb_sales_header_record_type, where->str, params, error);
}

/* ---- Creating and changing headers ---------------------------------- */

static gboolean
all_blank (const char *const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    if (*values[i] != '\0')
      return FALSE;
  return TRUE;
}

static void
set_if_blank (char **field, const char *value)
{
  if (**field == '\0' && value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

static void
copy_customer_address (const SbCustomer *c, char **name, char **address, char **address_2,
                       char **city, char **post_code, char **county, char **country_code)
{
  const char *current[] = { *name,      *address, *address_2,    *city,
                            *post_code, *county,  *country_code, NULL };

  /* Only a wholly blank address is filled in: mixing a given street with
   * the customer's city would make an address nobody has. */
  if (!all_blank (current))
    return;
  set_if_blank (name, c->name);
  set_if_blank (address, c->address);
  set_if_blank (address_2, c->address_2);
  set_if_blank (city, c->city);
  set_if_blank (post_code, c->post_code);
  set_if_blank (county, c->county);
  set_if_blank (country_code, c->country_code);
}

static gboolean
create_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  SbSalesHeader *h = user_data;
  g_autoptr (SbCustomer) customer = sb_customer_lookup (store, h->sell_to_customer_no, error);

  if (customer == NULL || !sb_sales_check_customer_not_blocked (customer, error))
    return FALSE;

  if (*h->no == '\0')
    {
      g_autofree char *no = sb_no_series_next_for (
          store, h->doc_type == SB_SALES_DOC_QUOTE ? SB_NO_SERIES_QUOTE : SB_NO_SERIES_ORDER,
          error);
      if (no == NULL)
        return FALSE;
      g_free (h->no);
      h->no = g_steal_pointer (&no);
    }
  if (*h->order_date == '\0')
    {
      g_free (h->order_date);
      h->order_date = sb_get_work_date ();
    }
  set_if_blank (&h->currency_code, customer->currency_code);
  set_if_blank (&h->payment_terms_code, customer->payment_terms_code);
  set_if_blank (&h->salesperson_code, customer->salesperson_code);
  copy_customer_address (customer, &h->bill_to_name, &h->bill_to_address, &h->bill_to_address_2,
                         &h->bill_to_city, &h->bill_to_post_code, &h->bill_to_county,
                         &h->bill_to_country_code);
  copy_customer_address (customer, &h->ship_to_name, &h->ship_to_address, &h->ship_to_address_2,
                         &h->ship_to_city, &h->ship_to_post_code, &h->ship_to_county,
                         &h->ship_to_country_code);
  h->status = SB_SALES_STATUS_OPEN;
  return sb_record_insert (store, &sb_sales_header_record_type, h, error);
}

gboolean
sb_sales_document_create (SbStore *store, SbSalesHeader *header, GError **error)
{
  g_return_val_if_fail (header != NULL, FALSE);

  if (header->doc_type != SB_SALES_DOC_QUOTE && header->doc_type != SB_SALES_DOC_ORDER)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("A sales document is either a quote or an order."));
      return FALSE;
    }
  if (*header->sell_to_customer_no == '\0')
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Choose the customer the quote or order is for."));
      return FALSE;
    }
  return sb_store_run_in_transaction (store, create_in_transaction, header, error);
}

static gboolean
update_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  SbSalesHeader *h = user_data;
  g_autoptr (SbSalesHeader) current = sb_sales_document_get (store, h->doc_type, h->no, error);

  if (current == NULL || !check_open (current, error))
    return FALSE;
  h->status = current->status;
  if (!g_str_equal (h->sell_to_customer_no, current->sell_to_customer_no))
    {
      g_autoptr (SbCustomer) customer = sb_customer_lookup (store, h->sell_to_customer_no, error);
      if (customer == NULL || !sb_sales_check_customer_not_blocked (customer, error))
        return FALSE;
    }
  return sb_record_update (store, &sb_sales_header_record_type, h, error);
}

gboolean
sb_sales_document_update (SbStore *store, SbSalesHeader *header, GError **error)
{
  return sb_store_run_in_transaction (store, update_in_transaction, header, error);
}

static gboolean
delete_lines_where (SbStore *store, SbSalesDocType type, const char *no, const char *extra_where,
                    gint64 extra_value, GError **error)
{
  g_autofree char *where = NULL;
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, extra_value);
  const char *params[] = { no, value, NULL };
  g_autoptr (GPtrArray) lines = NULL;

  where =
      g_strdup_printf ("doc_type = %d AND doc_no = ?1%s%s", type == SB_SALES_DOC_QUOTE ? 0 : 1,
                       extra_where != NULL ? " AND " : "", extra_where != NULL ? extra_where : "");
  if (extra_where == NULL)
    params[1] = NULL;
  lines = sb_record_list (store, &sb_sales_line_record_type, where, params, error);
  if (lines == NULL)
    return FALSE;
  /* One by one so each leaves a tombstone for "changed since" readers. */
  for (guint i = 0; i < lines->len; i++)
    if (!sb_record_delete (store, &sb_sales_line_record_type, g_ptr_array_index (lines, i), error))
      return FALSE;
  return TRUE;
}

typedef struct
{
  SbSalesDocType type;
  const char *no;
  gint64 line_no;
  gint64 version_no;
  const char *text;
  SbSalesLine *line;
  gboolean keep_unit_price;
} DocOp;

static gboolean
delete_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->no, error);

  if (header == NULL || !check_open (header, error))
    return FALSE;
  /* An order taken from Sales goes back to Active there (§5). */
  if (header->doc_type == SB_SALES_DOC_ORDER &&
      !sb_order_outbox_order_deleted (store, header->no, error))
    return FALSE;
  return sb_sales_document_delete_unchecked (store, header, error);
}

gboolean
sb_sales_document_delete_unchecked (SbStore *store, SbSalesHeader *header, GError **error)
{
  return delete_lines_where (store, header->doc_type, header->no, NULL, 0, error) &&
         sb_record_delete (store, &sb_sales_header_record_type, header, error);
}

gboolean
sb_sales_document_delete (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  DocOp op = { type, no, 0, 0, NULL, NULL, FALSE };

  return sb_store_run_in_transaction (store, delete_in_transaction, &op, error);
}

/* ---- Lines ----------------------------------------------------------- */

static gboolean
fail_blocked (const char *what, const char *no, const char *name, GError **error)
{
  g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
               /* TRANSLATORS: "Item 1000 (Bicycle) is blocked…" */
               _ ("%s %s (%s) is blocked and cannot be sold. Unblock it or choose another one."),
               what, no, name);
  return FALSE;
}

/* The document currency as the sales prices key it: '' for local. */
static gboolean
price_currency (SbStore *store, const SbSalesHeader *header, char **out_code, GError **error)
{
  g_autoptr (SbGeneralSetup) setup = NULL;

  if (*header->currency_code == '\0')
    {
      *out_code = g_strdup ("");
      return TRUE;
    }
  setup = sb_general_setup_get (store, error);
  if (setup == NULL)
    return FALSE;
  *out_code = g_strdup (
      g_str_equal (setup->local_currency_code, header->currency_code) ? "" : header->currency_code);
  return TRUE;
}

/* A unit price kept in the local currency, in the document's currency:
 * divided by the exchange rate (local per one foreign unit) and kept to
 * five places like any unit price. */
static gboolean
local_price_to_document (SbStore *store, const char *currency_code, SbDecimal local_price,
                         SbDecimal *out_price, GError **error)
{
  g_autoptr (SbCurrency) currency = NULL;

  if (*currency_code == '\0')
    {
      *out_price = local_price;
      return TRUE;
    }
  currency = sb_code_record_lookup (store, &sb_currency_record_type, currency_code, error);
  if (currency == NULL)
    return FALSE;
  if (!sb_decimal_mul_div (local_price, SB_DECIMAL_ONE, currency->exchange_rate, out_price))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("The unit price is too large to convert to %s."), currency_code);
      return FALSE;
    }
  return TRUE;
}

static gboolean
fill_from_item (SbStore *store, const SbSalesHeader *header, SbSalesLine *line,
                gboolean keep_unit_price, GError **error)
{
  g_autoptr (SbItem) item = sb_code_record_lookup (store, &sb_item_record_type, line->no, error);
  g_autoptr (SbCustomer) customer = NULL;
  g_autofree char *currency = NULL;
  gboolean found = FALSE;
  SbDecimal price = 0;

  if (item == NULL)
    return FALSE;
  if (item->blocked)
    return fail_blocked (_ ("Item"), item->no, item->description, error);
  set_if_blank (&line->description, item->description);
  set_if_blank (&line->unit_code, item->base_unit_code);
  if (keep_unit_price)
    return TRUE;

  customer = sb_customer_lookup (store, header->sell_to_customer_no, error);
  if (customer == NULL || !price_currency (store, header, &currency, error))
    return FALSE;
  if (*customer->price_group_code != '\0' &&
      !sb_sales_price_find (store, item->no, customer->price_group_code, currency, line->unit_code,
                            &price, &found, error))
    return FALSE;
  if (found)
    line->unit_price = price;
  else if (!local_price_to_document (store, currency, item->unit_price, &line->unit_price, error))
    return FALSE;
  return TRUE;
}

static gboolean
fill_from_resource (SbStore *store, const SbSalesHeader *header, SbSalesLine *line,
                    gboolean keep_unit_price, GError **error)
{
  g_autoptr (SbResource) resource =
      sb_code_record_lookup (store, &sb_resource_record_type, line->no, error);
  g_autofree char *currency = NULL;

  if (resource == NULL)
    return FALSE;
  if (resource->blocked)
    return fail_blocked (_ ("Resource"), resource->no, resource->name, error);
  set_if_blank (&line->description, resource->name);
  set_if_blank (&line->unit_code, resource->base_unit_code);
  if (keep_unit_price)
    return TRUE;
  /* Resources have no price-group prices in these books. */
  return price_currency (store, header, &currency, error) &&
         local_price_to_document (store, currency, resource->unit_price, &line->unit_price, error);
}

static gboolean
add_line_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  SbSalesLine *line = op->line;
  g_autoptr (SbSalesHeader) header =
      sb_sales_document_get (store, line->doc_type, line->doc_no, error);

  if (header == NULL || !check_open (header, error))
    return FALSE;

  switch (line->type)
    {
      case SB_SALES_LINE_ITEM:
        if (*line->no != '\0' && !fill_from_item (store, header, line, op->keep_unit_price, error))
          return FALSE;
        break;
      case SB_SALES_LINE_RESOURCE:
        if (*line->no != '\0' &&
            !fill_from_resource (store, header, line, op->keep_unit_price, error))
          return FALSE;
        break;
      case SB_SALES_LINE_COMMENT:
      default:
        break;
    }

  if (line->attached_to_line_no != 0)
    {
      g_autoptr (SbSalesLine) key = sb_sales_line_new ();
      g_autoptr (SbSalesLine) parent = NULL;

      key->doc_type = line->doc_type;
      g_free (key->doc_no);
      key->doc_no = g_strdup (line->doc_no);
      key->line_no = line->attached_to_line_no;
      parent = sb_record_lookup (store, &sb_sales_line_record_type, key, error);
      if (parent == NULL)
        return FALSE;
    }

  if (line->line_no == 0)
    {
      gint64 last;

      if (!query_int64 (store,
                        "SELECT coalesce (max (line_no), 0) FROM sales_line"
                        " WHERE doc_type = ?1 AND doc_no = ?2",
                        line->doc_type, line->doc_no, &last, error))
        return FALSE;
      line->line_no = (last / SB_SALES_LINE_NO_STEP + 1) * SB_SALES_LINE_NO_STEP;
    }
  line->quantity_shipped = 0;
  line->quantity_invoiced = 0;
  return sb_sales_line_compute_amounts (line, error) &&
         sb_record_insert (store, &sb_sales_line_record_type, line, error);
}

gboolean
sb_sales_document_add_line (SbStore *store, SbSalesLine *line, gboolean keep_unit_price,
                            GError **error)
{
  DocOp op = { 0 };

  op.line = line;
  op.keep_unit_price = keep_unit_price;
  return sb_store_run_in_transaction (store, add_line_in_transaction, &op, error);
}

static gboolean
add_comment (SbStore *store, SbSalesDocType type, const char *no, const char *text,
             gint64 attached_to_line_no, GError **error)
{
  g_autoptr (SbSalesLine) line = sb_sales_line_new ();
  DocOp op = { 0 };

  line->doc_type = type;
  g_free (line->doc_no);
  line->doc_no = g_strdup (no);
  line->type = SB_SALES_LINE_COMMENT;
  g_free (line->description);
  line->description = g_strdup (text);
  line->attached_to_line_no = attached_to_line_no;
  op.line = line;
  return add_line_in_transaction (store, &op, error);
}

static gboolean
add_line_long_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_auto (GStrv) parts = sb_sales_split_description (op->text, SB_SALES_LINE_DESCRIPTION_MAX);

  if (parts[0] != NULL)
    {
      g_free (op->line->description);
      op->line->description = g_strdup (parts[0]);
    }
  if (!add_line_in_transaction (store, op, error))
    return FALSE;
  for (guint i = 1; parts[0] != NULL && parts[i] != NULL; i++)
    if (!add_comment (store, op->line->doc_type, op->line->doc_no, parts[i], op->line->line_no,
                      error))
      return FALSE;
  return TRUE;
}

gboolean
sb_sales_document_add_line_long (SbStore *store, SbSalesLine *line, gboolean keep_unit_price,
                                 const char *text, GError **error)
{
  DocOp op = { 0 };

  op.line = line;
  op.keep_unit_price = keep_unit_price;
  op.text = text;
  return sb_store_run_in_transaction (store, add_line_long_in_transaction, &op, error);
}

static gboolean
add_comment_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;

  return add_comment (store, op->type, op->no, op->text, op->line_no, error);
}

gboolean
sb_sales_document_add_comment (SbStore *store, SbSalesDocType type, const char *no,
                               const char *text, gint64 attached_to_line_no, GError **error)
{
  DocOp op = { type, no, attached_to_line_no, 0, text, NULL, FALSE };

  return sb_store_run_in_transaction (store, add_comment_in_transaction, &op, error);
}

static gboolean
update_line_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  SbSalesLine *line = op->line;
  g_autoptr (SbSalesHeader) header =
      sb_sales_document_get (store, line->doc_type, line->doc_no, error);
  g_autoptr (SbSalesLine) current = NULL;

  if (header == NULL || !check_open (header, error))
    return FALSE;
  current = sb_record_lookup (store, &sb_sales_line_record_type, line, error);
  if (current == NULL)
    return FALSE;
  /* Posting owns these; an edit cannot undo a shipment. */
  line->quantity_shipped = current->quantity_shipped;
  line->quantity_invoiced = current->quantity_invoiced;
  return sb_sales_line_compute_amounts (line, error) &&
         sb_record_update (store, &sb_sales_line_record_type, line, error);
}

gboolean
sb_sales_document_update_line (SbStore *store, SbSalesLine *line, GError **error)
{
  DocOp op = { 0 };

  op.line = line;
  return sb_store_run_in_transaction (store, update_line_in_transaction, &op, error);
}

static gboolean
delete_line_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->no, error);
  g_autoptr (SbSalesLine) key = sb_sales_line_new ();
  g_autoptr (SbSalesLine) line = NULL;

  if (header == NULL || !check_open (header, error))
    return FALSE;
  key->doc_type = op->type;
  g_free (key->doc_no);
  key->doc_no = g_strdup (op->no);
  key->line_no = op->line_no;
  line = sb_record_lookup (store, &sb_sales_line_record_type, key, error);
  if (line == NULL)
    return FALSE;
  if (line->quantity_shipped != 0)
    {
      g_autofree char *what = sb_record_describe (&sb_sales_line_record_type, line);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("%s has been shipped in part and cannot be deleted. Lower its quantity "
                      "to what was shipped instead."),
                   what);
      return FALSE;
    }
  return delete_lines_where (store, op->type, op->no, "attached_to_line_no = ?2", op->line_no,
                             error) &&
         sb_record_delete (store, &sb_sales_line_record_type, line, error);
}

gboolean
sb_sales_document_delete_line (SbStore *store, SbSalesDocType type, const char *no, gint64 line_no,
                               GError **error)
{
  DocOp op = { type, no, line_no, 0, NULL, NULL, FALSE };

  return sb_store_run_in_transaction (store, delete_line_in_transaction, &op, error);
}

static gboolean
delete_lines_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->no, error);
  gint64 shipped;

  if (header == NULL || !check_open (header, error))
    return FALSE;
  if (!query_int64 (store,
                    "SELECT count (*) FROM sales_line WHERE doc_type = ?1"
                    " AND doc_no = ?2 AND quantity_shipped <> 0",
                    op->type, op->no, &shipped, error))
    return FALSE;
  if (shipped > 0)
    {
      g_autofree char *what = sb_sales_document_describe (op->type, op->no);
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                   _ ("%s has lines that were shipped in part; its lines cannot be replaced."),
                   what);
      return FALSE;
    }
  return delete_lines_where (store, op->type, op->no, NULL, 0, error);
}

gboolean
sb_sales_document_delete_lines (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  DocOp op = { type, no, 0, 0, NULL, NULL, FALSE };

  return sb_store_run_in_transaction (store, delete_lines_in_transaction, &op, error);
}

/* ---- Release and reopen --------------------------------------------- */

gboolean
sb_sales_document_set_status (SbStore *store, SbSalesHeader *header, SbSalesStatus status,
                              GError **error)
{
  if (header->status == (gint64) status)
    return TRUE;
  if (status == SB_SALES_STATUS_RELEASED)
    {
      gint64 n_lines;

      if (!query_int64 (store,
                        "SELECT count (*) FROM sales_line WHERE doc_type = ?1"
                        " AND doc_no = ?2 AND type <> 0 AND quantity <> 0",
                        header->doc_type, header->no, &n_lines, error))
        return FALSE;
      if (n_lines == 0)
        {
          g_autofree char *what = sb_sales_document_describe (header->doc_type, header->no);
          g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_WRONG_STATE,
                       _ ("There is nothing to release: %s has no item or resource line with a "
                          "quantity. Add one first."),
                       what);
          return FALSE;
        }
    }
  header->status = status;
  /* §5: releasing an order taken from Sales posts to its timeline. */
  if (status == SB_SALES_STATUS_RELEASED && header->doc_type == SB_SALES_DOC_ORDER &&
      !sb_order_outbox_record (store, header->no, SB_ORDER_OUTBOX_POST,
                               _ ("The order status has changed to Released."), error))
    return FALSE;
  return sb_record_update (store, &sb_sales_header_record_type, header, error);
}

static gboolean
set_status_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->no, error);

  return header != NULL && sb_sales_document_set_status (store, header, op->line_no, error);
}

gboolean
sb_sales_document_release (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  DocOp op = { type, no, SB_SALES_STATUS_RELEASED, 0, NULL, NULL, FALSE };

  return sb_store_run_in_transaction (store, set_status_in_transaction, &op, error);
}

gboolean
sb_sales_document_reopen (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  DocOp op = { type, no, SB_SALES_STATUS_OPEN, 0, NULL, NULL, FALSE };

  return sb_store_run_in_transaction (store, set_status_in_transaction, &op, error);
}

/* ---- Totals ---------------------------------------------------------- */

gboolean
sb_sales_document_get_totals (SbStore *store, SbSalesDocType type, const char *no,
                              SbSalesTotals *out_totals, GError **error)
{
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, type, no, error);
  g_autoptr (GPtrArray) lines = NULL;

  if (header == NULL)
    return FALSE;
  lines = sb_sales_document_get_lines (store, type, no, error);
  if (lines == NULL)
    return FALSE;
  sb_sales_totals_from_lines (lines, out_totals);
  return TRUE;
}

/* ---- Archive --------------------------------------------------------- */

static gboolean
archive_in_transaction (SbStore *store, gpointer user_data, GError **error)
{
  DocOp *op = user_data;
  g_autoptr (SbSalesHeader) header = sb_sales_document_get (store, op->type, op->no, error);
  g_autoptr (SbSalesHeaderArchive) version = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  gint64 last;

  if (header == NULL)
    return FALSE;
  lines = sb_sales_document_get_lines (store, op->type, op->no, error);
  if (lines == NULL ||
      !query_int64 (store,
                    "SELECT coalesce (max (version_no), 0) FROM sales_header_archive"
                    " WHERE doc_type = ?1 AND no = ?2",
                    op->type, op->no, &last, error))
    return FALSE;

  version = sb_sales_header_archive_new ();
  sb_sales_copy_matching_fields (&sb_sales_header_record_type, header,
                                 &sb_sales_header_archive_record_type, version);
  version->version_no = last + 1;
  g_free (version->archived_at);
  version->archived_at = g_strdup (sb_store_get_now (store));
  if (!sb_record_insert (store, &sb_sales_header_archive_record_type, version, error))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr (SbSalesLineArchive) line = sb_sales_line_archive_new ();

      sb_sales_copy_matching_fields (&sb_sales_line_record_type, g_ptr_array_index (lines, i),
                                     &sb_sales_line_archive_record_type, line);
      line->version_no = version->version_no;
      if (!sb_record_insert (store, &sb_sales_line_archive_record_type, line, error))
        return FALSE;
    }
  op->version_no = version->version_no;
  return TRUE;
}

gint64
sb_sales_document_archive (SbStore *store, SbSalesDocType type, const char *no, GError **error)
{
  DocOp op = { type, no, 0, 0, NULL, NULL, FALSE };

  if (!sb_store_run_in_transaction (store, archive_in_transaction, &op, error))
    return 0;
  return op.version_no;
}

GPtrArray *
sb_sales_document_list_versions (SbStore *store, SbSalesDocType type, const char *no,
                                 GError **error)
{
  const char *params[] = { no, NULL };

  return sb_record_list (store, &sb_sales_header_archive_record_type,
                         type == SB_SALES_DOC_QUOTE ? "doc_type = 0 AND no = ?1"
                                                    : "doc_type = 1 AND no = ?1",
                         params, error);
}

SbSalesHeaderArchive *
sb_sales_document_get_version (SbStore *store, SbSalesDocType type, const char *no,
                               gint64 version_no, GError **error)
{
  g_autoptr (SbSalesHeaderArchive) key = sb_sales_header_archive_new ();
  g_autoptr (GError) local_error = NULL;
  SbSalesHeaderArchive *version;

  key->doc_type = type;
  g_free (key->no);
  key->no = g_strdup (no);
  key->version_no = version_no;
  version = sb_record_lookup (store, &sb_sales_header_archive_record_type, key, &local_error);
  if (version == NULL)
    {
      if (g_error_matches (local_error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND))
        {
          g_autofree char *what = sb_sales_document_describe (type, no);
          g_set_error (
              error, SB_CORE_ERROR, SB_CORE_ERROR_NOT_FOUND,
              _ ("%s has no archived version %" PRId64 ". List its versions to see which exist."),
              what, version_no);
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return version;
}

GPtrArray *
sb_sales_document_get_version_lines (SbStore *store, SbSalesDocType type, const char *no,
                                     gint64 version_no, GError **error)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, version_no);
  const char *params[] = { no, version, NULL };

  return sb_record_list (store, &sb_sales_line_archive_record_type,
                         type == SB_SALES_DOC_QUOTE
                             ? "doc_type = 0 AND doc_no = ?1 AND version_no = ?2"
                             : "doc_type = 1 AND doc_no = ?1 AND version_no = ?2",
                         params, error);
}
