/* sb-chart.c
 *
 * Drawn in snapshot() with cairo on the widget's size: the value axis gets "nice" steps (1, 2,
 * 5 × 10ⁿ) so its labels are round numbers; category labels that would overlap are thinned
 * out. Colors are looked up in the style on every draw, so a switch between light and dark
 * (which changes the CSS) redraws in the new colors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "sb-chart.h"
#include "sb-decimal.h"
#include "sb-gui-format.h"

typedef struct
{
  char *name;
  SbChartColor color;
  double *values;
} Series;

struct _SbChart
{
  GtkWidget parent_instance;

  SbChartKind kind;
  char *title;
  GStrv categories;
  GPtrArray *series; /* Series */
  char *currency;
  char *empty_text;
  char *summary;
};

G_DEFINE_FINAL_TYPE (SbChart, sb_chart, GTK_TYPE_WIDGET)

#define PAD 6.0

static void
series_free (Series *series)
{
  g_free (series->name);
  g_free (series->values);
  g_free (series);
}

char *
sb_chart_format_value (SbChart *self, double value)
{
  SbDecimal decimal = (SbDecimal) llround (value * SB_DECIMAL_SCALE);

  if (self->currency != NULL)
    return sb_decimal_format_money (decimal, self->currency, 2);
  return sb_gui_format_decimal (sb_decimal_round (decimal, 2), 0);
}

/* An axis label: whole numbers, money without cents. */
static char *
format_tick (SbChart *self, double value)
{
  SbDecimal decimal = (SbDecimal) llround (value) * SB_DECIMAL_SCALE;

  if (self->currency != NULL)
    return sb_decimal_format_money (decimal, self->currency, 0);
  return sb_gui_format_decimal (decimal, 0);
}

gboolean
sb_chart_is_empty (SbChart *self)
{
  g_return_val_if_fail (SB_IS_CHART (self), TRUE);

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = self->series->pdata[s];

      for (guint i = 0; self->categories != NULL && self->categories[i] != NULL; i++)
        if (series->values[i] != 0)
          return FALSE;
    }
  return TRUE;
}

/* The accessible description reads what the eye sees: every value of every series. */
static void
update_summary (SbChart *self)
{
  GString *text = g_string_new (self->title);

  if (sb_chart_is_empty (self))
    {
      g_string_append (text, ": ");
      g_string_append (text, self->empty_text);
    }
  for (guint s = 0; s < self->series->len && !sb_chart_is_empty (self); s++)
    {
      Series *series = self->series->pdata[s];

      g_string_append (text, s == 0 ? ". " : "; ");
      g_string_append (text, series->name);
      g_string_append (text, ": ");
      for (guint i = 0; self->categories[i] != NULL; i++)
        {
          g_autofree char *value = sb_chart_format_value (self, series->values[i]);

          if (i > 0)
            g_string_append (text, ", ");
          /* TRANSLATORS: one value of a chart read out: "March 2026 €1,200.00" */
          g_string_append_printf (text, C_ ("chart value", "%s %s"), self->categories[i], value);
        }
    }
  g_free (self->summary);
  self->summary = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}

static void
get_color (SbChart *self, SbChartColor color, GdkRGBA *out)
{
  static const char *const names[] = { "accent_color", "success_color", "warning_color",
                                       "error_color" };
  static const char *const fallbacks[] = { "#3584e4", "#26a269", "#cd9309", "#c01c28" };
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  /* libadwaita defines them for light and dark; another theme may not. */
  if (!gtk_style_context_lookup_color (context, names[color], out))
    gdk_rgba_parse (out, fallbacks[color]);
}

