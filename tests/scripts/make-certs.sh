#!/bin/sh
# make-certs.sh: make the TLS certificates the SMTP tests use, at test time
#
# Usage: make-certs.sh DIR
#
# Writes into DIR (EC P-256 keys, PEM, every key unencrypted PKCS#8 so that
# g_tls_certificate_new_from_files (NAME.pem, NAME.key) loads each pair):
#   ca.pem ca.key                 the test CA (trust it with g_tls_file_database_new)
#   server.pem server.key         CN=localhost, SAN DNS:localhost IP:127.0.0.1 IP:::1,
#                                 signed by the test CA, valid from 1 day ago to 30 days ahead
#   server-chain.pem              server.pem followed by ca.pem
#   expired.pem expired.key       like server, but valid only in the past
#   notyetvalid.pem notyetvalid.key  like server, but valid only in the future
#   wronghost.pem wronghost.key   SAN DNS:wrong.example.org only, signed by the test CA
#   selfsigned.pem selfsigned.key self-signed, for localhost and 127.0.0.1
#   unknownca.pem unknownca.key   for localhost and 127.0.0.1, signed by other-ca.pem
#   other-ca.pem other-ca.key     a second CA that the tests never trust
# plus the bookkeeping of `openssl ca` (openssl.cnf, index.txt, ...).
#
# Running it again in the same DIR makes everything afresh. Exits non-zero
# on any failure.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi

dir=$1
mkdir -p "$dir"
cd "$dir"

# Never read the system's or the user's OpenSSL configuration.
export OPENSSL_CONF=/dev/null
unset RANDFILE || true

when () { date -u -d "$1" +%Y%m%d%H%M%SZ; }
past_start=$(when '30 days ago')
past_end=$(when '2 days ago')
now_start=$(when '1 day ago')
now_end=$(when '30 days')
future_start=$(when '10 days')
future_end=$(when '40 days')
ca_start=$(when '60 days ago')
ca_end=$(when '3650 days')

rm -rf db
mkdir db
: > db/index.txt

cat > openssl.cnf <<'EOF'
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = unused

[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./db/index.txt
new_certs_dir = ./db
rand_serial = yes
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
commonName = supplied
organizationName = optional

[ ext_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ext_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ext_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example.org
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

newkey () {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
}

# sign NAME CN EXTENSIONS START END SIGNER [selfsign]
sign () {
  name=$1 cn=$2 ext=$3 start=$4 end=$5 signer=$6 self=${7:-}
  newkey "$name"
  openssl req -config openssl.cnf -new -key "$name.key" -subj "/O=SMTP Setup tests/CN=$cn" \
    -out "db/$name.csr"
  if [ -n "$self" ]; then
    openssl ca -config openssl.cnf -batch -notext -selfsign -keyfile "$name.key" \
      -in "db/$name.csr" -extensions "$ext" -startdate "$start" -enddate "$end" \
      -out "$name.pem" 2>db/ca.log || { cat db/ca.log >&2; exit 1; }
  else
    openssl ca -config openssl.cnf -batch -notext -cert "$signer.pem" -keyfile "$signer.key" \
      -in "db/$name.csr" -extensions "$ext" -startdate "$start" -enddate "$end" \
      -out "$name.pem" 2>db/ca.log || { cat db/ca.log >&2; exit 1; }
  fi
}

sign ca "SMTP Setup Test CA" ext_ca "$ca_start" "$ca_end" ca selfsign
sign other-ca "SMTP Setup Other CA" ext_ca "$ca_start" "$ca_end" other-ca selfsign
sign server localhost ext_localhost "$now_start" "$now_end" ca
sign expired localhost ext_localhost "$past_start" "$past_end" ca
sign notyetvalid localhost ext_localhost "$future_start" "$future_end" ca
sign wronghost wrong.example.org ext_wronghost "$now_start" "$now_end" ca
sign selfsigned localhost ext_localhost "$now_start" "$now_end" selfsigned selfsign
sign unknownca localhost ext_localhost "$now_start" "$now_end" other-ca

cat server.pem ca.pem > server-chain.pem
cat unknownca.pem other-ca.pem > unknownca-chain.pem

for name in ca other-ca server expired notyetvalid wronghost selfsigned unknownca; do
  openssl x509 -in "$name.pem" -noout >/dev/null
done
