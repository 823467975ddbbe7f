#!/usr/bin/env bash
# test.sh: install what is missing, build, and run every test: the suites in a
# normal build and again in an AddressSanitizer/UBSan build, with a private
# Postfix on loopback for the real-mail-server tests. Ends with the line
# "N passed, N failed".
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build-aux/install-deps.sh || { echo "Could not install the dependencies"; echo "0 passed, 1 failed"; exit 1; }

status=0
logs=()

pf_dir=$(mktemp -d /tmp/smtp-setup-postfix.XXXXXX)
chmod 755 "$pf_dir"
stop_postfix () { tests/scripts/postfix.sh stop "$pf_dir" >/dev/null 2>&1; rm -rf "$pf_dir"; }
trap stop_postfix EXIT
if tests/scripts/postfix.sh start "$pf_dir"; then
  export SMTP_TEST_POSTFIX="$pf_dir/postfix.ini"
else
  echo "The test mail server did not start; its tests will fail."
fi
export SMTP_TEST_REQUIRE_POSTFIX=1

run_suites () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  else
    meson setup --reconfigure "$dir" "$@" >/dev/null || return 1
  fi
  meson compile -C "$dir" || return 1
  rm -f "$dir/meson-logs/testlog.json"
  meson test -C "$dir" --print-errorlogs --num-processes 2 --no-suite fuzz || status=1
  logs+=("$dir/meson-logs/testlog.json")
}

run_suites _build || { status=1; logs+=(_build/meson-logs/testlog.json); }

# The core under valgrind: definite leaks and memory errors fail.
rm -f _build/meson-logs/testlog-valgrind.json
meson test -C _build --setup valgrind --print-errorlogs \
  test-client test-hostile test-reply test-capabilities test-auth test-message test-address \
  test-explain test-account test-providers || status=1
logs+=(_build/meson-logs/testlog-valgrind.json)

# The reply and EHLO parsers under libFuzzer, for a bounded time.
rm -f _build/meson-logs/testlog-fuzz.json
meson test -C _build --suite fuzz --print-errorlogs \
  --logbase testlog-fuzz || status=1
logs+=(_build/meson-logs/testlog-fuzz.json)

run_suites _build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  || { status=1; logs+=(_build-asan/meson-logs/testlog.json); }

echo
build-aux/summarize.py "${logs[@]}" || status=1
exit $status
