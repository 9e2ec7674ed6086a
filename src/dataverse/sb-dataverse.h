/* sb-dataverse.h: the Dataverse Web API client, all public headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-dataverse-batch.h"
#include "sb-dataverse-connection.h"
#include "sb-dataverse-error.h"
#include "sb-dataverse-filter.h"
#include "sb-dataverse-json.h"
#include "sb-dataverse-query.h"
#include "sb-dataverse-tables.h"
