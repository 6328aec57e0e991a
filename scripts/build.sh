#!/usr/bin/env bash
# Builds the wasm module and its JS bindings into www/pkg/ (installing the toolchain if needed).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
ensure_wasm_toolchain
ensure_wasm_bindgen
say "building the wasm module (release, toolchain: $WASM_MODE)"
wasm_cargo build --release -p distill-playground --lib
WASM="$ROOT/target/wasm/wasm32-unknown-unknown/release/distill_playground.wasm"
[ -f "$WASM" ] || die "the build produced no $WASM"
say "generating JS bindings in www/pkg/"
wasm-bindgen --target web --out-dir "$ROOT/www/pkg" "$WASM"
say "built www/pkg/ ($(du -k "$ROOT/www/pkg/distill_playground_bg.wasm" | cut -f1) KB wasm)"
say "copying the charting library (uPlot) from node_modules to www/vendor/"
mkdir -p "$ROOT/www/vendor"
cp "$ROOT/node_modules/uplot/dist/uPlot.esm.js" "$ROOT/node_modules/uplot/dist/uPlot.min.css" "$ROOT/www/vendor/"
