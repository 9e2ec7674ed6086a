/* sb-cli-connection.h: the "connection" command group
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

const SbCliCommand *sb_cli_connection_commands (guint *n_commands); /* connection */

G_END_DECLS
