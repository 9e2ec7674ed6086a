/* sb-demo-data.c
 *
 * Names are combined from short lists with a seeded GRand, so any number
 * of customers looks plausible and a given seed always gives the same books.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-core-error.h"
#include "sb-customer.h"
#include "sb-demo-data.h"
#include "sb-item.h"
#include "sb-ledger.h"
#include "sb-posting.h"
#include "sb-sales-document.h"
#include "sb-reference-data.h"
#include "sb-setup.h"
#include "sb-store-private.h"

typedef struct
{
  const char *city;
  const char *post_code;
  const char *country;
  const char *currency; /* NULL = local currency */
  const char *phone_prefix;
  const char *domain;
} DemoPlace;

static const DemoPlace places[] = {
  { "Stockholm", "111 52", "SE", "SEK", "+46 8", "se" },
  { "Göteborg", "411 03", "SE", "SEK", "+46 31", "se" },
  { "Malmö", "211 20", "SE", "SEK", "+46 40", "se" },
  { "København", "1050", "DK", "DKK", "+45 33", "dk" },
  { "Aarhus", "8000", "DK", "DKK", "+45 86", "dk" },
  { "Odense", "5000", "DK", "DKK", "+45 66", "dk" },
  { "Reykjavík", "101", "IS", "ISK", "+354 5", "is" },
  { "Akureyri", "600", "IS", "ISK", "+354 46", "is" },
  { "Berlin", "10115", "DE", NULL, "+49 30", "de" },
  { "Hamburg", "20095", "DE", NULL, "+49 40", "de" },
  { "Amsterdam", "1012 AB", "NL", NULL, "+31 20", "nl" },
  { "Helsinki", "00100", "FI", NULL, "+358 9", "fi" },
  { "Dublin", "D02 X285", "IE", NULL, "+353 1", "ie" },
  { "London", "EC1A 1BB", "GB", "GBP", "+44 20", "co.uk" },
  { "Boston", "02108", "US", "USD", "+1 617", "com" },
  { "Seattle", "98101", "US", "USD", "+1 206", "com" },
};

static const char *const name_first[] = {
  "Nordic", "Fjord",   "Aurora", "Granite",   "Harbour", "Birch",     "Lighthouse", "Polar",
  "Copper", "Meadow",  "Summit", "Riverside", "Saga",    "Evergreen", "Baltic",     "Glacier",
  "Oak",    "Coastal", "Alder",  "Northwind", "Tundra",  "Island",    "Falcon",     "Heather",
};
static const char *const name_second[] = {
  "Timber", "Logistics",  "Office Supply", "Interiors", "Trading",  "Furniture", "Design",
  "Hotels", "Outfitters", "Retail",        "Workspace", "Builders", "Foods",     "Textiles",
};
static const char *const legal_forms_by_country[][2] = {
  { "SE", "AB" }, { "DK", "ApS" }, { "IS", "ehf." }, { "DE", "GmbH" }, { "NL", "B.V." },
  { "FI", "Oy" }, { "IE", "Ltd" }, { "GB", "Ltd" },  { "US", "Inc." },
};
static const char *const streets[] = {
  "Storgatan",     "Havnegade",       "Laugavegur",     "Hauptstraße",
  "Keizersgracht", "Mannerheimintie", "Grafton Street", "High Street",
  "Main Street",   "Drottninggatan",  "Strøget",        "Bankastræti",
};
static const char *const first_names[] = {
  "Anna",   "Erik",   "Sofia", "Lars",  "Freja", "Magnus", "Guðrún", "Jón",   "Emma", "Jonas",
  "Ingrid", "Mikkel", "Sara",  "Oskar", "Helga", "Aino",   "Liam",   "Clara", "Noah", "Maja",
};
static const char *const surnames[] = {
  "Andersson", "Nielsen", "Jónsdóttir", "Larsen", "Lindqvist", "Schmidt", "Virtanen",
  "Murphy",    "Jensen",  "Sigurðsson", "Berg",   "de Vries",  "Hansen",  "Karlsson",
};

typedef struct
{
  const char *no;
  const char *description;
  const char *unit;
  const char *price;
  const char *cost;
  SbItemType type;
} DemoItem;

