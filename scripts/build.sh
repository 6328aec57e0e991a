#!/usr/bin/env bash
# Builds the wasm module and its JS bindings into www/pkg/ (installing the toolchain if needed), then
# dist/, the static site a course author publishes (scripts/dist.mjs).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
ensure_wasm_toolchain
ensure_wasm_bindgen
say "building the wasm module (release, toolchain: $WASM_MODE)"
# Without `embedded-teacher`: the page fetches the teacher's weights beside the wasm (see www/playground.js).
wasm_cargo build --release -p distill-playground --lib --no-default-features
WASM="$ROOT/target/wasm/wasm32-unknown-unknown/release/distill_playground.wasm"
[ -f "$WASM" ] || die "the build produced no $WASM"
say "generating JS bindings in www/pkg/"
wasm-bindgen --target web --out-dir "$ROOT/www/pkg" "$WASM"
cp "$ROOT/crate/assets/teacher.safetensors" "$ROOT/www/pkg/teacher.safetensors"
say "built www/pkg/ ($(du -k "$ROOT/www/pkg/distill_playground_bg.wasm" | cut -f1) KB wasm)"
say "copying the charting library (uPlot) from node_modules to www/vendor/"
mkdir -p "$ROOT/www/vendor"
cp "$ROOT/node_modules/uplot/dist/uPlot.esm.js" "$ROOT/node_modules/uplot/dist/uPlot.min.css" "$ROOT/www/vendor/"
say "bundling the page's modules into www/main.bundle.js (scripts/bundle.mjs)"
node "$ROOT/scripts/bundle.mjs"
say "assembling dist/: the playground as a static site (scripts/dist.mjs)"
node "$ROOT/scripts/dist.mjs"
