/* sb-sandbox-faults.h: injected faults, for testing clients against a flaky Dataverse.
 *
 * Spec: comma-separated "429=P", "503=P", "500=P", "drop=P" (P a probability 0…1),
 * "latency=Nms" (or "latency=MIN-MAXms"), "seed=N". Example:
 * "429=0.1,503=0.05,500=0.02,drop=0.01,latency=50ms,seed=42". The same seed and the same
 * sequence of requests give the same faults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SB_FAULT_NONE,
  SB_FAULT_429,
  SB_FAULT_500,
  SB_FAULT_503,
  SB_FAULT_DROP,
} SbFault;

typedef struct _SbSandboxFaults SbSandboxFaults;

SbSandboxFaults *sb_sandbox_faults_parse (const char *spec, GError **error);
void sb_sandbox_faults_free (SbSandboxFaults *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSandboxFaults, sb_sandbox_faults_free)

/* Draws the fault of the next request and its added latency in milliseconds. */
SbFault sb_sandbox_faults_next (SbSandboxFaults *self, guint *out_latency_ms);

G_END_DECLS
