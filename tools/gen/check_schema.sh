#!/bin/bash
# Regenerates src/format/tflite_schema.{h,c} from ../shared/spec/tflite_schema.fbs into a
# temporary folder and fails when the committed files differ. Without ../shared: fails when
# TFLC_REQUIRE_SHARED=1, else skips (77).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCHEMA=${TFLC_SHARED:-$ROOT/../shared}/spec/tflite_schema.fbs
if [ ! -f "$SCHEMA" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "schema missing: $SCHEMA"; exit 1; }
  echo "skipping: $SCHEMA not found"; exit 77
fi
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
/usr/bin/python3 "$ROOT/tools/gen/fbs_gen.py" "$SCHEMA" "$T" tflite || exit 1
for f in tflite_schema.h tflite_schema.c; do
  diff -u "$ROOT/src/format/$f" "$T/$f" > "$T/diff" || { echo "src/format/$f is out of date; rerun tools/gen/fbs_gen.py:"; head -20 "$T/diff"; exit 1; }
done
echo "generated schema code is up to date"
