/* sb-sandbox-seed.c: base and demo data of the sandbox.
 *
 * Rows are created through the same code path as Web API creates, so computed columns (order
 * numbers, line amounts, totals, base units) come out exactly as clients would see them. Ids
 * derive from names (sb_sandbox_uuid_from_name), so the same seed always gives the same rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-seed.h"

#include <stdarg.h>
#include <string.h>

#include "sb-sandbox-service-private.h"

char *
sb_sandbox_seed_system_user (void)
{
  return sb_sandbox_uuid_from_name ("systemuser/SYSTEM");
}

static char *
id_of (const char *table, const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", table, name);

  return sb_sandbox_uuid_from_name (key);
}

/* A JSON number with @format ("%.2f"…) in the C conventions: printf would write a decimal comma
 * in the user's locale (sv_SE, da_DK, is_IS), which is not JSON. */
static char *
json_number (const char *format, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, format, value));
}

/* Creates @set row @id from a JSON text unless it exists. */
static gboolean ensure (SbSandboxService *service, const char *user, const char *set,
                        const char *id, GError **error, const char *json_format, ...)
    G_GNUC_PRINTF (6, 7);

static gboolean
ensure (SbSandboxService *service, const char *user, const char *set, const char *id,
        GError **error, const char *json_format, ...)
{
  const SbTable *table = sb_sandbox_schema_table_by_set (set);
  g_autofree char *text = NULL;
  g_autofree char *created = NULL;
  g_autoptr (JsonNode) node = NULL;
  va_list args;

  if (sb_sandbox_store_exists (sb_sandbox_service_get_store (service), table, id))
    return TRUE;
  va_start (args, json_format);
  text = g_strdup_vprintf (json_format, args);
  va_end (args);
  node = json_from_string (text, error);
  if (node == NULL)
    return FALSE;
  json_object_set_string_member (json_node_get_object (node), table->pk, id);
  created = sb_sandbox_service_create (service, user, set, json_node_get_object (node), error);
  return created != NULL;
}

static gboolean update (SbSandboxService *service, const char *user, const char *set,
                        const char *id, GError **error, const char *json_format, ...)
    G_GNUC_PRINTF (6, 7);

static gboolean
update (SbSandboxService *service, const char *user, const char *set, const char *id,
        GError **error, const char *json_format, ...)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) node = NULL;
  va_list args;

  va_start (args, json_format);
  text = g_strdup_vprintf (json_format, args);
  va_end (args);
  node = json_from_string (text, error);
  if (node == NULL)
    return FALSE;
  return sb_sandbox_service_update (service, user, set, id, json_node_get_object (node), error);
}

static gboolean
post_action (SbSandboxService *service, const char *user, const char *action, const char *body,
             GError **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr (SbSandboxRequest) request = sb_sandbox_request_new ("POST", action, NULL, NULL, bytes);
  g_autoptr (SbSandboxResponse) response = sb_sandbox_service_handle (service, user, request);

  if (response->status >= 300)
    {
      gsize len = 0;
      const char *data = response->body ? g_bytes_get_data (response->body, &len) : "";

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %u %.*s", action,
                   response->status, (int) len, data);
      return FALSE;
    }
  return TRUE;
}

static const char *const roles[] = { "System Administrator",
                                     "Salesperson",
                                     "Sales Manager",
                                     "Salesbridge Integration Administrator",
                                     "Salesbridge Integration User",
                                     NULL };