static const DemoItem item_catalogue[] = {
  { "1000", "Conference Table Oslo, oak", "PCS", "1249.00", "780.00", SB_ITEM_TYPE_INVENTORY },
  { "1001", "Office Chair Aarhus, black", "PCS", "329.00", "190.00", SB_ITEM_TYPE_INVENTORY },
  { "1002", "Standing Desk Reykjavík", "PCS", "689.00", "402.50", SB_ITEM_TYPE_INVENTORY },
  { "1003", "Storage Cabinet Malmö", "PCS", "412.00", "240.00", SB_ITEM_TYPE_INVENTORY },
  { "1004", "Desk Lamp Aurora", "PCS", "59.90", "27.10", SB_ITEM_TYPE_INVENTORY },
  { "1005", "Acoustic Panel Fjord, set of 4", "SET", "279.00", "150.00", SB_ITEM_TYPE_INVENTORY },
  { "1006", "Whiteboard Glacier 180 cm", "PCS", "199.00", "96.00", SB_ITEM_TYPE_INVENTORY },
  { "1007", "Copy Paper A4, 5 reams", "BOX", "24.50", "15.25", SB_ITEM_TYPE_INVENTORY },
  { "1008", "Monitor Arm Baltic", "PCS", "119.00", "61.00", SB_ITEM_TYPE_INVENTORY },
  { "1009", "Lounge Sofa Birch, 3-seat", "PCS", "1890.00", "1120.00", SB_ITEM_TYPE_INVENTORY },
  { "1010", "Coffee Beans Saga, 1 kg", "KG", "18.75", "9.40", SB_ITEM_TYPE_INVENTORY },
  { "1011", "Extended Warranty, 3 years", "PCS", "149.00", "0", SB_ITEM_TYPE_SERVICE },
  { "1012", "Delivery and Assembly", "PCS", "95.00", "40.00", SB_ITEM_TYPE_NON_INVENTORY },
};

static const char *const resource_names[] = {
  "Installation Technician",
  "Interior Designer",
  "Project Manager",
  "Workplace Consultant",
  "Carpenter",
  "Electrician",
  "Trainer",
  "Support Engineer",
};

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

typedef struct
{
  SbStore *store;
  const SbDemoOptions *options;
  GRand *rand;
  SbDemoProgressFunc progress;
  gpointer user_data;
  guint done;
  guint total;
} Seeder;

static void
tick (Seeder *s)
{
  s->done++;
  if (s->progress != NULL && (s->done % 1000 == 0 || s->done == s->total))
    s->progress (s->done, s->total, s->user_data);
}

