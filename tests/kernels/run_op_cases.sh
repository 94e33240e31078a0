#!/bin/bash
# run_op_cases.sh OP_CASES_BIN TFLC_BIN [FILTER]
# Writes every single-op case, runs each in Google's TFLite (WASM oracle) and in `tflc run`,
# and compares within the case's tolerance. Cases Google's runtime refuses are listed as
# "oracle-refused" and do not count as passes. Exit 0 only when every case matches.
set -u
GEN=$1; TFLC=$2; FILTER=${3:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ORACLE="$ROOT/tests/oracle/run_tflite_wasm.js"
[ -d "$ROOT/tests/oracle/node_modules" ] || { echo "oracle not installed: run npm ci --prefix tests/oracle"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-opcases.XXXXXX")
trap 'rm -rf "$W"' EXIT
"$GEN" "$W/cases" $FILTER > /dev/null || { echo "case generator failed"; exit 1; }
pass=0; fail=0; refused=0; failed_list=""; refused_list=""
for d in "$W"/cases/*/; do
  c=$(basename "$d")
  args=(); targs=()
  for x in "$d"/in*.npy; do [ -f "$x" ] && args+=(--in "$x") && targs+=(--input "$x"); done
  if ! node "$ORACLE" "$d/model.tflite" "${args[@]}" --out-dir "$d/google" > "$d/google.log" 2>&1; then
    refused=$((refused+1)); refused_list="$refused_list $c"; continue
  fi
  if "$TFLC" run "$d/model.tflite" "${targs[@]}" --output-dir "$d/tflc" > "$d/tflc.log" 2>&1 &&
     /usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$d/tflc" "$d/google" $(cat "$d/tol.txt") > "$d/cmp.log" 2>&1; then
    pass=$((pass+1))
  else
    fail=$((fail+1)); failed_list="$failed_list $c"
    echo "FAIL $c: $(tail -1 "$d/tflc.log" | cut -c1-200) $(grep BAD "$d/cmp.log" 2>/dev/null | head -2 | tr '\n' ' ')"
  fi
done
[ -n "$refused_list" ] && echo "oracle-refused:$refused_list"
echo "op cases: $pass passed, $fail failed, $refused refused by Google's runtime"
[ $fail -eq 0 ] && [ $refused -eq 0 ]
