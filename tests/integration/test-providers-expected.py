#!/usr/bin/python3
# test-providers-expected.py: `smtp-setup detect --json --no-probe` proposes,
# first, the server that the public provider lists name for each domain of
# tests/data/providers-expected.tsv (host, port, security and user name), from
# the built-in list and without the network.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
import concurrent.futures
import json
import os
import subprocess
import sys

BIN = os.environ.get("SMTP_SETUP_BIN", "smtp-setup")
ENV = dict(os.environ, SMTP_SETUP_NO_ONLINE="1")
SRCDIR = os.environ.get("G_TEST_SRCDIR", os.path.join(os.path.dirname(__file__), ".."))
TABLE = os.path.join(SRCDIR, "data", "providers-expected.tsv")
LOCAL_PART = "ada.lovelace"


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as table:
        for number, line in enumerate(table, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 6:
                raise ValueError("%s:%d: %d fields, not 6" % (path, number, len(fields)))
            domain, host, port, security, username, source = fields
            if security not in ("tls", "starttls") or username not in ("address", "local-part", "-"):
                raise ValueError("%s:%d: bad security or username" % (path, number))
            rows.append((domain, host, int(port), security, username, source))
    return rows


def check(row):
    domain, host, port, security, username, source = row
    address = "%s@%s" % (LOCAL_PART, domain)
    proc = subprocess.run([BIN, "detect", "--json", "--no-probe", address],
                          capture_output=True, text=True, timeout=30, env=ENV)
    if proc.returncode != 0 or not proc.stdout.strip():
        return "exit %d: %s" % (proc.returncode, proc.stderr.strip())
    result = json.loads(proc.stdout)
    if not result["candidates"]:
        return "no candidates"
    first = result["candidates"][0]
    # "-": the source states no user-name form, so it is not checked.
    want_user = {"address": address, "local-part": LOCAL_PART}.get(username, first["username"])
    got = (first["host"], first["port"], first["security"], first["username"], first["source"])
    want = (host, port, security, want_user, "providers")
    if got != want:
        return "got %s, want %s (source: %s)" % (got, want, source)
    return None


def main():
    rows = read_table(TABLE)
    domains = [row[0] for row in rows]
    duplicates = sorted({d for d in domains if domains.count(d) > 1})

    print("1..%d" % (len(rows) + 1))
    failed = 0
    if len(rows) >= 150 and not duplicates:
        print("ok 1 table-has-150-distinct-domains")
    else:
        failed += 1
        print("not ok 1 table-has-150-distinct-domains")
        print("# %d rows; duplicates: %s" % (len(rows), ", ".join(duplicates)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        results = pool.map(check, rows)
        for n, (row, error) in enumerate(zip(rows, results), 2):
            if error is None:
                print("ok %d %s" % (n, row[0]))
            else:
                failed += 1
                print("not ok %d %s" % (n, row[0]))
                print("# " + error)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
