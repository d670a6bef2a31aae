#!/usr/bin/env bash
# Installs the Debian packages toegang needs to build, test and benchmark,
# when they are missing. Safe to run again: it installs nothing that is
# already there. Needs root (or sudo) only when something is missing.
#
#   tools/setup-deps.sh            the build, test and demo dependencies
#   tools/setup-deps.sh --extra    also clang (sanitizers, fuzzing) and wrk
#                                  (the HTTP load figures, bench/http_load.sh)
set -euo pipefail

packages=(
  build-essential          # g++ 12 (C++20), make
  cmake                    # the build
  pkg-config
  libboost-graph-dev       # the in-memory delegation graph
  libboost-program-options-dev  # the CLI's option parsing
  libsqlitecpp-dev         # SQLite access with RAII transactions
  libsqlite3-dev           # SQLite itself
  nlohmann-json3-dev       # JSON output and audit details
  libfmt-dev               # message formatting
  libzip-dev               # KBO Open Data extracts read from the zip as downloaded
  libpq-dev                # libpq, PostgreSQL's C client: the PostgreSQL store (--db postgresql://...)
  postgresql               # initdb, pg_ctl, postgres: the tests' throw-away cluster (tests/support/pg_cluster.h)
  libgtest-dev             # the test suite
  libbenchmark-dev         # bench/
  graphviz                 # `dot`, which the tests run on `toegang graph` output
  libboost-dev             # Boost.Beast and Boost.Asio (header-only): toegang serve
  nginx                    # the gateway tests (tests/e2e/nginx_*.sh)
  curl                     # ... and their browser
  openssl                  # ... the eID test's own CA and card certificates (nginx_eid.sh)
  python3-yaml             # parsing the Envoy example in its test (tests/e2e/envoy_snippet.py)
  libgraphviz-dev          # the helpdesk pages draw the delegation picture with Graphviz's library (gvc, cgraph)
  chromium                 # the web pages' browser test (tests/e2e/web_selenium.py), headless
  chromium-driver          # ... Selenium drives Chromium through it
  python3-selenium         # ... and the test's Selenium bindings (run by /usr/bin/python3)
  groff-base               # groff, which the install test renders toegang(1) with (tests/cli/install_test.sh)
  python3-stdnum           # an independent INSZ/KBO validator, the differential test's reference (tests/model/stdnum_verdicts.py)
)
if [ "${1:-}" = "--extra" ]; then
  packages+=(clang llvm libclang-rt-14-dev wrk)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "setup-deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
  fi
fi
echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
