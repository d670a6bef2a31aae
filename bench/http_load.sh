#!/usr/bin/env bash
# Load on the HTTP decision service with wrk, on loopback, on the demo
# federation (tools/demo.sh): requests/s and p99 latency
#   - GET /v1/check directly, with 1 and 2 service threads;
#   - through nginx auth_request (tests/e2e/nginx-header-fixture.conf) in front of
#     a static page, with 1 and 2 service threads;
#   - nginx serving the same page without auth_request (the baseline).
# Each line is the median of RUNS wrk runs (default 3) of SECONDS (default
# 5) with CONNECTIONS (default 16) keep-alive connections and one wrk
# thread. Every request is an allowed decision.
#
#   bench/http_load.sh PATH-TO-toegang [RUNS] [SECONDS] [CONNECTIONS]
#   make bench-http
set -euo pipefail

toegang="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
runs="${2:-3}"
seconds="${3:-5}"
connections="${4:-16}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is missing: tools/setup-deps.sh --extra" >&2; exit 1; }
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/toegang-load-XXXXXX)"
chmod 755 "$work"
serve_pid=""
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  sleep 0.2
  rm -rf "$work"
}
trap cleanup EXIT

DEMO_DIR="$work/demo" "$repo/tools/demo.sh" "$toegang" >"$work/demo.log" 2>&1
db="$work/demo/demo.db"
insz=75113051741  # allowed at 1100234
mkdir -p "$work/www/eloket" "$work/www/public"
echo "<h1>e-loket AMA WVG</h1>" | tee "$work/www/eloket/index.html" >"$work/www/public/index.html"
chmod -R a+rX "$work/www"

start_serve() {  # start_serve THREADS
  "$toegang" --db "$db" serve --listen 127.0.0.1:0 --threads "$1" \
    >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  port=""
  for _ in $(seq 100); do
    port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.out")"
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$work/serve.err" >&2; exit 1; }
}
stop_serve() {
  kill "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=""
  : >"$work/serve.out"
}
start_nginx() {  # start_nginx TOEGANG_PORT
  nginx_port=$((20000 + RANDOM % 40000))
  sed -e "s|@DIR@|$work|g" -e "s|@ROOT@|$work/www|g" \
    -e "s|@PORT@|$nginx_port|g" -e "s|@TOEGANG_PORT@|$1|g" \
    -e 's|^    location /eloket/ {|    location /public/ { }\n    location /eloket/ {|' \
    "$repo/tests/e2e/nginx-header-fixture.conf" >"$work/nginx.conf"
  sed -i 's|^  access_log .*|  access_log off;|' "$work/nginx.conf"
  "$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log"
  sleep 0.3
}
stop_nginx() {
  kill "$(cat "$work/nginx.pid")"
  sleep 0.3
}

# One wrk run: "REQUESTS_PER_S P99_MS".
wrk_once() {
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "X-Insz: $insz" "$1" |
    awk '/Requests\/sec/ {rps=$2}
         /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
                   else if (v ~ /ms$/) {sub(/ms/,"",v)}
                   else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}
                   p99=v}
         END {printf "%.0f %.3f\n", rps, p99}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {  # measure LABEL URL
  : >"$work/runs"
  for _ in $(seq "$runs"); do wrk_once "$2" >>"$work/runs"; done
  printf '%-44s %10s req/s   p99 %7s ms   (runs: %s)\n' "$1" \
    "$(cut -d' ' -f1 "$work/runs" | median)" \
    "$(cut -d' ' -f2 "$work/runs" | median)" \
    "$(tr '\n' ';' <"$work/runs" | sed 's/;$//')"
}

echo "wrk -t1 -c$connections -d${seconds}s --latency, median of $runs runs; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 1 2; do
  start_serve "$threads"
  curl -sf "http://127.0.0.1:$port/v1/check?insz=$insz&app=ama-wvg" | grep -q '"allowed":true'
  measure "GET /v1/check, $threads service thread(s)" \
    "http://127.0.0.1:$port/v1/check?insz=$insz&app=ama-wvg"
  start_nginx "$port"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Insz: $insz" \
    "http://127.0.0.1:$nginx_port/eloket/index.html")" = 200 ]
  measure "nginx auth_request + page, $threads service thread(s)" \
    "http://127.0.0.1:$nginx_port/eloket/index.html"
  if [ "$threads" = 2 ]; then
    measure "nginx page alone (no auth_request)" \
      "http://127.0.0.1:$nginx_port/public/index.html"
  fi
  stop_nginx
  stop_serve
done
