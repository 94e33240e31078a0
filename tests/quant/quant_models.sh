#!/bin/bash
# quant_models.sh TFLC_BIN [FILTER]
# Post-training quantization of the shared Keras models (and tests/quant/make_models.js's) in every mode (float16, dynamic, int8
# with float / int8 / uint8 I/O, int16x8), on calibration / evaluation data made by
# ../shared/check/lib/make_qdata.py (Fashion-MNIST images, or seeded uniform samples):
#   - the quantized model stays close to the float one on 200 evaluation samples
#     (top-1 agreement and SQNR thresholds per mode);
#   - Google's TFLite runtime gives the same outputs as `tflc run` on the quantized file
#     (float outputs within 2e-2 relative, integer within 2 LSB / 90% exact);
#   - where Google's converter made the same mode (<m>.ref.float16|dynamic|int8|int8_floatio),
#     ours is at most 3% larger and at least as faithful (agreement - 1 point, SQNR - 1 dB).
# Missing ../shared: fails when TFLC_REQUIRE_SHARED=1, skips (77) otherwise.
set -u
TFLC=$1; FILTER=${2:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=${TFLC_SHARED:-$ROOT/../shared}
PY=/usr/bin/python3
if [ ! -d "$SHARED/models/keras" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-quant.XXXXXX")
trap 'rm -rf "$W"' EXIT
$PY "$SHARED/check/lib/make_qdata.py" "$W/data" > /dev/null || { echo "cannot make calibration data"; exit 1; }
ORACLE="node $ROOT/tests/oracle/run_tflite_wasm.js"
metrics() { # model float_out quant_out -> "agree sqnr"
  $PY - "$TFLC" "$1" "$2" "$3" <<'PY'
import json, subprocess, sys
import numpy as np
tflc, model, fo, qo = sys.argv[1:5]
j = json.loads(subprocess.check_output([tflc, "inspect", "--json", model]))
sg = j["subgraphs"][0]; t = sg["tensors"][sg["outputs"][0]]; q = t["quantization"]
F = np.load(fo).astype(np.float64); Q = np.load(qo)
Q = (Q.astype(np.float64) - q["zero_point"][0]) * q["scale"][0] if Q.dtype.kind in "iu" and q else Q.astype(np.float64)
n = F.shape[0]; F = F.reshape(n, -1); Q = Q.reshape(n, -1)
probs = F.shape[1] > 1 and F.min() >= 0 and np.allclose(F.sum(1), 1, atol=1e-3)
agree = float((F.argmax(1) == Q.argmax(1)).mean()) if probs else -1.0
err = ((F - Q) ** 2).sum(); sq = 10 * np.log10((F ** 2).sum() / err) if err > 0 else 99.0
print(f"{agree:.3f} {sq:.1f}")
PY
}
cast_in() { # model in.npy out.npy: float data -> the model's input dtype (quantized with its params)
  $PY - "$TFLC" "$1" "$2" "$3" <<'PY'
import json, subprocess, sys
import numpy as np
tflc, model, src, dst = sys.argv[1:5]
j = json.loads(subprocess.check_output([tflc, "inspect", "--json", model]))
sg = j["subgraphs"][0]; t = sg["tensors"][sg["inputs"][0]]; q = t["quantization"]
X = np.load(src)
dt = {"FLOAT32": np.float32, "INT8": np.int8, "UINT8": np.uint8, "INT16": np.int16}[t["dtype"]]
if dt != np.float32:
    i = np.iinfo(dt); X = np.clip(np.round(X / q["scale"][0]) + q["zero_point"][0], i.min, i.max)
np.save(dst, X.astype(dt))
PY
}
ge() { $PY -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$1" "$2"; }
n=0; ok=0; bad=""; known=0
# Known limits: model.mode pairs below the fixed thresholds above for reasons measured and
# written down in docs/quantization.md ("Known limits"). Each keeps a floor just under what tflc
# reaches today (SQNR dB, agreement): the pair fails if it falls below the floor or if Google's
# runtime disagrees with tflc on it; it counts as passing once it meets the normal thresholds.
# da2so ResNet-18 int16x8 passes (36.5 dB, 0.995) but one sample of 200 above the agreement
# threshold; MLPerf ResNet-8 int16x8 passes by default (39.0 dB, 0.990, its last block kept in
# float by the automatic fallback) and is 34.6 dB / 0.985 fully int16x8: the floors hold the
# fully-integer GPTQ figures. MNIST CNN int16x8 sits at the agreement threshold (0.990): its two
# flips are float near-ties.
declare -A FLOOR_SQ=([da2so_resnet18_pruned.i16]=35.5 [mlc_resnet8.i16]=34 [mnist_cnn.i16]=45 [mlc_resnet8.dyn]=19)
declare -A FLOOR_AG=([da2so_resnet18_pruned.i16]=0.98 [mlc_resnet8.i16]=0.98 [mnist_cnn.i16]=0.98 [mlc_resnet8.dyn]=0.92)
# Models made here (tests/quant/make_models.js) for structures the shared ones lack.
node "$ROOT/tests/quant/make_models.js" "$W" > /dev/null 2>&1 || { echo "make_models.js failed"; exit 1; }
for f in "$SHARED"/models/keras/{da2so_resnet18_pruned,mlc_resnet8,mlp_mnist,mlc_str_ww,mlc_ad01,mnist_cnn,icu_mlp,dcgan_gen,conv_autoenc}.* "$W"/gen/*/model.json; do
  case $f in *.tflite) continue;; esac; [ -f "$f" ] || continue
  b=$(basename "$f"); b=${b%.*}; [ "$b" = model ] && b=$(basename "$(dirname "$f")"); d=$W/data/$b
  [ -n "$FILTER" ] && [[ "$b" != *"$FILTER"* ]] && continue
  "$TFLC" convert "$f" -o "$W/$b.f32.tflite" > /dev/null 2>&1 &&
    "$TFLC" run "$W/$b.f32.tflite" --input "$d/eval.npy" --output-dir "$W/$b.f32" > /dev/null 2>&1 || { n=$((n+1)); bad="$bad $b(float)"; echo "FAIL $b: float conversion"; continue; }
  $PY -c "import numpy as np; np.save('$d/eval20.npy', np.load('$d/eval.npy')[:20])"
  for mode in f16 dyn i8f i8 u8 i16; do
    case $mode in
      f16) opt=(--quantize float16); A=0.995; S=40; ref=$b.ref.float16;;
      dyn) opt=(--quantize dynamic); A=0.95; S=20; ref=$b.ref.dynamic;;
      i8f) opt=(--quantize int8 --calibration "$d/calib.npy"); A=0.90; S=12; ref=$b.ref.int8_floatio;;
      i8)  opt=(--quantize int8 --calibration "$d/calib.npy" --input-type int8 --output-type int8); A=0.90; S=12; ref=$b.ref.int8;;
      u8)  opt=(--quantize int8 --calibration "$d/calib.npy" --input-type uint8 --output-type uint8); A=0.90; S=12; ref=$b.ref.int8;;
      i16) opt=(--quantize int16x8 --calibration "$d/calib.npy"); A=0.99; S=35; ref=none;;
    esac
    n=$((n+1)); q=$W/$b.$mode; msg=""
    if ! "$TFLC" convert "$f" -o "$q.tflite" "${opt[@]}" > "$q.log" 2>&1; then bad="$bad $b.$mode"; echo "FAIL $b.$mode: $(tail -1 "$q.log")"; continue; fi
    cast_in "$q.tflite" "$d/eval.npy" "$q.in.npy"; cast_in "$q.tflite" "$d/eval20.npy" "$q.in20.npy"
    "$TFLC" run "$q.tflite" --input "$q.in.npy" --output-dir "$q.ours" > /dev/null 2>&1 || { bad="$bad $b.$mode"; echo "FAIL $b.$mode: tflc run"; continue; }
    read -r ag sq <<< "$(metrics "$q.tflite" "$W/$b.f32/out0.npy" "$q.ours/out0.npy")"
    ge "$sq" "$S" || msg="$msg sqnr $sq < $S;"
    [ "$ag" = "-1.000" ] || ge "$ag" "$A" || msg="$msg agreement $ag < $A;"
    mkdir -p "$q.o20"; $PY -c "import numpy as np; np.save('$q.o20/out0.npy', np.load('$q.ours/out0.npy')[:20])"
    if ! $ORACLE "$q.tflite" --in "$q.in20.npy" --out-dir "$q.google" > "$q.glog" 2>&1; then msg="$msg Google's runtime refused it: $(tail -1 "$q.glog");"
    elif ! $PY "$ROOT/tests/tools/compare_outputs.py" "$q.o20" "$q.google" float 2e-2 int 2 0.9 > "$q.gcmp" 2>&1; then msg="$msg differs from Google's runtime: $(grep BAD "$q.gcmp" | head -1);"; fi
    rf=$SHARED/models/keras/$ref.tflite
    vs=""
    if [ -f "$rf" ]; then
      rin=$("$TFLC" inspect --json "$rf" | $PY -c 'import json,sys; s=json.load(sys.stdin)["subgraphs"][0]; print(s["tensors"][s["inputs"][0]]["dtype"])')
      want=FLOAT32; case $mode in i8) want=INT8;; u8) want=UINT8;; esac
      if [ "$mode" = f16 ] || [ "$mode" = dyn ] || [ "$rin" = "$want" ]; then
        cast_in "$rf" "$d/eval.npy" "$q.rin.npy"
        $ORACLE "$rf" --in "$q.rin.npy" --out-dir "$q.ref" > /dev/null 2>&1
        read -r rag rsq <<< "$(metrics "$rf" "$W/$b.f32/out0.npy" "$q.ref/out0.npy")"
        s1=$(stat -c %s "$q.tflite"); s2=$(stat -c %s "$rf")
        [ "$s1" -le $((s2 * 103 / 100)) ] || msg="$msg $s1 bytes > 1.03 x Google's $s2;"
        ge "$sq" "$($PY -c "print($rsq - 1)")" || msg="$msg sqnr $sq < Google's $rsq - 1;"
        [ "$ag" = "-1.000" ] || ge "$ag" "$($PY -c "print($rag - 0.01)")" || msg="$msg agreement $ag < Google's $rag - 0.01;"
        vs=" | Google's: agree $rag sqnr $rsq, $s2 B vs ours $s1 B"
      fi
    fi
    k=$b.$mode
    if [ -n "$msg" ] && [ -n "${FLOOR_SQ[$k]:-}" ] && ! grep -q "Google's runtime\|differs from Google\|bytes >" <<< "$msg" &&
      ge "$sq" "${FLOOR_SQ[$k]}" && { [ "$ag" = "-1.000" ] || ge "$ag" "${FLOOR_AG[$k]:-0}"; }; then
      known=$((known+1)); ok=$((ok+1)); echo "KNOWN $b.$mode (known limit, docs/quantization.md):$msg$vs"
    elif [ -z "$msg" ]; then ok=$((ok+1)); echo "ok   $b.$mode agree $ag sqnr $sq$vs"
    else bad="$bad $b.$mode"; echo "FAIL $b.$mode:$msg$vs"; fi
  done
done
# Dynamic-range LSTMs (TFLite's hybrid UNIDIRECTIONAL_SEQUENCE_LSTM): every weight int8,
# Google's runtime gives tflc's outputs, and the result stays close to the float model.
for m in k3_lstm emoji_bilstm; do
  f=$SHARED/models/keras/$m.h5; [ -n "$FILTER" ] && [[ "$m" != *"$FILTER"* ]] && continue
  n=$((n+1)); q=$W/$m.dyn
  "$TFLC" convert "$f" -o "$q.f32.tflite" > /dev/null 2>&1 && "$TFLC" convert "$f" -o "$q.tflite" --quantize dynamic > /dev/null 2>&1 ||
    { bad="$bad $m.dyn"; echo "FAIL $m.dyn: conversion"; continue; }
  if msg=$($PY - "$TFLC" "$q" <<'PY'
import json, subprocess, sys
import numpy as np
tflc, q = sys.argv[1:3]
j = json.loads(subprocess.check_output([tflc, "inspect", "--json", q + ".tflite"]))
sg = j["subgraphs"][0]; T = sg["tensors"]
lstm = [o for o in sg["operators"] if o["op"] == "UNIDIRECTIONAL_SEQUENCE_LSTM"]
bad = [T[i]["name"] for o in lstm for k, i in enumerate(o["inputs"]) if k in (1,2,3,4,5,6,7,8,9,10,11,16) and i >= 0 and T[i]["dtype"] != "INT8"]
if not lstm or bad: print(f"LSTM weights not int8: {bad[:3]}"); sys.exit(1)
t = T[sg["inputs"][0]]; shape = [d if d > 0 else 1 for d in t["shape"]]; shape[0] = 8
rng = np.random.default_rng(7)
x = rng.integers(0, 1000, shape).astype(np.float32) if "embedding" in json.dumps(j).lower() or len(shape) == 2 else (rng.standard_normal(shape) * 0.5).astype(np.float32)
np.save(q + ".in.npy", x)
PY
  ) && "$TFLC" run "$q.f32.tflite" --input "$q.in.npy" --output-dir "$q.f" > /dev/null 2>&1 &&
    "$TFLC" run "$q.tflite" --input "$q.in.npy" --output-dir "$q.ours" > /dev/null 2>&1 &&
    $ORACLE "$q.tflite" --in "$q.in.npy" --out-dir "$q.google" > /dev/null 2>&1 &&
    $PY "$ROOT/tests/tools/compare_outputs.py" "$q.ours" "$q.google" float 2e-2 int 0 1 > "$q.gcmp" 2>&1 &&
    read -r ag sq <<< "$(metrics "$q.tflite" "$q.f/out0.npy" "$q.ours/out0.npy")" && ge "$sq" 20; then
    ok=$((ok+1)); echo "ok   $m.dyn (hybrid LSTM) sqnr $sq, Google's runtime agrees"
  else bad="$bad $m.dyn"; echo "FAIL $m.dyn: $msg $(grep BAD "$q.gcmp" 2>/dev/null | head -1) sqnr ${sq:-?}"; fi
done
echo "quantized model/mode pairs passing: $ok/$n ($known at their documented known limit)"
[ $ok -eq $n ] && [ $n -gt 0 ]
