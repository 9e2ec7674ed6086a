/* sbc-cli-fixture.h: a company database and an in-process sandbox for CLI tests, and a way
 * to run salesbridge-cli against them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-sandbox-server.h"

G_BEGIN_DECLS

typedef struct
{
  char *dir;
  char *db;
  SbSandboxServer *server;
  const char *base;
} Fixture;

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

void sbc_run_clear (Run *r);
void sbc_run (Fixture *fx, Run *r, const char *env_secret, const char *input,
              ...) G_GNUC_NULL_TERMINATED;
void sbc_assert_contains (const char *text, const char *fragment);
JsonObject *sbc_parse_object (const char *text);
void sbc_fixture_set_up (Fixture *fx, gconstpointer data);
void sbc_fixture_tear_down (Fixture *fx, gconstpointer data);
void sbc_set_sandbox (Fixture *fx, Run *r, const char *env_secret, const char *input,
                      const char *extra);

G_END_DECLS
