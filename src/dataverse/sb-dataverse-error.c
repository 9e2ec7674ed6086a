/* sb-dataverse-error.c: errors of the Dataverse Web API client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-dataverse-error.h"

typedef struct
{
  guint status;
  char *code;
} SbDataverseErrorPrivate;

static void
sb_dataverse_error_private_init (SbDataverseErrorPrivate *priv)
{
  priv->status = 0;
  priv->code = NULL;
}

static void
sb_dataverse_error_private_copy (const SbDataverseErrorPrivate *src, SbDataverseErrorPrivate *dest)
{
  dest->status = src->status;
  dest->code = g_strdup (src->code);
}

static void
sb_dataverse_error_private_clear (SbDataverseErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
}

/* An extended domain (GLib 2.68) so that the HTTP status and server code travel with the
 * GError through g_error_copy(), GTask and g_propagate_error(). */
G_DEFINE_EXTENDED_ERROR (SbDataverseError, sb_dataverse_error)

guint
sb_dataverse_error_get_status (const GError *error)
{
  if (error == NULL || error->domain != SB_DATAVERSE_ERROR)
    return 0;
  return sb_dataverse_error_get_private (error)->status;
}

const char *
sb_dataverse_error_get_code (const GError *error)
{
  if (error == NULL || error->domain != SB_DATAVERSE_ERROR)
    return NULL;
  return sb_dataverse_error_get_private (error)->code;
}

void
sb_dataverse_error_set (GError **error, SbDataverseError code, guint status,
                        const char *server_code, const char *message)
{
  GError *local;
  SbDataverseErrorPrivate *priv;

  if (error == NULL)
    return;
  local = g_error_new_literal (SB_DATAVERSE_ERROR, code, message);
  priv = sb_dataverse_error_get_private (local);
  priv->status = status;
  priv->code = server_code != NULL && *server_code != '\0' ? g_strdup (server_code) : NULL;
  g_propagate_error (error, local);
}
