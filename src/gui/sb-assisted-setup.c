/* sb-assisted-setup.c
 *
 * The steps are pages of a carousel the user cannot swipe: Next is where the details are
 * validated and the test must pass, so going forward is always through the button.
 *
 * The test step checks the typed settings before anything is saved (a wrong secret should not
 * end up in the keyring); the finish step saves them and enables, which runs the checks once
 * more against what is now stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>

#include "sb-assisted-setup.h"
#include "sb-connection-check-list.h"
#include "sb-connection-manager.h"
#include "sb-secret-store.h"
#include "sb-solution-group.h"
#include "sb-setup.h"
#include "sb-sync-error.h"
#include "sb-sync-review-page.h"
#include "sb-window.h"

struct _SbAssistedSetup
{
  AdwWindow parent_instance;

  SbStore *store;
  /* The window it is transient for, kept until this one is disposed: GTK lets go of a transient
   * parent only then, and a pending keyring lookup (which holds this window) can delay that past
   * the parent's end, when letting go would touch a freed parent. */
  GtkWindow *parent;
  SbConnectionManager *manager;
  SbConnectionSetup *setup; /* as stored when the setup opened, then as saved */
  GCancellable *cancellable;
  SbConnectionCheck *check; /* the test step's */
  SbSetupStep step;
  gboolean busy;
  gboolean connected;
  gboolean disposed;
  gboolean updating;         /* filling the fields: not the user typing */
  gboolean authority_edited; /* by the user: no longer follows the URL */
  gboolean has_stored_secret;

  GtkWidget *cancel_button;
  GtkWidget *back_button;
  GtkWidget *next_button;
  AdwWindowTitle *window_title;
  AdwCarousel *carousel;
  AdwEntryRow *url_entry;
  AdwEntryRow *tenant_entry;
  AdwEntryRow *client_id_entry;
  AdwEntryRow *secret_entry;
  GtkLabel *details_error;
  AdwPreferencesGroup *details_group;
  AdwEntryRow *authority_entry;
  AdwEntryRow *api_version_entry;
  GtkSwitch *solution_switch;
  AdwPreferencesGroup *test_group;
  GtkSpinner *test_spinner;
  GtkWidget *retest_button;
  SbConnectionCheckList *test_checks;
  AdwPreferencesGroup *sync_group;
  GtkSwitch *orders_switch;
  GtkSwitch *auto_orders_switch;
  GtkSwitch *auto_quotes_switch;
  AdwStatusPage *finish_page;
  SbConnectionCheckList *finish_checks;
  GtkWidget *summary_group;
  AdwActionRow *summary_url_row;
  AdwActionRow *summary_user_row;
  AdwActionRow *summary_currency_row;
  AdwActionRow *summary_orders_row;
  GtkWidget *full_sync_group;
  SbSolutionGroup *solution_group;
};

G_DEFINE_FINAL_TYPE (SbAssistedSetup, sb_assisted_setup, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void start_test (SbAssistedSetup *self);
static void start_finish (SbAssistedSetup *self);

/* Helpers */

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (entry_text (row)));
}

static void
replace (char **field, char *value)
{
  g_free (*field);
  *field = value;
}

/* The settings as typed, on top of the stored ones. */
static SbConnectionSetup *
build_setup (SbAssistedSetup *self)
{
  SbConnectionSetup *setup = sb_connection_setup_copy (self->setup);

  replace (&setup->sales_url, stripped (self->url_entry));
  replace (&setup->tenant, stripped (self->tenant_entry));
  replace (&setup->client_id, stripped (self->client_id_entry));
  replace (&setup->authority, stripped (self->authority_entry));
  if (*setup->authority == '\0')
    replace (&setup->authority, g_strdup (SB_CONNECTION_DEFAULT_AUTHORITY));
  replace (&setup->api_version, stripped (self->api_version_entry));
  if (*setup->api_version == '\0')
    replace (&setup->api_version, g_strdup (SB_CONNECTION_DEFAULT_API_VERSION));
  setup->solution_deployed = gtk_switch_get_active (self->solution_switch);
  setup->sales_order_integration = gtk_switch_get_active (self->orders_switch);
  setup->auto_create_sales_orders =
      setup->sales_order_integration && gtk_switch_get_active (self->auto_orders_switch);
  setup->auto_process_sales_quotes = gtk_switch_get_active (self->auto_quotes_switch);
  return setup;
}