static gboolean
ensure_user (SbSandboxService *service, const char *key, const char *fullname, const char *email,
             gboolean integration, gboolean licensed, gboolean disabled,
             const char *const *user_roles, GError **error)
{
  g_autofree char *system = sb_sandbox_seed_system_user ();
  g_autofree char *id = id_of ("systemuser", key);
  g_autofree char *bu = id_of ("businessunit", "root");
  g_autofree char *app = id_of ("application", key);
  const char *space = strrchr (fullname, ' ');
  g_autofree char *first = space ? g_strndup (fullname, space - fullname) : g_strdup ("");
  const char *last = space ? space + 1 : fullname;
  SbSandboxStore *store = sb_sandbox_service_get_store (service);

  if (!ensure (service, system, "systemusers", id, error,
               "{\"firstname\": \"%s\", \"lastname\": \"%s\", \"internalemailaddress\": \"%s\", "
               "\"domainname\": \"%s\", \"isintegrationuser\": %s, \"islicensed\": %s, "
               "\"isdisabled\": %s, \"accessmode\": %d, \"mobilephone\": \"+1 555 01%02u\", "
               "%s%s%s \"businessunitid@odata.bind\": \"/businessunits(%s)\"}",
               first, last, email, email, integration ? "true" : "false",
               licensed ? "true" : "false", disabled ? "true" : "false", integration ? 4 : 0,
               g_str_hash (key) % 100, integration ? "\"applicationid\": \"" : "",
               integration ? app : "", integration ? "\"," : "", bu))
    return FALSE;
  for (guint i = 0; user_roles[i] != NULL; i++)
    {
      g_autofree char *role = id_of ("role", user_roles[i]);

      sb_sandbox_store_associate (store, "systemuserroles_association", id, role);
    }
  return TRUE;
}

