/* sb-connection-page.c
 *
 * Each entry row saves when its apply button is pressed, each switch when flipped: the GNOME
 * settings pattern, with no Save button to forget. Saves are queued one after the other, so the
 * manager always moves a stored secret from the settings that are really in the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sb-config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-assisted-setup.h"
#include "sb-connection-manager.h"
#include "sb-connection-page.h"
#include "sb-secret-store.h"
#include "sb-solution-group.h"
#include "sb-sync-error.h"

struct _SbConnectionPage
{
  SbPage parent_instance;

  SbStore *store;
  SbConnectionManager *manager;
  SbConnectionSetup *setup; /* what the rows show; saved or being saved */
  GCancellable *cancellable;
  gboolean updating; /* filling the rows from the setup: not an edit */
  gboolean checking; /* a test or an enable runs */
  gboolean saving;
  gboolean save_again;
  gboolean disposed;
  char *pending_secret;
  char *pending_key;

  AdwToastOverlay *toast_overlay;
  AdwPreferencesPage *preferences_page;
  AdwActionRow *state_row;
  GtkImage *state_icon;
  GtkSpinner *busy_spinner;
  GtkWidget *setup_button;
  GtkWidget *enable_button;
  GtkWidget *disable_button;
  AdwActionRow *last_test_row;
  AdwActionRow *currency_row;
  GtkWidget *checks_group;
  SbConnectionCheckList *check_list;
  AdwPreferencesGroup *connection_group;
  AdwEntryRow *url_row;
  AdwEntryRow *tenant_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *secret_row;
  AdwActionRow *secret_state_row;
  AdwPreferencesGroup *advanced_group;
  AdwEntryRow *authority_row;
  AdwEntryRow *api_version_row;
  GtkSwitch *solution_switch;
  SbSolutionGroup *solution_group;
  GtkSwitch *orders_switch;
  GtkSwitch *auto_orders_switch;
  GtkSwitch *auto_quotes_switch;
  AdwExpanderRow *availability_row;
  AdwEntryRow *availability_url_row;
  AdwEntryRow *availability_user_row;
  AdwEntryRow *access_key_row;
  AdwActionRow *access_key_state_row;
  AdwEntryRow *erp_url_row;
};

G_DEFINE_FINAL_TYPE (SbConnectionPage, sb_connection_page, SB_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void request_save (SbConnectionPage *self);

/* Helpers */

static void
secret_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
toast (SbConnectionPage *self, const char *text)
{
  /* Toast titles are markup in libadwaita 1.2; messages may contain '&' or '<'. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

static gboolean
is_set_up (const SbConnectionSetup *setup)
{
  return *setup->sales_url != '\0' && *setup->client_id != '\0';
}

const char *
sb_connection_page_get_state (SbConnectionPage *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_PAGE (self), NULL);
  if (self->setup == NULL || !is_set_up (self->setup))
    return "not-set-up";
  return self->setup->is_enabled ? "enabled" : "disabled";
}

static char *
format_time (const char *iso8601)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (iso8601 == NULL || *iso8601 == '\0')
    return NULL;
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: date and time of the last successful connection test; see strftime(3) */
  return g_date_time_format (local, _ ("%x at %H:%M"));
}

/* The error label below a group's rows: where a refused value is explained. */
static GtkLabel *
get_error_label (GtkWidget *row)
{
  GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);
  GtkLabel *label = g_object_get_data (G_OBJECT (group), "sb-error-label");

  if (label == NULL)
    {
      label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_xalign (label, 0.0);
      gtk_widget_set_margin_top (GTK_WIDGET (label), 6);
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (label));
      g_object_set_data (G_OBJECT (group), "sb-error-label", label);
    }
  return label;
}

