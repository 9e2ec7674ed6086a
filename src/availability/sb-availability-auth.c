/* sb-availability-auth.c: Basic authentication with constant-time comparison and lockout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-availability-auth.h"

#include <string.h>

#define DIGEST_LEN 32    /* SHA-256 */
#define MAX_CLIENTS 4096 /* forget expired entries beyond this many addresses */

typedef struct
{
  gint64 window_start;
  guint failures;
  gint64 locked_until;
} ClientState;

struct _SbAvailabilityAuth
{
  GObject parent_instance;

  guint8 user_digest[DIGEST_LEN];
  guint8 key_digest[DIGEST_LEN];
  SbAvailabilityClock clock;
  gpointer clock_data;
  GMutex lock;
  GHashTable *clients; /* address → ClientState */
};

G_DEFINE_FINAL_TYPE (SbAvailabilityAuth, sb_availability_auth, G_TYPE_OBJECT)

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
digest (const void *data, gsize len, guint8 out[DIGEST_LEN])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize out_len = DIGEST_LEN;

  g_checksum_update (sum, data, len);
  g_checksum_get_digest (sum, out, &out_len);
}

/* Compares every byte whatever differs, so the time taken says nothing about the input. */
static gboolean
digests_equal (const guint8 a[DIGEST_LEN], const guint8 b[DIGEST_LEN])
{
  volatile guint8 diff = 0;

  for (guint i = 0; i < DIGEST_LEN; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

static void
sb_availability_auth_finalize (GObject *object)
{
  SbAvailabilityAuth *self = SB_AVAILABILITY_AUTH (object);

  g_hash_table_unref (self->clients);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sb_availability_auth_parent_class)->finalize (object);
}

static void
sb_availability_auth_class_init (SbAvailabilityAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_availability_auth_finalize;
}

static void
sb_availability_auth_init (SbAvailabilityAuth *self)
{
  self->clock = real_clock;
  g_mutex_init (&self->lock);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

SbAvailabilityAuth *
sb_availability_auth_new (const char *user, const char *access_key)
{
  SbAvailabilityAuth *self = g_object_new (SB_TYPE_AVAILABILITY_AUTH, NULL);

  g_return_val_if_fail (user != NULL && access_key != NULL, self);
  digest (user, strlen (user), self->user_digest);
  digest (access_key, strlen (access_key), self->key_digest);
  return self;
}

void
sb_availability_auth_set_clock (SbAvailabilityAuth *self, SbAvailabilityClock clock,
                                gpointer user_data)
{
  g_return_if_fail (SB_IS_AVAILABILITY_AUTH (self));
  g_mutex_lock (&self->lock);
  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = clock != NULL ? user_data : NULL;
  g_mutex_unlock (&self->lock);
}

/* TRUE when @authorization is "Basic <base64 of user:key>" with the configured pair. */
static gboolean
credentials_match (SbAvailabilityAuth *self, const char *authorization)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *encoded = NULL;
  guint8 user[DIGEST_LEN], key[DIGEST_LEN];
  gsize len = 0;
  const char *colon;
  gboolean user_ok, key_ok;

  if (g_ascii_strncasecmp (authorization, "Basic ", 6) != 0)
    return FALSE;
  encoded = g_strstrip (g_strdup (authorization + 6));
  if (*encoded == '\0')
    return FALSE;
  decoded = g_base64_decode (encoded, &len);
  if (decoded == NULL || len == 0)
    return FALSE;
  colon = memchr (decoded, ':', len);
  if (colon == NULL)
    return FALSE;
  digest (decoded, (const guchar *) colon - decoded, user);
  digest (colon + 1, len - ((const guchar *) colon + 1 - decoded), key);
  /* Both comparisons always run. */
  user_ok = digests_equal (user, self->user_digest);
  key_ok = digests_equal (key, self->key_digest);
  memset (decoded, 0, len);
  return user_ok & key_ok;
}

static void
forget_expired (SbAvailabilityAuth *self, gint64 now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ClientState *s = value;

      if (s->locked_until <= now && now - s->window_start >= SB_AVAILABILITY_AUTH_WINDOW)
        g_hash_table_iter_remove (&iter);
    }
}

SbAvailabilityAuthResult
sb_availability_auth_check (SbAvailabilityAuth *self, const char *client, const char *authorization,
                            gint64 *out_retry_after)
{
  SbAvailabilityAuthResult result;
  ClientState *s;
  gint64 now;

  g_return_val_if_fail (SB_IS_AVAILABILITY_AUTH (self), SB_AVAILABILITY_AUTH_DENIED);
  if (client == NULL)
    client = "";
  g_mutex_lock (&self->lock);
  now = self->clock (self->clock_data);
  s = g_hash_table_lookup (self->clients, client);
  if (s != NULL && s->locked_until > now)
    {
      if (out_retry_after != NULL)
        *out_retry_after = s->locked_until - now;
      g_mutex_unlock (&self->lock);
      return SB_AVAILABILITY_AUTH_LOCKED;
    }
  if (authorization == NULL || *authorization == '\0')
    result = SB_AVAILABILITY_AUTH_MISSING;
  else if (credentials_match (self, authorization))
    {
      result = SB_AVAILABILITY_AUTH_OK;
      g_hash_table_remove (self->clients, client);
    }
  else
    {
      result = SB_AVAILABILITY_AUTH_DENIED;
      if (s == NULL)
        {
          if (g_hash_table_size (self->clients) >= MAX_CLIENTS)
            forget_expired (self, now);
          s = g_new0 (ClientState, 1);
          s->window_start = now;
          g_hash_table_insert (self->clients, g_strdup (client), s);
        }
      if (now - s->window_start >= SB_AVAILABILITY_AUTH_WINDOW)
        {
          s->window_start = now;
          s->failures = 0;
        }
      if (++s->failures >= SB_AVAILABILITY_AUTH_MAX_FAILURES)
        {
          s->locked_until = now + SB_AVAILABILITY_AUTH_LOCKOUT;
          s->failures = 0;
          s->window_start = now;
        }
    }
  g_mutex_unlock (&self->lock);
  return result;
}
