#!/bin/bash
# run_op_cases.sh OP_CASES_BIN TFLC_BIN [FILTER]
# Writes every single-op case, runs each in Google's TFLite (WASM oracle) and in `tflc run`,
# and compares within the case's tolerance. Cases Google's runtime refuses are listed as
# "oracle-refused" and do not count as passes. Exit 0 only when every case matches.
# Google's runtime runs all cases in one Node process (--batch): loading the WebAssembly
# module once per case dominated the time (20 min for ~1500 cases).
set -u
shopt -s nullglob
GEN=$1; TFLC=$2; FILTER=${3:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ORACLE="$ROOT/tests/oracle/run_tflite_wasm.js"
[ -d "$ROOT/tests/oracle/node_modules" ] || { echo "oracle not installed: run npm ci --prefix tests/oracle"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-opcases.XXXXXX")
trap 'rm -rf "$W"' EXIT
"$GEN" "$W/cases" $FILTER > /dev/null || { echo "case generator failed"; exit 1; }
# One JSON argument list per case (paths come from mktemp and case names: no quotes or spaces).
for d in "$W"/cases/*/; do
  d=${d%/}
  line="[\"$d/model.tflite\""
  for x in "$d"/in*.npy; do [ -f "$x" ] && line="$line,\"--in\",\"$x\""; done
  echo "$line,\"--out-dir\",\"$d/google\"]"
done > "$W/batch.jsonl"
t0=$(date +%s); node "$ORACLE" --batch "$W/batch.jsonl" > "$W/google.log" 2>&1; echo "google runtime: $(( $(date +%s) - t0 )) s for $(wc -l < "$W/batch.jsonl") cases"
pass=0; fail=0; refused=0; refused_list=""
: > "$W/compare.list"
for d in "$W"/cases/*/; do
  d=${d%/}; c=$(basename "$d")
  if ! grep -qx "OK $d/model.tflite" "$W/google.log"; then
    refused=$((refused+1)); refused_list="$refused_list $c"; continue
  fi
  targs=()
  for x in "$d"/in*.npy; do [ -f "$x" ] && targs+=(--input "$x"); done
  if "$TFLC" run "$d/model.tflite" "${targs[@]}" --output-dir "$d/tflc" > "$d/tflc.log" 2>&1; then
    echo "$d/tflc $d/google $(cat "$d/tol.txt")" >> "$W/compare.list"
  else
    fail=$((fail+1)); echo "FAIL $c: tflc run: $(tail -1 "$d/tflc.log" | cut -c1-200)"
  fi
done
# One Python process compares every case (numpy's start-up per case was most of the time).
/usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" --batch "$W/compare.list" > "$W/compare.log" 2>&1
pass=$(grep -c '^PASS ' "$W/compare.log")
nfail=$(grep -c '^FAIL ' "$W/compare.log")
fail=$((fail + nfail))
grep '^FAIL ' "$W/compare.log" | sed "s|$W/cases/||; s|/tflc:|:|" | cut -c1-300
ncmp=$(wc -l < "$W/compare.list")
if [ $((pass + nfail)) -ne "$ncmp" ]; then
  echo "compare_outputs.py answered $((pass + nfail)) of $ncmp cases:"; tail -3 "$W/compare.log"; fail=$((fail+1))
fi
if [ -n "$refused_list" ]; then
  echo "oracle-refused:$refused_list"
  grep '^FAIL' "$W/google.log" | head -5 | cut -c1-300
fi
echo "op cases: $pass passed, $fail failed, $refused refused by Google's runtime"
[ $pass -gt 0 ] && [ $fail -eq 0 ] && [ $refused -eq 0 ]
