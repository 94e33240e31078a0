#!/bin/bash
# h5_string_attrs.sh TFLC: the .h5 reader takes every string attribute encoding writers use.
# Keras stores model_config / keras_version / layer_names / weight_names as ASCII byte strings;
# h5py stores Python str attributes as variable-length UTF-8 (scripts that write Keras files
# without Keras do that). Each shared Keras 2 .h5 is copied with its string attributes rewritten
# (fixed ASCII -> variable-length UTF-8, then fixed-length UTF-8) and must convert to the same
# .tflite bytes as the original.
set -u
TFLC=$1
SHARED=${TFLC_SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
PY=/usr/bin/python3
if [ ! -d "$SHARED/models/keras" ]; then
  [ "${TFLC_REQUIRE_SHARED:-0}" = 1 ] && { echo "shared data missing at $SHARED"; exit 1; }
  echo "skipping: no shared data"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/tflc-h5str.XXXXXX"); trap 'rm -rf "$W"' EXIT
n=0; ok=0
for f in "$SHARED"/models/keras/{icu_mlp,mlc_ad01,conv1d_seq}.h5; do
  [ -f "$f" ] || continue
  b=$(basename "$f" .h5)
  "$TFLC" convert "$f" -o "$W/$b.tflite" > /dev/null 2>&1 || { echo "FAIL $b: the original does not convert"; n=$((n+1)); continue; }
  for enc in vlen fixed; do
    n=$((n+1))
    $PY - "$f" "$W/$b.$enc.h5" "$enc" <<'PY' || { echo "FAIL $b.$enc: cannot rewrite"; continue; }
import shutil, sys
import h5py, numpy as np
src, dst, enc = sys.argv[1:4]
shutil.copy(src, dst)
def utf8(v):
    s = v.decode() if isinstance(v, bytes) else str(v)
    if enc == "vlen":
        return s
    b = s.encode()
    return np.array(b, dtype=h5py.string_dtype("utf-8", len(b)))
def arr(v):
    items = [x.decode() if isinstance(x, bytes) else str(x) for x in v]
    if enc == "vlen":
        return np.array(items, dtype=h5py.string_dtype("utf-8"))
    m = max([len(x.encode()) for x in items] + [1])
    return np.array([x.encode() for x in items], dtype=h5py.string_dtype("utf-8", m))
changed = 0
with h5py.File(dst, "r+") as h:
    def fix(obj):
        global changed
        for k in list(obj.attrs.keys()):
            v = obj.attrs[k]
            if isinstance(v, (bytes, str)):
                obj.attrs[k] = utf8(v); changed += 1
            elif isinstance(v, np.ndarray) and v.dtype.kind in "SO":
                obj.attrs[k] = arr(v); changed += 1
    fix(h)
    h.visititems(lambda name, obj: fix(obj))
if changed < 3: sys.exit(1)
PY
    if "$TFLC" convert "$W/$b.$enc.h5" -o "$W/$b.$enc.tflite" > "$W/log" 2>&1 && cmp -s "$W/$b.tflite" "$W/$b.$enc.tflite"; then
      ok=$((ok+1)); echo "ok   $b ($enc UTF-8 string attributes): same .tflite"
    else echo "FAIL $b ($enc UTF-8 string attributes): $(tail -1 "$W/log")"; fi
  done
done
echo "h5 string attribute encodings: $ok/$n"
[ "$ok" -eq "$n" ] && [ "$n" -gt 0 ]
