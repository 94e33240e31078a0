#!/usr/bin/env bash
# Self-test of the oracle: run every shared model that has golden data through
# run_tflite_wasm.js and require bit-identical outputs.
#
#   bash tests/oracle/selftest.sh [--variant plain|simd] [--shared DIR]
#
# Needs node and `npm ci --prefix tests/oracle` done first.
# Exit status: 0 all identical, 1 any mismatch/failure, 2 setup problem.
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHARED="${SHARED:-$(cd "$HERE/../../.." && pwd)/shared}"
VARIANT=plain
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) VARIANT="$2"; shift 2 ;;
    --shared) SHARED="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "selftest: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ ! -d "$HERE/node_modules/@tensorflow/tfjs-tflite/wasm" ]; then
  echo "selftest: node_modules missing; run: npm ci --prefix $HERE" >&2
  exit 2
fi
if [ ! -d "$SHARED/models" ] || [ ! -d "$SHARED/golden" ]; then
  echo "selftest: shared data not found at $SHARED (set SHARED=... or --shared DIR)" >&2
  exit 2
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

pass=0; fail=0; skip=0
failed=()

run_one() { # model golden_dir
  local model="$1" gdir="$2" name out ins=() f rc line
  name="$(basename "$model" .tflite)"
  out="$TMP/$name"
  # in0, in1, ... bound in numeric order (in10 after in9)
  local sorted
  mapfile -t sorted < <(printf '%s\n' "$gdir"/in*.npy | sed 's/.*\/in\([0-9]*\)\.npy$/\1 &/' | sort -n | cut -d' ' -f2-)
  ins=(); for f in "${sorted[@]}"; do ins+=(--in "$f"); done
  line="$(node "$HERE/run_tflite_wasm.js" "$model" "${ins[@]}" --out-dir "$out" --variant "$VARIANT" 2>"$TMP/err")"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL  $name: harness exited $rc: $(tail -n 3 "$TMP/err" | tr '\n' ' ')"
    fail=$((fail+1)); failed+=("$name"); return
  fi
  local ok=1 msgs="" n=0 g r
  for g in "$gdir"/out*.npy; do
    n=$((n+1))
    r="$(node "$HERE/compare_npy.js" "$out/$(basename "$g")" "$g" 2>&1)" || ok=0
    msgs="$msgs $(basename "$g" .npy): $r;"
  done
  # The harness must not write more outputs than the golden has.
  local produced=0
  for f in "$out"/out*.npy; do [ -e "$f" ] && produced=$((produced+1)); done
  if [ "$produced" -ne "$n" ]; then ok=0; msgs="$msgs wrote $produced outputs, golden has $n;"; fi
  local secs
  secs="$(sed -n 's/.*(\([0-9.]*s\))$/\1/p' <<<"$line")"
  if [ $ok -eq 1 ]; then
    echo "OK    $name ($secs)$msgs"
    pass=$((pass+1))
  else
    echo "FAIL  $name ($secs)$msgs"
    fail=$((fail+1)); failed+=("$name")
  fi
}

for pair in "tflite:tflite" "keras:keras_ref_tflite"; do
  mdir="$SHARED/models/${pair%%:*}"
  gbase="$SHARED/golden/${pair#*:}"
  for model in "$mdir"/*.tflite; do
    [ -e "$model" ] || continue
    name="$(basename "$model" .tflite)"
    gdir="$gbase/$name"
    if [ ! -d "$gdir" ] || ! ls "$gdir"/in*.npy >/dev/null 2>&1 || ! ls "$gdir"/out*.npy >/dev/null 2>&1; then
      echo "SKIP  $name: no golden dir $gdir"
      skip=$((skip+1)); continue
    fi
    run_one "$model" "$gdir"
  done
done

echo "selftest (variant=$VARIANT): $pass identical, $fail differing/failed, $skip without golden"
if [ $fail -ne 0 ]; then
  echo "differing/failed: ${failed[*]}"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
