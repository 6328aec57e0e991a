#!/usr/bin/env bash
# `npm test`: every suite — native cargo tests, wasm-bindgen-test in headless Chromium and Firefox,
# end-to-end in Chromium (the full suite) and Firefox (the core of it).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
ensure_chromium
ensure_firefox
ensure_wasm_toolchain
ensure_wasm_bindgen

say "1/4 native tests (cargo test --release)"
(cd "$ROOT" && "$(host_cargo)" test --release --workspace)

say "2/4 wasm-bindgen-test in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=300
(cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "3/4 wasm-bindgen-test in headless Firefox"
(unset CHROMEDRIVER; export GECKODRIVER="$GECKODRIVER_PATH"; cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "4/4 end-to-end tests against the real server (Chromium, then Firefox)"
bash "$ROOT/scripts/build.sh"
node "$ROOT/tests/e2e/run.mjs"
node "$ROOT/tests/e2e/firefox.mjs"
say "all test suites passed"
