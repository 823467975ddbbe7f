#!/usr/bin/env bash
# run.sh [--demo]: install what is missing, build, and open SMTP Setup from
# the build directory.
#
# --demo also starts the project's own test server on loopback, with a
# certificate made on the spot and a demo user; the first page then offers
# "Try the Local Demo Server", so a whole test can be watched without a mail
# account or a network (and failing, with a wrong demo password).
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

demo=0
args=()
for arg in "$@"; do
  case "$arg" in
    --demo) demo=1 ;;
    *) args+=("$arg") ;;
  esac
done

build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

export GSETTINGS_SCHEMA_DIR="$top/_build/data"

if [ $demo -eq 0 ]; then
  exec _build/src/smtp-setup "${args[@]}"
fi

demo_dir=$(mktemp -d "${TMPDIR:-/tmp}/smtp-setup-demo.XXXXXX")
server_pid=""
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$demo_dir"
}
trap cleanup EXIT

tests/scripts/make-certs.sh "$demo_dir/certs" >/dev/null
printf 'demo-password' > "$demo_dir/password"
mkfifo "$demo_dir/stdin"
# The server serves until its standard input closes: keep it open.
sleep infinity > "$demo_dir/stdin" &
holder=$!
_build/tests/servers/smtp-test-server --security starttls \
  --cert "$demo_dir/certs/server.pem" --key "$demo_dir/certs/server.key" \
  --user demo@example.test --password-file "$demo_dir/password" \
  < "$demo_dir/stdin" > "$demo_dir/port" 2>"$demo_dir/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
  [ -s "$demo_dir/port" ] && break
  sleep 0.05
done
port=$(head -n1 "$demo_dir/port")
if [ -z "$port" ]; then
  echo "The demo server did not start: $(cat "$demo_dir/server.log")" >&2
  exit 1
fi

cat > "$demo_dir/demo.ini" <<INI
[demo]
host=localhost
port=$port
security=starttls
user=demo@example.test
password=demo-password
ca_file=$demo_dir/certs/ca.pem
INI
echo "Demo server on localhost:$port (user demo@example.test)" >&2

SMTP_SETUP_DEMO="$demo_dir/demo.ini" _build/src/smtp-setup "${args[@]}" || status=$?
kill "$holder" 2>/dev/null || true
exit ${status:-0}
