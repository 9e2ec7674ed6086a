/* sb-chart.h: a bar or line chart drawn with cairo, in the theme's colors
 *
 * One widget for every chart of the Statistics page: a few series of values over the same
 * categories (months, days, customers), drawn as bars (vertical, or horizontal for long
 * category names) or as lines. Colors come from the style (the accent and the theme's
 * success, warning and error colors), so the chart follows light and dark; values are written
 * by the user's locale, as money when a currency is set. Its accessible description reads the
 * values out, and a chart without data says so instead of drawing empty axes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  SB_CHART_BARS,
  SB_CHART_HORIZONTAL_BARS,
  SB_CHART_LINES,
} SbChartKind;

/* The theme color a series is drawn in. */
typedef enum
{
  SB_CHART_COLOR_ACCENT,
  SB_CHART_COLOR_SUCCESS,
  SB_CHART_COLOR_WARNING,
  SB_CHART_COLOR_ERROR,
} SbChartColor;

#define SB_TYPE_CHART (sb_chart_get_type ())
G_DECLARE_FINAL_TYPE (SbChart, sb_chart, SB, CHART, GtkWidget)

/* @title names the chart for screen readers (it is shown by the page around it). */
GtkWidget *sb_chart_new (SbChartKind kind, const char *title);

/* The categories along the axis; replaces the series. */
void sb_chart_set_categories (SbChart *self, const char *const *labels);
/* Adds a series of one value per category (@values has as many as there are categories). */
void sb_chart_add_series (SbChart *self, const char *name, SbChartColor color,
                          const double *values);
/* Values are amounts in @currency_code (NULL: plain numbers). */
void sb_chart_set_currency (SbChart *self, const char *currency_code);
/* What an empty chart (no categories, or nothing but zeros) says. */
void sb_chart_set_empty_text (SbChart *self, const char *text);

guint sb_chart_get_n_categories (SbChart *self);
guint sb_chart_get_n_series (SbChart *self);
double sb_chart_get_value (SbChart *self, guint series, guint category);
gboolean sb_chart_is_empty (SbChart *self);
/* The summary given as the accessible description ("Sales: Jan 2026 €1,200.00; …"). */
const char *sb_chart_get_summary (SbChart *self);
/* A value as the chart writes it, by locale. */
char *sb_chart_format_value (SbChart *self, double value);

G_END_DECLS