/* The stored secret serves only where and for whom it was stored. */
static gboolean
can_keep_secret (SbAssistedSetup *self)
{
  g_autofree char *url = stripped (self->url_entry);
  g_autofree char *client_id = stripped (self->client_id_entry);

  return self->has_stored_secret && g_str_equal (url, self->setup->sales_url) &&
         g_str_equal (client_id, self->setup->client_id);
}

static gboolean
details_complete (SbAssistedSetup *self)
{
  g_autofree char *url = stripped (self->url_entry);
  g_autofree char *tenant = stripped (self->tenant_entry);
  g_autofree char *client_id = stripped (self->client_id_entry);

  return *url != '\0' && *tenant != '\0' && *client_id != '\0' &&
         (*entry_text (self->secret_entry) != '\0' || can_keep_secret (self));
}

static void
update_buttons (SbAssistedSetup *self)
{
  g_autofree char *subtitle = NULL;
  const char *next_label = _ ("_Next");
  gboolean can_next = TRUE;

  switch (self->step)
    {
      case SB_SETUP_STEP_DETAILS:
        can_next = details_complete (self);
        break;
      case SB_SETUP_STEP_TEST:
        can_next =
            !self->busy && self->check != NULL && sb_connection_check_get_passed (self->check);
        break;
      case SB_SETUP_STEP_AUTOMATION:
        next_label = _ ("_Connect");
        break;
      case SB_SETUP_STEP_FINISH:
        next_label = _ ("_Done");
        can_next = self->connected;
        break;
      case SB_SETUP_STEP_WELCOME:
      case SB_SETUP_STEP_SYNC:
      case SB_SETUP_N_STEPS:
      default:
        break;
    }
  gtk_button_set_label (GTK_BUTTON (self->next_button), next_label);
  gtk_widget_set_sensitive (self->next_button, can_next);
  gtk_widget_set_visible (self->back_button,
                          self->step > SB_SETUP_STEP_WELCOME && !self->connected);
  /* Once connected there is nothing to go back to or cancel: Done closes. */
  gtk_widget_set_sensitive (
      self->back_button, !(self->step == SB_SETUP_STEP_FINISH && (self->busy || self->connected)));
  gtk_widget_set_visible (self->cancel_button, !self->connected);
  gtk_widget_set_sensitive (self->cancel_button,
                            !(self->step == SB_SETUP_STEP_FINISH && self->busy));

  /* TRANSLATORS: the assisted setup's progress, "Step 2 of 6" */
  subtitle =
      g_strdup_printf (_ ("Step %u of %u"), (guint) self->step + 1, (guint) SB_SETUP_N_STEPS);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
go_to (SbAssistedSetup *self, SbSetupStep step)
{
  SbSetupStep from = self->step;

  self->step = step;
  adw_carousel_scroll_to (self->carousel, adw_carousel_get_nth_page (self->carousel, step), TRUE);
  /* Leaving the test stops it: its settings are about to change. */
  if (from == SB_SETUP_STEP_TEST && step < from)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  if (step == SB_SETUP_STEP_TEST && from < step)
    start_test (self);
  else if (step == SB_SETUP_STEP_FINISH)
    start_finish (self);
  update_buttons (self);
  gtk_widget_grab_focus (step == SB_SETUP_STEP_DETAILS ? GTK_WIDGET (self->url_entry)
                                                       : self->next_button);
}

/* Details */

static void
on_details_changed (SbAssistedSetup *self)
{
  if (self->updating)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->details_error), FALSE);
  /* Microsoft's sign-in service never answers for a loopback address: a local server such as
   * salesbridge-sandbox signs in itself. Follow the URL until the user sets the field. */
  if (!self->authority_edited)
    {
      g_autofree char *url = stripped (self->url_entry);

      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->authority_entry),
                             sb_connection_url_is_loopback (url) ? url
                                                                 : SB_CONNECTION_DEFAULT_AUTHORITY);
      self->updating = FALSE;
    }
  update_buttons (self);
}

static void
on_authority_changed (SbAssistedSetup *self)
{
  if (!self->updating)
    self->authority_edited = TRUE;
}

