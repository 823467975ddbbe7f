#!/usr/bin/env bash
# check-core-no-gtk.sh SRCDIR: the core must stay GTK-free. Compiling a core
# file that includes gtk.h with only the core's dependencies must fail.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1"
echo "1..2"
if grep -rqE '#include\s*[<"](gtk|adwaita|gdk)' src/core; then
  echo "not ok 1 src/core includes GTK or libadwaita"
else
  echo "ok 1 src/core includes no GTK or libadwaita header"
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include <gtk/gtk.h>\nint x;\n' > "$tmp/stray.c"
if cc -c $(pkg-config --cflags gio-2.0 libsecret-1) "$tmp/stray.c" -o "$tmp/stray.o" 2>/dev/null; then
  echo "not ok 2 a stray gtk.h include compiles with the core's dependencies"
else
  echo "ok 2 a stray gtk.h include fails with the core's dependencies"
fi
