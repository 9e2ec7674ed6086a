#!/bin/sh
# Usage: check-po.sh MSGFMT FILE.po
# Fails unless FILE.po passes `msgfmt --check` and is complete: no untranslated
# and no fuzzy messages.
set -eu

msgfmt=$1
po=$2

if ! stats=$(LC_ALL=C "$msgfmt" --check --statistics -o /dev/null "$po" 2>&1); then
  printf '%s\n' "$stats"
  echo "FAIL: $po does not pass msgfmt --check" >&2
  exit 1
fi
printf '%s: %s\n' "$po" "$stats"

case $stats in
  *untranslated* | *fuzzy*)
    echo "FAIL: $po has untranslated or fuzzy messages; run po/update-translations.sh and translate them" >&2
    exit 1
    ;;
esac
