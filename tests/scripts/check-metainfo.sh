#!/usr/bin/env bash
# check-metainfo.sh METAINFO: `appstreamcli validate --no-net --strict` passes.
#
# The <developer id=...> element is AppStream 1.0's (it replaces the
# deprecated <developer_name>, and software centres read it). Validators older
# than 1.0, such as Debian 12's 0.16, report it as an unknown tag; for them,
# and only for that one tag, the report of unknown tags is checked separately.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
file=$1
echo "1..2"

version=$(appstreamcli --version | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1)
major=${version%%.*}

if [ "${major:-0}" -ge 1 ]; then
  if out=$(appstreamcli validate --no-net --strict --explain "$file" 2>&1); then
    echo "ok 1 appstreamcli $version validates the metainfo strictly"
  else
    echo "not ok 1 appstreamcli $version:"; echo "$out" | sed 's/^/# /'
  fi
  echo "ok 2 # SKIP appstreamcli $version knows <developer>"
  exit 0
fi

if out=$(appstreamcli validate --no-net --strict --explain --override=unknown-tag=pedantic \
         "$file" 2>&1); then
  echo "ok 1 appstreamcli $version validates the metainfo strictly (but for <developer>)"
else
  echo "not ok 1 appstreamcli $version:"; echo "$out" | sed 's/^/# /'
fi

unknown=$(appstreamcli validate --no-net --pedantic --format=yaml "$file" 2>&1 |
          grep -A4 -- '- tag: unknown-tag' | grep -E '^ *hint:' | sed 's/^ *hint: *//' |
          grep -vx developer)
if [ -z "$unknown" ]; then
  echo "ok 2 the only tag appstreamcli $version does not know is <developer>"
else
  echo "not ok 2 unknown tags:"; echo "$unknown" | sed 's/^/# /'
fi
