#!/usr/bin/env bash
# check-cli-explain.sh BINARY: `smtp-setup explain` classifies replies, in
# words and as JSON, and refuses bad usage with exit status 2.
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
bin=$1
export LC_ALL=C.UTF-8
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
n=0
check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
json_get () {
  /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); v=d[sys.argv[1]]; print("null" if v is None else v)' "$1"
}
echo "1..9"

out=$("$bin" explain "535 5.7.8 Username and Password not accepted." 2>&1); rc=$?
check $([ $rc = 0 ] && [[ "$out" == *"What to try:"* ]] && echo 0 || echo 1) \
  "a reply is explained in words, with what to try"

out=$("$bin" explain --json "535 5.7.8 Username and Password not accepted." 2>/dev/null); rc=$?
echo "$out" | /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; parses=$?
check $([ $rc = 0 ] && [ $parses = 0 ] && echo 0 || echo 1) "--json prints one JSON object"

cat=$(echo "$out" | json_get category 2>/dev/null)
code=$(echo "$out" | json_get code 2>/dev/null)
enh=$(echo "$out" | json_get enhanced 2>/dev/null)
check $([ "$cat" = auth-failed ] && [ "$code" = 535 ] && [ "$enh" = 5.7.8 ] && echo 0 || echo 1) \
  "--json has the category, the code and the enhanced code"

# Gmail's two-line reply, as two arguments and as one pasted argument.
l1="534-5.7.9 Application-specific password required. Learn more at"
l2="534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2sm12qkb.12 - gsmtp"
a=$("$bin" explain --json "$l1" "$l2" 2>/dev/null | json_get category 2>/dev/null)
b=$("$bin" explain --json "$(printf '%s\r\n%s\r\n' "$l1" "$l2")" 2>/dev/null | json_get category 2>/dev/null)
check $([ "$a" = app-password-required ] && [ "$b" = app-password-required ] && echo 0 || echo 1) \
  "a multi-line reply is the same as arguments or pasted whole"

out=$("$bin" explain --json --stage rcpt "550 Requested action not taken" 2>/dev/null | json_get category 2>/dev/null)
check $([ "$out" = recipient-unknown ] && echo 0 || echo 1) "--stage rcpt makes a bare 550 about the recipient"

out=$("$bin" explain --json --stage auth "454 4.7.0 Temporary authentication failure" 2>/dev/null | json_get category 2>/dev/null)
check $([ "$out" = server-temporary-failure ] && echo 0 || echo 1) "--stage auth is accepted"

out=$("$bin" explain --json "Relay access denied" 2>/dev/null); rc=$?
cat=$(echo "$out" | json_get category 2>/dev/null); code=$(echo "$out" | json_get code 2>/dev/null)
check $([ $rc = 0 ] && [ "$cat" = relay-denied ] && [ "$code" = null ] && echo 0 || echo 1) \
  "a reply without a code is told by its words"

"$bin" explain --stage no-such-stage "550 5.1.1 User unknown" >/dev/null 2>&1; rc=$?
check $([ $rc = 2 ] && echo 0 || echo 1) "an unknown stage is a usage error (exit 2)"

"$bin" explain >/dev/null 2>&1; rc=$?
check $([ $rc = 2 ] && echo 0 || echo 1) "no reply is a usage error (exit 2)"
