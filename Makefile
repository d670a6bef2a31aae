# The two README commands, and the rest of the day-to-day targets.
#   make demo   set up a fresh machine, build, run the demo federation
#   make test   set up a fresh machine, build, run the whole test suite
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOEGANG_WERROR=ON

.PHONY: all deps build demo test bench clean

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

bench: deps
	cmake -S . -B $(BUILD)-bench -DCMAKE_BUILD_TYPE=Release -DTOEGANG_BUILD_BENCH=ON -DTOEGANG_BUILD_TESTS=OFF
	cmake --build $(BUILD)-bench -j $(JOBS)
	$(BUILD)-bench/bench/toegang_bench

clean:
	rm -rf $(BUILD) $(BUILD)-bench demo-out
