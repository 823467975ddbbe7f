#!/usr/bin/env bash
# postfix.sh: a private, throwaway Postfix instance for integration tests.
#
#   tests/scripts/postfix.sh start DIR   create and start an instance under DIR
#   tests/scripts/postfix.sh stop DIR    stop it (idempotent)
#
# Everything lives under DIR: etc/ (main.cf, master.cf, sasl/smtpd.conf,
# vmailbox), queue/, data/, sasl/sasldb2, certs/, mail/ (Maildirs), maillog.
# The instance listens only on 127.0.0.1, on two free ports:
#   submission (STARTTLS required) and smtps (implicit TLS),
# both with SASL AUTH (PLAIN, LOGIN; only after TLS) and relaying only for
# authenticated clients. Mail for example.test goes to Maildirs under
# DIR/mail; nothing else is ever delivered (every other transport is an
# error: transport, no DNS).
#
# "start" writes DIR/postfix.ini (a GKeyFile, group [postfix]: host,
# submission_port, smtps_port, user, password_file, from, to, maildir,
# ca_file, log) and DIR/password (mode 0600, the test user's random
# password). The password is never printed and never put in the environment.
#
# Needs root (Postfix itself drops privileges to the postfix user). Never
# touches /etc/postfix, /var/spool/postfix or the system's own Postfix.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
set -o pipefail

PROG=postfix.sh
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DOMAIN=example.test
MARKER=.smtp-test-postfix

die () { echo "$PROG: error: $*" >&2; exit 1; }
say () { echo "$PROG: $*" >&2; }

usage () {
  echo "usage: $PROG start DIR | stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
case "$2" in
  "") usage ;;
  *[[:space:]\\\"\'\$\`,=]*) die "DIR must not contain whitespace, quotes, '\$', ',', '=' or backslashes: $2" ;;
esac
DIR=$(realpath -m -- "$2")
[ "$DIR" != / ] || die "refusing to use / as DIR"
ETC=$DIR/etc

# Serialises start/stop runs on the same DIR (fd 9 holds a flock on DIR
# itself; it is closed for everything that outlives this script).
lock_dir () {
  exec 9<"$DIR" || die "cannot open $DIR"
  flock -w 30 9 || die "another $PROG run is busy with $DIR"
}

# The PID of this instance's master process, if it is running, else "".
# Checks that the process really is a Postfix master started with our
# config directory, so a reused PID is never mistaken for ours.
instance_master_pid () {
  local f pid
  for f in "$DIR/queue/pid/master.pid" "$DIR/master.pid"; do
    [ -r "$f" ] || continue
    pid=$(awk 'NR == 1 { print $1 }' "$f" 2>/dev/null || true)
    case "$pid" in ''|*[!0-9]*) continue ;; esac
    is_instance_process "$pid" && { echo "$pid"; return 0; }
  done
  echo ""
}

# True when PID is alive and runs with MAIL_CONFIG=$ETC (every process the
# postfix command and its master start inherits it).
is_instance_process () {
  [ -r "/proc/$1/environ" ] || return 1
  { tr '\0' '\n' <"/proc/$1/environ"; } 2>/dev/null | grep -qxF "MAIL_CONFIG=$ETC"
}

# The session ID of this instance's processes: the master's PID as start
# recorded it (the master calls setsid()), even if the master is gone.
instance_sid () {
  local f pid
  for f in "$DIR/master.pid" "$DIR/queue/pid/master.pid"; do
    [ -r "$f" ] || continue
    pid=$(awk 'NR == 1 { print $1 }' "$f" 2>/dev/null || true)
    case "$pid" in ''|*[!0-9]*) continue ;; *) echo "$pid"; return 0 ;; esac
  done
  echo ""
}

# PIDs of all live processes of this instance: Postfix programs in its
# session, plus anything else carrying our MAIL_CONFIG. (Zombies are dead
# already; whoever reaps orphans here may take a second.) Cheap: one grep
# over /proc, one ps.
instance_pids () {
  local sid
  sid=$(instance_sid)
  {
    grep -lzxF "MAIL_CONFIG=$ETC" /proc/[0-9]*/environ 2>/dev/null |
      sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' || true
    if [ -n "$sid" ]; then
      ps -e -o pid=,sid=,stat=,comm= | awk -v sid="$sid" '
        $2 == sid && $3 !~ /^Z/ &&
        $4 ~ /^(master|qmgr|smtpd|tlsmgr|postlogd|cleanup|trivial-rewrite|virtual|anvil|proxymap|bounce|error|flush|verify|discard|pickup|showq|scache)$/ { print $1 }'
    fi
  } | grep -vx "$$" | sort -un | tr '\n' ' ' | sed 's/ $//'
  return 0
}

