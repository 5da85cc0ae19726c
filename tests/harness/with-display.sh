#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a test inside a private D-Bus session and a private Xvfb display,
# both set up here and torn down afterwards, so that the caller needs
# neither.  With CAPA_TEST_ATSPI=1 the accessibility bus is started too,
# for tests that drive real widgets through AT-SPI.
#
# Usage: with-display.sh COMMAND [ARG...]

set -u
here=$(dirname "$(realpath "$0")")

missing=""
command -v Xvfb > /dev/null 2>&1 || missing="Xvfb (package xvfb)"
command -v dbus-run-session > /dev/null 2>&1 || missing="$missing dbus-run-session (package dbus)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "Bail out! CI must run this test, but the machine lacks:$missing" 
    exit 1
  fi
  echo "1..0 # SKIP this machine lacks$missing"
  exit 0
fi

if [ "${CAPA_IN_PRIVATE_BUS:-}" != 1 ]; then
  CAPA_IN_PRIVATE_BUS=1 exec dbus-run-session -- "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/capa-xvfb.XXXXXX")
mkfifo "$tmp/displayfd"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -noreset -nolisten tcp -auth /dev/null \
  3> "$tmp/displayfd" 2> "$tmp/xvfb.log" &
xvfb_pid=$!
read -r display < "$tmp/displayfd" || display=""
if [ -z "$display" ]; then
  echo "Bail out! Xvfb did not start: $(cat "$tmp/xvfb.log")"
  kill "$xvfb_pid" 2> /dev/null
  rm -rf "$tmp"
  exit 1
fi
export DISPLAY=":$display"
unset WAYLAND_DISPLAY
export GDK_BACKEND=x11

atspi_pid=""
if [ "${CAPA_TEST_ATSPI:-}" = 1 ]; then
  for launcher in /usr/libexec/at-spi-bus-launcher /usr/lib/at-spi2-core/at-spi-bus-launcher; do
    if [ -x "$launcher" ]; then
      "$launcher" --launch-immediately > /dev/null 2>&1 &
      atspi_pid=$!
      break
    fi
  done
  export GTK_MODULES="${GTK_MODULES:+$GTK_MODULES:}gail:atk-bridge"
  export NO_AT_BRIDGE=0
  sleep 1
else
  export NO_AT_BRIDGE=1
fi

if [ -n "${CAPA_TEST_PRELOAD:-}" ]; then
  LD_PRELOAD="$CAPA_TEST_PRELOAD" "$@"
else
  "$@"
fi
status=$?

[ -n "$atspi_pid" ] && kill "$atspi_pid" 2> /dev/null
kill "$xvfb_pid" 2> /dev/null
wait "$xvfb_pid" 2> /dev/null
rm -rf "$tmp"
exit $status
