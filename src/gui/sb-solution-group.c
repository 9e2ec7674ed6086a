/* sb-solution-group.c
 *
 * The group emits "deployed" after every deployment that reached Sales (also when the roles
 * were missing: the tables are there), so the page around it can read the connection setup
 * again: a deployment sets its solution_deployed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-coupling-dialogs.h"
#include "sb-gui-format.h"
#include "sb-solution-group.h"

struct _SbSolutionGroup
{
  AdwPreferencesGroup parent_instance;

  SbStore *store; /* the page's, main thread */
  SbSyncSolutionState state;
  char *error;
  gboolean busy;
  GCancellable *cancellable;

  GtkWidget *row;
  GtkWidget *spinner;
  GtkWidget *deploy_button;
  GtkWidget *redeploy_button;
};

G_DEFINE_FINAL_TYPE (SbSolutionGroup, sb_solution_group, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  SIGNAL_DEPLOYED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
describe (const SbSyncSolutionStatus *status)
{
  g_autofree char *when = NULL;

  switch (status->state)
    {
      case SB_SYNC_SOLUTION_DEPLOYED:
        {
          g_autoptr (GDateTime) time = g_date_time_new_from_iso8601 (status->deployed_at, NULL);
          g_autoptr (GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;

          when = local != NULL ? g_date_time_format (local, "%x %X") : g_strdup ("");
          if (!status->roles_ok)
            /* TRANSLATORS: the integration solution's state; %s is a date and time */
            return g_strdup_printf (_ ("Deployed %s, but the integration user lacks the "
                                       "Salesbridge roles: Redeploy assigns them"),
                                    when);
          /* TRANSLATORS: the integration solution's state; %s is a date and time */
          return g_strdup_printf (_ ("Deployed %s"), when);
        }
      case SB_SYNC_SOLUTION_PARTIAL:
        if (*status->message != '\0')
          /* TRANSLATORS: %s says what is missing */
          return g_strdup_printf (_ ("Partly deployed: %s. Deploy completes it."), status->message);
        return g_strdup (_ ("Partly deployed. Deploy completes it."));
      case SB_SYNC_SOLUTION_NOT_DEPLOYED:
      default:
        return g_strdup (_ ("Not deployed. Update Account Statistics needs it: Deploy creates "
                            "the Salesbridge table for account statistics in Sales."));
    }
}

static void
update (SbSolutionGroup *self, const SbSyncSolutionStatus *status)
{
  g_autofree char *text = status != NULL ? describe (status) : NULL;

  if (status != NULL)
    self->state = status->state;
  if (self->error != NULL)
    {
      g_autofree char *with_error = g_strdup_printf ("%s\n%s", self->error, text);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), with_error);
      gtk_widget_add_css_class (self->row, "error");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->row), text);
      gtk_widget_remove_css_class (self->row, "error");
    }
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
  gtk_widget_set_sensitive (self->deploy_button, !self->busy && self->store != NULL);
  gtk_widget_set_sensitive (self->redeploy_button, !self->busy && self->store != NULL);
  /* Deploy while something is missing, Redeploy once it is all there. */
  gtk_widget_set_visible (self->deploy_button, self->state != SB_SYNC_SOLUTION_DEPLOYED);
  gtk_widget_set_visible (self->redeploy_button, self->state == SB_SYNC_SOLUTION_DEPLOYED);
}

void
sb_solution_group_reload (SbSolutionGroup *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) status = NULL;

  g_return_if_fail (SB_IS_SOLUTION_GROUP (self));
  if (self->store == NULL)
    return;
  /* One row of the database: quick enough for the main thread. */
  status = sb_sync_solution_get_recorded (self->store, &error);
  if (status == NULL)
    {
      g_free (self->error);
      self->error = g_strdup (error->message);
    }
  update (self, status);
}

void
sb_solution_group_set_store (SbSolutionGroup *self, SbStore *store)
{
  g_return_if_fail (SB_IS_SOLUTION_GROUP (self));

  g_set_object (&self->store, store);
  sb_solution_group_reload (self);
}

