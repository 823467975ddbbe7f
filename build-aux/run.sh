#!/usr/bin/env bash
# run.sh: install what is missing, build, and open SMTP Setup from the build directory.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build-aux/install-deps.sh
[ -f _build/build.ninja ] || meson setup _build
meson compile -C _build

export GSETTINGS_SCHEMA_DIR="$top/_build/data"
exec _build/src/smtp-setup "$@"
