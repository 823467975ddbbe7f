#!/bin/sh
# make-certs.sh: make the TLS certificates the SMTP tests use, at test time
#
# Usage: make-certs.sh DIR [--hostile]
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
# and with --hostile, for the hostile-server tests (all signed by the test CA unless said):
#   cnonly                        CN=localhost and no subjectAltName at all
#   iponly                        SAN IP:127.0.0.1 only (no DNS name)
#   dnsonly                       SAN DNS:localhost only (no IP address)
#   ipindns                       SAN DNS:127.0.0.1 (an address written as a name)
#   wildcard                      SAN DNS:*.mail.localhost (a proper wildcard)
#   wildcard-tld                  SAN DNS:*.localhost (a wildcard over a whole top-level name)
#   wildcard-star                 SAN DNS:* (matches everything if anyone lets it)
#   wildcard-partial              SAN DNS:s*.mail.localhost (a partial-label wildcard)
#   wildcard-inner                SAN DNS:smtp.*.localhost (a wildcard that is not leftmost)
#   sha1                          signed with SHA-1
#   clientauth                    extendedKeyUsage clientAuth only
#   notca-leaf, notca-chain.pem   signed by notca, a certificate without CA:TRUE that
#                                 the test CA signed; the chain file holds both
#   forged                        signed by forged-ca, a different key with the test CA's name
#   md5 (RSA)                     signed with MD5 by rsa-ca (RSA); rsa-ca.pem is trusted
#                                 only through ca-bundle.pem (ca.pem + rsa-ca.pem)
#   rsa512 (RSA)                  a 512-bit RSA key, signed by the test CA
# plus the bookkeeping of `openssl ca` (openssl.cnf, index.txt, ...).
#
# Running it again in the same DIR makes everything afresh. Exits non-zero
# on any failure.
#
# Copyright 2026 The SMTP Setup authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ] || { [ $# -eq 2 ] && [ "$2" != --hostile ]; }; then
  echo "usage: $0 DIR [--hostile]" >&2
  exit 2
fi

dir=$1
hostile=${2:-}
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
[ ext_cnonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ext_iponly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
[ ext_dnsonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
[ ext_ipindns ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:127.0.0.1
[ ext_wildcard ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.mail.localhost
[ ext_wildcard_tld ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*.localhost
[ ext_wildcard_star ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:*
[ ext_wildcard_partial ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:s*.mail.localhost
[ ext_wildcard_inner ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:smtp.*.localhost
[ ext_clientauth ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[ ext_notca ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
subjectAltName = DNS:notca.example.org
[ ext_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[ ext_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example.org
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# newkey NAME [RSA-BITS]: EC P-256, or RSA of that many bits
newkey () {
  if [ -n "${2:-}" ]; then
    openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1.key" 2>/dev/null
  else
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
  fi
}

# sign NAME CN EXTENSIONS START END SIGNER [selfsign]; $md and $bits, when
# set, choose the digest and an RSA key instead of the defaults.
sign () {
  name=$1 cn=$2 ext=$3 start=$4 end=$5 signer=$6 self=${7:-}
  newkey "$name" "${bits:-}"
  openssl req -config openssl.cnf -new -key "$name.key" -subj "/O=SMTP Setup tests/CN=$cn" \
    -out "db/$name.csr"
  if [ -n "$self" ]; then
    openssl ca -config openssl.cnf -batch -notext -selfsign -keyfile "$name.key" \
      -in "db/$name.csr" -extensions "$ext" -startdate "$start" -enddate "$end" \
      -md "${md:-sha256}" -out "$name.pem" 2>db/ca.log || { cat db/ca.log >&2; exit 1; }
  else
    openssl ca -config openssl.cnf -batch -notext -cert "$signer.pem" -keyfile "$signer.key" \
      -in "db/$name.csr" -extensions "$ext" -startdate "$start" -enddate "$end" \
      -md "${md:-sha256}" -out "$name.pem" 2>db/ca.log || { cat db/ca.log >&2; exit 1; }
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

[ -n "$hostile" ] || exit 0

# The hostile-server tests' certificate tricks.
sign cnonly localhost ext_cnonly "$now_start" "$now_end" ca
sign iponly 127.0.0.1 ext_iponly "$now_start" "$now_end" ca
sign dnsonly localhost ext_dnsonly "$now_start" "$now_end" ca
sign ipindns 127.0.0.1 ext_ipindns "$now_start" "$now_end" ca
sign wildcard '*.mail.localhost' ext_wildcard "$now_start" "$now_end" ca
sign wildcard-tld '*.localhost' ext_wildcard_tld "$now_start" "$now_end" ca
sign wildcard-star '*' ext_wildcard_star "$now_start" "$now_end" ca
sign wildcard-partial 's*.mail.localhost' ext_wildcard_partial "$now_start" "$now_end" ca
sign wildcard-inner 'smtp.*.localhost' ext_wildcard_inner "$now_start" "$now_end" ca
md=sha1 sign sha1 localhost ext_localhost "$now_start" "$now_end" ca
sign clientauth localhost ext_clientauth "$now_start" "$now_end" ca
sign notca "Not a CA" ext_notca "$now_start" "$now_end" ca
sign notca-leaf localhost ext_localhost "$now_start" "$now_end" notca
cat notca-leaf.pem notca.pem > notca-chain.pem
# Same name as the test CA, another key.
sign forged-ca "SMTP Setup Test CA" ext_ca "$ca_start" "$ca_end" forged-ca selfsign
sign forged localhost ext_localhost "$now_start" "$now_end" forged-ca
bits=2048 sign rsa-ca "SMTP Setup RSA CA" ext_ca "$ca_start" "$ca_end" rsa-ca selfsign
bits=2048 md=md5 sign md5 localhost ext_rsa "$now_start" "$now_end" rsa-ca
bits=512 sign rsa512 localhost ext_rsa "$now_start" "$now_end" ca
cat ca.pem rsa-ca.pem > ca-bundle.pem

for name in cnonly iponly dnsonly ipindns wildcard wildcard-tld wildcard-star \
            wildcard-partial wildcard-inner sha1 clientauth notca notca-leaf forged rsa-ca md5 \
            rsa512; do
  openssl x509 -in "$name.pem" -noout >/dev/null
done
