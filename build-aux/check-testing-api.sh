#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the private testing API (src/core/capa-testing-private.h) out of
# the production paths: its functions are declared in that header only,
# and in src/ only the file that defines one may name it; src/ includes
# the header only where a testing function is defined, and reads no
# CAPA_TEST_* environment variable.  Every testing function defined in
# src/ is declared there, and no hook lives anywhere else: a symbol or type
# named after a hook (`_capa_*hook*`, `Capa*Hook*`, `CAPA_*HOOK*`) outside
# that header is either private to one .c file (static) or part of it.
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

for f in $(grep -rlE '^_capa_testing_[a-z0-9_]+[[:space:]]*\(' --include='*.c' "$src" || true); do
  for sym in $(grep -ohE '^_capa_testing_[a-z0-9_]+' "$f" | LC_ALL=C sort -u); do
    if ! printf '%s\n' "$symbols" | grep -qxF "$sym"; then
      echo "$f defines $sym, which $api does not declare" >&2
      status=1
    fi
  done
done

hooks='\b(_capa_[a-z0-9_]*hook[a-z0-9_]*|Capa[A-Za-z0-9]*Hook[A-Za-z0-9]*|CAPA_[A-Z0-9_]*HOOK[A-Z0-9_]*)\b'
if grep -rnE "$hooks" --include='*.h' "$src" | grep -v "^$api:"; then
  echo "hooks are declared in $api only" >&2
  status=1
fi
if grep -rnE "$hooks" --include='*.c' "$src" |
   grep -vE '\b(_capa_testing_[a-z0-9_]+|CapaTesting[A-Za-z0-9]+|CAPA_TESTING_[A-Z0-9_]+)\b'; then
  echo "hooks outside $api: name them _capa_testing_*/CapaTesting* and declare them there" >&2
  status=1
fi

if grep -rnE 'CAPA_TEST_' --include='*.c' --include='*.h' "$src"; then
  echo "$src must not read test-only environment variables" >&2
  status=1
fi

[ $status -eq 0 ] && echo "the testing API stays out of the production paths"
exit $status
