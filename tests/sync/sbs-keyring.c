/* sbs-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sbs-keyring.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

struct _SbsKeyring
{
  char *dir;
  char *data_dir;
  GPid bus_pid;
  GPid keyring_pid;
  GDBusConnection *bus; /* the process's session bus, kept so its settings stay */
};

void
sbs_remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        sbs_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

gboolean
sbs_file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0, n = strlen (needle);
  g_autoptr (GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  for (gsize i = 0; n > 0 && i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The daemons end with the test program, even when it aborts on a failed assertion. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A session bus with no service directories: nothing is activated behind the test's back (the
 * system's org.freedesktop.secrets.service would otherwise start a keyring of its own). */
static char *
write_bus_config (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "session.conf", NULL);
  g_autofree char *config = g_strdup_printf (
      "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN\" "
      "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
      "<busconfig><type>session</type><listen>unix:dir=%s</listen>"
      "<auth>EXTERNAL</auth><policy context=\"default\"><allow send_destination=\"*\" "
      "eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
      dir);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, config, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
read_line (int fd)
{
  GString *line = g_string_new (NULL);
  char c;

  while (read (fd, &c, 1) == 1 && c != '\n')
    g_string_append_c (line, c);
  return g_string_free (line, FALSE);
}

SbsKeyring *
sbs_keyring_start (gboolean with_keyring)
{
  SbsKeyring *self = g_new0 (SbsKeyring, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *home = NULL;
  g_auto (GStrv) env = NULL;
  int bus_out = -1;

  self->dir = g_dir_make_tmp ("salesbridge-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (self->dir, "home", NULL);
  self->data_dir = g_build_filename (home, "data", NULL);
  runtime = g_build_filename (self->dir, "run", NULL);
  g_assert_cmpint (g_mkdir_with_parents (self->data_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  config = write_bus_config (self->dir);
  config_arg = g_strconcat ("--config-file=", config, NULL);

  {
    const char *argv[] = { "dbus-daemon", config_arg,    "--print-address=1",
                           "--nofork",    "--nopidfile", NULL };

    g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                              G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDERR_TO_DEV_NULL,
                              die_with_parent, NULL, &self->bus_pid, NULL, &bus_out, NULL, &error);
    g_assert_no_error (error);
  }
  address = read_line (bus_out);
  close (bus_out);
  g_assert_true (g_str_has_prefix (address, "unix:"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  /* The shared session bus connection would raise SIGTERM when the bus goes away at the end. */
  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (self->bus, FALSE);

  if (!with_keyring)
    return self;

  env = g_get_environ ();
  env = g_environ_setenv (env, "HOME", home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", self->data_dir, TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  env = g_environ_unsetenv (env, "LD_PRELOAD");
  /* The daemon is GLib too: G_DEBUG=fatal-warnings would make its own warnings abort it, and
   * libsecret would then say NoReply in the middle of a test. */
  env = g_environ_unsetenv (env, "G_DEBUG");
  {
    const char *argv[] = { "gnome-keyring-daemon", "--unlock", "--components=secrets",
                           "--foreground", NULL };
    int in = -1;
    g_autoptr (GDBusConnection) bus = NULL;
    g_autoptr (GVariant) owner = NULL;

    g_spawn_async_with_pipes (NULL, (char **) argv, env,
                              G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                              die_with_parent, NULL, &self->keyring_pid, &in, NULL, NULL, &error);
    g_assert_no_error (error);
    /* The password of the new login keyring; end of input says it is complete. */
    g_assert_cmpint (write (in, "salesbridge-test", 16), ==, 16);
    close (in);

    /* Wait until the service owns its name, so the first test does not race its start. */
    bus =
        g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                    G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 200; i++)
      {
        g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
            bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"),
            G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
        gboolean has_owner = FALSE;

        g_assert_no_error (error);
        g_variant_get (reply, "(b)", &has_owner);
        if (has_owner)
          break;
        g_usleep (50 * G_TIME_SPAN_MILLISECOND);
      }
    g_dbus_connection_close_sync (bus, NULL, NULL);
  }
  return self;
}

const char *
sbs_keyring_get_data_dir (SbsKeyring *self)
{
  return self->data_dir;
}

static void
stop_child (GPid pid)
{
  if (pid <= 0)
    return;
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

void
sbs_keyring_stop (SbsKeyring *self)
{
  g_dbus_connection_flush_sync (self->bus, NULL, NULL);
  stop_child (self->keyring_pid);
  stop_child (self->bus_pid);
  g_clear_object (&self->bus);
  sbs_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->data_dir);
  g_free (self);
}
