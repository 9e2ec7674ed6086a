/* sb-odata-query.c: $filter, $orderby, $select and key predicates compiled to SQLite.
 *
 * Grammar and operator set follow Microsoft's "Filter rows" documentation for the Dataverse Web
 * API and OData 4.0 URL Conventions §5.1.1; the error messages reuse the wording of the OData
 * library Dataverse runs on, so a client sees what it would see from Dataverse.
 *
 * The filter grammar, loosest first:
 *   or_expr    := and_expr ('or' and_expr)*
 *   and_expr   := unary ('and' unary)*
 *   unary      := 'not' unary | comparison
 *   comparison := primary (cmp_op primary)?
 *   primary    := '(' or_expr ')' | call | literal | property
 * 'not' binds looser than a comparison, so "not name eq 'x'" means "not (name eq 'x')", which is
 * what a person means and gives the same rows as the strict OData reading wherever that is valid.
 * and/or chains are kept n-ary so a long chain never makes a deep tree; parentheses and 'not'
 * count towards SB_ODATA_MAX_DEPTH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-odata-query.h"

#include <errno.h>
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Messages                                                                                    */

#define QUOTE_MAX_CHARS 200

/* The query text as shown in a message: at most QUOTE_MAX_CHARS characters. */
static char *
quote_text (const char *text)
{
  glong n = g_utf8_strlen (text, -1);
  if (n <= QUOTE_MAX_CHARS)
    return g_strdup (text);
  const char *end = g_utf8_offset_to_pointer (text, QUOTE_MAX_CHARS);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

static glong
char_position (const char *text, gsize byte_offset)
{
  return g_utf8_pointer_to_offset (text, text + byte_offset);
}

static const char *
type_edm_name (SbODataType type)
{
  switch (type)
    {
      case SB_ODATA_TYPE_STRING:
        return "Edm.String";
      case SB_ODATA_TYPE_INTEGER:
        return "Edm.Int32";
      case SB_ODATA_TYPE_DECIMAL:
        return "Edm.Decimal";
      case SB_ODATA_TYPE_DOUBLE:
        return "Edm.Double";
      case SB_ODATA_TYPE_BOOLEAN:
        return "Edm.Boolean";
      case SB_ODATA_TYPE_GUID:
        return "Edm.Guid";
      case SB_ODATA_TYPE_DATETIME:
        return "Edm.DateTimeOffset";
      case SB_ODATA_TYPE_DATE:
        return "Edm.Date";
      default:
        return "Edm.Untyped";
    }
}

static void
set_unknown_attribute (GError **error, const char *attribute, const char *entity)
{
  /* For a path, Dataverse names the first segment it cannot resolve; the sandbox cannot tell
   * which one that is, so it names the whole path. */
  g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNKNOWN_ATTRIBUTE,
               "Could not find a property named '%s' on type 'Microsoft.Dynamics.CRM.%s'.",
               attribute, entity ? entity : "entity");
}

static gboolean
resolve_attribute (SbODataResolveFunc resolve, gpointer user_data, const char *entity,
                   const char *attribute, SbODataType *out_type, char **out_sql, GError **error)
{
  SbODataType type = SB_ODATA_TYPE_STRING;
  char *sql = NULL;

  if (!resolve (attribute, &type, &sql, user_data))
    {
      g_free (sql);
      set_unknown_attribute (error, attribute, entity);
      return FALSE;
    }
  if (sql == NULL || *sql == '\0')
    {
      g_free (sql);
      g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                   "The property '%s' cannot be used in a query.", attribute);
      return FALSE;
    }
  *out_type = type;
  if (out_sql)
    *out_sql = sql;
  else
    g_free (sql);
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers                                                                              */

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '/';
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Matches exactly 8-4-4-4-12 hex digits at @p (no braces). */
static gboolean
match_guid (const char *p, gsize avail)
{
  static const int groups[] = { 8, 4, 4, 4, 12 };
  gsize i = 0;

  if (avail < 36)
    return FALSE;
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      if (g > 0)
        {
          if (p[i] != '-')
            return FALSE;
          i++;
        }
      for (int k = 0; k < groups[g]; k++, i++)
        if (!g_ascii_isxdigit (p[i]))
          return FALSE;
    }
  return TRUE;
}

char *
sb_odata_normalize_guid (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  gsize len = strlen (text);
  const char *p = text;

  if (len == 38 && text[0] == '{' && text[37] == '}')
    {
      p = text + 1;
      len = 36;
    }
  if (len != 36 || !match_guid (p, len))
    return NULL;
  return g_ascii_strdown (p, 36);
}

static gboolean
parse_digits (const char **pp, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*pp)[i]))
        return FALSE;
      v = v * 10 + ((*pp)[i] - '0');
    }
  *pp += n;
  *out = v;
  return TRUE;
}

