# shellcheck shell=bash disable=SC2034,SC2154  # variables shared with the caller
# Shared by the gateway tests (tests/e2e/nginx_*.sh): sourced, not run.
# The caller sets `test_name` and `work` (a private directory) before
# calling anything here, and `trap e2e_cleanup EXIT`.

passed=0
failed=0
serve_pid=""

# e2e_missing TOOL: exit 77 (CTest: skipped), or fail under CI=true, where
# tools/setup-deps.sh must have installed TOOL.
e2e_missing() {
  if [ "${CI:-}" = "true" ]; then
    echo "$test_name: FAILED: $1 is missing, and CI must run this" \
      "test (tools/setup-deps.sh installs it)" >&2
    exit 1
  fi
  echo "$test_name: skipped: $1 is missing (tools/setup-deps.sh" \
    "installs it)"
  exit 77
}

# e2e_find_nginx: sets nginx_bin, or skips.
e2e_find_nginx() {
  nginx_bin="$(command -v nginx || true)"
  if [ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ]; then
    nginx_bin=/usr/sbin/nginx
  fi
  [ -n "$nginx_bin" ] || e2e_missing nginx
  command -v curl >/dev/null || e2e_missing curl
}

e2e_cleanup() {
  if [ -f "$work/nginx.pid" ]; then
    kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  fi
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
  # Wait (bounded) for both to be gone before removing their files.
  for _ in $(seq 40); do
    local alive=""
    if [ -f "$work/nginx.pid" ] && kill -0 "$(cat "$work/nginx.pid")" 2>/dev/null; then
      alive=yes
    fi
    if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then alive=yes; fi
    [ -z "$alive" ] && break
    sleep 0.05
  done
  rm -rf "$work"
}

expect() {  # expect DESCRIPTION WANT GOT
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok: $1"
  else
    failed=$((failed + 1))
    echo "FAILED: $1: wanted $2, got $3" >&2
  fi
}

e2e_summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# e2e_start_toegang DB FOLLOW_MS: starts `toegang serve` on a free port of
# 127.0.0.1; sets serve_pid and toegang_port.
e2e_start_toegang() {
  "$toegang" --db "$1" serve --listen 127.0.0.1:0 --threads 2 \
    --follow-ms "$2" >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  toegang_port=""
  for _ in $(seq 100); do
    toegang_port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.out")"
    [ -n "$toegang_port" ] && break
    sleep 0.05
  done
  if [ -z "$toegang_port" ]; then
    echo "toegang serve did not start" >&2
    cat "$work/serve.err" >&2
    exit 1
  fi
}

# e2e_start_nginx CONF [SED-EXPRESSION...]: fills in the shipped file's
# @DIR@, @ROOT@, @PORT@, @TOEGANG_PORT@ (and whatever the extra sed
# expressions replace), starts nginx on a free high port (a few tries),
# and waits until it accepts connections. Sets port.
e2e_start_nginx() {
  local conf="$1"
  shift
  local extra=()
  for e in "$@"; do extra+=(-e "$e"); done
  port=""
  for _ in $(seq 10); do
    local candidate=$((20000 + RANDOM % 40000))
    sed -e "s|@DIR@|$work|g" -e "s|@ROOT@|$work/www|g" \
      -e "s|@PORT@|$candidate|g" -e "s|@TOEGANG_PORT@|$toegang_port|g" \
      "${extra[@]}" "$conf" >"$work/nginx.conf"
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
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nginx does not accept connections on $port" >&2
  exit 1
}

# e2e_static_page: the e-loket page nginx serves when toegang allows it.
e2e_static_page() {
  mkdir -p "$work/www/eloket"
  echo "<h1>e-loket AMA WVG</h1>" >"$work/www/eloket/index.html"
  chmod -R a+rX "$work/www"
}

# The demo federation (tools/demo.sh), in $work/demo/demo.db (sets db):
# Lotte Aerts (USER1) may use ama-wvg at 1100234; Jonas Wuyts (USER2)
# had his ama-wvg right revoked; Elif Yilmaz (NOBODY) is nobody's user.
# On top of it, facility 1100234 is authorized for vipa and Jonas is
# given vipa there: he holds vipa and not ama-wvg, the person who would
# get the e-loket page if a client could name the application.
USER1=75113051741
USER2=88080862668
NOBODY=95021473380
TB=69072331112
e2e_demo() {
  DEMO_DIR="$work/demo" "$repo/tools/demo.sh" "$toegang" >"$work/demo.log" 2>&1 ||
    { cat "$work/demo.log" >&2; exit 1; }
  db="$work/demo/demo.db"
  "$toegang" --db "$db" subafdeling authorize --hco 1100234 --app vipa \
    --by "$TB" >/dev/null
  "$toegang" --db "$db" user grant --hco 1100234 --insz "$USER2" \
    --right vipa --by "$TB" >/dev/null
  local rc=0
  "$toegang" --db "$db" check --insz "$USER2" --app vipa >/dev/null || rc=$?
  expect "set-up: Jonas holds vipa (check exit 0)" "0" "$rc"
  rc=0
  "$toegang" --db "$db" check --insz "$USER2" --app ama-wvg >/dev/null || rc=$?
  expect "set-up: Jonas does not hold ama-wvg (check exit 1)" "1" "$rc"
}

# e2e_direct_vipa: toegang itself, asked for vipa in the URL (as an
# operator could configure it), allows Jonas: so a request through the
# gateway that got 200 for him could only have been decided on vipa.
e2e_direct_vipa() {
  expect "toegang allows Jonas for vipa when the operator names it (204)" "204" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Insz: $USER2" \
      "http://127.0.0.1:$toegang_port/v1/auth?app=vipa")"
}
