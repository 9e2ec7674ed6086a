#!/usr/bin/env python3
# Copyright 2026 The Salesbridge developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without flatpak-builder (Python standard library only).

Usage: test-flatpak-manifest.py MANIFEST [SOURCE_ROOT]

With SOURCE_ROOT the manifest is also checked against the desktop file and
metainfo it will install, so a renamed app ID cannot slip through one of them.
"""

import json
import os
import sys
import unittest
import xml.etree.ElementTree as ET

APP_ID = "io.github.salesbridge.Salesbridge"
COMMAND = "salesbridge"
RUNTIME_VERSION = "49"
REQUIRED_FINISH_ARGS = (
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--share=ipc",
)
# Secrets go through the Secret portal (libsecret picks it inside a sandbox);
# direct access to the keyring's bus name would expose every secret of the user.
FORBIDDEN_BUS_NAME = "org.freedesktop.secrets"

MANIFEST = None
SOURCE_ROOT = None


def load_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        return json.load(f)


class TestFlatpakManifest(unittest.TestCase):
    def setUp(self):
        self.manifest = load_manifest()

    def test_is_an_object(self):
        self.assertIsInstance(self.manifest, dict)

    def test_app_id(self):
        app_id = self.manifest.get("id", self.manifest.get("app-id"))
        self.assertEqual(app_id, APP_ID)
        if "id" in self.manifest and "app-id" in self.manifest:
            self.assertEqual(self.manifest["id"], self.manifest["app-id"])

    def test_command(self):
        self.assertEqual(self.manifest.get("command"), COMMAND)

    def test_runtime(self):
        self.assertEqual(self.manifest.get("runtime"), "org.gnome.Platform")
        self.assertEqual(self.manifest.get("sdk"), "org.gnome.Sdk")
        # A string: a number 49 would not match the runtime branch.
        self.assertEqual(self.manifest.get("runtime-version"), RUNTIME_VERSION)

    def test_finish_args_present(self):
        finish_args = self.manifest.get("finish-args", [])
        self.assertIsInstance(finish_args, list)
        for arg in REQUIRED_FINISH_ARGS:
            self.assertIn(arg, finish_args)
        self.assertEqual(len(finish_args), len(set(finish_args)), "duplicate finish-args")

    def test_no_direct_secret_service_access(self):
        for arg in self.manifest.get("finish-args", []):
            self.assertNotIn(FORBIDDEN_BUS_NAME, arg,
                             "use the Secret portal instead of %s" % arg)
            self.assertNotIn("keyring", arg, "no direct keyring access: %s" % arg)

    def test_last_module_builds_the_app_with_meson(self):
        modules = self.manifest.get("modules")
        self.assertIsInstance(modules, list)
        self.assertTrue(modules, "no modules")
        app = modules[-1]
        self.assertIsInstance(app, dict, "the app module must be inline, not a file name")
        self.assertEqual(app.get("name"), "salesbridge")
        self.assertEqual(app.get("buildsystem"), "meson")
        self.assertIn("-Dbuildtype=release", app.get("config-opts", []))
        sources = app.get("sources", [])
        self.assertTrue(any(s.get("type") == "dir" and s.get("path") == ".." for s in sources),
                        "the app is built from the checkout the manifest lives in")

    def test_tests_run_headless(self):
        # flatpak-builder's sandbox has no display server: the app's own tests
        # run, but not the GUI suite, and through meson rather than `ninja test`.
        app = self.manifest["modules"][-1]
        self.assertIs(app.get("run-tests"), True)
        self.assertEqual(app.get("test-rule"), "")
        commands = app.get("test-commands", [])
        self.assertTrue(commands)
        self.assertTrue(all(c.startswith("meson test") for c in commands))
        self.assertTrue(all("--no-suite gui" in c for c in commands))

    def test_matches_installed_data(self):
        if not SOURCE_ROOT:
            self.skipTest("no source root given")
        data = os.path.join(SOURCE_ROOT, "data")
        desktop = os.path.join(data, APP_ID + ".desktop.in")
        with open(desktop, encoding="utf-8") as f:
            entries = dict(line.rstrip("\n").split("=", 1) for line in f
                           if "=" in line and not line.startswith("#"))
        self.assertEqual(entries.get("Exec", "").split()[0], COMMAND)
        self.assertEqual(entries.get("Icon"), APP_ID)

        metainfo = ET.parse(os.path.join(data, APP_ID + ".metainfo.xml.in")).getroot()
        self.assertEqual(metainfo.findtext("id"), APP_ID)
        self.assertEqual(metainfo.findtext("launchable"), APP_ID + ".desktop")
        self.assertIn(COMMAND, [b.text for b in metainfo.iterfind("provides/binary")])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    MANIFEST = sys.argv[1]
    if len(sys.argv) > 2:
        SOURCE_ROOT = sys.argv[2]
    unittest.main(argv=[sys.argv[0], "-v"])
