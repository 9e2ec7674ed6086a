/* sb-cli-invoices.h: the invoice send, stats update and solution commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

/* invoice send, stats update, solution deploy|status */
const SbCliCommand *sb_cli_invoice_commands (guint *n_commands);

G_END_DECLS
