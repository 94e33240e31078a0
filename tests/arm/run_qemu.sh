#!/bin/bash
# run_qemu.sh SRC_DIR CROSS_BUILD_DIR RUN_MODELS_HOST MODELS_DIR  (ctest arm64_qemu)
# Cross-builds the runtime (no converter), the kernel unit tests and run_models for AArch64
# (tests/arm/cross, cmake/aarch64-linux-gnu.cmake), runs the tests under qemu-aarch64, then runs
# every .tflite in MODELS_DIR with seeded random inputs on AArch64 (reference kernels, the NEON
# table, and the best ISA: NEON_DOT, as qemu reports dotprod in HWCAP) and compares with the host
# build's reference kernels: integer outputs (the int8 models' NEON gemm_s8 / dwconv_s8 /
# requant_s8 paths) bit for bit, float32 within run_models' tolerance.
# Exit 77 (skip) when the cross compiler or qemu is missing (scripts/setup.sh installs them),
# unless TFLC_REQUIRE_ARM=1.
set -u
src=$1 bdir=$2 host_run=$3 models=$4
skip() {
    echo "arm64_qemu: $*"
    [ "${TFLC_REQUIRE_ARM:-0}" = 1 ] && exit 1 || exit 77
}
command -v aarch64-linux-gnu-gcc > /dev/null || skip "no aarch64-linux-gnu-gcc (apt-get install gcc-aarch64-linux-gnu)"
qemu=$(command -v qemu-aarch64 || command -v qemu-aarch64-static) || skip "no qemu-aarch64 (apt-get install qemu-user)"
[ -d /usr/aarch64-linux-gnu/lib ] || skip "no /usr/aarch64-linux-gnu (apt-get install libc6-dev-arm64-cross)"

echo "== cross build ($bdir)"
cmake -S "$src/tests/arm/cross" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/aarch64-linux-gnu.cmake" > "$bdir.log" 2>&1 ||
    { cat "$bdir.log"; exit 1; }
cmake --build "$bdir" -j"${JOBS:-2}" > "$bdir.log" 2>&1 || { grep -E -B2 -A8 'error|Error' "$bdir.log" | head -80; exit 1; }

# qemu's default "max" CPU reports dotprod in HWCAP, so both NEON tables are tested; pin it.
export QEMU_CPU=max
echo "== kernel and thread-pool tests under $qemu"
(cd "$bdir" && ctest --output-on-failure) || exit 1

# The int8 microkernels of both AArch64 tables must have been checked (not skipped), and a CPU
# without dotprod must fall back to NEON alone (tflc_isa_supported reads HWCAP).
echo "== test_ukernels_s8: NEON + NEON_DOT (QEMU_CPU=max), NEON only (QEMU_CPU=cortex-a53)"
out=$("$qemu" -L /usr/aarch64-linux-gnu "$bdir/test_ukernels_s8" 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -q "^  2 ISA table(s) checked" || { echo "$out"; echo "FAIL: neon and neondot not both checked"; exit 1; }
out=$(QEMU_CPU=cortex-a53 "$qemu" -L /usr/aarch64-linux-gnu "$bdir/test_ukernels_s8" 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -q "skip neondot: not supported" && echo "$out" | grep -q "^  1 ISA table(s) checked" ||
    { echo "$out"; echo "FAIL: without dotprod, neondot must be skipped and neon checked"; exit 1; }

echo "== models: AArch64 vs host (reference kernels)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
shopt -s nullglob
for m in "$models"/*.tflite; do
    name=$(basename "$m" .tflite)
    if ! TFLC_ISA=ref "$host_run" "$tmp/$name.host" "$m" 7 > "$tmp/log" 2>&1; then
        echo "skip $name: the host build does not run it: $(cat "$tmp/log")"; continue
    fi
    for isa in ref neon auto; do
        if ! TFLC_ISA=$isa "$qemu" -L /usr/aarch64-linux-gnu "$bdir/run_models" "$tmp/$name.$isa" "$m" 7 > "$tmp/log" 2>&1; then
            echo "FAIL $name (aarch64, TFLC_ISA=$isa): $(cat "$tmp/log")"; fail=1; continue
        fi
        used=$(sed -n 's/.*isa \([a-z0-9]*\)$/\1/p' "$tmp/log")
        "$host_run" --compare "$tmp/$name.host" "$tmp/$name.$isa" "$name aarch64 $used vs host ref" || fail=1
    done
    n=$((n + 1))
done
echo "$n model(s) compared"
[ $n -gt 0 ] || skip "no models in $models"
exit $fail
