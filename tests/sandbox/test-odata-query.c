/* test-odata-query.c: $filter/$orderby/$select/key parsing, with every compiled filter run
 * against a real in-memory SQLite table so the tests check the rows, not the SQL text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "sb-odata-query.h"

/* ------------------------------------------------------------------------------------------ */
/* Fixture: one table "acct" shaped like Dataverse's account                                   */

typedef struct
{
  const char *name;
  SbODataType type;
  const char *column;
} Attr;

static const Attr attrs[] = {
  { "name", SB_ODATA_TYPE_STRING, "a.name" },
  { "accountnumber", SB_ODATA_TYPE_STRING, "a.accountnumber" },
  { "description", SB_ODATA_TYPE_STRING, "a.description" },
  { "statecode", SB_ODATA_TYPE_INTEGER, "a.statecode" },
  { "creditlimit", SB_ODATA_TYPE_DECIMAL, "a.creditlimit" },
  { "exchangerate", SB_ODATA_TYPE_DOUBLE, "a.creditlimit * 2" },
  { "isdisabled", SB_ODATA_TYPE_BOOLEAN, "a.isdisabled" },
  { "accountid", SB_ODATA_TYPE_GUID, "a.accountid" },
  { "_parentcustomerid_value", SB_ODATA_TYPE_GUID, "a.parentcustomerid" },
  { "modifiedon", SB_ODATA_TYPE_DATETIME, "a.modifiedon" },
  { "estimatedclosedate", SB_ODATA_TYPE_DATE, "a.closedate" },
  /* A path the resolver supports through a sub-query, as the server may for lookups. */
  { "parentcustomerid/name", SB_ODATA_TYPE_STRING,
    "SELECT p.name FROM acct p WHERE p.accountid = a.parentcustomerid" },
};

static int resolve_calls;

static gboolean
resolve (const char *attribute, SbODataType *out_type, char **out_sql_expr, gpointer user_data)
{
  g_assert_cmpstr (user_data, ==, "ud");
  resolve_calls++;
  for (guint i = 0; i < G_N_ELEMENTS (attrs); i++)
    if (g_str_equal (attribute, attrs[i].name))
      {
        *out_type = attrs[i].type;
        *out_sql_expr = g_strdup (attrs[i].column);
        return TRUE;
      }
  return FALSE;
}

static sqlite3 *db;

#define G1 "00000000-0000-0000-0000-000000000001"
#define G2 "00000000-0000-0000-0000-000000000002"
#define G3 "a59c24f3-fafc-e411-80dd-00155d2a68cb"

static void
exec_sql (const char *sql)
{
  char *err = NULL;
  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("SQL failed: %s\n%s", err, sql);
}

static void
setup_db (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_true (sb_odata_register_sqlite (db, &error));
  g_assert_no_error (error);
  exec_sql ("CREATE TABLE acct (accountnumber TEXT PRIMARY KEY, name TEXT, description TEXT, "
            "statecode INTEGER, creditlimit REAL, isdisabled INTEGER, accountid TEXT, "
            "parentcustomerid TEXT, modifiedon TEXT, closedate TEXT)");
  exec_sql ("CREATE INDEX acct_name ON acct (name COLLATE SB_NOCASE)");
  exec_sql (
      "INSERT INTO acct VALUES "
      "('A1','Contoso Ltd','O''Brien & Co',0,1000.5,0,'" G1 "',NULL,'2026-11-20T09:00:00Z',"
      "'2026-12-01'),"
      "('A2','Fabrikam',NULL,1,250,1,'" G2 "','" G1 "','2026-11-21T10:00:00Z',"
      "'2026-11-21T00:00:00Z'),"
      "('A3','Ærø Ålborg ö','café',0,NULL,0,'" G3 "','" G1 "','2026-11-21T10:00:01Z',NULL),"
      "('A4','ÉCOLE Été','e\xcc\x81"
      "cole',2,-3,0,'00000000-0000-0000-0000-000000000004','" G3 "',"
      "'2026-11-22T00:00:00Z','2027-01-15'),"
      "('A5',NULL,'Straße',0,12.5,NULL,'00000000-0000-0000-0000-000000000005',NULL,NULL,NULL),"
      "('A6','contoso east','100% sure_thing',1,0,0,'00000000-0000-0000-0000-000000000006',"
      "NULL,'2026-11-21T09:59:59Z','2026-11-21')");
}

static void
bind_params (sqlite3_stmt *stmt, GPtrArray *params)
{
  for (guint i = 0; i < params->len; i++)
    {
      GVariant *v = g_ptr_array_index (params, i);
      int rc;
      g_assert_false (g_variant_is_floating (v));
      if (g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
        rc = sqlite3_bind_text (stmt, i + 1, g_variant_get_string (v, NULL), -1, SQLITE_TRANSIENT);
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
        rc = sqlite3_bind_int64 (stmt, i + 1, g_variant_get_int64 (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_DOUBLE))
        rc = sqlite3_bind_double (stmt, i + 1, g_variant_get_double (v));
      else if (g_variant_is_of_type (v, G_VARIANT_TYPE_BOOLEAN))
        rc = sqlite3_bind_int (stmt, i + 1, g_variant_get_boolean (v) ? 1 : 0);
      else
        g_error ("unexpected parameter type %s", g_variant_get_type_string (v));
      g_assert_cmpint (rc, ==, SQLITE_OK);
    }
}

/* Runs "SELECT accountnumber FROM acct a WHERE <where> ORDER BY <order>" and returns the
 * account numbers joined by ','; NULL if preparing or stepping failed (@error says why). */
static char *
run_query (const char *where, GPtrArray *params, const char *order, GError **error)
{
  g_autofree char *sql =
      g_strdup_printf ("SELECT accountnumber FROM acct a WHERE %s ORDER BY %s", where, order);
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "prepare: %s: %s", sqlite3_errmsg (db),
                   sql);
      return NULL;
    }
  if (params)
    bind_params (stmt, params);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, (const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "step: %s: %s", sqlite3_errmsg (db), sql);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Compiles @filter; NULL + error if parsing or compiling fails. */
static char *
compile (const char *filter, GPtrArray *params, GError **error)
{
  g_autoptr (SbODataFilter) f = sb_odata_filter_parse (filter, error);
  if (f == NULL)
    return NULL;
  return sb_odata_filter_to_sql (f, "account", resolve, (gpointer) "ud", params, error);
}

/* The account numbers matching @filter, in order. Fails the test on any error. */
static char *
match (const char *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree char *where = compile (filter, params, &error);
  if (where == NULL)
    g_error ("filter \"%s\" failed: %s", filter, error->message);
  char *rows = run_query (where, params, "accountnumber", &error);
  if (rows == NULL)
    g_error ("filter \"%s\" → SQL failed: %s", filter, error->message);
  return rows;
}