maillog_tail () {
  if [ -r "$DIR/maillog" ]; then
    echo "--- last lines of $DIR/maillog ---" >&2
    tail -n 30 "$DIR/maillog" >&2
    echo "---" >&2
  fi
}

do_stop () {
  local pid pids i sid
  if [ ! -e "$DIR/$MARKER" ]; then
    if [ -d "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
      die "$DIR was not made by $PROG; not touching it"
    fi
    say "no instance in $DIR; nothing to stop"
    return 0
  fi
  [ -n "${LOCKED:-}" ] || { lock_dir; LOCKED=1; }

  pid=$(instance_master_pid)
  pids=$(instance_pids)
  if [ -z "$pid" ] && [ -z "$pids" ]; then
    rm -f "$DIR/master.pid"
    say "the instance in $DIR is not running"
    return 0
  fi
  if [ -n "$pid" ]; then
    # postfix stop waits up to 5 s, then kills the process group with force.
    postfix -c "$ETC" stop >/dev/null 2>&1 9<&- || postfix -c "$ETC" abort >/dev/null 2>&1 9<&- || true
  fi

  # Make sure nothing of the instance is left, whatever happened above (a
  # master that died without its children, for one).
  for i in $(seq 1 50); do
    pids=$(instance_pids)
    [ -n "$pids" ] || break
    case $i in
      20) say "terminating leftover processes: $pids"; kill -TERM $pids 2>/dev/null || true ;;
      40) kill -KILL $pids 2>/dev/null || true ;;
    esac
    sleep 0.1
  done
  pids=$(instance_pids)
  [ -z "$pids" ] || die "processes of the instance in $DIR are still running: $pids"

  # The exited processes stay zombies until whoever adopts orphans reaps
  # them (here PID 1, about a second later). They hold nothing, but wait a
  # little so that ps shows a clean slate afterwards.
  sid=$(instance_sid)
  if [ -n "$sid" ]; then
    for i in $(seq 1 30); do
      ps -e -o sid=,stat= | awk -v sid="$sid" '$1 == sid && $2 ~ /^Z/ { found = 1 } END { exit !found }' || break
      sleep 0.1
    done
  fi
  rm -f "$DIR/master.pid"
  say "stopped the instance in $DIR"
}

# Two distinct free TCP ports on 127.0.0.1.
pick_ports () {
  local py
  for py in /usr/bin/python3 python3; do
    if command -v "$py" >/dev/null 2>&1; then
      "$py" - <<'EOF' && return 0
import socket
socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
    fi
  done
  # No python: random high ports nobody listens on.
  local a b
  while :; do
    a=$((20000 + RANDOM % 40000)); b=$((20000 + RANDOM % 40000))
    [ "$a" != "$b" ] || continue
    ss -Htln "( sport = :$a or sport = :$b )" 2>/dev/null | grep -q . && continue
    echo "$a $b"; return 0
  done
}

make_certs () {
  local certs=$DIR/certs
  rm -rf "$certs"
  mkdir -p "$certs"
  if [ -f "$SCRIPT_DIR/make-certs.sh" ]; then
    sh "$SCRIPT_DIR/make-certs.sh" "$certs" >"$DIR/make-certs.log" 2>&1 ||
      { cat "$DIR/make-certs.log" >&2; die "make-certs.sh failed"; }
  else
    # Fallback until tests/scripts/make-certs.sh exists: a CA and a server
    # certificate for localhost / 127.0.0.1, same file names.
    (
      cd "$certs"
      umask 077
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout ca.key -out ca.pem -days 30 -subj "/CN=SMTP Setup Test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout server.key -out server.csr -subj "/CN=localhost"
      printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -days 30 \
        -set_serial "0x$(openssl rand -hex 8)" -extfile server.ext -out server.pem
      rm -f server.csr server.ext
      chmod 644 ca.pem server.pem
    ) >"$DIR/make-certs.log" 2>&1 || { cat "$DIR/make-certs.log" >&2; die "openssl failed"; }
  fi
  local f
  for f in ca.pem server.pem server.key; do
    [ -s "$certs/$f" ] || die "no $certs/$f after making certificates"
  done
}

