#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the private testing API (src/core/capa-testing-private.h) out of
# the production paths: its functions are declared in that header only,
# and in src/ only the file that defines one may name it; src/ includes
# the header only where a testing function is defined, and reads no
# CAPA_TEST_* environment variable.
set -eu
src=$1
api="$src/core/capa-testing-private.h"
status=0

symbols=$(grep -ohE '\b_capa_testing_[a-z0-9_]+[[:space:]]*\(' "$api" |
          sed 's/[[:space:]]*($//' | LC_ALL=C sort -u)

for sym in $symbols; do
  defining=$(grep -rlE "^$sym[[:space:]]*\(" --include='*.c' "$src" || true)
  if [ -z "$defining" ]; then
    echo "$sym is declared in $api but defined nowhere in $src" >&2
    status=1
    continue
  fi
  for f in $(grep -rlw "$sym" --include='*.c' --include='*.h' "$src"); do
    [ "$f" = "$api" ] && continue
    if ! printf '%s\n' "$defining" | grep -qxF "$f"; then
      echo "$f uses $sym: testing functions are for tests only" >&2
      status=1
    fi
  done
done

if grep -rnE '\b_capa_testing_[a-z0-9_]+[[:space:]]*\(' --include='*.h' "$src" |
   grep -v "^$api:"; then
  echo "testing functions are declared in $api only" >&2
  status=1
fi

for f in $(grep -rlF '"capa-testing-private.h"' --include='*.c' --include='*.h' "$src" || true); do
  if ! grep -qE '^_capa_testing_[a-z0-9_]+[[:space:]]*\(' "$f"; then
    echo "$f includes capa-testing-private.h but defines no testing function" >&2
    status=1
  fi
done

if grep -rnE 'CAPA_TEST_' --include='*.c' --include='*.h' "$src"; then
  echo "$src must not read test-only environment variables" >&2
  status=1
fi

[ $status -eq 0 ] && echo "the testing API stays out of the production paths"
exit $status
