#!/usr/bin/env bash
# The full soak (issue 7): 200,000 steps in headless Chromium with settings changing every 1,000
# steps; no panic, finite reports, wasm memory flat after warm-up. `npm test` runs a reduced form.
#   bash scripts/soak.sh [changes, default 200]
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_chromium
ensure_wasm_toolchain
ensure_wasm_bindgen
export SOAK_CHANGES="${1:-200}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=7200
say "soak: $SOAK_CHANGES changes of 1,000 steps each, in headless Chromium"
(cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web -- soak_keeps_memory_flat_and_reports_finite --nocapture)