static PangoLayout *
layout_new (SbChart *self, const char *text, int max_width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (max_width > 0)
    {
      pango_layout_set_width (layout, max_width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  return layout;
}

static int
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* Round steps for the value axis: 1, 2 or 5 × 10ⁿ, about @n_steps of them. */
static double
nice_step (double range, int n_steps)
{
  double raw = range / n_steps;
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;

  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
}

static void
value_range (SbChart *self, double *out_min, double *out_max)
{
  double min = 0, max = 0;

  for (guint s = 0; s < self->series->len; s++)
    for (guint i = 0; self->categories[i] != NULL; i++)
      {
        double v = ((Series *) self->series->pdata[s])->values[i];

        min = MIN (min, v);
        max = MAX (max, v);
      }
  if (max == min)
    max = min + 1;
  *out_min = min;
  *out_max = max;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* Legend along the top for more than one series; returns its height. */
static double
draw_legend (SbChart *self, cairo_t *cr, double width, const GdkRGBA *fg)
{
  double x = 0, height = 0;

  if (self->series->len < 2)
    return 0;
  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = self->series->pdata[s];
      g_autoptr (PangoLayout) layout = layout_new (self, series->name, (int) (width / 2));
      int w, h;
      GdkRGBA color;

      pango_layout_get_pixel_size (layout, &w, &h);
      if (x > 0 && x + 16 + w > width)
        break; /* no room: the accessible summary still names it */
      get_color (self, series->color, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x, (h - 10) / 2.0, 10, 10);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, layout, x + 14, 0);
      x += 14 + w + 16;
      height = MAX (height, h);
    }
  return height + PAD;
}

static void
draw_vertical (SbChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg,
               const GdkRGBA *grid)
{
  guint n = g_strv_length (self->categories);
  double min, max, step, top, left = 0, bottom, plot_w, plot_h, group_w;
  int label_h = 0, label_w = 0;
  guint every = 1;

  top = draw_legend (self, cr, width, fg);
  value_range (self, &min, &max);
  /* Counts and whole amounts: no step below one, or labels repeat ("1, 1, 0"). */
  step = MAX (nice_step (max - min, 4), 1);
  min = floor (min / step) * step;
  max = ceil (max / step) * step;

  /* The widest value label decides the left margin. */
  for (double v = min; v <= max + step / 2; v += step)
    {
      g_autofree char *text = format_tick (self, v);
      g_autoptr (PangoLayout) layout = layout_new (self, text, -1);

      left = MAX (left, layout_width (layout) + PAD);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PangoLayout) layout = layout_new (self, self->categories[i], -1);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_w = MAX (label_w, w);
      label_h = MAX (label_h, h);
    }
  bottom = height - label_h - PAD;
  plot_w = width - left - PAD;
  plot_h = bottom - top - label_h / 2.0;
  if (plot_w <= 0 || plot_h <= 0)
    return;
  group_w = plot_w / n;
  /* Category labels that would run into each other: every other, every third… */
  while (every < n && (label_w + PAD) > group_w * every)
    every++;

  cairo_set_line_width (cr, 1);
  for (double v = min; v <= max + step / 2; v += step)
    {
      double y = round (bottom - (v - min) / (max - min) * plot_h) + 0.5;
      g_autofree char *text = format_tick (self, v);
      g_autoptr (PangoLayout) layout = layout_new (self, text, -1);
      int w, h;

      gdk_cairo_set_source_rgba (cr, v == 0 ? fg : grid);
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, left + plot_w, y);
      cairo_stroke (cr);
      pango_layout_get_pixel_size (layout, &w, &h);
      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, layout, left - PAD - w, y - h / 2.0);
    }
  for (guint i = 0; i < n; i += every)
    {
      g_autoptr (PangoLayout) layout = layout_new (self, self->categories[i], -1);
      double x = left + group_w * (i + 0.5) - layout_width (layout) / 2.0;

      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, layout, CLAMP (x, 0, width - layout_width (layout)), bottom + PAD / 2);
    }

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = self->series->pdata[s];
      double zero = bottom - (0 - min) / (max - min) * plot_h;
      GdkRGBA color;

      get_color (self, series->color, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      if (self->kind == SB_CHART_BARS)
        {
          double bar_w = group_w * 0.7 / self->series->len;

          cairo_new_path (cr);

          for (guint i = 0; i < n; i++)
            {
              double y = bottom - (series->values[i] - min) / (max - min) * plot_h;
              double x = left + group_w * i + group_w * 0.15 + bar_w * s;

              cairo_rectangle (cr, x, MIN (y, zero), MAX (bar_w - 1, 1), fabs (zero - y));
            }
          cairo_fill (cr);
        }
      else
        {
          cairo_set_line_width (cr, 2);
          /* Not from where the last label was drawn. */
          cairo_new_path (cr);
          for (guint i = 0; i < n; i++)
            cairo_line_to (cr, left + group_w * (i + 0.5),
                           bottom - (series->values[i] - min) / (max - min) * plot_h);
          cairo_stroke (cr);
          for (guint i = 0; i < n && group_w >= 8; i++)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, left + group_w * (i + 0.5),
                         bottom - (series->values[i] - min) / (max - min) * plot_h, 3, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }
}

