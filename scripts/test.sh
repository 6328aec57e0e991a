#!/usr/bin/env bash
# `npm test`: every suite — native cargo tests, wasm-bindgen-test in headless Chromium, end-to-end.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
ensure_chromium
ensure_wasm_toolchain
ensure_wasm_bindgen

say "1/3 native tests (cargo test --release)"
(cd "$ROOT" && "$(host_cargo)" test --release --workspace)

say "2/3 wasm-bindgen-test in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=300
(cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "3/3 end-to-end tests against the real server"
bash "$ROOT/scripts/build.sh"
node "$ROOT/tests/e2e/run.mjs"
say "all test suites passed"
