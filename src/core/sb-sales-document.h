/* sb-sales-document.h: sales quotes and orders (header + lines), their
 * release state and their archived versions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-customer.h"
#include "sb-record.h"

G_BEGIN_DECLS

typedef enum
{
  SB_SALES_DOC_QUOTE = 0,
  SB_SALES_DOC_ORDER = 1,
} SbSalesDocType;

typedef enum
{
  SB_SALES_LINE_COMMENT = 0,
  SB_SALES_LINE_ITEM = 1,
  SB_SALES_LINE_RESOURCE = 2,
} SbSalesLineType;

typedef enum
{
  SB_SALES_STATUS_OPEN = 0,
  SB_SALES_STATUS_RELEASED = 1,
} SbSalesStatus;

/* A line description holds this many characters; longer text continues in
 * attached comment lines (sb_sales_document_add_line_long()). */
/* Labels of the enumerations above, for SbField.choices. */
extern const char *const sb_sales_doc_type_labels[];
extern const char *const sb_sales_status_labels[];
extern const char *const sb_sales_line_type_labels[];

#define SB_SALES_LINE_DESCRIPTION_MAX 100
/* Line numbers go 10000, 20000, … so lines can be put in between later. */
#define SB_SALES_LINE_NO_STEP 10000

typedef struct
{
  gint64 doc_type; /* SbSalesDocType */
  char *no;
  char *sell_to_customer_no;
  char *order_date;
  char *currency_code; /* blank = local currency */
  char *external_document_no;
  char *your_reference;
  char *quote_no;
  char *quote_valid_until;
  char *requested_delivery_date;
  char *last_shipment_date;
  SbDecimal payment_discount_pct;
  char *work_description;
  char *payment_terms_code;
  char *salesperson_code;
  char *bill_to_name;
  char *bill_to_address;
  char *bill_to_address_2;
  char *bill_to_city;
  char *bill_to_post_code;
  char *bill_to_county;
  char *bill_to_country_code;
  char *ship_to_name;
  char *ship_to_address;
  char *ship_to_address_2;
  char *ship_to_city;
  char *ship_to_post_code;
  char *ship_to_county;
  char *ship_to_country_code;
  gint64 status; /* SbSalesStatus */
  gint64 change_no;
  char *modified_at;
} SbSalesHeader;
SB_DECLARE_RECORD (SbSalesHeader, sb_sales_header)

typedef struct
{
  gint64 doc_type; /* SbSalesDocType */
  char *doc_no;
  gint64 line_no;
  gint64 type; /* SbSalesLineType */
  char *no;    /* item or resource no.; blank on comment lines */
  char *description;
  gint64 attached_to_line_no; /* comment lines continuing a line's text */
  SbDecimal quantity;
  char *unit_code;
  SbDecimal unit_price; /* in the document's currency */
  SbDecimal line_discount_amount;
  SbDecimal vat_pct;
  SbDecimal amount;               /* excl. VAT, after the line discount */
  SbDecimal amount_including_vat; /* amount + rounded VAT */
  SbDecimal quantity_shipped;
  SbDecimal quantity_invoiced;
  gint64 change_no;
  char *modified_at;
} SbSalesLine;
SB_DECLARE_RECORD (SbSalesLine, sb_sales_line)

/* A version of a document kept by sb_sales_document_archive(). */
typedef struct
{
  gint64 doc_type;
  char *no;
  gint64 version_no; /* 1, 2, … per document */
  char *archived_at; /* ISO 8601 UTC */
  char *sell_to_customer_no;
  char *order_date;
  char *currency_code;
  char *external_document_no;
  char *your_reference;
  char *quote_no;
  char *quote_valid_until;
  char *requested_delivery_date;
  char *last_shipment_date;
  SbDecimal payment_discount_pct;
  char *work_description;
  char *payment_terms_code;
  char *salesperson_code;
  char *bill_to_name;
  char *bill_to_address;
  char *bill_to_address_2;
  char *bill_to_city;
  char *bill_to_post_code;
  char *bill_to_county;
  char *bill_to_country_code;
  char *ship_to_name;
  char *ship_to_address;
  char *ship_to_address_2;
  char *ship_to_city;
  char *ship_to_post_code;
  char *ship_to_county;
  char *ship_to_country_code;
  gint64 status;
} SbSalesHeaderArchive;
SB_DECLARE_RECORD (SbSalesHeaderArchive, sb_sales_header_archive)

typedef struct
{
  gint64 doc_type;
  char *doc_no;
  gint64 version_no;
  gint64 line_no;
  gint64 type;
  char *no;
  char *description;
  gint64 attached_to_line_no;
  SbDecimal quantity;
  char *unit_code;
  SbDecimal unit_price;
  SbDecimal line_discount_amount;
  SbDecimal vat_pct;
  SbDecimal amount;
  SbDecimal amount_including_vat;
} SbSalesLineArchive;
SB_DECLARE_RECORD (SbSalesLineArchive, sb_sales_line_archive)