static void
show_row_error (GtkWidget *row, const char *message)
{
  GtkLabel *label = get_error_label (row);

  gtk_widget_add_css_class (row, "error");
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static void
clear_row_error (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_visible (GTK_WIDGET (get_error_label (row)), FALSE);
}

/* Showing the settings */

static void
set_entry (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  clear_row_error (GTK_WIDGET (row));
}

static void
show_secret_state (AdwActionRow *row, int state, const char *problem)
{
  if (state < 0)
    adw_action_row_set_subtitle (row, problem);
  else if (state > 0)
    adw_action_row_set_subtitle (row, _ ("Stored in your keyring. It is never shown again; type "
                                         "a new one above to replace it."));
  else
    adw_action_row_set_subtitle (row, _ ("Not stored. Type it above and press Enter; it goes to "
                                         "your keyring, not the company database."));
  /* For tests, which cannot read a keyring answer from the words. */
  g_object_set_data (G_OBJECT (row), "sb-state",
                     (gpointer) (state < 0   ? "unknown"
                                 : state > 0 ? "stored"
                                             : "not-stored"));
}

typedef struct
{
  SbConnectionPage *page;
  AdwActionRow *row;
} LookupData;

static void
lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LookupData *data = user_data;
  g_autoptr (GError) error = NULL;
  char *secret = sb_secret_store_lookup_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !data->page->disposed)
    show_secret_state (data->row, error != NULL ? -1 : secret != NULL && *secret != '\0',
                       error != NULL ? error->message : NULL);
  sb_secret_store_free (secret);
  g_object_unref (data->page);
  g_free (data);
}

static void
lookup_secret (SbConnectionPage *self, SbSecretKind kind, const char *url, const char *account,
               AdwActionRow *row)
{
  LookupData *data;

  if (*url == '\0' || *account == '\0')
    {
      show_secret_state (row, 0, NULL);
      return;
    }
  adw_action_row_set_subtitle (row, _ ("Asking the keyring…"));
  g_object_set_data (G_OBJECT (row), "sb-state", NULL);
  data = g_new0 (LookupData, 1);
  data->page = g_object_ref (self);
  data->row = row;
  sb_secret_store_lookup_async (kind, url, account, self->cancellable, lookup_cb, data);
}

