#!/bin/bash
# Installs everything tflc's build, demo and tests need on Debian 12 (run as root), then the
# npm packages of the oracle (Google's TFLite WebAssembly runtime). Idempotent: only what is
# missing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(build-essential cmake pkg-config python3 python3-numpy python3-h5py python3-flatbuffers flatbuffers-compiler
      libhdf5-dev libcjson-dev libzip-dev libpng-dev libjpeg-dev zlib1g-dev dataset-fashion-mnist
      clang libclang-rt-14-dev python3-keras-applications gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user)
command -v node > /dev/null 2>&1 || pkgs+=(nodejs)
command -v npm > /dev/null 2>&1 || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" > /dev/null
fi
if [ ! -d tests/oracle/node_modules/@tensorflow/tfjs-tflite ]; then
  echo "setup: installing the TFLite WASM oracle (npm ci in tests/oracle)"
  npm ci --prefix tests/oracle --no-audit --no-fund --loglevel=error > /dev/null
fi
if [ ! -d tests/keras_layers/node_modules/@tensorflow/tfjs ]; then
  echo "setup: installing TensorFlow.js for the per-layer Keras tests (npm ci in tests/keras_layers)"
  npm ci --prefix tests/keras_layers --no-audit --no-fund --loglevel=error > /dev/null
fi