char *
sb_odata_normalize_datetime (const char *text)
{
  const char *p = text;
  int year, month, day, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;

  if (text == NULL)
    return NULL;
  while (is_space (*p))
    p++;
  if (!parse_digits (&p, 4, &year) || *p++ != '-' || !parse_digits (&p, 2, &month) || *p++ != '-' ||
      !parse_digits (&p, 2, &day))
    return NULL;
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return NULL;

  if (*p == 'T' || *p == 't')
    {
      p++;
      if (!parse_digits (&p, 2, &hour) || *p++ != ':' || !parse_digits (&p, 2, &minute))
        return NULL;
      if (*p == ':')
        {
          p++;
          if (!parse_digits (&p, 2, &second))
            return NULL;
          if (*p == '.' || *p == ',')
            {
              p++;
              if (!g_ascii_isdigit (*p))
                return NULL;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (hour > 23 || minute > 59 || second > 59)
        return NULL;

      if (*p == 'Z' || *p == 'z')
        p++;
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          int oh, om = 0;
          p++;
          if (!parse_digits (&p, 2, &oh))
            return NULL;
          if (*p == ':')
            {
              p++;
              if (!parse_digits (&p, 2, &om))
                return NULL;
            }
          else if (g_ascii_isdigit (*p) && !parse_digits (&p, 2, &om))
            return NULL;
          if (oh > 14 || om > 59)
            return NULL;
          offset_minutes = sign * (oh * 60 + om);
        }
    }
  while (is_space (*p))
    p++;
  if (*p != '\0')
    return NULL;

  g_autoptr (GDateTime) local = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (local == NULL)
    return NULL;
  g_autoptr (GDateTime) utc = g_date_time_add_minutes (local, -offset_minutes);
  if (utc == NULL)
    return NULL;
  int y, m, d;
  g_date_time_get_ymd (utc, &y, &m, &d);
  if (y < 1 || y > 9999)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

/* ------------------------------------------------------------------------------------------ */
/* Case folding, and the SQLite side                                                           */

/* Unicode's compatibility caseless match: NFKD(casefold(NFKD(casefold(NFD(x))))). */
static char *
fold_full (const char *text, gssize len)
{
  g_autofree char *valid = g_utf8_make_valid (text, len);
  g_autofree char *nfd = g_utf8_normalize (valid, -1, G_NORMALIZE_NFD);
  g_autofree char *f1 = g_utf8_casefold (nfd ? nfd : valid, -1);
  g_autofree char *k1 = g_utf8_normalize (f1, -1, G_NORMALIZE_NFKD);
  g_autofree char *f2 = g_utf8_casefold (k1 ? k1 : f1, -1);
  char *k2 = g_utf8_normalize (f2, -1, G_NORMALIZE_NFKD);
  return k2 ? k2 : g_steal_pointer (&f2);
}

/* Folds of U+0080..U+017F (Latin-1 Supplement and Latin Extended-A: Nordic, German, French,
 * Polish… letters). None of them folds to something that starts with a combining mark, so the
 * fold of a string made of ASCII and these characters is the concatenation of the folds of its
 * characters, and can be computed, or compared, a character at a time. */
#define FAST_FOLD_FIRST 0x80
#define FAST_FOLD_LAST 0x17F

static const char *const *
fast_fold_table (void)
{
  static gsize table = 0;

  if (g_once_init_enter (&table))
    {
      const char **t = g_new0 (const char *, FAST_FOLD_LAST - FAST_FOLD_FIRST + 1);
      for (gunichar c = FAST_FOLD_FIRST; c <= FAST_FOLD_LAST; c++)
        {
          char buf[8] = { 0 };
          int n = g_unichar_to_utf8 (c, buf);
          char *f = fold_full (buf, n);
          if (*f == '\0') /* cannot happen with GLib's tables; keep the fast path total */
            {
              g_free (f);
              f = g_strdup (buf);
            }
          t[c - FAST_FOLD_FIRST] = f; /* lives as long as the process */
        }
      g_once_init_leave (&table, (gsize) t);
    }
  return (const char *const *) table;
}

/* Walks the folded form of a string a byte at a time. */
typedef struct
{
  const guchar *p;
  const guchar *end;
  const char *pending; /* rest of the current character's fold */
} FoldIter;

enum
{
  FOLD_END = -1,
  FOLD_SLOW = -2, /* a character outside the fast range: fold the whole string instead */
};

static inline int
fold_iter_next (FoldIter *it, const char *const *table)
{
  if (it->pending != NULL && *it->pending != '\0')
    return (guchar) *it->pending++;
  if (it->p >= it->end)
    return FOLD_END;

  guchar c = *it->p;
  if (c < 0x80)
    {
      it->p++;
      return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
  /* U+0080..U+017F are the two-byte sequences C2 80 .. C5 BF. */
  if (c >= 0xC2 && c <= 0xC5 && it->p + 1 < it->end && (it->p[1] & 0xC0) == 0x80)
    {
      gunichar u = ((gunichar) (c & 0x1F) << 6) | (it->p[1] & 0x3F);
      it->p += 2;
      it->pending = table[u - FAST_FOLD_FIRST];
      return (guchar) *it->pending++;
    }
  return FOLD_SLOW;
}

char *
sb_odata_fold (const char *text, gssize len)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (text);

  const char *const *table = fast_fold_table ();
  FoldIter it = { (const guchar *) text, (const guchar *) text + len, NULL };
  GString *out = g_string_sized_new (len + 8);
  int c;

  while ((c = fold_iter_next (&it, table)) >= 0)
    g_string_append_c (out, (char) c);
  if (c == FOLD_SLOW)
    {
      g_string_free (out, TRUE);
      return fold_full (text, len);
    }
  return g_string_free (out, FALSE);
}

/* The SB_NOCASE collation: the order of strcmp (fold (a), fold (b)), compared a character at a
 * time without allocating for ASCII and Latin-1/Latin Extended-A text; only strings with other
 * characters are folded whole. Sorting 100,000 names calls this a couple of million times. */
static int
nocase_collate (void *user_data, int len_a, const void *a, int len_b, const void *b)
{
  const char *const *table = fast_fold_table ();
  FoldIter ia = { a, (const guchar *) a + len_a, NULL };
  FoldIter ib = { b, (const guchar *) b + len_b, NULL };

  while (TRUE)
    {
      int ca = fold_iter_next (&ia, table);
      int cb = fold_iter_next (&ib, table);
      if (ca == FOLD_SLOW || cb == FOLD_SLOW)
        break;
      if (ca != cb)
        return ca < cb ? -1 : 1; /* FOLD_END (-1) sorts first */
      if (ca == FOLD_END)
        return 0;
    }

  g_autofree char *fa = fold_full (a, len_a);
  g_autofree char *fb = fold_full (b, len_b);
  int r = strcmp (fa, fb);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

static void
fold_func (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }
  const char *s = (const char *) sqlite3_value_text (argv[0]);
  int n = sqlite3_value_bytes (argv[0]);
  char *folded = sb_odata_fold (s ? s : "", s ? n : 0);
  sqlite3_result_text (ctx, folded, -1, g_free);
}

typedef enum
{
  MATCH_CONTAINS,
  MATCH_STARTS,
  MATCH_ENDS,
} MatchKind;

static void
match_func (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  MatchKind kind = GPOINTER_TO_INT (sqlite3_user_data (ctx));

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL || sqlite3_value_type (argv[1]) == SQLITE_NULL)
    {
      sqlite3_result_null (ctx);
      return;
    }

  /* The needle is nearly always a bound parameter: fold it once per statement and keep it as
   * SQLite auxiliary data, which SQLite may drop at any time (then it is folded again). */
  char *folded_needle = NULL;
  const char *needle = sqlite3_get_auxdata (ctx, 1);
  if (needle == NULL)
    {
      const char *s = (const char *) sqlite3_value_text (argv[1]);
      folded_needle = sb_odata_fold (s ? s : "", s ? sqlite3_value_bytes (argv[1]) : 0);
      needle = folded_needle;
    }

  const char *hay_s = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *hay =
      sb_odata_fold (hay_s ? hay_s : "", hay_s ? sqlite3_value_bytes (argv[0]) : 0);
  gboolean r;
  switch (kind)
    {
      case MATCH_CONTAINS:
        r = strstr (hay, needle) != NULL;
        break;
      case MATCH_STARTS:
        r = g_str_has_prefix (hay, needle);
        break;
      case MATCH_ENDS:
      default:
        r = g_str_has_suffix (hay, needle);
        break;
    }
  sqlite3_result_int (ctx, r);
  if (folded_needle != NULL)
    sqlite3_set_auxdata (ctx, 1, folded_needle, g_free); /* takes ownership, even on failure */
}

gboolean
sb_odata_register_sqlite (sqlite3 *db, GError **error)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  static const struct
  {
    const char *name;
    MatchKind kind;
  } matchers[] = {
    { "sb_contains", MATCH_CONTAINS },
    { "sb_startswith", MATCH_STARTS },
    { "sb_endswith", MATCH_ENDS },
  };
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);

  rc = sqlite3_create_collation_v2 (db, "SB_NOCASE", SQLITE_UTF8, NULL, nocase_collate, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (db, "sb_fold", 1, flags, NULL, fold_func, NULL, NULL, NULL);
  for (guint i = 0; rc == SQLITE_OK && i < G_N_ELEMENTS (matchers); i++)
    rc = sqlite3_create_function_v2 (db, matchers[i].name, 2, flags,
                                     GINT_TO_POINTER (matchers[i].kind), match_func, NULL, NULL,
                                     NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not register the OData SQL functions: %s", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Lexer                                                                                       */

typedef enum
{
  TOK_EOF,
  TOK_LPAREN,
  TOK_RPAREN,
  TOK_COMMA,
  TOK_EQUALS,
  TOK_LBRACKET,
  TOK_RBRACKET,
  TOK_IDENT,
  TOK_STRING,   /* 'single quoted' */
  TOK_DQSTRING, /* "double quoted", only valid inside Microsoft.Dynamics.CRM.In([...]) arrays */
  TOK_INT,
  TOK_DECIMAL,
  TOK_GUID,
  TOK_DATETIME,
  TOK_DATE,
} TokKind;

typedef struct
{
  TokKind kind;
  gsize start; /* byte offsets into the text */
  gsize end;
  char *text; /* identifier, unescaped string, number as written, canonical guid/date(time) */
  gint64 ival;
  double dval;
} Token;

typedef struct
{
  const char *text;
  gsize len;
  gsize pos;
  Token tok; /* the current (look-ahead) token */
  GError **error;
} Lexer;

static void
lexer_syntax_error (Lexer *lx, gsize byte_offset, const char *what)
{
  g_autofree char *quoted = quote_text (lx->text);
  if (what)
    g_set_error (lx->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                 "Syntax error: %s at position %ld in '%s'.", what,
                 char_position (lx->text, byte_offset), quoted);
  else
    g_set_error (lx->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                 "Syntax error at position %ld in '%s'.", char_position (lx->text, byte_offset),
                 quoted);
}

/* Scans a date or date-time literal at @p; returns its length or 0. */
static gsize
scan_datetime (const char *p, gsize avail)
{
  gsize i = 0;

  if (avail < 10)
    return 0;
  for (; i < 10; i++)
    {
      gboolean dash = i == 4 || i == 7;
      if (dash ? p[i] != '-' : !g_ascii_isdigit (p[i]))
        return 0;
    }
  if (i < avail && (p[i] == 'T' || p[i] == 't') && i + 1 < avail && g_ascii_isdigit (p[i + 1]))
    {
      i++;
      while (i < avail && (g_ascii_isdigit (p[i]) || p[i] == ':' || p[i] == '.'))
        i++;
      if (i < avail && (p[i] == 'Z' || p[i] == 'z'))
        i++;
      else if (i < avail && (p[i] == '+' || p[i] == '-'))
        {
          i++;
          while (i < avail && (g_ascii_isdigit (p[i]) || p[i] == ':'))
            i++;
        }
    }
  return i;
}

/* Advances to the next token; FALSE (with the error set) on a lexical error. */
static gboolean
lexer_next (Lexer *lx)
{
  const char *t = lx->text;

  g_clear_pointer (&lx->tok.text, g_free);
  lx->tok.ival = 0;
  lx->tok.dval = 0;

  while (lx->pos < lx->len && is_space (t[lx->pos]))
    lx->pos++;
  lx->tok.start = lx->pos;

  if (lx->pos >= lx->len)
    {
      lx->tok.kind = TOK_EOF;
      lx->tok.end = lx->pos;
      return TRUE;
    }

  const char *p = t + lx->pos;
  gsize avail = lx->len - lx->pos;
  char c = *p;

  switch (c)
    {
      case '(':
        lx->tok.kind = TOK_LPAREN;
        lx->pos++;
        goto done;
      case ')':
        lx->tok.kind = TOK_RPAREN;
        lx->pos++;
        goto done;
      case ',':
        lx->tok.kind = TOK_COMMA;
        lx->pos++;
        goto done;
      case '=':
        lx->tok.kind = TOK_EQUALS;
        lx->pos++;
        goto done;
      case '[':
        lx->tok.kind = TOK_LBRACKET;
        lx->pos++;
        goto done;
      case ']':
        lx->tok.kind = TOK_RBRACKET;
        lx->pos++;
        goto done;
      case '\'':
      case '"':
        {
          GString *s = g_string_new (NULL);
          gsize i = 1;
          gboolean closed = FALSE;
          while (i < avail)
            {
              if (p[i] == c)
                {
                  if (c == '\'' && i + 1 < avail && p[i + 1] == '\'')
                    {
                      g_string_append_c (s, '\'');
                      i += 2;
                      continue;
                    }
                  closed = TRUE;
                  i++;
                  break;
                }
              if (c == '"' && p[i] == '\\' && i + 1 < avail)
                {
                  g_string_append_c (s, p[i + 1]);
                  i += 2;
                  continue;
                }
              g_string_append_c (s, p[i]);
              i++;
            }
          if (!closed)
            {
              g_autofree char *quoted = quote_text (t);
              g_string_free (s, TRUE);
              g_set_error (lx->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                           "There is an unterminated string literal at position %ld in '%s'.",
                           char_position (t, lx->pos), quoted);
              return FALSE;
            }
          lx->tok.kind = c == '\'' ? TOK_STRING : TOK_DQSTRING;
          lx->tok.text = g_string_free (s, FALSE);
          lx->pos += i;
          goto done;
        }
      default:
        break;
    }

  if (match_guid (p, avail) && (avail == 36 || !is_ident_char (p[36])))
    {
      lx->tok.kind = TOK_GUID;
      lx->tok.text = g_ascii_strdown (p, 36);
      lx->pos += 36;
      goto done;
    }

  if (g_ascii_isdigit (c))
    {
      gsize n = scan_datetime (p, avail);
      if (n > 0)
        {
          if (n < avail && is_ident_char (p[n]))
            {
              lexer_syntax_error (lx, lx->pos + n, NULL);
              return FALSE;
            }
          g_autofree char *lit = g_strndup (p, n);
          lx->tok.text = sb_odata_normalize_datetime (lit);
          if (lx->tok.text == NULL)
            {
              g_autofree char *quoted = quote_text (t);
              g_set_error (lx->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                           "The date-time literal '%s' at position %ld in '%s' is not valid.", lit,
                           char_position (t, lx->pos), quoted);
              return FALSE;
            }
          if (n == 10)
            {
              lx->tok.kind = TOK_DATE;
              lx->tok.text[10] = '\0';
            }
          else
            lx->tok.kind = TOK_DATETIME;
          lx->pos += n;
          goto done;
        }
    }

  if (g_ascii_isdigit (c) || ((c == '-' || c == '+') && avail > 1 && g_ascii_isdigit (p[1])) ||
      (c == '.' && avail > 1 && g_ascii_isdigit (p[1])))
    {
      gsize i = (c == '-' || c == '+') ? 1 : 0;
      gboolean is_decimal = FALSE;
      while (i < avail && g_ascii_isdigit (p[i]))
        i++;
      if (i < avail && p[i] == '.')
        {
          is_decimal = TRUE;
          i++;
          while (i < avail && g_ascii_isdigit (p[i]))
            i++;
        }
      if (i + 1 < avail && (p[i] == 'e' || p[i] == 'E') &&
          (g_ascii_isdigit (p[i + 1]) ||
           ((p[i + 1] == '+' || p[i + 1] == '-') && i + 2 < avail && g_ascii_isdigit (p[i + 2]))))
        {
          is_decimal = TRUE;
          i += 2;
          while (i < avail && g_ascii_isdigit (p[i]))
            i++;
        }
      gsize digits_end = i;
      if (i < avail && strchr ("mMdDfFlL", p[i]) != NULL)
        {
          if (p[i] != 'l' && p[i] != 'L')
            is_decimal = TRUE;
          i++;
        }
      if (i < avail && is_ident_char (p[i]))
        {
          lexer_syntax_error (lx, lx->pos + i, NULL);
          return FALSE;
        }

      g_autofree char *num = g_strndup (p, digits_end);
      lx->tok.text = g_strndup (p, digits_end);
      if (!is_decimal)
        {
          char *endp = NULL;
          errno = 0;
          gint64 v = g_ascii_strtoll (num, &endp, 10);
          if (errno == 0 && endp && *endp == '\0')
            {
              lx->tok.kind = TOK_INT;
              lx->tok.ival = v;
              lx->tok.dval = (double) v;
              lx->pos += i;
              goto done;
            }
          /* Too large for an integer: OData promotes it to a decimal. */
        }
      lx->tok.kind = TOK_DECIMAL;
      lx->tok.dval = g_ascii_strtod (num, NULL);
      lx->pos += i;
      goto done;
    }

  if (is_ident_start (c))
    {
      gsize i = 1;
      while (i < avail && is_ident_char (p[i]))
        i++;
      lx->tok.kind = TOK_IDENT;
      lx->tok.text = g_strndup (p, i);
      lx->pos += i;
      goto done;
    }

  {
    g_autofree char *quoted = quote_text (t);
    gunichar uc = g_utf8_get_char_validated (p, avail);
    char buf[8] = { 0 };
    if (uc == (gunichar) -1 || uc == (gunichar) -2)
      buf[0] = '?';
    else
      g_unichar_to_utf8 (uc, buf);
    g_set_error (lx->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                 "Syntax error: character '%s' is not valid at position %ld in '%s'.", buf,
                 char_position (t, lx->pos), quoted);
    return FALSE;
  }

done:
  lx->tok.end = lx->pos;
  return TRUE;
}

static gboolean
tok_is_keyword (const Token *tok, const char *kw)
{
  return tok->kind == TOK_IDENT && g_ascii_strcasecmp (tok->text, kw) == 0;
}

/* Peeks whether the next non-space character is @c, without lexing. */
static gboolean
lexer_next_char_is (Lexer *lx, char c)
{
  gsize i = lx->pos;
  while (i < lx->len && is_space (lx->text[i]))
    i++;
  return i < lx->len && lx->text[i] == c;
}

/* ------------------------------------------------------------------------------------------ */
/* AST                                                                                         */

typedef enum
{
  NODE_OR,
  NODE_AND,
  NODE_NOT,
  NODE_CMP,
  NODE_PROPERTY,
  NODE_LITERAL,
  NODE_CALL,     /* contains(...), startswith(...), endswith(...) */
  NODE_CRM_CALL, /* Microsoft.Dynamics.CRM.In(PropertyName=...,PropertyValues=[...]) */
  NODE_NAMED_ARG,
} NodeKind;

typedef enum
{
  LIT_NULL,
  LIT_BOOL,
  LIT_INT,
  LIT_DECIMAL,
  LIT_STRING,
  LIT_GUID,
  LIT_DATETIME,
  LIT_DATE,
} LitKind;

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_GT,
  OP_GE,
  OP_LT,
  OP_LE,
} CmpOp;

static const struct
{
  const char *keyword;
  const char *sql;
  const char *kind_name;
} cmp_ops[] = {
  [OP_EQ] = { "eq", "=", "Equal" },       [OP_NE] = { "ne", "<>", "NotEqual" },
  [OP_GT] = { "gt", ">", "GreaterThan" }, [OP_GE] = { "ge", ">=", "GreaterThanOrEqual" },
  [OP_LT] = { "lt", "<", "LessThan" },    [OP_LE] = { "le", "<=", "LessThanOrEqual" },
};

typedef struct _Node Node;
struct _Node
{
  NodeKind kind;
  gsize pos;           /* byte offset in the filter text */
  CmpOp op;            /* NODE_CMP */
  GPtrArray *children; /* OR/AND: 2+; NOT: 1; CMP: 2; CALL: args; CRM_CALL: named args;
                          NAMED_ARG: values */
  char *name;          /* property / function / argument name */
  gboolean is_array;   /* NAMED_ARG written with [ ] */
  LitKind lit;
  char *str; /* string value, canonical guid/date(time), number as written */
  gint64 ival;
  double dval;
  gboolean bval;
};

static void node_free (Node *n);

static Node *
node_new (NodeKind kind, gsize pos)
{
  Node *n = g_new0 (Node, 1);
  n->kind = kind;
  n->pos = pos;
  if (kind != NODE_PROPERTY && kind != NODE_LITERAL)
    n->children = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  return n;
}

static void
node_free (Node *n)
{
  if (n == NULL)
    return;
  g_clear_pointer (&n->children, g_ptr_array_unref);
  g_free (n->name);
  g_free (n->str);
  g_free (n);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

struct _SbODataFilter
{
  Node *root;
  char *text;
};

void
sb_odata_filter_free (SbODataFilter *filter)
{
  if (filter == NULL)
    return;
  node_free (filter->root);
  g_free (filter->text);
  g_free (filter);
}

/* ------------------------------------------------------------------------------------------ */
/* Parser                                                                                      */

typedef struct
{
  Lexer lx;
  GError **error;
} Parser;

static Node *parse_or (Parser *ps, int depth);

static const char *const unsupported_operators[] = {
  "has", "in", "add", "sub", "mul", "div", "divby", "mod",
};

/* OData built-in functions that Dataverse's $filter does not accept. */
static const char *const unsupported_functions[] = {
  "tolower",
  "toupper",
  "trim",
  "length",
  "indexof",
  "substring",
  "concat",
  "matchesPattern",
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
  "fractionalseconds",
  "date",
  "time",
  "totaloffsetminutes",
  "now",
  "mindatetime",
  "maxdatetime",
  "totalseconds",
  "round",
  "floor",
  "ceiling",
  "cast",
  "isof",
  "geo.distance",
  "geo.length",
  "geo.intersects",
  "any",
  "all",
};

static gboolean
check_depth (Parser *ps, int depth)
{
  if (depth <= SB_ODATA_MAX_DEPTH)
    return TRUE;
  g_autofree char *quoted = quote_text (ps->lx.text);
  g_set_error (ps->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
               "The $filter expression is nested more than %d levels deep at position %ld in "
               "'%s'.",
               SB_ODATA_MAX_DEPTH, char_position (ps->lx.text, ps->lx.tok.start), quoted);
  return FALSE;
}

static gboolean
expect (Parser *ps, TokKind kind, const char *what)
{
  if (ps->lx.tok.kind != kind)
    {
      g_autofree char *msg = g_strdup_printf ("'%s' expected", what);
      lexer_syntax_error (&ps->lx, ps->lx.tok.start, msg);
      return FALSE;
    }
  return lexer_next (&ps->lx);
}

static gboolean
token_is_literal (const Token *tok)
{
  switch (tok->kind)
    {
      case TOK_STRING:
      case TOK_INT:
      case TOK_DECIMAL:
      case TOK_GUID:
      case TOK_DATETIME:
      case TOK_DATE:
        return TRUE;
      case TOK_IDENT:
        return tok_is_keyword (tok, "true") || tok_is_keyword (tok, "false") ||
               tok_is_keyword (tok, "null");
      default:
        return FALSE;
    }
}

/* Turns the current literal token into a node and advances. @allow_dq: "..." strings too. */
static Node *
parse_literal (Parser *ps, gboolean allow_dq)
{
  Token *tok = &ps->lx.tok;
  Node *n = node_new (NODE_LITERAL, tok->start);

  switch (tok->kind)
    {
      case TOK_DQSTRING:
        if (!allow_dq)
          {
            node_free (n);
            lexer_syntax_error (&ps->lx, tok->start,
                                "string literals are written in single quotes");
            return NULL;
          }
        G_GNUC_FALLTHROUGH;
      case TOK_STRING:
        n->lit = LIT_STRING;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_INT:
        n->lit = LIT_INT;
        n->ival = tok->ival;
        n->dval = tok->dval;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_DECIMAL:
        n->lit = LIT_DECIMAL;
        n->dval = tok->dval;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_GUID:
        n->lit = LIT_GUID;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_DATETIME:
        n->lit = LIT_DATETIME;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_DATE:
        n->lit = LIT_DATE;
        n->str = g_steal_pointer (&tok->text);
        break;
      case TOK_IDENT:
        if (tok_is_keyword (tok, "null"))
          n->lit = LIT_NULL;
        else
          {
            n->lit = LIT_BOOL;
            n->bval = tok_is_keyword (tok, "true");
          }
        break;
      default:
        g_assert_not_reached ();
    }
  if (!lexer_next (&ps->lx))
    {
      node_free (n);
      return NULL;
    }
  return n;
}

static gboolean
is_crm_function (const char *name)
{
  return g_ascii_strncasecmp (name, "Microsoft.Dynamics.CRM.", 23) == 0;
}

/* Microsoft.Dynamics.CRM.X(Name=value,Name=[v1,v2]) — the current token is '('. */
static Node *
parse_crm_call (Parser *ps, char *name, gsize pos)
{
  g_autoptr (Node) call = node_new (NODE_CRM_CALL, pos);
  call->name = name;

  if (!lexer_next (&ps->lx))
    return NULL;
  while (ps->lx.tok.kind != TOK_RPAREN)
    {
      if (call->children->len > 0 && !expect (ps, TOK_COMMA, ","))
        return NULL;
      if (ps->lx.tok.kind != TOK_IDENT)
        {
          lexer_syntax_error (&ps->lx, ps->lx.tok.start, "parameter name expected");
          return NULL;
        }
      Node *arg = node_new (NODE_NAMED_ARG, ps->lx.tok.start);
      g_ptr_array_add (call->children, arg);
      arg->name = g_steal_pointer (&ps->lx.tok.text);
      if (!lexer_next (&ps->lx) || !expect (ps, TOK_EQUALS, "="))
        return NULL;
      if (ps->lx.tok.kind == TOK_LBRACKET)
        {
          arg->is_array = TRUE;
          if (!lexer_next (&ps->lx))
            return NULL;
          while (ps->lx.tok.kind != TOK_RBRACKET)
            {
              if (arg->children->len > 0 && !expect (ps, TOK_COMMA, ","))
                return NULL;
              if (!token_is_literal (&ps->lx.tok) && ps->lx.tok.kind != TOK_DQSTRING)
                {
                  lexer_syntax_error (&ps->lx, ps->lx.tok.start, "value expected");
                  return NULL;
                }
              Node *v = parse_literal (ps, TRUE);
              if (v == NULL)
                return NULL;
              g_ptr_array_add (arg->children, v);
            }
          if (!lexer_next (&ps->lx))
            return NULL;
        }
      else
        {
          if (!token_is_literal (&ps->lx.tok) && ps->lx.tok.kind != TOK_DQSTRING)
            {
              lexer_syntax_error (&ps->lx, ps->lx.tok.start, "value expected");
              return NULL;
            }
          Node *v = parse_literal (ps, TRUE);
          if (v == NULL)
            return NULL;
          g_ptr_array_add (arg->children, v);
        }
    }
  if (!lexer_next (&ps->lx))
    return NULL;
  return g_steal_pointer (&call);
}

static Node *
parse_primary (Parser *ps, int depth)
{
  Token *tok = &ps->lx.tok;

  if (tok->kind == TOK_LPAREN)
    {
      if (!check_depth (ps, depth + 1) || !lexer_next (&ps->lx))
        return NULL;
      g_autoptr (Node) inner = parse_or (ps, depth + 1);
      if (inner == NULL || !expect (ps, TOK_RPAREN, ")"))
        return NULL;
      return g_steal_pointer (&inner);
    }

  if (token_is_literal (tok) || tok->kind == TOK_DQSTRING)
    return parse_literal (ps, FALSE);

  if (tok->kind != TOK_IDENT)
    {
      if (tok->kind == TOK_EOF)
        lexer_syntax_error (&ps->lx, tok->start, "expression expected");
      else
        lexer_syntax_error (&ps->lx, tok->start, NULL);
      return NULL;
    }

  static const char *const reserved[] = { "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le" };
  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (tok_is_keyword (tok, reserved[i]))
      {
        lexer_syntax_error (&ps->lx, tok->start, "expression expected");
        return NULL;
      }

  gsize pos = tok->start;
  char *name = g_steal_pointer (&tok->text);

  if (!lexer_next_char_is (&ps->lx, '('))
    {
      if (!lexer_next (&ps->lx))
        {
          g_free (name);
          return NULL;
        }
      Node *n = node_new (NODE_PROPERTY, pos);
      n->name = name;
      return n;
    }

  /* A function call. */
  if (!lexer_next (&ps->lx))
    {
      g_free (name);
      return NULL;
    }
  if (!check_depth (ps, depth + 1))
    {
      g_free (name);
      return NULL;
    }
  if (is_crm_function (name))
    return parse_crm_call (ps, name, pos);

  if (g_ascii_strcasecmp (name, "contains") != 0 && g_ascii_strcasecmp (name, "startswith") != 0 &&
      g_ascii_strcasecmp (name, "endswith") != 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (unsupported_functions); i++)
        if (g_ascii_strcasecmp (name, unsupported_functions[i]) == 0)
          {
            g_set_error (ps->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                         "The function '%s' is not supported in $filter. Supported are "
                         "contains, startswith, endswith and the Microsoft.Dynamics.CRM query "
                         "functions.",
                         name);
            g_free (name);
            return NULL;
          }
      g_set_error (ps->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                   "An unknown function with name '%s' was found. This may also be a function "
                   "import or a key lookup on a navigation property, which is not allowed.",
                   name);
      g_free (name);
      return NULL;
    }

  g_autoptr (Node) call = node_new (NODE_CALL, pos);
  call->name = g_ascii_strdown (name, -1);
  g_free (name);
  if (!lexer_next (&ps->lx)) /* past '(' */
    return NULL;
  while (ps->lx.tok.kind != TOK_RPAREN)
    {
      if (call->children->len > 0 && !expect (ps, TOK_COMMA, ","))
        return NULL;
      Node *arg = parse_or (ps, depth + 1);
      if (arg == NULL)
        return NULL;
      g_ptr_array_add (call->children, arg);
    }
  if (!lexer_next (&ps->lx))
    return NULL;
  return g_steal_pointer (&call);
}

static Node *
parse_comparison (Parser *ps, int depth)
{
  g_autoptr (Node) left = parse_primary (ps, depth);
  if (left == NULL)
    return NULL;

  Token *tok = &ps->lx.tok;
  if (tok->kind != TOK_IDENT)
    return g_steal_pointer (&left);

  for (guint op = 0; op < G_N_ELEMENTS (cmp_ops); op++)
    if (tok_is_keyword (tok, cmp_ops[op].keyword))
      {
        Node *cmp = node_new (NODE_CMP, tok->start);
        cmp->op = op;
        g_ptr_array_add (cmp->children, g_steal_pointer (&left));
        if (!lexer_next (&ps->lx))
          {
            node_free (cmp);
            return NULL;
          }
        Node *right = parse_primary (ps, depth);
        if (right == NULL)
          {
            node_free (cmp);
            return NULL;
          }
        g_ptr_array_add (cmp->children, right);
        return cmp;
      }

  for (guint i = 0; i < G_N_ELEMENTS (unsupported_operators); i++)
    if (tok_is_keyword (tok, unsupported_operators[i]))
      {
        g_autofree char *quoted = quote_text (ps->lx.text);
        g_set_error (ps->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                     "The operator '%s' at position %ld in '%s' is not supported. Supported are "
                     "eq, ne, gt, ge, lt, le, and, or, not%s.",
                     tok->text, char_position (ps->lx.text, tok->start), quoted,
                     tok_is_keyword (tok, "in") ? " (for a list of values use "
                                                  "Microsoft.Dynamics.CRM.In)"
                                                : "");
        return NULL;
      }
  return g_steal_pointer (&left);
}

static Node *
parse_unary (Parser *ps, int depth)
{
  if (tok_is_keyword (&ps->lx.tok, "not"))
    {
      gsize pos = ps->lx.tok.start;
      if (!check_depth (ps, depth + 1) || !lexer_next (&ps->lx))
        return NULL;
      Node *inner = parse_unary (ps, depth + 1);
      if (inner == NULL)
        return NULL;
      Node *n = node_new (NODE_NOT, pos);
      g_ptr_array_add (n->children, inner);
      return n;
    }
  return parse_comparison (ps, depth);
}

/* and_expr / or_expr: n-ary, iterative. */
static Node *
parse_chain (Parser *ps, int depth, gboolean is_or)
{
  g_autoptr (Node) first = is_or ? parse_chain (ps, depth, FALSE) : parse_unary (ps, depth);
  if (first == NULL)
    return NULL;
  if (!tok_is_keyword (&ps->lx.tok, is_or ? "or" : "and"))
    return g_steal_pointer (&first);

  g_autoptr (Node) chain = node_new (is_or ? NODE_OR : NODE_AND, first->pos);
  g_ptr_array_add (chain->children, g_steal_pointer (&first));
  while (tok_is_keyword (&ps->lx.tok, is_or ? "or" : "and"))
    {
      if (!lexer_next (&ps->lx))
        return NULL;
      Node *next = is_or ? parse_chain (ps, depth, FALSE) : parse_unary (ps, depth);
      if (next == NULL)
        return NULL;
      g_ptr_array_add (chain->children, next);
    }
  return g_steal_pointer (&chain);
}

static Node *
parse_or (Parser *ps, int depth)
{
  return parse_chain (ps, depth, TRUE);
}

SbODataFilter *
sb_odata_filter_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                           "The $filter expression is not valid UTF-8.");
      return NULL;
    }

  Parser ps = { 0 };
  ps.error = error;
  ps.lx.text = text;
  ps.lx.len = strlen (text);
  ps.lx.error = error;

  Node *root = NULL;
  if (lexer_next (&ps.lx))
    {
      if (ps.lx.tok.kind == TOK_EOF)
        g_set_error_literal (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                             "The $filter expression is empty.");
      else
        {
          root = parse_or (&ps, 0);
          if (root != NULL && ps.lx.tok.kind != TOK_EOF)
            {
              lexer_syntax_error (&ps.lx, ps.lx.tok.start, NULL);
              g_clear_pointer (&root, node_free);
            }
        }
    }
  g_free (ps.lx.tok.text);
  if (root == NULL)
    return NULL;

  SbODataFilter *filter = g_new0 (SbODataFilter, 1);
  filter->root = root;
  filter->text = g_strdup (text);
  return filter;
}

