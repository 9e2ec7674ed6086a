/* sb-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-page.h"

typedef struct
{
  gboolean folded; /* the window's sidebar is folded away: offer the way back */
} SbPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SbPage, sb_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
sb_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_FOLDED:
        g_value_set_boolean (value, sb_page_get_folded (SB_PAGE (object)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_FOLDED:
        sb_page_set_folded (SB_PAGE (object), g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_page_class_init (SbPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sb_page_get_property;
  object_class->set_property = sb_page_set_property;

  /* Told by the window: folded, the page offers the way back to the sidebar. */
  props[PROP_FOLDED] =
      g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
sb_page_init (SbPage *self)
{
}

gboolean
sb_page_get_folded (SbPage *self)
{
  SbPagePrivate *priv = sb_page_get_instance_private (self);

  g_return_val_if_fail (SB_IS_PAGE (self), FALSE);
  return priv->folded;
}

void
sb_page_set_folded (SbPage *self, gboolean folded)
{
  SbPagePrivate *priv = sb_page_get_instance_private (self);

  g_return_if_fail (SB_IS_PAGE (self));

  folded = !!folded;
  if (priv->folded == folded)
    return;
  priv->folded = folded;
  if (SB_PAGE_GET_CLASS (self)->folded_changed != NULL)
    SB_PAGE_GET_CLASS (self)->folded_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FOLDED]);
}

GtkWidget *
sb_page_add_back_button (SbPage *self, AdwHeaderBar *header_bar)
{
  GtkWidget *button;

  g_return_val_if_fail (SB_IS_PAGE (self), NULL);
  g_return_val_if_fail (ADW_IS_HEADER_BAR (header_bar), NULL);

  button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_name (button, "sidebar-button");
  gtk_widget_set_tooltip_text (button, _ ("Show Books"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Show Books"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-sidebar");
  g_object_bind_property (self, "folded", button, "visible", G_BINDING_SYNC_CREATE);
  adw_header_bar_pack_start (header_bar, button);
  return button;
}