static void
deploy_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *db_path = g_object_get_data (G_OBJECT (task), "db-path");
  gboolean redeploy = GPOINTER_TO_INT (task_data);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbStore) store = sb_store_open (db_path, SB_STORE_OPEN_DEFAULT, &error);
  g_autoptr (SbSyncEngine) engine = NULL;
  SbSyncSolutionStatus *status = NULL;

  if (store != NULL)
    engine = sb_coupling_open_engine (store, cancellable, &error);
  if (engine != NULL)
    status = sb_sync_engine_deploy_solution_sync (engine, redeploy, cancellable, &error);
  if (status == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, status, (GDestroyNotify) sb_sync_solution_status_free);
}

static void
deploy_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SbSolutionGroup *self = SB_SOLUTION_GROUP (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (SbSyncSolutionStatus) status = g_task_propagate_pointer (G_TASK (result), &error);

  self->busy = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update (self, NULL);
      return;
    }
  g_clear_pointer (&self->error, g_free);
  if (status == NULL)
    self->error = g_strdup (error->message);
  /* Even a failed deployment may have created some of it: show what is recorded. */
  sb_solution_group_reload (self);
  g_signal_emit (self, signals[SIGNAL_DEPLOYED], 0);
}

void
sb_solution_group_deploy (SbSolutionGroup *self, gboolean redeploy)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (SB_IS_SOLUTION_GROUP (self));
  if (self->busy || self->store == NULL)
    return;
  task = g_task_new (self, self->cancellable, deploy_done, NULL);
  g_object_set_data_full (G_OBJECT (task), "db-path", g_strdup (sb_store_get_path (self->store)),
                          g_free);
  g_task_set_task_data (task, GINT_TO_POINTER (redeploy), NULL);
  self->busy = TRUE;
  update (self, NULL);
  g_task_run_in_thread (task, deploy_thread);
}

gboolean
sb_solution_group_is_busy (SbSolutionGroup *self)
{
  return self->busy;
}

SbSyncSolutionState
sb_solution_group_get_state (SbSolutionGroup *self)
{
  return self->state;
}

const char *
sb_solution_group_get_error (SbSolutionGroup *self)
{
  return self->error;
}

static void
on_deploy_clicked (SbSolutionGroup *self)
{
  sb_solution_group_deploy (self, FALSE);
}

static void
on_redeploy_clicked (SbSolutionGroup *self)
{
  sb_solution_group_deploy (self, TRUE);
}

static GtkWidget *
new_button (const char *name, const char *label, const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (button, name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
sb_solution_group_dispose (GObject *object)
{
  SbSolutionGroup *self = SB_SOLUTION_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sb_solution_group_parent_class)->dispose (object);
}

static void
sb_solution_group_finalize (GObject *object)
{
  SbSolutionGroup *self = SB_SOLUTION_GROUP (object);

  g_free (self->error);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sb_solution_group_parent_class)->finalize (object);
}

static void
sb_solution_group_class_init (SbSolutionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_solution_group_dispose;
  object_class->finalize = sb_solution_group_finalize;
  signals[SIGNAL_DEPLOYED] = g_signal_new ("deployed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sb_solution_group_init (SbSolutionGroup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_name (GTK_WIDGET (self), "solution-group");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Integration Solution"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (self),
      _ ("Salesbridge’s table for account statistics in Dynamics 365 Sales, and the integration "
         "user’s security roles"));

  self->row = adw_action_row_new ();
  gtk_widget_set_name (self->row, "solution-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), _ ("State"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self->row), 0);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->spinner, FALSE);
  gtk_widget_set_tooltip_text (self->spinner, _ ("Deploying…"));
  self->deploy_button =
      new_button ("deploy-button", _ ("_Deploy"), _ ("Create what is missing in Sales"));
  gtk_widget_add_css_class (self->deploy_button, "suggested-action");
  self->redeploy_button = new_button ("redeploy-button", _ ("_Redeploy"),
                                      _ ("Repair the solution and assign the integration roles "
                                         "again"));
  g_signal_connect_swapped (self->deploy_button, "clicked", G_CALLBACK (on_deploy_clicked), self);
  g_signal_connect_swapped (self->redeploy_button, "clicked", G_CALLBACK (on_redeploy_clicked),
                            self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->spinner);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->deploy_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->redeploy_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->row);
  update (self, NULL);
}

GtkWidget *
sb_solution_group_new (void)
{
  return g_object_new (SB_TYPE_SOLUTION_GROUP, NULL);
}
