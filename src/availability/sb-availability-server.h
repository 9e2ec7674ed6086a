/* sb-availability-server.h: the item availability web service (integration-behaviour.md §8)
 *
 * A read-only OData v4 service from which Dynamics 365 Sales reads item availability: the
 * service document at the root, $metadata (one entity set, ItemAvailabilities), the entity set
 * with $filter by item number, $select, $top, $skip and $count, and key access
 * ItemAvailabilities('1000'). Every request needs Basic authentication with the configured user
 * name and access key (sb-availability-auth.h); writes get 405.
 *
 * The SoupServer runs on a thread of its own with its own main context and its own read-only
 * SbStore on the company database, so it never blocks the caller (the GUI) and the caller needs
 * no main loop. start() returns once the address is bound, or with the reason it cannot be.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sb-availability-auth.h"

G_BEGIN_DECLS

#define SB_AVAILABILITY_DEFAULT_ADDRESS "127.0.0.1"
#define SB_AVAILABILITY_DEFAULT_PORT 7048

#define SB_TYPE_AVAILABILITY_SERVER (sb_availability_server_get_type ())
G_DECLARE_FINAL_TYPE (SbAvailabilityServer, sb_availability_server, SB, AVAILABILITY_SERVER,
                      GObject)

/* Serves the books in the database at @db_path to @user with @access_key. */
SbAvailabilityServer *sb_availability_server_new (const char *db_path, const char *user,
                                                  const char *access_key);
/* Before start(): the IP address to bind (default SB_AVAILABILITY_DEFAULT_ADDRESS, loopback),
 * the port (default SB_AVAILABILITY_DEFAULT_PORT; 0 picks a free one) and the path the
 * service root is at (default "/"). */
void sb_availability_server_set_address (SbAvailabilityServer *self, const char *address);
void sb_availability_server_set_port (SbAvailabilityServer *self, guint port);
void sb_availability_server_set_base_path (SbAvailabilityServer *self, const char *path);
/* The clock of the lockout; NULL: the real time. */
void sb_availability_server_set_clock (SbAvailabilityServer *self, SbAvailabilityClock clock,
                                       gpointer user_data);

/* Binds and starts serving. SB_AVAILABILITY_ERROR_NOT_CONFIGURED without a user name or access
 * key, SB_AVAILABILITY_ERROR_ADDRESS when the address is invalid or in use, or the store's
 * error when the database cannot be opened. */
gboolean sb_availability_server_start (SbAvailabilityServer *self, GError **error);
/* Stops serving and waits for the thread; also done on finalize. */
void sb_availability_server_stop (SbAvailabilityServer *self);
gboolean sb_availability_server_is_running (SbAvailabilityServer *self);
/* The service root URL ("http://127.0.0.1:7048/"), once started. */
const char *sb_availability_server_get_url (SbAvailabilityServer *self);
guint sb_availability_server_get_port (SbAvailabilityServer *self);

/* The base path, port and address to use for a configured service URL: the URL's path and
 * port (default SB_AVAILABILITY_DEFAULT_PORT); the address stays loopback unless the caller
 * says otherwise, since the URL may name a proxy in front of this machine. */
gboolean sb_availability_parse_url (const char *url, char **out_base_path, guint *out_port,
                                    GError **error);

G_END_DECLS
