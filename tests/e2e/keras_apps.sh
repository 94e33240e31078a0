#!/bin/bash
# keras_apps.sh TFLC: the canonical keras.applications architectures (MobileNet v1 / v2, ResNet50,
# built by ../shared/check/lib/fake_keras.py through Debian's python3-keras-applications with seeded
# random weights, written as a Keras 2 .h5 by h5py) convert, and Google's TFLite runtime gives
# tflc's outputs on them (float32, 1e-4 relative). No Keras reference runs here (this machine's
# ../shared has no oracle/keras_ref); the shared models' Keras outputs are checked by keras_models.sh.
set -u
TFLC=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TFLC_SHARED:-$ROOT/../shared}
PY=/usr/bin/python3
FK=$SHARED/check/lib/fake_keras.py
if [ ! -f "$FK" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-kapps.XXXXXX"); trap 'rm -rf "$W"' EXIT
n=0; ok=0
for spec in "mobilenet_v2 96 0.5" "mobilenet 128 0.25" "resnet50 64 1.0"; do
  set -- $spec; b=$1; n=$((n+1))
  if ! $PY "$FK" "$1" "$W/$b.h5" --size "$2" --alpha "$3" --seed 5 > "$W/$b.gen" 2>&1; then
    echo "FAIL $b: fake_keras.py: $(tail -1 "$W/$b.gen")"; continue; fi
  if ! "$TFLC" convert "$W/$b.h5" -o "$W/$b.tflite" > "$W/$b.log" 2>&1; then echo "FAIL $b: $(tail -1 "$W/$b.log")"; continue; fi
  $PY -c "import numpy as np; np.save('$W/$b.in.npy', np.random.default_rng(5).uniform(-1, 1, (1, $2, $2, 3)).astype(np.float32))"
  if "$TFLC" run "$W/$b.tflite" --input "$W/$b.in.npy" --output-dir "$W/$b.ours" > /dev/null 2>&1 &&
     node "$ROOT/tests/oracle/run_tflite_wasm.js" "$W/$b.tflite" --in "$W/$b.in.npy" --out-dir "$W/$b.google" > /dev/null 2>&1 &&
     $PY "$ROOT/tests/tools/compare_outputs.py" "$W/$b.ours" "$W/$b.google" float 1e-4 int 0 1 > "$W/$b.cmp" 2>&1; then
    ok=$((ok+1)); echo "ok   $b ($2x$2, alpha $3): $(tail -1 "$W/$b.log" | grep -o '[0-9]* layers -> [0-9]* ops'), Google's runtime agrees"
  else echo "FAIL $b: $(grep BAD "$W/$b.cmp" 2>/dev/null | head -1)"; fi
done
echo "keras.applications architectures converted and run as Google's runtime does: $ok/$n"
[ "$ok" -eq "$n" ]