/* Field descriptions of the line columns every line table shares (sales,
 * archived and posted invoice lines), for record types over those tables:
 * @S is the struct, which must have members of these names. */
#define SB_SALES_LINE_COMMON_FIELDS(S)                                                             \
  SB_FIELD_CHOICE (S, type, 0, N_ ("Type"), sb_sales_line_type_labels),                            \
      SB_FIELD (S, no, SB_FIELD_TEXT, 20, 0, N_ ("No.")),                                          \
      SB_FIELD (S, description, SB_FIELD_TEXT, SB_SALES_LINE_DESCRIPTION_MAX, 0,                   \
                N_ ("Description")),                                                               \
      SB_FIELD (S, attached_to_line_no, SB_FIELD_INT, 0, 0, N_ ("Attached to Line No.")),          \
      SB_FIELD (S, quantity, SB_FIELD_DECIMAL, 0, 0, N_ ("Quantity")),                             \
      SB_FIELD (S, unit_code, SB_FIELD_TEXT, 10, 0, N_ ("Unit of Measure")),                       \
      SB_FIELD (S, unit_price, SB_FIELD_DECIMAL, 0, 0, N_ ("Unit Price")),                         \
      SB_FIELD (S, line_discount_amount, SB_FIELD_DECIMAL, 0, 0, N_ ("Line Discount Amount")),     \
      SB_FIELD (S, vat_pct, SB_FIELD_DECIMAL, 0, 0, N_ ("VAT %")),                                 \
      SB_FIELD (S, amount, SB_FIELD_DECIMAL, 0, 0, N_ ("Amount")),                                 \
      SB_FIELD (S, amount_including_vat, SB_FIELD_DECIMAL, 0, 0, N_ ("Amount Including VAT"))

/* Stable names: "quote", "order"; "comment", "item", "resource";
 * "open", "released". */
const char *sb_sales_doc_type_to_string (SbSalesDocType type);
const char *sb_sales_line_type_to_string (SbSalesLineType type);
gboolean sb_sales_line_type_from_string (const char *text, SbSalesLineType *out_type);
const char *sb_sales_status_to_string (SbSalesStatus status);
/* "Sales order SO00001", translated: how messages name a document. */
char *sb_sales_document_describe (SbSalesDocType type, const char *no);

/* amount = round2 (quantity × unit price − line discount amount);
 * amount including VAT = amount + round2 (amount × VAT % / 100).
 * Comment lines have no amounts.  Fails only on overflow. */
gboolean sb_sales_line_compute_amounts (SbSalesLine *line, GError **error);
/* Quantity not shipped yet. */
SbDecimal sb_sales_line_get_outstanding (const SbSalesLine *line);

/* Splits @text at word boundaries into pieces of at most @max_chars
 * characters (a word longer than that is cut).  Never returns an empty
 * vector for non-blank text. */
GStrv sb_sales_split_description (const char *text, guint max_chars);

/* Creates a document from @header: doc_type and sell_to_customer_no must be
 * set; a blank no is taken from the quote or order number series and written
 * back.  The order date defaults to the work date.  Currency, payment terms,
 * salesperson and the bill-to and ship-to address are copied from the
 * customer where @header leaves them blank.  Refuses a blocked customer.
 * The document starts Open. */
gboolean sb_sales_document_create (SbStore *store, SbSalesHeader *header, GError **error);
SbSalesHeader *sb_sales_document_get (SbStore *store, SbSalesDocType type, const char *no,
                                      GError **error);
/* Lines by line no.; element type SbSalesLine. */
GPtrArray *sb_sales_document_get_lines (SbStore *store, SbSalesDocType type, const char *no,
                                        GError **error);
/* Documents of @type, by number; only @customer_no's when not NULL, only
 * those whose number, customer no., bill-to name, external document no. or
 * your reference contains @search when not NULL. */
GPtrArray *sb_sales_document_list (SbStore *store, SbSalesDocType type, const char *customer_no,
                                   const char *search, GError **error);

/* Writes the header fields of @header.  The status is not changed this way
 * (use release/reopen); a released document is refused. */
gboolean sb_sales_document_update (SbStore *store, SbSalesHeader *header, GError **error);
/* Deletes an open document with its lines. */
gboolean sb_sales_document_delete (SbStore *store, SbSalesDocType type, const char *no,
                                   GError **error);

/* Adds @line to the open document @line->doc_type/@line->doc_no.  A zero
 * line_no takes the next multiple of SB_SALES_LINE_NO_STEP.  Item and
 * resource lines are filled from the item/resource: description (unless
 * given), unit (base unit, unless given) and, unless @keep_unit_price, the
 * unit price: the customer's price group price for the document currency
 * and unit when there is one, else the item's or resource's unit price,
 * converted from the local currency at the currency's exchange rate when
 * the document is in a foreign currency.  Blocked items and resources are
 * refused.  Amounts are computed; @line receives what was written. */
