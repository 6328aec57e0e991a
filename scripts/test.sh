#!/usr/bin/env bash
# `npm test`: every suite — native cargo tests, wasm-bindgen-test in headless Chromium and Firefox
# and in WebKit (WebKitGTK under Xvfb), and the end-to-end suite in Chromium, Firefox and WebKit.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
say "0/5 the README's generated tables match docs/results/; the page's two catalogues are complete; the page's pure modules (node:test)"
node "$ROOT/scripts/readme-tables.mjs" --check
node "$ROOT/scripts/i18n-check.mjs"
node --test "$ROOT/tests/unit/"
ensure_chromium
ensure_firefox
ensure_webkit
ensure_wasm_toolchain
ensure_wasm_bindgen

say "1/5 native tests (cargo test --release)"
(cd "$ROOT" && "$(host_cargo)" test --release --workspace)

say "2/5 wasm-bindgen-test in headless Chromium"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_TIMEOUT=300
(cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "3/5 wasm-bindgen-test in headless Firefox"
(unset CHROMEDRIVER; export GECKODRIVER="$GECKODRIVER_PATH"; cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "4/5 wasm-bindgen-test in WebKit (WebKitGTK under Xvfb)"
# WebKitWebDriver needs an X display: xvfb-run wraps only the test runner (cargo splits the runner string).
(unset CHROMEDRIVER GECKODRIVER; export SAFARIDRIVER="$WEBKIT_DRIVER" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="xvfb-run -a wasm-bindgen-test-runner"
 cd "$ROOT" && wasm_cargo test --release -p distill-playground --test web)

say "5/5 end-to-end tests against the real server (Chromium, then Firefox, then WebKit)"
bash "$ROOT/scripts/build.sh"
node "$ROOT/tests/e2e/run.mjs"
E2E_BROWSER=firefox node "$ROOT/tests/e2e/run.mjs"
E2E_BROWSER=webkit node "$ROOT/tests/e2e/run.mjs"
say "all test suites passed"
