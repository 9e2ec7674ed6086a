/* test-decimal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "sb-core-error.h"
#include "sb-decimal.h"

static SbDecimal
parse (const char *text)
{
  g_autoptr (GError) error = NULL;
  SbDecimal value = 0;

  g_assert_true (sb_decimal_parse (text, &value, &error));
  g_assert_no_error (error);
  return value;
}

static void
test_parse (void)
{
  g_autoptr (GError) error = NULL;
  SbDecimal value;

  g_assert_cmpint (parse ("0"), ==, 0);
  g_assert_cmpint (parse ("1"), ==, 100000);
  g_assert_cmpint (parse ("-1.5"), ==, -150000);
  g_assert_cmpint (parse ("+12.34567"), ==, 1234567);
  g_assert_cmpint (parse (" 0.1 "), ==, 10000);
  g_assert_cmpint (parse (".5"), ==, 50000);
  g_assert_cmpint (parse ("3.10000000"), ==, 310000);
  g_assert_cmpint (parse ("92233720368.54775"), ==, G_GINT64_CONSTANT (9223372036854775));

  g_assert_false (sb_decimal_parse ("1.234567", &value, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "1.234567"));
  g_clear_error (&error);
  g_assert_false (sb_decimal_parse ("12abc", &value, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sb_decimal_parse ("", &value, &error));
  g_clear_error (&error);
  g_assert_false (sb_decimal_parse ("-", &value, &error));
  g_clear_error (&error);
  g_assert_false (sb_decimal_parse ("1e5", &value, &error));
  g_clear_error (&error);
  g_assert_false (sb_decimal_parse ("99999999999999999999", &value, &error));
  g_assert_error (error, SB_CORE_ERROR, SB_CORE_ERROR_INVALID);
}

static void
test_to_string (void)
{
  g_autofree char *a = sb_decimal_to_string (parse ("12.5"), 0);
  g_autofree char *b = sb_decimal_to_string (parse ("12.5"), 2);
  g_autofree char *c = sb_decimal_to_string (parse ("-0.00001"), 0);
  g_autofree char *d = sb_decimal_to_string (0, 2);
  g_autofree char *e = sb_decimal_to_string (parse ("-1234567.891"), 0);

  g_assert_cmpstr (a, ==, "12.5");
  g_assert_cmpstr (b, ==, "12.50");
  g_assert_cmpstr (c, ==, "-0.00001");
  g_assert_cmpstr (d, ==, "0.00");
  g_assert_cmpstr (e, ==, "-1234567.891");
}

static void
test_round (void)
{
  /* Half away from zero, as the ERP rounds amounts. */
  g_assert_cmpint (sb_decimal_round (parse ("2.345"), 2), ==, parse ("2.35"));
  g_assert_cmpint (sb_decimal_round (parse ("2.34499"), 2), ==, parse ("2.34"));
  g_assert_cmpint (sb_decimal_round (parse ("-2.345"), 2), ==, parse ("-2.35"));
  g_assert_cmpint (sb_decimal_round (parse ("0.5"), 0), ==, parse ("1"));
  g_assert_cmpint (sb_decimal_round (parse ("-0.5"), 0), ==, parse ("-1"));
  g_assert_cmpint (sb_decimal_round (parse ("7.12345"), 5), ==, parse ("7.12345"));
}

static void
test_arithmetic (void)
{
  SbDecimal out;

  g_assert_true (sb_decimal_mul (parse ("3"), parse ("19.99"), &out));
  g_assert_cmpint (out, ==, parse ("59.97"));
  g_assert_true (sb_decimal_mul (parse ("0.33333"), parse ("0.33333"), &out));
  g_assert_cmpint (out, ==, parse ("0.11111")); /* 0.1111088889 rounded */
  g_assert_true (sb_decimal_mul (parse ("-2.5"), parse ("1.5"), &out));
  g_assert_cmpint (out, ==, parse ("-3.75"));
  g_assert_true (sb_decimal_mul_div (parse ("100"), parse ("1"), parse ("3"), &out));
  g_assert_cmpint (out, ==, parse ("33.33333"));
  g_assert_false (sb_decimal_mul_div (parse ("1"), parse ("1"), 0, &out));
  g_assert_false (sb_decimal_mul (parse ("90000000000"), parse ("90000000000"), &out));
  g_assert_true (sb_decimal_add (parse ("0.1"), parse ("0.2"), &out));
  g_assert_cmpint (out, ==, parse ("0.3"));
  g_assert_false (sb_decimal_add (SB_DECIMAL_MAX, SB_DECIMAL_MAX, &out));
}

static void
test_locale (void)
{
  g_autoptr (GError) error = NULL;
  SbDecimal value;

  /* The C locale: no grouping, a point. */
  {
    g_autofree char *s = sb_decimal_format (parse ("1234567.891"), 2);
    g_assert_cmpstr (s, ==, "1234567.89");
  }
  if (setlocale (LC_NUMERIC, "sv_SE.UTF-8") == NULL &&
      setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("No Swedish or German locale installed to test grouping");
      return;
    }
  {
    g_autofree char *s = sb_decimal_format (parse ("1234567.891"), 2);
    g_autofree char *money = sb_decimal_format_money (parse ("-1234.5"), "SEK", 2);
    g_assert_nonnull (strstr (s, ",89"));
    g_assert_cmpstr (s + strlen (s) - 3, ==, ",89");
    g_assert_nonnull (strstr (money, "SEK"));
    g_assert_nonnull (strstr (money, ",50"));
  }
  g_assert_true (sb_decimal_parse_locale ("1234,5", &value, &error));
  g_assert_cmpint (value, ==, parse ("1234.5"));
  g_assert_true (sb_decimal_parse_locale ("1234.5", &value, &error));
  g_assert_cmpint (value, ==, parse ("1234.5"));
  setlocale (LC_NUMERIC, "C");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decimal/parse", test_parse);
  g_test_add_func ("/decimal/to-string", test_to_string);
  g_test_add_func ("/decimal/round", test_round);
  g_test_add_func ("/decimal/arithmetic", test_arithmetic);
  g_test_add_func ("/decimal/locale", test_locale);
  return g_test_run ();
}
