#!/usr/bin/env bash
# check-cli.sh BINARY: the command line works without a display or a bus.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
bin=$1
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
n=0
check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
echo "1..5"
out=$("$bin" --version 2>&1); check $([[ "$out" =~ ^smtp-setup\ [0-9] ]] && echo 0 || echo 1) "--version prints the version"
out=$("$bin" --help 2>&1); rc=$?
ok=0; for c in test explain detect accounts; do [[ "$out" == *"$c"* ]] || ok=1; done
check $([ $rc = 0 ] && echo $ok || echo 1) "--help lists every command"
out=$("$bin" test --help 2>&1); rc=$?
check $([ $rc = 0 ] && [[ "$out" == *--password-stdin* ]] && [[ "$out" == *--check-only* ]] && echo 0 || echo 1) "test --help lists its options without a display"
"$bin" test --no-such-option >/dev/null 2>&1; rc=$?
check $([ $rc = 2 ] && echo 0 || echo 1) "an unknown option is a usage error (exit 2)"
"$bin" explain --help >/dev/null 2>&1; rc=$?
check $rc "explain --help works without a display"