/* Long names (customers) read better along the vertical axis, each bar with its value. */
static void
draw_horizontal (SbChart *self, cairo_t *cr, double width, double height, const GdkRGBA *fg)
{
  guint n = g_strv_length (self->categories);
  double min, max, top, left = 0, row_h, plot_w, value_w = 0;

  top = draw_legend (self, cr, width, fg);
  value_range (self, &min, &max);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PangoLayout) layout = layout_new (self, self->categories[i], (int) (width * 0.35));

      left = MAX (left, layout_width (layout) + PAD);
    }
  for (guint s = 0; s < self->series->len; s++)
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *text =
            sb_chart_format_value (self, ((Series *) self->series->pdata[s])->values[i]);
        g_autoptr (PangoLayout) layout = layout_new (self, text, -1);

        value_w = MAX (value_w, layout_width (layout) + PAD);
      }
  /* One customer is one bar of the usual thickness, not a block filling the chart. */
  row_h = MIN ((height - top) / n, 32);
  plot_w = width - left - value_w;
  if (plot_w <= 0 || row_h <= 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (PangoLayout) layout = layout_new (self, self->categories[i], (int) (width * 0.35));
      int h;

      pango_layout_get_pixel_size (layout, NULL, &h);
      gdk_cairo_set_source_rgba (cr, fg);
      draw_text (cr, layout, 0, top + row_h * (i + 0.5) - h / 2.0);
      for (guint s = 0; s < self->series->len; s++)
        {
          Series *series = self->series->pdata[s];
          double bar_h = row_h * 0.7 / self->series->len;
          double zero = left + (0 - min) / (max - min) * plot_w;
          double x = left + (series->values[i] - min) / (max - min) * plot_w;
          double y = top + row_h * i + row_h * 0.15 + bar_h * s;
          g_autofree char *text = sb_chart_format_value (self, series->values[i]);
          g_autoptr (PangoLayout) value = layout_new (self, text, -1);
          int vh;
          GdkRGBA color;

          get_color (self, series->color, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_rectangle (cr, MIN (x, zero), y, MAX (fabs (x - zero), 1), MAX (bar_h - 1, 1));
          cairo_fill (cr);
          pango_layout_get_pixel_size (value, NULL, &vh);
          gdk_cairo_set_source_rgba (cr, fg);
          draw_text (cr, value, MAX (x, zero) + PAD / 2, y + bar_h / 2 - vh / 2.0);
        }
    }
}

static void
draw (SbChart *self, cairo_t *cr, double width, double height)
{
  GdkRGBA fg, grid;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  grid = fg;
  grid.alpha *= 0.15f;

  if (sb_chart_is_empty (self))
    {
      g_autoptr (PangoLayout) layout = layout_new (self, self->empty_text, (int) width);
      int h;

      /* As wide as the chart and centred in it. */
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, NULL, &h);
      fg.alpha *= 0.55f;
      gdk_cairo_set_source_rgba (cr, &fg);
      draw_text (cr, layout, 0, (height - h) / 2);
      return;
    }
  if (self->kind == SB_CHART_HORIZONTAL_BARS)
    draw_horizontal (self, cr, width, height, &fg);
  else
    draw_vertical (self, cr, width, height, &fg, &grid);
}

