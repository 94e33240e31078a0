#!/bin/bash
# run_cases.sh TFLC_BIN [FILTER...]
# One small Keras model per layer class and option (gen_cases.js, TensorFlow.js references):
# for each case
#   - `tflc convert model.json` must succeed;
#   - `tflc run` and Google's TFLite (tests/oracle, WebAssembly) on the case's inputs must both
#     match the reference outputs within 1e-5 relative (max|d| <= 1e-5 (1 + max|ref|));
#   - where the case lists the operators Google's converter emits (meta.json google_ops), tflc's
#     model has no more operators and no op type outside that list (check_case.py).
# Prints one line per case and "keras layers: N passed, M failed"; exits 1 on any failure.
# Needs `npm ci --prefix tests/keras_layers` and `npm ci --prefix tests/oracle` (scripts/setup.sh).
# TFLC_KL_JOBS sets the number of cases run at once (default 2).
set -u
if [ "${1:-}" = "--one" ]; then :; else
  TFLC=${1:?usage: run_cases.sh TFLC_BIN [FILTER...]}; shift
  [ -x "$TFLC" ] || { echo "run_cases: $TFLC is not an executable"; exit 1; }
  TFLC=$(realpath "$TFLC")
  ROOT=$(cd "$(dirname "$0")/../.." && pwd)
  for d in tests/keras_layers tests/oracle; do
    [ -d "$ROOT/$d/node_modules" ] || { echo "run_cases: $d is not installed: npm ci --prefix $d"; exit 1; }
  done
  W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-klayers.XXXXXX")
  trap 'rm -rf "$W"' EXIT
  t0=$(date +%s%N)
  node "$ROOT/tests/keras_layers/gen_cases.js" "$W/cases" "$@" > "$W/gen.log" 2>&1 || { cat "$W/gen.log"; exit 1; }
  t1=$(date +%s%N)
  export TFLC ROOT
  ls "$W/cases" | xargs -P "${TFLC_KL_JOBS:-2}" -I{} bash "$0" --one "$W/cases/{}" > "$W/results.txt"
  sort -k2 "$W/results.txt"
  t2=$(date +%s%N)
  n=$(ls "$W/cases" | wc -l)
  pass=$(grep -c '^ok ' "$W/results.txt"); fail=$((n - pass))
  echo "generation $(( (t1 - t0) / 1000000 )) ms, conversion and runs $(( (t2 - t1) / 1000000 )) ms"
  echo "keras layers: $pass passed, $fail failed"
  [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
  exit
fi

# ---- one case (run by xargs): prints exactly one line ----
C=$2; b=$(basename "$C")
ins=(); wins=()
for x in "$C"/in*.npy; do ins+=(--input "$x"); wins+=(--in "$x"); done
if ! "$TFLC" convert "$C/model.json" -o "$C/model.tflite" > "$C/convert.log" 2>&1; then
  echo "FAIL $b: convert: $(tail -1 "$C/convert.log" | cut -c1-300)"; exit 0
fi
"$TFLC" run "$C/model.tflite" "${ins[@]}" --output-dir "$C/tflc.tmp" > "$C/run.log" 2>&1 && mv "$C/tflc.tmp" "$C/tflc"
node "$ROOT/tests/oracle/run_tflite_wasm.js" "$C/model.tflite" "${wins[@]}" --out-dir "$C/google.tmp" > "$C/wrun.log" 2>&1 &&
  mv "$C/google.tmp" "$C/google"
"$TFLC" inspect --json "$C/model.tflite" > "$C/inspect.json" 2> /dev/null
/usr/bin/python3 "$ROOT/tests/keras_layers/check_case.py" "$C" "$ROOT/src/base/ops.def" 2>&1 | tail -1
