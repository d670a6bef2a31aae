#!/usr/bin/env bash
# A real gateway: nginx (auth_request, docs/nginx-auth-request.conf) in
# front of a static e-loket page, `toegang serve` deciding, curl as the
# browser. Builds the demo federation (tools/demo.sh), then checks that
#   - an allowed INSZ gets the page, with the granting facility;
#   - a denied, an unknown and an invalid INSZ get 403, no INSZ 401;
#   - a right revoked through the CLI is refused within the follow bound;
#   - a grant demanded with X-Toegang-At-Least is served at once;
#   - toegang serve stops cleanly on SIGTERM.
#
#   tests/e2e/nginx_auth_request.sh PATH-TO-toegang
#
# Exit 77 (CTest: skipped) when nginx or curl is missing, except with
# CI=true, where that fails: tools/setup-deps.sh installs both.
# TOEGANG_E2E_BOUND_MS (default 300) is the longest a revoke may take to
# reach the gateway: the 50 ms follow interval plus slack for a loaded
# 2-core machine; the time measured is printed.
set -euo pipefail

toegang="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$here/../.."
bound_ms="${TOEGANG_E2E_BOUND_MS:-300}"
follow_ms=50

missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "nginx_auth_request: FAILED: $1 is missing, and CI must run this" \
      "test (tools/setup-deps.sh installs it)" >&2
    exit 1
  fi
  echo "nginx_auth_request: skipped: $1 is missing (tools/setup-deps.sh" \
    "installs it)"
  exit 77
}
nginx_bin="$(command -v nginx || true)"
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
[ -n "$nginx_bin" ] || missing nginx
command -v curl >/dev/null || missing curl

