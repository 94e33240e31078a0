#!/bin/bash
# run_mutants.sh prefixes|tflite|keras CLI_MUTANTS SECONDS: picks the models and counts for
# cli_mutants (see cli_mutants.c); SECONDS bounds the run.
#   prefixes  every prefix of small models tflc wrote (tests/fuzz/corpus: two .tflite and a
#             TensorFlow.js model.json with its shard; of a Keras 2 .h5 and a Keras 3 .keras, every
#             prefix up to 1 KiB and 61 more cuts): ~6,500 inputs
#   tflite    ~16,000 seeded mutants of 8 real .tflite models from ../shared ($TFLC_SHARED)
#   keras     300 seeded mutants of each of 5 real Keras models (.h5, .keras) from ../shared
# The mutant sets are skipped (77) without ../shared, unless TFLC_REQUIRE_SHARED=1.
set -euo pipefail
MODE=$1 BIN=$2 SECS=$3
HERE=$(cd "$(dirname "$0")" && pwd)
C=$HERE/../fuzz/corpus
# Memory-backed scratch when there is one: run and convert fsync what they write.
[ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
T=$(mktemp -d "${TMPDIR:-/tmp}/tflc-rel.XXXXXX")
trap 'rm -rf "$T"' EXIT
if [ "$MODE" = prefixes ]; then
  mkdir -p "$T/tfjs"
  cp "$C/tfjs/conv2d_relu.json" "$T/tfjs/model.json"
  head -c 4194304 /dev/zero > "$T/tfjs/group1-shard1of1.bin" # the shard the corpus manifests name
  # Every prefix of the .tflite models and the model.json; of the Keras containers (each cut is a
  # sandboxed libhdf5 run) every prefix up to 1 KiB, then 61 evenly spaced cuts.
  "$BIN" --prefixes --seconds "$SECS" "$C/tflite/conv2d_relu_maxpool.tflite" "$C/tflite/dense_act_softsign.int8.tflite" \
    "$T/tfjs/model.json" || exit 1
  exec "$BIN" --prefixes --prefix-bytes 1024 --seconds "$SECS" "$C/h5/conv2d_relu.h5" "$C/keras_zip/conv2d_relu.keras"
fi
S=${TFLC_SHARED:-$HERE/../../../shared}
if [ ! -d "$S/models" ]; then
  echo "run_mutants: no ../shared models at $S"
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && exit 1
  exit 77
fi
M=$S/models
# Counts per model: ~16,000 in all, fewer for models whose mutants run long (most mutants still
# verify, and then run the whole model).
if [ "$MODE" = tflite ]; then
  exec "$BIN" --seed 6 --seconds "$SECS" \
    "$M/tflite/tfmicro_micro_speech_quantized.tflite@4000" "$M/tflite/tfmicro_mnist_lstm_float.tflite@3000" \
    "$M/tflite/tfmicro_mnist_lstm_int8.tflite@3000" "$M/tflite/tfmicro_hello_world_float.tflite@2500" \
    "$M/tflite/tfmicro_keyword_scrambled.tflite@2000" "$M/tflite/mlctiny_kws_dscnn_int8.tflite@1000" \
    "$M/tflite/mlctiny_resnet8_int8.tflite@300" "$M/tflite/mediapipe_face_detection_short_range_fp16.tflite@150"
fi
exec "$BIN" --mutations 300 --seed 7 --seconds "$SECS" \
  "$M/keras/icu_mlp.h5" "$M/keras/gan1d_nested.h5" "$M/keras/mlp_mnist.keras" "$M/keras/conv1d_seq.h5" "$M/keras/mnist_cnn.keras"