static void
update_state (SbConnectionPage *self)
{
  const SbConnectionSetup *setup = self->setup;
  gboolean set_up = is_set_up (setup);
  gboolean busy = self->checking || self->saving;
  g_autofree char *last_test = format_time (setup->last_test_at);
  GtkWidget *icon = GTK_WIDGET (self->state_icon);

  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "dim-label");
  if (!set_up)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), _ ("Not Set Up"));
      adw_action_row_set_subtitle (self->state_row,
                                   _ ("Salesbridge is not connected to Dynamics 365 Sales. The "
                                      "assisted setup walks you through it."));
      gtk_widget_add_css_class (icon, "dim-label");
    }
  else if (setup->is_enabled)
    {
      g_autofree char *text = g_strdup_printf (_ ("Connected to %s"), setup->sales_url);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), _ ("Enabled"));
      adw_action_row_set_subtitle (self->state_row, text);
      gtk_widget_add_css_class (icon, "success");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->state_row), _ ("Disabled"));
      adw_action_row_set_subtitle (self->state_row,
                                   _ ("The settings are kept, but nothing is exchanged with "
                                      "Dynamics 365 Sales until you enable the connection."));
      gtk_widget_add_css_class (icon, "dim-label");
    }
  gtk_widget_set_visible (self->setup_button, !set_up);
  gtk_widget_set_visible (self->enable_button, set_up && !setup->is_enabled);
  gtk_widget_set_visible (self->disable_button, setup->is_enabled);
  if (set_up && !setup->is_enabled)
    gtk_widget_add_css_class (self->enable_button, "suggested-action");

  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), self->checking);
  gtk_spinner_set_spinning (self->busy_spinner, self->checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.test", set_up && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.enable",
                                 set_up && !busy && !setup->is_enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.disable",
                                 !busy && setup->is_enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.assisted-setup",
                                 !busy && !setup->is_enabled);

  adw_action_row_set_subtitle (self->last_test_row,
                               last_test != NULL ? last_test : _ ("Not tested yet"));
  if (*setup->base_currency_code != '\0')
    {
      g_autofree char *decimals =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d decimal place", "%d decimal places",
                                        (gulong) setup->base_currency_precision),
                           (int) setup->base_currency_precision);
      /* TRANSLATORS: a currency: ISO code, symbol, "2 decimal places" */
      g_autofree char *text = g_strdup_printf (_ ("%s, symbol %s, %s"), setup->base_currency_code,
                                               setup->base_currency_symbol, decimals);

      adw_action_row_set_subtitle (self->currency_row, text);
    }
  else
    adw_action_row_set_subtitle (self->currency_row,
                                 _ ("Read from Dynamics 365 Sales when the connection is enabled"));

  /* Where and as whom to connect changes only while the connection is off: synchronization
   * must never switch environments under a running job. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->connection_group), !setup->is_enabled);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_group), !setup->is_enabled);
  adw_preferences_group_set_description (
      self->connection_group,
      setup->is_enabled
          ? _ ("Disable the connection to change where and as whom Salesbridge connects.")
          : _ ("The environment, and the app registration Salesbridge signs in with."));
}

static void
fill_rows (SbConnectionPage *self)
{
  const SbConnectionSetup *setup = self->setup;

  self->updating = TRUE;
  set_entry (self->url_row, setup->sales_url);
  set_entry (self->tenant_row, setup->tenant);
  set_entry (self->client_id_row, setup->client_id);
  set_entry (self->secret_row, "");
  set_entry (self->authority_row, setup->authority);
  set_entry (self->api_version_row, setup->api_version);
  gtk_switch_set_active (self->solution_switch, setup->solution_deployed);
  gtk_switch_set_active (self->orders_switch, setup->sales_order_integration);
  gtk_switch_set_active (self->auto_orders_switch, setup->auto_create_sales_orders);
  gtk_switch_set_active (self->auto_quotes_switch, setup->auto_process_sales_quotes);
  adw_expander_row_set_enable_expansion (self->availability_row, setup->item_availability_enabled);
  set_entry (self->availability_url_row, setup->item_availability_url);
  set_entry (self->availability_user_row, setup->item_availability_user);
  set_entry (self->access_key_row, "");
  set_entry (self->erp_url_row, setup->erp_web_client_url);
  self->updating = FALSE;
}

static void
refresh_secret_states (SbConnectionPage *self)
{
  lookup_secret (self, SB_SECRET_CLIENT_SECRET, self->setup->sales_url, self->setup->client_id,
                 self->secret_state_row);
  lookup_secret (self, SB_SECRET_ITEM_AVAILABILITY_KEY, self->setup->item_availability_url,
                 self->setup->item_availability_user, self->access_key_state_row);
}

/* Reads the stored row; FALSE (and a toast) when the store failed. */
static gboolean
read_setup (SbConnectionPage *self)
{
  g_autoptr (GError) error = NULL;
  SbConnectionSetup *setup = sb_connection_setup_get (self->store, &error);

  if (setup == NULL)
    {
      toast (self, error->message);
      return FALSE;
    }
  g_clear_pointer (&self->setup, sb_connection_setup_free);
  self->setup = setup;
  return TRUE;
}

void
sb_connection_page_reload (SbConnectionPage *self)
{
  g_return_if_fail (SB_IS_CONNECTION_PAGE (self));

  if (self->saving || !read_setup (self))
    return;
  fill_rows (self);
  update_state (self);
  refresh_secret_states (self);
  sb_solution_group_reload (self->solution_group);
}

/* Saving */

static void
save_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbConnectionPage) self = user_data;
  g_autoptr (GError) error = NULL;

  gboolean ok = sb_connection_manager_save_finish (SB_CONNECTION_MANAGER (source), result, &error);

  self->saving = FALSE;
  if (self->disposed)
    return;
  if (!ok)
    {
      toast (self, error->message);
      /* Show what is really stored, not what failed to be. */
      self->save_again = FALSE;
      sb_connection_page_reload (self);
      return;
    }
  if (self->save_again)
    {
      request_save (self);
      return;
    }
  if (read_setup (self))
    {
      update_state (self);
      refresh_secret_states (self);
    }
}

