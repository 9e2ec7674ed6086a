/* sb-cli-availability.h: the item availability web service and its push from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

/* availability serve | show | push */
const SbCliCommand *sb_cli_availability_commands (guint *n_commands);

G_END_DECLS
