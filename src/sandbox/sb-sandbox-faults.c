/* sb-sandbox-faults.c: parsing and drawing of injected faults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-sandbox-faults.h"

#include <gio/gio.h>
#include <string.h>

struct _SbSandboxFaults
{
  double p429, p500, p503, pdrop;
  guint latency_min, latency_max;
  GRand *rand;
};

void
sb_sandbox_faults_free (SbSandboxFaults *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rand, g_rand_free);
  g_free (self);
}

static gboolean
parse_probability (const char *text, double *out)
{
  char *end = NULL;
  double p = g_ascii_strtod (text, &end);

  if (end == text || *end != '\0' || !(p >= 0 && p <= 1))
    return FALSE;
  *out = p;
  return TRUE;
}

static gboolean
parse_ms (const char *text, guint *out)
{
  char *end = NULL;
  guint64 v = g_ascii_strtoull (text, &end, 10);

  if (end == text || v > 600000)
    return FALSE;
  if (*end != '\0' && !g_str_equal (end, "ms"))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

SbSandboxFaults *
sb_sandbox_faults_parse (const char *spec, GError **error)
{
  g_autoptr (SbSandboxFaults) self = g_new0 (SbSandboxFaults, 1);
  g_auto (GStrv) items = g_strsplit (spec ? spec : "", ",", -1);
  guint32 seed = 0;
  double total;

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *eq = strchr (item, '=');
      const char *value;
      gboolean ok;

      if (*item == '\0')
        continue;
      if (eq == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Fault '%s' has no value (expected NAME=VALUE)", item);
          return NULL;
        }
      *eq = '\0';
      value = eq + 1;
      if (g_str_equal (item, "429"))
        ok = parse_probability (value, &self->p429);
      else if (g_str_equal (item, "500"))
        ok = parse_probability (value, &self->p500);
      else if (g_str_equal (item, "503"))
        ok = parse_probability (value, &self->p503);
      else if (g_str_equal (item, "drop"))
        ok = parse_probability (value, &self->pdrop);
      else if (g_str_equal (item, "seed"))
        {
          char *end = NULL;

          seed = (guint32) g_ascii_strtoull (value, &end, 10);
          ok = end != value && *end == '\0';
        }
      else if (g_str_equal (item, "latency"))
        {
          const char *dash = strchr (value, '-');

          if (dash != NULL)
            {
              g_autofree char *min = g_strndup (value, dash - value);

              ok = parse_ms (min, &self->latency_min) && parse_ms (dash + 1, &self->latency_max) &&
                   self->latency_min <= self->latency_max;
            }
          else
            {
              ok = parse_ms (value, &self->latency_min);
              self->latency_max = self->latency_min;
            }
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Unknown fault '%s' (known: 429, 500, 503, drop, latency, seed)", item);
          return NULL;
        }
      if (!ok)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Invalid value '%s' for fault '%s'", value, item);
          return NULL;
        }
    }
  total = self->p429 + self->p500 + self->p503 + self->pdrop;
  if (total > 1.0 + 1e-9)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The fault probabilities add up to %.3f, more than 1", total);
      return NULL;
    }
  self->rand = g_rand_new_with_seed (seed);
  return g_steal_pointer (&self);
}

SbFault
sb_sandbox_faults_next (SbSandboxFaults *self, guint *out_latency_ms)
{
  double r = g_rand_double (self->rand);

  *out_latency_ms = self->latency_max > self->latency_min
                        ? (guint) g_rand_int_range (self->rand, (gint32) self->latency_min,
                                                    (gint32) self->latency_max + 1)
                        : self->latency_min;
  if (r < self->p429)
    return SB_FAULT_429;
  r -= self->p429;
  if (r < self->p503)
    return SB_FAULT_503;
  r -= self->p503;
  if (r < self->p500)
    return SB_FAULT_500;
  r -= self->p500;
  if (r < self->pdrop)
    return SB_FAULT_DROP;
  return SB_FAULT_NONE;
}