/* ------------------------------------------------------------------------------------------ */
/* Compiler                                                                                    */

typedef struct
{
  const char *text;
  const char *entity;
  SbODataResolveFunc resolve;
  gpointer user_data;
  GPtrArray *params;
  GString *sql;
  GError **error;
} Compiler;

static gboolean compile_bool (Compiler *c, const Node *n);

static const char *
literal_edm_name (const Node *lit)
{
  switch (lit->lit)
    {
      case LIT_NULL:
        return "null";
      case LIT_BOOL:
        return "Edm.Boolean";
      case LIT_INT:
        return lit->ival >= G_MININT32 && lit->ival <= G_MAXINT32 ? "Edm.Int32" : "Edm.Int64";
      case LIT_DECIMAL:
        return "Edm.Decimal";
      case LIT_STRING:
        return "Edm.String";
      case LIT_GUID:
        return "Edm.Guid";
      case LIT_DATETIME:
        return "Edm.DateTimeOffset";
      case LIT_DATE:
        return "Edm.Date";
      default:
        return "Edm.Untyped";
    }
}

static void
add_param (Compiler *c, GVariant *v)
{
  g_ptr_array_add (c->params, g_variant_ref_sink (v));
  g_string_append_c (c->sql, '?');
}

/* Converts a literal to the parameter a comparison with an attribute of @type binds; NULL if
 * the types are incompatible. */
