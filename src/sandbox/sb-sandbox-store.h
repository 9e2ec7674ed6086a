/* sb-sandbox-store.h: the sandbox's SQLite storage.
 *
 * One connection, owned by the thread that serves requests (the server thread); nothing here
 * is thread-safe. Rows are JSON objects keyed by their Web API property names; see the comment
 * at the top of sb-sandbox-store.c for why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sb-sandbox-schema.h"

G_BEGIN_DECLS

#define SB_TYPE_SANDBOX_STORE (sb_sandbox_store_get_type ())
G_DECLARE_FINAL_TYPE (SbSandboxStore, sb_sandbox_store, SB, SANDBOX_STORE, GObject)

#define SB_SANDBOX_STORE_ERROR (sb_sandbox_store_error_quark ())
GQuark sb_sandbox_store_error_quark (void);

/* @path NULL means an in-memory database. */
SbSandboxStore *sb_sandbox_store_new (const char *path, GError **error);
void sb_sandbox_store_close (SbSandboxStore *self);

sqlite3 *sb_sandbox_store_get_db (SbSandboxStore *self);

/* Creates the storage of a table defined after the store was opened (a custom table of the
 * metadata Web API), or its new indexes; idempotent. */
gboolean sb_sandbox_store_create_table (SbSandboxStore *self, const SbTable *table, GError **error);

/* Returns a cached prepared statement (reset, bindings cleared); owned by the store. */
sqlite3_stmt *sb_sandbox_store_prepare (SbSandboxStore *self, const char *sql, GError **error);

/* Nested transactions as SQLite savepoints: the outermost one is the transaction. */
gboolean sb_sandbox_store_begin (SbSandboxStore *self, GError **error);
gboolean sb_sandbox_store_commit (SbSandboxStore *self, GError **error);
void sb_sandbox_store_rollback (SbSandboxStore *self);

/* Row versions come from one counter for the whole database, like SQL Server's rowversion:
 * they are the ETags and the change-tracking positions. */
gint64 sb_sandbox_store_next_version (SbSandboxStore *self);
gint64 sb_sandbox_store_current_version (SbSandboxStore *self);

/* Returns the stored row or NULL when missing; @out_version may be NULL. */
JsonObject *sb_sandbox_store_get (SbSandboxStore *self, const SbTable *table, const char *id,
                                  gint64 *out_version);
gboolean sb_sandbox_store_exists (SbSandboxStore *self, const SbTable *table, const char *id);
gboolean sb_sandbox_store_insert (SbSandboxStore *self, const SbTable *table, const char *id,
                                  gint64 version, JsonObject *row, GError **error);
gboolean sb_sandbox_store_update (SbSandboxStore *self, const SbTable *table, const char *id,
                                  gint64 version, JsonObject *row, GError **error);
/* Deletes the row and logs the deletion for change tracking. */
gboolean sb_sandbox_store_delete (SbSandboxStore *self, const SbTable *table, const char *id,
                                  gint64 version, GError **error);

/* Finds the id of the row whose @n attributes (stored properties) equal @values (GVariant "s",
 * "x", "d" or "b"); strings compare case-insensitively. Returns NULL if none. */
char *sb_sandbox_store_find (SbSandboxStore *self, const SbTable *table,
                             const char *const *properties, GVariant *const *values, guint n,
                             const char *except_id);

/* Returns the ids of the rows of @table whose @property equals @value (a GUID string). */
GPtrArray *sb_sandbox_store_find_all (SbSandboxStore *self, const SbTable *table,
                                      const char *property, const char *value);

/* A named counter (order numbers and the like), rolled back with its transaction. */
gint64 sb_sandbox_store_next_number (SbSandboxStore *self, const char *name);

char *sb_sandbox_store_get_meta (SbSandboxStore *self, const char *key);
void sb_sandbox_store_set_meta (SbSandboxStore *self, const char *key, const char *value);

/* N:N associations (systemuserroles_association). */
gboolean sb_sandbox_store_associate (SbSandboxStore *self, const char *relationship,
                                     const char *from_id, const char *to_id);
gboolean sb_sandbox_store_disassociate (SbSandboxStore *self, const char *relationship,
                                        const char *from_id, const char *to_id);
GPtrArray *sb_sandbox_store_associated (SbSandboxStore *self, const char *relationship,
                                        const char *from_id);

/* Parses a stored row (reusing one parser); NULL if not a JSON object. */
JsonObject *sb_sandbox_store_parse_row (SbSandboxStore *self, const char *text);

/* Compact JSON with the shortest round-tripping doubles (json-glib writes 17 digits). */
void sb_sandbox_json_write (GString *out, JsonNode *node);

void sb_sandbox_bind_variant (sqlite3_stmt *stmt, int index, GVariant *value);

G_END_DECLS
