# The two README commands, and the rest of the day-to-day targets.
#   make demo   set up a fresh machine, build, run the demo federation
#   make test   set up a fresh machine, build, run the whole test suite
BUILD ?= build
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
ROUNDS ?= 200
CRASH_SEED ?= 1
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOEGANG_WERROR=ON

.PHONY: all deps build demo test test-asan test-tsan crash fuzz fuzz-smoke bench bench-kbo bench-http clean

all: build

deps:
	tools/setup-deps.sh

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DTOEGANG_BUILD_TESTS=ON
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	tools/demo.sh $(BUILD)/tools/toegang

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DTOEGANG_WERROR=ON -DTOEGANG_SANITIZE=address
	cmake --build $(BUILD)-asan -j $(JOBS)
	cd $(BUILD)-asan && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# The concurrency tests under ThreadSanitizer.
test-tsan: deps
	cmake -S . -B $(BUILD)-tsan -DCMAKE_BUILD_TYPE=Debug -DTOEGANG_WERROR=ON -DTOEGANG_SANITIZE=thread
	cmake --build $(BUILD)-tsan -j $(JOBS) --target toegang_tests
	TSAN_OPTIONS=halt_on_error=1 $(BUILD)-tsan/tests/toegang_tests --gtest_filter='Concurrency*:ReadPath*:LeftRight*:IndexSnapshotEngine*'

# The crash test, long: ROUNDS kills of a writer process (the suite runs
# six). CRASH_SEED picks the sequence of mutations and imports.
crash: build
	TOEGANG_CRASH_ROUNDS=$(ROUNDS) TOEGANG_CRASH_SEED=$(CRASH_SEED) \
	  $(BUILD)/tests/toegang_tests --gtest_filter='*CrashTest.*'

# libFuzzer targets (clang) on copies of tests/fuzz/corpus, FUZZ_SECONDS each.
fuzz:
	tools/setup-deps.sh --extra
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(BUILD)-fuzz

# Every fuzz target briefly (CI).
fuzz-smoke:
	tools/setup-deps.sh --extra
	tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(BUILD)-fuzz

# SPEC 8 benchmarks at BENCH_SCALES (S,M by default; add L on request, it
# needs about 7 GB of memory and ~10 minutes to generate), then the HTTP
# service with 0 and 100 parked at-least requests (toegang_http_bench, S). Federations are
# generated once into BENCH_DIR and reused; BENCH_FLAGS go to Google
# Benchmark (e.g. --benchmark_filter=Check).
BENCH_SCALES ?= S,M
BENCH_DIR ?= $(BUILD)-bench/data
BENCH_FLAGS ?= --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
bench: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DTOEGANG_BUILD_BENCH=ON -DTOEGANG_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	TOEGANG_BENCH_SCALES=$(BENCH_SCALES) TOEGANG_BENCH_DIR=$(BENCH_DIR) \
	  $(BUILD)-bench/bench/toegang_bench $(BENCH_FLAGS)
	TOEGANG_BENCH_DIR=$(BENCH_DIR) $(BUILD)-bench/bench/toegang_http_bench $(BENCH_FLAGS)

# The KBO Open Data import at real size (issue 23): a generated full extract
# (2 million enterprises, 3.5 million denominations) and a 20,000-row update
# into copies of M, with `import kbo` and reading the zip alone as baselines
# (docs/benchmarks.md, "KBO Open Data import"). The extracts are generated
# once into BENCH_DIR (about 0.6 GB with the unpacked files); one import per
# benchmark, a few minutes in all.
BENCH_KBO_FLAGS ?=
bench-kbo: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DTOEGANG_BUILD_BENCH=ON -DTOEGANG_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS) --target toegang_kbo_bench
	TOEGANG_BENCH_DIR=$(BENCH_DIR) $(BUILD)-bench/bench/toegang_kbo_bench $(BENCH_KBO_FLAGS)

# The HTTP decision service under wrk, direct and behind nginx
# (docs/benchmarks.md, "HTTP decision service").
bench-http: build
	tools/setup-deps.sh --extra
	bench/http_load.sh $(BUILD)/tools/toegang

clean:
	rm -rf $(BUILD) $(BUILD)-bench $(BUILD)-asan $(BUILD)-tsan $(BUILD)-fuzz demo-out