#define assert_match(filter, expected)                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autofree char *rows_ = match (filter);                                                       \
    if (g_strcmp0 (rows_, expected) != 0)                                                          \
      g_error ("filter \"%s\": expected rows [%s], got [%s]", filter, expected, rows_);            \
  }                                                                                                \
  G_STMT_END

/* Asserts that @filter fails with @code and a message containing @fragment (if not NULL). */
static void
assert_filter_error (const char *filter, SbODataError code, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree char *where = compile (filter, params, &error);

  if (where != NULL)
    g_error ("filter \"%s\" compiled to \"%s\" but should fail", filter, where);
  g_assert_nonnull (error);
  if (!g_error_matches (error, SB_ODATA_ERROR, code))
    g_error ("filter \"%s\": expected error code %d, got %d: %s", filter, code, error->code,
             error->message);
  if (fragment && strstr (error->message, fragment) == NULL)
    g_error ("filter \"%s\": message \"%s\" lacks \"%s\"", filter, error->message, fragment);
  g_assert_cmpuint (params->len, ==, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* $filter                                                                                     */

static void
test_filter_comparisons (void)
{
  assert_match ("statecode eq 0", "A1,A3,A5");
  assert_match ("statecode ne 0", "A2,A4,A6");
  assert_match ("statecode gt 0", "A2,A4,A6");
  assert_match ("statecode ge 1", "A2,A4,A6");
  assert_match ("statecode lt 1", "A1,A3,A5");
  assert_match ("statecode le 1", "A1,A2,A3,A5,A6");
  assert_match ("statecode gt 1", "A4");
  /* A literal on the left flips the operator. */
  assert_match ("1 lt statecode", "A4");
  assert_match ("0 eq statecode", "A1,A3,A5");
  /* Decimals, negatives, exponents, and integers against decimal attributes. */
  assert_match ("creditlimit gt 12.5", "A1,A2");
  assert_match ("creditlimit ge 12.5", "A1,A2,A5");
  assert_match ("creditlimit eq -3", "A4");
  assert_match ("creditlimit lt -2.5", "A4");
  assert_match ("creditlimit eq 1000.5", "A1");
  assert_match ("creditlimit ge 1e3", "A1");
  assert_match ("creditlimit eq 12.5m", "A5");
  assert_match ("statecode lt 1.5", "A1,A2,A3,A5,A6");
  assert_match ("exchangerate eq 25", "A5");
  /* Strings compare case-insensitively, ordering included. */
  assert_match ("name eq 'contoso ltd'", "A1");
  assert_match ("name eq 'CONTOSO LTD'", "A1");
  assert_match ("name ne 'contoso ltd'", "A2,A3,A4,A6");
  assert_match ("name lt 'D'", "A1,A6");
  assert_match ("name ge 'fabrikam'", "A2,A3"); /* 'École' sorts among the E's */
  assert_match ("name gt 'e' and name lt 'f'", "A4");
  assert_match ("accountnumber le 'a2'", "A1,A2");
}

static void
test_filter_non_ascii (void)
{
  assert_match ("name eq 'ærø ålborg Ö'", "A3");
  assert_match ("name eq 'ÆRØ ÅLBORG Ö'", "A3");
  assert_match ("name eq 'école été'", "A4");
  /* Stored decomposed ("e" + U+0301), queried precomposed, in another case. */
  assert_match ("description eq 'ÉCOLE'", "A4");
  assert_match ("description eq 'e\xcc\x81"
                "cole'",
                "A4");
  /* ß folds to ss. */
  assert_match ("description eq 'STRASSE'", "A5");
  assert_match ("contains(description,'É')", "A3,A4");
  assert_match ("startswith(name,'æRØ')", "A3");
  assert_match ("endswith(name,'ÉTÉ')", "A4");
  assert_match ("contains(name,'ålb')", "A3");
  /* Accents still matter. */
  assert_match ("name eq 'ecole ete'", "");
  assert_match ("name eq 'aero alborg o'", "");
}

static void
test_filter_functions (void)
{
  assert_match ("contains(name,'CONTOSO')", "A1,A6");
  assert_match ("contains(name, 'toso')", "A1,A6");
  assert_match ("startswith(name,'contoso')", "A1,A6");
  assert_match ("startswith(name,'ontoso')", "");
  assert_match ("endswith(name,'LTD')", "A1");
  assert_match ("endswith(name,'')", "A1,A2,A3,A4,A6");
  assert_match ("not contains(name,'contoso')", "A2,A3,A4");
  assert_match ("not startswith(name,'c') and statecode eq 0", "A3");
  /* LIKE wildcards are plain characters. */
  assert_match ("contains(description,'%')", "A6");
  assert_match ("contains(description,'_')", "A6");
  assert_match ("contains(description,'100% s')", "A6");
  assert_match ("startswith(description,'%')", "");
  /* Function and keyword names are case-insensitive; whitespace before '(' is tolerated. */
  assert_match ("Contains(name,'fab')", "A2");
  assert_match ("STARTSWITH (name,'fab')", "A2");
  /* A property as the second argument. */
  assert_match ("contains(name,accountnumber)", "");
  /* A path that the resolver supports. */
  assert_match ("parentcustomerid/name eq 'contoso ltd'", "A2,A3");
  assert_match ("contains(parentcustomerid/name,'ø')", "A4");
}

static void
test_filter_precedence (void)
{
  /* and binds tighter than or. */
  assert_match ("statecode eq 1 or statecode eq 2 and isdisabled eq true", "A2,A6");
  assert_match ("(statecode eq 1 or statecode eq 2) and isdisabled eq false", "A4,A6");
  assert_match ("isdisabled eq false and statecode eq 2 or statecode eq 1", "A2,A4,A6");
  assert_match ("isdisabled eq false and (statecode eq 2 or statecode eq 1)", "A4,A6");
  /* not binds tighter than and/or. */
  assert_match ("not statecode eq 0 and isdisabled eq false", "A4,A6");
  assert_match ("not statecode eq 0 or statecode eq 0", "A1,A2,A3,A4,A5,A6");
  assert_match ("not (statecode eq 0 or statecode eq 1)", "A4");
  assert_match ("not not statecode eq 2", "A4");
  assert_match ("not(statecode eq 2)", "A1,A2,A3,A5,A6");
  /* Redundant parentheses and whitespace of all kinds. */
  assert_match ("((((statecode eq 2))))", "A4");
  assert_match ("  statecode   eq\t0\r\n and(name  eq 'Fabrikam'or name eq 'contoso ltd')  ", "A1");
  assert_match ("statecode eq 0 and name ne null and creditlimit ne null", "A1");
  /* Keywords in any case. */
  assert_match ("statecode EQ 0 AND name Eq 'Contoso Ltd'", "A1");
  assert_match ("NOT statecode eq 0 OR isdisabled eq TRUE", "A2,A4,A6");
}

static void
test_filter_null_bool (void)
{
  assert_match ("name eq null", "A5");
  assert_match ("name ne null", "A1,A2,A3,A4,A6");
  assert_match ("null eq creditlimit", "A3");
  assert_match ("modifiedon eq null or estimatedclosedate eq null", "A3,A5");
  assert_match ("_parentcustomerid_value eq null", "A1,A5,A6");
  assert_match ("isdisabled eq true", "A2");
  assert_match ("isdisabled eq false", "A1,A3,A4,A6");
  assert_match ("isdisabled ne true", "A1,A3,A4,A6");
  assert_match ("isdisabled", "A2");
  assert_match ("not isdisabled", "A1,A3,A4,A6");
  assert_match ("isdisabled eq null", "A5");
  assert_match ("true", "A1,A2,A3,A4,A5,A6");
  assert_match ("false or statecode eq 2", "A4");
}

static void
test_filter_guid_date (void)
{
  assert_match ("accountid eq " G2, "A2");
  assert_match ("accountid eq A59C24F3-FAFC-E411-80DD-00155D2A68CB", "A3");
  assert_match ("_parentcustomerid_value eq " G1, "A2,A3");
  assert_match ("_parentcustomerid_value eq a59c24f3-fafc-e411-80dd-00155d2a68cb", "A4");
  assert_match ("_parentcustomerid_value ne " G1, "A4");
  assert_match ("accountid eq _parentcustomerid_value", "");

  assert_match ("modifiedon gt 2026-11-21T10:00:00Z", "A3,A4");
  assert_match ("modifiedon ge 2026-11-21T10:00:00Z", "A2,A3,A4");
  assert_match ("modifiedon eq 2026-11-21T10:00:00.000Z", "A2");
  assert_match ("modifiedon eq 2026-11-21T11:00:00+01:00", "A2");
  assert_match ("modifiedon eq 2026-11-21T05:00:00-05:00", "A2");
  assert_match ("modifiedon lt 2026-11-21", "A1");
  assert_match ("modifiedon ge 2026-11-21 and modifiedon lt 2026-11-22", "A2,A3,A6");
  assert_match ("modifiedon gt 2026-11-21T09:59:59Z and modifiedon lt 2026-11-21T10:00:01Z", "A2");
  /* Date-only attributes compare by day whether stored as a date or a date-time. */
  assert_match ("estimatedclosedate eq 2026-11-21", "A2,A6");
  assert_match ("estimatedclosedate ge 2026-12-01", "A1,A4");
  assert_match ("estimatedclosedate eq 2026-11-21T15:00:00Z", "A2,A6");
  /* Against a date-time, both sides compare as days. */
  assert_match ("estimatedclosedate lt modifiedon", "");
  assert_match ("estimatedclosedate le modifiedon", "A2,A6");
}

static void
test_filter_strings (void)
{
  assert_match ("description eq 'O''Brien & Co'", "A1");
  assert_match ("contains(description,'''')", "A1");
  assert_match ("description eq 'o''brien & co' and name eq 'Contoso Ltd'", "A1");
  assert_match ("name eq ''''", "");
  assert_match ("name eq 'Fabrikam' or name eq 'x''y' or name eq ')'", "A2");
  assert_match ("name eq ' and name eq '", "");
  assert_match ("name eq '(('", "");
  /* Keywords inside strings are data. */
  assert_match ("contains(description,' & ')", "A1");
}

static void
test_filter_crm_functions (void)
{
  assert_match ("Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['1','2'])",
                "A2,A4,A6");
  assert_match ("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=[\"FABRIKAM\","
                "\"contoso east\"])",
                "A2,A6");
  assert_match ("Microsoft.Dynamics.CRM.NotIn(PropertyName='statecode',PropertyValues=['0'])",
                "A2,A4,A6");
  assert_match ("Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=[2])", "A4");
  assert_match ("Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=['" G2 "','" G1
                "'])",
                "A1,A2");
  assert_match ("Microsoft.Dynamics.CRM.Between(PropertyName='creditlimit',PropertyValues=["
                "'0','300'])",
                "A2,A5,A6");
  assert_match ("Microsoft.Dynamics.CRM.NotBetween(PropertyName='creditlimit',PropertyValues=["
                "'0','300'])",
                "A1,A4");
  assert_match ("Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='modifiedon',PropertyValue="
                "'2026-11-21')",
                "A2,A3,A4,A6");
  assert_match ("Microsoft.Dynamics.CRM.On(PropertyName='modifiedon',PropertyValue='2026-11-21')",
                "A2,A3,A6");
  assert_match ("Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='estimatedclosedate',"
                "PropertyValue='2026-11-21')",
                "A2,A6");
  assert_match ("microsoft.dynamics.crm.in(propertyname='statecode',propertyvalues=['2']) and "
                "not Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['x'])",
                "A4");

  assert_filter_error ("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')",
                       SB_ODATA_ERROR_UNSUPPORTED, "EqualUserId");
  assert_filter_error ("Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['x'])",
                       SB_ODATA_ERROR_TYPE_MISMATCH, "'x'");
  assert_filter_error ("Microsoft.Dynamics.CRM.In(PropertyName='nope',PropertyValues=['x'])",
                       SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE, "'nope'");
  assert_filter_error ("Microsoft.Dynamics.CRM.In(PropertyValues=['x'])", SB_ODATA_ERROR_SYNTAX,
                       "PropertyName");
  assert_filter_error ("Microsoft.Dynamics.CRM.Between(PropertyName='statecode',PropertyValues=["
                       "'1'])",
                       SB_ODATA_ERROR_SYNTAX, "two values");
  assert_filter_error ("Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['1'",
                       SB_ODATA_ERROR_SYNTAX, NULL);
}

/* The time-relative query functions, against rows dated relative to the real clock. */
static void
test_filter_crm_relative_dates (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) recent = g_date_time_add_hours (now, -1);
  g_autoptr (GDateTime) old = g_date_time_add_days (now, -30);
  g_autoptr (GDateTime) soon = g_date_time_add_hours (now, 1);
  g_autofree char *r = g_date_time_format (recent, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *o = g_date_time_format (old, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *s = g_date_time_format (soon, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *sql = g_strdup_printf ("INSERT INTO acct (accountnumber, modifiedon) VALUES "
                                          "('T1','%s'),('T2','%s'),('T3','%s')",
                                          r, o, s);
  exec_sql (sql);

  assert_match ("startswith(accountnumber,'T') and "
                "Microsoft.Dynamics.CRM.LastXDays(PropertyName='modifiedon',PropertyValue=7)",
                "T1");
  assert_match ("startswith(accountnumber,'T') and "
                "Microsoft.Dynamics.CRM.LastXHours(PropertyName='modifiedon',PropertyValue='2')",
                "T1");
  assert_match ("startswith(accountnumber,'T') and "
                "Microsoft.Dynamics.CRM.NextXHours(PropertyName='modifiedon',PropertyValue=2)",
                "T3");
  assert_match ("startswith(accountnumber,'T') and "
                "Microsoft.Dynamics.CRM.LastXDays(PropertyName='modifiedon',PropertyValue=40)",
                "T1,T2");
  /* Today/Yesterday/Tomorrow only need to run: which rows they pick depends on the hour. */
  g_autofree char *today = match ("startswith(accountnumber,'T') and "
                                  "Microsoft.Dynamics.CRM.Today(PropertyName='modifiedon')");
  g_autofree char *yesterday =
      match ("startswith(accountnumber,'T') and "
             "Microsoft.Dynamics.CRM.Yesterday(PropertyName='modifiedon')");
  g_assert_true (strstr (today, "T2") == NULL && strstr (yesterday, "T2") == NULL);
  assert_filter_error ("Microsoft.Dynamics.CRM.LastXDays(PropertyName='name',PropertyValue=7)",
                       SB_ODATA_ERROR_SYNTAX, "date");
  assert_filter_error ("Microsoft.Dynamics.CRM.LastXDays(PropertyName='modifiedon',"
                       "PropertyValue=1.5)",
                       SB_ODATA_ERROR_SYNTAX, "whole number");

  exec_sql ("DELETE FROM acct WHERE accountnumber LIKE 'T%'");
}

static void
test_filter_params (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  GVariant *pre = g_variant_ref_sink (g_variant_new_string ("existing"));

  /* Parameters are appended after the caller's own. */
  g_ptr_array_add (params, pre);
  g_autofree char *sql = compile ("name eq 'x' and statecode eq 3 and creditlimit gt 1.5 and "
                                  "isdisabled eq true and accountid eq " G1,
                                  params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sql);
  g_assert_cmpuint (params->len, ==, 6);
  g_assert_cmpstr (g_variant_get_type_string (params->pdata[1]), ==, "s");
  g_assert_cmpstr (g_variant_get_string (params->pdata[1], NULL), ==, "x");
  g_assert_cmpstr (g_variant_get_type_string (params->pdata[2]), ==, "x");
  g_assert_cmpint (g_variant_get_int64 (params->pdata[2]), ==, 3);
  g_assert_cmpstr (g_variant_get_type_string (params->pdata[3]), ==, "d");
  g_assert_cmpfloat (g_variant_get_double (params->pdata[3]), ==, 1.5);
  g_assert_cmpstr (g_variant_get_type_string (params->pdata[4]), ==, "b");
  g_assert_true (g_variant_get_boolean (params->pdata[4]));
  g_assert_cmpstr (g_variant_get_string (params->pdata[5], NULL), ==, G1);
  for (guint i = 0; i < params->len; i++)
    g_assert_false (g_variant_is_floating (params->pdata[i]));
  /* Literals never reach the SQL text. */
  g_assert_null (strstr (sql, "'x'"));
  g_assert_null (strstr (sql, G1));

  /* A failing compile leaves the array as it was. */
  g_autofree char *bad = compile ("name eq 'y' and statecode eq 'z'", params, &error);
  g_assert_null (bad);
  g_assert_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH);
  g_assert_cmpuint (params->len, ==, 6);

  /* A parsed filter can be compiled more than once. */
  g_autoptr (SbODataFilter) f = sb_odata_filter_parse ("statecode eq 2", NULL);
  g_autoptr (GPtrArray) p1 = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree char *s1 = sb_odata_filter_to_sql (f, "account", resolve, (gpointer) "ud", p1, NULL);
  g_autofree char *s2 = sb_odata_filter_to_sql (f, "account", resolve, (gpointer) "ud", p1, NULL);
  g_assert_cmpstr (s1, ==, s2);
  g_assert_cmpuint (p1->len, ==, 2);
}

static void
test_filter_type_mismatch (void)
{
  assert_filter_error (
      "statecode eq 'x'", SB_ODATA_ERROR_TYPE_MISMATCH,
      "Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'");
  assert_filter_error ("statecode eq '1'", SB_ODATA_ERROR_TYPE_MISMATCH, "without quotes");
  assert_filter_error ("name eq 1", SB_ODATA_ERROR_TYPE_MISMATCH, "'Edm.String' and 'Edm.Int32'");
  assert_filter_error ("name gt 1.5", SB_ODATA_ERROR_TYPE_MISMATCH, "GreaterThan");
  assert_filter_error ("accountid eq '" G1 "'", SB_ODATA_ERROR_TYPE_MISMATCH,
                       "GUID literals are written without quotes");
  assert_filter_error ("modifiedon gt '2026-11-21'", SB_ODATA_ERROR_TYPE_MISMATCH,
                       "without quotes");
  assert_filter_error ("isdisabled eq 1", SB_ODATA_ERROR_TYPE_MISMATCH, "Edm.Boolean");
  assert_filter_error ("statecode eq true", SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("accountid eq 5", SB_ODATA_ERROR_TYPE_MISMATCH, "Edm.Guid");
  assert_filter_error ("modifiedon eq " G1, SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("name eq " G1, SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("name eq statecode", SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("name gt null", SB_ODATA_ERROR_TYPE_MISMATCH, "null");
  assert_filter_error ("contains(statecode,'1')", SB_ODATA_ERROR_TYPE_MISMATCH,
                       "No function signature for the function with name 'contains'");
  assert_filter_error ("contains(name,1)", SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("contains(name)", SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("startswith('x',name)", SB_ODATA_ERROR_TYPE_MISMATCH, NULL);
  assert_filter_error ("name", SB_ODATA_ERROR_TYPE_MISMATCH, "boolean");
  assert_filter_error ("statecode and isdisabled", SB_ODATA_ERROR_TYPE_MISMATCH, "boolean");
  assert_filter_error ("'x'", SB_ODATA_ERROR_TYPE_MISMATCH, "boolean");
  assert_filter_error ("(statecode eq 1) eq true", SB_ODATA_ERROR_UNSUPPORTED, NULL);
  assert_filter_error ("1 eq 1", SB_ODATA_ERROR_UNSUPPORTED, "two literals");
}

static void
test_filter_unknown_attribute (void)
{
  assert_filter_error ("foo eq 1", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE,
                       "Could not find a property named 'foo' on type "
                       "'Microsoft.Dynamics.CRM.account'.");
  assert_filter_error ("statecode eq 0 and Name eq 'x'", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE,
                       "'Name'");
  assert_filter_error ("contains(nosuch,'x')", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE, "'nosuch'");
  assert_filter_error ("name eq other", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE, "'other'");
  assert_filter_error ("primarycontactid/fullname eq 'x'", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE,
                       "'primarycontactid/fullname'");
}

static void
test_filter_syntax_errors (void)
{
  assert_filter_error ("name eq", SB_ODATA_ERROR_SYNTAX, "at position 7 in 'name eq'");
  assert_filter_error ("name eq 'abc", SB_ODATA_ERROR_SYNTAX,
                       "unterminated string literal at position 8");
  assert_filter_error ("(name eq 'x'", SB_ODATA_ERROR_SYNTAX, "')' expected");
  assert_filter_error ("name eq 'x')", SB_ODATA_ERROR_SYNTAX, "position 11");
  assert_filter_error ("name eq 'x' and", SB_ODATA_ERROR_SYNTAX, "expression expected");
  assert_filter_error ("name eq 'x' or or name eq 'y'", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("name ~ 'x'", SB_ODATA_ERROR_SYNTAX,
                       "character '~' is not valid at position 5");
  assert_filter_error ("name eq 'x' name", SB_ODATA_ERROR_SYNTAX, "position 12");
  assert_filter_error ("eq 1", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("", SB_ODATA_ERROR_SYNTAX, "empty");
  assert_filter_error ("   ", SB_ODATA_ERROR_SYNTAX, "empty");
  assert_filter_error ("name eq \"x\"", SB_ODATA_ERROR_SYNTAX, "single quotes");
  assert_filter_error ("statecode eq 12abc", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("modifiedon gt 2026-02-30T10:00:00Z", SB_ODATA_ERROR_SYNTAX, "not valid");
  assert_filter_error ("modifiedon gt 2026-11-21T25:00:00Z", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("contains(name,'x'", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("contains(name 'x')", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("()", SB_ODATA_ERROR_SYNTAX, NULL);
  assert_filter_error ("name eq @p1", SB_ODATA_ERROR_SYNTAX, "'@'");
  assert_filter_error ("name eq 'é' and ¤", SB_ODATA_ERROR_SYNTAX,
                       "character '¤' is not valid at position 16");
  assert_filter_error ("name eq '\xff'", SB_ODATA_ERROR_SYNTAX, "UTF-8");
  /* Long texts are cut in messages. */
  g_autoptr (GString) s = g_string_new ("name eq ");
  for (int i = 0; i < 1000; i++)
    g_string_append (s, "'x' ");
  g_autoptr (GError) error = NULL;
  g_autoptr (SbODataFilter) f = sb_odata_filter_parse (s->str, &error);
  g_assert_null (f);
  g_assert_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX);
  g_assert_cmpuint (strlen (error->message), <, 400);
  g_assert_nonnull (strstr (error->message, "…"));
}

static void
test_filter_unsupported (void)
{
  assert_filter_error ("tolower(name) eq 'x'", SB_ODATA_ERROR_UNSUPPORTED, "'tolower'");
  assert_filter_error ("year(modifiedon) eq 2026", SB_ODATA_ERROR_UNSUPPORTED, "'year'");
  assert_filter_error ("frobnicate(name)", SB_ODATA_ERROR_UNSUPPORTED,
                       "An unknown function with name 'frobnicate' was found.");
  assert_filter_error ("statecode in (0,1)", SB_ODATA_ERROR_UNSUPPORTED,
                       "Microsoft.Dynamics.CRM.In");
  assert_filter_error ("statecode add 1 eq 2", SB_ODATA_ERROR_UNSUPPORTED, "'add'");
  assert_filter_error ("statecode has 1", SB_ODATA_ERROR_UNSUPPORTED, "'has'");
}

static void
test_filter_deep_nesting (void)
{
  g_autoptr (GString) ok = g_string_new (NULL);
  g_autoptr (GString) too_deep = g_string_new (NULL);

  for (int i = 0; i < SB_ODATA_MAX_DEPTH; i++)
    g_string_append_c (ok, '(');
  g_string_append (ok, "statecode eq 2");
  for (int i = 0; i < SB_ODATA_MAX_DEPTH; i++)
    g_string_append_c (ok, ')');
  assert_match (ok->str, "A4");

  g_string_printf (too_deep, "(%s)", ok->str);
  assert_filter_error (too_deep->str, SB_ODATA_ERROR_SYNTAX, "nested more than 100 levels");

  /* Pathological depths fail fast instead of overflowing the stack. */
  g_string_truncate (too_deep, 0);
  for (int i = 0; i < 200000; i++)
    g_string_append_c (too_deep, '(');
  assert_filter_error (too_deep->str, SB_ODATA_ERROR_SYNTAX, "nested");
  g_string_truncate (too_deep, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append (too_deep, "not ");
  g_string_append (too_deep, "isdisabled");
  assert_filter_error (too_deep->str, SB_ODATA_ERROR_SYNTAX, "nested");
  g_string_truncate (too_deep, 0);
  for (int i = 0; i < 50000; i++)
    g_string_append (too_deep, "contains(");
  assert_filter_error (too_deep->str, SB_ODATA_ERROR_SYNTAX, "nested");
  /* Nesting of not and parentheses together counts. */
  g_string_truncate (too_deep, 0);
  for (int i = 0; i < 60; i++)
    g_string_append (too_deep, "not (");
  g_string_append (too_deep, "isdisabled");
  for (int i = 0; i < 60; i++)
    g_string_append_c (too_deep, ')');
  assert_filter_error (too_deep->str, SB_ODATA_ERROR_SYNTAX, "nested");
}

static void
test_filter_huge (void)
{
  /* A long flat chain stays shallow in SQLite too (its expression depth limit is 1000). */
  g_autoptr (GString) chain = g_string_new ("statecode eq 2");
  for (int i = 0; i < 5000; i++)
    g_string_append_printf (chain, " or name eq 'n%d'", i);
  assert_match (chain->str, "A4");

  g_string_assign (chain, "statecode ne 1");
  for (int i = 0; i < 5000; i++)
    g_string_append (chain, " and name ne null");
  assert_match (chain->str, "A1,A3,A4");

  /* A 1 MB string literal. */
  g_autoptr (GString) big = g_string_new ("name eq '");
  for (int i = 0; i < 1 << 18; i++)
    g_string_append (big, "x''");
  g_string_append (big, "x' or statecode eq 2");
  assert_match (big->str, "A4");
}

/* ------------------------------------------------------------------------------------------ */
/* $orderby, $select                                                                           */

static char *
ordered (const char *orderby)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sql =
      sb_odata_orderby_to_sql (orderby, "account", resolve, (gpointer) "ud", &error);
  if (sql == NULL)
    g_error ("$orderby=%s failed: %s", orderby, error->message);
  g_autofree char *order = g_strdup_printf ("%s, accountnumber", sql);
  char *rows = run_query ("1", NULL, order, &error);
  g_assert_no_error (error);
  return rows;
}

static void
test_orderby (void)
{
  g_autofree char *by_name = ordered ("name");
  /* NULL first, then case-insensitive: "contoso east" < "Contoso Ltd" < "Fabrikam" < "Ærø…",
   * "ÉCOLE" (fold "e\u0301cole" < "æ"). */
  g_assert_cmpstr (by_name, ==, "A5,A6,A1,A4,A2,A3");
  g_autofree char *by_name_asc = ordered ("name asc");
  g_assert_cmpstr (by_name_asc, ==, by_name);
  g_autofree char *by_name_desc = ordered ("name desc");
  g_assert_cmpstr (by_name_desc, ==, "A3,A2,A4,A1,A6,A5");
  g_autofree char *two = ordered ("statecode desc, name asc");
  g_assert_cmpstr (two, ==, "A4,A6,A2,A5,A1,A3");
  g_autofree char *spaced = ordered ("  statecode   DESC ,name  ");
  g_assert_cmpstr (spaced, ==, two);
  g_autofree char *dates = ordered ("modifiedon desc");
  g_assert_cmpstr (dates, ==, "A4,A3,A2,A6,A1,A5");
  g_autofree char *money = ordered ("creditlimit");
  g_assert_cmpstr (money, ==, "A3,A4,A6,A5,A2,A1");

  g_autofree char *sql = sb_odata_orderby_to_sql ("name asc,createdon desc", "account", resolve,
                                                  (gpointer) "ud", NULL);
  g_assert_null (sql); /* createdon is not in this fixture */

  static const struct
  {
    const char *text;
    int code;
    const char *fragment;
  } bad[] = {
    { "nosuch", SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE, "'nosuch'" },
    { "name sideways", SB_ODATA_ERROR_SYNTAX, "'name sideways'" },
    { "name asc desc", SB_ODATA_ERROR_SYNTAX, NULL },
    { "", SB_ODATA_ERROR_SYNTAX, "missing" },
    { "name,,statecode", SB_ODATA_ERROR_SYNTAX, "missing" },
    { "name,", SB_ODATA_ERROR_SYNTAX, NULL },
    { "na;me", SB_ODATA_ERROR_SYNTAX, NULL },
    { "'name'", SB_ODATA_ERROR_SYNTAX, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *s =
          sb_odata_orderby_to_sql (bad[i].text, "account", resolve, (gpointer) "ud", &error);
      if (s != NULL)
        g_error ("$orderby=%s should fail, gave %s", bad[i].text, s);
      g_assert_error (error, SB_ODATA_ERROR, bad[i].code);
      if (bad[i].fragment)
        g_assert_nonnull (strstr (error->message, bad[i].fragment));
    }
}

static void
test_select (void)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) cols = sb_odata_select_parse ("name,accountnumber,name", "account", resolve,
                                               (gpointer) "ud", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (cols), ==, 2);
  g_assert_cmpstr (cols[0], ==, "name");
  g_assert_cmpstr (cols[1], ==, "accountnumber");

  g_auto (GStrv) spaced = sb_odata_select_parse (" name , _parentcustomerid_value ", "account",
                                                 resolve, (gpointer) "ud", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (spaced[0], ==, "name");
  g_assert_cmpstr (spaced[1], ==, "_parentcustomerid_value");
  g_assert_null (spaced[2]);

  g_auto (GStrv) unknown =
      sb_odata_select_parse ("name,foo", "contact", resolve, (gpointer) "ud", &error);
  g_assert_null (unknown);
  g_assert_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE);
  g_assert_cmpstr (
      error->message, ==,
      "Could not find a property named 'foo' on type 'Microsoft.Dynamics.CRM.contact'.");
  g_clear_error (&error);

  const char *bad[] = { "", "name,", ",name", "name,,x", "na me", "name;x", "*" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (GStrv) r =
          sb_odata_select_parse (bad[i], "account", resolve, (gpointer) "ud", &error);
      g_assert_null (r);
      g_assert_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX);
      g_clear_error (&error);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Keys, date-times, folding                                                                   */

static void
test_key_parse (void)
{
  g_autoptr (GError) error = NULL;

  g_autoptr (SbODataKey) k1 = sb_odata_key_parse ("A59C24F3-FAFC-E411-80DD-00155D2A68CB", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (k1->guid, ==, G3);
  g_assert_cmpuint (k1->names->len, ==, 0);
  g_assert_cmpuint (k1->values->len, ==, 0);

  g_autoptr (SbODataKey) k2 = sb_odata_key_parse ("{" G1 "}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (k2->guid, ==, G1);

  g_autoptr (SbODataKey) k3 = sb_odata_key_parse ("accountnumber='C0001'", &error);
  g_assert_no_error (error);
  g_assert_null (k3->guid);
  g_assert_cmpuint (k3->names->len, ==, 1);
  g_assert_cmpstr (k3->names->pdata[0], ==, "accountnumber");
  g_assert_cmpstr (g_variant_get_string (k3->values->pdata[0], NULL), ==, "C0001");

  g_autoptr (SbODataKey) k4 =
      sb_odata_key_parse ("firstname='Jo', emailaddress1 = 'a@b.c'", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (k4->names->len, ==, 2);
  g_assert_cmpstr (k4->names->pdata[1], ==, "emailaddress1");
  g_assert_cmpstr (g_variant_get_string (k4->values->pdata[0], NULL), ==, "Jo");
  g_assert_cmpstr (g_variant_get_string (k4->values->pdata[1], NULL), ==, "a@b.c");

  g_autoptr (SbODataKey) k5 =
      sb_odata_key_parse ("name='O''Brien, Ærø (x)',code=42,neg=-7,parentid=" G3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (k5->names->len, ==, 4);
  g_assert_cmpstr (g_variant_get_string (k5->values->pdata[0], NULL), ==, "O'Brien, Ærø (x)");
  g_assert_cmpstr (g_variant_get_type_string (k5->values->pdata[1]), ==, "x");
  g_assert_cmpint (g_variant_get_int64 (k5->values->pdata[1]), ==, 42);
  g_assert_cmpint (g_variant_get_int64 (k5->values->pdata[2]), ==, -7);
  g_assert_cmpstr (g_variant_get_type_string (k5->values->pdata[3]), ==, "s");
  g_assert_cmpstr (g_variant_get_string (k5->values->pdata[3], NULL), ==, G3);

  g_autoptr (SbODataKey) k6 = sb_odata_key_parse ("accountid=" G2, &error);
  g_assert_no_error (error);
  g_assert_null (k6->guid);
  g_assert_cmpstr (g_variant_get_string (k6->values->pdata[0], NULL), ==, G2);

  g_autoptr (SbODataKey) k7 = sb_odata_key_parse ("name=''", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_string (k7->values->pdata[0], NULL), ==, "");

  const char *bad[] = {
    "",        "  ",       "abc",     "123",       "'C0001'", "name=",
    "name='x", "a=1,a=2",  "a=1 b=2", "a=1.5",     "a=1,",    "=1",
    "a='x'y",  "a='\xff'", "\xc3",    "0000-0000", G1 "0",    "a=99999999999999999999",
    "a=x",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (SbODataKey) k = sb_odata_key_parse (bad[i], &error);
      if (k != NULL)
        g_error ("key \"%s\" should fail", bad[i]);
      g_assert_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX);
      g_clear_error (&error);
    }
}

static void
test_normalize_datetime (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "2026-11-21T10:00:00Z", "2026-11-21T10:00:00Z" },
    { "2026-11-21T10:00:00.1234567Z", "2026-11-21T10:00:00Z" },
    { "2026-11-21T10:00:00+01:00", "2026-11-21T09:00:00Z" },
    { "2026-11-21T00:30:00+01:00", "2026-11-20T23:30:00Z" },
    { "2026-12-31T23:00:00-02:00", "2027-01-01T01:00:00Z" },
    { "2026-11-21T10:00:00+0530", "2026-11-21T04:30:00Z" },
    { "2026-11-21T10:00Z", "2026-11-21T10:00:00Z" },
    { "2026-11-21T10:00:00", "2026-11-21T10:00:00Z" },
    { "2026-11-21t10:00:00z", "2026-11-21T10:00:00Z" },
    { "2026-11-21", "2026-11-21T00:00:00Z" },
    { "2028-02-29", "2028-02-29T00:00:00Z" },
    { "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z" },
    { "9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z" },
    { "2026-02-29", NULL },
    { "2026-13-01", NULL },
    { "2026-11-21T24:00:00Z", NULL },
    { "2026-11-21T10:60:00Z", NULL },
    { "2026-11-21T10:00:00+15:00", NULL },
    { "2026-11-21T10:00:00Zjunk", NULL },
    { "2026-11-21T10", NULL },
    { "2026-11-2", NULL },
    { "21.11.2026", NULL },
    { "0000-01-01", NULL },
    { "0001-01-01T00:00:00+01:00", NULL },
    { "", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sb_odata_normalize_datetime (cases[i].in);
      if (g_strcmp0 (out, cases[i].out) != 0)
        g_error ("normalize(\"%s\") = %s, expected %s", cases[i].in, out, cases[i].out);
    }
  g_assert_null (sb_odata_normalize_datetime (NULL));

  g_autofree char *g = sb_odata_normalize_guid ("{A59C24F3-FAFC-E411-80DD-00155D2A68CB}");
  g_assert_cmpstr (g, ==, G3);
  g_assert_null (sb_odata_normalize_guid ("A59C24F3-FAFC-E411-80DD-00155D2A68C"));
  g_assert_null (sb_odata_normalize_guid ("A59C24F3FAFC-E411-80DD-00155D2A68CBB"));
}

static void
test_fold_and_collation (void)
{
  static const char *equal[][2] = {
    { "Contoso", "CONTOSO" }, { "Ærø", "æRØ" }, { "Å", "å" },  { "É", "e\xcc\x81" },
    { "Straße", "STRASSE" },  { "ǅ", "ǆ" },     { "ﬁ", "FI" }, { "", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (equal); i++)
    {
      g_autofree char *a = sb_odata_fold (equal[i][0], -1);
      g_autofree char *b = sb_odata_fold (equal[i][1], -1);
      g_assert_cmpstr (a, ==, b);

      g_autofree char *sql =
          g_strdup_printf ("SELECT '%s' = '%s' COLLATE SB_NOCASE, sb_fold('%s') = sb_fold('%s')",
                           equal[i][0], equal[i][1], equal[i][0], equal[i][1]);
      sqlite3_stmt *stmt;
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
      sqlite3_finalize (stmt);
    }
  /* Folding a character at a time (the fast path for Latin-1 and Latin Extended-A) gives what
   * folding the whole string does: compare with GLib's normalization chain directly. */
  for (gunichar c = 0x20; c < 0x250; c++)
    {
      char buf[16] = { 'x', 0 };
      int n = g_unichar_to_utf8 (c, buf + 1);
      buf[1 + n] = 'Y';
      g_autofree char *fast = sb_odata_fold (buf, -1);
      g_autofree char *nfd = g_utf8_normalize (buf, -1, G_NORMALIZE_NFD);
      g_autofree char *f1 = g_utf8_casefold (nfd, -1);
      g_autofree char *k1 = g_utf8_normalize (f1, -1, G_NORMALIZE_NFKD);
      g_autofree char *f2 = g_utf8_casefold (k1, -1);
      g_autofree char *full = g_utf8_normalize (f2, -1, G_NORMALIZE_NFKD);
      if (g_strcmp0 (fast, full) != 0)
        g_error ("fold of U+%04X: %s != %s", c, fast, full);
    }
  g_autofree char *x = sb_odata_fold ("abc", 2);
  g_assert_cmpstr (x, ==, "ab");

  /* The functions pass NULL through, and work on numbers. */
  sqlite3_stmt *stmt;
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT sb_contains(NULL,'a') IS NULL, sb_fold(NULL) IS "
                                       "NULL, sb_startswith(12345, 12), sb_endswith('x', NULL) "
                                       "IS NULL, sb_contains('abc', '')",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (sqlite3_column_int (stmt, i), ==, 1);
  sqlite3_finalize (stmt);

  /* The collation is a consistent order: sorting a mixed list with an index agrees with
   * sorting the folded keys. */
  exec_sql ("CREATE TABLE words (w TEXT COLLATE SB_NOCASE)");
  exec_sql ("INSERT INTO words VALUES ('b'),('Å'),('a'),('B'),('é'),('E'),('z'),('Z'),('ä'),"
            "('A'),('e\xcc\x81'),('ss'),('ß'),('')");
  exec_sql ("CREATE INDEX words_w ON words (w)");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT w FROM words ORDER BY w", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_autofree char *prev = NULL;
  int n = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *f = sb_odata_fold ((const char *) sqlite3_column_text (stmt, 0), -1);
      if (prev)
        g_assert_cmpint (strcmp (prev, f), <=, 0);
      g_free (prev);
      prev = g_steal_pointer (&f);
      n++;
    }
  g_assert_cmpint (n, ==, 14);
  sqlite3_finalize (stmt);
  exec_sql ("DROP TABLE words");
}

/* ------------------------------------------------------------------------------------------ */
/* Fuzz                                                                                        */

static const char *const fuzz_seeds[] = {
  "name eq 'Contoso' and (statecode eq 0 or not contains(name,'x'))",
  "modifiedon gt 2026-11-21T10:00:00Z and _parentcustomerid_value eq " G1,
  "Microsoft.Dynamics.CRM.In(PropertyName='statecode',PropertyValues=['0','1'])",
  "creditlimit ge -12.5e3 or isdisabled eq true or name eq null",
  "startswith(name,'Ærø ''x''') and endswith(description,'é')",
  "not (accountid ne " G2 ") and estimatedclosedate le 2026-11-21",
};

static const char fuzz_alphabet[] = "()',=[]\" \t-+.:eqandornotnull0123456789xyzTZ_/@é";

static char *
mutate (const char *seed)
{
  GString *s = g_string_new (seed);
  int n = g_test_rand_int_range (1, 3);

  for (int k = 0; k < n; k++)
    {
      int op = g_test_rand_int_range (0, 5);
      gsize pos = s->len ? (gsize) g_test_rand_int_range (0, s->len) : 0;
      switch (op)
        {
          case 0: /* delete a run */
            if (s->len)
              {
                gsize run = g_test_rand_int_range (1, 8); /* not inside MIN(): evaluated twice */
                g_string_erase (s, pos, MIN (run, s->len - pos));
              }
            break;
          case 1: /* insert a character from the alphabet (one byte: may split é) */
            g_string_insert_c (s, pos,
                               fuzz_alphabet[g_test_rand_int_range (0, sizeof fuzz_alphabet - 1)]);
            break;
          case 2: /* insert a random byte */
            g_string_insert_c (s, pos, (char) g_test_rand_int_range (1, 256));
            break;
          case 3: /* duplicate a slice */
            {
              gsize len = g_test_rand_int_range (1, 20);
              len = MIN (len, s->len - pos);
              g_autofree char *slice = g_strndup (s->str + pos, len);
              g_string_insert (s, g_test_rand_int_range (0, s->len + 1), slice);
              break;
            }
          default: /* swap in a keyword */
            {
              static const char *const words[] = { " and ",  " or ", " not ",      " eq ",
                                                   "(",      ")",    "'",          "''",
                                                   " null ", G1,     "2026-01-01", "contains(",
                                                   ",",      "[",    "]" };
              g_string_insert (s, pos, words[g_test_rand_int_range (0, G_N_ELEMENTS (words))]);
              break;
            }
        }
    }
  return g_string_free (s, FALSE);
}

static void
fuzz_one_filter (const char *text, guint *n_ok, guint *n_err)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autofree char *where = compile (text, params, &error);

  if (where == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SB_ODATA_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      (*n_err)++;
      return;
    }
  g_assert_no_error (error);
  /* Whatever compiles must be valid SQL that runs. */
  g_autofree char *rows = run_query (where, params, "accountnumber", &error);
  if (rows == NULL)
    g_error ("filter \"%s\" compiled to SQL that fails: %s", text, error->message);
  (*n_ok)++;
}

static void
test_fuzz (void)
{
  guint n_ok = 0, n_err = 0;
  const int rounds = g_test_slow () ? 20000 : 3000;

  for (int i = 0; i < rounds; i++)
    {
      g_autofree char *text = NULL;
      if (i % 10 == 9)
        {
          /* Pure noise. */
          int len = g_test_rand_int_range (0, 64);
          text = g_malloc (len + 1);
          for (int k = 0; k < len; k++)
            text[k] = (char) g_test_rand_int_range (1, 256);
          text[len] = '\0';
        }
      else
        text = mutate (fuzz_seeds[g_test_rand_int_range (0, G_N_ELEMENTS (fuzz_seeds))]);

      fuzz_one_filter (text, &n_ok, &n_err);

      /* The other parsers get the same text. */
      g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL;
      g_autofree char *ob =
          sb_odata_orderby_to_sql (text, "account", resolve, (gpointer) "ud", &e1);
      g_assert_true ((ob != NULL) != (e1 != NULL));
      if (ob)
        {
          g_autofree char *rows = run_query ("1", NULL, ob, &e1);
          g_assert_no_error (e1);
        }
      g_auto (GStrv) sel = sb_odata_select_parse (text, "account", resolve, (gpointer) "ud", &e2);
      g_assert_true ((sel != NULL) != (e2 != NULL));
      g_autoptr (SbODataKey) key = sb_odata_key_parse (text, &e3);
      g_assert_true ((key != NULL) != (e3 != NULL));
      g_free (sb_odata_normalize_datetime (text));
    }
  /* The mutations keep a fair share valid, so both paths were exercised. */
  g_assert_cmpuint (n_ok, >, rounds / 100);
  g_assert_cmpuint (n_err, >, rounds / 50);
  g_test_message ("fuzz: %u compiled and ran, %u refused", n_ok, n_err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setup_db ();

  g_test_add_func ("/odata/filter/comparisons", test_filter_comparisons);
  g_test_add_func ("/odata/filter/non-ascii", test_filter_non_ascii);
  g_test_add_func ("/odata/filter/functions", test_filter_functions);
  g_test_add_func ("/odata/filter/precedence", test_filter_precedence);
  g_test_add_func ("/odata/filter/null-bool", test_filter_null_bool);
  g_test_add_func ("/odata/filter/guid-date", test_filter_guid_date);
  g_test_add_func ("/odata/filter/strings", test_filter_strings);
  g_test_add_func ("/odata/filter/crm-functions", test_filter_crm_functions);
  g_test_add_func ("/odata/filter/crm-relative-dates", test_filter_crm_relative_dates);
  g_test_add_func ("/odata/filter/params", test_filter_params);
  g_test_add_func ("/odata/filter/type-mismatch", test_filter_type_mismatch);
  g_test_add_func ("/odata/filter/unknown-attribute", test_filter_unknown_attribute);
  g_test_add_func ("/odata/filter/syntax-errors", test_filter_syntax_errors);
  g_test_add_func ("/odata/filter/unsupported", test_filter_unsupported);
  g_test_add_func ("/odata/filter/deep-nesting", test_filter_deep_nesting);
  g_test_add_func ("/odata/filter/huge", test_filter_huge);
  g_test_add_func ("/odata/orderby", test_orderby);
  g_test_add_func ("/odata/select", test_select);
  g_test_add_func ("/odata/key", test_key_parse);
  g_test_add_func ("/odata/normalize", test_normalize_datetime);
  g_test_add_func ("/odata/fold-collation", test_fold_and_collation);
  g_test_add_func ("/odata/fuzz", test_fuzz);

  int rc = g_test_run ();
  sqlite3_close (db);
  return rc;
}
