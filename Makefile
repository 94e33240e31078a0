# The two commands of the README:
#   make demo   - installs what is missing, builds, runs tflc's main job on the bundled example
#   make test   - installs what is missing, builds (warnings are errors), runs the whole test suite,
#                 then again under ASan + UBSan, then each fuzz target for a minute
#                 (scripts/test_all.sh; TFLC_SANITIZE_TESTS=0 skips that part)
BUILD ?= build
JOBS ?= 2

.PHONY: demo test build setup clean

setup:
	@scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTFLC_WERROR=ON > /dev/null
	@cmake --build $(BUILD) -j$(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	@JOBS=$(JOBS) scripts/test_all.sh

clean:
	rm -rf $(BUILD)
bench: build ; @$(MAKE) -C bench BUILD=$(abspath $(BUILD)) models run  # bench/README.md: tflc vs XNNPACK
