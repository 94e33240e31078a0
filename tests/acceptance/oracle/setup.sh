#!/bin/bash
# setup.sh DIR: the runnable oracle copy ../shared/check expects (tflite_wasm = this
# project's tests/oracle harness around Google's TFLite WebAssembly runtime).
set -e
HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/../../.." && pwd)   # the project (this file lives in tests/acceptance/oracle)
mkdir -p "$1/tflite_wasm" "$1/keras_ref"
[ -d "$ROOT/tests/oracle/node_modules" ] || npm ci --prefix "$ROOT/tests/oracle" > /dev/null
cp "$ROOT"/tests/oracle/*.js "$1/tflite_wasm/"
ln -sfn "$ROOT/tests/oracle/node_modules" "$1/tflite_wasm/node_modules"
mkdir -p "$1/keras_ref/node_modules"
cat > "$1/keras_ref/keras_ref" <<'EOS'
#!/bin/sh
echo "keras_ref: not available in this emulation" >&2
exit 1
EOS
chmod +x "$1/keras_ref/keras_ref"
