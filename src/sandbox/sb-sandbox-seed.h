/* sb-sandbox-seed.h: the rows a fresh sandbox starts with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-sandbox-auth.h"
#include "sb-sandbox-service.h"

G_BEGIN_DECLS

/* Organization, business unit, base currency (USD), security roles and one systemuser per
 * client (with its roles). Idempotent, so a reopened --db keeps working. */
gboolean sb_sandbox_seed_base (SbSandboxService *service, GPtrArray *clients, GError **error);

/* A believable Sales organization: salespeople, currencies, unit groups, products with a price
 * list, accounts with contacts, opportunities, submitted orders, activated/won/revised quotes,
 * invoices and notes. Deterministic ids; skipped when already present. */
gboolean sb_sandbox_seed_demo (SbSandboxService *service, GError **error);

/* @n generated accounts ("G000001"…), in one transaction. */
gboolean sb_sandbox_seed_accounts (SbSandboxService *service, guint n, GError **error);

/* The systemuser id of the built-in SYSTEM user that owns seeded rows. */
char *sb_sandbox_seed_system_user (void);

G_END_DECLS
