/* sb-cli-csv.h: "import" and "export": records from and to CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-cli.h"

G_BEGIN_DECLS

const SbCliCommand *sb_cli_csv_commands (guint *n_commands);

G_END_DECLS