static void
request_save (SbConnectionPage *self)
{
  if (self->saving)
    {
      self->save_again = TRUE;
      return;
    }
  self->saving = TRUE;
  self->save_again = FALSE;
  sb_connection_manager_save_async (self->manager, self->setup, self->pending_secret,
                                    self->pending_key, NULL, save_cb, g_object_ref (self));
  /* The manager copied them. */
  g_clear_pointer (&self->pending_secret, secret_free);
  g_clear_pointer (&self->pending_key, secret_free);
}

/* Validates @candidate; refuses it next to @row with the core's words, or makes it the page's
 * settings and saves them. */
static gboolean
accept (SbConnectionPage *self, SbConnectionSetup *candidate, GtkWidget *row)
{
  g_autoptr (GError) error = NULL;

  if (!sb_connection_setup_validate (candidate, &error))
    {
      show_row_error (row, error->message);
      sb_connection_setup_free (candidate);
      return FALSE;
    }
  clear_row_error (row);
  sb_connection_setup_free (self->setup);
  self->setup = candidate;
  request_save (self);
  update_state (self);
  return TRUE;
}

static char **
entry_field (SbConnectionPage *self, SbConnectionSetup *setup, AdwEntryRow *row)
{
  if (row == self->url_row)
    return &setup->sales_url;
  if (row == self->tenant_row)
    return &setup->tenant;
  if (row == self->client_id_row)
    return &setup->client_id;
  if (row == self->authority_row)
    return &setup->authority;
  if (row == self->api_version_row)
    return &setup->api_version;
  if (row == self->availability_url_row)
    return &setup->item_availability_url;
  if (row == self->availability_user_row)
    return &setup->item_availability_user;
  if (row == self->erp_url_row)
    return &setup->erp_web_client_url;
  g_return_val_if_reached (NULL);
}

static void
on_entry_apply (SbConnectionPage *self, AdwEntryRow *row)
{
  SbConnectionSetup *candidate = sb_connection_setup_copy (self->setup);
  char **field = entry_field (self, candidate, row);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  g_free (*field);
  *field = g_strstrip (g_strdup (text));
  /* An empty sign-in service or version means the default, as for a new company. */
  if (row == self->authority_row && **field == '\0')
    {
      g_free (*field);
      *field = g_strdup (SB_CONNECTION_DEFAULT_AUTHORITY);
    }
  if (row == self->api_version_row && **field == '\0')
    {
      g_free (*field);
      *field = g_strdup (SB_CONNECTION_DEFAULT_API_VERSION);
    }
  if (accept (self, candidate, GTK_WIDGET (row)))
    {
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (row), *entry_field (self, self->setup, row));
      self->updating = FALSE;
    }
}

static void
on_secret_apply (SbConnectionPage *self, AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean is_key = row == self->access_key_row;
  const char *url = is_key ? self->setup->item_availability_url : self->setup->sales_url;
  const char *account = is_key ? self->setup->item_availability_user : self->setup->client_id;

  if (*text == '\0')
    return;
  if (*url == '\0' || *account == '\0')
    {
      show_row_error (GTK_WIDGET (row),
                      is_key ? _ ("Enter the web service URL and user name first: the access "
                                  "key is kept in the keyring under them.")
                             : _ ("Enter the environment URL and the application (client) ID "
                                  "first: the secret is kept in the keyring under them."));
      return;
    }
  clear_row_error (GTK_WIDGET (row));
  if (is_key)
    {
      g_clear_pointer (&self->pending_key, secret_free);
      self->pending_key = g_strdup (text);
    }
  else
    {
      g_clear_pointer (&self->pending_secret, secret_free);
      self->pending_secret = g_strdup (text);
    }
  /* Typed once, kept in the keyring, never shown again. */
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  request_save (self);
  toast (self, is_key ? _ ("The access key is stored in your keyring.")
                      : _ ("The client secret is stored in your keyring."));
}