static void
sb_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw (SB_CHART (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
sb_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                  int *natural, int *minimum_baseline, int *natural_baseline)
{
  SbChart *self = SB_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Two charts side by side from about 800 pixels. */
      *minimum = 120;
      *natural = 360;
    }
  else if (self->kind == SB_CHART_HORIZONTAL_BARS && self->categories != NULL)
    {
      *minimum = MAX (60, 32 * (int) g_strv_length (self->categories) + 24);
      *natural = *minimum;
    }
  else
    {
      *minimum = 180;
      *natural = 220;
    }
}

static void
sb_chart_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sb_chart_parent_class)->css_changed (widget, change);
  /* Light ↔ dark changes the colors, not the size. */
  gtk_widget_queue_draw (widget);
}

static void
sb_chart_finalize (GObject *object)
{
  SbChart *self = SB_CHART (object);

  g_free (self->title);
  g_strfreev (self->categories);
  g_ptr_array_unref (self->series);
  g_free (self->currency);
  g_free (self->empty_text);
  g_free (self->summary);
  G_OBJECT_CLASS (sb_chart_parent_class)->finalize (object);
}

static void
sb_chart_class_init (SbChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sb_chart_finalize;
  widget_class->snapshot = sb_chart_snapshot;
  widget_class->measure = sb_chart_measure;
  widget_class->css_changed = sb_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sb_chart_init (SbChart *self)
{
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  self->categories = g_new0 (char *, 1);
  self->empty_text = g_strdup (_ ("No data yet"));
  self->title = g_strdup ("");
}

GtkWidget *
sb_chart_new (SbChartKind kind, const char *title)
{
  SbChart *self = g_object_new (SB_TYPE_CHART, NULL);

  self->kind = kind;
  g_free (self->title);
  self->title = g_strdup (title);
  update_summary (self);
  return GTK_WIDGET (self);
}

void
sb_chart_set_categories (SbChart *self, const char *const *labels)
{
  g_return_if_fail (SB_IS_CHART (self));

  g_strfreev (self->categories);
  self->categories = g_strdupv ((char **) labels);
  if (self->categories == NULL)
    self->categories = g_new0 (char *, 1);
  g_ptr_array_set_size (self->series, 0);
  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
sb_chart_add_series (SbChart *self, const char *name, SbChartColor color, const double *values)
{
  Series *series;
  guint n;

  g_return_if_fail (SB_IS_CHART (self));

  n = g_strv_length (self->categories);
  series = g_new0 (Series, 1);
  series->name = g_strdup (name);
  series->color = color;
  series->values = g_memdup2 (values, MAX (n, 1) * sizeof (double));
  g_ptr_array_add (self->series, series);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sb_chart_set_currency (SbChart *self, const char *currency_code)
{
  g_return_if_fail (SB_IS_CHART (self));

  g_free (self->currency);
  self->currency = g_strdup (currency_code);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sb_chart_set_empty_text (SbChart *self, const char *text)
{
  g_return_if_fail (SB_IS_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sb_chart_get_n_categories (SbChart *self)
{
  return g_strv_length (self->categories);
}

guint
sb_chart_get_n_series (SbChart *self)
{
  return self->series->len;
}

double
sb_chart_get_value (SbChart *self, guint series, guint category)
{
  g_return_val_if_fail (series < self->series->len, 0);
  g_return_val_if_fail (category < g_strv_length (self->categories), 0);

  return ((Series *) self->series->pdata[series])->values[category];
}

const char *
sb_chart_get_summary (SbChart *self)
{
  return self->summary;
}
