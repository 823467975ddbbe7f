#!/usr/bin/env bash
# check-screenshots.sh SRCDIR: every screenshot the AppStream file names is
# in data/screenshots/ (build-aux/screenshots.sh makes them).
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1"
names=$(grep -o 'screenshots/[A-Za-z0-9_-]*\.png' data/io.github.smtpsetup.SmtpSetup.metainfo.xml.in | sort -u)
n=0
echo "1..$(echo "$names" | wc -l)"
for f in $names; do
  n=$((n + 1))
  if [ -s "data/$f" ]; then echo "ok $n data/$f exists"; else echo "not ok $n data/$f is missing"; fi
done
