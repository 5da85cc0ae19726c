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

run_test () {
  if [ -n "${CAPA_TEST_PRELOAD:-}" ]; then
    LD_PRELOAD="$CAPA_TEST_PRELOAD" "$@"
  else
    "$@"
  fi
}

# LeakSanitizer's own tracer sometimes crashes at exit, after every subtest
# passed ("Tracer caught signal 11 ... LeakSanitizer has encountered a fatal
# error"), a known fault of the sanitizer in stopping a process's threads,
# not a leak: a leak is reported as "detected memory leaks" and fails as
# usual.  The test's output is held back (LSAN_OPTIONS is set for every
# build's tests; the crash can only come from the sanitizer build), and a run
# that ends with that crash alone is run once more, its output shown.
if [ -n "${LSAN_OPTIONS:-}" ]; then
  run_test "$@" > "$tmp/stdout" 2> "$tmp/stderr"
  status=$?
  if [ "$status" != 0 ] &&
     grep -q "Tracer caught signal" "$tmp/stderr" &&
     grep -q "LeakSanitizer has encountered a fatal error" "$tmp/stderr" &&
     ! grep -q "detected memory leaks" "$tmp/stderr" &&
     ! grep -q "^not ok" "$tmp/stdout"; then
    cat "$tmp/stderr" >&2
    echo "with-display.sh: LeakSanitizer's tracer crashed at exit; running the test again" >&2
    run_test "$@"
    status=$?
  else
    cat "$tmp/stdout"
    cat "$tmp/stderr" >&2
  fi
else
  run_test "$@"
  status=$?
fi

[ -n "$atspi_pid" ] && kill "$atspi_pid" 2> /dev/null
kill "$xvfb_pid" 2> /dev/null
wait "$xvfb_pid" 2> /dev/null
rm -rf "$tmp"
exit $status
