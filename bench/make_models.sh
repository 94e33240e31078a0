#!/bin/sh
# Builds the benchmark models with tflc's own tools (bench/README.md): each model is made in
# TensorFlow.js' Keras API with seeded random weights (bench/models/make_models.js), saved as a
# TensorFlow.js layers model, and converted by `tflc convert` to a float32 .tflite and to a full
# int8 .tflite (per-channel conv / depthwise weights, int8 input and output, calibrated on
# seeded random inputs). Everything lands in $BUILD/bench/models; nothing is committed.
#
#   bench/make_models.sh [MODEL...]     default: mobilenet_v1 mobilenet_v2 resnet18 ds_cnn lstm
#   env: BUILD (tflc's CMake build dir, default build), CALIB (calibration samples, default 16)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
CALIB=${CALIB:-16}
OUT=$BUILD/bench/models
TFLC=$BUILD/tflc
MODELS=${*:-mobilenet_v1 mobilenet_v2 resnet18 ds_cnn lstm}

if [ ! -x "$TFLC" ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
    cmake --build "$BUILD" -j2 --target tflc
fi
command -v node > /dev/null || { echo "make_models.sh: needs Node.js (scripts/setup.sh installs it)" >&2; exit 1; }
[ -d bench/models/node_modules/@tensorflow/tfjs ] || npm ci --prefix bench/models --no-audit --no-fund --loglevel=error

mkdir -p "$OUT"
# tfjs prints a hint about its native backend on start-up; show only our lines
if ! node bench/models/make_models.js "$OUT" $MODELS --calib "$CALIB" > "$OUT/make_models.log" 2>&1; then
    cat "$OUT/make_models.log" >&2
    exit 1
fi
grep -v -e '^=*$' -e 'tfjs-node' -e 'Hi, looks like' "$OUT/make_models.log" || true
for m in $MODELS; do
    "$TFLC" convert "$OUT/$m/model.json" -o "$OUT/${m}_f32.tflite"
    "$TFLC" convert "$OUT/$m/model.json" -o "$OUT/${m}_int8.tflite" --quantize int8 \
        --calibration "$OUT/${m}_calib.npy" --calibration-samples "$CALIB" --input-type int8 --output-type int8
done
echo "models in $OUT"
