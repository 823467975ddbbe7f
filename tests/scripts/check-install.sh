#!/usr/bin/env bash
# check-install.sh BUILDDIR PREFIX BINDIR DATADIR LOCALEDIR MANDIR: `meson
# install` into a temporary DESTDIR puts every file where GNOME looks for it,
# and the installed data files are valid.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
builddir=$1 prefix=$2 bindir=$3 datadir=$4 localedir=$5 mandir=$6
app_id=io.github.smtpsetup.SmtpSetup
n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1"; }

# Meson passes the options as given: relative ones are under the prefix.
under_prefix () { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
bindir=$(under_prefix "$bindir") datadir=$(under_prefix "$datadir")
localedir=$(under_prefix "$localedir") mandir=$(under_prefix "$mandir")

dest=$(mktemp -d "${TMPDIR:-/tmp}/smtp-setup-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT

if out=$(meson install -C "$builddir" --destdir "$dest" --no-rebuild --quiet 2>&1); then
  ok "meson install into a DESTDIR"
else
  not_ok "meson install failed"; echo "$out" | sed 's/^/# /'
  echo "1..$n"; exit 0
fi

expected=(
  "$bindir/smtp-setup"
  "$datadir/applications/$app_id.desktop"
  "$datadir/metainfo/$app_id.metainfo.xml"
  "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
  "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
  "$datadir/glib-2.0/schemas/$app_id.gschema.xml"
  "$localedir/de/LC_MESSAGES/smtp-setup.mo"
  "$localedir/tr/LC_MESSAGES/smtp-setup.mo"
  "$mandir/man1/smtp-setup.1"
)
for f in "${expected[@]}"; do
  if [ -s "$dest$f" ]; then ok "installed $f"; else not_ok "missing $f"; fi
done
[ -x "$dest$bindir/smtp-setup" ] && ok "the program is executable" || not_ok "the program is not executable"

# Nothing the tests build, and no static library or header, is installed.
unexpected=$(cd "$dest" && find . -type f | sed 's|^\.||' | while read -r f; do
  found=0
  for e in "${expected[@]}"; do [ "$f" = "$e" ] && found=1; done
  [ $found -eq 0 ] && echo "$f"
done)
if [ -z "$unexpected" ]; then ok "nothing else is installed"
else not_ok "unexpected files are installed:"; echo "$unexpected" | sed 's/^/# /'; fi

# The installed files are valid, and they agree with each other.
desktop="$dest$datadir/applications/$app_id.desktop"
if command -v desktop-file-validate >/dev/null; then
  if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then ok "the desktop entry validates"
  else not_ok "desktop-file-validate:"; echo "$out" | sed 's/^/# /'; fi
fi
grep -qx "Icon=$app_id" "$desktop" && ok "the desktop entry names the installed icon" ||
  not_ok "the desktop entry's Icon= is not $app_id"
grep -qx "Exec=smtp-setup" "$desktop" && ok "the desktop entry runs the installed program" ||
  not_ok "the desktop entry's Exec= is not smtp-setup"
metainfo="$dest$datadir/metainfo/$app_id.metainfo.xml"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" &&
  ok "the metainfo launches the installed desktop entry" ||
  not_ok "the metainfo's launchable is not $app_id.desktop"
grep -q 'xml:lang="tr"' "$metainfo" && grep -q 'xml:lang="de"' "$metainfo" &&
  ok "the installed metainfo carries the Turkish and German translations" ||
  not_ok "the installed metainfo has no Turkish or German translations"
if out=$(glib-compile-schemas --strict --dry-run "$dest$datadir/glib-2.0/schemas" 2>&1); then
  ok "the installed schema compiles"
else
  not_ok "glib-compile-schemas:"; echo "$out" | sed 's/^/# /'
fi
for lang in de tr; do
  mo="$dest$localedir/$lang/LC_MESSAGES/smtp-setup.mo"
  if msgunfmt "$mo" >/dev/null 2>&1; then ok "the $lang catalogue can be read"
  else not_ok "the $lang catalogue cannot be read"; fi
done

# The installed program runs, and finds the installed translations.
want=$(LC_ALL=C.UTF-8 LANGUAGE=de TEXTDOMAINDIR="$dest$localedir" gettext -d smtp-setup -- "[COMMAND]")
if out=$(LC_ALL=C.UTF-8 LANGUAGE=de SMTP_SETUP_LOCALEDIR="$dest$localedir" \
         "$dest$bindir/smtp-setup" --help 2>&1) && [ "$want" != "[COMMAND]" ] && [[ "$out" == *"$want"* ]]; then
  ok "the installed program runs with the installed translations"
else
  not_ok "the installed program does not run:"; echo "$out" | head -n 5 | sed 's/^/# /'
fi

echo "1..$n"
