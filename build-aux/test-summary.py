#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints 'N passed, N failed, N skipped' summed over meson test logs.

Usage: test-summary.py TESTLOG.json [TESTLOG.json...]
Exits 1 when a test failed, or (with CI=true) when a test was skipped:
CI must run every test.
"""

import json
import os
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}

passed = failed = skipped = 0
skipped_names = []
for path in sys.argv[1:]:
    if not os.path.exists(path):
        print(f"{path} is missing: that build or its test run did not happen")
        failed += 1
        continue
    with open(path, encoding="utf-8") as log:
        for line in log:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            result = entry.get("result")
            if result in PASSED:
                passed += 1
            elif result in SKIPPED:
                skipped += 1
                skipped_names.append(entry.get("name"))
            else:
                failed += 1

if skipped_names:
    print("skipped: " + ", ".join(skipped_names))
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)

if failed or (skipped and os.environ.get("CI") == "true"):
    sys.exit(1)
