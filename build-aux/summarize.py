#!/usr/bin/python3
# summarize.py: count passed and failed tests from meson's testlog.json files
# and print the closing line "N passed, N failed".
#
# A GLib test program reports each case as a TAP line; those are counted one
# by one. A program that failed without a failing case (a crash, a timeout,
# a bail out) counts as one more failure, so nothing is lost.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

OK_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIP_RESULTS = {"SKIP"}

passed = failed = skipped = 0
failures = []

for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as e:
        print(f"cannot read {path}: {e}", file=sys.stderr)
        failed += 1
        failures.append(path)
        continue
    for line in lines:
        if not line.strip():
            continue
        test = json.loads(line)
        name = test.get("name", "?")
        result = test.get("result", "ERROR")
        out = test.get("stdout") or ""
        t_pass = t_fail = t_skip = 0
        for tap in out.splitlines():
            m = re.match(r"^(not ok|ok)\b(.*)$", tap)
            if not m:
                continue
            directive = m.group(2)
            if re.search(r"#\s*SKIP", directive, re.I):
                t_skip += 1
            elif m.group(1) == "ok" or re.search(r"#\s*TODO", directive, re.I):
                t_pass += 1
            else:
                t_fail += 1
                failures.append(f"{name}: {tap.strip()}")
        if t_pass + t_fail + t_skip == 0:
            if result in OK_RESULTS:
                t_pass = 1
            elif result in SKIP_RESULTS:
                t_skip = 1
            else:
                t_fail = 1
                failures.append(f"{name}: {result}")
        elif result not in OK_RESULTS and result not in SKIP_RESULTS and t_fail == 0:
            t_fail = 1
            failures.append(f"{name}: {result} after its cases")
        passed += t_pass
        failed += t_fail
        skipped += t_skip

for f in failures:
    print(f"FAILED {f}")
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
