#!/bin/bash
# keras_models.sh TFLC_BIN [FILTER]
# Every Keras model in ../shared/models/keras with golden outputs (../shared/golden/keras/<m>):
#   - converts with `tflc convert` (a model with a Lambda layer must be refused, naming the layer,
#     with no output file);
#   - the result run by `tflc run` and by Google's TFLite (tests/oracle) matches the Keras
#     reference outputs within 1e-5 relative (max|d| <= 1e-5 (1 + max|ref|));
#   - where Google's converter made <m>.ref.tflite, ours has no more operators and no op type
#     Google's lacks.
# Missing ../shared: fails when TFLC_REQUIRE_SHARED=1, skips (77) otherwise.
set -u
TFLC=$1; FILTER=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TFLC_SHARED:-$ROOT/../shared}
if [ ! -d "$SHARED/models/keras" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
[ -d "$ROOT/tests/oracle/node_modules" ] || { echo "oracle not installed: npm ci --prefix tests/oracle"; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-keras.XXXXXX")
trap 'rm -rf "$W"' EXIT
n=0; ok=0; bad=""
ops_of() { "$TFLC" inspect --json "$1" | /usr/bin/python3 -c 'import json,sys; print(" ".join(o["op"] for o in json.load(sys.stdin)["subgraphs"][0]["operators"]))'; }
for f in "$SHARED"/models/keras/*.h5 "$SHARED"/models/keras/*.keras; do
  [ -f "$f" ] || continue
  b=$(basename "$f"); b=${b%.*}
  [ -n "$FILTER" ] && [[ "$b" != *"$FILTER"* ]] && continue
  g=$SHARED/golden/keras/$b
  [ -d "$g" ] || continue
  n=$((n+1))
  if grep -qi lambda "$g/export.json" 2>/dev/null; then
    if ! "$TFLC" convert "$f" -o "$W/$b.tflite" > "$W/$b.log" 2>&1 && grep -qi "lambda" "$W/$b.log" && [ ! -e "$W/$b.tflite" ]; then
      ok=$((ok+1)); echo "ok   $b (refused: $(head -c 150 "$W/$b.log"))"
    else bad="$bad $b"; echo "FAIL $b: a Lambda model must be refused clearly with no output"; fi
    continue
  fi
  if ! "$TFLC" convert "$f" -o "$W/$b.tflite" > "$W/$b.log" 2>&1; then bad="$bad $b"; echo "FAIL $b: $(tail -1 "$W/$b.log" | cut -c1-300)"; continue; fi
  targs=(); wargs=(); i=0
  # Inputs are cast to the model's input dtype (integer ids for Embedding models may be
  # float32 inputs in the converted model, as the Keras InputLayer declares).
  for x in "$g"/in*.npy; do
    /usr/bin/python3 - "$TFLC" "$W/$b.tflite" "$x" "$W/$b.in$i.npy" "$i" <<'PY'
import json, subprocess, sys
import numpy as np
tflc, model, src, dst, i = sys.argv[1:6]
info = json.loads(subprocess.check_output([tflc, "inspect", "--json", model]))
sg = info["subgraphs"][0]
dt = sg["tensors"][sg["inputs"][int(i)]]["dtype"]
np.save(dst, np.load(src).astype({"FLOAT32": np.float32, "INT32": np.int32, "INT64": np.int64}[dt]))
PY
    targs+=(--input "$W/$b.in$i.npy"); wargs+=(--in "$W/$b.in$i.npy"); i=$((i+1))
  done
  msg=""
  if ! "$TFLC" run "$W/$b.tflite" "${targs[@]}" --output-dir "$W/$b.tflc" > "$W/$b.run" 2>&1; then msg="tflc run: $(tail -1 "$W/$b.run")"
  elif ! /usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$W/$b.tflc" "$g" float 1e-5 > "$W/$b.c1" 2>&1; then msg="tflc vs keras: $(cat "$W/$b.c1")"
  elif ! node "$ROOT/tests/oracle/run_tflite_wasm.js" "$W/$b.tflite" "${wargs[@]}" --out-dir "$W/$b.google" > "$W/$b.wrun" 2>&1; then msg="google run: $(tail -1 "$W/$b.wrun")"
  elif ! /usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$W/$b.google" "$g" float 1e-5 > "$W/$b.c2" 2>&1; then msg="google vs keras: $(cat "$W/$b.c2")"
  fi
  ref=$SHARED/models/keras/$b.ref.tflite
  if [ -z "$msg" ] && [ -f "$ref" ]; then
    ours=$(ops_of "$W/$b.tflite"); theirs=$(ops_of "$ref")
    no=$(wc -w <<< "$ours"); nr=$(wc -w <<< "$theirs")
    [ "$no" -le "$nr" ] || msg="$no ops, Google's converter made $nr"
    for o in $ours; do grep -qw "$o" <<< "$theirs" || msg="$msg op $o not in Google's model"; done
  fi
  if [ -z "$msg" ]; then ok=$((ok+1)); echo "ok   $b ($(grep -o 'maxdiff [^ ]*' "$W/$b.c1" | head -1); $(wc -w <<< "$(ops_of "$W/$b.tflite")") ops)"
  else bad="$bad $b"; echo "FAIL $b: $msg" | cut -c1-400; fi
done
echo "keras models: $ok/$n convert and match the Keras reference in tflc and in Google's TFLite"
[ $ok -eq $n ] && [ $n -gt 0 ]
