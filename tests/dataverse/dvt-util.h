/* dvt-util.h: helpers of the Dataverse client tests: an in-process sandbox on port 0 and a
 * connection to it, and a measure of the live heap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-dataverse.h"
#include "sb-sandbox-server.h"

G_BEGIN_DECLS

typedef void (*DvtConfigure) (SbSandboxServer *server);

typedef struct
{
  SbSandboxServer *server;
  SbDataverseConnection *cnc;
  const char *base; /* "http://127.0.0.1:PORT/" */
} DvtFixture;

/* @data may be a DvtConfigure run before the sandbox starts. */
void dvt_fixture_setup (DvtFixture *fx, gconstpointer data);
void dvt_fixture_teardown (DvtFixture *fx, gconstpointer data);

/* A connection to @base whose sign-in authority is @base too (the sandbox and the hostile test
 * servers serve their own token endpoint), with short retry delays. */
SbDataverseConnection *dvt_connection_new (const char *base, const char *client_id,
                                           const char *secret);

/* Bytes currently allocated on the heap (mallinfo2, or ASan's allocator under ASan). */
gsize dvt_live_heap_bytes (void);

/* Runs the default main context until *@flag is TRUE (bounded: fails after 60 s). */
void dvt_wait_for (gboolean *flag);

G_END_DECLS
