#!/bin/sh
# Regenerates po/salesbridge.pot from POTFILES.in, merges it into every
# language in LINGUAS and prints what is left to translate.
#
# Usage: po/update-translations.sh [BUILDDIR]   (default: _build-po)
# Run it after adding translatable strings or files (list new files in
# po/POTFILES.in), then translate every untranslated or fuzzy message: the
# po tests fail until each language is complete.
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-_build-po}
cd "$srcdir"

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" >/dev/null
fi

meson compile -C "$builddir" salesbridge-pot

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  po="po/$lang.po"
  if [ -f "$po" ]; then
    msgmerge --quiet --update --backup=none --previous "$po" po/salesbridge.pot
  else
    msginit --no-translator --locale="$lang" --input=po/salesbridge.pot --output-file="$po"
  fi
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || status=1
  printf '%-6s %s\n' "$lang" "$stats"
  case $stats in
    *untranslated* | *fuzzy*) status=1 ;;
  esac
done

if [ "$status" -ne 0 ]; then
  echo "Some translations are incomplete: edit the files above (search for 'fuzzy' and empty msgstr)." >&2
fi
exit "$status"
