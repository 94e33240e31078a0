#!/bin/bash
# tflc's main job on the bundled example: the Fashion-MNIST CNN in examples/fashion_mnist
# (trained with TensorFlow.js' Keras API by tools/train, also saved as Keras .h5 and .keras by
# tools/keras_export) is converted to float32, float16, dynamic-range int8 and full int8
# (uint8 I/O, 100 calibration images), checked against Google's TFLite runtime, and compared
# on the 10,000 Fashion-MNIST test images: file size, top-1 accuracy, latency.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EX=$ROOT/examples/fashion_mnist
OUT=$BUILD/demo
DATA=/usr/share/datasets/fashion-mnist
mkdir -p "$OUT"
T=$BUILD/tflc
echo "== the Keras model (examples/fashion_mnist/fashion_cnn.h5)"
"$T" inspect "$EX/fashion_cnn.h5"
echo
echo "== tflc convert: Keras -> TFLite, four ways"
"$T" convert "$EX/fashion_cnn.h5" -o "$OUT/fashion_float32.tflite"
"$T" convert "$EX/fashion_cnn.keras" -o "$OUT/fashion_float16.tflite" --quantize float16
"$T" convert "$EX/model.json" -o "$OUT/fashion_dynamic.tflite" --quantize dynamic
"$T" convert "$EX/fashion_cnn.h5" -o "$OUT/fashion_int8.tflite" --quantize int8 \
    --calibration "$DATA/train-images-idx3-ubyte.gz" --scale 0.00392156862745098 --calibration-samples 100 \
    --input-type uint8 --output-type uint8 --report "$OUT/fashion_int8_report.html"
echo
echo "== Google's TFLite runtime gives the same outputs as tflc (first 20 test images, int8 model)"
/usr/bin/python3 - "$DATA/t10k-images-idx3-ubyte.gz" "$OUT/test20_u8.npy" <<'PY'
import gzip, sys
import numpy as np
x = np.frombuffer(gzip.open(sys.argv[1]).read(), np.uint8, offset=16).reshape(-1, 28, 28, 1)[:20]
np.save(sys.argv[2], x)  # uint8 input: scale 1/255, zero point 0 = the raw pixels
PY
"$T" run "$OUT/fashion_int8.tflite" --input "$OUT/test20_u8.npy" --output-dir "$OUT/tflc_out" > /dev/null
node "$ROOT/tests/oracle/run_tflite_wasm.js" "$OUT/fashion_int8.tflite" --in "$OUT/test20_u8.npy" --out-dir "$OUT/google_out" > /dev/null
/usr/bin/python3 "$ROOT/tests/tools/compare_outputs.py" "$OUT/tflc_out" "$OUT/google_out" int 0 1
echo
echo "== accuracy, size and latency on the 10,000 Fashion-MNIST test images"
"$T" eval "$OUT/fashion_float32.tflite" "$OUT/fashion_float16.tflite" "$OUT/fashion_dynamic.tflite" "$OUT/fashion_int8.tflite" \
    --data "$DATA/t10k-images-idx3-ubyte.gz" --labels "$DATA/t10k-labels-idx1-ubyte.gz" --scale 0.00392156862745098
echo
echo "models and the int8 quantization report (per-layer SQNR) are in $OUT"
