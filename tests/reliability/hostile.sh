#!/bin/bash
# hostile.sh TFLC CRAFT_HOSTILE: one hostile input per limit and per error (craft_hostile.c
# writes them), each through the command that reads it. For every case: the exit status (1 bad
# input, 2 bad usage, 0 for the controls), the one-line message `tflc: error: FILE: what`, and
# that nothing was written: the output folder holds no output and no temporary file.
set -u
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
TFLC=$(abs "$1") CRAFT=$(abs "$2")
T=$(mktemp -d "${TMPDIR:-/tmp}/tflc-hostile.XXXXXX")
trap 'rm -rf "$T"' EXIT
H=$T/h O=$T/out
"$CRAFT" "$H" || { echo "craft_hostile failed"; exit 1; }
cd "$H" || exit 1
pass=0 fail=0

# expect RC FILE REGEX -- ARGS...: runs tflc ARGS with an empty $O and checks.
expect() {
  local rc=$1 file=$2 re=$3
  shift 4
  rm -rf "$O"; mkdir -p "$O"
  "$TFLC" "$@" > "$T/stdout" 2> "$T/stderr"
  local got=$? bad=""
  [ "$got" -eq "$rc" ] || bad="exit status $got, expected $rc"
  if [ "$rc" -ne 0 ]; then
    local first; first=$(head -1 "$T/stderr")
    if [ -n "$file" ]; then
      [[ "$first" =~ ^"tflc: error: $file: "$re ]] || bad="$bad; message '$first' does not match 'tflc: error: $file: $re'"
    else
      [[ "$first" =~ ^"tflc: error: "$re ]] || bad="$bad; message '$first' does not match 'tflc: error: $re'"
    fi
    grep -qv '^tflc: error: ' "$T/stderr" && bad="$bad; stderr has other lines: $(grep -v '^tflc: error: ' "$T/stderr" | head -2)"
    [ -z "$(ls -A "$O")" ] || bad="$bad; left behind: $(ls -A "$O" | tr '\n' ' ')"
  fi
  if [ -n "$bad" ]; then
    fail=$((fail + 1)); echo "FAIL tflc $*: $bad"
  else
    pass=$((pass + 1))
  fi
}
conv() { expect "$1" "$2" "$3" -- convert "$2" -o "$O/model.tflite"; }

# ---- controls: the same model, every format, converts ----
conv 0 ok.h5 "" ; conv 0 ok.keras ""; conv 0 ok.json ""

# ---- Keras .h5: limits ----
conv 1 file_too_big.h5 "file of 2147483649 bytes exceeds the 2147483648-byte limit"
conv 1 json_too_deep.h5 "model_config: JSON nested deeper than 200 levels"
conv 1 nested_too_deep.h5 "models nested deeper than 32"
conv 1 huge_units.h5 "layer 'out' \(Dense\): 'units' must be an integer in \[1, 16777216\]"
conv 1 weight_too_many_elements.h5 "weight 'dense/kernel:0' has 4294967296 elements, over the limit of 268435456"
conv 1 weight_not_stored.h5 "weight 'dense/kernel:0' declares 268435456 bytes but the file stores 0"
conv 1 weight_deflate_bomb.h5 "weight 'dense/kernel:0' declares 67108864 bytes from [0-9]+ compressed bytes \(over 64x\): refused as a decompression bomb"
conv 1 weight_external_storage.h5 "weight 'dense/kernel:0' keeps its data outside the file \(external or virtual storage\): refused"
conv 1 layer_external_link.h5 "layer 'out' is not a group \(or links outside the file\)"
# ---- Keras .h5: errors naming the layer or weight ----
conv 1 no_config.h5 "the file has no model config"
conv 1 bad_json.h5 "model_config: not valid JSON \(at byte [0-9]+\)"
conv 1 class_not_string.h5 "1 unsupported layer: \? \(no class_name\)"
conv 1 duplicate_names.h5 "model 'seq': two layers are named 'dense'"
conv 1 wrong_shape.h5 "layer 'dense' \(Dense\): weight 'dense/kernel:0' has shape \[6\], the config implies \[4,3\]"
conv 1 missing_weight.h5 "weight 'dense/bias:0' is missing"
conv 1 extra_weight.h5 "layer 'dense' \(Dense\): the file holds 2 weights for this layer, its config uses 1 \(unused: 'dense/bias:0'\)"
conv 1 weights_missing_layer.h5 "layer 'last' \(Dense\): weight 0 \(kernel\) is missing: the file holds 0 weights for this layer"
conv 1 weights_of_unknown_layer.h5 "the weights hold layer 'ghost', which the model config does not have"
conv 1 weight_not_numeric.h5 "weight 'dense/kernel:0' is neither float nor integer"

# ---- Keras 3 .keras (zip) ----
conv 1 config_bomb.keras "zip entry 'config.json' unpacks to 83886082 bytes, over the 67108864-byte limit"
conv 1 weights_size_lie.keras "zip entry 'model.weights.h5' unpacks to 3221225472 bytes, over the 2147483648-byte limit"
conv 1 config_size_short.keras "zip entry 'config.json' (holds more than its declared size|is corrupt)"
conv 1 too_many_entries.keras "zip has 10001 entries, the limit is 10000"
conv 1 config_too_deep.keras "config.json: JSON nested deeper than 200 levels"
conv 1 config_not_json.keras "config.json: not valid JSON"
conv 1 no_weights.keras "the .keras zip has no model.weights.h5"
conv 1 no_config.keras "the .keras zip has no config.json"

