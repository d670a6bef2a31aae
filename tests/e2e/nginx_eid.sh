#!/usr/bin/env bash
# The shipped gateway, for real: nginx with docs/nginx-eid.conf as it is
# (TLS, client certificates as the Belgian eID uses them, auth_request to
# `toegang serve`), a static e-loket page behind it, curl as the browser.
# The test makes its own eID-like CA with openssl: a root, a "Citizen CA"
# under it, and card certificates whose subject is
#   C=BE, CN=NAME (Authentication), SN=SURNAME, GN=GIVEN, serialNumber=INSZ
# plus a certificate for the same INSZ from another CA, one whose CN
# smuggles ",serialNumber=INSZ", and a self-signed server certificate.
# It checks that
#   - the allowed person's card gets the page, with the granting facility;
#   - a revoked right and a person nobody granted get 403;
#   - no certificate, or one from another CA, gets no page (nginx: 400);
#   - a CN smuggling serialNumber yields no INSZ (401);
#   - an X-Insz header never identifies anyone, with or without a card;
#   - X-Toegang-App/-Hco/-At-Least from the client, single, duplicated or
#     in any case, and ?app= in the URL, change no decision.
#
#   tests/e2e/nginx_eid.sh PATH-TO-toegang
#
# Exit 77 (CTest: skipped) when nginx, curl or openssl is missing, except
# with CI=true, where that fails: tools/setup-deps.sh installs them.
# TOEGANG_E2E_CONF runs another configuration instead of the shipped one
# (to see the test fail on a weaker file).
set -euo pipefail

toegang="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
conf="${TOEGANG_E2E_CONF:-$repo/docs/nginx-eid.conf}"
test_name=nginx_eid
# shellcheck source=lib.sh
. "$here/lib.sh"
e2e_find_nginx
command -v openssl >/dev/null || e2e_missing openssl

work="$(mktemp -d /tmp/toegang-eid-XXXXXX)"
# nginx started as root runs its worker as nobody, which must read the page.
chmod 755 "$work"
trap e2e_cleanup EXIT

e2e_demo

# --- The test's own PKI -------------------------------------------------
certs="$work/certs"
mkdir -p "$certs"
cat >"$certs/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[card]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
EOF
serial=1000
newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
# root NAME SUBJECT: a self-signed root CA.
root() {
  newkey "$certs/$1.key"
  openssl req -x509 -new -key "$certs/$1.key" -subj "$2" -days 2 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$certs/$1.pem" 2>/dev/null
}
# issue NAME SUBJECT ISSUER SECTION: a certificate signed by ISSUER.
issue() {
  newkey "$certs/$1.key"
  openssl req -new -key "$certs/$1.key" -subj "$2" -out "$certs/$1.csr" 2>/dev/null
  serial=$((serial + 1))
  openssl x509 -req -in "$certs/$1.csr" -CA "$certs/$3.pem" \
    -CAkey "$certs/$3.key" -set_serial "$serial" -days 2 \
    -extfile "$certs/ext.cnf" -extensions "$4" -out "$certs/$1.pem" 2>/dev/null
}
card() {  # card NAME GIVEN SURNAME INSZ ISSUER
  issue "$1" "/C=BE/CN=$2 $3 (Authentication)/SN=$3/GN=$2/serialNumber=$4" "$5" card
}
root eid-root "/C=BE/CN=Test eID Root CA"
issue citizen "/C=BE/CN=Test Citizen CA/serialNumber=201301" eid-root ca
cat "$certs/citizen.pem" "$certs/eid-root.pem" >"$certs/eid-ca.pem"
card lotte Lotte Aerts "$USER1" citizen
card jonas Jonas Wuyts "$USER2" citizen
card elif Elif Yilmaz "$NOBODY" citizen
# Trusted CA, but the INSZ only inside the CN (RFC 2253 prints it as
# CN=Eve\,serialNumber=75113051741,C=BE): no serialNumber of its own.
issue smuggler "/C=BE/CN=Eve\\,serialNumber=$USER1" citizen card
# The same person's INSZ, from a CA nginx does not trust.
root other-root "/C=BE/CN=Other Root CA"
issue other-citizen "/C=BE/CN=Other Citizen CA" other-root ca
card forged Lotte Aerts "$USER1" other-citizen
cat "$certs/forged.pem" "$certs/other-citizen.pem" >"$certs/forged-chain.pem"
newkey "$certs/server.key"
openssl req -x509 -new -key "$certs/server.key" -subj "/CN=127.0.0.1" \
  -days 2 -addext "subjectAltName=IP:127.0.0.1" -out "$certs/server.pem" 2>/dev/null
chmod -R a+rX "$certs"
expect "the test's card has the eID subject layout" \
  "serialNumber=$USER1,GN=Lotte,SN=Aerts,CN=Lotte Aerts (Authentication),C=BE" \
  "$(openssl x509 -in "$certs/lotte.pem" -noout -subject -nameopt RFC2253 | sed 's|^subject=||')"
expect "the smuggler's CN escapes its comma" "CN=Eve\\,serialNumber=$USER1,C=BE" \
  "$(openssl x509 -in "$certs/smuggler.pem" -noout -subject -nameopt RFC2253 | sed 's|^subject=||')"