static GVariant *
literal_to_variant (SbODataType type, const Node *lit)
{
  switch (type)
    {
      case SB_ODATA_TYPE_STRING:
        if (lit->lit == LIT_STRING)
          return g_variant_new_string (lit->str);
        return NULL;
      case SB_ODATA_TYPE_INTEGER:
      case SB_ODATA_TYPE_DECIMAL:
      case SB_ODATA_TYPE_DOUBLE:
        if (lit->lit == LIT_INT)
          return g_variant_new_int64 (lit->ival);
        if (lit->lit == LIT_DECIMAL)
          return g_variant_new_double (lit->dval);
        return NULL;
      case SB_ODATA_TYPE_BOOLEAN:
        if (lit->lit == LIT_BOOL)
          return g_variant_new_boolean (lit->bval);
        return NULL;
      case SB_ODATA_TYPE_GUID:
        if (lit->lit == LIT_GUID)
          return g_variant_new_string (lit->str);
        return NULL;
      case SB_ODATA_TYPE_DATETIME:
        if (lit->lit == LIT_DATETIME)
          return g_variant_new_string (lit->str);
        if (lit->lit == LIT_DATE)
          return g_variant_new_take_string (g_strdup_printf ("%sT00:00:00Z", lit->str));
        return NULL;
      case SB_ODATA_TYPE_DATE:
        if (lit->lit == LIT_DATE || lit->lit == LIT_DATETIME)
          return g_variant_new_take_string (g_strndup (lit->str, 10));
        return NULL;
      default:
        return NULL;
    }
}

