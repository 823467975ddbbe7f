#!/usr/bin/env bash
# check-potfiles.sh SRCDIR: fail when a source or template with translatable
# strings is missing from po/POTFILES.in, or when it lists a file that is gone.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1"
echo "1..2"
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$' | sort)
found=$( (grep -rlE '\b(_|N_|C_|NC_)\s*\(' --include='*.c' src; \
          grep -rl 'translatable="yes"' data --include='*.ui'; \
          ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null) | sort -u)
missing=$(comm -13 <(echo "$listed") <(echo "$found"))
if [ -z "$missing" ]; then echo "ok 1 every file with translatable strings is listed"
else echo "not ok 1 missing from po/POTFILES.in:"; echo "$missing" | sed 's/^/# /'; fi
gone=""
for f in $listed; do [ -f "$f" ] || gone="$gone $f"; done
if [ -z "$gone" ]; then echo "ok 2 every listed file exists"
else echo "not ok 2 listed but missing:$gone"; fi
