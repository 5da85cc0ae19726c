#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Keeps the architecture honest: no public header includes a private one,
# and nothing in src/core includes GTK.
set -eu
src=$1
status=0

for h in $(find "$src/core" "$src/ui" -name 'capa-*.h' ! -name '*-private.h'); do
  if grep -nE '#include [<"][^>"]*-private\.h[>"]' "$h"; then
    echo "public header $h includes a private header" >&2
    status=1
  fi
done

if grep -rnE --include='*.c' --include='*.h' '^#include <(gtk|gdk)/' "$src/core"; then
  echo "src/core must not use GTK" >&2
  status=1
fi

[ $status -eq 0 ] && echo "public headers are clean, src/core is free of GTK"
exit $status