/* Converts a value written in a Microsoft.Dynamics.CRM function (where values are mostly
 * strings, "PropertyValues=['0','1']") to a parameter for an attribute of @type. */
static GVariant *
crm_value_to_variant (SbODataType type, const Node *lit)
{
  if (lit->lit != LIT_STRING)
    {
      if (type == SB_ODATA_TYPE_STRING && (lit->lit == LIT_INT || lit->lit == LIT_DECIMAL))
        return g_variant_new_string (lit->str);
      return literal_to_variant (type, lit);
    }

  const char *s = lit->str;
  switch (type)
    {
      case SB_ODATA_TYPE_STRING:
        return g_variant_new_string (s);
      case SB_ODATA_TYPE_INTEGER:
      case SB_ODATA_TYPE_DECIMAL:
      case SB_ODATA_TYPE_DOUBLE:
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (s));
          char *end = NULL;
          if (*trimmed == '\0')
            return NULL;
          errno = 0;
          gint64 v = g_ascii_strtoll (trimmed, &end, 10);
          if (errno == 0 && end && *end == '\0')
            return g_variant_new_int64 (v);
          if (type == SB_ODATA_TYPE_INTEGER)
            return NULL;
          double d = g_ascii_strtod (trimmed, &end);
          if (end && *end == '\0')
            return g_variant_new_double (d);
          return NULL;
        }
      case SB_ODATA_TYPE_BOOLEAN:
        if (g_ascii_strcasecmp (s, "true") == 0 || g_strcmp0 (s, "1") == 0)
          return g_variant_new_boolean (TRUE);
        if (g_ascii_strcasecmp (s, "false") == 0 || g_strcmp0 (s, "0") == 0)
          return g_variant_new_boolean (FALSE);
        return NULL;
      case SB_ODATA_TYPE_GUID:
        {
          char *g = sb_odata_normalize_guid (s);
          return g ? g_variant_new_take_string (g) : NULL;
        }
      case SB_ODATA_TYPE_DATETIME:
      case SB_ODATA_TYPE_DATE:
        {
          char *d = sb_odata_normalize_datetime (s);
          if (d == NULL)
            return NULL;
          if (type == SB_ODATA_TYPE_DATE)
            d[10] = '\0';
          return g_variant_new_take_string (d);
        }
      default:
        return NULL;
    }
}

/* The attribute expression as compared: date-only attributes by their first ten characters,
 * so they compare right whether stored as "YYYY-MM-DD" or as a full date-time. */
static void
append_operand (Compiler *c, SbODataType type, const char *expr)
{
  if (type == SB_ODATA_TYPE_DATE)
    g_string_append_printf (c->sql, "substr((%s),1,10)", expr);
  else
    g_string_append_printf (c->sql, "(%s)", expr);
}

typedef enum
{
  FAMILY_STRING,
  FAMILY_NUMBER,
  FAMILY_BOOLEAN,
  FAMILY_GUID,
  FAMILY_DATE,
} TypeFamily;

