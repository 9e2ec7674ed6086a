/* sb-full-sync-review.h: the Full Synchronization Review (integration-behaviour.md §3)
 *
 * One line per integration table mapping the engine can run, with its dependency filter,
 * direction, job status, "To integration table" / "From integration table" status and an
 * initial recommendation computed from both sides' record counts. Start runs the lines whose
 * dependencies are Finished (or found no records) in dependency order; a line recommended
 * Couple Records runs match-based coupling before anything is created, so a full
 * synchronization of two populated sides never duplicates records that match. A line's run
 * includes uncoupled records, ignores the watermarks (and carries the new ones back) and puts
 * the mapping's recurring job on hold while it runs. The lines live in the database
 * (full_sync_review), so a run killed half-way resumes where it stopped.
 *
 * Threads: the _sync functions block on the thread that owns the engine's store; the _async
 * twins open their own store on a worker thread and emit "line-changed" (and the engine's
 * "progress") on the caller's thread-default main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sb-job-queue.h"
#include "sb-job-status.h"
#include "sb-sync-engine.h"

G_BEGIN_DECLS

typedef enum
{
  SB_FULL_SYNC_RECOMMENDATION_NONE = 0,
  SB_FULL_SYNC_RECOMMENDATION_NO_RECORDS = 1, /* "No Records Found": both sides empty */
  SB_FULL_SYNC_RECOMMENDATION_COUPLE = 2,     /* "Couple Records": both sides hold data */
  SB_FULL_SYNC_RECOMMENDATION_FULL_SYNC = 3,  /* "Full Synchronization": one side empty */
} SbFullSyncRecommendation;

/* "To integration table" / "From integration table" status. */
typedef enum
{
  SB_FULL_SYNC_SIDE_NONE = 0,
  SB_FULL_SYNC_SIDE_SUCCESS = 1,
  SB_FULL_SYNC_SIDE_IN_PROCESS = 2,
  SB_FULL_SYNC_SIDE_ERROR = 3, /* the run had failed records */
} SbFullSyncSideStatus;

typedef struct
{
  char *mapping;
  char *depends_on; /* the dependency filter: comma-separated mapping names */
  SbSyncDirection direction;
  SbJobStatus status; /* NONE, IN_PROCESS, ERROR or FINISHED */
  SbFullSyncSideStatus to_status;
  SbFullSyncSideStatus from_status;
  SbFullSyncRecommendation recommendation;
  guint erp_count;       /* records in the ERP filter when the line was generated */
  guint dataverse_count; /* rows in the Dataverse filter when the line was generated */
  char *message;         /* the last error, or "" */
} SbFullSyncLine;

void sb_full_sync_line_free (SbFullSyncLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbFullSyncLine, sb_full_sync_line_free)

/* "no-records", "couple", "full-sync" ("" for NONE); the translated label. */
const char *sb_full_sync_recommendation_to_nick (SbFullSyncRecommendation recommendation);
const char *sb_full_sync_recommendation_to_label (SbFullSyncRecommendation recommendation);
/* "success", "in-process", "error" ("" for NONE); the translated label. */
const char *sb_full_sync_side_status_to_nick (SbFullSyncSideStatus status);
const char *sb_full_sync_side_status_to_label (SbFullSyncSideStatus status);

#define SB_TYPE_FULL_SYNC_REVIEW (sb_full_sync_review_get_type ())
G_DECLARE_FINAL_TYPE (SbFullSyncReview, sb_full_sync_review, SB, FULL_SYNC_REVIEW, GObject)

/* Signals: "line-changed" (const char *mapping, guint SbJobStatus), on the main context of the
 * _async caller, whenever a line starts, finishes or fails. */
SbFullSyncReview *sb_full_sync_review_new (SbSyncEngine *engine);
/* The clock of the full synchronization lock's heartbeat (NULL: the real time). */
void sb_full_sync_review_set_clock (SbFullSyncReview *self, SbJobQueueClock clock,
                                    gpointer user_data);

/* The stored lines in "synchronize all" order (SbFullSyncLine); empty before generation. */
GPtrArray *sb_full_sync_review_list (SbStore *store, GError **error);
/* The same as a JSON array of objects (mapping, depends_on, direction, status, to_status,
 * from_status, recommendation, erp_count, dataverse_count, message: nicks). */
JsonNode *sb_full_sync_review_to_json (SbStore *store, GError **error);
/* Forgets every line (a new review starts from Generate). */
gboolean sb_full_sync_review_reset (SbStore *store, GError **error);

/* Counts both sides of every implemented mapping and (re)computes the recommendation of each
 * line that has not started; started lines keep their state. */
gboolean sb_full_sync_review_generate_sync (SbFullSyncReview *self, GCancellable *cancellable,
                                            GError **error);
/* Generates the lines when there are none, then runs every runnable line in dependency order
 * until none is left. TRUE only when every line is Finished (or found no records). Only one
 * full synchronization runs at a time per database, also across processes:
 * SB_SYNC_ERROR_LOCKED ("A full synchronization is already running (started by … at …).") while
 * another live one holds the lock (sb-sync-lock.h). */
gboolean sb_full_sync_review_start_sync (SbFullSyncReview *self, GCancellable *cancellable,
                                         GError **error);

void sb_full_sync_review_generate_async (SbFullSyncReview *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_full_sync_review_generate_finish (SbFullSyncReview *self, GAsyncResult *result,
                                              GError **error);
void sb_full_sync_review_start_async (SbFullSyncReview *self, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean sb_full_sync_review_start_finish (SbFullSyncReview *self, GAsyncResult *result,
                                           GError **error);

G_END_DECLS
