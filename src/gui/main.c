/* main.c: the salesbridge program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "sb-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (SbApplication) app = NULL;

  /* Numbers, money and dates are shown the user's way: the core formats
   * them with the C library's locale. */
  setlocale (LC_ALL, "");
  /* An uninstalled build (tools/run-demo, tests) points this at the
   * build tree's po/ so its translations show. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SALESBRIDGE_LOCALEDIR") != NULL
                                       ? g_getenv ("SALESBRIDGE_LOCALEDIR")
                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
