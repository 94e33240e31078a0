#!/bin/bash
# make_corpus.sh BUILD_DIR: regenerates tests/fuzz/corpus/* from files tflc itself writes.
#   - Keras models: tests/keras_layers/gen_cases.js (small TensorFlow.js models, one per layer
#     class / option), rewritten by make_seeds (tfjs, config, stream) and tools/keras_export
#     (.h5 in the tf.keras 2.x layout, .keras in the Keras 3 layout);
#   - .tflite: `tflc convert` of those models (float, float16, dynamic, int8 calibrated on the
#     case's input) and the single-op models of tests/kernels/op_cases;
#   - .npy: op_cases inputs and `tflc run` outputs; idx and images: make_seeds.
# Picks are deterministic (sorted names, fixed strides), so a rerun gives the same corpus as
# long as the generators do not change. Needs node (gen_cases.js) and gzip.
set -euo pipefail
BUILD=$(cd "${1:?usage: make_corpus.sh BUILD_DIR}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
C=$HERE/corpus
T=$(mktemp -d "${TMPDIR:-/tmp}/tflc-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT
TFLC=$BUILD/tflc
SEEDS=$BUILD/tests/fuzz/make_seeds
EXPORT=$BUILD/keras_export
for t in tflite interp h5 keras_zip tfjs json h5_stream npy idx image; do rm -rf "${C:?}/$t"; mkdir -p "$C/$t"; done

node "$ROOT/tests/keras_layers/gen_cases.js" "$T/k" > /dev/null
"$BUILD/tests/kernels/op_cases" "$T/ops" > /dev/null
mapfile -t KC < <(ls "$T/k")
mapfile -t OC < <(ls "$T/ops")

every() { # every STRIDE OFFSET name... -> every STRIDE-th name
  local s=$1 o=$2 i=0; shift 2
  for n in "$@"; do [ $(((i++ - o) % s)) -eq 0 ] && echo "$n"; done; true
}

# Keras: every case as model.json (tfjs) and config; a spread of them as .h5 / .keras / stream.
for c in "${KC[@]}"; do
  mkdir -p "$T/tfjs/$c"
  "$SEEDS" tfjs "$T/k/$c/model.json" "$T/tfjs/$c" 2> /dev/null || continue
  # The fuzz_tfjs shard holds 4 MiB; larger models stay out of that corpus.
  [ "$(stat -c %s "$T/tfjs/$c/group1-shard1of1.bin")" -le 4194304 ] && cp "$T/tfjs/$c/model.json" "$C/tfjs/$c.json"
done
for c in $(every 3 0 "${KC[@]}"); do "$SEEDS" config "$T/k/$c/model.json" "$C/json/$c.json" 2> /dev/null || true; done
for c in $(every 12 1 "${KC[@]}"); do "$SEEDS" stream "$T/k/$c/model.json" "$C/h5_stream/$c.bin" 2> /dev/null || true; done
n=0
for c in $(every 7 2 "${KC[@]}"); do
  "$EXPORT" "$T/k/$c/model.json" "$T/x_$c" > /dev/null 2>&1 || continue
  cp "$T/x_$c.h5" "$C/h5/$c.h5"
  cp "$T/x_$c.keras" "$C/keras_zip/$c.keras"
  n=$((n + 1)); [ $n -ge 24 ] && break
done

# .tflite: converted Keras cases (float, and a quantized variant of some), single-op cases.
i=0
for c in $(every 5 0 "${KC[@]}"); do
  "$TFLC" convert "$T/k/$c/model.json" -o "$T/$c.tflite" > /dev/null 2>&1 || continue
  cp "$T/$c.tflite" "$C/tflite/$c.tflite"
  cp "$T/$c.tflite" "$C/interp/k_$c.tflite"
  mode=(float16 dynamic int8 int16x8)
  q=${mode[$((i++ % 4))]}
  cal=()
  [ "$q" = int8 ] || [ "$q" = int16x8 ] && cal=(--calibration "$T/k/$c/in0.npy")
  if "$TFLC" convert "$T/k/$c/model.json" -o "$T/$c.$q.tflite" --quantize "$q" "${cal[@]}" > /dev/null 2>&1; then
    cp "$T/$c.$q.tflite" "$C/tflite/$c.$q.tflite"
    cp "$T/$c.$q.tflite" "$C/interp/k_$c.$q.tflite"
  fi
done
# One single-op model per op and type family (name up to its second '_'), plus a spread.
declare -A seen
for c in "${OC[@]}"; do
  key=$(echo "$c" | cut -d_ -f1-2)
  [ -n "${seen[$key]:-}" ] && continue
  seen[$key]=1
  cp "$T/ops/$c/model.tflite" "$C/interp/op_$c.tflite"
done
for c in $(every 40 3 "${OC[@]}"); do cp "$T/ops/$c/model.tflite" "$C/tflite/op_$c.tflite"; done

# .npy: one input per (dtype, rank) among the op cases, and a run output.
declare -A nseen
for c in "${OC[@]}"; do
  f=$T/ops/$c/in0.npy
  [ -f "$f" ] || continue
  key=$(head -c 80 "$f" | tr -dc "a-z0-9<|,()' " | sed "s/[0-9]\+/N/g")
  [ -n "${nseen[$key]:-}" ] && continue
  nseen[$key]=1
  [ "$(stat -c %s "$f")" -le 4096 ] && cp "$f" "$C/npy/$c.npy"
done
"$TFLC" run "$C/tflite/$(ls "$C/tflite" | head -1)" --random-input --output-dir "$T/run" > /dev/null
cp "$T/run/out0.npy" "$C/npy/run_out0.npy"

"$SEEDS" idx "$C/idx"
gzip -9 -n -c "$C/idx/images_3x4x4.idx" > "$C/idx/images_3x4x4.idx.gz"
"$SEEDS" images "$C/image"

for t in tflite interp h5 keras_zip tfjs json h5_stream npy idx image; do
  printf '%-10s %4d files %6d KiB\n' "$t" "$(ls "$C/$t" | wc -l)" "$(du -sk "$C/$t" | cut -f1)"
done
