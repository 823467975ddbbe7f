#!/usr/bin/env bash
# screenshots.sh [OUTDIR [WIDTH HEIGHT]]: render every page of the wizard,
# light and dark, in a headless X server (default: data/screenshots, 640×720).
# LANGUAGE=tr build-aux/screenshots.sh /tmp/tr renders them in Turkish.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${1:-data/screenshots}
[ -f _build/build.ninja ] || meson setup _build >/dev/null
meson compile -C _build tests/make-screenshots >/dev/null
mkdir -p "$out"
out=$(cd "$out" && pwd)
export G_TEST_SRCDIR="$top/tests" GSETTINGS_SCHEMA_DIR="$top/_build/data"
export GSETTINGS_BACKEND=memory GIO_USE_PROXY_RESOLVER=dummy GTK_A11Y=none
export SMTP_TEST_NEEDS=display,bus,keyring
export SMTP_SETUP_LOCALEDIR="$top/_build/po"
build-aux/headless-run.sh _build/tests/make-screenshots "$out" "${2:-640}" "${3:-720}" 2>/dev/null | grep "\.png$"