write_config () {
  local sub_port=$1 smtps_port=$2 uid gid
  uid=$(id -u postfix) gid=$(id -g postfix)

  cat >"$ETC/main.cf" <<EOF
# Private test instance made by tests/scripts/postfix.sh. Do not edit.
compatibility_level = 3.6
queue_directory = $DIR/queue
data_directory = $DIR/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/maillog
maillog_file_prefixes = $DIR
syslog_name = postfix-test

# Loopback only; the listeners themselves are in master.cf.
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mail.$DOMAIN
mydomain = $DOMAIN
myorigin = $DOMAIN
mydestination =
mynetworks = 127.0.0.1/32
local_recipient_maps =
alias_maps =
alias_database =
relay_domains =
biff = no
append_dot_mydomain = no
smtputf8_enable = no

# Nothing ever leaves this machine and nothing asks DNS.
default_transport = error:mail leaves no test instance
relay_transport = error:mail leaves no test instance
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtpd_peername_lookup = no
disable_vrfy_command = yes

# Delivery for $DOMAIN into Maildirs, without local users.
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $DIR/mail
virtual_mailbox_maps = texthash:$ETC/vmailbox
virtual_alias_maps =
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid

# Only authenticated clients may send, to any address.
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_sasl_auth_enable = no
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $ETC/sasl
smtpd_sasl_security_options = noanonymous
smtpd_sasl_authenticated_header = yes

# TLS
smtpd_tls_cert_file = $DIR/certs/server.pem
smtpd_tls_key_file = $DIR/certs/server.key
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_tls_auth_only = yes
EOF

  # No chroot anywhere; only the services delivery needs.
  cat >"$ETC/master.cf" <<EOF
# service type  private unpriv  chroot  wakeup  maxproc command + args
127.0.0.1:$sub_port inet n - n - - smtpd
  -o syslog_name=postfix-test/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$smtps_port inet n - n - - smtpd
  -o syslog_name=postfix-test/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
postlog   unix-dgram n  -       n       -       1       postlogd
EOF

  cat >"$ETC/vmailbox" <<EOF
tester@$DOMAIN tester/Maildir/
sender@$DOMAIN sender/Maildir/
rcpt@$DOMAIN rcpt/Maildir/
postmaster@$DOMAIN postmaster/Maildir/
EOF

  mkdir -p "$ETC/sasl"
  cat >"$ETC/sasl/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN
sasldb_path: $DIR/sasl/sasldb2
EOF

  # Postfix rereads a table file (dict_load_file: main.cf, texthash maps)
  # whose mtime is within the last second, sleeping 300 ms each time, in
  # every postconf/postfix run: freshly written files cost seconds. Back-date.
  touch -d '1 minute ago' "$ETC/main.cf" "$ETC/master.cf" "$ETC/vmailbox" "$ETC/sasl/smtpd.conf"
}

# Waits (bounded, 5 s) until PORT on 127.0.0.1 accepts connections, that is,
# has a listening socket (checked without connecting, which would only add
# TLS handshake errors to the log).
wait_port () {
  local port=$1 i
  for i in $(seq 1 100); do
    if ss -Hltn "( sport = :$port )" 2>/dev/null | grep -q "127.0.0.1:$port"; then return 0; fi
    sleep 0.05
  done
  return 1
}

# Reads the submission greeting: smtpd really starts (config, SASL, TLS
# files) only when the first client connects.
check_greeting () {
  local port=$1 line
  line=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; head -n 1 <&3; printf "QUIT\r\n" >&3' _ "$port" 2>/dev/null || true)
  case "$line" in 220*) return 0 ;; *) return 1 ;; esac
}

