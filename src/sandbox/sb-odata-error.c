/* sb-odata-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-odata-error.h"

G_DEFINE_QUARK (sb - odata - error - quark, sb_odata_error)
