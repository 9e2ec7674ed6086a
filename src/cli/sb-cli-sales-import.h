/* sb-cli-sales-import.h: "orders" and "quotes": sales orders and quotes from Dynamics 365 Sales
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

const SbCliCommand *sb_cli_sales_import_commands (guint *n_commands);

G_END_DECLS
