#!/bin/bash
# isa_vs_ref.sh TFLC_BIN [OP_CASES_BIN]
# The optimized int8 kernels against the reference ones, run with TFLC_ISA=ref and with every
# other ISA this CPU supports; outputs must be byte-identical (int8 microkernels are bit-exact):
#  - with OP_CASES_BIN: every 8-bit single-op case (*s8*: conv/depthwise/fc edge shapes, padding,
#    strides, dilation, groups, batches, zero points...) on its committed input;
#  - every quantized real model in ../shared (and the MobileNetV2 int8 bench model when built),
#    in both arithmetics (xnnpack, reference), on seeded random inputs.
# Missing ../shared: fails when TFLC_REQUIRE_SHARED=1, skips (exit 77) otherwise.
set -u
TFLC=$1; CASES_BIN=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TFLC_SHARED:-$ROOT/../shared}
if [ ! -d "$SHARED/models" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-isa.XXXXXX")
trap 'rm -rf "$W"' EXIT
models=()
for m in "$SHARED"/models/tflite/*int8*.tflite "$SHARED"/models/tflite/*quant*.tflite \
         "$SHARED"/models/keras/*.ref.int8*.tflite "$(dirname "$TFLC")"/bench/models/*_int8.tflite; do
  [ -f "$m" ] && models+=("$m")
done
isas=()
for i in avx2 avx512 avx512vnni neon neondot; do
  TFLC_ISA=$i "$TFLC" run "${models[0]}" --random-input --output-dir "$W/probe" > "$W/probe.log" 2>&1 &&
    ! grep -qi "not supported\|unavailable" "$W/probe.log" && isas+=("$i")
done
echo "ISAs checked against ref: ${isas[*]:-none}"
n=0; bad=0
if [ -n "$CASES_BIN" ]; then
  "$CASES_BIN" "$W/cases" > /dev/null || { echo "case generator failed"; exit 1; }
  nc=0
  for d in "$W"/cases/*s8*/; do
    d=${d%/}; c=$(basename "$d")
    args=(); for x in "$d"/in*.npy; do args+=(--input "$x"); done
    TFLC_ISA=ref "$TFLC" run "$d/model.tflite" "${args[@]}" --output-dir "$d/ref" > "$W/log" 2>&1 || continue # refusals
    for i in "${isas[@]}"; do
      n=$((n+1)); nc=$((nc+1))
      if ! TFLC_ISA=$i "$TFLC" run "$d/model.tflite" "${args[@]}" --output-dir "$d/$i" > "$W/log" 2>&1 ||
         ! diff -rq "$d/ref" "$d/$i" > /dev/null; then
        echo "FAIL case $c $i: $(tail -1 "$W/log")"; bad=$((bad+1))
      fi
    done
  done
  echo "op cases: $((nc - bad))/$nc identical"
fi
for m in "${models[@]}"; do
  b=$(basename "$m" .tflite)
  for ar in xnnpack reference; do
    TFLC_ISA=ref "$TFLC" run "$m" --random-input --seed 7 --arithmetic $ar --output-dir "$W/$b.$ar.ref" \
      > "$W/log" 2>&1 || { echo "FAIL $b ($ar, ref): $(tail -1 "$W/log")"; bad=$((bad+1)); continue; }
    for i in "${isas[@]}"; do
      n=$((n+1))
      if TFLC_ISA=$i "$TFLC" run "$m" --random-input --seed 7 --arithmetic $ar --output-dir "$W/$b.$ar.$i" \
           > "$W/log" 2>&1 && diff -rq "$W/$b.$ar.ref" "$W/$b.$ar.$i" > /dev/null; then
        echo "ok   $b $ar $i"
      else
        echo "FAIL $b $ar $i: $(tail -1 "$W/log")"; bad=$((bad+1))
      fi
    done
  done
done
echo "isa vs ref: $((n-bad))/$n identical"
[ $bad -eq 0 ] && [ $n -gt 0 ]
