/* sbc-cli-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-secret-store.h"
#include "sbc-cli-fixture.h"
#include "sbs-keyring.h"

void
sbc_run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs the CLI with --db of the fixture. @env_secret: SALESBRIDGE_CLIENT_SECRET or NULL;
 * @input: standard input or NULL. NULL-terminated arguments. */
void
sbc_run (Fixture *fx, Run *r, const char *env_secret, const char *input, ...)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  sbc_run_clear (r);
  g_ptr_array_add (argv, (char *) g_getenv ("SALESBRIDGE_CLI"));
  g_ptr_array_add (argv, "--db");
  g_ptr_array_add (argv, fx->db);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_secret != NULL)
    g_subprocess_launcher_setenv (launcher, "SALESBRIDGE_CLIENT_SECRET", env_secret, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SALESBRIDGE_CLIENT_SECRET");
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL, &r->out, &r->err,
                                 &error);
  g_assert_no_error (error);
  r->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

void
sbc_assert_contains (const char *text, const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", text, fragment);
}

JsonObject *
sbc_parse_object (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

void
sbc_fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  Run r = { 0 };

  fx->dir = g_dir_make_tmp ("salesbridge-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fx->db = g_build_filename (fx->dir, "company.sbdb", NULL);
  fx->server = sb_sandbox_server_new ();
  g_assert_true (sb_sandbox_server_start (fx->server, 0, &error));
  g_assert_no_error (error);
  fx->base = sb_sandbox_server_get_base_url (fx->server);

  /* The sandbox's only currency without demo data. */
  sbc_run (fx, &r, NULL, NULL, "setup", "general", "local_currency_code=USD", NULL);
  g_assert_cmpint (r.status, ==, 0);
  sbc_run_clear (&r);
}

void
sbc_fixture_tear_down (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sb_secret_store_clear_sync (SB_SECRET_CLIENT_SECRET, fx->base,
                                             SB_SANDBOX_INTEGRATION_CLIENT, NULL, &error));
  g_assert_no_error (error);
  sb_sandbox_server_stop (fx->server);
  g_clear_object (&fx->server);
  sbs_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->db);
}

void
sbc_set_sandbox (Fixture *fx, Run *r, const char *env_secret, const char *input, const char *extra)
{
  /* No --authority: for a loopback URL the sandbox itself signs in. */
  sbc_run (fx, r, env_secret, input, "connection", "set", "--url", fx->base, "--tenant",
           "contoso.onmicrosoft.com", "--client-id", SB_SANDBOX_INTEGRATION_CLIENT,
           "--solution-deployed", "yes", extra, NULL);
}