static gboolean
check_details (SbAssistedSetup *self)
{
  g_autoptr (SbConnectionSetup) setup = build_setup (self);
  g_autoptr (GError) error = NULL;

  if (!sb_connection_setup_validate (setup, &error))
    {
      gtk_label_set_text (self->details_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->details_error), TRUE);
      return FALSE;
    }
  return TRUE;
}

static void
on_secret_activated (SbAssistedSetup *self)
{
  if (gtk_widget_get_sensitive (self->next_button))
    gtk_widget_activate (self->next_button);
}

/* Test */

static void
test_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbAssistedSetup) self = user_data;
  SbConnectionCheck *check = SB_CONNECTION_CHECK (source);
  g_autoptr (GError) error = NULL;
  SbConnectionCheckId failed;

  sb_connection_check_run_finish (check, result, &error);
  /* A test the user left, or one an newer test replaced, has nothing more to say. */
  if (self->disposed || check != self->check)
    return;
  self->busy = FALSE;
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_sensitive (self->retest_button, TRUE);
  sb_connection_check_list_stop (self->test_checks);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_preferences_group_set_description (self->test_group, _ ("The test was stopped."));
  else if (sb_connection_check_get_passed (check))
    adw_preferences_group_set_description (
        self->test_group, _ ("Every check passed. Next, see what Salesbridge will synchronize."));
  else
    {
      g_autofree char *text = NULL;

      failed = sb_connection_check_get_first_failure (check);
      text = g_strdup_printf (_ ("“%s” failed: its row below says why and what to do. Go back "
                                 "to correct the settings, or fix the cause and test again."),
                              sb_connection_check_get_title (failed));
      adw_preferences_group_set_description (self->test_group, text);
    }
  update_buttons (self);
}

static void
start_test (SbAssistedSetup *self)
{
  g_autoptr (SbConnectionSetup) setup = build_setup (self);
  g_autoptr (SbGeneralSetup) general = sb_general_setup_get (self->store, NULL);
  const char *secret = entry_text (self->secret_entry);

  g_clear_object (&self->check);
  self->check =
      sb_connection_check_new (setup, general != NULL ? general->local_currency_code : NULL);
  /* Checked before it is saved; empty means the keyring's, which can_keep_secret() allowed. */
  if (*secret != '\0')
    sb_connection_check_set_client_secret (self->check, secret);
  sb_connection_check_list_set_check (self->test_checks, self->check);
  self->busy = TRUE;
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  gtk_widget_set_sensitive (self->retest_button, FALSE);
  adw_preferences_group_set_description (
      self->test_group, _ ("Salesbridge signs in and checks the integration user, one step at a "
                           "time. This takes a few seconds."));
  sb_connection_check_run_async (self->check, self->cancellable, test_cb, g_object_ref (self));
  update_buttons (self);
}

static void
on_retest_clicked (SbAssistedSetup *self)
{
  start_test (self);
}

/* Finish */

static void
show_failure (SbAssistedSetup *self, const char *message)
{
  self->busy = FALSE;
  adw_status_page_set_icon_name (self->finish_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->finish_page, _ ("Not Connected"));
  adw_status_page_set_description (self->finish_page, message);
  update_buttons (self);
}

static void
show_summary (SbAssistedSetup *self, SbConnectionCheck *check)
{
  const SbConnectionSetup *setup = self->setup;
  g_autofree char *currency = NULL;
  const char *orders;

  adw_status_page_set_icon_name (self->finish_page, "emblem-ok-symbolic");
  adw_status_page_set_title (self->finish_page, _ ("Connected"));
  adw_status_page_set_description (
      self->finish_page, _ ("Salesbridge is connected to Dynamics 365 Sales. Every setting is on "
                            "the Dynamics 365 Sales page, where you can test or disable the "
                            "connection."));
  adw_action_row_set_subtitle (self->summary_url_row, setup->sales_url);
  adw_action_row_set_subtitle (self->summary_user_row,
                               sb_connection_check_get_user_name (check) != NULL
                                   ? sb_connection_check_get_user_name (check)
                                   : setup->client_id);
  /* TRANSLATORS: a currency's ISO code and symbol, "USD ($)" */
  currency =
      g_strdup_printf (_ ("%s (%s)"), setup->base_currency_code, setup->base_currency_symbol);
  adw_action_row_set_subtitle (self->summary_currency_row, currency);
  if (!setup->sales_order_integration)
    orders = setup->auto_process_sales_quotes ? _ ("Quotes are processed automatically; orders "
                                                   "are not integrated")
                                              : _ ("Orders are not integrated; quotes are "
                                                   "processed one by one");
  else if (setup->auto_create_sales_orders)
    orders = setup->auto_process_sales_quotes
                 ? _ ("Orders are created and quotes processed automatically")
                 : _ ("Orders are created automatically; quotes one by one");
  else
    orders = setup->auto_process_sales_quotes
                 ? _ ("Orders are created one by one; quotes are processed automatically")
                 : _ ("Orders are created and quotes processed one by one");
  adw_action_row_set_subtitle (self->summary_orders_row, orders);
  gtk_widget_set_visible (GTK_WIDGET (self->finish_checks), FALSE);
  gtk_widget_set_visible (self->summary_group, TRUE);
  gtk_widget_set_visible (self->full_sync_group, TRUE);
  /* Connected: the integration solution can be deployed from here (§8). */
  sb_solution_group_set_store (self->solution_group, self->store);
  gtk_widget_set_visible (GTK_WIDGET (self->solution_group), TRUE);
}