static TypeFamily
type_family (SbODataType t)
{
  switch (t)
    {
      case SB_ODATA_TYPE_INTEGER:
      case SB_ODATA_TYPE_DECIMAL:
      case SB_ODATA_TYPE_DOUBLE:
        return FAMILY_NUMBER;
      case SB_ODATA_TYPE_BOOLEAN:
        return FAMILY_BOOLEAN;
      case SB_ODATA_TYPE_GUID:
        return FAMILY_GUID;
      case SB_ODATA_TYPE_DATETIME:
      case SB_ODATA_TYPE_DATE:
        return FAMILY_DATE;
      case SB_ODATA_TYPE_STRING:
      default:
        return FAMILY_STRING;
    }
}

static gboolean
incompatible (Compiler *c, const char *left, const char *right, CmpOp op, const Node *lit)
{
  const char *hint = "";
  if (lit && lit->lit == LIT_STRING)
    {
      g_autofree char *guid = sb_odata_normalize_guid (lit->str);
      if (guid != NULL)
        hint = " GUID literals are written without quotes.";
      else if (strlen (lit->str) >= 10 && scan_datetime (lit->str, strlen (lit->str)) >= 10)
        hint = " Date and time literals are written without quotes.";
      else
        {
          char *end = NULL;
          if (*lit->str != '\0')
            {
              g_ascii_strtod (lit->str, &end);
              if (end && *end == '\0')
                hint = " Numbers are written without quotes.";
            }
        }
    }
  g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH,
               "A binary operator with incompatible types was detected. Found operand types "
               "'%s' and '%s' for operator kind '%s'.%s",
               left, right, cmp_ops[op].kind_name, hint);
  return FALSE;
}

static CmpOp
flip_op (CmpOp op)
{
  switch (op)
    {
      case OP_GT:
        return OP_LT;
      case OP_GE:
        return OP_LE;
      case OP_LT:
        return OP_GT;
      case OP_LE:
        return OP_GE;
      default:
        return op;
    }
}

static gboolean
compile_cmp (Compiler *c, const Node *n)
{
  const Node *l = g_ptr_array_index (n->children, 0);
  const Node *r = g_ptr_array_index (n->children, 1);
  CmpOp op = n->op;

  for (int i = 0; i < 2; i++)
    {
      const Node *side = i == 0 ? l : r;
      if (side->kind != NODE_PROPERTY && side->kind != NODE_LITERAL)
        {
          g_autofree char *quoted = quote_text (c->text);
          g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                       "The comparison at position %ld in '%s' must have a property or a "
                       "literal on each side.",
                       char_position (c->text, n->pos), quoted);
          return FALSE;
        }
    }

  if (l->kind == NODE_LITERAL && r->kind == NODE_LITERAL)
    {
      g_autofree char *quoted = quote_text (c->text);
      g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                   "The comparison at position %ld in '%s' compares two literals; one side must "
                   "be a property.",
                   char_position (c->text, n->pos), quoted);
      return FALSE;
    }
  if (l->kind == NODE_LITERAL)
    {
      const Node *tmp = l;
      l = r;
      r = tmp;
      op = flip_op (op);
    }

  SbODataType ltype;
  g_autofree char *lexpr = NULL;
  if (!resolve_attribute (c->resolve, c->user_data, c->entity, l->name, &ltype, &lexpr, c->error))
    return FALSE;

  if (r->kind == NODE_LITERAL && r->lit == LIT_NULL)
    {
      if (op != OP_EQ && op != OP_NE)
        {
          g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH,
                       "The null literal can only be compared with 'eq' or 'ne', not '%s' "
                       "(property '%s').",
                       cmp_ops[op].keyword, l->name);
          return FALSE;
        }
      g_string_append_printf (c->sql, "(%s) IS %sNULL", lexpr, op == OP_NE ? "NOT " : "");
      return TRUE;
    }

  if (r->kind == NODE_LITERAL)
    {
      GVariant *v = literal_to_variant (ltype, r);
      if (v == NULL)
        return incompatible (c, type_edm_name (ltype), literal_edm_name (r), op, r);
      append_operand (c, ltype, lexpr);
      g_string_append_printf (c->sql, " %s ", cmp_ops[op].sql);
      add_param (c, v);
      if (ltype == SB_ODATA_TYPE_STRING)
        g_string_append (c->sql, " COLLATE SB_NOCASE");
      return TRUE;
    }

  /* Property against property (Dataverse's column comparison). */
  SbODataType rtype;
  g_autofree char *rexpr = NULL;
  if (!resolve_attribute (c->resolve, c->user_data, c->entity, r->name, &rtype, &rexpr, c->error))
    return FALSE;
  if (type_family (ltype) != type_family (rtype))
    return incompatible (c, type_edm_name (ltype), type_edm_name (rtype), op, NULL);
  gboolean dates = ltype == SB_ODATA_TYPE_DATE || rtype == SB_ODATA_TYPE_DATE;
  append_operand (c, dates ? SB_ODATA_TYPE_DATE : ltype, lexpr);
  g_string_append_printf (c->sql, " %s ", cmp_ops[op].sql);
  append_operand (c, dates ? SB_ODATA_TYPE_DATE : rtype, rexpr);
  if (ltype == SB_ODATA_TYPE_STRING)
    g_string_append (c->sql, " COLLATE SB_NOCASE");
  return TRUE;
}

static gboolean
compile_call (Compiler *c, const Node *n)
{
  const Node *a = n->children->len == 2 ? g_ptr_array_index (n->children, 0) : NULL;
  const Node *b = n->children->len == 2 ? g_ptr_array_index (n->children, 1) : NULL;
  SbODataType atype = SB_ODATA_TYPE_STRING, btype = SB_ODATA_TYPE_STRING;
  g_autofree char *aexpr = NULL;
  g_autofree char *bexpr = NULL;
  const char *sql_func = g_str_equal (n->name, "contains")     ? "sb_contains"
                         : g_str_equal (n->name, "startswith") ? "sb_startswith"
                                                               : "sb_endswith";
  gboolean ok = a != NULL && a->kind == NODE_PROPERTY && b != NULL &&
                (b->kind == NODE_PROPERTY || (b->kind == NODE_LITERAL && b->lit == LIT_STRING));

  if (ok)
    {
      if (!resolve_attribute (c->resolve, c->user_data, c->entity, a->name, &atype, &aexpr,
                              c->error))
        return FALSE;
      if (b->kind == NODE_PROPERTY && !resolve_attribute (c->resolve, c->user_data, c->entity,
                                                          b->name, &btype, &bexpr, c->error))
        return FALSE;
      ok = atype == SB_ODATA_TYPE_STRING && btype == SB_ODATA_TYPE_STRING;
    }
  if (!ok)
    {
      g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH,
                   "No function signature for the function with name '%s' matches the specified "
                   "arguments. The function signatures considered are: %s(Edm.String "
                   "Nullable=true, Edm.String Nullable=true).",
                   n->name, n->name);
      return FALSE;
    }
  g_string_append_printf (c->sql, "%s((%s), ", sql_func, aexpr);
  if (bexpr)
    g_string_append_printf (c->sql, "(%s)", bexpr);
  else
    add_param (c, g_variant_new_string (b->str));
  g_string_append_c (c->sql, ')');
  return TRUE;
}

/* ---- Microsoft.Dynamics.CRM query functions ---- */

typedef enum
{
  CRM_IN,
  CRM_NOT_IN,
  CRM_BETWEEN,
  CRM_NOT_BETWEEN,
  CRM_ON,
  CRM_ON_OR_AFTER,
  CRM_ON_OR_BEFORE,
  CRM_TODAY,
  CRM_YESTERDAY,
  CRM_TOMORROW,
  CRM_LAST_X_DAYS,
  CRM_NEXT_X_DAYS,
  CRM_LAST_X_HOURS,
  CRM_NEXT_X_HOURS,
} CrmFunc;

static const struct
{
  const char *name;
  CrmFunc func;
} crm_funcs[] = {
  { "In", CRM_IN },
  { "NotIn", CRM_NOT_IN },
  { "Between", CRM_BETWEEN },
  { "NotBetween", CRM_NOT_BETWEEN },
  { "On", CRM_ON },
  { "OnOrAfter", CRM_ON_OR_AFTER },
  { "OnOrBefore", CRM_ON_OR_BEFORE },
  { "Today", CRM_TODAY },
  { "Yesterday", CRM_YESTERDAY },
  { "Tomorrow", CRM_TOMORROW },
  { "LastXDays", CRM_LAST_X_DAYS },
  { "NextXDays", CRM_NEXT_X_DAYS },
  { "LastXHours", CRM_LAST_X_HOURS },
  { "NextXHours", CRM_NEXT_X_HOURS },
};

static const Node *
crm_arg (const Node *call, const char *name)
{
  for (guint i = 0; i < call->children->len; i++)
    {
      const Node *arg = g_ptr_array_index (call->children, i);
      if (g_ascii_strcasecmp (arg->name, name) == 0)
        return arg;
    }
  return NULL;
}

static gboolean
crm_error (Compiler *c, const Node *call, const char *detail)
{
  g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX, "Invalid call to %s: %s.",
               call->name, detail);
  return FALSE;
}

/* Emits "(expr) OP strftime(<format>,'now',?)": the time-relative query functions compare
 * against the current UTC time of the statement. */
static void
append_now_bound (Compiler *c, SbODataType type, const char *expr, const char *op,
                  const char *format, char *modifier)
{
  append_operand (c, type, expr);
  g_string_append_printf (c->sql, " %s strftime('%s','now',", op,
                          type == SB_ODATA_TYPE_DATE ? "%Y-%m-%d" : format);
  add_param (c, g_variant_new_take_string (modifier));
  g_string_append_c (c->sql, ')');
}

