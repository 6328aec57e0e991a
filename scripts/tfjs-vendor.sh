#!/usr/bin/env bash
# Copies the TensorFlow.js files the benchmark page needs (www/tfjs-bench.js) from node_modules into
# www/vendor/tfjs/: the UMD bundles of @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm (loaded by
# classic <script src> tags, in that order; they need no bundler and no eval) and the wasm backend's
# three .wasm binaries (fetched from the same folder via tf.wasm.setWasmPaths). Idempotent and quick:
# a file is copied only when missing or different. Works when run or sourced (it changes nothing in
# the caller's shell but the function below).
tfjs_vendor() {
  local root src_tf src_wasm dest file
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  src_tf="$root/node_modules/@tensorflow/tfjs/dist"
  src_wasm="$root/node_modules/@tensorflow/tfjs-backend-wasm/dist"
  dest="$root/www/vendor/tfjs"
  if [ ! -f "$src_tf/tf.es2017.min.js" ] || [ ! -f "$src_wasm/tf-backend-wasm.es2017.min.js" ]; then
    echo "tfjs-vendor: @tensorflow/tfjs or @tensorflow/tfjs-backend-wasm is not installed (run npm ci)" >&2
    return 1
  fi
  mkdir -p "$dest" || return 1
  for file in "$src_tf/tf.es2017.min.js" \
    "$src_wasm/tf-backend-wasm.es2017.min.js" \
    "$src_wasm/tfjs-backend-wasm.wasm" \
    "$src_wasm/tfjs-backend-wasm-simd.wasm" \
    "$src_wasm/tfjs-backend-wasm-threaded-simd.wasm"; do
    if ! cmp -s "$file" "$dest/$(basename "$file")"; then
      cp "$file" "$dest/" || return 1
    fi
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  tfjs_vendor
else
  tfjs_vendor
fi
