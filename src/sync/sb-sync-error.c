/* sb-sync-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sync-error.h"

G_DEFINE_QUARK (sb - sync - error - quark, sb_sync_error)
