#!/bin/sh
# Fails when a C file of the project differs from what .clang-format makes of it.
set -eu
cd "$1"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files 'src/*.[ch]' 'tests/*.[ch]' 'bench/*.[ch]')
else
  files=$(find src tests bench -name '*.[ch]')
fi
# shellcheck disable=SC2086
exec clang-format --dry-run --Werror $files
