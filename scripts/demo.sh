#!/bin/bash
# tflc's main job on the example the repo makes itself (until the Keras converter lands, the
# example is a small model written by tflc's own .tflite builder): inspect it, rewrite it
# canonically, run it with tflc's runtime and with Google's TFLite runtime, and compare.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/tflc-demo.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$BUILD/tests/kernels/op_cases" "$T/cases" add_f32_bcast_both > /dev/null
M=$T/cases/add_f32_bcast_both
echo "== tflc inspect (example model built by tflc's own writer)"
"$BUILD/tflc" inspect "$M/model.tflite"
echo
echo "== tflc convert (canonical rewrite through tflc's flatbuffer builder)"
"$BUILD/tflc" convert "$M/model.tflite" -o "$T/example.tflite"
echo
echo "== tflc run vs Google's TFLite runtime (WebAssembly build, npm @tensorflow/tfjs-tflite)"
"$BUILD/tflc" run "$T/example.tflite" --input "$M/in0.npy" --input "$M/in1.npy" --output-dir "$T/tflc"
node "$ROOT/tests/oracle/run_tflite_wasm.js" "$T/example.tflite" --in "$M/in0.npy" --in "$M/in1.npy" --out-dir "$T/google"
/usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$T/tflc" "$T/google" float 1e-6
