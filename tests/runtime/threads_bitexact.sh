#!/bin/bash
# threads_bitexact.sh TFLC MODELS_DIR: every .tflite in MODELS_DIR run by `tflc run
# --random-input` with --threads 1, 2 and 3 gives the same output files, byte for byte (ops
# split their work over threads without changing any arithmetic). Exit 77 (skip) without
# models, unless TFLC_REQUIRE_SHARED=1.
set -u
tflc=$1 dir=$2
shopt -s nullglob
models=("$dir"/*.tflite)
if [ ${#models[@]} -eq 0 ]; then
    echo "no models in $dir"
    [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && exit 1 || exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for m in "${models[@]}"; do
    name=$(basename "$m" .tflite)
    for t in 1 2 3; do
        if ! "$tflc" run "$m" --random-input --seed 7 --threads $t --output-dir "$tmp/$name.$t" >"$tmp/log" 2>&1; then
            echo "FAIL $name --threads $t: tflc run failed:"; cat "$tmp/log"; fail=1; continue 2
        fi
    done
    outs=$(ls "$tmp/$name.1" | wc -l)
    [ "$outs" -gt 0 ] || { echo "FAIL $name: no outputs written"; fail=1; continue; }
    for t in 2 3; do
        if ! diff -r "$tmp/$name.1" "$tmp/$name.$t" >/dev/null; then
            echo "FAIL $name: --threads $t output differs from --threads 1"; fail=1
        fi
    done
    echo "ok   $name ($outs output(s) equal with 1, 2 and 3 threads)"
    n=$((n + 1))
done
echo "$n/${#models[@]} models bit-exact across thread counts"
exit $fail
