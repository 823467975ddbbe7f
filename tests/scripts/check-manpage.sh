#!/usr/bin/env bash
# check-manpage.sh MANPAGE SMTP_SETUP: the manual page formats without a
# warning, and documents every option and exit status the program's own
# --help prints for each command.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
page=$1
bin=$2
n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1"; }

# 1. Formatting: groff's warnings (-ww) go to standard error.
if command -v groff >/dev/null; then
  warnings=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" 2>&1)
  if [ -z "$warnings" ]; then ok "groff formats the page without warnings"
  else not_ok "groff warns:"; echo "$warnings" | sed 's/^/# /'; fi
else
  ok "# SKIP groff is not installed"
fi

# The page's text with troff's escaped hyphens made plain.
text=$(sed -e 's/\\-/-/g' "$page")

# 2. Every option of every command's --help is in the page.
check_help () {
  local what=$1; shift
  local help options missing=""
  help=$(LC_ALL=C.UTF-8 LANGUAGE= "$bin" "$@" --help 2>&1) || { not_ok "$what --help failed"; return; }
  options=$(echo "$help" | grep -oE '^  +(-[a-z], )?--[a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' |
            grep -vE -- '^--help(-all|-gapplication)?$' | sort -u)
  for o in $options; do
    grep -qE -- "(^|[^a-z0-9-])$o([^a-z0-9-]|$)" <<<"$text" || missing="$missing $o"
  done
  if [ -z "$missing" ]; then ok "the page documents every option of $what"
  else not_ok "the page misses options of $what:$missing"; fi

  # Exit statuses, as "Exit status: 0 success; 2 wrong options; ..." prints them.
  local statuses missing_status=""
  statuses=$(echo "$help" | tr '\n' ' ' | grep -oE 'Exit status:.*' | grep -oE '(: |; )[0-9]+' |
             grep -oE '[0-9]+' | sort -un)
  for s in $statuses; do
    grep -qE "^\.B $s\$" "$page" || missing_status="$missing_status $s"
  done
  if [ -z "$missing_status" ]; then ok "the page documents every exit status of $what"
  else not_ok "the page misses exit statuses of $what:$missing_status"; fi
}

check_help "smtp-setup"
check_help "test" test
check_help "explain" explain
check_help "detect" detect
check_help "accounts" accounts
for sub in list show add remove; do
  check_help "accounts $sub" accounts "$sub"
done

echo "1..$n"
