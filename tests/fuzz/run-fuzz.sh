#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one libFuzzer target for a bounded time, for `meson test --suite fuzz`.
#
# Usage: run-fuzz.sh TARGET SEED-DIR WORK-DIR [LIBFUZZER-OPTION...]
#   New inputs go to WORK-DIR/corpus (kept between runs, so that a longer
#   campaign goes on from the last one), crashes to WORK-DIR/artifacts/.
#   CAPA_FUZZ_SECONDS (default 20) is the run's length.

set -eu
target=$1
seeds=$2
work=$3
shift 3

seconds=${CAPA_FUZZ_SECONDS:-20}
mkdir -p "$work/corpus" "$work/artifacts"

# libFuzzer's own exit code for a crash, 77, means "skipped" to meson.
exec "$target" \
  -error_exitcode=1 \
  -timeout_exitcode=1 \
  -max_total_time="$seconds" \
  -rss_limit_mb=2048 \
  -malloc_limit_mb=2048 \
  -timeout=30 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  "$@" \
  "$work/corpus" "$seeds"
