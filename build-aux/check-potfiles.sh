#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file with translatable strings is missing from po/POTFILES,
# when POTFILES names a file that does not exist, or is not sorted.
set -eu
top=${1:-.}
cd "$top"
status=0

potfiles=po/POTFILES
if ! LC_ALL=C sort -c "$potfiles" 2>/dev/null; then
  echo "po/POTFILES is not sorted" >&2
  status=1
fi

while IFS= read -r f; do
  case "$f" in ''|'#'*) continue ;; esac
  if [ ! -f "$f" ]; then
    echo "po/POTFILES names $f, which does not exist" >&2
    status=1
  fi
done < "$potfiles"

candidates=$( {
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' --include='*.c' src plugins 2>/dev/null || true
  grep -rl 'translatable="yes"' --include='*.ui' src plugins 2>/dev/null || true
  grep -rlE '(^|[^A-Za-z0-9_])_\(' --include='*.py' --include='*.js' plugins 2>/dev/null || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
  find plugins -name '*.plugin.desktop.in' -o -name '*.plugin.in' -o -name '*.gschema.xml' 2>/dev/null || true
} | LC_ALL=C sort -u)

for f in $candidates; do
  if ! grep -qxF "$f" "$potfiles"; then
    echo "$f has translatable strings but is missing from po/POTFILES" >&2
    status=1
  fi
done

[ $status -eq 0 ] && echo "po/POTFILES lists every file with translatable strings"
exit $status
