/* sb-cli.h: what the salesbridge-cli command groups share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sb-record.h"
#include "sb-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *db_path; /* --db, or the default company database */
  SbStore *store;      /* opened on first use by sb_cli_get_store() */
} SbCliContext;

/* Runs one command with its own arguments (argv[0] is "GROUP COMMAND").
 * Returns FALSE with @error set for a one-line message on stderr and exit 1. */
typedef gboolean (*SbCliCommandFunc) (SbCliContext *ctx, int argc, char **argv, GError **error);

typedef struct
{
  const char *group;   /* "customer" */
  const char *name;    /* "list" */
  const char *args;    /* "[--json] [SEARCH]" for help, untranslated syntax */
  const char *summary; /* N_() marked */
  SbCliCommandFunc func;
} SbCliCommand;

/* Each command group file provides its table. */
const SbCliCommand *sb_cli_master_data_commands (guint *n_commands); /* customer, item, … */
const SbCliCommand *sb_cli_document_commands (guint *n_commands);    /* order, quote, invoice */
const SbCliCommand *sb_cli_payment_commands (guint *n_commands);     /* payment, stats */
const SbCliCommand *sb_cli_misc_commands (guint *n_commands);        /* demo, status */

SbStore *sb_cli_get_store (SbCliContext *ctx, GError **error);

/* Parses @entries (plus --help) from @argc/@argv for command @cmd_line
 * ("order post") with @parameter_string ("ORDER") for --help; leaves the
 * positional arguments in argv.  FALSE with @error on bad options. */
gboolean sb_cli_parse (int *argc, char ***argv, const char *cmd_line, const char *parameter_string,
                       const char *summary, const GOptionEntry *entries, GError **error);
/* What most commands do first: sb_cli_parse(), sb_cli_expect_args() with
 * @min..@max positional arguments, then open the company database. */
SbStore *sb_cli_start (SbCliContext *ctx, int *argc, char ***argv, const char *parameter_string,
                       const char *summary, const GOptionEntry *entries, int min, int max,
                       GError **error);
/* Fails unless @min..@max positional arguments remain (argv[0] excluded). */
gboolean sb_cli_expect_args (int argc, const char *cmd_line, int min, int max, GError **error);

/* JSON: the record's fields under their stable names; decimals as numbers. */
JsonNode *sb_cli_record_to_json (const SbRecordType *type, gconstpointer record);
JsonNode *sb_cli_records_to_json (const SbRecordType *type, GPtrArray *records);
void sb_cli_print_json (JsonNode *node);

/* A plain text table: @columns names fields of @type, headed by their labels. */
void sb_cli_print_table (const SbRecordType *type, GPtrArray *records, const char *const *columns);
/* "Label: value" lines of every field, for show commands. */
void sb_cli_print_record (const SbRecordType *type, gconstpointer record);

/* What list and show commands print: JSON with --json, else the table or
 * the field lines. */
void sb_cli_output_records (const SbRecordType *type, GPtrArray *records,
                            const char *const *columns, gboolean json);
void sb_cli_output_record (const SbRecordType *type, gconstpointer record, gboolean json);

/* Sets fields of @record from "FIELD=VALUE" arguments; FIELD is the
 * field's stable name as in the JSON output. */
gboolean sb_cli_set_fields (const SbRecordType *type, gpointer record, char **assignments,
                            GError **error);

G_END_DECLS
