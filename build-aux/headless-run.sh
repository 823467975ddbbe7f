#!/usr/bin/env bash
# headless-run.sh: run one test program with what it needs, named in
# $SMTP_TEST_NEEDS (comma-separated): "display" starts its own Xvfb, "bus" a
# private D-Bus session, "keyring" a real gnome-keyring in that session.
# Everything started here is stopped when the program ends.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

needs=",${SMTP_TEST_NEEDS:-},"
has () { case "$needs" in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if [ "$needs" = ",," ]; then
  exec "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtp-test.XXXXXX")
xvfb_pid=""
cleanup () {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

if has display; then
  # A display number of its own, drawn at random from a wide range. Not
  # -displayfd's own choice (the lowest free number): Debian's Xvfb takes no
  # lock file and only probes sockets, so with tests starting and stopping in
  # parallel, each new server retried :0 while another was going away there,
  # and now and then a test found its display gone ("cannot open display")
  # while its Xvfb still ran. A number in use makes Xvfb exit at once
  # ("server already running") and another is drawn; -displayfd still says
  # when the server is ready. -noreset: no server reset between clients.
  for _ in $(seq 1 50); do
    n=$((100 + RANDOM % 30000))
    : >"$tmp/display"
    Xvfb ":$n" -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp -noreset \
      3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 1 200); do
      [ -s "$tmp/display" ] && break
      kill -0 "$xvfb_pid" 2>/dev/null || break
      sleep 0.05
    done
    [ -s "$tmp/display" ] && break
    kill "$xvfb_pid" 2>/dev/null
    wait "$xvfb_pid" 2>/dev/null
    xvfb_pid=""
  done
  if [ ! -s "$tmp/display" ]; then
    echo "Bail out! Xvfb did not start: $(cat "$tmp/xvfb.log")"
    exit 99
  fi
  export DISPLAY=":$(head -n1 "$tmp/display")"
  export GDK_BACKEND=x11
  mkdir -p "$tmp/cache/mesa"
  export XDG_CACHE_HOME="$tmp/cache"
  export MESA_SHADER_CACHE_DIR="$tmp/cache/mesa"
else
  unset DISPLAY WAYLAND_DISPLAY
fi

if has bus || has keyring; then
  mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  export SMTP_TEST_KEYRING=$(has keyring && echo 1 || echo 0)
  export SMTP_TEST_TMP="$tmp"
  exec 4>&1
  dbus-run-session -- bash -c '
    set -u
    keyring_pid=""
    if [ "$SMTP_TEST_KEYRING" = 1 ]; then
      # A real gnome-keyring with its own home, unlocked with a throwaway
      # password that lives only in this pipe. Not with the tests'"'"'
      # G_DEBUG=fatal-warnings: gnome-keyring 42 warns "asked to register
      # item ..., but it'"'"'s already registered" when a password is replaced,
      # and would abort.
      head -c 24 /dev/urandom | base64 | tr -d "\n" |
        env -u G_DEBUG \
        HOME="$SMTP_TEST_TMP/home" XDG_DATA_HOME="$SMTP_TEST_TMP/data" \
        XDG_CONFIG_HOME="$SMTP_TEST_TMP/config" XDG_RUNTIME_DIR="$SMTP_TEST_TMP/runtime" \
        gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$SMTP_TEST_TMP/keyring.log" 2>&1 &
      keyring_pid=$!
      if ! gdbus wait --session --timeout 20 org.freedesktop.secrets; then
        echo "Bail out! gnome-keyring did not start: $(cat "$SMTP_TEST_TMP/keyring.log")"
        exit 99
      fi
    fi
    "$@"
    status=$?
    [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null && wait "$keyring_pid" 2>/dev/null
    exit $status
  ' headless-run "$@"
  exit $?
fi

"$@"