static gboolean
compile_crm_call (Compiler *c, const Node *n)
{
  const char *short_name = n->name + 23; /* after "Microsoft.Dynamics.CRM." */
  int func = -1;

  for (guint i = 0; i < G_N_ELEMENTS (crm_funcs); i++)
    if (g_ascii_strcasecmp (short_name, crm_funcs[i].name) == 0)
      func = crm_funcs[i].func;
  if (func < 0)
    {
      g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_UNSUPPORTED,
                   "The query function '%s' is not supported by the sandbox. Supported are "
                   "In, NotIn, Between, NotBetween, On, OnOrAfter, OnOrBefore, Today, Yesterday, "
                   "Tomorrow, LastXDays, NextXDays, LastXHours and NextXHours.",
                   n->name);
      return FALSE;
    }

  const Node *pname = crm_arg (n, "PropertyName");
  if (pname == NULL || pname->is_array || pname->children->len != 1 ||
      ((Node *) g_ptr_array_index (pname->children, 0))->lit != LIT_STRING)
    return crm_error (c, n, "PropertyName='<attribute>' is required");
  const char *attr = ((Node *) g_ptr_array_index (pname->children, 0))->str;

  SbODataType type;
  g_autofree char *expr = NULL;
  if (!resolve_attribute (c->resolve, c->user_data, c->entity, attr, &type, &expr, c->error))
    return FALSE;

  gboolean date_type = type == SB_ODATA_TYPE_DATETIME || type == SB_ODATA_TYPE_DATE;
  const Node *values = crm_arg (n, "PropertyValues");
  const Node *value = crm_arg (n, "PropertyValue");
  const char *collate = type == SB_ODATA_TYPE_STRING ? " COLLATE SB_NOCASE" : "";

  switch (func)
    {
      case CRM_IN:
      case CRM_NOT_IN:
      case CRM_BETWEEN:
      case CRM_NOT_BETWEEN:
        {
          gboolean between = func == CRM_BETWEEN || func == CRM_NOT_BETWEEN;
          if (values == NULL || values->children->len == 0)
            return crm_error (c, n, "PropertyValues=[...] is required");
          if (between && values->children->len != 2)
            return crm_error (c, n, "PropertyValues must hold exactly two values");
          g_autoptr (GPtrArray) vs =
              g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
          for (guint i = 0; i < values->children->len; i++)
            {
              const Node *lit = g_ptr_array_index (values->children, i);
              GVariant *v = lit->lit == LIT_NULL ? NULL : crm_value_to_variant (type, lit);
              if (v == NULL)
                {
                  g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH,
                               "The value '%s' in %s is not a valid %s value for the property "
                               "'%s'.",
                               lit->str ? lit->str : "null", n->name, type_edm_name (type), attr);
                  return FALSE;
                }
              g_ptr_array_add (vs, g_variant_ref_sink (v));
            }
          append_operand (c, type, expr);
          g_string_append (c->sql, collate);
          if (between)
            {
              g_string_append (c->sql, func == CRM_NOT_BETWEEN ? " NOT BETWEEN " : " BETWEEN ");
              add_param (c, g_variant_ref (g_ptr_array_index (vs, 0)));
              g_string_append (c->sql, " AND ");
              add_param (c, g_variant_ref (g_ptr_array_index (vs, 1)));
            }
          else
            {
              g_string_append (c->sql, func == CRM_NOT_IN ? " NOT IN (" : " IN (");
              for (guint i = 0; i < vs->len; i++)
                {
                  if (i > 0)
                    g_string_append_c (c->sql, ',');
                  add_param (c, g_variant_ref (g_ptr_array_index (vs, i)));
                }
              g_string_append_c (c->sql, ')');
            }
          return TRUE;
        }

      case CRM_ON:
      case CRM_ON_OR_AFTER:
      case CRM_ON_OR_BEFORE:
        {
          if (!date_type)
            return crm_error (c, n, "the property must be a date or date-time");
          if (value == NULL || value->is_array || value->children->len != 1)
            return crm_error (c, n, "PropertyValue='<date>' is required");
          const Node *lit = g_ptr_array_index (value->children, 0);
          GVariant *v = crm_value_to_variant (SB_ODATA_TYPE_DATE, lit);
          if (v == NULL)
            return crm_error (c, n, "PropertyValue must be a date such as '2026-11-21'");
          append_operand (c, SB_ODATA_TYPE_DATE, expr);
          g_string_append (c->sql, func == CRM_ON            ? " = "
                                   : func == CRM_ON_OR_AFTER ? " >= "
                                                             : " <= ");
          add_param (c, v);
          return TRUE;
        }

      case CRM_TODAY:
      case CRM_YESTERDAY:
      case CRM_TOMORROW:
        {
          if (!date_type)
            return crm_error (c, n, "the property must be a date or date-time");
          int days = func == CRM_TODAY ? 0 : func == CRM_YESTERDAY ? -1 : 1;
          append_operand (c, SB_ODATA_TYPE_DATE, expr);
          g_string_append (c->sql, " = date('now',");
          add_param (c, g_variant_new_take_string (g_strdup_printf ("%+d days", days)));
          g_string_append_c (c->sql, ')');
          return TRUE;
        }

      case CRM_LAST_X_DAYS:
      case CRM_NEXT_X_DAYS:
      case CRM_LAST_X_HOURS:
      case CRM_NEXT_X_HOURS:
        {
          if (!date_type)
            return crm_error (c, n, "the property must be a date or date-time");
          GVariant *v = NULL;
          if (value != NULL && !value->is_array && value->children->len == 1)
            v = crm_value_to_variant (SB_ODATA_TYPE_INTEGER,
                                      g_ptr_array_index (value->children, 0));
          if (v != NULL && !g_variant_is_of_type (v, G_VARIANT_TYPE_INT64))
            g_clear_pointer (&v, g_variant_unref); /* a floating decimal: not a whole number */
          if (v == NULL)
            return crm_error (c, n, "PropertyValue=<whole number> is required");
          gint64 x = g_variant_get_int64 (g_variant_ref_sink (v));
          g_variant_unref (v);
          if (x < 0 || x > 1000000)
            return crm_error (c, n, "PropertyValue is out of range");
          gboolean days = func == CRM_LAST_X_DAYS || func == CRM_NEXT_X_DAYS;
          gboolean last = func == CRM_LAST_X_DAYS || func == CRM_LAST_X_HOURS;
          const char *unit = days ? "days" : "hours";
          /* Whole days for the *Days functions, as Dataverse does: from midnight X days ago up
           * to now, or from now to the end of the day X days ahead. */
          const char *start_fmt = days ? "%Y-%m-%dT00:00:00Z" : "%Y-%m-%dT%H:%M:%SZ";
          const char *end_fmt = days ? "%Y-%m-%dT23:59:59Z" : "%Y-%m-%dT%H:%M:%SZ";
          g_string_append_c (c->sql, '(');
          append_now_bound (c, type, expr, ">=", last ? start_fmt : "%Y-%m-%dT%H:%M:%SZ",
                            g_strdup_printf ("-%" G_GINT64_FORMAT " %s", last ? x : 0, unit));
          g_string_append (c->sql, " AND ");
          append_now_bound (c, type, expr, "<=", last ? "%Y-%m-%dT%H:%M:%SZ" : end_fmt,
                            g_strdup_printf ("+%" G_GINT64_FORMAT " %s", last ? 0 : x, unit));
          g_string_append_c (c->sql, ')');
          return TRUE;
        }

      default:
        g_assert_not_reached ();
    }
}

/* AND/OR children, split in halves so SQLite's parse tree stays shallow (its expression depth
 * limit is 1000) however long the chain. */
static gboolean
compile_chain (Compiler *c, const Node *n, guint lo, guint hi)
{
  if (hi - lo == 1)
    {
      g_string_append_c (c->sql, '(');
      if (!compile_bool (c, g_ptr_array_index (n->children, lo)))
        return FALSE;
      g_string_append_c (c->sql, ')');
      return TRUE;
    }
  guint mid = lo + (hi - lo) / 2;
  g_string_append_c (c->sql, '(');
  if (!compile_chain (c, n, lo, mid))
    return FALSE;
  g_string_append (c->sql, n->kind == NODE_OR ? " OR " : " AND ");
  if (!compile_chain (c, n, mid, hi))
    return FALSE;
  g_string_append_c (c->sql, ')');
  return TRUE;
}

static gboolean
not_boolean (Compiler *c, const Node *n)
{
  g_autofree char *quoted = quote_text (c->text);
  g_set_error (c->error, SB_ODATA_ERROR, SB_ODATA_ERROR_TYPE_MISMATCH,
               "The $filter expression must evaluate to a single boolean value: the term at "
               "position %ld in '%s' is not a condition.",
               char_position (c->text, n->pos), quoted);
  return FALSE;
}

