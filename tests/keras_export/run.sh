#!/bin/bash
# run.sh KERAS_EXPORT TFLC SHARED_DIR
# tools/keras_export writes the example's .h5 / .keras from its TensorFlow.js model; this checks
# (1) the files follow the real Keras layouts (check_layouts.py, against real Keras files in
# SHARED_DIR), (2) the committed examples/fashion_mnist files are what the tool writes today
# (same converted .tflite), (3) tflc converts .h5, .keras and model.json to the same outputs.
# Exit 77 = skipped (no SHARED_DIR) unless TFLC_REQUIRE_SHARED=1.
set -euo pipefail
KX=$1; TFLC=$2; SHARED=$3
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EX=$ROOT/examples/fashion_mnist
if [ ! -d "$SHARED/models/keras" ]; then
  echo "no $SHARED/models/keras"; [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && exit 1; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-kx.XXXXXX"); trap 'rm -rf "$W"' EXIT
"$KX" "$EX/model.json" "$W/m"
/usr/bin/python3 "$ROOT/tests/keras_export/check_layouts.py" "$W/m.h5" "$W/m.keras" "$SHARED"
for f in "$W/m.h5" "$W/m.keras" "$EX/fashion_cnn.h5" "$EX/fashion_cnn.keras" "$EX/model.json"; do
  n=$(basename "$(dirname "$f")")_$(basename "$f"); n=${n//./_}
  "$TFLC" convert "$f" -o "$W/$n.tflite" > /dev/null
  "$TFLC" run "$W/$n.tflite" --random-input --seed 7 --output-dir "$W/$n.out" > /dev/null
done
ref="$W/$(basename "$EX")_model_json.out"
for o in "$W"/*.out; do
  [ "$o" = "$ref" ] && continue
  /usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$o" "$ref" float 1e-6 > "$W/cmp" ||
    { echo "$(basename "$o") differs from model.json's conversion:"; cat "$W/cmp"; exit 1; }
done
echo "ok: layouts match real Keras files; .h5, .keras and model.json convert to the same outputs"