gboolean
sb_sandbox_seed_base (SbSandboxService *service, GPtrArray *clients, GError **error)
{
  g_autofree char *system = sb_sandbox_seed_system_user ();
  g_autofree char *bu = id_of ("businessunit", "root");
  g_autofree char *usd = id_of ("transactioncurrency", "USD");
  g_autofree char *org = id_of ("organization", "sandbox");
  static const char *const admin_roles[] = { "System Administrator", NULL };
  static const char *const integration_roles[] = { "Salesbridge Integration Administrator",
                                                   "Salesbridge Integration User", NULL };
  static const char *const sales_roles[] = { "Salesperson", NULL };

  if (!ensure (service, system, "businessunits", bu, error,
               "{\"name\": \"Salesbridge Sandbox\"}") ||
      !ensure (service, system, "transactioncurrencies", usd, error,
               "{\"isocurrencycode\": \"USD\", \"currencyname\": \"US Dollar\", "
               "\"currencysymbol\": \"$\", \"exchangerate\": 1, \"currencyprecision\": 2}") ||
      !ensure (service, system, "organizations", org, error,
               "{\"name\": \"Salesbridge Sandbox\", \"pricingdecimalprecision\": 2, "
               "\"basecurrencyid@odata.bind\": \"/transactioncurrencies(%s)\"}",
               usd))
    return FALSE;
  for (guint i = 0; roles[i] != NULL; i++)
    {
      g_autofree char *role = id_of ("role", roles[i]);

      if (!ensure (service, system, "roles", role, error,
                   "{\"name\": \"%s\", \"businessunitid@odata.bind\": \"/businessunits(%s)\"}",
                   roles[i], bu))
        return FALSE;
    }
  if (!ensure_user (service, "SYSTEM", "SYSTEM", "system@sandbox.invalid", FALSE, FALSE, FALSE,
                    admin_roles, error))
    return FALSE;
  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      SbSandboxClient *c = g_ptr_array_index (clients, i);
      g_autofree char *email = g_strdup_printf ("%s@sandbox.example", c->id);

      if (!ensure_user (service, c->id, c->fullname, email, c->integration, !c->integration, FALSE,
                        c->integration ? integration_roles : sales_roles, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *number, *name, *street, *city, *zip, *state, *country, *phone, *web, *currency;
  double credit;
} DemoAccount;

static const DemoAccount demo_accounts[] = {
  { "SA-010", "Adatum Corporation", "192 Market Square", "Atlanta", "31772", "GA", "US",
    "+1 404 555 0110", "www.adatum.example", "USD", 50000 },
  { "SA-020", "Trey Research", "153 Thomas Drive", "Chicago", "61236", "IL", "US",
    "+1 312 555 0120", "www.treyresearch.example", "USD", 25000 },
  { "SA-030", "School of Fine Art", "10 High Tower Green", "Miami", "37125", "FL", "US",
    "+1 305 555 0130", "www.fineart.example", "USD", 10000 },
  { "SA-040", "Alpine Ski House", "10 Deerfield Road", "Denver", "80202", "CO", "US",
    "+1 303 555 0140", "www.alpineskihouse.example", "USD", 75000 },
  { "SA-050", "Relecloud", "25 Water Way", "Seattle", "98101", "WA", "US", "+1 206 555 0150",
    "www.relecloud.example", "USD", 120000 },
  { "SA-060", "Fabrikam Europe", "Kongens Nytorv 1", "Copenhagen", "1050", NULL, "DK",
    "+45 33 55 01 60", "www.fabrikam.example", "EUR", 60000 },
  { "SA-070", "Contoso Pharmaceuticals", "Alte Brücke 4", "Heidelberg", "69117", NULL, "DE",
    "+49 6221 555 0170", "www.contoso.example", "EUR", 90000 },
  { "SA-080", "Northwind Traders", "12 Fleet Street", "London", "EC4Y 1AA", NULL, "GB",
    "+44 20 5550 0180", "www.northwindtraders.example", "GBP", 40000 },
  { "SA-090", "Coho Winery", "88 Vineyard Lane", "Napa", "94558", "CA", "US", "+1 707 555 0190",
    "www.cohowinery.example", "USD", 15000 },
  { "SA-100", "Wide World Importers", "400 Harbor Blvd", "Long Beach", "90802", "CA", "US",
    "+1 562 555 0100", "www.wideworldimporters.example", "USD", 200000 },
  { "SA-110", "Lucerne Publishing", "Seestrasse 21", "Luzern", "6004", NULL, "CH",
    "+41 41 555 01 10", "www.lucernepublishing.example", "EUR", 30000 },
  { "SA-120", "Blue Yonder Airlines", "1 Airport Way", "Dallas", "75261", "TX", "US",
    "+1 214 555 0120", "www.blueyonder.example", "USD", 150000 },
};

static const char *const first_names[] = { "Ada",   "Ben",  "Chloé", "Diego", "Emma", "Farid",
                                           "Grace", "Hiro", "Ines",  "Jonas", "Kai",  "Lena" };
static const char *const last_names[] = { "Andersen", "Brooks", "Dubois", "García",
                                          "Evans",    "Haddad", "Ito",    "Jensen",
                                          "Kowalski", "Larsen", "Müller", "Novak" };

typedef struct
{
  const char *number, *name, *unit;
  int type;
  double price, cost;
} DemoProduct;

static const DemoProduct demo_products[] = {
  { "1896-S", "ATHENS Desk", "PCS", 1, 1000.8, 780.7 },
  { "1900-S", "PARIS Guest Chair, black", "PCS", 1, 192.8, 150.4 },
  { "1906-S", "ATHENS Mobile Pedestal", "PCS", 1, 281.4, 219.5 },
  { "1908-S", "LONDON Swivel Chair, blue", "PCS", 1, 190.1, 148.3 },
  { "1920-S", "ANTWERP Conference Table", "PCS", 1, 1150.0, 897.0 },
  { "1928-S", "AMSTERDAM Lamp", "PCS", 1, 54.9, 42.8 },
  { "1936-S", "BERLIN Guest Chair, yellow", "PCS", 1, 192.8, 150.4 },
  { "1968-S", "MEXICO Swivel Chair, black", "PCS", 1, 190.1, 148.3 },
  { "1996-S", "ATLANTA Whiteboard, base", "BOX", 1, 1397.3, 1089.9 },
  { "R0010", "Installation", "HOUR", 3, 95.0, 60.0 },
  { "R0020", "Consulting", "HOUR", 3, 150.0, 90.0 },
  { "R0030", "Design Workshop", "HOUR", 3, 120.0, 70.0 },
};

static const char *const salespeople[][2] = {
  { "jordan.lee", "Jordan Lee" },
  { "priya.patel", "Priya Patel" },
  { "marcus.olsen", "Marcus Olsen" },
  { "sofia.rossi", "Sofia Rossi" },
};

gboolean
sb_sandbox_seed_demo (SbSandboxService *service, GError **error)
{
  g_autofree char *system = sb_sandbox_seed_system_user ();
  g_autofree char *standard = id_of ("pricelevel", "STANDARD");
  g_autofree char *usd = id_of ("transactioncurrency", "USD");
  static const char *const sales_roles[] = { "Salesperson", NULL };
  static const char *const manager_roles[] = { "Sales Manager", "Salesperson", NULL };
  static const char *const currencies[][4] = { { "EUR", "Euro", "€", "0.92" },
                                               { "GBP", "Pound Sterling", "£", "0.79" },
                                               { "DKK", "Danish Krone", "kr.", "6.87" } };
  static const char *const units[] = { "PCS", "HOUR", "BOX" };

  if (sb_sandbox_store_exists (sb_sandbox_service_get_store (service),
                               sb_sandbox_schema_table ("pricelevel"), standard))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (salespeople); i++)
    {
      g_autofree char *email = g_strdup_printf ("%s@contoso-sales.example", salespeople[i][0]);

      if (!ensure_user (service, salespeople[i][0], salespeople[i][1], email, FALSE, TRUE, FALSE,
                        i == 0 ? manager_roles : sales_roles, error))
        return FALSE;
    }
  if (!ensure_user (service, "former.employee", "Robin Former", "robin@contoso-sales.example",
                    FALSE, TRUE, TRUE, sales_roles, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      g_autofree char *id = id_of ("transactioncurrency", currencies[i][0]);

      if (!ensure (service, system, "transactioncurrencies", id, error,
                   "{\"isocurrencycode\": \"%s\", \"currencyname\": \"%s\", \"currencysymbol\": "
                   "\"%s\", \"exchangerate\": %s, \"currencyprecision\": 2}",
                   currencies[i][0], currencies[i][1], currencies[i][2], currencies[i][3]))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree char *id = id_of ("uomschedule", units[i]);

      if (!ensure (service, system, "uomschedules", id, error,
                   "{\"name\": \"%s\", \"baseuomname\": \"%s\"}", units[i], units[i]))
        return FALSE;
    }
  if (!ensure (service, system, "pricelevels", standard, error,
               "{\"name\": \"Standard\", \"begindate\": \"2026-01-01\", "
               "\"transactioncurrencyid@odata.bind\": \"/transactioncurrencies(%s)\"}",
               usd))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_products); i++)
    {
      const DemoProduct *p = &demo_products[i];
      g_autofree char *id = id_of ("product", p->number);
      g_autofree char *schedule = id_of ("uomschedule", p->unit);
      g_autofree char *uom_key = g_strdup_printf ("uom/%s", schedule);
      g_autofree char *uom = sb_sandbox_uuid_from_name (uom_key);
      g_autofree char *ppl = id_of ("productpricelevel", p->number);
      g_autofree char *price = json_number ("%.2f", p->price);
      g_autofree char *cost = json_number ("%.2f", p->cost);

      if (!ensure (service, system, "products", id, error,
                   "{\"productnumber\": \"%s\", \"name\": \"%s\", \"producttypecode\": %d, "
                   "\"price\": %s, \"standardcost\": %s, \"currentcost\": %s, "
                   "\"quantityonhand\": %u, \"quantitydecimal\": 0, "
                   "\"defaultuomscheduleid@odata.bind\": \"/uomschedules(%s)\", "
                   "\"defaultuomid@odata.bind\": \"/uoms(%s)\", "
                   "\"pricelevelid@odata.bind\": \"/pricelevels(%s)\"}",
                   p->number, p->name, p->type, price, cost, cost, p->type == 1 ? 10 + i * 7 : 0,
                   schedule, uom, standard) ||
          !ensure (service, system, "productpricelevels", ppl, error,
                   "{\"amount\": %s, \"pricingmethodcode\": 1, "
                   "\"pricelevelid@odata.bind\": \"/pricelevels(%s)\", "
                   "\"productid@odata.bind\": \"/products(%s)\", "
                   "\"uomid@odata.bind\": \"/uoms(%s)\", "
                   "\"uomscheduleid@odata.bind\": \"/uomschedules(%s)\"}",
                   price, standard, id, uom, schedule))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
    {
      const DemoAccount *a = &demo_accounts[i];
      g_autofree char *id = id_of ("account", a->number);
      g_autofree char *currency = id_of ("transactioncurrency", a->currency);
      g_autofree char *owner = id_of ("systemuser", salespeople[i % G_N_ELEMENTS (salespeople)][0]);
      g_autofree char *state = a->state ? g_strdup_printf ("\"%s\"", a->state) : g_strdup ("null");
      g_autofree char *c1 = NULL;
      g_autofree char *credit = json_number ("%.0f", a->credit);

      if (!ensure (service, owner, "accounts", id, error,
                   "{\"name\": \"%s\", \"accountnumber\": \"%s\", \"address1_line1\": \"%s\", "
                   "\"address1_city\": \"%s\", \"address1_postalcode\": \"%s\", "
                   "\"address1_stateorprovince\": %s, \"address1_country\": \"%s\", "
                   "\"telephone1\": \"%s\", \"websiteurl\": \"%s\", \"emailaddress1\": "
                   "\"info@%s\", \"creditlimit\": %s, \"customertypecode\": 3, "
                   "\"transactioncurrencyid@odata.bind\": \"/transactioncurrencies(%s)\", "
                   "\"ownerid@odata.bind\": \"/systemusers(%s)\"}",
                   a->name, a->number, a->street, a->city, a->zip, state, a->country, a->phone,
                   a->web, a->web + 4, credit, currency, owner))
        return FALSE;
      for (guint j = 0; j < 2; j++)
        {
          guint k = (i * 2 + j) % G_N_ELEMENTS (first_names);
          g_autofree char *key = g_strdup_printf ("%s-%u", a->number, j);
          g_autofree char *contact = id_of ("contact", key);
          g_autofree char *ascii = g_str_to_ascii (first_names[k], "C");
          g_autofree char *first = g_ascii_strdown (ascii, -1);

          if (!ensure (service, owner, "contacts", contact, error,
                       "{\"firstname\": \"%s\", \"lastname\": \"%s\", \"emailaddress1\": "
                       "\"%s@%s\", \"telephone1\": \"%s\", \"jobtitle\": \"%s\", "
                       "\"address1_city\": \"%s\", \"address1_country\": \"%s\", "
                       "\"parentcustomerid_account@odata.bind\": \"/accounts(%s)\", "
                       "\"transactioncurrencyid@odata.bind\": \"/transactioncurrencies(%s)\"}",
                       first_names[k], last_names[(k + i) % G_N_ELEMENTS (last_names)], first,
                       a->web + 4, a->phone, j == 0 ? "Purchasing Manager" : "Accountant", a->city,
                       a->country, id, currency))
            return FALSE;
          if (j == 0)
            c1 = g_strdup (contact);
        }
      if (!update (service, owner, "accounts", id, error,
                   "{\"primarycontactid@odata.bind\": \"/contacts(%s)\"}", c1))
        return FALSE;
      if (i < 6)
        {
          g_autofree char *opp = id_of ("opportunity", a->number);

          if (!ensure (service, owner, "opportunities", opp, error,
                       "{\"name\": \"%u %s for %s\", \"estimatedvalue\": %u, "
                       "\"estimatedclosedate\": \"2026-12-%02u\", \"closeprobability\": %u, "
                       "\"parentaccountid@odata.bind\": \"/accounts(%s)\", "
                       "\"parentcontactid@odata.bind\": \"/contacts(%s)\"}",
                       5 + i * 3, i % 2 ? "ATHENS Desks" : "Guest Chairs", a->name, 5000 + i * 2500,
                       10 + i, 30 + i * 10, id, c1))
            return FALSE;
        }
    }

  /* Orders: three submitted (waiting for the ERP), two still active drafts. */
  for (guint i = 0; i < 5; i++)
    {
      const DemoAccount *a = &demo_accounts[i];
      g_autofree char *key = g_strdup_printf ("SO%u", i + 1);
      g_autofree char *order = id_of ("salesorder", key);
      g_autofree char *account = id_of ("account", a->number);
      g_autofree char *owner = id_of ("systemuser", salespeople[i % G_N_ELEMENTS (salespeople)][0]);
      g_autofree char *writein = id_of ("salesorderdetail", "SO5-w");
      g_autofree char *note = id_of ("annotation", "SO1");
      g_autofree char *post = id_of ("post", "SO1");

      if (!ensure (service, owner, "salesorders", order, error,
                   "{\"name\": \"PO-%u-%s\", \"requestdeliveryby\": \"2026-12-%02u\", "
                   "\"freightamount\": %u, \"discountpercentage\": %u, \"description\": "
                   "\"Deliver to the loading dock at the back.\", \"billto_name\": \"%s\", "
                   "\"billto_line1\": \"%s\", \"billto_city\": \"%s\", \"billto_postalcode\": "
                   "\"%s\", \"billto_country\": \"%s\", \"shipto_name\": \"%s\", "
                   "\"shipto_line1\": \"%s\", \"shipto_city\": \"%s\", \"shipto_postalcode\": "
                   "\"%s\", \"shipto_country\": \"%s\", "
                   "\"customerid_account@odata.bind\": \"/accounts(%s)\", "
                   "\"pricelevelid@odata.bind\": \"/pricelevels(%s)\"}",
                   4711 + i, a->number, 5 + i * 3, i % 2 ? 25 : 0, i == 2 ? 5 : 0, a->name,
                   a->street, a->city, a->zip, a->country, a->name, a->street, a->city, a->zip,
                   a->country, account, standard))
        return FALSE;
      for (guint j = 0; j < 3; j++)
        {
          const DemoProduct *p = &demo_products[(i * 3 + j) % G_N_ELEMENTS (demo_products)];
          g_autofree char *line_key = g_strdup_printf ("SO%u-%u", i + 1, j);
          g_autofree char *line = id_of ("salesorderdetail", line_key);
          g_autofree char *product = id_of ("product", p->number);
          g_autofree char *schedule = id_of ("uomschedule", p->unit);
          g_autofree char *uom_key = g_strdup_printf ("uom/%s", schedule);
          g_autofree char *uom = sb_sandbox_uuid_from_name (uom_key);

          if (!ensure (service, owner, "salesorderdetails", line, error,
                       "{\"quantity\": %u, \"sequencenumber\": %u, \"manualdiscountamount\": %u, "
                       "\"salesorderid@odata.bind\": \"/salesorders(%s)\", "
                       "\"productid@odata.bind\": \"/products(%s)\", "
                       "\"uomid@odata.bind\": \"/uoms(%s)\"}",
                       1 + (i + j) % 4, (j + 1) * 10, j == 1 ? 10 : 0, order, product, uom))
            return FALSE;
        }
      if (i == 4 &&
          !ensure (service, owner, "salesorderdetails", writein, error,
                   "{\"quantity\": 2, \"sequencenumber\": 40, \"isproductoverridden\": true, "
                   "\"productdescription\": \"Custom engraving of the company logo on every "
                   "desk, in brushed steel, positioned at the front right corner\", "
                   "\"priceperunit\": 35, \"ispriceoverridden\": true, "
                   "\"salesorderid@odata.bind\": \"/salesorders(%s)\"}",
                   order))
        return FALSE;
      if (i < 3 && !update (service, owner, "salesorders", order, error,
                            "{\"statecode\": 1, \"statuscode\": 3, \"submitdate\": "
                            "\"2026-11-%02u\"}",
                            10 + i))
        return FALSE;
      if (i == 0 &&
          (!ensure (service, owner, "annotations", note, error,
                    "{\"subject\": \"Delivery\", \"notetext\": \"Call Ada before delivering; "
                    "the dock closes at 3 pm.\", \"objectid_salesorder@odata.bind\": "
                    "\"/salesorders(%s)\"}",
                    order) ||
           !ensure (service, owner, "posts", post, error,
                    "{\"text\": \"Order submitted by the customer's purchasing manager.\", "
                    "\"source\": 2, \"type\": 7, \"regardingobjectid_salesorder@odata.bind\": "
                    "\"/salesorders(%s)\"}",
                    order)))
        return FALSE;
    }

  /* Quotes: Q1 draft, Q2 active, Q3 won, Q4 active then revised (revision 1 active). */
  for (guint i = 0; i < 4; i++)
    {
      const DemoAccount *a = &demo_accounts[5 + i];
      g_autofree char *key = g_strdup_printf ("Q%u", i + 1);
      g_autofree char *quote = id_of ("quote", key);
      g_autofree char *account = id_of ("account", a->number);
      g_autofree char *owner =
          id_of ("systemuser", salespeople[(i + 1) % G_N_ELEMENTS (salespeople)][0]);

      if (!ensure (service, owner, "quotes", quote, error,
                   "{\"name\": \"Office furniture for %s\", \"effectivefrom\": \"2026-11-01\", "
                   "\"effectiveto\": \"2026-12-31\", \"freightamount\": 50, "
                   "\"customerid_account@odata.bind\": \"/accounts(%s)\", "
                   "\"pricelevelid@odata.bind\": \"/pricelevels(%s)\"}",
                   a->name, account, standard))
        return FALSE;
      for (guint j = 0; j < 2; j++)
        {
          const DemoProduct *p = &demo_products[(i * 2 + j) % G_N_ELEMENTS (demo_products)];
          g_autofree char *line_key = g_strdup_printf ("Q%u-%u", i + 1, j);
          g_autofree char *line = id_of ("quotedetail", line_key);
          g_autofree char *product = id_of ("product", p->number);

          if (!ensure (service, owner, "quotedetails", line, error,
                       "{\"quantity\": %u, \"sequencenumber\": %u, "
                       "\"quoteid@odata.bind\": \"/quotes(%s)\", "
                       "\"productid@odata.bind\": \"/products(%s)\"}",
                       2 + j, (j + 1) * 10, quote, product))
            return FALSE;
        }
      if (i > 0 &&
          !update (service, owner, "quotes", quote, error, "{\"statecode\": 1, \"statuscode\": 2}"))
        return FALSE;
      if (i == 2)
        {
          g_autofree char *body = g_strdup_printf (
              "{\"QuoteClose\": {\"subject\": \"Won\", \"quoteid@odata.bind\": \"/quotes(%s)\"}, "
              "\"Status\": 4}",
              quote);

          if (!post_action (service, owner, "WinQuote", body, error))
            return FALSE;
        }
      if (i == 3)
        {
          g_autofree char *body = g_strdup_printf ("{\"QuoteId\": \"%s\", \"ColumnSet\": "
                                                   "{\"AllColumns\": true}}",
                                                   quote);

          if (!post_action (service, owner, "ReviseQuote", body, error))
            return FALSE;
        }
    }

  /* Invoices: one billed, one paid. */
  for (guint i = 0; i < 2; i++)
    {
      const DemoAccount *a = &demo_accounts[9 + i];
      g_autofree char *key = g_strdup_printf ("INV%u", i + 1);
      g_autofree char *invoice = id_of ("invoice", key);
      g_autofree char *line = id_of ("invoicedetail", key);
      g_autofree char *account = id_of ("account", a->number);
      g_autofree char *product = id_of ("product", demo_products[i].number);

      if (!ensure (service, system, "invoices", invoice, error,
                   "{\"name\": \"Invoice %s\", \"duedate\": \"2026-12-15\", "
                   "\"customerid_account@odata.bind\": \"/accounts(%s)\", "
                   "\"pricelevelid@odata.bind\": \"/pricelevels(%s)\"}",
                   a->name, account, standard) ||
          !ensure (service, system, "invoicedetails", line, error,
                   "{\"quantity\": %u, \"invoiceid@odata.bind\": \"/invoices(%s)\", "
                   "\"productid@odata.bind\": \"/products(%s)\"}",
                   3 + i, invoice, product) ||
          !update (service, system, "invoices", invoice, error,
                   "{\"statecode\": %d, \"statuscode\": %d}", i == 0 ? 0 : 2, i == 0 ? 4 : 100001))
        return FALSE;
    }
  return TRUE;
}

gboolean
sb_sandbox_seed_accounts (SbSandboxService *service, guint n, GError **error)
{
  SbSandboxStore *store = sb_sandbox_service_get_store (service);
  g_autofree char *system = sb_sandbox_seed_system_user ();
  g_autoptr (GError) local = NULL;

  if (!sb_sandbox_store_begin (store, error))
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *number = g_strdup_printf ("G%06u", i);
      g_autofree char *id = id_of ("account", number);
      g_autoptr (JsonObject) body = NULL;
      g_autofree char *created = NULL;

      if (sb_sandbox_store_exists (store, sb_sandbox_schema_table ("account"), id))
        continue;
      body = json_object_new ();
      json_object_set_string_member (body, "accountid", id);
      json_object_set_string_member (body, "name", number);
      json_object_set_string_member (body, "accountnumber", number);
      json_object_set_int_member (body, "customertypecode", 3);
      json_object_set_string_member (body, "address1_city", i % 2 ? "Springfield" : "Riverside");
      /* sb_sandbox_service_create nests in our transaction as a savepoint. */
      created = sb_sandbox_service_create (service, system, "accounts", body, &local);
      if (created == NULL)
        {
          sb_sandbox_store_rollback (store);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  return sb_sandbox_store_commit (store, error);
}