static void
enable_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbAssistedSetup) self = user_data;
  g_autoptr (GError) error = NULL;
  SbConnectionCheck *check;
  SbConnectionSetup *setup;

  if (!sb_connection_manager_enable_finish (SB_CONNECTION_MANAGER (source), result, &error))
    {
      if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      sb_connection_check_list_stop (self->finish_checks);
      show_failure (self, g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED)
                              ? _ ("The settings are saved, but a check failed, so the "
                                   "connection is not enabled. The failed check says what to "
                                   "do; then go back and try again.")
                              : error->message);
      return;
    }
  if (self->disposed)
    return;
  check = sb_connection_check_list_get_check (self->finish_checks);
  sb_connection_check_list_stop (self->finish_checks);
  setup = sb_connection_setup_get (self->store, &error);
  if (setup == NULL)
    {
      show_failure (self, error->message);
      return;
    }
  sb_connection_setup_free (self->setup);
  self->setup = setup;
  self->busy = FALSE;
  self->connected = TRUE;
  show_summary (self, check);
  update_buttons (self);
}

static void
save_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbAssistedSetup) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionCheck) check = NULL;
  SbConnectionSetup *setup;

  if (!sb_connection_manager_save_finish (SB_CONNECTION_MANAGER (source), result, &error))
    {
      if (!self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_failure (self, error->message);
      return;
    }
  if (self->disposed)
    return;
  setup = sb_connection_setup_get (self->store, &error);
  if (setup != NULL)
    {
      sb_connection_setup_free (self->setup);
      self->setup = setup;
      /* From now on the secret is the keyring's. */
      self->has_stored_secret = TRUE;
      check = sb_connection_manager_create_check (self->manager, &error);
    }
  if (check == NULL)
    {
      show_failure (self, error->message);
      return;
    }
  sb_connection_check_list_set_check (self->finish_checks, check);
  gtk_widget_set_visible (GTK_WIDGET (self->finish_checks), TRUE);
  adw_status_page_set_description (self->finish_page,
                                   _ ("The settings are saved. Checking the connection once more "
                                      "and reading the base currency of Dynamics 365 Sales…"));
  sb_connection_manager_enable_async (self->manager, check, self->cancellable, enable_cb,
                                      g_object_ref (self));
}

static void
start_finish (SbAssistedSetup *self)
{
  g_autoptr (SbConnectionSetup) setup = build_setup (self);
  const char *secret = entry_text (self->secret_entry);

  self->busy = TRUE;
  self->connected = FALSE;
  adw_status_page_set_icon_name (self->finish_page, "emblem-synchronizing-symbolic");
  adw_status_page_set_title (self->finish_page, _ ("Connecting…"));
  adw_status_page_set_description (self->finish_page,
                                   _ ("Saving the settings; the client secret goes to your "
                                      "keyring."));
  sb_connection_check_list_set_check (self->finish_checks, NULL);
  gtk_widget_set_visible (self->summary_group, FALSE);
  gtk_widget_set_visible (self->full_sync_group, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->solution_group), FALSE);
  /* A setup run again over an enabled connection turns it off until the checks pass again. */
  setup->is_enabled = FALSE;
  sb_connection_manager_save_async (self->manager, setup, *secret != '\0' ? secret : NULL, NULL,
                                    self->cancellable, save_cb, g_object_ref (self));
}

