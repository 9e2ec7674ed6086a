/* sb-core-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-core-error.h"

G_DEFINE_QUARK (sb - core - error - quark, sb_core_error)
