#!/usr/bin/env python3
# Copyright 2026 The Salesbridge developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks that the translations cover the source as it is now.

Usage: check-potfiles.py SRCDIR PODIR [XGETTEXT_ARG...]

Fails when
- POTFILES.in names a file that does not exist or is not sorted,
- a file under src/ or data/ has translatable strings but is not in POTFILES.in,
- a language in LINGUAS lacks a translation for a string the source has now
  (the template is extracted afresh, so a forgotten update-translations.sh
  run shows up here, not only in the shipped program).

The fix is always the same: list new files in po/POTFILES.in, run
po/update-translations.sh and translate what it reports.
"""

import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_DIRS = ("src", "data")
SOURCE_SUFFIXES = (".c", ".h", ".ui", ".desktop.in", ".metainfo.xml.in", ".gschema.xml")


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]


def has_messages(xgettext, args, srcdir, path):
    out = subprocess.run([xgettext, *args, "--omit-header", "-D", srcdir, "-o", "-", path],
                         capture_output=True, text=True, check=False)
    return "msgid" in out.stdout


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    srcdir, podir, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    xgettext = shutil.which("xgettext")
    msgcmp = shutil.which("msgcmp")
    if not xgettext or not msgcmp:
        print("SKIP: xgettext or msgcmp not found (Debian: gettext)")
        return 77

    problems = []
    potfiles = read_list(os.path.join(podir, "POTFILES.in"))
    for path in potfiles:
        if not os.path.isfile(os.path.join(srcdir, path)):
            problems.append("POTFILES.in lists %s, which does not exist" % path)
    if potfiles != sorted(potfiles, key=lambda p: p.encode()):
        problems.append("POTFILES.in is not sorted (LC_ALL=C sort)")

    listed = set(potfiles)
    for top in SOURCE_DIRS:
        for root, _dirs, files in os.walk(os.path.join(srcdir, top)):
            for name in sorted(files):
                path = os.path.relpath(os.path.join(root, name), srcdir)
                if path in listed or not name.endswith(SOURCE_SUFFIXES):
                    continue
                if has_messages(xgettext, args, srcdir, path):
                    problems.append("%s has translatable strings but is not in POTFILES.in" % path)

    existing = [p for p in potfiles if os.path.isfile(os.path.join(srcdir, p))]
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "current.pot")
        listing = os.path.join(tmp, "POTFILES")
        with open(listing, "w", encoding="utf-8") as f:
            f.write("\n".join(existing) + "\n")
        subprocess.run([xgettext, *args, "-D", srcdir, "-f", listing, "-o", pot], check=True)
        for lang in read_list(os.path.join(podir, "LINGUAS")):
            res = subprocess.run([msgcmp, os.path.join(podir, lang + ".po"), pot],
                                 capture_output=True, text=True, check=False)
            if res.returncode != 0:
                missing = [line for line in res.stderr.splitlines() if "this message" in line]
                problems.append("%s.po lacks %d translation(s) of current strings:\n%s"
                                % (lang, len(missing), res.stderr.strip()))

    for p in problems:
        print("FAIL:", p)
    if problems:
        print("\nList new files in po/POTFILES.in, run po/update-translations.sh and translate.")
        return 1
    print("POTFILES.in and %s cover the source." % ", ".join(
        l + ".po" for l in read_list(os.path.join(podir, "LINGUAS"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
