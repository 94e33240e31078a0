#!/bin/bash
# run_fuzzers.sh SECONDS [TARGET ...]: builds the libFuzzer targets (clang, ASan + UBSan) in
# $TFLC_FUZZ_BUILD (default build-fuzz) and runs each for SECONDS, starting from the committed
# corpus (read-only: new inputs go to a scratch folder). Prints one line per target (runs,
# coverage, corpus growth) and fails when a target found a crash, leak, timeout, memory blow-up
# or violated property; the reproducer is kept in $TFLC_FUZZ_BUILD/fuzz-artifacts/<target>/.
# Reproduce one with: $TFLC_FUZZ_BUILD/tests/fuzz/fuzz_<target> FILE
#
# The HDF5 reader forks a sandboxed child per file (src/frontend/sandbox.c). When libhdf5
# misbehaves in that child (e.g. asks for a terabyte), the child dies and tflc reports a clean
# error, but libFuzzer's handlers, inherited by the child, still save the input. Such inputs
# are replayed with fuzz_<target>_replay (which fails on any sanitizer report in this process
# or in a child) and only count when the replay fails too.
set -uo pipefail
SECONDS_EACH=${1:?usage: run_fuzzers.sh SECONDS [TARGET ...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${TFLC_FUZZ_BUILD:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(tflite interp h5 keras_zip tfjs json h5_stream npy idx image)

command -v clang > /dev/null || { echo "run_fuzzers: clang is missing (apt-get install clang libclang-rt-14-dev)"; exit 1; }
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
CC=clang cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTFLC_FUZZ=ON \
  -DTFLC_SANITIZE=address,undefined > "$BUILD/configure.log" 2>&1 || { tail -20 "$BUILD/configure.log"; exit 1; }
bins=()
for t in "${TARGETS[@]}"; do bins+=("fuzz_$t" "fuzz_${t}_replay"); done
cmake --build "$BUILD" -j"$JOBS" --target "${bins[@]}" > "$BUILD/build.log" 2>&1 ||
  { grep -E "error|Error" "$BUILD/build.log" | head -20; exit 1; }

# A fixed seed (TFLC_FUZZ_SEED, default 1) makes a run repeatable: CI explores the same mutation
# sequence every time (as far as its minute reaches), so it does not fail at random on a new
# finding; longer or other-seed campaigns by hand (TFLC_FUZZ_SEED=0: libFuzzer picks one) look further.
SEED=${TFLC_FUZZ_SEED:-1}
ART=$BUILD/fuzz-artifacts
WORK=$BUILD/fuzz-work
fail=0
# Huge allocations return NULL (as under the 2 GiB address-space limit tflc must live with);
# libFuzzer's -malloc_limit_mb still reports any single allocation of 2 GiB or more.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target: fuzz, then sort out what it saved. Writes one result line to $BUILD/fuzz-$t.result.
run_target() {
  local t=$1
  rm -rf "${WORK:?}/$t" "${ART:?}/$t"
  mkdir -p "$WORK/$t/corpus" "$ART/$t"
  local log=$BUILD/fuzz-$t.log
  # -timeout: 25 s per input (the reader sandbox allows 10 s). Run from the scratch folder:
  # sanitizer reports of sandbox children land there as files.
  (cd "$WORK/$t" && "$BUILD/tests/fuzz/fuzz_$t" -seed="$SEED" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2560 \
    -malloc_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 -artifact_prefix="$ART/$t/" corpus "$HERE/corpus/$t") \
    > "$log" 2>&1
  local rc=$?
  local runs cov new sandboxed=0 found=0 slow=0
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  new=$(ls "$WORK/$t/corpus" | wc -l)
  for a in "$ART/$t"/*; do
    [ -f "$a" ] || continue
    # Inputs over 10 s but under the 25 s timeout (e.g. a pool over a 46 MB input under ASan).
    case $(basename "$a") in slow-unit-*) slow=$((slow + 1)); mkdir -p "$ART/$t/slow"; mv "$a" "$ART/$t/slow/"; continue;; esac
    if [ "$rc" -eq 0 ] && ASAN_OPTIONS=allocator_may_return_null=1:max_allocation_size_mb=2048 \
         "$BUILD/tests/fuzz/fuzz_${t}_replay" "$a" > /dev/null 2>&1; then
      sandboxed=$((sandboxed + 1))
      mkdir -p "$ART/$t/sandboxed" && mv "$a" "$ART/$t/sandboxed/"
    else
      found=$((found + 1))
    fi
  done
  local note=""
  [ "$sandboxed" -gt 0 ] && note=" ($sandboxed inputs crashed libhdf5 in the sandbox: handled)"
  [ "$slow" -gt 0 ] && note="$note ($slow slow inputs kept in $ART/$t/slow)"
  {
    printf '%-10s %4ss  %9s runs  cov %6s  +%4s corpus  %s%s\n' "$t" "$SECONDS_EACH" "${runs:-?}" "${cov:-?}" "$new" \
      "$([ "$rc" -eq 0 ] && [ "$found" -eq 0 ] && echo ok || echo "FOUND $found (exit $rc): see $log")" "$note"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
      grep -m3 -E "ERROR|runtime error|property violated|deadly signal" "$log"
    fi
  } > "$BUILD/fuzz-$t.result"
  [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]
}

# FUZZ_JOBS targets at a time (default: the 2 cores CI has).
running=0
for t in "${TARGETS[@]}"; do
  if [ "$running" -ge "${FUZZ_JOBS:-2}" ]; then wait -n || true; running=$((running - 1)); fi
  run_target "$t" &
  running=$((running + 1))
done
wait
for t in "${TARGETS[@]}"; do
  cat "$BUILD/fuzz-$t.result"
  grep -q 'corpus  ok' "$BUILD/fuzz-$t.result" || fail=1
done
exit $fail