# ---- TensorFlow.js ----
conv 1 cycle.json "output 'out' cannot be computed: layers 'dense', 'out' wait on each other \(a cycle\)"
conv 1 dangling.json "layer 'out' reads from 'ghost' node 0, which does not exist"
conv 1 node_index_huge.json "layer 'out': malformed inbound_nodes"
conv 1 shard_path_traversal.json "weightsManifest\[0\]: shard path must be a plain file name"
conv 1 shard_path_absolute.json "weightsManifest\[0\]: shard path must be a plain file name"
conv 1 shard_missing.json "weight shard 'nope.bin': cannot open: No such file or directory"
conv 1 shards_too_short.json "weightsManifest\[0\].weights\[3\] 'out/bias': bad shape/dtype or the shards are too short"

# ---- .tflite through inspect, run, convert ----
"$TFLC" convert ok.json -o good.tflite > /dev/null && "$TFLC" convert two_outputs.json -o two.tflite > /dev/null &&
  "$TFLC" convert huge_input.json -o huge.tflite > /dev/null || { echo "FAIL: cannot write the .tflite cases"; exit 1; }
head -c 100 good.tflite > truncated.tflite
: > empty.tflite
printf 'xxxxTFL3' > big.tflite && truncate -s $(((4 << 30) + 1)) big.tflite
for f in truncated.tflite empty.tflite; do
  expect 1 "$f" ".+" -- inspect "$f"
  expect 1 "$f" ".+" -- run "$f" --random-input --output-dir "$O"
  conv 1 "$f" ".+"
done
expect 1 big.tflite "file of 4294967297 bytes exceeds the 4294967296-byte limit" -- inspect big.tflite
expect 1 big.tflite "file of 4294967297 bytes exceeds the 4294967296-byte limit" -- run big.tflite --random-input --output-dir "$O"
expect 1 huge.tflite "tensor 0 'input' alone needs more than 1073741824 bytes, the arena limit" -- run huge.tflite --random-input --output-dir "$O"
expect 0 "" "" -- run good.tflite --random-input --output-dir "$O"
# run: one output cannot be written (out1.npy is a folder): no out0.npy either.
rm -rf "$O"; mkdir -p "$O/out1.npy"
"$TFLC" run two.tflite --random-input --output-dir "$O" > /dev/null 2> "$T/stderr"
if [ $? -eq 1 ] && [ "$(ls -A "$O")" = out1.npy ] && grep -q "^tflc: error: $O/out1.npy: is a folder; nothing written" "$T/stderr"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL run with an unwritable second output: left $(ls -A "$O" | tr '\n' ' '), $(head -1 "$T/stderr")"
fi
# run: bad .npy inputs.
"$TFLC" run good.tflite --random-input --output-dir "$T/ref" > /dev/null
head -c 60 "$T/ref/out0.npy" > short.npy
expect 1 short.npy "npy: data has [0-9]+ bytes, the header's shape needs [0-9]+|truncated .npy header" -- run good.tflite --input short.npy --output-dir "$O"
expect 1 "$T/ref/out0.npy" "holds [0-9]+ elements, model input 0 'input' needs a multiple of 4" -- run good.tflite --input "$T/ref/out0.npy" --output-dir "$O"

# ---- outputs: never over an input, never half written ----
cp good.tflite in.tflite
expect 1 in.tflite "refusing to overwrite the input model" -- convert in.tflite -o in.tflite
ln -sf in.tflite link.tflite
expect 1 link.tflite "refusing to overwrite the input model" -- convert in.tflite -o link.tflite
cmp -s in.tflite good.tflite && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the input model changed"; }
"$TFLC" run good.tflite --random-input --output-dir "$T/cal" > /dev/null
expect 1 "$T/cal/out0.npy" "refusing to overwrite calibration data" -- convert ok.json -o "$T/cal/out0.npy" --quantize int8 --calibration "$T/cal/out0.npy"
expect 1 ok.json "the report would overwrite the input model" -- convert ok.json -o "$O/q.tflite" --quantize int8 --calibration "$T/cal/out0.npy" --report ok.json
mkdir -p "$O"
expect 1 "$O" "is a folder; nothing written" -- convert ok.json -o "$O"
expect 1 "$T/missing/dir/x.tflite" "cannot create a temporary file next to it: No such file or directory" -- convert ok.json -o "$T/missing/dir/x.tflite"
# a failed convert leaves an existing output as it was
printf 'previous' > "$T/prev.tflite"
"$TFLC" convert wrong_shape.h5 -o "$T/prev.tflite" > /dev/null 2>&1
[ "$(cat "$T/prev.tflite")" = previous ] && [ -z "$(ls "$T" | grep 'prev.tflite.tmp')" ] && pass=$((pass + 1)) ||
  { fail=$((fail + 1)); echo "FAIL: a refused convert changed the existing output"; }

# ---- calibration data ----
mkdir -p imgs && printf 'not an image' > imgs/a.png
expect 1 imgs/a.png "not a readable PNG or JPEG image" -- convert ok.json -o "$O/q.tflite" --quantize int8 --calibration imgs
printf '\0\0\x08\x01\0\0\0\x09abc' > bad.idx
expect 1 bad.idx "idx header says 9 values, the file holds 3" -- convert ok.json -o "$O/q.tflite" --quantize int8 --calibration bad.idx

# ---- bad usage: exit 2 ----
expect 2 "" "unknown option '--frobnicate'" -- convert ok.json -o "$O/x.tflite" --frobnicate
expect 2 "" "no output given" -- convert ok.json
expect 2 "" "unknown command 'frobnicate'" -- frobnicate

echo "hostile inputs: $pass passed, $fail failed"
[ $fail -eq 0 ]
