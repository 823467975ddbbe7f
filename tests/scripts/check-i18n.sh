#!/usr/bin/env bash
# check-i18n.sh SMTP_SETUP LOCALEDIR: the program speaks Turkish and German.
#
# LOCALEDIR is the build's po/ directory, where meson writes
# LANG/LC_MESSAGES/smtp-setup.mo; the program reads it through
# SMTP_SETUP_LOCALEDIR (see src/main.c). The expected sentences are looked up
# in the same catalogues with gettext(1), so the test does not depend on the
# wording a translator chose, only on the program using the translation.
# LANGUAGE is honoured in the C.UTF-8 locale (glibc ignores it only in "C").
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
bin=$1
localedir=$2
n=0
ok () { n=$((n + 1)); echo "ok $n $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n $1"; }

export LC_ALL=C.UTF-8 SMTP_SETUP_LOCALEDIR="$localedir"
unset LANG LC_MESSAGES

# translation LANG MSGID: the catalogue's translation, or nothing.
translation () {
  local t
  t=$(TEXTDOMAINDIR="$localedir" LANGUAGE=$1 gettext -d smtp-setup -- "$2")
  [ "$t" != "$2" ] && printf '%s' "$t"
}

# expect LANG WHAT OUTPUT MSGID: OUTPUT holds the translation of MSGID.
expect () {
  local lang=$1 what=$2 output=$3 msgid=$4 t
  t=$(translation "$lang" "$msgid")
  if [ -z "$t" ]; then
    not_ok "$lang: “$msgid” has no translation"
  elif [[ "$output" == *"$t"* ]]; then
    ok "$lang: $what prints “$t”"
  else
    not_ok "$lang: $what does not print “$t”"
    echo "$output" | sed 's/^/# /'
  fi
}

for lang in tr de; do
  [ -f "$localedir/$lang/LC_MESSAGES/smtp-setup.mo" ] && ok "$lang: the catalogue was built" ||
    not_ok "$lang: $localedir/$lang/LC_MESSAGES/smtp-setup.mo is missing"

  help=$(LANGUAGE=$lang "$bin" --help 2>&1)
  expect "$lang" "smtp-setup --help" "$help" "Show the version and quit"
  expect "$lang" "smtp-setup --help" "$help" "[COMMAND]"

  # The title of the explanation, as the English run prints it (first line).
  english=$(LANGUAGE= "$bin" explain "535 5.7.8 Bad credentials" 2>&1)
  title=$(echo "$english" | head -n 1)
  explained=$(LANGUAGE=$lang "$bin" explain "535 5.7.8 Bad credentials" 2>&1)
  expect "$lang" "smtp-setup explain" "$explained" "$title"
  expect "$lang" "smtp-setup explain" "$explained" "What to try:"

  test_help=$(LANGUAGE=$lang "$bin" test --help 2>&1)
  expect "$lang" "smtp-setup test --help" "$test_help" "Connect and sign in, send nothing"
done

# Without LANGUAGE the program speaks English.
english_help=$(LANGUAGE= "$bin" --help 2>&1)
if [[ "$english_help" == *"Show the version and quit"* ]]; then
  ok "without LANGUAGE, smtp-setup --help is in English"
else
  not_ok "without LANGUAGE, smtp-setup --help is not in English"
fi

echo "1..$n"