/* Buttons */

static void
on_next_clicked (SbAssistedSetup *self)
{
  switch (self->step)
    {
      case SB_SETUP_STEP_DETAILS:
        if (!details_complete (self) || !check_details (self))
          return;
        break;
      case SB_SETUP_STEP_TEST:
        if (self->busy || self->check == NULL || !sb_connection_check_get_passed (self->check))
          return;
        break;
      case SB_SETUP_STEP_FINISH:
        gtk_window_close (GTK_WINDOW (self));
        return;
      case SB_SETUP_STEP_WELCOME:
      case SB_SETUP_STEP_SYNC:
      case SB_SETUP_STEP_AUTOMATION:
      case SB_SETUP_N_STEPS:
      default:
        break;
    }
  go_to (self, self->step + 1);
}

static void
on_back_clicked (SbAssistedSetup *self)
{
  if (self->step == SB_SETUP_STEP_WELCOME)
    return;
  /* From a failed finish straight to the details: that is what needs correcting. */
  go_to (self, self->step == SB_SETUP_STEP_FINISH ? SB_SETUP_STEP_DETAILS : self->step - 1);
}

/* Filling in */

static void
lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbAssistedSetup) self = user_data;
  char *secret = sb_secret_store_lookup_finish (result, NULL);

  if (!self->disposed)
    {
      self->has_stored_secret = secret != NULL && *secret != '\0';
      if (self->has_stored_secret)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_entry),
                                       _ ("Client Secret (Empty Keeps the Stored One)"));
      update_buttons (self);
    }
  sb_secret_store_free (secret);
}

static void
fill_fields (SbAssistedSetup *self)
{
  const SbConnectionSetup *setup = self->setup;

  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), setup->sales_url);
  gtk_editable_set_text (GTK_EDITABLE (self->tenant_entry), setup->tenant);
  gtk_editable_set_text (GTK_EDITABLE (self->client_id_entry), setup->client_id);
  gtk_editable_set_text (GTK_EDITABLE (self->authority_entry), setup->authority);
  gtk_editable_set_text (GTK_EDITABLE (self->api_version_entry), setup->api_version);
  gtk_switch_set_active (self->solution_switch, setup->solution_deployed);
  gtk_switch_set_active (self->orders_switch, setup->sales_order_integration);
  gtk_switch_set_active (self->auto_orders_switch, setup->auto_create_sales_orders);
  gtk_switch_set_active (self->auto_quotes_switch, setup->auto_process_sales_quotes);
  self->updating = FALSE;
  /* A sign-in service set before is the user's choice. */
  self->authority_edited = !g_str_equal (setup->authority, SB_CONNECTION_DEFAULT_AUTHORITY) &&
                           !g_str_equal (setup->authority, setup->sales_url);
}