static gboolean
compile_bool (Compiler *c, const Node *n)
{
  switch (n->kind)
    {
      case NODE_OR:
      case NODE_AND:
        return compile_chain (c, n, 0, n->children->len);
      case NODE_NOT:
        g_string_append (c->sql, "NOT (");
        if (!compile_bool (c, g_ptr_array_index (n->children, 0)))
          return FALSE;
        g_string_append_c (c->sql, ')');
        return TRUE;
      case NODE_CMP:
        return compile_cmp (c, n);
      case NODE_CALL:
        return compile_call (c, n);
      case NODE_CRM_CALL:
        return compile_crm_call (c, n);
      case NODE_PROPERTY:
        {
          SbODataType type;
          g_autofree char *expr = NULL;
          if (!resolve_attribute (c->resolve, c->user_data, c->entity, n->name, &type, &expr,
                                  c->error))
            return FALSE;
          if (type != SB_ODATA_TYPE_BOOLEAN)
            return not_boolean (c, n);
          g_string_append_printf (c->sql, "(%s) = 1", expr);
          return TRUE;
        }
      case NODE_LITERAL:
        if (n->lit != LIT_BOOL)
          return not_boolean (c, n);
        g_string_append (c->sql, n->bval ? "1" : "0");
        return TRUE;
      case NODE_NAMED_ARG:
      default:
        g_assert_not_reached ();
    }
}

char *
sb_odata_filter_to_sql (const SbODataFilter *filter, const char *entity_logical_name,
                        SbODataResolveFunc resolve, gpointer user_data, GPtrArray *params,
                        GError **error)
{
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (resolve != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (GPtrArray) local = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr (GString) sql = g_string_new (NULL);
  Compiler c = {
    .text = filter->text,
    .entity = entity_logical_name,
    .resolve = resolve,
    .user_data = user_data,
    .params = local,
    .sql = sql,
    .error = error,
  };

  if (!compile_bool (&c, filter->root))
    return NULL;
  for (guint i = 0; i < local->len; i++)
    g_ptr_array_add (params, g_variant_ref (g_ptr_array_index (local, i)));
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* $orderby and $select                                                                        */

static gboolean
valid_property_name (const char *s)
{
  if (!is_ident_start (*s))
    return FALSE;
  for (s++; *s; s++)
    if (!is_ident_char (*s))
      return FALSE;
  return TRUE;
}

static void
set_option_syntax_error (GError **error, const char *option, const char *text, const char *detail)
{
  g_autofree char *quoted = quote_text (text);
  g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX, "Syntax error in %s '%s': %s.", option,
               quoted, detail);
}

char *
sb_odata_orderby_to_sql (const char *text, const char *entity_logical_name,
                         SbODataResolveFunc resolve, gpointer user_data, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (resolve != NULL, NULL);

  /* g_strsplit() gives no items at all for "": make that the one empty item it is. */
  g_auto (GStrv) items = *text ? g_strsplit (text, ",", -1) : g_strsplit (" ", ",", -1);
  g_autoptr (GString) sql = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (items[i]), " \t\r\n", -1);
      const char *name = NULL, *dir = NULL;
      guint n_words = 0;

      for (guint w = 0; words[w] != NULL; w++)
        {
          if (*words[w] == '\0')
            continue;
          if (n_words == 0)
            name = words[w];
          else if (n_words == 1)
            dir = words[w];
          n_words++;
        }
      if (name == NULL)
        {
          set_option_syntax_error (error, "$orderby", text, "a property name is missing");
          return NULL;
        }
      if (n_words > 2 || !valid_property_name (name) ||
          (dir && g_ascii_strcasecmp (dir, "asc") != 0 && g_ascii_strcasecmp (dir, "desc") != 0))
        {
          g_autofree char *detail =
              g_strdup_printf ("'%s' is not of the form '<property> [asc|desc]'", items[i]);
          set_option_syntax_error (error, "$orderby", text, detail);
          return NULL;
        }

      SbODataType type;
      g_autofree char *expr = NULL;
      if (!resolve_attribute (resolve, user_data, entity_logical_name, name, &type, &expr, error))
        return NULL;
      if (sql->len > 0)
        g_string_append (sql, ", ");
      g_string_append_printf (sql, "(%s)%s %s", expr,
                              type == SB_ODATA_TYPE_STRING ? " COLLATE SB_NOCASE" : "",
                              dir && g_ascii_strcasecmp (dir, "desc") == 0 ? "DESC" : "ASC");
    }
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

char **
sb_odata_select_parse (const char *text, const char *entity_logical_name,
                       SbODataResolveFunc resolve, gpointer user_data, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (resolve != NULL, NULL);

  g_auto (GStrv) items = *text ? g_strsplit (text, ",", -1) : g_strsplit (" ", ",", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *name = g_strstrip (items[i]);
      if (*name == '\0')
        {
          set_option_syntax_error (error, "$select", text, "a property name is missing");
          return NULL;
        }
      if (!valid_property_name (name))
        {
          g_autofree char *detail = g_strdup_printf ("'%s' is not a property name", name);
          set_option_syntax_error (error, "$select", text, detail);
          return NULL;
        }
      SbODataType type;
      if (!resolve_attribute (resolve, user_data, entity_logical_name, name, &type, NULL, error))
        return NULL;
      if (g_hash_table_contains (seen, name))
        continue;
      g_hash_table_add (seen, (gpointer) name);
      g_ptr_array_add (out, g_strdup (name));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Key predicates                                                                              */

void
sb_odata_key_free (SbODataKey *key)
{
  if (key == NULL)
    return;
  g_free (key->guid);
  g_clear_pointer (&key->names, g_ptr_array_unref);
  g_clear_pointer (&key->values, g_ptr_array_unref);
  g_free (key);
}

static SbODataKey *
key_new (void)
{
  SbODataKey *key = g_new0 (SbODataKey, 1);
  key->names = g_ptr_array_new_with_free_func (g_free);
  key->values = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  return key;
}

static void
set_key_error (GError **error, const char *text, const char *detail)
{
  g_autofree char *quoted = quote_text (text);
  g_set_error (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX, "Bad key '(%s)': %s.", quoted, detail);
}

SbODataKey *
sb_odata_key_parse (const char *text, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SB_ODATA_ERROR, SB_ODATA_ERROR_SYNTAX,
                           "The key is not valid UTF-8.");
      return NULL;
    }

  g_autoptr (SbODataKey) key = key_new ();
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    {
      set_key_error (error, text, "the key is empty");
      return NULL;
    }
  key->guid = sb_odata_normalize_guid (trimmed);
  if (key->guid != NULL)
    return g_steal_pointer (&key);

  const char *p = trimmed;
  while (TRUE)
    {
      while (is_space (*p))
        p++;
      const char *name_start = p;
      if (!is_ident_start (*p))
        {
          set_key_error (error, text,
                         key->names->len == 0 ? "expected a GUID or <attribute>=<value> pairs"
                                              : "expected <attribute>=<value> after ','");
          return NULL;
        }
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      g_autofree char *name = g_strndup (name_start, p - name_start);
      while (is_space (*p))
        p++;
      if (*p != '=')
        {
          g_autofree char *d = g_strdup_printf ("'=' expected after '%s'", name);
          set_key_error (error, text, d);
          return NULL;
        }
      p++;
      while (is_space (*p))
        p++;

      GVariant *value = NULL;
      if (*p == '\'')
        {
          GString *s = g_string_new (NULL);
          p++;
          while (TRUE)
            {
              if (*p == '\0')
                {
                  g_string_free (s, TRUE);
                  set_key_error (error, text, "unterminated string");
                  return NULL;
                }
              if (*p == '\'')
                {
                  if (p[1] == '\'')
                    {
                      g_string_append_c (s, '\'');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              g_string_append_c (s, *p++);
            }
          value = g_variant_new_take_string (g_string_free (s, FALSE));
        }
      else if (match_guid (p, strlen (p)) && !is_ident_char (p[36]))
        {
          value = g_variant_new_take_string (g_ascii_strdown (p, 36));
          p += 36;
        }
      else if (g_ascii_isdigit (*p) || (*p == '-' && g_ascii_isdigit (p[1])))
        {
          char *end = NULL;
          errno = 0;
          gint64 v = g_ascii_strtoll (p, &end, 10);
          if (errno != 0 || (end && is_ident_char (*end)) || (end && *end == '.'))
            {
              g_autofree char *d = g_strdup_printf ("the value of '%s' is not a valid integer, "
                                                    "string or GUID",
                                                    name);
              set_key_error (error, text, d);
              return NULL;
            }
          value = g_variant_new_int64 (v);
          p = end;
        }
      else
        {
          g_autofree char *d = g_strdup_printf ("the value of '%s' must be a quoted string, an "
                                                "integer or a GUID",
                                                name);
          set_key_error (error, text, d);
          return NULL;
        }

      for (guint i = 0; i < key->names->len; i++)
        if (g_str_equal (g_ptr_array_index (key->names, i), name))
          {
            g_variant_unref (g_variant_ref_sink (value));
            g_autofree char *d = g_strdup_printf ("'%s' is given twice", name);
            set_key_error (error, text, d);
            return NULL;
          }
      g_ptr_array_add (key->names, g_steal_pointer (&name));
      g_ptr_array_add (key->values, g_variant_ref_sink (value));

      while (is_space (*p))
        p++;
      if (*p == '\0')
        break;
      if (*p != ',')
        {
          set_key_error (error, text, "',' or the end of the key expected after a value");
          return NULL;
        }
      p++;
    }
  return g_steal_pointer (&key);
}
