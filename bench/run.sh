#!/bin/sh
# tflc's runtime against XNNPACK, side by side (bench/README.md). For each model, float32 and
# int8, on 1 and 2 threads: `tflc bench --json` and `xnnpack_run --json` (warm-up runs, then the
# median of N), after checking that XNNPACK's output 0 agrees with `tflc run`'s on the same input.
# Prints the model table and the per-layer-type table (bench/report.py); the raw JSON and the
# load average of each measurement stay in $BUILD/bench/results.
#
#   bench/run.sh [MODEL...]      default: mobilenet_v1 mobilenet_v2 resnet18 ds_cnn lstm
#   env: BUILD (tflc's CMake build dir, default build), THREADS (default "1 2"),
#        RUNS_BIG / WARMUP_BIG (tflc on the 224x224 models, default 30 / 5),
#        RUNS / WARMUP (everything else, default 50 / 5), TFLC_DESC (what to call the tflc build
#        in the report; default: this checkout's commit)
# Needs the models (bench/make_models.sh) and $BUILD/bench/xnnpack_run (make -C bench).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
THREADS=${THREADS:-1 2}
RUNS_BIG=${RUNS_BIG:-30}
WARMUP_BIG=${WARMUP_BIG:-5}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
MODELS=${*:-mobilenet_v1 mobilenet_v2 resnet18 ds_cnn lstm}
M=$BUILD/bench/models
R=$BUILD/bench/results
TFLC=$BUILD/tflc
XNN=$BUILD/bench/xnnpack_run
for f in "$TFLC" "$XNN"; do
    [ -x "$f" ] || { echo "run.sh: $f missing: make -C bench BUILD=\$PWD/$BUILD" >&2; exit 1; }
done
rm -rf "$R"
mkdir -p "$R"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
         "(family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')," \
         "model $(grep -m1 '^model' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')," \
         "$(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') MHz), $(nproc) cores," \
         "avx512_vnni: $(grep -q avx512_vnni /proc/cpuinfo && echo yes || echo no)"
    echo "xnnpack: $(dpkg-query -W -f '${Version}' libxnnpack0 2>/dev/null || echo unknown)"
    echo "tflc: ${TFLC_DESC:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include tools 2>/dev/null || echo ' (+ uncommitted changes in src/ include/ tools/)')}"
    echo "command: BUILD=$BUILD THREADS=\"$THREADS\" RUNS_BIG=$RUNS_BIG WARMUP_BIG=$WARMUP_BIG RUNS=$RUNS WARMUP=$WARMUP bench/run.sh $MODELS"
} > "$R/meta.txt"
cat "$R/meta.txt"

load() { cut -d' ' -f1 /proc/loadavg; }

for m in $MODELS; do
    case $m in
    mobilenet_*|resnet*) tr=$RUNS_BIG; tw=$WARMUP_BIG ;;
    *) tr=$RUNS; tw=$WARMUP ;;
    esac
    for q in f32 int8; do
        model=$M/${m}_$q.tflite
        [ -f "$model" ] || { echo "run.sh: $model missing: bench/make_models.sh" >&2; exit 1; }
        base=$R/${m}_$q
        # Same input bytes for both runtimes: xnnpack_run quantizes the float input for an int8
        # model and saves what it bound; tflc run gets that file.
        ref=
        if "$XNN" "$model" --input "$M/${m}_input.npy" --save-input "$base.in.npy" --runs 1 --warmup 0 \
                > /dev/null 2> "$base.xnn.err"; then
            "$TFLC" run "$model" --input "$base.in.npy" --output-dir "$base.tflc_out" > /dev/null
            ref="--compare $base.tflc_out/out0.npy"
        fi
        for t in $THREADS; do
            printf '%-14s %-5s %s thread(s): load %s ' "$m" "$q" "$t" "$(load)"
            echo "$(load)" > "$base.t$t.load"
            "$TFLC" bench "$model" --json --threads "$t" --runs "$tr" --warmup "$tw" > "$base.t$t.tflc.json"
            rc=0
            # shellcheck disable=SC2086
            "$XNN" "$model" --json --threads "$t" --runs "$RUNS" --warmup "$WARMUP" --input "$M/${m}_input.npy" $ref \
                > "$base.t$t.xnn.json" 2>> "$base.xnn.err" || rc=$?
            [ $rc = 0 ] || [ $rc = 3 ] || { cat "$base.xnn.err" >&2; exit 1; }
            echo "$(load)" >> "$base.t$t.load"
            echo "done"
        done
    done
done
echo
python3 bench/report.py "$R" | tee "$R/report.txt"