static void
on_switch_changed (SbConnectionPage *self, GParamSpec *pspec, GObject *widget)
{
  SbConnectionSetup *candidate;

  if (self->updating || self->setup == NULL)
    return;
  candidate = sb_connection_setup_copy (self->setup);
  candidate->solution_deployed = gtk_switch_get_active (self->solution_switch);
  candidate->sales_order_integration = gtk_switch_get_active (self->orders_switch);
  candidate->auto_create_sales_orders = gtk_switch_get_active (self->auto_orders_switch);
  candidate->auto_process_sales_quotes = gtk_switch_get_active (self->auto_quotes_switch);
  candidate->item_availability_enabled =
      adw_expander_row_get_enable_expansion (self->availability_row);
  if (!accept (self, candidate, GTK_WIDGET (widget)))
    {
      /* Refused: the switch goes back to what is saved. */
      self->updating = TRUE;
      fill_rows (self);
      self->updating = FALSE;
    }
}

/* Test, enable, disable */

static void
finish_check (SbConnectionPage *self, gboolean ok, GError *error, gboolean enable)
{
  self->checking = FALSE;
  sb_connection_check_list_stop (self->check_list);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update_state (self);
      return;
    }
  if (ok)
    toast (self, enable ? _ ("The connection is enabled") : _ ("Every check passed"));
  else if (g_error_matches (error, SB_SYNC_ERROR, SB_SYNC_ERROR_CHECK_FAILED))
    toast (self, enable ? _ ("Not enabled: a check failed. The test results say what to do.")
                        : _ ("A check failed. The test results say what to do."));
  else if (error != NULL)
    toast (self, error->message);
  sb_connection_page_reload (self);
}

static void
test_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbConnectionPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok = sb_connection_manager_test_finish (SB_CONNECTION_MANAGER (source), result, &error);

  if (!self->disposed)
    finish_check (self, ok, error, FALSE);
}

static void
enable_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SbConnectionPage) self = user_data;
  g_autoptr (GError) error = NULL;
  gboolean ok =
      sb_connection_manager_enable_finish (SB_CONNECTION_MANAGER (source), result, &error);

  if (!self->disposed)
    finish_check (self, ok, error, TRUE);
}

static void
run_check (SbConnectionPage *self, gboolean enable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SbConnectionCheck) check = sb_connection_manager_create_check (self->manager, &error);

  if (check == NULL)
    {
      toast (self, error->message);
      return;
    }
  self->checking = TRUE;
  sb_connection_check_list_set_check (self->check_list, check);
  gtk_widget_set_visible (self->checks_group, TRUE);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->checks_group),
                                   enable ? _ ("Enabling the Connection") : _ ("Test Results"));
  update_state (self);
  if (enable)
    sb_connection_manager_enable_async (self->manager, check, self->cancellable, enable_cb,
                                        g_object_ref (self));
  else
    sb_connection_manager_test_async (self->manager, check, self->cancellable, test_cb,
                                      g_object_ref (self));
}

static void
test_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_check (SB_CONNECTION_PAGE (widget), FALSE);
}

static void
enable_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  run_check (SB_CONNECTION_PAGE (widget), TRUE);
}

static void
disable_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SbConnectionPage *self = SB_CONNECTION_PAGE (widget);
  g_autoptr (GError) error = NULL;

  /* One small write to the single settings row, on the thread that owns the store. */
  if (!sb_connection_manager_disable (self->manager, &error))
    toast (self, error->message);
  else
    toast (self, _ ("The connection is disabled. Its settings and secrets are kept."));
  sb_connection_page_reload (self);
}

static void
assisted_setup_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sb_connection_page_open_assisted_setup (SB_CONNECTION_PAGE (widget));
}