work="$(mktemp -d /tmp/toegang-nginx-XXXXXX)"
# nginx started as root runs its worker as nobody, which must read the page.
chmod 755 "$work"
serve_pid=""
cleanup() {
  if [ -f "$work/nginx.pid" ]; then
    kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  fi
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
  sleep 0.2
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
expect() {  # expect DESCRIPTION WANT GOT
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok: $1"
  else
    failed=$((failed + 1))
    echo "FAILED: $1: wanted $2, got $3" >&2
  fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The demo federation: Lotte Aerts (75113051741) may use ama-wvg at
# 1100234; Jonas Wuyts (88080862668) had his right revoked; Elif Yilmaz
# (95021473380) is nobody's user.
USER1=75113051741
USER2=88080862668
NOBODY=95021473380
TB=69072331112
DEMO_DIR="$work/demo" "$repo/tools/demo.sh" "$toegang" >"$work/demo.log" 2>&1 ||
  { cat "$work/demo.log" >&2; exit 1; }
db="$work/demo/demo.db"

"$toegang" --db "$db" serve --listen 127.0.0.1:0 --threads 2 \
  --follow-ms "$follow_ms" >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
toegang_port=""
for _ in $(seq 100); do
  toegang_port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.out")"
  [ -n "$toegang_port" ] && break
  sleep 0.05
done
[ -n "$toegang_port" ] || { echo "toegang serve did not start" >&2; cat "$work/serve.err" >&2; exit 1; }

mkdir -p "$work/www/eloket"
echo "<h1>e-loket AMA WVG</h1>" >"$work/www/eloket/index.html"
chmod -R a+rX "$work/www"

# A free high port for nginx: try a few.
port=""
for _ in $(seq 10); do
  candidate=$((20000 + RANDOM % 40000))
  sed -e "s|@DIR@|$work|g" -e "s|@ROOT@|$work/www|g" \
    -e "s|@PORT@|$candidate|g" -e "s|@TOEGANG_PORT@|$toegang_port|g" \
    "$repo/docs/nginx-auth-request.conf" >"$work/nginx.conf"
  if "$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" \
    2>"$work/nginx.start"; then
    port=$candidate
    break
  fi
  grep -q "Address already in use" "$work/nginx.start" || {
    cat "$work/nginx.start" >&2
    exit 1
  }
done
[ -n "$port" ] || { echo "no free port for nginx" >&2; exit 1; }
url="http://127.0.0.1:$port/eloket/index.html"
for _ in $(seq 100); do
  curl -s -o /dev/null "$url" && break
  sleep 0.05
done

status() {  # status [curl options]: the HTTP status of the page
  curl -s -o /dev/null -w '%{http_code}' "$@" "$url"
}

page="$(curl -s -D "$work/headers" -H "X-Insz: $USER1" "$url")"
expect "an allowed INSZ gets the page" "200" \
  "$(sed -n '1s|HTTP/1.1 \([0-9]*\).*|\1|p' "$work/headers")"
expect "the page is the e-loket" "<h1>e-loket AMA WVG</h1>" "$page"
expect "nginx hands the granting facility on" "1100234" \
  "$(sed -n 's|^X-Toegang-Facilities: \([0-9,]*\).*|\1|p' "$work/headers")"
expect "the display form of the INSZ works too" "200" \
  "$(status -H 'X-Insz: 75.11.30-517.41')"
expect "a revoked right: 403" "403" "$(status -H "X-Insz: $USER2")"
expect "a person nobody granted: 403" "403" "$(status -H "X-Insz: $NOBODY")"
expect "an invalid INSZ: 403" "403" "$(status -H 'X-Insz: 12345678901')"
expect "no INSZ at all: 401" "401" "$(status)"
expect "another facility than the granting one: 403" "403" \
  "$(status -H "X-Insz: $USER1" -H 'X-Toegang-Hco: 1100235')"

# A revoke through the CLI (another process) reaches the gateway through
# the follower, within the bound.
"$toegang" --db "$db" user revoke --hco 1100234 --insz "$USER1" \
  --right ama-wvg --by "$TB" >/dev/null
revoked_at="$(now_ms)"
took=""
while :; do
  code="$(status -H "X-Insz: $USER1")"
  elapsed=$(($(now_ms) - revoked_at))
  if [ "$code" = "403" ]; then took=$elapsed; break; fi
  [ "$elapsed" -gt 5000 ] && break
  sleep 0.005
done
echo "revoke seen by the gateway after ${took:-more than 5000} ms" \
  "(follow interval $follow_ms ms, bound $bound_ms ms)"
expect "the revoke takes effect" "403" "$code"
expect "... within ${bound_ms} ms" "yes" \
  "$([ -n "$took" ] && [ "$took" -le "$bound_ms" ] && echo yes || echo "no (${took:-never} ms)")"

# Read your writes: the grant's revision, demanded, is served at once.
revision="$("$toegang" --db "$db" --json user grant --hco 1100234 \
  --insz "$USER1" --right ama-wvg --by "$TB" |
  sed -n 's|.*"revision":\([0-9]*\).*|\1|p')"
expect "a grant demanded at its revision is served at once" "200" \
  "$(status -H "X-Insz: $USER1" -H "X-Toegang-At-Least: $revision")"
expect "a revision nobody committed: nginx fails closed (500)" "500" \
  "$(status -H "X-Insz: $USER1" -H "X-Toegang-At-Least: $((revision + 1000))")"

metrics="$(curl -s "http://127.0.0.1:$toegang_port/metrics")"
auth_allowed="$(echo "$metrics" | sed -n 's|^toegang_decisions_total{endpoint="auth",outcome="allowed"} ||p')"
expect "the service counted the gateway's allowed decisions" "yes" \
  "$([ "${auth_allowed:-0}" -ge 3 ] && echo yes || echo "no ($auth_allowed)")"

kill -TERM "$serve_pid"
serve_rc=0
wait "$serve_pid" || serve_rc=$?
serve_pid=""
expect "toegang serve stops cleanly on SIGTERM" "0" "$serve_rc"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
