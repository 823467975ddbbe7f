#!/usr/bin/env python3
# check-explain-eval.py BINARY FILE[:SHARE]...: `smtp-setup explain` puts
# real server replies, quoted from public sources, in the category a person
# needs; each file is one TAP test that fails below SHARE (default 95%) and
# lists its misses.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

THRESHOLD = 0.95


def read_cases(path):
    cases = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                raise ValueError("%s:%d: expected 4 tab-separated fields" % (path, number))
            stage, category, reply, source = fields
            cases.append((number, stage, category, reply.split("\\n"), source))
    return cases


def classify(binary, stage, lines):
    out = subprocess.run([binary, "explain", "--json", "--stage", stage, "--"] + lines,
                         capture_output=True, text=True, env=os.environ, check=False)
    if out.returncode != 0:
        return "(exit %d: %s)" % (out.returncode, out.stderr.strip())
    return json.loads(out.stdout)["category"]


def main():
    if len(sys.argv) < 3:
        print("usage: check-explain-eval.py BINARY FILE...", file=sys.stderr)
        return 2

    binary = sys.argv[1]
    files = sys.argv[2:]
    failed = False

    print("1..%d" % len(files))
    for n, spec in enumerate(files, 1):
        path, _, share_needed = spec.partition(":")
        threshold = float(share_needed) if share_needed else THRESHOLD
        cases = read_cases(path)
        misses = []
        # Each run mostly waits on process start-up, so run a few at once.
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda c: classify(binary, c[1], c[3]), cases))
        for (number, stage, expected, lines, source), got in zip(cases, results):
            if got != expected:
                misses.append((number, stage, expected, got, " | ".join(lines), source))
        right = len(cases) - len(misses)
        share = right / len(cases) if cases else 0.0
        ok = cases and share >= threshold
        failed = failed or not ok
        print("%s %d %s: %d of %d replies in the right category (%.1f%%, at least %.0f%% needed)"
              % ("ok" if ok else "not ok", n, os.path.basename(path), right, len(cases),
                 100 * share, 100 * threshold))
        for number, stage, expected, got, reply, source in misses:
            print("# line %d [%s] expected %s, got %s: %s" % (number, stage, expected, got, reply[:160]))

    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
