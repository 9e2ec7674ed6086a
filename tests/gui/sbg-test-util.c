/* sbg-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbg-test-util.h"

gboolean
sbg_wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
sbg_wait_until (gboolean (*done) (gpointer), gpointer user_data, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + SBG_WAIT_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, sbg_wake_up, NULL);

  while (!done (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

static gboolean
at_phone_width (gpointer window)
{
  int width, height;

  if (gtk_widget_get_width (window) <= 360)
    return TRUE;
  /* A page switch still crossfading needs both pages' width for a moment, and a window that grew
   * for it does not shrink back by itself: ask again until the pages let it. */
  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, height);
  gtk_widget_queue_resize (window);
  return FALSE;
}

void
sbg_narrow_window (gpointer window)
{
  int width, height;

  g_assert_true (GTK_IS_WINDOW (window));
  gtk_window_get_default_size (window, &width, &height);
  gtk_window_set_default_size (window, 360, height);
  sbg_wait_until (at_phone_width, window, "the window at 360 px");
}

/* Runs the main loop for @ms: animations end, pending redraws happen. */
void
sbg_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (10, sbg_wake_up, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

GtkWidget *
sbg_find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sbg_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
sbg_get (gpointer root, const char *name)
{
  GtkWidget *widget = sbg_find_named (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

/* The PNG of @widget's window, when SB_SCREENSHOT_DIR asks for one. */
void
sbg_screenshot (gpointer widget, const char *name)
{
  const char *dir = g_getenv ("SB_SCREENSHOT_DIR");
  GtkNative *native;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  sbg_settle (600);
  native = gtk_widget_get_native (GTK_WIDGET (widget));
  width = gtk_widget_get_width (GTK_WIDGET (native));
  height = gtk_widget_get_height (GTK_WIDGET (native));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  /* A window in the middle of a frame may have nothing to show yet: try again shortly. */
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        sbg_settle (50);
    }
  if (node == NULL)
    {
      g_test_message ("No picture of %s", name);
      return;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}
