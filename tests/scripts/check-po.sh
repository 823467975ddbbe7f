#!/usr/bin/env bash
# check-po.sh PODIR: every language in LINGUAS has a .po file that
# `msgfmt --check` accepts (format strings, plural forms, header), and that
# is complete: no untranslated and no fuzzy messages.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
podir=$1
n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1"; }

languages=$(grep -v '^\s*#' "$podir/LINGUAS" | tr -s ' \t' '\n\n' | grep -v '^$')
[ -n "$languages" ] && ok "LINGUAS lists $(echo $languages)" || not_ok "LINGUAS lists no language"

for lang in $languages; do
  po="$podir/$lang.po"
  if [ ! -f "$po" ]; then
    not_ok "$lang.po is missing"
    continue
  fi
  if out=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    ok "msgfmt --check accepts $lang.po ($out)"
  else
    not_ok "msgfmt --check rejects $lang.po"; echo "$out" | sed 's/^/# /'
    continue
  fi
  if [[ "$out" == *untranslated* || "$out" == *fuzzy* ]]; then
    not_ok "$lang.po is not complete: $out"
    { LC_ALL=C msgattrib --untranslated "$po"; LC_ALL=C msgattrib --only-fuzzy "$po"; } 2>/dev/null |
      grep '^msgid ' | grep -v '^msgid ""$' | head -n 10 | sed 's/^/# /'
  else
    ok "$lang.po is complete"
  fi
done
echo "1..$n"
