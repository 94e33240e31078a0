#!/bin/bash
# golden_models.sh TFLC_BIN [FILTER]
# Runs `tflc run` on every real model in ../shared/models/tflite and every *.ref*.tflite in
# ../shared/models/keras that has golden data (../shared/golden/{tflite,keras_ref_tflite}/<model>)
# and compares with the outputs of Google's TFLite runtime recorded there: float within 1e-5
# relative (max|d| <= 1e-5 (1 + max|ref|)), integers within 1 LSB.
# Missing ../shared: fails when TFLC_REQUIRE_SHARED=1, skips (exit 77) otherwise.
set -u
TFLC=$1; FILTER=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TFLC_SHARED:-$ROOT/../shared}
if [ ! -d "$SHARED/models" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-golden.XXXXXX")
trap 'rm -rf "$W"' EXIT
n=0; ok=0; bad=""
for m in "$SHARED"/models/tflite/*.tflite "$SHARED"/models/keras/*.tflite; do
  b=$(basename "$m" .tflite)
  [ -n "$FILTER" ] && [[ "$b" != *"$FILTER"* ]] && continue
  g=""
  for d in "$SHARED/golden/tflite/$b" "$SHARED/golden/keras_ref_tflite/$b"; do [ -f "$d/out0.npy" ] && g=$d; done
  [ -n "$g" ] || continue
  n=$((n+1))
  args=(); for x in "$g"/in*.npy; do args+=(--input "$x"); done
  if "$TFLC" run "$m" "${args[@]}" --output-dir "$W/$b" > "$W/$b.log" 2>&1 &&
     /usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$W/$b" "$g" float 1e-5 int 1 0 > "$W/$b.cmp" 2>&1; then
    ok=$((ok+1)); echo "ok   $b ($(grep -o 'maxdiff [^ ]*' "$W/$b.cmp" | head -1))"
  else
    bad="$bad $b"; echo "FAIL $b: $(tail -1 "$W/$b.log" | cut -c1-240) $(grep BAD "$W/$b.cmp" 2>/dev/null | head -1)"
  fi
done
echo "golden models: $ok/$n match Google's TFLite"
[ $ok -eq $n ] && [ $n -gt 0 ]