GtkWindow *
sb_connection_page_open_assisted_setup (SbConnectionPage *self)
{
  GtkRoot *root;
  GtkWindow *window;

  g_return_val_if_fail (SB_IS_CONNECTION_PAGE (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  window = GTK_WINDOW (
      sb_assisted_setup_new (self->store, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL));
  g_signal_connect_object (window, "destroy", G_CALLBACK (sb_connection_page_reload), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (window);
  return window;
}

/* A test running for a page nobody looks at is stopped: its results would go unseen. */
static void
on_unmap (SbConnectionPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
on_map (SbConnectionPage *self)
{
  /* The settings may have changed meanwhile (the assisted setup, the command line). */
  if (!self->checking)
    sb_connection_page_reload (self);
}

gboolean
sb_connection_page_is_busy (SbConnectionPage *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_PAGE (self), FALSE);
  return self->checking || self->saving;
}

SbConnectionCheckList *
sb_connection_page_get_check_list (SbConnectionPage *self)
{
  g_return_val_if_fail (SB_IS_CONNECTION_PAGE (self), NULL);
  return self->check_list;
}

/* GObject */

static void
sb_connection_page_constructed (GObject *object)
{
  SbConnectionPage *self = SB_CONNECTION_PAGE (object);

  G_OBJECT_CLASS (sb_connection_page_parent_class)->constructed (object);

  self->manager = sb_connection_manager_new (self->store);
  if (!read_setup (self))
    self->setup = sb_connection_setup_new ();
  fill_rows (self);
  update_state (self);
  sb_solution_group_set_store (self->solution_group, self->store);
  /* A deployment records solution_deployed in the setup the rows show. */
  g_signal_connect_object (self->solution_group, "deployed", G_CALLBACK (sb_connection_page_reload),
                           self, G_CONNECT_SWAPPED);
}

static void
sb_connection_page_dispose (GObject *object)
{
  SbConnectionPage *self = SB_CONNECTION_PAGE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_pointer (&self->setup, sb_connection_setup_free);
  g_clear_pointer (&self->pending_secret, secret_free);
  g_clear_pointer (&self->pending_key, secret_free);

  G_OBJECT_CLASS (sb_connection_page_parent_class)->dispose (object);
}

static void
sb_connection_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SbConnectionPage *self = SB_CONNECTION_PAGE (object);

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
sb_connection_page_set_property (GObject *object, guint prop_id, const GValue *value,
                                 GParamSpec *pspec)
{
  SbConnectionPage *self = SB_CONNECTION_PAGE (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_connection_page_class_init (SbConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_connection_page_constructed;
  object_class->dispose = sb_connection_page_dispose;
  object_class->get_property = sb_connection_page_get_property;
  object_class->set_property = sb_connection_page_set_property;

  props[PROP_STORE] =
      g_param_spec_object ("store", NULL, NULL, SB_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "connection.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "connection.enable", NULL, enable_action);
  gtk_widget_class_install_action (widget_class, "connection.disable", NULL, disable_action);
  gtk_widget_class_install_action (widget_class, "connection.assisted-setup", NULL,
                                   assisted_setup_action);

  g_type_ensure (SB_TYPE_CONNECTION_CHECK_LIST);
  g_type_ensure (SB_TYPE_SOLUTION_GROUP);
  gtk_widget_class_set_template_from_resource (
      widget_class, "/io/github/salesbridge/Salesbridge/sb-connection-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, SbConnectionPage, name)
  BIND (toast_overlay);
  BIND (preferences_page);
  BIND (state_row);
  BIND (state_icon);
  BIND (busy_spinner);
  BIND (setup_button);
  BIND (enable_button);
  BIND (disable_button);
  BIND (last_test_row);
  BIND (currency_row);
  BIND (checks_group);
  BIND (check_list);
  BIND (connection_group);
  BIND (url_row);
  BIND (tenant_row);
  BIND (client_id_row);
  BIND (secret_row);
  BIND (secret_state_row);
  BIND (advanced_group);
  BIND (authority_row);
  BIND (api_version_row);
  BIND (solution_switch);
  BIND (solution_group);
  BIND (orders_switch);
  BIND (auto_orders_switch);
  BIND (auto_quotes_switch);
  BIND (availability_row);
  BIND (availability_url_row);
  BIND (availability_user_row);
  BIND (access_key_row);
  BIND (access_key_state_row);
  BIND (erp_url_row);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_entry_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_changed);
}

static void
sb_connection_page_init (SbConnectionPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (on_unmap), NULL);
}

GtkWidget *
sb_connection_page_new (SbStore *store)
{
  g_return_val_if_fail (SB_IS_STORE (store), NULL);
  return g_object_new (SB_TYPE_CONNECTION_PAGE, "store", store, NULL);
}
