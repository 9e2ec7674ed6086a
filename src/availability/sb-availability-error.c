/* sb-availability-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-availability-error.h"

G_DEFINE_QUARK (sb - availability - error - quark, sb_availability_error)