/* integration-behaviour.md §1, in words: what each default mapping will keep in step. */
static void
add_sync_rows (SbAssistedSetup *self)
{
  static const struct
  {
    const char *title;
    const char *subtitle;
    const char *direction;
  } rows[] = {
    { N_ ("Salespeople"), N_ ("From users of Dynamics 365 Sales"), "←" },
    { N_ ("Currencies"), N_ ("To currencies of Dynamics 365 Sales"), "→" },
    { N_ ("Units of Measure"), N_ ("To unit groups of Dynamics 365 Sales"), "→" },
    { N_ ("Customers"), N_ ("Both ways, with accounts"), "↔" },
    { N_ ("Contacts"), N_ ("Both ways, with contacts of those accounts"), "↔" },
    { N_ ("Items"), N_ ("Both ways, with inventory products"), "↔" },
    { N_ ("Resources"), N_ ("Both ways, with service products"), "↔" },
    { N_ ("Customer Price Groups"), N_ ("To price lists, with their sales prices"), "→" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_label_new (rows[i].direction);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (rows[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _ (rows[i].subtitle));
      gtk_widget_add_css_class (arrow, "dim-label");
      gtk_widget_add_css_class (arrow, "title-3");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      adw_preferences_group_add (self->sync_group, row);
    }
}

SbSetupStep
sb_assisted_setup_get_step (SbAssistedSetup *self)
{
  g_return_val_if_fail (SB_IS_ASSISTED_SETUP (self), SB_SETUP_STEP_WELCOME);
  return self->step;
}

gboolean
sb_assisted_setup_is_busy (SbAssistedSetup *self)
{
  g_return_val_if_fail (SB_IS_ASSISTED_SETUP (self), FALSE);
  return self->busy;
}

gboolean
sb_assisted_setup_get_connected (SbAssistedSetup *self)
{
  g_return_val_if_fail (SB_IS_ASSISTED_SETUP (self), FALSE);
  return self->connected;
}

/* GObject */

static void
sb_assisted_setup_constructed (GObject *object)
{
  SbAssistedSetup *self = SB_ASSISTED_SETUP (object);
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (sb_assisted_setup_parent_class)->constructed (object);

  g_set_object (&self->parent, gtk_window_get_transient_for (GTK_WINDOW (self)));
  self->manager = sb_connection_manager_new (self->store);
  self->setup = sb_connection_setup_get (self->store, &error);
  if (self->setup == NULL)
    {
      g_warning ("Could not read the connection setup: %s", error->message);
      self->setup = sb_connection_setup_new ();
    }
  fill_fields (self);
  if (*self->setup->sales_url != '\0' && *self->setup->client_id != '\0')
    {
      sb_secret_store_lookup_async (SB_SECRET_CLIENT_SECRET, self->setup->sales_url,
                                    self->setup->client_id, self->cancellable, lookup_cb,
                                    g_object_ref (self));
    }
  update_buttons (self);
}

static void
sb_assisted_setup_dispose (GObject *object)
{
  SbAssistedSetup *self = SB_ASSISTED_SETUP (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->check);
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_pointer (&self->setup, sb_connection_setup_free);

  G_OBJECT_CLASS (sb_assisted_setup_parent_class)->dispose (object);
  /* GtkWindow's dispose has let go of it. */
  g_clear_object (&self->parent);
}

static void
sb_assisted_setup_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbAssistedSetup *self = SB_ASSISTED_SETUP (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_assisted_setup_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  SbAssistedSetup *self = SB_ASSISTED_SETUP (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The last step's offer: the setup closes and the window's Full Synchronization Review takes
 * over, generating its lines and starting them in the background. */
static void
on_full_sync_clicked (SbAssistedSetup *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWidget *page;

  if (SB_IS_WINDOW (parent))
    {
      sb_window_show_page (SB_WINDOW (parent), "review");
      page = sb_window_get_page (SB_WINDOW (parent), "review");
      if (SB_IS_SYNC_REVIEW_PAGE (page))
        sb_sync_review_page_start (SB_SYNC_REVIEW_PAGE (page));
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
sb_assisted_setup_class_init (SbAssistedSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_assisted_setup_constructed;
  object_class->dispose = sb_assisted_setup_dispose;
  object_class->get_property = sb_assisted_setup_get_property;
  object_class->set_property = sb_assisted_setup_set_property;

  props[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, SB_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (SB_TYPE_CONNECTION_CHECK_LIST);
  g_type_ensure (SB_TYPE_SOLUTION_GROUP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-assisted-setup.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SbAssistedSetup, name)
  BIND (cancel_button);
  BIND (back_button);
  BIND (next_button);
  BIND (window_title);
  BIND (carousel);
  BIND (url_entry);
  BIND (tenant_entry);
  BIND (client_id_entry);
  BIND (secret_entry);
  BIND (details_error);
  BIND (details_group);
  BIND (authority_entry);
  BIND (api_version_entry);
  BIND (solution_switch);
  BIND (test_group);
  BIND (test_spinner);
  BIND (retest_button);
  BIND (test_checks);
  BIND (sync_group);
  BIND (orders_switch);
  BIND (auto_orders_switch);
  BIND (auto_quotes_switch);
  BIND (finish_page);
  BIND (finish_checks);
  BIND (summary_group);
  BIND (summary_url_row);
  BIND (summary_user_row);
  BIND (summary_currency_row);
  BIND (summary_orders_row);
  BIND (full_sync_group);
  BIND (solution_group);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_details_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_authority_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_retest_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_full_sync_clicked);
}

static void
sb_assisted_setup_init (SbAssistedSetup *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  add_sync_rows (self);
}

GtkWidget *
sb_assisted_setup_new (SbStore *store, GtkWindow *parent)
{
  g_return_val_if_fail (SB_IS_STORE (store), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SB_TYPE_ASSISTED_SETUP, "store", store, "transient-for", parent, NULL);
}
