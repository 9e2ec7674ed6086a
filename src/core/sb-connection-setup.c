/* sb-connection-setup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-connection-setup.h"
#include "sb-core-error.h"

gboolean
sb_connection_url_is_loopback (const char *url)
{
  g_autoptr (GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr (GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Secrets and tokens travel to these addresses, so they must be encrypted; the one exception is
 * a server on this very computer (the sandbox), where there is no network to listen on. */
static gboolean
check_url (const char *label, const char *url, gboolean required, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || *url == '\0')
    {
      if (!required)
        return TRUE;
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   /* TRANSLATORS: %s is a field label such as "Dynamics 365 Sales URL" */
                   _ ("Connection Setup: enter the %s."), _ (label));
      return FALSE;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   /* TRANSLATORS: first %s is a field label, second the text the user typed */
                   _ ("Connection Setup: the %s “%s” is not a web address. Enter the whole "
                      "address, starting with https://."),
                   _ (label), url);
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !sb_connection_url_is_loopback (url))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Connection Setup: the %s “%s” is not encrypted. Use an address starting "
                      "with https:// (plain http:// is only allowed for this computer)."),
                   _ (label), url);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_guid (const char *text)
{
  static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

  if (strlen (text) != sizeof shape - 1)
    return FALSE;
  for (guint i = 0; shape[i] != '\0'; i++)
    if (shape[i] == '-' ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* A directory id (GUID) or a domain such as contoso.onmicrosoft.com: labels of letters, digits
 * and hyphens separated by dots. */
static gboolean
is_tenant (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 253 || text[0] == '.' || text[len - 1] == '.' || strstr (text, ".."))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/* Test servers name their clients freely ("salesbridge-integration"); Microsoft Entra ID always
 * uses a GUID. */
static gboolean
is_simple_name (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_api_version (const char *text)
{
  const char *dot = strchr (text, '.');

  if (dot == NULL || dot == text || dot[1] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && p != dot)
      return FALSE;
  return TRUE;
}

gboolean
sb_connection_setup_validate (const SbConnectionSetup *s, GError **error)
{
  if (!check_url (N_ ("Dynamics 365 Sales URL"), s->sales_url, s->is_enabled, error) ||
      !check_url (N_ ("Authority"), s->authority, TRUE, error) ||
      !check_url (N_ ("Item Availability URL"), s->item_availability_url,
                  s->item_availability_enabled, error) ||
      !check_url (N_ ("ERP Web Client URL"), s->erp_web_client_url, FALSE, error))
    return FALSE;

  if (*s->tenant != '\0' && !is_tenant (s->tenant))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Connection Setup: the tenant “%s” is neither a directory ID (such as "
                      "00000000-0000-0000-0000-000000000000) nor a domain (such as "
                      "contoso.onmicrosoft.com). Copy it from the app registration’s overview "
                      "in Microsoft Entra ID."),
                   s->tenant);
      return FALSE;
    }
  if (*s->client_id != '\0' && !is_guid (s->client_id) &&
      !(sb_connection_url_is_loopback (s->sales_url) && is_simple_name (s->client_id)))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Connection Setup: the client ID “%s” is not an application (client) ID. "
                      "Copy it from the app registration’s overview in Microsoft Entra ID; it "
                      "looks like 00000000-0000-0000-0000-000000000000."),
                   s->client_id);
      return FALSE;
    }
  if (!is_api_version (s->api_version))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Connection Setup: the API version “%s” is not a version number. Enter "
                      "one such as %s."),
                   s->api_version, SB_CONNECTION_DEFAULT_API_VERSION);
      return FALSE;
    }
  if (s->base_currency_precision < 0 || s->base_currency_precision > 10)
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   _ ("Connection Setup: the base currency precision must be from 0 to 10."));
      return FALSE;
    }
  if (s->is_enabled && (*s->client_id == '\0' || *s->tenant == '\0'))
    {
      g_set_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID,
                   *s->client_id == '\0'
                       ? _ ("Connection Setup: enter the client ID before enabling the "
                            "connection.")
                       : _ ("Connection Setup: enter the tenant before enabling the connection."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_connection_setup (SbStore *store, gconstpointer record, GError **error)
{
  return sb_connection_setup_validate (record, error);
}

static const SbField connection_setup_fields[] = {
  SB_FIELD (SbConnectionSetup, id, SB_FIELD_INT, 0, SB_FIELD_FLAG_KEY, NULL),
  SB_FIELD (SbConnectionSetup, sales_url, SB_FIELD_TEXT, 250, 0, N_ ("Dynamics 365 Sales URL")),
  SB_FIELD (SbConnectionSetup, tenant, SB_FIELD_TEXT, 253, 0, N_ ("Tenant")),
  SB_FIELD (SbConnectionSetup, client_id, SB_FIELD_TEXT, 100, 0, N_ ("Client ID")),
  SB_FIELD (SbConnectionSetup, authority, SB_FIELD_TEXT, 250, 0, N_ ("Authority")),
  SB_FIELD (SbConnectionSetup, api_version, SB_FIELD_TEXT, 10, 0, N_ ("API Version")),
  SB_FIELD (SbConnectionSetup, is_enabled, SB_FIELD_BOOL, 0, 0, N_ ("Is Enabled")),
  SB_FIELD (SbConnectionSetup, sales_order_integration, SB_FIELD_BOOL, 0, 0,
            N_ ("Sales Order Integration Enabled")),
  SB_FIELD (SbConnectionSetup, auto_create_sales_orders, SB_FIELD_BOOL, 0, 0,
            N_ ("Automatically Create Sales Orders")),
  SB_FIELD (SbConnectionSetup, auto_process_sales_quotes, SB_FIELD_BOOL, 0, 0,
            N_ ("Automatically Process Sales Quotes")),
  SB_FIELD (SbConnectionSetup, item_availability_enabled, SB_FIELD_BOOL, 0, 0,
            N_ ("Item Availability Web Service Enabled")),
  SB_FIELD (SbConnectionSetup, item_availability_url, SB_FIELD_TEXT, 250, 0,
            N_ ("Item Availability URL")),
  SB_FIELD (SbConnectionSetup, item_availability_user, SB_FIELD_TEXT, 100, 0,
            N_ ("Item Availability User Name")),
  SB_FIELD (SbConnectionSetup, erp_web_client_url, SB_FIELD_TEXT, 250, 0,
            N_ ("ERP Web Client URL")),
  SB_FIELD (SbConnectionSetup, base_currency_code, SB_FIELD_TEXT, 10, 0,
            N_ ("Dataverse Base Currency")),
  SB_FIELD (SbConnectionSetup, base_currency_precision, SB_FIELD_INT, 0, 0,
            N_ ("Dataverse Base Currency Precision")),
  SB_FIELD (SbConnectionSetup, base_currency_symbol, SB_FIELD_TEXT, 10, 0,
            N_ ("Dataverse Base Currency Symbol")),
  SB_FIELD (SbConnectionSetup, solution_deployed, SB_FIELD_BOOL, 0, 0,
            N_ ("Integration Solution Deployed")),
  SB_FIELD (SbConnectionSetup, last_test_at, SB_FIELD_TEXT, 40, 0, N_ ("Last Successful Test")),
  SB_FIELD_CHANGE_NO (SbConnectionSetup),
  SB_FIELD_MODIFIED_AT (SbConnectionSetup),
};

const SbRecordType sb_connection_setup_record_type = {
  "connection_setup",
  N_ ("Connection Setup"),
  sizeof (SbConnectionSetup),
  connection_setup_fields,
  G_N_ELEMENTS (connection_setup_fields),
  "id",
  validate_connection_setup,
  (GDestroyNotify) sb_connection_setup_free,
};

SB_DEFINE_RECORD (SbConnectionSetup, sb_connection_setup)

SbConnectionSetup *
sb_connection_setup_get (SbStore *store, GError **error)
{
  g_autoptr (SbConnectionSetup) key = sb_connection_setup_new ();

  key->id = 1;
  return sb_record_lookup (store, &sb_connection_setup_record_type, key, error);
}

gboolean
sb_connection_setup_update (SbStore *store, SbConnectionSetup *setup, GError **error)
{
  setup->id = 1;
  return sb_record_update (store, &sb_connection_setup_record_type, setup, error);
}