static gboolean
insert_code_tables (Seeder *s, GError **error)
{
  static const struct
  {
    const char *code, *description, *symbol, *rate;
    gint64 decimals;
  } currencies[] = {
    { "EUR", "Euro", "€", "1", 2 },
    { "USD", "US Dollar", "$", "0.92", 2 },
    { "GBP", "Pound Sterling", "£", "1.16", 2 },
    { "SEK", "Swedish Krona", "kr", "0.087", 2 },
    { "DKK", "Danish Krone", "kr.", "0.134", 2 },
    { "ISK", "Icelandic Króna", "kr", "0.0066", 0 },
  };
  static const char *const units[][2] = {
    { "PCS", "Piece" },   { "BOX", "Box" },   { "SET", "Set" },
    { "KG", "Kilogram" }, { "HOUR", "Hour" },
  };
  static const char *const groups[][2] = {
    { "RETAIL", "Retail customers" },
    { "WHOLESALE", "Wholesale customers" },
    { "EXPORT", "Export customers" },
  };
  static const struct
  {
    const char *code, *description;
    gint64 days;
  } terms[] = {
    { "14D", "Net 14 days", 14 },
    { "30D", "Net 30 days", 30 },
    { "COD", "Cash on delivery", 0 },
  };
  /* The same people as the demo Sales organization of salesbridge-sandbox
   * (--seed-demo), so match-based coupling finds them by e-mail. */
  static const char *const salespeople[][3] = {
    { "JL", "Jordan Lee", "jordan.lee@contoso-sales.example" },
    { "PP", "Priya Patel", "priya.patel@contoso-sales.example" },
    { "MO", "Marcus Olsen", "marcus.olsen@contoso-sales.example" },
    { "SR", "Sofia Rossi", "sofia.rossi@contoso-sales.example" },
  };
  g_autoptr (SbGeneralSetup) setup = sb_general_setup_get (s->store, error);

  if (setup == NULL)
    return FALSE;
  g_free (setup->company_name);
  setup->company_name = g_strdup ("Northwind Workspace (demo)");
  g_free (setup->local_currency_code);
  setup->local_currency_code = g_strdup ("EUR");
  if (!sb_general_setup_update (s->store, setup, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      g_autoptr (SbCurrency) c = sb_currency_new ();
      g_free (c->code);
      c->code = g_strdup (currencies[i].code);
      g_free (c->description);
      c->description = g_strdup (currencies[i].description);
      g_free (c->symbol);
      c->symbol = g_strdup (currencies[i].symbol);
      c->amount_decimals = currencies[i].decimals;
      if (!sb_decimal_parse (currencies[i].rate, &c->exchange_rate, error) ||
          !sb_record_insert (s->store, &sb_currency_record_type, c, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autoptr (SbUnitOfMeasure) u = sb_unit_of_measure_new ();
      g_free (u->code);
      u->code = g_strdup (units[i][0]);
      g_free (u->description);
      u->description = g_strdup (units[i][1]);
      if (!sb_record_insert (s->store, &sb_unit_of_measure_record_type, u, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autoptr (SbCustomerPriceGroup) g = sb_customer_price_group_new ();
      g_free (g->code);
      g->code = g_strdup (groups[i][0]);
      g_free (g->description);
      g->description = g_strdup (groups[i][1]);
      if (!sb_record_insert (s->store, &sb_customer_price_group_record_type, g, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (terms); i++)
    {
      g_autoptr (SbPaymentTerms) t = sb_payment_terms_new ();
      g_free (t->code);
      t->code = g_strdup (terms[i].code);
      g_free (t->description);
      t->description = g_strdup (terms[i].description);
      t->due_days = terms[i].days;
      if (!sb_record_insert (s->store, &sb_payment_terms_record_type, t, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (salespeople); i++)
    {
      g_autoptr (SbSalesperson) p = sb_salesperson_new ();
      g_free (p->code);
      p->code = g_strdup (salespeople[i][0]);
      g_free (p->name);
      p->name = g_strdup (salespeople[i][1]);
      g_free (p->email);
      p->email = g_strdup (salespeople[i][2]);
      g_free (p->phone);
      p->phone = g_strdup_printf ("+45 70 20 %02u %02u", 10 + i, 30 + i * 7);
      if (!sb_record_insert (s->store, &sb_salesperson_record_type, p, error))
        return FALSE;
    }
  return TRUE;
}

static const char *
legal_form (const char *country)
{
  for (guint i = 0; i < G_N_ELEMENTS (legal_forms_by_country); i++)
    if (g_str_equal (legal_forms_by_country[i][0], country))
      return legal_forms_by_country[i][1];
  return "Ltd";
}

static char *
slug (const char *name)
{
  GString *s = g_string_new (NULL);
  g_autofree char *ascii = g_str_to_ascii (name, "C");

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
  return g_string_free (s, FALSE);
}

static gboolean
insert_customers (Seeder *s, GError **error)
{
  static const char *const salespeople[] = { "JL", "PP", "MO", "SR" };
  static const char *const groups[] = { "RETAIL", "WHOLESALE", "EXPORT" };
  static const char *const terms[] = { "14D", "30D", "30D", "COD" };

  for (guint n = 0; n < s->options->customers; n++)
    {
      const DemoPlace *place = &PICK (s->rand, places);
      g_autoptr (SbCustomer) c = sb_customer_new ();
      g_autoptr (SbContact) person = sb_contact_new ();
      g_autofree char *domain_name = NULL;
      const char *first = PICK (s->rand, first_names);
      const char *last = PICK (s->rand, surnames);

      g_free (c->name);
      /* Every pair of the lists once (n / 24 + n walks the second list at a
       * step coprime to its length); the pairs repeat every 24 × 14
       * customers, so a branch number after that keeps names unique. */
      {
        guint n_pairs = G_N_ELEMENTS (name_first) * G_N_ELEMENTS (name_second);
        const char *first_part = name_first[n % G_N_ELEMENTS (name_first)];
        const char *second_part =
            name_second[(n / G_N_ELEMENTS (name_first) + n) % G_N_ELEMENTS (name_second)];

        if (n < n_pairs)
          c->name =
              g_strdup_printf ("%s %s %s", first_part, second_part, legal_form (place->country));
        else
          c->name = g_strdup_printf ("%s %s %s %u", first_part, second_part,
                                     legal_form (place->country), n / n_pairs + 1);
      }
      domain_name = slug (c->name);
      g_free (c->address);
      c->address =
          g_strdup_printf ("%s %d", PICK (s->rand, streets), g_rand_int_range (s->rand, 1, 120));
      g_free (c->post_code);
      c->post_code = g_strdup (place->post_code);
      g_free (c->city);
      c->city = g_strdup (place->city);
      g_free (c->country_code);
      c->country_code = g_strdup (place->country);
      g_free (c->contact);
      c->contact = g_strdup_printf ("%s %s", first, last);
      g_free (c->phone);
      c->phone = g_strdup_printf (
          "%s %03d %02d %02d", place->phone_prefix, g_rand_int_range (s->rand, 100, 999),
          g_rand_int_range (s->rand, 10, 99), g_rand_int_range (s->rand, 10, 99));
      g_free (c->email);
      c->email = g_strdup_printf ("orders@%.40s.%s", domain_name, place->domain);
      g_free (c->home_page);
      c->home_page = g_strdup_printf ("https://www.%.40s.%s", domain_name, place->domain);
      g_free (c->currency_code);
      c->currency_code = g_strdup (place->currency != NULL ? place->currency : "");
      g_free (c->salesperson_code);
      c->salesperson_code = g_strdup (PICK (s->rand, salespeople));
      g_free (c->price_group_code);
      c->price_group_code = g_strdup (PICK (s->rand, groups));
      g_free (c->payment_terms_code);
      c->payment_terms_code = g_strdup (PICK (s->rand, terms));
      c->credit_limit = sb_decimal_from_int (g_rand_int_range (s->rand, 1, 50) * 1000);
      c->blocked = g_rand_int_range (s->rand, 0, 100) == 0;
      if (!sb_customer_insert (s->store, c, error))
        return FALSE;

      g_free (person->first_name);
      person->first_name = g_strdup (first);
      g_free (person->surname);
      person->surname = g_strdup (last);
      g_free (person->company_no);
      person->company_no = g_strdup (c->no);
      g_free (person->job_title);
      person->job_title = g_strdup ("Purchasing Manager");
      g_free (person->email);
      person->email = g_strdup_printf ("%.20s@%.40s.%s", first, domain_name, place->domain);
      {
        g_autofree char *ascii = g_str_to_ascii (person->email, "C");
        g_free (person->email);
        person->email = g_ascii_strdown (ascii, -1);
      }
      g_free (person->phone);
      person->phone = g_strdup (c->phone);
      g_free (person->city);
      person->city = g_strdup (c->city);
      g_free (person->country_code);
      person->country_code = g_strdup (c->country_code);
      if (!sb_contact_insert (s->store, person, error))
        return FALSE;
      tick (s);
    }
  return TRUE;
}

static gboolean
insert_items (Seeder *s, GError **error)
{
  static const char *const groups[] = { "RETAIL", "WHOLESALE", "EXPORT" };

  for (guint n = 0; n < s->options->items; n++)
    {
      const DemoItem *model = &item_catalogue[n % G_N_ELEMENTS (item_catalogue)];
      g_autoptr (SbItem) item = sb_item_new ();

      g_free (item->no);
      item->no = g_strdup_printf ("%u", 1000 + n);
      g_free (item->description);
      if (n < G_N_ELEMENTS (item_catalogue))
        item->description = g_strdup (model->description);
      else
        item->description = g_strdup_printf ("%s, series %u", model->description,
                                             n / (guint) G_N_ELEMENTS (item_catalogue) + 1);
      g_free (item->base_unit_code);
      item->base_unit_code = g_strdup (model->unit);
      if (!sb_decimal_parse (model->price, &item->unit_price, error) ||
          !sb_decimal_parse (model->cost, &item->unit_cost, error))
        return FALSE;
      item->type = model->type;
      if (model->type == SB_ITEM_TYPE_INVENTORY)
        item->inventory = sb_decimal_from_int (g_rand_int_range (s->rand, 0, 400));
      item->gross_weight = sb_decimal_from_int (g_rand_int_range (s->rand, 1, 60));
      item->unit_volume = sb_decimal_round (g_rand_int_range (s->rand, 1, 200000), 2);
      g_free (item->vendor_no);
      item->vendor_no = g_strdup_printf ("V%05d", g_rand_int_range (s->rand, 1, 40));
      g_free (item->vendor_item_no);
      item->vendor_item_no = g_strdup_printf ("VI-%06u", 500000 + n * 7);
      if (!sb_record_insert (s->store, &sb_item_record_type, item, error))
        return FALSE;

      /* Wholesale and export customers get lower prices on the first items. */
      if (n < 200)
        for (guint g = 1; g < G_N_ELEMENTS (groups); g++)
          {
            g_autoptr (SbSalesPrice) price = sb_sales_price_new ();
            g_free (price->item_no);
            price->item_no = g_strdup (item->no);
            g_free (price->price_group_code);
            price->price_group_code = g_strdup (groups[g]);
            g_free (price->unit_code);
            price->unit_code = g_strdup (item->base_unit_code);
            sb_decimal_mul_div (item->unit_price, 100 - 5 * g, 100, &price->unit_price);
            price->unit_price = sb_decimal_round (price->unit_price, 2);
            if (!sb_record_insert (s->store, &sb_sales_price_record_type, price, error))
              return FALSE;
          }
      tick (s);
    }
  return TRUE;
}

static gboolean
insert_resources (Seeder *s, GError **error)
{
  for (guint n = 0; n < s->options->resources; n++)
    {
      g_autoptr (SbResource) r = sb_resource_new ();

      g_free (r->no);
      r->no = g_strdup_printf ("R%04u", n + 1);
      g_free (r->name);
      if (n < G_N_ELEMENTS (resource_names))
        r->name = g_strdup (resource_names[n]);
      else
        r->name = g_strdup_printf ("%s %u", resource_names[n % G_N_ELEMENTS (resource_names)],
                                   n / (guint) G_N_ELEMENTS (resource_names) + 1);
      g_free (r->base_unit_code);
      r->base_unit_code = g_strdup ("HOUR");
      r->unit_price = sb_decimal_from_int (g_rand_int_range (s->rand, 60, 160));
      sb_decimal_mul_div (r->unit_price, 55, 100, &r->unit_cost);
      r->capacity = sb_decimal_from_int (160);
      if (!sb_record_insert (s->store, &sb_resource_record_type, r, error))
        return FALSE;
      tick (s);
    }
  return TRUE;
}

/* A document for a random customer that is not blocked, with one to four
 * item or resource lines. */
static char *
insert_document (Seeder *s, SbSalesDocType type, guint n, GError **error)
{
  g_autoptr (SbSalesHeader) header = sb_sales_header_new ();
  g_autoptr (SbCustomer) customer = NULL;
  guint n_lines = (guint) g_rand_int_range (s->rand, 1, 5);

  /* Customers are numbered C00001…; skip the odd blocked one. */
  for (int attempt = 0; customer == NULL || customer->blocked; attempt++)
    {
      g_autofree char *no = g_strdup_printf (
          "C%05u", (guint) g_rand_int_range (s->rand, 1, (gint32) s->options->customers + 1));
      g_clear_pointer (&customer, sb_customer_free);
      customer = sb_customer_lookup (s->store, no, error);
      if (customer == NULL)
        return NULL;
    }

  header->doc_type = type;
  g_free (header->sell_to_customer_no);
  header->sell_to_customer_no = g_strdup (customer->no);
  g_free (header->external_document_no);
  header->external_document_no = g_strdup_printf ("PO-%06u", 204000 + n * 13);
  g_free (header->your_reference);
  header->your_reference = g_strdup (customer->contact);
  if (!sb_sales_document_create (s->store, header, error))
    return NULL;

  for (guint l = 0; l < n_lines; l++)
    {
      g_autoptr (SbSalesLine) line = sb_sales_line_new ();
      gboolean resource = s->options->resources > 0 && g_rand_int_range (s->rand, 0, 4) == 0;

      line->doc_type = type;
      g_free (line->doc_no);
      line->doc_no = g_strdup (header->no);
      line->type = resource ? SB_SALES_LINE_RESOURCE : SB_SALES_LINE_ITEM;
      g_free (line->no);
      if (resource)
        line->no = g_strdup_printf (
            "R%04u", (guint) g_rand_int_range (s->rand, 1, (gint32) s->options->resources + 1));
      else
        line->no = g_strdup_printf (
            "%u", 1000 + (guint) g_rand_int_range (s->rand, 0, (gint32) s->options->items));
      line->quantity = sb_decimal_from_int (g_rand_int_range (s->rand, 1, resource ? 16 : 11));
      line->vat_pct = sb_decimal_from_int (25);
      if (!sb_sales_document_add_line (s->store, line, FALSE, error))
        return NULL;
    }
  return g_strdup (header->no);
}

/* Quotes and open orders, and a history: a third of the orders posted
 * (some in part) and most of those invoices paid in full or in part, so
 * the ledger, statistics and invoice statuses have something to show. */
static gboolean
insert_documents (Seeder *s, GError **error)
{
  if (s->options->customers == 0 || s->options->items == 0)
    return TRUE;

  for (guint n = 0; n < s->options->orders; n++)
    {
      g_autofree char *order_no = insert_document (s, SB_SALES_DOC_ORDER, n, error);
      g_autofree char *invoice_no = NULL;
      int fate = g_rand_int_range (s->rand, 0, 12);

      if (order_no == NULL)
        return FALSE;
      if (fate < 4)
        {
          invoice_no = sb_posting_post_order (s->store, order_no, NULL, 0, error);
          if (invoice_no == NULL)
            return FALSE;
        }
      else if (fate < 5)
        {
          /* Half of the first line now, the rest later. */
          g_autoptr (GPtrArray) lines =
              sb_sales_document_get_lines (s->store, SB_SALES_DOC_ORDER, order_no, error);
          SbSalesLine *first;
          SbPostingQuantity part;

          if (lines == NULL)
            return FALSE;
          first = lines->pdata[0];
          part.line_no = first->line_no;
          part.quantity = MAX (sb_decimal_round (first->quantity / 2, 0), SB_DECIMAL_ONE);
          invoice_no = sb_posting_post_order (s->store, order_no, &part, 1, error);
          if (invoice_no == NULL)
            return FALSE;
        }
      else if (fate < 8 &&
               !sb_sales_document_release (s->store, SB_SALES_DOC_ORDER, order_no, error))
        return FALSE;

      if (invoice_no != NULL && fate != 0)
        {
          g_autoptr (SbLedgerEntry) entry =
              sb_ledger_find_invoice_entry (s->store, invoice_no, error);
          const char *apply[] = { invoice_no, NULL };
          g_autofree char *payment = NULL;
          SbDecimal amount;

          if (entry == NULL)
            return FALSE;
          /* Every third paid invoice is paid in part. */
          amount = fate % 3 == 0 ? sb_decimal_round (entry->amount / 2, 2) : entry->amount;
          payment =
              sb_ledger_register_payment (s->store, entry->customer_no, amount, apply, NULL, error);
          if (payment == NULL)
            return FALSE;
        }
      tick (s);
    }

  for (guint n = 0; n < s->options->orders / 4; n++)
    {
      g_autofree char *quote_no = insert_document (s, SB_SALES_DOC_QUOTE, n + 5000, error);

      if (quote_no == NULL)
        return FALSE;
      if (n % 3 == 0 && !sb_sales_document_release (s->store, SB_SALES_DOC_QUOTE, quote_no, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_empty (SbStore *store, GError **error)
{
  sqlite3_stmt *stmt = sb_store_prepare (
      store, "SELECT EXISTS (SELECT 1 FROM customer UNION ALL SELECT 1 FROM item)", error);
  gboolean empty;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return sb_store_set_error (store, error);
    }
  empty = sqlite3_column_int (stmt, 0) == 0;
  sqlite3_reset (stmt);
  if (!empty)
    g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_EXISTS,
                 _ ("The company “%s” already has customers or items. Demo data goes into a new, "
                    "empty company database."),
                 sb_store_get_path (store));
  return empty;
}

gboolean
sb_demo_seed (SbStore *store, const SbDemoOptions *options, SbDemoProgressFunc progress,
              gpointer user_data, GError **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (options->seed);
  Seeder s = { store, options, rand, progress, user_data, 0, 0 };

  s.total = options->customers + options->items + options->resources + options->orders;

  if (!sb_store_begin (store, error))
    return FALSE;
  if (!is_empty (store, error) || !insert_code_tables (&s, error) ||
      !insert_customers (&s, error) || !insert_items (&s, error) || !insert_resources (&s, error) ||
      !insert_documents (&s, error))
    {
      sb_store_rollback (store);
      return FALSE;
    }
  return sb_store_commit (store, error);
}