do_start () {
  local ports sub_port smtps_port attempt pid user

  [ "$(id -u)" = 0 ] || die "must run as root (Postfix needs it)"
  command -v postfix >/dev/null || die "postfix is not installed"
  command -v saslpasswd2 >/dev/null || die "saslpasswd2 (sasl2-bin) is not installed"
  id postfix >/dev/null 2>&1 || die "no postfix user"

  if [ -d "$DIR" ]; then
    lock_dir
    LOCKED=1
  fi
  if [ -e "$DIR/$MARKER" ]; then
    pid=$(instance_master_pid)
    [ -z "$pid" ] || die "an instance is already running in $DIR (master PID $pid); run '$PROG stop $DIR' first"
    # A stopped instance: start afresh.
    rm -rf "$DIR/etc" "$DIR/queue" "$DIR/data" "$DIR/sasl" "$DIR/mail" "$DIR/certs" \
      "$DIR/maillog" "$DIR/password" "$DIR/postfix.ini" "$DIR/master.pid" "$DIR/make-certs.log" \
      "$DIR/check.log" "$DIR/start.log"
  elif [ -d "$DIR" ] && [ -n "$(ls -A "$DIR")" ]; then
    die "$DIR exists and is not empty; give a new or empty directory"
  fi

  mkdir -p "$DIR"
  [ -n "${LOCKED:-}" ] || { lock_dir; LOCKED=1; }
  touch "$DIR/$MARKER"
  # The postfix user must reach DIR (the Maildirs, the sasldb).
  chmod go+x "$DIR"
  runuser -u postfix -- test -x "$DIR" ||
    die "the postfix user cannot enter $DIR; make its parent directories searchable (o+x)"

  umask 022
  # postfix check creates the queue's subdirectories and data/ with the
  # right owners (post-install create-missing); queue/ itself must exist.
  mkdir -p "$ETC" "$DIR/queue" "$DIR/sasl" "$DIR/mail"
  make_certs

  # Maildirs exist before the first delivery, so tests can watch new/.
  for user in tester sender rcpt postmaster; do
    mkdir -p "$DIR/mail/$user/Maildir/new" "$DIR/mail/$user/Maildir/cur" "$DIR/mail/$user/Maildir/tmp"
  done
  chown -R postfix:postfix "$DIR/mail"
  chmod 750 "$DIR/mail"

  # The test user, with a random password that only exists in DIR/password.
  (
    umask 077
    head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$DIR/password"
  )
  [ "$(wc -c <"$DIR/password")" -eq 24 ] || die "could not make a password"
  saslpasswd2 -p -c -f "$DIR/sasl/sasldb2" -u "$DOMAIN" tester <"$DIR/password" ||
    die "saslpasswd2 failed"
  chown root:postfix "$DIR/sasl" "$DIR/sasl/sasldb2"
  chmod 750 "$DIR/sasl"
  chmod 640 "$DIR/sasl/sasldb2"
  runuser -u postfix -- test -r "$DIR/sasl/sasldb2" || die "the postfix user cannot read the sasldb"

  for attempt in 1 2 3; do
    ports=$(pick_ports)
    sub_port=${ports% *}
    smtps_port=${ports#* }
    write_config "$sub_port" "$smtps_port"

    if ! postfix -c "$ETC" check >"$DIR/check.log" 2>&1 9<&-; then
      cat "$DIR/check.log" >&2
      maillog_tail
      die "postfix check failed"
    fi
    # "postfix start" would repeat every check just done (post-install,
    # postsuper, the find sweeps: about a second on a busy machine); the
    # quick-start flag, which "postfix quick-stop" normally leaves, skips them.
    touch "$DIR/queue/quick-start"
    if postfix -c "$ETC" start >"$DIR/start.log" 2>&1 9<&-; then
      break
    fi
    if grep -q "Address already in use" "$DIR/maillog" "$DIR/start.log" 2>/dev/null && [ $attempt -lt 3 ]; then
      say "port taken in the meantime; trying other ports"
      do_stop >/dev/null 2>&1 || true
      touch "$DIR/$MARKER"
      continue
    fi
    cat "$DIR/start.log" >&2
    maillog_tail
    do_stop || true
    die "postfix start failed"
  done
  rm -f "$DIR/start.log"

  pid=$(instance_master_pid)
  if [ -z "$pid" ]; then
    maillog_tail
    do_stop || true
    die "the Postfix master of $DIR is not running after start"
  fi
  echo "$pid" >"$DIR/master.pid"

  if ! wait_port "$sub_port" || ! wait_port "$smtps_port" || ! check_greeting "$sub_port"; then
    maillog_tail
    do_stop || true
    die "the instance in $DIR does not accept connections on 127.0.0.1:$sub_port / :$smtps_port"
  fi

  cat >"$DIR/postfix.ini" <<EOF
# Made by tests/scripts/postfix.sh start $DIR
[postfix]
host=127.0.0.1
submission_port=$sub_port
smtps_port=$smtps_port
user=tester@$DOMAIN
password_file=$DIR/password
from=tester@$DOMAIN
to=rcpt@$DOMAIN
maildir=$DIR/mail/rcpt/Maildir
ca_file=$DIR/certs/ca.pem
log=$DIR/maillog
EOF
  say "started: submission 127.0.0.1:$sub_port (STARTTLS), smtps 127.0.0.1:$smtps_port; settings in $DIR/postfix.ini"
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  *) usage ;;
esac
