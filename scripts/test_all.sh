#!/bin/bash
# test_all.sh: the steps `make test` runs after the plain build's test suite.
#  1. An ASan + UBSan build with clang (build-san, -Werror, with the libFuzzer targets) and the
#     whole ctest suite in it, except three tests that compare numbers with Google's runtime
#     (done in the plain build) and spend their time there and in Python: op_cases_vs_google
#     (op_cases_sanitized runs every one of its single-op models through tflc under the
#     sanitizers instead), quant_models_vs_float_and_google (its conversions and runs are
#     covered by the reliability and fuzz tests; under ASan it takes over 30 minutes) and
#     keras_applications_vs_google (a ResNet50 conversion).
#  2. Every fuzz target for $TFLC_FUZZ_SECONDS seconds (default 60), two at a time
#     (tests/fuzz/run_fuzzers.sh; findings are kept in build-san/fuzz-artifacts/).
# TFLC_SANITIZE_TESTS=0 skips both (e.g. for a quick local `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${TFLC_SANITIZE_TESTS:-1}" = 0 ] && { echo "test_all: sanitizer build and fuzzing skipped (TFLC_SANITIZE_TESTS=0)"; exit 0; }
SAN=${TFLC_SAN_BUILD:-build-san}
JOBS=${JOBS:-2}
echo "== ASan + UBSan build ($SAN)"
CC=clang cmake -S . -B "$SAN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTFLC_SANITIZE=address,undefined -DTFLC_FUZZ=ON \
  -DTFLC_WERROR=ON > /dev/null
cmake --build "$SAN" -j"$JOBS"
echo "== the test suite under ASan + UBSan"
(cd "$SAN" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  ctest --output-on-failure -j"$JOBS" -E '^(op_cases_vs_google|quant_models_vs_float_and_google|keras_applications_vs_google)$')
echo "== fuzzing, ${TFLC_FUZZ_SECONDS:-60} s per target"
TFLC_FUZZ_BUILD=$SAN FUZZ_JOBS=$JOBS tests/fuzz/run_fuzzers.sh "${TFLC_FUZZ_SECONDS:-60}"