gboolean sb_sales_document_add_line (SbStore *store, SbSalesLine *line, gboolean keep_unit_price,
                                     GError **error);
/* As sb_sales_document_add_line() with @text as the description: text
 * beyond SB_SALES_LINE_DESCRIPTION_MAX characters continues in comment lines
 * attached to the line, split at word boundaries.  One transaction. */
gboolean sb_sales_document_add_line_long (SbStore *store, SbSalesLine *line,
                                          gboolean keep_unit_price, const char *text,
                                          GError **error);
/* A comment line with @text (at most SB_SALES_LINE_DESCRIPTION_MAX
 * characters), attached to @attached_to_line_no unless that is 0. */
gboolean sb_sales_document_add_comment (SbStore *store, SbSalesDocType type, const char *no,
                                        const char *text, gint64 attached_to_line_no,
                                        GError **error);
/* Rewrites a line of an open document (amounts recomputed). */
gboolean sb_sales_document_update_line (SbStore *store, SbSalesLine *line, GError **error);
/* Deletes a line of an open document with the comment lines attached to it. */
gboolean sb_sales_document_delete_line (SbStore *store, SbSalesDocType type, const char *no,
                                        gint64 line_no, GError **error);
/* Deletes every line of an open document (a quote's new revision replaces
 * them). */
gboolean sb_sales_document_delete_lines (SbStore *store, SbSalesDocType type, const char *no,
                                         GError **error);

/* Release locks the document against changes; reopening unlocks it.  Both
 * are no-ops when the document already has that status.  A document
 * without an item or resource line cannot be released. */
gboolean sb_sales_document_release (SbStore *store, SbSalesDocType type, const char *no,
                                    GError **error);
gboolean sb_sales_document_reopen (SbStore *store, SbSalesDocType type, const char *no,
                                   GError **error);

typedef struct
{
  SbDecimal line_discount_amount;
  SbDecimal amount; /* excl. VAT */
  SbDecimal vat_amount;
  SbDecimal amount_including_vat;
} SbSalesTotals;

/* Sums of @lines (SbSalesLine). */
void sb_sales_totals_from_lines (GPtrArray *lines, SbSalesTotals *out_totals);
gboolean sb_sales_document_get_totals (SbStore *store, SbSalesDocType type, const char *no,
                                       SbSalesTotals *out_totals, GError **error);

/* Copies the document (header and lines) to the archive as the next
 * version; returns that version no. (1, 2, …), or 0 with @error set. */
gint64 sb_sales_document_archive (SbStore *store, SbSalesDocType type, const char *no,
                                  GError **error);
/* Versions of a document, oldest first; element type SbSalesHeaderArchive. */
GPtrArray *sb_sales_document_list_versions (SbStore *store, SbSalesDocType type, const char *no,
                                            GError **error);
SbSalesHeaderArchive *sb_sales_document_get_version (SbStore *store, SbSalesDocType type,
                                                     const char *no, gint64 version_no,
                                                     GError **error);
/* Element type SbSalesLineArchive. */
GPtrArray *sb_sales_document_get_version_lines (SbStore *store, SbSalesDocType type, const char *no,
                                                gint64 version_no, GError **error);

/* For code that builds on documents (posting, other line tables). */

/* round2 (@amount × @vat_pct / 100), rounded once, half away from zero. */
gboolean sb_sales_round_vat (SbDecimal amount, SbDecimal vat_pct, SbDecimal *out_vat);
/* round2 (@amount × @part / @whole) for @whole > 0, rounded once. */
gboolean sb_sales_round_share (SbDecimal amount, SbDecimal part, SbDecimal whole,
                               SbDecimal *out_share);
/* Copies every non-system field of @to_type that @from_type has too (by
 * name) from @from into @to. */
void sb_sales_copy_matching_fields (const SbRecordType *from_type, gconstpointer from,
                                    const SbRecordType *to_type, gpointer to);
/* The line rules every line table shares, for a record of @type. */
gboolean sb_sales_validate_line_values (const SbRecordType *type, gconstpointer record,
                                        gint64 line_type, const char *no, SbDecimal quantity,
                                        SbDecimal unit_price, SbDecimal line_discount_amount,
                                        SbDecimal vat_pct, GError **error);
/* Fails with a clear message when @customer is blocked. */
gboolean sb_sales_check_customer_not_blocked (const SbCustomer *customer, GError **error);
/* Sets @header's status and writes it; releasing needs an item or resource
 * line with a quantity.  Call inside a transaction. */
gboolean sb_sales_document_set_status (SbStore *store, SbSalesHeader *header, SbSalesStatus status,
                                       GError **error);
/* Deletes the document and its lines whatever its status: for posting,
 * which removes a fully invoiced released order.  Call inside a
 * transaction. */
gboolean sb_sales_document_delete_unchecked (SbStore *store, SbSalesHeader *header, GError **error);

G_END_DECLS