# --- toegang and nginx --------------------------------------------------
e2e_start_toegang "$db" 50
e2e_direct_vipa
e2e_static_page
e2e_start_nginx "$conf" "s|@CERTS@|$certs|g"
url="https://127.0.0.1:$port/eloket/index.html"

# fetch [CARD|-] [curl options]: the status; the body in $work/body, the
# headers in $work/headers. CARD is a name under $certs; - is no card.
fetch() {
  local who="$1"
  shift
  local tls=(--cacert "$certs/server.pem")
  if [ "$who" = "forged" ]; then
    tls+=(--cert "$certs/forged-chain.pem" --key "$certs/forged.key")
  elif [ "$who" != "-" ]; then
    tls+=(--cert "$certs/$who.pem" --key "$certs/$who.key")
  fi
  : >"$work/body"
  curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' "${tls[@]}" "$@" \
    "${target:-$url}" || true
}
# no_page WANT DESCRIPTION [fetch arguments]: the status is WANT and the
# body is not the e-loket page.
no_page() {
  local want="$1" what="$2"
  shift 2
  local code
  code="$(fetch "$@")"
  if grep -q "e-loket AMA WVG" "$work/body"; then code="$code+page"; fi
  expect "$what" "$want" "$code"
}

page="$(fetch lotte)"
expect "Lotte's card gets the page" "200" "$page"
expect "... the e-loket page itself" "<h1>e-loket AMA WVG</h1>" "$(cat "$work/body")"
expect "... nginx hands the granting facility on" "1100234" \
  "$(sed -n 's|^X-Toegang-Facilities: \([0-9,]*\).*|\1|p' "$work/headers")"
no_page 403 "Jonas's card (right revoked): 403" jonas
no_page 403 "Elif's card (nobody's user): 403" elif
no_page 400 "no certificate: nginx refuses (400), no page" -
no_page 400 "a certificate from another CA with Lotte's INSZ: 400, no page" forged
no_page 401 "a trusted certificate whose CN smuggles serialNumber: no INSZ (401)" smuggler

# A header never identifies anyone.
no_page 403 "Jonas's card + X-Insz: Lotte: 403" jonas -H "X-Insz: $USER1"
no_page 403 "Elif's card + X-Insz: Lotte, twice: 403" elif \
  -H "X-Insz: $USER1" -H "X-Insz: $USER1"
no_page 400 "no certificate + X-Insz: Lotte: 400" - -H "X-Insz: $USER1"
no_page 401 "the smuggler's card + X-Insz: Lotte: 401" smuggler -H "X-Insz: $USER1"
no_page 401 "the smuggler's card + x-insz (lower case): 401" smuggler -H "x-insz: $USER1"

# The client never picks the application, the facility or the revision.
no_page 403 "Jonas's card + X-Toegang-App: vipa: 403" jonas -H "X-Toegang-App: vipa"
no_page 403 "Jonas's card + x-toegang-app: vipa (lower case): 403" jonas \
  -H "x-toegang-app: vipa"
no_page 403 "Jonas's card + X-Toegang-App: vipa, twice: 403" jonas \
  -H "X-Toegang-App: vipa" -H "X-Toegang-App: vipa"
no_page 403 "Jonas's card + X-Toegang-App: ama-wvg then vipa: 403" jonas \
  -H "X-Toegang-App: ama-wvg" -H "X-Toegang-App: vipa"
target="$url?app=vipa" no_page 403 "Jonas's card + ?app=vipa in the URL: 403" jonas
target="$url?app=vipa&hco=1100234" no_page 403 \
  "Jonas's card + ?app=vipa&hco=1100234: 403" jonas
expect "Lotte's card + X-Toegang-Hco: 1100235 (not hers): still 200" "200" \
  "$(fetch lotte -H 'X-Toegang-Hco: 1100235')"
expect "Lotte's card + X-Toegang-At-Least: a revision nobody committed: 200 (not waited for)" \
  "200" "$(fetch lotte -H 'X-Toegang-At-Least: 999999999')"
everything=(-H "X-Insz: $USER1" -H "X-Insz: $USER2" -H "X-Toegang-App: vipa"
  -H "x-toegang-app: vipa" -H "X-Toegang-Hco: 1100235" -H "X-Toegang-Hco: 1100234"
  -H "X-Toegang-At-Least: 999999999" -H "X-Toegang-At-Least: 1"
  -H "X-Toegang-Facilities: 1100234" -H "X-Toegang-Revision: 1"
  -H "X-Toegang-Error: none")
no_page 403 "Jonas's card + every X-Toegang-* and X-Insz variant: 403" jonas \
  "${everything[@]}"
no_page 400 "no certificate + every variant: 400" - "${everything[@]}"
expect "Lotte's card + every variant: still 200" "200" \
  "$(fetch lotte "${everything[@]}")"

metrics="$(curl -s "http://127.0.0.1:$toegang_port/metrics")"
auth_allowed="$(echo "$metrics" | sed -n 's|^toegang_decisions_total{endpoint="auth",outcome="allowed"} ||p')"
expect "toegang decided Lotte's requests (allowed count 5 = 4 + vipa)" "5" "${auth_allowed:-0}"

e2e_summary
