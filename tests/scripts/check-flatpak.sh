#!/usr/bin/env bash
# check-flatpak.sh MANIFEST: flatpak-builder parses the manifest, and it asks
# for what the app needs and nothing more: a GNOME runtime, network, Wayland
# with X11 as a fallback, IPC and DRI, and no keyring bus name (libsecret
# reaches the keyring through the Secret portal inside the sandbox).
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
manifest=$1
echo "1..2"

if ! command -v flatpak-builder >/dev/null; then
  echo "ok 1 # SKIP flatpak-builder is not installed"
  echo "ok 2 # SKIP flatpak-builder is not installed"
  exit 0
fi

# flatpak-builder makes its state directory (.flatpak-builder) in the current
# directory: a temporary one, not the source tree.
manifest=$(cd "$(dirname "$manifest")" && pwd)/$(basename "$manifest")
work=$(mktemp -d "${TMPDIR:-/tmp}/smtp-setup-flatpak.XXXXXX")
trap 'rm -rf "$work"' EXIT
if shown=$(cd "$work" && flatpak-builder --show-manifest "$manifest" 2>&1); then
  echo "ok 1 flatpak-builder parses the manifest"
else
  echo "not ok 1 flatpak-builder cannot parse the manifest"; echo "$shown" | sed 's/^/# /'
  echo "not ok 2 # the manifest was not parsed"
  exit 0
fi

problems=$(/usr/bin/python3 - "$shown" <<'PY'
import json, sys
m = json.loads(sys.argv[1])
p = []
if m.get("id") != "io.github.smtpsetup.SmtpSetup": p.append("id")
if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk": p.append("runtime")
if not str(m.get("runtime-version", "")).isdigit() or int(m["runtime-version"]) < 47:
    p.append("runtime-version (a supported GNOME runtime, 47 or newer)")
if m.get("command") != "smtp-setup": p.append("command")
want = {"--share=network", "--share=ipc", "--socket=fallback-x11", "--socket=wayland",
        "--device=dri"}
have = set(m.get("finish-args", []))
if have != want: p.append("finish-args: missing %s, extra %s" % (sorted(want - have), sorted(have - want)))
mods = [x for x in m.get("modules", []) if isinstance(x, dict)]
if not mods or mods[-1].get("name") != "smtp-setup" or mods[-1].get("buildsystem") != "meson":
    p.append("the last module builds smtp-setup with meson")
elif not any(s.get("type") == "dir" and s.get("path") == ".." for s in mods[-1].get("sources", [])):
    p.append("smtp-setup is built from this checkout")
print("\n".join(p))
PY
)
if [ -z "$problems" ]; then echo "ok 2 runtime, command, module and finish-args are as designed"
else echo "not ok 2 the manifest is not as designed:"; echo "$problems" | sed 's/^/# /'; fi
