#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a while.
#
#   tests/fuzz/run.sh SECONDS [BUILD_DIR]
#
# Every target of tests/fuzz/CMakeLists.txt runs SECONDS (`make fuzz`:
# FUZZ_SECONDS, default 60; `make fuzz-smoke`: 15, in CI).
# BUILD_DIR defaults to build-fuzz in the repository root (ignored by git).
# Each target runs on a copy of its seed corpus under BUILD_DIR/fuzz-corpus;
# new inputs and crash artifacts stay in BUILD_DIR, never in the repository.
# Exits non-zero when a target crashes (or the build fails).
#
# TOEGANG_FUZZ_CMAKE_SOURCE overrides the CMake source directory (default:
# the repository root), e.g. to try a wrapper project.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [BUILD_DIR]" >&2
  exit 2
fi
seconds=$1
fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$fuzz_dir/../.." && pwd)
build=${2:-$repo/build-fuzz}
source_dir=${TOEGANG_FUZZ_CMAKE_SOURCE:-$repo}
jobs=$(nproc 2>/dev/null || echo 2)

CC=clang CXX=clang++ cmake -S "$source_dir" -B "$build" -DTOEGANG_WERROR=ON \
  -DTOEGANG_BUILD_FUZZ=ON -DTOEGANG_BUILD_TESTS=OFF
build=$(cd "$build" && pwd)

# target name -> seed corpus directory name
targets=(toegang_identifiers_fuzz:identifiers toegang_csv_import_fuzz:csv)
for reader in kbo_enterprises kbo_denominations persons functions facilities; do
  targets+=("toegang_import_${reader}_fuzz:import_${reader}")
done
targets+=(toegang_index_snapshot_fuzz:index_snapshot toegang_cli_fuzz:cli)
# TOEGANG_FUZZ_TARGETS="name ..." runs only those.
if [[ -n ${TOEGANG_FUZZ_TARGETS:-} ]]; then
  chosen=()
  for t in "${targets[@]}"; do
    for want in $TOEGANG_FUZZ_TARGETS; do
      [[ ${t%%:*} == "$want" ]] && chosen+=("$t")
    done
  done
  targets=("${chosen[@]}")
fi
names=()
for t in "${targets[@]}"; do names+=("${t%%:*}"); done
cmake --build "$build" -j "$jobs" --target "${names[@]}"

failed=0
summary=()
for t in "${targets[@]}"; do
  name=${t%%:*}
  seeds=$fuzz_dir/corpus/${t##*:}
  exe=$(find "$build" -type f -name "$name" -perm -u+x | head -n 1)
  if [[ -z $exe ]]; then
    echo "$name: executable not found under $build" >&2
    failed=1
    continue
  fi
  corpus=$build/fuzz-corpus/$name
  artifacts=$build/fuzz-artifacts/$name
  log=$build/fuzz-logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  cp -n "$seeds"/* "$corpus"/  # a copy: the repository corpus stays as is

  echo "== $name: ${seconds}s on $corpus"
  start=$(date +%s.%N)
  rc=0
  (cd "$build" && "$exe" -max_total_time="$seconds" -max_len=4096 \
      -print_final_stats=1 -print_funcs=0 -artifact_prefix="$artifacts/" "$corpus") \
      >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  execs=$(awk '/stat::number_of_executed_units:/ { n = $2 }
               END { print (n == "" ? "?" : n) }' "$log")
  if [[ $execs == "?" ]]; then  # crashed before the final stats
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    execs=${execs:-?}
  fi
  rate=$(awk -v n="$execs" -v t="$elapsed" \
           'BEGIN { if (n ~ /^[0-9]+$/ && t > 0) printf "%d", n / t;
                    else print "?" }')
  if [[ $rc -eq 0 ]]; then
    result="ok"
  else
    result="CRASH (exit $rc; log $log)"
    failed=1
    grep -E 'ERROR: |SUMMARY: |Test unit written to|exception escaped' \
      "$log" >&2 || true
  fi
  line="$name: $execs executions in ${elapsed}s ($rate exec/s): $result"
  echo "$line"
  summary+=("$line")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
